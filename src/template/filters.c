/* filters.c - the built-in filters and functions, and escaping.
 *
 * Each filter follows its Twig counterpart (which mostly wraps a PHP
 * function): null and "" give "" for the string filters, lists and maps
 * keep PHP's key rules, numbers format like PHP. Case mapping knows
 * Latin-1, Latin Extended-A and Cyrillic (Kazakh and Russian text), which
 * is what mb_strtoupper would change on this site. */
#include <ctype.h>
#include <limits.h>
#include <time.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/date.h"
#include "template/internal.h"

#define FILTER(name) static value *name(render *r, const expr *at, value *in, value **args, size_t nargs)
#define ARG(i) ((i) < nargs ? args[i] : NULL)
#define STR(v, lenp) php_str(r, (v), (lenp))

static value *str_result(render *r, buf *b)
{
    value *v = value_str(r->a, buf_cstr(b), b->len);
    buf_free(b);
    return v;
}

static bool is_ws_char(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

static bool is_null_arg(const value *v) { return !v || v->kind == V_NULL; }

/* ---- UTF-8 and case ---- */

static size_t utf8_decode(const char *s, size_t len, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80 || len < 2) {
        *cp = u[0];
        return 1;
    }
    if ((u[0] & 0xE0) == 0xC0 && (u[1] & 0xC0) == 0x80) {
        *cp = ((unsigned)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
        return 2;
    }
    if ((u[0] & 0xF0) == 0xE0 && len >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        *cp = ((unsigned)(u[0] & 0x0F) << 12) | ((unsigned)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
        return 3;
    }
    if ((u[0] & 0xF8) == 0xF0 && len >= 4 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
        (u[3] & 0xC0) == 0x80) {
        *cp = ((unsigned)(u[0] & 0x07) << 18) | ((unsigned)(u[1] & 0x3F) << 12) | ((unsigned)(u[2] & 0x3F) << 6) |
              (u[3] & 0x3F);
        return 4;
    }
    *cp = u[0];
    return 1;
}

static void utf8_encode(buf *b, unsigned cp)
{
    char t[4];
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 2);
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 3);
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 4);
    }
}

static unsigned to_upper(unsigned c)
{
    if (c >= 'a' && c <= 'z') return c - 32;
    if (c < 0x80) return c;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
    if (c == 0xFF) return 0x178;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149) {
        bool odd_lower = (c < 0x138) || (c > 0x148 && c < 0x178);
        if (odd_lower && (c & 1)) return c - 1;
        if (!odd_lower && c > 0x138 && c < 0x149 && !(c & 1)) return c - 1;
        if (c >= 0x179 && c <= 0x17E && !(c & 1)) return c - 1;
        return c;
    }
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 32;
    if (c >= 0x430 && c <= 0x44F) return c - 32;
    if (c >= 0x450 && c <= 0x45F) return c - 80;
    if (((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F)) && (c & 1))
        return c - 1;
    if (c >= 0x4C1 && c <= 0x4CE && !(c & 1)) return c - 1;
    if (c == 0x4CF) return 0x4C0;
    return c;
}

static unsigned to_lower(unsigned c)
{
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c < 0x80) return c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c == 0x178) return 0xFF;
    if (c >= 0x100 && c <= 0x17F) {
        unsigned l = c + 1;
        if (to_upper(l) == c && l != c) return l;
        return c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    if (((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F)) && !(c & 1))
        return c + 1;
    if (c >= 0x4C1 && c <= 0x4CE && (c & 1)) return c + 1;
    if (c == 0x4C0) return 0x4CF;
    return c;
}

static bool is_letter(unsigned c)
{
    return isalpha((int)(c < 0x80 ? c : 0)) || (c >= 0xC0 && c != 0xD7 && c != 0xF7);
}

enum { CASE_UPPER, CASE_LOWER, CASE_TITLE, CASE_CAPITALIZE };

static value *map_case(render *r, value *in, int mode)
{
    size_t len;
    const char *s = STR(in, &len);
    buf b = BUF_INIT;
    buf_grow(&b, len);
    bool word_start = true;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_decode(s + i, len - i, &cp);
        unsigned out;
        switch (mode) {
        case CASE_UPPER: out = to_upper(cp); break;
        case CASE_LOWER: out = to_lower(cp); break;
        case CASE_CAPITALIZE: out = word_start ? to_upper(cp) : to_lower(cp); word_start = false; break;
        default:
            out = word_start ? to_upper(cp) : to_lower(cp);
            word_start = !(is_letter(cp) || (cp >= '0' && cp <= '9') || cp == '\'');
            break;
        }
        utf8_encode(&b, out);
    }
    return str_result(r, &b);
}

FILTER(f_upper) { return map_case(r, in, CASE_UPPER); }
FILTER(f_lower) { return map_case(r, in, CASE_LOWER); }
FILTER(f_title) { return map_case(r, in, CASE_TITLE); }
FILTER(f_capitalize) { return map_case(r, in, CASE_CAPITALIZE); }

/* ---- escaping ---- */

bool tpl_known_strategy(const char *s)
{
    return s && (!strcmp(s, "html") || !strcmp(s, "js") || !strcmp(s, "css") || !strcmp(s, "url") ||
                 !strcmp(s, "html_attr"));
}

