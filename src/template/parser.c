/* parser.c - tokens to a template's statement tree.
 *
 * Each tag has its own small parse function. Bodies are parsed until one
 * of a set of end tags; blocks and macros are recorded in the template's
 * tables as they are met, so rendering finds them without searching the
 * tree. Structural rules Twig enforces at compile time are checked here
 * too: content outside blocks in a child template, blocks nested under
 * non-capturing tags of a child template, duplicate block names, parent()
 * without extends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/parse.h"

static void node_push(parser *p, nodelist *l, tnode *n)
{
    if (l->len == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        tnode **ni = arena_alloc(p->a, ncap * sizeof *ni);
        if (l->len) memcpy(ni, l->items, l->len * sizeof *ni);
        l->items = ni;
        l->cap = ncap;
    }
    l->items[l->len++] = n;
}

static tnode *new_node(parser *p, node_kind k, const token *at)
{
    tnode *n = arena_zalloc(p->a, sizeof *n);
    n->kind = k;
    n->line = at->line;
    n->col = at->col;
    return n;
}

static bool end_tag(parser *p)
{
    return expect(p, T_BLOCK_END, NULL, "\"%}\"") != NULL;
}

/* Parse statements until `{% <one of ends> `; returns the index of the end
 * tag met (its name consumed) or -1 at the end of the template. */
static int parse_body(parser *p, nodelist *out, const char *const *ends, const char *opening, const token *open_at);

static void add_import(parser *p, const char *alias, import_decl *decl, bool is_from)
{
    if (p->nimports == p->imports_cap) {
        p->imports_cap = p->imports_cap ? p->imports_cap * 2 : 8;
        import_entry *ni = arena_alloc(p->a, p->imports_cap * sizeof *ni);
        if (p->nimports) memcpy(ni, p->imports, p->nimports * sizeof *ni);
        p->imports = ni;
    }
    p->imports[p->nimports++] = (import_entry){alias, decl, is_from, p->cur_scope};
}

static bool is_reserved_name(const char *s)
{
    return !strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "null") || !strcmp(s, "none") ||
           !strcmp(s, "TRUE") || !strcmp(s, "FALSE") || !strcmp(s, "NULL") || !strcmp(s, "NONE") ||
           !strcmp(s, "_self") || !strcmp(s, "_context") || !strcmp(s, "_charset");
}

static const token *expect_var_name(parser *p)
{
    const token *t = expect(p, T_NAME, NULL, "variable name");
    if (t && is_reserved_name(t->s)) {
        parse_error(p, t, "you cannot assign a value to \"%s\"", t->s);
        return NULL;
    }
    return t;
}

static tnode *parse_if(parser *p, const token *tag)
{
    tnode *n = new_node(p, N_IF, tag);
    size_t cap = 0;
    static const char *const ends[] = {"elseif", "else", "endif", NULL};
    for (;;) {
        expr *c = parse_expression(p, 0);
        if (!c || !end_tag(p)) return NULL;
        if (n->nconds == cap) {
            cap = cap ? cap * 2 : 4;
            expr **nc = arena_alloc(p->a, cap * sizeof *nc);
            nodelist *nb = arena_zalloc(p->a, cap * sizeof *nb);
            if (n->nconds) {
                memcpy(nc, n->conds, n->nconds * sizeof *nc);
                memcpy(nb, n->bodies, n->nconds * sizeof *nb);
            }
            n->conds = nc;
            n->bodies = nb;
        }
        n->conds[n->nconds] = c;
        int end = parse_body(p, &n->bodies[n->nconds], ends, "if", tag);
        n->nconds++;
        if (end < 0) return NULL;
        if (end == 0) continue;
        if (end == 1) {
            if (!end_tag(p)) return NULL;
            static const char *const endif[] = {"endif", NULL};
            if (parse_body(p, &n->else_body, endif, "if", tag) < 0) return NULL;
        }
        return end_tag(p) ? n : NULL;
    }
}

