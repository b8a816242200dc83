/* test_site.c - reading a Grav user/ folder: the content model. */
#include "content/frontmatter.h"
#include "content/site.h"
#include "lib/date.h"
#include "sitefix.h"
#include "content/content.h"
#include "test.h"

#include <string.h>

static site *load(const char *dir, long long now, diag_list *d)
{
    diag_init(d);
    return site_load(dir, now, d);
}

static const char *seed_dir(void)
{
    static char p[4096];
    snprintf(p, sizeof p, "%s/site", test_repo_dir());
    return p;
}

static page_version *find(site *s, const char *lang, const char *route)
{
    return site_find_route(s, site_lang_index(s, lang), route);
}

TEST(example_site_has_every_post_in_three_languages)
{
    diag_list d;
    site *s = load(seed_dir(), 0, &d);
    CHECK(s != NULL);
    CHECK_INT(s->nlangs, 3);
    CHECK_STR(s->langs[s->default_lang], "kk");
    CHECK_INT(d.errors, 0);
    const char *post = "/news/2023-01-09-practical-conference";
    for (int l = 0; l < 3; l++) {
        page_version *pv = find(s, s->langs[l], post);
        CHECK(pv != NULL);
        if (pv) CHECK(pv->published);
    }
    page_version *ru = find(s, "ru", post);
    CHECK_STR(ru->url, "/ru/news/2023-01-09-practical-conference/");
    CHECK_STR(ru->out_path, "ru/news/2023-01-09-practical-conference/index.html");
    CHECK_STR(ru->template_name, "item");
    CHECK_CONTAINS(ru->title, "Мультидисциплинарный подход");
    site_free(s);
    diag_free(&d);
}

TEST(dashed_dates_are_day_first_in_almaty_time)
{
    diag_list d;
    site *s = load(seed_dir(), 0, &d);
    page_version *pv = find(s, "en", "/news/2023-01-09-practical-conference");
    /* 9 January 2023 10:00 in Almaty (UTC+6 then) is 04:00 UTC */
    CHECK_INT(pv->date, 1673236800LL);
    site_free(s);
    diag_free(&d);
}

TEST(folder_without_prefix_is_routable_but_not_visible)
{
    diag_list d;
    site *s = load(seed_dir(), 0, &d);
    page_version *pv = find(s, "kk", "/news/2024-05-25-education-exchange-program");
    CHECK(pv != NULL);
    if (pv) CHECK(!pv->visible);
    page_version *news = find(s, "kk", "/news");
    CHECK(news && news->visible);
    site_free(s);
    diag_free(&d);
}

TEST(news_collection_orders_children_by_date_desc)
{
    diag_list d;
    site *s = load(seed_dir(), 0, &d);
    page_version *news = find(s, "ru", "/news");
    CHECK(news != NULL);
    CHECK_INT(news->nitems, 5);
    for (size_t i = 1; i < news->nitems; i++) CHECK(news->items[i - 1]->date >= news->items[i]->date);
    CHECK_STR(news->items[0]->slug, "2024-05-25-education-exchange-program");
    CHECK_INT(news->per_page, 10);
    CHECK(news->items[1]->prev == news->items[0]);
    CHECK(news->items[0]->next == news->items[1]);
    site_free(s);
    diag_free(&d);
}

TEST(home_alias_is_the_language_root)
{
    diag_list d;
    site *s = load(seed_dir(), 0, &d);
    page_version *home = find(s, "en", "/");
    CHECK(home && home->is_home);
    if (home) {
        CHECK_STR(home->url, "/en/");
        CHECK_STR(home->out_path, "en/index.html");
    }
    site_free(s);
    diag_free(&d);
}

/* Grav's multilingual example site: the home page's German file has
 * `slug: startseite`, and home.alias names the folders' route. The German
 * home is still at /de/, its posts under its slug. */
