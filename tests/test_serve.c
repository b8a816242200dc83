/* test_serve.c - the server of `folio serve`, over real HTTP.
 *
 * Each test starts a server on a free loopback port with a snapshot built
 * by hand through the output interface, talks to it with the small raw
 * socket client below (raw, so that malformed and hostile requests can be
 * sent byte for byte), and checks statuses, headers and bodies. */
#include "test.h"

#include <arpa/inet.h>
#include <brotli/decode.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/buf.h"
#include "lib/files.h"
#include "serve/http.h"
#include "serve/route.h"
#include "serve/serve.h"
#include "serve/snapshot.h"
#include "serve/watch.h"

#include "httpc.h"

/* ---- fixtures ---- */

static char *news_page(const char *marker)
{
    buf b = BUF_INIT;
    buf_printf(&b, "<!doctype html><html lang=\"ru\"><head><title>Новости %s</title></head><body>\n", marker);
    for (int i = 0; i < 60; i++)
        buf_printf(&b, "<article><h2>Новость %d</h2><p>Гематологический центр %s провёл конференцию.</p></article>\n",
                   i, marker);
    buf_puts(&b, "</body></html>\n");
    return buf_detach(&b, NULL);
}

static unsigned char photo[3000];

static snapshot *site_snapshot(const serve_options *opt, const char *marker)
{
    snapshot *s = serve_snapshot_new(opt);
    output *o = snapshot_output(s);
    snapshot_set_language_list(s, "kk ru en");
    char *news = news_page(marker);
    output_put(o, "ru/news/index.html", news, strlen(news), 1700000000);
    free(news);
    output_put(o, "ru/news/page/2/index.html", "<p>page two</p>", 15, 1700000000);
    output_put(o, "ru/новости/index.html", "<p>новости</p>", strlen("<p>новости</p>"), 1700000000);
    output_put(o, "kk/index.html", "<p>басты бет</p>", strlen("<p>басты бет</p>"), 1700000000);
    output_put(o, "ru/index.html", "<p>главная</p>", strlen("<p>главная</p>"), 1700000000);
    output_put(o, "en/index.html", "<p>home</p>", 11, 1700000000);
    output_put(o, "kk/404.html", "<p>kk: бет табылмады</p>", strlen("<p>kk: бет табылмады</p>"), 1700000000);
    output_put(o, "ru/404.html", "<p>ru: страница не найдена</p>", strlen("<p>ru: страница не найдена</p>"), 1700000000);
    const char *css = "body { color: #222; margin: 0 auto; max-width: 60rem; } h1 { font-size: 2rem; } "
                      "p { line-height: 1.5; } a { color: #036; } footer { color: #555; }";
    output_put(o, "theme/style.3f9a2c1e.css", css, strlen(css), 1700000000);
    output_put(o, "theme/plain.css", css, strlen(css), 1700000000);
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof photo; i++) photo[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
    output_put(o, "media/a/photo.jpg", photo, sizeof photo, 1700000000);
    output_put(o, "media/a/photo-20230109.jpg", photo, 100, 1700000000);
    output_redirect(o, "/user/pages/01.home/photo.jpg", "/media/a/photo.jpg", 301);
    output_redirect(o, "ru/old-news/", "/ru/news/", 301);
    return s;
}

static serve_options quiet_options(void)
{
    serve_options opt = {0};
    opt.port = 0;
    opt.quiet = true;
    opt.threads = 2;
    return opt;
}

static server *start(const serve_options *opt, const char *marker)
{
    diag_list d;
    diag_init(&d);
    server *srv = server_start(opt, site_snapshot(opt, marker), &d);
    diag_print_all(stderr, &d);
    diag_free(&d);
    return srv;
}

static char *gunzip(const char *data, size_t len, size_t *out_len)
{
    z_stream z = {0};
    if (inflateInit2(&z, 15 + 16) != Z_OK) return NULL;
    size_t cap = 1 << 20;
    char *out = xmalloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = (unsigned char *)out;
    z.avail_out = (uInt)cap;
    int rc = inflate(&z, Z_FINISH);
    *out_len = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

static char *unbrotli(const char *data, size_t len, size_t *out_len)
{
    size_t cap = 1 << 20;
    char *out = xmalloc(cap);
    *out_len = cap;
    if (BrotliDecoderDecompress(len, (const uint8_t *)data, out_len, (uint8_t *)out) != BROTLI_DECODER_RESULT_SUCCESS) {
        free(out);
        return NULL;
    }
    return out;
}

static bool has_security_headers(reply *r)
{
    const char *nosniff = hdr(r, "X-Content-Type-Options");
    const char *frame = hdr(r, "X-Frame-Options");
    const char *referrer = hdr(r, "Referrer-Policy");
    const char *csp = hdr(r, "Content-Security-Policy");
    return nosniff && strcmp(nosniff, "nosniff") == 0 && frame && strcmp(frame, "SAMEORIGIN") == 0 && referrer &&
           strcmp(referrer, "strict-origin-when-cross-origin") == 0 && csp && strstr(csp, "default-src 'self'");
}

/* ---- pages, redirects, errors ---- */

TEST(directory_url_serves_its_index_html_with_validators)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    reply r;
    CHECK_INT(http_get(server_port(srv), "/ru/news/", NULL, &r), 0);
    CHECK_INT(r.status, 200);
    char *expected = news_page("A");
    CHECK_STR(r.body.s, expected);
    free(expected);
    CHECK_STR(hdr(&r, "Content-Type"), "text/html; charset=utf-8");
    const char *etag = hdr(&r, "ETag");
    CHECK(etag && etag[0] == '"' && strlen(etag) >= 10);
    CHECK_STR(hdr(&r, "Last-Modified"), "Tue, 14 Nov 2023 22:13:20 GMT");
    CHECK_STR(hdr(&r, "Cache-Control"), "no-cache");
    CHECK(has_security_headers(&r));
    reply_free(&r);
    server_stop(srv);
}

TEST(directory_url_without_slash_redirects_permanently_keeping_the_query)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    reply r;
    http_get(server_port(srv), "/ru/news", NULL, &r);
    CHECK_INT(r.status, 301);
    CHECK_STR(hdr(&r, "Location"), "/ru/news/");
    CHECK(has_security_headers(&r));
    reply_free(&r);
    http_get(server_port(srv), "/ru/news?tag=x", NULL, &r);
    CHECK_STR(hdr(&r, "Location"), "/ru/news/?tag=x");
    reply_free(&r);
    /* The Location header stays ASCII: non-ASCII path bytes are encoded. */
    http_get(server_port(srv), "/ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8", NULL, &r);
    CHECK_INT(r.status, 301);
    CHECK_STR(hdr(&r, "Location"), "/ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/");
    reply_free(&r);
    http_get(server_port(srv), "/ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.body.s, "<p>новости</p>");
    reply_free(&r);
    server_stop(srv);
}

TEST(head_answers_headers_without_body)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    reply r;
    http_request(server_port(srv), "HEAD", "/ru/news/", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body.len, 0);
    char *expected = news_page("A");
    char len[32];
    snprintf(len, sizeof len, "%zu", strlen(expected));
    CHECK_STR(hdr(&r, "Content-Length"), len);
    free(expected);
    reply_free(&r);
    server_stop(srv);
}

TEST(other_methods_are_405_with_allow)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    const char *methods[] = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
    for (size_t i = 0; i < 5; i++) {
        reply r;
        http_request(server_port(srv), methods[i], "/ru/news/", "Content-Length: 0\r\n", &r);
        CHECK_INT(r.status, 405);
        CHECK_STR(hdr(&r, "Allow"), "GET, HEAD");
        CHECK(has_security_headers(&r));
        reply_free(&r);
    }
    server_stop(srv);
}

TEST(if_none_match_and_if_modified_since_answer_304)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    int port = server_port(srv);
    reply r;
    http_get(port, "/ru/news/", NULL, &r);
    char etag[128], h[256];
    snprintf(etag, sizeof etag, "%s", hdr(&r, "ETag"));
    reply_free(&r);

    snprintf(h, sizeof h, "If-None-Match: \"other\", %s\r\n", etag);
    http_get(port, "/ru/news/", h, &r);
    CHECK_INT(r.status, 304);
    CHECK_INT(r.body.len, 0);
    CHECK_STR(hdr(&r, "ETag"), etag);
    CHECK(has_security_headers(&r));
    reply_free(&r);

    http_get(port, "/ru/news/", "If-None-Match: \"0000000000000000\"\r\n", &r);
    CHECK_INT(r.status, 200);
    reply_free(&r);

    http_get(port, "/ru/news/", "If-Modified-Since: Wed, 15 Nov 2023 00:00:00 GMT\r\n", &r);
    CHECK_INT(r.status, 304);
    reply_free(&r);
    http_get(port, "/ru/news/", "If-Modified-Since: Mon, 13 Nov 2023 00:00:00 GMT\r\n", &r);
    CHECK_INT(r.status, 200);
    reply_free(&r);
    /* a date in the future is no date this server gave: ignored */
    http_get(port, "/ru/news/", "If-Modified-Since: Sun, 06 Nov 2094 08:49:37 GMT\r\n", &r);
    CHECK_INT(r.status, 200);
    reply_free(&r);
    /* The compressed form has its own tag, which also revalidates. */
    http_get(port, "/ru/news/", "Accept-Encoding: br\r\n", &r);
    snprintf(h, sizeof h, "Accept-Encoding: br\r\nIf-None-Match: %s\r\n", hdr(&r, "ETag"));
    CHECK(strcmp(hdr(&r, "ETag"), etag) != 0);
    reply_free(&r);
    http_get(port, "/ru/news/", h, &r);
    CHECK_INT(r.status, 304);
    reply_free(&r);
    server_stop(srv);
}

TEST(single_range_is_206_unsatisfiable_is_416_multiple_is_whole)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    int port = server_port(srv);
    reply r;
    http_get(port, "/media/a/photo.jpg", "Range: bytes=10-19\r\n", &r);
    CHECK_INT(r.status, 206);
    CHECK_INT(r.body.len, 10);
    CHECK(r.body.len == 10 && memcmp(r.body.s, photo + 10, 10) == 0);
    CHECK_STR(hdr(&r, "Content-Range"), "bytes 10-19/3000");
    reply_free(&r);

    http_get(port, "/media/a/photo.jpg", "Range: bytes=-100\r\n", &r);
    CHECK_INT(r.status, 206);
    CHECK(r.body.len == 100 && memcmp(r.body.s, photo + 2900, 100) == 0);
    CHECK_STR(hdr(&r, "Content-Range"), "bytes 2900-2999/3000");
    reply_free(&r);

    http_get(port, "/media/a/photo.jpg", "Range: bytes=2990-\r\n", &r);
    CHECK_INT(r.status, 206);
    CHECK_INT(r.body.len, 10);
    reply_free(&r);

    http_get(port, "/media/a/photo.jpg", "Range: bytes=3000-3100\r\n", &r);
    CHECK_INT(r.status, 416);
    CHECK_STR(hdr(&r, "Content-Range"), "bytes */3000");
    reply_free(&r);

    http_get(port, "/media/a/photo.jpg", "Range: bytes=0-1,5-6\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body.len, 3000);
    reply_free(&r);

    /* A page kept only compressed is cut from its plain form. */
    http_get(port, "/ru/news/", "Range: bytes=0-14\r\nAccept-Encoding: br\r\n", &r);
    CHECK_INT(r.status, 206);
    CHECK_STR(r.body.s, "<!doctype html>");
    CHECK(hdr(&r, "Content-Encoding") == NULL);
    reply_free(&r);

    http_get(port, "/media/a/photo.jpg", "Range: bytes=0-9\r\nIf-Range: \"stale\"\r\n", &r);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body.len, 3000);
    reply_free(&r);
    server_stop(srv);
}

