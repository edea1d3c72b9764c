#include "search.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chars.h"
#include "diag.h"
#include "gazetteer.h"
#include "hmap.h"
#include "mujson.h"
#include "segment.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

/* Characters of opening text kept per document, for snippets. */
#define DOC_TEXT 160
/* Documents per docs-K.js file. */
#define DOC_CHUNK SEARCH_DOC_CHUNK
/* A key's kind: a Latin word or number has bit 62 set (and a hash); a
   pair of characters is (first << 21 | second); a character is itself. */
#define KEY_WORD (1ULL << 62)

/* ---------------------------------------------------------------------
 * Tokens
 * ------------------------------------------------------------------- */

/* Folds one code point: traditional to simplified, full width to ASCII,
   Latin to lower case. */
static uint32_t
S_fold(const struct chars *ch, uint32_t c)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		c -= 0xFEE0;
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	return chars_fold(ch, c);
}

static int
S_alnum(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A token: one character (second 0), a pair, or a Latin word (first 0). */
typedef void (*token_fn)(void *ctx, uint32_t first, uint32_t second, const char *word, size_t len);

/* Calls fn for every token of text: each Han character, each pair of
   neighbouring Han characters, each Latin word or number. Always inlined,
   so that each caller's fn is called directly, and can be inlined in turn:
   indexing calls it twice for every character. */
static inline __attribute__((always_inline)) void
S_each_token(const struct chars *ch, const char *text, token_fn fn, void *ctx)
{
	size_t len = text ? strlen(text) : 0, i = 0, k;
	uint32_t prev = 0; /* the previous Han character, 0 after anything else */
	struct buf tok = BUF_INIT;
	while (i < len) {
		uint32_t c = S_fold(ch, txt_decode(text + i, len - i, &k));
		i += k;
		if (txt_is_han(c)) {
			fn(ctx, c, 0, NULL, 0);
			if (prev)
				fn(ctx, prev, c, NULL, 0);
			prev = c;
		} else if (S_alnum(c)) {
			buf_reset(&tok);
			txt_put(&tok, c);
			while (i < len) {
				uint32_t d = S_fold(ch, txt_decode(text + i, len - i, &k));
				if (!S_alnum(d))
					break;
				txt_put(&tok, d);
				i += k;
			}
			fn(ctx, 0, 0, tok.data, tok.len);
			prev = 0;
		} else {
			prev = 0;
		}
	}
	buf_release(&tok);
}

static void
S_collect(void *ctx, uint32_t first, uint32_t second, const char *word, size_t len)
{
	struct buf *out = ctx;
	if (word) {
		buf_add(out, word, len);
	} else {
		txt_put(out, first);
		if (second)
			txt_put(out, second);
	}
	buf_addc(out, '\n');
}

void
search_tokens(const struct chars *ch, const char *text, struct buf *out)
{
	S_each_token(ch, text, S_collect, out);
}

/* ---------------------------------------------------------------------
 * One document's tokens
 * ------------------------------------------------------------------- */

/* A Latin word's key (see KEY_WORD). */
static uint64_t
S_word_key(const char *word, size_t len)
{
	return KEY_WORD | (util_fnv(UTIL_FNV_START, word, len) & (KEY_WORD - 1));
}

/* The distinct keys of one document; set finds them in v. */
struct gather {
	uint64_t *v; /* distinct keys: key << 1 | in the title */
	size_t n, cap;
	int title;
	struct strlist words; /* the Latin words, to name their keys */
	struct search_set *set;
};

static size_t
S_set_slot(uint64_t key, size_t nset)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 24) & (nset - 1);
}

/* Gives the set n empty slots. */
static void
S_set_alloc(struct search_set *set, size_t n)
{
	free(set->slots);
	set->n = n;
	set->slots = xcalloc(n, sizeof *set->slots);
}

