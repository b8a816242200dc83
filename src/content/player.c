/* player.c - video and audio files in Markdown (see player.h). */
#include "content/player.h"

#include <string.h>
#include <strings.h>

#include "content/content.h"
#include "lib/lang.h"
#include "lib/url.h"
#include "lib/utf8.h"

static const struct {
    const char *ext, *type;
    player_kind kind;
} kinds[] = {
    {"mp4", "video/mp4", PLAYER_VIDEO},   {"m4v", "video/mp4", PLAYER_VIDEO},   {"webm", "video/webm", PLAYER_VIDEO},
    {"ogv", "video/ogg", PLAYER_VIDEO},   {"mov", "video/quicktime", PLAYER_VIDEO},
    {"mp3", "audio/mpeg", PLAYER_AUDIO},  {"m4a", "audio/mp4", PLAYER_AUDIO},   {"aac", "audio/aac", PLAYER_AUDIO},
    {"ogg", "audio/ogg", PLAYER_AUDIO},   {"oga", "audio/ogg", PLAYER_AUDIO},   {"opus", "audio/ogg", PLAYER_AUDIO},
    {"wav", "audio/wav", PLAYER_AUDIO},   {"flac", "audio/flac", PLAYER_AUDIO},
};

player_kind player_kind_of(const char *name, const char **type)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcasecmp(dot + 1, kinds[i].ext)) {
            if (type) *type = kinds[i].type;
            return kinds[i].kind;
        }
    return PLAYER_NONE;
}

/* The attributes Grav's actions set, in the order they are written. */
typedef struct player_attrs {
    bool controls, autoplay, loop, muted, playsinline;
    buf preload, poster, classes, id;
} player_attrs;

/* PHP's truth of an action's argument, but "false" is false: whoever
 * writes ?autoplay=false means it (Grav takes the string as true). */
static bool is_on(const char *v) { return *v && strcmp(v, "0") && strcasecmp(v, "false"); }

static void read_action(player_attrs *pa, const char *key, const char *val, player_kind kind)
{
    if (!strcmp(key, "controls")) pa->controls = !*val || is_on(val); /* controls() is on by default */
    else if (!strcmp(key, "autoplay")) pa->autoplay = is_on(val);
    else if (!strcmp(key, "loop")) pa->loop = is_on(val);
    else if (!strcmp(key, "muted")) pa->muted = is_on(val);
    else if (!strcmp(key, "playsinline") && kind == PLAYER_VIDEO) pa->playsinline = is_on(val);
    else if (!strcmp(key, "preload")) {
        buf_reset(&pa->preload);
        if (!strcmp(val, "auto") || !strcmp(val, "metadata") || !strcmp(val, "none")) buf_puts(&pa->preload, val);
    } else if (!strcmp(key, "poster") && kind == PLAYER_VIDEO) {
        buf_reset(&pa->poster);
        buf_puts(&pa->poster, val);
    } else if (!strcmp(key, "classes")) {
        buf_reset(&pa->classes);
        for (const char *c = val; *c; c++) buf_putc(&pa->classes, *c == ',' ? ' ' : *c);
    } else if (!strcmp(key, "id")) {
        buf_reset(&pa->id);
        buf_puts(&pa->id, val);
    }
}

static void read_query(player_attrs *pa, const char *query, player_kind kind)
{
    buf key = BUF_INIT, val = BUF_INIT;
    for (const char *p = query; *p;) {
        size_t n = strcspn(p, "&"), k = strcspn(p, "=&");
        buf_reset(&key);
        buf_reset(&val);
        buf_grow(&key, k);
        key.len = url_percent_decode(key.s, p, k);
        if (k < n) {
            buf_grow(&val, n - k - 1);
            val.len = url_percent_decode(val.s, p + k + 1, n - k - 1);
        }
        if (utf8_check(val.s ? val.s : "", val.len) != val.len) { /* "%97" decodes to no letter */
            buf valid = BUF_INIT;
            utf8_append_valid(&valid, val.s, val.len);
            buf_free(&val);
            val = valid;
        }
        read_action(pa, buf_cstr(&key), buf_cstr(&val), kind);
        p += n + (p[n] == '&');
    }
    buf_free(&key);
    buf_free(&val);
}

static void put_flag(buf *out, bool on, const char *name)
{
    if (!on) return;
    buf_putc(out, ' ');
    buf_puts(out, name);
}

/* The language a caption file c of media m is in: "kk" of "tour.kk.vtt",
 * lang of "tour.vtt"; NULL when c is no caption file of m. */
