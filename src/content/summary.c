/* summary.c - Grav's summary: delimiter split and HTML truncation.
 *
 * Grav truncates by loading the HTML into a DOM (libxml) and walking it
 * recursively. folio gets the same cut in one pass over the tags with a
 * stack of open elements, copying the source bytes instead of
 * re-serialising a DOM. Two DOM details matter for where the cut falls
 * and are reproduced: whitespace between tags is text and counts, except
 * where libxml's HTML parser drops it (after an element that may not hold
 * text, such as <hr> or <table>); and comments are not text and vanish.
 *
 * Grav runs html_entity_decode over its truncated summary because its DOM
 * round trip turns every non-ASCII character into a reference. folio
 * copies bytes, so there is nothing to undo, and decoding would turn
 * escaped text such as "&lt;script&gt;" into markup; that step is left
 * out on purpose. */
#include "content/summary.h"
#include "content/block_scan.h"

#include <stdio.h>
#include <string.h>

#include "content/entity.h"
#include "content/markdown.h"
#include "lib/find.h"

#define DEFAULT_DELIMITER "==="
#define ELLIPSIS "\xE2\x80\xA6"
#define MAX_OPEN_ELEMENTS 256
#define TAG_NAME_MAX 16

/* ---------- delimiter split ---------- */

void summary_split(const char *html, size_t len, const char *delim, size_t size, buf *content_out,
                   buf *summary_out, bool *has_delimiter)
{
    if (!delim || !*delim) delim = DEFAULT_DELIMITER;
    buf needle = BUF_INIT;
    buf_printf(&needle, "<p>%s</p>", delim);
    const char *first = find_bytes(html, len, needle.s, needle.len);
    if (has_delimiter) *has_delimiter = first != NULL;
    if (!first) {
        if (content_out) buf_add(content_out, html, len);
        if (summary_out) {
            if (size == 0) buf_add(summary_out, html, len);
            else summary_truncate_html(html, len, size, summary_out);
        }
        buf_free(&needle);
        return;
    }
    /* Grav takes the position of the first delimiter as the summary's
     * length and removes every delimiter from the content; the text before
     * the first one is untouched by the removal, so the summary is simply
     * that prefix. */
    if (summary_out) buf_add(summary_out, html, (size_t)(first - html));
    if (content_out) {
        const char *p = html, *end = html + len;
        while (p < end) {
            const char *hit = find_bytes(p, (size_t)(end - p), needle.s, needle.len);
            if (!hit) {
                buf_add(content_out, p, (size_t)(end - p));
                break;
            }
            buf_add(content_out, p, (size_t)(hit - p));
            p = hit + needle.len;
        }
        buf_add(content_out, "", 0);
    }
    buf_free(&needle);
}

/* ---------- truncation ---------- */

/* Elements that receive the ellipsis (Grav's Truncator list). */
static const char *const ellipsable_tags[] = {
    "p", "ol", "ul", "li", "div", "header", "article", "nav", "section", "footer", "aside", "dd", "dt", "dl", NULL,
};

/* Elements without content. */
static const char *const void_tags[] = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", NULL,
};

/* Elements after which (or as first child of which) libxml's HTML parser
 * keeps a whitespace-only text node; elsewhere such whitespace before a
 * tag is dropped and so does not count. */
static const char *const keeps_whitespace_tags[] = {
    "a", "abbr", "acronym", "address", "applet", "b", "bdo", "big", "blockquote", "body", "button",
    "caption", "center", "cite", "code", "dd", "del", "dfn", "div", "dt", "em", "font", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "i", "iframe", "ins", "kbd", "label", "legend", "li", "map", "menu",
    "object", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "td", "th", "tt",
    "u", "ul", "var", NULL,
};

static bool in_list(const char *const *list, const char *name)
{
    for (int i = 0; list[i]; i++)
        if (list[i][0] == name[0] && strcmp(list[i], name) == 0) return true;
    return false;
}

typedef struct open_element {
    char name[TAG_NAME_MAX];
    size_t content_start; /* offset in out where its content begins */
    char last_child[TAG_NAME_MAX]; /* "" none, "#text" text, else element name */
} open_element;

