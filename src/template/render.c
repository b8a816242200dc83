/* render.c - walking a template's tree to produce output.
 *
 * Statements render in order into the output buffer; captures (set
 * blocks, macros, parent(), apply) render at the end of that buffer and
 * cut their part back out, so no temporary buffers are needed.
 *
 * Inheritance: rendering a template that extends another first runs the
 * child's top-level statements (its sets), then renders the base
 * template's body with a chain [child, ..., base]; a block tag renders the
 * first definition of its name found along that chain, and parent() the
 * next one after the block being rendered. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "template/internal.h"

void tpl_error(render *r, const tpl *t, int line, int col, const char *fmt, ...)
{
    if (r->failed) return;
    r->failed = true;
    while (t && t->embed_owner) t = t->embed_owner;
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(r->d, DIAG_ERROR, t ? t->name : "template", line, col, fmt, ap);
    va_end(ap);
}

void tpl_error_at(render *r, const expr *at, const char *fmt, ...)
{
    if (r->failed) return;
    r->failed = true;
    const tpl *t = at ? at->owner : r->cur;
    while (t && t->embed_owner) t = t->embed_owner;
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(r->d, DIAG_ERROR, t ? t->name : "template", at ? at->line : 0, at ? at->col : 0, fmt, ap);
    va_end(ap);
}

/* ---- output ---- */

static void emit(render *r, const char *s, size_t len)
{
    buf_add(r->out, s, len);
    if (r->out->len > TPL_MAX_OUTPUT)
        tpl_error(r, r->cur, 0, 0, "output is larger than the limit of %zu bytes", TPL_MAX_OUTPUT);
}

static void emit_value(render *r, value *v)
{
    if (!v) return;
    size_t before = r->out->len;
    if (v->kind == V_LIST || v->kind == V_MAP) {
        buf_puts(r->out, "Array");
    } else {
        php_write(r->out, v);
    }
    if (r->out->len > TPL_MAX_OUTPUT) {
        buf_truncate(r->out, before);
        tpl_error(r, r->cur, 0, 0, "output is larger than the limit of %zu bytes", TPL_MAX_OUTPUT);
    }
}

/* Render l into a fresh string (markup when not empty, like Twig's
 * captures). The body renders at the end of the current output, which is
 * then cut back: no buffer of its own to allocate and grow. */
static value *capture(render *r, const nodelist *l)
{
    size_t start = r->out->len;
    tpl_render_nodes(r, l);
    size_t len = r->out->len - start;
    value *v = len ? value_safe_str(r->a, r->out->s + start, len) : value_str_ref(r->a, "", 0);
    buf_truncate(r->out, start);
    return v;
}

/* Fragments kept per environment: enough for a sidebar per language and
 * page kind, never a copy of a whole site. */
#define MAX_FRAGMENT_BYTES ((size_t)16 << 20)

/* {% cache key %}: the body's output the first time a key is met, the
 * same bytes after. As in Twig the body sees the variables around it, and
 * what it sets stays inside. Two threads meeting a new key both render
 * it; the first to finish is kept. */
static void render_cache(render *r, const tnode *n)
{
    value *key = tpl_eval(r, n->e);
    if (r->failed) return;
    if (n->with) tpl_eval(r, n->with);
    if (n->filter) tpl_eval(r, n->filter);
    if (r->failed) return;
    size_t klen;
    const char *k = php_str(r, key, &klen);
    if (!klen || strlen(k) != klen || strpbrk(k, "{}()/\\@:")) {
        tpl_error(r, r->cur, n->line, n->col,
                  klen ? "cache key \"%s\" contains reserved characters \"{}()/\\@:\""
                       : "cache key length must be greater than zero",
                  k);
        return;
    }
    tpl_env *env = r->env;
    pthread_mutex_lock(&env->lock);
    const char *kept = strmap_get(&env->fragments, k);
    if (kept) buf_puts(r->out, kept);
    pthread_mutex_unlock(&env->lock);
    if (kept) return;
    size_t start = r->out->len;
    frame *f = tpl_push_frame(r, true, false);
    tpl_render_nodes(r, &n->body);
    tpl_pop_frame(r, f);
    size_t len = r->out->len - start;
    /* An empty output may have no buffer at all (s is NULL). */
    const char *made = len ? r->out->s + start : "";
    if (r->failed || r->is_provisional || memchr(made, 0, len)) return;
    pthread_mutex_lock(&env->lock);
    if (!strmap_get(&env->fragments, k) && env->fragment_bytes + klen + len <= MAX_FRAGMENT_BYTES) {
        strmap_put(&env->fragments, xstrdup(k), xstrndup(made, len));
        env->fragment_bytes += klen + len;
    }
    pthread_mutex_unlock(&env->lock);
}

