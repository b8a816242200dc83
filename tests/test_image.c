/* test_image.c - photo variants, their cache, Grav actions, markup and
 * download sizes. Fixture photos are made here with libvips (with EXIF
 * orientation, GPS, XMP, IPTC and a JPEG comment), plus the seed site's
 * real news photos. */
#include <glob.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vips/vips.h>

#include "lib/buf.h"
#include "lib/files.h"
#include "media/metadata.h"
#include "media/actions.h"
#include "media/cache.h"
#include "media/filesize.h"
#include "media/image.h"
#include "media/markup.h"
#include "test.h"

/* ---- fixtures ---- */

static char scratch[256];

__attribute__((constructor(200))) static void start(void)
{
    if (images_init() != 0) abort();
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/folio-test-image-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch)) abort();
}

__attribute__((destructor)) static void finish(void)
{
    dir_remove_tree(scratch);
    images_shutdown();
}

static char *scratch_path(const char *name)
{
    return path_join(scratch, name);
}

/* w x h RGB pixels: the top half red, the bottom half blue, so a rotation
 * can be told from the output's pixels. */
static VipsImage *two_colour(int w, int h)
{
    size_t size = (size_t)w * h * 3;
    unsigned char *px = xmalloc(size);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            unsigned char *p = px + ((size_t)y * w + x) * 3;
            bool is_top = y < h / 2;
            p[0] = is_top ? 220 : 20;
            p[1] = 20;
            p[2] = is_top ? 20 : 220;
        }
    }
    VipsImage *img = vips_image_new_from_memory_copy(px, size, w, h, 3, VIPS_FORMAT_UCHAR);
    free(px);
    return img;
}

static const char secret_comment[] = "secret camera comment";

static void add_segment(buf *out, int marker, const char *payload, size_t len)
{
    size_t seglen = len + 2;
    buf_putc(out, (char)0xFF);
    buf_putc(out, (char)marker);
    buf_putc(out, (char)(seglen >> 8));
    buf_putc(out, (char)(seglen & 0xFF));
    buf_add(out, payload, len);
}

/* A phone photo: EXIF orientation 6, GPS position, camera make, XMP,
 * IPTC and a JPEG comment. Returns the encoded bytes. */
static void phone_jpeg(buf *out, int w, int h, int orientation)
{
    VipsImage *img = two_colour(w, h);
    if (orientation) {
        char o[8];
        snprintf(o, sizeof o, "%d", orientation);
        vips_image_set_int(img, VIPS_META_ORIENTATION, orientation);
        vips_image_set_string(img, "exif-ifd0-Orientation", o);
    }
    vips_image_set_string(img, "exif-ifd0-Make", "SecretCam");
    vips_image_set_string(img, "exif-ifd3-GPSLatitudeRef", "N");
    vips_image_set_string(img, "exif-ifd3-GPSLatitude", "51/1 10/1 0/1");
    vips_image_set_string(img, "exif-ifd3-GPSLongitudeRef", "E");
    vips_image_set_string(img, "exif-ifd3-GPSLongitude", "71/1 26/1 0/1");
    static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
                              "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
                              "xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:creator>SecretAuthor</dc:creator>"
                              "</rdf:Description></rdf:RDF></x:xmpmeta>";
    vips_image_set_blob_copy(img, VIPS_META_XMP_NAME, xmp, sizeof xmp - 1);
    void *data = NULL;
    size_t len = 0;
    if (vips_jpegsave_buffer(img, &data, &len, "Q", 90, NULL) != 0) abort();
    g_object_unref(img);
    /* libvips writes neither comments nor IPTC: put a COM segment and an
     * APP13 (Photoshop IRB 0x0404 holding IPTC 2:80 by-line) after SOI. */
    buf_add(out, data, 2);
    add_segment(out, 0xFE, secret_comment, sizeof secret_comment - 1);
    static const char irb[] = "Photoshop 3.0\0" "8BIM\x04\x04\0\0\0\0\0\x12"
                              "\x1c\x02\x50\x00\x0dSecretByline\0";
    add_segment(out, 0xED, irb, sizeof irb - 1);
    buf_add(out, (char *)data + 2, len - 2);
    g_free(data);
}

static char *write_fixture(const char *name, const buf *b)
{
    char *path = scratch_path(name);
    if (file_write(path, b->s, b->len) != 0) abort();
    return path;
}

static char *phone_photo(const char *name, int w, int h)
{
    buf b = BUF_INIT;
    phone_jpeg(&b, w, h, 6);
    char *path = write_fixture(name, &b);
    buf_free(&b);
    return path;
}

static bool bytes_contain(const buf *b, const char *needle)
{
    return memmem(b->s, b->len, needle, strlen(needle)) != NULL;
}

/* Names of metadata fields an image carries that could identify a person
 * or place; "" when none. */
static void private_fields(VipsImage *img, buf *found)
{
    char **fields = vips_image_get_fields(img);
    for (char **f = fields; *f; f++) {
        if (strncmp(*f, "exif-", 5) == 0 || strcmp(*f, VIPS_META_XMP_NAME) == 0 ||
            strcmp(*f, VIPS_META_IPTC_NAME) == 0 || strcmp(*f, VIPS_META_ICC_NAME) == 0 ||
            strcmp(*f, VIPS_META_ORIENTATION) == 0 || strstr(*f, "comment")) {
            buf_puts(found, *f);
            buf_putc(found, ' ');
        }
    }
    g_strfreev(fields);
}

static void pixel(VipsImage *img, int x, int y, double rgb[3])
{
    double *v = NULL;
    int n = 0;
    rgb[0] = rgb[1] = rgb[2] = -1;
    if (vips_getpoint(img, &v, &n, x, y, NULL) == 0) {
        for (int i = 0; i < n && i < 3; i++) rgb[i] = v[i];
        g_free(v);
    }
}

static image_spec spec_of(image_fit fit, int w, int h, image_format f)
{
    return (image_spec){.fit = fit, .width = w, .height = h, .format = f, .background = -1};
}

/* Render data with spec; the result is opened for inspection (NULL on failure). */
static VipsImage *render(const buf *src, const image_spec *spec, buf *out, diag_list *d)
{
    if (image_render("photo.jpg", src->s, src->len, spec, out, d) != 0) return NULL;
    return vips_image_new_from_buffer(out->s, out->len, "", NULL);
}

