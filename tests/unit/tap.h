/*
 * tap.h: the Test Anything Protocol, in a few macros, for unit tests run
 * by prove(1). Each test program includes this once.
 *
 *   ok(cond, "name %d", i);   is_str(got, want, "name");   return tap_done();
 */
#ifndef BAOKU_TAP_H
#define BAOKU_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3))) static int
ok(int cond, const char *fmt, ...)
{
	va_list ap;
	printf("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	return cond;
}

/* Compares two strings; prints both on failure. */
#define is_str(got, want, ...)                                                                     \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (!ok(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__))                             \
			printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_);        \
	} while (0)

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
