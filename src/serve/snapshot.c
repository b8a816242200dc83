/* snapshot.c - the in-memory site the server answers from.
 *
 * Each resource is one allocation: the struct, its key, the redirect
 * target or the body followed by its gzip and brotli forms. Compression
 * runs in the putting thread before the table lock is taken, so build
 * threads compress in parallel and only the insertion is serialised. The
 * table is open addressing with linear probing over a power-of-two array;
 * it is only read once the snapshot is published, so lookups take no lock.
 * A file from the image cache may instead be an open file descriptor
 * (snapshot_set_file_budget), read with pread by any number of threads. */
#include "serve/snapshot.h"

#include <brotli/encode.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/buf.h"
#include "lib/files.h"

#define MAX_LANGUAGES 16
#define MAX_FILE_SIZE ((size_t)1 << 30)   /* media larger than 1 GiB is refused */
#define MIN_COMPRESS_SIZE 128             /* smaller bodies gain nothing */
#define BROTLI_QUALITY 5                  /* near q9 ratios on HTML at a speed a live rebuild of many pages can afford */
#define GZIP_LEVEL 6
#define GZIP_QUICK_LEVEL 1                /* snapshot_set_quick_after */
#define MAX_DIR_DEPTH 32
#define DEFAULT_INFLATED_BUDGET ((size_t)64 << 20)
#define LANGUAGES_MANIFEST "_folio/languages"
#define REDIRECTS_MANIFEST "_redirects"
#define HEADERS_MANIFEST "_headers" /* build/policy.h */
#define CSP_LINE "\n  Content-Security-Policy: "

struct snapshot {
    output out; /* first, so an output* is a snapshot* */
    atomic_long refs;
    unsigned long generation;
    pthread_mutex_t lock;
    resource **slots;
    uint32_t *hashes;
    size_t cap, count, bytes;
    char *languages[MAX_LANGUAGES];
    size_t language_count;
    char *dev_script;
    char *csp; /* from the build's _headers, NULL for the server's own */
    void (*cache_free)(void *);
    snapshot *base; /* unchanged files copy their compressed forms from here */
    bool has_quick_budget;
    size_t full_budget;         /* compressible bytes compressed fully; the rest quickly */
    atomic_size_t full_used;
    atomic_bool has_quick;      /* a resource was compressed quickly */
};

static atomic_ulong next_generation = 1;

/* Plain forms kept after inflating, across all snapshots. A client that
 * never takes compression and walks the whole site (a mirroring tool)
 * must not bring back the memory that storing pages compressed saved. */
static atomic_size_t inflated_total;
static atomic_size_t inflated_budget = DEFAULT_INFLATED_BUDGET;

/* Cache files kept open (snapshot_set_file_budget), across all snapshots. */
static atomic_size_t open_files;
static atomic_size_t file_budget;

/* ---- content types ---- */

static const struct {
    const char *ext;
    const char *type;
    bool compressible;
} content_types[] = {
    {"html", "text/html; charset=utf-8", true},
    {"htm", "text/html; charset=utf-8", true},
    {"css", "text/css; charset=utf-8", true},
    {"js", "text/javascript; charset=utf-8", true},
    {"mjs", "text/javascript; charset=utf-8", true},
    {"json", "application/json", true},
    {"map", "application/json", true},
    {"webmanifest", "application/manifest+json", true},
    {"xml", "application/xml; charset=utf-8", true},
    {"rss", "application/rss+xml; charset=utf-8", true},
    {"atom", "application/atom+xml; charset=utf-8", true},
    {"txt", "text/plain; charset=utf-8", true},
    {"md", "text/markdown; charset=utf-8", true},
    {"csv", "text/csv; charset=utf-8", true},
    {"svg", "image/svg+xml", true},
    {"ico", "image/x-icon", true},
    {"ttf", "font/ttf", true},
    {"otf", "font/otf", true},
    {"wasm", "application/wasm", true},
    {"png", "image/png", false},
    {"jpg", "image/jpeg", false},
    {"jpeg", "image/jpeg", false},
    {"gif", "image/gif", false},
    {"webp", "image/webp", false},
    {"avif", "image/avif", false},
    {"pdf", "application/pdf", false},
    {"woff", "font/woff", false},
    {"woff2", "font/woff2", false},
    {"mp4", "video/mp4", false},
    {"m4v", "video/mp4", false},
    {"webm", "video/webm", false},
    {"ogv", "video/ogg", false},
    {"mov", "video/quicktime", false},
    {"mp3", "audio/mpeg", false},
    {"m4a", "audio/mp4", false},
    {"aac", "audio/aac", false},
    {"ogg", "audio/ogg", false},
    {"oga", "audio/ogg", false},
    {"opus", "audio/ogg", false},
    {"wav", "audio/wav", true},
    {"flac", "audio/flac", false},
    {"vtt", "text/vtt; charset=utf-8", true},
    {"zip", "application/zip", false},
    {"gz", "application/gzip", false},
    {"doc", "application/msword", false},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", false},
    {"xls", "application/vnd.ms-excel", false},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", false},
};

