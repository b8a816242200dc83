/* serve.c - the HTTP server: libmicrohttpd in front of a snapshot.
 *
 * Request life: the URI-log callback (the first thing libmicrohttpd tells
 * us) creates a request record holding the raw URI for the access log; the
 * access handler takes a reference to the current snapshot and queues a
 * response; the completion callback writes the log line and drops the
 * reference. Bodies are never copied: responses point into the snapshot.
 * libmicrohttpd's own URL unescaping is switched off so that the path
 * reaches http_decode_path exactly as sent.
 *
 * Each core runs a worker: one single-threaded daemon and everything its
 * requests change (so the cores share no written cache line per request):
 * - its hold on the current snapshot, shared by its requests, so the
 *   snapshot's own reference count and the server's lock are touched only
 *   after a swap;
 * - its prepared 200 responses, one per resource and encoding, made on
 *   first use and queued again and again (libmicrohttpd responses are
 *   reference counted), remade each second for the Date header we set
 *   ourselves;
 * - its access log lines, written in batches by one write() and at least
 *   every LOG_FLUSH_MS by a flusher thread. */
#include "serve/serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/buf.h"
#include "serve/http.h"
#include "serve/route.h"
#include "serve/watch.h"

#define MAX_URI 2048
#define MAX_PATH 4096
#define DRAIN_SECONDS 5
#define CONNECTION_MEMORY (16 * 1024)
/* Unless the site's build says otherwise (snapshot_csp): build/policy.h. */
#define CSP "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " \
            "frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
#define DEV_SCRIPT_TAG "<script src=\"/_folio/reload.js\"></script>"

/* Polls the snapshot generation and reloads the page when it changes. */
static const char dev_reload_js[] =
    "(function(){var seen=null;function poll(){fetch('/_folio/version',{cache:'no-store'})"
    ".then(function(r){return r.text();}).then(function(v){if(seen===null)seen=v;"
    "else if(v!==seen)location.reload();}).catch(function(){})"
    ".then(function(){setTimeout(poll,1000);});}poll();})();\n";

#define MAX_WORKERS 64
/* A worker's log lines are written out in one write() once they reach
 * this size: a batch of short lines stays within PIPE_BUF, so lines from
 * several workers do not interleave even when the log is a pipe. */
#define LOG_BATCH 3500
#define LOG_FLUSH_MS 200

/* A worker's reference to a snapshot, shared by the worker's requests
 * without touching the snapshot's own (process-wide) reference count. */
typedef struct snapshot_hold {
    snapshot *snap;
    unsigned users; /* requests answering from snap; under the worker's lock */
} snapshot_hold;

/* A connection while it waits for a request. libmicrohttpd restarts its
 * idle timeout on every byte, so a client that sends its headers one byte
 * at a time (slow loris) would hold a connection for as long as it likes;
 * the deadline thread closes connections whose request has not arrived in
 * full within request_seconds. */
typedef struct watched_conn {
    int fd;
    _Atomic long long waiting_since_ms; /* 0 while a request is answered; -1 once cut off */
    struct watched_conn *prev, *next;
} watched_conn;

/* One single-threaded libmicrohttpd daemon and what only its requests use.
 * Everything a request changes lives here rather than in the server, so
 * two cores never fight over one cache line on the hot path. */
typedef struct worker {
    struct server *srv;
    struct MHD_Daemon *daemon;
    /* Taken by the worker's own thread on every request and only rarely by
     * another (a swap, the log flusher), so it is almost never contended. */
    pthread_mutex_t lock;
    snapshot_hold *hold; /* what new requests use; NULL until the first */
    buf log;             /* access log lines not yet written */
    time_t log_second;   /* the second log_time was formatted for */
    char log_time[40];   /* "22/Nov/2026:05:04:58 +0000" */
    atomic_int in_flight; /* written by the worker's thread only */
    unsigned index;       /* in server.workers */
    time_t date_second;   /* the second date is for */
    const char *csp;      /* of the snapshot of the request being answered */
    char date[32];        /* the Date header: "Sun, 22 Nov 2026 05:04:58 GMT" */
    watched_conn *conns;  /* open connections; under lock */
} worker;

/* The prepared full responses of one resource in one encoding, one per
 * worker, in a resource's cache slot. libmicrohttpd counts the uses of a
 * response under the response's mutex, so one response shared by all
 * cores would move that cache line between them on every request; and a
 * response carries its Date header, so each is remade once a second. */
typedef struct worker_response {
    struct MHD_Response *resp; /* made and used by worker i's thread only */
    time_t date_second;
} worker_response;

typedef struct response_set {
    unsigned n;
    worker_response by_worker[];
} response_set;

struct server {
    /* One worker per core, each with its own listening socket on the same
     * port (SO_REUSEPORT): the kernel then spreads new connections evenly,
     * where workers racing to accept on one shared socket leave one core
     * with most of the keep-alive connections. */
    worker *workers[MAX_WORKERS];
    unsigned nworkers;
    pthread_mutex_t snapshot_lock; /* taken to change current or add a reference to it */
    _Atomic(snapshot *) current;
    atomic_bool is_ready; /* false until the first build is served */
    bool dev;
    int port;
    int log_fd; /* -1 without an access log */
    bool owns_log;
    char *log_path; /* when owns_log: for server_reopen_log */
    pthread_t log_flusher;
    bool has_log_flusher;
    pthread_mutex_t flusher_lock;
    pthread_cond_t flusher_wake;
    bool is_stopping;
    long long request_ms; /* see watched_conn */
    pthread_t deadline_thread;
    bool has_deadline_thread;
    int stale_fd; /* server_stale_fd */
};

typedef struct request {
    worker *w;
    snapshot_hold *hold;
    snapshot *snap;
    bool uri_too_long;
    bool refuse_body; /* a GET or HEAD with a body or two lengths: 400, closed */
    char method[16];
    char version[16];
    unsigned status;
    size_t bytes;
    char forwarded_for[INET6_ADDRSTRLEN]; /* the visitor, when a local proxy says so */
    char uri[]; /* as received, at most MAX_URI bytes kept */
} request;

/* ---- responses ---- */

/* Sets w->date to the current second's Date header. Formatted here rather
 * than by libmicrohttpd, which calls gmtime_r for every response and so
 * takes glibc's process-wide time-zone lock from every core. */
