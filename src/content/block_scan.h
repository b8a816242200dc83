/* block_scan.h - Markdown's blocks, line by line, as far as a scan of the
 * source needs them.
 *
 * Some work is done on a page's Markdown before md4c parses it (Grav's
 * notices) or beside the parse (the summary delimiter a heading
 * swallowed), and must leave code and raw HTML alone. This reader follows
 * CommonMark's block starts well enough for that: fenced code (``` or
 * ~~~, closed by a fence as long), indented code, the seven kinds of HTML
 * block, ATX headings and paragraphs. It keeps no memory of containers
 * (list items, quotes): their lines are read as they stand. */
#ifndef FOLIO_BLOCK_SCAN_H
#define FOLIO_BLOCK_SCAN_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { IN_TEXT, IN_FENCE, IN_HTML_UNTIL_BLANK, IN_HTML_UNTIL } block_state;

typedef struct block_scan {
    block_state state;
    char fence;           /* '`' or '~' */
    size_t fence_len;
    const char *until;    /* the end of an HTML block of types 1 to 5 */
    bool is_in_paragraph; /* the line before was a paragraph's */
} block_scan;

#define BLOCK_SCAN_INIT {IN_TEXT, 0, 0, NULL, false}

/* What a line was, once read. */
typedef enum { LINE_BLANK, LINE_TEXT, LINE_HEADING, LINE_CODE, LINE_HTML } line_kind;

/* Bytes of spaces and tabs that begin line[0..n). */
size_t block_scan_indent(const char *line, size_t n);
/* Whether a new block may begin on this line (indent: its indentation in
 * bytes): not inside code or HTML, indented less than four columns. */
bool block_scan_may_open(const block_scan *b, const char *line, size_t indent);
/* Read line[0..n), without its newline: what it is, and the state after it. */
line_kind block_scan_line(block_scan *b, const char *line, size_t n);
/* The caller took the lines of a block of its own: no paragraph goes on. */
void block_scan_block_done(block_scan *b);

#endif
