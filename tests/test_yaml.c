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

/* Grav's own skeletons write "items: @self.children": YAML refuses a plain
 * value starting with @ (or ` or %), and Grav, when its strict reader
 * refuses a file, reads it with a lenient one that takes such a value as
 * text. So does folio, with a warning on each, where it is. */
TEST(values_starting_with_at_sign_are_text_as_in_grav_with_a_warning)
{
    arena a = ARENA_INIT;
    diag_list d;
    diag_init(&d);
    const char *text = "title: Blog\ncontent:\n  items: @self.children\n  order:\n    by: date # newest\n"
                       "note: `quoted` it's # a comment\nrate: %50 off\nplain: ok\n";
    value *v = yaml_load(&a, text, strlen(text), "item.md", 1, &d);
    CHECK(v != NULL);
    CHECK_STR(value_path_str(v, "content.items", ""), "@self.children");
    CHECK_STR(value_path_str(v, "content.order.by", ""), "date");
    CHECK_STR(value_path_str(v, "note", ""), "`quoted` it's");
    CHECK_STR(value_path_str(v, "rate", ""), "%50 off");
    CHECK_STR(value_path_str(v, "plain", ""), "ok");
    CHECK_INT(d.errors, 0);
    CHECK_INT(d.warnings, 3);
    CHECK(d.len == 3 && d.items[0].line == 4 && d.items[0].col == 10);
    CHECK_CONTAINS(d.len ? d.items[0].msg : "", "a value that starts with '@' is not YAML: Grav reads it as text, "
                                                "other YAML readers refuse it; put the value in quotes: "
                                                "'@self.children'");
    CHECK(d.len == 3 && d.items[1].line == 7 && d.items[2].line == 8);
    diag_free(&d);

    /* A mistake after it is still the error it was. */
    diag_init(&d);
    text = "items: @self.children\ntitle: 'open\ndate: 1\n";
    v = yaml_load(&a, text, strlen(text), "item.md", 1, &d);
    CHECK(v == NULL);
    CHECK_INT(d.warnings, 1);
    CHECK_INT(d.errors, 1);
    diag_free(&d);

    /* Each is read again: past a bound, the rest is an error. */
    buf many = BUF_INIT;
    for (int i = 0; i < 40; i++) buf_printf(&many, "k%d: @v%d\n", i, i);
    diag_init(&d);
    v = yaml_load(&a, many.s, many.len, "item.md", 1, &d);
    CHECK(v == NULL);
    CHECK_INT(d.errors, 1);
    CHECK(d.warnings > 8 && d.warnings < 40);
    diag_free(&d);
    buf_free(&many);
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

/* The one error a text gives: its line, column and message. */
static const diag *only_error(arena *a, const char *text, diag_list *d)
{
    diag_init(d);
    value *v = yaml_load(a, text, strlen(text), "item.md", 1, d); /* front matter: after the --- line */
    return v == NULL && d->len == 1 ? &d->items[0] : NULL;
}

/* Editors write front matter by hand; libyaml's own words ("did not find
 * expected key") do not say what to change. The common mistakes are
 * named, at the place to change. */
TEST(front_matter_mistakes_are_explained_where_they_are)
{
    arena a = ARENA_INIT;
    diag_list d;
    const diag *e = only_error(&a, "title: 'Doctor's day'\npublished: true\n", &d);
    CHECK(e && e->line == 2 && e->col == 15);
    CHECK_CONTAINS(e ? e->msg : "", "apostrophe inside '...' is written twice ('')");
    diag_free(&d);

    e = only_error(&a, "published: true\ntitle: 'Тест\ndate: '09-01-2023 10:00'\n", &d);
    CHECK(e && e->line == 3 && e->col == 8);
    CHECK_CONTAINS(e ? e->msg : "", "the quote that opens this value is not closed on its line");
    diag_free(&d);

    e = only_error(&a, "title: \"Школа \"Здоровье\" для пациентов\"\n", &d);
    CHECK(e && e->line == 2 && e->col == 15);
    CHECK_CONTAINS(e ? e->msg : "", "inside \"...\" is written \\\"");
    diag_free(&d);

    e = only_error(&a, "title: Конференция: итоги года\npublished: true\n", &d);
    CHECK(e && e->line == 2 && e->col == 19);
    CHECK_CONTAINS(e ? e->msg : "", "put the value in quotes: 'Конференция: итоги года'");
    diag_free(&d);
    e = only_error(&a, "title: Doctor's day: 2023\n", &d);
    CHECK_CONTAINS(e ? e->msg : "", "put the value in quotes: \"Doctor's day: 2023\"");
    diag_free(&d);

    e = only_error(&a, "title: Tabs\ntaxonomy:\n  \tcategory: news\n", &d);
    CHECK(e && e->line == 4 && e->col == 3);
    CHECK_CONTAINS(e ? e->msg : "", "a tab indents this line");
    diag_free(&d);

    /* Option+Space on a Mac, or Word, types U+00A0, which YAML reads as a
     * letter: after a key it is no separator, before one no indentation
     * (the key would be read as another, the taxonomy left empty). */
    e = only_error(&a, "title:\xC2\xA0Школа\ndate: '09-01-2023 10:00'\n", &d);
    CHECK(e && e->line == 2 && e->col == 7);
    CHECK_CONTAINS(e ? e->msg : "", "the space after 'title:' is a non-breaking one (Option+Space, or pasted from Word)");
    diag_free(&d);
    e = only_error(&a, "title: T\ntaxonomy:\n\xC2\xA0\xC2\xA0" "category: news\n", &d);
    CHECK(e && e->line == 4 && e->col == 1);
    CHECK_CONTAINS(e ? e->msg : "", "a non-breaking space (Option+Space, or pasted from Word) indents this line");
    diag_free(&d);
    e = only_error(&a, "title: T\ntaxonomy:\n  \xC2\xA0" "category: news\n  tag: [a]\n", &d);
    CHECK(e && e->line == 4 && e->col == 3);
    CHECK_CONTAINS(e ? e->msg : "", "indents this line");
    diag_free(&d);

    e = only_error(&a, "title: T\ntaxonomy:\n  category: [news\n", &d);
    CHECK(e && e->line == 4 && e->col == 13);
    CHECK_CONTAINS(e ? e->msg : "", "the '[' here is not closed: end the list with ']'");
    diag_free(&d);
    e = only_error(&a, "title: [Конференция] итоги\n", &d);
    CHECK(e && e->line == 2 && e->col == 8);
    CHECK_CONTAINS(e ? e->msg : "", "starts with '[' is read as a list; put the value in quotes: '[Конференция] итоги'");
    diag_free(&d);
    e = only_error(&a, "title: *Важно* сегодня\n", &d);
    CHECK_CONTAINS(e ? e->msg : "", "starts with '*' is read as a reference to an anchor");
    diag_free(&d);
    /* An alias alone is YAML: a later mistake is not blamed on it. */
    e = only_error(&a, "a: &x 1\nb: *x\nc: 'open\nd: 1\n", &d);
    CHECK(e && e->line == 4);
    CHECK_CONTAINS(e ? e->msg : "", "the quote that opens this value is not closed");
    diag_free(&d);

    /* A quoted value may go on over lines indented more: that is YAML,
     * and the later mistake is the one reported. */
    e = only_error(&a, "title: 'A long\n  title'\nbad: [unclosed\n", &d);
    CHECK(e && e->line == 4 && e->col == 6);
    CHECK_CONTAINS(e ? e->msg : "", "the '[' here is not closed");
    diag_free(&d);
    /* A comment after the closing quote is fine; a tab before a comment
     * or on a blank line is not (libyaml refuses both). */
    const char *ok = "title: 'Day' # the day\n";
    value *v = yaml_load(&a, ok, strlen(ok), "x", 0, NULL);
    CHECK(v && map_get(v, "title") && strcmp(map_get(v, "title")->u.str.s, "Day") == 0);
    e = only_error(&a, "title: Day\n\t\nx: 1\n", &d);
    CHECK(e && e->line == 3 && e->col == 1);
    CHECK_CONTAINS(e ? e->msg : "", "a tab indents this line");
    diag_free(&d);
    arena_free(&a);
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

/* A control character written as an escape ("\v", "\x01") in double quotes
 * is a space in the value, as one typed into a page's text is. */
TEST(escaped_control_characters_are_spaces)
{
    arena a = ARENA_INIT;
    value *v = load(&a, "t: \"a\\vb\\x01c\\td\\ne\"\nplain: 'x\\vy'\n", NULL);
    CHECK(v && v->kind == V_MAP);
    if (v && v->kind == V_MAP) {
        CHECK_STR(map_get(v, "t")->u.str.s, "a b c\td\ne");
        CHECK_STR(map_get(v, "plain")->u.str.s, "x\\vy"); /* single quotes: no escapes */
    }
    arena_free(&a);
}

/* JSON for a page's structured data stays UTF-8 whatever the text: a
 * byte that begins no character is U+FFFD (PHP's
 * JSON_INVALID_UTF8_SUBSTITUTE); without the flag it is left as it is. */
TEST(json_strings_substitute_bytes_that_are_not_utf8)
{
    static const char text[] = "Лекция \xCF\xF0\xE8 о \xD0";
    buf b = BUF_INIT;
    json_write_string(&b, text, sizeof text - 1, JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
    CHECK_STR(buf_cstr(&b), "\"Лекция \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD о \xEF\xBF\xBD\"");
    buf_reset(&b);
    json_write_string(&b, text, sizeof text - 1, JSON_UNESCAPED_UNICODE);
    CHECK(strstr(buf_cstr(&b), "\xCF\xF0\xE8") != NULL);
    buf_free(&b);
}

/* A key written twice ("published: true" and, lines later, "published:
 * false"): Grav's strict reader refuses the file and the reader it falls
 * back to keeps the first value; so does folio, with a warning at the
 * second. Nested maps too; a merge key ("<<") sets what is not set. */
TEST(key_written_twice_keeps_the_first_with_a_warning)
{
    arena a = ARENA_INIT;
    diag_list d;
    diag_init(&d);
    value *v = load(&a, "title: A\npublished: true\nmeta:\n  x: 1\n  x: 2\npublished: false\n", &d);
    CHECK(v && v->kind == V_MAP);
    CHECK_INT(v->u.map.len, 3);
    CHECK(map_get(v, "published")->kind == V_BOOL && map_get(v, "published")->u.b);
    CHECK_INT(value_path(v, "meta.x")->u.i, 1);
    CHECK_INT(d.len, 1);
    if (d.len) {
        CHECK_INT(d.items[0].level, DIAG_WARNING);
        CHECK_INT(d.items[0].line, 5);
        CHECK(strstr(d.items[0].msg, "'x' is written a second time here: the first one counts") != NULL);
    }
    diag_free(&d);
    diag_init(&d);
    v = load(&a, "base: &b\n  x: 1\n  y: 2\nitem:\n  <<: *b\n  x: 3\n", &d);
    CHECK_INT(value_path(v, "item.x")->u.i, 3);
    CHECK_INT(value_path(v, "item.y")->u.i, 2);
    CHECK_INT(d.len, 0);
    arena_free(&a);
    diag_free(&d);
}

/* A key indented as no key before it is: libyaml says "mapping values are
 * not allowed in this context" or "did not find expected key ... (noticed
 * at line 5)". The error names the key, its line, and what to write. */
TEST(key_indented_out_of_line_names_the_key_and_the_fix)
{
    static const struct {
        const char *yaml;
        int line, col;
        const char *message;
    } cases[] = {
        {"title: A\n published: true\n", 2, 1,
         "'published' is indented under 'title', which has its value on its line: start it where 'title' starts"},
        {"title: A\ntaxonomy:\n  category: news\n tag: x\n", 4, 2,
         "'tag' is indented by 1 space, and the keys before it by 0 or 2: indent it as the keys it goes with"},
        {"content:\n  items: x\n  order:\n    by: date\n   dir: desc\n", 5, 4,
         "'dir' is indented by 3 spaces, and the keys before it by 2 or 4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        arena a = ARENA_INIT;
        diag_list d;
        diag_init(&d);
        CHECK(load(&a, cases[i].yaml, &d) == NULL);
        CHECK_INT(d.len, 1);
        if (d.len) {
            CHECK_INT(d.items[0].line, cases[i].line);
            CHECK_INT(d.items[0].col, cases[i].col);
            if (!strstr(d.items[0].msg, cases[i].message))
                test_fail(__FILE__, __LINE__, "case %zu: %s", i, d.items[0].msg);
        }
        arena_free(&a);
        diag_free(&d);
    }
}
