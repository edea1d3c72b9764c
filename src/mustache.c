#include "mustache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "text.h"
#include "xalloc.h"

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
	struct mu_template *t; /* NULL when missing or not compiling */
};

struct mu_env {
	mu_load_fn load;
	void *load_ctx;
	unsigned flags;
	pthread_mutex_t lock;
	struct cache_entry *cache;
	size_t ncache, capcache;
};

/* ---------------------------------------------------------------------
 * Tokenizer
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

struct parser {
	const struct mu_template *t;
	const char *src;
	size_t len;
	struct tok *toks;
	size_t ntoks, captoks;
	const char *otag, *ctag; /* delimiters to start with */
	size_t olen, clen;
	struct txt_pos at; /* the line:col of the last tag, for diagnostics */
};

static int
S_is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static int
S_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static const char *
S_find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	if (nlen == 0 || hlen < nlen)
		return NULL;
	const char *end = hay + hlen - nlen;
	for (const char *p = hay; p <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) + 1);
		if (!p)
			return NULL;
		if (memcmp(p, needle, nlen) == 0)
			return p;
	}
	return NULL;
}

static struct tok *
S_push_tok(struct parser *p)
{
	p->toks = xgrow(p->toks, &p->captoks, p->ntoks, sizeof *p->toks, 32);
	struct tok *k = &p->toks[p->ntoks++];
	memset(k, 0, sizeof *k);
	return k;
}

static void
S_push_text(struct parser *p, size_t start, size_t end)
{
	if (start == end)
		return;
	struct tok *k = S_push_tok(p);
	k->type = T_TEXT;
	k->start = k->tstart = start;
	k->end = k->tend = end;
}

/* Trims whitespace from both ends of [*a, *b). */
static void
S_trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && S_is_space(s[*a]))
		(*a)++;
	while (*b > *a && S_is_space(s[*b - 1]))
		(*b)--;
}

static int
S_has_space(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (S_is_space(s[i]))
			return 1;
	return 0;
}

/* Shows a tag's text in a message, shortened when long. */
static int
S_tag_width(size_t len)
{
	return len > 60 ? 60 : (int)len;
}

/*
 * Splits the source into text and tag tokens, following delimiter
 * changes. Returns 0, or -1 after reporting a malformed tag.
 */
