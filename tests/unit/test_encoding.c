/* Unit tests for the read stage's UTF-8 path. */
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "encoding.h"
#include "tap.h"

static struct buf S_msgs = BUF_INIT;

static void
S_sink(void *ctx, enum diag_level level, const char *line)
{
	(void)ctx;
	(void)level;
	buf_reset(&S_msgs);
	buf_adds(&S_msgs, line);
}

/* Converts bytes; returns the text, or the diagnostic prefixed by "!". */
static const char *
S_conv(const char *bytes, size_t len)
{
	static struct buf out = BUF_INIT;
	buf_reset(&out);
	if (enc_to_utf8("p.txt", bytes, len, &out) < 0) {
		buf_reset(&out);
		buf_printf(&out, "!%s", S_msgs.data);
	}
	return out.data;
}

#define CONV(lit) S_conv(lit, sizeof(lit) - 1)

int
main(void)
{
	diag_set_sink(S_sink, NULL);
	is_str(CONV("松江\n杨浦"), "松江\n杨浦", "UTF-8 passes through");
	is_str(CONV("\xEF\xBB\xBF松江"), "松江", "a UTF-8 BOM is dropped");
	is_str(CONV("a\r\nb\rc\n"), "a\nb\nc\n", "CRLF and CR become LF");
	is_str(CONV("a\tb\fc"), "a\tb\fc", "tab and form feed are text");
	is_str(CONV(""), "", "an empty file is empty text");
	is_str(
	    CONV("ab\n松江\xB0\xA1"),
	    "!p.txt:2:3: error: invalid UTF-8 byte sequence 0xB0 0xA1; convert the file to UTF-8",
	    "invalid bytes are reported at line:col, counted in characters");
	is_str(CONV("x\xC0\xAF"),
	       "!p.txt:1:2: error: invalid UTF-8 byte sequence 0xC0 0xAF; "
	       "convert the file to UTF-8",
	       "overlong forms are invalid");
	is_str(CONV("\xED\xA0\x80"),
	       "!p.txt:1:1: error: invalid UTF-8 byte sequence 0xED 0xA0 "
	       "0x80; convert the file to UTF-8",
	       "surrogates are invalid");
	is_str(CONV("松\xE6\x9D"),
	       "!p.txt:1:2: error: invalid UTF-8 byte sequence 0xE6 0x9D; "
	       "convert the file to UTF-8",
	       "a sequence cut by the end of file");
	is_str(S_conv("a\nb\0c", 5),
	       "!p.txt:2:2: error: control character 0x00: this looks like a binary file, not a "
	       "page of text",
	       "NUL means a binary file");
	ok(enc_utf8_len((const unsigned char *)"\xF4\x90\x80\x80", 4) == 0,
	   "above U+10FFFF is invalid");
	ok(enc_utf8_len((const unsigned char *)"\xF0\x9F\x98\x80", 4) == 4,
	   "four-byte forms are valid");
	diag_set_sink(NULL, NULL);
	buf_release(&S_msgs);
	return tap_done();
}
