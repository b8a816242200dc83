/* test_theme.c - the built-in theme as visitors get it: the example site
 * and small fixture sites are built into temporary folders and the HTML
 * is checked for what the center's pages must show (languages, links,
 * dates, read-more rules, sidebar, pagination) and for what they must not
 * contain (third-party requests, inline scripts and styles). */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "build/build.h"
#include "build/output_dir.h"
#include "lib/buf.h"
#include "lib/files.h"
#include "lib/lang.h"
#include "sitefix.h"
#include "test.h"

#define CSS_JS_BUDGET (30 * 1024)

/* ---- building ---------------------------------------------------------- */

/* Build site_dir into a new temporary folder; returns it (malloc'd) or NULL. */
static char *build_into_temp(const char *site_dir)
{
    char tmpl[] = "/tmp/folio-theme-XXXXXX";
    if (!mkdtemp(tmpl)) return NULL;
    char *out_dir = path_join(tmpl, "out");
    diag_list d;
    diag_init(&d);
    output *o = output_dir_new(out_dir, &d);
    build_options opt = {.site_dir = site_dir, .threads = 2};
    int rc = o ? build_site(&opt, o, &d, NULL) : -1;
    if (o && rc == 0) rc = output_dir_commit(o, &d);
    else if (o) output_dir_abort(o);
    if (rc != 0 || d.errors) {
        diag_print_all(stderr, &d);
        test_fail(__FILE__, __LINE__, "building %s failed", site_dir);
    }
    diag_free(&d);
    free(out_dir);
    return xstrdup(tmpl);
}

static char *example_out;

static void remove_example_out(void)
{
    sitefix_remove(example_out);
}

/* The example site (site/ in the repository), built once for all tests. */
static const char *example(void)
{
    if (!example_out) {
        char site_dir[4096];
        snprintf(site_dir, sizeof site_dir, "%s/site", test_repo_dir());
        example_out = build_into_temp(site_dir);
        atexit(remove_example_out);
    }
    return example_out;
}

/* A built file as a string (malloc'd), or "" (static) when it is missing. */
static char *page_at(const char *built, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/out/%s", built, rel);
    size_t len;
    char *text = file_read(path, &len, 16 * 1024 * 1024);
    if (!text) {
        test_fail(__FILE__, __LINE__, "%s was not built", rel);
        return xstrdup("");
    }
    return text;
}

/* A fixture site (sitefix_make) built into a temporary folder. */
typedef struct fixture {
    char *dir, *out;
} fixture;

static fixture fixture_build(const char *const files[][2])
{
    fixture f = {sitefix_make(files), NULL};
    f.out = build_into_temp(f.dir);
    return f;
}

/* The built page at rel ("ru/branches/index.html"), malloc'd, or NULL. */
static char *fixture_page(const fixture *f, const char *rel) { return f->out ? page_at(f->out, rel) : NULL; }

static void fixture_remove(fixture *f)
{
    sitefix_remove(f->out);
    sitefix_remove(f->dir);
}


/* The <article ...>...</article> of a list that links to url, or NULL.
 * Returned text is a malloc'd copy. */
