#include "archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_int.h"
#include "buf.h"
#include "diag.h"
#include "issues.h"
#include "segment.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * Records
 * ------------------------------------------------------------------- */

const char *
archive_str(const json_t *o, const char *key)
{
	const char *s = view_record_str(o, key, NULL);
	return s ? s : "";
}

static int
S_cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

const char **
archive_sorted_keys(json_t *obj, size_t *n)
{
	*n = json_object_size(obj);
	const char **keys = xcalloc(*n ? *n : 1, sizeof *keys);
	size_t i = 0;
	const char *key;
	json_t *v;
	json_object_foreach (obj, key, v) {
		keys[i++] = key;
	}
	if (*n > 1)
		qsort(keys, *n, sizeof *keys, S_cmp_str);
	return keys;
}

/* The links of names (a JSON list) in links (by name), as a list in m;
   NULL when none has one. */
static mval
S_links_model(struct model *m, const json_t *names, const json_t *links)
{
	size_t n = json_array_size(names), k;
	struct model_list *list = NULL;
	const json_t *name;
	json_array_foreach (names, k, name) {
		const json_t *link = json_object_get(links, json_string_value(name));
		if (!link)
			continue;
		if (!list)
			list = model_list(m, n);
		model_push(m, list, (mval)link);
	}
	return list ? model_list_val(list) : NULL;
}

json_t *
archive_links(const json_t *owners)
{
	json_t *links = json_object();
	const char *name;
	json_t *o;
	json_object_foreach ((json_t *)owners, name, o)
		json_object_set_new(links, name,
		                    json_pack("{s:s,s:O}", "name", name, "href",
		                              json_object_get(o, "href")));
	return links;
}

/* A record's names that link to their pages: the field of the names,
   the key of their links, and whether they are tags (else people). */
static const struct {
	const char *names, *links;
	int tags;
} S_linked[] = {{"reporters", "reporter_links", 0},
                {"photographers", "photographer_links", 0},
                {"tags", "tag_links", 1}};
#define LINKED (sizeof S_linked / sizeof *S_linked)

mval
archive_record_model(const struct archive *a, struct model *m, const json_t *r)
{
	const struct archive_state *st = a->state;
	struct model_map *map = model_map(m, LINKED + 1, view_record_over(m, r));
	for (size_t i = 0; i < LINKED; i++) {
		mval list = S_links_model(m, view_record_get(r, S_linked[i].names),
		                          S_linked[i].tags ? st->tag_links : st->person_links);
		if (list)
			model_set(m, map, S_linked[i].links, list);
		if (list && S_linked[i].tags)
			model_set(m, map, "has_tags", model_bool(1));
	}
	return model_map_val(map);
}

uint64_t
archive_links_hash(const struct archive_state *st, const json_t *r, uint64_t h)
{
	for (size_t i = 0; i < LINKED; i++) {
		const json_t *links = S_linked[i].tags ? st->tag_links : st->person_links, *name;
		size_t k;
		json_array_foreach (view_record_get(r, S_linked[i].names), k, name) {
			const json_t *link = json_object_get(links, json_string_value(name));
			h = mujson_hash(json_object_get(link, "href"), h);
		}
	}
	return h;
}

/* Whether record i of the serial index is the one looked for. */
struct serial_key {
	const json_t *records, *r;
};

static int
S_is_record(const void *ctx, size_t i)
{
	const struct serial_key *k = ctx;
	return json_array_get(k->records, i) == k->r;
}

size_t
archive_serial(const struct archive_state *st, const json_t *r)
{
	struct serial_key k = {st->records, r};
	size_t i = hmap_find(&st->serials, (uint64_t)(uintptr_t)r, S_is_record, &k);
	return i == HMAP_NONE ? (size_t)-1 : i;
}

static void
S_index_serials(struct archive_state *st, const json_t *records)
{
	size_t n = json_array_size(records);
	st->records = records;
	hmap_reserve(&st->serials, n);
	for (size_t i = 0; i < n; i++)
		hmap_add(&st->serials, (uint64_t)(uintptr_t)json_array_get(records, i), i);
}

/* What the archive's order looks at of a record, taken out once. */
struct order_key {
	const char *date, *source;
	size_t serial; /* in page order: its place on its page */
	json_t *r;
};

/* Newest first; undated after dated; then page and position. */
static int
S_newest_first(const void *x, const void *y)
{
	const struct order_key *a = x, *b = y;
	if (*a->date != *b->date && (!*a->date || !*b->date))
		return *a->date ? -1 : 1;
	int c = strcmp(b->date, a->date);
	if (c)
		return c;
	c = strcmp(a->source, b->source);
	if (c)
		return c;
	return (a->serial > b->serial) - (a->serial < b->serial);
}

