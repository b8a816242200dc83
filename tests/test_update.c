/* test_update.c - incremental live rebuilds: a body edit re-renders only
 * what depends on it, and what it writes is what a full build writes. */
#include "build/update.h"
#include "media/image.h"
#include "serve/snapshot.h"
#include "sitefix.h"
#include "test.h"

#include <time.h>
#include <vips/vips.h>

#define NOW 1767225600 /* 2026-01-01: every post below is in the past */
#define BASE "https://example.kz"

static const char *const blog_site[][2] = {
    SITEFIX_SYSTEM_KK_RU_EN,
    {"config/site.yaml", "title: Центр\n"},
    {"pages/01.home/default.ru.md", "---\ntitle: Главная\n---\nДобро пожаловать.\n"},
    {"pages/02.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n  order:\n    by: date\n"
                                 "    dir: desc\n  limit: 2\n  pagination: true\n---\n"},
    {"pages/02.news/01.a/item.ru.md",
     "---\ntitle: Первая\ndate: '2025-01-01'\ntaxonomy:\n  category: [events]\n---\nСводка A.\n\n===\n\nТело A.\n"},
    {"pages/02.news/01.a/item.en.md", "---\ntitle: First\ndate: '2025-01-01'\n---\nSummary A.\n"},
    {"pages/02.news/02.b/item.ru.md", "---\ntitle: Вторая\ndate: '2025-02-01'\n---\nСводка B.\n\n===\n\nТело B.\n"},
    {"pages/02.news/03.c/item.ru.md", "---\ntitle: Третья\ndate: '2025-03-01'\n---\nСводка C.\n"},
    {"pages/02.news/04.d/item.ru.md", "---\ntitle: Четвёртая\ndate: '2025-04-01'\n---\nСводка D [ссылка](/news/c).\n"},
    {"pages/02.news/05.e/item.ru.md", "---\ntitle: Пятая\ndate: '2025-05-01'\n---\nСводка E.\n"},
    {NULL, NULL}};

typedef struct built {
    char *dir;
    snapshot *snap;
    build_state *state;
} built;

static build_options options(const char *dir)
{
    build_options bo = {0};
    bo.site_dir = dir;
    bo.base_url = BASE;
    bo.now = NOW;
    bo.threads = 2;
    return bo;
}

static bool build_kept_site(built *b, const char *const files[][2])
{
    memset(b, 0, sizeof *b);
    b->dir = sitefix_make(files);
    b->snap = snapshot_new(NULL);
    diag_list d;
    diag_init(&d);
    build_options bo = options(b->dir);
    int rc = build_site_keep(&bo, snapshot_output(b->snap), &d, NULL, &b->state);
    if (d.errors) diag_print_all(stderr, &d);
    bool ok = rc == 0 && d.errors == 0 && b->state;
    diag_free(&d);
    return ok;
}

static bool build_kept(built *b) { return build_kept_site(b, blog_site); }

static void built_free(built *b)
{
    build_state_free(b->state);
    snapshot_unref(b->snap);
    sitefix_remove(b->dir);
}

static char *page_path(const built *b, const char *rel)
{
    return path_join(b->dir, rel);
}

static void edit(const built *b, const char *rel, const char *text)
{
    char *p = page_path(b, rel);
    file_write(p, text, strlen(text));
    free(p);
}

/* The update of rel's change into a snapshot derived from b's; NULL when
 * build_update wanted a full build. */
static snapshot *update_one(built *b, const char *rel, int *outcome)
{
    char *p = page_path(b, rel);
    const char *paths[] = {p};
    snapshot *s = snapshot_derive(b->snap);
    diag_list d;
    diag_init(&d);
    *outcome = build_update(b->state, paths, 1, snapshot_output(s), &d);
    diag_free(&d);
    free(p);
    if (*outcome != UPDATE_DONE) {
        snapshot_unref(s);
        return NULL;
    }
    return s;
}

