/* main.c - the folio command line: build, serve, check, template. */
#include "build/build.h"
#include "build/output_dir.h"
#include "check/check.h"
#include "content/site.h"
#include "lib/buf.h"
#include "lib/diag.h"
#include "media/cache.h"
#include "media/image.h"
#include "serve/serve_site.h"
#include "template/template.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FOLIO_VERSION "0.1.0"

/* "1 error", "2 errors" */
static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

static void usage(FILE *f)
{
    fputs("usage: folio <command> [options]\n"
          "\n"
          "  build SITE -o OUT [--strict] [--threads N] [--base-url URL]\n"
          "        [--cache-dir DIR] [--clean-cache] [--prune-cache] [--no-images] [--force]\n"
          "        build the Grav user folder SITE into the folder OUT\n"
          "  serve SITE [--port 8080] [--bind 127.0.0.1] [--dev] [--log FILE] [--quiet]\n"
          "        [--threads N] [--base-url URL] [--cache-dir DIR] [--no-images]\n"
          "        build SITE into memory and serve it over HTTP, rebuilding on change\n"
          "  check SITE [--format text|json] [--lang LANG] [--threads N]\n"
          "        report what is wrong in the content, without writing anything\n"
          "  template render DIR NAME [--data FILE.json]\n"
          "        render template NAME from folder DIR with the JSON data as context\n"
          "  version\n"
          "\n"
          "The README's manual has every option.\n",
          f);
}

static bool is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h");
}

static const char *arg_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "folio: %s needs a value\n", argv[*i]);
        exit(2);
    }
    return argv[++*i];
}

/* A whole number from min to max, or exit with what was wrong: "abc"
 * silently taken for 0 would start the server on a port nobody asked for. */
static int arg_int(int argc, char **argv, int *i, int min, int max)
{
    const char *name = argv[*i], *v = arg_value(argc, argv, i);
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max) {
        fprintf(stderr, "folio: %s wants a whole number from %d to %d, not '%s'\n", name, min, max, v);
        exit(2);
    }
    return (int)n;
}

#define MAX_THREADS 1024

/* build_options.variants_progress for the command line. */
static void tell_variants(void *ctx, size_t made)
{
    (void)ctx;
    fprintf(stderr, "folio: making photo variants: %zu so far (they are kept for later builds)\n", made);
}

