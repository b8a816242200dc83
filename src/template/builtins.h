/* builtins.h - what the files of built-in filters and functions share:
 * the signature macros, argument helpers, UTF-8 helpers and the
 * declarations the registry (builtins.c) lists. */
#ifndef FOLIO_TEMPLATE_BUILTINS_H
#define FOLIO_TEMPLATE_BUILTINS_H

#include "template/internal.h"

#define FILTER(name) value *filter_##name(render *r, const expr *at, value *in, value **args, size_t nargs)
#define FUNCTION(name) value *function_##name(render *r, const expr *at, value *in, value **args, size_t nargs)
#define ARG(i) ((i) < nargs ? args[i] : NULL)
#define STR(v, lenp) php_str(r, (v), (lenp))

/* The buffer's text as a string value; frees the buffer. */
value *tpl_str_result(render *r, buf *b);
/* Objects resolved to their list or map form. */
value *tpl_as_array(render *r, value *v);
bool tpl_is_null_arg(const value *v);

/* One code point of UTF-8 at s (invalid bytes read as themselves);
 * returns the bytes used. */
size_t tpl_utf8_decode(const char *s, size_t len, unsigned *cp);
/* Byte offset of code point n of s (len when it has fewer); code points in s. */
size_t tpl_utf8_offset(const char *s, size_t len, long long n);
size_t tpl_utf8_chars(const char *s, size_t len);
/* Case mapping for Latin-1, Latin Extended-A, Greek and Cyrillic. */
unsigned tpl_to_upper(unsigned c);
unsigned tpl_to_lower(unsigned c);
/* A letter for word boundaries in title case. */
bool tpl_is_letter(unsigned c);
/* rawurlencode. */
void tpl_url_encode(buf *b, const char *s, size_t len);
/* PHP's round(): half away from zero, at 15 significant digits. */
double tpl_php_round(double v, int places);

FILTER(abs); FILTER(batch); FILTER(capitalize); FILTER(date); FILTER(escape); FILTER(first); FILTER(format);
FILTER(join); FILTER(json_encode); FILTER(keys); FILTER(last); FILTER(length); FILTER(lower); FILTER(merge);
FILTER(nl2br); FILTER(number_format); FILTER(raw); FILTER(replace); FILTER(reverse); FILTER(round);
FILTER(slice); FILTER(sort); FILTER(spaceless); FILTER(split); FILTER(striptags); FILTER(title); FILTER(trim);
FILTER(upper); FILTER(url_encode); FILTER(filter); FILTER(map); FILTER(reduce); FILTER(column);
FILTER(truncate); FILTER(safe_truncate); FILTER(starts_with); FILTER(ends_with); FILTER(contains); FILTER(defined);
FILTER(ksort); FILTER(string); FILTER(int); FILTER(float); FILTER(bool); FILTER(array);
FILTER(nicefilesize); FILTER(nicenumber); FILTER(md5); FILTER(base64_encode); FILTER(ltrim); FILTER(rtrim);
FILTER(modulus); FILTER(basename); FILTER(dirname); FILTER(array_unique); FILTER(replace_last); FILTER(safe_email);
FILTER(pad);
FUNCTION(array); FUNCTION(string);
FUNCTION(attribute); FUNCTION(constant); FUNCTION(cycle); FUNCTION(date); FUNCTION(max); FUNCTION(min); FUNCTION(range);

#endif
