/* test_feeds.c - what `folio build` writes for feed readers and search
 * engines: RSS and Atom feeds (read back with python3-feedparser, as a
 * feed reader would), sitemap.xml (python3's xml.etree), robots.txt, and
 * the description, Open Graph, Twitter and JSON-LD metadata of pages. */
#include "build/build.h"
#include "build/output_dir.h"
#include "build/seo.h"
#include "lib/utf8.h"
#include "sitefix.h"
#include "test.h"

#include <sys/wait.h>

#define NOW 1735689600LL /* 1 January 2025 */
#define BASE "https://hematology.example.kz"

#define LIST(lang, title)                                                                                      \
    {"pages/02.news/blog." lang ".md", "---\ntitle: " title "\ncontent:\n  items: '@self.children'\n  order:\n" \
                                       "    by: date\n    dir: desc\n  limit: 10\n  pagination: true\n---\n"}
#define POST(folder, lang, title, date, extra)                                                                  \
    {"pages/02.news/" folder "/item." lang ".md",                                                              \
     "---\ntitle: '" title "'\ndate: '" date "'\n" extra "---\nSummary of " title " & more.\n\n===\n\nThe rest.\n"}

static const char *const site_files[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    {"config/site.yaml", "title: Гематология орталығы\nurl: " BASE "/\norganization:\n  phone: '+7 727 000 00 00'\n"},
    {"config/site.ru.yaml", "title: Центр гематологии\norganization:\n  name: ТОО «Центр гематологии»\n"
                            "  type: MedicalOrganization\n"},
    {"pages/01.home/default.kk.md", "---\ntitle: Басты бет\n---\nСәлем\n"},
    {"pages/01.home/default.ru.md", "---\ntitle: Главная\n---\nПривет\n"},
    {"pages/01.home/default.en.md", "---\ntitle: Home\n---\nHello\n"},
    LIST("kk", "Жаңалықтар"), LIST("ru", "Новости"), LIST("en", "News"),
    POST("01.conference", "kk", "Конференция", "09-01-2023 10:00", ""),
    POST("01.conference", "ru", "Конференция RU", "09-01-2023 10:00", ""),
    POST("01.conference", "en", "Conference", "09-01-2023 10:00", ""),
    {"pages/02.news/01.conference/hall.jpg", "not really a jpeg"},
    POST("02.forum", "ru", "Форум </script>", "22-07-2019 09:00", ""),
    POST("02.forum", "en", "Forum", "22-07-2019 09:00", "metadata:\n  description: The forum in two lines.\n"),
    POST("04.hidden", "en", "Hidden", "01-01-2020 10:00", "sitemap:\n  ignore: true\n"),
    POST("03.future", "ru", "Будущее", "01-03-2030 10:00", "publish_date: '01-03-2030 10:00'\n"),
    POST("03.future", "en", "Future", "01-03-2030 10:00", "publish_date: '01-03-2030 10:00'\n"),
    {NULL, NULL}};

typedef struct built {
    char *dir, *out;
    diag_list d;
} built;

static void build(built *b, const char *const files[][2], const char *base_url)
{
    b->dir = sitefix_make(files);
    b->out = path_join(b->dir, "out");
    diag_init(&b->d);
    output *o = output_dir_new(b->out, &b->d);
    build_options opt = {0};
    opt.site_dir = b->dir;
    opt.now = NOW;
    opt.base_url = base_url;
    CHECK_INT(build_site(&opt, o, &b->d, NULL), 0);
    CHECK_INT(output_dir_commit(o, &b->d), 0);
}

static void unbuild(built *b)
{
    diag_free(&b->d);
    free(b->out);
    sitefix_remove(b->dir);
}

static char *read_out(const built *b, const char *rel)
{
    char *p = path_join(b->out, rel);
    size_t len;
    char *t = file_read(p, &len, 64 * 1024 * 1024);
    free(p);
    return t;
}

/* Runs a python3 program with the output folder as argv[1]; its stdout. */
static char *python(const built *b, const char *program)
{
    char *script = path_join(b->dir, "probe.py");
    file_write(script, program, strlen(program));
    char cmd[8192];
    /* Debian's python3-feedparser belongs to Debian's python3, which may
     * not be the first python3 on PATH. */
    const char *py = path_exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    snprintf(cmd, sizeof cmd, "%s %s %s 2>&1", py, script, b->out);
    free(script);
    FILE *p = popen(cmd, "r");
    buf out = BUF_INIT;
    char chunk[4096];
    size_t n;
    while (p && (n = fread(chunk, 1, sizeof chunk, p)) > 0) buf_add(&out, chunk, n);
    if (p) pclose(p);
    return buf_detach(&out, NULL);
}

