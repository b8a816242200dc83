/* output.h - where a build puts the files it produces.
 *
 * A build never writes files itself; it hands every produced file to an
 * output. Two backends exist: a directory (folio build, which writes into
 * a temporary directory and renames it into place when the build
 * succeeded) and memory (folio serve, which swaps the finished set in at
 * once). Paths are relative to the site root, use '/' and never start
 * with '/' or contain "." or ".." segments: "ru/news/index.html",
 * "media/2023-01-09-practical-conference/2023-01-09-1.jpg".
 *
 * put, put_file and put_immutable may be called from several build
 * threads at once. */
#ifndef FOLIO_OUTPUT_H
#define FOLIO_OUTPUT_H

#include <stddef.h>
#include <time.h>

typedef struct output output;

typedef struct output_ops {
    /* Store a produced file (the data is copied). 0 or -1 with errno. */
    int (*put)(output *o, const char *path, const void *data, size_t len, time_t mtime);
    /* Publish an existing source file (media) under path. 0 or -1. */
    int (*put_file)(output *o, const char *path, const char *src_path);
    /* Make path answer with a redirect to target (an absolute path such as
     * "/ru/news/" or a full URL); status is 301 or 302. 0 or -1. */
    int (*redirect)(output *o, const char *path, const char *target, int status);
    /* Publish a regular file (the caller has checked it is one) that is
     * never changed in place, only replaced by a rename (an image variant
     * in the cache): the output may link to it instead of copying it.
     * NULL: put_file. 0 or -1 with errno. */
    int (*put_immutable)(output *o, const char *path, const char *src_path);
} output_ops;

struct output {
    const output_ops *ops;
};

static inline int output_put(output *o, const char *path, const void *data, size_t len, time_t mtime)
{
    return o->ops->put(o, path, data, len, mtime);
}

static inline int output_put_file(output *o, const char *path, const char *src_path)
{
    return o->ops->put_file(o, path, src_path);
}

static inline int output_put_immutable(output *o, const char *path, const char *src_path)
{
    return o->ops->put_immutable ? o->ops->put_immutable(o, path, src_path) : o->ops->put_file(o, path, src_path);
}

static inline int output_redirect(output *o, const char *path, const char *target, int status)
{
    return o->ops->redirect(o, path, target, status);
}

/* True when path is a safe relative output path (see above). */
int output_path_is_safe(const char *path);

#endif
