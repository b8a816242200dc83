/* collection.c - Grav's collections: the pages a header's content.items
 * gathers (its children, its modular sections, another page's children,
 * a taxonomy), filtered, ordered as content.order says (or its parent's
 * order_by, or system.yaml's pages.order), limited or paginated; and the
 * previous and next post of each page of a list of its own children. */
#include "content/collection.h"
#include "lib/spell.h"
#include "lib/yaml.h"

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct sort_spec {
    enum { BY_DEFAULT, BY_DATE, BY_TITLE, BY_FOLDER, BY_HEADER } by;
    int dir;            /* 1 asc, -1 desc */
    const char *header; /* BY_HEADER: the key under header ("header.priority": "priority") */
} sort_spec;

static _Thread_local sort_spec current_sort;

/* Grav's default order is by the page's path: its own folder among its
 * siblings, and a whole tree (@self.descendants) in the order of the tree,
 * each page before the pages under it. */
static int default_cmp(const page_version *a, const page_version *b)
{
    return strverscmp(a->page->rel, b->page->rel);
}

/* order.by: header.priority: numbers by value, else text; a page without
 * the key first. */
static int header_cmp(const page_version *a, const page_version *b, const char *key)
{
    const value *x = value_path(a->header, key), *y = value_path(b->header, key);
    if (!x || !y) return !x - !y ? (x ? 1 : -1) : 0;
    bool xn = x->kind == V_INT || x->kind == V_FLOAT, yn = y->kind == V_INT || y->kind == V_FLOAT;
    if (xn && yn) {
        double dx = x->kind == V_INT ? (double)x->u.i : x->u.f, dy = y->kind == V_INT ? (double)y->u.i : y->u.f;
        return dx < dy ? -1 : dx > dy;
    }
    const char *sx = x->kind == V_STRING ? x->u.str.s : "", *sy = y->kind == V_STRING ? y->u.str.s : "";
    return strverscmp(sx, sy);
}

/* Grav orders titles naturally and without regard to case (sort flags
 * SORT_NATURAL | SORT_FLAG_CASE, or a collator): "apple, Banana, Item 2,
 * Item 10". Titles compared by their first 255 bytes. */
static int title_cmp(const char *x, const char *y)
{
    char fx[256], fy[256], cx[256], cy[256];
    snprintf(cx, sizeof cx, "%s", x);
    snprintf(cy, sizeof cy, "%s", y);
    spell_fold(cx, fx);
    spell_fold(cy, fy);
    int c = strverscmp(fx, fy);
    return c ? c : strcmp(x, y);
}

static int item_cmp(const void *pa, const void *pb)
{
    const page_version *a = *(page_version *const *)pa, *b = *(page_version *const *)pb;
    int c = 0;
    switch (current_sort.by) {
    case BY_DATE: c = a->date < b->date ? -1 : a->date > b->date; break;
    case BY_TITLE: c = title_cmp(a->title, b->title); break;
    case BY_HEADER: c = header_cmp(a, b, current_sort.header); break;
    case BY_FOLDER: /* Grav's code compares folder(), the prefix and all: the default order */
    case BY_DEFAULT: c = default_cmp(a, b); break;
    }
    if (c == 0 && current_sort.by != BY_DEFAULT) c = default_cmp(a, b);
    return c;
}

/* The pages a collection gathers, before ordering. */
typedef struct gathered {
    page_version **v;
    size_t n, cap;
} gathered;

static bool may_list(const page_version *c)
{
    return c && c->published && c->routable && !site_header_bool(c->header, "hide_from_post_list", false);
}

static void push(gathered *g, page_version *c)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->v = xrealloc(g->v, g->cap * sizeof *g->v);
    }
    g->v[g->n++] = c;
}

static void gather(gathered *g, page_version *c)
{
    if (may_list(c)) push(g, c);
}

static void gather_children(gathered *g, const page *pg, int lang, bool deep)
{
    for (size_t i = 0; i < pg->nchildren; i++) {
        gather(g, pg->children[i]->v[lang]); /* sections are not routable: never gathered */
        if (deep) gather_children(g, pg->children[i], lang, true);
    }
}

static void gather_modules(gathered *g, const page *pg, int lang)
{
    for (size_t i = 0; i < pg->nchildren; i++) {
        page_version *c = pg->children[i]->v[lang];
        if (pg->children[i]->is_module && c && c->published && !c->has_error) push(g, c);
    }
}

