#include "search_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "output.h"
#include "text.h"
#include "xalloc.h"

/* The table's own index of its tokens, not an hmap: this is the loop that
   touches a token for every token of every document, and 4-byte slots
   with the key compared in the token fill 10-15% faster than hmap's
   8-byte slots (87,000 documents: 1.58-1.70 s against 1.82-2.13 s). */
static size_t
S_slot(uint64_t key, size_t nslots)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (nslots - 1);
}

static void
S_grow(struct table *tb)
{
	free(tb->slots);
	tb->nslots = tb->nslots ? tb->nslots * 2 : 1 << 16;
	tb->slots = xcalloc_written(tb->nslots, sizeof *tb->slots);
	for (size_t i = 0; i < tb->n; i++) {
		size_t j = S_slot(tb->fill[i].key, tb->nslots);
		while (tb->slots[j])
			j = (j + 1) & (tb->nslots - 1);
		tb->slots[j] = (uint32_t)i + 1;
	}
}

/* The tokens of the table's documents, in order, and where each stands
   in each (tb->occ, in document order); search_block_pack makes their
   posting lists of them. */
static void
S_fill(struct table *tb)
{
	struct buf spilled = BUF_INIT;
	size_t capchunks = 0;
	uint32_t *at = NULL, *room = NULL; /* the last chunk's room: [at, room) */
	tb->docat = xmalloc((tb->to - tb->from + 1) * sizeof *tb->docat);
	for (size_t d = tb->from; d < tb->to; d++) {
		const struct search_doc *doc = tb->docs[d];
		tb->docat[d - tb->from] = (uint32_t)tb->nocc;
		uint32_t nth = (uint32_t)(d - tb->from) + 1; /* as a token's last has it */
		const unsigned char *p;
		const char *word;
		int got = search_doc_tokens(doc, &spilled, &p, &word);
		if (got < 0) {
			tb->failed = got == SEARCH_DAMAGED && !tb->failed ? SEARCH_DAMAGED : -1;
			continue;
		}
		const unsigned char *end = p + doc->len;
		const char *wend = word + doc->wlen;
		uint64_t key = 0;
		while (p < end) {
			uint64_t v = search_get_varint(&p);
			key += v >> 2;
			const char *w = NULL;
			if (key & KEY_WORD) {
				if (word >= wend) { /* more words than were kept */
					tb->failed = -1;
					break;
				}
				w = word;
				word += strlen(word) + 1;
			}
			if (tb->n * 2 >= tb->nslots)
				S_grow(tb);
			size_t j = S_slot(key, tb->nslots);
			while (tb->slots[j] && tb->fill[tb->slots[j] - 1].key != key)
				j = (j + 1) & (tb->nslots - 1);
			size_t k = tb->slots[j] ? tb->slots[j] - 1 : tb->n;
			if (!tb->slots[j]) {
				tb->fill = xgrow(tb->fill, &tb->cap, tb->n, sizeof *tb->fill, 4096);
				tb->fill[tb->n] = (struct fill_token){.key = key};
				if (w) {
					strlist_add(&tb->words, w, strlen(w));
					tb->fill[tb->n].word = (uint32_t)tb->words.n;
				}
				tb->slots[j] = (uint32_t)++tb->n;
			}
			if (at == room) {
				tb->occ =
				    xgrow(tb->occ, &capchunks, tb->nchunks, sizeof *tb->occ, 16);
				at = tb->occ[tb->nchunks++] = xmalloc(OCC_CHUNK * sizeof *at);
				room = at + OCC_CHUNK;
			}
			search_fill_measure(&tb->fill[k], nth, (unsigned)(v & 3));
			*at++ = (uint32_t)k << 2 | (uint32_t)(v & 3);
			tb->nocc++;
		}
	}
	tb->docat[tb->to - tb->from] = (uint32_t)tb->nocc;
	buf_release(&spilled);
}

