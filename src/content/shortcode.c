/* shortcode.c - finding and expanding shortcodes in rendered HTML.
 *
 * A text scanner skips tags, comments and everything inside <code> or
 * <pre>, and stops at each '[' of the remaining text. A first pass over a
 * range indexes the tags of known shortcodes and pairs each opening with
 * its closing tag (a stack per kind, so nesting is counted and the cost
 * stays linear). A second pass copies the HTML to the output and replaces
 * each paired shortcode with its handler's HTML; the content between the
 * tags is expanded first, recursively, so nested shortcodes work.
 * Attribute values are decoded (the Markdown renderer escaped their
 * quotes), so handlers see what the author wrote. */
#include "content/shortcode.h"
#include "content/youtube.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "content/entity.h"
#include "lib/arena.h"

#define MAX_DEPTH 16
#define MAX_EMAIL_HTML 2048
#define MAX_ATTRS 32
#define MAX_NAME 64

typedef struct shortcode_attr {
    const char *key;
    const char *value; /* "" for an attribute without a value */
} shortcode_attr;

/* One parsed opening (or closing) tag. */
typedef struct shortcode_tag {
    char name[MAX_NAME];
    size_t start, end; /* the tag's bytes: html[start..end) */
    bool is_closing;
    bool is_self_closing;
    bool has_value_attr; /* some name=value attribute */
    const char *bbcode;  /* [notice=warning]: "warning"; NULL when none */
    shortcode_attr attrs[MAX_ATTRS];
    int nattrs;
} shortcode_tag;

typedef struct expander {
    const shortcode_ctx *ctx;
    diag_list *d;
    arena a;
    int expanded;
    int warnings;
    const char *html; /* the whole document, for line mapping */
} expander;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Decode character references (&quot; &amp; ...) of s[0..len) into the arena. */
static const char *decode(arena *a, const char *s, size_t len)
{
    if (!memchr(s, '&', len)) return arena_strndup(a, s, len);
    buf b = BUF_INIT;
    for (size_t i = 0; i < len; i++) {
        size_t ref = s[i] == '&' ? html_entity_length(s + i, len - i) : 0;
        if (ref && html_entity_decode(s + i, ref, &b)) i += ref - 1;
        else buf_putc(&b, s[i]);
    }
    const char *r = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return r;
}

/* The quote that opens a value at s ('"', '\'', the escaped &quot;, or
 * the typographic quotes a word processor makes of '"': “…”, „…“, «…»):
 * its length, and the quote that closes it in *quote. */
static size_t quote_length(const char *s, size_t len, const char **quote)
{
    if (len >= 1 && (s[0] == '"' || s[0] == '\'')) {
        *quote = s[0] == '"' ? "\"" : "'";
        return 1;
    }
    static const char *const curly[][2] = {
        {"\xE2\x80\x9C", "\xE2\x80\x9D"}, {"\xE2\x80\x9E", "\xE2\x80\x9C"}, {"\xC2\xAB", "\xC2\xBB"}};
    for (size_t i = 0; i < sizeof curly / sizeof curly[0]; i++) {
        size_t n = strlen(curly[i][0]);
        if (len >= n && !memcmp(s, curly[i][0], n)) {
            *quote = curly[i][1];
            return n;
        }
    }
    static const char *const escaped[] = {"&quot;", "&#34;", "&#039;", "&#39;", "&#x27;", NULL};
    for (int i = 0; escaped[i]; i++) {
        size_t n = strlen(escaped[i]);
        if (len >= n && memcmp(s, escaped[i], n) == 0) {
            *quote = escaped[i];
            return n;
        }
    }
    return 0;
}

/* The value at html[*p] (after '='), quoted or not, decoded; *p moves
 * past it. False when a quote does not close within the tag. */
static bool parse_value(expander *x, const char *html, size_t len, size_t *pp, const char **val)
{
    size_t p = *pp;
    const char *quote;
    size_t qlen = quote_length(html + p, len - p, &quote);
    if (qlen) {
        size_t vstart = p + qlen;
        const char *end = memmem(html + vstart, len - vstart, quote, strlen(quote));
        if (!end || memchr(html + vstart, '<', (size_t)(end - html) - vstart)) return false;
        *val = decode(&x->a, html + vstart, (size_t)(end - html) - vstart);
        p = (size_t)(end - html) + strlen(quote);
    } else {
        size_t vstart = p;
        while (p < len && !is_space(html[p]) && html[p] != ']' && html[p] != '<') p++;
        size_t vlen = p - vstart;
        /* `[x a=b/]`: the slash closes the tag */
        if (vlen > 0 && html[p - 1] == '/' && p < len && html[p] == ']') {
            vlen--;
            p--;
        }
        *val = decode(&x->a, html + vstart, vlen);
    }
    *pp = p;
    return true;
}

/* Parse the shortcode tag at html[i] == '['. A tag cannot contain '<'
 * (attribute values come escaped), so it never spans HTML tags. */
