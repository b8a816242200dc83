/* check_body.c - a page version's content: what its Markdown links
 * to, which element ids it offers to anchors, images without alt text,
 * Twig that will show as text, a summary delimiter Markdown read as a
 * heading underline, posts without a summary split, shortcode problems,
 * and a fingerprint of the text to find the same post in two folders.
 *
 * The Markdown is walked with md4c's parser callbacks rather than
 * rendered (the check runs over every page of every build); raw HTML in
 * it goes through a small tag reader, so links, images and ids written as
 * HTML are checked the same way as Markdown ones. */
#include "check/internal.h"
#include "lib/utf8.h"
#include "lib/url.h"
#include "content/block_scan.h"
#include "content/content.h"
#include "content/entity.h"
#include "content/frame.h"
#include "content/markdown.h"
#include "content/notices.h"
#include "content/player.h"
#include "content/shortcode.h"
#include "content/summary.h"
#include "lib/files.h"
#include "lib/html_tag.h"

#include <ctype.h>
#include <md4c.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define MIN_COMPARED_TEXT 80 /* shorter bodies (list pages, stubs) are alike by nature */
#define QUICK_FINGERPRINT_TEXT 1024
#define MAX_REFS 4096        /* per page: links and media references kept for the later passes */
/* Per page: a file with thousands of broken links says so in a few lines,
 * and finding each one's line (a search of the page) stays cheap. */
#define MAX_LINK_FINDINGS 50

typedef struct body_scan {
    check_run *r;
    const page_version *pv;
    const page_source *src;
    page_facts *f;
    arena *a;
    buf ids;
    size_t cap_anchors, cap_media, cap_links;
    size_t link_findings; /* reported so far; see MAX_LINK_FINDINGS */
    const char *cursor;   /* where the search for the next URL starts */
    int cursor_line;      /* its line */
    const char *cursor_line_start;
    int searches_from_start;
    int heading_level;     /* of the last heading: 1, the page's title, at first */
    bool heading_reported; /* a skipped level is said once a page */
} body_scan;

/* Whether another link finding may be reported for this page. */
static bool may_report(body_scan *b)
{
    if (++b->link_findings <= MAX_LINK_FINDINGS) return true;
    if (b->link_findings == MAX_LINK_FINDINGS + 1)
        diag_add(b->r->d, DIAG_WARNING, b->pv->file, 0, 0, "more than %d broken links or images: the rest are not listed",
                 MAX_LINK_FINDINGS);
    return false;
}

static bool has_scheme(const char *u)
{
    const char *p = u;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.') p++;
    return p > u && *p == ':';
}

static int url_line(body_scan *b, const char *url, int *col);

static void add_anchor(body_scan *b, const page_version *target, const char *id, const char *url)
{
    page_facts *f = b->f;
    if (f->nanchors >= MAX_REFS) return;
    int col;
    int line = url_line(b, url, &col);
    if (f->nanchors == b->cap_anchors) {
        b->cap_anchors = b->cap_anchors ? b->cap_anchors * 2 : 8;
        anchor_ref *n = arena_alloc(b->a, b->cap_anchors * sizeof *n);
        if (f->nanchors) memcpy(n, f->anchors, f->nanchors * sizeof *n);
        f->anchors = n;
    }
    f->anchors[f->nanchors++] = (anchor_ref){target, arena_strdup(b->a, id), arena_strdup(b->a, url), line, col};
}

static void add_page_link(body_scan *b, const page_version *t)
{
    page_facts *f = b->f;
    if (f->nlinks >= MAX_REFS || t == b->pv || (f->nlinks && f->links[f->nlinks - 1] == t)) return;
    if (f->nlinks == b->cap_links) {
        b->cap_links = b->cap_links ? b->cap_links * 2 : 8;
        const page_version **n = arena_alloc(b->a, b->cap_links * sizeof *n);
        if (f->nlinks) memcpy(n, f->links, f->nlinks * sizeof *n);
        f->links = n;
    }
    f->links[f->nlinks++] = t;
}

static void add_media_use(body_scan *b, const page *pg, const media_file *m)
{
    page_facts *f = b->f;
    if (f->nmedia >= MAX_REFS) return;
    if (f->nmedia == b->cap_media) {
        b->cap_media = b->cap_media ? b->cap_media * 2 : 8;
        media_ref *n = arena_alloc(b->a, b->cap_media * sizeof *n);
        if (f->nmedia) memcpy(n, f->media, f->nmedia * sizeof *n);
        f->media = n;
    }
    f->media[f->nmedia++] = (media_ref){pg, (size_t)(m - pg->media)};
}


static char *percent_decode(arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    url_percent_decode(out, s, n);
    return out;
}

/* Where needle is in the body from the cursor on; NULL when it is not. */
static const char *find_from_cursor(body_scan *b, const char *needle)
{
    const char *end = b->src->text + b->src->len;
    size_t n = strlen(needle);
    return n ? memmem(b->cursor, (size_t)(end - b->cursor), needle, n) : NULL;
}

/* The line and column of a URL in the Markdown: as written, or
 * percent-decoded (the renderer encodes non-ASCII characters in URLs).
 * Links come in the order of the source, so the search goes on from the
 * previous one and a page is read once, however many links it has. */
static int url_line(body_scan *b, const char *url, int *col)
{
    const char *hit = find_from_cursor(b, url);
    if (!hit && strchr(url, '%')) hit = find_from_cursor(b, percent_decode(b->a, url, strlen(url)));
    if (!hit) {
        /* Out of order (a reference definition, raw HTML): search the whole
         * body, a bounded number of times per page. */
        if (b->searches_from_start++ < 20) return check_body_line(b->src, url, col);
        *col = 1;
        return b->src->body_line;
    }
    for (const char *p = b->cursor; p < hit; p++)
        if (*p == '\n') b->cursor_line++, b->cursor_line_start = p + 1;
    b->cursor = hit;
    int c = 1;
    for (const char *p = b->cursor_line_start; p < hit; p++)
        if (((unsigned char)*p & 0xC0) != 0x80) c++;
    *col = c;
    return b->cursor_line;
}

static bool looks_like_file(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && dot[1] && !strchr(dot, '/');
}

/* A link or image in pv's content: report it when it leads nowhere;
 * remember anchors into pages and media it uses. */
/* The page's file an author most likely meant by a name it does not
 * have: the same name in other letter case (a photo uploaded as
 * "IMG_1.JPG" and written "img_1.jpg"), else one a typo or two away. */
static const media_file *nearest_media(const page *pg, const char *name)
{
    const media_file *best = NULL;
    int best_d = strlen(name) >= 6 ? 2 : 1;
    size_t n = strlen(name);
    char *folded = xmalloc(n + 1), *theirs = NULL;
    spell_fold(name, folded);
    for (size_t i = 0; i < pg->nmedia; i++) {
        const media_file *m = &pg->media[i];
        /* "фото 1.jpg" for "Фото 1.JPG", or with an invisible character */
        theirs = xrealloc(theirs, strlen(m->name) + 1);
        spell_fold(m->name, theirs);
        if (!strcmp(folded, theirs)) {
            free(folded);
            free(theirs);
            return m;
        }
        int dist = spell_distance(name, m->name, best_d);
        if (dist <= best_d && (!best || dist < best_d)) {
            best = m;
            best_d = dist;
        }
    }
    free(folded);
    free(theirs);
    return best;
}

/* Whether the folder part of a link (as "../../" or "/") names the root of
 * the page tree when followed from route. */
static bool is_root(const char *parent, const char *route)
{
    int depth = 0;
    if (parent[0] != '/')
        for (const char *p = route; *p; p++) depth += *p == '/' && p[1] && p[1] != '/';
    for (const char *p = parent; *p;) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && !strncmp(p, "..", 2)) depth = depth ? depth - 1 : 0;
        else if (!(n == 1 && *p == '.')) depth++;
        p += n;
    }
    return depth == 0;
}

/* For a link to a page that does not exist ("../../contacts"), the same
 * link to the published sibling whose name is a typo or two away
 * ("../../contact"), or NULL. path is decoded, without query or fragment. */
static const char *nearest_page_link(body_scan *b, const char *path)
{
    size_t n = strlen(path);
    bool has_slash = n && path[n - 1] == '/';
    while (n && path[n - 1] == '/') n--;
    if (!n) return NULL;
    const char *cut = memrchr(path, '/', n);
    const char *seg = cut ? cut + 1 : path;
    size_t seglen = (size_t)(path + n - seg);
    const char *parent = arena_strndup(b->a, path, (size_t)(seg - path));
    const char *parent_url = content_resolve_link(b->r->s, b->pv, *parent ? parent : ".", b->a);
    if (!parent_url && is_root(parent, b->pv->route)) /* top-level pages, with or without a home page */
        parent_url = arena_printf(b->a, "%s/", site_lang_prefix(b->r->s, b->pv->lang));
    if (!parent_url || !*parent_url) return NULL;
    size_t plen = strlen(parent_url);
    if (parent_url[plen - 1] != '/') return NULL;
    const char *want = arena_strndup(b->a, seg, seglen);
    const char *best = NULL;
    int best_d = seglen >= 6 ? 2 : 1;
    const strmap *m = &b->r->by_url;
    for (size_t i = 0; i < m->cap; i++) {
        const char *key = m->slots[i].key;
        if (!key || strncmp(key, parent_url, plen) != 0) continue;
        const char *rest = key + plen;
        const char *end = strchr(rest, '/');
        if (!end || end == rest || end[1]) continue; /* one more segment, no deeper */
        const char *name = percent_decode(b->a, rest, (size_t)(end - rest));
        int dist = !strcasecmp(name, want) ? 0 : spell_distance(want, name, best_d);
        if (dist <= best_d && (!best || dist < best_d)) {
            best = name;
            best_d = dist;
        }
    }
    return best ? arena_printf(b->a, "%s%s%s", parent, best, has_slash ? "/" : "") : NULL;
}

