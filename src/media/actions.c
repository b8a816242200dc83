/* actions.c - parses Grav image actions from a Markdown image URL's query
 * string (see actions.h). Numbers are checked and clamped so an author's
 * typo can never ask libvips for a gigapixel canvas. */
#include "media/actions.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/url.h"

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static char *percent_decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    url_percent_decode(out, s, n);
    return out;
}

/* A side length: digits only, 1..IMAGE_MAX_SIDE; empty means "not given". */
static int parse_side(const char *s, size_t n, int *out)
{
    *out = 0;
    if (n == 0) return 0;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
        if (v > 1000000) return -1;
    }
    if (v < 1) return -1;
    *out = v > IMAGE_MAX_SIDE ? IMAGE_MAX_SIDE : (int)v;
    return 0;
}

/* "w,h[,0xRRGGBB]" into the box (and background when bg is not NULL). */
static int parse_box(const char *v, size_t n, int *w, int *h, long *bg)
{
    const char *c1 = memchr(v, ',', n);
    size_t wlen = c1 ? (size_t)(c1 - v) : n;
    if (parse_side(v, wlen, w) != 0) return -1;
    *h = 0;
    if (!c1) return *w > 0 ? 0 : -1;
    const char *hs = c1 + 1;
    size_t rest = n - wlen - 1;
    const char *c2 = memchr(hs, ',', rest);
    size_t hlen = c2 ? (size_t)(c2 - hs) : rest;
    if (parse_side(hs, hlen, h) != 0) return -1;
    if (*w == 0 && *h == 0) return -1;
    if (c2) {
        const char *bs = c2 + 1;
        size_t blen = rest - hlen - 1;
        if (!bg) return -1;
        if (blen > 2 && bs[0] == '0' && (bs[1] == 'x' || bs[1] == 'X')) bs += 2, blen -= 2;
        else if (blen > 1 && bs[0] == '#') bs++, blen--;
        if (blen != 6) return -1;
        long colour = 0;
        for (size_t i = 0; i < blen; i++) {
            int dgt = hex_digit(bs[i]);
            if (dgt < 0) return -1;
            colour = colour * 16 + dgt;
        }
        *bg = colour;
    }
    return 0;
}

static bool name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && strncmp(name, want, n) == 0;
}

/* "a,b c" -> "a b c": Grav separates classes by commas. */
static char *classes_from(const char *v, size_t n)
{
    char *raw = percent_decode(v, n);
    buf b = BUF_INIT;
    for (char *tok = strtok(raw, ", "); tok; tok = strtok(NULL, ", ")) {
        if (b.len) buf_putc(&b, ' ');
        buf_puts(&b, tok);
    }
    free(raw);
    return b.len ? buf_detach(&b, NULL) : NULL;
}

static void parse_one(const char *name, size_t nlen, const char *val, size_t vlen, bool has_value, image_actions *a,
                      diag_list *d, const char *where, int line)
{
    static const struct {
        const char *name;
        image_fit fit;
        bool needs_both;
    } fits[] = {
        {"resize", IMAGE_FIT_PAD, false},        {"cropResize", IMAGE_FIT_INSIDE, false},
        {"cropZoom", IMAGE_FIT_COVER, true},     {"zoomCrop", IMAGE_FIT_COVER, true},
        {"forceResize", IMAGE_FIT_STRETCH, false},
    };
    for (size_t i = 0; i < sizeof fits / sizeof fits[0]; i++) {
        if (!name_is(name, nlen, fits[i].name)) continue;
        int w, h;
        long bg = -1;
        if (parse_box(val, vlen, &w, &h, fits[i].fit == IMAGE_FIT_PAD ? &bg : NULL) != 0 ||
            (fits[i].needs_both && (w == 0 || h == 0))) {
            if (d)
                diag_add(d, DIAG_WARNING, where, line, 0, "image action %s needs %s, got \"%.*s\"", fits[i].name,
                         fits[i].needs_both ? "width,height" : "width,height (one may be empty)", (int)vlen, val);
            return;
        }
        a->fit = fits[i].fit;
        a->width = w;
        a->height = h;
        a->background = bg;
        return;
    }
    if (name_is(name, nlen, "quality")) {
        int q;
        if (parse_side(val, vlen, &q) != 0 || q < 1 || q > 100) {
            if (d)
                diag_add(d, DIAG_WARNING, where, line, 0, "image quality must be 1..100, got \"%.*s\"", (int)vlen,
                         val);
            return;
        }
        a->quality = q;
    } else if (name_is(name, nlen, "classes")) {
        free(a->classes);
        a->classes = classes_from(val, vlen);
    } else if (name_is(name, nlen, "id")) {
        free(a->id);
        a->id = vlen ? percent_decode(val, vlen) : NULL;
    } else if (name_is(name, nlen, "lightbox")) {
        a->has_lightbox = true;
        a->lightbox_width = a->lightbox_height = 0;
        if (has_value && vlen && parse_box(val, vlen, &a->lightbox_width, &a->lightbox_height, NULL) != 0) {
            a->lightbox_width = a->lightbox_height = 0;
            if (d)
                diag_add(d, DIAG_WARNING, where, line, 0, "lightbox size must be width,height, got \"%.*s\"",
                         (int)vlen, val);
        }
    } else if (name_is(name, nlen, "loading")) {
        if (name_is(val, vlen, "eager")) a->is_eager = true;
        else if (name_is(val, vlen, "lazy") || name_is(val, vlen, "auto")) a->is_eager = false;
        else if (d)
            diag_add(d, DIAG_WARNING, where, line, 0, "image loading must be lazy or eager, got \"%.*s\"", (int)vlen,
                     val);
    } else if (d) {
        diag_add(d, DIAG_WARNING, where, line, 0, "image action \"%.*s\" is not supported, ignored", (int)nlen, name);
    }
}

void image_actions_parse(const char *url, char **path, image_actions *a, diag_list *d, const char *where, int line)
{
    memset(a, 0, sizeof *a);
    a->background = -1;
    const char *q = strchr(url, '?');
    size_t plen = q ? (size_t)(q - url) : strlen(url);
    const char *hash = memchr(url, '#', plen);
    if (hash) plen = (size_t)(hash - url);
    if (path) *path = percent_decode(url, plen);
    if (!q) return;
    const char *p = q + 1;
    while (*p && *p != '#') {
        const char *end = p;
        while (*end && *end != '&' && *end != '#') end++;
        const char *eq = memchr(p, '=', (size_t)(end - p));
        size_t nlen = eq ? (size_t)(eq - p) : (size_t)(end - p);
        const char *val = eq ? eq + 1 : end;
        if (nlen) parse_one(p, nlen, val, (size_t)(end - val), eq != NULL, a, d, where, line);
        p = end;
        if (*p == '&') {
            p++;
            if (strncmp(p, "amp;", 4) == 0) p += 4;
        }
    }
}

void image_actions_free(image_actions *a)
{
    free(a->classes);
    free(a->id);
    a->classes = a->id = NULL;
}
