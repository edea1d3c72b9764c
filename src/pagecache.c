#include "pagecache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "encoding.h"
#include "hmap.h"
#include "mujson.h"
#include "output.h"
#include "scan.h"
#include "search.h"
#include "spill.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

/* Sets each of records' district to its code ("" for none): a district
   is an object of a dozen values, the same for every article of a place,
   which an unpacked record would make only to drop it for the one the
   build shares (pages.c). records is view_records_portable's of live: a
   record it shares with live is copied first, one it copied already is
   changed in place. */
static void
S_district_codes(json_t *records, json_t *const *live)
{
	json_t *r;
	size_t k;
	json_array_foreach (records, k, r) {
		const char *code =
		    json_string_value(json_object_get(view_record_get(r, "district"), "code"));
		json_t *v = json_string(code ? code : "");
		if (r == live[k]) {
			r = json_copy(r); /* its slots shared */
			json_array_set_new(records, k, r);
		}
		view_record_set(r, "district", v);
	}
}

int
pcache_pack(const struct page *p, struct buf *out)
{
	json_t *records = view_records_portable(p->records, p->nrecords); /* the excerpts in them */
	if (!records)
		return -1;
	S_district_codes(records, p->records);
	json_t *j = json_pack("{s:o,s:o,s:s}", "entry", view_entry_object(p->entry), "records",
	                      records, "encoding", enc_name(p->encoding));
	mujson_pack(j, out);
	json_decref(j);
	uint64_t h = util_mix(0, out->data, out->len);
	buf_add(out, &h, sizeof h);
	return 0;
}

enum cache_part { CACHE_NONE, CACHE_NEW, CACHE_ALL };

/* A document in a cache file: where its tokens and snippet are in the
   tokens file (as search_doc_spill lays them out), their lengths, and
   their hash. */
struct cached_doc {
	uint64_t at, hash;
	uint32_t len, wlen, slen, zero;
};
_Static_assert(sizeof(struct cached_doc) == 32, "a cached document is 32 bytes");

/* The tokens file of cache file name. */
static void
S_tokens_name(const char *name, struct buf *out)
{
	buf_printf(out, "%s.tokens", name);
}

/* A number that pairs a cache file with its tokens file. */
static uint64_t
S_nonce(void)
{
	uint64_t n = 0;
	if (getrandom(&n, sizeof n, GRND_NONBLOCK) != (ssize_t)sizeof n) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		n = util_mix_u64((uint64_t)ts.tv_sec << 30 ^ (uint64_t)ts.tv_nsec,
		                 (uint64_t)getpid());
	}
	return n ? n : 1;
}

/* Appends the tokens and snippets of page p's documents to tok, as
   search_doc_spill lays them out, and fills t: each one's place in tok,
   lengths and hash. 0, -1 when one cannot be read back, or
   SEARCH_DAMAGED when one from the last build's cache is not what its
   hash says. */
static int
S_blobs(const struct page *p, size_t n, struct buf *tok, struct cached_doc *t)
{
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		const struct search_doc *d = &p->docs[k];
		size_t at = tok->len;
		if ((rc = search_doc_blob(d, tok)) < 0)
			break;
		const char *blob = tok->data + at, *words = blob + d->len;
		uint64_t lens[2] = {d->len, d->wlen}, slen;
		memcpy(&slen, words + d->wlen, sizeof slen);
		t[k] = (struct cached_doc){
		    .at = at,
		    .len = d->len,
		    .wlen = d->wlen,
		    .slen = (uint32_t)slen,
		    .hash = d->hash ? d->hash /* made with its tokens */
		                    : search_doc_hash(lens, (const unsigned char *)blob, words,
		                                      words + d->wlen + sizeof slen, (size_t)slen)};
	}
	return rc;
}

/* Appends page p's record of the cache to out: its stamp, packed (the
   len bytes at text, or packed here when there are none), then its n
   documents' table (t, their places in the tokens file) and that table's
   hash. 0, or -1 when it cannot be packed. */
static int
S_record(const struct page *p, const char *text, size_t text_len, const struct cached_doc *t,
         size_t n, struct buf *out)
{
	struct buf packed = BUF_INIT;
	uint64_t len = text_len, count = n;
	if (!len) {
		if (pcache_pack(p, &packed) < 0) {
			buf_release(&packed);
			return -1;
		}
		text = packed.data;
		len = packed.len;
	}
	buf_add(out, &p->src->stamp, sizeof p->src->stamp);
	buf_add(out, &len, sizeof len);
	buf_add(out, text, (size_t)len);
	buf_release(&packed);
	size_t table = out->len;
	buf_add(out, &count, sizeof count);
	buf_add(out, t, n * sizeof *t);
	uint64_t h = util_mix(0, out->data + table, out->len - table);
	buf_add(out, &h, sizeof h);
	return 0;
}

