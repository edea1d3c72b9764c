/*
 * search_patch: a segment whose documents changed in some of its blocks
 * but not in number, made from the last build's shards.
 *
 * A page edited changes the lists of the tokens its articles had or
 * have: some hundreds of a segment's hundreds of thousands, in a few
 * dozen of its hundreds of shards. Those tokens are found by comparing
 * each changed block's table with the last build's (read back from the
 * cache: a block's file is named by its documents). Their shards are
 * read from the last build's tree, each changed token's list is made
 * again there (its postings in the changed blocks taken out, the new
 * table's put in), and they are written; every other shard is kept.
 *
 * It writes what a build from nothing writes: a segment's list of a
 * token is its blocks' lists one after another, counted from the
 * segment's first document, and the count of shards is made from what
 * the tokens measure, which the memo keeps and the patch brings up to
 * date. When that count moves, the segment is made whole.
 */
#define _GNU_SOURCE /* qsort_r */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "output.h"
#include "xalloc.h"

/* A token whose list changed: its key, its text (at text in the patch's
   texts, ended by a NUL) and its shard. */
struct changed {
	uint64_t key;
	size_t text, len;
	size_t shard;
};

/* A shard made again: its number, its file, and the bytes of its file in
   the last build. */
struct remade {
	size_t sh;
	struct buf js;
	size_t was;
};

/* The patch of one segment. */
struct patch {
	struct search_fill *f;
	const struct seg_memo *old;
	size_t seg, from, to;
	unsigned nb;
	unsigned char want[MAX_BLOCKS]; /* the blocks that changed: */
	struct table was[MAX_BLOCKS];   /* ... their tables in the last build (f->tb now's) */
	struct changed *v;              /* the tokens whose lists changed */
	size_t n, cap;
	struct buf texts;
	struct remade *shards; /* the shards made again */
	size_t nshards;
	long measure, tokens; /* what they add to the segment's */
	uint64_t *postings;   /* a list being made (S_relist): document << 2 | where */
	size_t npostings, cappostings;
	signed char digit[256];
	const char *why; /* it may not be patched */
};

/* Whether the segment may be patched: the same size, its blocks' keys
   known, some changed but under half, and every shard of the last build
   there as it made it. Marks the blocks that changed; sets p->why when
   it may not. */
static int
S_eligible(struct patch *p, const uint64_t *keys)
{
	const struct seg_memo *m = p->old;
	if (!m || !m->measure || !m->count)
		return (p->why = "the last build's memo has no such segment"), 0;
	if (m->size != p->to - p->from) /* its blocks too (search_blocks) */
		return (p->why = "its size changed"), 0;
	unsigned changed = 0;
	for (unsigned b = 0; b < p->nb; b++) {
		if (!keys[b] || !m->block[b])
			return (p->why = "a block's documents are not all known"), 0;
		p->want[b] = keys[b] != m->block[b];
		changed += p->want[b];
	}
	if (!changed) /* the same documents: its shards are not kept for another reason */
		return (p->why = "no block changed, but the last build's shards are not kept"), 0;
	if (changed * 2 > p->nb) /* then the whole costs no more */
		return (p->why = "half of its blocks or more changed"), 0;
	char path[SHARD_PATH_MAX];
	for (size_t i = 0; i < m->count; i++) {
		search_shard_path(path, p->seg, i);
		if (!out_was_made(p->f->out, path, m->shard[i]))
			return (p->why = "a shard is not the last build's"), 0;
	}
	return 1;
}

/* The changed blocks' tables, now (filled, or read back) and in the last
   build (read back): 1, or 0 when one cannot be had. */
static int
S_tables(struct patch *p)
{
	unsigned nb;
	p->why = "a changed block's table could not be had";
	if (search_fill_blocks(p->f, p->from, p->to, &nb, p->want) != 0)
		return 0;
	for (unsigned b = 0; b < p->nb; b++) {
		if (!p->want[b])
			continue;
		size_t bounds[2];
		search_block_bounds(p->from, p->to, b, bounds);
		p->was[b] = (struct table){.docs = p->f->docs,
		                           .from = bounds[0],
		                           .to = bounds[1],
		                           .key = p->old->block[b]};
		if (!search_block_read(p->f->out, &p->was[b]))
			return 0;
	}
	return 1;
}

