#include "mustache_int.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * Tree building
 * ------------------------------------------------------------------- */

struct level {
	struct mu_node *kids;
	size_t n, cap;
	size_t tok; /* the opening tag's token */
	int bol;    /* whether the opening tag started a line */
};

static struct mu_node *
S_add_node(struct level *l)
{
	l->kids = xgrow(l->kids, &l->cap, l->n, sizeof *l->kids, 8);
	struct mu_node *n = &l->kids[l->n++];
	memset(n, 0, sizeof *n);
	return n;
}

static void
S_free_nodes(struct mu_node *kids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		S_free_nodes(kids[i].kids, kids[i].nkids);
	free(kids);
}

/* The common indentation of the non-blank lines in [a, b). */
static size_t
S_margin(const char *s, size_t a, size_t b)
{
	size_t best = SIZE_MAX;
	size_t i = a;
	while (i < b) {
		size_t ws = 0;
		while (i + ws < b && mu_is_ws(s[i + ws]))
			ws++;
		size_t j = i + ws;
		int blank = j >= b || s[j] == '\n' || s[j] == '\r';
		if (!blank && ws < best)
			best = ws;
		while (j < b && s[j] != '\n')
			j++;
		i = j + 1;
	}
	return best == SIZE_MAX ? 0 : best;
}

/* Adds a text token's nodes to l: one a line, so that indentation can go
   before each. *bol says whether the next node starts a line. */
static void
S_add_text(struct mu_parser *p, const struct tok *k, struct level *l, int *bol)
{
	const char *s = p->src;
	size_t a = k->tstart;
	while (a < k->tend) {
		const char *nl = memchr(s + a, '\n', k->tend - a);
		size_t b = nl ? (size_t)(nl - s) + 1 : k->tend;
		struct mu_node *n = S_add_node(l);
		n->kind = N_TEXT;
		n->bol = (uint8_t)*bol;
		n->s = s + a;
		n->len = b - a;
		*bol = nl != NULL;
		a = b;
	}
}

/* What a node takes from its tag: its name, position, standalone-ness
   and indentation. */
static void
S_tag_fields(const struct mu_parser *p, const struct tok *k, struct mu_node *n)
{
	const char *s = p->src;
	n->s = s + k->nstart;
	n->len = k->nend - k->nstart;
	n->line = k->line;
	n->col = k->col;
	n->dynamic = k->dynamic;
	n->standalone = k->standalone;
	n->ind = s + k->ind_start;
	n->ind_len = k->ind_end - k->ind_start;
}

/* Adds the node of a tag that has no body: a variable or a partial. */
static void
S_add_tag(struct mu_parser *p, const struct tok *k, struct level *l, int *bol)
{
	struct mu_node *n = S_add_node(l);
	n->kind = k->type == 'v' ? N_VAR : k->type == '&' ? N_RAW : N_PARTIAL;
	S_tag_fields(p, k, n);
	n->bol = (uint8_t)*bol;
	if (!k->standalone)
		*bol = 0;
}

/*
 * Closes the section, parent or block open at stack[*depth] with the
 * close tag k, adding its node one level up. Returns 0, or -1 after
 * reporting a close tag that closes nothing or does not match.
 */
static int
S_close(struct mu_parser *p, const struct tok *k, struct level *stack, size_t *depth, int *bol)
{
	const char *s = p->src;
	if (*depth == 0) {
		diag_error(p->t->path, k->line, k->col,
		           "closing tag '{{/%.*s}}' closes no section; remove it or add "
		           "the opening tag",
		           (int)(k->nend - k->nstart), s + k->nstart);
		return -1;
	}
	const struct tok *o = &p->toks[stack[*depth].tok];
	if (!mu_same_name(p, o, k)) {
		diag_error(p->t->path, k->line, k->col,
		           "closing tag '{{/%.*s}}' does not match '{{%c%.*s}}' opened "
		           "at line %u, column %u",
		           (int)(k->nend - k->nstart), s + k->nstart, o->type,
		           (int)(o->nend - o->nstart), s + o->nstart, (unsigned)o->line,
		           (unsigned)o->col);
		return -1;
	}
	struct level done = stack[(*depth)--];
	struct mu_node *n = S_add_node(&stack[*depth]);
	n->kind = o->type == '#'   ? N_SECTION
	          : o->type == '^' ? N_INVERTED
	          : o->type == '<' ? N_PARENT
	                           : N_BLOCK;
	S_tag_fields(p, o, n);
	n->kids = done.kids;
	n->nkids = done.n;
	n->raw = s + o->end;
	n->raw_len = k->start - o->end;
	n->otag = o->otag;
	n->olen = o->olen;
	n->ctag = o->ctag;
	n->clen = o->clen;
	if ((n->kind == N_BLOCK || n->kind == N_PARENT) && !o->standalone)
		n->bol = (uint8_t)done.bol;
	if (n->kind == N_BLOCK && n->standalone) {
		size_t a = o->end, b = k->standalone ? k->ind_start : k->start;
		/* the body starts on the line after a standalone open tag */
		const char *nl = memchr(s + a, '\n', b > a ? b - a : 0);
		if (nl && (size_t)(nl - s) < b)
			a = (size_t)(nl - s) + 1;
		n->margin = S_margin(s, a, b);
	}
	if (!k->standalone && n->kind == N_PARENT)
		*bol = 0;
	return 0;
}

/* Builds the tree of p's tokens under root. Returns 0, or -1 after
   reporting a section left open or closed wrongly. */
