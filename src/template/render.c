/* render.c - walking a template's tree to produce output.
 *
 * Variables live in a stack of frames. A frame marked as a boundary gives
 * copy semantics (an include, a block or a `with` sees the caller's
 * variables but its `set`s stay its own); an isolated frame sees nothing
 * below it (macros, `only`). A for loop's frame is neither: assigning an
 * outer variable inside a loop changes it, new variables end with the
 * loop, as in Twig.
 *
 * Inheritance: rendering a template that extends another first runs the
 * child's top-level `set`s, then renders the base template's body with a
 * chain [child, ..., base]; a block tag renders the first definition of
 * its name found along that chain, and parent() the next one after the
 * block being rendered. */
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

/* ---- variables ---- */

static var *find_in_frame(frame *f, const char *name)
{
    for (size_t i = f->nvars; i-- > 0;)
        if (f->vars[i].name == name || strcmp(f->vars[i].name, name) == 0) return &f->vars[i];
    return NULL;
}

value *tpl_lookup(render *r, const char *name, bool *found)
{
    for (frame *f = r->top; f; f = f->up) {
        var *v = find_in_frame(f, name);
        if (v) {
            *found = true;
            return v->v;
        }
        if (f->data) {
            value *dv = map_get(f->data, name);
            if (dv) {
                *found = true;
                return dv;
            }
        }
        if (f->is_isolated) break;
    }
    for (size_t i = 0; i < r->env->nglobals; i++)
        if (strcmp(r->env->globals[i].name, name) == 0) {
            *found = true;
            return r->env->globals[i].v;
        }
    *found = false;
    return NULL;
}

void tpl_define_var(render *r, frame *f, const char *name, value *v)
{
    var *x = find_in_frame(f, name);
    if (x) {
        x->v = v;
        return;
    }
    if (f->nvars == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 8;
        var *nv = arena_alloc(r->a, ncap * sizeof *nv);
        if (f->nvars) memcpy(nv, f->vars, f->nvars * sizeof *nv);
        f->vars = nv;
        f->cap = ncap;
    }
    f->vars[f->nvars++] = (var){name, v};
}

void tpl_set_var(render *r, const char *name, value *v)
{
    for (frame *f = r->top; f; f = f->up) {
        var *x = find_in_frame(f, name);
        if (x) {
            x->v = v;
            return;
        }
        if (f->data && map_get(f->data, name)) {
            tpl_define_var(r, f, name, v);
            return;
        }
        if (f->is_boundary) break;
    }
    tpl_define_var(r, r->top, name, v);
}

frame *tpl_push_frame(render *r, bool boundary, bool isolated)
{
    frame *f = arena_zalloc(r->a, sizeof *f);
    f->up = r->top;
    f->is_boundary = boundary;
    f->is_isolated = isolated;
    r->top = f;
    return f;
}

void tpl_pop_frame(render *r, frame *f) { r->top = f->up; }

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
        value_write(r->out, v);
    }
    if (r->out->len > TPL_MAX_OUTPUT) {
        buf_truncate(r->out, before);
        tpl_error(r, r->cur, 0, 0, "output is larger than the limit of %zu bytes", TPL_MAX_OUTPUT);
    }
}

/* Render l into a fresh string (markup when not empty, like Twig's
 * captures). */
static value *capture(render *r, const nodelist *l)
{
    buf tmp = BUF_INIT, *saved = r->out;
    r->out = &tmp;
    tpl_render_nodes(r, l);
    r->out = saved;
    value *v = tmp.len ? value_safe_str(r->a, tmp.s, tmp.len) : value_str_ref(r->a, "", 0);
    buf_free(&tmp);
    return v;
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

static const value_class context_class = {"context", context_get, NULL, NULL};

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

static const value_class loop_class = {"loop", loop_get, NULL, NULL};

static void render_for(render *r, const tnode *n)
{
    value *seq = tpl_eval(r, n->e);
    if (r->failed) return;
    if (seq && seq->kind == V_OBJECT) seq = value_resolve(r->a, seq);
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
            tpl_error(r, r->cur, n->line, n->col, "the template loops more than %d times in one render", TPL_MAX_STEPS);
            break;
        }
        ls->index0 = (long long)i;
        value *k, *v;
        if (seq->kind == V_LIST) {
            k = n->key_var ? value_int(r->a, (long long)i) : NULL;
            v = seq->u.list.items[i];
        } else {
            const value_pair *p = &seq->u.map.items[i];
            k = NULL;
            if (n->key_var) {
                bool is_int;
                long long iv;
                double fv;
                /* PHP turns canonical integer keys into integers */
                if (php_is_numeric_str(p->key, p->key_len, &is_int, &iv, &fv) && is_int && p->key_len &&
                    p->key[0] != ' ' && p->key[0] != '+' && !(p->key[0] == '0' && p->key_len > 1))
                    k = value_int(r->a, iv);
                else
                    k = value_str_ref(r->a, p->key, p->key_len);
            }
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
            buf tmp = BUF_INIT, *saved = r->out;
            r->out = &tmp;
            render_block_at(r, c, i, def);
            r->out = saved;
            value *v = value_safe_str(r->a, buf_cstr(&tmp), tmp.len);
            buf_free(&tmp);
            return v;
        }
    }
    tpl_error_at(r, at, "block \"%s\" has no parent definition", r->block_name);
    return NULL;
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
            if (other_error)
                for (size_t k = 0; k < quiet.len; k++) {
                    diag *x = &quiet.items[k];
                    diag_add(r->d, x->level, x->path, x->line, x->col, "%s", x->msg);
                }
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

void tpl_render_template(render *r, tpl *t, const expr *at)
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
    (void)at;
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
    value *name = tpl_eval(r, n->e);
    value *vars = n->with ? tpl_eval(r, n->with) : NULL;
    if (r->failed) return;
    tpl *t;
    if (n->kind == N_EMBED) {
        t = n->embedded;
    } else {
        t = tpl_load_value(r, name, n->e, n->ignore_missing);
        if (!t) return;
    }
    if (!enter(r, r->cur, n->line, n->col)) return;
    frame *f = tpl_push_frame(r, true, n->only);
    define_with_vars(r, f, vars, n);
    if (!r->failed) tpl_render_template(r, t, n->e);
    tpl_pop_frame(r, f);
    r->depth--;
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

static void render_node(render *r, const tnode *n)
{
    switch (n->kind) {
    case N_TEXT: emit(r, n->text, n->text_len); return;
    case N_PRINT: emit_value(r, tpl_eval(r, n->e)); return;
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
    case N_IMPORT:
    case N_MACRO:
    case N_EXTENDS: return;
    }
}

void tpl_render_nodes(render *r, const nodelist *l)
{
    for (size_t i = 0; i < l->len && !r->failed; i++) render_node(r, l->items[i]);
}
