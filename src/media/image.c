/* image.c - renders web variants of photos with libvips.
 *
 * Decoding dominates the cost of a variant, so a photo is decoded once for
 * all the variants a page needs (image_render_set): upright, converted to
 * sRGB, at the lowest resolution the largest variant needs (JPEG
 * shrink-on-load), into memory - one decoded photo per worker thread, a
 * few megabytes each. Every variant is then resampled from that copy, or
 * from a larger variant of the same framing already made (960 px from the
 * 1600 px one: much cheaper, and as sharp). The target size is always
 * computed here first, by image_variant_size(), and then forced on
 * libvips, so the size markup writes into width/height is the size of the
 * file, to the pixel.
 *
 * Which loaders may run is decided by the file's magic bytes (JPEG, PNG,
 * WebP, and HEIF as iPhones save photos), not by libvips' own sniffing, so a file named .jpg that is
 * really something else never reaches an exotic loader. */
#include "media/image.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vips/vips.h>

#include "media/libvips.h" /* after vips.h: calls go through the loaded table */

#define DEFAULT_JPEG_QUALITY 85 /* Grav's default_image_quality */
#define DEFAULT_WEBP_QUALITY 80
/* vips_resize shrinks by whole factors with a box filter first and the
 * kernel only does the rest (less than 2x). There, on photos, a linear
 * kernel looks as good as Catmull-Rom at about three quarters of the time
 * of a whole variant (Grav's own GD resampling is no sharper); resampling
 * was the largest share of a variant's time, as libvips 8.14 filters rows
 * one pixel at a time. */
#define RESAMPLE_KERNEL VIPS_KERNEL_LINEAR
#define WEBP_EFFORT 2 /* 0..6; higher costs much CPU for a few percent */

static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static bool is_started, is_ended; /* libvips cannot start again once ended */
static char why_not[300];         /* why images_init() failed */

static void ignore_vips_warning(const char *domain, GLogLevelFlags level, const char *msg, void *data)
{
    /* Decoder warnings (a few stray bytes in a phone's JPEG) would flood the
     * build's output; real failures come back as errors and become diags. */
    (void)domain, (void)level, (void)msg, (void)data;
}

int images_init(void)
{
    /* libvips may start on any thread, but on one at a time: the build
     * starts it from whichever worker first needs a photo decoded. */
    pthread_mutex_lock(&start_lock);
    int rc = is_ended ? -1 : 0;
    if (!is_started && !is_ended) {
        /* What VIPS_INIT checks: the library is the version whose headers
         * folio was compiled with (the same major, at least the minor). */
        if (libvips_load(why_not, sizeof why_not) != 0) {
            rc = -1;
        } else if (vips_version(0) != VIPS_MAJOR_VERSION || vips_version(1) < VIPS_MINOR_VERSION) {
            snprintf(why_not, sizeof why_not, "libvips %d.%d is not the %d.%d or later folio was built for",
                     vips_version(0), vips_version(1), VIPS_MAJOR_VERSION, VIPS_MINOR_VERSION);
            rc = -1;
        } else if (vips_init("folio") != 0) {
            snprintf(why_not, sizeof why_not, "libvips did not start");
            rc = -1;
        } else {
            /* Parallelism comes from several variants at once (media pool),
             * which scales better on small photos than threads inside one
             * pipeline. */
            vips_concurrency_set(1);
            /* The operation cache would keep decoded photos alive between
             * requests; the variant cache on disk already makes repeats free. */
            vips_cache_set_max(0);
            vips_block_untrusted_set(TRUE);
            g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, ignore_vips_warning, NULL);
            is_started = true;
        }
    }
    pthread_mutex_unlock(&start_lock);
    return rc;
}

const char *images_why_not(void)
{
    pthread_mutex_lock(&start_lock);
    const char *why = why_not[0] ? why_not : is_ended ? "libvips was shut down" : "libvips did not start";
    pthread_mutex_unlock(&start_lock);
    return why;
}

void images_thread_done(void)
{
    pthread_mutex_lock(&start_lock);
    bool is_running = is_started;
    pthread_mutex_unlock(&start_lock);
    if (is_running) vips_thread_shutdown();
}

