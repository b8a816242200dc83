/* test_summary.c - Grav's summary: delimiter split and HTML truncation. */
#include <stdio.h>
#include <stdlib.h>

#include "content/markdown.h"
#include "content/summary.h"
#include "lib/files.h"
#include "test.h"

#define CONFERENCE "seed-site/user/pages/02.news/03.2023-01-09-practical-conference"

/* The Markdown body of a seed page (front matter skipped), malloc'd. */
static char *seed_body(const char *page_dir, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", test_shared_dir(), page_dir, file);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&b, chunk, n);
    fclose(f);
    const char *s = buf_cstr(&b);
    const char *body = s;
    if (strncmp(s, "---", 3) == 0) {
        const char *end = strstr(s + 3, "\n---");
        if (end) {
            body = strchr(end + 4, '\n');
            body = body ? body + 1 : end + 4;
        }
    }
    char *r = xstrdup(body);
    buf_free(&b);
    return r;
}

static char *render(const char *md)
{
    buf out = BUF_INIT;
    markdown_render(md, strlen(md), NULL, &out);
    return buf_detach(&out, NULL);
}

typedef struct split_result {
    buf content, summary;
    bool has_delimiter;
} split_result;

static void split(const char *html, size_t size, split_result *r)
{
    r->content = (buf)BUF_INIT;
    r->summary = (buf)BUF_INIT;
    summary_split(html, strlen(html), "===", size, &r->content, &r->summary, &r->has_delimiter);
}

static void split_free(split_result *r)
{
    buf_free(&r->content);
    buf_free(&r->summary);
}

static char *truncated(const char *html, size_t size)
{
    buf out = BUF_INIT;
    summary_truncate_html(html, strlen(html), size, &out);
    return buf_detach(&out, NULL);
}

static bool is_valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (extra < 0) return false;
        for (int k = 1; k <= extra; k++)
            if ((p[k] & 0xC0) != 0x80) return false;
        p += extra + 1;
    }
    return true;
}

TEST(delimiter_paragraph_splits_summary_from_content)
{
    char *md = seed_body(CONFERENCE, "item.ru.md");
    CHECK(md != NULL);
    if (!md) return;
    char *html = render(md);
    split_result r;
    split(html, 300, &r);
    CHECK(r.has_delimiter);
    CHECK_STR(buf_cstr(&r.summary),
              "<p>Так в нескольких словах можно описать масштабную научно-практическую конференцию, в которой "
              "приняли участие сотрудники Центра гематологии.</p>\n");
    CHECK_CONTAINS(buf_cstr(&r.content), "Так в нескольких словах");
    CHECK_CONTAINS(buf_cstr(&r.content), "это название двухдневной конференции");
    split_free(&r);
    free(html);
    free(md);
}

TEST(delimiter_is_removed_from_content)
{
    char *md = seed_body(CONFERENCE, "item.en.md");
    CHECK(md != NULL);
    if (!md) return;
    char *html = render(md);
    CHECK_CONTAINS(html, "<p>===</p>");
    split_result r;
    split(html, 300, &r);
    CHECK(r.has_delimiter);
    CHECK_NOT_CONTAINS(buf_cstr(&r.content), "===");
    CHECK_INT(r.content.len, strlen(html) - strlen("<p>===</p>"));
    split_free(&r);
    free(html);
    free(md);
}

TEST(first_of_several_delimiters_splits_and_all_are_removed)
{
    char *html = render("One.\n\n===\n\nTwo.\n\n===\n\nThree.\n");
    split_result r;
    split(html, 300, &r);
    CHECK(r.has_delimiter);
    CHECK_STR(buf_cstr(&r.summary), "<p>One.</p>\n");
    CHECK_STR(buf_cstr(&r.content), "<p>One.</p>\n\n<p>Two.</p>\n\n<p>Three.</p>\n");
    split_free(&r);
    free(html);
}

TEST(configured_delimiter_replaces_the_default)
{
    const char *html = "<p>Lead.</p>\n<p>===</p>\n<p>More.</p>\n<p>&lt;!--more--&gt;</p>\n";
    buf content = BUF_INIT, summary = BUF_INIT;
    bool has = false;
    summary_split(html, strlen(html), "MORE", 300, &content, &summary, &has);
    CHECK(!has);
    CHECK_CONTAINS(buf_cstr(&content), "<p>===</p>");
    buf_reset(&content);
    buf_reset(&summary);
    const char *html2 = "<p>Lead.</p>\n<p>MORE</p>\n<p>More.</p>\n";
    summary_split(html2, strlen(html2), "MORE", 300, &content, &summary, &has);
    CHECK(has);
    CHECK_STR(buf_cstr(&summary), "<p>Lead.</p>\n");
    buf_free(&content);
    buf_free(&summary);
}

