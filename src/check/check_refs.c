/* check_refs.c - what needs every page read first: anchors into other
 * pages, media files no content uses, and photos too heavy for the web. */
#include "check/internal.h"

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
            if (media_is_image(mf->name) && mf->size > MAX_PHOTO_BYTES)
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
