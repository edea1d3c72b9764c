#include "pages.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "diag.h"
#include "district.h"
#include "gazetteer.h"
#include "markdown.h"
#include "model.h"
#include "mujson.h"
#include "output.h"
#include "pagecache.h"
#include "pool.h"
#include "reader.h"
#include "scan.h"
#include "scans.h"
#include "search.h"
#include "segment.h"
#include "spill.h"
#include "templates.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * A page read, or taken from the cache, and its view
 * ------------------------------------------------------------------- */

_Static_assert(sizeof(struct page) <= 96, "a page is 96 bytes: a build holds one a page file");

/* Lets page p's own list of records go (its count kept): the list's
   memory is the arena's. */
static void
S_drop_records(struct page *p)
{
	for (size_t k = 0; p->records && k < p->nrecords; k++)
		json_decref(p->records[k]);
	p->records = NULL;
}

/* size bytes from the arena a of pl (its lists or its docs), under the
   list's lock: safe from several threads. */
static void *
S_take(struct pagelist *pl, struct arena *a, size_t size)
{
	pthread_mutex_lock(pl->lists_lock);
	void *p = arena_alloc(a, size);
	pthread_mutex_unlock(pl->lists_lock);
	return p;
}

/* Room in pl's lists for page p's records, at most n of them, added by
   S_add_record. Safe from several threads. */
static void
S_records_room(struct pagelist *pl, struct page *p, size_t n)
{
	S_drop_records(p);
	p->nrecords = 0;
	p->records = S_take(pl, &pl->lists, (n ? n : 1) * sizeof *p->records);
}

/* Adds record r to page p's list (S_records_room's), taking its reference. */
static void
S_add_record(struct page *p, json_t *r)
{
	p->records[p->nrecords++] = r;
}

/* Frees what a page's search documents hold (their table is the
   list's: pages_docs_room). */
static void
S_drop_docs(struct page *p)
{
	size_t n = p->cached ? p->cache_docs : p->nrecords;
	for (size_t k = 0; p->docs && k < n; k++)
		search_doc_free(&p->docs[k]);
	p->docs = NULL;
}

struct search_doc *
pages_docs_room(struct pagelist *pl, size_t n)
{
	size_t size = (n ? n : 1) * sizeof(struct search_doc);
	return memset(S_take(pl, &pl->docs, size), 0, size);
}

void
pages_gathered(struct page *p, size_t first)
{
	p->first = (uint32_t)first; /* the archive's records: far fewer than 2^32 */
	S_drop_records(p);
}

void
pages_lists_free(struct pagelist *pl)
{
	arena_free(&pl->lists);
}

void
pages_docs_free(struct pagelist *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		S_drop_docs(&pl->v[i]);
	arena_free(&pl->docs);
}

/* Forgets what the cache (or reading) gave for a page. */
static void
S_forget(struct page *p)
{
	S_drop_docs(p);
	json_decref(p->entry);
	S_drop_records(p);
	p->entry = NULL;
	p->nrecords = 0;
	p->cached = 0;
	p->from_base = 0;
}

/* What one thread keeps from page to page, made when it reads its
   first (S_worker_start). */
struct worker {
	struct pages_jobs *j;
	struct search_set *set;
	struct spill scratch;        /* its writer of the scratch file */
	struct spill tokens;         /* ... and of the new cache's tokens file */
	struct pcache_window cached; /* what it read of the page cache */
};

/* What the page jobs share. */
struct pages_jobs {
	struct pages_setup s;
	struct pagelist *pl;
	json_t *districts;           /* each place's district object, by code, shared */
	json_t *bylines;             /* each list of names a record has, by its names */
	json_t *values;              /* the entries' common strings (S_share_entry) */
	pthread_mutex_t dlock;       /* guards districts, bylines and values */
	const struct archive *arc;   /* for the article pages */
	const json_t *records;       /* ... and its records, each page's among them */
	int spill;                   /* the scratch file, or -1 */
	atomic_size_t spill_end;     /* the bytes in it */
	atomic_int spill_errno;      /* a worker's writes to it or the tokens failed */
	struct pcache_direct direct; /* the new cache, when the workers write it */
	struct pcache_dumps dumps;   /* ... else the pages read afresh, packed */
	unsigned char *ahead;        /* while the pages are read: whether page i's file is
	                                asked for ahead (S_read_ahead), fixed before
	                                the workers start, who change the pages */
	struct pool_task articles;   /* the article pages' task */
	struct pool_side side;       /* its run beside the archive */
};

