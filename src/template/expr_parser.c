/* expr_parser.c - Twig expressions to expr trees.
 *
 * Precedence climbing with Twig's table (or 10, and 15, comparisons 20,
 * .. 25, + - 30, ~ 40, * / // % 60, is 100, ** 200, ?? 300; unary not 50,
 * unary - + 500), then the conditional operators at the outermost level.
 * Filters, attribute access and calls bind tighter than any operator.
 * Names are resolved here: filters and functions to their callables,
 * macro calls to the import that brings them in. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "template/parse.h"

/* ---- token helpers ---- */

void parse_error(parser *p, const token *at, const char *fmt, ...)
{
    if (p->failed) return;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(p->d, DIAG_ERROR, p->name, at ? at->line : 0, at ? at->col : 0, fmt, ap);
    va_end(ap);
}

const token *peek(parser *p) { return &p->toks[p->pos]; }

const token *peek_at(parser *p, size_t ahead)
{
    size_t i = p->pos + ahead;
    return &p->toks[i < p->ntok ? i : p->ntok - 1];
}

const token *next_tok(parser *p)
{
    const token *t = &p->toks[p->pos];
    if (t->kind != T_EOF) p->pos++;
    return t;
}

bool tok_is(const token *t, tok_kind k, const char *s)
{
    return t->kind == k && (!s || (t->len == strlen(s) && memcmp(t->s, s, t->len) == 0));
}

bool accept(parser *p, tok_kind k, const char *s)
{
    if (!tok_is(peek(p), k, s)) return false;
    next_tok(p);
    return true;
}

const char *tok_desc(const token *t, char *tmp, size_t n)
{
    switch (t->kind) {
    case T_EOF: return "end of template";
    case T_TEXT: return "text";
    case T_VAR_START: return "\"{{\"";
    case T_VAR_END: return "\"}}\"";
    case T_BLOCK_START: return "\"{%\"";
    case T_BLOCK_END: return "\"%}\"";
    case T_STRING: snprintf(tmp, n, "string \"%.40s\"", t->s); return tmp;
    default: snprintf(tmp, n, "\"%.40s\"", t->s); return tmp;
    }
}

const token *expect(parser *p, tok_kind k, const char *s, const char *what)
{
    const token *t = peek(p);
    if (tok_is(t, k, s)) return next_tok(p);
    char tmp[80];
    parse_error(p, t, "unexpected token %s, expected %s", tok_desc(t, tmp, sizeof tmp), what);
    return NULL;
}

expr *new_expr(parser *p, expr_kind k, const token *at)
{
    expr *e = arena_zalloc(p->a, sizeof *e);
    e->kind = k;
    e->line = at->line;
    e->col = at->col;
    e->owner = p->t;
    return e;
}

/* ---- operators ---- */

typedef struct opinfo {
    const char *text;
    binop op;
    int prec;
    bool right_assoc;
} opinfo;

static const opinfo binary_ops[] = {
    {"or", OP_OR, 10, false},      {"and", OP_AND, 15, false},    {"==", OP_EQ, 20, false},
    {"!=", OP_NE, 20, false},      {"<=>", OP_SPACESHIP, 20, false}, {"<", OP_LT, 20, false},
    {">", OP_GT, 20, false},       {">=", OP_GE, 20, false},      {"<=", OP_LE, 20, false},
    {"in", OP_IN, 20, false},      {"matches", OP_MATCHES, 20, false},
    {"..", OP_RANGE, 25, false},   {"+", OP_ADD, 30, false},      {"-", OP_SUB, 30, false},
    {"~", OP_CONCAT, 40, false},   {"*", OP_MUL, 60, false},      {"/", OP_DIV, 60, false},
    {"//", OP_FLOORDIV, 60, false}, {"%", OP_MOD, 60, false},     {"**", OP_POW, 200, true},
    {"??", OP_COALESCE, 300, true},
};

/* Unary minus takes its operand up to `**`: -1 ** 0 is -(1 ** 0). */
enum { PREC_IS = 100, PREC_NOT = 50, PREC_UNARY_SIGN = 200 };

/* The binary operator at the current position (two-word ones included);
 * *words is how many tokens it spans. */