void
search_token_text(const struct table *tb, const struct token *t, struct buf *b)
{
	if (t->word) {
		buf_adds(b, tb->words.v[t->word - 1]);
	} else if (t->key >> 21) {
		txt_put(b, (uint32_t)(t->key >> 21));
		txt_put(b, (uint32_t)(t->key & 0x1FFFFF));
	} else {
		txt_put(b, (uint32_t)t->key);
	}
}

/* ---------------------------------------------------------------------
 * The fill, a segment at a time
 * ------------------------------------------------------------------- */

/* The blocks of a segment still to be filled, taken one at a time by
   the fill's threads, each kept in the cache once packed. */
struct block_work {
	struct search_fill *f;
	struct table *tb;
	const unsigned *todo;
	unsigned n;
	atomic_uint next;
};

static void *
S_fill_blocks(void *arg)
{
	struct block_work *w = arg;
	for (unsigned i; (i = atomic_fetch_add(&w->next, 1)) < w->n;) {
		struct table *tb = &w->tb[w->todo[i]];
		S_fill(tb);
		if (tb->failed)
			continue;
		search_block_pack(tb); /* its occurrences freed before the next is filled */
		if (!atomic_load(&w->f->unkept) && search_block_write(w->f->out, tb) < 0)
			atomic_store(&w->f->unkept, 1);
	}
	return NULL;
}

int
search_fill_blocks(struct search_fill *f, size_t from, size_t to, unsigned *nb,
                   const unsigned char *want)
{
	unsigned todo[MAX_BLOCKS];
	struct block_work w = {.f = f, .tb = f->tb, .todo = todo};
	unsigned read = 0;
	*nb = (unsigned)search_blocks(from, to);
	for (unsigned b = 0; b < *nb; b++) {
		if (want && !want[b])
			continue;
		struct table *tb = &f->tb[b];
		size_t bounds[2];
		search_block_bounds(from, to, b, bounds);
		*tb = (struct table){.docs = f->docs, .from = bounds[0], .to = bounds[1]};
		tb->key = search_block_key(f->docs, tb->from, tb->to);
		if (search_block_read(f->out, tb)) {
			read++;
		} else {
			S_grow(tb);
			todo[w.n++] = b;
		}
	}
	f->st.blocks_kept += read;
	atomic_init(&w.next, 0);
	pthread_t tids[MAX_PARTS];
	unsigned started = 0;
	while (started + 1 < f->threads && started + 1 < w.n &&
	       pthread_create(&tids[started], NULL, S_fill_blocks, &w) == 0)
		started++;
	S_fill_blocks(&w);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	int failed = 0;
	for (unsigned i = 0; i < w.n; i++) {
		const struct table *tb = &f->tb[todo[i]];
		if (tb->failed && failed != -1)
			failed = tb->failed;
	}
	return failed;
}

void
search_table_free(struct table *tb)
{
	free(tb->blob);
	strlist_free(&tb->words);
	free(tb->fill);
	free(tb->slots);
	search_occ_free(tb);
	*tb = (struct table){0};
}

void
search_tables_free(struct search_fill *f)
{
	for (unsigned p = 0; p < MAX_BLOCKS; p++)
		search_table_free(&f->tb[p]);
}

/* What segment [from, to) is made from: its documents' hashes in order
   (0 when one is unknown). */
static uint64_t
S_segment_key(const struct search_fill *f, size_t from, size_t to)
{
	uint64_t h = util_mix(0, "segment", 7);
	for (size_t d = from; d < to; d++) {
		if (!f->docs[d]->hash)
			return 0;
		h = util_mix_u64(h, f->docs[d]->hash);
	}
	return h ? h : 1;
}

/* Keeps the last build's shards of segment s, made from the same
   documents, when they are all there: 1, and its memo is the last one's;
   0 when it must be made (kept marks the shards kept all the same);
   -1 after reporting. */
