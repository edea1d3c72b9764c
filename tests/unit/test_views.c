/*
 * The records the archive holds for every article and the briefs of a
 * page's index entry (views.h): a record's fields in its slots, its
 * page's fields read through its entry, the fields the archive adds,
 * a damaged record told apart, and briefs made from the records.
 */
#define _GNU_SOURCE /* memmem */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "ids.h"
#include "mujson.h"
#include "segment.h"
#include "spill.h"
#include "strlist.h"
#include "tap.h"
#include "util.h"
#include "views.h"

/* The items of the JSON array a as a C array (the views' lists of
   records are), at most 8 of them. */
#define S_ITEMS 8
static json_t *const *
S_items(const json_t *a)
{
	static json_t *v[S_ITEMS];
	for (size_t k = 0; k < S_ITEMS; k++)
		v[k] = json_array_get(a, k);
	return v;
}

/* An article with a title, a reporter and one paragraph. */
static void
S_article(struct seg_article *a, const char *id, const char *title)
{
	memset(a, 0, sizeof *a);
	a->kind = SEG_ARTICLE;
	a->title = strdup(title);
	strlist_add(&a->reporters, "王明", strlen("王明"));
	snprintf(a->id, sizeof a->id, "%s", id);
	a->blocks = calloc(1, sizeof *a->blocks);
	a->blocks[0].type = SEG_P;
	a->blocks[0].text = strdup("松江区今天开通了新的公交线路。");
	a->nblocks = a->capblocks = 1;
}

static void
S_article_free(struct seg_article *a)
{
	free(a->title);
	strlist_free(&a->reporters);
	free(a->blocks[0].text);
	free(a->blocks);
}

/* The string value of key in r, "" for none. */
static const char *
S_str(const json_t *r, const char *key)
{
	const char *s = view_record_str(r, key, NULL);
	return s ? s : "";
}

/* An index entry as pages.c makes it: its page's fields and briefs. */
static json_t *
S_entry(json_t *briefs)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I}", "title", "要闻", "source",
	                      "songjiang/2024-04-09/01.txt", "href", "pages/p01.html", "date",
	                      "2024-04-09", "paper", "松江报", "page_href", "pages/p01.html",
	                      "articles", briefs, "count", (json_int_t)json_array_size(briefs));
	json_t *e = view_entry_from_object(o);
	json_decref(o);
	return e;
}