/* "https://www.site.kz/ru/news/x" -> "/ru/news/x" when it names this very
 * site (config/site.yaml url, any scheme, with or without "www."), so that
 * links copied from the browser are checked like the site's own; NULL for
 * another site. */
static const char *own_site_path(const site *s, const char *url)
{
    const char *base = site_config_str(s, s->default_lang, "url", "");
    const char *bh = strstr(base, "://"), *uh = strstr(url, "://");
    if (!bh || !uh || strncasecmp(url, "http", 4) != 0) return NULL;
    bh += 3;
    uh += 3;
    if (!strncasecmp(bh, "www.", 4)) bh += 4;
    if (!strncasecmp(uh, "www.", 4)) uh += 4;
    size_t bn = strcspn(bh, "/?#"), un = strcspn(uh, "/?#");
    if (!bn || bn != un || strncasecmp(bh, uh, bn) != 0) return NULL;
    const char *bpath = bh + bn, *upath = uh + un;
    size_t bpn = strlen(bpath);
    while (bpn && bpath[bpn - 1] == '/') bpn--;
    if (strncmp(upath, bpath, bpn) != 0 || (upath[bpn] && upath[bpn] != '/' && upath[bpn] != '?' && upath[bpn] != '#'))
        return NULL;
    upath += bpn;
    return *upath == '/' ? upath : NULL; /* the home page itself ("https://site.kz") is fine */
}

/* The path of an http(s) url on the author's own machine (localhost,
 * 127.0.0.1, [::1], 0.0.0.0), "" for its root; NULL for any other. */
static const char *own_computer_path(const char *url)
{
    const char *h = strstr(url, "://");
    if (!h || strncasecmp(url, "http", 4) != 0) return NULL;
    h += 3;
    size_t n = strcspn(h, "/?#");
    const char *colon = memchr(h, ':', n), *host_end = h + n;
    if (h[0] == '[') colon = memchr(h, ']', n) ? (const char *)memchr(h, ']', n) + 1 : NULL;
    if (colon && colon < host_end && *colon == ':') host_end = colon;
    size_t hn = (size_t)(host_end - h);
    static const char *const hosts[] = {"localhost", "127.0.0.1", "[::1]", "0.0.0.0"};
    bool local = hn > 10 && !strncasecmp(host_end - 10, ".localhost", 10);
    for (size_t i = 0; !local && i < sizeof hosts / sizeof hosts[0]; i++)
        local = strlen(hosts[i]) == hn && !strncasecmp(h, hosts[i], hn);
    return local ? h + n : NULL;
}

/* url is what is checked; written, what the author wrote (reported, and
 * found in the source for the line): the same but for links to this site
 * by its full address. */
/* Images in a format most browsers do not show, which folio does not
 * convert (an iPhone's HEIC photos it does): a scanner's TIFF. The page
 * would show a broken image everywhere but in Safari. */
static void report_unshown_format(body_scan *b, const char *path, const char *written)
{
    static const struct {
        const char *ext, *fix;
    } formats[] = {
        {".tif", "a TIFF image, which only Safari shows: save it as JPEG or PNG"},
        {".tiff", "a TIFF image, which only Safari shows: save it as JPEG or PNG"},
    };
    /* Video and audio browsers do not play (MP4, WebM, MP3 and the like
     * are players, see content/player.h), and documents, which are no
     * picture: the page shows a broken one. */
    static const char *const unplayable[] = {"avi", "wmv", "mkv", "mpg", "mpeg", "flv", "3gp", "wma", "aiff", "aif"};
    static const char *const documents[] = {"pdf", "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx",
                                            "pps", "ppsx", "odt", "ods", "odp", "rtf", "txt", "csv", "epub",
                                            "djvu", "zip", "rar", "7z"};
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) return;
    const char *fix = NULL;
    for (size_t i = 0; !fix && i < sizeof formats / sizeof formats[0]; i++)
        if (!strcasecmp(dot, formats[i].ext)) fix = formats[i].fix;
    for (size_t i = 0; !fix && i < sizeof unplayable / sizeof unplayable[0]; i++)
        if (!strcasecmp(dot + 1, unplayable[i])) fix = "a video or a sound browsers do not play: save it as MP4 (video) or MP3 (sound)";
    for (size_t i = 0; !fix && i < sizeof documents / sizeof documents[0]; i++)
        if (!strcasecmp(dot + 1, documents[i])) fix = "a document, shown as a broken picture: link it instead, without the '!' before '['";
    if (!fix || !may_report(b)) return;
    int col;
    int line = url_line(b, written, &col);
    diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col, "image '%s' is %s", written, fix);
}

/* A link copied from Grav's admin panel (/admin/pages/news/post): an
 * editor's address, which visitors cannot open; the page's own instead. */
static void report_admin_link(body_scan *b, const char *path, const char *written, int line, int col)
{
    const char *route = !strncmp(path, "/admin/pages/", 13) ? path + 12 : NULL;
    const page_version *t = route ? site_find_route(b->r->s, b->pv->lang, route) : NULL;
    if (t && t->published)
        diag_add(b->r->d, DIAG_ERROR, b->pv->file, line, col,
                 "link to '%s' is an address of Grav's admin panel, which visitors cannot open: the page's own is "
                 "'%s'",
                 written, t->url);
    else
        diag_add(b->r->d, DIAG_ERROR, b->pv->file, line, col,
                 "link to '%s' is an address of Grav's admin panel, which visitors cannot open: link the page's own "
                 "address",
                 written);
}

static const char *address_meant(arena *a, const char *d, size_t n, const char **what);

