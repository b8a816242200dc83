/* serve_site.c - the rebuild callbacks: build_site into a snapshot, or
 * build_update into a snapshot derived from the one being served. */
#include "serve/serve_site.h"
#include "build/build.h"
#include "build/update.h"
#include "media/cache.h"
#include "lib/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How much of the first build's pages is compressed with gzip and brotli
 * before the rest goes the quick way (serve_options.first_full_bytes):
 * a site of a few thousand pages is whole within it. */
#define FIRST_FULL_BYTES ((size_t)64 << 20)

static bool was_broken(const serve_site *site, const char *path)
{
    for (size_t i = 0; i < site->nerror_paths; i++)
        if (!strcmp(site->error_paths[i], path)) return true;
    return false;
}

/* How long an error new to the site holds its updates back: an editor's
 * broken save keeps the last good version online while it is fixed, but
 * one left broken must not keep the schedule, other editors' posts or the
 * removal of a photo from the site for longer. */
#define HOLD_BACK_SECONDS (5 * 60)

static int hold_back(const serve_site *site)
{
    return site->hold_back_seconds > 0 ? site->hold_back_seconds : HOLD_BACK_SECONDS;
}

/* "5 minutes", "2 s" */
static const char *hold_back_text(const serve_site *site, char *out, size_t cap)
{
    int t = hold_back(site);
    if (t % 60 == 0) snprintf(out, cap, "%d minute%s", t / 60, t == 60 ? "" : "s");
    else snprintf(out, cap, "%d s", t);
    return out;
}

/* Decide whether the build whose diags start at d->items[first] may
 * replace the one being served, and remember its broken files if so. */
static bool accept_errors(serve_site *site, diag_list *d, size_t first, time_t now)
{
    if (site->has_built)
        for (size_t i = first; i < d->len; i++)
            if (d->items[i].level == DIAG_ERROR && d->items[i].path && !was_broken(site, d->items[i].path)) {
                if (!site->held_since) site->held_since = now;
                char when[32];
                hold_back_text(site, when, sizeof when);
                if (now - site->held_since >= hold_back(site)) {
                    diag_add(d, DIAG_NOTE, d->items[i].path, d->items[i].line, d->items[i].col,
                             "not fixed in %s: the site is updated, with what this error leaves out (as folio "
                             "build does)",
                             when);
                    break;
                }
                diag_add(d, DIAG_NOTE, d->items[i].path, d->items[i].line, d->items[i].col,
                         "the site is not updated until this is fixed, for %s at most; the last good version "
                         "stays online",
                         when);
                return false;
            }
    site->held_since = 0;
    for (size_t i = 0; i < site->nerror_paths; i++) free(site->error_paths[i]);
    free(site->error_paths);
    site->error_paths = NULL;
    site->nerror_paths = 0;
    for (size_t i = first; i < d->len; i++) {
        if (d->items[i].level != DIAG_ERROR || !d->items[i].path) continue;
        site->error_paths = xrealloc(site->error_paths, (site->nerror_paths + 1) * sizeof *site->error_paths);
        site->error_paths[site->nerror_paths++] = xstrdup(d->items[i].path);
    }
    site->has_built = true;
    return true;
}

void serve_site_free(serve_site *site)
{
    for (size_t i = 0; i < site->nerror_paths; i++) free(site->error_paths[i]);
    free(site->error_paths);
    site->error_paths = NULL;
    site->nerror_paths = 0;
    build_state_free(site->state);
    site->state = NULL;
}

snapshot *serve_site_rebuild(void *ctx, time_t now, time_t *next_change, diag_list *d)
{
    serve_site *site = ctx;
    snapshot *s = serve_snapshot_new(&site->serve);
    bool is_first = !site->has_built;
    size_t budget = site->serve.first_full_bytes ? site->serve.first_full_bytes : FIRST_FULL_BYTES;
    if (is_first) snapshot_set_quick_after(s, budget);
    /* What the last build kept is replaced by this build's, or dropped
     * if this one fails: let it go now rather than hold two site models
     * at the peak of the build. */
    build_state_free(site->state);
    site->state = NULL;
    build_options bo = {0};
    bo.site_dir = site->dir;
    bo.base_url = site->base_url;
    bo.cache_dir = site->cache_dir;
    bo.no_images = site->no_images;
    bo.variants_progress = site->variants_progress;
    bo.now = now;
    if (is_first && !site->no_images) {
        char *dir = site->cache_dir ? xstrdup(site->cache_dir) : image_cache_default_dir(site->dir);
        bo.photos_as_they_are = image_cache_is_cold(dir);
        free(dir);
    }
    build_result res = {0};
    size_t first = d->len;
    build_state *state = NULL;
    if (build_site_keep(&bo, snapshot_output(s), d, &res, &state) != 0 || !accept_errors(site, d, first, now)) {
        /* tried again when the hold ends, if nothing changes before */
        if (site->held_since) *next_change = site->held_since + hold_back(site);
        /* The files now differ from what the kept state was loaded from in
         * ways only a full build sees (this one's valid changes elsewhere):
         * updating that state would serve a mix, so none is kept (above).
         * Full builds until one is accepted. */
        build_state_free(state);
        snapshot_unref(s);
        return NULL;
    }
    site->state = state;
    site->next_change = res.next_change;
    if (bo.photos_as_they_are) {
        /* the full build, with the variants, as soon as this one is served */
        if (!res.next_change || res.next_change > now + 1) res.next_change = now + 1;
        site->next_change = res.next_change;
        if (!site->serve.quiet)
            diag_add(d, DIAG_NOTE, site->dir, 0, 0,
                     "the photo cache is empty: photos are served as they are (without their metadata) while "
                     "their sizes are made, in the build that follows");
    }
    const char *langs[32];
    size_t n = 0;
    char *copy = xstrdup(res.languages), *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t && n < 32; t = strtok_r(NULL, " ", &save)) langs[n++] = t;
    snapshot_set_languages(s, langs, n);
    free(copy);
    *next_change = res.next_change;
    return s;
}

snapshot *serve_site_update(void *ctx, snapshot *serving, const char *const *paths, size_t npaths, time_t now,
                            time_t *next_change, diag_list *d)
{
    serve_site *site = ctx;
    /* Publishing decisions were made at the last full build; past its next
     * change they are stale, and only a full build makes them again. */
    bool stale = site->next_change && now >= site->next_change;
    if (site->state && serving && !stale) {
        snapshot *s = snapshot_derive(serving);
        if (build_update(site->state, paths, npaths, snapshot_output(s), d) == UPDATE_DONE) {
            *next_change = site->next_change;
            return s;
        }
        snapshot_unref(s);
    }
    return serve_site_rebuild(ctx, now, next_change, d);
}
