/* test_bad_input.c - what people really put into a site folder, and what
 * folio does with it. Every test states the expected outcome above it.
 * The rules they all share: a problem is reported as path:line:col naming
 * the file, the rest of the site still builds, nothing from outside the
 * site ever reaches the output, and no input exhausts memory or time
 * (YAML aliases, nesting, template recursion and input size are bounded). */
#include "build/build.h"
#include "build/output_dir.h"
#include "httpc.h"
#include "lib/files.h"
#include "serve/serve_site.h"
#include "serve/watch.h"
#include "sitefix.h"
#include "test.h"

#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>

#define SYSTEM_RU {"config/system.yaml", "languages:\n  supported: [ru]\n  default_lang: ru\ntimezone: Asia/Almaty\n"}
#define HOME_PAGE {"pages/01.home/default.md", "---\ntitle: Home\n---\nHOME-PAGE-BUILT\n"}

/* A marker that exists only outside the site's pages: finding it in the
 * output means something leaked. */
#define SECRET "SECRET-OUTSIDE-THE-PAGES-7f3a"

static char *out_root;

static char *fresh_out(void)
{
    if (!out_root) {
        char tmpl[] = "/tmp/folio-bad-XXXXXX";
        out_root = xstrdup(mkdtemp(tmpl));
    }
    static int n;
    buf b = BUF_INIT;
    buf_printf(&b, "%s/out%d", out_root, n++);
    return buf_detach(&b, NULL);
}

/* Non-strict directory build of site into a fresh folder; returns the
 * folder (caller frees) and leaves the diagnostics in d. */
static char *build(const char *site, diag_list *d, int *rc)
{
    char *out = fresh_out();
    diag_init(d);
    build_options opt = {0};
    opt.site_dir = site;
    opt.threads = 2;
    output *o = output_dir_new(out, d);
    int r = -1;
    if (o) {
        r = build_site(&opt, o, d, NULL);
        if (r == 0) r = output_dir_commit(o, d);
        else output_dir_abort(o);
    }
    if (rc) *rc = r;
    return out;
}

static char *read_out(const char *out, const char *rel, size_t *len)
{
    char *p = path_join(out, rel);
    char *text = file_read(p, len, 0);
    free(p);
    return text;
}

/* True when some regular file under dir, or some name in it, contains needle. */
static bool tree_contains(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    if (!d) return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (strstr(e->d_name, needle)) found = true;
        char *p = path_join(dir, e->d_name);
        struct stat st;
        if (!found && lstat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode)) found = tree_contains(p, needle);
            else if (S_ISREG(st.st_mode)) {
                size_t len;
                char *text = file_read(p, &len, 0);
                if (text && memmem(text, len, needle, strlen(needle))) found = true;
                free(text);
            }
        }
        free(p);
    }
    closedir(d);
    return found;
}

/* FOLIO_TEST_VERBOSE=1 shows what each build reported. */
static void print_diags_on_failure(diag_list *d)
{
    if (getenv("FOLIO_TEST_VERBOSE")) diag_print_all(stdout, d);
}

static void write_bytes(const char *site, const char *rel, const void *data, size_t len)
{
    char *p = path_join(site, rel);
    char *slash = strrchr(p, '/');
    *slash = 0;
    dir_make(p);
    *slash = '/';
    file_write(p, data, len);
    free(p);
}

static bool home_built(const char *out)
{
    char *html = read_out(out, "ru/index.html", NULL); /* the home page is the language root */
    bool ok = html && strstr(html, "HOME-PAGE-BUILT");
    free(html);
    return ok;
}

static void cleanup(char *site, char *out, diag_list *d)
{
    print_diags_on_failure(d);
    diag_free(d);
    dir_remove_tree(out);
    free(out);
    sitefix_remove(site);
}

/* ---- page files ---------------------------------------------------- */

/* An empty file is a page without header or text: it builds, as in
 * Grav, with a warning (a failed save or copy leaves one, and a post of
 * it goes to the top of the news, dated by the file). */
