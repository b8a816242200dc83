/* internal.h - what the template engine's modules share: tokens, the
 * syntax tree, templates, the environment and the render state.
 *
 * Pipeline: lexer.c turns text into tokens, parser.c (statements) and
 * expr_parser.c (expressions) build a tree of tnode/expr owned by a
 * template's arena, render.c walks it, eval.c computes expressions with
 * PHP semantics (ops.c) and variables from scope.c. Built-ins: builtins.c
 * (registry and functions), filters_text.c, filters_array.c, escape.c,
 * unicode.c. env.c holds the environment, the cache and the public entry
 * points; cli.c the directory loader. */
#ifndef FOLIO_TEMPLATE_INTERNAL_H
#define FOLIO_TEMPLATE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "template/template.h"
#include "lib/strmap.h"

/* ---- limits ---- */
enum {
    TPL_MAX_DEPTH = 200,          /* nested includes, macro calls, blocks */
    TPL_MAX_EXPR_DEPTH = 200,     /* nesting of expressions and tags while parsing */
    TPL_MAX_RANGE = 1000000,      /* items a range may produce */
    TPL_MAX_NESTING = 1000,       /* tag bodies inside each other while rendering */
};
#define TPL_MAX_OUTPUT ((size_t)256 << 20) /* bytes one render may write */
#define TPL_MAX_MEMORY ((size_t)512 << 20) /* bytes of values one render may build */
#define TPL_MAX_STEPS 50000000LL           /* statements one render may run */

/* ---- tokens ---- */
typedef enum tok_kind {
    T_EOF,
    T_TEXT,
    T_VAR_START,   /* {{ */
    T_VAR_END,     /* }} */
    T_BLOCK_START, /* {% */
    T_BLOCK_END,   /* %} */
    T_NAME,
    T_NUMBER,
    T_STRING,
    T_PUNCT, /* operators and punctuation, text in s/len */
} tok_kind;

typedef struct token {
    tok_kind kind;
    const char *s; /* text (decoded for strings), NUL-terminated */
    size_t len;
    int line, col;
    value *num; /* T_NUMBER */
} token;

typedef struct tpl tpl;
typedef struct expr expr;
typedef struct tnode tnode;

/* Tokenize; tokens and decoded strings live in a. NULL after a diag. */
token *tpl_lex(arena *a, const char *name, const char *src, size_t len, size_t *ntok, diag_list *d);

/* ---- filters, functions, tests ---- */
typedef struct render render;
/* Built-ins get the render state so they can report errors at the call. */
typedef value *(*builtin_fn)(render *r, const expr *at, value *in, value **args, size_t nargs);

typedef struct callable {
    const char *name;
    builtin_fn builtin;    /* either this ... */
    tpl_native_fn native;  /* ... or a host callback */
    void *ud;
    bool is_safe;
    bool pre_escape_html;  /* input is escaped first (nl2br) */
    bool pure;             /* native only: the result depends on input and arguments alone */
} callable;

const callable *tpl_builtin_filter(const char *name);
const callable *tpl_builtin_function(const char *name);
/* Escape v for strategy ("html", "js", "css", "url", "html_attr"); the
 * result is marked safe. NULL strategy name: unknown. */
value *tpl_escape(render *r, const expr *at, value *v, const char *strategy);
bool tpl_known_strategy(const char *strategy);

/* ---- expressions ---- */
typedef enum expr_kind {
    E_CONST,
    E_NAME,
    E_SELF,      /* _self: the template's name */
    E_ARRAY,     /* items */
    E_HASH,      /* items: key, value, key, value ... */
    E_ATTR,      /* a.b / a[b]; args when called */
    E_BINARY,
    E_UNARY,
    E_COND,      /* a ? b : c */
    E_FILTER,    /* a|f(args) */
    E_FUNC,      /* f(args) */
    E_TEST,      /* a is t(args) */
    E_PARENT,    /* parent() */
    E_MACRO,     /* imported macro call */
    E_APPLY_IN,  /* the captured body of an apply tag */
    E_ESCAPE,    /* autoescape inserted by the parser */
    E_ARROW,     /* (a, b) => expr: params in params, body in a */
    E_DEFINED,   /* is defined (test on a variable path) */
} expr_kind;

typedef enum binop {
    OP_OR, OP_AND,
    OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE, OP_SPACESHIP,
    OP_IN, OP_NOT_IN, OP_STARTS, OP_ENDS, OP_MATCHES,
    OP_RANGE, OP_ADD, OP_SUB, OP_CONCAT, OP_MUL, OP_DIV, OP_FLOORDIV, OP_MOD,
    OP_POW, OP_COALESCE,
    OP_NOT, OP_NEG, OP_POS, /* unary */
} binop;

typedef struct import_decl import_decl;

