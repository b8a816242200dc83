/* policy.c - the site's Content-Security-Policy (see policy.h). */
#include "build/policy.h"
#include "lib/html_tag.h"

#include <ctype.h>
#include <idn2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Past this many bytes of origins in one directive, the directive allows
 * any https: origin instead of listing them (a header has to stay short). */
#define MAX_LISTED_BYTES 2048

enum { KIND_IMG, KIND_FRAME, KIND_MEDIA, KINDS };

typedef struct origin_set {
    char **v;
    size_t n, cap, bytes;
    bool has_http; /* an http: origin among them */
} origin_set;

struct site_policy {
    pthread_mutex_t lock;
    origin_set kinds[KINDS];
    bool inline_style; /* some content has a style="..." or a <style> */
};

site_policy *policy_new(void)
{
    site_policy *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

void policy_free(site_policy *p)
{
    if (!p) return;
    for (int k = 0; k < KINDS; k++) {
        for (size_t i = 0; i < p->kinds[k].n; i++) free(p->kinds[k].v[i]);
        free(p->kinds[k].v);
    }
    pthread_mutex_destroy(&p->lock);
    free(p);
}

static bool is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

/* host[0..n) ("карта.қаз:8443", UTF-8) with its name in the ASCII form
 * browsers use (IDNA 2008, UTS #46 mapping: lower case), port kept. */
static bool idna_host(const char *host, size_t n, char *out, size_t cap)
{
    const char *colon = memchr(host, ':', n);
    size_t name_len = colon ? (size_t)(colon - host) : n;
    char name[256];
    if (name_len == 0 || name_len >= sizeof name) return false;
    memcpy(name, host, name_len);
    name[name_len] = 0;
    char *ascii = NULL;
    if (idn2_to_ascii_8z(name, &ascii, IDN2_NONTRANSITIONAL) != IDN2_OK) return false;
    int w = snprintf(out, cap, "%s%.*s", ascii, (int)(n - name_len), host + name_len);
    idn2_free(ascii);
    return w > 0 && (size_t)w < cap;
}

/* "https://maps.example.kz:8443" from a URL that names another site, in
 * lower case; false for the site's own URLs and anything that is not a
 * plain http(s) host (which the policy then does not allow). */
static bool origin_of(const char *url, size_t len, char *out, size_t cap)
{
    while (len && isspace((unsigned char)*url)) url++, len--;
    const char *scheme = "https";
    size_t skip;
    if (len > 8 && !strncasecmp(url, "https://", 8)) skip = 8;
    else if (len > 7 && !strncasecmp(url, "http://", 7)) scheme = "http", skip = 7;
    else if (len > 2 && !strncmp(url, "//", 2)) skip = 2;
    else return false;
    const char *host = url + skip;
    size_t hl = 0;
    while (skip + hl < len && host[hl] != '/' && host[hl] != '?' && host[hl] != '#') hl++;
    if (hl == 0 || hl + strlen(scheme) + 4 > cap) return false;
    char ascii[256];
    if (!is_ascii(host, hl)) { /* "карта.қаз": the browser matches it as "xn--80aa2azak.xn--80ao21a" */
        if (!idna_host(host, hl, ascii, sizeof ascii)) return false;
        host = ascii;
        hl = strlen(ascii);
        if (hl + strlen(scheme) + 4 > cap) return false;
    }
    bool has_port = false;
    for (size_t i = 0; i < hl; i++) {
        unsigned char ch = (unsigned char)host[i];
        if (ch == ':' && !has_port && i > 0) has_port = true;
        else if (has_port ? !isdigit(ch) : !(isalnum(ch) || ch == '.' || ch == '-')) return false;
    }
    if (host[hl - 1] == ':') return false;
    size_t n = (size_t)snprintf(out, cap, "%s://", scheme);
    for (size_t i = 0; i < hl; i++) out[n++] = (char)tolower((unsigned char)host[i]);
    out[n] = 0;
    return true;
}

static bool set_has(const origin_set *s, const char *o)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], o)) return true;
    return false;
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void set_add(origin_set *s, const char *o)
{
    if (set_has(s, o)) return;
    if (s->n == s->cap) s->v = xrealloc(s->v, (s->cap = s->cap ? 2 * s->cap : 4) * sizeof *s->v);
    s->v[s->n++] = xstrdup(o);
    s->bytes += strlen(o) + 1;
    s->has_http |= !strncmp(o, "http:", 5);
    qsort(s->v, s->n, sizeof *s->v, compare_str);
}

/* What a found URL is loaded as. */
typedef struct found {
    int kind;
    char origin[256];
} found;

typedef void (*found_fn)(void *ctx, const found *f);

static void report(found_fn fn, void *ctx, int kind, const char *url, size_t len)
{
    found f = {kind, ""};
    if (origin_of(url, len, f.origin, sizeof f.origin)) fn(ctx, &f);
}

