/*
 * output_int: what the three parts of the output module share:
 *
 *   output.c        opening a build, its writes, the commit and the abort
 *   output_tree.c   the live tree (root) and the next one beside it
 *                   (side/next): the lock, matching next to root by hard
 *                   links, pruning, the atomic swap
 *   output_cache.c  the project's cache directory: the memo of the keys
 *                   each file was made from, the inputs, what is known of
 *                   the spare tree, and the files other modules keep there
 */
#ifndef BAOKU_OUTPUT_INT_H
#define BAOKU_OUTPUT_INT_H

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "hmap.h"
#include "pathset.h"
#include "util.h"

/* Output paths and the keys of what they were rendered from. */
struct memo {
	struct pathset paths;
	uint64_t *key; /* by the path's number */
	size_t cap;
	unsigned char *present; /* the old memo: the file is in next, */
	pthread_t finder;       /* ... as its listing on a thread of its own finds */
	atomic_int finding;     /* the walk is started and not yet joined */
	pthread_mutex_t find_lock;
};

/* Waits for the walk that marks the old memo's files present, when one
   runs: present is final after it. Safe from several threads. */
void out_memo_found(struct memo *m);

struct output {
	char *root;         /* the output directory: the live tree, replaced whole */
	char *side;         /* beside root (.NAME.baoku): the next tree and the lock */
	char *next;         /* side/next: the tree this build assembles */
	char *cache;        /* the project's cache directory: files kept for any build */
	char *state;        /* cache/STATE_NAME: what describes this root's trees */
	char *state_name;   /* out-HASH, HASH of root's absolute path */
	int lockfd;         /* side/lock, held from out_open to the end */
	uint64_t live;      /* the id of the tree in root; 0 when there is none */
	const char *inputs; /* the fingerprint of this build's inputs (out_set_inputs) */
	size_t inputs_len;
	pthread_mutex_t lock;
	size_t files, bytes; /* written */
	size_t unchanged;    /* the same bytes as in the previous build */
	uint64_t salt;       /* in every memo key: templates, settings, program */
	struct memo old;
	uint64_t *now; /* the key of each file this build made or kept, by its
	                  number in seen (0: none): the next build's memo */
	size_t now_cap;
	unsigned char *claimed; /* by number in the old memo: whether this build
	                           made or kept that path (the prune's to skip) */
	uint64_t html_hash; /* of those ending in .html: a sum of their paths'
	                       util_mix(0, ...), and how many (out_made_html) */
	size_t html_n;
	struct strlist cached; /* cache files written, to move in at commit */
	/* Updating a previous build: the next tree starts as a copy of the
	   live one made of hard links, and gets only what is new or changed;
	   without one, it starts empty. */
	int update;
	struct pathdirs dirs;   /* the folders of old's paths and seen's */
	struct pathset seen;    /* every file this build made or kept */
	struct strlist changed; /* where next differs from root: written, pruned */
	atomic_int walk_failed; /* a walk's callback could not do its part */
	struct buf listing;     /* of next, for the prune, made by the old memo's finder */
	int listed;             /* ... (listed: out_memo_found waits for it), */
	pthread_t lister;       /* ... or by this thread (out_prepare_prune), */
	int lister_running;     /* ... started and not yet joined */
	int stopped;            /* the errno that stopped all writing (a full disk) */
	atomic_int cache_said;  /* a cache file could not be written: said once */
	int jobs;               /* threads for the spare's links (out_set_jobs) */
};

/* Records path's key (a path is recorded once: out_reuse and the writes
   claim it first). */
void out_memo_add(struct memo *m, const char *path, uint64_t key);
/* Makes room for `more` paths at once. */
void out_memo_reserve(struct memo *m, size_t more);
/* The key recorded for path, 0 when none. */
uint64_t out_memo_get(const struct memo *m, const char *path);
/* ... for the path of number i in the memo (-1: none). */
uint64_t out_memo_key(const struct memo *m, long i);
void out_memo_free(struct memo *m);

/* What a walk of the output does with each file that is not a directory:
   1 when the file is gone. */
typedef int (*walk_fn)(struct output *o, const char *rel, const char *full, const struct dirent *e);

