/* frame.h - what an <iframe> pasted into a page shows, by its address: a
 * map or a video of a service editors paste them from. Such frames come
 * without a title, which is what screen readers announce a frame by. */
#ifndef FOLIO_FRAME_H
#define FOLIO_FRAME_H

#include <stddef.h>

typedef enum frame_kind { FRAME_OTHER, FRAME_MAP, FRAME_VIDEO } frame_kind;

/* The kind of the frame whose src is the n bytes at src (as written in
 * the HTML: "https://yandex.kz/map-widget/v1/?um=...", "//www.youtube.com/embed/x"). */
frame_kind frame_kind_of(const char *src, size_t n);

#endif
