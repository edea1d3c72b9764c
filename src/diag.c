#include "diag.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "buf.h"
#include "text.h"

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static diag_sink_fn S_sink;
static void *S_sink_ctx;
static int S_quiet;

static const char *const S_level_names[] = {"note", "warning", "error"};

/* The length of the character at s (n bytes left) that a diagnostic may
   print as it is; 0 for a control character (C0, DEL, C1) or a byte that
   is not UTF-8. */
static size_t
S_printable(const unsigned char *s, size_t n)
{
	size_t k = txt_utf8_len(s, n);
	if (k == 1 && (s[0] < 0x20 || s[0] == 0x7F))
		return 0;
	if (k == 2 && s[0] == 0xC2 && s[1] < 0xA0)
		return 0;
	return k;
}

/* A diagnostic names files and quotes input: their control characters
   (ESC[2J in a file's name) and bytes that are not UTF-8 are written
   \x1B, never sent to a terminal. */
static void
S_escape_controls(struct buf *b)
{
	const unsigned char *s = (const unsigned char *)b->data;
	size_t i = 0, k;
	while (i < b->len && (k = S_printable(s + i, b->len - i)))
		i += k;
	if (i == b->len)
		return;
	struct buf out = BUF_INIT;
	for (i = 0; i < b->len; i += k ? k : 1) {
		k = S_printable(s + i, b->len - i);
		if (k)
			buf_add(&out, s + i, k);
		else
			buf_printf(&out, "\\x%02X", s[i]);
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