/* The tests of `is`, resolved when parsed. */
typedef enum test_kind {
    TEST_DEFINED, TEST_EMPTY, TEST_NULL, TEST_SAME_AS, TEST_EVEN, TEST_ODD, TEST_ITERABLE, TEST_DIVISIBLE_BY,
    TEST_STRING, TEST_NUMBER, TEST_SEQUENCE, TEST_MAPPING, TEST_TRUE, TEST_FALSE,
} test_kind;

struct expr {
    expr_kind kind;
    int line, col;
    binop op;
    test_kind test;        /* E_TEST */
    bool is_subscript;     /* a[b] rather than a.b */
    bool is_call;          /* a.b(...) */
    bool negate;           /* is not */
    bool is_default;       /* the default filter: its input may be undefined */
    const char *name;      /* variable, filter, function, test, macro */
    size_t name_len;
    value *val;            /* E_CONST */
    expr *a, *b, *c;
    expr **args;
    size_t nargs;
    const callable *fn;    /* resolved filter/function; NULL = unknown (non-strict) */
    const char *strategy;  /* E_ESCAPE */
    bool is_html;          /* E_ESCAPE with strategy "html": decided when parsed */
    import_decl *import;   /* E_MACRO */
    tpl *owner;            /* template the expression is in (errors, _self) */
    const char **params;   /* E_ARROW */
    size_t nparams;
    /* E_ARRAY, E_HASH, E_FILTER made of constants: the value, computed
     * when parsed (values are never changed in place, so one serves
     * every render). Unlike E_CONST it is still escaped when printed. */
    value *folded;
};

/* ---- statements ---- */
typedef enum node_kind {
    N_TEXT,
    N_PRINT,
    N_IF,      /* conds[i] -> bodies[i]; else_body */
    N_FOR,
    N_SET,     /* names = exprs, or capture body */
    N_BLOCK,
    N_INCLUDE,
    N_EMBED,
    N_IMPORT,  /* evaluated lazily; nothing to do at render time */
    N_WITH,
    N_APPLY,
    N_EXTENDS,
    N_MACRO,   /* definitions render nothing */
    N_DO,
    N_BODY,    /* a plain sequence (the autoescape tag's body) */
    N_CACHE,   /* e: key, with: ttl(), filter: tags(); body rendered once per key */
} node_kind;

typedef struct nodelist {
    tnode **items;
    size_t len, cap;
} nodelist;

struct tnode {
    node_kind kind;
    int line, col;
    const char *text; /* N_TEXT */
    size_t text_len;
    expr *e;          /* print, for sequence, include/embed template, with vars, apply filter, set value */
    expr *with;       /* include/embed variables */
    expr *filter;     /* for ... if filter */
    bool only;
    bool ignore_missing;
    nodelist body, else_body;
    expr **conds;     /* N_IF */
    nodelist *bodies;
    size_t nconds;
    const char *key_var, *val_var; /* N_FOR */
    const char **names;            /* N_SET */
    expr **values;
    size_t nnames;
    bool is_capture;
    const char *name; /* block name */
    tpl *embedded;    /* N_EMBED */
};

/* ---- macros and imports ---- */
typedef struct macro_def {
    const char *name;
    const char **params;
    expr **defaults; /* NULL entries: null */
    size_t nparams;
    nodelist body;
    tpl *owner;
    int line, col;
} macro_def;

struct import_decl {
    expr *source;   /* template name expression; NULL = _self */
    tpl *owner;
    const char *macro_name; /* `from`: the macro imported */
};

/* ---- templates ---- */
typedef struct block_def {
    const char *name;
    tnode *node;
} block_def;

struct tpl {
    const char *name;
    arena mem;          /* owns tokens, tree and strings (not for embedded) */
    nodelist body;
    expr *parent;       /* extends expression, or NULL */
    block_def *blocks;
    size_t nblocks, blocks_cap;
    macro_def **macros;
    size_t nmacros, macros_cap;
    tpl *embed_owner;   /* for an embed: the template it is written in */
};

/* Parse a template; NULL after reporting into d. */
tpl *tpl_parse(tpl_env *env, const char *name, const char *src, size_t len, diag_list *d);
void tpl_destroy(tpl *t);
const block_def *tpl_find_block(const tpl *t, const char *name);
const macro_def *tpl_find_macro(const tpl *t, const char *name);

/* ---- environment ---- */
typedef struct named_value {
    const char *name;
    value *v;
} named_value;

typedef struct cache_entry {
    char *name;
    tpl *t;
} cache_entry;

