/* test_build.c - whole builds into a folder: what is written, atomicity,
 * broken pages, code that must stay code. */
#include "build/build.h"
#include "build/output_dir.h"
#include "build/policy.h"
#include "check/check.h"
#include "content/site.h"
#include "lib/files.h"
#include "lib/utf8.h"
#include "media/cache.h"
#include "sitefix.h"
#include "test.h"

#include <ftw.h>
#include <vips/vips.h>
#include <glob.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *out_root;

static const char *fresh_out(void)
{
    static char path[4096];
    if (!out_root) {
        char tmpl[] = "/tmp/folio-out-XXXXXX";
        out_root = xstrdup(mkdtemp(tmpl));
    }
    static int n;
    snprintf(path, sizeof path, "%s/out%d", out_root, n++);
    return path;
}

/* A whole build into out, committed; g (may be NULL) guards out. */
static int build_guarded(const char *site_dir, const char *out, const output_guard *g, bool strict, diag_list *d,
                         build_result *res)
{
    diag_init(d);
    build_options opt = {0};
    opt.site_dir = site_dir;
    opt.strict = strict;
    output *o = output_dir_open(out, g, d);
    if (!o) return -1;
    int rc = build_site(&opt, o, d, res);
    if (rc == 0) rc = output_dir_commit(o, d);
    else output_dir_abort(o);
    return rc;
}

static int build_into(const char *site_dir, const char *out, bool strict, diag_list *d, build_result *res)
{
    return build_guarded(site_dir, out, NULL, strict, d, res);
}

/* A fresh build of the fixture in dir, which must succeed without errors;
 * its output folder. */
static const char *build_cleanly(const char *dir)
{
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK_INT(d.errors, 0);
    diag_free(&d);
    return out;
}

static char *read_out(const char *out, const char *rel)
{
    char *p = path_join(out, rel);
    char *text = file_read(p, NULL, 0);
    free(p);
    return text;
}

static bool out_exists(const char *out, const char *rel)
{
    char *p = path_join(out, rel);
    bool ok = path_exists(p);
    free(p);
    return ok;
}

static const char *example(void)
{
    static char p[4096];
    snprintf(p, sizeof p, "%s/site", test_repo_dir());
    return p;
}

TEST(example_site_builds_every_page_in_every_language)
{
    const char *out = fresh_out();
    diag_list d;
    build_result res;
    CHECK_INT(build_into(example(), out, true, &d, &res), 0);
    CHECK_INT(d.errors, 0);
    const char *langs[] = {"kk", "ru", "en"};
    for (int i = 0; i < 3; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "%s/news/2019-07-22-silk-road-central-asia-hematology-forum/index.html", langs[i]);
        char *html = read_out(out, rel);
        CHECK(html != NULL);
        char lang_attr[64];
        snprintf(lang_attr, sizeof lang_attr, "<html lang=\"%s\"", langs[i]);
        CHECK_CONTAINS(html, lang_attr);
        CHECK_CONTAINS(html, "<!DOCTYPE html>");
        free(html);
        snprintf(rel, sizeof rel, "%s/index.html", langs[i]);
        CHECK(out_exists(out, rel));
        snprintf(rel, sizeof rel, "%s/404.html", langs[i]);
        CHECK(out_exists(out, rel));
        snprintf(rel, sizeof rel, "%s/news/index.html", langs[i]);
        CHECK(out_exists(out, rel));
    }
    char *root = read_out(out, "index.html");
    CHECK_CONTAINS(root, "url=/kk/");
    free(root);
    diag_free(&d);
}

TEST(media_is_published_once_for_all_languages)
{
    const char *out = fresh_out();
    diag_list d;
    build_into(example(), out, false, &d, NULL);
    CHECK(out_exists(out, "media/news/2023-01-09-practical-conference/2023-01-09-1.jpg"));
    CHECK(!out_exists(out, "kk/news/2023-01-09-practical-conference/2023-01-09-1.jpg"));
    CHECK(!out_exists(out, "ru/media"));
    char *html = read_out(out, "ru/news/2023-01-09-practical-conference/index.html");
    CHECK_CONTAINS(html, "/media/news/2023-01-09-practical-conference/2023-01-09-1.jpg");
    free(html);
    char *redirects = read_out(out, "_redirects");
    CHECK_CONTAINS(redirects, "/user/pages/02.news/03.2023-01-09-practical-conference/2023-01-09-1.jpg "
                              "/media/news/2023-01-09-practical-conference/2023-01-09-1.jpg 301");
    free(redirects);
    diag_free(&d);
}

/* A draft's files are not published, and Grav's old address of them
 * (/user/pages/.../file) does not redirect to a file that is not there. */
TEST(draft_files_are_neither_published_nor_redirected_to)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/02.news/01.post/item.ru.md", "---\ntitle: Post\n---\nText.\n"},
        {"pages/02.news/01.post/price.pdf", "%PDF-1.4\n"},
        {"pages/02.news/02.draft/item.ru.md", "---\ntitle: Draft\npublished: false\n---\nNo.\n"},
        {"pages/02.news/02.draft/plan.pdf", "%PDF-1.4\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    build_into(dir, out, false, &d, NULL);
    CHECK(out_exists(out, "media/news/post/price.pdf"));
    CHECK(!out_exists(out, "media/news/draft/plan.pdf"));
    char *redirects = read_out(out, "_redirects");
    CHECK_CONTAINS(redirects, "/user/pages/02.news/01.post/price.pdf /media/news/post/price.pdf 301");
    CHECK_NOT_CONTAINS(redirects, "plan.pdf");
    free(redirects);
    diag_free(&d);
    sitefix_remove(dir);
}

/* Pages link from the root of the host: a site url with a path
 * (https://example.org/center/) would have working feeds and broken
 * pages, so the build says so; a url without one says nothing. */
TEST(site_url_with_a_path_is_a_warning)
{
    const char *const with_path[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"config/site.yaml", "title: Центр\nurl: https://example.org/center/\n"},
        {"pages/01.home/default.ru.md", "---\ntitle: Главная\n---\nТекст.\n"},
        {NULL, NULL}};
    const char *const at_root[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"config/site.yaml", "title: Центр\nurl: https://example.org/\n"},
        {"pages/01.home/default.ru.md", "---\ntitle: Главная\n---\nТекст.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(with_path), *root = sitefix_make(at_root);
    diag_list d, r;
    build_into(dir, fresh_out(), false, &d, NULL);
    build_into(root, fresh_out(), false, &r, NULL);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "config/site.yaml", 0, "url 'https://example.org/center' has a path"));
    CHECK(!sitefix_has_diag(&r, DIAG_WARNING, "config/site.yaml", 0, "has a path"));
    diag_free(&d);
    diag_free(&r);
    sitefix_remove(dir);
    sitefix_remove(root);
}

/* "published: нет" or "no" is a word, not false, in Grav's YAML: Grav
 * publishes the page its editor meant to hide. folio hides a page whose
 * 'published' is a word other than one that says yes (check says it is
 * not a boolean, and that the page is not published). */
TEST(published_as_a_word_publishes_only_when_it_says_yes)
{
    static const struct {
        const char *value;
        bool shown;
    } cases[] = {{"нет", false}, {"no", false}, {"off", false}, {"fasle", false}, {"yes please", false},
                 {"[true]", false}, {"'false'", false}, {"yes", true}, {"Да", true}, {"'true'", true},
                 {"true", true}, {"false", false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char post[256];
        snprintf(post, sizeof post, "---\ntitle: Post\npublished: %s\n---\nText.\n", cases[i].value);
        const char *const files[][2] = {SITEFIX_SYSTEM_KK_RU_EN, {"pages/02.post/item.ru.md", post}, {NULL, NULL}};
        char *dir = sitefix_make(files);
        const char *out = fresh_out();
        diag_list d;
        build_into(dir, out, false, &d, NULL);
        if (out_exists(out, "ru/post/index.html") != cases[i].shown)
            test_fail(__FILE__, __LINE__, "published: %s was %s", cases[i].value,
                      cases[i].shown ? "hidden" : "published");
        diag_free(&d);
        sitefix_remove(dir);
    }
}

/* A comment an editor opened and never closed would hide the rest of
 * the page in the browser, the theme's footer too: it is closed at the
 * end of the page's text (whose rest stays hidden, and check says so). */
TEST(comment_never_closed_ends_with_the_text)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/02.post/item.ru.md", "---\ntitle: Post\n---\nShown.\n\n<!-- later\n\nHidden.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *html = read_out(out, "ru/post/index.html");
    const char *open = html ? strstr(html, "<!-- later") : NULL, *footer = html ? strstr(html, "<footer") : NULL;
    CHECK(open && footer);
    if (open && footer) {
        const char *close = strstr(open, "-->");
        CHECK(close && close < footer);
    }
    free(html);
    sitefix_remove(dir);
}

/* "<b>" pasted without its "</b>": the browser carries it on into every
 * paragraph after it, the theme's footer too, and from a summary over
 * the rest of the news list. It is closed at the end of the text and of
 * the summary; a tag closed in the text gets no second closing. */
TEST(formatting_tag_left_open_is_closed_at_the_end_of_the_text)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/02.news/blog.ru.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.news/01.post/item.ru.md",
         "---\ntitle: Post\ndate: '09-01-2023 10:00'\n---\nText <b>important <i>x</i>.\n\n===\n\nMore <u>y</u>.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *post = read_out(out, "ru/news/post/index.html"), *list = read_out(out, "ru/news/index.html");
    const char *more = post ? strstr(post, "More <u>y</u>.</p>") : NULL;
    CHECK(more && strncmp(more + strlen("More <u>y</u>.</p>"), "\n</b>", 5) == 0);
    CHECK(post && !strstr(post, "</i></b>") && !strstr(post, "</u></b>"));
    CHECK_CONTAINS(list, "<p>Text <b>important <i>x</i>.</p>\n</b>");
    free(post);
    free(list);
    sitefix_remove(dir);
}

/* A link to a page keeps its query ("/contacts?branch=2", a form's
 * preset), as Grav's do once their link attributes are taken from it; a
 * fragment still follows it; a file's link is the file's. check finds
 * such a link's page as without the query. */
TEST(page_link_keeps_its_query)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/01.contacts/default.ru.md", "---\ntitle: Контакты\n---\n## Адрес {#addr}\n\nТекст.\n"},
        {"pages/02.post/item.ru.md",
         "---\ntitle: Post\n---\n[a](/contacts?branch=2) [b](../contacts?x=1&y=2#top) [c](/contacts?target=_blank)\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    build_into(dir, out, false, &d, NULL);
    char *post = read_out(out, "ru/post/index.html");
    CHECK_CONTAINS(post, "<a href=\"/ru/contacts/?branch=2\">a</a>");
    CHECK_CONTAINS(post, "<a href=\"/ru/contacts/?x=1&amp;y=2#top\">b</a>");
    CHECK_CONTAINS(post, "<a href=\"/ru/contacts/\" target=\"_blank\"");
    CHECK(!sitefix_has_diag(&d, DIAG_ERROR, "02.post/item.ru.md", 0, "no such page"));
    free(post);
    diag_free(&d);
    sitefix_remove(dir);
}

/* A folder that is no page itself (no page file, or routable: false) but
 * holds pages: Grav sends its address to the first visible page under
 * it, so a link to /ru/branches/ finds the first branch. */
TEST(folder_without_a_page_of_its_own_leads_to_its_first_page)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/02.branches/01.almaty/default.ru.md", "---\ntitle: Алматы\n---\nАдрес.\n"},
        {"pages/02.branches/02.astana/default.ru.md", "---\ntitle: Астана\n---\nАдрес.\n"},
        {"pages/03.section/default.ru.md", "---\ntitle: Section\nroutable: false\n---\nx\n"},
        {"pages/03.section/hidden/default.ru.md", "---\ntitle: Hidden\n---\nx\n"},
        {"pages/03.section/01.first/default.ru.md", "---\ntitle: First\n---\nx\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *redirects = read_out(out, "_redirects"), *stub = read_out(out, "ru/branches/index.html");
    CHECK_CONTAINS(redirects, "/ru/branches/ /ru/branches/almaty/ 302");
    CHECK_CONTAINS(redirects, "/ru/section/ /ru/section/first/ 302");
    CHECK_CONTAINS(stub, "url=/ru/branches/almaty/");
    free(redirects);
    free(stub);
    sitefix_remove(dir);
}

TEST(summary_delimiter_is_removed_and_news_list_shows_summaries)
{
    const char *out = fresh_out();
    diag_list d;
    build_into(example(), out, false, &d, NULL);
    char *post = read_out(out, "en/news/2023-01-09-practical-conference/index.html");
    CHECK_NOT_CONTAINS(post, "<p>===</p>");
    CHECK_NOT_CONTAINS(post, "[owl-carousel");
    CHECK_CONTAINS(post, "class=\"gallery");
    free(post);
    char *list = read_out(out, "ru/news/index.html");
    CHECK_CONTAINS(list, "Так в нескольких словах можно описать");
    /* the rest of the post is not in the list */
    CHECK_NOT_CONTAINS(list, "Почетным гостем мероприятия");
    CHECK_CONTAINS(list, "Подробно...");
    free(list);
    diag_free(&d);
}

/* Grav's summary settings, of the site (config/site.yaml summary:) and of
 * a page (its `summary:` header): not enabled, the whole post; long
 * format, the first characters although the post has a delimiter; a size
 * of the page's own. The delimiter never shows. */
TEST(summary_settings_of_the_site_and_the_page_are_followed)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\ntimezone: Asia/Almaty\n"},
        {"config/site.yaml", "summary:\n  size: 12\n"},
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.whole/item.md", "---\ntitle: W\ndate: '01-02-2024 10:00'\nsummary:\n  enabled: false\n---\n"
                                           "Весь текст.\n\n===\n\nИ его конец.\n"},
        {"pages/01.news/02.long/item.md", "---\ntitle: L\ndate: '02-02-2024 10:00'\nsummary:\n  format: long\n---\n"
                                          "Длинный формат режет текст.\n\n===\n\nХвост.\n"},
        {"pages/01.news/03.short/item.md", "---\ntitle: S\ndate: '03-02-2024 10:00'\nsummary:\n  size: 5\n---\n"
                                           "Короткая сводка без разделителя.\n"},
        {"pages/01.news/04.plain/item.md", "---\ntitle: P\ndate: '04-02-2024 10:00'\n---\nДо разделителя.\n\n===\n\n"
                                           "После.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *list = read_out(out, "ru/news/index.html");
    CHECK_CONTAINS(list, "<div class=\"summary\"><p>Весь текст.</p>\n\n<p>И его конец.</p>\n</div>");
    CHECK_CONTAINS(list, "<div class=\"summary\"><p>Длинный форм…</p></div>");
    CHECK_NOT_CONTAINS(list, "Хвост");
    CHECK_CONTAINS(list, "<div class=\"summary\"><p>Корот…</p></div>");
    CHECK_CONTAINS(list, "<p>До разделителя.</p>");
    CHECK_NOT_CONTAINS(list, "После");
    CHECK_NOT_CONTAINS(list, "===");
    /* the whole post in the list: no "read more" to it */
    CHECK_NOT_CONTAINS(list, "<a href=\"/ru/news/whole/\" aria-label");
    CHECK_CONTAINS(list, "<a href=\"/ru/news/long/\" aria-label");
    free(list);
    char *whole = read_out(out, "ru/news/whole/index.html");
    CHECK_CONTAINS(whole, "<p>Весь текст.</p>\n\n<p>И его конец.</p>");
    free(whole);
    sitefix_remove(dir);
}

static const char *const code_site[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    {"pages/01.doc/default.md", "---\ntitle: Doc\n---\nIntro\n\n```\n===\n[owl-carousel items=1]\n```\n\n"
                                "Use `[safe-email]x@y.kz[/safe-email]` like this.\n\n===\n\nRest\n"},
    {NULL, NULL}};

TEST(code_blocks_keep_shortcodes_and_delimiters_as_text)
{
    char *dir = sitefix_make(code_site);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    char *html = read_out(out, "kk/doc/index.html");
    CHECK_CONTAINS(html, "&#91;owl-carousel items=1]");
    CHECK_CONTAINS(html, "&#91;safe-email]x@y.kz&#91;/safe-email]");
    CHECK_CONTAINS(html, "<pre><code>===");
    CHECK_CONTAINS(html, "Rest");
    CHECK_NOT_CONTAINS(html, "<p>===</p>");
    free(html);
    diag_free(&d);
    sitefix_remove(dir);
}

static const char *const broken_site[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
    {"pages/01.news/01.good/item.md", "---\ntitle: Good post\n---\nGood body\n"},
    {"pages/01.news/02.bad/item.md", "---\ntitle: [broken\n---\nBad body\n"},
    {"pages/01.news/03.twig/item.md", "---\ntitle: Twig\nprocess:\n  twig: true\n---\n{{ page.title }} {% if %}\n"},
    {NULL, NULL}};