/* A page's taxonomy has name: value, or name: [values]. */
bool site_has_term(const page_version *pv, const char *name, const char *term)
{
    const value *terms = value_path(pv->header, "taxonomy");
    const value *have = terms && terms->kind == V_MAP ? map_get(terms, name) : NULL;
    if (!have) return false;
    const value *const *hv = have->kind == V_LIST ? (const value *const *)have->u.list.items : &have;
    size_t hn = have->kind == V_LIST ? have->u.list.len : 1;
    /* Grav keys its taxonomy by the values as strings: "tag: [2023]" is
     * the term "2023" */
    char num[32];
    for (size_t i = 0; i < hn; i++) {
        const char *have_term = hv[i]->kind == V_STRING ? hv[i]->u.str.s : NULL;
        if (hv[i]->kind == V_INT) snprintf(num, sizeof num, "%lld", hv[i]->u.i), have_term = num;
        if (have_term && !strcmp(have_term, term)) return true;
    }
    return false;
}

/* Whether c has every term of want (a term or a list of them) of the
 * taxonomy name: Grav's findTaxonomy ands them. */
static bool has_terms(const page_version *c, const char *name, const value *want)
{
    const value *const *wv = want->kind == V_LIST ? (const value *const *)want->u.list.items : &want;
    size_t wn = want->kind == V_LIST ? want->u.list.len : 1;
    char num[32];
    for (size_t k = 0; k < wn; k++) {
        const char *term = wv[k]->kind == V_STRING ? wv[k]->u.str.s : NULL;
        if (wv[k]->kind == V_INT) snprintf(num, sizeof num, "%lld", wv[k]->u.i), term = num;
        if (!term || !site_has_term(c, name, term)) return false;
    }
    return wn > 0;
}

/* The pages with every term asked for, of one taxonomy ("@taxonomy.tag":
 * [a, b]) or of several ("@taxonomy": {category: news, tag: a}). */
static void gather_taxonomy(site *s, gathered *g, int lang, const value *types, const char *name, const value *want)
{
    for (size_t i = 0; i < s->npages; i++) {
        page_version *c = s->pages[i]->v[lang];
        bool all = c != NULL;
        if (types)
            for (size_t t = 0; all && t < types->u.map.len; t++)
                all = has_terms(c, types->u.map.items[t].key, types->u.map.items[t].val);
        else
            all = all && has_terms(c, name, want);
        if (all) gather(g, c);
    }
}

/* One source of a collection, Grav's way of writing it: "@self.children",
 * {"@page.children": "/news"}, {"@taxonomy.category": "news"}, ... false
 * when folio does not know it. *is_own_children says it was this page's
 * own children. */
static bool gather_source(site *s, page_version *pv, const char *key, const value *arg, gathered *g,
                          bool *is_own_children)
{
    const char *str = arg && arg->kind == V_STRING ? arg->u.str.s : NULL;
    int l = pv->lang;
    if (!strcmp(key, "@self.children") || (!strcmp(key, "@self") && str && !strcmp(str, "children"))) {
        gather_children(g, pv->page, l, false);
        *is_own_children = true;
        return true;
    }
    if (!strcmp(key, "@self.modular") || (!strcmp(key, "@self") && str && !strcmp(str, "modular"))) {
        gather_modules(g, pv->page, l);
        pv->is_modular = true;
        return true;
    }
    if (!strcmp(key, "@self.descendants") || (!strcmp(key, "@self") && str && !strcmp(str, "descendants"))) {
        gather_children(g, pv->page, l, true);
        return true;
    }
    if (!strcmp(key, "@root") || !strcmp(key, "@root.children")) {
        gather_children(g, s->root, l, false);
        return true;
    }
    bool deep = !strcmp(key, "@page.descendants");
    if (deep || !strcmp(key, "@page") || !strcmp(key, "@page.children")) {
        const page_version *target = str ? site_find_route(s, l, str) : NULL;
        if (target) gather_children(g, target->page, l, deep);
        return str != NULL; /* a route that is not a page gives an empty list, as in Grav */
    }
    if (!strncmp(key, "@taxonomy.", 10) && key[10] && arg &&
        (arg->kind == V_STRING || arg->kind == V_LIST || arg->kind == V_INT)) {
        gather_taxonomy(s, g, l, NULL, key + 10, arg);
        return true;
    }
    if (!strcmp(key, "@taxonomy") && arg && arg->kind == V_MAP) {
        gather_taxonomy(s, g, l, arg, NULL, NULL);
        return true;
    }
    return false;
}

/* Grav's order.custom: the folders it names first, in its order (by
 * folder name, with or without the order prefix), the others after them
 * as they were. */