TEST(rss_and_atom_parse_cleanly_and_list_published_posts_newest_first)
{
    built b;
    build(&b, site_files, NULL);
    char *r = python(&b, "import feedparser, sys\n"
                         "for kind in ('rss', 'atom'):\n"
                         "    f = feedparser.parse(sys.argv[1] + '/ru/news/feed.' + kind)\n"
                         "    print(kind, 'bozo', f.bozo, 'entries', len(f.entries), 'lang', f.feed.get('language'))\n"
                         "    for e in f.entries:\n"
                         "        encl = [x['href'] for x in e.get('enclosures', [])]\n"
                         "        print(kind, 'entry', e.title, '|', e.link, '|', e.published_parsed[:3], '|', encl)\n"
                         "        print(kind, 'summary', e.summary.strip())\n");
    CHECK_CONTAINS(r, "rss bozo False entries 2 lang ru");
    CHECK_CONTAINS(r, "atom bozo False entries 2 lang ru");
    /* newest first, absolute links, dates, the lead image as enclosure */
    CHECK_CONTAINS(r, "rss entry Конференция RU | " BASE "/ru/news/conference/ | (2023, 1, 9) | ['" BASE
                      "/media/news/conference/hall.jpg']\nrss summary");
    CHECK_CONTAINS(r, "rss entry Форум </script> | " BASE "/ru/news/forum/ | (2019, 7, 22) | []");
    CHECK_CONTAINS(r, "atom entry Конференция RU | " BASE "/ru/news/conference/ | (2023, 1, 9) | ['" BASE
                      "/media/news/conference/hall.jpg']");
    /* the summary is HTML, before the delimiter only */
    CHECK_CONTAINS(r, "rss summary <p>Summary of Конференция RU &amp; more.</p>");
    CHECK_CONTAINS(r, "atom summary <p>Summary of Конференция RU &amp; more.</p>");
    CHECK_NOT_CONTAINS(r, "The rest");
    /* the post scheduled for 2030 is in no feed */
    CHECK_NOT_CONTAINS(r, "Будущее");
    free(r);
    char *en = read_out(&b, "en/news/feed.atom");
    CHECK_CONTAINS(en, "xml:lang=\"en\"");
    CHECK_NOT_CONTAINS(en, "Future");
    CHECK_NOT_CONTAINS(en, "<entry xml:lang");
    free(en);

    unbuild(&b);
}

/* The center's English site shows Russian posts where no English text
 * exists: such an entry of the English Atom feed says it is Russian, as
 * the page itself does with lang="ru". */
TEST(atom_entry_shown_by_fallback_names_its_language)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\n"
                               "  content_fallback:\n    en: ru\ntimezone: Asia/Almaty\n"},
        {"config/site.yaml", "title: Центр\nurl: " BASE "/\n"},
        LIST("ru", "Новости"), LIST("en", "News"),
        POST("01.conference", "ru", "Конференция", "09-01-2023 10:00", ""),
        POST("01.conference", "en", "Conference", "09-01-2023 10:00", ""),
        POST("02.forum", "ru", "Форум", "22-07-2019 09:00", ""),
        {NULL, NULL}};
    built b;
    build(&b, files, NULL);
    char *en = read_out(&b, "en/news/feed.atom"), *ru = read_out(&b, "ru/news/feed.atom");
    CHECK_CONTAINS(en, "xml:lang=\"en\"");
    CHECK_CONTAINS(en, "<entry>\n<title>Conference</title>");
    CHECK_CONTAINS(en, "<entry xml:lang=\"ru\">\n<title>Форум</title>");
    CHECK_NOT_CONTAINS(ru, "<entry xml:lang");
    free(en);
    free(ru);
    unbuild(&b);
}

/* Grav writes a page's metadata (its header's metadata:, over the
 * site's) as meta tags: "robots: noindex" keeps a page from search
 * engines, and a search console's verification key from site.yaml is on
 * every page. A page that says noindex is not in the sitemap either. What
 * the theme writes itself (the description, og:title) is not doubled. */
