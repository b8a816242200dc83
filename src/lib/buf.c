/* buf.c - growable byte buffer and aborting allocators. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static void out_of_memory(void)
{
    fputs("folio: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) out_of_memory();
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

void buf_grow_slow(buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    b->s = xrealloc(b->s, cap);
    if (!b->cap) b->s[0] = 0; /* a fresh buffer reads as "" at once */
    b->cap = cap;
}

void buf_add(buf *b, const void *data, size_t len)
{
    buf_grow(b, len);
    if (len) memcpy(b->s + b->len, data, len);
    b->len += len;
    b->s[b->len] = 0;
}

void buf_puts(buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    /* Format straight into the free space; only output that does not
     * fit is formatted a second time, after growing. */
    buf_grow(b, 64);
    size_t room = b->cap - b->len;
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(b->s + b->len, room, fmt, cp);
    va_end(cp);
    if (n < 0) {
        b->s[b->len] = 0;
        return;
    }
    if ((size_t)n >= room) {
        buf_grow(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
}

void buf_put_long(buf *b, long v)
{
    char digits[24], *p = digits + sizeof digits;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    buf_add(b, p, (size_t)(digits + sizeof digits - p));
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

#ifdef __SSE2__
/* Bytes of v that need escaping, as a bit mask. */
static inline int html_special_mask(__m128i v, bool apostrophes, bool brackets)
{
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')), _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))),
                               _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
    if (apostrophes) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('\'')));
    if (brackets) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('[')));
    return _mm_movemask_epi8(hit);
}
#endif

size_t html_plain_span(const char *s, size_t len, bool apostrophes, bool brackets)
{
    size_t i = 0;
#ifdef __SSE2__
    for (; i + 16 <= len; i += 16) {
        int mask = html_special_mask(_mm_loadu_si128((const __m128i *)(s + i)), apostrophes, brackets);
        if (mask) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
    /* The last few bytes (most text runs are short): one more compare on
     * a copy padded with NULs, which never match. */
    if (i < len) {
        char tail[16] = {0};
        memcpy(tail, s + i, len - i);
        int mask = html_special_mask(_mm_loadu_si128((const __m128i *)tail), apostrophes, brackets);
        return mask ? i + (size_t)__builtin_ctz((unsigned)mask) : len;
    }
    return len;
#else
    for (; i < len; i++) {
        char c = s[i];
        if (c == '&' || c == '<' || c == '>' || c == '"' || (apostrophes && c == '\'') || (brackets && c == '['))
            return i;
    }
    return len;
#endif
}

void buf_add_attr(buf *b, const char *name, const char *value)
{
    buf_putc(b, ' ');
    buf_puts(b, name);
    buf_puts(b, "=\"");
    buf_add_html(b, value, strlen(value));
    buf_putc(b, '"');
}

void buf_add_html(buf *b, const char *s, size_t len)
{
    buf_grow(b, len);
    size_t i = 0;
    while (i < len) {
        size_t run = html_plain_span(s + i, len - i, true, false);
        buf_add(b, s + i, run);
        i += run;
        if (i == len) break;
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        default: rep = "&#039;"; break;
        }
        buf_puts(b, rep);
        i++;
    }
    if (!len) buf_add(b, "", 0);
}

void buf_truncate(buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->s[len] = 0;
    }
}

void buf_reset(buf *b) { buf_truncate(b, 0); }

void buf_free(buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

char *buf_detach(buf *b, size_t *len)
{
    if (!b->s) buf_grow(b, 0), b->s[0] = 0;
    char *s = b->s;
    if (len) *len = b->len;
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

const char *buf_cstr(const buf *b) { return b->s ? b->s : ""; }

void buf_put_utf8(buf *out, unsigned long cp)
{
    char tmp[4];
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        tmp[0] = (char)cp;
        buf_add(out, tmp, 1);
    } else if (cp < 0x800) {
        tmp[0] = (char)(0xC0 | (cp >> 6));
        tmp[1] = (char)(0x80 | (cp & 0x3F));
        buf_add(out, tmp, 2);
    } else if (cp < 0x10000) {
        tmp[0] = (char)(0xE0 | (cp >> 12));
        tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[2] = (char)(0x80 | (cp & 0x3F));
        buf_add(out, tmp, 3);
    } else {
        tmp[0] = (char)(0xF0 | (cp >> 18));
        tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[3] = (char)(0x80 | (cp & 0x3F));
        buf_add(out, tmp, 4);
    }
}

void buf_add_without_nul(buf *b, const char *s, size_t n)
{
    for (const char *z; n && (z = memchr(s, 0, n));) {
        buf_add(b, s, (size_t)(z - s));
        buf_put_utf8(b, 0xFFFD);
        n -= (size_t)(z - s) + 1;
        s = z + 1;
    }
    buf_add(b, s, n);
}
