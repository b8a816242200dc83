/* markdown.c - folio's HTML renderer over md4c's parser callbacks.
 *
 * md4c reports blocks, spans and text; the renderer appends HTML to one
 * buf as the events arrive, so rendering is a single linear pass. The
 * layout of newlines follows the CommonMark reference renderer: a block
 * tag starts on a fresh line ("ensure_newline") and closing block tags end
 * one. md4c leaves out the <p> of paragraphs in tight lists by itself.
 *
 * Images are the one place that needs buffering: the alt attribute is the
 * plain text of the image description, which arrives as events after the
 * image opens, so while inside an image the text goes to a side buffer and
 * the tag is written when the image closes. */
#include "content/markdown.h"

#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "content/entity.h"
#include "content/frame.h"
#include "lib/html_tag.h"

typedef struct renderer {
    buf *out;
    const markdown_options *opt;
    int image_depth;  /* > 0 while inside an image description */
    bool in_code;     /* inside a code span or code block */
    bool after_nullchar; /* the last text event was MD_TEXT_NULLCHAR (see text) */
    bool has_nul;        /* the text has a NUL somewhere (most have none) */
    size_t p_at;         /* where the open paragraph's <p> is in out */
    buf image_src;    /* the outermost open image, decoded */
    buf image_title;
    bool image_has_title;
    buf image_alt;    /* plain text of its description, unescaped */
    buf link_href;    /* the destination of the link being opened, decoded */
    buf link_attrs;   /* its attributes from the query (markdown_options.link_attributes) */
    size_t link_text_start; /* where the open link's content starts in out */
    buf scratch;      /* short-lived: URL hook output, decoded attributes */
    unsigned short open_formatting[MARKDOWN_FORMATTING_TAGS]; /* by formatting_tags: opened by the text's HTML, not closed */
} renderer;

/* The HTML elements a browser carries on into the paragraphs after them
 * when they are not closed (the "formatting elements" of HTML's parser). */
static const char *const formatting_tags[MARKDOWN_FORMATTING_TAGS] = {"a",     "b",      "big", "code", "em", "font", "i",
                                                "nobr",  "s",      "small", "strike", "strong", "tt", "u"};

