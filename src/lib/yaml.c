/* yaml.c - libyaml event stream to value tree.
 *
 * A small recursive descent over libyaml's events. Limits: nesting depth
 * YAML_MAX_DEPTH, anchors YAML_MAX_ANCHORS, and the number of nodes that
 * aliases stand for (counted with their subtrees) YAML_MAX_ALIAS_WEIGHT. */
#include "yaml.h"
#include "utf8.h"
#include "files.h"

#include <stdbool.h>
#include <stddef.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YAML_MAX_DEPTH 256
#define YAML_MAX_ANCHORS 1024
#define YAML_MAX_ALIAS_WEIGHT 100000
#define YAML_MAX_FILE (16 * 1024 * 1024)

typedef struct anchor {
    char *name;
    value *val;
    size_t weight; /* nodes in the subtree */
} anchor;

typedef struct loader {
    yaml_parser_t parser;
    arena *a;
    const char *path;
    const char *text;
    size_t len;
    int first_line;
    diag_list *d;
    anchor anchors[YAML_MAX_ANCHORS];
    size_t nanchors;
    size_t alias_weight;
    int failed;
    /* A plain value starting with @ ` or %, which YAML refuses and Grav's
     * YAML reader (the fallback it uses when the strict one refuses a
     * file) takes as text: where it is, to be read again in quotes. */
    const char *requote, *requote_end;
    int requote_line, requote_col;
    int may_requote;
    /* The first key a map has a second time (the first value counts). */
    const char *twice;
    int twice_line, twice_col;
} loader;

static void fail(loader *L, int line, int col, const char *msg)
{
    if (L->failed) return;
    L->failed = 1;
    if (L->d) diag_add(L->d, DIAG_ERROR, L->path, line + L->first_line, col, "%s", msg);
}

/* Characters (not bytes) from s to s + n, plus one: a 1-based column. */
static int column_of(const char *s, size_t n)
{
    int col = 1;
    for (size_t i = 0; i < n; i++) col += ((unsigned char)s[i] & 0xc0) != 0x80;
    return col;
}

/* Where the quoted value starting at q (a ' or ") of the line [q, end)
 * closes: the closing quote, or NULL when the line ends first. In '...'
 * an apostrophe is written twice; in "..." a backslash escapes. */
static const char *closing_quote(const char *q, const char *end)
{
    for (const char *p = q + 1; p < end; p++) {
        if (*q == '"' && *p == '\\') {
            p++;
        } else if (*p == *q) {
            if (*q == '\'' && p + 1 < end && p[1] == '\'') p++;
            else return p;
        }
    }
    return NULL;
}

/* Whether a quoted value left open on the line ending at eol swallows
 * what follows: the text ends, or the next line is a key no deeper than
 * the value's own (a quoted value may go on over lines indented more). */
static int runs_into_next_key(const char *eol, const char *end, size_t indent)
{
    if (eol >= end || eol + 1 >= end) return 1;
    const char *s = eol + 1, *e = memchr(s, '\n', (size_t)(end - s));
    if (!e) e = end;
    const char *p = s;
    while (p < e && *p == ' ') p++;
    if ((size_t)(p - s) > indent) return 0;
    for (const char *k = p; k < e; k++)
        if (*k == ':' && (k + 1 == e || k[1] == ' ' || k[1] == '\r')) return 1;
    return 0;
}

/* A value as the message quotes it back: in the quote it does not hold,
 * at most QUOTED_MAX bytes, cut between characters. */
#define QUOTED_MAX 200
static void quote_value(char *out, size_t cap, const char *v, const char *t)
{
    char q = memchr(v, '\'', (size_t)(t - v)) && !memchr(v, '"', (size_t)(t - v)) ? '"' : '\'';
    size_t n = (size_t)(t - v);
    if (n > QUOTED_MAX) {
        n = QUOTED_MAX;
        while (n && ((unsigned char)v[n] & 0xc0) == 0x80) n--;
    }
    snprintf(out, cap, "%c%.*s%c", q, (int)n, v, q);
}

typedef struct slip {
    char *msg;
    size_t cap;
    const char *at;                   /* where, in the line */
    const char *requote, *requote_end; /* a value Grav reads as text, set for special_start_slip */
} slip;

