/* image_bench.c - how fast folio turns photos into web variants.
 *
 * Makes N photos (default 200) from the seed site's news photos, enlarged
 * to 1280-2000 px wide and each made unique, then times:
 *   cold JPEG      every photo at 480, 960 and 1600 px (never enlarged), JPEG
 *   cold WebP      the same widths in WebP only
 *   cold JPEG+WebP both, as a build with WebP enabled makes them
 *   warm           the JPEG+WebP batch again with a fresh cache object over
 *                  the same directory: every variant is a hit, the cost is
 *                  hashing the sources and looking the files up
 *   warm markup    image_markup_make() for every photo, all hits
 *
 * Usage: image_bench [photos] [threads]   (threads 0 = one per core)
 * The shared test data is found as in the tests: $FOLIO_SHARED or
 * ../shared relative to the current directory.
 *
 * For profilers, which want the same work on every run and no pool:
 *   image_bench --keep DIR [photos]   make the photos in DIR and keep them
 *   image_bench --one-thread DIR      the cold JPEG variants of every
 *                                     .jpg in DIR, on this thread, no cache
 * e.g. valgrind --tool=callgrind build/bench/image_bench --one-thread DIR
 * (an empty DIR gives the cost of starting libvips, to subtract). */
#include <glob.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vips/vips.h>

#include "lib/buf.h"
#include "lib/files.h"
#include "media/cache.h"
#include "media/image.h"
#include "media/markup.h"

/* CPU seconds used by the whole process (all threads). */
static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Photo i: seed photo (i mod count) enlarged to 1280..2000 px wide, with
 * a one-pixel mark so that no two photos share a hash. */
static int make_photo(const char *seed, int i, const char *path)
{
    int width = 1280 + (i * 131) % 721;
    VipsImage *img = NULL, *marked = NULL;
    if (vips_thumbnail(seed, &img, width, "size", VIPS_SIZE_BOTH, NULL) != 0) return -1;
    if (vips_copy(img, &marked, NULL) != 0 || vips_image_wio_input(marked) != 0) return -1;
    double ink[3] = {i & 255, (i >> 8) & 255, 7};
    vips_draw_rect(marked, ink, 3, 0, 0, 1, 1, "fill", TRUE, NULL);
    int rc = vips_jpegsave(marked, path, "Q", 90, NULL);
    g_object_unref(img);
    g_object_unref(marked);
    return rc;
}

/* The specs make_jobs() gives one photo m, JPEG only; returns how many. */
static size_t jpeg_specs(const image_meta *m, image_spec out[3])
{
    static const int widths[] = {480, 960, 1600};
    size_t n = 0;
    for (int w = 0; w < 3; w++) {
        if (w > 0 && widths[w - 1] >= m->width) break;
        out[n++] = (image_spec){.fit = IMAGE_FIT_INSIDE, .width = widths[w], .format = IMAGE_FORMAT_JPEG,
                                .background = -1};
    }
    return n;
}

/* --one-thread: render every photo of dir with image_render_set(). */
static int render_one_thread(const char *dir)
{
    char *pattern = path_join(dir, "*.jpg");
    glob_t g;
    int found = glob(pattern, 0, NULL, &g);
    free(pattern);
    size_t variants = 0, bytes = 0, failed = 0;
    double c0 = cpu_now(), t0 = now();
    for (size_t i = 0; found == 0 && i < g.gl_pathc; i++) {
        size_t len = 0;
        char *data = file_read(g.gl_pathv[i], &len, IMAGE_MAX_SOURCE_BYTES);
        image_meta m;
        if (!data || image_info_buffer(g.gl_pathv[i], data, len, &m, NULL) != 0) {
            free(data);
            failed++;
            continue;
        }
        image_spec specs[3];
        buf outs[3] = {BUF_INIT, BUF_INIT, BUF_INIT};
        size_t n = jpeg_specs(&m, specs);
        failed += image_render_set(g.gl_pathv[i], data, len, specs, n, outs, NULL);
        for (size_t k = 0; k < n; k++) {
            bytes += outs[k].len;
            buf_free(&outs[k]);
        }
        variants += n;
        free(data);
    }
    double cpu = cpu_now() - c0, t = now() - t0;
    printf("one thread: %zu photos, %zu variants (%zu failed), %.1f KB each, in %.3f s; %.1f ms CPU each\n",
           found == 0 ? g.gl_pathc : 0, variants, failed, variants ? bytes / 1024.0 / variants : 0, t,
           variants ? cpu * 1000 / variants : 0);
    if (found == 0) globfree(&g);
    return failed ? 1 : 0;
}

static size_t make_jobs(image_job *jobs, char **photos, int n, bool jpeg, bool webp)
{
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        image_meta m;
        if (image_info(photos[i], &m, NULL) != 0) continue;
        image_spec specs[3];
        size_t nspecs = jpeg_specs(&m, specs); /* never enlarged: one full-size copy at most */
        for (size_t w = 0; w < nspecs; w++) {
            image_spec s = specs[w];
            if (jpeg) jobs[k++] = (image_job){photos[i], s, NULL, NULL};
            if (webp) {
                s.format = IMAGE_FORMAT_WEBP;
                jobs[k++] = (image_job){photos[i], s, NULL, NULL};
            }
        }
    }
    return k;
}

static void free_jobs(image_job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) free(jobs[i].cache_path);
}

