/*
 * The archive by print: papers, their issues and each issue's pages
 * (issues.h), and what a page view shows of its place among them.
 *
 *   papers/index.html                  every paper (papers.mustache)
 *   papers/P/index.html                a paper's issues by year and
 *                                      month, with calendars (paper)
 *   papers/P/YYYY-MM-DD/index.html     an issue: its pages in page order
 *   papers/P/undated/index.html        and their articles (issue)
 */
#include "archive_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "issues.h"
#include "model.h"
#include "mujson.h"
#include "output.h"
#include "util.h"
#include "xalloc.h"

#define UNNAMED "无报名"

/* A page view lists its issue's pages up to this many: a printed issue
   has a few dozen, while an archive's undated pages, which are one issue,
   may be thousands, and each of their views would list them all. Past it
   the view links the issue's own page instead. */
#define NAV_PAGES_MAX 100

/* ---------------------------------------------------------------------
 * Names and links
 * ------------------------------------------------------------------- */

static json_t *
S_text(void (*fn)(const char *, struct buf *), const char *s)
{
	struct buf b = BUF_INIT;
	fn(s, &b);
	json_t *j = json_stringn(b.data ? b.data : "", b.len);
	buf_release(&b);
	return j;
}

static json_t *
S_date_text(const char *date)
{
	return S_text(iss_date_text, date);
}

/* The directory of an issue: papers/P/YYYY-MM-DD, papers/P/undated. */
static void
S_issue_dir(const struct iss_paper *p, const struct iss_issue *is, struct buf *out)
{
	buf_printf(out, "papers/%s/%s", p->slug, *is->date ? is->date : "undated");
}

static json_t *
S_issue_href(const struct archive *a, const struct iss_paper *p, const struct iss_issue *is)
{
	struct buf dir = BUF_INIT;
	S_issue_dir(p, is, &dir);
	json_t *j = archive_dir_href(a, dir.data);
	buf_release(&dir);
	return j;
}

static json_t *
S_paper_href(const struct archive *a, const struct iss_paper *p)
{
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "papers/%s", p->slug);
	json_t *j = archive_dir_href(a, dir.data);
	buf_release(&dir);
	return j;
}

/* Appends a page's label to b: 第01版 要闻, or its title when it names
   neither. */
static void
S_label_text(const json_t *entry, struct buf *b)
{
	size_t at = b->len;
	iss_page_label(archive_str(entry, "page_no"), archive_str(entry, "section"), b);
	if (b->len == at)
		buf_adds(b, archive_str(entry, "title"));
}

/* A page's label (S_label_text) as a string. */
static json_t *
S_label(const json_t *entry)
{
	struct buf b = BUF_INIT;
	S_label_text(entry, &b);
	json_t *j = json_stringn(b.data ? b.data : "", b.len);
	buf_release(&b);
	return j;
}

/* An issue in a link: {href, date, date_text}, or null. */
static json_t *
S_issue_ref(const struct archive *a, const struct iss_paper *p, size_t k)
{
	if (k >= p->n)
		return json_null();
	const struct iss_issue *is = &p->issues[k];
	return json_pack("{s:o,s:s,s:o}", "href", S_issue_href(a, p, is), "date", is->date,
	                 "date_text", S_date_text(is->date));
}

/* ---------------------------------------------------------------------
 * Each page's place: what its view shows
 * ------------------------------------------------------------------- */

/* Appends the heading a page view and its <title> give to b: paper,
   date, label, of what is known (松江报 2024年4月9日 第01版 要闻), for the
   page of index entry e in issue is of paper p. */
static void
S_heading_text(const struct iss_paper *p, const struct iss_issue *is, const json_t *e,
               struct buf *b)
{
	if (*p->name)
		buf_printf(b, "%s ", p->name);
	if (*is->date) {
		iss_date_text(is->date, b);
		buf_addc(b, ' ');
	}
	S_label_text(e, b);
}

