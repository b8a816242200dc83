/* utf8_table.h - Table 3-7 of the Unicode standard (well-formed UTF-8),
 * read byte by byte: the reference the 32-byte-step utf8_check is held to,
 * by its test and by fuzz/fuzz_utf8.c. */
#ifndef FOLIO_UTF8_TABLE_H
#define FOLIO_UTF8_TABLE_H

#include <stddef.h>

/* Offset of the first byte of p[0..n) that starts no well-formed
 * sequence, or n. */
static inline size_t utf8_table_check(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = p[i], lo = 0x80, hi = 0xBF;
        size_t len;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c == 0xE0) len = 3, lo = 0xA0;
        else if (c == 0xED) len = 3, hi = 0x9F;
        else if (c >= 0xE1 && c <= 0xEF) len = 3;
        else if (c == 0xF0) len = 4, lo = 0x90;
        else if (c == 0xF4) len = 4, hi = 0x8F;
        else if (c >= 0xF1 && c <= 0xF3) len = 4;
        else return i;
        if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
        for (size_t k = 2; k < len; k++)
            if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
        i += len;
    }
    return n;
}

#endif
