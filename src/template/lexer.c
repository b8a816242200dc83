/* lexer.c - template text to tokens.
 *
 * Text outside tags becomes T_TEXT; inside {{ }} and {% %} the lexer emits
 * names, numbers, strings and punctuation. Whitespace control is applied
 * here: `{{-`/`{%-`/`{#-` trim the text before the tag, `-}}`/`-%}`/`-#}`
 * the text after it (`~` in place of `-` trims only spaces and tabs), and,
 * as in Twig, one newline directly after `%}` or `#}` is dropped.
 * `{% verbatim %}` bodies are passed through as text, and "#{expr}" in a
 * double-quoted string becomes a concatenation. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/internal.h"

typedef struct lexer {
    arena *a;
    const char *name;
    const char *src;
    size_t len, pos;
    int line, col;
    token *toks;
    size_t n, cap;
    diag_list *d;
    bool failed;
    char brackets[TPL_MAX_EXPR_DEPTH];
    int nbrackets;
    int interp_depth;
} lexer;

static void lex_error(lexer *lx, int line, int col, const char *msg)
{
    if (!lx->failed) diag_add(lx->d, DIAG_ERROR, lx->name, line, col, "%s", msg);
    lx->failed = true;
}

/* Move to offset `to`, keeping line and column current. */
static void advance_to(lexer *lx, size_t to)
{
    while (lx->pos < to) {
        if (lx->src[lx->pos] == '\n') {
            lx->line++;
            lx->col = 1;
        } else if (((unsigned char)lx->src[lx->pos] & 0xC0) != 0x80) {
            lx->col++;
        }
        lx->pos++;
    }
}

