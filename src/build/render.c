/* render.c - the site model exposed to templates, and page rendering.
 *
 * Pages reach templates as objects (value_class) that answer attributes
 * on demand, so a list page that shows ten summaries does not build maps
 * for ten thousand pages. Everything a render allocates lives in an arena
 * freed when the page is written. */
#include "build/render.h"
#include "content/collection.h"
#include "content/markdown.h"
#include "content/player.h"
#include "content/summary.h"
#include "build/feeds.h"
#include "build/seo.h"
#include "lib/lang.h"
#include "lib/buf.h"
#include "lib/files.h"
#include "lib/strmap.h"
#include "media/filesize.h"
#include "lib/yaml.h"
#include "template/template.h"
#include "theme/theme.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define LATEST_COUNT 5
/* Page numbers shown on each side of the current one in pagination. */
#define PAGINATION_NEIGHBOURS 2

struct renderer {
    const site *s;
    tpl_env *env[SITE_MAX_LANGS];
    int lang_ids[SITE_MAX_LANGS];
    const char *override_dir;
    value *site_values[SITE_MAX_LANGS]; /* per language, built once */
    const char *lang_names[SITE_MAX_LANGS]; /* each language's name in itself, or its code in capitals */
    theme_asset *assets;
    size_t nassets;
    render_header_image_fn header_image_fn;
    void *header_image_user;
    value *theme_strings; /* the theme's languages.yaml: {lang: {KEY: text}} */
    const char *base_url; /* absolute site URL without trailing slash, "" when unknown */
    bool has_all_summaries; /* renderer_summaries_made */
    arena arena;
};

/* State of one render: the page whose content is known. */
typedef struct render_state {
    const renderer *r;
    const page_version *current;
    const char *content_html;
    arena *a;
    bool is_list;         /* a list page: every summary is made before lists are rendered */
    bool needs_summaries; /* asked for a summary not made yet: render again later */
} render_state;

/* Attributes that cost a computation or a copy (description, JSON-LD,
 * the content) are read several times by one render: the theme asks for
 * page.description three times. Their values are kept on the object. */
#define PAGE_MEMO_SLOTS 12

typedef struct page_obj {
    const page_version *pv;
    render_state *st;
    int nmemo;
    const char *summary_text; /* plain text of the summary, once asked for */
    int memo_id[PAGE_MEMO_SLOTS]; /* attribute ids (costly ones only) */
    value *memo_val[PAGE_MEMO_SLOTS];
} page_obj;

static value *page_value(render_state *st, const page_version *pv);

static const char *media_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return "file";
    if (media_is_image(name)) return "image";
    if (!strcasecmp(dot, ".pdf")) return "pdf";
    player_kind kind = player_kind_of(name, NULL);
    return kind == PLAYER_VIDEO ? "video" : kind == PLAYER_AUDIO ? "audio" : "file";
}

static bool header_flag(const page_version *pv, const char *key, bool dflt)
{
    value *v = map_get(pv->header, key);
    if (!v || v->kind == V_NULL) return dflt;
    if (v->kind == V_STRING && !strcasecmp(v->u.str.s, "false")) return false;
    return value_truthy(v);
}

/* The page's header photo: the first image of its folder (media_order
 * may name it), unless the front matter says header_image: false. */
static const media_file *header_media(const page_version *pv)
{
    if (!header_flag(pv, "header_image", true)) return NULL;
    const page *pg = pv->page;
    value *order = map_get(pv->header, "media_order");
    if (order && order->kind == V_STRING) {
        const char *first = order->u.str.s;
        size_t n = strcspn(first, ",");
        for (size_t i = 0; i < pg->nmedia; i++)
            if (strlen(pg->media[i].name) == n && !strncmp(pg->media[i].name, first, n) &&
                media_is_image(pg->media[i].name))
                return &pg->media[i];
    }
    for (size_t i = 0; i < pg->nmedia; i++)
        if (media_is_image(pg->media[i].name)) return &pg->media[i];
    return NULL;
}

static value *header_image_html(render_state *st, const page_version *pv, bool above_fold)
{
    const media_file *m = header_media(pv);
    if (!m || !st->r->header_image_fn) return value_null();
    buf b = BUF_INIT;
    value *v = value_null();
    if (st->r->header_image_fn(st->r->header_image_user, m, above_fold, &b)) v = value_safe_str(st->a, buf_cstr(&b), b.len);
    buf_free(&b);
    return v;
}

/* The attributes pages answer, found by binary search: templates read
 * hundreds of page attributes per page, and a chain of string
 * comparisons showed in profiles. */
enum page_attr_id {
    ATTR_NONE = -1,
    ATTR_ABSOLUTE_URL,
    ATTR_ANCESTORS,
    ATTR_CHILDREN,
    ATTR_CONTENT,
    ATTR_CONTENT_LANG,
    ATTR_DATE,
    ATTR_DESCRIPTION,
    ATTR_FOLDER,
    ATTR_HAS_MORE,
    ATTR_HEADER,
    ATTR_HEADER_IMAGE,
    ATTR_HEADER_IMAGE_HTML,
    ATTR_HEADER_IMAGE_LAZY_HTML,
    ATTR_HOME,
    ATTR_ID,
    ATTR_IMAGE_URL,
    ATTR_IS_POST,
    ATTR_JSON_LD,
    ATTR_LANG,
    ATTR_LANGUAGE,
    ATTR_MEDIA,
    ATTR_MENU,
    ATTR_METADATA,
    ATTR_NEXT,
    ATTR_NEXT_SIBLING,
    ATTR_OG_LOCALE,
    ATTR_OG_LOCALE_ALTERNATES,
    ATTR_OG_TYPE,
    ATTR_PARENT,
    ATTR_PREV,
    ATTR_PREV_SIBLING,
    ATTR_PUBLISHED,
    ATTR_ROUTABLE,
    ATTR_ROUTE,
    ATTR_SLUG,
    ATTR_SUBPAGES,
    ATTR_SUMMARY,
    ATTR_TEMPLATE,
    ATTR_TITLE,
    ATTR_TITLE_IN_CONTENT,
    ATTR_TRANSLATIONS,
    ATTR_URL,
    ATTR_VISIBLE,
};

