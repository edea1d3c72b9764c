#include "site.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "district.h"
#include "encoding.h"
#include "fingerprint.h"
#include "gazetteer.h"
#include "hmap.h"
#include "meta.h"
#include "mujson.h"
#include "mustache.h"
#include "output.h"
#include "page.h"
#include "pool.h"
#include "project.h"
#include "reader.h"
#include "scan.h"
#include "search.h"
#include "segment.h"
#include "templates.h"
#include "text.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

/* One page file of content/. */
struct page {
	const char *rel;           /* path under content/ (the scan's) */
	char *slug;                /* its output name under pages/, ASCII */
	const char *path;          /* path to read it from (the scan's) */
	const struct meta *folder; /* its folder's metadata */
	json_t *entry;             /* its line in the index; NULL when it failed */
	json_t *records;           /* its articles, for the archive's pages */
	struct search_doc *docs;   /* their tokens, for the search index */
	size_t first;              /* the number of its first article in the archive */
	const char *encoding;      /* as detected, a static string */
	uint64_t stamp;            /* its scan's stamp */
	int cached;                /* docs (and cache_text) are the last build's */
	char *cache_text;          /* the last build's entry and records, packed */
	size_t cache_len, cache_docs;
	int from_base; /* ... from the cache's base file */
	/* its articles, packed in the job's scratch file for their pages
	   (spill_len 0: read the page again) */
	size_t spill_off, spill_len;
	struct buf dump; /* read afresh: what the cache keeps of it, packed */
};

struct pagelist {
	struct page *v;
	size_t n, cap;
	/* the cache files read, kept open while their documents' tokens,
	   left where they are, may still be needed */
	FILE *cache[2];
};

/* Forgets what the cache (or reading) gave for a page. */
static void
S_uncache(struct page *p)
{
	size_t n = p->cached ? p->cache_docs : json_array_size(p->records);
	for (size_t k = 0; p->docs && k < n; k++)
		search_doc_free(&p->docs[k]);
	free(p->docs);
	json_decref(p->entry);
	json_decref(p->records);
	p->docs = NULL;
	p->entry = p->records = NULL;
	p->cached = 0;
	p->from_base = 0;
	free(p->cache_text);
	p->cache_text = NULL;
}

/* ---------------------------------------------------------------------
 * The build
 * ------------------------------------------------------------------- */

/* ---------------------------------------------------------------------
 * The page cache: what reading each page gave (its index entry, its
 * articles' records and search tokens), kept beside the output so that a
 * page whose file has not changed is not read again. Binary, for this
 * program only: a header with the hash of what records depend on besides
 * the page (program, data, options, folder metadata), then per page its
 * stamp, its JSON and its documents: each one's tokens (their two lengths,
 * then keys and words one after the other, which is how the search reads
 * them back: from this file, without taking them into memory), its
 * snippet, and a hash of all that, checked when the file is read.
 * ------------------------------------------------------------------- */

#define CACHE_MAGIC "baoku-pages-5\n"

/* What the cache keeps of a page: its entry, records and encoding,
   packed (mujson_pack), then a hash of those bytes. */
static void
S_cache_pack(const struct page *p, struct buf *out)
{
	json_t *j = json_pack("{s:O,s:O,s:s}", "entry", p->entry, "records", p->records, "encoding",
	                      p->encoding);
	mujson_pack(j, out);
	json_decref(j);
	uint64_t h = util_mix(0, out->data, out->len);
	buf_add(out, &h, sizeof h);
}

/* A hash of a document as the cache keeps it, which is written after it:
   a document damaged in the file is not taken. */
static uint64_t
S_doc_hash(const uint64_t lens[2], const unsigned char *keys, const char *words,
           const char *snippet, size_t slen)
{
	uint64_t h = util_mix(0, lens, 2 * sizeof *lens);
	h = util_mix(h, keys, (size_t)lens[0]);
	h = util_mix(h, words, (size_t)lens[1]);
	return util_mix(h, snippet, slen);
}

enum cache_part { CACHE_NONE, CACHE_NEW, CACHE_ALL };

/* Appends page p's record of the cache to out: its stamp, packed (its
   dump, or packed here), then its documents. at, when not NULL, gets the
   offset in out of each document's keys. 0, or -1 when a document's
   tokens cannot be read back. */
