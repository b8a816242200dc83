/* site.h - a Grav site as folio sees it: configuration, languages and the
 * page tree, every page in every language it exists in.
 *
 * Loading follows Grav 1.7: a folder under user/pages is a page; a "NN."
 * prefix orders it and makes it visible; the Markdown file's name picks the
 * template; name.<lang>.md is a language's version and name.md serves the
 * languages that have none of their own, by Grav's fallback order
 * (Language::getFallbackLanguages). Everything the loader allocates lives
 * in the site's arena and is read-only once site_load returns, so build
 * threads share it freely. */
#ifndef FOLIO_SITE_H
#define FOLIO_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "content/notices.h"
#include "content/youtube.h"
#include "lib/arena.h"
#include "lib/diag.h"
#include "lib/files.h"
#include "lib/strmap.h"
#include "lib/value.h"

/* The largest page file read (a larger one is an error naming it). */
#define MAX_PAGE_FILE (32 * 1024 * 1024)

#define SITE_MAX_LANGS 16

typedef struct site site;
typedef struct page page;
typedef struct page_version page_version;

typedef struct media_file {
    const char *name; /* file name in the page folder */
    const char *path; /* source path */
    const char *url;  /* published URL, the same for every language (percent-encoded) */
    const char *out_path; /* the same as an output path: "media/news/slug/photo.jpg" */
    long long size;
    file_stamp stamp; /* as the file was when the site was read */
} media_file;

/* The header's routes.default as a route ("/about-us"), or NULL when it
 * is not set or not usable as one (not starting with "/", empty, "." or
 * ".." parts, characters addresses reserve). */
const char *site_custom_route(arena *a, const value *header);
/* The header's external_url when it is an http or https URL or a path of
 * the site, else NULL. */
const char *site_external_url(arena *a, const value *header);
/* The header's redirect ("/route", "https://...", Grav's "/route[301]";
 * "route" is "/route", as Grav sends it from the site's root) when it is
 * such an address, with its status (302 unless [301]) in *status; else
 * NULL. */
const char *site_redirect(arena *a, const value *header, int *status);
/* One of site.yaml's `redirects` (Grav's: 302, or 301 for a target that
 * ends in [301]) or `routes` (another address of a page: 301 to it). */
typedef struct site_rule {
    const char *from; /* a route of the site, "/jungle" */
    const char *to;   /* a page's URL, a path or an address */
    int status;
} site_rule;
/* Language l's rules in *rules (allocated in a); a key that is no fixed
 * address or a target that is none is left out and, with d, reported
 * against config_path. Returns how many. */
size_t site_rules(const site *s, int l, arena *a, site_rule **rules, diag_list *d, const char *config_path);

/* Why the file name of pg's folder is not published, or NULL. */
const char *site_withheld_reason(const page *pg, const char *name);

/* Whether a media file's name is an image's (JPEG, PNG, WebP, GIF, and
 * HEIC, which is published as JPEG): the header image and the lead image
 * are the first of these. */
bool media_is_image(const char *name);
/* Whether it is a HEIC photo (as iPhones save them): published as JPEG. */
bool media_is_heic(const char *name);