static int content_type_index(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (!dot) return -1;
    for (size_t i = 0; i < sizeof content_types / sizeof content_types[0]; i++)
        if (strcasecmp(dot + 1, content_types[i].ext) == 0) return (int)i;
    return -1;
}

const char *content_type_for_path(const char *path)
{
    int i = content_type_index(path);
    return i < 0 ? "application/octet-stream" : content_types[i].type;
}

/* ---- hashing ---- */

/* Eight bytes a step: every request hashes its path up to three times
 * (a directory URL looks for redirects first), and a byte-at-a-time hash
 * showed in the server's profile. Keys come from the site, not from
 * visitors, so a fast mixing function is enough. */
static uint32_t key_hash(const char *s, size_t n)
{
    const uint64_t mul = 0xff51afd7ed558ccdull;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t word;
        memcpy(&word, s, 8);
        h = (h ^ word) * mul;
        h ^= h >> 32;
    }
    if (n) {
        uint64_t word = 0;
        for (size_t i = 0; i < n; i++) word |= (uint64_t)(unsigned char)s[i] << (8 * i);
        h = (h ^ word) * mul;
        h ^= h >> 32;
    }
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    uint32_t h32 = (uint32_t)h;
    return h32 ? h32 : 1; /* 0 marks an empty slot */
}

/* 64-bit content hash for ETags: word at a time, so multi-megabyte media
 * hashes quickly. Not cryptographic; a collision only costs a stale cache. */
static uint64_t content_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    for (size_t k = 0; i < n; i++, k++) tail |= (uint64_t)p[i] << (8 * k);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 32;
    return h;
}

static void format_http_date(char out[32], time_t t)
{
    static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- compression ---- */

static unsigned char *gzip_compress(const void *data, size_t len, int level, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    size_t cap = deflateBound(&z, len);
    unsigned char *out = xmalloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

static unsigned char *brotli_compress(const void *data, size_t len, size_t *out_len)
{
    size_t cap = BrotliEncoderMaxCompressedSize(len);
    if (cap == 0) return NULL;
    unsigned char *out = xmalloc(cap);
    *out_len = cap;
    /* A window no larger than the input: the encoder sizes (and clears)
     * its tables by the window, which dominates the cost for small pages. */
    int window = BROTLI_MIN_WINDOW_BITS;
    while (window < BROTLI_MAX_WINDOW_BITS && ((size_t)1 << window) - 16 < len) window++;
    if (!BrotliEncoderCompress(BROTLI_QUALITY, window, BROTLI_MODE_TEXT, len, data, out_len, out)) {
        free(out);
        return NULL;
    }
    return out;
}

/* A compressed form is kept only when it saves at least a tenth. */
static bool worth_keeping(size_t compressed, size_t original)
{
    return compressed > 0 && compressed < original - original / 10;
}

/* ---- keys ---- */

/* Keys are relative paths: no empty, "." or ".." segment (a trailing '/'
 * is allowed for redirect sources), no backslash or control byte. */
static bool key_is_safe(const char *k, bool allow_trailing_slash)
{
    size_t n = strlen(k);
    if (n == 0 || n > 4096 || k[0] == '/') return false;
    if (k[n - 1] == '/') {
        if (!allow_trailing_slash) return false;
        n--;
    }
    size_t seg = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || k[i] == '/') {
            size_t sl = i - seg;
            if (sl == 0) return false;
            if (k[seg] == '.' && (sl == 1 || (sl == 2 && k[seg + 1] == '.'))) return false;
            seg = i + 1;
            continue;
        }
        unsigned char c = (unsigned char)k[i];
        if (c == '\\' || c < 0x20 || c == 0x7f) return false;
    }
    return true;
}

/* ---- table ---- */