static snapshot *full_build(const built *b)
{
    snapshot *s = snapshot_new(NULL);
    diag_list d;
    diag_init(&d);
    build_options bo = options(b->dir);
    build_site(&bo, snapshot_output(s), &d, NULL);
    diag_free(&d);
    return s;
}

static char *body_of(const snapshot *s, const char *key)
{
    const resource *r = snapshot_find(s, key, strlen(key));
    return r ? resource_inflate(r) : NULL;
}

/* Every resource of want is in got with the same bytes, and no more. */
static bool same_site(const snapshot *got, const snapshot *want)
{
    bool same = snapshot_count(got) == snapshot_count(want);
    if (!same) fprintf(stderr, "  %zu files, a full build has %zu\n", snapshot_count(got), snapshot_count(want));
    size_t pos = 0;
    for (const resource *w; (w = snapshot_next(want, &pos));) {
        const resource *g = snapshot_find(got, w->path, strlen(w->path));
        if (!g) {
            fprintf(stderr, "  missing %s\n", w->path);
            same = false;
            continue;
        }
        if (w->redirect_status || g->redirect_status) {
            if (w->redirect_status != g->redirect_status || strcmp(w->location, g->location)) same = false;
            continue;
        }
        char *a = resource_inflate(g), *b = resource_inflate(w);
        bool eq = a && b && g->len[ENCODING_IDENTITY] == w->len[ENCODING_IDENTITY] &&
                  !memcmp(a, b, w->len[ENCODING_IDENTITY]) && !strcmp(g->etag, w->etag);
        if (!eq) fprintf(stderr, "  differs: %s\n", w->path);
        same &= eq;
        free(a);
        free(b);
    }
    return same;
}

TEST(body_edit_gives_byte_for_byte_what_a_full_build_gives)
{
    built b;
    CHECK(build_kept(&b));
    /* b is the 4th newest: on the list's second page */
    edit(&b, "pages/02.news/02.b/item.ru.md",
         "---\ntitle: Вторая\ndate: '2025-02-01'\n---\nНовая сводка B.\n\n===\n\nНовое тело B.\n");
    int outcome;
    snapshot *inc = update_one(&b, "pages/02.news/02.b/item.ru.md", &outcome);
    CHECK_INT(outcome, UPDATE_DONE);
    snapshot *full = full_build(&b);
    CHECK(inc && same_site(inc, full));
    char *page = inc ? body_of(inc, "ru/news/b/index.html") : NULL;
    CHECK(page && strstr(page, "Новое тело B"));
    free(page);
    char *list2 = inc ? body_of(inc, "ru/news/page/2/index.html") : NULL;
    CHECK(list2 && strstr(list2, "Новая сводка B"));
    free(list2);
    char *feed = inc ? body_of(inc, "ru/news/feed.rss") : NULL;
    CHECK(feed && strstr(feed, "Новая сводка B"));
    free(feed);
    snapshot_unref(inc);
    snapshot_unref(full);
    built_free(&b);
}

TEST(untouched_files_are_shared_with_the_old_snapshot_not_copied)
{
    built b;
    CHECK(build_kept(&b));
    edit(&b, "pages/02.news/05.e/item.ru.md", "---\ntitle: Пятая\ndate: '2025-05-01'\n---\nДругая сводка E.\n");
    int outcome;
    snapshot *inc = update_one(&b, "pages/02.news/05.e/item.ru.md", &outcome);
    CHECK(inc != NULL);
    if (inc) {
        const char *kept = "ru/news/c/index.html", *redone = "ru/news/e/index.html";
        CHECK(snapshot_find(inc, kept, strlen(kept)) == snapshot_find(b.snap, kept, strlen(kept)));
        CHECK(snapshot_find(inc, redone, strlen(redone)) != snapshot_find(b.snap, redone, strlen(redone)));
        /* the old snapshot goes away; the shared files stay readable */
        snapshot_unref(b.snap);
        b.snap = inc;
        char *c = body_of(inc, kept);
        CHECK(c && strstr(c, "Сводка C"));
        free(c);
    }
    built_free(&b);
}

