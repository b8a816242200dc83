/* content_twig.h - Twig in page content (front matter process.twig). */
#ifndef FOLIO_CONTENT_TWIG_H
#define FOLIO_CONTENT_TWIG_H

#include <stdbool.h>

#include "content/content.h"

/* Run process_twig (content.h) over html, the page's content after
 * Markdown (was_markdown) or as written. Inside "{{ }}" and "{% %}" tags
 * the escaping the Markdown renderer added is undone first, so that
 * {{ "a" }} and {% if a > b %} mean what they say. Messages about the page
 * go to d at their line and column in the page file src. Returns what
 * process_twig returns. */
int content_twig_run(content_twig_fn process_twig, void *user, const page_version *pv, const page_source *src,
                     bool was_markdown, const buf *html, buf *out, diag_list *d);

#endif
