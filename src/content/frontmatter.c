/* frontmatter.c - header/body split of page files. */
#include "content/frontmatter.h"
#include "lib/yaml.h"

#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_DISPATCH 1
#else
#define HAVE_AVX2_DISPATCH 0
#endif

/* Offset of the first byte at or after i that is below 0x20 and not a
 * line feed (CR, tab, NUL or a control character), or len. Most files
 * have none: sixteen bytes at a time, or thirty-two where the processor
 * can (every page's every byte passes here). */
static size_t next_special_sse2(const char *s, size_t i, size_t len)
{
#ifdef __SSE2__
    const __m128i top = _mm_set1_epi8(0x1f), lf = _mm_set1_epi8('\n');
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, top), v);
        int mask = _mm_movemask_epi8(_mm_andnot_si128(_mm_cmpeq_epi8(v, lf), low));
        if (mask) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; i < len; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n') return i;
    return len;
}

#if HAVE_AVX2_DISPATCH
__attribute__((target("avx2"))) static size_t next_special_avx2(const char *s, size_t i, size_t len)
{
    const __m256i top = _mm256_set1_epi8(0x1f), lf = _mm256_set1_epi8('\n');
    for (; i + 32 <= len; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(s + i));
        __m256i low = _mm256_cmpeq_epi8(_mm256_min_epu8(v, top), v);
        unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_andnot_si256(_mm256_cmpeq_epi8(v, lf), low));
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
    return next_special_sse2(s, i, len);
}
#endif

static size_t next_special(const char *s, size_t i, size_t len)
{
#if HAVE_AVX2_DISPATCH
    static int has_avx2 = -1; /* every thread finds the same */
    int avx2 = __atomic_load_n(&has_avx2, __ATOMIC_RELAXED);
    if (avx2 < 0) __atomic_store_n(&has_avx2, avx2 = __builtin_cpu_supports("avx2") != 0, __ATOMIC_RELAXED);
    if (avx2) return next_special_avx2(s, i, len);
#endif
    return next_special_sse2(s, i, len);
}

static size_t normalize(char *text, size_t len, bool scrub, size_t *at, size_t max, size_t *controls)
{
    size_t r = 0, w = 0, n = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        r = 3;
    /* Move whole runs between the bytes that need a look. */
    while (r < len) {
        size_t next = next_special(text, r, len), run = next - r;
        if (w != r) memmove(text + w, text + r, run);
        w += run;
        r = next;
        if (r == len) break;
        char c = text[r];
        if (c == '\r' && r + 1 < len && text[r + 1] == '\n') {
            r++; /* drop the CR of CRLF; a lone CR stays */
            continue;
        }
        if (c != '\r' && c != '\t' && c != 0) {
            if (n < max) at[n] = w;
            n++;
            if (scrub) c = ' ';
        }
        text[w++] = c;
        r++;
    }
    text[w] = 0;
    if (controls) *controls = n;
    return w;
}

size_t source_normalize(char *text, size_t len, size_t *controls)
{
    return normalize(text, len, true, NULL, 0, controls);
}

