#include "pagecache.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "encoding.h"
#include "hmap.h"
#include "mujson.h"
#include "output.h"
#include "search.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

int
pcache_pack(const struct page *p, struct buf *out)
{
	json_t *records = view_records_portable(p->records); /* the excerpts in them */
	if (!records)
		return -1;
	json_t *j = json_pack("{s:o,s:o,s:s}", "entry", view_entry_object(p->entry), "records",
	                      records, "encoding", p->encoding);
	mujson_pack(j, out);
	json_decref(j);
	uint64_t h = util_mix(0, out->data, out->len);
	buf_add(out, &h, sizeof h);
	return 0;
}

enum cache_part { CACHE_NONE, CACHE_NEW, CACHE_ALL };

/* Appends page p's record of the cache to out: its stamp, packed (its
   dump, or packed here), then its documents. at, when not NULL, gets the
   offset in out of each document's keys. 0, or -1 when a document's
   tokens cannot be read back. */
static int
S_record(const struct page *p, struct buf *out, size_t *at)
{
	struct buf packed = BUF_INIT, tokens = BUF_INIT, snip = BUF_INIT;
	const struct buf *b = &p->dump;
	if (!b->len) {
		if (pcache_pack(p, &packed) < 0) {
			buf_release(&packed);
			return -1;
		}
		b = &packed;
	}
	buf_add(out, &p->stamp, sizeof p->stamp);
	uint64_t len = b->len;
	buf_add(out, &len, sizeof len);
	buf_add(out, b->data, b->len);
	buf_release(&packed);
	uint64_t n = json_array_size(p->records);
	buf_add(out, &n, sizeof n);
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		const struct search_doc *d = &p->docs[k];
		const unsigned char *keys;
		const char *words, *snippet;
		if (search_doc_tokens(d, &tokens, &keys, &words) < 0 ||
		    search_doc_snippet(d, &snip, &snippet) < 0) {
			rc = -1;
			break;
		}
		uint64_t lens[2] = {d->len, d->wlen}, slen = strlen(snippet);
		buf_add(out, lens, sizeof lens);
		if (at)
			at[k] = out->len;
		buf_add(out, keys, d->len);
		buf_add(out, words, d->wlen);
		buf_add(out, &slen, sizeof slen);
		buf_add(out, snippet, (size_t)slen);
		uint64_t h = d->hash ? d->hash /* made with its tokens, or read with them */
		                     : search_doc_hash(lens, keys, words, snippet, (size_t)slen);
		buf_add(out, &h, sizeof h);
	}
	buf_release(&tokens);
	buf_release(&snip);
	return rc;
}

/* Starts a cache file: its header. */
static void
S_header(FILE *f, uint64_t salt)
{
	fputs(PCACHE_MAGIC, f);
	fwrite(&salt, sizeof salt, 1, f);
}

/* Writes the entries of the pages (none, those not from the base file, or
   all) to the cache file name. */
static void
S_write_file(struct output *out, const char *name, const struct pagelist *pl, uint64_t salt,
             enum cache_part part)
{
	FILE *f = out_cache_create(out, name);
	if (!f)
		return;
	struct buf rec = BUF_INIT;
	S_header(f, salt);
	for (size_t i = 0; i < pl->n && part != CACHE_NONE; i++) {
		const struct page *p = &pl->v[i];
		if (!p->entry || (part == CACHE_NEW && p->from_base))
			continue;
		buf_reset(&rec);
		if (S_record(p, &rec, NULL) < 0) {
			out_cache_abandon(out, name, f);
			buf_release(&rec);
			return; /* the next build starts from the last cache */
		}
		fwrite(rec.data, 1, rec.len, f);
	}
	buf_release(&rec);
	out_cache_done(out, name, f);
}

/*
 * The cache is a base file, "pages", and "pages.delta", the pages read
 * since the base was written. While the pages not in the base are few
 * (an eighth), only the delta is written again; otherwise the base, and
 * an empty delta. Pages read afresh come packed (in parallel, where
 * they were read); the others are packed here.
 */