TEST(accept_encoding_prefers_brotli_then_gzip_and_bodies_decode)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    int port = server_port(srv);
    char *expected = news_page("A");
    reply r;
    size_t n = 0;

    http_get(port, "/ru/news/", "Accept-Encoding: gzip, deflate, br\r\n", &r);
    CHECK_STR(hdr(&r, "Content-Encoding"), "br");
    CHECK_STR(hdr(&r, "Vary"), "Accept-Encoding");
    CHECK(r.body.len < strlen(expected) / 2);
    char *plain = unbrotli(r.body.s, r.body.len, &n);
    CHECK(plain && n == strlen(expected) && memcmp(plain, expected, n) == 0);
    free(plain);
    reply_free(&r);

    http_get(port, "/ru/news/", "Accept-Encoding: gzip, br;q=0\r\n", &r);
    CHECK_STR(hdr(&r, "Content-Encoding"), "gzip");
    plain = gunzip(r.body.s, r.body.len, &n);
    CHECK(plain && n == strlen(expected) && memcmp(plain, expected, n) == 0);
    free(plain);
    reply_free(&r);

    http_get(port, "/ru/news/", "Accept-Encoding: identity\r\n", &r);
    CHECK(hdr(&r, "Content-Encoding") == NULL);
    CHECK_STR(r.body.s, expected);
    CHECK_STR(hdr(&r, "Vary"), "Accept-Encoding");
    reply_free(&r);

    /* Already-compressed media is never wrapped again. */
    http_get(port, "/media/a/photo.jpg", "Accept-Encoding: br, gzip\r\n", &r);
    CHECK(hdr(&r, "Content-Encoding") == NULL);
    CHECK_STR(hdr(&r, "Content-Type"), "image/jpeg");
    CHECK_INT(r.body.len, sizeof photo);
    reply_free(&r);
    free(expected);
    server_stop(srv);
}

TEST(cache_control_is_short_for_html_immutable_for_fingerprints_a_day_for_media)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    int port = server_port(srv);
    reply r;
    http_get(port, "/theme/style.3f9a2c1e.css", NULL, &r);
    CHECK_STR(hdr(&r, "Cache-Control"), "public, max-age=31536000, immutable");
    CHECK_STR(hdr(&r, "Content-Type"), "text/css; charset=utf-8");
    reply_free(&r);
    http_get(port, "/theme/plain.css", NULL, &r);
    CHECK_NOT_CONTAINS(hdr(&r, "Cache-Control"), "immutable");
    reply_free(&r);
    http_get(port, "/media/a/photo.jpg", NULL, &r);
    CHECK_STR(hdr(&r, "Cache-Control"), "public, max-age=86400");
    reply_free(&r);
    http_get(port, "/media/a/photo-20230109.jpg", NULL, &r); /* a date is not a fingerprint */
    CHECK_INT(r.status, 200);
    CHECK_STR(hdr(&r, "Cache-Control"), "public, max-age=86400");
    reply_free(&r);
    http_get(port, "/kk/", NULL, &r);
    CHECK_STR(hdr(&r, "Cache-Control"), "no-cache");
    reply_free(&r);
    server_stop(srv);
}

TEST(traversal_and_malformed_paths_are_400_or_404_never_a_file)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    const char *targets[] = {
        "/../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
        "/ru/..%2f..%2f", "/%00", "/ru/news/%00index.html", "/\\..\\..\\etc\\passwd", "/ru/%5c..%5c",
        "/ru/news/../../../etc/passwd", "/%c0%ae%c0%ae/etc/passwd", "/%ff", "/%zz", "/ru/news/%",
        "//etc/passwd", "/./../etc/passwd", "/%2e%2e%2fetc%2fpasswd", "/ru/news/..",
    };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        reply r;
        int rc = http_get(server_port(srv), targets[i], NULL, &r);
        bool refused = rc == 0 && (r.status == 400 || r.status == 404);
        if (!refused) test_fail(__FILE__, __LINE__, "%s answered %d", targets[i], rc == 0 ? r.status : -1);
        CHECK_NOT_CONTAINS(buf_cstr(&r.body), "root:");
        reply_free(&r);
    }
    server_stop(srv);
}

TEST(dot_segments_and_double_slashes_are_normalised)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    reply r;
    http_get(server_port(srv), "/ru/./news//", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body.s, "Новости A");
    reply_free(&r);
    http_get(server_port(srv), "/%72u/news/", NULL, &r); /* %72 = 'r' */
    CHECK_INT(r.status, 200);
    reply_free(&r);
    server_stop(srv);
}

TEST(unknown_url_gets_the_404_page_of_its_language)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    int port = server_port(srv);
    reply r;
    http_get(port, "/ru/no-such-page/", NULL, &r);
    CHECK_INT(r.status, 404);
    CHECK_CONTAINS(r.body.s, "ru: страница не найдена");
    CHECK(has_security_headers(&r));
    reply_free(&r);
    http_get(port, "/en/missing", NULL, &r); /* no en/404.html: the default language's */
    CHECK_INT(r.status, 404);
    CHECK_CONTAINS(r.body.s, "kk: бет табылмады");
    reply_free(&r);
    http_get(port, "/nothing.png", NULL, &r);
    CHECK_INT(r.status, 404);
    CHECK_CONTAINS(r.body.s, "kk:");
    reply_free(&r);
    server_stop(srv);
}

TEST(root_redirects_to_the_best_accepted_language)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    int port = server_port(srv);
    struct {
        const char *header, *location;
    } cases[] = {
        {"Accept-Language: ru-RU,ru;q=0.9,en;q=0.8\r\n", "/ru/"},
        {"Accept-Language: de-DE, en;q=0.5, ru;q=0.4\r\n", "/en/"},
        {"Accept-Language: fr\r\n", "/kk/"},
        {"Accept-Language: en;q=0.2, kk;q=0.9\r\n", "/kk/"},
        {"Accept-Language: ru;q=0, en\r\n", "/en/"},
        {NULL, "/kk/"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reply r;
        http_get(port, "/", cases[i].header, &r);
        CHECK_INT(r.status, 302);
        CHECK_STR(hdr(&r, "Location"), cases[i].location);
        CHECK_STR(hdr(&r, "Vary"), "Accept-Language");
        reply_free(&r);
    }
    server_stop(srv);
}

TEST(grav_legacy_urls_redirect_to_folio_urls)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    int port = server_port(srv);
    reply r;
    http_get(port, "/ru/news/page:2", NULL, &r);
    CHECK_INT(r.status, 301);
    CHECK_STR(hdr(&r, "Location"), "/ru/news/page/2/");
    reply_free(&r);
    http_get(port, "/ru/news/page:2/", NULL, &r); /* as some links write it */
    CHECK_INT(r.status, 301);
    CHECK_STR(hdr(&r, "Location"), "/ru/news/page/2/");
    reply_free(&r);
    http_get(port, "/ru/news/page:9", NULL, &r);
    CHECK_INT(r.status, 404);
    reply_free(&r);
    /* the first page is the list itself; a campaign's query goes along */
    http_get(port, "/ru/news/page:1", NULL, &r);
    CHECK_INT(r.status, 301);
    CHECK_STR(hdr(&r, "Location"), "/ru/news/");
    reply_free(&r);
    http_get(port, "/ru/news/page:2/?utm_source=mail", NULL, &r);
    CHECK_INT(r.status, 301);
    CHECK_STR(hdr(&r, "Location"), "/ru/news/page/2/?utm_source=mail");
    reply_free(&r);
    http_get(port, "/?utm_source=mail", NULL, &r);
    CHECK_INT(r.status, 302);
    CHECK_STR(hdr(&r, "Location"), "/kk/?utm_source=mail");
    reply_free(&r);
    /* A taxonomy filter folio does not build: the list itself, for now. */
    http_get(port, "/ru/news/category:events", NULL, &r);
    CHECK_INT(r.status, 302);
    CHECK_STR(hdr(&r, "Location"), "/ru/news/");
    reply_free(&r);
    http_get(port, "/ru/nowhere/category:events", NULL, &r);
    CHECK_INT(r.status, 404);
    reply_free(&r);
    http_get(port, "/user/pages/01.home/photo.jpg", NULL, &r);
    CHECK_INT(r.status, 301);
    CHECK_STR(hdr(&r, "Location"), "/media/a/photo.jpg");
    CHECK(has_security_headers(&r));
    reply_free(&r);
    http_get(port, "/ru/old-news/", NULL, &r);
    CHECK_INT(r.status, 301);
    CHECK_STR(hdr(&r, "Location"), "/ru/news/");
    reply_free(&r);
    http_get(port, "/ru/old-news", NULL, &r);
    CHECK_INT(r.status, 301);
    reply_free(&r);
    /* Grav answers a page's address with a page type's extension. */
    http_get(port, "/ru/news.html", NULL, &r);
    CHECK_INT(r.status, 301);
    CHECK_STR(hdr(&r, "Location"), "/ru/news/");
    reply_free(&r);
    http_get(port, "/ru/news.htm?x=1", NULL, &r);
    CHECK_INT(r.status, 301);
    CHECK_STR(hdr(&r, "Location"), "/ru/news/?x=1");
    reply_free(&r);
    http_get(port, "/ru/nowhere.html", NULL, &r);
    CHECK_INT(r.status, 404);
    reply_free(&r);
    http_get(port, "/ru/.html", NULL, &r);
    CHECK_INT(r.status, 404);
    reply_free(&r);
    server_stop(srv);
}

static int count_headers(reply *r, const char *name)
{
    int n = 0;
    size_t len = strlen(name);
    for (const char *p = strstr(buf_cstr(&r->head), "\r\n"); p; p = strstr(p + 2, "\r\n"))
        if (strncasecmp(p + 2, name, len) == 0 && p[2 + len] == ':') n++;
    return n;
}

/* One Date header on every answer, current to the second, also on the
 * prepared responses that are queued again and again. */
TEST(every_answer_has_one_current_date_header)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    const char *paths[] = {"/ru/news/", "/missing", "/ru/news"};
    time_t first_date = 0;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
            reply r;
            time_t before = time(NULL);
            CHECK_INT(http_get(server_port(srv), paths[i], NULL, &r), 0);
            time_t after = time(NULL);
            CHECK_INT(count_headers(&r, "Date"), 1);
            time_t date = http_parse_date(hdr(&r, "Date"));
            CHECK(date >= before && date <= after);
            if (i == 0 && round == 0) first_date = date;
            if (i == 0 && round == 1) CHECK(date > first_date);
            reply_free(&r);
        }
        if (round == 0) sleep(1);
    }
    reply r;
    CHECK_INT(http_get(server_port(srv), "/ru/news/", NULL, &r), 0);
    char inm[128];
    snprintf(inm, sizeof inm, "If-None-Match: %s\r\n", hdr(&r, "ETag"));
    reply_free(&r);
    CHECK_INT(http_get(server_port(srv), "/ru/news/", inm, &r), 0);
    CHECK_INT(r.status, 304);
    CHECK_INT(count_headers(&r, "Date"), 1);
    reply_free(&r);
    server_stop(srv);
}

