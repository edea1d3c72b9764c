#include "site.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "fingerprint.h"
#include "gazetteer.h"
#include "ids.h"
#include "markdown.h"
#include "mdsite.h"
#include "mujson.h"
#include "output.h"
#include "pagecache.h"
#include "pages.h"
#include "pool.h"
#include "project.h"
#include "published.h"
#include "redirects.h"
#include "scan.h"
#include "search.h"
#include "templates.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

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
	pages_list_free(&l->pl);
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

/* A build under way. Each stage reports what goes wrong and sets failed;
   the build goes on to report every other problem, and fails at the end
   (stages that cannot go on return -1 instead). */
struct build {
	const struct site_options *o;
	double t0;
	struct util_clock clock; /* the last step's end, for -v */
	int verbose;
	int failed;
	int damaged; /* the page cache is: the build is made again without it */
	int lost;    /* what the pages put aside is: no stage after them runs */
	struct tally tally;
	struct project pj;
	struct config cfg;
	struct templates tpl;
	const struct mu_template *page_t; /* page.mustache */
	struct fingerprint inputs;        /* the inputs' fingerprint, then in its text
	                                     the manifest's line */
	size_t fp_len;                    /* ... the fingerprint's bytes */
	struct scan sc;                   /* the pages and folders found */
	struct mdsite ms;                 /* Markdown pages, intros, linked files */
	struct pagelist pl;
	struct output *out;
	uint64_t records_salt, render_salt;
	size_t from_cache; /* pages the page cache gave */
	struct gazetteer *gz;
	struct pages_jobs *jobs;
	json_t *site;             /* {title, lang, index, ...} for every template */
	json_t *index_pages;      /* each page's entry in the page list */
	json_t *records;          /* each article's record, in page order */
	struct search_doc **docs; /* each record's search document, by serial */
	size_t read_ok;           /* pages with an entry */
	struct archive arc;
	struct redirects *redir; /* what was published before, and redirects */
};

/* With -v, or a terminal on stderr without -q: the closing line. */
static int
S_talks(const struct build *b)
{
	return b->o->verbosity > 1 || (b->o->verbosity > 0 && isatty(STDERR_FILENO));
}

/* Where everything is, site.yml, and the page view's template: -1 when the
   build cannot start. */
static int
S_setup(struct build *b)
{
	const struct site_options *o = b->o;
	project_open(o->project, &b->pj);
	int cfg_ok = config_load(b->pj.config, &b->cfg) == 0;
	project_set_output(&b->pj, o->output, b->cfg.output);
	tpl_open(&b->tpl, &b->pj);
	b->site = json_pack("{s:s,s:s,s:s}", "title", b->cfg.title, "lang", b->cfg.language,
	                    "index", b->cfg.pretty_urls ? "" : "index.html");
	if (*b->cfg.description)
		json_object_set_new(b->site, "description", json_string(b->cfg.description));
	if (b->cfg.params)
		json_object_set(b->site, "params", b->cfg.params);
	b->index_pages = json_array();
	b->records = json_array();
	b->verbose = o->verbosity > 1;
	struct stat st;
	if (stat(b->pj.content, &st) < 0 || !S_ISDIR(st.st_mode)) {
		diag_error(b->pj.content, 0, 0,
		           "no content directory; put the archive's .txt "
		           "pages there, or point -C at the project");
		return -1;
	}
	if (!cfg_ok || !(b->page_t = mu_env_load(b->tpl.env, "page")))
		return -1;
	return 0;
}

/* What the output is made from: the inputs' fingerprint and, after it,
   the manifest's line (redirects.h), in b->inputs' text. */
static void
S_inputs(struct build *b)
{
	buf_truncate(&b->inputs.text, b->fp_len);
	redir_fingerprint(b->redir, &b->inputs.text);
}

/* The pages and folders of content/, and the fingerprint of every input. */
static void
S_find_inputs(struct build *b)
{
	fp_begin(&b->inputs, b->o->lenient, b->o->max_size);
	if (scan_content(b->pj.content, b->verbose, &b->inputs, &b->sc) < 0)
		b->failed = 1;
	struct enc_options eo = {.lenient = b->o->lenient, .limit = b->o->max_size};
	if (mdsite_read(&b->ms, &b->sc, &eo, &b->inputs) < 0)
		b->failed = 1;
	json_t *links = mdsite_links(&b->ms); /* the footer's, on every page */
	if (links) {
		json_object_set_new(b->site, "pages", links);
		json_object_set_new(b->site, "has_pages", json_true());
	}
	if (fp_end(&b->inputs, &b->pj) < 0)
		b->failed = 1;
	b->fp_len = b->inputs.text.len;
	struct buf manifest = BUF_INIT, memo = BUF_INIT;
	buf_printf(&manifest, "%s/%s", b->pj.dir, PUB_FILE);
	buf_printf(&memo, "%s/%s", b->pj.cache, PUB_MEMO);
	b->redir = redir_open(manifest.data, memo.data, b->pj.output);
	buf_release(&manifest);
	buf_release(&memo);
	S_inputs(b);
}

