/* seo.h - what search engines, feed readers and link previews read about
 * a page: its description, its lead image, absolute URLs, the Open Graph
 * locale, and JSON-LD structured data. Shared by the page renderer (the
 * metadata template's data), the feeds and the sitemap. */
#ifndef FOLIO_SEO_H
#define FOLIO_SEO_H

#include <stdbool.h>
#include <stddef.h>

#include "content/site.h"
#include "lib/arena.h"
#include "lib/buf.h"

#define SEO_DESCRIPTION_CHARS 160

/* The site's absolute URL without a trailing slash: override (--base-url)
 * when given, else site.yaml `url`; "" when neither is set, or when it is
 * no http(s) address (a space, a line break, a quote in it). In a. */
const char *seo_base_url(const site *s, const char *override, arena *a);

/* Plain text of HTML (tags dropped, character references decoded,
 * whitespace collapsed, trimmed), cut at a word boundary after at most
 * max characters with "…" when longer. Appended to out. */
void seo_plain_text(const char *html, size_t len, size_t max, buf *out);

/* The image that represents the page: the first of media_order that is
 * an image, else the first image of its folder; NULL without images. */
const media_file *seo_lead_image(const page_version *pv);

/* "kk" -> "kk_KZ", "ru" -> "ru_RU", "en" -> "en_US"; other codes as they are. */
const char *seo_og_locale(const char *lang);

/* Whether pv is an item of its parent's list (a news post). */
bool seo_is_post(const page_version *pv);

/* HTML with root-relative href="/..." and src="/..." made absolute. */
void seo_absolute_links(const char *html, size_t len, const char *base, buf *out);

/* JSON-LD for pv (NewsArticle for posts, MedicalOrganization on the home
 * page, nothing otherwise), safe inside <script>: '<' is written \u003c.
 * Returns "" when the page has none. summary_text is the plain text of the
 * page's summary when the caller has it (seo_plain_text with
 * SEO_DESCRIPTION_CHARS), or NULL. In a. */
const char *seo_json_ld(const site *s, const page_version *pv, const char *base, const char *summary_text,
                        arena *a);

#endif
