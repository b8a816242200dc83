/* internal.h - what the check modules share: the facts gathered about each
 * page version in the parallel pass, read by the whole-site passes. */
#ifndef FOLIO_CHECK_INTERNAL_H
#define FOLIO_CHECK_INTERNAL_H

#include "check/check.h"
#include "content/frontmatter.h"
#include "lib/arena.h"
#include "lib/spell.h"
#include "lib/strmap.h"

/* An anchor ("#id") to look for in another page once every page is read. */
typedef struct anchor_ref {
    const page_version *target;
    const char *id;
    const char *url; /* as written, for the message */
    int line, col;
} anchor_ref;

/* A media file some content refers to. */
typedef struct media_ref {
    const page *pg;
    size_t index;
} media_ref;

typedef struct page_facts {
    bool scanned;
    unsigned long long body_hash; /* of the start of the text (check_text_fingerprint); 0 when too short to compare */
    const char *ids;              /* element ids, each NUL-terminated, back to back */
    size_t ids_len;
    anchor_ref *anchors;
    size_t nanchors;
    media_ref *media;
    size_t nmedia;
    const page_version **links; /* the site's pages the content links to */
    size_t nlinks;
    int date_line; /* line of `date:` in the file, 0 without one */
} page_facts;

typedef struct version_slot {
    const page_version *pv;
    size_t index; /* in s->versions and facts */
} version_slot;

typedef struct check_run {
    const site *s;
    check_options opt;
    diag_list *d;
    page_facts *facts; /* parallel to s->versions */
    arena *arenas;     /* per worker */
    strmap by_url;     /* published page URL -> page_version */
    strmap media_url;  /* media URL -> media_file */
    version_slot *slots; /* versions by address, to find a version's facts */
    const bool *only;    /* parallel to s->versions: scan just these; NULL = all */
} check_run;

/* The facts of a version (NULL when it was not scanned). */
page_facts *check_facts_of(check_run *r, const page_version *pv);

/* 1-based file line of the first occurrence of needle in the body, or the
 * body's first line; *col (when not NULL) gets its 1-based column in
 * characters, or 1. */
int check_body_line(const page_source *src, const char *needle, int *col);
/* The same for the byte at offset in the body. */
int check_body_at(const page_source *src, size_t offset, int *col);

/* Front matter of one version: key types, misspelt keys, schedule. */
void check_header(check_run *r, const page_version *pv, const page_source *src, arena *a);
/* The key checks of check_header (unknown, boolean, text and map keys)
 * on any front matter, reported against path: a page file's, or a
 * folder's frontmatter.yaml (src then holds that file's text). */
void check_header_keys(check_run *r, const char *path, const page_source *src, arena *a);
/* Content of one version: links, images, Twig, summary split, shortcodes;
 * fills f. Begun before the Markdown is parsed and ended after: between
 * the two, the parser callbacks of check_body_observer (NULL when the
 * content is not Markdown) must see the parse of the body, unless end is
 * told observed=false and parses the body itself. */
typedef struct body_check body_check;
body_check *check_body_begin(check_run *r, const page_version *pv, const page_source *src, page_facts *f, arena *a);
const struct MD_PARSER *check_body_observer(body_check *c, void **user);
void check_body_end(body_check *c, bool observed);
/* A hash of the words of text (white space only separates them, so
 * re-wrapped copies hash alike), over about the first limit bytes of
 * words (SIZE_MAX: all); 0 when the text is too short to compare. */
unsigned long long check_text_fingerprint(const char *text, size_t len, size_t limit);
/* The body of a version's file, normalised (NULL when it cannot be
 * read), body_off and body_line set; *owned: the caller frees src->text
 * (it was read again, not kept by the loader). */
void check_read_source(const page_version *pv, page_source *src, bool *owned);

/* Whole-site passes, after every version is scanned. */
void check_anchors(check_run *r);
void check_media(check_run *r);
void check_translations(check_run *r);
/* Pages no menu, list or other page leads to. */
void check_reach(check_run *r);

/* config/system.yaml: language settings that parse but mislead. */
void check_config(check_run *r);

#endif
