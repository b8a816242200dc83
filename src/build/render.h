/* render.h - pages through the theme's templates.
 *
 * The renderer owns one template environment per language (the `t`
 * filter and the date filter's month names depend on it), loading
 * templates from the site's override folder user/themes/folio/ first and
 * from the built-in theme otherwise. What templates see (documented for
 * theme authors in the README):
 *   page        the page being rendered (see below)
 *   collection  for list pages: the items on this page of the list
 *   pagination  for list pages: {current, total, prev_url, next_url, pages: [{number, url, current}]};
 *               pages holds the first, the last and the current page with
 *               two neighbours each side, and {gap: true} where numbers
 *               are left out (1 … 4 5 [6] 7 8 … 40)
 *   site        {title, description, footer, url, lang, default_lang, languages: [{code, url, current}],
 *                menu: [{title, url, active}], latest: [pages], config: site.yaml of this language}
 *   lang        the language code
 * the filter t ('READ_MORE'|t: the site's languages/<lang>.yaml, then the
 * theme's own languages.yaml), and the function asset('style.css'), the fingerprinted URL of a theme
 * asset (cached forever by browsers; the name changes with the content).
 * A page object answers title, menu, url, route, slug, date, header,
 * content (only for the page being rendered), summary, has_more,
 * template, lang, visible, home, folder, parent, children, prev, next,
 * media [{name, url, size, type, label}], header_image (URL),
 * header_image_html and header_image_lazy_html (responsive <picture> markup,
 * loaded at once or lazily), translations
 * [{lang, url, title}], and for metadata: description (the summary as
 * plain text, ~160 characters), absolute_url, image_url (the lead image,
 * absolute), og_type, og_locale ("ru_RU"), og_locale_alternates, is_post
 * and json_ld (safe JSON for <script type="application/ld+json">).
 * site.feeds lists the feeds of a list and its posts: [{type, title, url}].
 * Rendering is thread-safe: each call uses its own arena. */
#ifndef FOLIO_RENDER_H
#define FOLIO_RENDER_H

#include <stddef.h>

#include "content/site.h"
#include "lib/buf.h"
#include "lib/diag.h"

typedef struct renderer renderer;

renderer *renderer_new(const site *s, diag_list *d);
void renderer_free(renderer *r);

/* The site's absolute URL without a trailing slash (--base-url); the
 * default is site.yaml `url`. Templates see it as site.url. */
void renderer_set_base_url(renderer *r, const char *base_url);
/* Every page's summary is made: from now on no render_page returns
 * RENDER_AGAIN. */
void renderer_summaries_made(renderer *r);
/* The site changed since the fragments of {% cache %} tags were made:
 * make them again when next met. */
void renderer_forget_fragments(renderer *r);

/* Render pv with its content HTML. For a list page, list_page is the
 * 1-based page of the list (1 for the list's own URL). Returns 0, -1, or
 * RENDER_AGAIN when the page shows another page's summary before
 * renderer_summaries_made: nothing is written or reported, and the page
 * is to be rendered again after. */
#define RENDER_AGAIN 1
int render_page(renderer *r, const page_version *pv, const char *content_html, size_t list_page, buf *out,
                diag_list *d);
/* The "page not found" page of a language. */
int render_not_found(renderer *r, int lang, buf *out, diag_list *d);
/* Header images: the build supplies the markup of a page's header photo
 * (responsive variants). Without it templates get the plain URL only. */
typedef bool (*render_header_image_fn)(void *user, const media_file *m, bool above_fold, buf *out);
void renderer_set_header_images(renderer *r, render_header_image_fn fn, void *user);

/* The theme's assets (CSS, scripts, icons) with fingerprinted output
 * paths ("theme/style.3f9a2c1e.css"); templates link them with
 * {{ asset('style.css') }}. */
typedef struct theme_asset {
    const char *name;     /* "style.css" */
    const char *out_path; /* "theme/style.3f9a2c1e.css" */
    const char *data;
    size_t size;
} theme_asset;
const theme_asset *renderer_assets(const renderer *r, size_t *count);

/* Render Twig in page content (process.twig: true) with page, site, lang
 * in scope; unknown functions are warnings naming the page. */
/* After a link in a page's content to a download of the page folders:
 * " (PDF, 1,2 МБ)" in the page's language, so a visitor on a phone knows
 * what following it costs. */
void render_file_note(renderer *r, const page_version *pv, const media_file *m, buf *out);
int render_content_twig(renderer *r, const page_version *pv, const char *text, size_t len, buf *out,
                        diag_list *d);

#endif
