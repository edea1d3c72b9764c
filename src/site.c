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
#include "pagecache.h"
#include "pages.h"
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
	json_t *districts;           /* each place's district object, by code, shared */
	pthread_mutex_t dlock;       /* guards districts */
	const struct archive *arc;   /* for the article pages */
	int progress;                /* draw a progress line: stderr is a terminal */
	int spill;                   /* the scratch file, or -1 */
	atomic_size_t spill_end;     /* the bytes in it */
	struct pcache_direct direct; /* the new cache, when the workers write it */
};

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

/* Takes what the cache holds of page p, its districts shared with the
   other records': 0, or -1 when it does not fit. */
static int
S_from_cache(struct job *j, struct page *p)
{
	if (pcache_unpack(p) < 0)
		return -1;
	pthread_mutex_lock(&j->dlock);
	S_share_districts(p->records, j->districts);
	pthread_mutex_unlock(&j->dlock);
	return 0;
}

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
			if (j->direct.fd < 0)
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
		pcache_pack(p, &p->dump);
		rc = 0;
	}
	if (j->direct.fd >= 0 && pcache_put(&j->direct, p) < 0)
		for (size_t k = 0; k < json_array_size(p->records); k++)
			search_doc_spill(&p->docs[k], j->spill, &j->spill_end);
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
	size_t from_cache = o->force ? 0 : pcache_read(out, &pl, records_salt);
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
	if (from_cache == 0)
		pcache_direct_open(&job.direct, out, records_salt);
	else
		job.direct.fd = -1;
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
	pcache_write(out, &pl, records_salt, &job.direct);
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
	pcache_direct_close(&job.direct);
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
