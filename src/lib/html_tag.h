/* html_tag.h - a small reader of HTML start and end tags, for the few
 * places that look into rendered or hand-written HTML without building a
 * DOM: folio check (links, images, ids in raw HTML) and the build's
 * security policy (what a page embeds from other sites). */
#ifndef FOLIO_HTML_TAG_H
#define FOLIO_HTML_TAG_H

#include <stdbool.h>
#include <stddef.h>

#define HTML_TAG_MAX_ATTRS 32

typedef struct html_attr {
    const char *name;
    size_t name_len;
    const char *val; /* raw, as in the HTML (entities not decoded); NULL for a bare attribute */
    size_t val_len;
} html_attr;

typedef struct html_tag {
    const char *name; /* as written: "IFRAME", "img" */
    size_t name_len;
    bool is_closing;  /* </name> */
    html_attr attrs[HTML_TAG_MAX_ATTRS]; /* the first ones, past that dropped */
    size_t nattrs;
} html_tag;

/* Reads the tag at html[i] == '<' into t and returns the index just after
 * it (len when it runs to the end). Always moves on, whatever the bytes. */
size_t html_tag_read(const char *html, size_t len, size_t i, html_tag *t);

/* Whether the name (of a tag or an attribute) is want, in any case. */
bool html_name_is(const char *name, size_t n, const char *want);

/* The raw value of attribute name ("" for a bare one), or NULL. */
const html_attr *html_tag_attr(const html_tag *t, const char *name);

/* The first "<!--" in s[0..n), or NULL: found a '<' at a time, which text
 * that is not HTML seldom has (faster there than memmem). */
const char *html_find_comment(const char *s, size_t n);

#endif
