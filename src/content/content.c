/* content.c - from a page file to content and summary HTML. */
#include "content/content.h"
#include "lib/url.h"
#include "content/frontmatter.h"
#include "content/markdown.h"
#include "content/player.h"
#include "content/shortcode.h"
#include "content/summary.h"
#include "content/plugin_link.h"
#include "content/toc.h"
#include "content/youtube.h"
#include "lib/html_tag.h"
#include "lib/spell.h"
#include "content/content_twig.h"
#include "lib/files.h"

#include <errno.h>
#include <md4c.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


const media_file *content_find_media(const page *pg, const char *name)
{
    for (size_t i = 0; i < pg->nmedia; i++)
        if (!strcmp(pg->media[i].name, name)) return &pg->media[i];
    return NULL;
}

static bool has_scheme(const char *u)
{
    const char *p = u;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '+' ||
           *p == '-' || *p == '.')
        p++;
    return p > u && *p == ':';
}


static char *percent_decode(arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    url_percent_decode(out, s, n);
    return out;
}

/* rel/path with "." and ".." applied, relative to user/pages; NULL when
 * it climbs out of it. */
static char *folder_path(arena *a, const char *rel, const char *path)
{
    size_t n = path[0] == '/' ? 0 : strlen(rel);
    char *out = arena_alloc(a, n + strlen(path) + 2);
    memcpy(out, rel, n);
    for (const char *p = path; *p;) {
        while (*p == '/') p++;
        const char *seg = p;
        while (*p && *p != '/') p++;
        size_t sl = (size_t)(p - seg);
        if (sl == 0 || (sl == 1 && seg[0] == '.')) continue;
        if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            if (n == 0) return NULL;
            while (n && out[n - 1] != '/') n--; /* drop the last segment, */
            if (n) n--;                         /* and the slash before it */
            continue;
        }
        if (n) out[n++] = '/';
        memcpy(out + n, seg, sl);
        n += sl;
    }
    out[n] = 0;
    return out;
}

/* The published version in pv's language of the page whose folder is rel. */
static const page_version *published_at(const site *s, const page_version *pv, const char *rel)
{
    const page *p = site_find_folder(s, rel);
    const page_version *t = p ? p->v[pv->lang] : NULL;
    return t && t->published && t->routable ? t : NULL;
}

/* Grav's folder links: "../01.quotes" (from the page's own folder) or
 * "/02.news/01.quotes" (from user/pages) name a page by its folder, order
 * prefix and all, and "../01.quotes/file.pdf" a file in it. Only a page
 * published in this language is linked to, and only its files. Either
 * *to is set, or *file with the version of its page in *owner; false when
 * path names neither. */
static bool find_by_folder(const site *s, const page_version *pv, const char *path, arena *a,
                           const page_version **to, const media_file **file, const page_version **owner)
{
    *to = *owner = NULL;
    *file = NULL;
    char *rel = folder_path(a, pv->page->rel, path);
    if (!rel || !*rel) return false;
    if (site_find_folder(s, rel)) return (*to = published_at(s, pv, rel)) != NULL;
    char *slash = strrchr(rel, '/');
    if (!slash) return false;
    *slash = 0;
    *owner = published_at(s, pv, rel);
    *file = *owner ? content_find_media((*owner)->page, slash + 1) : NULL;
    return *file != NULL;
}

const media_file *content_folder_media(const site *s, const page_version *pv, const char *path, arena *a,
                                       const page **pg)
{
    const page_version *to, *owner;
    const media_file *m;
    if (!find_by_folder(s, pv, path, a, &to, &m, &owner) || !m) return NULL;
    *pg = owner->page;
    return m;
}

/* Grav's taxonomy filter of a list, "/news/category:events": the list's
 * filter page (build.c makes one for every term its posts carry), when
 * one of the list's posts has the term. */
