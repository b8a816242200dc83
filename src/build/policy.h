/* policy.h - the site's Content-Security-Policy.
 *
 * Pages may load the site's own files and, besides, exactly the other
 * origins their content embeds: a branch's map in an <iframe>, a video, a
 * picture shown from another site. What an editor puts on a page is shown;
 * nothing else loads, and no script or style comes from elsewhere. Styles
 * written into the content (style="..." attributes, as text pasted from a
 * word processor has, or a <style> element) are allowed inline when some
 * page has them, since the browser would drop them otherwise; scripts
 * never are. The
 * build writes the policy (with the other security headers) to _headers,
 * the file static hosts such as Netlify and Cloudflare Pages read, and
 * folio serve sends it on every response (src/serve). */
#ifndef FOLIO_BUILD_POLICY_H
#define FOLIO_BUILD_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* The policy of a site without other origins. */
#define POLICY_DEFAULT_CSP                                                                    \
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "       \
    "frame-ancestors 'self'; base-uri 'self'; form-action 'self'"

/* The file static hosts read, and the header in it folio serve takes. */
#define POLICY_HEADERS_FILE "_headers"
#define POLICY_CSP_HEADER "Content-Security-Policy"

typedef struct site_policy site_policy;

site_policy *policy_new(void);
void policy_free(site_policy *p);

/* Note the other origins the HTML of a page's content embeds, and
 * whether it styles anything inline (thread-safe). */
void policy_scan(site_policy *p, const char *html, size_t len);
/* Whether the policy already allows every origin html embeds, and its
 * inline styles. */
bool policy_allows(site_policy *p, const char *html, size_t len);

/* How many other origins the policy allows (0: the default policy). */
size_t policy_origins(site_policy *p);
/* The Content-Security-Policy header's value. */
void policy_csp(site_policy *p, buf *out);
/* The _headers file: the policy and the other security headers, for
 * every path of the site, and how long browsers may keep the theme's
 * files (a year: their names change with their content) and media (a
 * day), as folio serve sends them. */
void policy_headers_file(site_policy *p, buf *out);

#endif
