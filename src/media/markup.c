/* markup.c - responsive <img>/<picture> markup for a photo (see markup.h).
 *
 * The "full" variant is what the author asked for (a Grav action) or, for
 * a plain photo, the photo at most 1600 px wide. Narrower copies of it at
 * the standard widths make up the srcset; each keeps the full variant's
 * framing (a cropZoom header stays the same crop, only smaller). */
#include "media/markup.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/url.h"
#include "lib/strmap.h"

static const int standard_widths[] = {480, 960, 1600};
#define LARGEST_WIDTH 1600
#define NSTANDARD (sizeof standard_widths / sizeof standard_widths[0])
/* The <img src> for browsers without srcset: about a laptop column wide. */
#define FALLBACK_WIDTH 960

typedef struct variant {
    image_spec spec;
    int width, height;
    char *name; /* the file's name */
    char *url;  /* its URL, escaped for an attribute */
} variant;

#define MAX_VARIANTS (2 * (NSTANDARD + 1) + 1)

/* The variants of one photo for one request shape, once made, and how
 * write_html() lays them out. */
typedef struct plan {
    variant v[MAX_VARIANTS]; /* names owned by the plan */
    size_t n;
    size_t nwidths, large;
    bool has_webp;
} plan;

/* A plan one thread is making: the others that need it wait for it (the
 * versions of a post in its languages are rendered side by side, and
 * would otherwise each look up the same variants on disk). */
typedef struct making {
    const char *key;
    struct making *next;
} making;

struct image_markup_memo {
    pthread_mutex_t lock;
    pthread_cond_t made;
    strmap plans;   /* key (malloc'd) -> plan */
    making *making; /* guarded by lock */
};

image_markup_memo *image_markup_memo_new(void)
{
    image_markup_memo *m = xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->made, NULL);
    return m;
}

void image_markup_memo_free(image_markup_memo *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->plans.cap; i++) {
        plan *p = m->plans.slots[i].val;
        if (!p) continue;
        for (size_t k = 0; k < p->n; k++) {
            free(p->v[k].name);
            free(p->v[k].url);
        }
        free(p);
        free((char *)m->plans.slots[i].key);
    }
    strmap_free(&m->plans);
    pthread_cond_destroy(&m->made);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static bool is_being_made(const image_markup_memo *m, const char *key)
{
    for (const making *k = m->making; k; k = k->next)
        if (strcmp(k->key, key) == 0) return true;
    return false;
}

/* The plan mine was making is done: p, or NULL when it failed. The key
 * goes to the memo with the plan. Waiters wake either way. */
