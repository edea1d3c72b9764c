/*
 * page: one page file as read: decoded to UTF-8, its front matter split
 * off and its metadata completed from the folder and the path.
 */
#ifndef BAOKU_PAGE_H
#define BAOKU_PAGE_H

#include <stddef.h>

#include "encoding.h"
#include "meta.h"

struct page_text {
	const char *encoding; /* the canonical name of what the file was in */
	struct meta meta;     /* front matter, then folder and path defaults */
	char *text;           /* the page's text: UTF-8, \n line ends */
	size_t len;
	size_t body_line; /* the file's line number of text's first line */
};

/*
 * Reads the page file at path. rel is its path under content/ (for the
 * path convention; NULL when it is not under content/), defaults the
 * metadata of its folders (NULL for none). The encoding is forced by
 * `encoding:` in the page's front matter, else in defaults, else
 * detected. Files over o->limit are refused. Returns 0, or -1 after
 * reporting, with p empty. Free p with page_text_free.
 */
int page_read(const char *path, const char *rel, const struct meta *defaults,
              const struct enc_options *o, struct page_text *p);

/* Frees what page_read filled in. */
void page_text_free(struct page_text *p);

#endif