/* A quoted value [v, t) whose quote does not close where the value ends. */
static bool quoted_slip(slip *sl, const char *v, const char *t, const char *eol, const char *end, size_t indent)
{
    const char *close = closing_quote(v, t);
    if (!close) {
        if (!runs_into_next_key(eol, end, indent)) return false; /* a value over several lines */
        snprintf(sl->msg, sl->cap, "invalid YAML: the quote that opens this value is not closed on its line; "
                                   "end the value with %c", *v);
        sl->at = v;
        return true;
    }
    const char *after = close + 1;
    while (after < t && *after == ' ') after++;
    if (after == t || *after == '#') return false;
    if (*v == '\'')
        snprintf(sl->msg, sl->cap, "invalid YAML: the value's quote closes before the value ends; an apostrophe "
                                   "inside '...' is written twice ('') or the value goes in \"...\"");
    else
        snprintf(sl->msg, sl->cap, "invalid YAML: the value's quote closes before the value ends; a quotation "
                                   "mark inside \"...\" is written \\\" or the value goes in '...'");
    sl->at = close;
    return true;
}

/* A plain value [v, t) that starts with a character YAML reads as
 * something else: "[Конференция] итоги" (a list), "*Важно*" (an alias). */
static bool special_start_slip(slip *sl, const char *v, const char *t)
{
    bool is_text;
    if (*v == '[' || *v == '{') {
        const char *after = NULL;
        int depth = 0;
        for (const char *k = v; k < t && !after; k++) {
            depth += *k == '[' || *k == '{';
            if ((*k == ']' || *k == '}') && --depth == 0) after = k + 1;
        }
        while (after && after < t && *after == ' ') after++;
        is_text = after && after < t && *after != '#'; /* text after the list */
    } else if (*v == '*') { /* "*name" alone is an alias, fine where it was defined */
        is_text = memchr(v, ' ', (size_t)(t - v)) || memchr(v + 1, '*', (size_t)(t - v - 1));
    } else {
        is_text = true; /* @ ` %: never the start of a plain value */
    }
    if (!is_text) return false;
    if (*v == '@' || *v == '`' || *v == '%') { /* the value up to a comment */
        const char *c = v;
        while (c + 1 < t && !(c[0] == ' ' && c[1] == '#')) c++;
        while (c > v && c[-1] == ' ') c--;
        sl->requote = v, sl->requote_end = c + 1 < t ? c : t;
    }
    char quoted[QUOTED_MAX + 8];
    quote_value(quoted, sizeof quoted, v, t);
    snprintf(sl->msg, sl->cap, "invalid YAML: a value that starts with '%c' is %s; put the value in quotes: %s", *v,
             *v == '[' ? "read as a list" : *v == '{' ? "read as a set of keys"
             : *v == '*' ? "read as a reference to an anchor" : "not allowed in YAML",
             quoted);
    sl->at = v;
    return true;
}

/* A plain value [v, t) with ": " in it, which YAML reads as a new key. */
static bool colon_slip(slip *sl, const char *v, const char *t)
{
    for (const char *k = v; k + 1 < t; k++)
        if (*k == ':' && k[1] == ' ') {
            char quoted[QUOTED_MAX + 8];
            quote_value(quoted, sizeof quoted, v, t);
            snprintf(sl->msg, sl->cap, "invalid YAML: the value has \": \" in it, which YAML takes for a new key; "
                                       "put the value in quotes: %s", quoted);
            sl->at = k;
            return true;
        }
    return false;
}

#define NBSP_INDENT_MESSAGE                                                                                       \
    "invalid YAML: a non-breaking space (Option+Space, or pasted from Word) indents this line; YAML indents with " \
    "ordinary spaces only"

/* U+00A0 at p: what Option+Space types on a Mac, and Word pastes. */
static bool is_nbsp(const char *p, const char *end)
{
    return end - p >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0;
}

/* libyaml's words ("did not find expected key") rarely tell a person
 * what to change. When it gives up, look for the mistakes people make in
 * front matter written by hand, on lines 1 to upto: a tab in the
 * indentation, a quoted value whose quote does not close where the value
 * ends (an apostrophe inside '...', a quote left open), a plain value
 * that starts with [ { * @ ` % or has ": " in it. 1 with msg and the
 * place filled when one is found. */
