/* check.c - runs the checks: one parallel pass reads every page version
 * (front matter and content, the costly part), then the passes that need
 * the whole site (anchors in other pages, unused media, translations)
 * run on the facts it gathered. */
#include "check/internal.h"
#include "lib/files.h"
#include "lib/pool.h"
#include "lib/strmap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



int check_body_at(const page_source *src, size_t offset, int *col)
{
    const char *body = src->text + src->body_off, *at = body + offset;
    int line = src->body_line > 0 ? src->body_line : 1;
    const char *line_start = body;
    for (const char *p = body; p < at; p++)
        if (*p == '\n') line++, line_start = p + 1;
    if (col) {
        /* UTF-8 continuation bytes do not start a character. */
        int c = 1;
        for (const char *p = line_start; p < at; p++)
            if (((unsigned char)*p & 0xC0) != 0x80) c++;
        *col = c;
    }
    return line;
}

int check_body_line(const page_source *src, const char *needle, int *col)
{
    const char *body = src->text + src->body_off;
    const char *hit = needle && *needle ? memmem(body, src->len - src->body_off, needle, strlen(needle)) : NULL;
    if (hit) return check_body_at(src, (size_t)(hit - body), col);
    if (col) *col = 1;
    return src->body_line > 0 ? src->body_line : 1;
}

void check_read_source(const page_version *pv, page_source *src, bool *owned)
{
    *src = (page_source){0};
    src->text = site_source(pv, &src->len, &src->controls, owned);
    if (!src->text) return;
    /* The loader parsed the header; only where the body starts is needed. */
    frontmatter_find_body(src);
}

static int by_address(const void *a, const void *b)
{
    const page_version *x = ((const version_slot *)a)->pv, *y = ((const version_slot *)b)->pv;
    return x < y ? -1 : x > y;
}

page_facts *check_facts_of(check_run *r, const page_version *pv)
{
    version_slot key = {pv, 0};
    const version_slot *hit = bsearch(&key, r->slots, r->s->nversions, sizeof *r->slots, by_address);
    if (!hit) return NULL;
    page_facts *f = &r->facts[hit->index];
    return f->scanned ? f : NULL;
}

/* Line and column of offset in src's whole text. */
static int text_at(const page_source *src, size_t offset, int *col)
{
    int line = 1;
    size_t start = 0;
    for (size_t i = 0; i < offset && i < src->len; i++)
        if (src->text[i] == '\n') line++, start = i + 1;
    int c = 1;
    for (size_t i = start; i < offset && i < src->len; i++)
        if (((unsigned char)src->text[i] & 0xC0) != 0x80) c++;
    *col = c;
    return line;
}

/* Control characters the loader made spaces (src->controls of them):
 * where they were, from the file as it is on disk (the loaded text has
 * spaces there, at the same offsets). */
#define CONTROLS_SHOWN 5

static void report_controls(check_run *r, const page_version *pv, const page_source *src)
{
    size_t len, at[CONTROLS_SHOWN], found = 0, shown = 0;
    char *raw = file_read(pv->file, &len, MAX_PAGE_FILE);
    if (raw) shown = source_control_offsets(raw, len, at, CONTROLS_SHOWN, &found);
    for (size_t k = 0; k < shown; k++) {
        unsigned char c = (unsigned char)raw[at[k]];
        const char *what = c == 0x0B ? " (a line break from Word)" : c == 0x0C ? " (a page break)" : "";
        char more[64] = "";
        if (k + 1 == shown && found > shown) snprintf(more, sizeof more, "; %zu more in this file", found - shown);
        int col, line = text_at(src, at[k], &col);
        diag_add(r->d, DIAG_WARNING, pv->file, line, col,
                 "control character U+%04X%s is not text: it is shown as a space; delete it%s", c, what, more);
    }
    if (!shown)
        diag_add(r->d, DIAG_WARNING, pv->file, 1, 1,
                 "%zu control characters (not text) are shown as spaces: delete them", src->controls);
    free(raw);
}

/* One version being checked; see check_page_begin. */
struct check_page {
    check_run *r;
    size_t index;
    const page_source *src;
    body_check *body;
};