static int
S_keep_segment(struct search_fill *f, size_t s, uint64_t key, unsigned char *kept)
{
	if (!key || s >= f->nold || f->old[s].key != key)
		return 0;
	const struct seg_memo *m = &f->old[s];
	char path[SHARD_PATH_MAX];
	for (size_t i = 0; i < m->count; i++) {
		search_shard_path(path, s, i);
		if (!out_was_made(f->out, path, m->shard[i]))
			return 0;
	}
	size_t n = 0;
	for (size_t i = 0; i < m->count; i++) {
		search_shard_path(path, s, i);
		int rc = out_reuse(f->out, path, m->shard[i]);
		if (rc < 0)
			return -1;
		kept[i] = (unsigned char)rc;
		n += (size_t)rc;
	}
	if (n < m->count) /* a file has gone: the rest is made */
		return 0;
	struct seg_memo *now = &f->now[s];
	*now = *m;
	now->docs = NULL; /* the docs files' bytes come when they are written */
	now->ndocs = 0;
	now->shard = xmalloc(m->count * sizeof *now->shard);
	memcpy(now->shard, m->shard, m->count * sizeof *now->shard);
	f->st.shards += m->count;
	f->st.tokens += m->tokens;
	f->st.bytes += m->bytes;
	return 1;
}

/* Makes segment s, [from, to), but the shards kept: its lists, then its
   shards. */
static int
S_make_segment(struct search_fill *f, size_t s, size_t from, size_t to, const unsigned char *kept,
               size_t nkept)
{
	unsigned nb = 0;
	int rc = search_fill_blocks(f, from, to, &nb, NULL);
	if (rc == SEARCH_DAMAGED) /* the build says so, and builds again */
		f->st.damaged = 1;
	else if (rc < 0)
		diag_error("search", 0, 0,
		           "cannot read back the tokens put aside in the cache directory; "
		           "check the disk and build again");
	else
		rc = search_write_segment(f->tb, nb, s, from, f->out, &f->now[s], kept, nkept,
		                          (int)f->threads, &f->st);
	rc = rc < 0 ? -1 : rc;
	search_tables_free(f);
	/* a shard kept is the last build's, which its memo names (when the
	   count is the same: search_write_segment) */
	for (size_t i = 0; rc == 0 && f->now[s].count == nkept && i < nkept; i++)
		if (kept[i])
			f->now[s].shard[i] = f->old[s].shard[i];
	return rc;
}

/* The keys of segment [from, to)'s blocks, into keys; adds them to
   those the cache keeps, whether the segment is made or kept. */
static void
S_live_blocks(struct search_fill *f, size_t from, size_t to, uint64_t keys[MAX_BLOCKS])
{
	size_t nb = search_blocks(from, to);
	for (size_t b = 0; b < nb; b++) {
		size_t bounds[2];
		search_block_bounds(from, to, b, bounds);
		uint64_t key = keys[b] = search_block_key(f->docs, bounds[0], bounds[1]);
		if (!key)
			continue;
		f->live = xgrow(f->live, &f->caplive, f->nlive, sizeof *f->live, 64);
		f->live[f->nlive++] = key;
	}
}

/* Whether a segment may end at document d: one in SEARCH_SEGMENT_CUT
   may, by its hash (never one whose hash is not known). */
static int
S_may_end(const struct search_doc *d)
{
	return d->hash && (d->hash >> 20) % SEARCH_SEGMENT_CUT == 0;
}

