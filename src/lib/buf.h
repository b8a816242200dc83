/* buf.h - the one growable byte buffer used for all output.
 *
 * A buf is always NUL-terminated (b->s[b->len] == 0) once anything was
 * added, so b->s can be handed to C string functions. Growth doubles the
 * capacity; allocation failure aborts the process (there is no sensible
 * recovery from out-of-memory in a site build). */
#ifndef FOLIO_BUF_H
#define FOLIO_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
    char *s;
    size_t len;
    size_t cap;
} buf;

#define BUF_INIT {NULL, 0, 0}

/* Make room for extra more bytes (and the NUL); the slow path reallocates. */
void buf_grow_slow(buf *b, size_t extra);
/* Inline because output is built a byte or a few bytes at a time: a
 * call per byte shows in profiles of the build. */
static inline void buf_grow(buf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap) buf_grow_slow(b, extra);
}
void buf_add(buf *b, const void *data, size_t len);
void buf_puts(buf *b, const char *s);
static inline void buf_putc(buf *b, char c)
{
    buf_grow(b, 1);
    b->s[b->len++] = c;
    b->s[b->len] = 0;
}
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* buf_printf(b, "%ld", v) without parsing a format: for names and
 * attributes made by the thousand. */
void buf_put_long(buf *b, long v);
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Length of the start of s[0..len) that HTML escaping leaves as it is:
 * no '&', '<', '>' or '"', nor '\'' when apostrophes is set, nor '['
 * when brackets is. The hot loop of every escaper (text is mostly
 * such runs); sixteen bytes at a time where the CPU has SSE2. */
size_t html_plain_span(const char *s, size_t len, bool apostrophes, bool brackets);

/* Append with HTML escaping of & < > " (and ' when quote_single). */
void buf_add_html(buf *b, const char *s, size_t len);
/* Append ` name="value"`, the value escaped. */
void buf_add_attr(buf *b, const char *name, const char *value);
/* Append code point cp as UTF-8; surrogates and values past U+10FFFF
 * become U+FFFD. */
void buf_put_utf8(buf *out, unsigned long cp);
/* s[0..n) with each NUL byte written as U+FFFD (CommonMark's rule for
 * it): a NUL in a page's HTML would end it for whatever reads it as text. */
void buf_add_without_nul(buf *b, const char *s, size_t n);
void buf_truncate(buf *b, size_t len);
void buf_reset(buf *b); /* len = 0, keeps memory */
void buf_free(buf *b);
/* Hand the contents to the caller (malloc'd, NUL-terminated), leave b empty. */
char *buf_detach(buf *b, size_t *len);
/* Returns b->s, or "" when nothing was ever added. */
const char *buf_cstr(const buf *b);

/* Allocation helpers that abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
