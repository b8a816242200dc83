/* cache.c - content-addressed store of image variants (see cache.h).
 *
 * Layout: <dir>/v1/<first two hex digits>/<sha256>-<spec>.<ext>, where
 * <spec> spells every parameter of the variant ("cover-1200x400-q0-bg-1").
 * The v1 level is the rendering version: when the way variants are made
 * changes, bumping it makes every build re-render instead of reusing
 * files made the old way.
 *
 * Three small tables live in memory, each under the cache's one lock:
 * sources already hashed (path -> hash and header), photos that failed,
 * and the variants being rendered right now, so two threads asking for the
 * same variant (one photo on a page in three languages) render it once. */
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
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/files.h"
#include "media/pool.h"

#define RENDER_VERSION "v1"
#define SOURCE_BUCKETS 4096
#define CACHEDIR_TAG "Signature: 8a477f597d28d172789f06886806bc55\n# folio image variant cache.\n"

typedef struct known_source {
    char *path;
    off_t size;
    struct timespec mtime;
    bool is_image; /* false: not an image, warned about once already */
    image_source info;
    struct known_source *next;
} known_source;

typedef struct broken_source {
    char hash[65];
    struct broken_source *next;
} broken_source;

typedef struct rendering {
    const char *cache_path; /* owned by the thread rendering it */
    struct rendering *next;
} rendering;

struct image_cache {
    char *dir;
    task_pool *pool;
    pthread_mutex_t lock;
    pthread_cond_t render_done;
    known_source *sources[SOURCE_BUCKETS];
    broken_source *broken;
    rendering *in_progress;
    image_cache_stats stats;
    unsigned long temp_counter;
};

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

image_cache *image_cache_open(const char *dir, int threads, diag_list *d)
{
    char *versioned = path_join(dir, RENDER_VERSION);
    int rc = dir_make(versioned);
    free(versioned);
    if (rc != 0) {
        if (d) diag_add(d, DIAG_ERROR, dir, 0, 0, "cannot create the image cache: %s", strerror(errno));
        return NULL;
    }
    char *tag = path_join(dir, "CACHEDIR.TAG");
    if (!path_exists(tag)) file_write(tag, CACHEDIR_TAG, strlen(CACHEDIR_TAG));
    free(tag);
    image_cache *c = xcalloc(1, sizeof *c);
    c->dir = xstrdup(dir);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->render_done, NULL);
    c->pool = task_pool_new(threads);
    return c;
}

void image_cache_close(image_cache *c)
{
    if (!c) return;
    task_pool_free(c->pool);
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
    pthread_cond_destroy(&c->render_done);
    pthread_mutex_destroy(&c->lock);
    free(c->dir);
    free(c);
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
    return dir_remove_tree(dir);
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

static size_t bucket_of(const char *path)
{
    size_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) h = (h ^ *p) * 1099511628211u;
    return h % SOURCE_BUCKETS;
}

static bool same_file(const known_source *s, const struct stat *st)
{
    return s->size == st->st_size && s->mtime.tv_sec == st->st_mtim.tv_sec && s->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Hash and header of the bytes in data. */
static int describe(const char *path, const char *data, size_t len, image_source *out, diag_list *d)
{
    if (image_info_buffer(path, data, len, &out->meta, d) != 0) return -1;
    sha256_hex(data, len, out->hash);
    return 0;
}

int image_cache_source(image_cache *c, const char *path, image_source *out, diag_list *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (d) diag_add(d, DIAG_WARNING, path, 0, 0, "cannot read image: %s", strerror(errno));
        return -1;
    }
    size_t b = bucket_of(path);
    pthread_mutex_lock(&c->lock);
    for (known_source *s = c->sources[b]; s; s = s->next) {
        if (strcmp(s->path, path) == 0 && same_file(s, &st)) {
            *out = s->info;
            pthread_mutex_unlock(&c->lock);
            return s->is_image ? 0 : -1;
        }
    }
    pthread_mutex_unlock(&c->lock);

    size_t len;
    char *data = file_read(path, &len, IMAGE_MAX_SOURCE_BYTES);
    if (!data) {
        if (d) diag_add(d, DIAG_WARNING, path, 0, 0, "cannot read image: %s", strerror(errno));
        return -1;
    }
    int rc = describe(path, data, len, out, d);
    free(data);

    /* Remembered either way: a page in three languages warns once. */
    known_source *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->size = st.st_size;
    s->mtime = st.st_mtim;
    s->is_image = rc == 0;
    s->info = *out;
    pthread_mutex_lock(&c->lock);
    s->next = c->sources[b];
    c->sources[b] = s;
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
    buf_printf(b, "%s-%dx%d-q%d-bg%ld.%s", fit_name(s->fit), s->width, s->height, s->quality,
               s->fit == IMAGE_FIT_PAD ? s->background : -1L, image_format_ext(s->format));
}

void image_cache_variant_id(const char *source_hash, const image_spec *spec, char out[11])
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s:%s:", RENDER_VERSION, source_hash);
    spec_key(&b, spec);
    char hex[65];
    sha256_hex(b.s, b.len, hex);
    buf_free(&b);
    memcpy(out, hex, 10);
    out[10] = 0;
}

static char *variant_path(image_cache *c, const char *hash, const image_spec *spec)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s/%s/%.2s/%s-", c->dir, RENDER_VERSION, hash, hash);
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
        else if (path_exists(paths[i])) state[i] = IS_HIT;
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
        } else {
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
            state[i] = path_exists(paths[i]) ? IS_HIT : IS_FAILED;
            if (state[i] == IS_HIT) c->stats.hits++;
        } else if (state[i] == IS_HIT) {
            c->stats.hits++;
        } else if (state[i] == IS_MINE) {
            c->stats.rendered++;
        }
        if (state[i] == IS_FAILED) c->stats.failed++;
    }
    pthread_mutex_unlock(&c->lock);

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

size_t image_cache_produce(image_cache *c, image_job *jobs, size_t n, diag_list *d)
{
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
    task_pool_run(c->pool, ngroups, run_group, &ctx);
    for (size_t g = 0; g < ngroups; g++) free(groups[g].jobs);
    free(groups);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) failed += jobs[i].cache_path == NULL;
    return failed;
}

void image_cache_get_stats(image_cache *c, image_cache_stats *out)
{
    pthread_mutex_lock(&c->lock);
    *out = c->stats;
    pthread_mutex_unlock(&c->lock);
}
