/* output_dir.c - writing a build into a temporary directory, then
 * swapping it into place. */
#include "build/output_dir.h"
#include "lib/url.h"
#include "lib/buf.h"
#include "lib/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct dir_output {
    output base;
    char *out_dir;
    char *tmp_dir;
    /* tmp_dir, for writes relative to it (no walk of its path per file).
     * Its lock says the folder is in use: see sweep_stale. */
    int tmp_fd;
    atomic_size_t files;
    pthread_mutex_t lock; /* guards redirects */
    buf redirects;
} dir_output;

int output_path_is_safe(const char *path)
{
    if (!path || !*path || path[0] == '/') return 0;
    const char *seg = path;
    for (const char *p = path;; p++) {
        if (*p == '/' || *p == 0) {
            size_t n = (size_t)(p - seg);
            if (n == 0 && *p) return 0; /* "//" */
            if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.')) return 0;
            if (!*p) return 1;
            seg = p + 1;
        } else if (*p == '\\' || (unsigned char)*p < 0x20) {
            return 0;
        }
    }
}

static char *prepare(dir_output *o, const char *path)
{
    if (!output_path_is_safe(path)) {
        errno = EINVAL;
        return NULL;
    }
    char *full = path_join(o->tmp_dir, path);
    char *slash = strrchr(full, '/');
    *slash = 0;
    /* Most files are the only file of a new folder whose parent exists:
     * one mkdir, and the full mkdir -p only when that fails. */
    int rc = mkdir(full, 0755);
    if (rc < 0 && errno == EEXIST) rc = 0;
    if (rc < 0) rc = dir_make(full);
    *slash = '/';
    if (rc < 0) {
        free(full);
        return NULL;
    }
    return full;
}

/* mkdir -p of the folder part of path (relative to dirfd). Most pages are
 * the only file of a new folder whose parent exists: one mkdirat, and the
 * walk from the top only when that fails. */
static int make_parent_at(int dirfd, const char *path)
{
    char small[512];
    size_t n = strlen(path);
    char *rel = n < sizeof small ? small : xmalloc(n + 1);
    memcpy(rel, path, n + 1);
    char *slash = strrchr(rel, '/');
    int rc = 0;
    if (slash) {
        *slash = 0;
        rc = mkdirat(dirfd, rel, 0755);
        if (rc < 0 && errno == EEXIST) rc = 0;
        if (rc < 0 && errno == ENOENT) {
            rc = 0;
            for (char *s = rel; rc == 0 && *s; s++) {
                if (*s != '/') continue;
                *s = 0;
                if (mkdirat(dirfd, rel, 0755) < 0 && errno != EEXIST) rc = -1;
                *s = '/';
            }
            if (rc == 0 && mkdirat(dirfd, rel, 0755) < 0 && errno != EEXIST) rc = -1;
        }
    }
    int e = errno;
    if (rel != small) free(rel);
    errno = e;
    return rc;
}

static int dir_put(output *base, const char *path, const void *data, size_t len, time_t mtime)
{
    dir_output *o = (dir_output *)base;
    (void)mtime;
    if (!output_path_is_safe(path)) {
        errno = EINVAL;
        return -1;
    }
    int rc = make_parent_at(o->tmp_fd, path);
    if (rc == 0) rc = file_write_at(o->tmp_fd, path, data, len);
    if (rc == 0) o->files++;
    return rc;
}

static int copy_file(const char *src, const char *dst)
{
    /* The scan saw a regular file; if it was swapped for a link or a FIFO
     * since, refuse it rather than follow it out of the site or block. */
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (in < 0) return -1;
    struct stat st;
    if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(in);
        errno = EINVAL;
        return -1;
    }
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        close(in);
        return -1;
    }
    off_t left = st.st_size;
    int rc = 0;
    while (left > 0) {
        ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL)) {
                /* fall back to read/write */
                char chunk[65536];
                ssize_t r;
                while ((r = read(in, chunk, sizeof chunk)) > 0)
                    if (write(out, chunk, (size_t)r) != r) {
                        rc = -1;
                        break;
                    }
                if (r < 0) rc = -1;
            } else if (n < 0) {
                rc = -1;
            }
            break;
        }
        left -= n;
    }
    int e = errno;
    close(in);
    if (close(out) < 0) rc = -1;
    errno = e;
    return rc;
}

static int dir_put_file(output *base, const char *path, const char *src)
{
    dir_output *o = (dir_output *)base;
    char *full = prepare(o, path);
    if (!full) return -1;
    int rc = copy_file(src, full);
    free(full);
    if (rc == 0) o->files++;
    return rc;
}

