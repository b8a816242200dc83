/* filters_grav_more.c - more of the filters Grav adds to Twig
 * (GravExtension), for overrides copied from Grav themes: sizes and
 * numbers for people (nicefilesize, nicenumber), md5, base64_encode,
 * ltrim, rtrim, modulus, basename, dirname, array_unique, replace_last,
 * safe_email and pad. Like the PHP functions behind them they work on
 * bytes.
 *
 * Left out on purpose: randomize and Grav's safe_email, which differ from
 * build to build (here safe_email writes every character as an entity,
 * the same each time, so pages and their ETags stay the same); nicetime,
 * which is relative to the moment of the request, not of the build; and
 * regex_replace (PCRE patterns, which a template could make run for
 * minutes). */
#include <math.h>
#include <nettle/base64.h>
#include <nettle/md5.h>
#include <stdlib.h>
#include <string.h>

#include "template/builtins.h"

/* The most a pad may make: more is surely a mistake in the template. */
#define MAX_PAD (1 << 20)

static value *float_text(render *r, double v, const char *suffix)
{
    size_t n;
    const char *num = php_str(r, value_float(r->a, v), &n);
    buf b = BUF_INIT;
    buf_add(&b, num, n);
    buf_puts(&b, suffix);
    return tpl_str_result(r, &b);
}

/* Utils::prettySize: 1 KB is 1024 bytes, two decimals at most. */
FILTER(nicefilesize)
{
    static const char *const units[] = {" B", " KB", " MB", " GB", " TB"};
    double bytes = php_to_float(in);
    if (!(bytes > 0)) bytes = 0; /* also NaN */
    int p = bytes > 0 ? (int)floor(log(bytes) / log(1024.0)) : 0;
    if (p < 0) p = 0;
    if (p > 4) p = 4;
    return float_text(r, tpl_php_round(bytes / pow(1024.0, p), 2), units[p]);
}

/* The first number in text, as Grav finds it: commas dropped, then the
 * first run of digits that is not "0" (PHP's array_filter drops it). */
static bool first_number(const char *s, size_t len, double *out)
{
    buf digits = BUF_INIT;
    bool found = false;
    for (size_t i = 0; i <= len && !found; i++) {
        char c = i < len ? s[i] : 0;
        if (c == ',') continue;
        if (c >= '0' && c <= '9') {
            buf_putc(&digits, c);
            continue;
        }
        if (digits.len && strcmp(buf_cstr(&digits), "0") != 0) found = true;
        else buf_truncate(&digits, 0);
    }
    if (found) *out = strtod(buf_cstr(&digits), NULL);
    buf_free(&digits);
    return found;
}

/* 1234567 -> "1.23 m"; at most 1000, number_format's "1,000". */
FILTER(nicenumber)
{
    double n;
    if (in && (in->kind == V_INT || in->kind == V_FLOAT)) n = php_to_float(in);
    else if (!in || in->kind != V_STRING || !first_number(in->u.str.s, in->u.str.len, &n)) return value_bool(false);
    if (n > 1e12) return float_text(r, tpl_php_round(n / 1e12, 2), " t");
    if (n > 1e9) return float_text(r, tpl_php_round(n / 1e9, 2), " b");
    if (n > 1e6) return float_text(r, tpl_php_round(n / 1e6, 2), " m");
    if (n > 1e3) return float_text(r, tpl_php_round(n / 1e3, 2), " k");
    value *whole = value_float(r->a, n);
    return filter_number_format(r, at, whole, NULL, 0);
}

