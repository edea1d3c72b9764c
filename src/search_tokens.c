#include "search_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "chars.h"
#include "segment.h"
#include "spill.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

/* Characters of opening text kept per document, for snippets. */
#define DOC_TEXT 160

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
	uint64_t *v; /* distinct keys: key << 2 | where (SEARCH_IN_*) */
	size_t n, cap;
	int where;            /* of the text gathered now */
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

struct search_set *
search_set_new(void)
{
	return xcalloc(1, sizeof(struct search_set));
}

void
search_set_free(struct search_set *set)
{
	if (!set)
		return;
	free(set->slots);
	free(set->chars);
	free(set->tmp);
	free(set);
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
		S_set_take(g->set, g->v[i] >> 2, (uint32_t)i);
}

static void
S_gather(void *ctx, uint32_t first, uint32_t second, const char *word, size_t len)
{
	struct gather *g = ctx;
	struct search_set *set = g->set;
	/* a character seen before changes nothing in the text: the title
	   and the fields come first */
	int bmp_char = !word && !second && first < 0x10000;
	if (bmp_char && !g->where && (set->chars[first >> 6] >> (first & 63) & 1))
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
			g->v[set->slots[j].index] |= (uint64_t)g->where;
			return;
		}
	if (g->n == g->cap)
		g->v = xgrow(g->v, &g->cap, g->n, sizeof *g->v, 1024);
	set->slots[j] =
	    (struct search_slot){.key = key, .stamp = set->now, .index = (uint32_t)g->n};
	g->v[g->n++] = key << 2 | (uint64_t)g->where;
	if (word)
		strlist_add(&g->words, word, len);
}

/* Gathers the tokens of text. */
static void
S_gather_text(const struct chars *ch, const char *text, struct gather *g)
{
	S_each_token(ch, text, S_gather, g);
}

/* Sorts a document's keys (key << 2 | where): its Latin words' keys,
   hashes that differ in every byte, are sorted apart from the others,
   which they all follow. */
static void
S_sort(uint64_t *v, uint64_t *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t chars = 0, words = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] >> 2 & KEY_WORD)
			tmp[words++] = v[i];
		else
			v[chars++] = v[i];
	}
	memcpy(v + chars, tmp, words * sizeof *v);
	search_sort_keys(v, tmp, chars, sizeof *v);
	search_sort_keys(v + chars, tmp, words, sizeof *v);
}

void
search_fields_of(const json_t *district, const char *paper, const char *section,
                 const char *fields[SEARCH_FIELDS])
{
	static const char *const levels[] = {"group", "subgroup", "county", "city", "province"};
	size_t n = 0;
	/* 未分区 is no place: it has no code */
	if (json_is_string(json_object_get(district, "code")))
		for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
			const char *name = json_string_value(json_object_get(district, levels[i]));
			if (name && *name)
				fields[n++] = name;
		}
	if (paper && *paper)
		fields[n++] = paper;
	if (section && *section)
		fields[n++] = section;
	while (n < SEARCH_FIELDS)
		fields[n++] = NULL;
}

/* Where d's snippet starts in its blob (or in the file): after its keys,
   words and the snippet's length. */
static size_t
S_snippet_at(const struct search_doc *d)
{
	return (size_t)d->len + d->wlen + sizeof(uint64_t);
}

/* The bytes of d's blob. */
static size_t
S_blob_size(const struct search_doc *d)
{
	return S_snippet_at(d) + d->slen;
}

/* d's snippet, when in memory ("" once let go). */
static const char *
S_snippet(const struct search_doc *d)
{
	return d->blob ? (const char *)d->blob + S_snippet_at(d) : "";
}

/* Makes d of its keys, words and snippet: one blob, of its own size,
   keys' memory grown into it. */
static void
S_doc_of(struct search_doc *d, struct buf *keys, const struct buf *words, const struct buf *snippet)
{
	uint64_t slen = snippet->len;
	d->len = (uint32_t)keys->len;
	d->wlen = (uint32_t)words->len;
	d->slen = (uint32_t)slen;
	buf_add(keys, words->data, words->len);
	buf_add(keys, &slen, sizeof slen);
	buf_add(keys, snippet->data, snippet->len);
	d->blob = xrealloc(buf_detach(keys, NULL), S_blob_size(d) + 1);
	uint64_t lens[2] = {d->len, d->wlen};
	d->hash =
	    search_doc_hash(lens, d->blob, (const char *)d->blob + d->len, S_snippet(d), d->slen);
}

void
search_doc_make(const struct chars *ch, const struct seg_article *a, const char *const *fields,
                struct search_set *set, struct search_doc *d)
{
	struct gather g = {.set = set};
	S_set_begin(set);
	g.where = SEARCH_IN_TITLE;
	S_gather_text(ch, a->title, &g);
	g.where = SEARCH_IN_FIELD;
	for (size_t i = 0; i < a->reporters.n; i++)
		S_gather_text(ch, a->reporters.v[i], &g);
	for (size_t i = 0; i < a->photographers.n; i++)
		S_gather_text(ch, a->photographers.v[i], &g);
	for (size_t i = 0; fields && fields[i]; i++)
		S_gather_text(ch, fields[i], &g);
	g.where = 0;
	S_gather_text(ch, a->kicker, &g);
	S_gather_text(ch, a->subtitle, &g);
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
	/* the snippet: what is cut (the text gathered is up to three times
	   longer, and every document's snippet is held until the index is
	   written) */
	text.len = cut;

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
		uint64_t key = g.v[i] >> 2;
		p = search_put_varint(p, (key - prev) << 2 | (g.v[i] & 3));
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
	S_doc_of(d, &keys, &words, &text);
	buf_release(&text);
	buf_release(&words);
	free(g.v);
	strlist_free(&g.words);
}

