/* frame.c - maps and videos among a page's frames, by their host. */
#include "content/frame.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* Whether host (n bytes, any case) is domain or under it. */
static bool host_is(const char *host, size_t n, const char *domain)
{
    size_t d = strlen(domain);
    if (n < d || strncasecmp(host + n - d, domain, d) != 0) return false;
    return n == d || host[n - d - 1] == '.';
}

/* Whether the path (n bytes) has want in it, in any case. */
static bool path_has(const char *path, size_t n, const char *want)
{
    size_t w = strlen(want);
    for (size_t i = 0; i + w <= n; i++)
        if (!strncasecmp(path + i, want, w)) return true;
    return false;
}

frame_kind frame_kind_of(const char *src, size_t n)
{
    if (!src) return FRAME_OTHER; /* a frame without a src (found by fuzzing) */
    const char *p = src, *end = src + n;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n')) p++;
    if ((size_t)(end - p) >= 8 && !strncasecmp(p, "https://", 8)) p += 8;
    else if ((size_t)(end - p) >= 7 && !strncasecmp(p, "http://", 7)) p += 7;
    else if ((size_t)(end - p) >= 2 && p[0] == '/' && p[1] == '/') p += 2;
    else return FRAME_OTHER; /* a frame of the site itself, or no address */
    const char *host = p;
    while (p < end && *p != '/' && *p != '?' && *p != '#' && *p != ':') p++;
    size_t hn = (size_t)(p - host);
    const char *path = p; /* without the query, whose words say nothing */
    size_t pn = 0;
    while (p + pn < end && p[pn] != '?' && p[pn] != '#') pn++;
    /* Yandex and Google have their maps under many country domains. */
    static const char *const map_families[] = {"yandex.", "google."};
    for (size_t i = 0; i < sizeof map_families / sizeof *map_families; i++) {
        size_t fl = strlen(map_families[i]);
        for (size_t k = 0; k + fl <= hn; k++)
            if ((k == 0 || host[k - 1] == '.') && !strncasecmp(host + k, map_families[i], fl) &&
                (path_has(path, pn, "map") || (k >= 5 && !strncasecmp(host + k - 5, "maps.", 5))))
                return FRAME_MAP;
    }
    static const char *const maps[] = {"2gis.ru", "2gis.kz", "2gis.com", "openstreetmap.org"};
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
        if (host_is(host, hn, maps[i])) return FRAME_MAP;
    static const char *const videos[] = {"youtube.com", "youtube-nocookie.com", "youtu.be", "vimeo.com",
                                         "rutube.ru",   "dzen.ru",              "vkvideo.ru"};
    for (size_t i = 0; i < sizeof videos / sizeof *videos; i++)
        if (host_is(host, hn, videos[i])) return FRAME_VIDEO;
    if (host_is(host, hn, "vk.com") && path_has(path, pn, "video_ext")) return FRAME_VIDEO;
    return FRAME_OTHER;
}