TEST(empty_page_file_builds_an_empty_page)
{
    static const char *const files[][2] = {SYSTEM_RU, HOME_PAGE, {"pages/02.empty/item.md", ""}, {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    int rc;
    char *out = build(site, &d, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(d.errors, 0);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "pages/02.empty/item.md", 1,
                           "the file is empty: it is published as a page without text, titled 'Empty'"));
    char *html = read_out(out, "ru/empty/index.html", NULL);
    CHECK(html != NULL);
    free(html);
    cleanup(site, out, &d);
}

/* Front matter and nothing after it: the page builds with its title. */
TEST(front_matter_only_builds_a_page_with_its_title)
{
    static const char *const files[][2] = {
        SYSTEM_RU, HOME_PAGE, {"pages/02.only/item.md", "---\ntitle: Only-Header-Title\n---"}, {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK_INT(d.errors, 0);
    char *html = read_out(out, "ru/only/index.html", NULL);
    CHECK(html && strstr(html, "Only-Header-Title"));
    free(html);
    cleanup(site, out, &d);
}

/* An opening "---" never closed: an error at the file's line 1, the page
 * is left out, the others build. */
TEST(unterminated_front_matter_is_an_error_at_line_one_and_other_pages_build)
{
    static const char *const files[][2] = {SYSTEM_RU, HOME_PAGE,
                                           {"pages/02.open/item.md", "---\ntitle: Open\n\nText that never ends\n"},
                                           {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "pages/02.open/item.md", 1, ""));
    CHECK(home_built(out));
    CHECK(!tree_contains(out, "Text that never ends"));
    cleanup(site, out, &d);
}

/* YAML forbids tabs for indentation: an error naming the file and the
 * line of the tab (line 3 of the file), the other pages build. */
TEST(tab_indented_yaml_is_an_error_on_the_tab_line)
{
    static const char *const files[][2] = {
        SYSTEM_RU, HOME_PAGE, {"pages/02.tab/item.md", "---\ntitle: Tabs\ntaxonomy:\n\tcategory: news\n---\nBody\n"},
        {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "pages/02.tab/item.md", 4, ""));
    CHECK(home_built(out));
    cleanup(site, out, &d);
}

/* "Billion laughs": nine levels of nine aliases would be 387 million
 * nodes. The YAML reader's alias budget makes it an error in the file. */
TEST(yaml_alias_bomb_is_an_error_not_an_exhaustion)
{
    buf y = BUF_INIT;
    buf_puts(&y, "---\ntitle: Bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 9; i++) {
        buf_printf(&y, "a%d: &a%d [", i, i);
        for (int k = 0; k < 9; k++) buf_printf(&y, "%s*a%d", k ? ", " : "", i - 1);
        buf_puts(&y, "]\n");
    }
    buf_puts(&y, "---\n{{ page.header.a9|json_encode }}\n");
    const char *text = buf_cstr(&y);
    const char *const files[][2] = {SYSTEM_RU, HOME_PAGE, {"pages/02.bomb/item.md", text}, {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "pages/02.bomb/item.md", 0, "alias"));
    CHECK(home_built(out));
    buf_free(&y);
    cleanup(site, out, &d);
}

/* 100,000 nested flow sequences in a header: an error (nesting limit), not
 * a stack overflow, and the other pages build. The same in a config file
 * names the config file, and nothing is published: the configuration
 * shapes every page. */
TEST(yaml_nested_100000_deep_is_an_error_in_page_and_config)
{
    buf y = BUF_INIT;
    buf_puts(&y, "---\ntitle: Deep\nt: ");
    for (int i = 0; i < 100000; i++) buf_putc(&y, '[');
    for (int i = 0; i < 100000; i++) buf_putc(&y, ']');
    buf_puts(&y, "\n---\nBody\n");
    const char *page = buf_cstr(&y);
    const char *config = page + 4; /* the same without the front matter line */
    buf c = BUF_INIT;
    buf_add(&c, config, strstr(config, "---") - config);
    const char *const files[][2] = {SYSTEM_RU, HOME_PAGE, {"pages/02.deep/item.md", page}, {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "pages/02.deep/item.md", 3, "deep"));
    CHECK(home_built(out));
    cleanup(site, out, &d);

    const char *const config_files[][2] = {SYSTEM_RU, HOME_PAGE, {"config/site.yaml", buf_cstr(&c)}, {NULL, NULL}};
    site = sitefix_make(config_files);
    int rc;
    out = build(site, &d, &rc);
    CHECK_INT(rc, -1);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "config/site.yaml", 2, "deep"));
    CHECK(!home_built(out));
    buf_free(&y);
    buf_free(&c);
    cleanup(site, out, &d);
}

/* "supported: kk, ru, en" on one line is one word, no language of the
 * site's: built as it reads, every page would be gone from the output.
 * It is an error of the configuration: nothing is published. */
TEST(languages_on_one_line_publish_nothing)
{
    const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: kk, ru, en\n  default_lang: kk\n"},
        {"pages/01.home/default.kk.md", "---\ntitle: Басты бет\n---\nСәлем\n"},
        {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    int rc;
    char *out = build(site, &d, &rc);
    CHECK_INT(rc, -1);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "config/system.yaml", 2, "languages.supported must be a list"));
    CHECK(sitefix_has_diag(&d, DIAG_NOTE, "config", 0, "nothing is published"));
    cleanup(site, out, &d);
}

/* A header Grav and folio would read as text: the first "---" deleted,
 * both lines made dashes by a word processor, "--" typed, or the closing
 * line a dash. The YAML would show on the page, the title would be the
 * folder's name and "published: false" would hide nothing: each is an
 * error at the line to fix, and the page is not published. Text that
 * merely has a "key: value" line or a rule is a page like any other. */
TEST(front_matter_without_its_hyphen_lines_is_an_error_and_not_published)
{
    static const struct {
        const char *file;
        int line;
        const char *message;
    } lost[] = {
        {"title: Конференция\ndate: '09-01-2023 10:00'\npublished: false\n---\nSECRET\n", 1, "first line is not '---'"},
        {"\n\ntitle: Конференция\npublished: false\n---\nSECRET\n", 3, "first line is not '---'"},
        {"\xE2\x80\x94\ntitle: Конференция\npublished: false\n\xE2\x80\x94\nSECRET\n", 1, "a dash"},
        {"--\ntitle: Конференция\ntaxonomy:\n  category: [news]\n--\nSECRET\n", 1, "a dash"},
        {"---\ntitle: Конференция\npublished: false\n\xE2\x80\x93\xE2\x80\x93\xE2\x80\x93\nSECRET\n", 4,
         "closing line must be '---'"},
    };
    for (size_t i = 0; i < sizeof lost / sizeof lost[0]; i++) {
        const char *const files[][2] = {SYSTEM_RU, HOME_PAGE, {"pages/02.post/item.md", lost[i].file}, {NULL, NULL}};
        char *site = sitefix_make(files);
        diag_list d;
        char *out = build(site, &d, NULL);
        if (!sitefix_has_diag(&d, DIAG_ERROR, "pages/02.post/item.md", lost[i].line, lost[i].message))
            test_fail(__FILE__, __LINE__, "case %zu: no error '%s' at line %d", i, lost[i].message, lost[i].line);
        char *post = read_out(out, "ru/post/index.html", NULL);
        CHECK(post == NULL);
        free(post);
        CHECK(home_built(out));
        cleanup(site, out, &d);
    }
    static const char *const pages[] = {
        "Date: 12 May\nPlace: Almaty\n\nText.\n\n---\n\nMore.\n",
        "# Title\n\nText.\n\n---\n\nMore.\n",
        "Note: read this\n--\n",
        "- one\n- two\n",
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        const char *const files[][2] = {SYSTEM_RU, HOME_PAGE, {"pages/02.post/item.md", pages[i]}, {NULL, NULL}};
        char *site = sitefix_make(files);
        diag_list d;
        char *out = build(site, &d, NULL);
        if (d.errors) test_fail(__FILE__, __LINE__, "page %zu: %zu errors", i, d.errors);
        char *post = read_out(out, "ru/post/index.html", NULL);
        CHECK(post != NULL);
        free(post);
        cleanup(site, out, &d);
    }
}

