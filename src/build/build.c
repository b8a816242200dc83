/* build.c - one build: load the site, render every published page in
 * every language on all cores, publish media once, add the pages around
 * them (lists with pagination, 404s, the root page, redirects).
 *
 * Pass 1 renders each page version's content and summary and writes the
 * page at once unless it is a list: list pages need their items'
 * summaries, so pass 2 renders them once pass 1 is complete. Only
 * summaries (and the content of list pages) stay in memory between the
 * passes, which keeps memory proportional to the number of pages, not to
 * the size of the site. */
#include "build/build.h"
#include "build/feeds.h"
#include "build/seo.h"
#include "build/images.h"
#include "build/policy.h"
#include "build/state.h"
#include "build/update.h"
#include "build/render.h"
#include "check/check.h"
#include "content/content.h"
#include "content/site.h"
#include "lib/buf.h"
#include "lib/files.h"
#include "lib/pool.h"
#include "lib/strmap.h"
#include "lib/url.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

typedef struct build_ctx {
    const build_options *opt;
    site *s;
    renderer *r;
    build_images *images; /* NULL: photos are published as they are */
    site_policy *policy;  /* the other origins the content embeds */
    build_hooks hooks;    /* r, images and d for the page hooks */
    output *out;
    diag_list *d;
    check_pass *check;       /* the check, run along with pass_content */
    arena *arenas;           /* per worker: summaries */
    char **list_content;     /* per version: content of list pages */
    page_version **lists;    /* list pages */
    size_t *list_vi;         /* their index in s->versions */
    size_t nlists;
    size_t *list_job_first;  /* prefix sums of pagination pages per list */
    size_t *content_order;   /* pass_content's jobs: indexes into s->versions */
    /* Pages to render again once every summary is made (RENDER_AGAIN),
     * with their content; guarded by lock. */
    page_version **later;
    char **later_content;
    size_t nlater, later_cap;
    size_t pages_written;
    /* Files of the user folder the content shows by their address
     * ("/user/themes/center/img/map.svg"), published after the pages;
     * keys in user_arena, guarded by lock. */
    strmap user_files;
    arena user_arena;
    pthread_mutex_t lock;
} build_ctx;

static bool is_list(const page_version *pv)
{
    value *c = map_get(pv->header, "content");
    return c && c->kind == V_MAP && map_get(c, "items");
}

static bool is_published(const page_version *pv) { return pv->published && pv->routable && !pv->has_error; }

static void count_page(build_ctx *b)
{
    pthread_mutex_lock(&b->lock);
    b->pages_written++;
    pthread_mutex_unlock(&b->lock);
}

int build_hook_twig(void *hooks, const page_version *pv, const char *html, size_t len, buf *out, diag_list *d)
{
    build_hooks *h = hooks;
    return render_content_twig(h->r, pv, html, len, out, d);
}

bool build_hook_image(void *hooks, const page_version *pv, const media_file *m, const char *query, const char *alt,
                      const char *title, buf *out)
{
    build_hooks *h = hooks;
    return build_images_markup(h->images, pv, m, query, alt, title, false, out, h->d);
}

void build_hook_file_note(void *hooks, const page_version *pv, const media_file *m, buf *out)
{
    build_hooks *h = hooks;
    render_file_note(h->r, pv, m, out);
}

bool build_hook_poster(void *hooks, const page_version *pv, const media_file *m, buf *url)
{
    (void)pv;
    build_hooks *h = hooks;
    return build_images_poster(h->images, m, url, h->d);
}

bool build_hook_header_image(void *hooks, const media_file *m, bool above_fold, buf *out)
{
    build_hooks *h = hooks;
    return build_images_header(h->images, m, above_fold, out, h->d);
}

static void put_or_report(build_ctx *b, const char *path, const char *data, size_t len, const char *source)
{
    if (output_put(b->out, path, data, len, 0) < 0)
        diag_add(b->d, DIAG_ERROR, source, 0, 0, "cannot write %s: %s", path, strerror(errno));
}


/* The versions of a page lie side by side in s->versions, and share its
 * photos. Taken in that order, the workers would render a post's
 * languages at the same moment and wait for each other to plan the same
 * photo's variants; taken one language after another, they are on
 * different posts, and a later language finds the plans made. */