/* That heading as a string. */
static json_t *
S_entry_heading(const struct iss_paper *p, const struct iss_issue *is, const json_t *e)
{
	struct buf b = BUF_INIT;
	S_heading_text(p, is, e, &b);
	json_t *j = json_stringn(b.data ? b.data : "", b.len);
	buf_release(&b);
	return j;
}

/* The href of index entry e, its page view, made in h when e does not
   keep it; "" for none. */
static const char *
S_view(const json_t *e, struct view_href *h)
{
	const char *s = view_record_href(e, h);
	return s ? s : "";
}

/* A page of the issue is in a link: {href, label}. */
static json_t *
S_page_ref(const json_t *pages, const struct iss_issue *is, size_t i)
{
	const json_t *e = json_array_get(pages, is->pages[i]);
	struct view_href h;
	return json_pack("{s:s,s:o}", "href", S_view(e, &h), "label", S_label(e));
}

/* A href looked for among the places of st. */
struct place_key {
	const struct archive_state *st;
	const char *href;
	struct view_href *scratch; /* for the places' */
};

static int
S_is_place(const void *ctx, size_t i)
{
	const struct place_key *k = ctx;
	const json_t *e = json_array_get(k->st->pages, k->st->places[i].entry);
	return !strcmp(S_view(e, k->scratch), k->href);
}

static uint64_t
S_href_hash(const char *href)
{
	return util_fnv(UTIL_FNV_START, href, strlen(href));
}

/* Records the place of the page view of entry number e of st's pages
   (a later one for the same href wins). */
static void
S_set_place(struct archive_state *st, size_t e, size_t i, size_t k, size_t j, size_t flat)
{
	struct view_href mine, theirs;
	const char *href = S_view(json_array_get(st->pages, e), &mine);
	uint64_t h = S_href_hash(href);
	hmap_reserve(&st->place_index, 1);
	struct place_key key = {st, href, &theirs};
	size_t slot = hmap_probe(&st->place_index, h, S_is_place, &key);
	size_t at = hmap_entry(&st->place_index, slot);
	if (at == HMAP_NONE) {
		at = st->nplaces++;
		hmap_fill(&st->place_index, slot, h, at);
	}
	st->places[at] =
	    (struct page_place){(uint32_t)e, (uint32_t)i, (uint32_t)k, (uint32_t)j, (uint32_t)flat};
}

/* The pages of issue k of paper i (p), number flat of all the papers'
   issues, get their place. */
static void
S_issue_places(struct archive_state *st, const struct iss_paper *p, size_t i, size_t k, size_t flat)
{
	const struct iss_issue *is = &p->issues[k];
	for (size_t j = 0; j < is->n; j++)
		S_set_place(st, is->pages[j], i, k, j, flat);
}

/* The nav of page i of issue k of paper p (see archive_page_nav): made
   when asked, since the pages list of each page is the whole issue's. */
static json_t *
S_nav(const struct archive *a, const struct iss_paper *p, size_t k, size_t i)
{
	const json_t *pages = a->state->pages;
	const struct iss_issue *is = &p->issues[k];
	const json_t *e = json_array_get(pages, is->pages[i]);
	/* undated pages are not an issue one turns to from the next */
	int dated = *is->date != '\0';
	int listed = is->n <= NAV_PAGES_MAX;
	json_t *here = listed ? json_array() : json_null();
	for (size_t j = 0; j < is->n && listed; j++) {
		json_t *o = S_page_ref(pages, is, j);
		json_object_set_new(o, "current", json_boolean(i == j));
		json_array_append_new(here, o);
	}
	json_t *n = json_pack(
	    "{s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "heading",
	    S_entry_heading(p, is, e), "label", S_label(e), "paper",
	    *p->name ? json_string(p->name) : json_null(), "paper_href", S_paper_href(a, p), "date",
	    is->date, "date_text", S_date_text(is->date), "issue_href", S_issue_href(a, p, is),
	    "prev", i > 0 ? S_page_ref(pages, is, i - 1) : json_null(), "next",
	    i + 1 < is->n ? S_page_ref(pages, is, i + 1) : json_null(), "pages", here, "prev_issue",
	    dated && k > 0 ? S_issue_ref(a, p, k - 1) : json_null(), "next_issue",
	    dated && k + 1 < p->dated ? S_issue_ref(a, p, k + 1) : json_null());
	json_object_set_new(n, "unnamed", json_string(UNNAMED));
	json_object_set_new(n, "listed", json_boolean(listed));
	return n;
}

