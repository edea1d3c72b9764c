/*
 * mustache_int.h: what the three parts of the Mustache engine share, and
 * nothing the rest of baoku sees (that is mustache.h).
 *
 *   mustache_lex.c      the source into tokens: text and tags, delimiter
 *                       changes, and which tags stand alone on their line
 *   mustache_compile.c  tokens into the tree of nodes a template is, and
 *                       the environment that loads and caches templates
 *   mustache_render.c   a tree and data into text
 */
#ifndef BAOKU_MUSTACHE_INT_H
#define BAOKU_MUSTACHE_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mustache.h"
#include "text.h"

/* Partials and parents nested deeper than this are an error (recursion). */
#define MU_MAX_DEPTH 100

/* A render that visits more template nodes than this, or writes more
   bytes, is stopped with an error: nested sections over long lists grow
   exponentially, and a template must not hang the build. */
#define MU_MAX_STEPS  50000000UL
#define MU_MAX_OUTPUT ((size_t)1 << 30)

/* ---------------------------------------------------------------------
 * The compiled form
 * ------------------------------------------------------------------- */

enum node_kind {
	N_TEXT,     /* literal text, at most one line */
	N_VAR,      /* {{name}}, escaped */
	N_RAW,      /* {{{name}}} or {{&name}} */
	N_SECTION,  /* {{#name}}...{{/name}} */
	N_INVERTED, /* {{^name}}...{{/name}} */
	N_PARTIAL,  /* {{>name}} */
	N_PARENT,   /* {{<name}}...{{/name}} */
	N_BLOCK,    /* {{$name}}...{{/name}} */
};

struct mu_node {
	uint8_t kind;
	uint8_t bol;        /* starts a source line: indentation goes here */
	uint8_t standalone; /* partial, parent, block: alone on its line */
	uint8_t dynamic;    /* partial, parent: name is looked up in the context */
	uint32_t line, col; /* of the tag, for diagnostics */
	const char *s;      /* text, or the tag's name */
	size_t len;
	const char *ind; /* standalone: the whitespace before the tag */
	size_t ind_len;
	size_t margin;   /* standalone block: common indentation of its body */
	const char *raw; /* section: unprocessed body, for lambdas */
	size_t raw_len;
	const char *otag, *ctag; /* section: delimiters in force, for lambdas */
	uint8_t olen, clen;
	struct mu_node *kids; /* sections, parents, blocks */
	size_t nkids;
};

struct mu_template {
	char *path;
	char *src;
	size_t len;
	struct mu_node root;
};

struct cache_entry {
	char *name;
	size_t len;
	int found;             /* a template by that name exists */
	char *where;           /* when not: where it was looked for last */
	struct mu_template *t; /* NULL when missing or not compiling */
};

struct mu_env {
	mu_load_fn load;
	void *load_ctx;
	unsigned flags;
	pthread_mutex_t lock; /* guards the cache and said */
	struct cache_entry *cache;
	size_t ncache, capcache;
	const void **said; /* the places (nodes) whose problem was reported */
	size_t nsaid, capsaid;
};

/* Whether the problem at place (a node) is to be reported: 1 the first
   time, from any thread; 0 after, so that a template rendered for every
   page says it once. */
int mu_env_first_time(struct mu_env *env, const void *place);

/* ---------------------------------------------------------------------
 * Tokens
 * ------------------------------------------------------------------- */

enum { T_TEXT = 0 };

struct tok {
	int type;            /* T_TEXT, or the tag sigil: 'v' # ^ / ! = > < $ & */
	size_t start, end;   /* the whole token in the source */
	size_t tstart, tend; /* text: what is left after standalone trimming */
	size_t nstart, nend; /* tag: its name */
	uint32_t line, col;
	uint8_t standalone;
	uint8_t dynamic;
	size_t ind_start, ind_end; /* standalone: indentation before the tag */
	const char *otag, *ctag;
	uint8_t olen, clen;
};

struct mu_parser {
	const struct mu_template *t;
	const char *src;
	size_t len;
	struct tok *toks;
	size_t ntoks, captoks;
	const char *otag, *ctag; /* delimiters to start with */
	size_t olen, clen;
	struct txt_pos at; /* the line:col of the last tag, for diagnostics */
};

static inline int
mu_is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static inline int
mu_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Whether two tags have the same name. */
static inline int
mu_same_name(const struct mu_parser *p, const struct tok *a, const struct tok *b)
{
	return a->nend - a->nstart == b->nend - b->nstart &&
	       memcmp(p->src + a->nstart, p->src + b->nstart, a->nend - a->nstart) == 0;
}

/*
 * Splits p's source into tokens (p->toks, which the caller frees),
 * following delimiter changes, and marks the tags that stand alone on
 * their lines. Returns 0, or -1 after reporting a malformed tag.
 */
int mu_lex(struct mu_parser *p);

/*
 * Compiles len bytes of text with the given initial delimiters (NULL:
 * {{ and }}; a lambda's section keeps the delimiters in force where it
 * was). Returns NULL after reporting; free with mu_template_free.
 */
struct mu_template *mu_compile_with(const char *path, const char *text, size_t len,
                                    const char *otag, size_t olen, const char *ctag, size_t clen);

/*
 * The template called name (len bytes) from env's cache, loaded and
 * compiled the first time. Sets *found to whether a template by that
 * name exists (it may exist and not compile: NULL then). The env owns
 * the result. Safe from several threads.
 */
struct mu_template *mu_env_lookup(struct mu_env *env, const char *name, size_t len, int *found);

#endif
