/*
 * segment: one printed page's text -> the articles a reader sees.
 *
 * The page is cut into blocks (runs of non-blank lines). Each block is
 * recognised for what the layout made it: a continuation marker (◀ 上接
 * 第一版), a kicker, a headline (Markdown # headings included), a subtitle,
 * a byline, a dateline (本报讯), a subhead, a photo caption after an image
 * gap (three or more blank lines) with its credit, a notice (公益广告), or
 * body text. Articles start at markers, at headlines followed by a byline
 * or a dateline, and at a byline followed by 本报讯 (the article's title is
 * then derived from its lead). Then the repair stage joins paragraphs the
 * columns cut mid-sentence, around a caption that interrupted one, and
 * folds the typography (repair.h).
 */
#ifndef BAOKU_SEGMENT_H
#define BAOKU_SEGMENT_H

#include <jansson.h>
#include <stddef.h>

#include "meta.h"

enum seg_block_type { SEG_P, SEG_H, SEG_FIGURE };

struct buf;

struct seg_block {
	enum seg_block_type type;
	char *text;    /* p, h: the repaired text */
	char *caption; /* figure */
	char *credit;  /* figure: photographer or credit line, or NULL */
	size_t line;   /* where it starts in the source file */
};

enum seg_kind { SEG_ARTICLE, SEG_NOTICE };

struct seg_article {
	enum seg_kind kind;
	char *title;
	int title_derived; /* the page printed none; made from the lead */
	char *kicker, *subtitle, *dateline;
	struct strlist reporters, photographers;
	int continued_from, continues_on; /* page numbers; 0 when none */
	struct seg_block *blocks;
	size_t nblocks, capblocks;
	size_t first_line, last_line; /* the source lines it spans */
	char *original;               /* those lines as printed */
	char id[17];                  /* stable: page path and title */
};

struct seg_page {
	struct seg_article *v;
	size_t n, cap;
};

/*
 * Segments the text of one page (UTF-8, \n line ends; its first line is
 * line first_line of the file rel, which names the page in article ids).
 * Never fails: text that fits nothing is kept as body text. Free with
 * seg_page_free.
 */
void seg_segment(const char *text, size_t first_line, const char *rel, struct seg_page *out);

/* Frees every article of p. */
void seg_page_free(struct seg_page *p);

/*
 * One article as the JSON object `baoku parse --json` documents, with
 * source and encoding given by the caller.
 */
json_t *seg_article_json(const struct seg_article *a, size_t index, const char *source,
                         const char *encoding);

/* Appends article a to out as bytes that seg_article_unpack reads back
   in the same build: for keeping articles aside between two passes. */
void seg_article_pack(const struct seg_article *a, struct buf *out);

/* Reads one packed article at *p (end: where the bytes end), appends it
   to page and moves *p past it: 0, or -1 when the bytes are not a whole
   packed article (what was read is appended all the same, for
   seg_page_free). */
int seg_article_unpack(const char **p, const char *end, struct seg_page *page);

/* The page number in a marker such as 第一版, 第12版: 0 when none. */
int seg_page_number(const char *s, size_t len);

#endif