/* A key of what every page of issue k of paper p shows of the issue
   (a page view's nav, the issue's page: kind says which): the paper's
   name and slug, the issue's date and page count, and the dates of the
   issues either side, which their links are made from. */
static uint64_t
S_issue_key_of(const struct iss_paper *p, size_t k, const char *kind)
{
	const struct iss_issue *is = &p->issues[k];
	int dated = *is->date != '\0';
	const char *near[] = {dated && k > 0 ? p->issues[k - 1].date : NULL,
	                      dated && k + 1 < p->dated ? p->issues[k + 1].date : NULL};
	uint64_t key = out_key(0, kind, strlen(kind) + 1);
	key = out_key(key, p->name, strlen(p->name) + 1);
	key = out_key(key, p->slug, strlen(p->slug) + 1);
	key = out_key(key, is->date, strlen(is->date) + 1);
	for (size_t d = 0; d < 2; d++)
		key = near[d] ? out_key(key, near[d], strlen(near[d]) + 1) : out_key(key, "-", 1);
	return out_key(key, &is->n, sizeof is->n);
}

/* What the navs of issue k's pages (of paper p) share, hashed: the issue
   (S_issue_key_of) and each of its pages' link, number, section and
   title, which each page's nav lists; a page adds its place to it. */
static uint64_t
S_issue_nav_key(const struct iss_paper *p, size_t k, const json_t *pages)
{
	const struct iss_issue *is = &p->issues[k];
	uint64_t key = S_issue_key_of(p, k, "nav");
	static const char *const fields[] = {"href", "page_no", "section", "title"};
	for (size_t j = 0; j < is->n; j++) {
		const json_t *e = json_array_get(pages, is->pages[j]);
		struct view_href h;
		for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
			const char *v = f ? archive_str(e, fields[f]) : S_view(e, &h);
			key = out_key(key, v, strlen(v) + 1);
		}
	}
	return key;
}

/* What makes entry keys: each entry's place (its number + 1; 0 when the
   place of its href is another entry's). */
struct entry_keys {
	const struct archive_state *st;
	const struct iss_set *set;
	const uint32_t *place_of;
};

static const struct page_place *S_place_of(const struct archive_state *st, const char *href);

/* The key of entry e: its fields and briefs (view_entry_hash) and the
   heading of its place (archive_page_heading's), what an issue's page
   and the printed pages' list show of it. */
static uint64_t
S_entry_key(const void *ctx, size_t e)
{
	const struct entry_keys *ek = ctx;
	const json_t *entry = json_array_get(ek->st->pages, e);
	struct view_href h;
	const struct page_place *at = ek->place_of[e] ? &ek->st->places[ek->place_of[e] - 1]
	                                              : S_place_of(ek->st, S_view(entry, &h));
	uint64_t key = out_key(0, "entry", 5);
	if (at) {
		const struct iss_paper *p = &ek->set->v[at->paper];
		struct buf heading = BUF_INIT;
		S_heading_text(p, &p->issues[at->issue], entry, &heading);
		key = util_mix(key, heading.data, heading.len);
		buf_release(&heading);
	}
	return view_entry_hash(entry, ek->st->records, key);
}

/* Each of the n entries' keys (S_entry_key), on threads, once their
   places are known. */
