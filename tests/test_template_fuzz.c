/* test_template_fuzz.c - broken templates never crash the engine.
 *
 * Takes the templates of Twig's fixtures, damages them in random (but
 * repeatable) ways: deletes bytes, inserts tag delimiters, operators,
 * keywords and filters, and renders them, strict and not. Every render
 * must end with output or with errors; under `make asan` any memory error
 * or leak fails the run. */
#include <stdio.h>
#include <string.h>

#include "lib/yaml.h"
#include "template/template.h"
#include "test.h"

static const char *const fragments[] = {
    "{{", "}}", "{%", "%}", "{#", "#}", "-", "~", "(", ")", "[", "]", "{", "}", "|", ".", "..", "'", "\"", "?", ":",
    "??", "=>", " is ", " not ", " in ", "block", "endblock", "for", "endfor", "if", "endif", "set", "=", "macro",
    "endmacro", "include", "extends", "embed", "endembed", "import", "from", "with", "endwith", "apply", "endapply",
    "verbatim", "endverbatim", "parent()", "_self", "loop", "0", "-1", "99999999999999999999", "1e308", ",", " and ",
    "**", "//", "%", "*", "/", "\n", " ", "x", "a.b", "[1,2]", "{a:1}", "|upper", "|join", "|slice(-1)",
    "|batch(0)", "|round(2)", "|split('')", "|format", "|date", "|replace({})", "|merge([])", "|sort",
    "|number_format(99)", "|first", "|keys", "|url_encode", "|json_encode", "|filter(v => v)", "|map(v => v ~ 1)",
    "\"#{ x }\"", "block('a')", "include('index.twig')", "0..9999999",
};

static unsigned long long seed = 88172645463325252ULL;
static unsigned next_random(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (unsigned)(seed >> 16);
}

static char *load_from_map(void *ctx, const char *name, size_t *len)
{
    value *s = map_get(ctx, name);
    if (!s || s->kind != V_STRING) return NULL;
    *len = s->u.str.len;
    return xstrndup(s->u.str.s, s->u.str.len);
}

static void damage(buf *b)
{
    int edits = 1 + (int)(next_random() % 4);
    for (int k = 0; k < edits; k++) {
        size_t pos = b->len ? next_random() % (b->len + 1) : 0;
        if (next_random() % 3 == 0 && b->len) {
            size_t n = 1 + next_random() % 5;
            if (pos + n > b->len) n = b->len - pos;
            memmove(b->s + pos, b->s + pos + n, b->len - pos - n);
            buf_truncate(b, b->len - n);
        } else {
            const char *f = fragments[next_random() % (sizeof fragments / sizeof fragments[0])];
            buf copy = BUF_INIT;
            buf_add(&copy, b->s ? b->s : "", pos);
            buf_puts(&copy, f);
            buf_add(&copy, b->s ? b->s + pos : "", b->len - pos);
            buf_free(b);
            *b = copy;
        }
    }
}

TEST(damaged_templates_end_in_output_or_errors)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/testdata/twig/fixtures.json", test_shared_dir());
    arena a = ARENA_INIT;
    value *all = yaml_load_file(&a, path, NULL);
    CHECK(all && all->kind == V_LIST && all->u.list.len > 0);
    if (!all || all->kind != V_LIST || all->u.list.len == 0) {
        arena_free(&a);
        return;
    }
    int rendered = 0, failed = 0;
    for (int round = 0; round < 3000; round++) {
        value *e = all->u.list.items[next_random() % all->u.list.len];
        value *templates = map_get(e, "templates");
        arena ta = ARENA_INIT;
        value *damaged = value_map(&ta);
        for (size_t i = 0; templates && i < templates->u.map.len; i++) {
            const value *t = templates->u.map.items[i].val;
            buf b = BUF_INIT;
            buf_add(&b, t->u.str.s, t->u.str.len);
            damage(&b);
            map_set(&ta, damaged, templates->u.map.items[i].key, value_str(&ta, buf_cstr(&b), b.len));
            buf_free(&b);
        }
        tpl_env *env = tpl_env_new(load_from_map, damaged);
        tpl_env_set_strict(env, next_random() % 2);
        tpl_env_set_strict_functions(env, next_random() % 2);
        value *data = map_get(e, "data");
        buf out = BUF_INIT;
        diag_list d;
        diag_init(&d);
        int rc = tpl_render(env, "index.twig", data && data->kind == V_MAP ? data : NULL, &out, &d);
        if (rc == 0) rendered++;
        else {
            failed++;
            CHECK(d.errors > 0); /* a failure always says why */
        }
        buf_free(&out);
        diag_free(&d);
        tpl_env_free(env);
        arena_free(&ta);
    }
    printf("damaged templates: %d rendered, %d reported errors\n", rendered, failed);
    CHECK(rendered > 0 && failed > 0);
    arena_free(&a);
}
