/* photo_build_bench.c - what photos cost a build: cold, and warm against
 * the same site without photos.
 *
 * Usage: photo_build_bench [--folio PATH] [--runs R] [--dir DIR]
 *                          [--posts N] [--photos P]
 *
 * Makes two sites of N posts in three languages with gen_site (default
 * 1,000): "text", as generated, and "photos", the same pages with P photos
 * of 1280 to 2000 px made by image_bench (default 200) added two to a post
 * to the first P/2 posts: the first is the post's header image (the theme
 * shows it above the post and in the news list), the second is placed in
 * the text of every language with `![...](photo.jpg)`. Both sites are kept
 * in DIR and reused.
 *
 * Then it builds the photo site once with an empty image cache (cold: every
 * variant made) and R times with that cache (warm), interleaved with R
 * builds of the text site, every build into an empty output folder, and
 * prints best and median wall time and CPU for each, and the warm build's
 * overhead over the text-only one: the median of the ratios of each pair
 * (the figure to quote: a machine that slows down for a while slows both
 * builds of a pair), and the ratios of the medians and of the best runs. */
#include "bench.h"
#include "lib/buf.h"
#include "lib/files.h"

#include <ftw.h>
#include <glob.h>
#include <stdio.h>

#define MAX_RUNS 100

typedef struct series {
    double wall[MAX_RUNS], cpu[MAX_RUNS];
    int n;
} series;

static long files_seen;

static int min_level;

static int count_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)path, (void)sb;
    files_seen += type == FTW_F && ftw->level >= min_level;
    return 0;
}

/* Files in dir at least `level` folders down (1: anywhere). */
static long count_files(const char *dir, int level)
{
    files_seen = 0;
    min_level = level;
    return nftw(dir, count_file, 32, FTW_PHYS) == 0 ? files_seen : -1;
}

static bool run_quiet(char *const argv[], const char *log)
{
    bench_child st;
    if (!bench_run(argv, NULL, log, &st) || st.exit_status != 0) {
        fprintf(stderr, "photo_build_bench: %s failed (see %s)\n", argv[0], log);
        return false;
    }
    return true;
}

static bool copy_file(const char *from, const char *to)
{
    size_t len;
    char *data = file_read(from, &len, 1 << 26);
    bool ok = data && file_write(to, data, len) == 0;
    free(data);
    return ok;
}

/* The text of a post in one language with a photo placed after its first
 * paragraph block: at the end, so the summary stays the same. */
static bool add_photo_to_text(const char *md_path, const char *photo)
{
    size_t len;
    char *text = file_read(md_path, &len, 1 << 24);
    if (!text) return false;
    buf b = BUF_INIT;
    buf_puts(&b, text);
    buf_printf(&b, "\n\n![A photo from the event](%s)\n", photo);
    bool ok = file_write(md_path, b.s, b.len) == 0;
    buf_free(&b);
    free(text);
    return ok;
}