static tnode *parse_for(parser *p, const token *tag)
{
    tnode *n = new_node(p, N_FOR, tag);
    const token *v1 = expect_var_name(p);
    if (!v1) return NULL;
    n->val_var = v1->s;
    if (accept(p, T_PUNCT, ",")) {
        const token *v2 = expect_var_name(p);
        if (!v2) return NULL;
        n->key_var = v1->s;
        n->val_var = v2->s;
    }
    if (!expect(p, T_NAME, "in", "\"in\"")) return NULL;
    n->e = parse_expression(p, 0);
    if (!n->e) return NULL;
    if (accept(p, T_NAME, "if")) {
        /* Twig 1 and 2 (still in Grav themes): for x in xs if cond */
        n->filter = parse_expression(p, 0);
        if (!n->filter) return NULL;
    }
    if (!end_tag(p)) return NULL;
    static const char *const ends[] = {"else", "endfor", NULL};
    int end = parse_body(p, &n->body, ends, "for", tag);
    if (end < 0) return NULL;
    if (end == 0) {
        if (!end_tag(p)) return NULL;
        static const char *const endfor[] = {"endfor", NULL};
        if (parse_body(p, &n->else_body, endfor, "for", tag) < 0) return NULL;
    }
    return end_tag(p) ? n : NULL;
}

static tnode *parse_set(parser *p, const token *tag)
{
    tnode *n = new_node(p, N_SET, tag);
    const char *names[64];
    size_t count = 0;
    do {
        const token *t = expect_var_name(p);
        if (!t) return NULL;
        if (count == 64) {
            parse_error(p, t, "too many variables in one set");
            return NULL;
        }
        names[count++] = t->s;
    } while (accept(p, T_PUNCT, ","));
    n->names = arena_alloc(p->a, count * sizeof *n->names);
    memcpy(n->names, names, count * sizeof *names);
    n->nnames = count;
    if (accept(p, T_PUNCT, "=")) {
        n->values = arena_alloc(p->a, count * sizeof *n->values);
        for (size_t i = 0; i < count; i++) {
            if (i && !expect(p, T_PUNCT, ",", "\",\"")) return NULL;
            n->values[i] = parse_expression(p, 0);
            if (!n->values[i]) return NULL;
        }
        if (accept(p, T_PUNCT, ",")) {
            parse_error(p, peek(p), "when using set, you must have the same number of variables and assignments");
            return NULL;
        }
        return end_tag(p) ? n : NULL;
    }
    if (count != 1) {
        parse_error(p, tag, "when using set with a block, you cannot have a multi-target");
        return NULL;
    }
    if (!end_tag(p)) return NULL;
    n->is_capture = true;
    static const char *const ends[] = {"endset", NULL};
    if (parse_body(p, &n->body, ends, "set", tag) < 0) return NULL;
    return end_tag(p) ? n : NULL;
}

static tnode *parse_block(parser *p, const token *tag)
{
    const token *nt = expect(p, T_NAME, NULL, "block name");
    if (!nt) return NULL;
    tnode *n = new_node(p, N_BLOCK, tag);
    n->name = nt->s;
    const block_def *dup = tpl_find_block(p->t, n->name);
    if (dup) {
        parse_error(p, nt, "the block \"%s\" has already been defined line %d", n->name, dup->node->line);
        return NULL;
    }
    tpl *t = p->t;
    if (t->nblocks == t->blocks_cap) {
        t->blocks_cap = t->blocks_cap ? t->blocks_cap * 2 : 8;
        block_def *nb = arena_alloc(p->a, t->blocks_cap * sizeof *nb);
        if (t->nblocks) memcpy(nb, t->blocks, t->nblocks * sizeof *nb);
        t->blocks = nb;
    }
    t->blocks[t->nblocks++] = (block_def){n->name, n};
    int saved_scope = p->cur_scope;
    p->cur_scope = ++p->next_scope;
    p->in_block++;
    if (accept(p, T_BLOCK_END, NULL)) {
        static const char *const ends[] = {"endblock", NULL};
        if (parse_body(p, &n->body, ends, "block", tag) < 0) return NULL;
        const token *closing = peek(p);
        if (closing->kind == T_NAME) {
            if (strcmp(closing->s, n->name) != 0) {
                parse_error(p, closing, "expected endblock for block \"%s\" (but \"%s\" given)", n->name,
                            closing->s);
                return NULL;
            }
            next_tok(p);
        }
    } else {
        /* {% block title page.title %} */
        expr *e = parse_expression(p, 0);
        if (!e) return NULL;
        tnode *pr = new_node(p, N_PRINT, tag);
        pr->e = autoescape_expr(p, e);
        node_push(p, &n->body, pr);
    }
    p->in_block--;
    p->cur_scope = saved_scope;
    return end_tag(p) ? n : NULL;
}

