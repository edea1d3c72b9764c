/*
 * diag: positioned diagnostics, GCC style.
 *
 *   content/2024/p1.txt:12:5: error: invalid GB18030 byte sequence 0x81 0x20
 *
 * Library code reports problems here and returns an error: whether a
 * command failed travels up as return values, never as a count kept here.
 * diag only formats and prints. Reports are safe to make from several
 * threads and go to stderr unless a sink is installed (tests and fuzzers
 * capture or silence them that way; the build counts them for its
 * closing line).
 */
#ifndef BAOKU_DIAG_H
#define BAOKU_DIAG_H

#include <stddef.h>

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/*
 * Receives one finished diagnostic line (without the trailing newline).
 * Installed with diag_set_sink.
 */
typedef void (*diag_sink_fn)(void *ctx, enum diag_level level, const char *line);

/*
 * Reports a diagnostic about file at line:col. line 0 means the file as a
 * whole, col 0 the line as a whole; file NULL means the program itself.
 */
void diag_report(enum diag_level level, const char *file, size_t line, size_t col, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));

#define diag_error(file, line, col, ...)   diag_report(DIAG_ERROR, file, line, col, __VA_ARGS__)
#define diag_warning(file, line, col, ...) diag_report(DIAG_WARNING, file, line, col, __VA_ARGS__)
#define diag_note(file, line, col, ...)    diag_report(DIAG_NOTE, file, line, col, __VA_ARGS__)

/* Sends diagnostics to sink instead of stderr; NULL restores stderr. A
   sink is called with diag's lock held, one report at a time. */
void diag_set_sink(diag_sink_fn sink, void *ctx);

/* The sink installed now (NULL: stderr), so that a sink installed over it
   can pass lines on. */
void diag_get_sink(diag_sink_fn *sink, void **ctx);

/* Prints a finished line as diag does when no sink is installed: errors
   to stderr, warnings and notes too unless quiet. For a sink that passes
   lines on; it must not report through diag itself. */
void diag_print(enum diag_level level, const char *line);

/* When nonzero, warnings and notes are not printed. */
void diag_set_quiet(int quiet);

#endif