static bool parse_tag(expander *x, const char *html, size_t len, size_t i, shortcode_tag *t)
{
    size_t p = i + 1;
    memset(t, 0, sizeof *t);
    t->start = i;
    if (p < len && html[p] == '/') {
        t->is_closing = true;
        p++;
    }
    size_t name_start = p;
    while (p < len && is_name_char(html[p])) p++;
    size_t name_len = p - name_start;
    if (name_len == 0 || name_len >= MAX_NAME) return false;
    if (!((html[name_start] >= 'a' && html[name_start] <= 'z') || (html[name_start] >= 'A' && html[name_start] <= 'Z')))
        return false;
    memcpy(t->name, html + name_start, name_len);
    t->name[name_len] = 0;
    if (t->is_closing) {
        if (p < len && html[p] == ']') {
            t->end = p + 1;
            return true;
        }
        return false;
    }
    if (p < len && html[p] == '=') { /* [name=value ...]: the bbcode */
        p++;
        if (!parse_value(x, html, len, &p, &t->bbcode)) return false;
    }
    for (;;) {
        size_t ws = p;
        while (p < len && is_space(html[p])) p++;
        if (p >= len || html[p] == '<') return false;
        if (html[p] == ']') {
            t->end = p + 1;
            return true;
        }
        if (html[p] == '/' && p + 1 < len && html[p + 1] == ']') {
            t->is_self_closing = true;
            t->end = p + 2;
            return true;
        }
        if (p == ws) return false; /* attributes are separated by whitespace */
        size_t key_start = p;
        while (p < len && is_name_char(html[p])) p++;
        if (p == key_start) return false;
        const char *key = arena_strndup(&x->a, html + key_start, p - key_start);
        const char *val = "";
        if (p < len && html[p] == '=') {
            p++;
            if (!parse_value(x, html, len, &p, &val)) return false;
            t->has_value_attr = true;
        }
        if (t->nattrs < MAX_ATTRS) t->attrs[t->nattrs++] = (shortcode_attr){key, val};
    }
}

static const char *attr(const shortcode_tag *t, const char *key)
{
    for (int i = 0; i < t->nattrs; i++)
        if (strcasecmp(t->attrs[i].key, key) == 0) return t->attrs[i].value;
    return NULL;
}

/* PHP truthiness of a string parameter, which is what Grav tests. */
static bool attr_is_true(const shortcode_tag *t, const char *key)
{
    const char *v = attr(t, key);
    return v && *v && strcmp(v, "0") != 0;
}

/* ---------- where in the Markdown a shortcode came from ---------- */

static size_t count_occurrences(const char *s, size_t len, const char *needle, size_t nlen)
{
    size_t n = 0;
    for (const char *p = s; (p = memmem(p, len - (size_t)(p - s), needle, nlen)); p += nlen) n++;
    return n;
}

/* Line in the page file of the shortcode tag at html[at]: the n-th
 * "[name" of the HTML is matched with the n-th of the Markdown. */
static int source_line(expander *x, size_t at, const shortcode_tag *t)
{
    const shortcode_ctx *c = x->ctx;
    if (!c || !c->markdown) return 0;
    char needle[MAX_NAME + 3];
    int nlen = snprintf(needle, sizeof needle, "[%s%s", t->is_closing ? "/" : "", t->name);
    size_t index = count_occurrences(x->html, at, needle, (size_t)nlen);
    const char *p = c->markdown, *end = c->markdown + c->markdown_len;
    for (size_t k = 0; p && k <= index; k++) {
        const char *hit = memmem(p, (size_t)(end - p), needle, (size_t)nlen);
        if (!hit) return 0;
        if (k == index) {
            int line = c->first_line > 0 ? c->first_line : 1;
            for (const char *q = c->markdown; q < hit; q++)
                if (*q == '\n') line++;
            return line;
        }
        p = hit + nlen;
    }
    return 0;
}

#define MAX_WARNINGS 20

static void warn(expander *x, size_t at, const shortcode_tag *t, const char *fmt, const char *name)
{
    if (!x->d || x->warnings > MAX_WARNINGS) return;
    /* a page full of broken shortcodes needs one message, not thousands */
    if (++x->warnings > MAX_WARNINGS) {
        diag_add(x->d, DIAG_WARNING, x->ctx && x->ctx->page_path ? x->ctx->page_path : "", 0, 0,
                 "more than %d shortcode problems; the rest are not reported", MAX_WARNINGS);
        return;
    }
    const char *path = x->ctx && x->ctx->page_path ? x->ctx->page_path : "";
    diag_add(x->d, DIAG_WARNING, path, source_line(x, at, t), 0, fmt, name);
}

/* ---------- owl-carousel ---------- */

/* Value of attribute `key` in the HTML tag tag[0..len), decoded, or NULL. */
static const char *html_attr(arena *a, const char *tag, size_t len, const char *key)
{
    size_t klen = strlen(key);
    for (size_t i = 1; i + klen + 1 < len; i++) {
        if (!is_space(tag[i - 1]) || strncasecmp(tag + i, key, klen) != 0 || tag[i + klen] != '=') continue;
        size_t v = i + klen + 1;
        if (v < len && (tag[v] == '"' || tag[v] == '\'')) {
            const char *end = memchr(tag + v + 1, tag[v], len - v - 1);
            if (!end) return NULL;
            return decode(a, tag + v + 1, (size_t)(end - tag) - v - 1);
        }
        size_t e = v;
        while (e < len && !is_space(tag[e]) && tag[e] != '>') e++;
        return decode(a, tag + v, e - v);
    }
    return NULL;
}

/* One image of a gallery: an <img> tag or a whole <picture> element. */
typedef struct slide {
    const char *html;
    size_t len;
    const char *img;    /* the <img> tag within it */
    size_t img_len;
    bool is_picture;
} slide;


static bool starts_tag(const char *s, size_t len, const char *name)
{
    size_t n = strlen(name);
    return len > n + 1 && s[0] == '<' && strncasecmp(s + 1, name, n) == 0 &&
           (is_space(s[n + 1]) || s[n + 1] == '>' || s[n + 1] == '/');
}

