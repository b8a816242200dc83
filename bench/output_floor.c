/* output_floor.c - what the kernel alone needs to write a built site.
 *
 * `folio build` ends every page with a folder, a file and one write. This
 * program does only that, with the same layout and system calls
 * (mkdirat, openat, write, close relative to the output folder) for N
 * page folders of SIZE bytes each on T threads, and prints the wall and
 * CPU time: the floor under any build of that many pages on this machine,
 * whatever the renderer costs.
 *
 * Usage: output_floor [--pages N] [--size BYTES] [--threads T] DIR
 * (defaults: 33,000 pages of 13,500 bytes, the 10,000-post bench site;
 * one thread per core). DIR must not exist; it is removed afterwards. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/files.h"
#include "lib/pool.h"

static const char *const langs[] = {"kk", "ru", "en"};

typedef struct floor_run {
    int dirfd;
    size_t size;
    char *page;
    int failed;
} floor_run;

/* Page i of the site: its language's news folder, as the build lays it out. */
static void write_page(void *ctx, int worker, size_t i)
{
    floor_run *f = ctx;
    (void)worker;
    char path[128];
    snprintf(path, sizeof path, "%s/news/post-%zu", langs[i % 3], i / 3);
    if (mkdirat(f->dirfd, path, 0755) < 0 && errno != EEXIST) f->failed = 1;
    strcat(path, "/index.html");
    int fd = openat(f->dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, f->page, f->size) != (ssize_t)f->size) f->failed = 1;
    if (fd >= 0) close(fd);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(double *user, double *sys)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    *sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    return *user + *sys;
}

int main(int argc, char **argv)
{
    long pages = 33000, size = 13500, threads = 0;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pages") && i + 1 < argc) pages = atol(argv[++i]);
        else if (!strcmp(argv[i], "--size") && i + 1 < argc) size = atol(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atol(argv[++i]);
        else if (!dir && argv[i][0] != '-') dir = argv[i];
        else dir = NULL, argc = 0;
    }
    if (!dir || pages < 1 || size < 1 || threads < 0) {
        fprintf(stderr, "usage: output_floor [--pages N] [--size BYTES] [--threads T] DIR\n");
        return 2;
    }
    if (path_exists(dir)) {
        fprintf(stderr, "output_floor: %s exists; give a folder to create\n", dir);
        return 2;
    }
    floor_run f = {0};
    f.size = (size_t)size;
    f.page = xmalloc(f.size);
    memset(f.page, 'x', f.size);
    for (int l = 0; l < 3; l++) {
        char *news = xmalloc(strlen(dir) + 16);
        sprintf(news, "%s/%s/news", dir, langs[l]);
        dir_make(news);
        free(news);
    }
    f.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (f.dirfd < 0) {
        fprintf(stderr, "output_floor: cannot open %s: %s\n", dir, strerror(errno));
        return 1;
    }
    int t = pool_threads((int)threads);
    double u0, s0, u1, s1;
    cpu_s(&u0, &s0);
    double w0 = now_s();
    parallel_for((size_t)pages, t, write_page, &f);
    double w1 = now_s();
    cpu_s(&u1, &s1);
    close(f.dirfd);
    printf("output_floor: %ld pages of %ld bytes on %d threads: %.3f s wall, %.3f s user, %.3f s sys\n", pages, size, t,
           w1 - w0, u1 - u0, s1 - s0);
    dir_remove_tree(dir);
    free(f.page);
    return f.failed ? 1 : 0;
}