/* A page saved by Notepad as "Unicode" (UTF-16, with or without its
 * byte order mark) or a Word document renamed to .md was published as
 * unreadable text, named a Windows-1251 file and followed by thousands of
 * control-character warnings. It is one error saying what the file is,
 * and the page is not published. */
TEST(utf16_page_or_word_document_is_one_error_and_not_published)
{
    static const struct {
        const char *bytes;
        size_t len;
        const char *message;
    } cases[] = {
        {"\xFF\xFE-\0-\0-\0\n\0t\0i\0t\0l\0e\0:\0 \0X\0\n\0-\0-\0-\0\n\0", 32, "UTF-16 (Notepad's 'Unicode')"},
        {"-\0-\0-\0\n\0t\0i\0t\0l\0e\0:\0 \0X\0\n\0-\0-\0-\0\n\0", 30, "every other byte is zero"},
        {"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0word/document.xml", 32, "a Word document"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const files[][2] = {SYSTEM_RU, HOME_PAGE, {NULL, NULL}};
        char *site = sitefix_make(files);
        char *dir = path_join(site, "pages/02.post"), *file = path_join(dir, "item.md");
        CHECK(mkdir(dir, 0755) == 0 && file_write(file, cases[i].bytes, cases[i].len) == 0);
        diag_list d;
        char *out = build(site, &d, NULL);
        if (!sitefix_has_diag(&d, DIAG_ERROR, "pages/02.post/item.md", 1, cases[i].message))
            test_fail(__FILE__, __LINE__, "case %zu: no error '%s'", i, cases[i].message);
        CHECK_INT(d.errors, 1);
        CHECK(!sitefix_has_diag(&d, DIAG_WARNING, "pages/02.post/item.md", 0, ""));
        char *post = read_out(out, "ru/post/index.html", NULL);
        CHECK(post == NULL);
        free(post);
        CHECK(home_built(out));
        free(dir);
        free(file);
        cleanup(site, out, &d);
    }
}

/* A 20 MB Markdown page is within the 32 MB page limit: it builds whole. */
TEST(markdown_page_of_20_mb_builds_whole)
{
    buf md = BUF_INIT;
    buf_puts(&md, "---\ntitle: Big\n---\n");
    while (md.len < 20u * 1024 * 1024)
        buf_puts(&md, "Paragraph with **bold**, _emphasis_, [a link](https://example.kz/) and `code`.\n\n");
    buf_puts(&md, "LAST-PARAGRAPH-OF-BIG\n");
    char *site = sitefix_make((const char *const[][2]){SYSTEM_RU, HOME_PAGE, {NULL, NULL}});
    write_bytes(site, "pages/02.big/item.md", md.s, md.len);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK_INT(d.errors, 0);
    size_t len = 0;
    char *html = read_out(out, "ru/big/index.html", &len);
    CHECK(html && len > md.len);
    CHECK(html && strstr(html, "LAST-PARAGRAPH-OF-BIG"));
    free(html);
    buf_free(&md);
    cleanup(site, out, &d);
}

/* Past the page size limit (32 MB): an error naming the file, "too large",
 * instead of reading it; the other pages build. (A sparse file: it takes
 * no disk space.) */
TEST(page_file_over_the_size_limit_is_an_error_naming_it)
{
    char *site = sitefix_make((const char *const[][2]){SYSTEM_RU, HOME_PAGE, {"pages/02.huge/item.md", "x"}, {NULL, NULL}});
    char *p = path_join(site, "pages/02.huge/item.md");
    CHECK_INT(truncate(p, 40L * 1024 * 1024), 0);
    free(p);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "pages/02.huge/item.md", 0, "too large"));
    CHECK(home_built(out));
    cleanup(site, out, &d);
}

/* A folder's frontmatter.yaml that is empty is nothing; one of 2 MB is
 * not read, with a warning naming it; the pages build either way, the
 * broken one with its own header. */
TEST(empty_or_huge_frontmatter_yaml_leaves_the_pages_building)
{
    char *site = sitefix_make((const char *const[][2]){SYSTEM_RU, HOME_PAGE,
                                                        {"pages/02.a/item.md", "---\ntitle: Own A\n---\nText.\n"},
                                                        {"pages/02.a/frontmatter.yaml", ""},
                                                        {"pages/03.b/item.md", "---\ntitle: Own B\n---\nText.\n"},
                                                        {NULL, NULL}});
    buf big = BUF_INIT;
    buf_puts(&big, "title: Shared\nk: ");
    for (int i = 0; i < 2100000; i++) buf_putc(&big, 'a');
    write_bytes(site, "pages/03.b/frontmatter.yaml", big.s, big.len);
    buf_free(&big);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK_INT(d.errors, 0);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "pages/03.b/frontmatter.yaml", 0, "not read: over 1 MB"));
    char *a = read_out(out, "ru/a/index.html", NULL), *b = read_out(out, "ru/b/index.html", NULL);
    CHECK(a && strstr(a, "Own A"));
    CHECK(b && strstr(b, "Own B") && !strstr(b, "Shared"));
    free(a);
    free(b);
    cleanup(site, out, &d);
}

/* 50,000 nested blockquotes, list items, emphasis and brackets: md4c and
 * the renderer are not recursive over the nesting, so the page builds and
 * the text inside comes out. */
