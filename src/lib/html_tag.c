/* html_tag.c - a small HTML tag reader (see html_tag.h). */
#include "lib/html_tag.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

size_t html_tag_read(const char *html, size_t len, size_t i, html_tag *t)
{
    t->nattrs = 0;
    t->is_closing = false;
    i++;
    if (i < len && html[i] == '/') t->is_closing = true, i++;
    size_t start = i;
    while (i < len && (isalnum((unsigned char)html[i]) || html[i] == '-')) i++;
    t->name = html + start;
    t->name_len = i - start;
    while (i < len && html[i] != '>') {
        if (isspace((unsigned char)html[i]) || html[i] == '/') {
            i++;
            continue;
        }
        size_t ns = i;
        while (i < len && !isspace((unsigned char)html[i]) && html[i] != '=' && html[i] != '>' && html[i] != '/') i++;
        html_attr at = {html + ns, i - ns, NULL, 0};
        if (i < len && html[i] == '=') {
            i++;
            if (i < len && (html[i] == '"' || html[i] == '\'')) {
                char q = html[i++];
                size_t vs = i;
                while (i < len && html[i] != q) i++;
                at.val = html + vs;
                at.val_len = i - vs;
                if (i < len) i++;
            } else {
                size_t vs = i;
                while (i < len && !isspace((unsigned char)html[i]) && html[i] != '>') i++;
                at.val = html + vs;
                at.val_len = i - vs;
            }
        }
        if (at.name_len && t->nattrs < HTML_TAG_MAX_ATTRS) t->attrs[t->nattrs++] = at;
        if (i == ns) i++; /* a lone '=': always move on */
    }
    return i < len ? i + 1 : len;
}

bool html_name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && !strncasecmp(name, want, n);
}

const html_attr *html_tag_attr(const html_tag *t, const char *name)
{
    for (size_t k = 0; k < t->nattrs; k++)
        if (html_name_is(t->attrs[k].name, t->attrs[k].name_len, name)) return &t->attrs[k];
    return NULL;
}

const char *html_find_comment(const char *s, size_t n)
{
    for (const char *p = s, *end = s + n; (p = memchr(p, '<', (size_t)(end - p))); p++)
        if (end - p >= 4 && p[1] == '!' && p[2] == '-' && p[3] == '-') return p;
    return NULL;
}
