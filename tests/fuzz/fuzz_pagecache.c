/*
 * libFuzzer target for the page cache's reader: any bytes as the cache
 * file "pages" (after its magic line, salt and pairing number, which a
 * damaged file may keep) and, after its own header, as its tokens file,
 * read for a list of pages whose stamps are 1 to 4; every page it takes
 * is unpacked, and its documents' tokens read back and checked. The same
 * bytes are also unpacked as one page's packed record under a hash that
 * fits, so that the unpacker sees them even where the file's own hashes
 * would turn them away, and read as one document's tokens. Nothing may
 * crash, and a page the cache gives must come with its records.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fuzz_out.h"
#include "output.h"
#include "pagecache.h"
#include "pages.h"
#include "quiet.h"
#include "scan.h"
#include "search.h"
#include "util.h"
#include "xalloc.h"

#define SALT 7u

static struct output *S_out;
static char S_pages[128], S_tokens[160];

/* The run's output, whose cache directory holds the files. */
static void
S_setup(void)
{
	char cache[96];
	S_out = fuzz_output("pagecache", cache, sizeof cache);
	snprintf(S_pages, sizeof S_pages, "%s/pages", cache);
	snprintf(S_tokens, sizeof S_tokens, "%s.tokens", S_pages);
}

/* What unpacking a page gave (rc): a page unpacked has an entry and
   records. */
static void
S_check(const struct page *p, int rc, const json_t *records)
{
	if (rc == 0 && (!p->entry || !json_is_array(records)))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	fuzz_quiet();
	if (!S_out)
		S_setup();
	FILE *f = fopen(S_pages, "wb");
	uint64_t salt = SALT, nonce = 9;
	fputs(PCACHE_MAGIC, f);
	fwrite(&salt, sizeof salt, 1, f);
	fwrite(&nonce, sizeof nonce, 1, f);
	fwrite(bytes, 1, size, f);
	fclose(f);
	f = fopen(S_tokens, "wb");
	fputs(PCACHE_TOKENS_MAGIC, f);
	fwrite(&nonce, sizeof nonce, 1, f);
	fwrite(bytes, 1, size, f);
	fclose(f);

	struct scan_page files[4];
	for (size_t i = 0; i < 4; i++)
		files[i] = (struct scan_page){.rel = "p.txt", .path = "p.txt", .stamp = i + 1};
	struct scan sc = {.v = files, .n = 4, .cap = 4};
	struct pagelist pl;
	pages_list(&pl, &sc);
	pcache_read(S_out, &pl, SALT);
	struct buf tokens = BUF_INIT;
	struct pcache_window window = PCACHE_WINDOW_INIT;
	for (size_t i = 0; i < pl.n; i++) {
		if (!pl.v[i].cached)
			continue;
		for (size_t k = 0; k < pl.v[i].cache_docs; k++) {
			const unsigned char *keys;
			const char *words;
			int rc = search_doc_tokens(&pl.v[i].docs[k], &tokens, &keys, &words);
			if (rc != 0 && rc != -1 && rc != SEARCH_DAMAGED)
				__builtin_trap();
		}
		json_t *records = NULL;
		S_check(&pl.v[i], pcache_unpack(&pl, &pl.v[i], &window, &records), records);
		json_decref(records);
	}
	/* the same bytes as one document's tokens and snippet in the tokens
	   file, its lengths from its first bytes, as the reader would give
	   a document that fits the file */
	size_t header = sizeof PCACHE_TOKENS_MAGIC - 1 + sizeof nonce;
	int fd = open(S_tokens, O_RDONLY);
	if (fd >= 0 && size >= 2) {
		size_t len = bytes[0] % (size + 1), wlen = bytes[1] % (size - len + 1);
		size_t rest = size - len - wlen;
		if (rest >= sizeof(uint64_t)) {
			struct search_doc d = {0};
			search_doc_in_file(&d, fd, header, (uint32_t)len, (uint32_t)wlen,
			                   (uint32_t)(rest - sizeof(uint64_t)),
			                   util_mix(0, bytes, size) | 1);
			const unsigned char *keys;
			const char *words;
			int rc = search_doc_tokens(&d, &tokens, &keys, &words);
			if (rc != 0 && rc != -1 && rc != SEARCH_DAMAGED)
				__builtin_trap();
		}
	}
	if (fd >= 0)
		close(fd);
	buf_release(&tokens);
	pcache_window_free(&window);

	pages_list_free(&pl);

	/* the bytes as a packed record with its hash, for a page of its own */
	struct scan_page qfile = {.rel = "q.txt", .path = "q.txt"};
	struct page q = {.src = &qfile};
	uint64_t h = util_mix(0, bytes, size);
	char *packed = xmalloc(size + sizeof h); /* as read from the cache file */
	memcpy(packed, bytes, size);
	memcpy(packed + size, &h, sizeof h);
	q.cache_docs = size ? bytes[0] % 4 : 0;
	json_t *records = NULL;
	S_check(&q, pcache_unpack_text(&q, packed, size + sizeof h, &records), records);
	free(packed);
	json_decref(q.entry);
	json_decref(records);
	return 0;
}