/* Count the formatting tags raw HTML of the text opens and closes. */
static void count_formatting_in(unsigned short *open_formatting, const char *s, size_t n)
{
    for (const char *p = s, *end = s + n; (p = memchr(p, '<', (size_t)(end - p))); p++) {
        const char *q = p + 1;
        bool closing = q < end && *q == '/';
        if (closing) q++;
        const char *name = q;
        while (q < end && (((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') || (*q >= '0' && *q <= '9'))) q++;
        size_t len = (size_t)(q - name);
        if (!len || len > 6 || (q < end && *q != '>' && *q != ' ' && *q != '\t' && *q != '\n' && *q != '/')) continue;
        for (size_t i = 0; i < sizeof formatting_tags / sizeof formatting_tags[0]; i++)
            if (strlen(formatting_tags[i]) == len && !strncasecmp(formatting_tags[i], name, len)) {
                const char *gt = memchr(q, '>', (size_t)(end - q));
                if (gt && gt[-1] == '/') break; /* <b/> closes itself */
                if (closing) {
                    if (open_formatting[i]) open_formatting[i]--;
                } else if (open_formatting[i] < 65535) {
                    open_formatting[i]++;
                }
                break;
            }
    }
}

static void count_formatting(renderer *r, const char *s, size_t n) { count_formatting_in(r->open_formatting, s, n); }

/* md4c's own spans, counted as their tags: md4c 0.4.8 leaves an <em>
 * open now and then (found by fuzzing), which browsers carry on too. */
static void md_span_counts(renderer *r, MD_SPANTYPE type, int step)
{
    int i = type == MD_SPAN_EM ? 4 : type == MD_SPAN_STRONG ? 11 : type == MD_SPAN_A ? 0 : type == MD_SPAN_CODE ? 3 : -1;
    if (i < 0) return;
    if (step > 0 && r->open_formatting[i] < 65535) r->open_formatting[i]++;
    else if (step < 0 && r->open_formatting[i]) r->open_formatting[i]--;
}

void markdown_count_formatting(unsigned short open[MARKDOWN_FORMATTING_TAGS], const char *html, size_t len)
{
    count_formatting_in(open, html, len);
}

const char *markdown_formatting_tag(size_t i) { return i < MARKDOWN_FORMATTING_TAGS ? formatting_tags[i] : NULL; }

/* The closing tags of what open counts, innermost first. */
static bool put_closers(buf *out, const unsigned short *open)
{
    bool any = false;
    for (size_t i = sizeof formatting_tags / sizeof formatting_tags[0]; i-- > 0;)
        for (unsigned k = 0; k < open[i] && k < 64; k++) buf_printf(out, "</%s>", formatting_tags[i]), any = true;
    return any;
}

void markdown_close_formatting(buf *html, size_t from)
{
    unsigned short open[sizeof formatting_tags / sizeof formatting_tags[0]] = {0};
    if (html->len > from) count_formatting_in(open, html->s + from, html->len - from);
    put_closers(html, open);
}

/* Escape text for HTML element content or a double-quoted attribute.
 * This is the hot loop of rendering: runs without special bytes are
 * found by html_plain_span and copied in one piece. */
static void put_escaped(buf *out, const char *s, size_t len, bool escape_brackets)
{
    size_t i = 0;
    while (i < len) {
        size_t run = html_plain_span(s + i, len - i, false, escape_brackets);
        buf_add(out, s + i, run);
        i += run;
        if (i == len) break;
        switch (s[i]) {
        case '&': buf_add(out, "&amp;", 5); break;
        case '<': buf_add(out, "&lt;", 4); break;
        case '>': buf_add(out, "&gt;", 4); break;
        case '"': buf_add(out, "&quot;", 6); break;
        default: buf_add(out, "&#91;", 5); break;
        }
        i++;
    }
}

/* md4c writes a NUL of plain text as U+FFFD but hands code, raw HTML and
 * an autolink's text over as they are: there each NUL becomes U+FFFD
 * here (a NUL in the page's HTML would end it for whatever reads it as
 * text). */
static void put_escaped_code(buf *tmp, buf *out, const char *s, size_t len, bool escape_brackets)
{
    if (!memchr(s, 0, len)) {
        put_escaped(out, s, len, escape_brackets);
        return;
    }
    buf_reset(tmp);
    buf_add_without_nul(tmp, s, len);
    put_escaped(out, tmp->s, tmp->len, escape_brackets);
    buf_reset(tmp);
}

/* Bytes copied as they are into an href or src: letters, digits and
 * -_.+!*(),%#@?=;:/$~ (so existing %XX sequences are kept, as the
 * reference renderer does). '&' and '\'' are written as &amp; and &#x27;,
 * everything else is percent-encoded. (Range designators are a GNU C
 * extension, like the rest of the build's -D_GNU_SOURCE world.) */
static const unsigned char url_safe[256] = {
    ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['-'] = 1, ['_'] = 1, ['.'] = 1, ['+'] = 1,
    ['!'] = 1, ['*'] = 1, ['('] = 1, [')'] = 1, [','] = 1, ['%'] = 1, ['#'] = 1, ['@'] = 1, ['?'] = 1,
    ['='] = 1, [';'] = 1, [':'] = 1, ['/'] = 1, ['$'] = 1, ['~'] = 1,
};

static void put_url(buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (url_safe[c]) continue;
        buf_add(out, s + start, i - start);
        if (c == '&') buf_add(out, "&amp;", 5);
        else if (c == '\'') buf_add(out, "&#x27;", 6);
        else {
            char pct[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(out, pct, 3);
        }
        start = i + 1;
    }
    buf_add(out, s + start, len - start);
}

/* An attribute of md4c (URL, title, info string) with its character
 * references decoded, appended unescaped to out. */
static void put_attribute_text(buf *out, const MD_ATTRIBUTE *attr)
{
    if (!attr->text || attr->size == 0) return;
    for (int i = 0; attr->substr_offsets[i] < attr->size; i++) {
        MD_OFFSET off = attr->substr_offsets[i];
        MD_OFFSET end = attr->substr_offsets[i + 1];
        const char *s = attr->text + off;
        size_t n = end - off;
        switch (attr->substr_types[i]) {
        case MD_TEXT_NULLCHAR: buf_put_utf8(out, 0xFFFD); break;
        case MD_TEXT_ENTITY:
            if (!html_entity_decode(s, n, out)) buf_add(out, s, n);
            break;
        default: buf_add(out, s, n); break;
        }
    }
}

/* Write a link or image destination: decode, let the hook rewrite, escape. */
static void put_destination(renderer *r, const char *url, size_t len, bool is_image)
{
    if (r->opt && r->opt->rewrite_url) {
        size_t mark = r->scratch.len;
        if (r->opt->rewrite_url(r->opt->user, url, len, is_image, &r->scratch)) {
            put_url(r->out, r->scratch.s + mark, r->scratch.len - mark);
            buf_truncate(&r->scratch, mark);
            return;
        }
        buf_truncate(&r->scratch, mark);
    }
    put_url(r->out, url, len);
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* s[0..n) with commas as spaces and %XX of printable ASCII decoded: an
 * attribute value. */
static void put_query_value(buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        /* printable ASCII only: a value never gains control bytes or broken UTF-8 */
        if (s[i] == '%' && i + 2 < n && (hi = hex_value(s[i + 1])) >= 2 && hi < 8 && (lo = hex_value(s[i + 2])) >= 0 &&
            hi * 16 + lo != 0x7f) {
            buf_putc(out, (char)(hi * 16 + lo));
            i += 2;
        } else {
            buf_putc(out, s[i] == ',' ? ' ' : s[i]);
        }
    }
}

static bool in_list(const char *const *names, const char *s, size_t n)
{
    for (; names && *names; names++)
        if (strlen(*names) == n && !memcmp(*names, s, n)) return true;
    return false;
}

/* Whether name may be written as a link's attribute at all, whatever the
 * configuration lists: no event handlers, nothing that loads or styles. */
static bool is_harmless_attribute(const char *s, size_t n)
{
    static const char *const refused[] = {"href", "src", "srcset", "style", "formaction", "ping", NULL};
    if (n == 0 || n > 32 || (n >= 2 && s[0] == 'o' && s[1] == 'n') || in_list(refused, s, n)) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (i > 0 && ((s[i] >= '0' && s[i] <= '9') || s[i] == '-')))) return false;
    return true;
}

#define MAX_NOPROCESS 256      /* bytes of "noprocess=a,b" read */
#define MAX_LINK_ATTRIBUTES 16 /* attributes one link takes from its query */

/* Grav's link attributes (markdown_options.link_attributes): the query
 * keys of link_href that are named leave it and are written, escaped,
 * into link_attrs; the other keys stay, in their order. */
static void take_link_attributes(renderer *r, const char *const *names)
{
    buf *href = &r->link_href;
    char *q = memchr(href->s ? href->s : "", '?', href->len);
    if (!q || memchr(href->s, '#', (size_t)(q - href->s))) return; /* none, or in the fragment */
    size_t qstart = (size_t)(q - href->s) + 1;
    char *hash = memchr(q, '#', href->len - qstart + 1);
    size_t qend = hash ? (size_t)(hash - href->s) : href->len;
    /* noprocess=a,b keeps those keys in the URL */
    const char *skip = NULL;
    size_t skip_len = 0;
    for (size_t i = qstart; i < qend;) {
        const char *amp = memchr(href->s + i, '&', qend - i);
        size_t end = amp ? (size_t)(amp - href->s) : qend;
        if (end - i > 10 && !memcmp(href->s + i, "noprocess=", 10)) skip = href->s + i + 10, skip_len = end - i - 10;
        i = end + 1;
    }
    if (skip_len > MAX_NOPROCESS) skip_len = MAX_NOPROCESS; /* a few names; the scan below stays linear */
    const char *taken[MAX_LINK_ATTRIBUTES]; /* the names written, each once */
    size_t taken_len[MAX_LINK_ATTRIBUTES], ntaken = 0;
    buf kept = BUF_INIT;
    for (size_t i = qstart; i < qend;) {
        const char *item = href->s + i;
        const char *amp = memchr(item, '&', qend - i);
        size_t n = amp ? (size_t)(amp - item) : qend - i;
        i += n + 1;
        const char *eq = memchr(item, '=', n);
        size_t klen = eq ? (size_t)(eq - item) : n;
        bool is_skipped = false;
        for (size_t s = 0; skip && s < skip_len;) {
            const char *comma = memchr(skip + s, ',', skip_len - s);
            size_t e = comma ? (size_t)(comma - skip) : skip_len;
            is_skipped |= e - s == klen && !memcmp(skip + s, item, klen);
            s = e + 1;
        }
        if (klen == 9 && !memcmp(item, "noprocess", 9)) continue;
        if (is_skipped || !in_list(names, item, klen) || !is_harmless_attribute(item, klen)) {
            if (kept.len) buf_putc(&kept, '&');
            buf_add(&kept, item, n);
            continue;
        }
        bool is_classes = klen == 7 && !memcmp(item, "classes", 7);
        size_t alen = is_classes ? 5 : klen;
        bool is_taken = false;
        for (size_t t = 0; t < ntaken; t++) is_taken |= taken_len[t] == alen && !memcmp(taken[t], item, alen);
        if (is_taken) continue; /* one attribute of a name: the first */
        if (ntaken == MAX_LINK_ATTRIBUTES) {
            if (kept.len) buf_putc(&kept, '&');
            buf_add(&kept, item, n);
            continue;
        }
        taken[ntaken] = item;
        taken_len[ntaken++] = alen;
        buf_putc(&r->link_attrs, ' ');
        buf_add(&r->link_attrs, item, alen);
        buf_puts(&r->link_attrs, "=\"");
        buf_reset(&r->scratch);
        if (eq) put_query_value(&r->scratch, eq + 1, n - klen - 1);
        else buf_putc(&r->scratch, '1'); /* a key without a value is true to Grav */
        put_escaped(&r->link_attrs, r->scratch.s, r->scratch.len, false);
        buf_reset(&r->scratch);
        buf_putc(&r->link_attrs, '"');
    }
    /* the URL without the keys taken */
    buf rest = BUF_INIT;
    buf_add(&rest, href->s, qstart - (kept.len ? 0 : 1));
    buf_add(&rest, kept.s, kept.len);
    buf_add(&rest, href->s + qend, href->len - qend);
    buf_reset(href);
    buf_add(href, rest.s, rest.len);
    buf_free(&rest);
    buf_free(&kept);
}

/* A block tag starts on its own line. */
static void ensure_newline(buf *out)
{
    if (out->len > 0 && out->s[out->len - 1] != '\n') buf_putc(out, '\n');
}

static void open_image(renderer *r, const MD_SPAN_IMG_DETAIL *d)
{
    buf_reset(&r->image_src);
    buf_reset(&r->image_title);
    buf_reset(&r->image_alt);
    put_attribute_text(&r->image_src, &d->src);
    put_attribute_text(&r->image_title, &d->title);
    r->image_has_title = d->title.size > 0;
}

static void close_image(renderer *r)
{
    markdown_image img = {
        .src = buf_cstr(&r->image_src),
        .alt = buf_cstr(&r->image_alt),
        .title = r->image_has_title ? buf_cstr(&r->image_title) : NULL,
    };
    if (r->opt && r->opt->render_image && r->opt->render_image(r->opt->user, &img, r->out)) return;
    buf_puts(r->out, "<img src=\"");
    put_destination(r, buf_cstr(&r->image_src), r->image_src.len, true);
    buf_puts(r->out, "\" alt=\"");
    /* img's strings, not the bufs' s: an empty buf has no storage (NULL) */
    put_escaped(r->out, img.alt, r->image_alt.len, false);
    buf_putc(r->out, '"');
    if (img.title) {
        buf_puts(r->out, " title=\"");
        put_escaped(r->out, img.title, r->image_title.len, false);
        buf_putc(r->out, '"');
    }
    buf_puts(r->out, " />");
}

static const char *cell_align(MD_ALIGN a)
{
    switch (a) {
    case MD_ALIGN_LEFT: return " align=\"left\"";
    case MD_ALIGN_CENTER: return " align=\"center\"";
    case MD_ALIGN_RIGHT: return " align=\"right\"";
    default: return "";
    }
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    renderer *r = user;
    buf *out = r->out;
    switch (type) {
    case MD_BLOCK_DOC: break;
    case MD_BLOCK_QUOTE: ensure_newline(out); buf_puts(out, "<blockquote>\n"); break;
    case MD_BLOCK_UL: ensure_newline(out); buf_puts(out, "<ul>\n"); break;
    case MD_BLOCK_OL: {
        const MD_BLOCK_OL_DETAIL *d = detail;
        ensure_newline(out);
        if (d->start == 1) buf_puts(out, "<ol>\n");
        else buf_printf(out, "<ol start=\"%u\">\n", d->start);
        break;
    }
    case MD_BLOCK_LI: ensure_newline(out); buf_puts(out, "<li>"); break;
    case MD_BLOCK_HR: ensure_newline(out); buf_puts(out, "<hr />\n"); break;
    case MD_BLOCK_H:
        ensure_newline(out);
        buf_printf(out, "<h%u>", ((const MD_BLOCK_H_DETAIL *)detail)->level);
        break;
    case MD_BLOCK_CODE: {
        const MD_BLOCK_CODE_DETAIL *d = detail;
        ensure_newline(out);
        buf_puts(out, "<pre><code");
        if (d->lang.size > 0) {
            buf_puts(out, " class=\"language-");
            buf_reset(&r->scratch);
            put_attribute_text(&r->scratch, &d->lang);
            put_escaped(out, r->scratch.s, r->scratch.len, false);
            buf_reset(&r->scratch);
            buf_putc(out, '"');
        }
        buf_putc(out, '>');
        r->in_code = true;
        break;
    }
    case MD_BLOCK_HTML: ensure_newline(out); break;
    case MD_BLOCK_P:
        ensure_newline(out);
        r->p_at = out->len;
        buf_puts(out, "<p>");
        break;
    case MD_BLOCK_TABLE:
        ensure_newline(out);
        buf_puts(out, r->opt && r->opt->focusable_tables ? "<table tabindex=\"0\">\n" : "<table>\n");
        break;
    case MD_BLOCK_THEAD: buf_puts(out, "<thead>\n"); break;
    case MD_BLOCK_TBODY: buf_puts(out, "<tbody>\n"); break;
    case MD_BLOCK_TR: buf_puts(out, "<tr>\n"); break;
    case MD_BLOCK_TH:
        buf_printf(out, "<th%s>", cell_align(((const MD_BLOCK_TD_DETAIL *)detail)->align));
        break;
    case MD_BLOCK_TD:
        buf_printf(out, "<td%s>", cell_align(((const MD_BLOCK_TD_DETAIL *)detail)->align));
        break;
    }
    return 0;
}

/* md4c 0.4.8 misses the HTML block start of a tag whose name begins with
 * another's in its table (h2 to h6 after h1, header after head, thead
 * after th, ...): "<h2>Вопросы</h2>" written on a line of its own came
 * out inside a paragraph, which browsers end before it, leaving an empty
 * one. Whether html, a paragraph's content, starts with such a tag. */
static bool starts_missed_block(const char *html, size_t len)
{
    static const char *const tags[] = {"h2", "h3", "h4", "h5", "h6", "header", "thead", "track", "param", "p",
                                       "link", "menuitem", "basefont", "colgroup", "frameset"};
    if (len < 3 || html[0] != '<') return false;
    size_t at = html[1] == '/' ? 2 : 1;
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        size_t n = strlen(tags[i]);
        if (len >= at + n + 1 && !strncasecmp(html + at, tags[i], n) && html[at + n] &&
            strchr(" \t\n>/", html[at + n]))
            return true;
    }
    return false;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    renderer *r = user;
    buf *out = r->out;
    switch (type) {
    case MD_BLOCK_DOC: break;
    case MD_BLOCK_QUOTE: ensure_newline(out); buf_puts(out, "</blockquote>\n"); break;
    case MD_BLOCK_UL: ensure_newline(out); buf_puts(out, "</ul>\n"); break;
    case MD_BLOCK_OL: ensure_newline(out); buf_puts(out, "</ol>\n"); break;
    case MD_BLOCK_LI: buf_puts(out, "</li>\n"); break;
    case MD_BLOCK_HR: break;
    case MD_BLOCK_H: buf_printf(out, "</h%u>\n", ((const MD_BLOCK_H_DETAIL *)detail)->level); break;
    case MD_BLOCK_CODE:
        buf_puts(out, "</code></pre>\n");
        r->in_code = false;
        break;
    case MD_BLOCK_HTML: ensure_newline(out); break;
    case MD_BLOCK_P:
        if (r->p_at + 3 <= out->len && starts_missed_block(out->s + r->p_at + 3, out->len - r->p_at - 3)) {
            /* the HTML block CommonMark makes of it: no paragraph around */
            memmove(out->s + r->p_at, out->s + r->p_at + 3, out->len - r->p_at - 3);
            buf_truncate(out, out->len - 3);
            buf_putc(out, '\n');
        } else {
            buf_puts(out, "</p>\n");
        }
        break;
    case MD_BLOCK_TABLE: buf_puts(out, "</table>\n"); break;
    case MD_BLOCK_THEAD: buf_puts(out, "</thead>\n"); break;
    case MD_BLOCK_TBODY: buf_puts(out, "</tbody>\n"); break;
    case MD_BLOCK_TR: buf_puts(out, "</tr>\n"); break;
    case MD_BLOCK_TH: buf_puts(out, "</th>\n"); break;
    case MD_BLOCK_TD: buf_puts(out, "</td>\n"); break;
    }
    return 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *user)
{
    renderer *r = user;
    buf *out = r->out;
    if (r->image_depth > 0) {
        /* Inside an image description only the text counts. */
        if (type == MD_SPAN_IMG) r->image_depth++;
        if (type == MD_SPAN_CODE) r->in_code = true;
        return 0;
    }
    if (r->opt && r->opt->close_formatting) md_span_counts(r, type, 1);
    switch (type) {
    case MD_SPAN_EM: buf_puts(out, "<em>"); break;
    case MD_SPAN_STRONG: buf_puts(out, "<strong>"); break;
    case MD_SPAN_DEL: buf_puts(out, "<del>"); break;
    case MD_SPAN_CODE:
        buf_puts(out, "<code>");
        r->in_code = true;
        break;
    case MD_SPAN_A: {
        const MD_SPAN_A_DETAIL *d = detail;
        buf_reset(&r->link_href);
        buf_reset(&r->link_attrs);
        put_attribute_text(&r->link_href, &d->href);
        if (r->opt && r->opt->link_attributes) take_link_attributes(r, r->opt->link_attributes);
        buf_puts(out, "<a href=\"");
        put_destination(r, buf_cstr(&r->link_href), r->link_href.len, false);
        buf_putc(out, '"');
        if (d->title.size > 0) {
            buf_puts(out, " title=\"");
            put_attribute_text(&r->scratch, &d->title);
            put_escaped(out, r->scratch.s, r->scratch.len, false);
            buf_reset(&r->scratch);
            buf_putc(out, '"');
        }
        buf_add(out, r->link_attrs.s, r->link_attrs.len);
        buf_putc(out, '>');
        r->link_text_start = out->len;
        break;
    }
    case MD_SPAN_IMG:
        r->image_depth = 1;
        open_image(r, detail);
        break;
    default: break;
    }
    return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *user)
{
    renderer *r = user;
    buf *out = r->out;
    if (type == MD_SPAN_CODE) r->in_code = false;
    if (r->image_depth > 0) {
        if (type == MD_SPAN_IMG && --r->image_depth == 0) close_image(r);
        return 0;
    }
    if (r->opt && r->opt->close_formatting) md_span_counts(r, type, -1);
    switch (type) {
    case MD_SPAN_EM: buf_puts(out, "</em>"); break;
    case MD_SPAN_STRONG: buf_puts(out, "</strong>"); break;
    case MD_SPAN_DEL: buf_puts(out, "</del>"); break;
    case MD_SPAN_CODE: buf_puts(out, "</code>"); break;
    case MD_SPAN_A: {
        size_t text_end = out->len;
        buf_puts(out, "</a>");
        if (r->opt && r->opt->link_note && r->link_text_start <= text_end)
            r->opt->link_note(r->opt->user, buf_cstr(&r->link_href), out->s + r->link_text_start,
                              text_end - r->link_text_start, out);
        break;
    }
    default: break;
    }
    return 0;
}

/* Text inside an image description: plain, unescaped, into the alt. */
static void image_text(renderer *r, MD_TEXTTYPE type, const char *s, size_t n)
{
    buf *alt = &r->image_alt;
    switch (type) {
    case MD_TEXT_NULLCHAR: buf_put_utf8(alt, 0xFFFD); break;
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR: buf_putc(alt, ' '); break;
    case MD_TEXT_ENTITY:
        if (!html_entity_decode(s, n, alt)) buf_add(alt, s, n);
        break;
    default: buf_add_without_nul(alt, s, n); break;
    }
}

/* Raw HTML with an "<iframe" in it (any case). */
static bool has_frame(const char *s, size_t n)
{
    for (const char *p = s, *end = s + n; p + 7 <= end && (p = memchr(p, '<', (size_t)(end - p - 6))); p++)
        if (!strncasecmp(p + 1, "iframe", 6)) return true;
    return false;
}

/* Raw HTML, each <iframe> of a map or a video without a title given one
 * (markdown_options.map_frame_title) and each without a loading
 * attribute loading="lazy" (lazy_frames). A tag that does not end in
 * this piece of the HTML is left as it is (check names it). */
static void put_frames(renderer *r, buf *out, const char *s, size_t n)
{
    size_t done = 0;
    for (size_t i = 0; i + 7 <= n; i++) {
        if (s[i] != '<' || strncasecmp(s + i + 1, "iframe", 6) != 0) continue;
        /* '<iframe ...' in a script's string is the script's business */
        if (i && (s[i - 1] == '"' || s[i - 1] == '\'' || s[i - 1] == '`' || s[i - 1] == '\\')) continue;
        html_tag t;
        size_t end = html_tag_read(s, n, i, &t);
        if (end > n || s[end - 1] != '>' || !html_name_is(t.name, t.name_len, "iframe")) continue;
        const html_attr *src = html_tag_attr(&t, "src");
        frame_kind kind = src && !html_tag_attr(&t, "title") ? frame_kind_of(src->val, src->val_len) : FRAME_OTHER;
        const char *title = kind == FRAME_MAP ? r->opt->map_frame_title
                            : kind == FRAME_VIDEO ? r->opt->video_frame_title : NULL;
        bool lazy = r->opt->lazy_frames && !html_tag_attr(&t, "loading");
        if ((title && *title) || lazy) {
            buf_add_without_nul(out, s + done, i + 7 - done);
            if (title && *title) {
                buf_puts(out, " title=\"");
                put_escaped(out, title, strlen(title), false);
                buf_putc(out, '"');
            }
            if (lazy) buf_puts(out, " loading=\"lazy\"");
            done = i + 7;
        }
        i = end - 1;
    }
    buf_add_without_nul(out, s + done, n - done);
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *user)
{
    renderer *r = user;
    buf *out = r->out;
    /* In code and HTML md4c reports a NUL as such and then again as the
     * first byte of the text that follows: one U+FFFD, not two. */
    bool was_nul = r->after_nullchar;
    r->after_nullchar = type == MD_TEXT_NULLCHAR;
    if (was_nul && size && s[0] == 0 && type != MD_TEXT_NULLCHAR) s++, size--;
    if (r->image_depth > 0) {
        image_text(r, type, s, size);
        return 0;
    }
    switch (type) {
    case MD_TEXT_NULLCHAR: buf_put_utf8(out, 0xFFFD); break;
    case MD_TEXT_BR: buf_puts(out, "<br />\n"); break;
    case MD_TEXT_SOFTBR: buf_puts(out, r->opt && r->opt->hard_breaks ? "<br />\n" : "\n"); break;
    case MD_TEXT_HTML:
        if (r->opt && r->opt->close_formatting) count_formatting(r, s, size);
        if (r->opt && (r->opt->map_frame_title || r->opt->video_frame_title || r->opt->lazy_frames) &&
            has_frame(s, size))
            put_frames(r, out, s, size);
        else
            buf_add_without_nul(out, s, size);
        break;
    case MD_TEXT_ENTITY:
        buf_reset(&r->scratch);
        if (html_entity_decode(s, size, &r->scratch)) put_escaped(out, r->scratch.s, r->scratch.len, false);
        else put_escaped(out, s, size, false);
        buf_reset(&r->scratch);
        break;
    case MD_TEXT_CODE:
        put_escaped_code(&r->scratch, out, s, size, r->opt && r->opt->escape_brackets_in_code);
        break;
    /* md4c reports a NUL in text as such, but not in the text of a link
     * written <...>: there too it is U+FFFD. */
    default: {
        bool brackets = r->in_code && r->opt && r->opt->escape_brackets_in_code;
        if (r->has_nul) put_escaped_code(&r->scratch, out, s, size, brackets);
        else put_escaped(out, s, size, brackets);
        break;
    }
    }
    return 0;
}

/* The same events to the observer first, then to the renderer. */
static int observed_enter_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    renderer *r = user;
    if (r->opt->observe->enter_block) r->opt->observe->enter_block(type, detail, r->opt->observe_user);
    return enter_block(type, detail, user);
}

