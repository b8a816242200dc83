/* test_shortcode.c - shortcodes over rendered HTML: the gallery of the
 * real conference post, safe-email, unknown and unclosed shortcodes,
 * code, nesting. */
#include <stdio.h>
#include <stdlib.h>

#include "content/entity.h"
#include "content/markdown.h"
#include "content/shortcode.h"
#include "content/youtube.h"
#include "test.h"

#define NEWS "seed-site/user/pages/02.news"

static char *read_body(const char *rel, int *first_line)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", test_shared_dir(), rel);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&b, chunk, n);
    fclose(f);
    const char *s = buf_cstr(&b), *body = s;
    *first_line = 1;
    if (strncmp(s, "---", 3) == 0) {
        const char *end = strstr(s + 3, "\n---");
        const char *nl = end ? strchr(end + 4, '\n') : NULL;
        if (nl) body = nl + 1;
        for (const char *p = s; p < body; p++)
            if (*p == '\n') (*first_line)++;
    }
    char *r = xstrdup(body);
    buf_free(&b);
    return r;
}

typedef struct result {
    char *html;
    diag_list d;
    int expanded;
} result;

/* Markdown (escaping '[' in code, as for the site) then shortcodes. */
static void run(const char *md, int first_line, const shortcode_ctx *extra, result *r)
{
    buf html = BUF_INIT, out = BUF_INIT;
    markdown_options opt = {.escape_brackets_in_code = true};
    markdown_render(md, strlen(md), &opt, &html);
    shortcode_ctx ctx = extra ? *extra : (shortcode_ctx){0};
    ctx.page_path = "pages/post/item.ru.md";
    ctx.markdown = md;
    ctx.markdown_len = strlen(md);
    ctx.first_line = first_line;
    diag_init(&r->d);
    r->expanded = shortcodes_expand(html.s, html.len, &ctx, &out, &r->d);
    r->html = buf_detach(&out, NULL);
    buf_free(&html);
}

static void run_html(const char *html, result *r)
{
    buf out = BUF_INIT;
    shortcode_ctx ctx = {.page_path = "p.md"};
    diag_init(&r->d);
    r->expanded = shortcodes_expand(html, strlen(html), &ctx, &out, &r->d);
    r->html = buf_detach(&out, NULL);
}

