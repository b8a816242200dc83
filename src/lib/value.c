/* value.c - constructors, maps, PHP-style conversions and JSON output. */
#include "value.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static value null_value = {.kind = V_NULL};
static value true_value = {.kind = V_BOOL, .u.b = true};
static value false_value = {.kind = V_BOOL, .u.b = false};

value *value_null(void) { return &null_value; }
value *value_bool(bool b) { return b ? &true_value : &false_value; }

static value *new_value(arena *a, value_kind k)
{
    value *v = arena_zalloc(a, sizeof *v);
    v->kind = k;
    return v;
}

value *value_int(arena *a, long long i)
{
    value *v = new_value(a, V_INT);
    v->u.i = i;
    return v;
}

value *value_float(arena *a, double f)
{
    value *v = new_value(a, V_FLOAT);
    v->u.f = f;
    return v;
}

value *value_str_ref(arena *a, const char *s, size_t len)
{
    value *v = new_value(a, V_STRING);
    v->u.str.s = s;
    v->u.str.len = len;
    return v;
}

value *value_str(arena *a, const char *s, size_t len)
{
    return value_str_ref(a, arena_strndup(a, s, len), len);
}

value *value_cstr(arena *a, const char *s) { return value_str(a, s, strlen(s)); }

value *value_safe_str(arena *a, const char *s, size_t len)
{
    value *v = value_str(a, s, len);
    v->is_safe = true;
    return v;
}

value *value_list(arena *a) { return new_value(a, V_LIST); }
value *value_map(arena *a) { return new_value(a, V_MAP); }

value *value_object(arena *a, const value_class *cls, void *self)
{
    value *v = new_value(a, V_OBJECT);
    v->u.obj.cls = cls;
    v->u.obj.self = self;
    return v;
}

void list_push(arena *a, value *list, value *v)
{
    if (list->u.list.len == list->u.list.cap) {
        size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
        value **items = arena_alloc(a, cap * sizeof *items);
        if (list->u.list.len) memcpy(items, list->u.list.items, list->u.list.len * sizeof *items);
        list->u.list.items = items;
        list->u.list.cap = cap;
    }
    list->u.list.items[list->u.list.len++] = v;
}

value *map_getn(const value *map, const char *key, size_t key_len)
{
    if (!map || map->kind != V_MAP) return NULL;
    for (size_t i = 0; i < map->u.map.len; i++) {
        const value_pair *p = &map->u.map.items[i];
        if (p->key_len == key_len && memcmp(p->key, key, key_len) == 0) return p->val;
    }
    return NULL;
}

value *map_get(const value *map, const char *key) { return map_getn(map, key, strlen(key)); }

/* key, which map does not have, at its end */
static inline void map_append(arena *a, value *map, const char *key, size_t key_len, value *v)
{
    if (map->u.map.len == map->u.map.cap) {
        size_t cap = map->u.map.cap ? map->u.map.cap * 2 : 4;
        value_pair *items = arena_alloc(a, cap * sizeof *items);
        if (map->u.map.len) memcpy(items, map->u.map.items, map->u.map.len * sizeof *items);
        map->u.map.items = items;
        map->u.map.cap = cap;
    }
    value_pair *p = &map->u.map.items[map->u.map.len++];
    p->key = arena_strndup(a, key, key_len);
    p->key_len = key_len;
    p->val = v;
}

void map_setn(arena *a, value *map, const char *key, size_t key_len, value *v)
{
    for (size_t i = 0; i < map->u.map.len; i++) {
        value_pair *p = &map->u.map.items[i];
        if (p->key_len == key_len && memcmp(p->key, key, key_len) == 0) {
            p->val = v;
            return;
        }
    }
    map_append(a, map, key, key_len, v);
}

bool map_addn(arena *a, value *map, const char *key, size_t key_len, value *v)
{
    for (size_t i = 0; i < map->u.map.len; i++) {
        value_pair *p = &map->u.map.items[i];
        if (p->key_len == key_len && memcmp(p->key, key, key_len) == 0) return false;
    }
    map_append(a, map, key, key_len, v);
    return true;
}


