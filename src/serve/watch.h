/* watch.h - live rebuild and scheduled publishing for `folio serve`.
 *
 * A watcher thread rebuilds the site and swaps the result into the server
 * when files under the site folder change (inotify on every folder,
 * including folders created later; a burst of events, as an editor saving
 * or a git checkout makes, is debounced into one rebuild) and when the
 * published set is due to change (the next publish_date or unpublish_date
 * the last build reported), so a scheduled post appears at its minute
 * without anyone touching the server. A failed rebuild leaves the last good
 * snapshot online and prints its errors as `path:line:col: error: ...`.
 * With an update callback, a burst of changes to files goes to it with the
 * files' paths (it can then rebuild only what they affect); the publish
 * timer, lost events and changes to folders still go to rebuild. */
#ifndef FOLIO_WATCH_H
#define FOLIO_WATCH_H

#include <stdio.h>
#include <time.h>

#include "serve/serve.h"

typedef struct watch_options {
    const char *site_dir;   /* folder to watch recursively; NULL: only the timer */
    site_rebuild_fn rebuild;
    site_update_fn update;  /* may be NULL: every change is a rebuild */
    void *ctx;
    time_t next_change;     /* from the build already being served; 0 = none */
    int debounce_ms;        /* quiet time before rebuilding; 0 = 250 (a file still open for writing holds it
                             * back too, up to 30 s) */
    FILE *messages;         /* rebuild errors and notes; NULL = stderr */
    /* Before anything else, replace the snapshot being served by one with
     * its quickly compressed files compressed fully (snapshot_compress_fully):
     * the first build of a big site is served that way (serve_options.
     * first_full_bytes). */
    bool compress_fully;
} watch_options;

typedef struct watcher watcher;

/* Start the watcher thread for srv. Returns NULL (with a message) when
 * site_dir cannot be watched; the server keeps working without it. */
watcher *watch_start(const watch_options *opt, server *srv);

/* Stop the thread (waits for a rebuild in progress) and free w. NULL is fine. */
void watch_stop(watcher *w);

#endif