TEST(one_broken_page_is_reported_and_the_others_build)
{
    char *dir = sitefix_make(broken_site);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK(d.errors >= 2);
    CHECK(out_exists(out, "ru/news/good/index.html"));
    CHECK(!out_exists(out, "ru/news/bad/index.html"));
    char *list = read_out(out, "ru/news/index.html");
    CHECK_CONTAINS(list, "Good post");
    CHECK_NOT_CONTAINS(list, "Bad body");
    free(list);
    int located = 0;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].path, "02.bad/item.md") && d.items[i].line == 2) located = 1;
    CHECK(located);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(strict_build_fails_and_leaves_previous_output_intact)
{
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(example(), out, true, &d, NULL), 0);
    diag_free(&d);
    char *before = read_out(out, "kk/news/index.html");
    char *dir = sitefix_make(broken_site);
    CHECK_INT(build_into(dir, out, true, &d, NULL), -1);
    char *after = read_out(out, "kk/news/index.html");
    CHECK(before && after && !strcmp(before, after));
    CHECK(!out_exists(out, "ru/news/good/index.html"));
    /* no temporary folder is left next to the output */
    char *parent = xstrdup(out);
    *strrchr(parent, '/') = 0;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c tmp-", parent);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1) n = -1;
        pclose(p);
    }
    CHECK_INT(n, 0);
    free(parent);
    free(before);
    free(after);
    diag_free(&d);
    sitefix_remove(dir);
}

static const char *const paged_site[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    {"pages/01.news/blog.md",
     "---\ntitle: News\ncontent:\n  items: '@self.children'\n  order:\n    by: date\n    dir: desc\n  limit: 2\n  pagination: true\n---\n"},
    {"pages/01.news/01.a/item.md", "---\ntitle: Post A\ndate: '01-01-2020 10:00'\n---\nA\n"},
    {"pages/01.news/02.b/item.md", "---\ntitle: Post B\ndate: '02-01-2020 10:00'\n---\nB\n"},
    {"pages/01.news/03.c/item.md", "---\ntitle: Post C\ndate: '03-01-2020 10:00'\n---\nC\n"},
    {"pages/01.news/04.d/item.md", "---\ntitle: Post D\ndate: '04-01-2020 10:00'\n---\nD\n"},
    {"pages/01.news/05.e/item.md", "---\ntitle: Post E\ndate: '05-01-2020 10:00'\nroutes:\n  aliases: [old-e]\n---\nE\n"},
    {"pages/02.gone/default.md", "---\ntitle: Gone\nredirect: '/news'\n---\n"},
    {NULL, NULL}};

TEST(lists_are_paginated_in_the_static_output)
{
    char *dir = sitefix_make(paged_site);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    char *p1 = read_out(out, "kk/news/index.html");
    char *p2 = read_out(out, "kk/news/page/2/index.html");
    char *p3 = read_out(out, "kk/news/page/3/index.html");
    CHECK(p1 && p2 && p3);
    CHECK_CONTAINS(p1, "Post E");
    CHECK_CONTAINS(p1, "Post D");
    CHECK_NOT_CONTAINS(p1, "Post C");
    CHECK_CONTAINS(p2, "Post C");
    CHECK_CONTAINS(p3, "Post A");
    CHECK_CONTAINS(p1, "/kk/news/page/2/");
    CHECK(!out_exists(out, "kk/news/page/4/index.html"));
    free(p1);
    free(p2);
    free(p3);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(aliases_and_redirect_front_matter_make_redirects)
{
    char *dir = sitefix_make(paged_site);
    const char *out = fresh_out();
    diag_list d;
    build_into(dir, out, false, &d, NULL);
    char *alias = read_out(out, "ru/old-e/index.html");
    CHECK_CONTAINS(alias, "url=/ru/news/e/");
    char *gone = read_out(out, "en/gone/index.html");
    CHECK_CONTAINS(gone, "url=/en/news/");
    char *redirects = read_out(out, "_redirects");
    CHECK_CONTAINS(redirects, "/ru/old-e/ /ru/news/e/ 301");
    CHECK_CONTAINS(redirects, "/en/gone/ /en/news/ 302");
    free(alias);
    free(gone);
    free(redirects);
    diag_free(&d);
    sitefix_remove(dir);
}

/* A redirect is an address or nothing: a line break in it wrote a rule of
 * its own into _redirects (here, the whole site sent elsewhere). Grav's
 * "route" without a slash is from the site's root, its "[301]" the
 * status; a space in a file's name is a URI's %20 in a rule. */
TEST(redirects_are_addresses_and_rules_cannot_be_injected)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.news/default.ru.md", "---\ntitle: Новости\n---\nТекст.\n"},
        {"pages/02.evil/default.ru.md",
         "---\ntitle: Ловушка\nredirect: \"/ru/news\\n/* https://evil.example 301\"\n---\nСтраница.\n"},
        {"pages/03.old/default.ru.md", "---\ntitle: Старая\nredirect: 'news[301]'\n---\n"},
        {"pages/04.photo/default.ru.md", "---\ntitle: Фото\n---\nТекст.\n"},
        {"pages/04.photo/план этажа.pdf", "%PDF"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    char *redirects = read_out(out, "_redirects");
    CHECK_NOT_CONTAINS(redirects, "evil.example");
    CHECK_CONTAINS(redirects, "/ru/old/ /ru/news/ 301\n");
    CHECK_CONTAINS(redirects, "/user/pages/04.photo/%D0%BF%D0%BB%D0%B0%D0%BD%20%D1%8D%D1%82%D0%B0%D0%B6%D0%B0.pdf "
                              "/media/photo/");
    /* every rule is three fields */
    for (const char *line = redirects; line && *line;) {
        const char *nl = strchr(line, '\n');
        int fields = 0;
        for (const char *p = line; p < (nl ? nl : line + strlen(line)); p++)
            fields += *p != ' ' && (p == line || p[-1] == ' ');
        CHECK_INT(fields, 3);
        line = nl ? nl + 1 : NULL;
    }
    char *evil = read_out(out, "ru/evil/index.html");
    CHECK_CONTAINS(evil, "Страница.");
    CHECK_NOT_CONTAINS(evil, "evil.example");
    int named = 0;
    for (size_t i = 0; i < d.len; i++)
        named += d.items[i].level == DIAG_ERROR && strstr(d.items[i].path, "02.evil") &&
                 strstr(d.items[i].msg, "redirect '/ru/news\\n/* https://evil.example 301' is not an address") &&
                 !strchr(d.items[i].msg, '\n');
    CHECK_INT(named, 1);
    free(evil);
    free(redirects);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(future_post_is_not_written_and_next_change_is_reported)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/01.news/01.now/item.md", "---\ntitle: Now\n---\nx\n"},
        {"pages/01.news/02.later/item.md", "---\ntitle: Later\npublish_date: '01-01-2099 10:00'\n---\ny\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    build_result res;
    CHECK_INT(build_into(dir, out, false, &d, &res), 0);
    CHECK(out_exists(out, "kk/news/now/index.html"));
    CHECK(!out_exists(out, "kk/news/later/index.html"));
    CHECK(res.next_change > 4000000000LL);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(relative_links_resolve_to_media_and_pages_in_the_current_language)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/01.news/01.post/item.ru.md",
         "---\ntitle: Post\n---\n[PDF](price.pdf) [formulary](../../drug-formulary) [abs](/news/post#top) [ext](https://example.org/x)\n"},
        {"pages/01.news/01.post/price.pdf", "%PDF-1.4\n"},
        {"pages/02.drug-formulary/default.ru.md", "---\ntitle: Formulary\n---\nlist\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    build_into(dir, out, false, &d, NULL);
    char *html = read_out(out, "ru/news/post/index.html");
    CHECK_CONTAINS(html, "href=\"/media/news/post/price.pdf\"");
    CHECK_CONTAINS(html, "href=\"/ru/drug-formulary/\"");
    CHECK_CONTAINS(html, "href=\"/ru/news/post/#top\"");
    CHECK_CONTAINS(html, "href=\"https://example.org/x\"");
    CHECK(out_exists(out, "media/news/post/price.pdf"));
    free(html);
    diag_free(&d);
    sitefix_remove(dir);
}

/* Grav also reads links by folder, order prefix and all: "../01.quotes"
 * from the page's own folder, "/02.news/01.quotes" from user/pages, and
 * "../01.quotes/file.pdf" or a photo there. They go where Grav sends
 * them, in the page's language; a draft's folder or a path out of
 * user/pages is not linked (and folio check reports it). */
TEST(folder_links_resolve_as_grav_resolves_them)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/02.news/01.quotes/item.ru.md", "---\ntitle: Quotes\n---\nText.\n"},
        {"pages/02.news/01.quotes/item.en.md", "---\ntitle: Quotes\n---\nText.\n"},
        {"pages/02.news/01.quotes/Договор №5.pdf", "%PDF-1.4\n"},
        {"pages/02.news/02.draft/item.ru.md", "---\ntitle: Draft\npublished: false\n---\nNo.\n"},
        {"pages/02.news/03.links/item.ru.md",
         "---\ntitle: Links\n---\n[a](../01.quotes) [b](/02.news/01.quotes#top) "
         "[c](../01.quotes/Договор%20№5.pdf) [d](../02.draft) [e](../../../../etc/passwd)\n\n"
         "![Зал](../01.quotes/photo.jpg)\n"},
        {"pages/02.news/03.links/item.en.md", "---\ntitle: Links\n---\n[a](../01.quotes)\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    size_t len;
    char *bytes = sitefix_seed_photo(&len);
    char *to = path_join(dir, "pages/02.news/01.quotes/photo.jpg");
    CHECK(bytes && file_write(to, bytes, len) == 0);
    free(to);
    free(bytes);
    const char *out = fresh_out();
    diag_list d;
    build_into(dir, out, false, &d, NULL);
    char *ru = read_out(out, "ru/news/links/index.html"), *en = read_out(out, "en/news/links/index.html");
    /* the photo of the other folder, made responsive and published there */
    const char *pic = ru ? strstr(ru, "<picture><source type=\"image/webp\" srcset=\"/media/news/quotes/photo-") : NULL;
    CHECK(pic != NULL);
    if (pic) {
        pic += strlen("<picture><source type=\"image/webp\" srcset=\"");
        char rel[256];
        snprintf(rel, sizeof rel, "%.*s", (int)strcspn(pic + 1, " "), pic + 1);
        CHECK(out_exists(out, rel));
    }
    CHECK_CONTAINS(ru, "<a href=\"/ru/news/quotes/\">a</a>");
    CHECK_CONTAINS(ru, "<a href=\"/ru/news/quotes/#top\">b</a>");
    CHECK_CONTAINS(ru, "<a href=\"/media/news/quotes/%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%20%E2%84%965.pdf\">c</a>");
    CHECK_CONTAINS(ru, "<a href=\"../02.draft\">d</a>");
    CHECK_NOT_CONTAINS(ru, "/ru/news/draft");
    CHECK_CONTAINS(ru, "<a href=\"../../../../etc/passwd\">e</a>");
    CHECK_CONTAINS(en, "<a href=\"/en/news/quotes/\">a</a>");
    CHECK(diag_has(&d, DIAG_ERROR, "link to '../02.draft': no such page is published"));
    CHECK(!diag_has(&d, DIAG_ERROR, "'../01.quotes'"));
    CHECK(!diag_has(&d, DIAG_WARNING, "not used by any page"));
    free(ru);
    free(en);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(output_paths_never_escape_the_output_folder)
{
    CHECK(output_path_is_safe("ru/news/index.html"));
    CHECK(!output_path_is_safe("../etc/passwd"));
    CHECK(!output_path_is_safe("ru/../../x"));
    CHECK(!output_path_is_safe("/abs"));
    CHECK(!output_path_is_safe("a//b"));
    CHECK(!output_path_is_safe("a\\b"));
    CHECK(!output_path_is_safe("a/./b"));
    CHECK(!output_path_is_safe(""));
}

TEST(output_that_is_a_file_is_not_replaced)
{
    const char *out = fresh_out();
    file_write(out, "keep", 4);
    diag_list d;
    CHECK_INT(build_into(example(), out, false, &d, NULL), -1);
    char *text = file_read(out, NULL, 0);
    CHECK_STR(text, "keep");
    free(text);
    diag_free(&d);
}

__attribute__((destructor)) static void cleanup(void)
{
    if (out_root) dir_remove_tree(out_root);
    free(out_root);
}

TEST(twig_in_content_runs_only_when_switched_on)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/01.on/default.md", "---\ntitle: Twig on\nprocess:\n  twig: true\n---\nTitle is {{ page.title|upper }}; "
                                   "{{ no_such_function() }} done\n"},
        {"pages/02.off/default.md", "---\ntitle: Twig off\n---\nLiteral {{ page.title }}\n"},
        {"pages/03.raw/default.md", "---\ntitle: No markdown\nprocess:\n  markdown: false\n---\n*not emphasis*\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    char *on = read_out(out, "en/on/index.html");
    CHECK_CONTAINS(on, "Title is TWIG ON;");
    CHECK_CONTAINS(on, "done");
    bool warned = false;
    for (size_t i = 0; i < d.len; i++)
        if (d.items[i].level == DIAG_WARNING && strstr(d.items[i].path, "01.on/default.md") &&
            strstr(d.items[i].msg, "no_such_function"))
            warned = true;
    CHECK(warned);
    char *off = read_out(out, "en/off/index.html");
    CHECK_CONTAINS(off, "Literal {{ page.title }}");
    char *raw = read_out(out, "en/raw/index.html");
    CHECK_CONTAINS(raw, "*not emphasis*");
    CHECK_NOT_CONTAINS(raw, "<em>not emphasis</em>");
    free(on);
    free(off);
    free(raw);
    diag_free(&d);
    sitefix_remove(dir);
}

/* The build checks each page while it renders it (one read, one parse);
 * what it reports must be what `folio check` finds, page for page. */
static const char *const messy_site[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
    {"pages/01.news/01.a/item.md",
     "---\ntitle: A\ndate: '01-02-2024 10:00'\n---\nIntro.\n\n===\n\n[nowhere](../../nowhere) [anchor](#missing) "
     "![](nofile.jpg) {{ twig }}\n\nText\n===\n\n<a href=\"/kk/gone/\">raw</a>\n"},
    {"pages/01.news/02.b/item.md",
     "---\ntitle: B\ndate: '02-02-2024 10:00'\npublished: false\n---\n[also nowhere](../../missing-too)\n"},
    {"pages/01.news/03.c/item.md", "---\ntitle: C\ndate: '03-02-2024 10:00'\nprocess:\n  markdown: false\n---\n"
                                   "<p><a href=\"#nope\">x</a><img src=\"gone.png\"></p>\n"},
    /* a header that never ends: the loader reports it, neither reads its YAML as Markdown */
    {"pages/01.news/04.d/item.md", "---\ntitle: D\n[broken](../../nowhere-either)\n"},
    {NULL, NULL}};

static int strcmp_ptr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void sorted_findings(const diag_list *d, buf *out)
{
    char **lines = xcalloc(d->len + 1, sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++) {
        if (d->items[i].level == DIAG_NOTE) continue; /* the build adds its own notes (no site URL) */
        buf l = BUF_INIT;
        buf_printf(&l, "%s:%d:%d: %d %s", d->items[i].path, d->items[i].line, d->items[i].col, (int)d->items[i].level,
                   d->items[i].msg);
        lines[n++] = buf_detach(&l, NULL);
    }
    qsort(lines, n, sizeof *lines, strcmp_ptr);
    for (size_t i = 0; i < n; i++) {
        buf_puts(out, lines[i]);
        buf_putc(out, '\n');
        free(lines[i]);
    }
    free(lines);
}

TEST(build_reports_what_check_finds)
{
    char *dir = sitefix_make(messy_site);
    diag_list cd;
    diag_init(&cd);
    site *s = site_load(dir, 0, &cd);
    CHECK(s != NULL);
    check_options co = {-1, true, 0};
    if (s) check_site(s, &co, &cd);
    site_free(s);
    diag_list bd;
    const char *out = fresh_out();
    build_into(dir, out, false, &bd, NULL);
    buf a = BUF_INIT, b = BUF_INIT;
    sorted_findings(&cd, &a);
    sorted_findings(&bd, &b);
    CHECK(cd.errors >= 5);
    CHECK_STR(buf_cstr(&b), buf_cstr(&a));
    buf_free(&a);
    buf_free(&b);
    diag_free(&cd);
    diag_free(&bd);
    sitefix_remove(dir);
}

/* A second build swaps the new site in and removes the old one (in the
 * background); nothing of the old site stays next to the output. */
TEST(rebuild_replaces_output_and_old_site_goes_away)
{
    const char *out = fresh_out();
    char outc[4096];
    snprintf(outc, sizeof outc, "%s", out);
    diag_list d;
    CHECK_INT(build_into(example(), outc, true, &d, NULL), 0);
    diag_free(&d);
    CHECK_INT(build_into(example(), outc, true, &d, NULL), 0);
    diag_free(&d);
    CHECK(out_exists(outc, "kk/news/index.html"));
    char *parent = xstrdup(outc);
    *strrchr(parent, '/') = 0;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c tmp-", parent);
    int n = -1;
    for (int tries = 0; tries < 100 && n != 0; tries++) {
        FILE *p = popen(cmd, "r");
        n = -1;
        if (p) {
            if (fscanf(p, "%d", &n) != 1) n = -1;
            pclose(p);
        }
        if (n != 0) usleep(50 * 1000);
    }
    CHECK_INT(n, 0);
    free(parent);
}

/* A folder with a file in it, its time set back by age seconds. */
static char *make_leftover(const char *out, const char *suffix, time_t age)
{
    char *dir = xmalloc(strlen(out) + strlen(suffix) + 1);
    sprintf(dir, "%s%s", out, suffix);
    CHECK(dir_make(dir) == 0);
    char *f = path_join(dir, "index.html");
    CHECK(file_write(f, "old", 3) == 0);
    free(f);
    f = path_join(dir, OUTPUT_DIR_MARKER);
    CHECK(file_write(f, "", 0) == 0);
    free(f);
    struct timespec t[2] = {{time(NULL) - age, 0}, {time(NULL) - age, 0}};
    CHECK(utimensat(AT_FDCWD, dir, t, 0) == 0);
    return dir;
}

/* What a killed build (or an interrupted removal of an old site) leaves
 * next to the output is removed by the next build; what another build is
 * still using, or may be about to lock, is not, and neither is a link. */
TEST(next_build_removes_what_a_killed_build_left)
{
    const char *out = fresh_out();
    char outc[4096];
    snprintf(outc, sizeof outc, "%s", out);
    char *stale = make_leftover(outc, ".tmp-Ab3dE9", 3600);
    char *held = make_leftover(outc, ".tmp-held01", 3600);
    char *young = make_leftover(outc, ".tmp-young1", 0);
    char *unmarked = make_leftover(outc, ".tmp-nomark", 3600); /* someone's own folder */
    char *unmarked_marker = path_join(unmarked, OUTPUT_DIR_MARKER);
    unlink(unmarked_marker);
    free(unmarked_marker);
    struct timespec back[2] = {{time(NULL) - 3600, 0}, {time(NULL) - 3600, 0}};
    utimensat(AT_FDCWD, unmarked, back, 0);
    char *other = make_leftover(outc, "x.tmp-Ab3dE9", 3600); /* another output's */
    char *target = make_leftover(outc, "-target", 3600);
    char link[4200];
    snprintf(link, sizeof link, "%s.tmp-link01", outc);
    CHECK(symlink(target, link) == 0);
    int held_fd = open(held, O_RDONLY | O_DIRECTORY);
    CHECK(held_fd >= 0 && flock(held_fd, LOCK_EX) == 0);

    diag_list d;
    CHECK_INT(build_into(example(), outc, true, &d, NULL), 0);
    diag_free(&d);
    for (int tries = 0; tries < 100 && path_exists(stale); tries++) usleep(50 * 1000);
    CHECK(!path_exists(stale));
    char *kept[] = {held, young, other, target, unmarked};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        char *f = path_join(kept[i], "index.html");
        CHECK(path_exists(f));
        free(f);
    }
    CHECK(out_exists(outc, "kk/news/index.html"));
    close(held_fd);
    unlink(link);
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        dir_remove_tree(kept[i]);
        free(kept[i]);
    }
    free(stale);
}

