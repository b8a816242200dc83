/* fuzz_frontmatter.c - a page file's bytes through the front matter split
 * and the YAML reader, as the site loader reads every page; and the
 * addresses a header may give its page (routes.default, external_url,
 * redirect),
 * which must never lead outside the output or break out of an attribute. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "content/frontmatter.h"
#include "content/site.h"
#include "lib/yaml.h"

static void check_addresses(arena *a, const value *header)
{
    const char *route = site_custom_route(a, header);
    if (route) {
        size_t n = strlen(route);
        if (route[0] != '/' || n < 2 || route[n - 1] == '/' || strstr(route, "//")) abort();
        for (const char *p = route; *p; p++)
            if ((unsigned char)*p < 0x21 || *p == 0x7f || strchr("?#%\"'<>\\", *p)) abort();
        /* no "." or ".." part: every part between slashes is a name */
        for (const char *p = route; *p; p++)
            if (*p == '/' && p[1] == '.' && (p[2] == '/' || !p[2] || (p[2] == '.' && (p[3] == '/' || !p[3]))))
                abort();
    }
    const char *url = site_external_url(a, header);
    if (url) {
        if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7) && strncasecmp(url, "http", 4) &&
            !(url[0] == '/' && url[1] != '/'))
            abort();
        for (const char *p = url; *p; p++)
            if ((unsigned char)*p < 0x21 || *p == 0x7f || strchr("\"<>\\", *p)) abort();
    }
    /* a redirect: the same, and a status a server knows */
    int status = 0;
    const char *to = site_redirect(a, header, &status);
    if (status != 301 && status != 302) abort();
    if (to) {
        if (strncasecmp(to, "https://", 8) && strncasecmp(to, "http://", 7) && !(to[0] == '/' && to[1] != '/'))
            abort();
        for (const char *p = to; *p; p++)
            if ((unsigned char)*p < 0x21 || *p == 0x7f || strchr("\"<>\\", *p)) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    page_source src = {0};
    src.text = malloc(size + 1);
    memcpy(src.text, data, size);
    src.text[size] = 0;
    src.len = source_normalize(src.text, size, &src.controls);
    src.text[src.len] = 0;
    arena a = ARENA_INIT;
    diag_list d;
    diag_init(&d);
    int rc = frontmatter_split(&src, &a, "page.md", &d);
    /* the split either gives a header map or reports why not */
    if (rc == 0 && !src.header) abort();
    if (rc != 0 && d.errors == 0) abort();
    if (src.body_off > src.len) abort();
    if (rc == 0) check_addresses(&a, src.header);
    /* a config file is read by the same YAML reader */
    yaml_load(&a, (const char *)data, size, "config.yaml", 0, &d);
    diag_free(&d);
    arena_free(&a);
    free(src.text);
    return 0;
}
