/* test_markdown.c - folio's renderer: URL and image hooks, '[' in code,
 * raw HTML, the dialect's extensions, Grav's notices. (The CommonMark suite is in
 * test_commonmark.c.) */
#include <stdio.h>
#include <stdlib.h>

#include "content/frame.h"
#include "content/markdown.h"
#include "content/notices.h"
#include "test.h"

static char *render_with(const char *md, const markdown_options *opt)
{
    buf out = BUF_INIT;
    CHECK_INT(markdown_render(md, strlen(md), opt, &out), 0);
    return buf_detach(&out, NULL);
}

typedef struct url_log {
    int links, images;
    char last_url[256];
} url_log;

/* Relative page links become routes, files next to the page media URLs. */
static bool rewrite(void *user, const char *url, size_t len, bool is_image, buf *out)
{
    url_log *log = user;
    if (is_image) log->images++;
    else log->links++;
    snprintf(log->last_url, sizeof log->last_url, "%.*s", (int)len, url);
    if (strncmp(url, "../../", 6) == 0) {
        buf_printf(out, "/ru/%s", url + 6);
        return true;
    }
    if (strchr(url, ':')) return false; /* absolute: keep */
    buf_printf(out, "/user/pages/news/post/%s", url);
    return true;
}

TEST(link_and_image_urls_go_through_the_rewrite_hook)
{
    url_log log = {0};
    markdown_options opt = {.rewrite_url = rewrite, .user = &log};
    char *html = render_with("[Formulary](../../drug-formulary \"List\") and ![](photo%201.jpg) and "
                             "[site](https://example.kz/a?b=1&c=2)\n",
                             &opt);
    CHECK_CONTAINS(html, "<a href=\"/ru/drug-formulary\" title=\"List\">Formulary</a>");
    CHECK_CONTAINS(html, "<img src=\"/user/pages/news/post/photo%201.jpg\" alt=\"\" />");
    CHECK_CONTAINS(html, "<a href=\"https://example.kz/a?b=1&amp;c=2\">site</a>");
    CHECK_INT(log.links, 2);
    CHECK_INT(log.images, 1);
    free(html);
}

TEST(rewritten_urls_are_escaped_for_the_attribute)
{
    url_log log = {0};
    markdown_options opt = {.rewrite_url = rewrite, .user = &log};
    char *html = render_with("[a](<my file\".pdf>)\n", &opt);
    CHECK_STR(log.last_url, "my file\".pdf");
    CHECK_CONTAINS(html, "href=\"/user/pages/news/post/my%20file%22.pdf\"");
    free(html);
}

typedef struct image_log {
    char src[128], alt[128], title[128];
    bool had_title;
    bool accept;
} image_log;

static bool render_image(void *user, const markdown_image *img, buf *out)
{
    image_log *log = user;
    snprintf(log->src, sizeof log->src, "%s", img->src);
    snprintf(log->alt, sizeof log->alt, "%s", img->alt);
    log->had_title = img->title != NULL;
    snprintf(log->title, sizeof log->title, "%s", img->title ? img->title : "");
    if (!log->accept) return false;
    buf_printf(out, "<picture data-src=\"%s\"></picture>", img->src);
    return true;
}

TEST(image_hook_gets_decoded_src_plain_alt_and_title)
{
    image_log log = {.accept = true};
    markdown_options opt = {.render_image = render_image, .user = &log};
    char *html = render_with("![Alt *with* `code` &amp; more](pic&#46;jpg \"Say &quot;hi&quot;\")\n", &opt);
    CHECK_STR(log.src, "pic.jpg");
    CHECK_STR(log.alt, "Alt with code & more");
    CHECK(log.had_title);
    CHECK_STR(log.title, "Say \"hi\"");
    CHECK_STR(html, "<p><picture data-src=\"pic.jpg\"></picture></p>\n");
    free(html);
}

