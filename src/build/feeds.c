/* feeds.c - RSS 2.0, Atom, sitemap.xml and robots.txt (see feeds.h). */
#include "build/feeds.h"
#include "lib/utf8.h"
#include "lib/url.h"
#include "build/seo.h"
#include "lib/date.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool feeds_is_list(const page_version *pv)
{
    value *c = map_get(pv->header, "content");
    return c && c->kind == V_MAP && map_get(c, "items") && !pv->is_modular; /* sections are no news */
}

const char *feeds_rss_url(const page_version *list, arena *a) { return arena_printf(a, "%sfeed.rss", list->url); }
const char *feeds_atom_url(const page_version *list, arena *a) { return arena_printf(a, "%sfeed.atom", list->url); }

static bool is_published(const page_version *pv) { return pv && pv->published && pv->routable && !pv->has_error; }

/* Text escaped for XML. XML 1.0 has no control characters but tab, line
 * feed and carriage return, and a feed reader refuses a whole feed over
 * one byte that is not UTF-8: one post's slip (a "\\v" in YAML, a line
 * pasted in another code page) would hide every post of the list. So each
 * control character is written as a space, and each byte that begins no
 * UTF-8 character as U+FFFD, as a browser shows it in the page. */
static void xml_text_n(buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t ok = i + utf8_check(s + i, len - i), run = i;
        for (size_t k = i; k < ok; k++) {
            unsigned char c = (unsigned char)s[k];
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') continue;
            buf_add_html(out, s + run, k - run);
            buf_putc(out, ' ');
            run = k + 1;
        }
        buf_add_html(out, s + run, ok - run);
        if (ok == len) break;
        buf_put_utf8(out, 0xFFFD);
        i = ok + 1;
    }
}

static void xml_text(buf *out, const char *s) { xml_text_n(out, s ? s : "", s ? strlen(s) : 0); }

/* A URL for a feed or the sitemap: a page's address may hold letters of
 * its slug (/ru/news/новости/), which these files carry percent-encoded
 * as RFC 3986 URIs (search engines ask for that in sitemaps). */
static void xml_url(buf *out, const char *s)
{
    buf u = BUF_INIT;
    url_encode_unsafe(&u, s ? s : "", s ? strlen(s) : 0);
    buf_add_html(out, buf_cstr(&u), u.len);
    buf_free(&u);
}

static void xml_date(buf *out, const char *fmt, long long t) { date_format(out, fmt, t, NULL); }

static int newest_first(const void *a, const void *b)
{
    const page_version *x = *(page_version *const *)a, *y = *(page_version *const *)b;
    return x->date < y->date ? 1 : x->date > y->date ? -1 : strcmp(x->url, y->url);
}

static const char *mime_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    if (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg")) return "image/jpeg";
    if (!strcasecmp(dot, ".png")) return "image/png";
    if (!strcasecmp(dot, ".webp")) return "image/webp";
    if (!strcasecmp(dot, ".gif")) return "image/gif";
    return "application/octet-stream";
}

/* The summary as absolute-linked HTML, escaped for an XML text node. */
static void summary_xml(buf *out, const page_version *pv, const char *base)
{
    const char *h = pv->summary_html ? pv->summary_html : "";
    buf abs = BUF_INIT;
    seo_absolute_links(h, strlen(h), base, &abs);
    xml_text_n(out, abs.s ? abs.s : "", abs.len);
    buf_free(&abs);
}

static void put(output *out, const char *path, const buf *b, diag_list *d, size_t *count)
{
    if (output_put(out, path, b->s ? b->s : "", b->len, 0) < 0)
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
    else (*count)++;
}

