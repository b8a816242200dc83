/* plugin_link.c - Grav plugins' links in rendered HTML (see plugin_link.h). */
#include "content/plugin_link.h"

#include <string.h>
#include <strings.h>

#define MAX_TAG 2048 /* how far back the <a> of a link text is looked for */

/* The <a href="..."> that ends right before text: where the tag starts,
 * and its href, still escaped. */
static const char *link_before(const char *html, const char *text, const char **href, size_t *href_len)
{
    if (text - html < 2 || text[-1] != '>') return NULL;
    const char *floor = text - html > MAX_TAG ? text - MAX_TAG : html;
    for (const char *a = text - 1; a >= floor; a--) {
        if (*a != '<') continue;
        if (strncmp(a, "<a href=\"", 9) != 0) return NULL; /* the tag right before is not a link */
        const char *h = a + 9, *q = memchr(h, '"', (size_t)(text - h));
        if (!q || memchr(q, '<', (size_t)(text - q))) return NULL;
        *href = h;
        *href_len = (size_t)(q - h);
        return a;
    }
    return NULL;
}

/* The name of names the link text at p ("plugin:" already matched,
 * name and "</a>" to follow) is, or NULL; *n is the text's length. */
static const char *named(const char *p, const char *end, const char *const *names, size_t *n)
{
    for (size_t i = 0; names[i]; i++) {
        size_t k = strlen(names[i]);
        if ((size_t)(end - p) >= 7 + k + 4 && !strncasecmp(p + 7, names[i], k) && !memcmp(p + 7 + k, "</a>", 4)) {
            *n = 7 + k + 4;
            return names[i];
        }
    }
    return NULL;
}

size_t plugin_links_expand(const char *html, size_t len, const char *const *names, plugin_link_fn each, void *user,
                           buf *out)
{
    size_t count = 0, done = 0;
    for (const char *c = html, *end = html + len; (c = memchr(c, ':', (size_t)(end - c)));) {
        if ((size_t)(c - html) < done + 6) { /* "plugin" before it, in any case */
            c++;
            continue;
        }
        const char *p = c - 6;
        size_t n;
        const char *name = !strncasecmp(p, "plugin:", 7) ? named(p, end, names, &n) : NULL;
        const char *href;
        size_t href_len;
        const char *a = name ? link_before(html + done, p, &href, &href_len) : NULL;
        if (!a) {
            c++;
            continue;
        }
        const char *from = a, *to = p + n;
        /* the paragraph, when the link is all of it */
        bool whole = from - html >= 3 + (long)done && !memcmp(from - 3, "<p>", 3) && end - to >= 4 &&
                     !memcmp(to, "</p>", 4);
        if (whole) from -= 3, to += 4;
        size_t mark = out->len;
        buf_add(out, html + done, (size_t)(from - (html + done)));
        if (!each(user, name, href, href_len, whole, out)) {
            buf_truncate(out, mark);
            c = p + n;
            continue;
        }
        done = (size_t)(to - html);
        c = to;
        count++;
    }
    buf_add(out, html + done, len - done);
    return count;
}
