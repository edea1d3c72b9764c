/*
 * URLs that last: page keys and ids (ids.h), and the manifest of what was
 * published (published.h): read, damaged lines warned about at their
 * FILE:LINE:COL with nothing lost, written back sorted and atomically.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "ids.h"
#include "meta.h"
#include "published.h"
#include "tap.h"
#include "util.h"

static void
S_keys(void)
{
	static const char *const cases[][2] = {
	    {"01", "01"},  {"1", "01"},    {"A01", "01"}, {"a1", "01"},     {"01版", "01"},
	    {"B3", "B03"}, {"b07", "B07"}, {"12", "12"},  {"头版", "头版"}, {"AB2", "AB02"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf b = BUF_INIT;
		ids_page_key(cases[i][0], &b);
		is_str(b.data, cases[i][1], "page %s has the key %s", cases[i][0], cases[i][1]);
		buf_release(&b);
	}
}

static void
S_ids(void)
{
	struct meta m = {.paper = "松江报", .date = "2024-04-09", .page = "01"};
	struct meta renamed = {.paper = "松江报", .date = "2024-04-09", .page = "A01"};
	struct buf a = BUF_INIT, b = BUF_INIT;
	ok(ids_page_identity(&m, &a) && ids_page_identity(&renamed, &b) && !strcmp(a.data, b.data),
	   "01 and A01 of one issue are one printed page");
	char x[IDS_LEN], y[IDS_LEN], z[IDS_LEN];
	ids_article(a.data, 1, x);
	ids_article(b.data, 1, y);
	ids_article(a.data, 2, z);
	ok(!strcmp(x, y) && strcmp(x, z) && strlen(x) == 16,
	   "an article's id is its place and position");
	struct meta undated = {.paper = "松江报", .page = "01"};
	buf_reset(&a);
	ok(!ids_page_identity(&undated, &a) && a.len == 0, "a page without a date has no identity");
	buf_reset(&a);
	ok(ids_view_path(m.paper, m.date, m.page, &a) &&
	       !strcmp(a.data, "pages/~e6~9d~be~e6~b1~9f~e6~8a~a5/2024-04-09/01.html"),
	   "a page view is named by its place");
	buf_reset(&a);
	ok(ids_view_path(renamed.paper, renamed.date, renamed.page, &a) &&
	       !strcmp(a.data, "pages/~e6~9d~be~e6~b1~9f~e6~8a~a5/2024-04-09/01.html"),
	   "the same for each name of one printed page");
	buf_reset(&a);
	ok(!ids_view_path(undated.paper, undated.date, undated.page, &a) && a.len == 0,
	   "and without one by nothing here (its path, view_slug)");
	char in[160];
	buf_reset(&a);
	ids_view_path("松江报", "2024-04-09", "A01", &a);
	ok(ids_view_path_in("松江报", "2024-04-09", "A01", in, sizeof in) == a.len &&
	       !strcmp(in, a.data),
	   "the same path into an array");
	ok(ids_view_path_in("松江报", "2024-04-09", "A01", in, a.len) == 0 &&
	       ids_view_path_in("松江报", "2024-04-09", "A01", in, a.len + 1) == a.len,
	   "and none when it does not fit with its NUL");
	ok(ids_view_path_in("松江报", "", "A01", in, sizeof in) == 0, "nor without a date");
	/* paper after paper, each escaped afresh or as the last one was */
	const char *papers[] = {"松江报", "嘉兴报", "嘉兴日报", "嘉兴日报", "松江报", "A-b_c"};
	const char *escaped[] = {
	    "~e6~9d~be~e6~b1~9f~e6~8a~a5",          "~e5~98~89~e5~85~b4~e6~8a~a5",
	    "~e5~98~89~e5~85~b4~e6~97~a5~e6~8a~a5", "~e5~98~89~e5~85~b4~e6~97~a5~e6~8a~a5",
	    "~e6~9d~be~e6~b1~9f~e6~8a~a5",          "A-b_c"};
	int right = 0;
	for (size_t i = 0; i < sizeof papers / sizeof *papers; i++) {
		struct buf want = BUF_INIT;
		buf_printf(&want, "pages/%s/2024-04-09/01.html", escaped[i]);
		right +=
		    ids_view_path_in(papers[i], "2024-04-09", "1", in, sizeof in) == want.len &&
		    !strcmp(in, want.data);
		buf_release(&want);
	}
	ok(right == 6, "each paper's path its own, one after another (%d of 6)", right);
	/* a page key longer than the array its path is made in */
	const char *long_page = "b1234567890123456789012345678901234567890";
	buf_reset(&a);
	ids_view_path("报", "2024-04-09", long_page, &a);
	ok(!strcmp(a.data,
	           "pages/~e6~8a~a5/2024-04-09/B1234567890123456789012345678901234567890.html"),
	   "a long page key as short ones are (its letters upper case)");
	ok(ids_view_path_in("报", "2024-04-09", long_page, in, sizeof in) == a.len &&
	       !strcmp(in, a.data),
	   "the same into an array");
	buf_release(&a);
	buf_release(&b);
}

