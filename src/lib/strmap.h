/* strmap.h - string-keyed hash table (open addressing, FNV-1a), for
 * routes and other look-ups by name. Keys are not copied: they must
 * outlive the map (they normally live in the same arena). */
#ifndef FOLIO_STRMAP_H
#define FOLIO_STRMAP_H

#include <stddef.h>

typedef struct strmap_entry {
    const char *key;
    void *val;
} strmap_entry;

typedef struct strmap {
    strmap_entry *slots;
    size_t cap, len;
} strmap;

#define STRMAP_INIT {NULL, 0, 0}

/* Insert or replace; returns the previous value or NULL. */
void *strmap_put(strmap *m, const char *key, void *val);
void *strmap_get(const strmap *m, const char *key);
void strmap_free(strmap *m);
/* FNV-1a of s: stable across versions, so it may name published files
 * (the theme's fingerprinted assets); the table itself uses a faster one. */
unsigned long long strmap_hash(const char *s, size_t len);

#endif
