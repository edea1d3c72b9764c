/* Unit tests for the hash index (hmap.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hmap.h"
#include "tap.h"
#include "util.h"

static char S_names[5001][16]; /* the last for a key added later */

static int
S_is_name(const void *ctx, size_t i)
{
	return !strcmp(S_names[i], ctx);
}

static uint64_t
S_hash(const char *s)
{
	return util_fnv(UTIL_FNV_START, s, strlen(s));
}

/* Every key hashes alike: only the comparison tells them apart. */
static int
S_is_number(const void *ctx, size_t i)
{
	return i == *(const size_t *)ctx;
}

int
main(void)
{
	struct hmap m = {0};
	ok(hmap_find(&m, S_hash("x"), S_is_name, "x") == HMAP_NONE, "an empty table finds nothing");

	for (size_t i = 0; i < 5000; i++) {
		snprintf(S_names[i], sizeof S_names[i], "name-%zu", i);
		hmap_add(&m, S_hash(S_names[i]), i);
	}
	size_t wrong = 0;
	for (size_t i = 0; i < 5000; i++)
		wrong += hmap_find(&m, S_hash(S_names[i]), S_is_name, S_names[i]) != i;
	ok(wrong == 0 && m.n == 5000, "5,000 keys added, growing the table, are all found");
	ok(HMAP_LOAD_NUM * m.nslots >= HMAP_LOAD_DEN * m.n &&
	       HMAP_LOAD_NUM * m.nslots < 2 * HMAP_LOAD_DEN * m.n &&
	       (m.nslots & (m.nslots - 1)) == 0,
	   "the table is a power of 2, at most three quarters full and more than three eighths "
	   "(%zu slots)",
	   m.nslots);
	ok(hmap_find(&m, S_hash("name-5000"), S_is_name, "name-5000") == HMAP_NONE,
	   "a key not added is not found");

	/* find or add with one probe */
	hmap_reserve(&m, 1);
	size_t slot = hmap_probe(&m, S_hash("name-17"), S_is_name, "name-17");
	ok(hmap_entry(&m, slot) == 17, "hmap_probe finds the slot of an entry");
	slot = hmap_probe(&m, S_hash("new"), S_is_name, "new");
	ok(hmap_entry(&m, slot) == HMAP_NONE, "or the empty slot where a new key goes");
	strcpy(S_names[5000], "new");
	hmap_fill(&m, slot, S_hash("new"), 5000);
	ok(hmap_find(&m, S_hash("new"), S_is_name, "new") == 5000 && m.n == 5001,
	   "hmap_fill puts it there");
	hmap_free(&m);
	ok(m.n == 0 && m.nslots == 0 && hmap_find(&m, 1, S_is_name, "x") == HMAP_NONE,
	   "hmap_free leaves an empty table");

	/* keys that all collide */
	for (size_t i = 0; i < 100; i++)
		hmap_add(&m, 42, i);
	wrong = 0;
	for (size_t i = 0; i < 100; i++)
		wrong += hmap_find(&m, 42, S_is_number, &i) != i;
	ok(wrong == 0, "keys with one hash are told apart by the comparison");
	size_t none = 100;
	ok(hmap_find(&m, 42, S_is_number, &none) == HMAP_NONE, "and a missing one is not found");
	hmap_free(&m);

	/* reserving ahead keeps the slots */
	hmap_reserve(&m, 1000);
	size_t n = m.nslots;
	for (size_t i = 0; i < 1000; i++)
		hmap_add(&m, i, i);
	ok(m.nslots == n, "hmap_reserve makes room ahead: no growth for what it reserved");
	wrong = 0;
	for (size_t i = 0; i < 1000; i++)
		wrong += hmap_find(&m, i, S_is_number, &i) != i;
	ok(wrong == 0, "small numbers as hashes spread and are found");
	hmap_free(&m);
	return tap_done();
}
