/*
 * xalloc: allocation that cannot fail.
 *
 * Running out of memory is not an error the generator can recover from, so
 * every allocation goes through these wrappers, which print one line and
 * abort. Everything else returns errors to its caller.
 */
#ifndef BAOKU_XALLOC_H
#define BAOKU_XALLOC_H

#include <stddef.h>

/* malloc(3) that aborts on failure. Never returns NULL; free with free(3). */
void *xmalloc(size_t size);

/* calloc(3) that aborts on failure and on n * size overflow. */
void *xcalloc(size_t n, size_t size);
/* As xcalloc, zeroed by writing every byte: for a table that is read
   before it is written (a hash table's slots). calloc leaves fresh pages
   to the system; the first read of each maps the shared zero page, and
   the first write then copies it and flushes the other threads' TLBs:
   two faults a page and an interrupt to every core, where a write first
   costs one fault. */
void *xcalloc_written(size_t n, size_t size);

/* realloc(3) that aborts on failure. */
void *xrealloc(void *p, size_t size);

/* reallocarray: grows p to n elements of size bytes, checking overflow. */
void *xreallocarray(void *p, size_t n, size_t size);

/*
 * Makes room for one more element in the array p of *cap elements of size
 * bytes, of which n are in use: when n == *cap, doubles *cap (starting at
 * `first`) and reallocates. Returns the array, which may have moved.
 *   v = xgrow(v, &cap, n, sizeof *v, 16); v[n++] = x;
 */
void *xgrow(void *p, size_t *cap, size_t n, size_t size, size_t first);

/* A NUL-terminated copy of s; the caller frees it. */
char *xstrdup(const char *s);

/* A NUL-terminated copy of the first len bytes of s; the caller frees it. */
char *xstrndup(const char *s, size_t len);

#endif
