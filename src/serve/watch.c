/* watch.c - the rebuild thread: inotify, debounce, publish timer.
 *
 * One thread polls three descriptors, the inotify instance, an eventfd
 * that watch_stop() signals and the server's eventfd for files changed
 * outside the site (server_stale_fd), with a timeout that is the nearer
 * of the debounce deadline and the next publishing change. inotify watches are
 * not recursive, so every folder gets its own watch and a folder created
 * later (a new page) is added, with its contents, when its creation event
 * arrives. Hidden folders (.git) are not watched: they are not content. */
#include "serve/watch.h"

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/files.h"

#define WATCH_EVENTS (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | \
                      IN_ATTRIB | IN_DELETE_SELF | IN_ONLYDIR)
#define MAX_DEPTH 32
#define MAX_BURST_MS 1000 /* a never-ending burst still rebuilds this often */
#define MAX_CHANGED_PATHS 256 /* more in one burst is a bulk change: rebuild it all */
#define STALE_GAP_MS 1000     /* rebuilds for files changed outside the site: at most this often */
#define MAX_WRITING 64        /* files being written that a rebuild waits for; more: it waits for none */
#define MAX_WRITE_WAIT_MS 30000 /* a file held open longer (a log) no longer holds the rebuild back */
#define DEFAULT_DEBOUNCE_MS 250 /* an editor's "empty the file, then write it" is one change */

struct watcher {
    watch_options opt;
    server *srv;
    pthread_t thread;
    int inotify_fd;
    int stop_fd;
    char **paths; /* indexed by watch descriptor */
    size_t paths_cap;
    char *site_dir;
    time_t next_change;
    /* Files changed in the pending burst, for opt.update; whole_site when
     * a change is not a file's (a folder, lost events) or there are too many. */
    char *changed[MAX_CHANGED_PATHS];
    size_t nchanged;
    bool whole_site;
    /* Files opened for writing and not closed yet: a photo uploaded over
     * SFTP or a share a piece at a time. A rebuild meanwhile would publish
     * the half written (a truncated photo, an emptied page). */
    char *writing[MAX_WRITING];
    size_t nwriting;
};

/* Start or end waiting for path (parent/name) to be written. */
static void note_writing(watcher *w, const char *parent, const char *name, bool is_writing)
{
    if (!parent || !name) return;
    char *path = path_join(parent, name);
    for (size_t i = 0; i < w->nwriting; i++)
        if (!strcmp(w->writing[i], path)) {
            if (!is_writing) {
                free(w->writing[i]);
                w->writing[i] = w->writing[--w->nwriting];
            }
            free(path);
            return;
        }
    if (is_writing && w->nwriting < MAX_WRITING) w->writing[w->nwriting++] = path;
    else free(path);
}

static void note_change(watcher *w, const char *parent, const char *name)
{
    if (w->whole_site) return;
    if (!parent || !name || w->nchanged == MAX_CHANGED_PATHS) {
        w->whole_site = true;
        return;
    }
    char *path = path_join(parent, name);
    for (size_t i = 0; i < w->nchanged; i++)
        if (!strcmp(w->changed[i], path)) {
            free(path);
            return;
        }
    w->changed[w->nchanged++] = path;
}

static void forget_changes(watcher *w)
{
    for (size_t i = 0; i < w->nchanged; i++) free(w->changed[i]);
    w->nchanged = 0;
    w->whole_site = false;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void remember_watch(watcher *w, int wd, const char *path)
{
    if (wd < 0) return;
    if ((size_t)wd >= w->paths_cap) {
        size_t ncap = w->paths_cap ? w->paths_cap : 64;
        while (ncap <= (size_t)wd) ncap *= 2;
        w->paths = xrealloc(w->paths, ncap * sizeof *w->paths);
        memset(w->paths + w->paths_cap, 0, (ncap - w->paths_cap) * sizeof *w->paths);
        w->paths_cap = ncap;
    }
    free(w->paths[wd]);
    w->paths[wd] = xstrdup(path);
}

static void watch_tree(watcher *w, const char *dir, int depth)
{
    if (depth > MAX_DEPTH) return;
    int wd = inotify_add_watch(w->inotify_fd, dir, WATCH_EVENTS);
    if (wd < 0) {
        fprintf(w->opt.messages, "%s: warning: cannot watch folder: %s\n", dir, strerror(errno));
        return;
    }
    remember_watch(w, wd, dir);
    DIR *dh = opendir(dir);
    if (!dh) return;
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (e->d_name[0] == '.') continue;
        char *child = path_join(dir, e->d_name);
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode)) watch_tree(w, child, depth + 1);
        free(child);
    }
    closedir(dh);
}

