/* test_template.c - the template engine's behaviour as a site relies on
 * it: escaping, inheritance, includes, macros, loops, whitespace control,
 * errors with positions, limits, threads, native objects, host filters. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/files.h"
#include "lib/yaml.h"
#include "template/template.h"
#include "test.h"

/* Templates for a test: pairs of name, text, ending with NULL. */
typedef struct {
    const char *const *pairs;
} tset;

static char *load_pairs(void *ctx, const char *name, size_t *len)
{
    const tset *t = ctx;
    for (size_t i = 0; t->pairs[i]; i += 2)
        if (!strcmp(t->pairs[i], name)) {
            *len = strlen(t->pairs[i + 1]);
            return xstrdup(t->pairs[i + 1]);
        }
    return NULL;
}

static arena data_arena;

static value *json(const char *text)
{
    return yaml_load(&data_arena, text, strlen(text), "data", 0, NULL);
}

/* Render `main` from the templates with JSON data; returns the output or
 * NULL on error (the diags are printed and left in *d when given). */
static char *render_with(tpl_env *env, const char *data, diag_list *dout)
{
    diag_list d;
    diag_init(&d);
    buf out = BUF_INIT;
    int rc = tpl_render(env, "main", data ? json(data) : NULL, &out, &d);
    char *s = rc == 0 ? xstrdup(buf_cstr(&out)) : NULL;
    if (dout) {
        for (size_t i = 0; i < d.len; i++)
            diag_add(dout, d.items[i].level, d.items[i].path, d.items[i].line, d.items[i].col, "%s", d.items[i].msg);
    }
    buf_free(&out);
    diag_free(&d);
    return s;
}

static char *render1(const char *const *pairs, const char *data)
{
    tset t = {pairs};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    char *s = render_with(env, data, NULL);
    tpl_env_free(env);
    return s;
}

/* RENDER_EQ(name, text, ..., data_json, expected): render "main". */
static void render_check(const char *file, int line, const char *const *a, size_t n)
{
    const char *pairs[32] = {0};
    for (size_t i = 0; i + 2 < n && i < 30; i++) pairs[i] = a[i];
    char *got = render1(pairs, a[n - 2]);
    if (!got || strcmp(got, a[n - 1]) != 0)
        test_fail(file, line, "rendered \"%s\", expected \"%s\"", got ? got : "(error)", a[n - 1]);
    free(got);
}

#define RENDER_EQ(...)                                                               \
    do {                                                                             \
        static const char *const a_[] = {__VA_ARGS__};                               \
        render_check(__FILE__, __LINE__, a_, sizeof a_ / sizeof a_[0]);              \
    } while (0)

TEST(output_is_html_escaped_by_default)
{
    RENDER_EQ("main", "{{ s }}", "{\"s\": \"<b>Tom & 'Jerry'</b>\"}",
              "&lt;b&gt;Tom &amp; &#039;Jerry&#039;&lt;/b&gt;");
}

TEST(raw_filter_and_safe_strings_are_not_escaped)
{
    RENDER_EQ("main", "{{ s|raw }}|{% set c %}<i>{{ s }}</i>{% endset %}{{ c }}", "{\"s\": \"<b>\"}",
              "<b>|<i>&lt;b&gt;</i>");
}

TEST(string_literals_print_unescaped_but_variables_in_ternary_are_escaped)
{
    RENDER_EQ("main", "{{ '<br>' }}{{ x ? '<hr>' : s }}{{ not x ? '<hr>' : s }}", "{\"s\": \"<p>\", \"x\": true}",
              "<br><hr>&lt;p&gt;");
}

TEST(autoescape_false_turns_escaping_off)
{
    RENDER_EQ("main", "{% autoescape false %}{{ s }}{% endautoescape %}{{ s }}", "{\"s\": \"<b>\"}",
              "<b>&lt;b&gt;");
}

TEST(blocks_override_parent_and_parent_function_includes_it)
{
    RENDER_EQ("main", "{% extends 'base' %}{% block title %}Child {{ parent() }}{% endblock %}",
              "base", "<title>{% block title %}Base{% endblock %}</title><main>{% block body %}B{% endblock %}</main>",
              NULL, "<title>Child Base</title><main>B</main>");
}

TEST(three_level_inheritance_uses_the_most_derived_block)
{
    RENDER_EQ("main", "{% extends 'mid' %}{% block a %}[{{ parent() }}]{% endblock %}",
              "mid", "{% extends 'base' %}{% block a %}mid({{ parent() }}){% endblock %}{% block b %}MB{% endblock %}",
              "base", "{% block a %}base{% endblock %}-{% block b %}bb{% endblock %}",
              NULL, "[mid(base)]-MB");
}

TEST(child_sets_before_blocks_are_visible_in_parent)
{
    RENDER_EQ("main", "{% extends 'base' %}{% set who = 'child' %}", "base", "hello {{ who }}", NULL,
              "hello child");
}

TEST(include_passes_context_and_with_and_only_control_it)
{
    RENDER_EQ("main",
              "{% include 'part' %}|{% include 'part' with {b: 'B'} %}|{% include 'part' with {b: 'B'} only %}",
              "part", "{{ a|default('-') }}{{ b|default('-') }}", "{\"a\": \"A\"}", "A-|AB|-B");
}

TEST(set_inside_include_does_not_leak_out)
{
    RENDER_EQ("main", "{% set x = 1 %}{% include 'part' %}{{ x }}", "part", "{% set x = 2 %}{{ x }}", NULL, "21");
}

TEST(macros_are_called_through_import_and_from)
{
    RENDER_EQ("main",
              "{% import 'forms' as f %}{% from 'forms' import input as inp %}{{ f.input('q') }}|{{ inp('n', 'v') }}",
              "forms", "{% macro input(name, value = '') %}<input name=\"{{ name }}\" value=\"{{ value }}\">{% endmacro %}",
              NULL, "<input name=\"q\" value=\"\">|<input name=\"n\" value=\"v\">");
}

TEST(macros_do_not_see_the_callers_variables)
{
    RENDER_EQ("main", "{% macro m() %}[{{ secret|default('none') }}]{% endmacro %}{% set secret = 1 %}{{ _self.m() }}",
              NULL, "[none]");
}

