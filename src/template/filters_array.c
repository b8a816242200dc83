/* filters_array.c - the built-in filters on lists and maps (and the
 * ones, like slice and first, that also take strings).
 *
 * PHP arrays are ordered maps; here a list is an array with keys 0..n-1
 * and a map has string keys. The filters keep PHP's key rules: merge
 * renumbers integer keys and replaces string ones, slice and batch keep
 * keys only when asked, sort is stable and compares like PHP 8. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "template/builtins.h"

FILTER(join)
{
    value *a = tpl_as_array(r, in);
    size_t gl = 0, al = 0;
    const char *glue = ARG(0) ? STR(ARG(0), &gl) : "";
    const char *and = ARG(1) && !tpl_is_null_arg(ARG(1)) ? STR(ARG(1), &al) : NULL;
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
    return tpl_str_result(r, &b);
}

FILTER(length)
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

static value *utf8_substr(render *r, const char *s, size_t len, long long start, long long count, bool has_count)
{
    if (start >= 0 && (!has_count || count >= 0)) {
        /* the common case needs no count of the whole string */
        size_t bs = tpl_utf8_offset(s, len, start);
        size_t be = has_count ? bs + tpl_utf8_offset(s + bs, len - bs, count) : len;
        return value_str(r->a, s + bs, be - bs);
    }
    long long n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    long long st = start < 0 ? (start < -n ? 0 : n + start) : start;
    if (st > n) return value_str_ref(r->a, "", 0);
    long long end = !has_count ? n : count < 0 ? (count < -n ? 0 : n + count) : (count > n - st ? n : st + count);
    if (end <= st) return value_str_ref(r->a, "", 0);
    size_t bs = tpl_utf8_offset(s, len, st);
    size_t be = bs + tpl_utf8_offset(s + bs, len - bs, end - st);
    return value_str(r->a, s + bs, be - bs);
}

static value *slice_array(render *r, value *a, long long start, long long count, bool has_count, bool preserve)
{
    size_t n = a->kind == V_LIST ? a->u.list.len : a->u.map.len;
    long long ln = (long long)n;
    long long st = start < 0 ? (start < -ln ? 0 : ln + start) : (start > ln ? ln : start);
    /* clamped before adding, so that huge lengths cannot overflow */
    long long end = !has_count ? ln : count < 0 ? (count < -ln ? 0 : ln + count) : (count > ln - st ? ln : st + count);
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

FILTER(slice)
{
    long long start = ARG(0) ? php_to_int(ARG(0)) : 0;
    bool has_count = ARG(1) && !tpl_is_null_arg(ARG(1));
    long long count = has_count ? php_to_int(ARG(1)) : 0;
    bool preserve = ARG(2) && value_truthy(ARG(2));
    value *a = tpl_as_array(r, in);
    if (a && (a->kind == V_LIST || a->kind == V_MAP)) return slice_array(r, a, start, count, has_count, preserve);
    size_t len;
    const char *s = STR(in, &len);
    return utf8_substr(r, s, len, start, count, has_count);
}

FILTER(first)
{
    value *a = tpl_as_array(r, in);
    if (a && a->kind == V_LIST) return a->u.list.len ? a->u.list.items[0] : value_null();
    if (a && a->kind == V_MAP) return a->u.map.len ? a->u.map.items[0].val : value_null();
    size_t len;
    const char *s = STR(in, &len);
    return utf8_substr(r, s, len, 0, 1, true);
}

FILTER(last)
{
    value *a = tpl_as_array(r, in);
    if (a && a->kind == V_LIST) return a->u.list.len ? a->u.list.items[a->u.list.len - 1] : value_null();
    if (a && a->kind == V_MAP) return a->u.map.len ? a->u.map.items[a->u.map.len - 1].val : value_null();
    size_t len;
    const char *s = STR(in, &len);
    return utf8_substr(r, s, len, -1, 1, true);
}

FILTER(keys)
{
    value *a = tpl_as_array(r, in);
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
FILTER(merge)
{
    value *a = tpl_as_array(r, in), *b = tpl_as_array(r, ARG(0));
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

FILTER(reverse)
{
    value *a = tpl_as_array(r, in);
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
    return tpl_str_result(r, &b);
}

/* How sort compares: PHP's comparison, or the template's arrow function
 * (which returns a number, like PHP's usort callbacks). */
typedef struct sort_ctx {
    render *r;
    const expr *at;
    value *fn;
} sort_ctx;

static int compare_items(const sort_ctx *c, value *x, value *y)
{
    if (!c->fn) return php_compare(c->r->a, x, y);
    if (c->r->failed) return 0;
    value *args[2] = {x, y};
    double d = php_to_float(tpl_call_arrow(c->r, c->at, c->fn, args, 2));
    return d < 0 ? -1 : d > 0;
}

static int compare_values(const sort_ctx *c, const void *x, const void *y)
{
    return compare_items(c, *(value *const *)x, *(value *const *)y);
}

static int compare_pairs(const sort_ctx *c, const void *x, const void *y)
{
    return compare_items(c, ((const value_pair *)x)->val, ((const value_pair *)y)->val);
}

/* Stable merge sort (PHP 8's sort is stable too). */
static void merge_sort(void *base, size_t n, size_t size, int (*cmp)(const sort_ctx *, const void *, const void *),
                       const sort_ctx *c)
{
    if (n < 2) return;
    char *tmp = arena_alloc(c->r->a, n * size), *b = base;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (cmp(c, b + j * size, b + i * size) < 0) memcpy(tmp + k++ * size, b + j++ * size, size);
                else memcpy(tmp + k++ * size, b + i++ * size, size);
            }
            while (i < mid) memcpy(tmp + k++ * size, b + i++ * size, size);
            while (j < hi) memcpy(tmp + k++ * size, b + j++ * size, size);
        }
        memcpy(b, tmp, n * size);
    }
}

