/* route.h - which answer a request path gets from a snapshot.
 *
 * The server's URL rules in one place, apart from HTTP mechanics: a
 * directory URL serves its index.html, a directory asked for without its
 * slash redirects to it, redirect entries answer with their target,
 * Grav's "name:value" parameters redirect to folio's "name/value/", the
 * root redirects to the visitor's language, and anything else gets the
 * 404 page of the language in the path (else the default language's). */
#ifndef FOLIO_ROUTE_H
#define FOLIO_ROUTE_H

#include "lib/buf.h"
#include "serve/snapshot.h"

typedef enum route_kind {
    ROUTE_RESOURCE,  /* send resource with status 200 */
    ROUTE_REDIRECT,  /* answer status with Location: location */
    ROUTE_NOT_FOUND, /* status 404; resource is the 404 page, or NULL for none */
} route_kind;

typedef struct route {
    route_kind kind;
    unsigned status;
    const resource *resource;
    buf location;     /* an ASCII URL (non-ASCII path bytes percent-encoded) */
    const char *vary; /* a header the answer depends on, or NULL */
} route;

/* Decide the answer for a decoded, normalised path (from http_decode_path).
 * query is the raw query including its '?', or "" (kept on redirects);
 * accept_language may be NULL. Release *out with route_free. */
void route_resolve(const snapshot *s, const char *path, const char *query, const char *accept_language, route *out);

void route_free(route *r);

#endif