TEST(successive_edits_stay_identical_to_a_full_build)
{
    built b;
    CHECK(build_kept(&b));
    const char *rel = "pages/02.news/03.c/item.ru.md";
    for (int round = 0; round < 3; round++) {
        char text[256];
        snprintf(text, sizeof text, "---\ntitle: Третья\ndate: '2025-03-01'\n---\nПравка номер %d.\n", round);
        edit(&b, rel, text);
        int outcome;
        snapshot *inc = update_one(&b, rel, &outcome);
        CHECK(inc != NULL);
        if (!inc) break;
        snapshot_unref(b.snap);
        b.snap = inc;
    }
    snapshot *full = full_build(&b);
    CHECK(same_site(b.snap, full));
    snapshot_unref(full);
    built_free(&b);
}

TEST(front_matter_changes_need_a_full_build)
{
    built b;
    CHECK(build_kept(&b));
    int outcome;
    edit(&b, "pages/02.news/03.c/item.ru.md", "---\ntitle: Новый заголовок\ndate: '2025-03-01'\n---\nСводка C.\n");
    CHECK(update_one(&b, "pages/02.news/03.c/item.ru.md", &outcome) == NULL);
    CHECK_INT(outcome, UPDATE_NEEDS_FULL_BUILD);
    edit(&b, "pages/02.news/03.c/item.ru.md", "---\ntitle: Третья\ndate: '2024-03-01'\n---\nСводка C.\n");
    CHECK(update_one(&b, "pages/02.news/03.c/item.ru.md", &outcome) == NULL);
    built_free(&b);
}

/* With Grav's page-inject plugin any page may show a post's content: a
 * post's edit is a full build. */
TEST(with_page_inject_an_edit_needs_a_full_build)
{
    static const char *const files[][2] = {
        SITEFIX_SYSTEM_KK_RU_EN,
        {"config/site.yaml", "title: Центр\n"},
        {"plugins/page-inject/page-inject.yaml", "enabled: true\n"},
        {"pages/01.home/default.ru.md", "---\ntitle: Главная\n---\n[plugin:content-inject](/news/c)\n"},
        {"pages/02.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n---\n"},
        {"pages/02.news/03.c/item.ru.md", "---\ntitle: Третья\ndate: '2025-03-01'\n---\nСводка C.\n"},
        {NULL, NULL}};
    built b;
    CHECK(build_kept_site(&b, files));
    char *home = b.snap ? body_of(b.snap, "ru/home/index.html") : NULL;
    if (!home) home = b.snap ? body_of(b.snap, "ru/index.html") : NULL;
    CHECK(home && strstr(home, "Сводка C."));
    free(home);
    int outcome;
    edit(&b, "pages/02.news/03.c/item.ru.md", "---\ntitle: Третья\ndate: '2025-03-01'\n---\nНовая сводка C.\n");
    CHECK(update_one(&b, "pages/02.news/03.c/item.ru.md", &outcome) == NULL);
    CHECK_INT(outcome, UPDATE_NEEDS_FULL_BUILD);
    built_free(&b);
}

/* A post that comes to show a theme's picture by its address: the full
 * build publishes the file. */
TEST(an_edit_showing_a_user_folder_file_needs_a_full_build)
{
    built b;
    CHECK(build_kept(&b));
    int outcome;
    edit(&b, "pages/02.news/02.b/item.ru.md",
         "---\ntitle: Вторая\ndate: '2025-02-01'\n---\nСводка B.\n\n===\n\n<img src=\"/user/themes/c/map.svg\" alt=\"\">\n");
    CHECK(update_one(&b, "pages/02.news/02.b/item.ru.md", &outcome) == NULL);
    CHECK_INT(outcome, UPDATE_NEEDS_FULL_BUILD);
    built_free(&b);
}

