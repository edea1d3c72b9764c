/*
 * output_int: what output.c (the staging directory, writes, the commit)
 * and output_cache.c (the cache directory beside the root: the memo of
 * the keys each file was made from, and the files other modules keep
 * there) share.
 */
#ifndef BAOKU_OUTPUT_INT_H
#define BAOKU_OUTPUT_INT_H

#include <dirent.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "hmap.h"
#include "util.h"

/* A set of relative paths, each with a number (its order of adding);
   safe from several threads under the output's lock. */
struct pathset {
	char **v;
	size_t n, cap;
	struct hmap index;
};

/* The number of path, or -1 when it is not in the set. */
long out_paths_find(const struct pathset *ps, const char *path);
/* Adds path: 1, or 0 when it was there already. */
int out_paths_add(struct pathset *ps, const char *path);
void out_paths_free(struct pathset *ps);

/* Output paths and the keys of what they were rendered from. */
struct memo {
	struct pathset paths;
	uint64_t *key; /* by the path's number */
	size_t cap;
	unsigned char *present; /* the old memo: the file is still there */
};

struct output {
	char *root;      /* the output directory */
	char *staging;   /* where this build goes first */
	char *cache;     /* beside root: what the next build may reuse */
	uint64_t inputs; /* a hash of the inputs' fingerprint this build wrote */
	pthread_mutex_t lock;
	size_t files, bytes; /* written */
	size_t unchanged;    /* the same bytes as in the previous build */
	uint64_t salt;       /* in every memo key: templates, settings, program */
	struct memo old, now;
	struct strlist cached; /* cache files written, to move in at commit */
	/* Updating a previous build in place: the staging directory gets only
	   what is new or changed, and the commit moves it in file by file and
	   deletes what this build did not make. */
	int update;
	struct pathset seen;    /* every file this build made or kept */
	struct strlist written; /* the files in the staging directory */
};

/* Records path's key (a path is recorded once: out_reuse and the writes
   claim it first). */
void out_memo_add(struct memo *m, const char *path, uint64_t key);
/* The key recorded for path, 0 when none. */
uint64_t out_memo_get(const struct memo *m, const char *path);
void out_memo_free(struct memo *m);

/* What a walk of the output does with each file that is not a directory:
   1 when the file is gone. */
typedef int (*walk_fn)(struct output *o, const char *rel, const char *full, const struct dirent *e);

/* Walks the files under root/rel, directories first to last, calling fn
   for each one that is not a directory; with prune, directories left
   empty go too. Returns 1 when root/rel is left empty. */
int out_walk(struct output *o, const char *rel, int depth, int prune, walk_fn fn);

/* Whether the directory entry e, under full, is a directory (dir) or a
   regular file: from readdir when it says, else from lstat. */
int out_entry_is(const struct dirent *e, const char *full, int dir);

/* Moves the cache files this build wrote in place, with its memo; or
   removes them. */
void out_cache_commit(struct output *o);
void out_cache_drop(struct output *o);

#endif
