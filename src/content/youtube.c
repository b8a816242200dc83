/* youtube.c - Grav's youtube plugin over rendered HTML (see youtube.h). */
#include "content/youtube.h"
#include "content/plugin_link.h"
#include "lib/url.h"
#include "lib/value.h"

#include <string.h>
#include <strings.h>


static bool is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Eleven id characters at s, and nothing more of the id after them. */
static bool take_id(const char *s, const char *end, char id[12])
{
    if (end - s < 11) return false;
    for (int i = 0; i < 11; i++)
        if (!is_id_char(s[i])) return false;
    if (s + 11 < end && !memchr("?&#/", s[11], 4)) return false;
    memcpy(id, s, 11);
    id[11] = 0;
    return true;
}

static bool starts(const char *s, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(end - s) >= n && !strncasecmp(s, prefix, n);
}

bool youtube_video_id(const char *url, size_t len, char id[12])
{
    const char *p = url, *end = url + len;
    if (starts(p, end, "https://")) p += 8;
    else if (starts(p, end, "http://")) p += 7;
    else return false;
    const char *host = p;
    while (p < end && *p != '/' && *p != '?' && *p != '#') p++;
    size_t hn = (size_t)(p - host);
    static const char *const hosts[] = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                                        "www.youtube-nocookie.com"};
    if (hn == 8 && !strncasecmp(host, "youtu.be", 8)) return p < end && *p == '/' && take_id(p + 1, end, id);
    bool is_youtube = false;
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
        is_youtube |= strlen(hosts[i]) == hn && !strncasecmp(host, hosts[i], hn);
    if (!is_youtube) return false;
    static const char *const paths[] = {"/embed/", "/v/", "/e/", "/shorts/", "/live/"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (starts(p, end, paths[i])) return take_id(p + strlen(paths[i]), end, id);
    if (!starts(p, end, "/watch?")) return false;
    for (const char *q = p + 6; q < end && *q != '#'; q++) /* ?v= or &v= */
        if ((*q == '?' || *q == '&') && end - q > 3 && q[1] == 'v' && q[2] == '=') return take_id(q + 3, end, id);
    return false;
}

/* The plugin's player parameters and YouTube's defaults for them, which
 * the plugin leaves out of the address. */
static const struct {
    const char *key, *value;
} player_defaults[] = {
    {"autoplay", "0"}, {"cc_load_policy", "0"}, {"color", "red"}, {"controls", "1"},       {"disablekb", "0"},
    {"enablejsapi", "0"}, {"fs", "1"},          {"hl", ""},       {"iv_load_policy", "1"}, {"loop", "0"},
    {"modestbranding", "0"}, {"origin", ""},    {"playsinline", "0"}, {"rel", "1"},        {"vq", "default"},
};

char *youtube_query(const struct value *params)
{
    if (!params || params->kind != V_MAP) return NULL;
    buf q = BUF_INIT, v = BUF_INIT;
    for (size_t i = 0; i < params->u.map.len; i++) {
        const value_pair *p = &params->u.map.items[i];
        buf_truncate(&v, 0);
        switch (p->val->kind) {
        case V_BOOL: buf_puts(&v, p->val->u.b ? "1" : "0"); break;
        case V_INT: buf_printf(&v, "%lld", p->val->u.i); break;
        case V_FLOAT: buf_printf(&v, "%g", p->val->u.f); break;
        case V_STRING: buf_add(&v, p->val->u.str.s, p->val->u.str.len); break;
        default: continue; /* null, lists and maps: not a parameter */
        }
        bool is_default = false;
        for (size_t k = 0; k < sizeof player_defaults / sizeof *player_defaults && !is_default; k++)
            is_default = !strcmp(p->key, player_defaults[k].key) && !strcmp(buf_cstr(&v), player_defaults[k].value);
        if (is_default) continue;
        if (q.len) buf_putc(&q, '&');
        url_encode_component(&q, p->key, p->key_len);
        buf_putc(&q, '=');
        url_encode_component(&q, v.s ? v.s : "", v.len);
    }
    buf_free(&v);
    return q.len ? buf_detach(&q, NULL) : (buf_free(&q), NULL);
}

void youtube_player(buf *out, const char id[12], const youtube_style *style, const char *title)
{
    buf_printf(out, "<div class=\"grav-youtube\"><iframe src=\"https://www.%s.com/embed/%s",
               style && !style->is_private ? "youtube" : "youtube-nocookie", id);
    if (style && style->query) {
        buf_putc(out, '?');
        buf_add_html(out, style->query, strlen(style->query));
    }
    buf_putc(out, '"');
    buf_add_attr(out, "title", title && *title ? title : "YouTube");
    buf_puts(out, " loading=\"lazy\" allow=\"fullscreen; picture-in-picture; encrypted-media\" "
                  "allowfullscreen></iframe></div>");
}

typedef struct player_ctx {
    const youtube_style *style;
    const char *title;
} player_ctx;

/* A link of the plugin with a YouTube address: its player. */
static bool player_of(void *user, const char *name, const char *href, size_t href_len, bool is_paragraph, buf *out)
{
    player_ctx *pc = user;
    (void)name;
    (void)is_paragraph;
    char id[12];
    buf url = BUF_INIT;
    for (size_t i = 0; i < href_len; i++) { /* the &amp; of a query */
        buf_putc(&url, href[i]);
        if (href[i] == '&' && href_len - i >= 5 && !memcmp(href + i, "&amp;", 5)) i += 4;
    }
    bool is_video = youtube_video_id(url.s ? url.s : "", url.len, id);
    buf_free(&url);
    if (is_video) youtube_player(out, id, pc->style, pc->title);
    return is_video;
}

size_t youtube_expand(const char *html, size_t len, const youtube_style *style, const char *title, buf *out)
{
    if (!style || !style->is_on) {
        buf_add(out, html, len);
        return 0;
    }
    static const char *const names[] = {"youtube", NULL};
    player_ctx pc = {style, title};
    return plugin_links_expand(html, len, names, player_of, &pc, out);
}