static void refresh_date(worker *w)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);
    if (now == w->date_second) return;
    struct tm tm;
    gmtime_r(&now, &tm);
    snprintf(w->date, sizeof w->date, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    w->date_second = now;
}

/* Headers every response carries. */
static void add_common_headers(struct MHD_Response *resp, const worker *w)
{
    MHD_add_response_header(resp, "Date", w->date);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "strict-origin-when-cross-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "SAMEORIGIN");
    MHD_add_response_header(resp, "Content-Security-Policy", w->csp ? w->csp : CSP);
}

static struct MHD_Response *response_from(const worker *w, const void *data, size_t len)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    if (resp) add_common_headers(resp, w);
    return resp;
}

static enum MHD_Result queue(request *rq, struct MHD_Connection *c, unsigned status, struct MHD_Response *resp,
                             size_t body_len)
{
    if (!resp) return MHD_NO;
    rq->status = status;
    rq->bytes = strcmp(rq->method, "HEAD") == 0 || status == 304 ? 0 : body_len;
    return MHD_queue_response(c, status, resp);
}

/* A one-off response (errors, redirects, 304, ranges): queued and released. */
static enum MHD_Result answer(request *rq, struct MHD_Connection *c, unsigned status, struct MHD_Response *resp,
                              size_t body_len)
{
    enum MHD_Result r = queue(rq, c, status, resp, body_len);
    if (resp) MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result answer_text(request *rq, struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *resp = response_from(rq->w, text, strlen(text));
    if (resp) {
        MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
        MHD_add_response_header(resp, "Cache-Control", "no-store");
        if (status == 405) MHD_add_response_header(resp, "Allow", "GET, HEAD");
    }
    return answer(rq, c, status, resp, strlen(text));
}

/* Before the first build is done: "come back in a moment", never a 404
 * a crawler could take for a page gone. A browser reloads by itself. */
static enum MHD_Result answer_starting(request *rq, struct MHD_Connection *c, const char *path)
{
    static const char page[] =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"2\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>503</title></head>"
        "<body><p lang=\"kk\">Сайт іске қосылуда.</p><p lang=\"ru\">Сайт запускается.</p>"
        "<p lang=\"en\">The site is starting.</p></body></html>\n";
    bool is_health = strcmp(path, "/healthz") == 0;
    const char *body = is_health ? "starting" : page;
    size_t len = strlen(body);
    struct MHD_Response *resp = response_from(rq->w, body, len);
    if (resp) {
        MHD_add_response_header(resp, "Content-Type", is_health ? "text/plain; charset=utf-8" : "text/html; charset=utf-8");
        MHD_add_response_header(resp, "Cache-Control", "no-store");
        MHD_add_response_header(resp, "Retry-After", "2");
    }
    return answer(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, resp, len);
}

static enum MHD_Result answer_redirect(request *rq, struct MHD_Connection *c, unsigned status, const char *location,
                                       const char *vary)
{
    struct MHD_Response *resp = response_from(rq->w, "", 0);
    if (resp) {
        MHD_add_response_header(resp, "Location", location);
        MHD_add_response_header(resp, "Cache-Control", status == 301 || status == 308 ? "public, max-age=3600" : "no-cache");
        if (vary) MHD_add_response_header(resp, "Vary", vary);
    }
    return answer(rq, c, status, resp, 0);
}

/* ---- resource headers ---- */

/* 8 to 64 lowercase hex digits with at least one letter: a date such as
 * "photo-20230109.jpg" is a name, not a content hash. (The rare hash made
 * only of digits is then merely cached for a day.) */
static bool is_hex_run(const char *s, size_t n)
{
    if (n < 8 || n > 64) return false;
    bool has_letter = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'a' && s[i] <= 'f') has_letter = true;
        else if (!(s[i] >= '0' && s[i] <= '9')) return false;
    }
    return has_letter;
}

/* "style.3f9a2c1e.css" or "app-3f9a2c1e.js": a content hash in the name
 * means the URL changes whenever the content does, so it may be cached for
 * ever. */
static bool is_fingerprinted(const char *path)
{
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    const char *ext = strrchr(name, '.');
    if (!ext || ext == name) return false;
    for (const char *p = name; p < ext; p++) {
        if (*p != '.' && *p != '-') continue;
        const char *q = p + 1;
        while (q < ext && *q != '.' && *q != '-') q++;
        if (q == ext && is_hex_run(p + 1, (size_t)(q - p - 1))) return true;
    }
    return false;
}

static const char *cache_control_for(const resource *r)
{
    if (strncmp(r->content_type, "text/html", 9) == 0) return "no-cache";
    if (is_fingerprinted(r->path)) return "public, max-age=31536000, immutable";
    if (strncmp(r->content_type, "text/", 5) == 0 || strstr(r->content_type, "json") || strstr(r->content_type, "xml"))
        return "public, max-age=3600";
    return "public, max-age=86400";
}

static bool has_encodings(const resource *r)
{
    return r->body[ENCODING_GZIP] || r->body[ENCODING_BROTLI];
}

/* The ETag of one encoding: the content hash, suffixed for encoded forms
 * because each representation needs its own strong validator. */
static void etag_for(const resource *r, resource_encoding e, char out[32])
{
    const char *suffix = e == ENCODING_GZIP ? "-gz" : e == ENCODING_BROTLI ? "-br" : "";
    snprintf(out, 32, "%.*s%s\"", (int)strlen(r->etag) - 1, r->etag, suffix);
}

static void add_resource_headers(struct MHD_Response *resp, const resource *r, resource_encoding e)
{
    char etag[32];
    etag_for(r, e, etag);
    MHD_add_response_header(resp, "ETag", etag);
    MHD_add_response_header(resp, "Last-Modified", r->last_modified);
    MHD_add_response_header(resp, "Cache-Control", cache_control_for(r));
    if (has_encodings(r)) MHD_add_response_header(resp, "Vary", "Accept-Encoding");
}

static void free_response_set(void *p)
{
    response_set *set = p;
    for (unsigned i = 0; i < set->n; i++)
        if (set->by_worker[i].resp) MHD_destroy_response(set->by_worker[i].resp);
    free(set);
}

/* Bytes of a resource kept as an open file (resource.fd), from first on:
 * MHD asks for them by position, from any connection the response is
 * queued on. The request's hold on its snapshot keeps r open until the
 * response is sent. */
