/* notices.c - Grav's markdown-notices, as a rewrite of the Markdown (see
 * notices.h).
 *
 * The plugin extends Parsedown with a block: a line of one to four marks
 * and a space starts it, and it goes on while lines start with marks. Two
 * things differ here, both in the editor's favour: a line that goes on
 * must have a space (or nothing) after its marks, so a photo written right
 * under a notice ("![](photo.jpg)") stays a photo instead of becoming
 * part of the notice's text; and a notice inside a blockquote ("> ! ...")
 * is not recognised. */
#include "content/notices.h"

#include <string.h>
#include <strings.h>

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

/* What the line being read belongs to. */
typedef enum { IN_TEXT, IN_FENCE, IN_HTML_UNTIL_BLANK, IN_HTML_UNTIL } block_state;

typedef struct reader {
    block_state state;
    char fence;           /* '`' or '~' */
    size_t fence_len;
    const char *until;    /* the end of an HTML block of types 1 to 5 */
    bool is_in_paragraph; /* the line before was text */
} reader;

static bool is_blank(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r') return false;
    return true;
}

static bool contains(const char *t, size_t n, const char *needle, bool is_nocase)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (is_nocase ? !strncasecmp(t + i, needle, m) : !memcmp(t + i, needle, m)) return true;
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
static bool html_block_start(reader *r, const char *t, size_t n)
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

static size_t indent_of(const char *line, size_t n)
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

/* Read one line outside a notice: update the block state. */
static void read_line(reader *r, const char *line, size_t n, size_t indent)
{
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
        return;
    }
    case IN_HTML_UNTIL:
        if (contains(line, n, r->until, true)) r->state = IN_TEXT;
        r->is_in_paragraph = false;
        return;
    case IN_HTML_UNTIL_BLANK:
        if (blank) r->state = IN_TEXT;
        r->is_in_paragraph = false;
        return;
    case IN_TEXT:
        break;
    }
    if (blank) {
        r->is_in_paragraph = false;
        return;
    }
    if (is_block_start) {
        size_t k = fence_at(t, tn, &r->fence);
        if (k) {
            r->state = IN_FENCE;
            r->fence_len = k;
            r->is_in_paragraph = false;
            return;
        }
        if (html_block_start(r, t, tn)) {
            if (r->state == IN_HTML_UNTIL && contains(t + 2, tn - 2, r->until, true)) r->state = IN_TEXT;
            r->is_in_paragraph = false;
            return;
        }
        if (t[0] == '#') {
            r->is_in_paragraph = false;
            return;
        }
    }
    r->is_in_paragraph = true;
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
    reader r = {IN_TEXT, 0, 0, NULL, false};
    size_t count = 0, i = 0;
    while (i < len) {
        const char *line = md + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i, next = i + n + (nl ? 1 : 0);
        size_t indent = indent_of(line, n);
        bool is_block_start = r.state == IN_TEXT && columns_of(line, indent) < 4;
        int level = is_block_start ? marks_at(line + indent, n - indent, style->nlevels, false) : 0;
        if (!level) {
            if (miss && is_block_start && is_near_miss(line + indent, n - indent, style->nlevels))
                miss(user, i + indent);
            read_line(&r, line, n, indent);
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
            size_t ind = indent_of(line, n);
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
        r.is_in_paragraph = false;
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