/* Sorted (strcmp order) and in step with enum page_attr_id. */
static const char *const attr_names[] = {
    "absolute_url",
    "ancestors",
    "children",
    "content",
    "content_lang",
    "date",
    "description",
    "folder",
    "has_more",
    "header",
    "header_image",
    "header_image_html",
    "header_image_lazy_html",
    "home",
    "id",
    "image_url",
    "is_post",
    "json_ld",
    "lang",
    "language",
    "media",
    "menu",
    "metadata",
    "next",
    "nextSibling",
    "og_locale",
    "og_locale_alternates",
    "og_type",
    "parent",
    "prev",
    "prevSibling",
    "published",
    "routable",
    "route",
    "slug",
    "subpages",
    "summary",
    "template",
    "title",
    "title_in_content",
    "translations",
    "url",
    "visible",
};

/* Templates ask for some 70 attributes a page: a hash table built once
 * finds their ids with one comparison instead of a binary search's five. */
#define ATTR_SLOTS 128 /* a power of two, well above the number of names */
static signed char attr_slots[ATTR_SLOTS];
static pthread_once_t attr_once = PTHREAD_ONCE_INIT;

static unsigned attr_hash(const char *key)
{
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) h = (h ^ *p) * 16777619u;
    return h;
}

static void attr_table_init(void)
{
    memset(attr_slots, -1, sizeof attr_slots);
    for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
        unsigned k = attr_hash(attr_names[i]) & (ATTR_SLOTS - 1);
        while (attr_slots[k] >= 0) k = (k + 1) & (ATTR_SLOTS - 1);
        attr_slots[k] = (signed char)i;
    }
}

static int attr_id(const char *key)
{
    pthread_once(&attr_once, attr_table_init);
    for (unsigned k = attr_hash(key) & (ATTR_SLOTS - 1); attr_slots[k] >= 0; k = (k + 1) & (ATTR_SLOTS - 1))
        if (!strcmp(attr_names[attr_slots[k]], key)) return attr_slots[k];
    return ATTR_NONE;
}

/* Page fields, content and summaries outlive every render that reads
 * them: templates get references instead of copies. */
static value *site_str(arena *a, const char *s) { return s ? value_str_ref(a, s, strlen(s)) : value_str_ref(a, "", 0); }

static value *safe_ref(arena *a, const char *html)
{
    value *v = value_str_ref(a, html, strlen(html));
    v->is_safe = true;
    return v;
}

/* A page's summary: its own is made before the page is rendered, and
 * lists are rendered once every summary is made. Other pages are rendered
 * side by side, when a neighbour's summary may or may not be made yet: a
 * page asking for one then is rendered again after every summary is made
 * (render_page says so), or it would change from build to build. NULL
 * for now in that case. */
static const char *known_summary(render_state *st, const page_version *pv)
{
    if (pv == st->current || st->is_list || st->r->has_all_summaries) return pv->summary_html;
    st->needs_summaries = true;
    tpl_mark_provisional();
    return NULL;
}

/* The summary as plain text, for descriptions: computed once a render. */
static const char *summary_text(page_obj *o)
{
    if (!o->summary_text) {
        buf d = BUF_INIT;
        const char *h = known_summary(o->st, o->pv);
        if (!h) h = "";
        seo_plain_text(h, strlen(h), SEO_DESCRIPTION_CHARS, &d);
        o->summary_text = arena_strndup(o->st->a, buf_cstr(&d), d.len);
        buf_free(&d);
    }
    return o->summary_text;
}

/* The pages above pv that visitors can open, the top-level one first (a
 * page's way back up: "Наука › Локальная этическая комиссия"); not the
 * home page, which the site's title links to. */
static value *ancestors(render_state *st, const page_version *pv)
{
    arena *a = st->a;
    value *l = value_list(a);
    const page_version *up[64];
    size_t n = 0;
    for (const page *p = pv->page->parent; p && p->parent && n < sizeof up / sizeof up[0]; p = p->parent) {
        const page_version *v = p->v[pv->lang];
        if (v && v->published && v->routable && !v->has_error && !v->is_home) up[n++] = v;
    }
    while (n) list_push(a, l, page_value(st, up[--n]));
    return l;
}

/* Each address html links to (href="..."), without its last slash, into
 * m (keys in a): a page's text is read once however many pages it has
 * under it. */
static void collect_links(arena *a, const char *html, strmap *m)
{
    for (const char *p = html; (p = strstr(p, "href=\"")) != NULL;) {
        p += 6;
        size_t n = strcspn(p, "\"");
        strmap_put(m, arena_strndup(a, p, n && p[n - 1] == '/' ? n - 1 : n), (void *)1);
        p += n;
    }
}

/* Whether links (collect_links) has url, with or without its last slash. */
static bool has_link(arena *a, const strmap *links, const char *url)
{
    size_t n = strlen(url);
    return strmap_get(links, arena_strndup(a, url, n && url[n - 1] == '/' ? n - 1 : n)) != NULL;
}

/* What a plain page lists after its text (collection_subpages), so that
 * visitors can reach the pages under it (Grav's themes show them in
 * drop-down menus, or in a template of their own that folio does not
 * have: the center's "sections"); nothing when the page's own text
 * already links to every one of them. */
static value *subpages(render_state *st, const page_version *pv)
{
    arena *a = st->a;
    value *l = value_list(a);
    const page_version **v = arena_alloc(a, (pv->nitems + pv->page->nchildren + 1) * sizeof *v);
    size_t n = collection_subpages(pv, v);
    const char *text = pv == st->current ? st->content_html : NULL;
    bool all_linked = text != NULL && n > 0;
    if (all_linked) {
        strmap links = STRMAP_INIT;
        collect_links(a, text, &links);
        for (size_t i = 0; i < n && all_linked; i++)
            all_linked = has_link(a, &links, v[i]->external_url ? v[i]->external_url : v[i]->url);
        strmap_free(&links);
    }
    if (all_linked) return l;
    for (size_t i = 0; i < n; i++) list_push(a, l, page_value(st, v[i]));
    return l;
}