/* Starts a new document's set. */
static void
S_set_begin(struct search_set *set)
{
	if (!set->n)
		S_set_alloc(set, 4096);
	if (!set->chars)
		set->chars = xcalloc(0x10000 / 64, sizeof *set->chars);
	if (++set->now == 0) { /* wrapped: every stamp is stale again */
		for (size_t i = 0; i < set->n; i++)
			set->slots[i].stamp = 0;
		set->now = 1;
	}
}

void
search_set_free(struct search_set *set)
{
	free(set->slots);
	free(set->chars);
	free(set->tmp);
	memset(set, 0, sizeof *set);
}

/* Takes a free slot for key, the document's key number i. */
static void
S_set_take(struct search_set *set, uint64_t key, uint32_t i)
{
	size_t j = S_set_slot(key, set->n);
	while (set->slots[j].stamp == set->now)
		j = (j + 1) & (set->n - 1);
	set->slots[j] = (struct search_slot){.key = key, .stamp = set->now, .index = i};
}

/* Doubles the set and enters the keys of g again. */
static void
S_set_grow(struct gather *g)
{
	S_set_alloc(g->set, 2 * g->set->n);
	for (size_t i = 0; i < g->n; i++)
		S_set_take(g->set, g->v[i] >> 1, (uint32_t)i);
}

static void
S_gather(void *ctx, uint32_t first, uint32_t second, const char *word, size_t len)
{
	struct gather *g = ctx;
	struct search_set *set = g->set;
	/* a character seen before outside the title changes nothing: the
	   title comes first */
	int bmp_char = !word && !second && first < 0x10000;
	if (bmp_char && !g->title && (set->chars[first >> 6] >> (first & 63) & 1))
		return;
	uint64_t key = word     ? S_word_key(word, len)
	               : second ? (uint64_t)first << 21 | second
	                        : first;
	if (bmp_char)
		set->chars[first >> 6] |= 1ULL << (first & 63);
	if (2 * (g->n + 1) > set->n)
		S_set_grow(g);
	size_t j = S_set_slot(key, set->n);
	for (; set->slots[j].stamp == set->now; j = (j + 1) & (set->n - 1))
		if (set->slots[j].key == key) {
			g->v[set->slots[j].index] |= (uint64_t)g->title;
			return;
		}
	if (g->n == g->cap)
		g->v = xgrow(g->v, &g->cap, g->n, sizeof *g->v, 1024);
	set->slots[j] =
	    (struct search_slot){.key = key, .stamp = set->now, .index = (uint32_t)g->n};
	g->v[g->n++] = key << 1 | (uint64_t)g->title;
	if (word)
		strlist_add(&g->words, word, len);
}

/* Gathers the tokens of text. */
static void
S_gather_text(const struct chars *ch, const char *text, struct gather *g)
{
	S_each_token(ch, text, S_gather, g);
}

/* Sorts v[0..n) ascending, with tmp for n more: a radix sort, a byte at
   a time from the least significant, over only the bytes in which keys
   differ (for a document's characters and pairs, five of the eight).
   Quicksort takes fewer instructions for a document's few hundred keys,
   but its branches go wrong half the time: this is three times faster
   by the clock. */
static void
S_sort_bytes(uint64_t *v, uint64_t *tmp, size_t n)
{
	if (n < 2)
		return;
	uint64_t differ = 0;
	for (size_t i = 1; i < n; i++)
		differ |= v[i] ^ v[0];
	int bytes[8], nb = 0;
	for (int b = 0; b < 8; b++)
		if (differ >> (8 * b) & 0xFF)
			bytes[nb++] = b;
	size_t count[8][256];
	memset(count, 0, (size_t)nb * sizeof count[0]);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < nb; k++)
			count[k][(v[i] >> (8 * bytes[k])) & 0xFF]++;
	for (int k = 0; k < nb; k++) {
		size_t *c = count[k], sum = 0;
		int shift = 8 * bytes[k];
		for (int d = 0; d < 256; d++) {
			size_t m = c[d];
			c[d] = sum;
			sum += m;
		}
		for (size_t i = 0; i < n; i++)
			tmp[c[(v[i] >> shift) & 0xFF]++] = v[i];
		memcpy(v, tmp, n * sizeof *v);
	}
}