static void check_link_at(body_scan *b, const char *url, const char *written, bool is_image)
{
    const site *s = b->r->s;
    const page_version *pv = b->pv;
    /* Pasted from a desktop editor: a file on the author's own computer,
     * which no visitor can open. */
    bool is_drive = isalpha((unsigned char)url[0]) && url[1] == ':' && (url[2] == '\\' || url[2] == '/');
    if (!strncasecmp(url, "file:", 5) || is_drive || (!has_scheme(url) && strchr(url, '\\'))) {
        if (!may_report(b)) return;
        int col;
        int line = url_line(b, url, &col);
        if (!strncasecmp(url, "file:", 5) || is_drive)
            diag_add(b->r->d, DIAG_ERROR, pv->file, line, col,
                     "%s '%s' is a file on the author's computer: put the file in the page folder and write its name",
                     is_image ? "image" : "link", url);
        else
            diag_add(b->r->d, DIAG_ERROR, pv->file, line, col, "%s '%s' has a backslash: web addresses use '/'",
                     is_image ? "image" : "link", url);
        return;
    }
    /* Grav's streams: image:// is user/images, user:// the user folder,
     * page:// and theme:// the pages' and the theme's. folio publishes a
     * page's own files; the address stays as written, which no browser
     * opens. */
    static const char *const streams[] = {"image://", "user://", "page://", "theme://", "plugin://", "asset://"};
    bool schemed = has_scheme(url);
    const char *stream = schemed ? content_stream_address(s, url, b->a) : NULL;
    if (stream) { /* a file of the user folder, published as the page shows it */
        check_link_at(b, stream, url, is_image);
        return;
    }
    for (size_t k = 0; schemed && k < sizeof streams / sizeof streams[0]; k++)
        if (!strncasecmp(url, streams[k], strlen(streams[k]))) {
            if (!may_report(b)) return;
            int col;
            int line = url_line(b, url, &col);
            const char *slash = strrchr(url, '/');
            diag_add(b->r->d, DIAG_ERROR, pv->file, line, col,
                     "%s '%s' is a file of Grav's %.*s stream, which folio does not publish: put the file in the "
                     "page folder and write its name ('%s')",
                     is_image ? "image" : "link", url, (int)strlen(streams[k]) - 3, streams[k],
                     slash ? slash + 1 : url);
            return;
        }
    if (has_scheme(url)) {
        const char *own = own_site_path(s, url);
        if (own) check_link_at(b, own, url, is_image);
        else if (own_computer_path(url) && may_report(b)) {
            /* copied from a preview of the site on the author's machine */
            int col;
            int line = url_line(b, url, &col);
            const char *path = own_computer_path(url);
            diag_add(b->r->d, DIAG_ERROR, pv->file, line, col,
                     "%s '%s' leads to the author's own computer (a preview's address), which no visitor can open: "
                     "write '%s'",
                     is_image ? "image" : "link", url, *path ? path : "/");
        }
        return;
    }
    if (!*url || !strncmp(url, "//", 2)) return;
    if (url[0] == '#') {
        if (url[1]) add_anchor(b, pv, url + 1, written);
        return;
    }
    size_t pathlen = strcspn(url, "?#");
    const char *frag = strchr(url + pathlen, '#');
    const char *path = percent_decode(b->a, url, pathlen);
    if (!*path) return;
    if (is_image) report_unshown_format(b, path, written);
    /* A file in the page's own folder. */
    if (!strchr(path, '/')) {
        const media_file *m = content_find_media(pv->page, path);
        if (m) {
            add_media_use(b, pv->page, m);
            return;
        }
    }
    /* Published media URLs, Grav's /user/pages/... file URLs and theme files. */
    if (!strncmp(path, "/media/", 7)) {
        const media_file *m = strmap_get(&b->r->media_url, arena_strndup(b->a, url, pathlen));
        if (m) return;
    } else if (!strncmp(path, "/user/pages/", 12)) {
        char *file = path_join(s->user_dir, path + 6);
        bool ok = !strstr(path, "..") && path_exists(file);
        free(file);
        if (ok) return;
    } else if (!strncmp(path, "/user/", 6)) { /* a theme's picture, as Grav's web server serves it */
        const char *why;
        char *file = site_user_file(s, path, b->a, &why);
        free(file);
        if (file || !may_report(b)) return;
        int col;
        int line = url_line(b, written, &col);
        diag_add(b->r->d, DIAG_ERROR, pv->file, line, col, "%s '%s' is not published: %s", is_image ? "image" : "link",
                 written, why);
        return;
    } else if (!strncmp(path, "/theme/", 7)) {
        return;
    }
    const page *folder_page;
    const media_file *folder_file = content_folder_media(s, pv, path, b->a, &folder_page);
    if (folder_file) {
        add_media_use(b, folder_page, folder_file);
        return;
    }
    const char *target_url = content_resolve_link(s, pv, url, b->a);
    if (target_url) {
        size_t tl = strcspn(target_url, "?#");
        const page_version *t = strmap_get(&b->r->by_url, arena_strndup(b->a, target_url, tl));
        if (t && frag && frag[1]) add_anchor(b, t, frag + 1, written);
        if (t && !is_image) add_page_link(b, t);
        if (t || !is_image) return;
    }
    /* A file in another page's folder: ../other-post/photo.jpg */
    const char *slash = strrchr(path, '/');
    if (slash && looks_like_file(slash + 1)) {
        const char *dir = arena_strndup(b->a, path, (size_t)(slash - path));
        const char *dir_url = content_resolve_link(s, pv, *dir ? dir : "/", b->a);
        const page_version *t = dir_url ? strmap_get(&b->r->by_url, dir_url) : NULL;
        const media_file *m = t ? content_find_media(t->page, slash + 1) : NULL;
        if (m) {
            add_media_use(b, t->page, m);
            return;
        }
    }
    if (!may_report(b)) return;
    int col;
    int line = url_line(b, written, &col);
    const char *meant_what, *meant = is_image ? NULL : address_meant(b->a, url, strlen(url), &meant_what);
    if (meant && !content_find_media(pv->page, path)) {
        diag_add(b->r->d, DIAG_ERROR, pv->file, line, col, "link to '%s' leads nowhere: for %s, write '%s'",
                 written, meant_what, meant);
        return;
    }
    const media_file *near = strchr(path, '/') ? NULL : nearest_media(pv->page, path);
    const char *near_link = NULL, *withheld = strchr(path, '/') ? NULL : site_withheld_reason(pv->page, path);
    if (withheld)
        diag_add(b->r->d, DIAG_ERROR, pv->file, line, col, "%s '%s' is in the page folder but not published: %s",
                 is_image ? "image" : "file", written, withheld);
    else if (near) {
        /* "2023-01-09-1\u200b.jpg" looks like the name it is not */
        size_t at;
        unsigned hidden = spell_invisible(path, &at);
        char why[96] = "";
        if (hidden)
            snprintf(why, sizeof why, " (the name has an invisible character, U+%04X, after '%.*s')", hidden,
                     (int)(at > 24 ? 24 : at), path + (at > 24 ? at - 24 : 0));
        diag_add(b->r->d, DIAG_ERROR, pv->file, line, col, "%s '%s' is not in the page folder%s; did you mean '%s'?",
                 is_image ? "image" : "file", written, why, near->name);
    }
    else if (is_image) {
        const char *type;
        player_kind kind = player_kind_of(path, &type);
        diag_add(b->r->d, DIAG_ERROR, pv->file, line, col, "%s '%s' does not exist (not in the page folder)",
                 kind == PLAYER_VIDEO ? "video" : kind == PLAYER_AUDIO ? "sound file" : "image", path);
    }
    else if (!strchr(path, '/') && looks_like_file(path))
        diag_add(b->r->d, DIAG_ERROR, pv->file, line, col, "link to '%s': no such file in the page folder", written);
    else if (!strncmp(path, "/admin/", 7))
        report_admin_link(b, path, written, line, col);
    else if ((near_link = nearest_page_link(b, path)))
        diag_add(b->r->d, DIAG_ERROR, pv->file, line, col, "link to '%s': no such page is published; did you mean '%s'?",
                 written, near_link);
    else
        diag_add(b->r->d, DIAG_ERROR, pv->file, line, col, "link to '%s': no such page is published", written);
}

static void check_link(body_scan *b, const char *url, bool is_image) { check_link_at(b, url, url, is_image); }

/* Something the page loads from another site over plain HTTP: a page
 * served over HTTPS has the browser block it (a frame, a video) or try it
 * over HTTPS (a picture), which breaks where the other site has no HTTPS.
 * Not said of a site whose own address is http://. what: "image", ... */
static void check_plain_http(body_scan *b, const char *url, const char *what)
{
    if (!url || strncasecmp(url, "http://", 7) != 0) return;
    const site *s = b->r->s;
    if (!strncasecmp(site_config_str(s, s->default_lang, "url", ""), "http://", 7)) return; /* no HTTPS here */
    if (!may_report(b)) return;
    int col;
    int line = url_line(b, url, &col);
    diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col,
             "%s '%s' is loaded over plain HTTP: browsers block it on the site's HTTPS pages; "
             "write https://%s (most sites answer on it)",
             what, url, url + 7);
}

/* The poster a video's query names ("?poster=cover.jpg"), decoded, or
 * NULL. */
static const char *poster_of(body_scan *b, const char *src)
{
    const char *q = strchr(src, '?');
    for (const char *p = q; p && *p;) {
        p++;
        size_t n = strcspn(p, "&#");
        if (n > 7 && !strncmp(p, "poster=", 7)) return percent_decode(b->a, p + 7, n - 7);
        p += n;
        if (*p == '#') break;
    }
    return NULL;
}

/* A video of the page's folder: a poster named that is not there; its
 * caption files are in use with it, and one without any gets a note
 * (visitors who cannot hear it). */
static void check_player(body_scan *b, const char *src)
{
    char *name = percent_decode(b->a, src, strcspn(src, "?#"));
    const media_file *m = strchr(name, '/') ? NULL : content_find_media(b->pv->page, name);
    if (!m || player_kind_of(m->name, NULL) != PLAYER_VIDEO) return;
    const page *pg = b->pv->page;
    const char *poster = poster_of(b, src);
    const media_file *pm = poster && *poster && poster[0] != '/' ? content_find_media(pg, poster) : NULL;
    if (pm) {
        add_media_use(b, pg, pm);
    } else if (poster && *poster && poster[0] != '/' && may_report(b)) {
        int col;
        int line = url_line(b, src, &col);
        const media_file *near = nearest_media(pg, poster);
        if (near)
            diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col,
                     "the poster '%s' of video '%s' is not in the page folder; did you mean '%s'?", poster, m->name,
                     near->name);
        else
            diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col,
                     "the poster '%s' of video '%s' is not in the page folder: the video is shown without one", poster,
                     m->name);
    }
    size_t n = 0;
    for (size_t i = 0; i < pg->nmedia; i++)
        if (player_is_caption(m, pg->media[i].name)) {
            add_media_use(b, pg, &pg->media[i]);
            n++;
        }
    if (n || !may_report(b)) return;
    const char *dot = strrchr(m->name, '.');
    int base = (int)(dot ? (size_t)(dot - m->name) : strlen(m->name));
    int col;
    int line = url_line(b, src, &col);
    diag_add(b->r->d, DIAG_NOTE, b->pv->file, line, col,
             "video '%s' has no captions, for visitors who cannot hear it: a WebVTT file beside it, '%.*s.vtt' "
             "(or '%.*s.%s.vtt'), is shown as its captions",
             src, base, m->name, base, m->name, b->r->s->langs[b->pv->lang]);
}

/* alt NULL: none given; "" from Markdown's ![](...): none written; an
 * HTML alt="" is a decorative picture's, said on purpose (is_decorative). */
static void check_image(body_scan *b, const char *src, const char *alt, const char *title, bool is_decorative)
{
    if (src) check_link(b, src, true);
    if (src && !has_scheme(src)) check_player(b, src);
    check_plain_http(b, src, "image");
    /* A gallery shows the title as the caption, which describes the photo. */
    if ((!alt || !*alt) && (!title || !*title) && !is_decorative && may_report(b)) {
        int col = 1;
        int line = src ? url_line(b, src, &col) : b->src->body_line;
        char *path = src ? percent_decode(b->a, src, strcspn(src, "?#")) : NULL;
        player_kind kind = path && !has_scheme(src) ? player_kind_of(path, NULL) : PLAYER_NONE;
        if (kind != PLAYER_NONE)
            diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col,
                     "%s '%s' has no alt text (it names the player for screen readers, and the link to the file "
                     "where it cannot play)",
                     kind == PLAYER_VIDEO ? "video" : "audio", src);
        else
            diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col,
                     "image '%s' has no alt text (screen readers cannot describe it)", src ? src : "");
    }
}

/* ---- HTML written in the Markdown (lib/html_tag.h reads the tags) ------ */