/* include/embed arguments: EXPR [ignore missing] [with EXPR] [only] */
static bool parse_include_args(parser *p, tnode *n)
{
    n->e = parse_expression(p, 0);
    if (!n->e) return false;
    if (tok_is(peek(p), T_NAME, "ignore") && tok_is(peek_at(p, 1), T_NAME, "missing")) {
        next_tok(p);
        next_tok(p);
        n->ignore_missing = true;
    }
    if (accept(p, T_NAME, "with")) {
        n->with = parse_expression(p, 0);
        if (!n->with) return false;
    }
    if (accept(p, T_NAME, "only")) n->only = true;
    return end_tag(p);
}

static void check_child_body(parser *p, tpl *t);

static tnode *parse_embed(parser *p, const token *tag)
{
    tnode *n = new_node(p, N_EMBED, tag);
    if (!parse_include_args(p, n)) return NULL;
    tpl *e = arena_zalloc(p->a, sizeof *e);
    e->name = p->t->name;
    e->embed_owner = p->t;
    e->parent = n->e;
    n->embedded = e;
    /* the embedded template has its own blocks and imports */
    tpl *saved_t = p->t;
    int saved_tpl_scope = p->tpl_scope, saved_cur = p->cur_scope, saved_in_block = p->in_block;
    p->t = e;
    p->tpl_scope = p->cur_scope = ++p->next_scope;
    p->in_block = 0;
    const token *saved_parent_call = p->parent_call;
    static const char *const ends[] = {"endembed", NULL};
    int end = parse_body(p, &e->body, ends, "embed", tag);
    p->parent_call = saved_parent_call;
    p->t = saved_t;
    p->tpl_scope = saved_tpl_scope;
    p->cur_scope = saved_cur;
    p->in_block = saved_in_block;
    if (end < 0) return NULL;
    check_child_body(p, e);
    return end_tag(p) && !p->failed ? n : NULL;
}

