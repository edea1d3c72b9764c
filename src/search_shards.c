#include "search_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chars.h"
#include "diag.h"
#include "mujson.h"
#include "output.h"
#include "pool.h"
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

/* A segment's tokens are found by merging its tables' tokens in the
   order of their keys: a token is the same in every table it is in, at
   one place in each (an occurrence: table << OCC_SHIFT | its index
   there). As each is found, its text and its list are staged, one token
   after another: the shards take their tokens by hash, in no order of
   keys, and a list pulled from its tables then cost a cache miss or two
   in each table its token is in. */
#define OCC_SHIFT 28
_Static_assert(MAX_BLOCKS <= 1u << (32 - OCC_SHIFT), "a table's number fits an occurrence");

struct seg_token {
	const char *entry; /* staged: its text, a NUL, then its list */
	uint32_t len;      /* of the entry */
	uint32_t hash;     /* search_shard_hash of its text */
};

struct seg_tokens {
	struct seg_token *v; /* by key */
	size_t n;
};

/* The token of occurrence o in the tables tb. */
static struct token
S_occ_token(const struct table *tb, uint32_t o)
{
	return search_table_token(&tb[o >> OCC_SHIFT], o & ((1u << OCC_SHIFT) - 1));
}

/* The postings of the token whose places are occ[0..n) in the segment
   that starts at document `from`, whose tables are tb: "(document -
   previous) << 2 | where", the first relative to `from`; appended to
   seg. Each table's list is such a list of its own, counted from the
   table's first document, so only its first posting is written again;
   the rest is copied. */
