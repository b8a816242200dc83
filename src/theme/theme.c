/* theme.c - look-up in the embedded theme. */
#include "theme/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/files.h"

const theme_file *theme_find(const char *name)
{
    for (const theme_file *f = theme_files; f->name; f++)
        if (!strcmp(f->name, name)) return f;
    return NULL;
}

bool theme_has_page_template(const char *user_dir, const char *name)
{
    char rel[512];
    if (!*name || name[0] == '/' || strstr(name, "..") ||
        (size_t)snprintf(rel, sizeof rel, "templates/%s.html.twig", name) >= sizeof rel)
        return false;
    if (theme_find(rel)) return true;
    char own[600];
    snprintf(own, sizeof own, "themes/folio/%s", rel);
    char *path = path_join(user_dir, own);
    bool ok = path_exists(path);
    free(path);
    return ok;
}

const char *theme_page_template(const char *user_dir, const char *name, bool lists_sections)
{
    if (theme_has_page_template(user_dir, name)) return name;
    return lists_sections ? "modular" : "default";
}