/* Grav's page metadata: the site's (site.yaml metadata:) with the page's
 * own (its header's metadata:) over it, one meta tag each, as
 * {attr: "name" | "property" | "http-equiv", name, content}: "og:..." a
 * property, "refresh" and the like http-equiv, the rest a name ("robots:
 * noindex", a search console's verification key). What the theme writes
 * itself (the description, Open Graph's title, type, url, image, locale
 * and site name, the Twitter card) is left out. */
static value *page_metadata(render_state *st, const page_version *pv, arena *a)
{
    static const char *const own[] = {"description",    "og:title",  "og:description", "og:type", "og:url",
                                      "og:image",       "og:locale", "og:site_name",   "twitter:card", NULL};
    const value *site_meta = value_path(st->r->s->config[pv->lang], "metadata");
    const value *page_meta = value_path(pv->header, "metadata");
    value *l = value_list(a);
    const value *sources[2] = {page_meta, site_meta};
    for (int k = 0; k < 2; k++) {
        const value *m = sources[k];
        if (!m || m->kind != V_MAP) continue;
        for (size_t i = 0; i < m->u.map.len; i++) {
            const char *name = m->u.map.items[i].key;
            const value *v = m->u.map.items[i].val;
            if (v->kind == V_MAP || v->kind == V_LIST || v->kind == V_NULL || !*name) continue;
            bool skip = k == 1 && page_meta && page_meta->kind == V_MAP && map_get(page_meta, name);
            for (int o = 0; own[o] && !skip; o++) skip = !strcasecmp(name, own[o]);
            if (skip) continue;
            value *tag = value_map(a);
            bool is_property = !strncmp(name, "og:", 3) || !strncmp(name, "article:", 8) || !strncmp(name, "fb:", 3);
            bool is_equiv = !strcasecmp(name, "refresh") || !strcasecmp(name, "content-language") ||
                            !strcasecmp(name, "x-ua-compatible");
            map_set(a, tag, "attr", value_cstr(a, is_property ? "property" : is_equiv ? "http-equiv" : "name"));
            map_set(a, tag, "name", value_cstr(a, name));
            map_set(a, tag, "content", value_cstr(a, value_to_cstr(a, v)));
            list_push(a, l, tag);
        }
    }
    return l;
}
static value *page_attr(page_obj *o, const char *key, int id, arena *a)
{
    const page_version *pv = o->pv;
    render_state *st = o->st;
    const site *s = st->r->s;
    (void)a;
    a = st->a;
    if (id == ATTR_TITLE) return site_str(a, pv->title);
    if (id == ATTR_MENU) return site_str(a, pv->menu);
    if (id == ATTR_METADATA) return page_metadata(st, pv, a);
    if (id == ATTR_URL) return site_str(a, pv->external_url ? pv->external_url : pv->url); /* Grav's url() */
    if (id == ATTR_ROUTE) return site_str(a, pv->is_home ? "/" : pv->route);
    if (id == ATTR_SLUG) return site_str(a, pv->slug);
    if (id == ATTR_DATE) return value_int(a, pv->date);
    if (id == ATTR_HEADER) return pv->header;
    if (id == ATTR_CONTENT) {
        if (pv == st->current && st->content_html) return safe_ref(a, st->content_html);
        if (pv->module_html) return safe_ref(a, pv->module_html);
        const char *summary = known_summary(st, pv);
        return safe_ref(a, summary ? summary : "");
    }
    if (id == ATTR_TITLE_IN_CONTENT) { /* Grav pages often begin "# Title": that is their h1 */
        const char *c = pv == st->current ? st->content_html : pv->module_html;
        while (c && (*c == ' ' || *c == '\n' || *c == '\t' || *c == '\r')) c++;
        return value_bool(c && !strncmp(c, "<h1", 3) && (c[3] == '>' || c[3] == ' '));
    }
    if (id == ATTR_SUMMARY) {
        const char *summary = known_summary(st, pv);
        return safe_ref(a, summary ? summary : "");
    }
    if (id == ATTR_HAS_MORE) return value_bool(known_summary(st, pv) && pv->has_more);
    if (id == ATTR_TEMPLATE) return site_str(a, pv->template_name);
    if (id == ATTR_LANG || id == ATTR_LANGUAGE) return value_cstr(a, s->langs[pv->lang]);
    /* The language of the text when it is another's, by fallback (a Russian
     * text on the English page): "" when it is the page's. */
    if (id == ATTR_CONTENT_LANG)
        return pv->file_lang && *pv->file_lang && strcmp(pv->file_lang, s->langs[pv->lang])
                   ? value_cstr(a, pv->file_lang)
                   : value_null();
    if (id == ATTR_VISIBLE) return value_bool(pv->visible);
    if (id == ATTR_PUBLISHED) return value_bool(pv->published);
    if (id == ATTR_ROUTABLE) return value_bool(pv->routable);
    if (id == ATTR_HOME) return value_bool(pv->is_home);
    if (id == ATTR_FOLDER) return site_str(a, pv->page->folder);
    if (id == ATTR_ID) return site_str(a, pv->page->rel);
    if (id == ATTR_PARENT) {
        const page *pp = pv->page->parent;
        return pp && pp->v[pv->lang] ? page_value(st, pp->v[pv->lang]) : value_null();
    }
    if (id == ATTR_SUBPAGES) return subpages(st, pv);
    if (id == ATTR_ANCESTORS) return ancestors(st, pv);
    if (id == ATTR_CHILDREN) {
        value *l = value_list(a);
        for (size_t i = 0; i < pv->nitems; i++) list_push(a, l, page_value(st, pv->items[i]));
        return l;
    }
    if (id == ATTR_PREV || id == ATTR_PREV_SIBLING)
        return pv->prev ? page_value(st, pv->prev) : value_null();
    if (id == ATTR_NEXT || id == ATTR_NEXT_SIBLING)
        return pv->next ? page_value(st, pv->next) : value_null();
    if (id == ATTR_MEDIA) {
        value *l = value_list(a);
        for (size_t i = 0; i < pv->page->nmedia; i++) {
            const media_file *m = &pv->page->media[i];
            value *mv = value_map(a);
            map_set(a, mv, "name", value_cstr(a, m->name));
            map_set(a, mv, "url", value_cstr(a, m->url));
            map_set(a, mv, "size", value_int(a, m->size));
            map_set(a, mv, "type", value_cstr(a, media_type(m->name)));
            buf label = BUF_INIT;
            file_size_label(&label, m->name, (unsigned long long)m->size, s->langs[pv->lang]);
            map_set(a, mv, "label", value_cstr(a, buf_cstr(&label)));
            buf_free(&label);
            list_push(a, l, mv);
        }
        return l;
    }
    if (id == ATTR_HEADER_IMAGE) {
        const media_file *m = header_media(pv);
        return m ? site_str(a, m->url) : value_null();
    }
    if (id == ATTR_HEADER_IMAGE_HTML) return header_image_html(st, pv, true);
    if (id == ATTR_HEADER_IMAGE_LAZY_HTML) return header_image_html(st, pv, false);
    /* Search engines and link previews (partials/metadata.html.twig). */
    if (id == ATTR_DESCRIPTION) {
        /* The author's own description first, as Grav's page metadata has it. */
        const char *own = value_path_str(pv->header, "metadata.description", NULL);
        if (!own) own = value_path_str(pv->header, "description", NULL);
        if (own && *own) return value_cstr(a, own);
        const char *t = summary_text(o);
        return value_cstr(a, *t ? t : site_config_str(s, pv->lang, "metadata.description", ""));
    }
    if (id == ATTR_ABSOLUTE_URL) {
        const char *ext = pv->external_url;
        if (ext && ext[0] != '/') return value_cstr(a, ext);
        return value_cstr(a, arena_cat(a, st->r->base_url, ext ? ext : pv->url, (char *)NULL));
    }
    if (id == ATTR_IMAGE_URL) {
        const media_file *m = seo_lead_image(pv);
        return m ? value_cstr(a, arena_cat(a, st->r->base_url, m->url, (char *)NULL)) : value_null();
    }
    if (id == ATTR_OG_LOCALE) return value_cstr(a, seo_og_locale(s->langs[pv->lang]));
    if (id == ATTR_OG_TYPE) return value_cstr(a, seo_is_post(pv) ? "article" : "website");
    if (id == ATTR_OG_LOCALE_ALTERNATES) {
        value *l = value_list(a);
        for (int k = 0; k < s->nlangs; k++) {
            const page_version *t = pv->page->v[k];
            if (k != pv->lang && t && t->published && t->routable) list_push(a, l, value_cstr(a, seo_og_locale(s->langs[k])));
        }
        return l;
    }
    if (id == ATTR_IS_POST) return value_bool(seo_is_post(pv));
    if (id == ATTR_JSON_LD) {
        const char *j = seo_json_ld(s, pv, st->r->base_url, known_summary(st, pv) ? summary_text(o) : NULL, a);
        return *j ? value_safe_str(a, j, strlen(j)) : value_null();
    }
    if (id == ATTR_TRANSLATIONS) {
        value *l = value_list(a);
        for (int k = 0; k < s->nlangs; k++) {
            const page_version *t = pv->page->v[k];
            if (!t || !t->published || !t->routable) continue;
            value *tv = value_map(a);
            map_set(a, tv, "lang", value_cstr(a, s->langs[k]));
            map_set(a, tv, "url", value_cstr(a, t->url));
            map_set(a, tv, "title", value_cstr(a, t->title));
            map_set(a, tv, "current", value_bool(k == pv->lang));
            list_push(a, l, tv);
        }
        return l;
    }
    /* Unknown attributes read the front matter, as Grav's page.header does. */
    return map_get(pv->header, key);
}

