/* check_config.c - the site's config/system.yaml: the language settings
 * that decide which pages exist in which language, where a slip does not
 * fail to parse but quietly builds another site than the one meant. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/internal.h"
#include "lib/files.h"
#include "lib/yaml.h"

static void check_config_bool(check_run *r, const char *path, const char *text, const char *dotted)
{
    const value *v = value_path(r->s->system, dotted);
    if (!v || v->kind == V_BOOL || v->kind == V_NULL) return;
    const char *leaf = strrchr(dotted, '.');
    leaf = leaf ? leaf + 1 : dotted;
    int line = yaml_key_line(text, leaf);
    bool is_text_bool = v->kind == V_STRING && (!strcasecmp(v->u.str.s, "true") || !strcasecmp(v->u.str.s, "false"));
    const char *read_as = value_truthy(v) ? "true" : "false"; /* as Grav (PHP) reads it */
    if (is_text_bool)
        diag_add(r->d, DIAG_WARNING, path, line, 1,
                 "%s is the text '%s', not a boolean, and is read as %s: write %s without quotes", dotted, v->u.str.s,
                 read_as, v->u.str.s);
    else if (v->kind == V_STRING)
        diag_add(r->d, DIAG_ERROR, path, line, 1, "%s '%s' is not a boolean (it is read as %s): write true or false",
                 dotted, v->u.str.s, read_as);
    else if (v->kind == V_INT && (v->u.i == 0 || v->u.i == 1))
        diag_add(r->d, DIAG_WARNING, path, line, 1, "%s is the number %lld, not a boolean: write %s", dotted, v->u.i,
                 read_as);
    else
        diag_add(r->d, DIAG_ERROR, path, line, 1, "%s is not a boolean (it is read as %s): write true or false", dotted,
                 read_as);
}

/* A folder's frontmatter.yaml, under every language file of the page:
 * its keys are checked once, on its own lines. */
static void check_folder_frontmatter(check_run *r)
{
    const site *s = r->s;
    arena a = ARENA_INIT;
    for (size_t i = 0; i < s->npages; i++) {
        const page *pg = s->pages[i];
        if (!pg->frontmatter) continue;
        char *path = path_join(pg->dir, "frontmatter.yaml");
        size_t len = 0;
        char *text = file_read(path, &len, 1 << 20);
        if (text) {
            page_source src = {text, len, (value *)pg->frontmatter, len, 1, 0};
            check_header_keys(r, path, &src, &a);
        }
        free(text);
        free(path);
    }
    arena_free(&a);
}

