/* lexer.c - template text to tokens.
 *
 * Text outside tags becomes T_TEXT; inside {{ }} and {% %} the lexer emits
 * names, numbers, strings and punctuation. Whitespace control is applied
 * here: `{{-`/`{%-`/`{#-` trim the text before the tag, `-}}`/`-%}`/`-#}`
 * the text after it, and, as in Twig, one newline directly after `%}` or
 * `#}` is dropped. `{% verbatim %}` bodies are passed through as text. */
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

/* Emit text [start, end) with the trims asked for by the tags around it. */
static void emit_text(lexer *lx, size_t start, size_t end, bool trim_left, bool trim_right, int line, int col)
{
    if (trim_left)
        while (start < end && is_ws(lx->src[start])) start++;
    if (trim_right)
        while (end > start && is_ws(lx->src[end - 1])) end--;
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
    "...", "..", "//", "**", "==", "!=", "<=>", "<=", ">=", "??", "?:", "<", ">", "+", "-", "*", "/",
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

/* Tokens of an expression up to the closing delimiter. Returns true and
 * sets *trim_after when the tag was closed with a dash. */
static bool lex_expression(lexer *lx, bool is_var, int open_line, int open_col, bool *trim_after)
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
            if (rest >= 3 && p[0] == '-' && memcmp(p + 1, close, 2) == 0) {
                push(lx, is_var ? T_VAR_END : T_BLOCK_END, p, 3, lx->line, lx->col);
                advance_to(lx, lx->pos + 3);
                *trim_after = true;
                return true;
            }
            if (rest >= 2 && memcmp(p, close, 2) == 0) {
                push(lx, is_var ? T_VAR_END : T_BLOCK_END, p, 2, lx->line, lx->col);
                advance_to(lx, lx->pos + 2);
                *trim_after = false;
                return true;
            }
        }
        unsigned char c = (unsigned char)*p;
        if (c == '\'' || c == '"') {
            lex_string(lx);
            if (lx->failed) return false;
            continue;
        }
        if (isdigit(c)) {
            lex_number(lx);
            continue;
        }
        if (is_name_start(c)) {
            size_t i = 1;
            while (i < rest && is_name_char((unsigned char)p[i])) i++;
            push(lx, T_NAME, arena_strndup(lx->a, p, i), i, lx->line, lx->col);
            advance_to(lx, lx->pos + i);
            continue;
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
    }
}

/* After `{% verbatim %}`: find the matching endverbatim tag and emit the
 * body as text. */
static bool lex_verbatim(lexer *lx, bool trim_first)
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
            bool dash_before = i < lx->len && lx->src[i] == '-';
            if (dash_before) i++;
            while (i < lx->len && is_ws(lx->src[i])) i++;
            if (lx->len - i >= 11 && memcmp(lx->src + i, "endverbatim", 11) == 0) {
                i += 11;
                while (i < lx->len && is_ws(lx->src[i])) i++;
                bool dash_after = i < lx->len && lx->src[i] == '-';
                if (dash_after) i++;
                if (lx->len - i >= 2 && lx->src[i] == '%' && lx->src[i + 1] == '}') {
                    emit_text(lx, lx->pos, at, trim_first, dash_before, lx->line, lx->col);
                    advance_to(lx, i + 2);
                    /* unlike other tags, verbatim keeps the newline after it */
                    if (dash_after)
                        while (lx->pos < lx->len && is_ws(lx->src[lx->pos])) advance_to(lx, lx->pos + 1);
                    return true;
                }
            }
        }
        search = at + 2;
    }
}

token *tpl_lex(arena *a, const char *name, const char *src, size_t len, size_t *ntok, diag_list *d)
{
    lexer lx = {.a = a, .name = name, .src = src, .len = len, .line = 1, .col = 1, .d = d};
    bool trim_next = false;
    while (lx.pos < lx.len && !lx.failed) {
        size_t at = next_tag(&lx, lx.pos);
        const char *tag = lx.src + at;
        bool trim_before = at + 2 < lx.len && tag[2] == '-';
        int tl = lx.line, tc = lx.col;
        emit_text(&lx, lx.pos, at, trim_next, at < lx.len && trim_before, tl, tc);
        trim_next = false;
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
            bool dash = end > tag + 2 && end[-1] == '-';
            advance_to(&lx, (size_t)(end - lx.src) + 2);
            if (dash) trim_next = true;
            else if (lx.pos < lx.len && lx.src[lx.pos] == '\n') advance_to(&lx, lx.pos + 1);
            continue;
        }
        bool is_var = tag[1] == '{';
        push(&lx, is_var ? T_VAR_START : T_BLOCK_START, tag, 2, open_line, open_col);
        advance_to(&lx, at + 2 + (trim_before ? 1 : 0));
        size_t first_tok = lx.n;
        bool trim_after = false;
        if (!lex_expression(&lx, is_var, open_line, open_col, &trim_after)) break;
        if (!is_var && lx.n - first_tok == 2 && lx.toks[first_tok].kind == T_NAME &&
            strcmp(lx.toks[first_tok].s, "verbatim") == 0) {
            lx.n -= 3; /* the verbatim tag itself leaves no tokens */
            bool trim_first = trim_after;
            if (!lex_verbatim(&lx, trim_first)) break;
            continue;
        }
        if (trim_after) trim_next = true;
        else if (!is_var && lx.pos < lx.len && lx.src[lx.pos] == '\n') advance_to(&lx, lx.pos + 1);
    }
    if (lx.failed) return NULL;
    push(&lx, T_EOF, "", 0, lx.line, lx.col);
    *ntok = lx.n;
    return lx.toks;
}
