#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Where a chunk's room starts: past the previous chunk's address, aligned. */
#define HEAD ((sizeof(char *) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))

/* Starts a chunk with room for n bytes at least. */
static void
S_chunk(struct arena *a, size_t n)
{
	size_t room = a->chunk_size ? a->chunk_size : ARENA_CHUNK;
	size_t size = HEAD + (n > room ? n : room);
	char *c = xmalloc(size);
	memcpy(c, &a->chunk, sizeof a->chunk);
	a->chunk = c;
	a->used = HEAD;
	a->size = size;
}

char *
arena_bytes(struct arena *a, size_t n)
{
	if (!a->chunk || a->size - a->used < n)
		S_chunk(a, n);
	char *p = a->chunk + a->used;
	a->used += n;
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	if (a->chunk)
		a->used = (a->used + align - 1) & ~(align - 1);
	if (a->chunk && a->used > a->size)
		a->used = a->size; /* the padding ran past the end: a new chunk */
	return arena_bytes(a, (n + align - 1) & ~(align - 1));
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_bytes(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
arena_free(struct arena *a)
{
	while (a->chunk) {
		char *prev;
		memcpy(&prev, a->chunk, sizeof prev);
		free(a->chunk);
		a->chunk = prev;
	}
	a->used = a->size = 0;
}