/* {{ expr }} under autoescape: escape straight into the output instead of
 * building an escaped copy first. */
static void emit_escaped(render *r, const expr *e)
{
    value *v = tpl_eval(r, e->a);
    if (r->failed || !v) return;
    if ((v->kind == V_STRING && v->is_safe) || v->kind == V_INT || v->kind == V_NULL || v->kind == V_BOOL) {
        emit_value(r, v);
        return;
    }
    if (v->kind == V_STRING && e->is_html) {
        buf_add_html(r->out, v->u.str.s, v->u.str.len);
        if (r->out->len > TPL_MAX_OUTPUT)
            tpl_error(r, r->cur, 0, 0, "output is larger than the limit of %zu bytes", TPL_MAX_OUTPUT);
        return;
    }
    emit_value(r, tpl_escape(r, e, v, e->strategy));
}

static bool enter(render *r, const tpl *t, int line, int col)
{
    if (++r->depth > TPL_MAX_DEPTH) {
        tpl_error(r, t, line, col,
                  "templates nested more than %d levels deep (an include or macro that calls itself?)",
                  TPL_MAX_DEPTH);
        r->depth--;
        return false;
    }
    return true;
}

/* ---- the for loop variable ---- */

typedef struct loop_state {
    long long index0, length;
    frame *outer;
    render *r;
} loop_state;

typedef struct context_ref {
    frame *f;
    render *r;
} context_ref;

static value *context_get(void *self, const char *key, arena *a)
{
    context_ref *c = self;
    frame *saved = c->r->top;
    c->r->top = c->f;
    bool found;
    value *v = tpl_lookup(c->r, key, &found);
    c->r->top = saved;
    (void)a;
    return found ? (v ? v : value_null()) : NULL;
}

static const value_class context_class = {"context", context_get, NULL, NULL, NULL};

value *tpl_context_value(render *r)
{
    context_ref *c = arena_alloc(r->a, sizeof *c);
    c->f = r->top;
    c->r = r;
    return value_object(r->a, &context_class, c);
}

static value *loop_get(void *self, const char *key, arena *a)
{
    loop_state *l = self;
    if (!strcmp(key, "index")) return value_int(a, l->index0 + 1);
    if (!strcmp(key, "index0")) return value_int(a, l->index0);
    if (!strcmp(key, "revindex")) return value_int(a, l->length - l->index0);
    if (!strcmp(key, "revindex0")) return value_int(a, l->length - l->index0 - 1);
    if (!strcmp(key, "first")) return value_bool(l->index0 == 0);
    if (!strcmp(key, "last")) return value_bool(l->index0 == l->length - 1);
    if (!strcmp(key, "length")) return value_int(a, l->length);
    if (!strcmp(key, "parent")) {
        context_ref *c = arena_alloc(a, sizeof *c);
        c->f = l->outer;
        c->r = l->r;
        return value_object(a, &context_class, c);
    }
    return NULL;
}

static const value_class loop_class = {"loop", loop_get, NULL, NULL, NULL};

static value *loop_key(render *r, const value_pair *p)
{
    bool is_int;
    long long iv;
    double fv;
    /* PHP turns canonical integer keys into integers */
    if (php_is_numeric_str(p->key, p->key_len, &is_int, &iv, &fv) && is_int && p->key_len && p->key[0] != ' ' &&
        p->key[0] != '+' && !(p->key[0] == '0' && p->key_len > 1))
        return value_int(r->a, iv);
    return value_str_ref(r->a, p->key, p->key_len);
}

