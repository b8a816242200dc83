/* fuzz_summary.c - the summary split, the HTML truncation (by characters
 * and by words) and the plain text of descriptions over arbitrary HTML;
 * the first byte picks the summary size. Given UTF-8, the cuts must give
 * UTF-8: a letter cut in half is a bug even where nothing crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "build/policy.h"
#include "build/seo.h"
#include "content/summary.h"
#include "lib/utf8.h"

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
    buf words = BUF_INIT;
    summary_truncate_html_words(html, len, limit % 64, "...", &words);
    summary_find_unsplit_delimiter(html, len, NULL);
    /* a card's headings renumbered: one digit for another, nothing else */
    buf outline = BUF_INIT;
    if (summary_headings_from(html, len, 1 + (int)(limit % 6), &outline) && outline.len != len) abort();
    buf_free(&outline);
    buf plain = BUF_INIT;
    seo_plain_text(html, len, limit, &plain);
    if (utf8_check(html, len) == len) {
        if (utf8_check(plain.s ? plain.s : "", plain.len) != plain.len) abort();
        if (utf8_check(cut.s ? cut.s : "", cut.len) != cut.len) abort();
        if (utf8_check(words.s ? words.s : "", words.len) != words.len) abort();
    }
    buf_free(&words);
    buf_free(&plain);
    /* The content's embeds make a header: it must stay one line of the
     * policy's own grammar, whatever the HTML says. */
    site_policy *p = policy_new();
    policy_scan(p, html, len);
    buf csp = BUF_INIT;
    policy_csp(p, &csp);
    for (size_t i = 0; i < csp.len; i++)
        if (csp.s[i] < 0x20 || csp.s[i] > 0x7e || csp.s[i] == ',' || csp.s[i] == '"') abort();
    if ((!strstr(buf_cstr(&csp), "; style-src 'self'; script-src 'self'; ") &&
         !strstr(buf_cstr(&csp), "; style-src 'self' 'unsafe-inline'; script-src 'self'; ")) ||
        strstr(buf_cstr(&csp), "script-src 'self' ") || !policy_allows(p, html, len))
        abort();
    buf_free(&csp);
    policy_free(p);
    buf_free(&content);
    buf_free(&summary);
    buf_free(&cut);
    return 0;
}
