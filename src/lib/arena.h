/* arena.h - region allocator: many small allocations, one free.
 *
 * Everything that lives exactly as long as one build, one page render or
 * one template render comes from an arena, so that freeing it is a single
 * call and leaks are structurally impossible. An arena is not thread-safe:
 * each thread uses its own. Allocation failure aborts. */
#ifndef FOLIO_ARENA_H
#define FOLIO_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    size_t block_size;
    size_t used; /* bytes handed out, for arena_used */
} arena;

#define ARENA_INIT {NULL, 0, 0}
/* block_size for an arena that grows to many megabytes (a whole site's
 * model): its blocks are mapped on their own and backed by transparent
 * huge pages where the kernel offers them, so that filling 80 MB costs
 * forty page faults instead of twenty thousand. */
#define ARENA_HUGE_BLOCK ((size_t)2 << 20)
#define ARENA_INIT_HUGE {NULL, ARENA_HUGE_BLOCK, 0}

void *arena_alloc(arena *a, size_t n);       /* 16-byte aligned, uninitialised */
void *arena_zalloc(arena *a, size_t n);      /* zeroed */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The strings given, up to a NULL, one after the other: arena_printf's
 * "%s%s" without parsing a format, for paths made by the thousand. */
char *arena_cat(arena *a, ...) __attribute__((sentinel));
/* Give back the end of the allocation p (of old_size bytes) made last,
 * keeping its first new_size: a buffer sized for the worst case is
 * trimmed to what was written. Does nothing when p was not the last. */
void arena_trim(arena *a, void *p, size_t old_size, size_t new_size);
void arena_free(arena *a);                   /* releases everything; a is reusable */
size_t arena_used(const arena *a);           /* bytes handed out, for statistics */

#endif