TEST(delimiter_inside_code_block_is_not_a_split)
{
    char *html = render("Intro.\n\n```\n===\n```\n\n    ===\n\nEnd.\n");
    split_result r;
    split(html, 300, &r);
    CHECK(!r.has_delimiter);
    CHECK_STR(buf_cstr(&r.content), html);
    CHECK_STR(buf_cstr(&r.summary), html); /* short: the whole content */
    split_free(&r);
    free(html);
}

TEST(setext_underline_is_not_a_split_and_is_detected)
{
    const char *md = "Intro text\n===\n\nRest of the post.\n";
    char *html = render(md);
    CHECK_CONTAINS(html, "<h1>Intro text</h1>");
    split_result r;
    split(html, 300, &r);
    CHECK(!r.has_delimiter);
    CHECK_INT(summary_find_unsplit_delimiter(md, strlen(md), "==="), 2);
    const char *fine = "Intro text\n\n===\n\nRest.\n```\nx\n===\n```\n";
    CHECK_INT(summary_find_unsplit_delimiter(fine, strlen(fine), "==="), 0);
    CHECK_INT(summary_find_unsplit_delimiter(md, strlen(md), "<!-- more -->"), 0);
    /* under a list item the delimiter continues the item's text */
    const char *list = "- item\n===\n\nRest.\n";
    CHECK_INT(summary_find_unsplit_delimiter(list, strlen(list), "==="), 2);
    /* a custom delimiter glued to text is only a continuation, still no split */
    const char *custom = "Lead\nMORE\n\nRest.\n";
    CHECK_INT(summary_find_unsplit_delimiter(custom, strlen(custom), "MORE"), 2);
    split_free(&r);
    free(html);
}

TEST(crlf_source_splits_like_lf)
{
    char *lf = render("Lead paragraph\nsecond line.\n\n===\n\nBody.\n");
    char *crlf = render("Lead paragraph\r\nsecond line.\r\n\r\n===\r\n\r\nBody.\r\n");
    CHECK_STR(crlf, lf);
    split_result r;
    split(crlf, 300, &r);
    CHECK(r.has_delimiter);
    CHECK_STR(buf_cstr(&r.summary), "<p>Lead paragraph\nsecond line.</p>\n");
    split_free(&r);
    free(lf);
    free(crlf);
}

TEST(no_delimiter_truncates_cyrillic_after_300_characters)
{
    buf html = BUF_INIT;
    buf_puts(&html, "<p>");
    for (int i = 0; i < 400; i++) buf_puts(&html, "я");
    buf_puts(&html, "</p>\n");
    split_result r;
    split(buf_cstr(&html), 300, &r);
    CHECK(!r.has_delimiter);
    buf want = BUF_INIT;
    buf_puts(&want, "<p>");
    for (int i = 0; i < 300; i++) buf_puts(&want, "я");
    buf_puts(&want, "\xE2\x80\xA6</p>");
    CHECK_STR(buf_cstr(&r.summary), buf_cstr(&want));
    CHECK_STR(buf_cstr(&r.content), buf_cstr(&html));
    split_free(&r);
    buf_free(&want);
    buf_free(&html);
}

TEST(seed_post_without_delimiter_gets_valid_truncated_summary)
{
    char *md = seed_body(CONFERENCE, "item.kk.md");
    CHECK(md != NULL);
    if (!md) return;
    /* every seed post has a delimiter: take it out */
    char *delim = strstr(md, "\n===\n");
    CHECK(delim != NULL);
    if (delim) memmove(delim, delim + 4, strlen(delim + 4) + 1);
    char *html = render(md);
    split_result r;
    split(html, 300, &r);
    CHECK(!r.has_delimiter);
    const char *s = buf_cstr(&r.summary);
    CHECK(is_valid_utf8(s));
    CHECK(r.summary.len < r.content.len);
    /* every opened <p> is closed and the ellipsis ends the text */
    int open = 0, close = 0;
    for (const char *p = s; (p = strstr(p, "<p>")); p++) open++;
    for (const char *p = s; (p = strstr(p, "</p>")); p++) close++;
    CHECK_INT(open, close);
    CHECK_CONTAINS(s, "\xE2\x80\xA6</p>");
    split_free(&r);
    free(html);
    free(md);
}

TEST(cut_inside_inline_element_closes_it_and_ellipsis_follows)
{
    char *s = truncated("<p>aaa <strong>bbbbb</strong> ccc</p>", 6);
    CHECK_STR(s, "<p>aaa <strong>bb</strong>\xE2\x80\xA6</p>");
    free(s);
    s = truncated("<ul>\n<li>one <em>two three</em></li>\n<li>four</li>\n</ul>", 10);
    CHECK_STR(s, "<ul>\n<li>one <em>two t</em>\xE2\x80\xA6</li></ul>");
    free(s);
}

