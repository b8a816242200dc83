/* site.c - loading a Grav user/ folder: configuration, languages, the page
 * tree, front matter, routes, publishing state and collections.
 *
 * Loading runs in three passes. The tree walk (one thread) finds page
 * folders, their Markdown files and media. The header pass (all cores)
 * reads each page version's file and parses its front matter. The link
 * pass (one thread) computes routes top-down, detects duplicate routes and
 * builds collections, which need every header. */
#include "content/site.h"
#include "content/collection.h"
#include "content/page_files.h"
#include "theme/theme.h"
#include "content/frontmatter.h"
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/files.h"
#include "lib/pool.h"
#include "lib/spell.h"
#include "lib/yaml.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_TREE_DEPTH 32

/* A Markdown file found in a page folder. */
typedef struct md_file {
    const char *name;     /* "item.kk.md" */
    const char *path;
    const char *template; /* "item" */
    int lang;             /* language index, -1 for name.md */
} md_file;

typedef struct folder_scan {
    page *p;
    md_file *md;
    size_t nmd;
} folder_scan;

/* The folders found by one worker of the tree walk. */
typedef struct scan_list {
    folder_scan *scans;
    size_t nscans, capscans;
    char codes[8][16]; /* on a site without languages: those the unread page files name */
    int ncodes;
} scan_list;

/* One level of the tree walk: its folders are read in parallel, each
 * worker allocating from its own arena. */
typedef struct loader {
    site *s;
    diag_list *d;
    page **level;
    int depth;
    scan_list *found; /* per worker */
} loader;

/* ---- configuration ---------------------------------------------------- */

#define CONFIG_MAX_FILE (16 * 1024 * 1024)

/* A configuration or translation file, rel to user/; NULL when there is
 * none. It is read beneath user/ (openat2 RESOLVE_BENEATH): a symbolic
 * link may point elsewhere inside the site, never out of it, so a link
 * committed into the site cannot bring another file's text into pages
 * or messages. */
static value *load_optional_yaml(site *s, const char *rel, diag_list *d)
{
    size_t len;
    char *text = file_read_beneath(s->user_dir, rel, &len, CONFIG_MAX_FILE);
    if (!text && errno == ENOENT) return NULL;
    char *path = path_join(s->user_dir, rel);
    value *v = NULL;
    if (!text) {
        bool is_outside = errno == EXDEV || errno == ELOOP;
        diag_add(d, DIAG_ERROR, path, 0, 0,
                 is_outside ? "symbolic link leading outside the site: not read" : "cannot read: %s", strerror(errno));
    } else {
        v = yaml_load(&s->arena, text, len, path, 0, d);
        free(text);
    }
    free(path);
    if (v && v->kind != V_MAP) v = NULL;
    return v;
}

/* Grav's Language: the languages of languages.supported, the default put
 * in front when it is not among them. With none listed Grav turns
 * languages off: addresses have no language prefix and only a name.md
 * file is a page. folio then has one language, named by default_lang
 * (system.yaml, else site.yaml) or "en", for dates and the html lang. */
static void setup_languages(site *s, const value *site_cfg, diag_list *d)
{
    value *supported = value_path(s->system, "languages.supported");
    s->nlangs = 0;
    if (supported && supported->kind != V_LIST && supported->kind != V_NULL) {
        /* "supported: kk, ru, en" on one line is one word: built as it
         * reads, the site would have no language of those and lose every
         * page (site_load counts this among the configuration's errors). */
        char *path = path_join(s->user_dir, "config/system.yaml");
        char *text = file_read_beneath(s->user_dir, "config/system.yaml", NULL, 1 << 20);
        diag_add(d, DIAG_ERROR, path, text ? yaml_key_line(text, "supported") : 0, 1,
                 "languages.supported must be a list of language codes, like [kk, ru, en] (with the brackets) "
                 "or one '- kk' line for each");
        free(text);
        free(path);
    }
    if (supported && supported->kind == V_LIST) {
        for (size_t i = 0; i < supported->u.list.len && s->nlangs < SITE_MAX_LANGS; i++) {
            const char *code = value_to_cstr(&s->arena, supported->u.list.items[i]);
            if (!*code || strchr(code, '/') || strchr(code, '.')) continue;
            s->langs[s->nlangs++] = code;
        }
    }
    const char *dflt = value_path_str(s->system, "languages.default_lang", NULL);
    s->is_multilang = s->nlangs > 0;
    if (!s->is_multilang) {
        const char *code = dflt ? dflt : value_path_str(site_cfg, "default_lang", "en");
        if (!*code || strchr(code, '/') || strchr(code, '.')) code = "en";
        s->langs[s->nlangs++] = code;
        s->default_lang = 0;
        s->include_default_lang = false;
        s->translations_fallback = value_path_bool(s->system, "languages.translations_fallback", true);
        s->fallback[0][0] = -1;
        s->fallback[0][1] = -2;
        (void)d;
        return;
    }
    s->default_lang = 0;
    if (dflt) {
        int i = site_lang_index(s, dflt);
        if (i < 0 && s->nlangs < SITE_MAX_LANGS) {
            /* Grav puts a default that is not in the list in front. */
            memmove(&s->langs[1], &s->langs[0], (size_t)s->nlangs * sizeof s->langs[0]);
            s->langs[0] = dflt;
            s->nlangs++;
            i = 0;
        }
        s->default_lang = i < 0 ? 0 : i;
    }
    s->include_default_lang = value_path_bool(s->system, "languages.include_default_lang", true);
    s->translations_fallback = value_path_bool(s->system, "languages.translations_fallback", true);
    bool fallback_only = value_path_bool(s->system, "languages.pages_fallback_only", false);

    /* Grav's Language::getFallbackLanguages with includeDefault. */
    for (int l = 0; l < s->nlangs; l++) {
        int *fb = s->fallback[l], n = 0;
        char key[64];
        snprintf(key, sizeof key, "languages.content_fallback.%s", s->langs[l]);
        value *cf = value_path(s->system, key);
        if ((!cf || cf->kind == V_NULL) && fallback_only) {
            /* active language, then the languages before it in reverse, then name.md */
            for (int k = l; k >= 0; k--) fb[n++] = k;
            fb[n++] = -1;
        } else {
            int list[SITE_MAX_LANGS + 1], m = 0;
            list[m++] = l;
            if (!cf || cf->kind == V_NULL) {
                list[m++] = s->default_lang;
            } else if (cf->kind == V_LIST) {
                for (size_t i = 0; i < cf->u.list.len && m < SITE_MAX_LANGS; i++) {
                    int k = site_lang_index(s, value_to_cstr(&s->arena, cf->u.list.items[i]));
                    if (k >= 0) list[m++] = k;
                }
            } else if (cf->kind == V_STRING) {
                char *copy = arena_strdup(&s->arena, cf->u.str.s), *save = NULL;
                for (char *t = strtok_r(copy, ",", &save); t && m < SITE_MAX_LANGS; t = strtok_r(NULL, ",", &save)) {
                    int k = site_lang_index(s, t);
                    if (k >= 0) list[m++] = k;
                }
            }
            for (int i = 0; i < m; i++) {
                int dup = 0;
                for (int j = 0; j < n; j++)
                    if (fb[j] == list[i]) dup = 1;
                if (dup) continue;
                fb[n++] = list[i];
                if (list[i] == s->default_lang) fb[n++] = -1;
            }
        }
        fb[n] = -2;
    }
    (void)d;
}

/* Grav's markdown-notices plugin comes with every Grav site: notices are
 * on unless its configuration turns them off, or the site has its own
 * plugins folder without it. */
static void load_notice_style(site *s, diag_list *d)
{
    static const char *const levels[] = {"yellow", "red", "blue", "green"};
    notice_style *ns = &s->notices;
    *ns = (notice_style){"notices", {0}, 0};
    char *plugins = path_join(s->user_dir, "plugins"), *plugin = path_join(plugins, "markdown-notices");
    bool is_missing = path_is_dir(plugins) && !path_is_dir(plugin);
    free(plugins);
    free(plugin);
    value *cfg = load_optional_yaml(s, "config/plugins/markdown-notices.yaml", d);
    if (is_missing || (cfg && !value_path_bool(cfg, "enabled", true))) return;
    const value *base = cfg ? map_get(cfg, "base_classes") : NULL;
    if (base && base->kind == V_STRING) ns->base = base->u.str.s;
    const value *list = cfg ? map_get(cfg, "level_classes") : NULL;
    if (list && list->kind == V_LIST) {
        for (size_t i = 0; i < list->u.list.len && ns->nlevels < NOTICE_MAX_LEVELS; i++)
            ns->levels[ns->nlevels++] = value_to_cstr(&s->arena, list->u.list.items[i]);
        return;
    }
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) ns->levels[ns->nlevels++] = levels[i];
}

