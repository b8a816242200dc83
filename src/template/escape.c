/* escape.c - the escaping strategies of the escape filter and of
 * autoescape: html (PHP's htmlspecialchars, via buf_add_html), html_attr,
 * js, css and url, as Twig's escaper writes them. Escaped results are
 * marked safe so that they are not escaped twice. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lib/url.h"
#include "template/builtins.h"

bool tpl_known_strategy(const char *s)
{
    return s && (!strcmp(s, "html") || !strcmp(s, "js") || !strcmp(s, "css") || !strcmp(s, "url") ||
                 !strcmp(s, "html_attr"));
}

static void escape_js(buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == ',' || c == '.' || c == '_') {
            buf_putc(b, (char)c);
            i++;
            continue;
        }
        unsigned cp;
        i += tpl_utf8_decode(s + i, len - i, &cp);
        switch (cp) {
        case '\\': buf_puts(b, "\\\\"); continue;
        case '/': buf_puts(b, "\\/"); continue;
        case '\b': buf_puts(b, "\\b"); continue;
        case '\f': buf_puts(b, "\\f"); continue;
        case '\n': buf_puts(b, "\\n"); continue;
        case '\r': buf_puts(b, "\\r"); continue;
        case '\t': buf_puts(b, "\\t"); continue;
        }
        if (cp < 0x10000) buf_printf(b, "\\u%04X", cp);
        else {
            cp -= 0x10000;
            buf_printf(b, "\\u%04X\\u%04X", 0xD800 | (cp >> 10), 0xDC00 | (cp & 0x3FF));
        }
    }
}

static void escape_html_attr(buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == ',' || c == '.' || c == '-' || c == '_') {
            buf_putc(b, (char)c);
            i++;
            continue;
        }
        unsigned cp;
        i += tpl_utf8_decode(s + i, len - i, &cp);
        if ((cp <= 0x1F && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F)) {
            buf_puts(b, "&#xFFFD;");
            continue;
        }
        switch (cp) {
        case '"': buf_puts(b, "&quot;"); continue;
        case '&': buf_puts(b, "&amp;"); continue;
        case '<': buf_puts(b, "&lt;"); continue;
        case '>': buf_puts(b, "&gt;"); continue;
        }
        if (cp > 0xFF) buf_printf(b, "&#x%04X;", cp);
        else buf_printf(b, "&#x%02X;", cp);
    }
}

void tpl_url_encode(buf *b, const char *s, size_t len)
{
    url_encode_component(b, s, len);
}

static void escape_css(buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            buf_putc(b, (char)c);
            i++;
            continue;
        }
        unsigned cp;
        i += tpl_utf8_decode(s + i, len - i, &cp);
        buf_printf(b, "\\%X ", cp);
    }
}

value *tpl_escape(render *r, const expr *at, value *v, const char *strategy)
{
    (void)at;
    if (!v || v->kind == V_NULL) return value_str_ref(r->a, "", 0);
    size_t len;
    const char *s;
    buf tmp = BUF_INIT;
    if (v->kind == V_OBJECT) {
        if (v->u.obj.cls->write) v->u.obj.cls->write(v->u.obj.self, &tmp);
        s = buf_cstr(&tmp);
        len = tmp.len;
    } else if (v->kind == V_LIST || v->kind == V_MAP) {
        s = "Array";
        len = 5;
    } else {
        s = STR(v, &len);
    }
    buf b = BUF_INIT;
    if (!strcmp(strategy, "html")) buf_add_html(&b, s, len);
    else if (!strcmp(strategy, "js")) escape_js(&b, s, len);
    else if (!strcmp(strategy, "html_attr")) escape_html_attr(&b, s, len);
    else if (!strcmp(strategy, "url")) tpl_url_encode(&b, s, len);
    else escape_css(&b, s, len);
    buf_free(&tmp);
    value *out = value_safe_str(r->a, buf_cstr(&b), b.len);
    buf_free(&b);
    return out;
}

FILTER(escape)
{
    const char *strategy = ARG(0) ? STR(ARG(0), NULL) : "html";
    if (!tpl_known_strategy(strategy)) {
        tpl_error_at(r, at, "invalid escaping strategy \"%s\"", strategy);
        return NULL;
    }
    return tpl_escape(r, at, in, strategy);
}

FILTER(raw) { return in; }
