/* spell.h - how far a mistyped word is from one that exists, for the
 * "did you mean" of error messages. */
#ifndef FOLIO_SPELL_H
#define FOLIO_SPELL_H

#include <stddef.h>

/* Levenshtein distance of a and b, or limit + 1 when it is larger (it
 * stops early) or either is longer than SPELL_MAX bytes. */
#define SPELL_MAX 255
int spell_distance(const char *a, const char *b, int limit);

/* s as names are compared when their letters' case does not matter, nor
 * what cannot be seen: Latin, Cyrillic and Kazakh capitals made small,
 * and zero-width characters, the soft hyphen and the byte order mark
 * left out ("Фото\u200b 1.JPG" and "фото 1.jpg" fold alike). Written to
 * out (a buffer of at least strlen(s) + 1 bytes). */
void spell_fold(const char *s, char *out);
/* The first character of s that cannot be seen (as spell_fold leaves
 * out): its code point, and its offset in *at; 0 when there is none. */
unsigned spell_invisible(const char *s, size_t *at);

#endif
