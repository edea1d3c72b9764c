#include "text.h"

#include <string.h>

#include "buf.h"

uint32_t
txt_decode_any(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = n ? txt_utf8_len(u, n) : 0;
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
txt_decode_prev(const char *s, size_t end, size_t *len)
{
	size_t start = end;
	while (start > 0 && end - start < 4) {
		start--;
		if (((unsigned char)s[start] & 0xC0) != 0x80)
			break;
	}
	size_t k;
	uint32_t c = txt_decode(s + start, end - start, &k);
	if (start + k != end) {
		*len = 1;
		return 0xFFFD;
	}
	*len = k;
	return c;
}

void
txt_put(struct buf *b, uint32_t c)
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

int
txt_is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

int
txt_is_cjk(uint32_t c)
{
	return txt_is_han(c) || (c >= 0x3000 && c <= 0x303F) || /* CJK punctuation */
	       (c >= 0xFF01 && c <= 0xFF60) ||                  /* full-width forms */
	       (c >= 0x2018 && c <= 0x201F) ||                  /* curly quotes */
	       c == 0x2026 || c == 0x2014 || c == 0x00B7 ||     /* … — · */
	       (c >= 0x25A0 && c <= 0x25FF);                    /* ■ ▲ ◀ */
}

size_t
txt_chars(const char *s, size_t len)
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

void
txt_cut(const char *p, size_t n, size_t max, struct buf *out)
{
	size_t chars = 0, i = 0;
	while (i < n && chars < max) {
		size_t k = txt_utf8_len((const unsigned char *)p + i, n - i);
		i += k ? k : 1;
		chars++;
	}
	buf_add(out, p, i < n ? i : n);
	if (i < n)
		buf_adds(out, "…");
}

void
txt_advance(struct txt_pos *p, const char *s, size_t to)
{
	for (; p->at < to; p->at++) {
		unsigned char c = (unsigned char)s[p->at];
		if (c == '\n') {
			p->line++;
			p->col = 1;
		} else if ((c & 0xC0) != 0x80) {
			p->col++;
		}
	}
}