TEST(markdown_nested_50000_deep_builds)
{
    buf md = BUF_INIT;
    buf_puts(&md, "---\ntitle: Nest\n---\n");
    for (int i = 0; i < 50000; i++) buf_puts(&md, "> ");
    buf_puts(&md, "QUOTE-CORE\n\n");
    for (int i = 0; i < 50000; i++) buf_puts(&md, "- ");
    buf_puts(&md, "LIST-CORE\n\n");
    for (int i = 0; i < 50000; i++) buf_puts(&md, "1. ");
    buf_puts(&md, "ORDERED-CORE\n\n");
    for (int i = 0; i < 50000; i++) buf_puts(&md, "*[");
    buf_puts(&md, "BRACKET-CORE\n\n");
    for (int i = 0; i < 50000; i++) buf_puts(&md, "<div>");
    buf_puts(&md, "\n\nHTML-CORE\n");
    char *site = sitefix_make((const char *const[][2]){SYSTEM_RU, HOME_PAGE, {NULL, NULL}});
    write_bytes(site, "pages/02.nest/item.md", md.s, md.len);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK_INT(d.errors, 0);
    char *html = read_out(out, "ru/nest/index.html", NULL);
    CHECK(html && strstr(html, "QUOTE-CORE") && strstr(html, "LIST-CORE") && strstr(html, "ORDERED-CORE"));
    CHECK(html && strstr(html, "BRACKET-CORE") && strstr(html, "HTML-CORE"));
    free(html);
    buf_free(&md);
    cleanup(site, out, &d);
}

/* Invalid UTF-8 and NUL bytes in the Markdown: the page builds, with an
 * error at the line of the first bad byte; a NUL becomes U+FFFD (as
 * CommonMark says), in text, code, HTML and pages not read as Markdown,
 * and never reaches the output. Invalid UTF-8 in the YAML
 * header is an error at its line. */
TEST(invalid_utf8_and_nul_bytes_build_and_no_nul_reaches_the_output)
{
    static const char body[] = "---\ntitle: Bytes\n---\nA\0B \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80 \xff `c\0d` CODE-END\n\n"
                               "```\nf\0g\n```\n\n<div>h\0i</div>\n\nBYTES-END\n";
    static const char raw[] = "---\ntitle: Raw\nprocess:\n  markdown: false\n---\n<p>j\0k RAW-END</p>\n";
    static const char header[] = "---\ntitle: ok\nbad: \"\xff\xfe\"\n---\nBody\n";
    char *site = sitefix_make((const char *const[][2]){SYSTEM_RU, HOME_PAGE, {NULL, NULL}});
    write_bytes(site, "pages/02.bytes/item.md", body, sizeof body - 1);
    write_bytes(site, "pages/03.header/item.md", header, sizeof header - 1);
    write_bytes(site, "pages/04.raw/item.md", raw, sizeof raw - 1);
    diag_list d;
    char *out = build(site, &d, NULL);
    size_t len = 0;
    char *html = read_out(out, "ru/bytes/index.html", &len);
    CHECK(html != NULL);
    CHECK(html && memchr(html, 0, len) == NULL);
    CHECK(html && strstr(html, "A\xef\xbf\xbd" "B"));
    CHECK(html && strstr(html, "BYTES-END"));
    /* in code and HTML too, where md4c hands it over as it is: the rest
     * of the page is not cut off at it */
    CHECK(html && strstr(html, "<code>c\xef\xbf\xbd" "d</code> CODE-END"));
    CHECK(html && strstr(html, "f\xef\xbf\xbd" "g"));
    CHECK(html && strstr(html, "<div>h\xef\xbf\xbd" "i</div>"));
    free(html);
    html = read_out(out, "ru/raw/index.html", &len); /* a page not read as Markdown */
    CHECK(html && memchr(html, 0, len) == NULL && strstr(html, "<p>j\xef\xbf\xbd" "k RAW-END</p>"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "pages/02.bytes/item.md", 4, "not UTF-8 text"));
    CHECK(!sitefix_has_diag(&d, DIAG_ERROR, "pages/02.bytes/item.md", 0, "YAML"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "pages/03.header/item.md", 3, "UTF-8")); /* the line of the bad bytes */
    CHECK(home_built(out));
    free(html);
    cleanup(site, out, &d);
}

/* A file saved on Windows: BOM and CRLF. The header is read (the title
 * shows) and no '\r' is left in the page's text. */
TEST(bom_and_crlf_file_reads_its_header)
{
    static const char text[] = "\xef\xbb\xbf---\r\ntitle: Windows-Title\r\n---\r\nLine one\r\nLine two\r\n";
    char *site = sitefix_make((const char *const[][2]){SYSTEM_RU, HOME_PAGE, {NULL, NULL}});
    write_bytes(site, "pages/02.win/item.md", text, sizeof text - 1);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK_INT(d.errors, 0);
    char *html = read_out(out, "ru/win/index.html", NULL);
    CHECK(html && strstr(html, "<title>Windows-Title"));
    CHECK(html && strstr(html, "Line one\nLine two"));
    CHECK(html && !strstr(html, "\xef\xbb\xbf"));
    free(html);
    cleanup(site, out, &d);
}

/* ---- the pages tree ------------------------------------------------- */

/* An empty page folder (an editor's new folder, or one caught half
 * removed) and a list page whose collection is empty: both build without
 * error, the list simply lists nothing. */