static char *seed_photo(size_t i)
{
    glob_t g;
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/seed-site/user/pages/02.news/*/*.jpg", test_shared_dir());
    char *path = NULL;
    if (glob(pattern, 0, NULL, &g) == 0 && i < g.gl_pathc) path = xstrdup(g.gl_pathv[i]);
    globfree(&g);
    return path;
}

static size_t seed_photo_count(void)
{
    size_t n = 0;
    for (char *p; (p = seed_photo(n)); n++) free(p);
    return n;
}

/* ---- private metadata, told without libvips ---- */

/* What stays out when libvips cannot strip it: JPEG's EXIF/XMP (APP1),
 * IPTC (APP13) and comments, PNG's text and eXIf chunks, WebP's EXIF and
 * XMP chunks; a file cut before its pixels cannot be told, so counts as
 * private. JFIF, colour profiles and tables are not private. The phone
 * fixture and the seed photo with EXIF are private; the others not. */
TEST(private_metadata_is_told_from_the_bytes)
{
    static const unsigned char jfif[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
                                         0xFF, 0xE2, 0, 4, 'I', 'C', 0xFF, 0xDA, 0, 2, 0x11, 0x22};
    CHECK(!metadata_is_private(jfif, sizeof jfif));
    unsigned char with[sizeof jfif];
    memcpy(with, jfif, sizeof jfif);
    with[21] = 0xE1; /* the profile segment made an APP1 (EXIF or XMP) */
    CHECK(metadata_is_private(with, sizeof with));
    with[21] = 0xED; /* IPTC */
    CHECK(metadata_is_private(with, sizeof with));
    with[21] = 0xFE; /* a comment */
    CHECK(metadata_is_private(with, sizeof with));
    CHECK(metadata_is_private(jfif, 24)); /* cut before the scan */

    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                        0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 1, 2, 3, 4,
                                        0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    CHECK(!metadata_is_private(png, sizeof png));
    unsigned char png_text[sizeof png];
    memcpy(png_text, png, sizeof png);
    memcpy(png_text + 12, "tEXt", 4);
    CHECK(metadata_is_private(png_text, sizeof png_text));
    memcpy(png_text + 12, "eXIf", 4);
    CHECK(metadata_is_private(png_text, sizeof png_text));

    static const unsigned char webp[] = {'R', 'I', 'F', 'F', 16, 0, 0, 0, 'W', 'E', 'B', 'P',
                                         'V', 'P', '8', 'L', 2, 0, 0, 0, 0x2f, 0};
    CHECK(!metadata_is_private(webp, sizeof webp));
    unsigned char webp_exif[sizeof webp];
    memcpy(webp_exif, webp, sizeof webp);
    memcpy(webp_exif + 12, "EXIF", 4);
    CHECK(metadata_is_private(webp_exif, sizeof webp_exif));
    memcpy(webp_exif + 12, "XMP ", 4);
    CHECK(metadata_is_private(webp_exif, sizeof webp_exif));

    CHECK(!metadata_is_private((const unsigned char *)"GIF89a", 6)); /* not a photo of ours */

    /* stripped without decoding: the private segments out, the rest kept */
    buf stripped = BUF_INIT;
    with[21] = 0xE1;
    CHECK(metadata_strip_jpeg(with, sizeof with, &stripped));
    CHECK_INT(stripped.len, sizeof with - 6); /* the 6-byte APP1 */
    CHECK(!metadata_is_private((const unsigned char *)stripped.s, stripped.len));
    CHECK(memcmp(stripped.s, jfif, 20) == 0);
    buf_reset(&stripped);
    CHECK(!metadata_strip_jpeg(jfif, 24, &stripped)); /* cut before the scan */
    CHECK(!metadata_strip_jpeg(png, sizeof png, &stripped));
    CHECK_INT(stripped.len, 0);
    /* a PNG's text chunk and a WebP's EXIF chunk go; the RIFF size follows */
    memcpy(png_text + 12, "tEXt", 4);
    CHECK(metadata_strip(png_text, sizeof png_text, &stripped));
    CHECK_INT(stripped.len, 8 + 12); /* the signature and IEND */
    CHECK(!metadata_is_private((const unsigned char *)stripped.s, stripped.len));
    buf_reset(&stripped);
    static const unsigned char webp_x[] = {'R', 'I', 'F', 'F', 28, 0, 0, 0, 'W', 'E', 'B', 'P',
                                           'V', 'P', '8', 'X', 2, 0, 0, 0, 0x0C, 0,
                                           'E', 'X', 'I', 'F', 2, 0, 0, 0, 'a', 'b',
                                           'V', 'P', '8', 'L', 2, 0, 0, 0, 0x2f, 0};
    CHECK(metadata_is_private(webp_x, sizeof webp_x));
    CHECK(metadata_strip(webp_x, sizeof webp_x, &stripped));
    CHECK_INT(stripped.len, sizeof webp_x - 10);
    CHECK(stripped.len > 20 && (unsigned char)stripped.s[4] == stripped.len - 8 && stripped.s[20] == 0);
    CHECK(!metadata_is_private((const unsigned char *)stripped.s, stripped.len));
    buf_reset(&stripped);
    CHECK(!metadata_strip((const unsigned char *)"GIF89a", 6, &stripped));
    buf_free(&stripped);

    buf phone = BUF_INIT;
    phone_jpeg(&phone, 64, 48, 6);
    CHECK(metadata_is_private((const unsigned char *)phone.s, phone.len));
    buf_free(&phone);
    int private_seeds = 0, plain_seeds = 0;
    for (size_t i = 0; i < seed_photo_count(); i++) {
        char *path = seed_photo(i);
        size_t len;
        char *data = file_read(path, &len, 0);
        if (data && metadata_is_private((const unsigned char *)data, len)) private_seeds++;
        else plain_seeds++;
        CHECK((strstr(path, "2022-04-12-1") || strstr(path, "2022-11-16-1")) ==
              (data && metadata_is_private((const unsigned char *)data, len)));
        free(data);
        free(path);
    }
    CHECK_INT(private_seeds, 2);
    CHECK_INT(plain_seeds, 7);
}

/* ---- header ---- */

TEST(info_reads_upright_size_from_header)
{
    char *path = phone_photo("info.jpg", 400, 200);
    image_meta m;
    CHECK_INT(image_info(path, &m, NULL), 0);
    CHECK_INT(m.width, 200); /* stored 400x200, orientation 6 turns it a quarter */
    CHECK_INT(m.height, 400);
    CHECK_INT(m.format, IMAGE_FORMAT_JPEG);
    CHECK(!m.has_alpha);
    free(path);
}

TEST(info_takes_brackets_in_a_file_name_literally)
{
    char *path = phone_photo("photo[1].jpg", 120, 80);
    image_meta m;
    CHECK_INT(image_info(path, &m, NULL), 0);
    CHECK_INT(m.width, 80);
    CHECK_INT(m.height, 120);
    free(path);
}

TEST(info_of_seed_photos_matches_their_jpeg_header)
{
    size_t n = seed_photo_count();
    CHECK(n >= 5);
    for (size_t i = 0; i < n; i++) {
        char *path = seed_photo(i);
        image_meta m;
        bool ok = image_info(path, &m, NULL) == 0 && m.format == IMAGE_FORMAT_JPEG && m.width >= 800 &&
                  m.width <= 1400 && m.height >= 400 && m.height <= 1400;
        test_case(path, ok);
        free(path);
    }
}

TEST(info_of_the_conference_photo_is_1280x597)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/seed-site/user/pages/02.news/03.2023-01-09-practical-conference/2023-01-09-1.jpg",
             test_shared_dir());
    image_meta m;
    CHECK_INT(image_info(path, &m, NULL), 0);
    CHECK_INT(m.width, 1280);
    CHECK_INT(m.height, 597);
}

TEST(info_rejects_a_text_file_with_a_warning_naming_it)
{
    buf b = BUF_INIT;
    buf_puts(&b, "this is not a photo\n");
    char *path = write_fixture("notes.jpg", &b);
    diag_list d;
    diag_init(&d);
    image_meta m;
    CHECK_INT(image_info(path, &m, &d), -1);
    CHECK_INT(d.warnings, 1);
    CHECK(d.len == 1 && strcmp(d.items[0].path, path) == 0);
    diag_free(&d);
    buf_free(&b);
    free(path);
}

/* ---- rendering ---- */

TEST(variant_is_turned_upright_by_exif_orientation)
{
    buf src = BUF_INIT, out = BUF_INIT;
    phone_jpeg(&src, 400, 200, 6);
    image_spec s = spec_of(IMAGE_FIT_INSIDE, 100, 0, IMAGE_FORMAT_JPEG);
    VipsImage *img = render(&src, &s, &out, NULL);
    CHECK(img != NULL);
    if (img) {
        CHECK_INT(vips_image_get_width(img), 100);
        CHECK_INT(vips_image_get_height(img), 200);
        /* Orientation 6 means "rotate 90 degrees clockwise to view": the
         * stored top (red) ends on the right, the bottom (blue) on the left. */
        double left[3], right[3];
        pixel(img, 20, 100, left);
        pixel(img, 80, 100, right);
        CHECK(right[0] > 150 && right[2] < 80);
        CHECK(left[2] > 150 && left[0] < 80);
        g_object_unref(img);
    }
    buf_free(&src);
    buf_free(&out);
}

TEST(fixture_really_carries_private_metadata)
{
    /* Guards the stripping tests below: they mean nothing if the fixture
     * had nothing to strip. */
    buf src = BUF_INIT, found = BUF_INIT;
    phone_jpeg(&src, 64, 32, 6);
    VipsImage *img = vips_image_new_from_buffer(src.s, src.len, "", NULL);
    CHECK(img != NULL);
    if (img) {
        private_fields(img, &found);
        g_object_unref(img);
    }
    CHECK_CONTAINS(found.s, "exif-ifd3-GPSLatitude");
    CHECK_CONTAINS(found.s, "xmp-data");
    CHECK_CONTAINS(found.s, "iptc-data");
    CHECK(bytes_contain(&src, secret_comment));
    CHECK(bytes_contain(&src, "SecretCam"));
    buf_free(&src);
    buf_free(&found);
}

static void check_stripped(image_format f)
{
    buf src = BUF_INIT, out = BUF_INIT, found = BUF_INIT;
    phone_jpeg(&src, 400, 200, 6);
    image_spec s = spec_of(IMAGE_FIT_INSIDE, 160, 0, f);
    VipsImage *img = render(&src, &s, &out, NULL);
    CHECK(img != NULL);
    if (img) {
        private_fields(img, &found);
        CHECK_STR(buf_cstr(&found), "");
        g_object_unref(img);
    }
    CHECK(out.len > 0 && image_sniff(out.s, out.len) == f);
    CHECK(!bytes_contain(&out, "SecretCam"));
    CHECK(!bytes_contain(&out, "SecretAuthor"));
    CHECK(!bytes_contain(&out, "SecretByline"));
    CHECK(!bytes_contain(&out, secret_comment));
    CHECK(!bytes_contain(&out, "Exif"));
    buf_free(&src);
    buf_free(&out);
    buf_free(&found);
}

/* A photo as an iPhone saves it: HEIC, with the camera and the place in
 * its EXIF, red above blue. */
static void phone_heic(buf *out, int w, int h)
{
    VipsImage *img = two_colour(w, h);
    vips_image_set_string(img, "exif-ifd0-Make", "SecretCam");
    vips_image_set_string(img, "exif-ifd3-GPSLatitudeRef", "N");
    vips_image_set_string(img, "exif-ifd3-GPSLatitude", "51/1 10/1 0/1");
    void *data = NULL;
    size_t len = 0;
    if (vips_heifsave_buffer(img, &data, &len, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC, "Q", 90, NULL) != 0)
        abort();
    g_object_unref(img);
    buf_add(out, data, len);
    g_free(data);
}

/* HEIC is read (its magic bytes, size, format) and published as a JPEG
 * without its metadata, upright, the same picture. */
TEST(heic_photo_is_read_and_published_as_jpeg_without_metadata)
{
    buf src = BUF_INIT, out = BUF_INIT, found = BUF_INIT;
    phone_heic(&src, 320, 240);
    CHECK(bytes_contain(&src, "SecretCam"));
    CHECK_INT(image_sniff(src.s, src.len), IMAGE_FORMAT_HEIF);
    CHECK_INT(image_web_format(IMAGE_FORMAT_HEIF), IMAGE_FORMAT_JPEG);
    CHECK_INT(image_web_format(IMAGE_FORMAT_PNG), IMAGE_FORMAT_PNG);
    image_meta meta;
    CHECK_INT(image_info_buffer("IMG_0001.HEIC", src.s, src.len, &meta, NULL), 0);
    CHECK_INT(meta.format, IMAGE_FORMAT_HEIF);
    CHECK_INT(meta.width, 320);
    CHECK_INT(meta.height, 240);
    image_spec s = spec_of(IMAGE_FIT_NONE, 0, 0, image_web_format(meta.format));
    VipsImage *img = render(&src, &s, &out, NULL);
    CHECK(img != NULL);
    if (img) {
        CHECK_INT(vips_image_get_width(img), 320);
        CHECK_INT(vips_image_get_height(img), 240);
        double top[3], bottom[3];
        pixel(img, 160, 30, top);
        pixel(img, 160, 210, bottom);
        CHECK(top[0] > 150 && top[2] < 100);    /* red above */
        CHECK(bottom[2] > 150 && bottom[0] < 100); /* blue below */
        private_fields(img, &found);
        CHECK_STR(buf_cstr(&found), "");
        g_object_unref(img);
    }
    CHECK(out.len > 0 && image_sniff(out.s, out.len) == IMAGE_FORMAT_JPEG);
    CHECK(!bytes_contain(&out, "SecretCam"));
    buf_free(&src);
    buf_free(&out);
    buf_free(&found);
}

