/* fuzz_policy.c - a page's HTML through the reader of tags (html_tag_read)
 * and the security policy's scan (policy_scan, policy_allows, policy_csp).
 * The reader always moves on and points only into the page; a page the
 * policy has scanned is allowed by it; the header it makes is one line of
 * printable ASCII that lets no script come from another site. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "build/policy.h"
#include "lib/html_tag.h"

static void check_within(const char *p, size_t n, const char *html, size_t len)
{
    if (n && (p < html || p + n > html + len)) abort();
}

static void check_tags(const char *html, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (html[i] != '<') continue;
        html_tag t;
        size_t j = html_tag_read(html, len, i, &t);
        if (j <= i || j > len) abort();
        if (t.nattrs > HTML_TAG_MAX_ATTRS) abort();
        check_within(t.name, t.name_len, html, len);
        for (size_t k = 0; k < t.nattrs; k++) {
            check_within(t.attrs[k].name, t.attrs[k].name_len, html, len);
            if (t.attrs[k].val) check_within(t.attrs[k].val, t.attrs[k].val_len, html, len);
        }
    }
}

/* Each source in the header is a keyword folio writes or an origin,
 * scheme://host[:port]: nothing from a page can add a directive, a
 * wildcard or a keyword. */
static bool is_origin(const char *t, size_t n)
{
    size_t i = 0;
    if (n > 8 && strncmp(t, "https://", 8) == 0) i = 8;
    else if (n > 7 && strncmp(t, "http://", 7) == 0) i = 7;
    else return false;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '[' ||
              c == ']'))
            return false;
    }
    return true;
}

/* Returns whether the header has a script-src, and that it is 'self' alone. */
static bool check_tokens(const char *csp)
{
    static const char *const words[] = {"default-src", "img-src", "style-src", "script-src", "frame-src",
                                        "media-src", "frame-ancestors", "base-uri", "form-action", "'self'",
                                        "'unsafe-inline'", "data:"};
    const char *t = csp;
    bool is_directive = true, in_script = false, has_script = false;
    while (*t) {
        size_t n = strcspn(t, " ;");
        bool ok = n == 0 || (!is_directive && is_origin(t, n));
        for (size_t i = 0; !ok && i < sizeof words / sizeof *words; i++)
            ok = strlen(words[i]) == n && strncmp(t, words[i], n) == 0;
        if (!ok) abort();
        if (n && is_directive) {
            in_script = n == 10 && strncmp(t, "script-src", 10) == 0;
            has_script |= in_script;
            is_directive = false;
        } else if (n && in_script && !(n == 6 && strncmp(t, "'self'", 6) == 0)) {
            abort();
        }
        t += n;
        if (*t == ';') is_directive = true;
        if (*t) t++;
    }
    return has_script;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exact length, no terminator: the readers must stop at len */
    char *html = malloc(size ? size : 1);
    memcpy(html, data, size);
    check_tags(html, size);

    site_policy *p = policy_new();
    policy_scan(p, html, size);
    if (!policy_allows(p, html, size)) abort();
    buf csp = BUF_INIT;
    policy_csp(p, &csp);
    for (size_t i = 0; i < csp.len; i++)
        if ((unsigned char)csp.s[i] < 0x20 || (unsigned char)csp.s[i] > 0x7e) abort();
    if (!check_tokens(buf_cstr(&csp))) abort();
    if (policy_origins(p) == 0 && !strstr(buf_cstr(&csp), "default-src 'self'")) abort();
    buf_free(&csp);
    policy_free(p);
    free(html);
    return 0;
}