static const opinfo *peek_binary(parser *p, int *words, bool *is_test)
{
    const token *t = peek(p);
    *words = 1;
    *is_test = false;
    if (t->kind == T_NAME) {
        if (tok_is(t, T_NAME, "is")) {
            *is_test = true;
            return NULL;
        }
        if (tok_is(t, T_NAME, "not") && tok_is(peek_at(p, 1), T_NAME, "in")) {
            static const opinfo not_in = {"not in", OP_NOT_IN, 20, false};
            *words = 2;
            return &not_in;
        }
        if (tok_is(t, T_NAME, "starts") && tok_is(peek_at(p, 1), T_NAME, "with")) {
            static const opinfo starts = {"starts with", OP_STARTS, 20, false};
            *words = 2;
            return &starts;
        }
        if (tok_is(t, T_NAME, "ends") && tok_is(peek_at(p, 1), T_NAME, "with")) {
            static const opinfo ends = {"ends with", OP_ENDS, 20, false};
            *words = 2;
            return &ends;
        }
    } else if (t->kind != T_PUNCT) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof binary_ops / sizeof binary_ops[0]; i++)
        if (t->len == strlen(binary_ops[i].text) && memcmp(t->s, binary_ops[i].text, t->len) == 0) {
            return &binary_ops[i];
        }
    return NULL;
}

static expr *parse_postfix(parser *p, expr *e);
static expr *parse_primary(parser *p);

/* An arrow function `x => expr` or `(x, y) => expr`, allowed where
 * Twig allows them: as arguments. NULL (nothing consumed) when the
 * tokens ahead are not one. */
static expr *try_arrow(parser *p)
{
    size_t n = 0, i;
    const token *t = peek(p);
    if (t->kind == T_NAME && tok_is(peek_at(p, 1), T_PUNCT, "=>")) {
        n = 1;
        i = 1;
    } else if (tok_is(t, T_PUNCT, "(")) {
        i = 1;
        for (;;) {
            if (peek_at(p, i)->kind != T_NAME) return NULL;
            n++;
            i++;
            if (tok_is(peek_at(p, i), T_PUNCT, ",")) {
                i++;
                continue;
            }
            if (!tok_is(peek_at(p, i), T_PUNCT, ")")) return NULL;
            i++;
            break;
        }
        if (!tok_is(peek_at(p, i), T_PUNCT, "=>")) return NULL;
    } else {
        return NULL;
    }
    expr *e = new_expr(p, E_ARROW, t);
    e->params = arena_alloc(p->a, n * sizeof *e->params);
    for (size_t k = 0, pos = 0; k < i + 1; k++) {
        const token *x = next_tok(p);
        if (x->kind == T_NAME) e->params[pos++] = x->s;
    }
    e->nparams = n;
    e->a = parse_expression(p, 0);
    return e->a ? e : NULL;
}

static expr **parse_args(parser *p, size_t *n)
{
    /* at "(" */
    expr **args = NULL;
    size_t len = 0, cap = 0;
    expect(p, T_PUNCT, "(", "\"(\"");
    while (!p->failed && !tok_is(peek(p), T_PUNCT, ")")) {
        if (len) {
            if (!expect(p, T_PUNCT, ",", "\",\" or \")\"")) break;
            if (tok_is(peek(p), T_PUNCT, ")")) break;
        }
        if (peek(p)->kind == T_NAME && tok_is(peek_at(p, 1), T_PUNCT, "=")) {
            parse_error(p, peek(p), "named arguments are not supported");
            break;
        }
        expr *a = try_arrow(p);
        if (!a && !p->failed) a = parse_expression(p, 0);
        if (!a) break;
        if (len == cap) {
            cap = cap ? cap * 2 : 4;
            expr **na = arena_alloc(p->a, cap * sizeof *na);
            if (len) memcpy(na, args, len * sizeof *na);
            args = na;
        }
        args[len++] = a;
    }
    if (!p->failed) expect(p, T_PUNCT, ")", "\")\"");
    *n = len;
    return p->failed ? NULL : args;
}

static const import_entry *find_import(parser *p, const char *alias, bool want_from)
{
    for (size_t i = p->nimports; i-- > 0;) {
        import_entry *ie = &p->imports[i];
        if (ie->scope != p->tpl_scope && ie->scope != p->cur_scope) continue;
        if (ie->is_from == want_from && strcmp(ie->alias, alias) == 0) return ie;
    }
    return NULL;
}