void map_set(arena *a, value *map, const char *key, value *v) { map_setn(a, map, key, strlen(key), v); }

value *value_path(const value *v, const char *dotted)
{
    const char *p = dotted;
    while (v) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        v = map_getn(v, p, n);
        if (!dot) return (value *)v;
        p = dot + 1;
    }
    return NULL;
}

const char *value_path_str(const value *v, const char *dotted, const char *dflt)
{
    value *r = value_path(v, dotted);
    return r && r->kind == V_STRING ? r->u.str.s : dflt;
}

long long value_path_int(const value *v, const char *dotted, long long dflt)
{
    value *r = value_path(v, dotted);
    if (!r) return dflt;
    if (r->kind == V_INT) return r->u.i;
    if (r->kind == V_FLOAT) return (long long)r->u.f;
    if (r->kind == V_STRING) {
        char *end;
        long long i = strtoll(r->u.str.s, &end, 10);
        if (end != r->u.str.s && *end == 0) return i;
    }
    return dflt;
}

bool value_path_bool(const value *v, const char *dotted, bool dflt)
{
    value *r = value_path(v, dotted);
    if (!r || r->kind == V_NULL) return dflt;
    return value_truthy(r);
}

bool value_truthy(const value *v)
{
    if (!v) return false;
    switch (v->kind) {
    case V_NULL: return false;
    case V_BOOL: return v->u.b;
    case V_INT: return v->u.i != 0;
    case V_FLOAT: return v->u.f != 0.0;
    case V_STRING: return !(v->u.str.len == 0 || (v->u.str.len == 1 && v->u.str.s[0] == '0'));
    case V_LIST: return v->u.list.len != 0;
    case V_MAP: return v->u.map.len != 0;
    case V_OBJECT: return true;
    }
    return false;
}

value *value_resolve(arena *a, value *v)
{
    if (v && v->kind == V_OBJECT && v->u.obj.cls->to_value) {
        value *r = v->u.obj.cls->to_value(v->u.obj.self, a);
        if (r) return r;
    }
    return v;
}

bool value_is_iterable(const value *v)
{
    if (!v) return false;
    if (v->kind == V_LIST || v->kind == V_MAP) return true;
    return v->kind == V_OBJECT && v->u.obj.cls->to_value;
}

static size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

size_t value_length(arena *a, const value *v)
{
    if (!v) return 0;
    switch (v->kind) {
    case V_NULL: return 0;
    case V_STRING: return utf8_count(v->u.str.s, v->u.str.len);
    case V_LIST: return v->u.list.len;
    case V_MAP: return v->u.map.len;
    case V_OBJECT: {
        value *r = value_resolve(a, (value *)v);
        return r == v ? 1 : value_length(a, r);
    }
    default: {
        buf b = BUF_INIT;
        value_write(&b, v);
        size_t n = utf8_count(buf_cstr(&b), b.len);
        buf_free(&b);
        return n;
    }
    }
}

