#include "archive_int.h"

#include <stdlib.h>

#include "buf.h"
#include "mujson.h"
#include "output.h"
#include "util.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * Views and their pager
 * ------------------------------------------------------------------- */

/* The file of view v of a listing in its directory: index.html (v 0),
   then index.V.html. No other file of a listing's directory can be named
   so: the page views' names never hold a '.', nor do slugs. */
void
archive_view_file(size_t v, struct buf *out)
{
	if (v == 0)
		buf_adds(out, "index.html");
	else
		buf_printf(out, "index.%zu.html", v);
}

/* The link from one view of a listing to its view v. */
static mval
S_view_href(const struct archive *a, struct model *m, size_t v)
{
	struct buf b = BUF_INIT;
	if (v == 0 && a->cfg->pretty_urls)
		buf_adds(&b, "./");
	else
		archive_view_file(v, &b);
	mval href = model_strcopy(m, b.data, b.len);
	buf_release(&b);
	return href;
}

/* A step of a pager. */
struct pager_step {
	size_t q; /* a place among the views, in reading order */
	int gap;  /* or a gap before the next */
};

/* The pager's steps over `count` places, at place p: the first and the
   last, two either side of p, gaps between; at most 9. */
static size_t
S_pager_steps(size_t p, size_t count, struct pager_step steps[9])
{
	size_t n = 0, last = 0;
	for (size_t q = 0; q < count && count > 1; q++) {
		if (q != 0 && q + 1 != count && (q + 2 < p || q > p + 2))
			continue;
		if (q > last + 1)
			steps[n++] = (struct pager_step){.gap = 1};
		last = q;
		steps[n++] = (struct pager_step){.q = q};
	}
	return n;
}

/* The view at place q of a listing of `slices` slices, in reading
   order: the front page, then the slices newest first (and the place
   of view q: the mapping is its own inverse). */
static size_t
S_view_at(size_t slices, size_t q)
{
	return q ? slices - q + 1 : 0;
}

/* Sets pager (the steps), prev and next in model, at place p of a
   listing of `slices` slices; next (older) is view `older` when that is
   not NO_VIEW, else the view at the next place. */
#define NO_VIEW ((size_t)-1)
static void
S_pager(const struct archive *a, struct model *m, struct model_map *model, size_t slices, size_t p,
        size_t older)
{
	struct pager_step steps[9];
	size_t n = S_pager_steps(p, slices + 1, steps);
	struct model_list *pager = model_list(m, n);
	for (size_t i = 0; i < n; i++) {
		struct model_map *step = model_map(m, 5, NULL);
		if (!steps[i].gap) {
			size_t v = S_view_at(slices, steps[i].q);
			model_set(m, step, "front", model_bool(v == 0));
			model_set(m, step, "n", model_int(m, (long long)v));
			model_set(m, step, "href", S_view_href(a, m, v));
			model_set(m, step, "current", model_bool(steps[i].q == p));
		}
		model_set(m, step, "gap", model_bool(steps[i].gap));
		model_push(m, pager, model_map_val(step));
	}
	model_set(m, model, "pager", model_list_val(pager));
	model_set(m, model, "paged", model_bool(slices > 0));
	model_set(m, model, "prev",
	          p > 0 ? S_view_href(a, m, S_view_at(slices, p - 1)) : model_null());
	if (older == NO_VIEW && p < slices)
		older = S_view_at(slices, p + 1);
	model_set(m, model, "next", older != NO_VIEW ? S_view_href(a, m, older) : model_null());
}

/* ---------------------------------------------------------------------
 * Listings: a front page, then slices cut from the oldest
 * ------------------------------------------------------------------- */

size_t
archive_slices(size_t n, size_t size)
{
	return n > size ? (n + size - 1) / size : 0;
}

void
archive_view_range(size_t n, size_t size, size_t v, size_t *from, size_t *to)
{
	if (v == 0) {
		*from = 0;
		*to = n < size ? n : size;
		return;
	}
	*from = n > v * size ? n - v * size : 0;
	*to = n - (v - 1) * size;
}

uint64_t
archive_view_key(size_t n, size_t size, size_t v, uint64_t key)
{
	size_t m = archive_slices(n, size);
	if (v == 0) { /* it shows the count, and the newest */
		key = out_key(key, &n, sizeof n);
		return out_key(key, &m, sizeof m);
	}
	/* its pager reaches three views up, then the front page */
	size_t up = m < v + 3 ? m : v + 3;
	key = out_key(key, &v, sizeof v);
	return out_key(key, &up, sizeof up);
}

void
archive_view_pager_model(const struct archive *a, struct model *m, struct model_map *model,
                         size_t v, size_t n, size_t size)
{
	size_t slices = archive_slices(n, size), from, to;
	archive_view_range(n, size, v, &from, &to);
	/* older than the front page: the slice of its first article not shown */
	size_t older = v == 0 && to < n ? (n - 1 - to) / size + 1 : NO_VIEW;
	S_pager(a, m, model, slices, S_view_at(slices, v), older);
	model_set(m, model, "front", model_bool(v == 0));
	model_set(m, model, "page", model_int(m, (long long)v));
	/* numbered from the oldest, so that a page's numbers stay */
	model_set(m, model, "start", model_int(m, (long long)(n - from)));
}