static int
S_tokenize(struct parser *p)
{
	const char *otag = p->otag, *ctag = p->ctag;
	size_t olen = p->olen, clen = p->clen;
	size_t pos = 0;
	const char *s = p->src;

	while (pos < p->len) {
		const char *o = S_find(s + pos, p->len - pos, otag, olen);
		if (!o) {
			S_push_text(p, pos, p->len);
			break;
		}
		size_t tstart = (size_t)(o - s);
		S_push_text(p, pos, tstart);
		txt_advance(&p->at, p->src, tstart);
		uint32_t line = (uint32_t)p->at.line, col = (uint32_t)p->at.col;

		size_t q = tstart + olen;
		int type = 'v';
		if (q < p->len && strchr("#^/!=><$&{", s[q]) && s[q] != '\0')
			type = s[q++];

		/* The closing sequence: "}" or "=" before the delimiter for
		   triple mustaches and delimiter changes. */
		char close[64];
		size_t cl = 0;
		if (type == '{' || type == '=')
			close[cl++] = type == '{' ? '}' : '=';
		memcpy(close + cl, ctag, clen);
		cl += clen;

		const char *c = S_find(s + q, p->len - q, close, cl);
		if (!c) {
			diag_error(
			    p->t->path, line, col,
			    "unclosed tag '%.*s': no '%.*s' follows; close the tag or escape "
			    "the delimiter",
			    S_tag_width(p->len - tstart > 20 ? 20 : p->len - tstart), s + tstart,
			    (int)cl, close);
			return -1;
		}
		size_t cpos = (size_t)(c - s);
		size_t end = cpos + cl;
		size_t na = q, nb = cpos;

		if (type == '=') {
			/* {{=<% %>=}}: two delimiters separated by whitespace */
			S_trim(s, &na, &nb);
			size_t a1 = na, b1 = na;
			while (b1 < nb && !S_is_space(s[b1]))
				b1++;
			size_t a2 = b1;
			while (a2 < nb && S_is_space(s[a2]))
				a2++;
			size_t b2 = nb;
			if (b1 == a1 || a2 == b1 || a2 >= nb || S_has_space(s, a2, b2) ||
			    memchr(s + a1, '=', b1 - a1) || memchr(s + a2, '=', b2 - a2) ||
			    b1 - a1 > 32 || b2 - a2 > 32) {
				diag_error(
				    p->t->path, line, col,
				    "malformed delimiter change '%.*s': write two delimiters "
				    "separated by a space, as in {{=<%% %%>=}}",
				    S_tag_width(end - tstart), s + tstart);
				return -1;
			}
			struct tok *k = S_push_tok(p);
			k->type = '=';
			k->start = tstart;
			k->end = end;
			k->line = line;
			k->col = col;
			otag = s + a1;
			olen = b1 - a1;
			ctag = s + a2;
			clen = b2 - a2;
			pos = end;
			continue;
		}

		int dynamic = 0;
		if (type != '!') {
			S_trim(s, &na, &nb);
			if ((type == '>' || type == '<') && na < nb && s[na] == '*') {
				dynamic = 1;
				na++;
				S_trim(s, &na, &nb);
			}
			if (na == nb || S_has_space(s, na, nb)) {
				diag_error(
				    p->t->path, line, col,
				    "malformed tag '%.*s': a tag holds one name without spaces",
				    S_tag_width(end - tstart), s + tstart);
				return -1;
			}
		}
		if (type == '{')
			type = '&';
		struct tok *k = S_push_tok(p);
		k->type = type;
		k->start = tstart;
		k->end = end;
		k->nstart = na;
		k->nend = nb;
		k->line = line;
		k->col = col;
		k->dynamic = (uint8_t)dynamic;
		k->otag = otag;
		k->olen = (uint8_t)olen;
		k->ctag = ctag;
		k->clen = (uint8_t)clen;
		pos = end;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Standalone lines
 *
 * A line holding only whitespace and one tag that renders nothing by
 * itself (section, inverted, close, comment, delimiter change, partial,
 * parent, block) is removed from the output, newline included. The
 * inheritance module extends this to two adjacent tags of certain pairs:
 * {{$b}}{{/b}}, {{<p}}{{/p}}, {{<p}}{{$b}} and {{/b}}{{/p}}.
 * ------------------------------------------------------------------- */

static int
S_standalone_type(int type)
{
	return type != T_TEXT && type != 'v' && type != '&';
}

/* Whether token i starts its line, after whitespace only. Sets the range of
   that whitespace. */
static int
S_alone_before(struct parser *p, size_t i, size_t *ws_start)
{
	if (i == 0) {
		*ws_start = p->toks[i].start;
		return 1;
	}
	struct tok *k = &p->toks[i - 1];
	if (k->type != T_TEXT)
		return 0;
	size_t j = k->end;
	while (j > k->start && S_is_ws(p->src[j - 1]))
		j--;
	if (j == k->start && i - 1 == 0) {
		*ws_start = j;
		return 1;
	}
	if (j > k->start && p->src[j - 1] == '\n') {
		*ws_start = j;
		return 1;
	}
	return 0;
}

/* Whether token i ends its line, before whitespace only. Sets where the
   line's remainder ends, after its newline, and where the newline starts. */
static int
S_alone_after(struct parser *p, size_t i, size_t *rest_end, size_t *nl_start)
{
	if (i + 1 == p->ntoks) {
		*rest_end = *nl_start = p->toks[i].end;
		return 1;
	}
	struct tok *k = &p->toks[i + 1];
	if (k->type != T_TEXT)
		return 0;
	size_t j = k->start;
	while (j < k->end && S_is_ws(p->src[j]))
		j++;
	if (j == k->end) {
		if (i + 2 != p->ntoks)
			return 0;
		*rest_end = *nl_start = j;
		return 1;
	}
	if (p->src[j] == '\n') {
		*nl_start = j;
		*rest_end = j + 1;
		return 1;
	}
	if (p->src[j] == '\r' && j + 1 < k->end && p->src[j + 1] == '\n') {
		*nl_start = j;
		*rest_end = j + 2;
		return 1;
	}
	return 0;
}

static void
S_mark_standalone(struct parser *p, size_t first, size_t last, int keep_newline)
{
	size_t ws = 0, rest = 0, nl = 0;
	S_alone_before(p, first, &ws);
	S_alone_after(p, last, &rest, &nl);
	if (first > 0)
		p->toks[first - 1].tend = ws;
	if (last + 1 < p->ntoks) {
		struct tok *n = &p->toks[last + 1];
		n->tstart = keep_newline ? nl : rest;
		if (n->tstart > n->tend)
			n->tend = n->tstart;
	}
	for (size_t i = first; i <= last; i++) {
		p->toks[i].standalone = 1;
		p->toks[i].ind_start = ws;
		p->toks[i].ind_end = p->toks[first].start;
	}
}

static int
S_same_name(struct parser *p, const struct tok *a, const struct tok *b)
{
	return a->nend - a->nstart == b->nend - b->nstart &&
	       memcmp(p->src + a->nstart, p->src + b->nstart, a->nend - a->nstart) == 0;
}

static void
S_find_standalone(struct parser *p)
{
	/* What each close tag closes, to recognise the pairs. */
	size_t *open = xcalloc(p->ntoks + 1, sizeof *open);
	size_t depth = 0;
	int *closes = xcalloc(p->ntoks + 1, sizeof *closes);
	for (size_t i = 0; i < p->ntoks; i++) {
		int ty = p->toks[i].type;
		if (ty == '#' || ty == '^' || ty == '<' || ty == '$')
			open[depth++] = i;
		else if (ty == '/' && depth > 0)
			closes[i] = p->toks[open[--depth]].type;
	}
	free(open);

	for (size_t i = 0; i < p->ntoks; i++) {
		struct tok *a = &p->toks[i];
		if (!S_standalone_type(a->type))
			continue;
		size_t ws, rest, nl;
		if (S_alone_before(p, i, &ws) && S_alone_after(p, i, &rest, &nl)) {
			S_mark_standalone(p, i, i, 0);
			continue;
		}
		if (i + 1 >= p->ntoks)
			continue;
		struct tok *b = &p->toks[i + 1];
		if (b->start != a->end)
			continue;
		int pair = 0, keep_newline = 0;
		if (a->type == '$' && b->type == '/' && S_same_name(p, a, b))
			pair = keep_newline = 1;
		else if (a->type == '<' && b->type == '/' && S_same_name(p, a, b))
			pair = 1;
		else if (a->type == '<' && b->type == '$')
			pair = 1;
		else if (a->type == '/' && closes[i] == '$' && b->type == '/' &&
		         closes[i + 1] == '<')
			pair = 1;
		if (pair && S_alone_before(p, i, &ws) && S_alone_after(p, i + 1, &rest, &nl)) {
			S_mark_standalone(p, i, i + 1, keep_newline);
			i++;
		}
	}
	free(closes);
}

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
		while (i + ws < b && S_is_ws(s[i + ws]))
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

static int
S_build(struct parser *p, struct mu_node *root)
{
	struct level *stack = xcalloc(p->ntoks + 1, sizeof *stack);
	size_t depth = 0;
	int bol = 1, rc = -1;
	const char *s = p->src;

	for (size_t i = 0; i < p->ntoks; i++) {
		struct tok *k = &p->toks[i];
		struct level *l = &stack[depth];
		if (k->type == T_TEXT) {
			/* one node per line, so indentation can go before each */
			size_t a = k->tstart;
			while (a < k->tend) {
				const char *nl = memchr(s + a, '\n', k->tend - a);
				size_t b = nl ? (size_t)(nl - s) + 1 : k->tend;
				struct mu_node *n = S_add_node(l);
				n->kind = N_TEXT;
				n->bol = (uint8_t)bol;
				n->s = s + a;
				n->len = b - a;
				bol = nl != NULL;
				a = b;
			}
			continue;
		}
		switch (k->type) {
		case '!':
		case '=': break;
		case 'v':
		case '&':
		case '>': {
			struct mu_node *n = S_add_node(l);
			n->kind = k->type == 'v' ? N_VAR : k->type == '&' ? N_RAW : N_PARTIAL;
			n->s = s + k->nstart;
			n->len = k->nend - k->nstart;
			n->line = k->line;
			n->col = k->col;
			n->dynamic = k->dynamic;
			n->standalone = k->standalone;
			n->ind = s + k->ind_start;
			n->ind_len = k->ind_end - k->ind_start;
			n->bol = (uint8_t)bol;
			if (!k->standalone)
				bol = 0;
			break;
		}
		case '#':
		case '^':
		case '<':
		case '$':
			depth++;
			memset(&stack[depth], 0, sizeof stack[depth]);
			stack[depth].tok = i;
			stack[depth].bol = bol;
			/* sections pass the start of a line on to their content;
			   blocks and parents take it, to indent what fills them */
			if ((k->type == '$' || k->type == '<') && !k->standalone)
				bol = 0;
			break;
		case '/': {
			if (depth == 0) {
				diag_error(
				    p->t->path, k->line, k->col,
				    "closing tag '{{/%.*s}}' closes no section; remove it or add "
				    "the opening tag",
				    (int)(k->nend - k->nstart), s + k->nstart);
				goto out;
			}
			struct tok *o = &p->toks[stack[depth].tok];
			if (!S_same_name(p, o, k)) {
				diag_error(
				    p->t->path, k->line, k->col,
				    "closing tag '{{/%.*s}}' does not match '{{%c%.*s}}' opened "
				    "at line %u, column %u",
				    (int)(k->nend - k->nstart), s + k->nstart, o->type,
				    (int)(o->nend - o->nstart), s + o->nstart, (unsigned)o->line,
				    (unsigned)o->col);
				goto out;
			}
			struct level done = stack[depth--];
			l = &stack[depth];
			struct mu_node *n = S_add_node(l);
			n->kind = o->type == '#'   ? N_SECTION
			          : o->type == '^' ? N_INVERTED
			          : o->type == '<' ? N_PARENT
			                           : N_BLOCK;
			n->s = s + o->nstart;
			n->len = o->nend - o->nstart;
			n->line = o->line;
			n->col = o->col;
			n->dynamic = o->dynamic;
			n->standalone = o->standalone;
			n->ind = s + o->ind_start;
			n->ind_len = o->ind_end - o->ind_start;
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
				bol = 0;
			break;
		}
		}
	}
	if (depth > 0) {
		struct tok *o = &p->toks[stack[depth].tok];
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

/* Compiles with the given initial delimiters (lambdas keep the section's). */
static struct mu_template *
S_compile(const char *path, const char *text, size_t len, const char *otag, size_t olen,
          const char *ctag, size_t clen)
{
	struct mu_template *t = xcalloc(1, sizeof *t);
	t->path = xstrdup(path);
	t->src = xstrndup(text, len);
	t->len = len;

	struct parser p = {.t = t, .src = t->src, .len = t->len, .at = txt_pos_at(0)};
	p.otag = otag ? otag : "{{";
	p.olen = otag ? olen : 2;
	p.ctag = ctag ? ctag : "}}";
	p.clen = ctag ? clen : 2;
	if (S_tokenize(&p) < 0 || (S_find_standalone(&p), S_build(&p, &t->root) < 0)) {
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
	return S_compile(path, text, len, NULL, 0, NULL, 0);
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
	pthread_mutex_destroy(&env->lock);
	free(env);
}

/* Looks name up in the cache, loading and compiling it the first time.
   Sets *found to whether a template by that name exists. */
static struct mu_template *
S_lookup(struct mu_env *env, const char *name, size_t len, int *found)
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
		e->t = S_compile(path ? path : e->name, text.data, text.len, NULL, 0, NULL, 0);
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
	struct mu_template *t = S_lookup(env, name, strlen(name), &found);
	if (!t && !found)
		diag_error(name, 0, 0, "no template named '%s'", name);
	return t;
}

/* ---------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------- */

struct inherit {
	const struct mu_node *call; /* a parent tag; its block kids override */
	const struct mu_template *t;
};

struct render {
	struct mu_env *env;
	const struct mu_data *d;
	struct buf *out;
	const void **ctx; /* the context stack, top last */
	size_t nctx, capctx;
	struct inherit *inh; /* parents being rendered, outermost first */
	size_t ninh, capinh;
	struct buf indent;   /* indentation pieces; the current one is a suffix */
	struct buf scratch;  /* a value's text before escaping, reused */
	struct buf name;     /* a partial's name, reused */
	unsigned depth;      /* partials and parents nested */
	unsigned long steps; /* nodes visited, against MU_MAX_STEPS */
	size_t mark;         /* where this render's output starts */
	int failed;
};

/* Replacement lengths for the bytes HTML escaping changes; 0 elsewhere. */
static const unsigned char S_esc_len[256] = {
    ['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\''] = 5,
};

/* Whether one of the eight bytes of x is 0 (the exact test: a borrow
   never reaches a byte that is not 0 itself). */
static inline uint64_t
S_zero_byte(uint64_t x)
{
	const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
	return ~(((x & low7) + low7) | x | low7);
}

/* Whether one of the eight bytes of x is & < > " or '. */
static inline int
S_has_special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL;
	return (S_zero_byte(x ^ ('&' * ones)) | S_zero_byte(x ^ ('<' * ones)) |
	        S_zero_byte(x ^ ('>' * ones)) | S_zero_byte(x ^ ('"' * ones)) |
	        S_zero_byte(x ^ ('\'' * ones))) != 0;
}

void
mu_escape_html(struct buf *out, const char *s, size_t len)
{
	/* one pass to size the result, one to write it: no per-byte growth;
	   eight bytes at a time, looked at one by one only when they hold
	   one of the five characters */
	size_t extra = 0, i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, sizeof x);
		if (!S_has_special(x))
			continue;
		for (size_t k = i; k < i + 8; k++)
			extra += S_esc_len[(unsigned char)s[k]];
	}
	for (; i < len; i++)
		extra += S_esc_len[(unsigned char)s[i]];
	if (extra == 0) {
		buf_add(out, s, len);
		return;
	}
	buf_grow(out, len + extra);
	char *w = out->data + out->len;
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': memcpy(w, "&amp;", 5), w += 5; break;
		case '<': memcpy(w, "&lt;", 4), w += 4; break;
		case '>': memcpy(w, "&gt;", 4), w += 4; break;
		case '"': memcpy(w, "&quot;", 6), w += 6; break;
		case '\'': memcpy(w, "&#39;", 5), w += 5; break;
		default: *w++ = s[i]; break;
		}
	}
	out->len = (size_t)(w - out->data);
	out->data[out->len] = '\0';
}