/* The items of seq for which the loop's `if` holds, keys kept. */
static value *filter_sequence(render *r, const tnode *n, value *seq)
{
    frame *f = tpl_push_frame(r, false, false);
    value *out = seq->kind == V_LIST ? value_list(r->a) : value_map(r->a);
    size_t count = seq->kind == V_LIST ? seq->u.list.len : seq->u.map.len;
    for (size_t i = 0; i < count && !r->failed; i++) {
        value *v = seq->kind == V_LIST ? seq->u.list.items[i] : seq->u.map.items[i].val;
        if (n->key_var)
            tpl_define_var(r, f, n->key_var,
                           seq->kind == V_LIST ? value_int(r->a, (long long)i) : loop_key(r, &seq->u.map.items[i]));
        tpl_define_var(r, f, n->val_var, v ? v : value_null());
        if (!value_truthy(tpl_eval(r, n->filter))) continue;
        if (seq->kind == V_LIST) list_push(r->a, out, v);
        else map_setn(r->a, out, seq->u.map.items[i].key, seq->u.map.items[i].key_len, v);
    }
    tpl_pop_frame(r, f);
    return out;
}

static void render_for(render *r, const tnode *n)
{
    value *seq = tpl_eval(r, n->e);
    if (r->failed) return;
    if (seq && seq->kind == V_OBJECT) seq = value_resolve(r->a, seq);
    if (n->filter && seq && (seq->kind == V_LIST || seq->kind == V_MAP)) seq = filter_sequence(r, n, seq);
    if (r->failed) return;
    size_t count = 0;
    if (seq && seq->kind == V_LIST) count = seq->u.list.len;
    else if (seq && seq->kind == V_MAP) count = seq->u.map.len;
    if (count == 0) {
        tpl_render_nodes(r, &n->else_body);
        return;
    }
    frame *outer = r->top;
    frame *f = tpl_push_frame(r, false, false);
    loop_state *ls = arena_zalloc(r->a, sizeof *ls);
    ls->length = (long long)count;
    ls->outer = outer;
    ls->r = r;
    tpl_define_var(r, f, "loop", value_object(r->a, &loop_class, ls));
    for (size_t i = 0; i < count && !r->failed; i++) {
        if (++r->steps > TPL_MAX_STEPS) {
            tpl_error(r, r->cur, n->line, n->col, "the template loops more than %lld times in one render", TPL_MAX_STEPS);
            break;
        }
        ls->index0 = (long long)i;
        value *k, *v;
        if (seq->kind == V_LIST) {
            k = n->key_var ? value_int(r->a, (long long)i) : NULL;
            v = seq->u.list.items[i];
        } else {
            const value_pair *p = &seq->u.map.items[i];
            k = n->key_var ? loop_key(r, p) : NULL;
            v = p->val;
        }
        if (n->key_var) tpl_define_var(r, f, n->key_var, k);
        tpl_define_var(r, f, n->val_var, v ? v : value_null());
        tpl_render_nodes(r, &n->body);
    }
    tpl_pop_frame(r, f);
}

/* ---- blocks ---- */

static void render_block_at(render *r, const chain *c, size_t level, const block_def *def)
{
    if (!enter(r, c->items[level], def->node->line, def->node->col)) return;
    const chain *saved_chain = r->blocks;
    size_t saved_level = r->block_level;
    const char *saved_name = r->block_name;
    const tpl *saved_cur = r->cur;
    r->blocks = c;
    r->block_level = level;
    r->block_name = def->name;
    r->cur = c->items[level];
    frame *f = tpl_push_frame(r, true, false);
    tpl_render_nodes(r, &def->node->body);
    tpl_pop_frame(r, f);
    r->blocks = saved_chain;
    r->block_level = saved_level;
    r->block_name = saved_name;
    r->cur = saved_cur;
    r->depth--;
}

static void render_block(render *r, const tnode *n)
{
    const chain *c = r->blocks;
    if (c) {
        for (size_t i = 0; i < c->len; i++) {
            const block_def *def = tpl_find_block(c->items[i], n->name);
            if (def) {
                render_block_at(r, c, i, def);
                return;
            }
        }
    }
    /* a block in a template rendered without a chain */
    frame *f = tpl_push_frame(r, true, false);
    tpl_render_nodes(r, &n->body);
    tpl_pop_frame(r, f);
}

