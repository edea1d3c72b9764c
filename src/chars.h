/*
 * chars: tables of Han characters shipped in data/: t2s.tsv folds a
 * traditional character to its simplified form (嘉興 to 嘉兴), pinyin.tsv
 * gives a character's toneless pinyin (chen for 陈). Both cover the CJK
 * Unified Ideographs, U+4E00..U+9FFF; other code points have no entry.
 *
 * Matching place names, indexing for search and spelling people's names
 * in URLs all fold or spell with these, and need nothing else of the
 * gazetteer.
 */
#ifndef BAOKU_CHARS_H
#define BAOKU_CHARS_H

#include <stdint.h>

#define CHARS_FIRST 0x4E00
#define CHARS_LAST  0x9FFF

struct chars;

/*
 * Loads dir/t2s.tsv and dir/pinyin.tsv. Returns NULL after reporting a
 * file that cannot be read. Free with chars_free.
 */
struct chars *chars_load(const char *dir);

/*
 * A table made of the caller's arrays, of CHARS_FIRST..CHARS_LAST each:
 * t2s as chars_t2s gives it, pinyin as chars_pinyin reads it (NULL for
 * none). The caller keeps them, unchanged, until after chars_free, which
 * frees the table alone. For a table kept in a file (gazetteer_image.c).
 */
struct chars *chars_borrow(uint32_t *t2s, const char **pinyin);

void chars_free(struct chars *c);

/* cp with a traditional character folded to its simplified form. */
uint32_t chars_fold(const struct chars *c, uint32_t cp);

/* The simplified form of each of CHARS_FIRST..CHARS_LAST (0 when it has
   none), for a caller that folds in its inner loop; owned by c. */
const uint32_t *chars_t2s(const struct chars *c);

/* The toneless pinyin of a CJK ideograph ("chen" for 陈), or NULL; owned
   by c. */
const char *chars_pinyin(const struct chars *c, uint32_t cp);

#endif
