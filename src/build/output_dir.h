/* output_dir.h - the directory backend of output: `folio build -o OUT`.
 *
 * Files go into a fresh temporary directory next to OUT. When the build
 * has succeeded, output_dir_commit swaps it with OUT in one atomic step
 * (renameat2 RENAME_EXCHANGE; a plain rename when OUT does not exist yet)
 * and removes the old site (in a background process, so that the build
 * does not wait for it), so a failed or interrupted build never leaves
 * a half-written OUT. A build locks its temporary directory (flock) and
 * the remover of an old site holds that site's lock until it is gone;
 * the next build removes such directories that nobody holds, the remains
 * of a killed build or an interrupted removal. Redirects become small HTML pages (meta refresh and
 * canonical link) plus a line in OUT/_redirects for servers that read
 * such a file. */
#ifndef FOLIO_OUTPUT_DIR_H
#define FOLIO_OUTPUT_DIR_H

#include "build/output.h"
#include "lib/diag.h"

#include <stdbool.h>

/* A build replaces OUT whole and deletes what was there: these are what
 * it must never take for its output. */
typedef struct output_guard {
    const char *site_dir;  /* OUT may not be it, be inside it or contain it */
    const char *cache_dir; /* the image cache: not inside OUT, nor OUT in it */
    bool force;            /* replace a non-empty OUT folio did not make */
} output_guard;

/* The marker file every build leaves in OUT: the next build replaces a
 * folder that has it (or an empty one) and refuses any other. */
#define OUTPUT_DIR_MARKER ".folio-output"

/* NULL (with a diag) when OUT is not a place a build may replace (see
 * output_guard; g may be NULL) or the temporary directory cannot be made. */
output *output_dir_open(const char *out_dir, const output_guard *g, diag_list *d);
/* output_dir_open without a site or cache to keep out of OUT. */
output *output_dir_new(const char *out_dir, diag_list *d);
/* Publish: swap into place. 0, or -1 with a diag (OUT is then untouched). */
int output_dir_commit(output *o, diag_list *d);
/* Throw the temporary directory away and free o. */
void output_dir_abort(output *o);
/* Number of files in the output so far, the marker and _redirects included. */
size_t output_dir_count(const output *o);

#endif
