/* test_check.c - `folio check`: each check on a site that triggers it and
 * on one that does not. Sites are written by the tests (sitefix.h). */
#include "build/build.h"
#include "build/output_dir.h"
#include "check/check.h"
#include "lib/utf8.h"
#include "content/site.h"
#include "sitefix.h"
#include "utf8_table.h"
#include "test.h"

#define NOW 1735689600LL /* 1 January 2025 */

#define ONE_LANG {"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\ntimezone: UTC\n"}
#define NEWS_LIST                                                                                            \
    {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n  order:\n    by: date\n" \
                              "    dir: desc\n---\n"}
#define POST_BODY "A post with enough words in it to be worth comparing with the other posts of the site.\n\n===\n\nMore.\n"

/* Load the site written from files, check it, and keep the findings in d. */
static void check_files(const char *const files[][2], diag_list *d)
{
    char *dir = sitefix_make(files);
    diag_init(d);
    site *s = site_load(dir, NOW, d);
    CHECK(s != NULL);
    if (s) check_site(s, NULL, d);
    site_free(s);
    sitefix_remove(dir);
}

static int count_has(diag_list *d, const char *needle)
{
    int n = 0;
    for (size_t i = 0; i < d->len; i++)
        if (strstr(d->items[i].msg, needle)) n++;
    return n;
}

/* ---- text encoding ----------------------------------------------------- */

TEST(utf8_check_accepts_every_script_of_the_site_and_finds_the_first_bad_byte)
{
    const char *good = "Қазақстан, Өскемен, Ұлытау, әліпби; Центр гематологии; naïve; 𝄞 \xf4\x8f\xbf\xbf";
    CHECK_INT(utf8_check(good, strlen(good)), strlen(good));
    static const struct {
        const char *text;
        size_t bad_at;
    } bad[] = {
        {"ok \xcf\xf0\xe8\xe2\xe5\xf2", 3}, /* "Привет" in Windows-1251 */
        {"\xc0\x80", 0},                     /* overlong NUL */
        {"ab\xe0\x80\xaf", 2},               /* overlong '/' */
        {"\xed\xa0\x80", 0},                 /* a surrogate */
        {"x\xf4\x90\x80\x80", 1},            /* above U+10FFFF */
        {"end \xd0", 4},                      /* cut short */
        {"\xd0\x9f\xd1", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(utf8_check(bad[i].text, strlen(bad[i].text)), bad[i].bad_at);
}

/* Texts of 1 to 300 bytes in the site's scripts, at the edges of the
 * code space, with a byte changed, a continuation or lead put in, or
 * cut anywhere: wherever it falls against the 32-byte steps, the first
 * bad byte is the one the table finds. */
TEST(utf8_check_finds_what_the_unicode_table_finds_wherever_the_fault_falls)
{
    static const char *const pieces[] = {"a", " ",
                                         "Ж",
                                         "қ",
                                         "€",
                                         "𝄞",
                                         "\xf4\x8f\xbf\xbf",
                                         "\xee\x80\x80",
                                         "\xed\x9f\xbf",
                                         "\xe0\xa0\x80",
                                         "\xf0\x90\x80\x80",
                                         "\xc2\x80"};
    unsigned char text[320];
    unsigned long seed = 7;
#define NEXT() (seed = seed * 6364136223846793005UL + 1442695040888963407UL, (unsigned)(seed >> 33))
    long differ = 0, bad = 0, rounds = 200000;
    for (long round = 0; round < rounds; round++) {
        size_t n = 0, want = 1 + NEXT() % 300;
        while (n < want) {
            const char *piece = pieces[NEXT() % (sizeof pieces / sizeof *pieces)];
            size_t k = strlen(piece);
            memcpy(text + n, piece, k);
            n += k;
        }
        for (unsigned faults = NEXT() % 3; faults--;) {
            size_t at = NEXT() % n;
            switch (NEXT() % 4) {
            case 0: text[at] = (unsigned char)NEXT(); break;
            case 1: text[at] = (unsigned char)(0x80 | (NEXT() & 0x3F)); break;
            case 2: text[at] = (unsigned char)(0xC0 | (NEXT() & 0x3F)); break;
            default: n = at + 1;
            }
        }
        size_t want_at = utf8_table_check(text, n);
        bad += want_at < n;
        if (utf8_check((const char *)text, n) != want_at && differ++ < 3)
            printf("  %zu bytes: utf8_check %zu, the table %zu\n", n, utf8_check((const char *)text, n), want_at);
    }
#undef NEXT
    CHECK_INT(differ, 0);
    CHECK(bad > rounds / 3 && bad < rounds * 2 / 3); /* both kinds, many of each */
}

/* Editors on Windows save pages in Windows-1251 now and then: the page is
 * reported at its first letter, in words an editor understands, whether
 * the front matter or only the text is in that code page; a page in
 * UTF-8 is not. */
TEST(page_saved_in_windows_1251_is_an_error_on_its_first_letter)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: \xcd\xee\xe2\xee\xf1\xf2\xfc\n---\nText.\n"},
        {"pages/01.news/b/item.md", "---\ntitle: B\n---\n" POST_BODY "\nLine \xcf\xf0\xe8\xe2\xe5\xf2.\n"},
        {"pages/01.news/c/item.md", "---\ntitle: Жаңалық\n---\n" POST_BODY "\nСәлем, әлем! Привет.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    int a = 0, b = 0, c = 0;
    for (size_t i = 0; i < d.len; i++) {
        const diag *x = &d.items[i];
        if (!strstr(x->msg, "not UTF-8 text (saved as Windows-1251")) continue;
        if (strstr(x->path, "/a/")) a += x->line == 2 && x->col == 8;
        if (strstr(x->path, "/b/")) b += x->line == 10 && x->col == 6;
        if (strstr(x->path, "/c/")) c++;
    }
    CHECK_INT(a, 1);
    CHECK_INT(b, 1);
    CHECK_INT(c, 0);
    diag_free(&d);
}

/* A line pasted from a file in another code page into a page written in
 * UTF-8: visitors see it as U+FFFD. Each such line is named, the first
 * five of them, then how many more; the file as a whole is not blamed. */
#define UTF8_TEXT                                                                                            \
    "Лекция для пациентов о лейкозе, о лечении и о жизни после него. Лекция для пациентов о лейкозе, о лечении " \
    "и о жизни после него. Лекция для пациентов о лейкозе.\n"
#define CP1251_LINE "Телефон: \xCF\xF0\xE8\xE2\xE5\xF2\n" /* "Привет" in Windows-1251 */

TEST(lines_pasted_from_another_code_page_are_each_an_error_where_they_start)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/one/item.md", "---\ntitle: One\n---\n" UTF8_TEXT "\n" CP1251_LINE "\nКонец.\n"},
        {"pages/01.news/many/item.md", "---\ntitle: Many\n---\n" UTF8_TEXT "\n" CP1251_LINE CP1251_LINE
                                       "Ок.\n" CP1251_LINE CP1251_LINE CP1251_LINE CP1251_LINE CP1251_LINE},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK_INT(count_has(&d, "the file is not UTF-8"), 0);
    CHECK_INT(count_has(&d, "the text from here is not UTF-8"), 6);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "one/item.md", 6, "visitors see '\uFFFD' in its place"));
    static const int lines[] = {6, 7, 9, 10, 11};
    for (size_t i = 0; i < 5; i++) CHECK(sitefix_has_diag(&d, DIAG_ERROR, "many/item.md", lines[i], "the text from here"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "many/item.md", 12, "2 more lines from here on are not UTF-8 either"));
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].msg, "not UTF-8")) CHECK_INT(d.items[i].col, 10); /* after "Телефон: " */
    diag_free(&d);
}

/* `folio check --lang de` is about the German pages: a broken header in
 * the French file, which loading the site reports, is not among its
 * findings, nor counted; a file every language reads is. */
TEST(check_of_one_language_reports_and_counts_only_its_pages)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [de, fr]\n  default_lang: de\n"},
        {"pages/01.news/blog.de.md", "---\ntitle: Neues\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/blog.fr.md", "---\ntitle: 'L'actualité'\n---\n"},
        {"pages/01.news/a/item.md", "---\ntitle: [A] b\n---\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    int status;
    char *text = sitefix_check(dir, "--lang de", &status);
    CHECK_INT(status, 1);
    CHECK(text && !strstr(text, "blog.fr.md"));
    CHECK(text && strstr(text, "a/item.md:2:8: error:"));
    CHECK(text && strstr(text, "folio check: 2 pages checked; 1 error,"));
    free(text);
    sitefix_remove(dir);
}

/* "[plugin:...](...)" links are for Grav plugins: youtube's is a player
 * only where the site has the plugin; page-inject's, which folio does
 * not run, is a link named "plugin:page-inject", and not a broken link. */
TEST(plugin_links_folio_does_not_turn_into_anything_are_warnings)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n[plugin:youtube](https://youtu.be/dQw4w9WgXcQ)\n\n"
                                    "[plugin:page-inject](/contacts/almaty)\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "a/item.md", 10, "[plugin:youtube] is a video player where the site has "
                                                              "Grav's youtube plugin"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "a/item.md", 12, "[plugin:page-inject] is for a Grav plugin folio does "
                                                              "not run here (page-inject"));
    CHECK_INT(d.errors, 0);
    diag_free(&d);
    /* With the plugin, the page to show must be there. */
    const char *const with[][2] = {
        ONE_LANG, NEWS_LIST,
        {"plugins/page-inject/page-inject.yaml", "enabled: true\n"},
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n[plugin:page-inject](/contacts/almaty)\n\n"
                                    "[plugin:content-inject](/news/b)\n"},
        {"pages/01.news/b/item.md", "---\ntitle: B\n---\nB.\n"},
        {NULL, NULL}};
    check_files(with, &d);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/item.md", 10, "link to '/contacts/almaty'"));
    CHECK_INT(d.errors, 1);
    CHECK(!diag_has(&d, DIAG_WARNING, "plugin:"));
    diag_free(&d);
}

/* The page-toc plugin's mark is text in folio: said where it is. */
TEST(table_of_contents_mark_is_a_warning)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n[TOC]\n\n## One\n\nText [TOC] inside.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "a/item.md", 10, "'[TOC]' is where Grav's page-toc plugin puts a "
                                                              "table of contents, and this site does not have it"));
    CHECK_INT(count_has(&d, "table of contents"), 1);
    diag_free(&d);
    const char *const with[][2] = {
        ONE_LANG, NEWS_LIST,
        {"plugins/page-toc/page-toc.yaml", "enabled: true\n"},
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n[TOC]\n\n## One\n"},
        {NULL, NULL}};
    check_files(with, &d);
    CHECK_INT(count_has(&d, "table of contents"), 0);
    diag_free(&d);
}

/* A missing video or sound file is named as what it is, without its
 * player's actions. */
TEST(missing_video_is_named_a_video_without_its_actions)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n![Тур](tour.mp4?autoplay=1&muted=1)\n\n"
                                    "![Лекция](lecture.mp3)\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/item.md", 10, "video 'tour.mp4' does not exist (not in the page folder)"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/item.md", 12, "sound file 'lecture.mp3' does not exist"));
    diag_free(&d);
}

/* Grav's streams in a page: ![](image://clinic/hall.jpg) is a photo of
 * user/images, published as every file of the user folder a page shows;
 * one that is not there is named, and so is a stream folio does not
 * follow (page://). */