static bool make_sites(const char *bin_dir, const char *work, long posts, long photos)
{
    buf marker = BUF_INIT, count = BUF_INIT, text = BUF_INIT, site = BUF_INIT, pool = BUF_INIT, log = BUF_INIT,
        gen = BUF_INIT, img = BUF_INIT, pattern = BUF_INIT;
    buf_printf(&marker, "%s/complete-%ld-%ld", work, posts, photos);
    if (path_exists(marker.s)) {
        buf_free(&marker);
        return true;
    }
    buf_printf(&count, "%ld", posts);
    buf_printf(&text, "%s/text/user", work);
    buf_printf(&site, "%s/photos/user", work);
    buf_printf(&pool, "%s/source-photos", work);
    buf_printf(&log, "%s/make.log", work);
    buf_printf(&gen, "%s/gen_site", bin_dir);
    buf_printf(&img, "%s/image_bench", bin_dir);
    char *root = path_join(work, "text");
    dir_remove_tree(root);
    free(root);
    root = path_join(work, "photos");
    dir_remove_tree(root);
    free(root);
    printf("making the sites: %ld posts, %ld photos, in %s ...\n", posts, photos, work);
    buf photo_count = BUF_INIT;
    buf_printf(&photo_count, "%ld", photos);
    char *gen_text[] = {gen.s, count.s, text.s, NULL}, *gen_photos[] = {gen.s, count.s, site.s, NULL},
         *make_photos[] = {img.s, "--keep", pool.s, photo_count.s, NULL};
    bool ok = run_quiet(gen_text, log.s) && run_quiet(gen_photos, log.s) && run_quiet(make_photos, log.s);
    glob_t g = {0};
    buf_printf(&pattern, "%s/pages/02.news/*/", site.s);
    if (ok && (glob(pattern.s, 0, NULL, &g) != 0 || g.gl_pathc < (size_t)(photos + 1) / 2)) {
        fprintf(stderr, "photo_build_bench: fewer posts than photos / 2 in %s\n", site.s);
        ok = false;
    }
    for (long i = 0; ok && i < photos; i++) {
        const char *post = g.gl_pathv[i / 2];
        char name[32];
        snprintf(name, sizeof name, "photo-%03ld.jpg", i);
        char *from = path_join(pool.s, name), *to = path_join(post, name);
        ok = copy_file(from, to);
        free(from);
        free(to);
        if (ok && i % 2 == 1) {
            static const char *const langs[] = {"kk", "ru", "en"};
            for (int l = 0; l < 3 && ok; l++) {
                buf md = BUF_INIT;
                buf_printf(&md, "%sitem.%s.md", post, langs[l]);
                ok = add_photo_to_text(md.s, name);
                buf_free(&md);
            }
        }
    }
    if (g.gl_pathv) globfree(&g);
    if (ok) ok = file_write(marker.s, "", 0) == 0;
    buf *all[] = {&marker, &count, &text, &site, &pool, &log, &gen, &img, &pattern, &photo_count};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) buf_free(all[i]);
    return ok;
}

#define SETTLE_US 200000

static bool build(const char *folio, const char *site, const char *out, const char *cache, const char *log,
                  bench_child *st)
{
    dir_remove_tree(out); /* every build starts from an empty output */
    /* ... on a settled machine: the kernel frees a removed tree's inodes
     * after the unlinks return (RCU), and that work would otherwise land
     * in the build being timed, more of it after the larger photo site. */
    usleep(SETTLE_US);
    char *argv[] = {(char *)folio, "build", (char *)site, "-o", (char *)out, "--cache-dir", (char *)cache, NULL};
    if (!bench_run(argv, NULL, log, st) || st->exit_status != 0) {
        fprintf(stderr, "photo_build_bench: building %s failed (exit %d, see %s)\n", site, st->exit_status, log);
        return false;
    }
    return true;
}

static void add(series *s, const bench_child *st)
{
    s->wall[s->n] = st->wall_seconds;
    s->cpu[s->n++] = st->cpu_seconds;
}

