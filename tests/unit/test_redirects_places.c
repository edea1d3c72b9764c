/*
 * Tests for redirects_places: where this build's articles and page views
 * are, by their former names and by their printed page.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "redirects_places.h"
#include "segment.h"
#include "tap.h"
#include "views.h"

#define VIEW01 "pages/~e6~9d~be~e6~b1~9f~e6~8a~a5/2024-04-09/01.html"
/* Views named from their file (view_slug) */
#define FILE01 "songjiang/0409/01"
#define FILE02 "~e6~9d~be~e6~b1~9f~e6~8a~a5/2024-04-09/A01"

/* The entry of a printed page of 松江报 of 2024-04-09, read from source,
   its view at href. */
static json_t *
S_entry(const char *source, const char *page, const char *href, size_t count)
{
	json_t *briefs = json_array();
	for (size_t i = 0; i < count; i++)
		json_array_append_new(briefs, json_true());
	json_t *o =
	    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I}", "title", "要闻", "source", source,
	              "href", href, "date", "2024-04-09", "paper", "松江报", "page_no", page,
	              "page_href", href, "articles", briefs, "count", (json_int_t)count);
	json_t *e = view_entry_from_object(o);
	json_decref(o);
	return e;
}

/* A record of id (and former id was, "" for none) on the page of entry. */
static json_t *
S_record(const char *id, const char *was, const char *title, const json_t *entry)
{
	struct seg_article a = {.kind = SEG_ARTICLE, .title = (char *)title};
	snprintf(a.id, sizeof a.id, "%s", id);
	snprintf(a.legacy, sizeof a.legacy, "%s", *was ? was : id);
	json_t *r = view_record(&a, json_null());
	if (entry)
		view_record_link(&r, 1, entry);
	return r;
}

/* The titles of the records rplaces gives for ident, joined by '|'. */
static void
S_on_page(const struct rplaces *p, const json_t *records, const char *ident, struct buf *out)
{
	buf_reset(out);
	for (long i = rplaces_first(p, ident); i >= 0; i = rplaces_next(p, i)) {
		if (out->len)
			buf_addc(out, '|');
		buf_adds(out, view_record_str(json_array_get(records, (size_t)i), "title", NULL));
	}
}

int
main(void)
{
	json_t *p01 = S_entry("songjiang/0409/01.txt", "01", VIEW01, 2);
	/* a page published under its file's path (two files of one page) */
	json_t *p02 = S_entry("松江报/2024-04-09/A01.txt", "A01", "pages/own.html", 1);
	json_t *p03 = S_entry("松江报/2024-04-09/03.txt", "03", /* its name from its file */
	                      "pages/~e6~9d~be~e6~b1~9f~e6~8a~a5/2024-04-09/03.html", 1);
	json_t *entries = json_pack("[o,o,o]", p01, p02, p03);
	json_t *records =
	    json_pack("[o,o,o,o,o]", S_record("0000000000000001", "oldone", "头条", p01),
	              S_record("0000000000000002", "", "二条", p01),
	              S_record("0000000000000003", "oldthree", "又一条", p02),
	              S_record("0000000000000004", "oldone", "后来的", p03),
	              S_record("0000000000000005", "", "无处", NULL));
	struct rplaces *p = rplaces_make(records, entries);
	struct view_href h;
	struct buf b = BUF_INIT;

	rplaces_ident(p01, &b);
	is_str(b.data, "松江报\t2024-04-09\t01", "a page's ident: paper, date and key");
	buf_reset(&b);
	rplaces_ident(json_array_get(records, 2), &b);
	is_str(b.data, "松江报\t2024-04-09\t01", "a record's, its page's: A01 is 01");
	buf_reset(&b);
	rplaces_ident(json_array_get(records, 4), &b);
	is_str(b.data, "", "none for a record without a page");

	is_str(rplaces_former(p, "articles/ol/oldthree.html", &h),
	       "articles/00/0000000000000003.html",
	       "an article's former page leads to its page now");
	is_str(rplaces_former(p, "articles/ol/oldone.html", &h),
	       "articles/00/0000000000000004.html", "of two with one former name, the last");
	ok(!rplaces_former(p, "articles/00/0000000000000002.html", &h),
	   "an article's own page is no former name");
	is_str(rplaces_former(p, "pages/" FILE02 ".html", &h), "pages/own.html",
	       "a view's name from its file leads to its view now");
	is_str(rplaces_former(p, "pages/" FILE01 ".html", &h), VIEW01,
	       "so does one named by its place (as nearly all are)");
	ok(!rplaces_former(p, "pages/nothing.html", &h) &&
	       !rplaces_former(p, "pages/~e6~9d~be~e6~b1~9f~e6~8a~a5/2024-04-09/03.html", &h),
	   "nothing else has a former name, nor a view named from its file as now");

	S_on_page(p, records, "松江报\t2024-04-09\t01", &b);
	is_str(b.data, "头条|二条|又一条",
	       "a printed page's records, in order, from both its files");
	S_on_page(p, records, "松江报\t2024-04-09\t03", &b);
	is_str(b.data, "后来的", "another page's");
	ok(rplaces_first(p, "松江报\t2024-04-09\t09") == -1, "none for a page not there");

	ok(rplaces_view(p, "松江报\t2024-04-09\t01") == p01,
	   "a printed page's view: the first of its files'");
	ok(rplaces_view(p, "松江报\t2024-04-09\t03") == p03, "another page's");
	ok(!rplaces_view(p, "松江报\t2024-04-10\t01"), "none for a page not there");

	rplaces_free(p);
	json_t *empty = json_array();
	struct rplaces *none = rplaces_make(empty, empty);
	ok(rplaces_first(none, "松江报\t2024-04-09\t01") == -1 &&
	       !rplaces_former(none, "articles/ol/oldone.html", &h) &&
	       !rplaces_view(none, "松江报\t2024-04-09\t01"),
	   "an archive of nothing has no places");
	rplaces_free(none);
	json_decref(empty);
	buf_release(&b);
	json_decref(records);
	json_decref(entries);
	return tap_done();
}
