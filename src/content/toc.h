/* toc.h - Grav's page-toc plugin: "[TOC]" (or "[[TOC]]") alone in a
 * paragraph is the page's table of contents, a list of links to its
 * headings (h2 to h6), which get ids made of their text. */
#ifndef FOLIO_TOC_H
#define FOLIO_TOC_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* Append html[0..len) to out with the mark replaced by the list, titled
 * label for screen readers, and each heading without an id given one;
 * false, html appended as it is, when it has no mark. */
bool toc_expand(const char *html, size_t len, const char *label, buf *out);

#endif
