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
#include <stdint.h>

#include "model.h"

struct buf;
struct meta;
struct reader_page;
struct seg_article;
struct spill;

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
   tags when it has any), from its metadata m: one object for them all.
   A page's index entry holds them too (view_entry, which knows these
   keys: one added here is added there). */
json_t *view_record_shared(const char *source, const struct meta *m);

/* The record of article a (not a notice): id, title, kicker, reporters,
   photographers, continued_from, continues_on (each only when the
   article has one: absent reads as empty), district (the object given,
   shared), href, excerpt and was (its id of before, ids.h, when that is
   another). view_record_link adds its page's
   fields, the archive the rest. The caller owns the result.

   A record is a JSON array with one slot a field, its text fields (id,
   title, kicker, excerpt, href, was) packed in one string (views_record.c),
   read and written only through the functions below: the archive holds
   one for every article, and as an object, its hash table and a pair
   for each key cost about a kilobyte more than the slots. */
json_t *view_record(const struct seg_article *a, json_t *district);
/* A record's fields of its printed page (source, date, paper, page_no,
   section, page_label, page_href, tags: view_record_shared's) are not
   copied into each record, which the archive holds for every article,
   but read from its page's index entry, linked in the field
   VIEW_PAGE_KEY. */
#define VIEW_PAGE_KEY "@page"

/* Links each of the n records to entry, the index entry of their page,
   for its fields (a reference: the entry must not link back to them);
   a record's title the same as the page's is then read from the page,
   not kept twice. */
void view_record_link(json_t *const *records, size_t n, const json_t *entry);

/* Whether key is one of a record's text fields (id, title, kicker,
   excerpt, href, was) or its page's (source, page_href:
   view_entry_is_text), which view_record_get does not give but a
   record's own page_href. */
int view_record_is_text(const char *key);

/* The value of key in record r: its own, else its page's; NULL when
   neither has one (a null field of its own is none), but for district,
   which reads as JSON null when empty; NULL for a text field. A page's
   field reads as its entry gives it (view_entry_get: date, say, as JSON
   null when the page has none). Of an object, its member; of an entry,
   its field. */
const json_t *view_record_get(const json_t *r, const char *key);

/* The string of key in record r (a text field, or a string of its own or
   its page's), its length in *len (len may be NULL); NULL when it has
   none, for an excerpt in the scratch file (view_records_spool: read
   it with view_record_text) and for an href that is not kept
   (view_record_href). It lasts as long as r and its page's fields,
   until any text field of r is set (they are one string). Of an object,
   its member's. */
const char *view_record_str(const json_t *r, const char *key, size_t *len);

/* The href of record r, its article page: made again in h when the
   record does not keep it, being named by its id or former id, as
   nearly all are; of a page's entry, its own (view_entry_href's); of an
   object, its own. NULL when it has none. It lasts as long as r and h. */
#define VIEW_HREF_SIZE 160
struct view_href {
	char s[VIEW_HREF_SIZE];
};
const char *view_record_href(const json_t *r, struct view_href *h);

/* What names a record or a page's entry among the pages published (the
   manifest's row, published.h): each string "" when it has none, and the
   hash of its excerpt (view_record_text_hash's), 0 when it has none or an
   empty one. One unpacking of a record's text and one look at its page's
   entry, where view_record_str takes one of each a field. */
struct view_ident {
	const char *id, *title, *paper, *date, *page_no;
	uint64_t excerpt;
};
void view_record_ident(const json_t *r, struct view_ident *v);

/* Appends the text of key in record r to out, read back from the scratch
   file when it is there: 1, 0 when r has none, -1 when it cannot be read. */
int view_record_text(const json_t *r, const char *key, struct buf *out);

/* util_fnv of the text of key in record r (kept with an excerpt in the
   scratch file, so that it need not be read); 0 when r has none. */
uint64_t view_record_text_hash(const json_t *r, const char *key);
/* view_record_text_hash of each of the n keys, into out, its text
   unpacked once (0 for a key that is no text field). */
void view_record_text_hashes(const json_t *r, const char *const *keys, size_t n, uint64_t *out);

/* Puts the excerpts of the n records (a page's, as read) aside in the
   scratch file through sp (spill.h): the archive holds a record for every
   article, and an excerpt is most of one. An excerpt that cannot be put
   stays. They can be read once sp is flushed; the file must outlive the
   records. */
void view_records_spool(json_t *const *records, size_t n, struct spill *sp);

/* The n records, each with its excerpt and its title in it again and
   without its link to its page (for the page cache, which outlives the
   scratch file and the build): a new JSON array, sharing what it can;
   NULL when an excerpt cannot be read back. */
json_t *view_records_portable(json_t *const *records, size_t n);

/* The value of key in record r as a model value of the arena m (a text
   field empty: null; any other, view_record_get's), or as a new JSON
   reference (the text copied). */
mval view_record_val(struct model *m, const json_t *r, const char *key);
json_t *view_record_json(const json_t *r, const char *key);

/* The fields of r named by keys[0..n) that it has (view_record_val's),
   as a new JSON object or a map of the arena m: an item in a listing. */
json_t *view_record_pick(const json_t *r, const char *const *keys, size_t n);
mval view_record_pick_model(struct model *m, const json_t *r, const char *const *keys, size_t n);

/* Sets the field key of record r to v, whose reference it takes (NULL or
   null: none; a string for a text field). key must be one of a record's
   fields (view_record's, the archive's: continues_href, continued_href,
   first_half_reporters, page_href); returns 0, or -1 (v released) when
   it is not, or r is no record. */
int view_record_set(json_t *r, const char *key, json_t *v);