static double run(const char *label, const char *cache_dir, int threads, image_job *jobs, size_t n)
{
    image_cache *c = image_cache_open(cache_dir, threads, NULL);
    if (!c) exit(1);
    double t0 = now(), c0 = cpu_now();
    size_t failed = image_cache_produce(c, jobs, n, NULL);
    double t = now() - t0, cpu = cpu_now() - c0;
    image_cache_stats st;
    image_cache_get_stats(c, &st);
    /* CPU time tells what the machine would do unshared: on a busy host
     * the wall clock mostly measures the neighbours. */
    printf("%-16s %5zu variants (%zu rendered, %zu cached, %zu failed) in %7.3f s = %8.1f variants/s; "
           "%.1f ms CPU each = %.1f variants/s per idle core\n",
           label, n, st.rendered, st.hits, failed, t, n / t, cpu * 1000 / n, n / cpu);
    image_cache_close(c);
    free_jobs(jobs, n);
    return t;
}

int main(int argc, char **argv)
{
    bool is_keep = argc > 2 && strcmp(argv[1], "--keep") == 0;
    if (images_init() != 0) return 1;
    if (argc > 2 && strcmp(argv[1], "--one-thread") == 0) return render_one_thread(argv[2]);
    int count = is_keep ? (argc > 3 ? atoi(argv[3]) : 200) : argc > 1 ? atoi(argv[1]) : 200;
    int threads = !is_keep && argc > 2 ? atoi(argv[2]) : 0;
    if (count < 1) count = 1;
    if (threads <= 0) threads = (int)sysconf(_SC_NPROCESSORS_ONLN);

    const char *shared = getenv("FOLIO_SHARED");
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/seed-site/user/pages/02.news/*/*.jpg", shared ? shared : "../shared");
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
        fprintf(stderr, "image_bench: no seed photos at %s (set FOLIO_SHARED)\n", pattern);
        return 1;
    }
    const char *tmp = getenv("TMPDIR");
    char work[512];
    snprintf(work, sizeof work, "%s/folio-image-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (is_keep) snprintf(work, sizeof work, "%s", argv[2]);
    if (is_keep ? dir_make(work) != 0 : !mkdtemp(work)) return 1;

    char **photos = calloc((size_t)count, sizeof *photos);
    double t0 = now();
    size_t bytes = 0;
    for (int i = 0; i < count; i++) {
        buf p = BUF_INIT;
        buf_printf(&p, "%s/photo-%03d.jpg", work, i);
        photos[i] = buf_detach(&p, NULL);
        if (make_photo(g.gl_pathv[(size_t)i % g.gl_pathc], i, photos[i]) != 0) {
            fprintf(stderr, "image_bench: cannot make %s\n", photos[i]);
            return 1;
        }
        size_t len = 0;
        free(file_read(photos[i], &len, 1 << 26));
        bytes += len;
    }
    globfree(&g);
    printf("image_bench: %d photos 1280-2000 px wide (%.0f KB on average) made in %.1f s; %d worker threads\n", count,
           bytes / 1024.0 / count, now() - t0, threads);
    if (is_keep) {
        for (int i = 0; i < count; i++) free(photos[i]);
        free(photos);
        images_shutdown();
        return 0;
    }

    image_job *jobs = calloc((size_t)count * 6, sizeof *jobs);
    char *cache_jpeg = path_join(work, "cache-jpeg"), *cache_webp = path_join(work, "cache-webp"),
         *cache_both = path_join(work, "cache-both");
    size_t n = make_jobs(jobs, photos, count, true, false);
    double t_jpeg = run("cold JPEG", cache_jpeg, threads, jobs, n);
    size_t n_jpeg = n;
    n = make_jobs(jobs, photos, count, false, true);
    run("cold WebP", cache_webp, threads, jobs, n);
    n = make_jobs(jobs, photos, count, true, true);
    double t_cold = run("cold JPEG+WebP", cache_both, threads, jobs, n);
    n = make_jobs(jobs, photos, count, true, true);
    double t_warm = run("warm JPEG+WebP", cache_both, threads, jobs, n);
    printf("warm overhead    %.2f ms per photo, %.1f%% of the cold JPEG+WebP run\n", t_warm * 1000 / count,
           100 * t_warm / t_cold);

    image_cache *c = image_cache_open(cache_both, threads, NULL);
    t0 = now();
    size_t files = 0;
    for (int i = 0; i < count; i++) {
        image_markup_request r = {.source_path = photos[i], .base_url = "/news/", .alt = "photo", .want_webp = true};
        image_markup m;
        if (image_markup_make(c, &r, &m, NULL) == 0) files += m.nfiles;
        image_markup_free(&m);
    }
    double t_markup = now() - t0;
    image_cache_stats st;
    image_cache_get_stats(c, &st);
    printf("warm markup      %d photos, %zu files, %zu rendered, in %.3f s = %.2f ms per photo\n", count, files,
           st.rendered, t_markup, t_markup * 1000 / count);
    image_cache_close(c);
    printf("goal: cold JPEG >= 120 variants/s on 2 cores: %.1f variants/s with %d threads\n", n_jpeg / t_jpeg,
           threads);

    dir_remove_tree(work);
    for (int i = 0; i < count; i++) free(photos[i]);
    free(photos);
    free(jobs);
    free(cache_jpeg);
    free(cache_webp);
    free(cache_both);
    images_shutdown();
    return 0;
}