static void table_grow(snapshot *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 1024;
    resource **nslots = xcalloc(ncap, sizeof *nslots);
    uint32_t *nhashes = xcalloc(ncap, sizeof *nhashes);
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->hashes[i]) continue;
        size_t j = s->hashes[i] & (ncap - 1);
        while (nhashes[j]) j = (j + 1) & (ncap - 1);
        nhashes[j] = s->hashes[i];
        nslots[j] = s->slots[i];
    }
    free(s->slots);
    free(s->hashes);
    s->slots = nslots;
    s->hashes = nhashes;
    s->cap = ncap;
}

static size_t resource_bytes(const resource *r)
{
    size_t n = 0;
    for (int e = 0; e < ENCODING_COUNT; e++)
        if (r->body[e]) n += r->len[e];
    return n;
}

static void resource_free(snapshot *s, resource *r)
{
    /* Shared with a derived snapshot: the last holder frees it. */
    if (atomic_fetch_sub(&r->holders, 1) != 1) return;
    for (int e = 0; e < ENCODING_COUNT; e++) {
        void *c = atomic_load(&r->cache[e]);
        if (c && s->cache_free) s->cache_free(c);
    }
    char *plain = atomic_load(&r->inflated);
    if (plain) {
        atomic_fetch_sub(&inflated_total, r->len[ENCODING_IDENTITY]);
        free(plain);
    }
    if (r->fd >= 0) {
        close(r->fd);
        atomic_fetch_sub(&open_files, 1);
    }
    free(r);
}

/* Takes ownership of r; replaces an entry with the same key. */
static void table_insert(snapshot *s, resource *r)
{
    size_t klen = strlen(r->path);
    uint32_t h = key_hash(r->path, klen);
    pthread_mutex_lock(&s->lock);
    if ((s->count + 1) * 4 > s->cap * 3) table_grow(s);
    size_t j = h & (s->cap - 1);
    while (s->hashes[j]) {
        if (s->hashes[j] == h && strcmp(s->slots[j]->path, r->path) == 0) {
            s->bytes -= resource_bytes(s->slots[j]);
            resource_free(s, s->slots[j]);
            s->slots[j] = r;
            s->bytes += resource_bytes(r);
            pthread_mutex_unlock(&s->lock);
            return;
        }
        j = (j + 1) & (s->cap - 1);
    }
    s->hashes[j] = h;
    s->slots[j] = r;
    s->count++;
    s->bytes += resource_bytes(r);
    pthread_mutex_unlock(&s->lock);
}

const resource *snapshot_find(const snapshot *s, const char *key, size_t key_len)
{
    if (!s->cap) return NULL;
    uint32_t h = key_hash(key, key_len);
    size_t j = h & (s->cap - 1);
    while (s->hashes[j]) {
        const resource *r = s->slots[j];
        if (s->hashes[j] == h && strncmp(r->path, key, key_len) == 0 && r->path[key_len] == 0) return r;
        j = (j + 1) & (s->cap - 1);
    }
    return NULL;
}

const resource *snapshot_next(const snapshot *s, size_t *pos)
{
    while (*pos < s->cap) {
        size_t i = (*pos)++;
        if (s->hashes[i]) return s->slots[i];
    }
    return NULL;
}

void resource_set_inflated_budget(size_t bytes)
{
    atomic_store(&inflated_budget, bytes);
}

void snapshot_set_file_budget(size_t n)
{
    atomic_store(&file_budget, n);
}

size_t snapshot_open_files(void)
{
    return atomic_load(&open_files);
}

