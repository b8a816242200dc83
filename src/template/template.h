/* template.h - folio's template engine, which speaks Twig's syntax.
 *
 * Grav themes are Twig templates. An environment (tpl_env) owns the
 * host's loader callback, registered filters, functions and globals, and
 * a cache of parsed templates: each template is parsed once into a tree
 * (under the environment's lock) and then rendered any number of times,
 * from any number of threads at once. Rendering never mutates shared
 * state; all per-render memory comes from an arena freed at the end.
 *
 * The engine is sandboxed by construction: a template sees only the
 * values handed to it (context and globals) and obtains other templates
 * only through the loader. Output of {{ }} is HTML-escaped unless the
 * value is markup (value.is_safe) or made safe by a filter such as raw.
 *
 * Errors are reported through a diag_list as `name:line:col: message`.
 * Register filters, functions and globals before the first render:
 * names are resolved when a template is parsed. A site in several
 * languages uses one environment per language (its `t` filter and date
 * names differ), all sharing the same loader. The cache lives as long as
 * the environment and remembers missing templates too: when templates
 * change on disk, make a new environment.
 *
 * Limits keep a bad template from hanging or crashing the host: nesting
 * of includes, macro calls and blocks, range sizes, statements run,
 * memory built and output written per render (see docs/templates.md). */
#ifndef FOLIO_TEMPLATE_H
#define FOLIO_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/diag.h"
#include "lib/value.h"

typedef struct tpl_env tpl_env;

/* Loader: the text of template `name` as a malloc'd buffer (the engine
 * frees it) with its length in *len, or NULL when there is no such
 * template. Called under the environment's lock, at most once per name,
 * so it must not call back into the same environment. */
typedef char *(*tpl_load_fn)(void *ctx, const char *name, size_t *len);

/* A host filter or function. `input` is the filtered value (NULL for a
 * function), args the call's arguments. Allocate the result in `a` (the
 * render arena); return NULL for null. Report problems into d (may be
 * NULL) without a position; the engine adds none. */
typedef value *(*tpl_native_fn)(void *ud, arena *a, value *input, value **args, size_t nargs, diag_list *d);

/* A new environment that loads templates through load(ctx, ...). */
tpl_env *tpl_env_new(tpl_load_fn load, void *ctx);
/* Frees the environment and every template it parsed. */
void tpl_env_free(tpl_env *env);
/* Twig's strict_variables: an undefined variable or attribute is an
 * error (default false: it is null). */
void tpl_env_set_strict(tpl_env *env, bool strict_variables);
/* When true (the default) an unknown function is a syntax error; when
 * false it is a warning and the call renders as null. */
void tpl_env_set_strict_functions(tpl_env *env, bool strict);
/* Language passed to the date filter for month and day names ("ru"...). */
void tpl_env_set_lang(tpl_env *env, const char *lang);
/* Forget the fragments kept by {% cache %} tags: the data they were made
 * from has changed. An environment keeps them until then, or until it is
 * freed (a build's environments live for that build). */
void tpl_env_forget_fragments(tpl_env *env);
/* A global variable visible in every template; v must outlive env. */
void tpl_env_add_global(tpl_env *env, const char *name, value *v);
/* Register a filter / function. is_safe: its result is HTML and is not
 * escaped again. A later registration replaces a built-in of that name. */
void tpl_env_add_filter(tpl_env *env, const char *name, tpl_native_fn fn, void *ud, bool is_safe);
/* The same for a filter whose result depends only on its input and
 * arguments (a translation lookup): applied to constants, it runs once,
 * when the template is parsed. */
void tpl_env_add_pure_filter(tpl_env *env, const char *name, tpl_native_fn fn, void *ud, bool is_safe);
void tpl_env_add_function(tpl_env *env, const char *name, tpl_native_fn fn, void *ud, bool is_safe);

/* Render template `name` with context (a map, an object whose attributes
 * are the variables, or NULL) appended to out. Returns 0, or -1 after
 * reporting errors into d (out is then left as it was). */
int tpl_render(tpl_env *env, const char *name, value *context, buf *out, diag_list *d);
/* Called by the host while a render runs on this thread (from an object's
 * get or call): what it gave is not final, and the host will render again.
 * The render then keeps no {% cache %} fragment, so none is made from
 * what was not final. */
void tpl_mark_provisional(void);
/* Parse and render a template given as text (not cached; for page
 * content processed as Twig); name_for_errors names it in diagnostics.
 * Returns 0 or -1. */
int tpl_render_string(tpl_env *env, const char *name_for_errors, const char *text, size_t len, value *context,
                      buf *out, diag_list *d);
/* Parse `name` ahead of rendering (and cache it). Returns 0 or -1. */
int tpl_preload(tpl_env *env, const char *name, diag_list *d);

/* CLI helper for `folio template render DIR NAME [--data FILE.json]`:
 * loads templates from dir only (names with ".." or a leading "/" are
 * refused), renders name with the JSON file's content as context. */
int tpl_cli_render(const char *dir, const char *name, const char *data_json_path, buf *out, diag_list *d);

#endif
