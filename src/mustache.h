/*
 * mustache: a Mustache template engine.
 *
 * Implements the whole Mustache specification (comments, delimiters,
 * interpolation, inverted sections, partials, sections) and its optional
 * modules: inheritance (parents {{<name}} and blocks {{$name}}), dynamic
 * names ({{>*name}}) and lambdas.
 *
 * The engine knows nothing about where data comes from. It sees values as
 * opaque pointers and asks a struct mu_data about them (what type, which
 * member, which item), so any tree can be rendered without conversion.
 *
 * Templates are compiled once into a tree (mu_compile, mu_env_load) and
 * rendered many times; rendering never parses again, except the text a
 * lambda returns, which the specification says must be parsed. Rendering
 * is safe from several threads at once with the same env and templates.
 *
 * Errors are reported through diag as TEMPLATE:LINE:COL: error: ...
 * Partials and parents nested over 100 deep (recursion) are errors, and
 * so is a render that takes over 50 million steps or writes over 1 GiB.
 */
#ifndef BAOKU_MUSTACHE_H
#define BAOKU_MUSTACHE_H

#include <stddef.h>

struct buf;

/* What a data value is, as the engine needs to know it. */
enum mu_type {
	MU_NULL,
	MU_FALSE,
	MU_TRUE,
	MU_NUMBER,
	MU_STRING,
	MU_LIST,
	MU_MAP,
	MU_LAMBDA,
};

/*
 * The data interface. Values are opaque pointers owned by the caller; NULL
 * is never passed to these functions.
 */
struct mu_data {
	/* The type of v. */
	enum mu_type (*type)(void *ud, const void *v);
	/* The member `key` (len bytes) of map, or NULL when it has none. */
	const void *(*get)(void *ud, const void *map, const char *key, size_t len);
	/* The number of items of a list. */
	size_t (*count)(void *ud, const void *list);
	/* Item i (< count) of a list. */
	const void *(*item)(void *ud, const void *list, size_t i);
	/* Appends the text of a string, number or boolean to out. */
	void (*text)(void *ud, const void *v, struct buf *out);
	/* A string's bytes where they are, setting *len, for escaping without
	   a copy first; NULL to use text. May be NULL itself. */
	const char *(*string)(void *ud, const void *v, size_t *len);
	/*
	 * Calls a lambda. For a section, `section` holds the section's
	 * unprocessed text; for an interpolation it is NULL. The result, which
	 * the engine then renders as a template, is appended to out. Returns 0,
	 * or -1 after reporting an error. May be NULL when no value is a lambda.
	 */
	int (*call)(void *ud, const void *lambda, const char *section, size_t len, struct buf *out);
	void *ud; /* passed to every function above */
};

/*
 * Finds the template called name for a partial or parent tag. Appends its
 * text to `text` and sets *path to a malloc'd name for diagnostics (the
 * file it came from), which the engine frees. Returns 1 when found, 0 when
 * there is no such template, -1 on an error already reported.
 */
typedef int (*mu_load_fn)(void *ctx, const char *name, struct buf *text, char **path);

/* Flags for mu_env_new. */
enum {
	/* A name that resolves to nothing is an error, not empty output. */
	MU_STRICT = 1 << 0,
	/* A partial or parent that cannot be found renders as empty (the
	   specification's behaviour) instead of being an error. */
	MU_MISSING_PARTIAL_EMPTY = 1 << 1,
	/* A variable ({{name}}, {{{name}}}) whose name resolves to nothing is
	   a warning at its place, once per place for the env's life (a
	   section on such a name is how a template asks whether it is there,
	   and stays silent). Without MU_STRICT only. */
	MU_WARN_UNRESOLVED = 1 << 2,
};

struct mu_env;
struct mu_template;

/*
 * A new environment: the loader for partials and parents (load may be NULL
 * when templates use none) and flags. Loaded templates are cached in the
 * env, each loaded and compiled once. Free with mu_env_free.
 */
struct mu_env *mu_env_new(mu_load_fn load, void *load_ctx, unsigned flags);

/* Frees env and every template it loaded. */
void mu_env_free(struct mu_env *env);

/*
 * Compiles len bytes of template text; path names it in diagnostics.
 * Returns NULL after reporting the errors. The caller frees the result
 * with mu_template_free, before freeing env.
 */
struct mu_template *mu_compile(struct mu_env *env, const char *path, const char *text, size_t len);

/*
 * The template called name, through the env's loader and cache. Returns
 * NULL when it is missing (reported as an error) or does not compile. The
 * env owns the result.
 */
struct mu_template *mu_env_load(struct mu_env *env, const char *name);

/* Frees a template from mu_compile. NULL is allowed. */
void mu_template_free(struct mu_template *t);

/*
 * Renders t with root as the context and appends the result to out.
 * Returns 0, or -1 after reporting an error; on error out is left exactly
 * as it was, so no half-rendered output escapes.
 */
int mu_render(struct mu_env *env, const struct mu_template *t, const struct mu_data *data,
              const void *root, struct buf *out);

/* Room a caller may reserve in out before rendering a page: more than most
   pages take, so that out is not grown a dozen times on the way. */
#define MU_RENDER_ROOM 32768

/* Appends s (len bytes) to out with & < > " ' escaped for HTML. */
void mu_escape_html(struct buf *out, const char *s, size_t len);

#endif