TEST(declined_image_hook_gives_default_img_with_rewritten_src)
{
    image_log log = {.accept = false};
    url_log urls = {0};
    markdown_options opt = {.render_image = render_image, .user = &log};
    char *html = render_with("![A \"quoted\" <alt>](a.jpg)\n", &opt);
    CHECK(!log.had_title);
    CHECK_STR(html, "<p><img src=\"a.jpg\" alt=\"A &quot;quoted&quot; &lt;alt&gt;\" /></p>\n");
    free(html);
    markdown_options with_url = {.rewrite_url = rewrite, .user = &urls};
    html = render_with("![x](a.jpg \"t\")\n", &with_url);
    CHECK_STR(html, "<p><img src=\"/user/pages/news/post/a.jpg\" alt=\"x\" title=\"t\" /></p>\n");
    free(html);
}

TEST(nested_image_in_link_renders_both)
{
    char *html = render_with("[![inner](i.png)](/target)\n", NULL);
    CHECK_STR(html, "<p><a href=\"/target\"><img src=\"i.png\" alt=\"inner\" /></a></p>\n");
    free(html);
}

TEST(brackets_in_code_are_escaped_only_when_asked)
{
    const char *md = "Text [plain] and `[code span]`.\n\n```\n[owl-carousel]\n```\n\n    [indented]\n";
    markdown_options site = {.escape_brackets_in_code = true};
    char *html = render_with(md, &site);
    CHECK_CONTAINS(html, "Text [plain] and <code>&#91;code span]</code>");
    CHECK_CONTAINS(html, "<pre><code>&#91;owl-carousel]\n</code></pre>");
    CHECK_CONTAINS(html, "<pre><code>&#91;indented]\n</code></pre>");
    free(html);
    html = render_with(md, NULL);
    CHECK_CONTAINS(html, "<code>[code span]</code>");
    CHECK_CONTAINS(html, "<pre><code>[owl-carousel]\n</code></pre>");
    CHECK_NOT_CONTAINS(html, "&#91;");
    free(html);
}

TEST(raw_html_passes_through_unchanged)
{
    const char *md = "<div class=\"note\" data-x='1'>\n<b>Bold</b> [owl-carousel]\n</div>\n\n"
                     "Inline <span style=\"color:red\">red</span> <!-- note -->.\n";
    char *html = render_with(md, NULL);
    CHECK_CONTAINS(html, "<div class=\"note\" data-x='1'>\n<b>Bold</b> [owl-carousel]\n</div>\n");
    CHECK_CONTAINS(html, "<p>Inline <span style=\"color:red\">red</span> <!-- note -->.</p>");
    free(html);
}

/* Maps and videos pasted from their services come as <iframe>s without
 * a title, which is what screen readers announce a frame by (axe's
 * frame-title): such a frame gets a plain one; a frame with a title of
 * its own, of another site, or whose tag does not end on its line keeps
 * its HTML byte for byte. A frame loads when the reader gets near it (a
 * map is a megabyte of another site's scripts). */