static const char *caption_lang(const media_file *m, const char *name, const char *lang, char code[16])
{
    const char *dot = strrchr(m->name, '.');
    size_t base = dot ? (size_t)(dot - m->name) : strlen(m->name), n = strlen(name);
    if (n < base + 4 || strncmp(name, m->name, base) || strcasecmp(name + n - 4, ".vtt")) return NULL;
    if (n == base + 4) return lang;
    size_t cl = n - base - 5; /* "tour" "." code ".vtt" */
    if (name[base] != '.' || cl < 2 || cl > 8) return NULL;
    for (size_t i = 0; i < cl; i++) {
        char ch = name[base + 1 + i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-')) return NULL;
    }
    memcpy(code, name + base + 1, cl);
    code[cl] = 0;
    return code;
}

bool player_is_caption(const media_file *m, const char *name)
{
    char code[16];
    return caption_lang(m, name, "", code) != NULL;
}

/* A language's name in itself, for a caption track's label. */
static const char *language_name(const char *code)
{
    const char *name = lang_native_name(code);
    return name ? name : code;
}

/* Whether pg's folder has m's captions named for lang ("tour.ru.vtt"). */
static bool has_caption_in(const page *pg, const media_file *m, const char *lang)
{
    char code[16];
    for (size_t i = 0; i < pg->nmedia; i++) {
        const char *cl = caption_lang(m, pg->media[i].name, "", code);
        if (cl && *cl && !strcasecmp(cl, lang)) return true;
    }
    return false;
}

static void put_tracks(const page *pg, const media_file *m, const char *lang, buf *out)
{
    char code[16];
    bool has_default = false;
    for (size_t i = 0; i < pg->nmedia; i++) {
        const char *cl = caption_lang(m, pg->media[i].name, lang, code);
        if (!cl || !*cl) continue;
        if (cl == lang && has_caption_in(pg, m, lang)) continue; /* "tour.ru.vtt" over "tour.vtt" */
        buf_puts(out, "<track kind=\"captions\"");
        buf_add_attr(out, "src", pg->media[i].url);
        buf_add_attr(out, "srclang", cl);
        buf_add_attr(out, "label", language_name(cl));
        if (!has_default && !strcasecmp(cl, lang)) {
            buf_puts(out, " default");
            has_default = true;
        }
        buf_putc(out, '>');
    }
}

bool player_markup(const page *pg, const media_file *m, const char *lang, const char *query, const char *alt,
                   const char *title, const player_poster *pp, buf *out)
{
    const char *type;
    player_kind kind = player_kind_of(m->name, &type);
    if (kind == PLAYER_NONE) return false;
    player_attrs pa = {.controls = true};
    read_query(&pa, query ? query : "", kind);
    /* A poster is a picture of the page's folder or of the site: one
     * from elsewhere would need the site's policy to allow its origin. */
    const char *poster = NULL, *p = buf_cstr(&pa.poster);
    buf sized = BUF_INIT;
    if (p[0] == '/' && p[1] != '/') {
        poster = p;
    } else if (*p && !strchr(p, '/')) {
        const media_file *pm = content_find_media(pg, p);
        if (pm && media_is_image(pm->name))
            poster = pp && pp->poster && pp->poster(pp->user, pm, &sized) ? buf_cstr(&sized) : pm->url;
    }
    const char *preload = pa.preload.len ? buf_cstr(&pa.preload) : poster ? "none" : "metadata";
    buf_puts(out, kind == PLAYER_VIDEO ? "<video" : "<audio");
    put_flag(out, pa.controls, "controls");
    buf_add_attr(out, "preload", preload);
    put_flag(out, pa.autoplay, "autoplay");
    put_flag(out, pa.loop, "loop");
    put_flag(out, pa.muted, "muted");
    put_flag(out, pa.playsinline, "playsinline");
    if (poster) buf_add_attr(out, "poster", poster);
    if (pa.id.len) buf_add_attr(out, "id", buf_cstr(&pa.id));
    if (pa.classes.len) buf_add_attr(out, "class", buf_cstr(&pa.classes));
    if (alt && *alt) buf_add_attr(out, "aria-label", alt);
    if (title && *title) buf_add_attr(out, "title", title);
    buf_puts(out, "><source");
    buf_add_attr(out, "src", m->url);
    buf_add_attr(out, "type", type);
    buf_putc(out, '>');
    put_tracks(pg, m, lang ? lang : "", out);
    buf_puts(out, "<a");
    buf_add_attr(out, "href", m->url);
    buf_putc(out, '>');
    const char *text = alt && *alt ? alt : m->name;
    buf_add_html(out, text, strlen(text));
    buf_puts(out, kind == PLAYER_VIDEO ? "</a></video>" : "</a></audio>");
    buf_free(&sized);
    buf_free(&pa.preload);
    buf_free(&pa.poster);
    buf_free(&pa.classes);
    buf_free(&pa.id);
    return true;
}
