/* test.h - the tiny test harness every tests/test_*.c uses.
 *
 * TEST(name) { ... } registers a test; CHECK* record failures with file
 * and line and let the test go on. Each test binary prints one line per
 * failing test and ends with `N passed, N failed`; tests/run adds those up.
 * Upstream suites report each of their examples as a case of their own
 * with test_case(). */
#ifndef FOLIO_TEST_H
#define FOLIO_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Count one case of a data-driven suite (an upstream example). */
void test_case(const char *name, bool passed);
/* Where the repository's fixtures are (tests/fixtures) and shared test data. */
const char *test_fixture_dir(void);
const char *test_shared_dir(void); /* ../shared relative to the repo */
const char *test_repo_dir(void);

#define TEST(name)                                                                   \
    static void name(void);                                                          \
    __attribute__((constructor)) static void register_##name(void) { test_register(#name, name); } \
    static void name(void)

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);              \
    } while (0)

#define CHECK_INT(a, b)                                                              \
    do {                                                                             \
        long long va_ = (long long)(a), vb_ = (long long)(b);                        \
        if (va_ != vb_) test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, va_, vb_); \
    } while (0)

#define CHECK_STR(a, b)                                                              \
    do {                                                                             \
        const char *sa_ = (a), *sb_ = (b);                                           \
        if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0)                                   \
            test_fail(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #a, sa_ ? sa_ : "(null)", \
                      sb_ ? sb_ : "(null)");                                         \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                  \
    do {                                                                             \
        const char *h_ = (hay), *n_ = (needle);                                      \
        if (!h_ || !strstr(h_, n_))                                                  \
            test_fail(__FILE__, __LINE__, "%s does not contain \"%s\"", #hay, n_);   \
    } while (0)

#define CHECK_NOT_CONTAINS(hay, needle)                                              \
    do {                                                                             \
        const char *h_ = (hay), *n_ = (needle);                                      \
        if (h_ && strstr(h_, n_))                                                    \
            test_fail(__FILE__, __LINE__, "%s contains \"%s\"", #hay, n_);           \
    } while (0)

#endif
