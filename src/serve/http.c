/* http.c - parsing the request fields the server acts on.
 *
 * Everything here is defensive: headers come from anyone on the network,
 * so every parser bounds its reads, treats malformed input as absent
 * (except the path, which is refused) and never allocates. */
#include "serve/http.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool utf8_is_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) need = 1, cp = c & 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0) need = 2, cp = c & 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0) need = 3, cp = c & 0x07, min = 0x10000;
        else return false;
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n || (s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += need + 1;
    }
    return true;
}

int http_decode_path(const char *raw, char *out, size_t cap)
{
    if (!raw || raw[0] != '/' || cap < 2) return 400;
    size_t n = 0;
    /* Most paths are plain ASCII without "//" or "/.": note while decoding
     * whether the UTF-8 check and the normalisation can change anything. */
    bool has_non_ascii = false, needs_normalising = false;
    /* Decode into out first, then normalise segments in place. */
    for (const char *p = raw; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '%') {
            int hi = hex_value(p[1]), lo = hi < 0 ? -1 : hex_value(p[2]);
            if (hi < 0 || lo < 0) return 400;
            c = (unsigned char)(hi * 16 + lo);
            /* An encoded separator or NUL is how traversal hides; refuse it. */
            if (c == '/' || c == '\\' || c == 0) return 400;
            p += 2;
        } else if (c == '\\') {
            return 400;
        }
        if (c < 0x20 || c == 0x7f) return 400;
        if (n + 1 >= cap) return 400;
        if (c >= 0x80) has_non_ascii = true;
        if (n && out[n - 1] == '/' && (c == '/' || c == '.')) needs_normalising = true;
        out[n++] = (char)c;
    }
    out[n] = 0;
    if (has_non_ascii && !utf8_is_valid((const unsigned char *)out, n)) return 400;
    if (!needs_normalising) return 0; /* already in normal form */

    bool trailing_slash = false;
    size_t w = 0, r = 0;
    while (r < n) {
        while (r < n && out[r] == '/') r++;
        size_t start = r;
        while (r < n && out[r] != '/') r++;
        size_t len = r - start;
        if (len == 0) {
            trailing_slash = true;
            break;
        }
        if (len == 1 && out[start] == '.') {
            trailing_slash = r >= n;
            continue;
        }
        if (len == 2 && out[start] == '.' && out[start + 1] == '.') return 400;
        out[w++] = '/';
        memmove(out + w, out + start, len);
        w += len;
        trailing_slash = r < n;
    }
    if (trailing_slash || w == 0) out[w++] = '/';
    out[w] = 0;
    return 0;
}

/* Walk a comma-separated header list, yielding each token and its q value
 * (1000 = q=1). Returns false at the end. */
typedef struct list_item {
    const char *token;
    size_t token_len;
    int q;
} list_item;

static int parse_q(const char *p, const char *end)
{
    /* p points after "q=" */
    if (p >= end) return 1000;
    if (*p == '1') return 1000;
    if (*p != '0') return 1000;
    int q = 0, scale = 100;
    p++;
    if (p < end && *p == '.') {
        p++;
        while (p < end && isdigit((unsigned char)*p) && scale > 0) {
            q += (*p - '0') * scale;
            scale /= 10;
            p++;
        }
    }
    return q;
}

static bool list_next(const char **cursor, list_item *item)
{
    const char *p = *cursor;
    while (*p == ',' || *p == ' ' || *p == '\t') p++;
    if (!*p) return false;
    const char *elem_end = strchr(p, ',');
    if (!elem_end) elem_end = p + strlen(p);
    const char *tok_end = p;
    while (tok_end < elem_end && *tok_end != ';' && *tok_end != ' ' && *tok_end != '\t') tok_end++;
    item->token = p;
    item->token_len = (size_t)(tok_end - p);
    item->q = 1000;
    for (const char *s = tok_end; s < elem_end; s++) {
        if (*s != ';') continue;
        s++;
        while (s < elem_end && (*s == ' ' || *s == '\t')) s++;
        if (s + 1 < elem_end && (s[0] == 'q' || s[0] == 'Q') && s[1] == '=') item->q = parse_q(s + 2, elem_end);
    }
    *cursor = elem_end;
    return true;
}