TEST(empty_page_folder_and_empty_collection_build)
{
    static const char *const files[][2] = {
        SYSTEM_RU, HOME_PAGE, {"pages/02.news/blog.md", "---\ntitle: News\ncontent:\n  items: '@self.children'\n---\nNEWS-LIST\n"},
        {NULL, NULL}};
    char *site = sitefix_make(files);
    char *empty = path_join(site, "pages/03.empty");
    dir_make(empty);
    free(empty);
    diag_list d;
    int rc;
    char *out = build(site, &d, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(d.errors, 0);
    CHECK(tree_contains(out, "NEWS-LIST"));
    CHECK(home_built(out));
    cleanup(site, out, &d);
}


/* A link to its own parent folder would make the tree infinite: links
 * are not followed, a warning names it, the site builds. */
TEST(symlink_loop_in_pages_is_ignored_with_a_warning)
{
    static const char *const files[][2] = {
        SYSTEM_RU, HOME_PAGE, {"pages/02.loop/item.md", "---\ntitle: Loop\n---\nLOOP-PAGE\n"}, {NULL, NULL}};
    char *site = sitefix_make(files);
    char *link = path_join(site, "pages/02.loop/01.again");
    CHECK_INT(symlink("..", link), 0);
    free(link);
    diag_list d;
    int rc;
    char *out = build(site, &d, &rc);
    CHECK_INT(rc, 0);
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "pages/02.loop/01.again", 0, "symbolic link"));
    CHECK(tree_contains(out, "LOOP-PAGE"));
    CHECK(home_built(out));
    cleanup(site, out, &d);
}

/* Links to a file and to a folder outside the site (and a hard-to-spot
 * one through ../..): none is published, each gets a warning. */
TEST(symlinks_pointing_outside_the_site_are_never_published)
{
    static const char *const files[][2] = {
        SYSTEM_RU, HOME_PAGE, {"pages/02.out/item.md", "---\ntitle: Out\n---\n![](secret.txt)\n[doc](outdir/secret.txt)\n"},
        {NULL, NULL}};
    char *site = sitefix_make(files);
    char tmpl[] = "/tmp/folio-outside-XXXXXX";
    char *outside = mkdtemp(tmpl);
    char *secret = path_join(outside, "secret.txt");
    file_write(secret, SECRET, strlen(SECRET));
    char *l1 = path_join(site, "pages/02.out/secret.txt");
    char *l2 = path_join(site, "pages/02.out/outdir");
    char *l3 = path_join(site, "pages/03.outpage");
    CHECK_INT(symlink(secret, l1), 0);
    CHECK_INT(symlink(outside, l2), 0);
    CHECK_INT(symlink(outside, l3), 0);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK(!tree_contains(out, SECRET));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "pages/02.out/secret.txt", 0, "symbolic link"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "pages/02.out/outdir", 0, "symbolic link"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "pages/03.outpage", 0, "symbolic link"));
    CHECK(home_built(out));
    free(l1);
    free(l2);
    free(l3);
    dir_remove_tree(outside);
    free(secret);
    cleanup(site, out, &d);
}

/* Spaces and quotes in folder and file names are fine: the page and its
 * media are published and URLs in attributes are percent-encoded, so a
 * quote never ends an attribute. A name with a newline cannot be written
 * safely into a URL or a _redirects line: it is skipped with a warning. */
TEST(file_names_with_spaces_quotes_and_newlines)
{
    static const char *const files[][2] = {
        SYSTEM_RU,
        HOME_PAGE,
        {"pages/02.a b \"c\" 'd'/item.md", "---\ntitle: Names\n---\n![p](<photo \"x\" 'y'.jpg>)\n"},
        {"pages/02.a b \"c\" 'd'/photo \"x\" 'y'.jpg", "JPEG-BYTES"},
        {"pages/02.a b \"c\" 'd'/new\nline.jpg", "NEWLINE-BYTES"},
        {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK_INT(d.errors, 0);
    char *html = read_out(out, "ru/a b \"c\" 'd'/index.html", NULL);
    CHECK(html && strstr(html, "src=\"/media/a%20b%20%22c%22%20%27d%27/photo%20%22x%22%20%27y%27.jpg\""));
    free(html);
    char *media = read_out(out, "media/a b \"c\" 'd'/photo \"x\" 'y'.jpg", NULL);
    CHECK(media && !strcmp(media, "JPEG-BYTES"));
    free(media);
    CHECK(!tree_contains(out, "NEWLINE-BYTES"));
    CHECK(sitefix_has_diag(&d, DIAG_WARNING, "pages/02.a b \"c\" 'd'", 0, "control characters"));
    cleanup(site, out, &d);
}

/* Links and images that climb out of the page folder ("../secret.txt",
 * "../../../etc/passwd") are not media: they stay links as written and no
 * file from outside the pages is copied into the output. */
TEST(markdown_links_that_climb_out_publish_nothing_from_outside)
{
    static const char *const files[][2] = {
        SYSTEM_RU,
        HOME_PAGE,
        {"secret.txt", SECRET},
        {"pages/secret.txt", SECRET},
        {"pages/02.news/secret.txt", SECRET},
        {"pages/02.news/01.post/item.md",
         "---\ntitle: Climb\n---\n![](../../../etc/passwd) [x](../secret.txt) [y](../../secret.txt)\n"
         "![](../../../../../../../../etc/passwd) [z](..%2F..%2Fsecret.txt) [w](/etc/passwd)\n"},
        {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK(!tree_contains(out, SECRET));
    CHECK(!tree_contains(out, "root:x:0:0"));
    char *html = read_out(out, "ru/news/post/index.html", NULL);
    CHECK(html && strstr(html, "../secret.txt"));
    free(html);
    char *media_dir = path_join(out, "media");
    CHECK(!tree_contains(media_dir, "secret"));
    CHECK(!tree_contains(media_dir, "passwd"));
    free(media_dir);
    cleanup(site, out, &d);
}

/* A page file that cannot be read is an error naming it ("cannot read")
 * and the other pages build. As root permissions do not apply, so the
 * unreadable cases that hold for everyone are tested too: a FIFO where a
 * page or config file belongs must not hang the build (opening a FIFO
 * waits for a writer), and a folder named like a page file is a folder.
 * An unreadable config file is an error too, and then nothing is
 * published. */
TEST(unreadable_files_fifos_and_folders_named_like_files)
{
    static const char *const files[][2] = {SYSTEM_RU,
                                           HOME_PAGE,
                                           {"pages/02.locked/item.md", "---\ntitle: Locked\n---\nLOCKED-TEXT\n"},
                                           {"pages/04.folder/item.md/x.txt", "in a folder"},
                                           {NULL, NULL}};
    char *site = sitefix_make(files);
    char *locked = path_join(site, "pages/02.locked/item.md");
    chmod(locked, 0);
    bool is_root = access(locked, R_OK) == 0;
    char *fifo_page = path_join(site, "pages/03.fifo/item.md");
    char *fifo_dir = path_join(site, "pages/03.fifo");
    dir_make(fifo_dir);
    CHECK_INT(mkfifo(fifo_page, 0644), 0);
    alarm(120); /* a hang fails the test program instead of stalling the suite */
    diag_list d;
    char *out = build(site, &d, NULL);
    alarm(0);
    if (!is_root) {
        CHECK(sitefix_has_diag(&d, DIAG_ERROR, "pages/02.locked/item.md", 0, "cannot read"));
        CHECK(!tree_contains(out, "LOCKED-TEXT"));
    } else {
        CHECK(tree_contains(out, "LOCKED-TEXT")); /* root reads it: built as usual */
    }
    CHECK(home_built(out));
    diag_free(&d);
    dir_remove_tree(out);
    free(out);

    char *fifo_config = path_join(site, "config/site.yaml");
    CHECK_INT(mkfifo(fifo_config, 0644), 0);
    char *fifo_lang = path_join(site, "languages/ru.yaml");
    char *lang_dir = path_join(site, "languages");
    dir_make(lang_dir);
    CHECK_INT(mkfifo(fifo_lang, 0644), 0);
    alarm(120);
    int rc;
    out = build(site, &d, &rc);
    alarm(0);
    CHECK_INT(rc, -1);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "config/site.yaml", 0, ""));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "languages/ru.yaml", 0, ""));
    CHECK(!home_built(out));
    chmod(locked, 0644);
    free(locked);
    free(fifo_page);
    free(fifo_dir);
    free(fifo_config);
    free(fifo_lang);
    free(lang_dir);
    cleanup(site, out, &d);
}