static int
S_build(struct mu_parser *p, struct mu_node *root)
{
	struct level *stack = xcalloc(p->ntoks + 1, sizeof *stack);
	size_t depth = 0;
	int bol = 1, rc = -1;
	const char *s = p->src;

	for (size_t i = 0; i < p->ntoks; i++) {
		const struct tok *k = &p->toks[i];
		switch (k->type) {
		case T_TEXT: S_add_text(p, k, &stack[depth], &bol); break;
		case '!':
		case '=': break;
		case 'v':
		case '&':
		case '>': S_add_tag(p, k, &stack[depth], &bol); break;
		case '#':
		case '^':
		case '<':
		case '$':
			if (depth >= MU_MAX_DEPTH) {
				/* rendering and freeing walk the tree recursively */
				diag_error(
				    p->t->path, k->line, k->col,
				    "sections nested more than %d deep: a template needs far "
				    "fewer; close some before opening more",
				    MU_MAX_DEPTH);
				goto out;
			}
			depth++;
			memset(&stack[depth], 0, sizeof stack[depth]);
			stack[depth].tok = i;
			stack[depth].bol = bol;
			/* sections pass the start of a line on to their content;
			   blocks and parents take it, to indent what fills them */
			if ((k->type == '$' || k->type == '<') && !k->standalone)
				bol = 0;
			break;
		case '/':
			if (S_close(p, k, stack, &depth, &bol) < 0)
				goto out;
			break;
		}
	}
	if (depth > 0) {
		const struct tok *o = &p->toks[stack[depth].tok];
		diag_error(p->t->path, o->line, o->col,
		           "unclosed section '{{%c%.*s}}': add '{{/%.*s}}' after its content",
		           o->type, (int)(o->nend - o->nstart), s + o->nstart,
		           (int)(o->nend - o->nstart), s + o->nstart);
		goto out;
	}
	root->kids = stack[0].kids;
	root->nkids = stack[0].n;
	stack[0].kids = NULL;
	stack[0].n = 0;
	rc = 0;
out:
	for (size_t d = 0; d <= depth; d++)
		S_free_nodes(stack[d].kids, stack[d].n);
	free(stack);
	return rc;
}

struct mu_template *
mu_compile_with(const char *path, const char *text, size_t len, const char *otag, size_t olen,
                const char *ctag, size_t clen)
{
	struct mu_template *t = xcalloc(1, sizeof *t);
	t->path = xstrdup(path);
	t->src = xstrndup(text, len);
	t->len = len;

	struct mu_parser p = {.t = t, .src = t->src, .len = t->len, .at = txt_pos_at(0)};
	p.otag = otag ? otag : "{{";
	p.olen = otag ? olen : 2;
	p.ctag = ctag ? ctag : "}}";
	p.clen = ctag ? clen : 2;
	if (mu_lex(&p) < 0 || S_build(&p, &t->root) < 0) {
		free(p.toks);
		mu_template_free(t);
		return NULL;
	}
	free(p.toks);
	return t;
}

struct mu_template *
mu_compile(struct mu_env *env, const char *path, const char *text, size_t len)
{
	(void)env;
	return mu_compile_with(path, text, len, NULL, 0, NULL, 0);
}

void
mu_template_free(struct mu_template *t)
{
	if (!t)
		return;
	S_free_nodes(t->root.kids, t->root.nkids);
	free(t->path);
	free(t->src);
	free(t);
}

/* ---------------------------------------------------------------------
 * Environment and cache
 * ------------------------------------------------------------------- */

struct mu_env *
mu_env_new(mu_load_fn load, void *load_ctx, unsigned flags)
{
	struct mu_env *env = xcalloc(1, sizeof *env);
	env->load = load;
	env->load_ctx = load_ctx;
	env->flags = flags;
	pthread_mutex_init(&env->lock, NULL);
	return env;
}

void
mu_env_free(struct mu_env *env)
{
	if (!env)
		return;
	for (size_t i = 0; i < env->ncache; i++) {
		free(env->cache[i].name);
		mu_template_free(env->cache[i].t);
	}
	free(env->cache);
	free(env->warned);
	pthread_mutex_destroy(&env->lock);
	free(env);
}

struct mu_template *
mu_env_lookup(struct mu_env *env, const char *name, size_t len, int *found)
{
	struct cache_entry *e = NULL;
	pthread_mutex_lock(&env->lock);
	for (size_t i = 0; i < env->ncache; i++) {
		if (env->cache[i].len == len && memcmp(env->cache[i].name, name, len) == 0) {
			e = &env->cache[i];
			goto out;
		}
	}
	env->cache = xgrow(env->cache, &env->capcache, env->ncache, sizeof *env->cache, 16);
	e = &env->cache[env->ncache++];
	e->name = xstrndup(name, len);
	e->len = len;
	e->t = NULL;
	struct buf text = BUF_INIT;
	char *path = NULL;
	e->found = env->load ? env->load(env->load_ctx, e->name, &text, &path) > 0 : 0;
	if (e->found)
		e->t =
		    mu_compile_with(path ? path : e->name, text.data, text.len, NULL, 0, NULL, 0);
	free(path);
	buf_release(&text);
out:
	/* copied under the lock: another thread may move the cache */
	*found = e->found;
	struct mu_template *t = e->t;
	pthread_mutex_unlock(&env->lock);
	return t;
}

struct mu_template *
mu_env_load(struct mu_env *env, const char *name)
{
	int found = 0;
	struct mu_template *t = mu_env_lookup(env, name, strlen(name), &found);
	if (!t && !found)
		diag_error(name, 0, 0, "no template named '%s'", name);
	return t;
}