static int
S_cache_record(const struct page *p, struct buf *out, size_t *at)
{
	struct buf packed = BUF_INIT, tokens = BUF_INIT;
	const struct buf *b = &p->dump;
	if (!b->len) {
		S_cache_pack(p, &packed);
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
		const char *words;
		if (search_doc_tokens(d, &tokens, &keys, &words) < 0) {
			rc = -1;
			break;
		}
		uint64_t lens[2] = {d->len, d->wlen}, slen = strlen(d->snippet);
		buf_add(out, lens, sizeof lens);
		if (at)
			at[k] = out->len;
		buf_add(out, keys, d->len);
		buf_add(out, words, d->wlen);
		buf_add(out, &slen, sizeof slen);
		buf_add(out, d->snippet, (size_t)slen);
		uint64_t h = S_doc_hash(lens, keys, words, d->snippet, (size_t)slen);
		buf_add(out, &h, sizeof h);
	}
	buf_release(&tokens);
	return rc;
}

/* Starts a cache file: its header. */
static void
S_cache_header(FILE *f, uint64_t salt)
{
	fputs(CACHE_MAGIC, f);
	fwrite(&salt, sizeof salt, 1, f);
}

/* Writes the entries of the pages (none, those not from the base file, or
   all) to the cache file name. */