TEST(healthz_answers_ok)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    reply r;
    http_get(server_port(srv), "/healthz", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.body.s, "ok");
    CHECK(has_security_headers(&r));
    reply_free(&r);
    server_stop(srv);
}

TEST(overlong_uri_is_414_and_huge_headers_are_refused)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    buf target = BUF_INIT;
    buf_putc(&target, '/');
    for (int i = 0; i < 3000; i++) buf_putc(&target, 'a');
    reply r;
    http_get(server_port(srv), target.s, NULL, &r);
    CHECK_INT(r.status, 414);
    reply_free(&r);
    buf big = BUF_INIT;
    buf_puts(&big, "X-Junk: ");
    for (int i = 0; i < 100000; i++) buf_putc(&big, 'j');
    buf_puts(&big, "\r\n");
    int rc = http_get(server_port(srv), "/ru/news/", big.s, &r);
    CHECK(rc != 0 || r.status >= 400);
    reply_free(&r);
    buf_free(&big);
    buf_free(&target);
    server_stop(srv);
}

TEST(idle_half_sent_request_is_dropped_after_the_timeout)
{
    serve_options opt = quiet_options();
    opt.timeout_seconds = 1;
    server *srv = start(&opt, "A");
    int fd = connect_to(server_port(srv));
    const char *partial = "GET /ru/news/ HTTP/1.1\r\nHost: x\r\n";
    CHECK(send(fd, partial, strlen(partial), MSG_NOSIGNAL) > 0);
    struct pollfd p = {fd, POLLIN, 0};
    int ready = poll(&p, 1, 4000);
    char c;
    CHECK(ready == 1 && recv(fd, &c, 1, 0) <= 0);
    close(fd);
    server_stop(srv);
}

/* A GET sending a body a byte every few seconds kept its connection
 * for as long as it liked (the idle timer restarts on every byte), and a
 * thousand of them locked everyone out; two Content-Lengths are how a
 * request hides another from a proxy in front. Each is answered 400 at
 * once, with the site's security headers, and the connection closed
 * without waiting for the body. A GET that says Content-Length: 0 is
 * served. */
TEST(get_with_a_body_or_two_lengths_is_400_at_once_and_closed)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    const char *requests[] = {
        "GET /ru/news/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\nab",
        "GET /ru/news/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET /ru/news/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 44\r\n\r\n",
        "HEAD /ru/news/ HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
        int fd = connect_to(server_port(srv));
        CHECK(send(fd, requests[i], strlen(requests[i]), MSG_NOSIGNAL) > 0);
        char got[4096];
        size_t n = 0;
        struct pollfd p = {fd, POLLIN, 0};
        /* the answer and the end of the stream, well before any timeout */
        while (n < sizeof got - 1 && poll(&p, 1, 2000) == 1) {
            ssize_t k = recv(fd, got + n, sizeof got - 1 - n, 0);
            if (k <= 0) break;
            n += (size_t)k;
        }
        got[n] = 0;
        if (strncmp(got, "HTTP/1.1 400", 12) || !strstr(got, "X-Content-Type-Options: nosniff"))
            test_fail(__FILE__, __LINE__, "request %zu got: %.60s", i, got);
        CHECK(poll(&p, 1, 2000) == 1 && recv(fd, got, 1, 0) <= 0);
        close(fd);
    }
    reply r;
    http_request(server_port(srv), "GET", "/ru/news/", "Content-Length: 0\r\n", &r);
    CHECK_INT(r.status, 200);
    reply_free(&r);
    server_stop(srv);
}

/* The absolute form of a request's target ("GET http://host/ru/news/"),
 * which a server must accept: the path after the host is served, and the
 * host in it is never used for anything. */
TEST(absolute_form_target_is_served_by_its_path)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    const char *requests[][2] = {
        {"GET http://example.org/ru/news/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "HTTP/1.1 200"},
        {"GET HTTPS://evil.example/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
         "HTTP/1.1 400"},
    };
    for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
        int fd = connect_to(server_port(srv));
        CHECK(send(fd, requests[i][0], strlen(requests[i][0]), MSG_NOSIGNAL) > 0);
        char got[64] = "";
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 2000) == 1) {
            ssize_t k = recv(fd, got, sizeof got - 1, 0);
            got[k > 0 ? k : 0] = 0;
        }
        if (strncmp(got, requests[i][1], strlen(requests[i][1])))
            test_fail(__FILE__, __LINE__, "request %zu got: %.40s", i, got);
        close(fd);
    }
    server_stop(srv);
}

TEST(connections_beyond_the_per_address_limit_are_refused)
{
    serve_options opt = quiet_options();
    opt.threads = 1; /* the limit is split between workers; one makes it exact */
    opt.per_ip_limit = 2;
    server *srv = start(&opt, "A");
    int a = connect_to(server_port(srv)), b = connect_to(server_port(srv)), c = connect_to(server_port(srv));
    /* The third connection is accepted by the kernel, then closed unanswered. */
    const char *rq = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    send(c, rq, strlen(rq), MSG_NOSIGNAL);
    struct pollfd p = {c, POLLIN, 0};
    char ch;
    CHECK(poll(&p, 1, 3000) == 1 && recv(c, &ch, 1, 0) <= 0);
    CHECK(send(a, rq, strlen(rq), MSG_NOSIGNAL) > 0);
    reply r;
    CHECK_INT(read_one_response(a, &r), 0);
    CHECK_INT(r.status, 200);
    reply_free(&r);
    close(a);
    close(b);
    close(c);
    server_stop(srv);
}

TEST(access_log_has_one_common_log_format_line_per_request)
{
    char path[] = "/tmp/folio-log-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    serve_options opt = quiet_options();
    opt.quiet = false;
    opt.log_path = path;
    server *srv = start(&opt, "A");
    reply r;
    http_get(server_port(srv), "/ru/news/?q=\"x\"", NULL, &r);
    reply_free(&r);
    http_get(server_port(srv), "/missing", NULL, &r);
    reply_free(&r);
    http_get(server_port(srv), "/kk/", "X-Forwarded-For: 10.1.2.3, 203.0.113.7\r\n", &r);
    reply_free(&r);
    http_get(server_port(srv), "/kk/", "X-Forwarded-For: <script>\r\n", &r);
    reply_free(&r);
    server_stop(srv);
    size_t len;
    char *log = file_read(path, &len, 1 << 20);
    CHECK(log != NULL);
    CHECK_CONTAINS(log, "127.0.0.1 - - [");
    CHECK_CONTAINS(log, "] \"GET /ru/news/?q=\\x22x\\x22 HTTP/1.1\" 200 ");
    CHECK_CONTAINS(log, "\"GET /missing HTTP/1.1\" 404 ");
    /* Workers write their lines in batches, so across workers the order
     * in the file may differ from the order of the requests. */
    const char *forwarded = "203.0.113.7 - - [";
    CHECK(log && (strncmp(log, forwarded, strlen(forwarded)) == 0 || strstr(log, "\n203.0.113.7 - - [")));
    CHECK_NOT_CONTAINS(log, "<script>");
    int lines = 0;
    for (char *p = log; p && *p; p++) lines += *p == '\n';
    CHECK_INT(lines, 4);
    free(log);
    unlink(path);
}

/* ---- swapping ---- */

typedef struct hammer {
    int port;
    atomic_bool stop;
    atomic_int requests, mixed, failed;
} hammer;

static void *hammer_thread(void *arg)
{
    hammer *h = arg;
    char *a = news_page("AAAA"), *b = news_page("BBBB");
    while (!atomic_load(&h->stop)) {
        reply r;
        if (http_get(h->port, "/ru/news/", NULL, &r) != 0 || r.status != 200) atomic_fetch_add(&h->failed, 1);
        else if (strcmp(r.body.s, a) != 0 && strcmp(r.body.s, b) != 0) atomic_fetch_add(&h->mixed, 1);
        atomic_fetch_add(&h->requests, 1);
        reply_free(&r);
    }
    free(a);
    free(b);
    return NULL;
}

TEST(swap_under_load_serves_old_or_new_never_a_mix)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "AAAA");
    hammer h = {.port = server_port(srv)};
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, hammer_thread, &h);
    for (int i = 0; i < 40; i++) {
        server_swap(srv, site_snapshot(&opt, i % 2 ? "AAAA" : "BBBB"));
        usleep(10000);
    }
    atomic_store(&h.stop, true);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    CHECK(atomic_load(&h.requests) > 20);
    CHECK_INT(atomic_load(&h.mixed), 0);
    CHECK_INT(atomic_load(&h.failed), 0);
    reply r;
    http_get(server_port(srv), "/ru/news/", NULL, &r);
    CHECK_CONTAINS(r.body.s, "Новости AAAA"); /* the last swap (i = 39) */
    reply_free(&r);
    server_stop(srv);
}

/* ---- live reload ---- */

/* Workers keep a reference to the snapshot they answer from; after a swap,
 * an idle worker must let the old one go at once, not at its next request
 * (which may never come). Seen through a resource both snapshots share:
 * its holder count drops back to one when the old snapshot is freed. */
TEST(swap_frees_the_old_snapshot_without_waiting_for_another_request)
{
    serve_options opt = quiet_options();
    snapshot *old = site_snapshot(&opt, "A");
    diag_list d;
    diag_init(&d);
    server *srv = server_start(&opt, old, &d);
    diag_free(&d);
    CHECK(srv != NULL);
    if (!srv) return;
    for (int i = 0; i < 8; i++) { /* likely to reach both workers */
        reply r;
        CHECK_INT(http_get(server_port(srv), "/ru/news/", NULL, &r), 0);
        CHECK_INT(r.status, 200);
        reply_free(&r);
    }
    snapshot *held = server_snapshot(srv);
    snapshot *next = snapshot_derive(held);
    snapshot_unref(held);
    const resource *shared = snapshot_find(next, "ru/news/index.html", strlen("ru/news/index.html"));
    CHECK(shared != NULL);
    CHECK_INT(atomic_load(&shared->holders), 2);
    server_swap(srv, next);
    CHECK_INT(atomic_load(&shared->holders), 1);
    reply r;
    CHECK_INT(http_get(server_port(srv), "/ru/news/", NULL, &r), 0);
    CHECK_INT(r.status, 200);
    reply_free(&r);
    server_stop(srv);
}

TEST(dev_mode_injects_reload_script_and_reports_the_generation)
{
    serve_options opt = quiet_options();
    opt.dev = true;
    server *srv = start(&opt, "A");
    int port = server_port(srv);
    reply r;
    http_get(port, "/ru/news/", NULL, &r);
    const char *script = strstr(r.body.s, "<script src=\"/_folio/reload.js\"></script>");
    CHECK(script != NULL);
    CHECK(script && strncmp(script + strlen("<script src=\"/_folio/reload.js\"></script>"), "</body>", 7) == 0);
    reply_free(&r);
    http_get(port, "/_folio/reload.js", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body.s, "/_folio/version");
    reply_free(&r);
    http_get(port, "/_folio/version", NULL, &r);
    char before[32];
    snprintf(before, sizeof before, "%s", r.body.s);
    reply_free(&r);
    server_swap(srv, site_snapshot(&opt, "B"));
    http_get(port, "/_folio/version", NULL, &r);
    CHECK(strcmp(before, r.body.s) != 0);
    reply_free(&r);
    server_stop(srv);

    serve_options prod = quiet_options();
    srv = start(&prod, "A");
    http_get(server_port(srv), "/ru/news/", NULL, &r);
    CHECK_NOT_CONTAINS(r.body.s, "<script");
    reply_free(&r);
    http_get(server_port(srv), "/_folio/version", NULL, &r);
    CHECK_INT(r.status, 404);
    reply_free(&r);
    server_stop(srv);
}