static void memo_done(image_markup_memo *m, making *mine, buf *key, plan *p)
{
    pthread_mutex_lock(&m->lock);
    for (making **k = &m->making; *k; k = &(*k)->next) {
        if (*k == mine) {
            *k = mine->next;
            break;
        }
    }
    if (p && !strmap_get(&m->plans, key->s)) {
        strmap_put(&m->plans, buf_detach(key, NULL), p);
        p = NULL;
    }
    pthread_cond_broadcast(&m->made);
    pthread_mutex_unlock(&m->lock);
    if (p) {
        for (size_t i = 0; i < p->n; i++) {
            free(p->v[i].name);
            free(p->v[i].url);
        }
        free(p);
    }
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Everything the variants depend on: the photo's bytes (hash), where
 * they are published (the folder: the same photo in two posts' folders
 * is published in each) and under what name (the file's), and the
 * request's shape. Worked out from the request alone, so that a photo
 * shown again costs a lookup, not a plan. */
static void plan_key(buf *k, const image_source *src, const image_markup_request *r)
{
    const image_actions *a = r->actions;
    buf_puts(k, src->hash);
    buf_putc(k, ' ');
    buf_puts(k, r->base_url ? r->base_url : "");
    buf_putc(k, ' ');
    buf_puts(k, base_name(r->source_path));
    long fields[] = {r->want_webp,
                     a ? a->fit : IMAGE_FIT_NONE,
                     a ? a->width : 0,
                     a ? a->height : 0,
                     a ? a->quality : 0,
                     a ? a->background : -1,
                     a && a->has_lightbox,
                     a ? a->lightbox_width : 0,
                     a ? a->lightbox_height : 0};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        buf_putc(k, f ? ',' : ';');
        buf_put_long(k, fields[f]);
    }
}

/* URLs carry names percent-encoded: photos are named by people. What the
 * encoding makes of a name needs no HTML escaping. */
static void add_url(buf *b, const char *base, const char *name)
{
    if (base) buf_add_html(b, base, strlen(base));
    url_encode_component(b, name, strlen(name));
}

/* Attributes every form of the <img> shares. */
static void add_common_attrs(buf *b, const image_markup_request *r)
{
    const image_actions *a = r->actions;
    buf_add_attr(b, "alt", r->alt ? r->alt : "");
    if (r->title && *r->title) buf_add_attr(b, "title", r->title);
    if (a && a->classes) buf_add_attr(b, "class", a->classes);
    if (a && a->id) buf_add_attr(b, "id", a->id);
    if (r->is_above_fold || (a && a->is_eager)) buf_puts(b, " fetchpriority=\"high\"");
    else buf_puts(b, " loading=\"lazy\" decoding=\"async\"");
}

static char *original_markup(const image_markup_request *r, const image_meta *meta)
{
    buf b = BUF_INIT;
    buf_puts(&b, "<img src=\"");
    add_url(&b, r->base_url, base_name(r->source_path));
    buf_putc(&b, '"');
    if (meta && meta->width > 0) buf_printf(&b, " width=\"%d\" height=\"%d\"", meta->width, meta->height);
    add_common_attrs(&b, r);
    buf_putc(&b, '>');
    return buf_detach(&b, NULL);
}

/* The same geometry as full, at width w (w < full's width). */
static image_spec narrower(const image_spec *full, int full_w, int full_h, int w)
{
    image_spec s = *full;
    if (full->fit == IMAGE_FIT_INSIDE || full->fit == IMAGE_FIT_NONE) {
        s.fit = IMAGE_FIT_INSIDE;
        s.width = w;
        s.height = 0;
    } else {
        s.width = w;
        s.height = (int)(((long)full_h * w + full_w / 2) / full_w);
        if (s.height < 1) s.height = 1;
    }
    return s;
}

static void variant_name(variant *v, const char *stem, const image_source *src, const char *base_url)
{
    char id[11];
    image_cache_variant_id(src->hash, &v->spec, id);
    buf b = BUF_INIT;
    buf_puts(&b, stem);
    buf_putc(&b, '-');
    buf_put_long(&b, v->width);
    buf_putc(&b, 'x');
    buf_put_long(&b, v->height);
    buf_putc(&b, '-');
    buf_puts(&b, id);
    buf_putc(&b, '.');
    buf_puts(&b, image_format_ext(v->spec.format));
    v->name = buf_detach(&b, NULL);
    add_url(&b, base_url, v->name);
    v->url = buf_detach(&b, NULL);
}

static void add_srcset(buf *b, const image_markup_request *r, const variant *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) buf_puts(b, ", ");
        buf_puts(b, v[i].url);
        buf_putc(b, ' ');
        buf_put_long(b, v[i].width);
        buf_putc(b, 'w');
    }
}

static void add_sizes(buf *b, const image_markup_request *r, int width)
{
    if (r->sizes) buf_add_attr(b, "sizes", r->sizes);
    else buf_printf(b, " sizes=\"(max-width: %dpx) 100vw, %dpx\"", width, width);
}

/* Of n widths, narrowest first, the one for browsers that take a single
 * file: the first at least FALLBACK_WIDTH wide, else the widest. */
static size_t fallback_index(const variant *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].width >= FALLBACK_WIDTH) return i;
    return n - 1;
}

/* The HTML for variants v: nwidths widths in the original format, or
 * with WebP only the fallback among them; then the WebP widths when
 * has_webp; then the lightbox's large one at index large when asked for. */
