/* entity.c - HTML character references to UTF-8: binary search over the
 * generated HTML5 name table, arithmetic for numeric references. */
#include "content/entity.h"

#include <string.h>

#include "content/entity_table.h"

/* The longest HTML5 name is 31 characters; CommonMark allows up to 31
 * name characters too, so anything longer cannot match. */
#define MAX_ENTITY_NAME 32


static const char *named_entity(const char *name, size_t len)
{
    char key[MAX_ENTITY_NAME + 1];
    if (len == 0 || len > MAX_ENTITY_NAME) return NULL;
    memcpy(key, name, len);
    key[len] = 0;
    unsigned lo = 0, hi = html_entity_count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        int c = strcmp(key, html_entities[mid].name);
        if (c == 0) return html_entities[mid].utf8;
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return NULL;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Numeric reference body (after "&#", before ";"): 1-7 decimal digits or
 * x/X and 1-6 hex digits, as CommonMark allows. Returns false when
 * malformed. */
static bool numeric_value(const char *s, size_t len, unsigned long *cp)
{
    bool is_hex = len > 0 && (s[0] == 'x' || s[0] == 'X');
    size_t start = is_hex ? 1 : 0, digits = len - start;
    if (digits == 0 || digits > (is_hex ? 6u : 7u)) return false;
    unsigned long v = 0;
    for (size_t i = start; i < len; i++) {
        int d = is_hex ? hex_digit(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
        if (d < 0) return false;
        v = v * (is_hex ? 16 : 10) + (unsigned long)d;
    }
    *cp = v;
    return true;
}

/* Decode into out, or only check validity when out is NULL. */
static bool decode_reference(const char *s, size_t len, buf *out)
{
    if (len < 3 || s[0] != '&' || s[len - 1] != ';') return false;
    const char *body = s + 1;
    size_t body_len = len - 2;
    if (body[0] == '#') {
        unsigned long cp;
        if (!numeric_value(body + 1, body_len - 1, &cp)) return false;
        if (out) buf_put_utf8(out, cp ? cp : 0xFFFD); /* &#0; is U+FFFD in HTML */
        return true;
    }
    const char *text = named_entity(body, body_len);
    if (!text) return false;
    if (out) buf_puts(out, text);
    return true;
}

bool html_entity_decode(const char *s, size_t len, buf *out)
{
    return decode_reference(s, len, out);
}

size_t html_entity_length(const char *s, size_t len)
{
    if (len < 3 || s[0] != '&') return 0;
    size_t limit = len < MAX_ENTITY_NAME + 4 ? len : MAX_ENTITY_NAME + 4;
    for (size_t i = 1; i < limit; i++) {
        if (s[i] == ';') return decode_reference(s, i + 1, NULL) ? i + 1 : 0;
        if (!(s[i] == '#' || (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
    }
    return 0;
}

size_t html_tag_end(const char *s, size_t len)
{
    char quote = 0;
    for (size_t i = 1; i < len; i++) {
        if (quote) {
            if (s[i] == quote) quote = 0;
        } else if (s[i] == '"' || s[i] == '\'') quote = s[i];
        else if (s[i] == '>') return i + 1;
    }
    return 0;
}