void images_shutdown(void)
{
    if (!is_started) return;
    vips_shutdown();
    is_started = false;
    is_ended = true;
}

image_format image_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return IMAGE_FORMAT_JPEG;
    if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) return IMAGE_FORMAT_PNG;
    if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) return IMAGE_FORMAT_WEBP;
    if (len >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0)) return IMAGE_FORMAT_GIF;
    /* HEIF: an ISO file whose first box names a HEIF brand (not AVIF's) */
    static const char *const heif_brands[] = {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"};
    for (size_t i = 0; len >= 12 && memcmp(p + 4, "ftyp", 4) == 0 && i < sizeof heif_brands / sizeof heif_brands[0]; i++)
        if (memcmp(p + 8, heif_brands[i], 4) == 0) return IMAGE_FORMAT_HEIF;
    return IMAGE_FORMAT_UNKNOWN;
}

image_format image_web_format(image_format f)
{
    return f == IMAGE_FORMAT_HEIF ? IMAGE_FORMAT_JPEG : f;
}

const char *image_format_ext(image_format f)
{
    switch (f) {
    case IMAGE_FORMAT_JPEG: return "jpg";
    case IMAGE_FORMAT_PNG: return "png";
    case IMAGE_FORMAT_WEBP: return "webp";
    case IMAGE_FORMAT_GIF: return "gif";
    case IMAGE_FORMAT_HEIF: return "heic";
    default: return "bin";
    }
}

const char *image_format_mime(image_format f)
{
    switch (f) {
    case IMAGE_FORMAT_JPEG: return "image/jpeg";
    case IMAGE_FORMAT_PNG: return "image/png";
    case IMAGE_FORMAT_WEBP: return "image/webp";
    case IMAGE_FORMAT_GIF: return "image/gif";
    case IMAGE_FORMAT_HEIF: return "image/heic";
    default: return "application/octet-stream";
    }
}

/* Warn naming the file, with libvips' reason when it left one. */
static void warn_vips(diag_list *d, const char *name, const char *what)
{
    char *reason = vips_error_buffer_copy();
    if (reason) {
        char *nl = strchr(reason, '\n');
        if (nl) *nl = 0;
    }
    if (d)
        diag_add(d, DIAG_WARNING, name, 0, 0, "%s%s%s", what, reason && *reason ? ": " : "",
                 reason ? reason : "");
    g_free(reason);
}

static int meta_from_header(const char *name, VipsImage *img, image_format fmt, image_meta *out, diag_list *d)
{
    int w = vips_image_get_width(img), h = vips_image_get_height(img);
    if (vips_image_get_orientation_swap(img)) {
        int t = w;
        w = h;
        h = t;
    }
    if (w <= 0 || h <= 0 || (double)w * h > (double)IMAGE_MAX_SOURCE_PIXELS) {
        if (d)
            diag_add(d, DIAG_WARNING, name, 0, 0, "image of %dx%d pixels is larger than folio processes", w, h);
        return -1;
    }
    out->width = w;
    out->height = h;
    out->format = fmt;
    out->has_alpha = vips_image_hasalpha(img);
    out->has_icc_profile = vips_image_get_typeof(img, VIPS_META_ICC_NAME) != 0;
    return 0;
}

int image_info_buffer(const char *name, const void *data, size_t len, image_meta *out, diag_list *d)
{
    memset(out, 0, sizeof *out);
    image_format fmt = image_sniff(data, len);
    if (fmt == IMAGE_FORMAT_UNKNOWN) {
        if (d) diag_add(d, DIAG_WARNING, name, 0, 0, "not a JPEG, PNG, WebP, GIF or HEIC image");
        return -1;
    }
    VipsImage *img = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!img) {
        warn_vips(d, name, "unreadable image");
        return -1;
    }
    int rc = meta_from_header(name, img, fmt, out, d);
    g_object_unref(img);
    return rc;
}

