/*
 * The paper's own structure (issues.h): pages in page order, papers and
 * issues grouped without inventing a paper or a date, the labels readers
 * see; and the slugs papers' URLs are named by (slug.h).
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "chars.h"
#include "issues.h"
#include "slug.h"
#include "tap.h"

static void
S_order(void)
{
	static const char *const pages[] = {"01", "02", "2", "03", "10", "A01", "A2", "a03", "B01", "B10", ""};
	size_t n = sizeof pages / sizeof *pages;
	for (size_t i = 0; i + 1 < n; i++)
		ok(iss_page_cmp(pages[i], pages[i + 1]) <= 0 &&
		       iss_page_cmp(pages[i + 1], pages[i]) >= 0,
		   "page %s comes before page %s", pages[i], *pages[i + 1] ? pages[i + 1] : "(unknown)");
	ok(iss_page_cmp("2", "02") != 0, "2 and 02 stay apart, in a fixed order");
	ok(iss_page_cmp(NULL, "01") > 0, "an unknown page comes last");
}

static void
S_labels(void)
{
	static const struct {
		const char *page, *section, *want;
	} cases[] = {
	    {"1", "要闻", "第01版 要闻"}, {"01", "要闻", "第01版 要闻"}, {"12", NULL, "第12版"},
	    {"A3", "区县", "第A3版 区县"}, {"B07", "佛山新闻", "第B07版 佛山新闻"},
	    {NULL, "专版", "专版"},        {"", "", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf b = BUF_INIT;
		iss_page_label(cases[i].page, cases[i].section, &b);
		is_str(b.data ? b.data : "", cases[i].want, "label of page %s",
		       cases[i].page ? cases[i].page : "(none)");
		buf_release(&b);
	}
	struct buf d = BUF_INIT;
	iss_date_text("2024-04-09", &d);
	is_str(d.data, "2024年4月9日", "a date as a reader writes it");
	buf_reset(&d);
	iss_date_text("", &d);
	is_str(d.data, "日期不详", "no date is 日期不详, never a made-up one");
	buf_release(&d);
}

static void
S_grouping(const struct chars *ch)
{
	const struct iss_entry e[] = {
	    {"松江报", "2024-04-09", "02", "综合新闻", "s/0409/02.txt"},
	    {"松江报", "2024-04-09", "01", "要闻", "s/0409/01.txt"},
	    {"嘉兴日报", "2024-04-10", "A01", NULL, "j/0410/A01.txt"},
	    {"松江报", "2024-04-02", "01", NULL, "s/0402/01.txt"},
	    {NULL, NULL, NULL, NULL, "000.txt"},
	    {"松江报", NULL, "03", NULL, "s/x/03.txt"},
	    {"", "2024-01-01", "01", NULL, "undated-paper.txt"},
	};
	struct iss_set s;
	iss_build(e, sizeof e / sizeof *e, ch, &s);
	ok(s.n == 3, "three papers: two named and the unnamed (%zu)", s.n);
	is_str(s.v[0].name, "嘉兴日报", "papers by name");
	is_str(s.v[1].name, "松江报", "then the next");
	is_str(s.v[2].name, "", "the pages with no paper last, under no invented name");
	is_str(s.v[1].slug, "song-jiang-bao", "a paper's slug is its pinyin");
	is_str(s.v[2].slug, "unnamed", "the unnamed paper's slug");
	const struct iss_paper *sj = &s.v[1];
	ok(sj->n == 3 && sj->dated == 2 && sj->pages == 4, "松江报: two dated issues and its undated pages");
	is_str(sj->issues[0].date, "2024-04-02", "issues oldest first");
	is_str(sj->issues[2].date, "", "the undated issue last");
	ok(sj->issues[1].n == 2 && sj->issues[1].pages[0] == 1 && sj->issues[1].pages[1] == 0,
	   "an issue's pages in page order, whatever order they came in");
	ok(s.v[2].n == 2 && s.v[2].dated == 1, "a dated page with no paper keeps its date");
	iss_free(&s);
	ok(s.n == 0 && s.v == NULL, "iss_free empties the set");
	iss_build(NULL, 0, ch, &s);
	ok(s.n == 0, "no pages, no papers");
	iss_free(&s);
	/* two papers whose slugs clash, and one that spells the reserved name */
	const struct iss_entry c[] = {
	    {"unnamed", "2024-01-01", "1", NULL, "a.txt"},
	    {NULL, "2024-01-01", "1", NULL, "b.txt"},
	    {"Unnamed", "2024-01-01", "1", NULL, "c.txt"},
	};
	iss_build(c, 3, ch, &s);
	ok(s.n == 3 && strcmp(s.v[0].slug, "unnamed") && strcmp(s.v[1].slug, "unnamed") &&
	       strcmp(s.v[0].slug, s.v[1].slug) && !strcmp(s.v[2].slug, "unnamed"),
	   "slugs stay apart, and unnamed is the unnamed paper's (%s, %s, %s)", s.v[0].slug,
	   s.v[1].slug, s.v[2].slug);
	iss_free(&s);
}

static void
S_slug(const struct chars *ch)
{
	struct buf b = BUF_INIT;
	slug_name(ch, "陈涛", &b);
	is_str(b.data, "chen-tao", "a person's name in pinyin");
	buf_reset(&b);
	slug_name(ch, "Shanghai Daily 2版", &b);
	is_str(b.data, "shanghai-20-daily-20-2-ban", "ASCII words stay, other characters in hex");
	buf_release(&b);
}

int
main(void)
{
	struct chars *ch = chars_load("data");
	ok(ch != NULL, "the character tables load");
	S_order();
	S_labels();
	if (ch) {
		S_grouping(ch);
		S_slug(ch);
	}
	chars_free(ch);
	return tap_done();
}
