#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mujson.h"
#include "util.h"
#include "xalloc.h"

/* What a node starts with; a json_t starts with its type, 0 to 6. */
#define MODEL_MAGIC 0x6d6f646cu

/* Bytes a chunk holds: an article page's model takes a few KB. */
#define CHUNK 16384

struct entry {
	const char *key;
	size_t len;
	mval v;
};

struct node {
	uint32_t magic;
	uint8_t type; /* enum mu_type */
	union {
		struct {
			const char *s;
			size_t len;
		} str;
		long long num;
		struct {
			struct entry *e;
			size_t n, cap;
			mval over;
		} map;
		struct {
			mval *v;
			size_t n, cap;
		} list;
	} u;
};

struct model_map {
	struct node node;
};

struct model_list {
	struct node node;
};

static const struct node S_true = {.magic = MODEL_MAGIC, .type = MU_TRUE};
static const struct node S_false = {.magic = MODEL_MAGIC, .type = MU_FALSE};
static const struct node S_null = {.magic = MODEL_MAGIC, .type = MU_NULL};

static void *
S_alloc(struct model *m, size_t n)
{
	if (!m->arena.chunk_size)
		m->arena.chunk_size = CHUNK;
	return arena_alloc(&m->arena, n);
}

void
model_free(struct model *m)
{
	for (size_t i = 0; i < m->nheld; i++)
		json_decref(m->held[i]);
	free(m->held);
	m->held = NULL;
	m->nheld = m->capheld = 0;
	arena_free(&m->arena);
}

size_t
model_bytes(const struct model *m)
{
	return m->arena.held;
}

static struct node *
S_node(struct model *m, enum mu_type type)
{
	struct node *n = S_alloc(m, sizeof *n);
	memset(n, 0, sizeof *n);
	n->magic = MODEL_MAGIC;
	n->type = (uint8_t)type;
	return n;
}

mval
model_strn(struct model *m, const char *s, size_t len)
{
	if (!s)
		return &S_null;
	struct node *n = S_node(m, MU_STRING);
	n->u.str.s = s;
	n->u.str.len = len;
	return n;
}

mval
model_str(struct model *m, const char *s)
{
	return model_strn(m, s, s ? strlen(s) : 0);
}

mval
model_strcopy(struct model *m, const char *s, size_t len)
{
	char *copy = S_alloc(m, len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	return model_strn(m, copy, len);
}

mval
model_hold(struct model *m, json_t *v)
{
	if (!v)
		return &S_null;
	m->held = xgrow(m->held, &m->capheld, m->nheld, sizeof *m->held, 16);
	m->held[m->nheld++] = v;
	return v;
}

mval
model_int(struct model *m, long long v)
{
	struct node *n = S_node(m, MU_NUMBER);
	n->u.num = v;
	return n;
}

mval
model_bool(int b)
{
	return b ? &S_true : &S_false;
}

mval
model_null(void)
{
	return &S_null;
}

struct model_map *
model_map(struct model *m, size_t cap, mval over)
{
	struct node *n = S_node(m, MU_MAP);
	n->u.map.cap = cap ? cap : 1;
	n->u.map.e = S_alloc(m, n->u.map.cap * sizeof *n->u.map.e);
	n->u.map.over = over;
	return (struct model_map *)n;
}

void
model_set(struct model *m, struct model_map *map, const char *key, mval v)
{
	struct node *n = &map->node;
	if (n->u.map.n == n->u.map.cap) {
		struct entry *e = S_alloc(m, 2 * n->u.map.cap * sizeof *e);
		memcpy(e, n->u.map.e, n->u.map.n * sizeof *e);
		n->u.map.e = e;
		n->u.map.cap *= 2;
	}
	n->u.map.e[n->u.map.n++] = (struct entry){key, strlen(key), v};
}

struct model_list *
model_list(struct model *m, size_t cap)
{
	struct node *n = S_node(m, MU_LIST);
	n->u.list.cap = cap ? cap : 1;
	n->u.list.v = S_alloc(m, n->u.list.cap * sizeof *n->u.list.v);
	return (struct model_list *)n;
}

void
model_push(struct model *m, struct model_list *list, mval v)
{
	struct node *n = &list->node;
	if (n->u.list.n == n->u.list.cap) {
		mval *a = S_alloc(m, 2 * n->u.list.cap * sizeof *a);
		memcpy(a, n->u.list.v, n->u.list.n * sizeof *a);
		n->u.list.v = a;
		n->u.list.cap *= 2;
	}
	n->u.list.v[n->u.list.n++] = v;
}

mval
model_map_val(const struct model_map *map)
{
	return &map->node;
}

mval
model_list_val(const struct model_list *list)
{
	return &list->node;
}

mval
model_strlist(struct model *m, const struct strlist *l)
{
	struct model_list *list = model_list(m, l->n);
	for (size_t i = 0; i < l->n; i++)
		model_push(m, list, model_str(m, l->v[i]));
	return model_list_val(list);
}

mval
model_pick(struct model *m, const json_t *from, const char *const *keys, size_t n)
{
	struct model_map *map = model_map(m, n, NULL);
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_object_get(from, keys[i]);
		if (v)
			model_set(m, map, keys[i], v);
	}
	return model_map_val(map);
}