int image_info(const char *path, image_meta *out, diag_list *d)
{
    memset(out, 0, sizeof *out);
    unsigned char magic[16];
    ssize_t n = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        n = read(fd, magic, sizeof magic);
        close(fd);
    }
    if (n < 0) {
        if (d) diag_add(d, DIAG_WARNING, path, 0, 0, "cannot read image");
        return -1;
    }
    image_format fmt = image_sniff(magic, (size_t)n);
    if (fmt == IMAGE_FORMAT_UNKNOWN) {
        if (d) diag_add(d, DIAG_WARNING, path, 0, 0, "not a JPEG, PNG, WebP, GIF or HEIC image");
        return -1;
    }
    /* Opening is lazy: only the header is parsed until pixels are asked
     * for. A source, unlike vips_image_new_from_file(), takes the name as
     * it is: "photo[1].jpg" must not be read as options in brackets. */
    VipsSource *source = vips_source_new_from_file(path);
    VipsImage *img = source ? vips_image_new_from_source(source, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL) : NULL;
    if (source) g_object_unref(source);
    if (!img) {
        warn_vips(d, path, "unreadable image");
        return -1;
    }
    int rc = meta_from_header(path, img, fmt, out, d);
    g_object_unref(img);
    return rc;
}

static int clamp_side(long v)
{
    return v < 1 ? 1 : v > IMAGE_MAX_SIDE ? IMAGE_MAX_SIDE : (int)v;
}

/* Fit inside the box keeping the aspect, never enlarging; rounding as
 * Grav's image library does (half away from zero). */
static void fit_inside(int box_w, int box_h, int sw, int sh, int *w, int *h)
{
    double scale = 1.0;
    if (box_w > 0 && sw > box_w) scale = (double)sw / box_w;
    if (box_h > 0 && sh > box_h && (double)sh / box_h > scale) scale = (double)sh / box_h;
    *w = clamp_side(lround(sw / scale));
    *h = clamp_side(lround(sh / scale));
}

/* Exactly the box where both sides are given; a missing side follows the
 * source's aspect. May enlarge. */
static void fit_box(int box_w, int box_h, int sw, int sh, int *w, int *h)
{
    if (box_w > 0 && box_h > 0) {
        *w = box_w;
        *h = box_h;
    } else if (box_w > 0) {
        *w = box_w;
        *h = (int)lround((double)sh * box_w / sw);
    } else if (box_h > 0) {
        *h = box_h;
        *w = (int)lround((double)sw * box_h / sh);
    } else {
        *w = sw;
        *h = sh;
    }
    *w = clamp_side(*w);
    *h = clamp_side(*h);
}

void image_variant_size(const image_spec *spec, int src_w, int src_h, int *w, int *h)
{
    if (src_w < 1) src_w = 1;
    if (src_h < 1) src_h = 1;
    switch (spec->fit) {
    case IMAGE_FIT_INSIDE: fit_inside(spec->width, spec->height, src_w, src_h, w, h); break;
    case IMAGE_FIT_PAD:
        fit_inside(spec->width, spec->height, src_w, src_h, w, h);
        if (spec->width > 0) *w = clamp_side(spec->width);
        if (spec->height > 0) *h = clamp_side(spec->height);
        break;
    case IMAGE_FIT_COVER:
    case IMAGE_FIT_STRETCH: fit_box(spec->width, spec->height, src_w, src_h, w, h); break;
    default:
        *w = clamp_side(src_w);
        *h = clamp_side(src_h);
        break;
    }
}

/* Replace *img by *out, the result of an operation that returned rc
 * (consuming the old reference); -1 when the operation failed. out is a
 * pointer because the call step(img, op(&out), &out) must read it only
 * after op ran. */
static int step(VipsImage **img, int rc, VipsImage **out)
{
    if (rc != 0) return -1;
    g_object_unref(*img);
    *img = *out;
    return 0;
}

/* 8-bit sRGB (or grey) so padding colours and savers see what they expect. */
static int to_8bit(VipsImage **img)
{
    VipsInterpretation t = vips_image_get_interpretation(*img);
    VipsImage *out = NULL;
    if (t == VIPS_INTERPRETATION_RGB16)
        return step(img, vips_colourspace(*img, &out, VIPS_INTERPRETATION_sRGB, NULL), &out);
    if (t == VIPS_INTERPRETATION_GREY16)
        return step(img, vips_colourspace(*img, &out, VIPS_INTERPRETATION_B_W, NULL), &out);
    if (vips_image_get_format(*img) != VIPS_FORMAT_UCHAR)
        return step(img, vips_cast_uchar(*img, &out, NULL), &out);
    return 0;
}