static int collect_slides(const char *s, size_t len, slide *slides, int max)
{
    int n = 0;
    for (size_t i = 0; i < len && n < max; i++) {
        if (s[i] != '<') continue;
        if (starts_tag(s + i, len - i, "picture")) {
            const char *end = memmem(s + i, len - i, "</picture>", 10);
            if (!end) break;
            size_t total = (size_t)(end - s) + 10 - i;
            const char *img = NULL;
            size_t img_len = 0;
            for (size_t k = i; k < i + total; k++)
                if (starts_tag(s + k, len - k, "img")) {
                    img = s + k;
                    img_len = html_tag_end(s + k, len - k);
                    break;
                }
            slides[n++] = (slide){s + i, total, img, img_len, true};
            i += total - 1;
        } else if (starts_tag(s + i, len - i, "img")) {
            size_t total = html_tag_end(s + i, len - i);
            if (!total) break;
            slides[n++] = (slide){s + i, total, s + i, total, false};
            i += total - 1;
        }
    }
    return n;
}

static void put_escaped_attr(buf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_puts(out, "&amp;"); break;
        case '<': buf_puts(out, "&lt;"); break;
        case '>': buf_puts(out, "&gt;"); break;
        case '"': buf_puts(out, "&quot;"); break;
        default: buf_putc(out, *s); break;
        }
    }
}

typedef enum alt_state { ALT_MISSING, ALT_EMPTY, ALT_PRESENT } alt_state;

/* Whether the tag has alt text; for alt="" (or ''), *inside is the offset
 * between its quotes. */
static alt_state find_alt(const char *tag, size_t len, size_t *inside)
{
    for (size_t i = 1; i + 5 < len; i++) {
        if (!is_space(tag[i - 1]) || strncasecmp(tag + i, "alt=", 4) != 0) continue;
        char q = tag[i + 4];
        if ((q == '"' || q == '\'') && tag[i + 5] == q) {
            *inside = i + 5;
            return ALT_EMPTY;
        }
        return ALT_PRESENT;
    }
    return ALT_MISSING;
}

/* Copy an <img> tag, adding loading="lazy" when asked and not present, and
 * alt text (fallback_alt) when the tag's alt is missing or empty. */
static void put_img_tag(buf *out, const char *tag, size_t len, bool is_lazy, const char *fallback_alt, arena *a)
{
    buf fixed = BUF_INIT;
    size_t inside = 0;
    alt_state alt = fallback_alt && *fallback_alt ? find_alt(tag, len, &inside) : ALT_PRESENT;
    if (alt != ALT_PRESENT && len > 4) {
        size_t at = alt == ALT_EMPTY ? inside : 4; /* 4: after "<img" */
        buf_add(&fixed, tag, at);
        if (alt == ALT_MISSING) buf_puts(&fixed, " alt=\"");
        put_escaped_attr(&fixed, fallback_alt);
        if (alt == ALT_MISSING) buf_puts(&fixed, "\"");
        buf_add(&fixed, tag + at, len - at);
        tag = fixed.s;
        len = fixed.len;
    }
    if (!is_lazy || html_attr(a, tag, len, "loading")) {
        buf_add(out, tag, len);
    } else {
        size_t cut = len - 1; /* before '>' */
        if (cut > 0 && tag[cut - 1] == '/') cut--;
        while (cut > 0 && is_space(tag[cut - 1])) cut--;
        buf_add(out, tag, cut);
        buf_puts(out, " loading=\"lazy\"");
        buf_add(out, tag + cut, len - cut);
    }
    buf_free(&fixed);
}

/* A photo's alt text is its Markdown alt; when the author left that empty
 * (as Grav sites often do), the image title is the best description there
 * is, so screen readers do not skip the photo as decorative. */
static void put_slide_image(expander *x, const slide *s, bool is_lazy, buf *out)
{
    const shortcode_ctx *c = x->ctx;
    const char *title = s->img ? html_attr(&x->a, s->img, s->img_len, "title") : NULL;
    if (!s->is_picture && c && c->render_image) {
        const char *src = html_attr(&x->a, s->img, s->img_len, "src");
        markdown_image img = {
            .src = src ? src : "",
            .alt = html_attr(&x->a, s->img, s->img_len, "alt"),
            .title = title,
        };
        if (!img.alt || !*img.alt) img.alt = title ? title : "";
        if (c->render_image(c->user, &img, is_lazy, out)) return;
    }
    if (!s->img) {
        buf_add(out, s->html, s->len);
        return;
    }
    /* the <picture> around the <img>, if any, is copied as it is */
    buf_add(out, s->html, (size_t)(s->img - s->html));
    put_img_tag(out, s->img, s->img_len, is_lazy, title, &x->a);
    size_t after = (size_t)(s->img - s->html) + s->img_len;
    buf_add(out, s->html + after, s->len - after);
}

#define MAX_SLIDES 256

