/* template_bench.c - how long one page render takes.
 *
 * Renders two page templates many times on 1 and 2 threads from one
 * parsed copy and prints microseconds per render: list.html.twig (extends
 * a base layout with a nav include, two blocks, a loop of 10 links) and
 * blog.html.twig (the same with a macro per item, striptags and slice).
 * Usage: template_bench [RENDERS] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/yaml.h"
#include "template/template.h"

static const char *const templates[] = {
    "base.html.twig",
    "<!DOCTYPE html>\n<html lang=\"{{ lang }}\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>{% block title %}{{ site.title }}{% endblock %}</title>\n"
    "{% block head %}<link rel=\"stylesheet\" href=\"{{ base_url }}/theme/style.css\">{% endblock %}\n</head>\n<body>\n"
    "{% include 'partials/nav.html.twig' %}\n<main>{% block content %}{% endblock %}</main>\n"
    "<footer>{% block footer %}&copy; {{ site.title }}{% endblock %}</footer>\n</body>\n</html>\n",
    "partials/nav.html.twig",
    "<nav><ul>{% for item in menu %}<li{% if item.active %} class=\"active\"{% endif %}>"
    "<a href=\"{{ base_url }}{{ item.url }}\">{{ item.title }}</a></li>{% endfor %}</ul></nav>",
    "blog.html.twig",
    "{% extends 'base.html.twig' %}\n{% import _self as m %}\n"
    "{% macro card(post, base_url) %}<article><h2><a href=\"{{ base_url }}{{ post.url }}\">{{ post.title }}</a></h2>"
    "<time>{{ post.date }}</time><p>{{ post.summary|striptags|slice(0, 120) }}</p></article>{% endmacro %}\n"
    "{% block title %}{{ page.title }} | {{ parent() }}{% endblock %}\n"
    "{% block content %}<h1>{{ page.title|upper }}</h1>\n"
    "{% for post in posts %}{{ m.card(post, base_url) }}{% if loop.last %}<hr>{% endif %}{% else %}<p>none</p>{% endfor %}\n"
    "{% if posts|length > 5 %}<a class=\"more\" href=\"{{ base_url }}/news?page=2\">{{ 'More'|default('x') }}</a>{% endif %}"
    "{% endblock %}\n",
    "list.html.twig",
    "{% extends 'base.html.twig' %}\n{% block title %}{{ page.title }} | {{ parent() }}{% endblock %}\n"
    "{% block content %}<h1>{{ page.title }}</h1><ul>\n"
    "{% for post in posts %}<li><a href=\"{{ base_url }}{{ post.url }}\">{{ post.title }}</a> {{ post.date }}</li>\n"
    "{% endfor %}</ul>{% endblock %}\n",
    NULL,
};

static char *load(void *ctx, const char *name, size_t *len)
{
    for (size_t i = 0; templates[i]; i += 2)
        if (!strcmp(templates[i], name)) {
            *len = strlen(templates[i + 1]);
            return xstrdup(templates[i + 1]);
        }
    return NULL;
}

static value *make_context(arena *a)
{
    buf j = BUF_INIT;
    buf_puts(&j, "{\"lang\": \"kk\", \"base_url\": \"/kk\", \"site\": {\"title\": \"Hematology Center\"},"
                 "\"page\": {\"title\": \"News\"}, \"menu\": [");
    for (int i = 0; i < 5; i++)
        buf_printf(&j, "%s{\"title\": \"Item %d\", \"url\": \"/item-%d\", \"active\": %s}", i ? "," : "", i, i,
                   i == 1 ? "true" : "false");
    buf_puts(&j, "], \"posts\": [");
    for (int i = 0; i < 10; i++)
        buf_printf(&j, "%s{\"title\": \"Post <%d> & more\", \"url\": \"/news/post-%d\", \"date\": \"2024-01-%02d\","
                       "\"summary\": \"<p>Summary of post %d with <b>bold</b> text that goes on for a while so "
                       "that slicing has something to cut, more words here.</p>\"}",
                   i ? "," : "", i, i, i + 1, i);
    buf_puts(&j, "]}");
    value *v = yaml_load(a, j.s, j.len, "bench", 0, NULL);
    buf_free(&j);
    return v;
}

typedef struct {
    tpl_env *env;
    const char *name;
    value *ctx;
    long renders;
    size_t bytes;
} job;

static void *run(void *arg)
{
    job *j = arg;
    buf out = BUF_INIT;
    diag_list d;
    diag_init(&d);
    for (long i = 0; i < j->renders; i++) {
        buf_reset(&out);
        if (tpl_render(j->env, j->name, j->ctx, &out, &d) != 0) {
            diag_print_all(stderr, &d);
            exit(1);
        }
    }
    j->bytes = out.len;
    buf_free(&out);
    diag_free(&d);
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long renders = argc > 1 ? atol(argv[1]) : 100000;
    arena a = ARENA_INIT;
    value *ctx = make_context(&a);
    tpl_env *env = tpl_env_new(load, NULL);
    diag_list d;
    diag_init(&d);
    if (tpl_preload(env, "blog.html.twig", &d) != 0 || tpl_preload(env, "list.html.twig", &d) != 0) {
        diag_print_all(stderr, &d);
        return 1;
    }
    static const char *const names[] = {"list.html.twig", "blog.html.twig"};
    for (int k = 0; k < 2; k++) {
        for (int threads = 1; threads <= 2; threads++) {
            job jobs[2];
            pthread_t th[2];
            double t0 = now();
            for (int i = 0; i < threads; i++) {
                jobs[i] = (job){env, names[k], ctx, renders / threads, 0};
                pthread_create(&th[i], NULL, run, &jobs[i]);
            }
            for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
            double dt = now() - t0;
            printf("%s, %d thread%s: %ld renders of %zu bytes in %.3f s: %.2f us per render (wall)\n", names[k],
                   threads, threads > 1 ? "s" : "", renders, jobs[0].bytes, dt, dt * 1e6 / (double)renders);
        }
    }
    diag_free(&d);
    tpl_env_free(env);
    arena_free(&a);
    return 0;
}
