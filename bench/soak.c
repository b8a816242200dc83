/* soak.c - `folio serve` for a long while under load and edits.
 *
 * Usage: soak [SITE] [REQUESTS] [CLIENTS]   (defaults site, 1000000, 4)
 *
 * Copies SITE (the example site) to a temporary folder and serves the copy
 * with the real machinery of `folio serve` (serve_site_rebuild, the HTTP
 * server, the watcher). One thread edits a post every second, the way an
 * editor saves (a new file renamed over the old), so the watcher rebuilds
 * and swaps snapshots all along. CLIENTS threads send REQUESTS GETs in all
 * across every URL of the site over keep-alive connections (a third each
 * asking for brotli, gzip and no compression).
 *
 * Prints resident memory after the first 10,000 requests and at the end
 * (the end should be within 10% of the first), requests per second,
 * rebuilds seen, and errors (anything but a 200, or a broken connection);
 * and the resident memory at each tenth of the run. SOAK_EDITS=0 leaves
 * the post alone, to tell memory that requests take from memory that
 * rebuilds take. */
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build/build.h"
#include "build/output_dir.h"
#include "lib/buf.h"
#include "lib/files.h"
#include "serve/serve_site.h"
#include "serve/watch.h"

static long total_requests = 1000000;
static atomic_long next_request;
static atomic_long done_requests;
static atomic_long errors;
static atomic_bool stop_editing;
static long rss_at_10k;

static char **urls;
static size_t nurls;

static long resident_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the site copy and its URLs ---- */

static void copy_tree(const char *from, const char *to)
{
    dir_make(to);
    DIR *d = opendir(from);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *src = path_join(from, e->d_name);
        char *dst = path_join(to, e->d_name);
        if (path_is_dir(src)) copy_tree(src, dst);
        else {
            size_t len;
            char *data = file_read(src, &len, 0);
            if (data) file_write(dst, data, len);
            free(data);
        }
        free(src);
        free(dst);
    }
    closedir(d);
}

/* Every file of a built output folder as the URL that serves it. */
static void collect_urls(const char *root, const char *rel)
{
    char *dir = rel[0] ? path_join(root, rel) : xstrdup(root);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || (!rel[0] && (e->d_name[0] == '_' || !strcmp(e->d_name, "user")))) continue;
        buf child = BUF_INIT;
        buf_printf(&child, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        char *full = path_join(root, buf_cstr(&child));
        if (path_is_dir(full)) collect_urls(root, buf_cstr(&child));
        else if (!strstr(e->d_name, ".html") || !strcmp(e->d_name, "index.html")) {
            buf url = BUF_INIT;
            const char *r = buf_cstr(&child);
            size_t n = strlen(r);
            if (n >= 10 && !strcmp(r + n - 10, "index.html")) buf_printf(&url, "/%.*s", (int)(n - 10), r);
            else buf_printf(&url, "/%s", r);
            if (strcmp(buf_cstr(&url), "/")) { /* the root redirects; pages are what visitors read */
                urls = xrealloc(urls, (nurls + 1) * sizeof *urls);
                urls[nurls++] = buf_detach(&url, NULL);
            } else buf_free(&url);
        }
        free(full);
        buf_free(&child);
    }
    if (d) closedir(d);
    free(dir);
}

/* Percent-encode bytes outside printable ASCII (folder names may be Cyrillic). */
static char *encode_url(const char *s)
{
    buf b = BUF_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p > 0x20 && *p < 0x7f && *p != '%' && *p != '"' && *p != '?' && *p != '#') buf_putc(&b, (char)*p);
        else buf_printf(&b, "%%%02X", *p);
    }
    return buf_detach(&b, NULL);
}

/* ---- the editor ---- */

typedef struct editor {
    const char *post;
} editor;

static void *edit_every_second(void *arg)
{
    editor *ed = arg;
    size_t len;
    char *original = file_read(ed->post, &len, 0);
    buf tmp_path = BUF_INIT;
    buf_printf(&tmp_path, "%s.tmp", ed->post);
    for (int n = 1; !atomic_load(&stop_editing); n++) {
        buf text = BUF_INIT;
        buf_add(&text, original, len);
        buf_printf(&text, "\n\nEdit number %d: the editor saved the post again.\n", n);
        file_write(buf_cstr(&tmp_path), text.s, text.len);
        rename(buf_cstr(&tmp_path), ed->post);
        buf_free(&text);
        for (int i = 0; i < 10 && !atomic_load(&stop_editing); i++) usleep(100000);
    }
    file_write(ed->post, original, len);
    free(original);
    buf_free(&tmp_path);
    return NULL;
}

/* ---- the clients ---- */