static char *decode_attr(arena *a, const char *s, size_t n)
{
    buf out = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '&') {
            size_t el = html_entity_length(s + i, n - i);
            if (el && html_entity_decode(s + i, el, &out)) {
                i += el - 1;
                continue;
            }
        }
        buf_putc(&out, s[i]);
    }
    char *r = arena_strndup(a, buf_cstr(&out), out.len);
    buf_free(&out);
    return r;
}

/* The decoded value of attribute name ("" for a bare one), or NULL. */
static const char *attr_get(arena *a, const html_tag *t, const char *name)
{
    const html_attr *at = html_tag_attr(t, name);
    if (!at) return NULL;
    if (!at->val) return "";
    if (!memchr(at->val, '&', at->val_len)) return arena_strndup(a, at->val, at->val_len);
    return decode_attr(a, at->val, at->val_len);
}

/* A warning at a tag of the text: where its src is written, else at the
 * tag's opening ("<iframe"). */
static void report_at_tag(body_scan *b, diag_level level, const html_tag *t, const char *opening, const char *msg)
{
    const char *src = attr_get(b->a, t, "src");
    int col;
    int line = url_line(b, src && *src ? src : opening, &col);
    diag_add(b->r->d, level, b->pv->file, line, col, "%s", msg);
}

/* A frame without a title: a map's or a video's gets a plain one when
 * the page is made (markdown_options.map_frame_title), which a title of
 * the editor's own can better; any other has none. */
static void check_frame_title(body_scan *b, const html_tag *t)
{
    const char *title = attr_get(b->a, t, "title");
    if (title && *title) return;
    const char *src = attr_get(b->a, t, "src");
    frame_kind kind = src ? frame_kind_of(src, strlen(src)) : FRAME_OTHER;
    if (kind == FRAME_OTHER) {
        report_at_tag(b, DIAG_WARNING, t, "<iframe",
                      "an <iframe> without a title (screen readers announce a frame by its title): "
                      "add one, such as title=\"Map of the branch\"");
        return;
    }
    const site *s = b->r->s;
    const page_version *pv = b->pv;
    const char *given = s->frame_titles[site_text_lang(s, pv)][kind == FRAME_MAP ? 0 : 1];
    char *msg = arena_printf(b->a,
                             "an <iframe> without a title: screen readers announce it as «%s», the title the site "
                             "gives a %s; a title of its own can say which (title=\"%s\")",
                             given, kind == FRAME_MAP ? "map" : "video",
                             kind == FRAME_MAP ? "Map of the branch" : "Lecture for patients");
    report_at_tag(b, DIAG_NOTE, t, "<iframe", msg);
}

/* The line of the body's first ATX heading of that level ("### ")
 * outside code and HTML blocks, or the body's first line. */
static int heading_line(const body_scan *b, int level)
{
    const page_source *src = b->src;
    const char *p = src->text + src->body_off, *end = src->text + src->len;
    block_scan bs = BLOCK_SCAN_INIT;
    for (int line = src->body_line; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (block_scan_line(&bs, p, n) == LINE_HEADING) {
            size_t i = block_scan_indent(p, n);
            int hashes = 0;
            while (i + (size_t)hashes < n && p[i + (size_t)hashes] == '#') hashes++;
            if (hashes == level) return line;
        }
        if (!nl) break;
        p = nl + 1;
    }
    return src->body_line;
}

/* A heading of level after the last one's: screen readers list a page's
 * headings by level, and a level skipped (#### under the page's title,
 * which is its h1) reads as a part of the page missing. Said once a
 * page, at the first; line 0 finds a Markdown heading's line. */
static void check_heading_level(body_scan *b, int level, bool is_html, int line, int col)
{
    int last = b->heading_level ? b->heading_level : 1;
    b->heading_level = level;
    if (level <= last + 1 || b->heading_reported) return;
    b->heading_reported = true;
    if (!line) line = heading_line(b, level), col = 1;
    char how[16];
    if (is_html) snprintf(how, sizeof how, "<h%d>", last + 1);
    else snprintf(how, sizeof how, "%.*s", last + 1, "######");
    diag_add(b->r->d, DIAG_NOTE, b->pv->file, line, col,
             "a heading of level %d follows one of level %d%s: screen readers list a page's headings by level, "
             "and a level skipped reads as a part missing; make it level %d ('%s')",
             level, last, last == 1 ? " (the page's title)" : "", last + 1, how);
}

static void scan_html(body_scan *b, const char *html, size_t len, bool *twig_in_text)
{
    int in_code = 0;
    for (size_t i = 0; i < len;) {
        if (html[i] != '<') {
            /* Text up to the next tag: only "{{" and "{%" matter in it. */
            const char *lt = memchr(html + i, '<', len - i);
            size_t end = lt ? (size_t)(lt - html) : len;
            if (!in_code && !*twig_in_text)
                for (const char *p = html + i; (p = memchr(p, '{', end - (size_t)(p - html) - 0)) && p + 1 < html + end;
                     p++)
                    if (p[1] == '{' || p[1] == '%') {
                        *twig_in_text = true;
                        break;
                    }
            i = end;
            continue;
        }
        if (!strncmp(html + i, "<!--", 4)) {
            const char *end = memmem(html + i, len - i, "-->", 3);
            i = end ? (size_t)(end - html) + 3 : len;
            continue;
        }
        html_tag t;
        i = html_tag_read(html, len, i, &t);
        if (html_name_is(t.name, t.name_len, "code") || html_name_is(t.name, t.name_len, "pre")) {
            in_code += t.is_closing ? -1 : 1;
            if (in_code < 0) in_code = 0;
            continue;
        }
        if (t.is_closing) continue;
        const char *id = attr_get(b->a, &t, "id");
        if (id && *id) buf_add(&b->ids, id, strlen(id) + 1);
        if (html_name_is(t.name, t.name_len, "a")) {
            const char *anchor_name = attr_get(b->a, &t, "name");
            if (anchor_name && *anchor_name) buf_add(&b->ids, anchor_name, strlen(anchor_name) + 1);
            const char *href = attr_get(b->a, &t, "href");
            if (href) check_link(b, href, false);
        } else if (html_name_is(t.name, t.name_len, "img")) {
            const char *alt = attr_get(b->a, &t, "alt");
            check_image(b, attr_get(b->a, &t, "src"), alt, attr_get(b->a, &t, "title"), alt != NULL);
        } else if (!in_code && t.name_len == 2 && (t.name[0] == 'h' || t.name[0] == 'H') && t.name[1] >= '1' &&
                   t.name[1] <= '6') {
            char opening[4] = {'<', t.name[0], t.name[1], 0};
            int col;
            int line = check_body_line(b->src, opening, &col);
            check_heading_level(b, t.name[1] - '0', true, line, col);
        } else if (html_name_is(t.name, t.name_len, "iframe") && !in_code && may_report(b)) {
            check_frame_title(b, &t); /* a map or a video pasted from its service comes without one */
            check_plain_http(b, attr_get(b->a, &t, "src"), "frame");
        } else if (!in_code && (html_name_is(t.name, t.name_len, "video") || html_name_is(t.name, t.name_len, "audio") ||
                                html_name_is(t.name, t.name_len, "source") || html_name_is(t.name, t.name_len, "embed"))) {
            check_plain_http(b, attr_get(b->a, &t, "src"), "media");
        } else if (html_name_is(t.name, t.name_len, "script") && !in_code && may_report(b)) {
            /* The site's policy (build/policy.h) runs its own scripts only:
             * a map pasted as a script stays blank. */
            report_at_tag(b, DIAG_WARNING, &t, "<script",
                        "a <script> in the text does not run on the site (pages run the site's own scripts "
                        "only); for a map or a video, paste the <iframe> the service offers instead");
        }
    }
}


/* ---- Markdown, walked without rendering it ------------------------------ */

#define MAX_DELIMITER_TEXT 64 /* a paragraph longer than this is not a delimiter */

typedef struct md_walk {
    body_scan *b;
    const char *delimiter;
    int code_depth;       /* code blocks and code spans */
    int image_depth;      /* inside ![...]: the text is alt text */
    buf alt;
    const char *img_src, *img_title;
    bool in_paragraph;
    buf paragraph;        /* the paragraph's text, up to MAX_DELIMITER_TEXT */
    bool has_delimiter;
    bool twig;
    int html_block_depth;
    buf html;             /* an HTML block's lines, scanned when it ends */
    const char *link_href; /* the link being read, checked at its end with its text */
    int link_depth;
    buf link_text;
    unsigned short open_formatting[MARKDOWN_FORMATTING_TAGS]; /* "<b>" without "</b>" in the text's HTML */
} md_walk;

/* An attribute of a link or image as text: entities decoded. */
static const char *attribute_text(arena *a, const MD_ATTRIBUTE *at)
{
    if (!at->text || !at->size) return "";
    buf out = BUF_INIT;
    for (int k = 0; at->substr_offsets[k] < at->size; k++) {
        const char *part = at->text + at->substr_offsets[k];
        size_t n = at->substr_offsets[k + 1] - at->substr_offsets[k];
        if (at->substr_types[k] != MD_TEXT_ENTITY || !html_entity_decode(part, n, &out)) buf_add(&out, part, n);
    }
    const char *r = arena_strndup(a, buf_cstr(&out), out.len);
    buf_free(&out);
    return r;
}

