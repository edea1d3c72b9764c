/*
 * spill: bytes put aside in a file that is read back at random places
 * (the build's scratch file, the page cache's tokens), written a region
 * at a time.
 *
 * Each writer (one a thread) takes a region of the file for itself, of
 * SPILL_REGION bytes or the size of what it puts, at the file's end
 * (shared by every writer, an atomic count), and gathers what it puts
 * there in memory; a region is written in one call when the next one is
 * taken, or by spill_flush. What is put has its place at once, but can
 * be read back only once spill_flush has returned 0: a page read puts
 * its excerpts, packed articles and search tokens aside a few hundred
 * bytes at a time, and a system call a put cost more than the rest.
 *
 * The file has holes where a region was not filled (they read as zeros,
 * and nothing names them).
 */
#ifndef BAOKU_SPILL_H
#define BAOKU_SPILL_H

#include <stdatomic.h>
#include <stddef.h>

#include "buf.h"

#define SPILL_REGION (256u << 10)

struct spill {
	int fd;              /* the file, or -1 */
	atomic_size_t *end;  /* the bytes of the file taken, by every writer */
	size_t base, room;   /* this writer's region: where, and its size */
	struct buf pending;  /* what was put in it, not yet written */
	int failed;          /* a write failed (errno err): what was put is not all there */
	int err;
};

/* Starts a writer of the file fd (-1: none), end its shared size. */
void spill_init(struct spill *s, int fd, atomic_size_t *end);

/* Puts len bytes aside: 0 and their offset in *off, or -1 when there is
   no file or a write has failed. */
int spill_put(struct spill *s, const void *data, size_t len, size_t *off);

/* Writes what was put and is not yet: 0, or -1 with errno set when a
   write failed, now or before (what was put is then not all there). */
int spill_flush(struct spill *s);

/* spill_flush, then lets the writer's memory go: 0 or -1 as it. */
int spill_end(struct spill *s);

#endif