TEST(frames_of_maps_and_videos_without_a_title_get_one_and_frames_load_lazily)
{
    markdown_options opt = {.map_frame_title = "Карта", .video_frame_title = "Видео \"Школы\""};
    char *html = render_with("<iframe src=\"https://yandex.com/map-widget/v1/?um=constructor%3Ae29\" width=\"100%\" "
                             "height=\"240\" frameborder=\"0\"></iframe>\n\n"
                             "Видео: <IFRAME SRC='//www.youtube-nocookie.com/embed/abc' allowfullscreen></IFRAME>\n\n"
                             "<iframe src=\"https://www.google.com/maps/embed?pb=1\" title=\"Филиал\"></iframe>\n\n"
                             "<iframe src=\"https://forms.example.com/apply\"></iframe>\n\n"
                             "<iframe src=\"/ru/contacts/\"></iframe>\n\n"
                             "<div><iframe\n  src=\"https://yandex.kz/maps/-/CDabc\"></iframe></div>\n\n"
                             "`<iframe src=\"https://yandex.ru/map-widget/v1/\"></iframe>`\n",
                             &opt);
    CHECK_CONTAINS(html, "<iframe title=\"Карта\" src=\"https://yandex.com/map-widget/v1/?um=constructor%3Ae29\" "
                         "width=\"100%\" height=\"240\" frameborder=\"0\"></iframe>");
    CHECK_CONTAINS(html, "<p>Видео: <IFRAME title=\"Видео &quot;Школы&quot;\" SRC='//www.youtube-nocookie.com/embed/abc' "
                         "allowfullscreen></IFRAME></p>");
    CHECK_CONTAINS(html, "<iframe src=\"https://www.google.com/maps/embed?pb=1\" title=\"Филиал\"></iframe>");
    CHECK_CONTAINS(html, "<iframe src=\"https://forms.example.com/apply\"></iframe>");
    CHECK_CONTAINS(html, "<iframe src=\"/ru/contacts/\"></iframe>");
    CHECK_CONTAINS(html, "<div><iframe\n  src=\"https://yandex.kz/maps/-/CDabc\"></iframe></div>");
    CHECK_CONTAINS(html, "<code>&lt;iframe src=&quot;https://yandex.ru/map-widget/v1/&quot;&gt;&lt;/iframe&gt;</code>");
    free(html);
    /* loading="lazy" for every frame that says nothing of its loading */
    markdown_options lazy = {.lazy_frames = true};
    html = render_with("<iframe src=\"https://forms.example.com/apply\"></iframe>\n\n"
                       "<iframe src=\"/ru/\" loading=\"eager\"></iframe>\n",
                       &lazy);
    CHECK_CONTAINS(html, "<iframe loading=\"lazy\" src=\"https://forms.example.com/apply\"></iframe>");
    CHECK_CONTAINS(html, "<iframe src=\"/ru/\" loading=\"eager\"></iframe>");
    free(html);
    /* a frame in a script's string is left to the script */
    html = render_with("<script>\nvar f = '<iframe src=\"https://www.youtube.com/embed/x\"></iframe>';\n</script>\n", &opt);
    CHECK_CONTAINS(html, "var f = '<iframe src=\"https://www.youtube.com/embed/x\"></iframe>';");
    free(html);
    /* without the titles (the CommonMark suite, other callers): as written */
    html = render_with("<iframe src=\"https://yandex.com/map-widget/v1/\"></iframe>\n", NULL);
    CHECK_CONTAINS(html, "<iframe src=\"https://yandex.com/map-widget/v1/\"></iframe>");
    free(html);
}

