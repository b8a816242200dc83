/* entity.h - HTML character references (&amp; &#1234; &#x4E2D;) to UTF-8.
 *
 * CommonMark asks for references in Markdown text to be replaced by the
 * characters they stand for; the shortcode pass needs the same to read
 * attribute values the Markdown renderer escaped. Named references come
 * from the HTML5 list (entity_table.c, generated). Also the one HTML tag
 * scanner the shortcode and summary passes share. */
#ifndef FOLIO_ENTITY_H
#define FOLIO_ENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* Decode one reference: s[0..len) is the whole `&...;`. On success the
 * UTF-8 text is appended to out and true returned; an unknown name or a
 * malformed reference appends nothing and returns false. Numeric
 * references to 0, surrogates or beyond U+10FFFF give U+FFFD, as
 * CommonMark specifies. */
bool html_entity_decode(const char *s, size_t len, buf *out);

/* Length of the reference starting at s[0] == '&' (up to and including
 * its ';') when it is one html_entity_decode would accept, else 0. */
size_t html_entity_length(const char *s, size_t len);


/* End of the HTML tag starting at s[0] == '<': the offset after its '>',
 * skipping '>' inside quoted attribute values; 0 when unterminated. */
size_t html_tag_end(const char *s, size_t len);

#endif
