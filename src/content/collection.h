/* collection.h - the list a page's header asks for (Grav's content.items). */
#ifndef FOLIO_COLLECTION_H
#define FOLIO_COLLECTION_H

#include "content/site.h"

/* Fills pv's items, nitems, per_page and is_modular from its header's
 * content: (and the prev and next of the posts of a list of its own
 * children), allocating in a; what folio does not know goes to d. Needs
 * every version's route and publishing state (site_load calls it last). */
void collection_build(site *s, page_version *pv, arena *a, diag_list *d);

#endif