typedef struct file_part {
    const resource *r;
    size_t first;
} file_part;

static ssize_t read_file_part(void *cls, uint64_t pos, char *out, size_t max)
{
    const file_part *p = cls;
    long n = resource_read(p->r, p->first + (size_t)pos, out, max);
    /* a file cut since it was put ends the response early: the client
     * sees a short body, never another file's bytes */
    return n > 0 ? (ssize_t)n : (ssize_t)MHD_CONTENT_READER_END_WITH_ERROR;
}

static struct MHD_Response *file_response(const worker *w, const resource *r, size_t first, size_t len)
{
    file_part *p = xmalloc(sizeof *p);
    p->r = r;
    p->first = first;
    struct MHD_Response *resp = MHD_create_response_from_callback(len, 64 * 1024, read_file_part, p, free);
    if (!resp) {
        free(p);
        return NULL;
    }
    add_common_headers(resp, w);
    return resp;
}

static struct MHD_Response *full_response(const worker *w, const resource *r, resource_encoding e)
{
    struct MHD_Response *resp;
    if (r->fd >= 0) {
        resp = e == ENCODING_IDENTITY ? file_response(w, r, 0, r->len[e]) : NULL;
    } else {
        const char *body = resource_body(r, e);
        resp = body ? response_from(w, body, r->len[e]) : NULL;
    }
    if (!resp) return NULL;
    MHD_add_response_header(resp, "Content-Type", r->content_type);
    if (e == ENCODING_GZIP) MHD_add_response_header(resp, "Content-Encoding", "gzip");
    if (e == ENCODING_BROTLI) MHD_add_response_header(resp, "Content-Encoding", "br");
    MHD_add_response_header(resp, "Accept-Ranges", "bytes");
    add_resource_headers(resp, r, e);
    return resp;
}

/* This worker's prepared full response for r in encoding e, made on first
 * use and again each second (for its Date). NULL when the plain form is
 * not kept (see resource_body). */
static struct MHD_Response *cached_response(const worker *w, const resource *r, resource_encoding e)
{
    resource *mr = (resource *)r; /* the cache slots are the one mutable part */
    response_set *set = atomic_load_explicit(&mr->cache[e], memory_order_acquire);
    if (!set) {
        unsigned n = w->srv->nworkers;
        set = xcalloc(1, sizeof *set + n * sizeof set->by_worker[0]);
        set->n = n;
        void *expected = NULL;
        if (!atomic_compare_exchange_strong(&mr->cache[e], &expected, set)) {
            free(set);
            set = expected;
        }
    }
    if (w->index >= set->n) return NULL; /* a snapshot shared with a bigger server: not cached */
    worker_response *mine = &set->by_worker[w->index];
    if (mine->resp && mine->date_second == w->date_second) return mine->resp;
    struct MHD_Response *resp = full_response(w, r, e);
    if (!resp) return NULL;
    /* Connections still sending the old one hold their own reference. */
    if (mine->resp) MHD_destroy_response(mine->resp);
    mine->resp = resp;
    mine->date_second = w->date_second;
    return resp;
}

/* The plain form past the inflation budget: a private copy per request. */
static struct MHD_Response *uncached_identity_response(const worker *w, const resource *r, size_t first, size_t len)
{
    char *plain = resource_inflate(r);
    if (!plain) return NULL;
    if (first) memmove(plain, plain + first, len);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, plain, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(plain);
        return NULL;
    }
    add_common_headers(resp, w);
    MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "Accept-Ranges", "bytes");
    add_resource_headers(resp, r, ENCODING_IDENTITY);
    return resp;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static resource_encoding pick_encoding(struct MHD_Connection *c, const resource *r)
{
    if (!has_encodings(r)) return ENCODING_IDENTITY;
    const char *ae = header(c, "Accept-Encoding");
    if (r->body[ENCODING_BROTLI] && http_accepts_encoding(ae, "br")) return ENCODING_BROTLI;
    if (r->body[ENCODING_GZIP] && http_accepts_encoding(ae, "gzip")) return ENCODING_GZIP;
    return ENCODING_IDENTITY;
}

static bool is_not_modified(struct MHD_Connection *c, const resource *r)
{
    const char *inm = header(c, "If-None-Match");
    if (inm) return http_etag_matches(inm, r->etag);
    time_t since = http_parse_date(header(c, "If-Modified-Since"));
    /* a date later than now is no date the server gave (RFC 9110, 13.1.3) */
    return since >= 0 && since <= time(NULL) && r->mtime <= since;
}

/* The whole body in encoding e: the prepared response, or a private
 * one when the plain form is not kept. */
static enum MHD_Result answer_full(request *rq, struct MHD_Connection *c, const resource *r, resource_encoding e,
                                   unsigned status)
{
    struct MHD_Response *resp = cached_response(rq->w, r, e);
    if (resp) return queue(rq, c, status, resp, r->len[e]);
    /* Not cached: a one-off response (private plain copy when not kept). */
    if (r->fd >= 0 || resource_body(r, e)) return answer(rq, c, status, full_response(rq->w, r, e), r->len[e]);
    size_t len = r->len[ENCODING_IDENTITY];
    return answer(rq, c, status, uncached_identity_response(rq->w, r, 0, len), len);
}

static enum MHD_Result answer_range(request *rq, struct MHD_Connection *c, const resource *r)
{
    const char *range = header(c, "Range");
    const char *if_range = header(c, "If-Range");
    size_t len = r->len[ENCODING_IDENTITY], first = 0, last = 0;
    /* If-Range naming another version means "send it whole". */
    bool range_applies = !if_range || strcmp(if_range, r->etag) == 0 || strcmp(if_range, r->last_modified) == 0;
    int kind = range_applies ? http_parse_range(range, len, &first, &last) : 0;
    if (kind == 0) return answer_full(rq, c, r, ENCODING_IDENTITY, MHD_HTTP_OK);
    char content_range[96];
    if (kind < 0) {
        snprintf(content_range, sizeof content_range, "bytes */%zu", len);
        struct MHD_Response *resp = response_from(rq->w, "", 0);
        if (resp) MHD_add_response_header(resp, "Content-Range", content_range);
        return answer(rq, c, MHD_HTTP_RANGE_NOT_SATISFIABLE, resp, 0);
    }
    snprintf(content_range, sizeof content_range, "bytes %zu-%zu/%zu", first, last, len);
    const char *body = r->fd >= 0 ? NULL : resource_body(r, ENCODING_IDENTITY);
    struct MHD_Response *resp;
    if (r->fd >= 0 || body) {
        resp = r->fd >= 0 ? file_response(rq->w, r, first, last - first + 1)
                          : response_from(rq->w, body + first, last - first + 1);
        if (resp) {
            MHD_add_response_header(resp, "Content-Type", r->content_type);
            add_resource_headers(resp, r, ENCODING_IDENTITY);
        }
    } else {
        resp = uncached_identity_response(rq->w, r, first, last - first + 1);
    }
    if (resp) MHD_add_response_header(resp, "Content-Range", content_range);
    return answer(rq, c, MHD_HTTP_PARTIAL_CONTENT, resp, last - first + 1);
}

