/* notices.c - Grav's markdown-notices, as a rewrite of the Markdown (see
 * notices.h).
 *
 * The plugin extends Parsedown with a block: a line of one to four marks
 * and a space starts it, and it goes on while lines start with marks. Two
 * things differ here, both in the editor's favour: a line that goes on
 * must have a space (or nothing) after its marks, so a photo written right
 * under a notice ("![](photo.jpg)") stays a photo instead of becoming
 * part of the notice's text; and a notice inside a blockquote ("> ! ...")
 * is not recognised. Code and HTML blocks are told apart by block_scan. */
#include "content/notices.h"
#include "content/block_scan.h"

#include <string.h>

/* The marks at t[0..n): how many (1..max) when followed by a space, or
 * also by a tab or the end of the line when is_more; else 0. */
static int marks_at(const char *t, size_t n, int max, bool is_more)
{
    size_t k = 0;
    while (k < n && t[k] == '!') k++;
    if (k == 0 || k > (size_t)max) return 0;
    if (k < n && t[k] == ' ') return (int)k;
    if (is_more && (k == n || t[k] == '\t' || t[k] == '\r')) return (int)k;
    return 0;
}

bool notices_maybe(const char *md, size_t len, const notice_style *style)
{
    if (!style || style->nlevels <= 0) return false;
    for (const char *p = md, *end = md + len; (p = memchr(p, '!', (size_t)(end - p)));) {
        /* at the start of a line, after at most three spaces */
        const char *s = p;
        while (s > md && s[-1] == ' ' && p - s < 4) s--;
        if ((s == md || s[-1] == '\n') && p - s < 4 && marks_at(p, (size_t)(end - p), style->nlevels, false))
            return true;
        while (p < end && *p == '!') p++;
    }
    return false;
}

static void put_class(buf *out, const notice_style *style, int level)
{
    buf cls = BUF_INIT;
    buf_puts(&cls, style->base && *style->base ? style->base : "notices");
    buf_putc(&cls, ' ');
    buf_puts(&cls, style->levels[level - 1]);
    buf_add_attr(out, "class", buf_cstr(&cls));
    buf_free(&cls);
}

/* Marks at t[0..n) right before a letter ("!Внимание"): a notice meant,
 * the space after the marks forgotten. */
static bool is_near_miss(const char *t, size_t n, int max)
{
    size_t k = 0;
    while (k < n && t[k] == '!') k++;
    if (k == 0 || k > (size_t)max || k == n) return false;
    unsigned char c = (unsigned char)t[k];
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0xC0;
}

static void put(buf *out, const char *s, size_t n)
{
    if (out) buf_add(out, s, n);
}

/* The notices of md: rewritten into out (when not NULL), near misses
 * told to miss (when not NULL). Returns how many notices. */
static size_t walk(const char *md, size_t len, const notice_style *style, buf *out,
                   void (*miss)(void *user, size_t offset), void *user)
{
    block_scan r = BLOCK_SCAN_INIT;
    size_t count = 0, i = 0;
    while (i < len) {
        const char *line = md + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i, next = i + n + (nl ? 1 : 0);
        size_t indent = block_scan_indent(line, n);
        bool may_open = block_scan_may_open(&r, line, indent);
        int level = may_open ? marks_at(line + indent, n - indent, style->nlevels, false) : 0;
        if (!level) {
            if (miss && may_open && is_near_miss(line + indent, n - indent, style->nlevels))
                miss(user, i + indent);
            block_scan_line(&r, line, n);
            put(out, line, next - i);
            i = next;
            continue;
        }
        /* The notice: its first line and every line that goes on with marks. */
        count++;
        const char *open = line;
        size_t open_indent = indent;
        put(out, line, indent);
        if (out) {
            buf_puts(out, "<div");
            put_class(out, style, level);
            buf_puts(out, ">\n\n");
        }
        size_t at = indent + (size_t)level;
        while (at < n && line[at] == ' ') at++;
        for (;;) {
            put(out, open, open_indent);
            put(out, line + at, n - at);
            put(out, "\n", 1);
            i = next;
            if (i >= len) break;
            line = md + i;
            nl = memchr(line, '\n', len - i);
            n = nl ? (size_t)(nl - line) : len - i;
            next = i + n + (nl ? 1 : 0);
            size_t ind = block_scan_indent(line, n);
            int k = marks_at(line + ind, n - ind, style->nlevels, true);
            if (!k) break;
            at = ind + (size_t)k;
            while (at < n && (line[at] == ' ' || line[at] == '\t')) at++;
        }
        /* the closing line, indented as the opening one, and the empty
         * line that ends its HTML block */
        put(out, "\n", 1);
        put(out, open, open_indent);
        put(out, "</div>\n\n", 8);
        block_scan_block_done(&r);
    }
    return count;
}

size_t notices_rewrite(const char *md, size_t len, const notice_style *style, buf *out)
{
    if (!notices_maybe(md, len, style)) {
        buf_add(out, md, len);
        return 0;
    }
    return walk(md, len, style, out, NULL, NULL);
}

size_t notices_near_misses(const char *md, size_t len, const notice_style *style,
                           void (*miss)(void *user, size_t offset), void *user)
{
    if (!style || style->nlevels <= 0) return 0;
    /* most pages have no line that starts with a mark and a letter */
    bool any = false;
    for (const char *p = md, *end = md + len; !any && (p = memchr(p, '!', (size_t)(end - p)));) {
        const char *s = p;
        while (s > md && s[-1] == ' ' && p - s < 4) s--;
        any = (s == md || s[-1] == '\n') && p - s < 4 && is_near_miss(p, (size_t)(end - p), style->nlevels);
        while (p < end && *p == '!') p++;
    }
    return any ? walk(md, len, style, NULL, miss, user) : 0;
}
