#include "repair.h"

#include <string.h>

#include "buf.h"
#include "encoding.h"

void
rep_put(struct buf *b, uint32_t c)
{
	char u[4];
	size_t n;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3F));
		u[2] = (char)(0x80 | (c >> 6 & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

uint32_t
rep_decode_any(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = n ? enc_utf8_len(u, n) : 0;
	*len = k ? k : 1;
	switch (k) {
	case 1: return u[0];
	case 2: return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
	case 3: return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
	case 4:
		return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
		       (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
	default: return 0xFFFD;
	}
}

uint32_t
rep_decode_prev(const char *s, size_t end, size_t *len)
{
	size_t start = end;
	while (start > 0 && end - start < 4) {
		start--;
		if (((unsigned char)s[start] & 0xC0) != 0x80)
			break;
	}
	size_t k;
	uint32_t c = rep_decode(s + start, end - start, &k);
	if (start + k != end) {
		*len = 1;
		return 0xFFFD;
	}
	*len = k;
	return c;
}

int
rep_is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

int
rep_is_cjk(uint32_t c)
{
	return rep_is_han(c) || (c >= 0x3000 && c <= 0x303F) || /* CJK punctuation */
	       (c >= 0xFF01 && c <= 0xFF60) ||                  /* full-width forms */
	       (c >= 0x2018 && c <= 0x201F) ||                  /* curly quotes */
	       c == 0x2026 || c == 0x2014 || c == 0x00B7 ||     /* … — · */
	       (c >= 0x25A0 && c <= 0x25FF);                    /* ■ ▲ ◀ */
}

size_t
rep_chars(const char *s, size_t len)
{
	/* eight bytes at a time: a continuation byte is 10xxxxxx */
	size_t n = len, i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, sizeof x);
		/* the continuation bytes' high bits, summed by one multiply:
		   libgcc's popcount is a call, without -mpopcnt */
		uint64_t c = (x & ~(x << 1) & 0x8080808080808080ULL) >> 7;
		n -= (size_t)((c * 0x0101010101010101ULL) >> 56);
	}
	for (; i < len; i++)
		n -= ((unsigned char)s[i] & 0xC0) == 0x80;
	return n;
}

static int
S_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0x3000 || c == '\f';
}

int
rep_ends_sentence(const char *s, size_t len)
{
	size_t k;
	while (len > 0) {
		uint32_t c = rep_decode_prev(s, len, &k);
		if (!S_space(c) && c != '\n')
			break;
		len -= k;
	}
	if (len == 0)
		return 0;
	uint32_t c = rep_decode_prev(s, len, &k);
	/* a closing quote or bracket ends a sentence when a full stop is
	   inside it: 。” does, 松江模式” does not */
	if (c == 0x201D || c == 0x300F || c == 0x300D || c == 0xFF09 || c == ')' || c == 0x2019) {
		if (len - k == 0)
			return 0;
		c = rep_decode_prev(s, len - k, &k);
		return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0x2026 || c == '.' ||
		       c == '!' || c == '?';
	}
	switch (c) {
	case 0x3002: /* 。 */
	case 0xFF01: /* ！ */
	case 0xFF1F: /* ？ */
	case 0x2026: /* … */
	case '.':
	case '!':
	case '?': return 1;
	default: return 0;
	}
}

static int
S_ascii_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The full-width form of an ASCII mark that folds, or 0. */
static const char *
S_full(uint32_t c)
{
	switch (c) {
	case ',': return "，";
	case ':': return "：";
	case ';': return "；";
	case '?': return "？";
	case '!': return "！";
	case '(': return "（";
	case ')': return "）";
	default: return NULL;
	}
}

/* Characters from the end of out back to a space or an opening quote;
   sets *quoted when it is the quote (“). */
static size_t
S_clause_before(const struct buf *out, int *quoted)
{
	size_t n = 0, end = out->len, k;
	*quoted = 0;
	while (end > 0 && n < 30) {
		uint32_t c = rep_decode_prev(out->data, end, &k);
		if (c == 0x201C)
			return *quoted = 1, n;
		if (S_space(c) || c == 0x201D)
			return n;
		end -= k, n++;
	}
	return n;
}

/* Characters from s[j] up to a space or a closing quote; sets *quoted
   when it is the quote (”). */
static size_t
S_clause_after(const char *s, size_t len, size_t j, int *quoted)
{
	size_t n = 0, k;
	*quoted = 0;
	while (j < len && n < 30) {
		uint32_t c = rep_decode(s + j, len - j, &k);
		if (c == 0x201D)
			return *quoted = 1, n;
		if (S_space(c) || c == 0x201C)
			return n;
		j += k, n++;
	}
	return n;
}

/* Whether the text written so far is inside “…”: an opening quote with
   no closing one after it, not far back. */
