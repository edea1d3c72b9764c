/*
 * search_blocks: the tables of a segment's blocks kept in the cache
 * directory (search_int.h), so that a rebuild with one document changed
 * fills the posting lists of that document's block alone and reads the
 * others back: a segment is 5,120 to 8,192 documents, a block 512.
 *
 * A block's file is named by its key, a hash of its documents' hashes
 * in order, and never changes: "blocks/KEY" in hex. It holds
 *
 *   BLOCK_MAGIC (8 bytes), then as 64-bit numbers its key, documents,
 *   tokens, bytes of words, bytes of postings and bytes of tokens;
 *   each token, in the order of their keys, as varints (search_int.h):
 *   its key less the one before (the first's, less 0), the length of
 *   its postings, its last document + 1 and its word (0 for none);
 *   the words' texts, each ended by a NUL; the postings, token after
 *   token; a util_mix of all that comes before (64 bits).
 *
 * Some 7 bytes a token where the table in memory takes 24 (struct
 * block_token, whose start among the postings the lengths before it
 * give): at 100,000 articles of words from a lexicon, the blocks took
 * 491 MB beside a 305 MB index when the file was the table in memory.
 * A block read back is made that table again.
 *
 * Numbers are as this machine writes them: the cache is the machine's
 * own. A file that is not whole or not what it says is as none: its
 * block is filled again.
 *
 * A build that is committed names its blocks in "blocks.live"; the next
 * build starts by deleting every other block, so a failed build leaves
 * the last good one's blocks as they were. The cache is the project's,
 * whatever the output: two outputs built in turn from different pages
 * delete each other's blocks, which costs time, not correctness.
 */
#include "search_int.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "output.h"
#include "strlist.h"
#include "xalloc.h"

#define BLOCK_DIR   "blocks"
#define BLOCK_MAGIC "baokuSB4"
/* a block is a few megabytes; a file far larger is none */
#define BLOCK_MAX ((size_t)1 << 30)
/* what a block's key is made from besides its documents: a change to the
   file or to how lists are written is a change of this */
#define BLOCK_FORMAT "block-4"

/* The head of a packed table in memory, as of its file but for the
   bytes of its tokens there. */
struct block_head {
	char magic[8];
	uint64_t key, docs, tokens, words, postings;
};
/* so that the tokens after it are aligned */
_Static_assert(sizeof(struct block_head) == 48, "a packed table's head is 48 bytes");

/* A block file's head: the table's, and the bytes of its tokens. */
struct file_head {
	struct block_head h;
	uint64_t tokbytes;
};

uint64_t
search_block_key(struct search_doc *const *docs, size_t from, size_t to)
{
	uint64_t h = util_mix(0, BLOCK_FORMAT, sizeof BLOCK_FORMAT - 1);
	for (size_t d = from; d < to; d++) {
		if (!docs[d]->hash)
			return 0;
		h = util_mix_u64(h, docs[d]->hash);
	}
	return h ? h : 1;
}

size_t
search_blocks(size_t from, size_t to)
{
	return (to - from + SEARCH_BLOCK - 1) / SEARCH_BLOCK;
}

void
search_block_bounds(size_t from, size_t to, size_t b, size_t bounds[2])
{
	size_t nb = search_blocks(from, to), older = (nb - 1 - b) * SEARCH_BLOCK;
	bounds[1] = to - older;
	bounds[0] = b == 0 ? from : bounds[1] - SEARCH_BLOCK;
}

static void
S_name(uint64_t key, char name[32])
{
	snprintf(name, 32, BLOCK_DIR "/%016" PRIx64, key);
}

/* Whether the file's n bytes at b are a block of key for ndocs
   documents, whole: sets *fh to its head. */
static int
S_valid(const char *b, size_t n, uint64_t key, size_t ndocs, struct file_head *fh)
{
	const struct block_head *h = &fh->h;
	if (n < sizeof *fh + sizeof(uint64_t))
		return 0;
	memcpy(fh, b, sizeof *fh);
	if (memcmp(h->magic, BLOCK_MAGIC, sizeof h->magic) || h->key != key || h->docs != ndocs ||
	    h->tokens > n || fh->tokbytes > n || h->words > n || h->postings > n)
		return 0;
	size_t body = sizeof *fh + fh->tokbytes + h->words + h->postings;
	uint64_t sum;
	if (body + sizeof sum != n)
		return 0;
	memcpy(&sum, b + body, sizeof sum);
	return util_mix(0, b, body) == sum;
}

