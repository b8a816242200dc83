/* bench.h - what the benchmark programs share. */
#ifndef FOLIO_BENCH_H
#define FOLIO_BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/buf.h"

/* The folder of the running program (malloc'd; "." when unknown): the
 * other programs of build/bench and build/folio are found from it. */
static inline char *bench_own_dir(void)
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return xstrdup(".");
    path[n] = 0;
    char *slash = strrchr(path, '/');
    if (slash) *slash = 0;
    return xstrdup(path);
}

/* This process's resident memory now, in KB (-1 when unknown). */
static inline long bench_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kb = atol(line + 6);
    if (f) fclose(f);
    return kb;
}

/* One finished child process, as the kernel measured it. */
typedef struct bench_child {
    double wall_seconds;
    double cpu_seconds; /* user + system, from wait4 */
    long peak_rss_kb;
    int exit_status; /* exit code, or 128 + signal */
} bench_child;

/* Run argv[0] (a path) with stdout into out_path and stderr into err_path
 * (NULL: /dev/null) and wait for it. False when it could not be started. */
static inline bool bench_run(char *const argv[], const char *out_path, const char *err_path, bench_child *st)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
        int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(err_path ? err_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out >= 0) dup2(out, STDOUT_FILENO);
        if (err >= 0) dup2(err, STDERR_FILENO);
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) return false;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    st->wall_seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    st->cpu_seconds = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                      (double)ru.ru_stime.tv_usec / 1e6;
    st->peak_rss_kb = ru.ru_maxrss; /* kilobytes on Linux */
    st->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
}

static inline int bench_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The lower median of n values (sorted in place): the time of a real run. */
static inline double bench_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, bench_compare_doubles);
    return v[(n - 1) / 2];
}

/* A whole number from lo to hi, or false. */
static inline bool bench_parse_long(const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || end == s || *end || x < lo || x > hi) return false;
    *v = x;
    return true;
}

#endif