static int explain(const loader *L, int upto, char *msg, size_t cap, int *line, int *col, slip *found)
{
    const char *s = L->text, *end = L->text + L->len;
    slip sl = {msg, cap, NULL, NULL, NULL};
    for (int n = 1; s < end && n <= upto; n++, s++) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        if (!eol) eol = end;
        const char *e = eol > s && eol[-1] == '\r' ? eol - 1 : eol;
        const char *p = s, *tab = NULL, *nbsp = NULL;
        for (; p < e && (*p == ' ' || *p == '\t' || is_nbsp(p, e)); p++) {
            if (*p == '\t' && !tab) tab = p;
            if (*p != ' ' && *p != '\t' && !nbsp) nbsp = p;
            if (*p != ' ' && *p != '\t') p++; /* both bytes of it */
        }
        if (tab) {
            snprintf(msg, cap, "invalid YAML: a tab indents this line; YAML indents with spaces only");
            sl.at = tab;
        } else if (nbsp) {
            snprintf(msg, cap, "%s", NBSP_INDENT_MESSAGE);
            sl.at = nbsp;
        }
        size_t indent = (size_t)(p - s);
        while (p + 1 < e && *p == '-' && p[1] == ' ') /* "- item" */
            for (p += 2; p < e && *p == ' ';) p++;
        const char *colon = NULL; /* key: value, the key plain */
        if (!sl.at && p < e && !strchr("#'\"[{", *p))
            for (const char *k = p; k < e && !colon && !sl.at; k++) {
                if (*k == ':' && (k + 1 == e || k[1] == ' ')) colon = k;
                if (*k == ':' && is_nbsp(k + 1, e)) {
                    snprintf(msg, cap,
                             "invalid YAML: the space after '%.*s' is a non-breaking one (Option+Space, or pasted "
                             "from Word), and YAML needs an ordinary space there",
                             (int)(k + 1 - p), p);
                    sl.at = k + 1;
                }
            }
        if (colon) {
            const char *v = colon + 1, *t = e; /* the value, without blanks around it */
            while (v < e && *v == ' ') v++;
            while (t > v && (t[-1] == ' ' || t[-1] == '\t')) t--;
            if (v < t && (*v == '\'' || *v == '"')) quoted_slip(&sl, v, t, eol, end, indent);
            else if (v < t && *v && strchr("[{*@`%", *v)) special_start_slip(&sl, v, t);
            else if (v < t && !strchr("|>&!", *v)) colon_slip(&sl, v, t);
        }
        if (sl.at) {
            *line = n, *col = column_of(s, (size_t)(sl.at - s));
            *found = sl;
            return 1;
        }
        s = eol;
    }
    return 0;
}

/* A key indented as no key before it is, which libyaml reports as
 * "mapping values are not allowed in this context" or "did not find
 * expected key": " published: true" under "title: A", or "tag:" one space
 * in under "taxonomy:", whose keys are two in. The first such line up to
 * line upto, and what to write; 0 when the header's keys line up. */
static int indent_slip(const loader *L, int upto, char *msg, size_t cap, int *line, int *col)
{
    int levels[32], depth = 0, n = 0, block = -1; /* block: the indentation a | or > value's lines exceed */
    levels[0] = 0;
    bool opens = false; /* the key above ended its line with ':' */
    const char *prev = NULL, *end = L->text + L->len;
    size_t prev_len = 0;
    for (const char *s = L->text; s < end && n < upto; ) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        eol = eol ? eol + 1 : end;
        n++;
        const char *e = eol > s && eol[-1] == '\n' ? eol - 1 : eol;
        if (e > s && e[-1] == '\r') e--;
        const char *p = s;
        while (p < e && *p == ' ') p++;
        int indent = (int)(p - s);
        const char *line_start = s;
        s = eol;
        if (p == e || *p == '#') continue;
        if (block >= 0 && indent > block) continue;
        block = -1;
        if (*p == '-' || *p == '\t') return 0; /* lists, tabs: explain's or libyaml's to say */
        const char *colon = NULL;
        if (!strchr("'\"[{", *p))
            for (const char *k = p; k < e && !colon; k++)
                if (*k == ':' && (k + 1 == e || k[1] == ' ')) colon = k;
        if (!colon) return 0;
        const char *v = colon + 1;
        while (v < e && *v == ' ') v++;
        if (opens && indent > levels[depth] && depth + 1 < 32) {
            levels[++depth] = indent;
        } else if (indent > levels[depth] && prev) {
            snprintf(msg, cap,
                     "invalid YAML: '%.*s' is indented under '%.*s', which has its value on its line: start it "
                     "where '%.*s' starts",
                     (int)(colon - p), p, (int)prev_len, prev, (int)prev_len, prev);
            *line = n, *col = 1;
            return 1;
        } else {
            while (depth > 0 && indent < levels[depth]) depth--;
            if (indent != levels[depth]) {
                snprintf(msg, cap,
                         "invalid YAML: '%.*s' is indented by %d space%s, and the keys before it by %d or %d: indent "
                         "it as the keys it goes with",
                         (int)(colon - p), p, indent, indent == 1 ? "" : "s", levels[depth],
                         depth + 1 < 32 ? levels[depth + 1] : 0);
                *line = n, *col = indent + 1;
                (void)line_start;
                return 1;
            }
        }
        opens = v == e;
        if (v < e && (*v == '|' || *v == '>')) block = indent;
        prev = p, prev_len = (size_t)(colon - p);
    }
    return 0;
}