TEST(images_from_grav_streams_are_checked_as_files_of_the_user_folder)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"images/clinic/hall.jpg", "jpeg"},
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n![Зал](image://clinic/hall.jpg)\n\n"
                                    "![Холл](image://clinic/lobby.jpg)\n\n![План](page://01.news/a/plan.png)\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/item.md", 12, "image 'image://clinic/lobby.jpg' is not published: no "
                                                            "such file in the user folder"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/item.md", 14, "image 'page://01.news/a/plan.png' is a file of Grav's "
                                                            "page stream, which folio does not publish: put the file "
                                                            "in the page folder and write its name ('plan.png')"));
    CHECK_INT(d.errors, 2);
    diag_free(&d);
}

/* `folio check` says what the build's Twig would: a page of the center's
 * site includes a template of its PHP theme and calls a function of it. */
TEST(check_reports_what_the_content_twig_of_a_page_would_in_the_build)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/02.order/default.md", "---\ntitle: Заявка\nprocess:\n  twig: true\n---\nТекст.\n\n"
                                      "{% include 'onlineorder_form.html.twig' %}\n\n{{ pricelist_html() }} {{ page.title }}\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    int status;
    char *text = sitefix_check(dir, NULL, &status);
    CHECK_INT(status, 1);
    CHECK(text && strstr(text, "02.order/default.md:8:12: error: unable to find template \"onlineorder_form.html.twig\""));
    CHECK(text && strstr(text, "02.order/default.md:10:4: warning: unknown \"pricelist_html\" function"));
    CHECK(text && strstr(text, "2 pages checked; 1 error,")); /* said once */
    free(text);
    sitefix_remove(dir);
}

/* The center's order form (pages/onlineorder, no number, nothing links
 * to it) is published, but no visitor can get to it. */
TEST(pages_no_menu_list_or_link_leads_to_are_a_note_naming_the_way)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\ntimezone: UTC\n"},
        {"pages/01.home/default.ru.md", "---\ntitle: Главная\n---\nСм. [формуляр](/formulary).\n"},
        {"pages/02.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.news/post/item.ru.md", "---\ntitle: Пост\ndate: '09-01-2023 10:00'\n---\nТекст.\n"},
        {"pages/02.news/post/01.appendix/default.ru.md", "---\ntitle: Приложение\n---\nТекст.\n"},
        {"pages/03.branches/default.ru.md", "---\ntitle: Филиалы\n---\n"},
        {"pages/03.branches/01.astana/default.ru.md", "---\ntitle: Астана\n---\n[Заказ](/onlinepay).\n"},
        {"pages/03.branches/hidden/default.ru.md", "---\ntitle: Скрытая\n---\nТекст.\n"},
        {"pages/03.branches/hidden/01.below/default.ru.md", "---\ntitle: Ниже\n---\nТекст.\n"},
        {"pages/03.branches/shown/default.ru.md", "---\ntitle: Шымкент\nvisible: true\n---\nТекст.\n"},
        {"pages/04.school/default.ru.md",
         "---\ntitle: Школа\ncontent:\n  items: '@self.children'\n  limit: 1\n---\n"},
        {"pages/04.school/01.first/default.ru.md", "---\ntitle: Первая\n---\nТекст.\n"},
        {"pages/04.school/02.second/default.ru.md", "---\ntitle: Вторая\n---\nТекст.\n"},
        {"pages/05.docs/01.sop/default.ru.md", "---\ntitle: СОП\n---\nТекст.\n"},
        {"pages/formulary/default.ru.md", "---\ntitle: Формуляр\n---\nТекст.\n"},
        {"pages/onlinepay/default.en.md", "---\ntitle: Pay\n---\nText.\n"},
        {"pages/onlineorder/default.ru.md", "---\ntitle: Заказ\n---\nТекст.\n"},
        {"pages/draft/default.ru.md", "---\ntitle: Черновик\npublished: false\n---\nТекст.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "pages/onlineorder/default.ru.md", 1,
                           "no menu, list or other page leads here, so visitors find this page only by its address: "
                           "number its folder ('01.name') or set 'visible: true' to put it in the menu"));
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "03.branches/hidden/default.ru.md", 1,
                           "or set 'visible: true' for its parent page to list it, or link to it from a page"));
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "04.school/02.second/default.ru.md", 1,
                           "its parent page's list (content.items) leaves it out"));
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "05.docs/01.sop/default.ru.md", 1,
                           "the folder above it has no published page to list it"));
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "post/01.appendix/default.ru.md", 1,
                           "its parent page is shown as a post or a list, which names no pages under it"));
    /* the menu, a list, a link (in any language: the switcher leads to the
     * others), the news list; and only the topmost of pages under one */
    CHECK_INT(count_has(&d, "no menu, list or other page leads here"), 5);
    diag_free(&d);
    /* with one language checked, the others' links are not known */
    char *dir = sitefix_make(files);
    int status;
    char *text = sitefix_check(dir, "--lang ru", &status);
    CHECK(text && !strstr(text, "leads here"));
    free(text);
    sitefix_remove(dir);
}

/* ---- configuration ----------------------------------------------------- */

/* The center's system.yaml has content_fallback at the top of the file,
 * where Grav does not read it: the fallback meant never happens. */
TEST(language_keys_at_the_top_of_system_yaml_are_a_warning)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk, ru]\n  default_lang: kk\n  content_fallback:\n    ru: kk\n"
                               "content_fallback:\n  kk: ru\n"},
        NEWS_LIST,
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "config/system.yaml", 6, "'content_fallback' is read under 'languages:'"));
    CHECK_INT(count_has(&d, "is read under 'languages:'"), 1);
    diag_free(&d);
}

/* The language settings parse whatever is written, and a slip builds
 * another site than the one meant: a default language missing from the
 * list becomes an empty language of its own; quoted or made-up booleans
 * are read as true. Each is reported on its line. */
TEST(language_settings_that_parse_but_mislead_are_reported_on_their_line)
{
    const char *const bad[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk, ru, en]\n  default_lang: kz\n"
                               "  include_default_lang: \"false\"\n  pages_fallback_only: yes please\n"
                               "  translations_fallback: 1\n"},
        NEWS_LIST,
        {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "languages.default_lang 'kz' is not one of languages.supported (kk, ru, en)"));
    CHECK(diag_has(&d, DIAG_WARNING, "languages.include_default_lang is the text 'false', not a boolean, and is read "
                                     "as true"));
    CHECK(diag_has(&d, DIAG_ERROR, "languages.pages_fallback_only 'yes please' is not a boolean (it is read as true)"));
    CHECK(diag_has(&d, DIAG_WARNING, "languages.translations_fallback is the number 1, not a boolean: write true"));
    int lines_found = 0;
    for (size_t i = 0; i < d.len; i++) {
        const diag *x = &d.items[i];
        if (!strstr(x->path, "config/system.yaml")) continue;
        if (strstr(x->msg, "default_lang")) lines_found += x->line == 3;
        if (strstr(x->msg, "include_default_lang")) lines_found += x->line == 4;
        if (strstr(x->msg, "pages_fallback_only")) lines_found += x->line == 5;
        if (strstr(x->msg, "translations_fallback")) lines_found += x->line == 6;
    }
    CHECK_INT(lines_found, 4);
    diag_free(&d);

    const char *const good[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk, ru, en]\n  default_lang: kk\n"
                               "  include_default_lang: true\n  pages_fallback_only: false\n"},
        NEWS_LIST,
        {NULL, NULL}};
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "languages."));
    CHECK(!diag_has(&d, DIAG_ERROR, "languages."));
    diag_free(&d);
}

/* ---- front matter ------------------------------------------------------ */

TEST(unknown_timezone_is_an_error_on_its_line)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\ntimezone: Asia/Almaty_Typo\n"},
        NEWS_LIST,
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    bool on_line = false;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].msg, "unknown timezone 'Asia/Almaty_Typo'")) on_line = d.items[i].line == 4;
    CHECK(on_line);
    diag_free(&d);
}

/* Front matter that names something the site does not have: a template
 * the theme lacks (the page falls back to 'default'), a slug with a space
 * (an address nobody can type), a redirect to no page. */
TEST(template_slug_and_redirect_that_lead_nowhere_are_reported)
{
    const char *const bad[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\ntemplate: fancy\nslug: Hello World?\nredirect: /nowhere\n---\n"
                                    POST_BODY},
        {"pages/01.news/b/contact.md", "---\ntitle: B\n---\n" POST_BODY},
        {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "template 'fancy' (set by 'template:') is not in the theme"));
    CHECK(diag_has(&d, DIAG_NOTE, "template 'contact' (from the file's name) is not in the theme"));
    CHECK(diag_has(&d, DIAG_WARNING, "slug 'Hello World?' has a space or a character addresses reserve: write it like "
                                     "'hello-world'"));
    CHECK(diag_has(&d, DIAG_ERROR, "redirect to '/nowhere': no such page is published"));
    bool lines = false;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].msg, "fancy")) lines = d.items[i].line == 3;
    CHECK(lines);
    diag_free(&d);

    const char *const good[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\nslug: hello-world\nredirect: /news/b\n---\n" POST_BODY},
        {"pages/01.news/b/item.md", "---\ntitle: B\ntemplate: blog\nredirect: 'https://example.org/x'\n---\n"},
        {"pages/01.news/c/own.md", "---\ntitle: C\n---\n" POST_BODY},
        {"themes/folio/templates/own.html.twig", "{{ page.content|raw }}"},
        {NULL, NULL}};
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "is not in the theme"));
    CHECK(!diag_has(&d, DIAG_NOTE, "is not in the theme"));
    CHECK(!diag_has(&d, DIAG_WARNING, "slug"));
    CHECK(!diag_has(&d, DIAG_ERROR, "redirect"));
    diag_free(&d);
}

TEST(published_yes_please_is_not_a_boolean)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\npublished: yes please\n---\n" POST_BODY},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\npublished: true\n---\n" POST_BODY},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_ERROR,
                   "published 'yes please' is not a boolean: write true or false: the page is not published until"));
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_ERROR, "not a boolean"));
    CHECK_INT(d.errors, 0);
    diag_free(&d);
}

/* Markdown that loses an editor's text without a word: a table whose
 * line of dashes has fewer cells than its first row (md4c shows as many
 * columns as dashes: the last heading is gone), a row with more cells
 * than the table's columns, and an HTML comment never closed (the
 * browser hides the rest of the page). Each is a warning at the text
 * lost; a '|' in code or escaped splits nothing, and a comment in a code
 * block or closed is no finding. */
