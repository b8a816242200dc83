/* fuzz_date.c - date_parse without and with a page's `dateformat`, and
 * date_format with arbitrary PHP format letters. Input: "FORMAT\nDATE"
 * uses a format; without a newline the whole input is the date. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    date_set_timezone("Asia/Almaty");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    long long t = 0;
    int col = 0;
    if (date_parse(s, NULL, &t, &col) != 0 && col < 1) abort();
    char *nl = memchr(s, '\n', size);
    if (nl) {
        *nl = 0;
        const char *format = s, *date = nl + 1;
        long long t2 = 0;
        date_parse(date, format, &t2, NULL);
        static const char *const langs[] = {NULL, "kk", "ru", "en"};
        buf out = BUF_INIT;
        date_format(&out, format, t2, langs[size % 4]);
        date_format(&out, format, t, "ru");
        buf_free(&out);
    }
    free(s);
    return 0;
}