typedef struct fake_build {
    atomic_int calls;
    atomic_bool fail;
    int gate_fd; /* when > 0, the first build waits for a byte from it */
    time_t next_change_to_report; /* reported once, by the first call */
    serve_options opt;
} fake_build;

static snapshot *fake_rebuild(void *ctx, time_t now, time_t *next_change, diag_list *d)
{
    fake_build *fb = ctx;
    int n = atomic_fetch_add(&fb->calls, 1) + 1;
    *next_change = n == 1 ? fb->next_change_to_report : 0;
    char go;
    if (n == 1 && fb->gate_fd > 0 && read(fb->gate_fd, &go, 1) != 1) return NULL;
    if (atomic_load(&fb->fail)) {
        diag_add(d, DIAG_ERROR, "pages/01.home/default.md", 3, 7, "bad front matter");
        return NULL;
    }
    char marker[32];
    snprintf(marker, sizeof marker, "build%d", n);
    return site_snapshot(&fb->opt, marker);
}

static bool wait_for_calls(fake_build *fb, int want, int ms)
{
    for (int i = 0; i < ms / 10; i++) {
        if (atomic_load(&fb->calls) >= want) return true;
        usleep(10000);
    }
    return atomic_load(&fb->calls) >= want;
}

/* The swap follows the rebuild call; poll until the page shows it. */
static bool wait_for_page(int port, const char *needle, int ms)
{
    for (int i = 0; i < ms / 20; i++) {
        reply r;
        bool seen = http_get(port, "/ru/news/", NULL, &r) == 0 && strstr(buf_cstr(&r.body), needle);
        reply_free(&r);
        if (seen) return true;
        usleep(20000);
    }
    return false;
}

static void write_text(const char *path, const char *text)
{
    CHECK_INT(file_write(path, text, strlen(text)), 0);
}

TEST(watcher_rebuilds_after_changes_including_in_new_folders)
{
    char dir[] = "/tmp/folio-watch-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    serve_options opt = quiet_options();
    server *srv = start(&opt, "initial");
    fake_build fb = {.opt = opt};
    FILE *messages = tmpfile();
    /* A debounce longer than the default, so that a busy machine pausing
     * this thread between the writes of one burst does not split it. */
    watch_options wo = {.site_dir = dir, .rebuild = fake_rebuild, .ctx = &fb, .messages = messages, .debounce_ms = 150};
    watcher *w = watch_start(&wo, srv);
    CHECK(w != NULL);

    char *page = path_join(dir, "default.md");
    for (int i = 0; i < 5; i++) write_text(page, "---\ntitle: x\n---\nbody\n");
    CHECK(wait_for_calls(&fb, 1, 2000));
    /* The burst of writes was one rebuild. */
    usleep(300000);
    int after_first = atomic_load(&fb.calls);
    CHECK_INT(after_first, 1);
    CHECK(wait_for_page(server_port(srv), "Новости build1", 2000));

    char *sub = path_join(dir, "02.news");
    CHECK_INT(dir_make(sub), 0);
    CHECK(wait_for_calls(&fb, 2, 2000));
    usleep(100000);
    int before_nested = atomic_load(&fb.calls);
    char *nested = path_join(sub, "item.md");
    write_text(nested, "new post");
    CHECK(wait_for_calls(&fb, before_nested + 1, 2000));

    /* A failing build keeps the last good snapshot online. */
    atomic_store(&fb.fail, true);
    int before_fail = atomic_load(&fb.calls);
    write_text(page, "---\ntitle: [broken\n---\n");
    CHECK(wait_for_calls(&fb, before_fail + 1, 2000));
    usleep(50000);
    reply r;
    http_get(server_port(srv), "/ru/news/", NULL, &r);
    CHECK_INT(r.status, 200);
    CHECK_NOT_CONTAINS(r.body.s, "Новости initial");
    CHECK_CONTAINS(r.body.s, "Новости build");
    reply_free(&r);

    watch_stop(w);
    server_stop(srv);
    fflush(messages);
    rewind(messages);
    char text[4096] = {0};
    size_t got = fread(text, 1, sizeof text - 1, messages);
    text[got] = 0;
    CHECK_CONTAINS(text, "pages/01.home/default.md:3:7: error: bad front matter");
    CHECK_CONTAINS(text, "still serving the previous version");
    fclose(messages);
    free(page);
    free(nested);
    free(sub);
    dir_remove_tree(dir);
}

/* A photo uploaded a piece at a time (SFTP, a network share) is open for
 * writing for seconds, with pauses longer than the debounce: each pause
 * rebuilt the site and published the photo cut short. The watcher waits
 * until the file is closed. */
TEST(watcher_waits_for_a_file_being_written_to_be_closed)
{
    char dir[] = "/tmp/folio-watch-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    serve_options opt = quiet_options();
    server *srv = start(&opt, "initial");
    fake_build fb = {.opt = opt};
    FILE *messages = tmpfile();
    watch_options wo = {.site_dir = dir, .rebuild = fake_rebuild, .ctx = &fb, .messages = messages, .debounce_ms = 100};
    watcher *w = watch_start(&wo, srv);
    CHECK(w != NULL);
    char *upload = path_join(dir, "photo.jpg");
    FILE *f = fopen(upload, "wb");
    CHECK(f != NULL);
    for (int i = 0; f && i < 4; i++) {
        CHECK(fwrite("0123456789abcdef", 1, 16, f) == 16);
        fflush(f);
        usleep(300000); /* three times the debounce */
    }
    CHECK_INT(atomic_load(&fb.calls), 0);
    if (f) fclose(f);
    CHECK(wait_for_calls(&fb, 1, 2000));
    usleep(300000);
    CHECK_INT(atomic_load(&fb.calls), 1);
    watch_stop(w);
    server_stop(srv);
    fclose(messages);
    free(upload);
    dir_remove_tree(dir);
}

/* Records what the watcher hands to the update callback. */
typedef struct fake_update {
    fake_build fb;
    pthread_mutex_t lock;
    char seen[4096]; /* every path received, one a line */
    atomic_int updates;
} fake_update;

static snapshot *fake_update_fn(void *ctx, snapshot *serving, const char *const *paths, size_t npaths, time_t now,
                                time_t *next_change, diag_list *d)
{
    fake_update *fu = ctx;
    (void)serving;
    pthread_mutex_lock(&fu->lock);
    for (size_t i = 0; i < npaths; i++) {
        size_t used = strlen(fu->seen);
        snprintf(fu->seen + used, sizeof fu->seen - used, "%s\n", paths[i]);
    }
    pthread_mutex_unlock(&fu->lock);
    atomic_fetch_add(&fu->updates, 1);
    return fake_rebuild(&fu->fb, now, next_change, d);
}

TEST(watcher_hands_changed_files_to_the_update_callback_and_folders_to_rebuild)
{
    char dir[] = "/tmp/folio-watch-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    serve_options opt = quiet_options();
    server *srv = start(&opt, "initial");
    fake_update fu = {.fb = {.opt = opt}};
    pthread_mutex_init(&fu.lock, NULL);
    FILE *messages = tmpfile();
    watch_options wo = {.site_dir = dir, .rebuild = fake_rebuild, .update = fake_update_fn, .ctx = &fu,
                        .messages = messages, .debounce_ms = 150};
    /* fake_rebuild gets ctx too: fake_update starts with its fake_build */
    watcher *w = watch_start(&wo, srv);
    CHECK(w != NULL);

    char *page = path_join(dir, "default.md"), *tmp = path_join(dir, "default.md.tmp");
    write_text(tmp, "---\ntitle: x\n---\nbody\n");
    CHECK_INT(rename(tmp, page), 0);
    CHECK(wait_for_calls(&fu.fb, 1, 2000));
    CHECK_INT(atomic_load(&fu.updates), 1);
    pthread_mutex_lock(&fu.lock);
    CHECK_CONTAINS(fu.seen, page);
    CHECK_CONTAINS(fu.seen, tmp);
    pthread_mutex_unlock(&fu.lock);

    /* a new folder is not a file's change: a full rebuild */
    usleep(200000);
    char *sub = path_join(dir, "02.news");
    CHECK_INT(dir_make(sub), 0);
    CHECK(wait_for_calls(&fu.fb, 2, 2000));
    CHECK_INT(atomic_load(&fu.updates), 1);

    watch_stop(w);
    server_stop(srv);
    fclose(messages);
    pthread_mutex_destroy(&fu.lock);
    free(page);
    free(tmp);
    free(sub);
    dir_remove_tree(dir);
}

TEST(timer_rebuilds_at_the_next_publishing_change)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "initial");
    fake_build fb = {.opt = opt};
    time_t t0 = time(NULL);
    FILE *messages = tmpfile();
    watch_options wo = {.rebuild = fake_rebuild, .ctx = &fb, .next_change = t0 + 2, .messages = messages};
    watcher *w = watch_start(&wo, srv);
    CHECK(wait_for_calls(&fb, 1, 4000));
    struct timespec fired;
    clock_gettime(CLOCK_REALTIME, &fired); /* precise: time() may lag a tick */
    CHECK(fired.tv_sec >= t0 + 2);
    CHECK(fired.tv_sec <= t0 + 4);
    CHECK(wait_for_page(server_port(srv), "Новости build1", 2000));
    watch_stop(w);
    server_stop(srv);
    fclose(messages);
}

/* ---- snapshot ---- */

/* ---- media kept as open files ---- */

static void write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return;
    CHECK(fwrite(data, 1, len, f) == len);
    fclose(f);
}

/* Within the budget a media file is an open file, not bytes in memory;
 * past it, or for a type that is compressed (SVG), the bytes are read as
 * before. Reads by offset and whole copies give the file's bytes; the
 * file may be deleted from the cache meanwhile; the last snapshot holding
 * it closes it. */