static void
S_push_ctx(struct render *r, const void *v)
{
	r->ctx = xgrow(r->ctx, &r->capctx, r->nctx, sizeof *r->ctx, 16);
	r->ctx[r->nctx++] = v;
}

/*
 * Resolves a (dotted) name against the context stack: the first part in
 * the nearest context that has it, the others inside that value.
 */
static const void *
S_resolve(struct render *r, const char *name, size_t len)
{
	const struct mu_data *d = r->d;
	if (len == 1 && name[0] == '.')
		return r->nctx ? r->ctx[r->nctx - 1] : NULL;
	const char *dot = memchr(name, '.', len);
	size_t seg = dot ? (size_t)(dot - name) : len;
	const void *v = NULL;
	for (size_t i = r->nctx; i-- > 0;) {
		const void *c = r->ctx[i];
		if (d->type(d->ud, c) == MU_MAP && (v = d->get(d->ud, c, name, seg)) != NULL)
			break;
	}
	while (v && dot) {
		name = dot + 1;
		len -= seg + 1;
		dot = memchr(name, '.', len);
		seg = dot ? (size_t)(dot - name) : len;
		v = d->type(d->ud, v) == MU_MAP ? d->get(d->ud, v, name, seg) : NULL;
	}
	return v;
}

static const void *
S_lookup_var(struct render *r, const struct mu_template *t, const struct mu_node *n)
{
	const void *v = S_resolve(r, n->s, n->len);
	if (!v && (r->env->flags & MU_STRICT)) {
		diag_error(t->path, n->line, n->col, "'%.*s' resolves to nothing", (int)n->len,
		           n->s);
		r->failed = 1;
	}
	return v;
}

