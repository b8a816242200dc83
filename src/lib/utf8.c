/* utf8.c - UTF-8 validation, eight ASCII bytes at a time. */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

size_t utf8_check(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned min;
        if (c >= 0xc2 && c <= 0xdf) len = 2, min = 0x80;
        else if (c >= 0xe0 && c <= 0xef) len = 3, min = 0x800;
        else if (c >= 0xf0 && c <= 0xf4) len = 4, min = 0x10000;
        else return i;
        if (i + len > n) return i;
        unsigned cp = c & (0xff >> (len + 1));
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80) return i;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
        i += len;
    }
    return n;
}
