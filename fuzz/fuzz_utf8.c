/* fuzz_utf8.c - utf8_check, which checks long texts 32 bytes a step, held
 * to Table 3-7 of the Unicode standard read byte by byte: both must name
 * the same first bad byte, for the input and for every suffix of its
 * first bytes (a fault against each position of the step). */
#include <stdint.h>
#include <stdlib.h>

#include "lib/utf8.h"

static size_t reference(const unsigned char *p, size_t n)
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t skip = 0; skip < 32 && skip < size; skip++) {
        const unsigned char *p = data + skip;
        size_t n = size - skip;
        if (utf8_check((const char *)p, n) != reference(p, n)) abort();
    }
    return 0;
}