static void
S_fields(void)
{
	struct seg_article a;
	S_article(&a, "ab12cd34ef56ab78", "新线路开通");
	json_t *district = json_pack("{s:s}", "slug", "shanghai/songjiang");
	json_t *r = view_record(&a, district);
	ok(view_record_valid(r), "a record has a record's shape");
	is_str(S_str(r, "id"), "ab12cd34ef56ab78", "its id");
	is_str(S_str(r, "title"), "新线路开通", "its title");
	struct view_href h;
	is_str(view_record_href(r, &h), "articles/ab/ab12cd34ef56ab78.html", "its page");
	const json_t *text = json_array_get(r, 0);
	ok(!view_record_str(r, "href", NULL) &&
	       !memmem(json_string_value(text), json_string_length(text), "articles/", 9),
	   "made from its id when read, not kept");
	json_t *href = view_record_json(r, "href");
	is_str(json_string_value(href), "articles/ab/ab12cd34ef56ab78.html", "and as JSON");
	json_decref(href);
	ok(view_record_get(r, "district") == district, "its district is the one given, shared");
	ok(json_array_size(view_record_get(r, "reporters")) == 1, "its reporter");
	ok(!view_record_get(r, "photographers") && !view_record_get(r, "continued_from"),
	   "what the article lacks reads as none");
	ok(!view_record_str(r, "kicker", NULL), "a text field it lacks reads as none");
	struct model m = MODEL_INIT;
	ok(view_record_val(&m, r, "kicker") == model_null(),
	   "but every record's text fields show as null, as a template resolves them");
	json_t *kicker = view_record_json(r, "kicker");
	ok(json_is_null(kicker), "and as JSON null");
	json_decref(kicker);
	model_free(&m);
	ok(!view_record_get(r, "date"), "no page fields before it is linked");
	ok(strlen(S_str(r, "excerpt")) > 0, "its excerpt");

	json_t *entry = S_entry(json_array());
	json_t *records = json_array();
	json_array_append(records, r);
	view_record_link(S_items(records), json_array_size(records), entry);
	is_str(S_str(r, "date"), "2024-04-09", "a page field through its entry");
	is_str(S_str(r, "page_href"), "pages/p01.html", "its page view");
	is_str(S_str(r, "source"), "songjiang/2024-04-09/01.txt", "its page's file");
	ok(view_record_is_text("source") && view_record_is_text("page_href") &&
	       !view_record_get(r, "source"),
	   "its page's text fields are text fields of its own");
	json_t *page_href = view_record_json(r, "page_href");
	is_str(json_string_value(page_href), "pages/p01.html", "and as JSON");
	json_decref(page_href);
	uint64_t page_hash = view_record_text_hash(r, "page_href");
	ok(page_hash && page_hash == view_record_text_hash(entry, "page_href"),
	   "its page's text hashed as its page's entry hashes it");
	ok(!strcmp(S_str(r, "title"), "新线路开通"), "its own title, not its page's");
	ok(!view_record_get(r, "count") && !view_record_get(r, "articles"),
	   "only a page's own fields are read through its entry");

	ok(view_record_set(r, "page_href", json_string("pages/own.html")) == 0 &&
	       !strcmp(S_str(r, "page_href"), "pages/own.html"),
	   "its own page_href wins over its page's");
	ok(view_record_text_hash(r, "page_href") != page_hash, "and changes its hash");
	ok(view_record_set(r, "continues_href", json_string("articles/x.html")) == 0 &&
	       !strcmp(S_str(r, "continues_href"), "articles/x.html"),
	   "a field the archive adds, past the slots it had");
	ok(view_record_set(r, "continues_href", NULL) == 0 && !view_record_get(r, "continues_href"),
	   "a field set to none reads as none");
	ok(view_record_set(r, "excerpt", NULL) == 0 && !view_record_str(r, "excerpt", NULL),
	   "an article without a paragraph has no excerpt");
	is_str(S_str(r, "title"), "新线路开通", "the other text fields are kept");
	ok(view_record_set(r, "kicker", json_string("")) == 0 &&
	       view_record_str(r, "kicker", NULL) && !*view_record_str(r, "kicker", NULL) &&
	       view_record_valid(r),
	   "an empty text field is not none");
	ok(view_record_set(r, "href", json_string("articles/zz/old.html")) == 0 &&
	       !strcmp(S_str(r, "href"), "articles/zz/old.html") &&
	       !strcmp(view_record_href(r, &h), "articles/zz/old.html") &&
	       !strcmp(S_str(r, "id"), "ab12cd34ef56ab78"),
	   "a text field set again, the others kept; an href not made from the id is kept");
	ok(view_record_set(r, "title", json_integer(1)) < 0, "a text field takes a string only");
	ok(view_record_set(r, "title", json_stringn("a\0b", 3)) < 0 &&
	       !strcmp(S_str(r, "title"), "新线路开通"),
	   "and not one with a NUL in it, which would cut the others short");
	json_t *no_id = json_pack("[s%]", "R0t\0x\0", (size_t)6); /* a title and a page */
	ok(!view_record_valid(no_id), "a record without an id is none (%d)",
	   view_record_valid(no_id));
	json_decref(no_id);
	ok(view_record_set(r, "no such field", json_string("x")) < 0,
	   "an unknown field is refused");
	ok(view_record_set(entry, "title", json_string("x")) < 0, "an entry is no record");

	json_t *bad = json_array();
	for (int i = 0; i < 64; i++)
		json_array_append_new(bad, json_null());
	ok(!view_record_valid(bad) && !view_record_valid(entry),
	   "too many slots, or an entry, is no record (a damaged cache)");
	json_decref(bad);
	json_t *str = json_string("x");
	ok(!view_record_str(str, "title", NULL), "a string has no fields");
	json_decref(str);
	const char *const damaged[] = {"", "x", "A", "Aab", "Aab\0\0", "`a\0b\0"};
	int refused = 0;
	for (size_t i = 0; i < sizeof damaged / sizeof *damaged; i++) {
		json_t *d = json_pack("[s%]", damaged[i], i < 4 ? strlen(damaged[i]) : (size_t)5);
		refused += !view_record_valid(d);
		json_decref(d);
	}
	ok(refused == 6, "text fields packed wrongly make no record (%d of 6)", refused);

	json_decref(records);
	json_decref(r);
	json_decref(entry);
	json_decref(district);
	S_article_free(&a);
}

/* Counts the fields view_record_each gives, and finds date among them. */
struct seen {
	int n, date;
};

static void
S_count(const char *key, const json_t *v, uint64_t text, void *arg)
{
	struct seen *s = arg;
	s->n++;
	if (!strcmp(key, "date") && !strcmp(json_string_value(v), "2024-04-09"))
		s->date = 1;
	if (view_record_is_text(key) != (text && !v))
		s->n += 1000;
	if (*key == '@')
		s->n += 100;
}

/* The former id: kept among the text fields, and the href made from it
   once the article's page keeps that name (ids.c), through the cache. */
