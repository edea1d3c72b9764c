/*
 * views_entry: a page's index entry, what the archive holds of each page
 * for its page list, its issue and its articles' records (views.h).
 *
 * An entry is a JSON array with one slot a field, in S_keys' order: the
 * archive holds one for every page, and as an object its hash table and a
 * pair for each of its fourteen keys cost about a kilobyte more than the
 * slots. Its first slot is its count of articles (notices too), an
 * integer, where a record's is its text, a string: that is how the two
 * are told apart.
 *
 * Its briefs (the slot "articles") are a list of as many, a notice's
 * brief its own object and an article's true (made from its record when
 * shown); a page without notices, most of them, holds true for the whole
 * list.
 */
#include "views.h"

#include <stdatomic.h>
#include <string.h>

#include "mujson.h"
#include "reader.h"
#include "util.h"

/* The fields of an entry, in slot order. */
static const char *const S_keys[] = {
    "count",   "articles", "title",      "source",    "href", "date", "paper",
    "page_no", "section",  "page_label", "page_href", "tags", "scan", VIEW_FIRST_KEY};
#define KEYS (sizeof S_keys / sizeof *S_keys)
enum {
	COUNT,
	ARTICLES,
	TITLE,
	SOURCE,
	HREF,
	DATE,
	PAPER,
	PAGE_NO,
	SECTION,
	PAGE_LABEL,
	PAGE_HREF,
	TAGS,
	SCAN,
	FIRST
};
/* How a null slot reads: count to section (those every entry has, even
   null: view_record_shared's date, paper, page_no and section) as JSON
   null; page_label as null when the entry has a page_href (a printed
   page has one, with or without a label) and else as none, as a
   Markdown article has neither; the others (page_href, tags, scan, the
   link to its records) as none. */
#define ALWAYS SECTION

static int
S_slot(const char *key)
{
	for (size_t i = 0; i < KEYS; i++)
		if (*S_keys[i] == *key && !strcmp(S_keys[i], key))
			return (int)i;
	return -1;
}

int
view_entry_is(const json_t *e)
{
	return json_is_array(e) && json_array_size(e) == KEYS &&
	       json_is_integer(json_array_get(e, COUNT));
}

/* The value in slot i of entry e, or NULL when it has none (ALWAYS'
   comment): a null it has is json_null(). */
static const json_t *
S_at(const json_t *e, size_t i)
{
	const json_t *v = json_array_get(e, i);
	if (v && !json_is_null(v))
		return v;
	if (i <= ALWAYS || (i == PAGE_LABEL && S_at(e, PAGE_HREF)))
		return json_null();
	return NULL;
}

const json_t *
view_entry_get(const json_t *e, const char *key)
{
	int i = S_slot(key);
	return i >= 0 && view_entry_is(e) ? S_at(e, (size_t)i) : NULL;
}

int
view_entry_set(json_t *e, const char *key, json_t *v)
{
	int i = S_slot(key);
	if (i < 0 || !view_entry_is(e) || (i == COUNT && !json_is_integer(v))) {
		json_decref(v);
		return -1;
	}
	return json_array_set_new(e, (size_t)i, v ? v : json_null());
}

/* Whether briefs holds true for each of its count, no notice among them. */
static int
S_all_records(const json_t *briefs, size_t count)
{
	size_t i;
	const json_t *b;
	json_array_foreach (briefs, i, b)
		if (!json_is_true(b))
			return 0;
	return json_array_size(briefs) == count;
}

/* The JSON integer n, a new reference: for a page's count of articles,
   one shared by every page with as many below SHARED_COUNTS (nearly all
   of them: a million page files held 30 MB of their own). Made by the
   first thread to need it; never freed. */
#define SHARED_COUNTS 64
static json_t *
S_count(size_t n)
{
	static _Atomic(json_t *) shared[SHARED_COUNTS];
	if (n >= SHARED_COUNTS)
		return json_integer((json_int_t)n);
	json_t *v = atomic_load(&shared[n]);
	if (!v) {
		json_t *mine = json_integer((json_int_t)n);
		if (atomic_compare_exchange_strong(&shared[n], &v, mine))
			v = mine;
		else
			json_decref(mine); /* another thread's came first: v */
	}
	return json_incref(v);
}

/* A new entry, its slots null but its count's. */
static json_t *
S_new(size_t count)
{
	json_t *e = json_array();
	json_array_append_new(e, S_count(count));
	for (size_t i = 1; i < KEYS; i++)
		json_array_append_new(e, json_null());
	return e;
}