static void print_series(const char *label, series *s, double *best, double *median)
{
    double walls[MAX_RUNS], cpus[MAX_RUNS];
    memcpy(walls, s->wall, sizeof walls);
    memcpy(cpus, s->cpu, sizeof cpus);
    *median = bench_median(walls, (size_t)s->n);
    *best = walls[0];
    double cpu = bench_median(cpus, (size_t)s->n);
    printf("%-22s best %6.3f s  median %6.3f s  median CPU %6.3f s\n", label, *best, *median, cpu);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    char *bin_dir = bench_own_dir();
    char *default_folio = path_join(bin_dir, "../folio");
    const char *folio = default_folio;
    const char *tmp = getenv("TMPDIR");
    buf default_work = BUF_INIT;
    buf_printf(&default_work, "%s/folio-photo-bench", tmp && *tmp ? tmp : "/tmp");
    const char *work = default_work.s;
    long runs = 9, posts = 1000, photos = 200;
    for (int i = 1; i < argc; i++) {
        bool ok = i + 1 < argc;
        if (ok && !strcmp(argv[i], "--folio")) folio = argv[++i];
        else if (ok && !strcmp(argv[i], "--dir")) work = argv[++i];
        else if (ok && !strcmp(argv[i], "--runs")) ok = bench_parse_long(argv[++i], 1, MAX_RUNS, &runs);
        else if (ok && !strcmp(argv[i], "--posts")) ok = bench_parse_long(argv[++i], 1, 1000000, &posts);
        else if (ok && !strcmp(argv[i], "--photos")) ok = bench_parse_long(argv[++i], 2, 10000, &photos);
        else ok = false;
        if (!ok) {
            fprintf(stderr, "usage: photo_build_bench [--folio PATH] [--runs R] [--dir DIR] [--posts N] "
                            "[--photos P]\n");
            return 2;
        }
    }
    if (photos / 2 > posts) {
        fprintf(stderr, "photo_build_bench: --photos may be at most twice --posts\n");
        return 2;
    }
    if (access(folio, X_OK) != 0 || dir_make(work) != 0 || !make_sites(bin_dir, work, posts, photos)) {
        fprintf(stderr, "photo_build_bench: cannot prepare (is %s built? make bench)\n", folio);
        return 1;
    }
    char *text = path_join(work, "text/user"), *site = path_join(work, "photos/user");
    char *out = path_join(work, "out"), *cache = path_join(work, "cache"), *log = path_join(work, "build.log");

    double load[1] = {0};
    getloadavg(load, 1);
    printf("folio build: %s; %ld posts x 3 languages, %ld photos; %ld warm runs; load average %.2f before\n", folio,
           posts, photos, runs, load[0]);

    dir_remove_tree(cache);
    bench_child st;
    if (!build(folio, site, out, cache, log, &st)) return 1;
    buf v1 = BUF_INIT;
    buf_printf(&v1, "%s/v1", cache);
    long variants = count_files(v1.s, 2); /* v1/ab/<hash>-<spec>.<ext> */
    buf_free(&v1);
    printf("%-22s %6.3f s wall, %6.3f s CPU: %ld variants in the cache, %.1f a second\n", "cold (empty cache)",
           st.wall_seconds, st.cpu_seconds, variants, variants / st.wall_seconds);

    /* Each site is built over its own previous output, as a site is:
     * the old output is removed in the background while the next build
     * runs, and the photo site's is the larger. */
    char *text_out = path_join(work, "out-text");
    series warm = {0}, plain = {0};
    if (!build(folio, text, text_out, cache, log, &st)) return 1;
    for (long r = 0; r < runs; r++) {
        if (!build(folio, text, text_out, cache, log, &st)) return 1;
        add(&plain, &st);
        if (!build(folio, site, out, cache, log, &st)) return 1;
        add(&warm, &st);
    }
    long published = count_files(out, 1);
    dir_remove_tree(text_out);
    free(text_out);
    double text_best, text_median, warm_best, warm_median;
    print_series("text only", &plain, &text_best, &text_median);
    print_series("photos, warm cache", &warm, &warm_best, &warm_median);
    /* Each photo build ran right after a text build: the ratio within a
     * pair is what a slow drift of the machine disturbs least. */
    double ratios[MAX_RUNS];
    for (int i = 0; i < warm.n; i++) ratios[i] = warm.wall[i] / plain.wall[i];
    double paired = bench_median(ratios, (size_t)warm.n); /* sorts ratios */
    /* how far the pairs spread: the middle half of them lies between */
    double low = ratios[warm.n / 4], high = ratios[(3 * warm.n) / 4 - (warm.n % 4 == 0)];
    printf("warm overhead over text only: %+.1f%% (median of pairs; middle half of the pairs %+.1f%% to %+.1f%%), "
           "%+.1f%% (medians), %+.1f%% (best runs); %ld files published\n",
           100 * (paired - 1), 100 * (low - 1), 100 * (high - 1), 100 * (warm_median / text_median - 1),
           100 * (warm_best / text_best - 1), published);
    dir_remove_tree(out);
    free(text);
    free(site);
    free(out);
    free(cache);
    free(log);
    free(default_folio);
    free(bin_dir);
    buf_free(&default_work);
    return 0;
}
