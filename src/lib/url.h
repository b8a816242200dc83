/* url.h - percent-decoding of URL parts written in pages. */
#ifndef FOLIO_URL_H
#define FOLIO_URL_H

#include <stddef.h>

/* Decode %XX sequences of src[0..n) into dst (which has room for n + 1
 * bytes); a '%' not followed by two hex digits stays as it is. Returns the
 * decoded length; dst is NUL-terminated. */
size_t url_percent_decode(char *dst, const char *src, size_t n);

#endif
