/* test_main.c - runs the tests registered by one test binary.
 * Usage: test_x [name-substring] */
#include "test.h"
#include "lib/files.h"

#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_TESTS 1024

static struct {
    const char *name;
    test_fn fn;
} tests[MAX_TESTS];
static int ntests;
static int current_failed;
static const char *current_name;
static long passed, failed;

void test_register(const char *name, test_fn fn)
{
    if (ntests < MAX_TESTS) {
        tests[ntests].name = name;
        tests[ntests].fn = fn;
        ntests++;
    }
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stdout, "FAIL %s: %s:%d: ", current_name, file, line);
    vfprintf(stdout, fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    current_failed++;
}

void test_case(const char *name, bool ok)
{
    if (ok) passed++;
    else {
        failed++;
        fprintf(stdout, "FAIL %s\n", name);
    }
}

static char repo[PATH_MAX];

const char *test_repo_dir(void)
{
    if (!repo[0]) {
        const char *env = getenv("FOLIO_REPO");
        if (env) snprintf(repo, sizeof repo, "%s", env);
        else if (!getcwd(repo, sizeof repo)) snprintf(repo, sizeof repo, ".");
    }
    return repo;
}

const char *test_fixture_dir(void)
{
    static char p[PATH_MAX + 32];
    snprintf(p, sizeof p, "%s/tests/fixtures", test_repo_dir());
    return p;
}

const char *test_shared_dir(void)
{
    static char p[PATH_MAX + 32];
    const char *env = getenv("FOLIO_SHARED");
    if (env) snprintf(p, sizeof p, "%s", env);
    else snprintf(p, sizeof p, "%s/../shared", test_repo_dir());
    return p;
}

/* Builds that are not given a cache folder would keep their photo
 * variants next to the site, which for the tests' temporary sites is /tmp
 * itself, and find them again in the next run. Unless the run says where
 * (tests/run gives all test programs one), each test program keeps them
 * in a folder of its own, deleted at the end. */
static char *private_cache;

static void remove_private_cache(void)
{
    if (private_cache) dir_remove_tree(private_cache);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    static char tmpl[] = "/tmp/folio-test-cache-XXXXXX";
    if (!getenv("FOLIO_CACHE_DIR") && (private_cache = mkdtemp(tmpl))) {
        setenv("FOLIO_CACHE_DIR", private_cache, 1);
        atexit(remove_private_cache);
    }
    for (int i = 0; i < ntests; i++) {
        if (argc > 1 && !strstr(tests[i].name, argv[1])) continue;
        current_name = tests[i].name;
        current_failed = 0;
        tests[i].fn();
        if (current_failed) failed++;
        else passed++;
    }
    printf("%ld passed, %ld failed\n", passed, failed);
    return failed ? 1 : 0;
}