value *tpl_render_parent(render *r, const expr *at)
{
    const chain *c = r->blocks;
    if (!c || !r->block_name) {
        tpl_error_at(r, at, "parent() called outside of a block");
        return NULL;
    }
    for (size_t i = r->block_level + 1; i < c->len; i++) {
        const block_def *def = tpl_find_block(c->items[i], r->block_name);
        if (def) {
            size_t start = r->out->len;
            render_block_at(r, c, i, def);
            value *v = value_safe_str(r->a, r->out->s ? r->out->s + start : "", r->out->len - start);
            buf_truncate(r->out, start);
            return v;
        }
    }
    tpl_error_at(r, at, "block \"%s\" has no parent definition", r->block_name);
    return NULL;
}

/* block('name'): the block's output as the current template would
 * render it. */
value *tpl_fn_block(render *r, const expr *at, value *in, value **args, size_t nargs)
{
    if (nargs < 1 || args[0]->kind != V_STRING) {
        tpl_error_at(r, at, "block() needs a block name");
        return NULL;
    }
    const char *name = args[0]->u.str.s;
    const chain *c = r->blocks;
    size_t start = r->out->len;
    bool found = false;
    for (size_t i = 0; c && i < c->len && !found; i++) {
        const block_def *def = tpl_find_block(c->items[i], name);
        if (def) {
            render_block_at(r, c, i, def);
            found = true;
        }
    }
    if (!found) {
        tpl_error_at(r, at, "block \"%s\" does not exist", name);
        return NULL;
    }
    value *v = value_safe_str(r->a, r->out->s ? r->out->s + start : "", r->out->len - start);
    buf_truncate(r->out, start);
    return v;
}

/* ---- templates ---- */

tpl *tpl_load_value(render *r, value *name, const expr *at, bool ignore_missing)
{
    if (!name) name = value_null();
    if (name->kind == V_LIST) {
        for (size_t i = 0; i < name->u.list.len; i++) {
            value *n = name->u.list.items[i];
            if (!n || n->kind != V_STRING || n->u.str.len == 0) continue;
            /* try quietly: a missing candidate is not an error */
            diag_list quiet;
            diag_init(&quiet);
            tpl *t = tpl_env_get(r->env, n->u.str.s, &quiet, NULL, 0, 0);
            bool other_error = !t && quiet.errors && !diag_has(&quiet, DIAG_ERROR, "unable to find template");
            if (other_error) diag_append(r->d, &quiet);
            diag_free(&quiet);
            if (t) return t;
            if (other_error) {
                r->failed = true;
                return NULL;
            }
        }
        if (!ignore_missing) tpl_error_at(r, at, "unable to find one of the templates");
        return NULL;
    }
    if (name->kind == V_OBJECT) {
        tpl_error_at(r, at, "a template name must be a string");
        return NULL;
    }
    const char *s = php_str(r, name, NULL);
    const tpl *owner = at ? at->owner : r->cur;
    while (owner && owner->embed_owner) owner = owner->embed_owner;
    if (ignore_missing) {
        diag_list quiet;
        diag_init(&quiet);
        tpl *t = tpl_env_get(r->env, s, &quiet, NULL, 0, 0);
        bool missing = !t && diag_has(&quiet, DIAG_ERROR, "unable to find template");
        if (!t && !missing)
            for (size_t k = 0; k < quiet.len; k++)
                diag_add(r->d, quiet.items[k].level, quiet.items[k].path, quiet.items[k].line, quiet.items[k].col,
                         "%s", quiet.items[k].msg);
        if (!t && !missing) r->failed = true;
        diag_free(&quiet);
        return t;
    }
    tpl *t = tpl_env_get(r->env, s, r->d, owner ? owner->name : NULL, at ? at->line : 0, at ? at->col : 0);
    if (!t) r->failed = true;
    return t;
}

/* Top-level statements of a child template run before its parent
 * renders (assignments, conditions around them); whatever they print is
 * dropped, as the parser allowed only whitespace there. */
static void run_child_prelude(render *r, const tpl *t)
{
    buf scratch = BUF_INIT, *saved = r->out;
    r->out = &scratch;
    for (size_t i = 0; i < t->body.len && !r->failed; i++) {
        tnode *n = t->body.items[i];
        if (n->kind != N_BLOCK && n->kind != N_PRINT && n->kind != N_TEXT) {
            nodelist one = {&t->body.items[i], 1, 1};
            tpl_render_nodes(r, &one);
        }
    }
    r->out = saved;
    buf_free(&scratch);
}