/* Whether the output was built from these very inputs (not with --force,
   nor after an error): then there is nothing to do. */
static int
S_up_to_date(struct build *b)
{
	if (b->o->force || b->failed)
		return 0;
	int current =
	    out_is_current(b->pj.output, b->pj.cache, b->inputs.text.data, b->inputs.text.len);
	if (current < 0)
		b->failed = 1;
	if (current <= 0)
		return 0;
	if (S_talks(b))
		fprintf(stderr,
		        "baoku: %s is up to date: no input changed since it was built "
		        "(%zu pages); nothing written; %.2f s\n",
		        b->pj.output, scan_pages(&b->sc), util_now() - b->t0);
	return 1;
}

/* What is read beside the last build's keys: the page cache (item 0) and
   the gazetteer (item 1). */
static int
S_read_beside(void *ctx, void *state, size_t i)
{
	(void)state;
	struct build *b = ctx;
	if (i == 0)
		b->from_cache = b->o->force ? 0 : pcache_read(b->out, &b->pl, b->records_salt);
	else
		b->gz = gz_load_cached(b->pj.data, b->out, b->o->force);
	return 0;
}

/* The next tree of the output, the last build's keys and page cache, the
   gazetteer, and the page jobs: -1 when the build cannot go on. */
static int
S_prepare(struct build *b)
{
	pages_list(&b->pl, &b->sc);
	if (!(b->out = out_open(b->pj.output, b->pj.cache)))
		return -1;
	out_set_jobs(b->out, b->o->jobs);
	redir_load(b->redir); /* before this build changes the output */
	out_set_inputs(b->out, b->inputs.text.data, b->inputs.text.len);
	fp_salts(b->inputs.text.data, b->fp_len, &b->records_salt, &b->render_salt);
	/* and what every page shows of the site: the footer's standalone
	   pages are no line of the fingerprint that salts (a page kept by a
	   key of its own would show the footer of before) */
	b->render_salt = mujson_hash(b->site, b->render_salt);
	struct pool_task beside = {.n = 2, .run = S_read_beside, .ctx = b};
	struct pool_side side;
	pool_start(&side, &beside, 2);
	if (out_set_salt(b->out, b->render_salt) < 0)
		b->failed = 1;
	util_step(b->verbose, "output opened, the last build's keys loaded", &b->clock);
	pool_wait(&side);
	/* a rebuild holds the cached records to the end: memory given back
	   between its steps would only be taken again (0.13 s of 2.3 s at
	   109,488 articles), where a build from nothing peaks lower for it */
	util_step_keeps_memory(b->from_cache > 0);
	util_step(b->verbose, "cache read and gazetteer loaded (beside the keys)", &b->clock);
	if (!b->gz)
		return -1;
	struct pages_setup s = {.out = b->out,
	                        .env = b->tpl.env,
	                        .page_t = b->page_t,
	                        .site = b->site,
	                        .gz = b->gz,
	                        .enc = {.lenient = b->o->lenient, .limit = b->o->max_size},
	                        .jobs = b->o->jobs,
	                        .progress = b->o->verbosity > 0 && isatty(STDERR_FILENO)};
	/* nothing from the cache: the workers write the new one */
	b->jobs = pages_open(&b->pl, &s, b->from_cache == 0, b->records_salt);
	return 0;
}

/* Every page read (or taken from the cache); then the page cache for the
   next build. */
static void
S_read_pages(struct build *b)
{
	if (pages_read(b->jobs) < 0)
		b->failed = 1;
	if (pages_lost(b->jobs)) {
		b->failed = b->lost = 1;
		return;
	}
	out_prepare_prune(b->out); /* the archive leaves a core free at times */
	ids_settle(&b->pl);
	util_step(b->verbose, "pages", &b->clock);
	if (pages_write_cache(b->jobs, b->records_salt) == SEARCH_DAMAGED)
		b->failed = b->damaged = 1;
	util_step(b->verbose, "cache written", &b->clock);
}