static expr *parse_test(parser *p, expr *subject)
{
    const token *is = next_tok(p); /* "is" */
    bool negate = accept(p, T_NAME, "not");
    const token *nt = expect(p, T_NAME, NULL, "test name");
    if (!nt) return NULL;
    const char *name = nt->s;
    if ((strcmp(name, "same") == 0 && accept(p, T_NAME, "as")))
        name = "same as";
    else if (strcmp(name, "divisible") == 0 && accept(p, T_NAME, "by"))
        name = "divisible by";
    static const struct {
        const char *name;
        test_kind kind;
    } known[] = {
        {"defined", TEST_DEFINED}, {"empty", TEST_EMPTY}, {"null", TEST_NULL}, {"none", TEST_NULL},
        {"same as", TEST_SAME_AS}, {"even", TEST_EVEN}, {"odd", TEST_ODD}, {"iterable", TEST_ITERABLE},
        {"divisible by", TEST_DIVISIBLE_BY}, {"string", TEST_STRING}, {"number", TEST_NUMBER},
        {"sequence", TEST_SEQUENCE}, {"mapping", TEST_MAPPING}, {"true", TEST_TRUE}, {"false", TEST_FALSE},
    };
    int found = -1;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(known[i].name, name)) found = (int)i;
    if (found < 0) {
        parse_error(p, nt, "unknown \"%s\" test", name);
        return NULL;
    }
    expr *e = new_expr(p, E_TEST, is);
    e->name = name;
    e->test = known[found].kind;
    e->negate = negate;
    e->a = subject;
    if (e->test == TEST_DEFINED) {
        if (subject->kind != E_NAME && subject->kind != E_ATTR && subject->kind != E_CONST &&
            subject->kind != E_SELF) {
            parse_error(p, is, "the \"defined\" test only works with simple variables");
            return NULL;
        }
        if (subject->kind == E_ATTR && subject->is_call) {
            parse_error(p, is, "the \"defined\" test only works with simple variables");
            return NULL;
        }
        e->kind = E_DEFINED;
        return e;
    }
    if (tok_is(peek(p), T_PUNCT, "(")) {
        e->args = parse_args(p, &e->nargs);
    } else if (e->test == TEST_SAME_AS || e->test == TEST_DIVISIBLE_BY) {
        expr *arg = parse_primary(p);
        if (!arg) return NULL;
        e->args = arena_alloc(p->a, sizeof *e->args);
        e->args[0] = arg;
        e->nargs = 1;
    }
    if ((e->test == TEST_SAME_AS || e->test == TEST_DIVISIBLE_BY) && e->nargs != 1 && !p->failed) {
        parse_error(p, nt, "the \"%s\" test needs one argument", name);
        return NULL;
    }
    return p->failed ? NULL : e;
}

expr *parse_expression(parser *p, int min_prec)
{
    if (++p->depth > TPL_MAX_EXPR_DEPTH) {
        parse_error(p, peek(p), "expression nested too deeply");
        p->depth--;
        return NULL;
    }
    expr *left;
    const token *t = peek(p);
    if (tok_is(t, T_NAME, "not") || tok_is(t, T_PUNCT, "-") || tok_is(t, T_PUNCT, "+")) {
        next_tok(p);
        bool is_not = t->kind == T_NAME;
        expr *operand = parse_expression(p, is_not ? PREC_NOT : PREC_UNARY_SIGN);
        if (!operand) {
            p->depth--;
            return NULL;
        }
        left = new_expr(p, E_UNARY, t);
        left->op = is_not ? OP_NOT : tok_is(t, T_PUNCT, "-") ? OP_NEG : OP_POS;
        left->a = operand;
        left = parse_postfix(p, left);
    } else {
        left = parse_primary(p);
    }
    while (left && !p->failed) {
        int words;
        bool is_test;
        const opinfo *op = peek_binary(p, &words, &is_test);
        if (is_test) {
            if (PREC_IS < min_prec) break;
            left = parse_test(p, left);
            continue;
        }
        if (!op || op->prec < min_prec) break;
        const token *ot = peek(p);
        if (op->op == OP_MATCHES) {
            parse_error(p, ot, "the \"matches\" operator is not supported");
            break;
        }
        for (int i = 0; i < words; i++) next_tok(p);
        expr *right = parse_expression(p, op->right_assoc ? op->prec : op->prec + 1);
        if (!right) {
            left = NULL;
            break;
        }
        expr *b = new_expr(p, E_BINARY, ot);
        b->op = op->op;
        b->a = left;
        b->b = right;
        left = b;
    }
    if (left && min_prec == 0) {
        for (;;) {
            const token *q = peek(p);
            if (tok_is(q, T_PUNCT, "?")) {
                next_tok(p);
                expr *c = new_expr(p, E_COND, q);
                c->a = left;
                c->b = parse_expression(p, 0);
                if (!c->b) return p->depth--, NULL;
                if (accept(p, T_PUNCT, ":")) {
                    c->c = parse_expression(p, 0);
                    if (!c->c) return p->depth--, NULL;
                } else {
                    c->c = new_expr(p, E_CONST, q);
                    c->c->val = value_str_ref(p->a, "", 0);
                }
                left = c;
            } else if (tok_is(q, T_PUNCT, "?:")) {
                next_tok(p);
                expr *c = new_expr(p, E_COND, q);
                c->a = left;
                c->b = left; /* evaluated twice; both are side-effect free */
                c->c = parse_expression(p, 0);
                if (!c->c) return p->depth--, NULL;
                left = c;
            } else {
                break;
            }
        }
    }
    p->depth--;
    return p->failed ? NULL : left;
}