/* Pages nested deeper than 32 folders: an error naming the folder. */
TEST(pages_nested_deeper_than_the_limit_are_an_error)
{
    char *site = sitefix_make((const char *const[][2]){SYSTEM_RU, HOME_PAGE, {NULL, NULL}});
    buf rel = BUF_INIT;
    buf_puts(&rel, "pages");
    for (int i = 0; i < 40; i++) buf_printf(&rel, "/%02d.level", i);
    buf_puts(&rel, "/item.md");
    write_bytes(site, buf_cstr(&rel), "---\ntitle: Deepest\n---\nDEEPEST\n", 31);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, ".level", 0, "deeper"));
    CHECK(home_built(out));
    buf_free(&rel);
    cleanup(site, out, &d);
}

/* Whatever lands in a site's folder (a git commit, say) can hold links:
 * a template or theme file that is a link out of the theme's folder is
 * never read, so it cannot put the server's files into every page; a
 * link that stays inside the folder works as the file it names. */
TEST(theme_files_linking_out_of_the_theme_folder_are_not_read)
{
    static const char *const files[][2] = {
        SYSTEM_RU,
        HOME_PAGE,
        {"themes/folio/templates/partials/own_footer.html.twig", "<footer>OWN-FOOTER</footer>"},
        {"themes/folio/assets/.keep", ""},
        {NULL, NULL}};
    char *site = sitefix_make(files);
    static const char *const outside_files[][2] = {{"secret.txt", "TOP-SECRET-TEXT"}, {NULL, NULL}};
    char *outside = sitefix_make(outside_files);
    char *secret = path_join(outside, "secret.txt");
    char *footer = path_join(site, "themes/folio/templates/partials/footer.html.twig");
    char *header = path_join(site, "themes/folio/templates/partials/header.html.twig");
    char *css = path_join(site, "themes/folio/assets/style.css");
    CHECK(symlink("own_footer.html.twig", footer) == 0); /* inside: used */
    CHECK(symlink(secret, header) == 0);                  /* outside: not read */
    CHECK(symlink(secret, css) == 0);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK(home_built(out));
    char *html = read_out(out, "ru/index.html", NULL);
    CHECK(html && strstr(html, "OWN-FOOTER"));
    CHECK(html && !strstr(html, "TOP-SECRET-TEXT"));
    free(html);
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s/theme/style.*.css", out);
    glob_t g;
    CHECK_INT(glob(pattern, 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *text = file_read(g.gl_pathv[i], NULL, 0);
        CHECK(text && !strstr(text, "TOP-SECRET-TEXT") && strstr(text, "body"));
        free(text);
    }
    globfree(&g);
    free(footer);
    free(header);
    free(css);
    free(secret);
    sitefix_remove(outside);
    cleanup(site, out, &d);
}

/* The same for configuration and translations: a config file that is a
 * link out of user/ is an error naming it and is not read (its text
 * reaches no page and no message), and nothing is published; a link
 * inside user/ is read. */
TEST(config_files_linking_out_of_the_site_are_not_read)
{
    static const char *const files[][2] = {
        {"config/system.yaml", "languages:\n  supported: [ru, en]\n  default_lang: ru\n"},
        {"config/shared/site.ru.yaml", "title: ОБЩИЙ-ЗАГОЛОВОК\n"},
        HOME_PAGE,
        {"pages/01.home/default.en.md", "---\ntitle: Home\n---\nHOME\n"},
        {NULL, NULL}};
    char *site = sitefix_make(files);
    static const char *const outside_files[][2] = {
        {"secret.yaml", "title: TOP-SECRET-TEXT\nREAD_MORE: TOP-SECRET-TEXT\n"}, {NULL, NULL}};
    char *outside = sitefix_make(outside_files);
    char *secret = path_join(outside, "secret.yaml");
    char *site_en = path_join(site, "config/site.en.yaml");
    char *site_ru = path_join(site, "config/site.ru.yaml");
    char *strings = path_join(site, "languages/en.yaml");
    char *langdir = path_join(site, "languages");
    CHECK(dir_make(langdir) == 0);
    CHECK(symlink(secret, site_en) == 0);           /* outside: not read */
    CHECK(symlink(secret, strings) == 0);           /* outside: not read */
    CHECK(symlink("shared/site.ru.yaml", site_ru) == 0); /* inside: read */
    diag_list d;
    int rc;
    char *out = build(site, &d, &rc);
    CHECK_INT(rc, -1);
    CHECK(!home_built(out));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "config/site.en.yaml", 0, "outside the site"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "languages/en.yaml", 0, "outside the site"));
    for (size_t i = 0; i < d.len; i++) CHECK(!strstr(d.items[i].msg, "TOP-SECRET"));
    CHECK(!tree_contains(out, "TOP-SECRET-TEXT"));
    diag_free(&d);
    dir_remove_tree(out);
    free(out);
    CHECK(unlink(site_en) == 0 && unlink(strings) == 0);
    out = build(site, &d, &rc);
    CHECK_INT(rc, 0);
    char *ru = read_out(out, "ru/index.html", NULL);
    CHECK(ru && strstr(ru, "ОБЩИЙ-ЗАГОЛОВОК"));
    free(ru);
    free(site_en);
    free(site_ru);
    free(strings);
    free(langdir);
    free(secret);
    sitefix_remove(outside);
    cleanup(site, out, &d);
}

