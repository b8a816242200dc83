/* libvips.c - opening libvips on first use (see libvips.h). */
#define FOLIO_LIBVIPS_LOADER
#include "media/libvips.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

libvips_table libvips;

/* The soname of libvips 8 (Debian's libvips42); the unversioned name
 * only exists where the -dev package is installed. */
static const char *const names[] = {"libvips.so.42", "libvips.so"};

int libvips_load(char *why, size_t why_size)
{
    static int state; /* 0 not tried, 1 loaded, -1 failed */
    static char reason[256];
    if (state == 0) {
        void *h = NULL;
        /* An operator's own build of libvips, named by path. */
        const char *own = getenv("FOLIO_LIBVIPS");
        if (own && *own) h = dlopen(own, RTLD_NOW | RTLD_LOCAL);
        for (size_t i = 0; !h && !(own && *own) && i < sizeof names / sizeof names[0]; i++)
            h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            const char *e = dlerror();
            snprintf(reason, sizeof reason, "cannot load libvips: %s", e ? e : "not found");
            state = -1;
        } else {
            state = 1;
#define FOLIO_LIBVIPS_FIND(f)                                                                              \
    if (state == 1 && !(libvips.f = (__typeof__(f) *)dlsym(h, #f))) {                                      \
        snprintf(reason, sizeof reason, "libvips has no %s (too old?)", #f);                               \
        state = -1;                                                                                        \
    }
            FOLIO_LIBVIPS_FUNCTIONS(FOLIO_LIBVIPS_FIND)
#undef FOLIO_LIBVIPS_FIND
            /* A failed load keeps the library: dlclose of glib is unsafe. */
        }
    }
    if (state < 0 && why && why_size) snprintf(why, why_size, "%s", reason);
    return state == 1 ? 0 : -1;
}