static tnode *parse_macro(parser *p, const token *tag)
{
    if (p->in_block || p->in_macro) {
        parse_error(p, tag, "cannot define a macro here");
        return NULL;
    }
    const token *nt = expect(p, T_NAME, NULL, "macro name");
    if (!nt) return NULL;
    macro_def *m = arena_zalloc(p->a, sizeof *m);
    m->name = nt->s;
    m->owner = p->t;
    m->line = nt->line;
    m->col = nt->col;
    if (!expect(p, T_PUNCT, "(", "\"(\"")) return NULL;
    size_t cap = 0;
    while (!p->failed && !tok_is(peek(p), T_PUNCT, ")")) {
        if (m->nparams && !expect(p, T_PUNCT, ",", "\",\" or \")\"")) return NULL;
        const token *pt = expect(p, T_NAME, NULL, "argument name");
        if (!pt) return NULL;
        if (strcmp(pt->s, "varargs") == 0) {
            parse_error(p, pt, "the argument \"varargs\" in macro \"%s\" cannot be defined because the variable "
                               "\"varargs\" is reserved for arbitrary arguments", m->name);
            return NULL;
        }
        if (m->nparams == cap) {
            cap = cap ? cap * 2 : 4;
            const char **np = arena_alloc(p->a, cap * sizeof *np);
            expr **nd = arena_alloc(p->a, cap * sizeof *nd);
            if (m->nparams) {
                memcpy(np, m->params, m->nparams * sizeof *np);
                memcpy(nd, m->defaults, m->nparams * sizeof *nd);
            }
            m->params = np;
            m->defaults = nd;
        }
        m->params[m->nparams] = pt->s;
        m->defaults[m->nparams] = NULL;
        if (accept(p, T_PUNCT, "=")) {
            m->defaults[m->nparams] = parse_expression(p, 0);
            if (!m->defaults[m->nparams]) return NULL;
        }
        m->nparams++;
    }
    if (!expect(p, T_PUNCT, ")", "\")\"") || !end_tag(p)) return NULL;
    int saved_scope = p->cur_scope;
    p->cur_scope = ++p->next_scope;
    p->in_macro++;
    static const char *const ends[] = {"endmacro", NULL};
    int end = parse_body(p, &m->body, ends, "macro", tag);
    p->in_macro--;
    p->cur_scope = saved_scope;
    if (end < 0) return NULL;
    const token *closing = peek(p);
    if (closing->kind == T_NAME) {
        if (strcmp(closing->s, m->name) != 0) {
            parse_error(p, closing, "expected endmacro for macro \"%s\" (but \"%s\" given)", m->name, closing->s);
            return NULL;
        }
        next_tok(p);
    }
    if (!end_tag(p)) return NULL;
    tpl *t = p->t;
    for (size_t i = 0; i < t->nmacros; i++)
        if (strcmp(t->macros[i]->name, m->name) == 0) {
            parse_error(p, nt, "the macro \"%s\" has already been defined", m->name);
            return NULL;
        }
    if (t->nmacros == t->macros_cap) {
        t->macros_cap = t->macros_cap ? t->macros_cap * 2 : 8;
        macro_def **nm = arena_alloc(p->a, t->macros_cap * sizeof *nm);
        if (t->nmacros) memcpy(nm, t->macros, t->nmacros * sizeof *nm);
        t->macros = nm;
    }
    t->macros[t->nmacros++] = m;
    return new_node(p, N_MACRO, tag);
}

static import_decl *import_source(parser *p)
{
    import_decl *decl = arena_zalloc(p->a, sizeof *decl);
    decl->owner = p->t;
    if (tok_is(peek(p), T_NAME, "_self") && !tok_is(peek_at(p, 1), T_PUNCT, ".")) {
        next_tok(p);
    } else {
        decl->source = parse_expression(p, 0);
        if (!decl->source) return NULL;
    }
    return decl;
}

static tnode *parse_import(parser *p, const token *tag)
{
    import_decl *decl = import_source(p);
    if (!decl || !expect(p, T_NAME, "as", "\"as\"")) return NULL;
    const token *alias = expect_var_name(p);
    if (!alias || !end_tag(p)) return NULL;
    add_import(p, alias->s, decl, false);
    return new_node(p, N_IMPORT, tag);
}

static tnode *parse_from(parser *p, const token *tag)
{
    import_decl *src = import_source(p);
    if (!src || !expect(p, T_NAME, "import", "\"import\"")) return NULL;
    do {
        const token *nt = expect(p, T_NAME, NULL, "macro name");
        if (!nt) return NULL;
        const token *alias = nt;
        if (accept(p, T_NAME, "as")) {
            alias = expect(p, T_NAME, NULL, "alias");
            if (!alias) return NULL;
        }
        if (is_reserved_name(alias->s) || strcmp(alias->s, "parent") == 0) {
            parse_error(p, alias, "\"%s\" cannot be an imported macro as it is a reserved keyword", alias->s);
            return NULL;
        }
        import_decl *decl = arena_alloc(p->a, sizeof *decl);
        *decl = *src;
        decl->macro_name = nt->s;
        add_import(p, alias->s, decl, true);
    } while (accept(p, T_PUNCT, ","));
    if (!end_tag(p)) return NULL;
    return new_node(p, N_IMPORT, tag);
}

static tnode *parse_with(parser *p, const token *tag)
{
    tnode *n = new_node(p, N_WITH, tag);
    if (!tok_is(peek(p), T_BLOCK_END, NULL) && !tok_is(peek(p), T_NAME, "only")) {
        n->e = parse_expression(p, 0);
        if (!n->e) return NULL;
    }
    if (accept(p, T_NAME, "only")) n->only = true;
    if (!end_tag(p)) return NULL;
    static const char *const ends[] = {"endwith", NULL};
    if (parse_body(p, &n->body, ends, "with", tag) < 0) return NULL;
    return end_tag(p) ? n : NULL;
}