/* A theme template that includes itself: the engine's depth limit makes
 * it an error naming the template, not a stack overflow; pages using
 * other templates build. */
TEST(template_include_loop_is_an_error_naming_the_template)
{
    static const char *const files[][2] = {
        SYSTEM_RU,
        HOME_PAGE,
        {"themes/folio/templates/item.html.twig", "{% include 'item.html.twig' %}"},
        {"themes/folio/templates/ping.html.twig", "{% include 'pong.html.twig' %}"},
        {"themes/folio/templates/pong.html.twig", "{% macro m(n) %}{{ _self.m(n) }}{% endmacro %}"
                                                  "{% import _self as me %}{{ me.m(1) }}{% include 'ping.html.twig' %}"},
        {"pages/02.post/item.md", "---\ntitle: Post\n---\nPOST\n"},
        {"pages/03.ping/ping.md", "---\ntitle: Ping\n---\nPING\n"},
        {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    char *out = build(site, &d, NULL);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "item.html.twig", 0, "deep"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, ".html.twig", 0, "deep"));
    CHECK(d.errors >= 2);
    CHECK(home_built(out));
    cleanup(site, out, &d);
}

/* Loops inside loops that write nothing are bounded neither by nesting
 * depth nor by output size; the engine's step budget (10 million loop
 * iterations and range items per render) makes them an error naming the
 * template instead of a build that never ends. Twig in a page's content
 * (process.twig) gets the same budget. */
TEST(template_loops_that_never_end_are_an_error)
{
    static const char *const files[][2] = {
        SYSTEM_RU,
        HOME_PAGE,
        {"themes/folio/templates/spin.html.twig",
         "{% set l = 1..5000 %}{% for a in l %}{% for b in l %}{% for c in l %}{% endfor %}{% endfor %}{% endfor %}"},
        {"pages/02.spin/spin.md", "---\ntitle: Spin\n---\nSPIN\n"},
        {"pages/03.twig/item.md", "---\ntitle: Twig\nprocess:\n  twig: true\n---\n"
                                  "{% for a in 1..900000 %}{% for b in 1..900000 %}{% endfor %}{% endfor %}\n"},
        {NULL, NULL}};
    char *site = sitefix_make(files);
    alarm(300); /* a hang fails the test program instead of stalling the suite */
    diag_list d;
    char *out = build(site, &d, NULL);
    alarm(0);
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "spin.html.twig", 0, "loops more than"));
    CHECK(sitefix_has_diag(&d, DIAG_ERROR, "", 0, "loops more than") && d.errors >= 2);
    CHECK(home_built(out));
    cleanup(site, out, &d);
}

/* ---- a page folder removed while the server rebuilds ----------------- */

typedef struct churn {
    const char *site;
    atomic_bool stop;
} churn;

/* Create and remove a page folder over and over, so that rebuilds start
 * while it exists, while it is half gone and after it is gone. */
static void *churn_page_folder(void *arg)
{
    churn *c = arg;
    char *dir = path_join(c->site, "pages/03.flaky");
    char *file = path_join(dir, "item.md");
    char *media = path_join(dir, "photo.jpg");
    while (!atomic_load(&c->stop)) {
        dir_make(dir);
        file_write(file, "---\ntitle: Flaky\n---\nFLAKY\n", 27);
        file_write(media, "JPEG", 4);
        usleep(20000);
        dir_remove_tree(dir);
        usleep(15000);
    }
    free(dir);
    free(file);
    free(media);
    return NULL;
}

/* The server keeps answering the other pages with 200 throughout, and once
 * the folder stays gone the page disappears (404) from the served site. */
