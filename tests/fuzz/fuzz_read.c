/*
 * libFuzzer target for the read stage: any bytes through encoding
 * detection and conversion (strict and lenient), front matter and the
 * encoding sniffer. Whatever comes out must be valid UTF-8 without CR.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "encoding.h"
#include "meta.h"
#include "text.h"
#include "quiet.h"

static void
S_check_utf8(const struct buf *b)
{
	for (size_t i = 0; i < b->len;) {
		size_t k = txt_utf8_len((const unsigned char *)b->data + i, b->len - i);
		if (!k || b->data[i] == '\r')
			__builtin_trap();
		i += k;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	fuzz_quiet();
	const char *s = (const char *)bytes;
	char enc_name[64];
	const char *sniffed = meta_sniff_encoding(s, size, enc_name, sizeof enc_name);
	for (int lenient = 0; lenient < 2; lenient++) {
		struct enc_options o = {.lenient = lenient, .force = lenient ? sniffed : NULL};
		struct buf out = BUF_INIT;
		buf_adds(&out, "x");
		const char *enc = NULL;
		if (enc_decode("fuzz", s, size, &o, &out, &enc) == 0) {
			S_check_utf8(&out);
			struct meta m = {0};
			size_t body, line;
			if (meta_front_matter("fuzz", out.data + 1, &m, &body, &line) == 0 &&
			    body > out.len - 1)
				__builtin_trap();
			json_decref(meta_to_json(&m));
			meta_free(&m);
		} else if (!buf_equals(&out, "x", 1)) {
			__builtin_trap(); /* a failed decode leaves out as it was */
		}
		buf_release(&out);
	}
	return 0;
}