static void
S_worker_start(struct pages_jobs *j, struct worker *w)
{
	if (w->j)
		return;
	w->j = j;
	w->set = search_set_new();
	spill_init(&w->scratch, j->spill, &j->spill_end);
	spill_init(&w->tokens, j->direct.tfd, &j->direct.tend);
	w->cached = (struct pcache_window)PCACHE_WINDOW_INIT;
}

/* Writes what the worker put aside: what it put can be read back once
   every worker has ended. */
static void
S_worker_free(void *state)
{
	struct worker *w = state;
	if (!w->j)
		return;
	if (spill_end(&w->scratch) < 0)
		atomic_store(&w->j->spill_errno, w->scratch.err);
	if (spill_end(&w->tokens) < 0)
		atomic_store(&w->j->spill_errno, w->tokens.err);
	search_set_free(w->set);
	pcache_window_free(&w->cached);
}

/* The district object of the unit of the gazetteer whose code is code
   (as dist_json gives it; "" for no place, unit -1), one for all the
   articles there, made the first time (what makes one place's score and
   evidence left out). Under dlock. */
static json_t *
S_district_locked(struct pages_jobs *j, const char *code, int32_t unit)
{
	json_t *d = json_object_get(j->districts, code);
	if (!d) {
		struct dist_place pl = {.unit = unit};
		d = dist_json(j->s.gz, &pl);
		json_object_del(d, "evidence");
		json_object_del(d, "score");
		json_object_set_new(j->districts, code, d);
	}
	return d;
}

/* The district objects of cached records, which the cache keeps as their
   codes (pcache_pack), the same as the others of the same place
   (S_district): 0, or -1 when a code is no unit's (the page is read). */
static int
S_share_districts(struct pages_jobs *j, json_t *const *records, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_t *r = records[i];
		const char *code = json_string_value(view_record_get(r, "district"));
		json_t *d = code ? json_object_get(j->districts, code) : NULL;
		if (code && !d) {
			char *end;
			uint64_t c = strtoull(code, &end, 10);
			int32_t unit = *code ? *end ? -1 : gz_unit_of_code(j->s.gz, c) : -1;
			if (*code && unit < 0)
				return -1;
			d = S_district_locked(j, code, unit);
		}
		if (!d)
			return -1;
		view_record_set(r, "district", json_incref(d));
	}
	return 0;
}

/* The lists of names of records (reporters, photographers), one for all
   the records with the same names: a paper's few hundred reporters sign
   its million articles. by_names is keyed by the names, one a line. */
static void
S_share_bylines(json_t *const *records, size_t n, json_t *by_names)
{
	static const char *const fields[] = {"reporters", "photographers"};
	struct buf key = BUF_INIT;
	size_t k;
	json_t *name;
	for (size_t i = 0; i < n; i++) {
		json_t *r = records[i];
		for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
			const json_t *list = view_record_get(r, fields[f]);
			if (!json_array_size(list))
				continue;
			buf_reset(&key); /* under the lock: no printf */
			json_array_foreach ((json_t *)list, k, name) {
				const char *s = json_string_value(name);
				buf_adds(&key, s ? s : "");
				buf_addc(&key, '\n');
			}
			json_t *have = json_object_getn(by_names, key.data, key.len);
			if (!have)
				json_object_setn(by_names, key.data, key.len, (json_t *)list);
			else if (have != list)
				view_record_set(r, fields[f], json_incref(have));
		}
	}
	buf_release(&key);
}

/* The fields of a page's entry that many pages have the same value of
   (a paper's name on all its pages, a date on an issue's). */
static const char *const S_common[] = {"paper", "date", "section", "page_no", "page_label"};

/* Shares the strings of entry e that other entries have too (by_value
   keyed by them). */
static void
S_share_entry(json_t *e, json_t *by_value)
{
	for (size_t i = 0; i < sizeof S_common / sizeof *S_common; i++) {
		const json_t *v = view_entry_get(e, S_common[i]);
		const char *s = json_string_value(v);
		if (!s)
			continue;
		json_t *have = json_object_getn(by_value, s, json_string_length(v));
		if (!have)
			json_object_setn(by_value, s, json_string_length(v), (json_t *)v);
		else if (have != v && json_is_string(have))
			view_entry_set(e, S_common[i], json_incref(have));
	}
}

