/*
 * arena: memory handed out in pieces from large chunks and freed all at
 * once. For what is made in great numbers and let go together: a page
 * model's nodes, and the paths a build keeps to its end (its page files',
 * its output's, its manifest's rows), where a malloc for each would cost
 * its header and its rounding up, and a buffer grown for each its spare
 * room (a page file's path of 66 bytes took 144).
 *
 *   struct arena a = ARENA_INIT;
 *   const char *s = arena_strndup(&a, path, len);
 *   struct thing *t = arena_alloc(&a, sizeof *t);
 *   arena_free(&a);
 *
 * Not safe from several threads at once.
 */
#ifndef BAOKU_ARENA_H
#define BAOKU_ARENA_H

#include <stddef.h>

struct arena {
	char *chunk;       /* the current chunk: the previous one's address, then room */
	size_t used, size; /* of the current chunk */
	size_t chunk_size; /* bytes a chunk holds; 0: ARENA_CHUNK */
	size_t held;       /* bytes of all its chunks */
};
#define ARENA_CHUNK 65536
#define ARENA_INIT                                                                                 \
	{                                                                                          \
		NULL, 0, 0, 0, 0                                                                   \
	}

/* n bytes aligned for any object; never NULL (a piece longer than a
   chunk gets a chunk of its own). */
void *arena_alloc(struct arena *a, size_t n);

/* n bytes on no alignment: for text. */
char *arena_bytes(struct arena *a, size_t n);

/* A copy of the len bytes at s with a NUL after them. */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* Frees every chunk and leaves a empty, ready for reuse (its chunk size
   kept). */
void arena_free(struct arena *a);

#endif