static void
S_former_id(void)
{
	struct seg_article a;
	S_article(&a, "ab12cd34ef56ab78", "新线路开通");
	snprintf(a.legacy, sizeof a.legacy, "%s", "0123456789abcdef");
	json_t *r = view_record(&a, json_null());
	struct view_href h;
	is_str(S_str(r, "was"), "0123456789abcdef", "the former id");
	is_str(view_record_href(r, &h), "articles/ab/ab12cd34ef56ab78.html", "the page, by the id");
	ok(view_record_set(r, "href", json_string("articles/01/0123456789abcdef.html")) == 0 &&
	       !view_record_str(r, "href", NULL),
	   "named by the former id: made from it, not kept");
	is_str(view_record_href(r, &h), "articles/01/0123456789abcdef.html", "read back");
	json_t *records = json_pack("[O]", r);
	json_t *portable = view_records_portable(S_items(records), json_array_size(records));
	char *dump = json_dumps(portable, 0);
	json_t *back = json_loads(dump, JSON_ALLOW_NUL, NULL);
	json_t *r2 = json_array_get(back, 0);
	ok(view_record_valid(r2), "a record read back from JSON is one");
	is_str(view_record_href(r2, &h), "articles/01/0123456789abcdef.html",
	       "and its href is the same");
	ok(view_record_set(r, "was", NULL) == 0 && view_record_href(r, &h) &&
	       !strcmp(view_record_href(r, &h), "articles/01/0123456789abcdef.html"),
	   "the former id gone, the href stays, kept");
	free(dump);
	json_decref(back);
	json_decref(portable);
	json_decref(records);
	json_decref(r);
	S_article_free(&a);
}

/* A record's title the same as its page's: read from the page once the
   record is linked to it, not kept twice; kept again when the link
   changes, the title is set, or the record goes to the cache. */
static void
S_title_paged(void)
{
	struct seg_article a, b;
	S_article(&a, "ab12cd34ef56ab78", "要闻"); /* S_entry's title */
	S_article(&b, "cd34ef56ab78ab12", "别的标题");
	json_t *district = json_object();
	json_t *list[] = {view_record(&a, district), view_record(&b, district)};
	size_t len_a = json_string_length(json_array_get(list[0], 0));
	size_t len_b = json_string_length(json_array_get(list[1], 0));
	uint64_t hash = view_record_text_hash(list[0], "title");
	json_t *entry = S_entry(json_array());
	view_record_link(list, 2, entry);
	const json_t *text = json_array_get(list[0], 0);
	ok(json_string_length(text) == len_a - strlen("要闻") - 1 &&
	       !memmem(json_string_value(text), json_string_length(text), "要闻", strlen("要闻")),
	   "a title the same as its page's is not kept in the record");
	is_str(S_str(list[0], "title"), "要闻", "but read from its page");
	ok(view_record_text_hash(list[0], "title") == hash && view_record_valid(list[0]),
	   "with the same hash, and the record whole");
	ok(json_string_length(json_array_get(list[1], 0)) == len_b &&
	       !strcmp(S_str(list[1], "title"), "别的标题"),
	   "another title is kept");
	/* packed by hand: an id, the href made from it, the title the page's */
	json_t *paged = json_pack("[s%,n,O]", "A:ab12cd\0", (size_t)9, entry);
	json_t *both = json_pack("[s%,n,O]", "C:ab12cd\0t\0", (size_t)11, entry);
	ok(view_record_valid(paged) && !strcmp(S_str(paged, "title"), "要闻") &&
	       !view_record_valid(both),
	   "a title said to be its page's and kept too makes no record");
	json_decref(paged);
	json_decref(both);

	json_t *portable = view_records_portable(list, 2);
	char *dump = json_dumps(portable, 0);
	json_t *back = json_loads(dump, JSON_ALLOW_NUL, NULL);
	const json_t *copy = json_array_get(back, 0);
	ok(view_record_valid(copy) && !strcmp(S_str(copy, "title"), "要闻") &&
	       !view_record_get(copy, "date"),
	   "the cache's copy keeps its title, without the link to its page");
	ok(!view_record_get(json_array_get(portable, 0), "date") &&
	       !strcmp(S_str(list[0], "date"), "2024-04-09"),
	   "the copy unlinked, the record not");
	const json_t *own = json_array_get(portable, 1);
	ok(view_record_valid(own) && !strcmp(S_str(own, "title"), "别的标题") &&
	       !view_record_get(own, "date"),
	   "a record with a title of its own is copied unlinked too");
	free(dump);
	json_decref(back);
	json_decref(portable);

	json_t *other = S_entry(json_array());
	view_entry_set(other, "title", json_string("另一版"));
	view_record_set(list[0], VIEW_PAGE_KEY, json_incref(other));
	is_str(S_str(list[0], "title"), "要闻", "linked to another page, it keeps its own title");
	view_record_link(list, 1, entry);
	ok(view_record_set(list[0], "title", json_string("新标题")) == 0 &&
	       !strcmp(S_str(list[0], "title"), "新标题") &&
	       !strcmp(view_entry_str(entry, "title", NULL), "要闻"),
	   "a title set is the record's own, its page's as it was");
	view_record_set(list[0], "title", json_string("要闻"));
	view_record_link(list, 1, entry);
	json_t *bare = json_copy(list[0]);
	json_array_set_new(bare, 2, json_null()); /* its link to its page gone */
	ok(!view_record_valid(bare) && !view_record_str(bare, "title", NULL),
	   "a record whose title is its page's is no record without the page");

	json_decref(bare);
	json_decref(other);
	json_decref(list[0]);
	json_decref(list[1]);
	json_decref(entry);
	json_decref(district);
	S_article_free(&a);
	S_article_free(&b);
}