static const char *const nested_site[][2] = {
    {"user/config/system.yaml", "languages:\n  supported: [kk, ru]\n  default_lang: kk\n"},
    {"user/pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
    {"user/pages/01.news/01.a/item.md", "---\ntitle: A\ndate: '01-02-2024 10:00'\n---\nText.\n"},
    {"foreign/notes.txt", "not a site"},
    {"empty/.keep", ""},
    {NULL, NULL}};

/* Opening an output at out with guard g: whether it was allowed, and the
 * build thrown away either way (nothing is replaced). */
static bool may_build_into(const char *out, const output_guard *g, const char *expect_in_error)
{
    diag_list d;
    diag_init(&d);
    output *o = output_dir_open(out, g, &d);
    bool allowed = o != NULL;
    if (o) output_dir_abort(o);
    if (!allowed && expect_in_error) CHECK(d.len == 1 && strstr(d.items[0].msg, expect_in_error));
    diag_free(&d);
    return allowed;
}

/* A build replaces its output whole and deletes what was there, so it
 * refuses any place where that would destroy something: the site itself,
 * a folder that holds the site, a folder inside it, the image cache, a
 * folder with someone else's files (unless forced). */
TEST(build_refuses_outputs_that_would_delete_the_site_or_other_files)
{
    char *top = sitefix_make(nested_site);
    char user_dir[4096], path[4200];
    snprintf(user_dir, sizeof user_dir, "%s/user", top);
    char *empty_keep = path_join(top, "empty/.keep");
    unlink(empty_keep);
    free(empty_keep);
    output_guard g = {.site_dir = user_dir};
    const char *outside = "must be outside the site folder";
    CHECK(!may_build_into(user_dir, &g, outside));
    CHECK(!may_build_into(top, &g, outside));
    snprintf(path, sizeof path, "%s/public", user_dir);
    CHECK(!may_build_into(path, &g, outside));
    snprintf(path, sizeof path, "%s/../user/", user_dir);
    CHECK(!may_build_into(path, &g, outside));
    snprintf(path, sizeof path, "%s/link", top);
    CHECK(symlink(user_dir, path) == 0);
    CHECK(!may_build_into(path, &g, outside));
    unlink(path);

    snprintf(path, sizeof path, "%s/out", top);
    char cache[4300];
    snprintf(cache, sizeof cache, "%s/cache", path);
    output_guard with_cache = {.site_dir = user_dir, .cache_dir = cache};
    CHECK(!may_build_into(path, &with_cache, "image cache"));
    with_cache.cache_dir = top;
    CHECK(!may_build_into(path, &with_cache, "image cache"));

    snprintf(path, sizeof path, "%s/foreign", top);
    CHECK(!may_build_into(path, &g, "not made by folio build"));
    char *notes = path_join(path, "notes.txt");
    CHECK(path_exists(notes));
    snprintf(path, sizeof path, "%s/empty", top);
    CHECK(may_build_into(path, &g, NULL));

    /* What a build made, the next build may replace; forced, anything. */
    snprintf(path, sizeof path, "%s/out", top);
    diag_list d;
    for (int round = 0; round < 2; round++) {
        CHECK_INT(build_guarded(user_dir, path, &g, false, &d, NULL), 0);
        CHECK(out_exists(path, OUTPUT_DIR_MARKER));
        diag_free(&d);
    }
    snprintf(path, sizeof path, "%s/foreign", top);
    g.force = true;
    CHECK_INT(build_guarded(user_dir, path, &g, false, &d, NULL), 0);
    CHECK(!path_exists(notes));
    CHECK(out_exists(path, "kk/news/index.html"));
    diag_free(&d);
    free(notes);
    snprintf(path, sizeof path, "%s/pages/01.news/01.a/item.md", user_dir);
    CHECK(path_exists(path));
    sitefix_remove(top);
}

/* The same from the command line: `folio build SITE -o SITE` is refused
 * with a message, and the site is as it was. */
TEST(folio_build_into_its_own_site_folder_is_refused)
{
    char *top = sitefix_make(nested_site);
    char args[1024];
    snprintf(args, sizeof args, "build %s/user -o %s/user", top, top);
    int status = -1;
    char *text = sitefix_run_folio(args, &status);
    CHECK_INT(status, 1);
    CHECK_CONTAINS(text, "error: the output folder must be outside the site folder");
    char *item = path_join(top, "user/pages/01.news/01.a/item.md");
    CHECK(path_exists(item));
    free(item);
    free(text);
    sitefix_remove(top);
}

/* The summary line's file count is what the output holds, every file. */
TEST(summary_line_counts_every_file_of_the_output)
{
    char *top = sitefix_make(nested_site);
    char args[1024];
    snprintf(args, sizeof args, "build %s/user -o %s/out --base-url https://example.org", top, top);
    int status = -1;
    char *text = sitefix_run_folio(args, &status);
    CHECK_INT(status, 0);
    const char *p = text ? strstr(text, "pages (") : NULL;
    long said = -1;
    CHECK(p && sscanf(p, "pages (%ld files)", &said) == 1);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "find '%s/out' -type f | wc -l", top);
    FILE *f = popen(cmd, "r");
    long found = -2;
    if (f) {
        if (fscanf(f, "%ld", &found) != 1) found = -2;
        pclose(f);
    }
    CHECK_INT(said, found);
    free(text);
    sitefix_remove(top);
}

/* Grav themes look pages up by route: page.find('/news') and
 * pages.find(...) give the published page in the current language (null
 * for a missing or scheduled one), page.url(true) the absolute URL. */
TEST(templates_find_pages_by_route_in_their_language)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk, ru]\n  default_lang: kk\n"},
        {"config/site.yaml", "url: https://example.org\n"},
        {"pages/01.home/default.kk.md", "---\ntitle: Басты\n---\nHome.\n"},
        {"pages/01.home/default.ru.md", "---\ntitle: Главная\n---\nHome.\n"},
        {"pages/02.contacts/default.kk.md", "---\ntitle: Байланыс\n---\nPhones.\n"},
        {"pages/02.contacts/default.ru.md", "---\ntitle: Контакты\n---\nPhones.\n"},
        {"pages/03.later/default.kk.md", "---\ntitle: SCHEDULED\npublish_date: 01-01-2099\n---\nSoon.\n"},
        {"pages/04.about/about.kk.md", "---\ntitle: Туралы\n---\nAbout.\n"},
        {"pages/04.about/about.ru.md", "---\ntitle: О нас\n---\nAbout.\n"},
        {"themes/folio/templates/about.html.twig",
         "<p id=c>{{ page.find('/contacts').title }}|{{ pages.find('/contacts/').url }}</p>"
         "<p id=h>{{ pages.find('/').title }}</p>"
         "<p id=m>[{{ page.find('/nowhere') is null ? 'none' }}][{{ pages.find('/later').title }}]"
         "[{{ page.find(42) is null ? 'none' }}]</p>"
         "<p id=u>{{ page.url(true) }}|{{ page.url(false) }}|{{ page.url }}</p>"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *kk = read_out(out, "kk/about/index.html");
    char *ru = read_out(out, "ru/about/index.html");
    CHECK(kk && strstr(kk, "<p id=c>Байланыс|/kk/contacts/</p>"));
    CHECK(ru && strstr(ru, "<p id=c>Контакты|/ru/contacts/</p>"));
    CHECK(kk && strstr(kk, "<p id=h>Басты</p>"));
    CHECK(ru && strstr(ru, "<p id=h>Главная</p>"));
    CHECK(kk && strstr(kk, "<p id=m>[none][][none]</p>") && !strstr(kk, "SCHEDULED"));
    CHECK(ru && strstr(ru, "<p id=u>https://example.org/ru/about/|/ru/about/|/ru/about/</p>"));
    free(kk);
    free(ru);
    sitefix_remove(dir);
}

/* Pages are rendered side by side, so a post showing its neighbour's
 * summary may come before that summary is made: such a post is rendered
 * again once all are made, and shows it in every build, as do list pages.
 * A {% cache %} fragment is never kept from the first, unfinished try. */
TEST(other_pages_summaries_are_shown_the_same_in_every_build)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\n"},
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n  order:\n"
                                 "    by: folder\n---\n"},
        {"pages/01.news/01.a/item.md", "---\ntitle: A\n---\nSUMMARY-A\n\n===\n\nREST-A\n"},
        {"pages/01.news/02.b/item.md", "---\ntitle: B\n---\nSUMMARY-B\n\n===\n\nREST-B\n"},
        {"pages/01.news/03.c/item.md", "---\ntitle: C\n---\nSUMMARY-C\n\n===\n\nREST-C\n"},
        {"themes/folio/templates/item.html.twig",
         "<p id=own>{{ page.summary|striptags|trim }}</p>"
         "<p id=others>[{{ page.prev.summary|striptags|trim }}][{{ page.next.summary|striptags|trim }}]"
         "[{{ pages.find('/news/a').summary|striptags|trim }}][{{ page.parent.children|first.content|striptags|trim }}]</p>"
         "<p id=k>{% cache 'k' %}{{ pages.find('/news/c').summary|striptags|trim }}{% endcache %}</p>"},
        {"themes/folio/templates/blog.html.twig",
         "{% for p in page.children %}<p>{{ p.summary|striptags|trim }}</p>{% endfor %}"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    for (int round = 0; round < 3; round++) {
        const char *out = build_cleanly(dir);
        char *b = read_out(out, "en/news/b/index.html");
        CHECK(b && strstr(b, "<p id=own>SUMMARY-B</p>"));
        CHECK(b && strstr(b, "<p id=others>[SUMMARY-A][SUMMARY-C][SUMMARY-A][SUMMARY-A]</p>"));
        CHECK(b && strstr(b, "<p id=k>SUMMARY-C</p>"));
        free(b);
        char *a = read_out(out, "en/news/a/index.html");
        CHECK(a && strstr(a, "<p id=k>SUMMARY-C</p>") && strstr(a, "REST-A")); /* its own content whole */
        free(a);
        char *list = read_out(out, "en/news/index.html");
        CHECK(list && strstr(list, "<p>SUMMARY-A</p><p>SUMMARY-B</p><p>SUMMARY-C</p>"));
        free(list);
    }
    sitefix_remove(dir);
}

/* Grav's modular pages: the sections (folders named "_hero", "_text")
 * are shown, in order.custom's order, inside their parent's page, each
 * through the site's modular/<name>.html.twig or as a plain section; they
 * have no page, feed, sitemap entry or menu item of their own, and a
 * section that is not published is left out. */
TEST(modular_page_shows_its_sections_in_order_and_nothing_else)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\n"},
        {"config/site.yaml", "title: Site\nurl: https://example.org\n"},
        {"pages/01.home/modular.md", "---\ntitle: Home\ncontent:\n  items: '@self.modular'\n  order:\n"
                                     "    custom: [_text, _hero]\n---\nINTRO-TEXT\n"},
        {"pages/01.home/_text/text.md", "---\ntitle: Text\n---\nSECTION-TEXT with **bold**\n"},
        {"pages/01.home/_hero/hero.md", "---\ntitle: Hero\ntagline: BIG-TAGLINE\n---\nHERO-BODY\n"},
        {"pages/01.home/_draft/text.md", "---\ntitle: Draft\npublished: false\n---\nDRAFT-BODY\n"},
        {"pages/02.about/default.md", "---\ntitle: About\n---\nAbout us.\n"},
        {"themes/folio/templates/modular/hero.html.twig",
         "<section class=\"hero\"><p>{{ page.header.tagline }}</p>{{ page.content|raw }}</section>"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK_INT(d.errors, 0);
    CHECK_INT(d.warnings, 0);
    /* The section without a layout of its own is pointed out, once. */
    CHECK(diag_has(&d, DIAG_NOTE, "add themes/folio/templates/modular/text.html.twig"));
    CHECK(!diag_has(&d, DIAG_NOTE, "modular/hero.html.twig"));
    diag_free(&d);
    char *home = read_out(out, "en/index.html");
    CHECK(home != NULL);
    const char *intro = home ? strstr(home, "INTRO-TEXT") : NULL;
    const char *hero = home ? strstr(home, "<section class=\"hero\"><p>BIG-TAGLINE</p><p>HERO-BODY</p>") : NULL;
    const char *text = home ? strstr(home, "<section class=\"module module-text\">") : NULL;
    CHECK(intro && hero && text && intro < text && text < hero); /* custom order, not the folders' */
    CHECK(home && strstr(home, "SECTION-TEXT with <strong>bold</strong>"));
    CHECK(home && !strstr(home, "DRAFT-BODY"));
    CHECK(home && strstr(home, "<h1 class=\"visually-hidden\">Home</h1>"));
    CHECK(!out_exists(out, "en/home/_hero/index.html"));
    CHECK(!out_exists(out, "en/home/_text/index.html"));
    CHECK(!out_exists(out, "en/feed.rss") && !out_exists(out, "en/home/feed.rss"));
    char *sitemap = read_out(out, "sitemap.xml");
    CHECK(sitemap && strstr(sitemap, "/en/about/") && !strstr(sitemap, "_hero") && !strstr(sitemap, "_text"));
    char *about = read_out(out, "en/about/index.html");
    CHECK(about && !strstr(about, ">Hero<") && !strstr(about, ">Text<"));
    free(about);
    free(sitemap);
    free(home);
    sitefix_remove(dir);
}

/* site.yaml's redirects and routes (Grav's site-wide ones, which sites
 * moved from older addresses keep): each fixed address leads where it
 * says in every language, 302 unless [301], a route 301 to its page; a
 * page at the same address wins, as in Grav (the English "about" is the
 * Russian text, by fallback); a pattern, which a published site cannot
 * follow, and a route to no page are reported. */
TEST(site_wide_redirects_and_routes_lead_where_they_say)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\n"},
        {"config/site.yaml", "title: Центр\nredirects:\n  /old-news: /news\n  '/away': 'https://example.org/x[301]'\n"
                             "  '/blog/(.*)': '/news/$1'\n  /about: /news\nroutes:\n  /contacts-old: /about\n  /nowhere: /missing\n"},
        {"pages/01.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/blog.en.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.about/default.ru.md", "---\ntitle: О нас\n---\nО центре.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "config/site.yaml", 5, "redirects: '/blog/(.*)' is a pattern"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "config/site.yaml", 9, "routes: '/nowhere' names no page in ru"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "config/site.yaml", 9, "routes: '/nowhere' names no page in en"));
    CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "config/site.yaml", 0, "'/contacts-old'"));
    CHECK_INT(d.errors, 0);
    diag_free(&d);
    char *rules = read_out(out, "_redirects");
    CHECK(rules && strstr(rules, "/ru/old-news/ /ru/news/ 302\n") && strstr(rules, "/en/old-news/ /en/news/ 302\n"));
    CHECK(rules && strstr(rules, "/ru/away/ https://example.org/x 301\n"));
    CHECK(rules && strstr(rules, "/ru/contacts-old/ /ru/about/ 301\n") && strstr(rules, "/en/contacts-old/ /en/about/ 301\n"));
    CHECK(rules && !strstr(rules, "/about/ /ru/news/") && !strstr(rules, "/about/ /en/news/")); /* the page wins */
    CHECK(rules && !strstr(rules, "blog") && !strstr(rules, "nowhere"));
    free(rules);
    char *moved = read_out(out, "ru/old-news/index.html"), *about = read_out(out, "ru/about/index.html");
    CHECK(moved && strstr(moved, "url=/ru/news/"));
    CHECK(about && strstr(about, "О центре."));
    free(moved);
    free(about);
    sitefix_remove(dir);
}

