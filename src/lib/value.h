/* value.h - the dynamic value shared by configuration, front matter,
 * JSON data and templates.
 *
 * A value is null, a boolean, an integer, a float, a string, a list
 * (keys 0..n-1), an ordered map (string keys, insertion order kept, like a
 * PHP array) or an object: a native thing (a page, a collection) that
 * answers attribute look-ups through a small class of callbacks, so the
 * site model is exposed to templates without being copied.
 *
 * Values are allocated in an arena and never freed one by one. Values
 * reachable from the site model are immutable once the site is loaded, so
 * several threads may read them at once. Strings carry is_safe: the
 * template engine's "markup" flag (already HTML, do not escape again). */
#ifndef FOLIO_VALUE_H
#define FOLIO_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"

typedef enum value_kind {
    V_NULL,
    V_BOOL,
    V_INT,
    V_FLOAT,
    V_STRING,
    V_LIST,
    V_MAP,
    V_OBJECT,
} value_kind;

typedef struct value value;

typedef struct value_pair {
    const char *key; /* NUL-terminated */
    size_t key_len;
    value *val;
} value_pair;

typedef struct value_class {
    const char *name;
    /* Attribute `key` of the object, or NULL when it has none. May
     * allocate the result in `a` (the caller's render arena). */
    value *(*get)(void *self, const char *key, arena *a);
    /* The object as a list or map, for iteration, length and json_encode;
     * NULL when it is not iterable. May be NULL. */
    value *(*to_value)(void *self, arena *a);
    /* How the object prints ({{ obj }}); NULL prints nothing. */
    void (*write)(void *self, buf *out);
    /* The method call obj.name(args...) with at least one argument, or
     * NULL when the object has no such method: the call then reads the
     * attribute `name`, as a call without arguments always does. May be
     * NULL. Arguments are the template's values, of any kind. */
    value *(*call)(void *self, const char *name, value **args, size_t nargs, arena *a);
} value_class;

struct value {
    value_kind kind;
    bool is_safe;
    union {
        bool b;
        long long i;
        double f;
        struct { const char *s; size_t len; } str; /* s is NUL-terminated */
        struct { value **items; size_t len, cap; } list;
        struct { value_pair *items; size_t len, cap; } map;
        struct { const value_class *cls; void *self; } obj;
    } u;
};

/* Shared immutable constants. */
value *value_null(void);
value *value_bool(bool b);

value *value_int(arena *a, long long i);
value *value_float(arena *a, double f);
value *value_str(arena *a, const char *s, size_t len); /* copies */
value *value_cstr(arena *a, const char *s);            /* copies */
value *value_str_ref(arena *a, const char *s, size_t len); /* s must outlive the value and be NUL-terminated at len */
value *value_safe_str(arena *a, const char *s, size_t len); /* copies, marks is_safe */
value *value_list(arena *a);
value *value_map(arena *a);
value *value_object(arena *a, const value_class *cls, void *self);

void list_push(arena *a, value *list, value *v);
/* Set key (copied) in map, replacing an existing entry in place. */
void map_set(arena *a, value *map, const char *key, value *v);
void map_setn(arena *a, value *map, const char *key, size_t key_len, value *v);
/* Adds key unless map has it: false, and map unchanged, when it has. */
bool map_addn(arena *a, value *map, const char *key, size_t key_len, value *v);
/* Entry for key, or NULL. Works on maps only (NULL otherwise). */
value *map_get(const value *map, const char *key);
value *map_getn(const value *map, const char *key, size_t key_len);
/* Dotted look-up through nested maps: value_path(cfg, "languages.supported"). */
value *value_path(const value *v, const char *dotted);

/* Convenience readers with a default for absent or mistyped values. */
const char *value_path_str(const value *v, const char *dotted, const char *dflt);
long long value_path_int(const value *v, const char *dotted, long long dflt);
bool value_path_bool(const value *v, const char *dotted, bool dflt);

/* PHP truthiness: null, false, 0, 0.0, "", "0" and empty arrays are false. */
bool value_truthy(const value *v);
/* Length: characters of a string (UTF-8 code points), items of a list or
 * map, 0 for null, 1 otherwise. */
size_t value_length(arena *a, const value *v);
bool value_is_iterable(const value *v);
/* Objects resolved to their list/map form (or v itself). */
value *value_resolve(arena *a, value *v);

/* PHP string conversion appended to out: true -> "1", false/null -> "",
 * floats in shortest round-trip form ("1" for 1.0), arrays -> "Array". */
void value_write(buf *out, const value *v);
/* The same as a NUL-terminated string in the arena. */
const char *value_to_cstr(arena *a, const value *v);
/* Deep copy into another arena (objects are copied by reference). */
value *value_copy(arena *a, const value *v);
/* JSON like PHP's json_encode with the given JSON_* flags: by default
 * "/" is written as "\/" and non-ASCII as \uXXXX, as PHP does. */
enum {
    JSON_PRETTY = 1,
    JSON_UNESCAPED_SLASHES = 2,
    JSON_UNESCAPED_UNICODE = 4,
    JSON_SCRIPT_SAFE = 8, /* '<' as \u003c: "</script>" in a string cannot end a script element */
    /* with JSON_UNESCAPED_UNICODE: a byte that begins no UTF-8 character
     * is U+FFFD (PHP's JSON_INVALID_UTF8_SUBSTITUTE), so that the JSON is
     * UTF-8 whatever the text */
    JSON_INVALID_UTF8_SUBSTITUTE = 16,
};
void value_write_json(buf *out, const value *v, arena *a, unsigned flags);
/* One JSON string (with its quotes), as value_write_json writes strings. */
void json_write_string(buf *out, const char *s, size_t len, unsigned flags);
/* Shortest round-trip decimal form of a float, PHP style. */
void value_write_float(buf *out, double f);

#endif