static void
S_pull(const uint32_t *occ, size_t n, const struct table *tb, size_t from,
       const signed char digit[256], struct buf *seg)
{
	uint64_t prev = from; /* the previous document + 1 */
	for (size_t k = 0; k < n; k++) {
		const struct token t = S_occ_token(tb, occ[k]);
		const struct table *in = &tb[occ[k] >> OCC_SHIFT];
		uint32_t i = 0; /* every list has a posting: packing and reading back see to it */
		uint64_t x = search_get_b32(t.postings, &i, digit);
		char first[16];
		size_t m = search_b32(first, ((x >> 2) + in->from - prev) << 2 | (x & 3));
		buf_add(seg, first, m);
		buf_add(seg, t.postings + i, t.len - i);
		prev = t.last + in->from;
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

/* A segment's tables, and its tokens staged from them. */
struct lists {
	const struct table *tb;
	unsigned ntables;
	size_t from; /* the segment's first document */
	struct seg_tokens tokens;
	struct buf staged[MAX_PARTS]; /* the tokens' entries, a range of keys each */
	signed char digit[256];
};

/* The text of the token of occurrence o in the tables tb, appended to b. */
static void
S_occ_text(const struct table *tb, uint32_t o, struct buf *b)
{
	const struct token t = S_occ_token(tb, o);
	search_token_text(&tb[o >> OCC_SHIFT], &t, b);
}

/* Where in each of ls's tables the keys from key on start. */
static void
S_lower_bounds(const struct lists *ls, uint64_t key, size_t at[MAX_BLOCKS])
{
	for (unsigned p = 0; p < ls->ntables; p++)
		at[p] = search_table_lower_bound(&ls->tb[p], key);
}

/* A range of keys of a segment's tables, merged on its own
   (S_merge_range). */
struct merge_range {
	size_t from[MAX_BLOCKS], to[MAX_BLOCKS]; /* each table's tokens in it */
	struct seg_tokens tokens;                /* found, */
	struct buf staged;                       /* ... their entries one after another */
	size_t bytes;
};

/* Merges the tokens of range r of ls's tables, each in the order of
   their keys (as packed or read back), each token staged with its
   shard's hash. Adds to r->bytes what their texts and lists take in the
   shards. */
static void
S_merge_range(const struct lists *ls, struct merge_range *r)
{
	const struct table *tb = ls->tb;
	size_t at[MAX_BLOCKS], cap = 0;
	for (unsigned p = 0; p < ls->ntables; p++)
		at[p] = r->from[p];
	struct seg_tokens *tk = &r->tokens;
	*tk = (struct seg_tokens){0};
	struct buf *b = &r->staged;
	buf_init(b);
	for (;;) {
		int any = 0;
		uint64_t key = 0;
		for (unsigned p = 0; p < ls->ntables; p++) {
			if (at[p] == r->to[p])
				continue;
			uint64_t k = search_table_key(&tb[p], at[p]);
			if (!any || k < key)
				key = k;
			any = 1;
		}
		if (!any)
			break;
		uint32_t occ[MAX_BLOCKS];
		size_t nocc = 0, start = b->len;
		for (unsigned p = 0; p < ls->ntables; p++)
			if (at[p] < r->to[p] && search_table_key(&tb[p], at[p]) == key)
				occ[nocc++] = (uint32_t)p << OCC_SHIFT | (uint32_t)at[p]++;
		S_occ_text(tb, occ[0], b);
		uint32_t hash = search_shard_hash(b->data + start, b->len - start);
		buf_addc(b, '\0');
		S_pull(occ, nocc, tb, ls->from, ls->digit, b);
		size_t len = b->len - start;
		tk->v = xgrow(tk->v, &cap, tk->n, sizeof *tk->v, 1024);
		tk->v[tk->n++] = (struct seg_token){.len = (uint32_t)len, .hash = hash};
		/* the shard holds it as "text":"list", with a comma: the NUL
		   and five bytes more */
		r->bytes += len + 5;
	}
	/* the entries are where the staging ends its growing */
	for (size_t i = 0, start = 0; i < tk->n; start += tk->v[i++].len)
		tk->v[i].entry = b->data + start;
}

/* Merging a segment's tables, a range of keys an item (pool.h). */
struct merge_work {
	const struct lists *ls;
	struct merge_range *r;
};

static int
S_merge_item(void *ctx, void *state, size_t i)
{
	(void)state;
	const struct merge_work *w = ctx;
	S_merge_range(w->ls, &w->r[i]);
	return 0;
}

/* Finds ls's tokens by merging its tables on `threads` threads, a range
   of keys each (cut where the largest table's keys are), into one list
   of them in the order of their keys, each staged (ls->staged holds
   them). Returns the bytes their texts and lists take in the shards. */
static size_t
S_merge_tokens(struct lists *ls, int threads)
{
	const struct table *big = &ls->tb[0];
	for (unsigned p = 1; p < ls->ntables; p++)
		if (ls->tb[p].n > big->n)
			big = &ls->tb[p];
	size_t nr = threads > 1 && big->n >= (size_t)threads * 64 ? (size_t)threads : 1;
	if (nr > MAX_PARTS)
		nr = MAX_PARTS;
	struct merge_range *r = xcalloc(nr, sizeof *r);
	for (size_t k = 0; k < nr; k++) { /* range k: from the k-th cut to the next */
		if (k > 0) {
			S_lower_bounds(ls, search_table_key(big, big->n * k / nr), r[k].from);
			memcpy(r[k - 1].to, r[k].from, sizeof r[k].from);
		}
		for (unsigned p = 0; p < ls->ntables; p++)
			r[k].to[p] = ls->tb[p].n;
	}
	struct merge_work w = {ls, r};
	struct pool_task task = {.n = nr, .run = S_merge_item, .ctx = &w};
	(void)pool_run(&task, (int)nr);
	/* the other ranges' tokens after the first's; their entries stay
	   where they were staged */
	size_t n = 0, bytes = 0;
	for (size_t k = 0; k < nr; k++) {
		n += r[k].tokens.n;
		bytes += r[k].bytes;
		ls->staged[k] = r[k].staged;
	}
	struct seg_tokens *tk = &ls->tokens;
	*tk = r[0].tokens;
	if (nr > 1)
		tk->v = xreallocarray(tk->v, n ? n : 1, sizeof *tk->v);
	for (size_t k = 1; k < nr; k++) {
		const struct seg_tokens *t = &r[k].tokens;
		if (t->n)
			memcpy(tk->v + tk->n, t->v, t->n * sizeof *t->v);
		tk->n += t->n;
		free(t->v);
	}
	free(r);
	return bytes;
}

/* Two staged tokens in the order of their texts (each entry starts with
   its text and a NUL). */
static int
S_cmp_text(const void *x, const void *y)
{
	return strcmp((*(const struct seg_token *const *)x)->entry,
	              (*(const struct seg_token *const *)y)->entry);
}

/* What writing a segment's shards reuses from one to the next. */
struct shard_scratch {
	struct buf js;              /* the file */
	const struct seg_token **v; /* its tokens */
	size_t cap;
};

/* Writes search/seg-S/shard-N.js, the tokens ks[0..n) of ls (segment S),
   all in shard N, in the order of their texts, each copied from where it
   was staged: 0, or -1 after reporting. */
static int
S_write_shard(size_t seg, size_t shard, const uint32_t *ks, size_t n, const struct lists *ls,
              struct output *out, struct search_stats *st, struct shard_scratch *sc,
              uint64_t *key_out)
{
	if (n > sc->cap) {
		sc->cap = n;
		sc->v = xreallocarray(sc->v, n, sizeof *sc->v);
	}
	for (size_t i = 0; i < n; i++)
		sc->v[i] = &ls->tokens.v[ks[i]];
	if (n > 1)
		qsort(sc->v, n, sizeof *sc->v, S_cmp_text);
	struct buf *js = &sc->js;
	buf_reset(js);
	search_shard_head(js, seg, shard);
	for (size_t i = 0; i < n; i++) {
		const struct seg_token *t = sc->v[i];
		size_t tlen = strlen(t->entry);
		search_shard_token(js, i == 0, t->entry, tlen);
		buf_add(js, t->entry + tlen + 1, t->len - tlen - 1);
		buf_addc(js, '"');
	}
	search_shard_tail(js);
	st->bytes += js->len;
	return search_shard_put(out, seg, shard, js, key_out);
}

void
search_shard_head(struct buf *js, size_t seg, size_t sh)
{
	buf_printf(js, "baokuSearch.shard(%zu,%zu,{", seg, sh);
}

void
search_shard_token(struct buf *js, int first, const char *text, size_t len)
{
	if (!first)
		buf_addc(js, ',');
	buf_addc(js, '"');
	buf_add(js, text, len);
	buf_adds(js, "\":\"");
}

void
search_shard_tail(struct buf *js)
{
	buf_adds(js, "});\n");
}

int
search_shard_put(struct output *out, size_t seg, size_t sh, const struct buf *js, uint64_t *key)
{
	char path[SHARD_PATH_MAX];
	search_shard_path(path, seg, sh);
	*key = out_key(0, js->data, js->len);
	int rc = out_reuse(out, path, *key);
	if (rc == 0)
		rc = out_write_memo(out, path, *key, js->data, js->len);
	return rc < 0 ? -1 : 0;
}

/* The tokens of ls in shard order (by their hash modulo shards), into a
   new array; (*ends)[sh] is where shard sh's end, a new array too. */
static uint32_t *
S_by_shard(const struct lists *ls, size_t shards, size_t **ends)
{
	const struct seg_tokens *st = &ls->tokens;
	size_t *end = *ends = xcalloc(shards, sizeof *end);
	for (size_t k = 0; k < st->n; k++)
		end[st->v[k].hash % shards]++;
	for (size_t sh = 0, sum = 0; sh < shards; sh++) {
		sum += end[sh];
		end[sh] = sum - end[sh]; /* its start, moved to its end below */
	}
	uint32_t *order = xmalloc((st->n ? st->n : 1) * sizeof *order);
	for (size_t k = 0; k < st->n; k++)
		order[end[st->v[k].hash % shards]++] = (uint32_t)k;
	return order;
}

/* Writing a segment's shards, one a pool item (pool.h). */
struct shard_work {
	const struct lists *ls;
	size_t seg;
	const uint32_t *order; /* the tokens by shard, */
	const size_t *ends;    /* ... where each shard's end */
	const unsigned char *kept;
	size_t nkept;
	struct output *out;
	struct seg_memo *memo;
	size_t *bytes; /* each shard's */
};

static int
S_shard_item(void *ctx, void *state, size_t sh)
{
	const struct shard_work *w = ctx;
	struct shard_scratch *sc = state;
	if (!sc->js.data) { /* the thread's first: zeroed */
		buf_init(&sc->js);
	}
	struct search_stats st = {0};
	int rc = 0;
	if (sh < w->nkept && w->kept[sh]) { /* kept already: the same documents made it */
		char path[SHARD_PATH_MAX];
		search_shard_path(path, w->seg, sh);
		st.bytes = out_old_size(w->out, path);
	} else {
		size_t begin = sh ? w->ends[sh - 1] : 0;
		rc = S_write_shard(w->seg, sh, w->order + begin, w->ends[sh] - begin, w->ls, w->out,
		                   &st, sc, &w->memo->shard[sh]);
	}
	w->bytes[sh] = st.bytes;
	return rc;
}

static void
S_shard_scratch_end(void *state)
{
	struct shard_scratch *sc = state;
	free(sc->v);
	buf_release(&sc->js);
}

/* The shards of segment seg, SEARCH_SEGMENT_MAX documents at most from
   document `from`, whose posting lists tb holds: its tokens grouped by their
   hash (search_shard_hash) modulo the segment's shard count (chosen so
   each shard stays near SEARCH_SHARD_BYTES), each shard sorted by token,
   written on `threads` threads. A query thus loads a bounded number of
   bytes for each segment it searches, whatever the archive's size. */
int
search_write_segment(struct table *tb, unsigned ntables, size_t seg, size_t from,
                     struct output *out, struct seg_memo *memo, const unsigned char *kept,
                     size_t nkept, int threads, struct search_stats *st)
{
	struct lists ls = {.tb = tb, .ntables = ntables, .from = from};
	search_b32_digits(ls.digit);
	/* each token's list staged and measured: what the segment's shards
	   hold is in memory once, beside its tables */
	memo->measure = S_merge_tokens(&ls, threads);
	for (unsigned p = 0; p < ntables; p++)
		search_table_free(&tb[p]);
	size_t shards = memo->measure / SEARCH_SHARD_BYTES + 1;
	if (shards != nkept) /* a shard kept is one of the same count's */
		nkept = 0;
	size_t *ends;
	uint32_t *order = S_by_shard(&ls, shards, &ends);
	memo->count = shards;
	memo->shard = xcalloc(shards, sizeof *memo->shard);
	struct shard_work w = {
	    &ls, seg, order, ends, kept, nkept, out, memo, xcalloc(shards, sizeof(size_t))};
	struct pool_task task = {.n = shards,
	                         .run = S_shard_item,
	                         .ctx = &w,
	                         .state_size = sizeof(struct shard_scratch),
	                         .state_free = S_shard_scratch_end};
	int rc = pool_run(&task, threads > 0 ? threads : 1);
	memo->tokens = ls.tokens.n;
	memo->bytes = 0;
	for (size_t sh = 0; sh < shards; sh++)
		memo->bytes += w.bytes[sh];
	st->bytes += memo->bytes;
	st->shards += shards;
	st->tokens += ls.tokens.n;
	free(ls.tokens.v);
	for (size_t k = 0; k < MAX_PARTS; k++)
		buf_release(&ls.staged[k]);
	free(order);
	free(ends);
	free(w.bytes);
	return rc;
}

/* The index of name in list, which index (an object) keeps by name; when
   it is new, what make(a, b) gives is added to list for it. */
typedef json_t *(*facet_fn)(const char *a, const char *b);

static json_int_t
S_index_of(const char *name, json_t *list, json_t *index, facet_fn make, const char *a,
           const char *b)
{
	json_t *ix = json_object_get(index, name);
	if (!ix) {
		ix = json_integer((json_int_t)json_array_size(list));
		json_object_set_new(index, name, ix);
		json_array_append_new(list, make(a, b));
	}
	return json_integer_value(ix);
}

/* A facet as meta.js lists it: a pair of its name and its page (a group's
   slug and name, a paper's name and page), or a year. */
static json_t *
S_pair(const char *a, const char *b)
{
	return json_pack("[s,s]", a, b);
}

static json_t *
S_year(const char *a, const char *b)
{
	(void)b;
	return json_string(a);
}

/* A scratch for docs' get on this thread; free with S_scratch_free. */
static void *
S_scratch(const struct search_entries *docs)
{
	return xcalloc(1, docs->scratch_size ? docs->scratch_size : 1);
}

static void
S_scratch_free(const struct search_entries *docs, void *scratch)
{
	if (scratch && docs->scratch_free)
		docs->scratch_free(scratch);
	free(scratch);
}

/* Each document's group, year and paper, as indexes into the lists of
   them (-1: none). */
struct facets {
	json_t *groups, *years, *papers; /* the lists */
	json_t *gi, *yi, *pi;            /* the lists' indexes, by name */
	int32_t *g, *y, *p;              /* a segment's documents' (4 bytes: one a document) */
	size_t cap;
	void *scratch; /* the documents' entries' (S_scratch) */
};

static void
S_facets_start(struct facets *f, const struct search_entries *docs)
{
	*f = (struct facets){.groups = json_array(),
	                     .years = json_array(),
	                     .papers = json_array(),
	                     .scratch = S_scratch(docs)};
	f->gi = json_object();
	f->yi = json_object();
	f->pi = json_object();
}

/* The facets of documents [from, to), into f->g, y and p from 0; the
   lists grow by those they hold first. */
static void
S_facets_of(const struct search_entries *docs, size_t from, size_t to, struct facets *f)
{
	if (to - from > f->cap) {
		f->cap = to - from;
		f->g = xrealloc(f->g, f->cap * sizeof *f->g);
		f->y = xrealloc(f->y, f->cap * sizeof *f->y);
		f->p = xrealloc(f->p, f->cap * sizeof *f->p);
	}
	struct search_entry entry;
	const struct search_entry *e = &entry;
	for (size_t d = from, i = 0; d < to; d++, i++) {
		(docs->facets ? docs->facets : docs->get)(docs->ctx, d, &entry, f->scratch);
		const char *slug = e->group_slug;
		f->g[i] = (int32_t)S_index_of(slug, f->groups, f->gi, S_pair, slug, e->group);
		f->p[i] = -1;
		if (e->paper && *e->paper)
			f->p[i] = (int32_t)S_index_of(e->paper, f->papers, f->pi, S_pair, e->paper,
			                              e->paper_href ? e->paper_href : "");
		f->y[i] = -1;
		if (strlen(e->date) >= 4) {
			char year[5];
			memcpy(year, e->date, 4);
			year[4] = '\0';
			f->y[i] = (int32_t)S_index_of(year, f->years, f->yi, S_year, year, NULL);
		}
	}
}

static void
S_facets_free(struct facets *f, const struct search_entries *docs)
{
	S_scratch_free(docs, f->scratch);
	json_decref(f->groups);
	json_decref(f->years);
	json_decref(f->papers);
	json_decref(f->gi);
	json_decref(f->yi);
	json_decref(f->pi);
	free(f->g);
	free(f->y);
	free(f->p);
}

/* Appends v[0..n), each + 1, as search_b32 numbers: compact, and read
   as the postings are. */
static void
S_put_list(struct buf *b, const int32_t *v, size_t n)
{
	buf_addc(b, '"');
	for (size_t d = 0; d < n; d++)
		S_put_b32(b, (uint64_t)(v[d] + 1));
	buf_addc(b, '"');
}

/* search/seg-S/meta.js: each of segment S's documents' group, year and
   paper, as indexes into the lists of them, so filters and counts need
   no document file; then search/meta.js: the document count, the
   segments (newest first, each [its number, its documents, its shards]),
   and the lists of groups, years and papers (with their pages). Their
   numbers follow the documents, newest first, segment after segment. */
static int
S_write_meta(const struct search_entries *docs, const struct search_fill *fill, struct output *out,
             struct search_stats *st)
{
	struct facets f;
	S_facets_start(&f, docs);
	struct buf list = BUF_INIT;
	json_t *segs = json_array();
	int rc = 0;
	for (size_t s = 0; s < fill->nseg && rc == 0; s++) {
		size_t from = fill->from[s], to = fill->from[s + 1],
		       seg = search_fill_number(fill, s);
		json_array_append_new(segs,
		                      json_pack("[I,I,I]", (json_int_t)seg, (json_int_t)(to - from),
		                                (json_int_t)fill->now[seg].count));
		S_facets_of(docs, from, to, &f);
		char name[48], arg[24];
		snprintf(name, sizeof name, "seg-%zu/meta.js", seg);
		snprintf(arg, sizeof arg, "%zu", seg);
		buf_reset(&list);
		buf_adds(&list, "{\"g\":");
		S_put_list(&list, f.g, to - from);
		buf_adds(&list, ",\"y\":");
		S_put_list(&list, f.y, to - from);
		buf_adds(&list, ",\"p\":");
		S_put_list(&list, f.p, to - from);
		buf_addc(&list, '}');
		rc = S_write_text(out, name, "segmeta", arg, 0, st, list.data, list.len);
	}
	buf_release(&list);
	json_t *meta = json_pack("{s:o,s:I,s:I,s:O,s:O,s:O}", "segs", segs, "docs",
	                         (json_int_t)docs->n, "chunk", (json_int_t)DOC_CHUNK, "groups",
	                         f.groups, "years", f.years, "papers", f.papers);
	if (rc == 0)
		rc = S_write_js(out, "meta.js", "meta", st, meta);
	json_decref(meta);
	S_facets_free(&f, docs);
	return rc;
}

/* What a result shows of a document, in the order docs-K.js has it; its
   snippet is read into snip when it is in a file (NULL: left out, "").
   0, or -1 when it cannot be read. */
#define DOC_FIELDS 8
static int
S_doc_fields(const struct search_entry *e, struct buf *snip, const char *f[DOC_FIELDS])
{
	f[0] = e->title;
	f[1] = e->href;
	f[2] = e->date;
	f[3] = e->group;
	f[4] = "";
	f[5] = e->reporters;
	f[6] = e->paper ? e->paper : "";
	f[7] = e->page_label ? e->page_label : "";
	return snip ? search_doc_snippet(e->doc, snip, &f[4]) : 0;
}

/* Folds what a result shows of document d into key: by the hash the
   entries give of it, else field by field (the snippet by the document's
   hash, without reading it). */
static uint64_t
S_doc_key(const struct search_entries *docs, size_t d, uint64_t key, struct buf *snip,
          void *scratch)
{
	uint64_t given = docs->key ? docs->key(docs->ctx, d) : 0;
	if (given)
		return out_key(key, &given, sizeof given);
	struct search_entry e;
	const char *f[DOC_FIELDS];
	docs->get(docs->ctx, d, &e, scratch);
	const struct search_doc *doc = e.doc;
	S_doc_fields(&e, doc->hash ? NULL : snip, f);
	for (size_t k = 0; k < DOC_FIELDS; k++)
		key = out_key(key, f[k], strlen(f[k]) + 1);
	return out_key(key, &doc->hash, sizeof doc->hash);
}

/* A file's bytes as the memo keeps them: 0 (unknown) when they are more
   than 32 bits hold. */
static uint32_t
S_size32(size_t n)
{
	return n <= UINT32_MAX ? (uint32_t)n : 0;
}

/* The bytes of the docs file at path, chunk c of its segment, kept from
   the last build: from that build's memo of the segment (old, NULL for
   none), else from the file. */
static size_t
S_kept_size(struct output *out, const char *path, const struct seg_memo *old, size_t c)
{
	return old && c < old->ndocs && old->docs[c] ? old->docs[c] : out_old_size(out, path);
}

/* search/seg-S/docs-K.js: what a result shows, DOC_CHUNK documents a
   file, those of segment S (number seg), documents [from, to), from its
   first; each file's bytes into now, the segment's memo. */
static int
S_write_docs(const struct search_entries *docs, size_t seg, size_t from, size_t to,
             struct output *out, struct search_stats *st, void *scratch, const struct seg_memo *old,
             struct seg_memo *now)
{
	int rc = 0;
	struct buf list = BUF_INIT, snip = BUF_INIT;
	const char *f[DOC_FIELDS];
	struct search_entry e;
	now->ndocs = (to - from + DOC_CHUNK - 1) / DOC_CHUNK;
	now->docs = xcalloc(now->ndocs ? now->ndocs : 1, sizeof *now->docs);
	for (size_t c = 0, first = from; first < to && rc == 0; c++, first += DOC_CHUNK) {
		size_t before = st->bytes;
		size_t last = first + DOC_CHUNK < to ? first + DOC_CHUNK : to;
		char name[64], arg[48], path[80];
		snprintf(name, sizeof name, "seg-%zu/docs-%zu.js", seg, c);
		snprintf(arg, sizeof arg, "%zu,%zu", seg, c);
		snprintf(path, sizeof path, "search/%s", name);
		uint64_t key = out_key(0, &c, sizeof c);
		for (size_t d = first; d < last; d++)
			key = S_doc_key(docs, d, key, &snip, scratch);
		rc = out_reuse(out, path, key);
		if (rc == 1) {
			st->bytes += S_kept_size(out, path, old, c);
			now->docs[c] = S_size32(st->bytes - before);
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		/* written directly, as json_dumps would write the arrays: a
		   tree of them cost more than the rest of this file */
		buf_reset(&list);
		buf_addc(&list, '[');
		for (size_t d = first; d < last && rc == 0; d++) {
			docs->get(docs->ctx, d, &e, scratch);
			int got = S_doc_fields(&e, &snip, f);
			if (got == SEARCH_DAMAGED) { /* the build says so, and builds again */
				st->damaged = 1;
				rc = -1;
			} else if (got < 0) {
				diag_error(path, 0, 0,
				           "cannot read a document's opening text back from the "
				           "cache (%s); build again with --force",
				           strerror(errno));
				rc = -1;
			}
			buf_adds(&list, d > first ? ",[" : "[");
			for (size_t k = 0; k < DOC_FIELDS; k++) {
				if (k)
					buf_addc(&list, ',');
				mujson_put_string(&list, f[k], strlen(f[k]), 0);
			}
			buf_addc(&list, ']');
		}
		buf_addc(&list, ']');
		if (rc == 0)
			rc = S_write_text(out, name, "docs", arg, key, st, list.data, list.len);
		now->docs[c] = S_size32(st->bytes - before);
	}
	buf_release(&list);
	buf_release(&snip);
	return rc;
}

/* search/fold.js: traditional -> simplified, for queries: a string of
   the pairs, each character then what it folds to (half the bytes of an
   object of them). */
static int
S_write_fold(const struct chars *ch, struct output *out, struct search_stats *st)
{
	struct buf pairs = BUF_INIT, js = BUF_INIT;
	for (uint32_t c = 0x3400; c <= 0x9FFF; c++) {
		uint32_t f = chars_fold(ch, c);
		if (f == c)
			continue;
		txt_put(&pairs, c);
		txt_put(&pairs, f);
	}
	mujson_put_string(&js, pairs.data ? pairs.data : "", pairs.len, 0);
	int rc = S_write_text(out, "fold.js", "fold", NULL, 0, st, js.data, js.len);
	buf_release(&pairs);
	buf_release(&js);
	return rc;
}

/* The segments' docs-K.js and the meta files, written on threads: the
   meta files first (their facets go through every document in order, so
   they are one item), beside them a segment's docs files an item, each
   thread with a scratch of its own; the bytes of each item, added up
   when all are written. */
struct docs_run {
	const struct search_entries *docs;
	const struct search_fill *fill;
	struct output *out;
	size_t *bytes;      /* by item */
	atomic_int damaged; /* an item found the page cache damaged */
};

struct docs_worker {
	const struct search_entries *docs; /* NULL until the thread's first segment */
	void *scratch;
};

static int
S_docs_item(void *ctx, void *state, size_t i)
{
	struct docs_run *r = ctx;
	struct docs_worker *w = state;
	struct search_stats st = {0};
	int rc;
	if (i == 0) {
		rc = S_write_meta(r->docs, r->fill, r->out, &st);
	} else {
		size_t s = i - 1, seg = search_fill_number(r->fill, s);
		if (!w->docs)
			*w = (struct docs_worker){r->docs, S_scratch(r->docs)};
		rc = S_write_docs(r->docs, seg, r->fill->from[s], r->fill->from[s + 1], r->out, &st,
		                  w->scratch, seg < r->fill->nold ? &r->fill->old[seg] : NULL,
		                  &r->fill->now[seg]);
	}
	r->bytes[i] = st.bytes;
	if (st.damaged)
		atomic_store(&r->damaged, 1);
	return rc;
}

static void
S_docs_worker_end(void *state)
{
	struct docs_worker *w = state;
	if (w->docs)
		S_scratch_free(w->docs, w->scratch);
}

static int
S_write_docs_and_meta(const struct search_entries *docs, const struct search_fill *fill,
                      struct output *out, int threads, struct search_stats *st)
{
	size_t n = fill->nseg + 1;
	struct docs_run run = {docs, fill, out, xcalloc(n, sizeof(size_t)), 0};
	struct pool_task t = {.n = n,
	                      .run = S_docs_item,
	                      .ctx = &run,
	                      .state_size = sizeof(struct docs_worker),
	                      .state_free = S_docs_worker_end};
	int rc = pool_run(&t, threads);
	for (size_t i = 0; i < n; i++)
		st->bytes += run.bytes[i];
	free(run.bytes);
	st->damaged |= atomic_load(&run.damaged); /* the build is made again */
	return rc;
}

static void
S_entry_at(void *ctx, size_t i, struct search_entry *e, void *scratch)
{
	(void)scratch;
	*e = ((const struct search_entry *)ctx)[i];
}

struct search_entries
search_entries_of(const struct search_entry *v, size_t n)
{
	return (struct search_entries){.n = n, .get = S_entry_at, .ctx = (void *)v};
}

/* Document i's. */
static struct search_doc *
S_doc(const struct search_entries *docs, size_t i, void *scratch)
{
	struct search_entry e;
	docs->get(docs->ctx, i, &e, scratch);
	return e.doc;
}

int
search_build(const struct chars *ch, const struct search_entries *docs, struct output *out,
             struct search_fill *fill, int threads, struct search_stats *st)
{
	size_t n = docs->n;
	memset(st, 0, sizeof *st);
	if (!fill) {
		struct search_doc **own = xcalloc(n ? n : 1, sizeof *own);
		void *scratch = S_scratch(docs);
		for (size_t d = 0; d < n; d++)
			own[d] = S_doc(docs, d, scratch);
		S_scratch_free(docs, scratch);
		fill = search_fill_start(own, n, threads, out);
		fill->own = own;
	}
	double t0 = util_now();
	int rc = search_fill_join(fill);
	*st = fill->st;
	st->wait_seconds = util_now() - t0;
	if (rc == 0)
		rc = S_write_docs_and_meta(docs, fill, out, threads, st);
	for (size_t d = 0; d < fill->n; d++) /* the same documents, in order */
		search_doc_forget(fill->docs[d]);
	if (rc == 0) {
		search_memo_write(out, fill->now, fill->nseg);
		search_blocks_keep(out, fill->live, fill->nlive);
	}
	st->kept = fill->kept;
	st->segments = fill->nseg;
	if (rc == 0)
		rc = S_write_fold(ch, out, st);
	st->docs = n;
	search_fill_free(fill);
	return rc;
}

/* ---------------------------------------------------------------------
 * What the segments were made from, for the next build
 * ------------------------------------------------------------------- */

#define MEMO_NAME  "search"
#define MEMO_MAGIC "baoku-search-6\n"

/* A segment's head in the file: its key, shards, tokens, bytes, size,
   measure and its blocks' keys. */
#define MEMO_HEAD (6 + MAX_BLOCKS)

void
search_memo_free(struct seg_memo *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].shard);
		free(v[i].docs);
	}
	free(v);
}