TEST(new_files_lists_and_config_need_a_full_build)
{
    built b;
    CHECK(build_kept(&b));
    int outcome;
    edit(&b, "pages/02.news/03.c/item.en.md", "---\ntitle: Third\ndate: '2025-03-01'\n---\nNew.\n");
    CHECK(update_one(&b, "pages/02.news/03.c/item.en.md", &outcome) == NULL);
    edit(&b, "pages/02.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n  order:\n"
                                         "    by: date\n    dir: desc\n  limit: 2\n  pagination: true\n---\nВступление.\n");
    CHECK(update_one(&b, "pages/02.news/blog.ru.md", &outcome) == NULL);
    edit(&b, "config/site.yaml", "title: Другой\n");
    CHECK(update_one(&b, "config/site.yaml", &outcome) == NULL);
    built_free(&b);
}

TEST(a_vanished_temporary_file_is_not_a_change)
{
    built b;
    CHECK(build_kept(&b));
    char *tmp = page_path(&b, "pages/02.news/03.c/item.ru.md.tmp");
    char *real = page_path(&b, "pages/02.news/03.c/item.ru.md");
    const char *paths[] = {tmp, real};
    edit(&b, "pages/02.news/03.c/item.ru.md", "---\ntitle: Третья\ndate: '2025-03-01'\n---\nСохранено редактором.\n");
    snapshot *s = snapshot_derive(b.snap);
    diag_list d;
    diag_init(&d);
    CHECK_INT(build_update(b.state, paths, 2, snapshot_output(s), &d), UPDATE_DONE);
    char *page = body_of(s, "ru/news/c/index.html");
    CHECK(page && strstr(page, "Сохранено редактором"));
    free(page);
    diag_free(&d);
    snapshot_unref(s);
    free(tmp);
    free(real);
    built_free(&b);
}

TEST(an_edit_with_an_error_changes_nothing_and_asks_for_a_full_build)
{
    built b;
    CHECK(build_kept(&b));
    const char *rel = "pages/02.news/04.d/item.ru.md";
    edit(&b, rel, "---\ntitle: Четвёртая\ndate: '2025-04-01'\n---\nСводка D [ссылка](/news/nowhere).\n");
    int outcome;
    CHECK(update_one(&b, rel, &outcome) == NULL);
    CHECK_INT(outcome, UPDATE_NEEDS_FULL_BUILD);
    /* the state still matches the site being served: putting the old text
     * back and editing something else gives what a full build gives */
    edit(&b, rel, "---\ntitle: Четвёртая\ndate: '2025-04-01'\n---\nСводка D [ссылка](/news/c).\n");
    edit(&b, "pages/02.news/05.e/item.ru.md", "---\ntitle: Пятая\ndate: '2025-05-01'\n---\nЕщё E.\n");
    snapshot *inc = update_one(&b, "pages/02.news/05.e/item.ru.md", &outcome);
    snapshot *full = full_build(&b);
    CHECK(inc && same_site(inc, full));
    snapshot_unref(inc);
    snapshot_unref(full);
    built_free(&b);
}

