/*
 * archive_int: what the files of the archive share, and no other module
 * sees. archive.c builds the archive in stages, one page family a file:
 *
 *   archive_emit.c      rendering on a helper thread, kept pages and the
 *                       keys they are kept by, links to listings, items
 *   archive_listing.c   the paginator, group listings, the page list
 *   archive_people.c    people's pages
 *   archive_dates.c     the date archive
 *   archive_feeds.c     Atom feeds and the sitemap
 *   archive_home.c      home, the district index, 404, robots.txt
 *   archive_article.c   article pages and their keys
 *   archive_papers.c    papers, their issues, and each page's place there
 *   archive_docs.c      standalone pages from Markdown
 *   archive_tags.c      tags' pages
 */
#ifndef BAOKU_ARCHIVE_INT_H
#define BAOKU_ARCHIVE_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "archive.h"
#include "config.h"
#include "hmap.h"
#include "model.h"
#include "views.h"

struct buf;
struct iss_set;
struct mu_data;

/* Where a page view is among the papers' issues: its paper, the number
   of its issue there and its position in the issue. */
struct page_place {
	uint32_t entry; /* its entry's number among the pages */
	uint32_t paper, issue, pos;
	uint32_t flat; /* its issue's number among all the papers' issues */
};

/* What archive_build works out for the pages made of the records, and
   for the article pages made beside it: each record's neighbours in its
   group and hash, by serial (see archive_article_key). */
struct archive_state {
	uint32_t *newer, *older; /* the neighbour's serial + 1, 0 for none */
	uint64_t *rhash; /* NULL until the records are final */
	size_t n;
	struct emitter *emitter; /* while archive_build runs: its rendering thread */
	struct iss_set *issues;  /* the papers and their issues (issues.h) */
	struct page_place *places; /* each page view's place among them, */
	size_t nplaces;
	struct hmap place_index;   /* ... by its href */
	uint64_t *issue_nav;       /* by an issue's flat number: what its pages'
	                              navs share, hashed (archive_page_nav_key) */
	json_t *pages;           /* the printed pages' index entries */
	uint32_t *in_print;      /* their numbers in the papers' order (archive_issues') */
	uint64_t *entry_keys;    /* by number: what an issue's page and the printed
	                            pages' list show of each (S_entry_key) */
	const json_t *records;   /* the records given, each at its serial */
	struct hmap serials;     /* of records, by their address */
	json_t *person_links;    /* each person's link {name, href}, by name */
	json_t *tag_links;       /* each tag's, the same */
};

/* The link of each of owners (people, tags: objects with an href, by
   name) to its pages, {name, href}, by name: what the pages of their
   articles link their names with (archive_record_model). */
json_t *archive_links(const json_t *owners);

/* Folds the links of r's names into h (they are part of what its pages
   show). */
uint64_t archive_links_hash(const struct archive_state *st, const json_t *r, uint64_t h);

/* The record newer (or older) than the record of serial in its group,
   NULL for none. */
const json_t *archive_neighbour(const struct archive_state *st, size_t serial, int older);

/* A record's serial: its place among the records archive_build was
   given, in page order, or (size_t)-1 for none of them. Kept beside the
   records rather than in each. Safe from several threads. */
size_t archive_serial(const struct archive_state *st, const json_t *r);

/* ---------------------------------------------------------------------
 * Records (archive.c)
 * ------------------------------------------------------------------- */

/* The string member key of o, "" when it has none. */
const char *archive_str(const json_t *o, const char *key);

/* The folders of a district's group and sub-group, appended to group
   and sub (districts/G, districts/G/S; the group's again when the
   district has no sub-group). */
void archive_district_dirs(const json_t *district, struct buf *group, struct buf *sub);

/* The keys of obj in byte order; the caller frees the array (not the
   keys, which obj owns). */
const char **archive_sorted_keys(json_t *obj, size_t *n);

/* ---------------------------------------------------------------------
 * Emitting (archive_emit.c)
 * ------------------------------------------------------------------- */

/* Renders template `name` with model, data's kind of value, to relpath,
   unless the previous build rendered it under the same key: 0, or -1
   after reporting. */
int archive_render_data(const struct archive *a, const char *name, const struct mu_data *data,
                        const void *model, const char *relpath, uint64_t key);

/* Gives an arena model's map what every page's model has: the site's
   settings and root, the way from relpath up to the output's root. */
void archive_site_root(const struct archive *a, struct model *m, struct model_map *map,
                       const char *relpath);

/* Starts and finishes the helper thread that renders what the emit
   functions queue (while archive_build runs): finishing waits for the
   queue to empty, 0, or -1 when a page failed. */