static void result_free(result *r)
{
    free(r->html);
    diag_free(&r->d);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

TEST(gallery_of_real_post_becomes_figures_outside_any_paragraph)
{
    int first_line;
    char *md = read_body(NEWS "/03.2023-01-09-practical-conference/item.ru.md", &first_line);
    CHECK(md != NULL);
    if (!md) return;
    result r;
    run(md, first_line, NULL, &r);
    CHECK_INT(r.expanded, 1);
    CHECK_INT(r.d.len, 0);
    CHECK_CONTAINS(r.html, "<div class=\"gallery gallery-owl\" role=\"region\" aria-roledescription=\"carousel\"");
    CHECK_CONTAINS(r.html, "aria-label=\"Мультидисциплинарный подход в гематопатологии\" tabindex=\"0\">");
    CHECK_INT(count(r.html, "<figure>"), 3);
    /* the photos have empty alt text: the title becomes the alt, the caption is shown but read once */
    CHECK_INT(count(r.html, "alt=\"Мультидисциплинарный подход в гематопатологии\""), 3);
    CHECK_INT(count(r.html, "<figcaption aria-hidden=\"true\">Мультидисциплинарный подход в гематопатологии</figcaption>"), 3);
    CHECK_INT(count(r.html, "loading=\"lazy\""), 3);
    const char *one = strstr(r.html, "src=\"2023-01-09-1.jpg\""), *two = strstr(r.html, "src=\"2023-01-09-2.jpg\""),
               *three = strstr(r.html, "src=\"2023-01-09-3.jpg\"");
    CHECK(one && two && three && one < two && two < three);
    CHECK_NOT_CONTAINS(r.html, "owl-carousel ");
    CHECK_NOT_CONTAINS(r.html, "[/owl-carousel]");
    CHECK_NOT_CONTAINS(r.html, "<p><div");
    CHECK_NOT_CONTAINS(r.html, "</div></p>");
    CHECK_NOT_CONTAINS(r.html, "<p></p>");
    /* the text around the gallery is intact */
    CHECK_CONTAINS(r.html, "Антон Анатольевич Клодзинский.</p>\n<div class=\"gallery");
    CHECK_CONTAINS(r.html, "</div>\n<p>Это уже второе мероприятие");
    result_free(&r);
    free(md);
}

TEST(gallery_keeps_alt_text_and_loads_eagerly_without_lazyload)
{
    const char *md = "[owl-carousel class='wide']\n![Forum hall](a.jpg \"Forum\")\n![Second](b.jpg)\n[/owl-carousel]\n";
    result r;
    run(md, 1, NULL, &r);
    CHECK_CONTAINS(r.html, "<div class=\"gallery wide\"");
    CHECK_CONTAINS(r.html, "<img src=\"a.jpg\" alt=\"Forum hall\" title=\"Forum\" />");
    CHECK_CONTAINS(r.html, "<figcaption>Forum</figcaption>");
    CHECK_INT(count(r.html, "<figcaption"), 1); /* the second image has no title */
    CHECK_NOT_CONTAINS(r.html, "loading=");
    CHECK_INT(count(r.html, "<li class=\"gallery-slide\""), 2);
    result_free(&r);
}

TEST(gallery_tags_in_paragraphs_of_their_own_leave_no_empty_paragraphs)
{
    const char *md = "Before.\n\n[owl-carousel]\n\n![a](1.jpg)\n\n![b](2.jpg)\n\n[/owl-carousel]\n\nAfter.\n";
    result r;
    run(md, 1, NULL, &r);
    CHECK_INT(count(r.html, "<figure>"), 2);
    CHECK_NOT_CONTAINS(r.html, "<p>\n");
    CHECK_NOT_CONTAINS(r.html, "<p></p>");
    CHECK_NOT_CONTAINS(r.html, "[owl-carousel");
    CHECK_CONTAINS(r.html, "<p>Before.</p>\n<div class=\"gallery\"");
    CHECK_CONTAINS(r.html, "</div>\n<p>After.</p>");
    result_free(&r);
}

static bool render_slide(void *user, const markdown_image *img, bool is_lazy, buf *out)
{
    int *calls = user;
    (*calls)++;
    buf_printf(out, "<img src=\"%s\" srcset=\"x\" alt=\"%s\"%s>", img->src, img->alt, is_lazy ? " lazy" : "");
    return true;
}

TEST(gallery_slides_go_through_the_image_callback)
{
    int calls = 0;
    shortcode_ctx ctx = {.render_image = render_slide, .user = &calls};
    result r;
    run("[owl-carousel lazyLoad=true]\n![one](1.jpg)\n![two](2.jpg)\n[/owl-carousel]\n", 1, &ctx, &r);
    CHECK_INT(calls, 2);
    CHECK_CONTAINS(r.html, "<figure><img src=\"1.jpg\" srcset=\"x\" alt=\"one\" lazy></figure>");
    result_free(&r);
}

TEST(gallery_photo_without_alt_text_takes_its_title_as_alt)
{
    const char *md = "[owl-carousel]\n![](a.jpg \"Hall & stage\")\n![Kept](b.jpg \"Other\")\n![](c.jpg)\n[/owl-carousel]\n";
    result r;
    run(md, 1, NULL, &r);
    CHECK_CONTAINS(r.html, "<img src=\"a.jpg\" alt=\"Hall &amp; stage\" title=\"Hall &amp; stage\"");
    CHECK_CONTAINS(r.html, "alt=\"Kept\" title=\"Other\"");
    /* a caption that repeats the alt is read once, from the image */
    CHECK_CONTAINS(r.html, "<figcaption aria-hidden=\"true\">Hall &amp; stage</figcaption>");
    CHECK_CONTAINS(r.html, "<figcaption>Other</figcaption>");
    /* no title either: the photo stays as the author wrote it */
    CHECK_CONTAINS(r.html, "<img src=\"c.jpg\" alt=\"\"");
    result_free(&r);
}

TEST(gallery_photo_missing_its_alt_attribute_gets_one_from_the_title)
{
    result r;
    run_html("<p>[owl-carousel lazyLoad=true]<img src=\"a.jpg\" title=\"Stage\">[/owl-carousel]</p>", &r);
    CHECK_CONTAINS(r.html, "<img alt=\"Stage\" src=\"a.jpg\" title=\"Stage\" loading=\"lazy\">");
    result_free(&r);
}

TEST(gallery_image_callback_sees_the_title_as_alt_when_alt_is_empty)
{
    int calls = 0;
    shortcode_ctx ctx = {.render_image = render_slide, .user = &calls};
    result r;
    run("[owl-carousel]\n![](1.jpg \"Forum\")\n[/owl-carousel]\n", 1, &ctx, &r);
    CHECK_CONTAINS(r.html, "alt=\"Forum\"");
    result_free(&r);
}

TEST(escaped_quotes_in_attributes_are_read_as_quotes)
{
    result r;
    run_html("<p>[owl-carousel class=&quot;my gallery&quot; title=&quot;Hall &amp; stage&quot;]<img src=\"a.jpg\" alt=\"\">[/owl-carousel]</p>", &r);
    CHECK_CONTAINS(r.html, "<div class=\"gallery my gallery\"");
    CHECK_CONTAINS(r.html, "aria-label=\"Hall &amp; stage\"");
    CHECK_NOT_CONTAINS(r.html, "<p>");
    result_free(&r);
}

/* A shortcode pasted from Word has its quotes made typographic:
 * class=“gallery-owl” gave class="gallery “gallery-owl”". Such quotes,
 * and Russian „…“ and «…», are read as quotes. */
TEST(typographic_quotes_in_attributes_are_read_as_quotes)
{
    result r;
    run_html("<p>[owl-carousel class=\xE2\x80\x9Cgallery-owl\xE2\x80\x9D title=\xC2\xAB\xD0\x97\xD0\xB0\xD0\xBB "
             "\xE2\x80\x9E" "1\xE2\x80\x9C\xC2\xBB]<img src=\"a.jpg\" alt=\"\">[/owl-carousel]</p>",
             &r);
    CHECK_CONTAINS(r.html, "<div class=\"gallery gallery-owl\"");
    CHECK_CONTAINS(r.html, "aria-label=\"\xD0\x97\xD0\xB0\xD0\xBB \xE2\x80\x9E" "1\xE2\x80\x9C\"");
    result_free(&r);
}

/* Decode the character references of s. */
static char *decoded(const char *s)
{
    buf b = BUF_INIT;
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++) {
        size_t ref = s[i] == '&' ? html_entity_length(s + i, len - i) : 0;
        if (ref && html_entity_decode(s + i, ref, &b)) i += ref - 1;
        else buf_putc(&b, s[i]);
    }
    return buf_detach(&b, NULL);
}