static int
S_truthy(struct render *r, const void *v)
{
	if (!v)
		return 0;
	switch (r->d->type(r->d->ud, v)) {
	case MU_NULL:
	case MU_FALSE: return 0;
	case MU_LIST: return r->d->count(r->d->ud, v) > 0;
	default: return 1;
	}
}

/* Counts one more level of partial, parent, block or lambda expansion;
   reports and returns -1 past MU_MAX_DEPTH, which only recursion reaches. */
static int
S_enter(struct render *r, const struct mu_template *t, const struct mu_node *n, int sigil)
{
	if (r->depth < MU_MAX_DEPTH) {
		r->depth++;
		return 0;
	}
	diag_error(t->path, n->line, n->col,
	           "'{{%c%.*s}}' nests more than %d deep; is it including itself?", sigil,
	           (int)n->len, n->s, MU_MAX_DEPTH);
	r->failed = 1;
	return -1;
}

static void S_render_nodes(struct render *r, const struct mu_template *t,
                           const struct mu_node *kids, size_t n, size_t istart, size_t strip);

/* Calls a lambda and renders what it returns with the given delimiters. */
static void
S_render_lambda(struct render *r, const struct mu_template *t, const struct mu_node *n,
                const void *fn, const char *section, size_t slen, int escape)
{
	const struct mu_data *d = r->d;
	if (S_enter(r, t, n, section ? '#' : ' ') < 0)
		return;
	struct buf text = BUF_INIT;
	if (!d->call || d->call(d->ud, fn, section, slen, &text) < 0) {
		if (!d->call)
			diag_error(t->path, n->line, n->col,
			           "'%.*s' is a lambda, which this data "
			           "cannot call",
			           (int)n->len, n->s);
		r->failed = 1;
		buf_release(&text);
		r->depth--;
		return;
	}
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s:%u:%u: lambda '%.*s'", t->path, (unsigned)n->line, (unsigned)n->col,
	           (int)n->len, n->s);
	struct mu_template *lt =
	    section ? S_compile(path.data, text.data, text.len, n->otag, n->olen, n->ctag, n->clen)
	            : S_compile(path.data, text.data, text.len, NULL, 0, NULL, 0);
	buf_release(&path);
	buf_release(&text);
	if (!lt) {
		r->failed = 1;
		r->depth--;
		return;
	}
	if (escape) {
		struct buf *saved = r->out;
		struct buf tmp = BUF_INIT;
		r->out = &tmp;
		S_render_nodes(r, lt, lt->root.kids, lt->root.nkids, r->indent.len, 0);
		r->out = saved;
		mu_escape_html(r->out, tmp.data, tmp.len);
		buf_release(&tmp);
	} else {
		S_render_nodes(r, lt, lt->root.kids, lt->root.nkids, r->indent.len, 0);
	}
	mu_template_free(lt);
	r->depth--;
}