static void order_custom(page_version *pv, const value *custom)
{
    if (!custom || custom->kind != V_LIST || pv->nitems < 2) return;
    page_version **sorted = xmalloc(pv->nitems * sizeof *sorted);
    bool *taken = xcalloc(pv->nitems, sizeof *taken);
    size_t n = 0;
    for (size_t k = 0; k < custom->u.list.len; k++) {
        const value *want = custom->u.list.items[k];
        if (want->kind != V_STRING) continue;
        for (size_t i = 0; i < pv->nitems; i++) {
            const page *pg = pv->items[i]->page;
            if (!taken[i] && (!strcmp(pg->folder, want->u.str.s) || !strcmp(pg->folder_slug, want->u.str.s))) {
                taken[i] = true;
                sorted[n++] = pv->items[i];
            }
        }
    }
    for (size_t i = 0; i < pv->nitems; i++)
        if (!taken[i]) sorted[n++] = pv->items[i];
    memcpy(pv->items, sorted, pv->nitems * sizeof *sorted);
    free(sorted);
    free(taken);
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (page_version *const *)a, y = (uintptr_t) * (page_version *const *)b;
    return x < y ? -1 : x > y;
}

/* Grav's content.filter: visible, routable, modular (true or false), type
 * (one template) and types (a list). Pages not published or not routable
 * are never listed, having no address. */
static bool passes_filter(const page_version *c, const value *filter)
{
    for (size_t i = 0; i < filter->u.map.len; i++) {
        const char *k = filter->u.map.items[i].key;
        const value *v = filter->u.map.items[i].val;
        const char *tmpl = c->template_name ? c->template_name : "default";
        if (!strcmp(k, "visible") && c->visible != value_truthy(v)) return false;
        if (!strcmp(k, "routable") && !value_truthy(v)) return false;
        if (!strcmp(k, "modular") && c->page->is_module != value_truthy(v)) return false;
        if (!strcmp(k, "type") && v->kind == V_STRING && strcmp(tmpl, v->u.str.s)) return false;
        if (!strcmp(k, "types") && (v->kind == V_LIST || v->kind == V_STRING)) {
            bool any = v->kind == V_STRING && !strcmp(tmpl, v->u.str.s);
            for (size_t t = 0; v->kind == V_LIST && t < v->u.list.len && !any; t++)
                any = v->u.list.items[t]->kind == V_STRING && !strcmp(tmpl, v->u.list.items[t]->u.str.s);
            if (!any) return false;
        }
    }
    return true;
}

/* Grav's items: one source ("@self.children"), a map of sources to their
 * arguments, or a list of either (nested no deeper than Grav's own sites
 * write them). Adds the sources to *n; false when one is not known, named
 * in *unknown. */
static bool gather_items(site *s, page_version *pv, const value *items, gathered *g, bool *own, size_t *n,
                         const char **unknown, int depth)
{
    if (items->kind == V_STRING) {
        (*n)++;
        if (gather_source(s, pv, items->u.str.s, NULL, g, own)) return true;
        *unknown = items->u.str.s;
        return false;
    }
    bool known = true;
    if (items->kind == V_MAP) {
        for (size_t i = 0; i < items->u.map.len; i++, (*n)++)
            if (!gather_source(s, pv, items->u.map.items[i].key, items->u.map.items[i].val, g, own)) {
                known = false;
                *unknown = items->u.map.items[i].key;
            }
        const value *tax = map_get(items, "@taxonomy");
        if (tax && tax->kind == V_MAP) *n += tax->u.map.len;
        return known;
    }
    if (items->kind == V_LIST && depth < 4) {
        for (size_t i = 0; i < items->u.list.len; i++)
            known &= gather_items(s, pv, items->u.list.items[i], g, own, n, unknown, depth + 1);
        return known;
    }
    *unknown = NULL;
    return false;
}

static void report_unknown_items(const page_version *pv, const char *unknown, diag_list *d)
{
    size_t len;
    bool owned;
    char *text = site_source(pv, &len, NULL, &owned);
    int line = text ? yaml_key_line(text, "items") : 1;
    if (owned) free(text);
    if (unknown && (!strcmp(unknown, "@page.children") || !strcmp(unknown, "@page.descendants") ||
                    !strcmp(unknown, "@page")))
        diag_add(d, DIAG_WARNING, pv->file, line, 1,
                 "content.items: '%s' needs the route of the page whose children it lists "
                 "({'%s': '/news'}): the list is empty",
                 unknown, unknown);
    else
        diag_add(d, DIAG_WARNING, pv->file, line, 1,
                 "content.items: %s%s%sis not a collection folio knows ('@self.children', '@self.modular', "
                 "'@self.descendants', '@page.children', '@page.descendants', '@root.children' or '@taxonomy'); "
                 "it is left out",
                 unknown ? "'" : "", unknown ? unknown : "this", unknown ? "' " : " ");
}