FILTER(sort)
{
    value *a = tpl_as_array(r, in);
    sort_ctx c = {r, at, ARG(0)};
    if (a && a->kind == V_LIST) {
        value *out = value_list(r->a);
        for (size_t i = 0; i < a->u.list.len; i++) list_push(r->a, out, a->u.list.items[i]);
        merge_sort(out->u.list.items, out->u.list.len, sizeof(value *), compare_values, &c);
        return out;
    }
    if (a && a->kind == V_MAP) {
        value *out = value_map(r->a);
        for (size_t i = 0; i < a->u.map.len; i++)
            map_setn(r->a, out, a->u.map.items[i].key, a->u.map.items[i].key_len, a->u.map.items[i].val);
        merge_sort(out->u.map.items, out->u.map.len, sizeof(value_pair), compare_pairs, &c);
        return out;
    }
    tpl_error_at(r, at, "the sort filter only works with arrays");
    return NULL;
}

/* The key of item i of a list or map, as PHP would hand it over. */
static value *item_key(render *r, const value *a, size_t i)
{
    if (a->kind == V_LIST) return value_int(r->a, (long long)i);
    const value_pair *p = &a->u.map.items[i];
    bool is_int;
    long long iv;
    double f;
    if (php_is_numeric_str(p->key, p->key_len, &is_int, &iv, &f) && is_int && p->key[0] != ' ' && p->key[0] != '+' &&
        !(p->key[0] == '0' && p->key_len > 1))
        return value_int(r->a, iv);
    return value_str_ref(r->a, p->key, p->key_len);
}

static size_t item_count(const value *a) { return a->kind == V_LIST ? a->u.list.len : a->u.map.len; }
static value *item_value(const value *a, size_t i) { return a->kind == V_LIST ? a->u.list.items[i] : a->u.map.items[i].val; }

/* array_filter: keys are kept, so a filtered list may become a map. */
FILTER(filter)
{
    value *a = tpl_as_array(r, in);
    if (!a || (a->kind != V_LIST && a->kind != V_MAP)) return value_list(r->a);
    value *kept = value_map(r->a);
    bool sequential = true;
    for (size_t i = 0; i < item_count(a) && !r->failed; i++) {
        value *call_args[2] = {item_value(a, i), item_key(r, a, i)};
        if (!value_truthy(tpl_call_arrow(r, at, ARG(0), call_args, 2))) continue;
        if (a->kind == V_LIST) {
            char k[32];
            int kl = snprintf(k, sizeof k, "%zu", i);
            sequential &= i == kept->u.map.len;
            map_setn(r->a, kept, k, (size_t)kl, call_args[0]);
        } else {
            map_setn(r->a, kept, a->u.map.items[i].key, a->u.map.items[i].key_len, call_args[0]);
        }
    }
    if (a->kind == V_LIST && sequential) {
        value *l = value_list(r->a);
        for (size_t i = 0; i < kept->u.map.len; i++) list_push(r->a, l, kept->u.map.items[i].val);
        return l;
    }
    return kept;
}

FILTER(map)
{
    value *a = tpl_as_array(r, in);
    if (!a || (a->kind != V_LIST && a->kind != V_MAP)) return value_list(r->a);
    value *out = a->kind == V_LIST ? value_list(r->a) : value_map(r->a);
    for (size_t i = 0; i < item_count(a) && !r->failed; i++) {
        value *call_args[2] = {item_value(a, i), item_key(r, a, i)};
        value *v = tpl_call_arrow(r, at, ARG(0), call_args, 2);
        if (a->kind == V_LIST) list_push(r->a, out, v ? v : value_null());
        else map_setn(r->a, out, a->u.map.items[i].key, a->u.map.items[i].key_len, v ? v : value_null());
    }
    return out;
}

FILTER(reduce)
{
    value *a = tpl_as_array(r, in);
    value *carry = ARG(1) ? ARG(1) : value_null();
    if (!a || (a->kind != V_LIST && a->kind != V_MAP)) return carry;
    for (size_t i = 0; i < item_count(a) && !r->failed; i++) {
        value *call_args[3] = {carry, item_value(a, i), item_key(r, a, i)};
        carry = tpl_call_arrow(r, at, ARG(0), call_args, 3);
    }
    return carry;
}

/* array_column: the `name` attribute of every item that has one. */
FILTER(column)
{
    value *a = tpl_as_array(r, in);
    value *out = value_list(r->a);
    if (!a || (a->kind != V_LIST && a->kind != V_MAP)) return out;
    size_t kl;
    const char *key = STR(ARG(0), &kl);
    for (size_t i = 0; i < item_count(a); i++) {
        value *item = item_value(a, i), *v = NULL;
        if (item && item->kind == V_MAP) v = map_getn(item, key, kl);
        else if (item && item->kind == V_OBJECT && item->u.obj.cls->get)
            v = item->u.obj.cls->get(item->u.obj.self, key, r->a);
        if (v) list_push(r->a, out, v);
    }
    return out;
}

FILTER(batch)
{
    double size = php_to_float(ARG(0));
    if (!(size > 0) || size > TPL_MAX_RANGE) {
        tpl_error_at(r, at, "the batch size must be between 1 and %d", TPL_MAX_RANGE);
        return NULL;
    }
    long long n = (long long)ceil(size);
    value *a = tpl_as_array(r, in);
    value *out = value_list(r->a);
    if (!a || (a->kind != V_LIST && a->kind != V_MAP)) return out;
    bool has_fill = ARG(1) && !tpl_is_null_arg(ARG(1));
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
