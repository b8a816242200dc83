/* actions.h - Grav's image actions in a Markdown image URL.
 *
 * Grav lets an author write ![](photo.jpg?cropZoom=1200,400&quality=80)
 * and treats the query string as a list of operations on the photo. This
 * parses the ones folio supports into an image_actions:
 *
 *   resize=w,h[,0xRRGGBB]  fit inside w x h, pad to the box (Grav resize)
 *   cropResize=w,h         fit inside w x h, no padding, never enlarged
 *   cropZoom=w,h           fill w x h and crop the centre (zoomCrop too)
 *   forceResize=w,h        stretch to w x h
 *   quality=N              encoder quality 1..100
 *   classes=a,b            CSS classes on the <img>
 *   id=name                id of the <img>
 *   lightbox[=w,h]         link the image to its large variant
 *   loading=eager|lazy     eager: the image is above the fold
 *
 * A width or height may be left out (resize=400 or resize=,300). Later
 * resize actions replace earlier ones. Unknown actions (Grav's filters such
 * as sepia) are reported as warnings and otherwise ignored. */
#ifndef FOLIO_MEDIA_ACTIONS_H
#define FOLIO_MEDIA_ACTIONS_H

#include <stdbool.h>

#include "lib/diag.h"
#include "media/image.h"

typedef struct image_actions {
    image_fit fit;       /* IMAGE_FIT_NONE when no resize action was given */
    int width, height;   /* the box of fit; 0 = not given */
    long background;     /* resize padding 0xRRGGBB, -1 = default */
    int quality;         /* 0 = default */
    char *classes;       /* space-separated, malloc'd, NULL when none */
    char *id;            /* malloc'd, NULL when none */
    bool has_lightbox;
    int lightbox_width, lightbox_height; /* 0 = folio's large size */
    bool is_eager;       /* loading=eager: do not lazy-load */
} image_actions;

/* Split url at '?' and parse its actions. *path receives the part before
 * the '?', percent-decoded (malloc'd; pass NULL to skip). "&amp;" is read
 * as "&". Problems are warnings in d (may be NULL) at where/line; the
 * result is always usable. Free with image_actions_free(). */
void image_actions_parse(const char *url, char **path, image_actions *a, diag_list *d, const char *where, int line);
void image_actions_free(image_actions *a);

#endif
