#include "reader.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "gazetteer.h"
#include "xalloc.h"

/* The page's header fills what front matter, folders and path left unset:
   a printed date is read, never invented. */
static void
S_fill_from_head(struct meta *m, const struct seg_head *h)
{
	if (!m->paper && h->paper)
		m->paper = xstrdup(h->paper);
	if (!m->date && h->date)
		m->date = xstrdup(h->date);
	if (!m->page && h->page)
		m->page = xstrdup(h->page);
	/* the folder's 版名 for its page number, then what the page prints */
	const char *named = m->section ? NULL : meta_section_of(m, m->page);
	if (named)
		m->section = xstrdup(named);
	if (!m->section && h->section)
		m->section = xstrdup(h->section);
}

static int
S_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f')
			return 0;
	return 1;
}

int
reader_read(const char *path, const char *rel, const struct meta *folder,
            const struct enc_options *o, const struct gazetteer *gz, struct reader_page *p)
{
	memset(p, 0, sizeof *p);
	if (page_read(path, rel, folder, o, &p->text) < 0)
		return -1;
	struct page_text *t = &p->text;
	if (S_blank(t->text, t->len))
		diag_warning(path, 0, 0, "page has no text");
	seg_segment(t->text, t->body_line, rel ? rel : path, &p->seg);
	S_fill_from_head(&t->meta, &p->seg.head);
	if (!gz)
		return 0;
	if (t->meta.district && gz_lookup(gz, t->meta.district) < 0)
		diag_warning(
		    path, 0, 0,
		    "unknown district '%s' in the metadata; articles are placed by their text",
		    t->meta.district);
	p->places = xcalloc(p->seg.n ? p->seg.n : 1, sizeof *p->places);
	dist_classify_page(gz, &p->seg, t->meta.district, p->places);
	return 0;
}

void
reader_free(struct reader_page *p)
{
	if (p->places)
		for (size_t i = 0; i < p->seg.n; i++)
			dist_place_free(&p->places[i]);
	free(p->places);
	seg_page_free(&p->seg);
	page_text_free(&p->text);
	memset(p, 0, sizeof *p);
}
