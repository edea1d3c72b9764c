/* arena: pieces from chunks, aligned or not, freed at once. */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "tap.h"

int
main(void)
{
	struct arena a = ARENA_INIT;

	char *s = arena_strndup(&a, "pages/a.html-and-more", 12);
	ok(!strcmp(s, "pages/a.html"), "a copy of the bytes asked for, with a NUL after them");

	char *t = arena_bytes(&a, 3);
	ok(t == s + 13, "text follows text with no padding between");

	void *p = arena_alloc(&a, 24);
	ok((uintptr_t)p % alignof(max_align_t) == 0, "an object is aligned for any type");
	memset(p, 0xAB, 24);
	ok(!strcmp(s, "pages/a.html"), "and writing it leaves what came before");

	/* fill past the first chunk: the earlier pieces stay where they were */
	char *first = s;
	size_t pieces = 0;
	while (a.chunk && (char *)first >= a.chunk && (char *)first < a.chunk + a.size &&
	       pieces < 100000) {
		arena_strndup(&a, "articles/ab/abcdef0123456789.html", 33);
		pieces++;
	}
	ok(pieces > 1000 && pieces < 100000, "a chunk holds many pieces (%zu) before the next",
	   pieces);
	ok(!strcmp(first, "pages/a.html"), "pieces of a chunk outlive the next chunk");

	size_t held = a.held;
	ok(held >= (pieces * 34 + 12 + 3 + 24) && held < 3 * ARENA_CHUNK,
	   "what it holds (%zu bytes) is its chunks, two of them", held);
	size_t big = 3 * ARENA_CHUNK;
	char *b = arena_bytes(&a, big);
	memset(b, 'x', big);
	ok(a.size >= big, "a piece larger than a chunk gets a chunk of its own");
	ok(a.held == held + a.size, "and counts in what it holds");

	struct arena small = {.chunk_size = 64};
	void *x = arena_alloc(&small, 40), *y = arena_alloc(&small, 40);
	ok(x && y && (char *)y - (char *)x != 48, "a chunk size of its own is kept to");
	arena_free(&small);
	ok(small.chunk == NULL && small.chunk_size == 64, "freed, it keeps its chunk size");

	arena_free(&a);
	ok(a.chunk == NULL && a.used == 0 && a.size == 0 && a.held == 0,
	   "arena_free leaves it empty");
	ok(arena_strndup(&a, "", 0)[0] == '\0', "and ready for reuse");
	arena_free(&a);
	return tap_done();
}
