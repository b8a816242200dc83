/* feeds.h - RSS 2.0 and Atom feeds of the site's lists, the sitemap and
 * robots.txt, written by the build once every summary is known.
 *
 * Each published list page (the news) gets `<list url>feed.rss` and
 * `<list url>feed.atom` with its newest FEED_ITEMS published items: title,
 * date, absolute link, the summary as HTML and the lead image as an
 * enclosure. sitemap.xml lists every published routable page with its
 * translations as hreflang alternates and an x-default. Feeds and sitemap
 * need absolute URLs: without a base URL they are skipped with a note. */
#ifndef FOLIO_FEEDS_H
#define FOLIO_FEEDS_H

#include "build/output.h"
#include "content/site.h"
#include "lib/diag.h"

#define FEED_ITEMS 20

/* Whether pv is a list page (its header has content.items). */
bool feeds_is_list(const page_version *pv);
/* The feeds of list (RSS then Atom) as output paths, "ru/news/feed.rss". */
const char *feeds_rss_url(const page_version *list, arena *a);
const char *feeds_atom_url(const page_version *list, arena *a);

/* Write every list's feeds, sitemap.xml and robots.txt into out; base is
 * the absolute site URL without trailing slash ("" when unknown). Returns
 * the number of files written. */
size_t feeds_write_all(const site *s, const char *base, output *out, diag_list *d);

/* Write one list's feeds again, as feeds_write_all would (a live update
 * after an item's summary changed). Returns the number of files written. */
size_t feeds_write_list(const site *s, const page_version *list, const char *base, output *out, diag_list *d);

#endif
