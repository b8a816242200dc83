/* fuzz_url.c - a request path through the server's decoding and
 * normalisation (http_decode_path) and its URL rules (route_resolve) over
 * a small snapshot. The decoded path must never leave the site: it starts
 * with '/', holds no ".." segment, no backslash and no control byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve/http.h"
#include "serve/route.h"
#include "serve/snapshot.h"

static snapshot *site;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    site = snapshot_new(NULL);
    static const char *const langs[] = {"kk", "ru", "en"};
    snapshot_set_languages(site, langs, 3);
    output *o = snapshot_output(site);
    static const char *const files[] = {"index.html", "kk/index.html", "ru/index.html", "ru/news/index.html",
                                        "ru/news/first/index.html", "ru/404.html", "kk/404.html",
                                        "media/news/first/photo.jpg", "theme/style.css"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        output_put(o, files[i], "<html><body>x</body></html>", 27, 1673236800);
    output_redirect(o, "ru/news/page:2", "/ru/news/page/2/", 301);
    output_redirect(o, "user/pages/02.news/photo.jpg", "/media/news/first/photo.jpg", 301);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* "PATH?QUERY\nACCEPT-LANGUAGE" */
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    const char *accept = NULL;
    char *nl = strchr(s, '\n');
    if (nl) {
        *nl = 0;
        accept = nl + 1;
    }
    const char *query = "";
    char *q = strchr(s, '?');
    char query_copy[4096];
    if (q) {
        snprintf(query_copy, sizeof query_copy, "%s", q);
        query = query_copy;
        *q = 0;
    }
    char path[2048];
    if (http_decode_path(s, path, sizeof path) == 0) {
        size_t len = strlen(path);
        if (path[0] != '/' || len >= sizeof path) abort();
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f || path[i] == '\\') abort();
        if (strstr(path, "/../") || (len >= 3 && !strcmp(path + len - 3, "/..")) || strstr(path, "//")) abort();
        route r;
        route_resolve(site, path, query, accept, &r);
        if (r.kind == ROUTE_REDIRECT) {
            const char *loc = buf_cstr(&r.location);
            /* an open redirect would start with "//" or a scheme */
            for (const char *c = loc; *c; c++)
                if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e) abort();
        }
        route_free(&r);
    }
    free(s);
    return 0;
}
