/* markdown.h - Markdown to HTML: md4c parses, folio renders.
 *
 * The dialect is CommonMark with GFM tables and strikethrough; raw HTML
 * passes through unchanged (the center's pages contain some). folio has
 * its own renderer instead of md4c's so that the caller can resolve link
 * and image URLs (a file next to the page becomes its published media URL,
 * `../../drug-formulary` becomes a page route) and render images itself
 * (srcset, <picture>). With no hooks and no options set the output is the
 * CommonMark reference HTML, byte for byte. */
#ifndef FOLIO_MARKDOWN_H
#define FOLIO_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

struct MD_PARSER; /* md4c.h */

/* An image as Markdown describes it. Strings are NUL-terminated, with
 * character references already decoded and no HTML escaping: src and
 * title as written, alt the plain text of the image description. title is
 * NULL when the image has none. */
typedef struct markdown_image {
    const char *src;
    const char *alt;
    const char *title;
} markdown_image;

/* Rewrites the destination of a link (is_image false) or an image. url is
 * NUL-terminated and decoded like the markdown_image strings. Append the
 * new URL, unescaped, to out and return true; return false to keep url.
 * The renderer escapes whatever ends up in the attribute. */
typedef bool (*markdown_url_fn)(void *user, const char *url, size_t len, bool is_image, buf *out);

/* Renders an image completely: append finished HTML to out and return
 * true, or return false (appending nothing) to get the default
 * `<img src="..." alt="..." title="..." />`, whose src then goes through
 * the URL hook. */
typedef bool (*markdown_image_fn)(void *user, const markdown_image *image, buf *out);

/* After a link's </a>: append what a visitor should know of its
 * destination before following it (a download's type and size). url is
 * decoded like rewrite_url's; text is the link's rendered content, so a
 * note the author wrote in it already need not be said twice. text lies
 * in out: read it before appending. */
typedef void (*markdown_link_note_fn)(void *user, const char *url, const char *text, size_t text_len, buf *out);

typedef struct markdown_options {
    markdown_url_fn rewrite_url;   /* may be NULL */
    markdown_image_fn render_image; /* may be NULL */
    void *user;                    /* passed to both hooks */
    /* Write '[' inside code spans and code blocks as "&#91;". Shortcodes
     * are expanded over the rendered HTML, and a shortcode shown as an
     * example in code must stay text; the browser displays &#91; as '['
     * all the same. On for site pages, off for the CommonMark suite. */
    bool escape_brackets_in_code;
    /* md4c callbacks that see every event of the parse too, before the
     * renderer does (may be NULL): a reader of the same text, such as
     * `folio check` in a build, then needs no parse of its own. */
    const struct MD_PARSER *observe;
    void *observe_user;
    /* md4c flags besides CommonMark, tables and strikethrough: what
     * Grav's pages.markdown options ask for (content_markdown_options). */
    unsigned md_flags;
    /* A line break inside a paragraph is kept as <br> (Grav's
     * auto_line_breaks; md4c's own flag for it is newer than Debian's). */
    bool hard_breaks;
    /* <table tabindex="0">: a wide table scrolls sideways on a phone (the
     * theme's CSS), and must take the keyboard's focus to be scrolled
     * without a mouse. On for site pages, off for the GFM suite. */
    bool focusable_tables;
    /* Grav's link attributes: a key of a link's query named here (from
     * pages.markdown.valid_link_attributes: rel, target, id, class,
     * classes) leaves the URL and becomes an attribute of the <a>
     * ("classes" as class, commas as spaces), so that
     * [Договор](contract.pdf?target=_blank) opens in a new tab;
     * "noprocess=target" keeps that key in the URL. NULL-terminated;
     * NULL: links keep their query. */
    const char *const *link_attributes;
    markdown_link_note_fn link_note; /* may be NULL; gets user */
    /* The title an <iframe> of the text without one gets when it shows a
     * map or a video of a known service (frame.h), as maps and videos
     * pasted from their services come: screen readers announce a frame by
     * its title. NULL: frames are left as they are. */
    const char *map_frame_title, *video_frame_title;
    /* An <iframe> of the text without a loading attribute gets
     * loading="lazy": a map below the text (a megabyte of another site's
     * scripts) loads when the reader gets near it, not with the page. */
    bool lazy_frames;
    /* A formatting tag the text's own HTML opens and never closes ("<b>"
     * pasted without its "</b>") is closed at the end of the text: the
     * browser would carry it on into every paragraph after it, the
     * theme's footer too. */
    bool close_formatting;
    bool *formatting_closed; /* may be NULL: set when a tag was so closed */
} markdown_options;

/* Render text[0..len) and append the HTML to out. opt may be NULL (no
 * hooks, no options). Returns 0, or -1 when the input is too large for
 * the parser (4 GiB) or the parser failed; out then holds what was
 * rendered so far. */
int markdown_render(const char *text, size_t len, const markdown_options *opt, buf *out);
/* Close the formatting tags html[from..] opens and leaves open (see
 * markdown_options.close_formatting): for a part of rendered HTML, such
 * as a summary, cut where a tag the text left open was still open. */
void markdown_close_formatting(buf *html, size_t from);
/* The formatting tags (a, b, i, strong, ...) raw HTML opens and closes,
 * counted into open (by markdown_formatting_tag's numbering): what a
 * check tells the editor about. */
#define MARKDOWN_FORMATTING_TAGS 14
void markdown_count_formatting(unsigned short open[MARKDOWN_FORMATTING_TAGS], const char *html, size_t len);
const char *markdown_formatting_tag(size_t i);

#endif