TEST(loop_variable_reports_position)
{
    RENDER_EQ("main",
              "{% for x in ['a','b','c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}"
              "{{ loop.first ? 'F' }}{{ loop.last ? 'L' }}{{ loop.length }};{% endfor %}",
              NULL, "103F3;2123;321L3;");
}

TEST(loop_parent_reaches_the_outer_loop)
{
    RENDER_EQ("main", "{% for a in [1,2] %}{% for b in [1] %}{{ loop.parent.loop.index }}{% endfor %}{% endfor %}",
              NULL, "12");
}

TEST(for_else_and_key_value_over_maps)
{
    RENDER_EQ("main", "{% for k, v in m %}{{ k }}={{ v }},{% else %}empty{% endfor %}{% for x in [] %}x{% else %}none{% endfor %}",
              "{\"m\": {\"b\": 1, \"a\": 2}}", "b=1,a=2,none");
}

TEST(loop_variables_end_with_the_loop_but_outer_assignments_persist)
{
    RENDER_EQ("main", "{% set total = 0 %}{% for i in 1..4 %}{% set total = total + i %}{% set tmp = i %}{% endfor %}"
                      "{{ total }}{{ tmp is defined ? 'leak' : 'ok' }}",
              NULL, "10ok");
}

TEST(whitespace_control_trims_around_tags)
{
    RENDER_EQ("main", "<a>\n  {{- 'x' -}}\n  </a>\n{% if true %}\nyes\n{% endif %}\n{#- c -#}  end", NULL,
              "<a>x</a>\nyes\nend");
}

TEST(undefined_variables_are_null_when_not_strict)
{
    RENDER_EQ("main", "[{{ nope }}][{{ nope.deeper }}][{{ nope ?? 'fallback' }}]", NULL, "[][][fallback]");
}

