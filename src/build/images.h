/* images.h - photos in a build: the glue between pages and src/media.
 *
 * Every photo (JPEG, PNG, WebP) a page publishes goes out without its
 * metadata: under its own media URL as a re-encoded copy of the same size
 * (EXIF orientation applied; GPS, camera and comments gone), and, where a
 * page shows it, as responsive variants (srcset with WebP) that src/media
 * makes once and keeps in the variant cache. A photo that cannot be
 * processed is published as it is, with a warning naming it. Files are
 * published once however many pages and languages use them. */
#ifndef FOLIO_BUILD_IMAGES_H
#define FOLIO_BUILD_IMAGES_H

#include <stdbool.h>

#include "build/output.h"
#include "content/site.h"
#include "lib/buf.h"
#include "lib/diag.h"

typedef struct build_images build_images;

/* Photos for out through the variant cache (cache_dir, or the site's
 * default). libvips and the cache start with the first photo; when they
 * cannot (a warning says so), photos are published as they are. */
build_images *build_images_open(const char *site_dir, const char *cache_dir, int threads, output *out,
                                diag_list *d);
void build_images_close(build_images *bi);
/* Variants rendered and found in the cache so far (0 and 0 before the
 * first photo). */
void build_images_counts(build_images *bi, size_t *made, size_t *cached);
/* fn(ctx, made) every few seconds while variants are made (build_options.
 * variants_progress); set before the first photo. */
void build_images_set_progress(build_images *bi, void (*fn)(void *ctx, size_t made), void *ctx);
/* Publish from now on into out (a live update writes into a new snapshot
 * that shares what was published before). */
void build_images_set_output(build_images *bi, output *out);

/* From now on, publish each photo without its metadata (EXIF, XMP,
 * comments, taken out without decoding it) but otherwise as it is, and
 * show it so: no variants, no cache (build_options.photos_as_they_are).
 * A photo that cannot be stripped so, or a HEIC one, is left out. */
void build_images_set_as_they_are(build_images *bi);

bool build_images_is_photo(const char *name);

/* Remember which variants the build uses, for build_images_prune; call
 * before the first photo. */
void build_images_track_use(build_images *bi);
/* Empty the cache of the variants of photos that are no longer in any
 * page folder of s, published or not, and (with build_images_track_use)
 * of the variants the build did not use of the photos it showed: widths
 * or crops the site no longer asks for (folio build --prune-cache). A
 * draft's photos keep all theirs. Adds to *removed and *bytes; 0, or -1
 * (with an error in d). */
int build_images_prune(build_images *bi, const site *s, size_t *removed, unsigned long long *bytes, diag_list *d);

/* Publish media file m (stripped when it is a photo). bi must not be
 * NULL (without images, publish the file as it is). 0 or -1. */
int build_images_publish(build_images *bi, const media_file *m, diag_list *d);

/* The <img>/<picture> markup for photo m as Markdown shows it (query holds
 * Grav's image actions), publishing its variants. False when m is not a
 * photo or bi is NULL: the caller writes a plain <img>. Thread-safe. */
bool build_images_markup(build_images *bi, const page_version *pv, const media_file *m, const char *query,
                         const char *alt, const char *title, bool above_fold, buf *out, diag_list *d);

/* The address of a phone-sized copy of photo m (about 960 px wide, in its
 * own format), published, for a video's poster; false, appending nothing,
 * when m is no photo or cannot be processed. */
bool build_images_poster(build_images *bi, const media_file *m, buf *url, diag_list *d);

/* The header image of a page: m cropped wide (1200 x 400, Grav's
 * cropZoom) in the widths the layout needs. */
bool build_images_header(build_images *bi, const media_file *m, bool above_fold, buf *out, diag_list *d);

#endif