static void
S_each(void)
{
	struct seg_article a;
	S_article(&a, "ab12cd34ef56ab78", "新线路开通");
	json_t *district = json_object();
	json_t *r = view_record(&a, district);
	json_t *entry = S_entry(json_array()), *records = json_array();
	json_array_append(records, r);
	view_record_link(S_items(records), json_array_size(records), entry);
	struct seen s = {0};
	view_record_each(r, S_count, &s);
	/* id title district href excerpt reporters; source date paper page_no
	   section page_label page_href: an entry has a date, paper, page_no and
	   section even null, and a page_label when it has a page_href */
	ok(s.n == 13 && s.date, "each field, its page's too, and no link (%d)", s.n);
	json_decref(records);
	json_decref(r);
	json_decref(entry);
	json_decref(district);
	S_article_free(&a);
}

static void
S_briefs(void)
{
	struct seg_article a, b, notice;
	S_article(&a, "aaaaaaaaaaaaaaaa", "第一篇");
	S_article(&b, "bbbbbbbbbbbbbbbb", "第二篇");
	S_article(&notice, "nnnnnnnnnnnnnnnn", "启事");
	notice.kind = SEG_NOTICE;
	json_t *district = json_object(), *records = json_array();
	/* another page's record first: this page's start at 1 */
	json_array_append_new(records, view_record(&a, district));
	json_array_append_new(records, view_record(&a, district));
	json_array_append_new(records, view_record(&b, district));
	json_t *briefs = json_array();
	json_array_append_new(briefs, view_brief(&a, 1));
	json_array_append_new(briefs, view_brief(&notice, 0));
	json_array_append_new(briefs, view_brief(&b, 1));
	ok(json_is_true(json_array_get(briefs, 0)), "an article's brief is made when shown");
	json_t *entry = S_entry(briefs);
	view_entry_link(entry, 1);
	json_t *shown = view_briefs(entry, records);
	ok(json_array_size(shown) == 3, "three briefs");
	is_str(json_string_value(json_object_get(json_array_get(shown, 0), "article_href")),
	       "articles/aa/aaaaaaaaaaaaaaaa.html", "the first links to its article");
	is_str(json_string_value(json_object_get(json_array_get(shown, 1), "title")), "启事",
	       "a notice's is its own");
	ok(!json_object_get(json_array_get(shown, 1), "article_href"),
	   "a notice has no article page");
	is_str(json_string_value(json_object_get(json_array_get(shown, 2), "title")), "第二篇",
	       "the third is the page's second record");

	uint64_t h = view_entry_hash(entry, records, 0);
	view_record_set(json_array_get(records, 2), "title", json_string("改过的标题"));
	ok(view_entry_hash(entry, records, 0) != h, "a record's new title changes the hash");
	h = view_entry_hash(entry, records, 0);
	view_entry_link(entry, 1); /* the same place again */
	view_record_set(json_array_get(records, 0), "title", json_string("别的版"));
	ok(view_entry_hash(entry, records, 0) == h,
	   "another page's record does not change the hash");

	json_t *unlinked = S_entry(json_pack("[b]", 1));
	json_t *none = view_briefs(unlinked, records);
	ok(json_array_size(none) == 0, "an entry not linked to records has no article briefs");

	json_decref(none);
	json_decref(unlinked);
	json_decref(shown);
	json_decref(entry);
	json_decref(records);
	json_decref(district);
	S_article_free(&a);
	S_article_free(&b);
	S_article_free(&notice);
}

/* An excerpt long enough to be moved to the scratch file. */
static const char S_long[] = "松江区今天开通了新的公交线路，连接新城与老城，沿线设站二十一座，"
                             "首班车六点发出…";

/* A scratch file, already unlinked, as the build's. */
static int
S_scratch(void)
{
	char name[] = "/tmp/test-views-XXXXXX";
	int fd = mkstemp(name);
	unlink(name);
	return fd;
}

