/* check_header.c - a page's front matter: known keys with the wrong kind
 * of value, unknown keys that look like a misspelt known key, and
 * scheduled publishing (reported as information).
 *
 * Grav reads front matter through PHP casts, so `published: yes please`
 * silently publishes; folio says so instead. Unknown keys are normal
 * (themes and plugins read their own), so only near misses of known keys
 * are reported. */
#include "check/internal.h"
#include "content/content.h"
#include "lib/date.h"
#include "theme/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_keys[] = {
    "title", "menu", "slug", "published", "date", "publish_date", "unpublish_date", "visible", "routable",
    "template", "content", "hide_from_post_list", "continue_link", "header_image", "hide_page_title",
    "show_sidebar", "media_order", "routes", "redirect", "process", "dateformat", "taxonomy", "metadata",
    "cache_enable", "expires", "external_url", "body_classes", "order_by", "order_dir", "order_manual",
    "debugger", "twig_first", "never_cache_twig", "login", "access", "permissions", "lightbox", "summary",
    "language", "hide_git_sync_repo_link", "sitemap", "feed", "author", "description", "keywords",
    "http_response_code", "etag", "last_modified", "append_url_extension", "markdown", "child_type", "admin",
    "form", "modular_content", "menu_order", "hide_next_prev_page_buttons", "header_image_file", "image",
    "images", "subtitle", "tags", "category", NULL};

static const char *const bool_keys[] = {
    "published", "visible", "routable", "hide_page_title", "show_sidebar", "hide_from_post_list",
    "continue_link", "hide_git_sync_repo_link", "cache_enable", "debugger", "twig_first", "never_cache_twig",
    "append_url_extension", "etag", "last_modified", NULL};

static const char *const text_keys[] = {"title", "menu", "slug", "template", "media_order", "dateformat",
                                        "redirect", NULL};

static const char *const map_keys[] = {"taxonomy", "content", "routes", "process", "metadata", NULL};

static bool in_list(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (!strcmp(*list, key)) return true;
    return false;
}

/* The known key `key` is probably a misspelling of, or NULL. Short keys
 * get less slack: "data" is a fine key of its own, not a typo of "date". */
static const char *near_known_key(const char *key)
{
    size_t n = strlen(key);
    int limit = n >= 5 ? 2 : 0;
    if (!limit) return NULL;
    const char *best = NULL;
    int best_d = limit + 1;
    for (const char *const *k = known_keys; *k; k++) {
        int dist = spell_distance(key, *k, limit);
        if (dist < best_d) best_d = dist, best = *k;
    }
    return best_d <= limit ? best : NULL;
}

static const char *kind_name(const value *v)
{
    switch (v->kind) {
    case V_NULL: return "empty";
    case V_BOOL: return "a boolean";
    case V_INT: return "a number";
    case V_FLOAT: return "a number";
    case V_STRING: return "text";
    case V_LIST: return "a list";
    case V_MAP: return "a map";
    default: return "an object";
    }
}

static void check_bool(check_run *r, const char *path, const page_source *src, const char *key,
                       const char *shown, const value *v)
{
    if (v->kind == V_BOOL || v->kind == V_NULL) return;
    int line = frontmatter_key_line(src, key);
    if (v->kind == V_STRING && (!strcasecmp(v->u.str.s, "true") || !strcasecmp(v->u.str.s, "false"))) {
        diag_add(r->d, DIAG_WARNING, path, line, 1, "%s is the text '%s', not a boolean: write %s without quotes",
                 shown, v->u.str.s, v->u.str.s);
        return;
    }
    if (v->kind == V_INT && (v->u.i == 0 || v->u.i == 1)) {
        diag_add(r->d, DIAG_WARNING, path, line, 1, "%s is the number %lld, not a boolean: write %s", shown,
                 v->u.i, v->u.i ? "true" : "false");
        return;
    }
    /* such a page is not published (site.c), whatever the editor meant */
    bool hides = !strcmp(key, "published") && (v->kind != V_STRING || !site_word_says_yes(v->u.str.s));
    const char *hidden = hides ? ": the page is not published until it says true or false" : "";
    if (v->kind == V_STRING)
        diag_add(r->d, DIAG_ERROR, path, line, 1, "%s '%s' is not a boolean: write true or false%s", shown,
                 v->u.str.s, hidden);
    else
        diag_add(r->d, DIAG_ERROR, path, line, 1, "%s is %s, not a boolean: write true or false%s", shown,
                 kind_name(v), hidden);
}

/* v, set in the header, when usable is false: fmt said of it at the line
 * of line_key, the value on one line as every finding is. */