json_t **
archive_newest_first(json_t *list, size_t n, int by_source, size_t *at)
{
	struct order_key *k = xcalloc(n ? n : 1, sizeof *k);
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_array_get(list, i);
		k[i] = (struct order_key){.date = archive_str(r, "date"),
		                          .source = by_source ? archive_str(r, "source") : "",
		                          .serial = i,
		                          .r = r};
	}
	if (n > 1)
		qsort(k, n, sizeof *k, S_newest_first);
	json_t **sorted = xcalloc(n ? n : 1, sizeof *sorted);
	for (size_t i = 0; i < n; i++) {
		sorted[i] = k[i].r;
		if (at)
			at[i] = k[i].serial;
	}
	free(k);
	return sorted;
}

/* A group or sub-group being filled. */
static json_t *
S_group(json_t *groups, const char *slug, const char *name, const char *dir)
{
	json_t *g = json_object_get(groups, slug);
	if (!g) {
		g = json_pack("{s:s,s:s,s:s,s:[],s:{}}", "slug", slug, "name", name, "dir", dir,
		              "articles", "subgroups");
		json_object_set_new(groups, slug, g);
	}
	return g;
}

void
archive_district_dirs(const json_t *district, struct buf *group, struct buf *sub)
{
	const char *slug = archive_str(district, "slug");
	const char *slash = strchr(slug, '/');
	buf_adds(group, "districts/");
	buf_add(group, slug, slash ? (size_t)(slash - slug) : strlen(slug));
	buf_printf(sub, "districts/%s", slug);
}

/* The groups and sub-groups of the records sorted[0..n), by the slug of
   their district ("group/sub-group"), each with its articles newest first
   and its link. */
static json_t *
S_groups(const struct archive *a, json_t **sorted, size_t n)
{
	json_t *groups = json_object();
	for (size_t i = 0; i < n; i++) {
		const json_t *d = view_record_get(sorted[i], "district");
		const char *slash = strchr(archive_str(d, "slug"), '/');
		struct buf dir = BUF_INIT, subdir = BUF_INIT;
		archive_district_dirs(d, &dir, &subdir);
		json_t *g = S_group(groups, dir.data + strlen("districts/"), archive_str(d, "group"),
		                    dir.data);
		json_array_append(json_object_get(g, "articles"), sorted[i]);
		if (!json_object_get(g, "href"))
			json_object_set_new(g, "href", archive_dir_href(a, dir.data));
		if (slash) {
			json_t *sub = S_group(json_object_get(g, "subgroups"), slash + 1,
			                      archive_str(d, "subgroup"), subdir.data);
			json_array_append(json_object_get(sub, "articles"), sorted[i]);
			if (!json_object_get(sub, "href"))
				json_object_set_new(sub, "href", archive_dir_href(a, subdir.data));
		}
		buf_release(&dir);
		buf_release(&subdir);
	}
	return groups;
}

/* ---------------------------------------------------------------------
 * Continued articles
 * ------------------------------------------------------------------- */

/* The number of the page an article is on, from its metadata; 0 when
   unknown. */
static int
S_page_no(const json_t *r)
{
	const char *p = archive_str(r, "page_no");
	return seg_page_number(p, strlen(p));
}

/*
 * Links the two halves of an article the paper continued on another page
 * (下转第2版 / 上接第1版): same paper, same date, the one half on the page
 * the other names, and the same title (or the only candidate there).
 * Sets continues_href and continued_href on the records, and on a second
 * half without a byline its first half's reporters (first_half_reporters,
 * for its citation).
 */
