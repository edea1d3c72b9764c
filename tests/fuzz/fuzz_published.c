/*
 * libFuzzer target for the manifest of published URLs (published.h): any
 * bytes as published.tsv. Nothing may crash; every line kept names a
 * page of the output; what is read, written back and read again gives
 * the same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "published.h"
#include "quiet.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	fuzz_quiet();
	if (memchr(bytes, '\0', size))
		return 0;
	struct pub_list l = {0}, back = {0};
	pub_parse("published.tsv", (const char *)bytes, size, &l);
	for (size_t i = 0; i < l.n; i++)
		if (!util_safe_name(l.v[i].path))
			__builtin_trap();
	struct buf text = BUF_INIT, again = BUF_INIT;
	pub_format(&l, &text);
	pub_parse("published.tsv", text.data, text.len, &back);
	pub_format(&back, &again);
	if (strcmp(text.data, again.data))
		__builtin_trap();
	pub_free(&l);
	pub_free(&back);
	buf_release(&text);
	buf_release(&again);
	return 0;
}
