/* main.c - the folio command line: build, serve, check, template. */
#include "build/build.h"
#include "build/output_dir.h"
#include "lib/buf.h"
#include "lib/diag.h"
#include "serve/serve_site.h"
#include "template/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FOLIO_VERSION "0.1.0"

static void usage(FILE *f)
{
    fputs("usage: folio <command> [options]\n"
          "\n"
          "  build SITE -o OUT [--strict] [--threads N] [--base-url URL]\n"
          "        build the Grav user folder SITE into the folder OUT\n"
          "  serve SITE [--port 8080] [--bind 127.0.0.1] [--dev] [--log FILE]\n"
          "        build SITE into memory and serve it over HTTP, rebuilding on change\n"
          "  check SITE\n"
          "        report what is wrong in the content, without writing anything\n"
          "  template render DIR NAME [--data FILE.json]\n"
          "        render template NAME from folder DIR with the JSON data as context\n"
          "  version\n",
          f);
}

static const char *arg_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "folio: %s needs a value\n", argv[*i]);
        exit(2);
    }
    return argv[++*i];
}

static int cmd_build(int argc, char **argv)
{
    build_options opt = {0};
    const char *out_dir = NULL;
    bool quiet = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) out_dir = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--strict")) opt.strict = true;
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) quiet = true;
        else if (!strcmp(a, "--threads")) opt.threads = atoi(arg_value(argc, argv, &i));
        else if (!strcmp(a, "--base-url")) opt.base_url = arg_value(argc, argv, &i);
        else if (a[0] == '-') {
            fprintf(stderr, "folio build: unknown option %s\n", a);
            return 2;
        } else if (!opt.site_dir) opt.site_dir = a;
        else {
            fprintf(stderr, "folio build: unexpected argument %s\n", a);
            return 2;
        }
    }
    if (!opt.site_dir || !out_dir) {
        fputs("usage: folio build SITE -o OUT [--strict]\n", stderr);
        return 2;
    }
    diag_list d;
    diag_init(&d);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    output *out = output_dir_new(out_dir, &d);
    int rc = -1;
    build_result res = {0};
    if (out) {
        rc = build_site(&opt, out, &d, &res);
        if (rc == 0) {
            struct timespec c0, c1;
            clock_gettime(CLOCK_MONOTONIC, &c0);
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
        if (rc == 0)
            fprintf(stderr, "folio: built %zu pages (%zu files) into %s in %.0f ms; %zu errors, %zu warnings\n",
                    res.pages, res.files, out_dir, ms, d.errors, d.warnings);
        else
            fprintf(stderr, "folio: build failed (%zu errors); %s was left as it was\n", d.errors, out_dir);
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
    serve_site site = {0};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--port") || !strcmp(a, "-p")) site.serve.port = atoi(arg_value(argc, argv, &i));
        else if (!strcmp(a, "--bind")) site.serve.bind = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--dev")) site.serve.dev = true;
        else if (!strcmp(a, "--log")) site.serve.log_path = arg_value(argc, argv, &i);
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) site.serve.quiet = true;
        else if (!strcmp(a, "--threads")) site.serve.threads = atoi(arg_value(argc, argv, &i));
        else if (!strcmp(a, "--base-url")) site.base_url = arg_value(argc, argv, &i);
        else if (a[0] == '-') {
            fprintf(stderr, "folio serve: unknown option %s\n", a);
            return 2;
        } else if (!site.dir) site.dir = a;
        else {
            fprintf(stderr, "folio serve: unexpected argument %s\n", a);
            return 2;
        }
    }
    if (!site.dir) {
        fputs("usage: folio serve SITE [--port 8080] [--bind 127.0.0.1] [--dev] [--log FILE]\n", stderr);
        return 2;
    }
    if (site.serve.port == 0) site.serve.port = 8080;
    if (site.serve.port < 0 || site.serve.port > 65535) {
        fputs("folio serve: --port must be between 1 and 65535\n", stderr);
        return 2;
    }
    site.serve.site_dir = site.dir;
    int rc = serve_main(&site.serve, serve_site_rebuild, &site);
    serve_site_free(&site);
    return rc;
}

static int cmd_template(int argc, char **argv)
{
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
    const char *cmd = argv[1];
    if (!strcmp(cmd, "build")) return cmd_build(argc - 2, argv + 2);
    if (!strcmp(cmd, "template")) return cmd_template(argc - 2, argv + 2);
    if (!strcmp(cmd, "serve")) return cmd_serve(argc - 2, argv + 2);
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