static token *push(lexer *lx, tok_kind k, const char *s, size_t len, int line, int col)
{
    if (lx->n == lx->cap) {
        size_t ncap = lx->cap ? lx->cap * 2 : 64;
        token *nt = arena_alloc(lx->a, ncap * sizeof *nt);
        if (lx->n) memcpy(nt, lx->toks, lx->n * sizeof *nt);
        lx->toks = nt;
        lx->cap = ncap;
    }
    token *t = &lx->toks[lx->n++];
    memset(t, 0, sizeof *t);
    t->kind = k;
    t->s = s;
    t->len = len;
    t->line = line;
    t->col = col;
    return t;
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\x0B'; }

static bool is_name_start(unsigned char c) { return isalpha(c) || c == '_' || c >= 0x80; }
static bool is_name_char(unsigned char c) { return isalnum(c) || c == '_' || c >= 0x80; }

/* How a tag trims the text next to it: `-` all whitespace, `~` only
 * spaces and tabs on its line. */
enum { TRIM_NONE, TRIM_ALL, TRIM_LINE };

static bool trims(int mode, char c)
{
    if (mode == TRIM_ALL) return is_ws(c);
    if (mode == TRIM_LINE) return c == ' ' || c == '\t' || c == '\0' || c == '\x0B';
    return false;
}

static int trim_mode(char c) { return c == '-' ? TRIM_ALL : c == '~' ? TRIM_LINE : TRIM_NONE; }

/* Emit text [start, end) with the trims asked for by the tags around it. */
static void emit_text(lexer *lx, size_t start, size_t end, int trim_left, int trim_right, int line, int col)
{
    while (start < end && trims(trim_left, lx->src[start])) start++;
    while (end > start && trims(trim_right, lx->src[end - 1])) end--;
    if (end > start) push(lx, T_TEXT, lx->src + start, end - start, line, col);
}

/* Find the next tag opening at or after pos; returns its offset or len. */
static size_t next_tag(const lexer *lx, size_t pos)
{
    const char *p = lx->src + pos, *end = lx->src + lx->len;
    while (p + 1 < end) {
        const char *q = memchr(p, '{', (size_t)(end - p - 1));
        if (!q) break;
        if (q[1] == '{' || q[1] == '%' || q[1] == '#') return (size_t)(q - lx->src);
        p = q + 1;
    }
    return lx->len;
}

static const char *const puncts[] = {
    "...", "..", "//", "**", "==", "=>", "!=", "<=>", "<=", ">=", "??", "?:", "<", ">", "+", "-", "*", "/",
    "%", "~", "=", "|", ".", ",", ":", "?", "(", ")", "[", "]", "{", "}", NULL,
};

static void lex_string(lexer *lx)
{
    char q = lx->src[lx->pos];
    int line = lx->line, col = lx->col;
    size_t i = lx->pos + 1;
    buf b = BUF_INIT;
    while (i < lx->len && lx->src[i] != q) {
        char c = lx->src[i];
        if (c == '\\' && i + 1 < lx->len) {
            char n = lx->src[++i];
            switch (n) {
            case 'n': buf_putc(&b, '\n'); break;
            case 't': buf_putc(&b, '\t'); break;
            case 'r': buf_putc(&b, '\r'); break;
            case 'v': buf_putc(&b, '\v'); break;
            case 'f': buf_putc(&b, '\f'); break;
            case 'e': buf_putc(&b, 27); break;
            case '0': buf_putc(&b, '\0'); break;
            case '\\': buf_putc(&b, '\\'); break;
            case '\'': case '"': case '#': buf_putc(&b, n); break;
            default:
                buf_putc(&b, '\\');
                buf_putc(&b, n);
            }
            i++;
            continue;
        }
        buf_putc(&b, c);
        i++;
    }
    if (i >= lx->len) {
        buf_free(&b);
        lex_error(lx, line, col, "unclosed string");
        return;
    }
    push(lx, T_STRING, arena_strndup(lx->a, buf_cstr(&b), b.len), b.len, line, col);
    buf_free(&b);
    advance_to(lx, i + 1);
}

static void lex_number(lexer *lx)
{
    const char *s = lx->src + lx->pos;
    size_t i = 0, n = lx->len - lx->pos;
    bool is_float = false;
    while (i < n && isdigit((unsigned char)s[i])) i++;
    if (i + 1 < n && s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
        is_float = true;
        i++;
        while (i < n && isdigit((unsigned char)s[i])) i++;
    }
    if (i + 1 < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-')) j++;
        if (j < n && isdigit((unsigned char)s[j])) {
            is_float = true;
            while (j < n && isdigit((unsigned char)s[j])) j++;
            i = j;
        }
    }
    char *text = arena_strndup(lx->a, s, i);
    token *t = push(lx, T_NUMBER, text, i, lx->line, lx->col);
    if (!is_float) {
        char *end;
        long long v = strtoll(text, &end, 10);
        /* integers too large for 64 bits become floats, as in PHP */
        if (*end == 0 && !(v == LLONG_MAX && strcmp(text, "9223372036854775807") != 0))
            t->num = value_int(lx->a, v);
        else
            is_float = true;
    }
    if (is_float) t->num = value_float(lx->a, strtod(text, NULL));
    advance_to(lx, lx->pos + i);
}

static bool lex_token(lexer *lx);

/* A double-quoted string with #{expr} parts becomes the expression
 * ("a" ~ (expr) ~ "b"), lexed as tokens in place. */
static void lex_interpolated(lexer *lx, size_t end_quote)
{
    int line = lx->line, col = lx->col;
    if (++lx->interp_depth > 8) {
        lex_error(lx, line, col, "string interpolation nested too deeply");
        return;
    }
    push(lx, T_PUNCT, "(", 1, line, col);
    advance_to(lx, lx->pos + 1); /* opening quote */
    bool first = true;
    for (;;) {
        /* literal part up to #{ or the closing quote */
        buf b = BUF_INIT;
        size_t i = lx->pos;
        int pl = lx->line, pc = lx->col;
        while (i < lx->len && lx->src[i] != '"' && !(lx->src[i] == '#' && i + 1 < lx->len && lx->src[i + 1] == '{')) {
            if (lx->src[i] == '\\' && i + 1 < lx->len) {
                char n = lx->src[++i];
                buf_putc(&b, n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n);
            } else {
                buf_putc(&b, lx->src[i]);
            }
            i++;
        }
        if (!first) push(lx, T_PUNCT, "~", 1, pl, pc);
        push(lx, T_STRING, arena_strndup(lx->a, buf_cstr(&b), b.len), b.len, pl, pc);
        buf_free(&b);
        first = false;
        advance_to(lx, i);
        if (i >= lx->len || lx->src[i] == '"') break;
        /* #{ expression } */
        push(lx, T_PUNCT, "~", 1, lx->line, lx->col);
        push(lx, T_PUNCT, "(", 1, lx->line, lx->col);
        advance_to(lx, i + 2);
        int saved = lx->nbrackets;
        for (;;) {
            while (lx->pos < lx->len && is_ws(lx->src[lx->pos])) advance_to(lx, lx->pos + 1);
            if (lx->pos >= lx->len || lx->failed) {
                lex_error(lx, line, col, "unclosed string interpolation");
                return;
            }
            if (lx->src[lx->pos] == '}' && lx->nbrackets == saved) break;
            if (!lex_token(lx)) return;
        }
        push(lx, T_PUNCT, ")", 1, lx->line, lx->col);
        advance_to(lx, lx->pos + 1);
    }
    (void)end_quote;
    push(lx, T_PUNCT, ")", 1, lx->line, lx->col);
    advance_to(lx, lx->pos + 1); /* closing quote */
    lx->interp_depth--;
}

/* One name, number, string or punctuation token at lx->pos. */
static bool lex_token(lexer *lx)
{
    const char *p = lx->src + lx->pos;
    size_t rest = lx->len - lx->pos;
    unsigned char c = (unsigned char)*p;
    if (c == '"') {
        /* look for #{ before the closing quote */
        size_t i = 1;
        bool interp = false;
        while (i < rest && p[i] != '"') {
            if (p[i] == '\\') i++;
            else if (p[i] == '#' && i + 1 < rest && p[i + 1] == '{') interp = true;
            i++;
        }
        if (interp && i < rest) {
            lex_interpolated(lx, lx->pos + i);
            return !lx->failed;
        }
    }
    if (c == '\'' || c == '"') {
        lex_string(lx);
        return !lx->failed;
    }
    if (isdigit(c)) {
        lex_number(lx);
        return true;
    }
    if (is_name_start(c)) {
        size_t i = 1;
        while (i < rest && is_name_char((unsigned char)p[i])) i++;
        push(lx, T_NAME, arena_strndup(lx->a, p, i), i, lx->line, lx->col);
        advance_to(lx, lx->pos + i);
        return true;
    }
    const char *match = NULL;
    for (int k = 0; puncts[k]; k++) {
        size_t pl = strlen(puncts[k]);
        if (pl <= rest && memcmp(p, puncts[k], pl) == 0) {
            match = puncts[k];
            break;
        }
    }
    if (!match) {
        char msg[64];
        snprintf(msg, sizeof msg, "unexpected character \"%c\"", c >= 32 && c < 127 ? c : '?');
        lex_error(lx, lx->line, lx->col, msg);
        return false;
    }
    size_t ml = strlen(match);
    if (ml == 1 && strchr("([{", c)) {
        if (lx->nbrackets >= TPL_MAX_EXPR_DEPTH) {
            lex_error(lx, lx->line, lx->col, "expression nested too deeply");
            return false;
        }
        lx->brackets[lx->nbrackets++] = (char)c;
    } else if (ml == 1 && strchr(")]}", c)) {
        char want = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (lx->nbrackets == 0 || lx->brackets[lx->nbrackets - 1] != want) {
            char msg[64];
            snprintf(msg, sizeof msg, "unexpected \"%c\"", c);
            lex_error(lx, lx->line, lx->col, msg);
            return false;
        }
        lx->nbrackets--;
    }
    push(lx, T_PUNCT, match, ml, lx->line, lx->col);
    advance_to(lx, lx->pos + ml);
    return true;
}

/* Tokens of an expression up to the closing delimiter; *trim_after tells
 * how the closing delimiter trims the text after it. */
static bool lex_expression(lexer *lx, bool is_var, int open_line, int open_col, int *trim_after)
{
    const char *close = is_var ? "}}" : "%}";
    lx->nbrackets = 0;
    for (;;) {
        while (lx->pos < lx->len && is_ws(lx->src[lx->pos])) advance_to(lx, lx->pos + 1);
        if (lx->pos >= lx->len) {
            lex_error(lx, open_line, open_col, is_var ? "unclosed variable, expected \"}}\"" :
                                                        "unclosed tag, expected \"%}\"");
            return false;
        }
        const char *p = lx->src + lx->pos;
        size_t rest = lx->len - lx->pos;
        if (lx->nbrackets == 0) {
            if (rest >= 3 && (p[0] == '-' || p[0] == '~') && memcmp(p + 1, close, 2) == 0) {
                push(lx, is_var ? T_VAR_END : T_BLOCK_END, p, 3, lx->line, lx->col);
                *trim_after = trim_mode(p[0]);
                advance_to(lx, lx->pos + 3);
                return true;
            }
            if (rest >= 2 && memcmp(p, close, 2) == 0) {
                push(lx, is_var ? T_VAR_END : T_BLOCK_END, p, 2, lx->line, lx->col);
                advance_to(lx, lx->pos + 2);
                *trim_after = TRIM_NONE;
                return true;
            }
        }
        if (!lex_token(lx)) return false;
    }
}

/* After `{% verbatim %}`: find the matching endverbatim tag and emit the
 * body as text. */
static bool lex_verbatim(lexer *lx, int trim_first)
{
    size_t search = lx->pos;
    for (;;) {
        size_t at = next_tag(lx, search);
        if (at >= lx->len) {
            lex_error(lx, lx->line, lx->col, "unexpected end of template, expected \"endverbatim\"");
            return false;
        }
        const char *p = lx->src + at;
        if (p[1] == '%') {
            size_t i = at + 2;
            int dash_before = i < lx->len ? trim_mode(lx->src[i]) : TRIM_NONE;
            if (dash_before) i++;
            while (i < lx->len && is_ws(lx->src[i])) i++;
            if (lx->len - i >= 11 && memcmp(lx->src + i, "endverbatim", 11) == 0) {
                i += 11;
                while (i < lx->len && is_ws(lx->src[i])) i++;
                int dash_after = i < lx->len ? trim_mode(lx->src[i]) : TRIM_NONE;
                if (dash_after) i++;
                if (lx->len - i >= 2 && lx->src[i] == '%' && lx->src[i + 1] == '}') {
                    emit_text(lx, lx->pos, at, trim_first, dash_before, lx->line, lx->col);
                    advance_to(lx, i + 2);
                    /* unlike other tags, verbatim keeps the newline after it */
                    while (lx->pos < lx->len && trims(dash_after, lx->src[lx->pos])) advance_to(lx, lx->pos + 1);
                    return true;
                }
            }
        }
        search = at + 2;
    }
}

/* After a tag closed with `~`: drop spaces and tabs, then the newline. */
static void skip_line_trim(lexer *lx)
{
    while (lx->pos < lx->len && trims(TRIM_LINE, lx->src[lx->pos])) advance_to(lx, lx->pos + 1);
}

token *tpl_lex(arena *a, const char *name, const char *src, size_t len, size_t *ntok, diag_list *d)
{
    lexer lx = {.a = a, .name = name, .src = src, .len = len, .line = 1, .col = 1, .d = d};
    int trim_next = TRIM_NONE;
    while (lx.pos < lx.len && !lx.failed) {
        size_t at = next_tag(&lx, lx.pos);
        const char *tag = lx.src + at;
        int trim_before = at + 2 < lx.len ? trim_mode(tag[2]) : TRIM_NONE;
        int tl = lx.line, tc = lx.col;
        emit_text(&lx, lx.pos, at, trim_next, at < lx.len ? trim_before : TRIM_NONE, tl, tc);
        trim_next = TRIM_NONE;
        if (at >= lx.len) {
            advance_to(&lx, lx.len);
            break;
        }
        advance_to(&lx, at);
        int open_line = lx.line, open_col = lx.col;
        if (tag[1] == '#') {
            const char *end = NULL;
            for (const char *p = tag + 2; p + 1 < lx.src + lx.len; p++)
                if (p[0] == '#' && p[1] == '}') {
                    end = p;
                    break;
                }
            if (!end) {
                lex_error(&lx, open_line, open_col, "unclosed comment");
                break;
            }
            int mode = end > tag + 2 ? trim_mode(end[-1]) : TRIM_NONE;
            advance_to(&lx, (size_t)(end - lx.src) + 2);
            if (mode == TRIM_ALL) trim_next = TRIM_ALL;
            else if (mode == TRIM_LINE) skip_line_trim(&lx);
            if (mode != TRIM_ALL && lx.pos < lx.len && lx.src[lx.pos] == '\n') advance_to(&lx, lx.pos + 1);
            continue;
        }
        bool is_var = tag[1] == '{';
        push(&lx, is_var ? T_VAR_START : T_BLOCK_START, tag, 2, open_line, open_col);
        advance_to(&lx, at + 2 + (trim_before ? 1 : 0));
        size_t first_tok = lx.n;
        int trim_after = TRIM_NONE;
        if (!lex_expression(&lx, is_var, open_line, open_col, &trim_after)) break;
        if (!is_var && lx.n - first_tok == 2 && lx.toks[first_tok].kind == T_NAME &&
            strcmp(lx.toks[first_tok].s, "verbatim") == 0) {
            lx.n -= 3; /* the verbatim tag itself leaves no tokens */
            if (!lex_verbatim(&lx, trim_after)) break;
            continue;
        }
        if (trim_after == TRIM_ALL) {
            trim_next = TRIM_ALL;
        } else {
            if (trim_after == TRIM_LINE) skip_line_trim(&lx);
            /* as in Twig, a newline right after a block tag is dropped */
            if (!is_var && lx.pos < lx.len && lx.src[lx.pos] == '\n')
                advance_to(&lx, lx.pos + 1);
        }
    }
    if (lx.failed) return NULL;
    push(&lx, T_EOF, "", 0, lx.line, lx.col);
    *ntok = lx.n;
    return lx.toks;
}
