/* eval.c - computing expressions during a render.
 *
 * Evaluation reads the render's variable frames and never writes shared
 * state: new values go to the render arena. Undefined variables and
 * attributes are null, or errors under strict_variables; the `defined`
 * test, `??` and the default filter look them up quietly instead. */
#include <stdio.h>
#include <string.h>

#include "template/internal.h"

static const char *tpl_display_name(const tpl *t)
{
    while (t && t->embed_owner) t = t->embed_owner;
    return t ? t->name : "";
}

static bool key_index(const value *key, long long *idx)
{
    if (key->kind == V_INT) {
        *idx = key->u.i;
        return true;
    }
    if (key->kind == V_BOOL) {
        *idx = key->u.b;
        return true;
    }
    if (key->kind == V_FLOAT) {
        *idx = (long long)key->u.f;
        return true;
    }
    if (key->kind == V_STRING) {
        bool is_int;
        double f;
        const char *s = key->u.str.s;
        /* only canonical integers ("3", not "03" or " 3") name list slots */
        if (key->u.str.len == 0 || (s[0] == '0' && key->u.str.len > 1) || s[0] == ' ') return false;
        return php_is_numeric_str(s, key->u.str.len, &is_int, idx, &f) && is_int;
    }
    return false;
}

/* Attribute `key` of obj; NULL when it has none. */
static value *attribute(render *r, value *obj, value *key)
{
    switch (obj->kind) {
    case V_MAP: {
        size_t len;
        const char *k = php_str(r, key, &len);
        return map_getn(obj, k, len);
    }
    case V_LIST: {
        long long i;
        if (!key_index(key, &i)) return NULL;
        if (i < 0 || (size_t)i >= obj->u.list.len) return NULL;
        return obj->u.list.items[i];
    }
    case V_OBJECT: {
        const char *k = php_str(r, key, NULL);
        if (!obj->u.obj.cls->get) return NULL;
        return obj->u.obj.cls->get(obj->u.obj.self, k, r->a);
    }
    default: return NULL;
    }
}

static value *eval_attr(render *r, const expr *e, bool quiet, bool *defined)
{
    bool base_defined = true;
    value *obj = quiet ? tpl_eval_quiet(r, e->a, &base_defined) : tpl_eval(r, e->a);
    if (r->failed || !base_defined) {
        *defined = false;
        return NULL;
    }
    value *key = tpl_eval(r, e->b);
    if (r->failed) return NULL;
    if (!obj) obj = value_null();
    bool args_done = false;
    if (e->is_call && e->nargs && obj->kind == V_OBJECT && obj->u.obj.cls->call) {
        /* a host object's method with arguments: page.find('/news') */
        value **args = arena_alloc(r->a, e->nargs * sizeof *args);
        for (size_t i = 0; i < e->nargs; i++) {
            args[i] = tpl_eval(r, e->args[i]);
            if (r->failed) return NULL;
            if (!args[i]) args[i] = value_null();
        }
        value *v = obj->u.obj.cls->call(obj->u.obj.self, php_str(r, key, NULL), args, e->nargs, r->a);
        if (v) {
            *defined = true;
            return v;
        }
        args_done = true;
    }
    value *v = attribute(r, obj, key);
    if (v) {
        *defined = true;
        if (e->is_call && !args_done) /* a.b(args) on data: the arguments are evaluated but unused */
            for (size_t i = 0; i < e->nargs && !r->failed; i++) tpl_eval(r, e->args[i]);
        return v;
    }
    *defined = false;
    if (!quiet && r->env->strict_variables) {
        const char *k = php_str(r, key, NULL);
        if (obj->kind == V_NULL)
            tpl_error_at(r, e, "impossible to access an attribute (\"%s\") on a null variable", k);
        else if (obj->kind == V_LIST || obj->kind == V_MAP)
            tpl_error_at(r, e, "key \"%s\" does not exist in array", k);
        else
            tpl_error_at(r, e, "attribute \"%s\" does not exist", k);
    }
    return NULL;
}

value *tpl_eval_quiet(render *r, const expr *e, bool *defined)
{
    *defined = true;
    if (e->kind == E_NAME) {
        value *v = tpl_lookup(r, e->name, defined);
        return *defined ? v : NULL;
    }
    if (e->kind == E_ATTR) return eval_attr(r, e, true, defined);
    return tpl_eval(r, e);
}

static value **eval_args(render *r, expr *const *args, size_t n)
{
    if (!n) return NULL;
    value **out = arena_alloc(r->a, n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        out[i] = tpl_eval(r, args[i]);
        if (!out[i]) out[i] = value_null();
    }
    return out;
}

