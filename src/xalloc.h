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
