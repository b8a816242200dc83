/* plugin_link.h - Grav plugins' links in rendered HTML: a link whose text
 * is "plugin:<name>" ([plugin:youtube](https://youtu.be/...),
 * [plugin:page-inject](/contacts)) is for the plugin to turn into
 * something else: a player, another page's content. */
#ifndef FOLIO_PLUGIN_LINK_H
#define FOLIO_PLUGIN_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* What one link becomes: append it to out and return true, or return
 * false (out untouched) to keep the link as it was. href is the link's
 * address as the HTML has it (escaped: "&amp;"); name is the plugin's,
 * as the names list spells it; is_paragraph says the link was all of its
 * paragraph, which goes with it (else it is inside a paragraph's text). */
typedef bool (*plugin_link_fn)(void *user, const char *name, const char *href, size_t href_len, bool is_paragraph,
                               buf *out);

/* Append html[0..len) to out with the links of the plugins names
 * (NULL-terminated, matched in any case, as Grav does) replaced by what
 * each makes of them; a link that is all of its paragraph replaces the
 * paragraph. Returns how many were replaced. */
size_t plugin_links_expand(const char *html, size_t len, const char *const *names, plugin_link_fn each, void *user,
                           buf *out);

#endif
