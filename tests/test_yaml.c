/* test_yaml.c - YAML and JSON loading into values. */
#include "lib/yaml.h"
#include "test.h"

static value *load(arena *a, const char *text, diag_list *d)
{
    return yaml_load(a, text, strlen(text), "t.yaml", 0, d);
}

TEST(plain_scalars_resolve_like_symfony_yaml)
{
    arena a = ARENA_INIT;
    diag_list d;
    diag_init(&d);
    value *v = load(&a, "a: 1\nb: 1.5\nc: true\nd: yes\ne: ~\nf: '09-01-2023 10:00'\ng: -7\nh: .inf\n", &d);
    CHECK(v && v->kind == V_MAP);
    CHECK_INT(map_get(v, "a")->kind, V_INT);
    CHECK_INT(map_get(v, "b")->kind, V_FLOAT);
    CHECK(map_get(v, "c")->kind == V_BOOL && map_get(v, "c")->u.b);
    CHECK_STR(map_get(v, "d")->u.str.s, "yes");
    CHECK_INT(map_get(v, "e")->kind, V_NULL);
    CHECK_STR(map_get(v, "f")->u.str.s, "09-01-2023 10:00");
    CHECK_INT(map_get(v, "g")->u.i, -7);
    CHECK_INT(map_get(v, "h")->kind, V_FLOAT);
    arena_free(&a);
    diag_free(&d);
}

TEST(map_keeps_insertion_order_and_json_reads_too)
{
    arena a = ARENA_INIT;
    value *v = load(&a, "{\"z\": [1, 2, {\"k\": \"v\"}], \"a\": null, \"m\": 0.0}", NULL);
    CHECK(v && v->kind == V_MAP && v->u.map.len == 3);
    CHECK_STR(v->u.map.items[0].key, "z");
    CHECK_STR(v->u.map.items[1].key, "a");
    CHECK_INT(map_get(v, "m")->kind, V_FLOAT);
    buf b = BUF_INIT;
    value_write_json(&b, v, &a, 0);
    CHECK_STR(buf_cstr(&b), "{\"z\":[1,2,{\"k\":\"v\"}],\"a\":null,\"m\":0}");
    buf_free(&b);
    arena_free(&a);
}

TEST(syntax_error_reports_line_with_offset)
{
    arena a = ARENA_INIT;
    diag_list d;
    diag_init(&d);
    value *v = yaml_load(&a, "title: ok\nbad: [unclosed\n", 24, "p.md", 1, &d);
    CHECK(v == NULL);
    CHECK_INT(d.errors, 1);
    CHECK(d.len == 1 && d.items[0].line >= 3);
    CHECK_CONTAINS(d.items[0].msg, "invalid YAML");
    arena_free(&a);
    diag_free(&d);
}

TEST(alias_bomb_is_an_error_not_exhaustion)
{
    arena a = ARENA_INIT;
    diag_list d;
    diag_init(&d);
    const char *bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
                       "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                       "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                       "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                       "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                       "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
    CHECK(load(&a, bomb, &d) == NULL);
    CHECK(diag_has(&d, DIAG_ERROR, "alias"));
    arena_free(&a);
    diag_free(&d);
}

TEST(aliases_and_merge_keys_work)
{
    arena a = ARENA_INIT;
    value *v = load(&a, "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", NULL);
    CHECK(v != NULL);
    CHECK_INT(value_path_int(v, "other.x", 0), 1);
    CHECK_INT(value_path_int(v, "other.y", 0), 3);
    arena_free(&a);
}

TEST(deep_nesting_is_limited)
{
    arena a = ARENA_INIT;
    diag_list d;
    diag_init(&d);
    buf b = BUF_INIT;
    for (int i = 0; i < 5000; i++) buf_putc(&b, '[');
    CHECK(load(&a, buf_cstr(&b), &d) == NULL);
    CHECK_INT(d.errors, 1);
    buf_free(&b);
    arena_free(&a);
    diag_free(&d);
}

TEST(empty_document_is_an_empty_map)
{
    arena a = ARENA_INIT;
    value *v = load(&a, "", NULL);
    CHECK(v && v->kind == V_MAP && v->u.map.len == 0);
    v = load(&a, "# only a comment\n", NULL);
    CHECK(v && v->kind == V_MAP);
    arena_free(&a);
}
