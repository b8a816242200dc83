/* yaml.h - YAML (and therefore JSON) text to a value, with libyaml.
 *
 * Scalars resolve the way Grav's YAML reader (Symfony YAML) resolves them:
 * quoted scalars are strings; plain ones are null (~, null, empty), true or
 * false (any case), integers, floats (.inf, .nan too) or strings. "yes" and
 * "no" stay strings. Anchors and aliases work, but aliases are shared, not
 * copied, and their total weight is limited so that an alias bomb is an
 * error instead of exhausting memory. Nesting depth is limited too. */
#ifndef FOLIO_YAML_H
#define FOLIO_YAML_H

#include "arena.h"
#include "diag.h"
#include "value.h"

/* Parse text (one document). Errors are reported into d (when not NULL)
 * as `path:line:col`, with first_line added to libyaml's line (so front
 * matter errors point into the Markdown file). Returns NULL on error;
 * an empty document gives an empty map. */
value *yaml_load(arena *a, const char *text, size_t len, const char *path, int first_line, diag_list *d);

/* Read and parse a YAML or JSON file; NULL (with a diag) on failure. */
value *yaml_load_file(arena *a, const char *path, diag_list *d);

/* 1-based line of the first line of text that is `key:` after any
 * indentation, or 1: where a finding about a key points (values carry
 * no line numbers). */
int yaml_key_line(const char *text, const char *key);
/* The same for `key:` at the start of a line: a key of the top level. */
int yaml_top_key_line(const char *text, const char *key);

/* Merge src into dst recursively (maps merge, everything else replaces). */
void value_merge_into(arena *a, value *dst, const value *src);

#endif
