/* find.c - substring search by the rarest byte (see find.h). */
#include "lib/find.h"

#include <string.h>

/* How common a byte is in the pages folio reads (HTML and Markdown in
 * Kazakh, Russian and English): 0 rare to 3 everywhere. Only an order. */
static inline int commonness(unsigned char c)
{
    if (c >= 0x80 || c == ' ' || c == '\n' || (c >= 'a' && c <= 'z')) return 3; /* Cyrillic's bytes, Latin text */
    if (c == '<' || c == '>' || c == '"' || c == '/' || c == '.' || c == ',') return 2; /* tags, sentences */
    if (c == '=' || c == '-' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) return 1;
    return 0; /* '|', '#', '!', '[', '{', ... */
}

const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0) return hay;
    if (m > n) return NULL;
    size_t k = 0;
    for (size_t i = 1; i < m && commonness((unsigned char)needle[k]); i++)
        if (commonness((unsigned char)needle[i]) < commonness((unsigned char)needle[k])) k = i;
    if (commonness((unsigned char)needle[k]) == 3) return memmem(hay, n, needle, m); /* no byte helps */
    const char *end = hay + n - (m - k - 1); /* the rare byte of the last place the needle fits */
    for (const char *p = hay + k; p < end && (p = memchr(p, needle[k], (size_t)(end - p))); p++)
        if (!memcmp(p - k, needle, m)) return p - k;
    return NULL;
}
