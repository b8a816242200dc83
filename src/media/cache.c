/* cache.c - content-addressed store of image variants (see cache.h).
 *
 * Layout: <dir>/v1/<first two hex digits>/<sha256>-<spec>.<ext>, where
 * <spec> spells every parameter of the variant ("cover-1200x400-q0-bg-1").
 * The v1 level is the rendering version: when the way variants are made
 * changes, bumping it makes every build re-render instead of reusing
 * files made the old way.
 *
 * Three small tables live in memory, each under the cache's one lock:
 * sources already hashed (file identity -> hash and header), photos that failed,
 * and the variants being rendered right now, so two threads asking for the
 * same variant (one photo on a page in three languages) render it once.
 *
 * The first table is also kept on disk, in <dir>/v1/sources: a warm build
 * then neither reads nor hashes a photo, nor starts libvips. Which
 * variants exist is learnt by listing a shard folder the first time one of
 * its variants is asked for (one listing instead of an lstat per variant);
 * a name the listing lacks is looked up on disk. A line is
 * trusted only while the file it describes has the same device, inode,
 * size, modification time and change time (the test git's index uses);
 * any write to the photo changes its change time, which no program can set
 * back. */
#include "media/cache.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/files.h"
#include "lib/strmap.h"
#include "media/pool.h"

#define RENDER_VERSION "v1"
#define SOURCE_BUCKETS 4096
#define CACHEDIR_TAG "Signature: 8a477f597d28d172789f06886806bc55\n# folio image variant cache.\n"

typedef file_stamp file_id; /* lib/files.h */

typedef struct known_source {
    char *path;    /* where it was last seen; for people reading the file */
    file_id id;    /* the key */
    bool is_image; /* false: not an image, warned about once already */
    bool is_stale; /* the file has changed since: not saved again */
    bool is_used;  /* asked for since the cache was opened: saved */
    image_source info;
    struct known_source *next;
} known_source;

typedef struct broken_source {
    char hash[65];
    struct broken_source *next;
} broken_source;

/* The regular files of one shard folder when it was first asked about, as
 * sorted hashes of their names. */
typedef struct shard_listing {
    uint64_t *names;
    size_t n;
    bool is_read;
} shard_listing;

typedef struct rendering {
    const char *cache_path; /* owned by the thread rendering it */
    struct rendering *next;
} rendering;