/* Adds token i of tb to those whose lists changed. */
static void
S_add(struct patch *p, const struct table *tb, size_t i)
{
	const struct token t = search_table_token(tb, i);
	size_t at = p->texts.len;
	search_token_text(tb, &t, &p->texts);
	size_t len = p->texts.len - at;
	buf_addc(&p->texts, '\0');
	p->v = xgrow(p->v, &p->cap, p->n, sizeof *p->v, 256);
	p->v[p->n++] = (struct changed){t.key, at, len,
	                                search_shard_hash(p->texts.data + at, len) % p->old->count};
}

/* The tokens of block b whose lists differ between its table in the
   last build and now: those in one of them alone, and those whose lists
   are not the same (both in the order of their keys). */
static void
S_diff(struct patch *p, unsigned b)
{
	const struct table *was = &p->was[b], *now = &p->f->tb[b];
	size_t i = 0, j = 0;
	while (i < was->n || j < now->n) {
		int in_was = i < was->n, in_now = j < now->n;
		uint64_t kw = in_was ? search_table_key(was, i) : 0,
		         kn = in_now ? search_table_key(now, j) : 0;
		if (in_was && (!in_now || kw < kn)) {
			S_add(p, was, i++);
		} else if (!in_was || kn < kw) {
			S_add(p, now, j++);
		} else {
			const struct token x = search_table_token(was, i++),
			                   y = search_table_token(now, j);
			if (x.len != y.len || x.last != y.last ||
			    memcmp(x.postings, y.postings, x.len))
				S_add(p, now, j);
			j++;
		}
	}
}

static int
S_cmp_key(const void *x, const void *y)
{
	uint64_t a = ((const struct changed *)x)->key, b = ((const struct changed *)y)->key;
	return (a > b) - (a < b);
}

/* By shard, then as the shard has them: by text. */
static int
S_cmp_shard(const void *x, const void *y, void *ctx)
{
	const struct changed *a = x, *b = y;
	const char *texts = ctx;
	if (a->shard != b->shard)
		return a->shard < b->shard ? -1 : 1;
	return strcmp(texts + a->text, texts + b->text);
}

/* The tokens whose lists changed in any changed block, each once, in
   the order of their shards and, in each, of their texts. */
static void
S_changed_tokens(struct patch *p)
{
	for (unsigned b = 0; b < p->nb; b++)
		if (p->want[b])
			S_diff(p, b);
	qsort(p->v, p->n, sizeof *p->v, S_cmp_key);
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		if (n == 0 || p->v[n - 1].key != p->v[i].key)
			p->v[n++] = p->v[i];
	p->n = n;
	qsort_r(p->v, p->n, sizeof *p->v, S_cmp_shard, p->texts.data);
}

/* Whether document d (from the segment's first) is in a changed block. */
static int
S_in_changed(const struct patch *p, uint64_t d)
{
	for (unsigned b = 0; b < p->nb; b++)
		if (p->want[b] && d + p->from >= p->f->tb[b].from && d + p->from < p->f->tb[b].to)
			return 1;
	return 0;
}

static void
S_posting(struct patch *p, uint64_t doc, uint64_t where)
{
	p->postings = xgrow(p->postings, &p->cappostings, p->npostings, sizeof *p->postings, 256);
	p->postings[p->npostings++] = doc << 2 | where;
}

/* Token c's list in the segment now, appended to list: the postings of
   its list in the last build (old[0..len), none when NULL) outside the
   changed blocks, and those of the changed blocks' tables now, in the
   order of their documents, as search_write_segment writes them. */