static int pad_to_box(VipsImage **img, const image_spec *spec, int w, int h)
{
    VipsImage *out = NULL;
    bool is_transparent = spec->background < 0 && spec->format != IMAGE_FORMAT_JPEG;
    unsigned rgb = spec->background < 0 ? 0xFFFFFFu : (unsigned)spec->background & 0xFFFFFFu;
    if (vips_image_get_bands(*img) < 3 &&
        step(img, vips_colourspace(*img, &out, VIPS_INTERPRETATION_sRGB, NULL), &out) != 0)
        return -1;
    if (is_transparent && !vips_image_hasalpha(*img) && step(img, vips_addalpha(*img, &out, NULL), &out) != 0)
        return -1;
    double bg[4] = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, is_transparent ? 0 : 255};
    int bands = vips_image_get_bands(*img) >= 4 ? 4 : 3;
    VipsArrayDouble *background = vips_array_double_new(bg, bands);
    int rc = vips_gravity(*img, &out, VIPS_COMPASS_DIRECTION_CENTRE, w, h, "extend", VIPS_EXTEND_BACKGROUND,
                          "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    return step(img, rc, &out);
}

/* Drop every metadata item. The savers' own "strip" is not enough: in
 * libvips 8.14 the WebP saver still writes EXIF and XMP with it set. */
static int strip_metadata(VipsImage **img)
{
    VipsImage *out = NULL;
    if (step(img, vips_copy(*img, &out, NULL), &out) != 0) return -1;
    char **fields = vips_image_get_fields(*img);
    for (char **f = fields; *f; f++) {
        /* libvips' own bookkeeping ("vips-sequential") is not metadata. */
        if (strncmp(*f, "vips-", 5) != 0) vips_image_remove(*img, *f);
    }
    g_strfreev(fields);
    return 0;
}

/* Remove the EXIF, XMP and ICCP chunks of an extended WebP file in place
 * and clear their flags: libvips 8.14 writes a fresh EXIF block (with
 * orientation and resolution) even when told to strip. */
static void webp_drop_metadata(unsigned char *p, size_t *len)
{
    if (*len < 20 || memcmp(p, "RIFF", 4) != 0 || memcmp(p + 8, "WEBP", 4) != 0) return;
    size_t in = 12, kept = 12;
    while (in + 8 <= *len) {
        size_t size = p[in + 4] | (size_t)p[in + 5] << 8 | (size_t)p[in + 6] << 16 | (size_t)p[in + 7] << 24;
        size_t total = 8 + size + (size & 1);
        if (total > *len - in) total = *len - in;
        bool is_metadata = !memcmp(p + in, "EXIF", 4) || !memcmp(p + in, "XMP ", 4) || !memcmp(p + in, "ICCP", 4);
        if (!memcmp(p + in, "VP8X", 4) && size >= 10) p[in + 8] &= (unsigned char)~(0x20 | 0x08 | 0x04);
        if (!is_metadata) {
            memmove(p + kept, p + in, total);
            kept += total;
        }
        in += total;
    }
    size_t riff = kept - 8;
    p[4] = (unsigned char)riff, p[5] = (unsigned char)(riff >> 8);
    p[6] = (unsigned char)(riff >> 16), p[7] = (unsigned char)(riff >> 24);
    *len = kept;
}

static int save(VipsImage *img, const image_spec *spec, void **data, size_t *len)
{
    int q = spec->quality;
    switch (spec->format) {
    case IMAGE_FORMAT_JPEG:
        /* No optimize_coding: it doubles the encoder's time for files
         * about 0.6% smaller. */
        return vips_jpegsave_buffer(img, data, len, "Q", q > 0 ? q : DEFAULT_JPEG_QUALITY, "strip", TRUE, NULL);
    case IMAGE_FORMAT_WEBP:
        return vips_webpsave_buffer(img, data, len, "Q", q > 0 ? q : DEFAULT_WEBP_QUALITY, "strip", TRUE,
                                    "effort", WEBP_EFFORT, NULL);
    case IMAGE_FORMAT_PNG:
        return vips_pngsave_buffer(img, data, len, "strip", TRUE, "compression", 6, NULL);
    default: return -1;
    }
}

