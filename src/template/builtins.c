/* builtins.c - the registry of built-in filters and functions, the
 * small built-in functions themselves and the helpers the filter files
 * share. A host registration of the same name takes precedence (see
 * env.c). */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/date.h"
#include "template/builtins.h"

value *tpl_str_result(render *r, buf *b)
{
    value *v = value_str(r->a, buf_cstr(b), b->len);
    buf_free(b);
    return v;
}

value *tpl_as_array(render *r, value *v)
{
    if (v && v->kind == V_OBJECT) v = value_resolve(r->a, v);
    return v;
}

bool tpl_is_null_arg(const value *v) { return !v || v->kind == V_NULL; }

FUNCTION(range)
{
    long long lo = php_to_int(ARG(0)), hi = php_to_int(ARG(1));
    long long step = ARG(2) ? php_to_int(ARG(2)) : 1;
    if (step == 0) {
        tpl_error_at(r, at, "range step must not be zero");
        return NULL;
    }
    unsigned long long ustep = step < 0 ? 0ULL - (unsigned long long)step : (unsigned long long)step;
    value *out = value_list(r->a);
    /* in unsigned arithmetic: hi - lo may not fit in a long long */
    unsigned long long n = (lo <= hi ? (unsigned long long)hi - (unsigned long long)lo
                                     : (unsigned long long)lo - (unsigned long long)hi) /
                           ustep;
    if (n >= TPL_MAX_RANGE) {
        tpl_error_at(r, at, "range of %llu items is over the limit of %d", n + 1, TPL_MAX_RANGE);
        return NULL;
    }
    for (unsigned long long i = 0; i <= n; i++) {
        unsigned long long offset = i * ustep; /* at most |hi - lo| */
        unsigned long long item = lo <= hi ? (unsigned long long)lo + offset : (unsigned long long)lo - offset;
        list_push(r->a, out, value_int(r->a, (long long)item));
    }
    return out;
}

