#include "diag.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "buf.h"

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t S_errors, S_warnings;
static diag_sink_fn S_sink;
static void *S_sink_ctx;
static int S_quiet;

static const char *const S_level_names[] = {"note", "warning", "error"};

void
diag_report(enum diag_level level, const char *file, size_t line, size_t col, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, file ? file : "baoku");
	if (file && line) {
		buf_printf(&b, ":%zu", line);
		if (col)
			buf_printf(&b, ":%zu", col);
	}
	buf_printf(&b, ": %s: ", S_level_names[level]);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);

	pthread_mutex_lock(&S_lock);
	if (level == DIAG_ERROR)
		S_errors++;
	else if (level == DIAG_WARNING)
		S_warnings++;
	if (S_sink)
		S_sink(S_sink_ctx, level, b.data);
	else if (level == DIAG_ERROR || !S_quiet)
		fprintf(stderr, "%s\n", b.data);
	pthread_mutex_unlock(&S_lock);
	buf_release(&b);
}

size_t
diag_errors(void)
{
	pthread_mutex_lock(&S_lock);
	size_t n = S_errors;
	pthread_mutex_unlock(&S_lock);
	return n;
}

size_t
diag_warnings(void)
{
	pthread_mutex_lock(&S_lock);
	size_t n = S_warnings;
	pthread_mutex_unlock(&S_lock);
	return n;
}

void
diag_reset(void)
{
	pthread_mutex_lock(&S_lock);
	S_errors = S_warnings = 0;
	pthread_mutex_unlock(&S_lock);
}

void
diag_set_sink(diag_sink_fn sink, void *ctx)
{
	pthread_mutex_lock(&S_lock);
	S_sink = sink;
	S_sink_ctx = ctx;
	pthread_mutex_unlock(&S_lock);
}

void
diag_set_quiet(int quiet)
{
	S_quiet = quiet;
}
