/* images.c - publishing photos through the variant cache, once each. */
#include "build/images.h"
#include "lib/files.h"
#include "lib/strmap.h"
#include "media/actions.h"
#include "media/cache.h"
#include "media/markup.h"
#include "media/metadata.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROGRESS_EVERY_MS 5000 /* how often a long first build says how far it is */
#define HEADER_WIDTH 1200
#define HEADER_HEIGHT 400
/* The theme's column: content and header images are at most 42rem wide
 * (src/theme/files/assets/style.css), the full width of a phone below. */
#define CONTENT_SIZES "(min-width: 46rem) 42rem, 100vw"
#define HEADER_SIZES CONTENT_SIZES

struct build_images {
    /* The cache opens with the first photo: a site without photos (or a
     * build that never reaches one) does not touch it. */
    pthread_mutex_t start_lock;
    bool started;
    image_cache *cache; /* NULL until started, or when starting failed */
    char *temp_cache;   /* the folder of a cache made for this run only, removed at close */
    char *site_dir, *cache_dir;
    int threads;
    output *out;
    pthread_mutex_t lock; /* guards published and sources */
    strmap published;     /* output path -> itself (malloc'd) */
    /* Each photo is looked at once a build: source path -> image_source
     * (both malloc'd). A build that sees a photo change restarts from a
     * new build_images (the incremental update handles page files only). */
    strmap sources;
    image_markup_memo *plans; /* the variants of each photo and shape, once made */
    void (*progress)(void *ctx, size_t made);
    void *progress_ctx;
    bool is_tracking_use; /* build_images_track_use */
    bool as_they_are;     /* build_images_set_as_they_are */
};

void build_images_set_as_they_are(build_images *bi) { bi->as_they_are = true; }

bool build_images_is_photo(const char *name)
{
    /* every image but a GIF, whose animation resizing would stop */
    const char *dot = strrchr(name, '.');
    return media_is_image(name) && strcasecmp(dot, ".gif") != 0;
}

build_images *build_images_open(const char *site_dir, const char *cache_dir, int threads, output *out, diag_list *d)
{
    (void)d;
    build_images *bi = xcalloc(1, sizeof *bi);
    bi->site_dir = xstrdup(site_dir);
    bi->cache_dir = cache_dir ? xstrdup(cache_dir) : NULL;
    bi->threads = threads;
    bi->out = out;
    bi->plans = image_markup_memo_new();
    pthread_mutex_init(&bi->lock, NULL);
    pthread_mutex_init(&bi->start_lock, NULL);
    return bi;
}

/* A cache for this run only, in the temporary folder, when the real one
 * cannot be opened (a read-only disk, a cache folder of another user):
 * photos are still stripped of their metadata, at the cost of making
 * every variant again. NULL when that fails too. */
static image_cache *open_temporary_cache(build_images *bi, const char *dir, const diag_list *why, diag_list *d)
{
    const char *tmp = getenv("TMPDIR");
    char *tmpl = path_join(tmp && *tmp ? tmp : "/tmp", "folio-cache-XXXXXX");
    image_cache *c = mkdtemp(tmpl) ? image_cache_open(tmpl, bi->threads, NULL) : NULL;
    if (!c) {
        if (path_exists(tmpl)) dir_remove_tree(tmpl);
        free(tmpl);
        return NULL;
    }
    bi->temp_cache = tmpl;
    if (d)
        diag_add(d, DIAG_WARNING, dir, 0, 0,
                 "%s; photos go through a temporary cache in %s for this run (stripped as always, every variant "
                 "made again)",
                 why->len ? why->items[0].msg : "the image cache cannot be used", tmpl);
    return c;
}

/* The variant cache, opened on first use (or a temporary one when it
 * cannot be); NULL (after the error) when neither can be made: photos are
 * then published as they are. libvips itself starts only when a photo
 * has to be decoded (see media/cache.h). */