/* The query keys a link may turn into its attributes (Grav's
 * pages.markdown.valid_link_attributes). */
static void load_link_attributes(site *s)
{
    static const char *const grav[] = {"rel", "target", "id", "class", "classes"};
    const value *list = value_path(s->system, "pages.markdown.valid_link_attributes");
    size_t n = list && list->kind == V_LIST ? list->u.list.len : sizeof grav / sizeof grav[0];
    const char **names = arena_alloc(&s->arena, (n + 1) * sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = list && list->kind == V_LIST ? value_to_cstr(&s->arena, list->u.list.items[i]) : grav[i];
    names[n] = NULL;
    s->link_attributes = names;
}

/* The built-in theme's UI strings (its languages.yaml) fill in the keys a
 * language's own strings lack, as Grav merges a theme's strings into each
 * language: a site whose languages/ files were written for its Grav theme
 * still gets "Фотогалерея", not "GALLERY", for its galleries. */
static void add_theme_strings(site *s)
{
    const theme_file *f = theme_find("languages.yaml");
    value *theme = f ? yaml_load(&s->arena, f->data, f->size, "theme/languages.yaml", 1, NULL) : NULL;
    if (!theme || theme->kind != V_MAP) return;
    for (int l = 0; l < s->nlangs; l++) {
        const value *t = map_get(theme, s->langs[l]);
        if (!t) t = map_get(theme, "en"); /* a language the theme does not speak: its English */
        if (!t || t->kind != V_MAP || s->strings[l]->kind != V_MAP) continue;
        for (size_t i = 0; i < t->u.map.len; i++)
            if (!map_get(s->strings[l], t->u.map.items[i].key))
                map_set(&s->arena, s->strings[l], t->u.map.items[i].key, t->u.map.items[i].val);
    }
}

/* A Grav plugin folio follows (youtube, page-inject, page-toc: none comes
 * with Grav) is on where the site has it in plugins/<name> and its
 * configuration does not turn it off. Its configuration, or NULL. */
static value *plugin_config(site *s, const char *name, bool *is_on, diag_list *d)
{
    char rel[128];
    snprintf(rel, sizeof rel, "plugins/%s", name);
    char *folder = path_join(s->user_dir, rel);
    bool is_installed = path_is_dir(folder);
    free(folder);
    *is_on = false;
    if (!is_installed) return NULL;
    snprintf(rel, sizeof rel, "config/plugins/%s.yaml", name);
    value *cfg = load_optional_yaml(s, rel, d);
    *is_on = !cfg || value_path_bool(cfg, "enabled", true);
    return cfg;
}

static void load_youtube_style(site *s, diag_list *d)
{
    s->youtube = (youtube_style){false, true, NULL};
    value *cfg = plugin_config(s, "youtube", &s->youtube.is_on, d);
    s->youtube.is_private = !cfg || value_path_bool(cfg, "privacy_enhanced_mode", true);
    char *query = cfg ? youtube_query(map_get(cfg, "player_parameters")) : NULL;
    s->youtube.query = query ? arena_strdup(&s->arena, query) : NULL;
    free(query);
}

static void load_media_types(site *s, diag_list *d)
{
    value *cfg = load_optional_yaml(s, "config/media.yaml", d);
    if (!cfg) return;
    value *types = map_get(cfg, "types");
    if (!types || types->kind != V_MAP) types = cfg; /* Grav before 1.7: extensions at the top */
    const char **list = arena_alloc(&s->arena, (types->u.map.len + 1) * sizeof *list);
    size_t n = 0;
    for (size_t i = 0; i < types->u.map.len; i++) {
        const char *k = types->u.map.items[i].key;
        if (!strcmp(k, "defaults") || !*k || strchr(k, '.') || strchr(k, '/')) continue;
        char *low = arena_strdup(&s->arena, k);
        for (char *c = low; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        list[n++] = low;
    }
    list[n] = NULL;
    s->media_types = list;
}

const char *site_withheld_reason(const page *pg, const char *name)
{
    for (size_t i = 0; i < pg->nwithheld; i++)
        if (!strcmp(pg->withheld[2 * i], name)) return pg->withheld[2 * i + 1];
    return NULL;
}

static void load_config(site *s, diag_list *d)
{
    const char *defaults_yaml = "languages:\n"
                                "  supported: []\n"
                                "  include_default_lang: true\n"
                                "  translations_fallback: true\n"
                                "  pages_fallback_only: false\n"
                                "home:\n"
                                "  alias: /home\n"
                                "timezone: ''\n";
    s->system = yaml_load(&s->arena, defaults_yaml, strlen(defaults_yaml), "defaults", 0, d);
    value *sys = load_optional_yaml(s, "config/system.yaml", d);
    if (sys) value_merge_into(&s->arena, s->system, sys);
    value *site_cfg = load_optional_yaml(s, "config/site.yaml", d);
    if (!site_cfg) site_cfg = value_map(&s->arena);
    setup_languages(s, site_cfg, d);
    s->lowercase_urls = value_path_bool(s->system, "force_lowercase_urls", true);
    value *all_strings = load_optional_yaml(s, "languages.yaml", d);
    for (int l = 0; l < s->nlangs; l++) {
        char name[80];
        snprintf(name, sizeof name, "config/site.%s.yaml", s->langs[l]);
        value *per = load_optional_yaml(s, name, d);
        value *merged = value_copy(&s->arena, site_cfg);
        if (per) value_merge_into(&s->arena, merged, per);
        s->config[l] = merged;

        snprintf(name, sizeof name, "languages/%s.yaml", s->langs[l]);
        value *str = load_optional_yaml(s, name, d);
        /* Grav accepts both "KEY: text" and "<lang>: {KEY: text}". */
        if (str && str->u.map.len == 1 && !strcmp(str->u.map.items[0].key, s->langs[l]) &&
            str->u.map.items[0].val->kind == V_MAP)
            str = str->u.map.items[0].val;
        if (!str && all_strings) {
            value *x = map_get(all_strings, s->langs[l]);
            if (x && x->kind == V_MAP) str = x;
        }
        s->strings[l] = str ? str : value_map(&s->arena);
    }
    add_theme_strings(s);
    for (int l = 0; l < s->nlangs; l++) {
        s->frame_titles[l][0] = site_translate(s, l, "FRAME_MAP");
        s->frame_titles[l][1] = site_translate(s, l, "FRAME_VIDEO");
        s->youtube_titles[l] = site_translate(s, l, "YOUTUBE_VIDEO");
    }

    load_notice_style(s, d);
    load_youtube_style(s, d);
    plugin_config(s, "page-inject", &s->has_page_inject, d);
    plugin_config(s, "page-toc", &s->has_page_toc, d);
    load_link_attributes(s);
    load_media_types(s, d);
    s->home_alias = value_path_str(s->system, "home.alias", "/home");
    s->summary_delimiter = value_path_str(site_cfg, "summary.delimiter", "===");
    long long size = value_path_int(site_cfg, "summary.size", 300);
    s->summary_size = size >= 0 ? (size_t)size : 300; /* 0: the whole content, as in Grav */
    s->summary_enabled = value_path_bool(site_cfg, "summary.enabled", true);
    s->summary_long = !strcmp(value_path_str(site_cfg, "summary.format", "short"), "long");
    s->timezone = value_path_str(s->system, "timezone", "");
    if (s->timezone && *s->timezone && date_set_timezone(s->timezone) < 0) {
        char *p = path_join(s->user_dir, "config/system.yaml");
        char *text = file_read_beneath(s->user_dir, "config/system.yaml", NULL, 1 << 20);
        diag_add(d, DIAG_ERROR, p, text ? yaml_key_line(text, "timezone") : 0, 1,
                 "unknown timezone '%s' (a name from the tz database, like Asia/Almaty)", s->timezone);
        free(text);
        free(p);
    }
}

/* ---- tree walk -------------------------------------------------------- */

/* A folder entry: its name and type as the listing gives it (DT_UNKNOWN
 * on file systems that do not say). */
typedef struct dir_entry {
    const char *name;
    unsigned char type;
} dir_entry;

static int natural_cmp(const void *a, const void *b)
{
    return strverscmp(((const dir_entry *)a)->name, ((const dir_entry *)b)->name);
}

static int media_name_cmp(const void *a, const void *b)
{
    const char *x = ((const media_file *)a)->name, *y = ((const media_file *)b)->name;
    char lx[256], ly[256];
    size_t i = 0, j = 0;
    for (; x[i] && i < sizeof lx - 1; i++) lx[i] = (char)(x[i] >= 'A' && x[i] <= 'Z' ? x[i] - 'A' + 'a' : x[i]);
    for (; y[j] && j < sizeof ly - 1; j++) ly[j] = (char)(y[j] >= 'A' && y[j] <= 'Z' ? y[j] - 'A' + 'a' : y[j]);
    lx[i] = ly[j] = 0;
    int c = strverscmp(lx, ly);
    return c ? c : strcmp(x, y);
}

/* name in small letters (Latin, Cyrillic, Kazakh), as Grav's
 * mb_strtolower makes a folder's name in an address; name itself when it
 * has no capital. */
static const char *small_letters(arena *a, const char *name)
{
    bool maybe = false;
    for (const char *p = name; *p && !maybe; p++) maybe = (*p >= 'A' && *p <= 'Z') || (unsigned char)*p >= 0x80;
    if (!maybe) return name;
    char *out = arena_alloc(a, strlen(name) + 1);
    spell_fold(name, out);
    return strcmp(out, name) ? out : name;
}

/* "03.slug" -> order 3, slug "slug"; "slug" -> -1, "slug". */
static int split_order_prefix(const char *name, const char **slug)
{
    const char *p = name;
    int n = 0, digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 9) n = n * 10 + (*p++ - '0'), digits++;
    if (digits && *p == '.' && p[1]) {
        *slug = p + 1;
        return n;
    }
    *slug = name;
    return -1;
}

static const char *url_encode_segment(arena *a, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    buf b = BUF_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p) || *p >= 0x80)
            buf_putc(&b, (char)*p);
        else {
            buf_putc(&b, '%');
            buf_putc(&b, hex[*p >> 4]);
            buf_putc(&b, hex[*p & 15]);
        }
    }
    const char *r = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return r;
}

