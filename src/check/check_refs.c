/* check_refs.c - what needs every page read first: anchors into other
 * pages, media files no content uses, photos too heavy for the web, and
 * pages no menu, list or link leads to. */
#include "check/internal.h"
#include "content/collection.h"
#include "lib/files.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_PHOTO_BYTES (5LL * 1024 * 1024)

static bool has_id(const page_facts *f, const char *id)
{
    for (size_t k = 0; k < f->ids_len;) {
        const char *x = f->ids + k;
        if (!strcmp(x, id)) return true;
        k += strlen(x) + 1;
    }
    return false;
}

void check_anchors(check_run *r)
{
    const site *s = r->s;
    for (size_t i = 0; i < s->nversions; i++) {
        const page_facts *f = &r->facts[i];
        for (size_t k = 0; k < f->nanchors; k++) {
            const anchor_ref *ar = &f->anchors[k];
            const page_facts *tf = check_facts_of(r, ar->target);
            if (!tf || has_id(tf, ar->id)) continue;
            if (ar->target == s->versions[i])
                diag_add(r->d, DIAG_ERROR, s->versions[i]->file, ar->line, ar->col,
                         "link to '%s': this page has no element with id '%s'", ar->url, ar->id);
            else
                diag_add(r->d, DIAG_ERROR, s->versions[i]->file, ar->line, ar->col,
                         "link to '%s': page '%s' has no element with id '%s'", ar->url, ar->target->url, ar->id);
        }
    }
}

/* Media the theme shows without the content naming it: the header image
 * (the first image, or the first of media_order) and media_order's list. */
/* A header value naming one of the folder's files (Grav themes show
 * `hero_image: header.webp` or a list of `- logo: grav.jpg` through
 * page.media[...]): that file is used. */
static void mark_header_media(const page *pg, const value *v, bool *used, int depth)
{
    if (!v || depth > 8) return;
    if (v->kind == V_STRING) {
        for (size_t m = 0; m < pg->nmedia; m++)
            if (!strcmp(v->u.str.s, pg->media[m].name)) used[m] = true;
    } else if (v->kind == V_LIST) {
        for (size_t i = 0; i < v->u.list.len; i++) mark_header_media(pg, v->u.list.items[i], used, depth + 1);
    } else if (v->kind == V_MAP) {
        for (size_t i = 0; i < v->u.map.len; i++) mark_header_media(pg, v->u.map.items[i].val, used, depth + 1);
    }
}

static void mark_theme_media(const page *pg, const page_version *pv, bool *used)
{
    mark_header_media(pg, pv->header, used, 0);
    value *order = map_get(pv->header, "media_order");
    const char *list = order && order->kind == V_STRING ? order->u.str.s : "";
    for (size_t m = 0; m < pg->nmedia; m++) {
        const char *name = pg->media[m].name;
        size_t n = strlen(name);
        for (const char *p = list; (p = strstr(p, name)); p += n)
            if ((p == list || p[-1] == ',' || p[-1] == ' ') && (p[n] == 0 || p[n] == ',' || p[n] == ' '))
                used[m] = true;
    }
    value *hi = map_get(pv->header, "header_image");
    bool shows_header = !hi || hi->kind == V_NULL || value_truthy(hi);
    if (hi && hi->kind == V_STRING && !strcasecmp(hi->u.str.s, "false")) shows_header = false;
    if (!shows_header) return;
    for (size_t m = 0; m < pg->nmedia; m++)
        if (media_is_image(pg->media[m].name)) {
            used[m] = true;
            break;
        }
}

/* A folder with files but no page file is not a page, for Grav as for
 * folio: its files are not published. Often the text is there under a
 * name that is not quite a page file's: Windows (which hides extensions)
 * saved "item.ru.md" as "item.ru.md.txt", or it is "item.ru.MD". */
/* The length of name before an ending that is almost a page file's
 * (".md.txt", ".MD", ".markdown"), or 0; *is_txt tells ".md.txt". */
static size_t near_page_file_stem(const char *name, bool *is_txt)
{
    size_t n = strlen(name);
    *is_txt = n > 7 && !strcasecmp(name + n - 7, ".md.txt");
    if (*is_txt) return n - 7;
    if (n > 3 && !strcasecmp(name + n - 3, ".md")) return n - 3; /* ".MD", ".Md" */
    if (n > 9 && !strcasecmp(name + n - 9, ".markdown")) return n - 9;
    return 0;
}

