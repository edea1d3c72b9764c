#include "archive_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mujson.h"
#include "output.h"
#include "pool.h"
#include "templates.h"
#include "util.h"
#include "views.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------- */

int
archive_render_data(const struct archive *a, const char *name, const struct mu_data *data,
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

/* Renders a jansson model, given site and root (unless it has its own),
   to relpath under key (0: a hash of the model). */
static int
S_render(const struct archive *a, const char *name, json_t *model, const char *relpath,
         uint64_t key)
{
	json_object_set(model, "site", a->site);
	if (!json_object_get(model, "root")) {
		struct buf root = BUF_INIT;
		util_root_of(relpath, &root);
		json_object_set_new(model, "root", json_stringn(root.data, root.len));
		buf_release(&root);
	}
	if (!key)
		key = mujson_hash(model, out_key(0, name, strlen(name)));
	return archive_render_data(a, name, &mujson_data, model, relpath, key);
}

void
archive_site_root(const struct archive *a, struct model *m, struct model_map *map,
                  const char *relpath)
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
/* few: a queued model is held until rendered; with the main thread
   rendering when the queue is full, both threads stay busy */
#define EMIT_QUEUE 4
/* and few bytes: a month's model, of an archive that prints thousands of
   articles a month, takes megabytes, and a queue of four of them beside
   the two being rendered was most of a build's peak (at 109,282
   articles, 133-148 MiB against 117-122 with one queued). Past these
   bytes a model waits for the queue to empty; one is queued whatever
   its size. */
#define EMIT_QUEUE_BYTES (1u << 20)

struct emit_job {
	char *name, *relpath;
	json_t *model;   /* a jansson model, or NULL for: */
	struct model *m; /* an arena model, freed once rendered */
	struct model_map *root;
	uint64_t key;
	size_t bytes; /* what m takes (a jansson model is counted as none) */
};

/* Renders a job's model and frees it: 0 or -1. */
static int
S_run_job(const struct archive *a, struct emit_job *j)
{
	int rc;
	if (j->m) {
		rc = archive_render_data(a, j->name, &model_data, model_map_val(j->root),
		                         j->relpath, j->key);
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
	size_t bytes; /* of the jobs queued */
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
		e->bytes -= j.bytes;
		pthread_mutex_unlock(&e->lock);
		if (S_run_job(e->a, &j) < 0) {
			pthread_mutex_lock(&e->lock);
			e->failed = 1;
			pthread_mutex_unlock(&e->lock);
		}
	}
}

struct emitter *
archive_emitter_start(struct archive *a)
{
	struct emitter *e = xcalloc(1, sizeof *e);
	e->a = a;
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->more, NULL);
	if (a->threads > 1)
		e->started = pthread_create(&e->tid, NULL, S_emitter, e) == 0;
	if (e->started)
		a->state->emitter = e;
	return e;
}

int
archive_emitter_finish(struct archive *a, struct emitter *e)
{
	a->state->emitter = NULL;
	if (e->started) {
		pthread_mutex_lock(&e->lock);
		e->closing = 1;
		pthread_cond_signal(&e->more);
		pthread_mutex_unlock(&e->lock);
		pthread_join(e->tid, NULL);
	}
	pthread_cond_destroy(&e->more);
	pthread_mutex_destroy(&e->lock);
	int rc = e->failed ? -1 : 0;
	free(e);
	return rc;
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

int
archive_kept(const struct archive *a, const char *relpath, uint64_t key)
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
	struct emitter *e = a->state->emitter;
	if (e) {
		pthread_mutex_lock(&e->lock);
		if (e->n == 0 || (e->n < EMIT_QUEUE && e->bytes + j.bytes <= EMIT_QUEUE_BYTES)) {
			e->q[(e->head + e->n) % EMIT_QUEUE] = j;
			e->n++;
			e->bytes += j.bytes;
			pthread_cond_signal(&e->more);
			pthread_mutex_unlock(&e->lock);
			return 0;
		}
		pthread_mutex_unlock(&e->lock);
	}
	return S_run_job(a, &j);
}