/* Grav's page-inject plugin, on a site that has it: a link
 * [plugin:content-inject](/route) (or page-inject) is that page's content,
 * as on its own page (its photo's variants, its shortcodes), in the
 * page's language; a paragraph of only the link is replaced whole. A page
 * that injects itself, or pages that inject each other, stop with a
 * link; a route that is no page stays a link. */
TEST(page_inject_shows_another_pages_content)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\n"},
        {"config/site.yaml", "title: Центр\n"},
        {"plugins/page-inject/page-inject.yaml", "enabled: true\n"},
        {"pages/01.branches/default.ru.md", "---\ntitle: Филиалы\n---\nНаши филиалы.\n\n"
                                            "[plugin:content-inject](../contacts/almaty)\n\n"
                                            "Часы: [plugin:page-inject](/contacts/astana) и всё.\n\n"
                                            "[plugin:page-inject](/contacts/nowhere)\n"},
        {"pages/01.branches/default.en.md", "---\ntitle: Branches\n---\n[plugin:content-inject](/contacts/almaty)\n"},
        {"pages/02.contacts/01.almaty/default.ru.md", "---\ntitle: Алматы\n---\nАлматы, **ул. Жандосова**.\n\n"
                                                      "[center]Центр[/center]\n"},
        {"pages/02.contacts/01.almaty/default.en.md", "---\ntitle: Almaty\n---\nALMATY-EN\n"},
        {"pages/02.contacts/02.astana/default.ru.md", "---\ntitle: Астана\n---\n9:00–18:00\n"},
        {"pages/03.loop/default.ru.md", "---\ntitle: Круг\n---\nКРУГ [plugin:content-inject](/loop2)\n"},
        {"pages/04.loop2/default.ru.md", "---\ntitle: Круг 2\n---\nКРУГ-2 [plugin:content-inject](/loop)\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "01.branches/default.ru.md", 0, "link to '/contacts/nowhere'"));
    diag_free(&d);
    char *ru = read_out(out, "ru/branches/index.html"), *en = read_out(out, "en/branches/index.html");
    CHECK(ru && strstr(ru, "<p>Наши филиалы.</p>\n<p>Алматы, <strong>ул. Жандосова</strong>.</p>"));
    CHECK(ru && strstr(ru, "<div class=\"sc-align-center\">Центр</div>"));
    CHECK(ru && strstr(ru, "<p>Часы: <p>9:00–18:00</p>\n и всё.</p>") == NULL); /* no paragraph inside one */
    CHECK(ru && strstr(ru, "9:00–18:00") && !strstr(ru, ">plugin:page-inject</a> и всё"));
    CHECK(ru && strstr(ru, ">plugin:page-inject</a>")); /* /contacts/nowhere stays a link */
    CHECK(en && strstr(en, "ALMATY-EN") && !strstr(en, "Жандосова"));
    free(ru);
    free(en);
    char *loop = read_out(out, "ru/loop/index.html");
    CHECK(loop && strstr(loop, "<p>КРУГ КРУГ-2 <a href=\"/ru/loop/\">plugin:content-inject</a></p>"));
    free(loop);
    sitefix_remove(dir);
}

/* Grav's page-toc plugin, on a site that has it: "[TOC]" alone in a
 * paragraph is the list of the page's headings, nested by level, each
 * linked to an id made of its text (letters of every script kept, two
 * alike told apart); a heading's own id is kept. */
TEST(page_toc_lists_the_headings_of_the_page)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"config/site.yaml", "title: Центр\n"},
        {"plugins/page-toc/page-toc.yaml", "enabled: true\n"},
        {"pages/01.school/default.ru.md",
         "---\ntitle: Школа\n---\n[TOC]\n\n## Что такое **анемия**\n\nТекст.\n\n### Симптомы & признаки\n\n"
         "Текст.\n\n## Лечение\n\n<h2 id=\"faq\">Вопросы</h2>\n\n## Лечение\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *html = read_out(out, "ru/school/index.html");
    CHECK(html && strstr(html, "<nav class=\"page-toc\" aria-label=\"Содержание\"><ul>"
                               "<li><a href=\"#что-такое-анемия\">Что такое анемия</a>"
                               "<ul><li><a href=\"#симптомы-признаки\">Симптомы &amp; признаки</a></li></ul></li>"
                               "<li><a href=\"#лечение\">Лечение</a></li><li><a href=\"#faq\">Вопросы</a></li>"
                               "<li><a href=\"#лечение-2\">Лечение</a></li></ul></nav>"));
    CHECK(html && strstr(html, "<h2 id=\"что-такое-анемия\">Что такое <strong>анемия</strong></h2>"));
    CHECK(html && strstr(html, "<h3 id=\"симптомы-признаки\">"));
    CHECK(html && strstr(html, "<h2 id=\"faq\">Вопросы</h2>") && strstr(html, "<h2 id=\"лечение-2\">"));
    CHECK(html && !strstr(html, "[TOC]"));
    free(html);
    sitefix_remove(dir);
}

/* A site without a title in site.yaml: its pages are not titled "About | "
 * nor its header empty; the home page's title stands in, and check says
 * where the site's title goes. */
TEST(a_site_without_a_title_is_named_by_its_home_page)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.home/default.md", "---\ntitle: Центр\n---\nГлавная.\n"},
        {"pages/02.about/default.md", "---\ntitle: О нас\n---\nО центре.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "config/site.yaml", 1,
                           "the site has no title ('title:' here, or in site.ru.yaml for ru): its pages show the "
                           "home page's, 'Центр', in its place"));
    diag_free(&d);
    char *about = read_out(out, "ru/about/index.html"), *home = read_out(out, "ru/index.html");
    CHECK(about && strstr(about, "<title>О нас | Центр</title>") && strstr(about, "<span class=\"brand-name\">Центр</span>"));
    CHECK(home && strstr(home, "<title>Центр</title>"));
    free(about);
    free(home);
    sitefix_remove(dir);
}

/* A page of another template that lists its sections (a theme's own
 * "api-collection.md" with '@self.modular'): without that template in
 * folio's theme it is shown with the sections' layout, not with
 * 'default', which has no place for them; check says so. */
TEST(a_page_of_an_unknown_template_that_lists_sections_shows_them)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\n"},
        {"pages/01.api/api-collection.md", "---\ntitle: API\ncontent:\n  items: '@self.modular'\n---\nAPI-INTRO\n"},
        {"pages/01.api/_01.get/endpoint.md", "---\ntitle: Get\n---\nGET-SECTION\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK(diag_has(&d, DIAG_NOTE, "template 'api-collection' (from the file's name) is not in the theme: the page "
                                  "is shown with 'modular'"));
    diag_free(&d);
    char *api = read_out(out, "en/api/index.html");
    CHECK(api && strstr(api, "API-INTRO") && strstr(api, "GET-SECTION"));
    free(api);
    sitefix_remove(dir);
}

/* A modular page whose first section begins with its own "# Heading" (a
 * Grav home page often does) has that heading as its one h1; otherwise
 * the page's title is there for screen readers. */
TEST(modular_page_whose_first_section_has_a_heading_has_one_h1)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\n"},
        {"pages/01.home/modular.md", "---\ntitle: Home\ncontent:\n  items: '@self.modular'\n---\n"},
        {"pages/01.home/_intro/text.md", "---\ntitle: Intro\n---\n# Welcome to the center\n\nText.\n"},
        {"pages/01.home/_more/text.md", "---\ntitle: More\n---\n# Not the first\n"},
        {"pages/02.about/modular.md", "---\ntitle: About\ncontent:\n  items: '@self.modular'\n---\n"},
        {"pages/02.about/_a/text.md", "---\ntitle: A\n---\nNo heading here.\n\n# Later\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *home = read_out(out, "en/index.html");
    CHECK(home && strstr(home, "<h1>Welcome to the center</h1>"));
    CHECK(home && !strstr(home, "<h1 class=\"visually-hidden\">"));
    char *about = read_out(out, "en/about/index.html");
    CHECK(about && strstr(about, "<h1 class=\"visually-hidden\">About</h1>"));
    free(home);
    free(about);
    sitefix_remove(dir);
}

/* libvips and the photo cache start with the first photo: a site of text
 * alone never loads them and leaves no cache behind. */
TEST(photo_cache_is_made_only_for_sites_with_photos)
{
    static const char *const text_only[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.a/item.md", "---\ntitle: A\ndate: '01-02-2024 10:00'\n---\nText only.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(text_only);
    char cache[4096];
    for (int with_photos = 0; with_photos < 2; with_photos++) {
        snprintf(cache, sizeof cache, "%s/cache-%d", dir, with_photos);
        diag_list d;
        diag_init(&d);
        build_options opt = {0};
        opt.site_dir = with_photos ? example() : dir;
        opt.cache_dir = cache;
        output *o = output_dir_new(fresh_out(), &d);
        CHECK(o != NULL);
        if (!o) break;
        CHECK_INT(build_site(&opt, o, &d, NULL), 0);
        output_dir_commit(o, &d);
        CHECK_INT(path_is_dir(cache), with_photos);
        diag_free(&d);
    }
    sitefix_remove(dir);
}

static ino_t inode_seen;
static bool is_inode_found;

static int find_inode(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)path, (void)ftw;
    if (type == FTW_F && st->st_ino == inode_seen) is_inode_found = true;
    return 0;
}

/* Variants come out of the cache as hard links (no bytes copied), and a
 * second build finds every photo in the cache's sources file and makes
 * the same pages. */
TEST(photo_variants_are_linked_from_the_cache_and_a_warm_build_is_the_same)
{
    char *cache = xstrdup(fresh_out()); /* a folder of its own for the cache */
    char *pages[2] = {NULL, NULL};
    for (int run = 0; run < 2; run++) {
        char out[4096];
        snprintf(out, sizeof out, "%s", fresh_out());
        diag_list d;
        diag_init(&d);
        build_options opt = {0};
        opt.site_dir = example();
        opt.cache_dir = cache;
        output *o = output_dir_new(out, &d);
        CHECK(o != NULL);
        if (!o) return;
        CHECK_INT(build_site(&opt, o, &d, NULL), 0);
        CHECK_INT(output_dir_commit(o, &d), 0);
        diag_free(&d);
        pages[run] = read_out(out, "ru/news/2023-01-09-practical-conference/index.html");
        CHECK(pages[run] != NULL);

        char pattern[4200];
        snprintf(pattern, sizeof pattern, "%s/media/news/*/*.webp", out);
        glob_t g;
        CHECK_INT(glob(pattern, 0, NULL, &g), 0);
        CHECK(g.gl_pathc > 0);
        for (size_t i = 0; i < g.gl_pathc; i++) {
            struct stat st;
            CHECK(lstat(g.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink >= 2);
            inode_seen = st.st_ino;
            is_inode_found = false;
            nftw(cache, find_inode, 16, FTW_PHYS);
            CHECK(is_inode_found);
        }
        globfree(&g);
    }
    char *memo = path_join(cache, "v1/sources");
    char *text = file_read(memo, NULL, 0);
    CHECK(text && strstr(text, "2023-01-09-1.jpg"));
    free(text);
    free(memo);
    CHECK(pages[0] && pages[1] && strcmp(pages[0], pages[1]) == 0);
    CHECK_CONTAINS(pages[1], ".webp");
    free(pages[0]);
    free(pages[1]);
    dir_remove_tree(cache);
    free(cache);
}

/* The summary line says how many photo variants were made and how many
 * came from the cache: all made with an empty cache, none the next time. */
TEST(summary_line_counts_photo_variants_made_and_cached)
{
    const char *out = fresh_out();
    buf cache = BUF_INIT, args = BUF_INIT;
    buf_printf(&cache, "%s-cache", out);
    buf_printf(&args, "build %s -o %s --cache-dir %s", example(), out, cache.s);
    long made[2] = {-1, -1}, cached[2] = {-1, -1};
    for (int i = 0; i < 2; i++) {
        int status;
        char *text = sitefix_run_folio(args.s, &status);
        CHECK_INT(status, 0);
        const char *p = text ? strstr(text, "photo variants: ") : NULL;
        CHECK(p && sscanf(p, "photo variants: %ld made, %ld from the cache", &made[i], &cached[i]) == 2);
        free(text);
    }
    CHECK(made[0] > 0 && cached[0] == 0);
    CHECK(made[1] == 0 && cached[1] == made[0]);
    dir_remove_tree(cache.s);
    buf_free(&cache);
    buf_free(&args);
}

/* A cache folder that cannot be used (here a file is in its place; on a
 * server, a read-only disk or another user's folder) must not let photos
 * out with their metadata: the build goes through a temporary cache,
 * says so in a warning, and leaves nothing of it behind. */
TEST(unusable_cache_folder_gives_a_temporary_cache_and_photos_are_still_stripped)
{
    const char *out = fresh_out();
    buf cache = BUF_INIT, args = BUF_INIT;
    buf_printf(&cache, "%s-not-a-folder", out);
    CHECK_INT(file_write(cache.s, "x", 1), 0);
    char tmp[] = "/tmp/folio-tmpdir-XXXXXX";
    CHECK(mkdtemp(tmp) != NULL);
    const char *was = getenv("TMPDIR");
    char *saved = was ? xstrdup(was) : NULL;
    setenv("TMPDIR", tmp, 1);
    buf_printf(&args, "build %s -o %s --cache-dir %s", example(), out, cache.s);
    int status;
    char *text = sitefix_run_folio(args.s, &status);
    if (saved) setenv("TMPDIR", saved, 1);
    else unsetenv("TMPDIR");
    free(saved);
    CHECK_INT(status, 0);
    CHECK_CONTAINS(text, "warning: cannot create the image cache");
    CHECK_CONTAINS(text, "photos go through a temporary cache in /tmp/folio-tmpdir-");
    CHECK(text && !strstr(text, " error:"));
    free(text);
    size_t n = 0;
    char *photo_path = path_join(out, "media/news/2022-04-12-visit-chief-consulting-hematologist/2022-04-12-1.jpg");
    char *photo = file_read(photo_path, &n, 0);
    free(photo_path);
    CHECK(photo && n > 1000 && !memmem(photo, n, "Exif", 4));
    free(photo);
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s/media/news/*/*.webp", out);
    glob_t g;
    CHECK_INT(glob(pattern, 0, NULL, &g), 0);
    CHECK(g.gl_pathc > 0);
    globfree(&g);
    CHECK(rmdir(tmp) == 0); /* empty: the temporary cache is gone */
    unlink(cache.s);
    buf_free(&cache);
    buf_free(&args);
}

/* Without libvips (here: $FOLIO_LIBVIPS names a library that is not
 * there) the build still succeeds: one warning says why; a photo without
 * metadata is published as it is, one with EXIF or XMP (two of the seed
 * photos) is not, with an error naming it. */
TEST(a_build_without_libvips_publishes_only_photos_without_metadata)
{
    const char *out = fresh_out();
    buf cache = BUF_INIT, args = BUF_INIT;
    buf_printf(&cache, "%s-cache", out);
    buf_printf(&args, "build %s -o %s --cache-dir %s", example(), out, cache.s);
    setenv("FOLIO_LIBVIPS", "/nonexistent/libvips.so.42", 1);
    int status;
    char *text = sitefix_run_folio(args.s, &status);
    unsetenv("FOLIO_LIBVIPS");
    CHECK_INT(status, 0); /* errors fail a build only with --strict */
    CHECK_CONTAINS(text, "warning: images cannot be processed (cannot load libvips: /nonexistent/libvips.so.42");
    CHECK_CONTAINS(text, "photos without metadata are published as they are, the others not at all");
    CHECK_CONTAINS(text, "2 errors, 1 warning");
    CHECK_CONTAINS(text, "2022-04-12-1.jpg:1:1: error: this photo carries metadata (EXIF: place, camera, time; XMP; "
                         "comments) that folio strips with libvips, which cannot be loaded: it is not published; "
                         "install libvips (Debian: libvips42), or pass --no-images");
    CHECK_CONTAINS(text, "2022-11-16-1.jpg:1:1: error: this photo carries metadata");
    CHECK(out_exists(out, "media/news/2023-01-09-practical-conference/2023-01-09-1.jpg"));
    CHECK(!out_exists(out, "media/news/2022-04-12-visit-chief-consulting-hematologist/2022-04-12-1.jpg"));
    CHECK(!out_exists(out, "media/news/2022-11-16-master-class-in-north-kazakhstan/2022-11-16-1.jpg"));
    char *html = read_out(out, "ru/news/2023-01-09-practical-conference/index.html");
    CHECK(html && !strstr(html, ".webp"));
    free(html);
    free(text);
    dir_remove_tree(cache.s);
    buf_free(&cache);
    buf_free(&args);
}

/* Twig in Markdown content is read as written: the Markdown renderer's
 * escaping of " and > must not break it, and a Twig error names the line
 * and column in the page file, once, not once per language. */
TEST(twig_in_content_keeps_quotes_and_reports_its_place_in_the_file)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/01.ok/default.md", "---\ntitle: Ok\nprocess:\n  twig: true\n---\nA {{ \"quoted\"|upper }}, "
                                   "{% if 2 > 1 %}more{% endif %} & {{ 'single' }}.\n"},
        {"pages/02.bad/default.md", "---\ntitle: Bad\nprocess:\n  twig: true\n---\nFirst paragraph.\n\n"
                                    "Second paragraph.\n\nЖ then {{ 1 // 0 }} here.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    build_into(dir, out, false, &d, NULL);
    char *ok = read_out(out, "en/ok/index.html");
    CHECK_CONTAINS(ok, "A QUOTED, more &amp; single.");
    free(ok);
    diag_sort(&d);
    int found = 0;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].path, "02.bad/default.md") && strstr(d.items[i].msg, "division by zero")) {
            found++;
            CHECK_INT(d.items[i].line, 10);
            CHECK_INT(d.items[i].col, 13); /* the '//' after "Ж then {{ 1 " */
        }
    CHECK_INT(found, 1);
    diag_free(&d);
    sitefix_remove(dir);
}

