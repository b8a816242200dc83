/* build.h - one build of a site: read user/, render every page in every
 * language, hand the files to an output. */
#ifndef FOLIO_BUILD_H
#define FOLIO_BUILD_H

#include <stdbool.h>
#include <time.h>

#include "build/output.h"
#include "lib/diag.h"

struct site;

typedef struct build_options {
    const char *site_dir; /* the Grav user/ folder */
    const char *base_url; /* absolute URL of the site, or NULL (config decides) */
    bool strict;          /* any error fails the build */
    int threads;          /* 0 = one per core */
    time_t now;           /* publishing decisions are made at this time; 0 = time(NULL) */
    const char *cache_dir; /* image variant cache; NULL = the site's default (src/media/cache.h) */
    bool no_images;       /* publish photos as they are, without variants */
    /* Publish photos without their metadata but otherwise as they are,
     * and show them so, without variants: a first `folio serve` on an
     * empty cache serves its pages at once, and makes the variants in the
     * full build after. */
    bool photos_as_they_are;
    bool prune_cache;     /* after a build without errors, drop the variants no page uses */
    /* Called now and then while photo variants are being made (a first
     * build of a site with many photos takes minutes), with how many are
     * made so far; may be NULL. */
    void (*variants_progress)(void *ctx, size_t made);
    void *progress_ctx;
} build_options;

typedef struct build_result {
    size_t pages;       /* HTML pages written */
    time_t next_change; /* when the published set changes next (a publish or
                           unpublish date in the future), 0 when never */
    char languages[256];  /* the site's language codes, default first, space-separated */
    size_t variants_made;   /* photo variants rendered by this build */
    size_t variants_cached; /* photo variants found in the cache */
    size_t other_origins;   /* other sites the content embeds, allowed by the policy in _headers */
    size_t variants_pruned; /* with prune_cache: variant files removed from the cache */
    unsigned long long pruned_bytes;
    bool is_pruned;         /* prune_cache was done (not when the build had errors) */
} build_result;

/* Build the site into out. Problems are reported into d; returns 0 when the
 * site was built (pages with errors are skipped), -1 when it could not be
 * built at all, or had errors and opt->strict is set. */
int build_site(const build_options *opt, output *out, diag_list *d, build_result *res);

/* For `folio check`, which reads pages without rendering them: run the
 * Twig of the pages that ask for it (process: {twig: true}) as the build
 * does, with the theme, reporting into d what the build would (a template
 * the include names that is not there, a function folio does not have);
 * what check found already, diag_sort makes one finding. lang < 0: every
 * language. */
void build_check_content_twig(const struct site *s, int lang, diag_list *d);

#endif
