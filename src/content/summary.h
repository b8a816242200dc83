/* summary.h - a page's summary, the way Grav 1.7 makes it.
 *
 * Grav works on the rendered HTML, not on the Markdown: the summary
 * delimiter (site.yaml `summary.delimiter`, "===" by default) counts only
 * where Markdown turned it into a paragraph of its own, `<p>===</p>`. So a
 * "===" in a code block never splits, and neither does one written right
 * under a line of text, which Markdown makes a setext heading underline
 * or a continuation of that text (summary_find_unsplit_delimiter finds
 * those, for a warning).
 *
 * With a delimiter the summary is the content before the first one. Every
 * delimiter paragraph is removed from the content. Without one the
 * summary is the content cut after `size` characters of text (Grav's
 * Truncator with length_in_chars): tags do not count, whitespace between
 * tags does, a character reference is one character; the cut never falls
 * inside a tag, a reference or a UTF-8 sequence, open elements are
 * closed, and an ellipsis "…" goes into the innermost paragraph-like
 * element (p, li, div, ...) in place of trailing spaces and punctuation.
 *
 * Grav splits after shortcodes are expanded, so call summary_split on the
 * HTML that shortcodes_expand produced. */
#ifndef FOLIO_SUMMARY_H
#define FOLIO_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* Split rendered page HTML. content_out receives the HTML without any
 * delimiter paragraph; summary_out the summary; *has_delimiter tells
 * whether a delimiter split it. delim NULL or "" means "===". size 0
 * means no limit (the summary is the whole content), as in Grav. Either
 * output may be NULL when the caller does not need it. */
void summary_split(const char *html, size_t len, const char *delim, size_t size, buf *content_out,
                   buf *summary_out, bool *has_delimiter);

/* Cut HTML after `size` characters of text as described above and append
 * the result to out (the whole HTML when its text is not longer). */
void summary_truncate_html(const char *html, size_t len, size_t size, buf *out);
/* The same with another ellipsis (Grav's truncate_html filter: "..."). */
void summary_truncate_html_with(const char *html, size_t len, size_t size, const char *ellipsis, buf *out);
/* The same after `words` words of text, runs between white space, each
 * text node counting its own (Grav's safe_truncate_html filter). */
void summary_truncate_html_words(const char *html, size_t len, size_t words, const char *ellipsis, buf *out);

/* A delimiter the author meant as a split but Markdown did not make a
 * paragraph of its own: a line holding only the delimiter, outside fenced
 * code, directly under a line of text (a setext heading underline, or a
 * continuation of a list item or quote). Renders the Markdown to confirm
 * that fewer delimiter paragraphs came out than delimiter lines went in.
 * Returns the line (from 1) of the first such delimiter in markdown, or
 * 0 when every delimiter line splits. */
int summary_find_unsplit_delimiter(const char *markdown, size_t len, const char *delim);

/* html with its headings renumbered as an outline that starts at level
 * (from 1 to 6; none below 6): the first heading is of level, and each
 * later one is one below the nearest earlier heading higher than it, or
 * of the level of an earlier one of its own level. A summary's "## Part"
 * under a card's h2 title is an h3, and a "####" right under the title
 * (no "###" before it) is one too. Appends to out and returns true;
 * false, appending nothing, when no heading changes. */
bool summary_headings_from(const char *html, size_t len, int level, buf *out);

#endif
