#include "issues.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "slug.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * Labels
 * ------------------------------------------------------------------- */

static int
S_known(const char *s)
{
	return s && *s;
}

static int
S_all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

void
iss_page_label(const char *page, const char *section, struct buf *out)
{
	size_t start = out->len;
	if (S_known(page)) {
		if (S_all_digits(page) && strlen(page) < 2)
			buf_printf(out, "第0%s版", page);
		else
			buf_printf(out, "第%s版", page);
	}
	if (S_known(section))
		buf_printf(out, "%s%s", out->len > start ? " " : "", section);
}

void
iss_date_text(const char *date, struct buf *out)
{
	if (!S_known(date) || strlen(date) != 10) {
		buf_adds(out, "日期不详");
		return;
	}
	buf_printf(out, "%d年%d月%d日", atoi(date), atoi(date + 5), atoi(date + 8));
}

/* ---------------------------------------------------------------------
 * Page order
 * ------------------------------------------------------------------- */

/* A page as printed, in parts: letters, then a number. */
struct page_parts {
	const char *prefix;
	size_t prefix_len;
	unsigned long number;
	int has_number;
};

static struct page_parts
S_parts(const char *s)
{
	struct page_parts p = {.prefix = s};
	while (s[p.prefix_len] && (s[p.prefix_len] < '0' || s[p.prefix_len] > '9'))
		p.prefix_len++;
	const char *d = s + p.prefix_len;
	p.has_number = *d != '\0';
	p.number = p.has_number ? strtoul(d, NULL, 10) : 0;
	return p;
}

int
iss_page_cmp(const char *a, const char *b)
{
	if (!S_known(a) || !S_known(b))
		return S_known(b) - S_known(a);
	struct page_parts x = S_parts(a), y = S_parts(b);
	size_t n = x.prefix_len < y.prefix_len ? x.prefix_len : y.prefix_len;
	for (size_t i = 0; i < n; i++) {
		int cx = x.prefix[i] | ((x.prefix[i] >= 'A' && x.prefix[i] <= 'Z') ? 0x20 : 0);
		int cy = y.prefix[i] | ((y.prefix[i] >= 'A' && y.prefix[i] <= 'Z') ? 0x20 : 0);
		if (cx != cy)
			return cx - cy;
	}
	if (x.prefix_len != y.prefix_len)
		return x.prefix_len < y.prefix_len ? -1 : 1;
	if (x.has_number != y.has_number)
		return x.has_number - y.has_number;
	if (x.number != y.number)
		return x.number < y.number ? -1 : 1;
	return strcmp(a, b);
}

/* ---------------------------------------------------------------------
 * Grouping
 * ------------------------------------------------------------------- */

static const char *
S_or_empty(const char *s)
{
	return s ? s : "";
}

/* An entry being sorted, with its index. */
struct sorting {
	const struct iss_entry *e;
	size_t i;
};

/* The order of the entries: paper (the unnamed last), date (the undated
   last), page, source, then as given. */
static int
S_entry_cmp(const void *x, const void *y)
{
	const struct sorting *sa = x, *sb = y;
	const struct iss_entry *a = sa->e, *b = sb->e;
	const char *pa = S_or_empty(a->paper), *pb = S_or_empty(b->paper);
	if (!*pa != !*pb)
		return *pa ? -1 : 1;
	int c = strcmp(pa, pb);
	const char *da = S_or_empty(a->date), *db = S_or_empty(b->date);
	if (c == 0 && !*da != !*db)
		c = *da ? -1 : 1;
	if (c == 0)
		c = strcmp(da, db);
	if (c == 0)
		c = iss_page_cmp(a->page, b->page);
	if (c == 0)
		c = strcmp(S_or_empty(a->source), S_or_empty(b->source));
	if (c == 0)
		c = (sa->i > sb->i) - (sa->i < sb->i);
	return c;
}

/* Gives each paper its slug, in name order: clashes get -2, -3. */
static void
S_slugs(struct iss_set *s, const struct chars *ch)
{
	for (size_t i = 0; i < s->n; i++) {
		struct buf b = BUF_INIT;
		if (*s->v[i].name)
			slug_name(ch, s->v[i].name, &b);
		if (!b.len)
			buf_adds(&b, "unnamed");
		size_t base = b.len;
		for (int dup = 2;; dup++) {
			size_t j = 0;
			while (j < i && strcmp(s->v[j].slug, b.data))
				j++;
			/* "unnamed" is the unnamed paper's, whichever comes first */
			int reserved = *s->v[i].name && !strcmp(b.data, "unnamed");
			if (j == i && !reserved)
				break;
			buf_truncate(&b, base);
			buf_printf(&b, "-%d", dup);
		}
		s->v[i].slug = buf_detach(&b, NULL);
	}
}

void
iss_build(const struct iss_entry *e, size_t n, const struct chars *ch, struct iss_set *out)
{
	memset(out, 0, sizeof *out);
	struct sorting *order = xcalloc(n ? n : 1, sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = (struct sorting){&e[i], i};
	if (n > 1)
		qsort(order, n, sizeof *order, S_entry_cmp);
	size_t cap = 0, pcap = 0;
	struct iss_paper *paper = NULL;
	struct iss_issue *issue = NULL;
	size_t icap = 0;
	for (size_t k = 0; k < n; k++) {
		const struct iss_entry *x = order[k].e;
		const char *name = S_or_empty(x->paper), *date = S_or_empty(x->date);
		if (!paper || strcmp(paper->name, name)) {
			out->v = xgrow(out->v, &cap, out->n, sizeof *out->v, 8);
			paper = &out->v[out->n++];
			memset(paper, 0, sizeof *paper);
			paper->name = name;
			issue = NULL;
			icap = 0;
		}
		if (!issue || strcmp(issue->date, date)) {
			paper->issues = xgrow(paper->issues, &icap, paper->n, sizeof *paper->issues, 8);
			issue = &paper->issues[paper->n++];
			memset(issue, 0, sizeof *issue);
			issue->date = date;
			pcap = 0;
			paper->dated += *date != '\0';
		}
		issue->pages = xgrow(issue->pages, &pcap, issue->n, sizeof *issue->pages, 8);
		issue->pages[issue->n++] = order[k].i;
		paper->pages++;
	}
	free(order);
	S_slugs(out, ch);
}

void
iss_free(struct iss_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		for (size_t k = 0; k < s->v[i].n; k++)
			free(s->v[i].issues[k].pages);
		free(s->v[i].issues);
		free(s->v[i].slug);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}