TEST(safe_email_hides_the_address_in_character_references)
{
    result r;
    run("Write to [safe-email autolink=\"true\" icon=\"envelope-o\"]info@hematology.kz[/safe-email] today.\n", 1, NULL, &r);
    CHECK_NOT_CONTAINS(r.html, "info@hematology.kz");
    CHECK_NOT_CONTAINS(r.html, "envelope");
    CHECK_CONTAINS(r.html, "<a href=\"mailto:&#105;&#110;&#102;&#111;&#64;");
    char *plain = decoded(r.html);
    CHECK_STR(plain, "<p>Write to <a href=\"mailto:info@hematology.kz\">info@hematology.kz</a> today.</p>\n");
    free(plain);
    result_free(&r);
}

TEST(safe_email_without_autolink_is_encoded_text_only)
{
    result r;
    run("[safe-email]a@b.kz[/safe-email]\n", 1, NULL, &r);
    CHECK_STR(r.html, "<p>&#97;&#64;&#98;&#46;&#107;&#122;</p>\n");
    result_free(&r);
}

TEST(unknown_shortcode_is_left_as_is_with_a_warning_at_its_line)
{
    const char *md = "Intro.\n\nMore text.\n\n[youtube id=abc123]\n";
    result r;
    run(md, 12, NULL, &r);
    CHECK_CONTAINS(r.html, "<p>[youtube id=abc123]</p>");
    CHECK_INT(r.d.warnings, 1);
    CHECK(diag_has(&r.d, DIAG_WARNING, "unknown shortcode [youtube]"));
    CHECK(r.d.len == 1 && r.d.items[0].line == 16);
    CHECK_STR(r.d.len ? r.d.items[0].path : "", "pages/post/item.ru.md");
    result_free(&r);
}

