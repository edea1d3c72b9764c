#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <uchardet.h>

#include "buf.h"
#include "diag.h"
#include "text.h"

/* ---------------------------------------------------------------------
 * UTF-8
 * ------------------------------------------------------------------- */

static int
S_valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		/* most Chinese text: a lead byte with no limits on what follows
		   (not E0's overlongs nor ED's surrogates), two continuations */
		if (i + 2 < n && s[i] >= 0xE1 && s[i] <= 0xEF && s[i] != 0xED &&
		    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		size_t k = txt_utf8_len(s + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

static void
S_hex(struct buf *b, const unsigned char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		buf_printf(b, "%s0x%02X", k ? " " : "", s[k]);
}

static void
S_add_replacement(struct buf *out)
{
	buf_add(out, "\xEF\xBF\xBD", 3);
}

/* Reports one invalid sequence; returns -1 unless lenient. */
static int
S_invalid(const char *path, const struct txt_pos *c, const char *enc, const unsigned char *s,
          size_t n, int at_end, int lenient)
{
	struct buf hex = BUF_INIT;
	S_hex(&hex, s, n);
	if (lenient)
		diag_warning(path, c->line, c->col,
		             "invalid %s byte sequence %s%s; replaced by U+FFFD", enc, hex.data,
		             at_end ? " cut off by the end of the file" : "");
	else
		diag_error(path, c->line, c->col,
		           "invalid %s byte sequence %s%s; fix the file, set 'encoding:' in its "
		           "front matter if it is not %s, or build with --lenient",
		           enc, hex.data, at_end ? " cut off by the end of the file" : "", enc);
	buf_release(&hex);
	return lenient ? 0 : -1;
}

/* Copies UTF-8 bytes, checking them. */
static int
S_decode_utf8(const char *path, const unsigned char *s, size_t len, int lenient, struct buf *out)
{
	struct txt_pos c = txt_pos_at(out->len);
	size_t i = 0;
	while (i < len) {
		/* the run of good sequences, copied at once */
		size_t run = i, k = 1;
		while (run < len &&
		       (s[run] < 0x80 ? (k = 1) : (k = txt_utf8_len(s + run, len - run))))
			run += k;
		buf_add(out, s + i, run - i);
		i = run;
		if (i >= len)
			break;
		/* the whole broken sequence: a lead byte and its continuations */
		size_t bad = 1;
		while (i + bad < len && bad < 4 && (s[i + bad] & 0xC0) == 0x80)
			bad++;
		/* cut off: a lead byte whose sequence the end of the file interrupts */
		size_t want = s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : s[i] >= 0xC2 ? 2 : 0;
		int cut = s[i] <= 0xF4 && bad < want && i + bad >= len;
		txt_advance(&c, out->data, out->len);
		if (S_invalid(path, &c, "UTF-8", s + i, bad, cut, lenient) < 0)
			return -1;
		S_add_replacement(out);
		i += bad;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * iconv
 * ------------------------------------------------------------------- */

/* Bytes per code unit, for skipping past an invalid one. */
static size_t
S_unit(const char *enc)
{
	if (!strncmp(enc, "UTF-16", 6))
		return 2;
	if (!strncmp(enc, "UTF-32", 6))
		return 4;
	return 1;
}

static int
S_decode_iconv(const char *path, const char *enc, const unsigned char *s, size_t len, int lenient,
               struct buf *out)
{
	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1) {
		diag_error(path, 0, 0, "this system's iconv cannot convert from %s: %s", enc,
		           strerror(errno));
		return -1;
	}
	struct txt_pos c = txt_pos_at(out->len);
	char *in = (char *)s;
	size_t inleft = len;
	size_t unit = S_unit(enc);
	int rc = 0;
	while (inleft > 0) {
		buf_grow(out, inleft * 2 + 16);
		char *o = out->data + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		/* EILSEQ: invalid here; EINVAL: incomplete at the end */
		int at_end = errno == EINVAL;
		size_t n = at_end ? inleft : (unit > 1 ? unit : (inleft < 2 ? inleft : 2));
		if (n > inleft)
			n = inleft;
		txt_advance(&c, out->data, out->len);
		if (S_invalid(path, &c, enc, (const unsigned char *)in, n, at_end, lenient) < 0) {
			rc = -1;
			break;
		}
		S_add_replacement(out);
		size_t skip = at_end ? inleft : (unit <= inleft ? unit : inleft);
		in += skip;
		inleft -= skip;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	return rc;
}

/* ---------------------------------------------------------------------
 * Detection
 * ------------------------------------------------------------------- */

static const struct {
	const char *alias, *name;
} S_names[] = {
    {"utf-8", "UTF-8"},       {"utf8", "UTF-8"},           {"ascii", "UTF-8"},
    {"us-ascii", "UTF-8"},    {"utf-16le", "UTF-16LE"},    {"utf-16be", "UTF-16BE"},
    {"utf-32le", "UTF-32LE"}, {"utf-32be", "UTF-32BE"},    {"gb18030", "GB18030"},
    {"gbk", "GB18030"},       {"gb2312", "GB18030"},       {"cp936", "GB18030"},
    {"euc-cn", "GB18030"},    {"big5", "BIG5-HKSCS"},      {"big5-hkscs", "BIG5-HKSCS"},
    {"cp950", "BIG5-HKSCS"},  {"big5hkscs", "BIG5-HKSCS"},
};

const char *
enc_canonical(const char *name)
{
	if (!name)
		return NULL; /* none given, as a damaged cache record gives none */
	for (size_t i = 0; i < sizeof S_names / sizeof S_names[0]; i++)
		if (!strcasecmp(name, S_names[i].alias))
			return S_names[i].name;
	return NULL;
}

/* The canonical names, in the order of their numbers from 1. */
static const char *const S_canonical[] = {"UTF-8",    "UTF-16LE", "UTF-16BE",  "UTF-32LE",
                                          "UTF-32BE", "GB18030",  "BIG5-HKSCS"};
#define CANONICAL (sizeof S_canonical / sizeof *S_canonical)
_Static_assert(CANONICAL == ENC_COUNT, "ENC_COUNT is the number of canonical names");

unsigned
enc_number(const char *canonical)
{
	for (size_t i = 0; canonical && i < CANONICAL; i++)
		if (!strcmp(canonical, S_canonical[i]))
			return (unsigned)i + 1;
	return 0;
}

const char *
enc_name(unsigned number)
{
	return number >= 1 && number <= CANONICAL ? S_canonical[number - 1] : NULL;
}

/* The byte order mark at s, if any: its encoding and length. */
static const char *
S_bom(const unsigned char *s, size_t n, size_t *bom)
{
	static const struct {
		const char *bytes, *name;
		size_t len;
	} boms[] = {
	    {"\xFF\xFE\x00\x00", "UTF-32LE", 4}, {"\x00\x00\xFE\xFF", "UTF-32BE", 4},
	    {"\xEF\xBB\xBF", "UTF-8", 3},        {"\xFF\xFE", "UTF-16LE", 2},
	    {"\xFE\xFF", "UTF-16BE", 2},         {"\x84\x31\x95\x33", "GB18030", 4},
	};
	for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++)
		if (n >= boms[i].len && !memcmp(s, boms[i].bytes, boms[i].len)) {
			*bom = boms[i].len;
			return boms[i].name;
		}
	*bom = 0;
	return NULL;
}

/*
 * UTF-16 or UTF-32 without a byte order mark: ASCII characters (line
 * ends, the pages' ASCII punctuation) leave zero bytes at one position of
 * each code unit, which UTF-8 and the Chinese legacy encodings never have.
 */
static const char *
S_wide(const unsigned char *s, size_t n)
{
	size_t z[4] = {0};
	size_t zeros = 0;
	for (size_t i = 0; i < n; i++)
		if (!s[i]) {
			z[i % 4]++;
			zeros++;
		}
	if (zeros == 0 || n < 2)
		return NULL;
	/* UTF-32: two zero bytes in every unit, at the high end */
	if (n % 4 == 0 && z[2] + z[3] >= n / 4 && z[2] >= n / 8 && z[3] >= n / 8 && z[0] < z[2] / 4)
		return "UTF-32LE";
	if (n % 4 == 0 && z[0] + z[1] >= n / 4 && z[0] >= n / 8 && z[1] >= n / 8 && z[3] < z[1] / 4)
		return "UTF-32BE";
	size_t even = z[0] + z[2], odd = z[1] + z[3];
	if (odd > 2 * even && odd * 32 >= n)
		return "UTF-16LE";
	if (even > 2 * odd && even * 32 >= n)
		return "UTF-16BE";
	return NULL;
}

/* uchardet's guess, narrowed to the legacy encodings the archive has. */
static const char *
S_guess_legacy(const unsigned char *s, size_t n)
{
	uchardet_t ud = uchardet_new();
	const char *enc = NULL;
	/* the first 8 KB tell as well as the whole page, at a fraction of
	   the time */
	if (uchardet_handle_data(ud, (const char *)s, n < 8192 ? n : 8192) == 0) {
		uchardet_data_end(ud);
		const char *g = uchardet_get_charset(ud);
		if (g && (!strcasecmp(g, "BIG5") || !strcasecmp(g, "EUC-TW")))
			enc = "BIG5-HKSCS";
		else if (g && (!strcasecmp(g, "GB18030") || !strcasecmp(g, "GB2312") ||
		               !strcasecmp(g, "HZ-GB-2312") || !strcasecmp(g, "GBK")))
			enc = "GB18030";
		else if (g && !strcasecmp(g, "UTF-8"))
			enc = "UTF-8";
	}
	uchardet_delete(ud);
	return enc;
}

/* Counts the sequences enc cannot decode, stopping at `enough`. */
static size_t
S_count_invalid(const char *enc, const unsigned char *s, size_t n, size_t enough)
{
	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return (size_t)-1;
	char out[8192];
	char *in = (char *)s;
	size_t inleft = n, bad = 0;
	while (inleft > 0 && bad < enough) {
		char *o = out;
		size_t oleft = sizeof out;
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		bad++;
		in++;
		inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	return bad;
}

/*
 * The share, in thousandths, of the double-byte characters in s that are
 * the common ones of GB2312 (level 1: lead bytes B0-D7) or, with big5 set,
 * of Big5 (lead bytes A4-C6). Text in one encoding read as the other
 * lands on rare characters about half the time.
 */
static size_t
S_common_share(const unsigned char *s, size_t n, int big5)
{
	size_t pairs = 0, common = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (!big5 && i + 1 < n && s[i + 1] >= 0x30 && s[i + 1] <= 0x39) {
			pairs++; /* a four-byte GB18030 sequence: rare */
			i += 4;
			continue;
		}
		pairs++;
		if (big5 ? c >= 0xA4 && c <= 0xC6 : c >= 0xB0 && c <= 0xD7)
			common++;
		i += 2;
	}
	return pairs ? common * 1000 / pairs : 0;
}

/* The encoding of bytes without a byte order mark that are not UTF-8. */
static const char *
S_detect_legacy(const unsigned char *s, size_t n)
{
	/* UTF-8 with some damage (a few bad bytes, or half the non-ASCII
	   bytes in good sequences): legacy bytes seldom make UTF-8 */
	size_t valid = 0, multi = 0, high = 0;
	for (size_t i = 0; i < n;) {
		size_t k = txt_utf8_len(s + i, n - i);
		valid += k;
		multi += k > 1 ? k : 0;
		high += s[i] >= 0x80;
		i += k ? k : 1;
	}
	int mostly_utf8 = n - valid <= 4 || multi >= high;
	/* Text that uses the common characters of one encoding far more than
	   those of the other, and decodes in it without a fault, is in it:
	   uchardet, which costs more than the rest of reading a page, is
	   asked only when the shares do not say it plainly. */
	if (!mostly_utf8) {
		size_t gb = S_common_share(s, n, 0), big5 = S_common_share(s, n, 1);
		const char *plain = gb >= 850 && big5 <= 650   ? "GB18030"
		                    : big5 >= 850 && gb <= 650 ? "BIG5-HKSCS"
		                                               : NULL;
		if (plain && S_count_invalid(plain, s, n, 1) == 0)
			return plain;
	}
	const char *guess = S_guess_legacy(s, n);
	if (guess && !strcmp(guess, "UTF-8")) {
		if (mostly_utf8)
			return guess; /* UTF-8 with some damage */
		guess = NULL;         /* uchardet is wrong: try the legacy ones */
	}
	/* uchardet's choice unless it cannot decode what the other can; with
	   no choice, the one whose common characters the text uses more */
	const char *first = guess                                                ? guess
	                    : S_common_share(s, n, 0) >= S_common_share(s, n, 1) ? "GB18030"
	                                                                         : "BIG5-HKSCS";
	const char *second = !strcmp(first, "GB18030") ? "BIG5-HKSCS" : "GB18030";
	size_t b1 = S_count_invalid(first, s, n, 64);
	if (b1 == 0)
		return first;
	size_t b2 = S_count_invalid(second, s, n, b1);
	if (b2 < b1)
		return second;
	/* Neither fits. Text that is mostly valid UTF-8 is damaged UTF-8;
	   otherwise report errors in uchardet's choice. */
	return guess || !mostly_utf8 ? first : "UTF-8";
}

/* ---------------------------------------------------------------------
 * Line ends and control characters
 * ------------------------------------------------------------------- */

/* Rewrites decoded UTF-8 in place of [from, len): CRLF and CR to LF, and
   checks for control characters. */
static int
S_normalize(const char *path, struct buf *out, size_t from)
{
	char *s = out->data;
	size_t w = from, line = 1, line_start = from;
	for (size_t r = from; r < out->len;) {
		/* eight bytes of multibyte characters at a time: none is a
		   control character or a line break */
		if (r + 8 <= out->len) {
			uint64_t x, c2;
			memcpy(&x, s + r, sizeof x);
			c2 = x ^ 0xC2C2C2C2C2C2C2C2ULL; /* a zero byte where x has 0xC2 */
			if ((x & 0x8080808080808080ULL) == 0x8080808080808080ULL &&
			    !((c2 - 0x0101010101010101ULL) & ~c2 & 0x8080808080808080ULL)) {
				if (w != r)
					memmove(s + w, s + r, sizeof x);
				w += 8;
				r += 8;
				continue;
			}
		}
		unsigned char c = (unsigned char)s[r++];
		if (c == '\r') {
			if (r < out->len && s[r] == '\n')
				r++;
			c = '\n';
		}
		if (c == '\n') {
			line++;
			line_start = w + 1;
		} else if ((c < 0x20 && c != '\t' && c != '\f') || c == 0x7F) {
			diag_error(path, line, txt_col(s + line_start, w - line_start),
			           "control character 0x%02X: this looks like a binary file, not a "
			           "page of text",
			           c);
			return -1;
		} else if (c == 0xC2 && r < out->len && (unsigned char)s[r] >= 0x80 &&
		           (unsigned char)s[r] <= 0x9F) {
			/* U+0080 to U+009F, the C1 controls */
			diag_error(path, line, txt_col(s + line_start, w - line_start),
			           "control character U+%04X: this looks like a binary file, not a "
			           "page of text",
			           (unsigned)(unsigned char)s[r] & 0xFF);
			return -1;
		}
		s[w++] = (char)c;
	}
	buf_truncate(out, w);
	return 0;
}

int
enc_decode(const char *path, const char *bytes, size_t len, const struct enc_options *o,
           struct buf *out, const char **encoding)
{
	const unsigned char *s = (const unsigned char *)bytes;
	size_t bom = 0, mark = out->len;
	const char *enc = NULL;
	int valid = 0; /* the bytes are known to be good UTF-8 */
	if (o && o->force) {
		enc = enc_canonical(o->force);
		if (!enc) {
			diag_error(path, 0, 0, "unknown encoding '%s'; baoku reads %s", o->force,
			           ENC_KNOWN);
			return -1;
		}
		size_t b;
		const char *bom_enc = S_bom(s, len, &b);
		if (bom_enc && !strcmp(bom_enc, enc))
			bom = b;
	} else {
		/* UTF-8 with a stray NUL is a binary file, not UTF-16: zero bytes
		   decide for UTF-16 or UTF-32 only when there are many, or when the
		   bytes are not UTF-8 at all */
		int utf8 = S_valid_utf8(s, len);
		valid = utf8;
		size_t zeros = 0;
		for (size_t i = 0; i < len; i++)
			zeros += !s[i];
		enc = S_bom(s, len, &bom);
		if (!enc && utf8 && zeros * 16 < len)
			enc = "UTF-8";
		if (!enc)
			enc = S_wide(s, len);
		if (!enc && utf8)
			enc = "UTF-8";
		if (!enc)
			enc = S_detect_legacy(s, len);
	}
	int lenient = o && o->lenient;
	int rc = 0;
	if (valid && !strcmp(enc, "UTF-8"))
		buf_add(out, s + bom, len - bom); /* checked above */
	else if (!strcmp(enc, "UTF-8"))
		rc = S_decode_utf8(path, s + bom, len - bom, lenient, out);
	else
		rc = S_decode_iconv(path, enc, s + bom, len - bom, lenient, out);
	if (rc == 0)
		rc = S_normalize(path, out, mark);
	if (rc < 0) {
		buf_truncate(out, mark);
		return -1;
	}
	*encoding = enc;
	return 0;
}
