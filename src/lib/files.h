/* files.h - the few file-system operations folio needs, with errors
 * reported through errno (callers turn them into diags). */
#ifndef FOLIO_FILES_H
#define FOLIO_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* Whole file into a malloc'd NUL-terminated buffer, NULL on failure.
 * Files larger than max_size fail with EFBIG. */
char *file_read(const char *path, size_t *len, size_t max_size);
/* file_read of rel inside the folder dir, refusing any path that leads
 * out of it: "..", an absolute path, or a symbolic link pointing outside
 * (links that stay inside are followed). NULL with errno set (EXDEV for a
 * way out). */
char *file_read_beneath(const char *dir, const char *rel, size_t *len, size_t max_size);
/* At most the first head bytes of a file known to be a regular one,
 * NUL-terminated; *whole tells whether that is all of it. NULL on
 * failure, as file_read. */
char *file_read_head(const char *path, size_t head, size_t *len, bool *whole);
/* The same into dst: the number of bytes read (less than cap: the whole
 * file), or -1 with errno set. dst is not NUL-terminated. */
ssize_t file_read_into(const char *path, char *dst, size_t cap);
/* Write a file (truncating). Returns 0 or -1. */
int file_write(const char *path, const void *data, size_t len);
/* The same with path relative to the open folder dirfd (AT_FDCWD: the
 * current folder). */
int file_write_at(int dirfd, const char *path, const void *data, size_t len);
/* mkdir -p. Returns 0 or -1. */
int dir_make(const char *path);
/* rm -rf; never follows symlinks. Returns 0 or -1. */
int dir_remove_tree(const char *path);
bool path_is_dir(const char *path);
bool path_exists(const char *path);

/* What tells a file's bytes apart without reading them: device, inode,
 * size, modification and change times (the test git's index uses; no
 * program can set a change time back). */
typedef struct file_stamp {
    unsigned long long dev, ino, size;
    long long mtime_s, mtime_ns, ctime_s, ctime_ns;
} file_stamp;
struct stat;
file_stamp file_stamp_of(const struct stat *st);
bool file_stamp_same(const file_stamp *a, const file_stamp *b);
time_t file_mtime(const char *path);
/* Join two path parts with one '/', malloc'd. */
char *path_join(const char *a, const char *b);

#endif