static size_t *language_major(const site *s)
{
    size_t *order = xmalloc((s->nversions + 1) * sizeof *order), n = 0;
    for (int l = 0; l < s->nlangs; l++)
        for (size_t i = 0; i < s->nversions; i++)
            if (s->versions[i]->lang == l) order[n++] = i;
    for (size_t i = 0; i < s->nversions; i++) /* none should be left; never lose one */
        if (s->versions[i]->lang < 0 || s->versions[i]->lang >= s->nlangs) order[n++] = i;
    return order;
}

/* One page version: its file is read once, and the check looks at its
 * Markdown while it renders. */
/* The next "/user/..." address of an attribute of [p, end) (a theme's
 * picture in a page's HTML, as Grav's web server serves it), but for the
 * pages' own files, whose Grav addresses redirect to their published
 * ones; NULL when there is none. "/user/" is found by its 'u', which
 * Russian and Kazakh texts hardly have, with the processor's memchr. */
static const char *next_user_address(const char *html, const char *p, const char *end)
{
    for (; p < end && (p = memchr(p, 'u', (size_t)(end - p))); p++)
        if (p - html >= 2 && p[-1] == '/' && (p[-2] == '"' || p[-2] == '\'') && end - p >= 5 &&
            !memcmp(p, "user/", 5) && strncmp(p - 1, "/user/pages/", 12))
            return p - 1;
    return NULL;
}

bool build_shows_user_file(const char *html, size_t len)
{
    return len && next_user_address(html, html, html + len);
}

/* Collects the addresses, once each. */
static void collect_user_files(build_ctx *b, const char *html, size_t len)
{
    for (const char *p = html, *end = html + len; (p = next_user_address(html, p, end)); p += 6) {
        const char *q = memchr(p, p[-1], (size_t)(end - p));
        if (!q || q - p > 1024) continue;
        size_t n = strcspn(p, "?#\"'");
        if (n > (size_t)(q - p)) n = (size_t)(q - p);
        pthread_mutex_lock(&b->lock);
        char *address = arena_alloc(&b->user_arena, n + 1);
        url_percent_decode(address, p, n);
        if (!strmap_get(&b->user_files, address)) strmap_put(&b->user_files, address, (void *)1);
        pthread_mutex_unlock(&b->lock);
    }
}

/* Publish them: a photo without its metadata, as every photo. What is not
 * published check reports, at the page. */
static void publish_user_files(build_ctx *b)
{
    for (size_t i = 0; i < b->user_files.cap; i++) {
        const char *address = b->user_files.slots ? b->user_files.slots[i].key : NULL;
        if (!address) continue;
        arena a = ARENA_INIT;
        const char *why;
        char *full = site_user_file(b->s, address, &a, &why);
        arena_free(&a);
        if (!full) continue;
        struct stat st;
        const char *name = strrchr(address, '/') + 1;
        media_file m = {name, full, address, address + 1, 0, {0}};
        if (stat(full, &st) == 0) m.size = st.st_size, m.stamp = file_stamp_of(&st);
        int rc = b->images ? build_images_publish(b->images, &m, b->d) : output_put_file(b->out, m.out_path, full);
        if (rc < 0 && !b->images)
            diag_add(b->d, DIAG_WARNING, full, 0, 0, "cannot publish: %s", strerror(errno));
        free(full);
    }
}

