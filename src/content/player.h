/* player.h - a video or an audio file in Markdown, as Grav shows it.
 *
 * Grav writes `![Our clinic](clinic.mp4)` of a page's own video as a
 * <video> with the browser's controls, and an audio file as an <audio>,
 * where an <img> of them would show a broken picture. Grav's actions in
 * the query are read (Grav's VideoMedium and AudioMedium): controls (on
 * unless "0"), autoplay, loop, muted, playsinline (video), preload, and
 * poster (video: a picture of the page's folder by its name, or an
 * address). The alt text names the player for screen readers and is the
 * text of the link to the file inside it, for browsers that cannot play
 * it; Grav's own fallback is an English sentence. Without a poster the
 * browser loads the file's first bytes only (preload="metadata", for the
 * picture and the length); with one, nothing until it is played. */
#ifndef FOLIO_PLAYER_H
#define FOLIO_PLAYER_H

#include <stdbool.h>

#include "content/site.h"
#include "lib/buf.h"

typedef enum player_kind { PLAYER_NONE, PLAYER_VIDEO, PLAYER_AUDIO } player_kind;

/* What plays name (by its extension), and its MIME type in *type. */
player_kind player_kind_of(const char *name, const char **type);

/* A poster that is a photo of the folder is shown through poster(user,
 * photo, url) when given: it appends the address of a copy sized for a
 * page (a phone's screen need not load a camera's 4000 px) and returns
 * true, or returns false for the photo itself. */
typedef struct player_poster {
    bool (*poster)(void *user, const media_file *photo, buf *url);
    void *user;
} player_poster;

/* The player for m, a file of pg's folder, as Markdown's image syntax
 * writes it on a page in language lang (query: what follows '?', without
 * it; alt and title may be NULL; pp may be NULL). Captions are WebVTT
 * files beside it, by its name: "tour.vtt" in the page's language,
 * "tour.kk.vtt" in Kazakh; a <track> each, the page's language shown by
 * default. False, appending nothing, when m is no video or audio file. */
bool player_markup(const page *pg, const media_file *m, const char *lang, const char *query, const char *alt,
                   const char *title, const player_poster *pp, buf *out);
/* Whether the file name is a caption file of m ("tour.vtt", "tour.kk.vtt"
 * of "tour.mp4"). */
bool player_is_caption(const media_file *m, const char *name);

#endif
