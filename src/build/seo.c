/* seo.c - descriptions, lead images, locales and JSON-LD (see seo.h). */
#include "build/seo.h"
#include "content/entity.h"
#include "lib/date.h"
#include "lib/value.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

const char *seo_base_url(const site *s, const char *override, arena *a)
{
    const char *u = override && *override ? override : site_config_str(s, s->default_lang, "url", "");
    size_t n = strlen(u);
    while (n && u[n - 1] == '/') n--;
    /* It is written into feeds, the sitemap and robots.txt: a line break
     * in it would add a line of its own there ("Disallow: /"). */
    bool ok = !strncasecmp(u, "https://", 8) || !strncasecmp(u, "http://", 7);
    for (size_t i = 0; ok && i < n; i++)
        if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f || strchr("\"'<>\\`", u[i])) ok = false;
    return ok ? arena_strndup(a, u, n) : "";
}

static bool is_block_tag(const char *name, size_t n)
{
    static const struct { const char *name; size_t len; } blocks[] = {
        {"p", 1},      {"br", 2},       {"div", 3},     {"li", 2},          {"ul", 2},         {"ol", 2},
        {"h1", 2},     {"h2", 2},       {"h3", 2},      {"h4", 2},          {"h5", 2},         {"h6", 2},
        {"tr", 2},     {"td", 2},       {"th", 2},      {"table", 5},       {"figure", 6},     {"figcaption", 10},
        {"blockquote", 10}, {"pre", 3}, {"hr", 2},      {"section", 7},     {"article", 7},    {"dd", 2},
        {"dt", 2}};
    if (n == 0 || n > 10) return false;
    char first = (char)(name[0] | 0x20); /* ASCII lower case */
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (blocks[i].len == n && blocks[i].name[0] == first && !strncasecmp(blocks[i].name, name, n)) return true;
    return false;
}

/* Elements whose content is no text of the page: code and styles, and
 * what a browser shows only when it cannot play or embed (the link inside
 * a video player). */
static bool is_hidden_tag(const char *name, size_t n)
{
    static const struct {
        const char *name;
        size_t len;
    } hidden[] = {{"script", 6}, {"style", 5}, {"template", 8}, {"video", 5},
                  {"audio", 5},  {"iframe", 6}, {"object", 6},  {"svg", 3}};
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        if (hidden[i].len == n && !strncasecmp(hidden[i].name, name, n)) return true;
    return false;
}

/* Offset just past the end tag of the element name[0..n) in html[from..len),
 * or len. */
static size_t after_end_tag(const char *html, size_t len, size_t from, const char *name, size_t n)
{
    for (size_t k = from; k + 2 + n <= len; k++) {
        if (html[k] != '<' || html[k + 1] != '/' || strncasecmp(html + k + 2, name, n)) continue;
        const char *end = memchr(html + k, '>', len - k);
        return end ? (size_t)(end - html) + 1 : len;
    }
    return len;
}

