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

/* The code point at s (n bytes available); sets *len to its byte length
   (1 for an invalid byte, which decodes as U+FFFD). */
uint32_t rep_decode(const char *s, size_t n, size_t *len);

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