static void
S_entry_keys(struct archive *a, size_t n)
{
	struct archive_state *st = a->state;
	uint32_t *place_of = xcalloc(n ? n : 1, sizeof *place_of);
	for (size_t at = 0; at < st->nplaces; at++)
		place_of[st->places[at].entry] = (uint32_t)at + 1;
	st->entry_keys = xcalloc(n ? n : 1, sizeof *st->entry_keys);
	archive_keys(a, n, S_entry_key, &(struct entry_keys){st, st->issues, place_of},
	             st->entry_keys);
	free(place_of);
}

json_t *
archive_issues(struct archive *a, json_t *pages)
{
	size_t n = json_array_size(pages);
	struct iss_entry *e = xcalloc(n ? n : 1, sizeof *e);
	for (size_t i = 0; i < n; i++) {
		struct view_entry_place at;
		view_entry_place(json_array_get(pages, i), &at);
		e[i] = (struct iss_entry){at.paper, at.date, at.page_no, at.section, at.source};
	}
	struct iss_set *set = xcalloc(1, sizeof *set);
	iss_build(e, n, a->chars, set);
	free(e); /* the set keeps the entries' strings, which pages owns */
	a->state->issues = set;
	a->state->places = xcalloc(n ? n : 1, sizeof *a->state->places);
	a->state->pages = json_incref(pages);
	size_t issues = 0;
	for (size_t i = 0; i < set->n; i++)
		issues += set->v[i].n;
	a->state->issue_nav = xcalloc(issues ? issues : 1, sizeof *a->state->issue_nav);
	json_t *ordered = json_array();
	a->state->in_print = xcalloc(n ? n : 1, sizeof *a->state->in_print);
	size_t flat = 0;
	for (size_t i = 0; i < set->n; i++)
		for (size_t k = 0; k < set->v[i].n; k++, flat++) {
			a->state->issue_nav[flat] = S_issue_nav_key(&set->v[i], k, pages);
			S_issue_places(a->state, &set->v[i], i, k, flat);
			for (size_t j = 0; j < set->v[i].issues[k].n; j++) {
				size_t at = set->v[i].issues[k].pages[j];
				a->state->in_print[json_array_size(ordered)] = (uint32_t)at;
				json_array_append(ordered, json_array_get(pages, at));
			}
		}
	S_entry_keys(a, n);
	return ordered;
}

/* The place of the page view at href, or NULL for a page not known. */
static const struct page_place *
S_place_of(const struct archive_state *st, const char *href)
{
	if (!st || !st->places || !href)
		return NULL;
	struct view_href theirs;
	struct place_key key = {st, href, &theirs};
	size_t at = hmap_find(&st->place_index, S_href_hash(href), S_is_place, &key);
	return at == HMAP_NONE ? NULL : &st->places[at];
}

/* The place of the page view at href: its paper, and the numbers of its
   issue and of it there in *k and *j; NULL for a page not known. */
static const struct iss_paper *
S_place(const struct archive *a, const char *href, size_t *k, size_t *j)
{
	const struct page_place *at = S_place_of(a->state, href);
	if (!at)
		return NULL;
	*k = at->issue;
	*j = at->pos;
	return &a->state->issues->v[at->paper];
}

json_t *
archive_page_nav(const struct archive *a, const char *href)
{
	size_t k, j;
	const struct iss_paper *p = S_place(a, href, &k, &j);
	return p ? S_nav(a, p, k, j) : NULL;
}

uint64_t
archive_page_nav_key(const struct archive *a, const char *href)
{
	const struct page_place *at = S_place_of(a->state, href);
	if (!at)
		return 0;
	/* what S_nav makes it from: its issue's (S_issue_nav_key) and its
	   place */
	uint64_t key = out_key(a->state->issue_nav[at->flat], &at->pos, sizeof at->pos);
	return key ? key : 1;
}