static const char *header_str(arena *a, const value *h, const char *key)
{
    value *v = map_get(h, key);
    if (!v || v->kind == V_NULL || v->kind == V_LIST || v->kind == V_MAP) return NULL;
    return value_to_cstr(a, v);
}

#define NOT_A_DATE "%s '%s' is not a date (write it like '09-01-2023 10:00')"

/* The format a header's dates are read with first: its own dateformat,
 * else the site's (system.yaml pages.dateformat.default), as Grav's
 * Utils::date2timestamp; NULL for the free form alone. */
static const char *date_format_of(const site *s, arena *a, const value *h)
{
    const char *fmt = header_str(a, h, "dateformat");
    if (!fmt || !*fmt) fmt = value_path_str(s->system, "pages.dateformat.default", NULL);
    return fmt && *fmt ? fmt : NULL;
}

static void load_folder_frontmatter(const site *s, page *pg, const char *path, arena *a, diag_list *d)
{
    size_t len = 0;
    char *text = file_read(path, &len, 1 << 20);
    if (!text) {
        if (errno == EFBIG) diag_add(d, DIAG_WARNING, path, 0, 0, "not read: over 1 MB, which front matter never is");
        else diag_add(d, DIAG_WARNING, path, 0, 0, "cannot read: %s", strerror(errno));
        return;
    }
    value *fm = yaml_load(a, text, len, path, 0, d);
    if (fm && fm->kind == V_MAP) {
        pg->frontmatter = fm;
        /* Its dates are said wrong here, once for all the language files. */
        const char *fmt = date_format_of(s, a, fm);
        static const char *const keys[] = {"date", "publish_date", "unpublish_date"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            const value *v = map_get(fm, keys[k]);
            if (!v || v->kind == V_NULL || v->kind == V_INT) continue;
            const char *t = value_to_cstr(a, v);
            long long when;
            int col = 0;
            if (date_parse(t, fmt, &when, &col) != 0)
                diag_add(d, DIAG_ERROR, path, yaml_key_line(text, keys[k]),
                         (int)strlen(keys[k]) + 3 + (col > 0 ? col - 1 : 0),
                         NOT_A_DATE, keys[k], t);
        }
    } else if (fm && fm->kind != V_NULL) {
        diag_add(d, DIAG_WARNING, path, 1, 1, "not read: front matter is a list of 'key: value' lines");
    }
    free(text);
}

static bool name_is_safe(const char *name)
{
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '\\') return false;
    return true;
}

