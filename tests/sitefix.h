/* sitefix.h - tiny Grav sites written into a temporary folder by tests. */
#ifndef FOLIO_SITEFIX_H
#define FOLIO_SITEFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/diag.h"
#include "lib/files.h"
#include "test.h"

/* Whether d holds a finding of level about a file whose path ends with
 * path_end, at line (0: any line), whose message has needle. */
static inline bool sitefix_has_diag(const diag_list *d, diag_level level, const char *path_end, int line,
                                    const char *needle)
{
    size_t pl = strlen(path_end);
    for (size_t i = 0; i < d->len; i++) {
        const diag *g = &d->items[i];
        size_t fl = g->path ? strlen(g->path) : 0;
        if (g->level == level && (!line || g->line == line) && fl >= pl && !strcmp(g->path + fl - pl, path_end) &&
            strstr(g->msg, needle))
            return true;
    }
    return false;
}

/* The bytes of a real photo of the example site (a 1280 px JPEG of a
 * conference hall), malloc'd with its length in *len; NULL when the
 * shared folder is missing. */
static inline char *sitefix_seed_photo(size_t *len)
{
    char *path = path_join(test_shared_dir(),
                           "seed-site/user/pages/02.news/03.2023-01-09-practical-conference/2023-01-09-1.jpg");
    char *bytes = file_read(path, len, 1 << 24);
    free(path);
    return bytes;
}

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

/* Run the folio program ($FOLIO_BIN, default build/folio) with args
 * (shell words); its stdout and stderr together, malloc'd, and its exit
 * status in *status. */
static inline char *sitefix_run_folio(const char *args, int *status)
{
    const char *bin = getenv("FOLIO_BIN");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", bin ? bin : "build/folio", args);
    FILE *p = popen(cmd, "r");
    buf out = BUF_INIT;
    char chunk[4096];
    size_t n;
    while (p && (n = fread(chunk, 1, sizeof chunk, p)) > 0) buf_add(&out, chunk, n);
    int rc = p ? pclose(p) : -1;
    *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return buf_detach(&out, NULL);
}

/* What `folio check DIR OPTIONS` prints, its exit status in *status. */
static inline char *sitefix_check(const char *dir, const char *options, int *status)
{
    char args[4200];
    snprintf(args, sizeof args, "check %s %s", dir, options ? options : "");
    return sitefix_run_folio(args, status);
}

#endif