/* A page in one language. */
struct page_version {
    page *page;
    int lang;              /* index into site->langs */
    const char *file;      /* the Markdown file used (may be a fallback file) */
    const char *file_lang; /* language of that file, "" for name.md */
    value *header;         /* front matter (a map, empty when broken) */
    const value *own_header; /* the file's own, when the folder's frontmatter.yaml is under it; else NULL */
    /* The file's text as site_read_source gives it, kept from loading to
     * rendering when the file is small; NULL once dropped, or for a large
     * file (read again when needed). */
    const char *source;
    size_t source_len;
    size_t source_controls; /* control characters its normalising made spaces */
    bool has_error;        /* unusable (broken front matter, bad date): not published */
    const char *title;
    const char *menu;
    const char *slug;
    const char *template_name;
    long long date;           /* Unix time */
    long long publish_date;   /* 0 when unset */
    long long unpublish_date; /* 0 when unset */
    bool published;           /* after applying publish/unpublish dates at site->now */
    bool visible;
    bool routable;
    bool is_home;
    const char *route;    /* language-less route: "/news/slug" ("/" for home) */
    const char *url;      /* "/kk/news/slug/" */
    const char *out_path; /* "kk/news/slug/index.html" */
    /* The route by folder names (Grav's raw route) when a slug or
     * routes.default, here or above, moved the page elsewhere (it then
     * redirects there), else NULL. */
    const char *folder_route;
    /* The header's external_url (http, https or a path of the site): the
     * page's links lead there, its own address redirects there. */
    const char *external_url;
    /* The header's redirect when it is an address (site_redirect): the
     * page's address only leads there. */
    const char *redirect;
    int redirect_status;
    /* Collection (for pages whose header has content.items): published
     * items in order; and siblings in the parent's collection order. */
    page_version **items;
    size_t nitems;
    size_t per_page; /* 0 = no pagination */
    bool is_modular; /* the collection is its modular sections ('@self.modular') */
    page_version *prev, *next;
    /* Filled by the build's first pass. */
    char *summary_html;
    bool has_more;      /* content is longer than the summary */
    char *module_html;  /* a modular section's whole content, shown in its page */
};

struct page {
    page *parent;
    page **children;
    size_t nchildren;
    const char *dir;         /* source folder */
    const char *folder;      /* folder name, "03.2023-01-09-practical-conference" */
    const char *folder_slug; /* without the order prefix */
    const char *route_slug;  /* that in the address: in small letters (Grav's force_lowercase_urls) */
    const char *rel;         /* folder relative to user/pages, "02.news/03.2023-..." */
    int order;               /* the NN prefix, -1 without one */
    bool is_module;          /* a modular section ("_hero"): part of its parent's page, no page itself */
    media_file *media;
    size_t nmedia;
    /* The folder's frontmatter.yaml (a map), NULL without one: as in Grav,
     * every version's header is merged over it. */
    const value *frontmatter;
    /* Files of the folder not published, and why (a name, then its reason). */
    const char **withheld;
    size_t nwithheld;
    page_version *v[SITE_MAX_LANGS]; /* NULL where the page is absent */
};

struct site {
    arena arena;
    const char *user_dir;
    const char *pages_dir;
    value *system;                      /* system.yaml over Grav's defaults */
    size_t config_errors;               /* errors in config/ and languages/ files (site_load) */
    value *config[SITE_MAX_LANGS];      /* site.yaml merged with site.<lang>.yaml */
    value *strings[SITE_MAX_LANGS];     /* languages/<lang>.yaml */
    const char *frame_titles[SITE_MAX_LANGS][2]; /* a map's and a video's frame, per language (markdown.h) */
    const char *youtube_titles[SITE_MAX_LANGS];  /* the YouTube player's, per language */
    const char *langs[SITE_MAX_LANGS];
    int nlangs;
    bool is_multilang; /* languages.supported lists some: else one language, no prefix */
    int default_lang;
    bool include_default_lang;
    bool translations_fallback;
    bool lowercase_urls; /* system.force_lowercase_urls: folder names in small letters in addresses */
    /* fallback[l] lists the file languages page l may use, in order; an
     * entry -1 stands for the language-less name.md; ends with -2. */
    int fallback[SITE_MAX_LANGS][SITE_MAX_LANGS + 2];
    const char *home_alias; /* "/home" */
    const char *summary_delimiter;
    size_t summary_size;
    bool summary_enabled, summary_long; /* site.yaml summary.enabled, summary.format: long */
    notice_style notices; /* Grav's markdown-notices ("! text") */
    youtube_style youtube; /* Grav's youtube plugin, when the site has it */
    bool has_page_inject;  /* Grav's page-inject plugin: [plugin:page-inject](/route) shows that page's content */
    bool has_page_toc;     /* Grav's page-toc plugin: [TOC] is the page's table of contents */
    /* pages.markdown.valid_link_attributes, NULL-terminated (markdown.h) */
    const char **link_attributes;
    /* Extensions config/media.yaml adds to the kinds of media published
     * ("types:" keys, lower case), NULL-terminated; NULL without one. */
    const char **media_types;
    const char *timezone;
    long long now;         /* publishing decisions are made at this time */
    long long next_change; /* next publish/unpublish date after now, 0 = none */
    page *root;            /* user/pages itself (not a page) */
    page **pages;          /* every page folder, in tree order */
    size_t npages;
    page_version **versions; /* every page version, in tree order */
    size_t nversions;
    strmap routes[SITE_MAX_LANGS]; /* route -> published page_version */
    strmap folders;                /* page.rel ("02.news/01.quotes") -> page */
    arena *thread_arenas;          /* one per loader thread */
    arena *source_arenas;          /* page_version.source, one per loader thread */
    int nthreads;
};

