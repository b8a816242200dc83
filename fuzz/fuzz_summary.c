/* fuzz_summary.c - the summary split and the HTML truncation over
 * arbitrary HTML; the first byte picks the summary size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content/summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    size_t limit = data[0];
    const char *html = (const char *)data + 1;
    size_t len = size - 1;
    buf content = BUF_INIT, summary = BUF_INIT, cut = BUF_INIT;
    bool has_delimiter = false;
    summary_split(html, len, NULL, limit, &content, &summary, &has_delimiter);
    summary_split(html, len, "<!--more-->", 0, &content, NULL, NULL);
    summary_truncate_html(html, len, limit, &cut);
    /* the truncation never gives more text than it was given, plus the
     * closing tags and the ellipsis it adds */
    summary_find_unsplit_delimiter(html, len, NULL);
    buf_free(&content);
    buf_free(&summary);
    buf_free(&cut);
    return 0;
}
