/*
 * output: the output directory, replaced whole by each build.
 *
 * A build assembles its tree beside the live one, in NAME's side
 * directory (.NAME.baoku/next), and swaps it in with one atomic exchange
 * of the two directories: root is always one whole build, the last one
 * swapped in, whatever stops a build (an error, a full disk, a kill).
 * When a previous build is there, the next tree starts as a copy of it
 * made of hard links and gets only what is new or changed (a file with
 * the same bytes, or reused by its key, stays as it is, with its identity
 * and time); after the swap the previous tree stays beside as the spare,
 * so that the following build brings it level by linking only the files
 * that changed. Builds of one root take turns (a lock in the side
 * directory). Every path written is relative and checked, so nothing
 * lands outside the tree.
 *
 * The marker file MARKER, written last into a tree, names the build
 * (an id made from its inputs). The memo of keys, the inputs'
 * fingerprint and what is known of the spare tree are kept in the
 * project's cache directory, each file naming the id of the tree it
 * describes: one that names another tree is not trusted.
 *
 * An existing root that baoku did not make (it lacks the marker) is never
 * replaced: someone's directory is not a build.
 */
#ifndef BAOKU_OUTPUT_H
#define BAOKU_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct buf;

#define OUT_MARKER ".baoku-build"

struct output;

/*
 * Prepares a build of root, keeping what describes it in the directory
 * cache: checks that root is absent or a previous build, waits for
 * another build of root to end, and prepares the next tree. Returns NULL
 * after reporting the error. Free with out_commit or out_abort.
 */
struct output *out_open(const char *root, const char *cache);
/* The threads the commit may use (pool_threads: 0 for one a core). */
void out_set_jobs(struct output *o, int jobs);

/* Sets the fingerprint of the inputs this build is made from (see
   fingerprint.h), kept with the tree for out_is_current: the len bytes
   at fingerprint, not copied (a million articles' is tens of megabytes),
   which must stay as they are until it is set again or o is closed. */
void out_set_inputs(struct output *o, const char *fingerprint, size_t len);

/*
 * Writes len bytes of data to relpath under the next tree,
 * creating directories as needed. relpath must be a safe relative path
 * (util_safe_name); anything else is an error. Returns 0, or -1 after
 * reporting. Safe to call from several threads.
 */
int out_write(struct output *o, const char *relpath, const void *data, size_t len);

/*
 * Reuse across builds. A page rendered from a model can be given a key:
 * a hash of everything it was made from (see out_key). When the previous
 * build wrote the same path under the same key (and the same salt: what
 * every page depends on, the templates, settings and program), out_reuse
 * keeps that file in this build and returns 1, and the page need not be
 * rendered at all; otherwise it returns 0 (or -1 after reporting), and
 * the caller renders and writes with out_write_memo. The keys are kept in
 * the cache directory, tied to the tree they describe.
 */
uint64_t out_key(uint64_t key, const void *data, size_t len); /* FNV-1a; 0 starts */
/* Sets the salt and loads the previous build's keys: 0, or -1 after
   reporting a key file that is there but cannot be read. */
int out_set_salt(struct output *o, uint64_t salt);
int out_reuse(struct output *o, const char *relpath, uint64_t key);
int out_write_memo(struct output *o, const char *relpath, uint64_t key, const void *data,
                   size_t len);
/* The same for a file that depends on its key alone (not 0), not on the
   salt: what is made from an input file with settings of its own, such
   as a scan's thumbnail, which a new template or program need not make
   again. */
int out_reuse_unsalted(struct output *o, const char *relpath, uint64_t key);
int out_write_unsalted(struct output *o, const char *relpath, uint64_t key, const void *data,
                       size_t len);

/* Whether the previous build made relpath under key (as out_reuse
   takes it), without keeping it: out_reuse then keeps it unless its
   file has gone. */
int out_was_made(const struct output *o, const char *relpath, uint64_t key);

/* The size of the previous build's relpath (0 when none). */
size_t out_old_size(const struct output *o, const char *relpath);

/* The previous build's relpath, appended to b: 1, or 0 when there is
   none or it cannot be read (quietly: the caller makes it instead). */
int out_old_read(const struct output *o, const char *relpath, struct buf *b);

/* Opens a file of the cache directory as the previous build left it;
   NULL when there is none. */