/* Bytes that end a run of ordinary text: markup, entities, white space. */
static const unsigned char plain_text_special[256] = {
    ['<'] = 1, ['&'] = 1, [' '] = 1, ['\n'] = 1, ['\t'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1,
};

/* Length of s[0..len) without the spaces and punctuation it ends with,
 * before an ellipsis. The dashes are several bytes long: matching their
 * bytes one at a time would cut Cyrillic letters in half ("р" is D1 80,
 * and 80 is a byte of "–"). */
static size_t trim_trailing_punctuation(const char *s, size_t len)
{
    static const char *const dashes[] = {"\u2013", "\u2014"}; /* – — */
    for (;;) {
        if (len > 0 && s[len - 1] && strchr(" ,.;:-", s[len - 1])) {
            len--;
            continue;
        }
        bool is_dash = false;
        for (size_t i = 0; i < sizeof dashes / sizeof dashes[0] && !is_dash; i++) {
            size_t dl = strlen(dashes[i]);
            is_dash = len >= dl && memcmp(s + len - dl, dashes[i], dl) == 0;
            if (is_dash) len -= dl;
        }
        if (!is_dash) return len;
    }
}

void seo_plain_text(const char *html, size_t len, size_t max, buf *out)
{
    buf text = BUF_INIT;
    bool space = false;
    /* Characters in text so far: once there are more than max, the rest
     * of the HTML cannot change the result. */
    size_t have = 0, counted = 0;
    for (size_t i = 0; i < len; i++) {
        for (; counted < text.len; counted++)
            if (((unsigned char)text.s[counted] & 0xC0) != 0x80) have++;
        if (have > max) break;
        char c = html[i];
        if (c == '<') {
            const char *end = memchr(html + i, '>', len - i);
            size_t name_at = i + 1 + (i + 1 < len && html[i + 1] == '/');
            size_t name_len = 0;
            while (name_at + name_len < len && isalnum((unsigned char)html[name_at + name_len])) name_len++;
            bool is_open = i + 1 < len && html[i + 1] != '/';
            i = end ? (size_t)(end - html) : len;
            bool is_empty = end && end > html + name_at && end[-1] == '/'; /* <svg ... /> */
            if (is_open && !is_empty && i < len && is_hidden_tag(html + name_at, name_len)) {
                i = after_end_tag(html, len, i, html + name_at, name_len) - 1;
                space = text.len > 0;
                continue;
            }
            /* Block elements separate words ("</p><p>"); inline ones do not ("<b>A</b>."). */
            if (is_block_tag(html + name_at, name_len)) space = text.len > 0;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            space = text.len > 0;
            continue;
        }
        if (space) buf_putc(&text, ' ');
        space = false;
        if (c == '&') {
            size_t el = html_entity_length(html + i, len - i);
            if (el && html_entity_decode(html + i, el, &text)) {
                i += el - 1;
                continue;
            }
        }
        /* The run of ordinary text from here, in one piece. */
        size_t run = i + 1;
        while (run < len && !plain_text_special[(unsigned char)html[run]]) run++;
        buf_add(&text, html + i, run - i);
        i = run - 1;
    }
    /* Count characters, not bytes: cut at the last space before max. */
    size_t chars = 0, cut = text.len, last_space = 0;
    for (size_t i = 0; i < text.len; i++) {
        if (((unsigned char)text.s[i] & 0xC0) == 0x80) continue;
        if (chars == max) {
            cut = i;
            break;
        }
        if (text.s[i] == ' ') last_space = i;
        chars++;
    }
    if (cut < text.len) {
        if (last_space > 0) cut = last_space;
        cut = trim_trailing_punctuation(text.s, cut);
        buf_add(out, text.s, cut);
        buf_puts(out, "…");
    } else if (text.len) {
        buf_add(out, text.s, text.len);
    }
    buf_free(&text);
}

const media_file *seo_lead_image(const page_version *pv)
{
    const page *pg = pv->page;
    value *order = map_get(pv->header, "media_order");
    if (order && order->kind == V_STRING) {
        for (const char *p = order->u.str.s; *p;) {
            while (*p == ',' || *p == ' ') p++;
            size_t n = strcspn(p, ", ");
            for (size_t i = 0; i < pg->nmedia && n; i++)
                if (strlen(pg->media[i].name) == n && !strncmp(pg->media[i].name, p, n) &&
                    media_is_image(pg->media[i].name))
                    return &pg->media[i];
            p += n;
        }
    }
    for (size_t i = 0; i < pg->nmedia; i++)
        if (media_is_image(pg->media[i].name)) return &pg->media[i];
    return NULL;
}

const char *seo_og_locale(const char *lang)
{
    if (!strcmp(lang, "kk")) return "kk_KZ";
    if (!strcmp(lang, "ru")) return "ru_RU";
    if (!strcmp(lang, "en")) return "en_US";
    return lang;
}

bool seo_is_post(const page_version *pv)
{
    const page *parent = pv->page->parent;
    const page_version *list = parent ? parent->v[pv->lang] : NULL;
    if (!list) return false;
    value *c = map_get(list->header, "content");
    return c && c->kind == V_MAP && map_get(c, "items");
}

void seo_absolute_links(const char *html, size_t len, const char *base, buf *out)
{
    size_t i = 0;
    while (i < len) {
        const char *hit = NULL;
        size_t skip = 0;
        for (size_t k = i; k + 6 < len && !hit; k++) {
            if (k > 0 && !isspace((unsigned char)html[k - 1])) continue;
            static const struct {
                const char *text;
                size_t len;
            } attrs[] = {{"href=\"/", 7}, {"src=\"/", 6}, {"poster=\"/", 9}}; /* poster: a video's */
            for (size_t a = 0; a < sizeof attrs / sizeof attrs[0] && !hit; a++)
                if (k + attrs[a].len <= len && !memcmp(html + k, attrs[a].text, attrs[a].len)) {
                    hit = html + k;
                    skip = attrs[a].len - 1;
                }
        }
        if (!hit) break;
        size_t at = (size_t)(hit - html) + skip;
        buf_add(out, html + i, at - i);
        if (html[at + 1] != '/') buf_puts(out, base); /* "//host" stays as it is */
        i = at;
    }
    buf_add(out, html + i, len - i);
}

static value *str(arena *a, const char *s) { return value_cstr(a, s ? s : ""); }

static const char *iso_date(arena *a, long long t)
{
    buf b = BUF_INIT;
    date_format(&b, "c", t, NULL);
    const char *r = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return r;
}

/* JSON-LD goes inside <script>: strings as json_encode with unescaped
 * slashes and Unicode, '<' escaped so "</script>" cannot end it, and
 * bytes that are not UTF-8 (a line pasted in another code page) as
 * U+FFFD, so that search engines can read it. */
#define JSON_LD_FLAGS (JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_SCRIPT_SAFE | JSON_INVALID_UTF8_SUBSTITUTE)

static void json_text(buf *out, const char *s)
{
    if (!s) s = "";
    json_write_string(out, s, strlen(s), JSON_LD_FLAGS);
}

const char *seo_json_ld(const site *s, const page_version *pv, const char *base, const char *summary_text,
                        arena *a)
{
    int l = pv->lang;
    const char *org_name = site_config_str(s, l, "organization.name", site_title(s, l));
    /* organization.type, a schema.org type (MedicalOrganization for a
     * clinic, NGO, ...): letters only, else Organization. */
    const char *org_type = site_config_str(s, l, "organization.type", "");
    size_t letters = 0;
    while ((org_type[letters] | 0x20) >= 'a' && (org_type[letters] | 0x20) <= 'z') letters++;
    if (!letters || org_type[letters] || letters > 64) org_type = "Organization";
    value *v = value_map(a);
    map_set(a, v, "@context", str(a, "https://schema.org"));
    if (seo_is_post(pv)) {
        /* The common case, one per post page: written straight out. */
        buf j = BUF_INIT;
        const char *page_url = arena_cat(a, base, pv->url, (char *)NULL);
        buf_puts(&j, "{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":");
        json_text(&j, pv->title);
        buf_puts(&j, ",\"url\":");
        json_text(&j, page_url);
        buf_puts(&j, ",\"mainEntityOfPage\":");
        json_text(&j, page_url);
        buf_puts(&j, ",\"datePublished\":");
        json_text(&j, iso_date(a, pv->date));
        buf_puts(&j, ",\"inLanguage\":");
        json_text(&j, s->langs[l]);
        if (summary_text || pv->summary_html) {
            buf d = BUF_INIT;
            if (!summary_text) seo_plain_text(pv->summary_html, strlen(pv->summary_html), SEO_DESCRIPTION_CHARS, &d);
            buf_puts(&j, ",\"description\":");
            json_text(&j, summary_text ? summary_text : buf_cstr(&d));
            buf_free(&d);
        }
        const media_file *img = seo_lead_image(pv);
        if (img) {
            buf_puts(&j, ",\"image\":");
            json_text(&j, arena_cat(a, base, img->url, (char *)NULL));
        }
        buf org = BUF_INIT;
        buf_printf(&org, "{\"@type\":\"%s\",\"name\":", org_type);
        json_text(&org, org_name);
        buf_puts(&org, ",\"url\":");
        json_text(&org, arena_cat(a, base, site_lang_prefix(s, l), "/", (char *)NULL));
        buf_putc(&org, '}');
        buf_puts(&j, ",\"publisher\":");
        buf_add(&j, org.s, org.len);
        buf_puts(&j, ",\"author\":");
        buf_add(&j, org.s, org.len);
        buf_putc(&j, '}');
        const char *r = arena_strndup(a, buf_cstr(&j), j.len);
        buf_free(&org);
        buf_free(&j);
        return r;
    } else if (pv->is_home) {
        map_set(a, v, "@type", str(a, org_type));
        map_set(a, v, "name", str(a, org_name));
        map_set(a, v, "url", str(a, arena_cat(a, base, site_lang_prefix(s, l), "/", (char *)NULL)));
        const char *desc = site_config_str(s, l, "metadata.description", "");
        if (*desc) map_set(a, v, "description", str(a, desc));
        const char *phone = site_config_str(s, l, "organization.phone", "");
        if (*phone) map_set(a, v, "telephone", str(a, phone));
        const char *email = site_config_str(s, l, "organization.email", "");
        if (*email) map_set(a, v, "email", str(a, email));
        value *addr = value_path(s->config[l], "organization.address");
        if (addr && addr->kind == V_MAP) {
            value *pa = value_map(a);
            map_set(a, pa, "@type", str(a, "PostalAddress"));
            static const char *const keys[][2] = {{"street", "streetAddress"},   {"city", "addressLocality"},
                                                   {"region", "addressRegion"},  {"postal_code", "postalCode"},
                                                   {"country", "addressCountry"}};
            for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
                const char *x = value_path_str(addr, keys[k][0], "");
                if (*x) map_set(a, pa, keys[k][1], str(a, x));
            }
            map_set(a, v, "address", pa);
        } else if (addr && addr->kind == V_STRING) {
            map_set(a, v, "address", str(a, addr->u.str.s));
        }
    } else {
        return "";
    }
    buf json = BUF_INIT;
    value_write_json(&json, v, a, JSON_LD_FLAGS);
    const char *r = arena_strndup(a, buf_cstr(&json), json.len);
    buf_free(&json);
    return r;
}
