/* youtube.c - Grav's youtube plugin over rendered HTML (see youtube.h). */
#include "content/youtube.h"

#include <string.h>
#include <strings.h>

#define LINK_TEXT "plugin:youtube</a>"
#define MAX_TAG 2048 /* how far back the <a> of a link text is looked for */

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

void youtube_player(buf *out, const char id[12], const youtube_style *style, const char *title)
{
    buf_printf(out, "<div class=\"grav-youtube\"><iframe src=\"https://www.%s.com/embed/%s\"",
               style && !style->is_private ? "youtube" : "youtube-nocookie", id);
    buf_add_attr(out, "title", title && *title ? title : "YouTube");
    buf_puts(out, " loading=\"lazy\" allow=\"fullscreen; picture-in-picture; encrypted-media\" "
                  "allowfullscreen></iframe></div>");
}

/* The <a href="..."> that ends right before text (the "plugin:youtube"
 * of a link): where the tag starts, and its href, still escaped. */
static const char *link_before(const char *html, const char *text, const char **href, size_t *href_len)
{
    if (text - html < 2 || text[-1] != '>') return NULL;
    const char *floor = text - html > MAX_TAG ? text - MAX_TAG : html;
    for (const char *a = text - 1; a >= floor; a--) {
        if (*a != '<') continue;
        if (strncmp(a, "<a href=\"", 9) != 0) return NULL; /* the tag right before is not a link */
        const char *h = a + 9, *q = memchr(h, '"', (size_t)(text - h));
        if (!q || memchr(q, '<', (size_t)(text - q))) return NULL;
        *href = h;
        *href_len = (size_t)(q - h);
        return a;
    }
    return NULL;
}

size_t youtube_expand(const char *html, size_t len, const youtube_style *style, const char *title, buf *out)
{
    size_t count = 0, done = 0, n = strlen(LINK_TEXT);
    if (!style || !style->is_on) {
        buf_add(out, html, len);
        return 0;
    }
    for (const char *c = html, *end = html + len; (c = memchr(c, ':', (size_t)(end - c)));) {
        const char *p = c - 6; /* "plugin", in any case, as Grav reads it */
        if (p < html + done || (size_t)(end - p) < n || strncasecmp(p, LINK_TEXT, n) != 0) {
            c++;
            continue;
        }
        const char *href;
        size_t href_len;
        const char *a = link_before(html + done, p, &href, &href_len);
        char id[12];
        buf url = BUF_INIT;
        for (size_t i = 0; a && i < href_len; i++) { /* the &amp; of a query */
            buf_putc(&url, href[i]);
            if (href[i] == '&' && href_len - i >= 5 && !memcmp(href + i, "&amp;", 5)) i += 4;
        }
        bool is_video = a && youtube_video_id(url.s ? url.s : "", url.len, id);
        buf_free(&url);
        if (!is_video) {
            c = p + n;
            continue;
        }
        const char *from = a, *to = p + n;
        /* the paragraph, when the link is all of it */
        if (from - html >= 3 + (long)done && !memcmp(from - 3, "<p>", 3) && end - to >= 4 && !memcmp(to, "</p>", 4))
            from -= 3, to += 4;
        buf_add(out, html + done, (size_t)(from - (html + done)));
        youtube_player(out, id, style, title);
        done = (size_t)(to - html);
        c = to;
        count++;
    }
    buf_add(out, html + done, len - done);
    return count;
}