static bool is_costly_attr(int id)
{
    switch (id) {
    case ATTR_CONTENT: case ATTR_SUMMARY: case ATTR_DESCRIPTION: case ATTR_JSON_LD: case ATTR_TRANSLATIONS:
    case ATTR_OG_LOCALE_ALTERNATES: case ATTR_IMAGE_URL: case ATTR_HEADER_IMAGE:
    case ATTR_HEADER_IMAGE_HTML: case ATTR_HEADER_IMAGE_LAZY_HTML: return true;
    default: return false;
    }
}

static value *page_get(void *self, const char *key, arena *a)
{
    page_obj *o = self;
    int id = attr_id(key);
    bool costly = is_costly_attr(id);
    if (costly)
        for (int i = 0; i < o->nmemo; i++)
            if (o->memo_id[i] == id) return o->memo_val[i];
    value *v = page_attr(o, key, id, a);
    if (costly && o->nmemo < PAGE_MEMO_SLOTS) {
        o->memo_id[o->nmemo] = id;
        o->memo_val[o->nmemo++] = v;
    }
    return v;
}

static void page_write(void *self, buf *out)
{
    page_obj *o = self;
    buf_puts(out, o->pv->title);
}

/* The published page at an absolute route ("/news", "/news/",
 * "/" for home) in language lang; null when there is none. Pages that are
 * not published are not found: a template must not show a scheduled
 * post's title before its time. */
static value *find_page(render_state *st, int lang, const value *route, arena *a)
{
    if (route->kind != V_STRING || route->u.str.s[0] != '/') return value_null();
    size_t n = route->u.str.len;
    while (n > 1 && route->u.str.s[n - 1] == '/') n--;
    char *key = arena_strndup(a, route->u.str.s, n);
    const page_version *pv = site_find_route(st->r->s, lang, key);
    if (!pv || !pv->published || !pv->routable || pv->has_error) return value_null();
    return page_value(st, pv);
}

/* Grav's page methods that take arguments: find(route), url(true) for
 * the absolute URL. The rest read the attribute of that name. */
static value *page_call(void *self, const char *name, value **args, size_t nargs, arena *a)
{
    page_obj *o = self;
    (void)a;
    if (!strcmp(name, "find")) return find_page(o->st, o->pv->lang, args[0], o->st->a);
    if (!strcmp(name, "url") && nargs >= 1)
        return page_get(o, value_truthy(args[0]) ? "absolute_url" : "url", o->st->a);
    return NULL;
}

static const value_class page_class = {"page", page_get, NULL, page_write, page_call};

/* The `pages` global, Grav's page index: pages.find('/news'). */
typedef struct pages_obj {
    render_state *st;
    int lang;
} pages_obj;