static expr *const_expr(parser *p, const token *at, value *v)
{
    expr *e = new_expr(p, E_CONST, at);
    e->val = v;
    return e;
}

static expr *parse_function_call(parser *p, const token *nt)
{
    const char *name = nt->s;
    if (strcmp(name, "parent") == 0) {
        expr *e = new_expr(p, E_PARENT, nt);
        size_t n;
        parse_args(p, &n);
        if (!p->in_block) {
            parse_error(p, nt, "calling the \"parent\" function outside of a block is forbidden");
            return NULL;
        }
        if (!p->parent_call) p->parent_call = nt;
        return e;
    }
    const import_entry *ie = find_import(p, name, true);
    expr *e = new_expr(p, ie ? E_MACRO : E_FUNC, nt);
    e->name = name;
    e->args = parse_args(p, &e->nargs);
    if (p->failed) return NULL;
    if (ie) {
        e->import = ie->decl;
        e->name = ie->decl->macro_name;
        return e;
    }
    e->fn = tpl_env_function(p->env, name);
    if (!e->fn) {
        if (p->env->strict_functions) {
            parse_error(p, nt, "unknown \"%s\" function", name);
            return NULL;
        }
        diag_add(p->d, DIAG_WARNING, p->name, nt->line, nt->col, "unknown \"%s\" function", name);
    }
    return e;
}

/* ---- constant folding ---- */

/* The value of a constant expression, or NULL. */
static value *const_value(const expr *e)
{
    if (!e) return NULL;
    return e->kind == E_CONST ? e->val : e->folded;
}

/* Arrays and hashes written out in full ({'kk': 'Қазақша', ...}) are
 * built once, not on every render. */
static void fold_literal(parser *p, expr *e)
{
    for (size_t i = 0; i < e->nargs; i++)
        if (!const_value(e->args[i])) return;
    if (e->kind == E_ARRAY) {
        value *l = value_list(p->a);
        for (size_t i = 0; i < e->nargs; i++) list_push(p->a, l, const_value(e->args[i]));
        e->folded = l;
        return;
    }
    value *m = value_map(p->a);
    for (size_t i = 0; i + 1 < e->nargs; i += 2) {
        const value *k = const_value(e->args[i]);
        if (k->kind != V_STRING) return; /* keys are strings when parsed; others convert at render time */
        map_setn(p->a, m, k->u.str.s, k->u.str.len, const_value(e->args[i + 1]));
    }
    e->folded = m;
}

/* A pure host filter of constants ('READ_MORE'|t) runs now, once; when
 * it has anything to say, it runs at render time instead, where its
 * messages reach the render's report. */
static void fold_filter(parser *p, expr *f)
{
    if (!f->fn || !f->fn->native || !f->fn->pure) return;
    value *in = const_value(f->a);
    if (!in) return;
    value *args[16];
    if (f->nargs > 16) return;
    for (size_t i = 0; i < f->nargs; i++)
        if (!(args[i] = const_value(f->args[i]))) return;
    diag_list quiet;
    diag_init(&quiet);
    value *v = f->fn->native(f->fn->ud, p->a, in, args, f->nargs, &quiet);
    if (!quiet.len && v) f->folded = v;
    diag_free(&quiet);
}

