/* notices.c - Grav's markdown-notices, as a rewrite of the Markdown (see
 * notices.h).
 *
 * The plugin extends Parsedown with a block: a line of one to four marks
 * and a space starts it, and it goes on while lines start with marks. Two
 * things differ here, both in the editor's favour: a line that goes on
 * must have a space (or nothing) after its marks, so a photo written right
 * under a notice ("![](photo.jpg)") stays a photo instead of becoming
 * part of the notice's text; and a line that goes on must be in the same
 * quote as the first ("> ! ..." is a notice inside a blockquote, as
 * Parsedown reads a quote's lines with all its blocks). Code and HTML
 * blocks are told apart by block_scan, at the top and inside quotes. */
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

/* The quote marks that begin line[0..n) ("> ", "> > ", "   >"): their
 * length in bytes (0: none), and how deep in *depth. */
static size_t quote_prefix(const char *line, size_t n, int *depth)
{
    size_t at = 0, end = 0;
    *depth = 0;
    for (;;) {
        size_t k = at;
        while (k < n && k - at < 3 && line[k] == ' ') k++;
        if (k >= n || line[k] != '>') break;
        k++;
        if (k < n && line[k] == ' ') k++;
        at = end = k;
        ++*depth;
    }
    return end;
}

/* Whether p, a '!' in md, may start a line's text: only spaces and quote
 * marks before it on its line (walk looks closer). */
static bool at_line_start(const char *md, const char *p)
{
    const char *s = p;
    while (s > md && (s[-1] == ' ' || s[-1] == '>') && p - s < 64) s--;
    return s == md || s[-1] == '\n';
}