TEST(page_and_site_metadata_are_meta_tags_and_noindex_leaves_the_sitemap)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\n"},
        {"config/site.yaml", "title: Центр\nurl: " BASE "/\nmetadata:\n  description: Сайт центра\n"
                             "  google-site-verification: abc123\n  author: Центр\n"},
        {"pages/01.home/default.md", "---\ntitle: Главная\n---\nТекст.\n"},
        {"pages/02.draft-list/default.md",
         "---\ntitle: Список\nmetadata:\n  robots: noindex, nofollow\n  author: Врач\n  og:title: Другой\n---\nТекст.\n"},
        {NULL, NULL}};
    built b;
    build(&b, files, NULL);
    char *home = read_out(&b, "ru/index.html"), *list = read_out(&b, "ru/draft-list/index.html");
    char *map = read_out(&b, "sitemap.xml");
    CHECK_CONTAINS(home, "<meta name=\"google-site-verification\" content=\"abc123\">");
    CHECK_CONTAINS(home, "<meta name=\"author\" content=\"Центр\">");
    CHECK_CONTAINS(list, "<meta name=\"robots\" content=\"noindex, nofollow\">");
    CHECK_CONTAINS(list, "<meta name=\"author\" content=\"Врач\">");
    CHECK_NOT_CONTAINS(list, "name=\"author\" content=\"Центр\""); /* the page's author, not the site's too */
    CHECK_NOT_CONTAINS(list, "Другой");
    CHECK_CONTAINS(map, "/ru/</loc>");
    CHECK_NOT_CONTAINS(map, "draft-list");
    free(home);
    free(list);
    free(map);
    unbuild(&b);
}

TEST(feed_holds_the_twenty_newest_posts)
{
    const char *files[64][2] = {
        {"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\ntimezone: UTC\n"},
        {"config/site.yaml", "title: T\nurl: " BASE "\n"},
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"}};
    size_t n = 3;
    arena a = ARENA_INIT;
    for (int i = 1; i <= 25; i++, n++) {
        files[n][0] = arena_printf(&a, "pages/01.news/p%02d/item.md", i);
        files[n][1] = arena_printf(&a, "---\ntitle: Post %02d\ndate: '2020-01-%02d 10:00'\n---\nText %d\n", i, i, i);
    }
    files[n][0] = files[n][1] = NULL;
    built b;
    build(&b, (const char *const(*)[2])files, NULL);
    char *r = python(&b, "import feedparser, sys\n"
                         "f = feedparser.parse(sys.argv[1] + '/en/news/feed.rss')\n"
                         "print(f.bozo, len(f.entries), f.entries[0].title, f.entries[-1].title)\n");
    CHECK_CONTAINS(r, "False 20 Post 25 Post 06");
    free(r);
    unbuild(&b);
    arena_free(&a);
}

TEST(sitemap_lists_published_pages_with_language_alternates)
{
    built b;
    build(&b, site_files, NULL);
    char *r = python(&b, "import sys, xml.etree.ElementTree as ET\n"
                         "ns = {'s': 'http://www.sitemaps.org/schemas/sitemap/0.9', 'x': 'http://www.w3.org/1999/xhtml'}\n"
                         "root = ET.parse(sys.argv[1] + '/sitemap.xml').getroot()\n"
                         "urls = root.findall('s:url', ns)\n"
                         "print('count', len(urls))\n"
                         "for u in urls:\n"
                         "    alts = sorted(l.get('hreflang') + '=' + l.get('href') for l in u.findall('x:link', ns))\n"
                         "    print(u.find('s:loc', ns).text, u.find('s:lastmod', ns).text[:10], alts)\n");
    /* home and news in 3 languages, conference in 3, forum in 2; not the
     * future post nor the one whose header keeps it out */
    CHECK_CONTAINS(r, "count 11");
    CHECK_CONTAINS(r, BASE "/ru/news/conference/ 2023-01-09 ['en=" BASE "/en/news/conference/', 'kk=" BASE
                      "/kk/news/conference/', 'ru=" BASE "/ru/news/conference/', 'x-default=" BASE
                      "/kk/news/conference/']");
    /* the forum has no Kazakh version, so no x-default */
    CHECK_CONTAINS(r, BASE "/en/news/forum/ 2019-07-22 ['en=" BASE "/en/news/forum/', 'ru=" BASE "/ru/news/forum/']");
    CHECK_CONTAINS(r, BASE "/kk/ ");
    CHECK_NOT_CONTAINS(r, "future");
    CHECK_NOT_CONTAINS(r, "hidden");
    free(r);
    char *robots = read_out(&b, "robots.txt");
    CHECK_CONTAINS(robots, "Sitemap: " BASE "/sitemap.xml");
    free(robots);
    unbuild(&b);
}

TEST(base_url_option_overrides_the_config)
{
    built b;
    build(&b, site_files, "https://mirror.example.org/");
    char *x = read_out(&b, "sitemap.xml");
    CHECK_CONTAINS(x, "<loc>https://mirror.example.org/ru/news/conference/</loc>");
    CHECK_NOT_CONTAINS(x, BASE);
    free(x);
    char *html = read_out(&b, "ru/news/conference/index.html");
    CHECK_CONTAINS(html, "<meta property=\"og:url\" content=\"https://mirror.example.org/ru/news/conference/\">");
    free(html);
    unbuild(&b);
}

TEST(without_a_site_url_no_feeds_or_sitemap_are_written)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [en]\n  default_lang: en\ntimezone: UTC\n"},
        {"pages/01.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/01.news/a/item.md", "---\ntitle: A\n---\nText\n"},
        {NULL, NULL}};
    built b;
    build(&b, files, NULL);
    char *rss = read_out(&b, "en/news/feed.rss");
    CHECK(rss == NULL);
    free(rss);
    CHECK(diag_has(&b.d, DIAG_NOTE, "feeds and sitemap.xml need one"));
    char *robots = read_out(&b, "robots.txt");
    CHECK_CONTAINS(robots, "User-agent: *");
    CHECK_NOT_CONTAINS(robots, "Sitemap:");
    free(robots);
    unbuild(&b);
}

