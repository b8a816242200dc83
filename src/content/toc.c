/* toc.c - the page-toc plugin's table of contents (see toc.h). */
#include "content/toc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADINGS 256

typedef struct heading {
    int level;
    const char *tag_end;   /* where " id=..." goes: right after "<hN" */
    const char *inner;     /* the heading's HTML, tags and all */
    size_t inner_len;
    char *id;              /* malloc'd; the heading's own when it has one */
    bool has_id;
} heading;

/* The code point of the UTF-8 sequence at s (n bytes left) in *cp;
 * returns its length (1 for a byte that starts none). */
static size_t decode(const unsigned char *s, size_t n, unsigned *cp)
{
    size_t k = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
    if (k > n || k == 1) {
        *cp = s[0];
        return 1;
    }
    unsigned c = s[0] & (0x7F >> k);
    for (size_t i = 1; i < k; i++) c = c << 6 | (s[i] & 0x3F);
    *cp = c;
    return k;
}

/* Lower case of the letters of the site's scripts: Latin, Latin-1,
 * Cyrillic with its Kazakh letters. */
static unsigned lower(unsigned c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x410 && c <= 0x42F))
        return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    bool even_upper = (c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x4FF);
    if (even_upper && !(c & 1)) return c + 1;
    if (c >= 0x4C1 && c <= 0x4CE && (c & 1)) return c + 1;
    return c;
}

/* An id of the heading's text: letters and digits in lower case, anything
 * else one '-'; tags and entities left out. */
static char *slug_of(const char *html, size_t len)
{
    buf id = BUF_INIT;
    bool dash = false;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)html[i];
        if (c == '<') { /* a tag inside the heading */
            const char *e = memchr(html + i, '>', len - i);
            i = e ? (size_t)(e - html) + 1 : len;
            continue;
        }
        if (c == '&') { /* an entity: a separator */
            const char *e = memchr(html + i, ';', len - i < 12 ? len - i : 12);
            i = e ? (size_t)(e - html) + 1 : i + 1;
            dash = id.len > 0;
            continue;
        }
        unsigned cp;
        size_t k = decode((const unsigned char *)html + i, len - i, &cp);
        bool is_word = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                       (cp >= 0xC0 && !(cp >= 0x2000 && cp <= 0x206F) && cp != 0xD7 && cp != 0xF7);
        if (is_word) {
            if (dash) buf_putc(&id, '-');
            dash = false;
            if (k > 1 || cp >= 0x80) buf_put_utf8(&id, lower(cp));
            else buf_putc(&id, (char)lower(cp));
        } else {
            dash = id.len > 0;
        }
        i += k;
    }
    if (!id.len) buf_puts(&id, "section");
    return buf_detach(&id, NULL);
}

static bool id_taken(const heading *h, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(h[i].id, id)) return true;
    return false;
}

/* The id="..." value of the tag [tag, end), or NULL. */
static char *own_id(const char *tag, const char *end)
{
    for (const char *p = tag; p + 4 < end; p++)
        if ((p[0] == ' ' || p[0] == '\t' || p[0] == '\n') && !memcmp(p + 1, "id=", 3) && (p[4] == '"' || p[4] == '\'')) {
            const char *q = memchr(p + 5, p[4], (size_t)(end - p - 5));
            if (!q) return NULL;
            char *id = xmalloc((size_t)(q - p - 5) + 1);
            memcpy(id, p + 5, (size_t)(q - p - 5));
            id[q - p - 5] = 0;
            return id;
        }
    return NULL;
}