TEST(frame_kinds_by_their_address)
{
    static const struct {
        const char *src;
        frame_kind kind;
    } cases[] = {
        {"https://yandex.ru/map-widget/v1/?um=constructor", FRAME_MAP},
        {"https://yandex.kz/maps/-/CDabc", FRAME_MAP},
        {"https://api-maps.yandex.ru/frame/v1/-/CCU", FRAME_MAP},
        {"https://www.google.com/maps/embed?pb=!1m18", FRAME_MAP},
        {"https://maps.google.kz/?q=Алматы", FRAME_MAP},
        {"https://widgets.2gis.com/widget?type=firmsonmap", FRAME_MAP},
        {"https://www.openstreetmap.org/export/embed.html?bbox=76.9", FRAME_MAP},
        {"https://www.youtube.com/embed/dQw4w9WgXcQ", FRAME_VIDEO},
        {"//www.youtube-nocookie.com/embed/x", FRAME_VIDEO},
        {"https://player.vimeo.com/video/1", FRAME_VIDEO},
        {"https://rutube.ru/play/embed/1", FRAME_VIDEO},
        {"https://vk.com/video_ext.php?oid=1", FRAME_VIDEO},
        {"https://vk.com/club1", FRAME_OTHER},
        {"https://yandex.ru/search/?text=map", FRAME_OTHER}, /* the query says nothing */
        {"https://yandex.ru/pogoda/embed", FRAME_OTHER},
        {"https://notyoutube.com/embed/x", FRAME_OTHER},
        {"https://youtube.com.example.org/embed/x", FRAME_OTHER},
        {"https://myyandex.ru/map", FRAME_OTHER},
        {"/ru/map/", FRAME_OTHER},
        {"", FRAME_OTHER},
        {"javascript:alert(1)", FRAME_OTHER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        frame_kind k = frame_kind_of(cases[i].src, strlen(cases[i].src));
        if (k != cases[i].kind) test_fail(__FILE__, __LINE__, "%s: kind %d, expected %d", cases[i].src, k, cases[i].kind);
    }
}

/* md4c 0.4.8 does not start an HTML block with h2 to h6, header, thead
 * and the other tags whose name begins with another's in its table: a
 * heading written in HTML on a line of its own came out inside a
 * paragraph (which browsers end before it, leaving an empty one). It is
 * the block CommonMark makes of it; inline HTML keeps its paragraph. */
TEST(html_blocks_md4c_misses_are_not_put_in_paragraphs)
{
    static const char *const tags[] = {"h2", "h3", "h4", "h5", "h6", "header", "p"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        char md[128], want[128];
        snprintf(md, sizeof md, "Text.\n\n<%s id=\"x\">Вопросы</%s>\n\nAfter.\n", tags[i], tags[i]);
        snprintf(want, sizeof want, "<p>Text.</p>\n<%s id=\"x\">Вопросы</%s>\n<p>After.</p>\n", tags[i], tags[i]);
        char *html = render_with(md, NULL);
        CHECK_STR(html, want);
        free(html);
    }
    char *html = render_with("<span>inline</span> and <h2x>not a tag md4c misses</h2x>\n", NULL);
    CHECK_STR(html, "<p><span>inline</span> and <h2x>not a tag md4c misses</h2x></p>\n");
    free(html);
}

TEST(tables_and_strikethrough_are_enabled)
{
    char *html = render_with("| Drug | Dose |\n|:-----|-----:|\n| A | 1 mg |\n\n~~old~~ new\n", NULL);
    CHECK_CONTAINS(html, "<th align=\"left\">Drug</th>");
    CHECK_CONTAINS(html, "<td align=\"right\">1 mg</td>");
    CHECK_CONTAINS(html, "<del>old</del> new");
    free(html);
}

TEST(entities_decode_and_text_is_escaped)
{
    char *html = render_with("&copy; &MadeUp; &#1050; a < b & \"c\" 'd'\n", NULL);
    CHECK_STR(html, "<p>\xc2\xa9 &amp;MadeUp; \xd0\x9a a &lt; b &amp; &quot;c&quot; 'd'</p>\n");
    free(html);
}

TEST(empty_and_nul_input_are_safe)
{
    char *html = render_with("", NULL);
    CHECK_STR(html, "");
    free(html);
    buf out = BUF_INIT;
    CHECK_INT(markdown_render("a\0b", 3, NULL, &out), 0);
    CHECK_STR(buf_cstr(&out), "<p>a\xEF\xBF\xBD" "b</p>\n");
    buf_free(&out);
}

TEST(cyrillic_seed_text_renders_intact)
{
    const char *md = "**Центр гематологии** — _«Мультидисциплинарный подход»_.\n";
    char *html = render_with(md, NULL);
    CHECK_STR(html, "<p><strong>Центр гематологии</strong> — <em>«Мультидисциплинарный подход»</em>.</p>\n");
    free(html);
}

static bool rewrite_everything(void *user, const char *url, size_t len, bool is_image, buf *out)
{
    buf_puts(out, "/r/");
    buf_add(out, url, len);
    return true;
}

static bool image_every_other(void *user, const markdown_image *img, buf *out)
{
    int *n = user;
    if ((*n)++ % 2) return false;
    buf_printf(out, "<picture>%s|%s|%s</picture>", img->src, img->alt, img->title ? img->title : "-");
    return true;
}

TEST(random_markdown_with_all_hooks_never_breaks)
{
    static const char *const frags[] = {
        "![", "](", ")", "[", "]", "\"t\"", "`", "```\n", "\n", "\n\n", "> ", "- ", "1. ", "*", "_", "~~",
        "| a | b |\n|---|---|\n", "<div>", "</div>", "&amp;", "&#0;", "\\", "x.jpg", "<http://a.b>", "я", " ",
        "===\n", "    ", "#", "<", "!",
    };
    unsigned seed = 3;
    int n = 0;
    markdown_options opt = {.rewrite_url = rewrite_everything, .render_image = image_every_other, .user = &n,
                            .escape_brackets_in_code = true};
    for (int round = 0; round < 3000; round++) {
        buf md = BUF_INIT, out = BUF_INIT;
        for (int i = 0; i < 1 + round % 150; i++) {
            seed = seed * 1103515245u + 12345u;
            buf_puts(&md, frags[(seed >> 16) % (sizeof frags / sizeof frags[0])]);
        }
        CHECK_INT(markdown_render(buf_cstr(&md), md.len, &opt, &out), 0);
        buf_free(&md);
        buf_free(&out);
    }
}

static const notice_style grav_notices = {"notices", {"yellow", "red", "blue", "green"}, 4};

/* Markdown with its notices rewritten, rendered and unmarked, as a page
 * is; *count the notices (0 when their <div>s would not balance). */
static char *render_notices(const char *md, const notice_style *style, size_t *count)
{
    buf rewritten = BUF_INIT, out = BUF_INIT;
    *count = notices_rewrite(md, strlen(md), style, &rewritten);
    char *html = render_with(buf_cstr(&rewritten), NULL);
    buf_free(&rewritten);
    if (!notices_unmark(html, strlen(html), style, &out)) *count = 0;
    free(html);
    return buf_detach(&out, NULL);
}

/* md has no notice: rendered with the rewrite as without it. */
static void check_no_notices(const char *md)
{
    size_t n;
    char *html = render_notices(md, &grav_notices, &n);
    CHECK_INT(n, 0);
    char *same = render_with(md, NULL);
    CHECK_STR(html, same);
    free(same);
    free(html);
}

/* Grav's markdown-notices: one to four marks and a space, the level's
 * class, the text inside read as Markdown; "!" alone goes on to a new
 * paragraph; a notice interrupts the paragraph above it. */
TEST(notices_become_blocks_of_their_level_with_markdown_inside)
{
    size_t n;
    char *html = render_notices("Приём по записи.\n! Внимание: **запись** по телефону.\n! Вторая строка.\n\n"
                                "!! Важно\n!!\n!! * пункт a\n!! * пункт b\n\n!!! Синий\n\n!!!! Зелёный\n",
                                &grav_notices, &n);
    CHECK_INT(n, 4);
    CHECK_STR(html, "<p>Приём по записи.</p>\n"
                    "<div class=\"notices yellow\">\n<p>Внимание: <strong>запись</strong> по телефону.\n"
                    "Вторая строка.</p>\n</div>\n"
                    "<div class=\"notices red\">\n<p>Важно</p>\n<ul>\n<li>пункт a</li>\n<li>пункт b</li>\n"
                    "</ul>\n</div>\n"
                    "<div class=\"notices blue\">\n<p>Синий</p>\n</div>\n"
                    "<div class=\"notices green\">\n<p>Зелёный</p>\n</div>\n");
    free(html);
}

/* A line without marks ends the notice (it does not run on into it); a
 * photo right under one stays a photo; five marks, no space, code and
 * HTML blocks are not notices. */
TEST(notices_end_where_the_marks_do_and_leave_code_and_html_alone)
{
    size_t n;
    char *html = render_notices("! Внимание.\nДалее текст.\n", &grav_notices, &n);
    CHECK_INT(n, 1);
    CHECK_STR(html, "<div class=\"notices yellow\">\n<p>Внимание.</p>\n</div>\n<p>Далее текст.</p>\n");
    free(html);

    html = render_notices("! Фото:\n![Зал](hall.jpg)\n", &grav_notices, &n);
    CHECK_INT(n, 1);
    CHECK_CONTAINS(html, "<p>Фото:</p>\n</div>\n<p><img src=\"hall.jpg\" alt=\"Зал\" /></p>");
    free(html);

    check_no_notices("!!!!! не заметка\n\n!слитно\n\n```\n! в коде\n```\n\n<div>\n! в HTML\n</div>\n\n"
                     "<!--\n\n! в комментарии\n-->\n\n    ! отступ кода\n");

    html = render_notices("```\n! в коде\n```\n! после кода\n", &grav_notices, &n);
    CHECK_INT(n, 1);
    CHECK_CONTAINS(html, "<pre><code>! в коде\n</code></pre>\n<div class=\"notices yellow\">\n<p>после кода</p>");
    free(html);
}

/* A code fence a notice opens and does not close ends with the notice,
 * as Parsedown reads a notice's lines apart: the page after it is not
 * swallowed into the code (and the notice's </div> not with it). */
TEST(code_fence_left_open_in_a_notice_ends_with_it)
{
    size_t n;
    char *html = render_notices("! Пример:\n! ~~~~\n! x < y\n\nДалее текст.\n", &grav_notices, &n);
    CHECK_INT(n, 1);
    CHECK_STR(html, "<div class=\"notices yellow\">\n<p>Пример:</p>\n<pre><code>x &lt; y\n</code></pre>\n</div>\n"
                    "<p>Далее текст.</p>\n");
    free(html);
}

/* The marks of the rendered HTML become the <div>s, and unmarking says
 * whether they balance: a mark a code block swallowed would leave a <div>
 * open or close one never opened, and the page is then rendered without
 * its notices. Marks of a level the style lacks stay as they are. */
TEST(notice_marks_become_divs_only_when_they_balance)
{
    buf out = BUF_INIT;
    const char ok[] = "<p>\x1aN2\x1a</p>\n<p>a</p>\n<p>\x1a/N\x1a</p>\n";
    CHECK(notices_unmark(ok, sizeof ok - 1, &grav_notices, &out));
    CHECK_STR(buf_cstr(&out), "<div class=\"notices red\">\n<p>a</p>\n</div>\n");
    buf_reset(&out);
    const char close_only[] = "<p>a</p>\n<p>\x1a/N\x1a</p>\n<p>\x1aN1\x1a</p>\n";
    CHECK(!notices_unmark(close_only, sizeof close_only - 1, &grav_notices, &out));
    buf_reset(&out);
    const char open_only[] = "<p>\x1aN1\x1a</p>\n<pre><code>\x1a/N\x1a\n</code></pre>\n";
    CHECK(!notices_unmark(open_only, sizeof open_only - 1, &grav_notices, &out));
    buf_reset(&out);
    const char level9[] = "<p>\x1aN9\x1a</p>";
    CHECK(notices_unmark(level9, sizeof level9 - 1, &grav_notices, &out));
    CHECK_STR(buf_cstr(&out), level9);
    buf_free(&out);
}

/* Inside a list item the notice stays in the item. */
TEST(notice_in_a_list_item_stays_in_it)
{
    size_t n;
    char *html = render_notices("- Астана\n  ! Приём по субботам.\n- Алматы\n", &grav_notices, &n);
    CHECK_INT(n, 1);
    CHECK_CONTAINS(html, "<li>\n<p>Астана</p>\n<div class=\"notices yellow\">\n<p>Приём по субботам.</p>\n</div>\n</li>");
    CHECK_CONTAINS(html, "<li>\n<p>Алматы</p>\n</li>");
    free(html);
}

/* Parsedown reads a blockquote's lines with all its blocks, so a notice
 * may be inside a quote (nested too) and interrupts a paragraph there; it
 * goes on only in the same quote; code in a quote is not read for
 * notices. */
TEST(notice_in_a_quote_stays_in_the_quote)
{
    size_t n;
    char *html = render_notices("> Цитата.\n> ! Внимание: **запись** по телефону.\n>! Вторая строка.\n>\n> После.\n",
                                &grav_notices, &n);
    CHECK_INT(n, 1);
    CHECK_STR(html, "<blockquote>\n<p>Цитата.</p>\n<div class=\"notices yellow\">\n<p>Внимание: <strong>запись</strong> "
                    "по телефону.\nВторая строка.</p>\n</div>\n<p>После.</p>\n</blockquote>\n");
    free(html);

    html = render_notices("> > !! Глубже\n> > !!\n> > !! - пункт\n> ! не та глубина\n", &grav_notices, &n);
    CHECK_INT(n, 2);
    CHECK_STR(html, "<blockquote>\n<blockquote>\n<div class=\"notices red\">\n<p>Глубже</p>\n<ul>\n<li>пункт</li>\n"
                    "</ul>\n</div>\n</blockquote>\n<div class=\"notices yellow\">\n<p>не та глубина</p>\n</div>\n"
                    "</blockquote>\n");
    free(html);

    /* a notice that a line without marks ends: that line is the quote's */
    html = render_notices("> ! Внимание.\n> Далее.\n", &grav_notices, &n);
    CHECK_INT(n, 1);
    CHECK_STR(html, "<blockquote>\n<div class=\"notices yellow\">\n<p>Внимание.</p>\n</div>\n<p>Далее.</p>\n"
                    "</blockquote>\n");
    free(html);

    check_no_notices("> ```\n> ! в коде\n> ```\n\n>     ! отступ кода\n\n```\n> ! цитата в коде\n```\n\n>!слитно\n");

    html = render_notices("> ```\n> ! в коде\n> ```\n> ! после кода\n", &grav_notices, &n);
    CHECK_INT(n, 1);
    CHECK_CONTAINS(html, "<pre><code>! в коде\n</code></pre>\n<div class=\"notices yellow\">\n<p>после кода</p>");
    free(html);
}

/* The plugin's level_classes set the classes and how many levels there
 * are; no levels: notices are off. Class names are escaped. */
TEST(notice_classes_come_from_the_style)
{
    const notice_style two = {"alert", {"warn", "x\" onclick=\"y"}, 2};
    size_t n;
    char *html = render_notices("!! два\n\n!!! три\n", &two, &n);
    CHECK_INT(n, 1);
    CHECK_CONTAINS(html, "<div class=\"alert x&quot; onclick=&quot;y\">");
    CHECK_CONTAINS(html, "<p>!!! три</p>");
    free(html);
    const notice_style off = {"notices", {0}, 0};
    CHECK(!notices_maybe("! текст\n", 8, &off));
    html = render_notices("! текст\n", &off, &n);
    CHECK_INT(n, 0);
    CHECK_STR(html, "<p>! текст</p>\n");
    free(html);
}

static const char *const grav_link_attributes[] = {"rel", "target", "id", "class", "classes", NULL};

/* Grav's link attributes: the listed query keys leave the URL for the
 * <a>; the others stay, in their order; noprocess keeps what it names. */
TEST(link_query_keys_grav_lists_become_attributes)
{
    markdown_options opt = {.link_attributes = grav_link_attributes};
    char *html = render_with("[Договор](contract.pdf?target=_blank) [b](https://example.kz/a?b=1&target=_blank&"
                             "classes=button,big&rel=noopener&c=2#part) [c](x.pdf?noprocess=target&target=_blank&id=doc)"
                             " [d](y.pdf?lang=ru)\n",
                             &opt);
    CHECK_CONTAINS(html, "<a href=\"contract.pdf\" target=\"_blank\">Договор</a>");
    CHECK_CONTAINS(html, "<a href=\"https://example.kz/a?b=1&amp;c=2#part\" target=\"_blank\" class=\"button big\" "
                         "rel=\"noopener\">b</a>");
    CHECK_CONTAINS(html, "<a href=\"x.pdf?target=_blank\" id=\"doc\">c</a>");
    CHECK_CONTAINS(html, "<a href=\"y.pdf?lang=ru\">d</a>");
    free(html);
    html = render_with("[e](#part?target=_blank)\n", &opt); /* a fragment has no query */
    CHECK_CONTAINS(html, "<a href=\"#part?target=_blank\">e</a>");
    free(html);
    /* without the option a query is a query */
    html = render_with("[a](contract.pdf?target=_blank)\n", NULL);
    CHECK_STR(html, "<p><a href=\"contract.pdf?target=_blank\">a</a></p>\n");
    free(html);
}

/* Whatever the site lists, no event handler, style or URL attribute is
 * written; values are escaped and never decoded into markup or control
 * bytes; one attribute of a name. */
TEST(link_attributes_from_a_query_are_harmless)
{
    static const char *const lax[] = {"onclick", "style", "href", "target", "class", "classes", "data-x", NULL};
    markdown_options opt = {.link_attributes = lax};
    char *html = render_with("[a](p.pdf?onclick=alert(1)&style=color:red&href=//evil&target=%22%3E%3Cb%3E&"
                             "class=one&classes=two&data-x=%01%FF)\n",
                             &opt);
    CHECK_CONTAINS(html, "href=\"p.pdf?onclick=alert(1)&amp;style=color:red&amp;href=//evil\"");
    CHECK_CONTAINS(html, " target=\"&quot;&gt;&lt;b&gt;\" class=\"one\" data-x=\"%01%FF\">a</a>");
    CHECK_NOT_CONTAINS(html, "two");
    free(html);
}
