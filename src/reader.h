/*
 * reader: one page file read the way every command reads it: decoded and
 * its metadata completed (page.h), cut into articles (segment.h), the
 * page's own header filling the metadata nothing else gave, and each
 * article placed in its district (district.h). A Markdown file (.md) is
 * one article instead, its body rendered by markdown.h. `baoku parse` and
 * `baoku build` both read pages through here.
 */
#ifndef BAOKU_READER_H
#define BAOKU_READER_H

#include "district.h"
#include "page.h"
#include "segment.h"

struct reader_page {
	struct page_text text;     /* the page as read; meta completed */
	struct seg_page seg;       /* its articles */
	struct dist_place *places; /* each article's place; NULL without gz */
};

/*
 * Reads the page file at path (rel: its path under content/, or NULL;
 * folder: its folders' metadata) and cuts it into articles, which are
 * named by rel (or path). With gz, places each article. Warns about a
 * page with no text and an unknown district in the metadata. Returns 0,
 * or -1 after reporting, with p empty. Free p with reader_free.
 */
int reader_read(const char *path, const char *rel, const struct meta *folder,
                const struct enc_options *o, const struct gazetteer *gz, struct reader_page *p);

/* Frees what reader_read filled in. */
void reader_free(struct reader_page *p);

#endif