TEST(trailing_spaces_and_punctuation_give_way_to_ellipsis)
{
    char *s = truncated("<p>Hello, world, again and again.</p>", 13);
    CHECK_STR(s, "<p>Hello, world\xE2\x80\xA6</p>");
    free(s);
    s = truncated("<p>Слово «цитата» — дальше</p>", 16);
    CHECK_STR(s, "<p>Слово «цитата\xE2\x80\xA6</p>");
    free(s);
}

TEST(character_references_count_once_and_are_never_split)
{
    char *s = truncated("<p>&copy;&copy;&copy;&copy; tail</p>", 2);
    CHECK_STR(s, "<p>&copy;&copy;\xE2\x80\xA6</p>");
    free(s);
    s = truncated("<p>a &amp; b c d e f</p>", 4);
    CHECK_STR(s, "<p>a\xE2\x80\xA6</p>");
    free(s);
}

TEST(tags_and_comments_do_not_count_but_whitespace_between_blocks_does)
{
    char *s = truncated("<p><a href=\"/very/long/url/that/is/not/text\">abc</a><!-- a comment -->def</p>\n<p>ghi</p>", 6);
    CHECK_STR(s, "<p><a href=\"/very/long/url/that/is/not/text\">abc</a>def</p>\xE2\x80\xA6");
    free(s);
    /* a paragraph reached with nothing left holds the ellipsis */
    s = truncated("<p>abc</p><p>def</p>", 3);
    CHECK_STR(s, "<p>abc</p><p>\xE2\x80\xA6</p>");
    free(s);
    /* Grav counts the newline after </p>, so text ending exactly at the
     * limit leaves the ellipsis after the paragraph. */
    s = truncated("<p>abc</p>\n<p>def</p>", 3);
    CHECK_STR(s, "<p>abc</p>\xE2\x80\xA6");
    free(s);
}

TEST(short_content_and_zero_size_keep_everything)
{
    const char *html = "<p>Short <em>post</em>.</p>\n<hr />\n<p>End.</p>\n";
    char *s = truncated(html, 300);
    CHECK_STR(s, html);
    free(s);
    s = truncated(html, 0);
    CHECK_STR(s, html);
    free(s);
}

TEST(images_and_breaks_survive_the_cut_when_before_it)
{
    /* 12 characters, the newline after <br /> is the 13th */
    char *s = truncated("<p><img src=\"a.jpg\" alt=\"\" />Caption text<br />\nmore words here</p>", 14);
    CHECK_STR(s, "<p><img src=\"a.jpg\" alt=\"\" />Caption text<br />\nm\xE2\x80\xA6</p>");
    free(s);
    s = truncated("<p>Caption text</p>\n<hr />\n<p>more</p>", 14);
    CHECK_STR(s, "<p>Caption text</p>\n<hr />\n<p>m\xE2\x80\xA6</p>");
    free(s);
}

TEST(unclosed_and_stray_tags_do_not_break_output)
{
    char *s = truncated("<div><p>aaaa</span> bbbb cccc", 6);
    CHECK_STR(s, "<div><p>aaaa b\xE2\x80\xA6</p></div>");
    free(s);
    s = truncated("<p>x < y and more text</p>", 5);
    CHECK_STR(s, "<p>x < y\xE2\x80\xA6</p>");
    free(s);
}

TEST(every_seed_post_splits_at_its_delimiter)
{
    static const char *const posts[] = {
        "2024-05-25-education-exchange-program", "03.2023-01-09-practical-conference",
        "13.2019-07-22-silk-road-central-asia-hematology-forum", "48.2022-11-16-master-class-in-north-kazakhstan",
        "30.2022-04-12-visit-chief-consulting-hematologist",
    };
    static const char *const langs[] = {"item.kk.md", "item.ru.md", "item.en.md"};
    int checked = 0;
    for (size_t p = 0; p < sizeof posts / sizeof posts[0]; p++)
        for (size_t l = 0; l < 3; l++) {
            char dir[512];
            snprintf(dir, sizeof dir, "seed-site/user/pages/02.news/%s", posts[p]);
            char *md = seed_body(dir, langs[l]);
            if (!md) continue;
            char *html = render(md);
            split_result r;
            split(html, 300, &r);
            CHECK(r.has_delimiter);
            CHECK(r.summary.len > 0 && r.summary.len < r.content.len);
            CHECK_INT(summary_find_unsplit_delimiter(md, strlen(md), "==="), 0);
            split_free(&r);
            free(html);
            free(md);
            checked++;
        }
    CHECK_INT(checked, 15);
}