json_t *
archive_page_heading(const struct archive *a, const json_t *entry)
{
	size_t k, j;
	struct view_href h;
	const struct iss_paper *p = S_place(a, S_view(entry, &h), &k, &j);
	return p ? S_entry_heading(p, &p->issues[k], entry) : NULL;
}

json_t *
archive_page_issue_href(const struct archive *a, const char *href)
{
	size_t k, j;
	const struct iss_paper *p = S_place(a, href, &k, &j);
	return p ? S_issue_href(a, p, &p->issues[k]) : NULL;
}

void
archive_issues_free(struct archive_state *st)
{
	if (st->issues)
		iss_free(st->issues);
	free(st->issues);
	free(st->places);
	free(st->issue_nav);
	free(st->in_print);
	free(st->entry_keys);
	hmap_free(&st->place_index);
	json_decref(st->pages);
	st->issues = NULL;
	st->places = NULL;
	st->issue_nav = NULL;
	st->in_print = NULL;
	st->entry_keys = NULL;
	st->nplaces = 0;
	st->pages = NULL;
}

/* ---------------------------------------------------------------------
 * The pages of the papers
 * ------------------------------------------------------------------- */

/* The key of issue k's page of paper p: what it is made from (its paper,
   date and neighbours, each page's entry key: its fields, briefs and
   heading), so that a page the last build made from the same is kept
   without its model. */
static uint64_t
S_issue_key(const struct archive *a, const struct iss_paper *p, size_t k)
{
	const struct iss_issue *is = &p->issues[k];
	uint64_t key = S_issue_key_of(p, k, "issue");
	for (size_t i = 0; i < is->n; i++)
		key = util_mix_u64(key, a->state->entry_keys[is->pages[i]]);
	return key ? key : 1;
}

/* A paper's issues' keys being made. */
struct issue_keys {
	const struct archive *a;
	const struct iss_paper *p;
};

static uint64_t
S_issue_key_at(const void *ctx, size_t k)
{
	const struct issue_keys *ik = ctx;
	return S_issue_key(ik->a, ik->p, k);
}

/* An issue's page, made from key: its pages in page order, each with its
   articles. */
static int
S_issue_page(const struct archive *a, const struct iss_paper *p, size_t k, json_t *pages,
             uint64_t key)
{
	const struct iss_issue *is = &p->issues[k];
	struct buf file = BUF_INIT;
	S_issue_dir(p, is, &file);
	buf_adds(&file, "/index.html");
	if (archive_kept(a, file.data, key)) {
		buf_release(&file);
		return 0;
	}
	json_t *list = json_array();
	size_t articles = 0;
	for (size_t i = 0; i < is->n; i++) {
		json_t *e = json_array_get(pages, is->pages[i]);
		struct view_href h;
		articles += (size_t)json_integer_value(view_entry_get(e, "count"));
		json_array_append_new(list, json_pack("{s:s,s:o,s:s,s:O,s:o,s:O?}", "href",
		                                      S_view(e, &h), "label", S_label(e), "title",
		                                      archive_str(e, "title"), "count",
		                                      view_entry_get(e, "count"), "articles",
		                                      view_briefs(e, a->state->records), "scan",
		                                      view_entry_get(e, "scan")));
	}
	int dated = *is->date != '\0';
	json_t *model = json_pack(
	    "{s:s,s:b,s:o,s:s,s:o,s:b,s:o,s:I,s:I,s:o,s:o}", "paper", *p->name ? p->name : UNNAMED,
	    "named", *p->name != '\0', "paper_href", S_paper_href(a, p), "date", is->date,
	    "date_text", S_date_text(is->date), "dated", dated, "pages", list, "count",
	    (json_int_t)is->n, "articles", (json_int_t)articles, "prev_issue",
	    dated && k > 0 ? S_issue_ref(a, p, k - 1) : json_null(), "next_issue",
	    dated && k + 1 < p->dated ? S_issue_ref(a, p, k + 1) : json_null());
	int rc = archive_emit_key(a, "issue", model, file.data, key);
	buf_release(&file);
	json_decref(model);
	return rc;
}