static void render_gallery(expander *x, const shortcode_tag *t, const char *content, size_t len, buf *out)
{
    slide slides[MAX_SLIDES];
    int n = collect_slides(content, len, slides, MAX_SLIDES);
    bool is_lazy = attr_is_true(t, "lazyLoad");
    const char *extra_class = attr(t, "class");
    const char *label = attr(t, "title");
    if (!label || !*label) label = n > 0 ? html_attr(&x->a, slides[0].img, slides[0].img_len, "title") : NULL;
    if (!label || !*label) label = x->ctx && x->ctx->gallery_label ? x->ctx->gallery_label : "Gallery";

    buf_puts(out, "<div class=\"gallery");
    if (extra_class && *extra_class) {
        buf_putc(out, ' ');
        put_escaped_attr(out, extra_class);
    }
    buf_puts(out, "\" role=\"region\" aria-roledescription=\"carousel\" aria-label=\"");
    put_escaped_attr(out, label);
    buf_puts(out, "\" tabindex=\"0\">\n<ul class=\"gallery-slides\">\n");
    for (int i = 0; i < n; i++) {
        buf_printf(out, "<li class=\"gallery-slide\" aria-roledescription=\"slide\" aria-label=\"%d / %d\">", i + 1, n);
        buf_puts(out, "<figure>");
        put_slide_image(x, &slides[i], is_lazy, out);
        const char *title = slides[i].img ? html_attr(&x->a, slides[i].img, slides[i].img_len, "title") : NULL;
        if (title && *title) {
            /* The caption repeats the alt text (the title became the alt):
             * screen readers hear it once, from the image. */
            const char *alt = html_attr(&x->a, slides[i].img, slides[i].img_len, "alt");
            bool repeats_alt = !alt || !*alt || !strcmp(alt, title);
            buf_puts(out, repeats_alt ? "<figcaption aria-hidden=\"true\">" : "<figcaption>");
            put_escaped_attr(out, title);
            buf_puts(out, "</figcaption>");
        }
        buf_puts(out, "</figure></li>\n");
    }
    buf_puts(out, "</ul>\n</div>\n");
}

/* ---------- safe-email ---------- */

/* The text of HTML content (an address, a video's): tags dropped,
 * references decoded; *s and *n the text trimmed, inside text. */
static void plain_text(const char *content, size_t len, buf *text, const char **s, size_t *n)
{
    for (size_t i = 0; i < len; i++) {
        if (content[i] == '<') {
            size_t e = html_tag_end(content + i, len - i);
            if (e) {
                i += e - 1;
                continue;
            }
        }
        size_t ref = content[i] == '&' ? html_entity_length(content + i, len - i) : 0;
        if (ref && html_entity_decode(content + i, ref, text)) i += ref - 1;
        else buf_putc(text, content[i]);
    }
    *s = buf_cstr(text);
    *n = text->len;
    while (*n > 0 && is_space(**s)) ++*s, --*n;
    while (*n > 0 && is_space((*s)[*n - 1])) --*n;
}

static void render_safe_email(const shortcode_tag *t, const char *content, size_t len, buf *out)
{
    /* the address as text: tags dropped, references decoded, trimmed */
    buf text = BUF_INIT;
    const char *s;
    size_t n;
    plain_text(content, len, &text, &s, &n);

    /* every character as a numeric reference, per code point (Grav encodes
     * bytes, which garbles non-ASCII addresses) */
    buf encoded = BUF_INIT;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        unsigned long cp = c;
        size_t step = 1;
        if (c >= 0xC0) {
            int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
            cp = c & (0x3F >> extra);
            while (step <= (size_t)extra && i + step < n && ((unsigned char)s[i + step] & 0xC0) == 0x80)
                cp = (cp << 6) | ((unsigned char)s[i + step++] & 0x3F);
        }
        char ref[16], *q = ref + sizeof ref;
        *--q = ';';
        do *--q = (char)('0' + cp % 10);
        while ((cp /= 10) > 0);
        *--q = '#';
        *--q = '&';
        buf_add(&encoded, q, (size_t)(ref + sizeof ref - q));
        i += step;
    }
    if (attr_is_true(t, "autolink")) {
        buf_puts(out, "<a href=\"mailto:");
        buf_add(out, encoded.s, encoded.len);
        buf_puts(out, "\">");
        buf_add(out, encoded.s, encoded.len);
        buf_puts(out, "</a>");
    } else buf_add(out, encoded.s, encoded.len);
    buf_free(&encoded);
    buf_free(&text);
}

/* ---------- youtube ---------- */

/* [youtube]https://youtu.be/ID[/youtube]: the player, as for the plugin's
 * [plugin:youtube](...) links; anything else stays as it was written. */
static void render_youtube(expander *x, const shortcode_tag *t, size_t at, const char *content, size_t len, buf *out)
{
    buf text = BUF_INIT;
    const char *url;
    size_t n;
    plain_text(content, len, &text, &url, &n);
    char id[12];
    if (youtube_video_id(url, n, id)) {
        youtube_player(out, id, x->ctx->youtube, x->ctx->youtube_title);
    } else {
        warn(x, at, t, "[%s] holds no YouTube address: left as written", t->name);
        buf_add(out, content, len);
    }
    buf_free(&text);
}

/* ---------- the known shortcodes ---------- */

typedef enum shortcode_kind {
    SC_UNKNOWN,
    SC_GALLERY,
    SC_SAFE_EMAIL,
    SC_ALIGN,   /* center, left, right */
    SC_COLUMNS,
    SC_NOTICE,
    SC_DETAILS,
    SC_DIV,
    SC_FIGURE,
    SC_HEADING, /* h1 to h6 */
    SC_LANG,
    SC_MARK,
    SC_UNDERLINE,
    SC_SPAN,
    SC_SIZE,
    SC_COLOR,
    SC_RAW,
    SC_YOUTUBE, /* Grav's youtube plugin, when the site has it */
    SC_KINDS
} shortcode_kind;

static const struct {
    const char *name;
    shortcode_kind kind;
} known_names[] = {
    {"owl-carousel", SC_GALLERY}, {"safe-email", SC_SAFE_EMAIL}, {"center", SC_ALIGN},    {"left", SC_ALIGN},
    {"right", SC_ALIGN},          {"columns", SC_COLUMNS},       {"notice", SC_NOTICE},   {"details", SC_DETAILS},
    {"div", SC_DIV},              {"figure", SC_FIGURE},         {"h1", SC_HEADING},      {"h2", SC_HEADING},
    {"h3", SC_HEADING},           {"h4", SC_HEADING},            {"h5", SC_HEADING},      {"h6", SC_HEADING},
    {"lang", SC_LANG},            {"mark", SC_MARK},             {"u", SC_UNDERLINE},     {"span", SC_SPAN},
    {"size", SC_SIZE},            {"color", SC_COLOR},           {"raw", SC_RAW},         {"youtube", SC_YOUTUBE},
};

