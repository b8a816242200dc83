/* utf8.h - is it UTF-8? Pages saved by an editor in a legacy code page
 * (Windows-1251 for Russian and Kazakh) must be reported, not published
 * as garbage. */
#ifndef FOLIO_UTF8_H
#define FOLIO_UTF8_H

#include <stddef.h>

#include "lib/buf.h"

/* Offset of the first byte of s[0..n) that does not start a well-formed
 * UTF-8 sequence (overlong forms, surrogates and code points above
 * U+10FFFF are not), or n when all of it is UTF-8. */
size_t utf8_check(const char *s, size_t n);

/* Append s[0..n) to out with each byte that starts no well-formed
 * sequence written as U+FFFD, as a browser shows it. */
void utf8_append_valid(buf *out, const char *s, size_t n);

#endif