long resource_read(const resource *r, size_t offset, char *out, size_t len)
{
    size_t size = r->len[ENCODING_IDENTITY];
    if (r->redirect_status || offset > size) return -1;
    if (len > size - offset) len = size - offset;
    if (r->body[ENCODING_IDENTITY]) {
        memcpy(out, r->body[ENCODING_IDENTITY] + offset, len);
        return (long)len;
    }
    if (r->fd < 0) return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(r->fd, out + done, len - done, (off_t)(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += (size_t)n;
    }
    /* Asked after reading: a write that put new bytes in what was read
     * has changed the file's times by then. */
    return done == len && resource_file_is_current(r) ? (long)done : -1;
}

char *resource_inflate(const resource *r)
{
    if (r->redirect_status) return NULL;
    size_t want = r->len[ENCODING_IDENTITY];
    char *plain = xmalloc(want + 1);
    if (r->fd >= 0) {
        if (resource_read(r, 0, plain, want) != (long)want) {
            free(plain);
            return NULL;
        }
        plain[want] = 0;
        return plain;
    }
    if (r->body[ENCODING_IDENTITY]) {
        memcpy(plain, r->body[ENCODING_IDENTITY], want);
        plain[want] = 0;
        return plain;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    bool ok = inflateInit2(&z, 15 + 16) == Z_OK;
    if (ok) {
        z.next_in = (unsigned char *)r->body[ENCODING_GZIP];
        z.avail_in = (uInt)r->len[ENCODING_GZIP];
        z.next_out = (unsigned char *)plain;
        z.avail_out = (uInt)want;
        ok = inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out == want;
        inflateEnd(&z);
    }
    if (!ok) { /* cannot happen with data we compressed ourselves */
        free(plain);
        return NULL;
    }
    plain[want] = 0;
    return plain;
}

const char *resource_body(const resource *r, resource_encoding e)
{
    if (e != ENCODING_IDENTITY || r->body[e] || r->redirect_status) return r->body[e];
    resource *mr = (resource *)r; /* the lazily inflated copy is the one mutable part */
    char *plain = atomic_load_explicit(&mr->inflated, memory_order_acquire);
    if (plain) return plain;
    size_t want = r->len[ENCODING_IDENTITY];
    if (atomic_fetch_add(&inflated_total, want) + want > atomic_load(&inflated_budget)) {
        atomic_fetch_sub(&inflated_total, want);
        return NULL;
    }
    plain = resource_inflate(r);
    char *expected = NULL;
    if (!plain || !atomic_compare_exchange_strong(&mr->inflated, &expected, plain)) {
        free(plain);
        atomic_fetch_sub(&inflated_total, want);
        return expected;
    }
    return plain;
}

/* ---- building resources ---- */

/* Where the live-reload script goes: before the last </body>, else at the end. */
static size_t body_close_offset(const char *html, size_t len)
{
    for (size_t i = len; i >= 7; i--)
        if (strncasecmp(html + i - 7, "</body>", 7) == 0) return i - 7;
    return len;
}

/* A file's resource; has_script: data is a page already given the
 * live-reload script (recompressing a stored page). */
static resource *resource_make_file(snapshot *s, const char *path, const void *data, size_t len, time_t mtime,
                                    bool has_script)
{
    int ct = content_type_index(path);
    buf injected = BUF_INIT;
    if (s->dev_script && !has_script && ct >= 0 && strncmp(content_types[ct].type, "text/html", 9) == 0) {
        size_t at = body_close_offset(data, len);
        buf_add(&injected, data, at);
        buf_puts(&injected, s->dev_script);
        buf_add(&injected, (const char *)data + at, len - at);
        data = injected.s;
        len = injected.len;
    }
    char etag[sizeof ((resource *)0)->etag];
    snprintf(etag, sizeof etag, "\"%016llx\"", (unsigned long long)content_hash(data, len));
    unsigned char *gz = NULL, *br = NULL;
    size_t gz_len = 0, br_len = 0;
    const resource *same = s->base ? snapshot_find(s->base, path, strlen(path)) : NULL;
    bool is_quick = false;
    if (same && !same->redirect_status && !same->is_quick && same->len[ENCODING_IDENTITY] == len &&
        strcmp(same->etag, etag) == 0) {
        /* Unchanged since the snapshot being served: copy, do not recompress. */
        if (same->body[ENCODING_GZIP]) {
            gz_len = same->len[ENCODING_GZIP];
            gz = xmalloc(gz_len);
            memcpy(gz, same->body[ENCODING_GZIP], gz_len);
        }
        if (same->body[ENCODING_BROTLI]) {
            br_len = same->len[ENCODING_BROTLI];
            br = xmalloc(br_len);
            memcpy(br, same->body[ENCODING_BROTLI], br_len);
        }
    } else if (ct >= 0 && content_types[ct].compressible && len >= MIN_COMPRESS_SIZE) {
        is_quick = s->has_quick_budget && atomic_fetch_add(&s->full_used, len) + len > s->full_budget;
        gz = gzip_compress(data, len, is_quick ? GZIP_QUICK_LEVEL : GZIP_LEVEL, &gz_len);
        if (gz && !worth_keeping(gz_len, len)) {
            free(gz);
            gz = NULL;
        }
        br = is_quick ? NULL : brotli_compress(data, len, &br_len);
        if (br && !worth_keeping(br_len, len)) {
            free(br);
            br = NULL;
        }
        if (is_quick) atomic_store(&s->has_quick, true);
    }
    if (!gz) gz_len = 0;
    if (!br) br_len = 0;
    /* With a gzip form at hand the plain bytes need not be kept: nearly
     * every client takes br or gzip, and the rare one that does not gets
     * the page inflated (resource_body). This keeps a large site's
     * pages at about a third of their size. */
    size_t kept_len = gz ? 0 : len + 1;
    size_t klen = strlen(path);
    resource *r = xcalloc(1, sizeof *r + klen + 1 + kept_len + gz_len + br_len);
    atomic_init(&r->holders, 1);
    r->fd = -1;
    char *p = (char *)(r + 1);
    memcpy(p, path, klen + 1);
    r->path = p;
    p += klen + 1;
    r->len[ENCODING_IDENTITY] = len;
    if (kept_len) {
        memcpy(p, data, len);
        p[len] = 0; /* never read by the server, handy for tests and debuggers */
        r->body[ENCODING_IDENTITY] = p;
        p += kept_len;
    }
    if (gz) {
        memcpy(p, gz, gz_len);
        r->body[ENCODING_GZIP] = p;
        r->len[ENCODING_GZIP] = gz_len;
        p += gz_len;
    }
    if (br) {
        memcpy(p, br, br_len);
        r->body[ENCODING_BROTLI] = p;
        r->len[ENCODING_BROTLI] = br_len;
    }
    free(gz);
    free(br);
    r->content_type = ct < 0 ? "application/octet-stream" : content_types[ct].type;
    r->is_quick = is_quick;
    memcpy(r->etag, etag, sizeof etag);
    /* Without a time from the build, unchanged content keeps the time it
     * was first published, so Last-Modified does not move on every rebuild. */
    bool unchanged = same && !same->redirect_status && strcmp(same->etag, etag) == 0;
    r->mtime = mtime > 0 ? mtime : unchanged ? same->mtime : time(NULL);
    format_http_date(r->last_modified, r->mtime);
    buf_free(&injected);
    return r;
}

static resource *resource_make_redirect(const char *path, const char *target, int status)
{
    size_t klen = strlen(path), tlen = strlen(target);
    resource *r = xcalloc(1, sizeof *r + klen + 1 + tlen + 1);
    atomic_init(&r->holders, 1);
    r->fd = -1;
    char *p = (char *)(r + 1);
    memcpy(p, path, klen + 1);
    r->path = p;
    memcpy(p + klen + 1, target, tlen + 1);
    r->location = p + klen + 1;
    r->redirect_status = status;
    return r;
}

/* ---- manifests ---- */

static void languages_clear(snapshot *s)
{
    for (size_t i = 0; i < s->language_count; i++) free(s->languages[i]);
    s->language_count = 0;
}

static bool language_code_is_valid(const char *c, size_t n)
{
    if (n == 0 || n > 15) return false;
    for (size_t i = 0; i < n; i++)
        if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= 'A' && c[i] <= 'Z') || c[i] == '-')) return false;
    return true;
}