static int next_event(loader *L, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&L->parser, ev)) {
        const char *p = L->parser.problem ? L->parser.problem : "malformed YAML";
        char msg[512];
        int line, col;
        slip sl;
        if (L->parser.error != YAML_READER_ERROR &&
            explain(L, (int)L->parser.problem_mark.line + 1, msg, sizeof msg, &line, &col, &sl)) {
            if (sl.requote && !L->failed && L->may_requote) { /* read again, the value in quotes */
                L->requote = sl.requote, L->requote_end = sl.requote_end;
                L->requote_line = line, L->requote_col = col;
                L->failed = 1;
            }
            fail(L, line, col, msg);
        } else if (L->parser.error != YAML_READER_ERROR && L->parser.problem &&
                   (strstr(L->parser.problem, "mapping values are not allowed") ||
                    strstr(L->parser.problem, "did not find expected key")) &&
                   indent_slip(L, (int)L->parser.problem_mark.line + 1, msg, sizeof msg, &line, &col)) {
            fail(L, line, col, msg);
        } else if (L->parser.context && (strstr(L->parser.context, "flow sequence") ||
                                         strstr(L->parser.context, "flow mapping"))) {
            bool is_list = strstr(L->parser.context, "sequence") != NULL;
            snprintf(msg, sizeof msg,
                     "invalid YAML: the '%c' here is not closed: end the %s with '%c' on this line, or put the "
                     "value in quotes if the '%c' is part of the text",
                     is_list ? '[' : '{', is_list ? "list" : "set of keys", is_list ? ']' : '}', is_list ? '[' : '{');
            fail(L, (int)L->parser.context_mark.line + 1, (int)L->parser.context_mark.column + 1, msg);
        } else if (L->parser.context) {
            /* An unclosed bracket or quote is noticed far from where it
             * opened; point at the opening, which is what needs fixing. */
            snprintf(msg, sizeof msg, "invalid YAML: %s %s (noticed at line %d)", p, L->parser.context,
                     (int)L->parser.problem_mark.line + 1 + L->first_line);
            fail(L, (int)L->parser.context_mark.line + 1, (int)L->parser.context_mark.column + 1, msg);
        } else if (L->parser.error == YAML_READER_ERROR) {
            /* The reader (bad UTF-8, control bytes) decodes ahead of the
             * scanner and gives only a byte offset: count lines up to it. */
            /* libyaml points at the byte that broke a sequence; the
             * author needs the character it began with. */
            size_t at = strstr(p, "UTF-8") ? utf8_check(L->text, L->len) : L->parser.problem_offset;
            if (at > L->len) at = L->len;
            const char *line_start = L->text;
            line = 1;
            for (const char *nl; (nl = memchr(line_start, '\n', (size_t)(L->text + at - line_start)));)
                line++, line_start = nl + 1;
            col = column_of(line_start, (size_t)(L->text + at - line_start));
            if (strstr(p, "UTF-8"))
                snprintf(msg, sizeof msg,
                         "the file is not UTF-8 text (saved as Windows-1251 or in another code page?): save it as "
                         "UTF-8");
            else
                snprintf(msg, sizeof msg, "invalid YAML: %s", p);
            fail(L, line, col, msg);
        } else {
            snprintf(msg, sizeof msg, "invalid YAML: %s", p);
            fail(L, (int)L->parser.problem_mark.line + 1, (int)L->parser.problem_mark.column + 1, msg);
        }
        return 0;
    }
    return 1;
}

static int ieq(const char *a, const char *b) { return strcasecmp(a, b) == 0; }