TEST(home_alias_finds_a_home_page_whose_translation_has_its_own_slug)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "home:\n  alias: '/blog'\nlanguages:\n  supported: [en, de]\n"},
        {"pages/01.blog/blog.en.md", "---\ntitle: Home\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.blog/blog.de.md", "---\ntitle: Startseite\nslug: startseite\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.blog/01.post/item.en.md", "---\ntitle: Post\n---\nText.\n"},
        {"pages/01.blog/01.post/item.de.md", "---\ntitle: Beitrag\n---\nText.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    page_version *en = find(s, "en", "/blog"), *de = find(s, "de", "/startseite");
    CHECK(en && en->is_home && de && de->is_home);
    if (de) {
        CHECK_STR(de->url, "/de/");
        CHECK_STR(de->out_path, "de/index.html");
    }
    page_version *post = find(s, "de", "/startseite/post");
    CHECK(post && !post->is_home);
    if (post) CHECK_STR(post->url, "/de/startseite/post/");
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(media_url_is_shared_by_all_languages)
{
    diag_list d;
    site *s = load(seed_dir(), 0, &d);
    page_version *pv = find(s, "kk", "/news/2023-01-09-practical-conference");
    CHECK_INT(pv->page->nmedia, 3);
    CHECK_STR(pv->page->media[0].url, "/media/news/2023-01-09-practical-conference/2023-01-09-1.jpg");
    CHECK_STR(pv->page->media[0].out_path, "media/news/2023-01-09-practical-conference/2023-01-09-1.jpg");
    site_free(s);
    diag_free(&d);
}

/* Any version of the page in folder rel (published or not). */
static page_version *find_folder(site *s, const char *lang, const char *rel)
{
    int l = site_lang_index(s, lang);
    for (size_t i = 0; i < s->npages; i++)
        if (!strcmp(s->pages[i]->rel, rel)) return s->pages[i]->v[l];
    return NULL;
}

static const char *const future_site[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    {"pages/01.blog/blog.md", "---\ntitle: Blog\ncontent:\n  items: '@self.children'\n---\n"},
    {"pages/01.blog/01.past/item.md", "---\ntitle: Past\ndate: '01-01-2020 10:00'\n---\nold\n"},
    {"pages/01.blog/02.future/item.md",
     "---\ntitle: Future\ndate: '01-01-2030 10:00'\npublish_date: '01-01-2030 10:00'\n---\nsoon\n"},
    {"pages/01.blog/03.gone/item.md", "---\ntitle: Gone\nunpublish_date: '01-01-2021 10:00'\n---\nx\n"},
    {"pages/01.blog/04.draft/item.md", "---\ntitle: Draft\npublished: false\n---\nx\n"},
    {NULL, NULL}};

TEST(future_publish_date_keeps_page_out_and_sets_next_change)
{
    char *dir = sitefix_make(future_site);
    diag_list d;
    long long now = 1700000000; /* Nov 2023 */
    site *s = load(dir, now, &d);
    CHECK(s != NULL);
    CHECK_INT(d.errors, 0);
    page_version *future = find_folder(s, "ru", "01.blog/02.future");
    CHECK(future && !future->published);
    CHECK(find(s, "ru", "/blog/future") == NULL);
    page_version *gone = find_folder(s, "ru", "01.blog/03.gone");
    CHECK(gone && !gone->published);
    page_version *draft = find_folder(s, "ru", "01.blog/04.draft");
    CHECK(draft && !draft->published);
    page_version *blog = find(s, "ru", "/blog");
    CHECK(blog != NULL);
    if (blog) CHECK_INT(blog->nitems, 1);
    long long when;
    date_parse("01-01-2030 10:00", NULL, &when, NULL);
    CHECK_INT(s->next_change, when);
    site_free(s);
    diag_free(&d);
    /* once the time has come the post is there */
    s = load(dir, when + 60, &d);
    future = find(s, "ru", "/blog/future");
    CHECK(future && future->published);
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

static const char *const dup_site[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    {"pages/01.news/10.a/item.ru.md", "---\ntitle: First\nslug: same\n---\nx\n"},
    {"pages/01.news/20.b/item.ru.md", "---\ntitle: Second\nslug: same\n---\ny\n"},
    {NULL, NULL}};

TEST(two_pages_on_one_route_is_an_error_naming_both_and_first_wins)
{
    char *dir = sitefix_make(dup_site);
    diag_list d;
    site *s = load(dir, 0, &d);
    CHECK_INT(d.errors, 1);
    CHECK(diag_has(&d, DIAG_ERROR, "01.news/10.a"));
    CHECK(diag_has(&d, DIAG_ERROR, "01.news/20.b"));
    page_version *pv = find(s, "ru", "/news/same");
    CHECK(pv != NULL);
    if (pv) CHECK_STR(pv->title, "First");
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* The center's translations of one post sat in two folders: the Kazakh
 * text in 02.balkhash (with the photo), the Russian and English in
 * 03.balkhash. Both claim /news/balkhash; Russian readers got the
 * Kazakh text by fallback. Each language shows the one written in it. */
TEST(of_two_pages_on_one_route_each_language_shows_the_one_written_in_it)
{
    static const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"pages/01.news/02.balkhash/item.kk.md", "---\ntitle: Балқашта\n---\nx\n"},
        {"pages/01.news/03.balkhash/item.ru.md", "---\ntitle: В Балхаше\n---\ny\n"},
        {"pages/01.news/03.balkhash/item.en.md", "---\ntitle: In Balkhash\n---\nz\n"},
        {"pages/01.news/04.astana/item.kk.md", "---\ntitle: Астанада\n---\nx\n"},
        {"pages/01.news/05.astana/item.md", "---\ntitle: Astana\n---\ny\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    CHECK(diag_has(&d, DIAG_ERROR, "each language shows the one written in it, else the first"));
    page_version *kk = find(s, "kk", "/news/balkhash"), *ru = find(s, "ru", "/news/balkhash"),
                 *en = find(s, "en", "/news/balkhash");
    CHECK(kk && ru && en);
    if (kk && ru && en) {
        CHECK_STR(kk->title, "Балқашта");
        CHECK_STR(ru->title, "В Балхаше");
        CHECK_STR(en->title, "In Balkhash");
        CHECK(kk->published && ru->published && en->published);
        CHECK(!kk->page->v[1]->published); /* the Kazakh text on the Russian site, by fallback */
    }
    /* a file of no language is any language's over another's by fallback */
    page_version *astana_ru = find(s, "ru", "/news/astana"), *astana_kk = find(s, "kk", "/news/astana");
    CHECK(astana_ru && !strcmp(astana_ru->title, "Astana"));
    CHECK(astana_kk && !strcmp(astana_kk->title, "Астанада"));
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

static const char *const broken_site[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    {"pages/01.news/01.ok/item.md", "---\ntitle: Fine\n---\nfine\n"},
    {"pages/01.news/02.bad/item.md", "---\ntitle: Broken\ntags: [unclosed\n---\nbody\n"},
    {"pages/01.news/03.baddate/item.md", "---\ntitle: Bad date\ndate: '32-01-2023 10:00'\n---\nbody\n"},
    {"pages/01.news/04.crlf/item.md", "\xEF\xBB\xBF---\r\ntitle: Windows\r\npublished: true\r\n---\r\nText\r\n"},
    {"pages/01.news/05.nofm/item.md", "Just text, no front matter.\n"},
    {NULL, NULL}};

TEST(broken_yaml_is_reported_with_line_and_other_pages_load)
{
    char *dir = sitefix_make(broken_site);
    diag_list d;
    site *s = load(dir, 0, &d);
    CHECK(s != NULL);
    CHECK(d.errors >= 2);
    int found = 0;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].path, "02.bad/item.md") && d.items[i].line >= 3) found = 1;
    CHECK(found);
    CHECK(find(s, "kk", "/news/ok") != NULL);
    CHECK(find(s, "kk", "/news/bad") == NULL);
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(unparseable_date_is_an_error_with_line_not_an_epoch)
{
    char *dir = sitefix_make(broken_site);
    diag_list d;
    site *s = load(dir, 0, &d);
    int found = 0;
    for (size_t i = 0; i < d.len; i++)
        if (strstr(d.items[i].path, "03.baddate") && d.items[i].line == 3 && strstr(d.items[i].msg, "not a date"))
            found = 1;
    CHECK(found);
    CHECK(find(s, "kk", "/news/baddate") == NULL);
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(crlf_bom_and_missing_front_matter_are_accepted)
{
    char *dir = sitefix_make(broken_site);
    diag_list d;
    site *s = load(dir, 0, &d);
    page_version *crlf = find(s, "en", "/news/crlf");
    CHECK(crlf != NULL);
    if (crlf) CHECK_STR(crlf->title, "Windows");
    page_version *nofm = find(s, "en", "/news/nofm");
    CHECK(nofm != NULL);
    if (nofm) CHECK_STR(nofm->title, "Nofm");
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* The rules of source_normalize read plainly, one byte at a time. */
static size_t normalize_reference(const char *in, size_t len, char *out, size_t *controls)
{
    size_t r = len >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3) ? 3 : 0, w = 0;
    *controls = 0;
    for (; r < len; r++) {
        unsigned char c = (unsigned char)in[r];
        if (c == '\r' && r + 1 < len && in[r + 1] == '\n') continue;
        if (c < 0x20 && c != 0 && c != '\t' && c != '\n' && c != '\r') {
            ++*controls;
            c = ' ';
        }
        out[w++] = (char)c;
    }
    return w;
}

TEST(control_characters_become_spaces_and_are_counted_where_they_were)
{
    char text[] = "\xEF\xBB\xBF---\r\ntitle: a\x0b"
                  "b\r\n---\r\nx\x0cy\tz";
    size_t controls = 9;
    size_t n = source_normalize(text, sizeof text - 1, &controls);
    CHECK_STR(text, "---\ntitle: a b\n---\nx y\tz");
    CHECK_INT((long)n, (long)strlen(text));
    CHECK_INT((long)controls, 2);
    /* A NUL stays (Markdown makes it U+FFFD), and so does a lone CR. */
    char nul[] = "a\0b\rc";
    CHECK_INT((long)source_normalize(nul, 5, &controls), 5);
    CHECK(!memcmp(nul, "a\0b\rc", 5));
    CHECK_INT((long)controls, 0);
    /* The offsets of what source_normalize makes spaces, in its text. */
    char raw[] = "\r\n\x01\r\nab\x1f\x7f";
    size_t at[4], found;
    CHECK_INT((long)source_control_offsets(raw, sizeof raw - 1, at, 4, &found), 2);
    CHECK_INT((long)found, 2);
    CHECK_INT((long)at[0], 1);
    CHECK_INT((long)at[1], 5);
    CHECK_INT((unsigned char)raw[at[0]], 0x01); /* kept, to be named */
    /* Every byte at every place of a block of sixteen, against the plain
     * reading: a fixed pseudo-random walk over the bytes that matter. */
    static const char alphabet[] = {'a', ' ', '\n', '\r', '\t', 0, 0x01, 0x0b, 0x0c, 0x1f, 0x7f, (char)0xD0, (char)0x9F};
    unsigned long long seed = 0x9E3779B97F4A7C15ULL;
    int mismatches = 0;
    for (int round = 0; round < 4000; round++) {
        char in[80], mine[81], theirs[81];
        size_t len = (size_t)(round % 80);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            in[i] = (seed >> 60) < 11 ? 'a' : alphabet[(seed >> 33) % sizeof alphabet];
        }
        memcpy(mine, in, len);
        size_t want_controls, got_controls;
        size_t want = normalize_reference(in, len, theirs, &want_controls);
        size_t got = source_normalize(mine, len, &got_controls);
        if (got != want || memcmp(mine, theirs, got) || mine[got] || got_controls != want_controls) mismatches++;
    }
    CHECK_INT(mismatches, 0);
}

static const char *const fallback_site[][2] = {
    {"config/system.yaml", "languages:\n  supported: [kk, ru, en]\n  default_lang: kk\n  pages_fallback_only: true\n"},
    {"pages/01.a/item.ru.md", "---\ntitle: Russian A\n---\n"},
    {"pages/01.a/item.kk.md", "---\ntitle: Kazakh A\n---\n"},
    {"pages/02.b/item.md", "---\ntitle: Neutral B\n---\n"},
    {"pages/03.c/item.en.md", "---\ntitle: English C\n---\n"},
    {NULL, NULL}};

TEST(pages_fallback_only_falls_back_through_earlier_languages)
{
    char *dir = sitefix_make(fallback_site);
    diag_list d;
    site *s = load(dir, 0, &d);
    /* en missing -> ru, then kk, then item.md */
    page_version *a = find(s, "en", "/a");
    CHECK(a && !strcmp(a->title, "Russian A"));
    page_version *b = find(s, "en", "/b");
    CHECK(b && !strcmp(b->title, "Neutral B"));
    /* kk has nothing before it: an English-only page is absent in kk and ru */
    CHECK(find(s, "kk", "/c") == NULL);
    CHECK(find(s, "ru", "/c") == NULL);
    CHECK(find(s, "en", "/c") != NULL);
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

static const char *const default_fallback_site[][2] = {
    {"config/system.yaml", "languages:\n  supported: [kk, ru, en]\n  default_lang: kk\n"},
    {"pages/01.a/item.kk.md", "---\ntitle: Kazakh A\n---\n"},
    {"pages/02.b/item.ru.md", "---\ntitle: Russian B\n---\n"},
    {"pages/03.c/item.en.md", "---\ntitle: English C\n---\n"},
    {"pages/03.c/item.md", "---\ntitle: Neutral C\n---\n"},
    {NULL, NULL}};

TEST(default_fallback_is_active_then_default_language_then_plain_file)
{
    char *dir = sitefix_make(default_fallback_site);
    diag_list d;
    site *s = load(dir, 0, &d);
    page_version *a = find(s, "en", "/a");
    CHECK(a && !strcmp(a->title, "Kazakh A"));
    CHECK(find(s, "en", "/b") == NULL); /* ru is not a fallback of en */
    page_version *c = find(s, "ru", "/c");
    CHECK(c && !strcmp(c->title, "Neutral C"));
    page_version *ce = find(s, "en", "/c");
    CHECK(ce && !strcmp(ce->title, "English C"));
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

static const char *const coll_site[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    {"pages/01.list/blog.md",
     "---\ntitle: L\ncontent:\n  items: '@self.children'\n  order:\n    by: title\n    dir: asc\n  limit: 2\n  pagination: true\n---\n"},
    {"pages/01.list/01.x/item.md", "---\ntitle: Charlie\n---\n"},
    {"pages/01.list/02.y/item.md", "---\ntitle: Alpha\n---\n"},
    {"pages/01.list/03.z/item.md", "---\ntitle: Bravo\nhide_from_post_list: true\n---\n"},
    {"pages/01.list/04.w/item.md", "---\ntitle: Delta\n---\n"},
    {"pages/01.list/05.v/item.md", "---\ntitle: Echo\nslug: custom-slug\nvisible: false\n---\n"},
    {NULL, NULL}};

TEST(collection_orders_hides_and_paginates)
{
    char *dir = sitefix_make(coll_site);
    diag_list d;
    site *s = load(dir, 0, &d);
    page_version *l = find(s, "ru", "/list");
    CHECK(l != NULL);
    CHECK_INT(l->nitems, 4);
    CHECK_STR(l->items[0]->title, "Alpha");
    CHECK_STR(l->items[1]->title, "Charlie");
    CHECK_STR(l->items[3]->title, "Echo");
    CHECK_INT(l->per_page, 2);
    arena a = ARENA_INIT;
    CHECK_STR(site_list_page_url(&a, l, 2), "/ru/list/page/2/");
    arena_free(&a);
    page_version *e = find(s, "ru", "/list/custom-slug");
    CHECK(e && !e->visible);
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* Collections from elsewhere in the site, as Grav writes them: a page
 * listing another page's children or descendants, the top-level pages,
 * or every page with a taxonomy term. A page named by two sources is
 * listed once; listing posts elsewhere does not change their previous and
 * next, which stay their neighbours among their own parent's children. */
static const char *const sources_site[][2] = {
    {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
    {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n  order:\n    by: date\n"
                              "    dir: desc\n---\n"},
    {"pages/01.news/a/item.md", "---\ntitle: A\ndate: '01-01-2024'\ntaxonomy:\n  category: [school]\n---\n"},
    {"pages/01.news/b/item.md", "---\ntitle: B\ndate: '02-01-2024'\ntaxonomy:\n  category: news\n  tag: [blood]\n---\n"},
    {"pages/01.news/c/item.md", "---\ntitle: C\ndate: '03-01-2024'\n---\n"},
    {"pages/01.news/c/d/item.md", "---\ntitle: D\ndate: '04-01-2024'\ntaxonomy:\n  category: [school]\n---\n"},
    {"pages/02.latest/blog.md", "---\ntitle: Latest\ncontent:\n  items:\n    '@page.children': /news\n"
                                "  order:\n    by: date\n    dir: desc\n  limit: 2\n---\n"},
    {"pages/03.all/blog.md", "---\ntitle: All\ncontent:\n  items:\n    '@page.descendants': /news\n"
                             "  order:\n    by: title\n---\n"},
    {"pages/04.school/blog.md", "---\ntitle: School\ncontent:\n  items:\n    '@taxonomy.category': school\n"
                                "  order:\n    by: title\n---\n"},
    {"pages/05.mixed/blog.md", "---\ntitle: Mixed\ncontent:\n  items:\n    '@taxonomy':\n      category: [school]\n"
                               "      tag: blood\n    '@page.children': /news\n  order:\n    by: title\n---\n"},
    {"pages/06.top/blog.md", "---\ntitle: Top\ncontent:\n  items: '@root.children'\n  order:\n    by: title\n---\n"},
    {"pages/07.odd/blog.md", "---\ntitle: Odd\ncontent:\n  items: '@self.siblings'\n---\n"},
    /* a list of sources, as Grav takes it too */
    {"pages/08.listed/blog.md", "---\ntitle: Listed\ncontent:\n  items:\n    - '@self.children'\n"
                                "    - '@page.children': /news\n    - '@taxonomy.category': school\n"
                                "  order:\n    by: title\n---\n"},
    {"pages/09.noroute/blog.md", "---\ntitle: Noroute\ncontent:\n  items: '@page.children'\n---\n"},
    /* several terms: the pages with all of them, as Grav's findTaxonomy
     * ands them; a number is a term like any other */
    {"pages/01.news/e/item.md", "---\ntitle: E\ndate: '05-01-2024'\ntaxonomy:\n  category: [school, news]\n"
                                "  tag: [2023]\n---\n"},
    {"pages/10.both/blog.md", "---\ntitle: Both\ncontent:\n  items:\n    '@taxonomy.category': [school, news]\n---\n"},
    {"pages/11.year/blog.md", "---\ntitle: Year\ncontent:\n  items:\n    '@taxonomy.tag': 2023\n---\n"},
    {NULL, NULL}};

static const char *titles(const page_version *l, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; l && i < l->nitems; i++) n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "," : "", l->items[i]->title);
    return out;
}

TEST(collections_of_other_pages_descendants_top_level_and_taxonomy)
{
    char *dir = sitefix_make(sources_site);
    diag_list d;
    site *s = load(dir, 0, &d);
    char t[256];
    CHECK_STR(titles(find(s, "ru", "/latest"), t, sizeof t), "E,C");
    CHECK_STR(titles(find(s, "ru", "/all"), t, sizeof t), "A,B,C,D,E");
    CHECK_STR(titles(find(s, "ru", "/school"), t, sizeof t), "A,D,E");
    /* category school and tag blood: no page has both; the news' children */
    CHECK_STR(titles(find(s, "ru", "/mixed"), t, sizeof t), "A,B,C,E");
    CHECK_STR(titles(find(s, "ru", "/top"), t, sizeof t),
              "All,Both,Latest,Listed,Mixed,News,Noroute,Odd,School,Top,Year");
    CHECK_STR(titles(find(s, "ru", "/odd"), t, sizeof t), "");
    CHECK_STR(titles(find(s, "ru", "/listed"), t, sizeof t), "A,B,C,D,E");
    CHECK_STR(titles(find(s, "ru", "/both"), t, sizeof t), "E");
    CHECK_STR(titles(find(s, "ru", "/year"), t, sizeof t), "E");
    CHECK_STR(titles(find(s, "ru", "/noroute"), t, sizeof t), "");
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "07.odd/blog.md", 4, "'@self.siblings' is not a collection folio knows"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "09.noroute/blog.md", 4, "'@page.children' needs the route"));
    CHECK_INT(d.warnings, 2);
    page_version *b = find(s, "ru", "/news/b");
    CHECK(b && b->prev && b->next);
    if (b && b->prev && b->next) {
        CHECK_STR(b->prev->title, "C"); /* date order, newest first, among the news */
        CHECK_STR(b->next->title, "A");
    }
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* Grav's content.filter keeps what a list shows: visible ones (folders
 * with an order prefix), one template (type) or several (types). */
TEST(collection_filter_keeps_visible_pages_or_templates)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n"},
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n  order:\n    by: title\n---\n"},
        {"pages/01.news/01.a/item.md", "---\ntitle: A\n---\n"},
        {"pages/01.news/b/item.md", "---\ntitle: B\n---\n"},
        {"pages/01.news/02.c/default.md", "---\ntitle: C\n---\n"},
        {"pages/01.news/03.d/event.md", "---\ntitle: D\n---\n"},
        {"pages/02.shown/blog.md", "---\ntitle: Shown\ncontent:\n  items:\n    '@page.children': /news\n"
                                   "  filter:\n    visible: true\n  order:\n    by: title\n---\n"},
        {"pages/03.hidden/blog.md", "---\ntitle: Hidden\ncontent:\n  items:\n    '@page.children': /news\n"
                                    "  filter:\n    visible: false\n---\n"},
        {"pages/04.items/blog.md", "---\ntitle: Items\ncontent:\n  items:\n    '@page.children': /news\n"
                                   "  filter:\n    type: item\n  order:\n    by: title\n---\n"},
        {"pages/05.two/blog.md", "---\ntitle: Two\ncontent:\n  items:\n    '@page.children': /news\n"
                                 "  filter:\n    types: [item, event]\n    visible: true\n  order:\n    by: title\n---\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    char t[256];
    CHECK_STR(titles(find(s, "ru", "/news"), t, sizeof t), "A,B,C,D");
    CHECK_STR(titles(find(s, "ru", "/shown"), t, sizeof t), "A,C,D");
    CHECK_STR(titles(find(s, "ru", "/hidden"), t, sizeof t), "B");
    CHECK_STR(titles(find(s, "ru", "/items"), t, sizeof t), "A,B");
    CHECK_STR(titles(find(s, "ru", "/two"), t, sizeof t), "A,D");
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* Without content.order a list keeps its page's order_by and order_dir,
 * else the site's (system.yaml pages.order), as Grav sorts children. */
TEST(collection_order_falls_back_to_the_page_then_the_site)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\npages:\n  order:\n    dir: desc\n"},
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/01.a/item.md", "---\ntitle: C\ndate: '01-01-2024'\n---\n"},
        {"pages/01.news/02.b/item.md", "---\ntitle: A\ndate: '03-01-2024'\n---\n"},
        {"pages/01.news/03.c/item.md", "---\ntitle: B\ndate: '02-01-2024'\n---\n"},
        {"pages/02.by-title/blog.md", "---\ntitle: T\norder_by: title\norder_dir: asc\ncontent:\n  items:\n"
                                      "    '@page.children': /news\n---\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    char t[256];
    CHECK_STR(titles(find(s, "ru", "/news"), t, sizeof t), "B,A,C"); /* folders, the site's desc */
    CHECK_STR(titles(find(s, "ru", "/by-title"), t, sizeof t), "A,B,C");
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* A modular page's sections are read like pages (front matter, media),
 * but have no route, are not visible, are not anybody's children, and
 * hold no pages below them. */
TEST(modular_sections_are_read_but_are_not_pages)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.home/modular.md", "---\ntitle: Home\ncontent:\n  items: '@self.modular'\n---\n"},
        {"pages/01.home/_hero/hero.md", "---\ntitle: Hero\n---\nHero\n"},
        {"pages/01.home/_hero/photo.jpg", "jpeg"},
        {"pages/01.home/_hero/inner/item.md", "---\ntitle: Inner\n---\n"},
        {"pages/01.home/01.child/item.md", "---\ntitle: Child\n---\n"},
        {"pages/02.list/blog.md", "---\ntitle: List\ncontent:\n  items:\n    '@page.children': /home\n---\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    page_version *home = find(s, "ru", "/home");
    CHECK(home && home->is_modular && home->nitems == 1);
    if (home && home->nitems) {
        const page_version *hero = home->items[0];
        CHECK_STR(hero->title, "Hero");
        CHECK(hero->page->is_module && !hero->routable && !hero->visible);
        CHECK(hero->page->nmedia == 1 && hero->page->nchildren == 0);
    }
    CHECK(find(s, "ru", "/home/_hero") == NULL);
    char t[128];
    CHECK_STR(titles(find(s, "ru", "/list"), t, sizeof t), "Child");
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* Grav reads a section's name without its order prefix: "01._zeta" is a
 * section like "_zeta", and the prefixes order the sections, also by
 * `folder` (Grav's code compares the whole folder name, where its manual
 * says the prefix is left out: sites are written for what it does). */
TEST(numbered_modular_sections_are_sections_in_their_order)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.home/modular.md",
         "---\ntitle: Home\ncontent:\n  items: '@self.modular'\n  order:\n    by: folder\n---\n"},
        {"pages/01.home/02._alpha/text.md", "---\ntitle: Text\n---\nText\n"},
        {"pages/01.home/01._zeta/hero.md", "---\ntitle: Hero\n---\nHero\n"},
        {"pages/01.home/01._zeta/inner/item.md", "---\ntitle: Inner\n---\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    page_version *home = find(s, "ru", "/home");
    CHECK(home && home->is_modular && home->nitems == 2);
    if (home && home->nitems == 2) {
        CHECK_STR(home->items[0]->title, "Hero");
        CHECK_STR(home->items[1]->title, "Text");
        CHECK(home->items[0]->page->is_module && !home->items[0]->routable && !home->items[0]->visible);
        CHECK_INT(home->items[0]->page->nchildren, 0);
    }
    CHECK(find(s, "ru", "/home/_zeta") == NULL && find(s, "ru", "/home/_alpha") == NULL);
    CHECK(!diag_has(&d, DIAG_NOTE, "has none published"));
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* A modular page without sections (the center's "services" page) shows
 * only its own text: said, at its items line. */
TEST(modular_page_without_sections_is_a_note)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.services/modular.md", "---\ntitle: Услуги\ncontent:\n  items: '@self.modular'\n---\nТекст.\n"},
        {"pages/01.services/01.lab/default.md", "---\ntitle: Лаборатория\n---\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "01.services/modular.md", 4, "'@self.modular' lists the sections of this "
                                                                        "folder"));
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* Grav orders a page's media naturally without regard to case: phone
 * photos named in capitals ("IMG_0002.PNG") come after "cover.png", and
 * the first image is the post's header image. */
TEST(media_are_in_natural_order_without_regard_to_case)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.post/item.md", "---\ntitle: Post\n---\nText.\n"},
        {"pages/01.post/IMG_0010.PNG", "png"},
        {"pages/01.post/IMG_0002.PNG", "png"},
        {"pages/01.post/cover.png", "png"},
        {"pages/01.post/Zebra.pdf", "pdf"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    const page_version *pv = find(s, "ru", "/post");
    CHECK(pv && pv->page->nmedia == 4);
    if (pv && pv->page->nmedia == 4) {
        CHECK_STR(pv->page->media[0].name, "cover.png");
        CHECK_STR(pv->page->media[1].name, "IMG_0002.PNG");
        CHECK_STR(pv->page->media[2].name, "IMG_0010.PNG");
        CHECK_STR(pv->page->media[3].name, "Zebra.pdf");
    }
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* Grav's force_lowercase_urls (on by default): a folder's name is in
 * small letters in its address, Cyrillic too, and links written with the
 * capitals find the page; a slug is used as written; with the setting off
 * the folder's name is used as it is. */
TEST(folder_names_are_in_small_letters_in_addresses)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/02.About-Us/default.md", "---\ntitle: О нас\n---\nТекст.\n"},
        {"pages/03.Новости/01.Первая/item.md", "---\ntitle: Первая\n---\nТекст.\n"},
        {"pages/04.Team/default.md", "---\ntitle: Team\nslug: Our-Team\n---\nТекст.\n"},
        {"pages/05.Empty-Title/default.md", "---\ntitle: ''\n---\nТекст.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    CHECK(find(s, "ru", "/about-us") != NULL);
    CHECK(find(s, "ru", "/новости/первая") != NULL);
    CHECK(find(s, "ru", "/Our-Team") != NULL);
    const page_version *empty = find(s, "ru", "/empty-title");
    CHECK(empty && !strcmp(empty->title, "Empty-title")); /* Grav: ucfirst of the slug */
    const page_version *about = find(s, "ru", "/about-us");
    if (about) {
        arena a = ARENA_INIT;
        const char *to = content_resolve_link(s, about, "/About-Us", &a);
        CHECK(to && !strcmp(to, "/ru/about-us/"));
        arena_free(&a);
    }
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
    static const char *const off[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\nforce_lowercase_urls: false\n"},
        {"pages/02.About-Us/default.md", "---\ntitle: О нас\n---\nТекст.\n"},
        {NULL, NULL}};
    dir = sitefix_make(off);
    s = load(dir, 0, &d);
    CHECK(find(s, "ru", "/About-Us") != NULL);
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* order.by: title is natural and without regard to case, as Grav sorts
 * (SORT_NATURAL | SORT_FLAG_CASE): "Item 2" before "Item 10", "apple"
 * before "Banana"; Cyrillic capitals too. */
TEST(titles_order_naturally_without_regard_to_case)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.list/blog.md", "---\ntitle: List\ncontent:\n  items: '@self.children'\n  order:\n    by: title\n---\n"},
        {"pages/01.list/a/item.md", "---\ntitle: Item 10\n---\n"},
        {"pages/01.list/b/item.md", "---\ntitle: Banana\n---\n"},
        {"pages/01.list/c/item.md", "---\ntitle: apple\n---\n"},
        {"pages/01.list/d/item.md", "---\ntitle: Item 2\n---\n"},
        {"pages/01.list/e/item.md", "---\ntitle: Яблоко\n---\n"},
        {"pages/01.list/f/item.md", "---\ntitle: арбуз\n---\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    char t[256];
    CHECK_STR(titles(find(s, "ru", "/list"), t, sizeof t), "apple,Banana,Item 2,Item 10,арбуз,Яблоко");
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* Grav's default order is by the page's path: @self.descendants in the
 * order of the tree, each page before the pages under it (folio mixed the
 * levels by folder name). order.by: header.x orders by a header's value,
 * numbers by value. order.custom with dir: desc reverses the whole, as
 * Grav does, the custom pages ending last. */
TEST(descendants_keep_tree_order_and_header_and_custom_orders_follow_grav)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"pages/01.tree/blog.md", "---\ntitle: Tree\ncontent:\n  items: '@self.descendants'\n---\n"},
        {"pages/01.tree/01.alpha/item.md", "---\ntitle: Alpha\n---\n"},
        {"pages/01.tree/01.alpha/01.child/item.md", "---\ntitle: AlphaChild\n---\n"},
        {"pages/01.tree/01.alpha/02.zchild/item.md", "---\ntitle: AlphaChildZ\n---\n"},
        {"pages/01.tree/02.beta/item.md", "---\ntitle: Beta\n---\n"},
        {"pages/01.tree/02.beta/01.child/item.md", "---\ntitle: BetaChild\n---\n"},
        {"pages/02.prio/blog.md", "---\ntitle: Prio\ncontent:\n  items: '@self.children'\n  order:\n    by: header.priority\n---\n"},
        {"pages/02.prio/a/item.md", "---\ntitle: Ten\npriority: 10\n---\n"},
        {"pages/02.prio/b/item.md", "---\ntitle: Two\npriority: 2\n---\n"},
        {"pages/02.prio/c/item.md", "---\ntitle: None\n---\n"},
        {"pages/03.custom/blog.md", "---\ntitle: Custom\ncontent:\n  items: '@self.children'\n  order:\n    by: title\n"
                                    "    dir: desc\n    custom: [c]\n---\n"},
        {"pages/03.custom/a/item.md", "---\ntitle: A\n---\n"},
        {"pages/03.custom/b/item.md", "---\ntitle: B\n---\n"},
        {"pages/03.custom/c/item.md", "---\ntitle: C\n---\n"},
        {"pages/03.custom/d/item.md", "---\ntitle: D\n---\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    char t[256];
    CHECK_STR(titles(find(s, "ru", "/tree"), t, sizeof t), "Alpha,AlphaChild,AlphaChildZ,Beta,BetaChild");
    CHECK_STR(titles(find(s, "ru", "/prio"), t, sizeof t), "None,Two,Ten");
    CHECK_STR(titles(find(s, "ru", "/custom"), t, sizeof t), "D,B,A,C");
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

TEST(missing_pages_folder_is_a_clear_error)
{
    diag_list d;
    site *s = load("/nonexistent-folio-site", 0, &d);
    CHECK(s == NULL);
    CHECK(diag_has(&d, DIAG_ERROR, "no 'pages' folder"));
    diag_free(&d);
}

TEST(ui_strings_fall_back_to_default_language)
{
    diag_list d;
    site *s = load(seed_dir(), 0, &d);
    CHECK_STR(site_translate(s, site_lang_index(s, "ru"), "READ_MORE"), "Подробно...");
    CHECK_STR(site_translate(s, site_lang_index(s, "en"), "NO_SUCH_KEY"), "NO_SUCH_KEY");
    site_free(s);
    diag_free(&d);
    /* a key only the English strings have: English, as Grav's translate
     * tries it last, after the language and the default */
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [kk, ru, en]\n  default_lang: kk\n"},
        {"languages/en.yaml", "ONLY_EN: Only in English\n"},
        {"languages/kk.yaml", "BOTH: Қазақша\n"},
        {"languages/ru.yaml", "BOTH: По-русски\n"},
        {"pages/01.home/default.ru.md", "---\ntitle: Главная\n---\nТекст.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    s = load(dir, 0, &d);
    CHECK_STR(site_translate(s, site_lang_index(s, "ru"), "ONLY_EN"), "Only in English");
    CHECK_STR(site_translate(s, site_lang_index(s, "ru"), "BOTH"), "По-русски");
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* The loader reads only the start of a page file for its header; a header
 * that ends beyond that start, one whose closing fence is cut by it, and
 * an unterminated one in a long file must all read as if whole. */
TEST(long_front_matter_is_read_whole_wherever_it_ends)
{
    /* Headers of about 2, 4 and 8 KB, a long file without a header, and
     * a long file whose header never ends: every size around the point
     * where a partial read would stop. */
    char *dir = NULL;
    for (int variant = 0; variant < 3; variant++) {
        size_t pad_sizes[] = {2000, 4060, 8000};
        buf hdr = BUF_INIT;
        buf_puts(&hdr, "---\ntitle: Long header\n");
        while (hdr.len < pad_sizes[variant]) buf_puts(&hdr, "note: 'a line that pads the header out'\n");
        buf_puts(&hdr, "menu: Found after the padding\n---\n\nBody text.\n");
        buf body = BUF_INIT;
        while (body.len < 9000) buf_puts(&body, "Body line without a header, long enough to need two reads.\n");
        buf open_ended = BUF_INIT;
        buf_puts(&open_ended, "---\ntitle: Never closed\n");
        while (open_ended.len < 9000) buf_puts(&open_ended, "key: value\n");
        const char *files[][2] = {SITEFIX_SYSTEM_KK_RU_EN,
                                  {"pages/01.long/item.md", buf_cstr(&hdr)},
                                  {"pages/02.plain/item.md", buf_cstr(&body)},
                                  {"pages/03.open/item.md", buf_cstr(&open_ended)},
                                  {NULL, NULL}};
        dir = sitefix_make(files);
        diag_list d;
        site *s = load(dir, 0, &d);
        CHECK(s != NULL);
        page_version *pv = s ? find(s, "kk", "/long") : NULL;
        CHECK(pv != NULL);
        if (pv) {
            CHECK_STR(pv->title, "Long header");
            CHECK_STR(pv->menu, "Found after the padding");
        }
        page_version *plain = s ? find(s, "kk", "/plain") : NULL;
        CHECK(plain != NULL);
        if (plain) CHECK_STR(plain->title, "Plain");
        int unterminated = 0;
        for (size_t i = 0; i < d.len; i++)
            if (strstr(d.items[i].path, "03.open/item.md") && d.items[i].level == DIAG_ERROR) unterminated = 1;
        CHECK(unterminated);
        CHECK(s && find(s, "kk", "/open") == NULL);
        site_free(s);
        diag_free(&d);
        buf_free(&hdr);
        buf_free(&body);
        buf_free(&open_ended);
        sitefix_remove(dir);
    }
}

/* Page files of every size around the loader's read sizes (a 4 KB head
 * for the front matter, one 16 KB buffer for a whole page): each is read
 * whole and exactly, with CRLF normalised, and a header longer than the
 * head still parses. */
TEST(page_files_of_any_size_are_read_whole_and_exactly)
{
    static const size_t sizes[] = {0, 1, 4095, 4096, 4097, 8191, 16383, 16384, 16385, 40000};
    static const char *const files[][2] = {{"config/system.yaml", "languages:\n  supported: [en]\n"}, {NULL, NULL}};
    char *dir = sitefix_make(files);
    enum { N = sizeof sizes / sizeof sizes[0] };
    char *want[N + 1];
    for (size_t i = 0; i <= N; i++) {
        buf file = BUF_INIT;
        bool long_header = i == N;
        size_t size = long_header ? 9000 : sizes[i];
        buf_printf(&file, "---\r\ntitle: 'Size %zu'\r\n", size);
        if (long_header)
            for (int k = 0; file.len < 6000; k++) buf_printf(&file, "key%d: 'a value to make the header long'\r\n", k);
        buf_puts(&file, "---\r\n");
        for (size_t k = 0; file.len < size; k++) buf_putc(&file, k % 61 == 60 ? '\n' : (char)('a' + k % 26));
        char rel[64];
        snprintf(rel, sizeof rel, "pages/%02zu.p%zu/item.md", i + 1, i);
        char *path = path_join(dir, rel);
        char *slash = strrchr(path, '/');
        *slash = 0;
        dir_make(path);
        *slash = '/';
        file_write(path, file.s, file.len);
        free(path);
        /* what the loader should hand over: the text without CRs */
        buf norm = BUF_INIT;
        for (size_t k = 0; k < file.len; k++)
            if (file.s[k] != '\r') buf_putc(&norm, file.s[k]);
        want[i] = buf_detach(&norm, NULL);
        buf_free(&file);
    }
    diag_list d;
    site *s = load(dir, 0, &d);
    CHECK_INT((long long)d.errors, 0);
    for (size_t i = 0; s && i <= N; i++) {
        char route[32];
        snprintf(route, sizeof route, "/p%zu", i);
        page_version *pv = find(s, "en", route);
        CHECK(pv != NULL);
        if (!pv) continue;
        char title[32];
        snprintf(title, sizeof title, "Size %zu", i == N ? (size_t)9000 : sizes[i]);
        CHECK_STR(pv->title, title);
        size_t len = 0;
        char *text = site_read_source(pv, &len, NULL);
        CHECK(text != NULL);
        if (text) {
            CHECK_INT((long long)len, (long long)strlen(want[i]));
            CHECK(strcmp(text, want[i]) == 0);
        }
        free(text);
    }
    for (size_t i = 0; i <= N; i++) free(want[i]);
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}

/* A Grav site's languages/ files hold its Grav theme's strings, not the
 * built-in theme's keys: those come from the theme, in each language,
 * before the default language's (as Grav merges a theme's strings), and
 * the site's own always win. */
TEST(the_themes_strings_fill_in_what_the_sites_lack)
{
    const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"languages/kk.yaml", "GALLERY_NEXT: Келесі\nREAD_MORE: Оқу\n"},
        {"languages/ru.yaml", "READ_MORE: Читать дальше\n"},
        {"pages/01.home/default.md", "---\ntitle: Home\n---\nText.\n"},
        {NULL, NULL}};
    char *dir = sitefix_make(files);
    diag_list d;
    site *s = load(dir, 0, &d);
    CHECK(s != NULL);
    int kk = site_lang_index(s, "kk"), ru = site_lang_index(s, "ru"), en = site_lang_index(s, "en");
    CHECK_STR(site_translate(s, ru, "GALLERY"), "Фотогалерея");
    CHECK_STR(site_translate(s, en, "GALLERY"), "Photo gallery");
    CHECK_STR(site_translate(s, ru, "GALLERY_NEXT"), "Следующее фото"); /* the theme's Russian, not the site's Kazakh */
    CHECK_STR(site_translate(s, kk, "GALLERY_NEXT"), "Келесі");          /* the site's own */
    CHECK_STR(site_translate(s, ru, "READ_MORE"), "Читать дальше");
    CHECK_STR(site_translate(s, en, "NO_SUCH_KEY"), "NO_SUCH_KEY");
    site_free(s);
    diag_free(&d);
    sitefix_remove(dir);
}