static void report_folder_without_page(check_run *r, const page *pg)
{
    for (size_t m = 0; m < pg->nmedia; m++) {
        const char *name = pg->media[m].name;
        bool is_txt;
        size_t stem = near_page_file_stem(name, &is_txt);
        if (!stem) continue;
        diag_add(r->d, DIAG_WARNING, pg->media[m].path, 0, 0,
                 "not a page file, so this folder is not a page and nothing in it is published: name it '%.*s.md'",
                 (int)stem, name);
        return;
    }
    diag_add(r->d, DIAG_NOTE, pg->dir, 0, 0,
             "no page file (like item%s%s.md) in this folder: it is not a page, and its %zu file%s not published",
             r->s->is_multilang ? "." : "", r->s->is_multilang ? r->s->langs[0] : "", pg->nmedia,
             pg->nmedia == 1 ? " is" : "s are");
}

void check_media(check_run *r)
{
    const site *s = r->s;
    strmap used_paths = STRMAP_INIT;
    for (size_t i = 0; i < s->nversions; i++) {
        const page_facts *f = &r->facts[i];
        for (size_t k = 0; k < f->nmedia; k++)
            strmap_put(&used_paths, f->media[k].pg->media[f->media[k].index].path, (void *)1);
    }
    for (size_t i = 0; i < s->npages; i++) {
        const page *pg = s->pages[i];
        if (!pg->nmedia) continue;
        bool *used = xcalloc(pg->nmedia, sizeof *used);
        bool any_version = false;
        for (int l = 0; l < s->nlangs; l++)
            if (pg->v[l]) {
                any_version = true;
                mark_theme_media(pg, pg->v[l], used);
            }
        if (!any_version && r->opt.lang < 0) report_folder_without_page(r, pg);
        for (size_t m = 0; m < pg->nmedia; m++) {
            const media_file *mf = &pg->media[m];
            if (mf->size == 0)
                diag_add(r->d, DIAG_WARNING, mf->path, 0, 0,
                         "the file is empty (0 bytes): its upload or copy did not finish; put it here again");
            else if (media_is_image(mf->name) && mf->size > MAX_PHOTO_BYTES)
                diag_add(r->d, DIAG_WARNING, mf->path, 0, 0,
                         "photo of %.1f MB: over 5 MB makes the page slow; resize it (2000 pixels wide is plenty)",
                         (double)mf->size / (1024.0 * 1024.0));
            bool is_txt;
            size_t stem = near_page_file_stem(mf->name, &is_txt);
            if (any_version && is_txt) {
                diag_add(r->d, DIAG_WARNING, mf->path, 0, 0,
                         "a page's text saved with '.txt' after '.md' is not a page file: it is published as a file "
                         "anyone can download, and the page does not have it; name it '%.*s.md'",
                         (int)stem, mf->name);
                continue;
            }
            /* With one language checked, the others may use it. */
            if (r->opt.lang >= 0 || !any_version || used[m] || strmap_get(&used_paths, mf->path)) continue;
            diag_add(r->d, DIAG_WARNING, mf->path, 0, 0, "media file not used by any page's content");
        }
        free(used);
    }
    strmap_free(&used_paths);
}

/* ---- pages no way leads to ---------------------------------------------- */

/* Whether the site's own templates may lead anywhere: anything of
 * themes/folio/templates but the modular sections' layouts. */
static bool has_own_navigation(const site *s)
{
    char *dir = path_join(s->user_dir, "themes/folio/templates");
    DIR *d = opendir(dir);
    free(dir);
    if (!d) return false;
    bool own = false;
    for (struct dirent *e; !own && (e = readdir(d));)
        own = strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "modular");
    closedir(d);
    return own;
}

typedef struct reach_run {
    check_run *r;
    bool *seen;    /* parallel to s->versions */
    size_t *queue; /* indices of versions reached, to follow */
    size_t nqueue;
} reach_run;

static bool is_shown(const page_version *v)
{
    return v && v->published && v->routable && !v->has_error;
}

/* Reaches v and, through the language switcher, its translations. */
static void reach(reach_run *w, const page_version *v)
{
    if (!v) return;
    const page *pg = v->page;
    for (int l = 0; l < w->r->s->nlangs; l++) {
        const page_version *t = pg->v[l];
        const page_facts *f = t ? check_facts_of(w->r, t) : NULL;
        if (!f) continue;
        size_t i = (size_t)(f - w->r->facts);
        if (w->seen[i]) continue;
        w->seen[i] = true;
        w->queue[w->nqueue++] = i;
    }
}

/* Whether the built-in theme shows v with its plain page's template,
 * which lists the pages under it (collection_subpages). */
