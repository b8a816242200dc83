/* fuzz_utf8.c - utf8_check, which checks long texts 32 bytes a step, held
 * to Table 3-7 of the Unicode standard read byte by byte: both must name
 * the same first bad byte, for the input and for every suffix of its
 * first bytes (a fault against each position of the step). */
#include <stdint.h>
#include <stdlib.h>

#include "lib/utf8.h"
#include "../tests/utf8_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t skip = 0; skip < 32 && skip < size; skip++) {
        const unsigned char *p = data + skip;
        size_t n = size - skip;
        if (utf8_check((const char *)p, n) != utf8_table_check(p, n)) abort();
    }
    return 0;
}
