/* http.h - reading the parts of an HTTP request the server acts on:
 * the request path, Accept-Language, Accept-Encoding, Range, If-None-Match
 * and HTTP dates. Pure functions over strings, no I/O. */
#ifndef FOLIO_HTTP_H
#define FOLIO_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Percent-decode a raw request path once and normalise it into out (cap
 * bytes): empty and "." segments are dropped, a trailing '/' is kept.
 * Returns 0, or 400 when the path does not start with '/', contains a
 * ".." segment, a backslash, a control byte, an encoded '/', '\' or NUL,
 * a malformed escape or invalid UTF-8, or does not fit in out. */
int http_decode_path(const char *raw, char *out, size_t cap);

/* The best of langs (n codes, langs[0] the default) for an Accept-Language
 * header: highest q wins, earlier entries win ties, "ru-RU" matches "ru",
 * "*" means the default. Returns the index into langs (0 when nothing
 * matches or header is NULL). */
size_t http_pick_language(const char *header, const char *const *langs, size_t n);

/* True when an Accept-Encoding header accepts coding ("br", "gzip") with
 * q > 0, naming it or "*". */
bool http_accepts_encoding(const char *header, const char *coding);

/* A Range header against a body of len bytes. Returns 1 with the inclusive
 * [*first, *last] of a single satisfiable range, -1 when unsatisfiable
 * (416), 0 when the header should be ignored (absent, not bytes, several
 * ranges, malformed) and the whole body sent. */
int http_parse_range(const char *header, size_t len, size_t *first, size_t *last);

/* True when an If-None-Match header matches etag (quoted, e.g. "\"ab12\"");
 * weak tags compare equal, "*" matches anything. A tag whose opaque part
 * is etag's followed by "-gz" or "-br" (the encoded forms) matches too. */
bool http_etag_matches(const char *header, const char *etag);

/* Parse an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"). -1 when invalid. */
time_t http_parse_date(const char *s);

#endif