static value *pages_call(void *self, const char *name, value **args, size_t nargs, arena *a)
{
    pages_obj *o = self;
    (void)nargs;
    (void)a;
    if (!strcmp(name, "find")) return find_page(o->st, o->lang, args[0], o->st->a);
    return NULL;
}

static const value_class pages_class = {"pages", NULL, NULL, NULL, pages_call};

static value *page_value(render_state *st, const page_version *pv)
{
    page_obj *o = arena_alloc(st->a, sizeof *o);
    o->pv = pv;
    o->st = st;
    o->nmemo = 0;
    o->summary_text = NULL;
    return value_object(st->a, &page_class, o);
}

/* ---- template loading and host filters --------------------------------- */

static char *load_template(void *ctx, const char *name, size_t *len)
{
    renderer *r = ctx;
    if (strstr(name, "..") || name[0] == '/') return NULL;
    /* A site's own template, never through a link out of its folder:
     * a link planted in the site (a git commit) must not read the
     * server's files into every page. */
    if (r->override_dir) {
        char *text = file_read_beneath(r->override_dir, name, len, 4 * 1024 * 1024);
        if (text) return text;
    }
    char full[512];
    snprintf(full, sizeof full, "templates/%s", name);
    const theme_file *f = theme_find(full);
    if (!f) return NULL;
    *len = f->size;
    return xstrndup(f->data, f->size);
}

typedef struct t_ud {
    renderer *r;
    int lang;
} t_ud;

/* {{ 'READ_MORE'|t }}: the UI string of the environment's language. The
 * site's languages/ come first; the theme's own languages.yaml fills in
 * what a site does not translate (a plain Grav site knows none of the
 * theme's keys), in the page's language, else in English. */
static value *filter_t(void *ud, arena *a, value *input, value **args, size_t nargs, diag_list *d)
{
    t_ud *u = ud;
    (void)args, (void)nargs, (void)d;
    const char *key = value_to_cstr(a, input);
    /* The site's strings hold the theme's in each language the theme has
     * (site_load); for another language the theme's English stands in. */
    const char *text = site_translate(u->r->s, u->lang, key);
    if (text == key && u->r->theme_strings) {
        value *v = map_get(map_get(u->r->theme_strings, "en"), key);
        if (v && v->kind == V_STRING) text = v->u.str.s;
    }
    return value_cstr(a, text);
}

/* Grav's markdown filter: {{ text|markdown }} is a block of HTML,
 * markdown(false) the same without the paragraph around a single line. */
static value *filter_markdown(void *ud, arena *a, value *input, value **args, size_t nargs, diag_list *d)
{
    (void)ud, (void)d;
    const char *text = value_to_cstr(a, input);
    bool is_block = nargs < 1 || value_truthy(args[0]);
    markdown_options mo = {0};
    buf out = BUF_INIT;
    if (markdown_render(text, strlen(text), &mo, &out) < 0) buf_truncate(&out, 0);
    const char *html = buf_cstr(&out);
    size_t len = out.len;
    while (len && html[len - 1] == '\n') len--;
    if (!is_block && len >= 7 && !strncmp(html, "<p>", 3) && !strncmp(html + len - 4, "</p>", 4) &&
        !memmem(html + 3, len - 7, "<p>", 3)) {
        html += 3;
        len -= 7;
    }
    value *v = value_safe_str(a, html, len);
    buf_free(&out);
    return v;
}

/* HTML cut after length (args[0], else dflt) characters of text, or
 * words, its elements closed and args[1] (else "...") put at the end, as
 * Grav's Truncator cuts it (and summaries). */
static value *truncate_filter(arena *a, value *input, value **args, size_t nargs, long long dflt, bool words)
{
    const char *html = value_to_cstr(a, input);
    long long length = dflt;
    if (nargs >= 1 && args[0]->kind == V_INT) length = args[0]->u.i;
    else if (nargs >= 1 && args[0]->kind == V_FLOAT) length = (long long)args[0]->u.f;
    const char *ellipsis = nargs >= 2 ? value_to_cstr(a, args[1]) : "...";
    size_t n = length > 0 ? (size_t)length : 0;
    buf out = BUF_INIT;
    if (words) summary_truncate_html_words(html, strlen(html), n, ellipsis, &out);
    else summary_truncate_html_with(html, strlen(html), n, ellipsis, &out);
    value *v = value_safe_str(a, buf_cstr(&out), out.len);
    buf_free(&out);
    return v;
}

/* Grav's truncate_html(length = 100, ellipsis = "..."): characters. */
static value *filter_truncate_html(void *ud, arena *a, value *input, value **args, size_t nargs, diag_list *d)
{
    (void)ud, (void)d;
    return truncate_filter(a, input, args, nargs, 100, false);
}

/* Grav's safe_truncate_html(length = 25, ellipsis = "..."): words. */
static value *filter_safe_truncate_html(void *ud, arena *a, value *input, value **args, size_t nargs, diag_list *d)
{
    (void)ud, (void)d;
    return truncate_filter(a, input, args, nargs, 25, true);
}

/* headings_from(level): a summary's headings moved down below a card's
 * title (summary_headings_from); folio's own. */
static value *filter_headings_from(void *ud, arena *a, value *input, value **args, size_t nargs, diag_list *d)
{
    (void)ud, (void)d;
    const char *html = value_to_cstr(a, input);
    long long level = nargs > 0 && args[0]->kind == V_INT ? args[0]->u.i : 3;
    buf out = BUF_INIT;
    value *v;
    if (summary_headings_from(html, strlen(html), (int)level, &out)) v = value_safe_str(a, buf_cstr(&out), out.len);
    else v = input->kind == V_STRING && input->is_safe ? input : value_safe_str(a, html, strlen(html));
    buf_free(&out);
    return v;
}

static void load_theme_strings(renderer *r, diag_list *d)
{
    const theme_file *f = theme_find("languages.yaml");
    if (!f) return;
    value *v = yaml_load(&r->arena, f->data, f->size, "theme/languages.yaml", 1, d);
    if (v && v->kind == V_MAP) r->theme_strings = v;
}