TEST(snapshot_keeps_media_files_open_within_the_budget)
{
    char dir[] = "/tmp/folio-open-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char a[64], b[64], svg[64];
    snprintf(a, sizeof a, "%s/a.webp", dir);
    snprintf(b, sizeof b, "%s/b.webp", dir);
    snprintf(svg, sizeof svg, "%s/c.svg", dir);
    unsigned x = 7;
    for (size_t i = 0; i < sizeof photo; i++) photo[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
    write_bytes(a, photo, sizeof photo);
    write_bytes(b, photo, 100);
    const char *drawing = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/><circle r=\"2\"/><circle "
                          "r=\"3\"/><circle r=\"4\"/><circle r=\"5\"/><circle r=\"6\"/></svg>";
    write_bytes(svg, drawing, strlen(drawing));

    size_t before = snapshot_open_files();
    snapshot_set_file_budget(before + 1);
    snapshot *s = snapshot_new(NULL);
    output *o = snapshot_output(s);
    CHECK_INT(output_put_immutable(o, "media/p/a.webp", a), 0);
    CHECK_INT(output_put_immutable(o, "media/p/b.webp", b), 0); /* past the budget */
    CHECK_INT(output_put_immutable(o, "media/p/c.svg", svg), 0);
    CHECK_INT(snapshot_open_files(), before + 1);

    const resource *ra = snapshot_find(s, "media/p/a.webp", strlen("media/p/a.webp"));
    const resource *rb = snapshot_find(s, "media/p/b.webp", strlen("media/p/b.webp"));
    const resource *rc = snapshot_find(s, "media/p/c.svg", strlen("media/p/c.svg"));
    CHECK(ra && rb && rc);
    if (!ra || !rb || !rc) return;
    CHECK(ra->fd >= 0 && ra->body[ENCODING_IDENTITY] == NULL);
    CHECK_INT(ra->len[ENCODING_IDENTITY], sizeof photo);
    CHECK_STR(ra->content_type, "image/webp");
    CHECK(rb->fd < 0 && rb->body[ENCODING_IDENTITY] && memcmp(rb->body[ENCODING_IDENTITY], photo, 100) == 0);
    CHECK(rc->fd < 0 && rc->body[ENCODING_GZIP] != NULL);
    CHECK(snapshot_bytes(s) < sizeof photo); /* the open file's bytes are not held */

    /* a build links it into its output, the cache removes it: the
     * snapshot still has it, and it is still the file that was put */
    char linked[80];
    snprintf(linked, sizeof linked, "%s/linked.webp", dir);
    CHECK_INT(link(a, linked), 0);
    unlink(linked);
    unlink(a);
    CHECK(resource_file_is_current(ra));
    char part[64];
    CHECK_INT(resource_read(ra, 2990, part, sizeof part), 10);
    CHECK(memcmp(part, photo + 2990, 10) == 0);
    CHECK_INT(resource_read(ra, 3000, part, sizeof part), 0);
    CHECK_INT(resource_read(ra, 3001, part, sizeof part), -1);
    char *whole = resource_inflate(ra);
    CHECK(whole && memcmp(whole, photo, sizeof photo) == 0);
    free(whole);

    /* shared with a derived snapshot: closed with the last holder */
    snapshot *next = snapshot_derive(s);
    snapshot_unref(s);
    CHECK_INT(snapshot_open_files(), before + 1);
    snapshot_unref(next);
    CHECK_INT(snapshot_open_files(), before);

    /* no budget: bytes in memory, as before */
    snapshot_set_file_budget(0);
    s = snapshot_new(NULL);
    CHECK_INT(output_put_immutable(snapshot_output(s), "media/p/b.webp", b), 0);
    rb = snapshot_find(s, "media/p/b.webp", strlen("media/p/b.webp"));
    CHECK(rb && rb->fd < 0 && rb->body[ENCODING_IDENTITY]);
    CHECK_INT(snapshot_open_files(), before);
    snapshot_unref(s);
    unlink(b);
    unlink(svg);
    rmdir(dir);
}

/* A document written over in place after it was put (same size, new
 * bytes and time, as an editor's upload of a corrected PDF) is no longer
 * read: not its new bytes under the old length and ETag. */
TEST(media_file_written_over_in_place_is_not_read_as_the_old_one)
{
    char dir[] = "/tmp/folio-open-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char pdf[64];
    snprintf(pdf, sizeof pdf, "%s/formulary.pdf", dir);
    write_bytes(pdf, "%PDF-1.4 first version", 22);
    size_t before = snapshot_open_files();
    snapshot_set_file_budget(before + 1);
    snapshot *s = snapshot_new(NULL);
    CHECK_INT(output_put_file(snapshot_output(s), "media/docs/formulary.pdf", pdf), 0);
    const resource *r = snapshot_find(s, "media/docs/formulary.pdf", strlen("media/docs/formulary.pdf"));
    CHECK(r && r->fd >= 0);
    if (!r) return;
    CHECK_STR(r->content_type, "application/pdf");
    char got[32];
    CHECK_INT(resource_read(r, 0, got, sizeof got), 22);
    CHECK(resource_file_is_current(r));

    FILE *f = fopen(pdf, "r+b"); /* in place: the same inode */
    CHECK(f != NULL);
    if (f) {
        fwrite("%PDF-1.4 fixed version", 1, 22, f);
        fclose(f);
    }
    struct timespec later[2] = {{0, UTIME_OMIT}, {time(NULL) + 60, 0}};
    CHECK_INT(utimensat(AT_FDCWD, pdf, later, 0), 0);
    CHECK(!resource_file_is_current(r));
    CHECK_INT(resource_read(r, 0, got, sizeof got), -1);
    CHECK(resource_inflate(r) == NULL);
    snapshot_unref(s);
    CHECK_INT(snapshot_open_files(), before);
    snapshot_set_file_budget(0);
    unlink(pdf);
    rmdir(dir);
}

/* Over HTTP an open file is served like bytes in memory: whole, by range,
 * HEAD, 304 on its ETag; a file cut short after it was put is answered
 * with 503 and Retry-After (the rebuild its change sets off is coming),
 * and the server goes on answering. */
TEST(cache_files_kept_open_are_served_whole_by_range_and_revalidated)
{
    char dir[] = "/tmp/folio-open-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char a[64], cut[64];
    snprintf(a, sizeof a, "%s/a.jpg", dir);
    snprintf(cut, sizeof cut, "%s/cut.jpg", dir);
    static unsigned char big[200000];
    unsigned x = 99;
    for (size_t i = 0; i < sizeof big; i++) big[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
    write_bytes(a, big, sizeof big);
    write_bytes(cut, big, sizeof big);

    size_t before = snapshot_open_files();
    snapshot_set_file_budget(before + 2);
    serve_options opt = quiet_options();
    snapshot *s = site_snapshot(&opt, "A");
    CHECK_INT(output_put_immutable(snapshot_output(s), "media/a/big-3fa2c1d9e0.jpg", a), 0);
    CHECK_INT(output_put_immutable(snapshot_output(s), "media/a/cut.jpg", cut), 0);
    CHECK_INT(snapshot_open_files(), before + 2);
    diag_list d;
    diag_init(&d);
    server *srv = server_start(&opt, s, &d);
    diag_free(&d);
    CHECK(srv != NULL);
    if (!srv) return;
    int port = server_port(srv);
    reply r;
    CHECK_INT(http_get(port, "/media/a/big-3fa2c1d9e0.jpg", NULL, &r), 0);
    CHECK_INT(r.status, 200);
    CHECK(r.body.len == sizeof big && memcmp(r.body.s, big, sizeof big) == 0);
    CHECK_STR(hdr(&r, "Content-Type"), "image/jpeg");
    CHECK_STR(hdr(&r, "Cache-Control"), "public, max-age=31536000, immutable");
    char *etag = hdr(&r, "ETag") ? xstrdup(hdr(&r, "ETag")) : NULL;
    CHECK(etag != NULL && hdr(&r, "Last-Modified") != NULL);
    reply_free(&r);

    CHECK_INT(http_get(port, "/media/a/big-3fa2c1d9e0.jpg", "Range: bytes=150000-150099\r\n", &r), 0);
    CHECK_INT(r.status, 206);
    CHECK(r.body.len == 100 && memcmp(r.body.s, big + 150000, 100) == 0);
    CHECK_STR(hdr(&r, "Content-Range"), "bytes 150000-150099/200000");
    reply_free(&r);

    char h[128];
    snprintf(h, sizeof h, "If-None-Match: %s\r\n", etag ? etag : "\"x\"");
    CHECK_INT(http_get(port, "/media/a/big-3fa2c1d9e0.jpg", h, &r), 0);
    CHECK_INT(r.status, 304);
    CHECK_INT(r.body.len, 0);
    reply_free(&r);
    free(etag);

    const char head[] = "HEAD /media/a/big-3fa2c1d9e0.jpg HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    CHECK_INT(http_raw(port, head, strlen(head), &r), 0);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body.len, 0);
    CHECK_STR(hdr(&r, "Content-Length"), "200000");
    reply_free(&r);

    CHECK_INT(truncate(cut, 1000), 0); /* cut short in place: not sent until the next version */
    CHECK_INT(http_get(port, "/media/a/cut.jpg", NULL, &r), 0);
    CHECK_INT(r.status, 503);
    CHECK_STR(hdr(&r, "Retry-After"), "1");
    CHECK_STR(hdr(&r, "Cache-Control"), "no-store");
    reply_free(&r);
    CHECK_INT(http_get(port, "/media/a/photo.jpg", NULL, &r), 0);
    CHECK_INT(r.status, 200);
    reply_free(&r);

    /* a new version without the files: the old one closes them when let go */
    server_swap(srv, site_snapshot(&opt, "B"));
    CHECK_INT(http_get(port, "/ru/news/", NULL, &r), 0);
    reply_free(&r);
    server_stop(srv);
    CHECK_INT(snapshot_open_files(), before);
    snapshot_set_file_budget(0);
    unlink(a);
    unlink(cut);
    rmdir(dir);
}

/* A photo edited in place in the image cache, which the watcher of the
 * site does not see: the server answers 503 for it and asks the watcher
 * for a rebuild, which puts the file as it is now. */
typedef struct cache_build {
    fake_build fb;
    const char *photo; /* put as media/a/edited.jpg by every build */
} cache_build;

static snapshot *cache_rebuild(void *ctx, time_t now, time_t *next_change, diag_list *d)
{
    cache_build *cb = ctx;
    snapshot *s = fake_rebuild(&cb->fb, now, next_change, d);
    if (s) output_put_immutable(snapshot_output(s), "media/a/edited.jpg", cb->photo);
    return s;
}

TEST(file_edited_in_place_outside_the_site_makes_the_watcher_rebuild)
{
    char dir[] = "/tmp/folio-open-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char photo_path[64];
    snprintf(photo_path, sizeof photo_path, "%s/edited.jpg", dir);
    write_bytes(photo_path, "old photo bytes", 15);
    size_t before = snapshot_open_files();
    snapshot_set_file_budget(before + 4);
    serve_options opt = quiet_options();
    cache_build cb = {.fb = {.opt = opt}, .photo = photo_path};
    snapshot *first = site_snapshot(&opt, "initial");
    CHECK_INT(output_put_immutable(snapshot_output(first), "media/a/edited.jpg", photo_path), 0);
    diag_list d;
    diag_init(&d);
    server *srv = server_start(&opt, first, &d);
    diag_free(&d);
    CHECK(srv != NULL);
    if (!srv) return;
    FILE *messages = tmpfile();
    watch_options wo = {.rebuild = cache_rebuild, .ctx = &cb, .messages = messages};
    watcher *w = watch_start(&wo, srv);
    CHECK(w != NULL);
    int port = server_port(srv);
    reply r;
    CHECK_INT(http_get(port, "/media/a/edited.jpg", NULL, &r), 0);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.body.s, "old photo bytes");
    reply_free(&r);

    write_bytes(photo_path, "new photo, longer bytes", 23); /* in place, as an optimiser does */
    CHECK_INT(http_get(port, "/media/a/edited.jpg", NULL, &r), 0);
    CHECK_INT(r.status, 503);
    reply_free(&r);
    CHECK(wait_for_calls(&cb.fb, 1, 3000));
    CHECK(wait_for_page(port, "Новости build1", 2000));
    CHECK_INT(http_get(port, "/media/a/edited.jpg", NULL, &r), 0);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.body.s, "new photo, longer bytes");
    reply_free(&r);
    CHECK_INT(atomic_load(&cb.fb.calls), 1); /* one rebuild, not one a request */

    watch_stop(w);
    server_stop(srv);
    fclose(messages);
    CHECK_INT(snapshot_open_files(), before);
    snapshot_set_file_budget(0);
    unlink(photo_path);
    rmdir(dir);
}

