/*
 * pathset: relative paths held as their folder and their name (pathset.h).
 */
#define _GNU_SOURCE /* memrchr */
#include "pathset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"
#include "xalloc.h"

/* A folder: its parent and its last part. A path is the same as a folder
   when their whole paths are, so each whole path has one. */
struct pathdir {
	const struct pathdir *parent; /* NULL at the top */
	size_t len;                   /* of name */
	char name[];                  /* with a NUL after it */
};

static uint64_t
S_hash(const char *s, size_t len)
{
	return util_mix(0, s, len);
}

/* The folder and the name of a path as a set holds it (pathset.h). */
static const struct pathdir *
S_dir(const char *p)
{
	const struct pathdir *d;
	memcpy(&d, p, sizeof d);
	return d;
}

static const char *
S_name(const char *p)
{
	return p + sizeof(const struct pathdir *);
}

/* Whether s[0..len) is the whole path of folder d. */
static int
S_dir_is(const struct pathdir *d, const char *s, size_t len)
{
	for (;;) {
		if (d->len > len || memcmp(s + len - d->len, d->name, d->len))
			return 0;
		len -= d->len;
		if (!d->parent)
			return len == 0;
		if (!len || s[len - 1] != '/')
			return 0;
		len--;
		d = d->parent;
	}
}

/* Whether the path p holds is s[0..len). */
static int
S_is(const char *p, const char *s, size_t len)
{
	const struct pathdir *d = S_dir(p);
	const char *name = S_name(p);
	size_t n = strlen(name);
	if (n > len || memcmp(s + len - n, name, n))
		return 0;
	if (!d) /* a name has no '/' */
		return n == len;
	return len > n && s[len - n - 1] == '/' && S_dir_is(d, s, len - n - 1);
}

/* ---------------------------------------------------------------------
 * Folders
 * ------------------------------------------------------------------- */

struct dir_key {
	const struct pathdirs *dirs;
	const char *s;
	size_t len;
};

static int
S_dir_key_is(const void *ctx, size_t i)
{
	const struct dir_key *k = ctx;
	return S_dir_is(k->dirs->v[i], k->s, k->len);
}

/* The folder whose whole path is s[0..len), or NULL. */
static const struct pathdir *
S_dir_find(const struct pathdirs *ds, const char *s, size_t len)
{
	struct dir_key key = {ds, s, len};
	size_t i = hmap_find(&ds->index, S_hash(s, len), S_dir_key_is, &key);
	return i == HMAP_NONE ? NULL : ds->v[i];
}

/* A new folder, s[from..to) in parent, whose whole path is s[0..to). */
static const struct pathdir *
S_dir_make(struct pathdirs *ds, const struct pathdir *parent, const char *s, size_t from, size_t to)
{
	size_t n = to - from;
	struct pathdir *d = arena_alloc(&ds->mem, sizeof *d + n + 1);
	d->parent = parent;
	d->len = n;
	memcpy(d->name, s + from, n);
	d->name[n] = '\0';
	ds->v = xgrow(ds->v, &ds->cap, ds->n, sizeof *ds->v, 256);
	ds->v[ds->n] = d;
	hmap_add(&ds->index, S_hash(s, to), ds->n++);
	return d;
}

/* The folder whose whole path is s[0..len), made with those above it that
   are new. */
static const struct pathdir *
S_dir_of(struct pathdirs *ds, const char *s, size_t len)
{
	const struct pathdir *d = S_dir_find(ds, s, len), *parent = NULL;
	if (d)
		return d;
	for (size_t at = 0, from = 0;; at++) {
		if (at < len && s[at] != '/')
			continue;
		d = S_dir_find(ds, s, at);
		if (!d)
			d = S_dir_make(ds, parent, s, from, at);
		if (at == len)
			return d;
		parent = d;
		from = at + 1;
	}
}

void
pathdirs_free(struct pathdirs *d)
{
	arena_free(&d->mem);
	free(d->v);
	hmap_free(&d->index);
	d->v = NULL;
	d->n = d->cap = 0;
}

/* ---------------------------------------------------------------------
 * Paths
 * ------------------------------------------------------------------- */

struct path_key {
	const struct pathset *ps;
	const char *s;
	size_t len;
};

static int
S_path_key_is(const void *ctx, size_t i)
{
	const struct path_key *k = ctx;
	return S_is(k->ps->v[i], k->s, k->len);
}

long
pathset_find(const struct pathset *ps, const char *path)
{
	size_t len = strlen(path);
	struct path_key key = {ps, path, len};
	size_t i = hmap_find(&ps->index, S_hash(path, len), S_path_key_is, &key);
	return i == HMAP_NONE ? -1 : (long)i;
}

/* path[0..len) as the set holds it: its folder, then its name. */
static const char *
S_hold(struct pathset *ps, const char *path, size_t len)
{
	const char *slash = memrchr(path, '/', len);
	const struct pathdir *d = slash ? S_dir_of(ps->dirs, path, (size_t)(slash - path)) : NULL;
	const char *name = slash ? slash + 1 : path;
	size_t n = len - (size_t)(name - path);
	char *p = arena_bytes(&ps->strings, sizeof d + n + 1);
	memcpy(p, &d, sizeof d);
	memcpy(p + sizeof d, name, n);
	p[sizeof d + n] = '\0';
	return p;
}

