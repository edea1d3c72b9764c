/*
 * quiet.h: what every fuzz target shares: diagnostics go nowhere (bad
 * input is what a fuzzer feeds, and its reports would drown the log).
 */
#ifndef BAOKU_FUZZ_QUIET_H
#define BAOKU_FUZZ_QUIET_H

#include "diag.h"

static void
fuzz_silent(void *ctx, enum diag_level level, const char *line)
{
	(void)ctx;
	(void)level;
	(void)line;
}

/* Sends diagnostics nowhere; call at the start of each input. */
static inline void
fuzz_quiet(void)
{
	diag_set_sink(fuzz_silent, NULL);
}

#endif
