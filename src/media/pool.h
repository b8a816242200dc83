/* pool.h - a small fixed set of worker threads that runs batches of tasks.
 *
 * The media cache renders image variants on it. Only the pool's own threads
 * run tasks (the caller waits), so however many build threads ask at once,
 * at most `threads` photos are decoded at a time: that is what keeps memory
 * bounded. */
#ifndef FOLIO_MEDIA_POOL_H
#define FOLIO_MEDIA_POOL_H

#include <stddef.h>

typedef struct task_pool task_pool;

/* Start a pool of threads workers (0 = one per online core). Aborts when
 * no thread can be started. */
task_pool *task_pool_new(int threads);
/* Number of worker threads. */
int task_pool_threads(const task_pool *p);
/* Run fn(ctx, i) for every i in 0..n-1 on the workers and return when all
 * have finished. Safe to call from several threads at once; batches are
 * served in the order they arrive. */
void task_pool_run(task_pool *p, size_t n, void (*fn)(void *ctx, size_t i), void *ctx);
/* Stop the workers (after the running batches) and free the pool. */
void task_pool_free(task_pool *p);

#endif
