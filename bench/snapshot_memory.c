/* snapshot_memory.c - memory held by a snapshot of a large site.
 *
 * Usage: snapshot_memory [PAGES] [THREADS]   (defaults 30000 and 2)
 * Puts PAGES distinct news pages of about 10 KB of HTML (Cyrillic text in
 * a page skeleton, like the center's posts) from THREADS threads, then
 * prints the bytes kept per encoding and the process's resident memory. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "lib/buf.h"
#include "serve/snapshot.h"

static int pages = 30000;
static atomic_int next_page;

static const char *words[] = {"гематология", "центр", "конференция", "пациент", "лечение", "врач",
                              "қан", "орталығы", "семинар", "исследование", "трансплантация", "костного",
                              "мозга", "Алматы", "Астана", "доклад", "опыт", "коллеги", "методы", "диагностика"};

static void make_page(buf *b, int n)
{
    unsigned x = (unsigned)n * 2654435761u + 1;
    buf_reset(b);
    buf_puts(b, "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Новости</title>"
                "<link rel=\"stylesheet\" href=\"/theme/style.3f9a2c1e.css\"></head><body><header><nav>"
                "<a href=\"/ru/\">Главная</a><a href=\"/ru/news/\">Новости</a><a href=\"/ru/about/\">О центре</a>"
                "<a href=\"/ru/doctors/\">Врачи</a><a href=\"/ru/contacts/\">Контакты</a></nav></header><main><article>");
    buf_printf(b, "<h1>Новость %d</h1>", n);
    while (b->len < 9500) {
        buf_puts(b, "<p>");
        for (int w = 0; w < 25; w++) {
            x = x * 1103515245u + 12345u;
            buf_puts(b, words[(x >> 16) % (sizeof words / sizeof words[0])]);
            buf_putc(b, ' ');
        }
        buf_puts(b, "</p>\n");
    }
    buf_puts(b, "</article></main><footer>© Гематологический центр</footer></body></html>\n");
}

static void *putter(void *arg)
{
    output *o = arg;
    buf page = BUF_INIT;
    for (;;) {
        int n = atomic_fetch_add(&next_page, 1);
        if (n >= pages) break;
        make_page(&page, n);
        char path[64];
        snprintf(path, sizeof path, "ru/news/post-%d/index.html", n);
        output_put(o, path, page.s, page.len, 0);
    }
    buf_free(&page);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1) pages = atoi(argv[1]);
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    if (threads < 1 || threads > 64) threads = 2;
    long before = bench_rss_kb();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    snapshot *s = snapshot_new(NULL);
    pthread_t t[64];
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, putter, snapshot_output(s));
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    size_t raw = 0, gz = 0, br = 0;
    for (int n = 0; n < pages; n++) {
        char path[64];
        snprintf(path, sizeof path, "ru/news/post-%d/index.html", n);
        const resource *r = snapshot_find(s, path, strlen(path));
        if (!r) continue;
        raw += r->len[ENCODING_IDENTITY];
        gz += r->len[ENCODING_GZIP];
        br += r->len[ENCODING_BROTLI];
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("pages: %d (%zu resources), put with %d threads in %.2f s\n", pages, snapshot_count(s), threads, secs);
    printf("plain size %.1f MB; stored: gzip %.1f MB, brotli %.1f MB, all forms %.1f MB\n", raw / 1e6, gz / 1e6,
           br / 1e6, snapshot_bytes(s) / 1e6);
    printf("resident memory growth: %.1f MB\n", (bench_rss_kb() - before) / 1024.0);

    /* A live rebuild where nothing changed: compressed forms are copied. */
    atomic_store(&next_page, 0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    snapshot *again = snapshot_new(NULL);
    snapshot_reuse_from(again, s);
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, putter, snapshot_output(again));
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    snapshot_reuse_from(again, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("rebuild reusing compressed forms: %.2f s\n", secs);
    snapshot_unref(again);
    snapshot_unref(s);
    return 0;
}