FILTER(md5)
{
    size_t len;
    const char *s = STR(in, &len);
    struct md5_ctx ctx;
    uint8_t digest[MD5_DIGEST_SIZE];
    md5_init(&ctx);
    md5_update(&ctx, len, (const uint8_t *)s);
    md5_digest(&ctx, sizeof digest, digest);
    static const char hex[] = "0123456789abcdef";
    char out[2 * MD5_DIGEST_SIZE];
    for (size_t i = 0; i < MD5_DIGEST_SIZE; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    return value_str(r->a, out, sizeof out);
}

FILTER(base64_encode)
{
    size_t len;
    const char *s = STR(in, &len);
    if (len > TPL_MAX_OUTPUT / 2) {
        tpl_error_at(r, at, "base64_encode of %zu bytes is over the limit", len);
        return NULL;
    }
    char *out = arena_alloc(r->a, BASE64_ENCODE_RAW_LENGTH(len) + 1);
    base64_encode_raw(out, len, (const uint8_t *)s);
    return value_str(r->a, out, BASE64_ENCODE_RAW_LENGTH(len));
}

/* PHP's character list: the characters, and "a..z" ranges. */
static void char_set(const char *list, size_t n, bool set[256])
{
    memset(set, 0, 256 * sizeof *set);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)list[i];
        if (i + 3 < n && list[i + 1] == '.' && list[i + 2] == '.' && (unsigned char)list[i + 3] >= c) {
            for (unsigned k = c; k <= (unsigned char)list[i + 3]; k++) set[k] = true;
            i += 3;
        } else {
            set[c] = true;
        }
    }
}

static value *trim_side(render *r, value *in, value *chars, bool left)
{
    static const char php_default[] = " \t\n\r\v"; /* and its NUL: PHP's list has one */
    size_t len, cl = sizeof php_default;
    const char *s = STR(in, &len);
    const char *list = chars && !tpl_is_null_arg(chars) ? STR(chars, &cl) : php_default;
    bool set[256];
    char_set(list, cl, set);
    size_t from = 0, to = len;
    if (left)
        while (from < to && set[(unsigned char)s[from]]) from++;
    else
        while (to > from && set[(unsigned char)s[to - 1]]) to--;
    return value_str(r->a, s + from, to - from);
}

FILTER(ltrim) { return trim_side(r, in, ARG(0), true); }
FILTER(rtrim) { return trim_side(r, in, ARG(0), false); }

/* modulus(divider, items): the remainder (of a string: of its length),
 * or the item of the list at it (the first when there is none). */
FILTER(modulus)
{
    long long n = in && in->kind == V_STRING ? (long long)in->u.str.len : php_to_int(in);
    long long d = ARG(0) ? php_to_int(ARG(0)) : 0;
    if (d == 0) {
        tpl_error_at(r, at, "modulus by zero");
        return NULL;
    }
    long long rem = d == -1 ? 0 : n % d;
    value *items = ARG(1) ? tpl_as_array(r, ARG(1)) : NULL;
    if (items && items->kind == V_LIST) {
        if (rem >= 0 && (size_t)rem < items->u.list.len) return items->u.list.items[rem];
        return items->u.list.len ? items->u.list.items[0] : value_null();
    }
    return value_int(r->a, rem);
}

FILTER(basename)
{
    size_t len;
    const char *s = STR(in, &len);
    while (len > 0 && s[len - 1] == '/') len--;
    const char *slash = len ? memrchr(s, '/', len) : NULL;
    size_t from = slash ? (size_t)(slash - s) + 1 : 0;
    return value_str(r->a, s + from, len - from);
}

FILTER(dirname)
{
    size_t len;
    const char *s = STR(in, &len);
    if (!len) return value_str(r->a, "", 0);
    size_t n = len;
    while (n > 0 && s[n - 1] == '/') n--;
    if (n == 0) return value_str(r->a, "/", 1);
    const char *slash = memrchr(s, '/', n);
    if (!slash) return value_str(r->a, ".", 1);
    n = (size_t)(slash - s);
    while (n > 0 && s[n - 1] == '/') n--;
    return n ? value_str(r->a, s, n) : value_str(r->a, "/", 1);
}