void value_write_float(buf *out, double f)
{
    if (isnan(f)) {
        buf_puts(out, "NAN");
        return;
    }
    if (isinf(f)) {
        buf_puts(out, f < 0 ? "-INF" : "INF");
        return;
    }
    char tmp[40];
    /* PHP 8 prints the shortest representation that reads back exactly. */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*G", prec, f);
        if (strtod(tmp, NULL) == f) break;
    }
    /* PHP writes 1.0E+25 where C writes 1E+25, and keeps plain notation
     * for exponents down to -5 and up to 14. */
    char *e = strchr(tmp, 'E');
    if (e) {
        int exp = atoi(e + 1);
        if (exp >= -5 && exp < 15) {
            snprintf(tmp, sizeof tmp, "%.*f", exp < 0 ? 17 : 1, f);
            /* trim trailing zeros and dot */
            char *end = tmp + strlen(tmp) - 1;
            while (end > tmp && *end == '0') *end-- = 0;
            if (*end == '.') *end = 0;
            /* re-derive shortest for small numbers */
            for (int prec = 1; prec <= 17; prec++) {
                char t2[40];
                snprintf(t2, sizeof t2, "%.*f", prec, f);
                if (strtod(t2, NULL) == f) {
                    char *z = t2 + strlen(t2) - 1;
                    while (z > t2 && *z == '0') *z-- = 0;
                    if (*z == '.') *z = 0;
                    memcpy(tmp, t2, strlen(t2) + 1);
                    break;
                }
            }
        } else {
            char mant[40];
            size_t ml = (size_t)(e - tmp);
            memcpy(mant, tmp, ml);
            mant[ml] = 0;
            if (!strchr(mant, '.')) strcat(mant, ".0");
            char exps[16];
            snprintf(exps, sizeof exps, "E%c%d", exp < 0 ? '-' : '+', abs(exp));
            buf_puts(out, mant);
            buf_puts(out, exps);
            return;
        }
    }
    if (strcmp(tmp, "-0") == 0) strcpy(tmp, "-0");
    buf_puts(out, tmp);
}

void value_write(buf *out, const value *v)
{
    if (!v) return;
    switch (v->kind) {
    case V_NULL: return;
    case V_BOOL:
        if (v->u.b) buf_putc(out, '1');
        return;
    case V_INT: buf_printf(out, "%lld", v->u.i); return;
    case V_FLOAT: value_write_float(out, v->u.f); return;
    case V_STRING: buf_add(out, v->u.str.s, v->u.str.len); return;
    case V_LIST:
    case V_MAP: buf_puts(out, "Array"); return;
    case V_OBJECT:
        if (v->u.obj.cls->write) v->u.obj.cls->write(v->u.obj.self, out);
        return;
    }
}

const char *value_to_cstr(arena *a, const value *v)
{
    if (v && v->kind == V_STRING) return v->u.str.s;
    buf b = BUF_INIT;
    value_write(&b, v);
    char *s = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return s;
}

value *value_copy(arena *a, const value *v)
{
    if (!v) return value_null();
    switch (v->kind) {
    case V_NULL:
    case V_BOOL: return (value *)v;
    case V_INT: return value_int(a, v->u.i);
    case V_FLOAT: return value_float(a, v->u.f);
    case V_STRING: {
        value *s = value_str(a, v->u.str.s, v->u.str.len);
        s->is_safe = v->is_safe;
        return s;
    }
    case V_LIST: {
        value *l = value_list(a);
        for (size_t i = 0; i < v->u.list.len; i++) list_push(a, l, value_copy(a, v->u.list.items[i]));
        return l;
    }
    case V_MAP: {
        value *m = value_map(a);
        for (size_t i = 0; i < v->u.map.len; i++) {
            const value_pair *p = &v->u.map.items[i];
            map_setn(a, m, p->key, p->key_len, value_copy(a, p->val));
        }
        return m;
    }
    case V_OBJECT: return value_object(a, v->u.obj.cls, v->u.obj.self);
    }
    return value_null();
}

/* Whether byte c is written to a JSON string unchanged. */
static inline bool json_plain(unsigned char c, unsigned flags)
{
    if (c >= 0x80) return flags & JSON_UNESCAPED_UNICODE;
    if (c < 0x20 || c == '"' || c == '\\' || (c == '<' && (flags & JSON_SCRIPT_SAFE))) return false;
    return c != '/' || (flags & JSON_UNESCAPED_SLASHES);
}

