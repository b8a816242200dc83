/* youtube.h - Grav's youtube plugin: [plugin:youtube](https://youtu.be/ID)
 * is the video's player.
 *
 * Markdown renders the plugin's syntax as a link whose text is
 * "plugin:youtube"; over the rendered HTML, each such link to a YouTube
 * video becomes
 *
 *     <div class="grav-youtube"><iframe src="https://www.youtube-nocookie.com/embed/ID" ...></iframe></div>
 *
 * (youtube.com without the plugin's privacy_enhanced_mode; with its
 * player_parameters that differ from YouTube's defaults as the address's
 * query, "?rel=0"), replacing the
 * paragraph when the link is all of it. The iframe has a title (screen
 * readers announce frames by it) and loads lazily. A link to anything
 * else stays a link. */
#ifndef FOLIO_YOUTUBE_H
#define FOLIO_YOUTUBE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

struct value;

typedef struct youtube_style {
    bool is_on;        /* the site has the plugin, enabled */
    bool is_private;   /* privacy_enhanced_mode: youtube-nocookie.com */
    const char *query; /* the plugin's player_parameters that differ from
                          YouTube's defaults ("rel=0&hl=ru"), or NULL */
} youtube_style;

/* The query of the plugin's player_parameters (a map; NULL: none) as the
 * plugin builds it: in their order, without those at YouTube's default,
 * true and false as 1 and 0; NULL when nothing is left. malloc'd. */
char *youtube_query(const struct value *player_parameters);

/* The video id (11 characters) of a YouTube address: youtube.com/watch?v=,
 * /embed/, /v/, /shorts/, youtu.be/, youtube-nocookie.com. False for any
 * other address. */
bool youtube_video_id(const char *url, size_t len, char id[12]);

/* The player of video id, titled title (NULL: "YouTube"). */
void youtube_player(buf *out, const char id[12], const youtube_style *style, const char *title);

/* Append html[0..len) to out with the plugin's links made players, their
 * iframes titled title. Returns how many. */
size_t youtube_expand(const char *html, size_t len, const youtube_style *style, const char *title, buf *out);

#endif