/* The scale (output / upright source) a spec needs from the decoded
 * photo: decoding at a lower resolution than this would lose detail. */
static double needed_scale(const image_spec *spec, const image_meta *src)
{
    int w, h;
    if (spec->fit == IMAGE_FIT_PAD) fit_inside(spec->width, spec->height, src->width, src->height, &w, &h);
    else image_variant_size(spec, src->width, src->height, &w, &h);
    double sx = (double)w / src->width, sy = (double)h / src->height;
    return sx > sy ? sx : sy;
}

/* Decode the photo once, upright, in 8-bit sRGB, into memory, at the
 * lowest resolution that still serves every spec: JPEG can decode at 1/2,
 * 1/4 or 1/8 size almost for free. NULL after a warning when the photo
 * is damaged; decoding is strict (fail_on=warning), so a truncated or
 * corrupt photo is reported instead of published with grey bands. */
static VipsImage *decode(const char *name, const void *data, size_t len, const image_meta *src,
                         const image_spec *specs, size_t n, diag_list *d)
{
    double scale = 0;
    for (size_t i = 0; i < n; i++) {
        double s = needed_scale(&specs[i], src);
        if (s > scale) scale = s;
    }
    int shrink = 1;
    while (shrink < 8 && scale * shrink * 2 <= 1.0) shrink *= 2;

    VipsImage *img = NULL, *out = NULL;
    int rc;
    if (src->format == IMAGE_FORMAT_JPEG)
        rc = vips_jpegload_buffer((void *)data, len, &img, "shrink", shrink, "fail_on", VIPS_FAIL_ON_WARNING,
                                  "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    else if (src->format == IMAGE_FORMAT_PNG)
        rc = vips_pngload_buffer((void *)data, len, &img, "fail_on", VIPS_FAIL_ON_WARNING, "access",
                                 VIPS_ACCESS_SEQUENTIAL, NULL);
    else if (src->format == IMAGE_FORMAT_HEIF)
        rc = vips_heifload_buffer((void *)data, len, &img, "fail_on", VIPS_FAIL_ON_WARNING, NULL);
    else
        rc = vips_webpload_buffer((void *)data, len, &img, "fail_on", VIPS_FAIL_ON_WARNING, "access",
                                  VIPS_ACCESS_SEQUENTIAL, NULL);
    if (rc != 0) {
        warn_vips(d, name, "unreadable image");
        return NULL;
    }
    bool ok = true;
    if (src->has_icc_profile) {
        /* Convert to sRGB so the profile can be dropped without a colour shift. */
        ok = step(&img, vips_icc_transform(img, &out, "srgb", "embedded", TRUE, "intent", VIPS_INTENT_PERCEPTUAL, NULL),
                  &out) == 0;
    } else if (vips_image_get_interpretation(img) == VIPS_INTERPRETATION_CMYK) {
        ok = step(&img, vips_icc_transform(img, &out, "srgb", "input_profile", "cmyk", NULL), &out) == 0;
    }
    if (ok) ok = to_8bit(&img) == 0;
    /* Decoding happens here, in one sequential pass. */
    VipsImage *memory = ok ? vips_image_copy_memory(img) : NULL;
    if (img) g_object_unref(img);
    if (!memory) {
        warn_vips(d, name, "corrupt or truncated image");
        return NULL;
    }
    vips_image_remove(memory, VIPS_META_ICC_NAME);
    /* Most photos are upright already: nothing to turn. */
    if (vips_image_get_orientation(memory) <= 1) return memory;
    /* Turning upright needs random access, which the copy in memory has. */
    if (vips_autorot(memory, &out, NULL) != 0) {
        g_object_unref(memory);
        warn_vips(d, name, "cannot turn image upright");
        return NULL;
    }
    g_object_unref(memory);
    return out;
}

/* A resized picture kept in memory while the other variants of the same
 * photo are made: a narrower variant of the same framing is resampled from
 * it instead of from the whole photo, which is several times cheaper. */
typedef struct resized {
    const image_spec *spec;
    int width, height;
    VipsImage *img;
} resized;

/* Size of the picture before padding (PAD pads around a smaller fit). */
static void picture_size(const image_spec *spec, const image_meta *src, int *w, int *h)
{
    if (spec->fit == IMAGE_FIT_PAD) fit_inside(spec->width, spec->height, src->width, src->height, w, h);
    else image_variant_size(spec, src->width, src->height, w, h);
}

/* True when b's picture is a's, scaled: both show the whole photo, or both
 * crop (or stretch) it to the same aspect. */
static bool same_framing(const image_spec *a, int aw, int ah, const image_spec *b, int bw, int bh)
{
    bool a_whole = a->fit == IMAGE_FIT_INSIDE || a->fit == IMAGE_FIT_NONE || a->fit == IMAGE_FIT_PAD;
    bool b_whole = b->fit == IMAGE_FIT_INSIDE || b->fit == IMAGE_FIT_NONE || b->fit == IMAGE_FIT_PAD;
    if (a_whole || b_whole) return a_whole && b_whole;
    long cross = (long)aw * bh - (long)bw * ah;
    return a->fit == b->fit && labs(cross) <= (aw > bw ? aw : bw);
}

/* Resample in to exactly w x h; from the whole photo a COVER spec first
 * scales to cover the box, then keeps the centre. */
static VipsImage *resample(VipsImage *in, bool is_whole_photo, const image_spec *spec, int w, int h)
{
    int iw = vips_image_get_width(in), ih = vips_image_get_height(in);
    double hs = (double)w / iw, vs = (double)h / ih;
    int rw = w, rh = h;
    if (is_whole_photo && spec->fit == IMAGE_FIT_COVER) {
        double s = hs > vs ? hs : vs;
        rw = (int)lround(iw * s), rh = (int)lround(ih * s);
        if (rw < w) rw = w;
        if (rh < h) rh = h;
        hs = (double)rw / iw, vs = (double)rh / ih;
    }
    VipsImage *img = NULL, *out = NULL;
    if (rw == iw && rh == ih) {
        img = in;
        g_object_ref(img);
    } else if (vips_resize(in, &img, hs, "vscale", vs, "kernel", RESAMPLE_KERNEL, NULL) != 0) {
        return NULL;
    }
    /* Centre crop for COVER; for the rest, absorb a rounding pixel so the
     * file is exactly the size markup announced. */
    if (vips_image_get_width(img) != w || vips_image_get_height(img) != h) {
        if (step(&img, vips_gravity(img, &out, VIPS_COMPASS_DIRECTION_CENTRE, w, h, "extend", VIPS_EXTEND_COPY, NULL),
                 &out) != 0) {
            g_object_unref(img);
            return NULL;
        }
    }
    VipsImage *memory = vips_image_copy_memory(img);
    g_object_unref(img);
    return memory;
}

/* Pad, flatten, strip and encode one picture into out. */
static int finish(const char *name, VipsImage *picture, const image_spec *spec, int w, int h, buf *out, diag_list *d)
{
    VipsImage *img = picture;
    g_object_ref(img);
    bool ok = true;
    if (spec->fit == IMAGE_FIT_PAD && (vips_image_get_width(img) != w || vips_image_get_height(img) != h))
        ok = pad_to_box(&img, spec, w, h) == 0;
    if (ok && spec->format == IMAGE_FORMAT_JPEG && vips_image_hasalpha(img)) {
        VipsImage *flat = NULL;
        double white[3] = {255, 255, 255};
        VipsArrayDouble *bg = vips_array_double_new(white, 3);
        int rc = vips_flatten(img, &flat, "background", bg, NULL);
        vips_area_unref(VIPS_AREA(bg));
        ok = step(&img, rc, &flat) == 0;
    }
    if (ok) ok = strip_metadata(&img) == 0;
    void *encoded = NULL;
    size_t encoded_len = 0;
    if (ok) ok = save(img, spec, &encoded, &encoded_len) == 0;
    g_object_unref(img);
    if (!ok) {
        warn_vips(d, name, "cannot write image variant");
        return -1;
    }
    if (spec->format == IMAGE_FORMAT_WEBP) webp_drop_metadata(encoded, &encoded_len);
    buf_add(out, encoded, encoded_len);
    g_free(encoded);
    return 0;
}

/* Make every variant from the decoded photo, largest first, each from the
 * smallest picture already made that has its framing and is big enough. */
static size_t render_from_decoded(const char *name, VipsImage *decoded, const image_meta *src, const image_spec *specs,
                                  size_t n, buf *outs, diag_list *d)
{
    size_t *order = xcalloc(n, sizeof *order);
    resized *made = xcalloc(n, sizeof *made);
    int *pw = xcalloc(n, sizeof *pw), *ph = xcalloc(n, sizeof *ph);
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
        picture_size(&specs[i], src, &pw[i], &ph[i]);
    }
    for (size_t i = 1; i < n; i++) { /* insertion sort by area, descending */
        size_t x = order[i], k = i;
        for (; k > 0 && (long)pw[order[k - 1]] * ph[order[k - 1]] < (long)pw[x] * ph[x]; k--) order[k] = order[k - 1];
        order[k] = x;
    }
    size_t nmade = 0, failed = 0;
    for (size_t o = 0; o < n; o++) {
        size_t i = order[o];
        const image_spec *spec = &specs[i];
        VipsImage *from = decoded;
        long best_area = 0;
        for (size_t m = 0; m < nmade; m++) {
            long area = (long)made[m].width * made[m].height;
            if (made[m].width >= pw[i] && made[m].height >= ph[i] && (!best_area || area < best_area) &&
                same_framing(made[m].spec, made[m].width, made[m].height, spec, pw[i], ph[i])) {
                from = made[m].img;
                best_area = area;
            }
        }
        VipsImage *picture = resample(from, from == decoded, spec, pw[i], ph[i]);
        int w, h;
        image_variant_size(spec, src->width, src->height, &w, &h);
        if (!picture) {
            warn_vips(d, name, "cannot resize image");
            failed++;
            continue;
        }
        if (finish(name, picture, spec, w, h, &outs[i], d) != 0) failed++;
        made[nmade++] = (resized){spec, pw[i], ph[i], picture};
    }
    for (size_t m = 0; m < nmade; m++) g_object_unref(made[m].img);
    free(made);
    free(order);
    free(pw);
    free(ph);
    return failed;
}