bool notices_maybe(const char *md, size_t len, const notice_style *style)
{
    if (!style || style->nlevels <= 0) return false;
    for (const char *p = md, *end = md + len; (p = memchr(p, '!', (size_t)(end - p)));) {
        if (at_line_start(md, p) && marks_at(p, (size_t)(end - p), style->nlevels, false)) return true;
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

/* The list item marker that begins t[0..n) with the spaces after it
 * ("- ", "* ", "+ ", "1. ", "12) "): its length, or 0. */
static size_t list_marker(const char *t, size_t n)
{
    size_t k = 0;
    if (n && (t[0] == '-' || t[0] == '*' || t[0] == '+')) k = 1;
    else {
        while (k < n && k < 9 && t[k] >= '0' && t[k] <= '9') k++;
        if (!k || k >= n || (t[k] != '.' && t[k] != ')')) return 0;
        k++;
    }
    if (k >= n || t[k] != ' ') return 0;
    while (k < n && t[k] == ' ') k++;
    return k;
}

/* Whether p, a '!' in md, comes right after a list item marker at the
 * start of its line. */
static bool after_list_marker(const char *md, const char *p)
{
    const char *s = p;
    while (s > md && s[-1] == ' ' && p - s < 8) s--;
    const char *m = s;
    while (m > md && m[-1] != '\n' && s - m < 10) m--;
    return s > m && list_marker(m, (size_t)(p - m)) == (size_t)(p - m) && at_line_start(md, m);
}

static void put(buf *out, const char *s, size_t n)
{
    if (out) buf_add(out, s, n);
}

/* The notices of md: rewritten into out (when not NULL), near misses
 * told to miss (when not NULL). Returns how many notices.
 *
 * A line is read at the top (r) and, when it begins with quote marks, as
 * the quote's content (q, which starts afresh with each quote). A notice
 * in a quote is written with the quote's marks before each of its lines,
 * so that it stays in the quote. */
#define MARK '\x1a' /* SUB: never in a page's text (see notices_rewrite) */

static size_t walk(const char *md, size_t len, const notice_style *style, buf *out,
                   void (*miss)(void *user, size_t offset), void *user)
{
    block_scan r = BLOCK_SCAN_INIT, q = BLOCK_SCAN_INIT;
    int qdepth = 0;
    size_t count = 0, i = 0;
    while (i < len) {
        const char *line = md + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i, next = i + n + (nl ? 1 : 0);
        size_t indent = block_scan_indent(line, n);
        bool may_open = block_scan_may_open(&r, line, indent);
        int depth = 0;
        size_t qlen = may_open ? quote_prefix(line, n, &depth) : 0;
        if (depth != qdepth) q = (block_scan)BLOCK_SCAN_INIT;
        qdepth = depth;
        /* the text after the quote marks, and its indentation */
        const char *text = line + qlen;
        size_t tn = n - qlen, tind = qlen ? block_scan_indent(text, tn) : indent;
        if (qlen) may_open = block_scan_may_open(&q, text, tind);
        int level = may_open ? marks_at(text + tind, tn - tind, style->nlevels, false) : 0;
        if (!level) {
            if (miss && may_open && is_near_miss(text + tind, tn - tind, style->nlevels)) miss(user, i + qlen + tind);
            size_t lm = miss && may_open ? list_marker(text + tind, tn - tind) : 0;
            if (lm && marks_at(text + tind + lm, tn - tind - lm, style->nlevels, false)) miss(user, i + qlen + tind);
            block_scan_line(&r, line, n);
            if (qlen) block_scan_line(&q, text, tn);
            put(out, line, next - i);
            i = next;
            continue;
        }
        /* The notice: its first line and every line that goes on with marks
         * (in the same quote). Each line written starts with lead: the
         * quote marks and the first line's indentation. */
        count++;
        const char *lead = line;
        size_t nlead = qlen + tind;
        if (out) { /* the mark, a paragraph of its own: empty lines around it */
            put(out, lead, qlen);
            buf_putc(out, '\n');
            put(out, lead, nlead);
            buf_printf(out, "%cN%d%c\n", MARK, level, MARK);
            put(out, lead, qlen);
            buf_putc(out, '\n');
        }
        size_t at = tind + (size_t)level;
        while (at < tn && text[at] == ' ') at++;
        /* The notice's own blocks: a code fence it opens is closed at its
         * end, as Parsedown reads a notice's lines apart from the rest. */
        block_scan inner = BLOCK_SCAN_INIT;
        for (;;) {
            put(out, lead, nlead);
            put(out, text + at, tn - at);
            put(out, "\n", 1);
            block_scan_line(&inner, text + at, tn - at);
            i = next;
            if (i >= len) break;
            line = md + i;
            nl = memchr(line, '\n', len - i);
            n = nl ? (size_t)(nl - line) : len - i;
            next = i + n + (nl ? 1 : 0);
            int d = 0;
            size_t ql = quote_prefix(line, n, &d);
            if (d != depth) break;
            text = line + ql;
            tn = n - ql;
            size_t ind = block_scan_indent(text, tn);
            int k = marks_at(text + ind, tn - ind, style->nlevels, true);
            if (!k) break;
            at = ind + (size_t)k;
            while (at < tn && (text[at] == ' ' || text[at] == '\t')) at++;
        }
        if (inner.state == IN_FENCE) {
            put(out, lead, nlead);
            for (size_t k = 0; k < inner.fence_len; k++) put(out, &inner.fence, 1);
            put(out, "\n", 1);
        }
        /* the closing mark, led as the opening one, between empty lines
         * (in the quote) */
        put(out, lead, qlen);
        put(out, "\n", 1);
        put(out, lead, nlead);
        put(out, "\x1a/N\x1a\n", 5);
        put(out, lead, qlen);
        put(out, "\n", 1);
        block_scan_block_done(&r);
        block_scan_block_done(&q);
    }
    return count;
}

size_t notices_rewrite(const char *md, size_t len, const notice_style *style, buf *out)
{
    if (!notices_maybe(md, len, style)) {
        buf_add(out, md, len);
        return 0;
    }
    if (!memchr(md, MARK, len)) return walk(md, len, style, out, NULL, NULL);
    /* The mark is the rewrite's alone: a page's own (a control character
     * HTML does not allow) is dropped, so it can never open a <div>. */
    buf clean = BUF_INIT;
    for (size_t i = 0; i < len; i++)
        if (md[i] != MARK) buf_putc(&clean, md[i]);
    size_t n = walk(clean.s, clean.len, style, out, NULL, NULL);
    buf_free(&clean);
    return n;
}

bool notices_unmark(const char *html, size_t len, const notice_style *style, buf *out)
{
    static const char close[] = "<p>\x1a/N\x1a</p>";
    size_t i = 0;
    long depth = 0;
    bool is_balanced = true;
    for (const char *p; i < len && (p = memmem(html + i, len - i, "<p>\x1a", 4));) {
        size_t at = (size_t)(p - html), rest = len - at;
        buf_add(out, html + i, at - i);
        if (rest >= 11 && p[4] == 'N' && p[5] >= '1' && p[5] - '0' <= style->nlevels && p[6] == MARK &&
            !memcmp(p + 7, "</p>", 4)) {
            buf_puts(out, "<div");
            put_class(out, style, p[5] - '0');
            buf_putc(out, '>');
            i = at + 11;
            depth++;
        } else if (rest >= sizeof close - 1 && !memcmp(p, close, sizeof close - 1)) {
            buf_puts(out, "</div>");
            i = at + sizeof close - 1;
            if (--depth < 0) is_balanced = false;
        } else {
            buf_add(out, p, 4);
            i = at + 4;
        }
    }
    buf_add(out, html + i, len - i);
    return is_balanced && depth == 0;
}

size_t notices_near_misses(const char *md, size_t len, const notice_style *style,
                           void (*miss)(void *user, size_t offset), void *user)
{
    if (!style || style->nlevels <= 0) return 0;
    /* most pages have no line that starts with a mark and a letter */
    bool any = false;
    for (const char *p = md, *end = md + len; !any && (p = memchr(p, '!', (size_t)(end - p)));) {
        any = (at_line_start(md, p) && is_near_miss(p, (size_t)(end - p), style->nlevels)) ||
              (after_list_marker(md, p) && marks_at(p, (size_t)(end - p), style->nlevels, false));
        while (p < end && *p == '!') p++;
    }
    return any ? walk(md, len, style, NULL, miss, user) : 0;
}