static void escape_js(buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == ',' || c == '.' || c == '_') {
            buf_putc(b, (char)c);
            i++;
            continue;
        }
        unsigned cp;
        i += utf8_decode(s + i, len - i, &cp);
        switch (cp) {
        case '\\': buf_puts(b, "\\\\"); continue;
        case '/': buf_puts(b, "\\/"); continue;
        case '\b': buf_puts(b, "\\b"); continue;
        case '\f': buf_puts(b, "\\f"); continue;
        case '\n': buf_puts(b, "\\n"); continue;
        case '\r': buf_puts(b, "\\r"); continue;
        case '\t': buf_puts(b, "\\t"); continue;
        }
        if (cp < 0x10000) buf_printf(b, "\\u%04X", cp);
        else {
            cp -= 0x10000;
            buf_printf(b, "\\u%04X\\u%04X", 0xD800 | (cp >> 10), 0xDC00 | (cp & 0x3FF));
        }
    }
}

static void escape_html_attr(buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == ',' || c == '.' || c == '-' || c == '_') {
            buf_putc(b, (char)c);
            i++;
            continue;
        }
        unsigned cp;
        i += utf8_decode(s + i, len - i, &cp);
        if ((cp <= 0x1F && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F)) {
            buf_puts(b, "&#xFFFD;");
            continue;
        }
        switch (cp) {
        case '"': buf_puts(b, "&quot;"); continue;
        case '&': buf_puts(b, "&amp;"); continue;
        case '<': buf_puts(b, "&lt;"); continue;
        case '>': buf_puts(b, "&gt;"); continue;
        }
        if (cp > 0xFF) buf_printf(b, "&#x%04X;", cp);
        else buf_printf(b, "&#x%02X;", cp);
    }
}

static void url_encode_into(buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') buf_putc(b, (char)c);
        else {
            char t[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(b, t, 3);
        }
    }
}

static void escape_css(buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            buf_putc(b, (char)c);
            i++;
            continue;
        }
        unsigned cp;
        i += utf8_decode(s + i, len - i, &cp);
        buf_printf(b, "\\%X ", cp);
    }
}

value *tpl_escape(render *r, const expr *at, value *v, const char *strategy)
{
    (void)at;
    if (!v || v->kind == V_NULL) return value_str_ref(r->a, "", 0);
    size_t len;
    const char *s;
    buf tmp = BUF_INIT;
    if (v->kind == V_OBJECT) {
        if (v->u.obj.cls->write) v->u.obj.cls->write(v->u.obj.self, &tmp);
        s = buf_cstr(&tmp);
        len = tmp.len;
    } else if (v->kind == V_LIST || v->kind == V_MAP) {
        s = "Array";
        len = 5;
    } else {
        s = STR(v, &len);
    }
    buf b = BUF_INIT;
    if (!strcmp(strategy, "html")) buf_add_html(&b, s, len);
    else if (!strcmp(strategy, "js")) escape_js(&b, s, len);
    else if (!strcmp(strategy, "html_attr")) escape_html_attr(&b, s, len);
    else if (!strcmp(strategy, "url")) url_encode_into(&b, s, len);
    else escape_css(&b, s, len);
    buf_free(&tmp);
    value *out = value_safe_str(r->a, buf_cstr(&b), b.len);
    buf_free(&b);
    return out;
}

FILTER(f_escape)
{
    const char *strategy = ARG(0) ? STR(ARG(0), NULL) : "html";
    if (!tpl_known_strategy(strategy)) {
        tpl_error_at(r, at, "invalid escaping strategy \"%s\"", strategy);
        return NULL;
    }
    return tpl_escape(r, at, in, strategy);
}

FILTER(f_raw) { return in; }

/* ---- strings ---- */

FILTER(f_trim)
{
    size_t len, cl = 6;
    const char *s = STR(in, &len);
    const char *chars = ARG(0) && !is_null_arg(ARG(0)) ? STR(ARG(0), &cl) : " \t\n\r\v";
    bool nul_too = !ARG(0) || is_null_arg(ARG(0));
    const char *side = ARG(1) ? STR(ARG(1), NULL) : "both";
    size_t start = 0, end = len;
    #define TRIMMABLE(c) (memchr(chars, (c), cl) != NULL || (nul_too && (c) == 0))
    if (strcmp(side, "right") != 0)
        while (start < end && TRIMMABLE(s[start])) start++;
    if (strcmp(side, "left") != 0)
        while (end > start && TRIMMABLE(s[end - 1])) end--;
    #undef TRIMMABLE
    value *v = value_str(r->a, s + start, end - start);
    v->is_safe = in && in->kind == V_STRING && in->is_safe;
    return v;
}

static value *as_array(render *r, value *v)
{
    if (v && v->kind == V_OBJECT) v = value_resolve(r->a, v);
    return v;
}

FILTER(f_join)
{
    value *a = as_array(r, in);
    size_t gl = 0, al = 0;
    const char *glue = ARG(0) ? STR(ARG(0), &gl) : "";
    const char *and = ARG(1) && !is_null_arg(ARG(1)) ? STR(ARG(1), &al) : NULL;
    buf b = BUF_INIT;
    size_t n = a && a->kind == V_LIST ? a->u.list.len : a && a->kind == V_MAP ? a->u.map.len : 0;
    for (size_t i = 0; i < n; i++) {
        if (i) {
            if (and && i == n - 1) buf_add(&b, and, al);
            else buf_add(&b, glue, gl);
        }
        value *item = a->kind == V_LIST ? a->u.list.items[i] : a->u.map.items[i].val;
        php_write(&b, item);
    }
    return str_result(r, &b);
}