static void
S_relist(struct patch *p, const struct changed *c, const char *old, size_t len, struct buf *list)
{
	p->npostings = 0;
	uint64_t d = 0; /* the document + 1, from the segment's first */
	for (uint32_t i = 0; old && i < len;) {
		uint64_t v = search_get_b32(old, &i, p->digit);
		d += v >> 2;
		if (!S_in_changed(p, d - 1))
			S_posting(p, d - 1, v & 3);
	}
	size_t kept = p->npostings;
	for (unsigned b = 0; b < p->nb; b++) {
		const struct table *tb = &p->f->tb[b];
		if (!p->want[b])
			continue;
		size_t lo = search_table_lower_bound(tb, c->key);
		if (lo == tb->n || search_table_key(tb, lo) != c->key)
			continue;
		const struct token t = search_table_token(tb, lo);
		uint64_t e = 0; /* the document + 1, from the table's first */
		for (uint32_t i = 0; i < t.len;) {
			uint64_t v = search_get_b32(t.postings, &i, p->digit);
			e += v >> 2;
			S_posting(p, e - 1 + (tb->from - p->from), v & 3);
		}
	}
	/* the two runs, each in order, merged: documents differ, so their
	   order is the order of the numbers */
	uint64_t *tmp = xmalloc((p->npostings ? p->npostings : 1) * sizeof *tmp);
	size_t i = 0, j = kept, k = 0;
	while (i < kept || j < p->npostings)
		tmp[k++] = j == p->npostings || (i < kept && p->postings[i] < p->postings[j])
		               ? p->postings[i++]
		               : p->postings[j++];
	uint64_t prev = 0; /* the previous document + 1 */
	buf_grow(list, p->npostings * 13);
	for (k = 0; k < p->npostings; k++) {
		uint64_t doc = tmp[k] >> 2;
		list->len +=
		    search_b32(list->data + list->len, (doc + 1 - prev) << 2 | (tmp[k] & 3));
		prev = doc + 1;
	}
	list->data[list->len] = '\0';
	free(tmp);
}

/* The next token of a shard's text at *q, before end: its text and its
   list, *q moved past it. 0, or -1 when it is not one. */
static int
S_next_entry(const char **q, const char *end, const char **text, size_t *tlen, const char **list,
             size_t *llen)
{
	const char *s = *q;
	if (s < end && *s == ',')
		s++;
	if (s >= end || *s != '"')
		return -1;
	const char *t = s + 1, *te = memchr(t, '"', (size_t)(end - t));
	if (!te || end - te < 3 || te[1] != ':' || te[2] != '"')
		return -1;
	const char *l = te + 3, *le = memchr(l, '"', (size_t)(end - l));
	if (!le)
		return -1;
	*text = t;
	*tlen = (size_t)(te - t);
	*list = l;
	*llen = (size_t)(le - l);
	*q = le + 1;
	return 0;
}

/* strcmp's order of a shard's text (not ended by a NUL) and s. */
static int
S_cmp_text(const char *t, size_t len, const char *s)
{
	size_t n = strlen(s);
	int c = memcmp(t, s, len < n ? len : n);
	return c ? c : (len > n) - (len < n);
}

/* Makes shard sh again, whose changed tokens are c[0..n), into r, from
   its file in the last build: 1, or 0 when that is not what the memo
   says it is. */
static int
S_remake(struct patch *p, size_t sh, const struct changed *c, size_t n, struct remade *r)
{
	char path[SHARD_PATH_MAX];
	struct buf old = BUF_INIT, head = BUF_INIT, list = BUF_INIT;
	search_shard_path(path, p->seg, sh);
	search_shard_head(&head, p->seg, sh);
	static const char tail[] = "});\n";
	size_t ntail = sizeof tail - 1;
	int ok = out_old_read(p->f->out, path, &old) &&
	         out_key(0, old.data, old.len) == p->old->shard[sh] &&
	         old.len >= head.len + ntail && !memcmp(old.data, head.data, head.len) &&
	         !memcmp(old.data + old.len - ntail, tail, ntail);
	*r = (struct remade){.sh = sh, .was = old.len};
	buf_init(&r->js);
	search_shard_head(&r->js, p->seg, sh);
	const char *q = old.data + head.len, *end = old.data + old.len - ntail;
	const char *text = NULL, *olist = NULL;
	size_t tlen = 0, llen = 0, k = 0;
	int have = 0, first = 1;
	while (ok) {
		if (!have && q < end)
			have = ok = S_next_entry(&q, end, &text, &tlen, &olist, &llen) == 0;
		if (!ok || (!have && k == n))
			break;
		const char *ctext = k < n ? p->texts.data + c[k].text : NULL;
		int cmp = !have ? 1 : k == n ? -1 : S_cmp_text(text, tlen, ctext);
		if (cmp < 0) { /* a token whose list did not change */
			search_shard_token(&r->js, first, text, tlen);
			buf_add(&r->js, olist, llen);
			buf_addc(&r->js, '"');
			first = have = 0;
			continue;
		}
		buf_reset(&list);
		S_relist(p, &c[k], cmp == 0 ? olist : NULL, llen, &list);
		size_t len = c[k].len;
		if (cmp == 0) {
			p->measure -= (long)(len + 6 + llen);
			p->tokens--;
			have = 0;
		}
		if (list.len) {
			p->measure += (long)(len + 6 + list.len);
			p->tokens++;
			search_shard_token(&r->js, first, ctext, len);
			buf_add(&r->js, list.data, list.len);
			buf_addc(&r->js, '"');
			first = 0;
		}
		k++;
	}
	search_shard_tail(&r->js);
	buf_release(&old);
	buf_release(&head);
	buf_release(&list);
	return ok;
}

