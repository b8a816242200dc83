/* arena.c - bump allocator over a list of blocks. Large requests get a
 * block of their own so a 20 MB string does not waste a 20 MB tail.
 * Arenas made with ARENA_INIT_HUGE take their blocks straight from mmap,
 * on huge pages. */
#include "arena.h"
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/mman.h>

struct arena_block {
    arena_block *next;
    size_t used, cap;
    bool mapped;
    _Alignas(16) unsigned char data[];
};

#define ARENA_DEFAULT_BLOCK (64 * 1024)

/* A block of size bytes (a multiple of ARENA_HUGE_BLOCK) aligned to a huge
 * page, or NULL. The mapping is made one huge page larger than asked and
 * trimmed to the aligned part. */
static arena_block *huge_block(size_t size)
{
    size_t span = size + ARENA_HUGE_BLOCK;
    char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    char *q = (char *)(((uintptr_t)p + ARENA_HUGE_BLOCK - 1) & ~(uintptr_t)(ARENA_HUGE_BLOCK - 1));
    if (q > p) munmap(p, (size_t)(q - p));
    size_t tail = (size_t)(p + span - (q + size));
    if (tail) munmap(q + size, tail);
    madvise(q, size, MADV_HUGEPAGE);
    return (arena_block *)q;
}

void *arena_alloc(arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    a->used += n;
    arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t bs = a->block_size ? a->block_size : ARENA_DEFAULT_BLOCK;
        if (n > bs / 4) {
            /* Big request: its own block, linked behind the current head. */
            arena_block *big = xmalloc(sizeof *big + n);
            big->used = big->cap = n;
            big->mapped = false;
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                big->next = NULL;
                a->head = big;
            }
            return big->data;
        }
        b = bs == ARENA_HUGE_BLOCK ? huge_block(bs) : NULL;
        if (b) {
            b->mapped = true;
            bs -= sizeof *b; /* the header lives inside the mapping */
        } else {
            b = xmalloc(sizeof *b + bs);
            b->mapped = false;
        }
        b->used = 0;
        b->cap = bs;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

void *arena_zalloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_cat(arena *a, ...)
{
    va_list ap;
    size_t n = 0;
    va_start(ap, a);
    for (const char *s; (s = va_arg(ap, const char *));) n += strlen(s);
    va_end(ap);
    char *out = arena_alloc(a, n + 1), *p = out;
    va_start(ap, a);
    for (const char *s; (s = va_arg(ap, const char *));) {
        size_t l = strlen(s);
        memcpy(p, s, l);
        p += l;
    }
    va_end(ap);
    *p = 0;
    return out;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    /* Short results (URLs, paths) are formatted once, into a stack buffer. */
    char tmp[256];
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, cp);
    va_end(cp);
    if (n < 0) {
        n = 0;
        tmp[0] = 0;
    }
    char *p = arena_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof tmp) memcpy(p, tmp, (size_t)n + 1);
    else vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void arena_trim(arena *a, void *p, size_t old_size, size_t new_size)
{
    arena_block *b = a->head;
    old_size = (old_size + 15) & ~(size_t)15;
    new_size = (new_size + 15) & ~(size_t)15;
    if (!b || new_size >= old_size || (unsigned char *)p + old_size != b->data + b->used) return;
    b->used -= old_size - new_size;
    a->used -= old_size - new_size;
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        if (b->mapped) munmap(b, b->cap + sizeof *b);
        else free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}

size_t arena_used(const arena *a) { return a->used; }
