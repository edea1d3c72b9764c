/*
 * encoding: the read stage. Turns a page file's bytes, in whatever
 * encoding the source used, into UTF-8 text with \n line ends, or reports
 * a positioned error and loses nothing.
 *
 * Detection, in order: a byte order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE);
 * the pattern of zero bytes that UTF-16 and UTF-32 text without a mark
 * shows; strict UTF-8; then uchardet's statistics, choosing between
 * GB18030 (which covers GBK and GB2312) and Big5-HKSCS (which covers Big5).
 * Conversion goes through iconv(3).
 */
#ifndef BAOKU_ENCODING_H
#define BAOKU_ENCODING_H

#include <stddef.h>

struct buf;

/* Files larger than this are refused unless the caller sets another limit. */
#define ENC_DEFAULT_LIMIT ((size_t)16 << 20)

struct enc_options {
	size_t limit;      /* larger files are refused; 0: ENC_DEFAULT_LIMIT */
	int lenient;       /* invalid sequences become U+FFFD, a warning each */
	const char *force; /* an encoding that overrides detection, or NULL */
};

/*
 * The canonical name of an encoding given by a user ("gbk", "Big5",
 * "utf8", ...): one of UTF-8, UTF-16LE, UTF-16BE, UTF-32LE, UTF-32BE,
 * GB18030, BIG5-HKSCS. NULL when baoku does not read that encoding.
 */
const char *enc_canonical(const char *name);

/*
 * The canonical names numbered from 1, 0 for none: a million pages keep
 * their encoding as a number, a byte where a pointer took eight.
 * enc_number of anything else is 0, and enc_name of 0 or of a number
 * past ENC_COUNT is NULL.
 */
#define ENC_COUNT 7
unsigned enc_number(const char *canonical);
const char *enc_name(unsigned number);

/* The encodings enc_canonical accepts, for messages. */
#define ENC_KNOWN                                                                                  \
	"UTF-8, UTF-16LE, UTF-16BE, UTF-32LE, UTF-32BE, GB18030 (GBK, GB2312), BIG5-HKSCS (Big5)"

/*
 * Decodes len bytes of the page named path into UTF-8 text with \n line
 * ends, appended to out, and sets *encoding to the canonical name of the
 * encoding used (a static string). Invalid sequences are errors reported
 * as path:line:col, unless o->lenient turns them into U+FFFD with a
 * warning each; NUL and other control characters (tab and form feed
 * aside) mean a binary file and are always errors. Returns 0, or -1 with
 * out unchanged. The size limit is the caller's to check.
 */
int enc_decode(const char *path, const char *bytes, size_t len, const struct enc_options *o,
               struct buf *out, const char **encoding);

#endif