static void parse_languages_manifest(snapshot *s, const char *text, size_t len)
{
    pthread_mutex_lock(&s->lock);
    languages_clear(s);
    size_t i = 0;
    while (i < len && s->language_count < MAX_LANGUAGES) {
        while (i < len && strchr(" \t\r\n,", text[i])) i++;
        size_t start = i;
        while (i < len && !strchr(" \t\r\n,", text[i])) i++;
        if (language_code_is_valid(text + start, i - start))
            s->languages[s->language_count++] = xstrndup(text + start, i - start);
    }
    pthread_mutex_unlock(&s->lock);
}

static int snapshot_redirect(output *o, const char *path, const char *target, int status);

/* "_redirects" as the directory backend writes it (and Netlify reads it):
 * "FROM TO [STATUS]" a line, '#' starts a comment, 301 when no status. */
static void parse_redirects_manifest(snapshot *s, const char *text, size_t len)
{
    char *copy = xstrndup(text, len), *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char from[4096], to[4096];
        int status = 301;
        if (line[0] == '#') continue;
        if (sscanf(line, "%4095s %4095s %d", from, to, &status) >= 2)
            snapshot_redirect(&s->out, from, to, status);
    }
    free(copy);
}

/* The Content-Security-Policy of "_headers" as the build writes it (see
 * build/policy.h): sent by the server instead of its own, so that the
 * maps and videos the site's pages embed are shown. Anything but a
 * single printable line is ignored. */