size_t image_render_set(const char *name, const void *data, size_t len, const image_spec *specs, size_t n, buf *outs,
                        diag_list *d)
{
    image_meta src;
    if (n == 0) return 0;
    if (len > (size_t)IMAGE_MAX_SOURCE_BYTES) {
        if (d) diag_add(d, DIAG_WARNING, name, 0, 0, "image file is larger than folio processes");
        return n;
    }
    if (image_info_buffer(name, data, len, &src, d) != 0) return n;
    if (src.format == IMAGE_FORMAT_GIF) {
        if (d) diag_add(d, DIAG_WARNING, name, 0, 0, "GIF images are published as they are, not resized");
        return n;
    }
    for (size_t i = 0; i < n; i++) {
        image_format f = specs[i].format;
        if (f != IMAGE_FORMAT_JPEG && f != IMAGE_FORMAT_PNG && f != IMAGE_FORMAT_WEBP) {
            if (d) diag_add(d, DIAG_WARNING, name, 0, 0, "variants are written as JPEG, PNG or WebP only");
            return n;
        }
    }
    VipsImage *decoded = decode(name, data, len, &src, specs, n, d);
    if (!decoded) return n;
    size_t failed = render_from_decoded(name, decoded, &src, specs, n, outs, d);
    g_object_unref(decoded);
    return failed;
}

int image_render(const char *name, const void *data, size_t len, const image_spec *spec, buf *out, diag_list *d)
{
    return image_render_set(name, data, len, spec, 1, out, d) == 0 ? 0 : -1;
}
