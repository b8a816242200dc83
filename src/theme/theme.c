/* theme.c - look-up in the embedded theme. */
#include "theme/theme.h"

#include <string.h>

const theme_file *theme_find(const char *name)
{
    for (const theme_file *f = theme_files; f->name; f++)
        if (!strcmp(f->name, name)) return f;
    return NULL;
}