/* Whether r has the shape of a record (as a damaged cache might not). */
int view_record_valid(const json_t *r);

/* Calls fn with each field record r has: its text fields (v NULL, text
   the hash of the text, view_record_text_hash's), then the others in
   slot order (v), then each of its page's fields (not with the link to
   its page). */
typedef void (*view_field_fn)(const char *key, const json_t *v, uint64_t text, void *arg);
void view_record_each(const json_t *r, view_field_fn fn, void *arg);

/* Record r as the templates see it, its page's fields among its own, in
   the arena m (NULL for NULL). */
mval view_record_over(struct model *m, const json_t *r);

/* A page's index entry: what the archive holds of each printed page (and
   Markdown article) for its page list, its issue and its articles'
   records, read and written only through the functions below
   (views_entry.c). Its fields: count (of its articles, notices too),
   articles (their briefs), its text fields title, source, href (its
   view) and page_href, and its records' other shared fields
   (view_record_shared's: date, paper, page_no, section, page_label,
   tags); scan when it has one (scans.h), and the link to its records
   (view_entry_link).

   view_entry makes one: title (its reference taken), source and href,
   and page_href from shared, copied; briefs, one for each of count,
   articles and notices (view_brief's), kept as a reference when a
   notice is among them (else the entry needs none); the rest of shared
   borrowed. */
json_t *view_entry(json_t *title, const char *source, const char *href, json_t *briefs,
                   size_t count, const json_t *shared);

/* Whether e is an entry (not a record, nor an object). */
int view_entry_is(const json_t *e);

/* Whether key is one of an entry's text fields (title, source, href,
   page_href), which view_entry_get does not give: view_entry_str does. */
int view_entry_is_text(const char *key);

/* The value of key in entry e: NULL when it has none, JSON null when it
   has a null one, as an object of its fields would have it (count, date,
   paper, page_no and section it always has; page_label when it has a
   page_href); NULL for a text field. Its briefs ("articles") may be
   true, for all of them records': read them with view_briefs. */
const json_t *view_entry_get(const json_t *e, const char *key);

/* The string of key in entry e (a text field, or a string field), its
   length in *len (len may be NULL); NULL when it has none, and for an
   href or page_href that is not kept (view_entry_href). It lasts until
   a text field of e is set or e is linked (they are one string). */
const char *view_entry_str(const json_t *e, const char *key, size_t *len);

/* Where entry e's page was printed: its paper, date, page_no, section
   and source, each "" when it has none, read at once (view_entry_str's
   of each would unpack its text each time). They last as long as
   view_entry_str's. */
struct view_entry_place {
	const char *paper, *date, *page_no, *section, *source;
};
void view_entry_place(const json_t *e, struct view_entry_place *p);

/* The href (its view) or page_href (key) of entry e: its own, or made
   again in h from its paper, date and page, which make it (ids_view_path)
   for nearly every printed page, when e does not keep it. NULL when it
   has none. It lasts as long as view_entry_str's and h. */
const char *view_entry_href(const json_t *e, const char *key, struct view_href *h);

/* Sets the field key of entry e to v, whose reference it takes (NULL:
   null, which reads as none but for the fields it always has): 0, or -1
   (v released) when key is none of an entry's fields, e no entry, a
   count no integer, or a text field no string (title, source and href)
   or one with a NUL in it. */
int view_entry_set(json_t *e, const char *key, json_t *v);

/* Entry e as a JSON object of its fields (for the page cache), its
   briefs listed in full; and an entry made from one: NULL when it lacks
   a count (an integer), its briefs (each true or an object, as many as
   its count), a title, a source or an href (strings without a NUL), or
   a field has a type it cannot (page_href such a string, tags strings,
   scan an object, the others a string or null). Its link to records is
   this build's alone: left out, and not taken from an object. */
json_t *view_entry_object(const json_t *e);
json_t *view_entry_from_object(const json_t *o);

/* How many of the briefs of entry e are articles' (their records). */
size_t view_entry_records(const json_t *e);

/* The brief of article a as its page's index entry holds it
   ("articles"): true for an article with a record, whose brief is made
   from it when shown (the archive holds every entry, and a brief of its
   own cost a hash table per article), or, for a notice, which has no
   record, its id, title and kicker. */
json_t *view_brief(const struct seg_article *a, int has_record);

/* Links the index entry of a page to the records of its articles, which
   its briefs are made from: the first is the archive's record first, the
   others follow in page order. */
void view_entry_link(json_t *entry, size_t first);

/* The briefs of the entry of a page, as the templates see them: id,
   title, kicker, and article_href but for a notice; records holds the
   archive's records. As a list in the arena m, or a new JSON array. */
mval view_briefs_model(struct model *m, const json_t *entry, const json_t *records);
json_t *view_briefs(const json_t *entry, const json_t *records);

/* The entry of a page as the templates see it, its briefs made (in the
   arena m), over's keys (a map, or NULL) winning over its own; and a hash
   of what it shows, folded into h. */
mval view_entry_model(struct model *m, const json_t *entry, const json_t *records, mval over);
uint64_t view_entry_hash(const json_t *entry, const json_t *records, uint64_t h);

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
	const char *source, *encoding, *title;
	const json_t *nav, *scan;
	struct model_list *articles;
	size_t count;
};

/* The page view pv in the arena m, to be written to relpath: site, the
   way up to the root, and page {title, heading, source, encoding,
   articles, count, scan, nav}; heading is the nav's (松江报 2024年4月9日
   第01版 要闻), else the title. The strings must outlive the render. */
mval view_page(struct model *m, mval site, const char *relpath, const struct page_view *pv);

#endif