static void scan_folder(loader *L, page *pg, int depth, arena *a, scan_list *found)
{
    site *s = L->s;
    /* The entries straight from getdents64: opendir would add an fstat
     * per folder, and a news folder holds thousands of folders. */
    int fd = open(pg->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        diag_add(L->d, DIAG_ERROR, pg->dir, 0, 0, "cannot read folder: %s", strerror(errno));
        return;
    }
    dir_entry *names = NULL;
    size_t nnames = 0, cap = 0;
    _Alignas(struct dirent64) char entries[16384];
    ssize_t got;
    while ((got = getdents64(fd, entries, sizeof entries)) > 0) {
        for (ssize_t off = 0; off < got;) {
            const struct dirent64 *e = (const struct dirent64 *)(entries + off);
            off += e->d_reclen;
            if (e->d_name[0] == '.') continue;
            if (nnames == cap) {
                cap = cap ? cap * 2 : 16;
                names = xrealloc(names, cap * sizeof *names);
            }
            names[nnames++] = (dir_entry){arena_strdup(a, e->d_name), e->d_type};
        }
    }
    if (got < 0) diag_add(L->d, DIAG_ERROR, pg->dir, 0, 0, "cannot read folder: %s", strerror(errno));
    close(fd);
    if (nnames > 1) qsort(names, nnames, sizeof *names, natural_cmp); /* an empty folder has names == NULL */

    folder_scan scan = {pg, NULL, 0};
    size_t capmd = 0, capchild = 0, capmedia = 0, nunread = 0, capunread = 0, capwithheld = 0;
    const char **unread = NULL; /* paths of Markdown files Grav does not read */
    for (size_t i = 0; i < nnames; i++) {
        const char *name = names[i].name;
        char *path = path_join(pg->dir, name);
        /* The folder listing tells the type on most file systems: folders
         * and page files need no stat of their own, media need the size. */
        struct stat st = {0};
        int lang;
        const char *tmpl;
        unsigned char type = names[i].type;
        int kind = type == DT_REG && pg->parent ? page_file_classify(s, a, name, &lang, &tmpl) : PAGE_FILE_OTHER;
        bool is_page_file = kind == PAGE_FILE_PAGE;
        if (type == DT_DIR) st.st_mode = S_IFDIR;
        else if (is_page_file) st.st_mode = S_IFREG;
        else if (lstat(path, &st) < 0) {
            diag_add(L->d, DIAG_WARNING, path, 0, 0, "cannot read: %s", strerror(errno));
            free(path);
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            /* Links could lead outside the site or into a loop; folio publishes
             * only what is really inside user/pages. */
            diag_add(L->d, DIAG_WARNING, path, 0, 0, "symbolic link ignored (only files inside the site are published)");
            free(path);
            continue;
        }
        if (!name_is_safe(name)) {
            diag_add(L->d, DIAG_WARNING, pg->dir, 0, 0, "file name with control characters ignored");
            free(path);
            continue;
        }
        const char *spath = arena_strdup(a, path);
        free(path);
        if (S_ISDIR(st.st_mode)) {
            /* Modular sections ("_hero") are read like pages but shown only
             * inside their parent; nothing below them is a page. */
            if (pg->is_module) continue;
            if (depth + 1 > MAX_TREE_DEPTH) {
                diag_add(L->d, DIAG_ERROR, spath, 0, 0, "pages nested deeper than %d folders", MAX_TREE_DEPTH);
                continue;
            }
            page *child = arena_zalloc(a, sizeof *child);
            child->parent = pg;
            child->dir = spath;
            child->folder = name;
            child->order = split_order_prefix(name, &child->folder_slug);
            child->route_slug = s->lowercase_urls ? small_letters(a, child->folder_slug) : child->folder_slug;
            child->is_module = child->folder_slug[0] == '_'; /* "_hero", or "01._hero" as in Grav */
            child->rel = pg->rel[0] ? arena_cat(a, pg->rel, "/", name, (char *)NULL) : name;
            if (pg->nchildren == capchild) {
                capchild = capchild ? capchild * 2 : 8;
                page **c = arena_alloc(a, capchild * sizeof *c);
                if (pg->nchildren) memcpy(c, pg->children, pg->nchildren * sizeof *c);
                pg->children = c;
            }
            pg->children[pg->nchildren++] = child;
            continue;
        }
        if (!S_ISREG(st.st_mode)) continue;
        if (!is_page_file && kind == PAGE_FILE_OTHER && pg->parent) kind = page_file_classify(s, a, name, &lang, &tmpl);
        if (kind == PAGE_FILE_UNREAD) {
            if (nunread == capunread) {
                capunread = capunread ? capunread * 2 : 4;
                unread = xrealloc(unread, capunread * sizeof *unread);
            }
            unread[nunread++] = spath;
            continue;
        }
        if (kind == PAGE_FILE_PAGE) {
            if (scan.nmd == capmd) {
                capmd = capmd ? capmd * 2 : 4;
                scan.md = xrealloc(scan.md, capmd * sizeof *scan.md);
            }
            scan.md[scan.nmd++] = (md_file){name, spath, tmpl, lang};
            continue;
        }
        size_t nl = strlen(name);
        if (!pg->parent || (nl > 10 && !strcmp(name + nl - 10, ".meta.yaml"))) continue;
        if (!strcmp(name, "frontmatter.yaml")) {
            /* Front matter the folder's files share (Grav reads it under
             * each page header); not a file to publish. */
            load_folder_frontmatter(s, pg, spath, a, L->d);
            continue;
        }
        const char *why = page_file_withheld_reason(s, name, a);
        if (why) {
            diag_add(L->d, page_file_is_clutter(name) ? DIAG_NOTE : DIAG_WARNING, spath, 1, 1, "not published: %s", why);
            if (pg->nwithheld == capwithheld) {
                capwithheld = capwithheld ? capwithheld * 2 : 4;
                const char **w = arena_alloc(a, 2 * capwithheld * sizeof *w);
                if (pg->nwithheld) memcpy(w, pg->withheld, 2 * pg->nwithheld * sizeof *w);
                pg->withheld = w;
            }
            pg->withheld[2 * pg->nwithheld] = name;
            pg->withheld[2 * pg->nwithheld + 1] = why;
            pg->nwithheld++;
            continue;
        }
        if (pg->nmedia == capmedia) {
            capmedia = capmedia ? capmedia * 2 : 4;
            media_file *m = arena_alloc(a, capmedia * sizeof *m);
            if (pg->nmedia) memcpy(m, pg->media, pg->nmedia * sizeof *m);
            pg->media = m;
        }
        media_file *m = &pg->media[pg->nmedia++];
        m->name = name;
        m->path = spath;
        m->size = st.st_size;
        m->stamp = file_stamp_of(&st);
        m->url = NULL; /* set once routes are known */
    }
    free(names);
    /* Grav orders a page's media naturally and without regard to case
     * (orderMedia): "cover.png" before "IMG_0002.PNG", the first image
     * being the post's header image */
    if (pg->nmedia > 1) qsort(pg->media, pg->nmedia, sizeof *pg->media, media_name_cmp);
    for (size_t i = 0; i < nunread; i++) {
        const char *slash = strrchr(unread[i], '/');
        const char *name = slash ? slash + 1 : unread[i];
        page_file_report_unread(s, L->d, unread[i], name, scan.nmd > 0, a);
        const char *code = s->is_multilang ? NULL : page_file_lang_code(name, a);
        bool known = false;
        for (int c = 0; code && c < found->ncodes; c++) known |= !strcmp(found->codes[c], code);
        if (code && !known && found->ncodes < 8 && strlen(code) < sizeof found->codes[0])
            strcpy(found->codes[found->ncodes++], code);
    }
    free(unread);
    /* A copy a file manager made ("Copy of item.ru.md", "item (copy).ru.md")
     * sorts before its original: names with a space come after those
     * without, so that the original is the one read. */
    for (size_t k = 1; k < scan.nmd; k++)
        for (size_t j = k; j > 0 && strchr(scan.md[j - 1].name, ' ') && !strchr(scan.md[j].name, ' '); j--) {
            md_file t = scan.md[j];
            scan.md[j] = scan.md[j - 1];
            scan.md[j - 1] = t;
        }
    /* "item.ru.md" beside "default.ru.md": a page has one file for each
     * language; the first by name is read (choose_files), and an editor
     * editing the other one sees no change. */
    for (size_t k = 1; k < scan.nmd; k++)
        for (size_t j = 0; j < k; j++)
            if (scan.md[j].lang == scan.md[k].lang) {
                diag_add(L->d, DIAG_WARNING, scan.md[k].path, 1, 1,
                         "not read: '%s' in the same folder is the page's file%s%s, and a page has one file for each "
                         "language; move the text into it and remove this one",
                         scan.md[j].name, scan.md[k].lang >= 0 ? " in " : "",
                         scan.md[k].lang >= 0 ? s->langs[scan.md[k].lang] : "");
                break;
            }

    if (pg->parent) {
        if (found->nscans == found->capscans) {
            found->capscans = found->capscans ? found->capscans * 2 : 64;
            found->scans = xrealloc(found->scans, found->capscans * sizeof *found->scans);
        }
        found->scans[found->nscans++] = scan;
    } else {
        free(scan.md);
    }
}

static void scan_level(void *ctx, int worker, size_t i)
{
    loader *L = ctx;
    scan_folder(L, L->level[i], L->depth, &L->s->thread_arenas[worker], &L->found[worker]);
}

/* The whole tree, a level at a time: the folders of a level are
 * independent, and a news folder holds thousands of them. */
static void scan_tree(loader *L)
{
    site *s = L->s;
    L->found = xcalloc((size_t)s->nthreads, sizeof *L->found);
    size_t n = 1;
    page **level = xmalloc(sizeof *level);
    level[0] = s->root;
    for (int depth = 0; n; depth++) {
        L->level = level;
        L->depth = depth;
        parallel_for(n, s->nthreads, scan_level, L);
        size_t next_n = 0;
        for (size_t i = 0; i < n; i++) next_n += level[i]->nchildren;
        page **next = xmalloc((next_n + 1) * sizeof *next);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < level[i]->nchildren; c++) next[k++] = level[i]->children[c];
        free(level);
        level = next;
        n = next_n;
    }
    free(level);
}

/* ---- headers ---------------------------------------------------------- */


static long long header_date(site *s, arena *a, page_version *pv, const page_source *src, const char *key,
                             const char *fmt, diag_list *d)
{
    value *v = map_get(pv->header, key);
    if (!v || v->kind == V_NULL) return 0;
    if (v->kind == V_INT) return v->u.i;
    const char *text = value_to_cstr(a, v);
    long long t;
    int col = 0;
    if (date_parse(text, fmt, &t, &col) == 0) return t;
    int at_col = (int)strlen(key) + 3 + (col > 0 ? col - 1 : 0);
    if (pv->own_header && !map_get(pv->own_header, key)) {
        /* The folder's frontmatter.yaml's date: the loader said so there,
         * once, unless only this page's own dateformat refuses it. */
        long long ignored;
        if (date_parse(text, date_format_of(s, a, pv->page->frontmatter), &ignored, NULL) == 0)
            diag_add(d, DIAG_ERROR, pv->file, frontmatter_key_line(src, "dateformat"), 1,
                     "%s '%s' (from the folder's frontmatter.yaml) is not a date as this page's dateformat reads it",
                     key, text);
    } else {
        diag_add(d, DIAG_ERROR, pv->file, frontmatter_key_line(src, key), at_col,
                 NOT_A_DATE, key, text);
    }
    pv->has_error = true;
    return 0;
}

bool site_word_says_yes(const char *w)
{
    static const char *const yes[] = {"true", "1", "yes", "y", "on", "да", "Да", "ДА", "иә", "Иә", "ИӘ", NULL};
    for (int i = 0; yes[i]; i++)
        if (!strcasecmp(w, yes[i])) return true;
    return false;
}

bool site_header_bool(const value *h, const char *key, bool dflt)
{
    value *v = map_get(h, key);
    if (!v || v->kind == V_NULL) return dflt;
    if (v->kind == V_STRING) {
        /* Grav reads the strings "false" and "0" as false through PHP casts. */
        if (!strcasecmp(v->u.str.s, "false")) return false;
    }
    return value_truthy(v);
}