static char *card_linking_to(const char *html, const char *url)
{
    char needle[512];
    snprintf(needle, sizeof needle, "href=\"%s\"", url);
    for (const char *a = strstr(html, "<article"); a; a = strstr(a + 1, "<article")) {
        const char *end = strstr(a, "</article>");
        if (!end) return NULL;
        char *card = xstrndup(a, (size_t)(end - a));
        if (strstr(card, needle)) return card;
        free(card);
    }
    return NULL;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

/* ---- the example site ------------------------------------------------- */

#define POST "news/2023-01-09-practical-conference/"

TEST(every_page_is_marked_with_its_language)
{
    const char *langs[] = {"kk", "ru", "en"};
    for (int i = 0; i < 3; i++) {
        char rel[128], want[64];
        snprintf(want, sizeof want, "<html lang=\"%s\">", langs[i]);
        const char *pages[] = {"news/index.html", POST "index.html", "index.html", "404.html"};
        for (int k = 0; k < 4; k++) {
            snprintf(rel, sizeof rel, "%s/%s", langs[i], pages[k]);
            char *html = page_at(example(), rel);
            CHECK_CONTAINS(html, want);
            free(html);
        }
    }
}

TEST(post_lists_its_translations_and_the_default_language_as_alternates)
{
    char *html = page_at(example(), "ru/" POST "index.html");
    CHECK_CONTAINS(html, "<link rel=\"alternate\" hreflang=\"kk\" href=\"https://hematology.kz/kk/" POST "\">");
    CHECK_CONTAINS(html, "<link rel=\"alternate\" hreflang=\"ru\" href=\"https://hematology.kz/ru/" POST "\">");
    CHECK_CONTAINS(html, "<link rel=\"alternate\" hreflang=\"en\" href=\"https://hematology.kz/en/" POST "\">");
    /* Kazakh is the site's default language */
    CHECK_CONTAINS(html, "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://hematology.kz/kk/" POST "\">");
    CHECK_INT(count_of(html, "rel=\"alternate\" hreflang="), 4);
    free(html);
}

TEST(canonical_link_is_the_absolute_url_of_the_page)
{
    char *html = page_at(example(), "en/" POST "index.html");
    CHECK_CONTAINS(html, "<link rel=\"canonical\" href=\"https://hematology.kz/en/" POST "\">");
    CHECK_INT(count_of(html, "rel=\"canonical\""), 1);
    free(html);
}

TEST(title_names_the_page_then_the_site_in_its_language)
{
    char *post = page_at(example(), "ru/news/2022-11-16-master-class-in-north-kazakhstan/index.html");
    CHECK_CONTAINS(post, "<title>Мастер-класс в СКО | Центр гематологии</title>");
    free(post);
    char *list = page_at(example(), "kk/news/index.html");
    CHECK_CONTAINS(list, "<title>Жаңалықтар | Гематология орталығы</title>");
    free(list);
    char *home = page_at(example(), "en/index.html");
    CHECK_CONTAINS(home, "<title>Hematology Center</title>");
    free(home);
}

TEST(dates_are_written_in_the_language_of_the_page)
{
    struct {
        const char *rel, *date;
    } cases[] = {
        {"ru/news/index.html", ">9 января 2023</time>"},
        {"kk/news/index.html", ">9 қаңтар 2023</time>"},
        {"en/news/index.html", ">9 January 2023</time>"},
        {"ru/" POST "index.html", ">9 января 2023</time>"},
        {"kk/" POST "index.html", ">9 қаңтар 2023</time>"},
        {"en/" POST "index.html", ">9 January 2023</time>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *html = page_at(example(), cases[i].rel);
        CHECK_CONTAINS(html, cases[i].date);
        CHECK_CONTAINS(html, "datetime=\"2023-01-09\"");
        free(html);
    }
}

TEST(read_more_link_is_in_the_language_of_the_list)
{
    struct {
        const char *lang, *text;
    } cases[] = {{"ru", "Подробно..."}, {"kk", "Толығырақ..."}, {"en", "Read more..."}};
    for (int i = 0; i < 3; i++) {
        char rel[64], url[128], link[256];
        snprintf(rel, sizeof rel, "%s/news/index.html", cases[i].lang);
        snprintf(url, sizeof url, "/%s/" POST, cases[i].lang);
        char *html = page_at(example(), rel);
        char *card = card_linking_to(html, url);
        CHECK(card != NULL);
        snprintf(link, sizeof link, "<p class=\"read-more\"><a href=\"%s\"", url);
        CHECK_CONTAINS(card, link);
        CHECK_CONTAINS(card, cases[i].text);
        free(card);
        free(html);
    }
}

TEST(language_switcher_links_to_the_same_page_in_each_language)
{
    char *html = page_at(example(), "ru/" POST "index.html");
    const char *nav = strstr(html, "<nav class=\"lang-switch\"");
    CHECK(nav != NULL);
    if (nav) {
        char *end = strstr(nav, "</nav>");
        char *sw = xstrndup(nav, end ? (size_t)(end - nav) : strlen(nav));
        CHECK_CONTAINS(sw, "<a href=\"/kk/" POST "\" hreflang=\"kk\" lang=\"kk\">");
        CHECK_CONTAINS(sw, "<a href=\"/en/" POST "\" hreflang=\"en\" lang=\"en\">");
        CHECK_CONTAINS(sw, "<a href=\"/ru/" POST "\" hreflang=\"ru\" lang=\"ru\" aria-current=\"true\">");
        CHECK_CONTAINS(sw, "Қазақша");
        free(sw);
    }
    free(html);
}

/* Each language is named in itself, whatever the site's languages; a
 * code folio does not know is shown as it is, in capitals. */
TEST(language_switcher_names_each_language_in_itself)
{
    CHECK_STR(lang_native_name("kk"), "Қазақша");
    CHECK_STR(lang_native_name("DE"), "Deutsch");
    CHECK_STR(lang_native_name("de-AT"), "Deutsch");
    CHECK_STR(lang_native_name("pt-BR"), "Português (Brasil)");
    CHECK_STR(lang_native_name("pt_BR"), "Português (Brasil)");
    CHECK_STR(lang_native_name("zh-cn"), "简体中文");
    CHECK(lang_native_name("xx") == NULL && lang_native_name("") == NULL);
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [de, fr, tlh]\n  default_lang: de\n"},
        {"config/site.yaml", "title: Site\n"},
        {"pages/01.home/default.md", "---\ntitle: Home\n---\nText.\n"},
        {NULL, NULL}};
    fixture f = fixture_build(files);
    char *html = fixture_page(&f, "de/index.html");
    CHECK(html && strstr(html, "<span class=\"lang-name\">Deutsch</span>"));
    CHECK(html && strstr(html, "<span class=\"lang-name\">Français</span>"));
    CHECK(html && strstr(html, "<span class=\"lang-name\">TLH</span>"));
    free(html);
    fixture_remove(&f);
}

/* A map pasted into a page gets a title in the language of the text
 * (the Russian one on the English site, by fallback); a language the
 * theme has no words for gets its English ones, as the theme's own
 * strings do, where the page showed "YOUTUBE_VIDEO" as a video's title. */
TEST(frames_are_titled_in_the_language_of_the_text)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en, de]\n  default_lang: ru\n"
                               "  content_fallback:\n    de: [de]\n"},
        {"config/site.yaml", "title: Центр\n"},
        {"plugins/youtube/youtube.php", "<?php\n"},
        {"pages/01.branches/default.ru.md",
         "---\ntitle: Филиалы\n---\n<iframe src=\"https://yandex.kz/map-widget/v1/?um=x\"></iframe>\n"},
        {"pages/01.branches/default.de.md",
         "---\ntitle: Filialen\n---\n<iframe src=\"https://www.youtube.com/embed/abc\"></iframe>\n\n"
         "[plugin:youtube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n"},
        {NULL, NULL}};
    fixture f = fixture_build(files);
    char *ru = fixture_page(&f, "ru/branches/index.html");
    char *en = fixture_page(&f, "en/branches/index.html");
    char *de = fixture_page(&f, "de/branches/index.html");
    CHECK(ru && strstr(ru, "<iframe title=\"Карта\" loading=\"lazy\" src=\"https://yandex.kz/map-widget/v1/?um=x\">"
                           "</iframe>"));
    CHECK(en && strstr(en, "<iframe title=\"Карта\" loading=\"lazy\" src="));
    CHECK(de && strstr(de, "<iframe title=\"Video\" loading=\"lazy\" src=\"https://www.youtube.com/embed/abc\"></iframe>"));
    CHECK(de && strstr(de, "YouTube video") && !strstr(de, "YOUTUBE_VIDEO"));
    free(ru);
    free(en);
    free(de);
    fixture_remove(&f);
}

/* A page shown in another language's text, by fallback (a Russian post
 * on the English site): its title and text say their language, so that
 * screen readers read them in it; the page's own text does not. */
