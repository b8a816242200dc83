/* snapshot.h - one published version of a site, held in memory.
 *
 * A snapshot maps URL paths to resources: a body with its Content-Type,
 * ETag, Last-Modified and, for compressible types, gzip and brotli forms
 * computed once when the file is put (never per request). It is also the
 * memory backend of `output` (build/output.h): a build puts its files into
 * a fresh snapshot, then the server swaps it in at once.
 *
 * Keys are output paths ("ru/news/index.html", "media/a/b.jpg"). Redirect
 * entries ("ru/news/page:2" -> "/ru/news/page/2/") live in the same table,
 * so any path a build registers can be looked up.
 *
 * Two manifest files are understood when put and are not served:
 *   _folio/languages  the site's languages, whitespace separated, the
 *                     default first ("kk ru en");
 *   _redirects        one redirect a line, "FROM TO [STATUS]"
 *                     ("/ru/news/page:2 /ru/news/page/2/ 301"), as the
 *                     directory backend writes them.
 * So snapshot_load_dir() reads a built directory back complete.
 *
 * Threads: puts may come from several threads at once. Lookups are safe
 * from any number of threads once the puts are done (a snapshot handed to
 * the server is never written again). Lifetime is reference counted. */
#ifndef FOLIO_SNAPSHOT_H
#define FOLIO_SNAPSHOT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "build/output.h"
#include "lib/diag.h"

typedef struct snapshot snapshot;

/* The encodings a resource can be sent in. */
typedef enum resource_encoding { ENCODING_IDENTITY, ENCODING_GZIP, ENCODING_BROTLI, ENCODING_COUNT } resource_encoding;

/* One servable entry. Read-only once the snapshot is published. */
typedef struct resource {
    const char *path;           /* key, no leading '/' */
    const char *content_type;   /* NULL for redirects */
    /* Stored bytes per encoding, NULL when not stored; read the identity
     * form through resource_body(), it may be kept only compressed. */
    const char *body[ENCODING_COUNT];
    size_t len[ENCODING_COUNT];       /* len[ENCODING_IDENTITY] is always the plain size */
    int fd;                     /* >= 0: the bytes are this file's, opened when it was put
                                   (see snapshot_set_file_budget), and no body is kept */
    uint64_t file_id;           /* the open file's identity when it was put */
    char etag[20];              /* "0123456789abcdef" with the quotes */
    char last_modified[32];     /* IMF-fixdate */
    time_t mtime;
    int redirect_status;        /* 0 for a file, else 301/302/307/308 */
    const char *location;       /* redirect target */
    /* Per-encoding slots the server fills with prepared responses; freed
     * with the snapshot through the function set by snapshot_set_cache_free. */
    _Atomic(void *) cache[ENCODING_COUNT];
    _Atomic(char *) inflated; /* the identity form, once made from gzip */
    atomic_int holders;       /* snapshots holding r (private: see snapshot_derive) */
    bool is_quick;            /* compressed the fast way only (snapshot_set_quick_after) */
} resource;

/* The bytes of r in encoding e (len[e] of them), or NULL when that
 * encoding is not available (and for a resource kept as an open file:
 * resource_read). The identity form of a compressible file is
 * stored only compressed; it is inflated on first use and kept until the
 * snapshot is freed, as long as all such kept copies stay within a
 * process-wide budget (64 MB); past it this returns NULL and the caller
 * uses resource_inflate(). Thread-safe. NULL for redirects. */
const char *resource_body(const resource *r, resource_encoding e);

/* A private malloc'd copy of r's plain bytes (len[ENCODING_IDENTITY] of
 * them plus a NUL), which the caller frees. NULL for redirects, and for an
 * open file that can no longer be read whole. */
char *resource_inflate(const resource *r);

/* Change the budget of resource_body's kept plain copies (bytes). */
void resource_set_inflated_budget(size_t bytes);

/* Photos, their variants and documents are most of a site's bytes. A
 * media file of a type sent as it is (JPEG, WebP, PDF, ...; not SVG,
 * which is compressed) is kept as an open file instead of in memory, and
 * sent from the kernel's page cache: a server's memory then grows with
 * its pages, not its media. Every read checks that the file is still the
 * one that was put (device, inode, size, modification time): the image cache only
 * ever renames a new file over an old one, but an editor may upload a
 * PDF over the old one in place, and its bytes must not be sent under
 * the old length and ETag (the rebuild that follows puts the new one).
 * At most n files are open at once across all snapshots (the server sets
 * n from its limit of open files, leaving room for connections); past
 * it, and with n = 0 (the default), files are read into memory as
 * before. Open files are counted by snapshot_open_files(). */
void snapshot_set_file_budget(size_t n);
size_t snapshot_open_files(void);

/* Whether r's open file is still the one that was put (true for a
 * resource kept in memory). */