/* Makes room in ps->v for one more path: by half, as a set of millions
   grown by double wastes a third of its array on average, and to 2048
   at least (a set reserved for one path has room for one). */
static void
S_grow(struct pathset *ps)
{
	if (ps->n < ps->cap)
		return;
	size_t cap = ps->cap + ps->cap / 2;
	ps->cap = cap < 2048 ? 2048 : cap;
	ps->v = xreallocarray(ps->v, ps->cap, sizeof *ps->v);
}

/* Adds path, as shared (NULL: a hold of its own): 1, or 0 when it is
   there already. */
static int
S_add(struct pathset *ps, const char *path, const char *shared)
{
	size_t len = strlen(path);
	struct path_key key = {ps, path, len};
	uint64_t h = S_hash(path, len);
	hmap_reserve(&ps->index, 1);
	size_t slot = hmap_probe(&ps->index, h, S_path_key_is, &key);
	if (hmap_entry(&ps->index, slot) != HMAP_NONE)
		return 0;
	S_grow(ps);
	/* S_hold may add folders to their own table, never to ps->index:
	   slot stays where the path goes */
	ps->v[ps->n] = shared ? shared : S_hold(ps, path, len);
	hmap_fill(&ps->index, slot, h, ps->n++);
	return 1;
}

int
pathset_add(struct pathset *ps, const char *path)
{
	return S_add(ps, path, NULL);
}

int
pathset_add_shared(struct pathset *ps, const char *path, const struct pathset *from, long i)
{
	return S_add(ps, path, i >= 0 && from->dirs == ps->dirs ? from->v[i] : NULL);
}

void
pathset_reserve(struct pathset *ps, size_t more)
{
	hmap_reserve(&ps->index, more);
	if (ps->cap < ps->n + more) {
		ps->cap = ps->n + more;
		ps->v = xreallocarray(ps->v, ps->cap, sizeof *ps->v);
	}
}

const char *
pathset_path(const struct pathset *ps, size_t i, struct buf *out)
{
	const char *p = ps->v[i], *name = S_name(p);
	size_t n = strlen(name), total = n;
	for (const struct pathdir *d = S_dir(p); d; d = d->parent)
		total += d->len + 1;
	buf_reset(out);
	buf_grow(out, total + 1);
	char *e = out->data + total;
	*e = '\0';
	memcpy(e -= n, name, n);
	for (const struct pathdir *d = S_dir(p); d; d = d->parent) {
		*--e = '/';
		memcpy(e -= d->len, d->name, d->len);
	}
	out->len = total;
	return out->data;
}

/* A path's parts from the top, its folders' and its name, at most
   SPELL_PARTS of them. */
#define SPELL_PARTS 16
struct spelling {
	const char *part[SPELL_PARTS];
	size_t len[SPELL_PARTS];
	size_t n;
};

/* The parts of the path p holds: 0, or -1 when it has too many. */
static int
S_spell(const char *p, struct spelling *sp)
{
	size_t n = 1;
	for (const struct pathdir *d = S_dir(p); d; d = d->parent)
		if (++n > SPELL_PARTS)
			return -1;
	sp->n = n;
	sp->part[n - 1] = S_name(p);
	sp->len[n - 1] = strlen(S_name(p));
	for (const struct pathdir *d = S_dir(p); d; d = d->parent) {
		sp->part[--n - 1] = d->name;
		sp->len[n - 1] = d->len;
	}
	return 0;
}

/* The next byte of the spelt path (its parts with '/' between them), at
   part *i, byte *at; -1 past its end. */
static int
S_next(const struct spelling *sp, size_t *i, size_t *at)
{
	for (; *i < sp->n; (*i)++, *at = 0) {
		if (*at < sp->len[*i])
			return (unsigned char)sp->part[*i][(*at)++];
		if (*at == sp->len[*i] && *i + 1 < sp->n) {
			(*at)++;
			return '/';
		}
	}
	return -1;
}

int
pathset_cmp(const struct pathset *ps, size_t i, size_t j)
{
	const char *a = ps->v[i], *b = ps->v[j];
	if (S_dir(a) == S_dir(b))
		return strcmp(S_name(a), S_name(b));
	struct spelling x, y;
	if (S_spell(a, &x) < 0 || S_spell(b, &y) < 0) {
		struct buf pa = BUF_INIT, pb = BUF_INIT;
		int c = strcmp(pathset_path(ps, i, &pa), pathset_path(ps, j, &pb));
		buf_release(&pa);
		buf_release(&pb);
		return c;
	}
	/* a folder both have at the same depth: the same text up to it */
	size_t k = 0;
	while (k + 1 < x.n && k + 1 < y.n && x.part[k] == y.part[k])
		k++;
	size_t ia = k, ib = k, at_a = 0, at_b = 0;
	for (;;) {
		int ca = S_next(&x, &ia, &at_a), cb = S_next(&y, &ib, &at_b);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca < 0)
			return 0;
	}
}

void
pathset_free(struct pathset *ps)
{
	arena_free(&ps->strings);
	free(ps->v);
	hmap_free(&ps->index);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}