FILTER(f_split)
{
    size_t len, dl;
    const char *s = STR(in, &len);
    const char *d = STR(ARG(0), &dl);
    long long limit = ARG(1) ? php_to_int(ARG(1)) : 0;
    value *out = value_list(r->a);
    if (dl == 0) {
        /* str_split by characters (or mb_str_split) in chunks of limit */
        long long chunk = limit > 0 ? limit : 1;
        for (size_t i = 0; i < len;) {
            size_t j = i;
            for (long long k = 0; k < chunk && j < len; k++) {
                unsigned cp;
                j += utf8_decode(s + j, len - j, &cp);
            }
            list_push(r->a, out, value_str(r->a, s + i, j - i));
            i = j;
        }
        return out;
    }
    if (len == 0 && (!ARG(1) || limit >= 0)) {
        list_push(r->a, out, value_str_ref(r->a, "", 0));
        return out;
    }
    size_t start = 0;
    for (;;) {
        if (limit > 0 && (long long)out->u.list.len == limit - 1) break;
        const char *hit = memmem(s + start, len - start, d, dl);
        if (!hit) break;
        list_push(r->a, out, value_str(r->a, s + start, (size_t)(hit - s) - start));
        start = (size_t)(hit - s) + dl;
    }
    list_push(r->a, out, value_str(r->a, s + start, len - start));
    if (limit < 0) {
        long long keep = (long long)out->u.list.len + limit;
        out->u.list.len = keep > 0 ? (size_t)keep : 0;
    }
    return out;
}

FILTER(f_replace)
{
    size_t len;
    const char *s = STR(in, &len);
    value *map = as_array(r, ARG(0));
    if (!map || (map->kind != V_MAP && map->kind != V_LIST)) {
        tpl_error_at(r, at, "the \"replace\" filter expects a mapping");
        return NULL;
    }
    /* strtr: at each position the longest matching key wins */
    buf b = BUF_INIT;
    size_t n = map->kind == V_MAP ? map->u.map.len : map->u.list.len;
    for (size_t i = 0; i < len;) {
        size_t best = 0;
        value *with = NULL;
        for (size_t k = 0; k < n; k++) {
            const char *key;
            size_t kl;
            char tmp[32];
            if (map->kind == V_MAP) {
                key = map->u.map.items[k].key;
                kl = map->u.map.items[k].key_len;
            } else {
                kl = (size_t)snprintf(tmp, sizeof tmp, "%zu", k);
                key = tmp;
            }
            if (kl && kl > best && kl <= len - i && memcmp(s + i, key, kl) == 0) {
                best = kl;
                with = map->kind == V_MAP ? map->u.map.items[k].val : map->u.list.items[k];
            }
        }
        if (best) {
            php_write(&b, with);
            i += best;
        } else {
            buf_putc(&b, s[i++]);
        }
    }
    return str_result(r, &b);
}

FILTER(f_striptags)
{
    size_t len, al = 0;
    const char *s = STR(in, &len);
    const char *allowed = ARG(0) ? STR(ARG(0), &al) : "";
    buf b = BUF_INIT;
    for (size_t i = 0; i < len;) {
        if (s[i] == '<') {
            size_t j = i + 1;
            char quote = 0;
            while (j < len && (quote || s[j] != '>')) {
                if (quote && s[j] == quote) quote = 0;
                else if (!quote && (s[j] == '"' || s[j] == '\'')) quote = s[j];
                j++;
            }
            size_t k = i + 1;
            if (k < len && s[k] == '/') k++;
            size_t ns = k;
            while (k < j && (isalnum((unsigned char)s[k]))) k++;
            bool keep = false;
            if (k > ns && al) {
                char tag[64];
                size_t tl = k - ns < 60 ? k - ns : 60;
                tag[0] = '<';
                for (size_t q = 0; q < tl; q++) tag[q + 1] = (char)tolower((unsigned char)s[ns + q]);
                tag[tl + 1] = '>';
                keep = memmem(allowed, al, tag, tl + 2) != NULL;
            }
            if (keep) buf_add(&b, s + i, (j < len ? j + 1 : len) - i);
            i = j < len ? j + 1 : len;
        } else {
            const char *lt = memchr(s + i, '<', len - i);
            size_t run = lt ? (size_t)(lt - s) - i : len - i;
            buf_add(&b, s + i, run);
            i += run;
        }
    }
    return str_result(r, &b);
}

/* Whitespace between tags removed, and around the whole text. */
FILTER(f_spaceless)
{
    size_t len;
    const char *s = STR(in, &len);
    buf b = BUF_INIT;
    size_t i = 0;
    while (i < len && is_ws_char(s[i])) i++;
    while (len > i && is_ws_char(s[len - 1])) len--;
    while (i < len) {
        if (s[i] == '>') {
            size_t j = i + 1;
            while (j < len && is_ws_char(s[j])) j++;
            if (j < len && s[j] == '<') {
                buf_putc(&b, '>');
                i = j;
                continue;
            }
        }
        buf_putc(&b, s[i++]);
    }
    value *v = str_result(r, &b);
    v->is_safe = true;
    return v;
}

FILTER(f_nl2br)
{
    size_t len, sl = 6;
    const char *s = STR(in, &len);
    const char *sep = ARG(0) ? STR(ARG(0), &sl) : "<br />";
    buf b = BUF_INIT;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
            buf_add(&b, sep, sl);
            buf_add(&b, "\r\n", 2);
            i++;
        } else if (s[i] == '\n' || s[i] == '\r') {
            buf_add(&b, sep, sl);
            buf_putc(&b, s[i]);
        } else {
            buf_putc(&b, s[i]);
        }
    }
    value *v = str_result(r, &b);
    v->is_safe = true;
    return v;
}