TEST(snapshot_keeps_compressed_forms_only_for_compressible_types)
{
    snapshot *s = site_snapshot(NULL, "A");
    const resource *html = snapshot_find(s, "ru/news/index.html", strlen("ru/news/index.html"));
    CHECK(html && html->body[ENCODING_GZIP] && html->body[ENCODING_BROTLI]);
    CHECK(html && html->len[ENCODING_BROTLI] < html->len[ENCODING_IDENTITY]);
    /* The plain form is made back from gzip, byte for byte. */
    char *expected = news_page("A");
    const char *plain = html ? resource_body(html, ENCODING_IDENTITY) : NULL;
    CHECK(plain && html->len[ENCODING_IDENTITY] == strlen(expected) && memcmp(plain, expected, strlen(expected)) == 0);
    CHECK(html && resource_body(html, ENCODING_IDENTITY) == plain); /* made once */
    free(expected);
    const resource *jpg = snapshot_find(s, "media/a/photo.jpg", strlen("media/a/photo.jpg"));
    CHECK(jpg && !jpg->body[ENCODING_GZIP] && !jpg->body[ENCODING_BROTLI]);
    const resource *tiny = snapshot_find(s, "en/index.html", strlen("en/index.html"));
    CHECK(tiny && !tiny->body[ENCODING_GZIP]);
    snapshot_unref(s);
}

TEST(snapshot_rejects_unsafe_paths_and_replaces_duplicates)
{
    snapshot *s = snapshot_new(NULL);
    output *o = snapshot_output(s);
    CHECK_INT(output_put(o, "../etc/passwd", "x", 1, 0), -1);
    CHECK_INT(output_put(o, "/abs.html", "x", 1, 0), -1);
    CHECK_INT(output_put(o, "a/./b.html", "x", 1, 0), -1);
    CHECK_INT(output_put(o, "a\\b.html", "x", 1, 0), -1);
    CHECK_INT(output_put(o, "a//b.html", "x", 1, 0), -1);
    CHECK_INT(output_redirect(o, "old", "/new\r\nSet-Cookie: x", 301), -1);
    CHECK_INT(output_redirect(o, "old", "/new", 200), -1);
    CHECK_INT(snapshot_count(s), 0);
    CHECK_INT(output_put(o, "a.txt", "one", 3, 0), 0);
    CHECK_INT(output_put(o, "a.txt", "two!", 4, 0), 0);
    CHECK_INT(snapshot_count(s), 1);
    const resource *r = snapshot_find(s, "a.txt", 5);
    CHECK(r && r->len[ENCODING_IDENTITY] == 4 && memcmp(resource_body(r, ENCODING_IDENTITY), "two!", 4) == 0);
    CHECK_STR(r ? r->content_type : NULL, "text/plain; charset=utf-8");
    const char *langs[] = {"ru", "k\"k", "en"}; /* a code that is not one is dropped */
    snapshot_set_languages(s, langs, 3);
    CHECK_INT(snapshot_language_count(s), 2);
    CHECK_STR(snapshot_language(s, 1), "en");
    snapshot_unref(s);
}

static void *put_many(void *arg)
{
    output *o = arg;
    static atomic_int next;
    for (int i = 0; i < 500; i++) {
        int n = atomic_fetch_add(&next, 1);
        char path[64], body[64];
        snprintf(path, sizeof path, "p/%d/index.html", n);
        snprintf(body, sizeof body, "<p>%d</p>", n);
        output_put(o, path, body, strlen(body), 0);
    }
    return NULL;
}

TEST(snapshot_accepts_puts_from_several_threads)
{
    snapshot *s = snapshot_new(NULL);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, put_many, snapshot_output(s));
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    CHECK_INT(snapshot_count(s), 2000);
    int found = 0;
    for (int n = 0; n < 2000; n++) {
        char path[64], body[64];
        snprintf(path, sizeof path, "p/%d/index.html", n);
        snprintf(body, sizeof body, "<p>%d</p>", n);
        const resource *r = snapshot_find(s, path, strlen(path));
        found += r && strcmp(resource_body(r, ENCODING_IDENTITY), body) == 0;
    }
    CHECK_INT(found, 2000);
    snapshot_unref(s);
}

TEST(snapshot_load_dir_reads_a_built_site_with_its_manifests)
{
    char dir[] = "/tmp/folio-out-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *p;
    p = path_join(dir, "ru/news");
    dir_make(p);
    free(p);
    p = path_join(dir, "_folio");
    dir_make(p);
    free(p);
    p = path_join(dir, "ru/news/index.html");
    write_text(p, "<p>news</p>");
    free(p);
    p = path_join(dir, "_folio/languages");
    write_text(p, "ru en\n");
    free(p);
    p = path_join(dir, "_redirects");
    write_text(p, "# moved\n/ru/news/page:2 /ru/news/page/2/ 301\n/old /ru/news/ 302\n/older /ru/\n");
    free(p);
    diag_list d;
    diag_init(&d);
    snapshot *s = snapshot_load_dir(dir, &d);
    CHECK(s != NULL);
    CHECK_INT(d.errors, 0);
    CHECK_INT(snapshot_language_count(s), 2);
    CHECK_STR(snapshot_language(s, 0), "ru");
    const resource *r = snapshot_find(s, "ru/news/index.html", strlen("ru/news/index.html"));
    CHECK(r && strcmp(resource_body(r, ENCODING_IDENTITY), "<p>news</p>") == 0);
    r = snapshot_find(s, "ru/news/page:2", strlen("ru/news/page:2"));
    CHECK(r && r->redirect_status == 301 && strcmp(r->location, "/ru/news/page/2/") == 0);
    r = snapshot_find(s, "old", 3);
    CHECK(r && r->redirect_status == 302);
    r = snapshot_find(s, "older", 5);
    CHECK(r && r->redirect_status == 301);
    CHECK(snapshot_find(s, "_redirects", strlen("_redirects")) == NULL);
    CHECK(snapshot_find(s, "_folio/languages", strlen("_folio/languages")) == NULL);
    snapshot_unref(s);
    CHECK(snapshot_load_dir("/nonexistent-folio-dir", &d) == NULL);
    CHECK(d.errors == 1);
    diag_free(&d);
    dir_remove_tree(dir);
}

/* ---- request parsing ---- */

TEST(path_decoding_normalises_and_refuses_escapes)
{
    char out[256];
    CHECK_INT(http_decode_path("/ru/news/", out, sizeof out), 0);
    CHECK_STR(out, "/ru/news/");
    CHECK_INT(http_decode_path("/%D0%BD%D0%BE%D0%B2", out, sizeof out), 0);
    CHECK_STR(out, "/нов");
    CHECK_INT(http_decode_path("//a/./b//", out, sizeof out), 0);
    CHECK_STR(out, "/a/b/");
    CHECK_INT(http_decode_path("/a/.", out, sizeof out), 0);
    CHECK_STR(out, "/a/");
    CHECK_INT(http_decode_path("/", out, sizeof out), 0);
    CHECK_STR(out, "/");
    CHECK_INT(http_decode_path("/a/%2e%2e/b", out, sizeof out), 400);
    CHECK_INT(http_decode_path("/a%2fb", out, sizeof out), 400);
    CHECK_INT(http_decode_path("/a%5cb", out, sizeof out), 400);
    CHECK_INT(http_decode_path("/a%00", out, sizeof out), 400);
    CHECK_INT(http_decode_path("/a%0a", out, sizeof out), 400);
    CHECK_INT(http_decode_path("/%e2%82", out, sizeof out), 400);      /* truncated */
    CHECK_INT(http_decode_path("/%ed%a0%80", out, sizeof out), 400);   /* surrogate */
    CHECK_INT(http_decode_path("/%c0%af", out, sizeof out), 400);      /* overlong '/' */
    CHECK_INT(http_decode_path("a/b", out, sizeof out), 400);
    CHECK_INT(http_decode_path("/abcdef", out, 4), 400);
}

TEST(range_parsing_covers_the_forms_of_rfc_9110)
{
    size_t a = 0, b = 0;
    CHECK_INT(http_parse_range("bytes=0-0", 10, &a, &b), 1);
    CHECK(a == 0 && b == 0);
    CHECK_INT(http_parse_range("bytes=5-100", 10, &a, &b), 1);
    CHECK(a == 5 && b == 9);
    CHECK_INT(http_parse_range("bytes=-3", 10, &a, &b), 1);
    CHECK(a == 7 && b == 9);
    CHECK_INT(http_parse_range("bytes=-30", 10, &a, &b), 1);
    CHECK(a == 0 && b == 9);
    CHECK_INT(http_parse_range("bytes=10-", 10, &a, &b), -1);
    CHECK_INT(http_parse_range("bytes=-0", 10, &a, &b), -1);
    CHECK_INT(http_parse_range("bytes=5-2", 10, &a, &b), 0);
    CHECK_INT(http_parse_range("items=0-1", 10, &a, &b), 0);
    CHECK_INT(http_parse_range("bytes=99999999999999999999999-", 10, &a, &b), 0);
    CHECK_INT(http_parse_range("bytes=1-2x", 10, &a, &b), 0);
}

