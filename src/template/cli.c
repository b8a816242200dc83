/* cli.c - `folio template render DIR NAME [--data FILE.json]`: render one
 * template from a directory, for theme authors and debugging.
 *
 * This is the only place the engine touches the file system, and it only
 * reads names below DIR: absolute names and names with a ".." segment are
 * refused by the loader. */
#include <stdlib.h>
#include <string.h>

#include "lib/files.h"
#include "lib/yaml.h"
#include "template/template.h"

enum { MAX_TEMPLATE_SIZE = 4 << 20 };

static bool is_safe_name(const char *name)
{
    if (!name[0] || name[0] == '/' || name[0] == '\\') return false;
    for (const char *p = name; *p; p++) {
        if (p[0] == '.' && p[1] == '.' && (p == name || p[-1] == '/') && (p[2] == '/' || p[2] == 0)) return false;
        if (*p == '\\') return false;
    }
    return true;
}

static char *load_from_dir(void *ctx, const char *name, size_t *len)
{
    if (!is_safe_name(name)) return NULL;
    return file_read_beneath(ctx, name, len, MAX_TEMPLATE_SIZE); /* no link out of the folder */
}

int tpl_cli_render(const char *dir, const char *name, const char *data_json_path, buf *out, diag_list *d)
{
    if (!is_safe_name(name)) {
        diag_add(d, DIAG_ERROR, name, 0, 0, "refusing template name \"%s\" (absolute or with \"..\")", name);
        return -1;
    }
    arena a = ARENA_INIT;
    value *data = NULL;
    if (data_json_path) {
        data = yaml_load_file(&a, data_json_path, d);
        if (!data) {
            arena_free(&a);
            return -1;
        }
        if (data->kind != V_MAP) {
            diag_add(d, DIAG_ERROR, data_json_path, 0, 0, "the data must be a JSON object");
            arena_free(&a);
            return -1;
        }
    }
    tpl_env *env = tpl_env_new(load_from_dir, (void *)dir);
    int rc = tpl_render(env, name, data, out, d);
    tpl_env_free(env);
    arena_free(&a);
    return rc;
}
