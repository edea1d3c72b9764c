/*
 * views_entry: a page's index entry, what the archive holds of each page
 * for its page list, its issue and its articles' records (views.h).
 *
 * An entry is a JSON array with one slot a field, in S_keys' order: the
 * archive holds one for every page, and as an object its hash table and a
 * pair for each of its keys cost about a kilobyte more than the slots.
 * Its first slot is its count of articles (notices too), an integer,
 * where a record's is its text, a string: that is how the two are told
 * apart. It has eight slots but for a page with tags or a scan, which
 * fit in the table jansson gives an array at first.
 *
 * Its text fields (title, source, href, page_href) and its link to its
 * records are one string in the slot "@text", as a record's are
 * (views_record.c): a byte saying what is there ('@' plus TEXT_* bits),
 * the archive's number of its first record in hex and a NUL when it is
 * linked, then each field's bytes and a NUL, page_href only when it is
 * there and not the href (as it is for a printed page, whose view is
 * both). A JSON string costs a 48-byte value and an allocation of its
 * own: four of them, and an integer for the link, took about 200 bytes
 * a page more. The href is left out too when it is the one the entry's
 * paper, date and page make (ids_view_path), as a printed page's nearly
 * always is: about 60 bytes a page (pages/ and an escaped paper name),
 * made again when read (view_entry_href).
 *
 * Its briefs (the slot "articles") are a list of as many, a notice's
 * brief its own object and an article's true (made from its record when
 * shown); a page without notices, most of them, holds true for the whole
 * list.
 */
#include "views.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ids.h"
#include "mujson.h"
#include "reader.h"
#include "util.h"

/* The fields of an entry that are slots, in slot order. */
static const char *const S_keys[] = {"count",   "articles", "@text",      "date", "paper",
                                     "page_no", "section",  "page_label", "tags", "scan"};
#define KEYS (sizeof S_keys / sizeof *S_keys)
enum { COUNT, ARTICLES, TEXT, DATE, PAPER, PAGE_NO, SECTION, PAGE_LABEL, TAGS, SCAN };
/* How a null slot reads: count to section (those every entry has, even
   null: view_record_shared's date, paper, page_no and section) as JSON
   null; page_label as null when the entry has a page_href (a printed
   page has one, with or without a label) and else as none, as a
   Markdown article has neither; tags and scan as none. */
#define ALWAYS SECTION

/* Its text fields, in the order they are packed. */
static const char *const S_text_keys[] = {"title", "source", "href", "page_href"};
enum { TITLE, SOURCE, HREF, PAGE_HREF, TEXTS };
#define TEXT_MARK      0x40 /* the first byte: this and the bits below */
#define TEXT_PAGE_HREF 1    /* it has a page_href ... */
#define TEXT_SAME      2    /* ... which is its href, not packed again */
#define TEXT_LINKED    4    /* its first record's number is there */
#define TEXT_HREF_MADE 8    /* its href is not packed: S_made_href's */
#define TEXT_BITS      15

/* An entry's text fields, unpacked: each NULL when it has none, and the
   href (and a page_href that is the href) when it is made again from the
   entry's fields, until S_make makes it. */
struct entry_text {
	const char *s[TEXTS];
	size_t len[TEXTS];
	unsigned bits; /* TEXT_* as packed */
	int linked;    /* to its records: the first is the archive's first */
	size_t first;
	char href[VIEW_HREF_SIZE]; /* S_make's (not to be copied: s[] may point here) */
};

/* The place of key among the n names, or -1. */
static int
S_index(const char *const *names, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (*names[i] == *key && !strcmp(names[i], key))
			return (int)i;
	return -1;
}

int
view_entry_is(const json_t *e)
{
	size_t n = json_array_size(e);
	return json_is_array(e) && n > PAGE_LABEL && n <= KEYS &&
	       json_is_integer(json_array_get(e, COUNT));
}

/* Unpacks the n bytes at p into t: 0, or -1 when they are not an
   entry's packed text. */
