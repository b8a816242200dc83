/* notices.h - Grav's markdown-notices: "! text" is a notice.
 *
 * Grav installs the markdown-notices plugin with every site: a block of
 * lines that begin with one to four '!' and a space is a notice, the
 * number of marks its level, written
 *
 *     <div class="notices yellow"> ... </div>
 *
 * with the text inside read as Markdown (paragraphs, lists). Lines that
 * go on with '!' belong to the same notice; an empty line, or a line
 * without the mark, ends it. In a blockquote ("> ! text") the notice is
 * the quote's, its lines in the same quote. The class of each level comes
 * from the plugin's level_classes (yellow, red, blue, green).
 *
 * md4c knows nothing of this, so the Markdown is rewritten before it is
 * parsed: each notice becomes an HTML <div> line, its text, and a closing
 * </div> line, with the empty lines around them that make them HTML blocks
 * (each line led by the quote's marks when the notice is in one).
 * Fenced code and HTML blocks are left as they are. */
#ifndef FOLIO_NOTICES_H
#define FOLIO_NOTICES_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

#define NOTICE_MAX_LEVELS 6

typedef struct notice_style {
    const char *base;                      /* "notices" */
    const char *levels[NOTICE_MAX_LEVELS]; /* the class of "!", "!!", ... */
    int nlevels;                           /* 0: notices are off */
} notice_style;

/* Whether md[0..len) may hold a notice: a line that starts with the marks
 * and a space. Cheap; pages without one need no rewrite. */
bool notices_maybe(const char *md, size_t len, const notice_style *style);

/* Append md[0..len) to out with its notices rewritten as above. Returns
 * the number of notices. */
size_t notices_rewrite(const char *md, size_t len, const notice_style *style, buf *out);

/* For a page whose HTML is escaped (escape_markup), where Grav still
 * writes its notices: the same rewrite with each <div> and </div> a
 * paragraph of its own holding a mark (the SUB control character, which
 * no page's text has) that md4c leaves alone, and notices_unmark turning
 * those paragraphs of the rendered HTML into the <div>s. */
size_t notices_rewrite_marked(const char *md, size_t len, const notice_style *style, buf *out);
void notices_unmark(const char *html, size_t len, const notice_style *style, buf *out);

/* Lines meant as a notice that are not one, the space after the marks
 * forgotten ("!Внимание", outside code and HTML): miss(user, offset of the
 * marks) for each. Returns the number of notices. */
size_t notices_near_misses(const char *md, size_t len, const notice_style *style,
                           void (*miss)(void *user, size_t offset), void *user);

#endif