typedef struct truncator {
    buf *out;
    open_element stack[MAX_OPEN_ELEMENTS + 1]; /* [0] is the whole document */
    int depth;
    size_t remaining; /* characters, or words */
    bool words;
    const char *ellipsis;
} truncator;

static bool is_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Unicode punctuation (general category P) for the characters that occur
 * in practice: ASCII, Latin-1, general punctuation, CJK and full-width. */
static bool is_punctuation(unsigned long cp)
{
    if (cp < 0x80) return cp && strchr("!\"#%&'()*,-./:;?@[\\]_{}", (int)cp) != NULL;
    if (cp == 0xA1 || cp == 0xA7 || cp == 0xAB || cp == 0xB6 || cp == 0xB7 || cp == 0xBB || cp == 0xBF) return true;
    if (cp >= 0x2010 && cp <= 0x2027) return true;
    if (cp >= 0x2030 && cp <= 0x205E && cp != 0x2044 && cp != 0x2052) return true;
    if ((cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3011) || (cp >= 0x3014 && cp <= 0x301F)) return true;
    if ((cp >= 0xFF01 && cp <= 0xFF0F && cp != 0xFF04 && cp != 0xFF0B) || cp == 0xFF1A || cp == 0xFF1B ||
        cp == 0xFF1F || cp == 0xFF20 || (cp >= 0xFF3B && cp <= 0xFF3D) || cp == 0xFF3F || cp == 0xFF5B ||
        cp == 0xFF5D || (cp >= 0xFF5F && cp <= 0xFF65))
        return true;
    return false;
}

/* The code point ending at s[end-1]; *start receives where it begins. */
static unsigned long last_code_point(const char *s, size_t floor, size_t end, size_t *start)
{
    size_t i = end - 1;
    while (i > floor && ((unsigned char)s[i] & 0xC0) == 0x80 && end - i < 4) i--;
    *start = i;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) return c;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if ((size_t)extra != end - i - 1) return 0xFFFD;
    unsigned long cp = c & (0x3F >> extra);
    for (size_t k = i + 1; k < end; k++) cp = (cp << 6) | ((unsigned char)s[k] & 0x3F);
    return cp;
}

/* Remove trailing whitespace, punctuation and references from out, not
 * going below floor, before the ellipsis is added (as Grav's
 * `(?:[\s\pP]+|&(?:[a-z]+|#[0-9]+);?)*$` does). */
static bool is_strippable(unsigned long cp)
{
    return (cp < 0x80 && is_ascii_space((unsigned char)cp)) || cp == 0xA0 || is_punctuation(cp);
}

/* Length of the complete character reference ending out (at its ';'), or 0. */
static size_t trailing_reference(const buf *out, size_t floor)
{
    if (out->len == floor || out->s[out->len - 1] != ';') return 0;
    size_t amp = out->len - 1;
    while (amp > floor && out->len - amp < 40 && out->s[amp] != '&') amp--;
    if (out->s[amp] != '&') return 0;
    size_t n = out->len - amp;
    return html_entity_length(out->s + amp, n) == n ? n : 0;
}

static void strip_trailing_punctuation(buf *out, size_t floor)
{
    while (out->len > floor) {
        /* A reference counts as the character it stands for (Grav's DOM
         * shows the character); &lt; and &gt; go too, since Grav's pattern
         * takes them for references. */
        size_t ref = trailing_reference(out, floor);
        if (ref) {
            buf decoded = BUF_INIT;
            html_entity_decode(out->s + out->len - ref, ref, &decoded);
            size_t dstart;
            unsigned long cp = last_code_point(decoded.s, 0, decoded.len, &dstart);
            buf_free(&decoded);
            if (!(cp == '<' || cp == '>' || is_strippable(cp))) break;
            buf_truncate(out, out->len - ref);
            continue;
        }
        size_t start;
        if (!is_strippable(last_code_point(out->s, floor, out->len, &start))) break;
        buf_truncate(out, start);
    }
}

static open_element *top(truncator *t)
{
    return &t->stack[t->depth];
}

static void close_top(truncator *t)
{
    buf_printf(t->out, "</%s>", top(t)->name);
    t->depth--;
}

/* The text ran out: put the ellipsis into the innermost element that may
 * hold it (the document itself at worst) and close everything. */