static value *resolve_plain(arena *a, const char *s, size_t len)
{
    if (len == 0 || !strcmp(s, "~") || ieq(s, "null")) return value_null();
    if (ieq(s, "true")) return value_bool(true);
    if (ieq(s, "false")) return value_bool(false);
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    if (*p >= '0' && *p <= '9') {
        char *end;
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
            errno = 0;
            long long i = strtoll(s, &end, 16);
            if (*end == 0 && errno == 0) return value_int(a, i);
        }
        int only_digits = 1;
        for (const char *q = p; *q; q++)
            if (*q < '0' || *q > '9') only_digits = 0;
        if (only_digits) {
            errno = 0;
            long long i = strtoll(s, &end, 10);
            if (errno == 0) return value_int(a, i);
            return value_float(a, strtod(s, NULL));
        }
    }
    if (*p == '.' || (*p >= '0' && *p <= '9')) {
        /* float: digits with a dot and/or exponent, nothing else */
        int digits = 0, ok = 1, seen_dot = 0, seen_e = 0;
        for (const char *q = p; *q && ok; q++) {
            if (*q >= '0' && *q <= '9') digits++;
            else if (*q == '.' && !seen_dot && !seen_e) seen_dot = 1;
            else if ((*q == 'e' || *q == 'E') && digits && !seen_e) {
                seen_e = 1;
                if (q[1] == '+' || q[1] == '-') q++;
            } else ok = 0;
        }
        if (ok && digits && (seen_dot || seen_e)) return value_float(a, strtod(s, NULL));
        if (ieq(p, ".inf")) return value_float(a, s[0] == '-' ? -INFINITY : INFINITY);
        if (ieq(s, ".nan")) return value_float(a, NAN);
    }
    return value_str(a, s, len);
}

static size_t weight_of(const value *v)
{
    size_t w = 1;
    if (v->kind == V_LIST)
        for (size_t i = 0; i < v->u.list.len; i++) w += weight_of(v->u.list.items[i]);
    else if (v->kind == V_MAP)
        for (size_t i = 0; i < v->u.map.len; i++) w += weight_of(v->u.map.items[i].val);
    return w;
}

static void remember_anchor(loader *L, const yaml_char_t *name, value *v, const yaml_mark_t *m)
{
    if (!name) return;
    if (L->nanchors == YAML_MAX_ANCHORS) {
        fail(L, (int)m->line + 1, (int)m->column + 1, "too many YAML anchors");
        return;
    }
    anchor *an = &L->anchors[L->nanchors++];
    an->name = arena_strdup(L->a, (const char *)name);
    an->val = v;
    an->weight = weight_of(v);
}

static value *parse_node(loader *L, yaml_event_t *ev, int depth);

/* Parses events until the closing event of a collection; ev is the start event. */
static value *parse_collection(loader *L, yaml_event_t *start, int depth, int is_map)
{
    value *v = is_map ? value_map(L->a) : value_list(L->a);
    yaml_mark_t mark = start->start_mark;
    yaml_char_t *anchor_name = is_map ? start->data.mapping_start.anchor : start->data.sequence_start.anchor;
    char *anchor_copy = anchor_name ? arena_strdup(L->a, (const char *)anchor_name) : NULL;
    value *merges = NULL;
    for (;;) {
        yaml_event_t ev;
        if (!next_event(L, &ev)) return NULL;
        if (ev.type == (is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT)) {
            yaml_event_delete(&ev);
            break;
        }
        if (is_map) {
            yaml_mark_t key_mark = ev.start_mark;
            value *k = parse_node(L, &ev, depth + 1);
            if (!k) return NULL;
            /* YAML takes U+00A0 for a letter: "\u00a0\u00a0category: news"
             * under "taxonomy:" is a key of its own, and the taxonomy empty. */
            if (k->kind == V_STRING && is_nbsp(k->u.str.s, k->u.str.s + k->u.str.len)) {
                fail(L, (int)key_mark.line + 1, (int)key_mark.column + 1, NBSP_INDENT_MESSAGE);
                return NULL;
            }
            yaml_event_t ev2;
            if (!next_event(L, &ev2)) return NULL;
            value *val = parse_node(L, &ev2, depth + 1);
            if (!val) return NULL;
            if (k->kind == V_STRING && !strcmp(k->u.str.s, "<<") && val->kind == V_MAP) {
                /* merge key: its entries fill in, once the map's own
                 * keys (before or after it) are set */
                if (!merges) merges = value_list(L->a);
                list_push(L->a, merges, val);
                continue;
            }
            const char *ks = value_to_cstr(L->a, k);
            /* A key written twice: the first counts, as in Grav (its
             * strict reader refuses the file, and the reader it falls
             * back to keeps the first). */
            if (!map_addn(L->a, v, ks, strlen(ks), val) && !L->twice)
                L->twice = ks, L->twice_line = (int)key_mark.line + 1, L->twice_col = (int)key_mark.column + 1;
        } else {
            value *item = parse_node(L, &ev, depth + 1);
            if (!item) return NULL;
            list_push(L->a, v, item);
        }
    }
    for (size_t m = 0; merges && m < merges->u.list.len; m++) {
        const value *from = merges->u.list.items[m];
        for (size_t i = 0; i < from->u.map.len; i++)
            map_addn(L->a, v, from->u.map.items[i].key, from->u.map.items[i].key_len, from->u.map.items[i].val);
    }
    if (anchor_copy) remember_anchor(L, (const yaml_char_t *)anchor_copy, v, &mark);
    return L->failed ? NULL : v;
}

