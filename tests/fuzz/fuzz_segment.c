/*
 * libFuzzer target for the segmenter and the repair stage: any text (made
 * valid UTF-8 first, as the read stage would) is cut into articles, and
 * every article must turn into JSON, which needs valid UTF-8 throughout.
 */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "encoding.h"
#include "segment.h"

static void
S_silent(void *ctx, enum diag_level level, const char *line)
{
	(void)ctx;
	(void)level;
	(void)line;
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	diag_set_sink(S_silent, NULL);
	struct enc_options o = {.lenient = 1, .force = "UTF-8"};
	struct buf text = BUF_INIT;
	const char *enc;
	if (enc_decode("fuzz", (const char *)bytes, size, &o, &text, &enc) == 0) {
		struct seg_page p;
		seg_segment(text.data, 1, "fuzz.txt", &p);
		for (size_t i = 0; i < p.n; i++) {
			json_t *j = seg_article_json(&p.v[i], i + 1, "fuzz.txt", enc);
			if (!j)
				__builtin_trap(); /* invalid UTF-8 or a missing field */
			json_decref(j);
		}
		seg_page_free(&p);
	}
	buf_release(&text);
	return 0;
}
