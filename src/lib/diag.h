/* diag.h - diagnostics: errors and warnings with a place in a file.
 *
 * Every problem folio finds in a site is a diag, printed the way compilers
 * print theirs: `path:line:col: error: message`. A diag_list collects them
 * from all build threads (it has its own lock). Line and column count from
 * 1; 0 means "unknown" and is printed as 1 so editors can still jump. */
#ifndef FOLIO_DIAG_H
#define FOLIO_DIAG_H

#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct diag {
    diag_level level;
    char *path;
    int line, col;
    char *msg;
} diag;

typedef struct diag_list {
    pthread_mutex_t lock;
    diag *items;
    size_t len, cap;
    size_t errors, warnings;
    FILE *echo; /* when set, each diag is also printed here as it arrives */
} diag_list;

void diag_init(diag_list *d);
void diag_free(diag_list *d);
void diag_add(diag_list *d, diag_level level, const char *path, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void diag_vadd(diag_list *d, diag_level level, const char *path, int line, int col, const char *fmt, va_list ap);
/* Sort by path, line, column (the order threads report in is random) and
 * drop repeats of the same finding at the same place (a page file that
 * serves several languages is rendered once for each). */
void diag_sort(diag_list *d);
/* Keep the diags keep(x, user) says to, dropping the others (a check of
 * one language leaves out the others' files). */
void diag_keep(diag_list *d, bool (*keep)(const diag *x, void *user), void *user);
/* Add a copy of every diag of from to to (a list kept apart while it was
 * unsure whether its findings stand). */
void diag_append(diag_list *to, const diag_list *from);
void diag_print(FILE *f, const diag *x);
void diag_print_all(FILE *f, diag_list *d);
/* True when some diag's message contains needle (for tests). */
int diag_has(diag_list *d, diag_level level, const char *needle);

#endif