/* The first of equal items (compared as text, as PHP does) only. */
FILTER(array_unique)
{
    value *a = tpl_as_array(r, in);
    if (!a || (a->kind != V_LIST && a->kind != V_MAP)) return in ? in : value_null();
    bool is_list = a->kind == V_LIST;
    size_t n = is_list ? a->u.list.len : a->u.map.len;
    value *out = is_list ? value_list(r->a) : value_map(r->a);
    const char **seen = arena_alloc(r->a, (n + 1) * sizeof *seen);
    size_t *seen_len = arena_alloc(r->a, (n + 1) * sizeof *seen_len);
    size_t nseen = 0;
    for (size_t i = 0; i < n; i++) {
        value *v = is_list ? a->u.list.items[i] : a->u.map.items[i].val;
        size_t vl;
        const char *t = php_str(r, v, &vl);
        bool dup = false;
        for (size_t k = 0; k < nseen && !dup; k++) dup = seen_len[k] == vl && !memcmp(seen[k], t, vl);
        if (dup) continue;
        seen[nseen] = t;
        seen_len[nseen++] = vl;
        if (is_list) list_push(r->a, out, v);
        else map_setn(r->a, out, a->u.map.items[i].key, a->u.map.items[i].key_len, v);
    }
    return out;
}

/* replace_last(search, replace): the last occurrence only. */
FILTER(replace_last)
{
    size_t len, sl = 0, rl = 0;
    const char *s = STR(in, &len);
    const char *search = ARG(0) ? STR(ARG(0), &sl) : "";
    const char *repl = ARG(1) ? STR(ARG(1), &rl) : "";
    size_t pos = len; /* PHP 8: an empty search is found at the end */
    if (sl) {
        const char *hit = NULL;
        for (const char *p = s; (p = memmem(p, len - (size_t)(p - s), search, sl)); p++) hit = p;
        if (!hit) return value_str(r->a, s, len);
        pos = (size_t)(hit - s);
    }
    buf b = BUF_INIT;
    buf_add(&b, s, pos);
    buf_add(&b, repl, rl);
    if (pos + sl < len) buf_add(&b, s + pos + sl, len - pos - sl);
    return tpl_str_result(r, &b);
}

/* Every character as a numeric entity: an address that stays readable
 * to people and is not there as text for address harvesters. */
FILTER(safe_email)
{
    size_t len;
    const char *s = STR(in, &len);
    buf b = BUF_INIT;
    for (size_t i = 0; i < len; i++) buf_printf(&b, "&#%u;", (unsigned char)s[i]);
    return tpl_str_result(r, &b); /* registered as safe: it is markup */
}

/* pad(length, string = " ", type = STR_PAD_RIGHT): PHP's str_pad. */
FILTER(pad)
{
    size_t len, pl = 1;
    const char *s = STR(in, &len);
    long long want = ARG(0) ? php_to_int(ARG(0)) : 0;
    const char *pad = ARG(1) && !tpl_is_null_arg(ARG(1)) ? STR(ARG(1), &pl) : " ";
    long long type = ARG(2) ? php_to_int(ARG(2)) : 1;
    if (!pl) {
        tpl_error_at(r, at, "pad: the padding must not be empty");
        return NULL;
    }
    if (want > MAX_PAD) {
        tpl_error_at(r, at, "pad to %lld bytes is over the limit of %d", want, MAX_PAD);
        return NULL;
    }
    if (want <= (long long)len || type < 0 || type > 2) return value_str(r->a, s, len);
    size_t total = (size_t)want - len;
    size_t left = type == 0 ? total : type == 2 ? total / 2 : 0, right = total - left;
    buf b = BUF_INIT;
    for (size_t i = 0; i < left; i++) buf_putc(&b, pad[i % pl]);
    buf_add(&b, s, len);
    for (size_t i = 0; i < right; i++) buf_putc(&b, pad[i % pl]);
    return tpl_str_result(r, &b);
}