static void finish_with_ellipsis(truncator *t)
{
    bool closed_any = false;
    while (t->depth > 0 && !in_list(ellipsable_tags, top(t)->name)) {
        close_top(t);
        closed_any = true;
    }
    /* Grav strips the ellipsable element's inner HTML; when that ends with
     * a closing tag there is nothing to strip. */
    if (!closed_any) strip_trailing_punctuation(t->out, top(t)->content_start);
    buf_puts(t->out, t->ellipsis);
    while (t->depth > 0) close_top(t);
}

static void set_last_child(truncator *t, const char *what)
{
    snprintf(top(t)->last_child, TAG_NAME_MAX, "%s", what);
}

/* Would libxml keep this whitespace-only run (followed by a tag) as a
 * text node? */
static bool whitespace_is_text(truncator *t)
{
    const open_element *e = top(t);
    if (e->last_child[0] == 0) return t->depth == 0 || in_list(keeps_whitespace_tags, e->name);
    if (strcmp(e->last_child, "#text") == 0) return true;
    return in_list(keeps_whitespace_tags, e->last_child);
}

/* Length in characters of text[0..len): UTF-8 sequences and character
 * references count one each. With limit, *cut receives the byte offset
 * after `limit` characters. */
static size_t count_chars(const char *s, size_t len, size_t limit, size_t *cut)
{
    size_t n = 0, i = 0;
    if (cut) *cut = len;
    while (i < len) {
        if (cut && n == limit) {
            *cut = i;
            return n;
        }
        size_t step = 1;
        if (s[i] == '&') {
            size_t ref = html_entity_length(s + i, len - i);
            if (ref) step = ref;
        } else if ((unsigned char)s[i] >= 0xC0) {
            while (i + step < len && step < 4 && ((unsigned char)s[i + step] & 0xC0) == 0x80) step++;
        }
        i += step;
        n++;
    }
    return n;
}

/* Words in text[0..len) (runs of characters between white space; each
 * text node counts its own, as Grav's word iterator does). With limit,
 * *cut receives the offset where word number limit + 1 starts, or len. */
static size_t count_words(const char *s, size_t len, size_t limit, size_t *cut)
{
    size_t n = 0;
    if (cut) *cut = len;
    for (size_t i = 0; i < len; i++) {
        if (is_ascii_space((unsigned char)s[i]) || (i > 0 && !is_ascii_space((unsigned char)s[i - 1]))) continue;
        if (cut && n == limit) {
            *cut = i;
            return n;
        }
        n++;
    }
    return n;
}

static size_t count_units(const truncator *t, const char *s, size_t len, size_t limit, size_t *cut)
{
    return t->words ? count_words(s, len, limit, cut) : count_chars(s, len, limit, cut);
}