/* Excerpts moved to a scratch file and read back. */
static void
S_spool(void)
{
	struct seg_article a;
	S_article(&a, "ab12cd34ef56ab78", "新线路开通");
	json_t *district = json_object(), *records = json_array();
	json_t *r = view_record(&a, district), *shorter = view_record(&a, district);
	json_array_append_new(records, r);
	json_array_append_new(records, shorter);
	const char *text = S_long;
	view_record_set(r, "excerpt", json_string(text));
	uint64_t before = view_record_text_hash(r, "excerpt");
	int fd = S_scratch();
	atomic_size_t end;
	atomic_init(&end, 7); /* what else the file holds */
	struct spill sp;
	spill_init(&sp, fd, &end);
	view_records_spool(S_items(records), json_array_size(records), &sp);
	struct stat st;
	ok(spill_flush(&sp) == 0 && fstat(fd, &st) == 0 && (size_t)st.st_size == 7 + strlen(text),
	   "the long excerpt is written after the rest");
	ok(!view_record_str(r, "excerpt", NULL), "it is no longer in the record");
	ok(view_record_str(shorter, "excerpt", NULL) != NULL, "a short one stays");
	struct buf b = BUF_INIT;
	ok(view_record_text(r, "excerpt", &b) == 1, "it is read back");
	is_str(b.data, text, "as it was");
	ok(view_record_text_hash(r, "excerpt") == before, "with the hash of its text");
	is_str(view_record_str(r, "title", NULL), "新线路开通",
	       "the other fields are as they were");
	struct model m = MODEL_INIT;
	ok(view_record_val(&m, r, "excerpt") != model_null(), "a model shows it");
	model_free(&m);
	json_t *j = view_record_json(r, "excerpt");
	is_str(json_string_value(j), text, "and JSON");
	json_decref(j);
	ok(!view_record_valid(r), "a record whose excerpt is in this build's file is not cached");
	json_t *portable = view_records_portable(S_items(records), json_array_size(records));
	json_t *back = json_array_get(portable, 0);
	ok(view_record_valid(back) && !strcmp(view_record_str(back, "excerpt", NULL), text) &&
	       json_array_get(portable, 1) == shorter,
	   "what is cached has the excerpt in it again, the rest shared");
	view_records_spool(S_items(records), json_array_size(records), &sp);
	ok(spill_end(&sp) == 0 && fstat(fd, &st) == 0 && (size_t)st.st_size == 7 + strlen(text),
	   "spooled once only");
	util_pread_small_forget(); /* what was read of the file before */
	ok(ftruncate(fd, 7) == 0 &&
	       !view_records_portable(S_items(records), json_array_size(records)),
	   "an excerpt that cannot be read back makes no copy for the cache");
	view_record_set(r, "excerpt", json_string("新的"));
	is_str(view_record_str(r, "excerpt", NULL), "新的", "an excerpt set anew is the record's");
	close(fd);
	buf_reset(&b);
	json_t *gone = json_array_get(portable, 0);
	json_decref(portable);
	(void)gone;
	buf_release(&b);
	json_decref(records);
	json_decref(district);
	S_article_free(&a);
}

/* What names a record in the manifest, in one look: what the field at a
   time gives. */
