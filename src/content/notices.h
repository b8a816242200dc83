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
 * parsed: each notice becomes a paragraph holding a mark (the SUB control
 * character, dropped from the page's own text), its text, and a closing
 * mark, with empty lines around them (each line led by the quote's marks
 * when the notice is in one), and notices_unmark turns the marks of the
 * rendered HTML into the <div>s. Marks rather than HTML blocks, so that
 * it works the same on a page whose HTML is escaped (escape_markup),
 * where Grav writes its notices too, and so that the <div>s can be
 * counted. Fenced code and HTML blocks are left as they are. */
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
/* Append the rendered html to out with the marks made <div>s. False when
 * they do not balance (a block the rewrite read otherwise than md4c
 * swallowed a mark): the caller then renders the page without notices. */
bool notices_unmark(const char *html, size_t len, const notice_style *style, buf *out);

/* Lines meant as a notice that are not one, the space after the marks
 * forgotten ("!Внимание", outside code and HTML): miss(user, offset of the
 * marks) for each; and notices after a list item's marker ("- ! Внимание"),
 * which Grav shows in the item and folio as text: miss(user, offset of the
 * marker). Returns the number of notices. */
size_t notices_near_misses(const char *md, size_t len, const notice_style *style,
                           void (*miss)(void *user, size_t offset), void *user);

#endif
