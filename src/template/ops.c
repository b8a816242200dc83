/* ops.c - PHP 8 semantics for the template operators: numeric strings,
 * loose and strict comparison, arithmetic with integer overflow to float,
 * string conversion and `in`.
 *
 * Twig compiles its operators to PHP's, so a template behaves the same
 * here only when these rules match PHP's exactly ("10" == "1e1" is true,
 * "abc" == 0 is false, 7 / 2 is 3.5 but 6 / 2 is the integer 3). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/find.h"
#include "template/internal.h"

bool php_is_numeric_str(const char *s, size_t len, bool *is_int, long long *i, double *f)
{
    size_t p = 0;
    while (p < len && strchr(" \t\n\r\v\f", s[p]) && s[p]) p++;
    size_t start = p;
    if (p < len && (s[p] == '+' || s[p] == '-')) p++;
    size_t digits = 0, frac = 0;
    while (p < len && isdigit((unsigned char)s[p])) p++, digits++;
    bool has_dot = false, has_exp = false;
    if (p < len && s[p] == '.') {
        has_dot = true;
        p++;
        while (p < len && isdigit((unsigned char)s[p])) p++, frac++;
    }
    if (digits + frac == 0) return false;
    if (p < len && (s[p] == 'e' || s[p] == 'E')) {
        size_t q = p + 1;
        if (q < len && (s[q] == '+' || s[q] == '-')) q++;
        if (q < len && isdigit((unsigned char)s[q])) {
            while (q < len && isdigit((unsigned char)s[q])) q++;
            p = q;
            has_exp = true;
        }
    }
    size_t end = p;
    while (p < len && strchr(" \t\n\r\v\f", s[p]) && s[p]) p++;
    if (p != len) return false;
    char tmp[64];
    size_t n = end - start;
    if (n >= sizeof tmp) {
        if (is_int) *is_int = false;
        if (f) *f = 0;
        return true;
    }
    memcpy(tmp, s + start, n);
    tmp[n] = 0;
    bool as_int = !has_dot && !has_exp;
    if (as_int) {
        errno = 0;
        char *e;
        long long v = strtoll(tmp, &e, 10);
        if (errno == ERANGE) as_int = false;
        else if (i) *i = v;
    }
    if (is_int) *is_int = as_int;
    if (!as_int && f) *f = strtod(tmp, NULL);
    return true;
}

/* The numeric prefix of a string, as PHP's arithmetic reads it. */
static void leading_number(const char *s, size_t len, bool *is_int, long long *i, double *f)
{
    size_t p = 0;
    while (p < len && strchr(" \t\n\r\v\f", s[p]) && s[p]) p++;
    size_t q = p;
    if (q < len && (s[q] == '+' || s[q] == '-')) q++;
    while (q < len && (isdigit((unsigned char)s[q]) || s[q] == '.' || s[q] == 'e' || s[q] == 'E')) q++;
    while (q > p && !php_is_numeric_str(s + p, q - p, is_int, i, f)) q--;
    if (q == p) {
        *is_int = true;
        *i = 0;
    }
}

void php_to_number(const value *v, bool *is_int, long long *i, double *f)
{
    *is_int = true;
    *i = 0;
    *f = 0;
    if (!v) return;
    switch (v->kind) {
    case V_NULL: return;
    case V_BOOL: *i = v->u.b; return;
    case V_INT: *i = v->u.i; return;
    case V_FLOAT:
        *is_int = false;
        *f = v->u.f;
        return;
    case V_STRING:
        if (!php_is_numeric_str(v->u.str.s, v->u.str.len, is_int, i, f))
            leading_number(v->u.str.s, v->u.str.len, is_int, i, f);
        return;
    case V_LIST: *i = v->u.list.len ? 1 : 0; return;
    case V_MAP: *i = v->u.map.len ? 1 : 0; return;
    case V_OBJECT: *i = 1; return;
    }
}

long long php_to_int(const value *v)
{
    bool is_int;
    long long i;
    double f;
    php_to_number(v, &is_int, &i, &f);
    if (is_int) return i;
    if (isnan(f) || isinf(f)) return 0;
    if (f >= 9.2e18 || f <= -9.2e18) return 0;
    return (long long)f;
}

double php_to_float(const value *v)
{
    bool is_int;
    long long i;
    double f;
    php_to_number(v, &is_int, &i, &f);
    return is_int ? (double)i : f;
}

/* echo and string conversion print floats with PHP's `precision` of 14
 * significant digits (0.1 + 0.2 prints 0.3), unlike json_encode. */
