/* serve.h - the HTTP server of `folio serve`.
 *
 * Answers every request from the current snapshot (snapshot.h), never from
 * the file system: GET and HEAD, ETag/Last-Modified revalidation, single
 * byte ranges, brotli/gzip chosen from Accept-Encoding, the root redirected
 * to the visitor's language, per-language 404 pages, security headers on
 * every response, one Common Log Format line per request (the visitor's
 * address from X-Forwarded-For when a local proxy sends it; written in
 * batches per worker within a fraction of a second, so lines of requests
 * answered by different cores at about the same time may appear out of
 * order). Built on
 * libmicrohttpd with one epoll thread per core, each on its own listening
 * socket of the port (SO_REUSEPORT, so a second server started by the same
 * user on the same port would share it rather than fail); bodies are sent straight
 * from the snapshot's memory, which a request keeps alive by holding a
 * reference until it completes, so swapping in a new snapshot never
 * disturbs requests in flight.
 *
 * Wiring `folio serve` to the build (src/main.c):
 *
 *   static snapshot *rebuild(void *ctx, time_t now, time_t *next_change, diag_list *d)
 *   {
 *       struct serve_site *site = ctx;
 *       snapshot *s = serve_snapshot_new(&site->serve);
 *       build_options bo = {.site_dir = site->dir, .now = now};
 *       build_result res;
 *       if (build_site(&bo, snapshot_output(s), d, &res) != 0) {
 *           snapshot_unref(s);
 *           return NULL;
 *       }
 *       *next_change = res.next_change;
 *       snapshot_set_language_list(s, res.languages);
 *       return s;
 *   }
 *   ...
 *   return serve_main(&site.serve, rebuild, &site);
 *
 * The site's languages reach the server through the snapshot (above, or a
 * `_folio/languages` file the build puts). Grav's old URLs are redirect
 * entries the build registers with output_redirect(). */
#ifndef FOLIO_SERVE_H
#define FOLIO_SERVE_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "lib/diag.h"
#include "serve/snapshot.h"

typedef struct serve_options {
    const char *site_dir;      /* watched for changes (serve_main only); NULL: no watching */
    const char *bind;          /* address to listen on; NULL = "127.0.0.1" */
    int port;                  /* 0 = any free port (see server_port) */
    bool dev;                  /* live reload: pages poll /_folio/version and reload */
    const char *log_path;      /* access log file (appended); NULL = stdout */
    bool quiet;                /* no access log at all */
    int threads;               /* worker threads; 0 = one per core */
    unsigned connection_limit; /* in total; 0 = 1024 */
    unsigned per_ip_limit;     /* simultaneous connections per client address; 0 = 128,
                                  or no limit of its own when bind is a loopback
                                  address: behind a reverse proxy every connection
                                  has the proxy's address */
    unsigned timeout_seconds;  /* idle connection timeout; 0 = 10 */
    unsigned request_seconds;  /* a request's headers must all arrive within this time of
                                  the connection opening or the previous answer, however
                                  slowly they drip in (slow loris); 0 = 30 */
    size_t first_full_bytes;   /* the first build compresses this much fully and the rest
                                  quickly, to answer sooner, then a second build in the
                                  background compresses the rest fully; 0 = 64 MB */
} serve_options;

typedef struct server server;

/* Start listening and serving initial (the server takes over the caller's
 * reference). With initial NULL the site is still being built: every
 * request, /healthz included, gets 503 with Retry-After until the first
 * server_swap. Returns NULL and reports into d when the server cannot
 * start (address in use, bad bind address, log file not writable). */
server *server_start(const serve_options *opt, snapshot *initial, diag_list *d);

/* The port actually listened on (useful with port 0). */
int server_port(const server *srv);

/* Make s the snapshot new requests are answered from, taking over the
 * caller's reference. Requests in flight finish with the old snapshot,
 * which is freed when the last of them completes. */
void server_swap(server *srv, snapshot *s);

/* A new reference to the current snapshot (release with snapshot_unref). */
snapshot *server_snapshot(server *srv);
/* An eventfd that becomes readable when the server found a file of the
 * snapshot changed since it was put (a photo edited in place in the image
 * cache, which no watcher of the site sees): the watcher rebuilds on it,
 * and the rebuild puts the file as it is now. Read it to reset it. */
int server_stale_fd(server *srv);

/* Open the access log file again under its name, for log rotation (the
 * old file was renamed): lines go to the new file from now on. 0, or -1
 * with errno (the old file is kept). Nothing to do without a log file. */
int server_reopen_log(server *srv);

/* Stop accepting, let requests in flight finish (at most a few seconds),
 * close everything and free srv. */
void server_stop(server *srv);

/* A fresh empty snapshot suited to opt: in dev mode its HTML pages carry
 * the live-reload script. A rebuild callback should create its snapshot
 * with this: called in a rebuild started by the server, the snapshot also
 * reuses the compressed forms of unchanged files (snapshot_reuse_from). */
snapshot *serve_snapshot_new(const serve_options *opt);

/* For the rebuild thread (watch.c): the snapshot serve_snapshot_new calls
 * made by this thread reuse from, NULL for none. previous must stay
 * referenced while set. */
void serve_set_rebuild_base(snapshot *previous);

/* Builds the site at `now` into a new snapshot (from serve_snapshot_new).
 * Sets *next_change to when the published set changes next (a publish or
 * unpublish date), 0 for never. Returns NULL when the build failed; the
 * errors are in d. */
typedef snapshot *(*site_rebuild_fn)(void *ctx, time_t now, time_t *next_change, diag_list *d);

/* The incremental form of a rebuild, for changes to known files: paths
 * are the files that changed (created, written, renamed or deleted) since
 * the snapshot serving was built. Returns the new snapshot (typically
 * snapshot_derive(serving) with the changed files put again) or NULL after
 * reporting into d, like site_rebuild_fn, which it may call itself when
 * the change needs a full build. */
typedef snapshot *(*site_update_fn)(void *ctx, snapshot *serving, const char *const *paths, size_t npaths,
                                    time_t now, time_t *next_change, diag_list *d);

/* The whole of `folio serve`: build once with rebuild, serve, rebuild on
 * changes in opt->site_dir and at each next_change, until SIGINT or
 * SIGTERM, then finish requests in flight and return 0. Returns 1 when the
 * first build or the server start failed (errors printed to stderr). Call
 * before starting any other thread: it blocks SIGINT/SIGTERM in the
 * process's threads to wait for them. */
int serve_main(const serve_options *opt, site_rebuild_fn rebuild, void *ctx);
/* The same, with file changes going to update (may be NULL) rather than
 * to rebuild when the watcher knows which files changed. */
int serve_main_live(const serve_options *opt, site_rebuild_fn rebuild, site_update_fn update, void *ctx);

#endif