TEST(post_page_carries_description_open_graph_feeds_and_news_article)
{
    built b;
    build(&b, site_files, NULL);
    char *ru = read_out(&b, "ru/news/conference/index.html");
    CHECK_CONTAINS(ru, "<meta name=\"description\" content=\"Summary of Конференция RU &amp; more.\">");
    CHECK_CONTAINS(ru, "<meta property=\"og:locale\" content=\"ru_RU\">");
    CHECK_CONTAINS(ru, "<meta property=\"og:locale:alternate\" content=\"kk_KZ\">");
    CHECK_CONTAINS(ru, "<meta property=\"og:locale:alternate\" content=\"en_US\">");
    CHECK_CONTAINS(ru, "<meta property=\"og:type\" content=\"article\">");
    CHECK_CONTAINS(ru, "<meta property=\"og:image\" content=\"" BASE "/media/news/conference/hall.jpg\">");
    CHECK_CONTAINS(ru, "<meta name=\"twitter:card\" content=\"summary_large_image\">");
    CHECK_NOT_CONTAINS(ru, "twitter:description"); /* read from og:description */
    CHECK_CONTAINS(ru, "type=\"application/rss+xml\"");
    CHECK_CONTAINS(ru, "href=\"" BASE "/ru/news/feed.rss\"");
    CHECK_CONTAINS(ru, "href=\"" BASE "/ru/news/feed.atom\"");
    free(ru);
    char *kk = read_out(&b, "kk/news/conference/index.html");
    CHECK_CONTAINS(kk, "<meta property=\"og:locale\" content=\"kk_KZ\">");
    CHECK_NOT_CONTAINS(kk, "og:locale:alternate\" content=\"kk_KZ");
    free(kk);
    /* JSON-LD is valid JSON of the right type, and a title with </script> cannot end the element. */
    char *r = python(&b, "import json, re, sys\n"
                         "for rel in ('ru/news/conference/index.html', 'ru/news/forum/index.html', 'ru/index.html',"
                         " 'kk/index.html'):\n"
                         "    html = open(sys.argv[1] + '/' + rel, encoding='utf-8').read()\n"
                         "    blocks = re.findall(r'<script type=\"application/ld\\+json\">(.*?)</script>', html, re.S)\n"
                         "    d = json.loads(blocks[0])\n"
                         "    print(rel, len(blocks), d['@type'], d.get('headline', d.get('name')), d.get('inLanguage'),"
                         " d.get('telephone'), d.get('datePublished', '')[:10])\n");
    CHECK_CONTAINS(r, "ru/news/conference/index.html 1 NewsArticle Конференция RU ru None 2023-01-09");
    CHECK_CONTAINS(r, "ru/news/forum/index.html 1 NewsArticle Форум </script> ru None 2019-07-22");
    CHECK_CONTAINS(r, "ru/index.html 1 MedicalOrganization ТОО «Центр гематологии» None +7 727 000 00 00");
    /* organization.type is set for Russian only: Kazakh has the general type */
    CHECK_CONTAINS(r, "kk/index.html 1 Organization Гематология орталығы None +7 727 000 00 00");
    free(r);
    char *list = read_out(&b, "kk/news/index.html");
    CHECK_CONTAINS(list, "<link rel=\"alternate\" type=\"application/rss+xml\"");
    CHECK_CONTAINS(list, "href=\"" BASE "/kk/news/feed.atom\"");
    CHECK_CONTAINS(list, "<meta property=\"og:locale\" content=\"kk_KZ\">");
    free(list);
    char *forum = read_out(&b, "en/news/forum/index.html");
    CHECK_CONTAINS(forum, "<meta name=\"description\" content=\"The forum in two lines.\">");
    free(forum);
    /* Pages that are neither posts nor lists have no feed links. */
    char *home = read_out(&b, "en/index.html");
    CHECK_NOT_CONTAINS(home, "application/rss+xml");
    CHECK_CONTAINS(home, "<meta property=\"og:type\" content=\"website\">");
    free(home);
    unbuild(&b);
}