TEST(jpeg_variant_has_no_exif_gps_xmp_iptc_or_comment)
{
    check_stripped(IMAGE_FORMAT_JPEG);
}

TEST(webp_variant_has_no_exif_gps_xmp_iptc_or_comment)
{
    check_stripped(IMAGE_FORMAT_WEBP);
}

TEST(embedded_colour_profile_is_converted_to_srgb_then_dropped)
{
    /* Pure sRGB red stored as Display P3 numbers with the P3 profile. */
    VipsImage *red = NULL, *p3 = NULL;
    double ink[3] = {255, 0, 0};
    VipsImage *black = NULL;
    CHECK(vips_black(&black, 64, 64, "bands", 3, NULL) == 0);
    CHECK(vips_linear(black, &red, (double[]){1, 1, 1}, ink, 3, "uchar", TRUE, NULL) == 0);
    vips_image_set_int(red, "interpretation", VIPS_INTERPRETATION_sRGB);
    VipsImage *typed = NULL;
    CHECK(vips_copy(red, &typed, "interpretation", VIPS_INTERPRETATION_sRGB, NULL) == 0);
    CHECK(vips_icc_transform(typed, &p3, "p3", "input_profile", "srgb", "embedded", FALSE, NULL) == 0);
    void *data = NULL;
    size_t len = 0;
    CHECK(p3 && vips_jpegsave_buffer(p3, &data, &len, "Q", 95, NULL) == 0);
    buf src = BUF_INIT, out = BUF_INIT, found = BUF_INIT;
    if (data) buf_add(&src, data, len);
    g_free(data);
    image_meta m;
    CHECK(image_info_buffer("p3.jpg", src.s, src.len, &m, NULL) == 0 && m.has_icc_profile);
    double stored[3] = {0};
    if (p3) pixel(p3, 10, 10, stored);
    CHECK(stored[0] < 245); /* P3 numbers for sRGB red are not 255,0,0 */
    image_spec s = spec_of(IMAGE_FIT_INSIDE, 32, 0, IMAGE_FORMAT_JPEG);
    VipsImage *img = render(&src, &s, &out, NULL);
    CHECK(img != NULL);
    if (img) {
        double rgb[3];
        pixel(img, 16, 16, rgb);
        CHECK(rgb[0] > 240 && rgb[1] < 20 && rgb[2] < 20);
        private_fields(img, &found);
        CHECK_STR(buf_cstr(&found), "");
        g_object_unref(img);
    }
    if (black) g_object_unref(black);
    if (red) g_object_unref(red);
    if (typed) g_object_unref(typed);
    if (p3) g_object_unref(p3);
    buf_free(&src);
    buf_free(&out);
    buf_free(&found);
}

typedef struct size_case {
    image_fit fit;
    int box_w, box_h;
    int want_w, want_h;
} size_case;

static void check_size_case(const buf *src, const size_case *c, const char *label)
{
    buf out = BUF_INIT;
    image_spec s = spec_of(c->fit, c->box_w, c->box_h, IMAGE_FORMAT_JPEG);
    int pw, ph;
    VipsImage *img = render(src, &s, &out, NULL);
    image_variant_size(&s, 1280, 597, &pw, &ph);
    bool ok = img && vips_image_get_width(img) == c->want_w && vips_image_get_height(img) == c->want_h &&
              pw == c->want_w && ph == c->want_h;
    if (!ok)
        printf("  %s: got %dx%d, predicted %dx%d, expected %dx%d\n", label, img ? vips_image_get_width(img) : -1,
               img ? vips_image_get_height(img) : -1, pw, ph, c->want_w, c->want_h);
    test_case(label, ok);
    if (img) g_object_unref(img);
    buf_free(&out);
}