/* Sorts a document's keys (key << 1 | title): its Latin words' keys,
   hashes that differ in every byte, are sorted apart from the others,
   which they all follow. */
static void
S_sort(uint64_t *v, uint64_t *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t chars = 0, words = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] >> 1 & KEY_WORD)
			tmp[words++] = v[i];
		else
			v[chars++] = v[i];
	}
	memcpy(v + chars, tmp, words * sizeof *v);
	S_sort_bytes(v, tmp, chars);
	S_sort_bytes(v + chars, tmp, words);
}

/* Writes v at p, seven bits a byte from the lowest, each but the last
   with its high bit set: at most VARINT_MAX bytes. Returns their end. */
#define VARINT_MAX 10
static unsigned char *
S_put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(0x80 | (v & 0x7F));
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static uint64_t
S_get_varint(const unsigned char **p)
{
	uint64_t v = 0;
	for (int shift = 0;; shift += 7) {
		unsigned char c = *(*p)++;
		v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return v;
	}
}

void
search_doc_make(const struct gazetteer *gz, const struct seg_article *a, struct search_set *set,
                struct search_doc *d)
{
	const struct chars *ch = gz_chars(gz);
	struct gather g = {.set = set};
	S_set_begin(set);
	g.title = 1;
	S_gather_text(ch, a->title, &g);
	g.title = 0;
	S_gather_text(ch, a->kicker, &g);
	S_gather_text(ch, a->subtitle, &g);
	for (size_t i = 0; i < a->reporters.n; i++)
		S_gather_text(ch, a->reporters.v[i], &g);
	for (size_t i = 0; i < a->photographers.n; i++)
		S_gather_text(ch, a->photographers.v[i], &g);
	struct buf text = BUF_INIT;
	for (size_t i = 0; i < a->nblocks; i++) {
		const struct seg_block *b = &a->blocks[i];
		S_gather_text(ch, b->text ? b->text : b->caption, &g);
		if (b->type == SEG_P && b->text && text.len < DOC_TEXT * 3) {
			if (text.len)
				buf_addc(&text, ' ');
			buf_adds(&text, b->text);
		}
	}
	size_t cut = 0, chars = 0, k;
	while (cut < text.len && chars < DOC_TEXT) {
		txt_decode(text.data + cut, text.len - cut, &k);
		cut += k;
		chars++;
	}
	buf_truncate(&text, cut);
	d->snippet = buf_detach(&text, NULL);

	/* the distinct keys in order, delta-coded; the words in their keys'
	   order */
	if (set->ntmp < g.n) {
		free(set->tmp);
		set->ntmp = g.cap;
		set->tmp = xmalloc(set->ntmp * sizeof *set->tmp);
	}
	S_sort(g.v, set->tmp, g.n);
	struct buf keys = BUF_INIT, words = BUF_INIT;
	buf_grow(&keys, g.n * VARINT_MAX);
	unsigned char *p = (unsigned char *)keys.data;
	uint64_t prev = 0;
	for (size_t i = 0; i < g.n; i++) {
		uint64_t key = g.v[i] >> 1;
		p = S_put_varint(p, (key - prev) << 1 | (g.v[i] & 1));
		prev = key;
		if (key < 0x10000) /* a character's bit, cleared for the next */
			set->chars[key >> 6] &= ~(1ULL << (key & 63));
		if (key & KEY_WORD)
			for (size_t w = 0; w < g.words.n; w++)
				if (S_word_key(g.words.v[w], strlen(g.words.v[w])) == key) {
					buf_adds(&words, g.words.v[w]);
					buf_addc(&words, '\0');
					break;
				}
	}
	keys.len = (size_t)(p - (unsigned char *)keys.data);
	keys.data[keys.len] = '\0';
	d->keys = (unsigned char *)buf_detach(&keys, &d->len);
	d->words = buf_detach(&words, &d->wlen);
	free(g.v);
	strlist_free(&g.words);
}

