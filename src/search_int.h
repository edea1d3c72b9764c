/*
 * search_int.h: what the parts of the search index share, and
 * nothing the rest of baoku sees (that is search.h).
 *
 *   search_tokens.c    text into tokens, and each article's tokens into a
 *                      document: its distinct keys, delta-coded varints
 *   search_postings.c  the documents' keys into posting lists, on several
 *                      threads: one table of tokens for each block of a
 *                      segment's documents
 *   search_blocks.c    the blocks' tables kept in the cache directory, so
 *                      that a segment with one document changed fills
 *                      that document's block alone
 *   search_shards.c    the tables into the files search/ holds: shards,
 *                      documents, meta.js and fold.js
 *   search_patch.c     a segment with a few blocks changed: the last
 *                      build's shards of the tokens whose lists changed
 *                      made again, the others kept
 */
#ifndef BAOKU_SEARCH_INT_H
#define BAOKU_SEARCH_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "search.h"
#include "util.h"

struct output;

/* What making documents one after another reuses: a set of tokens whose
   slots are stamped with the document that took them, so nothing is
   cleared between documents. */
struct search_slot {
	uint64_t key;   /* a token's key, when stamp is now */
	uint32_t stamp; /* the document that took the slot */
	uint32_t index; /* into the document's keys */
};
struct search_set {
	struct search_slot *slots;
	size_t n; /* slots, a power of 2 */
	uint32_t now;
	uint64_t *chars; /* a bit for each character of the BMP the document
	                    has as a token: most repeat, and need no probe */
	uint64_t *tmp;   /* room to sort the document's keys */
	size_t ntmp;
};

/* A key's kind: a Latin word or number has bit 61 set (and a hash); a
   pair of characters is (first << 21 | second); a character is itself.
   Two bits stay free above it for where the token stands (SEARCH_IN_*). */
#define KEY_WORD (1ULL << 61)

/* Writes v at p, seven bits a byte from the lowest, each but the last
   with its high bit set: at most VARINT_MAX bytes. Returns their end. */
#define VARINT_MAX 10
static inline unsigned char *
search_put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(0x80 | (v & 0x7F));
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

/* Reads the number search_put_varint wrote at *p, moving *p past it. */
static inline uint64_t
search_get_varint(const unsigned char **p)
{
	uint64_t v = 0;
	for (int shift = 0;; shift += 7) {
		unsigned char c = *(*p)++;
		v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return v;
	}
}

/*
 * A number as the search page reads it: five bits per character, most
 * significant first; every character but the last from SEARCH_CONT, the
 * last from SEARCH_LAST. Both sets are safe inside a JavaScript string.
 */
