/* libvips.h - libvips, loaded the first time a photo must be decoded.
 *
 * libvips brings about a hundred shared libraries with it (codecs, glib,
 * cairo, OpenEXR, ...); linked into folio, the dynamic loader spent some
 * 40 ms mapping and relocating them at every start, for `folio check` and
 * for builds whose photos are all cached alike. folio instead opens
 * libvips with dlopen() when images_init() first needs it, and calls it
 * through the table below. image.c includes this header after
 * <vips/vips.h>: its calls keep their libvips names, which the macros at
 * the end send through the table.
 *
 * $FOLIO_LIBVIPS, when set, is the library to open instead (a path to an
 * operator's own build of libvips 8). When libvips cannot be opened,
 * images_init() fails and the build publishes photos as they are, with
 * one warning.
 *
 * Programs that link libvips themselves (the tests, the benchmarks) get
 * the same copy from dlopen(): a library is loaded once per process. */
#ifndef FOLIO_MEDIA_LIBVIPS_H
#define FOLIO_MEDIA_LIBVIPS_H

#include <stddef.h>
#include <vips/vips.h>

/* Every libvips and glib function folio calls. */
#define FOLIO_LIBVIPS_FUNCTIONS(X)                                                                          \
    X(vips_init) X(vips_version) X(vips_shutdown) X(vips_thread_shutdown) X(vips_concurrency_set)           \
    X(vips_cache_set_max) X(vips_block_untrusted_set) X(vips_error_buffer_copy) X(vips_image_get_width)     \
    X(vips_image_get_height) X(vips_image_get_bands) X(vips_image_get_format) X(vips_image_get_fields)      \
    X(vips_image_get_interpretation) X(vips_image_get_orientation) X(vips_image_get_orientation_swap)       \
    X(vips_image_get_typeof) X(vips_image_hasalpha) X(vips_image_remove) X(vips_image_copy_memory)          \
    X(vips_image_new_from_buffer) X(vips_image_new_from_source) X(vips_source_new_from_file)                \
    X(vips_jpegload_buffer) X(vips_pngload_buffer) X(vips_webpload_buffer) X(vips_heifload_buffer)          \
    X(vips_jpegsave_buffer)                                                                                 \
    X(vips_pngsave_buffer) X(vips_webpsave_buffer) X(vips_resize) X(vips_autorot) X(vips_addalpha)          \
    X(vips_flatten) X(vips_gravity) X(vips_copy) X(vips_colourspace) X(vips_icc_transform)                  \
    X(vips_cast_uchar) X(vips_array_double_new) X(vips_area_unref) X(g_object_ref) X(g_object_unref)        \
    X(g_free) X(g_strfreev) X(g_log_set_handler)

typedef struct libvips_table {
#define FOLIO_LIBVIPS_MEMBER(f) __typeof__(f) *f;
    FOLIO_LIBVIPS_FUNCTIONS(FOLIO_LIBVIPS_MEMBER)
#undef FOLIO_LIBVIPS_MEMBER
} libvips_table;

extern libvips_table libvips;

/* Open libvips and fill the table (once; later calls return the first
 * answer). 0, or -1 with the reason in why (why_size bytes). Not
 * thread-safe: images_init() calls it under its lock. */
int libvips_load(char *why, size_t why_size);

#ifndef FOLIO_LIBVIPS_LOADER
#define vips_init (libvips.vips_init)
#define vips_version (libvips.vips_version)
#define vips_shutdown (libvips.vips_shutdown)
#define vips_thread_shutdown (libvips.vips_thread_shutdown)
#define vips_concurrency_set (libvips.vips_concurrency_set)
#define vips_cache_set_max (libvips.vips_cache_set_max)
#define vips_block_untrusted_set (libvips.vips_block_untrusted_set)
#define vips_error_buffer_copy (libvips.vips_error_buffer_copy)
#define vips_image_get_width (libvips.vips_image_get_width)
#define vips_image_get_height (libvips.vips_image_get_height)
#define vips_image_get_bands (libvips.vips_image_get_bands)
#define vips_image_get_format (libvips.vips_image_get_format)
#define vips_image_get_fields (libvips.vips_image_get_fields)
#define vips_image_get_interpretation (libvips.vips_image_get_interpretation)
#define vips_image_get_orientation (libvips.vips_image_get_orientation)
#define vips_image_get_orientation_swap (libvips.vips_image_get_orientation_swap)
#define vips_image_get_typeof (libvips.vips_image_get_typeof)
#define vips_image_hasalpha (libvips.vips_image_hasalpha)
#define vips_image_remove (libvips.vips_image_remove)
#define vips_image_copy_memory (libvips.vips_image_copy_memory)
#define vips_image_new_from_buffer (libvips.vips_image_new_from_buffer)
#define vips_image_new_from_source (libvips.vips_image_new_from_source)
#define vips_source_new_from_file (libvips.vips_source_new_from_file)
#define vips_jpegload_buffer (libvips.vips_jpegload_buffer)
#define vips_pngload_buffer (libvips.vips_pngload_buffer)
#define vips_webpload_buffer (libvips.vips_webpload_buffer)
#define vips_heifload_buffer (libvips.vips_heifload_buffer)
#define vips_jpegsave_buffer (libvips.vips_jpegsave_buffer)
#define vips_pngsave_buffer (libvips.vips_pngsave_buffer)
#define vips_webpsave_buffer (libvips.vips_webpsave_buffer)
#define vips_resize (libvips.vips_resize)
#define vips_autorot (libvips.vips_autorot)
#define vips_addalpha (libvips.vips_addalpha)
#define vips_flatten (libvips.vips_flatten)
#define vips_gravity (libvips.vips_gravity)
#define vips_copy (libvips.vips_copy)
#define vips_colourspace (libvips.vips_colourspace)
#define vips_icc_transform (libvips.vips_icc_transform)
#define vips_cast_uchar (libvips.vips_cast_uchar)
#define vips_array_double_new (libvips.vips_array_double_new)
#define vips_area_unref (libvips.vips_area_unref)
#undef g_object_ref /* glib's own macro only adds a cast */
#define g_object_ref (libvips.g_object_ref)
#define g_object_unref (libvips.g_object_unref)
#define g_free (libvips.g_free)
#define g_strfreev (libvips.g_strfreev)
#define g_log_set_handler (libvips.g_log_set_handler)
#endif

#endif