TEST(bracketed_words_are_not_reported_as_shortcodes)
{
    result r;
    run("See [note] and [1] or [the list].\n", 1, NULL, &r);
    CHECK_INT(r.d.len, 0);
    CHECK_CONTAINS(r.html, "See [note] and [1] or [the list].");
    result_free(&r);
}

TEST(unclosed_shortcode_is_left_as_is_with_a_warning)
{
    const char *md = "Text.\n\n[owl-carousel lazyLoad=true]\n![](a.jpg)\n";
    result r;
    run(md, 1, NULL, &r);
    CHECK_CONTAINS(r.html, "[owl-carousel lazyLoad=true]\n<img src=\"a.jpg\" alt=\"\" />");
    CHECK_INT(r.expanded, 0);
    CHECK(diag_has(&r.d, DIAG_WARNING, "[owl-carousel] has no closing tag"));
    CHECK(r.d.len == 1 && r.d.items[0].line == 3);
    result_free(&r);
}

TEST(shortcode_inside_code_is_never_expanded)
{
    const char *md = "Use `[safe-email]a@b.kz[/safe-email]` like this:\n\n"
                     "```\n[owl-carousel]\n![](a.jpg)\n[/owl-carousel]\n```\n";
    result r;
    run(md, 1, NULL, &r);
    CHECK_INT(r.expanded, 0);
    CHECK_INT(r.d.len, 0);
    CHECK_CONTAINS(r.html, "<code>&#91;safe-email]a@b.kz&#91;/safe-email]</code>");
    CHECK_CONTAINS(r.html, "&#91;owl-carousel]");
    result_free(&r);
    /* even where '[' was not escaped (raw HTML) */
    run_html("<pre><code>[safe-email autolink=1]a@b.kz[/safe-email]</code></pre><p><code>[owl-carousel]</code></p>", &r);
    CHECK_INT(r.expanded, 0);
    CHECK_CONTAINS(r.html, "<pre><code>[safe-email autolink=1]a@b.kz[/safe-email]</code></pre>");
    result_free(&r);
}

TEST(nested_shortcodes_expand_inside_out)
{
    result r;
    run("[box title=\"x\"][safe-email]a@b.kz[/safe-email][/box]\n", 1, NULL, &r);
    CHECK_CONTAINS(r.html, "[box title=&quot;x&quot;]&#97;&#64;&#98;&#46;&#107;&#122;[/box]");
    CHECK(diag_has(&r.d, DIAG_WARNING, "unknown shortcode [box]"));
    result_free(&r);
    /* the same name nested: the inner closing tag is not the outer's */
    run("[safe-email autolink=1][safe-email]a@b.kz[/safe-email][/safe-email]\n", 1, NULL, &r);
    CHECK_INT(r.expanded, 2);
    char *plain = decoded(r.html);
    CHECK_STR(plain, "<p><a href=\"mailto:a@b.kz\">a@b.kz</a></p>\n");
    free(plain);
    result_free(&r);
}