static value *extreme(render *r, value **args, size_t nargs, int want)
{
    value *list = nargs == 1 ? tpl_as_array(r, args[0]) : NULL;
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

FUNCTION(max) { return extreme(r, args, nargs, 1); }
FUNCTION(min) { return extreme(r, args, nargs, -1); }

FUNCTION(cycle)
{
    value *a = tpl_as_array(r, ARG(0));
    long long pos = php_to_int(ARG(1));
    if (!a || a->kind != V_LIST || a->u.list.len == 0) return a ? a : value_null();
    long long n = (long long)a->u.list.len;
    return a->u.list.items[((pos % n) + n) % n];
}

FUNCTION(attribute)
{
    value *obj = tpl_as_array(r, ARG(0));
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

FUNCTION(date)
{
    if (!ARG(0) || tpl_is_null_arg(ARG(0))) return value_int(r->a, (long long)time(NULL));
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

/* constant(): the few PHP constants templates pass to filters. */
FUNCTION(constant)
{
    static const struct {
        const char *name;
        long long v;
    } ints[] = {
        {"JSON_HEX_TAG", 1}, {"JSON_HEX_AMP", 2}, {"JSON_HEX_APOS", 4}, {"JSON_HEX_QUOT", 8},
        {"JSON_FORCE_OBJECT", 16}, {"JSON_NUMERIC_CHECK", 32}, {"JSON_UNESCAPED_SLASHES", 64},
        {"JSON_PRETTY_PRINT", 128}, {"JSON_UNESCAPED_UNICODE", 256}, {"PHP_INT_MAX", LLONG_MAX},
        {"STR_PAD_RIGHT", 1}, {"STR_PAD_LEFT", 0}, {"STR_PAD_BOTH", 2},
    };
    const char *name = ARG(0) ? STR(ARG(0), NULL) : "";
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (!strcmp(ints[i].name, name)) return value_int(r->a, ints[i].v);
    if (!strcmp(name, "PHP_EOL")) return value_str_ref(r->a, "\n", 1);
    tpl_error_at(r, at, "unknown constant \"%s\"", name);
    return NULL;
}

static const callable builtin_filters[] = {
    {"abs", filter_abs, NULL, NULL, false, false, false},
    {"batch", filter_batch, NULL, NULL, false, false, false},
    {"capitalize", filter_capitalize, NULL, NULL, false, false, false},
    {"column", filter_column, NULL, NULL, false, false, false},
    {"date", filter_date, NULL, NULL, false, false, false},
    {"default", filter_raw, NULL, NULL, false, false, false}, /* evaluated specially */
    {"escape", filter_escape, NULL, NULL, false, false, false},
    {"filter", filter_filter, NULL, NULL, false, false, false},
    {"first", filter_first, NULL, NULL, false, false, false},
    {"format", filter_format, NULL, NULL, false, false, false},
    {"join", filter_join, NULL, NULL, false, false, false},
    {"json_encode", filter_json_encode, NULL, NULL, false, false, false},
    {"keys", filter_keys, NULL, NULL, false, false, false},
    {"last", filter_last, NULL, NULL, false, false, false},
    {"length", filter_length, NULL, NULL, false, false, false},
    {"lower", filter_lower, NULL, NULL, false, false, false},
    {"map", filter_map, NULL, NULL, false, false, false},
    {"merge", filter_merge, NULL, NULL, false, false, false},
    {"nl2br", filter_nl2br, NULL, NULL, true, true, false},
    {"number_format", filter_number_format, NULL, NULL, false, false, false},
    {"raw", filter_raw, NULL, NULL, true, false, false},
    {"reduce", filter_reduce, NULL, NULL, false, false, false},
    {"replace", filter_replace, NULL, NULL, false, false, false},
    {"reverse", filter_reverse, NULL, NULL, false, false, false},
    {"round", filter_round, NULL, NULL, false, false, false},
    {"slice", filter_slice, NULL, NULL, false, false, false},
    {"sort", filter_sort, NULL, NULL, false, false, false},
    {"spaceless", filter_spaceless, NULL, NULL, true, false, false},
    {"split", filter_split, NULL, NULL, false, false, false},
    {"striptags", filter_striptags, NULL, NULL, false, false, false},
    {"title", filter_title, NULL, NULL, false, false, false},
    {"trim", filter_trim, NULL, NULL, false, false, false},
    {"upper", filter_upper, NULL, NULL, false, false, false},
    {"url_encode", filter_url_encode, NULL, NULL, false, false, false},
    /* Grav's (filters_grav.c) */
    {"array", filter_array, NULL, NULL, false, false, false},
    {"bool", filter_bool, NULL, NULL, false, false, false},
    {"contains", filter_contains, NULL, NULL, false, false, false},
    {"defined", filter_defined, NULL, NULL, false, false, false},
    {"ends_with", filter_ends_with, NULL, NULL, false, false, false},
    {"float", filter_float, NULL, NULL, false, false, false},
    {"int", filter_int, NULL, NULL, false, false, false},
    {"ksort", filter_ksort, NULL, NULL, false, false, false},
    {"safe_truncate", filter_safe_truncate, NULL, NULL, false, false, false},
    {"starts_with", filter_starts_with, NULL, NULL, false, false, false},
    {"string", filter_string, NULL, NULL, false, false, false},
    {"truncate", filter_truncate, NULL, NULL, false, false, false},
    /* Grav's (filters_grav_more.c) */
    {"array_unique", filter_array_unique, NULL, NULL, false, false, false},
    {"base64_encode", filter_base64_encode, NULL, NULL, false, false, false},
    {"basename", filter_basename, NULL, NULL, false, false, false},
    {"dirname", filter_dirname, NULL, NULL, false, false, false},
    {"ltrim", filter_ltrim, NULL, NULL, false, false, false},
    {"md5", filter_md5, NULL, NULL, false, false, false},
    {"modulus", filter_modulus, NULL, NULL, false, false, false},
    {"nicefilesize", filter_nicefilesize, NULL, NULL, false, false, false},
    {"nicenumber", filter_nicenumber, NULL, NULL, false, false, false},
    {"pad", filter_pad, NULL, NULL, false, false, false},
    {"replace_last", filter_replace_last, NULL, NULL, false, false, false},
    {"rtrim", filter_rtrim, NULL, NULL, false, false, false},
    {"safe_email", filter_safe_email, NULL, NULL, true, false, false},
};

static const callable builtin_functions[] = {
    {"attribute", function_attribute, NULL, NULL, false, false, false},
    {"block", tpl_fn_block, NULL, NULL, true, false, false},
    {"constant", function_constant, NULL, NULL, false, false, false},
    {"cycle", function_cycle, NULL, NULL, false, false, false},
    {"date", function_date, NULL, NULL, false, false, false},
    {"include", tpl_fn_include, NULL, NULL, true, false, false},
    {"max", function_max, NULL, NULL, false, false, false},
    {"min", function_min, NULL, NULL, false, false, false},
    {"range", function_range, NULL, NULL, false, false, false},
    /* Grav's (filters_grav.c) */
    {"array", function_array, NULL, NULL, false, false, false},
    {"string", function_string, NULL, NULL, false, false, false},
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
