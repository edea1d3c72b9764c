#include "archive_int.h"

#include <stdlib.h>

#include "buf.h"
#include "mujson.h"
#include "output.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * The paginator
 * ------------------------------------------------------------------- */

/* The file of page q (from 0) of a listing in its directory: index.html,
   then index.2.html, index.3.html, ..., for every listing alike. No other
   file of a listing's directory can be named so: the page views' names
   never hold a '.', nor do slugs. */
void
archive_page_file(size_t q, struct buf *out)
{
	if (q == 0)
		buf_adds(out, "index.html");
	else
		buf_printf(out, "index.%zu.html", q + 1);
}

/* Appends the link from one page of a listing to its page q. */
static void
S_page_link(const struct archive *a, size_t q, struct buf *out)
{
	if (q == 0 && a->cfg->pretty_urls)
		buf_adds(out, "./");
	else
		archive_page_file(q, out);
}

/* A step of a pager. */
struct pager_step {
	size_t q; /* a page, from 0 */
	int gap;  /* or a gap before the next */
};

/* The pager's steps: at most 9 (two gaps among seven pages). */
static size_t
S_pager_steps(size_t p, size_t pages, struct pager_step steps[9])
{
	size_t n = 0, last = 0;
	for (size_t q = 0; q < pages && pages > 1; q++) {
		if (q != 0 && q + 1 != pages && (q + 2 < p || q > p + 2))
			continue;
		if (q > last + 1)
			steps[n++] = (struct pager_step){.gap = 1};
		last = q;
		steps[n++] = (struct pager_step){.q = q};
	}
	return n;
}

/* The link to page q of a listing, in the arena m. */
static mval
S_page_href_model(const struct archive *a, struct model *m, size_t q)
{
	struct buf b = BUF_INIT;
	S_page_link(a, q, &b);
	mval v = model_strcopy(m, b.data, b.len);
	buf_release(&b);
	return v;
}

void
archive_pager_model(const struct archive *a, struct model *m, struct model_map *model, size_t p,
                    size_t pages, size_t size)
{
	struct pager_step steps[9];
	size_t n = S_pager_steps(p, pages, steps);
	struct model_list *pager = model_list(m, n);
	for (size_t i = 0; i < n; i++) {
		struct model_map *step = model_map(m, 4, NULL);
		if (!steps[i].gap) {
			model_set(m, step, "n", model_int(m, (long long)steps[i].q + 1));
			model_set(m, step, "href", S_page_href_model(a, m, steps[i].q));
			model_set(m, step, "current", model_bool(steps[i].q == p));
		}
		model_set(m, step, "gap", model_bool(steps[i].gap));
		model_push(m, pager, model_map_val(step));
	}
	model_set(m, model, "pager", model_list_val(pager));
	model_set(m, model, "paged", model_bool(pages > 1));
	model_set(m, model, "page", model_int(m, (long long)p + 1));
	model_set(m, model, "npages", model_int(m, (long long)pages));
	model_set(m, model, "start", model_int(m, (long long)(p * size + 1)));
	model_set(m, model, "prev", p > 0 ? S_page_href_model(a, m, p - 1) : model_null());
	model_set(m, model, "next",
	          p + 1 < pages ? S_page_href_model(a, m, p + 1) : model_null());
}

/* ---------------------------------------------------------------------
 * Listings
 * ------------------------------------------------------------------- */

/* The listing pages of group g (a sub-group of parent, or NULL): its
   articles, page_size a page, under its directory. 0 or -1. */
