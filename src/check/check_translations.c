/* check_translations.c - the languages of each page seen side by side:
 * a page written in some languages but not in others (the translation
 * table), a translation whose date differs from its siblings', and the
 * same post present twice (the same text in two folders, as happens when
 * a news folder is copied instead of renamed). */
#include "check/internal.h"
#include "lib/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether pv was written for its own language (not a fallback file). */
static bool is_own(const site *s, const page_version *pv)
{
    return pv && (!pv->file_lang[0] || !strcmp(pv->file_lang, s->langs[pv->lang]));
}

static void check_missing_languages(check_run *r, const page *pg)
{
    const site *s = r->s;
    int nown = 0, first = -1;
    for (int l = 0; l < s->nlangs; l++)
        if (is_own(s, pg->v[l])) {
            nown++;
            if (first < 0) first = l;
        }
    if (nown == 0 || nown == s->nlangs) return;
    buf have = BUF_INIT, missing = BUF_INIT;
    for (int l = 0; l < s->nlangs; l++) {
        buf *b = is_own(s, pg->v[l]) ? &have : &missing;
        if (b == &missing && r->opt.lang >= 0 && l != r->opt.lang) continue;
        if (b->len) buf_puts(b, ", ");
        buf_puts(b, s->langs[l]);
        if (b == &missing) {
            if (pg->v[l]) buf_printf(b, " (shows the %s text)", pg->v[l]->file_lang);
            else buf_puts(b, " (absent from that site)");
        }
    }
    if (missing.len)
        diag_add(r->d, DIAG_WARNING, pg->v[first]->file, 1, 1, "translation missing: written in %s; not in %s",
                 buf_cstr(&have), buf_cstr(&missing));
    buf_free(&have);
    buf_free(&missing);
}

static void check_dates(check_run *r, const page *pg)
{
    const site *s = r->s;
    const page_version *ref = NULL;
    for (int l = 0; l < s->nlangs; l++) {
        const page_version *pv = pg->v[l];
        if (!is_own(s, pv) || pv->has_error || !map_get(pv->header, "date")) continue;
        if (!ref) {
            ref = pv;
            continue;
        }
        if (pv->date == ref->date) continue;
        if (r->opt.lang >= 0 && pv->lang != r->opt.lang && ref->lang != r->opt.lang) continue;
        page_facts *f = check_facts_of(r, pv);
        buf mine = BUF_INIT, theirs = BUF_INIT;
        date_format(&mine, "d-m-Y H:i", pv->date, NULL);
        date_format(&theirs, "d-m-Y H:i", ref->date, NULL);
        diag_add(r->d, DIAG_WARNING, pv->file, f && f->date_line ? f->date_line : 1, 1,
                 "date %s differs from the %s version's %s", buf_cstr(&mine), s->langs[ref->lang],
                 buf_cstr(&theirs));
        buf_free(&mine);
        buf_free(&theirs);
    }
    /* A translation without a date shows its file's time: a post of 2023
     * at the top of the news, dated today, in one language. */
    for (int l = 0; ref && l < s->nlangs; l++) {
        const page_version *pv = pg->v[l];
        if (!is_own(s, pv) || pv->has_error || map_get(pv->header, "date")) continue;
        if (r->opt.lang >= 0 && pv->lang != r->opt.lang) continue;
        buf mine = BUF_INIT, theirs = BUF_INIT;
        date_format(&mine, "d-m-Y H:i", pv->date, NULL);
        date_format(&theirs, "d-m-Y H:i", ref->date, NULL);
        diag_add(r->d, DIAG_WARNING, pv->file, 1, 1,
                 "no date: this version is dated by its file's time (%s), the %s version %s; add date: '%s'",
                 buf_cstr(&mine), s->langs[ref->lang], buf_cstr(&theirs), buf_cstr(&theirs));
        buf_free(&mine);
        buf_free(&theirs);
    }
}

/* The fingerprint of a version's whole text, read again: only for the
 * few versions whose quick fingerprints (the start of the text) match. */
static unsigned long long whole_fingerprint(const page_version *pv)
{
    page_source src;
    bool owned;
    check_read_source(pv, &src, &owned);
    if (!src.text) return 0;
    unsigned long long h = check_text_fingerprint(src.text + src.body_off, src.len - src.body_off, (size_t)-1);
    if (owned) free(src.text);
    return h;
}

static void check_duplicates(check_run *r)
{
    const site *s = r->s;
    strmap quick[SITE_MAX_LANGS], seen[SITE_MAX_LANGS];
    arena keys = ARENA_INIT;
    for (int l = 0; l < s->nlangs; l++) quick[l] = seen[l] = (strmap)STRMAP_INIT;
    /* Candidates: versions whose text starts like another one's. */
    bool *candidate = xcalloc(s->nversions + 1, sizeof *candidate);
    for (size_t i = 0; i < s->nversions; i++) {
        const page_version *pv = s->versions[i];
        const page_facts *f = &r->facts[i];
        if (!f->scanned || !f->body_hash || !is_own(s, pv)) continue;
        const char *key = arena_printf(&keys, "%016llx", f->body_hash);
        size_t *first = strmap_get(&quick[pv->lang], key);
        if (!first) {
            size_t *at = arena_alloc(&keys, sizeof *at);
            *at = i;
            strmap_put(&quick[pv->lang], key, at);
            continue;
        }
        candidate[*first] = candidate[i] = true;
    }
    /* Among them, the same whole text, in the order of the site. */
    for (size_t i = 0; i < s->nversions; i++) {
        if (!candidate[i]) continue;
        const page_version *pv = s->versions[i];
        unsigned long long h = whole_fingerprint(pv);
        if (!h) continue;
        const char *key = arena_printf(&keys, "%016llx", h);
        const page_version *other = strmap_get(&seen[pv->lang], key);
        if (!other) {
            strmap_put(&seen[pv->lang], key, (void *)pv);
            continue;
        }
        if (other->page == pv->page || other->file == pv->file) continue;
        diag_add(r->d, DIAG_WARNING, pv->file, 1, 1,
                 "the same text as '%s': is this post in two folders? (%s)", other->file, s->langs[pv->lang]);
    }
    free(candidate);
    for (int l = 0; l < s->nlangs; l++) {
        strmap_free(&quick[l]);
        strmap_free(&seen[l]);
    }
    arena_free(&keys);
}

void check_translations(check_run *r)
{
    const site *s = r->s;
    if (s->nlangs > 1)
        for (size_t i = 0; i < s->npages; i++) {
            check_missing_languages(r, s->pages[i]);
            check_dates(r, s->pages[i]);
        }
    check_duplicates(r);
}

void check_translation_table(const site *s, buf *out)
{
    if (s->nlangs < 2) return;
    bool any = false;
    for (size_t i = 0; i < s->npages; i++) {
        const page *pg = s->pages[i];
        int nown = 0;
        for (int l = 0; l < s->nlangs; l++) nown += is_own(s, pg->v[l]);
        if (nown == 0 || nown == s->nlangs) continue;
        if (!any) {
            buf_puts(out, "translations missing:\n");
            any = true;
        }
        buf_printf(out, "  %-60s", pg->rel);
        for (int l = 0; l < s->nlangs; l++) buf_printf(out, " %s", is_own(s, pg->v[l]) ? s->langs[l] : "--");
        buf_putc(out, '\n');
    }
}