/* A cache file is linked, not copied: no bytes move, and the cache only
 * ever replaces a file by renaming a new one over it, which leaves the
 * published link with the old, complete bytes. Another file system, or
 * one without hard links, gets a copy. The cache has checked that src is
 * a regular file (linking a symbolic link would publish the link). */
static int dir_put_immutable(output *base, const char *path, const char *src)
{
    dir_output *o = (dir_output *)base;
    if (!output_path_is_safe(path)) {
        errno = EINVAL;
        return -1;
    }
    /* The page's folder is usually there already: link first, and make
     * the folder only when the link says it is missing. */
    int rc = linkat(AT_FDCWD, src, o->tmp_fd, path, 0);
    if (rc < 0 && errno == ENOENT && (rc = make_parent_at(o->tmp_fd, path)) == 0)
        rc = linkat(AT_FDCWD, src, o->tmp_fd, path, 0);
    if (rc < 0 && errno == EEXIST && unlinkat(o->tmp_fd, path, 0) == 0) rc = linkat(AT_FDCWD, src, o->tmp_fd, path, 0);
    if (rc < 0) {
        char *full = prepare(o, path);
        if (!full) return -1;
        rc = copy_file(src, full);
        free(full);
    }
    if (rc == 0) o->files++;
    return rc;
}

/* One rule of _redirects, "/from to status": each address as a URI, so
 * that a space in a file's name, or a line break where none belongs,
 * cannot make a field or a rule of its own. */
static void add_rule(dir_output *o, const char *path, const char *target, int status)
{
    buf line = BUF_INIT;
    buf_putc(&line, '/');
    url_encode_unsafe(&line, path, strlen(path));
    buf_putc(&line, ' ');
    url_encode_unsafe(&line, target, strlen(target));
    buf_printf(&line, " %d\n", status);
    pthread_mutex_lock(&o->lock);
    buf_add(&o->redirects, line.s, line.len);
    pthread_mutex_unlock(&o->lock);
    buf_free(&line);
}

static int dir_redirect(output *base, const char *path, const char *target, int status)
{
    dir_output *o = (dir_output *)base;
    if (!*target) {
        errno = EINVAL;
        return -1;
    }
    /* "ru/old/" or "ru/old" -> ru/old/index.html */
    buf p = BUF_INIT;
    buf_puts(&p, path);
    while (p.len && p.s[p.len - 1] == '/') buf_truncate(&p, p.len - 1);
    const char *last = strrchr(buf_cstr(&p), '/');
    last = last ? last + 1 : buf_cstr(&p);
    const char *ext = strrchr(last, '.');
    if (!ext) buf_puts(&p, "/index.html");
    else if (strcmp(ext, ".html") != 0) {
        /* A redirect from a file name (an old media URL) cannot be an HTML
         * page of that name: a plain server would send it with the media's
         * type. It goes to _redirects only. */
        add_rule(o, path, target, status);
        buf_free(&p);
        return 0;
    }
    buf html = BUF_INIT;
    buf_puts(&html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Redirect</title>"
                    "<meta http-equiv=\"refresh\" content=\"0; url=");
    buf_add_html(&html, target, strlen(target));
    buf_puts(&html, "\"><link rel=\"canonical\" href=\"");
    buf_add_html(&html, target, strlen(target));
    buf_puts(&html, "\"></head><body><p><a href=\"");
    buf_add_html(&html, target, strlen(target));
    buf_puts(&html, "\">");
    buf_add_html(&html, target, strlen(target));
    buf_puts(&html, "</a></p></body></html>\n");
    int rc = dir_put(base, buf_cstr(&p), html.s, html.len, 0);
    buf_free(&html);
    buf_free(&p);
    if (rc == 0) add_rule(o, path, target, status);
    return rc;
}

static const output_ops dir_ops = {dir_put, dir_put_file, dir_redirect, dir_put_immutable};

extern char **environ;

/* Remove a folder without making the build wait for it: a separate
 * process in its own session deletes the tree, so the new site is in
 * place (and the command done) while tens of thousands of old files are
 * still being unlinked. It runs on if folio exits or is interrupted; when
 * it cannot be started, the tree is removed here. lock_fd, an open
 * descriptor of the folder holding its lock, is handed to the remover
 * and closed here: the folder stays locked until it is gone. */