static void
S_link_halves(json_t **r, size_t n)
{
	/* the articles that continue something, by paper, date and page */
	json_t *by_page = json_object();
	struct buf key = BUF_INIT;
	for (size_t j = 0; j < n; j++) {
		if (!json_integer_value(view_record_get(r[j], "continued_from")) ||
		    !S_page_no(r[j]))
			continue;
		buf_reset(&key);
		buf_printf(&key, "%s|%s|%d", archive_str(r[j], "paper"), archive_str(r[j], "date"),
		           S_page_no(r[j]));
		json_t *list = json_object_get(by_page, key.data);
		if (!list) {
			list = json_array();
			json_object_set_new(by_page, key.data, list);
		}
		json_array_append_new(list, json_integer((json_int_t)j));
	}
	for (size_t i = 0; i < n; i++) {
		json_int_t to = json_integer_value(view_record_get(r[i], "continues_on"));
		int from_page = S_page_no(r[i]);
		if (!to || !from_page || !*archive_str(r[i], "date"))
			continue;
		buf_reset(&key);
		buf_printf(&key, "%s|%s|%d", archive_str(r[i], "paper"), archive_str(r[i], "date"),
		           (int)to);
		size_t best = n, candidates = 0, k;
		json_t *jv;
		json_array_foreach (json_object_get(by_page, key.data), k, jv) {
			size_t j = (size_t)json_integer_value(jv);
			if (json_integer_value(view_record_get(r[j], "continued_from")) !=
			    from_page)
				continue;
			candidates++;
			if (best == n ||
			    !strcmp(archive_str(r[j], "title"), archive_str(r[i], "title")))
				best = j;
		}
		if (best == n || (candidates > 1 && strcmp(archive_str(r[best], "title"),
		                                           archive_str(r[i], "title"))))
			continue;
		view_record_set(r[i], "continues_href", view_record_json(r[best], "href"));
		view_record_set(r[best], "continued_href", view_record_json(r[i], "href"));
		/* the byline is printed with the first half: the second is cited
		   by it too */
		if (!json_array_size(view_record_get(r[best], "reporters")))
			view_record_set(r[best], "first_half_reporters",
			                view_record_json(r[i], "reporters"));
	}
	buf_release(&key);
	json_decref(by_page);
}

/* ---------------------------------------------------------------------
 * What the article pages need
 * ------------------------------------------------------------------- */

/* The records' hashes being made from their item hashes. */
struct record_hashes {
	const struct archive_state *st;
	const struct item_hashes *ih;
};

/* The hash of the record of serial s: its item hash (archive_record_hash)
   with the links of its names. */
static uint64_t
S_record_hash(const void *ctx, size_t s)
{
	const struct record_hashes *rh = ctx;
	return archive_links_hash(rh->st, json_array_get(rh->st->records, s), rh->ih->memo[s]);
}

/* The records are final, their names linked: their hashes key the pages
   made of them. */
static void
S_hash_records(struct archive *a, size_t n, const struct item_hashes *ih)
{
	a->state->n = n;
	a->state->rhash = xcalloc(n ? n : 1, sizeof *a->state->rhash);
	archive_keys(a, n, S_record_hash, &(struct record_hashes){a->state, ih}, a->state->rhash);
}

/* The serial + 1 of record i of list, 0 for none of the archive's. */
static uint32_t
S_serial_1(const struct archive_state *st, const json_t *list, size_t i)
{
	size_t serial = archive_serial(st, json_array_get(list, i));
	return serial < st->n ? (uint32_t)serial + 1 : 0;
}

const json_t *
archive_neighbour(const struct archive_state *st, size_t serial, int older)
{
	uint32_t v = serial < st->n ? (older ? st->older : st->newer)[serial] : 0;
	return v ? json_array_get(st->records, v - 1) : NULL;
}

/* Each article's neighbours in its group (by serial, 32 bits each: the
   archive holds them for every article), and the article pages' URLs
   for the sitemap. */
static void
S_neighbours(struct archive *a, json_t *groups, size_t n)
{
	a->state->newer = xcalloc(n ? n : 1, sizeof *a->state->newer);
	a->state->older = xcalloc(n ? n : 1, sizeof *a->state->older);
	const char *key;
	json_t *g;
	json_object_foreach (groups, key, g) {
		json_t *list = json_object_get(g, "articles");
		size_t m = json_array_size(list);
		for (size_t i = 0; i < m; i++) {
			json_t *r = json_array_get(list, i);
			size_t serial = archive_serial(a->state, r);
			if (serial >= n)
				continue;
			a->state->newer[serial] = i > 0 ? S_serial_1(a->state, list, i - 1) : 0;
			a->state->older[serial] = i + 1 < m ? S_serial_1(a->state, list, i + 1) : 0;
			if (a->urls)
				json_array_append(a->urls, r); /* its href when written */
		}
	}
}

void
archive_free(struct archive *a)
{
	struct archive_state *st = a->state;
	if (!st)
		return;
	free(st->newer);
	free(st->older);
	free(st->rhash);
	hmap_free(&st->serials);
	json_decref(st->person_links);
	json_decref(st->tag_links);
	archive_issues_free(st);
	free(st);
	a->state = NULL;
}

/* ---------------------------------------------------------------------
 * Search
 * ------------------------------------------------------------------- */

