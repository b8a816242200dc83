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

/* NULL (with a diag) when the temporary directory cannot be made. */
output *output_dir_new(const char *out_dir, diag_list *d);
/* Publish: swap into place. 0, or -1 with a diag (OUT is then untouched). */
int output_dir_commit(output *o, diag_list *d);
/* Throw the temporary directory away and free o. */
void output_dir_abort(output *o);
/* Number of files written so far. */
size_t output_dir_count(const output *o);

#endif