/* The shards of the changed tokens made again, into p->shards: 1, or 0
   when one cannot be. */
static int
S_remake_all(struct patch *p)
{
	p->shards = xcalloc(p->n ? p->n : 1, sizeof *p->shards);
	for (size_t i = 0, j; i < p->n; i = j) {
		for (j = i + 1; j < p->n && p->v[j].shard == p->v[i].shard;)
			j++;
		if (!S_remake(p, p->v[i].shard, p->v + i, j - i, &p->shards[p->nshards++]))
			return 0;
	}
	return 1;
}

/* Keeps the shards not made again, then writes those made, and fills
   the segment's memo: 1, 0 when a shard kept has gone (kept marks those
   kept), or -1 after reporting. */
static int
S_commit(struct patch *p, unsigned char *kept)
{
	const struct seg_memo *m = p->old;
	char path[SHARD_PATH_MAX];
	for (size_t i = 0, r = 0; i < m->count; i++) {
		if (r < p->nshards && p->shards[r].sh == i) {
			r++;
			continue;
		}
		search_shard_path(path, p->seg, i);
		int rc = out_reuse(p->f->out, path, m->shard[i]);
		if (rc <= 0)
			return rc;
		kept[i] = 1;
	}
	struct seg_memo *now = &p->f->now[p->seg];
	*now = (struct seg_memo){.count = m->count,
	                         .tokens = (size_t)((long)m->tokens + p->tokens),
	                         .bytes = m->bytes,
	                         .measure = (size_t)((long)m->measure + p->measure),
	                         .shard = xmalloc(m->count * sizeof *now->shard)};
	memcpy(now->shard, m->shard, m->count * sizeof *now->shard);
	for (size_t r = 0; r < p->nshards; r++) {
		const struct remade *s = &p->shards[r];
		if (search_shard_put(p->f->out, p->seg, s->sh, &s->js, &now->shard[s->sh]) < 0)
			return -1;
		now->bytes += s->js.len;
		now->bytes -= s->was;
	}
	struct search_stats *st = &p->f->st;
	st->shards += now->count;
	st->tokens += now->tokens;
	st->bytes += now->bytes;
	st->patched++;
	st->shards_made += p->nshards;
	return 1;
}

static void
S_patch_free(struct patch *p)
{
	search_tables_free(p->f);
	for (unsigned b = 0; b < MAX_BLOCKS; b++) {
		free(p->was[b].blob);
		strlist_free(&p->was[b].words);
	}
	for (size_t r = 0; r < p->nshards; r++)
		buf_release(&p->shards[r].js);
	free(p->shards);
	free(p->v);
	free(p->postings);
	buf_release(&p->texts);
}

int
search_patch_segment(struct search_fill *f, size_t s, size_t from, size_t to, const uint64_t *keys,
                     unsigned char *kept)
{
	struct patch p = {.f = f, .seg = search_fill_number(f, s), .from = from, .to = to};
	p.old = p.seg < f->nold ? &f->old[p.seg] : NULL;
	p.nb = (unsigned)search_blocks(from, to);
	buf_init(&p.texts);
	search_b32_digits(p.digit);
	int rc = 0;
	if (S_eligible(&p, keys) && S_tables(&p)) {
		S_changed_tokens(&p);
		if (!S_remake_all(&p))
			p.why = "a shard is not what the last build's memo says";
		else if ((size_t)((long)p.old->measure + p.measure) / SEARCH_SHARD_BYTES + 1 !=
		         p.old->count)
			p.why = "its count of shards moved";
		else if ((rc = S_commit(&p, kept)) == 0)
			p.why = "a shard kept has gone";
	}
	if (rc == 0 && !f->st.unpatched++)
		f->st.unpatched_why = p.why;
	S_patch_free(&p);
	return rc;
}
