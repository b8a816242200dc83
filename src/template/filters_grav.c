/* filters_grav.c - the filters Grav adds to Twig that templates written
 * for Grav use most (Grav's GravExtension and Utils), for overrides copied
 * from a Grav theme: truncate, safe_truncate, starts_with, ends_with,
 * contains, defined, ksort and the casts string, int, float, bool, array.
 *
 * Lengths and offsets count UTF-8 characters (Grav uses mb_ functions);
 * starts_with, ends_with and contains compare bytes (strpos). truncate's
 * default padding is the "…" character where Grav's is the entity
 * "&hellip;": Grav printed it unescaped, and here printed strings are
 * escaped, so the character is what shows the same. The filters that need
 * the site (markdown, truncate_html) come from the site's renderer. */
#include <stdlib.h>
#include <string.h>

#include "template/builtins.h"

/* truncate(limit = 150, up_to_break = false, break = " ", pad = "…"): the
 * first limit characters and pad; with up_to_break, up to the first break
 * at or after character limit instead (nothing is cut when that break is
 * the last character). */
FILTER(truncate)
{
    size_t len, bl = 1, pl = 3;
    const char *s = STR(in, &len);
    long long limit = ARG(0) && !tpl_is_null_arg(ARG(0)) ? php_to_int(ARG(0)) : 150;
    bool up_to_break = ARG(1) && value_truthy(ARG(1));
    const char *brk = ARG(2) ? STR(ARG(2), &bl) : " ";
    const char *pad = ARG(3) ? STR(ARG(3), &pl) : "\u2026";
    if (limit < 0) limit = 0;
    size_t chars = tpl_utf8_chars(s, len);
    if (chars <= (size_t)limit) return value_str(r->a, s, len); /* a new string: escaped when printed, as Twig does */
    size_t cut = tpl_utf8_offset(s, len, limit);
    if (up_to_break && bl) {
        const char *hit = memmem(s + cut, len - cut, brk, bl);
        if (hit) {
            if (tpl_utf8_chars(s, (size_t)(hit - s)) >= chars - 1) return value_str(r->a, s, len);
            cut = (size_t)(hit - s);
        }
    }
    buf b = BUF_INIT;
    buf_add(&b, s, cut);
    buf_add(&b, pad, pl);
    return tpl_str_result(r, &b);
}

/* safe_truncate(limit = 150): truncate up to a space. */
FILTER(safe_truncate)
{
    value *limit = ARG(0) ? ARG(0) : value_int(r->a, 150);
    value *more[] = {limit, value_bool(true)};
    return filter_truncate(r, at, in, more, 2);
}

/* Whether the needle (or any of a list of them) matches s, by how. */
enum { AT_START, AT_END, ANYWHERE };

static bool matches(render *r, const char *s, size_t len, value *needle, int how)
{
    size_t nl;
    const char *n = STR(needle, &nl);
    if (nl == 0) return true;
    if (nl > len) return false;
    if (how == AT_START) return !memcmp(s, n, nl);
    if (how == AT_END) return !memcmp(s + len - nl, n, nl);
    return memmem(s, len, n, nl) != NULL;
}

static value *match_any(render *r, value *in, value *needle, int how)
{
    size_t len;
    const char *s = STR(in, &len);
    value *list = needle ? tpl_as_array(r, needle) : NULL;
    if (list && list->kind == V_LIST) {
        for (size_t i = 0; i < list->u.list.len; i++)
            if (matches(r, s, len, list->u.list.items[i], how)) return value_bool(true);
        return value_bool(false);
    }
    if (list && list->kind == V_MAP) {
        for (size_t i = 0; i < list->u.map.len; i++)
            if (matches(r, s, len, list->u.map.items[i].val, how)) return value_bool(true);
        return value_bool(false);
    }
    return value_bool(matches(r, s, len, needle ? needle : value_null(), how));
}

FILTER(starts_with) { return match_any(r, in, ARG(0), AT_START); }
FILTER(ends_with) { return match_any(r, in, ARG(0), AT_END); }

/* contains(needle): as Grav, an empty needle gives the input back. */
FILTER(contains)
{
    size_t nl = 0;
    if (!ARG(0) || tpl_is_null_arg(ARG(0)) || (STR(ARG(0), &nl), nl == 0)) return in ? in : value_null();
    return match_any(r, in, ARG(0), ANYWHERE);
}

/* defined(default): the value, or default when it is null. */
FILTER(defined)
{
    if (in && in->kind != V_NULL) return in;
    return ARG(0) ? ARG(0) : value_null();
}

/* Keys compare as numbers when both are numeric, else as strings. */
static int compare_keys(const void *x, const void *y)
{
    const char *a = ((const value_pair *)x)->key, *b = ((const value_pair *)y)->key;
    bool ai, bi;
    long long an, bn;
    double af, bf;
    if (php_is_numeric_str(a, strlen(a), &ai, &an, &af) && php_is_numeric_str(b, strlen(b), &bi, &bn, &bf)) {
        double da = ai ? (double)an : af, db = bi ? (double)bn : bf;
        return (da > db) - (da < db);
    }
    return strcmp(a, b);
}

/* ksort: a map in the order of its keys (null gives an empty one). */
FILTER(ksort)
{
    value *a = in && in->kind != V_NULL ? tpl_as_array(r, in) : value_list(r->a);
    if (!a || a->kind != V_MAP) return a ? a : value_list(r->a);
    value *out = value_map(r->a);
    value_pair *items = xmalloc((a->u.map.len ? a->u.map.len : 1) * sizeof *items);
    if (a->u.map.len) memcpy(items, a->u.map.items, a->u.map.len * sizeof *items);
    if (a->u.map.len > 1) qsort(items, a->u.map.len, sizeof *items, compare_keys); /* unique keys: no ties */
    for (size_t i = 0; i < a->u.map.len; i++) map_set(r->a, out, items[i].key, items[i].val);
    free(items);
    return out;
}

/* The casts. */
FILTER(string)
{
    size_t len;
    const char *s = STR(in, &len);
    return value_str(r->a, s, len);
}

FILTER(int) { return value_int(r->a, php_to_int(in)); }
FILTER(float) { return value_float(r->a, php_to_float(in)); }
FILTER(bool) { return value_bool(value_truthy(in)); }

/* array: lists and maps as they are, null as an empty list, anything
 * else as a list of itself. */
FILTER(array)
{
    if (!in || in->kind == V_NULL) return value_list(r->a);
    value *a = tpl_as_array(r, in);
    if (a && (a->kind == V_LIST || a->kind == V_MAP)) return a;
    value *l = value_list(r->a);
    list_push(r->a, l, in);
    return l;
}

FUNCTION(array) { return filter_array(r, at, ARG(0), NULL, 0); }
FUNCTION(string) { return filter_string(r, at, ARG(0) ? ARG(0) : value_null(), NULL, 0); }