static int walk_enter_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    md_walk *w = user;
    if (type == MD_BLOCK_CODE) w->code_depth++;
    else if (type == MD_BLOCK_HTML) w->html_block_depth++;
    else if (type == MD_BLOCK_H) check_heading_level(w->b, (int)((MD_BLOCK_H_DETAIL *)detail)->level, false, 0, 0);
    else if (type == MD_BLOCK_P) {
        w->in_paragraph = true;
        w->paragraph.len = 0;
    }
    return 0;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

static int walk_leave_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    md_walk *w = user;
    (void)detail;
    if (type == MD_BLOCK_CODE && w->code_depth) w->code_depth--;
    else if (type == MD_BLOCK_HTML && w->html_block_depth) {
        w->html_block_depth--;
        scan_html(w->b, buf_cstr(&w->html), w->html.len, &w->twig);
        w->html.len = 0;
    } else if (type == MD_BLOCK_P) {
        /* Grav splits at a paragraph that is only the delimiter: <p>===</p>. */
        const char *t = buf_cstr(&w->paragraph);
        size_t n = w->paragraph.len;
        while (n && is_blank(t[n - 1])) n--;
        while (n && is_blank(*t)) t++, n--;
        if (n <= MAX_DELIMITER_TEXT && n == strlen(w->delimiter) && !memcmp(t, w->delimiter, n))
            w->has_delimiter = true;
        /* The mark of Grav's table-of-contents plugins (page-toc, toc) */
        if (((n == 5 && !strncasecmp(t, "[TOC]", 5)) || (n == 7 && !strncasecmp(t, "[[TOC]]", 7))) &&
            !w->b->r->s->has_page_toc && may_report(w->b)) {
            int col;
            char needle[8];
            snprintf(needle, sizeof needle, "%.*s", (int)n, t);
            int line = check_body_line(w->b->src, needle, &col);
            diag_add(w->b->r->d, DIAG_WARNING, w->b->pv->file, line, col,
                     "'%s' is where Grav's page-toc plugin puts a table of contents, and this site does not have "
                     "it (user/plugins/page-toc): readers see '%s'",
                     needle, needle);
        }
        w->in_paragraph = false;
    }
    return 0;
}

static int walk_enter_span(MD_SPANTYPE type, void *detail, void *user)
{
    md_walk *w = user;
    arena *a = w->b->a;
    if (type == MD_SPAN_CODE) {
        w->code_depth++;
    } else if (type == MD_SPAN_A && !w->image_depth) {
        const MD_SPAN_A_DETAIL *d = detail;
        if (w->link_depth++ == 0) {
            w->link_href = attribute_text(a, &d->href);
            w->link_text.len = 0;
        }
    } else if (type == MD_SPAN_IMG) {
        if (w->image_depth++ == 0) {
            const MD_SPAN_IMG_DETAIL *d = detail;
            w->img_src = attribute_text(a, &d->src);
            w->img_title = attribute_text(a, &d->title);
            w->alt.len = 0;
        }
    }
    return 0;
}

/* A link whose text is "plugin:<name>" is for a Grav plugin to turn into
 * something else: youtube's into a player, page-inject's
 * ("plugin:page-inject", "plugin:content-inject") into another page's
 * content, where the site has the plugin; others folio does not run, and
 * the reader sees a link named "plugin:...". */
static void check_plugin_link(body_scan *b, const char *href, const char *text)
{
    const char *name = text + 7;
    int col;
    char needle[160];
    snprintf(needle, sizeof needle, "[%s]", text);
    int line = check_body_line(b->src, needle, &col);
    if (!strcmp(name, "youtube")) {
        if (b->r->s->youtube.is_on || !may_report(b)) return;
        diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col,
                 "[plugin:youtube] is a video player where the site has Grav's youtube plugin "
                 "(user/plugins/youtube), which this site lacks: it is shown as a link");
        return;
    }
    bool is_inject = !strcmp(name, "page-inject") || !strcmp(name, "content-inject");
    if (is_inject && b->r->s->has_page_inject) { /* shown here: the page must be there */
        check_link(b, href, false);
        return;
    }
    if (!may_report(b)) return;
    diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col,
             "[plugin:%s] is for a Grav plugin folio does not run%s: the reader sees a link named 'plugin:%s' "
             "to '%s'",
             name,
             is_inject ? " here (page-inject, which shows another page's content; the site has no "
                         "user/plugins/page-inject)"
                       : "",
             name, href);
}

static int walk_leave_span(MD_SPANTYPE type, void *detail, void *user)
{
    md_walk *w = user;
    (void)detail;
    if (type == MD_SPAN_A && w->link_depth && --w->link_depth == 0) {
        const char *text = buf_cstr(&w->link_text);
        if (!strncmp(text, "plugin:", 7) && text[7] && w->link_text.len < 64)
            check_plugin_link(w->b, w->link_href, text);
        else
            check_link(w->b, w->link_href, false);
    }
    if (type == MD_SPAN_CODE && w->code_depth) w->code_depth--;
    else if (type == MD_SPAN_IMG && w->image_depth && --w->image_depth == 0)
        check_image(w->b, w->img_src, buf_cstr(&w->alt), w->img_title, false);
    return 0;
}

static bool looks_like_address(const char *u, size_t n)
{
    static const char *const starts[] = {"http://", "https://", "/", "./", "../", "mailto:", "tel:"};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        if (n > strlen(starts[i]) && !strncmp(u, starts[i], strlen(starts[i]))) return true;
    static const char *const exts[] = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".doc", ".docx", ".pptx", ".xlsx"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t k = strlen(exts[i]);
        if (n > k && !strncasecmp(u + n - k, exts[i], k)) return true;
    }
    return false;
}

/* What an address without a scheme was meant to be: a phone number
 * ("+7 727 000 00 00": "tel:+77270000000"), an e-mail address ("mailto:"),
 * another site ("hematology.kz/ru/": "https://hematology.kz/ru/"). The
 * address to write, with what it is in *what; NULL for none of these. */
static const char *address_meant(arena *a, const char *d, size_t n, const char **what)
{
    size_t digits = 0, i = 0;
    for (; i < n && (strchr("+-() .", d[i]) || (d[i] >= '0' && d[i] <= '9')); i++) digits += d[i] >= '0' && d[i] <= '9';
    if (i == n && digits >= 7 && digits <= 15) {
        buf t = BUF_INIT;
        buf_puts(&t, "tel:");
        for (size_t k = 0; k < n; k++)
            if ((d[k] >= '0' && d[k] <= '9') || (d[k] == '+' && t.len == 4)) buf_putc(&t, d[k]);
        const char *r = arena_strndup(a, t.s, t.len);
        buf_free(&t);
        *what = "a phone number";
        return r;
    }
    const char *at = memchr(d, '@', n);
    if (at && at > d && !memchr(d, '/', n) && !memchr(d, ' ', n) && memchr(at, '.', (size_t)(d + n - at)) &&
        !memchr(at + 1, '@', (size_t)(d + n - at - 1))) {
        *what = "an e-mail address";
        return arena_printf(a, "mailto:%.*s", (int)n, d);
    }
    /* a host: labels of letters, digits and '-', the last of letters, then '/' or the end */
    size_t host = strcspn(d, "/?#");
    if (host > n) host = n;
    const char *dot = memrchr(d, '.', host);
    bool www = n > 4 && !strncasecmp(d, "www.", 4);
    if (!dot || dot == d || (!www && host == n)) return NULL;
    for (size_t k = 0; k < host; k++)
        if (!((d[k] | 0x20) >= 'a' && (d[k] | 0x20) <= 'z') && !(d[k] >= '0' && d[k] <= '9') && d[k] != '-' &&
            d[k] != '.' && !((unsigned char)d[k] & 0x80))
            return NULL;
    size_t tld = (size_t)(d + host - dot - 1);
    if (tld < 2) return NULL;
    for (const char *c = dot + 1; c < d + host; c++)
        if (!((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z') && !((unsigned char)*c & 0x80)) return NULL;
    *what = "another site's address";
    return arena_printf(a, "https://%.*s", (int)n, d);
}

/* Link syntax that Markdown left as text, as Grav's Markdown does too:
 * an address with a space in it (phones and Windows name photos
 * "IMG 1234.jpg", "фото 1.jpg"), or a space between "]" and "(". Such
 * text reaches the text callback in one piece. */
#define MAX_UNREAD_LINK 1024 /* an address or a link text longer than this is not looked at */
static void find_unread_links(body_scan *b, const char *text, size_t size)
{
    const char *end = text + size;
    for (const char *p = text; (p = memchr(p, ']', (size_t)(end - p))); p++) {
        bool gap = p + 2 < end && p[1] == ' ' && p[2] == '(';
        if (!(p + 1 < end && p[1] == '(') && !gap) continue;
        const char *d = p + (gap ? 3 : 2);
        size_t ahead = (size_t)(end - d) < MAX_UNREAD_LINK ? (size_t)(end - d) : MAX_UNREAD_LINK;
        const char *close = memchr(d, ')', ahead);
        if (!close || close == d || *d == '<' || memchr(d, '\n', (size_t)(close - d))) continue;
        size_t n = (size_t)(close - d);
        /* "({{ site.url }})": Twig, whose own finding says what to do */
        if (memmem(d, n, "{{", 2) || memmem(d, n, "{%", 2)) continue;
        const char *space = memchr(d, ' ', n);
        const char *open = p;
        const char *stop = p - text > MAX_UNREAD_LINK ? p - MAX_UNREAD_LINK : text;
        while (open > stop && *open != '[') open--;
        bool is_image = *open == '[' && open > text && open[-1] == '!';
        const char *what = *open != '[' ? NULL : is_image ? "image" : "link";
        if (gap) {
            if (*open != '[' || space || !looks_like_address(d, n) || !may_report(b)) continue;
        } else {
            if (!space) continue;
            const char *rest = space;
            while (rest < close && *rest == ' ') rest++;
            /* "(url "title")" is a link with a title, parsed or not for another reason */
            if (rest == close || *rest == '"' || *rest == '\'' || *rest == '(' || !may_report(b)) continue;
        }
        char *needle = arena_strndup(b->a, p, (size_t)(close - p));
        const char *meant_what = NULL;
        int col = 1;
        int line = check_body_line(b->src, needle, &col);
        if (gap) {
            diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col,
                     "a space between ']' and '(', so Markdown shows this %s as text: remove the space", what);
        } else if (address_meant(b->a, d, n, &meant_what)) {
            diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col + 2,
                     "the %s%saddress '%.*s' has a space, so Markdown shows %s as text; for %s, write '%s'",
                     what ? what : "", what ? "'s " : "", (int)n, d, what ? (is_image ? "the image" : "the link") : "it",
                     meant_what, address_meant(b->a, d, n, &meant_what));
        } else {
            buf fixed = BUF_INIT;
            for (const char *c = d; c < close; c++)
                if (*c == ' ') buf_puts(&fixed, "%20");
                else buf_putc(&fixed, *c);
            diag_add(b->r->d, DIAG_WARNING, b->pv->file, line, col + 2,
                     "the %s%saddress '%.*s' has a space, so Markdown shows %s as text: write '%s' or '<%.*s>'",
                     what ? what : "", what ? "'s " : "", (int)n, d, what ? (is_image ? "the image" : "the link") : "it",
                     buf_cstr(&fixed), (int)n, d);
            buf_free(&fixed);
        }
    }
}

static int walk_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *user)
{
    md_walk *w = user;
    if (w->in_paragraph && w->paragraph.len <= MAX_DELIMITER_TEXT) buf_add(&w->paragraph, text, size);
    if (w->link_depth && w->link_text.len < 64) buf_add(&w->link_text, text, size);
    if (w->image_depth) {
        if (type != MD_TEXT_ENTITY || !html_entity_decode(text, size, &w->alt)) buf_add(&w->alt, text, size);
        return 0;
    }
    if (type == MD_TEXT_HTML) {
        markdown_count_formatting(w->open_formatting, text, size);
        if (w->html_block_depth) buf_add(&w->html, text, size);
        else scan_html(w->b, text, size, &w->twig); /* one inline tag: <a name="top"> */
        return 0;
    }
    if (w->code_depth || type == MD_TEXT_CODE) return 0;
    if (type == MD_TEXT_NORMAL && size > 3) find_unread_links(w->b, text, size);
    if (w->twig) return 0;
    for (const char *p = text; (p = memchr(p, '{', size - (size_t)(p - text))) && p + 1 < text + size; p++)
        if (p[1] == '{' || p[1] == '%') {
            w->twig = true;
            break;
        }
    return 0;
}

