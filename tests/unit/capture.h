/*
 * capture.h: collects diagnostics in a buffer, for tests that check what
 * baoku reports. diag_set_sink(capture_sink, NULL), then read capture_msgs;
 * several lines are separated by newlines.
 */
#ifndef BAOKU_CAPTURE_H
#define BAOKU_CAPTURE_H

#include "buf.h"
#include "diag.h"

static struct buf capture_msgs = BUF_INIT;

static void
capture_sink(void *ctx, enum diag_level level, const char *line)
{
	(void)ctx;
	(void)level;
	if (capture_msgs.len)
		buf_addc(&capture_msgs, '\n');
	buf_adds(&capture_msgs, line);
}

#endif