static int observed_leave_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    renderer *r = user;
    if (r->opt->observe->leave_block) r->opt->observe->leave_block(type, detail, r->opt->observe_user);
    return leave_block(type, detail, user);
}

static int observed_enter_span(MD_SPANTYPE type, void *detail, void *user)
{
    renderer *r = user;
    if (r->opt->observe->enter_span) r->opt->observe->enter_span(type, detail, r->opt->observe_user);
    return enter_span(type, detail, user);
}

static int observed_leave_span(MD_SPANTYPE type, void *detail, void *user)
{
    renderer *r = user;
    if (r->opt->observe->leave_span) r->opt->observe->leave_span(type, detail, r->opt->observe_user);
    return leave_span(type, detail, user);
}

static int observed_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *user)
{
    renderer *r = user;
    if (r->opt->observe->text) r->opt->observe->text(type, s, size, r->opt->observe_user);
    return text(type, s, size, user);
}

int markdown_render(const char *text_in, size_t len, const markdown_options *opt, buf *out)
{
    if (len > (MD_SIZE)-1) return -1;
    MD_PARSER parser = {
        .abi_version = 0,
        .flags = MD_DIALECT_COMMONMARK | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | (opt ? opt->md_flags : 0u),
        .enter_block = enter_block,
        .leave_block = leave_block,
        .enter_span = enter_span,
        .leave_span = leave_span,
        .text = text,
    };
    if (opt && opt->observe) {
        parser.enter_block = observed_enter_block;
        parser.leave_block = observed_leave_block;
        parser.enter_span = observed_enter_span;
        parser.leave_span = observed_leave_span;
        parser.text = observed_text;
    }
    renderer r = {.out = out, .opt = opt, .has_nul = len && memchr(text_in, 0, len)};
    /* One reservation up front: HTML is a little longer than its source.
     * buf_add of nothing keeps out NUL-terminated when the document
     * renders to nothing. */
    buf_grow(out, len + len / 4);
    buf_add(out, "", 0);
    /* md4c 0.4.8 reads past the end of a text that ends inside a link
     * destination ("[](" with no line end after it; found by fuzzing). A
     * final line end changes nothing in CommonMark and keeps it inside. */
    char *with_line_end = NULL;
    if (len > 0 && text_in[len - 1] != '\n') {
        if (len + 1 > (MD_SIZE)-1) return -1;
        with_line_end = xmalloc(len + 2);
        memcpy(with_line_end, text_in, len);
        with_line_end[len++] = '\n';
        with_line_end[len] = 0;
        text_in = with_line_end;
    }
    int rc = md_parse(text_in ? text_in : "", (MD_SIZE)len, &parser, &r);
    free(with_line_end);
    if (put_closers(out, r.open_formatting) && opt->formatting_closed) *opt->formatting_closed = true;
    buf_free(&r.image_src);
    buf_free(&r.image_title);
    buf_free(&r.image_alt);
    buf_free(&r.link_href);
    buf_free(&r.link_attrs);
    buf_free(&r.scratch);
    return rc == 0 ? 0 : -1;
}