static void write_feeds(const site *s, const page_version *list, const char *base, output *out, diag_list *d,
                        size_t *count)
{
    arena a = ARENA_INIT;
    size_t n = list->nitems;
    page_version **items = xmalloc((n + 1) * sizeof *items);
    memcpy(items, list->items, n * sizeof *items);
    qsort(items, n, sizeof *items, newest_first);
    if (n > FEED_ITEMS) n = FEED_ITEMS;
    const char *lang = s->langs[list->lang];
    const char *name = site_title(s, list->lang);
    const char *title = arena_printf(&a, "%s: %s", name, list->title);
    const char *desc = site_config_str(s, list->lang, "metadata.description", name);
    const char *link = arena_printf(&a, "%s%s", base, list->url);
    const char *rss_url = arena_printf(&a, "%s%s", base, feeds_rss_url(list, &a));
    const char *atom_url = arena_printf(&a, "%s%s", base, feeds_atom_url(list, &a));
    long long updated = n ? items[0]->date : list->date;

    buf rss = BUF_INIT;
    buf_puts(&rss, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" "
                   "xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:media=\"http://search.yahoo.com/mrss/\">\n"
                   "<channel>\n<title>");
    xml_text(&rss, title);
    buf_puts(&rss, "</title>\n<link>");
    xml_url(&rss, link);
    buf_puts(&rss, "</link>\n<description>");
    xml_text(&rss, desc);
    buf_printf(&rss, "</description>\n<language>%s</language>\n<lastBuildDate>", lang);
    xml_date(&rss, "r", updated);
    buf_puts(&rss, "</lastBuildDate>\n<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"");
    xml_url(&rss, rss_url);
    buf_puts(&rss, "\"/>\n");

    buf atom = BUF_INIT;
    buf_printf(&atom, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
                      "xml:lang=\"%s\">\n<title>", lang);
    xml_text(&atom, title);
    buf_puts(&atom, "</title>\n<subtitle>");
    xml_text(&atom, desc);
    buf_puts(&atom, "</subtitle>\n<id>");
    xml_url(&atom, link);
    buf_puts(&atom, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    xml_url(&atom, link);
    buf_puts(&atom, "\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
    xml_url(&atom, atom_url);
    buf_puts(&atom, "\"/>\n<updated>");
    xml_date(&atom, "c", updated);
    buf_puts(&atom, "</updated>\n<author><name>");
    xml_text(&atom, site_config_str(s, list->lang, "author.name", name));
    buf_puts(&atom, "</name></author>\n");

    for (size_t i = 0; i < n; i++) {
        const page_version *pv = items[i];
        const char *url = arena_printf(&a, "%s%s", base, pv->url);
        const media_file *img = seo_lead_image(pv);
        const char *img_url = img ? arena_printf(&a, "%s%s", base, img->url) : NULL;

        buf_puts(&rss, "<item>\n<title>");
        xml_text(&rss, pv->title);
        buf_puts(&rss, "</title>\n<link>");
        xml_url(&rss, url);
        buf_puts(&rss, "</link>\n<guid isPermaLink=\"true\">");
        xml_url(&rss, url);
        buf_puts(&rss, "</guid>\n<pubDate>");
        xml_date(&rss, "r", pv->date);
        buf_puts(&rss, "</pubDate>\n<description>");
        summary_xml(&rss, pv, base);
        buf_puts(&rss, "</description>\n");
        if (img) {
            buf_puts(&rss, "<enclosure url=\"");
            xml_url(&rss, img_url);
            buf_printf(&rss, "\" length=\"%lld\" type=\"%s\"/>\n<media:content url=\"", img->size, mime_of(img->name));
            xml_url(&rss, img_url);
            buf_printf(&rss, "\" medium=\"image\" type=\"%s\"/>\n", mime_of(img->name));
        }
        buf_puts(&rss, "</item>\n");

        /* A post shown by fallback in its own language's text says so. */
        int text_lang = site_text_lang(s, pv);
        if (text_lang != list->lang && text_lang >= 0 && text_lang < s->nlangs)
            buf_printf(&atom, "<entry xml:lang=\"%s\">\n<title>", s->langs[text_lang]);
        else
            buf_puts(&atom, "<entry>\n<title>");
        xml_text(&atom, pv->title);
        buf_puts(&atom, "</title>\n<id>");
        xml_url(&atom, url);
        buf_puts(&atom, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
        xml_url(&atom, url);
        buf_puts(&atom, "\"/>\n<published>");
        xml_date(&atom, "c", pv->date);
        buf_puts(&atom, "</published>\n<updated>");
        xml_date(&atom, "c", pv->date);
        buf_puts(&atom, "</updated>\n<summary type=\"html\">");
        summary_xml(&atom, pv, base);
        buf_puts(&atom, "</summary>\n");
        if (img) {
            buf_puts(&atom, "<link rel=\"enclosure\" href=\"");
            xml_url(&atom, img_url);
            buf_printf(&atom, "\" type=\"%s\" length=\"%lld\"/>\n", mime_of(img->name), img->size);
        }
        buf_puts(&atom, "</entry>\n");
    }
    buf_puts(&rss, "</channel>\n</rss>\n");
    buf_puts(&atom, "</feed>\n");
    put(out, feeds_rss_url(list, &a) + 1, &rss, d, count);
    put(out, feeds_atom_url(list, &a) + 1, &atom, d, count);
    buf_free(&rss);
    buf_free(&atom);
    free(items);
    arena_free(&a);
}

static void write_sitemap(const site *s, const char *base, output *out, diag_list *d, size_t *count)
{
    buf x = BUF_INIT;
    buf_puts(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
                 "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
                 "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for (size_t i = 0; i < s->nversions; i++) {
        const page_version *pv = s->versions[i];
        if (!is_published(pv) || pv->redirect || pv->external_url) continue;
        /* Grav's sitemap plugin key for pages kept out of it. */
        if (value_path_bool(pv->header, "sitemap.ignore", false)) continue;
        /* a page that asks search engines not to index it is not offered to them */
        const char *robots = value_path_str(pv->header, "metadata.robots", "");
        if (strcasestr(robots, "noindex") || strcasestr(robots, "none")) continue;
        buf_puts(&x, "<url>\n<loc>");
        xml_url(&x, base);
        xml_url(&x, pv->url);
        buf_puts(&x, "</loc>\n<lastmod>");
        xml_date(&x, "c", pv->date);
        buf_puts(&x, "</lastmod>\n");
        int translations = 0;
        for (int l = 0; l < s->nlangs; l++)
            if (is_published(pv->page->v[l])) translations++;
        if (translations > 1) {
            for (int l = 0; l < s->nlangs; l++) {
                const page_version *t = pv->page->v[l];
                if (!is_published(t)) continue;
                buf_printf(&x, "<xhtml:link rel=\"alternate\" hreflang=\"%s\" href=\"", s->langs[l]);
                xml_url(&x, base);
                xml_url(&x, t->url);
                buf_puts(&x, "\"/>\n");
            }
            const page_version *dflt = pv->page->v[s->default_lang];
            if (is_published(dflt)) {
                buf_puts(&x, "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"");
                xml_url(&x, base);
                xml_url(&x, dflt->url);
                buf_puts(&x, "\"/>\n");
            }
        }
        buf_puts(&x, "</url>\n");
    }
    buf_puts(&x, "</urlset>\n");
    put(out, "sitemap.xml", &x, d, count);
    buf_free(&x);
}

size_t feeds_write_list(const site *s, const page_version *list, const char *base, output *out, diag_list *d)
{
    size_t count = 0;
    if (base && *base && is_published(list) && feeds_is_list(list)) write_feeds(s, list, base, out, d, &count);
    return count;
}

size_t feeds_write_all(const site *s, const char *base, output *out, diag_list *d)
{
    size_t count = 0;
    buf robots = BUF_INIT;
    buf_puts(&robots, "User-agent: *\nAllow: /\n");
    if (base && *base) {
        for (size_t i = 0; i < s->nversions; i++) {
            const page_version *pv = s->versions[i];
            if (is_published(pv) && feeds_is_list(pv)) write_feeds(s, pv, base, out, d, &count);
        }
        write_sitemap(s, base, out, d, &count);
        buf_printf(&robots, "\nSitemap: %s/sitemap.xml\n", base);
    } else if (!*site_config_str(s, s->default_lang, "url", "")) { /* one that is no address is a warning */
        diag_add(d, DIAG_NOTE, s->user_dir, 0, 0,
                 "no site URL (config/site.yaml 'url' or --base-url): feeds and sitemap.xml need one and are not "
                 "written");
    }
    put(out, "robots.txt", &robots, d, &count);
    buf_free(&robots);
    return count;
}