struct image_cache {
    char *dir;
    int lock_fd;     /* <dir>/v1, locked shared while open: see cache_lock */
    task_pool *pool; /* started with the first variant to render */
    int threads;
    pthread_mutex_t lock;
    pthread_cond_t render_done;
    known_source *sources[SOURCE_BUCKETS];
    broken_source *broken;
    rendering *in_progress;
    image_cache_stats stats;
    unsigned long temp_counter;
    bool is_memo_changed; /* sources to save at close */
    size_t nloaded;       /* lines read from the sources file */
    bool has_warned_no_vips;
    pthread_mutex_t shards_lock; /* may be taken under lock, never the other way */
    shard_listing shards[256];   /* by the first byte of the source hash */
    image_progress_fn progress; /* image_cache_set_progress */
    void *progress_ctx;
    long long progress_every_ms, progress_last_ms;
    bool is_tracking_use; /* image_cache_track_use */
    strmap used;          /* file names of the variants handed out (own keys), under lock */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *env_dir(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? xstrdup(v) : NULL;
}

char *image_cache_default_dir(const char *site_dir)
{
    char *dir = env_dir("FOLIO_CACHE_DIR");
    if (dir) return dir;
    char real[PATH_MAX];
    if (site_dir && realpath(site_dir, real)) {
        char *parent = dirname(real);
        if (access(parent, W_OK) == 0) return path_join(parent, ".folio-cache");
    }
    char *xdg = env_dir("XDG_CACHE_HOME");
    if (xdg) {
        dir = path_join(xdg, "folio");
        free(xdg);
        return dir;
    }
    char *home = env_dir("HOME");
    if (home) {
        dir = path_join(home, ".cache/folio");
        free(home);
        return dir;
    }
    return xstrdup(".folio-cache");
}

static file_id file_id_of(const struct stat *st)
{
    return file_stamp_of(st);
}

static bool same_file(const file_id *a, const file_id *b)
{
    return file_stamp_same(a, b);
}

/* Sources are known by the file, not by the path they are reached by: a
 * site built as "site/user" and as "/srv/site/user" is the same photos. */
static size_t bucket_of(const file_id *id)
{
    unsigned long long h = (id->ino * 0x9e3779b97f4a7c15ULL) ^ (id->dev * 0xbf58476d1ce4e5b9ULL);
    return (size_t)((h ^ (h >> 31)) % SOURCE_BUCKETS);
}

static void remember(image_cache *c, known_source *s)
{
    size_t b = bucket_of(&s->id);
    s->next = c->sources[b];
    c->sources[b] = s;
}

static int write_atomically(image_cache *c, const char *path, const void *data, size_t len);

#define MEMO_NAME "sources"
#define MEMO_HEADER "folio image sources 1\n"

static bool is_hex_hash(const char *h)
{
    for (int i = 0; i < 64; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f'))) return false;
    return h[64] == 0;
}

/* Numbers of a line, each after one space (none before the first). */
static bool read_ull(const char **p, bool is_first, unsigned long long *out)
{
    if (!is_first && *(*p)++ != ' ') return false;
    if (**p < '0' || **p > '9') return false;
    unsigned long long v = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++) {
        if (v > (~0ULL - 9) / 10) return false;
        v = v * 10 + (unsigned long long)(**p - '0');
    }
    *out = v;
    return true;
}

static bool read_int(const char **p, int *out)
{
    unsigned long long v;
    if (!read_ull(p, false, &v) || v > 0x7fffffff) return false;
    *out = (int)v;
    return true;
}

/* seconds.nanoseconds */
static bool read_time(const char **p, long long *s, long long *ns)
{
    unsigned long long a, b;
    if (!read_ull(p, false, &a) || **p != '.') return false;
    (*p)++;
    if (!read_ull(p, true, &b) || a > 0x7fffffffffffffffULL || b > 999999999) return false;
    *s = (long long)a;
    *ns = (long long)b;
    return true;
}

/* One line: dev ino size mtime ctime (seconds.nanoseconds) hash width
 * height format alpha profile, a tab, the path. A line that does not read
 * back exactly is skipped: the photo is then simply hashed again. */
static known_source *memo_parse_line(char *line)
{
    char *tab = strchr(line, '\t');
    if (!tab || !tab[1]) return NULL;
    *tab = 0;
    known_source s = {0};
    const char *p = line;
    int format, alpha, icc;
    if (!read_ull(&p, true, &s.id.dev) || !read_ull(&p, false, &s.id.ino) || !read_ull(&p, false, &s.id.size) ||
        !read_time(&p, &s.id.mtime_s, &s.id.mtime_ns) || !read_time(&p, &s.id.ctime_s, &s.id.ctime_ns) ||
        *p++ != ' ' || strlen(p) < 65 || p[64] != ' ')
        return NULL;
    memcpy(s.info.hash, p, 64);
    s.info.hash[64] = 0;
    p += 64;
    if (!is_hex_hash(s.info.hash) || !read_int(&p, &s.info.meta.width) || !read_int(&p, &s.info.meta.height) ||
        !read_int(&p, &format) || !read_int(&p, &alpha) || !read_int(&p, &icc) || *p != 0 ||
        s.info.meta.width <= 0 || s.info.meta.height <= 0 || format < IMAGE_FORMAT_JPEG ||
        format > IMAGE_FORMAT_HEIF || (alpha | icc) & ~1)
        return NULL;
    s.info.meta.format = (image_format)format;
    s.info.meta.has_alpha = alpha;
    s.info.meta.has_icc_profile = icc;
    s.is_image = true;
    s.path = xstrdup(tab + 1);
    known_source *out = xmalloc(sizeof *out);
    *out = s;
    return out;
}

static void memo_load(image_cache *c)
{
    char *path = path_join(c->dir, RENDER_VERSION "/" MEMO_NAME);
    size_t len;
    char *text = file_read(path, &len, (size_t)1 << 28);
    free(path);
    if (!text || strncmp(text, MEMO_HEADER, strlen(MEMO_HEADER)) != 0) {
        free(text);
        return;
    }
    for (char *line = text + strlen(MEMO_HEADER), *end; *line; line = end) {
        end = strchr(line, '\n');
        if (!end) break; /* a last line without its newline was cut short */
        *end++ = 0;
        known_source *s = memo_parse_line(line);
        if (s) {
            remember(c, s);
            c->nloaded++;
        }
    }
    free(text);
}

/* The photos this cache was asked about, written whole to a temporary
 * file and renamed over the old one: two builds sharing a cache each leave
 * a complete file (the last one wins; what it lacks is hashed again), and
 * photos no longer in the site drop out. */
static void memo_save(image_cache *c)
{
    size_t nused = 0;
    for (size_t i = 0; i < SOURCE_BUCKETS; i++)
        for (known_source *s = c->sources[i]; s; s = s->next) nused += s->is_image && s->is_used && !s->is_stale;
    if (!c->is_memo_changed && nused == c->nloaded) return;
    buf b = BUF_INIT;
    buf_puts(&b, MEMO_HEADER);
    for (size_t i = 0; i < SOURCE_BUCKETS; i++) {
        for (known_source *s = c->sources[i]; s; s = s->next) {
            if (!s->is_image || !s->is_used || s->is_stale || strpbrk(s->path, "\t\n")) continue;
            buf_printf(&b, "%llu %llu %llu %lld.%09lld %lld.%09lld %s %d %d %d %d %d\t%s\n", s->id.dev, s->id.ino,
                       s->id.size, s->id.mtime_s, s->id.mtime_ns, s->id.ctime_s, s->id.ctime_ns, s->info.hash,
                       s->info.meta.width, s->info.meta.height, (int)s->info.meta.format, s->info.meta.has_alpha,
                       s->info.meta.has_icc_profile, s->path);
        }
    }
    char *path = path_join(c->dir, RENDER_VERSION "/" MEMO_NAME);
    write_atomically(c, path, b.s, b.len);
    free(path);
    buf_free(&b);
}

/* Every folio that has the cache open holds a shared lock on its v1
 * folder; removing files other builds may be about to link (a prune, a
 * clean) takes it exclusively, and is not done while another holds it. An
 * open descriptor of the folder, or -1 (errno) when it cannot be had. */
static int cache_lock(const char *dir, int how)
{
    char *versioned = path_join(dir, RENDER_VERSION);
    int fd = open(versioned, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    free(versioned);
    if (fd < 0) return -1;
    while (flock(fd, how) != 0) {
        if (errno == EINTR) continue;
        int e = errno;
        close(fd);
        errno = e == EWOULDBLOCK ? EBUSY : e;
        return -1;
    }
    return fd;
}

image_cache *image_cache_open(const char *dir, int threads, diag_list *d)
{
    char *versioned = path_join(dir, RENDER_VERSION);
    int rc = dir_make(versioned);
    free(versioned);
    int lock_fd = rc == 0 ? cache_lock(dir, LOCK_SH) : -1;
    if (rc == 0 && lock_fd < 0) rc = -1;
    if (rc != 0) {
        if (d) diag_add(d, DIAG_ERROR, dir, 0, 0, "cannot create the image cache: %s", strerror(errno));
        return NULL;
    }
    char *tag = path_join(dir, "CACHEDIR.TAG");
    if (!path_exists(tag)) file_write(tag, CACHEDIR_TAG, strlen(CACHEDIR_TAG));
    free(tag);
    image_cache *c = xcalloc(1, sizeof *c);
    c->dir = xstrdup(dir);
    c->lock_fd = lock_fd;
    pthread_mutex_init(&c->lock, NULL);
    pthread_mutex_init(&c->shards_lock, NULL);
    pthread_cond_init(&c->render_done, NULL);
    c->threads = threads;
    memo_load(c);
    return c;
}

void image_cache_close(image_cache *c)
{
    if (!c) return;
    if (c->pool) task_pool_free(c->pool);
    memo_save(c);
    for (size_t i = 0; i < SOURCE_BUCKETS; i++) {
        for (known_source *s = c->sources[i], *next; s; s = next) {
            next = s->next;
            free(s->path);
            free(s);
        }
    }
    for (broken_source *b = c->broken, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    for (size_t i = 0; i < 256; i++) free(c->shards[i].names);
    for (size_t i = 0; i < c->used.cap; i++) free((char *)c->used.slots[i].key);
    strmap_free(&c->used);
    pthread_cond_destroy(&c->render_done);
    pthread_mutex_destroy(&c->shards_lock);
    pthread_mutex_destroy(&c->lock);
    close(c->lock_fd); /* and with it the lock */
    free(c->dir);
    free(c);
}

bool image_cache_is_cold(const char *dir)
{
    char *path = path_join(dir, RENDER_VERSION "/" MEMO_NAME);
    bool cold = !path_exists(path);
    free(path);
    return cold;
}

int image_cache_clean(const char *dir)
{
    if (!path_exists(dir)) return 0;
    char *tag = path_join(dir, "CACHEDIR.TAG");
    char *text = file_read(tag, NULL, 4096);
    free(tag);
    bool is_ours = text && strstr(text, "folio image variant cache");
    free(text);
    if (!is_ours) {
        errno = EPERM;
        return -1;
    }
    int lock_fd = cache_lock(dir, LOCK_EX | LOCK_NB);
    if (lock_fd < 0 && errno == EBUSY) return -1; /* a folio serve or build uses it */
    int rc = dir_remove_tree(dir);
    int e = errno;
    if (lock_fd >= 0) close(lock_fd);
    errno = e;
    return rc;
}

static int compare_hash(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define STALE_TEMP_SECONDS 3600

static const char **sorted_copy(const char *const *v, size_t n)
{
    const char **sorted = xmalloc((n ? n : 1) * sizeof *sorted);
    if (n) memcpy(sorted, v, n * sizeof *sorted);
    if (n > 1) qsort(sorted, n, sizeof *sorted, compare_hash);
    return sorted;
}

int image_cache_prune(image_cache *c, const char *const *keep, size_t n, const char *const *shown, size_t nshown,
                      size_t *removed, unsigned long long *bytes)
{
    /* Another folio may be about to link a variant this one does not use.
     * (Changing the shared lock into an exclusive one drops it first; on
     * failure the shared one is taken back.) */
    if (flock(c->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno == EWOULDBLOCK ? EBUSY : errno;
        flock(c->lock_fd, LOCK_SH);
        errno = e;
        return -1;
    }
    const char **sorted = sorted_copy(keep, n);
    pthread_mutex_lock(&c->lock);
    bool is_tracking = c->is_tracking_use;
    pthread_mutex_unlock(&c->lock);
    const char **sorted_shown = sorted_copy(shown, is_tracking ? nshown : 0);
    if (!is_tracking) nshown = 0;
    char *root = path_join(c->dir, RENDER_VERSION);
    int rc = 0;
    time_t now = time(NULL);
    for (int shard = 0; shard < 256; shard++) {
        char name[3];
        snprintf(name, sizeof name, "%02x", shard);
        char *dir_path = path_join(root, name);
        int fd = open(dir_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
        if (!dir) {
            if (fd >= 0) close(fd);
            if (errno != ENOENT) rc = -1;
            free(dir_path);
            continue;
        }
        for (struct dirent *e; (e = readdir(dir));) {
            const char *f = e->d_name;
            if (strncmp(f, name, 2) != 0 || strlen(f) < 65 || f[64] != '-') continue; /* not a variant's name */
            char hash[65];
            memcpy(hash, f, 64);
            hash[64] = 0;
            const char *key = hash;
            bool is_temp = strstr(f, ".tmp-") != NULL;
            bool is_kept = bsearch(&key, sorted, n, sizeof *sorted, compare_hash) != NULL;
            /* a photo the build showed keeps the variants it used */
            if (is_kept && !is_temp && bsearch(&key, sorted_shown, nshown, sizeof *sorted_shown, compare_hash)) {
                pthread_mutex_lock(&c->lock);
                is_kept = strmap_get(&c->used, f) != NULL;
                pthread_mutex_unlock(&c->lock);
            }
            struct stat st;
            if (fstatat(dirfd(dir), f, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
            /* another build's temporary file may be being written now */
            bool is_stale_temp = is_temp && now - st.st_mtime > STALE_TEMP_SECONDS;
            if ((is_temp && !is_stale_temp) || (!is_temp && is_kept)) continue;
            if (unlinkat(dirfd(dir), f, 0) == 0) {
                ++*removed;
                *bytes += (unsigned long long)st.st_size;
            }
        }
        closedir(dir);
        unlinkat(AT_FDCWD, dir_path, AT_REMOVEDIR); /* only when empty */
        free(dir_path);
    }
    free(root);
    /* Sources no longer in the site drop out of the sources file. */
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < SOURCE_BUCKETS; i++)
        for (known_source *k = c->sources[i]; k; k = k->next) {
            const char *key = k->info.hash;
            if (k->is_image && !bsearch(&key, sorted, n, sizeof *sorted, compare_hash) && !k->is_stale) {
                k->is_stale = true;
                c->is_memo_changed = true;
            }
        }
    pthread_mutex_unlock(&c->lock);
    free(sorted);
    free(sorted_shown);
    flock(c->lock_fd, LOCK_SH);
    return rc;
}

/* Nettle's SHA-256 uses the processor's SHA instructions where it has
 * them: six times faster than GLib's, and a cold build hashes every photo
 * twice (once to find its variants, once more as it is rendered). */
static void sha256_hex(const void *data, size_t len, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof digest, digest);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof digest; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = 0;
}

/* libvips, started the first time a photo has to be decoded. */
static bool vips_ready(image_cache *c, const char *path, diag_list *d)
{
    if (images_init() == 0) return true;
    if (!d) return false; /* the warning is for a caller that can give it */
    pthread_mutex_lock(&c->lock);
    bool is_first = !c->has_warned_no_vips;
    c->has_warned_no_vips = true;
    pthread_mutex_unlock(&c->lock);
    if (is_first)
        diag_add(d, DIAG_WARNING, path, 0, 0,
                 "images cannot be processed (%s); photos without metadata are published as they are, the others "
                 "not at all",
                 images_why_not());
    return false;
}

/* Hash and header of the bytes in data. */
static int describe(image_cache *c, const char *path, const char *data, size_t len, image_source *out, diag_list *d)
{
    if (!vips_ready(c, path, d) || image_info_buffer(path, data, len, &out->meta, d) != 0) return -1;
    sha256_hex(data, len, out->hash);
    return 0;
}

/* Whether id is a known source (*rc: 0, or -1 for a file known not to be
 * an image). With is_current, id is the file as it is now, and sources
 * with its inode but other times are forgotten. */
static bool known_as(image_cache *c, const file_id *id, bool is_current, image_source *out, int *rc)
{
    size_t b = bucket_of(id);
    pthread_mutex_lock(&c->lock);
    for (known_source *s = c->sources[b]; s; s = s->next) {
        if (s->is_stale || s->id.dev != id->dev || s->id.ino != id->ino) continue;
        if (same_file(&s->id, id)) {
            s->is_used = true;
            *out = s->info;
            pthread_mutex_unlock(&c->lock);
            *rc = s->is_image ? 0 : -1;
            return true;
        }
        if (is_current) {
            s->is_stale = true; /* the photo was edited, or its inode reused */
            c->is_memo_changed = true;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return false;
}

int image_cache_source_seen(image_cache *c, const char *path, const file_stamp *seen, image_source *out,
                            diag_list *d)
{
    int rc;
    if (seen && seen->ino && known_as(c, seen, false, out, &rc)) return rc;
    return image_cache_source(c, path, out, d);
}

int image_cache_source(image_cache *c, const char *path, image_source *out, diag_list *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (d) diag_add(d, DIAG_WARNING, path, 0, 0, "cannot read image: %s", strerror(errno));
        return -1;
    }
    file_id id = file_id_of(&st);
    int known_rc;
    if (known_as(c, &id, true, out, &known_rc)) return known_rc;

    size_t len;
    char *data = file_read(path, &len, IMAGE_MAX_SOURCE_BYTES);
    if (!data) {
        if (d) diag_add(d, DIAG_WARNING, path, 0, 0, "cannot read image: %s", strerror(errno));
        return -1;
    }
    int rc = describe(c, path, data, len, out, d);
    free(data);
    /* A failure is remembered only once it has been told: a caller
     * without a diag list leaves the warning to the next one. */
    if (rc != 0 && !d) return -1;

    /* Remembered either way: a page in three languages warns once. */
    known_source *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->id = id;
    s->is_image = rc == 0;
    s->is_used = true;
    s->info = *out;
    pthread_mutex_lock(&c->lock);
    bool is_known = false; /* another thread described it meanwhile */
    for (known_source *k = c->sources[bucket_of(&id)]; k && !is_known; k = k->next)
        is_known = !k->is_stale && same_file(&k->id, &id);
    if (is_known) {
        free(s->path);
        free(s);
    } else {
        remember(c, s);
        c->is_memo_changed |= s->is_image;
    }
    pthread_mutex_unlock(&c->lock);
    return rc == 0 ? 0 : -1;
}

static const char *fit_name(image_fit f)
{
    switch (f) {
    case IMAGE_FIT_INSIDE: return "inside";
    case IMAGE_FIT_PAD: return "pad";
    case IMAGE_FIT_COVER: return "cover";
    case IMAGE_FIT_STRETCH: return "stretch";
    default: return "none";
    }
}

/* Every parameter that changes the output, spelt out. */
static void spec_key(buf *b, const image_spec *s)
{
    buf_puts(b, fit_name(s->fit));
    buf_putc(b, '-');
    buf_put_long(b, s->width);
    buf_putc(b, 'x');
    buf_put_long(b, s->height);
    buf_puts(b, "-q");
    buf_put_long(b, s->quality);
    buf_puts(b, "-bg");
    buf_put_long(b, s->fit == IMAGE_FIT_PAD ? s->background : -1L);
    buf_putc(b, '.');
    buf_puts(b, image_format_ext(s->format));
}

/* The source's hash is SHA-256 already: mixing the spec into it needs no
 * second SHA-256 (a tenth of a warm build's photo work went to those), only
 * a hash that spreads every bit, as MurmurHash3's finaliser does to FNV-1a. */
void image_cache_variant_id(const char *source_hash, const image_spec *spec, char out[11])
{
    buf b = BUF_INIT;
    buf_puts(&b, RENDER_VERSION ":");
    buf_puts(&b, source_hash);
    buf_putc(&b, ':');
    spec_key(&b, spec);
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < b.len; i++) h = (h ^ (unsigned char)b.s[i]) * 0x100000001b3ULL;
    buf_free(&b);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 10; i++) out[i] = hex[(h >> (60 - 4 * i)) & 15];
    out[10] = 0;
}

static char *variant_path(image_cache *c, const char *hash, const image_spec *spec)
{
    buf b = BUF_INIT;
    buf_puts(&b, c->dir);
    buf_puts(&b, "/" RENDER_VERSION "/");
    buf_add(&b, hash, 2);
    buf_putc(&b, '/');
    buf_puts(&b, hash);
    buf_putc(&b, '-');
    spec_key(&b, spec);
    return buf_detach(&b, NULL);
}

static bool is_broken(image_cache *c, const char *hash)
{
    for (broken_source *b = c->broken; b; b = b->next)
        if (strcmp(b->hash, hash) == 0) return true;
    return false;
}

static bool is_in_progress(image_cache *c, const char *path)
{
    for (rendering *r = c->in_progress; r; r = r->next)
        if (strcmp(r->cache_path, path) == 0) return true;
    return false;
}

static uint64_t name_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static shard_listing shard_read(image_cache *c, const char *shard)
{
    shard_listing l = {NULL, 0, true};
    char *path = path_join(c->dir, shard);
    DIR *dir = opendir(path);
    free(path);
    if (!dir) return l;
    size_t cap = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_type != DT_REG) continue; /* DT_UNKNOWN: asked about one by one */
        if (l.n == cap) l.names = xrealloc(l.names, (cap = cap ? 2 * cap : 64) * sizeof *l.names);
        l.names[l.n++] = name_hash(e->d_name);
    }
    closedir(dir);
    if (l.n > 1) qsort(l.names, l.n, sizeof *l.names, compare_u64);
    return l;
}

static int hex_digit(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Whether the shard's listing has name as a regular file. */
static bool is_listed(image_cache *c, const char *path)
{
    const char *name = strrchr(path, '/');
    if (!name || name - path < 3 || name[-3] != '/') return false;
    int hi = hex_digit(name[-2]), lo = hex_digit(name[-1]);
    if (hi < 0 || lo < 0) return false;
    char shard[sizeof RENDER_VERSION + 3] = RENDER_VERSION "/";
    memcpy(shard + sizeof RENDER_VERSION, name - 2, 2);
    uint64_t h = name_hash(name + 1);
    shard_listing *l = &c->shards[hi * 16 + lo];
    pthread_mutex_lock(&c->shards_lock);
    bool is_read = l->is_read;
    pthread_mutex_unlock(&c->shards_lock);
    /* Read without the lock: the other workers go on meanwhile. Two
     * threads may both read a shard; the second listing is dropped. */
    shard_listing fresh = {NULL, 0, false};
    if (!is_read) fresh = shard_read(c, shard);
    pthread_mutex_lock(&c->shards_lock);
    if (fresh.is_read && !l->is_read) {
        *l = fresh;
        fresh.names = NULL;
    }
    bool found = l->n && bsearch(&h, l->names, l->n, sizeof h, compare_u64);
    pthread_mutex_unlock(&c->shards_lock);
    free(fresh.names);
    return found;
}

/* A complete variant: a regular file (never a link the output would
 * publish as such) under its final name. The listing says so for what was
 * there when the build began; anything newer is looked at. A name whose
 * hash another file shares is taken for present; linking it then fails
 * and the warning names it (one chance in about 2^64 / files). */
static bool is_variant_file(image_cache *c, const char *path)
{
    if (is_listed(c, path)) return true;
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The warm path: when every variant of the batch is on disk, answer in
 * the calling thread, without a round trip through the pool. */
static bool all_present(image_cache *c, image_job *jobs, size_t n)
{
    char **paths = xcalloc(n, sizeof *paths);
    size_t i = 0;
    image_source src;
    for (; i < n; i++) {
        /* The jobs of a batch are mostly variants of one photo. */
        bool is_same_photo = i > 0 && strcmp(jobs[i].source_path, jobs[i - 1].source_path) == 0;
        if (jobs[i].source) src = *jobs[i].source;
        else if (!is_same_photo && image_cache_source(c, jobs[i].source_path, &src, NULL) != 0) break;
        paths[i] = variant_path(c, src.hash, &jobs[i].spec);
        if (!is_variant_file(c, paths[i])) break;
    }
    if (i < n) {
        for (size_t k = 0; k <= i && k < n; k++) free(paths[k]);
        free(paths);
        return false;
    }
    for (i = 0; i < n; i++) jobs[i].cache_path = paths[i];
    free(paths);
    pthread_mutex_lock(&c->lock);
    c->stats.hits += n;
    pthread_mutex_unlock(&c->lock);
    return true;
}

/* Write data to path through a temporary file in the same directory. */
static int write_atomically(image_cache *c, const char *path, const void *data, size_t len)
{
    char *slash = strrchr(path, '/');
    char *dir = xstrndup(path, (size_t)(slash - path));
    int rc = dir_make(dir);
    free(dir);
    if (rc != 0) return -1;
    pthread_mutex_lock(&c->lock);
    unsigned long n = ++c->temp_counter;
    pthread_mutex_unlock(&c->lock);
    buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp-%ld-%lu", path, (long)getpid(), n);
    rc = file_write(tmp.s, data, len);
    if (rc == 0 && rename(tmp.s, path) != 0) rc = -1;
    if (rc != 0) unlink(tmp.s);
    buf_free(&tmp);
    return rc;
}

/* The jobs of one batch that share a source photo: one pool task, so the
 * photo is read, hashed and decoded once for all of them. */
typedef struct source_group {
    image_job **jobs;
    size_t n;
} source_group;

typedef struct batch_ctx {
    image_cache *c;
    source_group *groups;
    diag_list *d;
} batch_ctx;

static void forget_rendering(image_cache *c, const char *path)
{
    for (rendering **r = &c->in_progress; *r; r = &(*r)->next) {
        if (strcmp((*r)->cache_path, path) == 0) {
            rendering *gone = *r;
            *r = gone->next;
            free(gone);
            return;
        }
    }
}

/* Render the missing variants of one group. A variant another thread is
 * rendering right now is waited for only after our own are done: never
 * waiting while holding variants of our own rules out deadlocks. */
static void render_group(image_cache *c, source_group *g, diag_list *d)
{
    image_source src;
    if (image_cache_source(c, g->jobs[0]->source_path, &src, d) != 0) {
        pthread_mutex_lock(&c->lock);
        c->stats.failed += g->n;
        pthread_mutex_unlock(&c->lock);
        return;
    }
    const char *source_path = g->jobs[0]->source_path;
    char **paths = xcalloc(g->n, sizeof *paths);
    enum { IS_HIT, IS_MINE, IS_OTHERS, IS_FAILED } *state = xcalloc(g->n, sizeof *state);
    bool *was_mine = xcalloc(g->n, sizeof *was_mine);
    size_t mine = 0;

    pthread_mutex_lock(&c->lock);
    bool is_bad_source = is_broken(c, src.hash);
    for (size_t i = 0; i < g->n; i++) {
        paths[i] = variant_path(c, src.hash, &g->jobs[i]->spec);
        bool is_repeat = false; /* the same variant twice in one batch */
        for (size_t k = 0; k < i; k++) is_repeat |= strcmp(paths[k], paths[i]) == 0;
        if (is_bad_source) state[i] = IS_FAILED;
        else if (is_repeat || is_in_progress(c, paths[i])) state[i] = IS_OTHERS;
        else if (is_variant_file(c, paths[i])) state[i] = IS_HIT;
        else {
            state[i] = IS_MINE;
            was_mine[i] = true;
            rendering *r = xcalloc(1, sizeof *r);
            r->cache_path = paths[i];
            r->next = c->in_progress;
            c->in_progress = r;
            mine++;
        }
    }
    pthread_mutex_unlock(&c->lock);

    bool is_source_bad = false;
    if (mine) {
        image_spec *specs = xcalloc(mine, sizeof *specs);
        buf *outs = xcalloc(mine, sizeof *outs);
        size_t k = 0;
        for (size_t i = 0; i < g->n; i++)
            if (state[i] == IS_MINE) specs[k++] = g->jobs[i]->spec;
        size_t len;
        char *data = file_read(source_path, &len, IMAGE_MAX_SOURCE_BYTES);
        char hash[65] = "";
        if (data) sha256_hex(data, len, hash);
        if (!data) {
            if (d) diag_add(d, DIAG_WARNING, source_path, 0, 0, "cannot read image: %s", strerror(errno));
        } else if (strcmp(hash, src.hash) != 0) {
            /* Rendering these bytes under the old hash would cache a lie. */
            if (d) diag_add(d, DIAG_WARNING, source_path, 0, 0, "image changed during the build; not resized");
        } else if (vips_ready(c, source_path, d)) {
            size_t failed = image_render_set(source_path, data, len, specs, mine, outs, d);
            is_source_bad = failed == mine;
        }
        free(data);
        k = 0;
        for (size_t i = 0; i < g->n; i++) {
            if (state[i] != IS_MINE) continue;
            buf *out = &outs[k++];
            if (out->len == 0) state[i] = IS_FAILED;
            else if (write_atomically(c, paths[i], out->s, out->len) != 0) {
                if (d) diag_add(d, DIAG_WARNING, paths[i], 0, 0, "cannot write image variant: %s", strerror(errno));
                state[i] = IS_FAILED;
            }
            buf_free(out);
        }
        free(outs);
        free(specs);
    }

    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < g->n; i++) {
        if (was_mine[i]) forget_rendering(c, paths[i]);
    }
    if (is_source_bad && !is_broken(c, src.hash)) {
        broken_source *b = xcalloc(1, sizeof *b);
        memcpy(b->hash, src.hash, sizeof b->hash);
        b->next = c->broken;
        c->broken = b;
    }
    pthread_cond_broadcast(&c->render_done);
    for (size_t i = 0; i < g->n; i++) {
        if (state[i] == IS_OTHERS) {
            while (is_in_progress(c, paths[i])) pthread_cond_wait(&c->render_done, &c->lock);
            state[i] = is_variant_file(c, paths[i]) ? IS_HIT : IS_FAILED;
            if (state[i] == IS_HIT) c->stats.hits++;
        } else if (state[i] == IS_HIT) {
            c->stats.hits++;
        } else if (state[i] == IS_MINE) {
            c->stats.rendered++;
        }
        if (state[i] == IS_FAILED) c->stats.failed++;
    }
    size_t made = c->stats.rendered;
    bool is_time_to_tell = false;
    if (c->progress && mine) {
        long long now = now_ms();
        if (now - c->progress_last_ms >= c->progress_every_ms) {
            c->progress_last_ms = now;
            is_time_to_tell = true;
        }
    }
    pthread_mutex_unlock(&c->lock);
    if (is_time_to_tell) c->progress(c->progress_ctx, made);

    for (size_t i = 0; i < g->n; i++) {
        if (state[i] == IS_FAILED) free(paths[i]);
        else g->jobs[i]->cache_path = paths[i];
    }
    free(paths);
    free(state);
    free(was_mine);
}

static void run_group(void *ctx, size_t i)
{
    batch_ctx *b = ctx;
    render_group(b->c, &b->groups[i], b->d);
}

void image_cache_track_use(image_cache *c)
{
    pthread_mutex_lock(&c->lock);
    c->is_tracking_use = true;
    pthread_mutex_unlock(&c->lock);
}

/* Remember the variants handed out, for a prune after the build. */
static void note_use(image_cache *c, const image_job *jobs, size_t n)
{
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; c->is_tracking_use && i < n; i++) {
        const char *path = jobs[i].cache_path;
        const char *name = path ? strrchr(path, '/') : NULL;
        if (name && !strmap_get(&c->used, name + 1)) {
            char *key = xstrdup(name + 1);
            strmap_put(&c->used, key, key);
        }
    }
    pthread_mutex_unlock(&c->lock);
}

size_t image_cache_produce(image_cache *c, image_job *jobs, size_t n, diag_list *d)
{
    if (n == 0) return 0;
    if (all_present(c, jobs, n)) {
        note_use(c, jobs, n);
        return 0;
    }
    source_group *groups = xcalloc(n ? n : 1, sizeof *groups);
    size_t ngroups = 0;
    for (size_t i = 0; i < n; i++) {
        jobs[i].cache_path = NULL;
        size_t g = 0;
        while (g < ngroups && strcmp(groups[g].jobs[0]->source_path, jobs[i].source_path) != 0) g++;
        if (g == ngroups) groups[ngroups++].jobs = xcalloc(n, sizeof(image_job *));
        groups[g].jobs[groups[g].n++] = &jobs[i];
    }
    batch_ctx ctx = {c, groups, d};
    pthread_mutex_lock(&c->lock);
    if (!c->pool) c->pool = task_pool_new(c->threads);
    task_pool *pool = c->pool;
    pthread_mutex_unlock(&c->lock);
    task_pool_run(pool, ngroups, run_group, &ctx);
    for (size_t g = 0; g < ngroups; g++) free(groups[g].jobs);
    free(groups);
    note_use(c, jobs, n);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) failed += jobs[i].cache_path == NULL;
    return failed;
}

void image_cache_set_progress(image_cache *c, image_progress_fn fn, void *ctx, long long every_ms)
{
    pthread_mutex_lock(&c->lock);
    c->progress = fn;
    c->progress_ctx = ctx;
    c->progress_every_ms = every_ms;
    c->progress_last_ms = now_ms(); /* the first word after every_ms of work */
    pthread_mutex_unlock(&c->lock);
}

void image_cache_get_stats(image_cache *c, image_cache_stats *out)
{
    pthread_mutex_lock(&c->lock);
    *out = c->stats;
    pthread_mutex_unlock(&c->lock);
}
