/* fuzz_actions.c - an image URL from a page's Markdown through Grav's
 * image actions (image_actions_parse). Whatever the author wrote, the
 * sizes stay within what libvips is ever asked for, the quality within
 * 1..100, the background a colour, and the classes words without spaces
 * at either end; warnings may come, a crash never. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/actions.h"

static void check_side(int v)
{
    if (v < 0 || v > IMAGE_MAX_SIDE) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = malloc(size + 1);
    memcpy(url, data, size);
    url[size] = 0;
    diag_list d;
    diag_init(&d);
    char *path = NULL;
    image_actions a;
    image_actions_parse(url, &path, &a, &d, "pages/fuzz/item.md", 3);

    if (!path || strlen(path) > strlen(url)) abort();
    check_side(a.width);
    check_side(a.height);
    check_side(a.lightbox_width);
    check_side(a.lightbox_height);
    if (a.fit != IMAGE_FIT_NONE && a.width == 0 && a.height == 0) abort();
    if (a.fit == IMAGE_FIT_COVER && (a.width == 0 || a.height == 0)) abort();
    if (a.quality < 0 || a.quality > 100) abort();
    if (a.background < -1 || a.background > 0xffffff) abort();
    if (a.classes) {
        size_t n = strlen(a.classes);
        if (n == 0 || a.classes[0] == ' ' || a.classes[n - 1] == ' ' || strstr(a.classes, "  ")) abort();
        if (strchr(a.classes, ',')) abort();
    }
    if (a.id && strlen(a.id) > size) abort();
    /* every warning names the page and the line it was given */
    for (size_t i = 0; i < d.len; i++)
        if (strcmp(d.items[i].path, "pages/fuzz/item.md") != 0 || d.items[i].line != 3) abort();

    image_actions_free(&a);
    free(path);
    diag_free(&d);
    free(url);
    return 0;
}
