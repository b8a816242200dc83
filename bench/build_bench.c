/* build_bench.c - times `folio build` on generated sites of growing size.
 *
 * Usage: build_bench [--folio PATH] [--runs R] [--dir DIR] N...
 *
 * For each N it makes a site of N news posts in three languages with
 * gen_site (kept in DIR and reused by later runs), runs
 * `folio build SITE -o OUT` R times as a child process and prints, per N,
 * the pages written, best and median wall time, CPU time and utilisation
 * (above 100% means more than one core worked), peak resident memory and
 * pages per second, and then how time and memory per post changed from the
 * previous N: ratios near 1 mean the build grows linearly. Figures come
 * from the kernel (wait4's rusage) so they cover the whole build process,
 * not just the part a profiler sees. */
#include "bench.h"
#include "lib/buf.h"
#include "lib/files.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIZES 32
#define MAX_RUNS 100
#define MAX_POSTS 1000000

typedef bench_child run_stats;

typedef struct size_result {
    long posts;
    long pages;
    double best_wall, median_wall, best_cpu;
    long peak_rss_kb;
    bool ok;
} size_result;

/* Run argv[0] with stdout discarded and stderr into log_path. */
static bool run_program(char *const argv[], const char *log_path, run_stats *st)
{
    if (bench_run(argv, NULL, log_path, st)) return true;
    fprintf(stderr, "build_bench: cannot run %s: %s\n", argv[0], strerror(errno));
    return false;
}

static void print_log_tail(const char *log_path)
{
    size_t len = 0;
    char *text = file_read(log_path, &len, 1 << 20);
    if (!text)
        return;
    const char *tail = len > 2000 ? text + len - 2000 : text;
    fprintf(stderr, "--- last lines of %s ---\n%s\n", log_path, tail);
    free(text);
}

static long html_files_seen;

static int count_html(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    size_t n = strlen(path);
    if (type == FTW_F && n > 5 && !strcmp(path + n - 5, ".html"))
        html_files_seen++;
    return 0;
}

/* HTML pages the build wrote (its own count is not part of its output). */
static long count_html_files(const char *dir)
{
    html_files_seen = 0;
    if (nftw(dir, count_html, 32, FTW_PHYS) != 0)
        return -1;
    return html_files_seen;
}


/* The directory this program lives in, to find gen_site and folio next to
 * it when they are not given. */

/* Generate the site for n posts unless a complete one is already there. */
static bool ensure_site(const char *gen_site, const char *work_dir, long n, char **site_dir)
{
    buf root = BUF_INIT, user = BUF_INIT, marker = BUF_INIT, log = BUF_INIT, count = BUF_INIT;
    buf_printf(&root, "%s/site-%ld", work_dir, n);
    buf_printf(&user, "%s/user", buf_cstr(&root));
    buf_printf(&marker, "%s/complete", buf_cstr(&root));
    buf_printf(&log, "%s/gen-%ld.log", work_dir, n);
    buf_printf(&count, "%ld", n);
    bool ok = true;
    if (!path_exists(buf_cstr(&marker))) {
        /* A site without the marker is what an interrupted run left. */
        dir_remove_tree(buf_cstr(&root));
        printf("generating %ld posts into %s ...\n", n, buf_cstr(&user));
        fflush(stdout);
        char *argv[] = {(char *)gen_site, count.s, user.s, NULL};
        run_stats st;
        ok = run_program(argv, buf_cstr(&log), &st) && st.exit_status == 0;
        if (ok)
            ok = file_write(buf_cstr(&marker), "", 0) == 0;
        else
            print_log_tail(buf_cstr(&log));
    }
    *site_dir = buf_detach(&user, NULL);
    buf_free(&root);
    buf_free(&marker);
    buf_free(&log);
    buf_free(&count);
    return ok;
}

static size_result bench_size(const char *folio, const char *gen_site, const char *work_dir, long n, int runs)
{
    size_result r = {.posts = n};
    char *site = NULL;
    if (!ensure_site(gen_site, work_dir, n, &site)) {
        fprintf(stderr, "build_bench: could not generate the site for N=%ld\n", n);
        free(site);
        return r;
    }
    buf out = BUF_INIT, log = BUF_INIT;
    buf_printf(&out, "%s/out-%ld", work_dir, n);
    buf_printf(&log, "%s/build-%ld.log", work_dir, n);
    double walls[MAX_RUNS];
    run_stats stats[MAX_RUNS];
    r.ok = true;
    for (int i = 0; i < runs && r.ok; i++) {
        dir_remove_tree(buf_cstr(&out)); /* every build starts from nothing */
        char *argv[] = {(char *)folio, "build", site, "-o", out.s, NULL};
        if (!run_program(argv, buf_cstr(&log), &stats[i]) || stats[i].exit_status != 0) {
            fprintf(stderr, "build_bench: %s build failed for N=%ld (exit %d)\n", folio, n,
                    stats[i].exit_status);
            print_log_tail(buf_cstr(&log));
            r.ok = false;
            break;
        }
        walls[i] = stats[i].wall_seconds;
        if (stats[i].peak_rss_kb > r.peak_rss_kb)
            r.peak_rss_kb = stats[i].peak_rss_kb;
    }
    if (r.ok) {
        r.pages = count_html_files(buf_cstr(&out));
        if (r.pages < 0) {
            fprintf(stderr, "build_bench: the build for N=%ld exited 0 but wrote no %s\n", n, buf_cstr(&out));
            r.ok = false;
        }
    }
    if (r.ok) {
        double sorted[MAX_RUNS];
        memcpy(sorted, walls, sizeof(double) * (size_t)runs);
        qsort(sorted, (size_t)runs, sizeof(double), bench_compare_doubles);
        r.best_wall = sorted[0];
        /* The lower median, so that it is the time of an actual run. */
        r.median_wall = sorted[(runs - 1) / 2];
        /* CPU figures of the fastest run: on a shared machine it is the
         * one other processes disturbed least. */
        for (int i = 0; i < runs; i++)
            if (walls[i] == r.best_wall)
                r.best_cpu = stats[i].cpu_seconds;
    }
    buf_free(&out);
    buf_free(&log);
    free(site);
    return r;
}

