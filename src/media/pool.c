/* pool.c - worker threads taking task indexes from a queue of batches.
 *
 * A batch is a (fn, ctx, n) triple living on its caller's stack; workers
 * claim the next index of the oldest batch under one mutex, run it
 * unlocked, and the last finisher wakes the caller. Tasks here are
 * milliseconds long, so one lock is no bottleneck. */
#include "media/pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/buf.h"
#include "media/image.h"

typedef struct batch {
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    size_t n, next, done;
    pthread_cond_t finished;
    struct batch *later;
} batch;

struct task_pool {
    pthread_mutex_t lock;
    pthread_cond_t has_work;
    batch *head, *tail;
    bool is_stopping;
    int nthreads;
    pthread_t *threads;
};

static void *worker(void *arg)
{
    task_pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->head && !p->is_stopping) pthread_cond_wait(&p->has_work, &p->lock);
        if (!p->head) break;
        batch *b = p->head;
        size_t i = b->next++;
        if (b->next == b->n) { /* every index handed out: later batches may start */
            p->head = b->later;
            if (!p->head) p->tail = NULL;
        }
        pthread_mutex_unlock(&p->lock);
        b->fn(b->ctx, i);
        pthread_mutex_lock(&p->lock);
        if (++b->done == b->n) pthread_cond_signal(&b->finished);
    }
    pthread_mutex_unlock(&p->lock);
    images_thread_done();
    return NULL;
}

task_pool *task_pool_new(int threads)
{
    if (threads <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (int)cores : 1;
    }
    task_pool *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->has_work, NULL);
    p->threads = xcalloc((size_t)threads, sizeof *p->threads);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0) break;
        p->nthreads++;
    }
    if (p->nthreads == 0) abort();
    return p;
}

int task_pool_threads(const task_pool *p)
{
    return p->nthreads;
}

void task_pool_run(task_pool *p, size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
    if (n == 0) return;
    batch b = {.fn = fn, .ctx = ctx, .n = n};
    pthread_cond_init(&b.finished, NULL);
    pthread_mutex_lock(&p->lock);
    if (p->tail) p->tail->later = &b;
    else p->head = &b;
    p->tail = &b;
    pthread_cond_broadcast(&p->has_work);
    while (b.done < b.n) pthread_cond_wait(&b.finished, &p->lock);
    pthread_mutex_unlock(&p->lock);
    pthread_cond_destroy(&b.finished);
}

void task_pool_free(task_pool *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->is_stopping = true;
    pthread_cond_broadcast(&p->has_work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nthreads; i++) pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->has_work);
    pthread_mutex_destroy(&p->lock);
    free(p->threads);
    free(p);
}
