#include "archive.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "chars.h"
#include "diag.h"
#include "hmap.h"
#include "mujson.h"
#include "segment.h"
#include "templates.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

/* Headlines per group on the home page, and latest articles there. */
#define HOME_HEADLINES 3
#define HOME_LATEST    10

/* ---------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------- */

/* Renders template `name` with model, data's kind of value, to relpath,
   unless the previous build rendered it under the same key. */
static int
S_render_data(const struct archive *a, const char *name, const struct mu_data *data,
              const void *model, const char *relpath, uint64_t key)
{
	struct mu_template *t = mu_env_load(a->env, name);
	if (!t)
		return -1;
	int rc = out_reuse(a->out, relpath, key);
	if (rc == 0)
		rc = tpl_emit(a->out, a->env, t, data, model, relpath, key);
	else if (rc == 1)
		rc = 0;
	return rc;
}

/* Renders a jansson model, given site and root, to relpath under key (0:
   a hash of the model). */
static int
S_render(const struct archive *a, const char *name, json_t *model, const char *relpath,
         uint64_t key)
{
	struct buf root = BUF_INIT;
	util_root_of(relpath, &root);
	json_object_set(model, "site", a->site);
	json_object_set_new(model, "root", json_stringn(root.data, root.len));
	buf_release(&root);
	if (!key)
		key = mujson_hash(model, out_key(0, name, strlen(name)));
	return S_render_data(a, name, &mujson_data, model, relpath, key);
}

/* Gives an arena model's map what every page's model has: the site's
   settings and root, the way from relpath up to the output's root. */
static void
S_site_root(const struct archive *a, struct model *m, struct model_map *map, const char *relpath)
{
	struct buf up = BUF_INIT;
	util_root_of(relpath, &up);
	model_set(m, map, "site", a->site);
	model_set(m, map, "root", model_strcopy(m, up.data, up.len));
	buf_release(&up);
}

/*
 * Rendering beside the building of the models: the archive's pages are
 * rendered by a helper thread from a queue the main thread fills, and by
 * the main thread too when the queue is full.
 */
#define EMIT_QUEUE 64

struct emit_job {
	char *name, *relpath;
	json_t *model;   /* a jansson model, or NULL for: */
	struct model *m; /* an arena model, freed once rendered */
	struct model_map *root;
	uint64_t key;
};

/* Renders a job's model and frees it: 0 or -1. */
static int
S_run_job(const struct archive *a, struct emit_job *j)
{
	int rc;
	if (j->m) {
		rc = S_render_data(a, j->name, &model_data, model_map_val(j->root), j->relpath,
		                   j->key);
		model_free(j->m);
		free(j->m);
	} else {
		rc = S_render(a, j->name, j->model, j->relpath, j->key);
		json_decref(j->model);
	}
	free(j->name);
	free(j->relpath);
	return rc;
}

struct emitter {
	const struct archive *a;
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct emit_job q[EMIT_QUEUE];
	size_t head, n;
	int closing, failed;
	pthread_t tid;
	int started;
};

static void *
S_emitter(void *arg)
{
	struct emitter *e = arg;
	for (;;) {
		pthread_mutex_lock(&e->lock);
		while (e->n == 0 && !e->closing)
			pthread_cond_wait(&e->more, &e->lock);
		if (e->n == 0) {
			pthread_mutex_unlock(&e->lock);
			return NULL;
		}
		struct emit_job j = e->q[e->head];
		e->head = (e->head + 1) % EMIT_QUEUE;
		e->n--;
		pthread_mutex_unlock(&e->lock);
		if (S_run_job(e->a, &j) < 0) {
			pthread_mutex_lock(&e->lock);
			e->failed = 1;
			pthread_mutex_unlock(&e->lock);
		}
	}
}

static void
S_emitter_start(struct archive *a, struct emitter *e)
{
	memset(e, 0, sizeof *e);
	e->a = a;
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->more, NULL);
	if (a->threads > 1)
		e->started = pthread_create(&e->tid, NULL, S_emitter, e) == 0;
	if (e->started)
		a->emitter = e;
}

/* Waits for the queue to empty: 0, or -1 when a page failed. */
static int
S_emitter_finish(struct archive *a, struct emitter *e)
{
	a->emitter = NULL;
	if (e->started) {
		pthread_mutex_lock(&e->lock);
		e->closing = 1;
		pthread_cond_signal(&e->more);
		pthread_mutex_unlock(&e->lock);
		pthread_join(e->tid, NULL);
	}
	pthread_cond_destroy(&e->more);
	pthread_mutex_destroy(&e->lock);
	return e->failed ? -1 : 0;
}

/* Lists a page for the sitemap. */
static void
S_note_url(const struct archive *a, const char *relpath)
{
	size_t len = strlen(relpath);
	if (a->urls && len > 5 && !strcmp(relpath + len - 5, ".html") &&
	    strcmp(relpath, "404.html"))
		json_array_append_new(a->urls, json_string(relpath));
}

/* Whether the previous build made relpath from the same inputs (key, not
   0): then it is kept, and its model need not even be built. */
static int
S_kept(const struct archive *a, const char *relpath, uint64_t key)
{
	if (out_reuse(a->out, relpath, key) != 1)
		return 0;
	S_note_url(a, relpath);
	return 1;
}

/* Renders template `name` with model to relpath, now or on the helper
   thread, under key (0: a hash of the model); the model must not change
   afterwards. Records the page for the sitemap. 0, or -1 after reporting
   (a failure on the helper thread is reported when the emitter finishes). */
static int
S_emit_job(const struct archive *a, const char *relpath, struct emit_job j)
{
	S_note_url(a, relpath);
	struct emitter *e = a->emitter;
	if (e) {
		pthread_mutex_lock(&e->lock);
		if (e->n < EMIT_QUEUE) {
			e->q[(e->head + e->n) % EMIT_QUEUE] = j;
			e->n++;
			pthread_cond_signal(&e->more);
			pthread_mutex_unlock(&e->lock);
			return 0;
		}
		pthread_mutex_unlock(&e->lock);
	}
	return S_run_job(a, &j);
}

static int
S_emit_key(const struct archive *a, const char *name, json_t *model, const char *relpath,
           uint64_t key)
{
	return S_emit_job(a, relpath,
	                  (struct emit_job){.name = xstrdup(name),
	                                    .relpath = xstrdup(relpath),
	                                    .model = json_incref(model),
	                                    .key = key});
}

/* As S_emit_key, for the arena model m (malloc'd), whose map root gets
   site and root here; m is freed once the page is rendered. key must not
   be 0. */
static int
S_emit_model(const struct archive *a, const char *name, struct model *m, struct model_map *root,
             const char *relpath, uint64_t key)
{
	S_site_root(a, m, root, relpath);
	return S_emit_job(a, relpath,
	                  (struct emit_job){.name = xstrdup(name),
	                                    .relpath = xstrdup(relpath),
	                                    .m = m,
	                                    .root = root,
	                                    .key = key});
}