static void print_header(const char *folio, int runs, double load_before)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    printf("\nfolio build: %s, %d run%s per size, %ld CPU%s online, load average %.2f before\n", folio, runs,
           runs == 1 ? "" : "s", cpus, cpus == 1 ? "" : "s", load_before);
    /* Other work on the machine takes CPU from the build and makes wall
     * times and CPU use look worse than they are; say so with the figures. */
    if (load_before > 0.5 * (double)cpus)
        printf("warning: the machine was busy; wall times and CPU use include waiting for other processes\n");
    printf("\n");
    printf("%8s %8s %9s %9s %8s %8s %10s %9s %11s %11s\n", "N", "pages", "best s", "median s", "CPU s",
           "CPU use", "peak MB", "pages/s", "time/N x", "RSS/N x");
}

static void print_row(const size_result *r, const size_result *prev)
{
    if (!r->ok) {
        printf("%8ld  failed\n", r->posts);
        return;
    }
    double cpu_use = r->best_wall > 0 ? 100.0 * r->best_cpu / r->best_wall : 0;
    double pages_per_second = r->best_wall > 0 ? (double)r->pages / r->best_wall : 0;
    printf("%8ld %8ld %9.3f %9.3f %8.2f %7.0f%% %10.1f %9.0f", r->posts, r->pages, r->best_wall,
           r->median_wall, r->best_cpu, cpu_use, (double)r->peak_rss_kb / 1024.0, pages_per_second);
    if (prev && prev->ok && prev->best_wall > 0 && prev->peak_rss_kb > 0) {
        double time_ratio = (r->best_wall / (double)r->posts) / (prev->best_wall / (double)prev->posts);
        double rss_ratio =
            ((double)r->peak_rss_kb / (double)r->posts) / ((double)prev->peak_rss_kb / (double)prev->posts);
        printf(" %11.2f %11.2f\n", time_ratio, rss_ratio);
    } else {
        printf(" %11s %11s\n", "-", "-");
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: build_bench [--folio PATH] [--runs R] [--dir DIR] N...\n"
                    "  times `folio build` on generated sites of N posts (default N: 1000 10000 30000)\n"
                    "  --folio PATH  the folio binary (default: ../folio next to this program)\n"
                    "  --runs R      builds per size, best and median are reported (default 3)\n"
                    "  --dir DIR     where sites and outputs go (default $TMPDIR/folio-bench)\n");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* keep progress and errors in order */
    char *dir = bench_own_dir();
    buf default_folio = BUF_INIT, gen_site = BUF_INIT, default_work = BUF_INIT;
    buf_printf(&default_folio, "%s/../folio", dir);
    buf_printf(&gen_site, "%s/gen_site", dir);
    const char *tmp = getenv("TMPDIR");
    buf_printf(&default_work, "%s/folio-bench", tmp && *tmp ? tmp : "/tmp");
    char *resolved_folio = realpath(buf_cstr(&default_folio), NULL);
    const char *folio = resolved_folio ? resolved_folio : buf_cstr(&default_folio);
    const char *work_dir = buf_cstr(&default_work);
    long runs = 3;
    long sizes[MAX_SIZES];
    int size_count = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--folio") && i + 1 < argc) {
            folio = argv[++i];
        } else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
            work_dir = argv[++i];
        } else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
            if (!bench_parse_long(argv[++i], 1, MAX_RUNS, &runs)) {
                fprintf(stderr, "build_bench: --runs must be 1 to %d\n", MAX_RUNS);
                return 2;
            }
        } else if (size_count < MAX_SIZES && bench_parse_long(argv[i], 1, MAX_POSTS, &sizes[size_count])) {
            size_count++;
        } else {
            usage();
            return 2;
        }
    }
    if (size_count == 0) {
        sizes[size_count++] = 1000;
        sizes[size_count++] = 10000;
        sizes[size_count++] = 30000;
    }
    int status = 0;
    if (access(folio, X_OK) != 0) {
        fprintf(stderr, "build_bench: %s is not an executable (build it with make, or pass --folio)\n", folio);
        status = 2;
    } else if (access(buf_cstr(&gen_site), X_OK) != 0) {
        fprintf(stderr, "build_bench: %s is missing (make bench builds it)\n", buf_cstr(&gen_site));
        status = 2;
    } else if (dir_make(work_dir) != 0) {
        fprintf(stderr, "build_bench: cannot create %s: %s\n", work_dir, strerror(errno));
        status = 1;
    }
    if (status == 0) {
        double load[1] = {0};
        getloadavg(load, 1);
        size_result results[MAX_SIZES];
        for (int i = 0; i < size_count; i++) {
            results[i] = bench_size(folio, buf_cstr(&gen_site), work_dir, sizes[i], (int)runs);
            if (!results[i].ok)
                status = 1;
        }
        print_header(folio, (int)runs, load[0]);
        for (int i = 0; i < size_count; i++)
            print_row(&results[i], i > 0 ? &results[i - 1] : NULL);
        printf("\ntime/N x and RSS/N x: per-post cost relative to the row above (1.00 = linear)\n");
    }
    buf_free(&default_folio);
    buf_free(&gen_site);
    buf_free(&default_work);
    free(resolved_folio);
    free(dir);
    return status;
}
