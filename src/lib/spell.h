/* spell.h - how far a mistyped word is from one that exists, for the
 * "did you mean" of error messages. */
#ifndef FOLIO_SPELL_H
#define FOLIO_SPELL_H

/* Levenshtein distance of a and b, or limit + 1 when it is larger (it
 * stops early) or either is longer than SPELL_MAX bytes. */
#define SPELL_MAX 255
int spell_distance(const char *a, const char *b, int limit);

#endif