/* Twig 3.2's cache tag (twig/cache-extra): {% cache key [ttl(n)] [tags(t)]
 * %}...{% endcache %}. ttl and tags are evaluated but have no effect: a
 * fragment is kept for as long as its environment (one build). */
static tnode *parse_cache(parser *p, const token *tag)
{
    tnode *n = new_node(p, N_CACHE, tag);
    n->e = parse_expression(p, 0);
    if (!n->e) return NULL;
    while (tok_is(peek(p), T_NAME, NULL)) {
        const token *opt = next_tok(p);
        expr **slot = !strcmp(opt->s, "ttl") ? &n->with : !strcmp(opt->s, "tags") ? &n->filter : NULL;
        if (!slot) {
            parse_error(p, opt, "unknown \"%s\" configuration", opt->s);
            return NULL;
        }
        if (!expect(p, T_PUNCT, "(", "\"(\"")) return NULL;
        *slot = parse_expression(p, 0);
        if (!*slot || !expect(p, T_PUNCT, ")", "\")\"")) return NULL;
    }
    if (!end_tag(p)) return NULL;
    static const char *const ends[] = {"endcache", NULL};
    if (parse_body(p, &n->body, ends, "cache", tag) < 0) return NULL;
    return end_tag(p) ? n : NULL;
}

/* apply, and the older filter and spaceless tags that mean the same. */
static tnode *parse_apply(parser *p, const token *tag, const char *end_name)
{
    tnode *n = new_node(p, N_APPLY, tag);
    expr *in = new_expr(p, E_APPLY_IN, tag);
    if (!strcmp(end_name, "endspaceless")) {
        n->e = new_expr(p, E_FILTER, tag);
        n->e->name = "spaceless";
        n->e->fn = tpl_env_filter(p->env, "spaceless");
        n->e->a = in;
    } else {
        n->e = parse_filter_chain(p, in);
    }
    if (!n->e || !end_tag(p)) return NULL;
    const char *const ends[] = {end_name, NULL};
    if (parse_body(p, &n->body, ends, tag->s, tag) < 0) return NULL;
    return end_tag(p) ? n : NULL;
}

static tnode *parse_autoescape(parser *p, const token *tag)
{
    const char *strategy = "html";
    const token *t = peek(p);
    if (t->kind == T_STRING) {
        next_tok(p);
        if (!tpl_known_strategy(t->s)) {
            parse_error(p, t, "invalid escaping strategy \"%s\"", t->s);
            return NULL;
        }
        strategy = t->s;
    } else if (tok_is(t, T_NAME, "false")) {
        next_tok(p);
        strategy = NULL;
    } else if (tok_is(t, T_NAME, "true")) {
        next_tok(p);
    } else if (t->kind != T_BLOCK_END) {
        parse_error(p, t, "an escaping strategy must be a string or false");
        return NULL;
    }
    if (!end_tag(p)) return NULL;
    const char *saved = p->escape;
    p->escape = strategy;
    tnode *n = new_node(p, N_BODY, tag);
    static const char *const ends[] = {"endautoescape", NULL};
    int end = parse_body(p, &n->body, ends, "autoescape", tag);
    p->escape = saved;
    if (end < 0) return NULL;
    return end_tag(p) ? n : NULL;
}