TEST(edit_of_a_post_too_old_for_the_feeds_matches_a_full_build)
{
    /* 25 posts: the oldest is on the list's last page and not in the feeds (20 newest) */
    static char texts[25][160], names[25][64];
    const char *files[32][2] = {SITEFIX_SYSTEM_KK_RU_EN,
                                {"pages/02.news/blog.ru.md", "---\ntitle: Новости\ncontent:\n  items: '@self.children'\n"
                                                             "  order:\n    by: date\n    dir: desc\n  limit: 10\n"
                                                             "  pagination: true\n---\n"}};
    size_t n = 2;
    for (int i = 0; i < 25; i++) {
        snprintf(names[i], sizeof names[i], "pages/02.news/%02d.p%d/item.ru.md", i + 1, i);
        snprintf(texts[i], sizeof texts[i], "---\ntitle: Пост %d\ndate: '2024-01-%02d'\n---\nТекст %d.\n", i, i + 1, i);
        files[n][0] = names[i];
        files[n++][1] = texts[i];
    }
    files[n][0] = files[n][1] = NULL;
    built b;
    memset(&b, 0, sizeof b);
    b.dir = sitefix_make((const char *const(*)[2])files);
    b.snap = snapshot_new(NULL);
    diag_list d;
    diag_init(&d);
    build_options bo = options(b.dir);
    CHECK_INT(build_site_keep(&bo, snapshot_output(b.snap), &d, NULL, &b.state), 0);
    diag_free(&d);
    for (int which = 0; which < 25; which += 24) { /* the oldest, then the newest */
        edit(&b, names[which] , which ? "---\ntitle: Пост 24\ndate: '2024-01-25'\n---\nНовое 24.\n"
                                      : "---\ntitle: Пост 0\ndate: '2024-01-01'\n---\nНовое 0.\n");
        int outcome;
        snapshot *inc = update_one(&b, names[which], &outcome);
        CHECK_INT(outcome, UPDATE_DONE);
        snapshot *full = full_build(&b);
        CHECK(inc && same_site(inc, full));
        snapshot_unref(full);
        if (!inc) break;
        snapshot_unref(b.snap);
        b.snap = inc;
    }
    char *last = body_of(b.snap, "ru/news/page/3/index.html");
    CHECK(last && strstr(last, "Новое 0"));
    free(last);
    char *feed = body_of(b.snap, "ru/news/feed.atom");
    CHECK(feed && strstr(feed, "Новое 24") && !strstr(feed, "Новое 0"));
    free(feed);
    built_free(&b);
}

/* A small JPEG made with libvips. */
static bool write_photo(const char *path)
{
    VipsImage *black = NULL, *grey = NULL;
    void *data = NULL;
    size_t len = 0;
    bool ok = vips_black(&black, 320, 200, "bands", 3, NULL) == 0 &&
              vips_linear1(black, &grey, 1.0, 120.0, "uchar", TRUE, NULL) == 0 &&
              vips_jpegsave_buffer(grey, &data, &len, "Q", 80, NULL) == 0;
    if (ok) ok = file_write(path, data, len) == 0;
    g_free(data);
    if (grey) g_object_unref(grey);
    if (black) g_object_unref(black);
    return ok;
}

TEST(body_edit_with_a_new_photo_variant_matches_a_full_build)
{
    CHECK_INT(images_init(), 0);
    built b;
    memset(&b, 0, sizeof b);
    b.dir = sitefix_make(blog_site);
    char *photo = page_path(&b, "pages/02.news/03.c/photo.jpg");
    CHECK(write_photo(photo));
    free(photo);
    edit(&b, "pages/02.news/03.c/item.ru.md", "---\ntitle: Третья\ndate: '2025-03-01'\n---\n![Фото](photo.jpg)\n");
    char *cache = page_path(&b, "variant-cache");
    build_options bo = options(b.dir);
    bo.cache_dir = cache;
    b.snap = snapshot_new(NULL);
    diag_list d;
    diag_init(&d);
    CHECK_INT(build_site_keep(&bo, snapshot_output(b.snap), &d, NULL, &b.state), 0);
    /* a size the page did not use before: new variants to publish */
    edit(&b, "pages/02.news/03.c/item.ru.md",
         "---\ntitle: Третья\ndate: '2025-03-01'\n---\n![Фото](photo.jpg?cropZoom=100,100)\n");
    char *p = page_path(&b, "pages/02.news/03.c/item.ru.md");
    const char *paths[] = {p};
    snapshot *inc = snapshot_derive(b.snap);
    CHECK_INT(build_update(b.state, paths, 1, snapshot_output(inc), &d), UPDATE_DONE);
    snapshot *full = snapshot_new(NULL);
    build_site(&bo, snapshot_output(full), &d, NULL);
    /* the old variants stay published too (shared, unused); the full build
     * has exactly the ones in use, and each of them is in inc */
    size_t pos = 0, variants = 0;
    for (const resource *w; (w = snapshot_next(full, &pos));) {
        const resource *g = snapshot_find(inc, w->path, strlen(w->path));
        CHECK(g != NULL);
        if (g && !w->redirect_status) {
            CHECK_STR(g->etag, w->etag);
            variants += strstr(w->path, "photo") != NULL;
        }
    }
    CHECK(variants > 1);
    diag_free(&d);
    free(p);
    free(cache);
    snapshot_unref(inc);
    snapshot_unref(full);
    built_free(&b);
}