static size_t find_headings(const char *html, size_t len, heading *h)
{
    size_t n = 0;
    const char *end = html + len;
    for (const char *p = html; n < MAX_HEADINGS && (p = memmem(p, (size_t)(end - p), "<h", 2));) {
        if (end - p < 4 || p[2] < '2' || p[2] > '6' || (p[3] != '>' && p[3] != ' ')) {
            p += 2;
            continue;
        }
        const char *gt = memchr(p, '>', (size_t)(end - p));
        char close[6] = {'<', '/', 'h', p[2], '>', 0};
        const char *stop = gt ? memmem(gt, (size_t)(end - gt), close, 5) : NULL;
        if (!stop) break;
        heading *x = &h[n];
        x->level = p[2] - '0';
        x->tag_end = p + 3;
        x->inner = gt + 1;
        x->inner_len = (size_t)(stop - gt - 1);
        x->id = own_id(p, gt);
        x->has_id = x->id != NULL;
        if (!x->id) {
            char *base = slug_of(x->inner, x->inner_len);
            x->id = base;
            for (int k = 2; id_taken(h, n, x->id); k++) {
                size_t bl = strlen(base) + 16;
                char *next = xmalloc(bl);
                snprintf(next, bl, "%s-%d", base, k);
                if (x->id != base) free(x->id);
                x->id = next;
            }
            if (x->id != base) free(base);
        }
        n++;
        p = stop + 5;
    }
    return n;
}

/* The heading's text for the list: its HTML without tags. */
static void put_text(buf *out, const char *html, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (html[i] == '<') {
            const char *e = memchr(html + i, '>', len - i);
            if (!e) break;
            i = (size_t)(e - html);
            continue;
        }
        buf_putc(out, html[i]);
    }
}

static void put_list(buf *out, const heading *h, size_t n, const char *label)
{
    int base = 6;
    for (size_t i = 0; i < n; i++)
        if (h[i].level < base) base = h[i].level;
    buf_puts(out, "<nav class=\"page-toc\" aria-label=\"");
    buf_add_html(out, label, strlen(label));
    buf_puts(out, "\"><ul>");
    int cur = base;
    for (size_t i = 0; i < n; i++) {
        int level = h[i].level;
        if (i == 0) {
            for (; cur < level; cur++) buf_puts(out, "<li><ul>");
        } else if (level > cur) {
            for (; cur < level; cur++) buf_puts(out, "<ul>");
        } else {
            buf_puts(out, "</li>");
            for (; cur > level; cur--) buf_puts(out, "</ul></li>");
        }
        buf_puts(out, "<li><a href=\"#");
        buf_add_html(out, h[i].id, strlen(h[i].id));
        buf_puts(out, "\">");
        put_text(out, h[i].inner, h[i].inner_len);
        buf_puts(out, "</a>");
    }
    if (n) buf_puts(out, "</li>");
    for (; cur > base; cur--) buf_puts(out, "</ul></li>");
    buf_puts(out, "</ul></nav>");
}

bool toc_expand(const char *html, size_t len, const char *label, buf *out)
{
    static const char *const marks[] = {"<p>[TOC]</p>", "<p>[[TOC]]</p>"};
    const char *mark = NULL;
    size_t mark_len = 0;
    for (size_t i = 0; i < 2 && !mark; i++)
        if ((mark = memmem(html, len, marks[i], strlen(marks[i])))) mark_len = strlen(marks[i]);
    if (!mark) {
        buf_add(out, html, len);
        return false;
    }
    heading *h = xcalloc(MAX_HEADINGS, sizeof *h);
    size_t n = find_headings(html, len, h);
    const char *at = html;
    size_t k = 0;
    bool listed = false;
    while (at < html + len) {
        const char *next_heading = k < n ? h[k].tag_end : NULL;
        const char *next_mark = !listed ? mark : NULL;
        const char *next = next_heading && (!next_mark || next_heading < next_mark) ? next_heading : next_mark;
        if (!next) break;
        buf_add(out, at, (size_t)(next - at));
        if (next == next_mark) {
            put_list(out, h, n, label);
            listed = true;
            at = mark + mark_len;
        } else {
            if (!h[k].has_id) {
                buf_puts(out, " id=\"");
                buf_add_html(out, h[k].id, strlen(h[k].id));
                buf_putc(out, '"');
            }
            at = next;
            k++;
        }
    }
    buf_add(out, at, (size_t)(html + len - at));
    for (size_t i = 0; i < n; i++) free(h[i].id);
    free(h);
    return true;
}