static void report_unusable(check_run *r, const char *path, const page_source *src, arena *a, diag_level level,
                            const char *line_key, const value *v, bool usable, const char *fmt)
{
    if (!v || v->kind == V_NULL || usable) return;
    buf shown = BUF_INIT;
    if (v->kind == V_STRING)
        for (const char *p = v->u.str.s; *p; p++)
            if (*p == '\n') buf_puts(&shown, "\\n");
            else buf_putc(&shown, (unsigned char)*p < 0x20 ? ' ' : *p);
    else buf_puts(&shown, v->kind == V_LIST || v->kind == V_MAP ? "(not text)" : value_to_cstr(a, v));
    diag_add(r->d, level, path, frontmatter_key_line(src, line_key), 1, fmt, buf_cstr(&shown));
    buf_free(&shown);
}

/* "title: Приказ #12 о приёме": YAML reads " #" as the start of a
 * comment, and the title is "Приказ". Said for a text key written
 * without quotes on its line. */
static void check_comment_cut(check_run *r, const char *path, const page_source *src, const char *key,
                              const value *v)
{
    int line = frontmatter_key_line(src, key), n = 1;
    const char *p = src->text, *end = src->text + src->body_off;
    while (n < line && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return;
        p = nl + 1, n++;
    }
    const char *e = memchr(p, '\n', (size_t)(end - p));
    if (!e) e = end;
    size_t kl = strlen(key);
    if ((size_t)(e - p) <= kl || strncmp(p, key, kl) || p[kl] != ':') return;
    const char *val = p + kl + 1;
    while (val < e && (*val == ' ' || *val == '\t')) val++;
    if (val >= e || *val == '\'' || *val == '"' || *val == '|' || *val == '>') return;
    for (const char *h = val + 1; h < e; h++)
        if (*h == '#' && (h[-1] == ' ' || h[-1] == '\t')) {
            const char *shown = v->kind == V_STRING ? v->u.str.s : "";
            int col = 1;
            for (const char *c = p; c < h; c++) col += ((unsigned char)*c & 0xC0) != 0x80;
            char q = memchr(val, '\'', (size_t)(e - val)) ? '"' : '\'';
            diag_add(r->d, DIAG_WARNING, path, line, col,
                     "YAML reads ' #' as the start of a comment: %s is '%s', without '%.*s'; put the whole %s in "
                     "quotes: %s: %c%.*s%c",
                     key, shown, (int)(e - h > 60 ? 60 : e - h), h, key, key, q, (int)(e - val), val, q);
            return;
        }
}

void check_header_keys(check_run *r, const char *path, const page_source *src, arena *a)
{
    const value *h = src->header;
    if (!h || h->kind != V_MAP) return;
    for (size_t i = 0; i < h->u.map.len; i++) {
        const char *key = h->u.map.items[i].key;
        const value *v = h->u.map.items[i].val;
        if (in_list(bool_keys, key)) {
            check_bool(r, path, src, key, key, v);
        } else if (in_list(text_keys, key)) {
            if (v->kind == V_LIST || v->kind == V_MAP)
                diag_add(r->d, DIAG_ERROR, path, frontmatter_key_line(src, key), 1, "%s is %s, not text", key,
                         kind_name(v));
            else
                check_comment_cut(r, path, src, key, v);
        } else if (in_list(map_keys, key)) {
            if (v->kind != V_MAP && v->kind != V_NULL)
                diag_add(r->d, DIAG_ERROR, path, frontmatter_key_line(src, key), 1,
                         "%s is %s; it must be a map of keys (indented lines below it)", key, kind_name(v));
            else if (!strcmp(key, "process") && v->kind == V_MAP) {
                const value *m = map_get(v, "markdown"), *t = map_get(v, "twig");
                if (m) check_bool(r, path, src, key, "process.markdown", m);
                if (t) check_bool(r, path, src, key, "process.twig", t);
            } else if (!strcmp(key, "taxonomy") && v->kind == V_MAP) {
                for (size_t k = 0; k < v->u.map.len; k++) {
                    const value *x = v->u.map.items[k].val;
                    if (x->kind == V_MAP || x->kind == V_OBJECT)
                        diag_add(r->d, DIAG_WARNING, path, frontmatter_key_line(src, key), 1,
                                 "taxonomy.%s is %s; it should be a list of names", v->u.map.items[k].key,
                                 kind_name(x));
                }
            } else if (!strcmp(key, "routes") && v->kind == V_MAP) {
                const value *al = map_get(v, "aliases");
                if (al && al->kind != V_LIST && al->kind != V_NULL)
                    diag_add(r->d, DIAG_ERROR, path, frontmatter_key_line(src, key), 1,
                             "routes.aliases is %s, not a list", kind_name(al));
            }
        } else if (!in_list(known_keys, key)) {
            const char *near = near_known_key(key);
            if (near)
                diag_add(r->d, DIAG_WARNING, path, frontmatter_key_line(src, key), 1,
                         "unknown key '%s': did you mean '%s'?", key, near);
        }
    }
    /* Addresses the header gives its page that cannot be one, each as
     * site.c reads it: routes.default (the page keeps its folders' route),
     * external_url (its links lead to itself), redirect (it is shown). */
    int status;
    report_unusable(r, path, src, a, DIAG_WARNING, "routes", value_path(h, "routes.default"),
                    site_custom_route(a, h) != NULL,
                    "routes.default '%s' is not a route (one like '/about-us': a '/', then names without spaces or "
                    "'?#%%'): the page keeps the address of its folders");
    report_unusable(r, path, src, a, DIAG_WARNING, "external_url", map_get(h, "external_url"),
                    site_external_url(a, h) != NULL,
                    "external_url '%s' is not an address (it starts with https://, http:// or /): the page's links "
                    "lead to the page itself");
    report_unusable(r, path, src, a, DIAG_ERROR, "redirect", map_get(h, "redirect"),
                    site_redirect(a, h, &status) != NULL,
                    "redirect '%s' is not an address (a path of the site or https://..., without spaces or line "
                    "breaks): the page is shown instead");
}