TEST(strict_mode_reports_undefined_variable_with_position)
{
    static const char *const p[] = {"main", "line one\n  {{ missing }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    tpl_env_set_strict(env, true);
    diag_list d;
    diag_init(&d);
    char *s = render_with(env, NULL, &d);
    CHECK(s == NULL);
    CHECK_INT(d.errors, 1);
    if (d.len) {
        CHECK_STR(d.items[0].path, "main");
        CHECK_INT(d.items[0].line, 2);
        CHECK_INT(d.items[0].col, 6);
        CHECK_CONTAINS(d.items[0].msg, "missing");
    }
    diag_free(&d);
    tpl_env_free(env);
}

TEST(syntax_error_names_template_line_column_and_expectation)
{
    static const char *const p[] = {"main", "ok\n\n  {{ 1 + }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    diag_list d;
    diag_init(&d);
    char *s = render_with(env, NULL, &d);
    CHECK(s == NULL);
    CHECK_INT(d.len, 1);
    if (d.len) {
        CHECK_INT(d.items[0].line, 3);
        CHECK_INT(d.items[0].col, 10);
        CHECK_STR(d.items[0].msg, "unexpected token \"}}\", expected expression");
    }
    diag_free(&d);
    tpl_env_free(env);
}

TEST(unclosed_block_is_reported_with_the_opening_line)
{
    static const char *const p[] = {"main", "{% if x %}\nno end", NULL};
    diag_list d;
    diag_init(&d);
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    CHECK(render_with(env, NULL, &d) == NULL);
    CHECK(diag_has(&d, DIAG_ERROR, "endif"));
    CHECK(diag_has(&d, DIAG_ERROR, "line 1"));
    diag_free(&d);
    tpl_env_free(env);
}

TEST(include_loop_is_an_error_not_a_crash)
{
    static const char *const p[] = {"main", "{% include 'a' %}", "a", "a{% include 'b' %}", "b", "{% include 'a' %}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    diag_list d;
    diag_init(&d);
    CHECK(render_with(env, NULL, &d) == NULL);
    CHECK(diag_has(&d, DIAG_ERROR, "nested more than"));
    diag_free(&d);
    tpl_env_free(env);
}

TEST(recursive_macro_without_end_is_stopped)
{
    static const char *const p[] = {"main", "{% macro f(n) %}{{ _self.f(n + 1) }}{% endmacro %}{{ _self.f(1) }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    diag_list d;
    diag_init(&d);
    CHECK(render_with(env, NULL, &d) == NULL);
    CHECK(d.errors >= 1);
    diag_free(&d);
    tpl_env_free(env);
}

TEST(huge_range_is_refused)
{
    static const char *const p[] = {"main", "{% for i in 1..100000000 %}{% endfor %}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    diag_list d;
    diag_init(&d);
    CHECK(render_with(env, NULL, &d) == NULL);
    CHECK(diag_has(&d, DIAG_ERROR, "range"));
    diag_free(&d);
    tpl_env_free(env);
}

TEST(missing_template_is_an_error_at_the_include)
{
    static const char *const p[] = {"main", "\n{% include 'nope.twig' %}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    diag_list d;
    diag_init(&d);
    CHECK(render_with(env, NULL, &d) == NULL);
    CHECK(diag_has(&d, DIAG_ERROR, "nope.twig"));
    if (d.len) CHECK_INT(d.items[0].line, 2);
    diag_free(&d);
    tpl_env_free(env);
}

TEST(php_comparison_semantics)
{
    RENDER_EQ("main",
              "{{ '1e1' == '10' ? 'y' : 'n' }}{{ 'abc' == 0 ? 'y' : 'n' }}{{ null == false ? 'y' : 'n' }}"
              "{{ '10' < '9' ? 'y' : 'n' }}{{ 'a' in 'cat' ? 'y' : 'n' }}{{ 2 in ['1', '2'] ? 'y' : 'n' }}"
              "{{ 7 / 2 }} {{ 6 / 2 }} {{ 7 // 2 }} {{ -7 % 3 }} {{ 2 ** 10 }}",
              NULL, "ynynyy3.5 3 3 -1 1024");
}

TEST(common_filters)
{
    RENDER_EQ("main",
              "{{ 'привет мир'|upper }}|{{ 'ҚАЗАҚ'|lower }}|{{ 'hello world'|title }}|{{ [3,1,2]|sort|join(',') }}|"
              "{{ 'a,b,c'|split(',')|last }}|{{ 1234.5|number_format(2, ',', ' ') }}|{{ {a:1}|merge({b:2})|keys|join }}|"
              "{{ '<p>hi</p>'|striptags }}|{{ 'x'|default('y') }}{{ ''|default('y') }}|{{ 'Ñandú'|length }}|"
              "{{ 'a b&c'|url_encode }}|{{ {k: 'v/é'}|json_encode|raw }}|{{ '%s-%05d'|format('x', 42) }}",
              NULL,
              "ПРИВЕТ МИР|қазақ|Hello World|1,2,3|c|1 234,50|ab|hi|xy|5|a%20b%26c|{\"k\":\"v\\/\\u00e9\"}|x-00042");
}

TEST(date_filter_formats_unix_time)
{
    RENDER_EQ("main", "{{ 0|date('Y') }}", NULL, "1970");
}

/* ---- native objects ---- */

static value *page_get(void *self, const char *key, arena *a)
{
    if (!strcmp(key, "title")) return value_cstr(a, (const char *)self);
    if (!strcmp(key, "header")) {
        value *m = value_map(a);
        map_set(a, m, "author", value_cstr(a, "Ann <ann@x>"));
        return m;
    }
    return NULL;
}

static value *page_children(void *self, arena *a)
{
    value *l = value_list(a);
    list_push(a, l, value_cstr(a, "one"));
    list_push(a, l, value_cstr(a, "two"));
    return l;
}

static void page_write(void *self, buf *out) { buf_puts(out, "<page>"); }

/* page.greet(name, n): a method with arguments; page.title('x') has
 * none of that name and reads the attribute. */
static value *page_call(void *self, const char *name, value **args, size_t nargs, arena *a)
{
    if (strcmp(name, "greet")) return NULL;
    buf b = BUF_INIT;
    buf_printf(&b, "%s greets", (const char *)self);
    for (size_t i = 0; i < nargs; i++) {
        if (args[i]->kind == V_STRING) buf_printf(&b, " %s", args[i]->u.str.s);
        else if (args[i]->kind == V_INT) buf_printf(&b, " #%lld", args[i]->u.i);
        else buf_puts(&b, " ?");
    }
    value *v = value_cstr(a, buf_cstr(&b));
    buf_free(&b);
    return v;
}

static const value_class page_class = {"page", page_get, page_children, page_write, page_call};

/* tpl rendered with the native page object "Home" as `page`; malloc'd,
 * NULL when rendering fails. */
static char *render_page_object(const char *tpl)
{
    const char *p[] = {"main", tpl, NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    arena a = ARENA_INIT;
    value *ctx = value_map(&a);
    map_set(&a, ctx, "page", value_object(&a, &page_class, (void *)"Home"));
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    int rc = tpl_render(env, "main", ctx, &out, &d);
    char *text = rc == 0 ? xstrdup(buf_cstr(&out)) : NULL;
    buf_free(&out);
    diag_free(&d);
    arena_free(&a);
    tpl_env_free(env);
    return text;
}

TEST(native_objects_take_method_calls_with_arguments)
{
    char *out = render_page_object("{{ page.greet('Ann', 1 + 1, null) }}|{{ page.title('ignored') }}|"
                                   "{{ page.greet('<b>') }}");
    /* title has no method: the call reads the attribute, as Twig does */
    CHECK_STR(out, "Home greets Ann #2 ?|Home|Home greets &lt;b&gt;");
    free(out);
}

TEST(native_objects_answer_attributes_iteration_and_printing)
{
    char *out = render_page_object("{{ page.title }}|{{ page.header.author }}|{{ page.missing is defined ? 'y' : 'n' }}|"
                                   "{% for c in page %}{{ c }}{% endfor %}|{{ page|length }}|{{ page }}");
    CHECK_STR(out, "Home|Ann &lt;ann@x&gt;|n|onetwo|2|&lt;page&gt;");
    free(out);
}

/* ---- host extension ---- */

static value *translate(void *ud, arena *a, value *in, value **args, size_t nargs, diag_list *d)
{
    const char *key = in && in->kind == V_STRING ? in->u.str.s : "";
    if (!strcmp(key, "HELLO")) return value_cstr(a, (const char *)ud);
    return in;
}

static value *make_link(void *ud, arena *a, value *in, value **args, size_t nargs, diag_list *d)
{
    const char *href = nargs && args[0]->kind == V_STRING ? args[0]->u.str.s : "";
    return value_cstr(a, arena_printf(a, "<a href=\"/%s\">", href));
}

static value *failing(void *ud, arena *a, value *in, value **args, size_t nargs, diag_list *d)
{
    diag_add(d, DIAG_ERROR, NULL, 0, 0, "no such page");
    return NULL;
}

TEST(host_filters_functions_and_globals)
{
    static const char *const p[] = {"main", "{{ 'HELLO'|t }} {{ link('ru') }} {{ site_name }} {{ '<x>'|t }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    arena a = ARENA_INIT;
    tpl_env_add_filter(env, "t", translate, (void *)"Сәлем", false);
    tpl_env_add_function(env, "link", make_link, NULL, true);
    tpl_env_add_global(env, "site_name", value_cstr(&a, "Hematology"));
    char *s = render_with(env, NULL, NULL);
    CHECK_STR(s, "Сәлем <a href=\"/ru\"> Hematology &lt;x&gt;");
    free(s);
    arena_free(&a);
    tpl_env_free(env);
}

static int pure_calls;

static value *counted_translate(void *ud, arena *a, value *in, value **args, size_t nargs, diag_list *d)
{
    pure_calls++;
    const char *key = in && in->kind == V_STRING ? in->u.str.s : "";
    if (!strcmp(key, "WARN")) diag_add(d, DIAG_WARNING, NULL, 0, 0, "no translation for WARN");
    if (!strcmp(key, "HELLO")) return value_cstr(a, "Сәлем");
    if (!strcmp(key, "TAG")) return value_cstr(a, "<b>");
    return in;
}

TEST(pure_filters_of_constants_run_once_and_are_still_escaped)
{
    static const char *const p[] = {"main", "{{ 'HELLO'|t }} {{ 'TAG'|t }} {{ name|t }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    tpl_env_add_pure_filter(env, "t", counted_translate, NULL, false);
    pure_calls = 0;
    for (int i = 0; i < 3; i++) {
        char *s = render_with(env, "{\"name\": \"HELLO\"}", NULL);
        CHECK_STR(s, "Сәлем &lt;b&gt; Сәлем");
        free(s);
    }
    /* two constants once each when parsed, the variable on every render */
    CHECK_INT(pure_calls, 2 + 3);
    tpl_env_free(env);
}

TEST(pure_filter_with_something_to_say_says_it_at_render_time)
{
    static const char *const p[] = {"main", "\n[{{ 'WARN'|t }}]", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    tpl_env_add_pure_filter(env, "t", counted_translate, NULL, false);
    for (int i = 0; i < 2; i++) {
        diag_list d;
        diag_init(&d);
        char *s = render_with(env, NULL, &d);
        CHECK_STR(s, "\n[WARN]");
        CHECK(diag_has(&d, DIAG_WARNING, "no translation for WARN"));
        if (d.len) CHECK_INT(d.items[0].line, 2);
        free(s);
        diag_free(&d);
    }
    tpl_env_free(env);
}

TEST(literal_arrays_and_hashes_built_once_are_never_changed_by_a_render)
{
    static const char *const p[] = {
        "main",
        "{% set m = {'a': 1, 'b': [1, 2], 'c': {'d': 'e'}} %}{% set n = m|merge({'x': 9}) %}"
        "{% set l = [3, 1, 2] %}{{ n|json_encode|raw }}|{{ m|json_encode|raw }}|{{ l|sort|join }}|{{ l|reverse|join }}|"
        "{{ l|join }}|{{ [1, x]|join }}|{{ {(x): 1}|keys|join }}",
        NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    for (int i = 0; i < 3; i++) {
        char *s = render_with(env, i == 1 ? "{\"x\": \"y\"}" : "{\"x\": 5}", NULL);
        if (i == 1)
            CHECK_STR(s, "{\"a\":1,\"b\":[1,2],\"c\":{\"d\":\"e\"},\"x\":9}|{\"a\":1,\"b\":[1,2],\"c\":{\"d\":\"e\"}}|123|213|312|1y|y");
        else
            CHECK_STR(s, "{\"a\":1,\"b\":[1,2],\"c\":{\"d\":\"e\"},\"x\":9}|{\"a\":1,\"b\":[1,2],\"c\":{\"d\":\"e\"}}|123|213|312|15|5");
        free(s);
    }
    tpl_env_free(env);
}

TEST(host_function_error_is_reported_at_the_call)
{
    static const char *const p[] = {"main", "\n  {{ page_of('x') }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    tpl_env_add_function(env, "page_of", failing, NULL, false);
    diag_list d;
    diag_init(&d);
    CHECK(render_with(env, NULL, &d) == NULL);
    CHECK(diag_has(&d, DIAG_ERROR, "no such page"));
    if (d.len) CHECK_INT(d.items[0].line, 2);
    diag_free(&d);
    tpl_env_free(env);
}

TEST(unknown_function_is_an_error_in_strict_mode_and_a_warning_otherwise)
{
    static const char *const p[] = {"main", "[{{ nofunc(1) }}]", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    diag_list d;
    diag_init(&d);
    CHECK(render_with(env, NULL, &d) == NULL);
    CHECK(diag_has(&d, DIAG_ERROR, "nofunc"));
    diag_free(&d);
    tpl_env_free(env);

    env = tpl_env_new(load_pairs, &t);
    tpl_env_set_strict_functions(env, false);
    diag_init(&d);
    char *s = render_with(env, NULL, &d);
    CHECK_STR(s, "[]");
    CHECK_INT(d.warnings, 1);
    free(s);
    diag_free(&d);
    tpl_env_free(env);
}

TEST(render_string_renders_page_content_without_caching)
{
    tpl_env *env = tpl_env_new(NULL, NULL);
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    const char *text = "Hi {{ name }}";
    CHECK_INT(tpl_render_string(env, "page.md", text, strlen(text), json("{\"name\": \"<Ann>\"}"), &out, &d), 0);
    CHECK_STR(buf_cstr(&out), "Hi &lt;Ann&gt;");
    buf_free(&out);
    diag_free(&d);
    tpl_env_free(env);
}

/* ---- threads ---- */

typedef struct {
    tpl_env *env;
    value *ctx;
    char *result;
    int failures;
} thread_job;

static void *render_many(void *arg)
{
    thread_job *j = arg;
    for (int i = 0; i < 200; i++) {
        buf out = BUF_INIT;
        diag_list d;
        diag_init(&d);
        if (tpl_render(j->env, "main", j->ctx, &out, &d) != 0) j->failures++;
        if (!j->result) j->result = xstrdup(buf_cstr(&out));
        else if (strcmp(j->result, buf_cstr(&out)) != 0) j->failures++;
        buf_free(&out);
        diag_free(&d);
    }
    return NULL;
}

TEST(one_parsed_template_renders_from_several_threads)
{
    static const char *const p[] = {
        "main", "{% extends 'base' %}{% block body %}{% for n in news %}<li>{{ loop.index }} {{ n.title|upper }}</li>{% endfor %}{% endblock %}",
        "base", "<html>{% block body %}{% endblock %}</html>", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    value *ctx = json("{\"news\": [{\"title\": \"a\"}, {\"title\": \"b\"}, {\"title\": \"c\"}]}");
    thread_job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (thread_job){env, ctx, NULL, 0};
        pthread_create(&th[i], NULL, render_many, &jobs[i]);
    }
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        CHECK_INT(jobs[i].failures, 0);
        CHECK_STR(jobs[i].result, "<html><li>1 A</li><li>2 B</li><li>3 C</li></html>");
        free(jobs[i].result);
    }
    tpl_env_free(env);
}

TEST(cli_helper_refuses_names_outside_the_directory)
{
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    CHECK_INT(tpl_cli_render("/tmp", "../etc/passwd", NULL, &out, &d), -1);
    CHECK_INT(tpl_cli_render("/tmp", "/etc/passwd", NULL, &out, &d), -1);
    CHECK(diag_has(&d, DIAG_ERROR, "refusing"));
    buf_free(&out);
    diag_free(&d);
}

/* A link in the template folder is followed while it stays inside. */
TEST(cli_helper_does_not_follow_links_out_of_the_directory)
{
    char tmpl[] = "/tmp/folio-tpl-XXXXXX";
    CHECK(mkdtemp(tmpl) != NULL);
    char path[4200], target[4200];
    snprintf(path, sizeof path, "%s/secret.txt", tmpl);
    CHECK(file_write(path, "TOP-SECRET", 10) == 0);
    snprintf(path, sizeof path, "%s/templates", tmpl);
    CHECK(dir_make(path) == 0);
    snprintf(path, sizeof path, "%s/templates/own.html.twig", tmpl);
    CHECK(file_write(path, "OWN {{ 1 + 1 }}", 15) == 0);
    snprintf(path, sizeof path, "%s/templates/in.html.twig", tmpl);
    CHECK(symlink("own.html.twig", path) == 0);
    snprintf(path, sizeof path, "%s/templates/out.html.twig", tmpl);
    snprintf(target, sizeof target, "%s/secret.txt", tmpl);
    CHECK(symlink(target, path) == 0);
    snprintf(path, sizeof path, "%s/templates/rel.html.twig", tmpl);
    CHECK(symlink("../secret.txt", path) == 0);
    snprintf(path, sizeof path, "%s/templates/incl.html.twig", tmpl);
    CHECK(file_write(path, "{% include 'out.html.twig' %}", 29) == 0);
    snprintf(path, sizeof path, "%s/templates", tmpl);
    const char *refused[] = {"out.html.twig", "rel.html.twig", "incl.html.twig"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        buf out = BUF_INIT;
        diag_list d;
        diag_init(&d);
        CHECK_INT(tpl_cli_render(path, refused[i], NULL, &out, &d), -1);
        CHECK(!strstr(buf_cstr(&out), "TOP-SECRET"));
        buf_free(&out);
        diag_free(&d);
    }
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    CHECK_INT(tpl_cli_render(path, "in.html.twig", NULL, &out, &d), 0);
    CHECK_STR(buf_cstr(&out), "OWN 2");
    buf_free(&out);
    diag_free(&d);
    dir_remove_tree(tmpl);
}

TEST(deeply_nested_expression_is_an_error_not_a_crash)
{
    buf text = BUF_INIT;
    buf_puts(&text, "{{ ");
    for (int i = 0; i < 5000; i++) buf_putc(&text, '(');
    buf_putc(&text, '1');
    for (int i = 0; i < 5000; i++) buf_putc(&text, ')');
    buf_puts(&text, " }}");
    tpl_env *env = tpl_env_new(NULL, NULL);
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    CHECK_INT(tpl_render_string(env, "deep", text.s, text.len, NULL, &out, &d), -1);
    CHECK(d.errors >= 1);
    buf_free(&out);
    buf_free(&text);
    diag_free(&d);
    tpl_env_free(env);
}

/* ---- Twig 1/2 forms still found in Grav themes ---- */

TEST(string_interpolation_concatenates_expressions)
{
    RENDER_EQ("main", "{{ \"#{base}/img/#{ name|upper }.png\" }}|{{ 'no #{x} here' }}", "{\"base\": \"/kk\", \"name\": \"a\"}",
              "/kk/img/A.png|no #{x} here");
}

TEST(tilde_trims_spaces_but_keeps_newlines)
{
    RENDER_EQ("main", "<li>  \n    {{~ 'x' ~}}  \n</li>", NULL, "<li>  \nx\n</li>");
}

TEST(for_with_if_condition_filters_items_and_counts_them)
{
    RENDER_EQ("main", "{% for n in [1,2,3,4,5] if n is odd %}{{ loop.index }}:{{ n }}{{ loop.last ? '.' : ',' }}{% endfor %}",
              NULL, "1:1,2:3,3:5.");
}

TEST(spaceless_and_filter_tags)
{
    RENDER_EQ("main", "{% spaceless %}\n<ul>\n  <li>{{ s }}</li>\n</ul>\n{% endspaceless %}|{% filter upper %}ab{% endfilter %}",
              "{\"s\": \"<x>\"}", "<ul><li>&lt;x&gt;</li></ul>|AB");
}

TEST(embed_overrides_blocks_of_the_embedded_template)
{
    RENDER_EQ("main", "{% embed 'card' with {title: 'T'} %}{% block body %}Body {{ parent() }}{% endblock %}{% endembed %}",
              "card", "<div>{{ title }}:{% block body %}default{% endblock %}</div>", NULL, "<div>T:Body default</div>");
}

TEST(with_scopes_variables)
{
    RENDER_EQ("main", "{% set a = 1 %}{% with {a: 2, b: 3} %}{{ a }}{{ b }}{% set c = 4 %}{% endwith %}{{ a }}{{ c|default('-') }}"
                      "{% with {b: 5} only %}{{ a|default('-') }}{{ b }}{% endwith %}",
              NULL, "231--5");
}

TEST(apply_filters_rendered_content)
{
    RENDER_EQ("main", "{% apply upper|trim %}  hi {{ s }}  {% endapply %}", "{\"s\": \"<b>\"}", "HI &LT;B&GT;");
}

TEST(verbatim_outputs_tags_as_text)
{
    RENDER_EQ("main", "{% verbatim %}{{ not parsed }}{% if %}{% endverbatim %}", NULL, "{{ not parsed }}{% if %}");
}

TEST(expressions_arrays_hashes_slices_and_tests)
{
    RENDER_EQ("main",
              "{{ [1, 2, 3][1:]|join }}|{{ 'hello'[1:3] }}|{{ {a: {b: 'c'}}.a.b }}|{{ {a: 1}['a'] }}|"
              "{{ 1 is same as(1) ? 'y' : 'n' }}{{ 1 is same as('1') ? 'y' : 'n' }}|{{ null ?? 'd' }}|"
              "{{ x is not defined ? 'undef' }}|{{ 3 is odd and 4 is even ? 'ok' }}|{{ 'a' ~ (1 + 2) }}|"
              "{{ [] is empty ? 'e' }}{{ '0' is empty ? 'E' : 'ne' }}|{{ 5 not in [1, 2] ? 'out' }}|{{ 2 ** 3 ** 2 }}",
              NULL, "23|el|c|1|yn|d|undef|ok|a3|ene|out|512");
}

TEST(block_and_include_functions_return_markup)
{
    RENDER_EQ("main", "{% extends 'base' %}{% block title %}<T>{% endblock %}",
              "base", "{% block title %}{% endblock %}|{{ block('title') }}|{{ include('part', {x: '<y>'}) }}",
              "part", "{{ x }}", NULL, "<T>|<T>|&lt;y&gt;");
}

TEST(floats_print_like_php_echo)
{
    RENDER_EQ("main", "{{ 0.1 + 0.2 }} {{ 1.5 }} {{ 2.0 }} {{ 1 / 3 }} {{ 1.0e25 }} {{ 10 / 4 }} {{ (0.1 + 0.2) ~ '' }}", NULL,
              "0.3 1.5 2 0.33333333333333 1.0E+25 2.5 0.3");
}

static int load_count;
static char *counting_loader(void *ctx, const char *name, size_t *len)
{
    load_count++;
    return load_pairs(ctx, name, len);
}

TEST(optional_include_of_missing_template_asks_the_loader_once)
{
    static const char *const p[] = {"main", "a{% include 'optional' ignore missing %}b", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(counting_loader, &t);
    load_count = 0;
    for (int i = 0; i < 5; i++) {
        char *s = render_with(env, NULL, NULL);
        CHECK_STR(s, "ab");
        free(s);
    }
    CHECK_INT(load_count, 2); /* main and optional, once each */
    tpl_env_free(env);
}

TEST(date_filter_reads_date_strings_and_now)
{
    char year[16];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    snprintf(year, sizeof year, "%d", tm.tm_year + 1900);
    static const char *const p[] = {"main", "{{ 'now'|date('Y') }}|{{ '2024-03-09 10:30'|date('d.m.Y H:i') }}", NULL};
    char *s = render1(p, NULL);
    char expected[64];
    snprintf(expected, sizeof expected, "%s|09.03.2024 10:30", year);
    CHECK_STR(s, expected);
    free(s);
}

TEST(a_native_object_can_be_the_whole_context)
{
    static const char *const p[] = {"main", "{{ title }}|{% set title = 'changed' %}{{ title }}|{{ nope ?? 'n' }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    arena a = ARENA_INIT;
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    CHECK_INT(tpl_render(env, "main", value_object(&a, &page_class, (void *)"Home"), &out, &d), 0);
    CHECK_STR(buf_cstr(&out), "Home|changed|n");
    buf_free(&out);
    diag_free(&d);
    arena_free(&a);
    tpl_env_free(env);
}

TEST(arrow_functions_in_filter_map_reduce_and_sort)
{
    RENDER_EQ("main",
              "{% set min = 2 %}{{ [1, 2, 3, 4]|filter(v => v > min)|join(',') }}|"
              "{{ {a: 1, b: 2}|map((v, k) => k ~ '=' ~ v)|join('&') }}|"
              "{{ [1, 2, 3]|reduce((carry, v) => carry + v, 10) }}|"
              "{{ ['bb', 'a', 'ccc']|sort((x, y) => x|length - y|length)|join(',') }}|"
              "{{ [{n: 'x'}, {m: 1}, {n: 'y'}]|column('n')|join }}|"
              "{% for k, v in [5, 6, 7]|filter(v => v != 6) %}{{ k }}{{ v }}{% endfor %}",
              NULL, "3,4|a=1&amp;b=2|16|a,bb,ccc|xy|0527");
}

TEST(a_value_that_is_not_an_arrow_function_is_an_error)
{
    static const char *const p[] = {"main", "{{ [1]|map('upper')|join }}", NULL};
    char *s = render1(p, NULL);
    CHECK(s == NULL);
    free(s);
}

TEST(objects_compare_with_strings_by_their_text)
{
    static const char *const p[] = {"main", "{{ page == '<page>' ? 'same' : 'diff' }}|{{ page == 'x' ? 'same' : 'diff' }}|"
                                            "{{ {a: '/'}|json_encode(constant('JSON_UNESCAPED_SLASHES'))|raw }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    arena a = ARENA_INIT;
    value *ctx = value_map(&a);
    map_set(&a, ctx, "page", value_object(&a, &page_class, (void *)"Home"));
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    CHECK_INT(tpl_render(env, "main", ctx, &out, &d), 0);
    CHECK_STR(buf_cstr(&out), "same|diff|{\"a\":\"/\"}");
    buf_free(&out);
    diag_free(&d);
    arena_free(&a);
    tpl_env_free(env);
}

TEST(extreme_numbers_do_not_overflow)
{
    RENDER_EQ("main",
              "{{ range(-9223372036854775807, 9223372036854775807, 9223372036854775807)|join(',') }}|"
              "{{ (-9223372036854775807 - 1) // -1 }}|{{ 9223372036854775807 + 1 }}|{{ 7 is divisible by(-1) ? 'y' }}|"
              "{{ (-9223372036854775807..-9223372036854775806)|length }}",
              NULL, "-9223372036854775807,0,9223372036854775807|9.2233720368548E+18|9.2233720368548E+18|y|2");
}

TEST(runaway_templates_hit_limits)
{
    static const char *const doubling[] = {"main", "{% set s = 'ab' %}{% for i in 1..100 %}{% set s = s ~ s %}{% endfor %}", NULL};
    CHECK(render1(doubling, NULL) == NULL);
    static const char *const lists[] = {"main", "{% set l = [1] %}{% for i in 1..100 %}{% set l = l|merge(l) %}{% endfor %}", NULL};
    CHECK(render1(lists, NULL) == NULL);
    static const char *const forever[] = {"main", "{% for i in 1..1000000 %}{% for j in 1..1000000 %}{% endfor %}{% endfor %}", NULL};
    CHECK(render1(forever, NULL) == NULL);
    static const char *const wide[] = {"main", "{{ '%999999999d'|format(1) }}", NULL};
    CHECK(render1(wide, NULL) == NULL);
    RENDER_EQ("main", "{{ [1, 2, 3]|slice(1, 9223372036854775807)|join }}{{ 'abc'|slice(-9223372036854775807, 2) }}", NULL, "23ab");
}

TEST(error_in_included_template_names_that_template)
{
    static const char *const p[] = {"main", "{% include 'part' %}", "part", "ok\n{{ 1 // 0 }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    diag_list d;
    diag_init(&d);
    CHECK(render_with(env, NULL, &d) == NULL);
    CHECK_INT(d.len, 1);
    if (d.len) {
        CHECK_STR(d.items[0].path, "part");
        CHECK_INT(d.items[0].line, 2);
        CHECK_INT(d.items[0].col, 6);
        CHECK_CONTAINS(d.items[0].msg, "division by zero");
    }
    diag_free(&d);
    tpl_env_free(env);
}

TEST(failed_render_leaves_the_output_as_it_was)
{
    static const char *const p[] = {"main", "lots of text {{ 1 % 0 }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    buf out = BUF_INIT;
    buf_puts(&out, "before|");
    diag_list d;
    diag_init(&d);
    CHECK_INT(tpl_render(env, "main", NULL, &out, &d), -1);
    CHECK_STR(buf_cstr(&out), "before|");
    buf_free(&out);
    diag_free(&d);
    tpl_env_free(env);
}

TEST(context_variable_reaches_variables_by_computed_name)
{
    RENDER_EQ("main", "{% set color_red = '#f00' %}{% set c = 'red' %}{{ attribute(_context, 'color_' ~ c) }}|{{ _charset }}",
              NULL, "#f00|UTF-8");
}

/* Twig 3.2's cache tag: a fragment is rendered once per key and the same
 * bytes are given after, across renders of one environment, until the
 * host says the data changed; what the body sets stays inside it. */
TEST(cache_tag_renders_a_fragment_once_per_key)
{
    RENDER_EQ("main",
              "{% set n = 1 %}{% for i in 1..3 %}{% cache 'k;' ~ (i > 1 ? 'x' : 'y') ttl(300) tags(['a']) %}"
              "[{{ i }}{% set n = 5 %}]{% endcache %}{% endfor %}{{ n }}",
              NULL, "[1][2][2]1");
    static const char *const p[] = {"main", "{% cache 'v' %}{{ v }}{% endcache %}|{{ v }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    char *a = render_with(env, "{v: first}", NULL), *b = render_with(env, "{v: second}", NULL);
    CHECK_STR(a, "first|first");
    CHECK_STR(b, "first|second");
    free(a);
    free(b);
    tpl_env_forget_fragments(env);
    char *c = render_with(env, "{v: third}", NULL);
    CHECK_STR(c, "third|third");
    free(c);
    tpl_env_free(env);
    /* A fragment that renders nothing, first thing in the output (found
     * by fuzzing: the output had no buffer yet), is kept as empty. */
    RENDER_EQ("main", "{% for i in 1..2 %}{% cache 'e' %}{% if i > 1 %}late{% endif %}{% endcache %}{% endfor %}|",
              NULL, "|");
}

/* An object that gives a value it calls unfinished (self starts with
 * "draft"): the render keeps no fragment made then. */
static value *unfinished_get(void *self, const char *key, arena *a)
{
    if (strcmp(key, "text")) return NULL;
    if (!strncmp((const char *)self, "draft", 5)) tpl_mark_provisional();
    return value_cstr(a, (const char *)self);
}

static const value_class unfinished_class = {"unfinished", unfinished_get, NULL, NULL, NULL};

static char *render_unfinished(tpl_env *env, const char *text)
{
    arena a = ARENA_INIT;
    value *ctx = value_map(&a);
    map_set(&a, ctx, "o", value_object(&a, &unfinished_class, (void *)text));
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    char *s = tpl_render(env, "main", ctx, &out, &d) == 0 ? xstrdup(buf_cstr(&out)) : NULL;
    buf_free(&out);
    diag_free(&d);
    arena_free(&a);
    return s;
}

TEST(cache_tag_keeps_no_fragment_from_a_provisional_render)
{
    static const char *const p[] = {"main", "{% cache 'f' %}{{ o.text }}{% endcache %}|{{ o.text }}", NULL};
    tset t = {p};
    tpl_env *env = tpl_env_new(load_pairs, &t);
    char *a = render_unfinished(env, "draft one"), *b = render_unfinished(env, "final"),
         *c = render_unfinished(env, "other");
    CHECK_STR(a, "draft one|draft one");
    CHECK_STR(b, "final|final"); /* the draft's fragment was not kept */
    CHECK_STR(c, "final|other"); /* the final one was */
    free(a);
    free(b);
    free(c);
    tpl_env_free(env);
}

TEST(cache_tag_keys_and_options_are_checked)
{
    static const struct {
        const char *tpl, *msg;
    } bad[] = {
        {"{% cache 'a:b' %}x{% endcache %}", "reserved characters"},
        {"{% cache '' %}x{% endcache %}", "greater than zero"},
        {"{% cache 'a' foo(1) %}x{% endcache %}", "unknown \"foo\" configuration"},
        {"{% cache 'a' %}x", "endcache"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *p[] = {"main", bad[i].tpl, NULL};
        tset t = {p};
        tpl_env *env = tpl_env_new(load_pairs, &t);
        diag_list d;
        diag_init(&d);
        CHECK(render_with(env, NULL, &d) == NULL);
        CHECK(d.len >= 1);
        if (d.len) CHECK_CONTAINS(d.items[0].msg, bad[i].msg);
        diag_free(&d);
        tpl_env_free(env);
    }
}

/* Grav's own filters, as Grav's Utils and GravExtension define them,
 * for template overrides copied from a Grav theme. */
TEST(grav_truncate_filters_count_characters_and_cut_as_grav_does)
{
#define DATA_S "{\"s\": \"Гематология орталығы жаңа бағдарлама\", \"short\": \"Қысқа\"}"
    RENDER_EQ("main", "{{ short|truncate(5) }}|{{ short|truncate(4) }}", DATA_S, "Қысқа|Қысқ…");
    RENDER_EQ("main", "{{ s|truncate(14) }}", DATA_S, "Гематология ор…");
    RENDER_EQ("main", "{{ s|truncate(14, true) }}", DATA_S, "Гематология орталығы…");
    RENDER_EQ("main", "{{ s|safe_truncate(14) }}", DATA_S, "Гематология орталығы…");
    RENDER_EQ("main", "{{ s|truncate(14, false, ' ', '...') }}", DATA_S, "Гематология ор...");
    /* no break after the limit: cut at the limit; the break as last character: nothing cut */
    RENDER_EQ("main", "{{ s|truncate(30, true, '!') }}", DATA_S, "Гематология орталығы жаңа бағд…");
    RENDER_EQ("main", "{{ 'ab cd '|truncate(3, true) }}", NULL, "ab cd ");
    RENDER_EQ("main", "{{ s|truncate }}", DATA_S, "Гематология орталығы жаңа бағдарлама");
    /* what truncate gives is text, escaped when printed, cut or not (as Twig escapes a filter's output) */
    RENDER_EQ("main", "{{ '<b>x</b>'|raw|truncate(20) }}|{{ '<b>x</b>'|raw|truncate(4) }}", NULL,
              "&lt;b&gt;x&lt;/b&gt;|&lt;b&gt;x…");
}

/* More of Grav's filters, with what PHP gives for the same calls. */
TEST(grav_number_size_and_text_filters_give_what_php_gives)
{
    RENDER_EQ("main",
              "{{ 0|nicefilesize }}|{{ 1023|nicefilesize }}|{{ 1024|nicefilesize }}|{{ 1258291|nicefilesize }}|"
              "{{ 5368709120|nicefilesize }}",
              NULL, "0 B|1023 B|1 KB|1.2 MB|5 GB");
    RENDER_EQ("main",
              "{{ 999|nicenumber }}|{{ 1000|nicenumber }}|{{ 1234|nicenumber }}|{{ 1234567|nicenumber }}|"
              "{{ 'about 12,345,678 people'|nicenumber }}|{{ 'none'|nicenumber }}|{{ '0 or 42'|nicenumber }}",
              NULL, "999|1,000|1.23 k|1.23 m|12.35 m||42");
    RENDER_EQ("main", "{{ 'folio'|md5 }}|{{ 'Орталық'|base64_encode }}", NULL,
              "a9bb4df936aaddd643f7730de678596f|0J7RgNGC0LDQu9GL0ps=");
    RENDER_EQ("main", "[{{ '  xx  '|ltrim }}][{{ '  xx  '|rtrim }}][{{ 'abcxcba'|ltrim('a..c') }}][{{ '--x--'|rtrim('-') }}]",
              NULL, "[xx  ][  xx][xcba][--x]");
    RENDER_EQ("main", "{{ 7|modulus(3) }}|{{ 'hello'|modulus(2, ['odd', 'even']) }}|{{ 4|modulus(2, ['a']) }}", NULL,
              "1|even|a");
    RENDER_EQ("main",
              "{{ '/user/pages/a/photo.jpg'|basename }}|{{ '/user/pages/a/photo.jpg'|dirname }}|{{ 'a'|dirname }}|"
              "{{ '/a'|dirname }}|{{ '/a/b/'|basename }}|{{ '/'|dirname }}",
              NULL, "photo.jpg|/user/pages/a|.|/|b|/");
    RENDER_EQ("main", "{{ [1, '1', 2, 1, 'x', 'x']|array_unique|join(',') }}", NULL, "1,2,x");
    RENDER_EQ("main", "{{ 'a-b-c-b'|replace_last('b', 'X') }}|{{ 'abc'|replace_last('z', 'X') }}", NULL,
              "a-b-c-X|abc");
    /* every character an entity, the same in every build; not escaped again */
    RENDER_EQ("main", "{{ 'a@b.kz'|safe_email }}", NULL, "&#97;&#64;&#98;&#46;&#107;&#122;");
    RENDER_EQ("main",
              "[{{ '5'|pad(3, '0', constant('STR_PAD_LEFT')) }}][{{ 'ab'|pad(7, '-=', constant('STR_PAD_BOTH')) }}]"
              "[{{ 'x'|pad(3) }}][{{ 'long'|pad(2) }}]",
              NULL, "[005][-=ab-=-][x  ][long]");
}

/* What would be a mistake is an error with the template's line. */
TEST(grav_filters_refuse_what_php_would_fail_on)
{
    const char *bad[][2] = {{"{{ 5|modulus(0) }}", "modulus by zero"},
                            {"{{ 'x'|pad(5, '') }}", "the padding must not be empty"},
                            {"{{ 'x'|pad(100000000) }}", "over the limit"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *pairs[] = {"main", bad[i][0], NULL};
        tset t = {pairs};
        tpl_env *env = tpl_env_new(load_pairs, &t);
        diag_list d;
        diag_init(&d);
        CHECK(render_with(env, NULL, &d) == NULL);
        CHECK(d.len >= 1 && strstr(d.items[0].msg, bad[i][1]));
        diag_free(&d);
        tpl_env_free(env);
    }
}

TEST(grav_string_tests_and_casts)
{
#define DATA_U "{\"u\": \"/ru/news/conference/\", \"n\": null, \"m\": {\"b\": 2, \"10\": 3, \"a\": 1, \"9\": 4}}"
    RENDER_EQ("main",
              "{{ u|starts_with('/ru/') ? 'y' : 'n' }}{{ u|starts_with(['/kk/', '/en/']) ? 'y' : 'n' }}"
              "{{ u|ends_with('/') ? 'y' : 'n' }}{{ u|contains('news') ? 'y' : 'n' }}{{ u|contains('x') ? 'y' : 'n' }}"
              "{{ u|contains('') }}",
              DATA_U, "ynyyn/ru/news/conference/");
    RENDER_EQ("main", "{{ n|defined('none') }}|{{ u|defined('none') }}", DATA_U, "none|/ru/news/conference/");
    RENDER_EQ("main", "{% for k, v in m|ksort %}{{ k }}={{ v }} {% endfor %}", DATA_U, "9=4 10=3 a=1 b=2 ");
    RENDER_EQ("main", "{{ '12abc'|int + 1 }} {{ '1.5'|float * 2 }} {{ 0|bool ? 'y' : 'n' }} {{ 42|string|length }}",
              NULL, "13 3 n 2");
    RENDER_EQ("main", "{{ n|array|length }} {{ 'x'|array|join(',') }} {{ array(m)|length }} {{ string(7) }}", DATA_U,
              "0 x 4 7");
}
