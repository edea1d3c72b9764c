#include "repair.h"

#include <string.h>

#include "buf.h"
#include "text.h"

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
		uint32_t c = txt_decode_prev(s, len, &k);
		if (!S_space(c) && c != '\n')
			break;
		len -= k;
	}
	if (len == 0)
		return 0;
	uint32_t c = txt_decode_prev(s, len, &k);
	/* a closing quote or bracket ends a sentence when a full stop is
	   inside it: 。” does, 松江模式” does not */
	if (c == 0x201D || c == 0x300F || c == 0x300D || c == 0xFF09 || c == ')' || c == 0x2019) {
		if (len - k == 0)
			return 0;
		c = txt_decode_prev(s, len - k, &k);
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
		uint32_t c = txt_decode_prev(out->data, end, &k);
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
		uint32_t c = txt_decode(s + j, len - j, &k);
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
		uint32_t c = txt_decode_prev(out->data, end, &k);
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
		uint32_t c = txt_decode(s + j, len - j, &k);
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
	while (i < len && S_space(txt_decode(s + i, len - i, &k)))
		i += k;
	while (len > i) {
		uint32_t c = txt_decode_prev(s, len, &k);
		if (!S_space(c) && c != '\n')
			break;
		len -= k;
	}
	uint32_t prev = 0;              /* the last code point written */
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
			prev = txt_decode_prev(s + i, run - i, &k);
			i = run;
			continue;
		}
		uint32_t c = txt_decode(s + i, len - i, &k);
		if (S_space(c)) {
			/* a run of spaces: drop it between Chinese characters */
			size_t j = i, kk;
			while (j < len && S_space(txt_decode(s + j, len - j, &kk)))
				j += kk;
			uint32_t next = j < len ? txt_decode(s + j, len - j, &kk) : 0;
			if (!(txt_is_cjk(prev) && txt_is_cjk(next)) || (flags & REP_KEEP_SPACES) ||
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
			while (j < len && S_space(txt_decode(s + j, len - j, &kk)))
				j += kk;
			uint32_t next = j < len ? txt_decode(s + j, len - j, &kk) : 0;
			if (prev == ' ' && out->len) {
				size_t pk;
				prev = txt_decode_prev(out->data, out->len - 1, &pk);
			}
			int between_alnum = S_ascii_alnum(prev) && S_ascii_alnum(next);
			int fold;
			if (c == '(') {
				fold = txt_is_cjk(prev) || (prev == 0 && txt_is_cjk(next));
				if (depth < 32)
					opened = (opened & ~(1u << depth)) | (unsigned)fold
					                                         << depth;
				depth++;
			} else if (c == ')') {
				/* closes as it opened: (记者 X)6月1日 */
				int open_folded =
				    depth && depth <= 32 && (opened >> (depth - 1) & 1);
				fold = open_folded || txt_is_cjk(next) ||
				       (next == 0 && txt_is_cjk(prev)) ||
				       (txt_is_cjk(prev) && !S_ascii_alnum(next));
				if (depth)
					depth--;
			} else
				fold = !between_alnum && (txt_is_cjk(prev) || txt_is_cjk(next));
			if (fold) {
				/* spaces around a full-width mark are noise */
				if (out->len && out->data[out->len - 1] == ' ')
					buf_truncate(out, out->len - 1);
				buf_adds(out, full);
				i += k;
				while (i < len && txt_decode(s + i, len - i, &kk) == ' ')
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