static void url_encode_query(render *r, buf *b, value *m, const char *prefix)
{
    size_t n = m->kind == V_LIST ? m->u.list.len : m->u.map.len;
    bool first = b->len == 0;
    for (size_t i = 0; i < n; i++) {
        value *v = m->kind == V_LIST ? m->u.list.items[i] : m->u.map.items[i].val;
        char tmp[32];
        const char *key = m->kind == V_LIST ? tmp : m->u.map.items[i].key;
        if (m->kind == V_LIST) snprintf(tmp, sizeof tmp, "%zu", i);
        if (!v || v->kind == V_NULL) continue;
        buf full = BUF_INIT;
        if (prefix) {
            buf_puts(&full, prefix);
            buf_putc(&full, '[');
            buf_puts(&full, key);
            buf_putc(&full, ']');
        } else {
            buf_puts(&full, key);
        }
        value *rv = as_array(r, v);
        if (rv && (rv->kind == V_LIST || rv->kind == V_MAP)) {
            url_encode_query(r, b, rv, buf_cstr(&full));
        } else {
            if (!first) buf_putc(b, '&');
            first = false;
            url_encode_into(b, full.s, full.len);
            buf_putc(b, '=');
            if (v->kind == V_BOOL) buf_putc(b, v->u.b ? '1' : '0');
            else {
                size_t vl;
                const char *vs = STR(v, &vl);
                url_encode_into(b, vs, vl);
            }
        }
        first = b->len == 0;
        buf_free(&full);
    }
}

FILTER(f_url_encode)
{
    value *a = as_array(r, in);
    buf b = BUF_INIT;
    if (a && (a->kind == V_LIST || a->kind == V_MAP)) {
        url_encode_query(r, &b, a, NULL);
    } else {
        size_t len;
        const char *s = STR(in, &len);
        url_encode_into(&b, s, len);
    }
    return str_result(r, &b);
}

FILTER(f_json_encode)
{
    long long flags = ARG(0) ? php_to_int(ARG(0)) : 0;
    unsigned f = 0;
    if (flags & 128) f |= JSON_PRETTY;
    if (flags & 64) f |= JSON_UNESCAPED_SLASHES;
    if (flags & 256) f |= JSON_UNESCAPED_UNICODE;
    buf b = BUF_INIT;
    value_write_json(&b, in, r->a, f);
    return str_result(r, &b);
}

FILTER(f_format)
{
    size_t len;
    const char *fmt = STR(in, &len);
    buf b = BUF_INIT;
    size_t argi = 0;
    for (size_t i = 0; i < len; i++) {
        if (fmt[i] != '%') {
            buf_putc(&b, fmt[i]);
            continue;
        }
        if (++i >= len) break;
        if (fmt[i] == '%') {
            buf_putc(&b, '%');
            continue;
        }
        /* %[argnum$][flags][width][.precision]specifier */
        char spec[32] = "%";
        size_t sp = 1;
        size_t start = i;
        while (i < len && strchr("0123456789$-+ .'", fmt[i]) && sp < 20) i++;
        const char *dollar = memchr(fmt + start, '$', i - start);
        size_t use = argi;
        if (dollar) {
            use = (size_t)atoi(fmt + start) - 1;
            start = (size_t)(dollar - fmt) + 1;
        }
        for (size_t k = start; k < i && sp < 20; k++)
            if (fmt[k] != '\'') spec[sp++] = fmt[k];
        if (i >= len) break;
        char conv = fmt[i];
        value *arg = use < nargs ? args[use] : NULL;
        if (!dollar) argi++;
        if (!arg && use >= nargs) {
            buf_free(&b);
            tpl_error_at(r, at, "format: too few arguments");
            return NULL;
        }
        switch (conv) {
        case 'd': case 'i':
            spec[sp++] = 'l'; spec[sp++] = 'l'; spec[sp++] = 'd'; spec[sp] = 0;
            buf_printf(&b, spec, php_to_int(arg));
            break;
        case 'u':
            spec[sp++] = 'l'; spec[sp++] = 'l'; spec[sp++] = 'u'; spec[sp] = 0;
            buf_printf(&b, spec, (unsigned long long)php_to_int(arg));
            break;
        case 'x': case 'X': case 'o': case 'c':
            spec[sp++] = conv == 'c' ? 'c' : 'l';
            if (conv != 'c') { spec[sp++] = 'l'; spec[sp++] = conv; }
            spec[sp] = 0;
            if (conv == 'c') buf_printf(&b, spec, (int)php_to_int(arg));
            else buf_printf(&b, spec, (unsigned long long)php_to_int(arg));
            break;
        case 'b': {
            unsigned long long v = (unsigned long long)php_to_int(arg);
            char bits[65];
            int n = 0;
            do { bits[n++] = (char)('0' + (v & 1)); v >>= 1; } while (v);
            while (n) buf_putc(&b, bits[--n]);
            break;
        }
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
            spec[sp++] = conv == 'F' ? 'f' : conv; spec[sp] = 0;
            buf_printf(&b, spec, php_to_float(arg));
            break;
        default: { /* s */
            spec[sp++] = 's'; spec[sp] = 0;
            buf_printf(&b, spec, STR(arg, NULL));
        }
        }
    }
    return str_result(r, &b);
}

/* ---- numbers ---- */

FILTER(f_abs)
{
    bool is_int;
    long long i;
    double f;
    php_to_number(in, &is_int, &i, &f);
    if (is_int && i != LLONG_MIN) return value_int(r->a, i < 0 ? -i : i);
    return value_float(r->a, fabs(is_int ? (double)i : f));
}

/* PHP's round(): half away from zero, after first rounding the scaled
 * value to 15 significant digits so that 1.955 (1.95499999... in binary)
 * rounds up as a person expects. */
static double php_round(double v, int places)
{
    double m = pow(10.0, places);
    double x = v * m;
    if (!isfinite(x)) return v;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.15e", x);
    return round(strtod(tmp, NULL)) / m;
}