/* Whether the Markdown has something the shortcode pass would act on or
 * warn about: a closing tag "[/", a self-closing "/]", or an attribute
 * "[name a=b". Rendering the HTML for the shortcode pass costs as much as
 * the rest of the check, so pages without any skip it. */
static bool may_hold_shortcode(const char *body, size_t len)
{
    const char *end = body + len;
    for (const char *p = body; (p = memchr(p, ']', (size_t)(end - p))); p++)
        if (p > body && p[-1] == '/') return true;
    for (const char *p = body; (p = memchr(p, '[', (size_t)(end - p))); p++) {
        if (p + 1 < end && p[1] == '/') return true;
        const char *q = p + 1;
        while (q < end && (isalnum((unsigned char)*q) || *q == '-' || *q == '_')) q++;
        if (q == p + 1 || q >= end || *q != ' ') continue;
        const char *close = memchr(q, ']', (size_t)(end - q));
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        if (close && (!nl || close < nl) && memchr(q, '=', (size_t)(close - q))) return true;
    }
    return false;
}

/* ---- the page --------------------------------------------------------- */

static bool is_post(const page_version *pv)
{
    if (pv->page->is_module) return false; /* a section of its parent's page */
    const page *parent = pv->page->parent;
    const page_version *list = parent ? parent->v[pv->lang] : NULL;
    if (!list) return false;
    value *c = map_get(list->header, "content");
    return c && c->kind == V_MAP && map_get(c, "items");
}

/* Whether pv shows a file another version of its page reports on: the
 * Russian text on the English site, by fallback, or a file of no
 * language in any but the default language. */
static bool is_other_languages_file(const site *s, const page_version *pv)
{
    if (*pv->file_lang) return strcmp(pv->file_lang, s->langs[pv->lang]) != 0;
    const page_version *d = pv->page->v[s->default_lang];
    return pv->lang != s->default_lang && d && !strcmp(d->file, pv->file);
}

/* Whether the list a post is in shows its summary: the built-in theme's
 * plain page, which shows a list of a template it does not have, names
 * the pages only. */
static bool list_shows_summaries(const site *s, const page_version *pv)
{
    return strcmp(site_shown_template(s, pv->page->parent->v[pv->lang]), "default") != 0;
}

/* A hash of the text's words, so re-indented or re-wrapped copies hash
 * alike: bytes up to ' ' (whitespace and control characters) only
 * separate words. This runs over every byte of the site, so words are
 * found and hashed eight bytes at a time. */
unsigned long long check_text_fingerprint(const char *text, size_t len, size_t limit)
{
    const unsigned long long ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const unsigned long long prime = 1099511628211ULL;
    const unsigned char *t = (const unsigned char *)text;
    unsigned long long h = 1469598103934665603ULL;
    size_t kept = 0, i = 0;
    for (;;) {
        while (i < len && t[i] <= ' ') i++;
        size_t start = i;
        /* Skip eight bytes while none of them is <= ' ' (a byte below 0x21 sets its high bit here). */
        while (i + 8 <= len) {
            unsigned long long x;
            memcpy(&x, t + i, 8);
            if ((x - ones * 0x21) & ~x & highs) break;
            i += 8;
        }
        while (i < len && t[i] > ' ') i++;
        size_t n = i - start;
        if (!n || kept >= limit) break;
        kept += n + 1;
        const unsigned char *w = t + start;
        unsigned long long wh = n;
        for (; n >= 8; n -= 8, w += 8) {
            unsigned long long x;
            memcpy(&x, w, 8);
            wh = (wh ^ x) * prime;
            wh ^= wh >> 32;
        }
        unsigned long long x = 0;
        for (size_t k = 0; k < n; k++) x = x << 8 | w[k];
        wh = (wh ^ x) * prime;
        h = (h ^ wh ^ (wh >> 29)) * prime;
    }
    if (kept < MIN_COMPARED_TEXT) return 0;
    return h ? h : 1;
}

/* One version being checked: begun before its Markdown is parsed, ended
 * after. */
struct body_check {
    body_scan b;
    md_walk w;
    MD_PARSER parser;
    bool is_markdown;
    int underline; /* line of a delimiter read as a heading underline, or 0 */
    markdown_options grav; /* the page's Markdown options, for both parses */
};

/* A page saved in a legacy code page (Windows-1251 is the usual one for
 * Russian and Kazakh) is not UTF-8 from its first letter on: one finding
 * for the file. A line pasted into a UTF-8 page from a file in such a code
 * page is not UTF-8 from somewhere in the middle: a finding for each such
 * line, the first few of them. (A front matter in a code page is already
 * refused by the YAML reader.) */
#define ENCODING_WINDOW 256
#define ENCODING_LINES_SHOWN 5

static void report_legacy_encoding(check_run *r, const page_version *pv, const page_source *src, const char *body,
                                   size_t len)
{
    size_t bad = utf8_check(body, len);
    if (bad == len) return;
    size_t first = 0;
    for (; first + 8 <= len; first += 8) {
        uint64_t w;
        memcpy(&w, body + first, 8);
        if (w & 0x8080808080808080ULL) break;
    }
    while (first < len && !((unsigned char)body[first] & 0x80)) first++;
    int line, col;
    if (bad < first + ENCODING_WINDOW) {
        line = check_body_at(src, bad, &col); /* body is src's */
        diag_add(r->d, DIAG_ERROR, pv->file, line, col,
                 "the file is not UTF-8 text (saved as Windows-1251 or in another code page?): save it as UTF-8");
        return;
    }
    /* No sequence goes on past a line feed: a line at a time. */
    size_t lines = 0, at = bad;
    while (at < len) {
        if (lines++ <= ENCODING_LINES_SHOWN) line = check_body_at(src, at, &col);
        if (lines <= ENCODING_LINES_SHOWN) {
            diag_add(r->d, DIAG_ERROR, pv->file, line, col,
                     "the text from here is not UTF-8 (pasted from a file saved as Windows-1251 or in another "
                     "code page?): visitors see '�' in its place; paste it again from a UTF-8 "
                     "file or type it again");
        }
        const char *nl = memchr(body + at, '\n', len - at);
        at = len;
        for (size_t next = nl ? (size_t)(nl - body) + 1 : len; next < len;) {
            const char *end = memchr(body + next, '\n', len - next);
            size_t n = end ? (size_t)(end - body) - next : len - next, ok = utf8_check(body + next, n);
            if (ok < n) {
                at = next + ok;
                break;
            }
            next += n + 1;
        }
    }
    if (lines > ENCODING_LINES_SHOWN)
        diag_add(r->d, DIAG_ERROR, pv->file, line, col,
                 "%zu more line%s from here on %s not UTF-8 either (the same as above)", lines - ENCODING_LINES_SHOWN,
                 lines - ENCODING_LINES_SHOWN == 1 ? "" : "s", lines - ENCODING_LINES_SHOWN == 1 ? "is" : "are");
}

