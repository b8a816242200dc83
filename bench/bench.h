/* bench.h - what the benchmark programs share. */
#ifndef FOLIO_BENCH_H
#define FOLIO_BENCH_H

#include <limits.h>
#include <string.h>
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

#endif