/* Shares what page p holds in common with the other pages: its records'
   districts (unless they are already, districts 0: S_share_districts)
   and lists of names, and its entry's common strings. 0, or -1 when a
   district is no unit's. */
static int
S_share(struct pages_jobs *j, struct page *p, int districts)
{
	pthread_mutex_lock(&j->dlock);
	int rc = districts ? S_share_districts(j, p->records, p->nrecords) : 0;
	S_share_bylines(p->records, p->nrecords, j->bylines);
	if (p->entry)
		S_share_entry(p->entry, j->values);
	pthread_mutex_unlock(&j->dlock);
	return rc;
}

/* Takes what the cache holds of page p, what its records have in common
   with the others' shared (S_share): 0, or -1 when it does not fit. */
static int
S_from_cache(struct pages_jobs *j, struct worker *w, struct page *p)
{
	json_t *records = NULL, *r;
	size_t k;
	if (pcache_unpack(j->pl, p, &w->cached, &records) < 0)
		return -1;
	S_records_room(j->pl, p, json_array_size(records));
	json_array_foreach (records, k, r)
		S_add_record(p, json_incref(r));
	json_decref(records);
	if (S_share(j, p, 1) < 0)
		return -1;
	view_record_link(p->records, p->nrecords, p->entry);
	view_records_spool(p->records, p->nrecords, &w->scratch);
	return 0;
}

/* The district object of a place, one for all the articles in the same
   unit (what makes one place's score and evidence is left out). */
static json_t *
S_district(struct pages_jobs *j, const struct dist_place *pl)
{
	/* keyed as dist_json gives the code; "" for no place */
	char code[24] = "";
	if (pl->unit >= 0)
		snprintf(code, sizeof code, "%llu",
		         (unsigned long long)gz_units(j->s.gz)[pl->unit].code);
	pthread_mutex_lock(&j->dlock);
	json_t *d = json_incref(S_district_locked(j, code, pl->unit));
	pthread_mutex_unlock(&j->dlock);
	return d;
}

/* Keeps a page's packed articles (notices too) in the scratch file for
   its view and article pages, which then need not read and cut the page
   again. */
static void
S_spill(struct worker *w, struct page *p, const struct buf *packed)
{
	size_t off;
	p->spill_len = 0;
	if (packed->len && packed->len <= PAGE_LEN_MAX &&
	    spill_put(&w->scratch, packed->data, packed->len, &off) == 0) {
		p->spill_off = off; /* else read again */
		p->spill_len = (uint32_t)packed->len;
	}
}

/* The articles spilled for a page: 0, or -1 when they cannot be read back
   (the caller reads the page again). */
static int
S_unspill(const struct pages_jobs *j, const struct page *p, struct seg_page *sp)
{
	memset(sp, 0, sizeof *sp);
	if (!p->spill_len)
		return -1;
	char *data = xmalloc(p->spill_len);
	int rc = util_pread_all(j->spill, data, p->spill_len, p->spill_off);
	const char *at = data, *end = data + p->spill_len;
	while (rc == 0 && at < end)
		rc = seg_article_unpack(&at, end, sp);
	if (rc < 0)
		seg_page_free(sp);
	free(data);
	return rc;
}

/* Gives the cache page p, read afresh, packed (dump: empty when it
   cannot be packed, and the cache then packs it when written): written
   at once when the jobs write the cache as they go, else kept until the
   cache is written. */
static void
S_to_cache(struct pages_jobs *j, struct worker *w, struct page *p, struct buf *dump)
{
	if (j->direct.fd >= 0) {
		if (pcache_put(&j->direct, &w->tokens, p, dump) < 0)
			for (size_t k = 0; k < p->nrecords; k++)
				search_doc_spill(&p->docs[k], &w->scratch);
	} else if (dump->len) {
		pcache_keep(&j->dumps, (size_t)(p - j->pl->v), dump);
	}
}

/* Reads one page, cuts it into articles and records its index entry, its
   articles' records and their search documents: 0, or -1 after
   reporting (the page then has no entry). Its view waits for the
   archive, which knows its place among the other pages (S_outputs). */
