/* media_memory.c - what the server's memory holds of a site's media.
 *
 * Usage: media_memory DIR
 * Puts every regular file under DIR (an image cache's v1/ folder, or a
 * built site's media/) into a snapshot as `folio serve` publishes media,
 * first kept as open files (the server's way, within a budget of one per
 * file) and then read into memory (the way past the budget), and prints
 * for each the resident memory the snapshot added. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"
#include "lib/buf.h"
#include "serve/snapshot.h"

static char **files;
static size_t nfiles, cap_files;
static unsigned long long total_bytes;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F || !S_ISREG(st->st_mode)) return 0;
    if (nfiles == cap_files) files = xrealloc(files, (cap_files = cap_files ? 2 * cap_files : 1024) * sizeof *files);
    files[nfiles++] = xstrdup(path);
    total_bytes += (unsigned long long)st->st_size;
    return 0;
}

/* Put every file; returns the snapshot (the caller measures, then frees). */
static snapshot *put_all(void)
{
    snapshot *s = snapshot_new(NULL);
    output *o = snapshot_output(s);
    for (size_t i = 0; i < nfiles; i++) {
        char key[64];
        const char *dot = strrchr(files[i], '.');
        snprintf(key, sizeof key, "media/f%zu%s", i, dot && !strchr(dot, '/') ? dot : "");
        if (output_put_immutable(o, key, files[i]) != 0) fprintf(stderr, "%s: not put\n", files[i]);
    }
    return s;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: media_memory DIR\n");
        return 2;
    }
    if (nftw(argv[1], collect, 32, FTW_PHYS) != 0 || nfiles == 0) {
        fprintf(stderr, "media_memory: no files under %s\n", argv[1]);
        return 1;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    printf("%zu files, %.1f MB\n", nfiles, total_bytes / 1e6);

    /* Open files first: they allocate little, so the growth measured for
     * the bytes read afterwards is not hidden by memory freed before. */
    snapshot_set_file_budget(nfiles);
    long before = bench_rss_kb();
    snapshot *s = put_all();
    printf("kept as open files: %zu open, %.1f MB resident added\n", snapshot_open_files(),
           (bench_rss_kb() - before) / 1024.0);
    snapshot_unref(s);

    snapshot_set_file_budget(0);
    before = bench_rss_kb();
    s = put_all();
    printf("read into memory:   %zu open, %.1f MB resident added\n", snapshot_open_files(),
           (bench_rss_kb() - before) / 1024.0);
    snapshot_unref(s);
    for (size_t i = 0; i < nfiles; i++) free(files[i]);
    free(files);
    return 0;
}
