/* pool.c - parallel_for over pthreads with an atomic work counter. */
#include "lib/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#define POOL_MAX 64

typedef struct job {
    size_t n;
    atomic_size_t next;
    parallel_fn fn;
    void *ctx;
} job;

typedef struct worker_arg {
    job *j;
    int id;
} worker_arg;

int pool_threads(int requested)
{
    if (requested > 0) return requested > POOL_MAX ? POOL_MAX : requested;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    return n > POOL_MAX ? POOL_MAX : (int)n;
}

static void *run(void *p)
{
    worker_arg *w = p;
    job *j = w->j;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n) break;
        j->fn(j->ctx, w->id, i);
    }
    return NULL;
}

void parallel_for(size_t n, int threads, parallel_fn fn, void *ctx)
{
    threads = pool_threads(threads);
    if ((size_t)threads > n) threads = n ? (int)n : 1;
    job j = {n, 0, fn, ctx};
    pthread_t tid[POOL_MAX];
    worker_arg args[POOL_MAX];
    int started = 0;
    for (int t = 1; t < threads; t++) {
        args[t] = (worker_arg){&j, t};
        if (pthread_create(&tid[t], NULL, run, &args[t]) != 0) break;
        started = t;
    }
    args[0] = (worker_arg){&j, 0};
    run(&args[0]);
    for (int t = 1; t <= started; t++) pthread_join(tid[t], NULL);
}