TEST(self_closing_shortcode_has_no_content)
{
    result r;
    run_html("<p>a [safe-email autolink=true /] b</p>", &r);
    CHECK_INT(r.expanded, 1);
    CHECK_STR(r.html, "<p>a <a href=\"mailto:\"></a> b</p>");
    result_free(&r);
}

TEST(deep_nesting_is_bounded)
{
    buf html = BUF_INIT;
    for (int i = 0; i < 200; i++) buf_puts(&html, "[owl-carousel]");
    buf_puts(&html, "<img src=\"a.jpg\" alt=\"\">");
    for (int i = 0; i < 200; i++) buf_puts(&html, "[/owl-carousel]");
    result r;
    run_html(buf_cstr(&html), &r);
    CHECK(r.html != NULL);
    CHECK_INT(r.expanded, 16);
    CHECK(diag_has(&r.d, DIAG_WARNING, "nested too deeply"));
    /* one message stands for the rest */
    CHECK(r.d.len <= 21);
    CHECK(diag_has(&r.d, DIAG_WARNING, "the rest are not reported"));
    result_free(&r);
    buf_free(&html);
}

TEST(safe_email_with_a_long_body_is_left_as_text)
{
    buf html = BUF_INIT;
    buf_puts(&html, "<p>[safe-email]");
    for (int i = 0; i < 300; i++) buf_puts(&html, "many words ");
    buf_puts(&html, "[/safe-email]</p>");
    result r;
    run_html(buf_cstr(&html), &r);
    CHECK_INT(r.expanded, 0);
    CHECK_STR(r.html, buf_cstr(&html));
    CHECK(diag_has(&r.d, DIAG_WARNING, "holds more than an e-mail address"));
    result_free(&r);
    buf_free(&html);
}

/* Grav's shortcode-core formatting shortcodes, as the center's editors
 * may have used them (its owl-carousel plugin needs shortcode-core, so the
 * site has them all). Where shortcode-core writes style attributes folio
 * writes classes the theme styles; block shortcodes leave no paragraph
 * around them. */
TEST(shortcode_core_blocks_become_classed_blocks_outside_paragraphs)
{
    result r;
    run("[center]**Важно:** приём по записи[/center]\n\n"
        "[notice=warning]\nПриём анализов с 8:00.\n[/notice]\n\n"
        "[notice]Info[/notice]\n\n[notice=\"x onclick=y\"]Odd[/notice]\n\n"
        "[details summary=\"Как записаться?\" class=faq]\nПозвоните.\n[/details]\n\n"
        "[h2 id=\"contacts\" class=branch]Контакты[/h2]\n\n"
        "[div class=\"branch\" id='a\"b']Филиал[/div]\n\n[right]R[/right]\n",
        1, NULL, &r);
    CHECK_CONTAINS(r.html, "<div class=\"sc-align-center\"><strong>Важно:</strong> приём по записи</div>");
    CHECK_CONTAINS(r.html, "<div class=\"sc-notice warning\"><div>\nПриём анализов с 8:00.\n</div></div>");
    CHECK_CONTAINS(r.html, "<div class=\"sc-notice info\"><div>Info</div></div>");
    CHECK_CONTAINS(r.html, "<div class=\"sc-notice info\"><div>Odd</div></div>"); /* not a class word: info */
    CHECK_CONTAINS(r.html, "<details class=\"faq\"><summary>Как записаться?</summary>\nПозвоните.\n</details>");
    CHECK_CONTAINS(r.html, "<h2 id=\"contacts\" class=\"branch\">Контакты</h2>");
    CHECK_CONTAINS(r.html, "<div id=\"a&quot;b\" class=\"branch\">Филиал</div>");
    CHECK_CONTAINS(r.html, "<div class=\"sc-align-right\">R</div>");
    CHECK_NOT_CONTAINS(r.html, "<p><div");
    CHECK_NOT_CONTAINS(r.html, "</div></p>");
    CHECK_NOT_CONTAINS(r.html, "style=");
    CHECK_INT(r.d.len, 0);
    result_free(&r);
}