static const char S_manifest[] =
    "# a comment\n"
    "pages/b.html\tpage\t\t\t松江报\t2024-04-09\t01\t\t\n"
    "articles/ab/abcd.html\tarticle\t\tabcd\t松江报\t2024-04-09\t01\t0011aabb\t标题\n"
    "old.html\tredirect\tpages/b.html\t\t\t\t\t\t\n"
    "标题\tarticle\n"
    "districts/x/page-2.html\thtml\t\n"
    "articles/cd/cdef.html\tartikel\t\t\t\t\t\t\t\n"
    "gone.html\tredirect\t../x.html\t\t\t\t\t\t\n"
    "index.html\thtml\t\t\t\t\t\t\t\n";

static void
S_read(void)
{
	struct pub_list l = {0};
	buf_reset(&capture_msgs);
	diag_set_sink(capture_sink, NULL);
	pub_parse("published.tsv", S_manifest, strlen(S_manifest), &l);
	diag_set_sink(NULL, NULL);
	ok((size_t)(l.n) == 7,
	   "every URL is kept, the damaged lines' too; a line without one is not");
	ok(strstr(capture_msgs.data,
	          "published.tsv:5:1: warning: '标题' is no page of the output") != NULL,
	   "a line naming no page: warned at its line and column");
	ok(strstr(capture_msgs.data, "published.tsv:6:30: warning: too few fields; kept the URL "
	                             "'districts/x/page-2.html' as a html") != NULL,
	   "too few fields: at the line's end, the URL kept");
	ok(strstr(capture_msgs.data, "published.tsv:7:23: warning: unknown kind") != NULL,
	   "an unknown kind: at the kind, in characters");
	ok(strstr(capture_msgs.data,
	          "published.tsv:8:20: warning: a redirect's target is no page") != NULL,
	   "a redirect leading out of the output: at its target");
	ok(l.n > 3 && !strcmp(l.v[1].kind, "article") && !strcmp(l.v[1].title, "标题") &&
	       !strcmp(l.v[1].fp, "0011aabb") && !strcmp(l.v[2].to, "pages/b.html"),
	   "the fields of a sound line");
	ok(l.n > 5 && !strcmp(l.v[4].kind, "article") && !strcmp(l.v[5].kind, "html"),
	   "a damaged line's kind is guessed from its path");

	char dir[] = "/tmp/baoku-pub.XXXXXX";
	ok(mkdtemp(dir) != NULL, "a scratch folder");
	struct buf file = BUF_INIT, tmp = BUF_INIT, memo = BUF_INIT, text = BUF_INIT,
	           again = BUF_INIT;
	buf_printf(&file, "%s/published.tsv", dir);
	buf_printf(&tmp, "%s/published.tsv.tmp", dir);
	buf_printf(&memo, "%s/memo", dir);
	struct pub_sum sum, sum2, read_sum;
	ok(pub_stage(file.data, &l, &sum) == 0, "the manifest is staged");
	ok(util_read_file(tmp.data, &text, 1) == 1 && access(file.data, F_OK) < 0,
	   "beside where it goes");
	ok(strstr(text.data, "articles/ab/abcd.html\tarticle\t\tabcd\t") <
	       strstr(text.data, "index.html"),
	   "written sorted by path");
	pub_sum_start(&read_sum);
	pub_sum_add(&read_sum, text.data, 7);
	pub_sum_add(&read_sum, text.data + 7, text.len - 7);
	ok(pub_sum_same(&sum, &read_sum), "its sum is of its bytes, however they are read");
	struct pub_list back = {0};
	buf_reset(&capture_msgs);
	diag_set_sink(capture_sink, NULL);
	pub_parse("published.tsv", text.data, text.len, &back);
	diag_set_sink(NULL, NULL);
	ok((size_t)(capture_msgs.len) == 0, "what is written reads back without a warning");
	ok(pub_stage(file.data, &back, &sum2) == 0 && util_read_file(tmp.data, &again, 1) == 1,
	   "and is staged again");
	is_str(again.data, text.data, "the same bytes");
	ok(pub_sum_same(&sum, &sum2), "the same sum");
	struct buf nowhere = BUF_INIT;
	struct pub_sum sum3;
	buf_printf(&nowhere, "%s/no/such/folder/published.tsv", dir);
	buf_reset(&capture_msgs);
	diag_set_sink(capture_sink, NULL);
	ok(pub_stage(nowhere.data, &back, &sum3) == -1 &&
	       strstr(capture_msgs.data, "cannot write the manifest") != NULL,
	   "a manifest that cannot be staged: warned");
	diag_set_sink(NULL, NULL);
	ok(pub_sum_same(&sum, &sum3), "but its sum is the whole text's");
	buf_release(&nowhere);
	ok(pub_install(file.data) == 0 && access(tmp.data, F_OK) < 0, "installed, renamed");
	back.v[0].path[0] = back.v[0].path[0] == 'z' ? 'y' : 'z';
	ok(pub_stage(file.data, &back, &sum2) == 0 && !pub_sum_same(&sum, &sum2),
	   "a changed row, another sum");
	pub_unstage(file.data);
	ok(access(tmp.data, F_OK) < 0, "unstaged, the staged file is gone");

	struct pub_memo got;
	struct pub_memo put = {.sum = sum, .rows = 0x1234abcd, .redirects = 3, .moved = 0xfeed};
	for (size_t i = 0; i < l.n; i++)
		pub_set_add(&put.set, l.v[i].path);
	ok(pub_memo_get(memo.data, file.data, &got) == 0, "no memo yet");
	pub_memo_put(memo.data, file.data, &put);
	ok(pub_memo_get(memo.data, file.data, &got) == 1 && pub_sum_same(&got.sum, &sum) &&
	       pub_set_same(&got.set, &put.set),
	   "the memo gives the sum and the path set of the file as it is");
	ok(got.rows == 0x1234abcd && got.redirects == 3 && got.moved == 0xfeed,
	   "and what its rows were made from, its redirects and their list's hash");
	FILE *f = fopen(file.data, "a");
	ok(f && fputs("x", f) >= 0 && fclose(f) == 0, "the manifest changed by hand");
	ok(pub_memo_get(memo.data, file.data, &got) == 0, "then the memo is not taken");

	/* the set of paths, whatever their order */
	struct pub_set ab = {0}, ba = {0}, a = {0}, ac = {0};
	pub_set_add(&ab, "a.html");
	pub_set_add(&ab, "b.html");
	pub_set_add(&ba, "b.html");
	pub_set_add(&ba, "a.html");
	pub_set_add(&a, "a.html");
	pub_set_add(&ac, "a.html");
	pub_set_add(&ac, "c.html");
	ok(pub_set_same(&ab, &ba), "two orders of the same paths, one set");
	ok(!pub_set_same(&ab, &a) && !pub_set_same(&ab, &ac), "a path more or another, another set");

	struct pub_list none = {0};
	ok(pub_read(tmp.data, 0, &none) == 0, "a missing manifest is no error");
	unlink(file.data);
	unlink(memo.data);
	rmdir(dir);
	pub_free(&l);
	pub_free(&back);
	pub_free(&none);
	buf_release(&text);
	buf_release(&again);
	buf_release(&file);
	buf_release(&tmp);
	buf_release(&memo);
}