/* Walks the files under base/rel (base: root or next), calling fn for
   each one that is not a directory; with prune, directories left empty
   go too. Returns 1 when base/rel is left empty. */
int out_walk(struct output *o, const char *base, const char *rel, int depth, int prune, walk_fn fn);

/* Whether the folder at path can be read and holds nothing. */
int out_dir_is_empty(const char *path);

/* Whether the directory entry e, under full, is a directory (dir) or a
   regular file: from readdir when it says, else from lstat. */
int out_entry_is(const struct dirent *e, const char *full, int dir);

/* What a walk does with each entry of a folder: sub, its path in the
   tree; full, its whole path; dir, whether it is a folder (out_entry_is). */
typedef void (*entry_fn)(void *ctx, const char *sub, const char *full, const struct dirent *e,
                         int dir);

/* Calls fn for each entry of the folder base/rel but . and .., a walk
   depth folders down: 0, or -1 when it cannot be opened (errno says why)
   or depth is OUT_WALK_DEPTH. The one loop over a folder of the output's
   walks (out_walk, the listing of next, the spare's parts). */
int out_dir_each(const char *base, const char *rel, int depth, entry_fn fn, void *ctx);

/* How deep a walk of a tree goes: folders further down are not read. */
#define OUT_WALK_DEPTH 64

/* Sets state and state_name from root and cache. */
void out_state_paths(struct output *o);

/* Writes the files that describe the tree this build made, id (its
   memo, its inputs) and the spare tree beside it, to move in with
   out_cache_commit once the tree is in root. */
void out_state_write(struct output *o, uint64_t id);
/* Moves the cache and state files this build wrote in place; or removes
   them. */
void out_cache_commit(struct output *o);
void out_cache_drop(struct output *o);

/* What the previous build said of the tree in next: its id, the live
   tree's, and the paths where they differ. 0, or -1 when nothing
   trustworthy was said. */
int out_spare_read(const struct output *o, uint64_t *spare, uint64_t *live, struct strlist *paths);
/* Says that next is a copy of root now (after a first build or an abort),
   at once. */
void out_spare_same(struct output *o);

/* ---------------------------------------------------------------------
 * The trees (output_tree.c)
 * ------------------------------------------------------------------- */

/* Creates the side directory and takes its lock, waiting for a build of
   the same root that runs: 0, or -1 after reporting. */
int out_tree_lock(struct output *o);
/* Puts back what a swap without an atomic exchange left half done. */
void out_tree_recover(struct output *o);
/* The id in the marker of the tree at dir; 0 when it has none. */
uint64_t out_tree_id(const char *dir);
/* Makes next a copy of root by hard links (all but the marker): from the
   paths where they may differ when the previous build said so, else by
   walking both. 0, or -1 after reporting. */
int out_tree_match(struct output *o);
/* Makes the empty next a copy of root by hard links (all but the
   marker), a link a file, on o->jobs threads: 0, or -1 after reporting. */
int out_tree_fill(struct output *o);
/* Makes next/rel what root/rel is: a hard link to it, or absent. */
int out_tree_sync(struct output *o, const char *rel);
/* Lists next into o->listing, for the prune: its folders and the files
   that are not the old memo's; each file of the old memo found there is
   marked present instead (when o->old.present is made). One walk of
   next for both. */
void out_tree_list(struct output *o);
/* out_tree_list as a thread's start (its argument the output). */
void *out_tree_list_thread(void *o);
/* Lists next on a thread of its own while the build runs, for the
   prune (out_prepare_prune); out_tree_list_end waits for it and forgets
   the listing (a build that stops before its commit). */
void out_tree_list_start(struct output *o);
void out_tree_list_end(struct output *o);
/* Deletes the files of next that this build did not make, and the
   folders they leave empty: those of the listing (made here when no
   thread made it), then those of the old memo marked present. 0, or -1
   after reporting one that stays. */
int out_tree_prune(struct output *o);
/* Swaps next in as root, in one step: 0, or -1 after reporting (root is
   as it was). */
int out_tree_swap(struct output *o);
/* Empties next for a build from nothing: 0, or -1 after reporting. */
int out_tree_clear(struct output *o);

#endif