TEST(table_cells_and_comments_that_lose_text_are_warnings)
{
    const char *const files[][2] = {
        ONE_LANG,
        {"pages/01.schedule/default.md",
         "---\ntitle: Schedule\n---\n| Date | Time | Place |\n|---|---|\n| 9 January | 10:00 | Almaty |\n\n"
         "| a | b |\n|---|---|\n| `x|y` | a \\| b |\n| 1 | 2 | extra |\n\n"
         "```\n<!--\n```\n\n<!-- closed -->\n\nText.\n\n<!-- never closed\n\nHidden.\n"},
        {"pages/02.fine/default.md",
         "---\ntitle: Fine\n---\n| a | b |\n| --- | --- |\n| 1 | 2 |\n| `1|2` | 3 |\n\nText\n\n<!--\nnote\n-->\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.schedule/default.md", 4,
                           "the table's first row has 3 cells and the line of dashes under it 2: only 2 columns are "
                           "shown, and 'Place'"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.schedule/default.md", 11,
                           "this row has 3 cells and the table 2 columns: 'extra'"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "01.schedule/default.md", 10, "cells"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.schedule/default.md", 21, "this comment ('<!--') is never closed"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "02.fine/default.md", 0, ""));
    diag_free(&d);
}

/* "title: Приказ #12 о приёме" is the title "Приказ": YAML reads " #"
 * as a comment. A warning at the '#', with the line in quotes; a title
 * in quotes, or with '#' not after a space, is no finding. */
TEST(title_cut_by_a_yaml_comment_is_a_warning)
{
    const char *const files[][2] = {
        ONE_LANG,
        {"pages/01.order/default.md", "---\ntitle: Приказ #12 о приёме\n---\nText.\n"},
        {"pages/02.quoted/default.md", "---\ntitle: 'Приказ #12'\nmenu: C#\n---\nText.\n"},
        {"pages/03.apostrophe/default.md", "---\ntitle: Women's day #8\n---\nText.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.order/default.md", 2,
                           "YAML reads ' #' as the start of a comment: title is 'Приказ', without '#12 о приёме'; put "
                           "the whole title in quotes: title: 'Приказ #12 о приёме'"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "02.quoted/default.md", 0, "comment"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "03.apostrophe/default.md", 2, "title: \"Women's day #8\""));
    diag_free(&d);
}

/* "default.ru.md" beside "item.ru.md": one file of a language is read
 * (the first by name) and edits to the other change nothing. A warning
 * at the file not read, naming the one that is. */
TEST(second_file_of_a_language_in_a_folder_is_a_warning)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\n"},
        {"pages/01.about/default.ru.md", "---\ntitle: Old\n---\nOld.\n"},
        {"pages/01.about/item.ru.md", "---\ntitle: New\n---\nNew.\n"},
        {"pages/01.about/item.en.md", "---\ntitle: About\n---\nText.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.about/item.ru.md", 1,
                           "not read: 'default.ru.md' in the same folder is the page's file in ru"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "01.about/item.en.md", 0, "not read"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "01.about/default.ru.md", 0, "not read"));
    diag_free(&d);
    /* a file manager's copy sorts before its original, which is the one read */
    const char *const copied[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\n"},
        {"pages/01.about/Copy of item.ru.md", "---\ntitle: Old\n---\nOld.\n"},
        {"pages/01.about/item.ru.md", "---\ntitle: New\n---\nNew.\n"},
        {NULL, NULL}};
    check_files(copied, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.about/Copy of item.ru.md", 1,
                           "not read: 'item.ru.md' in the same folder is the page's file in ru"));
    diag_free(&d);
}

/* A phone number, an e-mail address or another site's address written
 * as a link without its scheme leads nowhere (or is text, with spaces):
 * check says what to write. A file or a page of the site is no such
 * case. */
TEST(phone_mail_and_site_addresses_without_a_scheme_say_what_to_write)
{
    const char *const files[][2] = {
        ONE_LANG,
        {"pages/01.contacts/default.md",
         "---\ntitle: Contacts\n---\n[Call](+7 727 000 00 00) [mail](info@hematology.kz) "
         "[site](hematology.kz/ru/news) [www](www.hematology.kz) [tel](+77270000000)\n\n"
         "[price](price.pdf) [about](../about) [ok](tel:+77270000000) [ok](mailto:info@hematology.kz)\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.contacts/default.md", 4,
                           "address '+7 727 000 00 00' has a space, so Markdown shows the link as text; for a phone "
                           "number, write 'tel:+77270000000'"));
    CHECK(diag_has(&d, DIAG_ERROR,
                   "link to 'info@hematology.kz' leads nowhere: for an e-mail address, write 'mailto:info@hematology.kz'"));
    CHECK(diag_has(&d, DIAG_ERROR, "for another site's address, write 'https://hematology.kz/ru/news'"));
    CHECK(diag_has(&d, DIAG_ERROR, "for another site's address, write 'https://www.hematology.kz'"));
    CHECK(diag_has(&d, DIAG_ERROR, "link to '+77270000000' leads nowhere: for a phone number, write 'tel:+77270000000'"));
    CHECK(diag_has(&d, DIAG_ERROR, "link to 'price.pdf': no such file in the page folder"));
    CHECK(diag_has(&d, DIAG_ERROR, "link to '../about': no such page is published"));
    CHECK_INT(d.errors, 6);
    diag_free(&d);
}

/* "Item.ru.md" asks for template 'Item', which the theme has as 'item':
 * the post lost its date and neighbours with no more than a note.
 * "item.ru.MD" is no page file at all, and was published for download
 * (a draft too). Each is a warning saying how to name the file. */
TEST(page_file_names_in_other_letters_say_how_to_name_them)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\n"},
        {"pages/01.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.a/Item.ru.md", "---\ntitle: A\ndate: '09-01-2023 10:00'\n---\n" POST_BODY},
        {"pages/01.news/02.b/item.en.md", "---\ntitle: B\ndate: '09-01-2023 10:00'\n---\n" POST_BODY},
        {"pages/01.news/02.b/item.ru.MD", "---\ntitle: Б\npublished: false\n---\nЧерновик.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.a/Item.ru.md", 1,
                           "the file's name 'Item.ru.md' asks for template 'Item', which the theme has as 'item' (names "
                           "are read letter for letter): rename the file 'item.ru.md'"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "02.b/item.ru.MD", 1,
                           "not published: a page's text is read from a file ending in '.md', in small letters: rename "
                           "it 'item.ru.md'"));
    diag_free(&d);
}

/* "- kz" (Kazakhstan) for Kazakh, "KK" in capitals: a language of its
 * own that no page file names, and the Kazakh pages not read. */
TEST(country_codes_and_capitals_in_the_languages_are_warnings)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kz, RU, en]\n  default_lang: kz\n"},
        {"pages/01.home/default.en.md", "---\ntitle: Home\n---\nText.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "config/system.yaml", 2,
                           "languages.supported has 'kz', a country's code: Kazakh is 'kk' (page files item.kk.md, "
                           "addresses /kk/)"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "config/system.yaml", 2,
                           "languages.supported has 'RU': language codes are written in small letters, 'ru'"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "config/system.yaml", 0, "has 'en'"));
    diag_free(&d);
}

/* Hashtags pasted from a social network at the end of a post
 * ("#гематология #здоровье") are a heading in Grav's Markdown, which
 * takes '#' before a word for one: a warning with the line to write.
 * "#Title" alone (a heading typed without its space) is no finding. */
TEST(hashtags_read_as_a_heading_are_a_warning)
{
    const char *const files[][2] = {
        ONE_LANG,
        {"pages/01.post/default.md",
         "---\ntitle: Post\n---\nText.\n\n#гематология #здоровье\n\n#Title\n\n# Heading #1\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.post/default.md", 6,
                           "'#гематология #здоровье' is shown as a heading: Markdown takes '#' at the start of a line "
                           "for one; for hashtags, write '\\#гематология #здоровье'"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "01.post/default.md", 8, "heading"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "01.post/default.md", 10, "heading"));
    diag_free(&d);
}

/* A folder named "Конференция 2023 " gives the page that address, space
 * and all, as in Grav: a warning once a page, with the name to give it.
 * A slug that renames the page leaves the folder's name unused. */
TEST(folder_name_with_a_space_is_a_warning_once)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\n"},
        {"pages/01.Конференция 2023 /default.ru.md", "---\ntitle: Конференция\n---\nТекст.\n"},
        {"pages/01.Конференция 2023 /default.en.md", "---\ntitle: Conference\n---\nText.\n"},
        {"pages/02.Our Team/default.ru.md", "---\ntitle: Команда\nslug: team\n---\nТекст.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "Конференция 2023 /default.ru.md", 1,
                           "the folder's name '01.Конференция 2023 ' has a space or a character addresses reserve, and "
                           "the page's address has it too ('/ru/конференция 2023 /'): rename the folder "
                           "'01.Конференция-2023', or give the page 'slug: Конференция-2023'"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "Конференция 2023 /default.en.md", 0, "folder's name"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "Our Team/default.ru.md", 0, "folder's name"));
    diag_free(&d);
}

/* "====", "==" or full-width "＝＝＝" for the delimiter "===": no
 * summary, and the line shows on the page. A warning at it (and not the
 * note that the post has no delimiter); "=====" under a line of text is
 * a heading's underline, and "===" in code is code. */
TEST(summary_delimiter_lookalike_is_a_warning)
{
    static const char *const lines[] = {"====", "==", "\xEF\xBC\x9D\xEF\xBC\x9D\xEF\xBC\x9D"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char post[512];
        snprintf(post, sizeof post, "---\ntitle: A\ndate: '09-01-2023 10:00'\n---\n%s\n\n%s\n\nMore.\n",
                 "A post with enough words in it to be worth a summary of its own in the list of the news of the "
                 "site, longer than the three hundred characters the list shows of a post that has no delimiter "
                 "at all in it, so that the list would cut it somewhere in the middle of a sentence, which is "
                 "what editors mean to avoid by writing the delimiter.",
                 lines[i]);
        const char *const files[][2] = {ONE_LANG, NEWS_LIST, {"pages/01.news/a/item.md", post}, {NULL, NULL}};
        diag_list d;
        check_files(files, &d);
        if (!sitefix_has_diag(&d, DIAG_WARNING, "a/item.md", 7, "is not the summary delimiter '==='"))
            test_fail(__FILE__, __LINE__, "line %zu: no warning", i);
        CHECK(!diag_has(&d, DIAG_NOTE, "no summary delimiter"));
        diag_free(&d);
    }
    const char *const fine[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\nTitle\n=====\n\n```\n====\n```\n\nText.\n\n===\n\nMore.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(fine, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "summary delimiter"));
    diag_free(&d);
}

/* "<b>" pasted without its "</b>" makes the rest of the text bold: a
 * warning at the tag, once a page; tags closed, or a "<b>" in code, are
 * no finding. */
TEST(formatting_tag_never_closed_is_a_warning)
{
    const char *const files[][2] = {
        ONE_LANG,
        {"pages/01.a/default.md", "---\ntitle: A\n---\nText <b>bold</b>.\n\nMore <b>important.\n\nAnd <i>on.\n"},
        {"pages/02.b/default.md", "---\ntitle: B\n---\nText <b>bold</b>, `<b>` in code.\n\n<div><strong>x</strong></div>\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.a/default.md", 6,
                           "'<b>' is opened and never closed with '</b>': browsers carry it on over the rest of the "
                           "text (folio closes it at the text's end)"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "01.a/default.md", 0, "'<i>'"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "02.b/default.md", 0, "never closed"));
    diag_free(&d);
}

/* folio build says that without a site url it writes no feeds and no
 * sitemap; folio check said nothing of it. */
TEST(site_without_a_url_is_a_note_of_check_too)
{
    const char *const without[][2] = {ONE_LANG, {"pages/01.a/default.md", "---\ntitle: A\n---\nText.\n"}, {NULL, NULL}};
    const char *const with[][2] = {ONE_LANG, {"config/site.yaml", "title: T\nurl: https://example.org\n"},
                                   {"pages/01.a/default.md", "---\ntitle: A\n---\nText.\n"}, {NULL, NULL}};
    diag_list d;
    check_files(without, &d);
    CHECK(diag_has(&d, DIAG_NOTE, "no site URL (config/site.yaml 'url'): folio build writes no feeds and no sitemap.xml"));
    diag_free(&d);
    check_files(with, &d);
    CHECK(!diag_has(&d, DIAG_NOTE, "no site URL"));
    diag_free(&d);
}

/* A pages folder copied without its config/: every file named for a
 * language is not read (a warning each), and one note gives the lines
 * that publish them. */
