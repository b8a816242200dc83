/* strmap.c - linear probing hash table, grown at 50% load. */
#include "lib/strmap.h"
#include "lib/buf.h"

#include <stdlib.h>
#include <string.h>

unsigned long long strmap_hash(const char *s, size_t len)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The table's own hash: eight bytes a step (keys here are paths and URLs
 * of 50 to 150 bytes, where FNV-1a's byte-at-a-time chain was most of a
 * look-up), finished with a full avalanche so the low bits used as the
 * slot number depend on every byte. Not stable across versions: nothing
 * may persist it (strmap_hash is the stable one). */
static size_t slot_hash(const char *s, size_t len)
{
    const unsigned long long k = 0x9e3779b97f4a7c15ULL;
    unsigned long long h = len * k;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        unsigned long long w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    if (i < len) {
        unsigned long long w = 0;
        memcpy(&w, s + i, len - i);
        h = (h ^ w) * k;
    }
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return (size_t)h;
}

static void grow(strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    strmap_entry *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key) continue;
        size_t j = slot_hash(m->slots[i].key, strlen(m->slots[i].key)) & (cap - 1);
        while (slots[j].key) j = (j + 1) & (cap - 1);
        slots[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

void *strmap_put(strmap *m, const char *key, void *val)
{
    if ((m->len + 1) * 2 > m->cap) grow(m);
    size_t j = slot_hash(key, strlen(key)) & (m->cap - 1);
    while (m->slots[j].key) {
        if (!strcmp(m->slots[j].key, key)) {
            void *old = m->slots[j].val;
            m->slots[j].val = val;
            return old;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->slots[j].key = key;
    m->slots[j].val = val;
    m->len++;
    return NULL;
}

void *strmap_get(const strmap *m, const char *key)
{
    if (!m->cap) return NULL;
    size_t j = slot_hash(key, strlen(key)) & (m->cap - 1);
    while (m->slots[j].key) {
        if (!strcmp(m->slots[j].key, key)) return m->slots[j].val;
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

void strmap_free(strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->len = 0;
}