/* files_only: the burst's changes are all in w->changed. */
static void rebuild_now(watcher *w, bool files_only)
{
    diag_list d;
    diag_init(&d);
    time_t next = 0, now = time(NULL);
    snapshot *serving = server_snapshot(w->srv);
    serve_set_rebuild_base(serving);
    snapshot *s;
    if (files_only && w->opt.update)
        s = w->opt.update(w->opt.ctx, serving, (const char *const *)w->changed, w->nchanged, now, &next, &d);
    else
        s = w->opt.rebuild(w->opt.ctx, now, &next, &d);
    forget_changes(w);
    serve_set_rebuild_base(NULL);
    snapshot_unref(serving);
    diag_sort(&d);
    diag_print_all(w->opt.messages, &d);
    diag_free(&d);
    if (s) {
        fprintf(w->opt.messages, "folio: rebuilt, serving %zu files\n", snapshot_count(s));
        server_swap(w->srv, s);
        /* A change time in the past would make the timer spin. */
        w->next_change = next > now ? next : 0;
    } else {
        fprintf(w->opt.messages, "folio: rebuild failed; still serving the previous version\n");
        if (w->next_change <= now) w->next_change = 0;
        /* the callback may ask to be tried again (serve_site: when an
         * error has stood long enough to be published without its page) */
        if (next > now && (!w->next_change || next < w->next_change)) w->next_change = next;
    }
    fflush(w->opt.messages);
    /* A rebuild allocates and frees a whole site in the build threads'
     * malloc arenas, which glibc keeps; without handing that back, a server
     * rebuilt every few seconds for days creeps up in resident memory. */
    malloc_trim(0);
}

/* Reads pending inotify events; returns true when any concerns content. */
static bool drain_events(watcher *w)
{
    _Alignas(struct inotify_event) char events[8192];
    bool relevant = false;
    for (;;) {
        ssize_t n = read(w->inotify_fd, events, sizeof events);
        if (n <= 0) break;
        for (char *p = events; p < events + n;) {
            struct inotify_event *ev = (struct inotify_event *)(void *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                /* Events were lost: re-scan so new folders are watched. */
                watch_tree(w, w->site_dir, 0);
                w->whole_site = true;
                relevant = true;
                continue;
            }
            if (ev->mask & IN_IGNORED) {
                if (ev->wd >= 0 && (size_t)ev->wd < w->paths_cap) {
                    free(w->paths[ev->wd]);
                    w->paths[ev->wd] = NULL;
                }
                continue;
            }
            if (ev->len && ev->name[0] == '.') continue; /* editor swap files, .git */
            relevant = true;
            const char *parent = ev->wd >= 0 && (size_t)ev->wd < w->paths_cap ? w->paths[ev->wd] : NULL;
            if (ev->mask & (IN_ISDIR | IN_DELETE_SELF) || !ev->len) w->whole_site = true;
            else note_change(w, parent, ev->name);
            if (!(ev->mask & IN_ISDIR) && ev->len) {
                if (ev->mask & (IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM)) note_writing(w, parent, ev->name, false);
                else if (ev->mask & (IN_MODIFY | IN_CREATE)) note_writing(w, parent, ev->name, true);
            }
            if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) && parent && ev->len) {
                char *child = path_join(parent, ev->name);
                watch_tree(w, child, 1);
                free(child);
            }
        }
    }
    return relevant;
}