TEST(text_shown_by_fallback_is_marked_with_its_language)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk, ru, en]\n  default_lang: ru\n"},
        {"config/site.yaml", "title: Центр\n"},
        {"pages/01.news/blog.kk.md", "---\ntitle: Жаңалықтар\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/blog.en.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.post/item.ru.md", "---\ntitle: Школа пациента\ndate: '09-01-2023 10:00'\n---\nТекст.\n"},
        {NULL, NULL}};
    fixture f = fixture_build(files);
    char *en = fixture_page(&f, "en/news/post/index.html");
    CHECK(en && strstr(en, "<h1 lang=\"ru\">Школа пациента</h1>") && strstr(en, "<div class=\"content\" lang=\"ru\">"));
    CHECK(en && strstr(en, "<html lang=\"en\">"));
    char *list = fixture_page(&f, "en/news/index.html");
    CHECK(list && strstr(list, "<h2 class=\"card-title\" lang=\"ru\">") && strstr(list, "<div class=\"summary\" lang=\"ru\">"));
    char *ru = fixture_page(&f, "ru/news/post/index.html");
    CHECK(ru && strstr(ru, "<h1>Школа пациента</h1>") && !strstr(ru, " lang=\"ru\">Школа"));
    free(en);
    free(list);
    free(ru);
    fixture_remove(&f);
}

/* The center's site.yaml says blog.route: /blog, but its news are at
 * /news: the latest news were an empty list under their heading on every
 * post. They come from the site's list of posts, and check says why. */
TEST(latest_news_come_from_the_list_of_posts_when_blog_route_names_none)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"config/site.yaml", "title: Центр\nblog:\n  route: /blog\n"},
        {"pages/01.home/default.ru.md", "---\ntitle: Главная\n---\nТекст.\n"},
        {"pages/02.novosti/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.novosti/01.post/item.ru.md", "---\ntitle: Школа пациента\ndate: '09-01-2023 10:00'\n---\nТекст.\n"},
        {NULL, NULL}};
    fixture f = fixture_build(files);
    int status;
    char *said = sitefix_check(f.dir, NULL, &status);
    CHECK(said && strstr(said, "config/site.yaml:3:1: warning: blog.route '/blog' is no page of the site: the latest "
                               "news are taken from '/novosti'"));
    free(said);
    char *post = fixture_page(&f, "ru/novosti/post/index.html");
    char *home = fixture_page(&f, "ru/index.html");
    CHECK(post && strstr(post, "<ul class=\"latest\">\n<li><a href=\"/ru/novosti/post/\" aria-current=\"page\">"));
    CHECK(home && strstr(home, "<section class=\"home-latest\""));
    free(post);
    free(home);
    fixture_remove(&f);
}

/* The center's "Филиалы" is an empty page above the branches, and
 * "Школа пациента" lists its articles in a template of the PHP theme
 * (sections.ru.md): the menu shows top-level pages only, so the branches'
 * addresses and the patients' articles could not be reached. A plain
 * page lists the pages under it after its text. */
TEST(plain_page_lists_the_pages_under_it_and_the_way_back_up)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\n"},
        {"config/site.yaml", "title: Центр\n"},
        {"pages/01.branches/default.ru.md", "---\ntitle: Филиалы\n---\n"},
        {"pages/01.branches/default.en.md", "---\ntitle: Branches\n---\n"},
        {"pages/01.branches/02.karaganda/default.ru.md", "---\ntitle: Караганда\n---\nАдрес.\n"},
        {"pages/01.branches/01.astana/default.ru.md", "---\ntitle: Астана\n---\nАдрес.\n"},
        {"pages/01.branches/01.astana/default.en.md", "---\ntitle: Astana\n---\nAddress.\n"},
        {"pages/01.branches/01.astana/01.clinic/default.ru.md", "---\ntitle: Клиника\nmenu: Клиника №1\n---\nТекст.\n"},
        {"pages/01.branches/01.astana/nopage/01.room/default.ru.md", "---\ntitle: Кабинет\n---\nТекст.\n"},
        {"pages/01.branches/shown/default.ru.md", "---\ntitle: Шымкент\nvisible: true\n---\nАдрес.\n"},
        {"pages/01.branches/hidden/default.ru.md", "---\ntitle: Скрытая\n---\nНе в меню.\n"},
        {"pages/01.branches/03.draft/default.ru.md", "---\ntitle: Черновик\npublished: false\n---\nТекст.\n"},
        {"pages/02.school/sections.ru.md",
         "---\ntitle: Школа пациента\ncontent:\n  items: '@self.children'\n  order:\n    by: folder\n"
         "    dir: desc\n---\nО школе.\n"},
        {"pages/02.school/01.aspirin/section.ru.md", "---\ntitle: Аспирин\n---\nТекст.\n"},
        {"pages/02.school/02.webinar/subsection.ru.md", "---\ntitle: Вебинар\n---\nТекст.\n"},
        {"pages/03.about/default.ru.md",
         "---\ntitle: О центре\n---\n[Миссия](mission) и [история](history).\n"},
        {"pages/03.about/01.mission/default.ru.md", "---\ntitle: Миссия\n---\nТекст.\n"},
        {"pages/03.about/02.history/default.ru.md", "---\ntitle: История\n---\nТекст.\n"},
        {"pages/04.home/default.ru.md", "---\ntitle: Главная\ncontent:\n  items: '@self.modular'\n---\n"},
        {"pages/04.home/_hero/hero.ru.md", "---\ntitle: Герой\n---\nПривет.\n"},
        {NULL, NULL}};
    fixture f = fixture_build(files);
    char *ru = fixture_page(&f, "ru/branches/index.html");
    CHECK(ru && strstr(ru, "<nav class=\"subpages\" aria-labelledby=\"subpages-title\">\n"
                           "<h2 id=\"subpages-title\">В этом разделе</h2>\n<ul>\n"
                           "<li><a href=\"/ru/branches/astana/\">Астана</a></li>\n"
                           "<li><a href=\"/ru/branches/karaganda/\">Караганда</a></li>\n"
                           "<li><a href=\"/ru/branches/shown/\">Шымкент</a></li>\n</ul>\n</nav>"));
    CHECK(ru && !strstr(ru, "Скрытая") && !strstr(ru, "Черновик"));
    /* in English, the Russian text shown by fallback is marked so */
    char *en = fixture_page(&f, "en/branches/index.html");
    CHECK(en && strstr(en, "<h2 id=\"subpages-title\">In this section</h2>") &&
          strstr(en, "<li><a href=\"/en/branches/astana/\">Astana</a></li>\n"
                     "<li><a href=\"/en/branches/karaganda/\" lang=\"ru\">Караганда</a></li>"));
    /* a template folio lacks, listing its children in the order it asks */
    char *school = fixture_page(&f, "ru/school/index.html");
    CHECK(school && strstr(school, "<li><a href=\"/ru/school/webinar/\">Вебинар</a></li>\n"
                                   "<li><a href=\"/ru/school/aspirin/\">Аспирин</a></li>"));
    /* a text that links to every page under it is list enough */
    char *about = fixture_page(&f, "ru/about/index.html");
    CHECK(about && strstr(about, "href=\"/ru/about/mission/\"") && !strstr(about, "class=\"subpages\""));
    char *home = fixture_page(&f, "ru/index.html");
    CHECK(home && strstr(home, "<h1>Главная</h1>") && !strstr(home, "class=\"subpages\""));
    char *leaf = fixture_page(&f, "ru/branches/karaganda/index.html");
    CHECK(leaf && !strstr(leaf, "class=\"subpages\""));
    /* and each page has its way back up */
    CHECK(leaf && strstr(leaf, "<nav class=\"trail\" aria-label=\"Вы здесь\">\n<ol>\n"
                               "<li><a href=\"/ru/branches/\">Филиалы</a></li>\n"
                               "<li><span aria-current=\"page\">Караганда</span></li>\n</ol>\n</nav>"));
    char *deep = fixture_page(&f, "ru/branches/astana/clinic/index.html");
    CHECK(deep && strstr(deep, "<li><a href=\"/ru/branches/\">Филиалы</a></li>\n"
                               "<li><a href=\"/ru/branches/astana/\">Астана</a></li>\n"
                               "<li><span aria-current=\"page\">Клиника №1</span></li>"));
    char *room = fixture_page(&f, "ru/branches/astana/nopage/room/index.html");
    CHECK(room && strstr(room, "<li><a href=\"/ru/branches/astana/\">Астана</a></li>\n"
                               "<li><span aria-current=\"page\">Кабинет</span></li>"));
    /* the pages' menu titles, as Grav's menus have them */
    char *astana = fixture_page(&f, "ru/branches/astana/index.html");
    CHECK(astana && strstr(astana, "<li><a href=\"/ru/branches/astana/clinic/\">Клиника №1</a></li>"));
    free(astana);
    CHECK(ru && !strstr(ru, "class=\"trail\""));
    char *en_deep = fixture_page(&f, "en/branches/karaganda/index.html");
    CHECK(en_deep && strstr(en_deep, "<li><a href=\"/en/branches/\">Branches</a></li>\n"
                                     "<li><span aria-current=\"page\" lang=\"ru\">Караганда</span></li>"));
    free(deep);
    free(room);
    free(en_deep);
    free(ru);
    free(en);
    free(school);
    free(about);
    free(home);
    free(leaf);
    fixture_remove(&f);
}