static int write_html(const image_markup_request *r, const variant *v, size_t nwidths, size_t large, bool has_webp,
                      image_markup *out)
{
    const image_actions *a = r->actions;
    size_t norig = has_webp ? 1 : nwidths;
    size_t fallback = has_webp ? 0 : fallback_index(v, nwidths);
    const variant *main = &v[norig + (has_webp ? nwidths : 0) - 1];
    out->width = main->width;
    out->height = main->height;

    buf b = BUF_INIT;
    if (a && a->has_lightbox) {
        buf_puts(&b, "<a href=\"");
        buf_puts(&b, v[large].url);
        buf_puts(&b, "\" rel=\"lightbox\">");
    }
    if (has_webp) {
        buf_puts(&b, "<picture><source type=\"image/webp\" srcset=\"");
        add_srcset(&b, r, v + norig, nwidths);
        buf_putc(&b, '"');
        if (nwidths > 1) add_sizes(&b, r, main->width);
        buf_putc(&b, '>');
    }
    buf_puts(&b, "<img src=\"");
    buf_puts(&b, v[fallback].url);
    buf_putc(&b, '"');
    if (norig > 1) {
        buf_puts(&b, " srcset=\"");
        add_srcset(&b, r, v, norig);
        buf_putc(&b, '"');
        add_sizes(&b, r, main->width);
    }
    buf_puts(&b, " width=\"");
    buf_put_long(&b, main->width);
    buf_puts(&b, "\" height=\"");
    buf_put_long(&b, main->height);
    buf_putc(&b, '"');
    add_common_attrs(&b, r);
    buf_putc(&b, '>');
    if (has_webp) buf_puts(&b, "</picture>");
    if (a && a->has_lightbox) buf_puts(&b, "</a>");
    out->html = buf_detach(&b, NULL);
    out->src = xstrdup(v[fallback].url);
    return 0;
}

/* Wait for, or claim, the plan of key in the memo: the plan when another
 * request made it, else NULL with mine on the list of plans being made. */
static const plan *memo_find(image_markup_memo *m, const char *key, making *mine)
{
    const plan *known;
    pthread_mutex_lock(&m->lock);
    while (!(known = strmap_get(&m->plans, key)) && is_being_made(m, key)) pthread_cond_wait(&m->made, &m->lock);
    if (!known) { /* ours to make (again, if another's attempt failed) */
        mine->key = key;
        mine->next = m->making;
        m->making = mine;
    }
    pthread_mutex_unlock(&m->lock);
    return known;
}