TEST(page_files_named_for_languages_the_site_lacks_give_the_config_to_write)
{
    const char *const files[][2] = {
        {"pages/01.news/01.a/item.kk.md", "---\ntitle: A\n---\nText.\n"},
        {"pages/01.news/01.a/item.ru.md", "---\ntitle: A\n---\nText.\n"},
        {"pages/01.news/02.b/item.ru.md", "---\ntitle: B\n---\nText.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "config/system.yaml", 0,
                           "the page files are named for the languages kk, ru (item.kk.md), which the site does not "
                           "list: to publish them, write in this file 'languages: {supported: [kk, ru], default_lang: "
                           "kk}'"));
    CHECK_INT(count_has(&d, "the page files are named for the languages"), 1);
    diag_free(&d);
}

TEST(yaml_that_does_not_parse_is_an_error)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: [unclosed\n---\n" POST_BODY},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: '[closed]'\n---\n" POST_BODY},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(d.errors >= 1);
    bool in_the_file = false;
    for (size_t i = 0; i < d.len; i++)
        if (d.items[i].level == DIAG_ERROR && d.items[i].path && strstr(d.items[i].path, "a/item.md")) in_the_file = true;
    CHECK(in_the_file);
    diag_free(&d);
    check_files(good, &d);
    CHECK_INT(d.errors, 0);
    diag_free(&d);
}

/* The slips of front matter written by hand are named where they are,
 * in the Markdown file's own lines. */
TEST(yaml_slip_is_explained_on_its_line_in_the_page)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: 'Doctor's day'\n---\n" POST_BODY},
                                  {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    bool there = false;
    for (size_t i = 0; i < d.len; i++)
        if (d.items[i].level == DIAG_ERROR && strstr(d.items[i].msg, "apostrophe inside '...' is written twice"))
            there = d.items[i].line == 2 && d.items[i].col == 15;
    CHECK(there);
    diag_free(&d);
}

#define THREE_LANGS \
    {"config/system.yaml", "languages:\n  supported: [kk, ru, en]\n  default_lang: kk\ntimezone: Asia/Almaty\n"}

/* "kz" is Kazakhstan's country code, "kk" its language's: Grav reads no
 * page from item.kz.md (a page file's name is item.md or item.<language>.md
 * for one of the site's languages), so the post is missing in Kazakh. Build
 * and check say so, with the name meant when it looks like a language. */
TEST(file_named_for_a_language_the_site_does_not_have_suggests_the_one_meant)
{
    const char *const bad[][2] = {
        THREE_LANGS,
        {"pages/01.news/blog.kk.md", "---\ntitle: Жаңалықтар\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/a/item.kz.md", "---\ntitle: A\n---\n" POST_BODY},
        {"pages/01.news/a/item.ru.md", "---\ntitle: A\n---\n" POST_BODY},
        {"pages/01.news/b/item.rus.md", "---\ntitle: B\n---\n" POST_BODY},
        {"pages/01.news/c/item.old.md", "---\ntitle: C\n---\n" POST_BODY},
        {"pages/01.news/d/item.kk.md", "---\ntitle: D\n---\n" POST_BODY},
        {"pages/01.news/d/item.old.md", "---\ntitle: D, the previous text\n---\n" POST_BODY},
        {"pages/01.news/e/my.item.kk.md", "---\ntitle: E\n---\n" POST_BODY},
        {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.news/a/item.kz.md", 1,
                      "'kz' in the file's name is not a language of the site (kk, ru, en): did you mean 'item.kk.md'? "
                      "As it is, the file is not read"));
    CHECK(diag_has(&d, DIAG_WARNING, "'rus' in the file's name is not a language of the site (kk, ru, en): did you "
                                     "mean 'item.ru.md'?"));
    /* Not like a language: the folder has no page (a warning), or the file
     * sits beside the page's own (a note: a copy kept on purpose). */
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.news/c/item.old.md", 1,
                      "not read: a page's file is named 'item.md', or 'item.<language>.md' for one of the site's "
                      "languages (kk, ru, en)"));
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "01.news/d/item.old.md", 1, "not read: a page's file is named 'item.md'"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "01.news/e/my.item.kk.md", 1, "not read: a page's file is named 'my.md'"));
    CHECK(!diag_has(&d, DIAG_NOTE, "template 'item.kz'"));
    CHECK(!diag_has(&d, DIAG_NOTE, "template 'item.old'"));
    diag_free(&d);

    const char *const good[][2] = {
        THREE_LANGS,
        {"pages/01.news/blog.kk.md", "---\ntitle: Жаңалықтар\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/a/item.kk.md", "---\ntitle: A\n---\n" POST_BODY},
        {"pages/01.news/a/item.ru.md", "---\ntitle: A\n---\n" POST_BODY},
        {"pages/01.news/a/item.en.md", "---\ntitle: A\n---\n" POST_BODY},
        {NULL, NULL}};
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "in the file's name"));
    diag_free(&d);
}

/* Link syntax that Markdown (Grav's as well as folio's) leaves as text:
 * a space in the address, as in a photo named by a phone, or between
 * "]" and "(". The editor sees the brackets on the page; check says why. */
TEST(link_syntax_markdown_leaves_as_text_is_a_warning_with_the_fix)
{
    const char *const bad[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n![Фото](фото 1.jpg)\n\n"
                                    "See [the programme](https://example.org/a b) and [*the form*](form 2.pdf).\n\n"
                                    "Our [site] (https://example.org/).\n"},
        {"pages/01.news/a/фото 1.jpg", "x"},
        {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "the image's address 'фото 1.jpg' has a space, so Markdown shows the image as "
                                     "text: write 'фото%201.jpg' or '<фото 1.jpg>'"));
    CHECK(diag_has(&d, DIAG_WARNING, "the link's address 'https://example.org/a b' has a space"));
    CHECK(diag_has(&d, DIAG_WARNING, "the address 'form 2.pdf' has a space, so Markdown shows it as text"));
    CHECK(diag_has(&d, DIAG_WARNING, "a space between ']' and '(', so Markdown shows this link as text"));
    int line = 0, col = 0;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].msg, "'фото 1.jpg'")) line = d.items[i].line, col = d.items[i].col;
    CHECK_INT(line, 10);
    CHECK_INT(col, 9);
    diag_free(&d);

    const char *const good[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n![Фото](<фото 1.jpg>) ![Фото](фото%201.jpg)\n\n"
                                    "[The form](form.pdf \"Form, 1 page\"), as said [1] (see above).\n\n"
                                    "`[x](a b)`\n\n```\n![x](y z.jpg)\n```\n\n[Site]({{ site.url }}) is Twig, said apart.\n"},
        {"pages/01.news/a/фото 1.jpg", "x"},
        {"pages/01.news/a/form.pdf", "%PDF"},
        {NULL, NULL}};
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "has a space"));
    CHECK(!diag_has(&d, DIAG_WARNING, "a space between"));
    diag_free(&d);
}

/* With slashes PHP reads the month first (01/09/2023 is 9 January), as
 * Grav and folio do; editors in Kazakhstan mean the day first. Said when
 * both readings are dates and differ, with the way to write the other. */
TEST(slash_date_read_month_first_is_a_warning_when_the_day_could_be_meant)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\ndate: '01/09/2023'\n---\n" POST_BODY},
        {"pages/01.news/b/item.md", "---\ntitle: B\ndate: '09/09/2023'\npublish_date: '09-01-2023 10:00'\n---\n"
                                    "Another post, long enough to be compared with the first one of the site.\n"},
        {"pages/01.news/c/item.md", "---\ntitle: C\ndate: '12/25/2023 10:00'\n---\n"
                                    "A third post, which is also long enough to be compared with the others here.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "date '01/09/2023' is read as 9 January 2023 (with slashes the month comes "
                                     "first): if 1 September 2023 is meant, write '01-09-2023'"));
    int line = 0;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].msg, "with slashes")) line = d.items[i].line;
    CHECK_INT(line, 3);
    CHECK_INT(count_has(&d, "with slashes"), 1); /* not 09/09, not 12/25 (no 25th month) */
    diag_free(&d);
}

/* A folder's frontmatter.yaml is front matter too: its slips are told on
 * its own lines, once, however many language files it is under. */
TEST(frontmatter_yaml_keys_are_checked_on_their_own_lines)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk, ru]\ntimezone: Asia/Almaty\n"},
        {"pages/01.news/blog.kk.md", "---\ntitle: Жаңалықтар\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/a/frontmatter.yaml", "date: '09-01-2023 10:00'\npublisehd: true\nvisible: 'yes'\n"},
        {"pages/01.news/a/item.kk.md", "---\ntitle: A\n---\n" POST_BODY},
        {"pages/01.news/a/item.ru.md", "---\ntitle: A\n---\n" POST_BODY},
        {"pages/01.news/b/frontmatter.yaml", "title: B\ndate: '31-02-2023'\nroutes:\n  default: 'no slash'\n"},
        {"pages/01.news/b/item.kk.md", "---\ntitle: B\n---\nAnother text, long enough to be compared with A's.\n"},
        {"pages/01.news/b/item.ru.md", "---\ntitle: B\n---\nAnother text, long enough to be compared with A's.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "a/frontmatter.yaml", 2, "unknown key 'publisehd': did you mean 'published'?"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "b/frontmatter.yaml", 2, "date '31-02-2023' is not a date"));
    CHECK_INT(count_has(&d, "'31-02-2023' is not a date"), 1);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "b/frontmatter.yaml", 3, "routes.default 'no slash' is not a route"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/frontmatter.yaml", 3, "visible 'yes' is not a boolean"));
    CHECK_INT(count_has(&d, "publisehd"), 1);
    diag_free(&d);
}

/* A site that says how it writes dates (system.yaml pages.dateformat.
 * default, as Grav's Utils::date2timestamp reads it) has them read so:
 * 01/09/2023 is 1 September, and nothing is said about it. */
TEST(site_dateformat_reads_slash_dates_day_first)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\ntimezone: Asia/Almaty\npages:\n  dateformat:\n"
                               "    default: 'd/m/Y H:i'\n"},
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/a/item.md", "---\ntitle: A\ndate: '01/09/2023 10:00'\n---\n" POST_BODY},
        {NULL, NULL}};
    diag_list d;
    diag_init(&d);
    char *dir = sitefix_make(files);
    site *s = site_load(dir, NOW, &d);
    CHECK(s != NULL);
    const page_version *a = s ? site_find_route(s, 0, "/news/a") : NULL;
    CHECK(a && a->date == 1693540800LL); /* 1 September 2023, 10:00 in Almaty */
    if (s) check_site(s, NULL, &d);
    CHECK_INT(count_has(&d, "with slashes"), 0);
    site_free(s);
    sitefix_remove(dir);
    diag_free(&d);
}

/* A folder with files but no page file is not a page (for Grav too):
 * nothing in it is published. Windows, which hides extensions, saves
 * "item.ru.md" as "item.ru.md.txt"; beside a page such a file would be
 * published for anyone to download. */
TEST(folder_without_page_file_and_text_saved_as_txt_are_reported)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md.txt", "---\ntitle: A\n---\n" POST_BODY},
        {"pages/01.news/a/photo.jpg", "x"},
        {"pages/01.news/b/photo.jpg", "x"},
        {"pages/01.news/c/item.md", "---\ntitle: C\n---\n" POST_BODY "\n![Photo](photo.jpg)\n"},
        {"pages/01.news/c/photo.jpg", "x"},
        {"pages/01.news/c/item.fr.md.txt", "---\ntitle: C\n---\nDraft.\n"},
        {"pages/01.news/d/item.MD", "---\ntitle: D\n---\n" POST_BODY},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "not a page file, so this folder is not a page and nothing in it is published: "
                                     "name it 'item.md'"));
    CHECK_INT(count_has(&d, "name it 'item.md'"), 2); /* a/item.md.txt and d/item.MD */
    CHECK(diag_has(&d, DIAG_NOTE, "no page file (like item.en.md) in this folder: it is not a page, and its 1 file "
                                  "is not published"));
    CHECK(diag_has(&d, DIAG_WARNING, "a page's text saved with '.txt' after '.md' is not a page file: it is "
                                     "published as a file anyone can download, and the page does not have it; name "
                                     "it 'item.fr.md'"));
    CHECK(!diag_has(&d, DIAG_WARNING, "media file not used"));
    diag_free(&d);
}