static void
S_interpolate(struct render *r, const struct mu_template *t, const struct mu_node *n)
{
	const void *v = S_lookup_var(r, t, n);
	if (!v)
		return;
	const struct mu_data *d = r->d;
	switch (d->type(d->ud, v)) {
	case MU_NULL:
	case MU_LIST:
	case MU_MAP: return;
	case MU_LAMBDA: S_render_lambda(r, t, n, v, NULL, 0, n->kind == N_VAR); return;
	default: break;
	}
	if (n->kind == N_RAW) {
		d->text(d->ud, v, r->out);
		return;
	}
	size_t len;
	const char *s = d->string ? d->string(d->ud, v, &len) : NULL;
	if (s) {
		mu_escape_html(r->out, s, len);
		return;
	}
	buf_reset(&r->scratch);
	d->text(d->ud, v, &r->scratch);
	mu_escape_html(r->out, r->scratch.data, r->scratch.len);
}

static void
S_section(struct render *r, const struct mu_template *t, const struct mu_node *n, size_t istart,
          size_t strip)
{
	const void *v = S_lookup_var(r, t, n);
	if (!v)
		return;
	const struct mu_data *d = r->d;
	switch (d->type(d->ud, v)) {
	case MU_NULL:
	case MU_FALSE: return;
	case MU_LAMBDA: S_render_lambda(r, t, n, v, n->raw, n->raw_len, 0); return;
	case MU_LIST: {
		size_t count = d->count(d->ud, v);
		for (size_t i = 0; i < count && !r->failed; i++) {
			S_push_ctx(r, d->item(d->ud, v, i));
			S_render_nodes(r, t, n->kids, n->nkids, istart, strip);
			r->nctx--;
		}
		return;
	}
	default:
		S_push_ctx(r, v);
		S_render_nodes(r, t, n->kids, n->nkids, istart, strip);
		r->nctx--;
		return;
	}
}