static image_cache *cache_of(build_images *bi, diag_list *d)
{
    pthread_mutex_lock(&bi->start_lock);
    if (!bi->started) {
        bi->started = true;
        char *dir = bi->cache_dir ? xstrdup(bi->cache_dir) : image_cache_default_dir(bi->site_dir);
        diag_list why;
        diag_init(&why);
        bi->cache = image_cache_open(dir, bi->threads, &why);
        if (!bi->cache) bi->cache = open_temporary_cache(bi, dir, &why, d);
        if (!bi->cache && d)
            for (size_t i = 0; i < why.len; i++)
                diag_add(d, why.items[i].level, why.items[i].path, why.items[i].line, why.items[i].col, "%s",
                         why.items[i].msg);
        diag_free(&why);
        free(dir);
        if (bi->cache && bi->progress)
            image_cache_set_progress(bi->cache, bi->progress, bi->progress_ctx, PROGRESS_EVERY_MS);
        if (bi->cache && bi->is_tracking_use) image_cache_track_use(bi->cache);
    }
    image_cache *c = bi->cache;
    pthread_mutex_unlock(&bi->start_lock);
    return c;
}

void build_images_close(build_images *bi)
{
    if (!bi) return;
    if (bi->cache) image_cache_close(bi->cache);
    /* Its files live on where the output links them, or while a server
     * holds them open. */
    if (bi->temp_cache) dir_remove_tree(bi->temp_cache);
    free(bi->temp_cache);
    free(bi->site_dir);
    free(bi->cache_dir);
    pthread_mutex_destroy(&bi->start_lock);
    for (size_t i = 0; i < bi->published.cap; i++) free((char *)bi->published.slots[i].key);
    strmap_free(&bi->published);
    for (size_t i = 0; i < bi->sources.cap; i++) {
        free((char *)bi->sources.slots[i].key);
        free(bi->sources.slots[i].val);
    }
    strmap_free(&bi->sources);
    image_markup_memo_free(bi->plans);
    pthread_mutex_destroy(&bi->lock);
    free(bi);
}

void build_images_counts(build_images *bi, size_t *made, size_t *cached)
{
    image_cache_stats st = {0};
    pthread_mutex_lock(&bi->start_lock);
    if (bi->cache) image_cache_get_stats(bi->cache, &st);
    pthread_mutex_unlock(&bi->start_lock);
    *made = st.rendered;
    *cached = st.hits;
}

void build_images_set_progress(build_images *bi, void (*fn)(void *ctx, size_t made), void *ctx)
{
    pthread_mutex_lock(&bi->start_lock);
    bi->progress = fn;
    bi->progress_ctx = ctx;
    pthread_mutex_unlock(&bi->start_lock);
}

void build_images_track_use(build_images *bi)
{
    pthread_mutex_lock(&bi->start_lock);
    bi->is_tracking_use = true;
    if (bi->cache) image_cache_track_use(bi->cache);
    pthread_mutex_unlock(&bi->start_lock);
}

void build_images_set_output(build_images *bi, output *out)
{
    bi->out = out;
}

/* The hash and header of a photo, from the cache the first time in the
 * build, from memory after. 0, or -1 when it cannot be used (warned). */