/* Reads a varint of the bytes [*p, end) into *v, moving *p past it: 0,
   or -1 when it does not end there or is longer than a varint may be. */
static int
S_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; *p < end && shift < 7 * VARINT_MAX; shift += 7) {
		unsigned char c = *(*p)++;
		*v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return 0;
	}
	return -1;
}

/* Whether c is a code point a token of characters may have: none that
   a shard would have to escape (those are in Latin words, if anywhere). */
static int
S_token_char(uint64_t c)
{
	return c >= 0x80 && c <= 0x10FFFF;
}

/* Whether key, a token's in a block file, is one a document may have:
   a Latin word's (its text checked apart), or a character or a pair of
   them. */
static int
S_token_key(uint64_t key)
{
	if (key & KEY_WORD)
		return 1;
	uint64_t first = key >> 21, second = key & 0x1FFFFF;
	return S_token_char(second) && (!first || S_token_char(first));
}

/* Whether the n bytes of a Latin word's text at w need no escaping in
   a shard. */
static int
S_word_text(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)w[i] < 0x20 || w[i] == '"' || w[i] == '\\')
			return 0;
	return 1;
}

/* The table of the valid block file at b (head fh) into t, whose
   documents are set: its blob in memory, as search_block_pack makes it,
   and its words. 0, or -1 when what it holds is not such a table (t's
   blob and words are then the caller's to free). A file whose sum is
   right may still be another build's or another program's: a token
   takes 4 bytes at least, a word is a token's, and every token is
   checked for what the join and the shards rely on. */
static int
S_unpack(const char *b, const struct file_head *fh, struct table *t)
{
	const struct block_head *h = &fh->h;
	if (h->tokens > fh->tokbytes / 4)
		return -1;
	uint64_t size = sizeof *h + h->tokens * sizeof(struct block_token) + h->words + h->postings;
	if (size > BLOCK_MAX)
		return -1;
	char *blob = xmalloc((size_t)size);
	memcpy(blob, h, sizeof *h);
	struct block_token *tok = (struct block_token *)(blob + sizeof *h);
	char *words = (char *)(tok + h->tokens), *post = words + h->words;
	const unsigned char *p = (const unsigned char *)b + sizeof *fh, *end = p + fh->tokbytes;
	memcpy(words, b + sizeof *fh + fh->tokbytes, h->words + h->postings);
	t->blob = blob;
	t->packed = tok;
	t->post = post;
	t->n = h->tokens;
	for (const char *w = words; w < words + h->words;) {
		const char *wend = memchr(w, '\0', (size_t)(words + h->words - w));
		if (!wend || t->words.n >= h->tokens || !S_word_text(w, (size_t)(wend - w)))
			return -1;
		strlist_add(&t->words, w, (size_t)(wend - w));
		w = wend + 1;
	}
	uint64_t key = 0, at = 0;
	for (size_t i = 0; i < h->tokens; i++) {
		uint64_t v[4];
		for (int k = 0; k < 4; k++)
			if (S_varint(&p, end, &v[k]) < 0)
				return -1;
		/* what the join relies on: keys ascending, a list ends with a
		   number's last character, and a word's key has its text */
		if ((i && !v[0]) || v[0] > UINT64_MAX - key || !v[1] || v[1] > h->postings - at ||
		    v[2] > h->docs || v[3] > t->words.n)
			return -1;
		key += v[0];
		tok[i] = (struct block_token){key, (uint32_t)v[3], (uint32_t)v[1], (uint32_t)v[2],
		                              (uint32_t)at};
		at += v[1];
		if (!(key & KEY_WORD) != !v[3] || !S_token_key(key) ||
		    !memchr(SEARCH_LAST, post[at - 1], sizeof SEARCH_LAST - 1))
			return -1;
	}
	return p == end && at == h->postings ? 0 : -1;
}

