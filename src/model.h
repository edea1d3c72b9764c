/*
 * model: page models built in an arena, as Mustache data.
 *
 * The page view and the article page are rendered once for every printed
 * page and every article, from models thrown away right after. As jansson
 * trees they cost a hash table and a dozen allocations per article, more
 * than rendering them. Here a model's maps and lists live in one arena
 * freed in a piece, and its strings point at text that outlives the
 * render (the article's, the record's) instead of being copied.
 *
 * A value (mval) is either a model node or a jansson value, taken as it
 * is: a model holds the archive's records and the site's settings without
 * converting them. model_data renders both. A jansson value starts with its
 * type (0 to 6); a node starts with MODEL_MAGIC, which tells them apart.
 */
#ifndef BAOKU_MODEL_H
#define BAOKU_MODEL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "mujson.h"
#include "mustache.h"

struct strlist;

/* A model node or a json_t. */
typedef const void *mval;

/* The arena of one model. Zero it to start (MODEL_INIT); model_free frees
   every node made in it. */
struct model {
	struct arena arena; /* its nodes */
	json_t **held;      /* see model_hold */
	size_t nheld, capheld;
};
#define MODEL_INIT                                                                                 \
	{                                                                                          \
		0                                                                                  \
	}

void model_free(struct model *m);

/* The bytes its nodes take: what holding it until rendered costs. */
size_t model_bytes(const struct model *m);

/* Values. Strings are not copied: s must outlive the render. NULL for s
   gives null, as a missing value. */
mval model_str(struct model *m, const char *s);
mval model_strn(struct model *m, const char *s, size_t len);
mval model_int(struct model *m, long long v);
/* A copy of the len bytes at s in the arena, for text that does not
   outlive the model. */
mval model_strcopy(struct model *m, const char *s, size_t len);
/* v, a jansson value, kept alive until model_free, which drops the
   reference given here: for a model rendered later, on another thread,
   after the values it shows may have gone. */
mval model_hold(struct model *m, json_t *v);
mval model_bool(int b);
mval model_null(void);

/* A list of the strings of l (not copied). */
mval model_strlist(struct model *m, const struct strlist *l);

/* A map with room for cap keys (more are allowed). Lookups try `over`
   first (a map of either kind, or NULL): its keys win over the map's
   own, as if it had been merged into the map. */
struct model_map;
struct model_map *model_map(struct model *m, size_t cap, mval over);
/* Sets key (a string that outlives the model) to v; a key set twice has
   its first value. */
void model_set(struct model *m, struct model_map *map, const char *key, mval v);

/* A list with room for cap items (more are allowed). */
struct model_list;
struct model_list *model_list(struct model *m, size_t cap);
void model_push(struct model *m, struct model_list *list, mval v);

/* The map or list as a value. */
mval model_map_val(const struct model_map *map);
mval model_list_val(const struct model_list *list);

/* A map of the keys of a jansson object named in keys[0..n) that it has:
   a view, not a copy. */
mval model_pick(struct model *m, const json_t *from, const char *const *keys, size_t n);

/* The data interface for models (and the jansson values in them). */
extern const struct mu_data model_data;

#endif
