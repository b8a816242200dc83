/* update.c - the incremental path of the live server: a page's body
 * changed, so re-render it, the list pages showing its summary and their
 * feeds, with the state the last full build kept (state.h).
 *
 * Why only body edits: the front matter decides where a page appears
 * (route, date order, published, menu, title in lists, switchers and
 * sitemap), so any change to it can move things anywhere in the site; the
 * body only reaches the page itself and, through the summary, the lists
 * and feeds that show it. Everything is rendered before the state is
 * touched for good: on any trouble the summaries are put back and a full
 * build takes over. */
#include "build/update.h"
#include "build/feeds.h"
#include "build/state.h"
#include "check/check.h"
#include "content/content.h"
#include "content/frontmatter.h"
#include "lib/buf.h"
#include "lib/files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_CHANGED_VERSIONS 256 /* more than this is a bulk change: a full build is as quick */

typedef struct changed_version {
    page_version *pv;
    size_t vi; /* index in s->versions */
    char *new_summary;
    char *old_summary;
    bool old_has_more;
    buf content;
} changed_version;

typedef struct update_run {
    build_state *st;
    output *out;
    diag_list *d;
    changed_version v[MAX_CHANGED_VERSIONS];
    size_t n;
} update_run;

static bool is_published(const page_version *pv) { return pv && pv->published && pv->routable && !pv->has_error; }

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

static bool is_media_path(const site *s, const char *path)
{
    for (size_t i = 0; i < s->npages; i++)
        for (size_t m = 0; m < s->pages[i]->nmedia; m++)
            if (!strcmp(s->pages[i]->media[m].path, path)) return true;
    return false;
}

/* A file that is gone and never was part of the site: the temporary file
 * an editor wrote and renamed over the page. */
static bool is_vanished_scratch_file(const site *s, const char *path)
{
    size_t pl = strlen(s->pages_dir);
    bool in_pages = !strncmp(path, s->pages_dir, pl) && path[pl] == '/';
    return in_pages && !ends_with(path, ".md") && !file_exists(path) && !is_media_path(s, path);
}