int
archive_emit_key(const struct archive *a, const char *name, json_t *model, const char *relpath,
                 uint64_t key)
{
	return S_emit_job(a, relpath,
	                  (struct emit_job){.name = xstrdup(name),
	                                    .relpath = xstrdup(relpath),
	                                    .model = json_incref(model),
	                                    .key = key});
}

int
archive_emit_model(const struct archive *a, const char *name, struct model *m,
                   struct model_map *root, const char *relpath, uint64_t key)
{
	archive_site_root(a, m, root, relpath);
	return S_emit_job(a, relpath,
	                  (struct emit_job){.name = xstrdup(name),
	                                    .relpath = xstrdup(relpath),
	                                    .m = m,
	                                    .root = root,
	                                    .key = key,
	                                    .bytes = model_bytes(m)});
}

int
archive_emit(const struct archive *a, const char *name, json_t *model, const char *relpath)
{
	return archive_emit_key(a, name, model, relpath, 0);
}

void
archive_dir_link(const struct archive *a, const char *dir, struct buf *out)
{
	buf_printf(out, "%s/%s", dir, a->cfg->pretty_urls ? "" : "index.html");
}

json_t *
archive_dir_href(const struct archive *a, const char *dir)
{
	struct buf b = BUF_INIT;
	archive_dir_link(a, dir, &b);
	json_t *j = json_stringn(b.data, b.len);
	buf_release(&b);
	return j;
}

/* ---------------------------------------------------------------------
 * Items and the keys pages are kept by
 * ------------------------------------------------------------------- */

const char *const archive_item_keys[ARCHIVE_ITEM_KEYS] = {
    "title", "kicker", "href", "date", "excerpt", "district", "reporters", "paper", "page_label",
    "page_href"};

json_t *
archive_item(const json_t *r)
{
	return view_record_pick(r, archive_item_keys, ARCHIVE_ITEM_KEYS);
}

mval
archive_item_model(struct model *m, const json_t *r)
{
	return view_record_pick_model(m, r, archive_item_keys, ARCHIVE_ITEM_KEYS);
}

struct model_list *
archive_items_model(struct model *m, const json_t *records, size_t from, size_t to)
{
	size_t n = json_array_size(records);
	struct model_list *items = model_list(m, to > from ? to - from : 0);
	for (size_t i = from; i < to && i < n; i++)
		model_push(m, items, archive_item_model(m, json_array_get(records, i)));
	return items;
}

mval
archive_held(struct model *m, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return v ? model_hold(m, json_incref(v)) : model_null();
}

void
archive_shared_free(struct shared_hashes *sh)
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

/* Folds value v, or a text's hash (v NULL, text not 0), into h: objects
   by their shared hash, the rest whole. */
static uint64_t
S_fold_value(struct shared_hashes *sh, const json_t *v, uint64_t text, uint64_t h)
{
	return text                ? util_mix_u64(h, text)
	       : json_is_object(v) ? util_mix_u64(h, S_shared_hash(sh, v))
	                           : mujson_hash(v, h);
}

uint64_t
archive_item_hash(const json_t *r, struct item_hashes *ih)
{
	size_t serial = archive_serial(ih->state, r);
	if (serial < ih->n && ih->memo[serial])
		return ih->memo[serial];
	uint64_t h = archive_record_hash(r, &ih->shared);
	if (serial < ih->n)
		ih->memo[serial] = h;
	return h;
}

static uint64_t
S_item_hash_of(const struct archive_state *st, const json_t *r, struct shared_hashes *sh)
{
	(void)st;
	return archive_record_hash(r, sh);
}

void
archive_item_hashes_start(const struct archive *a, json_t **sorted, size_t n,
                          struct item_hashes *ih)
{
	*ih = (struct item_hashes){.state = a->state, .memo = xcalloc(n ? n : 1, sizeof *ih->memo),
	                           .n = n};
	archive_hash_all(a, sorted, n, S_item_hash_of, ih->memo);
}