/* A media file written over in place since it was put (an editor's new
 * upload): its new bytes must not go out under the old length and ETag,
 * and the rebuild the change sets off is moments away. */
static enum MHD_Result answer_replaced(request *rq, struct MHD_Connection *c)
{
    static const char text[] = "This file is being replaced; try again in a moment.\n";
    uint64_t one = 1; /* tell the watcher, which sees only the site's folder */
    if (write(rq->w->srv->stale_fd, &one, sizeof one) < 0) { /* already signalled: the counter is full */ }
    struct MHD_Response *resp = response_from(rq->w, text, sizeof text - 1);
    if (resp) {
        MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
        MHD_add_response_header(resp, "Cache-Control", "no-store");
        MHD_add_response_header(resp, "Retry-After", "1");
    }
    return answer(rq, c, MHD_HTTP_SERVICE_UNAVAILABLE, resp, sizeof text - 1);
}

static enum MHD_Result answer_resource(request *rq, struct MHD_Connection *c, const resource *r, unsigned status)
{
    if (!resource_file_is_current(r)) return answer_replaced(rq, c);
    if (status == MHD_HTTP_OK && is_not_modified(c, r)) {
        resource_encoding e = pick_encoding(c, r);
        struct MHD_Response *resp = response_from(rq->w, "", 0);
        if (resp) add_resource_headers(resp, r, e);
        return answer(rq, c, MHD_HTTP_NOT_MODIFIED, resp, 0);
    }
    if (status == MHD_HTTP_OK && header(c, "Range")) return answer_range(rq, c, r);
    return answer_full(rq, c, r, pick_encoding(c, r), status);
}

/* ---- routing ---- */

static const char *query_of(const request *rq)
{
    const char *q = strchr(rq->uri, '?');
    return q ? q : "";
}

static enum MHD_Result answer_path(request *rq, struct MHD_Connection *c, const char *path)
{
    route rt;
    route_resolve(rq->snap, path, query_of(rq), header(c, "Accept-Language"), &rt);
    enum MHD_Result result;
    if (rt.kind == ROUTE_REDIRECT) result = answer_redirect(rq, c, rt.status, buf_cstr(&rt.location), rt.vary);
    else if (rt.resource) result = answer_resource(rq, c, rt.resource, rt.status);
    else result = answer_text(rq, c, MHD_HTTP_NOT_FOUND, "Not Found\n");
    route_free(&rt);
    return result;
}

static enum MHD_Result answer_dev(request *rq, struct MHD_Connection *c, const char *path)
{
    if (strcmp(path, "/_folio/reload.js") == 0) {
        struct MHD_Response *resp = response_from(rq->w, dev_reload_js, sizeof dev_reload_js - 1);
        if (resp) {
            MHD_add_response_header(resp, "Content-Type", "text/javascript; charset=utf-8");
            MHD_add_response_header(resp, "Cache-Control", "no-store");
        }
        return answer(rq, c, MHD_HTTP_OK, resp, sizeof dev_reload_js - 1);
    }
    char version[32];
    int n = snprintf(version, sizeof version, "%lu", snapshot_generation(rq->snap));
    struct MHD_Response *resp = MHD_create_response_from_buffer((size_t)n, version, MHD_RESPMEM_MUST_COPY);
    if (resp) {
        add_common_headers(resp, rq->w);
        MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    }
    return answer(rq, c, MHD_HTTP_OK, resp, (size_t)n);
}

static bool is_loopback_peer(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr) return false;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
    return false;
}

/* Behind the TLS proxy every connection comes from the proxy; the visitor
 * is the last X-Forwarded-For entry, the one the proxy added. Trusted only
 * from a loopback peer, and only when it looks like an address. */
static void note_forwarded_for(request *rq, struct MHD_Connection *c)
{
    const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff || !is_loopback_peer(c)) return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ') last++;
    size_t n = strspn(last, "0123456789abcdefABCDEF.:");
    if (n == 0 || n >= sizeof rq->forwarded_for || (last[n] && last[n] != ' ')) return;
    memcpy(rq->forwarded_for, last, n);
    rq->forwarded_for[n] = 0;
}

/* ---- the snapshot a request answers from ---- */

static snapshot *current_snapshot_ref(server *srv)
{
    pthread_mutex_lock(&srv->snapshot_lock);
    snapshot *s = snapshot_ref(atomic_load_explicit(&srv->current, memory_order_relaxed));
    pthread_mutex_unlock(&srv->snapshot_lock);
    return s;
}

static void release_hold(snapshot_hold *h)
{
    snapshot_unref(h->snap);
    free(h);
}

/* Give rq the worker's hold on the current snapshot, making a new hold
 * only after a swap: the common case is a pointer comparison and a counter
 * on the worker's own cache line. (A hold keeps its snapshot alive, so an
 * equal pointer really is the same snapshot.) */
static void hold_current_snapshot(worker *w, request *rq)
{
    snapshot *current = atomic_load_explicit(&w->srv->current, memory_order_acquire);
    pthread_mutex_lock(&w->lock);
    snapshot_hold *h = w->hold;
    if (!h || h->snap != current) {
        /* An old hold goes now if idle, else with its last request. */
        if (h && h->users == 0) release_hold(h);
        h = xmalloc(sizeof *h);
        h->snap = current_snapshot_ref(w->srv);
        h->users = 0;
        w->hold = h;
    }
    h->users++;
    pthread_mutex_unlock(&w->lock);
    rq->hold = h;
    rq->snap = h->snap;
    /* Read while this request holds the snapshot: a worker answers one
     * request at a time, and every response is made after this. */
    w->csp = h->snap ? snapshot_csp(h->snap) : NULL;
}