/* The date text of an issue's date, in the arena of m. */
static mval
S_date_text_model(struct model *m, const char *date, struct buf *scratch)
{
	buf_reset(scratch);
	iss_date_text(date, scratch);
	return model_strcopy(m, scratch->data ? scratch->data : "", scratch->len);
}

/* The key of paper p's page at relpath: what it shows of p (its issues'
   dates and page counts, its intro). */
static uint64_t
S_paper_key(const struct iss_paper *p, const char *relpath, const json_t *intro)
{
	uint64_t key = out_key(0, relpath, strlen(relpath) + 1);
	key = out_key(key, p->name, strlen(p->name) + 1);
	uint64_t counts[3] = {p->dated, p->pages, p->n};
	key = out_key(key, counts, sizeof counts);
	for (size_t k = 0; k < p->n; k++) {
		uint64_t n = p->issues[k].n;
		key = out_key(key, p->issues[k].date, strlen(p->issues[k].date) + 1);
		key = out_key(key, &n, sizeof n);
	}
	key = intro ? mujson_hash(intro, key) : key;
	return key ? key : 1;
}

/* The years of paper p's issues (newest first), each with its months,
   each month with its issues and its calendar, whose days with an issue
   are links: in the arena of m, as a paper of decades has tens of
   thousands of issues (as JSON objects, 37 MB of one of a million page
   files). */
static mval
S_paper_years(const struct archive *a, struct model *m, const struct iss_paper *p)
{
	struct model_list *years = model_list(m, 8), *months = NULL, *issues = NULL;
	struct model_map *mm = NULL;
	json_t *links[32] = {0};
	struct buf text = BUF_INIT;
	int year = 0, month = 0;
	for (size_t k = p->dated; k-- > 0;) {
		const struct iss_issue *is = &p->issues[k];
		int y = atoi(is->date), mo = atoi(is->date + 5), d = atoi(is->date + 8);
		if (!months || y != year) {
			struct model_map *ym = model_map(m, 2, NULL);
			months = model_list(m, 12);
			model_set(m, ym, "year", model_int(m, y));
			model_set(m, ym, "months", model_list_val(months));
			model_push(m, years, model_map_val(ym));
			year = y;
			issues = NULL;
		}
		if (!issues || mo != month) {
			mm = model_map(m, 4, NULL);
			issues = model_list(m, 8);
			model_set(m, mm, "year", model_int(m, y));
			model_set(m, mm, "month", model_int(m, mo));
			model_set(m, mm, "issues", model_list_val(issues));
			model_push(m, months, model_map_val(mm));
			month = mo;
			memset(links, 0, sizeof links);
		}
		json_t *href = archive_dir_href(a, is->date); /* m holds it */
		struct model_map *im = model_map(m, 4, NULL);
		model_set(m, im, "href", model_hold(m, href));
		model_set(m, im, "date", model_str(m, is->date));
		model_set(m, im, "date_text", S_date_text_model(m, is->date, &text));
		model_set(m, im, "pages", model_int(m, (long long)is->n));
		model_push(m, issues, model_map_val(im));
		if (d >= 0 && d < 32)
			links[d] = href;
		/* the month is whole once its first issue is reached */
		if (k == 0 || strncmp(p->issues[k - 1].date, is->date, 7))
			model_set(m, mm, "weeks", model_hold(m, archive_calendar(y, mo, links)));
	}
	buf_release(&text);
	return model_list_val(years);
}

/* A paper's page: its issues by year and month (S_paper_years), its
   first and last dates, its undated pages and its intro (mdsite_intros),
   when one is written. Kept when the last build made it from the same. */