/* A page file is read once when it is small and again when it is large;
 * either way every byte of it reaches the page, whatever the size, the
 * length of its header, a BOM or CRLF line ends. */
TEST(page_files_of_every_size_are_built_whole)
{
    static const size_t sizes[] = {100, 4095, 4096, 4097, 16383, 16384, 16385, 40000};
    enum { N = sizeof sizes / sizeof sizes[0] };
    buf files[2 * N];
    const char *fix[2 * N + 3][2];
    size_t nf = 0;
    fix[nf][0] = "config/system.yaml";
    fix[nf++][1] = "languages:\n  supported: [en]\n";
    fix[nf][0] = "pages/01.home/default.md";
    fix[nf++][1] = "---\ntitle: Home\n---\nHome\n";
    char paths[2 * N][64];
    for (size_t i = 0; i < 2 * N; i++) {
        size_t want = sizes[i % N];
        bool long_header = i >= N; /* a header past the first 4 KB */
        bool crlf = i % 3 == 1, bom = i % 4 == 2;
        const char *nl = crlf ? "\r\n" : "\n";
        buf *f = &files[i];
        *f = (buf)BUF_INIT;
        if (bom) buf_puts(f, "\xEF\xBB\xBF");
        buf_printf(f, "---%stitle: 'Size %zu %d'%s", nl, want, long_header, nl);
        if (long_header)
            for (int k = 0; f->len < 5000; k++) buf_printf(f, "extra_%d: 'padding padding padding'%s", k, nl);
        buf_printf(f, "---%sFirst paragraph.%s%s", nl, nl, nl);
        while (f->len + 40 < want) buf_printf(f, "Filler text for the body %s", (f->len % 70 < 30) ? nl : "");
        buf_printf(f, "%s%sLast words %zu-%d.%s", nl, nl, want, long_header, nl);
        snprintf(paths[i], sizeof paths[i], "pages/02.p%zu/default.md", i);
        fix[nf][0] = paths[i];
        fix[nf++][1] = buf_cstr(f);
    }
    fix[nf][0] = fix[nf][1] = NULL;
    char *dir = sitefix_make(fix);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK_INT(d.errors, 0);
    for (size_t i = 0; i < 2 * N; i++) {
        char rel[64], title[64], last[64];
        snprintf(rel, sizeof rel, "en/p%zu/index.html", i);
        snprintf(title, sizeof title, "Size %zu %d", sizes[i % N], i >= N);
        snprintf(last, sizeof last, "<p>Last words %zu-%d.</p>", sizes[i % N], i >= N);
        char *html = read_out(out, rel);
        CHECK(html != NULL);
        if (html) {
            CHECK_CONTAINS(html, title);
            CHECK_CONTAINS(html, "<p>First paragraph.</p>");
            CHECK_CONTAINS(html, last);
            CHECK_NOT_CONTAINS(html, "\r");
            CHECK_NOT_CONTAINS(html, "extra_");
        }
        free(html);
        buf_free(&files[i]);
    }
    diag_free(&d);
    sitefix_remove(dir);
}

/* `--help` after a command prints the usage and succeeds; a number that
 * is not one (or out of range) stops the command with exit status 2 and
 * says which option, before anything is written. */
TEST(command_line_help_and_bad_numbers)
{
    int status = -1;
    char *text = sitefix_run_folio("build --help", &status);
    CHECK_INT(status, 0);
    CHECK_CONTAINS(text, "serve SITE");
    CHECK_CONTAINS(text, "--cache-dir DIR");
    free(text);
    char *dir = sitefix_make(nested_site);
    char out[1024], args[4096];
    snprintf(out, sizeof out, "%s-out", dir);
    static const char *const bad[][2] = {
        {"build %s/user -o %s --threads abc", "--threads wants a whole number from 1 to 1024, not 'abc'"},
        {"build %s/user -o %s --threads 0", "--threads wants a whole number"},
        {"build %s/user -o %s --threads 12x", "not '12x'"},
        {"serve %s/user --port 99999 -q --cache-dir %s", "--port wants a whole number from 1 to 65535, not '99999'"},
        {"serve %s/user --port '' --cache-dir %s", "--port wants a whole number"},
        {"check %s/user --threads -2 %s", "--threads wants a whole number"},
        {"build %s/user -o %s --threads", "--threads needs a value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(args, sizeof args, bad[i][0], dir, out);
        text = sitefix_run_folio(args, &status);
        CHECK_INT(status, 2);
        CHECK_CONTAINS(text, bad[i][1]);
        CHECK(!path_exists(out));
        free(text);
    }
    sitefix_remove(dir);
}

/* Every URL of the site's own that a built page points to (src, srcset,
 * href, og:image) is a file of the output, and every page is UTF-8. */
static const char *links_root;
static long links_checked, links_missing, pages_not_utf8;

static void check_local_url(const char *url, size_t len, const char *from)
{
    if (len == 0 || url[0] != '/' || (len > 1 && url[1] == '/')) return; /* not the site's own */
    size_t n = strcspn(url, "?#");
    if (n > len) n = len;
    char path[4096];
    snprintf(path, sizeof path, "%s%.*s", links_root, (int)n, url);
    size_t pl = strlen(path);
    if (pl && path[pl - 1] == '/') snprintf(path + pl, sizeof path - pl, "index.html");
    links_checked++;
    if (!path_exists(path)) {
        links_missing++;
        if (links_missing <= 5) printf("  %s points to %.*s, which is not in the output\n", from, (int)len, url);
    }
}

static int check_page_links(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb, (void)ftw;
    size_t pl = strlen(path);
    if (type != FTW_F || pl < 5 || strcmp(path + pl - 5, ".html")) return 0;
    size_t html_len = 0;
    char *html = file_read(path, &html_len, 0);
    if (html && utf8_check(html, html_len) != html_len) {
        pages_not_utf8++;
        printf("  %s is not UTF-8\n", path);
    }
    static const char *const attrs[] = {" src=\"", " href=\"", " srcset=\"", " content=\""};
    for (size_t a = 0; html && a < sizeof attrs / sizeof attrs[0]; a++) {
        for (const char *p = html; (p = strstr(p, attrs[a]));) {
            p += strlen(attrs[a]);
            const char *end = strchr(p, '"');
            if (!end) break;
            if (a < 2 || (a == 3 && strncmp(p, "/media/", 7) == 0)) {
                check_local_url(p, (size_t)(end - p), path);
            } else if (a == 2) { /* "url 480w, url 960w" */
                for (const char *u = p; u < end;) {
                    while (u < end && (*u == ' ' || *u == ',')) u++;
                    size_t ul = strcspn(u, " ,\"");
                    if (u + ul > end) ul = (size_t)(end - u);
                    check_local_url(u, ul, path);
                    u += ul;
                    while (u < end && *u != ',') u++;
                }
            }
            p = end;
        }
    }
    free(html);
    return 0;
}

static void check_links_of(const char *out)
{
    links_root = out;
    links_checked = links_missing = pages_not_utf8 = 0;
    CHECK_INT(nftw(out, check_page_links, 16, FTW_PHYS), 0);
    CHECK_INT(pages_not_utf8, 0);
}

/* The same photo (same bytes, same file name) in two posts' folders is
 * published in each: its variants were once worked out for the first
 * folder only, and the second post's pictures were broken links. */
/* A site whose system.yaml lists no languages (most Grav sites): Grav
 * turns languages off, so addresses have no language in them and a page
 * is read only from name.md. The root is the home page itself. */
TEST(site_without_languages_has_no_language_in_its_addresses)
{
    static const char *const files[][2] = {
        {"config/site.yaml", "title: Clinic\ndefault_lang: ru\n"},
        {"pages/01.home/default.md", "---\ntitle: Home\n---\nWelcome to the [news](../news).\n"},
        {"pages/02.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.news/01.a/item.md", "---\ntitle: Post A\ndate: '09-01-2023 10:00'\n---\nText.\n"},
        {"pages/02.news/02.b/item.en.md", "---\ntitle: Post B\ndate: '10-01-2023 10:00'\n---\nText.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK_INT(d.errors, 0);
    CHECK(diag_has(&d, DIAG_WARNING, "not read: the site lists no languages (languages.supported in "
                                     "config/system.yaml), and without them a page's file is named 'item.md'"));
    char *home = read_out(out, "index.html"), *post = read_out(out, "news/a/index.html");
    CHECK(home && strstr(home, "Welcome to the") && !strstr(home, "http-equiv=\"refresh\""));
    CHECK(home && strstr(home, "<html lang=\"ru\""));
    CHECK(home && !strstr(home, "lang-switch")); /* one language: nothing to switch to */
    CHECK(post && strstr(post, "Post A") && strstr(post, "9 января 2023"));
    CHECK(out_exists(out, "news/index.html") && out_exists(out, "404.html"));
    CHECK(!out_exists(out, "news/b/index.html") && !out_exists(out, "ru") && !out_exists(out, "en"));
    char *list = read_out(out, "news/index.html");
    CHECK(list && strstr(list, "href=\"/news/a/\"") && !strstr(list, "Post B"));
    check_links_of(out);
    CHECK(links_checked > 5);
    CHECK_INT(links_missing, 0);
    free(home);
    free(post);
    free(list);
    diag_free(&d);
    sitefix_remove(dir);
}

/* item.kz.md on a site in kk, ru and en: Grav reads no page from it, so
 * the post is missing in Kazakh; the build says so and which name was
 * meant. A copy beside the page's own file is left alone, not shown. */
TEST(page_file_named_for_a_language_the_site_lacks_is_not_read)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk, ru, en]\n  default_lang: kk\ntimezone: Asia/Almaty\n"},
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/a/item.kz.md", "---\ntitle: A in Kazakh\ndate: '09-01-2023 10:00'\n---\nText.\n"},
        {"pages/01.news/a/item.ru.md", "---\ntitle: A in Russian\ndate: '09-01-2023 10:00'\n---\nText.\n"},
        {"pages/01.news/d/item.kk.md", "---\ntitle: D\ndate: '10-01-2023 10:00'\n---\nThe text.\n"},
        {"pages/01.news/d/item.old.md", "---\ntitle: D\ndate: '10-01-2023 10:00'\n---\nThe previous text.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK(diag_has(&d, DIAG_WARNING, "'kz' in the file's name is not a language of the site (kk, ru, en): did you "
                                     "mean 'item.kk.md'? As it is, the file is not read"));
    CHECK(diag_has(&d, DIAG_NOTE, "not read: a page's file is named 'item.md'"));
    char *kk_a = read_out(out, "kk/news/a/index.html"), *ru_a = read_out(out, "ru/news/a/index.html");
    char *kk_d = read_out(out, "kk/news/d/index.html");
    CHECK(kk_a == NULL);
    CHECK(ru_a && strstr(ru_a, "A in Russian"));
    CHECK(kk_d && strstr(kk_d, "The text.") && !strstr(kk_d, "previous"));
    CHECK(!out_exists(out, "media/news/d/item.old.md") && !out_exists(out, "media/news/a/item.kz.md"));
    free(kk_a);
    free(ru_a);
    free(kk_d);
    diag_free(&d);
    sitefix_remove(dir);
}

/* What `folio check` says of the site in dir, into d. */
static void check_dir(const char *dir, diag_list *d)
{
    diag_init(d);
    site *s = site_load(dir, 1735689600LL, d);
    CHECK(s != NULL);
    if (s) check_site(s, NULL, d);
    site_free(s);
}

/* Grav's frontmatter.yaml: front matter every file of the folder shares,
 * under each file's own header (which wins, key by key, in nested maps
 * too). It is read, not published. */
TEST(frontmatter_yaml_is_under_every_language_header_of_its_folder)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk, ru]\n  default_lang: kk\ntimezone: Asia/Almaty\n"},
        {"pages/01.news/blog.kk.md", "---\ntitle: Жаңалықтар\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/a/frontmatter.yaml",
         "date: '09-01-2023 10:00'\ntitle: Shared title\nmetadata:\n  description: Shared description\n"
         "  keywords: shared, words\n"},
        {"pages/01.news/a/item.kk.md", "---\ntitle: Конференция\n---\nМәтін.\n"},
        {"pages/01.news/a/item.ru.md", "---\nmetadata:\n  description: Своё описание\n---\nТекст.\n"},
        {"pages/01.news/b/frontmatter.yaml", "date: [unclosed\n"},
        {"pages/01.news/b/item.kk.md", "---\ntitle: B\ndate: '10-01-2023 10:00'\n---\nB.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    char *kk = read_out(out, "kk/news/a/index.html"), *ru = read_out(out, "ru/news/a/index.html");
    CHECK(kk && strstr(kk, "Конференция") && strstr(kk, "9 қаңтар 2023") && strstr(kk, "Shared description"));
    CHECK(ru && strstr(ru, "Shared title") && strstr(ru, "9 января 2023") && strstr(ru, "Своё описание") &&
          !strstr(ru, "Shared description"));
    CHECK(!out_exists(out, "media/news/a/frontmatter.yaml"));
    /* A broken one is an error naming it; its folder's page still builds. */
    bool named = false;
    for (size_t i = 0; i < d.len; i++)
        named |= d.items[i].level == DIAG_ERROR && d.items[i].path && strstr(d.items[i].path, "b/frontmatter.yaml");
    CHECK(named);
    CHECK(out_exists(out, "kk/news/b/index.html"));
    free(kk);
    free(ru);
    diag_free(&d);
    sitefix_remove(dir);
}

/* Grav's routes.default moves a page (and its children) to another
 * address; slug does so for one name. The address by folder names still
 * leads there, and links written with it resolve to the new one. */
TEST(routes_default_and_slug_move_a_page_and_its_folder_address_redirects)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk, ru]\n  default_lang: kk\ntimezone: Asia/Almaty\n"},
        {"pages/01.home/default.kk.md", "---\ntitle: Басты бет\n---\n[A](../about) [T](../about/team) [C](/contacts)\n"},
        {"pages/02.about/default.kk.md", "---\ntitle: Біз туралы\nroutes:\n  default: /about-us/\n---\nМәтін.\n"},
        {"pages/02.about/01.team/default.kk.md", "---\ntitle: Команда\n---\nМәтін.\n"},
        {"pages/03.contacts/default.kk.md", "---\ntitle: Байланыс\nslug: bailanys\n---\nМәтін.\n"},
        {"pages/04.bad/default.kk.md", "---\ntitle: Bad\nroutes:\n  default: 'no slash'\n---\nМәтін.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK_INT(d.errors, 0);
    CHECK(out_exists(out, "kk/about-us/index.html") && out_exists(out, "kk/about-us/team/index.html"));
    CHECK(out_exists(out, "kk/bailanys/index.html") && out_exists(out, "kk/bad/index.html"));
    char *home = read_out(out, "kk/index.html"), *redirects = read_out(out, "_redirects");
    CHECK(home && strstr(home, "href=\"/kk/about-us/\">A<") && strstr(home, "href=\"/kk/about-us/team/\">T<") &&
          strstr(home, "href=\"/kk/bailanys/\">C<"));
    CHECK(redirects && strstr(redirects, "/kk/about/ /kk/about-us/ 301\n") &&
          strstr(redirects, "/kk/about/team/ /kk/about-us/team/ 301\n") &&
          strstr(redirects, "/kk/contacts/ /kk/bailanys/ 301\n"));
    free(home);
    free(redirects);
    diag_free(&d);
    check_dir(dir, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "routes.default 'no slash' is not a route"));
    diag_free(&d);
    sitefix_remove(dir);
}

/* Grav's external_url: the page stands for another address. Its links
 * (menu, lists) lead there, its own address redirects there, and it is
 * not in the sitemap. */
TEST(external_url_page_links_and_redirects_to_its_address)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk]\n  default_lang: kk\ntimezone: Asia/Almaty\n"},
        {"config/site.yaml", "title: Орталық\nurl: https://example.kz\n"},
        {"pages/01.home/default.kk.md", "---\ntitle: Басты бет\n---\nМәтін.\n"},
        {"pages/02.eotinish/default.kk.md", "---\ntitle: eOtinish\nexternal_url: https://eotinish.kz/\n---\n"},
        {"pages/03.odd/default.kk.md", "---\ntitle: Odd\nexternal_url: 'javascript:alert(1)'\n---\nМәтін.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    char *home = read_out(out, "kk/index.html"), *redirects = read_out(out, "_redirects");
    char *sitemap = read_out(out, "sitemap.xml");
    CHECK(home && strstr(home, "href=\"https://eotinish.kz/\">eOtinish<") && !strstr(home, "javascript:"));
    CHECK(home && strstr(home, "href=\"/kk/odd/\">Odd<"));
    CHECK(redirects && strstr(redirects, "/kk/eotinish/ https://eotinish.kz/ 302\n"));
    CHECK(sitemap && !strstr(sitemap, "eotinish") && strstr(sitemap, "/kk/odd/"));
    CHECK(out_exists(out, "kk/odd/index.html"));
    free(home);
    free(redirects);
    free(sitemap);
    diag_free(&d);
    check_dir(dir, &d);
    CHECK(diag_has(&d, DIAG_WARNING, "external_url 'javascript:alert(1)' is not an address"));
    diag_free(&d);
    sitefix_remove(dir);
}