/* ---------------------------------------------------------------------
 * As Mustache data
 * ------------------------------------------------------------------- */

/* The node v is, or NULL for a jansson value. */
static const struct node *
S_as_node(mval v)
{
	uint32_t magic;
	memcpy(&magic, v, sizeof magic);
	return magic == MODEL_MAGIC ? v : NULL;
}

static enum mu_type
S_type(void *ud, const void *v)
{
	const struct node *n = S_as_node(v);
	return n ? (enum mu_type)n->type : mujson_data.type(ud, v);
}

static const void *
S_get(void *ud, const void *map, const char *key, size_t len)
{
	const struct node *n = S_as_node(map);
	if (!n)
		return json_is_object((const json_t *)map) ? mujson_data.get(ud, map, key, len)
		                                           : NULL;
	if (n->type != MU_MAP)
		return NULL;
	if (n->u.map.over) {
		const void *v = S_get(ud, n->u.map.over, key, len);
		if (v)
			return v;
	}
	for (size_t i = 0; i < n->u.map.n; i++) {
		const struct entry *e = &n->u.map.e[i];
		if (e->len == len && !memcmp(e->key, key, len))
			return e->v;
	}
	return NULL;
}

static size_t
S_count(void *ud, const void *list)
{
	const struct node *n = S_as_node(list);
	if (!n)
		return mujson_data.count(ud, list);
	return n->type == MU_LIST ? n->u.list.n : 0;
}

static const void *
S_item(void *ud, const void *list, size_t i)
{
	const struct node *n = S_as_node(list);
	if (!n)
		return mujson_data.item(ud, list, i);
	return n->type == MU_LIST && i < n->u.list.n ? n->u.list.v[i] : NULL;
}

static void
S_text(void *ud, const void *v, struct buf *out)
{
	const struct node *n = S_as_node(v);
	if (!n) {
		mujson_data.text(ud, v, out);
		return;
	}
	switch (n->type) {
	case MU_STRING: buf_add(out, n->u.str.s, n->u.str.len); break;
	case MU_NUMBER: buf_printf(out, "%lld", n->u.num); break;
	case MU_TRUE: buf_adds(out, "true"); break;
	case MU_FALSE: buf_adds(out, "false"); break;
	default: break;
	}
}

static const char *
S_string(void *ud, const void *v, size_t *len)
{
	const struct node *n = S_as_node(v);
	if (!n)
		return mujson_data.string(ud, v, len);
	if (n->type != MU_STRING)
		return NULL;
	*len = n->u.str.len;
	return n->u.str.s;
}

const struct mu_data model_data = {
    .type = S_type,
    .get = S_get,
    .count = S_count,
    .item = S_item,
    .text = S_text,
    .string = S_string,
    .call = NULL,
    .ud = NULL,
};