typedef struct header_job {
    page_version *pv;
    const char *file;
} header_job;

typedef struct header_pass {
    site *s;
    diag_list *d;
    header_job *jobs;
} header_pass;

/* A page file of up to this size is read once, straight into the site's
 * source arena (on huge pages), and kept there for the build to render:
 * opening and reading each file a second time cost more than the memory
 * (about 130 MB for 10,000 posts in three languages, given back once
 * the pages are rendered). */
#define SMALL_PAGE_FILE (16 * 1024)
/* ... up to this much in all: a site much larger than that reads the
 * rest again, and its memory stays bounded. */
#define SOURCE_KEEP_LIMIT ((size_t)256 << 20)
/* Of a larger file, enough for its front matter: most headers end in the
 * first few kilobytes; a longer one (or a file without an end to its
 * header) is read whole. */
#define HEAD_READ 4096

static char *keep_source(const site *s, arena *a, page_version *pv, size_t *len, bool *kept)
{
    *kept = false;
    if (arena_used(a) >= SOURCE_KEEP_LIMIT / (size_t)s->nthreads) return NULL;
    char *text = arena_alloc(a, SMALL_PAGE_FILE + 1);
    ssize_t r = file_read_into(pv->file, text, SMALL_PAGE_FILE);
    if (r < 0 || r == SMALL_PAGE_FILE) {
        int e = errno;
        arena_trim(a, text, SMALL_PAGE_FILE + 1, 0);
        errno = e;
        return NULL;
    }
    text[r] = 0;
    size_t n = source_normalize(text, (size_t)r, &pv->source_controls);
    arena_trim(a, text, SMALL_PAGE_FILE + 1, n + 1);
    pv->source = text;
    pv->source_len = *len = n;
    *kept = true;
    return text;
}

static char *read_front(const char *path, size_t *len, bool *whole)
{
    char *text = file_read_head(path, HEAD_READ, len, whole);
    if (!text || *whole) {
        if (text) *len = source_normalize(text, *len, NULL);
        return text;
    }
    /* Only complete lines: a fence cut in half ("--" of "----") must not
     * end the header. */
    char *nl = memrchr(text, '\n', *len);
    size_t n = nl ? (size_t)(nl - text) + 1 : 0;
    text[n] = 0;
    n = source_normalize(text, n, NULL);
    page_source probe = {text, n, NULL, 0, 1, 0};
    frontmatter_find_body(&probe);
    /* An unterminated header runs to the end (body_off == n): the end
     * may be in the rest of the file. */
    bool opens = n >= 3 && !memcmp(text, "---", 3);
    if (!opens || (probe.body_off > 0 && probe.body_off < n)) {
        *len = n;
        return text;
    }
    free(text);
    text = file_read(path, len, MAX_PAGE_FILE);
    if (text) *len = source_normalize(text, *len, NULL);
    *whole = text != NULL;
    return text;
}

char *site_source(const page_version *pv, size_t *len, size_t *controls, bool *owned)
{
    if (pv->source) {
        *len = pv->source_len;
        if (controls) *controls = pv->source_controls;
        *owned = false;
        return (char *)pv->source;
    }
    *owned = true;
    return site_read_source(pv, len, controls);
}

void site_drop_sources(site *s)
{
    for (size_t i = 0; i < s->nversions; i++) s->versions[i]->source = NULL;
    for (int t = 0; t < s->nthreads; t++) arena_free(&s->source_arenas[t]);
}

char *site_read_source(const page_version *pv, size_t *len, size_t *controls)
{
    bool whole;
    char *text = file_read_head(pv->file, SMALL_PAGE_FILE, len, &whole);
    if (text && !whole) {
        free(text);
        text = file_read(pv->file, len, MAX_PAGE_FILE);
    }
    if (text) *len = source_normalize(text, *len, controls);
    return text;
}

static void read_header(void *ctx, int worker, size_t i)
{
    header_pass *hp = ctx;
    site *s = hp->s;
    arena *a = &s->thread_arenas[worker];
    page_version *pv = hp->jobs[i].pv;
    page_source src = {0};
    bool whole = false, kept = false;
    src.text = keep_source(s, &s->source_arenas[worker], pv, &src.len, &kept);
    if (!kept) src.text = read_front(pv->file, &src.len, &whole);
    if (!src.text) {
        diag_add(hp->d, DIAG_ERROR, pv->file, 0, 0, "cannot read: %s", strerror(errno));
        pv->header = value_map(a);
        pv->has_error = true;
    } else {
        if (frontmatter_split(&src, a, pv->file, hp->d) < 0) {
            pv->has_error = true;
            pv->header = value_map(a);
        } else {
            pv->header = src.header;
        }
    }
    page *pg = pv->page;
    if (pg->frontmatter && !pv->has_error) {
        value *merged = value_copy(a, pg->frontmatter);
        value_merge_into(a, merged, pv->header);
        pv->own_header = pv->header;
        pv->header = merged;
    }
    const value *h = pv->header;
    pv->title = header_str(a, h, "title");
    if (!pv->title || !*pv->title || !strcmp(pv->title, "0")) {
        /* Grav: ucfirst(slug) when the title is empty() in PHP's sense */
        char *t = arena_strdup(a, pg->route_slug);
        if (t[0] >= 'a' && t[0] <= 'z') t[0] = (char)(t[0] - 'a' + 'A');
        pv->title = t;
    }
    pv->menu = header_str(a, h, "menu");
    if (!pv->menu) pv->menu = pv->title;
    pv->slug = header_str(a, h, "slug");
    if (!pv->slug || !*pv->slug || strchr(pv->slug, '/') || !strcmp(pv->slug, "..") || !strcmp(pv->slug, "."))
        pv->slug = pg->route_slug;
    const char *tmpl = header_str(a, h, "template");
    if (tmpl && *tmpl && !strstr(tmpl, "..")) pv->template_name = tmpl;
    pv->visible = site_header_bool(h, "visible", pg->order >= 0);
    pv->routable = site_header_bool(h, "routable", true);
    pv->external_url = site_external_url(a, h);
    pv->redirect = site_redirect(a, h, &pv->redirect_status);
    if (pg->is_module) pv->visible = pv->routable = false; /* Grav: a section has no page of its own */
    bool published = site_header_bool(h, "published", true);
    /* "published: нет", "published: no" (words in Grav's YAML): Grav
     * publishes such a page, which its editor meant to hide. A word that
     * says yes publishes; any other is hidden until the header says true
     * or false (check says so). */
    const value *pub = map_get(h, "published");
    if (pub && (pub->kind == V_LIST || pub->kind == V_MAP || (pub->kind == V_STRING && !site_word_says_yes(pub->u.str.s))))
        published = false;
    const char *fmt = date_format_of(s, a, h);
    if (src.text) {
        pv->date = header_date(s, a, pv, &src, "date", fmt, hp->d);
        pv->publish_date = header_date(s, a, pv, &src, "publish_date", fmt, hp->d);
        pv->unpublish_date = header_date(s, a, pv, &src, "unpublish_date", fmt, hp->d);
    }
    if (!pv->date) pv->date = (long long)file_mtime(pv->file);
    if (pv->publish_date && pv->publish_date > s->now) published = false;
    if (pv->unpublish_date && pv->unpublish_date <= s->now) published = false;
    pv->published = published && !pv->has_error;
    if (!kept) free(src.text);
}

static long long next_change_of(const site *s, const page_version *pv)
{
    long long best = 0;
    if (pv->has_error || !site_header_bool(pv->header, "published", true)) return 0;
    if (pv->publish_date > s->now) best = pv->publish_date;
    if (pv->unpublish_date > s->now && (!best || pv->unpublish_date < best)) best = pv->unpublish_date;
    return best;
}

/* ---- routes and collections ------------------------------------------- */

const char *site_custom_route(arena *a, const value *header)
{
    const char *r = value_path_str(header, "routes.default", NULL);
    if (!r || r[0] != '/') return NULL;
    size_t n = strlen(r);
    while (n > 1 && r[n - 1] == '/') n--;
    if (n < 2) return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)r[i];
        if (c < 0x21 || c == 0x7f || strchr("?#%\"'<>\\", c)) return NULL;
        if (c == '/') {
            size_t seg = strcspn(r + i + 1, "/");
            if (i + 1 + seg > n) seg = n - i - 1;
            if (seg == 0 || (seg == 1 && r[i + 1] == '.') || (seg == 2 && r[i + 1] == '.' && r[i + 2] == '.'))
                return NULL;
        }
    }
    return arena_strndup(a, r, n);
}