TEST(description_is_plain_text_cut_at_a_word_with_an_ellipsis)
{
    buf out = BUF_INIT;
    seo_plain_text("<p>Doctors &amp; nurses</p><p>met in <b>Almaty</b>.</p>", 52, 160, &out);
    CHECK_STR(buf_cstr(&out), "Doctors & nurses met in Almaty.");
    buf_free(&out);
    seo_plain_text("<p>Гематология орталығы, жаңа бағдарлама</p>", 78, 25, &out);
    CHECK_STR(buf_cstr(&out), "Гематология орталығы…");
    buf_free(&out);
}

/* What a page embeds or styles is no text of it: a style pasted with text
 * from Word, a video's fallback link, a script; an empty <svg/> hides
 * nothing after it. */
TEST(description_leaves_out_styles_scripts_and_players)
{
    static const char html[] = "<style>p { color: red }</style><p>Лекция <VIDEO controls><source src=\"a.mp4\">"
                               "<a href=\"a.mp4\">a.mp4</a></VIDEO>о лейкозе</p><script>var x = 1;</script>"
                               "<audio><a>b.mp3</a></audio><svg viewBox=\"0 0 1 1\"/><p>для пациентов.</p>";
    buf out = BUF_INIT;
    seo_plain_text(html, sizeof html - 1, 160, &out);
    CHECK_STR(buf_cstr(&out), "Лекция о лейкозе для пациентов.");
    buf_free(&out);
    /* an element left open hides the rest, never more than the text */
    seo_plain_text("<p>Текст</p><style>p {", 22, 160, &out);
    CHECK_STR(buf_cstr(&out), "Текст");
    buf_free(&out);
}

/* The cut never splits a letter. The punctuation trimmed before the
 * ellipsis includes the dashes, which are several bytes long, and "р"
 * (D1 80) and the Kazakh "ғ" (D2 93) end in bytes of a dash (E2 80 93):
 * "директор" was published as "директо" and half a letter. Every length
 * of each text is cut; the result must be UTF-8 that the text begins
 * with, up to the ellipsis. */
TEST(description_cut_keeps_every_letter_whole)
{
    static const char *const texts[] = {
        "Выступил главный директор центр доктор, затем – профессор – и снова директор.",
        "Сұрақтарға жауап берді: дәрігер ғалым бағ, тағы – ұстаз ағ — бағ.",
        "Konferentsiya – dash — and more words here, and more.",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        buf html = BUF_INIT;
        buf_printf(&html, "<p>%s</p>", texts[t]);
        for (size_t max = 1; max < 80; max++) {
            buf out = BUF_INIT;
            seo_plain_text(html.s, html.len, max, &out);
            const char *s = buf_cstr(&out);
            size_t n = out.len;
            CHECK_INT(utf8_check(s, n), n);
            static const char ell[] = "…";
            size_t body = n >= sizeof ell - 1 && !strcmp(s + n - (sizeof ell - 1), ell) ? n - (sizeof ell - 1) : n;
            CHECK(strncmp(texts[t], s, body) == 0);
            CHECK(body == 0 || (unsigned char)s[body - 1] != 0xE2); /* no dash left before the ellipsis */
            buf_free(&out);
        }
        buf_free(&html);
    }
}

