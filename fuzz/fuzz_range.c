/* fuzz_range.c - the Range header against bodies of several lengths (the
 * chosen range must lie inside the body), and the HTTP date parser of
 * If-Modified-Since. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    static const size_t lens[] = {0, 1, 100, 65536, (size_t)-1 / 2};
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
        size_t first = 7, last = 3;
        int rc = http_parse_range(s, lens[i], &first, &last);
        if (rc == 1 && !(first <= last && last < lens[i])) abort();
        if (rc < -1 || rc > 1) abort();
    }
    http_parse_date(s);
    free(s);
    return 0;
}