static int
S_unpack(const char *p, size_t n, struct entry_text *t)
{
	memset(t->s, 0, sizeof t->s);
	memset(t->len, 0, sizeof t->len);
	t->linked = 0;
	t->first = 0;
	if (!p || !n || (p[0] & ~TEXT_BITS) != TEXT_MARK)
		return -1;
	unsigned bits = t->bits = (unsigned char)p[0] & TEXT_BITS;
	size_t at = 1;
	if (bits & TEXT_LINKED) {
		const char *end = memchr(p + at, 0, n - at), *q = p + at;
		uint64_t first;
		if (!end || util_number(&q, 16, '\0', &first) < 0 || q != end || first > SIZE_MAX)
			return -1;
		t->linked = 1;
		t->first = (size_t)first;
		at = (size_t)(end - p) + 1;
	}
	size_t fields = bits & TEXT_PAGE_HREF && !(bits & TEXT_SAME) ? TEXTS : PAGE_HREF;
	for (size_t i = 0; i < fields; i++) {
		if (i == HREF && bits & TEXT_HREF_MADE)
			continue;
		const char *end = at < n ? memchr(p + at, 0, n - at) : NULL;
		if (!end)
			return -1;
		t->s[i] = p + at;
		t->len[i] = (size_t)(end - (p + at));
		at = (size_t)(end - p) + 1;
	}
	if (bits & TEXT_SAME) {
		t->s[PAGE_HREF] = t->s[HREF];
		t->len[PAGE_HREF] = t->len[HREF];
	}
	return at == n ? 0 : -1;
}

/* Unpacks the text of entry e into t, its href left to S_make when it
   is not kept: 0, or -1 when e has no text. */
static int
S_text(const json_t *e, struct entry_text *t)
{
	const json_t *v = json_array_get(e, TEXT);
	return S_unpack(json_string_value(v), json_string_length(v), t);
}

/* The href that entry e's paper, date and page make (ids_view_path) in
   out: its length, or 0 when they make none or it would not fit. */
static size_t
S_made_href(const json_t *e, char out[VIEW_HREF_SIZE])
{
	return ids_view_path_in(json_string_value(json_array_get(e, PAPER)),
	                        json_string_value(json_array_get(e, DATE)),
	                        json_string_value(json_array_get(e, PAGE_NO)), out, VIEW_HREF_SIZE);
}

/* Makes the href of t, text of entry e, when it is not kept (and the
   page_href that is the same): 0, or -1 when e's fields make none. */
static int
S_make(const json_t *e, struct entry_text *t)
{
	if (!(t->bits & TEXT_HREF_MADE) || t->s[HREF])
		return 0;
	size_t n = S_made_href(e, t->href);
	if (!n)
		return -1;
	t->s[HREF] = t->href;
	t->len[HREF] = n;
	if (t->bits & TEXT_SAME) {
		t->s[PAGE_HREF] = t->href;
		t->len[PAGE_HREF] = n;
	}
	return 0;
}

/* S_text, then S_make: every text field of e in t. */
static int
S_text_all(const json_t *e, struct entry_text *t)
{
	return S_text(e, t) == 0 ? S_make(e, t) : -1;
}

/* Packs t (every field made: S_text_all) as the text slot of e, the href
   left out when e's paper, date and page make it: title, source and href
   are "" when missing. */
static void
S_set_text(json_t *e, const struct entry_text *t)
{
	struct buf b = BUF_INIT;
	char made[VIEW_HREF_SIZE];
	const char *href = t->s[HREF], *ph = t->s[PAGE_HREF];
	int same =
	    ph && href && t->len[PAGE_HREF] == t->len[HREF] && !memcmp(ph, href, t->len[HREF]);
	size_t n = href && !strncmp(href, "pages/", 6) ? S_made_href(e, made) : 0;
	int is_made = n && n == t->len[HREF] && !memcmp(made, href, n);
	unsigned bits = (ph ? TEXT_PAGE_HREF : 0) | (same ? TEXT_SAME : 0) |
	                (t->linked ? TEXT_LINKED : 0) | (is_made ? TEXT_HREF_MADE : 0);
	buf_addc(&b, (char)(TEXT_MARK | bits));
	if (t->linked) {
		buf_printf(&b, "%zx", t->first);
		buf_addc(&b, '\0');
	}
	for (size_t i = 0; i < TEXTS; i++) {
		if (i == PAGE_HREF && (!ph || same))
			break;
		if (i == HREF && is_made)
			continue;
		buf_add(&b, t->s[i] ? t->s[i] : "", t->s[i] ? t->len[i] : 0);
		buf_addc(&b, '\0');
	}
	json_array_set_new(e, TEXT, json_stringn_nocheck(b.data, b.len));
	buf_release(&b);
}