/* A block written in the middle of a paragraph's text: the paragraph
 * ends before it and goes on after it, and no empty paragraph is left
 * (a <div> inside a <p> is not HTML; browsers would split it anyway,
 * leaving an empty paragraph behind). Inline shortcodes stay inline. */
TEST(block_shortcode_inside_a_paragraph_splits_it)
{
    result r;
    run("Text [center]X[/center] more.\n\n[notice]A[/notice] [notice=tip]B[/notice]\n\n"
        "Tail [right]R[/right]\n\nInline [mark]m[/mark] stays.\n",
        1, NULL, &r);
    CHECK_CONTAINS(r.html, "<p>Text </p>\n<div class=\"sc-align-center\">X</div>\n<p> more.</p>");
    CHECK_CONTAINS(r.html, "<div class=\"sc-notice info\"><div>A</div></div>\n<div class=\"sc-notice tip\"><div>B</div></div>");
    CHECK_CONTAINS(r.html, "<p>Tail </p>\n<div class=\"sc-align-right\">R</div>\n");
    CHECK_CONTAINS(r.html, "<p>Inline <mark class=\"mark-class-default\">m</mark> stays.</p>");
    CHECK_NOT_CONTAINS(r.html, "<p> </p>");
    CHECK_NOT_CONTAINS(r.html, "<p></p>");
    CHECK_NOT_CONTAINS(r.html, "<p><div");
    result_free(&r);
}

/* "- Караганда\n[/columns]": Markdown puts the closing tag in the last
 * list item; the list's ends go inside the columns so the HTML stays
 * whole. The columns are a class (one column on a phone). */
TEST(columns_take_in_the_list_their_closing_tag_ended_up_in)
{
    result r;
    run("[columns count=3]\n- Алматы\n- Астана\n- Караганда\n[/columns]\n\nAfter.\n", 1, NULL, &r);
    CHECK_CONTAINS(r.html, "<div class=\"sc-columns sc-columns-3\">\n<ul>\n<li>Алматы</li>\n<li>Астана</li>\n"
                           "<li>Караганда\n</li>\n</ul></div>");
    CHECK_CONTAINS(r.html, "<p>After.</p>");
    result_free(&r);
    run("[columns count=99]\n\n- a\n- b\n\n[/columns]\n", 1, NULL, &r);
    CHECK_CONTAINS(r.html, "<div class=\"sc-columns sc-columns-6\">\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n</div>");
    result_free(&r);
}

TEST(shortcode_core_inline_shortcodes)
{
    result r;
    shortcode_ctx ctx = {.lang = "ru"};
    run("[mark]a[/mark] [mark class=red style=block]\nb\n[/mark] [u]c[/u] [color=red]d[/color] "
        "[size=20]e[/size] [size=1.5em]f[/size] [color=\"red;background:url(x)\"]g[/color] "
        "[span class=x style=\"font-weight:bold\"]h[/span] [lang=ru]по-русски[/lang][lang=en]English[/lang] "
        "[raw][center]as is[/center][/raw] [x=5] stays.\n",
        1, &ctx, &r);
    CHECK_CONTAINS(r.html, "<mark class=\"mark-class-default\">a</mark>");
    CHECK_CONTAINS(r.html, "<mark class=\"mark-class-red sc-mark-block\">b</mark>");
    CHECK_CONTAINS(r.html, "<u>c</u>");
    CHECK_CONTAINS(r.html, "<span style=\"color: red;\">d</span>");
    CHECK_CONTAINS(r.html, "<span style=\"font-size: 20px;\">e</span>");
    CHECK_CONTAINS(r.html, "<span style=\"font-size: 1.5em;\">f</span>");
    CHECK_CONTAINS(r.html, " g "); /* a value that is more than a colour: the text alone */
    CHECK_CONTAINS(r.html, "<span class=\"x\" style=\"font-weight:bold\">h</span>");
    CHECK_CONTAINS(r.html, " по-русски ");
    CHECK_NOT_CONTAINS(r.html, "English");
    CHECK_CONTAINS(r.html, " [center]as is[/center] [x=5] stays.");
    CHECK_INT(r.d.len, 0);
    result_free(&r);
}