/* The posting lists and shards need only the order: they are made from
   the documents sorted like the records while the rest goes on. */
static struct search_fill *
S_search_start(const struct archive *a, json_t **sorted, size_t n, struct search_doc ***ordered)
{
	*ordered = xcalloc(n + a->nextra + 1, sizeof **ordered);
	for (size_t i = 0; i < n; i++)
		(*ordered)[i] = a->docs[archive_serial(a->state, sorted[i])];
	for (size_t i = 0; i < a->nextra; i++) /* searchable pages last */
		(*ordered)[n + i] = a->extra[i].doc;
	return search_fill_start(*ordered, n + a->nextra, a->threads, a->out);
}

/* Each paper's page, by the paper's name: {name: href}. */
static json_t *
S_paper_hrefs(const struct archive *a)
{
	json_t *hrefs = json_object();
	const struct iss_set *set = a->state->issues;
	for (size_t i = 0; set && i < set->n; i++) {
		if (!*set->v[i].name)
			continue;
		struct buf dir = BUF_INIT;
		buf_printf(&dir, "papers/%s", set->v[i].slug);
		json_object_set_new(hrefs, set->v[i].name, archive_dir_href(a, dir.data));
		buf_release(&dir);
	}
	return hrefs;
}

/* The search entries of the archive's articles, sorted, then of its
   searchable pages, made one at a time (search_entries). */
struct search_source {
	const struct archive *a;
	json_t **sorted;
	size_t n;
	json_t *papers; /* S_paper_hrefs */
};

/* A thread's scratch: the last entry's reporters, group slug and href. */
struct search_scratch {
	struct buf names, group;
	struct view_href href;
};

static void
S_search_scratch_free(void *scratch)
{
	struct search_scratch *s = scratch;
	buf_release(&s->names);
	buf_release(&s->group);
}

/* What the facets need of entry i: its group, date and paper. */
static void
S_search_facets(void *ctx, size_t i, struct search_entry *e, void *scratch)
{
	const struct search_source *src = ctx;
	struct search_scratch *s = scratch;
	const struct archive *a = src->a;
	if (i >= src->n) {
		*e = a->extra[i - src->n];
		return;
	}
	const json_t *r = src->sorted[i], *d = view_record_get(r, "district");
	const char *slug = archive_str(d, "slug"), *slash = strchr(slug, '/');
	const char *paper = archive_str(r, "paper");
	buf_reset(&s->group);
	buf_add(&s->group, slug, slash ? (size_t)(slash - slug) : strlen(slug));
	*e = (struct search_entry){
	    .date = archive_str(r, "date"),
	    .group = archive_str(d, "group"),
	    .group_slug = s->group.len ? s->group.data : "",
	    .paper = paper,
	    .paper_href = json_string_value(json_object_get(src->papers, paper))};
}

static void
S_search_entry(void *ctx, size_t i, struct search_entry *e, void *scratch)
{
	const struct search_source *src = ctx;
	struct search_scratch *s = scratch;
	const struct archive *a = src->a;
	S_search_facets(ctx, i, e, scratch);
	if (i >= src->n)
		return;
	const json_t *r = src->sorted[i];
	size_t k;
	json_t *name;
	buf_reset(&s->names);
	json_array_foreach ((json_t *)view_record_get(r, "reporters"), k, name)
		buf_printf(&s->names, "%s%s", s->names.len ? " " : "", json_string_value(name));
	e->doc = a->docs[archive_serial(a->state, r)];
	e->title = archive_str(r, "title");
	e->href = view_record_href(r, &s->href);
	e->reporters = s->names.len ? s->names.data : "";
	e->page_label = archive_str(r, "page_label");
}

/* An article's entry by its record's hash, which holds all the entry
   shows of it but the document (S_search_entry). */
static uint64_t
S_search_key(void *ctx, size_t i)
{
	const struct search_source *src = ctx;
	const struct archive *a = src->a;
	if (i >= src->n)
		return 0;
	size_t serial = archive_serial(a->state, src->sorted[i]);
	if (serial >= a->state->n)
		return 0;
	uint64_t record = a->state->rhash[serial], doc = a->docs[serial]->hash;
	if (!record || !doc)
		return 0;
	uint64_t h = util_mix_u64(util_mix_u64(0, record), doc);
	return h ? h : 1;
}