/* Whether u can be an address to send a visitor to: http(s), or a path
 * of the site, with nothing a URL must not hold raw (a line break in it
 * would make a line of its own in _redirects: another rule). */
static bool is_usable_address(const char *u)
{
    bool ok = !strncasecmp(u, "https://", 8) || !strncasecmp(u, "http://", 7) || (u[0] == '/' && u[1] != '/');
    for (const char *p = u; ok && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            ok = false;
    return ok && u[1];
}

const char *site_external_url(arena *a, const value *header)
{
    const char *u = value_path_str(header, "external_url", NULL);
    if (!u) return NULL;
    while (*u == ' ' || *u == '\t') u++;
    return is_usable_address(u) ? arena_strdup(a, u) : NULL;
}

/* A redirect's target as Grav writes it ("/route[301]", "news", an
 * address): the address, or NULL when it is none. */
static const char *redirect_target(arena *a, const char *r, int *status)
{
    while (*r == ' ' || *r == '\t') r++;
    size_t n = strlen(r);
    while (n && (r[n - 1] == ' ' || r[n - 1] == '\t')) n--;
    /* Grav's "/route[301]" */
    const char *br = memchr(r, '[', n);
    if (br && r + n - br >= 5 && r[n - 1] == ']') {
        *status = atoi(br + 1) == 301 ? 301 : 302;
        n = (size_t)(br - r);
    }
    /* Grav sends a target without a scheme to the site's root: "news"
     * is "/news". */
    bool has_scheme = !strncasecmp(r, "https://", 8) || !strncasecmp(r, "http://", 7);
    char *t = has_scheme || r[0] == '/' ? arena_strndup(a, r, n) : arena_printf(a, "/%.*s", (int)n, r);
    return is_usable_address(t) ? t : NULL;
}

const char *site_redirect(arena *a, const value *header, int *status)
{
    const char *r = value_path_str(header, "redirect", NULL);
    *status = 302;
    return r ? redirect_target(a, r, status) : NULL;
}

/* Characters that make a key of site.yaml's redirects a pattern. */
#define PATTERN_CHARS "()[]*+?^$|\\{}"

/* The line of text where key is written first (1 when it is not). */
static int line_of_key(const char *text, const char *key)
{
    const char *at = text ? strstr(text, key) : NULL;
    int line = 1;
    for (const char *p = text; at && p < at; p++) line += *p == '\n';
    return line;
}

size_t site_rules(const site *s, int l, arena *a, site_rule **rules, diag_list *d, const char *config_path)
{
    size_t n = 0, cap = 0;
    char *text = NULL; /* the config's text, for the lines of findings */
    *rules = NULL;
    static const char *const kinds[] = {"redirects", "routes"};
    for (int k = 0; k < 2; k++) {
        const value *m = value_path(s->config[l], kinds[k]);
        if (!m || m->kind != V_MAP) continue;
        for (size_t i = 0; i < m->u.map.len; i++) {
            const char *from = m->u.map.items[i].key;
            const value *v = m->u.map.items[i].val;
            const char *raw = v->kind == V_STRING ? v->u.str.s : NULL;
            int status = k == 0 ? 302 : 301;
            const char *to = raw ? redirect_target(a, raw, &status) : NULL;
            if (k == 1) status = 301; /* another address of a page: it leads there for good */
            const char *why = NULL;
            if (from[0] != '/' || !is_usable_address(from) || !from[1])
                why = "is not an address of the site (/old-page)";
            else if (strpbrk(from, PATTERN_CHARS))
                why = "is a pattern: a published site has fixed addresses only, so folio writes no rule for it";
            else if (!to)
                why = k == 0 ? "leads to no address (/page, or https://...)" : "names no page (/news/post)";
            page_version *target = to && to[0] == '/' ? site_find_route(s, l, to) : NULL;
            bool of_language = !why && k == 1 && !target; /* the other findings are the same in every language */
            if (of_language) why = arena_printf(a, "names no page in %s", s->langs[l]);
            if (why) {
                if (d && (of_language || l == 0)) {
                    if (!text) text = file_read(config_path, &(size_t){0}, 1 << 20);
                    diag_add(d, DIAG_WARNING, config_path, line_of_key(text, from), 1, "%s: '%s' %s", kinds[k], from,
                             why);
                }
                continue;
            }
            if (target) to = target->url;
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                site_rule *grown = arena_alloc(a, cap * sizeof *grown);
                if (n) memcpy(grown, *rules, n * sizeof *grown);
                *rules = grown;
            }
            (*rules)[n++] = (site_rule){from, to, status};
        }
    }
    free(text);
    return n;
}

static const char *parent_route(const page *pg, int lang, arena *a)
{
    if (!pg->parent || !pg->parent->parent) return "";
    page_version *pv = pg->parent->v[lang];
    if (pv) return pv->route[1] ? pv->route : "";
    /* A parent absent in this language still lends its folder slug. */
    const char *pr = parent_route(pg->parent, lang, a);
    return arena_cat(a, pr, "/", pg->parent->route_slug, (char *)NULL);
}

/* Grav's rawRoute: the parent's, then the folder's name without its
 * order prefix; neither slug nor routes.default changes it. */
static const char *raw_parent_route(const page *pg, int lang, arena *a)
{
    if (!pg->parent || !pg->parent->parent) return "";
    page_version *pv = pg->parent->v[lang];
    if (pv) return pv->folder_route ? pv->folder_route : pv->route[1] ? pv->route : "";
    return arena_cat(a, raw_parent_route(pg->parent, lang, a), "/", pg->parent->route_slug, (char *)NULL);
}

bool media_is_image(const char *name)
{
    static const char *const exts[] = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif"};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof exts / sizeof exts[0]; i++)
        if (!strcasecmp(dot, exts[i])) return true;
    return false;
}

bool media_is_heic(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".heic") || !strcasecmp(dot, ".heif"));
}

/* The name a media file is published under: its own, but a HEIC photo (as
 * iPhones save them, shown by Safari alone) is published as the JPEG the
 * build makes of it: "IMG_1234.jpg", or "IMG_1234.HEIC.jpg" when the
 * folder has a file of that name already. */
static const char *published_name(const page *pg, size_t m, arena *a)
{
    const char *name = pg->media[m].name, *dot = strrchr(name, '.');
    if (!media_is_heic(name)) return name;
    const char *jpg = arena_printf(a, "%.*s.jpg", (int)(dot - name), name);
    for (size_t k = 0; k < pg->nmedia; k++)
        if (!strcasecmp(pg->media[k].name, jpg)) return arena_printf(a, "%s.jpg", name);
    return jpg;
}

/* Route, URL and output path of each version of pg, and its media's URLs
 * (its parent's are known: pages are done a tree level at a time). */