static value *call(render *r, const expr *e, const callable *fn, value *in, value **args, size_t nargs)
{
    if (fn->builtin) return fn->builtin(r, e, in, args, nargs);
    diag_list local;
    diag_init(&local);
    value *v = fn->native(fn->ud, r->a, in, args, nargs, &local);
    for (size_t i = 0; i < local.len; i++) {
        diag *x = &local.items[i];
        if (x->level == DIAG_ERROR) tpl_error_at(r, e, "%s", x->msg);
        else diag_add(r->d, x->level, e->owner->name, e->line, e->col, "%s", x->msg);
    }
    diag_free(&local);
    return v ? v : value_null();
}

static value *eval_range(render *r, const expr *at, value *from, value *to)
{
    value *list = value_list(r->a);
    if (from->kind == V_STRING && to->kind == V_STRING && from->u.str.len >= 1 && to->u.str.len >= 1 &&
        !php_is_numeric_str(from->u.str.s, from->u.str.len, NULL, NULL, NULL)) {
        unsigned char a = (unsigned char)from->u.str.s[0], b = (unsigned char)to->u.str.s[0];
        int step = a <= b ? 1 : -1;
        for (int c = a;; c += step) {
            char ch = (char)c;
            list_push(r->a, list, value_str(r->a, &ch, 1));
            if (c == b) break;
        }
        return list;
    }
    long long a = php_to_int(from), b = php_to_int(to);
    /* in unsigned arithmetic: b - a may not fit in a long long */
    unsigned long long count = a <= b ? (unsigned long long)b - (unsigned long long)a
                                      : (unsigned long long)a - (unsigned long long)b;
    if (count >= TPL_MAX_RANGE) {
        tpl_error_at(r, at, "range of %llu items is over the limit of %d", count + 1, TPL_MAX_RANGE);
        return list;
    }
    r->steps += (long long)count + 1;
    if (r->steps > TPL_MAX_STEPS) {
        tpl_error_at(r, at, "the template loops more than %lld times in one render", TPL_MAX_STEPS);
        return list;
    }
    long long step = a <= b ? 1 : -1;
    for (long long i = a;; i += step) {
        list_push(r->a, list, value_int(r->a, i));
        if (i == b) break;
    }
    return list;
}

static value *eval_binary(render *r, const expr *e)
{
    switch (e->op) {
    case OP_AND: {
        bool x = value_truthy(tpl_eval(r, e->a));
        return value_bool(x && value_truthy(tpl_eval(r, e->b)));
    }
    case OP_OR: {
        bool x = value_truthy(tpl_eval(r, e->a));
        return value_bool(x || value_truthy(tpl_eval(r, e->b)));
    }
    case OP_COALESCE: {
        bool defined;
        value *v = tpl_eval_quiet(r, e->a, &defined);
        if (defined && v && v->kind != V_NULL) return v;
        return tpl_eval(r, e->b);
    }
    default: break;
    }
    value *x = tpl_eval(r, e->a);
    if (r->failed) return NULL;
    value *y = tpl_eval(r, e->b);
    if (r->failed) return NULL;
    if (!x) x = value_null();
    if (!y) y = value_null();
    switch (e->op) {
    case OP_EQ: return value_bool(php_loose_eq(r->a, x, y));
    case OP_NE: return value_bool(!php_loose_eq(r->a, x, y));
    case OP_LT: return value_bool(php_compare(r->a, x, y) < 0);
    case OP_GT: return value_bool(php_compare(r->a, x, y) > 0);
    case OP_LE: return value_bool(php_compare(r->a, x, y) <= 0);
    case OP_GE: return value_bool(php_compare(r->a, x, y) >= 0);
    case OP_SPACESHIP: return value_int(r->a, php_compare(r->a, x, y));
    case OP_IN: return value_bool(php_in(r->a, x, y));
    case OP_NOT_IN: return value_bool(!php_in(r->a, x, y));
    case OP_STARTS:
    case OP_ENDS: {
        size_t xl, yl;
        const char *xs = php_str(r, x, &xl), *ys = php_str(r, y, &yl);
        if (yl > xl) return value_bool(false);
        const char *at = e->op == OP_STARTS ? xs : xs + xl - yl;
        return value_bool(memcmp(at, ys, yl) == 0);
    }
    case OP_RANGE: return eval_range(r, e, x, y);
    case OP_CONCAT: {
        size_t xl, yl;
        const char *xs = php_str(r, x, &xl), *ys = php_str(r, y, &yl);
        if (xl + yl > TPL_MAX_OUTPUT) {
            tpl_error_at(r, e, "string of %zu bytes is over the limit", xl + yl);
            return NULL;
        }
        char *s = arena_alloc(r->a, xl + yl + 1);
        memcpy(s, xs, xl);
        memcpy(s + xl, ys, yl);
        s[xl + yl] = 0;
        return value_str_ref(r->a, s, xl + yl);
    }
    default: return php_arith(r, e, e->op, x, y);
    }
}