typedef struct client {
    int port;
    int id;
} client;

static int connect_local(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Read one response from fd, buffered in in/in_len (leftover bytes stay
 * for the next response). Returns the status, or -1 when the connection
 * broke or the response is malformed. */
static int read_response(int fd, char *in, size_t cap, size_t *in_len, bool *close_after)
{
    char *end;
    for (;;) {
        in[*in_len] = 0;
        if ((end = strstr(in, "\r\n\r\n"))) break;
        if (*in_len + 1 >= cap) return -1;
        ssize_t n = recv(fd, in + *in_len, cap - 1 - *in_len, 0);
        if (n <= 0) return -1;
        *in_len += (size_t)n;
    }
    int status = 0;
    if (sscanf(in, "HTTP/1.1 %d", &status) != 1) return -1;
    size_t head_len = (size_t)(end + 4 - in);
    size_t body_len = 0;
    *close_after = false;
    for (char *line = strstr(in, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n")) {
        if (!strncasecmp(line + 2, "Content-Length:", 15)) body_len = strtoul(line + 17, NULL, 10);
        if (!strncasecmp(line + 2, "Connection: close", 17)) *close_after = true;
    }
    size_t have = *in_len - head_len;
    if (have >= body_len) {
        memmove(in, in + head_len + body_len, have - body_len);
        *in_len = have - body_len;
        return status;
    }
    size_t left = body_len - have;
    *in_len = 0;
    char sink[65536];
    while (left) {
        ssize_t n = recv(fd, sink, left < sizeof sink ? left : sizeof sink, 0);
        if (n <= 0) return -1;
        left -= (size_t)n;
    }
    return status;
}

static void *run_client(void *arg)
{
    client *cl = arg;
    static const char *const encodings[] = {"Accept-Encoding: br, gzip\r\n", "Accept-Encoding: gzip\r\n", ""};
    char *in = xmalloc(1 << 17);
    size_t in_len = 0;
    int fd = -1;
    for (;;) {
        long i = atomic_fetch_add(&next_request, 1);
        if (i >= total_requests) break;
        if (fd < 0) {
            fd = connect_local(cl->port);
            in_len = 0;
            if (fd < 0) {
                atomic_fetch_add(&errors, 1);
                usleep(10000);
                continue;
            }
        }
        char request[2048];
        int n = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: localhost\r\n%s\r\n",
                         urls[(size_t)(i * 7 + cl->id) % nurls], encodings[(i + cl->id) % 3]);
        bool ok = send(fd, request, (size_t)n, MSG_NOSIGNAL) == n;
        bool close_after = false;
        int status = ok ? read_response(fd, in, 1 << 17, &in_len, &close_after) : -1;
        if (status != 200) {
            atomic_fetch_add(&errors, 1);
            if (atomic_load(&errors) <= 5) fprintf(stderr, "soak: %s answered %d\n", urls[(size_t)(i * 7 + cl->id) % nurls], status);
        }
        if (status < 0 || close_after) {
            close(fd);
            fd = -1;
        }
        long done = atomic_fetch_add(&done_requests, 1) + 1;
        if (done == 10000) rss_at_10k = resident_kb();
        if (done % (total_requests / 10) == 0)
            printf("  after %ld requests: %ld KB resident\n", done, resident_kb());
    }
    if (fd >= 0) close(fd);
    free(in);
    return NULL;
}

/* ---- main ---- */

static int count_rebuilds(FILE *log)
{
    fflush(log);
    rewind(log);
    int n = 0;
    char line[4096];
    while (fgets(line, sizeof line, log))
        if (strstr(line, "rebuilt")) n++;
    return n;
}

int main(int argc, char **argv)
{
    const char *site_src = argc > 1 ? argv[1] : "site";
    if (argc > 2) total_requests = atol(argv[2]);
    int nclients = argc > 3 ? atoi(argv[3]) : 4;
    if (total_requests < 10000 || nclients < 1 || nclients > 64) {
        fprintf(stderr, "usage: soak [SITE] [REQUESTS >= 10000] [CLIENTS 1..64]\n");
        return 2;
    }
    char tmpl[] = "/tmp/folio-soak-XXXXXX";
    char *root = mkdtemp(tmpl);
    if (!root) return 1;
    char *site_dir = path_join(root, "site");
    char *out_dir = path_join(root, "out");
    copy_tree(site_src, site_dir);

    /* The URLs: every file one build of the copy writes. */
    diag_list d;
    diag_init(&d);
    build_options bo = {0};
    bo.site_dir = site_dir;
    output *o = output_dir_new(out_dir, &d);
    if (!o || build_site(&bo, o, &d, NULL) != 0 || output_dir_commit(o, &d) != 0) {
        diag_print_all(stderr, &d);
        return 1;
    }
    collect_urls(out_dir, "");
    for (size_t i = 0; i < nurls; i++) {
        char *e = encode_url(urls[i]);
        free(urls[i]);
        urls[i] = e;
    }

    /* The post the editor keeps saving: the first item.ru.md found. */
    char *post = NULL;
    DIR *news = NULL;
    char *news_dir = path_join(site_dir, "pages/02.news");
    if ((news = opendir(news_dir))) {
        struct dirent *e;
        while (!post && (e = readdir(news))) {
            if (e->d_name[0] == '.') continue;
            char *dir = path_join(news_dir, e->d_name);
            char *p = path_join(dir, "item.ru.md");
            if (path_exists(p)) post = p;
            else free(p);
            free(dir);
        }
        closedir(news);
    }
    if (!post) {
        fprintf(stderr, "soak: no pages/02.news/*/item.ru.md in %s\n", site_src);
        return 1;
    }

    serve_site site = {0};
    site.dir = site_dir;
    site.serve.quiet = true;
    time_t next = 0;
    snapshot *s = serve_site_rebuild(&site, time(NULL), &next, &d);
    server *srv = s ? server_start(&site.serve, s, &d) : NULL;
    if (!srv) {
        diag_print_all(stderr, &d);
        return 1;
    }
    int port = server_port(srv);
    /* Keep the URLs that answer 200 (a folder the site redirects, such as
     * /ru/home/ to /ru/, is written as a redirect page). */
    size_t kept = 0;
    char *probe_buf = xmalloc(1 << 17);
    for (size_t i = 0; i < nurls; i++) {
        int fd = connect_local(port);
        char request[2048];
        int n = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n", urls[i]);
        size_t in_len = 0;
        bool close_after;
        bool ok = fd >= 0 && send(fd, request, (size_t)n, MSG_NOSIGNAL) == n &&
                  read_response(fd, probe_buf, 1 << 17, &in_len, &close_after) == 200;
        if (fd >= 0) close(fd);
        if (ok) urls[kept++] = urls[i];
        else free(urls[i]);
    }
    free(probe_buf);
    nurls = kept;
    FILE *watch_log = tmpfile();
    watch_options wo = {0};
    wo.site_dir = site_dir;
    wo.rebuild = serve_site_rebuild;
    wo.ctx = &site;
    wo.next_change = next;
    wo.messages = watch_log;
    watcher *w = watch_start(&wo, srv);

    printf("soak: %zu URLs, %ld requests from %d keep-alive clients, a post edited every second\n", nurls,
           total_requests, nclients);
    long rss_start = resident_kb();
    editor ed = {post};
    pthread_t editor_thread;
    const char *edits = getenv("SOAK_EDITS");
    if (edits && !strcmp(edits, "0")) atomic_store(&stop_editing, true);
    pthread_create(&editor_thread, NULL, edit_every_second, &ed);
    pthread_t *threads = xcalloc((size_t)nclients, sizeof *threads);
    client *clients = xcalloc((size_t)nclients, sizeof *clients);
    double t0 = now_s();
    for (int i = 0; i < nclients; i++) {
        clients[i] = (client){port, i};
        pthread_create(&threads[i], NULL, run_client, &clients[i]);
    }
    for (int i = 0; i < nclients; i++) pthread_join(threads[i], NULL);
    double seconds = now_s() - t0;
    long rss_end = resident_kb();
    atomic_store(&stop_editing, true);
    pthread_join(editor_thread, NULL);

    watch_stop(w);
    int rebuilds = count_rebuilds(watch_log);
    fclose(watch_log);
    server_stop(srv);
    serve_site_free(&site);

    printf("resident memory: %ld KB at start, %ld KB after 10,000 requests, %ld KB at the end (%+.1f%%)\n",
           rss_start, rss_at_10k, rss_end, rss_at_10k ? 100.0 * (double)(rss_end - rss_at_10k) / (double)rss_at_10k : 0);
    printf("requests: %ld in %.1f s, %.0f per second\n", (long)atomic_load(&done_requests), seconds,
           (double)atomic_load(&done_requests) / seconds);
    printf("rebuilds while serving: %d\n", rebuilds);
    printf("errors: %ld\n", (long)atomic_load(&errors));

    dir_remove_tree(root);
    for (size_t i = 0; i < nurls; i++) free(urls[i]);
    free(urls);
    free(threads);
    free(clients);
    free(post);
    free(news_dir);
    free(site_dir);
    free(out_dir);
    diag_free(&d);
    return atomic_load(&errors) ? 1 : 0;
}
