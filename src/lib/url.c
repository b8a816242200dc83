/* url.c - percent-decoding and -encoding. */
#include "lib/url.h"

#include <string.h>

static const char hex_digits[] = "0123456789ABCDEF";

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t url_percent_decode(char *dst, const char *src, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (src[i] == '%' && i + 2 < n && (hi = hex_digit(src[i + 1])) >= 0 && (lo = hex_digit(src[i + 2])) >= 0) {
            dst[w++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            dst[w++] = src[i];
        }
    }
    dst[w] = 0;
    return w;
}

static void put_escaped(buf *out, unsigned char c)
{
    char e[3] = {'%', hex_digits[c >> 4], hex_digits[c & 15]};
    buf_add(out, e, sizeof e);
}

static bool is_unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

void url_encode_component(buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && is_unreserved(*p)) p++;
        buf_add(out, (const char *)run, (size_t)(p - run));
        if (p < end) put_escaped(out, *p++);
    }
}

void url_encode_unsafe(buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || c <= 0x20 || c == 0x7f || strchr("\"'<>\\^`{|}", c)) put_escaped(out, c);
        else buf_putc(out, (char)c);
    }
}