static bool test_empty(render *r, value *v)
{
    if (!v) return true;
    switch (v->kind) {
    case V_NULL: return true;
    case V_BOOL: return !v->u.b;
    case V_STRING: return v->u.str.len == 0;
    case V_LIST: return v->u.list.len == 0;
    case V_MAP: return v->u.map.len == 0;
    case V_OBJECT: {
        value *rv = value_resolve(r->a, v);
        if (rv && rv != v) return value_length(r->a, rv) == 0;
        if (v->u.obj.cls->write) {
            buf b = BUF_INIT;
            v->u.obj.cls->write(v->u.obj.self, &b);
            bool empty = b.len == 0;
            buf_free(&b);
            return empty;
        }
        return false;
    }
    default: return false;
    }
}

static value *eval_test(render *r, const expr *e)
{
    value *v = tpl_eval(r, e->a);
    if (r->failed) return NULL;
    if (!v) v = value_null();
    value **args = eval_args(r, e->args, e->nargs);
    bool res = false;
    switch (e->test) {
    case TEST_EMPTY: res = test_empty(r, v); break;
    case TEST_NULL: res = v->kind == V_NULL; break;
    case TEST_SAME_AS: res = php_same(v, args[0]); break;
    case TEST_EVEN: res = php_to_int(v) % 2 == 0; break;
    case TEST_ODD: res = php_to_int(v) % 2 != 0; break;
    case TEST_ITERABLE: res = value_is_iterable(v); break;
    case TEST_DIVISIBLE_BY: {
        long long d = php_to_int(args[0]);
        res = d != 0 && (d == -1 || php_to_int(v) % d == 0);
        break;
    }
    case TEST_STRING: res = v->kind == V_STRING; break;
    case TEST_NUMBER: res = v->kind == V_INT || v->kind == V_FLOAT; break;
    case TEST_SEQUENCE: res = v->kind == V_LIST; break;
    case TEST_MAPPING: res = v->kind == V_MAP; break;
    case TEST_TRUE: res = v->kind == V_BOOL && v->u.b; break;
    case TEST_FALSE: res = v->kind == V_BOOL && !v->u.b; break;
    case TEST_DEFINED: res = true; break; /* parsed as E_DEFINED */
    }
    return value_bool(res != e->negate);
}

/* The template an import refers to: the one it is written in for _self,
 * else the template its expression names. */
static tpl *macro_home(render *r, const expr *e)
{
    const import_decl *d = e->import;
    if (!d->source) return d->owner;
    value *name = tpl_eval(r, d->source);
    if (r->failed) return NULL;
    return tpl_load_value(r, name, d->source, false);
}

/* Macro `name` of t or of the templates t extends. */
static const macro_def *find_macro(render *r, tpl *t, const char *name)
{
    for (int level = 0; t && level < 32 && !r->failed; level++) {
        const macro_def *m = tpl_find_macro(t, name);
        if (m || !t->parent) return m;
        value *pn = tpl_eval(r, t->parent);
        if (r->failed) return NULL;
        t = tpl_load_value(r, pn, t->parent, false);
    }
    return NULL;
}

static value *eval_macro(render *r, const expr *e)
{
    tpl *home = macro_home(r, e);
    if (!home) return NULL;
    const macro_def *m = find_macro(r, home, e->name);
    /* _self inside an embed means the template the embed is written in */
    for (tpl *t = home; !m && t->embed_owner && !r->failed; t = t->embed_owner)
        m = find_macro(r, t->embed_owner, e->name);
    if (r->failed) return NULL;
    if (!m) {
        tpl_error_at(r, e, "macro \"%s\" is not defined in template \"%s\"", e->name, tpl_display_name(home));
        return NULL;
    }
    value **args = eval_args(r, e->args, e->nargs);
    if (r->failed) return NULL;
    return tpl_call_macro(r, e, m, args, e->nargs);
}

/* ---- arrow functions ---- */

typedef struct closure {
    const expr *e;
    frame *scope; /* the variables it was made with */
} closure;

static const value_class arrow_class = {"arrow function", NULL, NULL, NULL, NULL};