size_t source_control_offsets(char *text, size_t len, size_t *at, size_t max, size_t *controls)
{
    normalize(text, len, false, at, max, controls);
    return *controls < max ? *controls : max;
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

/* ---- a header folio would not see ----
 *
 * "---" must be the file's first line. An editor who deleted it, or whose
 * word processor made the two lines dashes ("—", "–"), or who typed "--",
 * has a header Grav and folio read as text: the YAML shows on the page,
 * the title is the folder's name, and "published: false" hides nothing. */

/* A line of dashes that is not "---": "--", "----", "—", "– –", "———". */
static bool is_fence_lookalike(const char *p, const char *e)
{
    int hyphens = 0, others = 0;
    while (p < e) {
        if (*p == '-') hyphens++, p++;
        else if (*p == ' ' || *p == '\t') p++;
        else if (e - p >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
                 ((unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94)) /* en and em dash */
            others++, p += 3;
        else if (e - p >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x88 &&
                 (unsigned char)p[2] == 0x92) /* minus sign */
            others++, p += 3;
        else return false;
    }
    return others > 0 || (hyphens >= 2 && hyphens != 3);
}

/* "title: ..." at the start of a line: a key as Grav's pages write them. */
static bool is_key_line(const char *p, const char *e, bool *known)
{
    static const char *const keys[] = {"title", "date", "published", "publish_date", "unpublish_date",
                                       "taxonomy", "template", "slug", "menu", "visible", "metadata",
                                       "header_image", "content", "summary", NULL};
    const char *k = p;
    if (p >= e || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_')) return false;
    while (p < e && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                     *p == '_' || *p == '-'))
        p++;
    size_t n = (size_t)(p - k);
    if (p >= e || *p != ':' || (p + 1 < e && p[1] != ' ' && p[1] != '\t')) return false;
    *known = false;
    for (int i = 0; keys[i]; i++)
        if (strlen(keys[i]) == n && !strncasecmp(keys[i], k, n)) *known = true;
    return true;
}

/* When text (which has no header) begins with what was meant as one: the
 * 1-based line to name, and whether its first line is a dash line. */
static int lost_header(const char *text, size_t len, bool *dashed_open)
{
    const char *p = text, *end = text + len;
    int line = 1, first_key = 0, known = 0;
    *dashed_open = false;
    for (int n = 0; p < end && n < 60; n++, line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
        const char *q = p;
        while (q < e && (*q == ' ' || *q == '\t')) q++;
        bool blank = q == e, k = false;
        if (n == 0 && is_fence_lookalike(p, e) && !blank) {
            *dashed_open = true;
        } else if ((is_fence(p, end, &q) || is_fence_lookalike(p, e)) && !blank) {
            return first_key && known ? (*dashed_open ? 1 : first_key) : 0;
        } else if (is_key_line(p, e, &k)) {
            if (!first_key) first_key = line;
            known += k;
        } else if (!blank && !(first_key && (*p == ' ' || *p == '\t' || *p == '-'))) {
            return 0; /* text, not YAML */
        }
        if (!nl) break;
        p = nl + 1;
    }
    return 0;
}

const char *frontmatter_not_text(const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return "the file is saved as UTF-16 (Notepad's 'Unicode'), not UTF-8: save it again choosing UTF-8";
    /* (the loader has made control characters such as \x03 spaces) */
    bool has_nul = memchr(text, 0, len < 512 ? len : 512) != NULL;
    if (has_nul && len >= 4 && !memcmp(text, "PK", 2) && (u[2] == 3 || u[2] == ' ') && (u[3] == 4 || u[3] == ' '))
        return "the file is a Word document or another zip archive, not text: copy its text into a text file "
               "saved as UTF-8";
    if (len >= 8 && !memcmp(text, "\xD0\xCF\x11\xE0\xA1\xB1", 6) && (u[6] == 0x1A || u[6] == ' ') && u[7] == 0xE1)
        return "the file is an old Word (.doc) or Excel document, not text: copy its text into a text file "
               "saved as UTF-8";
    if (len >= 5 && !memcmp(text, "%PDF-", 5)) return "the file is a PDF, not text: a PDF goes beside the page, linked";
    size_t n = len < 512 ? len : 512, nul = 0;
    if (!has_nul) return NULL; /* text, the common case */
    for (size_t i = 0; i < n; i++) nul += text[i] == 0;
    if (nul * 8 >= n && nul > 0)
        return nul * 3 >= n ? "the file is saved as UTF-16 (every other byte is zero), not UTF-8: save it again "
                              "choosing UTF-8"
                            : "the file is not text (it has zero bytes): save the page as UTF-8 text";
    return NULL;
}

int frontmatter_split(page_source *src, arena *a, const char *path, diag_list *d)
{
    const char *yaml_start = NULL;
    size_t yaml_len = 0;
    src->header = value_map(a);
    const char *binary = frontmatter_not_text(src->text, src->len);
    if (binary) {
        diag_add(d, DIAG_ERROR, path, 1, 1, "%s; the page is not published", binary);
        src->header = NULL;
        src->body_off = src->len;
        return -1;
    }
    int found = locate(src, &yaml_start, &yaml_len);
    if (found == 0) {
        bool dashed;
        int line = lost_header(src->text, src->len, &dashed);
        if (!line) return 0;
        if (dashed)
            diag_add(d, DIAG_ERROR, path, 1, 1,
                     "the front matter's lines must be '---', three hyphens (a word processor may have made them "
                     "a dash): as written, the header is read as the page's text, so the page is not published");
        else
            diag_add(d, DIAG_ERROR, path, line, 1,
                     "this looks like front matter, but the file's first line is not '---': add a line of three "
                     "hyphens above it (as written, the header is read as the page's text, so the page is not "
                     "published)");
        src->header = NULL;
        return -1;
    }
    if (found < 0) {
        /* the closing line made a dash, or typed "--"? */
        int line = 2;
        for (const char *p = yaml_start, *end = src->text + src->len; p < end; line++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
            const char *q = p;
            while (q < e && (*q == ' ' || *q == '\t')) q++;
            if (q < e && is_fence_lookalike(p, e)) {
                diag_add(d, DIAG_ERROR, path, line, 1,
                         "the front matter's closing line must be '---', three hyphens (a word processor may have "
                         "made them a dash)");
                src->header = NULL;
                return -1;
            }
            if (!nl) break;
            p = nl + 1;
        }
        diag_add(d, DIAG_ERROR, path, 1, 1, "front matter starts with '---' but has no closing '---' line");
        src->header = NULL;
        return -1;
    }
    src->header = yaml_load(a, yaml_start, yaml_len, path, 1, d);
    if (src->header && src->header->kind != V_MAP) {
        /* "title:\u00a0Школа" is no key: YAML takes U+00A0 for a letter. */
        const char *nbsp = src->header->kind == V_STRING ? strstr(src->header->u.str.s, ":\xC2\xA0") : NULL;
        if (nbsp)
            diag_add(d, DIAG_ERROR, path, 2, 1,
                     "invalid YAML: the space after '%.*s:' is a non-breaking one (Option+Space, or pasted from "
                     "Word), and YAML needs an ordinary space there",
                     (int)(nbsp - src->header->u.str.s), src->header->u.str.s);
        else
            diag_add(d, DIAG_ERROR, path, 2, 1, "front matter must be a YAML mapping (key: value lines)");
        src->header = NULL;
    }
    return src->header ? 0 : -1;
}
