/* pool.h - run a loop body on all cores.
 *
 * parallel_for calls fn(ctx, worker, i) for every i in [0, n), spread over
 * `threads` threads (0 = one per online core) that take indexes from a
 * shared atomic counter, so uneven items balance themselves. `worker` is
 * the thread's number in [0, threads), for per-thread arenas and buffers.
 * Returns when every call has returned. */
#ifndef FOLIO_POOL_H
#define FOLIO_POOL_H

#include <stddef.h>

typedef void (*parallel_fn)(void *ctx, int worker, size_t i);

int pool_threads(int requested); /* resolves 0 to the number of cores (max 64) */
void parallel_for(size_t n, int threads, parallel_fn fn, void *ctx);

#endif
