/* image.h - one photo in, one web-sized variant out (libvips).
 *
 * A variant is described by an image_spec: how to fit the photo into a
 * box (the resize modes Grav offers in Markdown image URLs), the output
 * format and the quality. Every variant is turned upright by its EXIF
 * orientation and written with all metadata stripped (EXIF with GPS, XMP,
 * IPTC, comments); a photo with an embedded colour profile is converted to
 * sRGB first, so dropping the profile does not change its colours.
 *
 * images_init() must have run before any other function here; it may be
 * called from any thread, as often as wanted (the variant cache calls it
 * the first time a photo has to be decoded, so a build that finds every
 * variant cached never starts libvips). Every function is thread-safe,
 * except images_shutdown(), which ends libvips for good. */
#ifndef FOLIO_MEDIA_IMAGE_H
#define FOLIO_MEDIA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"
#include "lib/diag.h"

/* Largest side a variant may have; larger boxes are clamped. */
#define IMAGE_MAX_SIDE 8192
/* Sources with more pixels than this are refused (decompression bombs). */
#define IMAGE_MAX_SOURCE_PIXELS (100L * 1000 * 1000)
/* Sources larger than this many bytes are refused. */
#define IMAGE_MAX_SOURCE_BYTES (64L * 1024 * 1024)

typedef enum image_format {
    IMAGE_FORMAT_UNKNOWN,
    IMAGE_FORMAT_JPEG,
    IMAGE_FORMAT_PNG,
    IMAGE_FORMAT_WEBP,
    IMAGE_FORMAT_GIF,  /* recognised, never processed (animation would be lost) */
    IMAGE_FORMAT_HEIF, /* read only (an iPhone's HEIC): published as JPEG */
} image_format;

typedef enum image_fit {
    IMAGE_FIT_NONE,    /* keep the size, only re-encode (e.g. ?quality=) */
    IMAGE_FIT_INSIDE,  /* Grav cropResize: fit inside the box, keep the aspect, never enlarge */
    IMAGE_FIT_PAD,     /* Grav resize: as INSIDE, then pad to exactly the box */
    IMAGE_FIT_COVER,   /* Grav cropZoom: fill the box (enlarging if needed), crop the centre */
    IMAGE_FIT_STRETCH, /* Grav forceResize: exactly the box, aspect ignored */
} image_fit;

typedef struct image_spec {
    image_fit fit;
    int width, height;   /* the box; 0 = unconstrained in that direction */
    int quality;         /* 1..100; 0 = the format's default */
    image_format format; /* output format (JPEG, PNG or WebP) */
    long background;     /* IMAGE_FIT_PAD colour 0xRRGGBB; -1 = transparent
                            where the format has alpha, white in JPEG */
} image_spec;

/* What image_info() learns from a file's header. */
typedef struct image_meta {
    int width, height; /* upright, after the EXIF orientation */
    image_format format;
    bool has_alpha;
    bool has_icc_profile;
} image_meta;

/* Start libvips once per process (idempotent, not thread-safe: call it from
 * main before starting threads). Sets libvips' own threading and caches for
 * folio's use: each variant runs on one thread, the media pool runs several
 * at once. Returns 0, or -1 when libvips could not start. */
int images_init(void);
/* Why images_init() failed, for a message ("cannot load libvips: ..."). */
const char *images_why_not(void);
/* Release libvips' resources at process exit (optional). */
void images_shutdown(void);
/* A thread that may have used libvips ends: its per-thread buffers go
 * back. Nothing to do when libvips never started. */
void images_thread_done(void);

/* Format from the file's first bytes, IMAGE_FORMAT_UNKNOWN when none of ours. */
image_format image_sniff(const void *data, size_t len);
/* File-name extension of a format without the dot ("jpg", "png", "webp"). */
const char *image_format_ext(image_format f);
/* The format a photo of format f is published in: f, but JPEG for HEIF,
 * which browsers other than Safari do not show. */
image_format image_web_format(image_format f);
/* MIME type of a format ("image/webp"). */
const char *image_format_mime(image_format f);

/* Read size and format of an image file from its header, without decoding
 * the pixels. Returns 0, or -1 with a warning naming the file in d (which
 * may be NULL) when it is not a readable image. */
int image_info(const char *path, image_meta *out, diag_list *d);
/* The same for an image held in memory; name is used in messages. */
int image_info_buffer(const char *name, const void *data, size_t len, image_meta *out, diag_list *d);

/* Size, in pixels, of the variant spec makes from an upright source of
 * src_w x src_h, computed without touching the image. image_render()
 * produces exactly this size, so markup can state it before rendering. */
void image_variant_size(const image_spec *spec, int src_w, int src_h, int *w, int *h);

/* Render the variant of the encoded source image data (name is used in
 * messages) into out (appended). Returns 0, or -1 with a warning naming
 * the file in d (which may be NULL) when the source is corrupt or truncated
 * or the spec cannot be produced; out is then left as it was. */
int image_render(const char *name, const void *data, size_t len, const image_spec *spec, buf *out, diag_list *d);
/* Render n variants of one source, decoding it only once (at the lowest
 * resolution the largest of them needs): outs[i] receives variant i.
 * Returns how many failed (all n when the source is damaged, with one
 * warning); a failed variant's buf is left as it was. */
size_t image_render_set(const char *name, const void *data, size_t len, const image_spec *specs, size_t n, buf *outs,
                        diag_list *d);

#endif
