/*
 * search_blocks: the tables of a segment's blocks kept in the cache
 * directory (search_int.h), so that a rebuild with one document changed
 * fills the posting lists of that document's block alone and reads the
 * others back: a segment is 5,120 to 8,192 documents, a block 1,024.
 *
 * A block's file is named by its key, a hash of its documents' hashes
 * in order, and never changes: "blocks/KEY" in hex. It holds
 *
 *   BLOCK_MAGIC (8 bytes), then as 64-bit numbers its key, documents,
 *   tokens, bytes of words and bytes of postings;
 *   each token: key (64 bits), word, len and last (32 bits each) and
 *   32 bits of nothing;
 *   the words' texts, each ended by a NUL; the postings, token after
 *   token; a util_mix of all that comes before (64 bits).
 *
 * Numbers are as this machine writes them: the cache is the machine's
 * own. A file that is not whole or not what it says is as none: its
 * block is filled again.
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
#define BLOCK_MAGIC "baokuSB1"
/* what a block's key is made from besides its documents: a change to the
   file or to how lists are written is a change of this */
#define BLOCK_FORMAT "block-1"

struct block_head {
	char magic[8];
	uint64_t key, docs, tokens, words, postings;
};

struct block_token {
	uint64_t key;
	uint32_t word, len, last, pad;
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

static void
S_name(uint64_t key, char name[32])
{
	snprintf(name, 32, BLOCK_DIR "/%016" PRIx64, key);
}

/* The whole file f into a buffer of its own, *len bytes; NULL when it
   cannot be read. */
static char *
S_slurp(FILE *f, size_t *len)
{
	if (fseek(f, 0, SEEK_END) != 0)
		return NULL;
	long size = ftell(f);
	if (size < (long)(sizeof(struct block_head) + sizeof(uint64_t)) ||
	    fseek(f, 0, SEEK_SET) != 0)
		return NULL;
	char *b = xmalloc((size_t)size);
	if (fread(b, 1, (size_t)size, f) != (size_t)size) {
		free(b);
		return NULL;
	}
	*len = (size_t)size;
	return b;
}

/* Whether the file's n bytes at b are a block of key for ndocs
   documents, whole: sets *h to its head. */
static int
S_valid(const char *b, size_t n, uint64_t key, size_t ndocs, struct block_head *h)
{
	memcpy(h, b, sizeof *h);
	if (memcmp(h->magic, BLOCK_MAGIC, sizeof h->magic) || h->key != key || h->docs != ndocs ||
	    h->tokens > n / sizeof(struct block_token) || h->words > n || h->postings > n)
		return 0;
	size_t body = sizeof *h + h->tokens * sizeof(struct block_token) + h->words + h->postings;
	uint64_t sum;
	if (body + sizeof sum != n)
		return 0;
	memcpy(&sum, b + body, sizeof sum);
	return util_mix(0, b, body) == sum;
}

int
search_block_read(struct output *out, struct table *tb)
{
	char name[32];
	if (!tb->key)
		return 0;
	S_name(tb->key, name);
	FILE *f = out_cache_read(out, name);
	if (!f)
		return 0;
	size_t n = 0;
	char *b = S_slurp(f, &n);
	fclose(f);
	struct block_head h;
	if (!b || !S_valid(b, n, tb->key, tb->to - tb->from, &h)) {
		free(b);
		return 0;
	}
	const char *tok = b + sizeof h, *words = tok + h.tokens * sizeof(struct block_token);
	char *post = b + sizeof h + h.tokens * sizeof(struct block_token) + h.words;
	struct table t = {
	    .docs = tb->docs, .from = tb->from, .to = tb->to, .key = tb->key, .blob = b};
	t.t = xcalloc(h.tokens ? h.tokens : 1, sizeof *t.t);
	for (const char *w = words; w < words + h.words;) {
		const char *end = memchr(w, '\0', (size_t)(words + h.words - w));
		if (!end)
			goto bad;
		strlist_add(&t.words, w, (size_t)(end - w));
		w = end + 1;
	}
	size_t at = 0;
	for (size_t i = 0; i < h.tokens; i++) {
		struct block_token bt;
		memcpy(&bt, tok + i * sizeof bt, sizeof bt);
		if (bt.word > t.words.n || bt.len > h.postings - at || !bt.len || bt.last > h.docs)
			goto bad;
		t.t[i] = (struct token){.key = bt.key,
		                        .postings = post + at,
		                        .len = bt.len,
		                        .last = bt.last,
		                        .word = bt.word};
		at += bt.len;
	}
	if (at != h.postings)
		goto bad;
	t.n = t.cap = h.tokens;
	*tb = t;
	return 1;
bad:
	strlist_free(&t.words);
	free(t.t);
	free(b);
	return 0;
}

int
search_block_write(struct output *out, const struct table *tb)
{
	char name[32];
	if (!tb->key)
		return 0;
	S_name(tb->key, name);
	FILE *f = out_cache_create(out, name);
	if (!f)
		return -1;
	struct block_head h = {.key = tb->key, .docs = tb->to - tb->from, .tokens = tb->n};
	memcpy(h.magic, BLOCK_MAGIC, sizeof h.magic);
	for (size_t i = 0; i < tb->words.n; i++)
		h.words += strlen(tb->words.v[i]) + 1;
	for (size_t i = 0; i < tb->n; i++)
		h.postings += tb->t[i].len;
	struct buf b = BUF_INIT;
	buf_add(&b, (const char *)&h, sizeof h);
	for (size_t i = 0; i < tb->n; i++) {
		const struct token *t = &tb->t[i];
		struct block_token bt = {t->key, t->word, t->len, t->last, 0};
		buf_add(&b, (const char *)&bt, sizeof bt);
	}
	for (size_t i = 0; i < tb->words.n; i++)
		buf_add(&b, tb->words.v[i], strlen(tb->words.v[i]) + 1);
	for (size_t i = 0; i < tb->n; i++)
		buf_add(&b, tb->t[i].postings, tb->t[i].len);
	uint64_t sum = util_mix(0, b.data, b.len);
	buf_add(&b, (const char *)&sum, sizeof sum);
	int rc = -1;
	if (fwrite(b.data, 1, b.len, f) == b.len)
		rc = out_cache_done(out, name, f); /* warns when it fails */
	else
		out_cache_abandon(out, name, f);
	buf_release(&b);
	return rc;
}

static int
S_cmp_key(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

/* Whether the file name is a block whose key is among the sorted live. */
struct live {
	uint64_t *v;
	size_t n;
};

static int
S_is_live(const char *name, void *arg)
{
	const struct live *l = arg;
	char *end;
	uint64_t key = strtoull(name, &end, 16);
	return *end == '\0' && bsearch(&key, l->v, l->n, sizeof *l->v, S_cmp_key) != NULL;
}

void
search_blocks_prune(struct output *out, const uint64_t *live, size_t n)
{
	struct live l = {xmalloc((n ? n : 1) * sizeof *live), n};
	memcpy(l.v, live, n * sizeof *live);
	qsort(l.v, n, sizeof *l.v, S_cmp_key);
	out_cache_prune(out, BLOCK_DIR, S_is_live, &l);
	free(l.v);
}