static expr *parse_hash(parser *p, const token *open)
{
    expr *e = new_expr(p, E_HASH, open);
    size_t cap = 0;
    while (!p->failed && !tok_is(peek(p), T_PUNCT, "}")) {
        if (e->nargs) {
            if (!expect(p, T_PUNCT, ",", "\",\" or \"}\"")) return NULL;
            if (tok_is(peek(p), T_PUNCT, "}")) break;
        }
        const token *kt = peek(p);
        expr *key;
        if (kt->kind == T_STRING || kt->kind == T_NAME || kt->kind == T_NUMBER) {
            next_tok(p);
            if (kt->kind == T_NUMBER) {
                buf b = BUF_INIT;
                value_write(&b, kt->num);
                key = const_expr(p, kt, value_str(p->a, buf_cstr(&b), b.len));
                buf_free(&b);
            } else {
                key = const_expr(p, kt, value_str_ref(p->a, kt->s, kt->len));
            }
            if (kt->kind == T_NAME && !tok_is(peek(p), T_PUNCT, ":")) {
                /* {name} is short for {name: name} */
                expr *v = new_expr(p, E_NAME, kt);
                v->name = kt->s;
                v->name_len = kt->len;
                if (e->nargs + 2 > cap) {
                    cap = cap ? cap * 2 : 8;
                    expr **na = arena_alloc(p->a, cap * sizeof *na);
                    if (e->nargs) memcpy(na, e->args, e->nargs * sizeof *na);
                    e->args = na;
                }
                e->args[e->nargs++] = key;
                e->args[e->nargs++] = v;
                continue;
            }
        } else if (tok_is(kt, T_PUNCT, "(")) {
            next_tok(p);
            key = parse_expression(p, 0);
            if (!key || !expect(p, T_PUNCT, ")", "\")\"")) return NULL;
        } else {
            char tmp[80];
            parse_error(p, kt, "unexpected token %s, expected a hash key", tok_desc(kt, tmp, sizeof tmp));
            return NULL;
        }
        if (!expect(p, T_PUNCT, ":", "\":\" after a hash key")) return NULL;
        expr *v = parse_expression(p, 0);
        if (!v) return NULL;
        if (e->nargs + 2 > cap) {
            cap = cap ? cap * 2 : 8;
            expr **na = arena_alloc(p->a, cap * sizeof *na);
            if (e->nargs) memcpy(na, e->args, e->nargs * sizeof *na);
            e->args = na;
        }
        e->args[e->nargs++] = key;
        e->args[e->nargs++] = v;
    }
    if (!expect(p, T_PUNCT, "}", "\"}\"")) return NULL;
    fold_literal(p, e);
    return e;
}

static expr *parse_primary(parser *p)
{
    if (++p->depth > TPL_MAX_EXPR_DEPTH) {
        parse_error(p, peek(p), "expression nested too deeply");
        p->depth--;
        return NULL;
    }
    const token *t = next_tok(p);
    expr *e = NULL;
    switch (t->kind) {
    case T_NAME:
        if (!strcmp(t->s, "true") || !strcmp(t->s, "TRUE"))
            e = const_expr(p, t, value_bool(true));
        else if (!strcmp(t->s, "false") || !strcmp(t->s, "FALSE"))
            e = const_expr(p, t, value_bool(false));
        else if (!strcmp(t->s, "null") || !strcmp(t->s, "NULL") || !strcmp(t->s, "none") ||
                 !strcmp(t->s, "NONE"))
            e = const_expr(p, t, value_null());
        else if (tok_is(peek(p), T_PUNCT, "("))
            e = parse_function_call(p, t);
        else if (!strcmp(t->s, "_self"))
            e = new_expr(p, E_SELF, t);
        else {
            e = new_expr(p, E_NAME, t);
            e->name = t->s;
            e->name_len = t->len;
        }
        break;
    case T_NUMBER: e = const_expr(p, t, t->num); break;
    case T_STRING: e = const_expr(p, t, value_str_ref(p->a, t->s, t->len)); break;
    case T_PUNCT:
        if (tok_is(t, T_PUNCT, "(")) {
            e = parse_expression(p, 0);
            if (e && !expect(p, T_PUNCT, ")", "\")\"")) e = NULL;
        } else if (tok_is(t, T_PUNCT, "[")) {
            e = new_expr(p, E_ARRAY, t);
            size_t cap = 0;
            while (!p->failed && !tok_is(peek(p), T_PUNCT, "]")) {
                if (e->nargs) {
                    if (!expect(p, T_PUNCT, ",", "\",\" or \"]\"")) break;
                    if (tok_is(peek(p), T_PUNCT, "]")) break;
                }
                expr *item = parse_expression(p, 0);
                if (!item) break;
                if (e->nargs == cap) {
                    cap = cap ? cap * 2 : 8;
                    expr **na = arena_alloc(p->a, cap * sizeof *na);
                    if (e->nargs) memcpy(na, e->args, e->nargs * sizeof *na);
                    e->args = na;
                }
                e->args[e->nargs++] = item;
            }
            if (!p->failed && expect(p, T_PUNCT, "]", "\"]\"")) fold_literal(p, e);
        } else if (tok_is(t, T_PUNCT, "{")) {
            e = parse_hash(p, t);
        } else if (tok_is(t, T_PUNCT, "-") || tok_is(t, T_PUNCT, "+")) {
            p->pos--;
            e = parse_expression(p, PREC_UNARY_SIGN);
            p->depth--;
            return e;
        }
        break;
    default: break;
    }
    if (!e && !p->failed) {
        char tmp[80];
        parse_error(p, t, "unexpected token %s, expected expression", tok_desc(t, tmp, sizeof tmp));
    }
    if (p->failed) {
        p->depth--;
        return NULL;
    }
    e = parse_postfix(p, e);
    p->depth--;
    return e;
}