void
pcache_write(struct output *out, struct pagelist *pl, uint64_t salt, struct pcache_direct *d)
{
	if (d->f) {
		/* the workers wrote "pages" (all of it when nothing failed);
		   what is left is to keep it */
		if (d->fd < 0 || atomic_load(&d->failed))
			out_cache_abandon(out, "pages", d->f);
		else
			out_cache_done(out, "pages", d->f);
		d->f = NULL;
		S_write_file(out, "pages.delta", pl, salt, CACHE_NONE);
		return;
	}
	size_t fresh = 0, base = 0;
	for (size_t i = 0; i < pl->n; i++) {
		fresh += pl->v[i].entry && !pl->v[i].from_base;
		base += pl->v[i].from_base;
	}
	if (base && fresh * 8 <= pl->n) {
		S_write_file(out, "pages.delta", pl, salt, CACHE_NEW);
	} else {
		S_write_file(out, "pages", pl, salt, CACHE_ALL);
		S_write_file(out, "pages.delta", pl, salt, CACHE_NONE);
	}
	for (size_t i = 0; i < pl->n; i++)
		buf_release(&pl->v[i].dump);
}

/* A cache file being read, and how far. */
struct cache_in {
	FILE *f;
	uint64_t at;
	uint64_t size; /* of the file: no length read from it may pass its end */
};

/* The bytes left to read in the file. */
static uint64_t
S_left(const struct cache_in *in)
{
	return in->size > in->at ? in->size - in->at : 0;
}

/* Reads exactly len bytes: 0, or -1 at the end of the file. */
static int
S_in(struct cache_in *in, void *data, size_t len)
{
	if (fread(data, 1, len, in->f) != len)
		return -1;
	in->at += len;
	return 0;
}

/* Reads a length and that many bytes into a new NUL-terminated block;
   NULL at the end of the file or for a length past max. */
static char *
S_in_bytes(struct cache_in *in, size_t max, size_t *len)
{
	uint64_t n;
	if (S_in(in, &n, sizeof n) < 0 || n > max || n > S_left(in))
		return NULL;
	char *b = xmalloc((size_t)n + 1);
	if (S_in(in, b, (size_t)n) < 0) {
		free(b);
		return NULL;
	}
	b[n] = '\0';
	*len = (size_t)n;
	return b;
}

/* A stamp looked for among the pages. */
struct stamp_key {
	const struct pagelist *pl;
	uint64_t stamp;
};

static int
S_has_stamp(const void *ctx, size_t i)
{
	const struct stamp_key *k = ctx;
	return k->pl->v[i].stamp == k->stamp;
}

/* Takes the entries of the cache file name for the pages they fit (found
   by their stamps in the index `stamps`). */
static size_t
S_read_file(struct output *out, const char *name, struct pagelist *pl, uint64_t salt,
            const struct hmap *stamps, int base)
{
	struct cache_in in = {.f = out_cache_read(out, name)};
	if (!in.f)
		return 0;
	struct stat st;
	in.size = fstat(fileno(in.f), &st) == 0 ? (uint64_t)st.st_size : 0;
	struct buf tokens = BUF_INIT; /* a document's, while they are checked */
	char magic[sizeof PCACHE_MAGIC];
	uint64_t have;
	size_t taken = 0;
	if (S_in(&in, magic, sizeof PCACHE_MAGIC - 1) < 0 ||
	    memcmp(magic, PCACHE_MAGIC, sizeof PCACHE_MAGIC - 1) ||
	    S_in(&in, &have, sizeof have) < 0 || have != salt) {
		fclose(in.f);
		return 0;
	}
	const size_t max = (size_t)1 << 30;
	uint64_t stamp;
	while (S_in(&in, &stamp, sizeof stamp) == 0) {
		size_t len;
		char *text = S_in_bytes(&in, max, &len);
		uint64_t n;
		if (!text || S_in(&in, &n, sizeof n) < 0 || n > 100000) {
			free(text);
			break;
		}
		struct stamp_key key = {pl, stamp};
		size_t at = hmap_find(stamps, stamp, S_has_stamp, &key);
		struct page *p = at == HMAP_NONE ? NULL : &pl->v[at];
		struct search_doc *docs = xcalloc(n ? (size_t)n : 1, sizeof *docs);
		int ok = 1;
		for (size_t k = 0; k < n && ok; k++) {
			/* the tokens and the snippet stay in the file, read
			   when indexed: here they are only checked */
			uint64_t lens[2], want;
			size_t slen = 0;
			ok = S_in(&in, lens, sizeof lens) == 0 && lens[0] <= max && lens[1] <= max &&
			     lens[0] <= UINT32_MAX && lens[1] <= UINT32_MAX &&
			     lens[0] + lens[1] <= S_left(&in);
			docs[k].len = ok ? (uint32_t)lens[0] : 0;
			docs[k].wlen = ok ? (uint32_t)lens[1] : 0;
			size_t keys_at = (size_t)in.at;
			if (ok) {
				buf_reset(&tokens);
				buf_grow(&tokens, docs[k].len + docs[k].wlen);
			}
			ok = ok && S_in(&in, tokens.data, docs[k].len + docs[k].wlen) == 0 &&
			     (docs[k].snippet = S_in_bytes(&in, max, &slen)) != NULL &&
			     S_in(&in, &want, sizeof want) == 0 &&
			     search_doc_hash(lens, (const unsigned char *)tokens.data,
			                     tokens.data + docs[k].len, docs[k].snippet, slen) == want;
			docs[k].hash = ok ? want : 0;
			search_doc_put_aside(&docs[k], fileno(in.f), keys_at);
		}
		if (ok && p && !p->cached) {
			/* parsed by the page's worker (pcache_unpack) */
			p->cache_text = text;
			p->cache_len = len;
			p->cache_docs = (size_t)n;
			p->docs = docs;
			p->cached = 1;
			p->from_base = base;
			taken++;
		} else {
			for (size_t k = 0; k < n; k++)
				search_doc_free(&docs[k]);
			free(docs);
			free(text);
		}
		if (!ok)
			break;
	}
	buf_release(&tokens);
	if (taken)
		pl->cache[base] = in.f;
	else
		fclose(in.f);
	return taken;
}