static void drop_hold(worker *w, snapshot_hold *h)
{
    pthread_mutex_lock(&w->lock);
    bool is_last = --h->users == 0 && (h != w->hold || h->snap != atomic_load(&w->srv->current));
    if (is_last && h == w->hold) w->hold = NULL;
    pthread_mutex_unlock(&w->lock);
    if (is_last) release_hold(h);
}

/* After a swap: workers with nothing in flight let the old snapshot go at
 * once rather than at their next request. */
static void release_idle_holds(server *srv)
{
    snapshot *current = atomic_load(&srv->current);
    for (unsigned i = 0; i < srv->nworkers; i++) {
        worker *w = srv->workers[i];
        pthread_mutex_lock(&w->lock);
        snapshot_hold *h = w->hold;
        bool is_stale = h && h->users == 0 && h->snap != current;
        if (is_stale) w->hold = NULL;
        pthread_mutex_unlock(&w->lock);
        if (is_stale) release_hold(h);
    }
}

static void copy_short(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* ---- request deadlines ---- */

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static watched_conn *watched_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void track_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                             enum MHD_ConnectionNotificationCode code)
{
    worker *w = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        watched_conn *wc = xcalloc(1, sizeof *wc);
        wc->fd = ci ? ci->connect_fd : -1;
        atomic_init(&wc->waiting_since_ms, monotonic_ms());
        pthread_mutex_lock(&w->lock);
        wc->next = w->conns;
        if (w->conns) w->conns->prev = wc;
        w->conns = wc;
        pthread_mutex_unlock(&w->lock);
        *socket_context = wc;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        /* libmicrohttpd closes the socket after this returns, so the
         * deadline thread (which takes the same lock) never acts on a
         * number that a new connection got in the meantime. */
        watched_conn *wc = *socket_context;
        pthread_mutex_lock(&w->lock);
        if (wc->prev) wc->prev->next = wc->next;
        else w->conns = wc->next;
        if (wc->next) wc->next->prev = wc->prev;
        pthread_mutex_unlock(&w->lock);
        free(wc);
        *socket_context = NULL;
    }
}

/* Cuts off, once a second, the connections whose request is overdue:
 * shutdown() makes libmicrohttpd see the end of the stream and close the
 * connection in its own thread. */
static void *deadline_main(void *arg)
{
    server *srv = arg;
    pthread_mutex_lock(&srv->flusher_lock);
    while (!srv->is_stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&srv->flusher_wake, &srv->flusher_lock, &until);
        if (srv->is_stopping) break;
        long long now = monotonic_ms();
        for (unsigned i = 0; i < srv->nworkers; i++) {
            worker *w = srv->workers[i];
            pthread_mutex_lock(&w->lock);
            for (watched_conn *wc = w->conns; wc; wc = wc->next) {
                long long since = atomic_load(&wc->waiting_since_ms);
                if (since > 0 && now - since > srv->request_ms && wc->fd >= 0) {
                    shutdown(wc->fd, SHUT_RDWR);
                    atomic_store(&wc->waiting_since_ms, -1);
                }
            }
            pthread_mutex_unlock(&w->lock);
        }
    }
    pthread_mutex_unlock(&srv->flusher_lock);
    return NULL;
}

/* The headers of a request that could be read two ways, or that brings
 * a body: counted by count_framing. */
typedef struct framing {
    int lengths, hosts;
    bool has_body, is_chunked;
} framing;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    framing *f = cls;
    (void)kind;
    if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
        f->lengths++;
        if (!value || strcmp(value, "0")) f->has_body = true;
    } else if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
        f->is_chunked = true;
    } else if (!strcasecmp(key, MHD_HTTP_HEADER_HOST)) {
        f->hosts++;
    }
    return MHD_YES;
}

/* A GET or HEAD with a body, or whose length or host is said twice. Such
 * a body means nothing to a file server, and reading it holds the
 * connection for as long as the client takes to send it (a byte every few
 * seconds keeps the idle timer from firing: a thousand such clients took
 * every connection). Two lengths are how a request hides another from a
 * proxy in front. Answered 400 at once; libmicrohttpd then closes the
 * connection without reading the body. */
static bool has_framing_trouble(struct MHD_Connection *c)
{
    framing f = {0, 0, false, false};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
    return f.has_body || f.is_chunked || f.lengths > 1 || f.hosts > 1;
}

static enum MHD_Result handle_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                      const char *version, const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
    worker *w = cls;
    server *srv = w->srv;
    request *rq = *con_cls;
    if (!rq) return MHD_NO; /* no URI callback: cannot happen, refuse */
    bool is_get_or_head = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (!rq->method[0]) {
        /* The headers are in: the request is on time. */
        watched_conn *wc = watched_of(c);
        if (wc) atomic_store_explicit(&wc->waiting_since_ms, 0, memory_order_relaxed);
        copy_short(rq->method, sizeof rq->method, method);
        copy_short(rq->version, sizeof rq->version, version);
        /* libmicrohttpd closes the connection after a response queued
         * before the request is complete, so GET and HEAD answer on the
         * next call and keep-alive holds; other methods are refused at
         * once, without reading their bodies. */
        if (is_get_or_head && !has_framing_trouble(c)) return MHD_YES;
        if (is_get_or_head) rq->refuse_body = true; /* answered now, and the connection closed */
    } else if (*upload_data_size) {
        *upload_data_size = 0; /* a body sent with GET means nothing to us */
        return MHD_YES;
    }
    if (rq->snap) return MHD_YES; /* already answered */
    hold_current_snapshot(w, rq);
    refresh_date(w);
    if (srv->log_fd >= 0) note_forwarded_for(rq, c);

    if (rq->uri_too_long) return answer_text(rq, c, MHD_HTTP_URI_TOO_LONG, "URI Too Long\n");
    if (rq->refuse_body) return answer_text(rq, c, MHD_HTTP_BAD_REQUEST, "Bad Request\n");
    if (!is_get_or_head)
        return answer_text(rq, c, MHD_HTTP_METHOD_NOT_ALLOWED, "Method Not Allowed\n");
    char path[MAX_PATH];
    /* "GET http://host/ru/news/ HTTP/1.1", the absolute form a server must
     * accept (RFC 9112, 3.2.2): the path after the host, the host itself
     * never used */
    if (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8)) {
        const char *slash = strchr(strstr(url, "://") + 3, '/');
        url = slash ? slash : "/";
    }
    if (http_decode_path(url, path, sizeof path) != 0) return answer_text(rq, c, MHD_HTTP_BAD_REQUEST, "Bad Request\n");
    if (!atomic_load_explicit(&srv->is_ready, memory_order_acquire)) return answer_starting(rq, c, path);
    if (strcmp(path, "/healthz") == 0) return answer_text(rq, c, MHD_HTTP_OK, "ok");
    if (srv->dev && (strcmp(path, "/_folio/version") == 0 || strcmp(path, "/_folio/reload.js") == 0))
        return answer_dev(rq, c, path);
    return answer_path(rq, c, path);
}