void json_write_string(buf *out, const char *s, size_t len, unsigned flags)
{
    buf_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        /* Most bytes are written as they are: copy such runs in one piece. */
        size_t run = i;
        while (run < len && json_plain((unsigned char)s[run], flags)) run++;
        if (run > i) {
            size_t n = run - i, ok = n;
            if ((flags & JSON_INVALID_UTF8_SUBSTITUTE) && (flags & JSON_UNESCAPED_UNICODE)) ok = utf8_check(s + i, n);
            if (ok < n) {
                buf_add(out, s + i, ok);
                buf_puts(out, "\xEF\xBF\xBD");
                i += ok; /* the loop steps over the byte */
                continue;
            }
            buf_add(out, s + i, n);
            i = run;
            if (i == len) break;
        }
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': buf_puts(out, "\\\""); continue;
        case '\\': buf_puts(out, "\\\\"); continue;
        case '<': buf_puts(out, "\\u003c"); continue; /* only with JSON_SCRIPT_SAFE */
        case '\n': buf_puts(out, "\\n"); continue;
        case '\r': buf_puts(out, "\\r"); continue;
        case '\t': buf_puts(out, "\\t"); continue;
        case '\b': buf_puts(out, "\\b"); continue;
        case '\f': buf_puts(out, "\\f"); continue;
        case '/':
            buf_puts(out, flags & JSON_UNESCAPED_SLASHES ? "/" : "\\/");
            continue;
        }
        if (c < 0x20) {
            buf_printf(out, "\\u%04x", c);
        } else if (c < 0x80 || (flags & JSON_UNESCAPED_UNICODE)) {
            buf_putc(out, (char)c);
        } else {
            /* Decode one UTF-8 sequence and write it as \uXXXX (pairs above U+FFFF). */
            unsigned cp = 0;
            int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
            cp = c & (0x3F >> extra);
            for (int k = 0; k < extra && i + 1 < len; k++) cp = (cp << 6) | ((unsigned char)s[++i] & 0x3F);
            if (cp >= 0x10000) {
                cp -= 0x10000;
                buf_printf(out, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
            } else {
                buf_printf(out, "\\u%04x", cp);
            }
        }
    }
    buf_putc(out, '"');
}

static void json_indent(buf *out, unsigned flags, int depth)
{
    if (!(flags & JSON_PRETTY)) return;
    buf_putc(out, '\n');
    for (int i = 0; i < depth; i++) buf_puts(out, "    ");
}

static void json_value(buf *out, const value *v, arena *a, unsigned flags, int depth)
{
    if (depth > 512) {
        buf_puts(out, "null");
        return;
    }
    v = value_resolve(a, (value *)v);
    switch (v ? v->kind : V_NULL) {
    case V_NULL: buf_puts(out, "null"); return;
    case V_BOOL: buf_puts(out, v->u.b ? "true" : "false"); return;
    case V_INT: buf_printf(out, "%lld", v->u.i); return;
    case V_FLOAT: {
        if (!isfinite(v->u.f)) {
            buf_puts(out, "0");
            return;
        }
        size_t start = out->len;
        value_write_float(out, v->u.f);
        /* json_encode keeps a float looking like a float only with
         * JSON_PRESERVE_ZERO_FRACTION; by default 1.0 is written 1. */
        (void)start;
        return;
    }
    case V_STRING: json_write_string(out, v->u.str.s, v->u.str.len, flags); return;
    case V_LIST:
        buf_putc(out, '[');
        for (size_t i = 0; i < v->u.list.len; i++) {
            if (i) buf_putc(out, ',');
            json_indent(out, flags, depth + 1);
            json_value(out, v->u.list.items[i], a, flags, depth + 1);
        }
        if (v->u.list.len) json_indent(out, flags, depth);
        buf_putc(out, ']');
        return;
    case V_MAP:
        buf_putc(out, '{');
        for (size_t i = 0; i < v->u.map.len; i++) {
            const value_pair *p = &v->u.map.items[i];
            if (i) buf_putc(out, ',');
            json_indent(out, flags, depth + 1);
            json_write_string(out, p->key, p->key_len, flags);
            buf_puts(out, flags & JSON_PRETTY ? ": " : ":");
            json_value(out, p->val, a, flags, depth + 1);
        }
        if (v->u.map.len) json_indent(out, flags, depth);
        buf_putc(out, '}');
        return;
    case V_OBJECT: buf_puts(out, "{}"); return;
    }
}

void value_write_json(buf *out, const value *v, arena *a, unsigned flags)
{
    json_value(out, v, a, flags, 0);
}