size_t
search_segments(struct search_doc *const *docs, size_t n, size_t **from)
{
	/* the segments' first documents, from the oldest segment up */
	size_t *first = xcalloc(n / SEARCH_SEGMENT_MIN + 2, sizeof *first);
	size_t nseg = 0, end = n; /* the segment being cut ends before end */
	for (size_t d = n; d-- > 0;) {
		size_t size = end - d;
		if (size >= SEARCH_SEGMENT_MAX ||
		    (size >= SEARCH_SEGMENT_MIN && S_may_end(docs[d])))
			first[nseg++] = end = d;
	}
	if (end > 0 && end < SEARCH_SEGMENT_MIN && nseg > 0 &&
	    (nseg > 1 ? first[nseg - 2] : n) <= SEARCH_SEGMENT_MAX)
		first[nseg - 1] = 0; /* too few left: the one before takes them */
	else if (end > 0)
		first[nseg++] = 0;
	*from = xcalloc(nseg + 1, sizeof **from);
	for (size_t s = 0; s < nseg; s++)
		(*from)[s] = first[nseg - 1 - s];
	(*from)[nseg] = n;
	free(first);
	return nseg;
}

/* The fill's thread: each segment's posting lists, then its shards, and
   its documents' tokens freed, before the next segment's: what is held
   is one segment's lists, whatever the archive's size. A segment made
   from the same documents as in the last build keeps its shards. */
static void *
S_run(void *arg)
{
	struct search_fill *f = arg;
	for (size_t s = 0; s < f->nseg && f->rc == 0; s++) {
		if (atomic_load(&f->stop))
			break;
		size_t from = f->from[s], to = f->from[s + 1], seg = search_fill_number(f, s);
		uint64_t key = S_segment_key(f, from, to), blocks[MAX_BLOCKS] = {0};
		S_live_blocks(f, from, to, blocks);
		size_t nkept = seg < f->nold ? f->old[seg].count : 0;
		unsigned char *kept = xcalloc(nkept + 1, 1);
		int rc = S_keep_segment(f, seg, key, kept);
		if (rc == 1)
			f->kept++;
		if (rc == 0)
			rc = search_patch_segment(f, s, from, to, blocks, kept);
		if (rc == 0)
			rc = S_make_segment(f, seg, from, to, kept, nkept);
		free(kept);
		f->rc = rc < 0 ? -1 : 0;
		struct seg_memo *now = &f->now[seg];
		now->key = key;
		now->size = to - from;
		memcpy(now->block, blocks, sizeof now->block);
		for (size_t d = from; d < to; d++)
			search_doc_forget_tokens(f->docs[d]);
	}
	f->st.fill_seconds = util_now() - f->t0;
	return NULL;
}

struct search_fill *
search_fill_start(struct search_doc *const *docs, size_t n, int threads, struct output *out)
{
	struct search_fill *f = xcalloc(1, sizeof *f);
	f->t0 = util_now();
	f->docs = docs;
	f->n = n;
	f->out = out;
	f->threads = threads > 1 ? (unsigned)threads : 1;
	if (f->threads > MAX_PARTS)
		f->threads = MAX_PARTS;
	f->nseg = search_segments(docs, n, &f->from);
	f->now = xcalloc(f->nseg + 1, sizeof *f->now);
	search_memo_read(out, &f->old, &f->nold);
	search_blocks_prune(out); /* before the fill reads any */
	atomic_init(&f->stop, 0);
	atomic_init(&f->unkept, 0);
	f->started = pthread_create(&f->tid, NULL, S_run, f) == 0;
	return f;
}

int
search_fill_join(struct search_fill *f)
{
	if (f->started)
		pthread_join(f->tid, NULL);
	else
		S_run(f);
	f->started = 0;
	return f->rc;
}

void
search_fill_free(struct search_fill *f)
{
	search_memo_free(f->old, f->nold);
	search_memo_free(f->now, f->nseg);
	free(f->live);
	free(f->from);
	free(f->own);
	free(f);
}

void
search_fill_abandon(struct search_fill *f)
{
	if (!f)
		return;
	atomic_store(&f->stop, 1);
	if (f->started)
		pthread_join(f->tid, NULL);
	search_fill_free(f);
}

uint32_t
search_shard_hash(const char *text, size_t len)
{
	uint32_t h = 0;
	size_t k;
	for (size_t i = 0; i < len; i += k)
		h = h * 31 + txt_decode(text + i, len - i, &k);
	return h;
}