size_t http_pick_language(const char *header, const char *const *langs, size_t n)
{
    if (!header || n == 0) return 0;
    size_t best = 0;
    int best_q = 0;
    list_item it;
    const char *cur = header;
    for (int guard = 0; guard < 64 && list_next(&cur, &it); guard++) {
        if (it.q <= best_q) continue;
        if (it.token_len == 1 && it.token[0] == '*') {
            best = 0;
            best_q = it.q;
            continue;
        }
        size_t primary = 0;
        while (primary < it.token_len && it.token[primary] != '-' && it.token[primary] != '_') primary++;
        for (size_t i = 0; i < n; i++) {
            size_t ll = strlen(langs[i]);
            bool full = ll == it.token_len && strncasecmp(langs[i], it.token, ll) == 0;
            bool prefix = ll == primary && strncasecmp(langs[i], it.token, ll) == 0;
            if (full || prefix) {
                best = i;
                best_q = it.q;
                break;
            }
        }
    }
    return best;
}

bool http_accepts_encoding(const char *header, const char *coding)
{
    if (!header) return false;
    size_t cl = strlen(coding);
    list_item it;
    const char *cur = header;
    int star_q = -1;
    for (int guard = 0; guard < 64 && list_next(&cur, &it); guard++) {
        if (it.token_len == cl && strncasecmp(it.token, coding, cl) == 0) return it.q > 0;
        if (it.token_len == 1 && it.token[0] == '*') star_q = it.q;
    }
    return star_q > 0;
}

/* Digits into *v; false on overflow or no digits. */
static bool parse_size(const char **p, size_t *v)
{
    const char *s = *p;
    size_t x = 0;
    if (!isdigit((unsigned char)*s)) return false;
    while (isdigit((unsigned char)*s)) {
        size_t d = (size_t)(*s - '0');
        if (x > (SIZE_MAX - d) / 10) return false;
        x = x * 10 + d;
        s++;
    }
    *p = s;
    *v = x;
    return true;
}

int http_parse_range(const char *header, size_t len, size_t *first, size_t *last)
{
    if (!header || strncasecmp(header, "bytes=", 6) != 0) return 0;
    const char *p = header + 6;
    while (*p == ' ') p++;
    if (strchr(p, ',')) return 0;
    size_t a, b;
    if (*p == '-') {
        p++;
        if (!parse_size(&p, &b)) return 0;
        while (*p == ' ') p++;
        if (*p) return 0;
        if (b == 0 || len == 0) return -1;
        *first = b >= len ? 0 : len - b;
        *last = len - 1;
        return 1;
    }
    if (!parse_size(&p, &a) || *p != '-') return 0;
    p++;
    bool has_end = isdigit((unsigned char)*p);
    if (has_end && !parse_size(&p, &b)) return 0;
    while (*p == ' ') p++;
    if (*p) return 0;
    if (has_end && b < a) return 0;
    if (a >= len) return -1;
    *first = a;
    *last = has_end && b < len - 1 ? b : len - 1;
    return 1;
}

bool http_etag_matches(const char *header, const char *etag)
{
    if (!header) return false;
    size_t el = strlen(etag);
    if (el < 2) return false;
    const char *opaque = etag + 1;
    size_t ol = el - 2;
    const char *p = header;
    for (int guard = 0; guard < 64 && *p; guard++) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (*p == '*') return true;
        if (p[0] == 'W' && p[1] == '/') p += 2;
        if (*p != '"') {
            while (*p && *p != ',') p++;
            continue;
        }
        const char *start = ++p;
        while (*p && *p != '"') p++;
        size_t tl = (size_t)(p - start);
        if (*p) p++;
        if (tl >= ol && strncmp(start, opaque, ol) == 0) {
            const char *rest = start + ol;
            size_t rl = tl - ol;
            if (rl == 0 || (rl == 3 && (strncmp(rest, "-gz", 3) == 0 || strncmp(rest, "-br", 3) == 0))) return true;
        }
    }
    return false;
}

time_t http_parse_date(const char *s)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (!s) return -1;
    char mon[4];
    int day, year, h, m, sec;
    char tail[4];
    /* "Sun, 06 Nov 1994 08:49:37 GMT" */
    const char *comma = strchr(s, ',');
    if (!comma || comma - s > 9) return -1;
    if (sscanf(comma + 1, " %2d %3s %4d %2d:%2d:%2d %3s", &day, mon, &year, &h, &m, &sec, tail) != 7) return -1;
    if (strcmp(tail, "GMT") != 0) return -1;
    const char *mp = strstr(months, mon);
    if (!mp || strlen(mon) != 3 || (mp - months) % 3) return -1;
    if (day < 1 || day > 31 || year < 1970 || year > 9999 || h > 23 || m > 59 || sec > 60 || h < 0 || m < 0 || sec < 0)
        return -1;
    struct tm tm = {0};
    tm.tm_mday = day;
    tm.tm_mon = (int)((mp - months) / 3);
    tm.tm_year = year - 1900;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = sec;
    return timegm(&tm);
}