/* "title:" left empty: Grav shows the folder's name (PHP's empty(), so
 * '' too), and the editor is told. */
TEST(empty_title_is_a_warning_and_the_page_shows_its_folder_name)
{
    const char *const files[][2] = {ONE_LANG, NEWS_LIST,
                                    {"pages/01.news/conference/item.md", "---\ntitle: ''\n---\n" POST_BODY},
                                    {"pages/01.news/b/item.md", "---\ntitle:\n---\n" POST_BODY "\nOther.\n"},
                                    {"pages/01.news/c/item.md", "---\ntitle: Named\n---\nA third text.\n"},
                                    {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "the title is empty: the page is shown as 'Conference'"));
    CHECK(diag_has(&d, DIAG_WARNING, "the title is empty: the page is shown as 'B'"));
    CHECK_INT(count_has(&d, "the title is empty"), 2);
    diag_free(&d);
}

/* Grav answers "/news/b.html" with the page /news/b: such a link is a
 * link to the page, in check and in the page. */
TEST(link_to_a_page_with_an_html_extension_is_the_page)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n[B](/news/b.html) [B](../b.htm) [no](/news/c.html)\n"},
        {"pages/01.news/b/item.md", "---\ntitle: B\n---\nAnother post, long enough to be compared with the first one.\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK_INT(count_has(&d, "no such page is published"), 1);
    CHECK(diag_has(&d, DIAG_ERROR, "link to '/news/c.html': no such page is published"));
    diag_free(&d);
}

TEST(quoted_true_and_numbers_for_visible_are_warnings_not_errors)
{
    const char *const files[][2] = {ONE_LANG, NEWS_LIST,
                                    {"pages/01.news/a/item.md", "---\nvisible: 'true'\nrouteable: 1\nroutable: 1\n---\n"
                                                                POST_BODY},
                                    {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "visible is the text 'true'"));
    CHECK(diag_has(&d, DIAG_WARNING, "routable is the number 1"));
    CHECK_INT(d.errors, 0);
    diag_free(&d);
}

TEST(date_that_is_not_a_date_is_an_error_with_its_line)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\ndate: next tuesday\n---\n" POST_BODY},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\ndate: 09-01-2023 10:00\n---\n" POST_BODY},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "'next tuesday' is not a date"));
    bool on_line_3 = false;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].msg, "not a date")) on_line_3 = d.items[i].line == 3;
    CHECK(on_line_3);
    diag_free(&d);
    check_files(good, &d);
    CHECK_INT(d.errors, 0);
    diag_free(&d);
}

TEST(taxonomy_must_be_a_map)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntaxonomy: news\n---\n" POST_BODY}, {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntaxonomy:\n  category: [news]\n---\n" POST_BODY},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "taxonomy is text; it must be a map"));
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_ERROR, "taxonomy"));
    diag_free(&d);
}

TEST(misspelt_known_key_is_a_warning_but_other_unknown_keys_are_fine)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\npublisehd: false\nhide_page_titel: true\ntitel: A\n---\n" POST_BODY},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\nsponsor: Acme\ndata: 1\ngallery_style: wide\n---\n" POST_BODY},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "unknown key 'publisehd': did you mean 'published'?"));
    CHECK(diag_has(&d, DIAG_WARNING, "unknown key 'hide_page_titel': did you mean 'hide_page_title'?"));
    CHECK(diag_has(&d, DIAG_WARNING, "unknown key 'titel': did you mean 'title'?"));
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "unknown key"));
    diag_free(&d);
}

/* ---- routes and duplicates --------------------------------------------- */

TEST(two_pages_on_one_route_is_an_error)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/01.post/item.md", "---\ntitle: A\n---\nfirst " POST_BODY},
                                  {"pages/01.news/02.post/item.md", "---\ntitle: B\n---\nsecond " POST_BODY},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/01.post/item.md", "---\ntitle: A\n---\nfirst " POST_BODY},
                                   {"pages/01.news/02.other/item.md", "---\ntitle: B\n---\nsecond " POST_BODY},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "two pages on route '/news/post'"));
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_ERROR, "two pages on route"));
    diag_free(&d);
}

TEST(same_post_in_two_folders_is_found_whatever_the_whitespace)
{
    const char *const bad[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/2023-01-09-conference/item.md", "---\ntitle: Conference\n---\n" POST_BODY},
        {"pages/01.news/2023-01-09-conference-copy/item.md", "---\ntitle: Conference (copy)\n---\n\n" POST_BODY "  \n"},
        {NULL, NULL}};
    const char *const good[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/2023-01-09-conference/item.md", "---\ntitle: Conference\n---\n" POST_BODY},
        {"pages/01.news/2023-02-01-seminar/item.md", "---\ntitle: Seminar\n---\nAnother text. " POST_BODY},
        {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK_INT(count_has(&d, "is this post in two folders?"), 1);
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "two folders"));
    diag_free(&d);
}

/* Posts that begin alike (a long common introduction) are different posts;
 * only the whole text decides, however long the common part is. */
TEST(posts_alike_at_the_start_but_not_at_the_end_are_not_duplicates)
{
    buf common = BUF_INIT;
    while (common.len < 6000) buf_puts(&common, "Центр гематологии провёл конференцию для врачей и медсестёр. ");
    buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
    buf_printf(&a, "---\ntitle: A\n---\n%s\n\nThe first ending.\n", buf_cstr(&common));
    buf_printf(&b, "---\ntitle: B\n---\n%s\n\nA different ending.\n", buf_cstr(&common));
    /* A re-wrapped copy of A: the same words, other line breaks. */
    buf_printf(&c, "---\ntitle: C\n---\n\n%s\n\nThe first\nending.\n", buf_cstr(&common));
    const char *const files[][2] = {ONE_LANG, NEWS_LIST,
                                    {"pages/01.news/01.a/item.md", buf_cstr(&a)},
                                    {"pages/01.news/02.b/item.md", buf_cstr(&b)},
                                    {"pages/01.news/03.c/item.md", buf_cstr(&c)},
                                    {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK_INT(count_has(&d, "is this post in two folders?"), 1);
    bool c_named = false;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].msg, "two folders") && strstr(d.items[i].path, "03.c") && strstr(d.items[i].msg, "01.a"))
            c_named = true;
    CHECK(c_named);
    diag_free(&d);
    buf_free(&common);
    buf_free(&a);
    buf_free(&b);
    buf_free(&c);
}

/* ---- links, anchors, media ---------------------------------------------- */

TEST(link_to_a_page_that_does_not_exist_is_an_error)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\nСм. [другое](../missing).\n"},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\nSee [b](../b), [news](/news) "
                                                               "and [site](https://example.org/x).\n"},
                                   {"pages/01.news/b/item.md", "---\ntitle: B\n---\nB text\n"},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "link to '../missing': no such page"));
    bool right_place = false;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].msg, "../missing")) right_place = d.items[i].line == 10 && d.items[i].col == 14;
    CHECK(right_place);
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_ERROR, "link to"));
    diag_free(&d);
}

/* A slug mistyped by a letter or two gets the link that would work, in
 * the author's own form; a name unlike any sibling gets no guess. */
TEST(link_to_a_mistyped_page_suggests_the_sibling_it_likely_meant)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/02.contacts/default.md", "---\ntitle: Contacts\n---\nPhones.\n"},
        {"pages/01.news/conference-2023/item.md", "---\ntitle: C\n---\nC text\n"},
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                    "\nSee [c](../conference-2032), [d](../../contcts/), [e](/news/conferense-2023) "
                                    "and [f](../annual-report).\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "link to '../conference-2032': no such page is published; did you mean "
                                   "'../conference-2023'?"));
    CHECK(diag_has(&d, DIAG_ERROR, "link to '../../contcts/': no such page is published; did you mean '../../contacts/'?"));
    CHECK(diag_has(&d, DIAG_ERROR, "did you mean '/news/conference-2023'?"));
    CHECK(diag_has(&d, DIAG_ERROR, "link to '../annual-report': no such page is published"));
    CHECK(!diag_has(&d, DIAG_ERROR, "'../annual-report': no such page is published; did you mean"));
    CHECK_INT(d.errors, 4);
    diag_free(&d);
}

/* Markdown exported from a desktop editor links files on the author's own
 * disk, which no visitor can open, or writes Windows paths. */
TEST(links_to_the_authors_own_disk_and_backslash_paths_are_errors)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                    "\n![Hall](file:///C:/Users/editor/hall.jpg) ![Desk](C:\\Users\\editor\\desk.jpg)\n"
                                    "\n[Price list](docs\\prices.pdf), [site](https://example.org/a), [mail](mailto:a@b.kz)\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "image 'file:///C:/Users/editor/hall.jpg' is a file on the author's computer"));
    CHECK(diag_has(&d, DIAG_ERROR, "image 'C:\\Users\\editor\\desk.jpg' is a file on the author's computer"));
    CHECK(diag_has(&d, DIAG_ERROR, "link 'docs\\prices.pdf' has a backslash: web addresses use '/'"));
    CHECK_INT(d.errors, 3);
    diag_free(&d);
}

/* Links copied from the browser name the site by its full address: they
 * are checked like the site's own (any scheme, with or without "www."),
 * and reported as written; other sites are not checked. */
TEST(links_to_this_site_by_its_full_address_are_checked)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"config/site.yaml", "url: https://hematology.kz/\n"},
        {"pages/01.news/b/item.md", "---\ntitle: B\n---\nB text\n"},
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                    "\n[ok](https://hematology.kz/news/b), [home](https://hematology.kz), "
                                    "[gone](http://www.hematology.kz/news/c/), [other](https://other.kz/news/c)\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "link to 'http://www.hematology.kz/news/c/': no such page is published"));
    bool col_ok = false;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].msg, "www.hematology.kz")) col_ok = d.items[i].line == 10 && d.items[i].col == 75;
    CHECK(col_ok);
    CHECK_INT(d.errors, 1);
    diag_free(&d);
}

TEST(links_and_images_in_raw_html_are_checked_too)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                                              "\n<div class=\"box\">\n<a href=\"../gone\">x</a>\n"
                                                              "<img src=\"lost.jpg\" alt=\"Lost\">\n</div>\n"},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                                               "\n<div class=\"box\">\n<a href=\"../b\">x</a>\n"
                                                               "<img src=\"here.jpg\" alt=\"Here\">\n</div>\n"},
                                   {"pages/01.news/a/here.jpg", "jpeg"},
                                   {"pages/01.news/b/item.md", "---\ntitle: B\n---\nB text\n"},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "link to '../gone': no such page"));
    CHECK(diag_has(&d, DIAG_ERROR, "image 'lost.jpg' does not exist"));
    diag_free(&d);
    check_files(good, &d);
    CHECK_INT(d.errors, 0);
    CHECK(!diag_has(&d, DIAG_WARNING, "not used"));
    diag_free(&d);
}