bool resource_file_is_current(const resource *r);

/* len bytes of r's plain form from offset into out (fewer at the end:
 * never past len[ENCODING_IDENTITY]): from the kept body or the open
 * file. Returns how many, or -1 when r has neither (a compressible file
 * kept only compressed: use resource_inflate) or its file has changed or
 * been cut since it was put. */
long resource_read(const resource *r, size_t offset, char *out, size_t len);

/* A new empty snapshot with one reference. dev_reload_script, when not
 * NULL, is inserted before </body> of every HTML page put (the live reload
 * of `folio serve --dev`); it is copied. Never fails (aborts on OOM). */
snapshot *snapshot_new(const char *dev_reload_script);
/* Compress the first `bytes` of compressible content put into s as usual
 * (gzip and brotli) and the rest the fast way: gzip at its quickest level
 * and no brotli, several times faster. A big site's first build is then
 * served seconds sooner; snapshot_has_quick() tells that some files were
 * stored so, and a later snapshot that reuses s (snapshot_reuse_from)
 * compresses them again properly instead of copying them. Call before
 * any put. */
void snapshot_set_quick_after(snapshot *s, size_t bytes);
bool snapshot_has_quick(const snapshot *s);
/* A snapshot like previous whose quickly compressed files are compressed
 * fully (the other files are shared, as with snapshot_derive); NULL when
 * previous has none, or when should_stop(ctx), asked now and then, says
 * so. Content, ETag, Last-Modified and the generation are unchanged. */
snapshot *snapshot_compress_fully(snapshot *previous, bool (*should_stop)(void *), void *ctx);

/* The output backend writing into s (valid as long as s). */
output *snapshot_output(snapshot *s);

/* Add / drop a reference; the last unref frees everything. Thread-safe. */
snapshot *snapshot_ref(snapshot *s);
void snapshot_unref(snapshot *s);

/* Set the site's languages (codes such as "kk"); the first is the default.
 * Replaces what a _folio/languages manifest said. */
void snapshot_set_languages(snapshot *s, const char *const *langs, size_t n);
/* The same from one string of codes separated by spaces or commas, the
 * default first ("kk ru en", as build_result.languages has them). */
void snapshot_set_language_list(snapshot *s, const char *codes);
/* Number of languages and the i-th one (0 is the default). */
size_t snapshot_language_count(const snapshot *s);
const char *snapshot_language(const snapshot *s, size_t i);

/* The resource stored under key (no leading '/'), or NULL. */
const resource *snapshot_find(const snapshot *s, const char *key, size_t key_len);

/* Iterate over s's resources in no particular order: start with *pos = 0;
 * returns NULL after the last one. */
const resource *snapshot_next(const snapshot *s, size_t *pos);

/* Number of resources, and bytes held by their bodies (all encodings). */
size_t snapshot_count(const snapshot *s);
size_t snapshot_bytes(const snapshot *s);

/* A number that differs between snapshots made by one process (the live
 * reload compares it). */
unsigned long snapshot_generation(const snapshot *s);

/* While building s, take the gzip and brotli forms of files whose content
 * is unchanged from previous instead of compressing again (a live rebuild
 * then only compresses what changed). s holds a reference to previous
 * until this is called again with NULL, which the server does when s is
 * published, or until s is freed. Call before any put. */
void snapshot_reuse_from(snapshot *s, snapshot *previous);

/* A new snapshot holding every resource of previous (shared, not copied:
 * a resource is freed with the last snapshot that holds it), with its
 * languages, live-reload script and cache-free function, and reusing from
 * previous (snapshot_reuse_from). Puts then replace single entries: a live
 * rebuild that changed three pages costs three pages, not the site.
 * previous must be complete (no puts in progress). */
/* The Content-Security-Policy the build wrote for the site (_headers),
 * or NULL when it wrote none. */
const char *snapshot_csp(const snapshot *s);
snapshot *snapshot_derive(snapshot *previous);

/* Called once for each non-NULL resource cache slot when s is freed. */
void snapshot_set_cache_free(snapshot *s, void (*cache_free)(void *));

/* Load an existing `folio build` output directory (regular files only,
 * symlinks are not followed). Without a _folio/languages manifest the
 * languages are read from the root index.html (<html lang> is the
 * default, hreflang links the others). Problems go to d; returns NULL when
 * the directory cannot be read at all. */
snapshot *snapshot_load_dir(const char *dir, diag_list *d);
/* The same into an existing snapshot (e.g. one from serve_snapshot_new).
 * Returns 0, or -1 when dir is not a directory. */
int snapshot_add_dir(snapshot *s, const char *dir, diag_list *d);

/* The Content-Type for a path, from its extension ("text/html; charset=utf-8"). */
const char *content_type_for_path(const char *path);

#endif
