/* Unit tests for the shared primitives: UTF-8 (text.h), the calendar
   (calendar.h) and the character tables (chars.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "capture.h"
#include "chars.h"
#include "tap.h"
#include "text.h"

static void
S_utf8(void)
{
	ok(txt_utf8_len((const unsigned char *)"\xED\xA0\x80", 3) == 0, "surrogates are invalid");

	/* the inline decoder agrees with the general one on every sequence
	   of up to three bytes, cut short or not */
	size_t disagree = 0;
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0x70; b < 0xD0; b++)
			for (unsigned c = 0x70; c < 0xD0; c++) {
				char s[3] = {(char)a, (char)b, (char)c};
				for (size_t n = 1; n <= 3; n++) {
					size_t k1, k2;
					uint32_t c1 = txt_decode(s, n, &k1);
					uint32_t c2 = txt_decode_any(s, n, &k2);
					disagree += c1 != c2 || k1 != k2;
				}
			}
	ok(disagree == 0, "txt_decode agrees with txt_decode_any (%zu differ)", disagree);

	/* txt_chars counts eight bytes at a time: every length and offset */
	const char *mix = "a松江b區·九亭\xF0\x9F\x93\xB0镇 Z杨浦区黄兴路";
	size_t wrong = 0, mlen = strlen(mix);
	for (size_t off = 0; off < mlen; off++)
		for (size_t len = 0; off + len <= mlen; len++) {
			size_t want = 0;
			for (size_t i = off; i < off + len; i++)
				want += ((unsigned char)mix[i] & 0xC0) != 0x80;
			wrong += txt_chars(mix + off, len) != want;
		}
	ok(wrong == 0, "txt_chars counts code points at every offset (%zu wrong)", wrong);
	ok(txt_utf8_len((const unsigned char *)"\xF4\x90\x80\x80", 4) == 0,
	   "above U+10FFFF is invalid");
	ok(txt_utf8_len((const unsigned char *)"\xF0\x9F\x98\x80", 4) == 4,
	   "four-byte forms are valid");

	/* encoding and decoding back, forwards and backwards */
	static const uint32_t cps[] = {'a', 0xB7, 0x677E, 0xFF0C, 0x1F4F0, 0x20000};
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++)
		txt_put(&b, cps[i]);
	ok(b.len == 1 + 2 + 3 + 3 + 4 + 4, "txt_put writes 1 to 4 bytes a code point");
	size_t at = 0, k, back = b.len, bad = 0;
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		bad += txt_decode(b.data + at, b.len - at, &k) != cps[i];
		at += k;
		size_t j = sizeof cps / sizeof cps[0] - 1 - i;
		bad += txt_decode_prev(b.data, back, &k) != cps[j];
		back -= k;
	}
	ok(bad == 0 && at == b.len && back == 0, "txt_decode and txt_decode_prev read them back");
	ok(txt_decode_prev("\xE6\x9D", 2, &k) == 0xFFFD && k == 1,
	   "a sequence cut at its end decodes backwards as U+FFFD, one byte");
	ok(txt_decode("", 0, &k) == 0xFFFD && k == 1, "nothing decodes as U+FFFD");
	buf_release(&b);

	ok(txt_is_han(0x677E) && txt_is_han(0x20000) && !txt_is_han(0x3002) && !txt_is_han('a'),
	   "txt_is_han: ideographs only");
	ok(txt_is_cjk(0x3002) && txt_is_cjk(0x201C) && txt_is_cjk(0x25C0) && !txt_is_cjk(','),
	   "txt_is_cjk: and Chinese punctuation, quotes, marks");
}

static void
S_positions(void)
{
	const char *line = "松江 a区";
	ok(txt_col(line, 0) == 1, "a line starts at column 1");
	ok(txt_col(line, strlen("松江 a")) == 5, "columns count characters, not bytes");

	const char *text = "松江\n九亭镇 x\n\n区";
	struct txt_pos p = txt_pos_at(0);
	txt_advance(&p, text, strlen("松"));
	ok(p.line == 1 && p.col == 2, "after one character: 1:2");
	txt_advance(&p, text, strlen("松江\n九亭镇 "));
	ok(p.line == 2 && p.col == 5, "on the next line: 2:5 (%zu:%zu)", p.line, p.col);
	txt_advance(&p, text, 1);
	ok(p.line == 2 && p.col == 5, "never backwards");
	txt_advance(&p, text, strlen(text));
	ok(p.line == 4 && p.col == 2 && p.at == strlen(text), "over an empty line: 4:2");
	struct txt_pos q = txt_pos_at(3);
	txt_advance(&q, text, strlen("松江\n九"));
	ok(q.line == 2 && q.col == 2, "from an offset other than 0");
}

static void
S_calendar(void)
{
	ok(cal_leap(2024) && cal_leap(2000) && !cal_leap(1900) && !cal_leap(2023),
	   "leap years: every fourth, not centuries, but every fourth century");
	ok(cal_days_in(2024, 2) == 29 && cal_days_in(2023, 2) == 28 && cal_days_in(1900, 2) == 28,
	   "February");
	ok(cal_days_in(2024, 1) == 31 && cal_days_in(2024, 4) == 30 && cal_days_in(2024, 12) == 31,
	   "the other months");
	ok(cal_weekday(2024, 2, 23) == 4, "2024-02-23 was a Friday");
	ok(cal_weekday(2024, 1, 1) == 0 && cal_weekday(2000, 1, 1) == 5 &&
	       cal_weekday(1900, 3, 1) == 3,
	   "weekdays around the turns of years and centuries");
}

static void
S_chars(void)
{
	diag_set_sink(capture_sink, NULL);
	ok(chars_load("/nonexistent") == NULL && strstr(capture_msgs.data, "t2s.tsv: error"),
	   "a directory without the tables fails, saying which file");
	struct chars *c = chars_load("data");
	ok(c != NULL, "the tables load from data/");
	if (!c)
		return;
	ok(chars_fold(c, 0x8208) == 0x5174 && chars_fold(c, 0x6A02) == 0x4E50,
	   "traditional folds to simplified (興 -> 兴, 樂 -> 乐)");
	ok(chars_fold(c, 0x5174) == 0x5174 && chars_fold(c, 'A') == 'A' &&
	       chars_fold(c, 0x20000) == 0x20000,
	   "anything else stays");
	ok(chars_t2s(c)[0x8208 - CHARS_FIRST] == 0x5174, "the table folds the same");
	is_str(chars_pinyin(c, 0x9648), "chen", "the pinyin of 陈");
	ok(chars_pinyin(c, 'a') == NULL, "none outside the ideographs");
	chars_free(c);
}

/* The first max characters, whole, and "…" only when some were cut. */
static void
S_cut(void)
{
	struct buf b = BUF_INIT;
	const char *s = "松江新城a站";
	txt_cut(s, strlen(s), 3, &b);
	is_str(b.data, "松江新…", "cut after three characters, and marked");
	buf_reset(&b);
	txt_cut(s, strlen(s), 5, &b);
	is_str(b.data, "松江新城a…", "an ASCII letter is one character");
	buf_reset(&b);
	txt_cut(s, strlen(s), 6, &b);
	is_str(b.data, s, "all of it fits: no mark");
	buf_reset(&b);
	txt_cut(s, 4, 3, &b); /* a character cut short by n */
	ok(b.len == 4 && !strcmp(b.data, "松\xe6"), "never past the n bytes given (%zu)", b.len);
	buf_release(&b);
}

int
main(void)
{
	S_utf8();
	S_cut();
	S_positions();
	S_calendar();
	S_chars();
	return tap_done();
}