/* ---------------------------------------------------------------------
 * Listings
 * ------------------------------------------------------------------- */

/* The listing of group g (a sub-group of parent, or NULL): its articles,
   page_size a view, under its directory (see archive_view_range). 0 or
   -1. */
static int
S_listing(const struct archive *a, json_t *g, json_t *parent)
{
	json_t *articles = json_object_get(g, "articles");
	size_t n = json_array_size(articles), size = (size_t)a->cfg->page_size;
	size_t views = archive_slices(n, size) + 1;
	const char *dir = archive_str(g, "dir");
	json_t *intro = json_object_get(a->intros, dir + strlen("districts/"));
	/* the sub-groups, for the filters */
	json_t *subs = json_array();
	const char *key;
	json_t *s;
	json_object_foreach (json_object_get(g, "subgroups"), key, s) {
		json_array_append_new(
		    subs, json_pack("{s:O,s:o,s:I}", "name", json_object_get(s, "name"), "href",
		                    archive_dir_href(a, archive_str(s, "dir")), "count",
		                    (json_int_t)json_array_size(json_object_get(s, "articles"))));
	}
	/* what every view of the listing shows besides its articles, then
	   what its front page shows besides: the sub-groups and the intro */
	uint64_t base = out_key(0, "district", 9);
	base = mujson_hash(json_object_get(g, "name"), base);
	base = mujson_hash(json_object_get(g, "slug"), base);
	if (parent) {
		base = mujson_hash(json_object_get(parent, "name"), base);
		base = mujson_hash(json_object_get(parent, "dir"), base);
	}
	uint64_t front = mujson_hash(subs, base);
	if (intro)
		front = mujson_hash(intro, front);
	int rc = 0;
	for (size_t v = 0; v < views && rc == 0; v++) {
		struct buf file = BUF_INIT;
		buf_printf(&file, "%s/", dir);
		archive_view_file(v, &file);
		/* the view's key from its articles' records, so that a view the
		   last build made from the same ones is kept without a model */
		size_t from, to;
		archive_view_range(n, size, v, &from, &to);
		uint64_t vkey = archive_view_key(n, size, v, v ? base : front);
		for (size_t i = from; i < to; i++) {
			const json_t *r = json_array_get(articles, i);
			size_t serial = archive_serial(a->state, r);
			uint64_t h =
			    serial < a->state->n && a->state->rhash ? a->state->rhash[serial] : 0;
			vkey = out_key(vkey, &h, sizeof h);
		}
		if (!vkey)
			vkey = 1;
		if (a->state->rhash && archive_kept(a, file.data, vkey)) {
			buf_release(&file);
			continue;
		}
		struct model *m = xcalloc(1, sizeof *m);
		struct model_list *slice = archive_items_model(m, articles, from, to);
		struct model_map *group = model_map(m, 3, NULL);
		model_set(m, group, "name", archive_held(m, g, "name"));
		model_set(m, group, "slug", archive_held(m, g, "slug"));
		mval up = model_null();
		if (parent) {
			struct model_map *pm = model_map(m, 2, NULL);
			struct buf link = BUF_INIT;
			archive_dir_link(a, archive_str(parent, "dir"), &link);
			model_set(m, pm, "name", archive_held(m, parent, "name"));
			model_set(m, pm, "href", model_strcopy(m, link.data, link.len));
			buf_release(&link);
			up = model_map_val(pm);
		}
		struct model_map *model = model_map(m, 16, NULL);
		model_set(m, model, "group", model_map_val(group));
		model_set(m, model, "parent", up);
		model_set(m, model, "articles", model_list_val(slice));
		/* a group's feed (archive_feeds), beside its listing */
		model_set(m, model, "feed",
		          !parent && *a->cfg->base_url ? model_str(m, "feed.xml") : model_null());
		if (v == 0) { /* what changes with every article: the front page's alone */
			model_set(m, group, "count", model_int(m, (long long)n));
			model_set(m, model, "subgroups", model_hold(m, json_incref(subs)));
			if (intro) /* the district's intro, at the top */
				model_set(m, model, "intro", model_hold(m, json_incref(intro)));
		}
		archive_view_pager_model(a, m, model, v, n, size);
		rc = archive_emit_model(a, "district", m, model, file.data, vkey);
		buf_release(&file);
	}
	json_decref(subs);
	return rc;
}

int
archive_listings(const struct archive *a, json_t *groups)
{
	int rc = 0;
	const char *key;
	json_t *g;
	json_object_foreach (groups, key, g) {
		if (rc == 0)
			rc = S_listing(a, g, NULL);
		const char *skey;
		json_t *s;
		json_object_foreach (json_object_get(g, "subgroups"), skey, s) {
			if (rc == 0)
				rc = S_listing(a, s, g);
		}
	}
	return rc;
}

