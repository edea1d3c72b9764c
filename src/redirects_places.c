/*
 * redirects_places: where this build's articles and page views are, by
 * their former names and by their printed page (redirects_places.h).
 */
#include "redirects_places.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hmap.h"
#include "ids.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

struct rplaces {
	const json_t *records, *entries;
	struct hmap former_article; /* records with a former id, by its page's path */
	struct hmap former_view;    /* entries of views named otherwise before */
	struct hmap on_page;        /* pages of records, by ident: numbers in first */
	uint32_t *first;            /* each page's first record */
	uint32_t *next;             /* each record's next on its page + 1; 0: none */
	struct hmap view_of;        /* entries of views, by ident */
};

/* A key looked for: its text, and room to make a candidate's in. */
struct key {
	const struct rplaces *p;
	const char *s;
	struct buf *scratch;
};

static uint64_t
S_hash(const char *s, size_t len)
{
	return util_mix(0, s, len);
}

void
rplaces_ident(const json_t *o, struct buf *out)
{
	struct view_ident id;
	view_record_ident(o, &id);
	if (*id.paper && *id.date && *id.page_no) {
		buf_printf(out, "%s\t%s\t", id.paper, id.date);
		ids_page_key(id.page_no, out);
	}
}

/* The page of record rec under its former id in out; 0 when it has none. */
static int
S_former_article(const json_t *rec, struct buf *out)
{
	const char *was = view_record_str(rec, "was", NULL);
	if (!was || !*was)
		return 0;
	buf_printf(out, "articles/%.2s/%s.html", was, was);
	return 1;
}

/* The view of entry e as named from its file, in out. */
static void
S_former_view(const json_t *e, struct buf *out)
{
	const char *source = view_record_str(e, "source", NULL);
	char *slug = view_slug(source ? source : "");
	buf_printf(out, "pages/%s.html", slug);
	free(slug);
}

int
rplaces_is_view_href(const char *href)
{
	return !strncmp(href, "pages/", 6);
}

/* Whether entry e is a printed page's, with a view. */
static int
S_is_view(const json_t *e)
{
	struct view_href h;
	const char *href = view_record_href(e, &h);
	return href && rplaces_is_view_href(href);
}

static int
S_is_former_article(const void *ctx, size_t i)
{
	const struct key *k = ctx;
	buf_reset(k->scratch);
	return S_former_article(json_array_get(k->p->records, i), k->scratch) &&
	       !strcmp(k->scratch->data, k->s);
}

static int
S_is_former_view(const void *ctx, size_t i)
{
	const struct key *k = ctx;
	buf_reset(k->scratch);
	S_former_view(json_array_get(k->p->entries, i), k->scratch);
	return !strcmp(k->scratch->data, k->s);
}

/* Whether o (a record or an entry) is on the printed page k names. */
static int
S_ident_is(const struct key *k, const json_t *o)
{
	buf_reset(k->scratch);
	rplaces_ident(o, k->scratch);
	return !strcmp(k->scratch->data, k->s);
}

static int
S_is_page(const void *ctx, size_t i)
{
	const struct key *k = ctx;
	return S_ident_is(k, json_array_get(k->p->records, k->p->first[i]));
}

static int
S_is_view_of(const void *ctx, size_t i)
{
	const struct key *k = ctx;
	return S_ident_is(k, json_array_get(k->p->entries, i));
}

/* Adds entry i under the key in k->s to m unless one is there (the first
   given wins). */
static void
S_add(struct hmap *m, struct key *k, hmap_eq_fn eq, size_t i)
{
	uint64_t h = S_hash(k->s, strlen(k->s));
	hmap_reserve(m, 1);
	size_t slot = hmap_probe(m, h, eq, k);
	if (hmap_entry(m, slot) == HMAP_NONE)
		hmap_fill(m, slot, h, i);
}

/* The records: by former id, the last of a name winning (given last to
   first); by page, each page's in order (linked last to first). */
