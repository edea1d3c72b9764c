#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "gazetteer.h"
#include "ids.h"
#include "markdown.h"
#include "util.h"
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

/* The folder of rel under content/ ("" at its top, or for a file
   outside content/). The caller frees it. */
static char *
S_folder_of(const char *rel)
{
	const char *slash = rel ? strrchr(rel, '/') : NULL;
	return slash ? xstrndup(rel, (size_t)(slash - rel)) : xstrdup("");
}

/* A file's name without its folder and extension: a title of last resort. */
static char *
S_stem(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const char *dot = strrchr(base, '.');
	return xstrndup(base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
}

/*
 * A Markdown file is one article, without the page reader: its title from
 * the metadata, else its opening heading, else its name; its body rendered
 * by cmark (markdown.h), shown from an article page (two folders down),
 * with the plain text of its blocks for districts, search and excerpts;
 * its people from the metadata. Its id here is made as a page's articles'
 * were, from the file's name and the title: ids_assign keeps it as the
 * former one and gives the article its lasting id.
 */
static void
S_markdown_article(const struct page_text *t, const char *path, const char *name,
                   struct seg_page *sp)
{
	char *folder = S_folder_of(name == path ? NULL : name);
	struct md_options o = {.path = path,
	                       .first_line = t->body_line,
	                       .folder = folder,
	                       .root = "../../",
	                       .take_title = !t->meta.title};
	struct md_doc doc;
	md_render(t->text, t->len, &o, &doc);
	sp->v = xcalloc(1, sizeof *sp->v);
	sp->n = sp->cap = 1;
	struct seg_article *a = &sp->v[0];
	a->kind = SEG_ARTICLE;
	a->title = t->meta.title ? xstrdup(t->meta.title)
	           : doc.title   ? xstrdup(doc.title)
	                         : S_stem(name);
	for (size_t i = 0; i < t->meta.reporters.n; i++)
		strlist_add(&a->reporters, t->meta.reporters.v[i], strlen(t->meta.reporters.v[i]));
	a->blocks = xcalloc(doc.nblocks ? doc.nblocks : 1, sizeof *a->blocks);
	a->capblocks = doc.nblocks ? doc.nblocks : 1;
	for (size_t i = 0; i < doc.nblocks; i++) {
		a->blocks[i] = (struct seg_block){.type = doc.blocks[i].heading ? SEG_H : SEG_P,
		                                  .text = doc.blocks[i].text,
		                                  .line = doc.blocks[i].line};
		doc.blocks[i].text = NULL;
	}
	a->nblocks = doc.nblocks;
	a->html = doc.html;
	doc.html = NULL;
	a->first_line = t->body_line;
	a->last_line = t->body_line;
	for (size_t i = 0; i < t->len; i++)
		a->last_line += t->text[i] == '\n' && i + 1 < t->len;
	uint64_t h = util_fnv(UTIL_FNV_START, name, strlen(name));
	h = util_fnv(h, "\0", 1);
	h = util_fnv(h, a->title, strlen(a->title));
	snprintf(a->id, sizeof a->id, "%016llx", (unsigned long long)h);
	md_doc_free(&doc);
	free(folder);
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
	int markdown = md_is_markdown(path);
	if (markdown) {
		S_markdown_article(t, path, rel ? rel : path, &p->seg);
	} else {
		seg_segment(t->text, t->body_line, rel ? rel : path, &p->seg);
		S_fill_from_head(&t->meta, &p->seg.head);
	}
	ids_assign(&p->seg, rel ? rel : path, &t->meta, markdown);
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