static void
S_ident(void)
{
	struct seg_article a;
	S_article(&a, "ab12cd34ef56ab78", "新线路开通");
	json_t *district = json_object(), *records = json_array();
	json_t *r = view_record(&a, district);
	json_array_append_new(records, r);
	struct view_ident id;
	view_record_ident(r, &id);
	ok(!strcmp(id.id, "ab12cd34ef56ab78") && !strcmp(id.title, "新线路开通") && !*id.paper &&
	       !*id.date && !*id.page_no,
	   "a record before it is linked: its own fields, none of a page's");
	ok(id.excerpt && id.excerpt == view_record_text_hash(r, "excerpt"),
	   "its excerpt's hash, as view_record_text_hash gives it");
	const char *keys[] = {"title", "district", "kicker", "excerpt", "href"};
	uint64_t hashes[5];
	view_record_text_hashes(r, keys, 5, hashes);
	int same = 1;
	for (size_t i = 0; i < 5; i++)
		same &= hashes[i] == view_record_text_hash(r, keys[i]);
	ok(same && hashes[0] && !hashes[1] && hashes[3],
	   "the hashes of several fields at once are view_record_text_hash's, 0 for no text");
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I}", "title", "要闻", "source",
	                      "songjiang/2024-04-09/01.txt", "href", "pages/p01.html", "date",
	                      "2024-04-09", "paper", "松江报", "page_no", "01", "articles",
	                      json_array(), "count", (json_int_t)0);
	json_t *entry = view_entry_from_object(o);
	json_decref(o);
	view_record_link(S_items(records), json_array_size(records), entry);
	view_record_ident(r, &id);
	ok(!strcmp(id.paper, S_str(r, "paper")) && !strcmp(id.date, S_str(r, "date")) &&
	       !strcmp(id.page_no, S_str(r, "page_no")) && !strcmp(id.page_no, "01"),
	   "linked: its page's paper, date and number, as view_record_str gives them");
	view_record_ident(entry, &id);
	ok(!strcmp(id.paper, "松江报") && !strcmp(id.date, "2024-04-09") &&
	       !strcmp(id.page_no, "01") && !*id.id && !id.excerpt,
	   "a page's entry: its own fields, no id and no excerpt");
	const char *text = S_long;
	view_record_set(r, "excerpt", json_string(text));
	uint64_t before = view_record_text_hash(r, "excerpt");
	int fd = S_scratch();
	atomic_size_t end;
	atomic_init(&end, 0);
	struct spill sp;
	spill_init(&sp, fd, &end);
	view_records_spool(S_items(records), json_array_size(records), &sp);
	spill_end(&sp);
	view_record_ident(r, &id);
	ok(!view_record_str(r, "excerpt", NULL) && id.excerpt == before,
	   "an excerpt in the scratch file: the hash kept beside its place");
	close(fd);
	view_record_set(r, "excerpt", json_string(""));
	view_record_ident(r, &id);
	ok(id.excerpt == 0, "an empty excerpt has none");
	view_record_set(r, "excerpt", NULL);
	view_record_ident(r, &id);
	ok(id.excerpt == 0 && !strcmp(id.title, "新线路开通"), "nor does a record without one");
	json_decref(records);
	json_decref(entry);
	json_decref(district);
	S_article_free(&a);
}

/* A page's index entry: its fields in slots, null ones told from none,
   and the object the page cache keeps of it. */