int
search_doc_spill(struct search_doc *d, int fd, atomic_size_t *end)
{
	if (fd < 0 || d->spilled)
		return -1;
	size_t len = d->len + d->wlen;
	size_t at = atomic_fetch_add(end, len);
	if (util_pwrite_all(fd, d->keys, d->len, at) < 0 ||
	    util_pwrite_all(fd, d->words, d->wlen, at + d->len) < 0)
		return -1;
	search_doc_put_aside(d, fd, at);
	return 0;
}

void
search_doc_put_aside(struct search_doc *d, int fd, size_t at)
{
	free(d->keys);
	free(d->words);
	d->keys = NULL;
	d->words = NULL;
	d->spilled = 1;
	d->fd = fd;
	d->at = at;
}

int
search_doc_tokens(const struct search_doc *d, struct buf *buf, const unsigned char **keys,
                  const char **words)
{
	if (!d->spilled) {
		*keys = d->keys;
		*words = d->words;
		return 0;
	}
	buf_reset(buf);
	buf_grow(buf, d->len + d->wlen);
	if (util_pread_all(d->fd, buf->data, d->len + d->wlen, d->at) < 0)
		return -1;
	buf->len = d->len + d->wlen;
	buf->data[buf->len] = '\0';
	*keys = (const unsigned char *)buf->data;
	*words = buf->data + d->len;
	return 0;
}

void
search_doc_free(struct search_doc *d)
{
	free(d->keys);
	free(d->words);
	free(d->snippet);
	memset(d, 0, sizeof *d);
}

/* ---------------------------------------------------------------------
 * The index
 * ------------------------------------------------------------------- */

/*
 * A number as the search page reads it: five bits per character, most
 * significant first; every character but the last from CONT, the last
 * from LAST. Both sets are safe inside a JavaScript string.
 */
static const char LAST[] = "0123456789abcdefghijklmnopqrstuv";
static const char CONT[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ()*+-.";

/* Writes v at p, as the search page reads it: at most 13 characters.
   Returns how many. */
static size_t
S_b32(char *p, uint64_t v)
{
	if (v < 32) { /* the common case, a gap under 32 documents */
		*p = LAST[v];
		return 1;
	}
	/* from the last character back, in place: a copy of a few bytes
	   costs more than the rest */
	int n = (64 - __builtin_clzll(v) + 4) / 5;
	p[n - 1] = LAST[v & 31];
	for (int i = n - 2; i >= 0; i--) {
		v >>= 5;
		p[i] = CONT[v & 31];
	}
	return (size_t)n;
}

static void
S_put_b32(struct buf *b, uint64_t v)
{
	buf_grow(b, 16);
	b->len += S_b32(b->data + b->len, v);
	b->data[b->len] = '\0';
}

/* A token's posting list in one table. 32 bytes, two to a cache line:
   filling the lists touches a token for every token of every document. */
struct token {
	uint64_t key;
	char *postings;    /* (doc - previous doc) << 1 | title, each by S_b32 */
	uint32_t len, cap; /* of postings */
	uint32_t last;     /* the previous document + 1; 0 before any */
	uint32_t word;     /* a Latin word's text: its table's words.v[word - 1]; 0 for Chinese */
};

/* Appends v to t's postings as S_put_b32 writes it. */
static void
S_post(struct token *t, uint64_t v)
{
	/* 32 bits hold a list of 7 characters at most for each of 500
	   million documents, more than memory would hold the tokens of */
	if (t->cap - t->len < 16) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->postings = xrealloc(t->postings, t->cap);
	}
	t->len += (uint32_t)S_b32(t->postings + t->len, v);
}

