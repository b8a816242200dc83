/* route.c - mapping request paths to snapshot entries.
 *
 * Keys in a snapshot are output paths without the leading '/', so "/ru/news/"
 * is looked up as "ru/news/index.html". Redirect entries may have been
 * registered with or without a trailing slash; both spellings find them. */
#include "serve/route.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/http.h"

#define MAX_LANGUAGES 16

static const resource *find(const snapshot *s, const char *key)
{
    return snapshot_find(s, key, strlen(key));
}

static bool is_language(const snapshot *s, const char *seg, size_t n)
{
    for (size_t i = 0; i < snapshot_language_count(s); i++) {
        const char *l = snapshot_language(s, i);
        if (strlen(l) == n && strncmp(l, seg, n) == 0) return true;
    }
    return false;
}

/* A decoded path written back into a URL: bytes outside the characters a
 * path may hold as they are (RFC 3986) are percent-encoded, so a Location
 * header stays ASCII. */
static void add_url_path(buf *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~!$&'()*+,;=:@", *p))
            buf_putc(b, (char)*p);
        else
            buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

/* The query as received, without the bytes that could break a header. */
static void add_query(buf *b, const char *query)
{
    for (const unsigned char *p = (const unsigned char *)query; *p; p++)
        if (*p > 0x20 && *p < 0x7f) buf_putc(b, (char)*p);
}

static void not_found(const snapshot *s, const char *path, route *out)
{
    char key[64];
    const char *seg = path + 1;
    size_t seg_len = strcspn(seg, "/");
    const resource *page = NULL;
    if (seg_len < 32 && is_language(s, seg, seg_len)) {
        snprintf(key, sizeof key, "%.*s/404.html", (int)seg_len, seg);
        page = find(s, key);
    }
    if (!page && snapshot_language_count(s)) {
        snprintf(key, sizeof key, "%s/404.html", snapshot_language(s, 0));
        page = find(s, key);
    }
    if (!page) page = find(s, "404.html");
    out->kind = ROUTE_NOT_FOUND;
    out->status = 404;
    out->resource = page && !page->redirect_status ? page : NULL;
}

static void redirect(route *out, unsigned status)
{
    out->kind = ROUTE_REDIRECT;
    out->status = status;
}

/* The root: the home page itself on a site without languages, and on one
 * whose default language has no prefix (include_default_lang: false, no
 * "kk/index.html"); else a redirect to the visitor's language. */
static void root(const snapshot *s, const char *query, const char *accept_language, route *out)
{
    size_t n = snapshot_language_count(s);
    char home[48];
    if (n) snprintf(home, sizeof home, "%s/index.html", snapshot_language(s, 0));
    if (n == 0 || !find(s, home)) {
        const resource *index = find(s, "index.html");
        if (!index) {
            not_found(s, "/", out);
        } else if (index->redirect_status) {
            redirect(out, (unsigned)index->redirect_status);
            buf_puts(&out->location, index->location);
        } else {
            out->kind = ROUTE_RESOURCE;
            out->status = 200;
            out->resource = index;
        }
        return;
    }
    const char *langs[MAX_LANGUAGES];
    if (n > MAX_LANGUAGES) n = MAX_LANGUAGES;
    for (size_t i = 0; i < n; i++) langs[i] = snapshot_language(s, i);
    size_t best = http_pick_language(accept_language, langs, n);
    redirect(out, 302);
    buf_printf(&out->location, "/%s/", langs[best]);
    add_query(&out->location, query ? query : ""); /* a campaign's ?utm_source=... */
    out->vary = "Accept-Language";
}

/* Grav's pagination and other parameters: "/ru/news/page:2" became
 * "/ru/news/page/2/". Fills out when the rewritten page exists. */
static bool legacy_param(const snapshot *s, const char *path, const char *query, route *out)
{
    size_t plen = strlen(path);
    if (plen > 1 && path[plen - 1] == '/' && memchr(path, ':', plen)) { /* "page:2/", as some links have it */
        char *trimmed = xstrndup(path, plen - 1);
        bool found = legacy_param(s, trimmed, query, out);
        free(trimmed);
        return found;
    }
    const char *last = strrchr(path, '/');
    const char *colon = last ? strchr(last, ':') : NULL;
    if (!colon || colon == last + 1 || !colon[1] || strchr(colon + 1, ':')) return false;
    buf key = BUF_INIT;
    buf_add(&key, path + 1, (size_t)(colon - path - 1));
    buf_putc(&key, '/');
    buf_puts(&key, colon + 1);
    buf_puts(&key, "/index.html");
    bool exists = find(s, key.s) != NULL;
    if (exists) {
        buf_truncate(&key, key.len - strlen("index.html"));
        redirect(out, 301);
        buf_putc(&out->location, '/');
        add_url_path(&out->location, key.s);
        add_query(&out->location, query ? query : "");
    }
    buf_free(&key);
    if (exists) return true;
    /* "page:1" is the list's first page, the list itself. A filter folio
     * does not build ("/ru/news/category:events"): the list itself, for
     * now (302: a filtered page may come). A page of a list that has no
     * such page ("page:9") stays a 404. */
    size_t name_len = (size_t)(colon - last - 1);
    bool is_page = name_len == 4 && !strncmp(last + 1, "page", 4);
    if (is_page && strcmp(colon + 1, "1")) return false;
    buf list = BUF_INIT;
    buf_add(&list, path + 1, (size_t)(last - path)); /* "ru/news/" */
    buf_puts(&list, "index.html");
    bool has_list = last > path && find(s, list.s) != NULL;
    if (has_list) {
        redirect(out, is_page ? 301 : 302);
        buf_truncate(&list, 0);
        buf_add(&list, path, (size_t)(last - path) + 1); /* "/ru/news/" */
        add_url_path(&out->location, buf_cstr(&list));
        add_query(&out->location, query ? query : "");
    }
    buf_free(&list);
    return has_list;
}

/* The entry for prefix (prefix_len bytes) followed by suffix; the key is
 * put together on the stack unless it is unusually long. */
static const resource *find_joined(const snapshot *s, const char *prefix, size_t prefix_len, const char *suffix)
{
    size_t suffix_len = strlen(suffix);
    char local[512];
    if (prefix_len + suffix_len < sizeof local) {
        memcpy(local, prefix, prefix_len);
        memcpy(local + prefix_len, suffix, suffix_len);
        return snapshot_find(s, local, prefix_len + suffix_len);
    }
    buf k = BUF_INIT;
    buf_add(&k, prefix, prefix_len);
    buf_puts(&k, suffix);
    const resource *r = snapshot_find(s, k.s, k.len);
    buf_free(&k);
    return r;
}

/* The entry for a path ending in '/': a redirect registered with or
 * without the slash, else its index.html. Redirects come first because a
 * built directory also holds a refresh page for each of them. */
static const resource *find_directory(const snapshot *s, const char *path, size_t plen)
{
    const char *key = path + 1;
    const resource *r = snapshot_find(s, key, plen - 1);
    if (!r && plen > 1) r = snapshot_find(s, key, plen - 2);
    if (r && r->redirect_status) return r;
    return find_joined(s, key, plen - 1, "index.html");
}

/* True when "path/" would find something: a directory asked for without
 * its slash. */
static bool is_directory_without_slash(const snapshot *s, const char *path, size_t plen)
{
    return find_joined(s, path + 1, plen - 1, "/index.html") || find_joined(s, path + 1, plen - 1, "/");
}

/* Grav answers "/ru/news/post.html" (and ".htm") with the page: it
 * strips a page type's extension from the URL. Such links and bookmarks
 * get the page's address. */
static bool legacy_extension(const snapshot *s, const char *path, size_t plen, const char *query, route *out)
{
    size_t ext = plen > 6 && !strcmp(path + plen - 5, ".html") ? 5 : plen > 5 && !strcmp(path + plen - 4, ".htm") ? 4 : 0;
    if (!ext || path[plen - ext - 1] == '/') return false;
    size_t n = plen - ext;
    if (!find_joined(s, path + 1, n - 1, "/index.html")) return false;
    redirect(out, 301);
    buf key = BUF_INIT;
    buf_add(&key, path, n);
    buf_putc(&key, '/');
    add_url_path(&out->location, key.s);
    buf_free(&key);
    add_query(&out->location, query ? query : "");
    return true;
}

void route_resolve(const snapshot *s, const char *path, const char *query, const char *accept_language, route *out)
{
    memset(out, 0, sizeof *out);
    size_t plen = strlen(path);
    if (strcmp(path, "/") == 0) {
        root(s, query, accept_language, out);
        return;
    }
    const resource *r;
    if (path[plen - 1] == '/') {
        r = find_directory(s, path, plen);
        if (!r && legacy_param(s, path, query, out)) return;
    } else {
        r = find(s, path + 1);
        if (!r && is_directory_without_slash(s, path, plen)) {
            redirect(out, 301);
            add_url_path(&out->location, path);
            buf_putc(&out->location, '/');
            add_query(&out->location, query ? query : "");
            return;
        }
        if (!r && legacy_param(s, path, query, out)) return;
        if (!r && legacy_extension(s, path, plen, query, out)) return;
    }
    if (!r) {
        not_found(s, path, out);
    } else if (r->redirect_status) {
        redirect(out, (unsigned)r->redirect_status);
        buf_puts(&out->location, r->location);
    } else {
        out->kind = ROUTE_RESOURCE;
        out->status = 200;
        out->resource = r;
    }
}

void route_free(route *r)
{
    buf_free(&r->location);
}
