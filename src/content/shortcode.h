/* shortcode.h - Grav shortcodes (shortcode-core syntax) over rendered HTML.
 *
 * Grav expands shortcodes after Markdown, so they are found in the HTML:
 * `[name attr=value attr="v" attr='v']...[/name]`, self-closing
 * `[name /]`, nested ones, and attribute quotes that the Markdown renderer
 * escaped to &quot;. Only text is searched: never tags, comments, or
 * anything inside <code> or <pre> (the Markdown renderer also writes '['
 * in code as &#91;, so a shortcode shown in code is doubly safe).
 *
 * Known shortcodes:
 *   owl-carousel  a photo gallery that needs no JavaScript: a labelled
 *                 region holding a list of <figure> slides, one per image,
 *                 the image title as <figcaption>. A photo without alt
 *                 text takes its title as alt, and a caption that only
 *                 repeats the alt is hidden from screen readers
 *                 (aria-hidden) so it is not read twice. The paragraph Markdown
 *                 wrapped around the shortcode is removed. class= is kept
 *                 as an extra class; lazyLoad=true adds loading="lazy".
 *   safe-email    the address written as character references, a mailto
 *                 link when autolink is set (PHP truthiness, as in Grav:
 *                 any value but "" and "0"); icon= is ignored.
 *   shortcode-core's formatting shortcodes: center, left, right (a <div>
 *                 with class sc-align-*), columns (count=N, class
 *                 sc-columns-N; width, gap and rule are left to the
 *                 theme), notice (=info|warning|note|tip), details
 *                 (summary=, class=), div and span (id, class, style),
 *                 figure (id, class, caption= as text), h1 to h6 (id,
 *                 class), mark (class=, style=block), u, size (=N is N
 *                 px), color (a value of letters, digits and # % . , ( )
 *                 - only, else the text alone), lang (=code: its content
 *                 on that language's page, nothing elsewhere) and raw
 *                 (its content as written, shortcodes not expanded).
 *                 Block ones lose the paragraph Markdown put around them,
 *                 and take in the ends of a list their closing tag ended
 *                 up in. Parameter values are escaped.
 * Anything else that looks like a shortcode (has a closing tag, a
 * name=value attribute or ends in "/]") is left untouched with a warning;
 * so is an opening shortcode without its closing tag. */
#ifndef FOLIO_SHORTCODE_H
#define FOLIO_SHORTCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "content/markdown.h"
#include "lib/buf.h"
#include "lib/diag.h"

/* Renders one gallery slide's image: image->src is the URL found in the
 * HTML (already resolved by the Markdown pass). Append the HTML and
 * return true, or return false to keep the original <img> tag. */
typedef bool (*shortcode_image_fn)(void *user, const markdown_image *image, bool is_lazy, buf *out);

typedef struct shortcode_ctx {
    const char *page_path;       /* for diagnostics; may be NULL */
    /* The page's Markdown, to map a shortcode in the HTML back to its line
     * (the n-th "[name" in the HTML is taken to be the n-th in the source).
     * May be NULL: warnings then carry line 0. first_line is the file line
     * of the Markdown's first line (after front matter), counted from 1. */
    const char *markdown;
    size_t markdown_len;
    int first_line;
    const char *gallery_label;   /* aria-label of galleries without a title; default "Gallery" */
    shortcode_image_fn render_image; /* may be NULL */
    void *user;
    const char *lang;            /* the page's language, for [lang=...]; may be NULL */
    /* Grav's youtube plugin ([youtube]URL[/youtube]): NULL or off, the
     * shortcode is unknown; the players' title. */
    const struct youtube_style *youtube;
    const char *youtube_title;
} shortcode_ctx;

/* Expand the shortcodes in html[0..len) and append the result to out.
 * Warnings go to d (when not NULL) with the page path and line. Returns the
 * number of shortcodes expanded. Nesting deeper than 16 levels is left
 * as text, and so is a safe-email whose body is too long for an address. */
int shortcodes_expand(const char *html, size_t len, const shortcode_ctx *ctx, buf *out, diag_list *d);

#endif