FILE *out_cache_read(const struct output *o, const char *name);

/* The whole of that file, in one buffer of its own (the caller frees
   it), *len bytes: NULL when there is none, it cannot be read, or it is
   over max bytes. */
char *out_cache_slurp(const struct output *o, const char *name, size_t max, size_t *len);

/* That file mapped read-only (util_map_file), *len bytes: NULL when
   there is none, it is empty or over max bytes, or cannot be mapped.
   Unmapped with util_unmap. A build replaces the cache's files by
   renaming new ones over them, which leaves a mapping as it was. */
void *out_cache_map(const struct output *o, const char *name, size_t max, size_t *len);

/* Creates a file of the cache directory for the next build (open for
   reading too), to take the previous one's place when this build is
   committed; finish it with
   out_cache_done, which returns 0, or -1 after a warning (a cache that
   cannot be written costs the next build time, not correctness). Safe
   from several threads, each with files of its own. */
FILE *out_cache_create(struct output *o, const char *name);
int out_cache_done(struct output *o, const char *name, FILE *f);

/* Drops a file out_cache_create made, unfinished: the previous build's
   stays, as when this one cannot be written. */
void out_cache_abandon(struct output *o, const char *name, FILE *f);

/* Deletes the files of the cache directory's folder dir that keep(name,
   arg) does not keep. */
void out_cache_prune(struct output *o, const char *dir, int (*keep)(const char *name, void *arg),
                     void *arg);
/* Whether the process that writes a cache file "NAME.new-PID" (pid: the
   text after ".new-") may still be running: this one, or any other that
   exists. */
int out_cache_writer_alive(const char *pid);

/* A scratch file in the cache directory, already unlinked, so it goes
   with its last descriptor: a file descriptor, or -1 (no warning; the
   caller does without). */
int out_scratch(struct output *o);
/* Reports that the scratch file could not be written (errno err): as a
   file of the output that cannot be, once for all when the file system
   itself refuses, and the build then writes no more. */
void out_scratch_failed(struct output *o, int err);

/*
 * Copies the regular files under the directory src (recursively, skipping
 * hidden files and symbolic links that leave src) to reldir under the
 * next tree. A missing src is not an error. Returns 0 or -1.
 */
int out_copy_dir(struct output *o, const char *src, const char *reldir);

/* The path of file i (from 0, below out_made_count) of those this build
   has made or kept so far, in the order they came, spelt in out: its
   text. And strcmp's order of files i and j, without spelling them. */
const char *out_made_path(const struct output *o, size_t i, struct buf *out);
int out_made_cmp(const struct output *o, size_t i, size_t j);

/* The place of relpath among the files this build has made or kept (0
   for the first), or -1 when it has none; and how many there are. Not
   while other threads write. */
long out_made_index(const struct output *o, const char *relpath);
size_t out_made_count(const struct output *o);

/* The files ending in .html among those this build has made or kept so
   far, as a set whatever their order: how many, and the sum of
   util_mix(0, path, its length) over them (pub_set_add's, published.h).
   Not while other threads write. */
void out_made_html(const struct output *o, uint64_t *hash, size_t *n);

/* The salt out_set_salt was given (templates, settings, program). */
uint64_t out_salt(const struct output *o);

/* Files and bytes written so far, and files left as they were: a file
   with the same bytes as in the previous build is hard-linked from it,
   not written again, so it keeps its identity and modification time. */
size_t out_files(const struct output *o);
size_t out_bytes(const struct output *o);
size_t out_unchanged(const struct output *o);

/*
 * Starts listing the next tree on a thread of its own, for the commit's
 * prune (of the files this build does not make), so that the commit
 * need not walk it: best called once the rest of the build leaves a core
 * free. Without it, the commit walks the tree itself.
 */
void out_prepare_prune(struct output *o);

/*
 * Swaps the next tree in as root; the previous build stays beside as the
 * spare. Returns 0, or -1 after reporting (root is then unchanged). Frees
 * o.
 */
int out_commit(struct output *o);

/* Whether root is a build made from inputs with this fingerprint, as
   recorded in cache: 1 or 0, or -1 after reporting a file that cannot be
   read. */
int out_is_current(const char *root, const char *cache, const char *fingerprint, size_t len);

/* Drops the next tree; root is untouched. Frees o. */
void out_abort(struct output *o);

#endif