static shortcode_kind kind_of(const expander *x, const char *name)
{
    for (size_t i = 0; i < sizeof known_names / sizeof known_names[0]; i++) {
        if (strcasecmp(name, known_names[i].name) != 0) continue;
        shortcode_kind k = known_names[i].kind;
        bool has_plugin = x->ctx && x->ctx->youtube && x->ctx->youtube->is_on;
        return k == SC_YOUTUBE && !has_plugin ? SC_UNKNOWN : k;
    }
    return SC_UNKNOWN;
}

/* Shortcodes that make a block (a <div>, a <figure>...): the paragraph
 * Markdown put around them is removed, as for a gallery. */
static bool is_block(shortcode_kind k)
{
    return k == SC_GALLERY || k == SC_ALIGN || k == SC_COLUMNS || k == SC_NOTICE || k == SC_DETAILS || k == SC_DIV ||
           k == SC_FIGURE || k == SC_HEADING || k == SC_YOUTUBE;
}

/* ---------- shortcode-core's formatting shortcodes ---------- */

/* The parameter key, or the bbcode ([notice=warning]) when there is none. */
static const char *param(const shortcode_tag *t, const char *key)
{
    const char *v = attr(t, key);
    return v ? v : t->bbcode;
}

/* The attribute, when the author gave it a value. */
static void add_attr(buf *out, const char *name, const char *value)
{
    if (value && *value) buf_add_attr(out, name, value);
}

/* A CSS value as an editor writes one ("red", "#c00", "1.2em", "30"):
 * letters, digits and # % . , ( ) - and spaces only, so it can only ever
 * be one value of one property. */
static bool is_css_value(const char *v)
{
    if (!v || !*v || strlen(v) > 64) return false;
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("#%.,()- ", *p)))
            return false;
    return true;
}

/* A class name suffix made of small letters, digits and '-': the notice
 * type, the mark class. NULL when v is anything else. */
static const char *class_word(const char *v)
{
    if (!v || !*v || strlen(v) > 32) return NULL;
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) return NULL;
    return v;
}

/* The HTML around the expanded content of a formatting shortcode. Classes
 * stand where shortcode-core writes style attributes (the theme styles
 * them, and the site's security policy needs no inline styles for them);
 * [size] and [color] keep theirs, as their values are any size or colour. */