value *tpl_call_arrow(render *r, const expr *at, value *fn, value **args, size_t nargs)
{
    if (!fn || fn->kind != V_OBJECT || fn->u.obj.cls != &arrow_class) {
        tpl_error_at(r, at, "the \"%s\" filter expects an arrow function", at->name ? at->name : "?");
        return NULL;
    }
    const closure *c = fn->u.obj.self;
    frame *saved = r->top;
    r->top = c->scope;
    frame *f = tpl_push_frame(r, true, false);
    for (size_t i = 0; i < c->e->nparams; i++)
        tpl_define_var(r, f, c->e->params[i], i < nargs && args[i] ? args[i] : value_null());
    value *v = tpl_eval(r, c->e->a);
    r->top = saved;
    return v ? v : value_null();
}

value *tpl_eval(render *r, const expr *e)
{
    if (r->failed) return NULL;
    switch (e->kind) {
    case E_CONST: return e->val;
    case E_NAME: {
        bool found;
        value *v = tpl_lookup(r, e->name, &found);
        if (!found) {
            if (!strcmp(e->name, "_context")) return tpl_context_value(r);
            if (!strcmp(e->name, "_charset")) return value_str_ref(r->a, "UTF-8", 5);
            if (r->env->strict_variables) tpl_error_at(r, e, "variable \"%s\" does not exist", e->name);
            return value_null();
        }
        return v ? v : value_null();
    }
    case E_SELF: return value_str_ref(r->a, tpl_display_name(e->owner), strlen(tpl_display_name(e->owner)));
    case E_ARRAY: {
        if (e->folded) return e->folded;
        value *l = value_list(r->a);
        for (size_t i = 0; i < e->nargs && !r->failed; i++) {
            value *v = tpl_eval(r, e->args[i]);
            list_push(r->a, l, v ? v : value_null());
        }
        return l;
    }
    case E_HASH: {
        if (e->folded) return e->folded;
        value *m = value_map(r->a);
        for (size_t i = 0; i + 1 < e->nargs && !r->failed; i += 2) {
            value *k = tpl_eval(r, e->args[i]);
            value *v = tpl_eval(r, e->args[i + 1]);
            if (r->failed) break;
            size_t kl;
            const char *ks = php_str(r, k, &kl);
            map_setn(r->a, m, ks, kl, v ? v : value_null());
        }
        return m;
    }
    case E_ATTR: {
        bool defined;
        value *v = eval_attr(r, e, false, &defined);
        return v ? v : value_null();
    }
    case E_BINARY: return eval_binary(r, e);
    case E_UNARY: {
        value *v = tpl_eval(r, e->a);
        if (r->failed) return NULL;
        if (e->op == OP_NOT) return value_bool(!value_truthy(v));
        return php_arith(r, e, e->op, value_null(), v);
    }
    case E_COND: return value_truthy(tpl_eval(r, e->a)) ? tpl_eval(r, e->b) : tpl_eval(r, e->c);
    case E_FILTER: {
        if (e->folded) return e->folded;
        value *in;
        if (e->is_default) {
            bool defined;
            in = tpl_eval_quiet(r, e->a, &defined);
            if (r->failed) return NULL;
            if (!defined || test_empty(r, in))
                return e->nargs ? tpl_eval(r, e->args[0]) : value_str_ref(r->a, "", 0);
            return in;
        }
        in = tpl_eval(r, e->a);
        if (r->failed) return NULL;
        value **args = eval_args(r, e->args, e->nargs);
        if (r->failed) return NULL;
        return call(r, e, e->fn, in ? in : value_null(), args, e->nargs);
    }
    case E_FUNC: {
        value **args = eval_args(r, e->args, e->nargs);
        if (r->failed) return NULL;
        if (!e->fn) return value_null();
        return call(r, e, e->fn, NULL, args, e->nargs);
    }
    case E_TEST: return eval_test(r, e);
    case E_DEFINED: {
        bool defined;
        if (e->a->kind == E_CONST || e->a->kind == E_SELF) defined = true;
        else tpl_eval_quiet(r, e->a, &defined);
        if (r->failed) return NULL;
        return value_bool(defined != e->negate);
    }
    case E_PARENT: return tpl_render_parent(r, e);
    case E_MACRO: return eval_macro(r, e);
    case E_APPLY_IN: return r->apply_input ? r->apply_input : value_null();
    case E_ARROW: {
        closure *c = arena_alloc(r->a, sizeof *c);
        c->e = e;
        c->scope = r->top;
        return value_object(r->a, &arrow_class, c);
    }
    case E_ESCAPE: {
        value *v = tpl_eval(r, e->a);
        if (r->failed) return NULL;
        if (v && v->kind == V_STRING && v->is_safe) return v;
        return tpl_escape(r, e, v, e->strategy);
    }
    }
    return value_null();
}