struct tpl_env {
    tpl_load_fn load;
    void *load_ctx;
    bool strict_variables;
    bool strict_functions;
    char lang[16];
    unsigned long long id; /* unique among the environments of the process */
    pthread_mutex_t lock;
    cache_entry *cache;
    size_t ncache, cache_cap;
    named_value *globals;
    size_t nglobals, globals_cap;
    /* host registrations; each callable lives in mem, so the pointers that
     * parsed templates hold stay valid when more are registered */
    callable **filters, **functions;
    size_t nfilters, nfunctions;
    arena mem; /* names of registrations */
    /* {% cache %}: key -> rendered fragment (both malloc'd), under lock */
    strmap fragments;
    size_t fragment_bytes;
};

const callable *tpl_env_filter(const tpl_env *env, const char *name);
const callable *tpl_env_function(const tpl_env *env, const char *name);
/* The parsed template `name`, loading and parsing it on first use. NULL
 * (with a diag at the place given) when it cannot be loaded or parsed. */
tpl *tpl_env_get(tpl_env *env, const char *name, diag_list *d, const char *at_name, int line, int col);

/* ---- render state (one per render call, one thread) ---- */
typedef struct var {
    const char *name;
    value *v;
} var;

typedef struct frame {
    struct frame *up;
    bool is_boundary; /* `set` does not write past this frame */
    bool is_isolated; /* look-ups do not read past this frame */
    const value *data; /* read-only map of variables, or NULL */
    var *vars;
    size_t nvars, cap;
} frame;

/* The inheritance chain a template renders with: chain[0] is the most
 * derived template; block look-ups search from there. */
typedef struct chain {
    tpl **items;
    size_t len;
} chain;

struct render {
    tpl_env *env;
    arena *a;
    diag_list *d;
    buf *out;
    frame *top;
    int depth;
    bool failed;
    int nesting; /* tag bodies being rendered, a bound on stack use */
    long long steps; /* statements, loop iterations and range items run: a bound
                      * on time even for nested loops that write nothing */
    value *apply_input;
    /* the block being rendered, for parent() */
    const chain *blocks;
    size_t block_level;
    const char *block_name;
    const tpl *cur; /* template whose nodes are rendering, for errors */
    bool is_provisional; /* tpl_mark_provisional: keep no {% cache %} fragment */
    struct render *outer; /* the render this one runs inside, on this thread */
};

/* Report a runtime error at e (or the given template/line) and fail. */
void tpl_error(render *r, const tpl *t, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void tpl_error_at(render *r, const expr *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Variables. _context: the variables visible here, as an object. */
value *tpl_context_value(render *r);
value *tpl_lookup(render *r, const char *name, bool *found);
void tpl_set_var(render *r, const char *name, value *v);
void tpl_define_var(render *r, frame *f, const char *name, value *v);
frame *tpl_push_frame(render *r, bool boundary, bool isolated);
void tpl_pop_frame(render *r, frame *f);

/* Expressions (eval.c). */
value *tpl_eval(render *r, const expr *e);
/* Evaluate a variable path without an undefined error: *defined false
 * (and NULL returned) when some part of it does not exist. */
value *tpl_eval_quiet(render *r, const expr *e, bool *defined);
/* Call an arrow function value (as made by E_ARROW) with args; NULL when
 * fn is not an arrow function (after an error). */
value *tpl_call_arrow(render *r, const expr *at, value *fn, value **args, size_t nargs);
/* Call macro m with evaluated args; returns its output (markup). */
value *tpl_call_macro(render *r, const expr *at, const macro_def *m, value **args, size_t nargs);
value *tpl_render_parent(render *r, const expr *at);
/* The block() and include() functions: output as markup. */
value *tpl_fn_block(render *r, const expr *at, value *in, value **args, size_t nargs);
value *tpl_fn_include(render *r, const expr *at, value *in, value **args, size_t nargs);
/* Render a node list into out. */
void tpl_render_nodes(render *r, const nodelist *l);
/* Render template t (with its inheritance) with the current frames. */
void tpl_render_template(render *r, tpl *t);
/* Load a template named by a value (a string, or a list: first that exists). */
tpl *tpl_load_value(render *r, value *name, const expr *at, bool ignore_missing);

/* PHP semantics (ops.c). */
bool php_loose_eq(arena *a, const value *x, const value *y);
int php_compare(arena *a, const value *x, const value *y); /* -1, 0, 1 */
bool php_same(const value *x, const value *y);
/* Number from a value: *is_int tells which of *i / *f is set. */
void php_to_number(const value *v, bool *is_int, long long *i, double *f);
bool php_is_numeric_str(const char *s, size_t len, bool *is_int, long long *i, double *f);
value *php_arith(render *r, const expr *at, binop op, value *x, value *y);
bool php_in(arena *a, const value *needle, const value *hay);
long long php_to_int(const value *v);
double php_to_float(const value *v);
const char *php_str(render *r, const value *v, size_t *len);
/* PHP's echo of a value (floats with 14 significant digits). */
void php_write(buf *out, const value *v);

#endif
