/*
 * repair: what the page layout and the OCR broke in Chinese newspaper
 * text.
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

struct buf;

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