/* Reads a segment's shard keys (m->count of them), then its docs files'
   bytes, into m: 0, or -1 with neither kept. */
static int
S_memo_read_arrays(FILE *f, struct seg_memo *m)
{
	uint64_t ndocs;
	m->shard = xcalloc(m->count ? m->count : 1, sizeof *m->shard);
	if (fread(m->shard, sizeof *m->shard, m->count, f) == m->count &&
	    fread(&ndocs, sizeof ndocs, 1, f) == 1 && ndocs <= ((size_t)1 << 24)) {
		m->ndocs = (size_t)ndocs;
		m->docs = xcalloc(m->ndocs ? m->ndocs : 1, sizeof *m->docs);
		if (fread(m->docs, sizeof *m->docs, m->ndocs, f) == m->ndocs)
			return 0;
	}
	free(m->shard);
	free(m->docs);
	m->shard = NULL;
	m->docs = NULL;
	return -1;
}

void
search_memo_read(struct output *out, struct seg_memo **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	FILE *f = out_cache_read(out, MEMO_NAME);
	if (!f)
		return;
	char magic[sizeof MEMO_MAGIC - 1];
	uint64_t nseg;
	struct seg_memo *m = NULL;
	size_t got = 0;
	if (fread(magic, 1, sizeof magic, f) == sizeof magic &&
	    !memcmp(magic, MEMO_MAGIC, sizeof magic) && fread(&nseg, sizeof nseg, 1, f) == 1 &&
	    nseg < ((size_t)1 << 24)) {
		m = xcalloc(nseg ? (size_t)nseg : 1, sizeof *m);
		for (; got < nseg; got++) {
			uint64_t head[MEMO_HEAD];
			if (fread(head, sizeof head, 1, f) != 1 || head[1] > ((size_t)1 << 24) ||
			    head[4] > SEARCH_SEGMENT_MAX)
				break;
			m[got] = (struct seg_memo){.key = head[0],
			                           .count = (size_t)head[1],
			                           .tokens = (size_t)head[2],
			                           .bytes = (size_t)head[3],
			                           .size = (size_t)head[4],
			                           .measure = (size_t)head[5]};
			memcpy(m[got].block, head + 6, sizeof m[got].block);
			if (S_memo_read_arrays(f, &m[got]) < 0)
				break;
		}
	}
	fclose(f);
	if (m && got == nseg) {
		*v = m;
		*n = got;
	} else { /* damaged: as if there were none */
		search_memo_free(m, got);
	}
}

void
search_memo_write(struct output *out, const struct seg_memo *v, size_t n)
{
	FILE *f = out_cache_create(out, MEMO_NAME);
	if (!f)
		return;
	uint64_t nseg = n;
	fputs(MEMO_MAGIC, f);
	fwrite(&nseg, sizeof nseg, 1, f);
	for (size_t i = 0; i < n; i++) {
		uint64_t head[MEMO_HEAD] = {v[i].key,   v[i].count, v[i].tokens,
		                            v[i].bytes, v[i].size,  v[i].measure};
		memcpy(head + 6, v[i].block, sizeof v[i].block);
		fwrite(head, sizeof head, 1, f);
		fwrite(v[i].shard, sizeof *v[i].shard, v[i].count, f);
		uint64_t ndocs = v[i].ndocs;
		fwrite(&ndocs, sizeof ndocs, 1, f);
		fwrite(v[i].docs, sizeof *v[i].docs, v[i].ndocs, f);
	}
	out_cache_done(out, MEMO_NAME, f);
}