/* The value in slot i of entry e, or NULL when it has none (ALWAYS'
   comment): a null it has is json_null(). */
static const json_t *
S_at(const json_t *e, size_t i)
{
	const json_t *v = json_array_get(e, i);
	if (v && !json_is_null(v))
		return v;
	struct entry_text t;
	if (i <= ALWAYS || (i == PAGE_LABEL && S_text(e, &t) == 0 && t.bits & TEXT_PAGE_HREF))
		return json_null();
	return NULL;
}

const json_t *
view_entry_get(const json_t *e, const char *key)
{
	int i = S_index(S_keys, KEYS, key);
	return i >= 0 && i != TEXT && view_entry_is(e) ? S_at(e, (size_t)i) : NULL;
}

int
view_entry_is_text(const char *key)
{
	return S_index(S_text_keys, TEXTS, key) >= 0;
}

const char *
view_entry_str(const json_t *e, const char *key, size_t *len)
{
	struct entry_text t;
	int i = S_index(S_text_keys, TEXTS, key);
	if (i < 0) {
		const json_t *v = view_entry_get(e, key);
		if (len)
			*len = json_string_length(v);
		return json_string_value(v);
	}
	if (!view_entry_is(e) || S_text(e, &t) < 0)
		return NULL;
	if (len)
		*len = t.len[i]; /* 0 for an href not kept, as for none */
	return t.s[i];
}

/* The string in slot i of e, "" for none. */
static const char *
S_slot_str(const json_t *e, size_t i)
{
	const char *s = json_string_value(json_array_get(e, i));
	return s ? s : "";
}

void
view_entry_place(const json_t *e, struct view_entry_place *p)
{
	*p = (struct view_entry_place){"", "", "", "", ""};
	if (!view_entry_is(e))
		return;
	p->paper = S_slot_str(e, PAPER);
	p->date = S_slot_str(e, DATE);
	p->page_no = S_slot_str(e, PAGE_NO);
	p->section = S_slot_str(e, SECTION);
	struct entry_text t;
	if (S_text(e, &t) == 0 && t.s[SOURCE])
		p->source = t.s[SOURCE];
}

const char *
view_entry_href(const json_t *e, const char *key, struct view_href *h)
{
	struct entry_text t;
	int i = S_index(S_text_keys, TEXTS, key);
	if ((i != HREF && i != PAGE_HREF) || !view_entry_is(e) || S_text(e, &t) < 0)
		return NULL;
	if (t.s[i])
		return t.s[i]; /* kept */
	if (S_make(e, &t) < 0 || !t.s[i])
		return NULL;
	memcpy(h->s, t.s[i], t.len[i] + 1);
	return h->s;
}

/* Sets text field i of entry e to s (NULL: none): 0, or -1 when e has
   no text or s would end early (a NUL in it). */
static int
S_set_text_field(json_t *e, size_t i, const char *s, size_t len)
{
	struct entry_text t;
	if (S_text_all(e, &t) < 0 || (s && memchr(s, 0, len)))
		return -1;
	t.s[i] = s;
	t.len[i] = s ? len : 0;
	S_set_text(e, &t); /* copies s before the old text goes */
	return 0;
}

/* Sets slot i of entry e to v (not NULL), its reference taken: 0, or
   -1. An href made from the paper, date and page stays as it was when
   one of them changes: kept in the text from then on. (The same value
   again, as pages.c gives a string shared by many entries, changes
   nothing.) */
