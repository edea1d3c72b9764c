/*
 * repair: what the page layout and the OCR broke in Chinese newspaper
 * text, and the small UTF-8 helpers the text stages share.
 *
 *   - ASCII , : ; ? ! ( ) next to Chinese text become full width
 *     ，：；？！（）, while numbers (38.09亿元, 8:30), codes (IV-175, G60)
 *     and Latin text keep theirs;
 *   - spaces between two Chinese characters are layout noise and go,
 *     unless the caller keeps them (headline clauses, names, notices).
 */
#ifndef BAOKU_REPAIR_H
#define BAOKU_REPAIR_H

#include <stddef.h>
#include <stdint.h>

struct buf;

uint32_t rep_decode_any(const char *s, size_t n, size_t *len);

/* The code point at s (n bytes available); sets *len to its byte length
   (1 for an invalid byte, which decodes as U+FFFD). Inline for ASCII and
   the three-byte sequences of Chinese text, the hot path of every parser
   here; rep_decode_any takes the rest. */
static inline uint32_t
rep_decode(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n == 0)
		return rep_decode_any(s, n, len);
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
	return rep_decode_any(s, n, len);
}

/* Appends code point c to b as UTF-8. */
void rep_put(struct buf *b, uint32_t c);

/* The code point ending just before s[end] (start of text at s[0]). */
uint32_t rep_decode_prev(const char *s, size_t end, size_t *len);

/* Han ideographs (all CJK blocks). */
int rep_is_han(uint32_t c);

/* Han, CJK and full-width punctuation, quotes and the like: what counts
   as "Chinese text" around a punctuation mark or a space. */
int rep_is_cjk(uint32_t c);

/* Number of code points in s (len bytes). */
size_t rep_chars(const char *s, size_t len);

/*
 * Nonzero when s (len bytes, trailing whitespace ignored) ends a
 * sentence: 。！？… and their ASCII forms, also inside a closing quote or
 * bracket (。” ！」 .)).
 */
int rep_ends_sentence(const char *s, size_t len);

/* Flags for rep_typography. */
enum {
	REP_KEEP_SPACES = 1 << 0, /* keep spaces between Chinese characters
	                             (runs of them become one) */
};

/*
 * Appends s (len bytes) to out with punctuation folded to full width next
 * to Chinese text and layout spaces removed, as described above; leading
 * and trailing whitespace is dropped.
 */
void rep_typography(const char *s, size_t len, unsigned flags, struct buf *out);

#endif