/* What the tag whose name starts at p loads as, or -1: the embedding
 * tags, in any case. Most tags are told apart by their first letters. */
static int embed_kind(const char *p, size_t rest)
{
    static const struct {
        const char *tag;
        size_t len;
        int kind;
    } tags[] = {{"iframe", 6, KIND_FRAME}, {"img", 3, KIND_IMG},     {"source", 6, KIND_MEDIA},
                {"video", 5, KIND_MEDIA},  {"audio", 5, KIND_MEDIA}, {"track", 5, KIND_MEDIA}};
    if (!rest) return -1;
    switch (p[0] | 0x20) { /* ASCII letters to lower case; anything else fails below */
    case 'i': case 's': case 'v': case 'a': case 't': break;
    default: return -1;
    }
    for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
        size_t n = tags[k].len;
        if ((p[0] | 0x20) != tags[k].tag[0] || rest < n || (rest > n && isalnum((unsigned char)p[n]))) continue;
        size_t i = 0;
        while (i < n && tolower((unsigned char)p[i]) == tags[k].tag[i]) i++;
        if (i == n) return tags[k].kind;
    }
    return -1;
}

/* Every other origin an <iframe>, <img>, <picture>'s or a player's
 * <source>, <video>, <audio> or <track> in html loads from. */
static void each_embed(const char *html, size_t len, found_fn fn, void *ctx)
{
    for (size_t i = 0; i < len;) {
        const char *lt = memchr(html + i, '<', len - i);
        if (!lt) break;
        /* Only the embedding tags are read whole; the others (and "2 < 3",
         * text as browsers read it) are passed by. */
        size_t name_at = (size_t)(lt - html) + 1;
        int kind = embed_kind(html + name_at, len - name_at);
        if (kind < 0) {
            i = name_at;
            continue;
        }
        html_tag t;
        i = html_tag_read(html, len, (size_t)(lt - html), &t);
        for (size_t a = 0; a < t.nattrs; a++) {
            const html_attr *at = &t.attrs[a];
            if (!at->val) continue;
            if (html_name_is(at->name, at->name_len, "src")) report(fn, ctx, kind, at->val, at->val_len);
            else if (html_name_is(at->name, at->name_len, "poster")) report(fn, ctx, KIND_IMG, at->val, at->val_len);
            else if (html_name_is(at->name, at->name_len, "srcset")) { /* "url 480w, url 960w": pictures */
                const char *val = at->val;
                size_t vl = at->val_len;
                for (size_t k = 0; k < vl;) {
                    while (k < vl && (isspace((unsigned char)val[k]) || val[k] == ',')) k++;
                    size_t u = k;
                    while (k < vl && !isspace((unsigned char)val[k]) && val[k] != ',') k++;
                    if (k > u) report(fn, ctx, KIND_IMG, val + u, k - u);
                    while (k < vl && val[k] != ',') k++;
                }
            }
        }
    }
}

/* Where a search through html stands: whether the text before pos is
 * inside a tag (after a '<' with no '>' since), and the '"' seen since. */
typedef struct tag_state {
    const char *pos;
    bool in_tag;
    unsigned quotes;
} tag_state;

static void advance(tag_state *st, const char *to)
{
    for (; st->pos < to; st->pos++) {
        char c = *st->pos;
        if (c == '<') st->in_tag = true, st->quotes = 0;
        else if (c == '>') st->in_tag = false;
        else if (c == '"') st->quotes++;
    }
}

/* Whether the "style" at p (within html, after st->pos) is a <style>
 * element or a style attribute of a tag, not text or a quoted value. */
static bool is_style_markup(const char *html, const char *end, const char *p, tag_state *st)
{
    if (p == html) return false;
    const char *q = p + 5;
    if (p[-1] == '<') return q == end || isspace((unsigned char)*q) || *q == '>' || *q == '/';
    if (!isspace((unsigned char)p[-1])) return false;
    while (q < end && isspace((unsigned char)*q)) q++;
    if (q == end || *q != '=') return false;
    advance(st, p); /* forward from the last such "style": the whole search reads html once */
    return st->in_tag && st->quotes % 2 == 0;
}

/* Whether html styles something itself: a style="..." attribute (text
 * pasted from a word processor is full of them) or a <style> element.
 * The browser applies neither under style-src 'self'. The search goes
 * by the letter 'y', which Kazakh and Russian text does not have. */
static bool has_inline_style(const char *html, size_t len)
{
    const char *end = html + len;
    for (int upper = 0; upper < 2; upper++) {
        tag_state st = {html, false, 0};
        for (const char *y = html; (y = memchr(y, upper ? 'Y' : 'y', (size_t)(end - y))); y++)
            if (y - html >= 2 && end - y >= 3 && (y[-1] | 0x20) == 't' && (y[-2] | 0x20) == 's' &&
                !strncasecmp(y - 2, "style", 5) && is_style_markup(html, end, y - 2, &st))
                return true;
    }
    return false;
}