static value *build_site_value(renderer *r, int lang)
{
    const site *s = r->s;
    arena *a = &r->arena;
    value *v = value_map(a);
    map_set(a, v, "title", value_cstr(a, site_title(s, lang)));
    map_set(a, v, "description", value_cstr(a, site_config_str(s, lang, "metadata.description", "")));
    map_set(a, v, "footer", value_cstr(a, site_config_str(s, lang, "footer", "")));
    map_set(a, v, "url", value_cstr(a, site_config_str(s, lang, "url", "")));
    map_set(a, v, "lang", value_cstr(a, s->langs[lang]));
    map_set(a, v, "default_lang", value_cstr(a, s->langs[s->default_lang]));
    map_set(a, v, "config", s->config[lang]);
    value *langs = value_list(a);
    for (int k = 0; k < s->nlangs; k++) list_push(a, langs, value_cstr(a, s->langs[k]));
    map_set(a, v, "languages", langs);
    /* Menu: visible, published top-level pages in folder order. */
    value *menu = value_list(a);
    for (size_t i = 0; i < s->root->nchildren; i++) {
        const page_version *pv = s->root->children[i]->v[lang];
        if (!pv || !pv->published || !pv->routable || !pv->visible) continue;
        value *m = value_map(a);
        map_set(a, m, "title", value_cstr(a, pv->menu));
        map_set(a, m, "url", value_cstr(a, pv->external_url ? pv->external_url : pv->url));
        map_set(a, m, "route", value_cstr(a, pv->is_home ? "/" : pv->route));
        map_set(a, m, "is_external", value_bool(pv->external_url && pv->external_url[0] != '/'));
        list_push(a, menu, m);
    }
    map_set(a, v, "menu", menu);
    map_set(a, v, "home_url", value_cstr(a, arena_printf(a, "%s/", site_lang_prefix(s, lang))));
    return v;
}

static void load_assets(renderer *r)
{
    const char *prefix = "assets/";
    size_t pl = strlen(prefix), n = 0;
    for (const theme_file *f = theme_files; f->name; f++)
        if (!strncmp(f->name, prefix, pl)) n++;
    r->assets = arena_zalloc(&r->arena, (n + 1) * sizeof *r->assets);
    char *override = path_join(r->s->user_dir, "themes/folio");
    for (const theme_file *f = theme_files; f->name; f++) {
        if (strncmp(f->name, prefix, pl) != 0) continue;
        theme_asset *a = &r->assets[r->nassets++];
        a->name = f->name + pl;
        a->data = f->data;
        a->size = f->size;
        size_t len;
        char *text = file_read_beneath(override, f->name, &len, 8 * 1024 * 1024);
        if (text) {
            a->data = arena_strndup(&r->arena, text, len);
            a->size = len;
            free(text);
        }
        /* "style.css" -> "theme/style.<hash>.css" */
        unsigned long long h = strmap_hash(a->data, a->size);
        const char *dot = strrchr(a->name, '.');
        size_t stem = dot ? (size_t)(dot - a->name) : strlen(a->name);
        a->out_path = arena_printf(&r->arena, "theme/%.*s.%08llx%s", (int)stem, a->name, h & 0xffffffffULL,
                                   dot ? dot : "");
    }
    free(override);
}

void renderer_forget_fragments(renderer *r)
{
    for (int l = 0; l < r->s->nlangs; l++) tpl_env_forget_fragments(r->env[l]);
}

void renderer_summaries_made(renderer *r)
{
    r->has_all_summaries = true;
}

void renderer_set_base_url(renderer *r, const char *base_url)
{
    r->base_url = arena_strdup(&r->arena, base_url ? base_url : "");
}

void renderer_set_header_images(renderer *r, render_header_image_fn fn, void *user)
{
    r->header_image_fn = fn;
    r->header_image_user = user;
}

const theme_asset *renderer_assets(const renderer *r, size_t *count)
{
    *count = r->nassets;
    return r->assets;
}

void render_file_note(renderer *r, const page_version *pv, const media_file *m, buf *out)
{
    buf label = BUF_INIT;
    file_size_label(&label, m->name, (unsigned long long)m->size, r->s->langs[pv->lang]);
    buf_puts(out, " <span class=\"file-label\">(");
    buf_add_html(out, label.s, label.len);
    buf_puts(out, ")</span>");
    buf_free(&label);
}

static value *fn_asset(void *ud, arena *a, value *input, value **args, size_t nargs, diag_list *d)
{
    renderer *r = ud;
    (void)input;
    const char *name = nargs ? value_to_cstr(a, args[0]) : "";
    for (size_t i = 0; i < r->nassets; i++)
        if (!strcmp(r->assets[i].name, name)) return value_cstr(a, arena_cat(a, "/", r->assets[i].out_path, (char *)NULL));
    if (d) diag_add(d, DIAG_WARNING, NULL, 0, 0, "asset('%s'): the theme has no such file", name);
    return value_null();
}

renderer *renderer_new(const site *s, diag_list *d)
{
    renderer *r = xcalloc(1, sizeof *r);
    r->s = s;
    r->base_url = seo_base_url(s, NULL, &r->arena);
    char *ov = path_join(s->user_dir, "themes/folio/templates");
    if (path_is_dir(ov)) r->override_dir = arena_strdup(&r->arena, ov);
    free(ov);
    load_assets(r);
    load_theme_strings(r, d);
    for (int l = 0; l < s->nlangs; l++) {
        r->lang_names[l] = lang_native_name(s->langs[l]);
        if (!r->lang_names[l]) { /* a code folio does not know: itself, in capitals */
            char *up = arena_strdup(&r->arena, s->langs[l]);
            for (char *c = up; *c; c++)
                if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
            r->lang_names[l] = up;
        }
    }
    for (int l = 0; l < s->nlangs; l++) {
        r->env[l] = tpl_env_new(load_template, r);
        tpl_env_set_lang(r->env[l], s->langs[l]);
        tpl_env_set_strict_functions(r->env[l], false);
        t_ud *ud = arena_alloc(&r->arena, sizeof *ud);
        ud->r = r;
        ud->lang = l;
        tpl_env_add_pure_filter(r->env[l], "t", filter_t, ud, false);
        tpl_env_add_pure_filter(r->env[l], "markdown", filter_markdown, NULL, true);
        tpl_env_add_pure_filter(r->env[l], "truncate_html", filter_truncate_html, NULL, true);
        tpl_env_add_pure_filter(r->env[l], "safe_truncate_html", filter_safe_truncate_html, NULL, true);
        tpl_env_add_pure_filter(r->env[l], "headings_from", filter_headings_from, NULL, true);
        tpl_env_add_function(r->env[l], "asset", fn_asset, r, false);
        r->site_values[l] = build_site_value(r, l);
    }
    (void)d;
    return r;
}