TEST(each_grav_action_gives_its_size)
{
    /* The size of the seed's conference photo, stored upright. */
    buf src = BUF_INIT;
    phone_jpeg(&src, 1280, 597, 0);
    static const struct {
        const char *label;
        size_case c;
    } cases[] = {
        /* cropResize: fit inside, keep aspect: 597 * 300/1280 = 139.9 */
        {"cropResize=300,300", {IMAGE_FIT_INSIDE, 300, 300, 300, 140}},
        {"cropResize=2000,2000 never enlarges", {IMAGE_FIT_INSIDE, 2000, 2000, 1280, 597}},
        {"cropResize=,100 height only", {IMAGE_FIT_INSIDE, 0, 100, 214, 100}},
        /* resize: the same fit, padded to the whole box */
        {"resize=300,300", {IMAGE_FIT_PAD, 300, 300, 300, 300}},
        {"resize=2000,700 pads without enlarging", {IMAGE_FIT_PAD, 2000, 700, 2000, 700}},
        /* cropZoom: exactly the box */
        {"cropZoom=1200,400", {IMAGE_FIT_COVER, 1200, 400, 1200, 400}},
        {"cropZoom=300,300", {IMAGE_FIT_COVER, 300, 300, 300, 300}},
        {"cropZoom=1600,1600 enlarges", {IMAGE_FIT_COVER, 1600, 1600, 1600, 1600}},
        /* forceResize: exactly the box, or the aspect for a missing side */
        {"forceResize=200,500", {IMAGE_FIT_STRETCH, 200, 500, 200, 500}},
        {"forceResize=2560 enlarges", {IMAGE_FIT_STRETCH, 2560, 0, 2560, 1194}},
        /* plain width variants */
        {"width 480", {IMAGE_FIT_INSIDE, 480, 0, 480, 224}},
        {"width 960", {IMAGE_FIT_INSIDE, 960, 0, 960, 448}},
        {"width 1600 never upscales", {IMAGE_FIT_INSIDE, 1600, 0, 1280, 597}},
        {"no resize", {IMAGE_FIT_NONE, 0, 0, 1280, 597}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_size_case(&src, &cases[i].c, cases[i].label);
    buf_free(&src);
}

TEST(resize_pads_with_white_in_jpeg_and_transparency_in_png)
{
    buf src = BUF_INIT, out = BUF_INIT;
    phone_jpeg(&src, 400, 100, 0);
    image_spec s = spec_of(IMAGE_FIT_PAD, 200, 200, IMAGE_FORMAT_JPEG);
    VipsImage *img = render(&src, &s, &out, NULL);
    CHECK(img != NULL);
    if (img) {
        double top[3], mid[3];
        pixel(img, 100, 5, top);   /* padding above the 200x50 picture */
        pixel(img, 100, 80, mid);  /* inside the red half */
        CHECK(top[0] > 245 && top[1] > 245 && top[2] > 245);
        CHECK(mid[0] > 150 && mid[2] < 80);
        g_object_unref(img);
    }
    buf_reset(&out);
    s.format = IMAGE_FORMAT_PNG;
    img = render(&src, &s, &out, NULL);
    CHECK(img != NULL);
    if (img) {
        CHECK_INT(vips_image_get_bands(img), 4);
        double *v = NULL;
        int n = 0;
        CHECK(vips_getpoint(img, &v, &n, 100, 5, NULL) == 0 && n == 4 && v[3] == 0);
        g_free(v);
        g_object_unref(img);
    }
    buf_reset(&out);
    s.format = IMAGE_FORMAT_JPEG;
    s.background = 0x00FF00;
    img = render(&src, &s, &out, NULL);
    if (img) {
        double top[3];
        pixel(img, 100, 5, top);
        CHECK(top[1] > 200 && top[0] < 60 && top[2] < 60);
        g_object_unref(img);
    }
    CHECK(img != NULL);
    buf_free(&src);
    buf_free(&out);
}

TEST(png_with_transparency_keeps_it_in_png_and_webp)
{
    /* Opaque top half, transparent bottom half. */
    unsigned char *a = xmalloc(300 * 200);
    for (int y = 0; y < 200; y++) memset(a + y * 300, y < 100 ? 255 : 0, 300);
    VipsImage *rgb = two_colour(300, 200), *rgba = NULL;
    VipsImage *alpha = vips_image_new_from_memory_copy(a, 300 * 200, 300, 200, 1, VIPS_FORMAT_UCHAR);
    free(a);
    CHECK(vips_bandjoin2(rgb, alpha, &rgba, NULL) == 0);
    void *data = NULL;
    size_t len = 0;
    CHECK(rgba && vips_pngsave_buffer(rgba, &data, &len, NULL) == 0);
    buf src = BUF_INIT;
    buf_add(&src, data, len);
    g_free(data);
    image_meta m;
    CHECK(image_info_buffer("logo.png", src.s, src.len, &m, NULL) == 0 && m.has_alpha && m.format == IMAGE_FORMAT_PNG);
    static const image_format formats[] = {IMAGE_FORMAT_PNG, IMAGE_FORMAT_WEBP};
    for (size_t i = 0; i < 2; i++) {
        buf out = BUF_INIT;
        image_spec s = spec_of(IMAGE_FIT_INSIDE, 150, 0, formats[i]);
        VipsImage *img = render(&src, &s, &out, NULL);
        CHECK(img && vips_image_get_width(img) == 150 && vips_image_get_height(img) == 100);
        CHECK(image_sniff(out.s, out.len) == formats[i]);
        if (img) {
            CHECK(vips_image_hasalpha(img));
            double *v = NULL;
            int n = 0;
            CHECK(vips_getpoint(img, &v, &n, 75, 90, NULL) == 0 && n == 4 && v[3] < 10);
            g_free(v);
            CHECK(vips_getpoint(img, &v, &n, 75, 10, NULL) == 0 && n == 4 && v[3] > 245 && v[0] > 150);
            g_free(v);
            g_object_unref(img);
        }
        buf_free(&out);
    }
    g_object_unref(rgb);
    g_object_unref(alpha);
    if (rgba) g_object_unref(rgba);
    buf_free(&src);
}

TEST(quality_changes_the_encoded_size)
{
    char *path = seed_photo(0);
    CHECK(path != NULL);
    if (!path) return;
    size_t len;
    char *data = file_read(path, &len, 1 << 26);
    buf src = BUF_INIT, low = BUF_INIT, high = BUF_INIT;
    buf_add(&src, data, len);
    image_spec s = spec_of(IMAGE_FIT_INSIDE, 960, 0, IMAGE_FORMAT_JPEG);
    s.quality = 30;
    CHECK_INT(image_render(path, src.s, src.len, &s, &low, NULL), 0);
    s.quality = 95;
    CHECK_INT(image_render(path, src.s, src.len, &s, &high, NULL), 0);
    CHECK(low.len > 0 && low.len * 2 < high.len);
    free(data);
    free(path);
    buf_free(&src);
    buf_free(&low);
    buf_free(&high);
}

TEST(predicted_size_matches_rendered_size_for_every_seed_photo)
{
    static const image_spec specs[] = {
        {IMAGE_FIT_INSIDE, 480, 0, 0, IMAGE_FORMAT_JPEG, -1}, {IMAGE_FIT_INSIDE, 960, 0, 0, IMAGE_FORMAT_WEBP, -1},
        {IMAGE_FIT_INSIDE, 300, 300, 0, IMAGE_FORMAT_JPEG, -1}, {IMAGE_FIT_PAD, 333, 222, 0, IMAGE_FORMAT_JPEG, -1},
        {IMAGE_FIT_COVER, 1200, 400, 0, IMAGE_FORMAT_JPEG, -1}, {IMAGE_FIT_STRETCH, 0, 777, 0, IMAGE_FORMAT_JPEG, -1},
    };
    size_t n = seed_photo_count();
    for (size_t i = 0; i < n; i++) {
        char *path = seed_photo(i);
        size_t len;
        char *data = file_read(path, &len, 1 << 26);
        image_meta m;
        bool ok = data && image_info_buffer(path, data, len, &m, NULL) == 0;
        for (size_t k = 0; ok && k < sizeof specs / sizeof specs[0]; k++) {
            buf out = BUF_INIT;
            int w, h;
            image_variant_size(&specs[k], m.width, m.height, &w, &h);
            VipsImage *img = NULL;
            ok = image_render(path, data, len, &specs[k], &out, NULL) == 0 &&
                 (img = vips_image_new_from_buffer(out.s, out.len, "", NULL)) != NULL &&
                 vips_image_get_width(img) == w && vips_image_get_height(img) == h &&
                 image_sniff(out.s, out.len) == specs[k].format;
            if (img) g_object_unref(img);
            buf_free(&out);
        }
        test_case(path, ok);
        free(data);
        free(path);
    }
}

TEST(corrupt_jpeg_gives_a_warning_naming_the_file)
{
    buf src = BUF_INIT, out = BUF_INIT;
    phone_jpeg(&src, 300, 200, 0);
    /* Keep the headers, scribble over the entropy-coded data. */
    for (size_t i = src.len / 2; i + 2 < src.len; i++) src.s[i] = (char)(i * 37 % 251);
    diag_list d;
    diag_init(&d);
    image_spec s = spec_of(IMAGE_FIT_INSIDE, 100, 0, IMAGE_FORMAT_JPEG);
    CHECK_INT(image_render("news/broken.jpg", src.s, src.len, &s, &out, &d), -1);
    CHECK_INT(out.len, 0);
    CHECK(d.warnings >= 1);
    CHECK(d.len >= 1 && strcmp(d.items[0].path, "news/broken.jpg") == 0);
    diag_free(&d);
    buf_free(&src);
    buf_free(&out);
}

TEST(truncated_jpeg_gives_a_warning_and_no_output)
{
    char *path = seed_photo(0);
    CHECK(path != NULL);
    if (!path) return;
    size_t len;
    char *data = file_read(path, &len, 1 << 26);
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    image_spec s = spec_of(IMAGE_FIT_INSIDE, 480, 0, IMAGE_FORMAT_WEBP);
    CHECK_INT(image_render("half.jpg", data, len / 2, &s, &out, &d), -1);
    CHECK_INT(out.len, 0);
    CHECK(diag_has(&d, DIAG_WARNING, "truncated") || diag_has(&d, DIAG_WARNING, "corrupt"));
    CHECK(d.len >= 1 && strcmp(d.items[0].path, "half.jpg") == 0);
    /* Only the first bytes: the header itself is cut. */
    diag_free(&d);
    diag_init(&d);
    CHECK_INT(image_render("stub.jpg", data, 20, &s, &out, &d), -1);
    CHECK(d.warnings >= 1);
    diag_free(&d);
    free(data);
    free(path);
    buf_free(&out);
}

TEST(gif_and_unknown_formats_are_refused_without_crashing)
{
    diag_list d;
    diag_init(&d);
    buf out = BUF_INIT;
    image_spec s = spec_of(IMAGE_FIT_INSIDE, 100, 0, IMAGE_FORMAT_JPEG);
    CHECK_INT(image_render("empty.jpg", "", 0, &s, &out, &d), -1);
    CHECK_INT(image_render("a.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>", 40, &s, &out, &d), -1);
    CHECK_INT(d.warnings, 2);
    CHECK_INT(out.len, 0);
    diag_free(&d);
    buf_free(&out);
}

/* ---- cache ---- */

static image_cache *open_cache(const char *name)
{
    char *dir = scratch_path(name);
    image_cache *c = image_cache_open(dir, 2, NULL);
    free(dir);
    return c;
}

TEST(unchanged_photo_is_never_processed_twice_across_builds)
{
    char *photo = phone_photo("cached.jpg", 800, 600);
    image_job jobs[3] = {
        {photo, spec_of(IMAGE_FIT_INSIDE, 480, 0, IMAGE_FORMAT_JPEG), NULL, NULL},
        {photo, spec_of(IMAGE_FIT_INSIDE, 480, 0, IMAGE_FORMAT_WEBP), NULL, NULL},
        {photo, spec_of(IMAGE_FIT_COVER, 300, 100, IMAGE_FORMAT_JPEG), NULL, NULL},
    };
    image_cache *c = open_cache("cache-across");
    diag_list d;
    diag_init(&d);
    CHECK_INT(image_cache_produce(c, jobs, 3, &d), 0);
    CHECK_INT(d.len, 0);
    diag_print_all(stdout, &d);
    diag_free(&d);
    image_cache_stats st;
    image_cache_get_stats(c, &st);
    CHECK_INT(st.rendered, 3);
    struct stat before[3];
    for (int i = 0; i < 3; i++) CHECK(jobs[i].cache_path && stat(jobs[i].cache_path, &before[i]) == 0);
    char *first[3];
    for (int i = 0; i < 3; i++) first[i] = jobs[i].cache_path;
    image_cache_close(c);

    sleep(1); /* a rewrite would now show in the modification time */
    c = open_cache("cache-across"); /* the next build */
    CHECK_INT(image_cache_produce(c, jobs, 3, NULL), 0);
    image_cache_get_stats(c, &st);
    CHECK_INT(st.rendered, 0);
    CHECK_INT(st.hits, 3);
    for (int i = 0; i < 3; i++) {
        struct stat after;
        CHECK_STR(jobs[i].cache_path, first[i]);
        CHECK(stat(jobs[i].cache_path, &after) == 0 && after.st_mtime == before[i].st_mtime &&
              after.st_ino == before[i].st_ino);
        free(jobs[i].cache_path);
        free(first[i]);
    }
    image_cache_close(c);
    free(photo);
}

/* Progress: with no wait asked for, every batch that rendered something
 * says how many are made so far; a batch found in the cache says nothing,
 * and with a long wait nothing is said at all. */
static size_t progress_calls, progress_last;

static void count_progress(void *ctx, size_t made)
{
    (void)ctx;
    progress_calls++;
    progress_last = made;
}

TEST(progress_tells_how_many_variants_are_made_and_only_when_some_are)
{
    char *photo = phone_photo("progress.jpg", 800, 600);
    image_cache *c = open_cache("cache-progress");
    image_cache_set_progress(c, count_progress, NULL, 0);
    image_job one[1] = {{photo, spec_of(IMAGE_FIT_INSIDE, 480, 0, IMAGE_FORMAT_JPEG), NULL, NULL}};
    image_job two[2] = {{photo, spec_of(IMAGE_FIT_INSIDE, 320, 0, IMAGE_FORMAT_JPEG), NULL, NULL},
                        {photo, spec_of(IMAGE_FIT_INSIDE, 200, 0, IMAGE_FORMAT_JPEG), NULL, NULL}};
    CHECK_INT(image_cache_produce(c, one, 1, NULL), 0);
    CHECK_INT(progress_calls, 1);
    CHECK_INT(progress_last, 1);
    CHECK_INT(image_cache_produce(c, two, 2, NULL), 0);
    CHECK_INT(progress_calls, 2);
    CHECK_INT(progress_last, 3);
    free(one[0].cache_path);
    CHECK_INT(image_cache_produce(c, one, 1, NULL), 0); /* cached: nothing made, nothing said */
    CHECK_INT(progress_calls, 2);
    image_job three[1] = {{photo, spec_of(IMAGE_FIT_INSIDE, 100, 0, IMAGE_FORMAT_JPEG), NULL, NULL}};
    image_cache_set_progress(c, count_progress, NULL, 3600 * 1000);
    CHECK_INT(image_cache_produce(c, three, 1, NULL), 0);
    CHECK_INT(progress_calls, 2);
    free(one[0].cache_path);
    for (int i = 0; i < 2; i++) free(two[i].cache_path);
    free(three[0].cache_path);
    image_cache_close(c);
    free(photo);
}

TEST(changed_photo_under_the_same_name_gets_new_variants)
{
    char *photo = phone_photo("changing.jpg", 640, 480);
    image_cache *c = open_cache("cache-change");
    image_job job = {photo, spec_of(IMAGE_FIT_INSIDE, 200, 0, IMAGE_FORMAT_JPEG), NULL, NULL};
    image_source before, after;
    CHECK_INT(image_cache_source(c, photo, &before, NULL), 0);
    CHECK_INT(image_cache_produce(c, &job, 1, NULL), 0);
    char *old_path = job.cache_path;
    char id_before[11], id_after[11];
    image_cache_variant_id(before.hash, &job.spec, id_before);

    buf b = BUF_INIT;
    phone_jpeg(&b, 640, 400, 0);
    sleep(1);
    free(write_fixture("changing.jpg", &b));
    CHECK_INT(image_cache_source(c, photo, &after, NULL), 0);
    CHECK(strcmp(before.hash, after.hash) != 0);
    CHECK_INT(after.meta.height, 400);
    image_cache_variant_id(after.hash, &job.spec, id_after);
    CHECK(strcmp(id_before, id_after) != 0);
    CHECK_INT(image_cache_produce(c, &job, 1, NULL), 0);
    CHECK(job.cache_path && old_path && strcmp(job.cache_path, old_path) != 0);
    image_cache_stats st;
    image_cache_get_stats(c, &st);
    CHECK_INT(st.rendered, 2);
    free(job.cache_path);
    free(old_path);
    buf_free(&b);
    image_cache_close(c);
    free(photo);
}

/* The hashes of known photos are kept in the cache folder, keyed by the
 * file's identity: a later build takes them from there without reading
 * the photo (shown by a forged line being believed), by whatever path the
 * photo is reached, and any change to the photo is noticed. */
TEST(known_photos_are_remembered_by_file_identity_across_builds)
{
    char *photo = phone_photo("remembered.jpg", 320, 240);
    char *dir = scratch_path("cache-memo");
    image_cache *c = image_cache_open(dir, 1, NULL);
    image_source first;
    CHECK_INT(image_cache_source(c, photo, &first, NULL), 0);
    image_cache_close(c);

    char *memo = path_join(dir, "v1/sources");
    char *text = file_read(memo, NULL, 0);
    CHECK(text != NULL);
    if (!text) return;
    CHECK_CONTAINS(text, first.hash);
    CHECK_CONTAINS(text, "remembered.jpg");
    /* The same file under another spelling of its path is the same photo;
     * the forged hash proves the photo itself was not read again. */
    char forged[65];
    memset(forged, 'a', 64);
    forged[64] = 0;
    char *hit = strstr(text, first.hash);
    memcpy(hit, forged, 64);
    CHECK_INT(file_write(memo, text, strlen(text)), 0);
    buf other = BUF_INIT;
    buf_printf(&other, "%s/./remembered.jpg", scratch);
    c = image_cache_open(dir, 1, NULL);
    image_source again;
    CHECK_INT(image_cache_source(c, other.s, &again, NULL), 0);
    CHECK_STR(again.hash, forged);
    CHECK_INT(again.meta.width, first.meta.width);
    CHECK_INT(again.meta.height, first.meta.height);
    image_cache_close(c);

    /* New bytes under the same name: read and hashed again. */
    buf b = BUF_INIT;
    phone_jpeg(&b, 300, 200, 0);
    free(write_fixture("remembered.jpg", &b));
    c = image_cache_open(dir, 1, NULL);
    image_source changed;
    CHECK_INT(image_cache_source(c, photo, &changed, NULL), 0);
    CHECK(strcmp(changed.hash, forged) != 0 && strcmp(changed.hash, first.hash) != 0);
    CHECK_INT(changed.meta.width, 300);
    image_cache_close(c);
    free(text);
    text = file_read(memo, NULL, 0);
    CHECK(text && strstr(text, changed.hash) && !strstr(text, forged));
    free(text);
    buf_free(&b);
    buf_free(&other);
    free(memo);
    free(dir);
    free(photo);
}

/* A photo the site reader has just seen is looked up by what it saw: no
 * second stat (shown by a path that does not exist being answered), and
 * an identity the cache does not know goes the usual way. */
TEST(photo_seen_by_the_site_reader_is_known_without_a_stat)
{
    char *photo = phone_photo("seen.jpg", 320, 240);
    image_cache *c = open_cache("cache-seen");
    image_source first, again;
    CHECK_INT(image_cache_source(c, photo, &first, NULL), 0);
    struct stat st;
    CHECK_INT(stat(photo, &st), 0);
    file_stamp seen = file_stamp_of(&st);
    CHECK_INT(image_cache_source_seen(c, "/nonexistent/seen.jpg", &seen, &again, NULL), 0);
    CHECK_STR(again.hash, first.hash);
    CHECK_INT(again.meta.width, first.meta.width);
    seen.mtime_ns ^= 1; /* not what the cache knows: looked at, and not there */
    CHECK_INT(image_cache_source_seen(c, "/nonexistent/seen.jpg", &seen, &again, NULL), -1);
    CHECK_INT(image_cache_source_seen(c, photo, &seen, &again, NULL), 0);
    CHECK_STR(again.hash, first.hash);
    CHECK_INT(image_cache_source_seen(c, photo, NULL, &again, NULL), 0);
    image_cache_close(c);
    free(photo);
}

/* A damaged sources file costs a re-read, never a wrong answer or a crash. */
TEST(damaged_sources_file_is_read_line_by_line_and_the_rest_ignored)
{
    char *photo = phone_photo("after-damage.jpg", 200, 100);
    char *dir = scratch_path("cache-memo-damaged");
    char *v1 = path_join(dir, "v1");
    CHECK_INT(dir_make(v1), 0);
    char *memo = path_join(v1, "sources");
    struct stat st;
    CHECK_INT(stat(photo, &st), 0);
    buf b = BUF_INIT;
    buf_puts(&b, "folio image sources 1\n");
    buf_puts(&b, "garbage\n\t\n1 2 3\n");
    /* The photo's identity with a hash that is not hex, then with a zero
     * width: both must be refused. */
    static const char *const bad[] = {"zz", "00"};
    for (int i = 0; i < 2; i++) {
        buf_printf(&b, "%llu %llu %llu %lld.%09ld %lld.%09ld ", (unsigned long long)st.st_dev,
                   (unsigned long long)st.st_ino, (unsigned long long)st.st_size, (long long)st.st_mtim.tv_sec,
                   st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
        for (int k = 0; k < 32; k++) buf_puts(&b, bad[i]);
        buf_printf(&b, " %d 100 1 0 0\t%s\n", i == 0 ? 200 : 0, photo);
    }
    buf_puts(&b, "12 34 56 7.8 9.10 abc"); /* cut short, no newline */
    CHECK_INT(file_write(memo, b.s, b.len), 0);
    image_cache *c = image_cache_open(dir, 1, NULL);
    image_source src;
    CHECK_INT(image_cache_source(c, photo, &src, NULL), 0);
    CHECK_INT(src.meta.width, 100); /* upright: the phone photo is turned */
    CHECK_INT(src.meta.height, 200);
    bool is_hex = true;
    for (int i = 0; i < 64; i++) is_hex &= (src.hash[i] >= '0' && src.hash[i] <= '9') || (src.hash[i] >= 'a' && src.hash[i] <= 'f');
    CHECK(is_hex);
    CHECK(strncmp(src.hash, "0000000000", 10) != 0); /* not the zero-width line's */
    image_cache_close(c);
    buf_free(&b);
    free(memo);
    free(v1);
    free(dir);
    free(photo);
}

TEST(cache_file_holds_the_rendered_variant)
{
    char *photo = phone_photo("content.jpg", 500, 300);
    image_cache *c = open_cache("cache-content");
    image_job job = {photo, spec_of(IMAGE_FIT_INSIDE, 100, 0, IMAGE_FORMAT_WEBP), NULL, NULL};
    CHECK_INT(image_cache_produce(c, &job, 1, NULL), 0);
    image_meta m;
    CHECK(job.cache_path && image_info(job.cache_path, &m, NULL) == 0);
    CHECK_INT(m.format, IMAGE_FORMAT_WEBP);
    CHECK_INT(m.width, 100); /* upright 300x500 -> 100x167 */
    CHECK_INT(m.height, 167);
    free(job.cache_path);
    image_cache_close(c);
    free(photo);
}

/* A symbolic link planted in the cache under a variant's name is not a
 * variant: the cache makes the file again over it, so the output never
 * links (and a web server never follows) anything it points to. The
 * planted link goes in after a first open has listed the shard folder,
 * and before, for both ways the cache learns what it holds. */
TEST(link_planted_in_the_cache_is_replaced_by_a_real_variant)
{
    char *photo = phone_photo("planted.jpg", 400, 300);
    char *secret = scratch_path("planted-secret.txt");
    CHECK_INT(file_write(secret, "not an image", 12), 0);
    char *dir = scratch_path("cache-planted");
    for (int round = 0; round < 2; round++) {
        image_cache *c = image_cache_open(dir, 1, NULL);
        image_job job = {photo, spec_of(IMAGE_FIT_INSIDE, 120, 0, IMAGE_FORMAT_JPEG), NULL, NULL};
        CHECK_INT(image_cache_produce(c, &job, 1, NULL), 0);
        char *variant = job.cache_path ? xstrdup(job.cache_path) : NULL;
        free(job.cache_path);
        CHECK(variant != NULL);
        if (!variant) {
            image_cache_close(c);
            break;
        }
        CHECK_INT(unlink(variant), 0);
        CHECK_INT(symlink(secret, variant), 0);
        if (round == 1) { /* a fresh open: the listing sees the link */
            image_cache_close(c);
            c = image_cache_open(dir, 1, NULL);
        }
        job.cache_path = NULL;
        CHECK_INT(image_cache_produce(c, &job, 1, NULL), 0);
        struct stat st;
        CHECK(job.cache_path && lstat(job.cache_path, &st) == 0 && S_ISREG(st.st_mode));
        image_meta m;
        CHECK(job.cache_path && image_info(job.cache_path, &m, NULL) == 0 && m.width == 120);
        free(job.cache_path);
        free(variant);
        image_cache_close(c);
    }
    free(dir);
    free(secret);
    free(photo);
}

TEST(source_hash_is_the_sha256_of_the_file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/seed-site/user/pages/02.news/03.2023-01-09-practical-conference/2023-01-09-1.jpg",
             test_shared_dir());
    image_cache *c = open_cache("cache-hash");
    image_source src;
    CHECK_INT(image_cache_source(c, path, &src, NULL), 0);
    /* As printed by coreutils' sha256sum for this file. */
    CHECK_STR(src.hash, "e1dc8b09cc56085da4390697b9f4bdd66b75367c5283fcb968d2723472236e99");
    image_cache_close(c);
}

TEST(clean_empties_the_cache_but_refuses_a_foreign_directory)
{
    char *dir = scratch_path("cache-clean");
    char *photo = phone_photo("clean.jpg", 300, 300);
    image_cache *c = image_cache_open(dir, 1, NULL);
    image_job job = {photo, spec_of(IMAGE_FIT_INSIDE, 100, 0, IMAGE_FORMAT_JPEG), NULL, NULL};
    CHECK_INT(image_cache_produce(c, &job, 1, NULL), 0);
    image_cache_close(c);
    CHECK(job.cache_path && path_exists(job.cache_path));
    CHECK_INT(image_cache_clean(dir), 0);
    CHECK(!path_exists(dir));
    CHECK_INT(image_cache_clean(dir), 0); /* already gone is fine */

    char *foreign = scratch_path("not-a-cache");
    char *keep = path_join(foreign, "keep.txt");
    dir_make(foreign);
    file_write(keep, "x", 1);
    CHECK_INT(image_cache_clean(foreign), -1);
    CHECK(path_exists(keep));
    free(keep);
    free(foreign);
    free(job.cache_path);
    free(photo);
    free(dir);
}

/* A folio serve keeps the cache open while a cron job builds with
 * --prune-cache (or --clean-cache): the second must not delete what the
 * first may be about to link. Once the other has closed it, it may. */
TEST(a_cache_another_folio_has_open_is_neither_pruned_nor_emptied)
{
    char *dir = scratch_path("cache-busy");
    char *photo = phone_photo("busy.jpg", 300, 300);
    image_cache *serve = image_cache_open(dir, 1, NULL);
    image_job job = {photo, spec_of(IMAGE_FIT_INSIDE, 100, 0, IMAGE_FORMAT_JPEG), NULL, NULL};
    CHECK_INT(image_cache_produce(serve, &job, 1, NULL), 0);
    CHECK(job.cache_path && path_exists(job.cache_path));

    image_cache *build = image_cache_open(dir, 1, NULL);
    size_t removed = 0;
    unsigned long long bytes = 0;
    errno = 0;
    CHECK_INT(image_cache_prune(build, NULL, 0, NULL, 0, &removed, &bytes), -1); /* keeps nothing: would empty it */
    CHECK_INT(errno, EBUSY);
    CHECK_INT(removed, 0);
    CHECK(path_exists(job.cache_path));
    errno = 0;
    CHECK_INT(image_cache_clean(dir), -1);
    CHECK_INT(errno, EBUSY);
    CHECK(path_exists(job.cache_path));

    image_cache_close(serve);
    CHECK_INT(image_cache_prune(build, NULL, 0, NULL, 0, &removed, &bytes), 0);
    CHECK_INT(removed, 1);
    CHECK(!path_exists(job.cache_path));
    CHECK_INT(image_cache_clean(dir), -1); /* the build still has it open */
    image_cache_close(build);
    CHECK_INT(image_cache_clean(dir), 0);
    CHECK(!path_exists(dir));
    free(job.cache_path);
    free(photo);
    free(dir);
}

TEST(default_cache_dir_sits_next_to_the_user_folder)
{
    char *site = scratch_path("site/user");
    dir_make(site);
    const char *saved = getenv("FOLIO_CACHE_DIR");
    char *keep = saved ? xstrdup(saved) : NULL;
    unsetenv("FOLIO_CACHE_DIR");
    char *dir = image_cache_default_dir(site);
    char *want_end = "/site/.folio-cache";
    CHECK(dir && strlen(dir) > strlen(want_end) && strcmp(dir + strlen(dir) - strlen(want_end), want_end) == 0);
    free(dir);
    setenv("FOLIO_CACHE_DIR", "/somewhere/else", 1);
    dir = image_cache_default_dir(site);
    CHECK_STR(dir, "/somewhere/else");
    free(dir);
    if (keep) setenv("FOLIO_CACHE_DIR", keep, 1);
    else unsetenv("FOLIO_CACHE_DIR");
    free(keep);
    free(site);
}

TEST(broken_photo_in_the_cache_fails_once_with_one_warning)
{
    buf b = BUF_INIT;
    phone_jpeg(&b, 300, 200, 0);
    buf_truncate(&b, b.len / 2);
    char *photo = write_fixture("cut.jpg", &b);
    image_cache *c = open_cache("cache-broken");
    diag_list d;
    diag_init(&d);
    image_job jobs[2] = {{photo, spec_of(IMAGE_FIT_INSIDE, 100, 0, IMAGE_FORMAT_JPEG), NULL, NULL},
                         {photo, spec_of(IMAGE_FIT_INSIDE, 100, 0, IMAGE_FORMAT_WEBP), NULL, NULL}};
    CHECK_INT(image_cache_produce(c, jobs, 2, &d), 2);
    CHECK(jobs[0].cache_path == NULL && jobs[1].cache_path == NULL);
    CHECK(d.warnings >= 1);
    size_t warnings = d.warnings;
    CHECK_INT(image_cache_produce(c, jobs, 2, &d), 2);
    CHECK_INT(d.warnings, warnings); /* not tried again */
    CHECK(d.len >= 1 && strcmp(d.items[0].path, photo) == 0);
    diag_free(&d);
    image_cache_close(c);
    buf_free(&b);
    free(photo);
}

/* ---- actions ---- */

TEST(actions_parse_grav_resize_modes_and_options)
{
    image_actions a;
    char *path = NULL;
    image_actions_parse("photo.jpg?cropResize=300,300&quality=80", &path, &a, NULL, "p.md", 1);
    CHECK_STR(path, "photo.jpg");
    CHECK_INT(a.fit, IMAGE_FIT_INSIDE);
    CHECK_INT(a.width, 300);
    CHECK_INT(a.height, 300);
    CHECK_INT(a.quality, 80);
    free(path);
    image_actions_free(&a);

    image_actions_parse("head.jpg?cropZoom=1200,400&amp;classes=hero,wide&lightbox&loading=eager&id=top", NULL, &a,
                        NULL, "p.md", 1);
    CHECK_INT(a.fit, IMAGE_FIT_COVER);
    CHECK_INT(a.width, 1200);
    CHECK_INT(a.height, 400);
    CHECK_STR(a.classes, "hero wide");
    CHECK_STR(a.id, "top");
    CHECK(a.has_lightbox && a.lightbox_width == 0);
    CHECK(a.is_eager);
    image_actions_free(&a);

    image_actions_parse("a.jpg?resize=400,200,0xff0000", NULL, &a, NULL, "p.md", 1);
    CHECK_INT(a.fit, IMAGE_FIT_PAD);
    CHECK_INT(a.background, 0xFF0000);
    image_actions_free(&a);
    image_actions_parse("a.jpg?forceResize=400", NULL, &a, NULL, "p.md", 1);
    CHECK(a.fit == IMAGE_FIT_STRETCH && a.width == 400 && a.height == 0);
    image_actions_free(&a);
    image_actions_parse("a.jpg?resize=,250&lightbox=1024,768", NULL, &a, NULL, "p.md", 1);
    CHECK(a.fit == IMAGE_FIT_PAD && a.width == 0 && a.height == 250);
    CHECK(a.lightbox_width == 1024 && a.lightbox_height == 768);
    image_actions_free(&a);
}

TEST(actions_without_query_leave_the_photo_alone)
{
    image_actions a;
    char *path = NULL;
    image_actions_parse("my%20photo.jpg#frag", &path, &a, NULL, "p.md", 1);
    CHECK_STR(path, "my photo.jpg");
    CHECK_INT(a.fit, IMAGE_FIT_NONE);
    CHECK_INT(a.quality, 0);
    CHECK(!a.has_lightbox && !a.classes && !a.is_eager);
    free(path);
    image_actions_free(&a);
}

TEST(bad_actions_warn_and_are_ignored)
{
    diag_list d;
    diag_init(&d);
    image_actions a;
    image_actions_parse("a.jpg?cropZoom=300&quality=0&sepia&resize=abc&quality=101&resize=0,0", NULL, &a, &d,
                        "news/item.md", 7);
    CHECK_INT(a.fit, IMAGE_FIT_NONE);
    CHECK_INT(a.quality, 0);
    CHECK_INT(d.warnings, 6);
    CHECK(diag_has(&d, DIAG_WARNING, "sepia"));
    CHECK(d.len && d.items[0].line == 7 && strcmp(d.items[0].path, "news/item.md") == 0);
    image_actions_free(&a);
    image_actions_parse("a.jpg?cropZoom=99999999,400000", NULL, &a, &d, "x", 1);
    CHECK_INT(a.width, 0); /* absurd numbers are refused, not clamped into a huge canvas */
    image_actions_free(&a);
    image_actions_parse("a.jpg?cropZoom=20000,20000", NULL, &a, &d, "x", 1);
    CHECK_INT(a.width, IMAGE_MAX_SIDE);
    CHECK_INT(a.height, IMAGE_MAX_SIDE);
    image_actions_free(&a);
    diag_free(&d);
}

/* ---- markup ---- */

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

static bool file_listed(const image_markup *m, const char *name_part, const char *ext)
{
    for (size_t i = 0; i < m->nfiles; i++) {
        const char *n = m->files[i].name;
        if (strstr(n, name_part) && strlen(n) > strlen(ext) && strcmp(n + strlen(n) - strlen(ext), ext) == 0 &&
            path_exists(m->files[i].cache_path))
            return true;
    }
    return false;
}

TEST(markup_offers_widths_in_webp_and_jpeg_with_size_and_lazy_loading)
{
    char *photo = scratch_path("conference.jpg");
    buf b = BUF_INIT;
    phone_jpeg(&b, 1280, 597, 0);
    file_write(photo, b.s, b.len);
    image_cache *c = open_cache("cache-markup");
    image_markup_request r = {.source_path = photo, .base_url = "/news/conference/", .alt = "Doctors & \"nurses\"",
                              .title = "Conference", .want_webp = true};
    image_markup m;
    CHECK_INT(image_markup_make(c, &r, &m, NULL), 0);
    CHECK_CONTAINS(m.html, "<picture><source type=\"image/webp\" srcset=\"/news/conference/conference-480x224-");
    CHECK_CONTAINS(m.html, ".webp 480w, ");
    CHECK_CONTAINS(m.html, ".webp 960w, ");
    CHECK_CONTAINS(m.html, ".webp 1280w\"");
    CHECK_NOT_CONTAINS(m.html, "1600w");            /* never enlarged */
    /* The JPEG is the fallback for browsers without WebP: one width,
     * about a laptop column, and no srcset of its own. */
    CHECK_CONTAINS(m.html, "<img src=\"/news/conference/conference-960x448-");
    CHECK_NOT_CONTAINS(m.html, ".jpg ");
    CHECK_INT(count(m.html, "srcset="), 1);
    CHECK_CONTAINS(m.html, " width=\"1280\" height=\"597\"");
    CHECK_CONTAINS(m.html, " sizes=\"(max-width: 1280px) 100vw, 1280px\"");
    CHECK_CONTAINS(m.html, " alt=\"Doctors &amp; &quot;nurses&quot;\"");
    CHECK_CONTAINS(m.html, " title=\"Conference\"");
    CHECK_CONTAINS(m.html, " loading=\"lazy\" decoding=\"async\"");
    CHECK_CONTAINS(m.html, "</picture>");
    CHECK_INT(count(m.html, "<img"), 1);
    CHECK_INT(m.nfiles, 4);
    CHECK(file_listed(&m, "conference-480x224-", ".webp"));
    CHECK(file_listed(&m, "conference-1280x597-", ".webp"));
    CHECK(file_listed(&m, "conference-960x448-", ".jpg"));
    CHECK_INT(m.width, 1280);
    /* Every published file name appears in the HTML. */
    for (size_t i = 0; i < m.nfiles; i++) CHECK_CONTAINS(m.html, m.files[i].name);
    image_markup_free(&m);

    r.is_above_fold = true;
    r.want_webp = false;
    r.alt = NULL;
    r.title = NULL;
    CHECK_INT(image_markup_make(c, &r, &m, NULL), 0);
    CHECK_NOT_CONTAINS(m.html, "loading=");
    CHECK_NOT_CONTAINS(m.html, "<picture>");
    CHECK_NOT_CONTAINS(m.html, "title=");
    CHECK_CONTAINS(m.html, " alt=\"\"");
    CHECK_CONTAINS(m.html, "fetchpriority=\"high\"");
    CHECK_CONTAINS(m.html, ".jpg 480w, "); /* without WebP, every width in JPEG */
    CHECK_CONTAINS(m.html, ".jpg 1280w\"");
    CHECK_INT(m.nfiles, 3);
    image_markup_free(&m);
    image_cache_close(c);
    buf_free(&b);
    free(photo);
}

TEST(markup_for_crop_zoom_header_keeps_the_crop_at_every_width)
{
    char *photo = scratch_path("header.jpg");
    buf b = BUF_INIT;
    phone_jpeg(&b, 1600, 1000, 0);
    file_write(photo, b.s, b.len);
    image_cache *c = open_cache("cache-markup");
    image_actions a;
    image_actions_parse("header.jpg?cropZoom=1200,400&classes=hero&lightbox", NULL, &a, NULL, "x", 1);
    image_markup_request r = {.source_path = photo, .base_url = "/", .actions = &a, .want_webp = true};
    image_markup m;
    CHECK_INT(image_markup_make(c, &r, &m, NULL), 0);
    CHECK_CONTAINS(m.html, "header-480x160-");
    CHECK_CONTAINS(m.html, "header-960x320-");
    CHECK_CONTAINS(m.html, "header-1200x400-");
    CHECK_CONTAINS(m.html, " width=\"1200\" height=\"400\"");
    CHECK_CONTAINS(m.html, " class=\"hero\"");
    CHECK(strncmp(m.html, "<a href=\"/header-1600x1000-", 27) == 0);
    CHECK_CONTAINS(m.html, "rel=\"lightbox\"");
    CHECK(m.html && strlen(m.html) > 4 && strcmp(m.html + strlen(m.html) - 4, "</a>") == 0);
    for (size_t i = 0; i < m.nfiles; i++) {
        image_meta meta;
        int w = 0, h = 0;
        sscanf(strstr(m.files[i].name, "header-") + 7, "%dx%d", &w, &h);
        CHECK(image_info(m.files[i].cache_path, &meta, NULL) == 0 && meta.width == w && meta.height == h);
        if (w == h * 3) { /* the cropZoom variants, not the lightbox one */
            /* 1600x1000 scaled by 0.75 to 1200x750, rows 175..575 kept: the
             * red/blue edge (row 375 there) sits in the middle at every width. */
            VipsImage *img = vips_image_new_from_file(m.files[i].cache_path, NULL);
            double top[3], bottom[3];
            if (img) {
                pixel(img, w / 2, h / 4, top);
                pixel(img, w / 2, h * 3 / 4, bottom);
                g_object_unref(img);
            }
            CHECK(img && top[0] > 150 && top[2] < 80 && bottom[2] > 150 && bottom[0] < 80);
        }
    }
    image_markup_free(&m);
    image_actions_free(&a);
    image_cache_close(c);
    buf_free(&b);
    free(photo);
}

TEST(markup_names_are_content_addressed_and_urls_percent_encoded)
{
    char *photo = scratch_path("Фото зала.jpg");
    buf b = BUF_INIT;
    phone_jpeg(&b, 700, 500, 0);
    file_write(photo, b.s, b.len);
    image_cache *c = open_cache("cache-markup");
    image_markup_request r = {.source_path = photo, .base_url = "/kk/"};
    image_markup m1, m2;
    CHECK_INT(image_markup_make(c, &r, &m1, NULL), 0);
    CHECK_CONTAINS(m1.html, "src=\"/kk/%D0%A4%D0%BE%D1%82%D0%BE%20%D0%B7%D0%B0%D0%BB%D0%B0-");
    CHECK_NOT_CONTAINS(m1.html, "зала");
    buf_reset(&b);
    phone_jpeg(&b, 700, 500, 3); /* same size, different bytes */
    sleep(1);
    file_write(photo, b.s, b.len);
    CHECK_INT(image_markup_make(c, &r, &m2, NULL), 0);
    CHECK(m1.nfiles == m2.nfiles && m1.nfiles > 0);
    for (size_t i = 0; i < m1.nfiles && i < m2.nfiles; i++) {
        CHECK(strcmp(m1.files[i].name, m2.files[i].name) != 0);
        CHECK(strncmp(m1.files[i].name, "Фото зала-", strlen("Фото зала-")) == 0);
    }
    image_markup_free(&m1);
    image_markup_free(&m2);
    image_cache_close(c);
    buf_free(&b);
    free(photo);
}

/* A build shows a photo on several pages (each language, the news list):
 * with a memo its variants are worked out and listed for publishing once;
 * later requests get the same variants in their own HTML (their alt, their
 * loading), and a changed photo or another shape is worked out anew. */
TEST(markup_memo_lists_a_photos_files_once_and_keeps_each_requests_html)
{
    buf b = BUF_INIT;
    phone_jpeg(&b, 1200, 800, 0);
    char *photo = write_fixture("memo.jpg", &b);
    image_cache *c = open_cache("cache-markup-memo");
    image_markup_memo *memo = image_markup_memo_new();
    image_markup_request r = {.source_path = photo, .base_url = "/media/p/", .alt = "Зал", .want_webp = true,
                              .memo = memo};
    image_markup first, second, wider;
    CHECK_INT(image_markup_make(c, &r, &first, NULL), 0);
    CHECK(first.nfiles == 4);
    r.alt = "Hall";
    r.is_above_fold = true;
    CHECK_INT(image_markup_make(c, &r, &second, NULL), 0);
    CHECK_INT(second.nfiles, 0);
    CHECK_CONTAINS(second.html, "alt=\"Hall\"");
    CHECK_CONTAINS(second.html, "fetchpriority=\"high\"");
    CHECK_CONTAINS(first.html, "alt=\"Зал\"");
    CHECK_CONTAINS(first.html, "loading=\"lazy\"");
    CHECK_INT(second.width, first.width);
    for (size_t i = 0; i < first.nfiles; i++) CHECK_CONTAINS(second.html, first.files[i].name);

    image_actions a = {.fit = IMAGE_FIT_COVER, .width = 600, .height = 200, .background = -1};
    r.actions = &a;
    CHECK_INT(image_markup_make(c, &r, &wider, NULL), 0);
    CHECK(wider.nfiles > 0);
    CHECK_INT(wider.height, 200);
    image_markup_free(&wider);

    buf_reset(&b);
    phone_jpeg(&b, 1200, 800, 3); /* new bytes under the same name */
    free(write_fixture("memo.jpg", &b));
    r.actions = NULL;
    image_source changed;
    CHECK_INT(image_cache_source(c, photo, &changed, NULL), 0);
    r.source = &changed;
    image_markup after;
    CHECK_INT(image_markup_make(c, &r, &after, NULL), 0);
    CHECK_INT(after.nfiles, 4);
    for (size_t i = 0; i < after.nfiles; i++) CHECK_NOT_CONTAINS(first.html, after.files[i].name);
    image_markup_free(&after);
    image_markup_free(&first);
    image_markup_free(&second);
    image_markup_memo_free(memo);
    image_cache_close(c);
    buf_free(&b);
    free(photo);
}

typedef struct memo_race {
    image_cache *cache;
    image_markup_request *request;
    pthread_barrier_t *start;
    image_markup result;
    int rc;
} memo_race;

static void *make_after_barrier(void *arg)
{
    memo_race *m = arg;
    pthread_barrier_wait(m->start);
    m->rc = image_markup_make(m->cache, m->request, &m->result, NULL);
    return NULL;
}

/* The versions of a post in two languages render side by side: when they
 * ask for the same photo at the same moment, one works its variants out
 * (looking each up in the cache once) and the other waits for that plan. */
TEST(markup_memo_makes_a_plan_once_when_pages_ask_together)
{
    buf b = BUF_INIT;
    phone_jpeg(&b, 1200, 800, 0);
    char *photo = write_fixture("together.jpg", &b);
    image_cache *c = open_cache("cache-markup-together");
    image_markup_request r = {.source_path = photo, .base_url = "/media/p/", .alt = "", .want_webp = true};
    image_markup warm;
    CHECK_INT(image_markup_make(c, &r, &warm, NULL), 0); /* every variant on disk from here */
    CHECK_INT(warm.nfiles, 4);
    image_markup_free(&warm);
    for (int round = 0; round < 20; round++) {
        image_markup_memo *memo = image_markup_memo_new();
        r.memo = memo;
        image_cache_stats before, after;
        image_cache_get_stats(c, &before);
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, 2);
        memo_race m[2] = {{c, &r, &start, {0}, -1}, {c, &r, &start, {0}, -1}};
        pthread_t t[2];
        for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, make_after_barrier, &m[i]);
        for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
        image_cache_get_stats(c, &after);
        CHECK(m[0].rc == 0 && m[1].rc == 0);
        CHECK_INT(m[0].result.nfiles + m[1].result.nfiles, 4);
        CHECK_INT(after.hits - before.hits, 4);
        CHECK_STR(m[0].result.html, m[1].result.html);
        for (int i = 0; i < 2; i++) image_markup_free(&m[i].result);
        pthread_barrier_destroy(&start);
        image_markup_memo_free(memo);
    }
    image_cache_close(c);
    buf_free(&b);
    free(photo);
}

