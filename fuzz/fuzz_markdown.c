/* fuzz_markdown.c - page Markdown through Grav's notices, the renderer
 * (with the site's options and URL hooks, and the video and audio players
 * of content/player.h), the youtube plugin's players
 * and the shortcode pass over its HTML. Given UTF-8, the HTML must be UTF-8;
 * whatever the bytes, it holds no NUL. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <md4c.h>

#include "content/markdown.h"
#include "content/notices.h"
#include "content/player.h"
#include "content/shortcode.h"
#include "content/toc.h"
#include "content/youtube.h"
#include "lib/utf8.h"

/* Stand-ins for the build's hooks: rewrite some URLs, render some images,
 * so that the hook paths of the renderer run too. */
static bool rewrite(void *user, const char *url, size_t len, bool is_image, buf *out)
{
    (void)user;
    if (len == 0 || url[0] == '#') return false;
    buf_puts(out, is_image ? "/media/page/" : "/ru/");
    buf_add(out, url, len);
    return true;
}

/* A video or audio file of the page: the player, whose attributes come
 * from the query; it must be one whole element. The page's folder holds
 * one photo, for posters. */
static bool player(const markdown_image *image, buf *out)
{
    size_t pathlen = strcspn(image->src, "?#");
    char *name = strndup(image->src, pathlen);
    media_file photo = {.name = "cover.jpg", .url = "/media/page/cover.jpg"};
    page pg = {.media = &photo, .nmedia = 1};
    media_file m = {.name = name, .url = "/media/page/clip"};
    const char *query = image->src[pathlen] == '?' ? image->src + pathlen + 1 : "";
    size_t start = out->len;
    bool made = player_markup(&pg, &m, "ru", query, image->alt, image->title, NULL, out);
    free(name);
    if (!made) return false;
    const char *h = out->s + start, *end = out->s + out->len;
    bool video = !strncmp(h, "<video", 6), audio = !strncmp(h, "<audio", 6);
    if (!video && !audio) abort();
    const char *close = video ? "</video>" : "</audio>";
    if ((size_t)(end - h) < 8 || memcmp(end - 8, close, 8)) abort();
    size_t tags = 0;
    for (const char *p = h; p < end; p++) tags += *p == '<';
    if (tags != 5) abort(); /* <video ...><source ...><a ...>text</a></video>: the text holds no '<' */
    return true;
}

static bool render_image(void *user, const markdown_image *image, buf *out)
{
    (void)user;
    if (player(image, out)) return true;
    if (strlen(image->src) % 2) return false;
    buf_puts(out, "<img src=\"");
    buf_add_html(out, image->src, strlen(image->src));
    buf_puts(out, "\" alt=\"");
    buf_add_html(out, image->alt, strlen(image->alt));
    buf_puts(out, "\">");
    return true;
}

static bool slide(void *user, const markdown_image *image, bool is_lazy, buf *out)
{
    (void)user;
    if (is_lazy) return false;
    buf_puts(out, "<img src=\"");
    buf_add_html(out, image->src, strlen(image->src));
    buf_puts(out, "\">");
    return true;
}

/* A link's note reads the link's text (in the output, before it grows)
 * and adds to it, as the site's does. */
static void link_note(void *user, const char *url, const char *text, size_t len, buf *out)
{
    (void)user;
    size_t tags = 0;
    for (size_t i = 0; i < len; i++) tags += text[i] == '<';
    if (strlen(url) > 1 << 20) abort();
    buf_printf(out, " <span>(%zu)</span>", tags);
}