/* The name a partial or parent tag refers to, looked up for dynamic names.
   Returns 0 when a dynamic name resolves to no string. */
static int
S_target_name(struct render *r, const struct mu_template *t, const struct mu_node *n,
              struct buf *name)
{
	if (!n->dynamic) {
		buf_add(name, n->s, n->len);
		return 1;
	}
	const void *v = S_lookup_var(r, t, n);
	if (!v || r->d->type(r->d->ud, v) != MU_STRING)
		return 0;
	r->d->text(r->d->ud, v, name);
	return 1;
}

/* Loads the target of a partial or parent tag; NULL when there is nothing
   to render (a missing template is an error unless the env says empty). */
static const struct mu_template *
S_target(struct render *r, const struct mu_template *t, const struct mu_node *n)
{
	struct buf *name = &r->name;
	const struct mu_template *pt = NULL;
	buf_reset(name);
	if (!S_target_name(r, t, n, name))
		return NULL;
	int found = 0;
	pt = S_lookup(r->env, name->data, name->len, &found);
	if (!pt && found) {
		diag_error(t->path, n->line, n->col,
		           "'{{%c%s}}' names a template that does not "
		           "compile",
		           n->kind == N_PARENT ? '<' : '>', name->data);
		r->failed = 1;
	} else if (!pt && !(r->env->flags & MU_MISSING_PARTIAL_EMPTY)) {
		diag_error(t->path, n->line, n->col,
		           "'{{%c%s}}': no template named '%s'; add %s.mustache to the templates",
		           n->kind == N_PARENT ? '<' : '>', name->data, name->data, name->data);
		r->failed = 1;
	}
	return pt;
}