static int
S_build_page(struct pages_jobs *j, struct worker *w, struct page *p)
{
	struct buf rel = BUF_INIT;
	int rc = -1;
	int markdown = md_is_markdown(p->src->rel);
	S_worker_start(j, w);
	if (p->cached && S_from_cache(j, w, p) == 0) {
		rc = 0; /* unchanged: what the cache holds is what reading gives */
		goto out;
	}
	if (p->cached)
		S_forget(p);
	struct reader_page rp;
	if (reader_read(p->src->path, p->src->rel, scan_folder(j->pl->sc, p->src), &j->s.enc,
	                j->s.gz, &rp) < 0)
		goto out;
	struct page_text pt = rp.text;
	struct seg_page sp = rp.seg;
	struct dist_place *places = rp.places;
	p->encoding = enc_number(pt.encoding);
	json_t *shared = view_record_shared(p->src->rel, &pt.meta);
	if (!markdown) /* its view's path, from the page's place (ids.h) */
		buf_adds(&rel, json_string_value(json_object_get(shared, "page_href")));
	json_t *briefs = json_array();
	S_records_room(j->pl, p, sp.n);
	p->docs = pages_docs_room(j->pl, sp.n);
	struct buf packed = BUF_INIT;
	for (size_t i = 0; i < sp.n; i++) {
		json_t *r = NULL;
		if (sp.v[i].kind != SEG_NOTICE) {
			json_t *district = S_district(j, &places[i]);
			struct search_doc *d = &p->docs[p->nrecords];
			const char *fields[SEARCH_FIELDS];
			search_fields_of(district, pt.meta.paper, pt.meta.section, fields);
			search_doc_make(gz_chars(j->s.gz), &sp.v[i], fields, w->set, d);
			if (j->direct.fd < 0)
				search_doc_spill(d, &w->scratch);
			r = view_record(&sp.v[i], district);
			S_add_record(p, r);
			json_decref(district);
		}
		seg_article_pack(&sp.v[i], &packed);
		json_array_append_new(briefs, view_brief(&sp.v[i], r != NULL));
	}
	S_spill(w, p, &packed);
	buf_release(&packed);
	json_t *title = view_page_title(&rp, p->src->rel);
	/* a Markdown article's page is itself: its article's page */
	struct view_href h;
	const char *view =
	    markdown ? view_record_href(p->nrecords ? p->records[0] : NULL, &h) : rel.data;
	struct buf dump = BUF_INIT;
	if (view) {
		p->entry = view_entry(title, p->src->rel, view, briefs, sp.n, shared);
		view_record_link(p->records, p->nrecords, p->entry);
		if (pcache_pack(p, &dump) < 0) /* its records as read: nothing to read back */
			buf_reset(&dump);
		S_share(j, p, 0); /* the districts are already (S_district) */
		rc = 0;
	} else {
		json_decref(title);
	}
	S_to_cache(j, w, p, &dump);
	buf_release(&dump);
	view_records_spool(p->records, p->nrecords, &w->scratch); /* cached as they were */
	json_decref(briefs);
	json_decref(shared);
	reader_free(&rp);
out:
	buf_release(&rel);
	return rc;
}

/* ---------------------------------------------------------------------
 * Its view and its article pages
 * ------------------------------------------------------------------- */

/* Record k of page p's, once they are the archive's (NULL past them). */
static json_t *
S_record(const struct pages_jobs *j, const struct page *p, size_t k)
{
	return k < p->nrecords ? json_array_get(j->records, p->first + k) : NULL;
}

/* The key of a page's view: its file, its articles' records as the
   archive made them final (their links to people and to the other half
   of a continued article), and its place among the other pages. */
static uint64_t
S_view_key(const struct pages_jobs *j, const struct page *p, const char *rel)
{
	uint64_t key = out_key(0, &p->src->stamp, sizeof p->src->stamp);
	uint64_t nav = archive_page_nav_key(j->arc, rel);
	key = out_key(key, &nav, sizeof nav);
	size_t len;
	const char *title = view_entry_str(p->entry, "title", &len);
	key = out_key(key, title, title ? len + 1 : 0);
	key = mujson_hash(view_entry_get(p->entry, "scan"), key);
	for (size_t k = 0; k < p->nrecords; k++) {
		uint64_t h = archive_serial_hash(j->arc, S_record(j, p, k));
		key = out_key(key, &h, sizeof h);
	}
	return key ? key : 1;
}