static void write_float(buf *out, double f)
{
    if (isnan(f) || isinf(f) || f == 0) {
        value_write_float(out, f);
        return;
    }
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.14G", f);
    char *e = strchr(tmp, 'E');
    if (!e) {
        buf_puts(out, tmp);
        return;
    }
    /* 1E+25 -> 1.0E+25, 1.5E-07 -> 1.5E-7 */
    int exp = atoi(e + 1);
    buf_add(out, tmp, (size_t)(e - tmp));
    if (!memchr(tmp, '.', (size_t)(e - tmp))) buf_puts(out, ".0");
    buf_printf(out, "E%c%d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
}

void php_write(buf *out, const value *v)
{
    if (v && v->kind == V_FLOAT) write_float(out, v->u.f);
    else value_write(out, v);
}

const char *php_str(render *r, const value *v, size_t *len)
{
    if (v && v->kind == V_STRING) {
        if (len) *len = v->u.str.len;
        return v->u.str.s;
    }
    buf b = BUF_INIT;
    php_write(&b, v);
    char *s = arena_strndup(r->a, buf_cstr(&b), b.len);
    if (len) *len = b.len;
    buf_free(&b);
    return s;
}

static int sign(double d) { return d < 0 ? -1 : d > 0 ? 1 : 0; }

static int cmp_numbers(bool ai, long long a, double af, bool bi, long long b, double bf)
{
    if (ai && bi) return a < b ? -1 : a > b;
    double x = ai ? (double)a : af, y = bi ? (double)b : bf;
    if (x < y) return -1;
    if (x > y) return 1;
    return 0;
}

static bool is_number(const value *v) { return v->kind == V_INT || v->kind == V_FLOAT; }
static bool is_array(const value *v) { return v->kind == V_LIST || v->kind == V_MAP; }

static int compare_arrays(arena *a, const value *x, const value *y)
{
    size_t nx = x->kind == V_LIST ? x->u.list.len : x->u.map.len;
    size_t ny = y->kind == V_LIST ? y->u.list.len : y->u.map.len;
    if (nx != ny) return nx < ny ? -1 : 1;
    for (size_t k = 0; k < nx; k++) {
        const value *vx, *vy;
        if (x->kind == V_LIST) {
            vx = x->u.list.items[k];
            if (y->kind == V_LIST) vy = y->u.list.items[k];
            else {
                char key[32];
                int kl = snprintf(key, sizeof key, "%zu", k);
                vy = map_getn(y, key, (size_t)kl);
            }
        } else {
            vx = x->u.map.items[k].val;
            if (y->kind == V_MAP) vy = map_getn(y, x->u.map.items[k].key, x->u.map.items[k].key_len);
            else {
                bool ii;
                long long idx;
                double fd;
                vy = NULL;
                if (php_is_numeric_str(x->u.map.items[k].key, x->u.map.items[k].key_len, &ii, &idx, &fd) && ii &&
                    idx >= 0 && (size_t)idx < y->u.list.len)
                    vy = y->u.list.items[idx];
            }
        }
        if (!vy) return 1; /* uncomparable */
        int c = php_compare(a, vx, vy);
        if (c) return c;
    }
    return 0;
}

int php_compare(arena *a, const value *x, const value *y)
{
    if (!x) x = value_null();
    if (!y) y = value_null();
    if ((x->kind == V_OBJECT && y->kind == V_STRING) || (y->kind == V_OBJECT && x->kind == V_STRING)) {
        const value *obj = x->kind == V_OBJECT ? x : y, *other = x->kind == V_OBJECT ? y : x;
        if (obj->u.obj.cls->write) {
            /* like a PHP object with __toString: compared as its text */
            buf b = BUF_INIT;
            obj->u.obj.cls->write(obj->u.obj.self, &b);
            value *text = value_str(a, buf_cstr(&b), b.len);
            buf_free(&b);
            return x == obj ? php_compare(a, text, other) : php_compare(a, other, text);
        }
    }
    value *rx = NULL, *ry = NULL;
    if (x->kind == V_OBJECT && (rx = value_resolve(a, (value *)x)) != x && rx) x = rx;
    if (y->kind == V_OBJECT && (ry = value_resolve(a, (value *)y)) != y && ry) y = ry;
    if (x->kind == V_NULL && y->kind == V_STRING) return y->u.str.len ? -1 : 0;
    if (y->kind == V_NULL && x->kind == V_STRING) return x->u.str.len ? 1 : 0;
    if (x->kind == V_BOOL || y->kind == V_BOOL || x->kind == V_NULL || y->kind == V_NULL) {
        bool bx = value_truthy(x), by = value_truthy(y);
        return bx == by ? 0 : bx ? 1 : -1;
    }
    if (is_array(x) && is_array(y)) return compare_arrays(a, x, y);
    if (is_array(x)) return 1;
    if (is_array(y)) return -1;
    if (x->kind == V_OBJECT || y->kind == V_OBJECT) {
        if (x->kind == V_OBJECT && y->kind == V_OBJECT) return x->u.obj.self == y->u.obj.self ? 0 : 1;
        return x->kind == V_OBJECT ? 1 : -1;
    }
    bool xi, yi;
    long long xl, yl;
    double xf, yf;
    if (is_number(x) && is_number(y)) {
        php_to_number(x, &xi, &xl, &xf);
        php_to_number(y, &yi, &yl, &yf);
        return cmp_numbers(xi, xl, xf, yi, yl, yf);
    }
    if (x->kind == V_STRING && y->kind == V_STRING) {
        if (php_is_numeric_str(x->u.str.s, x->u.str.len, &xi, &xl, &xf) &&
            php_is_numeric_str(y->u.str.s, y->u.str.len, &yi, &yl, &yf))
            return cmp_numbers(xi, xl, xf, yi, yl, yf);
        size_t n = x->u.str.len < y->u.str.len ? x->u.str.len : y->u.str.len;
        int c = memcmp(x->u.str.s, y->u.str.s, n);
        if (c) return sign(c);
        return x->u.str.len < y->u.str.len ? -1 : x->u.str.len > y->u.str.len;
    }
    /* a number and a string */
    const value *num = is_number(x) ? x : y, *str = is_number(x) ? y : x;
    int flip = is_number(x) ? 1 : -1;
    bool si;
    long long sl;
    double sf;
    if (php_is_numeric_str(str->u.str.s, str->u.str.len, &si, &sl, &sf)) {
        bool ni;
        long long nl;
        double nf;
        php_to_number(num, &ni, &nl, &nf);
        return flip * cmp_numbers(ni, nl, nf, si, sl, sf);
    }
    buf b = BUF_INIT;
    php_write(&b, num);
    size_t n = b.len < str->u.str.len ? b.len : str->u.str.len;
    int c = memcmp(buf_cstr(&b), str->u.str.s, n);
    if (!c) c = b.len < str->u.str.len ? -1 : b.len > str->u.str.len;
    buf_free(&b);
    return flip * sign(c);
}

bool php_loose_eq(arena *a, const value *x, const value *y)
{
    if (!x) x = value_null();
    if (!y) y = value_null();
    if (is_array(x) && is_array(y)) {
        size_t nx = x->kind == V_LIST ? x->u.list.len : x->u.map.len;
        size_t ny = y->kind == V_LIST ? y->u.list.len : y->u.map.len;
        return nx == ny && compare_arrays(a, x, y) == 0;
    }
    return php_compare(a, x, y) == 0;
}

bool php_same(const value *x, const value *y)
{
    if (!x) x = value_null();
    if (!y) y = value_null();
    if (x->kind != y->kind) return false;
    switch (x->kind) {
    case V_NULL: return true;
    case V_BOOL: return x->u.b == y->u.b;
    case V_INT: return x->u.i == y->u.i;
    case V_FLOAT: return x->u.f == y->u.f;
    case V_STRING: return x->u.str.len == y->u.str.len && memcmp(x->u.str.s, y->u.str.s, x->u.str.len) == 0;
    case V_LIST:
        if (x->u.list.len != y->u.list.len) return false;
        for (size_t i = 0; i < x->u.list.len; i++)
            if (!php_same(x->u.list.items[i], y->u.list.items[i])) return false;
        return true;
    case V_MAP:
        if (x->u.map.len != y->u.map.len) return false;
        for (size_t i = 0; i < x->u.map.len; i++) {
            const value_pair *px = &x->u.map.items[i], *py = &y->u.map.items[i];
            if (px->key_len != py->key_len || memcmp(px->key, py->key, px->key_len) ||
                !php_same(px->val, py->val))
                return false;
        }
        return true;
    case V_OBJECT: return x->u.obj.self == y->u.obj.self;
    }
    return false;
}

bool php_in(arena *a, const value *needle, const value *hay)
{
    if (!hay) return false;
    if (hay->kind == V_OBJECT) hay = value_resolve(a, (value *)hay);
    if (!hay) return false;
    if (hay->kind == V_LIST) {
        for (size_t i = 0; i < hay->u.list.len; i++)
            if (php_loose_eq(a, needle, hay->u.list.items[i])) return true;
        return false;
    }
    if (hay->kind == V_MAP) {
        for (size_t i = 0; i < hay->u.map.len; i++)
            if (php_loose_eq(a, needle, hay->u.map.items[i].val)) return true;
        return false;
    }
    if (hay->kind == V_STRING && needle &&
        (needle->kind == V_STRING || needle->kind == V_INT || needle->kind == V_FLOAT)) {
        buf b = BUF_INIT;
        php_write(&b, needle);
        bool found = b.len == 0 || find_bytes(hay->u.str.s, hay->u.str.len, buf_cstr(&b), b.len) != NULL;
        buf_free(&b);
        return found;
    }
    return false;
}

static value *array_union(render *r, value *x, value *y)
{
    value *out = value_map(r->a);
    value *parts[2] = {x, y};
    for (int p = 0; p < 2; p++) {
        value *v = parts[p];
        if (v->kind == V_LIST) {
            for (size_t i = 0; i < v->u.list.len; i++) {
                char key[32];
                int kl = snprintf(key, sizeof key, "%zu", i);
                if (!map_getn(out, key, (size_t)kl)) map_setn(r->a, out, key, (size_t)kl, v->u.list.items[i]);
            }
        } else {
            for (size_t i = 0; i < v->u.map.len; i++)
                if (!map_getn(out, v->u.map.items[i].key, v->u.map.items[i].key_len))
                    map_setn(r->a, out, v->u.map.items[i].key, v->u.map.items[i].key_len, v->u.map.items[i].val);
        }
    }
    return out;
}

value *php_arith(render *r, const expr *at, binop op, value *x, value *y)
{
    if (!x) x = value_null();
    if (!y) y = value_null();
    if (is_array(x) || is_array(y)) {
        if (op == OP_ADD && is_array(x) && is_array(y)) return array_union(r, x, y);
        tpl_error_at(r, at, "unsupported operand types for arithmetic");
        return value_null();
    }
    bool xi, yi;
    long long a, b;
    double af, bf;
    php_to_number(x, &xi, &a, &af);
    php_to_number(y, &yi, &b, &bf);
    double fx = xi ? (double)a : af, fy = yi ? (double)b : bf;
    long long res;
    switch (op) {
    case OP_ADD:
        if (xi && yi && !__builtin_add_overflow(a, b, &res)) return value_int(r->a, res);
        return value_float(r->a, fx + fy);
    case OP_SUB:
        if (xi && yi && !__builtin_sub_overflow(a, b, &res)) return value_int(r->a, res);
        return value_float(r->a, fx - fy);
    case OP_MUL:
        if (xi && yi && !__builtin_mul_overflow(a, b, &res)) return value_int(r->a, res);
        return value_float(r->a, fx * fy);
    case OP_DIV:
        if (fy == 0) {
            tpl_error_at(r, at, "division by zero");
            return value_null();
        }
        if (xi && yi && !(a == LLONG_MIN && b == -1) && a % b == 0) return value_int(r->a, a / b);
        return value_float(r->a, fx / fy);
    case OP_FLOORDIV: {
        if (fy == 0) {
            tpl_error_at(r, at, "division by zero");
            return value_null();
        }
        double q = floor(fx / fy);
        if (xi && yi && !(a == LLONG_MIN && b == -1)) {
            long long qi = a / b;
            if ((a % b != 0) && ((a < 0) != (b < 0))) qi--;
            return value_int(r->a, qi);
        }
        if (q >= -9.2e18 && q <= 9.2e18) return value_int(r->a, (long long)q);
        return value_float(r->a, q);
    }
    case OP_MOD: {
        long long ia = xi ? a : php_to_int(x), ib = yi ? b : php_to_int(y);
        if (ib == 0) {
            tpl_error_at(r, at, "modulo by zero");
            return value_null();
        }
        if (ib == -1) return value_int(r->a, 0);
        return value_int(r->a, ia % ib);
    }
    case OP_POW:
        if (xi && yi && b >= 0) {
            long long acc = 1, base = a, e = b;
            bool overflow = false;
            while (e > 0 && !overflow) {
                if (e & 1) overflow |= __builtin_mul_overflow(acc, base, &acc);
                e >>= 1;
                if (e) overflow |= __builtin_mul_overflow(base, base, &base);
            }
            if (!overflow) return value_int(r->a, acc);
        }
        return value_float(r->a, pow(fx, fy));
    case OP_NEG:
        if (yi && b != LLONG_MIN) return value_int(r->a, -b);
        return value_float(r->a, -fy);
    case OP_POS:
        return yi ? value_int(r->a, b) : value_float(r->a, fy);
    default: break;
    }
    return value_null();
}
