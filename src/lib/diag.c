/* diag.c - thread-safe list of diagnostics. */
#include "diag.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

void diag_init(diag_list *d)
{
    memset(d, 0, sizeof *d);
    pthread_mutex_init(&d->lock, NULL);
}

void diag_free(diag_list *d)
{
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].path);
        free(d->items[i].msg);
    }
    free(d->items);
    pthread_mutex_destroy(&d->lock);
    memset(d, 0, sizeof *d);
}

static const char *level_name(diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

void diag_append(diag_list *to, const diag_list *from)
{
    for (size_t i = 0; i < from->len; i++) {
        const diag *x = &from->items[i];
        diag_add(to, x->level, x->path, x->line, x->col, "%s", x->msg);
    }
}

void diag_print(FILE *f, const diag *x)
{
    fprintf(f, "%s:%d:%d: %s: %s\n", x->path ? x->path : "folio", x->line > 0 ? x->line : 1,
            x->col > 0 ? x->col : 1, level_name(x->level), x->msg);
}

void diag_vadd(diag_list *d, diag_level level, const char *path, int line, int col, const char *fmt, va_list ap)
{
    buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    diag x = {level, path ? xstrdup(path) : NULL, line, col, buf_detach(&b, NULL)};
    pthread_mutex_lock(&d->lock);
    if (d->len == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = xrealloc(d->items, d->cap * sizeof *d->items);
    }
    d->items[d->len++] = x;
    if (level == DIAG_ERROR) d->errors++;
    if (level == DIAG_WARNING) d->warnings++;
    if (d->echo) diag_print(d->echo, &x);
    pthread_mutex_unlock(&d->lock);
}

void diag_add(diag_list *d, diag_level level, const char *path, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, level, path, line, col, fmt, ap);
    va_end(ap);
}

static int diag_cmp(const void *pa, const void *pb)
{
    const diag *a = pa, *b = pb;
    int c = strcmp(a->path ? a->path : "", b->path ? b->path : "");
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->col != b->col) return a->col < b->col ? -1 : 1;
    return strcmp(a->msg, b->msg);
}

/* Drop x from d's counts and free it (the caller closes the gap). */
static void forget(diag_list *d, diag *x)
{
    if (x->level == DIAG_ERROR) d->errors--;
    else if (x->level == DIAG_WARNING) d->warnings--;
    free(x->path);
    free(x->msg);
}

void diag_sort(diag_list *d)
{
    pthread_mutex_lock(&d->lock);
    if (d->len > 1) qsort(d->items, d->len, sizeof *d->items, diag_cmp);
    /* A file that serves several languages is read once per language: the
     * same finding at the same place is one finding. */
    size_t kept = 0;
    for (size_t i = 0; i < d->len; i++) {
        diag *x = &d->items[i];
        if (kept && x->level == d->items[kept - 1].level && !diag_cmp(x, &d->items[kept - 1])) forget(d, x);
        else d->items[kept++] = *x;
    }
    d->len = kept;
    pthread_mutex_unlock(&d->lock);
}

void diag_keep(diag_list *d, bool (*keep)(const diag *x, void *user), void *user)
{
    pthread_mutex_lock(&d->lock);
    size_t kept = 0;
    for (size_t i = 0; i < d->len; i++) {
        diag *x = &d->items[i];
        if (keep(x, user)) d->items[kept++] = *x;
        else forget(d, x);
    }
    d->len = kept;
    pthread_mutex_unlock(&d->lock);
}

void diag_print_all(FILE *f, diag_list *d)
{
    for (size_t i = 0; i < d->len; i++) diag_print(f, &d->items[i]);
}

int diag_has(diag_list *d, diag_level level, const char *needle)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].level == level && strstr(d->items[i].msg, needle)) return 1;
    return 0;
}