/* ---- request records and the access log ---- */

static void *begin_request(void *cls, const char *uri, struct MHD_Connection *c)
{
    worker *w = cls;
    size_t n = strlen(uri);
    bool too_long = n > MAX_URI;
    if (too_long) n = MAX_URI;
    /* Not calloc: this runs for every request and only the head needs zeroing. */
    request *rq = xmalloc(sizeof *rq + n + 1);
    memset(rq, 0, sizeof *rq);
    rq->w = w;
    rq->uri_too_long = too_long;
    memcpy(rq->uri, uri, n);
    rq->uri[n] = 0;
    atomic_store_explicit(&w->in_flight, atomic_load_explicit(&w->in_flight, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    return rq;
}

static size_t keep_raw_url(void *cls, struct MHD_Connection *c, char *s)
{
    return strlen(s);
}

/* Quotes and control bytes in a logged URI would let a client forge log
 * lines; write them as \xHH. */
static void log_escaped(buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') buf_printf(b, "\\x%02X", ch);
        else buf_putc(b, (char)ch);
    }
}

/* Write out a worker's pending log lines (under its lock). */
static void flush_worker_log(server *srv, worker *w)
{
    size_t done = 0;
    while (done < w->log.len) {
        ssize_t n = write(srv->log_fd, w->log.s + done, w->log.len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; /* a full disk loses log lines, never requests */
        done += (size_t)n;
    }
    buf_truncate(&w->log, 0);
}

static void write_log_line(server *srv, worker *w, struct MHD_Connection *c, const request *rq)
{
    char host[INET6_ADDRSTRLEN] = "-";
    if (rq->forwarded_for[0]) {
        snprintf(host, sizeof host, "%s", rq->forwarded_for);
    } else {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, host, sizeof host);
            else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, host, sizeof host);
        }
    }
    pthread_mutex_lock(&w->lock);
    time_t now = time(NULL);
    if (now != w->log_second) {
        /* Formatted once a second per worker: localtime_r takes glibc's
         * process-wide time-zone lock. */
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(w->log_time, sizeof w->log_time, "%d/%b/%Y:%H:%M:%S %z", &tm);
        w->log_second = now;
    }
    buf_printf(&w->log, "%s - - [%s] \"", host, w->log_time);
    log_escaped(&w->log, rq->method[0] ? rq->method : "-");
    buf_putc(&w->log, ' ');
    log_escaped(&w->log, rq->uri);
    buf_putc(&w->log, ' ');
    log_escaped(&w->log, rq->version[0] ? rq->version : "-");
    if (rq->bytes) buf_printf(&w->log, "\" %u %zu\n", rq->status, rq->bytes);
    else buf_printf(&w->log, "\" %u -\n", rq->status);
    if (w->log.len >= LOG_BATCH) flush_worker_log(srv, w);
    pthread_mutex_unlock(&w->lock);
}

/* Access log lines are batched per worker and written out within
 * LOG_FLUSH_MS by this thread, so a quiet server's log is still current. */
static void *log_flusher_main(void *arg)
{
    server *srv = arg;
    pthread_mutex_lock(&srv->flusher_lock);
    while (!srv->is_stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += LOG_FLUSH_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&srv->flusher_wake, &srv->flusher_lock, &until);
        for (unsigned i = 0; i < srv->nworkers; i++) {
            worker *w = srv->workers[i];
            pthread_mutex_lock(&w->lock);
            if (w->log.len) flush_worker_log(srv, w);
            pthread_mutex_unlock(&w->lock);
        }
    }
    pthread_mutex_unlock(&srv->flusher_lock);
    return NULL;
}

static void end_request(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    worker *w = cls;
    server *srv = w->srv;
    request *rq = *con_cls;
    /* The next request on this connection has its own deadline. */
    watched_conn *wc = watched_of(c);
    if (wc && atomic_load_explicit(&wc->waiting_since_ms, memory_order_relaxed) >= 0)
        atomic_store_explicit(&wc->waiting_since_ms, monotonic_ms(), memory_order_relaxed);
    if (!rq) return;
    *con_cls = NULL;
    if (srv->log_fd >= 0 && rq->status) write_log_line(srv, w, c, rq);
    if (rq->hold) drop_hold(w, rq->hold);
    free(rq);
    atomic_store_explicit(&w->in_flight, atomic_load_explicit(&w->in_flight, memory_order_relaxed) - 1,
                          memory_order_release);
}

/* ---- life cycle ---- */

static _Thread_local snapshot *rebuild_base;

static void adopt_snapshot(snapshot *s)
{
    snapshot_set_cache_free(s, free_response_set);
    snapshot_reuse_from(s, NULL); /* published: the previous one may go */
}

snapshot *serve_snapshot_new(const serve_options *opt)
{
    snapshot *s = snapshot_new(opt && opt->dev ? DEV_SCRIPT_TAG : NULL);
    if (rebuild_base) snapshot_reuse_from(s, rebuild_base);
    return s;
}

void serve_set_rebuild_base(snapshot *previous)
{
    rebuild_base = previous;
}

static int cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static worker *worker_new(server *srv)
{
    worker *w = xcalloc(1, sizeof *w);
    w->srv = srv;
    pthread_mutex_init(&w->lock, NULL);
    w->log_second = (time_t)-1;
    return w;
}