static void remove_in_background(const char *dir, int lock_fd)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    bool spawned = false;
    if (posix_spawn_file_actions_init(&fa) == 0) {
        if (posix_spawnattr_init(&attr) == 0) {
            /* No inherited terminal or pipes: a caller reading folio's
             * output must not wait for the removal to finish. */
            posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
            posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
            posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
            if (lock_fd >= 0) posix_spawn_file_actions_adddup2(&fa, lock_fd, 3);
            posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
            char *argv[] = {"rm", "-rf", "--", (char *)dir, NULL};
            pid_t pid;
            spawned = posix_spawn(&pid, "/bin/rm", &fa, &attr, argv, environ) == 0;
            posix_spawnattr_destroy(&attr);
        }
        posix_spawn_file_actions_destroy(&fa);
    }
    if (!spawned) dir_remove_tree(dir);
    if (lock_fd >= 0) close(lock_fd);
}

/* A build holds a lock on its temporary folder, and the remover of an old
 * site on that site, until they are done. A folder named like ours
 * (OUT.tmp-XXXXXX), carrying the mark of a build's output, that nobody
 * holds is what a killed build or an interrupted removal left behind: a
 * whole copy of the site nobody will ever swap in. It is removed. A folder younger than a minute is left
 * alone: it may belong to a build between making it and locking it. */
#define STALE_AFTER_SECONDS 60

static void sweep_stale(const char *out_dir)
{
    char *parent = xstrdup(out_dir);
    char *base = xstrdup(out_dir);
    const char *pd = dirname(parent), *name = basename(base);
    size_t nlen = strlen(name);
    DIR *dir = opendir(pd);
    if (dir) {
        struct dirent *e;
        time_t now = time(NULL);
        while ((e = readdir(dir))) {
            const char *n = e->d_name;
            if (strncmp(n, name, nlen) != 0 || strncmp(n + nlen, ".tmp-", 5) != 0 || strlen(n + nlen + 5) != 6)
                continue;
            int fd = openat(dirfd(dir), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) continue;
            struct stat st, ms;
            if (fstat(fd, &st) == 0 && now - st.st_mtime >= STALE_AFTER_SECONDS &&
                fstatat(fd, OUTPUT_DIR_MARKER, &ms, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(ms.st_mode) &&
                flock(fd, LOCK_EX | LOCK_NB) == 0) {
                char *path = path_join(pd, n);
                remove_in_background(path, fd);
                free(path);
            } else {
                close(fd);
            }
        }
        closedir(dir);
    }
    free(parent);
    free(base);
}

/* path made absolute, symbolic links resolved as far as it exists (the
 * rest, not made yet, appended as written). malloc'd. */
static char *resolved(const char *path)
{
    char real[PATH_MAX];
    if (realpath(path, real)) return xstrdup(real);
    char *copy = xstrdup(path);
    char *slash = strrchr(copy, '/');
    char *out;
    if (!slash) {
        out = realpath(".", real) ? path_join(real, path) : xstrdup(path);
    } else if (slash == copy) {
        out = xstrdup(path);
    } else {
        *slash = 0;
        char *head = resolved(copy);
        out = path_join(head, slash + 1);
        free(head);
    }
    free(copy);
    return out;
}

/* a is b or a folder inside b (both resolved). */
static bool is_within(const char *a, const char *b)
{
    size_t n = strlen(b);
    while (n > 1 && b[n - 1] == '/') n--;
    return strncmp(a, b, n) == 0 && (a[n] == 0 || a[n] == '/' || (n == 1 && b[0] == '/'));
}

/* 1 when dir holds nothing, 0 when it holds something, -1 when it cannot be read. */
static int is_empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = 0;
    closedir(d);
    return empty;
}

static bool is_safe_target(const char *out_dir, const output_guard *g, diag_list *d)
{
    char *out = resolved(out_dir);
    bool ok = true;
    if (g && g->site_dir) {
        char *site = resolved(g->site_dir);
        if (is_within(out, site) || is_within(site, out)) {
            diag_add(d, DIAG_ERROR, out_dir, 0, 0,
                     "the output folder must be outside the site folder %s: a build replaces it whole and "
                     "deletes what was there",
                     g->site_dir);
            ok = false;
        }
        free(site);
    }
    if (ok && g && g->cache_dir) {
        char *cache = resolved(g->cache_dir);
        if (is_within(cache, out) || is_within(out, cache)) {
            diag_add(d, DIAG_ERROR, out_dir, 0, 0,
                     "the output folder and the image cache %s must not be inside one another", g->cache_dir);
            ok = false;
        }
        free(cache);
    }
    struct stat st;
    if (ok && lstat(out_dir, &st) == 0 && S_ISDIR(st.st_mode) && !(g && g->force)) {
        char *marker = path_join(out_dir, OUTPUT_DIR_MARKER);
        struct stat ms;
        bool is_ours = lstat(marker, &ms) == 0 && S_ISREG(ms.st_mode);
        free(marker);
        if (!is_ours && is_empty_dir(out_dir) != 1) {
            diag_add(d, DIAG_ERROR, out_dir, 0, 0,
                     "the output folder is not empty and was not made by folio build; not replaced (a build "
                     "deletes what is there: give --force if that is meant)");
            ok = false;
        }
    }
    free(out);
    return ok;
}