int image_markup_make(image_cache *c, const image_markup_request *r, image_markup *out, diag_list *d)
{
    memset(out, 0, sizeof *out);
    image_source src;
    if (r->source) src = *r->source;
    else if (image_cache_source(c, r->source_path, &src, d) != 0) {
        out->html = original_markup(r, NULL);
        return -1;
    }
    if (src.meta.format == IMAGE_FORMAT_GIF) { /* published as is: resizing would stop an animation */
        out->html = original_markup(r, &src.meta);
        out->width = src.meta.width;
        out->height = src.meta.height;
        return 0;
    }

    /* The same photo in the same shape again (the page in another
     * language, the post in the news list): its variants were made and
     * handed out already; only the HTML is new. */
    buf key = BUF_INIT;
    making mine = {0};
    if (r->memo) {
        plan_key(&key, &src, r);
        const plan *known = memo_find(r->memo, key.s, &mine);
        if (known) {
            buf_free(&key);
            return write_html(r, known->v, known->nwidths, known->large, known->has_webp, out);
        }
    }

    const image_actions *a = r->actions;
    image_format format = image_web_format(src.meta.format);
    image_spec full = {.fit = IMAGE_FIT_INSIDE, .width = LARGEST_WIDTH, .format = format, .background = -1};
    if (a && a->fit != IMAGE_FIT_NONE) {
        full.fit = a->fit;
        full.width = a->width;
        full.height = a->height;
        full.background = a->background;
    }
    if (a) full.quality = a->quality;
    int full_w, full_h;
    image_variant_size(&full, src.meta.width, src.meta.height, &full_w, &full_h);

    /* Widths, narrowest first, in the original format. With WebP, which
     * every browser of the last years shows, they are made in WebP, and
     * the original format keeps one of them, about a laptop column wide,
     * for the few browsers that cannot: a phone's screen is narrower, a
     * desktop one gets it a little soft, and nobody gets a broken image. */
    variant v[MAX_VARIANTS];
    size_t nwidths = 0;
    for (size_t i = 0; i < NSTANDARD; i++) {
        if (standard_widths[i] >= full_w) break;
        v[nwidths++].spec = narrower(&full, full_w, full_h, standard_widths[i]);
    }
    v[nwidths++].spec = full;
    for (size_t i = 0; i < nwidths; i++)
        image_variant_size(&v[i].spec, src.meta.width, src.meta.height, &v[i].width, &v[i].height);
    bool has_webp = r->want_webp && src.meta.format != IMAGE_FORMAT_WEBP;
    size_t n = nwidths;
    if (has_webp) {
        variant webp[NSTANDARD + 1];
        memcpy(webp, v, nwidths * sizeof *v);
        v[0] = v[fallback_index(v, nwidths)];
        n = 1;
        for (size_t i = 0; i < nwidths; i++) {
            v[n] = webp[i];
            v[n++].spec.format = IMAGE_FORMAT_WEBP;
        }
    }
    size_t large = n;
    if (a && a->has_lightbox) {
        image_spec big = {.fit = IMAGE_FIT_INSIDE, .width = a->lightbox_width, .height = a->lightbox_height,
                          .quality = a->quality, .format = format, .background = -1};
        if (!big.width && !big.height) big.width = LARGEST_WIDTH;
        v[n++].spec = big;
    }

    image_job jobs[sizeof v / sizeof v[0]];
    for (size_t i = 0; i < n; i++) {
        jobs[i] = (image_job){.source_path = r->source_path, .spec = v[i].spec, .source = &src};
        image_variant_size(&v[i].spec, src.meta.width, src.meta.height, &v[i].width, &v[i].height);
    }
    if (image_cache_produce(c, jobs, n, d) != 0) {
        for (size_t i = 0; i < n; i++) free(jobs[i].cache_path);
        if (r->memo) memo_done(r->memo, &mine, NULL, NULL);
        buf_free(&key);
        out->html = original_markup(r, &src.meta);
        return -1;
    }

    const char *file = base_name(r->source_path);
    const char *dot = strrchr(file, '.');
    char *stem = xstrndup(file, dot && dot != file ? (size_t)(dot - file) : strlen(file));
    out->files = xcalloc(n, sizeof *out->files);
    for (size_t i = 0; i < n; i++) {
        variant_name(&v[i], stem, &src, r->base_url);
        bool is_duplicate = false; /* the lightbox may be one of the widths */
        for (size_t j = 0; j < out->nfiles; j++) is_duplicate |= strcmp(out->files[j].name, v[i].name) == 0;
        if (is_duplicate) {
            free(jobs[i].cache_path);
            continue;
        }
        out->files[out->nfiles].name = xstrdup(v[i].name);
        out->files[out->nfiles++].cache_path = jobs[i].cache_path;
    }
    free(stem);

    if (r->memo) {
        plan *p = xcalloc(1, sizeof *p);
        p->n = n;
        p->nwidths = nwidths;
        p->large = large;
        p->has_webp = has_webp;
        for (size_t i = 0; i < n; i++) {
            p->v[i] = v[i];
            p->v[i].name = xstrdup(v[i].name);
            p->v[i].url = xstrdup(v[i].url);
        }
        memo_done(r->memo, &mine, &key, p);
    }
    buf_free(&key);
    int rc = write_html(r, v, nwidths, large, has_webp, out);
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].url);
    }
    return rc;
}

void image_markup_free(image_markup *m)
{
    free(m->html);
    free(m->src);
    for (size_t i = 0; i < m->nfiles; i++) {
        free(m->files[i].name);
        free(m->files[i].cache_path);
    }
    free(m->files);
    memset(m, 0, sizeof *m);
}