TEST(page_folder_removed_while_the_server_rebuilds)
{
    static const char *const files[][2] = {SYSTEM_RU,
                                           HOME_PAGE,
                                           {"pages/02.stable/item.md", "---\ntitle: Stable\n---\nSTABLE-PAGE\n"},
                                           {"pages/03.flaky/item.md", "---\ntitle: Flaky\n---\nFLAKY\n"},
                                           {NULL, NULL}};
    char *site_dir = sitefix_make(files);
    serve_site site = {0};
    site.dir = site_dir;
    site.serve.quiet = true;
    diag_list d;
    diag_init(&d);
    time_t next = 0;
    snapshot *s = serve_site_rebuild(&site, time(NULL), &next, &d);
    CHECK(s != NULL);
    server *srv = s ? server_start(&site.serve, s, &d) : NULL;
    CHECK(srv != NULL);
    if (!srv) {
        diag_free(&d);
        serve_site_free(&site);
        sitefix_remove(site_dir);
        return;
    }
    int port = server_port(srv);
    watch_options wo = {0};
    wo.site_dir = site_dir;
    wo.rebuild = serve_site_rebuild;
    wo.ctx = &site;
    wo.next_change = next;
    wo.messages = fopen("/dev/null", "w");
    watcher *w = watch_start(&wo, srv);
    CHECK(w != NULL);

    churn c = {site_dir, false};
    pthread_t t;
    pthread_create(&t, NULL, churn_page_folder, &c);
    int ok = 0, bad = 0;
    for (int i = 0; i < 100; i++) {
        reply r;
        if (http_get(port, "/ru/stable/", NULL, &r) == 0 && r.status == 200 && strstr(buf_cstr(&r.body), "STABLE-PAGE"))
            ok++;
        else bad++;
        reply_free(&r);
        usleep(20000);
    }
    atomic_store(&c.stop, true);
    pthread_join(t, NULL);
    char *flaky = path_join(site_dir, "pages/03.flaky");
    dir_remove_tree(flaky);
    free(flaky);
    CHECK_INT(bad, 0);
    CHECK_INT(ok, 100);
    /* settled: the removed page is gone within a few seconds */
    int status = 0;
    for (int i = 0; i < 100 && status != 404; i++) {
        reply r;
        if (http_get(port, "/ru/flaky/", NULL, &r) == 0) status = r.status;
        reply_free(&r);
        if (status != 404) usleep(50000);
    }
    CHECK_INT(status, 404);
    watch_stop(w);
    if (wo.messages) fclose(wo.messages);
    server_stop(srv);
    serve_site_free(&site);
    diag_free(&d);
    sitefix_remove(site_dir);
}

/* Text made to make a scanner go back and forth: " style=" a hundred and
 * fifty thousand times inside an unclosed quoted value (the policy's look
 * for inline styles), "](x" three hundred thousand times (the check of
 * link syntax left as text), a [columns] whose closing tag a hundred
 * thousand list items swallowed (the shortcode that takes in the list's
 * ends). Read back and forth, each took minutes; each page builds, and
 * so does the rest of the site. So do a link whose query repeats a key
 * sixty thousand times after a long one (Grav's link attributes) and fifty
 * thousand notices. */
TEST(text_made_to_send_scanners_back_and_forth_builds)
{
    buf style = BUF_INIT, brackets = BUF_INIT, lists = BUF_INIT, query = BUF_INIT, notices = BUF_INIT;
    buf_puts(&query, "---\ntitle: Q\n---\nQUERY-PAGE-BUILT [a](x.pdf?class=");
    for (int i = 0; i < 20000; i++) buf_putc(&query, 'v');
    for (int i = 0; i < 60000; i++) buf_puts(&query, "&class=y");
    buf_puts(&query, "&noprocess=");
    for (int i = 0; i < 50000; i++) buf_puts(&query, "a,");
    buf_puts(&query, ")\n");
    buf_puts(&notices, "---\ntitle: N\n---\nNOTICES-PAGE-BUILT\n\n");
    for (int i = 0; i < 50000; i++) buf_puts(&notices, "! a\nb\n");
    buf_puts(&style, "---\ntitle: S\n---\n<div title=\"");
    for (int i = 0; i < 150000; i++) buf_puts(&style, " style=x");
    buf_puts(&style, "\n\nSTYLE-PAGE-BUILT\n");
    buf_puts(&brackets, "---\ntitle: B\n---\nBRACKETS-PAGE-BUILT ");
    for (int i = 0; i < 300000; i++) buf_puts(&brackets, "](x");
    buf_puts(&brackets, "\n");
    buf_puts(&lists, "---\ntitle: L\n---\nLISTS-PAGE-BUILT\n\n[columns]\n<ul><li>");
    for (int i = 0; i < 100000; i++) buf_puts(&lists, "<li>");
    buf_puts(&lists, "[/columns]");
    for (int i = 0; i < 100000; i++) buf_puts(&lists, "</li>");
    buf_puts(&lists, "</ul>\n");
    const char *const files[][2] = {SYSTEM_RU, HOME_PAGE,
                                    {"pages/02.style/default.md", buf_cstr(&style)},
                                    {"pages/03.brackets/default.md", buf_cstr(&brackets)},
                                    {"pages/04.lists/default.md", buf_cstr(&lists)},
                                    {"pages/05.query/default.md", buf_cstr(&query)},
                                    {"pages/06.notices/default.md", buf_cstr(&notices)},
                                    {NULL, NULL}};
    char *site = sitefix_make(files);
    diag_list d;
    int rc = -1;
    char *out = build(site, &d, &rc);
    CHECK_INT(rc, 0);
    CHECK(home_built(out));
    static const char *const pages[][2] = {
        {"ru/style/index.html", "STYLE-PAGE-BUILT"},
        {"ru/brackets/index.html", "BRACKETS-PAGE-BUILT"},
        {"ru/lists/index.html", "LISTS-PAGE-BUILT"},
        {"ru/query/index.html", "QUERY-PAGE-BUILT"},
        {"ru/notices/index.html", "NOTICES-PAGE-BUILT"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        char *html = read_out(out, pages[i][0], NULL);
        CHECK(html && strstr(html, pages[i][1]));
        free(html);
    }
    /* the quoted " style=x" is no style: the policy stays strict */
    char *headers = read_out(out, "_headers", NULL);
    CHECK(headers && strstr(headers, "style-src 'self';"));
    free(headers);
    buf_free(&style);
    buf_free(&brackets);
    buf_free(&lists);
    buf_free(&query);
    buf_free(&notices);
    cleanup(site, out, &d);
}
