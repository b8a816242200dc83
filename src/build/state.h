/* state.h - what a build keeps for later incremental updates (update.c):
 * the loaded site with every version's summary, the renderer, the content
 * of list pages and the base URL. Private to src/build. */
#ifndef FOLIO_BUILD_STATE_H
#define FOLIO_BUILD_STATE_H

#include "build/render.h"
#include "build/images.h"
#include "build/update.h"
#include "check/check.h"
#include "content/site.h"
#include "lib/arena.h"

struct build_state {
    site *s;
    renderer *r;
    arena *arenas;        /* the build's per-worker arenas: summaries */
    int narenas;
    char **list_content;  /* per version (s->versions): content of list pages, else NULL */
    arena base_arena;     /* holds base_url */
    const char *base_url;
    build_images *images; /* NULL without image processing */
    diag_list *d;         /* where the image hooks report during an update */
    bool unusable;        /* an update failed after publishing images: only a full build is safe */
    check_index *checks;  /* for the checks of updated pages, made on first use */
    char **own_summaries; /* per version: a summary set by an update (malloc'd), else NULL;
                             replaced edit after edit, so memory does not grow */
};

#endif
