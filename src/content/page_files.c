/* page_files.c - what each file of a page folder is, by its name (see
 * page_files.h). */
#include "content/page_files.h"

#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/spell.h"

/* The kinds of files a page folder publishes, by extension: what Grav's
 * media.yaml lists (images, video, audio, documents, archives, text) and
 * their usual siblings. Not HTML, CSS or scripts, which Grav lists too:
 * served from the site's own origin they would run as the site's own, past
 * its security policy; config/media.yaml can add them back. */
static const char *const media_exts[] = {
    "jpg", "jpeg", "jpe", "jfif", "png", "gif", "webp", "avif", "heic", "heif", "svg", "ico", "bmp", "tif",
    "tiff", "mp4", "m4v", "mov", "webm", "ogv", "avi", "wmv", "mkv", "mpg", "mpeg", "mp3", "ogg", "oga",
    "m4a", "wav", "flac", "aac", "opus", "wma", "aiff", "aif", "pdf", "doc", "docx", "docm", "xls", "xlsx",
    "xlsm", "ppt", "pptx", "pps", "ppsx", "odt", "ods", "odp", "odg", "rtf", "txt", "csv", "tsv", "epub",
    "djvu", "xml", "json", "vtt", "srt", "gpx", "kml", "kmz", "ics", "vcf", "zip", "gz", "tgz", "7z", "rar",
    "tar", "md", "markdown", NULL};

bool page_file_is_clutter(const char *name)
{
    return !strncmp(name, "~$", 2) || !strcasecmp(name, "Thumbs.db") || !strcasecmp(name, "desktop.ini");
}

const char *page_file_withheld_reason(const site *s, const char *name, arena *a)
{
    if (page_file_is_clutter(name))
        return name[0] == '~' ? "an Office lock file (the document was open when it was copied)"
                              : "a file Windows makes for a folder";
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name) return "a file without an extension is not media";
    /* "item.ru.MD": Grav reads a page's text from '.md' only, and would
     * offer this one, a draft perhaps, for download */
    if (!strcasecmp(dot + 1, "md") && strcmp(dot + 1, "md"))
        return arena_printf(a, "a page's text is read from a file ending in '.md', in small letters: rename it '%.*s.md'",
                            (int)(dot - name), name);
    for (const char *const *e = media_exts; *e; e++)
        if (!strcasecmp(dot + 1, *e)) return NULL;
    for (const char **e = s->media_types; e && *e; e++)
        if (!strcasecmp(dot + 1, *e)) return NULL;
    return arena_printf(a,
                        "'.%s' is not a kind of media a page publishes (images, video, audio, documents, archives; "
                        "config/media.yaml can add one)",
                        dot + 1);
}

int page_file_classify(const site *s, arena *a, const char *name, int *lang, const char **tmpl)
{
    size_t n = strlen(name);
    if (n < 4 || strcmp(name + n - 3, ".md") != 0) return PAGE_FILE_OTHER;
    size_t stem = n - 3;
    const char *dot = memchr(name, '.', stem);
    if (!dot) {
        *lang = -1;
        *tmpl = arena_strndup(a, name, stem);
        return PAGE_FILE_PAGE;
    }
    if (s->is_multilang && dot > name) {
        size_t cl = stem - (size_t)(dot + 1 - name);
        for (int l = 0; l < s->nlangs; l++)
            if (strlen(s->langs[l]) == cl && !strncmp(dot + 1, s->langs[l], cl)) {
                *lang = l;
                *tmpl = arena_strndup(a, name, (size_t)(dot - name));
                return PAGE_FILE_PAGE;
            }
    }
    return PAGE_FILE_UNREAD;
}

/* The language-like ending of a file name's stem ("item.kz" -> "kz": two
 * or three small letters, maybe with a region, "pt-br"), or NULL. */
static const char *lang_like_suffix(const char *stem)
{
    const char *dot = strrchr(stem, '.');
    if (!dot || dot == stem) return NULL;
    const char *c = dot + 1;
    size_t n = 0;
    while (c[n] >= 'a' && c[n] <= 'z') n++;
    if (n < 2 || n > 3) return NULL;
    if (c[n] == '-' || c[n] == '_') {
        size_t m = 1;
        while ((c[n + m] >= 'a' && c[n + m] <= 'z') || (c[n + m] >= 'A' && c[n + m] <= 'Z')) m++;
        if (m != 3) return NULL;
        n += m;
    }
    return c[n] ? NULL : c;
}

/* The site's language a mistyped code most likely means: "kz" (the
 * country) -> "kk", "rus" -> "ru", "eng" -> "en", "ua" -> "uk". */
static const char *lang_meant(const site *s, const char *code)
{
    static const char *const usual[][2] = {{"kz", "kk"}, {"kaz", "kk"}, {"ua", "uk"}, {"ukr", "uk"}, {"rus", "ru"},
                                          {"eng", "en"}, {"gb", "en"}, {"us", "en"}};
    for (size_t i = 0; i < sizeof usual / sizeof usual[0]; i++)
        if (!strcmp(code, usual[i][0]) && site_lang_index(s, usual[i][1]) >= 0) return usual[i][1];
    const char *best = NULL;
    int best_d = 2;
    for (int l = 0; l < s->nlangs; l++) {
        int d = spell_distance(code, s->langs[l], best_d);
        if (d < best_d) best_d = d, best = s->langs[l];
    }
    return best;
}

const char *page_file_lang_code(const char *name, arena *a)
{
    size_t n = strlen(name);
    if (n < 4 || strcmp(name + n - 3, ".md")) return NULL;
    return lang_like_suffix(arena_strndup(a, name, n - 3));
}

void page_file_report_unread(const site *s, diag_list *d, const char *path, const char *name, bool has_page,
                             arena *a)
{
    const char *stem = arena_strndup(a, name, strlen(name) - 3);
    size_t tl = strcspn(stem, ".");
    const char *code = lang_like_suffix(stem);
    if (!s->is_multilang) {
        diag_add(d, has_page ? DIAG_NOTE : DIAG_WARNING, path, 1, 1,
                 "not read: the site lists no languages (languages.supported in config/system.yaml), and without them "
                 "a page's file is named '%.*s.md'",
                 (int)tl, stem);
        return;
    }
    buf langs = BUF_INIT;
    for (int l = 0; l < s->nlangs; l++) buf_printf(&langs, "%s%s", l ? ", " : "", s->langs[l]);
    const char *meant = code && site_lang_index(s, code) < 0 ? lang_meant(s, code) : NULL;
    if (meant)
        diag_add(d, DIAG_WARNING, path, 1, 1,
                 "'%s' in the file's name is not a language of the site (%s): did you mean '%.*s.%s.md'? As it is, "
                 "the file is not read",
                 code, buf_cstr(&langs), (int)tl, stem, meant);
    else
        diag_add(d, has_page ? DIAG_NOTE : DIAG_WARNING, path, 1, 1,
                 "not read: a page's file is named '%.*s.md', or '%.*s.<language>.md' for one of the site's languages "
                 "(%s)",
                 (int)tl, stem, (int)tl, stem, buf_cstr(&langs));
    buf_free(&langs);
}