static int
S_set_slot(json_t *e, size_t i, json_t *v)
{
	struct entry_text t;
	int made = (i == DATE || i == PAPER || i == PAGE_NO) &&
	           !json_equal(json_array_get(e, i), v) && S_text(e, &t) == 0 &&
	           t.bits & TEXT_HREF_MADE && S_make(e, &t) == 0;
	while (json_array_size(e) <= i && !json_is_null(v))
		json_array_append_new(e, json_null()); /* tags and scan when set */
	int rc = json_array_size(e) > i ? json_array_set(e, i, v) : 0;
	if (made)
		S_set_text(e, &t);
	return rc;
}

int
view_entry_set(json_t *e, const char *key, json_t *v)
{
	int t = S_index(S_text_keys, TEXTS, key), i = S_index(S_keys, KEYS, key);
	int rc = -1, entry = view_entry_is(e);
	if (entry && t >= 0) /* title, source and href are always there */
		rc = json_is_string(v) || (t == PAGE_HREF && (!v || json_is_null(v)))
		         ? S_set_text_field(e, (size_t)t, json_string_value(v),
		                            json_string_length(v))
		         : -1;
	else if (entry && i >= 0 && i != TEXT && (i != COUNT || json_is_integer(v)))
		rc = S_set_slot(e, (size_t)i, v ? v : json_null());
	json_decref(v);
	return rc;
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

/* A new entry, its slots null but its count's: its text is set last
   (S_set_text), once the paper, date and page that may make its href
   are there. */
static json_t *
S_new(size_t count)
{
	json_t *e = json_array();
	json_array_append_new(e, S_count(count));
	for (size_t i = 1; i <= PAGE_LABEL; i++)
		json_array_append_new(e, json_null());
	return e;
}

/* t with title, source and href set; page_href none, no link. */
static void
S_texts(struct entry_text *t, const char *title, const char *source, const char *href)
{
	const char *s[] = {title, source, href};
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < PAGE_HREF; i++) {
		t->s[i] = s[i] ? s[i] : "";
		t->len[i] = strlen(t->s[i]);
	}
}

json_t *
view_entry(json_t *title, const char *source, const char *href, json_t *briefs, size_t count,
           const json_t *shared)
{
	struct entry_text t;
	S_texts(&t, json_string_value(title), source, href);
	const json_t *ph = json_object_get(shared, "page_href");
	t.s[PAGE_HREF] = json_string_value(ph);
	t.len[PAGE_HREF] = json_string_length(ph);
	json_t *e = S_new(count);
	view_entry_set(e, "articles",
	               S_all_records(briefs, count) ? json_true() : json_incref(briefs));
	for (size_t i = DATE; i <= TAGS; i++) { /* view_record_shared's, all of them */
		json_t *v = json_object_get(shared, S_keys[i]);
		if (v)
			view_entry_set(e, S_keys[i], json_incref(v));
	}
	S_set_text(e, &t);
	json_decref(title);
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
	case TAGS: return S_all(v, 0);
	case SCAN: return json_is_object(v);
	default: /* date, paper, page_no, section, page_label */
		return json_is_string(v) || json_is_null(v);
	}
}

/* Whether v may be the text field i of an object (as the page cache has
   it): a string without a NUL (which would end it early), or none for a
   page_href. */
static int
S_text_fits(size_t i, const json_t *v)
{
	return v ? json_is_string(v) && !memchr(json_string_value(v), 0, json_string_length(v))
	         : i == PAGE_HREF;
}