output *output_dir_new(const char *out_dir, diag_list *d)
{
    return output_dir_open(out_dir, NULL, d);
}

output *output_dir_open(const char *out_dir, const output_guard *g, diag_list *d)
{
    if (!is_safe_target(out_dir, g, d)) return NULL;
    dir_output *o = xcalloc(1, sizeof *o);
    o->base.ops = &dir_ops;
    size_t n = strlen(out_dir);
    while (n > 1 && out_dir[n - 1] == '/') n--;
    o->out_dir = xstrndup(out_dir, n);
    buf t = BUF_INIT;
    buf_printf(&t, "%s.tmp-XXXXXX", o->out_dir);
    o->tmp_dir = buf_detach(&t, NULL);
    char *parent = xstrdup(o->out_dir);
    char *pd = dirname(parent);
    if (dir_make(pd) < 0 || !mkdtemp(o->tmp_dir)) {
        diag_add(d, DIAG_ERROR, o->out_dir, 0, 0, "cannot create the output folder: %s", strerror(errno));
        free(parent);
        free(o->tmp_dir);
        free(o->out_dir);
        free(o);
        return NULL;
    }
    free(parent);
    chmod(o->tmp_dir, 0755);
    o->tmp_fd = open(o->tmp_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->tmp_fd < 0) {
        diag_add(d, DIAG_ERROR, o->out_dir, 0, 0, "cannot open the output folder: %s", strerror(errno));
        rmdir(o->tmp_dir);
        free(o->tmp_dir);
        free(o->out_dir);
        free(o);
        return NULL;
    }
    flock(o->tmp_fd, LOCK_EX | LOCK_NB); /* a new folder: nobody else can hold it */
    static const char marker[] = "This folder is made by folio build, which replaces it whole on every build.\n";
    if (file_write_at(o->tmp_fd, OUTPUT_DIR_MARKER, marker, sizeof marker - 1) < 0) {
        diag_add(d, DIAG_ERROR, o->out_dir, 0, 0, "cannot write into the output folder: %s", strerror(errno));
        close(o->tmp_fd);
        dir_remove_tree(o->tmp_dir);
        free(o->tmp_dir);
        free(o->out_dir);
        free(o);
        return NULL;
    }
    o->files = 1; /* the marker */
    sweep_stale(o->out_dir);
    pthread_mutex_init(&o->lock, NULL);
    return &o->base;
}

static void destroy(dir_output *o)
{
    close(o->tmp_fd);
    pthread_mutex_destroy(&o->lock);
    buf_free(&o->redirects);
    free(o->tmp_dir);
    free(o->out_dir);
    free(o);
}

int output_dir_commit(output *base, diag_list *d)
{
    dir_output *o = (dir_output *)base;
    if (o->redirects.len) {
        char *p = path_join(o->tmp_dir, "_redirects");
        file_write(p, o->redirects.s, o->redirects.len);
        free(p);
    }
    struct stat st;
    int rc;
    if (lstat(o->out_dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            diag_add(d, DIAG_ERROR, o->out_dir, 0, 0, "output path exists and is not a folder; not replaced");
            dir_remove_tree(o->tmp_dir);
            destroy(o);
            return -1;
        }
        rc = renameat2(AT_FDCWD, o->tmp_dir, AT_FDCWD, o->out_dir, RENAME_EXCHANGE);
        if (rc == 0) { /* tmp_dir now holds the previous site */
            int old = open(o->tmp_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (old >= 0) flock(old, LOCK_EX | LOCK_NB);
            remove_in_background(o->tmp_dir, old);
        }
    } else {
        rc = rename(o->tmp_dir, o->out_dir);
    }
    if (rc < 0) {
        diag_add(d, DIAG_ERROR, o->out_dir, 0, 0, "cannot move the new site into place: %s", strerror(errno));
        dir_remove_tree(o->tmp_dir);
    }
    destroy(o);
    return rc < 0 ? -1 : 0;
}

void output_dir_abort(output *base)
{
    dir_output *o = (dir_output *)base;
    dir_remove_tree(o->tmp_dir);
    destroy(o);
}

size_t output_dir_count(const output *base)
{
    const dir_output *o = (const dir_output *)base;
    return o->files + (o->redirects.len > 0); /* _redirects is written at commit */
}
