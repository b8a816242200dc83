/* rebuild_bench.c - how long `folio serve` takes to serve a saved edit.
 *
 * Usage: rebuild_bench [--dir DIR] [--edits E] [--full-edits F] [N]
 *
 * Generates (with gen_site, next to this program) a site of N posts
 * (default 10000) in DIR/site-N (default $TMPDIR/folio-bench-rebuild,
 * reused by later runs), starts the real server and file watcher in this
 * process on a free loopback port, then edits one post the way an editor
 * saves (write a temporary file, rename it over the post) and measures
 * from the rename until an HTTP GET of the post returns the new text:
 * E times (default 20) a body edit, which the live server updates
 * incrementally, and F times (default 5) a title edit, which needs a full
 * rebuild. Prints median, best and worst wall time and the process's CPU
 * time (user + system, all threads: build, server and this client's
 * polling) per edit. The post is put back as it was at the end. */
#include "../tests/httpc.h"
#include "bench.h"
#include "lib/buf.h"
#include "lib/files.h"
#include "serve/serve_site.h"
#include "serve/watch.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_EDITS 200
#define EDIT_TIMEOUT_MS 120000.0

static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* DIR/site-N/user, generated unless a complete one is there. */
static char *ensure_site(const char *work, long n)
{
    buf root = BUF_INIT, user = BUF_INIT, marker = BUF_INIT, count = BUF_INIT, gen = BUF_INIT;
    buf_printf(&root, "%s/site-%ld", work, n);
    buf_printf(&user, "%s/user", buf_cstr(&root));
    buf_printf(&marker, "%s/complete", buf_cstr(&root));
    buf_printf(&count, "%ld", n);
    char *dir = bench_own_dir();
    buf_printf(&gen, "%s/gen_site", dir);
    free(dir);
    bool ok = true;
    if (!path_exists(buf_cstr(&marker))) {
        dir_remove_tree(buf_cstr(&root));
        dir_make(buf_cstr(&root));
        printf("generating %ld posts into %s ...\n", n, buf_cstr(&user));
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            execl(buf_cstr(&gen), buf_cstr(&gen), buf_cstr(&count), buf_cstr(&user), (char *)NULL);
            _exit(127);
        }
        int status = 0;
        ok = pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (ok) ok = file_write(buf_cstr(&marker), "", 0) == 0;
    }
    buf_free(&root);
    buf_free(&marker);
    buf_free(&count);
    buf_free(&gen);
    if (!ok) {
        buf_free(&user);
        return NULL;
    }
    return buf_detach(&user, NULL);
}

static int compare_folders(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folder name of the post in the middle of the news. */
static char *middle_post(const char *news)
{
    DIR *dh = opendir(news);
    if (!dh) return NULL;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dh)))
        if (e->d_name[0] != '.' && strchr(e->d_name, '.') && !strstr(e->d_name, ".md")) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    closedir(dh);
    char *pick = NULL;
    if (n) {
        qsort(names, n, sizeof *names, compare_folders);
        pick = xstrdup(names[n / 2]);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return pick;
}

