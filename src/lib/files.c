/* files.c - reading, writing and removing files and trees. */
#include "files.h"
#include "buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *file_read(const char *path, size_t *len, size_t max_size)
{
    /* O_NONBLOCK: opening a FIFO put where a file is expected must not
     * wait for a writer (it is refused below); regular files ignore it. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return NULL;
    }
    if (max_size && (size_t)st.st_size > max_size) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *data = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (max_size && n >= max_size) {
                free(data);
                close(fd);
                errno = EFBIG;
                return NULL;
            }
            cap *= 2;
            data = xrealloc(data, cap);
        }
        ssize_t r = read(fd, data + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            free(data);
            close(fd);
            errno = e;
            return NULL;
        }
        if (r == 0) break;
        n += (size_t)r;
        /* The size fstat gave is read: no further read just to see the end. */
        if (n == (size_t)st.st_size) break;
    }
    close(fd);
    data[n] = 0;
    if (len) *len = n;
    return data;
}

char *file_read_head(const char *path, size_t head, size_t *len, bool *whole, time_t *mtime)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return NULL;
    }
    if (mtime) *mtime = st.st_mtime;
    char *data = xmalloc(head + 1);
    size_t n = 0;
    bool end = false;
    while (n < head) {
        ssize_t r = read(fd, data + n, head - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            free(data);
            close(fd);
            errno = e;
            return NULL;
        }
        if (r == 0) {
            end = true;
            break;
        }
        n += (size_t)r;
        if ((off_t)n >= st.st_size) break;
    }
    /* A file of exactly head bytes is whole too. */
    if (!end && (off_t)n >= st.st_size) end = true;
    close(fd);
    data[n] = 0;
    *len = n;
    *whole = end;
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
