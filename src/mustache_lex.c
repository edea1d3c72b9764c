#include "mustache_int.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * Tokenizer
 * ------------------------------------------------------------------- */

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
S_push_tok(struct mu_parser *p)
{
	p->toks = xgrow(p->toks, &p->captoks, p->ntoks, sizeof *p->toks, 32);
	struct tok *k = &p->toks[p->ntoks++];
	memset(k, 0, sizeof *k);
	return k;
}

static void
S_push_text(struct mu_parser *p, size_t start, size_t end)
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
	while (*a < *b && mu_is_space(s[*a]))
		(*a)++;
	while (*b > *a && mu_is_space(s[*b - 1]))
		(*b)--;
}

static int
S_has_space(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (mu_is_space(s[i]))
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
S_tokenize(struct mu_parser *p)
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
			while (b1 < nb && !mu_is_space(s[b1]))
				b1++;
			size_t a2 = b1;
			while (a2 < nb && mu_is_space(s[a2]))
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
S_alone_before(struct mu_parser *p, size_t i, size_t *ws_start)
{
	if (i == 0) {
		*ws_start = p->toks[i].start;
		return 1;
	}
	struct tok *k = &p->toks[i - 1];
	if (k->type != T_TEXT)
		return 0;
	size_t j = k->end;
	while (j > k->start && mu_is_ws(p->src[j - 1]))
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
S_alone_after(struct mu_parser *p, size_t i, size_t *rest_end, size_t *nl_start)
{
	if (i + 1 == p->ntoks) {
		*rest_end = *nl_start = p->toks[i].end;
		return 1;
	}
	struct tok *k = &p->toks[i + 1];
	if (k->type != T_TEXT)
		return 0;
	size_t j = k->start;
	while (j < k->end && mu_is_ws(p->src[j]))
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
S_mark_standalone(struct mu_parser *p, size_t first, size_t last, int keep_newline)
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

static void
S_find_standalone(struct mu_parser *p)
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
		if (a->type == '$' && b->type == '/' && mu_same_name(p, a, b))
			pair = keep_newline = 1;
		else if (a->type == '<' && b->type == '/' && mu_same_name(p, a, b))
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

int
mu_lex(struct mu_parser *p)
{
	if (S_tokenize(p) < 0)
		return -1;
	S_find_standalone(p);
	return 0;
}
