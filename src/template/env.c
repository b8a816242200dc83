/* env.c - the template environment: registrations, the cache of parsed
 * templates and the public render entry points.
 *
 * The cache is a list guarded by the environment's mutex; a template is
 * loaded and parsed while the lock is held, so two threads asking for the
 * same new template parse it once. Parsed templates are immutable, so
 * rendering runs without the lock. A page includes a dozen templates, so
 * each thread also remembers the templates it found lately (by
 * environment id, never reused, so a freed environment's entries can
 * never match) and finds them again without the shared lock. */
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

#include "template/internal.h"

static atomic_ullong next_env_id = 1;

tpl_env *tpl_env_new(tpl_load_fn load, void *ctx)
{
    tpl_env *env = xcalloc(1, sizeof *env);
    env->id = atomic_fetch_add(&next_env_id, 1);
    env->load = load;
    env->load_ctx = ctx;
    env->strict_functions = true;
    pthread_mutex_init(&env->lock, NULL);
    return env;
}

void tpl_env_free(tpl_env *env)
{
    if (!env) return;
    for (size_t i = 0; i < env->ncache; i++) {
        free(env->cache[i].name);
        tpl_destroy(env->cache[i].t);
    }
    free(env->cache);
    tpl_env_forget_fragments(env);
    free(env->globals);
    free(env->filters);
    free(env->functions);
    arena_free(&env->mem);
    pthread_mutex_destroy(&env->lock);
    free(env);
}

void tpl_env_forget_fragments(tpl_env *env)
{
    pthread_mutex_lock(&env->lock);
    for (size_t i = 0; i < env->fragments.cap; i++)
        if (env->fragments.slots[i].key) {
            free((char *)env->fragments.slots[i].key);
            free(env->fragments.slots[i].val);
        }
    strmap_free(&env->fragments);
    env->fragments = (strmap)STRMAP_INIT;
    env->fragment_bytes = 0;
    pthread_mutex_unlock(&env->lock);
}

void tpl_env_set_strict(tpl_env *env, bool strict_variables) { env->strict_variables = strict_variables; }
void tpl_env_set_strict_functions(tpl_env *env, bool strict) { env->strict_functions = strict; }

void tpl_env_set_lang(tpl_env *env, const char *lang)
{
    snprintf(env->lang, sizeof env->lang, "%s", lang ? lang : "");
}

void tpl_env_add_global(tpl_env *env, const char *name, value *v)
{
    for (size_t i = 0; i < env->nglobals; i++)
        if (!strcmp(env->globals[i].name, name)) {
            env->globals[i].v = v;
            return;
        }
    if (env->nglobals == env->globals_cap) {
        env->globals_cap = env->globals_cap ? env->globals_cap * 2 : 8;
        env->globals = xrealloc(env->globals, env->globals_cap * sizeof *env->globals);
    }
    env->globals[env->nglobals++] = (named_value){arena_strdup(&env->mem, name), v};
}

static void add_callable(tpl_env *env, callable ***list, size_t *n, const char *name, tpl_native_fn fn, void *ud,
                         bool is_safe, bool pure)
{
    callable c = {arena_strdup(&env->mem, name), NULL, fn, ud, is_safe, false, pure};
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*list)[i]->name, name)) {
            *(*list)[i] = c;
            return;
        }
    callable *slot = arena_alloc(&env->mem, sizeof *slot);
    *slot = c;
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = slot;
}

void tpl_env_add_filter(tpl_env *env, const char *name, tpl_native_fn fn, void *ud, bool is_safe)
{
    add_callable(env, &env->filters, &env->nfilters, name, fn, ud, is_safe, false);
}

void tpl_env_add_pure_filter(tpl_env *env, const char *name, tpl_native_fn fn, void *ud, bool is_safe)
{
    add_callable(env, &env->filters, &env->nfilters, name, fn, ud, is_safe, true);
}

void tpl_env_add_function(tpl_env *env, const char *name, tpl_native_fn fn, void *ud, bool is_safe)
{
    add_callable(env, &env->functions, &env->nfunctions, name, fn, ud, is_safe, false);
}

const callable *tpl_env_filter(const tpl_env *env, const char *name)
{
    for (size_t i = 0; i < env->nfilters; i++)
        if (!strcmp(env->filters[i]->name, name)) return env->filters[i];
    return tpl_builtin_filter(name);
}