static int
S_not_index(const char *path, void *arg)
{
	return strcmp(path, arg) != 0;
}

/* A manifest read a line at a time, only the rows a reader keeps; rows
   that point at their caller's strings, written as pub_add's would be. */
static void
S_streamed(void)
{
	char dir[] = "/tmp/baoku-pub.XXXXXX";
	ok(mkdtemp(dir) != NULL, "a scratch folder");
	struct buf file = BUF_INIT, text = BUF_INIT;
	buf_printf(&file, "%s/published.tsv", dir);
	FILE *f = fopen(file.data, "w");
	ok(f && fputs(S_manifest, f) >= 0 && fputs("tail.html\thtml\t\t\t\t\t\t\t", f) >= 0 &&
	       fclose(f) == 0,
	   "a manifest on disk, its last line without a line end");
	struct pub_list l = {.keep = S_not_index, .keep_arg = "index.html"};
	buf_reset(&capture_msgs);
	diag_set_sink(capture_sink, NULL);
	ok(pub_read(file.data, 1, &l) == 1, "read");
	diag_set_sink(NULL, NULL);
	ok(l.n == 7 && !strcmp(l.v[6].path, "tail.html") && !strcmp(l.v[1].title, "标题"),
	   "every row but the one refused, the last line's too");
	ok(strstr(capture_msgs.data, "published.tsv:6:30: warning: too few fields") != NULL,
	   "damaged lines warned at their line and column, as from text");

	/* rows held elsewhere, staged one at a time: the same bytes and sum
	   as the list staged whole */
	char title[] = "一\t二\n三";
	struct pub_row rows[] = {
	    {"a.html", "html", "", "", "", "", "", "", ""},
	    {"articles/ab/abcd.html", "article", "", "", "", "", "01", "", title}};
	struct pub_sum one_by_one, whole;
	struct pub_stager *s = pub_stage_start(file.data, &one_by_one);
	for (size_t i = 0; i < 2; i++)
		pub_stage_row(s, &rows[i]);
	ok(pub_stage_end(s) == 0, "rows staged one at a time");
	buf_printf(&text, "%s.tmp", file.data);
	struct buf staged = BUF_INIT;
	ok(util_read_file(text.data, &staged, 0) > 0 &&
	       strstr(staged.data, "a.html\thtml\t\t\t\t\t\t\t\n"
	                           "articles/ab/abcd.html\tarticle\t\t\t\t\t01\t\t一 二 三\n") != NULL,
	   "written in order, tabs and line ends in a field as spaces");
	struct pub_list both = {0};
	pub_add(&both, &rows[1]);
	pub_add(&both, &rows[0]);
	ok(pub_stage(file.data, &both, &whole) == 0 && pub_sum_same(&one_by_one, &whole),
	   "the same sum as the list, sorted, staged whole");
	char nowhere[] = "/nonexistent-baoku/published.tsv";
	buf_reset(&capture_msgs);
	diag_set_sink(capture_sink, NULL);
	s = pub_stage_start(nowhere, &one_by_one);
	pub_stage_row(s, &rows[0]);
	ok(pub_stage_end(s) == -1 && strstr(capture_msgs.data, "cannot write the manifest") != NULL,
	   "a manifest that cannot be written is a warning");
	diag_set_sink(NULL, NULL);
	pub_unstage(file.data);
	unlink(file.data);
	rmdir(dir);
	pub_free(&l);
	pub_free(&both);
	buf_release(&file);
	buf_release(&text);
	buf_release(&staged);
}

int
main(void)
{
	S_keys();
	S_ids();
	S_read();
	S_streamed();
	buf_release(&capture_msgs);
	return tap_done();
}