json_t *
view_entry(json_t *title, const char *source, const char *href, json_t *briefs, size_t count,
           const json_t *shared)
{
	json_t *e = S_new(count);
	view_entry_set(e, "articles",
	               S_all_records(briefs, count) ? json_true() : json_incref(briefs));
	view_entry_set(e, "title", title);
	view_entry_set(e, "source", json_string(source));
	view_entry_set(e, "href", json_string(href));
	for (size_t i = DATE; i <= TAGS; i++) { /* view_record_shared's, all of them */
		json_t *v = json_object_get(shared, S_keys[i]);
		if (v)
			view_entry_set(e, S_keys[i], json_incref(v));
	}
	return e;
}

/* Whether every one of list is a string (strings) or a brief (briefs:
   true or a notice's object). */
static int
S_all(const json_t *list, int briefs)
{
	size_t i;
	const json_t *v;
	json_array_foreach (list, i, v)
		if (briefs ? !json_is_true(v) && !json_is_object(v) : !json_is_string(v))
			return 0;
	return json_is_array(list);
}

/* Whether v (not NULL) may be the value of the field in slot i, as an
   entry of the page cache has it. */
static int
S_fits(size_t i, const json_t *v)
{
	switch (i) {
	case COUNT: return json_is_integer(v) && json_integer_value(v) >= 0;
	case ARTICLES: return S_all(v, 1);
	case TITLE:
	case SOURCE:
	case HREF:
	case PAGE_HREF: return json_is_string(v);
	case TAGS: return S_all(v, 0);
	case SCAN: return json_is_object(v);
	default: /* date, paper, page_no, section, page_label */
		return json_is_string(v) || json_is_null(v);
	}
}

json_t *
view_entry_from_object(const json_t *o)
{
	const json_t *count = json_object_get(o, "count"), *briefs = json_object_get(o, "articles");
	if (!S_fits(COUNT, count) || !S_fits(ARTICLES, briefs) ||
	    json_array_size(briefs) != (size_t)json_integer_value(count))
		return NULL;
	json_t *e = S_new((size_t)json_integer_value(count));
	for (size_t i = ARTICLES; i < FIRST; i++) { /* the link is this build's alone */
		json_t *v = json_object_get(o, S_keys[i]);
		if (!v ? i >= TITLE && i <= HREF /* every entry has them */ : !S_fits(i, v)) {
			json_decref(e);
			return NULL;
		}
		if (i == ARTICLES && S_all_records(v, json_array_size(v)))
			v = json_true();
		if (v)
			view_entry_set(e, S_keys[i], json_incref(v));
	}
	return e;
}

size_t
view_entry_records(const json_t *e)
{
	const json_t *briefs = S_at(e, ARTICLES);
	if (!json_is_array(briefs))
		return (size_t)json_integer_value(S_at(e, COUNT));
	size_t i, n = 0;
	const json_t *b;
	json_array_foreach (briefs, i, b)
		n += json_is_true(b);
	return n;
}

json_t *
view_entry_object(const json_t *e)
{
	json_t *o = json_object();
	for (size_t i = 0; i < KEYS; i++) {
		const json_t *v = S_at(e, i);
		if (i == ARTICLES && json_is_true(v)) { /* each of its count an article */
			json_t *list = json_array();
			for (json_int_t k = 0; k < json_integer_value(S_at(e, COUNT)); k++)
				json_array_append_new(list, json_true());
			json_object_set_new_nocheck(o, S_keys[i], list);
		} else if (v) {
			json_object_set_nocheck(o, S_keys[i], (json_t *)v);
		}
	}
	return o;
}

/* ---------------------------------------------------------------------
 * Its briefs
 * ------------------------------------------------------------------- */

json_t *
view_brief(const struct seg_article *a, int has_record)
{
	if (has_record)
		return json_true();
	json_t *b = json_object();
	json_object_set_new_nocheck(b, "id", json_string_nocheck(a->id));
	json_object_set_new_nocheck(b, "title", mujson_str(a->title));
	json_object_set_new_nocheck(b, "kicker", mujson_str(a->kicker));
	return b;
}

void
view_entry_link(json_t *entry, size_t first)
{
	view_entry_set(entry, VIEW_FIRST_KEY, json_integer((json_int_t)first));
}