int
search_block_read(struct output *out, struct table *tb)
{
	char name[32];
	if (!tb->key)
		return 0;
	S_name(tb->key, name);
	size_t n = 0;
	char *b = out_cache_map(out, name, BLOCK_MAX, &n);
	struct file_head fh;
	struct table t = {.docs = tb->docs, .from = tb->from, .to = tb->to, .key = tb->key};
	int ok = b && S_valid(b, n, tb->key, tb->to - tb->from, &fh) && S_unpack(b, &fh, &t) == 0;
	util_unmap(b, n);
	if (!ok) {
		strlist_free(&t.words);
		free(t.blob);
		return 0;
	}
	*tb = t;
	return 1;
}

/* A token's key and its place in its table. */
struct key_at {
	uint64_t key;
	size_t i;
};

/* The places of the n tokens t in the order of their keys. */
static struct key_at *
S_by_key(const struct fill_token *t, size_t n)
{
	struct key_at *v = xmalloc((n ? n : 1) * sizeof *v),
	              *tmp = xmalloc((n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct key_at){t[i].key, i};
	search_sort_keys(v, tmp, n, sizeof *v);
	free(tmp);
	return v;
}

/* Goes through the table's occurrences in document order, writing each
   its token's next posting at post + its len, and moving len past it
   (each token's last 0 before). */
static void
S_postings(struct table *tb, char *post)
{
	for (size_t d = 0; d < tb->to - tb->from; d++) {
		for (size_t i = tb->docat[d]; i < tb->docat[d + 1]; i++) {
			uint32_t o = search_occ(tb, i);
			struct fill_token *t = &tb->fill[o >> 2];
			uint64_t x = (uint64_t)(d + 1 - t->last) << 2 | (o & 3);
			t->len += (uint32_t)search_b32(post + t->len, x);
			t->last = (uint32_t)d + 1;
		}
	}
}

void
search_block_pack(struct table *tb)
{
	free(tb->slots);
	tb->slots = NULL;
	tb->nslots = 0;
	/* in the order of their keys, as a segment's tables are merged */
	struct key_at *order = S_by_key(tb->fill, tb->n);
	struct block_head h = {.key = tb->key, .docs = tb->to - tb->from, .tokens = tb->n};
	memcpy(h.magic, BLOCK_MAGIC, sizeof h.magic);
	for (size_t i = 0; i < tb->words.n; i++)
		h.words += strlen(tb->words.v[i]) + 1;
	for (size_t i = 0; i < tb->n; i++)
		h.postings += tb->fill[i].len;
	struct buf b = BUF_INIT;
	buf_grow(&b, sizeof h + tb->n * sizeof(struct block_token) + h.words +
	                 h.postings); /* at once: a block is megabytes */
	buf_add(&b, (const char *)&h, sizeof h);
	for (size_t k = 0, start = 0; k < tb->n; k++) {
		size_t i = order[k].i;
		struct fill_token *t = &tb->fill[i];
		struct block_token bt = {t->key, t->word, t->len, t->last, (uint32_t)start};
		buf_add(&b, (const char *)&bt, sizeof bt);
		start += t->len;
		t->len = (uint32_t)(start - t->len); /* ... then where it is written */
		t->last = 0;
	}
	free(order);
	for (size_t i = 0; i < tb->words.n; i++)
		buf_add(&b, tb->words.v[i], strlen(tb->words.v[i]) + 1);
	S_postings(tb, b.data + b.len);
	b.len += h.postings;
	b.data[b.len] = '\0'; /* as buf_add leaves it */
	search_occ_free(tb);
	free(tb->fill);
	tb->fill = NULL;
	tb->cap = 0;
	tb->blob = buf_detach(&b, NULL);
	tb->packed = (const struct block_token *)(tb->blob + sizeof h);
	tb->post = tb->blob + sizeof h + tb->n * sizeof(struct block_token) + h.words;
}

void
search_occ_free(struct table *tb)
{
	for (size_t i = 0; i < tb->nchunks; i++)
		free(tb->occ[i]);
	free(tb->occ);
	free(tb->docat);
	tb->occ = NULL;
	tb->docat = NULL;
	tb->nocc = tb->nchunks = 0;
}

int
search_block_write(struct output *out, const struct table *tb)
{
	char name[32];
	if (!tb->key || !tb->blob)
		return 0;
	struct file_head fh = {0};
	memcpy(&fh.h, tb->blob, sizeof fh.h);
	struct buf b = BUF_INIT;
	/* at once: some 7 bytes a token, 25 at most */
	buf_grow(&b, sizeof fh + tb->n * 8 + fh.h.words + fh.h.postings + sizeof(uint64_t));
	buf_add(&b, (const char *)&fh, sizeof fh); /* its tokbytes set below */
	uint64_t key = 0;
	for (size_t i = 0; i < tb->n; i++) {
		const struct block_token *t = &tb->packed[i];
		unsigned char v[4 * VARINT_MAX], *p = v;
		p = search_put_varint(p, t->key - key);
		p = search_put_varint(p, t->len);
		p = search_put_varint(p, t->last);
		p = search_put_varint(p, t->word);
		buf_add(&b, (const char *)v, (size_t)(p - v));
		key = t->key;
	}
	fh.tokbytes = b.len - sizeof fh;
	memcpy(b.data, &fh, sizeof fh);
	const char *words = (const char *)(tb->packed + tb->n);
	buf_add(&b, words, fh.h.words + fh.h.postings); /* the postings follow the words */
	uint64_t sum = util_mix(0, b.data, b.len);
	buf_add(&b, (const char *)&sum, sizeof sum);
	S_name(tb->key, name);
	FILE *f = out_cache_create(out, name);
	/* a short write leaves the file's error set, which out_cache_done
	   reports */
	if (f)
		(void)!fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	return f ? out_cache_done(out, name, f) : -1;
}

static int
S_cmp_key(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

#define LIVE_NAME  "blocks.live"
#define LIVE_MAGIC "baokuBL1"

void
search_blocks_keep(struct output *out, const uint64_t *live, size_t n)
{
	static const uint64_t none[1];
	if (!n) /* an index of no documents: live may be NULL */
		live = none;
	FILE *f = out_cache_create(out, LIVE_NAME);
	if (!f)
		return;
	uint64_t count = n, sum = util_mix(0, live, n * sizeof *live);
	fputs(LIVE_MAGIC, f);
	fwrite(&count, sizeof count, 1, f);
	fwrite(live, sizeof *live, n, f);
	fwrite(&sum, sizeof sum, 1, f);
	out_cache_done(out, LIVE_NAME, f);
}

/* The keys blocks.live names, sorted, into *v: their number, or -1 when
   there is no such file or it is not whole. */
static long
S_read_live(struct output *out, uint64_t **v)
{
	size_t n = 0;
	char *b = out_cache_slurp(out, LIVE_NAME, BLOCK_MAX, &n);
	uint64_t count, sum;
	size_t head = sizeof LIVE_MAGIC - 1 + sizeof count;
	if (!b || n < head + sizeof sum || memcmp(b, LIVE_MAGIC, sizeof LIVE_MAGIC - 1)) {
		free(b);
		return -1;
	}
	memcpy(&count, b + head - sizeof count, sizeof count);
	if (count != (n - head - sizeof sum) / sizeof **v ||
	    n != head + count * sizeof **v + sizeof sum) {
		free(b);
		return -1;
	}
	*v = xmalloc((count ? count : 1) * sizeof **v);
	memcpy(*v, b + head, count * sizeof **v);
	memcpy(&sum, b + head + count * sizeof **v, sizeof sum);
	free(b);
	if (util_mix(0, *v, count * sizeof **v) != sum) {
		free(*v);
		return -1;
	}
	qsort(*v, count, sizeof **v, S_cmp_key);
	return (long)count;
}

/* Whether the block file name is to stay: its key is among the sorted
   live, or it is one a build still running is writing. */
struct live {
	uint64_t *v;
	size_t n;
};

static int
S_stays(const char *name, void *arg)
{
	const struct live *l = arg;
	char *end;
	uint64_t key = strtoull(name, &end, 16);
	if (!strncmp(end, ".new-", 5))
		return out_cache_writer_alive(end + 5);
	return *end == '\0' && bsearch(&key, l->v, l->n, sizeof *l->v, S_cmp_key) != NULL;
}

void
search_blocks_prune(struct output *out)
{
	struct live l = {NULL, 0};
	long n = S_read_live(out, &l.v);
	if (n < 0) /* without a list, nothing is known to be unused */
		return;
	l.n = (size_t)n;
	out_cache_prune(out, BLOCK_DIR, S_stays, &l);
	free(l.v);
}