/* The printed pages' list being made: its entries, newest first, and
   each one's place in the papers' order (the list given). */
struct page_list {
	const struct archive *a;
	json_t **v;
	size_t *at;
	size_t np, size;
};

/* What view v of the list is made from: its entries and their headings
   (their keys, archive_issues'), and what its pager shows. */
static uint64_t
S_page_list_key(const void *ctx, size_t v)
{
	const struct page_list *l = ctx;
	const struct archive_state *st = l->a->state;
	size_t from, to;
	archive_view_range(l->np, l->size, v, &from, &to);
	uint64_t key = archive_view_key(l->np, l->size, v, out_key(0, "pages", 5));
	for (size_t j = from; j < to; j++)
		key = util_mix_u64(key, st->entry_keys[st->in_print[l->at[j]]]);
	return key ? key : 1;
}

int
archive_page_list(const struct archive *a, json_t *pages)
{
	size_t np = json_array_size(pages), size = (size_t)a->cfg->page_size;
	size_t views = archive_slices(np, size) + 1;
	struct page_list l = {a, NULL, xcalloc(np ? np : 1, sizeof *l.at), np, size};
	l.v = archive_newest_first(pages, np, 0, l.at);
	uint64_t *keys = xreallocarray(NULL, views, sizeof *keys);
	archive_keys(a, views, S_page_list_key, &l, keys);
	int rc = 0;
	for (size_t v = 0; v < views && rc == 0; v++) {
		struct buf file = BUF_INIT;
		buf_adds(&file, "pages/");
		archive_view_file(v, &file);
		if (archive_kept(a, file.data, keys[v])) {
			buf_release(&file);
			continue;
		}
		size_t from, to;
		archive_view_range(np, size, v, &from, &to);
		struct model *m = xcalloc(1, sizeof *m);
		struct model_list *slice = model_list(m, to - from);
		for (size_t j = from; j < to; j++) {
			json_t *heading = archive_page_heading(a, l.v[j]);
			struct model_map *over = model_map(m, 1, NULL);
			model_set(m, over, "heading", heading ? model_hold(m, heading) : model_null());
			model_push(
			    m, slice,
			    view_entry_model(m, l.v[j], a->state->records, model_map_val(over)));
		}
		struct model_map *model = model_map(m, 16, NULL);
		model_set(m, model, "pages", model_list_val(slice));
		if (v == 0)
			model_set(m, model, "count", model_int(m, (long long)np));
		model_set(m, model, "has_pages", model_bool(np > 0));
		archive_view_pager_model(a, m, model, v, np, size);
		rc = archive_emit_model(a, "pages", m, model, file.data, keys[v]);
		buf_release(&file);
	}
	free(keys);
	free(l.v);
	free(l.at);
	return rc;
}

int
archive_owner_pages(const struct archive *a, const char *kind, json_t *owner,
                    const char *const *keys, size_t nkeys, const char *href,
                    struct item_hashes *ihash)
{
	json_t *list = json_object_get(owner, "articles");
	size_t k = json_array_size(list), size = (size_t)a->cfg->page_size;
	size_t views = archive_slices(k, size) + 1;
	/* what every view shows besides the articles (the owner's name), and
	   what its front page shows besides (its counts), then the
	   articles' items: a view the last build made from the same is kept
	   without a model, as listings are */
	uint64_t same = out_key(0, kind, strlen(kind));
	same = mujson_hash(json_object_get(owner, keys[0]), same);
	uint64_t front = same;
	for (size_t i = 1; i < nkeys; i++)
		front = mujson_hash(json_object_get(owner, keys[i]), front);
	int rc = 0;
	for (size_t v = 0; v < views && rc == 0; v++) {
		struct buf file = BUF_INIT;
		buf_printf(&file, "%s/", href);
		archive_view_file(v, &file);
		size_t from, to;
		archive_view_range(k, size, v, &from, &to);
		uint64_t vkey = archive_view_key(k, size, v, v ? same : front);
		for (size_t j = from; j < to; j++) {
			uint64_t h = archive_item_hash(json_array_get(list, j), ihash);
			vkey = out_key(vkey, &h, sizeof h);
		}
		vkey = vkey ? vkey : 1;
		if (archive_kept(a, file.data, vkey)) {
			buf_release(&file);
			continue;
		}
		struct model *m = xcalloc(1, sizeof *m);
		struct model_list *items = archive_items_model(m, list, from, to);
		struct model_map *model = model_map(m, 16, NULL);
		for (size_t i = 0; i < (v ? 1 : nkeys); i++)
			model_set(m, model, keys[i], archive_held(m, owner, keys[i]));
		model_set(m, model, "articles", model_list_val(items));
		if (v == 0)
			model_set(m, model, "count", model_int(m, (long long)k));
		archive_view_pager_model(a, m, model, v, k, size);
		rc = archive_emit_model(a, kind, m, model, file.data, vkey);
		buf_release(&file);
	}
	return rc;
}