/* After its daemon has stopped: nothing else touches w any more. */
static void worker_free(server *srv, worker *w)
{
    if (w->log.len && srv->log_fd >= 0) flush_worker_log(srv, w);
    buf_free(&w->log);
    if (w->hold) release_hold(w->hold);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

static unsigned requests_in_flight(server *srv)
{
    int n = 0;
    for (unsigned i = 0; i < srv->nworkers; i++) n += atomic_load(&srv->workers[i]->in_flight);
    return n > 0 ? (unsigned)n : 0;
}

static void stop_log_flusher(server *srv)
{
    pthread_mutex_lock(&srv->flusher_lock);
    srv->is_stopping = true;
    pthread_cond_broadcast(&srv->flusher_wake);
    pthread_mutex_unlock(&srv->flusher_lock);
    if (srv->has_log_flusher) pthread_join(srv->log_flusher, NULL);
    srv->has_log_flusher = false;
    if (srv->has_deadline_thread) pthread_join(srv->deadline_thread, NULL);
    srv->has_deadline_thread = false;
}

/* Frees what server_start made, once no daemon runs. */
static void server_free(server *srv)
{
    stop_log_flusher(srv);
    for (unsigned i = 0; i < srv->nworkers; i++) worker_free(srv, srv->workers[i]);
    if (srv->owns_log) close(srv->log_fd);
    free(srv->log_path);
    if (srv->stale_fd >= 0) close(srv->stale_fd);
    snapshot_unref(atomic_load(&srv->current));
    pthread_mutex_destroy(&srv->snapshot_lock);
    pthread_mutex_destroy(&srv->flusher_lock);
    pthread_cond_destroy(&srv->flusher_wake);
    free(srv);
}

server *server_start(const serve_options *opt, snapshot *initial, diag_list *d)
{
    server *srv = xcalloc(1, sizeof *srv);
    pthread_mutex_init(&srv->snapshot_lock, NULL);
    pthread_mutex_init(&srv->flusher_lock, NULL);
    pthread_cond_init(&srv->flusher_wake, NULL);
    srv->dev = opt->dev;
    srv->stale_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    atomic_init(&srv->is_ready, initial != NULL);
    if (!initial) initial = serve_snapshot_new(opt); /* empty: nothing is answered from it */
    adopt_snapshot(initial);
    atomic_init(&srv->current, initial);
    srv->log_fd = -1;
    if (!opt->quiet) {
        if (opt->log_path) {
            srv->log_fd = open(opt->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
            if (srv->log_fd < 0) {
                diag_add(d, DIAG_ERROR, opt->log_path, 0, 0, "cannot open log file: %s", strerror(errno));
                goto fail;
            }
            srv->owns_log = true;
            srv->log_path = xstrdup(opt->log_path);
        } else {
            fflush(stdout); /* the log bypasses stdio from here on */
            srv->log_fd = STDOUT_FILENO;
        }
    }

    const char *bind = opt->bind ? opt->bind : "127.0.0.1";
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_TURBO;
    struct sockaddr_in *a4 = (struct sockaddr_in *)&addr;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&addr;
    if (inet_pton(AF_INET, bind, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)opt->port);
    } else if (inet_pton(AF_INET6, bind, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)opt->port);
        flags |= MHD_USE_IPv6;
    } else {
        diag_add(d, DIAG_ERROR, "serve", 0, 0, "bind address \"%s\" is not an IP address", bind);
        goto fail;
    }
    unsigned workers = (unsigned)(opt->threads > 0 ? opt->threads : cpu_count());
    if (workers > MAX_WORKERS) workers = MAX_WORKERS;
    /* The limits are per daemon; split them so the totals hold (per
     * address only roughly: the kernel's spread is by connection). */
    unsigned connections = opt->connection_limit ? opt->connection_limit : 1024u;
    /* Listening on loopback, every connection is the proxy's (or the
     * operator's own): a limit per address would be one for the whole
     * site, which one abuser of the proxy could fill. */
    bool is_loopback = a4->sin_family == AF_INET ? (ntohl(a4->sin_addr.s_addr) >> 24) == 127
                                                 : IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
    unsigned per_ip = opt->per_ip_limit ? opt->per_ip_limit : is_loopback ? connections : 128u;
    connections = (connections + workers - 1) / workers;
    per_ip = (per_ip + workers - 1) / workers;
    /* All workers exist before any daemon runs: a swap or the log flusher
     * may walk the list as soon as the first one answers. */
    for (unsigned i = 0; i < workers; i++) {
        srv->workers[i] = worker_new(srv);
        srv->workers[i]->index = i;
        srv->nworkers++;
    }
    for (unsigned i = 0; i < workers; i++) {
        worker *w = srv->workers[i];
        w->daemon = MHD_start_daemon(
            flags, (uint16_t)opt->port, NULL, NULL, handle_request, w,
            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
            MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
            MHD_OPTION_CONNECTION_LIMIT, connections,
            MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
            MHD_OPTION_CONNECTION_TIMEOUT, opt->timeout_seconds ? opt->timeout_seconds : 10u,
            /* Also the request header limit. Kept small because libmicrohttpd
             * clears the whole area between keep-alive requests. */
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
            MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
            /* HTTP/1.1 without a Host, spaces in the request line: 400 */
            MHD_OPTION_STRICT_FOR_CLIENT, 1,
            MHD_OPTION_URI_LOG_CALLBACK, begin_request, w,
            MHD_OPTION_UNESCAPE_CALLBACK, keep_raw_url, w,
            MHD_OPTION_NOTIFY_COMPLETED, end_request, w,
            MHD_OPTION_NOTIFY_CONNECTION, track_connection, w,
            MHD_OPTION_END);
        if (!w->daemon) {
            diag_add(d, DIAG_ERROR, "serve", 0, 0, "cannot listen on %s port %d (address in use?)", bind, opt->port);
            goto fail;
        }
        if (i == 0) {
            /* The others join the port the first one got (port 0 = any). */
            const union MHD_DaemonInfo *info = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT);
            srv->port = info ? info->port : opt->port;
            if (a4->sin_family == AF_INET) a4->sin_port = htons((uint16_t)srv->port);
            else a6->sin6_port = htons((uint16_t)srv->port);
        }
    }
    srv->request_ms = 1000LL * (opt->request_seconds ? opt->request_seconds : 30u);
    if (pthread_create(&srv->deadline_thread, NULL, deadline_main, srv) == 0) srv->has_deadline_thread = true;
    else diag_add(d, DIAG_WARNING, "serve", 0, 0, "no deadline thread: slow requests are bounded by the idle timeout only");
    if (srv->log_fd >= 0) {
        if (pthread_create(&srv->log_flusher, NULL, log_flusher_main, srv) == 0) srv->has_log_flusher = true;
        else diag_add(d, DIAG_WARNING, "serve", 0, 0, "no log flusher thread: log lines are written in batches");
    }
    return srv;