typedef struct near_miss_ctx {
    check_run *r;
    const page_version *pv;
    const page_source *src;
    const char *body;
    size_t len;
} near_miss_ctx;

/* "!Внимание" at the start of a line: meant as a notice, shown as text. */
static void report_near_miss(void *user, size_t offset)
{
    near_miss_ctx *nm = user;
    const char *t = nm->body + offset, *end = memchr(t, '\n', nm->len - offset);
    size_t n = end ? (size_t)(end - t) : nm->len - offset, marks = 0;
    if (t[0] != '!') { /* a list item's marker, then the notice */
        int col;
        int line = check_body_at(nm->src, offset, &col);
        size_t shown = 0; /* 32 letters */
        for (int chars = 0; shown < n && chars < 32; chars++)
            for (shown++; shown < n && ((unsigned char)t[shown] & 0xC0) == 0x80;) shown++;
        diag_add(nm->r->d, DIAG_WARNING, nm->pv->file, line, col,
                 "'%.*s%s' is shown as text: a notice in a list item is not one here (Grav shows it in the item); "
                 "write the notice on a line of its own, before or after the list",
                 (int)shown, t, shown < n ? "…" : "");
        return;
    }
    while (marks < n && t[marks] == '!') marks++;
    size_t word = marks;
    while (word < n && word < marks + 24 && t[word] != ' ' && t[word] != '\t' && t[word] != '\r') word++;
    while (word < n && ((unsigned char)t[word] & 0xC0) == 0x80) word++; /* a whole letter */
    int col;
    int line = check_body_at(nm->src, offset, &col);
    diag_add(nm->r->d, DIAG_WARNING, nm->pv->file, line, col,
             "'%.*s' is shown as text: a notice needs a space after its '%.*s' ('%.*s %.*s')", (int)word, t,
             (int)marks, t, (int)marks, t, (int)(word - marks), t + marks);
}

/* ---- what the Markdown loses without a word: a comment never closed,
 * a table's cells beyond its columns ---- */

/* The cells of a table row line[0..n): split at '|' (not an escaped one,
 * not in a code span), a leading and a trailing '|' not counted. The
 * offset and length of cell number want (from 0) in *at and *len. */
static int row_cells(const char *line, size_t n, int want, size_t *at, size_t *len)
{
    size_t i = block_scan_indent(line, n), end = n;
    while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--;
    if (i < end && line[i] == '|') i++;
    if (end > i && line[end - 1] == '|' && (end < 2 || line[end - 2] != '\\')) end--;
    int cells = 0;
    size_t start = i, ticks = 0;
    for (; i <= end; i++) {
        if (i < end && line[i] == '\\') {
            i++;
            continue;
        }
        if (i < end && line[i] == '`') {
            size_t k = i;
            while (k < end && line[k] == '`') k++;
            if (!ticks) ticks = k - i;
            else if (ticks == k - i) ticks = 0;
            i = k - 1;
            continue;
        }
        if (i == end || (line[i] == '|' && !ticks)) {
            if (cells == want) {
                size_t a = start, b = i;
                while (a < b && (line[a] == ' ' || line[a] == '\t')) a++;
                while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t')) b--;
                *at = a, *len = b - a;
            }
            cells++;
            start = i + 1;
        }
    }
    return cells;
}

/* A table's line of dashes: "|---|:--:|", "--- | ---". */
static bool is_delimiter_row(const char *line, size_t n)
{
    bool dash = false;
    for (size_t i = 0; i < n; i++) {
        if (line[i] == '-') dash = true;
        else if (!strchr("|: \t", line[i])) return false;
    }
    return dash;
}

/* The line around s[i]: its start and length. */
static const char *line_around(const char *s, size_t len, size_t i, size_t *n)
{
    const char *start = i ? memrchr(s, '\n', i) : NULL, *end = memchr(s + i, '\n', len - i);
    start = start ? start + 1 : s;
    *n = (size_t)((end ? end : s + len) - start);
    return start;
}

/* Whether some line of s is a table's line of dashes ("|---|---|"). */
static bool has_delimiter_row(const char *s, size_t len)
{
    for (const char *p = s, *end = s + len; (p = memchr(p, '|', (size_t)(end - p)));) {
        size_t n;
        const char *line = line_around(s, len, (size_t)(p - s), &n);
        if (is_delimiter_row(line, n)) return true;
        p = line + n; /* the next line */
    }
    return false;
}

/* Whether some line of s begins "#word" and has " #word" after it. */
static bool has_hashtag_line(const char *s, size_t len)
{
    for (const char *p = s, *end = s + len; (p = memchr(p, '#', (size_t)(end - p)));) {
        size_t n;
        const char *line = line_around(s, len, (size_t)(p - s), &n);
        size_t i = block_scan_indent(line, n);
        if (line + i == p && p + 1 < line + n && p[1] != ' ' && p[1] != '#' && p[1] != '\t' &&
            memmem(p + 1, (size_t)(line + n - p - 1), " #", 2))
            return true;
        p = line + n;
    }
    return false;
}

static void check_lost_text(check_run *r, const page_version *pv, const page_source *src, const char *body,
                            size_t len)
{
    /* Candidates first, found a rare byte at a time: most pages have none,
     * and only a page with one is read line by line. */
    bool comments = html_find_comment(body, len) != NULL;
    bool tables = has_delimiter_row(body, len), hashes = has_hashtag_line(body, len);
    if (!comments && !tables && !hashes) return;
    block_scan bs = BLOCK_SCAN_INIT;
    size_t comment_at = 0, prev = 0, prev_n = 0;
    bool in_comment = false, prev_text = false, table_said = false;
    int columns = 0; /* in a table: its columns */
    for (size_t at = 0; at < len;) {
        const char *line = body + at, *nl = memchr(line, '\n', len - at);
        size_t n = nl ? (size_t)(nl - line) : len - at;
        block_state before = bs.state;
        bool starts_paragraph = !bs.is_in_paragraph;
        line_kind kind = block_scan_line(&bs, line, n);
        if (before != IN_HTML_UNTIL && bs.state == IN_HTML_UNTIL && bs.until && !strcmp(bs.until, "-->"))
            in_comment = true, comment_at = at + block_scan_indent(line, n);
        else if (bs.state != IN_HTML_UNTIL)
            in_comment = false;
        if (hashes && kind == LINE_HEADING) {
            /* "#гематология #здоровье", hashtags pasted from a social network:
             * Grav's Markdown takes '#' before a word for a heading */
            size_t i = block_scan_indent(line, n), k = i;
            while (k < n && line[k] == '#') k++;
            bool glued = k - i <= 6 && k < n && line[k] != ' ' && line[k] != '\t';
            size_t tags = 0;
            for (size_t j = k; glued && j + 1 < n; j++)
                if ((line[j] == ' ' || line[j] == '\t') && line[j + 1] == '#' && j + 2 < n && line[j + 2] != ' ' &&
                    line[j + 2] != '#')
                    tags++;
            if (glued && tags) {
                int col, ln = check_body_at(src, at + i, &col);
                diag_add(r->d, DIAG_WARNING, pv->file, ln, col,
                         "'%.*s' is shown as a heading: Markdown takes '#' at the start of a line for one; for "
                         "hashtags, write '\\%.*s' (or put the line in a sentence)",
                         (int)(n - i > 60 ? 60 : n - i), line + i, (int)(n - i > 60 ? 60 : n - i), line + i);
            }
        }
        if (tables && kind == LINE_TEXT && columns > 0) {
            size_t cell_at = 0, cell_len = 0;
            int cells = row_cells(line, n, columns, &cell_at, &cell_len);
            if (cells > columns && !table_said) {
                int col, ln = check_body_at(src, (size_t)(line + cell_at - body), &col);
                diag_add(r->d, DIAG_WARNING, pv->file, ln, col,
                         "this row has %d cells and the table %d columns: '%.*s' and what follows it are not shown",
                         cells, columns, (int)(cell_len > 60 ? 60 : cell_len), line + cell_at);
                table_said = true;
            }
        } else if (tables && kind == LINE_TEXT && prev_text && memchr(line, '|', n) && is_delimiter_row(line, n) &&
                   memchr(body + prev, '|', prev_n)) {
            size_t lost_at = 0, lost_len = 0, unused;
            int dashes = row_cells(line, n, -1, &unused, &unused);
            int heads = row_cells(body + prev, prev_n, dashes, &lost_at, &lost_len);
            columns = dashes;
            table_said = false;
            if (heads > dashes) {
                int col, ln = check_body_at(src, prev + lost_at, &col);
                diag_add(r->d, DIAG_WARNING, pv->file, ln, col,
                         "the table's first row has %d cells and the line of dashes under it %d: only %d columns are "
                         "shown, and '%.*s' and what follows it are lost; give the line of dashes a '---' for each "
                         "column",
                         heads, dashes, dashes, (int)(lost_len > 60 ? 60 : lost_len), body + prev + lost_at);
                table_said = true;
            }
        } else if (kind != LINE_TEXT) {
            columns = 0;
        }
        /* md4c's table header begins a paragraph */
        prev_text = kind == LINE_TEXT && columns == 0 && starts_paragraph;
        prev = at, prev_n = n;
        at += n + (nl ? 1 : 0);
    }
    if (comments && in_comment) {
        int col, ln = check_body_at(src, comment_at, &col);
        diag_add(r->d, DIAG_WARNING, pv->file, ln, col,
                 "this comment ('<!--') is never closed with '-->': everything after it is hidden from the page");
    }
}

