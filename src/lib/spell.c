/* spell.c - edit distance for suggestions (see spell.h). */
#include "lib/spell.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

int spell_distance(const char *a, const char *b, int limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > SPELL_MAX || lb > SPELL_MAX) return limit + 1;
    if ((la > lb ? la - lb : lb - la) > (size_t)limit) return limit + 1;
    int prev[SPELL_MAX + 1], cur[SPELL_MAX + 1];
    for (size_t j = 0; j <= lb; j++) prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (cur[j] < best) best = cur[j];
        }
        if (best > limit) return limit + 1;
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

/* A code point at p (a well-formed two- or three-byte sequence), or 0. */
static unsigned decode(const unsigned char *p, int *len)
{
    if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
        *len = 2;
        return ((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *len = 3;
        return ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    return 0;
}

static bool is_invisible(unsigned c)
{
    return c == 0xAD || (c >= 0x200B && c <= 0x200F) || c == 0x2060 || c == 0xFEFF;
}

static unsigned small(unsigned c)
{
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;              /* А..Я */
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;              /* Ѐ..Џ, І */
    if (c >= 0x460 && c <= 0x4FF && !(c & 1)) {
        if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x4FF)) return c + 1;
    }                                                           /* Ғ Қ Ң Ү Ұ Һ Ә Ө ... */
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;   /* À..Þ */
    return c;
}

void spell_fold(const char *s, char *out)
{
    const unsigned char *p = (const unsigned char *)s;
    char *o = out;
    while (*p) {
        int len = 1;
        unsigned c = *p >= 0x80 ? decode(p, &len) : 0;
        if (!c) {
            *o++ = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
            p++;
            continue;
        }
        p += len;
        if (is_invisible(c)) continue;
        c = small(c); /* the small letter's sequence is as long: 0x80..0x7FF stays two bytes */
        if (c < 0x800) {
            *o++ = (char)(0xC0 | (c >> 6));
            *o++ = (char)(0x80 | (c & 0x3F));
        } else {
            *o++ = (char)(0xE0 | (c >> 12));
            *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *o++ = (char)(0x80 | (c & 0x3F));
        }
    }
    *o = 0;
}

unsigned spell_invisible(const char *s, size_t *at)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int len;
        unsigned c = *p >= 0x80 ? decode(p, &len) : 0;
        if (c && is_invisible(c)) {
            *at = (size_t)(p - (const unsigned char *)s);
            return c;
        }
    }
    return 0;
}
