#include "mustache_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "xalloc.h"

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

/* Whether v is "" or 0, which sections treat as false (as mustache.js
   does, and as a template author writing {{#count}} expects). */
static int
S_empty_scalar(struct render *r, const void *v, enum mu_type type)
{
	if (type != MU_STRING && type != MU_NUMBER)
		return 0;
	size_t len;
	const char *s = r->d->string ? r->d->string(r->d->ud, v, &len) : NULL;
	if (!s) {
		buf_reset(&r->scratch);
		r->d->text(r->d->ud, v, &r->scratch);
		s = r->scratch.data, len = r->scratch.len;
	}
	if (type == MU_STRING)
		return len == 0;
	char num[64];
	if (len >= sizeof num)
		return 0;
	memcpy(num, s, len);
	num[len] = '\0';
	char *end;
	double x = strtod(num, &end);
	return end != num && x == 0;
}

static int
S_truthy(struct render *r, const void *v)
{
	if (!v)
		return 0;
	enum mu_type type = r->d->type(r->d->ud, v);
	switch (type) {
	case MU_NULL:
	case MU_FALSE: return 0;
	case MU_LIST: return r->d->count(r->d->ud, v) > 0;
	default: return !S_empty_scalar(r, v, type);
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
	    section ? mu_compile_with(path.data, text.data, text.len, n->otag, n->olen, n->ctag,
	                              n->clen)
	            : mu_compile_with(path.data, text.data, text.len, NULL, 0, NULL, 0);
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

/* Warns of a variable that resolves to nothing, the first time its place
   is rendered (MU_WARN_UNRESOLVED). */
static void
S_warn_unresolved(struct render *r, const struct mu_template *t, const struct mu_node *n)
{
	int first = mu_env_first_time(r->env, n);
	if (first)
		diag_warning(t->path, n->line, n->col,
		             "'%.*s' resolves to nothing here; it renders as nothing", (int)n->len,
		             n->s);
}

static void
S_interpolate(struct render *r, const struct mu_template *t, const struct mu_node *n)
{
	const void *v = S_lookup_var(r, t, n);
	if (!v && (r->env->flags & (MU_WARN_UNRESOLVED | MU_STRICT)) == MU_WARN_UNRESOLVED)
		S_warn_unresolved(r, t, n);
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
	enum mu_type type = d->type(d->ud, v);
	if (S_empty_scalar(r, v, type))
		return;
	switch (type) {
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
	pt = mu_env_lookup(r->env, name->data, name->len, &found);
	if (!pt && found) {
		if (mu_env_first_time(r->env, n))
			diag_error(t->path, n->line, n->col,
			           "'{{%c%s}}' names a template that does not compile",
			           n->kind == N_PARENT ? '<' : '>', name->data);
		r->failed = 1;
	} else if (!pt && !(r->env->flags & MU_MISSING_PARTIAL_EMPTY)) {
		if (mu_env_first_time(r->env, n))
			diag_error(t->path, n->line, n->col,
			           "'{{%c%s}}': no template named '%s'; add %s.mustache to the "
			           "templates",
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
			while (q < end && mu_is_ws(*q))
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
				for (size_t j = 0; j < strip && len > 0 && mu_is_ws(*s); j++)
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