static void parse_headers_manifest(snapshot *s, const char *text, size_t len)
{
    char *copy = xstrndup(text, len);
    char *at = strstr(copy, CSP_LINE);
    if (at) {
        at += strlen(CSP_LINE);
        size_t n = strcspn(at, "\n");
        bool is_clean = n > 0 && n < 8192;
        for (size_t i = 0; i < n && is_clean; i++) is_clean = at[i] >= 0x20 && at[i] < 0x7f;
        if (is_clean) {
            pthread_mutex_lock(&s->lock);
            free(s->csp);
            s->csp = xstrndup(at, n);
            pthread_mutex_unlock(&s->lock);
        }
    }
    free(copy);
}

const char *snapshot_csp(const snapshot *s)
{
    return s->csp;
}

/* ---- output backend ---- */

static int snapshot_put(output *o, const char *path, const void *data, size_t len, time_t mtime)
{
    snapshot *s = (snapshot *)o;
    if (!key_is_safe(path, false)) {
        errno = EINVAL;
        return -1;
    }
    if (strcmp(path, LANGUAGES_MANIFEST) == 0) {
        parse_languages_manifest(s, data, len);
        return 0;
    }
    if (strcmp(path, REDIRECTS_MANIFEST) == 0) {
        parse_redirects_manifest(s, data, len);
        return 0;
    }
    if (strcmp(path, HEADERS_MANIFEST) == 0) {
        parse_headers_manifest(s, data, len);
        return 0;
    }
    table_insert(s, resource_make_file(s, path, data, len, mtime, false));
    return 0;
}

static int put_bytes_of(output *o, const char *path, const char *src_path)
{
    size_t len;
    char *data = file_read(src_path, &len, MAX_FILE_SIZE);
    if (!data) return -1;
    int rc = snapshot_put(o, path, data, len, file_mtime(src_path));
    free(data);
    return rc;
}

/* Who a file is: device, inode, size and modification time. A file
 * written in place (an editor's upload over the old PDF) changes its size
 * or time; one renamed over it is another inode. Not the change time:
 * a build linking the cache's files into its output, or the cache
 * removing one, changes that without touching a byte. */