json_t *
view_entry_from_object(const json_t *o)
{
	const json_t *count = json_object_get(o, "count"), *briefs = json_object_get(o, "articles");
	if (!S_fits(COUNT, count) || !S_fits(ARTICLES, briefs) ||
	    json_array_size(briefs) != (size_t)json_integer_value(count))
		return NULL;
	struct entry_text t = {0};
	for (size_t i = 0; i < TEXTS; i++) { /* the link is this build's alone */
		const json_t *v = json_object_get(o, S_text_keys[i]);
		if (!S_text_fits(i, v))
			return NULL;
		t.s[i] = json_string_value(v);
		t.len[i] = json_string_length(v);
	}
	json_t *e = S_new((size_t)json_integer_value(count));
	for (size_t i = ARTICLES; i < KEYS; i++) {
		if (i == TEXT)
			continue;
		json_t *v = json_object_get(o, S_keys[i]);
		if (v && !S_fits(i, v)) {
			json_decref(e);
			return NULL;
		}
		if (i == ARTICLES && S_all_records(v, json_array_size(v)))
			v = json_true();
		if (v)
			view_entry_set(e, S_keys[i], json_incref(v));
	}
	S_set_text(e, &t);
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
	struct entry_text t;
	if (S_text_all(e, &t) == 0)
		for (size_t i = 0; i < TEXTS; i++)
			if (t.s[i])
				json_object_set_new_nocheck(o, S_text_keys[i],
				                            json_stringn_nocheck(t.s[i], t.len[i]));
	for (size_t i = 0; i < KEYS; i++) {
		const json_t *v = i == TEXT ? NULL : S_at(e, i);
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
	struct entry_text t;
	if (S_text_all(entry, &t) < 0)
		return;
	t.linked = 1;
	t.first = first;
	S_set_text(entry, &t);
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
	struct entry_text t;
	const json_t *briefs = S_at(entry, ARTICLES);
	int linked = S_text(entry, &t) == 0 && t.linked;
	size_t k = linked ? t.first : 0;
	size_t n = (size_t)json_integer_value(S_at(entry, COUNT));
	for (size_t i = 0; i < n; i++) {
		const json_t *b = json_is_array(briefs) ? json_array_get(briefs, i) : json_true();
		if (json_is_object(b))
			fn(b, NULL, arg);
		else if (linked && k < json_array_size(records))
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
   packed text (whose fields are shown one by one). */
static int
S_shown(size_t i)
{
	return i != ARTICLES && i != TEXT;
}

mval
view_entry_model(struct model *m, const json_t *entry, const json_t *records, mval over)
{
	struct model_map *map = model_map(m, KEYS + TEXTS, over);
	struct entry_text t;
	if (S_text_all(entry, &t) == 0)
		for (size_t i = 0; i < TEXTS; i++)
			if (t.s[i]) /* one made again is copied: it is t's */
				model_set(m, map, S_text_keys[i],
				          t.s[i] == t.href ? model_strcopy(m, t.s[i], t.len[i])
				                           : model_strn(m, t.s[i], t.len[i]));
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

/* Whether text field i of t is there but not kept: an href (or the
   page_href that is the href) made from the entry's paper, date and
   page (S_make). */
static int
S_made(const struct entry_text *t, size_t i)
{
	return !t->s[i] && t->bits & TEXT_HREF_MADE &&
	       (i == HREF || (i == PAGE_HREF && t->bits & TEXT_SAME));
}

uint64_t
view_entry_hash(const json_t *entry, const json_t *records, uint64_t h)
{
	struct entry_text t;
	if (S_text(entry, &t) == 0)
		for (size_t i = 0; i < TEXTS; i++) {
			if (t.s[i] || S_made(&t, i))
				h = util_mix(h, S_text_keys[i], strlen(S_text_keys[i]) + 1);
			if (t.s[i])
				h = util_mix_u64(util_mix(h, t.s[i], t.len[i]), t.len[i]);
			else if (S_made(&t, i)) /* what makes it is hashed below */
				h = util_mix_u64(h, UINT64_C(0x6d616465));
		}
	for (size_t i = 0; i < KEYS; i++) {
		const json_t *v = S_at(entry, i);
		if (v && S_shown(i))
			h = mujson_hash(v, util_mix(h, S_keys[i], strlen(S_keys[i]) + 1));
	}
	S_each_brief(entry, records, S_brief_hash, &h);
	return h;
}