/* Threads the posting lists are made on, at most. */
#define MAX_PARTS 8

/* The tokens of a range of documents, filled by one thread. */
struct table {
	struct token *t;
	size_t n, cap;
	struct strlist words; /* the Latin words' texts */
	uint32_t *slots;      /* index + 1; 0 empty */
	size_t nslots;
	struct search_doc *const *docs;
	size_t from, to; /* the documents */
	int failed;      /* some could not be read back */
};

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
	tb->slots = xcalloc(tb->nslots, sizeof *tb->slots);
	for (size_t i = 0; i < tb->n; i++) {
		size_t j = S_slot(tb->t[i].key, tb->nslots);
		while (tb->slots[j])
			j = (j + 1) & (tb->nslots - 1);
		tb->slots[j] = (uint32_t)i + 1;
	}
}

/* The posting lists of the table's documents, in order. */
static void *
S_fill(void *arg)
{
	struct table *tb = arg;
	struct buf spilled = BUF_INIT;
	for (size_t d = tb->from; d < tb->to; d++) {
		const struct search_doc *doc = tb->docs[d];
		const unsigned char *p;
		const char *word;
		if (search_doc_tokens(doc, &spilled, &p, &word) < 0) {
			tb->failed = 1;
			continue;
		}
		const unsigned char *end = p + doc->len;
		const char *wend = word + doc->wlen;
		uint64_t key = 0;
		while (p < end) {
			uint64_t v = S_get_varint(&p);
			key += v >> 1;
			const char *w = NULL;
			if (key & KEY_WORD) {
				if (word >= wend) { /* more words than were kept */
					tb->failed = 1;
					break;
				}
				w = word;
				word += strlen(word) + 1;
			}
			if (tb->n * 2 >= tb->nslots)
				S_grow(tb);
			size_t j = S_slot(key, tb->nslots);
			while (tb->slots[j] && tb->t[tb->slots[j] - 1].key != key)
				j = (j + 1) & (tb->nslots - 1);
			struct token *t;
			if (!tb->slots[j]) {
				tb->t = xgrow(tb->t, &tb->cap, tb->n, sizeof *tb->t, 4096);
				t = &tb->t[tb->n];
				memset(t, 0, sizeof *t);
				t->key = key;
				if (w) {
					strlist_add(&tb->words, w, strlen(w));
					t->word = (uint32_t)tb->words.n;
				}
				tb->slots[j] = (uint32_t)++tb->n;
			} else {
				t = &tb->t[tb->slots[j] - 1];
			}
			S_post(t, ((uint64_t)(d + 1 - t->last)) << 1 | (v & 1));
			t->last = (uint32_t)d + 1;
		}
	}
	buf_release(&spilled);
	return NULL;
}

/* The token's text. */
static void
S_token_text(const struct table *tb, const struct token *t, struct buf *b)
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

static uint32_t
S_first_cp(const struct table *tb, const struct token *t)
{
	if (t->word)
		return (unsigned char)tb->words.v[t->word - 1][0];
	return (uint32_t)(t->key >> 21 ? t->key >> 21 : t->key);
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
			const char *at = strchr(CONT, c);
			if (c && at) {
				first = first * 32 + (uint64_t)(at - CONT);
				continue;
			}
			first = first * 32 + (uint64_t)(strchr(LAST, c) - LAST);
			i++;
			break;
		}
		uint64_t doc = first >> 1; /* + 1 */
		S_put_b32(js, (doc - last) << 1 | (first & 1));
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
				S_token_text(&tb[p], t, &text);
				v[n].text = xstrndup(text.data, text.len);
				v[n].key = t->key;
				v[n].shard = S_first_cp(&tb[p], t);
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

/* search/meta.js: the counts, and each document's group and year as
   indexes into lists, so filters and counts need no document file. */
