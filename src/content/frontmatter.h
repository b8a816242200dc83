/* frontmatter.h - split a Markdown page file into its YAML header and body.
 *
 * Accepted: a UTF-8 BOM, CRLF or LF line ends, a missing header (the whole
 * file is the body), a header with nothing in it. The header is the text
 * between a first line "---" and the next line that is "---" (trailing
 * spaces allowed). An opening "---" without a closing one is an error. */
#ifndef FOLIO_FRONTMATTER_H
#define FOLIO_FRONTMATTER_H

#include <stddef.h>

#include "lib/arena.h"
#include "lib/diag.h"
#include "lib/value.h"

typedef struct page_source {
    char *text;      /* malloc'd file text, normalised (source_normalize) */
    size_t len;
    value *header;   /* map; empty when there is no header; NULL on YAML error */
    size_t body_off; /* where the Markdown starts in text */
    int body_line;   /* its 1-based line in the file */
    size_t controls; /* control characters the normalising made spaces */
} page_source;

/* Normalise text in place: the BOM goes, CRLF becomes LF, and each
 * control character (U+0001 to U+001F but tab, line feed and carriage
 * return: a vertical tab comes with text copied from Word) becomes a
 * space, counted in *controls (may be NULL). Such a character breaks the
 * YAML of a header and every RSS or Atom feed that quotes it, and shows
 * as nothing or as a box in a page. NUL stays: the Markdown reader makes
 * it U+FFFD, the YAML reader reports it. Returns the new length. */
size_t source_normalize(char *text, size_t len, size_t *controls);
/* The same normalising of a file's own text, the control characters kept:
 * their offsets in the normalised text (the first max of them, the
 * offsets of the spaces source_normalize made) in at; the number found
 * in *controls. Returns how many offsets at holds. */
size_t source_control_offsets(char *text, size_t len, size_t *at, size_t max, size_t *controls);

/* What a file that is no UTF-8 text is, by its first bytes (a page saved
 * as "Unicode" by Notepad, a Word document renamed to .md), said to its
 * editor; NULL for text. frontmatter_split refuses such a file. */
const char *frontmatter_not_text(const char *text, size_t len);

/* Split src->text (already normalised) and parse the header into a. Errors
 * (unterminated header, YAML errors) go to d with path:line:col. Returns 0
 * when the header is usable, -1 otherwise (body_off is still set so the
 * page can be reported). */
int frontmatter_split(page_source *src, arena *a, const char *path, diag_list *d);
/* Only set body_off and body_line (header stays NULL): for a page whose
 * header was parsed before, without reporting anything. */
void frontmatter_find_body(page_source *src);

/* 1-based line of "key:" at the top level of src's header, for messages
 * (1 when it is not found). */
int frontmatter_key_line(const page_source *src, const char *key);

#endif
