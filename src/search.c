#include "search.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "repair.h"
#include "xalloc.h"

/* Field weights: a title is counted apart, so the page can rank it first. */
#define W_KICKER 6
#define W_BYLINE 4
#define W_BODY   1
/* Characters of opening text kept per document, for snippets. */
#define DOC_TEXT 160

/* ---------------------------------------------------------------------
 * Tokens
 * ------------------------------------------------------------------- */

/* Folds one code point: traditional to simplified, full width to ASCII,
   Latin to lower case. */
static uint32_t
S_fold(const struct gazetteer *gz, uint32_t c)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		c -= 0xFEE0;
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	return gz_fold(gz, c);
}

static int
S_alnum(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static void
S_put(struct buf *b, uint32_t c)
{
	char u[4];
	size_t n;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3F));
		u[2] = (char)(0x80 | (c >> 6 & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

typedef void (*token_fn)(void *ctx, const char *tok, size_t len);

/* Calls fn for every token of text: each Han character, each pair of
   neighbouring Han characters, each Latin word or number. */
static void
S_each_token(const struct gazetteer *gz, const char *text, token_fn fn, void *ctx)
{
	size_t len = text ? strlen(text) : 0, i = 0, k;
	uint32_t prev = 0; /* the previous Han character, 0 after anything else */
	struct buf tok = BUF_INIT;
	while (i < len) {
		uint32_t c = S_fold(gz, rep_decode(text + i, len - i, &k));
		i += k;
		if (rep_is_han(c)) {
			buf_reset(&tok);
			S_put(&tok, c);
			fn(ctx, tok.data, tok.len);
			if (prev) {
				buf_reset(&tok);
				S_put(&tok, prev);
				S_put(&tok, c);
				fn(ctx, tok.data, tok.len);
			}
			prev = c;
		} else if (S_alnum(c)) {
			buf_reset(&tok);
			S_put(&tok, c);
			while (i < len) {
				uint32_t d = S_fold(gz, rep_decode(text + i, len - i, &k));
				if (!S_alnum(d))
					break;
				S_put(&tok, d);
				i += k;
			}
			fn(ctx, tok.data, tok.len);
			prev = 0;
		} else {
			prev = 0;
		}
	}
	buf_release(&tok);
}

static void
S_collect(void *ctx, const char *tok, size_t len)
{
	struct buf *out = ctx;
	buf_add(out, tok, len);
	buf_addc(out, '\n');
}

void
search_tokens(const struct gazetteer *gz, const char *text, struct buf *out)
{
	S_each_token(gz, text, S_collect, out);
}

/* ---------------------------------------------------------------------
 * The index
 * ------------------------------------------------------------------- */

struct posting {
	uint32_t doc, title, weight;
};

struct token {
	char *text;
	uint32_t first; /* its first code point, for the shard */
	struct posting *p;
	size_t n, cap;
};

struct index {
	struct token *t;
	size_t n, cap;
	int32_t *slots; /* hash: token text -> index in t, -1 empty */
	size_t nslots;
	uint32_t doc; /* the document being added */
	int title;    /* adding its title */
	uint32_t weight;
};

static uint64_t
S_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

static void
S_rehash(struct index *ix)
{
	free(ix->slots);
	ix->nslots = ix->nslots ? ix->nslots * 2 : 4096;
	ix->slots = xmalloc(ix->nslots * sizeof *ix->slots);
	for (size_t i = 0; i < ix->nslots; i++)
		ix->slots[i] = -1;
	for (size_t i = 0; i < ix->n; i++) {
		size_t j = (size_t)S_hash(ix->t[i].text, strlen(ix->t[i].text)) & (ix->nslots - 1);
		while (ix->slots[j] >= 0)
			j = (j + 1) & (ix->nslots - 1);
		ix->slots[j] = (int32_t)i;
	}
}

static void
S_add(void *ctx, const char *tok, size_t len)
{
	struct index *ix = ctx;
	if (ix->n * 2 >= ix->nslots)
		S_rehash(ix);
	size_t j = (size_t)S_hash(tok, len) & (ix->nslots - 1);
	while (ix->slots[j] >= 0) {
		const char *t = ix->t[ix->slots[j]].text;
		if (strlen(t) == len && !memcmp(t, tok, len))
			break;
		j = (j + 1) & (ix->nslots - 1);
	}
	struct token *t;
	if (ix->slots[j] < 0) {
		ix->t = xgrow(ix->t, &ix->cap, ix->n, sizeof *ix->t, 4096);
		t = &ix->t[ix->n];
		memset(t, 0, sizeof *t);
		t->text = xstrndup(tok, len);
		size_t k;
		t->first = rep_decode(tok, len, &k);
		ix->slots[j] = (int32_t)ix->n++;
	} else {
		t = &ix->t[ix->slots[j]];
	}
	if (!t->n || t->p[t->n - 1].doc != ix->doc) {
		t->p = xgrow(t->p, &t->cap, t->n, sizeof *t->p, 4);
		t->p[t->n++] = (struct posting){.doc = ix->doc};
	}
	struct posting *p = &t->p[t->n - 1];
	if (ix->title)
		p->title++;
	else
		p->weight += ix->weight;
}

static const char *
S_sget(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void
S_index_doc(const struct gazetteer *gz, struct index *ix, const json_t *r)
{
	ix->title = 1;
	S_each_token(gz, S_sget(r, "title"), S_add, ix);
	ix->title = 0;
	ix->weight = W_KICKER;
	S_each_token(gz, S_sget(r, "kicker"), S_add, ix);
	ix->weight = W_BYLINE;
	const char *lists[] = {"reporters", "photographers"};
	for (int l = 0; l < 2; l++) {
		size_t i;
		json_t *name;
		json_array_foreach (json_object_get(r, lists[l]), i, name) {
			S_each_token(gz, json_string_value(name), S_add, ix);
		}
	}
	ix->weight = W_BODY;
	S_each_token(gz, S_sget(r, "subtitle"), S_add, ix);
	size_t i;
	json_t *b;
	json_array_foreach (json_object_get(r, "blocks"), i, b) {
		S_each_token(
		    gz, S_sget(b, json_is_string(json_object_get(b, "text")) ? "text" : "caption"),
		    S_add, ix);
	}
}

/* Writes `name` under search/ as "baokuSearch.fn(ARG);" */
static int
S_write_js(struct output *out, const char *name, const char *fn, const char *arg,
           struct search_stats *st, json_t *value)
{
	struct buf path = BUF_INIT, js = BUF_INIT;
	buf_printf(&path, "search/%s", name);
	char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	buf_printf(&js, "baokuSearch.%s(%s%s%s);\n", fn, arg ? arg : "", arg ? "," : "", text);
	free(text);
	int rc = out_write(out, path.data, js.data, js.len);
	st->bytes += js.len;
	buf_release(&path);
	buf_release(&js);
	return rc;
}

int
search_build(const struct gazetteer *gz, json_t **records, size_t n, struct output *out,
             struct search_stats *st)
{
	memset(st, 0, sizeof *st);
	struct index ix = {0};
	S_rehash(&ix);
	json_t *docs = json_array();
	for (size_t d = 0; d < n; d++) {
		const json_t *r = records[d];
		ix.doc = (uint32_t)d;
		S_index_doc(gz, &ix, r);
		const json_t *dist = json_object_get(r, "district");
		const char *date = S_sget(r, "date");
		/* opening text for snippets: the first paragraphs */
		struct buf text = BUF_INIT;
		size_t i;
		json_t *b;
		json_array_foreach (json_object_get(r, "blocks"), i, b) {
			const char *t = S_sget(b, "text");
			if (*t && text.len < DOC_TEXT * 3) {
				if (text.len)
					buf_addc(&text, ' ');
				buf_adds(&text, t);
			}
		}
		size_t cut = 0, chars = 0, k;
		while (cut < text.len && chars < DOC_TEXT) {
			rep_decode(text.data + cut, text.len - cut, &k);
			cut += k;
			chars++;
		}
		buf_truncate(&text, cut);
		const char *slug = S_sget(dist, "slug");
		const char *slash = strchr(slug, '/');
		struct buf names = BUF_INIT;
		json_t *name;
		json_array_foreach (json_object_get(r, "reporters"), i, name) {
			buf_printf(&names, "%s%s", names.len ? " " : "", json_string_value(name));
		}
		json_array_append_new(docs,
		                      json_pack("[s,s,s,s,s%,s%,s%,s%]", S_sget(r, "title"),
		                                S_sget(r, "href"), date, S_sget(dist, "group"),
		                                slug, slash ? (size_t)(slash - slug) : strlen(slug),
		                                date, strlen(date) >= 4 ? (size_t)4 : (size_t)0,
		                                text.data, text.len, names.data, names.len));
		buf_release(&names);

		buf_release(&text);
	}
	/* shards: enough that each stays near the budget */
	size_t bytes = 0;
	for (size_t t = 0; t < ix.n; t++)
		bytes += strlen(ix.t[t].text) + 4 + ix.t[t].n * 12;
	size_t shards = bytes / SEARCH_SHARD_BYTES + 1;
	json_t **shard = xcalloc(shards, sizeof *shard);
	for (size_t s = 0; s < shards; s++)
		shard[s] = json_object();
	for (size_t t = 0; t < ix.n; t++) {
		json_t *p = json_array();
		for (size_t i = 0; i < ix.t[t].n; i++) {
			json_array_append_new(p, json_integer(ix.t[t].p[i].doc));
			json_array_append_new(p, json_integer(ix.t[t].p[i].title));
			json_array_append_new(p, json_integer(ix.t[t].p[i].weight));
		}
		json_object_set_new(shard[ix.t[t].first % shards], ix.t[t].text, p);
	}
	int rc = 0;
	char arg[32];
	for (size_t s = 0; s < shards && rc == 0; s++) {
		char name[48];
		snprintf(name, sizeof name, "shard-%zu.js", s);
		snprintf(arg, sizeof arg, "%zu", s);
		rc = S_write_js(out, name, "shard", arg, st, shard[s]);
	}
	if (rc == 0)
		rc = S_write_js(out, "docs.js", "docs", NULL, st, docs);
	/* traditional -> simplified, for queries */
	json_t *fold = json_object();
	for (uint32_t c = 0x4E00; c <= 0x9FFF; c++) {
		uint32_t f = gz_fold(gz, c);
		if (f != c) {
			struct buf a = BUF_INIT, b = BUF_INIT;
			S_put(&a, c);
			S_put(&b, f);
			json_object_set_new(fold, a.data, json_stringn(b.data, b.len));
			buf_release(&a);
			buf_release(&b);
		}
	}
	if (rc == 0)
		rc = S_write_js(out, "fold.js", "fold", NULL, st, fold);
	json_t *meta = json_pack("{s:I,s:I}", "shards", (json_int_t)shards, "docs", (json_int_t)n);
	if (rc == 0)
		rc = S_write_js(out, "meta.js", "meta", NULL, st, meta);
	st->docs = n;
	st->tokens = ix.n;
	st->shards = shards;
	json_decref(meta);
	json_decref(fold);
	json_decref(docs);
	for (size_t s = 0; s < shards; s++)
		json_decref(shard[s]);
	free(shard);
	for (size_t t = 0; t < ix.n; t++) {
		free(ix.t[t].text);
		free(ix.t[t].p);
	}
	free(ix.t);
	free(ix.slots);
	return rc;
}