/* Parse a tag name at s (ASCII letters and digits), lower-cased. */
static size_t tag_name(const char *s, size_t len, char name[TAG_NAME_MAX])
{
    size_t i = 0, n = 0;
    while (i < len && (is_alpha((unsigned char)s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) {
        if (n + 1 < TAG_NAME_MAX) name[n++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
        i++;
    }
    name[n] = 0;
    return i;
}


/* Whether s[0] == '<' starts markup (a tag, comment, declaration)
 * rather than being a literal '<' in text. */
static bool starts_markup(const char *s, size_t len)
{
    if (len < 2) return false;
    if (s[1] == '!' || s[1] == '?' || is_alpha((unsigned char)s[1])) return true;
    return len > 2 && s[1] == '/' && is_alpha((unsigned char)s[2]);
}

/* Length of the comment or tag at s[0] == '<'; an unterminated comment
 * runs to the end, an unterminated tag gives 0 (it is text then). */
static size_t markup_length(const char *s, size_t len)
{
    if (len >= 4 && memcmp(s, "<!--", 4) == 0) {
        const char *end = memmem(s + 4, len - 4, "-->", 3);
        return end ? (size_t)(end - s) + 3 : len;
    }
    return html_tag_end(s, len);
}

static size_t total_text_units(const truncator *t, const char *html, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        if (html[i] == '<' && starts_markup(html + i, len - i)) {
            size_t end = markup_length(html + i, len - i);
            if (end) {
                i += end;
                continue;
            }
        }
        const char *lt = memchr(html + i + 1, '<', len - i - 1);
        size_t run = lt ? (size_t)(lt - html) - i : len - i;
        n += count_units(t, html + i, run, 0, NULL);
        i += run;
    }
    return n;
}

static void truncate_html(const char *html, size_t len, size_t size, bool words, const char *ellipsis, buf *out);

void summary_truncate_html(const char *html, size_t len, size_t size, buf *out)
{
    summary_truncate_html_with(html, len, size, ELLIPSIS, out);
}

void summary_truncate_html_with(const char *html, size_t len, size_t size, const char *ellipsis, buf *out)
{
    truncate_html(html, len, size, false, ellipsis, out);
}

void summary_truncate_html_words(const char *html, size_t len, size_t words, const char *ellipsis, buf *out)
{
    truncate_html(html, len, words, true, ellipsis, out);
}

static void truncate_html(const char *html, size_t len, size_t size, bool words, const char *ellipsis, buf *out)
{
    truncator t = {.out = out, .remaining = size, .words = words, .ellipsis = ellipsis};
    /* Cheap upper bound first: most summaries of short posts are whole. */
    if (size == 0 || total_text_units(&t, html, len) <= size) {
        buf_add(out, html, len);
        return;
    }
    t.stack[0].content_start = out->len;
    size_t i = 0;
    while (i < len) {
        const char *p = html + i;
        size_t rest = len - i;
        if (*p == '<' && rest > 1 && (p[1] == '!' || p[1] == '?')) {
            size_t end = markup_length(p, rest);
            i += end ? end : rest; /* comments and declarations are not text */
            continue;
        }
        if (*p == '<' && rest > 2 && p[1] == '/' && is_alpha((unsigned char)p[2])) {
            size_t end = html_tag_end(p, rest);
            if (end) {
                char name[TAG_NAME_MAX];
                tag_name(p + 2, rest - 2, name);
                int k = t.depth;
                while (k > 0 && strcmp(t.stack[k].name, name) != 0) k--;
                if (k > 0) { /* a stray end tag is dropped, as a DOM would */
                    while (t.depth > k) close_top(&t);
                    close_top(&t);
                    set_last_child(&t, name);
                }
                i += end;
                continue;
            }
        }
        if (*p == '<' && rest > 1 && is_alpha((unsigned char)p[1])) {
            size_t end = html_tag_end(p, rest);
            if (end) {
                char name[TAG_NAME_MAX];
                tag_name(p + 1, rest - 1, name);
                bool is_void = in_list(void_tags, name) || p[end - 2] == '/';
                bool is_ellipsable = in_list(ellipsable_tags, name);
                if (t.remaining == 0) {
                    /* Grav: an element reached with nothing left vanishes and
                     * ends the summary, unless it may hold the ellipsis. */
                    if (is_ellipsable && !is_void) {
                        buf_add(out, p, end);
                        buf_puts(out, ellipsis);
                        buf_printf(out, "</%s>", name);
                        while (t.depth > 0) close_top(&t);
                    } else finish_with_ellipsis(&t);
                    return;
                }
                buf_add(out, p, end);
                if (is_void || t.depth == MAX_OPEN_ELEMENTS) set_last_child(&t, name);
                else {
                    t.depth++;
                    open_element *e = top(&t);
                    snprintf(e->name, TAG_NAME_MAX, "%s", name);
                    e->content_start = out->len;
                    e->last_child[0] = 0;
                }
                i += end;
                continue;
            }
        }
        /* Text up to the next tag ('<' that starts none is text too). */
        const char *lt = memchr(p + 1, '<', rest - 1);
        size_t run = lt ? (size_t)(lt - p) : rest;
        bool blank = true;
        for (size_t k = 0; k < run && blank; k++) blank = is_ascii_space((unsigned char)p[k]);
        if (blank && lt && !whitespace_is_text(&t)) {
            buf_add(out, p, run);
            i += run;
            continue;
        }
        set_last_child(&t, "#text");
        size_t cut;
        size_t n = count_units(&t, p, run, t.remaining, &cut);
        if (cut == run && n <= t.remaining && t.remaining > 0) {
            buf_add(out, p, run);
            t.remaining -= n;
            i += run;
            continue;
        }
        buf_add(out, p, cut);
        finish_with_ellipsis(&t);
        return;
    }
    while (t.depth > 0) close_top(&t);
}

/* ---------- setext check ---------- */

int summary_find_unsplit_delimiter(const char *markdown, size_t len, const char *delim)
{
    if (!delim || !*delim) delim = DEFAULT_DELIMITER;
    size_t dlen = strlen(delim);
    if (!find_bytes(markdown, len, delim, dlen)) return 0; /* most pages: no line to look at */
    block_scan b = BLOCK_SCAN_INIT;
    int line_no = 0, delimiter_lines = 0, first_glued = 0;
    size_t i = 0;
    while (i < len) {
        const char *line = markdown + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i;
        i += n + (nl ? 1 : 0);
        line_no++;
        bool was_in_paragraph = b.is_in_paragraph;
        size_t indent = block_scan_indent(line, n);
        bool may_open = block_scan_may_open(&b, line, indent); /* a delimiter is indented three spaces at most */
        if (block_scan_line(&b, line, n) != LINE_TEXT || !may_open) continue;
        const char *t = line + indent;
        size_t tn = n - (size_t)(t - line);
        while (tn > 0 && is_ascii_space((unsigned char)t[tn - 1])) tn--;
        if (tn == dlen && memcmp(t, delim, dlen) == 0) {
            delimiter_lines++;
            if (was_in_paragraph && !first_glued) first_glued = line_no;
        }
    }
    if (!first_glued) return 0;
    /* Confirm with the renderer: did every delimiter line become <p>? */
    buf html = BUF_INIT, needle = BUF_INIT;
    markdown_render(markdown, len, NULL, &html);
    buf_printf(&needle, "<p>%s</p>", delim);
    int paragraphs = 0;
    for (const char *p = html.s; p && (p = memmem(p, html.len - (size_t)(p - html.s), needle.s, needle.len));
         p += needle.len)
        paragraphs++;
    buf_free(&html);
    buf_free(&needle);
    return paragraphs < delimiter_lines ? first_glued : 0;
}

/* The level of the heading tag at html[i] == '<' ("<h2", "</H3"), or 0. */
static int heading_tag_at(const char *html, size_t len, size_t i, size_t *digit)
{
    size_t k = i + 1;
    if (k < len && html[k] == '/') k++;
    if (k + 2 > len || (html[k] != 'h' && html[k] != 'H') || html[k + 1] < '1' || html[k + 1] > '6') return 0;
    char after = k + 2 < len ? html[k + 2] : '>';
    if (after != '>' && after != ' ' && after != '\t' && after != '\n' && after != '/') return 0;
    *digit = k + 1;
    return html[k + 1] - '0';
}

bool summary_headings_from(const char *html, size_t len, int level, buf *out)
{
    if (level < 1 || level > 6) return false;
    /* An outline, like a table of contents: each heading is one level
     * below the nearest earlier heading that is higher than it, or at the
     * level of an earlier one of its own level; the first is at level. */
    int orig[6], moved[6], depth = 0, open = 0;
    size_t done = 0, start = out->len, digit;
    bool changed = false;
    for (const char *p = html, *end = html + len; (p = memchr(p, '<', (size_t)(end - p))); p++) {
        int n = heading_tag_at(html, len, (size_t)(p - html), &digit);
        if (!n) continue;
        int to;
        if (html[digit - 2] == '/') {
            to = open ? open : n;
        } else {
            while (depth > 0 && orig[depth - 1] > n) depth--;
            if (depth > 0 && orig[depth - 1] == n) {
                to = moved[depth - 1];
            } else {
                to = depth > 0 ? moved[depth - 1] + 1 : level;
                if (to > 6) to = 6;
                orig[depth] = n, moved[depth] = to, depth++;
            }
            open = to;
        }
        if (to == n) continue;
        changed = true;
        buf_add(out, html + done, digit - done);
        buf_putc(out, (char)('0' + to));
        done = digit + 1;
    }
    if (!changed) {
        out->len = start;
        if (out->s) out->s[start] = 0;
        return false;
    }
    buf_add(out, html + done, len - done);
    return true;
}
