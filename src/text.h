/*
 * text: UTF-8, the one encoding text has once it is read. Decoding a code
 * point (forwards, and backwards from the end of a span), encoding one,
 * checking a sequence, counting characters, and the line and column of a
 * place in a text: diagnostics count columns in characters, not bytes.
 * Also which code points are Chinese text.
 *
 * Nothing here allocates except txt_put, which appends to a buf.
 */
#ifndef BAOKU_TEXT_H
#define BAOKU_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes available, n at
 * least 1), or 0 when the bytes there are not valid UTF-8 (overlong forms,
 * surrogates and code points above U+10FFFF included). Inline: checking
 * a page that is read calls it for every character.
 */
static inline size_t
txt_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (n < 2 || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (i >= n || s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

/* The code point at s (n bytes available); sets *len to its byte length
   (1 for an invalid byte, or for n == 0, which decode as U+FFFD). */
uint32_t txt_decode_any(const char *s, size_t n, size_t *len);

/* txt_decode_any, inline for ASCII and the three-byte sequences of
   Chinese text: the hot path of every parser here. */
static inline uint32_t
txt_decode(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n == 0)
		return txt_decode_any(s, n, len);
	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if (n >= 3 && (u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		uint32_t c = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 |
		             (uint32_t)(u[2] & 0x3F);
		if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) { /* not overlong, no surrogate */
			*len = 3;
			return c;
		}
	}
	return txt_decode_any(s, n, len);
}

/* The code point ending just before s[end] (start of text at s[0]); sets
   *len to its byte length (1 and U+FFFD when the bytes there are not a
   whole sequence). */
uint32_t txt_decode_prev(const char *s, size_t end, size_t *len);

/* Appends code point c to b as UTF-8. */
void txt_put(struct buf *b, uint32_t c);

/* Han ideographs (all CJK blocks). */
int txt_is_han(uint32_t c);

/* Han, CJK and full-width punctuation, quotes and the like: what counts
   as "Chinese text" around a punctuation mark or a space. */
int txt_is_cjk(uint32_t c);

/* Number of code points in s (len bytes): its bytes that are not UTF-8
   continuation bytes. */
size_t txt_chars(const char *s, size_t len);

/* Appends to out the first max characters of the n bytes at p, and "…"
   when that cut them short. */
void txt_cut(const char *p, size_t n, size_t max, struct buf *out);

/* The column, from 1 and in characters, of the byte len bytes after the
   start of a line at line. */
static inline size_t
txt_col(const char *line, size_t len)
{
	return 1 + txt_chars(line, len);
}

/*
 * A place in a text, moved forwards through it by txt_advance: the line
 * and column (both from 1, the column in characters) of the byte at
 * offset `at`.
 */
struct txt_pos {
	size_t line, col;
	size_t at;
};

/* Line 1, column 1, at the text's first byte, offset `at`. */
static inline struct txt_pos
txt_pos_at(size_t at)
{
	return (struct txt_pos){.line = 1, .col = 1, .at = at};
}

/* Moves p to offset `to` of s (nothing when p is there or past it). */
void txt_advance(struct txt_pos *p, const char *s, size_t to);

#endif