/* Whether path's front matter is the one the site was loaded with. */
static bool header_unchanged(const char *path, const value *loaded)
{
    page_source src = {0};
    src.text = file_read(path, &src.len, MAX_PAGE_FILE);
    if (!src.text) return false;
    src.len = source_normalize(src.text, src.len, NULL);
    arena a = ARENA_INIT;
    diag_list quiet;
    diag_init(&quiet);
    bool same = false;
    if (frontmatter_split(&src, &a, path, &quiet) == 0 && src.header) {
        buf now = BUF_INIT, then = BUF_INIT;
        value_write_json(&now, src.header, &a, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
        value_write_json(&then, loaded, &a, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
        same = now.len == then.len && !memcmp(now.s, then.s, now.len);
        buf_free(&now);
        buf_free(&then);
    }
    diag_free(&quiet);
    arena_free(&a);
    free(src.text);
    return same;
}

/* Collects the versions whose file is one of paths. False when a path is
 * something only a full build handles. */
static bool collect_versions(update_run *u, const char *const *paths, size_t npaths)
{
    site *s = u->st->s;
    /* The site's own templates may show a page's summary or content
     * anywhere (next to the previous post, in a sidebar): only the
     * built-in theme's dependencies are known here. */
    char *own_templates = path_join(s->user_dir, "themes/folio/templates");
    bool themed = path_is_dir(own_templates);
    free(own_templates);
    if (themed) return false;
    /* With page-inject, a page's content may be shown in any other page. */
    if (s->has_page_inject) return false;
    for (size_t p = 0; p < npaths; p++) {
        bool matched = false, header_checked = false;
        for (size_t i = 0; i < s->nversions; i++) {
            page_version *pv = s->versions[i];
            if (strcmp(pv->file, paths[p])) continue;
            matched = true;
            /* A post with a taxonomy is also on its lists' filter pages
             * ("/news/category:events/"), which only a full build makes. */
            if (pv->has_error || !map_get(pv->header, "date") || feeds_is_list(pv) || pv->redirect ||
                map_get(pv->header, "taxonomy") ||
                pv->is_modular || pv->page->is_module) /* a modular page and its sections: rendered together */
                return false;
            if (!header_checked && !header_unchanged(paths[p], pv->header)) return false;
            header_checked = true;
            /* A draft's body is shown nowhere, but the build still checks
             * it, and an error there decides whether a build is taken. */
            if (!is_published(pv)) return false;
            bool seen = false;
            for (size_t k = 0; k < u->n; k++) seen |= u->v[k].pv == pv;
            if (seen) continue;
            if (u->n == MAX_CHANGED_VERSIONS) return false;
            u->v[u->n++] = (changed_version){pv, i, NULL, pv->summary_html, pv->has_more, BUF_INIT};
        }
        if (!matched && !is_vanished_scratch_file(s, paths[p])) return false;
    }
    return true;
}

static bool put(update_run *u, const char *path, const buf *html, const char *source)
{
    if (output_put(u->out, path, html->s, html->len, 0) == 0) return true;
    diag_add(u->d, DIAG_ERROR, source, 0, 0, "cannot write %s: %s", path, strerror(errno));
    return false;
}

/* New content and summary of every changed version, into the model. */
static bool render_contents(update_run *u)
{
    build_state *st = u->st;
    content_options co = {build_hook_image, build_hook_twig, &st->hooks, NULL, NULL, build_hook_file_note,
                          build_hook_poster};
    for (size_t k = 0; k < u->n; k++) {
        changed_version *c = &u->v[k];
        buf summary = BUF_INIT;
        bool has_more = false;
        int rc = content_render(st->s, c->pv, &co, &c->content, &summary, &has_more, u->d);
        /* An embed from a site the policy does not name yet (a map added
         * to a page): the full build works the policy out again. */
        if (rc == 0 && ((st->policy && !policy_allows(st->policy, c->content.s, c->content.len)) ||
                        build_shows_user_file(c->content.s, c->content.len))) { /* the full build publishes it */
            buf_free(&summary);
            return false;
        }
        if (rc == 0) {
            c->new_summary = xstrndup(buf_cstr(&summary), summary.len);
            c->pv->summary_html = c->new_summary;
            c->pv->has_more = has_more;
        }
        buf_free(&summary);
        if (rc < 0) return false;
    }
    return true;
}

static bool render_pages(update_run *u)
{
    for (size_t k = 0; k < u->n; k++) {
        changed_version *c = &u->v[k];
        buf html = BUF_INIT;
        bool ok = render_page(u->st->r, c->pv, buf_cstr(&c->content), 0, &html, u->d) == 0 &&
                  put(u, c->pv->out_path, &html, c->pv->file);
        buf_free(&html);
        if (!ok) return false;
    }
    return true;
}

/* Whether pv is among list's newest FEED_ITEMS, the items its feeds show
 * (counting, rather than sorting as the feeds do, is enough to know). */
static bool in_feeds(const page_version *list, const page_version *pv)
{
    size_t newer = 0;
    for (size_t i = 0; i < list->nitems && newer < FEED_ITEMS; i++) {
        const page_version *x = list->items[i];
        if (x->date > pv->date || (x->date == pv->date && strcmp(x->url, pv->url) < 0)) newer++;
    }
    return newer < FEED_ITEMS;
}

/* Each page of list that shows a changed version, then the list's feeds. */
static bool render_list(update_run *u, const page_version *list, size_t vi)
{
    build_state *st = u->st;
    size_t last_page = 0;
    bool feeds = false;
    for (size_t i = 0; i < list->nitems; i++) {
        bool changed = false;
        for (size_t k = 0; k < u->n; k++) changed |= list->items[i] == u->v[k].pv;
        if (!changed) continue;
        size_t n = list->per_page ? i / list->per_page + 1 : 1;
        feeds |= in_feeds(list, list->items[i]);
        if (n == last_page) continue;
        last_page = n;
        const char *content = st->list_content[vi] ? st->list_content[vi] : "";
        buf html = BUF_INIT;
        arena a = ARENA_INIT;
        bool ok = render_page(st->r, list, content, n, &html, u->d) == 0;
        if (ok) {
            const char *path = list->out_path;
            if (n > 1) path = arena_printf(&a, "%sindex.html", site_list_page_url(&a, list, n) + 1);
            ok = put(u, path, &html, list->file);
        }
        arena_free(&a);
        buf_free(&html);
        if (!ok) return false;
    }
    if (feeds) feeds_write_list(st->s, list, st->base_url, u->out, u->d);
    return true;
}

static bool render_lists(update_run *u)
{
    site *s = u->st->s;
    for (size_t i = 0; i < s->nversions; i++) {
        page_version *list = s->versions[i];
        if (is_published(list) && feeds_is_list(list) && !render_list(u, list, i)) return false;
    }
    return true;
}

/* FOLIO_TIMINGS=1 prints how long each step took, as the full build does. */
static void step(const char *name, double *t)
{
    static int enabled = -1;
    if (enabled < 0) enabled = getenv("FOLIO_TIMINGS") != NULL;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double n = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
    if (enabled && name) fprintf(stderr, "folio: update %-8s %7.2f ms\n", name, n - *t);
    *t = n;
}

int build_update(build_state *st, const char *const *paths, size_t npaths, output *out, diag_list *d)
{
    update_run *u = xcalloc(1, sizeof *u);
    u->st = st;
    u->out = out;
    diag_list local;
    diag_init(&local);
    u->d = &local;
    if (st->unusable) {
        free(u);
        diag_free(&local);
        return UPDATE_NEEDS_FULL_BUILD;
    }
    st->d = &local;
    st->hooks = (build_hooks){st->r, st->images, &local};
    if (st->images) {
        build_images_set_output(st->images, out);
        renderer_set_header_images(st->r, build_hook_header_image, &st->hooks);
    }
    renderer_forget_fragments(st->r); /* a page's text changed: {% cache %}d parts may show it */
    double t;
    step(NULL, &t);
    bool ok = collect_versions(u, paths, npaths), rendered = false;
    step("find", &t);
    if (ok && u->n) {
        const page_version *checked[MAX_CHANGED_VERSIONS];
        for (size_t k = 0; k < u->n; k++) checked[k] = u->v[k].pv;
        check_options co = {-1, true, 1};
        if (!st->checks) st->checks = check_index_new(st->s);
        check_versions(st->checks, checked, u->n, &co, &local);
        step("check", &t);
        rendered = !local.errors;
        ok = !local.errors && render_contents(u) && !local.errors;
        step("content", &t);
        ok = ok && render_pages(u);
        step("page", &t);
        ok = ok && render_lists(u) && !local.errors;
        step("lists", &t);
    }
    if (ok) {
        diag_append(d, &local);
        if (!st->own_summaries && u->n) st->own_summaries = xcalloc(st->s->nversions + 1, sizeof *st->own_summaries);
        for (size_t k = 0; k < u->n; k++) {
            free(st->own_summaries[u->v[k].vi]); /* the previous update's, or NULL: the build's is in its arena */
            st->own_summaries[u->v[k].vi] = u->v[k].new_summary;
        }
    } else {
        /* Variants published into the discarded output are remembered as
         * published: past this point the state no longer matches the site. */
        if (rendered && st->images) st->unusable = true;
        for (size_t k = 0; k < u->n; k++) {
            u->v[k].pv->summary_html = u->v[k].old_summary;
            u->v[k].pv->has_more = u->v[k].old_has_more;
            free(u->v[k].new_summary);
        }
    }
    for (size_t k = 0; k < u->n; k++) buf_free(&u->v[k].content);
    if (st->images) build_images_set_output(st->images, NULL);
    st->d = NULL;
    diag_free(&local);
    free(u);
    return ok ? UPDATE_DONE : UPDATE_NEEDS_FULL_BUILD;
}
