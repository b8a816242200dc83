/* url.c - percent-decoding. */
#include "lib/url.h"

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
