/* state.h - what a build keeps for later incremental updates (update.c):
 * the loaded site with every version's summary, the renderer, the content
 * of list pages and the base URL. Private to src/build. */
#ifndef FOLIO_BUILD_STATE_H
#define FOLIO_BUILD_STATE_H

#include "build/render.h"
#include "build/images.h"
#include "build/policy.h"
#include "build/update.h"
#include "check/check.h"
#include "content/site.h"
#include "lib/arena.h"

/* What the content and header-image hooks of a page render need; a full
 * build and an update each hold one and pass it as the hooks' user. */
typedef struct build_hooks {
    renderer *r;
    build_images *images; /* NULL without image processing */
    diag_list *d;
} build_hooks;

/* content_twig_fn, content_image_fn and render_header_image_fn over a build_hooks. */
int build_hook_twig(void *hooks, const page_version *pv, const char *html, size_t len, buf *out, diag_list *d);
bool build_hook_image(void *hooks, const page_version *pv, const media_file *m, const char *query, const char *alt,
                      const char *title, buf *out);
bool build_hook_header_image(void *hooks, const media_file *m, bool above_fold, buf *out);
/* content_file_note_fn and content_poster_fn over a build_hooks. */
void build_hook_file_note(void *hooks, const page_version *pv, const media_file *m, buf *out);
bool build_hook_poster(void *hooks, const page_version *pv, const media_file *m, buf *url);
/* Whether html shows a file of the user folder by its "/user/..." address
 * (not a page's own file), which the full build publishes. */
bool build_shows_user_file(const char *html, size_t len);

struct build_state {
    site *s;
    renderer *r;
    arena *arenas;        /* the build's per-worker arenas: summaries */
    int narenas;
    char **list_content;  /* per version (s->versions): content of list pages, else NULL */
    arena base_arena;     /* holds base_url */
    const char *base_url;
    build_images *images; /* NULL without image processing */
    site_policy *policy;  /* the other origins the content embeds */
    diag_list *d;         /* where the image hooks report during an update */
    bool unusable;        /* an update failed after publishing images: only a full build is safe */
    check_index *checks;  /* for the checks of updated pages, made on first use */
    build_hooks hooks;    /* set for each update */
    char **own_summaries; /* per version: a summary set by an update (malloc'd), else NULL;
                             replaced edit after edit, so memory does not grow */
};

#endif