void renderer_free(renderer *r)
{
    if (!r) return;
    for (int l = 0; l < r->s->nlangs; l++) tpl_env_free(r->env[l]);
    arena_free(&r->arena);
    free(r);
}

static value *latest_posts(render_state *st, int lang)
{
    const site *s = st->r->s;
    value *l = value_list(st->a);
    const page_version *blog = site_news(s, lang);
    if (!blog) return l;
    for (size_t i = 0; i < blog->nitems && i < LATEST_COUNT; i++) list_push(st->a, l, page_value(st, blog->items[i]));
    return l;
}

/* The language switcher: this page in the other languages, else their home. */
static value *site_languages(render_state *st, int lang, const page_version *pv)
{
    const site *s = st->r->s;
    arena *a = st->a;
    value *langs = value_list(a);
    for (int k = 0; k < s->nlangs; k++) {
        const page_version *t = pv ? pv->page->v[k] : NULL;
        value *m = value_map(a);
        map_set(a, m, "code", value_cstr(a, s->langs[k]));
        map_set(a, m, "name", value_cstr(a, st->r->lang_names[k]));
        bool has = t && t->published && t->routable;
        map_set(a, m, "url", value_cstr(a, has ? t->url : arena_cat(a, site_lang_prefix(s, k), "/", (char *)NULL)));
        map_set(a, m, "has_page", value_bool(has));
        map_set(a, m, "current", value_bool(k == lang));
        list_push(a, langs, m);
    }
    return langs;
}

/* The menu with the entry of this page (or of its section) active. */
static value *site_menu(render_state *st, int lang, const page_version *pv)
{
    arena *a = st->a;
    value *menu = value_list(a);
    value *bm = map_get(st->r->site_values[lang], "menu");
    for (size_t i = 0; i < bm->u.list.len; i++) {
        value *e = value_copy(a, bm->u.list.items[i]);
        const char *route = value_path_str(e, "route", "");
        bool active = false;
        if (pv) {
            const char *pr = pv->is_home ? "/" : pv->route;
            size_t rl = strlen(route);
            active = !strcmp(pr, route) || (rl > 1 && !strncmp(pr, route, rl) && pr[rl] == '/');
        }
        map_set(a, e, "active", value_bool(active));
        list_push(a, menu, e);
    }
    return menu;
}

/* Feeds: a list's own, or the list a post belongs to. */
static value *site_feeds(render_state *st, int lang, const page_version *pv)
{
    const site *s = st->r->s;
    arena *a = st->a;
    value *feeds = value_list(a);
    const page_version *list = NULL;
    if (pv && feeds_is_list(pv)) list = pv;
    else if (pv && seo_is_post(pv)) list = pv->page->parent->v[pv->lang];
    if (list && list->published && list->routable && *st->r->base_url) {
        const char *kinds[][2] = {{"application/rss+xml", "RSS"}, {"application/atom+xml", "Atom"}};
        for (int k = 0; k < 2; k++) {
            value *f = value_map(a);
            map_set(a, f, "type", value_cstr(a, kinds[k][0]));
            map_set(a, f, "title", value_cstr(a, arena_printf(a, "%s: %s (%s)", site_title(s, lang),
                                                              list->title, kinds[k][1])));
            const char *u = k == 0 ? feeds_rss_url(list, a) : feeds_atom_url(list, a);
            map_set(a, f, "url", value_cstr(a, arena_cat(a, st->r->base_url, u, (char *)NULL)));
            list_push(a, feeds, f);
        }
    }
    return feeds;
}

/* `site` as templates see it: the language's values built once (title,
 * config, ...) plus what depends on the page (language switcher, active
 * menu entry, latest posts, feeds), each made when a template first asks
 * for it rather than copied into a new map for every page. */
enum { SITE_LANGUAGES, SITE_MENU, SITE_LATEST, SITE_FEEDS, SITE_URL, SITE_PER_PAGE };
static const char *const site_per_page[SITE_PER_PAGE] = {"languages", "menu", "latest", "feeds", "url"};

typedef struct site_obj {
    render_state *st;
    int lang;
    const page_version *pv;
    value *memo[SITE_PER_PAGE];
    value *whole; /* as a map, for iteration and json_encode */
} site_obj;

static value *site_part(site_obj *o, int part)
{
    if (o->memo[part]) return o->memo[part];
    render_state *st = o->st;
    value *v = NULL;
    switch (part) {
    case SITE_LANGUAGES: v = site_languages(st, o->lang, o->pv); break;
    case SITE_MENU: v = site_menu(st, o->lang, o->pv); break;
    case SITE_LATEST: v = latest_posts(st, o->lang); break;
    case SITE_FEEDS: v = site_feeds(st, o->lang, o->pv); break;
    default: v = value_cstr(st->a, st->r->base_url); break;
    }
    return o->memo[part] = v;
}

static value *site_get(void *self, const char *key, arena *a)
{
    site_obj *o = self;
    (void)a;
    for (int i = 0; i < SITE_PER_PAGE; i++)
        if (!strcmp(key, site_per_page[i])) return site_part(o, i);
    if (!strcmp(key, "base_url")) return site_part(o, SITE_URL);
    return map_get(o->st->r->site_values[o->lang], key);
}

