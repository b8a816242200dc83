/* metadata.c - private blocks in a photo's bytes (see metadata.h). */
#include "media/metadata.h"

#include <string.h>

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static unsigned long le32(const unsigned char *p)
{
    return (unsigned long)p[3] << 24 | (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

/* Segments up to the start of scan: APP1 (EXIF, XMP), APP13 (IPTC) and
 * COM are private; the others (JFIF, the colour profile, tables) are not. */
static bool jpeg_is_private(const unsigned char *d, size_t len)
{
    size_t i = 2;
    while (i + 4 <= len) {
        if (d[i] != 0xFF) return true; /* not a segment where one must be */
        unsigned marker = d[i + 1];
        if (marker == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (marker == 0xDA) return false; /* start of scan: the pixels follow */
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            i += 2;
            continue;
        }
        if (marker == 0xE1 || marker == 0xED || marker == 0xFE) return true;
        size_t seg = be16(d + i + 2);
        if (seg < 2) return true;
        i += 2 + seg;
    }
    return true; /* cut before its pixels: cannot be told */
}

static bool png_is_private(const unsigned char *d, size_t len)
{
    size_t i = 8;
    while (i + 8 <= len) {
        unsigned long n = be32(d + i);
        const unsigned char *type = d + i + 4;
        if (!memcmp(type, "eXIf", 4) || !memcmp(type, "tEXt", 4) || !memcmp(type, "iTXt", 4) ||
            !memcmp(type, "zTXt", 4))
            return true;
        if (!memcmp(type, "IEND", 4)) return false;
        if (n > len - i - 8 || len - i - 8 - n < 4) return true;
        i += 12 + n;
    }
    return true;
}

static bool webp_is_private(const unsigned char *d, size_t len)
{
    size_t i = 12;
    while (i + 8 <= len) {
        unsigned long n = le32(d + i + 4);
        if (!memcmp(d + i, "EXIF", 4) || !memcmp(d + i, "XMP ", 4)) return true;
        if (n > len - i - 8) return true;
        i += 8 + n + (n & 1);
    }
    return i != len; /* all chunks read to the end: nothing private */
}

bool metadata_is_private(const unsigned char *d, size_t len)
{
    if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return jpeg_is_private(d, len);
    if (len >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8)) return png_is_private(d, len);
    if (len >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4)) return webp_is_private(d, len);
    return false;
}

bool metadata_strip_jpeg(const unsigned char *d, size_t len, buf *out)
{
    if (len < 4 || d[0] != 0xFF || d[1] != 0xD8) return false;
    /* first see that the segments lead to the scan */
    size_t i = 2;
    for (;;) {
        if (i + 4 > len || d[i] != 0xFF) return false;
        unsigned marker = d[i + 1];
        if (marker == 0xDA) break;
        if (marker == 0xFF || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) return false;
        size_t seg = be16(d + i + 2);
        if (seg < 2 || seg > len - i - 2) return false;
        i += 2 + seg;
    }
    buf_add(out, (const char *)d, 2);
    for (i = 2; d[i + 1] != 0xDA;) {
        size_t seg = be16(d + i + 2);
        unsigned marker = d[i + 1];
        if (marker != 0xE1 && marker != 0xED && marker != 0xFE) buf_add(out, (const char *)d + i, 2 + seg);
        i += 2 + seg;
    }
    buf_add(out, (const char *)d + i, len - i); /* the scan and what follows, as they are */
    return true;
}

/* PNG: every chunk but eXIf and the text ones, CRCs untouched (each
 * covers its own chunk). */
static bool strip_png(const unsigned char *d, size_t len, buf *out)
{
    size_t i = 8;
    for (;;) { /* the chunks must lead to IEND */
        if (i + 12 > len) return false;
        unsigned long n = be32(d + i);
        if (n > len - i - 12) return false;
        if (!memcmp(d + i + 4, "IEND", 4)) break;
        i += 12 + n;
    }
    buf_add(out, (const char *)d, 8);
    for (i = 8; i < len;) {
        unsigned long n = be32(d + i);
        const unsigned char *type = d + i + 4;
        bool is_private = !memcmp(type, "eXIf", 4) || !memcmp(type, "tEXt", 4) || !memcmp(type, "iTXt", 4) ||
                          !memcmp(type, "zTXt", 4);
        if (!is_private) buf_add(out, (const char *)d + i, 12 + n);
        if (!memcmp(type, "IEND", 4)) break;
        i += 12 + n;
    }
    return true;
}

static void put_le32(buf *out, size_t at, unsigned long v)
{
    for (int k = 0; k < 4; k++) out->s[at + (size_t)k] = (char)((v >> (8 * k)) & 0xFF);
}

/* WebP: every chunk but EXIF and XMP, the RIFF size made right and the
 * extended header's flags for them cleared. */
static bool strip_webp(const unsigned char *d, size_t len, buf *out)
{
    size_t i = 12;
    while (i < len) { /* the chunks must fill the file */
        if (i + 8 > len) return false;
        unsigned long n = le32(d + i + 4);
        if (n > len - i - 8) return false;
        i += 8 + n + (n & 1);
    }
    if (i != len) return false;
    size_t start = out->len;
    buf_add(out, (const char *)d, 12);
    for (i = 12; i < len;) {
        unsigned long n = le32(d + i + 4);
        size_t whole = 8 + n + (n & 1);
        if (memcmp(d + i, "EXIF", 4) != 0 && memcmp(d + i, "XMP ", 4) != 0) {
            size_t at = out->len;
            buf_add(out, (const char *)d + i, whole);
            if (!memcmp(d + i, "VP8X", 4) && n >= 1) out->s[at + 8] = (char)(d[i + 8] & ~0x0C); /* EXIF, XMP flags */
        }
        i += whole;
    }
    put_le32(out, start + 4, (unsigned long)(out->len - start - 8));
    return true;
}

bool metadata_strip(const unsigned char *d, size_t len, buf *out)
{
    if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return metadata_strip_jpeg(d, len, out);
    if (len >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8)) return strip_png(d, len, out);
    if (len >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4)) return strip_webp(d, len, out);
    return false;
}
