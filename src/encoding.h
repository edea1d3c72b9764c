/*
 * encoding: the read stage. Turns a page file's bytes into UTF-8 text with
 * \n line ends, or reports a positioned error.
 */
#ifndef BAOKU_ENCODING_H
#define BAOKU_ENCODING_H

#include <stddef.h>

struct buf;

/* Files larger than this are refused unless the caller sets another limit. */
#define ENC_DEFAULT_LIMIT ((size_t)16 << 20)

/*
 * Converts len bytes of a page named path into out: drops a UTF-8 byte
 * order mark, turns CRLF and CR into LF, and checks that the text is
 * valid UTF-8 without NUL or other control characters (tab and form feed
 * are allowed). Returns 0, or -1 after reporting the first problem as
 * path:line:col (counted in the source bytes). out holds the converted
 * text only on success.
 */
int enc_to_utf8(const char *path, const char *bytes, size_t len, struct buf *out);

/* Reads the file at path (at most limit bytes) and converts it as
   enc_to_utf8 does. Returns 0 or -1 after reporting. */
int enc_read_page(const char *path, size_t limit, struct buf *out);

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes available), or
 * 0 when the bytes there are not valid UTF-8 (overlong forms, surrogates
 * and code points above U+10FFFF included).
 */
size_t enc_utf8_len(const unsigned char *s, size_t n);

#endif