/* A look-up that cannot warn (no diag list) must not use up the warning
 * a damaged photo is owed. */
TEST(damaged_photo_first_seen_without_a_diag_list_is_still_warned_about)
{
    buf b = BUF_INIT;
    phone_jpeg(&b, 600, 400, 0);
    buf_truncate(&b, 100);
    char *photo = write_fixture("quiet-then-told.jpg", &b);
    image_cache *c = open_cache("cache-quiet");
    image_source src;
    CHECK_INT(image_cache_source(c, photo, &src, NULL), -1);
    diag_list d;
    diag_init(&d);
    CHECK_INT(image_cache_source(c, photo, &src, &d), -1);
    CHECK_INT(d.len, 1);
    CHECK(d.len == 1 && strstr(d.items[0].path, "quiet-then-told.jpg") != NULL);
    CHECK_INT(image_cache_source(c, photo, &src, &d), -1);
    CHECK_INT(d.len, 1); /* and only once */
    diag_free(&d);
    image_cache_close(c);
    buf_free(&b);
    free(photo);
}

TEST(markup_of_a_broken_photo_links_the_original_and_warns)
{
    buf b = BUF_INIT;
    phone_jpeg(&b, 600, 400, 0);
    buf_truncate(&b, b.len * 2 / 3);
    char *photo = write_fixture("half photo.jpg", &b);
    image_cache *c = open_cache("cache-markup");
    diag_list d;
    diag_init(&d);
    image_markup_request r = {.source_path = photo, .base_url = "/news/", .alt = "x", .want_webp = true};
    image_markup m;
    CHECK_INT(image_markup_make(c, &r, &m, &d), -1);
    CHECK_STR(m.html, "<img src=\"/news/half%20photo.jpg\" width=\"600\" height=\"400\" alt=\"x\" loading=\"lazy\" "
                      "decoding=\"async\">");
    CHECK_INT(m.nfiles, 0);
    CHECK(d.warnings >= 1 && strcmp(d.items[0].path, photo) == 0);
    image_markup_free(&m);

    buf_reset(&b);
    buf_puts(&b, "GIF89a not really");
    free(photo);
    photo = write_fixture("nothing.png", &b);
    r.source_path = photo;
    size_t before = d.warnings;
    CHECK_INT(image_markup_make(c, &r, &m, &d), -1);
    CHECK_STR(m.html, "<img src=\"/news/nothing.png\" alt=\"x\" loading=\"lazy\" decoding=\"async\">");
    image_markup_free(&m);
    CHECK_INT(d.warnings, before + 1);
    CHECK_INT(image_markup_make(c, &r, &m, &d), -1); /* the same page in another language */
    CHECK_INT(d.warnings, before + 1);
    image_markup_free(&m);
    diag_free(&d);
    image_cache_close(c);
    buf_free(&b);
    free(photo);
}