/* Page p's record (from the len bytes of its packed text at text, or
   packed here when there are none) and its documents' tokens, these at
   tok_at in the tokens file: 0, -1, or SEARCH_DAMAGED (S_blobs). */
static int
S_page(const struct page *p, const char *text, size_t len, size_t tok_at, struct buf *rec,
       struct buf *tok)
{
	size_t n = p->nrecords;
	struct cached_doc *t = xcalloc(n ? n : 1, sizeof *t);
	int rc = S_blobs(p, n, tok, t);
	for (size_t k = 0; k < n && rc == 0; k++)
		t[k].at += tok_at;
	if (rc == 0)
		rc = S_record(p, text, len, t, n, rec);
	free(t);
	return rc;
}

/* Starts a cache file and its tokens file: their headers. */
static void
S_headers(FILE *f, FILE *tf, uint64_t salt, uint64_t nonce)
{
	fputs(PCACHE_MAGIC, f);
	fwrite(&salt, sizeof salt, 1, f);
	fwrite(&nonce, sizeof nonce, 1, f);
	fputs(PCACHE_TOKENS_MAGIC, tf);
	fwrite(&nonce, sizeof nonce, 1, tf);
}

/* Writes the entries of the pages (none, those not from the base file, or
   all) to the cache file name and its tokens file, the texts of those
   read afresh from ds (in the pages' order): 0, or SEARCH_DAMAGED when a
   document from the last build's cache was not what its hash says
   (neither is then written). */
static int
S_write_file(struct output *out, const char *name, const struct pagelist *pl, uint64_t salt,
             enum cache_part part, const struct pcache_dumps *ds)
{
	struct buf tname = BUF_INIT, rec = BUF_INIT, tok = BUF_INIT;
	S_tokens_name(name, &tname);
	FILE *f = out_cache_create(out, name);
	FILE *tf = f ? out_cache_create(out, tname.data) : NULL;
	int rc = tf ? 0 : -1;
	if (tf)
		S_headers(f, tf, salt, S_nonce());
	size_t tok_at = tf ? (size_t)ftell(tf) : 0, d = 0;
	for (size_t i = 0; i < pl->n && part != CACHE_NONE && rc == 0; i++) {
		const struct page *p = &pl->v[i];
		while (d < ds->n && ds->v[d].page < i)
			d++;
		if (!p->entry || (part == CACHE_NEW && p->from_base))
			continue;
		buf_reset(&rec);
		buf_reset(&tok);
		const struct pcache_dump *dump = d < ds->n && ds->v[d].page == i ? &ds->v[d] : NULL;
		rc = S_page(p, dump ? dump->text : NULL, dump ? dump->len : 0, tok_at, &rec, &tok);
		fwrite(tok.data, 1, tok.len, tf);
		fwrite(rec.data, 1, rec.len, f);
		tok_at += tok.len;
	}
	if (rc == 0) {
		out_cache_done(out, tname.data, tf);
		out_cache_done(out, name, f);
	} else { /* the next build starts from the last cache */
		if (tf)
			out_cache_abandon(out, tname.data, tf);
		if (f)
			out_cache_abandon(out, name, f);
	}
	buf_release(&tname);
	buf_release(&rec);
	buf_release(&tok);
	return rc == SEARCH_DAMAGED ? rc : 0;
}

/* Frees the texts ds holds, once written, and leaves it empty. */
static void
S_dumps_empty(struct pcache_dumps *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		free(ds->v[i].text);
	free(ds->v);
	ds->v = NULL;
	ds->n = ds->cap = 0;
}

/* Orders two dumps by their pages. */
static int
S_by_page(const void *a, const void *b)
{
	size_t x = ((const struct pcache_dump *)a)->page, y = ((const struct pcache_dump *)b)->page;
	return (x > y) - (x < y);
}

/*
 * The cache is a base file, "pages", and "pages.delta", the pages read
 * since the base was written, each with its tokens file. While the pages
 * not in the base are few (an eighth), only the delta is written again;
 * otherwise the base, and an empty delta. Pages read afresh come packed
 * (in parallel, where they were read); the others are packed here.
 */