/* A page whose slug is in Cyrillic has its address percent-encoded in the
 * sitemap and the feeds (URIs, as search engines ask), and as written in
 * the pages' own links. */
TEST(addresses_with_letters_are_percent_encoded_in_sitemap_and_feeds)
{
    static const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"config/site.yaml", "title: Центр\nurl: " BASE "/\n"},
        LIST("ru", "Новости"),
        POST("01.letters", "ru", "Буквы", "09-01-2023 10:00", "slug: новости-центра\n"),
        {NULL, NULL}};
    built b;
    build(&b, files, NULL);
    static const char encoded[] = BASE "/ru/news/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8-%D1%86%D0%B5%D0%BD%D1%82%D1%80%D0%B0/";
    char *x = read_out(&b, "sitemap.xml"), *rss = read_out(&b, "ru/news/feed.rss"), *atom = read_out(&b, "ru/news/feed.atom");
    CHECK_CONTAINS(x, encoded);
    CHECK_NOT_CONTAINS(x, "новости");
    CHECK_CONTAINS(rss, encoded);
    CHECK_NOT_CONTAINS(rss, "новости-центра");
    CHECK_CONTAINS(atom, encoded);
    char *html = read_out(&b, "ru/news/index.html");
    CHECK_CONTAINS(html, "/ru/news/новости-центра/");
    free(x);
    free(rss);
    free(atom);
    free(html);
    unbuild(&b);
}

/* Longer than the window in which a page's encoding is looked at. */
#define LONG_TEXT                                                                                              \
    "Лекция для пациентов о лейкозе, о лечении и о жизни после него. Лекция для пациентов о лейкозе, о лечении " \
    "и о жизни после него. Лекция для пациентов о лейкозе, о лечении и о жизни после него. "

/* Text copied from Word brings a vertical tab for each line break: XML has
 * no such character, and one in a post made its list's feeds unreadable
 * (and one in a header, its YAML). */
TEST(control_characters_in_a_post_leave_its_feeds_readable_and_are_reported)
{
    static const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"config/site.yaml", "title: Центр\nurl: " BASE "/\n"},
        LIST("ru", "Новости"),
        {"pages/02.news/01.word/item.ru.md",
         "---\ntitle: Школа\x0bпациента\ndate: '09-01-2023 10:00'\n---\nПервая\x0bстрока\x0c и\x01 вторая.\n"},
        {"pages/02.news/02.escaped/item.ru.md", "---\ntitle: \"Форум\\vв Алматы\"\ndate: '10-01-2023 10:00'\n---\nТекст.\n"},
        /* a line pasted in another code page, far into the text */
        {"pages/02.news/03.cp1251/item.ru.md",
         "---\ntitle: Лекция\ndate: '08-01-2023 10:00'\n---\n" LONG_TEXT "\xCF\xF0\xE8\xE2\xE5\xF2 \xD1\n"},
        {NULL, NULL}};
    built b;
    build(&b, files, NULL);
    char *r = python(&b, "import feedparser, sys\n"
                         "for kind in ('rss', 'atom'):\n"
                         "    f = feedparser.parse(sys.argv[1] + '/ru/news/feed.' + kind)\n"
                         "    print(kind, 'bozo', f.bozo, 'entries', len(f.entries))\n"
                         "    for e in f.entries: print(kind, 'entry', e.title, '|', e.summary.strip())\n");
    CHECK_CONTAINS(r, "rss bozo False entries 3");
    CHECK_CONTAINS(r, "atom bozo False entries 3");
    CHECK_CONTAINS(r, "rss entry Лекция | <p>" LONG_TEXT "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD \uFFFD</p>");
    CHECK_CONTAINS(r, "rss entry Школа пациента | <p>Первая строка  и  вторая.</p>");
    CHECK_CONTAINS(r, "atom entry Форум в Алматы | <p>Текст.</p>");
    free(r);
    char *html = read_out(&b, "ru/news/word/index.html");
    CHECK_CONTAINS(html, "Первая строка  и  вторая.");
    CHECK(!strpbrk(html, "\x01\x0b\x0c"));
    free(html);
    /* Each is named where it is, the page itself builds. */
    int seen = 0;
    for (size_t i = 0; i < b.d.len; i++) {
        const diag *g = &b.d.items[i];
        if (!strstr(g->path, "01.word/item.ru.md") || g->level != DIAG_WARNING) continue;
        if (g->line == 2 && g->col == 13 && strstr(g->msg, "U+000B (a line break from Word)")) seen |= 1;
        if (g->line == 5 && g->col == 14 && strstr(g->msg, "U+000C")) seen |= 2;
        if (g->line == 5 && g->col == 17 && strstr(g->msg, "U+0001 is not text: it is shown as a space")) seen |= 4;
    }
    CHECK_INT(seen, 7);
    /* the line in another code page: the one error, where it starts */
    CHECK_INT((long)b.d.errors, 1);
    for (size_t i = 0; i < b.d.len; i++)
        if (b.d.items[i].level == DIAG_ERROR) {
            CHECK(strstr(b.d.items[i].path, "03.cp1251/item.ru.md") != NULL);
            CHECK(strstr(b.d.items[i].msg, "the text from here is not UTF-8") != NULL);
            CHECK_INT(b.d.items[i].line, 5);
            CHECK_INT(b.d.items[i].col, 193); /* after the 192 letters of LONG_TEXT */
        }
    unbuild(&b);
}