/* The center's branch pages say show_sidebar: true (its PHP theme puts
 * the latest news beside them): a plain page that asks has them too; one
 * that does not, and the home page, which lists them itself, have none. */
TEST(plain_page_has_the_latest_news_beside_it_when_it_asks)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"config/site.yaml", "title: Центр\n"},
        {"pages/01.home/default.ru.md", "---\ntitle: Главная\nshow_sidebar: true\n---\nТекст.\n"},
        {"pages/02.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.news/01.post/item.ru.md", "---\ntitle: День донора\ndate: '09-01-2023 10:00'\n---\nТекст.\n"},
        {"pages/03.branches/default.ru.md", "---\ntitle: Филиалы\n---\n"},
        {"pages/03.branches/01.karaganda/default.ru.md", "---\ntitle: Караганда\nshow_sidebar: true\n---\nАдрес.\n"},
        {NULL, NULL}};
    fixture f = fixture_build(files);
    char *asks = fixture_page(&f, "ru/branches/karaganda/index.html");
    char *plain = fixture_page(&f, "ru/branches/index.html");
    char *home = fixture_page(&f, "ru/index.html");
    CHECK(asks && strstr(asks, "<main id=\"main\" class=\"wrap with-sidebar\">") &&
          strstr(asks, "<aside class=\"sidebar\" aria-labelledby=\"latest-news-title\">") &&
          strstr(asks, "<li><a href=\"/ru/news/post/\">День донора</a>"));
    CHECK(plain && !strstr(plain, "class=\"sidebar\"") && !strstr(plain, "with-sidebar"));
    CHECK(home && !strstr(home, "class=\"sidebar\"") && strstr(home, "home-latest"));
    free(asks);
    free(plain);
    free(home);
    fixture_remove(&f);
}

/* A post's "## Part" in its summary was an h2 among the cards' h2
 * titles on the news list: in a card it is an h3. The post keeps its h2.
 * The donor-day post began its summary with "####" and had its "###"
 * later: in the card the "####" is an h3 too, not a skip from h2 to h4. */
TEST(headings_of_a_summary_in_a_card_are_below_the_card_title)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"config/site.yaml", "title: Центр\n"},
        {"pages/01.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.post/item.ru.md",
         "---\ntitle: День донора\ndate: '09-01-2023 10:00'\n---\n## Кто может стать донором\n\nВзрослый.\n\n===\n\n"
         "## Как подготовиться\n"},
        {"pages/01.news/02.day/item.ru.md",
         "---\ntitle: Всемирный день донора\ndate: '01-03-2026 10:00'\n---\n#### За\n\nДа.\n\n### Итог\n\nВсё.\n"},
        {NULL, NULL}};
    fixture f = fixture_build(files);
    char *list = fixture_page(&f, "ru/news/index.html");
    CHECK(list && strstr(list, "<div class=\"summary\"><h3>За</h3>\n<p>Да.</p>\n<h3>Итог</h3>"));
    char *post = fixture_page(&f, "ru/news/post/index.html");
    CHECK(list && strstr(list, "<div class=\"summary\"><h3>Кто может стать донором</h3>"));
    CHECK(post && strstr(post, "<h2>Кто может стать донором</h2>"));
    free(list);
    free(post);
    fixture_remove(&f);
}

/* A site without a title (no 'title:' in site.yaml and no home page to
 * take one from) had "Новости | " as its pages' titles, an empty brand
 * link and an empty link in the footer: links a screen reader reads as
 * nothing. */
