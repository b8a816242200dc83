/* check.h - `folio check`: everything that is wrong or doubtful in a
 * site's content, found without writing anything.
 *
 * The loader (site_load) already reports YAML errors, unreadable dates and
 * two pages on one route; check_site adds what needs the whole site or the
 * rendered content: mistyped and misspelt front matter keys, links and
 * anchors that lead nowhere, missing and unused media, translations that
 * are missing or disagree on the date, a post duplicated in two folders,
 * Twig and shortcode trouble, images without alt text, oversized photos,
 * posts without a summary split and scheduled posts. `folio build` calls
 * the same function, so a build prints the same warnings. */
#ifndef FOLIO_CHECK_H
#define FOLIO_CHECK_H

#include <stdbool.h>

#include "content/frontmatter.h"
#include "content/site.h"
#include "lib/buf.h"
#include "lib/diag.h"

struct MD_PARSER; /* md4c.h */

typedef struct check_options {
    int lang;             /* only this language's pages (index), -1 for all */
    bool in_build;        /* the caller is a build: it renders content and reports shortcode problems and
                           * the site's missing url itself */
    int threads;          /* 0 = one per core */
} check_options;

/* Check a loaded site; every finding goes to d (errors, warnings, and
 * notes for information such as scheduled posts). opt may be NULL for
 * the defaults. Thread-safe for the site (reads only). Returns the number
 * of errors it added. */
size_t check_site(const site *s, const check_options *opt, diag_list *d);

/* check_site inside a build, which reads and parses every page anyway:
 * the check looks at each version while the build renders it instead of
 * reading and parsing the file again. Begin the pass, then for every
 * version of the site (from any worker of a pool of opt->threads)
 * check_page_begin with its text, parse its body with the callbacks of
 * check_page_observer called along (when it returns one) and
 * check_page_end; observed=false makes the check parse the body itself.
 * check_pass_end runs the whole-site checks, frees the pass and returns
 * the number of errors added. */
typedef struct check_pass check_pass;
typedef struct check_page check_page;
check_pass *check_pass_begin(const site *s, const check_options *opt, diag_list *d);
/* src: the version's file text, normalised, with body_off and body_line
 * set (frontmatter.h). Returns NULL for a version the options leave out;
 * the other two functions accept NULL. */
check_page *check_page_begin(check_pass *p, int worker, size_t index, const page_source *src);
const struct MD_PARSER *check_page_observer(check_page *c, void **user);
void check_page_end(check_page *c, bool observed);
size_t check_pass_end(check_pass *p);

/* The lookup tables of a loaded site (published URLs, media), built once
 * for repeated check_versions calls. Valid as long as s is unchanged. */
typedef struct check_index check_index;
check_index *check_index_new(const site *s);
void check_index_free(check_index *ix);

/* The checks of single versions of ix's site (a live update of their
 * content): what check_site reports about them, except anchors in other
 * pages pointing into them and the whole-site findings (unused media,
 * translations). Returns the number of errors it added. */
size_t check_versions(const check_index *ix, const page_version *const *v, size_t n, const check_options *opt,
                      diag_list *d);

/* For a check of one language: leaves out of d the findings about files
 * only the other languages read (loading the site reports them all), and
 * returns how many page versions lang has. */
size_t check_keep_language(const site *s, int lang, diag_list *d);

/* The translation table: one line per page that lacks a language, with
 * the page's folder and, per language, its code when the page is written
 * in it or "--" when not:  "02.news/2024-05-25-exchange  kk ru --".
 * Appends nothing when every page is in every language. */
void check_translation_table(const site *s, buf *out);

#endif