static const char *resolve_filter(const site *s, int lang, const char *route, const char *fragment, arena *a)
{
    const char *last = strrchr(route, '/');
    const char *colon = last ? strchr(last, ':') : NULL;
    if (!colon || colon == last + 1 || !colon[1] || !strncmp(last + 1, "page:", 5)) return NULL;
    const char *list_route = last == route ? "/" : arena_strndup(a, route, (size_t)(last - route));
    const page_version *list = site_find_route(s, lang, list_route);
    if (!list || !list->nitems) return NULL;
    const char *type = arena_strndup(a, last + 1, (size_t)(colon - last - 1));
    bool found = false;
    for (size_t i = 0; i < list->nitems && !found; i++) found = site_has_term(list->items[i], type, colon + 1);
    if (!found) return NULL;
    buf url = BUF_INIT;
    buf_puts(&url, list->url);
    url_encode_unsafe(&url, last + 1, strlen(last + 1));
    buf_putc(&url, '/');
    if (fragment) buf_puts(&url, fragment);
    const char *out = arena_strdup(a, buf_cstr(&url));
    buf_free(&url);
    return out;
}

const char *content_stream_address(const site *s, const char *url, arena *a)
{
    char first = (char)(url[0] | 0x20); /* most addresses are http(s): */
    if (first != 'i' && first != 'u' && first != 't') return NULL;
    if (!strncasecmp(url, "image://", 8)) return arena_printf(a, "/user/images/%s", url + 8);
    if (!strncasecmp(url, "user://", 7)) return arena_printf(a, "/user/%s", url + 7);
    const char *theme = value_path_str(s->system, "pages.theme", NULL);
    if (!strncasecmp(url, "theme://", 8) && theme && *theme && !strchr(theme, '/') && !strstr(theme, ".."))
        return arena_printf(a, "/user/themes/%s/%s", theme, url + 8);
    return NULL;
}

const char *content_resolve_link(const site *s, const page_version *pv, const char *url, arena *a)
{
    if (has_scheme(url)) {
        const char *stream = content_stream_address(s, url, a);
        if (stream) return stream;
    }
    if (!*url || url[0] == '#' || has_scheme(url) || url[0] == '?' || !strncmp(url, "//", 2)) return NULL;
    size_t pathlen = strcspn(url, "?#");
    const char *rest = url + pathlen; /* query and fragment */
    const char *fragment = strchr(rest, '#');
    /* A page's link keeps its query ("/contacts?branch=2"), as Grav's
     * links do once the link attributes are taken from it; a file's
     * address is the file's. */
    size_t qlen = *rest == '?' ? (size_t)((fragment ? fragment : rest + strlen(rest)) - rest) : 0;
    if (qlen) fragment = arena_printf(a, "%.*s%s", (int)qlen, rest, fragment ? fragment : "");
    char *path = percent_decode(a, url, pathlen);

    /* A file in the page's own folder. */
    if (!strchr(path, '/')) {
        const media_file *m = content_find_media(pv->page, path);
        if (m) return m->url;
    }
    /* A page or a file named by its folder, as Grav looks first. */
    const page_version *to, *owner;
    const media_file *file;
    if (find_by_folder(s, pv, path, a, &to, &file, &owner))
        return file ? file->url : fragment ? arena_printf(a, "%s%s", to->url, fragment) : to->url;
    /* A page: absolute routes as they are, relative ones against this page
     * (Grav resolves "../x" from the page itself, as if it were a folder). */
    buf route = BUF_INIT;
    const char *segs[128];
    size_t nseg = 0;
    char *work;
    if (path[0] == '/') {
        work = arena_strdup(a, path);
    } else {
        work = arena_printf(a, "%s/%s", pv->route, path);
    }
    char *save = NULL;
    for (char *t = strtok_r(work, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (!strcmp(t, ".")) continue;
        if (!strcmp(t, "..")) {
            if (nseg) nseg--;
            continue;
        }
        if (nseg < 128) segs[nseg++] = t;
    }
    for (size_t i = 0; i < nseg; i++) {
        buf_putc(&route, '/');
        buf_puts(&route, segs[i]);
    }
    if (!nseg) buf_putc(&route, '/');
    const char *result = NULL;
    /* A language prefix in an absolute link selects that language. */
    int lang = pv->lang;
    const char *r = buf_cstr(&route);
    if (nseg && path[0] == '/') {
        int l = site_lang_index(s, segs[0]);
        if (l >= 0) {
            lang = l;
            r = strchr(r + 1, '/') ? strchr(r + 1, '/') : "/";
        }
    }
    page_version *target = site_find_route(s, lang, r);
    if (!target && s->lowercase_urls) { /* "/About-Us": Grav finds it in small letters */
        char *lower = arena_alloc(a, strlen(r) + 1);
        spell_fold(r, lower);
        target = site_find_route(s, lang, lower);
    }
    if (!target) { /* "/ru/news/post.html": Grav strips a page type's extension from a URL */
        size_t n = strlen(r);
        size_t ext = n > 5 && !strcmp(r + n - 5, ".html") ? 5 : n > 4 && !strcmp(r + n - 4, ".htm") ? 4 : 0;
        if (ext && r[n - ext - 1] != '/') target = site_find_route(s, lang, arena_strndup(a, r, n - ext));
    }
    if (target) result = fragment ? arena_printf(a, "%s%s", target->url, fragment) : target->url;
    else result = resolve_filter(s, lang, r, fragment, a);
    buf_free(&route);
    return result;
}

typedef struct hook_ctx {
    const site *s;
    const page_version *pv;
    const content_options *opt;
    arena scratch;
} hook_ctx;

static bool rewrite_url(void *user, const char *url, size_t len, bool is_image, buf *out)
{
    hook_ctx *h = user;
    (void)len;
    (void)is_image;
    const char *r = content_resolve_link(h->s, h->pv, url, &h->scratch);
    if (!r) return false;
    buf_puts(out, r);
    return true;
}

/* Whether text (a link's rendered content) says a file's type or size
 * already: its extension as a word ("PDF"), or a size ("1.2 MB", "340
 * КБ"), in any case. */
static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static bool says_type_or_size(const char *text, size_t len, const char *ext)
{
    static const char *const units[] = {"kb", "mb", "gb", "\xd0\xba\xd0\xb1", "\xd0\xbc\xd0\xb1",
                                        "\xd0\x9a\xd0\x91", "\xd0\x9c\xd0\x91", "\xd0\x9a\xd0\xb1",
                                        "\xd0\x9c\xd0\xb1"};
    const unsigned char *t = (const unsigned char *)text;
    size_t el = ext ? strlen(ext) : 0;
    for (size_t i = 0; el && i + el <= len; i++)
        if ((i == 0 || !is_word_byte(t[i - 1])) && (i + el == len || !is_word_byte(t[i + el])) &&
            !strncasecmp(text + i, ext, el))
            return true;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t ul = strlen(units[u]);
        for (size_t i = 1; i + ul <= len; i++) {
            size_t d = t[i - 1] == ' ' && i >= 2 ? i - 2 : i - 1; /* "1.2 MB" or "1.2MB" */
            if (t[d] >= '0' && t[d] <= '9' && (i + ul == len || !is_word_byte(t[i + ul])) &&
                !strncasecmp(text + i, units[u], ul))
                return true;
        }
    }
    return false;
}