static void
S_cache_write_file(struct output *out, const char *name, const struct pagelist *pl, uint64_t salt,
                   enum cache_part part)
{
	FILE *f = out_cache_create(out, name);
	if (!f)
		return;
	struct buf rec = BUF_INIT;
	S_cache_header(f, salt);
	for (size_t i = 0; i < pl->n && part != CACHE_NONE; i++) {
		const struct page *p = &pl->v[i];
		if (!p->entry || (part == CACHE_NEW && p->from_base))
			continue;
		buf_reset(&rec);
		if (S_cache_record(p, &rec, NULL) < 0) {
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
static void
S_cache_write(struct output *out, struct pagelist *pl, uint64_t salt, FILE *direct, int direct_ok)
{
	if (direct) {
		/* the workers wrote "pages" (all of it when direct_ok); what is
		   left is to keep it */
		if (!direct_ok)
			out_cache_abandon(out, "pages", direct);
		else
			out_cache_done(out, "pages", direct);
		S_cache_write_file(out, "pages.delta", pl, salt, CACHE_NONE);
		return;
	}
	size_t fresh = 0, base = 0;
	for (size_t i = 0; i < pl->n; i++) {
		fresh += pl->v[i].entry && !pl->v[i].from_base;
		base += pl->v[i].from_base;
	}
	if (base && fresh * 8 <= pl->n) {
		S_cache_write_file(out, "pages.delta", pl, salt, CACHE_NEW);
	} else {
		S_cache_write_file(out, "pages", pl, salt, CACHE_ALL);
		S_cache_write_file(out, "pages.delta", pl, salt, CACHE_NONE);
	}
	for (size_t i = 0; i < pl->n; i++)
		buf_release(&pl->v[i].dump);
}

/* A cache file being read, and how far. */
struct cache_in {
	FILE *f;
	uint64_t at;
};

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
	if (S_in(in, &n, sizeof n) < 0 || n > max)
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

/* The district objects of cached records, shared with the others of the
   same place (S_district): by_code, keyed by the unit's code. */
static void
S_share_districts(json_t *records, json_t *by_code)
{
	size_t i;
	json_t *r;
	json_array_foreach (records, i, r) {
		json_t *d = json_object_get(r, "district");
		const char *code = json_string_value(json_object_get(d, "code"));
		const char *key = code ? code : "";
		json_t *have = json_object_get(by_code, key);
		if (have)
			json_object_set(r, "district", have);
		else if (d)
			json_object_set(by_code, key, d);
	}
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
S_cache_read_file(struct output *out, const char *name, struct pagelist *pl, uint64_t salt,
                  const struct hmap *stamps, int base)
{
	struct cache_in in = {.f = out_cache_read(out, name)};
	if (!in.f)
		return 0;
	struct buf tokens = BUF_INIT; /* a document's, while they are checked */
	char magic[sizeof CACHE_MAGIC];
	uint64_t have;
	size_t taken = 0;
	if (S_in(&in, magic, sizeof CACHE_MAGIC - 1) < 0 ||
	    memcmp(magic, CACHE_MAGIC, sizeof CACHE_MAGIC - 1) ||
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
			/* the tokens stay in the file, read when indexed: here
			   they are only checked */
			uint64_t lens[2], want;
			size_t slen = 0;
			ok = S_in(&in, lens, sizeof lens) == 0 && lens[0] <= max && lens[1] <= max;
			search_doc_put_aside(&docs[k], fileno(in.f), (size_t)in.at);
			docs[k].len = ok ? (size_t)lens[0] : 0;
			docs[k].wlen = ok ? (size_t)lens[1] : 0;
			if (ok) {
				buf_reset(&tokens);
				buf_grow(&tokens, docs[k].len + docs[k].wlen);
			}
			ok = ok && S_in(&in, tokens.data, docs[k].len + docs[k].wlen) == 0 &&
			     (docs[k].snippet = S_in_bytes(&in, max, &slen)) != NULL &&
			     S_in(&in, &want, sizeof want) == 0 &&
			     S_doc_hash(lens, (const unsigned char *)tokens.data,
			                tokens.data + docs[k].len, docs[k].snippet, slen) == want;
		}
		if (ok && p && !p->cached) {
			/* parsed by the page's worker (S_from_cache) */
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

/* Takes what the last build read of the pages that have not changed: their
   documents, and their entries and records as JSON text for the workers
   to parse. The delta first: it is newer than the base. */
static size_t
S_cache_read(struct output *out, struct pagelist *pl, uint64_t salt)
{
	struct hmap stamps = {0};
	hmap_reserve(&stamps, pl->n);
	for (size_t i = 0; i < pl->n; i++)
		hmap_add(&stamps, pl->v[i].stamp, i);
	size_t taken = S_cache_read_file(out, "pages.delta", pl, salt, &stamps, 0);
	taken += S_cache_read_file(out, "pages", pl, salt, &stamps, 1);
	hmap_free(&stamps);
	return taken;
}

/* What one thread keeps from page to page. */
struct worker {
	struct search_set set;
};

static void
S_worker_free(void *state)
{
	struct worker *w = state;
	search_set_free(&w->set);
}

/* What the workers share. */
struct job {
	struct pagelist *pl;
	struct output *out;
	struct mu_env *env;
	struct mu_template *page_t;
	json_t *site;
	struct enc_options enc;
	const struct gazetteer *gz;
	json_t *districts;         /* each place's district object, by code, shared */
	pthread_mutex_t dlock;     /* guards districts */
	const struct archive *arc; /* for the article pages */
	int progress;              /* draw a progress line: stderr is a terminal */
	int spill;                 /* the scratch file, or -1 */
	atomic_size_t spill_end;   /* the bytes in it */
	/* In a build with nothing from the cache, the workers write the new
	   cache's records themselves, and its documents' tokens stay there
	   (not in the scratch file) until the index is built. */
	int cache_fd;            /* that file, or -1 */
	atomic_size_t cache_end; /* the bytes in it */
	atomic_int cache_failed; /* a record could not be written */
};

/* The district object of a place, one for all the articles in the same
   unit (what makes one place's score and evidence is left out). */
static json_t *
S_district(struct job *j, const struct dist_place *pl)
{
	/* keyed as dist_json gives the code; "" for no place */
	char code[24] = "";
	if (pl->unit >= 0)
		snprintf(code, sizeof code, "%llu",
		         (unsigned long long)gz_units(j->gz)[pl->unit].code);
	pthread_mutex_lock(&j->dlock);
	json_t *d = json_object_get(j->districts, code);
	if (!d) {
		d = dist_json(j->gz, pl);
		json_object_del(d, "evidence");
		json_object_del(d, "score");
		json_object_set_new(j->districts, code, d);
	}
	json_incref(d);
	pthread_mutex_unlock(&j->dlock);
	return d;
}

/* Parses what the cache holds of a page: 0, or -1 when it does not fit. */
static int
S_from_cache(struct job *j, struct page *p)
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
	if (!enc || json_array_size(records) != p->cache_docs ||
	    !json_is_object(json_object_get(c, "entry"))) {
		json_decref(c);
		return -1;
	}
	pthread_mutex_lock(&j->dlock);
	S_share_districts(records, j->districts);
	pthread_mutex_unlock(&j->dlock);
	p->entry = json_incref(json_object_get(c, "entry"));
	p->records = json_incref(records);
	p->encoding = enc;
	json_decref(c);
	return 0;
}

/* Keeps a page's packed articles in the scratch file for its article
   pages, which then need not read and cut the page again. */
static void
S_spill(struct job *j, struct page *p, const struct buf *packed)
{
	p->spill_len = 0;
	if (j->spill < 0 || packed->len == 0)
		return;
	size_t off = atomic_fetch_add(&j->spill_end, packed->len);
	if (util_pwrite_all(j->spill, packed->data, packed->len, off) < 0)
		return; /* a full disk: the page is read again */
	p->spill_off = off;
	p->spill_len = packed->len;
}

/* The articles spilled for a page: 0, or -1 when they cannot be read
   back (the caller reads the page again). */
static int
S_unspill(const struct job *j, const struct page *p, struct seg_page *sp)
{
	memset(sp, 0, sizeof *sp);
	if (!p->spill_len)
		return -1;
	char *data = xmalloc(p->spill_len);
	int rc = util_pread_all(j->spill, data, p->spill_len, p->spill_off);
	const char *at = data, *end = data + p->spill_len;
	while (rc == 0 && at < end)
		rc = seg_article_unpack(&at, end, sp);
	free(data);
	if (rc < 0)
		seg_page_free(sp);
	return rc;
}

/* Writes page p's record into the new cache (when the workers write it):
   its documents' tokens then stay there, and its packed dump is not kept.
   A page that failed, or a record that cannot be written, has its
   documents' tokens spilled to the scratch file instead. */
static void
S_cache_put(struct job *j, struct page *p)
{
	size_t n = json_array_size(p->records);
	size_t *at = xcalloc(n ? n : 1, sizeof *at);
	struct buf rec = BUF_INIT;
	int put = 0;
	if (p->entry && S_cache_record(p, &rec, at) == 0) {
		size_t off = atomic_fetch_add(&j->cache_end, rec.len);
		put = util_pwrite_all(j->cache_fd, rec.data, rec.len, off) == 0;
		if (!put)
			atomic_store(&j->cache_failed, 1);
		for (size_t k = 0; put && k < n; k++)
			search_doc_put_aside(&p->docs[k], j->cache_fd, off + at[k]);
	} else if (p->entry) {
		atomic_store(&j->cache_failed, 1);
	}
	for (size_t k = 0; !put && k < n; k++)
		search_doc_spill(&p->docs[k], j->spill, &j->spill_end);
	buf_release(&p->dump);
	buf_release(&rec);
	free(at);
}

/* Reads one page, cuts it into articles, renders its page view, writes it
   and records its index entry: 0, or -1 after reporting (the page then has
   no entry, unless only its kept view failed). */
static int
S_build_page(struct job *j, struct worker *w, struct page *p)
{
	struct buf rel = BUF_INIT;
	int rc = -1;
	p->slug = view_slug(p->rel);
	buf_printf(&rel, "pages/%s.html", p->slug);
	if (p->cached && S_from_cache(j, p) == 0) {
		/* unchanged, and its view made with the same templates: done */
		int kept = out_reuse(j->out, rel.data, p->stamp);
		if (kept != 0) {
			rc = kept < 0 ? -1 : 0;
			goto out;
		}
	}
	if (p->cached)
		S_uncache(p);
	struct reader_page rp;
	if (reader_read(p->path, p->rel, p->folder, &j->enc, j->gz, &rp) < 0)
		goto out;
	struct page_text pt = rp.text;
	struct seg_page sp = rp.seg;
	struct dist_place *places = rp.places;
	p->encoding = pt.encoding;
	json_t *shared = view_record_shared(p->rel, &pt.meta);
	struct model mm = MODEL_INIT;
	struct model_list *articles = model_list(&mm, sp.n);
	json_t *briefs = json_array();
	p->records = json_array();
	p->docs = xcalloc(sp.n ? sp.n : 1, sizeof *p->docs);
	struct buf packed = BUF_INIT;
	for (size_t i = 0; i < sp.n; i++) {
		json_t *district = S_district(j, &places[i]);
		model_push(
		    &mm, articles,
		    model_map_val(view_article(&mm, &sp.v[i], model_hold(&mm, district), 0, NULL)));
		json_t *r = NULL;
		if (sp.v[i].kind != SEG_NOTICE) {
			struct search_doc *d = &p->docs[json_array_size(p->records)];
			search_doc_make(j->gz, &sp.v[i], &w->set, d);
			if (j->cache_fd < 0)
				search_doc_spill(d, j->spill, &j->spill_end);
			r = view_record(&sp.v[i], district, shared);
			json_array_append_new(p->records, r);
			seg_article_pack(&sp.v[i], &packed);
		}
		json_array_append_new(briefs, view_brief(&sp.v[i], r));
	}
	S_spill(j, p, &packed);
	buf_release(&packed);
	json_t *title = view_page_title(&rp, p->rel);
	mval model = view_page(&mm, j->site, rel.data, p->rel, &pt, title, articles, sp.n);
	if (tpl_emit(j->out, j->env, j->page_t, &model_data, model, rel.data, p->stamp) == 0) {
		p->entry =
		    json_pack("{s:O,s:s,s:s,s:O,s:I}", "title", title, "source", p->rel, "href",
		              rel.data, "articles", briefs, "count", (json_int_t)sp.n);
		S_cache_pack(p, &p->dump);
		rc = 0;
	}
	if (j->cache_fd >= 0)
		S_cache_put(j, p);
	model_free(&mm);
	json_decref(briefs);
	json_decref(shared);
	reader_free(&rp);
out:
	buf_release(&rel);
	return rc;
}

/* Writes the article pages of a page, reading it again: the archive's
   records keep no text, so that memory does not grow with the archive's
   words. 0, or -1 after reporting. */
static int
S_article_pages(struct job *j, struct worker *w, struct page *p)
{
	(void)w;
	size_t n = json_array_size(p->records);
	if (!p->entry || n == 0)
		return 0;
	/* the pages the last build made from the same page and neighbours */
	uint64_t *keys = xcalloc(n, sizeof *keys);
	size_t todo = 0;
	for (size_t k = 0; k < n; k++) {
		json_t *r = json_array_get(p->records, k);
		keys[k] = out_key(archive_article_key(j->arc, r), &p->stamp, sizeof p->stamp);
		if (out_reuse(j->out, json_string_value(json_object_get(r, "href")), keys[k]) == 1)
			keys[k] = 0;
		else
			todo++;
	}
	if (!todo) {
		free(keys);
		return 0;
	}
	struct reader_page rp = {0};
	struct seg_page sp;
	if (S_unspill(j, p, &sp) < 0) {
		struct enc_options eo = j->enc;
		if (!strcmp(p->encoding, "GB18030") || !strcmp(p->encoding, "BIG5-HKSCS"))
			eo.force = p->encoding; /* as detected the first time */
		if (reader_read(p->path, p->rel, p->folder, &eo, NULL, &rp) < 0) {
			free(keys);
			return -1;
		}
		sp = rp.seg;
		memset(&rp.seg, 0, sizeof rp.seg);
	}
	size_t k = 0;
	int rc = 0;
	for (size_t i = 0; i < sp.n; i++) {
		const struct seg_article *a = &sp.v[i];
		if (a->kind == SEG_NOTICE)
			continue;
		json_t *r = json_array_get(p->records, k);
		if (!r || strcmp(a->id, json_string_value(json_object_get(r, "id")))) {
			diag_error(p->path, 0, 0,
			           "the page changed while it was being built; build again");
			rc = -1;
			break;
		}
		if (keys[k]) {
			struct model mm = MODEL_INIT;
			struct buf anchor = BUF_INIT;
			buf_printf(&anchor, "pages/%s.html#a-%s", p->slug, a->id);
			struct model_map *v = view_article(&mm, a, model_null(), 1, r);
			model_set(&mm, v, "page_href", model_strn(&mm, anchor.data, anchor.len));
			if (archive_article(j->arc, r, &mm, model_map_val(v), keys[k]) < 0)
				rc = -1;
			model_free(&mm);
			buf_release(&anchor);
		}
		k++;
	}
	seg_page_free(&sp);
	reader_free(&rp);
	free(keys);
	return rc;
}

/* The pool's task of reading the pages: item i is page i. */
static int
S_read_one(void *ctx, void *state, size_t i)
{
	struct job *j = ctx;
	return S_build_page(j, state, &j->pl->v[i]);
}

/* The pool's task of writing the article pages, page by page. */
static int
S_articles_one(void *ctx, void *state, size_t i)
{
	struct job *j = ctx;
	return S_article_pages(j, state, &j->pl->v[i]);
}

/* Draws the progress line of reading the pages. */
static void
S_progress(void *ctx, size_t done, size_t n)
{
	const struct job *j = ctx;
	if (j->progress && (done % 64 == 0 || done == n))
		fprintf(stderr, "\rbaoku: %zu/%zu pages", done, n);
}

/* Starts the article pages beside the rest of the archive (the
   archive's ready call). */
struct side_articles {
	struct pool_task task;
	struct pool_side side;
	int jobs;
};

static void
S_start_articles(void *arg)
{
	struct side_articles *sa = arg;
	pool_start(&sa->side, &sa->task, sa->jobs);
}

/* What a build holds until it ends: the pages and what was read of
   them, the folders, the archive's records and index entries. */
struct leftover {
	struct pagelist pl;
	struct scan sc;
	json_t *site, *index_pages, *records;
	struct leftover *next; /* see S_leave */
};

static void
S_teardown(struct leftover *l)
{
	for (size_t i = 0; i < l->pl.n; i++) {
		struct page *p = &l->pl.v[i];
		S_uncache(p);
		free(p->slug);
		buf_release(&p->dump);
	}
	free(l->pl.v);
	for (size_t i = 0; i < 2; i++)
		if (l->pl.cache[i])
			fclose(l->pl.cache[i]);
	scan_free(&l->sc);
	json_decref(l->site);
	json_decref(l->index_pages);
	json_decref(l->records);
}

/* Builds whose caller exits next (site_options.exiting), whose memory is
   left to the system: freeing a large archive's records one by one takes
   longer than the rest of the ending. Held here, it stays reachable, so a
   leak checker does not count it as lost; the release and the sanitizer
   builds take this same path, and the teardown is tested on its own
   (tests/unit/test_site.c builds without exiting). */
static struct leftover *volatile S_left; /* volatile: its stores must stay */

static void
S_leave(const struct leftover *l)
{
	struct leftover *keep = xmalloc(sizeof *keep);
	*keep = *l;
	keep->next = S_left;
	S_left = keep;
}

/* What the build reported, counted for its closing lines: never to decide
   whether it failed, which return values say. Installed over diag's sink,
   it passes every line on. */
struct tally {
	size_t errors, warnings;
	diag_sink_fn next;
	void *next_ctx;
};

static void
S_tally(void *ctx, enum diag_level level, const char *line)
{
	struct tally *t = ctx;
	t->errors += level == DIAG_ERROR;
	t->warnings += level == DIAG_WARNING;
	if (t->next)
		t->next(t->next_ctx, level, line);
	else
		diag_print(level, line);
}

int
site_build(const struct site_options *o)
{
	double t0 = util_now();
	struct tally tally = {0};
	diag_get_sink(&tally.next, &tally.next_ctx);
	diag_set_sink(S_tally, &tally);
	struct project pj;
	project_open(o->project, &pj);
	struct config cfg;
	int cfg_ok = config_load(pj.config, &cfg) == 0;
	project_set_output(&pj, o->output, cfg.output);

	struct pagelist pl = {0};
	struct scan sc = {0};
	struct buf fp = BUF_INIT;
	struct templates tpl;
	tpl_open(&tpl, &pj);
	struct mu_env *env = tpl.env;
	struct output *out = NULL;
	json_t *site = json_pack("{s:s,s:s,s:s}", "title", cfg.title, "lang", cfg.language, "index",
	                         cfg.pretty_urls ? "" : "index.html");
	json_t *index_pages = json_array(), *records = json_array();
	size_t read_ok = 0;
	int rc = -1, failed = 0; /* failed: an error was reported, the build goes on */

	struct stat st;
	if (stat(pj.content, &st) < 0 || !S_ISDIR(st.st_mode)) {
		diag_error(pj.content, 0, 0,
		           "no content directory; put the archive's .txt "
		           "pages there, or point -C at the project");
		goto out;
	}
	if (!cfg_ok)
		goto out;
	struct mu_template *page_t = mu_env_load(env, "page");
	if (!page_t)
		goto out;
	fp_begin(&fp, o->lenient, o->max_size);
	if (scan_content(pj.content, o->verbosity > 1, &fp, &sc) < 0)
		failed = 1;
	pl.n = pl.cap = sc.n;
	pl.v = xcalloc(sc.n ? sc.n : 1, sizeof *pl.v);
	for (size_t i = 0; i < sc.n; i++) {
		pl.v[i].rel = sc.v[i].rel;
		pl.v[i].path = sc.v[i].path;
		pl.v[i].folder = sc.v[i].folder;
		pl.v[i].stamp = sc.v[i].stamp;
	}
	if (fp_end(&fp, &pj) < 0)
		failed = 1;
	int current = !o->force && !failed ? out_is_current(pj.output, fp.data, fp.len) : 0;
	if (current < 0)
		failed = 1;
	if (current > 0) {
		if (o->verbosity > 1 || (o->verbosity > 0 && isatty(STDERR_FILENO)))
			fprintf(stderr,
			        "baoku: %s is up to date: no input changed since it was built "
			        "(%zu pages); nothing written; %.2f s\n",
			        pj.output, pl.n, util_now() - t0);
		rc = 0;
		goto out;
	}

	out = out_open(pj.output);
	if (!out)
		goto out;
	uint64_t records_salt, render_salt;
	fp_salts(&fp, &records_salt, &render_salt);
	if (out_set_salt(out, render_salt) < 0)
		failed = 1;
	int verbose = o->verbosity > 1;
	struct util_clock t = util_clock();
	util_step(verbose, "scan", &t);
	size_t from_cache = o->force ? 0 : S_cache_read(out, &pl, records_salt);
	util_step(verbose, "cache read", &t);

	struct job job = {.pl = &pl, .out = out, .env = env, .page_t = page_t, .site = site};
	struct gazetteer *gz = gz_load(pj.data);
	if (!gz)
		goto out;
	job.gz = gz;
	job.districts = json_object();
	pthread_mutex_init(&job.dlock, NULL);
	job.progress = o->verbosity > 0 && isatty(STDERR_FILENO);
	job.spill = out_scratch(out);
	atomic_init(&job.spill_end, 0);
	/* nothing from the cache: the workers write the new one */
	FILE *direct = from_cache == 0 ? out_cache_create(out, "pages") : NULL;
	job.cache_fd = -1;
	atomic_init(&job.cache_end, 0);
	atomic_init(&job.cache_failed, 0);
	if (direct) {
		S_cache_header(direct, records_salt);
		long header = ftell(direct);
		if (fflush(direct) == 0 && header > 0 && (job.cache_fd = dup(fileno(direct))) >= 0)
			atomic_store(&job.cache_end, (size_t)header);
	}
	util_step(verbose, "gazetteer", &t);
	struct pool_task reading = {.n = pl.n,
	                            .run = S_read_one,
	                            .ctx = &job,
	                            .state_size = sizeof(struct worker),
	                            .state_free = S_worker_free,
	                            .done = S_progress};
	if (pool_run(&reading, o->jobs) < 0)
		failed = 1;
	if (job.progress && pl.n)
		fputc('\n', stderr);
	util_step(verbose, "pages", &t);
	S_cache_write(out, &pl, records_salt, direct,
	              job.cache_fd >= 0 && !atomic_load(&job.cache_failed));
	util_step(verbose, "cache written", &t);
	struct search_doc **docs = NULL;
	size_t ndocs = 0, capdocs = 0, docbytes = 0;
	for (size_t i = 0; i < pl.n; i++) {
		struct page *p = &pl.v[i];
		if (p->entry) {
			read_ok++;
			json_array_append(index_pages, p->entry);
		}
		p->first = json_array_size(records);
		size_t k;
		json_t *r;
		json_array_foreach (p->records, k, r) {
			json_object_set_new(r, "serial", json_integer((json_int_t)(p->first + k)));
			json_array_append(records, r);
			docs = xgrow(docs, &capdocs, ndocs, sizeof *docs, 1024);
			docs[ndocs++] = &p->docs[k];
			docbytes += p->docs[k].len + strlen(p->docs[k].snippet) + 1;
		}
	}
	if (verbose)
		fprintf(stderr,
		        "baoku: %zu articles, their tokens %zu MiB; %zu of %zu pages from the "
		        "cache\n",
		        ndocs, docbytes >> 20, from_cache, pl.n);
	json_t *urls = json_array();
	for (size_t i = 0; i < json_array_size(index_pages); i++)
		json_array_append(urls, json_object_get(json_array_get(index_pages, i), "href"));
	if (*cfg.base_url) {
		json_object_set_new(site, "feed", json_string("feed.xml"));
		json_object_set_new(site, "base_url", json_string(cfg.base_url));
	}
	struct archive arc = {.out = out,
	                      .env = env,
	                      .cfg = &cfg,
	                      .chars = gz_chars(gz),
	                      .site = site,
	                      .urls = urls,
	                      .verbose = verbose,
	                      .threads = pool_threads(o->jobs, 2),
	                      .docs = docs};
	struct side_articles articles = {.task = {.n = pl.n, .run = S_articles_one, .ctx = &job},
	                                 .jobs = o->jobs};
	if (!failed && mu_env_load(env, "article_page")) {
		job.arc = &arc;
		arc.ready = S_start_articles;
		arc.ready_arg = &articles;
	} else {
		failed = 1; /* a page, or the template, reported why */
	}
	if (archive_build(&arc, records, index_pages) < 0)
		failed = 1;
	util_step(verbose, "archive", &t);
	if (pool_wait(&articles.side) < 0)
		failed = 1;
	if (job.spill >= 0)
		close(job.spill);
	if (job.cache_fd >= 0)
		close(job.cache_fd);
	util_step(verbose, "article pages (the rest)", &t);
	archive_free(&arc);
	free(docs);
	json_decref(job.districts);
	pthread_mutex_destroy(&job.dlock);
	json_decref(urls);
	gz_free(gz);
	if (out_copy_dir(out, pj.statics, "static") < 0)
		failed = 1;
	if (out_write(out, OUT_INPUTS, fp.data, fp.len) < 0)
		failed = 1;

	if (failed) {
		diag_error(pj.output, 0, 0,
		           "build failed with %zu error(s); the previous build "
		           "is left as it was",
		           tally.errors);
		out_abort(out);
		out = NULL;
		goto out;
	}
	size_t files = out_files(out), bytes = out_bytes(out), same = out_unchanged(out);
	size_t narticles = json_array_size(records);
	util_step(verbose, "static", &t);
	if (out_commit(out) < 0) {
		out = NULL;
		goto out;
	}
	out = NULL;
	if (o->verbosity > 1 || (o->verbosity > 0 && isatty(STDERR_FILENO)))
		fprintf(stderr,
		        "baoku: %zu of %zu pages read, %zu articles; search index %zu bytes in %zu "
		        "shards (%zu tokens); %zu files written (%zu bytes), %zu unchanged; %zu "
		        "warnings; %.2f s\n",
		        read_ok, pl.n, narticles, arc.search.bytes, arc.search.shards,
		        arc.search.tokens, files, bytes, same, tally.warnings, util_now() - t0);
	rc = 0;
out:
	if (out)
		out_abort(out);
	struct leftover left = {pl, sc, site, index_pages, records, NULL};
	if (o->exiting)
		S_leave(&left);
	else
		S_teardown(&left);
	config_free(&cfg);
	tpl_close(&tpl);
	project_free(&pj);
	buf_release(&fp);
	diag_set_sink(tally.next, tally.next_ctx);
	return rc;
}
