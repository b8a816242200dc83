/* files.c - reading, writing and removing files and trees. */
#include "files.h"
#include "buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A regular file opened for reading, with its stat; -1 (errno set) when
 * it cannot be opened or is not a regular file. O_NONBLOCK: opening a
 * FIFO put where a file is expected must not wait for a writer (it is
 * refused here); regular files ignore it. */
static int open_regular(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return -1;
    if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
        int e = S_ISREG(st->st_mode) ? errno : EISDIR;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Read up to want bytes into p; fewer only at the end of the file. The
 * count, or -1 with errno set. */
static ssize_t read_upto(int fd, char *p, size_t want)
{
    size_t n = 0;
    while (n < want) {
        ssize_t r = read(fd, p + n, want - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        if (r == 0) break;
        n += (size_t)r;
    }
    return (ssize_t)n;
}

/* The rest of file_read, for an open regular file (closed here). */
static char *read_and_close(int fd, const struct stat *stp, size_t *len, size_t max_size)
{
    struct stat st = *stp;
    if (max_size && (size_t)st.st_size > max_size) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    /* The size fstat gave, read in one go, without a further read just to
     * see the end; a file that says it is empty (as /proc files do) is
     * read to its end in doubling steps. */
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *data = xmalloc(cap);
    for (;;) {
        size_t want = cap - n - 1;
        ssize_t r = read_upto(fd, data + n, want);
        if (r < 0) {
            int e = errno;
            free(data);
            close(fd);
            errno = e;
            return NULL;
        }
        n += (size_t)r;
        if ((size_t)r < want || (st.st_size > 0 && n == (size_t)st.st_size)) break;
        if (max_size && n >= max_size) {
            free(data);
            close(fd);
            errno = EFBIG;
            return NULL;
        }
        cap *= 2;
        data = xrealloc(data, cap);
    }
    close(fd);
    data[n] = 0;
    if (len) *len = n;
    return data;
}

char *file_read(const char *path, size_t *len, size_t max_size)
{
    struct stat st;
    int fd = open_regular(path, &st);
    return fd < 0 ? NULL : read_and_close(fd, &st, len, max_size);
}

char *file_read_beneath(const char *dir, const char *rel, size_t *len, size_t max_size)
{
    int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) return NULL;
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    int fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
    if (fd < 0 && errno == ENOSYS) {
        /* A kernel before 5.6: no link at all, and no way up or out. */
        bool escapes = rel[0] == '/' || !strcmp(rel, "..") || !strncmp(rel, "../", 3) || strstr(rel, "/../") ||
                       (strlen(rel) >= 3 && !strcmp(rel + strlen(rel) - 3, "/.."));
        fd = escapes ? (errno = EXDEV, -1) : openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    }
    int e = errno;
    close(dirfd);
    errno = e;
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return NULL;
    }
    return read_and_close(fd, &st, len, max_size);
}

ssize_t file_read_into(const char *path, char *dst, size_t cap)
{
    /* No fstat: the callers know the file is a regular one (a folder
     * listing said so), and a read that stops short of cap is the end
     * of a regular file. O_NONBLOCK as in open_regular; a folder put in
     * its place fails the read. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return -1;
    ssize_t r = read_upto(fd, dst, cap);
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

char *file_read_head(const char *path, size_t head, size_t *len, bool *whole)
{
    char *data = xmalloc(head + 1);
    ssize_t r = file_read_into(path, data, head);
    if (r < 0) {
        int e = errno;
        free(data);
        errno = e;
        return NULL;
    }
    data[r] = 0;
    *len = (size_t)r;
    *whole = (size_t)r < head;
    /* Most pages are a few kilobytes: give back the rest of the buffer. */
    if (*whole && head - (size_t)r > 4096) data = xrealloc(data, (size_t)r + 1);
    return data;
}

int file_write(const char *path, const void *data, size_t len) { return file_write_at(AT_FDCWD, path, data, len); }

int file_write_at(int dirfd, const char *path, const void *data, size_t len)
{
    int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return close(fd);
}

int dir_make(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int r = mkdir(p, 0755);
    free(p);
    return r < 0 && errno != EEXIST ? -1 : 0;
}

int dir_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0) return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode)) return unlink(path);
    DIR *d = opendir(path);
    if (!d) return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *child = path_join(path, e->d_name);
        if (dir_remove_tree(child) < 0) rc = -1;
        free(child);
    }
    closedir(d);
    if (rmdir(path) < 0) rc = -1;
    return rc;
}

bool path_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

file_stamp file_stamp_of(const struct stat *st)
{
    file_stamp f = {(unsigned long long)st->st_dev, (unsigned long long)st->st_ino, (unsigned long long)st->st_size,
                    (long long)st->st_mtim.tv_sec,  (long long)st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec,
                    (long long)st->st_ctim.tv_nsec};
    return f;
}

bool file_stamp_same(const file_stamp *a, const file_stamp *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime_s == b->mtime_s &&
           a->mtime_ns == b->mtime_ns && a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

bool path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

time_t file_mtime(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_mtime : 0;
}

char *path_join(const char *a, const char *b)
{
    size_t la = strlen(a);
    while (la > 1 && a[la - 1] == '/') la--;
    while (*b == '/') b++;
    buf out = BUF_INIT;
    buf_add(&out, a, la);
    if (la && a[la - 1] != '/') buf_putc(&out, '/');
    buf_puts(&out, b);
    return buf_detach(&out, NULL);
}