void tpl_render_template(render *r, tpl *t)
{
    enum { MAX_CHAIN = 32 };
    chain *c = arena_alloc(r->a, sizeof *c);
    c->items = arena_alloc(r->a, MAX_CHAIN * sizeof *c->items);
    c->len = 0;
    const tpl *saved_cur = r->cur;
    const chain *saved_chain = r->blocks;
    size_t saved_level = r->block_level;
    const char *saved_name = r->block_name;
    tpl *cur = t;
    while (!r->failed) {
        if (c->len == MAX_CHAIN) {
            tpl_error(r, cur, 1, 1, "templates extend each other in a loop or more than %d levels deep", MAX_CHAIN);
            break;
        }
        c->items[c->len++] = cur;
        if (!cur->parent) break;
        r->cur = cur;
        run_child_prelude(r, cur);
        if (r->failed) break;
        value *pn = tpl_eval(r, cur->parent);
        if (r->failed) break;
        tpl *parent = tpl_load_value(r, pn, cur->parent, false);
        if (!parent) break;
        cur = parent;
    }
    if (!r->failed) {
        r->cur = cur;
        r->blocks = c;
        r->block_level = 0;
        r->block_name = NULL;
        tpl_render_nodes(r, &cur->body);
    }
    r->cur = saved_cur;
    r->blocks = saved_chain;
    r->block_level = saved_level;
    r->block_name = saved_name;
}

static void define_with_vars(render *r, frame *f, value *vars, const tnode *n)
{
    if (!vars) return;
    if (vars->kind == V_OBJECT) vars = value_resolve(r->a, vars);
    if (vars && vars->kind == V_MAP) {
        for (size_t i = 0; i < vars->u.map.len; i++)
            tpl_define_var(r, f, vars->u.map.items[i].key, vars->u.map.items[i].val);
    } else if (vars && vars->kind == V_LIST && vars->u.list.len == 0) {
        /* an empty array literal is an empty mapping */
    } else {
        tpl_error(r, r->cur, n->line, n->col, "variables passed to \"%s\" must be a mapping",
                  n->kind == N_WITH ? "with" : "include");
    }
}

static void render_include(render *r, const tnode *n)
{
    /* an embed's template expression is its embedded template's parent */
    value *name = n->kind == N_EMBED ? NULL : tpl_eval(r, n->e);
    value *vars = n->with ? tpl_eval(r, n->with) : NULL;
    if (r->failed) return;
    tpl *t = n->kind == N_EMBED ? n->embedded : tpl_load_value(r, name, n->e, n->ignore_missing);
    if (!t) return;
    if (!enter(r, r->cur, n->line, n->col)) return;
    frame *f = tpl_push_frame(r, true, n->only);
    define_with_vars(r, f, vars, n);
    if (!r->failed) tpl_render_template(r, t);
    tpl_pop_frame(r, f);
    r->depth--;
}

/* include('name', {vars}): like the tag, as a value. */
value *tpl_fn_include(render *r, const expr *at, value *in, value **args, size_t nargs)
{
    if (nargs < 1) {
        tpl_error_at(r, at, "include() needs a template name");
        return NULL;
    }
    tpl *t = tpl_load_value(r, args[0], at, false);
    if (!t || !enter(r, at->owner, at->line, at->col)) return NULL;
    size_t start = r->out->len;
    frame *f = tpl_push_frame(r, true, false);
    tnode fake = {.kind = N_INCLUDE, .line = at->line, .col = at->col};
    if (nargs > 1) define_with_vars(r, f, args[1], &fake);
    if (!r->failed) tpl_render_template(r, t);
    tpl_pop_frame(r, f);
    r->depth--;
    value *v = value_safe_str(r->a, r->out->s ? r->out->s + start : "", r->out->len - start);
    buf_truncate(r->out, start);
    return r->failed ? NULL : v;
}

