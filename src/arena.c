#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* n rounded up to the alignment of any object. */
static size_t
S_aligned(size_t n)
{
	const size_t align = alignof(max_align_t);
	return (n + align - 1) & ~(align - 1);
}

/* Starts a chunk with room for n bytes at least; its room starts past
   the previous chunk's address, aligned. */
static void
S_chunk(struct arena *a, size_t n)
{
	size_t room = a->chunk_size ? a->chunk_size : ARENA_CHUNK;
	size_t head = S_aligned(sizeof a->chunk), size = head + (n > room ? n : room);
	char *c = xmalloc(size);
	memcpy(c, &a->chunk, sizeof a->chunk);
	a->chunk = c;
	a->used = head;
	a->size = size;
	a->held += size;
}

/* n bytes starting at offset at of the current chunk (at least its
   used), or of a new chunk when they do not fit there. */
static char *
S_take(struct arena *a, size_t at, size_t n)
{
	if (!a->chunk || at > a->size || a->size - at < n) {
		S_chunk(a, n);
		at = a->used;
	}
	a->used = at + n;
	return a->chunk + at;
}

char *
arena_bytes(struct arena *a, size_t n)
{
	return S_take(a, a->used, n);
}

void *
arena_alloc(struct arena *a, size_t n)
{
	return S_take(a, S_aligned(a->used), S_aligned(n));
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
	a->used = a->size = a->held = 0;
}
