/* filters_text.c - the built-in filters on strings and numbers.
 *
 * Each follows its Twig counterpart, which mostly wraps a PHP function:
 * null and "" give "", lengths and offsets count UTF-8 characters, numbers
 * round and format as PHP's round() and number_format() do, format is
 * sprintf, date uses lib/date.h with the environment's language. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/date.h"
#include "template/builtins.h"

static bool is_ws_char(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

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
        i += tpl_utf8_decode(s + i, len - i, &cp);
        unsigned out;
        switch (mode) {
        case CASE_UPPER: out = tpl_to_upper(cp); break;
        case CASE_LOWER: out = tpl_to_lower(cp); break;
        case CASE_CAPITALIZE: out = word_start ? tpl_to_upper(cp) : tpl_to_lower(cp); word_start = false; break;
        default:
            out = word_start ? tpl_to_upper(cp) : tpl_to_lower(cp);
            word_start = !(tpl_is_letter(cp) || (cp >= '0' && cp <= '9') || cp == '\'');
            break;
        }
        buf_put_utf8(&b, out);
    }
    return tpl_str_result(r, &b);
}

FILTER(upper) { return map_case(r, in, CASE_UPPER); }
FILTER(lower) { return map_case(r, in, CASE_LOWER); }
FILTER(title) { return map_case(r, in, CASE_TITLE); }
FILTER(capitalize) { return map_case(r, in, CASE_CAPITALIZE); }

FILTER(trim)
{
    size_t len, cl = 6;
    const char *s = STR(in, &len);
    const char *chars = ARG(0) && !tpl_is_null_arg(ARG(0)) ? STR(ARG(0), &cl) : " \t\n\r\v";
    bool nul_too = !ARG(0) || tpl_is_null_arg(ARG(0));
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

FILTER(split)
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
                j += tpl_utf8_decode(s + j, len - j, &cp);
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

FILTER(replace)
{
    size_t len;
    const char *s = STR(in, &len);
    value *map = tpl_as_array(r, ARG(0));
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
    return tpl_str_result(r, &b);
}

FILTER(striptags)
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
    return tpl_str_result(r, &b);
}

/* Whitespace between tags removed, and around the whole text. */
FILTER(spaceless)
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
    value *v = tpl_str_result(r, &b);
    v->is_safe = true;
    return v;
}

FILTER(nl2br)
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
    value *v = tpl_str_result(r, &b);
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
        value *rv = tpl_as_array(r, v);
        if (rv && (rv->kind == V_LIST || rv->kind == V_MAP)) {
            url_encode_query(r, b, rv, buf_cstr(&full));
        } else {
            if (!first) buf_putc(b, '&');
            first = false;
            tpl_url_encode(b, full.s, full.len);
            buf_putc(b, '=');
            if (v->kind == V_BOOL) buf_putc(b, v->u.b ? '1' : '0');
            else {
                size_t vl;
                const char *vs = STR(v, &vl);
                tpl_url_encode(b, vs, vl);
            }
        }
        first = b->len == 0;
        buf_free(&full);
    }
}

FILTER(url_encode)
{
    value *a = tpl_as_array(r, in);
    buf b = BUF_INIT;
    if (a && (a->kind == V_LIST || a->kind == V_MAP)) {
        url_encode_query(r, &b, a, NULL);
    } else {
        size_t len;
        const char *s = STR(in, &len);
        tpl_url_encode(&b, s, len);
    }
    return tpl_str_result(r, &b);
}

FILTER(json_encode)
{
    long long flags = ARG(0) ? php_to_int(ARG(0)) : 0;
    unsigned f = 0;
    if (flags & 128) f |= JSON_PRETTY;
    if (flags & 64) f |= JSON_UNESCAPED_SLASHES;
    if (flags & 256) f |= JSON_UNESCAPED_UNICODE;
    buf b = BUF_INIT;
    value_write_json(&b, in, r->a, f);
    return tpl_str_result(r, &b);
}

FILTER(format)
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
        /* widths and precisions beyond a few thousand are mistakes, not layout */
        for (size_t k = start; k < i; k++)
            if (isdigit((unsigned char)fmt[k]) && atoi(fmt + k) > 4096) {
                buf_free(&b);
                tpl_error_at(r, at, "format: width or precision too large");
                return NULL;
            }
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
    return tpl_str_result(r, &b);
}

FILTER(abs)
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
double tpl_php_round(double v, int places)
{
    double m = pow(10.0, places);
    double x = v * m;
    if (!isfinite(x)) return v;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.15e", x);
    return round(strtod(tmp, NULL)) / m;
}

FILTER(round)
{
    long long precision = ARG(0) ? php_to_int(ARG(0)) : 0;
    const char *method = ARG(1) ? STR(ARG(1), NULL) : "common";
    double v = php_to_float(in);
    double m = pow(10.0, (double)precision);
    double out;
    if (!strcmp(method, "ceil")) out = ceil(v * m) / m;
    else if (!strcmp(method, "floor")) out = floor(v * m) / m;
    else if (!strcmp(method, "common")) out = tpl_php_round(v, (int)precision);
    else {
        tpl_error_at(r, at, "the round filter only supports the \"common\", \"ceil\" and \"floor\" methods");
        return NULL;
    }
    return value_float(r->a, out);
}

FILTER(number_format)
{
    long long decimals = ARG(0) ? php_to_int(ARG(0)) : 0;
    size_t dl = 1, tl = 1;
    const char *dec = ARG(1) && !tpl_is_null_arg(ARG(1)) ? STR(ARG(1), &dl) : ".";
    const char *th = ARG(2) && !tpl_is_null_arg(ARG(2)) ? STR(ARG(2), &tl) : ",";
    if (decimals < 0) decimals = 0;
    if (decimals > 50) decimals = 50;
    double v = tpl_php_round(php_to_float(in), (int)decimals);
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
    return tpl_str_result(r, &b);
}

FILTER(date)
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
    const char *fmt = ARG(0) && !tpl_is_null_arg(ARG(0)) ? STR(ARG(0), NULL) : "F j, Y H:i";
    buf b = BUF_INIT;
    date_format(&b, fmt, t, r->env->lang[0] ? r->env->lang : NULL);
    return tpl_str_result(r, &b);
}
