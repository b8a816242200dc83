/* frontmatter.c - header/body split of page files. */
#include "content/frontmatter.h"
#include "lib/yaml.h"

#include <string.h>

size_t source_normalize(char *text, size_t len)
{
    size_t r = 0, w = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        r = 3;
    /* Most files have no CR at all: move whole runs between CRs. */
    while (r < len) {
        const char *cr = memchr(text + r, '\r', len - r);
        size_t run = cr ? (size_t)(cr - (text + r)) : len - r;
        if (w != r) memmove(text + w, text + r, run);
        w += run;
        r += run;
        if (!cr) break;
        if (r + 1 < len && text[r + 1] == '\n') r++; /* drop the CR of CRLF */
        else text[w++] = text[r++];                   /* a lone CR stays */
    }
    text[w] = 0;
    return w;
}

/* Is the line starting at p exactly "---" (trailing blanks allowed)? */
static int is_fence(const char *p, const char *end, const char **next)
{
    if (end - p < 3 || memcmp(p, "---", 3) != 0) return 0;
    p += 3;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    if (p < end && *p != '\n') return 0;
    *next = p < end ? p + 1 : p;
    return 1;
}

/* Where the header's YAML is and where the body starts. Returns 0 without
 * a header, 1 with one (yaml_start/yaml_len set), -1 when the closing
 * fence is missing (the body is then empty). */
static int locate(page_source *src, const char **yaml_start, size_t *yaml_len)
{
    const char *text = src->text, *end = src->text + src->len, *p;
    src->body_off = 0;
    src->body_line = 1;
    if (!is_fence(text, end, &p)) return 0;
    *yaml_start = p;
    int line = 2;
    while (p < end) {
        const char *next;
        if (is_fence(p, end, &next)) {
            src->body_off = (size_t)(next - text);
            src->body_line = line + 1;
            *yaml_len = (size_t)(p - *yaml_start);
            return 1;
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break;
        p = nl + 1;
        line++;
    }
    src->body_off = src->len;
    src->body_line = line;
    return -1;
}

int frontmatter_key_line(const page_source *src, const char *key)
{
    size_t kl = strlen(key);
    int line = 1;
    const char *p = src->text, *end = src->text + src->body_off;
    while (p < end) {
        if (!strncmp(p, key, kl) && p[kl] == ':') return line;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break;
        p = nl + 1;
        line++;
    }
    return 1;
}

void frontmatter_find_body(page_source *src)
{
    const char *yaml_start;
    size_t yaml_len;
    locate(src, &yaml_start, &yaml_len);
    src->header = NULL;
}

int frontmatter_split(page_source *src, arena *a, const char *path, diag_list *d)
{
    const char *yaml_start = NULL;
    size_t yaml_len = 0;
    src->header = value_map(a);
    int found = locate(src, &yaml_start, &yaml_len);
    if (found == 0) return 0;
    if (found < 0) {
        diag_add(d, DIAG_ERROR, path, 1, 1, "front matter starts with '---' but has no closing '---' line");
        src->header = NULL;
        return -1;
    }
    src->header = yaml_load(a, yaml_start, yaml_len, path, 1, d);
    if (src->header && src->header->kind != V_MAP) {
        diag_add(d, DIAG_ERROR, path, 2, 1, "front matter must be a YAML mapping (key: value lines)");
        src->header = NULL;
    }
    return src->header ? 0 : -1;
}