/* A page folder publishes media: not the PHP, SQL or HTML that was
 * copied along (HTML and scripts from the site's own origin would run as
 * the site's own, past its policy), nor the files Windows and Office
 * leave. Each is named; config/media.yaml adds a kind, as in Grav. */
TEST(page_folder_publishes_media_not_code_or_clutter)
{
    static const char *const files[][2] = {
        {"pages/01.home/default.md", "---\ntitle: Home\n---\n[Price list](doc.pdf) [Map](page.html)\n"},
        {"pages/01.home/doc.pdf", "%PDF-1.4\n"},
        {"pages/01.home/route.gpx", "<gpx/>"},
        {"pages/01.home/evil.php", "<?php system($_GET['c']);"},
        {"pages/01.home/dump.SQL", "DROP TABLE x;"},
        {"pages/01.home/page.html", "<script>alert(1)</script>"},
        {"pages/01.home/tool.js", "alert(1)"},
        {"pages/01.home/~$dogovor.docx", "lock"},
        {"pages/01.home/Thumbs.db", "x"},
        {"pages/01.home/README", "x"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK(out_exists(out, "media/home/doc.pdf") && out_exists(out, "media/home/route.gpx"));
    const char *withheld[] = {"evil.php", "dump.SQL", "page.html", "tool.js", "~$dogovor.docx", "Thumbs.db", "README"};
    for (size_t i = 0; i < sizeof withheld / sizeof *withheld; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "media/home/%s", withheld[i]);
        CHECK(!out_exists(out, rel));
    }
    CHECK(diag_has(&d, DIAG_WARNING, "not published: '.php' is not a kind of media a page publishes"));
    CHECK(diag_has(&d, DIAG_WARNING, "not published: '.SQL' is not a kind of media"));
    CHECK(diag_has(&d, DIAG_WARNING, "not published: '.html' is not a kind of media"));
    CHECK(diag_has(&d, DIAG_NOTE, "not published: an Office lock file"));
    CHECK(diag_has(&d, DIAG_NOTE, "not published: a file Windows makes for a folder"));
    CHECK(diag_has(&d, DIAG_WARNING, "not published: a file without an extension is not media"));
    /* A link to one says why it leads nowhere. */
    CHECK(diag_has(&d, DIAG_ERROR, "file 'page.html' is in the page folder but not published: '.html' is not a "
                                   "kind of media"));
    diag_free(&d);
    sitefix_remove(dir);

    static const char *const opted[][2] = {
        {"config/media.yaml", "types:\n  js:\n    type: file\n    mime: application/javascript\n"},
        {"pages/01.home/default.md", "---\ntitle: Home\n---\nText.\n"},
        {"pages/01.home/tool.js", "alert(1)"},
        {"pages/01.home/evil.php", "<?php"},
        {NULL, NULL}};
    dir = sitefix_make(opted);
    out = fresh_out();
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK(out_exists(out, "media/home/tool.js") && !out_exists(out, "media/home/evil.php"));
    diag_free(&d);
    sitefix_remove(dir);
}

/* A link to a download says, after it, what following it costs on a
 * phone: type and size, in the page's language; not when the link's text
 * says it already, nor for photos, pages or other sites. */
TEST(links_to_downloads_say_their_type_and_size)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\n"},
        {"pages/01.docs/default.ru.md",
         "---\ntitle: Документы\n---\n[Лекарственный формуляр](formulary.pdf)\n\n"
         "[Формуляр (PDF, 1,2 МБ)](formulary.pdf)\n\n[Договор](../02.other/contract.docx)\n\n"
         "[The document](report.doc)\n\n[Фото](photo.jpg)\n\n[Минздрав](https://example.org/a.pdf)\n\n"
         "[Другая страница](../other)\n"},
        {"pages/01.docs/default.en.md", "---\ntitle: Documents\n---\n[Drug formulary](formulary.pdf)\n"},
        {"pages/01.docs/photo.jpg", "not really a photo"},
        {"pages/01.docs/report.doc", "0123456789"},
        {"pages/02.other/default.ru.md", "---\ntitle: Другая\n---\nТекст.\n"},
        {"pages/02.other/contract.docx", "PK"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    char *pdf = path_join(dir, "pages/01.docs/formulary.pdf");
    char *bytes = xcalloc(1258291, 1);
    CHECK_INT(file_write(pdf, bytes, 1258291), 0);
    free(bytes);
    free(pdf);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    char *ru = read_out(out, "ru/docs/index.html"), *en = read_out(out, "en/docs/index.html");
    CHECK(ru && strstr(ru, ">Лекарственный формуляр</a> <span class=\"file-label\">(PDF, 1,2 МБ)</span>"));
    CHECK(ru && strstr(ru, ">Формуляр (PDF, 1,2 МБ)</a></p>"));
    CHECK(ru && strstr(ru, ">Договор</a> <span class=\"file-label\">(DOCX, 2 Б)</span>"));
    CHECK(ru && strstr(ru, ">The document</a> <span class=\"file-label\">(DOC, 10 Б)</span>"));
    CHECK(ru && strstr(ru, ">Фото</a></p>") && strstr(ru, ">Минздрав</a></p>") && strstr(ru, ">Другая страница</a></p>"));
    CHECK(en && strstr(en, ">Drug formulary</a> <span class=\"file-label\">(PDF, 1.2 MB)</span>"));
    free(ru);
    free(en);
    diag_free(&d);
    sitefix_remove(dir);
}

/* A page's own video or audio file in image syntax plays where it is, as
 * in Grav (an <img> of it showed a broken picture), with Grav's actions,
 * the alt text as its name and as the text of a link to the file for
 * browsers that cannot play it. */
TEST(videos_and_audio_in_markdown_are_players_with_grav_actions)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.video/default.ru.md",
         "---\ntitle: Видео\n---\n![Экскурсия по клинике](tour.mp4?autoplay=1&muted=1&playsinline=1&poster=cover.jpg "
         "\"Тур\")\n\n![](lecture.mp3?preload=auto&loop=true)\n\n"
         "![](clip.webm?controls=0&autoplay=false&poster=../x.jpg&classes=wide,dark)\n\n"
         "![](%D0%BB%D0%B5%D0%BA%D1%86%D0%B8%D1%8F.m4a?poster=cover.jpg)\n"},
        {"pages/01.video/tour.mp4", "not really a video"},
        {"pages/01.video/lecture.mp3", "ID3"},
        {"pages/01.video/clip.webm", "webm"},
        {"pages/01.video/лекция.m4a", "m4a"},
        {"pages/01.video/cover.jpg", "not really a photo"},
        {"pages/01.video/clip.vtt", "WEBVTT\n"},
        {"pages/01.video/clip.kk.vtt", "WEBVTT\n"},
        {"pages/01.video/clip.ru.vtt", "WEBVTT\n"},
        {"pages/01.video/clip-notes.vtt", "WEBVTT\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    char *html = read_out(out, "ru/video/index.html");
    /* captions beside the video by its name: each language's a track, the
     * page's own by default, "clip.ru.vtt" over "clip.vtt" */
    CHECK_CONTAINS(html, "type=\"video/webm\"><track kind=\"captions\" src=\"/media/video/clip.kk.vtt\" srclang=\"kk\" "
                         "label=\"Қазақша\"><track kind=\"captions\" src=\"/media/video/clip.ru.vtt\" srclang=\"ru\" "
                         "label=\"Русский\" default><a ");
    CHECK_NOT_CONTAINS(html, "clip.vtt");
    CHECK_NOT_CONTAINS(html, "clip-notes.vtt");
    CHECK_CONTAINS(html, "<p><video controls preload=\"none\" autoplay muted playsinline poster=\"/media/video/cover.jpg\" "
                         "aria-label=\"Экскурсия по клинике\" title=\"Тур\"><source src=\"/media/video/tour.mp4\" "
                         "type=\"video/mp4\"><a href=\"/media/video/tour.mp4\">Экскурсия по клинике</a></video></p>");
    CHECK_CONTAINS(html, "<p><audio controls preload=\"auto\" loop><source src=\"/media/video/lecture.mp3\" "
                         "type=\"audio/mpeg\"><a href=\"/media/video/lecture.mp3\">lecture.mp3</a></audio></p>");
    /* controls off, "false" is off, a poster out of the folder is left out */
    CHECK_CONTAINS(html, "<p><video preload=\"metadata\" class=\"wide dark\"><source src=\"/media/video/clip.webm\" "
                         "type=\"video/webm\"><track ");
    CHECK_CONTAINS(html, " default><a href=\"/media/video/clip.webm\">clip.webm</a></video></p>");
    /* an audio file has no poster; a name in letters is found and linked */
    CHECK_CONTAINS(html, "<p><audio controls preload=\"metadata\"><source src=\"/media/video/лекция.m4a\" "
                         "type=\"audio/mp4\"><a href=\"/media/video/лекция.m4a\">лекция.m4a</a></audio></p>");
    /* what plays is no text: the page has none for a description */
    CHECK_NOT_CONTAINS(html, "name=\"description\"");
    CHECK_NOT_CONTAINS(html, "og:description");
    CHECK_NOT_CONTAINS(html, "<img src=\"/media/video/tour.mp4");
    char *tour = read_out(out, "media/video/tour.mp4");
    CHECK_STR(tour, "not really a video");
    free(tour);
    free(html);
    diag_free(&d);
    sitefix_remove(dir);
}

/* A poster from the page's folder is a copy about 960 px wide, as the
 * photo's fallback in the text is: a phone need not load the camera's. */
TEST(a_videos_poster_is_a_copy_sized_for_the_page)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.video/default.ru.md", "---\ntitle: Видео\n---\n![Экскурсия](tour.mp4?poster=cover.jpg)\n"},
        {"pages/01.video/tour.mp4", "not really a video"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    size_t len;
    char *bytes = sitefix_seed_photo(&len);
    CHECK(bytes != NULL);
    char *to = path_join(dir, "pages/01.video/cover.jpg");
    if (bytes) CHECK_INT(file_write(to, bytes, len), 0);
    free(to);
    free(bytes);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    char *html = read_out(out, "ru/video/index.html");
    const char *poster = html ? strstr(html, "poster=\"/media/video/cover-960x") : NULL;
    CHECK(poster != NULL);
    if (poster) {
        char name[256];
        CHECK_INT(sscanf(poster, "poster=\"/media/video/%255[^\"]\"", name), 1);
        CHECK(strstr(name, ".jpg") != NULL);
        char rel[300];
        snprintf(rel, sizeof rel, "media/video/%s", name);
        CHECK(out_exists(out, rel));
    }
    free(html);
    diag_free(&d);
    sitefix_remove(dir);
}

/* A page's HTML showing the theme's pictures by their Grav address
 * ("/user/themes/center/img/art.svg", which Grav's web server serves): the
 * files are published at that address, a photo without its comment (as
 * every photo, its metadata goes); the site's own folders (config,
 * accounts) never are, and check says so. */
TEST(user_folder_files_a_page_shows_are_published_at_their_address)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"config/site.yaml", "title: Центр\n"},
        {"themes/center/img/art.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"},
        {"images/entrance.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"},
        {"pages/01.home/default.ru.md",
         "---\ntitle: Главная\n---\n<img class=\"art\" src=\"/user/themes/center/img/art.svg\" alt=\"\">\n\n"
         "![Зал](/user/themes/center/img/hall.jpg)\n\n[Настройки](/user/config/site.yaml)\n\n"
         "![Вход](image://entrance.svg)\n\n"
         "<img src=\"/user/themes/center/img/missing.svg\" alt=\"\">\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    size_t len;
    char *bytes = sitefix_seed_photo(&len);
    CHECK(bytes != NULL);
    if (bytes) { /* a comment segment after the JPEG's start */
        static const char comment[] = "\xFF\xFE\x00\x10SECRET-COMMENT";
        char *with = xmalloc(len + sizeof comment - 1);
        memcpy(with, bytes, 2);
        memcpy(with + 2, comment, sizeof comment - 1);
        memcpy(with + 2 + sizeof comment - 1, bytes + 2, len - 2);
        char *to = path_join(dir, "themes/center/img/hall.jpg");
        CHECK_INT(file_write(to, with, len + sizeof comment - 1), 0);
        free(to);
        free(with);
    }
    free(bytes);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "default.ru.md", 0, "link '/user/config/site.yaml' is not published: the "
                                                               "folder is the site's own"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "default.ru.md", 0, "image '/user/themes/center/img/missing.svg' is not "
                                                               "published: no such file"));
    diag_free(&d);
    CHECK(out_exists(out, "user/themes/center/img/art.svg"));
    CHECK(out_exists(out, "user/images/entrance.svg")); /* Grav's image:// stream */
    char *home = read_out(out, "ru/index.html");
    CHECK(home && strstr(home, "src=\"/user/images/entrance.svg\""));
    free(home);
    CHECK(!out_exists(out, "user/config/site.yaml"));
    size_t n = 0;
    char *path = path_join(out, "user/themes/center/img/hall.jpg");
    char *photo = file_read(path, &n, 0);
    free(path);
    CHECK(photo && n > 1000 && !memmem(photo, n, "SECRET-COMMENT", 14));
    free(photo);
    sitefix_remove(dir);
}