TEST(etag_and_encoding_and_date_headers_are_read_like_rfc_9110)
{
    CHECK(http_etag_matches("W/\"abc\"", "\"abc\""));
    CHECK(http_etag_matches("\"x\", \"abc-br\"", "\"abc\""));
    CHECK(http_etag_matches("*", "\"abc\""));
    CHECK(!http_etag_matches("\"abcd\"", "\"abc\""));
    CHECK(!http_etag_matches("\"ab\"", "\"abc\""));
    CHECK(http_accepts_encoding("gzip;q=0.5, br", "br"));
    CHECK(!http_accepts_encoding("gzip, br;q=0", "br"));
    CHECK(!http_accepts_encoding("br;q=0.0", "br"));
    CHECK(http_accepts_encoding("*", "gzip"));
    CHECK(!http_accepts_encoding("identity", "gzip"));
    CHECK(!http_accepts_encoding("brotli", "br"));
    CHECK_INT(http_parse_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    CHECK_INT(http_parse_date("Sunday, 06-Nov-94 08:49:37 GMT"), -1);
    CHECK_INT(http_parse_date("garbage"), -1);
    const char *langs[] = {"kk", "ru", "en"};
    CHECK_INT(http_pick_language("en-GB;q=0.8, ru;q=0.9", langs, 3), 1);
    CHECK_INT(http_pick_language("*;q=0.5, en;q=0.4", langs, 3), 0);
    CHECK_INT(http_pick_language("EN", langs, 3), 2);
    CHECK_INT(http_pick_language(",,;;q=,", langs, 3), 0);
}

/* ---- connections and process life ---- */

/* Read one response with a Content-Length body from a kept-open socket. */

TEST(keep_alive_answers_several_requests_on_one_connection)
{
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    int fd = connect_to(server_port(srv));
    const char *targets[] = {"/ru/news/", "/kk/", "/missing", "/media/a/photo.jpg"};
    int expected[] = {200, 200, 404, 200};
    for (int i = 0; i < 4; i++) {
        char rq[256];
        int n = snprintf(rq, sizeof rq, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", targets[i]);
        CHECK(send(fd, rq, (size_t)n, MSG_NOSIGNAL) == n);
        reply r;
        CHECK_INT(read_one_response(fd, &r), 0);
        CHECK_INT(r.status, expected[i]);
        CHECK(hdr(&r, "Connection") == NULL || strcasecmp(hdr(&r, "Connection"), "close") != 0);
        reply_free(&r);
    }
    close(fd);
    server_stop(srv);
}

TEST(rebuild_reuses_compressed_forms_of_unchanged_files)
{
    snapshot *old = site_snapshot(NULL, "A");
    snapshot *s = snapshot_new(NULL);
    snapshot_reuse_from(s, old);
    char *same = news_page("A"), *changed = news_page("B");
    output_put(snapshot_output(s), "ru/news/index.html", same, strlen(same), 0);
    const resource *before = snapshot_find(old, "ru/news/index.html", strlen("ru/news/index.html"));
    const resource *after = snapshot_find(s, "ru/news/index.html", strlen("ru/news/index.html"));
    /* No time given: the unchanged page keeps its Last-Modified. */
    CHECK(before && after && after->mtime == before->mtime && strcmp(after->last_modified, before->last_modified) == 0);
    output_put(snapshot_output(s), "kk/news/index.html", changed, strlen(changed), 0);
    snapshot_reuse_from(s, NULL);
    snapshot_unref(old); /* s must not depend on it any more */
    const resource *r = snapshot_find(s, "ru/news/index.html", strlen("ru/news/index.html"));
    size_t n = 0;
    char *plain = r ? unbrotli(r->body[ENCODING_BROTLI], r->len[ENCODING_BROTLI], &n) : NULL;
    CHECK(plain && n == strlen(same) && memcmp(plain, same, n) == 0);
    free(plain);
    CHECK(r && strcmp(resource_body(r, ENCODING_IDENTITY), same) == 0);
    r = snapshot_find(s, "kk/news/index.html", strlen("kk/news/index.html"));
    plain = r ? gunzip(r->body[ENCODING_GZIP], r->len[ENCODING_GZIP], &n) : NULL;
    CHECK(plain && n == strlen(changed) && memcmp(plain, changed, n) == 0);
    free(plain);
    free(same);
    free(changed);
    snapshot_unref(s);
}

/* A first build past its budget stores the rest gzip-only (quick);
 * snapshot_compress_fully gives a snapshot with those compressed fully,
 * same content and validators, the others shared as they are. */
static bool never_stop(void *ctx)
{
    (void)ctx;
    return false;
}

static bool stop_now(void *ctx)
{
    (void)ctx;
    return true;
}

TEST(quick_first_snapshot_is_compressed_fully_later_with_the_same_content)
{
    char *a = news_page("A"), *b = news_page("B");
    snapshot *s = snapshot_new(NULL);
    snapshot_set_quick_after(s, strlen(a)); /* the first page fully, the next quickly */
    output_put(snapshot_output(s), "kk/news/index.html", a, strlen(a), 1700000000);
    output_put(snapshot_output(s), "ru/news/index.html", b, strlen(b), 1700000001);
    output_put(snapshot_output(s), "media/p.jpg", photo, sizeof photo, 1700000002);
    CHECK(snapshot_has_quick(s));
    const resource *full = snapshot_find(s, "kk/news/index.html", strlen("kk/news/index.html"));
    const resource *quick = snapshot_find(s, "ru/news/index.html", strlen("ru/news/index.html"));
    const resource *jpg = snapshot_find(s, "media/p.jpg", strlen("media/p.jpg"));
    CHECK(full && !full->is_quick && full->body[ENCODING_BROTLI] && full->body[ENCODING_GZIP]);
    CHECK(quick && quick->is_quick && !quick->body[ENCODING_BROTLI] && quick->body[ENCODING_GZIP]);
    CHECK(jpg && !jpg->is_quick);
    size_t n = 0;
    char *plain = quick ? gunzip(quick->body[ENCODING_GZIP], quick->len[ENCODING_GZIP], &n) : NULL;
    CHECK(plain && n == strlen(b) && memcmp(plain, b, n) == 0);
    free(plain);
    CHECK(snapshot_compress_fully(s, stop_now, NULL) == NULL); /* asked to stop: nothing made */

    snapshot *t = snapshot_compress_fully(s, never_stop, NULL);
    CHECK(t != NULL);
    if (t) {
        CHECK(!snapshot_has_quick(t));
        const resource *r = snapshot_find(t, "ru/news/index.html", strlen("ru/news/index.html"));
        CHECK(r && !r->is_quick && r->body[ENCODING_BROTLI] && quick && strcmp(r->etag, quick->etag) == 0 &&
              r->mtime == quick->mtime && r->len[ENCODING_GZIP] < quick->len[ENCODING_GZIP]);
        plain = r ? unbrotli(r->body[ENCODING_BROTLI], r->len[ENCODING_BROTLI], &n) : NULL;
        CHECK(plain && n == strlen(b) && memcmp(plain, b, n) == 0);
        free(plain);
        CHECK(snapshot_find(t, "kk/news/index.html", strlen("kk/news/index.html")) == full); /* shared */
        CHECK(snapshot_find(t, "media/p.jpg", strlen("media/p.jpg")) == jpg);
        CHECK(snapshot_count(t) == snapshot_count(s));
        CHECK(snapshot_generation(t) == snapshot_generation(s)); /* dev-mode pages do not reload */
        CHECK(snapshot_compress_fully(t, never_stop, NULL) == NULL); /* nothing left to do */
        snapshot_unref(s);
        s = NULL;
        r = snapshot_find(t, "ru/news/index.html", strlen("ru/news/index.html"));
        CHECK(r && strcmp(resource_body(r, ENCODING_IDENTITY), b) == 0); /* t stands alone */
        snapshot_unref(t);
    }
    snapshot_unref(s);
    /* Without a budget nothing is quick, however much is put. */
    s = snapshot_new(NULL);
    output_put(snapshot_output(s), "ru/news/index.html", b, strlen(b), 0);
    CHECK(!snapshot_has_quick(s));
    snapshot_unref(s);
    free(a);
    free(b);
}

#define BIG_SIZE (32u << 20)

static snapshot *big_site(void *ctx, time_t now, time_t *next_change, diag_list *d)
{
    snapshot *s = snapshot_new(NULL);
    char *big = xmalloc(BIG_SIZE);
    for (size_t i = 0; i < BIG_SIZE; i++) big[i] = (char)(i * 7 + (i >> 12));
    output_put(snapshot_output(s), "big.bin", big, BIG_SIZE, 0);
    free(big);
    *next_change = 0;
    return s;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* serve_main listens before its first build is done: poll /healthz. */
static bool wait_until_ready(int port, int ms)
{
    for (int i = 0; i < ms / 10; i++) {
        reply r;
        bool ok = http_get(port, "/healthz", NULL, &r) == 0 && r.status == 200;
        reply_free(&r);
        if (ok) return true;
        usleep(10000);
    }
    return false;
}

TEST(sigterm_stops_serve_main_after_requests_in_flight_finish)
{
    int port = free_port();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3); /* its start and stop notes */
        serve_options opt = {.port = port, .quiet = true, .threads = 1};
        _exit(serve_main(&opt, big_site, NULL));
    }
    CHECK(wait_until_ready(port, 3000));
    int fd = connect_to(port);
    CHECK(fd >= 0);
    const char *rq = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(send(fd, rq, strlen(rq), MSG_NOSIGNAL) > 0);
    char first[1024];
    CHECK(recv(fd, first, sizeof first, MSG_WAITALL) == (ssize_t)sizeof first); /* the answer has begun */
    kill(pid, SIGTERM);
    usleep(200000);
    size_t total = sizeof first;
    char chunk[65536];
    for (;;) {
        ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) break;
        total += (size_t)n;
        if (total >= BIG_SIZE) {
            const char *end = memmem(first, sizeof first, "\r\n\r\n", 4);
            if (end && total - (size_t)(end + 4 - first) == BIG_SIZE) break;
        }
    }
    const char *end = memmem(first, sizeof first, "\r\n\r\n", 4);
    CHECK(end != NULL);
    CHECK(end && total - (size_t)(end + 4 - first) == BIG_SIZE);
    close(fd);
    int status = -1;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* folio serve restarted while config/site.yaml is broken exited, and a
 * service manager restarted it in a loop and gave up. It answers 503
 * ("starting") until a change to the site builds. */
TEST(serve_started_on_a_broken_configuration_waits_for_the_fix)
{
    char dir[] = "/tmp/folio-broken-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], yaml[256];
    snprintf(path, sizeof path, "%s/config", dir);
    CHECK_INT(dir_make(path), 0);
    snprintf(path, sizeof path, "%s/pages/01.home", dir);
    CHECK_INT(dir_make(path), 0);
    snprintf(path, sizeof path, "%s/pages/01.home/default.md", dir);
    write_text(path, "---\ntitle: Home\n---\nHOME-TEXT\n");
    snprintf(yaml, sizeof yaml, "%s/config/site.yaml", dir);
    write_text(yaml, "title: [broken\n");
    const char *bin = getenv("FOLIO_BIN") ? getenv("FOLIO_BIN") : "build/folio";
    int port = free_port();
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%d", port);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 2);
        execl(bin, "folio", "serve", dir, "--port", port_text, "-q", (char *)NULL);
        _exit(4);
    }
    int status = 503;
    for (int i = 0; i < 300; i++) {
        reply r;
        int rc = http_get(port, "/healthz", NULL, &r);
        if (rc == 0) status = r.status;
        reply_free(&r);
        if (rc == 0) break;
        usleep(10000);
    }
    CHECK_INT(status, 503);
    write_text(yaml, "title: Центр\n");
    CHECK(wait_until_ready(port, 5000));
    kill(pid, SIGTERM);
    int exit_status = -1;
    waitpid(pid, &exit_status, 0);
    CHECK(WIFEXITED(exit_status) && WEXITSTATUS(exit_status) == 0);
    dir_remove_tree(dir);
}

/* logrotate renames the access log and sends SIGUSR1 (as to nginx): the
 * lines before go to the renamed file, the lines after to a new file
 * under the name, and the server goes on. */
TEST(sigusr1_reopens_the_access_log_for_rotation)
{
    char dir[] = "/tmp/folio-log-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char log[64], rotated[64];
    snprintf(log, sizeof log, "%s/access.log", dir);
    snprintf(rotated, sizeof rotated, "%s/access.log.1", dir);
    int port = free_port();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3);
        serve_options opt = {.port = port, .threads = 1, .log_path = log};
        _exit(serve_main(&opt, big_site, NULL));
    }
    CHECK(wait_until_ready(port, 3000));
    reply r;
    CHECK_INT(http_get(port, "/before-rotation", NULL, &r), 0);
    reply_free(&r);
    usleep(400000); /* lines are written at most 0.2 s late */
    CHECK_INT(rename(log, rotated), 0);
    kill(pid, SIGUSR1);
    usleep(200000);
    CHECK_INT(http_get(port, "/after-rotation", NULL, &r), 0);
    CHECK_INT(r.status, 404);
    reply_free(&r);
    kill(pid, SIGTERM);
    int status = -1;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    size_t n;
    char *old = file_read(rotated, &n, 1 << 20), *fresh = file_read(log, &n, 1 << 20);
    CHECK(old && strstr(old, "GET /before-rotation ") && !strstr(old, "after-rotation"));
    CHECK(fresh && strstr(fresh, "GET /after-rotation ") && !strstr(fresh, "before-rotation"));
    free(old);
    free(fresh);
    unlink(log);
    unlink(rotated);
    rmdir(dir);
}