const callable *tpl_env_function(const tpl_env *env, const char *name)
{
    for (size_t i = 0; i < env->nfunctions; i++)
        if (!strcmp(env->functions[i]->name, name)) return env->functions[i];
    return tpl_builtin_function(name);
}

/* Called with the lock held; t NULL records a template that is missing. */
static void add_entry(tpl_env *env, const char *name, tpl *t)
{
    if (env->ncache == env->cache_cap) {
        env->cache_cap = env->cache_cap ? env->cache_cap * 2 : 16;
        env->cache = xrealloc(env->cache, env->cache_cap * sizeof *env->cache);
    }
    env->cache[env->ncache++] = (cache_entry){xstrdup(name), t};
}

#define RECENT_SLOTS 256
#define RECENT_NAME 120

typedef struct recent_template {
    unsigned long long env_id; /* 0: empty */
    char name[RECENT_NAME];
    tpl *t;
} recent_template;

static _Thread_local recent_template recent[RECENT_SLOTS];

static recent_template *recent_slot(const char *name)
{
    unsigned h = 2166136261u;
    for (const char *p = name; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    return &recent[h % RECENT_SLOTS];
}

tpl *tpl_env_get(tpl_env *env, const char *name, diag_list *d, const char *at_name, int line, int col)
{
    recent_template *slot = recent_slot(name);
    if (slot->env_id == env->id && !strcmp(slot->name, name)) return slot->t;
    bool rememberable = strlen(name) < RECENT_NAME;
    pthread_mutex_lock(&env->lock);
    for (size_t i = 0; i < env->ncache; i++)
        if (!strcmp(env->cache[i].name, name)) {
            tpl *t = env->cache[i].t;
            pthread_mutex_unlock(&env->lock);
            if (t && rememberable) {
                slot->env_id = env->id;
                strcpy(slot->name, name);
                slot->t = t;
            }
            if (!t)
                diag_add(d, DIAG_ERROR, at_name ? at_name : name, at_name ? line : 0, at_name ? col : 0,
                         "unable to find template \"%s\"", name);
            return t;
        }
    size_t len = 0;
    char *src = env->load ? env->load(env->load_ctx, name, &len) : NULL;
    if (!src) {
        /* remembered, so that an optional include of a template that does
         * not exist does not ask the loader again on every page */
        add_entry(env, name, NULL);
        pthread_mutex_unlock(&env->lock);
        diag_add(d, DIAG_ERROR, at_name ? at_name : name, at_name ? line : 0, at_name ? col : 0,
                 "unable to find template \"%s\"", name);
        return NULL;
    }
    tpl *t = tpl_parse(env, name, src, len, d);
    free(src);
    if (t) add_entry(env, name, t);
    pthread_mutex_unlock(&env->lock);
    return t;
}

int tpl_preload(tpl_env *env, const char *name, diag_list *d)
{
    return tpl_env_get(env, name, d, NULL, 0, 0) ? 0 : -1;
}

/* The render running on this thread, for tpl_mark_provisional. */
static _Thread_local render *running;

void tpl_mark_provisional(void)
{
    for (render *r = running; r; r = r->outer) r->is_provisional = true;
}

static int render_parsed(tpl_env *env, tpl *t, value *context, buf *out, diag_list *d)
{
    arena a = ARENA_INIT;
    render r = {.env = env, .a = &a, .d = d, .out = out, .cur = t, .outer = running};
    running = &r;
    frame root = {.is_boundary = true};
    if (context && (context->kind == V_MAP || context->kind == V_OBJECT)) root.data = context;
    r.top = &root;
    size_t start = out->len;
    tpl_render_template(&r, t);
    running = r.outer;
    arena_free(&a);
    if (r.failed) {
        buf_truncate(out, start);
        return -1;
    }
    if (!out->s) buf_puts(out, "");
    return 0;
}

int tpl_render(tpl_env *env, const char *name, value *context, buf *out, diag_list *d)
{
    tpl *t = tpl_env_get(env, name, d, NULL, 0, 0);
    if (!t) return -1;
    return render_parsed(env, t, context, out, d);
}

int tpl_render_string(tpl_env *env, const char *name_for_errors, const char *text, size_t len, value *context,
                      buf *out, diag_list *d)
{
    tpl *t = tpl_parse(env, name_for_errors, text, len, d);
    if (!t) return -1;
    int rc = render_parsed(env, t, context, out, d);
    tpl_destroy(t);
    return rc;
}