void
archive_item_hashes_free(struct item_hashes *ih)
{
	free(ih->memo);
	archive_shared_free(&ih->shared);
}

/* Work on threads: each of n items by each(ctx, i, sh), chunk of them a
   pool item, each thread with shared hashes (sh) of its own. */
struct chunked {
	size_t n, chunk;
	void (*each)(const void *ctx, size_t i, struct shared_hashes *sh);
	const void *ctx;
};

static int
S_chunk(void *ctx, void *state, size_t c)
{
	const struct chunked *w = ctx;
	for (size_t i = c * w->chunk; i < w->n && i < (c + 1) * w->chunk; i++)
		w->each(w->ctx, i, state);
	return 0;
}

static void
S_shared_state_free(void *state)
{
	archive_shared_free(state);
}

static void
S_on_threads(const struct archive *a, const struct chunked *w)
{
	struct pool_task t = {.n = (w->n + w->chunk - 1) / w->chunk,
	                      .run = S_chunk,
	                      .ctx = (void *)w,
	                      .state_size = sizeof(struct shared_hashes),
	                      .state_free = S_shared_state_free};
	pool_run(&t, a->threads);
}

/* archive_keys' items: a page's key (a page's keys cost more than a
   record's hash, so fewer make a chunk). */
#define KEY_CHUNK 16
struct keys_all {
	archive_key_fn fn;
	const void *ctx;
	uint64_t *out;
};

static void
S_key_of(const void *ctx, size_t i, struct shared_hashes *sh)
{
	(void)sh;
	const struct keys_all *k = ctx;
	k->out[i] = k->fn(k->ctx, i);
}

void
archive_keys(const struct archive *a, size_t n, archive_key_fn fn, const void *ctx,
             uint64_t *out)
{
	struct keys_all k = {fn, ctx, out};
	S_on_threads(a, &(struct chunked){n, KEY_CHUNK, S_key_of, &k});
}

/* archive_hash_all's items: a record's hash, by its serial. */
#define HASH_CHUNK 1024
struct hash_all {
	const struct archive_state *st;
	json_t **sorted;
	size_t n;
	archive_hash_fn fn;
	uint64_t *out;
};

static void
S_hash_of(const void *ctx, size_t i, struct shared_hashes *sh)
{
	const struct hash_all *h = ctx;
	size_t serial = archive_serial(h->st, h->sorted[i]);
	if (serial < h->n)
		h->out[serial] = h->fn(h->st, h->sorted[i], sh);
}

void
archive_hash_all(const struct archive *a, json_t **sorted, size_t n, archive_hash_fn fn,
                 uint64_t *out)
{
	struct hash_all h = {a->state, sorted, n, fn, out};
	S_on_threads(a, &(struct chunked){n, HASH_CHUNK, S_hash_of, &h});
}

/* A record's hash being made. */
struct record_hash {
	struct shared_hashes *sh;
	uint64_t h;
};

static void
S_fold_field(const char *key, const json_t *v, uint64_t text, void *arg)
{
	struct record_hash *rh = arg;
	rh->h = out_key(rh->h, key, strlen(key) + 1);
	rh->h = S_fold_value(rh->sh, v, text, rh->h);
}

uint64_t
archive_record_hash(const json_t *r, struct shared_hashes *sh)
{
	struct record_hash rh = {sh, mujson_hash(NULL, 0)};
	view_record_each(r, S_fold_field, &rh);
	return rh.h;
}

uint64_t
archive_serial_hash(const struct archive *a, const json_t *r)
{
	return r && a->state ? archive_serial_hash_at(a, archive_serial(a->state, r)) : 0;
}

uint64_t
archive_serial_hash_at(const struct archive *a, size_t serial)
{
	const struct archive_state *st = a->state;
	return st && st->rhash && serial < st->n ? st->rhash[serial] : 0;
}
