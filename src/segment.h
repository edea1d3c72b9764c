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
#include <stdio.h>

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

/* A notice is not news (公益广告); photo news is a photo with its caption
   and credit, with a headline or none, and no text of its own. */
enum seg_kind { SEG_ARTICLE, SEG_NOTICE, SEG_PHOTO };

/* Someone credited, with the role word printed before or after the name
   (记者, 通讯员, 摄影, …; "" when none was). */
struct seg_credit {
	char *name;
	char *role;
};

struct seg_article {
	enum seg_kind kind;
	char *title;
	int title_derived; /* the page printed none; made from the lead */
	char *kicker, *subtitle, *dateline;
	char *label; /* the section label it was printed under (简讯), or NULL */
	struct strlist reporters, photographers;
	struct seg_credit *credits;
	size_t ncredits, capcredits;
	int continued_from, continues_on;  /* page numbers; 0 when none */
	char from_prefix[8], on_prefix[8]; /* lettered pages as printed (A06), or "" */
	struct seg_block *blocks;
	size_t nblocks, capblocks;
	size_t first_line, last_line;   /* the source lines it spans */
	size_t moved_first, moved_last; /* and lines the layout moved away
	                                   from them (0 when none) */
	char *original;                 /* those lines as printed */
	char *html;                     /* a Markdown article's body, safe HTML
	                                   (markdown.h); NULL for a page's */
	char id[17];                    /* stable: the page's place and the
	                                   article's position (ids.h) */
	char legacy[17];                /* the id of before: page path and
	                                   title ("" when never set) */
};

/* What the page prints about itself: its header (paper, date, page,
   section) and its editor lines. NULL or empty when it does not. */
struct seg_head {
	char *paper, *date, *page, *section;
	struct strlist editors;
};

struct seg_page {
	struct seg_article *v;
	size_t n, cap;
	struct seg_head head;
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

/* Frees what head holds. */
void seg_head_free(struct seg_head *head);

/*
 * Prints, for each block of the page's text, the role the reader gave it
 * and why (`baoku parse --explain`).
 */
void seg_explain(const char *text, size_t first_line, FILE *out);

/* The page header as JSON: {"paper", "date", "page", "section",
   "editors"}, null or [] where the page prints none. */
json_t *seg_head_json(const struct seg_head *head);

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
