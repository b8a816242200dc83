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

#include "lib/buf.h"

/* True when data (a JPEG, PNG or WebP file) holds such a block, or is one
 * of those formats but cut or malformed before its image data (so that
 * it cannot be told). False for other formats. */
bool metadata_is_private(const unsigned char *data, size_t len);

/* A JPEG's bytes with its APP1, APP13 and COM segments left out, nothing
 * decoded (for a photo libvips cannot read: a damaged one is still
 * published, without what would tell where it was taken). False, with
 * out untouched, when data is not a JPEG whose segments can be followed
 * to its pixels. */
bool metadata_strip_jpeg(const unsigned char *data, size_t len, buf *out);

/* The same for a JPEG, a PNG (its eXIf and text chunks out) or a WebP
 * (its EXIF and XMP chunks out, the RIFF size and the extended header's
 * flags made right). False, out untouched, for anything else or a file
 * whose blocks cannot be followed to its end. */
bool metadata_strip(const unsigned char *data, size_t len, buf *out);

#endif