TEST(anchor_without_a_matching_id_is_an_error_in_this_page_and_others)
{
    const char *const bad[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n[up](#top) and [b](../b#prices)\n"},
        {"pages/01.news/b/item.md", "---\ntitle: B\n---\n<h2 id=\"costs\">Costs</h2>\n"},
        {NULL, NULL}};
    const char *const good[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n<a name=\"top\"></a>\n\n" POST_BODY "\n[up](#top) and [b](../b#prices)\n"},
        {"pages/01.news/b/item.md", "---\ntitle: B\n---\n<h2 id=\"prices\">Prices</h2>\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "this page has no element with id 'top'"));
    CHECK(diag_has(&d, DIAG_ERROR, "has no element with id 'prices'"));
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_ERROR, "no element with id"));
    diag_free(&d);
}

TEST(missing_image_and_missing_file_are_errors)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                                              "\n![Photo](photo.jpg)\n\n[Programme](programme.pdf)\n"},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                                               "\n![Photo](photo.jpg)\n\n[Programme](programme.pdf)\n"},
                                   {"pages/01.news/a/photo.jpg", "jpeg"},
                                   {"pages/01.news/a/programme.pdf", "pdf"},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "image 'photo.jpg' does not exist"));
    CHECK(diag_has(&d, DIAG_ERROR, "link to 'programme.pdf': no such file"));
    diag_free(&d);
    check_files(good, &d);
    CHECK_INT(d.errors, 0);
    CHECK(!diag_has(&d, DIAG_WARNING, "not used"));
    diag_free(&d);
}

/* Photos arrive from phones and Windows as "IMG_0042.JPG" and get written
 * "img_0042.jpg"; a name off by a typo is as common. The error names the
 * file the author most likely meant; a name far from every file does not. */
TEST(missing_file_with_a_near_name_in_the_folder_suggests_it)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                    "\n![Hall](img_0042.jpg)\n\n[Contract](dogovr.pdf)\n\n[Map](plan.pdf)\n"
                                    "\n![Doctors](staff-photo.jpg)\n"},
        {"pages/01.news/a/IMG_0042.JPG", "jpeg"},
        {"pages/01.news/a/dogovor.pdf", "pdf"},
        {"pages/01.news/a/price-list.pdf", "pdf"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "image 'img_0042.jpg' is not in the page folder; did you mean 'IMG_0042.JPG'?"));
    CHECK(diag_has(&d, DIAG_ERROR, "file 'dogovr.pdf' is not in the page folder; did you mean 'dogovor.pdf'?"));
    CHECK(diag_has(&d, DIAG_ERROR, "link to 'plan.pdf': no such file in the page folder"));
    CHECK(diag_has(&d, DIAG_ERROR, "image 'staff-photo.jpg' does not exist"));
    CHECK_INT(d.errors, 4);
    diag_free(&d);
    /* in Cyrillic and Kazakh letters too, and with a character that
     * cannot be seen (a zero-width space pasted with the name) */
    const char *const cyrillic[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                    "\n![Зал](<фото 1.jpg>)\n\n![Зал](қала%20ӘУЕН.jpg)\n\n![Зал](2023-01-09-2\xE2\x80\x8B.jpg)\n"},
        {"pages/01.news/a/Фото 1.JPG", "jpeg"},
        {"pages/01.news/a/Қала әуен.jpg", "jpeg"},
        {"pages/01.news/a/2023-01-09-2.jpg", "jpeg"},
        {NULL, NULL}};
    check_files(cyrillic, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "image 'фото 1.jpg' is not in the page folder; did you mean 'Фото 1.JPG'?"));
    CHECK(diag_has(&d, DIAG_ERROR, "image 'қала%20ӘУЕН.jpg' is not in the page folder; did you mean 'Қала әуен.jpg'?"));
    CHECK(diag_has(&d, DIAG_ERROR,
                   "is not in the page folder (the name has an invisible character, U+200B, after '2023-01-09-2'); "
                   "did you mean '2023-01-09-2.jpg'?"));
    diag_free(&d);
}

TEST(media_no_page_uses_is_a_warning_but_the_header_image_counts)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\nheader_image: false\n---\n" POST_BODY},
                                  {"pages/01.news/a/old.pdf", "pdf"},
                                  {"pages/01.news/a/photo.jpg", "jpeg"},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n[old](old.pdf)\n"},
                                   {"pages/01.news/a/old.pdf", "pdf"},
                                   {"pages/01.news/a/photo.jpg", "jpeg"},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK_INT(count_has(&d, "media file not used"), 2);
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "media file not used"));
    diag_free(&d);
    /* A theme's header field naming a file (a section's `- logo: grav.jpg`,
     * a `hero_image:`) uses it. */
    const char *const named[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\nheader_image: false\nhero_image: photo.jpg\nclients:\n"
                                    "  - logo: old.pdf\n    url: https://example.org\n---\n" POST_BODY},
        {"pages/01.news/a/old.pdf", "pdf"},
        {"pages/01.news/a/photo.jpg", "jpeg"},
        {"pages/01.news/a/spare.jpg", "jpeg"},
        {NULL, NULL}};
    check_files(named, &d);
    CHECK_INT(count_has(&d, "media file not used"), 1);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "a/spare.jpg", 0, "media file not used"));
    diag_free(&d);
}

/* An HTML <img alt=""> is a decorative picture, said so on purpose (the
 * center's home page has four): not a missing description. */
TEST(image_without_alt_text_is_a_warning)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n![](photo.jpg)\n\n"
                                                              "<img src=\"photo.jpg\">\n"},
                                  {"pages/01.news/a/photo.jpg", "jpeg"},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                                               "\n![Doctors at the forum](photo.jpg)\n\n"
                                                               "<img class=\"art\" src=\"photo.jpg\" alt=\"\">\n"},
                                   {"pages/01.news/a/photo.jpg", "jpeg"},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK_INT(count_has(&d, "image 'photo.jpg' has no alt text"), 2);
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "alt text"));
    diag_free(&d);
}

static void photo_test(size_t size, bool expect_warning, const char *warning)
{
    const char *const files[][2] = {ONE_LANG, NEWS_LIST,
                                    {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n![Hall](big.jpg)\n"},
                                    {NULL, NULL}};
    char *dir = sitefix_make(files);
    char *data = xcalloc(size, 1);
    char *path = path_join(dir, "pages/01.news/a/big.jpg");
    file_write(path, data, size);
    free(path);
    free(data);
    diag_list d;
    diag_init(&d);
    site *s = site_load(dir, NOW, &d);
    check_site(s, NULL, &d);
    CHECK(diag_has(&d, DIAG_WARNING, warning) == expect_warning);
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(photo_over_five_megabytes_is_a_warning)
{
    photo_test(5 * 1024 * 1024 + 1, true, "over 5 MB");
    photo_test(5 * 1024 * 1024, false, "over 5 MB");
}

/* A photo or PDF of 0 bytes: an upload or copy that did not finish. */
TEST(empty_media_file_is_a_warning)
{
    photo_test(0, true, "the file is empty (0 bytes): its upload or copy did not finish");
    photo_test(1, false, "the file is empty");
}

/* ---- translations -------------------------------------------------------- */

#define THREE_LANG_LIST                                                                                         \
    {"pages/01.news/blog.kk.md", "---\ntitle: Жаңалықтар\ncontent:\n  items: '@self.children'\n---\n"},         \
        {"pages/01.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},        \
        {"pages/01.news/blog.en.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"}

TEST(post_missing_a_language_is_in_the_translation_table)
{
    const char *const bad[][2] = {SITEFIX_SYSTEM_KK_RU_EN, THREE_LANG_LIST,
                                  {"pages/01.news/a/item.kk.md", "---\ntitle: A\n---\nKK " POST_BODY},
                                  {"pages/01.news/a/item.ru.md", "---\ntitle: A\n---\nRU " POST_BODY},
                                  {NULL, NULL}};
    const char *const good[][2] = {SITEFIX_SYSTEM_KK_RU_EN, THREE_LANG_LIST,
                                   {"pages/01.news/a/item.kk.md", "---\ntitle: A\n---\nKK " POST_BODY},
                                   {"pages/01.news/a/item.ru.md", "---\ntitle: A\n---\nRU " POST_BODY},
                                   {"pages/01.news/a/item.en.md", "---\ntitle: A\n---\nEN " POST_BODY},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "translation missing: written in kk, ru; not in en"));
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "translation missing"));
    diag_free(&d);
}

TEST(translation_table_lists_only_pages_lacking_a_language)
{
    const char *const files[][2] = {SITEFIX_SYSTEM_KK_RU_EN, THREE_LANG_LIST,
                                    {"pages/01.news/a/item.kk.md", "---\ntitle: A\n---\nKK " POST_BODY},
                                    {"pages/01.news/a/item.ru.md", "---\ntitle: A\n---\nRU " POST_BODY},
                                    {"pages/01.news/b/item.md", "---\ntitle: B\n---\nAll " POST_BODY},
                                    {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    diag_init(&d);
    site *s = site_load(dir, NOW, &d);
    buf table = BUF_INIT;
    check_translation_table(s, &table);
    CHECK_CONTAINS(buf_cstr(&table), "translations missing:\n");
    CHECK_CONTAINS(buf_cstr(&table), "01.news/a");
    CHECK_CONTAINS(buf_cstr(&table), " kk ru --\n");
    /* b has one file for every language, the news list one per language */
    CHECK_NOT_CONTAINS(buf_cstr(&table), "01.news/b");
    CHECK_NOT_CONTAINS(buf_cstr(&table), "01.news ");
    buf_free(&table);
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(translation_with_another_date_is_a_warning)
{
    const char *const bad[][2] = {SITEFIX_SYSTEM_KK_RU_EN, THREE_LANG_LIST,
                                  {"pages/01.news/a/item.kk.md", "---\ndate: 09-01-2023 10:00\n---\nKK " POST_BODY},
                                  {"pages/01.news/a/item.ru.md", "---\ndate: 09-01-2023 10:00\n---\nRU " POST_BODY},
                                  {"pages/01.news/a/item.en.md", "---\ndate: 01-09-2023 10:00\n---\nEN " POST_BODY},
                                  {NULL, NULL}};
    const char *const good[][2] = {SITEFIX_SYSTEM_KK_RU_EN, THREE_LANG_LIST,
                                   {"pages/01.news/a/item.kk.md", "---\ndate: 09-01-2023 10:00\n---\nKK " POST_BODY},
                                   {"pages/01.news/a/item.ru.md", "---\ndate: 09-01-2023 10:00\n---\nRU " POST_BODY},
                                   {"pages/01.news/a/item.en.md", "---\ndate: 2023-01-09 10:00\n---\nEN " POST_BODY},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "date 01-09-2023 10:00 differs from the kk version's 09-01-2023 10:00"));
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "differs"));
    CHECK(!diag_has(&d, DIAG_WARNING, "no date"));
    diag_free(&d);
    /* the Russian text without a date: dated by its file, today */
    const char *const undated[][2] = {SITEFIX_SYSTEM_KK_RU_EN, THREE_LANG_LIST,
                                      {"pages/01.news/a/item.kk.md", "---\ndate: 09-01-2023 10:00\n---\nKK " POST_BODY},
                                      {"pages/01.news/a/item.ru.md", "---\ntitle: RU\n---\nRU " POST_BODY},
                                      {NULL, NULL}};
    check_files(undated, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "a/item.ru.md", 1,
                           "no date: this version is dated by its file's time ("));
    CHECK(diag_has(&d, DIAG_WARNING, "the kk version 09-01-2023 10:00; add date: '09-01-2023 10:00'"));
    diag_free(&d);
}

/* ---- content ------------------------------------------------------------- */

