/* serve_dir.c - serve a built output directory with folio's server.
 *
 * Usage: serve_dir DIR [--port N] [--bind ADDR] [--threads N] [--log FILE]
 *                      [--quiet] [--dev]
 * The benchmark's server (bench/serve_bench.sh), and handy on its own:
 * the directory is watched, so a new `folio build` into it is picked up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

typedef struct dir_site {
    const char *dir;
    serve_options *opt;
} dir_site;

static snapshot *load(void *ctx, time_t now, time_t *next_change, diag_list *d)
{
    dir_site *site = ctx;
    *next_change = 0;
    snapshot *s = serve_snapshot_new(site->opt);
    if (snapshot_add_dir(s, site->dir, d) != 0) {
        snapshot_unref(s);
        return NULL;
    }
    return s;
}

int main(int argc, char **argv)
{
    serve_options opt = {.port = 8080};
    dir_site site = {NULL, &opt};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--port") == 0 && next) opt.port = atoi(argv[++i]);
        else if (strcmp(a, "--bind") == 0 && next) opt.bind = argv[++i];
        else if (strcmp(a, "--threads") == 0 && next) opt.threads = atoi(argv[++i]);
        else if (strcmp(a, "--log") == 0 && next) opt.log_path = argv[++i];
        else if (strcmp(a, "--quiet") == 0) opt.quiet = true;
        else if (strcmp(a, "--dev") == 0) opt.dev = true;
        else if (a[0] != '-' && !site.dir) site.dir = a;
        else {
            fprintf(stderr, "usage: serve_dir DIR [--port N] [--bind ADDR] [--threads N] [--log FILE] [--quiet] [--dev]\n");
            return 2;
        }
    }
    if (!site.dir) {
        fprintf(stderr, "serve_dir: no directory given\n");
        return 2;
    }
    opt.site_dir = site.dir;
    return serve_main(&opt, load, &site);
}
