/*
 * pathset: a set of relative paths, each with a number (its order of
 * adding): the files a build writes and those the last build wrote
 * (output_int.h), two and a half million of each at a million articles.
 *
 * A path is held as its folder and its name. The folders (pages/PAPER/
 * DATE, articles/XX, ...) are each held once, as their parent and their
 * last part, in a table that several sets may share (struct pathdirs),
 * and a path as a pointer to its folder and its name: 23 bytes a path of
 * a million page files' output (2.65 million paths in 334,000 folders),
 * where the whole path took 44. A path is spelt again when asked for
 * (pathset_path).
 *
 *   struct pathdirs dirs = PATHDIRS_INIT;
 *   struct pathset ps = PATHSET_INIT(&dirs);
 *   pathset_add(&ps, "pages/a/2024-04-09/01.html");     (1: added)
 *   long i = pathset_find(&ps, "pages/a/2024-04-09/01.html");   (0)
 *   pathset_free(&ps); pathdirs_free(&dirs);
 *
 * Not safe from several threads at once, but for this: finds in one set
 * may run beside adds to another set that shares its folders (a folder,
 * once made, never moves or changes).
 */
#ifndef BAOKU_PATHSET_H
#define BAOKU_PATHSET_H

#include <stddef.h>

#include "arena.h"
#include "hmap.h"

struct buf;
struct pathdir;

/* The folders of the paths of one or more sets. */
struct pathdirs {
	struct pathdir **v;
	size_t n, cap;
	struct hmap index; /* of v, by the hash of the folder's whole path */
	struct arena mem;  /* the folders */
};
#define PATHDIRS_INIT                                                                              \
	{                                                                                          \
		NULL, 0, 0, {NULL, 0, 0}, ARENA_INIT                                               \
	}

struct pathset {
	const char **v; /* each path: its folder (a struct pathdir *, NULL for
	                   none, unaligned), then its name and a NUL */
	size_t n, cap;
	struct hmap index;     /* of v, by the hash of the whole path */
	struct arena strings;  /* what v points at, but for what is shared */
	struct pathdirs *dirs; /* the folders, not the set's own */
};
#define PATHSET_INIT(dirs)                                                                         \
	{                                                                                          \
		NULL, 0, 0, {NULL, 0, 0}, ARENA_INIT, (dirs)                                       \
	}

/* The number of path in ps, or -1. */
long pathset_find(const struct pathset *ps, const char *path);

/* Adds path: 1, or 0 when it was there already. */
int pathset_add(struct pathset *ps, const char *path);

/* The same, sharing how from holds it when i, path's number there
   (pathset_find's), is not -1: from must share ps's folders and
   outlive ps. */
int pathset_add_shared(struct pathset *ps, const char *path, const struct pathset *from, long i);

/* Makes room for `more` paths at once. */
void pathset_reserve(struct pathset *ps, size_t more);

/* Path i spelt out in out (replacing what it held): its text. */
const char *pathset_path(const struct pathset *ps, size_t i, struct buf *out);

/* strcmp's order of paths i and j, without spelling them out. */
int pathset_cmp(const struct pathset *ps, size_t i, size_t j);

/* Frees the set (not its folders) and leaves it empty, its folders kept. */
void pathset_free(struct pathset *ps);
void pathdirs_free(struct pathdirs *d);

#endif