TEST(unknown_and_unclosed_shortcodes_are_warnings)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                                              "\n[youtube id=abc /]\n\n[owl-carousel items=1]\n"},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                                               "\n[safe-email autolink=true]a@b.kz[/safe-email]\n"},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "unknown shortcode [youtube]"));
    CHECK(diag_has(&d, DIAG_WARNING, "shortcode [owl-carousel] has no closing tag"));
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "shortcode"));
    diag_free(&d);
}

TEST(twig_in_content_without_process_twig_is_a_warning)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\nHello {{ page.title }}\n"},
                                  {NULL, NULL}};
    const char *const on[][2] = {ONE_LANG, NEWS_LIST,
                                 {"pages/01.news/a/item.md", "---\ntitle: A\nprocess:\n  twig: true\n---\n" POST_BODY
                                                             "\nHello {{ page.title }}\n"},
                                 {NULL, NULL}};
    const char *const in_code[][2] = {ONE_LANG, NEWS_LIST,
                                      {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                                                  "\nWrite `{{ page.title }}` in a template.\n"},
                                      {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "Twig ('{{') in the content is shown as text"));
    diag_free(&d);
    check_files(on, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "Twig"));
    diag_free(&d);
    check_files(in_code, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "Twig"));
    diag_free(&d);
}

TEST(delimiter_under_text_is_a_heading_underline_warning)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\n---\nThe summary line.\n===\n\nMore.\n"},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\n---\nThe summary line.\n\n===\n\nMore.\n"},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "is a heading underline, not a summary split"));
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "heading underline"));
    diag_free(&d);
}

#define LONG_LINE "A long text without a split, which the news list cuts after its first three hundred characters. "

/* A post longer than the summary's size, without a delimiter, is cut at
 * a count of letters in the list; a short one (or one without text) is
 * shown whole there, and nothing is said. */
TEST(post_without_summary_delimiter_is_a_note)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" LONG_LINE LONG_LINE LONG_LINE LONG_LINE "\n"},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY},
                                   {"pages/01.news/b/item.md", "---\ntitle: B\n---\nJust text, no split.\n"},
                                   {"pages/01.news/c/item.md", "---\ntitle: C\n---\n"},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "a/item.md", 4, "no summary delimiter"));
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_NOTE, "no summary delimiter"));
    diag_free(&d);
}

/* The center's patient school lists its articles in a template folio
 * does not have: the plain page that shows it names the pages, without
 * their text, so no summary is cut. A Russian text the English list
 * shows by fallback is said of once, at its own list. */
TEST(summary_delimiter_note_only_where_a_list_shows_the_text_and_once_a_file)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\ntimezone: UTC\n"},
        {"pages/01.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/blog.en.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/a/item.ru.md", "---\ntitle: A\n---\n" LONG_LINE LONG_LINE LONG_LINE LONG_LINE "\n"},
        {"pages/02.school/sections.ru.md", "---\ntitle: Школа\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.school/01.lesson/section.ru.md", "---\ntitle: B\n---\n" LONG_LINE LONG_LINE LONG_LINE LONG_LINE "\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "a/item.ru.md", 4, "no summary delimiter ('==='): the list 'Новости'"));
    CHECK_INT(count_has(&d, "no summary delimiter"), 1);
    diag_free(&d);
}

TEST(future_publish_date_is_a_note_saying_when)
{
    const char *const bad[][2] = {ONE_LANG, NEWS_LIST,
                                  {"pages/01.news/a/item.md", "---\ntitle: A\npublish_date: 01-03-2030 09:30\n---\n" POST_BODY},
                                  {NULL, NULL}};
    const char *const good[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\npublish_date: 01-03-2020 09:30\n---\n" POST_BODY},
                                   {NULL, NULL}};
    diag_list d;
    check_files(bad, &d);
    CHECK(diag_has(&d, DIAG_NOTE, "scheduled: appears at 01-03-2030 09:30"));
    CHECK_INT(d.errors, 0);
    diag_free(&d);
    check_files(good, &d);
    CHECK(!diag_has(&d, DIAG_NOTE, "scheduled"));
    diag_free(&d);
}

/* ---- the example site, the build, the command ------------------------------ */

TEST(example_site_has_no_errors)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/site", test_repo_dir());
    diag_list d;
    diag_init(&d);
    site *s = site_load(path, 0, &d);
    CHECK(s != NULL);
    if (s) check_site(s, NULL, &d);
    CHECK_INT(d.errors, 0);
    if (d.errors) diag_print_all(stderr, &d);
    site_free(s);
    diag_free(&d);
}

TEST(build_reports_the_check_findings_once)
{
    const char *const files[][2] = {ONE_LANG, NEWS_LIST,
                                    {"pages/01.news/a/item.md", "---\ntitle: A\npublisehd: true\n---\n" POST_BODY
                                                                "\n[youtube id=abc /]\n\n[gone](../gone)\n"},
                                    {NULL, NULL}};
    char *dir = sitefix_make(files);
    char *out_dir = path_join(dir, "out");
    diag_list d;
    diag_init(&d);
    output *out = output_dir_new(out_dir, &d);
    build_options opt = {0};
    opt.site_dir = dir;
    opt.now = NOW;
    build_site(&opt, out, &d, NULL);
    output_dir_abort(out);
    CHECK_INT(count_has(&d, "did you mean 'published'"), 1);
    CHECK_INT(count_has(&d, "unknown shortcode [youtube]"), 1);
    CHECK_INT(count_has(&d, "link to '../gone'"), 1);
    diag_free(&d);
    free(out_dir);
    sitefix_remove(dir);
}

TEST(check_command_exits_1_on_errors_and_writes_json)
{
    const char *const files[][2] = {ONE_LANG, NEWS_LIST,
                                    {"pages/01.news/a/item.md", "---\ntitle: A\npublished: yes please\n---\n" POST_BODY},
                                    {NULL, NULL}};
    char *dir = sitefix_make(files);
    char args[4096];
    int status;
    snprintf(args, sizeof args, "check %s", dir);
    char *text = sitefix_run_folio(args, &status);
    CHECK_INT(status, 1);
    CHECK_CONTAINS(text, "item.md:3:1: error: published 'yes please' is not a boolean");
    CHECK_CONTAINS(text, "1 error,");
    free(text);
    /* The JSON is an array of {path, line, col, level, message}; python reads it back. */
    snprintf(args, sizeof args,
             "check %s --format json | python3 -c \"import json,sys; a=json.load(sys.stdin); "
             "e=[x for x in a if x['level']=='error']; print(len(e), e[0]['line'], e[0]['col'], "
             "e[0]['path'].endswith('item.md'), 'boolean' in e[0]['message'])\"",
             dir);
    char *json = sitefix_run_folio(args, &status);
    CHECK_CONTAINS(json, "1 3 1 True True");
    free(json);
    snprintf(args, sizeof args, "check %s/site", test_repo_dir());
    char *example = sitefix_run_folio(args, &status);
    CHECK_INT(status, 0);
    CHECK_CONTAINS(example, " 0 errors");
    free(example);
    sitefix_remove(dir);
}

/* How many warnings say needle; each must be on line (-1 if none is). */
static int warnings_at(const diag_list *d, const char *needle, int line)
{
    int n = 0;
    for (size_t i = 0; i < d->len; i++) {
        if (!strstr(d->items[i].msg, needle)) continue;
        n++;
        if (d->items[i].level != DIAG_WARNING || d->items[i].line != line) return -1;
    }
    return n;
}

/* A map pasted as a <script> (the other form the map services offer)
 * stays blank under the site's policy: a warning at the script says to
 * paste the <iframe> instead. Scripts shown as code are not warned about,
 * and an <iframe> is fine. */
TEST(script_in_the_text_is_a_warning_with_the_way_out)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\nКарта:\n\n"
                                    "<script type=\"text/javascript\" charset=\"utf-8\" async "
                                    "src=\"https://api-maps.yandex.ru/services/constructor/1.0/js/?um=x\"></script>\n\n"
                                    "<iframe src=\"https://yandex.ru/map-widget/v1/?um=x\" title=\"Карта\"></iframe>\n\n"
                                    "```\n<script src=\"x.js\"></script>\n```\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK_INT(warnings_at(&d, "<script> in the text does not run", 12), 1);
    CHECK(diag_has(&d, DIAG_WARNING, "paste the <iframe> the service offers"));
    diag_free(&d);
}

/* A frame pasted from a map or video service usually has no title, and
 * screen readers announce frames by it: the site gives a map's or a
 * video's a plain one ("Map"), which a note names; any other frame
 * without a title is a warning at the frame. */
TEST(iframe_without_a_title_is_a_warning_or_for_a_map_a_note)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n"
                                    "<iframe src=\"https://forms.example.kz/apply\" width=\"100%\"></iframe>\n\n"
                                    "<iframe src=\"https://yandex.ru/map-widget/v1/?um=y\" title=\"Карта\"></iframe>\n\n"
                                    "<iframe src=\"https://yandex.ru/map-widget/v1/?um=x\" width=\"100%\"></iframe>\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK_INT(warnings_at(&d, "<iframe> without a title (screen readers", 10), 1);
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "a/item.md", 14,
                           "an <iframe> without a title: screen readers announce it as «Map», the title the site "
                           "gives a map; a title of its own can say which"));
    CHECK_INT(count_has(&d, "without a title"), 2);
    diag_free(&d);
}

/* The center's donor-day post puts "#### Кто может стать донором" right
 * under its title, the page's h1: screen readers list headings by level,
 * and a skipped level reads as a missing part. A note, once a page, at
 * the first skip; headings that go down one level at a time, and back up
 * any number, are fine. */
TEST(a_skipped_heading_level_is_a_note)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n```\n#### not a heading\n```\n\n"
                                    "#### Who can give blood\n\nText.\n\n###### Also skipped, not said again\n"},
        {"pages/01.news/b/item.md", "---\ntitle: B\n---\n" POST_BODY "\n## Part\n\n### Detail\n\n## Next\n\n"
                                    "Part two\n--------\n\n<div>\n<h4>In HTML</h4>\n</div>\n"},
        {"pages/01.news/c/item.md", "---\ntitle: C\n---\n# Own title\n\n## Part\n\n### Detail\n\n# Other\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "a/item.md", 14,
                           "a heading of level 4 follows one of level 1 (the page's title): screen readers list a "
                           "page's headings by level, and a level skipped reads as a part missing; make it level 2 "
                           "('##')"));
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "b/item.md", 20, "a heading of level 4 follows one of level 2: "));
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "b/item.md", 20, "make it level 3 ('<h3>')"));
    CHECK_INT(count_has(&d, "a heading of level"), 2);
    diag_free(&d);
}

/* A map, a video or a picture from another site over plain http:// is
 * blocked (or tried over HTTPS) on the site's HTTPS pages: a warning with
 * the https:// spelling, at the address. A link to such a site, an https
 * frame and code are fine; a site whose own address is http:// is told
 * nothing. */