/* Load user_dir. Problems go to d; returns NULL only when the site cannot
 * be read at all (no pages folder, unreadable config). now = 0 means
 * time(NULL). Sets the process time zone (call before starting threads). */
site *site_load(const char *user_dir, long long now, diag_list *d);
void site_free(site *s);
/* The text of pv's file, normalised (see source_normalize; *controls,
 * which may be NULL, counts its control characters), for the caller to
 * free. NULL (errno set) when it cannot be read. */
char *site_read_source(const page_version *pv, size_t *len, size_t *controls);
/* pv's text without reading it again when it was kept: *owned tells
 * whether the caller must free it. */
char *site_source(const page_version *pv, size_t *len, size_t *controls, bool *owned);
/* Forget the kept texts (once every page is rendered). */
void site_drop_sources(site *s);

int site_lang_index(const site *s, const char *code); /* -1 when unknown */
/* The language of the text pv shows: its file's, which a fallback may
 * make another's than pv's (the Russian text on the English site). */
int site_text_lang(const site *s, const page_version *pv);
/* The template the theme shows pv with: its own when the theme has it,
 * else 'modular' for a page of sections and 'default' for the rest
 * (theme_page_template). */
const char *site_shown_template(const site *s, const page_version *pv);
/* URL prefix of a language: "/kk" (or "" for the default language when
 * include_default_lang is false). */
const char *site_lang_prefix(const site *s, int lang);
/* UI string: languages/<lang>.yaml (dotted key), falling back to the
 * default language when translations_fallback; the key itself otherwise. */
const char *site_translate(const site *s, int lang, const char *key);
/* The version of the page with that language-less route, or NULL. */
page_version *site_find_route(const site *s, int lang, const char *route);
/* The page whose folder is rel, relative to user/pages and with its order
 * prefixes ("02.news/01.quotes"), or NULL. */
page *site_find_folder(const site *s, const char *rel);
/* Whether pv's taxonomy gives name the term (name: term, or name: [.., term]). */
bool site_has_term(const page_version *pv, const char *name, const char *term);
/* "true", "yes", "да", "иә" (any case): a header's word an editor meant
 * as true. A page whose 'published' is another word is not published. */
bool site_word_says_yes(const char *w);
/* A header's boolean as Grav reads it: the string "false" (in any case)
 * is false, as PHP's casts make it; dflt when the key is absent or null. */
bool site_header_bool(const value *h, const char *key, bool dflt);
/* URL of a list page's n-th page (1-based): "/kk/news/" or "/kk/news/page/2/". */
const char *site_list_page_url(arena *a, const page_version *pv, size_t n);
/* Site configuration value for a language (site.<lang>.yaml over site.yaml). */
const char *site_config_str(const site *s, int lang, const char *dotted, const char *dflt);
/* A file of the user folder a page shows by its address
 * ("/user/themes/center/img/map.svg", as Grav's web server serves it): its
 * source path (malloc'd) when folio publishes it at that address, else
 * NULL with why in *why (in a): the accounts, config, data and cache folders,
 * kinds of file that are not media, a symbolic link out of the folder
 * and a file that is not there are not. */
char *site_user_file(const site *s, const char *address, arena *a, const char **why);
/* The list of the site's news in language lang, for "latest news":
 * site.yaml's blog.route ("/news" by default) when that page lists
 * posts; else the site's first page, in the folders' order, that does;
 * NULL when none does. */
const page_version *site_news(const site *s, int lang);
/* The site's name in a language: site.yaml's (or site.<lang>.yaml's)
 * title, else the home page's title, else "". */
const char *site_title(const site *s, int lang);

#endif