TEST(site_without_a_title_has_no_empty_links_or_dangling_separator)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.post/item.ru.md", "---\ntitle: День донора\ndate: '09-01-2023 10:00'\n---\nТекст.\n"},
        {NULL, NULL}};
    fixture f = fixture_build(files);
    char *list = fixture_page(&f, "ru/news/index.html");
    char *missing = fixture_page(&f, "ru/404.html");
    CHECK(list && strstr(list, "<title>Новости</title>"));
    CHECK(list && strstr(list, "<span class=\"brand-name\">Главная</span></a>"));
    CHECK(list && !strstr(list, "\"></a>") && !strstr(list, "og:site_name"));
    CHECK(missing && strstr(missing, "<title>Страница не найдена</title>"));
    free(list);
    free(missing);
    fixture_remove(&f);
}

TEST(header_has_a_way_home_and_the_visible_top_level_pages)
{
    char *html = page_at(example(), "kk/" POST "index.html");
    CHECK_CONTAINS(html, "<a class=\"brand\" href=\"/kk/\">");
    CHECK_CONTAINS(html, ">Гематология орталығы</span></a>");
    CHECK_CONTAINS(html, "<li><a href=\"/kk/news/\" class=\"active\">Жаңалықтар</a></li>");
    CHECK_CONTAINS(html, "<li><a href=\"/kk/\">Басты бет</a></li>");
    free(html);
}

TEST(header_image_shows_the_first_photo_unless_the_post_turns_it_off)
{
    /* this post has a photo and no header_image setting */
    char *with = page_at(example(), "en/news/2024-05-25-education-exchange-program/index.html");
    /* cropped wide (1200 x 400) in several widths, loaded at once above the fold */
    CHECK_CONTAINS(with, "<div class=\"header-image\"><picture>");
    CHECK_CONTAINS(with, "/media/news/2024-05-25-education-exchange-program/2024-05-25-1-1200x400-");
    CHECK_CONTAINS(with, "2024-05-25-1-480x160-");
    CHECK_CONTAINS(with, " alt=\"\"");
    CHECK_CONTAINS(with, "width=\"1200\" height=\"400\"");
    free(with);
    /* header_image: false, though its folder holds three photos */
    char *without = page_at(example(), "en/" POST "index.html");
    CHECK_NOT_CONTAINS(without, "class=\"header-image\"");
    free(without);
    char *list = page_at(example(), "en/news/index.html");
    char *card = card_linking_to(list, "/en/" POST);
    CHECK(card && !strstr(card, "header-image"));
    free(card);
    card = card_linking_to(list, "/en/news/2024-05-25-education-exchange-program/");
    CHECK(card && strstr(card, "<div class=\"header-image\"><picture>") &&
          strstr(card, "/media/news/2024-05-25-education-exchange-program/2024-05-25-1-"));
    free(card);
    free(list);
}

TEST(post_links_to_the_older_and_the_newer_post)
{
    char *html = page_at(example(), "ru/" POST "index.html");
    CHECK_CONTAINS(html, "<a class=\"prev-next-older\" rel=\"prev\" href=\"/ru/news/2022-11-16-master-class-in-north-kazakhstan/\">");
    CHECK_CONTAINS(html, "<a class=\"prev-next-newer\" rel=\"next\" href=\"/ru/news/2024-05-25-education-exchange-program/\">");
    CHECK_CONTAINS(html, "Предыдущая новость");
    free(html);
    /* the newest post has nothing newer, the oldest nothing older */
    char *newest = page_at(example(), "ru/news/2024-05-25-education-exchange-program/index.html");
    CHECK_NOT_CONTAINS(newest, "prev-next-newer");
    CHECK_CONTAINS(newest, "prev-next-older");
    free(newest);
    char *oldest = page_at(example(), "ru/news/2019-07-22-silk-road-central-asia-hematology-forum/index.html");
    CHECK_NOT_CONTAINS(oldest, "prev-next-older");
    CHECK_CONTAINS(oldest, "prev-next-newer");
    free(oldest);
}

TEST(post_has_a_sidebar_with_at_most_five_latest_posts)
{
    char *html = page_at(example(), "en/" POST "index.html");
    const char *aside = strstr(html, "<aside class=\"sidebar\"");
    CHECK(aside != NULL);
    if (aside) {
        const char *end = strstr(aside, "</aside>");
        char *sb = xstrndup(aside, end ? (size_t)(end - aside) : strlen(aside));
        CHECK_CONTAINS(sb, "Latest news");
        int items = count_of(sb, "<li>");
        CHECK(items >= 1 && items <= 5);
        CHECK_CONTAINS(sb, "href=\"/en/" POST "\" aria-current=\"page\"");
        free(sb);
    }
    free(html);
    /* Every post of every language marks itself, and only itself, in its
     * language's list (the list is made once and kept for the pages
     * outside it: a mark or a language must never leak from one page to
     * another). */
    static const char *const posts[] = {"2019-07-22-silk-road-central-asia-hematology-forum",
                                        "2022-11-16-master-class-in-north-kazakhstan",
                                        "2023-01-09-practical-conference", "2024-05-25-education-exchange-program",
                                        "2022-04-12-visit-chief-consulting-hematologist"};
    static const char *const langs[][2] = {{"kk", "Соңғы жаңалықтар"}, {"ru", "Последние новости"}, {"en", "Latest news"}};
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
            char rel[256], mine[300];
            snprintf(rel, sizeof rel, "%s/news/%s/index.html", langs[l][0], posts[i]);
            snprintf(mine, sizeof mine, "href=\"/%s/news/%s/\" aria-current=\"page\"", langs[l][0], posts[i]);
            char *page = page_at(example(), rel);
            const char *side = strstr(page, "<aside class=\"sidebar\"");
            CHECK(side != NULL);
            if (side) {
                const char *end = strstr(side, "</aside>");
                char *sb = xstrndup(side, end ? (size_t)(end - side) : strlen(side));
                CHECK_CONTAINS(sb, langs[l][1]);
                CHECK_CONTAINS(sb, mine);
                CHECK_INT(count_of(sb, "aria-current=\"page\""), 1);
                free(sb);
            }
            free(page);
        }
}

