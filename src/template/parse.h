/* parse.h - the parser state shared by the statement parser (parser.c)
 * and the expression parser (expr_parser.c). */
#ifndef FOLIO_TEMPLATE_PARSE_H
#define FOLIO_TEMPLATE_PARSE_H

#include "template/internal.h"

typedef struct import_entry {
    const char *alias;
    import_decl *decl;
    bool is_from; /* `from x import alias`: alias() calls the macro */
    int scope;
} import_entry;

typedef struct parser {
    tpl_env *env;
    tpl *t;             /* template being filled (an embed has its own) */
    arena *a;
    const char *name;
    token *toks;
    size_t ntok, pos;
    diag_list *d;
    bool failed;
    int depth;
    const char *escape; /* current autoescape strategy, NULL when off */
    import_entry *imports;
    size_t nimports, imports_cap;
    int tpl_scope, cur_scope, next_scope;
    int in_block, in_macro;
    const token *parent_call; /* first parent() seen, checked at the end */
} parser;

void parse_error(parser *p, const token *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const token *peek(parser *p);
const token *peek_at(parser *p, size_t ahead);
const token *next_tok(parser *p);
bool tok_is(const token *t, tok_kind k, const char *s);
bool accept(parser *p, tok_kind k, const char *s);
/* Consume a token of kind k (and text s when not NULL) or report what was
 * expected. */
const token *expect(parser *p, tok_kind k, const char *s, const char *what);
expr *new_expr(parser *p, expr_kind k, const token *at);

expr *parse_expression(parser *p, int min_prec);
/* A filter chain for `apply`: the input is E_APPLY_IN. */
expr *parse_filter_chain(parser *p, expr *input);
/* Wrap e so that printing it escapes with the current strategy. */
expr *autoescape_expr(parser *p, expr *e);
const char *tok_desc(const token *t, char *tmp, size_t n);

#endif