FILTER(f_round)
{
    long long precision = ARG(0) ? php_to_int(ARG(0)) : 0;
    const char *method = ARG(1) ? STR(ARG(1), NULL) : "common";
    double v = php_to_float(in);
    double m = pow(10.0, (double)precision);
    double out;
    if (!strcmp(method, "ceil")) out = ceil(v * m) / m;
    else if (!strcmp(method, "floor")) out = floor(v * m) / m;
    else if (!strcmp(method, "common")) out = php_round(v, (int)precision);
    else {
        tpl_error_at(r, at, "the round filter only supports the \"common\", \"ceil\" and \"floor\" methods");
        return NULL;
    }
    return value_float(r->a, out);
}

FILTER(f_number_format)
{
    long long decimals = ARG(0) ? php_to_int(ARG(0)) : 0;
    size_t dl = 1, tl = 1;
    const char *dec = ARG(1) && !is_null_arg(ARG(1)) ? STR(ARG(1), &dl) : ".";
    const char *th = ARG(2) && !is_null_arg(ARG(2)) ? STR(ARG(2), &tl) : ",";
    if (decimals < 0) decimals = 0;
    if (decimals > 50) decimals = 50;
    double v = php_round(php_to_float(in), (int)decimals);
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%.*f", (int)decimals, fabs(v));
    char *dot = strchr(tmp, '.');
    size_t intlen = dot ? (size_t)(dot - tmp) : strlen(tmp);
    buf b = BUF_INIT;
    bool neg = v < 0 && strspn(tmp, "0.") != strlen(tmp);
    if (neg) buf_putc(&b, '-');
    for (size_t i = 0; i < intlen; i++) {
        if (i && (intlen - i) % 3 == 0) buf_add(&b, th, tl);
        buf_putc(&b, tmp[i]);
    }
    if (dot) {
        buf_add(&b, dec, dl);
        buf_puts(&b, dot + 1);
    }
    return str_result(r, &b);
}

/* ---- arrays ---- */

FILTER(f_length)
{
    if (in && in->kind == V_OBJECT) {
        value *rv = value_resolve(r->a, in);
        if (!rv || rv == in) {
            buf b = BUF_INIT;
            value_write(&b, in);
            value *s = value_str(r->a, buf_cstr(&b), b.len);
            buf_free(&b);
            return value_int(r->a, (long long)value_length(r->a, s));
        }
        in = rv;
    }
    if (in && (in->kind == V_INT || in->kind == V_FLOAT || in->kind == V_BOOL)) {
        size_t len;
        STR(in, &len);
        return value_int(r->a, (long long)len);
    }
    return value_int(r->a, (long long)value_length(r->a, in));
}

