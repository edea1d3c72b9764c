#include "diag.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "buf.h"

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static diag_sink_fn S_sink;
static void *S_sink_ctx;
static int S_quiet;

static const char *const S_level_names[] = {"note", "warning", "error"};

/* A diagnostic names files and quotes input: their control characters
   (ESC[2J in a file's name) are written \x1B, never sent to a terminal. */
static void
S_escape_controls(struct buf *b)
{
	size_t i = 0;
	while (i < b->len && (unsigned char)b->data[i] >= 0x20 && b->data[i] != 0x7F)
		i++;
	if (i == b->len)
		return;
	struct buf out = BUF_INIT;
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];
		if (c < 0x20 || c == 0x7F)
			buf_printf(&out, "\\x%02X", c);
		else
			buf_addc(&out, (char)c);
	}
	buf_reset(b);
	buf_add(b, out.data, out.len);
	buf_release(&out);
}

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
	S_escape_controls(&b);

	pthread_mutex_lock(&S_lock);
	if (S_sink)
		S_sink(S_sink_ctx, level, b.data);
	else
		diag_print(level, b.data);
	pthread_mutex_unlock(&S_lock);
	buf_release(&b);
}

void
diag_print(enum diag_level level, const char *line)
{
	if (level == DIAG_ERROR || !S_quiet)
		fprintf(stderr, "%s\n", line);
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
diag_get_sink(diag_sink_fn *sink, void **ctx)
{
	pthread_mutex_lock(&S_lock);
	*sink = S_sink;
	*ctx = S_sink_ctx;
	pthread_mutex_unlock(&S_lock);
}

void
diag_set_quiet(int quiet)
{
	S_quiet = quiet;
}