static tnode *parse_tag(parser *p)
{
    const token *tag = expect(p, T_NAME, NULL, "tag name");
    if (!tag) return NULL;
    const char *s = tag->s;
    if (!strcmp(s, "if")) return parse_if(p, tag);
    if (!strcmp(s, "for")) return parse_for(p, tag);
    if (!strcmp(s, "set")) return parse_set(p, tag);
    if (!strcmp(s, "block")) return parse_block(p, tag);
    if (!strcmp(s, "include")) {
        tnode *n = new_node(p, N_INCLUDE, tag);
        return parse_include_args(p, n) ? n : NULL;
    }
    if (!strcmp(s, "embed")) return parse_embed(p, tag);
    if (!strcmp(s, "extends")) {
        if (p->in_block) {
            parse_error(p, tag, "cannot use \"extends\" in a block");
            return NULL;
        }
        if (p->in_macro) {
            parse_error(p, tag, "cannot use \"extends\" in a macro");
            return NULL;
        }
        if (p->t->parent) {
            parse_error(p, tag, "multiple extends tags are forbidden");
            return NULL;
        }
        p->t->parent = parse_expression(p, 0);
        if (!p->t->parent || !end_tag(p)) return NULL;
        return new_node(p, N_EXTENDS, tag);
    }
    if (!strcmp(s, "macro")) return parse_macro(p, tag);
    if (!strcmp(s, "import")) return parse_import(p, tag);
    if (!strcmp(s, "from")) return parse_from(p, tag);
    if (!strcmp(s, "with")) return parse_with(p, tag);
    if (!strcmp(s, "cache")) return parse_cache(p, tag);
    if (!strcmp(s, "apply")) return parse_apply(p, tag, "endapply");
    if (!strcmp(s, "filter")) return parse_apply(p, tag, "endfilter");
    if (!strcmp(s, "spaceless")) return parse_apply(p, tag, "endspaceless");
    if (!strcmp(s, "autoescape")) return parse_autoescape(p, tag);
    if (!strcmp(s, "do")) {
        tnode *n = new_node(p, N_DO, tag);
        n->e = parse_expression(p, 0);
        return n->e && end_tag(p) ? n : NULL;
    }
    if (!strcmp(s, "flush")) {
        tnode *n = new_node(p, N_TEXT, tag);
        n->text = "";
        return end_tag(p) ? n : NULL;
    }
    parse_error(p, tag, "unknown \"%s\" tag", s);
    return NULL;
}

static bool is_closing_tag(const char *name)
{
    static const char *const closers[] = {"else", "elseif", "endif", "endfor", "endset", "endblock", "endembed",
                                          "endmacro", "endwith", "endapply", "endautoescape", "endverbatim",
                                          "endfilter", "endspaceless", "endcache", NULL};
    for (int i = 0; closers[i]; i++)
        if (!strcmp(name, closers[i])) return true;
    return false;
}

/* The tag that closes a body: listed last among its end tags. */
static const char *closing_tag(const char *const *ends)
{
    const char *last = ends[0];
    for (int i = 0; ends[i]; i++) last = ends[i];
    return last;
}

static int parse_body(parser *p, nodelist *out, const char *const *ends, const char *opening, const token *open_at)
{
    if (++p->depth > TPL_MAX_EXPR_DEPTH) {
        parse_error(p, peek(p), "tags nested too deeply");
        return -1;
    }
    int result = -1;
    while (!p->failed) {
        const token *t = peek(p);
        if (t->kind == T_EOF) {
            if (ends)
                parse_error(p, t, "unexpected end of template, expected \"%s\" to close \"%s\" opened at line %d",
                            closing_tag(ends), opening, open_at->line);
            break;
        }
        if (t->kind == T_TEXT) {
            next_tok(p);
            tnode *n = new_node(p, N_TEXT, t);
            n->text = t->s;
            n->text_len = t->len;
            node_push(p, out, n);
            continue;
        }
        if (t->kind == T_VAR_START) {
            next_tok(p);
            tnode *n = new_node(p, N_PRINT, t);
            expr *e = parse_expression(p, 0);
            if (!e || !expect(p, T_VAR_END, NULL, "\"}}\"")) break;
            n->e = autoescape_expr(p, e);
            node_push(p, out, n);
            continue;
        }
        if (t->kind == T_BLOCK_START) {
            next_tok(p);
            const token *nt = peek(p);
            if (nt->kind == T_NAME && ends) {
                int found = -1;
                for (int i = 0; ends[i]; i++)
                    if (strcmp(nt->s, ends[i]) == 0) found = i;
                if (found >= 0) {
                    next_tok(p);
                    result = found;
                    break;
                }
            }
            if (nt->kind == T_NAME && is_closing_tag(nt->s)) {
                /* an end, else or elseif that closes nothing open here */
                if (ends)
                    parse_error(p, nt, "unexpected \"%s\" tag, expected \"%s\" to close \"%s\" opened at line %d",
                                nt->s, closing_tag(ends), opening, open_at->line);
                else
                    parse_error(p, nt, "unexpected \"%s\" tag", nt->s);
                break;
            }
            tnode *n = parse_tag(p);
            if (!n) break;
            node_push(p, out, n);
            continue;
        }
        char tmp[80];
        parse_error(p, t, "unexpected token %s", tok_desc(t, tmp, sizeof tmp));
        break;
    }
    p->depth--;
    return p->failed ? -1 : result;
}