static void
S_learn_articles(struct rplaces *p)
{
	size_t n = json_array_size(p->records);
	struct buf name = BUF_INIT, scratch = BUF_INIT;
	struct key k = {p, NULL, &scratch};
	p->first = xcalloc(n ? n : 1, sizeof *p->first);
	p->next = xcalloc(n ? n : 1, sizeof *p->next);
	for (size_t i = n; i-- > 0;) {
		const json_t *rec = json_array_get(p->records, i);
		buf_reset(&name);
		if (S_former_article(rec, &name)) {
			k.s = name.data;
			S_add(&p->former_article, &k, S_is_former_article, i);
		}
		buf_reset(&name);
		rplaces_ident(rec, &name);
		if (!name.len)
			continue;
		k.s = name.data;
		uint64_t h = S_hash(name.data, name.len);
		hmap_reserve(&p->on_page, 1);
		size_t slot = hmap_probe(&p->on_page, h, S_is_page, &k);
		size_t page = hmap_entry(&p->on_page, slot);
		if (page == HMAP_NONE) {
			page = p->on_page.n;
			hmap_fill(&p->on_page, slot, h, page);
		} else {
			p->next[i] = p->first[page] + 1;
		}
		p->first[page] = (uint32_t)i;
	}
	buf_release(&name);
	buf_release(&scratch);
}

/* The page views: by the name made from their file when their href is
   not that, the last winning; by page, the first. */
static void
S_learn_views(struct rplaces *p)
{
	size_t n = json_array_size(p->entries);
	struct buf name = BUF_INIT, scratch = BUF_INIT;
	struct key k = {p, NULL, &scratch};
	struct view_href h;
	for (size_t i = n; i-- > 0;) {
		const json_t *e = json_array_get(p->entries, i);
		buf_reset(&name);
		if (!S_is_view(e))
			continue;
		S_former_view(e, &name);
		if (strcmp(name.data, view_record_href(e, &h))) {
			k.s = name.data;
			S_add(&p->former_view, &k, S_is_former_view, i);
		}
	}
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(p->entries, i);
		buf_reset(&name);
		if (!S_is_view(e))
			continue;
		rplaces_ident(e, &name);
		if (name.len) {
			k.s = name.data;
			S_add(&p->view_of, &k, S_is_view_of, i);
		}
	}
	buf_release(&name);
	buf_release(&scratch);
}

struct rplaces *
rplaces_make(const json_t *records, const json_t *entries)
{
	struct rplaces *p = xcalloc(1, sizeof *p);
	p->records = records;
	p->entries = entries;
	S_learn_articles(p);
	S_learn_views(p);
	return p;
}

void
rplaces_free(struct rplaces *p)
{
	if (!p)
		return;
	struct hmap *maps[] = {&p->former_article, &p->former_view, &p->on_page, &p->view_of};
	for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
		hmap_free(maps[i]);
	free(p->first);
	free(p->next);
	free(p);
}

/* The number of the entry of m under key s, or HMAP_NONE. */
static size_t
S_find(const struct rplaces *p, const struct hmap *m, hmap_eq_fn eq, const char *s)
{
	struct buf scratch = BUF_INIT;
	struct key k = {p, s, &scratch};
	size_t i = hmap_find(m, S_hash(s, strlen(s)), eq, &k);
	buf_release(&scratch);
	return i;
}

const char *
rplaces_former(const struct rplaces *p, const char *path, struct view_href *h)
{
	size_t i = S_find(p, &p->former_article, S_is_former_article, path);
	if (i != HMAP_NONE)
		return view_record_href(json_array_get(p->records, i), h);
	i = S_find(p, &p->former_view, S_is_former_view, path);
	return i == HMAP_NONE ? NULL : view_record_href(json_array_get(p->entries, i), h);
}

long
rplaces_first(const struct rplaces *p, const char *ident)
{
	size_t page = S_find(p, &p->on_page, S_is_page, ident);
	return page == HMAP_NONE ? -1 : (long)p->first[page];
}

long
rplaces_next(const struct rplaces *p, long i)
{
	return i >= 0 && p->next[i] ? (long)p->next[i] - 1 : -1;
}

const json_t *
rplaces_view(const struct rplaces *p, const char *ident)
{
	size_t i = S_find(p, &p->view_of, S_is_view_of, ident);
	return i == HMAP_NONE ? NULL : json_array_get(p->entries, i);
}