static void page_addresses(const site *s, page *pg, arena *a)
{
    for (int l = 0; l < s->nlangs; l++) {
        page_version *pv = pg->v[l];
        if (!pv) continue;
        const char *prefix = site_lang_prefix(s, l);
        pv->route = arena_cat(a, parent_route(pg, l, a), "/", pv->slug, (char *)NULL);
        const char *custom = site_custom_route(a, pv->header); /* Grav's routes.default */
        if (custom) pv->route = custom;
        /* The route by folder names differs only where a slug, a custom
         * route or a parent moved by one says so (most pages: none). */
        const page *q = pg->parent;
        while (q && q->parent && !q->v[l]) q = q->parent; /* absent parents lend their folder names */
        const page_version *up = q ? q->v[l] : NULL;
        if (custom || strcmp(pv->slug, pg->route_slug) || (up && up->folder_route)) {
            const char *raw = arena_cat(a, raw_parent_route(pg, l, a), "/", pg->route_slug, (char *)NULL);
            if (strcmp(raw, pv->route)) pv->folder_route = raw;
        }
        /* Grav finds the home page by its folders' route too: a home page
         * whose translation has a slug of its own ("startseite") is still
         * the language's home. */
        pv->is_home =
            !strcmp(pv->route, s->home_alias) || (pv->folder_route && !strcmp(pv->folder_route, s->home_alias));
        const char *dirpart = pv->is_home ? "" : pv->route + 1; /* without leading '/' */
        pv->url = pv->is_home ? arena_cat(a, prefix, "/", (char *)NULL) : arena_cat(a, prefix, pv->route, "/", (char *)NULL);
        const char *lp = prefix[0] ? prefix + 1 : "";
        if (!lp[0] && !dirpart[0]) pv->out_path = "index.html";
        else if (!lp[0]) pv->out_path = arena_cat(a, dirpart, "/index.html", (char *)NULL);
        else if (!dirpart[0]) pv->out_path = arena_cat(a, lp, "/index.html", (char *)NULL);
        else pv->out_path = arena_cat(a, lp, "/", dirpart, "/index.html", (char *)NULL);
    }
    if (!pg->nmedia) return;
    /* Media URLs: the folder path without order prefixes, shared by all languages. */
    buf raw = BUF_INIT;
    for (const page *q = pg; q && q->parent; q = q->parent) {
        buf tmp = BUF_INIT;
        buf_putc(&tmp, '/');
        buf_puts(&tmp, q->folder_slug);
        buf_add(&tmp, raw.s ? raw.s : "", raw.len);
        buf_free(&raw);
        raw = tmp;
    }
    for (size_t m = 0; m < pg->nmedia; m++)
        pg->media[m].out_path = arena_printf(a, "media%s/%s", buf_cstr(&raw), published_name(pg, m, a));
    buf_free(&raw);
    buf b = BUF_INIT;
    for (const page *q = pg; q && q->parent; q = q->parent) {
        const char *seg = url_encode_segment(a, q->folder_slug);
        buf tmp = BUF_INIT;
        buf_putc(&tmp, '/');
        buf_puts(&tmp, seg);
        buf_add(&tmp, b.s ? b.s : "", b.len);
        buf_free(&b);
        b = tmp;
    }
    for (size_t m = 0; m < pg->nmedia; m++)
        pg->media[m].url = arena_printf(a, "/media%s/%s", buf_cstr(&b), url_encode_segment(a, published_name(pg, m, a)));
    buf_free(&b);
}

typedef struct address_pass {
    site *s;
    page **level;
} address_pass;

static void address_one(void *ctx, int worker, size_t i)
{
    address_pass *ap = ctx;
    page_addresses(ap->s, ap->level[i], &ap->s->thread_arenas[worker]);
}

/* How much pv's text is language l's own: written in it (2), in no
 * language (item.md, 1), another's by fallback (0). */
static int text_rank(const site *s, const page_version *pv, int l)
{
    if (!*pv->file_lang) return 1;
    return strcmp(pv->file_lang, s->langs[l]) ? 0 : 2;
}

static void assign_routes(site *s, diag_list *d)
{
    /* Addresses a tree level at a time, on all cores (a version's route
     * extends its parent's). */
    int *depth = xmalloc((s->npages + 1) * sizeof *depth);
    int maxd = 0;
    for (size_t i = 0; i < s->npages; i++) {
        int k = 0;
        for (const page *q = s->pages[i]->parent; q && q->parent; q = q->parent) k++;
        depth[i] = k;
        if (k > maxd) maxd = k;
    }
    page **level = xmalloc((s->npages + 1) * sizeof *level);
    for (int k = 0; k <= maxd; k++) {
        size_t n = 0;
        for (size_t i = 0; i < s->npages; i++)
            if (depth[i] == k) level[n++] = s->pages[i];
        address_pass ap = {s, level};
        parallel_for(n, s->nthreads, address_one, &ap);
    }
    free(level);
    free(depth);
    /* Then the routes, in tree order. Of two pages on one route, a
     * language shows the one written in it (the center's translations sat
     * in two folders, 02.balkhash with the Kazakh text and 03.balkhash
     * with the Russian and English: Russian readers got the Kazakh text),
     * else the first folder's. */
    for (size_t i = 0; i < s->npages; i++) {
        page *pg = s->pages[i];
        for (int l = 0; l < s->nlangs; l++) {
            page_version *pv = pg->v[l];
            if (!pv || !pv->published || !pv->routable) continue;
            const char *key = pv->is_home ? "/" : pv->route;
            page_version *other = strmap_get(&s->routes[l], key);
            if (other) {
                if (l == 0 || !other->page->v[0] || !pg->v[0])
                    diag_add(d, DIAG_ERROR, pv->file, 1, 1,
                             "two pages on route '%s': '%s' and '%s'; each language shows the one written in it, "
                             "else the first: put the translations in one folder",
                             pv->route, other->page->rel, pg->rel);
                if (!pv->is_home && !other->is_home && text_rank(s, pv, l) > text_rank(s, other, l)) {
                    other->published = false;
                    strmap_put(&s->routes[l], key, pv);
                } else {
                    pv->published = false;
                }
                continue;
            }
            strmap_put(&s->routes[l], key, pv);
            if (pv->is_home) strmap_put(&s->routes[l], pv->route, pv);
        }
        strmap_put(&s->folders, pg->rel, pg);
    }
    /* Then the routes by folder name of pages a slug or routes.default
     * moved, as Grav also answers on them, where no page has that route. */
    for (size_t i = 0; i < s->npages; i++)
        for (int l = 0; l < s->nlangs; l++) {
            page_version *pv = s->pages[i]->v[l];
            if (pv && pv->published && pv->routable && pv->folder_route && !strmap_get(&s->routes[l], pv->folder_route))
                strmap_put(&s->routes[l], pv->folder_route, pv);
        }
}

/* ---- public ----------------------------------------------------------- */

static void collect_pages(site *s, page *pg, size_t *cap)
{
    if (pg->parent) {
        if (s->npages == *cap) {
            *cap = *cap ? *cap * 2 : 256;
            s->pages = xrealloc(s->pages, *cap * sizeof *s->pages);
        }
        s->pages[s->npages++] = pg;
    }
    for (size_t i = 0; i < pg->nchildren; i++) collect_pages(s, pg->children[i], cap);
}

typedef struct collection_pass {
    site *s;
    diag_list *d;
} collection_pass;

static void collect_one(void *ctx, int worker, size_t i)
{
    collection_pass *cp = ctx;
    collection_build(cp->s, cp->s->versions[i], &cp->s->thread_arenas[worker], cp->d);
}

typedef struct choose_pass {
    site *s;
    folder_scan **scans;
    header_job *slots; /* nscans x nlangs */
} choose_pass;

static void choose_files(void *ctx, int worker, size_t i)
{
    choose_pass *cp = ctx;
    site *s = cp->s;
    folder_scan *fs = cp->scans[i];
    for (int l = 0; l < s->nlangs; l++) {
        const md_file *chosen = NULL;
        for (const int *fb = s->fallback[l]; *fb != -2 && !chosen; fb++)
            for (size_t k = 0; k < fs->nmd; k++)
                if (fs->md[k].lang == *fb) {
                    chosen = &fs->md[k];
                    break;
                }
        if (!chosen) continue;
        page_version *pv = arena_zalloc(&s->thread_arenas[worker], sizeof *pv);
        pv->page = fs->p;
        pv->lang = l;
        pv->file = chosen->path;
        pv->file_lang = chosen->lang < 0 ? "" : s->langs[chosen->lang];
        pv->template_name = chosen->template;
        fs->p->v[l] = pv;
        cp->slots[i * (size_t)s->nlangs + (size_t)l] = (header_job){pv, chosen->path};
    }
    free(fs->md);
}

