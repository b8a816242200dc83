/* sitefix.h - tiny Grav sites written into a temporary folder by tests. */
#ifndef FOLIO_SITEFIX_H
#define FOLIO_SITEFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/files.h"

/* Files as pairs {relative path, content}, ended by {NULL, NULL}. Returns
 * a malloc'd temporary folder path (the user/ folder). */
static inline char *sitefix_make(const char *const files[][2])
{
    char tmpl[] = "/tmp/folio-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir) return NULL;
    for (size_t i = 0; files[i][0]; i++) {
        char *path = path_join(dir, files[i][0]);
        char *slash = strrchr(path, '/');
        *slash = 0;
        dir_make(path);
        *slash = '/';
        file_write(path, files[i][1], strlen(files[i][1]));
        free(path);
    }
    return xstrdup(dir);
}

static inline void sitefix_remove(char *dir)
{
    if (dir) dir_remove_tree(dir);
    free(dir);
}

#define SITEFIX_SYSTEM_KK_RU_EN                                                                   \
    {"config/system.yaml", "languages:\n  supported: [kk, ru, en]\n  default_lang: kk\n"          \
                           "  include_default_lang: true\ntimezone: Asia/Almaty\n"}

#endif
