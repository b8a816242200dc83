/* content_twig.c - Twig in page content (process.twig), between the
 * Markdown renderer and the template engine: the tags are given to the
 * engine as the author wrote them, and its messages are moved from the
 * rendered HTML back to the page file. */
#include "content/content_twig.h"

#include <stdlib.h>
#include <string.h>

/* Where the Twig tag "{{ ... }}" or "{% ... %}" that starts at s ends
 * (after its closing pair), or NULL when it is not closed. */
static const char *twig_tag_end(const char *s, const char *end)
{
    const char *close = s[1] == '{' ? "}}" : "%}";
    const char *c = memmem(s + 2, (size_t)(end - s - 2), close, 2);
    return c ? c + 2 : NULL;
}

static const char *next_twig_tag(const char *p, const char *end)
{
    for (; (p = memchr(p, '{', (size_t)(end - p))) && p + 1 < end; p++)
        if (p[1] == '{' || p[1] == '%') return p;
    return NULL;
}

/* The HTML of rendered Markdown with its Twig tags as the author wrote
 * them: the renderer escaped & < > " inside them like any text, which
 * would turn {{ "a" }} and {% if a > b %} into Twig syntax errors. */
static void unescape_twig_tags(const char *html, size_t len, buf *out)
{
    static const struct { const char *ent; char c; } escapes[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
    const char *p = html, *end = html + len, *tag;
    while ((tag = next_twig_tag(p, end))) {
        const char *tag_end = twig_tag_end(tag, end);
        if (!tag_end) break;
        buf_add(out, p, (size_t)(tag - p));
        for (const char *q = tag; q < tag_end; q++) {
            bool replaced = false;
            for (size_t k = 0; *q == '&' && !replaced && k < sizeof escapes / sizeof escapes[0]; k++) {
                size_t el = strlen(escapes[k].ent);
                if ((size_t)(tag_end - q) >= el && !memcmp(q, escapes[k].ent, el)) {
                    buf_putc(out, escapes[k].c);
                    q += el - 1;
                    replaced = true;
                }
            }
            if (!replaced) buf_putc(out, *q);
        }
        p = tag_end;
    }
    buf_add(out, p, (size_t)(end - p));
}

/* A Twig message points into the rendered HTML; the editor needs the
 * place in the page file. The tag at (line, col) of html is looked up in
 * the Markdown, where it stands as written; when it cannot be found, the
 * message points at the start of the content. */
static void place_in_source(const char *html, size_t len, const char *body, size_t body_len, int body_line,
                            int *line, int *col)
{
    const char *end = html + len, *p = html;
    for (int l = 1; l < *line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    /* the column counts characters, not bytes */
    const char *at = p;
    for (int c = 1; c < *col && at < end; at++)
        if (((unsigned char)at[1] & 0xC0) != 0x80) c++;
    const char *tag = NULL;
    for (const char *q = html; (q = next_twig_tag(q, end)) && q <= at; q++) {
        const char *e = twig_tag_end(q, end);
        if (e && at < e) tag = q;
    }
    *line = body_line;
    *col = 1;
    if (!tag) return;
    const char *tag_end = twig_tag_end(tag, end);
    const char *hit = memmem(body, body_len, tag, (size_t)(tag_end - tag));
    if (!hit) return;
    const char *line_start = body;
    int l = body_line;
    for (const char *q = body; q < hit; q++)
        if (*q == '\n') l++, line_start = q + 1;
    int c = 1;
    for (const char *q = line_start; q < hit; q++)
        if (((unsigned char)*q & 0xC0) != 0x80) c++;
    /* plus how far into the tag the message points */
    for (const char *q = tag; q < at && q < tag_end; q++)
        if (((unsigned char)*q & 0xC0) != 0x80) c++;
    *line = l;
    *col = c;
}

int content_twig_run(content_twig_fn process_twig, void *user, const page_version *pv, const page_source *src,
                     bool was_markdown, const buf *html, buf *out, diag_list *d)
{
    const char *body = src->text + src->body_off;
    size_t body_len = src->len - src->body_off;
    buf text = BUF_INIT;
    if (was_markdown) unescape_twig_tags(html->s ? html->s : "", html->len, &text);
    else buf_add(&text, html->s ? html->s : "", html->len);
    diag_list local;
    diag_init(&local);
    int rc = process_twig(user, pv, buf_cstr(&text), text.len, out, &local);
    for (size_t i = 0; i < local.len; i++) {
        diag *x = &local.items[i];
        int line = x->line, col = x->col;
        if (!strcmp(x->path, pv->file) && line > 0) {
            if (was_markdown) place_in_source(buf_cstr(&text), text.len, body, body_len, src->body_line, &line, &col);
            else line += src->body_line - 1;
        }
        diag_add(d, x->level, x->path, line, col, "%s", x->msg);
    }
    diag_free(&local);
    buf_free(&text);
    return rc;
}
