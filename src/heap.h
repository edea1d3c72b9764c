/*
 * heap: the memory allocator's settings and figures.
 *
 * The release build links jemalloc (BAOKU_JEMALLOC, the Makefile): a
 * build holds a million records in small pieces, made and freed by
 * several threads, and at a million page files of one article jemalloc
 * held 1,387 MiB at the peak where glibc's malloc held 1,501, in 22% less
 * CPU time. The sanitizer builds and the fuzzers keep the C library's
 * allocator, which the sanitizers replace; everything here works with
 * either.
 */
#ifndef BAOKU_HEAP_H
#define BAOKU_HEAP_H

#include <stddef.h>

/* Before a build: the allocator set for the worker threads of jobs (the
   -j option, pool_threads'). */
void heap_tune_threads(int jobs);

/* The bytes handed out and not freed, in MiB (0 where unknown). */
size_t heap_mib(void);

/* Gives the memory freed back to the system, between a build's steps. */
void heap_release(void);

#endif