static bool is_stopping(void *arg)
{
    watcher *w = arg;
    struct pollfd p = {w->stop_fd, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

/* The first build of a big site was served partly compressed the quick
 * way; compress the rest fully while it is online. Changes meanwhile wait
 * in the kernel's queue and are taken up after. */
static void compress_fully(watcher *w)
{
    snapshot *serving = server_snapshot(w->srv);
    snapshot *s = snapshot_compress_fully(serving, is_stopping, w);
    snapshot_unref(serving);
    if (!s) return;
    server_swap(w->srv, s);
    fprintf(w->opt.messages, "folio: the whole site is compressed fully\n");
    fflush(w->opt.messages);
    malloc_trim(0);
}

static void *watch_thread(void *arg)
{
    watcher *w = arg;
    if (w->opt.compress_fully) compress_fully(w);
    long long pending_since = 0, quiet_deadline = 0;
    /* A file of the snapshot changed outside the site (see serve.h): a
     * whole rebuild at stale_at, not sooner than STALE_GAP_MS after the
     * last one, so that a file written over and over does not make the
     * server rebuild without pause. */
    long long stale_at = 0, last_stale = 0;
    int stale_fd = server_stale_fd(w->srv);
    for (;;) {
        long long now = now_ms();
        long long wake = -1;
        if (pending_since && w->nwriting) {
            wake = pending_since + MAX_WRITE_WAIT_MS; /* or sooner, when the files are closed */
        } else if (pending_since) {
            wake = quiet_deadline < pending_since + MAX_BURST_MS ? quiet_deadline : pending_since + MAX_BURST_MS;
        }
        if (w->next_change > 0) {
            long long at = (long long)w->next_change * 1000;
            if (wake < 0 || at < wake) wake = at;
        }
        if (stale_at && (wake < 0 || stale_at < wake)) wake = stale_at;
        int timeout = -1;
        if (wake >= 0) timeout = wake <= now ? 0 : (wake - now > 60000 ? 60000 : (int)(wake - now));
        struct pollfd fds[3] = {{w->stop_fd, POLLIN, 0}, {stale_fd, POLLIN, 0}, {w->inotify_fd, POLLIN, 0}};
        int nfds = w->inotify_fd >= 0 ? 3 : 2;
        int rc = poll(fds, (nfds_t)nfds, timeout);
        if (rc < 0 && errno != EINTR) break;
        if (fds[0].revents) break;
        now = now_ms();
        if (fds[1].revents & POLLIN) {
            uint64_t count;
            if (read(stale_fd, &count, sizeof count) == sizeof count && !stale_at) {
                long long earliest = last_stale ? last_stale + STALE_GAP_MS : 0;
                stale_at = now + w->opt.debounce_ms > earliest ? now + w->opt.debounce_ms : earliest;
            }
        }
        if (nfds == 3 && (fds[2].revents & (POLLERR | POLLNVAL))) {
            fprintf(w->opt.messages, "folio: file watching failed; changes need a restart\n");
            close(w->inotify_fd);
            w->inotify_fd = -1;
        } else if (nfds == 3 && fds[2].revents && drain_events(w)) {
            if (!pending_since) pending_since = now;
            quiet_deadline = now + w->opt.debounce_ms;
        }
        bool settled = pending_since && (w->nwriting ? now >= pending_since + MAX_WRITE_WAIT_MS
                                                     : now >= quiet_deadline || now >= pending_since + MAX_BURST_MS);
        bool scheduled = w->next_change > 0 && now >= (long long)w->next_change * 1000;
        bool stale = stale_at && now >= stale_at;
        if (settled || scheduled || stale) {
            /* The timer rebuilds everything; so does a burst it coincides with. */
            bool files_only = settled && !scheduled && !stale && !w->whole_site;
            pending_since = 0;
            if (stale) last_stale = now;
            if (!files_only) stale_at = 0; /* a whole rebuild puts every file as it is now */
            rebuild_now(w, files_only);
        }
    }
    return NULL;
}

watcher *watch_start(const watch_options *opt, server *srv)
{
    watcher *w = xcalloc(1, sizeof *w);
    w->opt = *opt;
    if (!w->opt.messages) w->opt.messages = stderr;
    if (w->opt.debounce_ms <= 0) w->opt.debounce_ms = DEFAULT_DEBOUNCE_MS;
    w->srv = srv;
    w->next_change = opt->next_change;
    w->inotify_fd = -1;
    w->stop_fd = eventfd(0, EFD_CLOEXEC);
    if (w->stop_fd < 0) goto fail;
    if (opt->site_dir) {
        w->site_dir = xstrdup(opt->site_dir);
        w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (w->inotify_fd < 0 || !path_is_dir(opt->site_dir)) {
            fprintf(w->opt.messages, "%s: error: cannot watch the site folder: %s\n", opt->site_dir,
                    w->inotify_fd < 0 ? strerror(errno) : "not a folder");
            goto fail;
        }
        watch_tree(w, w->site_dir, 0);
    }
    if (pthread_create(&w->thread, NULL, watch_thread, w) != 0) goto fail;
    return w;
fail:
    if (w->inotify_fd >= 0) close(w->inotify_fd);
    if (w->stop_fd >= 0) close(w->stop_fd);
    for (size_t i = 0; i < w->paths_cap; i++) free(w->paths[i]);
    free(w->paths);
    free(w->site_dir);
    free(w);
    return NULL;
}

void watch_stop(watcher *w)
{
    if (!w) return;
    uint64_t one = 1;
    if (write(w->stop_fd, &one, sizeof one) < 0) { /* the thread would never stop; nothing better to do */ }
    pthread_join(w->thread, NULL);
    close(w->stop_fd);
    if (w->inotify_fd >= 0) close(w->inotify_fd);
    for (size_t i = 0; i < w->paths_cap; i++) free(w->paths[i]);
    free(w->paths);
    free(w->site_dir);
    forget_changes(w);
    for (size_t i = 0; i < w->nwriting; i++) free(w->writing[i]);
    free(w);
}