size_t
pcache_read(struct output *out, struct pagelist *pl, uint64_t salt)
{
	struct hmap stamps = {0};
	hmap_reserve(&stamps, pl->n);
	for (size_t i = 0; i < pl->n; i++)
		hmap_add(&stamps, pl->v[i].stamp, i);
	size_t taken = S_read_file(out, "pages.delta", pl, salt, &stamps, 0);
	taken += S_read_file(out, "pages", pl, salt, &stamps, 1);
	hmap_free(&stamps);
	return taken;
}

/* Whether each of records has a record's shape. */
static int
S_records_valid(const json_t *records)
{
	size_t i;
	json_t *r;
	json_array_foreach (records, i, r)
		if (!view_record_valid(r))
			return 0;
	return 1;
}

int
pcache_unpack(struct page *p)
{
	json_t *c = NULL;
	uint64_t h;
	if (p->cache_len >= sizeof h) {
		size_t len = p->cache_len - sizeof h;
		memcpy(&h, p->cache_text + len, sizeof h);
		if (h == util_mix(0, p->cache_text, len))
			c = mujson_unpack(p->cache_text, len);
	}
	free(p->cache_text);
	p->cache_text = NULL;
	json_t *records = json_object_get(c, "records");
	const char *enc = enc_canonical(json_string_value(json_object_get(c, "encoding")));
	json_t *entry = view_entry_from_object(json_object_get(c, "entry"));
	if (!enc || json_array_size(records) != p->cache_docs || !S_records_valid(records) ||
	    !entry || view_entry_records(entry) != json_array_size(records)) {
		json_decref(entry);
		json_decref(c);
		return -1;
	}
	p->entry = entry;
	p->records = json_incref(records);
	p->encoding = enc;
	json_decref(c);
	return 0;
}

/* ---------------------------------------------------------------------
 * Writing the cache as the pages are read
 * ------------------------------------------------------------------- */

void
pcache_direct_open(struct pcache_direct *d, struct output *out, uint64_t salt)
{
	d->f = out_cache_create(out, "pages");
	d->fd = -1;
	atomic_init(&d->end, 0);
	atomic_init(&d->failed, 0);
	if (!d->f)
		return;
	S_header(d->f, salt);
	long header = ftell(d->f);
	if (fflush(d->f) == 0 && header > 0 && (d->fd = dup(fileno(d->f))) >= 0)
		atomic_store(&d->end, (size_t)header);
}

int
pcache_put(struct pcache_direct *d, struct page *p)
{
	size_t n = json_array_size(p->records);
	size_t *at = xcalloc(n ? n : 1, sizeof *at);
	struct buf rec = BUF_INIT;
	int put = 0;
	if (p->entry && S_record(p, &rec, at) == 0) {
		size_t off = atomic_fetch_add(&d->end, rec.len);
		put = util_pwrite_all(d->fd, rec.data, rec.len, off) == 0;
		if (!put)
			atomic_store(&d->failed, 1);
		for (size_t k = 0; put && k < n; k++)
			search_doc_put_aside(&p->docs[k], d->fd, off + at[k]);
	} else if (p->entry) {
		atomic_store(&d->failed, 1);
	}
	buf_release(&p->dump);
	buf_release(&rec);
	free(at);
	return put ? 0 : -1;
}

void
pcache_direct_close(struct pcache_direct *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}
