/*
 * buf: a growable byte buffer.
 *
 * Invariants: `data` is never NULL and always NUL-terminated at data[len],
 * so a buf can be handed to any C string function at any time. A buf set to
 * BUF_INIT (or by buf_init) owns no memory until something is added.
 *
 *   buf_reset    empties the buffer and keeps its memory for reuse;
 *   buf_release  frees the memory and leaves an empty, reusable buffer;
 *   buf_detach   hands the memory to the caller and leaves an empty buffer.
 */
#ifndef BAOKU_BUF_H
#define BAOKU_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data; /* never NULL; data[len] == '\0' */
	size_t len; /* bytes in use, not counting the NUL */
	size_t cap; /* bytes allocated; 0 while data points at static "" */
};

extern char buf_empty_[1];

#define BUF_INIT                                                                                   \
	{                                                                                          \
		buf_empty_, 0, 0                                                                   \
	}

/* Sets b to the empty state without freeing anything. */
void buf_init(struct buf *b);

/* Makes room for at least `extra` more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t extra);

/* Appends n bytes from p. (Inline, as are buf_addc's: the renderer
   and the parsers append a few bytes at a time, millions of times.) */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Appends the C string s. */
void buf_adds(struct buf *b, const char *s);

/* Appends one byte. */
static inline void
buf_addc(struct buf *b, int c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

/* Appends formatted text, as printf(3). */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* As buf_printf, with a va_list. */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Shortens the buffer to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);

/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);

/* Frees the buffer's memory; b is empty and reusable afterwards. */
void buf_release(struct buf *b);

/*
 * Returns the buffer's NUL-terminated contents, which the caller must
 * free(3), and stores their length in *len when len is not NULL. b is left
 * empty. Never returns NULL.
 */
char *buf_detach(struct buf *b, size_t *len);

/* Nonzero when the contents equal the n bytes at p. */
int buf_equals(const struct buf *b, const void *p, size_t n);

#endif
