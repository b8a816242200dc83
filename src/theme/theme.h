/* theme.h - the built-in theme, embedded in the binary at build time
 * (scripts/embed-theme turns src/theme/files/ into theme_files[]). A site
 * overrides any of its files with one of the same name in
 * user/themes/<theme>/. */
#ifndef FOLIO_THEME_H
#define FOLIO_THEME_H

#include <stdbool.h>
#include <stddef.h>

typedef struct theme_file {
    const char *name; /* path below src/theme/files, e.g. "templates/item.html.twig" */
    const char *data; /* NUL-terminated */
    size_t size;
} theme_file;

extern const theme_file theme_files[]; /* ends with a {NULL} entry */

/* The embedded file of that name, or NULL. */
const theme_file *theme_find(const char *name);

/* Whether template name ("item", "blog", "modular/hero") exists, built in
 * or as the site's own user_dir/themes/folio/templates/<name>.html.twig. */
bool theme_has_page_template(const char *user_dir, const char *name);
/* The template a page of template name is shown with: name when the theme
 * has it, else, as in Grav, 'default', or 'modular' for a page that lists
 * its sections (the built-in layout of them, where 'default' would leave
 * them out). */
const char *theme_page_template(const char *user_dir, const char *name, bool lists_sections);

#endif
