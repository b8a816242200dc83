/* block_scan.c - Markdown's blocks, line by line (see block_scan.h). */
#include "content/block_scan.h"

#include <string.h>
#include <strings.h>

static bool is_blank(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r') return false;
    return true;
}

/* Whether t[0..n) holds needle, in any case ("</SCRIPT>" ends a script). */
static bool contains(const char *t, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (!strncasecmp(t + i, needle, m)) return true;
    return false;
}

/* The names of CommonMark's HTML blocks of type 6, which end at an empty line. */
static bool is_block_tag(const char *name, size_t n)
{
    static const char *const tags[] = {
        "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col",
        "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr",
        "html", "iframe", "legend", "li", "link", "main", "menu", "menuitem", "nav", "noframes", "ol",
        "optgroup", "option", "p", "param", "search", "section", "summary", "table", "tbody", "td", "tfoot",
        "th", "thead", "title", "tr", "track", "ul"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (strlen(tags[i]) == n && !strncasecmp(tags[i], name, n)) return true;
    return false;
}

/* Whether t[0..n) (indentation removed) starts an HTML block, and which
 * kind: the state and, for types 1 to 5, the text that ends it. */
static bool html_block_start(block_scan *r, const char *t, size_t n)
{
    static const struct {
        const char *start, *end;
    } raw[] = {{"<!--", "-->"}, {"<?", "?>"}, {"<![CDATA[", "]]>"}};
    if (n < 2 || t[0] != '<') return false;
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
        if (n >= strlen(raw[i].start) && !memcmp(t, raw[i].start, strlen(raw[i].start))) {
            r->state = IN_HTML_UNTIL;
            r->until = raw[i].end;
            return true;
        }
    }
    if (t[1] == '!' && n > 2 && ((t[2] | 0x20) >= 'a' && (t[2] | 0x20) <= 'z')) {
        r->state = IN_HTML_UNTIL;
        r->until = ">";
        return true;
    }
    static const char *const verbatim[] = {"script", "pre", "style", "textarea"};
    static const char *const verbatim_end[] = {"</script>", "</pre>", "</style>", "</textarea>"};
    size_t name = t[1] == '/' ? 2 : 1, k = name;
    while (k < n && (((t[k] | 0x20) >= 'a' && (t[k] | 0x20) <= 'z') || (t[k] >= '0' && t[k] <= '9') || t[k] == '-'))
        k++;
    if (k == name) return false;
    bool ends_name = k == n || t[k] == ' ' || t[k] == '\t' || t[k] == '\r' || t[k] == '>';
    for (size_t i = 0; name == 1 && ends_name && i < sizeof verbatim / sizeof verbatim[0]; i++) {
        if (strlen(verbatim[i]) == k - 1 && !strncasecmp(t + 1, verbatim[i], k - 1)) {
            r->state = IN_HTML_UNTIL;
            r->until = verbatim_end[i];
            return true;
        }
    }
    if ((ends_name || (k + 1 < n && t[k] == '/' && t[k + 1] == '>')) && is_block_tag(t + name, k - name)) {
        r->state = IN_HTML_UNTIL_BLANK;
        return true;
    }
    /* type 7: any other tag alone on its line, where it does not
     * interrupt a paragraph */
    const char *gt = memchr(t, '>', n);
    if (!r->is_in_paragraph && gt && !memchr(t + 1, '<', (size_t)(gt - t - 1)) &&
        is_blank(gt + 1, n - (size_t)(gt + 1 - t))) {
        r->state = IN_HTML_UNTIL_BLANK;
        return true;
    }
    return false;
}

/* A fence of three or more backticks or tildes; its length. */
static size_t fence_at(const char *t, size_t n, char *ch)
{
    if (n < 3 || (t[0] != '`' && t[0] != '~')) return 0;
    size_t k = 0;
    while (k < n && t[k] == t[0]) k++;
    if (k < 3 || (t[0] == '`' && memchr(t + k, '`', n - k))) return 0;
    *ch = t[0];
    return k;
}

size_t block_scan_indent(const char *line, size_t n)
{
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
    return i;
}

/* Columns of indentation, a tab counting to the next multiple of four. */
static size_t columns_of(const char *line, size_t bytes)
{
    size_t c = 0;
    for (size_t i = 0; i < bytes; i++) c = line[i] == '\t' ? (c / 4 + 1) * 4 : c + 1;
    return c;
}

bool block_scan_may_open(const block_scan *b, const char *line, size_t indent)
{
    return b->state == IN_TEXT && columns_of(line, indent) < 4;
}

void block_scan_block_done(block_scan *b)
{
    b->is_in_paragraph = false;
}

line_kind block_scan_line(block_scan *r, const char *line, size_t n)
{
    size_t indent = block_scan_indent(line, n);
    const char *t = line + indent;
    size_t tn = n - indent;
    bool blank = is_blank(line, n);
    bool is_block_start = columns_of(line, indent) < 4; /* else code, or text that goes on */
    switch (r->state) {
    case IN_FENCE: {
        char ch;
        size_t k = is_block_start ? fence_at(t, tn, &ch) : 0;
        if (k >= r->fence_len && ch == r->fence && is_blank(t + k, tn - k)) r->state = IN_TEXT;
        r->is_in_paragraph = false;
        return LINE_CODE;
    }
    case IN_HTML_UNTIL:
        if (contains(line, n, r->until)) r->state = IN_TEXT;
        r->is_in_paragraph = false;
        return LINE_HTML;
    case IN_HTML_UNTIL_BLANK:
        if (blank) r->state = IN_TEXT;
        r->is_in_paragraph = false;
        return blank ? LINE_BLANK : LINE_HTML;
    case IN_TEXT:
        break;
    }
    if (blank) {
        r->is_in_paragraph = false;
        return LINE_BLANK;
    }
    if (!is_block_start) /* code, unless it goes on with a paragraph */
        return r->is_in_paragraph ? LINE_TEXT : LINE_CODE;
    size_t k = fence_at(t, tn, &r->fence);
    if (k) {
        r->state = IN_FENCE;
        r->fence_len = k;
        r->is_in_paragraph = false;
        return LINE_CODE;
    }
    if (html_block_start(r, t, tn)) {
        if (r->state == IN_HTML_UNTIL && contains(t + 2, tn - 2, r->until)) r->state = IN_TEXT;
        r->is_in_paragraph = false;
        return LINE_HTML;
    }
    if (t[0] == '#') {
        r->is_in_paragraph = false;
        return LINE_HEADING;
    }
    r->is_in_paragraph = true;
    return LINE_TEXT;
}