static int cmd_build(int argc, char **argv)
{
    build_options opt = {0};
    const char *out_dir = NULL;
    bool quiet = false, clean_cache = false, force = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) out_dir = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--strict")) opt.strict = true;
        else if (!strcmp(a, "--cache-dir")) opt.cache_dir = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--clean-cache")) clean_cache = true;
        else if (!strcmp(a, "--prune-cache")) opt.prune_cache = true;
        else if (!strcmp(a, "--force")) force = true;
        else if (!strcmp(a, "--no-images")) opt.no_images = true;
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) quiet = true;
        else if (!strcmp(a, "--threads")) opt.threads = arg_int(argc, argv, &i, 1, MAX_THREADS);
        else if (!strcmp(a, "--base-url")) opt.base_url = arg_value(argc, argv, &i);
        else if (is_help(a)) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "folio build: unknown option %s\n", a);
            return 2;
        } else if (!opt.site_dir) opt.site_dir = a;
        else {
            fprintf(stderr, "folio build: unexpected argument %s\n", a);
            return 2;
        }
    }
    if (!opt.site_dir || !out_dir) {
        fputs(opt.site_dir ? "folio build: where to? -o OUT is missing\n" : "folio build: which site? SITE is missing\n",
              stderr);
        usage(stderr);
        return 2;
    }
    if (!quiet) opt.variants_progress = tell_variants;
    if (clean_cache) {
        char *dir = opt.cache_dir ? xstrdup(opt.cache_dir) : image_cache_default_dir(opt.site_dir);
        if (image_cache_clean(dir) < 0) {
            if (errno == EBUSY)
                fprintf(stderr, "%s:1:1: error: cannot empty the image cache: another folio (a folio serve?) has it "
                                "open and may be publishing its files; stop it first\n", dir);
            else
                fprintf(stderr, "%s:1:1: error: cannot empty the image cache: %s\n", dir, strerror(errno));
            free(dir);
            return 1;
        }
        if (!quiet) fprintf(stderr, "folio: emptied the image cache %s\n", dir);
        free(dir);
    }
    diag_list d;
    diag_init(&d);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *cache_dir = opt.cache_dir ? xstrdup(opt.cache_dir) : image_cache_default_dir(opt.site_dir);
    output_guard guard = {.site_dir = opt.site_dir, .cache_dir = cache_dir, .force = force};
    output *out = output_dir_open(out_dir, &guard, &d);
    free(cache_dir);
    int rc = -1;
    build_result res = {0};
    size_t written = 0;
    if (out) {
        rc = build_site(&opt, out, &d, &res);
        if (rc == 0) {
            struct timespec c0, c1;
            clock_gettime(CLOCK_MONOTONIC, &c0);
            written = output_dir_count(out); /* pages, media, variants, theme, feeds... */
            rc = output_dir_commit(out, &d);
            clock_gettime(CLOCK_MONOTONIC, &c1);
            if (getenv("FOLIO_TIMINGS"))
                fprintf(stderr, "folio: commit   %8.1f ms\n",
                        (double)(c1.tv_sec - c0.tv_sec) * 1e3 + (double)(c1.tv_nsec - c0.tv_nsec) / 1e6);
        }
        else output_dir_abort(out);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    diag_sort(&d);
    diag_print_all(stderr, &d);
    if (!quiet) {
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        char photos[96] = "";
        if (res.variants_made || res.variants_cached)
            snprintf(photos, sizeof photos, "; photo variants: %zu made, %zu from the cache", res.variants_made,
                     res.variants_cached);
        if (rc == 0)
            fprintf(stderr, "folio: built %zu page%s (%zu files) into %s in %.0f ms%s; %zu error%s, %zu warning%s\n",
                    res.pages, plural(res.pages), written, out_dir, ms, photos, d.errors, plural(d.errors), d.warnings,
                    plural(d.warnings));
        else
            fprintf(stderr, "folio: build failed (%zu error%s); %s was left as it was\n", d.errors, plural(d.errors),
                    out_dir);
        if (rc == 0 && opt.prune_cache && !opt.no_images) {
            if (res.is_pruned)
                fprintf(stderr, "folio: pruned the photo cache: %zu file%s (%.1f MB) that no page uses any more\n",
                        res.variants_pruned, plural(res.variants_pruned), (double)res.pruned_bytes / 1e6);
            else if (d.errors)
                fputs("folio: the photo cache was not pruned: the build had errors\n", stderr);
        }
        if (rc == 0 && res.other_origins)
            fprintf(stderr,
                    "folio: the pages embed %zu other site%s (maps, videos, pictures); %s/_headers holds the "
                    "Content-Security-Policy that lets them show: a web server with a policy of its own needs "
                    "the same\n",
                    res.other_origins, plural(res.other_origins), out_dir);
        if (rc == 0 && res.next_change) {
            char when[64];
            time_t nc = res.next_change;
            struct tm tm;
            localtime_r(&nc, &tm);
            strftime(when, sizeof when, "%Y-%m-%d %H:%M %Z", &tm);
            fprintf(stderr, "folio: the published pages change next at %s (a scheduled date); build again then\n",
                    when);
        }
    }
    diag_free(&d);
    return rc == 0 ? 0 : 1;
}

static int cmd_serve(int argc, char **argv)
{
    serve_site ss = {0};
    ss.variants_progress = tell_variants;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--port") || !strcmp(a, "-p")) ss.serve.port = arg_int(argc, argv, &i, 1, 65535);
        else if (!strcmp(a, "--bind")) ss.serve.bind = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--dev")) ss.serve.dev = true;
        else if (!strcmp(a, "--log")) ss.serve.log_path = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) ss.serve.quiet = true;
        else if (!strcmp(a, "--threads")) ss.serve.threads = arg_int(argc, argv, &i, 1, MAX_THREADS);
        else if (!strcmp(a, "--base-url")) ss.base_url = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--cache-dir")) ss.cache_dir = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--no-images")) ss.no_images = true;
        else if (is_help(a)) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "folio serve: unknown option %s\n", a);
            return 2;
        } else if (!ss.dir) ss.dir = a;
        else {
            fprintf(stderr, "folio serve: unexpected argument %s\n", a);
            return 2;
        }
    }
    if (!ss.dir) {
        fputs("folio serve: which site? SITE is missing\n", stderr);
        usage(stderr);
        return 2;
    }
    if (ss.serve.port == 0) ss.serve.port = 8080;
    ss.serve.site_dir = ss.dir;
    int rc = serve_main_live(&ss.serve, serve_site_rebuild, serve_site_update, &ss);
    serve_site_free(&ss);
    return rc;
}