/* ---- checks for templates that extend another ---- */

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n\v\f", s[i]) && s[i] != 0) return false;
    return true;
}

static void content_outside_blocks(parser *p, const tnode *n)
{
    parse_error(p, &(token){.line = n->line, .col = n->col},
                "a template that extends another one cannot include content outside Twig blocks. "
                "Did you forget to put the content inside a {%% block %%} tag?");
}

/* Twig's rules for the body of a template that extends another: no
 * output outside blocks (whitespace aside), no block under a tag that
 * does not capture its output. Returns false after an error. */
static bool check_child_nodes(parser *p, const nodelist *l, bool nested)
{
    for (size_t i = 0; i < l->len && !p->failed; i++) {
        const tnode *n = l->items[i];
        switch (n->kind) {
        case N_TEXT:
            if (!is_blank(n->text, n->text_len)) content_outside_blocks(p, n);
            break;
        case N_PRINT:
        case N_INCLUDE:
        case N_EMBED: content_outside_blocks(p, n); break;
        case N_BLOCK:
            if (nested)
                parse_error(p, &(token){.line = n->line, .col = n->col},
                            "a block definition cannot be nested under non-capturing nodes");
            break;
        case N_IF:
            for (size_t k = 0; k < n->nconds; k++) check_child_nodes(p, &n->bodies[k], true);
            check_child_nodes(p, &n->else_body, true);
            break;
        case N_FOR:
        case N_WITH:
        case N_CACHE:
        case N_BODY:
            check_child_nodes(p, &n->body, true);
            check_child_nodes(p, &n->else_body, true);
            break;
        default: break; /* set and apply capture their output */
        }
    }
    return !p->failed;
}

static void check_child_body(parser *p, tpl *t)
{
    if (t->parent) check_child_nodes(p, &t->body, false);
}

const block_def *tpl_find_block(const tpl *t, const char *name)
{
    for (size_t i = 0; i < t->nblocks; i++)
        if (strcmp(t->blocks[i].name, name) == 0) return &t->blocks[i];
    return NULL;
}

const macro_def *tpl_find_macro(const tpl *t, const char *name)
{
    for (size_t i = 0; i < t->nmacros; i++)
        if (strcmp(t->macros[i]->name, name) == 0) return t->macros[i];
    return NULL;
}

tpl *tpl_parse(tpl_env *env, const char *name, const char *src, size_t len, diag_list *d)
{
    tpl *t = xcalloc(1, sizeof *t);
    t->name = arena_strdup(&t->mem, name);
    /* the source is copied so that text tokens may point into it */
    char *copy = arena_strndup(&t->mem, src, len);
    size_t ntok;
    token *toks = tpl_lex(&t->mem, t->name, copy, len, &ntok, d);
    if (!toks) {
        tpl_destroy(t);
        return NULL;
    }
    parser p = {.env = env, .t = t, .a = &t->mem, .name = t->name, .toks = toks, .ntok = ntok, .d = d,
                .escape = "html"};
    parse_body(&p, &t->body, NULL, NULL, NULL);
    if (!p.failed) check_child_body(&p, t);
    if (!p.failed && p.parent_call && !t->parent) {
        /* parent() inside an embed's block is fine: the embed extends */
        parse_error(&p, p.parent_call,
                    "calling the \"parent\" function on a template that does not call \"extends\" is forbidden");
    }
    if (p.failed) {
        tpl_destroy(t);
        return NULL;
    }
    return t;
}

void tpl_destroy(tpl *t)
{
    if (!t) return;
    arena_free(&t->mem);
    free(t);
}