static int
S_paper_page(const struct archive *a, const struct iss_paper *p)
{
	struct buf file = BUF_INIT;
	buf_printf(&file, "paper:%s", p->name);
	json_t *intro = json_object_get(a->intros, file.data);
	buf_reset(&file);
	buf_printf(&file, "papers/%s/index.html", p->slug);
	uint64_t key = S_paper_key(p, file.data, intro);
	if (archive_kept(a, file.data, key)) {
		buf_release(&file);
		return 0;
	}
	const struct iss_issue *undated = p->dated < p->n ? &p->issues[p->dated] : NULL;
	struct model *m = xcalloc(1, sizeof *m);
	struct model_map *model = model_map(m, 9, NULL);
	struct buf text = BUF_INIT;
	model_set(m, model, "paper", model_str(m, *p->name ? p->name : UNNAMED));
	model_set(m, model, "named", model_bool(*p->name != '\0'));
	model_set(m, model, "first_date_text",
	          p->dated ? S_date_text_model(m, p->issues[0].date, &text) : model_null());
	model_set(m, model, "last_date_text",
	          p->dated ? S_date_text_model(m, p->issues[p->dated - 1].date, &text)
	                   : model_null());
	model_set(m, model, "issues", model_int(m, (long long)p->dated));
	model_set(m, model, "pages", model_int(m, (long long)p->pages));
	model_set(m, model, "years", S_paper_years(a, m, p));
	model_set(m, model, "undated",
	          undated
	              ? model_hold(m, json_pack("{s:o,s:I}", "href", archive_dir_href(a, "undated"),
	                                        "count", (json_int_t)undated->n))
	              : model_null());
	if (intro)
		model_set(m, model, "intro", model_hold(m, json_incref(intro)));
	int rc = archive_emit_model(a, "paper", m, model, file.data, key);
	buf_release(&text);
	buf_release(&file);
	return rc;
}

json_t *
archive_paper_list(const struct archive *a)
{
	const struct iss_set *set = a->state->issues;
	json_t *list = json_array();
	for (size_t i = 0; set && i < set->n; i++) {
		const struct iss_paper *p = &set->v[i];
		json_array_append_new(
		    list,
		    json_pack("{s:s,s:b,s:o,s:o,s:o,s:I,s:I,s:o,s:I}", "paper",
		              *p->name ? p->name : UNNAMED, "named", *p->name != '\0', "href",
		              S_paper_href(a, p), "first_date_text",
		              p->dated ? S_date_text(p->issues[0].date) : json_null(),
		              "last_date_text",
		              p->dated ? S_date_text(p->issues[p->dated - 1].date) : json_null(),
		              "issues", (json_int_t)p->dated, "pages", (json_int_t)p->pages,
		              "latest", p->dated ? S_issue_ref(a, p, p->dated - 1) : json_null(),
		              "undated", (json_int_t)(p->n - p->dated)));
	}
	return list;
}

int
archive_papers(const struct archive *a, json_t *pages)
{
	const struct iss_set *set = a->state->issues;
	int rc = 0;
	for (size_t i = 0; set && i < set->n && rc == 0; i++) {
		const struct iss_paper *p = &set->v[i];
		rc = S_paper_page(a, p);
		struct issue_keys ik = {a, p};
		uint64_t *keys = xreallocarray(NULL, p->n ? p->n : 1, sizeof *keys);
		archive_keys(a, p->n, S_issue_key_at, &ik, keys);
		for (size_t k = 0; k < p->n && rc == 0; k++)
			rc = S_issue_page(a, p, k, pages, keys[k]);
		free(keys);
	}
	if (rc == 0) {
		json_t *model = json_pack("{s:o,s:I}", "papers", archive_paper_list(a), "count",
		                          (json_int_t)(set ? set->n : 0));
		rc = archive_emit(a, "papers", model, "papers/index.html");
		json_decref(model);
	}
	return rc;
}