static int
S_write_meta(const struct search_entry *docs, size_t n, size_t shards, struct output *out,
             struct search_stats *st)
{
	json_t *groups = json_array(), *years = json_array(), *g = json_array(), *y = json_array(),
	       *gi = json_object(), *yi = json_object();
	for (size_t d = 0; d < n; d++) {
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
	json_t *meta = json_pack("{s:I,s:I,s:I,s:o,s:o,s:o,s:o}", "shards", (json_int_t)shards,
	                         "docs", (json_int_t)n, "chunk", (json_int_t)DOC_CHUNK, "groups",
	                         groups, "years", years, "g", g, "y", y);
	int rc = S_write_js(out, "meta.js", "meta", st, meta);
	json_decref(meta);
	json_decref(gi);
	json_decref(yi);
	return rc;
}

/* What a result shows of a document, in the order docs-K.js has it. */
#define DOC_FIELDS 6
static void
S_doc_fields(const struct search_entry *e, const char *f[DOC_FIELDS])
{
	f[0] = e->title;
	f[1] = e->href;
	f[2] = e->date;
	f[3] = e->group;
	f[4] = e->doc->snippet;
	f[5] = e->reporters;
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

struct search_fill {
	struct table *tb;
	pthread_t *tids;
	int *started;
	unsigned parts;
	double t0;
	struct search_doc **own; /* the documents, when search_build listed them */
};

struct search_fill *
search_fill_start(struct search_doc *const *docs, size_t n, int threads)
{
	struct search_fill *f = xcalloc(1, sizeof *f);
	f->t0 = util_now();
	f->parts = threads > 1 ? (unsigned)threads : 1;
	if (f->parts > MAX_PARTS)
		f->parts = MAX_PARTS;
	f->tb = xcalloc(f->parts, sizeof *f->tb);
	f->tids = xcalloc(f->parts, sizeof *f->tids);
	f->started = xcalloc(f->parts, sizeof *f->started);
	for (unsigned p = 0; p < f->parts; p++) {
		f->tb[p] = (struct table){
		    .docs = docs, .from = n * p / f->parts, .to = n * (p + 1) / f->parts};
		S_grow(&f->tb[p]);
		f->started[p] = pthread_create(&f->tids[p], NULL, S_fill, &f->tb[p]) == 0;
	}
	return f;
}

/* Waits for the fill's threads; with finish, also makes the lists no
   thread could be started for. */
static void
S_fill_wait(struct search_fill *f, int finish)
{
	for (unsigned p = 0; p < f->parts; p++) {
		if (f->started[p])
			pthread_join(f->tids[p], NULL);
		else if (finish)
			S_fill(&f->tb[p]);
		f->started[p] = 0;
	}
}

/* Waits for the posting lists: 0, or -1 after reporting that some tokens
   could not be read back. */
static int
S_fill_join(struct search_fill *f)
{
	S_fill_wait(f, 1);
	int failed = 0;
	for (unsigned p = 0; p < f->parts; p++)
		failed |= f->tb[p].failed;
	if (failed)
		diag_error("search", 0, 0,
		           "cannot read back the tokens put aside in the cache directory; check "
		           "the disk and build again");
	return failed ? -1 : 0;
}

static void
S_fill_free(struct search_fill *f)
{
	for (unsigned p = 0; p < f->parts; p++) {
		for (size_t i = 0; i < f->tb[p].n; i++)
			free(f->tb[p].t[i].postings);
		strlist_free(&f->tb[p].words);
		free(f->tb[p].t);
		free(f->tb[p].slots);
	}
	free(f->tb);
	free(f->tids);
	free(f->started);
	free(f->own);
	free(f);
}

void
search_fill_abandon(struct search_fill *f)
{
	if (!f)
		return;
	S_fill_wait(f, 0);
	S_fill_free(f);
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
	int rc = S_fill_join(fill);
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
	S_fill_free(fill);
	return rc;
}