/* Appends a standalone tag's indentation (less `strip` bytes) to the
   current indentation. */
static void
S_push_indent(struct render *r, const struct mu_node *n, size_t strip)
{
	if (n->ind_len > strip)
		buf_add(&r->indent, n->ind + strip, n->ind_len - strip);
}

static void
S_partial(struct render *r, const struct mu_template *t, const struct mu_node *n, size_t istart,
          size_t strip)
{
	const struct mu_template *pt = S_target(r, t, n);
	if (!pt || S_enter(r, t, n, '>') < 0)
		return;
	size_t saved = r->indent.len;
	/* a partial inside a line is not indented; a standalone one is indented
	   like its tag */
	size_t ist = n->standalone ? istart : saved;
	if (n->standalone)
		S_push_indent(r, n, strip);
	S_render_nodes(r, pt, pt->root.kids, pt->root.nkids, ist, 0);
	r->depth--;
	buf_truncate(&r->indent, saved);
}

static void
S_parent(struct render *r, const struct mu_template *t, const struct mu_node *n, size_t istart,
         size_t strip)
{
	const struct mu_template *pt = S_target(r, t, n);
	if (!pt || S_enter(r, t, n, '<') < 0)
		return;
	r->inh = xgrow(r->inh, &r->capinh, r->ninh, sizeof *r->inh, 8);
	r->inh[r->ninh].call = n;
	r->inh[r->ninh].t = t;
	r->ninh++;
	size_t saved = r->indent.len;
	size_t ist = n->standalone ? istart : saved;
	if (n->standalone)
		S_push_indent(r, n, strip);
	S_render_nodes(r, pt, pt->root.kids, pt->root.nkids, ist, 0);
	r->depth--;
	buf_truncate(&r->indent, saved);
	r->ninh--;
}

/* The block overriding name, from the outermost parent that has one. */
static const struct mu_node *
S_override(struct render *r, const struct mu_node *n, const struct mu_template **ot)
{
	for (size_t i = 0; i < r->ninh; i++) {
		const struct mu_node *call = r->inh[i].call;
		for (size_t k = 0; k < call->nkids; k++) {
			const struct mu_node *b = &call->kids[k];
			if (b->kind == N_BLOCK && b->len == n->len && !memcmp(b->s, n->s, n->len)) {
				*ot = r->inh[i].t;
				return b;
			}
		}
	}
	return NULL;
}