/* The keys of a page's article pages (0 for one the last build made from
   the same), and how many are to be made. */
static size_t
S_article_keys(const struct pages_jobs *j, const struct page *p, uint64_t *keys)
{
	size_t todo = 0;
	for (size_t k = 0; k < p->nrecords; k++) {
		json_t *r = S_record(j, p, k);
		keys[k] =
		    out_key(archive_article_key(j->arc, r), &p->src->stamp, sizeof p->src->stamp);
		struct view_href h;
		if (out_reuse(j->s.out, view_record_href(r, &h), keys[k]) == 1)
			keys[k] = 0;
		else
			todo++;
	}
	return todo;
}

/* A page's articles again: from the scratch file, else read from its
   file (as it was decoded the first time). 0, or -1 after reporting. */
static int
S_read_again(const struct pages_jobs *j, const struct page *p, struct reader_page *rp,
             struct seg_page *sp)
{
	memset(rp, 0, sizeof *rp);
	if (S_unspill(j, p, sp) == 0)
		return 0;
	struct enc_options eo = j->s.enc;
	const char *enc = enc_name(p->encoding);
	if (enc && (!strcmp(enc, "GB18030") || !strcmp(enc, "BIG5-HKSCS")))
		eo.force = enc; /* as detected the first time */
	if (reader_read(p->src->path, p->src->rel, scan_folder(j->pl->sc, p->src), &eo, NULL, rp) <
	    0)
		return -1;
	*sp = rp->seg;
	memset(&rp->seg, 0, sizeof rp->seg);
	return 0;
}

/* The page view of p (pages/SLUG.html) from its articles sp, with its
   records' links and its place among the pages (nav): each article's
   heading, byline and lead, linked to its article page (a notice, which
   has none, in full). */
static int
S_page_view(struct pages_jobs *j, const struct page *p, const struct seg_page *sp,
            const json_t *nav, uint64_t key)
{
	struct model mm = MODEL_INIT;
	struct model_list *articles = model_list(&mm, sp->n);
	size_t k = 0;
	for (size_t i = 0; i < sp->n; i++) {
		json_t *r = sp->v[i].kind == SEG_NOTICE ? NULL : S_record(j, p, k++);
		struct model_map *v = view_article(&mm, &sp->v[i], model_null(), 0,
		                                   archive_record_model(j->arc, &mm, r));
		model_set(&mm, v, "lead", view_lead(&mm, &sp->v[i]));
		model_push(&mm, articles, model_map_val(v));
	}
	const json_t *entry = p->entry;
	struct view_href h;
	const char *rel = view_record_href(entry, &h);
	struct page_view pv = {.source = p->src->rel,
	                       .encoding = enc_name(p->encoding),
	                       .title = view_entry_str(entry, "title", NULL),
	                       .nav = nav,
	                       .scan = view_entry_get(entry, "scan"),
	                       .articles = articles,
	                       .count = sp->n};
	mval model = view_page(&mm, j->s.site, rel, &pv);
	int rc = tpl_emit(j->s.out, j->s.env, j->s.page_t, &model_data, model, rel, key);
	model_free(&mm);
	return rc;
}

/* Writes the article pages of a page whose key is not 0 in keys. */
static int
S_article_pages(struct pages_jobs *j, const struct page *p, const struct seg_page *sp,
                const uint64_t *keys)
{
	size_t k = 0;
	int rc = 0;
	for (size_t i = 0; i < sp->n; i++) {
		const struct seg_article *a = &sp->v[i];
		if (a->kind == SEG_NOTICE)
			continue;
		json_t *r = S_record(j, p, k);
		if (!r || strcmp(a->id, view_record_str(r, "id", NULL))) {
			diag_error(p->src->path, 0, 0,
			           "the page changed while it was being built; build again");
			return -1;
		}
		if (keys[k]) {
			/* the record's page_href leads to its page view */
			struct model mm = MODEL_INIT;
			struct model_map *v = view_article(&mm, a, model_null(), 1,
			                                   archive_record_model(j->arc, &mm, r));
			if (archive_article(j->arc, r, &mm, model_map_val(v), keys[k]) < 0)
				rc = -1;
			model_free(&mm);
		}
		k++;
	}
	return rc;
}