uint64_t
search_doc_hash(const uint64_t lens[2], const unsigned char *keys, const char *words,
                const char *snippet, size_t slen)
{
	uint64_t h = util_mix(0, lens, 2 * sizeof *lens);
	h = util_mix(h, keys, (size_t)lens[0]);
	h = util_mix(h, words, (size_t)lens[1]);
	h = util_mix(h, snippet, slen);
	return h ? h : 1;
}

int
search_doc_spill(struct search_doc *d, struct spill *sp)
{
	size_t at;
	if (sp->fd < 0 || d->spilled || !d->blob || spill_put(sp, d->blob, S_blob_size(d), &at) < 0)
		return -1;
	search_doc_put_aside(d, sp->fd, at);
	return 0;
}

/* Records that d's keys, words and snippet are in the file fd at `at`,
   as search_doc_spill lays them out; unchecked: written by an earlier
   build, to be checked against d's hash when read. */
static void
S_in_file(struct search_doc *d, int fd, size_t at, int unchecked)
{
	d->spilled = 1;
	d->unchecked = unchecked ? 1 : 0;
	d->fd = fd;
	d->at = at;
}

void
search_doc_put_aside(struct search_doc *d, int fd, size_t at)
{
	if (!d->spilled)
		free(d->blob);
	S_in_file(d, fd, at, 0);
}

void
search_doc_forget_tokens(struct search_doc *d)
{
	if (d->spilled || !d->blob)
		return; /* in the file, its lengths say where its snippet is */
	size_t skip = (size_t)d->len + d->wlen;
	memmove(d->blob, d->blob + skip, S_blob_size(d) - skip + 1);
	d->len = d->wlen = 0;
	unsigned char *less = realloc(d->blob, S_blob_size(d) + 1);
	if (less)
		d->blob = less;
}

void
search_doc_forget(struct search_doc *d)
{
	if (d->spilled)
		return;
	free(d->blob);
	d->blob = NULL;
	d->len = d->wlen = d->slen = 0;
}

int
search_doc_snippet(const struct search_doc *d, struct buf *buf, const char **snippet)
{
	if (!d->spilled) {
		*snippet = S_snippet(d);
		return 0;
	}
	buf_reset(buf);
	if (d->unchecked) {
		int rc = search_doc_blob(d, buf);
		*snippet = rc < 0 ? "" : buf->data + S_snippet_at(d);
		return rc;
	}
	buf_grow(buf, d->slen);
	if (util_pread_small(d->fd, buf->data, d->slen, d->at + S_snippet_at(d)) < 0)
		return -1;
	buf->len = d->slen;
	buf->data[buf->len] = '\0';
	*snippet = buf->data;
	return 0;
}

void
search_doc_in_file(struct search_doc *d, int fd, size_t at, uint32_t len, uint32_t wlen,
                   uint32_t slen, uint64_t hash)
{
	search_doc_free(d);
	d->len = len;
	d->wlen = wlen;
	d->slen = slen;
	d->hash = hash;
	S_in_file(d, fd, at, 1);
}

int
search_doc_blob(const struct search_doc *d, struct buf *out)
{
	size_t from = out->len;
	if (!d->spilled) {
		if (d->blob) {
			buf_add(out, d->blob, S_blob_size(d));
		} else {
			uint64_t none = 0;
			buf_add(out, &none, sizeof none);
		}
		return 0;
	}
	size_t n = S_blob_size(d);
	buf_grow(out, n);
	if (util_pread_all(d->fd, out->data + from, n, d->at) < 0)
		return -1;
	out->len += n;
	out->data[out->len] = '\0';
	if (!d->unchecked)
		return 0;
	const char *blob = out->data + from;
	uint64_t slen, lens[2] = {d->len, d->wlen};
	memcpy(&slen, blob + d->len + d->wlen, sizeof slen);
	if (slen == d->slen &&
	    search_doc_hash(lens, (const unsigned char *)blob, blob + d->len,
	                    blob + d->len + d->wlen + sizeof slen, d->slen) == d->hash)
		return 0;
	buf_truncate(out, from);
	return SEARCH_DAMAGED;
}

int
search_doc_tokens(const struct search_doc *d, struct buf *buf, const unsigned char **keys,
                  const char **words)
{
	if (!d->spilled) {
		*keys = d->blob;
		*words = d->blob ? (const char *)d->blob + d->len : NULL;
		return 0;
	}
	int rc = 0;
	buf_reset(buf);
	if (d->unchecked) {
		rc = search_doc_blob(d, buf);
	} else {
		buf_grow(buf, d->len + d->wlen);
		rc = util_pread_all(d->fd, buf->data, d->len + d->wlen, d->at);
		buf->len = rc < 0 ? 0 : d->len + d->wlen;
		buf->data[buf->len] = '\0';
	}
	if (rc < 0)
		return rc;
	*keys = (const unsigned char *)buf->data;
	*words = buf->data + d->len;
	return 0;
}

void
search_doc_free(struct search_doc *d)
{
	if (!d->spilled)
		free(d->blob);
	memset(d, 0, sizeof *d);
}