/* Deterministic soup of markup fragments, for robustness tests. */
static void random_markup(unsigned *seed, buf *out, int pieces)
{
    static const char *const frags[] = {
        "<p>", "</p>", "<em>", "</em>", "<img src=\"x\" alt='a>b'>", "&amp;", "&", "<", ">", "[", "]",
        "<div>", "</div>", "<br />", "&copy;", "&#1071;", "\"", "'", "я", "Ж", "\xd1", "<!--", "-->",
        "<code>", "</code>", " ", "\n", "word", ".", ",", "…", "</li>", "<li>", "<ul>", "</span>",
    };
    for (int i = 0; i < pieces; i++) {
        *seed = *seed * 1103515245u + 12345u;
        buf_puts(out, frags[(*seed >> 16) % (sizeof frags / sizeof frags[0])]);
    }
}

TEST(random_markup_never_breaks_truncation)
{
    unsigned seed = 7;
    for (int round = 0; round < 3000; round++) {
        buf html = BUF_INIT, out = BUF_INIT;
        random_markup(&seed, &html, 1 + round % 200);
        size_t size = (size_t)(round % 50);
        summary_truncate_html(buf_cstr(&html), html.len, size, &out);
        /* never longer than the input plus the ellipsis and closing tags */
        CHECK(out.len <= html.len + 3 + 256 * 8);
        buf_free(&html);
        buf_free(&out);
    }
}

/* Grav's safe_truncate_html counts words: runs between white space, each
 * text node its own; the HTML is whole when it has no more. */
TEST(html_is_cut_after_a_number_of_words)
{
    static const char html[] = "<p>Лекция для <em>пациентов</em> о лейкозе.</p><p>Вторая часть.</p>";
    buf out = BUF_INIT;
    summary_truncate_html_words(html, sizeof html - 1, 3, "...", &out);
    CHECK_STR(buf_cstr(&out), "<p>Лекция для <em>пациентов</em>...</p>");
    buf_reset(&out);
    /* the words run out at the end of a paragraph: the next one holds the
     * ellipsis, as in Grav */
    summary_truncate_html_words(html, sizeof html - 1, 5, "…", &out);
    CHECK_STR(buf_cstr(&out), "<p>Лекция для <em>пациентов</em> о лейкозе.</p><p>…</p>");
    buf_reset(&out);
    summary_truncate_html_words(html, sizeof html - 1, 7, "…", &out);
    CHECK_STR(buf_cstr(&out), html);
    buf_reset(&out);
    summary_truncate_html_words(html, sizeof html - 1, 6, "…", &out);
    CHECK_STR(buf_cstr(&out), "<p>Лекция для <em>пациентов</em> о лейкозе.</p><p>Вторая…</p>");
    buf_free(&out);
}

/* A summary shown under a card's title (an h2) has its headings
 * renumbered as an outline under it: "## Part" in a post was an h2 among
 * the cards' h2s, and the donor-day post's "####" right under the title
 * (its "###" comes later) skipped a level. Tags only: <header>, <hr>,
 * text and attributes stay. */
TEST(summary_headings_move_below_the_card_title)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"<h2 id=\"part\">Part</h2><p>x</p><h3>Sub</h3>", "<h3 id=\"part\">Part</h3><p>x</p><h4>Sub</h4>"},
        {"<H1>Big</H1><h5>Small</h5><h6>Least</h6>", "<H3>Big</H3><h4>Small</h4><h5>Least</h5>"},
        {"<h4>For</h4><p>a</p><h4>Against</h4><h3>Then</h3><h4>Under</h4>",
         "<h3>For</h3><p>a</p><h3>Against</h3><h3>Then</h3><h4>Under</h4>"},
        {"<h5>Deep</h5>", "<h3>Deep</h3>"},
        {"<h2>A</h2><h4>B</h4><h3>C</h3><h2>D</h2><h6>E</h6>",
         "<h3>A</h3><h4>B</h4><h4>C</h4><h3>D</h3><h4>E</h4>"},
        {"<h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>",
         "<h3>1</h3><h4>2</h4><h5>3</h5><h6>4</h6><h6>5</h6><h6>6</h6>"},
        {"</h4><h4>x</h4>", "</h4><h3>x</h3>"},
        {"<h3>Already</h3><h4>Fine</h4>", "<h3>Already</h3><h4>Fine</h4>"},
        {"<header><hr><p>h2 &lt;h2&gt; text</p></header>", "<header><hr><p>h2 &lt;h2&gt; text</p></header>"},
        {"<h2\nclass=\"x\">A</h2 >", "<h3\nclass=\"x\">A</h3 >"},
        {"", ""},
        {"<h2", "<h3"},
        {"<", "<"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf out = BUF_INIT;
        if (!summary_headings_from(cases[i].in, strlen(cases[i].in), 3, &out)) buf_puts(&out, cases[i].in);
        if (strcmp(buf_cstr(&out), cases[i].out))
            test_fail(__FILE__, __LINE__, "%s gave %s, expected %s", cases[i].in, buf_cstr(&out), cases[i].out);
        buf_free(&out);
    }
}