void check_config(check_run *r)
{
    const site *s = r->s;
    /* said by the build, which may have --base-url */
    if (!r->opt.in_build && !*site_config_str(s, s->default_lang, "url", ""))
        diag_add(r->d, DIAG_NOTE, s->user_dir, 0, 0,
                 "no site URL (config/site.yaml 'url'): folio build writes no feeds and no sitemap.xml without one "
                 "(or --base-url)");
    check_folder_frontmatter(r);
    for (int l = 0; l < s->nlangs; l++)
        if (!*site_config_str(s, l, "title", "")) {
            const char *home = site_title(s, l);
            char *site_yaml = path_join(s->user_dir, "config/site.yaml");
            diag_add(r->d, DIAG_WARNING, site_yaml, 1, 1,
                     "the site has no title ('title:' here, or in site.%s.yaml for %s): %s%s%s", s->langs[l],
                     s->langs[l], *home ? "its pages show the home page's, '" : "its pages and feeds show none",
                     home, *home ? "', in its place" : "");
            free(site_yaml);
            break; /* one is enough: the same file is missing it */
        }
    char *site_yaml = path_join(s->user_dir, "config/site.yaml");
    for (int l = 0; l < s->nlangs; l++) { /* site.yaml's redirects and routes: what cannot be one */
        arena a = ARENA_INIT;
        site_rule *rules;
        site_rules(s, l, &a, &rules, r->d, site_yaml);
        arena_free(&a);
    }
    for (int l = 0; l < s->nlangs; l++) { /* "latest news" from a page that is no list of posts */
        const char *route = site_config_str(s, l, "blog.route", NULL);
        const page_version *named = route ? site_find_route(s, l, route) : NULL, *news = site_news(s, l);
        if (!route || news == named) continue;
        char *text = file_read(site_yaml, &(size_t){0}, 1 << 20);
        int line = text ? yaml_key_line(text, "route") : 1;
        free(text);
        if (news)
            diag_add(r->d, DIAG_WARNING, site_yaml, line, 1,
                     "blog.route '%s' is %s: the latest news are taken from '%s', the site's list of posts",
                     route, named ? "not a list of posts" : "no page of the site", news->route);
        else
            diag_add(r->d, DIAG_WARNING, site_yaml, line, 1,
                     "blog.route '%s' is %s, and no page lists posts: pages show no latest news", route,
                     named ? "not a list of posts" : "no page of the site");
        break; /* said once */
    }
    free(site_yaml);
    char *path = path_join(s->user_dir, "config/system.yaml");
    char *text = file_read_beneath(s->user_dir, "config/system.yaml", NULL, 1 << 20); /* as the loader read it */
    if (!text) { /* no file (Grav's defaults), or the loader said why */
        free(path);
        return;
    }
    const value *supported = value_path(s->system, "languages.supported");
    const char *dflt = value_path_str(s->system, "languages.default_lang", NULL);
    if (supported && supported->kind != V_LIST && supported->kind != V_NULL) {
        /* said by site_load, which publishes nothing then */
    } else if (dflt && supported && supported->kind == V_LIST && supported->u.list.len > 0) {
        bool listed = false;
        buf codes = BUF_INIT;
        for (size_t i = 0; i < supported->u.list.len; i++) {
            const value *c = supported->u.list.items[i];
            if (c->kind != V_STRING) continue;
            listed |= !strcmp(c->u.str.s, dflt);
            buf_printf(&codes, "%s%s", codes.len ? ", " : "", c->u.str.s);
        }
        if (!listed)
            diag_add(r->d, DIAG_WARNING, path, yaml_key_line(text, "default_lang"), 1,
                     "languages.default_lang '%s' is not one of languages.supported (%s): it becomes a language of "
                     "its own, first and default, with only the pages that fall back to it",
                     dflt, buf_cstr(&codes));
        buf_free(&codes);
    }
    /* Country codes for language codes, capital letters: a language of
     * its own (/kz/) that no page file names, and the real one's pages
     * (item.kk.md) not read. */
    static const struct {
        const char *country, *lang, *name;
    } countries[] = {{"kz", "kk", "Kazakh"}, {"ua", "uk", "Ukrainian"}, {"by", "be", "Belarusian"},
                     {"kg", "ky", "Kyrgyz"}, {"cn", "zh", "Chinese"},   {"gb", "en", "English"},
                     {"us", "en", "English"}, {"jp", "ja", "Japanese"}, {"tj", "tg", "Tajik"}};
    for (size_t i = 0; supported && supported->kind == V_LIST && i < supported->u.list.len; i++) {
        const value *c = supported->u.list.items[i];
        if (c->kind != V_STRING) continue;
        const char *code = c->u.str.s;
        int line = yaml_key_line(text, "supported");
        bool upper = false;
        for (const char *p = code; *p; p++) upper |= *p >= 'A' && *p <= 'Z';
        for (size_t k = 0; k < sizeof countries / sizeof countries[0]; k++)
            if (!strcasecmp(code, countries[k].country))
                diag_add(r->d, DIAG_WARNING, path, line, 1,
                         "languages.supported has '%s', a country's code: %s is '%s' (page files item.%s.md, "
                         "addresses /%s/)",
                         code, countries[k].name, countries[k].lang, countries[k].lang, countries[k].lang);
        if (upper) {
            char lower[16];
            size_t n = 0;
            for (; code[n] && n < sizeof lower - 1; n++)
                lower[n] = (char)(code[n] >= 'A' && code[n] <= 'Z' ? code[n] - 'A' + 'a' : code[n]);
            lower[n] = 0;
            diag_add(r->d, DIAG_WARNING, path, line, 1,
                     "languages.supported has '%s': language codes are written in small letters, '%s', as page "
                     "files name them (item.%s.md)",
                     code, lower, lower);
        }
    }
    /* Grav reads these under languages: only; at the top they do nothing */
    static const char *const language_keys[] = {"supported", "default_lang", "include_default_lang",
                                                 "pages_fallback_only", "translations", "translations_fallback",
                                                 "content_fallback", "http_accept_language", "override_locale"};
    for (size_t i = 0; s->system && i < sizeof language_keys / sizeof language_keys[0]; i++)
        if (map_get(s->system, language_keys[i]))
            diag_add(r->d, DIAG_WARNING, path, yaml_top_key_line(text, language_keys[i]), 1,
                     "'%s' is read under 'languages:' (languages.%s): at the top of the file it does nothing; "
                     "indent it under languages:",
                     language_keys[i], language_keys[i]);
    static const char *const bools[] = {"languages.include_default_lang", "languages.translations_fallback",
                                        "languages.pages_fallback_only"};
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) check_config_bool(r, path, text, bools[i]);
    if (value_path_bool(s->system, "pages.markdown.extra", false))
        diag_add(r->d, DIAG_NOTE, path, yaml_key_line(text, "extra"), 1,
                 "pages.markdown.extra: folio reads Markdown without Grav's Markdown Extra, so footnotes ([^1]), "
                 "definition lists, abbreviations and {#id .class} after a heading are shown as written");
    free(text);
    free(path);
}
