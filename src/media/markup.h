/* markup.h - the HTML for a photo in a page, and the files it needs.
 *
 * Given a source photo and the Grav actions of its Markdown URL, makes the
 * variants a browser may choose from (widths 480, 960 and 1600 and the
 * image's own size, never enlarged) and writes an <img> with srcset,
 * sizes, width and height. With WebP asked for, the widths are WebP, in a
 * <source> of a <picture>, and the <img> is the one fallback in the
 * original format, about 960 px wide. Width and height keep the page
 * from jumping while images load; loading is lazy unless the image is
 * above the fold; alt and title are the author's. Variant names carry a short content hash
 * ("2023-01-09-1-960x448-3fa2c1d9e0.webp"), so a server may let browsers
 * cache them forever.
 *
 * When the photo cannot be read or processed, a warning naming it is in
 * the diag list, the HTML links the original file, and no variants are
 * listed: the caller publishes the original as it would any other media. */
#ifndef FOLIO_MEDIA_MARKUP_H
#define FOLIO_MEDIA_MARKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/diag.h"
#include "media/actions.h"
#include "media/cache.h"

/* What image_markup_make() worked out before, for a build to share
 * between the pages that show the same photo in the same way. */
typedef struct image_markup_memo image_markup_memo;
image_markup_memo *image_markup_memo_new(void);
void image_markup_memo_free(image_markup_memo *m);

typedef struct image_markup_request {
    const char *source_path;      /* the photo on disk */
    const char *base_url;         /* URL of the folder the variants are published
                                     in, ending in '/' ("/news/conference/") */
    const char *alt;              /* NULL = empty alt */
    const char *title;            /* NULL = no title */
    const image_actions *actions; /* NULL = none */
    const char *sizes;            /* sizes attribute, NULL = the image's width
                                     or the viewport, whichever is smaller */
    bool is_above_fold;           /* load at once, with high priority */
    bool want_webp;               /* offer WebP variants in a <picture> */
    const image_source *source;   /* NULL, or what image_cache_source() said of
                                     source_path during this build */
    image_markup_memo *memo;      /* NULL, or where variants made once are
                                     found again: a request answered from it
                                     lists no files (they were listed the
                                     first time for the same base_url) */
} image_markup_request;

/* A file to publish: name (in the folder of base_url) and where its bytes are. */
typedef struct image_file {
    char *name;
    char *cache_path;
} image_file;

typedef struct image_markup {
    char *html;         /* malloc'd */
    char *src;          /* the <img src>, the variant about 960 px wide in the
                           original format (percent-encoded: nothing in it
                           needs escaping); malloc'd, NULL when falling back */
    image_file *files;  /* variants to publish, none when falling back */
    size_t nfiles;
    int width, height;  /* the size written into the <img>, 0 when unknown */
} image_markup;

/* Make the variants through the cache c and write the markup into out.
 * Returns 0, or -1 when the photo could not be processed (warning in d,
 * which may be NULL; out->html then links the original). Free out with
 * image_markup_free() in both cases. */
int image_markup_make(image_cache *c, const image_markup_request *r, image_markup *out, diag_list *d);
void image_markup_free(image_markup *m);

#endif
