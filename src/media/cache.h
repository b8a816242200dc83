/* cache.h - the variant cache: every photo is processed once, ever.
 *
 * A variant file is stored under a name made of the SHA-256 of the source
 * photo's bytes and the variant's parameters, so an unchanged photo is
 * found again by any later build, a changed photo (same file name, new
 * bytes) can never be served stale, and two pages using the same photo
 * share its variants. Files are written to a temporary name and renamed,
 * so a crashed or concurrent build never leaves half a file under a real
 * name.
 *
 * Where the cache lives (image_cache_default_dir): $FOLIO_CACHE_DIR when
 * set; otherwise `.folio-cache` next to the site's user/ folder (the Grav
 * root), so the cache travels with the site and a build of one site never
 * sees another's files; when that folder is not writable,
 * $XDG_CACHE_HOME/folio (default ~/.cache/folio). The directory carries a
 * CACHEDIR.TAG so backup tools skip it, and image_cache_clean() refuses to
 * delete a directory without it.
 *
 * The cache owns the media worker pool: image_cache_produce() renders the
 * missing variants of a batch on it. All functions taking an image_cache
 * are thread-safe. */
#ifndef FOLIO_MEDIA_CACHE_H
#define FOLIO_MEDIA_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/diag.h"
#include "lib/files.h"
#include "media/image.h"

typedef struct image_cache image_cache;

/* A source photo as the cache knows it. */
typedef struct image_source {
    char hash[65];   /* SHA-256 of the file's bytes, lowercase hex */
    image_meta meta; /* from the header */
} image_source;

/* One variant to make. */
typedef struct image_job {
    const char *source_path; /* in */
    image_spec spec;         /* in */
    char *cache_path;        /* out: malloc'd path of the variant, NULL when it failed */
    /* in, optional: what image_cache_source() has just said of
     * source_path, so that the warm path need not look at it again */
    const image_source *source;
} image_job;

typedef struct image_cache_stats {
    size_t rendered; /* variants processed and written */
    size_t hits;     /* variants found already cached */
    size_t failed;   /* variants that could not be made */
} image_cache_stats;

/* The cache directory for the site whose user/ folder is site_dir
 * (see above). malloc'd. */
char *image_cache_default_dir(const char *site_dir);
/* Open the cache in dir (created if missing) with a pool of threads
 * workers (0 = one per core). The workers start with the first variant to
 * render and libvips (images_init) with the first photo to decode: neither
 * when every source is known and every variant cached. NULL with an error in d when the directory cannot be
 * created. */
image_cache *image_cache_open(const char *dir, int threads, diag_list *d);
/* Stop the workers and free c (the files stay). */
void image_cache_close(image_cache *c);
/* Whether the cache in dir has never been filled (no photo known to it):
 * a first build there makes every variant. */
bool image_cache_is_cold(const char *dir);
/* Empty the cache directory dir (folio build --clean-cache). A missing
 * directory is fine; one without folio's CACHEDIR.TAG is refused (EPERM),
 * and so is one another folio has open (EBUSY: a folio serve or build
 * may be linking its files). Returns 0 or -1 with errno. */
int image_cache_clean(const char *dir);
/* From now on, remember which variants image_cache_produce() hands out
 * (for image_cache_prune; a few bytes a variant). */
void image_cache_track_use(image_cache *c);
/* Remove the variants of every photo whose hash is not among keep (n of
 * them, each 64 hex digits), and temporary files an interrupted build left
 * over an hour ago; the sources file keeps only what is known. Of a photo
 * among shown (the ones a build showed, nshown of them), only the variants
 * handed out since image_cache_track_use() stay (without tracking, shown
 * is ignored). Adds to *removed and *bytes. 0, or -1 with errno when the
 * cache cannot be read, or EBUSY (nothing removed) while another folio
 * has it open: that one may be about to link what this one does not use. */
int image_cache_prune(image_cache *c, const char *const *keep, size_t n, const char *const *shown, size_t nshown,
                      size_t *removed, unsigned long long *bytes);

/* Content hash and header of a source photo, remembered per path and file
 * identity (device, inode, size, modification and change times) in the
 * cache folder, so later builds need not read the photo. Returns 0, or -1 with a warning
 * naming the file when it is unreadable or not an image (the warning is
 * given once per file and cache, however often it is asked for). */
int image_cache_source(image_cache *c, const char *path, image_source *out, diag_list *d);
/* The same, looked up first by the photo's identity as it was when the
 * site was read (seen, may be NULL): no stat when that is known, and the
 * answer is the photo as the page that shows it was read. Unknown, it is
 * image_cache_source(). */
int image_cache_source_seen(image_cache *c, const char *path, const file_stamp *seen, image_source *out,
                            diag_list *d);
/* Short content-addressed id of a variant (10 hex digits + NUL), for
 * published file names: it changes whenever the photo or spec changes. */
void image_cache_variant_id(const char *source_hash, const image_spec *spec, char out[11]);
/* Make every job's variant available in the cache, rendering the missing
 * ones on the pool, and wait for them. A photo that failed once is not
 * tried again by the same cache (its warning was given). Returns the
 * number of jobs that failed (their cache_path is NULL). Free each
 * cache_path with free(). */
size_t image_cache_produce(image_cache *c, image_job *jobs, size_t n, diag_list *d);
/* Counters since open. */
void image_cache_get_stats(image_cache *c, image_cache_stats *out);
/* fn(ctx, made) is called, from a worker, with the number of variants
 * rendered so far when some were rendered and every_ms has passed since
 * it was last called (or since this call): a first build of a site with
 * many photos takes minutes, and whoever waits is told it moves. */
typedef void (*image_progress_fn)(void *ctx, size_t made);
void image_cache_set_progress(image_cache *c, image_progress_fn fn, void *ctx, long long every_ms);

#endif
