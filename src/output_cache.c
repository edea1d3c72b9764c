#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "output_int.h"
#include "util.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * The memo: each file's key, what it was rendered from
 * ------------------------------------------------------------------- */

uint64_t
out_key(uint64_t key, const void *data, size_t len)
{
	return util_mix(key ? key : UTIL_FNV_START, data, len);
}

void
out_memo_add(struct memo *m, const char *path, uint64_t key)
{
	if (!out_paths_add(&m->paths, path))
		return;
	m->key = xgrow(m->key, &m->cap, m->paths.n - 1, sizeof *m->key, 1024);
	m->key[m->paths.n - 1] = key;
}

uint64_t
out_memo_get(const struct memo *m, const char *path)
{
	long i = out_paths_find(&m->paths, path);
	return i < 0 ? 0 : m->key[i];
}

void
out_memo_free(struct memo *m)
{
	out_paths_free(&m->paths);
	free(m->key);
	free(m->present);
	memset(m, 0, sizeof *m);
}

/* Marks an old memo's file that is still there: one walk of the output
   instead of a stat for every file kept. */
static int
S_mark_present(struct output *o, const char *rel, const char *full, const struct dirent *e)
{
	if (out_entry_is(e, full, 0)) {
		long k = out_paths_find(&o->old.paths, rel);
		if (k >= 0)
			o->old.present[k] = 1;
	}
	return 0;
}

/* Loads the previous build's memo, if it belongs to the build in root:
   its first line is a hash of the inputs that build was made from. 0
   (also without a memo), or -1 after reporting a file that is there but
   cannot be read. */
static int
S_memo_load(struct output *o)
{
	struct buf path = BUF_INIT, text = BUF_INIT, inputs = BUF_INIT;
	int rc = 0, r;
	buf_printf(&path, "%s/memo", o->cache);
	if ((r = util_read_file(path.data, &text, 0)) <= 0)
		goto out;
	buf_reset(&path);
	buf_printf(&path, "%s/%s", o->root, OUT_INPUTS);
	if ((r = util_read_file(path.data, &inputs, 0)) <= 0)
		goto out;
	char *nl = strchr(text.data, '\n');
	if (!nl || nl - text.data != 16)
		goto out;
	*nl = '\0';
	if (strtoull(text.data, NULL, 16) != out_key(0, inputs.data, inputs.len))
		goto out;
	for (char *line = nl + 1; *line;) {
		char *end = strchr(line, '\n');
		if (!end)
			break;
		*end = '\0';
		char *sp = strchr(line, ' ');
		if (sp && sp - line == 16) {
			*sp = '\0';
			out_memo_add(&o->old, sp + 1, strtoull(line, NULL, 16));
		}
		line = end + 1;
	}
	if (o->update && o->old.paths.n) {
		o->old.present = xcalloc(o->old.paths.n, 1);
		out_walk(o, "", 0, 0, S_mark_present);
	}
out:
	if (r < 0)
		rc = -1;
	buf_release(&path);
	buf_release(&text);
	buf_release(&inputs);
	return rc;
}

int
out_set_salt(struct output *o, uint64_t salt)
{
	o->salt = salt;
	return o->old.paths.n ? 0 : S_memo_load(o);
}

/* ---------------------------------------------------------------------
 * Files of the cache directory
 * ------------------------------------------------------------------- */

FILE *
out_cache_read(const struct output *o, const char *name)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->cache, name);
	FILE *f = fopen(path.data, "rb");
	buf_release(&path);
	return f;
}

FILE *
out_cache_create(struct output *o, const char *name)
{
	struct buf path = BUF_INIT;
	FILE *f = NULL;
	if (util_mkdirs(o->cache) < 0) {
		diag_warning(o->cache, 0, 0,
		             "cannot create the cache directory: %s; the next build starts afresh",
		             strerror(errno));
		goto out;
	}
	buf_printf(&path, "%s/%s.new-%ld", o->cache, name, (long)getpid());
	/* open for reading too: a build may read back what it wrote */
	f = fopen(path.data, "w+b");
	if (!f)
		diag_warning(path.data, 0, 0,
		             "cannot write the cache: %s; the next build starts "
		             "afresh",
		             strerror(errno));
out:
	buf_release(&path);
	return f;
}

int
out_cache_done(struct output *o, const char *name, FILE *f)
{
	int bad = ferror(f);
	bad |= fclose(f) != 0;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s.new-%ld", o->cache, name, (long)getpid());
	if (bad) {
		diag_warning(path.data, 0, 0,
		             "cannot write the cache: %s; the next build starts "
		             "afresh",
		             strerror(errno));
		unlink(path.data);
	} else {
		strlist_add(&o->cached, name, strlen(name));
	}
	buf_release(&path);
	return bad ? -1 : 0;
}

int
out_scratch(struct output *o)
{
	if (util_mkdirs(o->cache) < 0)
		return -1;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/scratch-XXXXXX", o->cache);
	int fd = mkstemp(path.data);
	if (fd >= 0)
		unlink(path.data);
	buf_release(&path);
	return fd;
}

void
out_cache_abandon(struct output *o, const char *name, FILE *f)
{
	fclose(f);
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s.new-%ld", o->cache, name, (long)getpid());
	unlink(path.data);
	buf_release(&path);
}

void
out_cache_commit(struct output *o)
{
	FILE *f = out_cache_create(o, "memo");
	if (f) {
		fprintf(f, "%016llx\n", (unsigned long long)o->inputs);
		for (size_t i = 0; i < o->now.paths.n; i++)
			fprintf(f, "%016llx %s\n", (unsigned long long)o->now.key[i],
			        o->now.paths.v[i]);
		out_cache_done(o, "memo", f);
	}
	for (size_t i = 0; i < o->cached.n; i++) {
		struct buf from = BUF_INIT, to = BUF_INIT;
		buf_printf(&from, "%s/%s.new-%ld", o->cache, o->cached.v[i], (long)getpid());
		buf_printf(&to, "%s/%s", o->cache, o->cached.v[i]);
		if (rename(from.data, to.data) < 0)
			unlink(from.data);
		buf_release(&from);
		buf_release(&to);
	}
}

void
out_cache_drop(struct output *o)
{
	for (size_t i = 0; i < o->cached.n; i++) {
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/%s.new-%ld", o->cache, o->cached.v[i], (long)getpid());
		unlink(path.data);
		buf_release(&path);
	}
}