TEST(same_photo_in_two_posts_is_published_in_both_folders)
{
    static const char *const files[][2] = {
        {"pages/01.home/default.md", "---\ntitle: Home\n---\nWelcome.\n"},
        {"pages/02.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.news/01.a/item.md", "---\ntitle: A\ndate: '01-02-2024 10:00'\n---\nText.\n\n![x](photo.jpg)\n"},
        {"pages/02.news/02.b/item.md", "---\ntitle: B\ndate: '02-02-2024 10:00'\n---\nText.\n\n![x](photo.jpg)\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    size_t len;
    char *bytes = sitefix_seed_photo(&len);
    CHECK(bytes != NULL);
    for (int i = 0; bytes && i < 2; i++) {
        char *to = path_join(dir, i ? "pages/02.news/02.b/photo.jpg" : "pages/02.news/01.a/photo.jpg");
        CHECK_INT(file_write(to, bytes, len), 0);
        free(to);
    }
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    check_links_of(out);
    CHECK(links_checked > 20);
    CHECK_INT(links_missing, 0);
    /* No languages configured: no language in the addresses, as in Grav. */
    char *a = read_out(out, "news/a/index.html"), *b = read_out(out, "news/b/index.html");
    CHECK(a && strstr(a, "<picture") && strstr(a, "/media/news/a/photo-"));
    CHECK(b && strstr(b, "<picture") && strstr(b, "/media/news/b/photo-"));
    free(a);
    free(b);
    diag_free(&d);
    free(bytes);
    sitefix_remove(dir);
}

/* A photo as an iPhone saves it (HEIC), made here with libvips. */
static void write_heic(const char *path, int w, int h)
{
    VipsImage *img = NULL;
    void *data = NULL;
    size_t len = 0;
    if (VIPS_INIT("test_build") != 0 || vips_black(&img, w, h, "bands", 3, NULL) != 0 ||
        vips_heifsave_buffer(img, &data, &len, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC, NULL) != 0)
        abort();
    CHECK_INT(file_write(path, data, len), 0);
    g_object_unref(img);
    g_free(data);
}

/* A damaged JPEG libvips cannot read is published as it is, as the issue
 * asks (a browser may show what there is), but without its EXIF and
 * comment segments: a warning names it, and the place it was taken stays
 * out of the output. */
TEST(damaged_jpeg_is_published_without_its_exif)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\ntimezone: Asia/Almaty\n"},
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.a/item.md", "---\ntitle: A\ndate: '01-02-2024 10:00'\nheader_image: false\n---\nText.\n\n"
                                       "![Повреждённое](broken.jpg)\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    /* JFIF, an EXIF segment with a GPS note, a comment, a table, the scan:
     * no frame header, so no decoder reads it */
    static const unsigned char broken[] = {
        0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
        0xFF, 0xE1, 0, 17, 'E', 'x', 'i', 'f', 0, 0, 'G', 'P', 'S', '5', '1', 'N', '7', '1', 'E',
        0xFF, 0xFE, 0, 8, 'C', 'l', 'i', 'n', 'i', 'c',
        0xFF, 0xDB, 0, 4, 0, 1,
        0xFF, 0xDA, 0, 2, 0x12, 0x34, 0x56, 0xFF, 0xD9};
    char *path = path_join(dir, "pages/01.news/01.a/broken.jpg");
    CHECK_INT(file_write(path, (const char *)broken, sizeof broken), 0);
    const char *out = fresh_out();
    diag_list d;
    build_into(dir, out, false, &d, NULL);
    bool warned = false;
    for (size_t i = 0; i < d.len; i++)
        warned |= d.items[i].level == DIAG_WARNING && strstr(d.items[i].path, "broken.jpg") != NULL;
    CHECK(warned);
    char *published = path_join(out, "media/news/a/broken.jpg");
    size_t len = 0;
    char *bytes = file_read(published, &len, 1 << 20);
    CHECK(bytes != NULL);
    if (bytes) {
        CHECK(!memmem(bytes, len, "GPS", 3) && !memmem(bytes, len, "Exif", 4) && !memmem(bytes, len, "Clinic", 6));
        CHECK(memmem(bytes, len, "JFIF", 4) != NULL);
        CHECK_INT(len, sizeof broken - 19 - 10); /* the two segments, markers and all */
        CHECK(memcmp(bytes + len - 9, broken + sizeof broken - 9, 9) == 0); /* the scan as it was */
    }
    free(bytes);
    free(published);
    free(path);
    diag_free(&d);
    sitefix_remove(dir);
}

/* iPhones save HEIC, which browsers other than Safari do not show: the
 * photo gets its variants like any other, and is published as a JPEG
 * under its own name with .jpg, which links to it follow; no HEIC file
 * reaches the output. With a .jpg of that name beside it, it keeps its
 * whole name before the .jpg. */
TEST(heic_photos_are_published_as_jpeg)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\ntimezone: Asia/Almaty\n"},
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.a/item.md", "---\ntitle: A\ndate: '01-02-2024 10:00'\nheader_image: false\n---\nText.\n\n"
                                       "![Зал](IMG_0001.HEIC)\n\n[Оригинал](IMG_0001.HEIC), [второе](IMG_0002.HEIC)\n\n"
                                       "![Сломанное](broken.HEIC)\n"},
        {"pages/01.news/02.b/item.md", "---\ntitle: B\ndate: '02-02-2024 10:00'\n---\nIts photo is the header.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    char *one = path_join(dir, "pages/01.news/01.a/IMG_0001.HEIC"), *two = path_join(dir, "pages/01.news/01.a/IMG_0002.HEIC");
    write_heic(one, 640, 480);
    write_heic(two, 64, 48);
    char *broken = path_join(dir, "pages/01.news/01.a/broken.HEIC"); /* a HEIC's first box, then nothing */
    CHECK_INT(file_write(broken, "\0\0\0\x18" "ftypheic" "\0\0\0\0" "mif1heic", 24), 0);
    free(broken);
    char *header = path_join(dir, "pages/01.news/02.b/IMG_0003.HEIC");
    write_heic(header, 1600, 1200);
    char *clash = path_join(dir, "pages/01.news/01.a/IMG_0002.jpg");
    size_t len;
    CHECK_INT(file_write(clash, "a file of its own", 17), 0);
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(dir, out, false, &d, NULL), 0);
    CHECK_INT(d.errors, 0);
    char *html = read_out(out, "ru/news/a/index.html");
    CHECK_CONTAINS(html, "<picture><source type=\"image/webp\" srcset=\"/media/news/a/IMG_0001-480x360-");
    CHECK_CONTAINS(html, "<img src=\"/media/news/a/IMG_0001-640x480-");
    CHECK_CONTAINS(html, "<a href=\"/media/news/a/IMG_0001.jpg\">Оригинал</a>");
    CHECK_CONTAINS(html, "<a href=\"/media/news/a/IMG_0002.HEIC.jpg\">второе</a>");
    free(html);
    html = read_out(out, "ru/news/b/index.html"); /* the first image of the folder is the header */
    CHECK_CONTAINS(html, "srcset=\"/media/news/b/IMG_0003-480x160-");
    free(html);
    free(header);
    char *published = path_join(out, "media/news/a/IMG_0001.jpg");
    char *bytes = file_read(published, &len, 1 << 24);
    CHECK(bytes && len > 3 && (unsigned char)bytes[0] == 0xFF && (unsigned char)bytes[1] == 0xD8);
    free(bytes);
    CHECK(!out_exists(out, "media/news/a/IMG_0001.HEIC"));
    CHECK(out_exists(out, "media/news/a/IMG_0002.HEIC.jpg"));
    CHECK(out_exists(out, "media/news/a/IMG_0002.jpg"));
    /* a damaged one: a warning naming it, and nothing published under its JPEG name */
    bool warned = false;
    for (size_t i = 0; i < d.len; i++)
        warned |= d.items[i].level == DIAG_WARNING && strstr(d.items[i].path, "broken.HEIC") != NULL;
    CHECK(warned);
    CHECK(!out_exists(out, "media/news/a/broken.jpg") && !out_exists(out, "media/news/a/broken.HEIC"));
    /* without photo processing a HEIC photo has no JPEG: not published, and said so */
    char args[4096];
    const char *bare = fresh_out();
    snprintf(args, sizeof args, "build %s -o %s --no-images", dir, bare);
    int status;
    char *log = sitefix_run_folio(args, &status);
    CHECK_INT(status, 0);
    CHECK_CONTAINS(log, "IMG_0001.HEIC:1:1: warning: a HEIC photo is published as the JPEG folio makes of it, which "
                        "--no-images turns off: not published");
    CHECK(!out_exists(bare, "media/news/a/IMG_0001.jpg") && !out_exists(bare, "media/news/a/IMG_0001.HEIC"));
    free(log);
    free(published);
    free(clash);
    free(one);
    free(two);
    diag_free(&d);
    sitefix_remove(dir);
}

/* The example site, in every language: no page points to a file of the
 * site's own that the build did not write, and every page is UTF-8. */
TEST(example_site_has_no_broken_local_links)
{
    const char *out = fresh_out();
    diag_list d;
    CHECK_INT(build_into(example(), out, false, &d, NULL), 0);
    check_links_of(out);
    CHECK(links_checked > 200);
    CHECK_INT(links_missing, 0);
    diag_free(&d);
}

/* The site's Content-Security-Policy allows exactly the other origins its
 * content embeds, each for what it is loaded as; anything that is not a
 * plain http(s) host (or a valid international name) is left out (and so
 * stays blocked). */
TEST(policy_allows_what_the_content_embeds_and_nothing_else)
{
    site_policy *p = policy_new();
    buf csp = BUF_INIT;
    policy_csp(p, &csp);
    CHECK_STR(buf_cstr(&csp), POLICY_DEFAULT_CSP);
    buf_free(&csp);
    static const char html[] =
        "<p><IFRAME width=600 SRC=\"https://Yandex.RU/map-widget/v1/?um=constructor%3Aabc&amp;x=1\"></iframe>"
        "<iframe src='//www.youtube-nocookie.com/embed/x'></iframe>"
        "<img alt=\"a > b\" src=\"https://partner.example.kz/logo.png\">"
        "<picture><source srcset=\"https://cdn.example.org/a.webp 480w, https://cdn2.example.org/b.webp 960w\">"
        "<img src=\"/media/news/x/photo.jpg\"></picture>"
        "<video src=http://video.example.org:8080/v.mp4 poster=\"https://img.example.org/p.jpg\"></video>"
        "<iframe src=\"javascript:alert(1)\"></iframe><iframe src=\"https://evil.example.com';script-src *\"></iframe>"
        "<iframe src=\"https://user@host.example.com/\"></iframe><script src=\"https://script.example.com/x.js\"></script>"
        "<a href=\"https://linked.example.com/\">a link loads nothing</a></p>";
    policy_scan(p, html, sizeof html - 1);
    policy_csp(p, &csp);
    CHECK_STR(buf_cstr(&csp),
              "default-src 'self'; img-src 'self' data: https://cdn.example.org https://cdn2.example.org "
              "https://img.example.org https://partner.example.kz; style-src 'self'; script-src 'self'; "
              "frame-src 'self' https://www.youtube-nocookie.com https://yandex.ru; "
              "media-src 'self' http://video.example.org:8080; frame-ancestors 'self'; base-uri 'self'; "
              "form-action 'self'");
    buf_free(&csp);
    CHECK(policy_allows(p, html, sizeof html - 1));
    /* A NUL byte inside a tag once made the tag reader stand still (found
     * by fuzz_summary): the scan must end, and the rest is still read. */
    static const char nul[] = "<iframe \0 src=\"https://nul.example.org/\"></iframe><img \0>";
    policy_scan(p, nul, sizeof nul - 1);
    policy_csp(p, &csp);
    CHECK_CONTAINS(buf_cstr(&csp), "frame-src 'self' https://nul.example.org https://www");
    buf_free(&csp);
    /* A name in Kazakh or Russian letters is listed as browsers match it
     * (IDNA: "xn--..."), in lower case, with its port; one that is not a
     * valid name is left out. */
    static const char idn[] = "<iframe src=\"https://Карта.ҚАЗ/map\"></iframe>"
                              "<img src=\"https://минздрав.рф:8443/logo.png\">"
                              "<img src=\"https://ка рта.kz/x.png\"><iframe src=\"https://карта.kz';script-src/\">";
    policy_scan(p, idn, sizeof idn - 1);
    policy_csp(p, &csp);
    CHECK_CONTAINS(buf_cstr(&csp), " https://xn--80aa2azak.xn--80ao21a https://yandex.ru;");
    CHECK_CONTAINS(buf_cstr(&csp), " https://xn--80aeelexi0a.xn--p1ai:8443;");
    CHECK(!strstr(buf_cstr(&csp), "рта"));
    CHECK(!strstr(buf_cstr(&csp), "script-src/"));
    buf_free(&csp);
    CHECK(policy_allows(p, idn, sizeof idn - 1));
    static const char more[] = "<iframe src=\"https://maps.2gis.kz/x\"></iframe>";
    CHECK(!policy_allows(p, more, sizeof more - 1));
    buf file = BUF_INIT;
    policy_headers_file(p, &file);
    CHECK_CONTAINS(buf_cstr(&file), "\n/*\n  Content-Security-Policy: default-src 'self'; img-src");
    CHECK_CONTAINS(buf_cstr(&file), "\n  X-Content-Type-Options: nosniff\n");
    CHECK_CONTAINS(buf_cstr(&file), "\n/theme/*\n  Cache-Control: public, max-age=31536000, immutable\n");
    CHECK_CONTAINS(buf_cstr(&file), "\n/media/*\n  Cache-Control: public, max-age=86400\n");
    buf_free(&file);
    policy_free(p);
}

/* Text pasted from a word processor carries style="..." attributes; the
 * browser drops them under style-src 'self', so a page that has them
 * makes the policy allow inline styles (scripts stay the site's own).
 * The word in text or code, or in a tag's text, is not a style. */
TEST(policy_allows_inline_styles_only_when_the_content_has_them)
{
    static const char *const plain[] = {
        "<p>A healthy lifestyle = fewer visits.</p>",
        "<p><code>&lt;p style=&quot;color: red&quot;&gt;</code></p>",
        "<p>Write <code>a style = b</code> to style</p><a title=\"style\" href=\"/x\">style</a>",
        "<p><img alt=\"new style\" src=\"/a.jpg\"></p>",
    };
    static const char *const styled[] = {
        "<p style=\"text-align: center\">По центру</p>",
        "<P STYLE='color:red'>!</P>",
        "<table><td\n  style = \"width: 50%\">x</td></table>",
        "<style>.x { color: red }</style><p class=\"x\">x</p>",
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        site_policy *p = policy_new();
        policy_scan(p, plain[i], strlen(plain[i]));
        buf csp = BUF_INIT;
        policy_csp(p, &csp);
        test_case(plain[i], strcmp(buf_cstr(&csp), POLICY_DEFAULT_CSP) == 0 && policy_allows(p, plain[i], strlen(plain[i])));
        buf_free(&csp);
        policy_free(p);
    }
    for (size_t i = 0; i < sizeof styled / sizeof styled[0]; i++) {
        site_policy *p = policy_new();
        bool allowed_before = policy_allows(p, styled[i], strlen(styled[i]));
        policy_scan(p, styled[i], strlen(styled[i]));
        buf csp = BUF_INIT;
        policy_csp(p, &csp);
        test_case(styled[i], !allowed_before && policy_allows(p, styled[i], strlen(styled[i])) &&
                                 strstr(buf_cstr(&csp), "; style-src 'self' 'unsafe-inline'; script-src 'self'; ") &&
                                 !strstr(buf_cstr(&csp), "script-src 'self' 'unsafe"));
        buf_free(&csp);
        policy_free(p);
    }
}

/* Grav's Markdown options (config/system.yaml pages.markdown, and a
 * page's own `markdown:` header, which wins): a branch's address written
 * line by line stays in lines with auto_line_breaks; auto_url_links
 * links a bare address; escape_markup shows HTML as text. And, as in
 * Parsedown, "##Филиалы" is a heading. */
TEST(grav_markdown_options_of_the_site_and_the_page_are_followed)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\ntimezone: Asia/Almaty\n"
                               "pages:\n  markdown:\n    auto_line_breaks: true\n    auto_url_links: true\n"},
        {"pages/01.contacts/default.ru.md", "---\ntitle: Контакты\n---\nг. Алматы,\nул. Басенова, 2\n\n"
                                            "Сайт: https://hematology.kz/ru/\n\n<b>жирный</b>\n\n##Филиалы\n"},
        {"pages/02.plain/default.ru.md", "---\ntitle: Обычная\nmarkdown:\n  auto_line_breaks: false\n"
                                         "  escape_markup: true\n---\nстрока один\nстрока два\n\n<b>жирный</b>\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *contacts = read_out(out, "ru/contacts/index.html");
    CHECK_CONTAINS(contacts, "<p>г. Алматы,<br />\nул. Басенова, 2</p>");
    CHECK_CONTAINS(contacts, "<a href=\"https://hematology.kz/ru/\">https://hematology.kz/ru/</a>");
    CHECK_CONTAINS(contacts, "<b>жирный</b>");
    CHECK_CONTAINS(contacts, "<h2>Филиалы</h2>"); /* Parsedown's heading needs no space */
    char *plain = read_out(out, "ru/plain/index.html");
    CHECK_CONTAINS(plain, "<p>строка один\nстрока два</p>");
    CHECK_CONTAINS(plain, "&lt;b&gt;жирный&lt;/b&gt;");
    free(contacts);
    free(plain);
    sitefix_remove(dir);
}

/* Grav's link attributes: [Договор](contract.pdf?target=_blank) opens in
 * a new tab, as on the Grav site; pages.markdown.valid_link_attributes
 * says which keys. */
TEST(link_attributes_from_the_query_follow_the_site_configuration)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\ntimezone: Asia/Almaty\n"},
        {"pages/01.docs/default.ru.md", "---\ntitle: Документы\n---\n[Договор](contract.pdf?target=_blank&rel=noopener) и "
                                        "[сайт](https://example.kz/?classes=button,big)\n"},
        {"pages/01.docs/contract.pdf", "%PDF-1.4\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *docs = read_out(out, "ru/docs/index.html");
    CHECK_CONTAINS(docs, "<a href=\"/media/docs/contract.pdf\" target=\"_blank\" rel=\"noopener\">Договор</a>");
    CHECK_CONTAINS(docs, "<a href=\"https://example.kz/\" class=\"button big\">сайт</a>");
    free(docs);
    char *sys = path_join(dir, "config/system.yaml");
    const char *only_target = "languages:\n  supported: [ru]\n  default_lang: ru\ntimezone: Asia/Almaty\n"
                              "pages:\n  markdown:\n    valid_link_attributes: [target]\n";
    CHECK_INT(file_write(sys, only_target, strlen(only_target)), 0);
    out = build_cleanly(dir);
    docs = read_out(out, "ru/docs/index.html");
    CHECK_CONTAINS(docs, "<a href=\"/media/docs/contract.pdf\" target=\"_blank\">Договор</a>");
    CHECK_CONTAINS(docs, "<a href=\"https://example.kz/?classes=button,big\">сайт</a>");
    free(docs);
    free(sys);
    sitefix_remove(dir);
}

/* Grav's youtube plugin, when the site has it: the player, in the page's
 * language, and the site's policy lets it show; privacy_enhanced_mode
 * false plays from youtube.com; player_parameters other than YouTube's
 * defaults are the address's query; without the plugin the link stays. */
static void put_file_at(const char *dir, const char *rel, const char *text, time_t age);

TEST(youtube_plugin_links_play_when_the_site_has_the_plugin)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\ntimezone: Asia/Almaty\n"},
        {"plugins/youtube/youtube.yaml", "enabled: true\n"},
        {"pages/01.school/default.ru.md", "---\ntitle: Школа\n---\n[plugin:youtube](https://youtu.be/dQw4w9WgXcQ)\n\n"
                                          "[youtube]https://www.youtube.com/shorts/dQw4w9WgXcQ[/youtube]\n"},
        {"pages/01.school/default.en.md", "---\ntitle: School\n---\n[plugin:youtube](https://youtu.be/dQw4w9WgXcQ)\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *ru = read_out(out, "ru/school/index.html"), *en = read_out(out, "en/school/index.html");
    char *headers = read_out(out, "_headers");
    CHECK_CONTAINS(ru, "<div class=\"grav-youtube\"><iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" "
                       "title=\"Видео YouTube\"");
    CHECK_CONTAINS(en, "title=\"YouTube video\"");
    CHECK(strstr(ru, "grav-youtube") && strstr(strstr(ru, "grav-youtube") + 1, "grav-youtube")); /* link and shortcode */
    CHECK_CONTAINS(headers, "frame-src 'self' https://www.youtube-nocookie.com");
    free(ru);
    free(en);
    free(headers);

    put_file_at(dir, "config/plugins/youtube.yaml", "privacy_enhanced_mode: false\n", 0);
    out = build_cleanly(dir);
    ru = read_out(out, "ru/school/index.html");
    CHECK_CONTAINS(ru, "<iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\"");
    free(ru);

    /* player_parameters: those that differ from YouTube's defaults go
     * into the address, in their order, as the plugin writes them */
    put_file_at(dir, "config/plugins/youtube.yaml",
                "player_parameters:\n  autoplay: 0\n  rel: 0\n  controls: 1\n  hl: ru\n  fs: false\n"
                "  color: white\n  origin: ''\n",
                0);
    out = build_cleanly(dir);
    ru = read_out(out, "ru/school/index.html");
    CHECK_CONTAINS(ru, "<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&amp;hl=ru&amp;fs=0&amp;"
                       "color=white\" title=");
    free(ru);

    char *plugin = path_join(dir, "plugins/youtube");
    CHECK_INT(dir_remove_tree(plugin), 0);
    out = build_cleanly(dir);
    ru = read_out(out, "ru/school/index.html");
    CHECK_CONTAINS(ru, "<a href=\"https://youtu.be/dQw4w9WgXcQ\">plugin:youtube</a>");
    CHECK_NOT_CONTAINS(ru, "<iframe");
    free(ru);
    free(plugin);
    sitefix_remove(dir);
}