static void pass_content(void *ctx, int worker, size_t job)
{
    build_ctx *b = ctx;
    size_t i = b->content_order[job];
    page_version *pv = b->s->versions[i];
    page_source src = {0};
    bool owned;
    src.text = site_source(pv, &src.len, &src.controls, &owned);
    if (!src.text) {
        if (is_published(pv)) {
            diag_add(b->d, DIAG_ERROR, pv->file, 0, 0, "cannot read: %s", strerror(errno));
            pv->has_error = true;
        }
        return;
    }
    frontmatter_find_body(&src);
    check_page *check = check_page_begin(b->check, worker, i, &src);
    bool is_section = pv->page->is_module && pv->published && !pv->has_error;
    if (!is_published(pv) && !is_section) {
        check_page_end(check, false);
        if (owned) free(src.text);
        return;
    }
    content_options co = {build_hook_image, build_hook_twig, &b->hooks, NULL, NULL, build_hook_file_note,
                          build_hook_poster};
    co.observe = check_page_observer(check, &co.observe_user);
    buf content = BUF_INIT, summary = BUF_INIT;
    bool has_more = false;
    int rc = content_render_source(b->s, pv, &src, &co, &content, &summary, &has_more, b->d);
    check_page_end(check, co.observe != NULL);
    if (rc == 0) policy_scan(b->policy, content.s, content.len);
    if (owned) free(src.text);
    if (rc < 0) {
        buf_free(&content);
        buf_free(&summary);
        pv->has_error = true;
        return;
    }
    if (content.len) collect_user_files(b, content.s, content.len);
    pv->summary_html = arena_strndup(&b->arenas[worker], buf_cstr(&summary), summary.len);
    pv->has_more = has_more;
    buf_free(&summary);
    if (is_section) { /* shown whole inside its parent's page, rendered after this pass */
        pv->module_html = arena_strndup(&b->arenas[worker], buf_cstr(&content), content.len);
        buf_free(&content);
        return;
    }
    if (is_list(pv)) {
        b->list_content[i] = buf_detach(&content, NULL);
        return;
    }
    if (pv->redirect || pv->external_url) { /* its address only redirects */
        buf_free(&content);
        return;
    }
    buf html = BUF_INIT;
    rc = render_page(b->r, pv, buf_cstr(&content), 0, &html, b->d);
    if (rc == 0) {
        put_or_report(b, pv->out_path, html.s, html.len, pv->file);
        count_page(b);
    } else if (rc == RENDER_AGAIN) {
        pthread_mutex_lock(&b->lock);
        if (b->nlater == b->later_cap) {
            b->later_cap = b->later_cap ? 2 * b->later_cap : 16;
            b->later = xrealloc(b->later, b->later_cap * sizeof *b->later);
            b->later_content = xrealloc(b->later_content, b->later_cap * sizeof *b->later_content);
        }
        b->later[b->nlater] = pv;
        b->later_content[b->nlater++] = buf_detach(&content, NULL);
        pthread_mutex_unlock(&b->lock);
    }
    buf_free(&html);
    buf_free(&content);
}

/* A page that shows other pages' summaries, now that all are made. */
static void pass_later(void *ctx, int worker, size_t i)
{
    build_ctx *b = ctx;
    (void)worker;
    page_version *pv = b->later[i];
    buf html = BUF_INIT;
    if (render_page(b->r, pv, b->later_content[i], 0, &html, b->d) == 0) {
        put_or_report(b, pv->out_path, html.s, html.len, pv->file);
        count_page(b);
    }
    buf_free(&html);
    free(b->later_content[i]);
}

static size_t list_pages_of(const page_version *pv)
{
    if (!pv->per_page || pv->nitems == 0) return 1;
    return (pv->nitems + pv->per_page - 1) / pv->per_page;
}

/* ---- Grav's taxonomy filters of a list: /ru/news/category:events/ ---- */

#define MAX_FILTERS_PER_LIST 500

/* A name that can be a folder of the output and a segment of a URL. */
static bool is_filter_value_safe(const char *v)
{
    if (!*v || strlen(v) > 100 || !strcmp(v, ".") || !strcmp(v, "..")) return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == '/' || *p == '\\' || *p == ':' || *p == '?' || *p == '#' || *p == '%') return false;
    return true;
}

/* The list pv filtered to the items with taxonomy type:value, as a page
 * of its own at <list url>type:value/ (Grav serves it for that URL). It
 * has no translations: the values differ from language to language. */
static page_version *filtered_list(arena *a, const page_version *pv, const char *type, const char *val)
{
    page_version *f = arena_alloc(a, sizeof *f);
    *f = *pv;
    page *pg = arena_alloc(a, sizeof *pg);
    *pg = *pv->page;
    memset(pg->v, 0, sizeof pg->v);
    pg->v[pv->lang] = f;
    f->page = pg;
    f->items = arena_alloc(a, (pv->nitems + 1) * sizeof *f->items);
    f->nitems = 0;
    for (size_t i = 0; i < pv->nitems; i++)
        if (site_has_term(pv->items[i], type, val)) f->items[f->nitems++] = pv->items[i];
    buf url = BUF_INIT;
    buf_puts(&url, pv->url);
    buf_puts(&url, type);
    buf_putc(&url, ':');
    buf_puts(&url, val);
    buf_putc(&url, '/');
    f->url = arena_strdup(a, buf_cstr(&url));
    buf_puts(&url, "index.html");
    f->out_path = arena_strdup(a, buf_cstr(&url) + 1);
    buf_free(&url);
    return f;
}

