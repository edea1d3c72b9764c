/*
 * libFuzzer target for the segmenter, the repair stage and the district
 * classifier: any text (made valid UTF-8 first, as the read stage would)
 * is cut into articles and placed, and every article and place must turn
 * into JSON, which needs valid UTF-8 throughout. Run from the source tree
 * (the gazetteer is read from data/).
 */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "district.h"
#include "encoding.h"
#include "gazetteer.h"
#include "segment.h"
#include "quiet.h"

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	static struct gazetteer *gz;
	fuzz_quiet();
	if (!gz && !(gz = gz_load("data")))
		__builtin_trap();
	struct enc_options o = {.lenient = 1, .force = "UTF-8"};
	struct buf text = BUF_INIT;
	const char *enc;
	if (enc_decode("fuzz", (const char *)bytes, size, &o, &text, &enc) == 0) {
		struct seg_page p;
		seg_segment(text.data, 1, "fuzz.txt", &p);
		struct dist_place *pl = calloc(p.n ? p.n : 1, sizeof *pl);
		dist_classify_page(gz, &p, NULL, pl);
		for (size_t i = 0; i < p.n; i++) {
			json_t *j = seg_article_json(&p.v[i], i + 1, "fuzz.txt", enc);
			json_t *d = dist_json(gz, &pl[i]);
			if (!j || !d)
				__builtin_trap(); /* invalid UTF-8 or a missing field */
			json_decref(j);
			json_decref(d);
			dist_place_free(&pl[i]);
		}
		free(pl);
		seg_page_free(&p);
	}
	buf_release(&text);
	return 0;
}