/* [raw] on a line of its own around a code fence (how documentation shows
 * shortcodes): no empty paragraph is left where its lines were; inside
 * a paragraph it keeps the paragraph. */
TEST(raw_on_lines_of_its_own_leaves_no_empty_paragraphs)
{
    result r;
    run("[raw]\n```md\n[center]x[/center]\n```\n[/raw]\n\nText [raw][b][/raw] end.\n", 1, NULL, &r);
    CHECK_NOT_CONTAINS(r.html, "<p></p>");
    CHECK_CONTAINS(r.html, "<pre><code class=\"language-md\">");
    CHECK_CONTAINS(r.html, "<p>Text [b] end.</p>");
    CHECK_NOT_CONTAINS(r.html, "[raw]");
    result_free(&r);
}

TEST(figure_wraps_its_content_with_an_escaped_caption)
{
    result r;
    run("[figure caption=\"Схема <проезда>\" class=map id=m]![Схема](schema.png)[/figure]\n", 1, NULL, &r);
    CHECK_STR(r.html, "<figure id=\"m\" class=\"map\"><img src=\"schema.png\" alt=\"Схема\" />"
                      "<figcaption>Схема &lt;проезда&gt;</figcaption></figure>");
    result_free(&r);
}

TEST(random_markup_never_breaks_expansion)
{
    static const char *const frags[] = {
        "<p>", "</p>", "[owl-carousel]", "[/owl-carousel]", "[safe-email autolink=1]", "[/safe-email]", "[",
        "]", "<img src=\"x.jpg\" title=\"t\">", "<code>", "</code>", "<pre>", "</pre>", "&quot;", "=", "/]",
        " ", "\n", "a@b.kz", "[x y=", "'", "\"", "<!--", "-->", "<", ">", "я",
    };
    unsigned seed = 11;
    for (int round = 0; round < 3000; round++) {
        buf html = BUF_INIT;
        for (int i = 0; i < 1 + round % 120; i++) {
            seed = seed * 1103515245u + 12345u;
            buf_puts(&html, frags[(seed >> 16) % (sizeof frags / sizeof frags[0])]);
        }
        result r;
        run_html(buf_cstr(&html), &r);
        CHECK(r.html != NULL);
        result_free(&r);
        buf_free(&html);
    }
}

/* Grav's youtube plugin: the addresses YouTube gives out, and only those. */
TEST(youtube_video_ids_come_from_youtube_addresses_only)
{
    static const char *const good[] = {
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",       "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "http://m.youtube.com/watch?v=dQw4w9WgXcQ#t=30",     "https://youtu.be/dQw4w9WgXcQ?t=10",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",        "https://www.youtube.com/v/dQw4w9WgXcQ/",
    };
    static const char *const bad[] = {
        "https://www.youtube.com/watch?v=dQw4w9WgXc",  /* ten characters */
        "https://www.youtube.com/watch?v=dQw4w9WgXcQQ", /* twelve */
        "https://evil.example/watch?v=dQw4w9WgXcQ",     "https://www.youtube.com.evil.example/embed/dQw4w9WgXcQ",
        "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",    "https://youtu.be/dQw4w9\"X<cQ",
        "https://www.youtube.com/watch?list=dQw4w9WgXcQ", "youtu.be/dQw4w9WgXcQ",
    };
    char id[12];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        CHECK(youtube_video_id(good[i], strlen(good[i]), id));
        CHECK_STR(id, "dQw4w9WgXcQ");
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) CHECK(!youtube_video_id(bad[i], strlen(bad[i]), id));
}

