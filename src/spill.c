/*
 * spill: bytes put aside a region at a time (spill.h).
 */
#include "spill.h"

#include <errno.h>

#include "util.h"

void
spill_init(struct spill *s, int fd, atomic_size_t *end)
{
	*s = (struct spill){.fd = fd, .end = end, .pending = BUF_INIT};
}

int
spill_flush(struct spill *s)
{
	if (s->pending.len && !s->failed &&
	    util_pwrite_all(s->fd, s->pending.data, s->pending.len, s->base) < 0) {
		s->failed = 1;
		s->err = errno ? errno : EIO;
	}
	/* the region's rest is let go: a hole in the file */
	s->base += s->pending.len;
	s->room = 0;
	buf_reset(&s->pending);
	if (s->failed)
		errno = s->err;
	return s->failed ? -1 : 0;
}

int
spill_put(struct spill *s, const void *data, size_t len, size_t *off)
{
	if (s->fd < 0 || s->failed)
		return -1;
	if (s->pending.len + len > s->room) {
		if (spill_flush(s) < 0)
			return -1;
		s->room = len > SPILL_REGION ? len : SPILL_REGION;
		s->base = atomic_fetch_add(s->end, s->room);
	}
	*off = s->base + s->pending.len;
	buf_add(&s->pending, data, len);
	return 0;
}

int
spill_end(struct spill *s)
{
	int rc = s->fd >= 0 ? spill_flush(s) : 0;
	buf_release(&s->pending);
	return rc;
}
