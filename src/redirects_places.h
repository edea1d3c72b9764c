/*
 * redirects_places: where this build's articles and page views are, by
 * the names they had before and by their printed page, for the
 * redirects to find where a URL no longer published now leads
 * (redirects.c). Made only once such a URL is found.
 *
 * It holds tables of numbers into the build's records and entries, not
 * their keys: a key is made again from its record or entry when one is
 * compared. At a million page files the tables take about 60 MB, where
 * JSON objects of the same keys took 800.
 *
 *   struct rplaces *p = rplaces_make(records, entries);
 *   const char *to = rplaces_former(p, "articles/ab/ab12....html", &h);
 *   for (long i = rplaces_first(p, "松江报\t2024-04-09\t01"); i >= 0;
 *        i = rplaces_next(p, i))
 *           ... json_array_get(records, i) ...
 *   rplaces_free(p);
 */
#ifndef BAOKU_REDIRECTS_PLACES_H
#define BAOKU_REDIRECTS_PLACES_H

#include <jansson.h>

struct buf;
struct view_href;
struct rplaces;

/* The places of records (this build's articles, archive.h) and entries
   (its printed pages' index entries), which must outlive them and not
   change while they are used. */
struct rplaces *rplaces_make(const json_t *records, const json_t *entries);
void rplaces_free(struct rplaces *p);

/* "PAPER\tDATE\tKEY" of a record or an entry (KEY ids_page_key's of its
   page_no) appended to out; nothing when one of them is unknown. */
void rplaces_ident(const json_t *o, struct buf *out);

/* Whether an entry whose href is href is a printed page's, with a view
   (a Markdown article's entry is its article page). */
int rplaces_is_view_href(const char *href);

/* The href now of what was published at path under another name: an
   article under its former id (articles/XX/ID.html), a page view under
   the name made from its file (pages/NAME.html) when its href is not
   that. Made in h when not kept; NULL when none was. */
const char *rplaces_former(const struct rplaces *p, const char *path, struct view_href *h);

/* The records of printed page ident (rplaces_ident's), in the order of
   records: the first's number there, then each next's; -1 after the
   last. */
long rplaces_first(const struct rplaces *p, const char *ident);
long rplaces_next(const struct rplaces *p, long i);

/* The entry of the first page view of printed page ident, or NULL. */
const json_t *rplaces_view(const struct rplaces *p, const char *ident);

#endif