/* A line meant as the summary delimiter but not it: "====", "==",
 * "＝＝＝" (full-width, from a Kazakh or Russian keyboard layout). It
 * shows on the page (under a line of text, as a heading's underline).
 * The first such line: its offset in body and its length, or false. */
static bool delimiter_lookalike(const char *body, size_t len, const char *delim, size_t *at, size_t *n)
{
    size_t dl = strlen(delim);
    if (dl == 0 || strspn(delim, "=") != dl) return false; /* a delimiter of its own making */
    bool full_width = false; /* U+FF1D, whose first byte Cyrillic text never has */
    for (const char *p = body, *end = body + len; !full_width && (p = memchr(p, 0xEF, (size_t)(end - p))); p++)
        full_width = end - p >= 3 && (unsigned char)p[1] == 0xBC && (unsigned char)p[2] == 0x9D;
    if (!full_width && !memchr(body, '=', len)) return false;
    block_scan bs = BLOCK_SCAN_INIT;
    for (size_t i = 0; i < len;) {
        const char *line = body + i, *nl = memchr(line, '\n', len - i);
        size_t ln = nl ? (size_t)(nl - line) : len - i;
        /* under a line of text "====" is a heading's underline, as meant */
        bool may = block_scan_may_open(&bs, line, block_scan_indent(line, ln)) && !bs.is_in_paragraph;
        line_kind kind = block_scan_line(&bs, line, ln);
        size_t k = block_scan_indent(line, ln), e = ln;
        while (e > k && (line[e - 1] == ' ' || line[e - 1] == '\t')) e--;
        if (may && kind != LINE_CODE && kind != LINE_HTML && e > k) {
            size_t eq = 0, wide = 0, j = k;
            while (j < e && (line[j] == '=' || (e - j >= 3 && !memcmp(line + j, "\xEF\xBC\x9D", 3)))) {
                if (line[j] == '=') eq++, j++;
                else wide++, j += 3;
            }
            if (j == e && (wide || (eq >= 2 && eq != dl))) {
                *at = i + k;
                *n = e - k;
                return true;
            }
        }
        i += ln + (nl ? 1 : 0);
    }
    return false;
}

body_check *check_body_begin(check_run *r, const page_version *pv, const page_source *src, page_facts *f, arena *a)
{
    const site *s = r->s;
    const char *body = src->text + src->body_off;
    size_t body_len = src->len - src->body_off;
    body_check *c = xcalloc(1, sizeof *c);
    /* The start of the text is enough to find candidates; the rare
     * candidates are compared on their whole text at the end. */
    f->body_hash = check_text_fingerprint(body, body_len, QUICK_FINGERPRINT_TEXT);

    if (!pv->has_error) report_legacy_encoding(r, pv, src, body, body_len);
    if (value_path_bool(pv->header, "process.markdown", true)) check_lost_text(r, pv, src, body, body_len);
    c->underline = summary_find_unsplit_delimiter(body, body_len, s->summary_delimiter);
    if (c->underline)
        diag_add(r->d, DIAG_WARNING, pv->file, src->body_line + c->underline - 1, 1,
                 "'%s' right under a line of text is a heading underline, not a summary split: put an empty line "
                 "above it",
                 s->summary_delimiter);

    c->is_markdown = value_path_bool(pv->header, "process.markdown", true);
    c->b = (body_scan){r, pv, src, f, a, BUF_INIT, 0, 0, 0, 0, body, src->body_line, body, 0, 0, false};
    c->w.b = &c->b;
    c->w.delimiter = s->summary_delimiter && *s->summary_delimiter ? s->summary_delimiter : "===";
    content_markdown_options(s, pv, &c->grav);
    c->parser.flags = MD_DIALECT_COMMONMARK | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | c->grav.md_flags;
    c->parser.enter_block = walk_enter_block;
    c->parser.leave_block = walk_leave_block;
    c->parser.enter_span = walk_enter_span;
    c->parser.leave_span = walk_leave_span;
    c->parser.text = walk_text;
    return c;
}

const MD_PARSER *check_body_observer(body_check *c, void **user)
{
    *user = &c->w;
    return c->is_markdown ? &c->parser : NULL;
}

void check_body_end(body_check *c, bool observed)
{
    body_scan *b = &c->b;
    check_run *r = b->r;
    const site *s = r->s;
    const page_version *pv = b->pv;
    const page_source *src = b->src;
    page_facts *f = b->f;
    const char *body = src->text + src->body_off;
    size_t body_len = src->len - src->body_off;
    bool twig = false, has_delimiter = false;
    if (c->is_markdown) {
        if (!observed && body_len < 0x7fffffff) md_parse(body, (MD_SIZE)body_len, &c->parser, &c->w);
        twig = c->w.twig;
        has_delimiter = c->w.has_delimiter;
        for (size_t i = 0; i < MARKDOWN_FORMATTING_TAGS; i++) {
            if (!c->w.open_formatting[i]) continue;
            const char *tag = markdown_formatting_tag(i);
            char open[16];
            snprintf(open, sizeof open, "<%s", tag);
            /* the last such tag of the text: the one most likely left open */
            const char *at = NULL;
            for (const char *p = body; (p = memmem(p, (size_t)(body + body_len - p), open, strlen(open))); p++)
                if (p + strlen(open) < body + body_len && strchr("> \t\n", p[strlen(open)])) at = p;
            int col = 1, line = at ? check_body_at(src, (size_t)(at - body), &col) : src->body_line;
            diag_add(r->d, DIAG_WARNING, pv->file, line, col,
                     "'<%s>' is opened and never closed with '</%s>': browsers carry it on over the rest of the "
                     "text (folio closes it at the text's end); close it where it should end",
                     tag, tag);
            break; /* one a page */
        }
        buf_free(&c->w.alt);
        buf_free(&c->w.link_text);
        buf_free(&c->w.paragraph);
        buf_free(&c->w.html);
    } else {
        /* Content that is HTML already */
        scan_html(b, body, body_len, &twig);
        summary_split(body, body_len, s->summary_delimiter, 0, NULL, NULL, &has_delimiter);
    }
    f->ids = b->ids.len ? arena_strndup(b->a, b->ids.s, b->ids.len) : NULL;
    f->ids_len = b->ids.len;
    buf_free(&b->ids);

    if (twig && !value_path_bool(pv->header, "process.twig", false)) {
        const char *brace = memmem(body, body_len, "{{", 2) ? "{{" : "{%";
        int col;
        int line = check_body_line(src, brace, &col);
        diag_add(r->d, DIAG_WARNING, pv->file, line, col,
                 "Twig ('%s') in the content is shown as text: add 'process: {twig: true}' to the front matter to "
                 "run it",
                 brace);
    }

    if (c->is_markdown && !(c->grav.md_flags & MD_FLAG_NOHTMLBLOCKS)) {
        near_miss_ctx nm = {r, pv, src, body, body_len};
        notices_near_misses(body, body_len, &s->notices, report_near_miss, &nm);
    }

    summary_shape shape = content_summary_shape(s, pv);
    size_t like_at, like_n;
    bool lookalike = !has_delimiter && c->is_markdown &&
                     delimiter_lookalike(body, body_len, s->summary_delimiter ? s->summary_delimiter : "===",
                                         &like_at, &like_n);
    if (lookalike) {
        int col, line = check_body_at(src, like_at, &col);
        diag_add(r->d, DIAG_WARNING, pv->file, line, col,
                 "'%.*s' is not the summary delimiter '%s', and it shows on the page: write '%s' on a line of its "
                 "own, with an empty line above it",
                 (int)like_n, body + like_at, s->summary_delimiter ? s->summary_delimiter : "===",
                 s->summary_delimiter ? s->summary_delimiter : "===");
    }
    /* A text of no more bytes than the summary has letters is shown whole. */
    if (!has_delimiter && !lookalike && is_post(pv) && !c->underline && shape.is_enabled && !shape.is_long && shape.size &&
        body_len > shape.size && !is_other_languages_file(s, pv) && list_shows_summaries(s, pv))
        diag_add(r->d, DIAG_NOTE, pv->file, src->body_line, 1,
                 "no summary delimiter ('%s'): the list '%s' shows the first %zu characters", s->summary_delimiter,
                 pv->page->parent->v[pv->lang]->title, shape.size);

    if (!r->opt.in_build && c->is_markdown && may_hold_shortcode(body, body_len)) {
        buf html = BUF_INIT;
        markdown_options mo = {NULL, NULL, NULL, true, NULL, NULL, c->grav.md_flags, c->grav.hard_breaks, true,
                               c->grav.link_attributes, NULL, NULL, NULL, false, false, NULL};
        markdown_render(body, body_len, &mo, &html);
        shortcode_ctx sc = {0};
        sc.page_path = pv->file;
        sc.markdown = body;
        sc.markdown_len = body_len;
        sc.first_line = src->body_line;
        sc.youtube = &s->youtube; /* [youtube] is known where the site has the plugin */
        buf expanded = BUF_INIT;
        shortcodes_expand(buf_cstr(&html), html.len, &sc, &expanded, r->d);
        buf_free(&expanded);
        buf_free(&html);
    }
    free(c);
}