static void
S_entries(void)
{
	json_t *shared =
	    json_pack("{s:s,s:s,s:n,s:n,s:n,s:s}", "date", "2024-04-09", "paper", "松江报",
	              "page_no", "section", "page_label", "page_href", "pages/p01.html");
	json_t *briefs = json_pack("[bb]", 1, 1);
	json_t *e = view_entry(json_string("要闻"), "songjiang/01.txt", "pages/p01.html", briefs, 2,
	                       shared);
	ok(view_entry_is(e) && !view_entry_is(shared) && !view_entry_is(briefs), "an entry is one");
	is_str(json_string_value(view_entry_get(e, "paper")), "松江报", "a field of its page");
	ok(json_is_null(view_entry_get(e, "page_no")) &&
	       json_is_null(view_entry_get(e, "page_label")),
	   "a null field reads as null");
	ok(!view_entry_get(e, "tags") && !view_entry_get(e, "scan") && !view_entry_get(e, "x"),
	   "a field it has none of reads as none");
	ok(json_integer_value(view_entry_get(e, "count")) == 2, "its count");
	is_str(view_entry_str(e, "title", NULL), "要闻", "its title");
	is_str(view_entry_str(e, "source", NULL), "songjiang/01.txt", "its source");
	is_str(view_entry_str(e, "href", NULL), "pages/p01.html", "its href");
	is_str(view_entry_str(e, "page_href", NULL), "pages/p01.html", "its page_href, the same");
	is_str(view_entry_str(e, "paper", NULL), "松江报", "a string field read as a string");
	ok(!view_entry_get(e, "title") && !view_entry_get(e, "@text") &&
	       view_entry_is_text("page_href") && !view_entry_is_text("paper"),
	   "a text field is read as a string only");

	struct view_entry_place at;
	view_entry_place(e, &at);
	ok(!strcmp(at.paper, "松江报") && !strcmp(at.date, "2024-04-09") && !*at.page_no &&
	       !*at.section && !strcmp(at.source, "songjiang/01.txt"),
	   "where it was printed, read at once: null fields read as \"\"");
	view_entry_place(shared, &at);
	ok(!*at.paper && !*at.date && !*at.source, "and nothing of what is no entry");

	view_entry_link(e, 7);
	ok(view_entry_set(e, "href", json_string("pages/p01-2.html")) == 0,
	   "a linked entry's href set");
	is_str(view_entry_str(e, "href", NULL), "pages/p01-2.html", "its new href");
	is_str(view_entry_str(e, "page_href", NULL), "pages/p01.html",
	       "its page_href stays what it was");
	is_str(view_entry_str(e, "title", NULL), "要闻", "and its title");
	ok(view_entry_set(e, "title", json_null()) < 0 &&
	       view_entry_set(e, "title", json_stringn("a\0b", 3)) < 0,
	   "a title none or with a NUL is refused");
	ok(view_entry_set(e, "href", json_string("pages/p01.html")) == 0 &&
	       !strcmp(view_entry_str(e, "page_href", NULL), "pages/p01.html"),
	   "and set back");
	json_t *eight = json_pack("[{},{},{},{},{},{},{},{s:s},{s:s}]", "id", "a", "id", "b");
	json_t *linked = view_briefs(e, eight);
	is_str(json_string_value(json_object_get(json_array_get(linked, 1), "id")), "b",
	       "its link kept through the sets");
	json_decref(linked);
	json_decref(eight);

	ok(view_entry_set(e, "scan", json_pack("{s:s}", "file", "scans/p01.jpg")) == 0 &&
	       json_is_object(view_entry_get(e, "scan")),
	   "a scan set");
	ok(view_entry_set(e, "scan", NULL) == 0 && !view_entry_get(e, "scan"), "and taken away");
	ok(view_entry_set(e, "no such field", json_true()) < 0 &&
	       view_entry_set(e, "count", json_string("2")) < 0,
	   "an unknown field, or a count not a number, is refused");

	json_t *o = view_entry_object(e);
	ok(json_equal(json_object_get(o, "articles"), briefs), "its briefs in the object, listed");
	ok(json_is_null(json_object_get(o, "page_label")) && !json_object_get(o, "tags"),
	   "the object has the null fields, not those it has none of");
	json_t *again = view_entry_from_object(o), *o2 = view_entry_object(again);
	ok(json_equal(o, o2), "an entry made from its object is the same");
	json_decref(o2);
	json_decref(again);

	json_object_del(o, "page_href"); /* a Markdown article's */
	again = view_entry_from_object(o);
	ok(again && !view_entry_get(again, "page_label"),
	   "without a page view, a null page_label is none");
	json_decref(again);

	json_object_set_new(o, "count", json_integer(3));
	ok(!view_entry_from_object(o), "a count that is not its briefs' is refused");
	json_object_set_new(o, "count", json_integer(2));
	json_object_del(o, "href");
	ok(!view_entry_from_object(o) && !view_entry_from_object(briefs),
	   "an object without an href, or no object, is no entry");

	json_object_set_new(o, "href", json_string("pages/p01.html"));
	const char *const wrong[] = {"date", "tags", "scan", "page_href"};
	int refused = 0;
	for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
		json_t *w = json_deep_copy(o);
		json_object_set_new(w, wrong[i], json_integer(7));
		json_t *x = view_entry_from_object(w);
		refused += !x;
		json_decref(x);
		json_decref(w);
	}
	ok(refused == 4, "a field of a type it cannot have is refused (%d of 4)", refused);
	json_object_set_new(o, "articles", json_pack("[bi]", 1, 0));
	ok(!view_entry_from_object(o), "a brief neither true nor a notice's is refused");
	json_object_set_new(o, "@first", json_integer(0));
	json_object_set_new(o, "articles", json_pack("[bb]", 1, 1));
	again = view_entry_from_object(o);
	json_t *records = json_pack("[{s:s},{s:s}]", "id", "x", "id", "y");
	json_t *unlinked = view_briefs(again, records);
	ok(again && json_array_size(unlinked) == 0 && view_entry_records(again) == 2,
	   "a link to records is this build's: not taken from the cache");
	json_decref(unlinked);
	json_decref(records);
	json_decref(again);

	json_t *notice = json_pack("[b{s:s}]", 1, "title", "启事");
	json_object_set(o, "articles", notice);
	again = view_entry_from_object(o);
	json_t *shown = view_briefs(again, NULL);
	ok(json_array_size(shown) == 1, "a notice's brief kept, the unlinked article's not shown");
	ok(view_entry_records(again) == 1, "one of its two briefs an article's");
	o2 = view_entry_object(again);
	ok(json_equal(json_object_get(o2, "articles"), notice),
	   "briefs with a notice, as they were");
	json_decref(o2);
	json_decref(shown);
	json_decref(again);
	json_decref(notice);
	json_decref(o);
	json_decref(e);
	json_decref(briefs);
	json_decref(shared);
}

/* The path ids_view_path gives 松江报's page 01 of 2024-04-09. */
#define MADE_VIEW "pages/~e6~9d~be~e6~b1~9f~e6~8a~a5/2024-04-09/01.html"

/* Whether the packed text of entry e holds s (its slot "@text", the
   third). */
static int
S_packed_has(const json_t *e, const char *s)
{
	const json_t *text = json_array_get(e, 2);
	const char *p = json_string_value(text);
	size_t n = json_string_length(text), len = strlen(s);
	for (size_t i = 0; p && i + len <= n; i++)
		if (!memcmp(p + i, s, len))
			return 1;
	return 0;
}