/* A feed reader is on another site: a player's file and poster in a
 * summary are given with the site's address. */
TEST(a_video_in_a_summary_has_absolute_addresses_in_the_feed)
{
    static const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"config/site.yaml", "title: Центр\nurl: " BASE "/\n"},
        LIST("ru", "Новости"),
        {"pages/02.news/01.video/item.ru.md",
         "---\ntitle: Экскурсия\ndate: '09-01-2023 10:00'\n---\n![Экскурсия](tour.mp4?poster=cover.jpg)\n"},
        {"pages/02.news/01.video/tour.mp4", "not really a video"},
        {"pages/02.news/01.video/cover.jpg", "not really a photo"},
        {NULL, NULL}};
    built b;
    build(&b, files, NULL);
    char *rss = read_out(&b, "ru/news/feed.rss");
    CHECK_CONTAINS(rss, "poster=&quot;" BASE "/media/news/video/cover.jpg&quot;");
    CHECK_CONTAINS(rss, "src=&quot;" BASE "/media/news/video/tour.mp4&quot;");
    CHECK_CONTAINS(rss, "href=&quot;" BASE "/media/news/video/tour.mp4&quot;");
    free(rss);
    unbuild(&b);
}

/* The site's url goes into robots.txt, the sitemap and the feeds: one with
 * a line break in it would add a line of its own to robots.txt (here one
 * that hides the site from search engines). It is a warning instead. */
TEST(a_site_url_that_is_no_address_writes_no_line_of_its_own)
{
    static const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"config/site.yaml", "title: Центр\nurl: \"https://hematology.example.kz/\\nDisallow: /\"\n"},
        LIST("ru", "Новости"),
        POST("01.a", "ru", "Пост", "09-01-2023 10:00", ""),
        {NULL, NULL}};
    built b;
    build(&b, files, NULL);
    char *robots = read_out(&b, "robots.txt"), *sitemap = read_out(&b, "sitemap.xml");
    CHECK_STR(robots, "User-agent: *\nAllow: /\n");
    CHECK(sitemap == NULL);
    bool warned = false;
    for (size_t i = 0; i < b.d.len; i++)
        warned |= b.d.items[i].level == DIAG_WARNING && strstr(b.d.items[i].path, "config/site.yaml") &&
                  strstr(b.d.items[i].msg, "the site's url is no address");
    CHECK(warned);
    free(robots);
    free(sitemap);
    unbuild(&b);
    /* the same from --base-url */
    build(&b, site_files, "https://a.kz/ Disallow");
    robots = read_out(&b, "robots.txt");
    CHECK_STR(robots, "User-agent: *\nAllow: /\n");
    free(robots);
    unbuild(&b);
}
