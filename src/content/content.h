/* content.h - a page version's source turned into its HTML content and
 * summary: front matter skipped, Markdown rendered with links and images
 * resolved against the site, shortcodes expanded, the summary split off
 * (Grav's order: Markdown, then shortcodes, then the summary, all on the
 * rendered HTML). Twig in content (process.twig) is left to the caller,
 * which owns the template environment. */
#ifndef FOLIO_CONTENT_H
#define FOLIO_CONTENT_H

#include <stdbool.h>

#include "content/frontmatter.h"
#include "content/markdown.h"
#include "content/site.h"
#include "lib/buf.h"
#include "lib/diag.h"

/* Hook for images: lets the caller (the media pipeline) write the <img>
 * markup and publish variants. Same contract as markdown_image_fn, with
 * the page and the media file the image refers to. */
typedef struct media_file media_file;
typedef bool (*content_image_fn)(void *user, const page_version *pv, const media_file *m, const char *query,
                                 const char *alt, const char *title, buf *out);

/* Hook for Twig in content (process.twig: true), run on the HTML after
 * Markdown and before shortcodes. Append the result to out; 0 or -1. */
typedef int (*content_twig_fn)(void *user, const page_version *pv, const char *html, size_t len, buf *out,
                               diag_list *d);

/* Hook for links to a download (a file of a page folder that is not an
 * image): append, after the link, what to know before following it. */
typedef void (*content_file_note_fn)(void *user, const page_version *pv, const media_file *m, buf *out);

/* Hook for a video's poster, a photo of the page folder: append the
 * address of a copy of m sized for the page (publishing it) and return
 * true, or false to show the photo itself. */
typedef bool (*content_poster_fn)(void *user, const page_version *pv, const media_file *m, buf *url);

typedef struct content_options {
    content_image_fn render_image; /* may be NULL */
    content_twig_fn process_twig;  /* may be NULL: Twig in content stays as written */
    void *user;
    /* md4c callbacks that see the parse of the Markdown as well (may be
     * NULL); see markdown_options. */
    const struct MD_PARSER *observe;
    void *observe_user;
    content_file_note_fn file_note; /* may be NULL; gets user */
    content_poster_fn poster;       /* may be NULL; gets user */
} content_options;

/* Render pv's content into content_html and its summary into summary_html
 * (both appended). *has_more tells whether the content is longer than the
 * summary. Returns 0, or -1 after reporting a diag (the file could not be
 * read or rendered). */
int content_render(const site *s, const page_version *pv, const content_options *opt, buf *content_html,
                   buf *summary_html, bool *has_more, diag_list *d);
/* The same from the page's text, already read: src as frontmatter.h
 * describes it, normalised, with body_off and body_line set. */
int content_render_source(const site *s, const page_version *pv, const page_source *src,
                          const content_options *opt, buf *content_html, buf *summary_html, bool *has_more,
                          diag_list *d);

/* The URL a link in pv's content points to: media in the page folder, a
 * page route (relative or absolute), or NULL to keep the link as written. */
/* The file a link names in another page's folder by Grav's folder path
 * ("../01.quotes/file.pdf", "/02.news/01.quotes/file.pdf"), with that
 * page in *pg; NULL when there is none or that page is not published in
 * pv's language. path is percent-decoded, without query or fragment. */
const media_file *content_folder_media(const site *s, const page_version *pv, const char *path, arena *a,
                                       const page **pg);
const char *content_resolve_link(const site *s, const page_version *pv, const char *url, arena *a);
/* A file of one of Grav's streams by its address in the user folder:
 * image://hall.jpg is /user/images/hall.jpg, user://x is /user/x,
 * theme://img/x.svg is /user/themes/<pages.theme>/img/x.svg; NULL for
 * another address. (Published as every /user/ file a page shows.) */
const char *content_stream_address(const site *s, const char *url, arena *a);

/* How a page's summary is made, as Grav's summary settings say: those of
 * config/site.yaml (summary:) under the page's own `summary:` header.
 * Not enabled: the summary is the whole content. Long format: the first
 * size characters, a delimiter or not. Short (the default): the content
 * before the delimiter, else the first size characters. Size 0: all. */
typedef struct summary_shape {
    bool is_enabled;
    bool is_long;
    size_t size;
} summary_shape;
summary_shape content_summary_shape(const site *s, const page_version *pv);

/* Grav's Markdown for a page, into mo's md_flags, hard_breaks and
 * link_attributes: Parsedown's headings without a space ("#Heading"),
 * the options of config/system.yaml (pages.markdown) and of the page's
 * own `markdown:` header, which wins: auto_line_breaks (a line break in a
 * paragraph is kept), auto_url_links (a bare http(s):// address becomes
 * a link), escape_markup (HTML in the text is shown as text); and the
 * site's valid_link_attributes. */
void content_markdown_options(const site *s, const page_version *pv, markdown_options *mo);

/* The media file of pv's page called name, or NULL. */
const media_file *content_find_media(const page *pg, const char *name);

#endif