static value *parse_node(loader *L, yaml_event_t *ev, int depth)
{
    value *result = NULL;
    if (depth > YAML_MAX_DEPTH) {
        fail(L, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1, "YAML nested too deeply");
        yaml_event_delete(ev);
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        char *s = (char *)ev->data.scalar.value;
        size_t len = ev->data.scalar.length;
        /* "\v" or "\x01" in double quotes: a control character no page,
         * feed (XML has none) or address should carry; a space, as in a
         * page's text (source_normalize). */
        if (ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
            for (size_t i = 0; i < len; i++)
                if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') s[i] = ' ';
        const char *tag = (const char *)ev->data.scalar.tag;
        if (tag && !strcmp(tag, YAML_STR_TAG))
            result = value_str(L->a, s, len);
        else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
            result = resolve_plain(L->a, s, len);
        else
            result = value_str(L->a, s, len);
        if (ev->data.scalar.anchor) remember_anchor(L, ev->data.scalar.anchor, result, &ev->start_mark);
        break;
    }
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        for (size_t i = L->nanchors; i-- > 0;) {
            if (!strcmp(L->anchors[i].name, name)) {
                L->alias_weight += L->anchors[i].weight;
                if (L->alias_weight > YAML_MAX_ALIAS_WEIGHT) {
                    fail(L, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
                         "YAML aliases expand to too many nodes (alias bomb?)");
                    break;
                }
                result = L->anchors[i].val;
                break;
            }
        }
        if (!result && !L->failed) {
            char msg[300];
            snprintf(msg, sizeof msg, "unknown YAML alias '*%.200s'", name);
            fail(L, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1, msg);
        }
        break;
    }
    case YAML_SEQUENCE_START_EVENT:
        result = parse_collection(L, ev, depth, 0);
        break;
    case YAML_MAPPING_START_EVENT:
        result = parse_collection(L, ev, depth, 1);
        break;
    default:
        fail(L, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1, "unexpected YAML event");
        break;
    }
    yaml_event_delete(ev);
    return L->failed ? NULL : result;
}

/* The most values one file gets read again in quotes. */
#define MAX_REQUOTES 32

static value *load(arena *a, const char *text, size_t len, const char *path, int first_line, diag_list *d,
                   int requotes);

/* text again with [v, t) in single quotes (an apostrophe in it doubled). */
static char *requoted(const char *text, size_t len, const char *v, const char *t, size_t *out_len)
{
    size_t n = (size_t)(t - v), quotes = 0;
    for (size_t i = 0; i < n; i++) quotes += v[i] == '\'';
    char *out = xmalloc(len + n + quotes + 3), *w = out;
    memcpy(w, text, (size_t)(v - text));
    w += v - text;
    *w++ = '\'';
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '\'') *w++ = '\'';
        *w++ = v[i];
    }
    *w++ = '\'';
    memcpy(w, t, (size_t)(text + len - t));
    w += text + len - t;
    *w = 0;
    *out_len = (size_t)(w - out);
    return out;
}

value *yaml_load(arena *a, const char *text, size_t len, const char *path, int first_line, diag_list *d)
{
    return load(a, text, len, path, first_line, d, 0);
}