static const char SEARCH_LAST[] = "0123456789abcdefghijklmnopqrstuv";
static const char SEARCH_CONT[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ()*+-.";

/* How many characters search_b32 writes v in. */
static inline size_t
search_b32_len(uint64_t v)
{
	return v < 32 ? 1 : (size_t)(64 - __builtin_clzll(v) + 4) / 5;
}

/* Writes v at p, as the search page reads it: at most 13 characters.
   Returns how many. */
static inline size_t
search_b32(char *p, uint64_t v)
{
	if (v < 32) { /* the common case, a gap under 32 documents */
		*p = SEARCH_LAST[v];
		return 1;
	}
	/* from the last character back, in place: a copy of a few bytes
	   costs more than the rest */
	int n = (int)search_b32_len(v);
	p[n - 1] = SEARCH_LAST[v & 31];
	for (int i = n - 2; i >= 0; i--) {
		v >>= 5;
		p[i] = SEARCH_CONT[v & 31];
	}
	return (size_t)n;
}

/* The value of each character of a number search_b32 wrote: 0-31 for
   its last character, 32-63 for the others, -1 for none. */
static inline void
search_b32_digits(signed char digit[256])
{
	memset(digit, -1, 256);
	for (int i = 0; i < 32; i++) {
		digit[(unsigned char)SEARCH_LAST[i]] = (signed char)i;
		digit[(unsigned char)SEARCH_CONT[i]] = (signed char)(32 + i);
	}
}

/* Reads the number search_b32 wrote at s[*i], moving *i past it (the
   text ends with a last character: a list's always does). */
static inline uint64_t
search_get_b32(const char *s, uint32_t *i, const signed char digit[256])
{
	uint64_t v = 0;
	for (;;) {
		int d = digit[(unsigned char)s[(*i)++]];
		if (d < 32)
			return v * 32 + (uint64_t)(d < 0 ? 0 : d);
		v = v * 32 + (uint64_t)(d - 32);
	}
}

/* A token's posting list in a packed table (search_table_token), its
   documents counted from the table's first (so a table is the same
   wherever its documents stand). */
struct token {
	uint64_t key;
	const char *postings; /* (doc - previous doc) << 2 | where, each by
	                         search_b32, the first doc + 1 */
	uint32_t len;         /* of postings */
	uint32_t last;        /* the last document + 1 */
	uint32_t word; /* a Latin word's text: its table's words.v[word - 1]; 0 for Chinese */
};

/* A token while its table is filled: where it stands in each document is
   in the table's occurrences, of which packing makes its list. Filling
   touches a token for every token of every document, a cache miss
   each: its list is measured then, beside its key, rather than in a
   pass of its own that missed again. */
struct fill_token {
	uint64_t key;
	uint32_t word; /* as struct token's */
	uint32_t last; /* the last document + 1 of those gone through */
	uint32_t len;  /* of its list so far; while packed, where its next posting goes */
};

/* Measures token t's list as the fill finds it in the nth document of
   its table (from 1), where it stands there being `where`. */
static inline void
search_fill_measure(struct fill_token *t, uint32_t nth, unsigned where)
{
	/* a posting is (document - previous) << 2 | where */
	t->len += (uint32_t)search_b32_len((uint64_t)(nth - t->last) << 2 | where);
	t->last = nth;
}

/* Sorts the n elements of v, size bytes each and each starting with a
   64-bit key, by their keys ascending, with tmp for n more: a radix sort,
   a byte at a time from the least significant, over only the bytes in
   which keys differ (for a document's characters and pairs, five of the
   eight; for a block's tokens, whose Chinese keys fill 42 bits, six).
   Quicksort takes fewer instructions for a document's few hundred keys,
   but its branches go wrong half the time: this is three times faster by
   the clock; and qsort of a block's 32-byte tokens took a tenth of a
   build's CPU time at 100,000 articles of words from a lexicon. Inlined,
   so that each caller's size is a constant. */
static inline __attribute__((always_inline)) void
search_sort_keys(void *v, void *tmp, size_t n, size_t size)
{
	if (n < 2)
		return;
	unsigned char *a = v, *b = tmp;
	uint64_t first, key, differ = 0;
	memcpy(&first, a, sizeof first);
	for (size_t i = 1; i < n; i++) {
		memcpy(&key, a + i * size, sizeof key);
		differ |= key ^ first;
	}
	int bytes[8], nb = 0;
	for (int k = 0; k < 8; k++)
		if (differ >> (8 * k) & 0xFF)
			bytes[nb++] = k;
	size_t count[8][256];
	memset(count, 0, (size_t)nb * sizeof count[0]);
	for (size_t i = 0; i < n; i++) {
		memcpy(&key, a + i * size, sizeof key);
		for (int k = 0; k < nb; k++)
			count[k][(key >> (8 * bytes[k])) & 0xFF]++;
	}
	for (int k = 0; k < nb; k++) {
		size_t *c = count[k], sum = 0;
		int shift = 8 * bytes[k];
		for (int d = 0; d < 256; d++) {
			size_t m = c[d];
			c[d] = sum;
			sum += m;
		}
		for (size_t i = 0; i < n; i++) {
			memcpy(&key, a + i * size, sizeof key);
			memcpy(b + c[(key >> shift) & 0xFF]++ * size, a + i * size, size);
		}
		memcpy(a, b, n * size);
	}
}

/* A token of a packed table in memory (its block's file holds it as
   varints: search_blocks.c): 24 bytes, where a table holds some 250,000
   tokens a block of text with a real vocabulary, and a segment's tables
   are all held while its shards are written. */
struct block_token {
	uint64_t key;
	uint32_t word, len, last;
	uint32_t at; /* where its postings start among the table's */
};
_Static_assert(sizeof(struct block_token) == 24, "a packed table's token is 24 bytes");

/* The tokens of a block of documents: while it is filled, in fill, in
   the order they came, with their occurrences; then in its blob, in the
   order of their keys (packed, or read back from its file): read them
   with search_table_token and search_table_key. */
struct table {
	struct fill_token *fill; /* NULL once packed or read back */
	size_t n, cap;
	struct strlist words; /* the Latin words' texts */
	uint32_t *slots;      /* index + 1; 0 empty (none once packed or read back) */
	size_t nslots;
	uint32_t **occ; /* while filled: each token of each document, in
	                   document order, as its index in fill << 2 | where
	                   (SEARCH_IN_*), OCC_CHUNK a chunk (search_occ), where
	                   a list of its own for each token took an allocation
	                   and its doublings; */
	size_t nocc, nchunks;
	uint32_t *docat; /* ... document d's first at docat[d - from], and
	                    nocc after the last; both NULL once packed */
	struct search_doc *const *docs;
	size_t from, to; /* the documents */
	uint64_t key;    /* of their hashes (search_block_key); 0 unknown */
	char *blob;      /* packed or read back: its head, tokens, words and
	                    postings (search_blocks.c), */
	const struct block_token *packed; /* ... its tokens there, */
	char *post;                       /* ... and their postings */
	int failed;      /* 0, -1: some could not be read back, or SEARCH_DAMAGED */
};

/* A table's occurrences come in chunks, so that they are never copied
   to grow, nor held twice. */
#define OCC_BITS  16
#define OCC_CHUNK ((size_t)1 << OCC_BITS)

/* Occurrence i of the table tb, filled. */
static inline uint32_t
search_occ(const struct table *tb, size_t i)
{
	return tb->occ[i >> OCC_BITS][i & (OCC_CHUNK - 1)];
}

/* Token i of the packed table tb. */
static inline struct token
search_table_token(const struct table *tb, size_t i)
{
	const struct block_token *b = &tb->packed[i];
	return (struct token){.key = b->key,
	                      .postings = tb->post + b->at,
	                      .len = b->len,
	                      .last = b->last,
	                      .word = b->word};
}

/* ... its key alone. */
static inline uint64_t
search_table_key(const struct table *tb, size_t i)
{
	return tb->packed[i].key;
}

/* Where in the packed table tb the keys from key on start (tb->n when
   none does). */
static inline size_t
search_table_lower_bound(const struct table *tb, uint64_t key)
{
	size_t lo = 0, hi = tb->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (search_table_key(tb, mid) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Threads the posting lists are made on, at most. */
#define MAX_PARTS 8

/* A segment's documents come in blocks of SEARCH_BLOCK, counted from its
   oldest (its last: the documents are newest first), so that an article
   added as the newest leaves every block but the newest as it was; each
   block is a table of its own, filled on one of the threads or read back
   from the cache directory when the last build filled it from the same
   documents (search_blocks.c). A block of 512 rather than 1,024: a page
   changed fills half as many documents' tokens. At 10,000 articles of
   words from a lexicon, that took a one-page rebuild from 134 ms to
   104 ms, and the full build's peak from 90 MB to 100 MB, its time the
   same. */
#define SEARCH_BLOCK 512
#define MAX_BLOCKS   (SEARCH_SEGMENT_MAX / SEARCH_BLOCK)
_Static_assert(SEARCH_SEGMENT_MAX % SEARCH_BLOCK == 0, "a segment is whole blocks at most");

/* What a segment's shards were made from and what they are (kept in the
   cache directory as "search" for the next build): a hash of its
   documents (search_doc.hash; 0 when one is unknown), its size and its
   blocks' keys (search_blocks of its size), and its shards' keys (as
   out_reuse takes them), token lists and bytes, what its tokens measure
   (search_write_segment's count of shards is made from it), and its
   docs files' bytes. A segment whose documents are the same as the last
   build's keeps its shards without their lists being made again; one
   whose blocks changed but not its size is patched (search_patch.c). */
struct seg_memo {
	uint64_t key;
	size_t count, tokens, bytes;
	size_t size;                /* documents */
	size_t measure;             /* its tokens' texts and lists, as the shards take them */
	uint64_t block[MAX_BLOCKS]; /* their keys (search_block_key) */
	uint64_t *shard; /* count keys */
	uint32_t *docs;  /* its docs-K.js files' bytes, by K (0: unknown), ndocs of them:
	                    what a file kept adds to the index's size, without a stat */
	size_t ndocs;
};

/* The posting lists and shards, made segment after segment on a thread
   of their own (search_postings.c) while the archive goes on. */
struct search_fill {
	struct search_doc *const *docs;
	size_t n;
	struct output *out;
	unsigned threads;            /* the blocks are filled on, at most */
	struct table tb[MAX_BLOCKS]; /* a segment's blocks */
	uint64_t *live;              /* every block's key (but 0), for the cache */
	size_t nlive, caplive;
	atomic_int unkept;      /* a block could not be kept: no more are tried */
	struct search_stats st; /* shards, tokens, bytes and fill_seconds */
	struct seg_memo *old;   /* the last build's segments */
	size_t nold;
	struct seg_memo *now; /* this build's, one a segment, by number */
	size_t nseg;          /* segments; segment s, newest first, is the */
	size_t *from;         /* documents [from[s], from[s + 1]), and its
	                         number nseg - 1 - s (search_segments) */
	size_t kept;          /* segments kept whole */
	int rc;               /* 0, or -1 once a segment failed (reported) */
	atomic_int stop;      /* abandoned: stop before the next segment */
	pthread_t tid;
	int started;
	double t0;
	struct search_doc **own; /* the documents, when search_build listed them */
};

/* Cuts the documents docs[0..n) (newest first) into segments: where a
   document's hash says (one in SEARCH_SEGMENT_CUT may end one),
   SEARCH_SEGMENT_MIN documents at least and SEARCH_SEGMENT_MAX at most,
   counted from the oldest, the newest taking what is left (or the one
   before it, when that is fewer than SEARCH_SEGMENT_MIN and the two fit
   in SEARCH_SEGMENT_MAX). So a document added changes only the segment
   it falls in, or the newest two.
   Sets *from to the segments' first documents, newest first, then n;
   returns their number. */
size_t search_segments(struct search_doc *const *docs, size_t n, size_t **from);

/* The number of segment s of the fill (newest first), which its files
   are named by: 0 is the oldest. */
static inline size_t
search_fill_number(const struct search_fill *f, size_t s)
{
	return f->nseg - 1 - s;
}

/* The token's text, appended to b. */
void search_token_text(const struct table *tb, const struct token *t, struct buf *b);

/* What a token's shard is chosen by: h = h * 31 + c over its code
   points, in 32 bits, from 0 (static/search.js computes the same). */
uint32_t search_shard_hash(const char *text, size_t len);

/* Writes the shards of segment seg (its number), whose first document
   is from, from its posting lists in tb[0..ntables) (search_shards.c):
   the blocks of its documents in order, each list counted from its
   table's first document, each table's tokens in the order of their
   keys (as packing and reading back leave them); each table is freed
   once its tokens are staged for the shards. All its shards are written
   but those kept[0..nkept) marks, which this build has kept already, on
   `threads` threads: fills memo (but its key) and adds to st's shards,
   tokens and bytes. 0, or -1 after reporting. */
int search_write_segment(struct table *tb, unsigned ntables, size_t seg, size_t from,
                         struct output *out, struct seg_memo *memo, const unsigned char *kept,
                         size_t nkept, int threads, struct search_stats *st);

/* The tables of the segment [from, to)'s blocks (f->tb; *nb of them)
   that want marks (NULL: all): read back from the cache when the last
   build filled one from the same documents, else filled on the fill's
   threads and kept for the next (search_postings.c). 0, -1 when some
   tokens could not be read back, or SEARCH_DAMAGED when some were not
   what their hash says. */
int search_fill_blocks(struct search_fill *f, size_t from, size_t to, unsigned *nb,
                       const unsigned char *want);
/* Frees a table, and the tables of a segment, f->tb. */
void search_table_free(struct table *tb);
void search_tables_free(struct search_fill *f);

/* Patches segment s (number seg), documents [from, to), whose blocks'
   keys are keys, from the last build's: when it has the same size and
   only some of its blocks changed, the shards of the tokens whose lists
   changed are made again from the last build's files and the changed
   blocks' tables then and now, and the others kept (search_patch.c).
   1 when it is patched, now[seg] filled; 0 when it must be made (kept
   marks the shards kept all the same); -1 after reporting. */
int search_patch_segment(struct search_fill *f, size_t s, size_t from, size_t to,
                         const uint64_t *keys, unsigned char *kept);

/* A shard's file (search_shards.c), made in js: its head for shard sh
   of segment seg; each token in the order of their texts, its text and
   the start of its list (first set for the first), then its list and a
   '"'; and its tail. */
void search_shard_head(struct buf *js, size_t seg, size_t sh);
void search_shard_token(struct buf *js, int first, const char *text, size_t len);
void search_shard_tail(struct buf *js);
/* Writes the shard js, sh of segment seg, unless the last build made the
   same: its key into *key. 0, or -1 after reporting. */
int search_shard_put(struct output *out, size_t seg, size_t sh, const struct buf *js,
                     uint64_t *key);

/* The last build's segments (none when the file is missing or damaged),
   and this build's, for the next (search_shards.c). */
void search_memo_read(struct output *out, struct seg_memo **v, size_t *n);
void search_memo_write(struct output *out, const struct seg_memo *v, size_t n);
void search_memo_free(struct seg_memo *v, size_t n);

/* The number of blocks of the segment [from, to); block b's documents
   [bounds[0], bounds[1]), in document order: the first (the newest)
   takes what the others, SEARCH_BLOCK each, leave. */
size_t search_blocks(size_t from, size_t to);
void search_block_bounds(size_t from, size_t to, size_t b, size_t bounds[2]);

/* The blocks' tables in the cache directory (search_blocks.c), each in
   a file named by its key: what documents[from, to) of docs make, their
   hashes in order (0 when one is unknown: such a block is not kept). */
uint64_t search_block_key(struct search_doc *const *docs, size_t from, size_t to);
/* Reads back the table of tb's key into tb (its documents set): 1, or 0
   when there is none or it is damaged (tb as it was). */
int search_block_read(struct output *out, struct table *tb);
/* Packs a filled table's tokens into one blob (tb->blob): its head, its
   tokens in the order of their keys, its words and each token's posting
   list, made of its occurrences; and frees what the fill made (fill,
   slots, occ and docat). */
void search_block_pack(struct table *tb);
/* Frees a table's occurrences, when it has them. */
void search_occ_free(struct table *tb);
/* Keeps a packed table for the next build, from when this one is
   committed: 0, or -1 after a warning when it cannot be written (the
   caller then stops keeping blocks). */
int search_block_write(struct output *out, const struct table *tb);
/* Names the blocks of this build, keys live[0..n), for the next one
   (blocks.live, in place once this build is committed); and, when a
   build starts, deletes the blocks the last committed build did not
   name, and those a build that was killed left half written. */
void search_blocks_keep(struct output *out, const uint64_t *live, size_t n);
void search_blocks_prune(struct output *out);

/* The path of shard N of segment S: search/seg-S/shard-N.js. */
#define SHARD_PATH_MAX 64
static inline void
search_shard_path(char path[SHARD_PATH_MAX], size_t seg, size_t shard)
{
	snprintf(path, SHARD_PATH_MAX, "search/seg-%zu/shard-%zu.js", seg, shard);
}

/* Waits for the fill's thread: 0, or -1 when a segment failed (after
   reporting). */
int search_fill_join(struct search_fill *f);

/* Frees f (its tables are freed segment by segment). */
void search_fill_free(struct search_fill *f);

#endif