/* A post with a taxonomy is also on its list's filter page
 * (/ru/news/category:events/), which only a full build makes. */
TEST(an_edit_of_a_post_with_a_taxonomy_needs_a_full_build)
{
    built b;
    CHECK(build_kept(&b));
    edit(&b, "pages/02.news/01.a/item.ru.md",
         "---\ntitle: Первая\ndate: '2025-01-01'\ntaxonomy:\n  category: [events]\n---\nНовая сводка A.\n\n===\n\nТело A.\n");
    int outcome;
    CHECK(update_one(&b, "pages/02.news/01.a/item.ru.md", &outcome) == NULL);
    CHECK_INT(outcome, UPDATE_NEEDS_FULL_BUILD);
    snapshot *full = full_build(&b);
    static const char key[] = "ru/news/category:events/index.html";
    const resource *r = snapshot_find(full, key, sizeof key - 1);
    CHECK(r != NULL);
    snapshot_unref(full);
    built_free(&b);
}

TEST(a_site_with_its_own_templates_always_needs_a_full_build)
{
    built b;
    CHECK(build_kept(&b));
    char *own = page_path(&b, "themes/folio/templates");
    CHECK_INT(dir_make(own), 0);
    free(own);
    edit(&b, "pages/02.news/03.c/item.ru.md", "---\ntitle: Третья\ndate: '2025-03-01'\n---\nДругой текст.\n");
    int outcome;
    CHECK(update_one(&b, "pages/02.news/03.c/item.ru.md", &outcome) == NULL);
    CHECK_INT(outcome, UPDATE_NEEDS_FULL_BUILD);
    built_free(&b);
}

static atomic_int freed_marks;
static void count_freed(void *mark)
{
    (void)mark;
    atomic_fetch_add(&freed_marks, 1);
}

TEST(replaced_files_are_freed_with_the_old_snapshot_shared_ones_are_not)
{
    built b;
    CHECK(build_kept(&b));
    snapshot_set_cache_free(b.snap, count_freed);
    static int mark;
    const char *keys[] = {"ru/news/c/index.html", "ru/news/e/index.html"};
    for (int i = 0; i < 2; i++) {
        resource *r = (resource *)snapshot_find(b.snap, keys[i], strlen(keys[i]));
        CHECK(r != NULL);
        if (r) atomic_store(&r->cache[ENCODING_IDENTITY], (void *)&mark);
    }
    edit(&b, "pages/02.news/05.e/item.ru.md", "---\ntitle: Пятая\ndate: '2025-05-01'\n---\nЗамена E.\n");
    int outcome;
    snapshot *inc = update_one(&b, "pages/02.news/05.e/item.ru.md", &outcome);
    CHECK(inc != NULL);
    atomic_store(&freed_marks, 0);
    if (inc) snapshot_reuse_from(inc, NULL); /* published: it lets go of the old one */
    snapshot_unref(b.snap);
    /* e's old page went with the old snapshot; c's page lives on in inc */
    CHECK_INT(atomic_load(&freed_marks), 1);
    b.snap = inc;
    snapshot_unref(b.snap);
    b.snap = NULL;
    CHECK_INT(atomic_load(&freed_marks), 2);
    built_free(&b);
}