static value *site_to_value(void *self, arena *a)
{
    site_obj *o = self;
    (void)a;
    if (o->whole) return o->whole;
    arena *m = o->st->a;
    value *base = o->st->r->site_values[o->lang];
    value *v = value_map(m);
    for (size_t i = 0; i < base->u.map.len; i++) map_set(m, v, base->u.map.items[i].key, base->u.map.items[i].val);
    map_set(m, v, "languages", site_part(o, SITE_LANGUAGES));
    map_set(m, v, "menu", site_part(o, SITE_MENU));
    map_set(m, v, "latest", site_part(o, SITE_LATEST));
    map_set(m, v, "url", site_part(o, SITE_URL));
    map_set(m, v, "base_url", site_part(o, SITE_URL));
    map_set(m, v, "feeds", site_part(o, SITE_FEEDS));
    return o->whole = v;
}

static const value_class site_class = {"site", site_get, site_to_value, NULL, NULL};

static value *site_for_page(render_state *st, int lang, const page_version *pv)
{
    site_obj *o = arena_zalloc(st->a, sizeof *o);
    o->st = st;
    o->lang = lang;
    o->pv = pv;
    return value_object(st->a, &site_class, o);
}


/* The page links of a list: the first, the last and the current page
 * with its neighbours, and {gap: true} where numbers are skipped. A
 * window, not every page, so that each of a long list's pages costs the
 * same to render. */
static value *pagination_window(arena *a, const page_version *pv, size_t current, size_t total)
{
    value *pages = value_list(a);
    size_t lo = current > PAGINATION_NEIGHBOURS + 1 ? current - PAGINATION_NEIGHBOURS : 1;
    size_t hi = current + PAGINATION_NEIGHBOURS < total ? current + PAGINATION_NEIGHBOURS : total;
    size_t last_shown = 0;
    for (size_t n = 1; n <= total; n++) {
        if (n != 1 && n != total && (n < lo || n > hi)) continue;
        if (last_shown && n > last_shown + 1) {
            value *gap = value_map(a);
            map_set(a, gap, "gap", value_bool(true));
            list_push(a, pages, gap);
        }
        value *e = value_map(a);
        map_set(a, e, "number", value_int(a, (long long)n));
        map_set(a, e, "url", value_cstr(a, site_list_page_url(a, pv, n)));
        map_set(a, e, "current", value_bool(n == current));
        list_push(a, pages, e);
        last_shown = n;
        /* jump over the hidden middle instead of walking it */
        if (n == 1 && lo > 2) n = lo - 1;
        else if (n == hi && hi + 1 < total) n = total - 1;
    }
    return pages;
}

/* What every page's templates see: page, site and lang. */
static value *page_context(render_state *st, const page_version *pv)
{
    value *ctx = value_map(st->a);
    map_set(st->a, ctx, "page", page_value(st, pv));
    map_set(st->a, ctx, "site", site_for_page(st, pv->lang, pv));
    map_set(st->a, ctx, "lang", value_cstr(st->a, st->r->s->langs[pv->lang]));
    pages_obj *po = arena_alloc(st->a, sizeof *po);
    *po = (pages_obj){st, pv->lang};
    map_set(st->a, ctx, "pages", value_object(st->a, &pages_class, po));
    return ctx;
}

int render_page(renderer *r, const page_version *pv, const char *content_html, size_t list_page, buf *out,
                diag_list *d)
{
    arena a = ARENA_INIT;
    render_state st = {r, pv, content_html, &a, list_page != 0, false};
    /* A render that may have to be done again reports into a list of its
     * own, kept only if it is not. */
    bool may_repeat = !r->has_all_summaries && !list_page;
    diag_list mine;
    diag_list *rd = d;
    if (may_repeat) {
        diag_init(&mine);
        rd = &mine;
    }
    size_t start = out->len;
    /* The page is its content plus some 10 KB of frame: one allocation
     * instead of a series of doublings and copies. */
    buf_grow(out, (content_html ? strlen(content_html) : 0) + 16384);
    value *ctx = page_context(&st, pv);
    if (list_page) {
        size_t per = pv->per_page ? pv->per_page : pv->nitems;
        size_t total = per ? (pv->nitems + per - 1) / per : 1;
        if (total == 0) total = 1;
        size_t first = (list_page - 1) * per;
        value *items = value_list(&a);
        for (size_t i = first; i < pv->nitems && i < first + per; i++) list_push(&a, items, page_value(&st, pv->items[i]));
        map_set(&a, ctx, "collection", items);
        value *pg = value_map(&a);
        map_set(&a, pg, "current", value_int(&a, (long long)list_page));
        map_set(&a, pg, "total", value_int(&a, (long long)total));
        map_set(&a, pg, "prev_url",
                list_page > 1 ? value_cstr(&a, site_list_page_url(&a, pv, list_page - 1)) : value_null());
        map_set(&a, pg, "next_url",
                list_page < total ? value_cstr(&a, site_list_page_url(&a, pv, list_page + 1)) : value_null());
        map_set(&a, pg, "pages", pagination_window(&a, pv, list_page, total));
        map_set(&a, ctx, "pagination", pg);
    }
    tpl_env *env = r->env[pv->lang];
    char name[256];
    snprintf(name, sizeof name, "%s.html.twig", site_shown_template(r->s, pv));
    int rc = tpl_render(env, name, ctx, out, rd);
    arena_free(&a);
    if (may_repeat) {
        if (st.needs_summaries) {
            buf_truncate(out, start);
            rc = RENDER_AGAIN;
        } else {
            diag_append(d, &mine);
        }
        diag_free(&mine);
    }
    return rc;
}

int render_not_found(renderer *r, int lang, buf *out, diag_list *d)
{
    arena a = ARENA_INIT;
    render_state st = {r, NULL, NULL, &a, false, false};
    value *ctx = value_map(&a);
    map_set(&a, ctx, "site", site_for_page(&st, lang, NULL));
    map_set(&a, ctx, "lang", value_cstr(&a, r->s->langs[lang]));
    int rc = tpl_render(r->env[lang], "error.html.twig", ctx, out, d);
    arena_free(&a);
    return rc;
}

int render_content_twig(renderer *r, const page_version *pv, const char *text, size_t len, buf *out, diag_list *d)
{
    arena a = ARENA_INIT;
    render_state st = {r, pv, NULL, &a, false, false};
    value *ctx = page_context(&st, pv);
    int rc = tpl_render_string(r->env[pv->lang], pv->file, text, len, ctx, out, d);
    arena_free(&a);
    return rc;
}