void check_header(check_run *r, const page_version *pv, const page_source *src, arena *a)
{
    const value *h = src->header;
    if (!h || h->kind != V_MAP) return;
    check_header_keys(r, pv->file, src, a);
    /* A template the theme lacks: Grav (and folio) show the page with
     * 'default' (folio a page of sections with 'modular'), not the layout
     * the author asked for. */
    const char *tname = pv->template_name ? pv->template_name : "default";
    if (pv->page->is_module) {
        /* Grav shows a section through templates/modular/<name>.html.twig;
         * without a folio one it is shown as plain content. */
        char modular[300];
        snprintf(modular, sizeof modular, "modular/%s", tname);
        if (!theme_has_page_template(r->s->user_dir, modular))
            diag_add(r->d, DIAG_NOTE, pv->file, 1, 1,
                     "section shown as plain content: add themes/folio/templates/%s.html.twig to lay it out", modular);
    }
    const char *shown = site_shown_template(r->s, pv);
    if (!pv->page->is_module && strcmp(shown, tname)) {
        bool is_explicit = map_get(h, "template") != NULL;
        /* "Item.ru.md", "ITEM.ru.md": the file's name in other letters
         * than the theme's template (the post lost its date and its
         * neighbours) */
        char lower[64];
        size_t n = strlen(tname);
        for (size_t i = 0; i < n && i < sizeof lower - 1; i++)
            lower[i] = (char)((tname[i] >= 'A' && tname[i] <= 'Z') ? tname[i] - 'A' + 'a' : tname[i]);
        lower[n < sizeof lower - 1 ? n : sizeof lower - 1] = 0;
        if (!is_explicit && n < sizeof lower && strcmp(lower, tname) &&
            !strcmp(theme_page_template(r->s->user_dir, lower, pv->is_modular), lower)) {
            const char *base = strrchr(pv->file, '/');
            base = base ? base + 1 : pv->file;
            diag_add(r->d, DIAG_WARNING, pv->file, 1, 1,
                     "the file's name '%s' asks for template '%s', which the theme has as '%s' (names are read letter "
                     "for letter): rename the file '%s%s'; until then the page is shown with '%s'",
                     base, tname, lower, lower, base + n, shown);
        } else {
            diag_add(r->d, is_explicit ? DIAG_WARNING : DIAG_NOTE, pv->file,
                     is_explicit ? frontmatter_key_line(src, "template") : 1, 1,
                     "template '%s' (%s) is not in the theme: the page is shown with '%s'", tname,
                     is_explicit ? "set by 'template:'" : "from the file's name", shown);
        }
    }
    /* "title:" left empty: Grav and folio show the folder's name. */
    const value *title = map_get(h, "title");
    if (title && !pv->page->is_module &&
        (title->kind == V_NULL || (title->kind == V_STRING && (!title->u.str.s[0] || !strcmp(title->u.str.s, "0")))))
        diag_add(r->d, DIAG_WARNING, pv->file, frontmatter_key_line(src, "title"), 1,
                 "the title is empty: the page is shown as '%s'", pv->title);
    /* A slug is used as written: a space or a character URLs reserve makes
     * an address people cannot type or share. */
    const char *slug = value_path_str(h, "slug", NULL);
    if (slug && slug[strcspn(slug, " \t?#%&\"'<>\\")]) {
        buf better = BUF_INIT;
        for (const char *p = slug; *p; p++) {
            if (*p == ' ' || *p == '\t') {
                if (better.len && better.s[better.len - 1] != '-') buf_putc(&better, '-');
            } else if (!strchr("?#%&\"'<>\\", *p)) {
                buf_putc(&better, *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
            }
        }
        diag_add(r->d, DIAG_WARNING, pv->file, frontmatter_key_line(src, "slug"), 1,
                 "slug '%s' has a space or a character addresses reserve: write it like '%s'", slug, buf_cstr(&better));
        buf_free(&better);
    }
    /* A folder named "Конференция 2023" or "conference " (a space at the
     * end, from a copy): the page's address has it, as in Grav. Said
     * once a page, at its first version, when no slug renames it. */
    const char *folder = pv->page->folder_slug;
    const page_version *first_version = NULL;
    for (int l = 0; l < r->s->nlangs && !first_version; l++) first_version = pv->page->v[l];
    if (!slug && first_version == pv && folder && pv->page->parent && folder[strcspn(folder, " \t?#%&\"'<>\\")]) {
        buf better = BUF_INIT;
        for (const char *p = folder; *p; p++) {
            if (*p == ' ' || *p == '\t') {
                if (better.len && better.s[better.len - 1] != '-') buf_putc(&better, '-');
            } else if (!strchr("?#%&\"'<>\\", *p)) {
                buf_putc(&better, *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
            }
        }
        while (better.len && better.s[better.len - 1] == '-') buf_truncate(&better, better.len - 1);
        diag_add(r->d, DIAG_WARNING, pv->file, 1, 1,
                 "the folder's name '%s' has a space or a character addresses reserve, and the page's address has "
                 "it too ('%s'): rename the folder '%.*s%s', or give the page 'slug: %s'",
                 pv->page->folder, pv->url, (int)(folder - pv->page->folder), pv->page->folder, buf_cstr(&better),
                 buf_cstr(&better));
        buf_free(&better);
    }
    /* A redirect to this site's own page that is not there (one that is
     * no address is check_header_keys'). */
    const char *target = pv->redirect;
    if (target && target[0] == '/' && target[1] != '/' && pv->published) {
        size_t n = strcspn(target, "?#");
        const char *url = content_resolve_link(r->s, pv, arena_strndup(a, target, n), a);
        bool found = url && (strmap_get(&r->by_url, url) || strmap_get(&r->media_url, url));
        if (!found)
            diag_add(r->d, DIAG_ERROR, pv->file, frontmatter_key_line(src, "redirect"), 1,
                     "redirect to '%s': no such page is published", target);
    }
    /* 01/09/2023: with slashes PHP (and so Grav, and folio) reads the
     * month first, as in the United States; in Kazakhstan and Russia the
     * day comes first. Said when both readings are dates and differ. */
    static const char *const date_keys[] = {"date", "publish_date", "unpublish_date"};
    const long long dates[] = {pv->date, pv->publish_date, pv->unpublish_date};
    for (size_t k = 0; k < sizeof date_keys / sizeof date_keys[0]; k++) {
        const char *text = value_path_str(h, date_keys[k], NULL);
        int first, second;
        char sep1, sep2;
        if (!text || !dates[k] || !strchr(text, '/') || sscanf(text, " %2d%c%2d%c", &first, &sep1, &second, &sep2) != 4 || sep1 != '/' ||
            sep2 != '/' || first > 12 || second > 12 || first == second)
            continue;
        buf read = BUF_INIT, fixed = BUF_INIT;
        date_format(&read, "j F Y", dates[k], "en");
        if (atoi(buf_cstr(&read)) == second) { /* read month first */
            const char *rest = strchr(strchr(text, '/') + 1, '/') + 1;
            buf_printf(&fixed, "%02d-%02d-%s", first, second, rest);
            long long other;
            buf other_text = BUF_INIT;
            if (date_parse(buf_cstr(&fixed), NULL, &other, NULL) == 0) date_format(&other_text, "j F Y", other, "en");
            diag_add(r->d, DIAG_WARNING, pv->file, frontmatter_key_line(src, date_keys[k]), 1,
                     "%s '%s' is read as %s (with slashes the month comes first): if %s is meant, write '%s'",
                     date_keys[k], text, buf_cstr(&read), other_text.len ? buf_cstr(&other_text) : "the other",
                     buf_cstr(&fixed));
            buf_free(&other_text);
        }
        buf_free(&read);
        buf_free(&fixed);
    }
    /* Scheduled posts: information on when they will appear. */
    if (pv->publish_date > r->s->now && !pv->has_error && value_path_bool(h, "published", true)) {
        buf when = BUF_INIT;
        date_format(&when, "d-m-Y H:i T", pv->publish_date, NULL);
        diag_add(r->d, DIAG_NOTE, pv->file, frontmatter_key_line(src, "publish_date"), 1,
                 "scheduled: appears at %s (%s)", buf_cstr(&when), r->s->langs[pv->lang]);
        buf_free(&when);
    }
}
