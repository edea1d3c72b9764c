/*
 * views: what the templates and the archive see of a page and of its
 * articles, made from the page as read (reader.h).
 *
 *   the page view     pages/SLUG.html (page.mustache): site, root, and
 *                     page {title, heading, source, encoding, nav,
 *                     articles, count, scan}, articles as below, each
 *                     with its record's fields and its lead: what a
 *                     reader scans the page by, the text being on the
 *                     article pages
 *   an article        in the page view and on its own page
 *                     (article_page.mustache): id, title, title_derived,
 *                     notice, kicker, subtitle, dateline, reporters,
 *                     photographers, has_byline, has_reporters,
 *                     has_photographers, continued_from, continues_on,
 *                     blocks [{is_p, is_h, is_figure, text, caption,
 *                     credit, line}], original (on its page), line,
 *                     district; a Markdown article's html (its body)
 *                     and markdown (true)
 *   its record        what the archive's listings, people, dates and
 *                     search use of it (archive.h), as JSON
 *   its brief         id, title, kicker, article_href (not for a notice):
 *                     the page list's and an issue's
 *
 * Models are made in an arena (model.h); their strings are the page's and
 * must outlive the render.
 */
#ifndef BAOKU_VIEWS_H
#define BAOKU_VIEWS_H

#include <jansson.h>
#include <stddef.h>

#include "model.h"

struct meta;
struct reader_page;
struct seg_article;

/*
 * The output name of a page (its view is pages/NAME.html): its path under
 * content/ without ".txt" (or ".md"); ASCII letters, digits, '-', '_' and '/' kept,
 * every other byte written as "~xx" in hex, so any file name gives a
 * distinct, portable URL. The caller frees it.
 */
char *view_slug(const char *rel);

/* The article a in the arena m, with its district; with_original, its
   text as printed too; over: its record, whose fields win over the
   article's own (NULL for none). */
struct model_map *view_article(struct model *m, const struct seg_article *a, mval district,
                               int with_original, mval over);

/* The fields all the records of a page share (source, date, paper,
   page_no, section, page_label: 第01版 要闻, page_href: its view, and
   tags when it has any), from its metadata m: one object for them all. */
json_t *view_record_shared(const char *source, const struct meta *m);

/* The record of article a (not a notice): id, title, kicker, reporters,
   photographers, continued_from, continues_on (each only when the
   article has one: absent reads as empty), district (the object given,
   shared), href and excerpt. view_record_link adds its page's
   fields, the archive the rest. The caller owns the result. */
json_t *view_record(const struct seg_article *a, json_t *district);

/* A record's fields of its printed page (source, date, paper, page_no,
   section, page_label, page_href, tags: view_record_shared's) are not
   copied into each record, which the archive holds for every article,
   but linked: one object a page, under VIEW_PAGE_KEY. */
#define VIEW_PAGE_KEY "@page"

/* Links each of records to the page fields of entry, the index entry of
   their page. */
void view_record_link(json_t *records, const json_t *entry);

/* The value of key in record r: its own, else its page's; NULL when
   neither has one. */
const json_t *view_record_get(const json_t *r, const char *key);

/* Record r as the templates see it, its page's fields among its own, in
   the arena m (NULL for NULL). */
mval view_record_over(struct model *m, const json_t *r);

/* The brief of article a: from its record r, whose strings it shares, or
   made for a notice, which has none (r NULL). */
json_t *view_brief(const struct seg_article *a, const json_t *r);

/* The title of the page read as rp (source: its path under content/): its
   metadata's, else its first article's, else its first line (40
   characters at most), else source. */
json_t *view_page_title(const struct reader_page *rp, const char *source);

/* The lead of article a, as a page view lists it: the start of its
   text (its paragraphs run together; a photo's caption when it has
   none), LEAD_CHARS characters at most, cut at a character with "…";
   null when it has no text. Copied into the arena m. */
mval view_lead(struct model *m, const struct seg_article *a);

/* What a page view shows besides the site: its source file and
   encoding, its title, its place among the pages (archive_page_nav, or
   NULL), the count models of its articles, and its scan (the page's
   entry's, scans.h; NULL when it has none). */
struct page_view {
	const char *source, *encoding;
	const json_t *title, *nav, *scan;
	struct model_list *articles;
	size_t count;
};

/* The page view pv in the arena m, to be written to relpath: site, the
   way up to the root, and page {title, heading, source, encoding,
   articles, count, scan, nav}; heading is the nav's (松江报 2024年4月9日
   第01版 要闻), else the title. The strings must outlive the render. */
mval view_page(struct model *m, mval site, const char *relpath, const struct page_view *pv);

#endif
