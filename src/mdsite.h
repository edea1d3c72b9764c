/*
 * mdsite: the Markdown files of content/ that are not articles, and the
 * files every Markdown file links to.
 *
 *   a standalone page   front matter `type: page`: content/about.md is
 *                       about.html (its path as a page's slug, view.h),
 *                       rendered by the archive through standalone.mustache,
 *                       linked from every page's footer as site.pages
 *                       (by weight, then title), in the sitemap, and in
 *                       the search index with `search: true`
 *   an intro            `_index.md` in a paper's folder, or `type: intro`
 *                       with `district:`: shown at the top of that
 *                       paper's page or that district's listing
 *   linked files        what the Markdown of any file (articles too) links
 *                       to under content/, copied to media/ (markdown.h)
 *
 * Articles stay in the scan for the page jobs (reader.h reads them);
 * pages and intros are set aside there (scan_page.aside).
 */
#ifndef BAOKU_MDSITE_H
#define BAOKU_MDSITE_H

#include <jansson.h>

#include "encoding.h"
#include "strlist.h"

struct fingerprint;
struct chars;
struct gazetteer;
struct search_entry;
struct output;
struct scan;

struct mdsite_doc; /* one page or intro, as read */

struct mdsite {
	struct mdsite_doc *v;
	size_t n, cap;
	struct mdsite_asset *assets; /* linked files, with where each is first */
	size_t nassets, capassets;
};

/*
 * Reads every Markdown file the scan found (sc), sets its pages and
 * intros aside, renders the pages, and lists the files they all link to,
 * adding each to the fingerprint fp ("asset" lines). Returns 0, or -1
 * after reporting (bad metadata, a page whose path is the archive's own,
 * two pages at one path). Free ms with mdsite_free.
 */
int mdsite_read(struct mdsite *ms, struct scan *sc, const struct enc_options *eo,
                struct fingerprint *fp);

/* The footer's links, [{title, href}] by weight then title, or NULL when
   there are no pages. The caller owns the result. */
json_t *mdsite_links(const struct mdsite *ms);

/* The pages for the archive: [{title, href, html, source, search}], or
   NULL when there are none. The caller owns the result. */
json_t *mdsite_pages(const struct mdsite *ms);

/* The intros, {"SLUG": html} for a district (its listing's slug,
   songjiang or jiaxing/nanhu, placed by gz) and {"paper:NAME": html} for
   a paper, or NULL when there are none; warns of a district gz does not
   know. The caller owns the result. */
json_t *mdsite_intros(const struct mdsite *ms, const struct gazetteer *gz);

/* The search index's entries for the pages with `search: true` (their
   documents folded with ch), *entries' strings ms's: returns how many.
   Free with mdsite_search_free once the index is built. */
size_t mdsite_search(const struct mdsite *ms, const struct chars *ch,
                     struct search_entry **entries);
void mdsite_search_free(struct search_entry *entries, size_t n);

/* Copies every linked file from content to media/ of out: 0, or -1 after
   reporting a link to a file that is not there (at the link). */
int mdsite_copy(const struct mdsite *ms, const char *content, struct output *out);

void mdsite_free(struct mdsite *ms);

#endif
