/* url.h - percent-decoding of URL parts written in pages, and the two
 * percent-encodings the output needs. */
#ifndef FOLIO_URL_H
#define FOLIO_URL_H

#include <stddef.h>

#include "lib/buf.h"

/* Decode %XX sequences of src[0..n) into dst (which has room for n + 1
 * bytes); a '%' not followed by two hex digits stays as it is. Returns the
 * decoded length; dst is NUL-terminated. */
size_t url_percent_decode(char *dst, const char *src, size_t n);

/* Append s[0..n) with every byte but RFC 3986's unreserved ones
 * (A-Z a-z 0-9 - . _ ~) as %XX: a file name or a query value made a URL
 * segment (PHP's rawurlencode). */
void url_encode_component(buf *out, const char *s, size_t n);
/* Append s[0..n) with only the bytes a URI cannot hold as %XX: letters
 * beyond ASCII, controls, the space and " ' < > \ ^ ` { | }. Slashes,
 * '%' and the other delimiters stay: for an address that is already one,
 * such as a page's ("/ru/news/новости/"). */
void url_encode_unsafe(buf *out, const char *s, size_t n);

#endif