TEST(gallery_post_loads_the_gallery_script_deferred_and_others_do_not)
{
    char *gallery = page_at(example(), "kk/" POST "index.html");
    CHECK_CONTAINS(gallery, "<ul class=\"gallery-slides\">");
    CHECK_CONTAINS(gallery, "<script src=\"/theme/gallery.");
    CHECK_CONTAINS(gallery, ".js\" defer></script>");
    /* the button labels come from the page's language */
    CHECK_CONTAINS(gallery, "data-gallery-next=\"Келесі фото\"");
    free(gallery);
    char *plain = page_at(example(), "kk/news/2022-11-16-master-class-in-north-kazakhstan/index.html");
    CHECK_NOT_CONTAINS(plain, "<script src=");
    free(plain);
}

TEST(each_language_has_its_own_not_found_page)
{
    char *kk = page_at(example(), "kk/404.html");
    CHECK_CONTAINS(kk, "<h1>Бет табылмады</h1>");
    CHECK_CONTAINS(kk, "<title>Бет табылмады | Гематология орталығы</title>");
    CHECK_CONTAINS(kk, "href=\"/kk/\">Басты бетке оралу</a>");
    free(kk);
    char *en = page_at(example(), "en/404.html");
    CHECK_CONTAINS(en, "<h1>Page not found</h1>");
    CHECK_CONTAINS(en, "href=\"/en/\">Back to the home page</a>");
    /* asked for by its own name (/en/404.html) it answers 200: not for
     * search engines to list; the pages themselves are */
    CHECK_CONTAINS(en, "<meta name=\"robots\" content=\"noindex\">");
    free(en);
    char *list = page_at(example(), "en/news/index.html");
    CHECK_NOT_CONTAINS(list, "name=\"robots\"");
    free(list);
}

/* ---- every file of the built site ------------------------------------- */

static buf walk_problems;
static size_t walk_html_files;
static size_t walk_css_js_bytes;

static const char *attr_value(const char *tag, size_t len, const char *name, size_t *vlen)
{
    size_t n = strlen(name);
    for (size_t i = 1; i + n + 1 < len; i++) {
        if ((tag[i - 1] != ' ' && tag[i - 1] != '\n') || strncasecmp(tag + i, name, n) || tag[i + n] != '=') continue;
        const char *v = tag + i + n + 1;
        char q = *v;
        if (q != '"' && q != '\'') return NULL;
        const char *close = memchr(v + 1, q, len - (size_t)(v + 1 - tag));
        if (!close) return NULL;
        *vlen = (size_t)(close - v - 1);
        return v + 1;
    }
    return NULL;
}

static bool is_external(const char *url, size_t len)
{
    return (len >= 7 && !strncasecmp(url, "http://", 7)) || (len >= 8 && !strncasecmp(url, "https://", 8)) ||
           (len >= 2 && !strncmp(url, "//", 2));
}

static void check_html_file(const char *path, const char *html)
{
    static const char *const resource_tags[] = {"<link", "<script", "<img", "<source", NULL};
    for (int t = 0; resource_tags[t]; t++) {
        for (const char *p = strstr(html, resource_tags[t]); p; p = strstr(p + 1, resource_tags[t])) {
            const char *end = strchr(p, '>');
            if (!end) break;
            size_t len = (size_t)(end - p);
            size_t rlen = 0, ulen = 0;
            const char *rel = attr_value(p, len, "rel", &rlen);
            /* canonical and alternates name this site's own absolute URLs */
            bool names_page = rel && ((rlen == 9 && !strncmp(rel, "canonical", 9)) || (rlen == 9 && !strncmp(rel, "alternate", 9)));
            const char *attrs[] = {"src", "href", "srcset", NULL};
            for (int a = 0; attrs[a]; a++) {
                const char *url = attr_value(p, len, attrs[a], &ulen);
                if (!url || !is_external(url, ulen)) continue;
                if (names_page && ulen >= 21 && !strncmp(url, "https://hematology.kz/", 21)) continue;
                buf_printf(&walk_problems, "%s: external resource %.*s\n", path, (int)ulen, url);
            }
        }
    }
    for (const char *p = strstr(html, "<script"); p; p = strstr(p + 1, "<script")) {
        const char *gt = strchr(p, '>');
        if (!gt) break;
        size_t slen;
        size_t tlen;
        const char *type = attr_value(p, (size_t)(gt - p), "type", &tlen);
        /* JSON-LD is data for search engines, not code: no browser runs it */
        if (type && tlen == 19 && !strncmp(type, "application/ld+json", 19)) continue;
        if (!attr_value(p, (size_t)(gt - p), "src", &slen) || strncmp(gt, "></script>", 10) != 0)
            buf_printf(&walk_problems, "%s: inline script\n", path);
    }
    static const char *const inline_styles[] = {" style=", "<style", " onclick=", " onload=", " onerror=", NULL};
    for (int i = 0; inline_styles[i]; i++)
        if (strcasestr(html, inline_styles[i])) buf_printf(&walk_problems, "%s: has %s\n", path, inline_styles[i]);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F) return 0;
    const char *dot = strrchr(path, '.');
    if (!dot) return 0;
    if (!strcmp(dot, ".css") || !strcmp(dot, ".js")) walk_css_js_bytes += (size_t)st->st_size;
    if (strcmp(dot, ".html") != 0) return 0;
    size_t len;
    char *html = file_read(path, &len, 16 * 1024 * 1024);
    if (!html) return 0;
    walk_html_files++;
    check_html_file(path + strlen(example()), html);
    free(html);
    return 0;
}

static void walk_example(void)
{
    static bool done;
    if (done) return;
    done = true;
    char root[4096];
    snprintf(root, sizeof root, "%s/out", example());
    nftw(root, visit, 16, FTW_PHYS);
}

TEST(all_css_and_scripts_together_stay_under_30_kb)
{
    walk_example();
    CHECK(walk_css_js_bytes > 1000); /* the stylesheet was found */
    if (walk_css_js_bytes >= CSS_JS_BUDGET)
        test_fail(__FILE__, __LINE__, "theme CSS + JS is %zu bytes", walk_css_js_bytes);
}

TEST(no_page_loads_anything_from_another_host_or_runs_inline_code)
{
    walk_example();
    CHECK(walk_html_files >= 20);
    if (walk_problems.len) test_fail(__FILE__, __LINE__, "%s", buf_cstr(&walk_problems));
}

