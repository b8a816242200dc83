/* httpc.h - a raw HTTP/1.1 client for the server tests: raw, so that
 * malformed and hostile requests can be sent byte for byte. */
#ifndef FOLIO_HTTPC_H
#define FOLIO_HTTPC_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/buf.h"

typedef struct reply {
    int status;
    buf head; /* status line and headers */
    buf body;
    char values[4][1024];
    int next_value;
} reply;

static inline void reply_free(reply *r)
{
    buf_free(&r->head);
    buf_free(&r->body);
}

static inline int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Send request bytes as they are, read until the server closes. */
static inline int http_raw(int port, const char *request, size_t request_len, reply *out)
{
    memset(out, 0, sizeof *out);
    int fd = connect_to(port);
    if (fd < 0) return -1;
    size_t sent = 0;
    while (sent < request_len) {
        ssize_t n = send(fd, request + sent, request_len - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += (size_t)n;
    }
    buf all = BUF_INIT;
    char chunk[65536];
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0) break;
        ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) break;
        buf_add(&all, chunk, (size_t)n);
    }
    close(fd);
    const char *s = buf_cstr(&all);
    const char *end = strstr(s, "\r\n\r\n");
    if (!end || sscanf(s, "HTTP/1.%*d %d", &out->status) != 1) {
        buf_free(&all);
        return -1;
    }
    buf_add(&out->head, s, (size_t)(end - s) + 2);
    buf_add(&out->body, end + 4, all.len - (size_t)(end + 4 - s));
    buf_cstr(&out->body);
    buf_free(&all);
    return 0;
}

static inline int http_request(int port, const char *method, const char *target, const char *headers, reply *out)
{
    buf rq = BUF_INIT;
    buf_printf(&rq, "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s\r\n", method, target,
               headers ? headers : "");
    int rc = http_raw(port, rq.s, rq.len, out);
    buf_free(&rq);
    return rc;
}

static inline int http_get(int port, const char *target, const char *headers, reply *out)
{
    return http_request(port, "GET", target, headers, out);
}

/* A header's value (NULL when absent); valid until four more lookups. */
static inline const char *hdr(reply *r, const char *name)
{
    const char *s = buf_cstr(&r->head);
    size_t nl = strlen(name);
    for (const char *p = strstr(s, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, nl) == 0 && p[2 + nl] == ':') {
            const char *v = p + 3 + nl;
            while (*v == ' ') v++;
            const char *e = strstr(v, "\r\n");
            size_t len = e ? (size_t)(e - v) : strlen(v);
            char *out = r->values[r->next_value++ % 4];
            snprintf(out, 1024, "%.*s", (int)len, v);
            return out;
        }
    }
    return NULL;
}

/* Read one response (headers and a Content-Length body) from a kept-alive connection. */
static inline int read_one_response(int fd, reply *out)
{
    memset(out, 0, sizeof *out);
    buf all = BUF_INIT;
    char c;
    while (!strstr(buf_cstr(&all), "\r\n\r\n")) {
        if (recv(fd, &c, 1, 0) != 1) {
            buf_free(&all);
            return -1;
        }
        buf_putc(&all, c);
    }
    sscanf(all.s, "HTTP/1.%*d %d", &out->status);
    buf_add(&out->head, all.s, all.len - 2);
    buf_free(&all);
    const char *cl = hdr(out, "Content-Length");
    size_t want = cl ? (size_t)atol(cl) : 0;
    char chunk[4096];
    while (out->body.len < want) {
        size_t n = want - out->body.len < sizeof chunk ? want - out->body.len : sizeof chunk;
        ssize_t got = recv(fd, chunk, n, 0);
        if (got <= 0) return -1;
        buf_add(&out->body, chunk, (size_t)got);
    }
    buf_cstr(&out->body);
    return 0;
}

#endif
