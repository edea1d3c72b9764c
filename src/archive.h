/*
 * archive: the pages made from all articles together. Each is a page
 * model (JSON data) rendered through one template, on a helper thread
 * while the next model is built, and only when the previous build did not
 * render the same model (see output.h):
 *
 *   index.html                       home (home.mustache)
 *   articles/XX/ID.html              an article (article_page.mustache;
 *                                    written by archive_article)
 *   districts/index.html             every group by province (districts.mustache)
 *   districts/G/index.html, index.N.html          a group, newest first
 *   districts/G/S/index.html, index.N.html        a sub-group (district.mustache)
 *   people/index.html, people/P/index.html, index.N.html  people (people, person)
 *   tags/index.html, tags/T/index.html, index.N.html    tags (tags, tag), when
 *                                                        the metadata gives any
 *   dates/index.html, dates/YYYY-MM.html, dates/undated.html  by date
 *   pages/index.html, index.N.html   every printed page (pages.mustache)
 *   papers/index.html, papers/P/index.html, papers/P/DATE/index.html
 *                                    papers, issues (papers, paper, issue)
 *   search/index.html and its index  (search.mustache; see search.h)
 *   404.html, robots.txt             (404.mustache, robots.mustache)
 *   about.html, ...                  standalone pages (standalone.mustache)
 *   feed.xml, districts/G/feed.xml   Atom feeds (atom.mustache) } with base_url
 *   sitemap.xml                      every page (sitemap.mustache) }
 *
 * Links are relative and point at files, so the archive works from disk;
 * with pretty_urls they end at the directory instead.
 */
#ifndef BAOKU_ARCHIVE_H
#define BAOKU_ARCHIVE_H

#include <jansson.h>
#include <stdint.h>

#include "model.h"
#include "search.h"

struct archive_state;
struct chars;
struct config;
struct mu_env;
struct output;

struct archive {
	struct output *out;
	struct mu_env *env;
	const struct config *cfg;
	const struct chars *chars;   /* people's names in pinyin; search folding */
	json_t *site;                /* {title, lang, index} for every template */
	json_t *urls;                /* the sitemap's (NULL: none): paths, records */
	struct search_stats search;  /* filled: the search index's size */
	int verbose;                 /* print the time each part takes */
	int threads;                 /* for the search index */
	struct search_doc **docs;    /* each article's tokens, by serial */
	json_t *md_pages;            /* standalone pages, mdsite_pages; or NULL */
	json_t *intros;              /* districts' intros, mdsite_intros; or NULL */
	struct search_entry *extra;  /* searchable pages, after the articles */
	size_t nextra;
	struct archive_state *state; /* archive_build's own (archive_int.h) */
	/* called once every record and its neighbours are final, so that
	   the article pages can be made while the rest of the archive is */
	void (*ready)(void *arg);
	void *ready_arg;
	/* called once the search index is made, after which docs are not
	   read: so that they can be freed while the rest is made */
	void (*searched)(void *arg);
	void *searched_arg;
};

/*
 * Renders every page above. articles holds one record per article, in
 * page order, as site.c makes them (the article's fields, its district,
 * date, page and hrefs); pages the printed pages' index entries. Returns
 * 0, or -1 after reporting.
 */
int archive_build(struct archive *a, json_t *articles, json_t *pages);

/*
 * Writes the article page of the record r (one archive_build has seen)
 * from article, the article's whole model in m (as the page view has it,
 * with its original text and the record's fields over it, whose page_href
 * leads to its page view); key is what out_reuse was given for it.
 * Safe to call from several threads. Returns 0 or -1 after reporting.
 */
int archive_article(const struct archive *a, json_t *r, struct model *m, mval article,
                    uint64_t key);

/* What the article page of r is made of besides its page file: the
   record and its neighbours, as a hash (never 0). */
uint64_t archive_article_key(const struct archive *a, json_t *r);

/* The hash of a record (NULL: none), as archive_build keeps it once the
   records are final (0 before): what a page made of it is keyed by. */
uint64_t archive_serial_hash(const struct archive *a, const json_t *r);
/* ... of the record of serial (its place among the records archive_build
   was given), without finding it: 0 for none. */
uint64_t archive_serial_hash_at(const struct archive *a, size_t serial);

/*
 * The place of the page view at href (pages/NAME.html) in its paper, once
 * archive_build has reached the article pages (its ready call): heading
 * (松江报 2024年4月9日 第01版 要闻), label, paper, paper_href, date,
 * date_text, issue_href, prev and next ({href, label} in the issue),
 * pages (the issue's, {href, label, current}; null past 100 pages, and
 * listed false), prev_issue and next_issue
 * ({href, date, date_text}). Made when asked (each page's list of the
 * issue's pages would otherwise be held for every page); the caller owns
 * it. NULL for a page it does not know. Safe to call from several
 * threads.
 */
json_t *archive_page_nav(const struct archive *a, const char *href);

/* A key of what the nav of the page view at href is made from, which
   changes when the nav would (0 for a page it does not know): a view is
   kept by it without its nav made. */
uint64_t archive_page_nav_key(const struct archive *a, const char *href);

/* The link to the issue of the page view at href, as its nav gives it
   (issue_href), without the rest of the nav; the caller owns it. NULL
   for a page it does not know. */
json_t *archive_page_issue_href(const struct archive *a, const char *href);

/* Record r as its page view and its article page show it, once
   archive_build has reached the article pages (its ready call): its
   fields (view_record_over) and its names as links to their pages
   (reporter_links, photographer_links, tag_links, has_tags), made here
   rather than held in every record. In the arena m. */
mval archive_record_model(const struct archive *a, struct model *m, const json_t *r);

/* Frees what archive_build filled in. */
void archive_free(struct archive *a);

#endif