static void add_found(void *ctx, const found *f)
{
    site_policy *p = ctx;
    set_add(&p->kinds[f->kind], f->origin);
}

/* A page with nothing at all to read. */
static bool may_embed(const char *html, size_t len)
{
    return html && len;
}

/* What one page embeds, gathered before the policy is locked. */
typedef struct found_list {
    found *v;
    size_t n, cap;
} found_list;

static void collect_found(void *ctx, const found *f)
{
    found_list *l = ctx;
    if (l->n == l->cap) l->v = xrealloc(l->v, (l->cap = l->cap ? 2 * l->cap : 4) * sizeof *l->v);
    l->v[l->n++] = *f;
}

void policy_scan(site_policy *p, const char *html, size_t len)
{
    if (!may_embed(html, len)) return;
    found_list l = {0};
    each_embed(html, len, collect_found, &l);
    bool styled = has_inline_style(html, len);
    if (!l.n && !styled) return;
    pthread_mutex_lock(&p->lock);
    for (size_t i = 0; i < l.n; i++) add_found(p, &l.v[i]);
    p->inline_style |= styled;
    pthread_mutex_unlock(&p->lock);
    free(l.v);
}

typedef struct allows_ctx {
    site_policy *p;
    bool all;
} allows_ctx;

static void check_found(void *ctx, const found *f)
{
    allows_ctx *a = ctx;
    const origin_set *s = &a->p->kinds[f->kind];
    bool is_http = !strncmp(f->origin, "http:", 5);
    a->all &= s->bytes > MAX_LISTED_BYTES ? !is_http || s->has_http : set_has(s, f->origin);
}

bool policy_allows(site_policy *p, const char *html, size_t len)
{
    allows_ctx a = {p, true};
    if (!may_embed(html, len)) return true;
    bool styled = has_inline_style(html, len);
    pthread_mutex_lock(&p->lock);
    each_embed(html, len, check_found, &a);
    a.all &= !styled || p->inline_style;
    pthread_mutex_unlock(&p->lock);
    return a.all;
}

size_t policy_origins(site_policy *p)
{
    pthread_mutex_lock(&p->lock);
    size_t n = 0;
    for (int k = 0; k < KINDS; k++) n += p->kinds[k].n;
    pthread_mutex_unlock(&p->lock);
    return n;
}

static void add_directive(buf *out, const char *name, const char *base, const origin_set *s)
{
    buf_puts(out, name);
    buf_puts(out, base);
    if (s->bytes > MAX_LISTED_BYTES) {
        buf_puts(out, s->has_http ? " https: http:" : " https:");
    } else {
        for (size_t i = 0; i < s->n; i++) {
            buf_putc(out, ' ');
            buf_puts(out, s->v[i]);
        }
    }
    buf_puts(out, "; ");
}

void policy_csp(site_policy *p, buf *out)
{
    pthread_mutex_lock(&p->lock);
    const origin_set *k = p->kinds;
    if (!k[KIND_IMG].n && !k[KIND_FRAME].n && !k[KIND_MEDIA].n && !p->inline_style) {
        buf_puts(out, POLICY_DEFAULT_CSP);
    } else {
        buf_puts(out, "default-src 'self'; ");
        add_directive(out, "img-src", " 'self' data:", &k[KIND_IMG]);
        /* Styles the editors wrote are shown; scripts stay the site's own. */
        buf_puts(out, p->inline_style ? "style-src 'self' 'unsafe-inline'; " : "style-src 'self'; ");
        buf_puts(out, "script-src 'self'; ");
        if (k[KIND_FRAME].n) add_directive(out, "frame-src", " 'self'", &k[KIND_FRAME]);
        if (k[KIND_MEDIA].n) add_directive(out, "media-src", " 'self'", &k[KIND_MEDIA]);
        buf_puts(out, "frame-ancestors 'self'; base-uri 'self'; form-action 'self'");
    }
    pthread_mutex_unlock(&p->lock);
}

void policy_headers_file(site_policy *p, buf *out)
{
    buf_puts(out, "# Security headers for hosts that read this file (Netlify, Cloudflare Pages);\n"
                  "# folio serve sends the same. Written by folio build.\n"
                  "/*\n  " POLICY_CSP_HEADER ": ");
    policy_csp(p, out);
    buf_puts(out, "\n  X-Content-Type-Options: nosniff\n"
                  "  Referrer-Policy: strict-origin-when-cross-origin\n"
                  "  X-Frame-Options: SAMEORIGIN\n"
                  /* The theme's files carry their content's hash in their
                   * names: a new version is a new URL. Media keep theirs
                   * (an editor may replace photo.jpg): a day, as folio
                   * serve gives them. Hosts add these to the rule above. */
                  "/theme/*\n  Cache-Control: public, max-age=31536000, immutable\n"
                  "/media/*\n  Cache-Control: public, max-age=86400\n");
}