static void save(const char *path, const char *text, size_t len)
{
    buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp", path);
    file_write(buf_cstr(&tmp), text, len);
    rename(buf_cstr(&tmp), path);
    buf_free(&tmp);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Polls url until its body contains needle; false on timeout. */
static bool wait_for_text(int port, const char *url, const char *needle)
{
    double t0 = wall_ms();
    while (wall_ms() - t0 < EDIT_TIMEOUT_MS) {
        reply r;
        bool found = false;
        if (http_get(port, url, NULL, &r) == 0) {
            found = r.status == 200 && strstr(buf_cstr(&r.body), needle);
            reply_free(&r);
        }
        if (found) return true;
        usleep(500);
    }
    return false;
}

typedef enum edit_kind { EDIT_BODY, EDIT_TITLE } edit_kind;

/* The post's text with a marker in its body or title. */
static void edited(buf *out, const char *original, edit_kind kind, const char *marker)
{
    buf_reset(out);
    if (kind == EDIT_BODY) {
        buf_puts(out, original);
        buf_printf(out, "\n\nEdited paragraph %s.\n", marker);
        return;
    }
    const char *title = strstr(original, "\ntitle: ");
    size_t at = title ? (size_t)(title - original) + 8 : 0;
    buf_add(out, original, at);
    buf_printf(out, "'%s' ", marker);
    const char *eol = strchr(original + at, '\n');
    /* The generated title is quoted; keep it whole on its own line after ours. */
    buf_puts(out, "\n");
    buf_puts(out, "# was: ");
    buf_add(out, original + at, eol ? (size_t)(eol - original - at) : strlen(original + at));
    buf_puts(out, eol ? eol : "");
}

static void run_edits(const char *label, edit_kind kind, int count, int port, const char *file, const char *url,
                      const char *original)
{
    double wall[MAX_EDITS], cpu[MAX_EDITS];
    int done = 0;
    buf text = BUF_INIT;
    for (int i = 0; i < count; i++) {
        char marker[64];
        snprintf(marker, sizeof marker, "Mark%c%d%ld", kind == EDIT_BODY ? 'B' : 'T', i, (long)getpid());
        edited(&text, original, kind, marker);
        usleep(200000); /* let the previous change settle */
        double c0 = cpu_ms(), t0 = wall_ms();
        save(file, text.s, text.len);
        if (!wait_for_text(port, url, marker)) {
            fprintf(stderr, "%s edit %d: the change was not served within %.0f s\n", label, i, EDIT_TIMEOUT_MS / 1e3);
            break;
        }
        wall[done] = wall_ms() - t0;
        cpu[done] = cpu_ms() - c0;
        done++;
    }
    buf_free(&text);
    if (!done) return;
    double sorted[MAX_EDITS];
    memcpy(sorted, wall, (size_t)done * sizeof *wall);
    qsort(sorted, (size_t)done, sizeof *sorted, compare_doubles);
    qsort(cpu, (size_t)done, sizeof *cpu, compare_doubles);
    printf("%-11s %3d edits  median %8.1f ms  best %8.1f ms  worst %8.1f ms  CPU median %8.1f ms\n", label, done,
           sorted[done / 2], sorted[0], sorted[done - 1], cpu[done / 2]);
}

int main(int argc, char **argv)
{
    long n = 10000;
    int edits = 20, full_edits = 5;
    const char *work = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dir") && i + 1 < argc) work = argv[++i];
        else if (!strcmp(argv[i], "--edits") && i + 1 < argc) edits = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--full-edits") && i + 1 < argc) full_edits = atoi(argv[++i]);
        else if (argv[i][0] != '-') n = atol(argv[i]);
        else {
            fprintf(stderr, "usage: rebuild_bench [--dir DIR] [--edits E] [--full-edits F] [N]\n");
            return 2;
        }
    }
    if (edits < 0 || edits > MAX_EDITS || full_edits < 0 || full_edits > MAX_EDITS || n < 1) {
        fprintf(stderr, "rebuild_bench: edits must be 0..%d and N positive\n", MAX_EDITS);
        return 2;
    }
    buf default_work = BUF_INIT;
    if (!work) {
        const char *tmp = getenv("TMPDIR");
        buf_printf(&default_work, "%s/folio-bench-rebuild", tmp && *tmp ? tmp : "/tmp");
        work = buf_cstr(&default_work);
    }
    dir_make(work);
    char *user = ensure_site(work, n);
    if (!user) {
        fprintf(stderr, "rebuild_bench: could not generate the site\n");
        return 1;
    }
    char *news = path_join(user, "pages/02.news");
    char *folder = middle_post(news);
    if (!folder) {
        fprintf(stderr, "rebuild_bench: no posts in %s\n", news);
        return 1;
    }
    char *post_dir = path_join(news, folder);
    char *file = path_join(post_dir, "item.ru.md");
    size_t len = 0;
    char *original = file_read(file, &len, 1 << 24);
    if (!original) {
        fprintf(stderr, "rebuild_bench: cannot read %s\n", file);
        return 1;
    }
    buf url = BUF_INIT;
    buf_printf(&url, "/ru/news/%s/", strchr(folder, '.') + 1);

    serve_site ss = {0};
    ss.dir = user;
    ss.serve.quiet = true;
    ss.serve.bind = "127.0.0.1";
    diag_list d;
    diag_init(&d);
    time_t next = 0;
    double c0 = cpu_ms(), t0 = wall_ms();
    snapshot *first = serve_site_rebuild(&ss, time(NULL), &next, &d);
    double first_wall = wall_ms() - t0, first_cpu = cpu_ms() - c0;
    diag_free(&d);
    if (!first) {
        fprintf(stderr, "rebuild_bench: the site did not build\n");
        return 1;
    }
    printf("site: %ld posts, %zu files served; first build %.0f ms wall, %.0f ms CPU; load average now:",
           n, snapshot_count(first), first_wall, first_cpu);
    double load[3];
    if (getloadavg(load, 3) == 3) printf(" %.2f %.2f %.2f", load[0], load[1], load[2]);
    printf(" (%ld cores)\n", sysconf(_SC_NPROCESSORS_ONLN));
    diag_init(&d);
    server *srv = server_start(&ss.serve, first, &d);
    diag_free(&d);
    if (!srv) {
        fprintf(stderr, "rebuild_bench: the server did not start\n");
        return 1;
    }
    int port = server_port(srv);
    watch_options wo = {0};
    wo.site_dir = user;
    wo.rebuild = serve_site_rebuild;
    wo.update = serve_site_update;
    wo.ctx = &ss;
    wo.next_change = next;
    wo.messages = fopen("/dev/null", "w");
    watcher *w = watch_start(&wo, srv);
    printf("post: %s (%s)\n", url.s, file);
    fflush(stdout);

    run_edits("body edit", EDIT_BODY, edits, port, file, buf_cstr(&url), original);
    fflush(stdout);
    run_edits("title edit", EDIT_TITLE, full_edits, port, file, buf_cstr(&url), original);

    save(file, original, len);
    usleep(300000);
    watch_stop(w);
    server_stop(srv);
    serve_site_free(&ss);
    if (wo.messages) fclose(wo.messages);
    free(original);
    free(file);
    free(post_dir);
    free(folder);
    free(news);
    free(user);
    buf_free(&url);
    buf_free(&default_work);
    return 0;
}