static uint64_t file_identity(const struct stat *st)
{
    unsigned long long id[5] = {(unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
                                (unsigned long long)st->st_size, (unsigned long long)st->st_mtim.tv_sec,
                                (unsigned long long)st->st_mtim.tv_nsec};
    return content_hash((const unsigned char *)id, sizeof id);
}

bool resource_file_is_current(const resource *r)
{
    struct stat st;
    return r->fd < 0 || (fstat(r->fd, &st) == 0 && file_identity(&st) == r->file_id);
}

/* A file kept open: its size, its identity as the validator, and its
 * time. Takes the descriptor. */
static resource *resource_make_open_file(const char *path, int fd, const struct stat *st, int ct)
{
    size_t klen = strlen(path);
    resource *r = xcalloc(1, sizeof *r + klen + 1);
    atomic_init(&r->holders, 1);
    memcpy(r + 1, path, klen + 1);
    r->path = (const char *)(r + 1);
    r->fd = fd;
    r->file_id = file_identity(st);
    r->len[ENCODING_IDENTITY] = (size_t)st->st_size;
    snprintf(r->etag, sizeof r->etag, "\"%016llx\"", (unsigned long long)r->file_id);
    r->content_type = ct < 0 ? "application/octet-stream" : content_types[ct].type;
    r->mtime = st->st_mtim.tv_sec;
    format_http_date(r->last_modified, r->mtime);
    return r;
}

/* A media file: kept open while the budget allows and its type is one
 * that is sent as it is, else read into memory. */
static int snapshot_put_file(output *o, const char *path, const char *src_path)
{
    snapshot *s = (snapshot *)o;
    int ct = content_type_index(path);
    bool is_plain_type = ct >= 0 && !content_types[ct].compressible;
    if (!is_plain_type || !key_is_safe(path, false)) return put_bytes_of(o, path, src_path);
    if (atomic_fetch_add(&open_files, 1) >= atomic_load(&file_budget)) {
        atomic_fetch_sub(&open_files, 1);
        return put_bytes_of(o, path, src_path);
    }
    int fd = open(src_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_FILE_SIZE) {
        int e = fd < 0 ? errno : EINVAL;
        if (fd >= 0) close(fd);
        atomic_fetch_sub(&open_files, 1);
        /* out of descriptors after all: the bytes, as before */
        if (e == EMFILE || e == ENFILE) return put_bytes_of(o, path, src_path);
        errno = e;
        return -1;
    }
    table_insert(s, resource_make_open_file(path, fd, &st, ct));
    return 0;
}

static int snapshot_redirect(output *o, const char *path, const char *target, int status)
{
    snapshot *s = (snapshot *)o;
    while (*path == '/') path++;
    bool status_ok = status == 301 || status == 302 || status == 307 || status == 308;
    bool target_ok = target[0] && !strpbrk(target, "\r\n");
    if (!status_ok || !target_ok || !key_is_safe(path, true)) {
        errno = EINVAL;
        return -1;
    }
    table_insert(s, resource_make_redirect(path, target, status));
    return 0;
}

static const output_ops snapshot_ops = {snapshot_put, snapshot_put_file, snapshot_redirect, NULL};

/* ---- lifetime ---- */

snapshot *snapshot_new(const char *dev_reload_script)
{
    snapshot *s = xcalloc(1, sizeof *s);
    s->out.ops = &snapshot_ops;
    atomic_init(&s->refs, 1);
    s->generation = atomic_fetch_add(&next_generation, 1);
    pthread_mutex_init(&s->lock, NULL);
    s->dev_script = dev_reload_script ? xstrdup(dev_reload_script) : NULL;
    return s;
}

void snapshot_set_quick_after(snapshot *s, size_t bytes)
{
    s->has_quick_budget = true;
    s->full_budget = bytes;
}

bool snapshot_has_quick(const snapshot *s)
{
    return atomic_load(&s->has_quick);
}

output *snapshot_output(snapshot *s)
{
    return &s->out;
}

snapshot *snapshot_ref(snapshot *s)
{
    atomic_fetch_add(&s->refs, 1);
    return s;
}

void snapshot_unref(snapshot *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1) return;
    for (size_t i = 0; i < s->cap; i++)
        if (s->hashes[i]) resource_free(s, s->slots[i]);
    free(s->slots);
    free(s->hashes);
    languages_clear(s);
    free(s->dev_script);
    free(s->csp);
    snapshot_unref(s->base);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void snapshot_set_languages(snapshot *s, const char *const *langs, size_t n)
{
    pthread_mutex_lock(&s->lock);
    languages_clear(s);
    for (size_t i = 0; i < n && s->language_count < MAX_LANGUAGES; i++)
        if (language_code_is_valid(langs[i], strlen(langs[i])))
            s->languages[s->language_count++] = xstrdup(langs[i]);
    pthread_mutex_unlock(&s->lock);
}

void snapshot_set_language_list(snapshot *s, const char *codes)
{
    parse_languages_manifest(s, codes, strlen(codes));
}

size_t snapshot_language_count(const snapshot *s)
{
    return s->language_count;
}

const char *snapshot_language(const snapshot *s, size_t i)
{
    return i < s->language_count ? s->languages[i] : NULL;
}

size_t snapshot_count(const snapshot *s)
{
    return s->count;
}

size_t snapshot_bytes(const snapshot *s)
{
    return s->bytes;
}

unsigned long snapshot_generation(const snapshot *s)
{
    return s->generation;
}

void snapshot_reuse_from(snapshot *s, snapshot *previous)
{
    snapshot *old = s->base;
    s->base = previous ? snapshot_ref(previous) : NULL;
    snapshot_unref(old);
}

snapshot *snapshot_derive(snapshot *previous)
{
    snapshot *s = snapshot_new(previous->dev_script);
    s->cache_free = previous->cache_free;
    s->csp = previous->csp ? xstrdup(previous->csp) : NULL;
    for (size_t i = 0; i < previous->language_count; i++) s->languages[i] = xstrdup(previous->languages[i]);
    s->language_count = previous->language_count;
    /* Same capacity and hashes: the slots can be copied as they are. */
    if (previous->cap) {
        s->cap = previous->cap;
        s->slots = xmalloc(s->cap * sizeof *s->slots);
        s->hashes = xmalloc(s->cap * sizeof *s->hashes);
        memcpy(s->hashes, previous->hashes, s->cap * sizeof *s->hashes);
        for (size_t i = 0; i < s->cap; i++) {
            s->slots[i] = previous->hashes[i] ? previous->slots[i] : NULL;
            if (s->slots[i]) atomic_fetch_add(&s->slots[i]->holders, 1);
        }
    }
    s->count = previous->count;
    s->bytes = previous->bytes;
    snapshot_reuse_from(s, previous);
    return s;
}

snapshot *snapshot_compress_fully(snapshot *previous, bool (*should_stop)(void *), void *ctx)
{
    if (!snapshot_has_quick(previous)) return NULL;
    snapshot *s = snapshot_derive(previous);
    s->generation = previous->generation; /* the same pages: open ones need not reload */
    size_t pos = 0, done = 0;
    const resource *r;
    while ((r = snapshot_next(previous, &pos))) {
        if (!r->is_quick) continue;
        if (done++ % 256 == 0 && should_stop && should_stop(ctx)) {
            snapshot_unref(s);
            return NULL;
        }
        char *plain = resource_inflate(r);
        if (!plain) continue; /* kept as it is */
        /* previous, s's base, holds r quick: it is compressed anew */
        table_insert(s, resource_make_file(s, r->path, plain, r->len[ENCODING_IDENTITY], r->mtime, true));
        free(plain);
    }
    return s;
}

void snapshot_set_cache_free(snapshot *s, void (*cache_free)(void *))
{
    s->cache_free = cache_free;
}

/* ---- loading a built directory ---- */

static void load_tree(snapshot *s, const char *root, const char *rel, int depth, diag_list *d)
{
    char *dir = rel[0] ? path_join(root, rel) : xstrdup(root);
    DIR *dh = depth > MAX_DIR_DEPTH ? NULL : opendir(dir);
    if (!dh) {
        diag_add(d, DIAG_ERROR, dir, 0, 0, "cannot read directory: %s", depth > MAX_DIR_DEPTH ? "too deep" : strerror(errno));
        free(dir);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char *child_rel = rel[0] ? path_join(rel, e->d_name) : xstrdup(e->d_name);
        char *child = path_join(root, child_rel);
        struct stat st;
        if (lstat(child, &st) == 0) {
            if (S_ISDIR(st.st_mode)) load_tree(s, root, child_rel, depth + 1, d);
            else if (S_ISREG(st.st_mode) && snapshot_put_file(&s->out, child_rel, child) != 0)
                diag_add(d, DIAG_ERROR, child, 0, 0, "cannot load file: %s", strerror(errno));
        }
        free(child_rel);
        free(child);
    }
    closedir(dh);
    free(dir);
}


/* The value of the first `attr="..."` at or after p, into out. */
static const char *next_attr(const char *p, const char *attr, char *out, size_t cap)
{
    out[0] = 0; /* stays empty when the value is missing or too long */
    const char *at = strstr(p, attr);
    if (!at) return NULL;
    at += strlen(attr);
    size_t n = strcspn(at, "\"");
    if (at[n] != '"' || n >= cap) return at;
    memcpy(out, at, n);
    out[n] = 0;
    return at + n;
}

/* A built site without a languages manifest: its root page says them, the
 * default in <html lang="..">, all of them as hreflang links. */
static void infer_languages(snapshot *s)
{
    const resource *root = snapshot_find(s, "index.html", 10);
    char *html = root ? resource_inflate(root) : NULL;
    if (!html) return;
    const char *langs[MAX_LANGUAGES];
    char found[MAX_LANGUAGES][16];
    size_t n = 0;
    const char *p = strstr(html, "<html");
    if (p && next_attr(p, " lang=\"", found[0], sizeof found[0]) && found[0][0]) langs[n++] = found[0];
    for (p = html; n > 0 && n < MAX_LANGUAGES && (p = next_attr(p, "hreflang=\"", found[n], sizeof found[n]));) {
        bool seen = false;
        for (size_t i = 0; i < n; i++) seen |= strcmp(langs[i], found[n]) == 0;
        if (!seen && found[n][0]) {
            langs[n] = found[n];
            n++;
        }
    }
    if (n > 1) snapshot_set_languages(s, langs, n);
    free(html);
}

int snapshot_add_dir(snapshot *s, const char *dir, diag_list *d)
{
    if (!path_is_dir(dir)) {
        diag_add(d, DIAG_ERROR, dir, 0, 0, "not a directory");
        return -1;
    }
    load_tree(s, dir, "", 0, d);
    if (!s->language_count) infer_languages(s);
    return 0;
}

snapshot *snapshot_load_dir(const char *dir, diag_list *d)
{
    snapshot *s = snapshot_new(NULL);
    if (snapshot_add_dir(s, dir, d) == 0) return s;
    snapshot_unref(s);
    return NULL;
}
