/*
 * output: the output directory as a sandbox, built beside and moved in.
 *
 * A build writes into a fresh staging directory next to the output root.
 * The first build's staging directory becomes the root in one rename. A
 * later build updates the root in place: its staging directory gets only
 * the files that are new or changed (a file with the same bytes as before,
 * or reused by its key, stays where it is), and the commit moves each of
 * them in with one rename and deletes what this build did not make. A
 * build that fails or stops before the commit leaves the root exactly as
 * it was; every file of the root is always whole. Every path written is
 * relative and checked, so nothing lands outside the staging directory.
 *
 * An existing root that baoku did not make (it lacks the marker file
 * MARKER) is never replaced: someone's directory is not a build.
 */
#ifndef BAOKU_OUTPUT_H
#define BAOKU_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct buf;

#define OUT_MARKER ".baoku-build"
/* The fingerprint of the inputs a build was made from. */
#define OUT_INPUTS ".baoku-inputs"

struct output;

/*
 * Prepares a build of root: checks that root is absent or a previous
 * build, and creates the staging directory. Returns NULL after reporting
 * the error. Free with out_commit or out_abort.
 */
struct output *out_open(const char *root);

/*
 * Writes len bytes of data to relpath under the staging directory,
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
 * links that file into this build and returns 1, and the page need not be
 * rendered at all; otherwise it returns 0 (or -1 after reporting), and
 * the caller renders and writes with out_write_memo. The keys are kept in
 * a cache directory beside the root (.NAME.cache), tied to the build they
 * describe, so that a root changed by anything else is never trusted.
 */
uint64_t out_key(uint64_t key, const void *data, size_t len); /* FNV-1a; 0 starts */
/* Sets the salt and loads the previous build's keys: 0, or -1 after
   reporting a key file that is there but cannot be read. */
int out_set_salt(struct output *o, uint64_t salt);
int out_reuse(struct output *o, const char *relpath, uint64_t key);
int out_write_memo(struct output *o, const char *relpath, uint64_t key, const void *data,
                   size_t len);

/* The size of the previous build's relpath (0 when none). */
size_t out_old_size(const struct output *o, const char *relpath);

/* Opens a file of the cache directory as the previous build left it;
   NULL when there is none. */
FILE *out_cache_read(const struct output *o, const char *name);

/* Creates a file of the cache directory for the next build (open for
   reading too), to take the previous one's place when this build is
   committed; finish it with
   out_cache_done, which returns 0, or -1 after a warning (a cache that
   cannot be written costs the next build time, not correctness). */
FILE *out_cache_create(struct output *o, const char *name);
int out_cache_done(struct output *o, const char *name, FILE *f);

/* Drops a file out_cache_create made, unfinished: the previous build's
   stays, as when this one cannot be written. */
void out_cache_abandon(struct output *o, const char *name, FILE *f);

/* A scratch file in the cache directory, already unlinked, so it goes
   with its last descriptor: a file descriptor, or -1 (no warning; the
   caller does without). */
int out_scratch(struct output *o);

/*
 * Copies the regular files under the directory src (recursively, skipping
 * hidden files and symbolic links that leave src) to reldir under the
 * staging directory. A missing src is not an error. Returns 0 or -1.
 */
int out_copy_dir(struct output *o, const char *src, const char *reldir);

/* Files and bytes written so far, and files left as they were: a file
   with the same bytes as in the previous build is hard-linked from it,
   not written again, so it keeps its identity and modification time. */
size_t out_files(const struct output *o);
size_t out_bytes(const struct output *o);
size_t out_unchanged(const struct output *o);

/*
 * Swaps the staging directory in as root and removes the previous build.
 * Returns 0, or -1 after reporting (root is then unchanged). Frees o.
 */
int out_commit(struct output *o);

/* Whether root is a build made from inputs with this fingerprint: 1 or
   0, or -1 after reporting a fingerprint file that cannot be read. */
int out_is_current(const char *root, const char *fingerprint, size_t len);

/* Removes the staging directory; root is untouched. Frees o. */
void out_abort(struct output *o);

#endif