fail:
    for (unsigned i = 0; i < srv->nworkers; i++)
        if (srv->workers[i]->daemon) MHD_stop_daemon(srv->workers[i]->daemon);
    server_free(srv);
    return NULL;
}

int server_port(const server *srv)
{
    return srv->port;
}

void server_swap(server *srv, snapshot *s)
{
    adopt_snapshot(s);
    pthread_mutex_lock(&srv->snapshot_lock);
    snapshot *old = atomic_load_explicit(&srv->current, memory_order_relaxed);
    atomic_store_explicit(&srv->current, s, memory_order_release);
    pthread_mutex_unlock(&srv->snapshot_lock);
    snapshot_unref(old);
    release_idle_holds(srv);
    atomic_store_explicit(&srv->is_ready, true, memory_order_release);
}

int server_reopen_log(server *srv)
{
    if (!srv->owns_log) return 0;
    int fd = open(srv->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    /* In one step under the same number: a worker's write goes wholly to
     * the old file or wholly to the new one. */
    int rc = dup2(fd, srv->log_fd) < 0 ? -1 : 0;
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

int server_stale_fd(server *srv)
{
    return srv->stale_fd;
}

snapshot *server_snapshot(server *srv)
{
    return current_snapshot_ref(srv);
}

void server_stop(server *srv)
{
    if (!srv) return;
    MHD_socket listen_fds[MAX_WORKERS];
    for (unsigned i = 0; i < srv->nworkers; i++) listen_fds[i] = MHD_quiesce_daemon(srv->workers[i]->daemon);
    /* Requests already being answered get a chance to finish. */
    for (int i = 0; i < DRAIN_SECONDS * 100 && requests_in_flight(srv) > 0; i++) usleep(10000);
    for (unsigned i = 0; i < srv->nworkers; i++) {
        MHD_stop_daemon(srv->workers[i]->daemon);
        if (listen_fds[i] != MHD_INVALID_SOCKET) close(listen_fds[i]);
    }
    server_free(srv);
}

/* Photos from the image cache are kept as open files (snapshot.h): raise
 * the soft limit of open files to the hard one, and give them half of
 * what the connections and the builds leave (during a rebuild two
 * snapshots hold their files). */
static void budget_open_files(const serve_options *opt)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
    rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > ((rlim_t)1 << 20) ? (rlim_t)1 << 20 : rl.rlim_max;
    if (rl.rlim_cur < want) {
        rlim_t was = rl.rlim_cur;
        rl.rlim_cur = want;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) rl.rlim_cur = was;
    }
    rlim_t reserve = (rlim_t)(opt->connection_limit ? opt->connection_limit : 1024u) + 512;
    snapshot_set_file_budget(rl.rlim_cur > reserve ? (size_t)((rl.rlim_cur - reserve) / 2) : 0);
}

int serve_main(const serve_options *opt, site_rebuild_fn rebuild, void *ctx)
{
    return serve_main_live(opt, rebuild, NULL, ctx);
}

int serve_main_live(const serve_options *opt, site_rebuild_fn rebuild, site_update_fn update, void *ctx)
{
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGUSR1); /* not a stop: the access log is reopened (as nginx does) */
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    budget_open_files(opt);
    /* Listen first: a port already taken is reported at once, not after
     * a build of a big site, and visitors meanwhile get 503 with
     * Retry-After rather than a refused connection. */
    diag_list d;
    diag_init(&d);
    server *srv = server_start(opt, NULL, &d);
    diag_print_all(stderr, &d);
    diag_free(&d);
    if (!srv) return 1;
    const char *host = opt->bind ? opt->bind : "127.0.0.1";
    bool is_ipv6 = strchr(host, ':') != NULL;
    char url[128];
    snprintf(url, sizeof url, "http://%s%s%s:%d/", is_ipv6 ? "[" : "", host, is_ipv6 ? "]" : "", server_port(srv));
    fprintf(stderr, "folio: listening on %s; building the site\n", url);

    diag_init(&d);
    time_t next_change = 0;
    snapshot *first = rebuild(ctx, time(NULL), &next_change, &d);
    diag_sort(&d);
    diag_print_all(stderr, &d);
    diag_free(&d);
    bool is_quick = false;
    if (!first && !opt->site_dir) { /* nothing to watch for a fix */
        fprintf(stderr, "folio: the site could not be built; nothing to serve\n");
        server_stop(srv);
        return 1;
    }
    if (!first) {
        /* A broken config/site.yaml at a restart: exiting would have a
         * service manager restart folio in a loop and give up, and nothing
         * would take the fix up. Requests get 503 with Retry-After (and
         * /healthz "starting") until a change to the site builds. */
        fprintf(stderr, "folio: the site could not be built; answering 503 until a change to it builds\n");
    } else {
        size_t nfiles = snapshot_count(first);
        is_quick = snapshot_has_quick(first);
        server_swap(srv, first);
        size_t nopen = snapshot_open_files();
        fprintf(stderr, "folio: serving %zu files on %s%s", nfiles, url, opt->dev ? " (live reload)" : "");
        if (nopen) fprintf(stderr, " (%zu media sent from files kept open)", nopen);
        fputc('\n', stderr);
        if (is_quick) fprintf(stderr, "folio: compressing the rest of the site fully in the background\n");
    }

    watch_options wo = {.site_dir = opt->site_dir,
                        .rebuild = rebuild,
                        .update = update,
                        .ctx = ctx,
                        .next_change = next_change,
                        .compress_fully = is_quick};
    watcher *w = watch_start(&wo, srv);
    int sig = 0;
    while (sigwait(&stop_signals, &sig) == 0 && sig == SIGUSR1) {
        /* logrotate's postrotate: the file was renamed */
        if (server_reopen_log(srv) != 0)
            fprintf(stderr, "%s: error: cannot open the log file again: %s\n", opt->log_path, strerror(errno));
    }
    fprintf(stderr, "folio: %s, finishing requests in flight\n", sig == SIGINT ? "interrupted" : "terminated");
    watch_stop(w);
    server_stop(srv);
    return 0;
}