int
pcache_write(struct output *out, struct pagelist *pl, uint64_t salt, struct pcache_direct *d,
             struct pcache_dumps *ds)
{
	int rc = 0;
	if (d->f) {
		/* the workers wrote "pages" (all of it when nothing failed);
		   what is left is to keep it */
		struct buf tname = BUF_INIT;
		S_tokens_name("pages", &tname);
		if (d->fd < 0 || d->tfd < 0 || atomic_load(&d->failed)) {
			out_cache_abandon(out, tname.data, d->tf);
			out_cache_abandon(out, "pages", d->f);
		} else {
			out_cache_done(out, tname.data, d->tf);
			out_cache_done(out, "pages", d->f);
		}
		buf_release(&tname);
		d->f = d->tf = NULL;
		S_write_file(out, "pages.delta", pl, salt, CACHE_NONE, ds);
		S_dumps_empty(ds);
		return 0;
	}
	if (ds->n)
		qsort(ds->v, ds->n, sizeof *ds->v, S_by_page);
	size_t fresh = 0, base = 0;
	for (size_t i = 0; i < pl->n; i++) {
		fresh += pl->v[i].entry && !pl->v[i].from_base;
		base += pl->v[i].from_base;
	}
	if (base && fresh * 8 <= pl->n) {
		rc = S_write_file(out, "pages.delta", pl, salt, CACHE_NEW, ds);
	} else {
		rc = S_write_file(out, "pages", pl, salt, CACHE_ALL, ds);
		if (rc == 0)
			S_write_file(out, "pages.delta", pl, salt, CACHE_NONE, ds);
	}
	S_dumps_empty(ds);
	return rc;
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

/* Reads a length and passes over that many bytes, which start at *at
   (read, not sought past: a seek costs a system call, and the bytes are
   most often in the stream's buffer already): 0, or -1 at the end of
   the file or for a length past max. */
static int
S_in_skip(struct cache_in *in, size_t max, size_t *at, size_t *len)
{
	uint64_t n;
	if (S_in(in, &n, sizeof n) < 0 || n > max || n > S_left(in))
		return -1;
	*at = (size_t)in->at;
	*len = (size_t)n;
	char passed[4096];
	for (size_t left = (size_t)n, k; left; left -= k) {
		k = left < sizeof passed ? left : sizeof passed;
		if (S_in(in, passed, k) < 0)
			return -1;
	}
	return 0;
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
	return k->pl->v[i].src->stamp == k->stamp;
}

/* Opens the cache file name and its tokens file and checks their headers
   (the program's format, salt, and that they are a pair): 0, or -1
   (nothing left open). */
static int
S_open_pair(struct output *out, const char *name, uint64_t salt, struct cache_in *in,
            struct cache_in *tin)
{
	struct buf tname = BUF_INIT;
	S_tokens_name(name, &tname);
	in->f = out_cache_read(out, name);
	tin->f = in->f ? out_cache_read(out, tname.data) : NULL;
	buf_release(&tname);
	struct stat st;
	char magic[sizeof PCACHE_MAGIC], tmagic[sizeof PCACHE_TOKENS_MAGIC];
	uint64_t have, nonce, tnonce;
	if (tin->f && fstat(fileno(in->f), &st) == 0 && (in->size = (uint64_t)st.st_size) &&
	    fstat(fileno(tin->f), &st) == 0 && (tin->size = (uint64_t)st.st_size) &&
	    S_in(in, magic, sizeof PCACHE_MAGIC - 1) == 0 &&
	    !memcmp(magic, PCACHE_MAGIC, sizeof PCACHE_MAGIC - 1) &&
	    S_in(in, &have, sizeof have) == 0 && have == salt &&
	    S_in(in, &nonce, sizeof nonce) == 0 &&
	    S_in(tin, tmagic, sizeof PCACHE_TOKENS_MAGIC - 1) == 0 &&
	    !memcmp(tmagic, PCACHE_TOKENS_MAGIC, sizeof PCACHE_TOKENS_MAGIC - 1) &&
	    S_in(tin, &tnonce, sizeof tnonce) == 0 && tnonce == nonce)
		return 0;
	if (in->f)
		fclose(in->f);
	if (tin->f)
		fclose(tin->f);
	in->f = tin->f = NULL;
	return -1;
}

/* Reads a page's table of n documents and checks it (its hash, and that
   each one's tokens lie in the tokens file tin after its header): 0, or
   -1 when it does not fit. With pl, the documents, put aside there, in
   *docs (pages_docs_room); without, none is made. */
static int
S_in_docs(struct cache_in *in, const struct cache_in *tin, uint64_t n, struct pagelist *pl,
          struct search_doc **docs)
{
	/* the count and the table, as their hash was made */
	size_t size = sizeof n + (size_t)n * sizeof(struct cached_doc);
	unsigned char *table = xmalloc(size);
	memcpy(table, &n, sizeof n);
	struct cached_doc *t = (struct cached_doc *)(table + sizeof n);
	uint64_t want;
	int ok = n <= S_left(in) / sizeof *t && S_in(in, t, size - sizeof n) == 0 &&
	         S_in(in, &want, sizeof want) == 0 && util_mix(0, table, size) == want;
	for (size_t k = 0; ok && k < n; k++) {
		uint64_t need = (uint64_t)t[k].len + t[k].wlen + sizeof(uint64_t) + t[k].slen;
		ok = t[k].at >= tin->at && t[k].at <= tin->size && need <= tin->size - t[k].at &&
		     t[k].slen < (1u << 30) && t[k].hash;
	}
	if (ok && pl) {
		*docs = pages_docs_room(pl, (size_t)n);
		for (size_t k = 0; k < n; k++)
			search_doc_in_file(&(*docs)[k], fileno(tin->f), (size_t)t[k].at, t[k].len,
			                   t[k].wlen, t[k].slen, t[k].hash);
	}
	free(table);
	return ok ? 0 : -1;
}

/* Takes the entries of the cache file name for the pages they fit (found
   by their stamps in the index `stamps`). Their documents' tokens stay in
   its tokens file, kept open in pl->cache, and are checked when read. */
static size_t
S_read_file(struct output *out, const char *name, struct pagelist *pl, uint64_t salt,
            const struct hmap *stamps, int base)
{
	struct cache_in in = {0}, tin = {0};
	if (S_open_pair(out, name, salt, &in, &tin) < 0)
		return 0;
	const size_t max = PAGE_LEN_MAX;
	size_t taken = 0;
	uint64_t stamp;
	size_t text;
	while (S_in(&in, &stamp, sizeof stamp) == 0) {
		size_t len;
		uint64_t n;
		struct search_doc *docs = NULL;
		struct stamp_key key = {pl, stamp};
		size_t at = hmap_find(stamps, stamp, S_has_stamp, &key);
		struct page *p = at == HMAP_NONE || pl->v[at].cached ? NULL : &pl->v[at];
		if (S_in_skip(&in, max, &text, &len) < 0 || S_in(&in, &n, sizeof n) < 0 ||
		    n > 100000 || S_in_docs(&in, &tin, n, p ? pl : NULL, &docs) < 0)
			break;
		if (p) {
			/* parsed by the page's worker (pcache_unpack) */
			p->cache_at = text;
			p->cache_len = (uint32_t)len; /* at most max */
			p->cache_docs = (uint32_t)n;
			p->docs = docs;
			p->cached = 1;
			p->from_base = base;
			taken++;
		}
	}
	if (taken) {
		pl->cache[base] = tin.f;
		pl->texts[base] = in.f;
	} else {
		fclose(in.f);
		fclose(tin.f);
	}
	return taken;
}

void
pcache_texts_close(struct pagelist *pl)
{
	for (size_t i = 0; i < 2; i++) {
		if (pl->texts[i])
			fclose(pl->texts[i]);
		pl->texts[i] = NULL;
	}
}

size_t
pcache_read(struct output *out, struct pagelist *pl, uint64_t salt)
{
	struct hmap stamps = {0};
	hmap_reserve(&stamps, pl->n);
	for (size_t i = 0; i < pl->n; i++)
		hmap_add(&stamps, pl->v[i].src->stamp, i);
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

void
pcache_window_free(struct pcache_window *w)
{
	buf_release(&w->data);
	w->fd = -1;
	w->at = w->len = 0;
}

/* Reads the window of w at off, at least need bytes: 0, or -1. */
static int
S_window_read(struct pcache_window *w, int fd, size_t off, size_t need)
{
	size_t want = need > PCACHE_WINDOW ? need : PCACHE_WINDOW;
	buf_reset(&w->data);
	buf_grow(&w->data, want);
	w->fd = -1;
	ssize_t k = util_pread(fd, w->data.data, want, off);
	if (k >= 0 && (size_t)k < need) /* a short read short of the end */
		k = util_pread_all(fd, w->data.data, need, off) == 0 ? (ssize_t)need : -1;
	if (k < 0)
		return -1;
	w->fd = fd;
	w->at = off;
	w->len = (size_t)k;
	return 0;
}

int
pcache_unpack(const struct pagelist *pl, struct page *p, struct pcache_window *w, json_t **records)
{
	FILE *f = pl->texts[p->from_base ? 1 : 0];
	if (!f)
		return -1;
	int fd = fileno(f);
	size_t at = p->cache_at, len = p->cache_len;
	if ((w->fd != fd || at < w->at || at + len > w->at + w->len) &&
	    S_window_read(w, fd, at, len) < 0)
		return -1;
	return pcache_unpack_text(p, w->data.data + (at - w->at), len, records);
}

int
pcache_unpack_text(struct page *p, const char *text, size_t len, json_t **records_out)
{
	json_t *c = NULL;
	uint64_t h;
	if (len >= sizeof h) {
		len -= sizeof h;
		memcpy(&h, text + len, sizeof h);
		if (h == util_mix(0, text, len))
			c = mujson_unpack(text, len);
	}
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
	*records_out = json_incref(records);
	p->encoding = enc_number(enc);
	json_decref(c);
	return 0;
}

/* ---------------------------------------------------------------------
 * Writing the cache as the pages are read
 * ------------------------------------------------------------------- */

void
pcache_direct_open(struct pcache_direct *d, struct output *out, uint64_t salt)
{
	struct buf tname = BUF_INIT;
	S_tokens_name("pages", &tname);
	d->f = out_cache_create(out, "pages");
	d->tf = d->f ? out_cache_create(out, tname.data) : NULL;
	buf_release(&tname);
	d->fd = d->tfd = -1;
	atomic_init(&d->end, 0);
	atomic_init(&d->tend, 0);
	atomic_init(&d->failed, 0);
	if (!d->tf) {
		if (d->f)
			out_cache_abandon(out, "pages", d->f);
		d->f = NULL;
		return;
	}
	S_headers(d->f, d->tf, salt, S_nonce());
	long header = ftell(d->f), theader = ftell(d->tf);
	if (fflush(d->f) == 0 && fflush(d->tf) == 0 && header > 0 && theader > 0 &&
	    (d->fd = dup(fileno(d->f))) >= 0 && (d->tfd = dup(fileno(d->tf))) >= 0) {
		atomic_store(&d->end, (size_t)header);
		atomic_store(&d->tend, (size_t)theader);
	}
}

void
pcache_dumps_init(struct pcache_dumps *ds)
{
	memset(ds, 0, sizeof *ds);
	pthread_mutex_init(&ds->lock, NULL);
}

void
pcache_keep(struct pcache_dumps *ds, size_t page, struct buf *packed)
{
	size_t len;
	char *text = buf_detach(packed, &len);
	pthread_mutex_lock(&ds->lock);
	ds->v = xgrow(ds->v, &ds->cap, ds->n + 1, sizeof *ds->v, 16);
	ds->v[ds->n++] = (struct pcache_dump){.page = page, .text = text, .len = len};
	pthread_mutex_unlock(&ds->lock);
}

void
pcache_dumps_free(struct pcache_dumps *ds)
{
	S_dumps_empty(ds);
	pthread_mutex_destroy(&ds->lock);
}

int
pcache_put(struct pcache_direct *d, struct spill *tokens, struct page *p, const struct buf *packed)
{
	size_t n = p->nrecords;
	struct cached_doc *t = xcalloc(n ? n : 1, sizeof *t);
	struct buf rec = BUF_INIT, tok = BUF_INIT;
	int put = 0;
	size_t toff;
	/* the tokens' place first, for the record that names it */
	if (p->entry && d->fd >= 0 && tokens->fd == d->tfd && S_blobs(p, n, &tok, t) == 0 &&
	    spill_put(tokens, tok.data, tok.len, &toff) == 0) {
		for (size_t k = 0; k < n; k++)
			t[k].at += toff;
		if (S_record(p, packed->data, packed->len, t, n, &rec) == 0) {
			size_t off = atomic_fetch_add(&d->end, rec.len);
			put = util_pwrite_all(d->fd, rec.data, rec.len, off) == 0;
		}
		if (!put)
			atomic_store(&d->failed, 1);
		for (size_t k = 0; put && k < n; k++)
			search_doc_put_aside(&p->docs[k], d->tfd, (size_t)t[k].at);
	} else if (p->entry) {
		atomic_store(&d->failed, 1);
	}
	buf_release(&rec);
	buf_release(&tok);
	free(t);
	return put ? 0 : -1;
}

void
pcache_direct_close(struct pcache_direct *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->tfd >= 0)
		close(d->tfd);
	d->fd = d->tfd = -1;
}