static void count_miss(void *user, size_t offset)
{
    (void)user;
    (void)offset;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const notice_style notices = {"notices", {"yellow", "red", "blue", "green"}, 4};
    buf noticed = BUF_INIT;
    notices_rewrite((const char *)data, size, &notices, &noticed); /* the marks stay: plain text to what follows */
    notices_near_misses((const char *)data, size, &notices, count_miss, NULL);
    const char *text = (const char *)data;
    static const char *const link_attributes[] = {"rel", "target", "id", "class", "classes", NULL};
    markdown_options opt = {.rewrite_url = rewrite, .render_image = render_image, .escape_brackets_in_code = true,
                            .link_attributes = link_attributes, .link_note = link_note,
                            .map_frame_title = "Карта \"<&>\"", .video_frame_title = "Видео",
                            .lazy_frames = true, .close_formatting = true};
    bool closed = false;
    opt.formatting_closed = &closed;
    buf html = BUF_INIT;
    markdown_render(noticed.s ? noticed.s : "", noticed.len, &opt, &html);
    /* what was closed at the end is closed: a second closing finds nothing open */
    size_t closed_len = html.len;
    markdown_close_formatting(&html, 0);
    if (html.len != closed_len) abort();
    if (utf8_check(text, size) == size && utf8_check(html.s ? html.s : "", html.len) != html.len) abort();
    if (html.len && memchr(html.s, 0, html.len)) abort(); /* a NUL is U+FFFD (CommonMark), wherever it was */
    if (utf8_check(text, size) == size && utf8_check(noticed.s ? noticed.s : "", noticed.len) != noticed.len) abort();
    buf_free(&noticed);
    /* A page with escape_markup: its own HTML is text, so every <div> is
     * a notice's, and when unmarking says they balance, they do. */
    buf marked = BUF_INIT, escaped = BUF_INIT, unmarked = BUF_INIT;
    notices_rewrite(text, size, &notices, &marked);
    markdown_options esc = {.md_flags = MD_FLAG_NOHTML};
    markdown_render(marked.s ? marked.s : "", marked.len, &esc, &escaped);
    bool is_balanced = notices_unmark(escaped.s ? escaped.s : "", escaped.len, &notices, &unmarked);
    size_t opens = 0, closes = 0;
    const char *u = buf_cstr(&unmarked), *end = u + unmarked.len;
    for (const char *p = u; (p = memmem(p, (size_t)(end - p), "<div", 4)); p++) opens++;
    for (const char *p = u; (p = memmem(p, (size_t)(end - p), "</div>", 6)); p++) closes++;
    if (is_balanced && opens != closes) abort(); /* "balanced" must be true */
    buf_free(&marked);
    buf_free(&escaped);
    buf_free(&unmarked);
    buf plain = BUF_INIT;
    markdown_render(text, size, NULL, &plain);
    if (utf8_check(text, size) == size && utf8_check(plain.s ? plain.s : "", plain.len) != plain.len) abort();
    static const youtube_style youtube = {true, true, "rel=0&hl=ru"};
    shortcode_ctx ctx = {.page_path = "page.md", .markdown = text, .markdown_len = size, .first_line = 3,
                         .render_image = slide, .lang = "ru", .youtube = &youtube, .youtube_title = "Видео"};
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    shortcodes_expand(html.s ? html.s : "", html.len, &ctx, &out, &d);
    /* Grav's youtube plugin over the page's HTML, and over the bytes */
    buf players = BUF_INIT;
    youtube_expand(html.s ? html.s : "", html.len, &youtube, "Видео", &players);
    bool is_utf8 = utf8_check(html.s ? html.s : "", html.len) == html.len;
    if (is_utf8 && utf8_check(players.s ? players.s : "", players.len) != players.len) abort();
    buf_reset(&players);
    youtube_expand(text, size, &youtube, NULL, &players);
    buf_free(&players);
    /* the page-toc plugin's list over the page's HTML and over the bytes:
     * without a mark the text is left as it is; with one, valid UTF-8 stays
     * valid and the mark goes */
    buf listed = BUF_INIT;
    bool has_list = toc_expand(html.s ? html.s : "", html.len, "Содержание", &listed);
    if (!has_list && (listed.len != html.len || (html.len && memcmp(listed.s, html.s, html.len)))) abort();
    if (has_list && is_utf8 && utf8_check(listed.s ? listed.s : "", listed.len) != listed.len) abort();
    buf_reset(&listed);
    toc_expand(text, size, "Contents", &listed);
    buf_free(&listed);
    /* shortcodes straight over the bytes too: HTML written by hand */
    buf raw = BUF_INIT;
    shortcodes_expand(text, size, &ctx, &raw, &d);
    diag_free(&d);
    buf_free(&html);
    buf_free(&plain);
    buf_free(&out);
    buf_free(&raw);
    return 0;
}
