/*
 * issues: the paper's own structure over its printed pages, as a reader
 * of a digital edition (数字报) walks it: papers, each paper's issues (one
 * a publication date), each issue's pages in page order (01, 02, ... A01,
 * A02, B01). A page with no paper belongs to the paper named "" (shown as
 * 无报名), one with no date to its paper's undated issue (日期不详):
 * nothing is invented. Also the words readers see for them: 第01版 要闻,
 * 2024年4月9日.
 *
 * The module knows printed pages only as the caller's entries; it never
 * reads a file.
 */
#ifndef BAOKU_ISSUES_H
#define BAOKU_ISSUES_H

#include <stddef.h>

struct buf;
struct chars;

/* One printed page as the caller has it; NULL or "" when not known. The
   strings must outlive the set made of them. */
struct iss_entry {
	const char *paper, *date, *page, *section, *source;
};

struct iss_issue {
	const char *date; /* YYYY-MM-DD, or "" for the paper's undated pages */
	size_t *pages;    /* entries, by their index, in page order */
	size_t n;
};

struct iss_paper {
	const char *name;         /* "" for pages that name no paper */
	char *slug;               /* its URL name (slug.h); "unnamed" for "" */
	struct iss_issue *issues; /* dated oldest first, then the undated */
	size_t n, pages;          /* issues, and pages in them all */
	size_t dated;             /* issues with a date: issues[0..dated) */
};

struct iss_set {
	struct iss_paper *v; /* by name in byte order, the unnamed last */
	size_t n;
};

/*
 * Groups the n entries e into papers and issues (ch spells the papers'
 * slugs; papers whose slugs clash get -2, -3 in name order). The set
 * points at e's strings. Free with iss_free.
 */
void iss_build(const struct iss_entry *e, size_t n, const struct chars *ch, struct iss_set *out);
void iss_free(struct iss_set *s);

/* The order of printed pages: by letter (none first), then number, then
   as written ("2" before "10", "A3" before "B1"); an unknown page (NULL
   or "") after every known one. <0, 0, >0 as strcmp. */
int iss_page_cmp(const char *a, const char *b);

/* Appends a page's label: 第01版 要闻 (a page number alone is written with
   two digits at least, a lettered one as printed: 第A3版), 第02版, or the
   section alone; nothing when neither is known. */
void iss_page_label(const char *page, const char *section, struct buf *out);

/* Appends YYYY-MM-DD as a reader writes it, 2024年4月9日, or 日期不详
   for "" or NULL. */
void iss_date_text(const char *date, struct buf *out);

#endif
