/*
 * libFuzzer target for reading back a search block from the cache
 * (search_blocks.c): any bytes as a block file's body, its sum made
 * right, so that what its head and tokens say is what is tried; the
 * table asked for is the one its head names (its key and documents).
 * Nothing may crash, and a table read back must be one the merge can
 * take: keys ascending, every list within the postings and ending a
 * number, a word for a word's key alone.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_out.h"
#include "output.h"
#include "quiet.h"
#include "search_int.h"
#include "strlist.h"
#include "util.h"

/* The head's key and document count, after its 8-byte magic. */
#define KEY_AT  8
#define DOCS_AT 16

static struct output *S_out;
static char S_blocks[128];

/* The run's output, whose cache directory holds the blocks. */
static void
S_setup(void)
{
	char cache[96];
	S_out = fuzz_output("blocks", cache, sizeof cache);
	snprintf(S_blocks, sizeof S_blocks, "%s/blocks", cache);
	util_mkdirs(S_blocks);
}

/* Traps unless the table read back is one the merge can take. */
static void
S_check(const struct table *tb)
{
	for (size_t i = 0; i < tb->n; i++) {
		struct token t = search_table_token(tb, i);
		if ((i && t.key <= search_table_key(tb, i - 1)) || !t.len || t.word > tb->words.n ||
		    !(t.key & KEY_WORD) != !t.word || t.last > tb->to - tb->from ||
		    !memchr(SEARCH_LAST, t.postings[t.len - 1], sizeof SEARCH_LAST - 1))
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	fuzz_quiet();
	if (!S_out)
		S_setup();
	uint64_t key = 1, docs = 0;
	if (size >= DOCS_AT + sizeof docs) {
		memcpy(&key, bytes + KEY_AT, sizeof key);
		memcpy(&docs, bytes + DOCS_AT, sizeof docs);
	}
	if (!key)
		key = 1;
	char path[192];
	snprintf(path, sizeof path, "%s/%016" PRIx64, S_blocks, key);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	uint64_t sum = util_mix(0, bytes, size);
	fwrite(bytes, 1, size, f);
	fwrite(&sum, 1, sizeof sum, f);
	if (fclose(f) != 0)
		abort();
	struct table tb = {.from = 0, .to = (size_t)docs, .key = key};
	if (search_block_read(S_out, &tb)) {
		S_check(&tb);
		strlist_free(&tb.words);
		free(tb.blob);
	}
	remove(path);
	return 0;
}