/* Byte offset of code point `n` of s (or len when it has fewer). */
static size_t utf8_offset(const char *s, size_t len, long long n)
{
    size_t i = 0;
    for (long long k = 0; k < n && i < len; k++) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

static value *utf8_substr(render *r, const char *s, size_t len, long long start, long long count, bool has_count)
{
    if (start >= 0 && (!has_count || count >= 0)) {
        /* the common case needs no count of the whole string */
        size_t bs = utf8_offset(s, len, start);
        size_t be = has_count ? bs + utf8_offset(s + bs, len - bs, count) : len;
        return value_str(r->a, s + bs, be - bs);
    }
    long long n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    long long st = start < 0 ? n + start : start;
    if (st < 0) st = 0;
    if (st > n) return value_str_ref(r->a, "", 0);
    long long end = has_count ? (count < 0 ? n + count : st + count) : n;
    if (end > n) end = n;
    if (end <= st) return value_str_ref(r->a, "", 0);
    size_t bs = utf8_offset(s, len, st);
    size_t be = bs + utf8_offset(s + bs, len - bs, end - st);
    return value_str(r->a, s + bs, be - bs);
}

static value *slice_array(render *r, value *a, long long start, long long count, bool has_count, bool preserve)
{
    size_t n = a->kind == V_LIST ? a->u.list.len : a->u.map.len;
    long long st = start < 0 ? (long long)n + start : start;
    if (st < 0) st = 0;
    long long end = has_count ? (count < 0 ? (long long)n + count : st + count) : (long long)n;
    if (end > (long long)n) end = (long long)n;
    if (a->kind == V_LIST) {
        value *out = preserve ? value_map(r->a) : value_list(r->a);
        for (long long i = st; i < end; i++) {
            if (preserve) {
                char k[32];
                int kl = snprintf(k, sizeof k, "%lld", i);
                map_setn(r->a, out, k, (size_t)kl, a->u.list.items[i]);
            } else {
                list_push(r->a, out, a->u.list.items[i]);
            }
        }
        return out;
    }
    /* maps: string keys are kept, integer keys renumbered unless preserved */
    value *out = value_map(r->a);
    long long next = 0;
    bool all_int = true;
    for (long long i = st; i < end; i++) {
        const value_pair *p = &a->u.map.items[i];
        bool is_int;
        long long iv;
        double f;
        if (!preserve && php_is_numeric_str(p->key, p->key_len, &is_int, &iv, &f) && is_int) {
            char k[32];
            int kl = snprintf(k, sizeof k, "%lld", next++);
            map_setn(r->a, out, k, (size_t)kl, p->val);
        } else {
            all_int = false;
            map_setn(r->a, out, p->key, p->key_len, p->val);
        }
    }
    if (!preserve && all_int) {
        value *l = value_list(r->a);
        for (size_t i = 0; i < out->u.map.len; i++) list_push(r->a, l, out->u.map.items[i].val);
        return l;
    }
    return out;
}

FILTER(f_slice)
{
    long long start = ARG(0) ? php_to_int(ARG(0)) : 0;
    bool has_count = ARG(1) && !is_null_arg(ARG(1));
    long long count = has_count ? php_to_int(ARG(1)) : 0;
    bool preserve = ARG(2) && value_truthy(ARG(2));
    value *a = as_array(r, in);
    if (a && (a->kind == V_LIST || a->kind == V_MAP)) return slice_array(r, a, start, count, has_count, preserve);
    size_t len;
    const char *s = STR(in, &len);
    return utf8_substr(r, s, len, start, count, has_count);
}

FILTER(f_first)
{
    value *a = as_array(r, in);
    if (a && a->kind == V_LIST) return a->u.list.len ? a->u.list.items[0] : value_null();
    if (a && a->kind == V_MAP) return a->u.map.len ? a->u.map.items[0].val : value_null();
    size_t len;
    const char *s = STR(in, &len);
    return utf8_substr(r, s, len, 0, 1, true);
}

FILTER(f_last)
{
    value *a = as_array(r, in);
    if (a && a->kind == V_LIST) return a->u.list.len ? a->u.list.items[a->u.list.len - 1] : value_null();
    if (a && a->kind == V_MAP) return a->u.map.len ? a->u.map.items[a->u.map.len - 1].val : value_null();
    size_t len;
    const char *s = STR(in, &len);
    return utf8_substr(r, s, len, -1, 1, true);
}

FILTER(f_keys)
{
    value *a = as_array(r, in);
    value *out = value_list(r->a);
    if (a && a->kind == V_LIST)
        for (size_t i = 0; i < a->u.list.len; i++) list_push(r->a, out, value_int(r->a, (long long)i));
    else if (a && a->kind == V_MAP)
        for (size_t i = 0; i < a->u.map.len; i++) {
            const value_pair *p = &a->u.map.items[i];
            bool is_int;
            long long iv;
            double f;
            if (php_is_numeric_str(p->key, p->key_len, &is_int, &iv, &f) && is_int && p->key[0] != ' ')
                list_push(r->a, out, value_int(r->a, iv));
            else
                list_push(r->a, out, value_str_ref(r->a, p->key, p->key_len));
        }
    return out;
}

/* array_merge: lists append, string keys of maps replace. */
FILTER(f_merge)
{
    value *a = as_array(r, in), *b = as_array(r, ARG(0));
    if (!a || a->kind == V_NULL) a = value_list(r->a);
    if (!b || (b->kind != V_LIST && b->kind != V_MAP) || (a->kind != V_LIST && a->kind != V_MAP)) {
        tpl_error_at(r, at, "the merge filter only works with arrays or mappings");
        return NULL;
    }
    if (a->kind == V_LIST && b->kind == V_LIST) {
        value *out = value_list(r->a);
        for (size_t i = 0; i < a->u.list.len; i++) list_push(r->a, out, a->u.list.items[i]);
        for (size_t i = 0; i < b->u.list.len; i++) list_push(r->a, out, b->u.list.items[i]);
        return out;
    }
    value *out = value_map(r->a);
    long long next = 0;
    value *parts[2] = {a, b};
    for (int p = 0; p < 2; p++) {
        value *v = parts[p];
        size_t n = v->kind == V_LIST ? v->u.list.len : v->u.map.len;
        for (size_t i = 0; i < n; i++) {
            bool is_int = true;
            long long iv;
            double f;
            const char *key = NULL;
            size_t kl = 0;
            value *item;
            if (v->kind == V_LIST) {
                item = v->u.list.items[i];
            } else {
                key = v->u.map.items[i].key;
                kl = v->u.map.items[i].key_len;
                item = v->u.map.items[i].val;
                is_int = php_is_numeric_str(key, kl, &is_int, &iv, &f) && is_int;
            }
            if (is_int) {
                char k[32];
                int n2 = snprintf(k, sizeof k, "%lld", next++);
                map_setn(r->a, out, k, (size_t)n2, item);
            } else {
                map_setn(r->a, out, key, kl, item);
            }
        }
    }
    return out;
}

FILTER(f_reverse)
{
    value *a = as_array(r, in);
    if (a && a->kind == V_LIST) {
        value *out = value_list(r->a);
        for (size_t i = a->u.list.len; i-- > 0;) list_push(r->a, out, a->u.list.items[i]);
        return out;
    }
    if (a && a->kind == V_MAP) {
        value *out = value_map(r->a);
        for (size_t i = a->u.map.len; i-- > 0;)
            map_setn(r->a, out, a->u.map.items[i].key, a->u.map.items[i].key_len, a->u.map.items[i].val);
        return out;
    }
    size_t len;
    const char *s = STR(in, &len);
    /* reverse code points */
    buf b = BUF_INIT;
    size_t i = len;
    while (i > 0) {
        size_t j = i - 1;
        while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80) j--;
        buf_add(&b, s + j, i - j);
        i = j;
    }
    return str_result(r, &b);
}

static void merge_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *), arena *a)
{
    /* stable, and thread-safe through a per-call arena pointer */
    if (n < 2) return;
    char *tmp = arena_alloc(a, n * size), *b = base;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (cmp(b + j * size, b + i * size) < 0) memcpy(tmp + k++ * size, b + j++ * size, size);
                else memcpy(tmp + k++ * size, b + i++ * size, size);
            }
            while (i < mid) memcpy(tmp + k++ * size, b + i++ * size, size);
            while (j < hi) memcpy(tmp + k++ * size, b + j++ * size, size);
        }
        memcpy(b, tmp, n * size);
    }
}