struct emitter;
struct emitter *archive_emitter_start(struct archive *a);
int archive_emitter_finish(struct archive *a, struct emitter *e);

/* Whether the previous build made relpath from the same inputs (key, not
   0): then it is kept, and its model need not even be built. */
int archive_kept(const struct archive *a, const char *relpath, uint64_t key);

/* Renders template `name` with the jansson model to relpath, now or on the
   helper thread, under key (0: a hash of the model); the model must not
   change afterwards. Records the page for the sitemap. 0, or -1 after
   reporting (a failure on the helper thread is reported when the
   emitter finishes). */
int archive_emit_key(const struct archive *a, const char *name, json_t *model, const char *relpath,
                     uint64_t key);
int archive_emit(const struct archive *a, const char *name, json_t *model, const char *relpath);

/* As archive_emit_key, for the arena model m (malloc'd), whose map root
   gets site and root here; m is freed once the page is rendered. key must
   not be 0. */
int archive_emit_model(const struct archive *a, const char *name, struct model *m,
                       struct model_map *root, const char *relpath, uint64_t key);

/* A link to a listing page: DIR/index.html, or DIR/ with pretty_urls. */
void archive_dir_link(const struct archive *a, const char *dir, struct buf *out);
json_t *archive_dir_href(const struct archive *a, const char *dir);

/* An item, the short form of an article for listings: its record's
   title, kicker, href, date, excerpt, district, reporters, and where it
   was printed: paper, page_label, page_href. */
extern const char *const archive_item_keys[];
#define ARCHIVE_ITEM_KEYS 10
json_t *archive_item(const json_t *r);
/* The same, in an arena model: a view of the record's values, which stay
   as they are until the archive is built. */
mval archive_item_model(struct model *m, const json_t *r);

/* The items of records[from, to) (a listing's page) as a list of m. */
struct model_list *archive_items_model(struct model *m, const json_t *records, size_t from,
                                       size_t to);

/* The views of owner (a person, a tag) under href, through the template
   kind: its articles, page_size a view (archive_view_range), with its
   members keys: the first (its name) on every view, the others (its
   counts) on its front page alone. A view the last build made from the
   same is kept. Returns 0 or -1. */
struct item_hashes;
int archive_owner_pages(const struct archive *a, const char *kind, json_t *owner,
                        const char *const *keys, size_t nkeys, const char *href,
                        struct item_hashes *ihash);

/* The member key of o, held by the model m (see model_hold). */
mval archive_held(struct model *m, json_t *o, const char *key);

/* The hashes of objects records share (their district: one object for
   all the articles of a place), by address, so that each is hashed once.
   Zero it to start; free with archive_shared_free. */
struct shared_hashes {
	struct shared {
		const json_t *obj;
		uint64_t hash;
	} * v;
	size_t n, cap;
	struct hmap index; /* of v, by obj */
};
void archive_shared_free(struct shared_hashes *sh);

/* What archive_item_hash keeps: each record's item hash by serial (0 when
   not yet taken), and the shared objects' hashes. A record's item hash is
   its archive_record_hash: all that an item shows of it and the rest of
   what it holds, so that the record is hashed once a build, for the
   listings that show it and for its own page (S_hash_records adds the
   links of its names). A change an item does not show makes its
   listings again. */
struct item_hashes {
	const struct archive_state *state; /* whose serials the memo is by */
	uint64_t *memo;
	size_t n;
	struct shared_hashes shared;
};

/* A hash of record r, of all that archive_item shows of it: ih's memo of
   it, made and kept there when it has none. */
uint64_t archive_item_hash(const json_t *r, struct item_hashes *ih);

/* The item hash of each of sorted's n records (archive_build's), made on
   threads beforehand, so that the people's and tags' pages only look
   them up; free with archive_item_hashes_free. */
void archive_item_hashes_start(const struct archive *a, json_t **sorted, size_t n,
                               struct item_hashes *ih);
void archive_item_hashes_free(struct item_hashes *ih);

/* Sets out[i] to fn(ctx, i) for each i below n, on a->threads threads:
   the keys of many pages, made before the pages are (kept or made) one
   by one. fn must only read. */
typedef uint64_t (*archive_key_fn)(const void *ctx, size_t i);
void archive_keys(const struct archive *a, size_t n, archive_key_fn fn, const void *ctx,
                  uint64_t *out);

/* Sets out[serial] to fn's hash of each of sorted's n records (by its
   serial), on a->threads threads, each with shared hashes of its own.
   fn must only read the records and st. */
typedef uint64_t (*archive_hash_fn)(const struct archive_state *st, const json_t *r,
                                    struct shared_hashes *sh);
void archive_hash_all(const struct archive *a, json_t **sorted, size_t n, archive_hash_fn fn,
                      uint64_t *out);