void collection_build(site *s, page_version *pv, arena *a, diag_list *d)
{
    value *content = map_get(pv->header, "content");
    if (!content || content->kind != V_MAP) return;
    value *items = map_get(content, "items");
    if (!items) return;
    gathered g = {0};
    bool is_own_children = false;
    size_t nsources = 0;
    const char *unknown = NULL;
    bool known = gather_items(s, pv, items, &g, &is_own_children, &nsources, &unknown, 0);
    if (nsources > 1 && g.n > 1) { /* a page two sources name is listed once */
        qsort(g.v, g.n, sizeof *g.v, by_address);
        size_t k = 0;
        for (size_t i = 0; i < g.n; i++)
            if (!k || g.v[k - 1] != g.v[i]) g.v[k++] = g.v[i];
        g.n = k;
    }
    const value *filter = map_get(content, "filter");
    if (filter && filter->kind == V_MAP) {
        size_t k = 0;
        for (size_t i = 0; i < g.n; i++)
            if (passes_filter(g.v[i], filter)) g.v[k++] = g.v[i];
        g.n = k;
    }
    if (!known) report_unknown_items(pv, unknown, d);
    if (pv->is_modular && !g.n && pv->published) {
        size_t len;
        bool owned;
        char *text = site_source(pv, &len, NULL, &owned);
        diag_add(d, DIAG_NOTE, pv->file, text ? yaml_key_line(text, "items") : 1, 1,
                 "content.items: '@self.modular' lists the sections of this folder (folders named '_hero', "
                 "'_text', ...), and it has none published in this language: the page shows only its own text");
        if (owned) free(text);
    }
    pv->items = arena_alloc(a, (g.n + 1) * sizeof *pv->items);
    pv->nitems = g.n;
    if (g.n) memcpy(pv->items, g.v, g.n * sizeof *g.v);
    free(g.v);
    sort_spec spec = {BY_DEFAULT, 1, NULL};
    /* Without content.order, Grav lists children in their parent's order:
     * its order_by and order_dir, else system.yaml's pages.order. */
    const char *by = value_path_str(content, "order.by", NULL);
    if (!by) by = value_path_str(pv->header, "order_by", NULL);
    if (!by) by = value_path_str(s->system, "pages.order.by", "default");
    if (!strcmp(by, "date")) spec.by = BY_DATE;
    else if (!strcmp(by, "title")) spec.by = BY_TITLE;
    else if (!strcmp(by, "folder")) spec.by = BY_FOLDER;
    else if (!strncmp(by, "header.", 7) && by[7]) spec.by = BY_HEADER, spec.header = by + 7;
    const char *dir = value_path_str(content, "order.dir", NULL);
    if (!dir) dir = value_path_str(pv->header, "order_dir", NULL);
    if (!dir) dir = value_path_str(s->system, "pages.order.dir", "asc");
    if (!strcasecmp(dir, "desc")) spec.dir = -1;
    /* As Grav does: ascending, the custom order's pages first, then the
     * whole reversed for desc (the custom ones end up last). */
    current_sort = spec;
    if (pv->nitems > 1) qsort(pv->items, pv->nitems, sizeof *pv->items, item_cmp);
    order_custom(pv, value_path(content, "order.custom"));
    if (spec.dir < 0)
        for (size_t i = 0, j = pv->nitems; i + 1 < j; i++, j--) {
            page_version *t = pv->items[i];
            pv->items[i] = pv->items[j - 1];
            pv->items[j - 1] = t;
        }
    if (pv->is_modular) return; /* sections: all of them, on the page itself */
    long long limit = value_path_int(content, "limit", 0);
    bool paginate = value_path_bool(content, "pagination", false);
    if (limit > 0 && paginate) pv->per_page = (size_t)limit;
    else if (limit > 0 && (size_t)limit < pv->nitems) pv->nitems = (size_t)limit;
    /* A post's previous and next are its neighbours among its own
     * parent's children; another page listing it must not change them. */
    if (is_own_children && nsources == 1) {
        for (size_t i = 0; i < pv->nitems; i++) {
            pv->items[i]->prev = i > 0 ? pv->items[i - 1] : NULL;
            pv->items[i]->next = i + 1 < pv->nitems ? pv->items[i + 1] : NULL;
        }
    }
}

size_t collection_subpages(const page_version *pv, const page_version **out)
{
    size_t n = 0;
    if (pv->is_modular) return 0;
    if (value_path(pv->header, "content.items")) {
        for (size_t i = 0; i < pv->nitems; i++) out[n++] = pv->items[i];
        return n;
    }
    const page *pg = pv->page;
    for (size_t i = 0; i < pg->nchildren; i++) {
        const page_version *c = pg->children[i]->v[pv->lang];
        if (!pg->children[i]->is_module && c && c->published && c->routable && c->visible && !c->has_error)
            out[n++] = c;
    }
    return n;
}