typedef struct markup_thread {
    image_cache *c;
    const char *photo;
    int rc;
} markup_thread;

static void *markup_in_thread(void *arg)
{
    markup_thread *t = arg;
    image_markup_request r = {.source_path = t->photo, .base_url = "/", .want_webp = true};
    image_markup m;
    t->rc = image_markup_make(t->c, &r, &m, NULL);
    image_markup_free(&m);
    return NULL;
}

TEST(one_photo_in_three_languages_at_once_is_rendered_once)
{
    char *photo = scratch_path("shared.jpg");
    buf b = BUF_INIT;
    phone_jpeg(&b, 1100, 700, 0);
    file_write(photo, b.s, b.len);
    image_cache *c = open_cache("cache-threads");
    markup_thread t[3];
    pthread_t th[3];
    for (int i = 0; i < 3; i++) {
        t[i] = (markup_thread){c, photo, -2};
        pthread_create(&th[i], NULL, markup_in_thread, &t[i]);
    }
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 3; i++) CHECK_INT(t[i].rc, 0);
    image_cache_stats st;
    image_cache_get_stats(c, &st);
    CHECK_INT(st.rendered, 4); /* 480, 960, 1100 in WebP, 960 in JPEG */
    CHECK_INT(st.hits, 8);
    image_cache_close(c);
    buf_free(&b);
    free(photo);
}

