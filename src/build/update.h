/* update.h - incremental builds for the live server.
 *
 * build_site_keep() is build_site() that keeps what it loaded and rendered
 * (the site model, every version's summary, the renderer). build_update()
 * then turns a list of changed files into the few output files that
 * change, for the common edit: a page's Markdown body changed while its
 * front matter stayed as it was. It re-renders that page in every language
 * the file serves, the list pages showing it (its summary is on them) and
 * those lists' feeds; nothing else on the site can depend on the body.
 * Anything else - a new, removed or renamed file, a front matter change
 * (title, date, slug, published...), a post without a date (its date is
 * the file's time), list pages themselves, redirects, configuration,
 * theme, media, a site with its own templates (they may show a summary
 * anywhere), a file with errors - is left to a full build: the caller is
 * told so and nothing is written. The files an update writes are
 * byte-identical to what a full build at the same time would write.
 * Two differences remain until the next full build: photo variants the
 * edited text no longer uses stay published, and links from other pages
 * to anchors (#id) in the edited page are not checked again. */
#ifndef FOLIO_UPDATE_H
#define FOLIO_UPDATE_H

#include <stddef.h>

#include "build/build.h"

typedef struct build_state build_state;

/* build_site, also handing over in *state (on success and on a site built
 * with errors; NULL when nothing was built) what build_update needs. The
 * state is the caller's; free it with build_state_free. */
int build_site_keep(const build_options *opt, output *out, diag_list *d, build_result *res, build_state **state);

/* Outcomes of build_update. */
enum { UPDATE_DONE = 0, UPDATE_NEEDS_FULL_BUILD = 1 };

/* Write into out the files that the changes to paths (absolute or as the
 * site folder was given, as the file watcher reports them; files that no
 * longer exist included) change, and update st to match. Returns
 * UPDATE_DONE, or UPDATE_NEEDS_FULL_BUILD when the change is not one it
 * handles or turned up an error; st is then unchanged and the diags of
 * the attempt are left out of d (the full build reports them again). */
int build_update(build_state *st, const char *const *paths, size_t npaths, output *out, diag_list *d);

void build_state_free(build_state *st);

#endif
