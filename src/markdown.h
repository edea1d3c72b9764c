/*
 * markdown: the one module that calls cmark. A Markdown text becomes safe
 * HTML and what the archive needs beside it:
 *
 *   - raw HTML (blocks and inline tags) is dropped, with a warning, and
 *     cmark renders in its safe mode;
 *   - links and images to javascript:, vbscript:, data: or file: URLs are
 *     removed (a link keeps its text), with a warning;
 *   - a relative link or image resolves against the file's folder under
 *     content/ and points at its copy under media/ in the output, seen
 *     from where the HTML is shown (the root prefix); the files so linked
 *     are listed for copying. One that leaves content/ is dropped, with a
 *     warning;
 *   - the first heading, when it opens the text, can be taken out as the
 *     title;
 *   - the paragraphs' and headings' plain text, for search and excerpts.
 *
 * Positions in warnings are the file's (line and column in characters).
 */
#ifndef BAOKU_MARKDOWN_H
#define BAOKU_MARKDOWN_H

#include <stddef.h>

/* Where the files Markdown links to are copied in the output. */
#define MD_MEDIA "media"

struct md_options {
	const char *path;   /* the file, for diagnostics */
	size_t first_line;  /* the file's line number of the text's first line */
	const char *folder; /* the file's folder under content/ ("" at its top) */
	const char *root;   /* from the page the HTML is shown on to the output
	                       root: "", "../", "../../" */
	int take_title;     /* take an opening heading out as the title */
	int quiet;          /* report nothing (the text was reported before) */
};

/* A paragraph's or heading's plain text. */
struct md_block {
	int heading;
	char *text;
	size_t line; /* in the file */
};

/* A file under content/ that the text links to. */
struct md_asset {
	char *rel;        /* its path under content/ */
	size_t line, col; /* where the link is, in the file */
};

struct md_doc {
	char *html;  /* the body, never NULL */
	char *title; /* the opening heading's text (take_title), or NULL */
	struct md_block *blocks;
	size_t nblocks;
	struct md_asset *assets;
	size_t nassets;
};

/*
 * Renders len bytes of Markdown text into d (see above; warnings go
 * through diag). Never fails: what is unsafe is dropped. Free d with
 * md_doc_free.
 */
void md_render(const char *text, size_t len, const struct md_options *o, struct md_doc *d);

void md_doc_free(struct md_doc *d);

/* Nonzero when a file name is a Markdown file's (.md). */
int md_is_markdown(const char *name);

/* Nonzero when url starts with a scheme Markdown may not link to
   (javascript:, vbscript:, data:, file:), ignoring case, leading
   whitespace and control characters as browsers do. */
int md_unsafe_url(const char *url);

#endif
