/* fuzz_frontmatter.c - a page file's bytes through the front matter split
 * and the YAML reader, as the site loader reads every page. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content/frontmatter.h"
#include "lib/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    page_source src = {0};
    src.text = malloc(size + 1);
    memcpy(src.text, data, size);
    src.text[size] = 0;
    src.len = source_normalize(src.text, size);
    src.text[src.len] = 0;
    arena a = ARENA_INIT;
    diag_list d;
    diag_init(&d);
    int rc = frontmatter_split(&src, &a, "page.md", &d);
    /* the split either gives a header map or reports why not */
    if (rc == 0 && !src.header) abort();
    if (rc != 0 && d.errors == 0) abort();
    if (src.body_off > src.len) abort();
    /* a config file is read by the same YAML reader */
    yaml_load(&a, (const char *)data, size, "config.yaml", 0, &d);
    diag_free(&d);
    arena_free(&a);
    free(src.text);
    return 0;
}