/* Adds the taxonomy filters of list i (its position in b->lists) after
 * the lists, growing the arrays. */
static void add_filters(build_ctx *b, size_t i, size_t *cap, arena *a)
{
    const page_version *pv = b->lists[i];
    if (pv->is_modular || !pv->nitems) return;
    size_t made = 0;
    /* every (type, value) its items carry, once */
    strmap seen = {0};
    for (size_t k = 0; k < pv->nitems && made < MAX_FILTERS_PER_LIST; k++) {
        const value *tax = map_get(pv->items[k]->header, "taxonomy");
        if (!tax || tax->kind != V_MAP) continue;
        for (size_t t = 0; t < tax->u.map.len && made < MAX_FILTERS_PER_LIST; t++) {
            const char *type = tax->u.map.items[t].key;
            const value *terms = tax->u.map.items[t].val;
            const value *const *vals = terms->kind == V_LIST ? (const value *const *)terms->u.list.items : &terms;
            size_t n = terms->kind == V_LIST ? terms->u.list.len : 1;
            for (size_t v = 0; v < n && made < MAX_FILTERS_PER_LIST; v++) {
                if (vals[v]->kind != V_STRING) continue;
                const char *val = vals[v]->u.str.s;
                if (!is_filter_value_safe(type) || !is_filter_value_safe(val)) continue;
                const char *key = arena_printf(a, "%s:%s", type, val);
                if (strmap_get(&seen, key)) continue;
                strmap_put(&seen, key, (void *)key);
                page_version *f = filtered_list(a, pv, type, val);
                if (b->nlists == *cap) {
                    *cap *= 2;
                    b->lists = xrealloc(b->lists, *cap * sizeof *b->lists);
                    b->list_job_first = xrealloc(b->list_job_first, *cap * sizeof *b->list_job_first);
                    b->list_vi = xrealloc(b->list_vi, *cap * sizeof *b->list_vi);
                }
                b->lists[b->nlists] = f;
                b->list_vi[b->nlists++] = b->list_vi[i];
                made++;
            }
        }
    }
    strmap_free(&seen);
}

static void pass_lists(void *ctx, int worker, size_t job)
{
    build_ctx *b = ctx;
    (void)worker;
    /* job -> (list, page number) through the prefix sums */
    size_t lo = 0, hi = b->nlists;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (b->list_job_first[mid] <= job) lo = mid;
        else hi = mid;
    }
    page_version *pv = b->lists[lo];
    size_t n = job - b->list_job_first[lo] + 1;
    size_t vi = b->list_vi[lo];
    const char *content = b->list_content[vi] ? b->list_content[vi] : "";
    buf html = BUF_INIT;
    if (render_page(b->r, pv, content, n, &html, b->d) == 0) {
        if (n == 1) {
            put_or_report(b, pv->out_path, html.s, html.len, pv->file);
        } else {
            arena a = ARENA_INIT;
            const char *url = site_list_page_url(&a, pv, n);
            put_or_report(b, arena_cat(&a, url + 1, "index.html", (char *)NULL), html.s, html.len, pv->file);
            arena_free(&a);
        }
        count_page(b);
    }
    buf_free(&html);
}

/* Whether a page's files are published: some version of it is, or it is
 * a modular section shown on its published parent's page. */
static bool media_is_published(const site *s, const page *pg)
{
    for (int l = 0; l < s->nlangs; l++) {
        const page_version *v = pg->v[l], *parent = pg->parent ? pg->parent->v[l] : NULL;
        bool is_shown_section = pg->is_module && v && v->published && !v->has_error && parent && is_published(parent);
        if (v && (is_published(v) || is_shown_section)) return true;
    }
    return false;
}

static void pass_media(void *ctx, int worker, size_t i)
{
    build_ctx *b = ctx;
    (void)worker;
    page *pg = b->s->pages[i];
    if (!media_is_published(b->s, pg)) return;
    for (size_t m = 0; m < pg->nmedia; m++) {
        if (b->images) {
            build_images_publish(b->images, &pg->media[m], b->d);
        } else if (media_is_heic(pg->media[m].name)) {
            diag_add(b->d, DIAG_WARNING, pg->media[m].path, 0, 0,
                     "a HEIC photo is published as the JPEG folio makes of it, which --no-images turns off: not "
                     "published");
        } else if (output_put_file(b->out, pg->media[m].out_path, pg->media[m].path) < 0) {
            diag_add(b->d, DIAG_WARNING, pg->media[m].path, 0, 0, "cannot publish media file: %s", strerror(errno));
        }
    }
}

