/*
 * hmap: an open-addressing hash index. It maps keys to the numbers of
 * entries (0, 1, 2, ...) that the caller keeps in its own array, where the
 * keys are; the table holds only each entry's number and 32 bits of its
 * hash, so it never owns or compares keys itself: a lookup is given the
 * key's hash and a function saying whether entry i has the key.
 *
 * Linear probing in a power-of-2 table kept at most three quarters full
 * (with each slot's 32 bits of hash, a probe past another key costs one
 * compare of integers: at most half full, the tables of a million page
 * files' paths took twice the memory for a few such compares). The probe
 * functions are inline so that the caller's comparison, a static function
 * known where it is called, is inlined into the loop.
 *
 *   struct hmap m = {0};
 *   size_t i = hmap_find(&m, hash, S_same, key);      (HMAP_NONE: absent)
 *   hmap_add(&m, hash, n++);                           (after a miss)
 *   hmap_free(&m);
 *
 * To find an entry or add it with one probe: hmap_reserve(&m, 1), then
 * slot = hmap_probe(...), and when hmap_entry(&m, slot) is HMAP_NONE,
 * hmap_fill(&m, slot, hash, n++).
 *
 * Not safe from several threads at once; at most 2^32 - 1 entries.
 */
#ifndef BAOKU_HMAP_H
#define BAOKU_HMAP_H

#include <stddef.h>
#include <stdint.h>

#define HMAP_NONE ((size_t)-1)

/* The most a table is filled: HMAP_LOAD_NUM / HMAP_LOAD_DEN of its slots. */
#define HMAP_LOAD_NUM 3
#define HMAP_LOAD_DEN 4

struct hmap_slot {
	uint32_t entry; /* the entry's number + 1; 0 for an empty slot */
	uint32_t hash;  /* the entry's hash32, to rehash and to skip most others */
};

struct hmap {
	struct hmap_slot *slots;
	size_t nslots; /* a power of 2, or 0 before the first entry */
	size_t n;      /* entries */
};

/* Whether entry i of the caller's array has the key ctx points at. */
typedef int (*hmap_eq_fn)(const void *ctx, size_t i);

/* The 32 bits of a 64-bit hash that the table keeps: mixed, so that keys
   which are small numbers or addresses spread as well as good hashes. */
static inline uint32_t
hmap_hash32(uint64_t hash)
{
	return (uint32_t)((hash * 0x9E3779B97F4A7C15ULL) >> 32);
}

/* Makes room for `more` entries beyond m->n without growing later;
   earlier slot numbers are invalid after it. */
void hmap_reserve(struct hmap *m, size_t more);

/* Frees the table and leaves it empty, ready for reuse. */
void hmap_free(struct hmap *m);

/* The slot where the entry with the key (eq(ctx, i) true) is, or the
   empty slot where it would go. The table must have a slot: after
   hmap_reserve, or when m->n > 0. */
static inline size_t
hmap_probe(const struct hmap *m, uint64_t hash, hmap_eq_fn eq, const void *ctx)
{
	uint32_t h = hmap_hash32(hash);
	size_t mask = m->nslots - 1;
	for (size_t j = h & mask;; j = (j + 1) & mask) {
		const struct hmap_slot *s = &m->slots[j];
		if (!s->entry || (s->hash == h && eq(ctx, s->entry - 1)))
			return j;
	}
}

/* The entry at slot, or HMAP_NONE when it is empty. */
static inline size_t
hmap_entry(const struct hmap *m, size_t slot)
{
	return m->slots[slot].entry ? (size_t)m->slots[slot].entry - 1 : HMAP_NONE;
}

/* Puts entry i, whose key has hash, into the empty slot hmap_probe gave
   (with no hmap_reserve or hmap_add since). */
static inline void
hmap_fill(struct hmap *m, size_t slot, uint64_t hash, size_t i)
{
	m->slots[slot].entry = (uint32_t)(i + 1);
	m->slots[slot].hash = hmap_hash32(hash);
	m->n++;
}

/* The entry with the key, or HMAP_NONE. */
static inline size_t
hmap_find(const struct hmap *m, uint64_t hash, hmap_eq_fn eq, const void *ctx)
{
	if (!m->n)
		return HMAP_NONE;
	return hmap_entry(m, hmap_probe(m, hash, eq, ctx));
}

/* Adds entry i, whose key has hash, without looking for it first. */
void hmap_add(struct hmap *m, uint64_t hash, size_t i);

#endif