static void link_note(void *user, const char *url, const char *text, size_t text_len, buf *out)
{
    hook_ctx *h = user;
    if (!h->opt || !h->opt->file_note || !*url || url[0] == '#' || has_scheme(url) || !strncmp(url, "//", 2)) return;
    size_t pathlen = strcspn(url, "?#");
    char *name = percent_decode(&h->scratch, url, pathlen);
    const media_file *m = NULL;
    if (!strchr(name, '/')) {
        m = content_find_media(h->pv->page, name);
    } else {
        const page_version *to, *owner;
        find_by_folder(h->s, h->pv, name, &h->scratch, &to, &m, &owner);
    }
    if (!m || media_is_image(m->name)) return;
    const char *dot = strrchr(m->name, '.');
    if (says_type_or_size(text, text_len, dot && dot[1] ? dot + 1 : NULL)) return;
    h->opt->file_note(h->opt->user, h->pv, m, out);
}

static bool poster_of(void *user, const media_file *photo, buf *url)
{
    hook_ctx *h = user;
    return h->opt && h->opt->poster && h->opt->poster(h->opt->user, h->pv, photo, url);
}

static bool render_image(void *user, const markdown_image *img, buf *out)
{
    hook_ctx *h = user;
    size_t pathlen = strcspn(img->src, "?#");
    if (has_scheme(img->src) || !strncmp(img->src, "//", 2)) return false;
    char *name = percent_decode(&h->scratch, img->src, pathlen);
    const media_file *m = NULL;
    if (!strchr(name, '/')) {
        m = content_find_media(h->pv->page, name);
    } else { /* a photo in another page's folder: "../01.event/photo.jpg" */
        const page_version *to, *owner;
        find_by_folder(h->s, h->pv, name, &h->scratch, &to, &m, &owner);
    }
    if (!m) return false;
    const char *query = img->src[pathlen] == '?' ? img->src + pathlen + 1 : "";
    player_poster pp = {poster_of, h};
    if (player_markup(h->pv->page, m, h->s->langs[h->pv->lang], query, img->alt, img->title, &pp, out)) return true;
    if (!h->opt || !h->opt->render_image) return false;
    return h->opt->render_image(h->opt->user, h->pv, m, query, img->alt, img->title, out);
}