/* The plugin's link becomes the player (the paragraph with it when it is
 * all of it); other links, and the plugin switched off, stay as they are. */
TEST(youtube_plugin_links_become_players)
{
    const char *html = "<p><a href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=10\">plugin:youtube</a></p>\n"
                       "<p>See <a href=\"https://youtu.be/dQw4w9WgXcQ\">Plugin:YouTube</a> and "
                       "<a href=\"https://example.kz/\">plugin:youtube</a>.</p>\n";
    youtube_style on = {true, true, NULL}, public_mode = {true, false, NULL}, off = {false, true, NULL};
    buf out = BUF_INIT;
    CHECK_INT(youtube_expand(html, strlen(html), &on, "Видео YouTube", &out), 2);
    CHECK_STR(buf_cstr(&out),
              "<div class=\"grav-youtube\"><iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" "
              "title=\"Видео YouTube\" loading=\"lazy\" allow=\"fullscreen; picture-in-picture; encrypted-media\" "
              "allowfullscreen></iframe></div>\n"
              "<p>See <div class=\"grav-youtube\"><iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" "
              "title=\"Видео YouTube\" loading=\"lazy\" allow=\"fullscreen; picture-in-picture; encrypted-media\" "
              "allowfullscreen></iframe></div> and <a href=\"https://example.kz/\">plugin:youtube</a>.</p>\n");
    buf_reset(&out);
    CHECK_INT(youtube_expand(html, strlen(html), &public_mode, NULL, &out), 2);
    CHECK_CONTAINS(buf_cstr(&out), "src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" title=\"YouTube\"");
    buf_reset(&out);
    CHECK_INT(youtube_expand(html, strlen(html), &off, "x", &out), 0);
    CHECK_STR(buf_cstr(&out), html);
    buf_free(&out);
}

static bool diag_has_text(const diag_list *d, const char *text)
{
    for (size_t i = 0; i < d->len; i++)
        if (strstr(d->items[i].msg, text)) return true;
    return false;
}

/* The plugin's shortcode, [youtube]URL[/youtube], where the site has the
 * plugin: the player (the paragraph around it dropped); without the plugin
 * an unknown shortcode, as before; not a video's address: left, with a
 * warning. */
TEST(youtube_shortcode_is_a_player_where_the_site_has_the_plugin)
{
    const char *html = "<p>[youtube]https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=5[/youtube]</p>\n"
                       "<p>[youtube]https://example.kz/video[/youtube]</p>\n";
    youtube_style on = {true, true, NULL};
    shortcode_ctx ctx = {.page_path = "p.md", .youtube = &on, .youtube_title = "Видео YouTube"};
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    CHECK_INT(shortcodes_expand(html, strlen(html), &ctx, &out, &d), 2);
    CHECK_CONTAINS(buf_cstr(&out), "<div class=\"grav-youtube\"><iframe src=\"https://www.youtube-nocookie.com/embed/"
                                   "dQw4w9WgXcQ\" title=\"Видео YouTube\"");
    CHECK_NOT_CONTAINS(buf_cstr(&out), "<p><div");
    CHECK_CONTAINS(buf_cstr(&out), "https://example.kz/video");
    CHECK(diag_has_text(&d, "[youtube] holds no YouTube address: left as written"));
    diag_free(&d);

    buf_reset(&out);
    diag_init(&d);
    shortcode_ctx plain = {.page_path = "p.md"};
    shortcodes_expand(html, strlen(html), &plain, &out, &d);
    CHECK_STR(buf_cstr(&out), html);
    CHECK(diag_has_text(&d, "unknown shortcode [youtube] left as text"));
    diag_free(&d);
    buf_free(&out);
}