static int source_of(build_images *bi, image_cache *cache, const media_file *m, image_source *out, diag_list *d)
{
    const char *path = m->path;
    pthread_mutex_lock(&bi->lock);
    image_source *known = strmap_get(&bi->sources, path);
    if (known) *out = *known;
    pthread_mutex_unlock(&bi->lock);
    if (known) return 0;
    if (image_cache_source_seen(cache, path, &m->stamp, out, d) != 0) return -1;
    pthread_mutex_lock(&bi->lock);
    if (!strmap_get(&bi->sources, path)) {
        image_source *copy = xmalloc(sizeof *copy);
        *copy = *out;
        strmap_put(&bi->sources, xstrdup(path), copy);
    }
    pthread_mutex_unlock(&bi->lock);
    return 0;
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

/* src is a photo of the site, or a variant in the cache (is_cached): the
 * output may link those rather than copy them. */
static int publish_file(build_images *bi, const char *path, const char *src, bool is_cached, diag_list *d)
{
    if (!claim(bi, path)) return 0;
    if ((is_cached ? output_put_immutable(bi->out, path, src) : output_put_file(bi->out, path, src)) < 0) {
        diag_add(d, DIAG_WARNING, src, 0, 0, "cannot publish %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Whether the photo at path holds EXIF, XMP, IPTC or a comment (or
 * cannot be read to tell). */
static bool carries_private_metadata(const char *path)
{
    size_t len;
    char *data = file_read(path, &len, (size_t)256 << 20);
    bool is_private = !data || metadata_is_private((const unsigned char *)data, len);
    free(data);
    return is_private;
}

/* m, a JPEG, PNG or WebP with private blocks, published without them
 * (nothing decoded): true with *rc set, false when it is none such. */
static bool publish_stripped(build_images *bi, const media_file *m, int *rc, diag_list *d)
{
    size_t len;
    char *data = file_read(m->path, &len, (size_t)256 << 20);
    buf clean = BUF_INIT;
    bool is_done = data && metadata_is_private((const unsigned char *)data, len) &&
                   metadata_strip((const unsigned char *)data, len, &clean);
    if (is_done) {
        *rc = 0;
        if (claim(bi, m->out_path) && output_put(bi->out, m->out_path, clean.s, clean.len, file_mtime(m->path)) < 0) {
            diag_add(d, DIAG_WARNING, m->path, 0, 0, "cannot publish %s: %s", m->out_path, strerror(errno));
            *rc = -1;
        }
    }
    buf_free(&clean);
    free(data);
    return is_done;
}

/* build_images_set_as_they_are: m without its private blocks, read once;
 * left out when they cannot be taken out so, or when it is a HEIC photo
 * (the full build publishes the JPEG browsers can show). */
static int publish_as_it_is(build_images *bi, const media_file *m, diag_list *d)
{
    if (media_is_heic(m->name)) return 0;
    size_t len;
    char *data = file_read(m->path, &len, (size_t)256 << 20);
    if (!data) return 0;
    int rc = 0;
    buf clean = BUF_INIT;
    if (!metadata_is_private((const unsigned char *)data, len)) {
        rc = publish_file(bi, m->out_path, m->path, false, d);
    } else if (metadata_strip((const unsigned char *)data, len, &clean) && claim(bi, m->out_path) &&
               output_put(bi->out, m->out_path, clean.s, clean.len, file_mtime(m->path)) < 0) {
        diag_add(d, DIAG_WARNING, m->path, 0, 0, "cannot publish %s: %s", m->out_path, strerror(errno));
        rc = -1;
    }
    buf_free(&clean);
    free(data);
    return rc;
}

int build_images_publish(build_images *bi, const media_file *m, diag_list *d)
{
    if (!build_images_is_photo(m->name)) return publish_file(bi, m->out_path, m->path, false, d);
    if (bi->as_they_are) return publish_as_it_is(bi, m, d);
    image_cache *cache = cache_of(bi, d);
    image_source src;
    if (cache && source_of(bi, cache, m, &src, d) == 0) {
        image_job job = {0};
        job.source_path = m->path;
        job.spec.fit = IMAGE_FIT_NONE;
        job.spec.format = image_web_format(src.meta.format);
        job.spec.background = -1;
        job.source = &src;
        if (image_cache_produce(cache, &job, 1, d) == 0 && job.cache_path) {
            int rc = publish_file(bi, m->out_path, job.cache_path, true, d);
            free(job.cache_path);
            return rc;
        }
        free(job.cache_path);
    }
    /* Damaged photo (the warning names it): browsers may still show it;
     * a HEIC one, which only Safari would, is left out rather than
     * published under its JPEG name. */
    if (media_is_heic(m->name)) {
        diag_add(d, DIAG_WARNING, m->path, 0, 0, "a HEIC photo folio cannot convert is not published: save it as JPEG");
        return -1;
    }
    /* A damaged photo (libvips could not read it) still goes out, as the
     * browser may show it, but without its EXIF, XMP and comments. */
    bool can_strip = cache && images_init() == 0;
    if (can_strip) {
        int rc;
        if (publish_stripped(bi, m, &rc, d)) return rc;
    }
    /* Without libvips (or any cache) nothing can be stripped: a photo that
     * tells where and with what it was taken stays out. */
    if (!can_strip && carries_private_metadata(m->path)) {
        if (claim(bi, m->out_path))
            diag_add(d, DIAG_ERROR, m->path, 0, 0,
                     "this photo carries metadata (EXIF: place, camera, time; XMP; comments) that folio strips "
                     "with libvips, which %s: it is not published; install libvips (Debian: libvips42), or pass "
                     "--no-images to publish photos as they are",
                     cache ? "cannot be loaded" : "cannot be used without an image cache");
        return -1;
    }
    return publish_file(bi, m->out_path, m->path, false, d);
}

int build_images_prune(build_images *bi, const site *s, size_t *removed, unsigned long long *bytes, diag_list *d)
{
    image_cache *cache = cache_of(bi, d);
    if (!cache) return -1;
    /* The photos this build showed: every one it looked at so far (the
     * drafts' are looked at below, for keep). */
    size_t nshown = 0;
    char **shown = xcalloc(bi->sources.len + 1, sizeof *shown);
    for (size_t i = 0; i < bi->sources.cap; i++) {
        const image_source *src = bi->sources.slots[i].val;
        if (src && nshown <= bi->sources.len) shown[nshown++] = xstrdup(src->hash);
    }
    size_t n = 0, cap = 0;
    char **keep = NULL;
    for (size_t i = 0; i < s->npages; i++) {
        const page *pg = s->pages[i];
        for (size_t m = 0; m < pg->nmedia; m++) {
            image_source src;
            if (!build_images_is_photo(pg->media[m].name) || source_of(bi, cache, &pg->media[m], &src, NULL) != 0)
                continue;
            if (n == cap) keep = xrealloc(keep, (cap = cap ? 2 * cap : 64) * sizeof *keep);
            keep[n++] = xstrdup(src.hash);
        }
    }
    int rc = image_cache_prune(cache, (const char *const *)keep, n, (const char *const *)shown, nshown, removed, bytes);
    const char *where = bi->cache_dir ? bi->cache_dir : bi->site_dir;
    if (rc != 0 && errno == EBUSY)
        diag_add(d, DIAG_NOTE, where, 0, 0,
                 "the photo cache was not pruned: another folio (a folio serve?) has it open and may need what "
                 "this build does not; prune when it is stopped");
    else if (rc != 0)
        diag_add(d, DIAG_ERROR, where, 0, 0, "cannot prune the photo cache: %s", strerror(errno));
    for (size_t i = 0; i < n; i++) free(keep[i]);
    free(keep);
    for (size_t i = 0; i < nshown; i++) free(shown[i]);
    free(shown);
    return rc;
}

/* "media/news/post/photo.jpg" -> "media/news/post/"; the same for URLs. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return xstrndup(path, slash ? (size_t)(slash - path + 1) : 0);
}

/* The markup of rq into out (when not NULL), publishing its variants; the
 * <img src> into img_src when it is not NULL and the photo could be
 * processed. */
static bool make_markup(build_images *bi, const media_file *m, image_markup_request *rq, buf *out, buf *img_src,
                        diag_list *d)
{
    image_cache *cache = cache_of(bi, d);
    if (!cache) return false;
    image_source src;
    rq->source = source_of(bi, cache, m, &src, NULL) == 0 ? &src : NULL;
    rq->memo = bi->plans;
    image_markup mk = {0};
    int rc = image_markup_make(cache, rq, &mk, d);
    if (mk.html && out) buf_puts(out, mk.html);
    if (rc == 0 && img_src && mk.src) buf_puts(img_src, mk.src);
    if (rc == 0) {
        char *folder = folder_of(m->out_path);
        for (size_t i = 0; i < mk.nfiles; i++) {
            char *path = path_join(folder, mk.files[i].name);
            publish_file(bi, path, mk.files[i].cache_path, true, d);
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
    if (!bi || bi->as_they_are || !build_images_is_photo(m->name)) return false;
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
    bool ok = make_markup(bi, m, &rq, out, NULL, d);
    free(base);
    image_actions_free(&act);
    return ok;
}

bool build_images_poster(build_images *bi, const media_file *m, buf *url, diag_list *d)
{
    if (!bi || bi->as_they_are || !build_images_is_photo(m->name)) return false;
    char *base = folder_of(m->url);
    image_markup_request rq = {0};
    rq.source_path = m->path;
    rq.base_url = base;
    rq.sizes = CONTENT_SIZES;
    rq.want_webp = true; /* the plan of the photo as a page shows it: made once for both */
    size_t before = url->len;
    make_markup(bi, m, &rq, NULL, url, d);
    free(base);
    return url->len > before;
}

bool build_images_header(build_images *bi, const media_file *m, bool above_fold, buf *out, diag_list *d)
{
    if (!bi || bi->as_they_are || !build_images_is_photo(m->name)) return false;
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
    bool ok = make_markup(bi, m, &rq, out, NULL, d);
    free(base);
    return ok;
}