static check_page *page_begin(check_run *r, int worker, size_t i, const page_source *src)
{
    const page_version *pv = r->s->versions[i];
    if (r->opt.lang >= 0 && pv->lang != r->opt.lang) return NULL;
    if (r->only && !r->only[i]) return NULL;
    arena *a = &r->arenas[worker];
    /* UTF-16 or a Word document: the loader said so, and nothing of it
     * is text to look at. */
    if (pv->has_error && frontmatter_not_text(src->text, src->len)) return NULL;
    size_t k = 0;
    while (k < src->len && (src->text[k] == ' ' || src->text[k] == '\n' || src->text[k] == '\t')) k++;
    if (k == src->len && !pv->page->frontmatter)
        diag_add(r->d, DIAG_WARNING, pv->file, 1, 1,
                 "the file is empty: it is published as a page without text, titled '%s' after its folder and "
                 "dated by the file's time (in a list of posts, among the newest)",
                 pv->title);
    /* The loader parsed the header already (and reported its errors);
     * what is checked is the file's own, whose lines src has. */
    if (src->controls) report_controls(r, pv, src);
    page_source with_header = *src;
    with_header.header = pv->has_error ? NULL : pv->own_header ? (value *)pv->own_header : pv->header;
    if (with_header.header) check_header(r, pv, &with_header, a);
    check_page *c = xmalloc(sizeof *c);
    *c = (check_page){r, i, src, check_body_begin(r, pv, src, &r->facts[i], a)};
    return c;
}

static void page_end(check_page *c, bool observed)
{
    if (!c) return;
    check_run *r = c->r;
    const page_version *pv = r->s->versions[c->index];
    check_body_end(c->body, observed);
    if (map_get(pv->header, "date")) r->facts[c->index].date_line = frontmatter_key_line(c->src, "date");
    r->facts[c->index].scanned = true;
    free(c);
}

static void scan_version(void *ctx, int worker, size_t i)
{
    check_run *r = ctx;
    const page_version *pv = r->s->versions[i];
    if (r->opt.lang >= 0 && pv->lang != r->opt.lang) return;
    if (r->only && !r->only[i]) return;
    page_source src;
    bool owned;
    check_read_source(pv, &src, &owned);
    if (!src.text) return; /* the loader reported it */
    page_end(page_begin(r, worker, i, &src), false);
    if (owned) free(src.text);
}

/* What every run looks pages and media up in; kept by check_index for
 * repeated runs over the same site. */
struct check_index {
    const site *s;
    strmap by_url;
    strmap media_url;
    version_slot *slots;
};

static void index_build(check_index *ix, const site *s)
{
    ix->s = s;
    for (size_t i = 0; i < s->nversions; i++) {
        page_version *pv = s->versions[i];
        if (pv->published && pv->routable && !pv->has_error) strmap_put(&ix->by_url, pv->url, pv);
    }
    for (size_t i = 0; i < s->npages; i++)
        for (size_t m = 0; m < s->pages[i]->nmedia; m++)
            if (s->pages[i]->media[m].url) strmap_put(&ix->media_url, s->pages[i]->media[m].url, &s->pages[i]->media[m]);
    ix->slots = xmalloc((s->nversions + 1) * sizeof *ix->slots);
    for (size_t i = 0; i < s->nversions; i++) ix->slots[i] = (version_slot){s->versions[i], i};
    qsort(ix->slots, s->nversions, sizeof *ix->slots, by_address);
}

static void index_release(check_index *ix)
{
    strmap_free(&ix->by_url);
    strmap_free(&ix->media_url);
    free(ix->slots);
}

check_index *check_index_new(const site *s)
{
    check_index *ix = xcalloc(1, sizeof *ix);
    index_build(ix, s);
    return ix;
}

void check_index_free(check_index *ix)
{
    if (!ix) return;
    index_release(ix);
    free(ix);
}

/* A run over every version (only == NULL) or those marked; ix is the
 * caller's index or NULL for one of the run's own. */
struct check_pass {
    check_run r;
    check_index own;
    bool owns_index;
    int threads;
    size_t errors_before;
};