static void render_format(expander *x, const shortcode_tag *t, shortcode_kind kind, const char *content, size_t len,
                          buf *out)
{
    char name[MAX_NAME];
    snprintf(name, sizeof name, "%s", t->name);
    for (char *c = name; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    const char *close = "</div>";
    switch (kind) {
    case SC_ALIGN:
        buf_printf(out, "<div class=\"sc-align-%s\">", name);
        break;
    case SC_COLUMNS: {
        const char *count = attr(t, "count");
        int n = count ? atoi(count) : 2;
        if (n < 1) n = 1;
        if (n > 6) n = 6;
        buf_printf(out, "<div class=\"sc-columns sc-columns-%d\">", n);
        break;
    }
    case SC_NOTICE: {
        const char *type = class_word(param(t, "notice"));
        buf_printf(out, "<div class=\"sc-notice %s\"><div>", type ? type : "info");
        close = "</div></div>";
        break;
    }
    case SC_DETAILS: {
        const char *summary = param(t, "summary");
        const char *cls = attr(t, "class");
        buf_puts(out, "<details");
        add_attr(out, "class", cls);
        buf_putc(out, '>');
        if (summary && *summary) {
            buf_puts(out, "<summary>");
            buf_add_html(out, summary, strlen(summary));
            buf_puts(out, "</summary>");
        }
        close = "</details>";
        break;
    }
    case SC_DIV:
    case SC_SPAN:
        buf_puts(out, kind == SC_DIV ? "<div" : "<span");
        add_attr(out, "id", attr(t, "id"));
        add_attr(out, "class", attr(t, "class"));
        add_attr(out, "style", attr(t, "style"));
        buf_putc(out, '>');
        close = kind == SC_DIV ? "</div>" : "</span>";
        break;
    case SC_FIGURE: {
        buf_puts(out, "<figure");
        add_attr(out, "id", attr(t, "id"));
        add_attr(out, "class", attr(t, "class"));
        buf_putc(out, '>');
        buf_add(out, content, len);
        const char *caption = attr(t, "caption");
        if (caption && *caption) {
            buf_puts(out, "<figcaption>");
            buf_add_html(out, caption, strlen(caption));
            buf_puts(out, "</figcaption>");
        }
        buf_puts(out, "</figure>");
        return;
    }
    case SC_HEADING:
        buf_printf(out, "<%s", name);
        add_attr(out, "id", attr(t, "id"));
        add_attr(out, "class", attr(t, "class"));
        buf_putc(out, '>');
        buf_add(out, content, len);
        buf_printf(out, "</%s>", name);
        return;
    case SC_LANG: {
        const char *want = t->bbcode;
        const char *lang = x->ctx ? x->ctx->lang : NULL;
        if (want && lang && strcmp(want, lang) == 0) buf_add(out, content, len);
        return;
    }
    case SC_MARK: {
        const char *cls = class_word(attr(t, "class"));
        const char *style = param(t, "style");
        bool is_block_mark = style && strcmp(style, "block") == 0;
        buf_printf(out, "<mark class=\"mark-class-%s%s\">", cls ? cls : "default", is_block_mark ? " sc-mark-block" : "");
        if (is_block_mark) {
            while (len && content[0] == '\n') content++, len--;
            while (len && content[len - 1] == '\n') len--;
        }
        close = "</mark>";
        break;
    }
    case SC_UNDERLINE:
        buf_puts(out, "<u>");
        close = "</u>";
        break;
    case SC_SIZE:
    case SC_COLOR: {
        const char *v = param(t, kind == SC_SIZE ? "size" : "color");
        if (!is_css_value(v)) { /* nothing safe to say: the text as it is */
            buf_add(out, content, len);
            return;
        }
        bool is_number = kind == SC_SIZE && strspn(v, "0123456789.") == strlen(v);
        buf_printf(out, "<span style=\"%s: %s%s;\">", kind == SC_SIZE ? "font-size" : "color", v, is_number ? "px" : "");
        close = "</span>";
        break;
    }
    case SC_RAW: {
        while (len && is_space(content[0])) content++, len--;
        while (len && is_space(content[len - 1])) len--;
        buf_add(out, content, len);
        return;
    }
    default:
        buf_add(out, content, len);
        return;
    }
    buf_add(out, content, len);
    buf_puts(out, close);
}

/* ---------- the scan ---------- */

/* Length of the comment or tag at s[0] == '<' (1 for a lone '<'). */
static size_t markup_length(const char *s, size_t len)
{
    if (len >= 4 && memcmp(s, "<!--", 4) == 0) {
        const char *end = memmem(s + 4, len - 4, "-->", 3);
        return end ? (size_t)(end - s) + 3 : len;
    }
    size_t e = html_tag_end(s, len);
    return e ? e : 1;
}

/* +1 for a <code> or <pre> tag at s, -1 for its end tag, else 0. */
static int code_nesting_change(const char *s, size_t len)
{
    size_t at = len > 1 && s[1] == '/' ? 2 : 1;
    if (at >= len) return 0;
    char c = (char)(s[at] | 0x20);
    if (c != 'c' && c != 'p') return 0;
    size_t n = c == 'c' ? 4 : 3;
    if (len - at < n + 1 || strncasecmp(s + at, c == 'c' ? "code" : "pre", n) != 0 || is_name_char(s[at + n]))
        return 0;
    return at == 2 ? -1 : 1;
}

/* Walks HTML text: skips tags and comments and everything inside <code>
 * or <pre>, stopping at each '[' of the remaining text. */
typedef struct text_scan {
    const char *s;
    size_t len, i;
    int code_depth;
    size_t next_bracket; /* cached position of the next '[' ... */
    bool knows_next_bracket; /* ... valid when set and not behind i */
} text_scan;

/* Offset of the next '[' to consider (scan->i is left on it), or len.
 * Text is skipped with memchr; only tags are walked byte by byte. */
static size_t next_bracket(text_scan *scan)
{
    while (scan->i < scan->len) {
        const char *p = scan->s + scan->i;
        size_t rest = scan->len - scan->i;
        if (!scan->knows_next_bracket || scan->next_bracket < scan->i) {
            const char *found = memchr(p, '[', rest);
            scan->next_bracket = found ? (size_t)(found - scan->s) : scan->len;
            scan->knows_next_bracket = true;
        }
        if (scan->next_bracket >= scan->len) break;
        const char *bracket = scan->s + scan->next_bracket;
        const char *lt = memchr(p, '<', (size_t)(bracket - p));
        if (lt) {
            size_t at = (size_t)(lt - scan->s);
            scan->code_depth += code_nesting_change(lt, scan->len - at);
            if (scan->code_depth < 0) scan->code_depth = 0;
            scan->i = at + markup_length(lt, scan->len - at);
            continue;
        }
        scan->i = (size_t)(bracket - scan->s);
        if (scan->code_depth == 0) return scan->i;
        scan->i++;
    }
    scan->i = scan->len;
    return scan->len;
}

/* Find the [/name] closing the tag that ended at `from`; nested openings
 * of the same name are skipped, and code is not searched. */
/* The tags of known shortcodes in a range, in order, each opening paired
 * with its closing tag (same kind, nesting counted) in one pass with a
 * stack per kind, so matching stays linear however many tags there are. */
typedef struct known_tag {
    size_t start, end;
    long partner; /* index of the matching tag, or -1 */
} known_tag;

typedef struct tag_index {
    known_tag *items;
    size_t len, cap;
    /* names of unknown shortcodes that have a closing tag somewhere */
    char closed_unknown[16][MAX_NAME];
    int nclosed_unknown;
} tag_index;

static void index_push(tag_index *ix, size_t start, size_t end)
{
    if (ix->len == ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 16;
        ix->items = xrealloc(ix->items, ix->cap * sizeof *ix->items);
    }
    ix->items[ix->len++] = (known_tag){start, end, -1};
}

static bool closed_unknown(const tag_index *ix, const char *name)
{
    for (int i = 0; i < ix->nclosed_unknown; i++)
        if (strcasecmp(ix->closed_unknown[i], name) == 0) return true;
    return false;
}

static void build_index(expander *x, const char *html, size_t len, tag_index *ix)
{
    long *open[SC_KINDS] = {NULL};
    size_t depth[SC_KINDS] = {0}, cap[SC_KINDS] = {0};
    text_scan scan = {.s = html, .len = len};
    for (size_t i; (i = next_bracket(&scan)) < len;) {
        shortcode_tag t;
        if (!parse_tag(x, html, len, i, &t)) {
            scan.i++;
            continue;
        }
        scan.i = t.end;
        shortcode_kind kind = kind_of(x, t.name);
        if (kind == SC_UNKNOWN) {
            if (t.is_closing && !closed_unknown(ix, t.name) && ix->nclosed_unknown < 16)
                snprintf(ix->closed_unknown[ix->nclosed_unknown++], MAX_NAME, "%s", t.name);
            continue;
        }
        index_push(ix, t.start, t.end);
        long at = (long)ix->len - 1;
        if (t.is_closing) {
            if (depth[kind] > 0) {
                long partner = open[kind][--depth[kind]];
                ix->items[partner].partner = at;
                ix->items[at].partner = partner;
            }
        } else if (!t.is_self_closing) {
            if (depth[kind] == cap[kind]) {
                cap[kind] = cap[kind] ? cap[kind] * 2 : 8;
                open[kind] = xrealloc(open[kind], cap[kind] * sizeof *open[kind]);
            }
            open[kind][depth[kind]++] = at;
        }
    }
    for (int k = 0; k < SC_KINDS; k++) free(open[k]);
}

/* The closing tag paired with the known opening tag at `start`. */
static bool find_closing(const tag_index *ix, size_t start, size_t *close_start, size_t *close_end)
{
    size_t lo = 0, hi = ix->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->items[mid].start < start) lo = mid + 1;
        else hi = mid;
    }
    if (lo == ix->len || ix->items[lo].start != start || ix->items[lo].partner < 0) return false;
    const known_tag *close = &ix->items[ix->items[lo].partner];
    *close_start = close->start;
    *close_end = close->end;
    return true;
}