static bool shows_as_plain_page(const site *s, const page_version *v)
{
    return !strcmp(site_shown_template(s, v), "default");
}

/* Where a shown version leads: its list (the news list's posts), what it
 * lists after its text when the built-in theme shows it as a plain page,
 * its sections (whose links are its own) and its links. */
static void follow(reach_run *w, const page_version *v)
{
    if (!v->is_modular)
        for (size_t i = 0; i < v->nitems; i++) reach(w, v->items[i]);
    const page *pg = v->page;
    if ((pg->nchildren || v->nitems) && shows_as_plain_page(w->r->s, v)) {
        const page_version **sub = xmalloc((v->nitems + pg->nchildren + 1) * sizeof *sub);
        size_t n = collection_subpages(v, sub);
        for (size_t i = 0; i < n; i++) reach(w, sub[i]);
        free(sub);
    }
    for (size_t i = 0; i < pg->nchildren; i++)
        if (pg->children[i]->is_module) reach(w, pg->children[i]->v[v->lang]);
    const page_facts *f = check_facts_of(w->r, v);
    for (size_t i = 0; f && i < f->nlinks; i++) reach(w, f->links[i]);
}

/* A version to name: shown, a page of its own (not a section, an
 * address leading elsewhere or Grav's error page). */
static bool is_reportable(const page_version *v)
{
    return is_shown(v) && !v->page->is_module && !v->external_url && !v->redirect &&
           strcmp(v->template_name ? v->template_name : "", "error");
}

/* The version of pg to report against: the default language's, else the
 * first there is. */
static const page_version *report_version(const site *s, const page *pg)
{
    if (is_reportable(pg->v[s->default_lang])) return pg->v[s->default_lang];
    for (int l = 0; l < s->nlangs; l++)
        if (is_reportable(pg->v[l])) return pg->v[l];
    return NULL;
}

void check_reach(check_run *r)
{
    const site *s = r->s;
    /* With one language checked, the others' links are not known; the
     * site's own templates may have a navigation of their own. */
    if (r->opt.lang >= 0 || r->only || has_own_navigation(s)) return;
    reach_run w = {r, xcalloc(s->nversions + 1, sizeof *w.seen), xmalloc((s->nversions + 1) * sizeof *w.queue), 0};
    for (size_t i = 0; i < s->nversions; i++)
        if (s->versions[i]->is_home && is_shown(s->versions[i])) reach(&w, s->versions[i]);
    for (int l = 0; l < s->nlangs; l++) /* the latest news beside posts and on the home page, and "All news" */
        if (is_shown(site_news(s, l))) reach(&w, site_news(s, l));
    for (size_t i = 0; i < s->root->nchildren; i++) /* the menu */
        for (int l = 0; l < s->nlangs; l++) {
            const page_version *v = s->root->children[i]->v[l];
            if (is_shown(v) && v->visible) reach(&w, v);
        }
    for (size_t k = 0; k < w.nqueue; k++) {
        const page_version *v = s->versions[w.queue[k]];
        if (is_shown(v) || v->page->is_module) follow(&w, v);
    }
    /* Name the topmost pages only: what is under them is found with them. */
    for (size_t i = 0; i < s->npages; i++) {
        const page *pg = s->pages[i];
        const page_version *v = report_version(s, pg);
        const page_facts *f = v ? check_facts_of(r, v) : NULL;
        if (!f || w.seen[f - r->facts]) continue;
        const page *up = pg->parent;
        const page_version *uv = up && up->parent ? report_version(s, up) : NULL;
        const page_facts *uf = uv ? check_facts_of(r, uv) : NULL;
        if (uf && !w.seen[uf - r->facts]) continue;
        const char *how;
        if (!up || !up->parent)
            how = "number its folder ('01.name') or set 'visible: true' to put it in the menu, or link to it from a page";
        else if (!uv) how = "the folder above it has no published page to list it; link to it from a page";
        else if (value_path(uv->header, "content.items"))
            how = "its parent page's list (content.items) leaves it out; link to it from a page";
        else if (!shows_as_plain_page(s, uv))
            how = "its parent page is shown as a post or a list, which names no pages under it; link to it from a page";
        else
            how = "number its folder ('01.name') or set 'visible: true' for its parent page to list it, or link to "
                  "it from a page";
        diag_add(r->d, DIAG_NOTE, v->file, 1, 1,
                 "no menu, list or other page leads here, so visitors find this page only by its address: %s", how);
    }
    free(w.seen);
    free(w.queue);
}
