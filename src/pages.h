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

#include "buf.h"

struct meta;
struct search_doc;

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

#endif
