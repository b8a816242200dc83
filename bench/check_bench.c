/* check_bench.c - times `folio check` on generated sites.
 *
 * Usage: check_bench [--folio PATH] [--runs R] [--threads T] [--dir DIR] N...
 *
 * For each N (default 10000) generates a site of N posts in three
 * languages with gen_site into DIR (default $TMPDIR/folio-bench, the same
 * folders build_bench uses, so either reuses the other's sites), runs
 * `folio check SITE` R times (default 3) and prints the best and median
 * wall time, the CPU time and the number of findings of the last run. */
#include "bench.h"
#include "lib/buf.h"
#include "lib/files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 50

typedef bench_child run_stats;

static void print_summary_line(const char *path)
{
    size_t len;
    char *text = file_read(path, &len, 256 * 1024 * 1024);
    if (!text) return;
    while (len && text[len - 1] == '\n') text[--len] = 0;
    char *last = strrchr(text, '\n');
    printf("    %s\n", last ? last + 1 : text);
    free(text);
}

int main(int argc, char **argv)
{
    char *dir = bench_own_dir();
    char *folio = NULL, *gen_site = path_join(dir, "gen_site");
    const char *work = NULL, *threads = NULL;
    long sizes[16];
    int nsizes = 0, runs = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--folio") && i + 1 < argc) folio = xstrdup(argv[++i]);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc) work = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = argv[++i];
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (nsizes < 16 && atol(argv[i]) > 0) sizes[nsizes++] = atol(argv[i]);
        else {
            fprintf(stderr, "usage: check_bench [--folio PATH] [--runs R] [--threads T] [--dir DIR] N...\n");
            return 2;
        }
    }
    if (runs < 1 || runs > MAX_RUNS) runs = 3;
    if (!nsizes) sizes[nsizes++] = 10000;
    if (!folio) folio = path_join(dir, "../folio");
    buf work_dir = BUF_INIT;
    if (work) buf_puts(&work_dir, work);
    else buf_printf(&work_dir, "%s/folio-bench", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    dir_make(buf_cstr(&work_dir));
    printf("check_bench: %s, %ld cores online\n", folio, sysconf(_SC_NPROCESSORS_ONLN));
    for (int k = 0; k < nsizes; k++) {
        buf root = BUF_INIT, user = BUF_INIT, marker = BUF_INIT, out = BUF_INIT, count = BUF_INIT;
        buf_printf(&root, "%s/site-%ld", buf_cstr(&work_dir), sizes[k]);
        buf_printf(&user, "%s/user", buf_cstr(&root));
        buf_printf(&marker, "%s/complete", buf_cstr(&root));
        buf_printf(&out, "%s/check-%ld.txt", buf_cstr(&work_dir), sizes[k]);
        buf_printf(&count, "%ld", sizes[k]);
        if (!path_exists(buf_cstr(&marker))) {
            dir_remove_tree(buf_cstr(&root));
            printf("generating %ld posts into %s ...\n", sizes[k], buf_cstr(&user));
            fflush(stdout);
            char *gargv[] = {gen_site, count.s, user.s, NULL};
            run_stats st = {0};
            if (!bench_run(gargv, NULL, NULL, &st) || st.exit_status) {
                fprintf(stderr, "check_bench: gen_site failed\n");
                return 1;
            }
            file_write(buf_cstr(&marker), "", 0);
        }
        double walls[MAX_RUNS], cpus[MAX_RUNS];
        for (int i = 0; i < runs; i++) {
            char *cargv[] = {folio, "check", user.s, threads ? "--threads" : NULL, (char *)threads, NULL};
            run_stats st = {0};
            if (!bench_run(cargv, buf_cstr(&out), NULL, &st) || st.exit_status > 1) {
                fprintf(stderr, "check_bench: folio check failed (exit %d)\n", st.exit_status);
                return 1;
            }
            walls[i] = st.wall_seconds;
            cpus[i] = st.cpu_seconds;
        }
        double sorted[MAX_RUNS];
        memcpy(sorted, walls, sizeof(double) * (size_t)runs);
        qsort(sorted, (size_t)runs, sizeof(double), bench_compare_doubles);
        double median = sorted[runs / 2];
        double cpu = 0;
        for (int i = 0; i < runs; i++)
            if (walls[i] == median) cpu = cpus[i];
        printf("N=%ld posts (%ld page versions): best %.3f s, median %.3f s, CPU %.3f s (%.0f%%)\n", sizes[k],
               sizes[k] * 3 + 6, sorted[0], median, cpu, median > 0 ? 100.0 * cpu / median : 0);
        print_summary_line(buf_cstr(&out));
        buf_free(&root);
        buf_free(&user);
        buf_free(&marker);
        buf_free(&out);
        buf_free(&count);
    }
    buf_free(&work_dir);
    free(folio);
    free(gen_site);
    free(dir);
    return 0;
}
