/* metadata.h - whether a photo's bytes carry what must not be published.
 *
 * libvips strips every photo folio publishes (media/image.h). When it
 * cannot be loaded, a photo may only go out as it is if it holds nothing
 * private: no EXIF (where and with what camera it was taken, when), XMP,
 * IPTC or comment. This looks for those blocks without decoding a pixel:
 * JPEG's APP1, APP13 and COM segments, PNG's eXIf, tEXt, iTXt and zTXt
 * chunks, WebP's EXIF and XMP chunks. */
#ifndef FOLIO_MEDIA_METADATA_H
#define FOLIO_MEDIA_METADATA_H

#include <stdbool.h>
#include <stddef.h>

/* True when data (a JPEG, PNG or WebP file) holds such a block, or is one
 * of those formats but cut or malformed before its image data (so that
 * it cannot be told). False for other formats. */
bool metadata_is_private(const unsigned char *data, size_t len);

#endif
