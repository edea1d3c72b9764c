#include "hmap.h"

#include <stdlib.h>

#include "xalloc.h"

void
hmap_reserve(struct hmap *m, size_t more)
{
	size_t want = m->nslots ? m->nslots : 16;
	while (HMAP_LOAD_DEN * (m->n + more) > HMAP_LOAD_NUM * want)
		want *= 2;
	if (want == m->nslots)
		return;
	struct hmap_slot *old = m->slots;
	size_t nold = m->nslots, mask = want - 1;
	/* read before written (in a one-page rebuild of 10,000 page files,
	   xcalloc's faults were 2.5% of the CPU samples) */
	m->slots = xcalloc_written(want, sizeof *m->slots);
	m->nslots = want;
	for (size_t i = 0; i < nold; i++) {
		if (!old[i].entry)
			continue;
		size_t j = old[i].hash & mask;
		while (m->slots[j].entry)
			j = (j + 1) & mask;
		m->slots[j] = old[i];
	}
	free(old);
}

void
hmap_free(struct hmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->nslots = m->n = 0;
}

void
hmap_add(struct hmap *m, uint64_t hash, size_t i)
{
	hmap_reserve(m, 1);
	uint32_t h = hmap_hash32(hash);
	size_t mask = m->nslots - 1, j = h & mask;
	while (m->slots[j].entry)
		j = (j + 1) & mask;
	m->slots[j].entry = (uint32_t)(i + 1);
	m->slots[j].hash = h;
	m->n++;
}