/* The walk's checker must see what it is looking for. */
TEST(page_checker_notices_external_resources_inline_scripts_and_styles)
{
    walk_example();
    size_t before = walk_problems.len;
    check_html_file("bad.html", "<img src=\"https://cdn.example.com/a.png\"><script>alert(1)</script>"
                                "<link rel=\"stylesheet\" href=\"//fonts.example.com/f.css\"><p style=\"color:red\">");
    const char *found = buf_cstr(&walk_problems) + before;
    CHECK_CONTAINS(found, "external resource https://cdn.example.com/a.png");
    CHECK_CONTAINS(found, "external resource //fonts.example.com/f.css");
    CHECK_CONTAINS(found, "inline script");
    CHECK_CONTAINS(found, "has  style=");
    walk_problems.len = before;
    if (walk_problems.s) walk_problems.s[before] = 0;
}

/* ---- fixture sites ---------------------------------------------------- */

#define FIX_SITE_YAML {"config/site.yaml", "title: Clinic\nurl: https://clinic.example\n"}
#define FIX_NEWS_BLOG(lang)                                                                                        \
    {"pages/02.news/blog." lang ".md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n  order:\n    by: date\n" \
                                       "    dir: desc\n  limit: 10\n  pagination: true\n---\n"}

static const char *const rules_site[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    FIX_SITE_YAML,
    {"pages/01.home/default.en.md", "---\ntitle: Home\n---\nWelcome.\n"},
    FIX_NEWS_BLOG("en"),
    FIX_NEWS_BLOG("ru"),
    {"pages/02.news/long/item.en.md", "---\ntitle: Long post\ndate: '2024-03-05 10:00'\n---\nFirst part.\n\n===\n\nThe rest.\n"},
    {"pages/02.news/long/item.ru.md", "---\ntitle: Длинная\ndate: '2024-03-05 10:00'\n---\nНачало.\n\n===\n\nОстальное.\n"},
    {"pages/02.news/no-link/item.en.md",
     "---\ntitle: No link\ndate: '2024-03-04 10:00'\ncontinue_link: false\n---\nFirst part.\n\n===\n\nThe rest.\n"},
    {"pages/02.news/short/item.en.md", "---\ntitle: Short post\ndate: '2024-03-03 10:00'\n---\nAll there is.\n"},
    {"pages/02.news/plain/item.en.md",
     "---\ntitle: Plain post\ndate: '2024-03-02 10:00'\nhide_page_title: true\nshow_sidebar: false\n---\nText.\n"},
    {NULL, NULL},
};

static char *rules_out;

static void remove_rules_out(void)
{
    sitefix_remove(rules_out);
}

static const char *rules(void)
{
    if (!rules_out) {
        char *dir = sitefix_make(rules_site);
        rules_out = build_into_temp(dir);
        sitefix_remove(dir);
        atexit(remove_rules_out);
    }
    return rules_out;
}

TEST(read_more_only_when_the_summary_is_shorter_and_continue_link_is_not_false)
{
    char *html = page_at(rules(), "en/news/index.html");
    char *long_card = card_linking_to(html, "/en/news/long/");
    char *off_card = card_linking_to(html, "/en/news/no-link/");
    char *short_card = card_linking_to(html, "/en/news/short/");
    CHECK(long_card && off_card && short_card);
    if (long_card && off_card && short_card) {
        CHECK_CONTAINS(long_card, "class=\"read-more\"");
        CHECK_NOT_CONTAINS(long_card, "The rest.");
        CHECK_NOT_CONTAINS(off_card, "read-more");
        CHECK_CONTAINS(off_card, "First part.");
        CHECK_NOT_CONTAINS(short_card, "read-more");
        CHECK_CONTAINS(short_card, "All there is.");
    }
    free(long_card);
    free(off_card);
    free(short_card);
    free(html);
}

TEST(theme_translates_its_strings_when_the_site_has_no_language_files)
{
    /* the fixture has no languages/ folder */
    char *en = page_at(rules(), "en/news/index.html");
    CHECK_CONTAINS(en, ">Read more...</a>");
    CHECK_NOT_CONTAINS(en, "READ_MORE");
    free(en);
    char *ru = page_at(rules(), "ru/news/index.html");
    CHECK_CONTAINS(ru, ">Подробно...</a>");
    CHECK_CONTAINS(ru, "Перейти к содержанию");
    free(ru);
}

TEST(hide_page_title_keeps_the_heading_for_screen_readers_only)
{
    char *html = page_at(rules(), "en/news/plain/index.html");
    CHECK_CONTAINS(html, "<h1 class=\"visually-hidden\">Plain post</h1>");
    CHECK_NOT_CONTAINS(html, "<h1>Plain post</h1>");
    free(html);
    char *shown = page_at(rules(), "en/news/short/index.html");
    CHECK_CONTAINS(shown, "<h1>Short post</h1>");
    free(shown);
}

TEST(show_sidebar_false_leaves_the_sidebar_out)
{
    char *html = page_at(rules(), "en/news/plain/index.html");
    CHECK_NOT_CONTAINS(html, "class=\"sidebar\"");
    CHECK_NOT_CONTAINS(html, "with-sidebar");
    free(html);
    char *with = page_at(rules(), "en/news/short/index.html");
    CHECK_CONTAINS(with, "<aside class=\"sidebar\"");
    free(with);
}

TEST(switcher_sends_to_the_home_of_a_language_without_the_page)
{
    /* "short" exists in English only; "long" also in Russian */
    char *html = page_at(rules(), "en/news/short/index.html");
    CHECK_CONTAINS(html, "<a href=\"/ru/\" hreflang=\"ru\" lang=\"ru\">");
    CHECK_CONTAINS(html, "<a href=\"/kk/\" hreflang=\"kk\" lang=\"kk\">");
    /* a page in one language has no alternates */
    CHECK_NOT_CONTAINS(html, "hreflang=\"x-default\"");
    free(html);
    char *two = page_at(rules(), "en/news/long/index.html");
    CHECK_CONTAINS(two, "<a href=\"/ru/news/long/\" hreflang=\"ru\" lang=\"ru\">");
    CHECK_CONTAINS(two, "<link rel=\"alternate\" hreflang=\"ru\" href=\"https://clinic.example/ru/news/long/\">");
    free(two);
}

