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
    char *text;      /* malloc'd file text, BOM removed, CRLF turned into LF */
    size_t len;
    value *header;   /* map; empty when there is no header; NULL on YAML error */
    size_t body_off; /* where the Markdown starts in text */
    int body_line;   /* its 1-based line in the file */
} page_source;

/* Normalise text in place (BOM, CRLF); returns the new length. */
size_t source_normalize(char *text, size_t len);

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
