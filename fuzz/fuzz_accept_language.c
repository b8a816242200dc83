/* fuzz_accept_language.c - the header parsers that read lists with
 * q-values: Accept-Language, Accept-Encoding and If-None-Match. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    static const char *const langs[] = {"kk", "ru", "en"};
    for (size_t n = 1; n <= 3; n++)
        if (http_pick_language(s, langs, n) >= n) abort();
    http_accepts_encoding(s, "br");
    http_accepts_encoding(s, "gzip");
    http_etag_matches(s, "\"0123456789abcdef\"");
    free(s);
    return 0;
}