static int by_string(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* A site whose configuration lists no languages while its page files
 * are named for some (item.kk.md, item.ru.md: a pages folder copied
 * without config/): one note with the lines to add, after the warning of
 * each file not read. */
static void report_languages_named(const site *s, const scan_list *found, diag_list *d)
{
    if (s->is_multilang) return;
    const char *all[64];
    size_t n = 0;
    for (int w = 0; w < s->nthreads; w++)
        for (int c = 0; c < found[w].ncodes && n < 64; c++) {
            bool seen = false;
            for (size_t k = 0; k < n; k++) seen |= !strcmp(all[k], found[w].codes[c]);
            if (!seen) all[n++] = found[w].codes[c];
        }
    qsort(all, n, sizeof *all, by_string); /* the workers found them in any order */
    buf codes = BUF_INIT;
    const char *first = n ? all[0] : NULL;
    for (size_t k = 0; k < n; k++) buf_printf(&codes, "%s%s", k ? ", " : "", all[k]);
    if (first) {
        char *path = path_join(s->user_dir, "config/system.yaml");
        diag_add(d, DIAG_NOTE, path, 0, 0,
                 "the page files are named for the languages %s (item.%s.md), which the site does not list: to "
                 "publish them, write in this file 'languages: {supported: [%s], default_lang: %s}', the site's "
                 "main language as default_lang",
                 buf_cstr(&codes), first, buf_cstr(&codes), first);
        free(path);
    }
    buf_free(&codes);
}

site *site_load(const char *user_dir, long long now, diag_list *d)
{
    site *s = xcalloc(1, sizeof *s);
    s->now = now ? now : (long long)time(NULL);
    s->user_dir = arena_strdup(&s->arena, user_dir);
    char *pages = path_join(user_dir, "pages");
    s->pages_dir = arena_strdup(&s->arena, pages);
    free(pages);
    if (!path_is_dir(s->pages_dir)) {
        diag_add(d, DIAG_ERROR, user_dir, 0, 0, "not a Grav user folder: it has no 'pages' folder");
        site_free(s);
        return NULL;
    }
    size_t errors_before = d->errors;
    load_config(s, d);
    s->config_errors = d->errors - errors_before;

    loader L = {s, d, NULL, 0, NULL};
    s->nthreads = pool_threads(0);
    s->thread_arenas = xcalloc((size_t)s->nthreads, sizeof *s->thread_arenas);
    /* The site's model (headers, routes, collections) is most of a
     * build's memory: on huge pages. */
    s->source_arenas = xcalloc((size_t)s->nthreads, sizeof *s->source_arenas);
    for (int t = 0; t < s->nthreads; t++) s->thread_arenas[t] = s->source_arenas[t] = (arena)ARENA_INIT_HUGE;
    s->root = arena_zalloc(&s->arena, sizeof *s->root);
    s->root->dir = s->pages_dir;
    s->root->folder = "pages";
    s->root->folder_slug = "";
    s->root->route_slug = "";
    s->root->rel = "";
    s->root->order = -1;
    scan_tree(&L);
    size_t cap = 0;
    collect_pages(s, s->root, &cap);

    /* Choose each language's file by the fallback order: folders in
     * parallel, a slot per folder and language (empty where the page is
     * absent in that language). */
    size_t nscans = 0;
    for (int w = 0; w < s->nthreads; w++) nscans += L.found[w].nscans;
    folder_scan **scans = xmalloc((nscans + 1) * sizeof *scans);
    size_t k = 0;
    for (int w = 0; w < s->nthreads; w++)
        for (size_t i = 0; i < L.found[w].nscans; i++) scans[k++] = &L.found[w].scans[i];
    header_job *slots = xcalloc(nscans * (size_t)s->nlangs + 1, sizeof *slots);
    choose_pass cp = {s, scans, slots};
    parallel_for(nscans, s->nthreads, choose_files, &cp);
    size_t njobs = 0;
    header_job *jobs = slots; /* compacted in place */
    for (size_t i = 0; i < nscans * (size_t)s->nlangs; i++)
        if (slots[i].pv) jobs[njobs++] = slots[i];
    free(scans);
    report_languages_named(s, L.found, d);
    for (int w = 0; w < s->nthreads; w++) free(L.found[w].scans);
    free(L.found);

    header_pass hp = {s, d, jobs};
    parallel_for(njobs, s->nthreads, read_header, &hp);
    free(jobs);

    s->versions = xmalloc((njobs + 1) * sizeof *s->versions);
    for (size_t i = 0; i < s->npages; i++)
        for (int l = 0; l < s->nlangs; l++)
            if (s->pages[i]->v[l]) {
                page_version *pv = s->pages[i]->v[l];
                s->versions[s->nversions++] = pv;
                long long nc = next_change_of(s, pv);
                if (nc && (!s->next_change || nc < s->next_change)) s->next_change = nc;
            }

    assign_routes(s, d);
    /* Collections in parallel: each writes only its own list, and the
     * previous and next of its own children (no two lists share those). */
    collection_pass colp = {s, d};
    parallel_for(s->nversions, s->nthreads, collect_one, &colp);
    return s;
}

void site_free(site *s)
{
    if (!s) return;
    for (int l = 0; l < SITE_MAX_LANGS; l++) strmap_free(&s->routes[l]);
    strmap_free(&s->folders);
    for (int t = 0; t < s->nthreads; t++) arena_free(&s->thread_arenas[t]);
    free(s->thread_arenas);
    for (int t = 0; t < s->nthreads; t++) arena_free(&s->source_arenas[t]);
    free(s->source_arenas);
    free(s->pages);
    free(s->versions);
    arena_free(&s->arena);
    free(s);
}

int site_lang_index(const site *s, const char *code)
{
    for (int l = 0; l < s->nlangs; l++)
        if (!strcmp(s->langs[l], code)) return l;
    return -1;
}

const char *site_shown_template(const site *s, const page_version *pv)
{
    return theme_page_template(s->user_dir, pv->template_name ? pv->template_name : "default", pv->is_modular);
}

int site_text_lang(const site *s, const page_version *pv)
{
    int l = *pv->file_lang ? site_lang_index(s, pv->file_lang) : -1;
    return l < 0 ? pv->lang : l;
}

const char *site_lang_prefix(const site *s, int lang)
{
    static _Thread_local char prefix[SITE_MAX_LANGS][24];
    if (lang == s->default_lang && !s->include_default_lang) return "";
    snprintf(prefix[lang], sizeof prefix[lang], "/%s", s->langs[lang]);
    return prefix[lang];
}

const char *site_translate(const site *s, int lang, const char *key)
{
    value *v = value_path(s->strings[lang], key);
    if (!v && s->translations_fallback) v = value_path(s->strings[s->default_lang], key);
    /* then English, which Grav's translate always tries last */
    int en = v || !s->translations_fallback ? -1 : site_lang_index(s, "en");
    if (en >= 0) v = value_path(s->strings[en], key);
    if (v && v->kind == V_STRING) return v->u.str.s;
    return key;
}

page_version *site_find_route(const site *s, int lang, const char *route)
{
    return strmap_get(&s->routes[lang], route);
}

page *site_find_folder(const site *s, const char *rel)
{
    return strmap_get(&s->folders, rel);
}

const char *site_list_page_url(arena *a, const page_version *pv, size_t n)
{
    if (n <= 1) return pv->url;
    return arena_printf(a, "%spage/%zu/", pv->url, n);
}

const char *site_config_str(const site *s, int lang, const char *dotted, const char *dflt)
{
    return value_path_str(s->config[lang], dotted, dflt);
}

char *site_user_file(const site *s, const char *address, arena *a, const char **why)
{
    static const char *const private_folders[] = {"accounts/", "config/", "data/", "cache/", "env/", "plugins/"};
    const char *rel = address + 6; /* after "/user/" */
    *why = "no such file in the user folder";
    if (strncmp(address, "/user/", 6) || !*rel || strstr(rel, "..") || strstr(rel, "//") || strchr(rel, '\\'))
        return NULL;
    for (size_t i = 0; i < sizeof private_folders / sizeof private_folders[0]; i++)
        if (!strncmp(rel, private_folders[i], strlen(private_folders[i]))) {
            *why = "the folder is the site's own, never published";
            return NULL;
        }
    const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    const char *withheld = page_file_withheld_reason(s, name, a);
    if (withheld) {
        *why = withheld;
        return NULL;
    }
    char *full = path_join(s->user_dir, rel), real[PATH_MAX], root[PATH_MAX];
    struct stat st;
    if (!realpath(full, real) || !realpath(s->user_dir, root) || stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
        free(full);
        return NULL;
    }
    size_t rl = strlen(root);
    if (strncmp(real, root, rl) || real[rl] != '/') {
        *why = "a symbolic link out of the user folder";
        free(full);
        return NULL;
    }
    *why = NULL;
    return full;
}

static bool lists_posts(const page_version *pv)
{
    const value *c = pv ? map_get(pv->header, "content") : NULL;
    return c && c->kind == V_MAP && map_get(c, "items") && pv->nitems && !pv->is_modular;
}

const page_version *site_news(const site *s, int lang)
{
    const page_version *named = site_find_route(s, lang, site_config_str(s, lang, "blog.route", "/news"));
    if (lists_posts(named)) return named;
    for (size_t i = 0; i < s->npages; i++) {
        const page_version *pv = s->pages[i]->v[lang];
        if (pv && pv->published && pv->routable && lists_posts(pv)) return pv;
    }
    return NULL;
}

const char *site_title(const site *s, int lang)
{
    const char *t = site_config_str(s, lang, "title", "");
    if (*t) return t;
    const page_version *home = strmap_get(&s->routes[lang], "/");
    return home && home->title ? home->title : "";
}
