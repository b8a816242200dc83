/* images.c - publishing photos through the variant cache, once each. */
#include "build/images.h"
#include "lib/files.h"
#include "lib/strmap.h"
#include "media/actions.h"
#include "media/cache.h"
#include "media/markup.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEADER_WIDTH 1200
#define HEADER_HEIGHT 400
/* The theme's column: content and header images are at most 42rem wide
 * (src/theme/files/assets/style.css), the full width of a phone below. */
#define CONTENT_SIZES "(min-width: 46rem) 42rem, 100vw"
#define HEADER_SIZES CONTENT_SIZES

struct build_images {
    /* libvips and the cache start with the first photo: a site without
     * photos (or a build that never reaches one) does not load them. */
    pthread_mutex_t start_lock;
    bool started;
    image_cache *cache; /* NULL until started, or when starting failed */
    char *site_dir, *cache_dir;
    int threads;
    output *out;
    pthread_mutex_t lock; /* guards published */
    strmap published;     /* output path -> itself (malloc'd) */
};

bool build_images_is_photo(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".png") ||
                   !strcasecmp(dot, ".webp"));
}

build_images *build_images_open(const char *site_dir, const char *cache_dir, int threads, output *out, diag_list *d)
{
    (void)d;
    build_images *bi = xcalloc(1, sizeof *bi);
    bi->site_dir = xstrdup(site_dir);
    bi->cache_dir = cache_dir ? xstrdup(cache_dir) : NULL;
    bi->threads = threads;
    bi->out = out;
    pthread_mutex_init(&bi->lock, NULL);
    pthread_mutex_init(&bi->start_lock, NULL);
    return bi;
}

/* The variant cache, started on first use; NULL (after one warning) when
 * libvips or the cache cannot start: photos are then published as they are. */
static image_cache *cache_of(build_images *bi, diag_list *d)
{
    pthread_mutex_lock(&bi->start_lock);
    if (!bi->started) {
        bi->started = true;
        if (images_init() < 0) {
            diag_add(d, DIAG_WARNING, bi->site_dir, 0, 0,
                     "images cannot be processed (libvips did not start); photos are published as they are");
        } else {
            char *dir = bi->cache_dir ? xstrdup(bi->cache_dir) : image_cache_default_dir(bi->site_dir);
            bi->cache = image_cache_open(dir, bi->threads, d);
            free(dir);
        }
    }
    image_cache *c = bi->cache;
    pthread_mutex_unlock(&bi->start_lock);
    return c;
}

void build_images_close(build_images *bi)
{
    if (!bi) return;
    if (bi->cache) image_cache_close(bi->cache);
    free(bi->site_dir);
    free(bi->cache_dir);
    pthread_mutex_destroy(&bi->start_lock);
    for (size_t i = 0; i < bi->published.cap; i++) free((char *)bi->published.slots[i].key);
    strmap_free(&bi->published);
    pthread_mutex_destroy(&bi->lock);
    free(bi);
}

void build_images_set_output(build_images *bi, output *out)
{
    bi->out = out;
}

/* True the first time path is claimed: only that caller publishes it. */
static bool claim(build_images *bi, const char *path)
{
    pthread_mutex_lock(&bi->lock);
    bool first = strmap_get(&bi->published, path) == NULL;
    if (first) {
        char *key = xstrdup(path);
        strmap_put(&bi->published, key, key);
    }
    pthread_mutex_unlock(&bi->lock);
    return first;
}

static int publish_file(build_images *bi, const char *path, const char *src, diag_list *d)
{
    if (!claim(bi, path)) return 0;
    if (output_put_file(bi->out, path, src) < 0) {
        diag_add(d, DIAG_WARNING, src, 0, 0, "cannot publish %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int build_images_publish(build_images *bi, const media_file *m, diag_list *d)
{
    if (!build_images_is_photo(m->name)) return publish_file(bi, m->out_path, m->path, d);
    image_cache *cache = cache_of(bi, d);
    image_source src;
    if (cache && image_cache_source(cache, m->path, &src, d) == 0) {
        image_job job = {0};
        job.source_path = m->path;
        job.spec.fit = IMAGE_FIT_NONE;
        job.spec.format = src.meta.format;
        job.spec.background = -1;
        if (image_cache_produce(cache, &job, 1, d) == 0 && job.cache_path) {
            int rc = publish_file(bi, m->out_path, job.cache_path, d);
            free(job.cache_path);
            return rc;
        }
        free(job.cache_path);
    }
    /* Damaged photo (the warning names it): browsers may still show it. */
    return publish_file(bi, m->out_path, m->path, d);
}

/* "media/news/post/photo.jpg" -> "media/news/post/"; the same for URLs. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return xstrndup(path, slash ? (size_t)(slash - path + 1) : 0);
}

static bool make_markup(build_images *bi, const media_file *m, const image_markup_request *rq, buf *out,
                        diag_list *d)
{
    image_cache *cache = cache_of(bi, d);
    if (!cache) return false;
    image_markup mk = {0};
    int rc = image_markup_make(cache, rq, &mk, d);
    if (mk.html) buf_puts(out, mk.html);
    if (rc == 0) {
        char *folder = folder_of(m->out_path);
        for (size_t i = 0; i < mk.nfiles; i++) {
            char *path = path_join(folder, mk.files[i].name);
            publish_file(bi, path, mk.files[i].cache_path, d);
            free(path);
        }
        free(folder);
    }
    image_markup_free(&mk);
    return mk.html != NULL || rc == 0;
}

bool build_images_markup(build_images *bi, const page_version *pv, const media_file *m, const char *query,
                         const char *alt, const char *title, bool above_fold, buf *out, diag_list *d)
{
    if (!bi || !build_images_is_photo(m->name)) return false;
    buf url = BUF_INIT;
    buf_puts(&url, m->name);
    if (query && *query) {
        buf_putc(&url, '?');
        buf_puts(&url, query);
    }
    image_actions act;
    image_actions_parse(buf_cstr(&url), NULL, &act, d, pv->file, 0);
    buf_free(&url);
    char *base = folder_of(m->url);
    image_markup_request rq = {0};
    rq.source_path = m->path;
    rq.base_url = base;
    rq.alt = alt;
    rq.title = title;
    rq.actions = &act;
    rq.is_above_fold = above_fold || act.is_eager;
    rq.sizes = act.fit == IMAGE_FIT_NONE ? CONTENT_SIZES : NULL;
    rq.want_webp = true;
    bool ok = make_markup(bi, m, &rq, out, d);
    free(base);
    image_actions_free(&act);
    return ok;
}

bool build_images_header(build_images *bi, const media_file *m, bool above_fold, buf *out, diag_list *d)
{
    if (!bi || !build_images_is_photo(m->name)) return false;
    image_actions act;
    memset(&act, 0, sizeof act);
    act.fit = IMAGE_FIT_COVER;
    act.width = HEADER_WIDTH;
    act.height = HEADER_HEIGHT;
    act.background = -1;
    char *base = folder_of(m->url);
    image_markup_request rq = {0};
    rq.source_path = m->path;
    rq.base_url = base;
    rq.alt = "";
    rq.actions = &act;
    rq.sizes = HEADER_SIZES;
    rq.is_above_fold = above_fold;
    rq.want_webp = true;
    bool ok = make_markup(bi, m, &rq, out, d);
    free(base);
    return ok;
}