/* The pages' entries and their articles' records, each record numbered
   (its serial) in page order, with its search document. */
static void
S_gather(struct build *b)
{
	size_t ndocs = 0, capdocs = 0, docbytes = 0;
	for (size_t i = 0; i < b->pl.n; i++) {
		struct page *p = &b->pl.v[i];
		if (p->entry) {
			b->read_ok++;
			/* a Markdown article is no printed page */
			if (!md_is_markdown(p->src->rel))
				json_array_append(b->index_pages, p->entry);
		}
		size_t first = json_array_size(b->records);
		if (p->entry) /* its records are linked to it (pages.c) */
			view_entry_link(p->entry, first);
		for (size_t k = 0; k < p->nrecords; k++) {
			json_array_append(b->records, p->records[k]);
			b->docs = xgrow(b->docs, &capdocs, ndocs, sizeof *b->docs, 1024);
			b->docs[ndocs++] = &p->docs[k];
			docbytes += p->docs[k].len + p->docs[k].slen + 1;
		}
		pages_gathered(p, first);
	}
	pages_lists_free(&b->pl);
	if (b->verbose)
		fprintf(stderr,
		        "baoku: %zu articles, their tokens %zu MiB; %zu of %zu pages from the "
		        "cache\n",
		        ndocs, docbytes >> 20, b->from_cache, b->pl.n);
}

/* The archive's pages (archive.h), and beside them, once the records are
   final, the page views and article pages. */
/* The archive's call once its search index is made: the documents go. */
static void
S_searched(void *arg)
{
	struct build *b = arg;
	pages_docs_free(&b->pl);
	free(b->docs);
	b->docs = NULL;
}

static void
S_archive(struct build *b)
{
	/* what the sitemap lists, which needs base_url: without one, nothing
	   (at a million page files the list held 2.6 million pages) */
	json_t *urls = NULL;
	if (*b->cfg.base_url) {
		urls = json_array();
		/* each page view's entry: its href when written */
		for (size_t i = 0; i < json_array_size(b->index_pages); i++)
			json_array_append(urls, json_array_get(b->index_pages, i));
		json_object_set_new(b->site, "feed", json_string("feed.xml"));
		json_object_set_new(b->site, "base_url", json_string(b->cfg.base_url));
	}
	b->arc = (struct archive){.out = b->out,
	                          .env = b->tpl.env,
	                          .cfg = &b->cfg,
	                          .chars = gz_chars(b->gz),
	                          .site = b->site,
	                          .urls = urls,
	                          .verbose = b->verbose,
	                          .threads = pool_threads(b->o->jobs, 2),
	                          .docs = b->docs,
	                          .md_pages = mdsite_pages(&b->ms),
	                          .intros = mdsite_intros(&b->ms, b->gz),
	                          .searched = S_searched,
	                          .searched_arg = b};
	b->arc.nextra = mdsite_search(&b->ms, gz_chars(b->gz), &b->arc.extra);
	if (!b->failed && mu_env_load(b->tpl.env, "article_page")) {
		pages_set_archive(b->jobs, &b->arc, b->records);
		b->arc.ready = pages_articles_start;
		b->arc.ready_arg = b->jobs;
	} else {
		b->failed = 1; /* a page, or the template, reported why */
	}
	if (archive_build(&b->arc, b->records, b->index_pages) < 0)
		b->failed = 1;
	if (b->arc.search.damaged)
		b->damaged = 1;
	util_step(b->verbose, "archive", &b->clock);
	if (pages_articles_wait(b->jobs) < 0)
		b->failed = 1;
	util_step(b->verbose, "article pages (the rest)", &b->clock);
	redir_learn(b->redir, b->records, b->index_pages, &b->arc);
	pages_close(b->jobs);
	b->jobs = NULL;
	util_step(b->verbose, "what is published learnt", &b->clock);
	archive_free(&b->arc);
	json_decref(b->arc.md_pages);
	json_decref(b->arc.intros);
	mdsite_search_free(b->arc.extra, b->arc.nextra);
	json_decref(urls);
	b->arc.urls = NULL;
	gz_free(b->gz);
	b->gz = NULL;
}

/* static/ as it is, the files Markdown links to, and last, once all
   that is published is written, the redirects from what was published
   before (redirects.h). */
