/* fuzz_template.c - template text parsed and rendered with a fixed context.
 * The loader offers a few templates, and the input itself as "self", so
 * include/extends/embed/import loops and recursive macros are reachable. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/yaml.h"
#include "template/template.h"

typedef struct input {
    const char *text;
    size_t len;
} input;

static char *load(void *ctx, const char *name, size_t *len)
{
    const input *in = ctx;
    const char *text = NULL;
    if (!strcmp(name, "self")) {
        char *copy = malloc(in->len + 1);
        memcpy(copy, in->text, in->len);
        copy[in->len] = 0;
        *len = in->len;
        return copy;
    }
    if (!strcmp(name, "base.html.twig"))
        text = "<html>{% block title %}T{% endblock %}{% block content %}{% endblock %}</html>";
    else if (!strcmp(name, "partial.html.twig"))
        text = "{% for p in pages %}<li>{{ p.title|e }}</li>{% endfor %}{{ include('partial.html.twig') }}";
    else if (!strcmp(name, "macros.html.twig"))
        text = "{% macro m(x) %}[{{ x }}]{% if x > 0 %}{{ _self.m(x - 1) }}{% endif %}{% endmacro %}";
    if (!text) return NULL;
    *len = strlen(text);
    return strdup(text);
}

static arena context_arena = ARENA_INIT;
static value *context;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char json[] =
        "{\"page\": {\"title\": \"Новость\", \"content\": \"<p>x</p>\", \"date\": 1673236800,"
        " \"header\": {\"tags\": [\"a\", \"b\"], \"n\": 3.5}},"
        " \"pages\": [{\"title\": \"One\"}, {\"title\": \"<b>Two</b>\"}],"
        " \"config\": {\"site\": {\"title\": \"Site\"}}, \"lang\": \"ru\", \"n\": 12, \"empty\": null}";
    context = yaml_load(&context_arena, json, sizeof json - 1, "context.json", 0, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = {(const char *)data, size};
    tpl_env *env = tpl_env_new(load, &in);
    tpl_env_set_lang(env, "ru");
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    tpl_render_string(env, "fuzz.twig", in.text, size, context, &out, &d);
    diag_free(&d);
    buf_free(&out);
    tpl_env_free(env);
    return 0;
}