int content_render(const site *s, const page_version *pv, const content_options *opt, buf *content_html,
                   buf *summary_html, bool *has_more, diag_list *d)
{
    page_source src = {0};
    src.text = site_read_source(pv, &src.len, &src.controls);
    if (!src.text) {
        diag_add(d, DIAG_ERROR, pv->file, 0, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    /* The loader parsed (and reported) the header already. */
    frontmatter_find_body(&src);
    int rc = content_render_source(s, pv, &src, opt, content_html, summary_html, has_more, d);
    free(src.text);
    return rc;
}

/* ---- Grav's page-inject plugin ------------------------------------------ */

/* How deep pages injected into pages go, and the pages being injected
 * into: a page that injects itself, or one it is injected into, is shown
 * as the link. */
#define MAX_INJECT_DEPTH 3
static _Thread_local int inject_depth;
static _Thread_local const page_version *inject_chain[MAX_INJECT_DEPTH];

typedef struct inject_ctx {
    const site *s;
    const page_version *pv;
    const content_options *opt;
    diag_list *d;
} inject_ctx;

/* The page of pv's language at url ("/ru/contacts/", as links to pages
 * are written), or NULL. */
static const page_version *page_at_url(const site *s, int lang, const char *url, arena *a)
{
    const char *prefix = site_lang_prefix(s, lang);
    size_t pl = strlen(prefix), n = strlen(url);
    if (n < pl + 1 || strncmp(url, prefix, pl) || url[pl] != '/' || url[n - 1] != '/') return NULL;
    const char *route = n == pl + 1 ? "/" : arena_strndup(a, url + pl, n - pl - 1);
    const page_version *t = site_find_route(s, lang, route);
    return t && !strcmp(t->url, url) ? t : NULL;
}

/* [plugin:page-inject](/route) and [plugin:content-inject](/route): the
 * content of that page here, rendered as on its own page (its photos,
 * its shortcodes). folio shows both kinds the same way: the page's
 * template, which page-inject applies, is the site's theme's. */
static bool inject_one(void *user, const char *name, const char *href, size_t href_len, bool is_paragraph, buf *out)
{
    inject_ctx *ic = user;
    (void)name;
    if (inject_depth >= MAX_INJECT_DEPTH) return false;
    arena a = ARENA_INIT;
    size_t n = strcspn(arena_strndup(&a, href, href_len), "?#");
    const page_version *t = page_at_url(ic->s, ic->pv->lang, arena_strndup(&a, href, n), &a);
    arena_free(&a);
    bool is_around = t == ic->pv;
    for (int i = 0; i < inject_depth; i++) is_around |= inject_chain[i] == t;
    if (!t || is_around) return false;
    content_options inner = ic->opt ? *ic->opt : (content_options){0};
    inner.observe = NULL; /* the check reads the injecting page's own text */
    buf content = BUF_INIT, summary = BUF_INIT;
    bool more;
    inject_chain[inject_depth++] = ic->pv;
    int rc = content_render(ic->s, t, &inner, &content, &summary, &more, ic->d);
    inject_depth--;
    if (rc == 0) {
        /* Inside a paragraph's text: a page of one paragraph joins the
         * text; blocks end the paragraph and it goes on after them. */
        const char *c = buf_cstr(&content);
        size_t cl = content.len;
        while (cl && (c[cl - 1] == '\n' || c[cl - 1] == ' ')) cl--;
        bool one_p = cl >= 7 && !memcmp(c, "<p>", 3) && !memcmp(c + cl - 4, "</p>", 4) &&
                     !memmem(c + 3, cl - 7, "<p>", 3) && !memmem(c + 3, cl - 7, "</p>", 4);
        if (is_paragraph) buf_add(out, c, content.len);
        else if (one_p) buf_add(out, c + 3, cl - 7);
        else {
            buf_puts(out, "</p>\n");
            buf_add(out, c, cl);
            buf_puts(out, "\n<p>");
        }
    }
    buf_free(&content);
    buf_free(&summary);
    return rc == 0;
}

/* A comment the text opens and never closes ("<!-- later" and no "-->")
 * would hide the rest of the page from the browser: the theme's footer
 * and scripts too. It is closed at the end of the text, whose rest stays
 * hidden (check says so). */
static void close_open_comment(buf *html)
{
    const char *s = buf_cstr(html), *end = s + html->len, *open = NULL;
    for (const char *p = s; (p = html_find_comment(p, (size_t)(end - p))); p += 4) {
        const char *close = memmem(p + 2, (size_t)(end - p - 2), "-->", 3); /* "<!-->" is closed */
        if (!close) {
            open = p;
            break;
        }
        p = close - 1;
    }
    if (open) buf_puts(html, "\n-->\n");
}

int content_render_source(const site *s, const page_version *pv, const page_source *src,
                          const content_options *opt, buf *content_html, buf *summary_html, bool *has_more,
                          diag_list *d)
{
    const char *body = src->text + src->body_off;
    size_t body_len = src->len - src->body_off;

    hook_ctx h = {s, pv, opt, ARENA_INIT};
    buf html = BUF_INIT;
    int rc = 0;
    bool formatting_closed = false; /* the text left a <b> open: so may its summary */
    if (value_path_bool(pv->header, "process.markdown", true)) {
        markdown_options mo = {rewrite_url, render_image, &h, true, NULL, NULL, 0, false, true, NULL, link_note, NULL, NULL, false, false, NULL};
        content_markdown_options(s, pv, &mo);
        mo.formatting_closed = &formatting_closed;
        if (opt) mo.observe = opt->observe, mo.observe_user = opt->observe_user;
        /* Notices: marked paragraphs, made <div>s once rendered (also on
         * a page whose HTML is escaped); should the <div>s not balance,
         * the page is rendered as if it had none. */
        buf noticed = BUF_INIT;
        size_t nnotices = notices_maybe(body, body_len, &s->notices)
                              ? notices_rewrite(body, body_len, &s->notices, &noticed)
                              : 0;
        int md_rc = nnotices ? markdown_render(noticed.s, noticed.len, &mo, &html)
                             : markdown_render(body, body_len, &mo, &html);
        buf_free(&noticed);
        if (nnotices && md_rc >= 0) {
            buf unmarked = BUF_INIT;
            bool is_balanced = notices_unmark(html.s, html.len, &s->notices, &unmarked);
            buf_free(&html);
            html = unmarked;
            if (!is_balanced) {
                buf_free(&html);
                md_rc = markdown_render(body, body_len, &mo, &html);
            }
        }
        if (md_rc < 0) {
            diag_add(d, DIAG_ERROR, pv->file, src->body_line, 1, "the Markdown could not be rendered");
            rc = -1;
        }
    } else {
        buf_add_without_nul(&html, body, body_len);
    }
    if (opt && opt->process_twig && value_path_bool(pv->header, "process.twig", false)) {
        buf twig = BUF_INIT;
        bool was_markdown = value_path_bool(pv->header, "process.markdown", true);
        if (content_twig_run(opt->process_twig, opt->user, pv, src, was_markdown, &html, &twig, d) < 0) rc = -1;
        buf_free(&html);
        html = twig;
    }
    if (html_find_comment(body, body_len)) close_open_comment(&html); /* the text opens one */
    const char *video_title = s->youtube_titles[pv->lang];
    if (s->youtube.is_on && strcasestr(buf_cstr(&html), "youtube</a>")) {
        buf players = BUF_INIT;
        youtube_expand(html.s, html.len, &s->youtube, video_title, &players);
        buf_free(&html);
        html = players;
    }
    if (s->has_page_inject && strcasestr(buf_cstr(&html), "-inject</a>")) {
        static const char *const names[] = {"page-inject", "content-inject", NULL};
        inject_ctx ic = {s, pv, opt, d};
        buf injected = BUF_INIT;
        plugin_links_expand(html.s, html.len, names, inject_one, &ic, &injected);
        buf_free(&html);
        html = injected;
    }
    buf expanded = BUF_INIT;
    shortcode_ctx sc = {0};
    sc.page_path = pv->file;
    sc.markdown = body;
    sc.markdown_len = body_len;
    sc.first_line = src->body_line;
    sc.gallery_label = site_translate(s, pv->lang, "GALLERY");
    sc.lang = pv->lang >= 0 && pv->lang < s->nlangs ? s->langs[pv->lang] : NULL;
    sc.youtube = &s->youtube;
    sc.youtube_title = video_title;
    shortcodes_expand(html.s ? html.s : "", html.len, &sc, &expanded, d);
    if (s->has_page_toc && memmem(expanded.s ? expanded.s : "", expanded.len, "TOC]</p>", 8)) {
        buf listed = BUF_INIT;
        toc_expand(expanded.s, expanded.len, site_translate(s, pv->lang, "TABLE_OF_CONTENTS"), &listed);
        buf_free(&expanded);
        expanded = listed;
    }
    bool has_delim = false;
    size_t before = summary_html->len, start = content_html->len;
    summary_shape shape = content_summary_shape(s, pv);
    if (shape.is_enabled && !shape.is_long) {
        summary_split(buf_cstr(&expanded), expanded.len, s->summary_delimiter, shape.size, content_html,
                      summary_html, &has_delim);
    } else { /* the delimiter leaves the content all the same */
        summary_split(buf_cstr(&expanded), expanded.len, s->summary_delimiter, 0, content_html, NULL, &has_delim);
        const char *whole = content_html->s + start;
        size_t n = content_html->len - start;
        if (shape.is_enabled && shape.size) summary_truncate_html(whole, n, shape.size, summary_html);
        else buf_add(summary_html, whole, n);
    }
    if (has_more) *has_more = summary_html->len - before < content_html->len - start;
    if (formatting_closed && summary_html->len > before) markdown_close_formatting(summary_html, before);
    buf_free(&expanded);
    buf_free(&html);
    arena_free(&h.scratch);
    return rc;
}

summary_shape content_summary_shape(const site *s, const page_version *pv)
{
    summary_shape shape = {s->summary_enabled, s->summary_long, s->summary_size};
    const value *own = pv ? map_get(pv->header, "summary") : NULL;
    if (!own || own->kind != V_MAP) return shape;
    shape.is_enabled = value_path_bool(own, "enabled", shape.is_enabled);
    const char *format = value_path_str(own, "format", NULL);
    if (format) shape.is_long = !strcmp(format, "long");
    long long size = value_path_int(own, "size", -1);
    if (size >= 0) shape.size = (size_t)size;
    return shape;
}

void content_markdown_options(const site *s, const page_version *pv, markdown_options *mo)
{
    static const struct {
        const char *key;
        unsigned flag; /* 0: the renderer's hard breaks */
    } options[] = {
        {"auto_line_breaks", 0},
        {"auto_url_links", MD_FLAG_PERMISSIVEURLAUTOLINKS},
        {"escape_markup", MD_FLAG_NOHTML},
    };
    const value *site_opts = value_path(s->system, "pages.markdown");
    const value *page_opts = pv ? map_get(pv->header, "markdown") : NULL;
    /* Parsedown, Grav's Markdown, takes "#Heading" for a heading (it does
     * not ask for the space CommonMark does); editors write it so. */
    mo->md_flags = MD_FLAG_PERMISSIVEATXHEADERS;
    mo->hard_breaks = false;
    mo->link_attributes = s->link_attributes;
    if (pv) { /* in the language of the text, which a fallback may make another's */
        int text_lang = site_text_lang(s, pv);
        mo->map_frame_title = s->frame_titles[text_lang][0];
        mo->video_frame_title = s->frame_titles[text_lang][1];
        mo->lazy_frames = true;
        mo->close_formatting = true;
    }
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        bool on = site_opts && site_opts->kind == V_MAP ? value_path_bool(site_opts, options[i].key, false) : false;
        if (page_opts && page_opts->kind == V_MAP) on = value_path_bool(page_opts, options[i].key, on);
        if (on && options[i].flag) mo->md_flags |= options[i].flag;
        else if (on) mo->hard_breaks = true;
    }
}