value *tpl_call_macro(render *r, const expr *at, const macro_def *m, value **args, size_t nargs)
{
    if (!enter(r, at->owner, at->line, at->col)) return NULL;
    frame *saved_top = r->top;
    const tpl *saved_cur = r->cur;
    const chain *saved_chain = r->blocks;
    const char *saved_block = r->block_name;
    r->blocks = NULL;
    r->block_name = NULL;
    frame *f = tpl_push_frame(r, true, true);
    for (size_t i = 0; i < m->nparams; i++) {
        value *v = i < nargs ? args[i] : m->defaults[i] ? tpl_eval(r, m->defaults[i]) : value_null();
        tpl_define_var(r, f, m->params[i], v ? v : value_null());
    }
    value *extra = value_list(r->a);
    for (size_t i = m->nparams; i < nargs; i++) list_push(r->a, extra, args[i]);
    tpl_define_var(r, f, "varargs", extra);
    r->cur = m->owner;
    value *out = capture(r, &m->body);
    r->top = saved_top;
    r->cur = saved_cur;
    r->blocks = saved_chain;
    r->block_name = saved_block;
    r->depth--;
    return r->failed ? NULL : out;
}

/* Guards against templates that loop for ever or build values that
 * double in size on every turn. */
static bool within_budget(render *r, const tnode *n)
{
    if (++r->steps > TPL_MAX_STEPS) {
        tpl_error(r, r->cur, n->line, n->col, "rendering ran more than %lld statements", TPL_MAX_STEPS);
        return false;
    }
    if (arena_used(r->a) > TPL_MAX_MEMORY) {
        tpl_error(r, r->cur, n->line, n->col, "rendering built more than %zu MB of values", TPL_MAX_MEMORY >> 20);
        return false;
    }
    return true;
}

static void render_node(render *r, const tnode *n)
{
    if (!within_budget(r, n)) return;
    switch (n->kind) {
    case N_TEXT: emit(r, n->text, n->text_len); return;
    case N_PRINT:
        if (n->e->kind == E_ESCAPE) emit_escaped(r, n->e);
        else emit_value(r, tpl_eval(r, n->e));
        return;
    case N_IF:
        for (size_t i = 0; i < n->nconds; i++) {
            value *c = tpl_eval(r, n->conds[i]);
            if (r->failed) return;
            if (value_truthy(c)) {
                tpl_render_nodes(r, &n->bodies[i]);
                return;
            }
        }
        tpl_render_nodes(r, &n->else_body);
        return;
    case N_FOR: render_for(r, n); return;
    case N_SET:
        if (n->is_capture) {
            value *v = capture(r, &n->body);
            if (!r->failed) tpl_set_var(r, n->names[0], v);
        } else {
            value *vals[64];
            for (size_t i = 0; i < n->nnames; i++) {
                vals[i] = tpl_eval(r, n->values[i]);
                if (r->failed) return;
            }
            for (size_t i = 0; i < n->nnames; i++) tpl_set_var(r, n->names[i], vals[i] ? vals[i] : value_null());
        }
        return;
    case N_BLOCK: render_block(r, n); return;
    case N_INCLUDE:
    case N_EMBED: render_include(r, n); return;
    case N_WITH: {
        value *vars = n->e ? tpl_eval(r, n->e) : NULL;
        if (r->failed) return;
        frame *f = tpl_push_frame(r, true, n->only);
        if (n->e) {
            if (vars && vars->kind == V_OBJECT) vars = value_resolve(r->a, vars);
            if (!vars || (vars->kind != V_MAP && !(vars->kind == V_LIST && vars->u.list.len == 0)))
                tpl_error(r, r->cur, n->line, n->col, "variables passed to the \"with\" tag must be a mapping");
            else
                define_with_vars(r, f, vars, n);
        }
        tpl_render_nodes(r, &n->body);
        tpl_pop_frame(r, f);
        return;
    }
    case N_APPLY: {
        value *saved = r->apply_input;
        r->apply_input = capture(r, &n->body);
        value *v = r->failed ? NULL : tpl_eval(r, n->e);
        r->apply_input = saved;
        emit_value(r, v);
        return;
    }
    case N_DO: tpl_eval(r, n->e); return;
    case N_BODY: tpl_render_nodes(r, &n->body); return;
    case N_CACHE: render_cache(r, n); return;
    case N_IMPORT:
    case N_MACRO:
    case N_EXTENDS: return;
    }
}

void tpl_render_nodes(render *r, const nodelist *l)
{
    if (++r->nesting > TPL_MAX_NESTING) {
        tpl_error(r, r->cur, l->len ? l->items[0]->line : 0, l->len ? l->items[0]->col : 0,
                  "templates nested more than %d tags deep", TPL_MAX_NESTING);
    }
    for (size_t i = 0; i < l->len && !r->failed; i++) render_node(r, l->items[i]);
    r->nesting--;
}
