/* find.h - a substring in a long text, fast when the substring has a
 * byte the text seldom has.
 *
 * glibc's memmem reads every byte of the text at some cost each; most
 * searches of a build look for a few marks ("<p>===</p>", the delimiter
 * of a summary; "gallery-slides" in a page) in pages that do not have
 * them. find_bytes looks for the substring's rarest byte with memchr,
 * which skips through the text many bytes at a time, and compares the
 * whole substring only where that byte is. */
#ifndef FOLIO_FIND_H
#define FOLIO_FIND_H

#include <stddef.h>

/* The first needle[0..m) in hay[0..n), or NULL; hay itself for m == 0. */
const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m);

#endif