static int
S_emit(const struct archive *a, const char *name, json_t *model, const char *relpath)
{
	return S_emit_key(a, name, model, relpath, 0);
}

/* A link to a listing page: DIR/index.html, or DIR/ with pretty_urls. */
static void
S_dir_link(const struct archive *a, const char *dir, struct buf *out)
{
	buf_printf(out, "%s/%s", dir, a->cfg->pretty_urls ? "" : "index.html");
}

static json_t *
S_dir_href(const struct archive *a, const char *dir)
{
	struct buf b = BUF_INIT;
	S_dir_link(a, dir, &b);
	json_t *j = json_stringn(b.data, b.len);
	buf_release(&b);
	return j;
}

/* ---------------------------------------------------------------------
 * Order and groups
 * ------------------------------------------------------------------- */

static const char *
S_sget(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* What the archive's order looks at of a record, taken out once. */
struct order_key {
	const char *date, *source;
	json_int_t line;
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
	return (a->line > b->line) - (a->line < b->line);
}

/* The records of articles, newest first: undated after dated, then by
   page and position. */
static json_t **
S_order(json_t *articles, size_t n)
{
	struct order_key *k = xcalloc(n ? n : 1, sizeof *k);
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_array_get(articles, i);
		k[i] = (struct order_key){.date = S_sget(r, "date"),
		                          .source = S_sget(r, "source"),
		                          .line = json_integer_value(json_object_get(r, "line")),
		                          .r = r};
	}
	if (n > 1)
		qsort(k, n, sizeof *k, S_newest_first);
	json_t **sorted = xcalloc(n ? n : 1, sizeof *sorted);
	for (size_t i = 0; i < n; i++)
		sorted[i] = k[i].r;
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

/* A short form of an article for listings. */
static const char *const S_item_keys[] = {"title",   "kicker",   "href",     "date",
                                          "excerpt", "district", "reporters"};

static json_t *
S_item(const json_t *r)
{
	return mujson_pick(r, S_item_keys, sizeof S_item_keys / sizeof *S_item_keys);
}

/* The same, in an arena model: a view of the record's values, which
   stay as they are until the archive is built. */
static mval
S_item_model(struct model *m, const json_t *r)
{
	return model_pick(m, r, S_item_keys, sizeof S_item_keys / sizeof *S_item_keys);
}

/* The member key of o, held by the model m (see model_hold). */
static mval
S_held(struct model *m, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return v ? model_hold(m, json_incref(v)) : model_null();
}

/* The hashes of objects records share (their district: one object for
   all the articles of a place), by address, so that each is hashed once.
   Zero it to start. */
struct shared_hashes {
	struct shared {
		const json_t *obj;
		uint64_t hash;
	} * v;
	size_t n, cap;
	struct hmap index; /* of v, by obj */
};

static void
S_shared_free(struct shared_hashes *sh)
{
	free(sh->v);
	hmap_free(&sh->index);
}

/* An object looked for among the shared ones. */
struct shared_key {
	const struct shared_hashes *sh;
	const json_t *obj;
};

static int
S_is_shared(const void *ctx, size_t i)
{
	const struct shared_key *k = ctx;
	return k->sh->v[i].obj == k->obj;
}

/* mujson_hash of the object v, once for each object. */
static uint64_t
S_shared_hash(struct shared_hashes *sh, const json_t *v)
{
	struct shared_key key = {sh, v};
	uint64_t h = (uint64_t)(uintptr_t)v;
	hmap_reserve(&sh->index, 1);
	size_t slot = hmap_probe(&sh->index, h, S_is_shared, &key);
	size_t i = hmap_entry(&sh->index, slot);
	if (i != HMAP_NONE)
		return sh->v[i].hash;
	sh->v = xgrow(sh->v, &sh->cap, sh->n, sizeof *sh->v, 256);
	sh->v[sh->n] = (struct shared){v, mujson_hash(v, 0)};
	hmap_fill(&sh->index, slot, h, sh->n);
	return sh->v[sh->n++].hash;
}

/* Folds value v into h: objects by their shared hash, the rest whole. */
static uint64_t
S_fold_value(struct shared_hashes *sh, const json_t *v, uint64_t h)
{
	return json_is_object(v) ? util_mix_u64(h, S_shared_hash(sh, v)) : mujson_hash(v, h);
}

/* What S_item_hash keeps: each record's item hash by serial (0 when not
   yet taken), and the shared objects' hashes. */
struct item_hashes {
	uint64_t *memo;
	size_t n;
	struct shared_hashes shared;
};

/* A hash of what S_item shows of record r. */
static uint64_t
S_item_hash(const json_t *r, struct item_hashes *ih)
{
	size_t serial = (size_t)json_integer_value(json_object_get(r, "serial"));
	if (serial < ih->n && ih->memo[serial])
		return ih->memo[serial];
	uint64_t h = out_key(0, "item", 4);
	for (size_t i = 0; i < sizeof S_item_keys / sizeof *S_item_keys; i++) {
		const json_t *v = json_object_get(r, S_item_keys[i]);
		h = out_key(h, S_item_keys[i], strlen(S_item_keys[i]) + 1);
		h = S_fold_value(&ih->shared, v, h);
	}
	h = h ? h : 1;
	if (serial < ih->n)
		ih->memo[serial] = h;
	return h;
}

/* A record's hash without its serial number, which only says where it
   came in this build: pages added before it shift it. */
static uint64_t
S_record_hash(const json_t *r, struct shared_hashes *sh)
{
	const char *key;
	json_t *v;
	uint64_t h = mujson_hash(NULL, 0);
	json_object_foreach ((json_t *)r, key, v) {
		if (strcmp(key, "serial")) {
			h = out_key(h, key, strlen(key) + 1);
			h = S_fold_value(sh, v, h);
		}
	}
	return h;
}

/* The hash of a record (NULL: none), as computed after S_people. */
static uint64_t
S_serial_hash(const struct archive *a, const json_t *r)
{
	if (!r)
		return 0;
	size_t serial = (size_t)json_integer_value(json_object_get(r, "serial"));
	return serial < a->n ? a->rhash[serial] : 0;
}

/* An article's schema.org NewsArticle as JSON for a <script> element
   ("</" written "<\/" so the text cannot close the element). */
/* Strings of a JSON-LD script: s, and v (or "" when v is not a
   string). */
static void
S_put_json_str(struct buf *out, const char *s)
{
	mujson_put_string(out, s, strlen(s), 1);
}

static void
S_put_json(struct buf *out, const json_t *v)
{
	if (json_is_string(v))
		mujson_put_string(out, json_string_value(v), json_string_length(v), 1);
	else
		buf_adds(out, "\"\"");
}

/* Appends the JSON-LD of the article of record r to out. */
static void
S_jsonld(const struct archive *a, const json_t *r, struct buf *out)
{
	/* written out directly: building a tree for json_dumps cost more
	   than the rest of an article's model */
	buf_adds(out,
	         "{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":");
	S_put_json(out, json_object_get(r, "title"));
	buf_adds(out, ",\"author\":[");
	json_t *name;
	size_t k;
	json_array_foreach (json_object_get(r, "reporters"), k, name) {
		buf_adds(out, k ? ",{\"@type\":\"Person\",\"name\":"
		                : "{\"@type\":\"Person\",\"name\":");
		S_put_json(out, name);
		buf_addc(out, '}');
	}
	const char *paper = S_sget(r, "paper");
	buf_adds(out, "],\"publisher\":{\"@type\":\"Organization\",\"name\":");
	S_put_json_str(out, *paper ? paper : S_sget(a->site, "title"));
	buf_adds(out, "},\"inLanguage\":");
	S_put_json_str(out, a->cfg->language);
	if (*S_sget(r, "date")) {
		buf_adds(out, ",\"datePublished\":");
		S_put_json(out, json_object_get(r, "date"));
	}
	const json_t *path = json_object_get(json_object_get(r, "district"), "path");
	if (json_array_size(path)) {
		buf_adds(out, ",\"contentLocation\":{\"@type\":\"Place\",\"name\":");
		S_put_json(out, json_array_get(path, json_array_size(path) - 1));
		buf_addc(out, '}');
	}
	if (*a->cfg->base_url) {
		struct buf url = BUF_INIT;
		buf_printf(&url, "%s/%s", a->cfg->base_url, S_sget(r, "href"));
		buf_adds(out, ",\"url\":");
		mujson_put_string(out, url.data, url.len, 1);
		buf_release(&url);
	}
	buf_addc(out, '}');
}

/* The listing pages of one group: DIR/index.html, DIR/page-2.html ... */
/* The file of page q (from 0) of a listing in its directory: index.html,
   then NAME2.html, NAME3.html, ... */
static void
S_page_file(const char *name, size_t q, struct buf *out)
{
	if (q == 0)
		buf_adds(out, "index.html");
	else
		buf_printf(out, "%s%zu.html", name, q + 1);
}

/* Appends the link from one page of a listing to its page q. */
static void
S_page_link(const struct archive *a, const char *name, size_t q, struct buf *out)
{
	if (q == 0 && a->cfg->pretty_urls)
		buf_adds(out, "./");
	else
		S_page_file(name, q, out);
}

static json_t *
S_page_href(const struct archive *a, const char *name, size_t q)
{
	struct buf b = BUF_INIT;
	S_page_link(a, name, q, &b);
	json_t *j = json_stringn(b.data, b.len);
	buf_release(&b);
	return j;
}

/*
 * Adds the pager of page p of `pages` to a listing's model: paged, page,
 * pages, prev, next, and pager, the first and last pages and two either
 * side of this one, with gaps between (templates/partials/pager).
 */
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

static void
S_pager(const struct archive *a, const char *name, size_t p, size_t pages, json_t *model)
{
	json_t *pager = json_array();
	struct pager_step steps[9];
	size_t n = S_pager_steps(p, pages, steps);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(pager, steps[i].gap
		                                 ? json_pack("{s:b}", "gap", 1)
		                                 : json_pack("{s:I,s:o,s:b,s:b}", "n",
		                                             (json_int_t)steps[i].q + 1, "href",
		                                             S_page_href(a, name, steps[i].q),
		                                             "current", steps[i].q == p, "gap", 0));
	json_object_set_new(model, "pager", pager);
	json_object_set_new(model, "paged", json_boolean(pages > 1));
	json_object_set_new(model, "page", json_integer((json_int_t)p + 1));
	json_object_set_new(model, "npages", json_integer((json_int_t)pages));
	json_object_set_new(model, "prev", p > 0 ? S_page_href(a, name, p - 1) : json_null());
	json_object_set_new(model, "next",
	                    p + 1 < pages ? S_page_href(a, name, p + 1) : json_null());
}

/* The link to page q of a listing, in the arena m. */
static mval
S_page_href_model(const struct archive *a, struct model *m, const char *name, size_t q)
{
	struct buf b = BUF_INIT;
	S_page_link(a, name, q, &b);
	mval v = model_strcopy(m, b.data, b.len);
	buf_release(&b);
	return v;
}

/* As S_pager, for an arena model. */
static void
S_pager_model(const struct archive *a, struct model *m, struct model_map *model, const char *name,
              size_t p, size_t pages)
{
	struct pager_step steps[9];
	size_t n = S_pager_steps(p, pages, steps);
	struct model_list *pager = model_list(m, n);
	for (size_t i = 0; i < n; i++) {
		struct model_map *step = model_map(m, 4, NULL);
		if (!steps[i].gap) {
			model_set(m, step, "n", model_int(m, (long long)steps[i].q + 1));
			model_set(m, step, "href", S_page_href_model(a, m, name, steps[i].q));
			model_set(m, step, "current", model_bool(steps[i].q == p));
		}
		model_set(m, step, "gap", model_bool(steps[i].gap));
		model_push(m, pager, model_map_val(step));
	}
	model_set(m, model, "pager", model_list_val(pager));
	model_set(m, model, "paged", model_bool(pages > 1));
	model_set(m, model, "page", model_int(m, (long long)p + 1));
	model_set(m, model, "npages", model_int(m, (long long)pages));
	model_set(m, model, "prev", p > 0 ? S_page_href_model(a, m, name, p - 1) : model_null());
	model_set(m, model, "next",
	          p + 1 < pages ? S_page_href_model(a, m, name, p + 1) : model_null());
}

static int
S_listing(const struct archive *a, json_t *g, json_t *parent)
{
	json_t *articles = json_object_get(g, "articles");
	size_t n = json_array_size(articles), size = (size_t)a->cfg->page_size;
	size_t pages = n ? (n + size - 1) / size : 1;
	const char *dir = S_sget(g, "dir");
	/* the sub-groups, for the filters */
	json_t *subs = json_array();
	const char *key;
	json_t *s;
	json_object_foreach (json_object_get(g, "subgroups"), key, s) {
		json_array_append_new(
		    subs, json_pack("{s:O,s:o,s:I}", "name", json_object_get(s, "name"), "href",
		                    S_dir_href(a, S_sget(s, "dir")), "count",
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
		S_page_file("page-", p, &file);
		/* the page's key from its articles' records, so that a page the
		   last build made from the same ones is kept without a model */
		uint64_t pkey = out_key(base, &p, sizeof p);
		for (size_t i = p * size; i < n && i < (p + 1) * size; i++) {
			const json_t *r = json_array_get(articles, i);
			size_t serial = (size_t)json_integer_value(json_object_get(r, "serial"));
			uint64_t h = serial < a->n && a->rhash ? a->rhash[serial] : 0;
			pkey = out_key(pkey, &h, sizeof h);
		}
		if (!pkey)
			pkey = 1;
		if (a->rhash && S_kept(a, file.data, pkey)) {
			buf_release(&file);
			continue;
		}
		struct model *m = xcalloc(1, sizeof *m);
		struct model_list *slice = model_list(m, size);
		for (size_t i = p * size; i < n && i < (p + 1) * size; i++)
			model_push(m, slice, S_item_model(m, json_array_get(articles, i)));
		struct model_map *group = model_map(m, 3, NULL);
		model_set(m, group, "name", S_held(m, g, "name"));
		model_set(m, group, "slug", S_held(m, g, "slug"));
		model_set(m, group, "count", model_int(m, (long long)n));
		mval up = model_null();
		if (parent) {
			struct model_map *pm = model_map(m, 2, NULL);
			struct buf link = BUF_INIT;
			S_dir_link(a, S_sget(parent, "dir"), &link);
			model_set(m, pm, "name", S_held(m, parent, "name"));
			model_set(m, pm, "href", model_strcopy(m, link.data, link.len));
			buf_release(&link);
			up = model_map_val(pm);
		}
		struct model_map *model = model_map(m, 16, NULL);
		model_set(m, model, "group", model_map_val(group));
		model_set(m, model, "subgroups", model_hold(m, json_incref(subs)));
		model_set(m, model, "parent", up);
		model_set(m, model, "articles", model_list_val(slice));
		S_pager_model(a, m, model, "page-", p, pages);
		rc = S_emit_model(a, "district", m, model, file.data, pkey);
		buf_release(&file);
	}
	json_decref(subs);
	return rc;
}

/* ---------------------------------------------------------------------
 * Continued articles
 * ------------------------------------------------------------------- */

/* The number of the page an article is on, from its metadata; 0 when
   unknown. */
static int
S_page_no(const json_t *r)
{
	const char *p = S_sget(r, "page_no");
	return seg_page_number(p, strlen(p));
}

/*
 * Links the two halves of an article the paper continued on another page
 * (下转第2版 / 上接第1版): same paper, same date, the one half on the page
 * the other names, and the same title (or the only candidate there).
 * Sets continues_href and continued_href on the records.
 */
static void
S_link_halves(json_t **r, size_t n)
{
	/* the articles that continue something, by paper, date and page */
	json_t *by_page = json_object();
	struct buf key = BUF_INIT;
	for (size_t j = 0; j < n; j++) {
		if (!json_integer_value(json_object_get(r[j], "continued_from")) ||
		    !S_page_no(r[j]))
			continue;
		buf_reset(&key);
		buf_printf(&key, "%s|%s|%d", S_sget(r[j], "paper"), S_sget(r[j], "date"),
		           S_page_no(r[j]));
		json_t *list = json_object_get(by_page, key.data);
		if (!list) {
			list = json_array();
			json_object_set_new(by_page, key.data, list);
		}
		json_array_append_new(list, json_integer((json_int_t)j));
	}
	for (size_t i = 0; i < n; i++) {
		json_int_t to = json_integer_value(json_object_get(r[i], "continues_on"));
		int from_page = S_page_no(r[i]);
		if (!to || !from_page || !*S_sget(r[i], "date"))
			continue;
		buf_reset(&key);
		buf_printf(&key, "%s|%s|%d", S_sget(r[i], "paper"), S_sget(r[i], "date"), (int)to);
		size_t best = n, candidates = 0, k;
		json_t *jv;
		json_array_foreach (json_object_get(by_page, key.data), k, jv) {
			size_t j = (size_t)json_integer_value(jv);
			if (json_integer_value(json_object_get(r[j], "continued_from")) !=
			    from_page)
				continue;
			candidates++;
			if (best == n || !strcmp(S_sget(r[j], "title"), S_sget(r[i], "title")))
				best = j;
		}
		if (best == n ||
		    (candidates > 1 && strcmp(S_sget(r[best], "title"), S_sget(r[i], "title"))))
			continue;
		json_object_set(r[i], "continues_href", json_object_get(r[best], "href"));
		json_object_set(r[best], "continued_href", json_object_get(r[i], "href"));
	}
	buf_release(&key);
	json_decref(by_page);
}

/* ---------------------------------------------------------------------
 * People
 * ------------------------------------------------------------------- */

static int
S_cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The keys of obj in byte order; the caller frees the array (not the
   keys, which obj owns). */
static const char **
S_sorted_keys(json_t *obj, size_t *n)
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

/* A person's URL name: the pinyin of each character (chen-tao). */
static void
S_person_slug(const struct chars *ch, const char *name, struct buf *out)
{
	size_t len = strlen(name), i = 0, k;
	while (i < len) {
		uint32_t cp = txt_decode(name + i, len - i, &k);
		const char *py = chars_pinyin(ch, cp);
		if (out->len)
			buf_addc(out, '-');
		if (py)
			buf_adds(out, py);
		else
			for (size_t b = 0; b < k; b++)
				buf_printf(out, "%02x", (unsigned char)name[i + b]);
		i += k;
	}
}

static const char *const S_roles[] = {"reporters", "photographers"};

/* Every reporter and photographer of the records: an object by name, each
   {name, articles, as_reporter, as_photographer}. */
static json_t *
S_gather_people(json_t **sorted, size_t n)
{
	json_t *people = json_object();
	for (size_t i = 0; i < n; i++)
		for (int r = 0; r < 2; r++) {
			size_t k;
			json_t *name;
			json_array_foreach (json_object_get(sorted[i], S_roles[r]), k, name) {
				const char *s = json_string_value(name);
				json_t *p = json_object_get(people, s);
				if (!p) {
					p = json_pack("{s:s,s:[],s:I,s:I}", "name", s, "articles",
					              "as_reporter", (json_int_t)0,
					              "as_photographer", (json_int_t)0);
					json_object_set_new(people, s, p);
				}
				json_t *list = json_object_get(p, "articles");
				if (!json_array_size(list) ||
				    json_array_get(list, json_array_size(list) - 1) != sorted[i])
					json_array_append(list, sorted[i]);
				const char *count = r ? "as_photographer" : "as_reporter";
				json_object_set_new(
				    p, count,
				    json_integer(json_integer_value(json_object_get(p, count)) +
				                 1));
			}
		}
	return people;
}

/* The pages of person p under href (people/SLUG): their articles,
   page_size a page. Returns 0 or -1. */
static int
S_person_pages(const struct archive *a, json_t *p, const char *href, struct item_hashes *ihash)
{
	json_t *list = json_object_get(p, "articles");
	size_t k = json_array_size(list), size = (size_t)a->cfg->page_size;
	size_t pages = k ? (k + size - 1) / size : 1;
	/* what every page shows besides the articles, and then the
	   articles' items: a page the last build made from the same is
	   kept without a model, as listings are */
	uint64_t same = out_key(0, "person", 6);
	same = mujson_hash(json_object_get(p, "name"), same);
	same = mujson_hash(json_object_get(p, "as_reporter"), same);
	same = mujson_hash(json_object_get(p, "as_photographer"), same);
	same = out_key(same, &k, sizeof k);
	int rc = 0;
	for (size_t pg = 0; pg < pages && rc == 0; pg++) {
		struct buf file = BUF_INIT;
		buf_printf(&file, "%s/", href);
		S_page_file("page-", pg, &file);
		uint64_t pkey = out_key(same, &pg, sizeof pg);
		for (size_t j = pg * size; j < k && j < (pg + 1) * size; j++) {
			uint64_t h = S_item_hash(json_array_get(list, j), ihash);
			pkey = out_key(pkey, &h, sizeof h);
		}
		pkey = pkey ? pkey : 1;
		if (S_kept(a, file.data, pkey)) {
			buf_release(&file);
			continue;
		}
		struct model *m = xcalloc(1, sizeof *m);
		struct model_list *items = model_list(m, size);
		for (size_t j = pg * size; j < k && j < (pg + 1) * size; j++)
			model_push(m, items, S_item_model(m, json_array_get(list, j)));
		struct model_map *model = model_map(m, 16, NULL);
		model_set(m, model, "name", S_held(m, p, "name"));
		model_set(m, model, "as_reporter", S_held(m, p, "as_reporter"));
		model_set(m, model, "as_photographer", S_held(m, p, "as_photographer"));
		model_set(m, model, "articles", model_list_val(items));
		model_set(m, model, "count", model_int(m, (long long)k));
		S_pager_model(a, m, model, "page-", pg, pages);
		rc = S_emit_model(a, "person", m, model, file.data, pkey);
		buf_release(&file);
	}
	return rc;
}

/* Gives each record its names as links to their pages: reporter_links and
   photographer_links, one link object a person, shared by their
   articles. */
static void
S_link_people(json_t **sorted, size_t n, json_t *people)
{
	for (size_t i = 0; i < n; i++)
		for (int r = 0; r < 2; r++) {
			json_t *names_of = json_object_get(sorted[i], S_roles[r]), *name;
			if (!json_array_size(names_of))
				continue;
			json_t *links = json_array();
			size_t k;
			json_array_foreach (names_of, k, name) {
				json_t *p = json_object_get(people, json_string_value(name));
				json_t *link = json_object_get(p, "link");
				if (!link) {
					link = json_pack("{s:O,s:O}", "name", name, "href",
					                 json_object_get(p, "href"));
					json_object_set_new(p, "link", link);
				}
				json_array_append(links, link);
			}
			json_object_set_new(sorted[i], r ? "photographer_links" : "reporter_links",
			                    links);
		}
}

/*
 * Gives every reporter and photographer pages: people/SLUG/index.html
 * (and page-N.html) with their articles, newest first, and
 * people/index.html. Links each
 * record's names to those pages. Names are taken in byte order, so when
 * two share a pinyin the later one's slug ends in -2, -3: the same for the
 * same archive. Returns 0 or -1.
 */
static int
S_people(const struct archive *a, json_t **sorted, size_t n)
{
	json_t *people = S_gather_people(sorted, n);
	/* slugs, in name order */
	size_t np, i;
	struct item_hashes ihash = {.memo = xcalloc(n ? n : 1, sizeof *ihash.memo), .n = n};
	const char **names = S_sorted_keys(people, &np);
	json_t *taken = json_object(), *index = json_array();
	int rc = 0;
	for (i = 0; i < np && rc == 0; i++) {
		json_t *p = json_object_get(people, names[i]);
		struct buf slug = BUF_INIT, href = BUF_INIT;
		S_person_slug(a->chars, names[i], &slug);
		size_t base = slug.len;
		for (int dup = 2; json_object_get(taken, slug.data); dup++) {
			buf_truncate(&slug, base);
			buf_printf(&slug, "-%d", dup);
		}
		json_object_set_new(taken, slug.data, json_true());
		buf_printf(&href, "people/%s", slug.data);
		json_object_set_new(p, "href", S_dir_href(a, href.data));
		rc = S_person_pages(a, p, href.data, &ihash);
		json_array_append_new(
		    index, json_pack("{s:s,s:O,s:I}", "name", names[i], "href",
		                     json_object_get(p, "href"), "count",
		                     (json_int_t)json_array_size(json_object_get(p, "articles"))));
		buf_release(&slug);
		buf_release(&href);
	}
	S_link_people(sorted, n, people);
	if (rc == 0) {
		json_t *model = json_pack("{s:o,s:I}", "people", index, "count", (json_int_t)np);
		rc = S_emit(a, "people", model, "people/index.html");
		json_decref(model);
	} else {
		json_decref(index);
	}
	free(names);
	free(ihash.memo);
	S_shared_free(&ihash.shared);
	json_decref(taken);
	json_decref(people);
	return rc;
}

/* ---------------------------------------------------------------------
 * Dates
 * ------------------------------------------------------------------- */

/*
 * The date archive: dates/index.html (every year and month with counts,
 * and the undated), dates/YYYY-MM.html (a month: its calendar, then its
 * articles by day), dates/undated.html. sorted is newest first.
 */
static int
S_dates(const struct archive *a, json_t **sorted, size_t n)
{
	json_t *months = json_object(), *undated = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *d = S_sget(sorted[i], "date");
		if (strlen(d) != 10) {
			json_array_append_new(undated, S_item(sorted[i]));
			continue;
		}
		char ym[8];
		memcpy(ym, d, 7);
		ym[7] = '\0';
		json_t *list = json_object_get(months, ym);
		if (!list) {
			list = json_array();
			json_object_set_new(months, ym, list);
		}
		json_array_append(list, sorted[i]);
	}
	/* months newest first (keys are YYYY-MM: byte order is date order) */
	size_t nm;
	const char **keys = S_sorted_keys(months, &nm);
	json_t *list;
	json_t *years = json_array(), *year = NULL;
	int rc = 0;
	for (size_t k = nm; k-- > 0 && rc == 0;) {
		list = json_object_get(months, keys[k]);
		int y = atoi(keys[k]), m = atoi(keys[k] + 5);
		char href[32], yname[8];
		snprintf(href, sizeof href, "dates/%s.html", keys[k]);
		snprintf(yname, sizeof yname, "%d", y);
		if (!year || strcmp(S_sget(year, "year"), yname)) {
			year = json_pack("{s:s,s:[]}", "year", yname, "months");
			json_array_append_new(years, year);
		}
		json_array_append_new(json_object_get(year, "months"),
		                      json_pack("{s:i,s:s,s:I}", "month", m, "href", href, "count",
		                                (json_int_t)json_array_size(list)));
		/* kept when the last build made it from the same records */
		size_t j;
		json_t *r;
		uint64_t mkey = out_key(0, href, strlen(href));
		json_array_foreach (list, j, r) {
			uint64_t h = S_serial_hash(a, r);
			mkey = out_key(mkey, &h, sizeof h);
		}
		if (!mkey)
			mkey = 1;
		if (a->rhash && S_kept(a, href, mkey))
			continue;
		/* the calendar: weeks of seven cells, days with articles linked */
		int counts[32] = {0};
		json_array_foreach (list, j, r) {
			int d = atoi(S_sget(r, "date") + 8);
			if (d >= 1 && d <= 31)
				counts[d]++;
		}
		json_t *weeks = json_array(), *week = json_array();
		for (int c = 0; c < cal_weekday(y, m, 1); c++)
			json_array_append_new(week, json_pack("{s:b}", "blank", 1));
		for (int d = 1; d <= cal_days_in(y, m); d++) {
			json_array_append_new(week, json_pack("{s:b,s:i,s:b}", "blank", 0, "day", d,
			                                      "has", counts[d] > 0));
			if (json_array_size(week) == 7) {
				json_array_append_new(weeks, week);
				week = json_array();
			}
		}
		if (json_array_size(week))
			json_array_append_new(weeks, week);
		else
			json_decref(week);
		/* the articles, by day, newest first */
		json_t *days = json_array(), *day = NULL;
		json_array_foreach (list, j, r) {
			const char *date = S_sget(r, "date");
			if (!day || strcmp(S_sget(day, "date"), date)) {
				day = json_pack("{s:s,s:i,s:[]}", "date", date, "day",
				                atoi(date + 8), "articles");
				json_array_append_new(days, day);
			}
			json_array_append_new(json_object_get(day, "articles"), S_item(r));
		}
		json_t *model =
		    json_pack("{s:i,s:i,s:I,s:o,s:o}", "year", y, "month", m, "count",
		              (json_int_t)json_array_size(list), "weeks", weeks, "days", days);
		rc = S_emit_key(a, "month", model, href, a->rhash ? mkey : 0);
		json_decref(model);
	}
	if (rc == 0) {
		json_t *model = json_pack("{s:O,s:I}", "articles", undated, "count",
		                          (json_int_t)json_array_size(undated));
		rc = S_emit(a, "undated", model, "dates/undated.html");
		json_decref(model);
	}
	if (rc == 0) {
		json_t *model =
		    json_pack("{s:O,s:I,s:I}", "years", years, "undated",
		              (json_int_t)json_array_size(undated), "count", (json_int_t)n);
		rc = S_emit(a, "dates", model, "dates/index.html");
		json_decref(model);
	}
	json_decref(years);
	json_decref(undated);
	json_decref(months);
	free(keys);
	return rc;
}

/* ---------------------------------------------------------------------
 * Feeds and sitemap
 * ------------------------------------------------------------------- */

#define FEED_ENTRIES 50

/* An Atom feed of the newest dated articles of list, at relpath. */
static int
S_feed(const struct archive *a, json_t *list, const char *title, const char *relpath)
{
	const char *base = a->cfg->base_url;
	json_t *entries = json_array();
	const char *updated = NULL;
	size_t i;
	json_t *r;
	json_array_foreach (list, i, r) {
		const char *date = S_sget(r, "date");
		if (strlen(date) != 10 || json_array_size(entries) >= FEED_ENTRIES)
			continue; /* a feed needs dates; undated articles have none */
		if (!updated)
			updated = date;
		struct buf url = BUF_INIT;
		buf_printf(&url, "%s/%s", base, S_sget(r, "href"));
		json_array_append_new(entries,
		                      json_pack("{s:O,s:s%,s:O,s:O,s:O}", "title",
		                                json_object_get(r, "title"), "url", url.data,
		                                url.len, "date", json_object_get(r, "date"),
		                                "summary", json_object_get(r, "excerpt"), "authors",
		                                json_object_get(r, "reporters")));
		buf_release(&url);
	}
	struct buf self = BUF_INIT, home = BUF_INIT;
	buf_printf(&self, "%s/%s", base, relpath);
	buf_printf(&home, "%s/", base);
	json_t *model =
	    json_pack("{s:s,s:s,s:s,s:s,s:o}", "title", title, "self", self.data, "home", home.data,
	              "updated", updated ? updated : "1970-01-01", "entries", entries);
	int rc = S_emit(a, "atom", model, relpath);
	json_decref(model);
	buf_release(&self);
	buf_release(&home);
	return rc;
}

/* Feeds for the archive and each group, and sitemap.xml of every page. */
static int
S_feeds(const struct archive *a, json_t **sorted, size_t n, json_t *groups)
{
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(all, sorted[i]);
	int rc = S_feed(a, all, S_sget(a->site, "title"), "feed.xml");
	json_decref(all);
	const char *key;
	json_t *g;
	json_object_foreach (groups, key, g) {
		if (rc < 0)
			break;
		struct buf path = BUF_INIT, title = BUF_INIT;
		buf_printf(&path, "%s/feed.xml", S_sget(g, "dir"));
		buf_printf(&title, "%s · %s", S_sget(g, "name"), S_sget(a->site, "title"));
		rc = S_feed(a, json_object_get(g, "articles"), title.data, path.data);
		buf_release(&path);
		buf_release(&title);
	}
	if (rc == 0 && a->urls) {
		json_t *urls = json_array(), *u;
		size_t i;
		json_array_foreach (a->urls, i, u) {
			struct buf loc = BUF_INIT;
			const char *p = json_string_value(u);
			size_t len = strlen(p);
			if (a->cfg->pretty_urls && len >= 10 && !strcmp(p + len - 10, "index.html"))
				len -= 10;
			buf_printf(&loc, "%s/%.*s", a->cfg->base_url, (int)len, p);
			json_array_append_new(urls, json_stringn(loc.data, loc.len));
			buf_release(&loc);
		}
		json_t *model = json_pack("{s:o}", "urls", urls);
		rc = S_emit(a, "sitemap", model, "sitemap.xml");
		json_decref(model);
	}
	return rc;
}

/* ---------------------------------------------------------------------
 * Search
 * ------------------------------------------------------------------- */

static int
S_search(struct archive *a, json_t **sorted, size_t n, struct search_fill **fill)
{
	struct search_entry *e = xcalloc(n ? n : 1, sizeof *e);
	struct strlist names = {0}, slugs = {0};
	for (size_t i = 0; i < n; i++) {
		const json_t *r = sorted[i], *d = json_object_get(r, "district");
		size_t serial = (size_t)json_integer_value(json_object_get(r, "serial"));
		struct buf b = BUF_INIT;
		size_t k;
		json_t *name;
		json_array_foreach (json_object_get(r, "reporters"), k, name) {
			buf_printf(&b, "%s%s", b.len ? " " : "", json_string_value(name));
		}
		strlist_add(&names, b.data ? b.data : "", b.len);
		const char *slug = S_sget(d, "slug"), *slash = strchr(slug, '/');
		strlist_add(&slugs, slug, slash ? (size_t)(slash - slug) : strlen(slug));
		buf_release(&b);
		e[i] = (struct search_entry){.doc = a->docs[serial],
		                             .title = S_sget(r, "title"),
		                             .href = S_sget(r, "href"),
		                             .date = S_sget(r, "date"),
		                             .group = S_sget(d, "group")};
	}
	for (size_t i = 0; i < n; i++) {
		e[i].reporters = names.v[i];
		e[i].group_slug = slugs.v[i];
	}
	int rc = search_build(a->chars, e, n, a->out, *fill, a->threads, &a->search);
	*fill = NULL;
	strlist_free(&names);
	strlist_free(&slugs);
	free(e);
	return rc;
}

/* ---------------------------------------------------------------------
 * Article pages
 * ------------------------------------------------------------------- */

uint64_t
archive_article_key(const struct archive *a, json_t *r)
{
	size_t serial = (size_t)json_integer_value(json_object_get(r, "serial"));
	if (serial >= a->n)
		return 1;
	/* the neighbours whole: more than their items show, but cheaper */
	uint64_t h[3] = {a->rhash[serial], S_serial_hash(a, a->newer[serial]),
	                 S_serial_hash(a, a->older[serial])};
	uint64_t key = out_key(0, h, sizeof h);
	return key ? key : 1;
}

int
archive_article(const struct archive *a, json_t *r, struct model *m, mval article, uint64_t key)
{
	size_t serial = (size_t)json_integer_value(json_object_get(r, "serial"));
	const char *href = S_sget(r, "href");
	struct buf url = BUF_INIT, ld = BUF_INIT;
	if (*a->cfg->base_url)
		buf_printf(&url, "%s/%s", a->cfg->base_url, href);
	S_jsonld(a, r, &ld);
	size_t nkeys = sizeof S_item_keys / sizeof *S_item_keys;
	struct model_map *model = model_map(m, 7, NULL);
	model_set(m, model, "jsonld", model_strn(m, ld.data, ld.len));
	model_set(m, model, "url", url.len ? model_strn(m, url.data, url.len) : model_null());
	model_set(m, model, "article", article);
	model_set(m, model, "newer",
	          serial < a->n && a->newer[serial]
	              ? model_pick(m, a->newer[serial], S_item_keys, nkeys)
	              : model_null());
	model_set(m, model, "older",
	          serial < a->n && a->older[serial]
	              ? model_pick(m, a->older[serial], S_item_keys, nkeys)
	              : model_null());
	S_site_root(a, m, model, href);
	int rc = S_render_data(a, "article_page", &model_data, model_map_val(model), href, key);
	buf_release(&url);
	buf_release(&ld);
	return rc;
}

void
archive_free(struct archive *a)
{
	free(a->newer);
	free(a->older);
	free(a->rhash);
	a->newer = a->older = NULL;
	a->rhash = NULL;
	a->n = 0;
}

/* ---------------------------------------------------------------------
 * The archive
 * ------------------------------------------------------------------- */

int
archive_build(struct archive *a, json_t *articles, json_t *pages)
{
	int rc = 0;
	size_t n = json_array_size(articles);
	json_t **sorted = S_order(articles, n);
	/* the search's posting lists need only the order: they are made
	   while the rest goes on */
	struct search_doc **ordered = xcalloc(n ? n : 1, sizeof *ordered);
	for (size_t i = 0; i < n; i++) {
		size_t serial = (size_t)json_integer_value(json_object_get(sorted[i], "serial"));
		ordered[i] = a->docs[serial];
	}
	struct search_fill *fill = search_fill_start(ordered, n, a->threads);

	/* groups and sub-groups, each newest first */
	json_t *groups = json_object();
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_object_get(sorted[i], "district");
		const char *slug = S_sget(d, "slug");
		const char *slash = strchr(slug, '/');
		struct buf gs = BUF_INIT, dir = BUF_INIT;
		buf_add(&gs, slug, slash ? (size_t)(slash - slug) : strlen(slug));
		buf_printf(&dir, "districts/%s", gs.data);
		json_t *g = S_group(groups, gs.data, S_sget(d, "group"), dir.data);
		json_array_append(json_object_get(g, "articles"), sorted[i]);
		/* the links to the group and sub-group, one string for all */
		if (!json_object_get(g, "href"))
			json_object_set_new(g, "href", S_dir_href(a, dir.data));
		json_t *sub = g;
		if (slash) {
			buf_printf(&dir, "/%s", slash + 1);
			sub = S_group(json_object_get(g, "subgroups"), slash + 1,
			              S_sget(d, "subgroup"), dir.data);
			json_array_append(json_object_get(sub, "articles"), sorted[i]);
			if (!json_object_get(sub, "href"))
				json_object_set_new(sub, "href", S_dir_href(a, dir.data));
		}
		json_object_set(sorted[i], "district_href", json_object_get(sub, "href"));
		json_object_set(sorted[i], "group_href", json_object_get(g, "href"));
		buf_release(&gs);
		buf_release(&dir);
	}

	struct util_clock t = util_clock();
	util_step(a->verbose, "  groups", &t);
	S_link_halves(sorted, n);
	struct emitter emitter;
	S_emitter_start(a, &emitter);
	if (rc == 0)
		rc = S_people(a, sorted, n);
	/* the records are final now: their hashes key the pages made of them */
	a->n = n;
	a->rhash = xcalloc(n ? n : 1, sizeof *a->rhash);
	struct shared_hashes shared = {0};
	for (size_t i = 0; i < n; i++) {
		size_t serial = (size_t)json_integer_value(json_object_get(sorted[i], "serial"));
		if (serial < n)
			a->rhash[serial] = S_record_hash(sorted[i], &shared);
	}
	S_shared_free(&shared);
	util_step(a->verbose, "  people", &t);
	/* each article's place in its group, and the URLs for the sitemap;
	   then the article pages can be made, while the rest is */
	a->newer = xcalloc(n ? n : 1, sizeof *a->newer);
	a->older = xcalloc(n ? n : 1, sizeof *a->older);
	const char *key;
	json_t *g;
	json_object_foreach (groups, key, g) {
		json_t *list = json_object_get(g, "articles");
		size_t m = json_array_size(list);
		for (size_t i = 0; i < m; i++) {
			json_t *r = json_array_get(list, i);
			size_t serial = (size_t)json_integer_value(json_object_get(r, "serial"));
			if (serial >= n)
				continue;
			a->newer[serial] = i > 0 ? json_array_get(list, i - 1) : NULL;
			a->older[serial] = i + 1 < m ? json_array_get(list, i + 1) : NULL;
			if (a->urls)
				json_array_append(a->urls, json_object_get(r, "href"));
		}
	}
	util_step(a->verbose, "  order", &t);
	if (rc == 0 && a->ready)
		a->ready(a->ready_arg);
	if (rc == 0)
		rc = S_dates(a, sorted, n);
	util_step(a->verbose, "  dates", &t);
	if (rc == 0)
		rc = S_search(a, sorted, n, &fill);
	search_fill_abandon(fill); /* when the search was not reached */
	free(ordered);
	if (a->verbose)
		fprintf(stderr,
		        "baoku:   search index: posting lists %.2f s from the order, %.2f s "
		        "waited for\n",
		        a->search.fill_seconds, a->search.wait_seconds);
	if (rc == 0) {
		json_t *model = json_object();
		rc = S_emit(a, "search", model, "search/index.html");
		json_decref(model);
	}

	util_step(a->verbose, "  search", &t);
	/* group and sub-group listings */
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

	util_step(a->verbose, "  listings", &t);
	/* the district index, by province; the home page's groups */
	json_t *provinces = json_object(), *home_groups = json_array();
	json_object_foreach (groups, key, g) {
		json_t *list = json_object_get(g, "articles");
		json_t *first = json_array_get(list, 0);
		json_t *path = json_object_get(json_object_get(first, "district"), "path");
		const char *prov = json_string_value(json_array_get(path, 0));
		if (!prov)
			prov = "";
		json_t *p = json_object_get(provinces, prov);
		if (!p) {
			p = json_pack("{s:s,s:[]}", "name", prov, "groups");
			json_object_set_new(provinces, prov, p);
		}
		json_t *subs = json_array();
		const char *skey;
		json_t *s;
		json_object_foreach (json_object_get(g, "subgroups"), skey, s) {
			json_array_append_new(
			    subs,
			    json_pack("{s:O,s:o,s:I}", "name", json_object_get(s, "name"), "href",
			              S_dir_href(a, S_sget(s, "dir")), "count",
			              (json_int_t)json_array_size(json_object_get(s, "articles"))));
		}
		json_t *latest = json_array();
		for (size_t i = 0; i < json_array_size(list) && i < HOME_HEADLINES; i++)
			json_array_append_new(latest, S_item(json_array_get(list, i)));
		json_t *entry = json_pack(
		    "{s:O,s:O,s:o,s:I,s:o,s:o}", "name", json_object_get(g, "name"), "slug",
		    json_object_get(g, "slug"), "href", S_dir_href(a, S_sget(g, "dir")), "count",
		    (json_int_t)json_array_size(list), "subgroups", subs, "latest", latest);
		json_array_append(json_object_get(p, "groups"), entry);
		json_array_append_new(home_groups, entry);
	}
	json_t *plist = json_array();
	json_t *p;
	json_object_foreach (provinces, key, p) {
		if (*key)
			json_array_append(plist, p);
	}
	if ((p = json_object_get(provinces, "")))
		json_array_append(plist, p); /* 未分区 last */
	if (rc == 0) {
		json_t *model = json_pack("{s:o,s:I}", "provinces", plist, "count", (json_int_t)n);
		rc = S_emit(a, "districts", model, "districts/index.html");
		json_decref(model);
	} else {
		json_decref(plist);
	}

	/* home: groups by size, then the latest articles */
	size_t ng = json_array_size(home_groups);
	for (size_t i = 1; i < ng; i++)
		for (size_t j = i; j > 0; j--) {
			json_t *x = json_array_get(home_groups, j - 1),
			       *y = json_array_get(home_groups, j);
			json_int_t cx = json_integer_value(json_object_get(x, "count"));
			json_int_t cy = json_integer_value(json_object_get(y, "count"));
			if (cx > cy ||
			    (cx == cy && strcmp(S_sget(x, "slug"), S_sget(y, "slug")) <= 0))
				break;
			json_incref(x);
			json_array_set(home_groups, j - 1, y);
			json_array_set_new(home_groups, j, x);
		}
	json_t *latest = json_array();
	for (size_t i = 0; i < n && i < HOME_LATEST; i++)
		json_array_append_new(latest, S_item(sorted[i]));
	if (rc == 0) {
		json_t *model =
		    json_pack("{s:o,s:o,s:I,s:I,s:o,s:o}", "groups", home_groups, "latest", latest,
		              "count", (json_int_t)n, "page_count",
		              (json_int_t)json_array_size(pages), "districts_href",
		              S_dir_href(a, "districts"), "pages_href", S_dir_href(a, "pages"));
		rc = S_emit(a, "home", model, "index.html");
		json_decref(model);
	} else {
		json_decref(home_groups);
		json_decref(latest);
	}

	/* the printed pages, 404, robots.txt */
	/* the printed pages, page_size of them a page (the pages' own files
	   are named from their paths, which never hold a '.') */
	size_t np = json_array_size(pages), size = (size_t)a->cfg->page_size;
	size_t npages = np ? (np + size - 1) / size : 1;
	for (size_t pg = 0; pg < npages && rc == 0; pg++) {
		json_t *slice = json_array();
		for (size_t j = pg * size; j < np && j < (pg + 1) * size; j++)
			json_array_append(slice, json_array_get(pages, j));
		json_t *model = json_pack("{s:o,s:I,s:b}", "pages", slice, "count", (json_int_t)np,
		                          "has_pages", np > 0);
		S_pager(a, "index.", pg, npages, model);
		struct buf file = BUF_INIT;
		buf_adds(&file, "pages/");
		S_page_file("index.", pg, &file);
		rc = S_emit(a, "pages", model, file.data);
		json_decref(model);
		buf_release(&file);
	}
	if (rc == 0) {
		json_t *model = json_object();
		rc = S_emit(a, "404", model, "404.html");
		json_decref(model);
	}
	if (rc == 0) {
		json_t *model = json_pack("{s:s}", "base_url", a->cfg->base_url);
		rc = S_emit(a, "robots", model, "robots.txt");
		json_decref(model);
	}
	/* last, so the sitemap lists every page */
	if (rc == 0 && *a->cfg->base_url)
		rc = S_feeds(a, sorted, n, groups);
	else if (rc == 0)
		diag_warning("site.yml", 0, 0,
		             "no base_url, so no Atom feeds and no sitemap.xml (they need absolute "
		             "URLs); set base_url to where the archive is published");
	if (S_emitter_finish(a, &emitter) < 0)
		rc = -1;
	json_decref(provinces);
	json_decref(groups);
	free(sorted);
	return rc;
}