/* Writes the view and the article pages of a page, unless the last build
   made them from the same: the page is then read again (from the scratch
   file, else its file), since the archive's records keep no text, so
   that memory does not grow with the archive's words. 0, or -1 after
   reporting. */
static int
S_outputs(struct pages_jobs *j, struct worker *w, struct page *p)
{
	(void)w;
	if (!p->entry)
		return 0;
	struct view_href h;
	const char *rel = view_record_href(p->entry, &h);
	/* a Markdown article has no view: its entry leads to its article page */
	int markdown = md_is_markdown(p->src->rel);
	uint64_t view_key = markdown ? 0 : S_view_key(j, p, rel);
	int view_kept = markdown ? 1 : out_reuse(j->s.out, rel, view_key);
	if (view_kept < 0)
		return -1;
	json_t *nav = view_kept ? NULL : archive_page_nav(j->arc, rel);
	uint64_t *keys = xcalloc(p->nrecords ? p->nrecords : 1, sizeof *keys);
	size_t todo = S_article_keys(j, p, keys);
	int rc = 0;
	if (todo || !view_kept) {
		struct reader_page rp;
		struct seg_page sp;
		rc = S_read_again(j, p, &rp, &sp);
		if (rc == 0 && !view_kept)
			rc = S_page_view(j, p, &sp, nav, view_key);
		if (rc == 0 && todo)
			rc = S_article_pages(j, p, &sp, keys);
		seg_page_free(&sp);
		reader_free(&rp);
	}
	free(keys);
	json_decref(nav);
	return rc;
}

/* Publishes the scan of a page read (scans.h), and says in its entry
   where it is: 0, or -1 after reporting. The entry the cache gave may
   hold the last build's, which this replaces. */
static int
S_publish_scan(struct pages_jobs *j, struct page *p)
{
	json_t *scan = NULL;
	view_entry_set(p->entry, "scan", NULL);
	const struct scan_image *image = scan_image(j->pl->sc, p->src);
	if (!image)
		return 0;
	/* the scan is named as its page view is: pages/NAME.html */
	struct view_href h;
	const char *view = view_record_href(p->entry, &h);
	size_t len = view ? strlen(view) : 0;
	if (len <= strlen("pages/.html"))
		return 0;
	char *name = xstrndup(view + strlen("pages/"), len - strlen("pages/.html"));
	struct scans_file file = {image->path, image->rel, image->stamp};
	int rc = scans_publish(j->s.out, name, &file, &scan);
	free(name);
	if (rc < 0)
		return -1;
	if (scan)
		view_entry_set(p->entry, "scan", scan);
	return 0;
}

/* How many pages ahead of the one a worker takes their files are asked
   of the disk (S_read_ahead). */
#define READ_AHEAD 32

/* Asks the system to start reading page i's file, which a worker will
   take some pages from now, unless the cache has the page: so that the
   file comes from the disk while pages before it are worked on, rather
   than while a worker waits for it. The workers take the pages in
   order; each asks for the one READ_AHEAD on, the first for all of
   those up to it. */
