/*
 * pages: the pages of a build, each from its file to its page view and its
 * articles' records: read (reader.h), or taken from the page cache when
 * the file has not changed (pagecache.h).
 */
#ifndef BAOKU_PAGES_H
#define BAOKU_PAGES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pthread.h>

#include "arena.h"
#include "buf.h"
#include "encoding.h"

struct archive;
struct gazetteer;
struct mu_env;
struct mu_template;
struct output;
struct scan;
struct scan_page;
struct search_doc;

/* One page file of content/. */
struct page {
	const struct scan_page *src; /* its file: path under content/ (rel),
	                                path to read it from, folder's
	                                metadata, stamp and its printed page's
	                                image or PDF beside it (scan.h) */
	json_t *entry;               /* its line in the index; NULL when it failed */
	json_t **records;            /* its articles' records, nrecords of them
	                                (in the list's arena), until they are
	                                the archive's (pages_gathered): NULL then */
	struct search_doc *docs;     /* their tokens, for the search index (in
	                                the list's arena: pages_docs_room) */
	size_t cache_at;             /* where the last build's entry and records
	                                are, packed, in pl->texts[from_base] */
	size_t spill_off;            /* its articles, packed in the jobs' scratch
	                                file for their pages (spill_len 0: read
	                                the page again) */
	/* A million of these are held, so the lengths and counts are 32 bits
	   (the cache's texts are at most PAGE_LEN_MAX, and a page's articles
	   longer are read again rather than kept). */
	uint32_t first, nrecords; /* its records; once gathered, the archive's
	                             [first, first + nrecords) */
	uint32_t cache_len, cache_docs;
	uint32_t spill_len;
	unsigned encoding : 3;  /* as detected (enc_number), 0 before */
	unsigned cached : 1;    /* docs (and cache_text) are the last build's */
	unsigned from_base : 1; /* ... from the cache's base file */
};
_Static_assert(ENC_COUNT < 8, "a page's encoding fits its three bits");
/* The most bytes a page's packed text may have to be held in its lengths. */
#define PAGE_LEN_MAX ((size_t)1 << 30)

struct pagelist {
	struct page *v;
	size_t n, cap;
	const struct scan *sc; /* what the pages were found in: their folders
	                          and scans (scan_folder, scan_image) */
	/* the pages' lists of records and their tables of documents, each
	   kind in an arena of its own (taken under the lock, which pages_list
	   makes: a copy of the list shares it) and freed all at once: freed a
	   page at a time, when the archive has the records and when the
	   search index is made, they left holes of some 170 bytes a page
	   among what the build holds to its end */
	struct arena lists, docs;
	pthread_mutex_t *lists_lock;
	/* the cache files read, kept open while their documents' tokens,
	   left where they are, may still be needed */
	FILE *cache[2];
	/* ... and their pages' texts, open while the pages are read */
	FILE *texts[2];
};

/* Makes pl's pages from what scanning found, but for what is set aside
   (their paths, folders and
   stamps are the scan's, which must outlive pl). Free with
   pages_list_free, which frees what the build gave them. */
void pages_list(struct pagelist *pl, const struct scan *sc);
void pages_list_free(struct pagelist *pl);

/* Says that the records of page p are now the archive's records
   [first, ...), in the same order, and lets its own list of them go;
   once every page's are, pages_lists_free frees the lists. */
void pages_gathered(struct page *p, size_t first);
void pages_lists_free(struct pagelist *pl);

/* Room for the n search documents of a page of pl, zeroed, which
   pages_docs_free frees with the others. Safe from several threads. */
struct search_doc *pages_docs_room(struct pagelist *pl, size_t n);

/* Frees the pages' search documents, once the search index is made (and
   the cache written): a million articles' are some 70 MB. */
void pages_docs_free(struct pagelist *pl);

/* What the page jobs are given. */
struct pages_setup {
	struct output *out;
	struct mu_env *env;
	const struct mu_template *page_t; /* page.mustache */
	json_t *site;                     /* every page view's site */
	const struct gazetteer *gz;
	struct enc_options enc;
	int jobs;     /* threads: see pool_threads */
	int progress; /* draw a progress line on stderr */
};

/* The page jobs of a build. */
struct pages_jobs;

/*
 * Prepares the jobs on the pages of pl (s is copied; what it points at
 * must outlive the jobs): a scratch file beside the output for the
 * articles read, and with write_cache (nothing came from the cache), the
 * new page cache written as the pages are read (pagecache.h), under salt.
 * Close with pages_close.
 */
struct pages_jobs *pages_open(struct pagelist *pl, const struct pages_setup *s, int write_cache,
                              uint64_t salt);

/*
 * Reads every page on the jobs' threads, or takes it from the cache when
 * its file has not changed: each page then has its entry, its articles'
 * records and their search documents, unless it failed; a page with a
 * scan has it published (scans.h), and its entry says where (scan).
 * Its view waits for the archive (see pages_articles_start). Returns 0,
 * or -1 when a page failed (after reporting; the others are still done).
 */
int pages_read(struct pages_jobs *j);

/* Whether what the pages put aside in the scratch file could not all be
   written (pages_read reported it): nothing after the pages can read
   them. */
int pages_lost(const struct pages_jobs *j);

/* Writes the page cache for the next build (pagecache.h): 0, or
   SEARCH_DAMAGED when the last build's was found damaged. */
int pages_write_cache(struct pages_jobs *j, uint64_t salt);

/*
 * The page views and article pages: once the archive knows every record,
 * its neighbours and each page's place in its paper (archive.h's ready
 * call, given the jobs), each page's articles are read again
 * (from the scratch file, else the page) and its view (pages/SLUG.html)
 * and article pages written, on threads beside the archive's, unless the
 * last build made them from the same. The archive must be set first;
 * pages_articles_wait waits for them: 0, or -1 when one failed (after
 * reporting), 0 too when they never started.
 */
void pages_set_archive(struct pages_jobs *j, const struct archive *arc, const json_t *records);
void pages_articles_start(void *jobs);
int pages_articles_wait(struct pages_jobs *j);

void pages_close(struct pages_jobs *j);

#endif