/* An entry whose href its paper, date and page make keeps none: it is
   made again when read, the same through every reader. */
static void
S_entry_made_href(void)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:n,s:n,s:s,s:[b],s:i}", "title", "要闻",
	                      "source", "songjiang/2024-04-09/01.txt", "href", MADE_VIEW, "date",
	                      "2024-04-09", "paper", "松江报", "page_no", "01", "section",
	                      "page_label", "page_href", MADE_VIEW, "articles", 1, "count", 1);
	json_t *e = view_entry_from_object(o);
	struct view_href h;
	ok(!S_packed_has(e, "2024-04-09/01.html") && !view_entry_str(e, "href", NULL) &&
	       !view_entry_str(e, "page_href", NULL),
	   "an href its paper, date and page make is not kept");
	is_str(view_entry_href(e, "href", &h), MADE_VIEW, "it is made again");
	is_str(view_entry_href(e, "page_href", &h), MADE_VIEW, "and its page_href, the same");
	is_str(view_record_href(e, &h), MADE_VIEW, "view_record_href gives it too");
	ok(!view_entry_href(e, "title", &h), "view_entry_href gives only an href");
	json_t *back = view_entry_object(e);
	ok(json_equal(back, o), "its object has it, as the page cache keeps it");
	json_t *again = view_entry_from_object(back);
	json_t *none = json_array();
	ok(view_entry_hash(again, none, 0) == view_entry_hash(e, none, 0),
	   "an entry made from that object hashes the same");
	json_object_set_new(back, "href", json_string("pages/own.html"));
	json_t *own = view_entry_from_object(back);
	ok(view_entry_hash(own, none, 0) != view_entry_hash(e, none, 0),
	   "one whose href is its own does not");
	json_decref(own);
	json_decref(again);
	json_decref(none);
	json_decref(back);

	json_t *r = view_record(&(struct seg_article){.id = "ab12cd34ef56ab78"}, json_null());
	view_record_link(&r, 1, e);
	json_t *page_href = view_record_json(r, "page_href");
	is_str(json_string_value(page_href), MADE_VIEW, "a record reads it as its page_href");
	ok(view_record_text_hash(r, "page_href") ==
	       util_fnv(UTIL_FNV_START, MADE_VIEW, strlen(MADE_VIEW)),
	   "and hashes it");
	json_decref(page_href);

	view_entry_link(e, 3);
	ok(!S_packed_has(e, "01.html") && !strcmp(view_record_href(e, &h), MADE_VIEW),
	   "linked, it still keeps none");
	ok(view_entry_set(e, "paper", json_string("嘉兴日报")) == 0 &&
	       !strcmp(view_entry_href(e, "href", &h), MADE_VIEW) &&
	       S_packed_has(e, "2024-04-09/01.html"),
	   "its paper changed, it keeps the href it had");
	ok(view_entry_set(e, "paper", json_string("松江报")) == 0 &&
	       view_entry_set(e, "title", json_string("头版")) == 0 &&
	       !S_packed_has(e, "01.html") && !strcmp(view_record_href(e, &h), MADE_VIEW),
	   "set again, it keeps none again");
	ok(view_entry_set(e, "href", json_string("pages/own.html")) == 0 &&
	       !strcmp(view_entry_str(e, "href", NULL), "pages/own.html") &&
	       !strcmp(view_entry_href(e, "page_href", &h), MADE_VIEW),
	   "an href of its own is kept, its page_href still the one made");

	json_t *records = json_pack("[n,n,n,{s:s}]", "id", "ab12cd34ef56ab78");
	json_t *linked = view_briefs(e, records);
	is_str(json_string_value(json_object_get(json_array_get(linked, 0), "id")),
	       "ab12cd34ef56ab78", "its link kept through the sets");
	json_decref(linked);
	json_decref(records);

	char paper[64 * 3 + 1] = "";
	for (int i = 0; i < 64; i++)
		strcat(paper, "报");
	json_object_set_new(o, "paper", json_string(paper));
	struct buf made = BUF_INIT;
	ids_view_path(paper, "2024-04-09", "01", &made);
	json_object_set_new(o, "href", json_stringn(made.data, made.len));
	json_t *long_name = view_entry_from_object(o);
	ok(made.len >= VIEW_HREF_SIZE &&
	       !strcmp(view_entry_str(long_name, "href", NULL), made.data),
	   "an href longer than a view_href holds is kept");
	buf_release(&made);
	json_decref(long_name);
	json_decref(r);
	json_decref(e);
	json_decref(o);
}

int
main(void)
{
	S_fields();
	S_former_id();
	S_title_paged();
	S_each();
	S_spool();
	S_ident();
	S_briefs();
	S_entries();
	S_entry_made_href();
	return tap_done();
}