static check_pass *pass_begin(const site *s, const check_options *opt, const bool *only, const check_index *given,
                              diag_list *d)
{
    check_pass *p = xcalloc(1, sizeof *p);
    p->errors_before = d->errors;
    if (!given) {
        index_build(&p->own, s);
        p->owns_index = true;
    }
    const check_index *ix = given ? given : &p->own;
    check_run *r = &p->r;
    r->s = s;
    r->opt = opt ? *opt : (check_options){-1, false, 0};
    r->d = d;
    r->only = only;
    /* Read-only from here on: the run borrows the index's tables. */
    r->by_url = ix->by_url;
    r->media_url = ix->media_url;
    r->slots = ix->slots;
    p->threads = pool_threads(r->opt.threads);
    r->arenas = xcalloc((size_t)p->threads, sizeof *r->arenas);
    r->facts = xcalloc(s->nversions + 1, sizeof *r->facts);
    return p;
}

static void whole_site_check(void *ctx, int worker, size_t i)
{
    check_run *r = ctx;
    (void)worker;
    switch (i) {
    case 0: check_anchors(r); break;
    case 1: check_media(r); break; /* 1 to 3 need every page's facts: not with r->only */
    case 2: check_translations(r); break;
    case 3: check_reach(r); break;
    default: check_config(r); break;
    }
}

static size_t pass_end(check_pass *p)
{
    check_run *r = &p->r;
    /* The whole-site checks read the facts and report; none writes
     * anything another reads, so they run side by side. */
    parallel_for(r->only ? 1 : 5, p->threads, whole_site_check, r);
    if (p->owns_index) index_release(&p->own);
    for (int t = 0; t < p->threads; t++) arena_free(&r->arenas[t]);
    free(r->arenas);
    free(r->facts);
    size_t errors = r->d->errors - p->errors_before;
    free(p);
    return errors;
}

static size_t check_run_all(const site *s, const check_options *opt, const bool *only, const check_index *given,
                            diag_list *d)
{
    check_pass *p = pass_begin(s, opt, only, given, d);
    parallel_for(s->nversions, p->threads, scan_version, &p->r);
    return pass_end(p);
}

check_pass *check_pass_begin(const site *s, const check_options *opt, diag_list *d)
{
    return pass_begin(s, opt, NULL, NULL, d);
}

check_page *check_page_begin(check_pass *p, int worker, size_t index, const page_source *src)
{
    return page_begin(&p->r, worker, index, src);
}

const struct MD_PARSER *check_page_observer(check_page *c, void **user)
{
    *user = NULL;
    return c ? check_body_observer(c->body, user) : NULL;
}

void check_page_end(check_page *c, bool observed) { page_end(c, observed); }

size_t check_pass_end(check_pass *p) { return pass_end(p); }

size_t check_site(const site *s, const check_options *opt, diag_list *d)
{
    return check_run_all(s, opt, NULL, NULL, d);
}

typedef struct language_files {
    strmap mine, others; /* the files the language reads; those only others read */
} language_files;

static bool is_about_language(const diag *x, void *user)
{
    const language_files *f = user;
    return !x->path || !strmap_get(&f->others, x->path) || strmap_get(&f->mine, x->path);
}

size_t check_keep_language(const site *s, int lang, diag_list *d)
{
    language_files f = {STRMAP_INIT, STRMAP_INIT};
    size_t checked = 0;
    for (size_t i = 0; i < s->nversions; i++) {
        const page_version *pv = s->versions[i];
        strmap_put(pv->lang == lang ? &f.mine : &f.others, pv->file, (void *)1);
        checked += pv->lang == lang;
    }
    diag_keep(d, is_about_language, &f);
    strmap_free(&f.mine);
    strmap_free(&f.others);
    return checked;
}

size_t check_versions(const check_index *ix, const page_version *const *v, size_t n, const check_options *opt,
                      diag_list *d)
{
    const site *s = ix->s;
    bool *only = xcalloc(s->nversions + 1, sizeof *only);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < s->nversions; i++)
            if (s->versions[i] == v[k]) only[i] = true;
    size_t errors = check_run_all(s, opt, only, ix, d);
    free(only);
    return errors;
}
