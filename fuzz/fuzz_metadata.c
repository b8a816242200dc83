/* fuzz_metadata.c - a photo's bytes through metadata_is_private, the
 * check that keeps a photo with EXIF out when libvips cannot strip it:
 * it reads only inside the bytes (ASan sees the exact length) and always
 * ends. Inputs that start as a JPEG, PNG or WebP get there more often
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
    free(copy);
    return 0;
}