TEST(embed_over_plain_http_is_a_warning)
{
    const char *body = "---\ntitle: A\n---\n" POST_BODY "\n"
                       "<iframe src=\"http://maps.example.kz/branch\" title=\"Карта\"></iframe>\n\n"
                       "![Логотип](http://partner.example.kz/logo.png)\n\n"
                       "<video src=\"HTTP://video.example.kz/v.mp4\" controls></video>\n\n"
                       "[Партнёр](http://partner.example.kz/)\n\n"
                       "<iframe src=\"https://maps.example.kz/ok\" title=\"Карта\"></iframe>\n\n"
                       "`<iframe src=\"http://code.example.kz/\">`\n";
    const char *const files[][2] = {{"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\ntimezone: UTC\n"},
                                    {"config/site.yaml", "url: https://hematology.kz\n"},
                                    NEWS_LIST,
                                    {"pages/01.news/a/item.md", body},
                                    {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK_INT(warnings_at(&d, "frame 'http://maps.example.kz/branch' is loaded over plain HTTP: browsers block it on "
                              "the site's HTTPS pages; write https://maps.example.kz/branch",
                          10),
              1);
    CHECK_INT(warnings_at(&d, "image 'http://partner.example.kz/logo.png' is loaded over plain HTTP", 12), 1);
    CHECK_INT(warnings_at(&d, "media 'HTTP://video.example.kz/v.mp4' is loaded over plain HTTP", 14), 1);
    CHECK(!diag_has(&d, DIAG_WARNING, "'http://partner.example.kz/' is loaded"));
    CHECK(!diag_has(&d, DIAG_WARNING, "https://maps.example.kz/ok' is loaded"));
    CHECK(!diag_has(&d, DIAG_WARNING, "code.example.kz"));
    diag_free(&d);

    const char *const plain_site[][2] = {{"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\ntimezone: UTC\n"},
                                         {"config/site.yaml", "url: http://intranet.hematology.kz\n"},
                                         NEWS_LIST,
                                         {"pages/01.news/a/item.md", body},
                                         {NULL, NULL}};
    check_files(plain_site, &d);
    CHECK(!diag_has(&d, DIAG_WARNING, "plain HTTP"));
    diag_free(&d);
}

/* A scanned TIFF: only Safari shows it, so the page has a broken image
 * for nearly everyone. (An iPhone's HEIC photos are converted.) */
TEST(image_in_a_format_browsers_do_not_show_is_a_warning)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n![Скан](scan.tif)\n\n![Приём](IMG_1234.HEIC)\n\n"
                                    "[Скан](scan.tif)\n"},
        {"pages/01.news/a/IMG_1234.HEIC", "not really a photo"},
        {"pages/01.news/a/scan.tif", "not really a scan"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK_INT(warnings_at(&d, "image 'scan.tif' is a TIFF image, which only Safari shows: save it as JPEG or PNG", 10), 1);
    CHECK(!diag_has(&d, DIAG_WARNING, "IMG_1234.HEIC' is"));
    CHECK(!diag_has(&d, DIAG_WARNING, "link 'scan.tif'")); /* a link to download it is fine */
    diag_free(&d);
}

/* A video browsers cannot play, or a document, in image syntax shows a
 * broken picture; MP4, MP3, photos and a link to the document do not. */
TEST(image_syntax_for_a_video_browsers_cannot_play_or_a_document_is_a_warning)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n![Экскурсия](tour.avi)\n\n![Формуляр](formulary.pdf)\n\n"
                                    "![Лекция](lecture.mp3)\n\n![Видео](tour.mp4)\n\n[Формуляр](formulary.pdf)\n\n[Экскурсия](tour.avi)\n"},
        {"pages/01.news/a/tour.avi", "avi"},
        {"pages/01.news/a/tour.mp4", "mp4"},
        {"pages/01.news/a/lecture.mp3", "mp3"},
        {"pages/01.news/a/formulary.pdf", "%PDF"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK_INT(warnings_at(&d, "image 'tour.avi' is a video or a sound browsers do not play: save it as MP4 (video) or "
                              "MP3 (sound)", 10), 1);
    CHECK_INT(warnings_at(&d, "image 'formulary.pdf' is a document, shown as a broken picture: link it instead, "
                              "without the '!' before '['", 12), 1);
    CHECK(!diag_has(&d, DIAG_WARNING, "'lecture.mp3' is"));
    CHECK(!diag_has(&d, DIAG_WARNING, "'tour.mp4' is"));
    CHECK(!diag_has(&d, DIAG_WARNING, "link 'formulary.pdf'"));
    CHECK(!diag_has(&d, DIAG_WARNING, "link 'tour.avi'"));
    diag_free(&d);
    /* a player without alt text is named as one */
    const char *const bare[][2] = {ONE_LANG, NEWS_LIST,
                                   {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n![](tour.mp4)\n"},
                                   {"pages/01.news/a/tour.mp4", "mp4"},
                                   {NULL, NULL}};
    check_files(bare, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "video 'tour.mp4' has no alt text (it names the player for screen readers"));
    CHECK(!diag_has(&d, DIAG_WARNING, "image 'tour.mp4'"));
    /* and without captions, a note says how to give it some */
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "a/item.md", 10, "video 'tour.mp4' has no captions, for visitors who cannot hear "
                                                       "it: a WebVTT file beside it, 'tour.vtt' (or 'tour.en.vtt')"));
    diag_free(&d);
    /* captions beside it are in use with it, and no note is given */
    const char *const captioned[][2] = {ONE_LANG, NEWS_LIST,
                                        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n![Tour](tour.mp4)\n"},
                                        {"pages/01.news/a/tour.mp4", "mp4"},
                                        {"pages/01.news/a/tour.kk.vtt", "WEBVTT\n"},
                                        {"pages/01.news/a/tour.vtt", "WEBVTT\n"},
                                        {NULL, NULL}};
    check_files(captioned, &d);
    CHECK(!diag_has(&d, DIAG_NOTE, "has no captions"));
    CHECK(!diag_has(&d, DIAG_WARNING, "not used"));
    diag_free(&d);
    /* a poster that is not in the folder, with the name meant; one that is
     * is in use with the video */
    const char *const posters[][2] = {ONE_LANG, NEWS_LIST,
                                      {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY
                                                                  "\n![Tour](tour.mp4?poster=Hall.jpg)\n\n"
                                                                  "![Tour](tour.mp4?autoplay=1&poster=none.jpg)\n\n"
                                                                  "![Tour](tour.webm?poster=hall.jpg)\n"},
                                      {"pages/01.news/a/tour.mp4", "mp4"},
                                      {"pages/01.news/a/tour.webm", "webm"},
                                      {"pages/01.news/a/tour.vtt", "WEBVTT\n"},
                                      {"pages/01.news/a/hall.jpg", "jpg"},
                                      {NULL, NULL}};
    check_files(posters, &d);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "a/item.md", 10, "the poster 'Hall.jpg' of video 'tour.mp4' is not in the page "
                                                          "folder; did you mean 'hall.jpg'?"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "a/item.md", 12, "the poster 'none.jpg' of video 'tour.mp4' is not in the page "
                                                          "folder: the video is shown without one"));
    CHECK(!diag_has(&d, DIAG_WARNING, "not used"));
    diag_free(&d);
}

/* A header of one line with a non-breaking space after its key is one
 * string to YAML: the error names the space, not "a mapping". */
TEST(a_non_breaking_space_after_a_key_is_named)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle:\xC2\xA0Школа пациента\n---\n" POST_BODY},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/item.md", 2, "the space after 'title:' is a non-breaking one"));
    CHECK(!diag_has(&d, DIAG_ERROR, "must be a YAML mapping"));
    diag_free(&d);
}

/* Links copied from where the editor was, not from where visitors are:
 * Grav's admin panel (by address or by path) and a preview on the
 * author's own computer. */
TEST(links_to_the_admin_panel_or_a_local_preview_are_errors_with_the_address_meant)
{
    const char *const files[][2] = {
        ONE_LANG,
        {"config/site.yaml", "title: Center\nurl: https://hematology.example.kz\n"},
        NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n[B](https://hematology.example.kz/admin/pages/news/b)\n\n"
                                    "[Gone](/admin/pages/news/none)\n\n[Local](http://localhost:8000/en/news/b)\n\n"
                                    "![Photo](http://127.0.0.1/photo.jpg)\n\n[Other](https://example.org/admin/pages/x)\n"},
        {"pages/01.news/b/item.md", "---\ntitle: B\n---\n" POST_BODY},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/item.md", 10,
                      "link to 'https://hematology.example.kz/admin/pages/news/b' is an address of Grav's admin panel, "
                      "which visitors cannot open: the page's own is '/en/news/b/'"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/item.md", 12, "link to '/admin/pages/news/none' is an address of Grav's admin "
                                                        "panel, which visitors cannot open: link the page's own address"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/item.md", 14,
                      "link 'http://localhost:8000/en/news/b' leads to the author's own computer (a preview's address), "
                      "which no visitor can open: write '/en/news/b'"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "a/item.md", 16, "image 'http://127.0.0.1/photo.jpg' leads to the author's own computer"));
    CHECK(!diag_has(&d, DIAG_ERROR, "example.org"));
    diag_free(&d);
}

/* Grav's notices need a space after the marks: "!Внимание" is shown as
 * text, so it is a warning with the fix (in a quote too); the real
 * notices, an image, "!!!" and code are not. */
TEST(notice_without_its_space_is_a_warning)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n!Внимание: приём по записи.\n\n"
                                    "!! Важно.\n\n![Фото](a.jpg)\n\n!!!\n\n```\n!code\n```\n\n!!Срочно\n\n> !Приём\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK_INT(warnings_at(&d, "'!Внимание:' is shown as text: a notice needs a space after its '!' ('! Внимание:')", 10),
              1);
    CHECK_INT(warnings_at(&d, "'!!Срочно' is shown as text: a notice needs a space after its '!!' ('!! Срочно')", 22), 1);
    /* in a quote, where Grav reads notices too */
    CHECK_INT(warnings_at(&d, "'!Приём' is shown as text: a notice needs a space after its '!' ('! Приём')", 24), 1);
    CHECK(!diag_has(&d, DIAG_WARNING, "'!code"));
    CHECK(!diag_has(&d, DIAG_WARNING, "Важно' is shown"));
    diag_free(&d);
}

/* A notice after a list item's marker: Grav shows it in the item, folio
 * as text, so the editor is told where; a list item with '!' in its text,
 * and the same in code, are not reported. */
TEST(notice_in_a_list_item_is_a_warning)
{
    const char *const files[][2] = {
        ONE_LANG, NEWS_LIST,
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\n" POST_BODY "\n- ! Внимание: анализы сдают натощак, с 8:00 до "
                                    "12:00.\n- Второй пункт!\n2) !! Важно\n\n* !Восклицание\n\n```\n- ! в коде\n```\n"},
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    CHECK_INT(warnings_at(&d, "'- ! Внимание: анализы сдают нато…' is shown as text: a notice in a list item is not one "
                              "here (Grav shows it in the item); write the notice on a line of its own, before or after "
                              "the list", 10),
              1);
    CHECK_INT(warnings_at(&d, "'2) !! Важно' is shown as text: a notice in a list item", 12), 1);
    CHECK(!diag_has(&d, DIAG_WARNING, "Второй пункт"));
    CHECK(!diag_has(&d, DIAG_WARNING, "Восклицание"));
    CHECK(!diag_has(&d, DIAG_WARNING, "в коде"));
    diag_free(&d);
}

/* A Grav site with Markdown Extra switched on: the operator learns, once,
 * with the line, what folio shows as written. */
TEST(markdown_extra_in_the_configuration_is_a_note)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\ntimezone: UTC\npages:\n  markdown:\n"
                               "    extra: true\n"},
        NEWS_LIST,
        {NULL, NULL}};
    diag_list d;
    check_files(files, &d);
    int n = 0;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].msg, "pages.markdown.extra: folio reads Markdown without Grav's Markdown Extra")) {
            n++;
            CHECK_INT(d.items[i].level, DIAG_NOTE);
            CHECK_INT(d.items[i].line, 7);
        }
    CHECK_INT(n, 1);
    diag_free(&d);
}
