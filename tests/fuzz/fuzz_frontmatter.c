/*
 * libFuzzer target for page metadata: any text as a page's front matter
 * (between --- lines, added here so that most inputs reach the YAML), as
 * the text of a folder's _meta.yml, and as a path under content/. Nothing
 * may crash, the body must start inside the text, and what is read must
 * turn into JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "meta.h"
#include "quiet.h"

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	fuzz_quiet();
	struct buf text = BUF_INIT;
	buf_adds(&text, "---\n");
	buf_add(&text, bytes, size);
	buf_adds(&text, "\n---\n正文。\n");
	if (memchr(text.data, '\0', text.len) == NULL) {
		struct meta m = {0};
		size_t body, line;
		if (meta_front_matter("fuzz.txt", text.data, &m, &body, &line) == 0 &&
		    body > text.len)
			__builtin_trap();
		json_decref(meta_to_json(&m));
		meta_free(&m);
	}
	struct meta folder = {0};
	meta_parse("_meta.yml", (const char *)bytes, size, 1, &folder);
	json_decref(meta_to_json(&folder));
	meta_free(&folder);
	struct buf rel = BUF_INIT;
	buf_add(&rel, bytes, size < 200 ? size : 200);
	if (!memchr(rel.data, '\0', rel.len)) {
		struct meta m = {0};
		meta_from_path(rel.data, &m);
		meta_free(&m);
	}
	buf_release(&rel);
	buf_release(&text);
	return 0;
}