TEST(markup_for_every_seed_photo)
{
    image_cache *c = open_cache("cache-seed");
    size_t n = seed_photo_count();
    for (size_t i = 0; i < n; i++) {
        char *path = seed_photo(i);
        image_markup_request r = {.source_path = path, .base_url = "/news/x/", .alt = "photo", .want_webp = true};
        image_markup m;
        diag_list d;
        diag_init(&d);
        bool ok = image_markup_make(c, &r, &m, &d) == 0 && d.len == 0 && m.nfiles >= 3 &&
                  strstr(m.html, "<picture>") && strstr(m.html, "srcset=");
        int jpegs = 0;
        for (size_t k = 0; ok && k < m.nfiles; k++) {
            image_meta meta;
            ok = image_info(m.files[k].cache_path, &meta, NULL) == 0 && meta.width <= 1600;
            jpegs += meta.format == IMAGE_FORMAT_JPEG;
        }
        ok = ok && jpegs == 1 && (size_t)count(m.html, ".webp ") == m.nfiles - 1;
        test_case(path, ok);
        image_markup_free(&m);
        diag_free(&d);
        free(path);
    }
    image_cache_close(c);
}

/* ---- download sizes ---- */

static void check_label(const char *name, unsigned long long bytes, const char *lang, const char *want)
{
    buf b = BUF_INIT;
    file_size_label(&b, name, bytes, lang);
    if (strcmp(buf_cstr(&b), want) != 0) printf("  label %s %llu %s: \"%s\"\n", name, bytes, lang, buf_cstr(&b));
    test_case(want, strcmp(buf_cstr(&b), want) == 0);
    buf_free(&b);
}

TEST(download_sizes_read_naturally_in_each_language)
{
    check_label("report.pdf", 1258291, "ru", "PDF, 1,2 МБ");
    check_label("report.pdf", 1258291, "kk", "PDF, 1,2 МБ");
    check_label("report.pdf", 1258291, "en", "PDF, 1.2 MB");
    check_label("files/form.docx", 348160, "en", "DOCX, 340 KB");
    check_label("a.txt", 512, "ru", "TXT, 512 Б");
    check_label("README", 2048, "en", "2 KB");
    check_label("big.zip", 10433331, "en", "ZIP, 9.9 MB");   /* 9.9499 MB */
    check_label("big.zip", 10485000, "en", "ZIP, 10 MB");    /* 9.999 MB rounds to 10, not "10.0" */
    check_label("big.zip", 1048575, "en", "ZIP, 1 MB");      /* 1023.999 KB */
    check_label("scan.PDF", 5ULL * 1024 * 1024 * 1024, "kk", "PDF, 5 ГБ");
    check_label(".hidden", 0, "fr", "0 B");
}
