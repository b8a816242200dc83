/* collection.h - the list a page's header asks for (Grav's content.items). */
#ifndef FOLIO_COLLECTION_H
#define FOLIO_COLLECTION_H

#include "content/site.h"

/* Fills pv's items, nitems, per_page and is_modular from its header's
 * content: (and the prev and next of the posts of a list of its own
 * children), allocating in a; what folio does not know goes to d. Needs
 * every version's route and publishing state (site_load calls it last). */
void collection_build(site *s, page_version *pv, arena *a, diag_list *d);

/* What a plain page (the built-in theme's default template) lists after
 * its text: its collection when its header names one (content.items, in
 * its order), else its visible, published children in folder order;
 * nothing for a modular page, whose sections are its text. out has room
 * for pv's nitems and its page's nchildren; returns how many. */
size_t collection_subpages(const page_version *pv, const page_version **out);

#endif