static void add_redirects(build_ctx *b)
{
    site *s = b->s;
    arena a = ARENA_INIT;
    for (size_t i = 0; i < s->nversions; i++) {
        page_version *pv = s->versions[i];
        if (!is_published(pv)) continue;
        const char *prefix = site_lang_prefix(s, pv->lang);
        const char *lp = prefix[0] ? prefix + 1 : "";
        value *aliases = value_path(pv->header, "routes.aliases");
        if (aliases && aliases->kind == V_LIST)
            for (size_t k = 0; k < aliases->u.list.len; k++) {
                const char *al = value_to_cstr(&a, aliases->u.list.items[k]);
                while (*al == '/') al++;
                if (!*al) continue;
                const char *path = lp[0] ? arena_printf(&a, "%s/%s/", lp, al) : arena_printf(&a, "%s/", al);
                if (output_path_is_safe(path) && !site_find_route(s, pv->lang, arena_printf(&a, "/%s", al)))
                    output_redirect(b->out, path, pv->url, 301);
                else
                    diag_add(b->d, DIAG_WARNING, pv->file, 1, 1, "routes.aliases '%s' is not usable", al);
            }
        if (pv->redirect) {
            const char *target = pv->redirect;
            if (target[0] == '/') {
                page_version *t = site_find_route(s, pv->lang, target);
                if (t) target = t->url;
            }
            output_redirect(b->out, arena_printf(&a, "%s", pv->url + 1), target, pv->redirect_status);
        }
        if (pv->external_url && !pv->redirect)
            output_redirect(b->out, arena_printf(&a, "%s", pv->url + 1), pv->external_url, 302);
        /* A slug or routes.default moved the page: its folders' address
         * leads there (Grav answers on both), unless another page has it. */
        if (pv->folder_route && site_find_route(s, pv->lang, pv->folder_route) == pv) {
            const char *p = lp[0] ? arena_printf(&a, "%s%s/", lp, pv->folder_route)
                                  : arena_printf(&a, "%s/", pv->folder_route + 1);
            if (output_path_is_safe(p)) output_redirect(b->out, p, pv->url, 301);
        }
        if (pv->is_home && strcmp(pv->route, "/")) {
            /* /kk/home/ -> /kk/ */
            const char *p = lp[0] ? arena_printf(&a, "%s%s/", lp, pv->route) : arena_printf(&a, "%s/", pv->route + 1);
            output_redirect(b->out, p, pv->url, 301);
        }
    }
    /* site.yaml's redirects and routes, in every language; a page at the
     * same address wins, as in Grav (check reports what is left out). */
    for (int l = 0; l < s->nlangs; l++) {
        const char *prefix = site_lang_prefix(s, l);
        site_rule *rules;
        size_t n = site_rules(s, l, &a, &rules, NULL, NULL);
        for (size_t i = 0; i < n; i++) {
            const char *from = rules[i].from;
            const char *path = prefix[0] ? arena_printf(&a, "%s%s/", prefix + 1, from) : arena_printf(&a, "%s/", from + 1);
            if (output_path_is_safe(path) && !site_find_route(s, l, rules[i].from))
                output_redirect(b->out, path, rules[i].to, rules[i].status);
        }
    }
    /* A folder that is no page of its own (no page file, or routable:
     * false) but has pages under it: Grav sends its address to the first
     * visible one, so /ru/branches/ leads to the first branch. */
    for (size_t i = 0; i < s->npages; i++) {
        page *pg = s->pages[i];
        if (pg->is_module || !pg->nchildren) continue;
        for (int l = 0; l < s->nlangs; l++) {
            if (pg->v[l] && pg->v[l]->routable) continue;
            const page_version *first = NULL;
            for (size_t k = 0; k < pg->nchildren && !first; k++) {
                const page_version *c = pg->children[k]->v[l];
                if (c && is_published(c) && c->visible) first = c;
            }
            if (!first) continue;
            const char *slash = strrchr(first->route, '/');
            if (!slash || slash == first->route) continue;
            const char *route = arena_strndup(&a, first->route, (size_t)(slash - first->route));
            if (site_find_route(s, l, route)) continue; /* a page has the address */
            const char *prefix = site_lang_prefix(s, l);
            const char *path = prefix[0] ? arena_printf(&a, "%s%s/", prefix + 1, route) : arena_printf(&a, "%s/", route + 1);
            if (output_path_is_safe(path)) output_redirect(b->out, path, first->url, 302);
        }
    }
    /* Grav's media URLs (/user/pages/02.news/03.post/photo.jpg) keep working. */
    for (size_t i = 0; i < s->npages; i++) {
        page *pg = s->pages[i];
        if (!media_is_published(s, pg)) continue;
        for (size_t m = 0; m < pg->nmedia; m++) {
            const char *legacy = arena_printf(&a, "user/pages/%s/%s", pg->rel, pg->media[m].name);
            if (output_path_is_safe(legacy)) output_redirect(b->out, legacy, pg->media[m].url, 301);
        }
    }
    arena_free(&a);
}