static int
S_search_index(struct archive *a, json_t **sorted, size_t n, struct search_fill **fill)
{
	struct search_source src = {a, sorted, n, S_paper_hrefs(a)};
	struct search_entries docs = {.n = n + a->nextra,
	                              .get = S_search_entry,
	                              .key = S_search_key,
	                              .facets = S_search_facets,
	                              .ctx = &src,
	                              .scratch_size = sizeof(struct search_scratch),
	                              .scratch_free = S_search_scratch_free};
	int rc = search_build(a->chars, &docs, a->out, *fill, a->threads, &a->search);
	*fill = NULL;
	json_decref(src.papers);
	return rc;
}

/* The search index, once the posting lists are made, and its page. */
static int
S_search(struct archive *a, json_t **sorted, size_t n, struct search_fill *fill, int rc)
{
	if (rc == 0)
		rc = S_search_index(a, sorted, n, &fill);
	search_fill_abandon(fill); /* when the search was not reached */
	if (a->verbose)
		fprintf(
		    stderr,
		    "baoku:   search index: posting lists and shards %.2f s from the order, %.2f s "
		    "waited for; %zu of %zu segments kept from the last build, %zu patched "
		    "(%zu shards made again), %zu made whole%s%s%s, %zu blocks of the others "
		    "read back\n",
		    a->search.fill_seconds, a->search.wait_seconds, a->search.kept,
		    a->search.segments, a->search.patched, a->search.shards_made,
		    a->search.unpatched, a->search.unpatched_why ? " (the first: " : "",
		    a->search.unpatched_why ? a->search.unpatched_why : "",
		    a->search.unpatched_why ? ")" : "", a->search.blocks_kept);
	if (rc == 0) {
		json_t *model = json_object();
		rc = archive_emit(a, "search", model, "search/index.html");
		json_decref(model);
	}
	return rc;
}

/* ---------------------------------------------------------------------
 * The archive
 * ------------------------------------------------------------------- */

int
archive_build(struct archive *a, json_t *articles, json_t *pages)
{
	size_t n = json_array_size(articles);
	struct util_clock t = util_clock();
	a->state = xcalloc(1, sizeof *a->state);
	S_index_serials(a->state, articles);
	json_t **sorted = archive_newest_first(articles, n, 1, NULL);
	struct search_doc **ordered;
	struct search_fill *fill = S_search_start(a, sorted, n, &ordered);
	json_t *groups = S_groups(a, sorted, n);
	util_step(a->verbose, "  sorted and grouped", &t);
	S_link_halves(sorted, n);
	struct emitter *emitter = archive_emitter_start(a);
	struct item_hashes ihash;
	archive_item_hashes_start(a, sorted, n, &ihash);
	int rc = archive_people(a, sorted, n, &ihash);
	if (rc == 0)
		rc = archive_tags(a, sorted, n, &ihash);
	S_hash_records(a, n, &ihash);
	archive_item_hashes_free(&ihash);
	util_step(a->verbose, "  people", &t);
	S_neighbours(a, groups, n);
	json_t *in_print = archive_issues(a, pages);
	util_step(a->verbose, "  order", &t);
	/* the article pages can be made now, while the rest is */
	if (rc == 0 && a->ready)
		a->ready(a->ready_arg);
	if (rc == 0)
		rc = archive_dates(a, sorted, n);
	util_step(a->verbose, "  dates", &t);
	rc = S_search(a, sorted, n, fill, rc);
	free(ordered);
	a->docs = NULL;
	if (a->searched)
		a->searched(a->searched_arg);
	util_step(a->verbose, "  search", &t);
	if (rc == 0)
		rc = archive_listings(a, groups);
	util_step(a->verbose, "  listings", &t);
	if (rc == 0)
		rc = archive_home(a, groups, sorted, n, json_array_size(pages));
	if (rc == 0)
		rc = archive_page_list(a, in_print);
	if (rc == 0)
		rc = archive_papers(a, pages);
	if (rc == 0)
		rc = archive_fixed_pages(a);
	if (rc == 0)
		rc = archive_standalone(a);
	/* last, so the sitemap lists every page */
	if (rc == 0 && *a->cfg->base_url)
		rc = archive_feeds(a, sorted, n, groups);
	else if (rc == 0)
		diag_warning("site.yml", 0, 0,
		             "no base_url, so no Atom feeds and no sitemap.xml (they need absolute "
		             "URLs); set base_url to where the archive is published");
	if (archive_emitter_finish(a, emitter) < 0)
		rc = -1;
	util_step(a->verbose, "  home, printed pages, papers, feeds", &t);
	json_decref(in_print);
	json_decref(groups);
	free(sorted);
	return rc;
}