TEST(request_parsers_survive_arbitrary_bytes)
{
    unsigned x = 7;
    char in[64], out[32];
    const char *langs[] = {"kk", "ru", "en"};
    const char alphabet[] = "/%.\\\0azAZ09-,;=q*\"W \t:\xd0\xbf\xff\xc0";
    int decoded = 0;
    for (int i = 0; i < 20000; i++) {
        size_t n = (x = x * 1103515245u + 12345u) >> 16 & 63;
        for (size_t k = 0; k < n; k++) in[k] = alphabet[((x = x * 1103515245u + 12345u) >> 16) % (sizeof alphabet - 1)];
        in[n] = 0;
        if (i % 2) in[0] = '/';
        if (http_decode_path(in, out, sizeof out) == 0) {
            decoded++;
            /* Whatever gets through is normalised: no dot segments, no escapes. */
            CHECK(out[0] == '/' && !strstr(out, "/./") && !strstr(out, "/../") && !strstr(out, "//") &&
                  !strchr(out, '\\'));
        }
        size_t a, b;
        int range = http_parse_range(in, 100, &a, &b);
        CHECK(range != 1 || (a <= b && b < 100));
        CHECK(http_pick_language(in, langs, 3) < 3);
        http_accepts_encoding(in, "br");
        http_etag_matches(in, "\"abc\"");
        http_parse_date(in);
    }
    CHECK(decoded > 100);
}

TEST(routes_of_a_site_without_languages)
{
    snapshot *s = snapshot_new(NULL);
    output *o = snapshot_output(s);
    output_put(o, "index.html", "<p>home</p>", 11, 0);
    output_put(o, "404.html", "<p>lost</p>", 11, 0);
    output_redirect(o, "/old", "/new/", 301);
    route rt;
    route_resolve(s, "/", "", "ru", &rt);
    CHECK(rt.kind == ROUTE_RESOURCE && rt.resource && strcmp(rt.resource->path, "index.html") == 0);
    route_free(&rt);
    route_resolve(s, "/old/", "", NULL, &rt); /* registered without the slash */
    CHECK(rt.kind == ROUTE_REDIRECT && rt.status == 301);
    CHECK_STR(buf_cstr(&rt.location), "/new/");
    route_free(&rt);
    route_resolve(s, "/ru/nothing", "?a=1", NULL, &rt);
    CHECK(rt.kind == ROUTE_NOT_FOUND && rt.status == 404 && rt.resource && strcmp(rt.resource->path, "404.html") == 0);
    route_free(&rt);
    route_resolve(s, "/a:b", "", NULL, &rt); /* a parameter whose page does not exist */
    CHECK(rt.kind == ROUTE_NOT_FOUND);
    route_free(&rt);
    snapshot_unref(s);
}

/* include_default_lang: false: the default language's pages have no
 * prefix, so the root is its home page, not a redirect to "/kk/". */
TEST(root_is_the_home_page_when_the_default_language_has_no_prefix)
{
    snapshot *s = snapshot_new(NULL);
    output *o = snapshot_output(s);
    output_put(o, "index.html", "<p>басты бет</p>", 24, 0);
    output_put(o, "ru/index.html", "<p>главная</p>", 21, 0);
    output_put(o, "404.html", "<p>lost</p>", 11, 0);
    output_put(o, "ru/404.html", "<p>нет</p>", 13, 0);
    const char *langs[] = {"kk", "ru"};
    snapshot_set_languages(s, langs, 2);
    route rt;
    route_resolve(s, "/", "", "ru", &rt);
    CHECK(rt.kind == ROUTE_RESOURCE && rt.resource && strcmp(rt.resource->path, "index.html") == 0);
    route_free(&rt);
    route_resolve(s, "/ru/nothing", "", NULL, &rt);
    CHECK(rt.kind == ROUTE_NOT_FOUND && rt.resource && strcmp(rt.resource->path, "ru/404.html") == 0);
    route_free(&rt);
    route_resolve(s, "/nothing", "", NULL, &rt);
    CHECK(rt.kind == ROUTE_NOT_FOUND && rt.resource && strcmp(rt.resource->path, "404.html") == 0);
    route_free(&rt);
    /* With the default's own home the root still sends visitors on. */
    output_put(o, "kk/index.html", "<p>басты бет</p>", 24, 0);
    route_resolve(s, "/", "", "ru", &rt);
    CHECK(rt.kind == ROUTE_REDIRECT && rt.status == 302);
    CHECK_STR(buf_cstr(&rt.location), "/ru/");
    route_free(&rt);
    snapshot_unref(s);
}

TEST(plain_pages_past_the_inflation_budget_are_still_served_whole)
{
    resource_set_inflated_budget(0);
    serve_options opt = quiet_options();
    server *srv = start(&opt, "A");
    char *expected = news_page("A");
    for (int i = 0; i < 2; i++) {
        reply r;
        http_get(server_port(srv), "/ru/news/", NULL, &r);
        CHECK_INT(r.status, 200);
        CHECK_STR(r.body.s, expected);
        CHECK(hdr(&r, "ETag") != NULL);
        reply_free(&r);
    }
    reply r;
    http_get(server_port(srv), "/ru/news/", "Range: bytes=1-9\r\n", &r);
    CHECK_INT(r.status, 206);
    CHECK_STR(r.body.s, "!doctype ");
    reply_free(&r);
    snapshot *s = server_snapshot(srv);
    const resource *res = snapshot_find(s, "ru/news/index.html", strlen("ru/news/index.html"));
    CHECK(res && resource_body(res, ENCODING_IDENTITY) == NULL); /* nothing kept */
    snapshot_unref(s);
    free(expected);
    server_stop(srv);
    resource_set_inflated_budget((size_t)64 << 20);
}

TEST(snapshot_load_dir_reads_languages_from_the_root_page)
{
    char dir[] = "/tmp/folio-out-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *p = path_join(dir, "index.html");
    write_text(p, "<!DOCTYPE html>\n<html lang=\"kk\"><head><meta http-equiv=\"refresh\" content=\"0; url=/kk/\">"
                  "</head><body><ul><li><a href=\"/kk/\" hreflang=\"kk\" lang=\"kk\">Қазақша</a></li>"
                  "<li><a href=\"/ru/\" hreflang=\"ru\" lang=\"ru\">Русский</a></li>"
                  "<li><a href=\"/en/\" hreflang=\"en\" lang=\"en\">English</a></li></ul></body></html>\n");
    free(p);
    p = path_join(dir, "ru");
    dir_make(p);
    free(p);
    p = path_join(dir, "kk");
    dir_make(p);
    free(p);
    p = path_join(dir, "kk/index.html");
    write_text(p, "<!DOCTYPE html>\n<html lang=\"kk\"><body>Басты бет</body></html>\n");
    free(p);
    /* The refresh page a directory build writes for a redirect. */
    p = path_join(dir, "ru/old");
    dir_make(p);
    free(p);
    p = path_join(dir, "ru/old/index.html");
    write_text(p, "<meta http-equiv=\"refresh\" content=\"0; url=/ru/\">");
    free(p);
    p = path_join(dir, "_redirects");
    write_text(p, "/ru/old /ru/ 301\n");
    free(p);
    diag_list d;
    diag_init(&d);
    snapshot *s = snapshot_load_dir(dir, &d);
    CHECK_INT(s ? snapshot_language_count(s) : 0, 3);
    CHECK_STR(s ? snapshot_language(s, 0) : NULL, "kk");
    CHECK_STR(s ? snapshot_language(s, 2) : NULL, "en");
    route rt;
    route_resolve(s, "/ru/old/", "", NULL, &rt); /* the redirect wins over its refresh page */
    CHECK(rt.kind == ROUTE_REDIRECT && rt.status == 301);
    route_free(&rt);
    route_resolve(s, "/", "", "ru", &rt);
    CHECK(rt.kind == ROUTE_REDIRECT && strcmp(buf_cstr(&rt.location), "/ru/") == 0);
    route_free(&rt);
    snapshot_unref(s);
    diag_free(&d);
    dir_remove_tree(dir);
}

/* The port opens before the first build ends (a big site takes seconds):
 * meanwhile every request, the health check included, is told to come
 * back (503, Retry-After), never that a page does not exist. */
TEST(serve_main_answers_503_until_its_first_build_is_done)
{
    int port = free_port();
    int gate[2];
    CHECK(pipe(gate) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3);
        close(gate[1]);
        static fake_build fb;
        fb.gate_fd = gate[0];
        fb.opt = (serve_options){.port = port, .quiet = true, .threads = 1};
        _exit(serve_main(&fb.opt, fake_rebuild, &fb));
    }
    close(gate[0]);
    reply r = {0};
    int rc = -1;
    for (int i = 0; i < 300 && rc != 0; i++) {
        reply_free(&r);
        rc = http_get(port, "/ru/news/", NULL, &r);
        if (rc != 0) usleep(10000);
    }
    CHECK_INT(rc, 0);
    CHECK_INT(r.status, 503);
    CHECK_CONTAINS(buf_cstr(&r.head), "Retry-After: 2");
    CHECK_CONTAINS(buf_cstr(&r.body), "The site is starting");
    reply_free(&r);
    CHECK_INT(http_get(port, "/healthz", NULL, &r), 0);
    CHECK_INT(r.status, 503);
    reply_free(&r);
    CHECK(write(gate[1], "x", 1) == 1);
    CHECK(wait_until_ready(port, 3000));
    CHECK(wait_for_page(port, "build1", 3000));
    close(gate[1]);
    kill(pid, SIGTERM);
    int status = -1;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(serve_main_fails_cleanly_when_the_port_is_taken_or_the_build_fails)
{
    int holder = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    CHECK(bind(holder, (struct sockaddr *)&a, sizeof a) == 0 && listen(holder, 1) == 0);
    getsockname(holder, (struct sockaddr *)&a, &len);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3);
        serve_options opt = {.port = ntohs(a.sin_port), .quiet = true, .threads = 1};
        _exit(serve_main(&opt, big_site, NULL));
    }
    int status = -1;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    close(holder);

    fake_build fb = {0};
    atomic_store(&fb.fail, true);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3);
        serve_options opt = {.port = 0, .quiet = true, .threads = 1};
        _exit(serve_main(&opt, fake_rebuild, &fb));
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

/* Browsers play what the server names: captions (<track>) are refused
 * unless sent as text/vtt. */
TEST(video_audio_and_captions_have_their_types)
{
    CHECK_STR(content_type_for_path("media/news/a/tour.m4v"), "video/mp4");
    CHECK_STR(content_type_for_path("media/news/a/tour.MOV"), "video/quicktime");
    CHECK_STR(content_type_for_path("media/news/a/tour.ogv"), "video/ogg");
    CHECK_STR(content_type_for_path("media/news/a/talk.m4a"), "audio/mp4");
    CHECK_STR(content_type_for_path("media/news/a/talk.wav"), "audio/wav");
    CHECK_STR(content_type_for_path("media/news/a/talk.flac"), "audio/flac");
    CHECK_STR(content_type_for_path("media/news/a/tour.ru.vtt"), "text/vtt; charset=utf-8");
}
