/* serve_site.h - `folio serve` joined to the build: the rebuild callback
 * that builds a site folder into a fresh snapshot, used by the CLI and by
 * the end-to-end tests. */
#ifndef FOLIO_SERVE_SITE_H
#define FOLIO_SERVE_SITE_H

#include "serve/serve.h"

typedef struct serve_site {
    serve_options serve;
    const char *dir;      /* the Grav user/ folder */
    const char *base_url; /* or NULL */
    const char *cache_dir; /* the photo cache, or NULL for the default */
    bool no_images;        /* photos published as they are */
    void (*variants_progress)(void *ctx, size_t made); /* as build_options; may be NULL */
    int hold_back_seconds; /* how long a new error holds updates back; 0: five minutes */
    /* Files with errors in the build being served (private). */
    char **error_paths;
    size_t nerror_paths;
    bool has_built;
    time_t held_since; /* since when an error new to the site holds updates back (private) */
    /* What the build being served kept for incremental updates (private). */
    struct build_state *state;
    time_t next_change;
} serve_site;

/* site_rebuild_fn for serve_main/watch_start; ctx is a serve_site.
 * The first build is served whatever its errors (a page with an error is
 * left out, as in folio build). On an empty photo cache it shows the
 * photos as they are (without their metadata), so that the site is up in
 * seconds rather than after every variant is made, and asks (through
 * *next_change) for the full build right after. A rebuild is refused - the last good
 * site stays online - when it has an error in a file that had none in the
 * build being served: an editor's broken save does not take a page down
 * while it is fixed. For five minutes at most: an error left standing
 * longer no longer holds the site (its schedule, other editors' posts, a
 * photo removed) back, and *next_change asks for that rebuild. */
snapshot *serve_site_rebuild(void *ctx, time_t now, time_t *next_change, diag_list *d);

/* site_update_fn for serve_main_live/watch_start; ctx is a serve_site.
 * A change to pages' bodies only is applied incrementally (build_update:
 * the pages, the lists showing them and their feeds are rendered again
 * into a snapshot sharing every other file with serving); anything else,
 * or an incremental update that cannot be done, is serve_site_rebuild.
 * The same rule about errors applies. */
snapshot *serve_site_update(void *ctx, snapshot *serving, const char *const *paths, size_t npaths, time_t now,
                            time_t *next_change, diag_list *d);

/* Free what the callbacks kept in site. */
void serve_site_free(serve_site *site);

#endif