/* A news list of 12 posts, one per page: pagination must stay a short
 * window around the current page. */
static char *paged_out;

static void remove_paged_out(void)
{
    sitefix_remove(paged_out);
}

static const char *paged(void)
{
    if (paged_out) return paged_out;
    enum { POSTS = 12 };
    const char *files[POSTS + 5][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        FIX_SITE_YAML,
        {"pages/02.news/blog.en.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n  order:\n    by: date\n"
                                     "    dir: desc\n  limit: 1\n  pagination: true\n---\n"},
        FIX_NEWS_BLOG("ru"),
    };
    char names[POSTS][64], bodies[POSTS][160];
    for (int i = 0; i < POSTS; i++) {
        snprintf(names[i], sizeof names[i], "pages/02.news/post-%02d/item.en.md", i + 1);
        snprintf(bodies[i], sizeof bodies[i], "---\ntitle: Post %02d\ndate: '2024-01-%02d 10:00'\n---\nBody %02d.\n", i + 1,
                 i + 1, i + 1);
        files[4 + i][0] = names[i];
        files[4 + i][1] = bodies[i];
    }
    files[4 + POSTS][0] = files[4 + POSTS][1] = NULL;
    char *dir = sitefix_make(files);
    paged_out = build_into_temp(dir);
    sitefix_remove(dir);
    atexit(remove_paged_out);
    return paged_out;
}

TEST(long_news_list_is_paginated_with_newer_and_older_links)
{
    char *first = page_at(paged(), "en/news/index.html");
    CHECK_CONTAINS(first, "Post 12"); /* newest first */
    CHECK_NOT_CONTAINS(first, "Post 11");
    CHECK_CONTAINS(first, "<nav class=\"pagination\"");
    CHECK_CONTAINS(first, "<a rel=\"next\" href=\"/en/news/page/2/\">");
    CHECK_NOT_CONTAINS(first, "rel=\"prev\"");
    CHECK_CONTAINS(first, "<a href=\"/en/news/\" aria-current=\"page\">1</a>");
    CHECK_CONTAINS(first, "<a href=\"/en/news/page/12/\">12</a>");
    free(first);
    char *last = page_at(paged(), "en/news/page/12/index.html");
    CHECK_CONTAINS(last, "Post 01");
    /* the link previews name this page of the list, as the canonical link does */
    const char *canonical = last ? strstr(last, "<link rel=\"canonical\" href=\"") : NULL;
    CHECK(canonical && !strncmp(canonical + 28, "https://", 8));
    if (canonical) {
        char want[512];
        snprintf(want, sizeof want, "<meta property=\"og:url\" content=\"%.*s\">",
                 (int)strcspn(canonical + 28, "\""), canonical + 28);
        CHECK_CONTAINS(last, want);
        CHECK_CONTAINS(last, "/en/news/page/12/\">");
    }
    CHECK_CONTAINS(last, "<a rel=\"prev\" href=\"/en/news/page/11/\">");
    CHECK_NOT_CONTAINS(last, "rel=\"next\"");
    free(last);
}

TEST(pagination_shows_a_window_around_the_current_page)
{
    char *html = page_at(paged(), "en/news/page/6/index.html");
    const char *nav = strstr(html, "<nav class=\"pagination\"");
    CHECK(nav != NULL);
    if (nav) {
        /* 1 … 4 5 [6] 7 8 … 12 */
        const char *shown[] = {"/en/news/\">1<", "/page/4/\">4<", "/page/5/\">5<", "/page/6/\" aria-current=\"page\">6<",
                               "/page/7/\">7<", "/page/8/\">8<", "/page/12/\">12<"};
        for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) CHECK_CONTAINS(nav, shown[i]);
        const char *hidden[] = {"/page/2/\">2<", "/page/3/\">3<", "/page/9/\">9<", "/page/11/\">11<"};
        for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) CHECK_NOT_CONTAINS(nav, hidden[i]);
        CHECK_INT(count_of(nav, "class=\"pagination-gap\""), 2);
    }
    free(html);
}

TEST(later_pages_of_a_list_have_their_own_canonical_url_and_title)
{
    char *html = page_at(paged(), "en/news/page/3/index.html");
    CHECK_CONTAINS(html, "<link rel=\"canonical\" href=\"https://clinic.example/en/news/page/3/\">");
    CHECK_CONTAINS(html, "<title>News · Page 3 | Clinic</title>");
    /* page 3 has no counterpart in Russian; the list's first page does */
    CHECK_NOT_CONTAINS(html, "rel=\"alternate\" hreflang=");
    char *first = page_at(paged(), "en/news/index.html");
    CHECK_CONTAINS(first, "<link rel=\"alternate\" hreflang=\"ru\" href=\"https://clinic.example/ru/news/\">");
    free(first);
    free(html);
}

/* A plain page that begins with its own "# Heading", as Grav's pages
 * often do (Grav's themes show no title on them), has that heading as its
 * only h1; a page without one gets the title, and a post keeps its title
 * above the date whatever its text begins with. */
TEST(page_beginning_with_its_own_heading_has_one_h1)
{
    static const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        FIX_SITE_YAML,
        {"pages/03.contacts/default.en.md", "---\ntitle: Contacts\n---\n\n# Our branches\n\nAlmaty, Astana.\n"},
        {"pages/04.about/default.en.md", "---\ntitle: About\n---\nWe are a clinic.\n\n# Later heading\n"},
        {"pages/02.news/blog.en.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.news/01.post/item.en.md", "---\ntitle: A post\ndate: '2024-01-01 10:00'\n---\n# A post\n\nText.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    char *out = build_into_temp(dir);
    sitefix_remove(dir);
    char *contacts = page_at(out, "en/contacts/index.html"), *about = page_at(out, "en/about/index.html"),
         *post = page_at(out, "en/news/post/index.html");
    CHECK_CONTAINS(contacts, "<h1>Our branches</h1>");
    CHECK_NOT_CONTAINS(contacts, ">Contacts</h1>");
    CHECK_CONTAINS(about, "<h1>About</h1>");
    CHECK_CONTAINS(post, "<header class=\"post-header\">\n<h1>A post</h1>");
    free(contacts);
    free(about);
    free(post);
    sitefix_remove(out);
}
