#include "search_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chars.h"
#include "diag.h"
#include "hmap.h"
#include "mujson.h"
#include "output.h"
#include "text.h"
#include "xalloc.h"

/* Documents per docs-K.js file. */
#define DOC_CHUNK SEARCH_DOC_CHUNK

static void
S_put_b32(struct buf *b, uint64_t v)
{
	buf_grow(b, 16);
	b->len += search_b32(b->data + b->len, v);
	b->data[b->len] = '\0';
}

/* A token of the index: its text, and its postings in each table. */
struct named {
	char *text;
	uint64_t key;
	uint32_t shard;
	struct token *t[MAX_PARTS];
};

/* A token's key looked for among the named ones. */
struct named_key {
	const struct named *v;
	uint64_t key;
};

static int
S_is_named(const void *ctx, size_t i)
{
	const struct named_key *k = ctx;
	return k->v[i].key == k->key;
}

static int
S_cmp_named(const void *x, const void *y)
{
	const struct named *a = x, *b = y;
	if (a->shard != b->shard)
		return a->shard < b->shard ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* Appends a token's postings, table after table: each table's list
   starts from document 0, so its first number is written again relative
   to the previous table's last document. */
static void
S_put_postings(struct buf *js, const struct named *v, unsigned parts)
{
	uint64_t last = 0; /* the last document written, + 1 */
	for (unsigned p = 0; p < parts; p++) {
		const struct token *t = v->t[p];
		if (!t)
			continue;
		const char *s = t->postings;
		size_t i = 0;
		uint64_t first = 0;
		for (;; i++) {
			int c = (unsigned char)s[i];
			const char *at = strchr(SEARCH_CONT, c);
			if (c && at) {
				first = first * 32 + (uint64_t)(at - SEARCH_CONT);
				continue;
			}
			first = first * 32 + (uint64_t)(strchr(SEARCH_LAST, c) - SEARCH_LAST);
			i++;
			break;
		}
		uint64_t doc = first >> 2; /* + 1 */
		S_put_b32(js, (doc - last) << 2 | (first & 3));
		buf_add(js, s + i, t->len - i);
		last = t->last;
	}
}

/* Writes search/NAME as "baokuSearch.FN(ARG,TEXT);", TEXT being JSON;
   with a key, as a memo of what it was made from. */
static int
S_write_text(struct output *out, const char *name, const char *fn, const char *arg, uint64_t key,
             struct search_stats *st, const char *text, size_t len)
{
	struct buf path = BUF_INIT, js = BUF_INIT;
	buf_printf(&path, "search/%s", name);
	/* in pieces: printf would measure the long text twice */
	buf_adds(&js, "baokuSearch.");
	buf_adds(&js, fn);
	buf_addc(&js, '(');
	if (arg) {
		buf_adds(&js, arg);
		buf_addc(&js, ',');
	}
	buf_add(&js, text, len);
	buf_adds(&js, ");\n");
	int rc = key ? out_write_memo(out, path.data, key, js.data, js.len)
	             : out_write(out, path.data, js.data, js.len);
	st->bytes += js.len;
	buf_release(&path);
	buf_release(&js);
	return rc;
}

/* The same for a JSON value. */
static int
S_write_js(struct output *out, const char *name, const char *fn, struct search_stats *st,
           json_t *value)
{
	char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	int rc = S_write_text(out, name, fn, NULL, 0, st, text, strlen(text));
	free(text);
	return rc;
}

/* The shards: tokens grouped by their first character's code point
   modulo the shard count, each shard sorted by token. */
static int
S_write_shards(struct table *tb, unsigned parts, struct output *out, struct search_stats *st)
{
	/* every token once, with its lists in the tables: the first table's
	   tokens, then the others' looked up in a table of keys */
	size_t cap = 0, n = 0, bytes = 0;
	for (unsigned p = 0; p < parts; p++)
		cap += tb[p].n;
	struct named *v = xcalloc(cap ? cap : 1, sizeof *v);
	struct hmap index = {0}; /* of v, by key */
	hmap_reserve(&index, cap);
	struct buf text = BUF_INIT;
	for (unsigned p = 0; p < parts; p++)
		for (size_t i = 0; i < tb[p].n; i++) {
			struct token *t = &tb[p].t[i];
			struct named_key nk = {v, t->key};
			size_t j = hmap_probe(&index, t->key, S_is_named, &nk);
			size_t at = hmap_entry(&index, j);
			if (at == HMAP_NONE) {
				buf_reset(&text);
				search_token_text(&tb[p], t, &text);
				v[n].text = xstrndup(text.data, text.len);
				v[n].key = t->key;
				v[n].shard = search_first_cp(&tb[p], t);
				bytes += text.len + 6;
				hmap_fill(&index, j, t->key, at = n++);
			}
			v[at].t[p] = t;
			bytes += t->len;
		}
	hmap_free(&index);
	size_t shards = bytes / SEARCH_SHARD_BYTES + 1;
	for (size_t i = 0; i < n; i++)
		v[i].shard %= (uint32_t)shards;
	if (n > 1)
		qsort(v, n, sizeof *v, S_cmp_named);
	int rc = 0;
	struct buf js = BUF_INIT, path = BUF_INIT;
	for (size_t s = 0, i = 0; s < shards && rc == 0; s++) {
		/* what the shard is made of, to reuse the last build's */
		size_t end = i;
		uint64_t key = out_key(0, &s, sizeof s);
		for (; end < n && v[end].shard == s; end++) {
			key = out_key(key, v[end].text, strlen(v[end].text) + 1);
			for (unsigned p = 0; p < parts; p++) {
				const struct token *t = v[end].t[p];
				if (t) {
					key = out_key(key, t->postings, t->len);
					key = out_key(key, &t->last, sizeof t->last);
				}
				key = out_key(key, "|", 1);
			}
		}
		buf_reset(&path);
		buf_printf(&path, "search/shard-%zu.js", s);
		rc = out_reuse(out, path.data, key);
		if (rc == 1) {
			st->bytes += out_old_size(out, path.data);
			i = end;
			rc = 0;
			continue;
		}
		buf_reset(&js);
		buf_printf(&js, "baokuSearch.shard(%zu,{", s);
		for (int first = 1; i < end; i++, first = 0) {
			buf_printf(&js, "%s\"%s\":\"", first ? "" : ",", v[i].text);
			S_put_postings(&js, &v[i], parts);
			buf_addc(&js, '"');
		}
		buf_adds(&js, "});\n");
		if (rc == 0)
			rc = out_write_memo(out, path.data, key, js.data, js.len);
		st->bytes += js.len;
	}
	st->tokens = n;
	st->shards = shards;
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
	buf_release(&text);
	buf_release(&js);
	buf_release(&path);
	return rc;
}

/* Appends to p the index of document e's paper in papers (with its
   page's link), -1 for none; pi indexes papers by name. */
static void
S_paper_index(const struct search_entry *e, json_t *papers, json_t *pi, json_t *p)
{
	if (!e->paper || !*e->paper) {
		json_array_append_new(p, json_integer(-1));
		return;
	}
	json_t *ix = json_object_get(pi, e->paper);
	if (!ix) {
		ix = json_integer((json_int_t)json_array_size(papers));
		json_object_set_new(pi, e->paper, ix);
		json_array_append_new(papers,
		                      json_pack("[s,s]", e->paper, e->paper_href ? e->paper_href : ""));
	}
	json_array_append(p, ix);
}

/* search/meta.js: the counts, and each document's group, year and paper
   as indexes into lists, so filters and counts need no document file. */
static int
S_write_meta(const struct search_entry *docs, size_t n, size_t shards, struct output *out,
             struct search_stats *st)
{
	json_t *groups = json_array(), *years = json_array(), *g = json_array(), *y = json_array(),
	       *gi = json_object(), *yi = json_object(), *papers = json_array(), *p = json_array(),
	       *pi = json_object();
	for (size_t d = 0; d < n; d++) {
		S_paper_index(&docs[d], papers, pi, p);
		const char *slug = docs[d].group_slug, *date = docs[d].date;
		json_t *ix = json_object_get(gi, slug);
		if (!ix) {
			ix = json_integer((json_int_t)json_array_size(groups));
			json_object_set_new(gi, slug, ix);
			json_array_append_new(groups, json_pack("[s,s]", slug, docs[d].group));
		}
		json_array_append(g, ix);
		if (strlen(date) < 4) {
			json_array_append_new(y, json_integer(-1));
			continue;
		}
		char year[5];
		memcpy(year, date, 4);
		year[4] = '\0';
		ix = json_object_get(yi, year);
		if (!ix) {
			ix = json_integer((json_int_t)json_array_size(years));
			json_object_set_new(yi, year, ix);
			json_array_append_new(years, json_string(year));
		}
		json_array_append(y, ix);
	}
	json_t *meta = json_pack("{s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "shards",
	                         (json_int_t)shards, "docs", (json_int_t)n, "chunk",
	                         (json_int_t)DOC_CHUNK, "groups", groups, "years", years, "g", g,
	                         "y", y, "papers", papers, "p", p);
	int rc = S_write_js(out, "meta.js", "meta", st, meta);
	json_decref(meta);
	json_decref(gi);
	json_decref(yi);
	json_decref(pi);
	return rc;
}

/* What a result shows of a document, in the order docs-K.js has it. */
#define DOC_FIELDS 8
static void
S_doc_fields(const struct search_entry *e, const char *f[DOC_FIELDS])
{
	f[0] = e->title;
	f[1] = e->href;
	f[2] = e->date;
	f[3] = e->group;
	f[4] = e->doc->snippet;
	f[5] = e->reporters;
	f[6] = e->paper ? e->paper : "";
	f[7] = e->page_label ? e->page_label : "";
}

/* search/docs-K.js: what a result shows, DOC_CHUNK documents a file. */
static int
S_write_docs(const struct search_entry *docs, size_t n, struct output *out, struct search_stats *st)
{
	int rc = 0;
	struct buf list = BUF_INIT;
	const char *f[DOC_FIELDS];
	for (size_t c = 0; c * DOC_CHUNK < n && rc == 0; c++) {
		char name[48], arg[24], path[64];
		snprintf(name, sizeof name, "docs-%zu.js", c);
		snprintf(arg, sizeof arg, "%zu", c);
		snprintf(path, sizeof path, "search/%s", name);
		uint64_t key = out_key(0, &c, sizeof c);
		for (size_t d = c * DOC_CHUNK; d < n && d < (c + 1) * DOC_CHUNK; d++) {
			S_doc_fields(&docs[d], f);
			for (size_t k = 0; k < DOC_FIELDS; k++)
				key = out_key(key, f[k], strlen(f[k]) + 1);
		}
		rc = out_reuse(out, path, key);
		if (rc == 1) {
			st->bytes += out_old_size(out, path);
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		/* written directly, as json_dumps would write the arrays: a
		   tree of them cost more than the rest of this file */
		buf_reset(&list);
		buf_addc(&list, '[');
		for (size_t d = c * DOC_CHUNK; d < n && d < (c + 1) * DOC_CHUNK; d++) {
			S_doc_fields(&docs[d], f);
			buf_adds(&list, d > c * DOC_CHUNK ? ",[" : "[");
			for (size_t k = 0; k < DOC_FIELDS; k++) {
				if (k)
					buf_addc(&list, ',');
				mujson_put_string(&list, f[k], strlen(f[k]), 0);
			}
			buf_addc(&list, ']');
		}
		buf_addc(&list, ']');
		rc = S_write_text(out, name, "docs", arg, key, st, list.data, list.len);
	}
	buf_release(&list);
	return rc;
}

/* search/fold.js: traditional -> simplified, for queries. */
static int
S_write_fold(const struct chars *ch, struct output *out, struct search_stats *st)
{
	json_t *fold = json_object();
	struct buf a = BUF_INIT, b = BUF_INIT;
	for (uint32_t c = 0x3400; c <= 0x9FFF; c++) {
		uint32_t f = chars_fold(ch, c);
		if (f == c)
			continue;
		buf_reset(&a);
		buf_reset(&b);
		txt_put(&a, c);
		txt_put(&b, f);
		json_object_set_new(fold, a.data, json_stringn(b.data, b.len));
	}
	buf_release(&a);
	buf_release(&b);
	int rc = S_write_js(out, "fold.js", "fold", st, fold);
	json_decref(fold);
	return rc;
}

int
search_build(const struct chars *ch, const struct search_entry *docs, size_t n, struct output *out,
             struct search_fill *fill, int threads, struct search_stats *st)
{
	memset(st, 0, sizeof *st);
	if (!fill) {
		struct search_doc **own = xcalloc(n ? n : 1, sizeof *own);
		for (size_t d = 0; d < n; d++)
			own[d] = docs[d].doc;
		fill = search_fill_start(own, n, threads);
		fill->own = own;
	}
	double t0 = util_now();
	int rc = search_fill_join(fill);
	st->fill_seconds = util_now() - fill->t0;
	st->wait_seconds = util_now() - t0;
	/* the documents' tokens are in the tables now */
	for (size_t d = 0; d < n; d++) {
		free(docs[d].doc->keys);
		free(docs[d].doc->words);
		docs[d].doc->keys = NULL;
		docs[d].doc->words = NULL;
		docs[d].doc->len = docs[d].doc->wlen = 0;
	}
	if (rc == 0)
		rc = S_write_shards(fill->tb, fill->parts, out, st);
	if (rc == 0)
		rc = S_write_docs(docs, n, out, st);
	for (size_t d = 0; d < n; d++) {
		free(docs[d].doc->snippet);
		docs[d].doc->snippet = NULL;
	}
	if (rc == 0)
		rc = S_write_meta(docs, n, st->shards, out, st);
	if (rc == 0)
		rc = S_write_fold(ch, out, st);
	st->docs = n;
	search_fill_free(fill);
	return rc;
}