/* Grav's markdown-notices ("! text"), which every Grav site has: on by
 * default, its level_classes followed, off when its configuration says so
 * or when the site's plugins folder lacks it; a page that escapes HTML
 * has its notices too (Parsedown writes them itself), while the HTML
 * written in its text, and a mark standing for one, stay text. */
TEST(markdown_notices_follow_the_plugin_configuration)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\ntimezone: Asia/Almaty\n"},
        {"config/plugins/markdown-notices.yaml", "enabled: true\nlevel_classes: [yellow, red, blue, green, orange]\n"},
        {"pages/01.contacts/default.ru.md", "---\ntitle: Контакты\n---\nПриём:\n! По записи.\n\n!!!!! Оранжевая\n"},
        {"pages/02.plain/default.ru.md", "---\ntitle: Обычная\nmarkdown:\n  escape_markup: true\n---\nТекст.\n"
                                         "!! <b>Важно</b>\n\n> ! В цитате.\n\n<div>как есть</div>\n\n\x1aN1\x1a\n\n"
                                         "\x1a/N\x1a\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *contacts = read_out(out, "ru/contacts/index.html");
    CHECK_CONTAINS(contacts, "<p>Приём:</p>\n<div class=\"notices yellow\">\n<p>По записи.</p>\n</div>");
    CHECK_CONTAINS(contacts, "<div class=\"notices orange\">\n<p>Оранжевая</p>");
    char *plain = read_out(out, "ru/plain/index.html");
    CHECK_CONTAINS(plain, "<p>Текст.</p>\n<div class=\"notices red\">\n<p>&lt;b&gt;Важно&lt;/b&gt;</p>\n</div>");
    CHECK_CONTAINS(plain, "<blockquote>\n<div class=\"notices yellow\">\n<p>В цитате.</p>\n</div>\n</blockquote>");
    CHECK_CONTAINS(plain, "&lt;div&gt;как есть&lt;/div&gt;");
    CHECK_NOT_CONTAINS(plain, "\x1a");
    CHECK_CONTAINS(plain, "<p>N1</p>\n<p>/N</p>"); /* the page's own marks open nothing */
    free(contacts);
    free(plain);

    /* switched off */
    char *cfg = path_join(dir, "config/plugins/markdown-notices.yaml");
    CHECK_INT(file_write(cfg, "enabled: false\n", 15), 0);
    out = build_cleanly(dir);
    contacts = read_out(out, "ru/contacts/index.html");
    CHECK_CONTAINS(contacts, "<p>Приём:\n! По записи.</p>");
    free(contacts);

    /* a plugins folder without the plugin */
    CHECK_INT(file_write(cfg, "enabled: true\n", 14), 0);
    char *plugin = path_join(dir, "plugins/shortcode-core");
    CHECK_INT(dir_make(plugin), 0);
    out = build_cleanly(dir);
    contacts = read_out(out, "ru/contacts/index.html");
    CHECK_NOT_CONTAINS(contacts, "notices");
    free(contacts);
    free(plugin);
    plugin = path_join(dir, "plugins/markdown-notices");
    CHECK_INT(dir_make(plugin), 0);
    out = build_cleanly(dir);
    contacts = read_out(out, "ru/contacts/index.html");
    CHECK_CONTAINS(contacts, "<div class=\"notices yellow\">");
    free(contacts);
    free(plugin);
    free(cfg);
    sitefix_remove(dir);
}

/* A page with a map: the build writes _headers with the map's origin. */
TEST(build_writes_the_policy_for_static_hosts)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/01.contacts/default.ru.md",
         "---\ntitle: Контакты\n---\nАстана:\n\n<iframe src=\"https://yandex.ru/map-widget/v1/?um=x\" title=\"Карта\"></iframe>\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *headers = read_out(out, "_headers");
    CHECK_CONTAINS(headers, "frame-src 'self' https://yandex.ru;");
    free(headers);
    /* the summary tells the operator, whose own server may send a policy */
    char args[4096];
    snprintf(args, sizeof args, "build %s -o %s-cli", dir, dir);
    int status = -1;
    char *text = sitefix_run_folio(args, &status);
    CHECK_INT(status, 0);
    CHECK_CONTAINS(text, "the pages embed 1 other site (maps, videos, pictures)");
    free(text);
    snprintf(args, sizeof args, "%s-cli", dir);
    dir_remove_tree(args);
    sitefix_remove(dir);
}

static size_t files_starting_with(const char *dir, const char *prefix)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "find '%s' -type f -name '%s*' | wc -l", dir, prefix);
    FILE *f = popen(cmd, "r");
    long n = -1;
    if (f) {
        if (fscanf(f, "%ld", &n) != 1) n = -1;
        pclose(f);
    }
    return (size_t)n;
}

static char *sha256_of_file(const char *path)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *f = popen(cmd, "r");
    char hash[65] = "";
    if (f) {
        if (fscanf(f, "%64s", hash) != 1) hash[0] = 0;
        pclose(f);
    }
    return xstrdup(hash);
}

/* Make a file (and its folder) at dir/rel with text. */
static void put_file_at(const char *dir, const char *rel, const char *text, time_t age)
{
    char *p = path_join(dir, rel);
    char *slash = strrchr(p, '/');
    *slash = 0;
    dir_make(p);
    *slash = '/';
    CHECK_INT(file_write(p, text, strlen(text)), 0);
    if (age) {
        struct timespec t[2] = {{time(NULL) - age, 0}, {time(NULL) - age, 0}};
        CHECK_INT(utimensat(AT_FDCWD, p, t, 0), 0);
    }
    free(p);
}

/* --prune-cache drops the variants of photos that are no longer in any
 * page folder (one replaced by another under the same name here) and the
 * variants of a shown photo that the build did not use (a width the site
 * no longer asks for), keeps those of every photo still in a folder (a
 * draft's all), removes temporary files an interrupted build left long
 * ago but not a fresh one, and does nothing after a build with errors. */
TEST(prune_cache_drops_variants_of_photos_no_longer_in_the_site)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.a/item.ru.md", "---\ntitle: A\ndate: '01-02-2024 10:00'\n---\nText.\n\n![Зал](photo.jpg)\n"},
        {"pages/01.news/02.draft/item.ru.md", "---\ntitle: Draft\npublished: false\n---\nLater.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    char seed[4096];
    snprintf(seed, sizeof seed, "%s/seed-site/user/pages/02.news/03.2023-01-09-practical-conference", test_shared_dir());
    char *one = path_join(seed, "2023-01-09-1.jpg"), *two = path_join(seed, "2023-01-09-2.jpg");
    char *photo = path_join(dir, "pages/01.news/01.a/photo.jpg");
    char *draft_photo = path_join(dir, "pages/01.news/02.draft/photo.jpg");
    char *cache = xstrdup(fresh_out());
    size_t len;
    char *bytes = file_read(one, &len, 1 << 24);
    CHECK(bytes && file_write(photo, bytes, len) == 0 && file_write(draft_photo, bytes, len) == 0);
    free(bytes);
    char *old_hash = sha256_of_file(one), *new_hash = sha256_of_file(two);
    char fresh_temp[256], old_temp[256], unused[256];
    snprintf(fresh_temp, sizeof fresh_temp, "v1/%.2s/%s-inside-1x1-q0-bg-1.jpg.tmp-1-1", new_hash, new_hash);
    snprintf(old_temp, sizeof old_temp, "v1/%.2s/%s-inside-2x2-q0-bg-1.jpg.tmp-1-2", new_hash, new_hash);
    /* a width of the shown photo that the site no longer asks for */
    snprintf(unused, sizeof unused, "v1/%.2s/%s-inside-1234x0-q0-bg-1.jpg", new_hash, new_hash);
    size_t new_before_prune = 0;

    build_options opt = {0};
    opt.site_dir = dir;
    opt.cache_dir = cache;
    for (int round = 0; round < 5; round++) {
        if (round == 1) { /* the post's photo replaced; the draft still has the old one */
            bytes = file_read(two, &len, 1 << 24);
            CHECK(bytes && file_write(photo, bytes, len) == 0);
            free(bytes);
        }
        if (round == 3) { /* the draft's photo gone too; two temporary files, one of them old */
            unlink(draft_photo);
            new_before_prune = files_starting_with(cache, new_hash);
            put_file_at(cache, fresh_temp, "half", 0);
            put_file_at(cache, old_temp, "half", 2 * 3600);
            put_file_at(cache, unused, "a variant", 0);
        }
        if (round == 4) put_file_at(dir, "pages/01.news/03.bad/item.ru.md", "---\ntitle: [unclosed\n---\nx\n", 0);
        opt.prune_cache = round >= 2;
        diag_list d;
        diag_init(&d);
        build_result res = {0};
        output *o = output_dir_new(fresh_out(), &d);
        CHECK(o != NULL);
        if (!o) break;
        CHECK_INT(build_site(&opt, o, &d, &res), 0);
        output_dir_commit(o, &d);
        size_t old_n = files_starting_with(cache, old_hash), new_n = files_starting_with(cache, new_hash);
        if (round <= 2) CHECK(old_n > 0);
        if (round == 0) CHECK_INT(new_n, 0);
        if (round >= 1) CHECK(new_n > 0);
        if (round == 2) CHECK(res.is_pruned && res.variants_pruned == 0);
        if (round == 3) {
            CHECK(res.is_pruned);
            CHECK_INT(old_n, 0);
            CHECK(res.variants_pruned > 0 && res.pruned_bytes > 0);
            char *f = path_join(cache, fresh_temp), *o2 = path_join(cache, old_temp), *u = path_join(cache, unused);
            CHECK(path_exists(f) && !path_exists(o2));
            CHECK(!path_exists(u));
            CHECK_INT(new_n, new_before_prune + 1); /* every variant used is kept (and the fresh temporary file) */
            free(f);
            free(o2);
            free(u);
        }
        if (round == 4) CHECK(!res.is_pruned && d.errors > 0);
        diag_free(&d);
    }
    free(old_hash);
    free(new_hash);
    dir_remove_tree(cache);
    free(cache);
    free(one);
    free(two);
    free(photo);
    free(draft_photo);
    sitefix_remove(dir);
}

/* folio build --prune-cache (and --clean-cache) while a folio serve has
 * the same cache open: the build goes on, the cache is left whole, and
 * the operator is told why. */
TEST(prune_and_clean_leave_a_cache_another_folio_has_open)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.a/item.ru.md", "---\ntitle: A\ndate: '01-02-2024 10:00'\n---\nText.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    char *cache = xstrdup(fresh_out());
    char *stale = path_join(cache, "v1/ab/abababababababababababababababababababababababababababababababab-inside-9x0-q0-bg-1.jpg");
    put_file_at(cache, "v1/ab/abababababababababababababababababababababababababababababababab-inside-9x0-q0-bg-1.jpg",
                "a variant of a photo gone", 0);
    put_file_at(cache, "CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# folio image variant cache.\n", 0);
    image_cache *serve = image_cache_open(cache, 1, NULL);
    CHECK(serve != NULL);
    char args[4096];
    snprintf(args, sizeof args, "build %s -o %s --cache-dir %s --prune-cache", dir, fresh_out(), cache);
    int status;
    char *log = sitefix_run_folio(args, &status);
    CHECK_INT(status, 0);
    CHECK_CONTAINS(log, "note: the photo cache was not pruned: another folio (a folio serve?) has it open");
    CHECK(path_exists(stale));
    free(log);
    snprintf(args, sizeof args, "build %s -o %s --cache-dir %s --clean-cache", dir, fresh_out(), cache);
    log = sitefix_run_folio(args, &status);
    CHECK_INT(status, 1);
    CHECK_CONTAINS(log, "error: cannot empty the image cache: another folio (a folio serve?) has it open");
    CHECK(path_exists(stale));
    free(log);
    image_cache_close(serve);
    snprintf(args, sizeof args, "build %s -o %s --cache-dir %s --prune-cache", dir, fresh_out(), cache);
    log = sitefix_run_folio(args, &status);
    CHECK_INT(status, 0);
    CHECK_CONTAINS(log, "folio: pruned the photo cache: 1 file");
    CHECK(!path_exists(stale));
    free(log);
    free(stale);
    dir_remove_tree(cache);
    free(cache);
    sitefix_remove(dir);
}

/* A template written for Grav can use Grav's markdown filter (a block, or
 * one line without its paragraph) and its string filters; truncate_html
 * counts characters, safe_truncate_html words (25 unless told). */
TEST(templates_get_grav_markdown_and_string_filters)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"themes/folio/templates/note.html.twig",
         "<main>{{ page.header.note|markdown }}|{{ page.header.note|markdown(false) }}|"
         "{{ page.title|safe_truncate(5) }}|{{ page.url|starts_with('/ru/') ? 'ru' : 'other' }}|"
         "{{ page.header.note|markdown|truncate_html(9) }}|{{ page.header.note|markdown|truncate_html(9, '→') }}|"
         "{{ page.header.note|markdown|safe_truncate_html(2) }}|{{ page.header.note|markdown|safe_truncate_html }}|"
         "{{ page.header.note|markdown|safe_truncate_html(3, ' →') }}</main>"},
        {"pages/01.about/note.ru.md", "---\ntitle: О центре гематологии\nnote: 'Адрес: **Алматы**, [карта](https://example.kz)'\n---\nx\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = build_cleanly(dir);
    char *html = read_out(out, "ru/about/index.html");
    CHECK_STR(html, "<main><p>Адрес: <strong>Алматы</strong>, <a href=\"https://example.kz\">карта</a></p>|"
                    "Адрес: <strong>Алматы</strong>, <a href=\"https://example.kz\">карта</a>|"
                    "О центре…|ru|<p>Адрес: <strong>Ал</strong>...</p>|<p>Адрес: <strong>Ал</strong>→</p>|"
                    "<p>Адрес: <strong>Алматы</strong>...</p>|"
                    "<p>Адрес: <strong>Алматы</strong>, <a href=\"https://example.kz\">карта</a></p>|"
                    "<p>Адрес: <strong>Алматы</strong> →</p></main>");
    free(html);
    sitefix_remove(dir);
}

/* Grav's taxonomy filters of a list ("/ru/news/category:events", as Grav
 * serves it and old links name it) are built: one page per term the
 * list's posts carry, with those posts only, its own canonical address,
 * no language alternates and no sitemap entry; links to them resolve, a
 * term no post has is a broken link, and terms that cannot be a folder
 * are left out. */
TEST(taxonomy_filters_of_a_list_are_pages_of_their_own)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"config/site.yaml", "title: Clinic\nurl: https://clinic.example\n"},
        {"pages/01.home/default.ru.md", "---\ntitle: Главная\n---\nСм. [события](/news/category:events), "
                                        "[кровь](../news/tag:кровь) и [ничего](/news/category:nothing).\n"},
        {"pages/02.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.news/01.a/item.ru.md", "---\ntitle: A\ndate: '01-02-2024 10:00'\ntaxonomy:\n  category: [events]\n"
                                          "  tag: [кровь, 'a/b']\n---\nA.\n"},
        {"pages/02.news/02.b/item.ru.md", "---\ntitle: B\ndate: '02-02-2024 10:00'\ntaxonomy:\n  category: events\n---\nB.\n"},
        {"pages/02.news/03.c/item.ru.md", "---\ntitle: C\ndate: '03-02-2024 10:00'\n---\nC.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    const char *out = fresh_out();
    diag_list d;
    build_into(dir, out, false, &d, NULL);
    char *events = read_out(out, "ru/news/category:events/index.html"), *blood = read_out(out, "ru/news/tag:кровь/index.html");
    CHECK(events && strstr(events, "href=\"/ru/news/a/\"") && strstr(events, "href=\"/ru/news/b/\"") &&
          !strstr(events, "href=\"/ru/news/c/\""));
    CHECK_CONTAINS(events, "<link rel=\"canonical\" href=\"https://clinic.example/ru/news/category:events/\">");
    CHECK_NOT_CONTAINS(events, "hreflang=\"kk\" href");
    CHECK(blood && strstr(blood, "href=\"/ru/news/a/\"") && !strstr(blood, "href=\"/ru/news/b/\""));
    CHECK(!out_exists(out, "ru/news/tag:a"));
    char *sitemap = read_out(out, "sitemap.xml");
    CHECK_NOT_CONTAINS(sitemap, "category");
    char *home = read_out(out, "ru/index.html");
    CHECK_CONTAINS(home, "href=\"/ru/news/category:events/\"");
    CHECK_CONTAINS(home, "href=\"/ru/news/tag:%D0%BA%D1%80%D0%BE%D0%B2%D1%8C/\""); /* Markdown links are written encoded */
    CHECK(diag_has(&d, DIAG_ERROR, "link to '/news/category:nothing': no such page is published"));
    CHECK(!diag_has(&d, DIAG_ERROR, "category:events"));
    free(events);
    free(blood);
    free(sitemap);
    free(home);
    diag_free(&d);
    sitefix_remove(dir);
}
