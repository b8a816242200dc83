/* fuzz_metadata.c - a photo's bytes through metadata_is_private, the
 * check that keeps a photo with EXIF out when libvips cannot strip it,
 * and metadata_strip, which publishes a damaged photo without it:
 * they read only inside the bytes (ASan sees the exact length), always
 * end, and what the stripper gives holds nothing private. Inputs that start as a JPEG, PNG or WebP get there more often
 * from the seeds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/metadata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    (void)metadata_is_private(copy, size);
    /* what the stripper lets through holds nothing private, by the same reading */
    buf out = BUF_INIT;
    if (metadata_strip_jpeg(copy, size, &out) && metadata_is_private((const unsigned char *)out.s, out.len)) abort();
    buf_reset(&out);
    if (metadata_strip(copy, size, &out) && metadata_is_private((const unsigned char *)out.s, out.len)) abort();
    buf_free(&out);
    free(copy);
    return 0;
}