static void print_json_diags(FILE *f, diag_list *d)
{
    arena a = ARENA_INIT;
    fputs("[", f);
    for (size_t i = 0; i < d->len; i++) {
        const diag *x = &d->items[i];
        static const char *const level[] = {"error", "warning", "note"};
        value *o = value_map(&a);
        map_set(&a, o, "path", value_cstr(&a, x->path ? x->path : ""));
        map_set(&a, o, "line", value_int(&a, x->line > 0 ? x->line : 1));
        map_set(&a, o, "col", value_int(&a, x->col > 0 ? x->col : 1));
        map_set(&a, o, "level", value_cstr(&a, level[x->level]));
        map_set(&a, o, "message", value_cstr(&a, x->msg ? x->msg : ""));
        buf b = BUF_INIT;
        value_write_json(&b, o, &a, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        fprintf(f, "%s\n  %s", i ? "," : "", buf_cstr(&b));
        buf_free(&b);
    }
    fputs(d->len ? "\n]\n" : "]\n", f);
    arena_free(&a);
}

static int cmd_check(int argc, char **argv)
{
    const char *dir = NULL, *format = "text", *lang = NULL;
    check_options opt = {-1, false, 0};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--format")) format = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--lang")) lang = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--threads")) opt.threads = arg_int(argc, argv, &i, 1, MAX_THREADS);
        else if (is_help(a)) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-' || dir) {
            fprintf(stderr, "folio check: unexpected argument %s\n", a);
            return 2;
        } else dir = a;
    }
    bool json = !strcmp(format, "json");
    if (!dir || (!json && strcmp(format, "text"))) {
        fputs(dir ? "folio check: --format is text or json\n" : "folio check: which site? SITE is missing\n", stderr);
        usage(stderr);
        return 2;
    }
    diag_list d;
    diag_init(&d);
    site *s = site_load(dir, 0, &d);
    if (s && lang) {
        opt.lang = site_lang_index(s, lang);
        if (opt.lang < 0) {
            fprintf(stderr, "folio check: the site has no language '%s'\n", lang);
            site_free(s);
            diag_free(&d);
            return 2;
        }
    }
    if (s) check_site(s, &opt, &d);
    if (s) build_check_content_twig(s, opt.lang, &d); /* what the build's Twig would say */
    size_t checked = s ? s->nversions : 0;
    if (s && opt.lang >= 0) checked = check_keep_language(s, opt.lang, &d);
    diag_sort(&d);
    if (json) {
        print_json_diags(stdout, &d);
    } else {
        diag_print_all(stdout, &d);
        buf table = BUF_INIT;
        if (s) check_translation_table(s, &table);
        if (table.len) fwrite(table.s, 1, table.len, stdout);
        buf_free(&table);
        size_t notes = d.len - d.errors - d.warnings;
        printf("folio check: %zu page%s checked; %zu error%s, %zu warning%s, %zu note%s\n", checked, plural(checked),
               d.errors, plural(d.errors), d.warnings, plural(d.warnings), notes, plural(notes));
    }
    int rc = d.errors ? 1 : 0;
    site_free(s);
    diag_free(&d);
    return rc;
}

static int cmd_template(int argc, char **argv)
{
    if (argc > 0 && is_help(argv[0])) {
        usage(stdout);
        return 0;
    }
    if (argc < 3 || strcmp(argv[0], "render") != 0) {
        fputs("usage: folio template render DIR NAME [--data FILE.json]\n", stderr);
        return 2;
    }
    const char *data = NULL;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--data")) data = arg_value(argc, argv, &i);
        else {
            fprintf(stderr, "folio template render: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    diag_list d;
    diag_init(&d);
    buf out = BUF_INIT;
    int rc = tpl_cli_render(argv[1], argv[2], data, &out, &d);
    if (rc == 0) fwrite(out.s ? out.s : "", 1, out.len, stdout);
    diag_print_all(stderr, &d);
    buf_free(&out);
    diag_free(&d);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    /* glibc gives the top of its heap back to the kernel when more than
     * the trim threshold is free there, and starts that threshold at
     * 128 KB, raising it only once a large mapped block is freed. A warm
     * build with photos never frees such a block, so the 64 KB blocks of
     * the page arenas went back and forth page after page: thousands of
     * brk calls, each a page-table change all cores must hear of (+30% of
     * wall time). Fixing the thresholds where glibc's own adjustment ends
     * up (32 MB mapped, 64 MB trim) removes that and helps cold photo
     * builds too; figures in BENCHMARKS.md. The server trims after each
     * rebuild (serve/watch.c). */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    const char *cmd = argv[1];
    /* libvips, when a photo started it, ends with its threads before the
     * process does (nothing else is running by then). */
    int (*run)(int, char **) = !strcmp(cmd, "build")      ? cmd_build
                               : !strcmp(cmd, "check")    ? cmd_check
                               : !strcmp(cmd, "template") ? cmd_template
                               : !strcmp(cmd, "serve")    ? cmd_serve
                                                          : NULL;
    if (run) {
        int rc = run(argc - 2, argv + 2);
        images_shutdown();
        return rc;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        puts("folio " FOLIO_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "folio: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