static __thread arena *tls_sort_arena;
static int cmp_values_tls(const void *x, const void *y)
{
    return php_compare(tls_sort_arena, *(value *const *)x, *(value *const *)y);
}
static int cmp_pairs_tls(const void *x, const void *y)
{
    return php_compare(tls_sort_arena, ((const value_pair *)x)->val, ((const value_pair *)y)->val);
}

FILTER(f_sort)
{
    value *a = as_array(r, in);
    tls_sort_arena = r->a;
    if (a && a->kind == V_LIST) {
        value *out = value_list(r->a);
        for (size_t i = 0; i < a->u.list.len; i++) list_push(r->a, out, a->u.list.items[i]);
        merge_sort(out->u.list.items, out->u.list.len, sizeof(value *), cmp_values_tls, r->a);
        return out;
    }
    if (a && a->kind == V_MAP) {
        value *out = value_map(r->a);
        for (size_t i = 0; i < a->u.map.len; i++)
            map_setn(r->a, out, a->u.map.items[i].key, a->u.map.items[i].key_len, a->u.map.items[i].val);
        merge_sort(out->u.map.items, out->u.map.len, sizeof(value_pair), cmp_pairs_tls, r->a);
        return out;
    }
    tpl_error_at(r, at, "the sort filter only works with arrays");
    return NULL;
}

FILTER(f_batch)
{
    double size = php_to_float(ARG(0));
    long long n = (long long)ceil(size);
    if (n <= 0) {
        tpl_error_at(r, at, "the batch size must be positive");
        return NULL;
    }
    value *a = as_array(r, in);
    value *out = value_list(r->a);
    if (!a || (a->kind != V_LIST && a->kind != V_MAP)) return out;
    bool has_fill = ARG(1) && !is_null_arg(ARG(1));
    bool preserve = nargs > 2 ? value_truthy(ARG(2)) : true;
    size_t count = a->kind == V_LIST ? a->u.list.len : a->u.map.len;
    value *row = NULL;
    for (size_t i = 0; i < count; i++) {
        if (i % (size_t)n == 0) {
            row = preserve ? value_map(r->a) : value_list(r->a);
            list_push(r->a, out, row);
        }
        value *item = a->kind == V_LIST ? a->u.list.items[i] : a->u.map.items[i].val;
        if (preserve) {
            char k[32];
            const char *key = k;
            size_t kl;
            if (a->kind == V_LIST) kl = (size_t)snprintf(k, sizeof k, "%zu", i);
            else {
                key = a->u.map.items[i].key;
                kl = a->u.map.items[i].key_len;
            }
            map_setn(r->a, row, key, kl, item);
        } else {
            list_push(r->a, row, item);
        }
    }
    if (has_fill && row) {
        size_t have = preserve ? row->u.map.len : row->u.list.len;
        /* PHP appends after the largest integer key of the row */
        long long next_key = 0;
        if (preserve)
            for (size_t i = 0; i < row->u.map.len; i++) {
                bool is_int;
                long long iv;
                double f;
                if (php_is_numeric_str(row->u.map.items[i].key, row->u.map.items[i].key_len, &is_int, &iv, &f) &&
                    is_int && iv + 1 > next_key)
                    next_key = iv + 1;
            }
        for (size_t i = have; i < (size_t)n; i++) {
            if (preserve) {
                char k[32];
                int kl = snprintf(k, sizeof k, "%lld", next_key++);
                map_setn(r->a, row, k, (size_t)kl, ARG(1));
            } else {
                list_push(r->a, row, ARG(1));
            }
        }
    }
    return out;
}

FILTER(f_date)
{
    long long t;
    if (!in || in->kind == V_NULL) {
        t = (long long)time(NULL);
    } else if (in->kind == V_INT || in->kind == V_FLOAT) {
        t = php_to_int(in);
    } else {
        const char *s = STR(in, NULL);
        if (!strcmp(s, "now") || !s[0]) {
            t = (long long)time(NULL);
        } else if (date_parse(s, NULL, &t, NULL) != 0) {
            tpl_error_at(r, at, "failed to parse date \"%s\"", s);
            return NULL;
        }
    }
    const char *fmt = ARG(0) && !is_null_arg(ARG(0)) ? STR(ARG(0), NULL) : "F j, Y H:i";
    buf b = BUF_INIT;
    date_format(&b, fmt, t, r->env->lang[0] ? r->env->lang : NULL);
    return str_result(r, &b);
}

/* ---- functions ---- */

static value *fn_range(render *r, const expr *at, value *in, value **args, size_t nargs)
{
    long long lo = php_to_int(ARG(0)), hi = php_to_int(ARG(1));
    long long step = ARG(2) ? php_to_int(ARG(2)) : 1;
    if (step == 0) {
        tpl_error_at(r, at, "range step must not be zero");
        return NULL;
    }
    if (step < 0) step = -step;
    value *out = value_list(r->a);
    unsigned long long n = (lo <= hi ? (unsigned long long)(hi - lo) : (unsigned long long)(lo - hi)) /
                           (unsigned long long)step;
    if (n >= TPL_MAX_RANGE) {
        tpl_error_at(r, at, "range of %llu items is over the limit of %d", n + 1, TPL_MAX_RANGE);
        return NULL;
    }
    for (unsigned long long i = 0; i <= n; i++)
        list_push(r->a, out, value_int(r->a, lo <= hi ? lo + (long long)i * step : lo - (long long)i * step));
    return out;
}