static int
S_listing(const struct archive *a, json_t *g, json_t *parent)
{
	json_t *articles = json_object_get(g, "articles");
	size_t n = json_array_size(articles), size = (size_t)a->cfg->page_size;
	size_t pages = n ? (n + size - 1) / size : 1;
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
	/* what every page of the listing shows besides its articles */
	uint64_t base = out_key(0, "district", 9);
	base = mujson_hash(subs, base);
	base = mujson_hash(json_object_get(g, "name"), base);
	base = mujson_hash(json_object_get(g, "slug"), base);
	base = out_key(base, &n, sizeof n);
	if (parent) {
		base = mujson_hash(json_object_get(parent, "name"), base);
		base = mujson_hash(json_object_get(parent, "dir"), base);
	}
	int rc = 0;
	for (size_t p = 0; p < pages && rc == 0; p++) {
		struct buf file = BUF_INIT;
		buf_printf(&file, "%s/", dir);
		archive_page_file(p, &file);
		/* the page's key from its articles' records, so that a page the
		   last build made from the same ones is kept without a model */
		uint64_t pkey = out_key(base, &p, sizeof p);
		if (p == 0 && intro)
			pkey = mujson_hash(intro, pkey);
		for (size_t i = p * size; i < n && i < (p + 1) * size; i++) {
			const json_t *r = json_array_get(articles, i);
			size_t serial = archive_serial(a->state, r);
			uint64_t h =
			    serial < a->state->n && a->state->rhash ? a->state->rhash[serial] : 0;
			pkey = out_key(pkey, &h, sizeof h);
		}
		if (!pkey)
			pkey = 1;
		if (a->state->rhash && archive_kept(a, file.data, pkey)) {
			buf_release(&file);
			continue;
		}
		struct model *m = xcalloc(1, sizeof *m);
		struct model_list *slice =
		    archive_items_model(m, articles, p * size, (p + 1) * size);
		struct model_map *group = model_map(m, 3, NULL);
		model_set(m, group, "name", archive_held(m, g, "name"));
		model_set(m, group, "slug", archive_held(m, g, "slug"));
		model_set(m, group, "count", model_int(m, (long long)n));
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
		model_set(m, model, "subgroups", model_hold(m, json_incref(subs)));
		model_set(m, model, "parent", up);
		model_set(m, model, "articles", model_list_val(slice));
		/* a group's feed (archive_feeds), beside its listing */
		model_set(m, model, "feed",
		          !parent && *a->cfg->base_url ? model_str(m, "feed.xml") : model_null());
		if (p == 0 && intro) /* the district's intro, at the top of its first page */
			model_set(m, model, "intro", model_hold(m, json_incref(intro)));
		archive_pager_model(a, m, model, p, pages, size);
		rc = archive_emit_model(a, "district", m, model, file.data, pkey);
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

/* The printed pages' list being made: its pages' keys. */
struct page_list {
	const struct archive *a;
	const json_t *pages;
	size_t np, size;
};

/* What page pg of the list is made from: its entries and their headings. */
static uint64_t
S_page_list_key(const void *ctx, size_t pg)
{
	const struct page_list *l = ctx;
	uint64_t key = out_key(0, "pages", 5);
	key = out_key(key, &pg, sizeof pg);
	key = out_key(key, &l->np, sizeof l->np);
	for (size_t j = pg * l->size; j < l->np && j < (pg + 1) * l->size; j++) {
		const json_t *entry = json_array_get(l->pages, j);
		json_t *heading = archive_page_heading(l->a, entry);
		key = mujson_hash(heading, view_entry_hash(entry, l->a->state->records, key));
		json_decref(heading);
	}
	return key ? key : 1;
}

int
archive_page_list(const struct archive *a, json_t *pages)
{
	size_t np = json_array_size(pages), size = (size_t)a->cfg->page_size;
	size_t npages = np ? (np + size - 1) / size : 1;
	struct page_list l = {a, pages, np, size};
	uint64_t *keys = xreallocarray(NULL, npages, sizeof *keys);
	archive_keys(a, npages, S_page_list_key, &l, keys);
	int rc = 0;
	for (size_t pg = 0; pg < npages && rc == 0; pg++) {
		struct buf file = BUF_INIT;
		buf_adds(&file, "pages/");
		archive_page_file(pg, &file);
		if (archive_kept(a, file.data, keys[pg])) {
			buf_release(&file);
			continue;
		}
		struct model *m = xcalloc(1, sizeof *m);
		struct model_list *slice = model_list(m, size);
		for (size_t j = pg * size; j < np && j < (pg + 1) * size; j++) {
			json_t *entry = json_array_get(pages, j);
			json_t *heading = archive_page_heading(a, entry);
			struct model_map *over = model_map(m, 1, NULL);
			model_set(m, over, "heading", heading ? model_hold(m, heading) : model_null());
			model_push(m, slice,
			           view_entry_model(m, entry, a->state->records, model_map_val(over)));
		}
		struct model_map *model = model_map(m, 16, NULL);
		model_set(m, model, "pages", model_list_val(slice));
		model_set(m, model, "count", model_int(m, (long long)np));
		model_set(m, model, "has_pages", model_bool(np > 0));
		archive_pager_model(a, m, model, pg, npages, size);
		rc = archive_emit_model(a, "pages", m, model, file.data, keys[pg]);
		buf_release(&file);
	}
	free(keys);
	return rc;
}

int
archive_owner_pages(const struct archive *a, const char *kind, json_t *owner,
                    const char *const *keys, size_t nkeys, const char *href,
                    struct item_hashes *ihash)
{
	json_t *list = json_object_get(owner, "articles");
	size_t k = json_array_size(list), size = (size_t)a->cfg->page_size;
	size_t pages = k ? (k + size - 1) / size : 1;
	/* what every page shows besides the articles, and then the
	   articles' items: a page the last build made from the same is
	   kept without a model, as listings are */
	uint64_t same = out_key(0, kind, strlen(kind));
	for (size_t i = 0; i < nkeys; i++)
		same = mujson_hash(json_object_get(owner, keys[i]), same);
	same = out_key(same, &k, sizeof k);
	int rc = 0;
	for (size_t pg = 0; pg < pages && rc == 0; pg++) {
		struct buf file = BUF_INIT;
		buf_printf(&file, "%s/", href);
		archive_page_file(pg, &file);
		uint64_t pkey = out_key(same, &pg, sizeof pg);
		for (size_t j = pg * size; j < k && j < (pg + 1) * size; j++) {
			uint64_t h = archive_item_hash(json_array_get(list, j), ihash);
			pkey = out_key(pkey, &h, sizeof h);
		}
		pkey = pkey ? pkey : 1;
		if (archive_kept(a, file.data, pkey)) {
			buf_release(&file);
			continue;
		}
		struct model *m = xcalloc(1, sizeof *m);
		struct model_list *items = archive_items_model(m, list, pg * size, (pg + 1) * size);
		struct model_map *model = model_map(m, 16, NULL);
		for (size_t i = 0; i < nkeys; i++)
			model_set(m, model, keys[i], archive_held(m, owner, keys[i]));
		model_set(m, model, "articles", model_list_val(items));
		model_set(m, model, "count", model_int(m, (long long)k));
		archive_pager_model(a, m, model, pg, pages, size);
		rc = archive_emit_model(a, kind, m, model, file.data, pkey);
		buf_release(&file);
	}
	return rc;
}