/* What a brief shows of its article's record, and the key it shows it as. */
static const char *const S_brief_of[] = {"id", "title", "kicker", "href"};
static const char *const S_brief_keys[] = {"id", "title", "kicker", "article_href"};
#define BRIEF_KEYS (sizeof S_brief_keys / sizeof *S_brief_keys)

/* Calls fn with each brief of entry: a notice's own (b), or the record
   (r) of an article, in page order; records holds every page's. */
static void
S_each_brief(const json_t *entry, const json_t *records,
             void (*fn)(const json_t *b, const json_t *r, void *arg), void *arg)
{
	const json_t *first = S_at(entry, FIRST), *briefs = S_at(entry, ARTICLES);
	size_t k = (size_t)json_integer_value(first);
	size_t n = (size_t)json_integer_value(S_at(entry, COUNT));
	for (size_t i = 0; i < n; i++) {
		const json_t *b = json_is_array(briefs) ? json_array_get(briefs, i) : json_true();
		if (json_is_object(b))
			fn(b, NULL, arg);
		else if (first && k < json_array_size(records))
			fn(NULL, json_array_get(records, k++), arg);
	}
}

struct briefs_model {
	struct model *m;
	struct model_list *list;
};

static void
S_brief_model(const json_t *b, const json_t *r, void *arg)
{
	struct briefs_model *bm = arg;
	struct model_map *map = model_map(bm->m, BRIEF_KEYS, NULL);
	for (size_t i = 0; i < BRIEF_KEYS; i++) {
		mval v = b ? json_object_get(b, S_brief_keys[i])
		           : view_record_val(bm->m, r, S_brief_of[i]);
		if (v)
			model_set(bm->m, map, S_brief_keys[i], v);
	}
	model_push(bm->m, bm->list, model_map_val(map));
}

mval
view_briefs_model(struct model *m, const json_t *entry, const json_t *records)
{
	size_t n = (size_t)json_integer_value(S_at(entry, COUNT));
	struct briefs_model bm = {m, model_list(m, n)};
	S_each_brief(entry, records, S_brief_model, &bm);
	return model_list_val(bm.list);
}

static void
S_brief_json(const json_t *b, const json_t *r, void *arg)
{
	json_t *o = json_object();
	for (size_t i = 0; i < BRIEF_KEYS; i++) {
		json_t *v = b ? json_incref(json_object_get(b, S_brief_keys[i]))
		              : view_record_json(r, S_brief_of[i]);
		if (v)
			json_object_set_new_nocheck(o, S_brief_keys[i], v);
	}
	json_array_append_new(arg, o);
}

json_t *
view_briefs(const json_t *entry, const json_t *records)
{
	json_t *list = json_array();
	S_each_brief(entry, records, S_brief_json, list);
	return list;
}

/* ---------------------------------------------------------------------
 * As the templates see it
 * ------------------------------------------------------------------- */

/* Whether slot i is one of an entry's own fields, not its briefs nor its
   link to its records. */
static int
S_shown(size_t i)
{
	return i != ARTICLES && i != FIRST;
}

mval
view_entry_model(struct model *m, const json_t *entry, const json_t *records, mval over)
{
	struct model_map *map = model_map(m, KEYS, over);
	for (size_t i = 0; i < KEYS; i++) {
		const json_t *v = S_at(entry, i);
		if (v && S_shown(i))
			model_set(m, map, S_keys[i], (mval)v);
	}
	model_set(m, map, "articles", view_briefs_model(m, entry, records));
	return model_map_val(map);
}

static void
S_brief_hash(const json_t *b, const json_t *r, void *arg)
{
	uint64_t *h = arg;
	for (size_t i = 0; i < BRIEF_KEYS; i++) {
		uint64_t text = b ? 0 : view_record_text_hash(r, S_brief_of[i]);
		*h = text ? util_mix_u64(*h, text)
		          : mujson_hash(b ? json_object_get(b, S_brief_keys[i]) : json_null(), *h);
	}
}

uint64_t
view_entry_hash(const json_t *entry, const json_t *records, uint64_t h)
{
	for (size_t i = 0; i < KEYS; i++) {
		const json_t *v = S_at(entry, i);
		if (v && S_shown(i))
			h = mujson_hash(v, util_mix(h, S_keys[i], strlen(S_keys[i]) + 1));
	}
	S_each_brief(entry, records, S_brief_hash, &h);
	return h;
}