static value *extreme(render *r, value **args, size_t nargs, int want)
{
    value *list = nargs == 1 ? as_array(r, args[0]) : NULL;
    value *best = NULL;
    if (list && list->kind == V_LIST) {
        for (size_t i = 0; i < list->u.list.len; i++)
            if (!best || php_compare(r->a, list->u.list.items[i], best) == want) best = list->u.list.items[i];
    } else if (list && list->kind == V_MAP) {
        for (size_t i = 0; i < list->u.map.len; i++)
            if (!best || php_compare(r->a, list->u.map.items[i].val, best) == want) best = list->u.map.items[i].val;
    } else {
        for (size_t i = 0; i < nargs; i++)
            if (!best || php_compare(r->a, args[i], best) == want) best = args[i];
    }
    return best ? best : value_null();
}

static value *fn_max(render *r, const expr *at, value *in, value **args, size_t nargs) { return extreme(r, args, nargs, 1); }
static value *fn_min(render *r, const expr *at, value *in, value **args, size_t nargs) { return extreme(r, args, nargs, -1); }

static value *fn_cycle(render *r, const expr *at, value *in, value **args, size_t nargs)
{
    value *a = as_array(r, ARG(0));
    long long pos = php_to_int(ARG(1));
    if (!a || a->kind != V_LIST || a->u.list.len == 0) return a ? a : value_null();
    long long n = (long long)a->u.list.len;
    return a->u.list.items[((pos % n) + n) % n];
}

static value *fn_attribute(render *r, const expr *at, value *in, value **args, size_t nargs)
{
    value *obj = as_array(r, ARG(0));
    value *key = ARG(1);
    if (!obj || !key) return value_null();
    size_t kl;
    const char *k = STR(key, &kl);
    if (ARG(0)->kind == V_OBJECT && ARG(0)->u.obj.cls->get) {
        value *v = ARG(0)->u.obj.cls->get(ARG(0)->u.obj.self, k, r->a);
        return v ? v : value_null();
    }
    if (obj->kind == V_MAP) {
        value *v = map_getn(obj, k, kl);
        return v ? v : value_null();
    }
    if (obj->kind == V_LIST) {
        long long i = php_to_int(key);
        return i >= 0 && (size_t)i < obj->u.list.len ? obj->u.list.items[i] : value_null();
    }
    return value_null();
}

static value *fn_date(render *r, const expr *at, value *in, value **args, size_t nargs)
{
    if (!ARG(0) || is_null_arg(ARG(0))) return value_int(r->a, (long long)time(NULL));
    if (ARG(0)->kind == V_INT) return ARG(0);
    long long t;
    const char *s = STR(ARG(0), NULL);
    if (!strcmp(s, "now")) return value_int(r->a, (long long)time(NULL));
    if (date_parse(s, NULL, &t, NULL) != 0) {
        tpl_error_at(r, at, "failed to parse date \"%s\"", s);
        return NULL;
    }
    return value_int(r->a, t);
}

static const callable builtin_filters[] = {
    {"abs", f_abs, NULL, NULL, false, false},
    {"batch", f_batch, NULL, NULL, false, false},
    {"capitalize", f_capitalize, NULL, NULL, false, false},
    {"date", f_date, NULL, NULL, false, false},
    {"default", f_raw, NULL, NULL, false, false}, /* evaluated specially */
    {"escape", f_escape, NULL, NULL, false, false},
    {"first", f_first, NULL, NULL, false, false},
    {"format", f_format, NULL, NULL, false, false},
    {"join", f_join, NULL, NULL, false, false},
    {"json_encode", f_json_encode, NULL, NULL, false, false},
    {"keys", f_keys, NULL, NULL, false, false},
    {"last", f_last, NULL, NULL, false, false},
    {"length", f_length, NULL, NULL, false, false},
    {"lower", f_lower, NULL, NULL, false, false},
    {"merge", f_merge, NULL, NULL, false, false},
    {"nl2br", f_nl2br, NULL, NULL, true, true},
    {"number_format", f_number_format, NULL, NULL, false, false},
    {"raw", f_raw, NULL, NULL, true, false},
    {"replace", f_replace, NULL, NULL, false, false},
    {"reverse", f_reverse, NULL, NULL, false, false},
    {"round", f_round, NULL, NULL, false, false},
    {"slice", f_slice, NULL, NULL, false, false},
    {"sort", f_sort, NULL, NULL, false, false},
    {"spaceless", f_spaceless, NULL, NULL, true, false},
    {"split", f_split, NULL, NULL, false, false},
    {"striptags", f_striptags, NULL, NULL, false, false},
    {"title", f_title, NULL, NULL, false, false},
    {"trim", f_trim, NULL, NULL, false, false},
    {"upper", f_upper, NULL, NULL, false, false},
    {"url_encode", f_url_encode, NULL, NULL, false, false},
};

static const callable builtin_functions[] = {
    {"attribute", fn_attribute, NULL, NULL, false, false},
    {"block", tpl_fn_block, NULL, NULL, true, false},
    {"cycle", fn_cycle, NULL, NULL, false, false},
    {"date", fn_date, NULL, NULL, false, false},
    {"include", tpl_fn_include, NULL, NULL, true, false},
    {"max", fn_max, NULL, NULL, false, false},
    {"min", fn_min, NULL, NULL, false, false},
    {"range", fn_range, NULL, NULL, false, false},
};

const callable *tpl_builtin_filter(const char *name)
{
    for (size_t i = 0; i < sizeof builtin_filters / sizeof builtin_filters[0]; i++)
        if (!strcmp(builtin_filters[i].name, name)) return &builtin_filters[i];
    return NULL;
}

const callable *tpl_builtin_function(const char *name)
{
    for (size_t i = 0; i < sizeof builtin_functions / sizeof builtin_functions[0]; i++)
        if (!strcmp(builtin_functions[i].name, name)) return &builtin_functions[i];
    return NULL;
}