static void add_site_pages(build_ctx *b)
{
    site *s = b->s;
    size_t nassets;
    const theme_asset *assets = renderer_assets(b->r, &nassets);
    for (size_t i = 0; i < nassets; i++) put_or_report(b, assets[i].out_path, assets[i].data, assets[i].size, "theme");
    for (int l = 0; l < s->nlangs; l++) {
        buf html = BUF_INIT;
        if (render_not_found(b->r, l, &html, b->d) == 0) {
            const char *prefix = site_lang_prefix(s, l);
            char path[64];
            snprintf(path, sizeof path, "%s%s404.html", prefix[0] ? prefix + 1 : "", prefix[0] ? "/" : "");
            put_or_report(b, path, html.s, html.len, s->user_dir);
        }
        buf_free(&html);
    }
    /* The root sends visitors to the default language (and lists them all). */
    const char *dprefix = site_lang_prefix(s, s->default_lang);
    if (dprefix[0]) {
        buf html = BUF_INIT;
        buf_printf(&html, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                          "<meta http-equiv=\"refresh\" content=\"0; url=%s/\"><title>",
                   s->langs[s->default_lang], dprefix);
        const char *title = site_title(s, s->default_lang);
        buf_add_html(&html, title, strlen(title));
        buf_printf(&html, "</title><link rel=\"canonical\" href=\"%s/\"></head><body><ul>", dprefix);
        for (int l = 0; l < s->nlangs; l++) {
            const char *t = *site_title(s, l) ? site_title(s, l) : s->langs[l];
            buf_printf(&html, "<li><a href=\"%s/\" hreflang=\"%s\" lang=\"%s\">", site_lang_prefix(s, l), s->langs[l],
                       s->langs[l]);
            buf_add_html(&html, t, strlen(t));
            buf_puts(&html, "</a></li>");
        }
        buf_puts(&html, "</ul></body></html>\n");
        put_or_report(b, "index.html", html.s, html.len, s->user_dir);
        buf_free(&html);
    }
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* FOLIO_TIMINGS=1 prints how long each pass took, for performance work. */
static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* FOLIO_TIMINGS=1: each pass's wall time, and how much of both cores it
 * used (CPU time of all threads over wall time). */
static void phase(const char *name, double *t)
{
    static int enabled = -1;
    static double cpu;
    if (enabled < 0) enabled = getenv("FOLIO_TIMINGS") != NULL;
    if (!enabled) return;
    double n = now_ms(), c = cpu_ms();
    if (name) fprintf(stderr, "folio: %-8s %8.1f ms %4.0f%% CPU\n", name, n - *t, n > *t ? 100 * (c - cpu) / (n - *t) : 0);
    *t = n;
    cpu = c;
}

/* The build; with keep, what an incremental update needs is handed to
 * *keep instead of being freed. */
static int build_run(const build_options *opt, output *out, diag_list *d, build_result *res, build_state **keep)
{
    double t;
    phase(NULL, &t);
    build_result local = {0};
    if (!res) res = &local;
    memset(res, 0, sizeof *res);
    site *s = site_load(opt->site_dir, opt->now ? (long long)opt->now : 0, d);
    if (!s) return -1;
    phase("load", &t);
    /* The configuration decides the whole site's shape (its languages,
     * titles, time zone): built without it, every page would change. */
    if (s->config_errors) {
        char *cfg = path_join(opt->site_dir, "config");
        diag_add(d, DIAG_NOTE, cfg, 0, 0, "nothing is published while the site's configuration has errors");
        free(cfg);
        site_free(s);
        return -1;
    }
    int threads = pool_threads(opt->threads);
    build_ctx b = {0};
    b.opt = opt;
    b.s = s;
    b.out = out;
    b.d = d;
    pthread_mutex_init(&b.lock, NULL);
    /* The build reports what `folio check` does; shortcode problems come
     * from rendering the content, so the check leaves those out. */
    check_options co = {-1, true, opt->threads};
    b.check = check_pass_begin(s, &co, d);
    b.policy = policy_new();
    b.r = renderer_new(s, d);
    if (!opt->no_images) {
        b.images = build_images_open(opt->site_dir, opt->cache_dir, threads, out, d);
        if (opt->variants_progress) build_images_set_progress(b.images, opt->variants_progress, opt->progress_ctx);
        if (opt->photos_as_they_are) build_images_set_as_they_are(b.images);
        if (opt->prune_cache) build_images_track_use(b.images);
    }
    b.hooks = (build_hooks){b.r, b.images, d};
    if (b.images) renderer_set_header_images(b.r, build_hook_header_image, &b.hooks);
    arena base_arena = ARENA_INIT;
    const char *base_url = seo_base_url(s, opt->base_url, &base_arena);
    const char *asked = opt->base_url && *opt->base_url ? opt->base_url : site_config_str(s, s->default_lang, "url", "");
    if (!*base_url && *asked)
        diag_add(d, DIAG_WARNING,
                 opt->base_url && *opt->base_url ? "--base-url"
                                                 : arena_printf(&base_arena, "%s/config/site.yaml", s->user_dir),
                 0, 0,
                 "the site's url is no address (https://... without spaces, line breaks or quotes): feeds and "
                 "sitemap.xml are not written, and pages carry no absolute addresses");
    const char *host = strstr(base_url, "://");
    if (host && strchr(host + 3, '/'))
        diag_add(d, DIAG_WARNING,
                 opt->base_url && *opt->base_url ? "--base-url"
                                                 : arena_printf(&base_arena, "%s/config/site.yaml", s->user_dir),
                 0, 0,
                 "the site's url '%s' has a path: pages link to each other and to their photos from the root of "
                 "the host (links begin with '/'), so the site works only at the root of a host of its own; its "
                 "feeds, sitemap and canonical addresses use the path as given",
                 base_url);
    renderer_set_base_url(b.r, base_url);
    b.arenas = xcalloc((size_t)threads, sizeof *b.arenas);
    for (int w = 0; w < threads; w++) b.arenas[w] = (arena)ARENA_INIT_HUGE; /* every summary */
    b.list_content = xcalloc(s->nversions + 1, sizeof *b.list_content);

    b.content_order = language_major(s);

    phase("renderer", &t);
    parallel_for(s->nversions, threads, pass_content, &b);
    free(b.content_order);
    phase("pages", &t);
    renderer_summaries_made(b.r);
    parallel_for(b.nlater, threads, pass_later, &b); /* pages showing others' summaries */
    free(b.later);
    free(b.later_content);
    if (b.nlater) phase("again", &t);

    b.lists = xmalloc((s->nversions + 1) * sizeof *b.lists);
    b.list_job_first = xmalloc((s->nversions + 1) * sizeof *b.list_job_first);
    b.list_vi = xmalloc((s->nversions + 1) * sizeof *b.list_vi);
    size_t njobs = 0;
    for (size_t i = 0; i < s->nversions; i++) {
        page_version *pv = s->versions[i];
        if (!is_published(pv) || !is_list(pv)) continue;
        b.list_vi[b.nlists] = i;
        b.lists[b.nlists++] = pv;
    }
    /* Grav's URL filters of each list ("/ru/news/category:events/"), after
     * the lists themselves; then the jobs, a list's pages in a row. */
    size_t cap = s->nversions + 1, nplain = b.nlists;
    arena filters = ARENA_INIT;
    for (size_t i = 0; i < nplain; i++) add_filters(&b, i, &cap, &filters);
    for (size_t i = 0; i < b.nlists; i++) {
        b.list_job_first[i] = njobs;
        njobs += list_pages_of(b.lists[i]);
    }
    parallel_for(njobs, threads, pass_lists, &b);
    phase("lists", &t);
    check_pass_end(b.check);
    site_drop_sources(s);
    phase("check", &t);
    feeds_write_all(s, base_url, out, d);
    parallel_for(s->npages, threads, pass_media, &b);
    publish_user_files(&b);
    strmap_free(&b.user_files);
    arena_free(&b.user_arena);
    phase("media", &t);
    add_redirects(&b);
    add_site_pages(&b);
    buf headers = BUF_INIT;
    policy_headers_file(b.policy, &headers);
    res->other_origins = policy_origins(b.policy);
    put_or_report(&b, POLICY_HEADERS_FILE, headers.s, headers.len, s->user_dir);
    buf_free(&headers);
    phase("extras", &t);
    /* Pruning needs every photo of the site seen; a page with an error may
     * hide some, so the cache is pruned only after a clean build. */
    if (opt->prune_cache && b.images && d->errors == 0)
        res->is_pruned = build_images_prune(b.images, s, &res->variants_pruned, &res->pruned_bytes, d) == 0;

    res->pages = b.pages_written;
    res->next_change = (time_t)s->next_change;
    if (b.images) build_images_counts(b.images, &res->variants_made, &res->variants_cached);
    if (s->is_multilang) { /* a site without languages has none in its addresses */
        buf langs = BUF_INIT;
        buf_puts(&langs, s->langs[s->default_lang]);
        for (int l = 0; l < s->nlangs; l++)
            if (l != s->default_lang) buf_printf(&langs, " %s", s->langs[l]);
        snprintf(res->languages, sizeof res->languages, "%s", buf_cstr(&langs));
        buf_free(&langs);
    }

    free(b.lists);
    free(b.list_job_first);
    free(b.list_vi);
    arena_free(&filters);
    pthread_mutex_destroy(&b.lock);
    if (keep) {
        build_state *st = xcalloc(1, sizeof *st);
        st->s = s;
        st->r = b.r;
        st->arenas = b.arenas;
        st->narenas = threads;
        st->list_content = b.list_content;
        st->base_arena = base_arena;
        st->base_url = base_url;
        st->images = b.images;
        st->policy = b.policy;
        /* The hook's user was this function's context; update.c sets its own. */
        if (b.images) renderer_set_header_images(b.r, NULL, NULL);
        *keep = st;
    } else {
        for (size_t i = 0; i < s->nversions; i++) free(b.list_content[i]);
        free(b.list_content);
        for (int w = 0; w < threads; w++) arena_free(&b.arenas[w]);
        free(b.arenas);
        renderer_free(b.r);
        build_images_close(b.images);
        policy_free(b.policy);
        arena_free(&base_arena);
        site_free(s);
    }
    phase("free", &t);
    if (opt->strict && d->errors) return -1;
    return 0;
}

void build_check_content_twig(const site *s, int lang, diag_list *d)
{
    renderer *r = NULL;
    build_hooks hooks = {NULL, NULL, d};
    for (size_t i = 0; i < s->nversions; i++) {
        const page_version *pv = s->versions[i];
        if ((lang >= 0 && pv->lang != lang) || !value_path_bool(pv->header, "process.twig", false)) continue;
        if (!pv->published || pv->has_error) continue;
        if (!r) hooks.r = r = renderer_new(s, d);
        content_options co = {NULL, build_hook_twig, &hooks, NULL, NULL, NULL, NULL};
        buf content = BUF_INIT, summary = BUF_INIT;
        bool more;
        content_render(s, pv, &co, &content, &summary, &more, d);
        buf_free(&content);
        buf_free(&summary);
    }
    if (r) renderer_free(r);
}

int build_site(const build_options *opt, output *out, diag_list *d, build_result *res)
{
    return build_run(opt, out, d, res, NULL);
}

int build_site_keep(const build_options *opt, output *out, diag_list *d, build_result *res, build_state **state)
{
    *state = NULL;
    return build_run(opt, out, d, res, state);
}

void build_state_free(build_state *st)
{
    if (!st) return;
    for (size_t i = 0; i < st->s->nversions; i++) free(st->list_content[i]);
    free(st->list_content);
    for (int w = 0; w < st->narenas; w++) arena_free(&st->arenas[w]);
    free(st->arenas);
    renderer_free(st->r);
    arena_free(&st->base_arena);
    if (st->own_summaries)
        for (size_t i = 0; i < st->s->nversions; i++) free(st->own_summaries[i]);
    free(st->own_summaries);
    check_index_free(st->checks);
    build_images_close(st->images);
    policy_free(st->policy);
    site_free(st->s);
    free(st);
}