static void
S_read_ahead(const struct pages_jobs *j, size_t i)
{
	if (i >= j->pl->n || !j->ahead[i])
		return;
	/* non-blocking: whatever the file is, opening it never waits */
	int fd = open(j->pl->v[i].src->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return; /* reading it will say why */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
	close(fd);
}

/* The pool's task of reading the pages: item i is page i. */
static int
S_read_one(void *ctx, void *state, size_t i)
{
	struct pages_jobs *j = ctx;
	struct page *p = &j->pl->v[i];
	for (size_t k = i ? i + READ_AHEAD : 1; k <= i + READ_AHEAD; k++)
		S_read_ahead(j, k);
	int rc = S_build_page(j, state, p);
	if (rc == 0 && !md_is_markdown(p->src->rel))
		rc = S_publish_scan(j, p);
	return rc;
}

/* The pool's task of writing the page views and article pages, page by
   page. */
static int
S_articles_one(void *ctx, void *state, size_t i)
{
	struct pages_jobs *j = ctx;
	return S_outputs(j, state, &j->pl->v[i]);
}

/* Draws the progress line of reading the pages. */
static void
S_progress(void *ctx, size_t done, size_t n)
{
	const struct pages_jobs *j = ctx;
	if (j->s.progress && (done % 64 == 0 || done == n))
		fprintf(stderr, "\rbaoku: %zu/%zu pages", done, n);
}

/* ---------------------------------------------------------------------
 * The list and the runs
 * ------------------------------------------------------------------- */

void
pages_list(struct pagelist *pl, const struct scan *sc)
{
	memset(pl, 0, sizeof *pl);
	pl->sc = sc;
	pl->lists_lock = xmalloc(sizeof *pl->lists_lock);
	pool_mutex_init(pl->lists_lock);
	pl->cap = sc->n;
	pl->v = xcalloc(sc->n ? sc->n : 1, sizeof *pl->v);
	for (size_t i = 0; i < sc->n; i++) {
		if (sc->v[i].aside)
			continue; /* a Markdown page or intro (mdsite.h) */
		struct page *p = &pl->v[pl->n++];
		p->src = &sc->v[i];
	}
}

void
pages_list_free(struct pagelist *pl)
{
	pcache_texts_close(pl);
	for (size_t i = 0; i < pl->n; i++)
		S_forget(&pl->v[i]);
	free(pl->v);
	arena_free(&pl->lists);
	arena_free(&pl->docs);
	if (pl->lists_lock) /* none for a list pages_list never made */
		pthread_mutex_destroy(pl->lists_lock);
	free(pl->lists_lock);
	util_pread_small_forget();
	for (size_t i = 0; i < 2; i++)
		if (pl->cache[i])
			fclose(pl->cache[i]);
	memset(pl, 0, sizeof *pl);
}

struct pages_jobs *
pages_open(struct pagelist *pl, const struct pages_setup *s, int write_cache, uint64_t salt)
{
	struct pages_jobs *j = xcalloc(1, sizeof *j);
	j->s = *s;
	j->pl = pl;
	j->districts = json_object();
	j->bylines = json_object();
	j->values = json_object();
	pool_mutex_init(&j->dlock);
	j->spill = out_scratch(s->out);
	atomic_init(&j->spill_end, 0);
	atomic_init(&j->spill_errno, 0);
	pcache_dumps_init(&j->dumps);
	if (write_cache)
		pcache_direct_open(&j->direct, s->out, salt);
	else
		j->direct.fd = -1;
	return j;
}

int
pages_read(struct pages_jobs *j)
{
	struct pool_task reading = {.n = j->pl->n,
	                            .run = S_read_one,
	                            .ctx = j,
	                            .state_size = sizeof(struct worker),
	                            .state_free = S_worker_free,
	                            .done = S_progress};
	j->ahead = xmalloc(j->pl->n ? j->pl->n : 1);
	for (size_t i = 0; i < j->pl->n; i++)
		j->ahead[i] = !j->pl->v[i].cached;
	int rc = pool_run(&reading, j->s.jobs);
	free(j->ahead);
	j->ahead = NULL;
	pcache_texts_close(j->pl); /* every page's text is unpacked */
	int err = atomic_load(&j->spill_errno);
	if (err) { /* what was put aside is not all there */
		out_scratch_failed(j->s.out, err);
		atomic_store(&j->direct.failed, 1);
		rc = -1;
	}
	if (j->s.progress && j->pl->n)
		fputc('\n', stderr);
	return rc;
}

int
pages_lost(const struct pages_jobs *j)
{
	return atomic_load(&j->spill_errno) != 0;
}

int
pages_write_cache(struct pages_jobs *j, uint64_t salt)
{
	return pcache_write(j->s.out, j->pl, salt, &j->direct, &j->dumps);
}

void
pages_articles_start(void *jobs)
{
	struct pages_jobs *j = jobs;
	j->articles = (struct pool_task){.n = j->pl->n, .run = S_articles_one, .ctx = j};
	pool_start(&j->side, &j->articles, j->s.jobs);
}

void
pages_set_archive(struct pages_jobs *j, const struct archive *arc, const json_t *records)
{
	j->arc = arc;
	j->records = records;
}

int
pages_articles_wait(struct pages_jobs *j)
{
	return pool_wait(&j->side);
}

void
pages_close(struct pages_jobs *j)
{
	if (j->spill >= 0) {
		util_pread_small_forget();
		close(j->spill);
	}
	pcache_direct_close(&j->direct);
	pcache_dumps_free(&j->dumps);
	json_decref(j->districts);
	json_decref(j->bylines);
	json_decref(j->values);
	pthread_mutex_destroy(&j->dlock);
	free(j);
}