/* A record's hash without its serial number, which only says where it
   came in this build: pages added before it shift it. */
uint64_t archive_record_hash(const json_t *r, struct shared_hashes *sh);


/* ---------------------------------------------------------------------
 * The page families
 * ------------------------------------------------------------------- */

/* The file of view v of a listing in its directory: index.html (v 0),
   then index.V.html. */
void archive_view_file(size_t v, struct buf *out);

/*
 * A listing of n articles (or printed pages), newest first, size a view, shows its newest
 * on its front page (view 0, index.html), with what changes with every
 * article (the count, the sub-groups' counts). When there are more, the
 * slices 1, 2, ... (index.1.html, index.2.html ...; archive_slices of
 * them) hold size articles each counted from the oldest, the newest
 * slice what is left, and show only their articles and their pager:
 * adding an article changes the front page and the newest slice (and
 * the pagers of the three below it), where pages cut from the newest
 * would all change with it, thousands of them in a large district.
 * archive_view_range gives the articles of view v, [from, to) of the
 * newest-first list; archive_view_key mixes into key what view v's
 * pager shows; archive_view_pager_model adds it to the view's model:
 * paged, front, page (v), start (the oldest-first number of its first
 * article, for a reversed list), prev and next (the newer view and the
 * older), and pager: the front page, the slices near this one, the
 * oldest, gaps between (templates/partials/pager).
 */
size_t archive_slices(size_t n, size_t size);
void archive_view_range(size_t n, size_t size, size_t v, size_t *from, size_t *to);
uint64_t archive_view_key(size_t n, size_t size, size_t v, uint64_t key);
void archive_view_pager_model(const struct archive *a, struct model *m, struct model_map *model,
                              size_t v, size_t n, size_t size);

/* Every group's and sub-group's listing: DIR/index.html, then its
   slices DIR/index.1.html ... (district.mustache). 0 or -1. */
int archive_listings(const struct archive *a, json_t *groups);

/* The n records or page entries of list, newest first (the undated
   last), then by their source files (by_source) and their order in
   list: a new array of them, and (when at is not NULL) each one's place
   in list in at. */
json_t **archive_newest_first(json_t *list, size_t n, int by_source, size_t *at);

/* The printed pages (pages: archive_issues' entries, in the papers'
   order), newest first, as a listing of articles is paged:
   pages/index.html, then its slices pages/index.1.html ...
   (pages.mustache). 0 or -1. */
int archive_page_list(const struct archive *a, json_t *pages);

/* People's pages and their index; links the records' names to them.
   ihash: the records' item hashes (archive_item_hashes_start). */
int archive_people(const struct archive *a, json_t **sorted, size_t n,
                   struct item_hashes *ihash);

/* Tags' pages, as people's, from the records' tags (archive_tags.c). */
int archive_tags(const struct archive *a, json_t **sorted, size_t n, struct item_hashes *ihash);

/* The date archive: its index, a page a month, the undated. */
int archive_dates(const struct archive *a, json_t **sorted, size_t n);

/* A month's calendar: weeks of seven cells, blank before the 1st, each
   day {day, href} with links[d] as its link (NULL: none). */
json_t *archive_calendar(int y, int m, json_t *const links[32]);

/* The papers and their issues of the printed pages' entries (index
   order), and each page's place among them for its view (see
   archive_page_nav). Returns the
   entries in the papers' order (paper, date, page), which the caller
   frees; the rest is freed by archive_issues_free (archive_free calls
   it). */
json_t *archive_issues(struct archive *a, json_t *pages);
void archive_issues_free(struct archive_state *st);

/* The heading of the page view of index entry e, as its nav gives it
   (made when asked: an entry for each printed page holds only its own
   fields); NULL for a page without a place. The caller owns it. */
json_t *archive_page_heading(const struct archive *a, const json_t *e);

/* Every paper as the papers' index and the home page list it: name,
   link, dates, issues, pages, its latest issue. The caller owns it. */
json_t *archive_paper_list(const struct archive *a);

/* The papers' pages: papers/index.html, each paper's, each issue's. */
int archive_papers(const struct archive *a, json_t *pages);

/* The district index and the home page. */
int archive_home(const struct archive *a, json_t *groups, json_t **sorted, size_t n,
                 size_t page_count);

/* What every archive has: 404.html (its links absolute with base_url, so
   that it works served for a missing URL at any depth) and robots.txt. */
int archive_fixed_pages(const struct archive *a);

/* The standalone pages, a->md_pages (archive_docs.c). */
int archive_standalone(const struct archive *a);

/* Atom feeds for the archive and each group, and the sitemap. */
int archive_feeds(const struct archive *a, json_t **sorted, size_t n, json_t *groups);

#endif