static value *load(arena *a, const char *text, size_t len, const char *path, int first_line, diag_list *d,
                   int requotes)
{
    /* Only the fields before the anchor table need zeroing: anchors are
     * read below nanchors only, and clearing the whole table cost more
     * than parsing a page's front matter. */
    loader *L = xmalloc(sizeof *L);
    memset(L, 0, offsetof(loader, anchors));
    L->nanchors = 0;
    L->alias_weight = 0;
    L->failed = 0;
    L->a = a;
    L->path = path;
    L->text = text;
    L->len = len;
    L->first_line = first_line;
    L->d = d;
    L->requote = NULL;
    L->may_requote = requotes < MAX_REQUOTES;
    L->twice = NULL;
    yaml_parser_initialize(&L->parser);
    yaml_parser_set_input_string(&L->parser, (const unsigned char *)text, len);
    value *root = NULL;
    yaml_event_t ev;
    /* STREAM-START, then DOCUMENT-START or STREAM-END */
    if (next_event(L, &ev)) {
        yaml_event_delete(&ev);
        if (next_event(L, &ev)) {
            if (ev.type == YAML_STREAM_END_EVENT) {
                yaml_event_delete(&ev);
                root = value_map(a);
            } else {
                yaml_event_delete(&ev);
                yaml_event_t node;
                if (next_event(L, &node)) {
                    root = parse_node(L, &node, 0);
                    if (root) {
                        yaml_event_t end;
                        if (next_event(L, &end)) {
                            /* DOCUMENT-END; a second document is an error */
                            yaml_event_delete(&end);
                            if (next_event(L, &end)) {
                                if (end.type != YAML_STREAM_END_EVENT)
                                    fail(L, (int)end.start_mark.line + 1, (int)end.start_mark.column + 1,
                                         "more than one YAML document");
                                yaml_event_delete(&end);
                            }
                        }
                    }
                }
            }
        }
    }
    yaml_parser_delete(&L->parser);
    int failed = L->failed;
    if (failed && L->requote) {
        if (d) {
            char quoted[QUOTED_MAX + 8];
            quote_value(quoted, sizeof quoted, L->requote, L->requote_end);
            diag_add(d, DIAG_WARNING, path, L->requote_line + first_line, L->requote_col,
                     "a value that starts with '%c' is not YAML: Grav reads it as text, other YAML readers refuse "
                     "it; put the value in quotes: %s",
                     *L->requote, quoted);
        }
        size_t n;
        char *again = requoted(text, len, L->requote, L->requote_end, &n);
        free(L);
        value *v = load(a, again, n, path, first_line, d, requotes + 1);
        free(again);
        return v;
    }
    if (!failed && L->twice && d)
        diag_add(d, DIAG_WARNING, path, L->twice_line + first_line, L->twice_col,
                 "'%s' is written a second time here: the first one counts, as in Grav, and this one is ignored; "
                 "remove one of them",
                 L->twice);
    free(L);
    if (failed) return NULL;
    if (root && root->kind == V_NULL) root = value_map(a);
    return root;
}

value *yaml_load_file(arena *a, const char *path, diag_list *d)
{
    size_t len;
    char *text = file_read(path, &len, YAML_MAX_FILE);
    if (!text) {
        if (d) diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    value *v = yaml_load(a, text, len, path, 0, d);
    free(text);
    return v;
}

static int key_line(const char *text, const char *key, bool any_indent)
{
    size_t kl = strlen(key);
    int line = 1;
    for (const char *p = text; p && *p; line++) {
        const char *k = any_indent ? p + strspn(p, " \t") : p;
        if (!strncmp(k, key, kl) && k[kl] == ':') return line;
        p = strchr(p, '\n');
        if (p) p++;
    }
    return 1;
}

int yaml_key_line(const char *text, const char *key) { return key_line(text, key, true); }

int yaml_top_key_line(const char *text, const char *key) { return key_line(text, key, false); }

void value_merge_into(arena *a, value *dst, const value *src)
{
    if (!dst || !src || dst->kind != V_MAP || src->kind != V_MAP) return;
    for (size_t i = 0; i < src->u.map.len; i++) {
        const value_pair *p = &src->u.map.items[i];
        value *cur = map_getn(dst, p->key, p->key_len);
        if (cur && cur->kind == V_MAP && p->val->kind == V_MAP)
            value_merge_into(a, cur, p->val);
        else
            map_setn(a, dst, p->key, p->key_len, p->val);
    }
}