static expr *make_filter(parser *p, const token *nt, expr *input, expr **args, size_t nargs)
{
    const char *name = strcmp(nt->s, "e") == 0 ? "escape" : nt->s;
    expr *f = new_expr(p, E_FILTER, nt);
    f->name = name;
    f->fn = tpl_env_filter(p->env, name);
    if (!f->fn) {
        parse_error(p, nt, "unknown \"%s\" filter", nt->s);
        return NULL;
    }
    f->args = args;
    f->nargs = nargs;
    f->is_default = strcmp(name, "default") == 0 && f->fn == tpl_builtin_filter("default");
    if (strcmp(name, "escape") == 0 && nargs >= 1) {
        if (args[0]->kind != E_CONST || args[0]->val->kind != V_STRING) {
            parse_error(p, nt, "the escaping strategy must be a string");
            return NULL;
        }
        if (!tpl_known_strategy(args[0]->val->u.str.s)) {
            parse_error(p, args[0]->val ? nt : nt, "invalid escaping strategy \"%s\"", args[0]->val->u.str.s);
            return NULL;
        }
    }
    /* Filters that escape their input first (nl2br) do so only under
     * autoescape, and not when the input is already safe. */
    if (f->fn->pre_escape_html && p->escape && strcmp(p->escape, "html") == 0)
        input = autoescape_expr(p, input);
    f->a = input;
    fold_filter(p, f);
    return f;
}

expr *parse_filter_chain(parser *p, expr *input)
{
    expr *e = input;
    do {
        const token *nt = expect(p, T_NAME, NULL, "filter name");
        if (!nt) return NULL;
        expr **args = NULL;
        size_t nargs = 0;
        if (tok_is(peek(p), T_PUNCT, "(")) {
            args = parse_args(p, &nargs);
            if (p->failed) return NULL;
        }
        e = make_filter(p, nt, e, args, nargs);
        if (!e) return NULL;
    } while (accept(p, T_PUNCT, "|"));
    return e;
}