static void
S_finish_output(struct build *b)
{
	if (out_copy_dir(b->out, b->pj.statics, "static") < 0)
		b->failed = 1;
	if (mdsite_copy(&b->ms, b->pj.content, b->out) < 0)
		b->failed = 1;
	if (!b->failed && redir_write(b->redir, b->out, b->tpl.env, b->site, b->cfg.base_url,
	                              pool_threads(b->o->jobs, 2)) < 0)
		b->failed = 1;
	if (b->verbose && redir_as_before(b->redir))
		fprintf(stderr, "baoku: the manifest (%s) is as before: not written again\n",
		        PUB_FILE);
	/* the tree is made from the manifest it leaves behind */
	S_inputs(b);
	out_set_inputs(b->out, b->inputs.text.data, b->inputs.text.len);
	util_step(b->verbose, "redirects", &b->clock);
}

/* Moves the new build in when nothing failed, else drops it: 0, or -1
   after reporting. Prints the summary. */
static int
S_commit(struct build *b)
{
	struct output *out = b->out;
	b->out = NULL;
	if (b->damaged) { /* made again (site_build) */
		out_abort(out);
		return -1;
	}
	if (b->failed) {
		diag_error(b->pj.output, 0, 0,
		           "build failed with %zu error(s); the previous build "
		           "is left as it was",
		           b->tally.errors);
		out_abort(out);
		return -1;
	}
	size_t files = out_files(out), bytes = out_bytes(out), same = out_unchanged(out);
	util_step(b->verbose, "static", &b->clock);
	if (out_commit(out) < 0)
		return -1;
	redir_commit(b->redir); /* what was published, now that it is */
	util_step(b->verbose, "committed (the tree pruned and swapped in, the cache moved in)",
	          &b->clock);
	if (S_talks(b))
		fprintf(
		    stderr,
		    "baoku: %zu of %zu pages read, %zu articles; search index %zu bytes in %zu "
		    "shards (%zu token lists); %zu files written (%zu bytes), %zu unchanged; %zu "
		    "warnings; %.2f s\n",
		    b->read_ok, b->pl.n, json_array_size(b->records), b->arc.search.bytes,
		    b->arc.search.shards, b->arc.search.tokens, files, bytes, same,
		    b->tally.warnings, util_now() - b->t0);
	return 0;
}

/* Frees the build, or with exiting leaves the bulk of it to the system. */
static void
S_end(struct build *b)
{
	if (b->out)
		out_abort(b->out);
	if (b->jobs)
		pages_close(b->jobs);
	gz_free(b->gz);
	redir_free(b->redir);
	free(b->docs);
	struct leftover left = {b->pl, b->sc, b->site, b->index_pages, b->records, NULL};
	if (b->o->exiting && !b->damaged)
		S_leave(&left);
	else
		S_teardown(&left);
	mdsite_free(&b->ms);
	config_free(&b->cfg);
	tpl_close(&b->tpl);
	project_free(&b->pj);
	fp_free(&b->inputs);
	diag_set_sink(b->tally.next, b->tally.next_ctx);
}

/* One build; *damaged when it found the page cache damaged. */
static int
S_build(const struct site_options *o, int *damaged)
{
	struct build b = {.o = o, .t0 = util_now(), .clock = util_clock(), .inputs = FP_INIT};
	diag_get_sink(&b.tally.next, &b.tally.next_ctx);
	diag_set_sink(S_tally, &b.tally);
	int rc = -1;
	if (S_setup(&b) < 0)
		goto out;
	S_find_inputs(&b);
	util_step(b.verbose, "scan", &b.clock);
	if (S_up_to_date(&b)) {
		rc = 0;
		goto out;
	}
	if (S_prepare(&b) < 0)
		goto out;
	S_read_pages(&b);
	if (b.damaged)
		goto out;
	if (!b.lost) {
		S_gather(&b);
		S_archive(&b);
		S_finish_output(&b);
	}
	rc = S_commit(&b);
out:
	*damaged = b.damaged;
	S_end(&b);
	return rc;
}

int
site_build(const struct site_options *o)
{
	int damaged;
	int rc = S_build(o, &damaged);
	if (rc < 0 && damaged) {
		diag_warning(o->project, 0, 0,
		             "the page cache is damaged (a search document is not what its hash "
		             "says); building again from the page files");
		struct site_options again = *o;
		again.force = 1;
		rc = S_build(&again, &damaged);
	}
	return rc;
}