static int
S_in_quote(const struct buf *out)
{
	size_t end = out->len, k, n = 0;
	while (end > 0 && n < 40) {
		uint32_t c = rep_decode_prev(out->data, end, &k);
		if (c == 0x201C)
			return 1;
		if (c == 0x201D || c == 0x3002)
			return 0;
		end -= k, n++;
	}
	return 0;
}

/* Whether a closing quote comes soon after s[j], before any other mark
   that ends a quotation. */
static int
S_quote_closes(const char *s, size_t len, size_t j)
{
	size_t k, n = 0;
	while (j < len && n < 40) {
		uint32_t c = rep_decode(s + j, len - j, &k);
		if (c == 0x201D)
			return 1;
		if (c == 0x201C || c == 0x3002 || c == '\n')
			return 0;
		j += k, n++;
	}
	return 0;
}

/* A space between two clauses of a quoted slogan (“节能大作战 等你来挑战”)
   is part of it; a layout space inside a quoted word (“三 大”) is not. */
static int
S_slogan_space(const struct buf *out, const char *s, size_t len, size_t j)
{
	int open, close;
	size_t before = S_clause_before(out, &open), after = S_clause_after(s, len, j, &close);
	return before >= 3 && after >= 3 && (open || S_in_quote(out)) &&
	       (close || S_quote_closes(s, len, j));
}

void
rep_typography(const char *s, size_t len, unsigned flags, struct buf *out)
{
	size_t i = 0, k;
	/* trim */
	while (i < len && S_space(rep_decode(s + i, len - i, &k)))
		i += k;
	while (len > i) {
		uint32_t c = rep_decode_prev(s, len, &k);
		if (!S_space(c) && c != '\n')
			break;
		len -= k;
	}
	uint32_t prev = 0; /* the last code point written */
	unsigned opened = 0, depth = 0; /* bit d: the bracket opened at depth d
	                                   was folded */
	while (i < len) {
		/* a run of characters past ASCII but for the ideographic space
		   (U+3000) goes out as it is, in one piece */
		size_t run = i;
		while (run < len && (unsigned char)s[run] >= 0x80 &&
		       !(len - run >= 3 && !memcmp(s + run, "\xE3\x80\x80", 3)))
			run++;
		if (run > i) {
			buf_add(out, s + i, run - i);
			prev = rep_decode_prev(s + i, run - i, &k);
			i = run;
			continue;
		}
		uint32_t c = rep_decode(s + i, len - i, &k);
		if (S_space(c)) {
			/* a run of spaces: drop it between Chinese characters */
			size_t j = i, kk;
			while (j < len && S_space(rep_decode(s + j, len - j, &kk)))
				j += kk;
			uint32_t next = j < len ? rep_decode(s + j, len - j, &kk) : 0;
			if (!(rep_is_cjk(prev) && rep_is_cjk(next)) || (flags & REP_KEEP_SPACES) ||
			    S_slogan_space(out, s, len, j))
				buf_addc(out, ' ');
			i = j;
			prev = ' ';
			continue;
		}
		const char *full = S_full(c);
		if (full) {
			size_t kk, j = i + k;
			/* the neighbours that count are the nearest non-spaces */
			while (j < len && S_space(rep_decode(s + j, len - j, &kk)))
				j += kk;
			uint32_t next = j < len ? rep_decode(s + j, len - j, &kk) : 0;
			if (prev == ' ' && out->len) {
				size_t pk;
				prev = rep_decode_prev(out->data, out->len - 1, &pk);
			}
			int between_alnum = S_ascii_alnum(prev) && S_ascii_alnum(next);
			int fold;
			if (c == '(') {
				fold = rep_is_cjk(prev) || (prev == 0 && rep_is_cjk(next));
				if (depth < 32)
					opened = (opened & ~(1u << depth)) | (unsigned)fold << depth;
				depth++;
			} else if (c == ')') {
				/* closes as it opened: (记者 X)6月1日 */
				int open_folded = depth && depth <= 32 && (opened >> (depth - 1) & 1);
				fold = open_folded || rep_is_cjk(next) || (next == 0 && rep_is_cjk(prev)) ||
				       (rep_is_cjk(prev) && !S_ascii_alnum(next));
				if (depth)
					depth--;
			} else
				fold = !between_alnum && (rep_is_cjk(prev) || rep_is_cjk(next));
			if (fold) {
				/* spaces around a full-width mark are noise */
				if (out->len && out->data[out->len - 1] == ' ')
					buf_truncate(out, out->len - 1);
				buf_adds(out, full);
				i += k;
				while (i < len && rep_decode(s + i, len - i, &kk) == ' ')
					i += kk;
				prev = 0xFF0C; /* a full-width mark */
				continue;
			}
		}
		buf_add(out, s + i, k);
		prev = c;
		i += k;
	}
}