static bool looks_like_shortcode(const shortcode_tag *t, bool has_closing)
{
    return has_closing || t->has_value_attr || t->is_self_closing;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

static void expand_range(expander *x, const char *html, size_t len, int depth, buf *out);

/* Whether out ends inside a paragraph: its last <p> has no </p> after
 * it; *at is then where that <p> starts. The <p> is looked for in the
 * last MAX_PARAGRAPH bytes only (each block shortcode asks: a page of
 * thousands of them must not read its whole output each time); a longer
 * paragraph keeps its block inside, as Grav's output has it. */
#define MAX_PARAGRAPH 4096
static bool paragraph_is_open(const buf *out, size_t *at)
{
    size_t stop = out->len > MAX_PARAGRAPH ? out->len - MAX_PARAGRAPH : 0;
    for (size_t i = out->len; i-- > stop;) {
        if (out->s[i] != '<') continue;
        const char *t = out->s + i;
        size_t rest = out->len - i;
        if (starts_with(t, rest, "</p>")) return false;
        if (starts_with(t, rest, "<p>") || starts_with(t, rest, "<p ")) {
            *at = i;
            return true;
        }
    }
    return false;
}

/* Whether out[from..] is a start tag and blanks only. */
static bool only_tag_and_blanks(const buf *out, size_t from)
{
    const char *gt = memchr(out->s + from, '>', out->len - from);
    if (!gt) return false;
    for (const char *p = gt + 1; p < out->s + out->len; p++)
        if (!is_space(*p)) return false;
    return true;
}

static size_t count_tags(const char *s, size_t len, const char *tag)
{
    size_t n = 0, tl = strlen(tag);
    for (const char *p = s; (p = memmem(p, len - (size_t)(p - s), tag, tl)); p += tl)
        n += p + tl < s + len && (p[tl] == '>' || p[tl] == ' ');
    return n;
}

/* A list written right before the closing tag takes it in: "- Астана\n
 * [/columns]" is one list item for Markdown, so the closing tag sits in
 * the last <li>, and the list's ends come after it. Those ends, which
 * the shortcode's content opened, go inside it, so that its HTML stays
 * whole. Returns where scanning continues. */
static size_t take_list_ends(const char *html, size_t len, const char *inner, size_t inner_len, size_t at,
                             buf *content)
{
    static const char *const tags[] = {"li", "ul", "ol", "blockquote"};
    long open[4]; /* opened and not closed in the content; counted once, when first needed */
    bool is_counted[4] = {false};
    for (size_t q = at;;) {
        while (q < len && (html[q] == '\n' || html[q] == ' ')) q++;
        size_t k = 0, tl = 0;
        for (; k < 4; k++) {
            tl = strlen(tags[k]);
            if (q + tl + 3 <= len && html[q] == '<' && html[q + 1] == '/' && !memcmp(html + q + 2, tags[k], tl) &&
                html[q + 2 + tl] == '>')
                break;
        }
        if (k == 4) return at;
        if (!is_counted[k]) {
            char opening[16], closing[16];
            snprintf(opening, sizeof opening, "<%s", tags[k]);
            snprintf(closing, sizeof closing, "</%s>", tags[k]);
            open[k] = (long)count_tags(inner, inner_len, opening) - (long)count_tags(inner, inner_len, closing);
            is_counted[k] = true;
        }
        if (open[k] <= 0) return at;
        open[k]--;
        size_t end = q + tl + 3;
        buf_add(content, html + at, end - at);
        at = q = end;
    }
}

/* Expand the shortcode opened by `open` and closed by the tag at
 * html[close_start..close_end); returns where scanning continues. */
static size_t expand_pair(expander *x, const char *html, size_t len, const shortcode_tag *open,
                          size_t close_start, size_t close_end, int depth, buf *out)
{
    shortcode_kind kind = kind_of(x, open->name);
    size_t inner_start = open->end, inner_end = close_start, resume = close_end;
    if (is_block(kind)) {
        /* A gallery is a block: drop the <p> Markdown put around it,
         * whether around the whole or around each tag alone. */
        bool p_before_open = ends_with(out->s ? out->s : "", out->len, "<p>");
        bool p_after_close = starts_with(html + close_end, len - close_end, "</p>");
        bool open_alone = p_before_open && starts_with(html + open->end, len - open->end, "</p>");
        bool close_alone = p_after_close && ends_with(html, close_start, "<p>");
        if (open_alone) inner_start += 4;
        if (close_alone) inner_end -= 3;
        if ((p_before_open && p_after_close) || open_alone) buf_truncate(out, out->len - 3);
        if ((p_before_open && p_after_close) || close_alone) resume += 4;
        if (resume < len && html[resume] == '\n') resume++;
    } else if (kind == SC_RAW) {
        /* [raw] and [/raw] each on a line of their own, around blocks (a
         * code fence): the paragraphs Markdown made of those lines go,
         * where they would be left empty. */
        if (ends_with(out->s ? out->s : "", out->len, "<p>") &&
            starts_with(html + open->end, len - open->end, "</p>")) {
            buf_truncate(out, out->len - 3);
            inner_start += 4;
        }
        if (ends_with(html, close_start, "<p>") && starts_with(html + close_end, len - close_end, "</p>") &&
            inner_end - 3 >= inner_start) {
            inner_end -= 3;
            resume += 4;
            if (resume < len && html[resume] == '\n') resume++;
        }
    }
    /* A block in the middle of a paragraph's text: the paragraph ends
     * before it and goes on after it (an empty part is dropped). */
    size_t p_at = 0;
    bool split = is_block(kind) && paragraph_is_open(out, &p_at);
    if (split) {
        if (only_tag_and_blanks(out, p_at)) buf_truncate(out, p_at);
        else buf_puts(out, "</p>\n");
    }
    buf content = BUF_INIT;
    if (inner_end > inner_start) {
        /* [raw] keeps what it holds from being expanded */
        if (kind == SC_RAW) buf_add(&content, html + inner_start, inner_end - inner_start);
        else expand_range(x, html + inner_start, inner_end - inner_start, depth + 1, &content);
    }
    if (is_block(kind) && inner_end > inner_start)
        resume = take_list_ends(html, len, html + inner_start, inner_end - inner_start, resume, &content);
    switch (kind) {
    case SC_GALLERY: render_gallery(x, open, buf_cstr(&content), content.len, out); break;
    case SC_SAFE_EMAIL: render_safe_email(open, buf_cstr(&content), content.len, out); break;
    case SC_YOUTUBE:
        render_youtube(x, open, (size_t)(html - x->html) + open->start, buf_cstr(&content), content.len, out);
        break;
    default: render_format(x, open, kind, buf_cstr(&content), content.len, out); break;
    }
    if (split) {
        size_t next = resume;
        while (next < len && is_space(html[next])) next++;
        if (starts_with(html + next, len - next, "</p>")) resume = next + 4;
        else buf_puts(out, "\n<p>");
    }
    buf_free(&content);
    x->expanded++;
    return resume;
}

static void expand_range(expander *x, const char *html, size_t len, int depth, buf *out)
{
    /* Most pages have no shortcode at all. */
    if (!memchr(html, '[', len)) {
        buf_add(out, html, len);
        return;
    }
    tag_index ix = {0};
    build_index(x, html, len, &ix);
    text_scan scan = {.s = html, .len = len};
    size_t copied = 0;
    for (size_t i; (i = next_bracket(&scan)) < len;) {
        shortcode_tag open;
        if (!parse_tag(x, html, len, i, &open)) {
            scan.i++;
            continue;
        }
        scan.i = open.end;
        size_t abs_at = (size_t)(html - x->html) + i;
        shortcode_kind kind = kind_of(x, open.name);
        if (open.is_closing) {
            if (kind != SC_UNKNOWN) warn(x, abs_at, &open, "closing shortcode [/%s] without an opening one", open.name);
            continue;
        }
        if (kind == SC_UNKNOWN) {
            /* left as text; shortcodes inside it are still expanded */
            if (looks_like_shortcode(&open, closed_unknown(&ix, open.name)))
                warn(x, abs_at, &open, "unknown shortcode [%s] left as text", open.name);
            continue;
        }
        if (depth >= MAX_DEPTH) {
            warn(x, abs_at, &open, "shortcode [%s] nested too deeply, left as text", open.name);
            continue;
        }
        size_t close_start = open.end, close_end = open.end;
        if (!open.is_self_closing && !find_closing(&ix, i, &close_start, &close_end)) {
            warn(x, abs_at, &open, "shortcode [%s] has no closing tag, left as text", open.name);
            continue;
        }
        /* An address is short; a long body means a missing closing tag
         * somewhere, and re-encoding it level by level would be costly. */
        if (kind == SC_SAFE_EMAIL && close_start - open.end > MAX_EMAIL_HTML) {
            warn(x, abs_at, &open, "[%s] holds more than an e-mail address, left as text", open.name);
            continue;
        }
        buf_add(out, html + copied, i - copied);
        scan.i = expand_pair(x, html, len, &open, close_start, close_end, depth, out);
        copied = scan.i;
    }
    buf_add(out, html + copied, len - copied);
    free(ix.items);
}

int shortcodes_expand(const char *html, size_t len, const shortcode_ctx *ctx, buf *out, diag_list *d)
{
    expander x = {.ctx = ctx, .d = d, .a = ARENA_INIT, .html = html};
    buf_grow(out, len);
    expand_range(&x, html, len, 0, out);
    buf_add(out, "", 0);
    arena_free(&x.a);
    return x.expanded;
}