static void
S_block(struct render *r, const struct mu_template *t, const struct mu_node *n, size_t istart,
        size_t strip)
{
	const struct mu_template *ot = NULL;
	const struct mu_node *o = S_override(r, n, &ot);
	if (S_enter(r, t, n, '$') < 0)
		return;
	if (!n->standalone) {
		if (o)
			S_render_nodes(r, ot, o->kids, o->nkids, r->indent.len,
			               o->standalone ? o->margin : 0);
		else
			S_render_nodes(r, t, n->kids, n->nkids, istart, strip);
		r->depth--;
		return;
	}
	/* A standalone block is re-indented: its body's own indentation, or
	   else the tag's, goes before every line of whatever fills it. */
	size_t saved = r->indent.len;
	size_t margin = n->margin > strip ? n->margin - strip : 0;
	if (margin > 0) {
		const char *line = n->raw;
		/* the body's first non-blank line carries the margin */
		const char *end = n->raw + n->raw_len;
		const char *p = line;
		while (p < end) {
			const char *q = p;
			while (q < end && S_is_ws(*q))
				q++;
			if (q < end && *q != '\n' && *q != '\r' && (size_t)(q - p) >= n->margin) {
				buf_add(&r->indent, p + strip, margin);
				break;
			}
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
		}
	} else {
		S_push_indent(r, n, strip);
	}
	if (o)
		S_render_nodes(r, ot, o->kids, o->nkids, istart, o->standalone ? o->margin : 0);
	else
		S_render_nodes(r, t, n->kids, n->nkids, istart, strip + margin);
	buf_truncate(&r->indent, saved);
	r->depth--;
}

static void
S_render_nodes(struct render *r, const struct mu_template *t, const struct mu_node *kids, size_t n,
               size_t istart, size_t strip)
{
	if (r->steps + n > MU_MAX_STEPS || r->out->len > r->mark + MU_MAX_OUTPUT) {
		if (!r->failed)
			diag_error(
			    t->path, n ? kids[0].line : 0, n ? kids[0].col : 0,
			    "rendering stopped: over %lu template steps or %zu bytes of output; "
			    "are sections nested over long lists?",
			    MU_MAX_STEPS, MU_MAX_OUTPUT);
		r->failed = 1;
		return;
	}
	r->steps += n;
	for (size_t i = 0; i < n && !r->failed; i++) {
		const struct mu_node *k = &kids[i];
		if (k->bol && r->indent.len > istart) {
			int blank = k->kind == N_TEXT &&
			            (k->s[0] == '\n' || (k->s[0] == '\r' && k->len == 2));
			int inline_tag =
			    (k->kind == N_PARTIAL || k->kind == N_PARENT || k->kind == N_BLOCK) &&
			    !k->standalone;
			if (!blank && (k->kind == N_TEXT || k->kind == N_VAR || k->kind == N_RAW ||
			               inline_tag))
				buf_add(r->out, r->indent.data + istart, r->indent.len - istart);
		}
		switch (k->kind) {
		case N_TEXT: {
			const char *s = k->s;
			size_t len = k->len;
			if (k->bol)
				for (size_t j = 0; j < strip && len > 0 && S_is_ws(*s); j++)
					s++, len--;
			buf_add(r->out, s, len);
			break;
		}
		case N_VAR:
		case N_RAW: S_interpolate(r, t, k); break;
		case N_SECTION: S_section(r, t, k, istart, strip); break;
		case N_INVERTED: {
			const void *v = S_lookup_var(r, t, k);
			if (!S_truthy(r, v) && !(v && r->d->type(r->d->ud, v) == MU_LAMBDA))
				S_render_nodes(r, t, k->kids, k->nkids, istart, strip);
			break;
		}
		case N_PARTIAL: S_partial(r, t, k, istart, strip); break;
		case N_PARENT: S_parent(r, t, k, istart, strip); break;
		case N_BLOCK: S_block(r, t, k, istart, strip); break;
		}
	}
}

int
mu_render(struct mu_env *env, const struct mu_template *t, const struct mu_data *data,
          const void *root, struct buf *out)
{
	struct render r = {.env = env, .d = data, .out = out, .mark = out->len};
	buf_init(&r.indent);
	buf_init(&r.scratch);
	buf_init(&r.name);
	size_t mark = out->len;
	S_push_ctx(&r, root);
	S_render_nodes(&r, t, t->root.kids, t->root.nkids, 0, 0);
	free(r.ctx);
	free(r.inh);
	buf_release(&r.indent);
	buf_release(&r.scratch);
	buf_release(&r.name);
	if (r.failed) {
		buf_truncate(out, mark);
		return -1;
	}
	return 0;
}