static expr *parse_postfix(parser *p, expr *e)
{
    while (e && !p->failed) {
        const token *t = peek(p);
        if (tok_is(t, T_PUNCT, ".")) {
            next_tok(p);
            if (tok_is(peek(p), T_PUNCT, "(")) {
                /* a.(expr): attribute named by an expression */
                const token *open = next_tok(p);
                expr *key = parse_expression(p, 0);
                if (!key || !expect(p, T_PUNCT, ")", "\")\"")) return NULL;
                expr *a = new_expr(p, E_ATTR, open);
                a->a = e;
                a->b = key;
                e = a;
                continue;
            }
            const token *at = next_tok(p);
            if (at->kind != T_NAME && !(at->kind == T_NUMBER && at->num->kind == V_INT)) {
                char tmp[80];
                parse_error(p, at, "unexpected token %s, expected attribute name", tok_desc(at, tmp, sizeof tmp));
                return NULL;
            }
            bool is_call = tok_is(peek(p), T_PUNCT, "(");
            const import_entry *ie = NULL;
            if (is_call && e->kind == E_NAME) ie = find_import(p, e->name, false);
            if (is_call && (ie || e->kind == E_SELF)) {
                expr *m = new_expr(p, E_MACRO, at);
                m->name = at->s;
                if (ie) {
                    m->import = ie->decl;
                } else {
                    m->import = arena_zalloc(p->a, sizeof *m->import);
                    m->import->owner = p->t;
                }
                m->args = parse_args(p, &m->nargs);
                e = m;
                continue;
            }
            expr *a = new_expr(p, E_ATTR, at);
            a->a = e;
            a->b = const_expr(p, at, value_str_ref(p->a, at->s, at->len));
            if (is_call) {
                a->is_call = true;
                a->args = parse_args(p, &a->nargs);
            }
            e = a;
        } else if (tok_is(t, T_PUNCT, "[")) {
            next_tok(p);
            expr *from = NULL, *len = NULL;
            bool is_slice = false;
            if (!tok_is(peek(p), T_PUNCT, ":")) {
                from = parse_expression(p, 0);
                if (!from) return NULL;
            }
            if (accept(p, T_PUNCT, ":")) {
                is_slice = true;
                if (!tok_is(peek(p), T_PUNCT, "]")) {
                    len = parse_expression(p, 0);
                    if (!len) return NULL;
                }
            }
            if (!expect(p, T_PUNCT, "]", "\"]\"")) return NULL;
            if (is_slice) {
                /* a[x:y] is a|slice(x, y - x) with y optional */
                token at = *t;
                at.s = "slice";
                expr **args = arena_alloc(p->a, 2 * sizeof *args);
                args[0] = from ? from : const_expr(p, t, value_int(p->a, 0));
                size_t n = 1;
                if (len) {
                    expr *l = new_expr(p, E_BINARY, t);
                    l->op = OP_SUB;
                    l->a = len;
                    l->b = args[0];
                    args[n++] = l;
                }
                e = make_filter(p, &at, e, args, n);
            } else {
                expr *a = new_expr(p, E_ATTR, t);
                a->a = e;
                a->b = from;
                a->is_subscript = true;
                e = a;
            }
        } else if (tok_is(t, T_PUNCT, "|")) {
            next_tok(p);
            const token *nt = expect(p, T_NAME, NULL, "filter name");
            if (!nt) return NULL;
            expr **args = NULL;
            size_t nargs = 0;
            if (tok_is(peek(p), T_PUNCT, "(")) {
                args = parse_args(p, &nargs);
                if (p->failed) return NULL;
            }
            e = make_filter(p, nt, e, args, nargs);
        } else {
            break;
        }
    }
    return p->failed ? NULL : e;
}

/* ---- autoescape ---- */

static bool is_safe_for(const expr *e, const char *strategy)
{
    switch (e->kind) {
    case E_CONST: return true;
    case E_PARENT:
    case E_MACRO:
    case E_ESCAPE: return true;
    case E_COND: return is_safe_for(e->b, strategy) && is_safe_for(e->c, strategy);
    case E_FUNC: return e->fn && e->fn->is_safe;
    case E_FILTER:
        if (strcmp(e->name, "raw") == 0) return true;
        if (strcmp(e->name, "escape") == 0) {
            const char *s = e->nargs ? e->args[0]->val->u.str.s : "html";
            return strcmp(s, strategy) == 0;
        }
        return e->fn && e->fn->is_safe && strcmp(strategy, "html") == 0;
    default: return false;
    }
}

expr *autoescape_expr(parser *p, expr *e)
{
    if (!p->escape || !e || is_safe_for(e, p->escape)) return e;
    if (e->kind == E_COND) {
        expr *c = arena_alloc(p->a, sizeof *c);
        *c = *e;
        c->b = autoescape_expr(p, e->b);
        c->c = autoescape_expr(p, e->c);
        return c;
    }
    expr *x = arena_zalloc(p->a, sizeof *x);
    x->kind = E_ESCAPE;
    x->line = e->line;
    x->col = e->col;
    x->owner = e->owner;
    x->a = e;
    x->strategy = p->escape;
    x->is_html = strcmp(p->escape, "html") == 0;
    return x;
}
