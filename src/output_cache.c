#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	if (!pathset_add(&m->paths, path))
		return;
	m->key = xgrow(m->key, &m->cap, m->paths.n - 1, sizeof *m->key, 1024);
	m->key[m->paths.n - 1] = key;
}

void
out_memo_reserve(struct memo *m, size_t more)
{
	pathset_reserve(&m->paths, more);
	if (m->cap < m->paths.n + more) {
		m->cap = m->paths.n + more;
		m->key = xreallocarray(m->key, m->cap, sizeof *m->key);
	}
}

uint64_t
out_memo_key(const struct memo *m, long i)
{
	return i < 0 ? 0 : m->key[i];
}

uint64_t
out_memo_get(const struct memo *m, const char *path)
{
	return out_memo_key(m, pathset_find(&m->paths, path));
}

void
out_memo_free(struct memo *m)
{
	out_memo_found(m);
	if (m->present) /* its lock was made with it (S_find_present) */
		pthread_mutex_destroy(&m->find_lock);
	pathset_free(&m->paths);
	free(m->key);
	free(m->present);
	memset(m, 0, sizeof *m);
}

/* Marks the old memo's files that next has, on a thread of its own when
   one can be made, as it lists next for the prune: the walk of a large
   tree takes seconds, which the build spends reading its page cache
   meanwhile. Next is what the build keeps a file in (root's files are
   linked there when the output is opened); one walk of it serves both,
   where one of root for this and one of next for the prune were twice the
   work. Nothing reads present or the listing before out_memo_found. */
static void
S_find_present(struct output *o)
{
	o->old.present = xcalloc(o->old.paths.n, 1);
	o->listed = 1;
	pthread_mutex_init(&o->old.find_lock, NULL);
	if (pthread_create(&o->old.finder, NULL, out_tree_list_thread, o) == 0)
		atomic_store(&o->old.finding, 1);
	else
		out_tree_list(o);
}

void
out_memo_found(struct memo *m)
{
	if (!atomic_load(&m->finding))
		return;
	pthread_mutex_lock(&m->find_lock);
	if (atomic_load(&m->finding)) {
		pthread_join(m->finder, NULL);
		atomic_store(&m->finding, 0);
	}
	pthread_mutex_unlock(&m->find_lock);
}

/* Loads the previous build's memo, if it describes the tree in root: its
   first line is that tree's id. 0 (also without a memo), or -1 after
   reporting a file that is there but cannot be read. */
static int
S_memo_load(struct output *o)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/memo", o->state);
	int r = o->live ? util_read_file(path.data, &text, 0) : 0;
	if (r <= 0)
		goto out;
	char *nl = strchr(text.data, '\n');
	if (!nl || nl - text.data != 16)
		goto out;
	*nl = '\0';
	if (strtoull(text.data, NULL, 16) != o->live)
		goto out;
	size_t lines = 0;
	for (const char *p = nl + 1; (p = memchr(p, '\n', (size_t)(text.data + text.len - p))); p++)
		lines++;
	out_memo_reserve(&o->old, lines);
	for (char *line = nl + 1; *line;) {
		char *end = strchr(line, '\n');
		if (!end)
			break;
		*end = '\0';
		char *sp = strchr(line, ' ');
		const char *hex = line;
		uint64_t key;
		if (sp && sp - line == 16 && util_number(&hex, 16, ' ', &key) == 0)
			out_memo_add(&o->old, sp + 1, key);
		line = end + 1;
	}
	if (o->update && o->old.paths.n)
		S_find_present(o);
	/* this build makes about as many files: its table sized once */
	pathset_reserve(&o->seen, o->old.paths.n);
out:
	buf_release(&path);
	buf_release(&text);
	return r < 0 ? -1 : 0;
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

char *
out_cache_slurp(const struct output *o, const char *name, size_t max, size_t *len)
{
	FILE *f = out_cache_read(o, name);
	struct stat st;
	char *b = NULL;
	if (f && fstat(fileno(f), &st) == 0 && st.st_size >= 0 && (uint64_t)st.st_size <= max) {
		b = xmalloc(st.st_size ? (size_t)st.st_size : 1);
		if (util_pread_all(fileno(f), b, (size_t)st.st_size, 0) < 0) {
			free(b);
			b = NULL;
		}
		*len = (size_t)st.st_size;
	}
	if (f)
		fclose(f);
	return b;
}

void *
out_cache_map(const struct output *o, const char *name, size_t max, size_t *len)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->cache, name);
	void *p = util_map_file(path.data, max, len);
	buf_release(&path);
	return p;
}

/* A cache file that cannot be written is said once a build, for the
   first (a cache that cannot be written at all fails every one, and a
   full disk the search's blocks on every thread): the build goes on, and
   the next one starts afresh whatever else failed. */
static void
S_cache_unwritten(struct output *o, const char *path, int err)
{
	if (atomic_exchange(&o->cache_said, 1))
		return;
	diag_warning(path, 0, 0, "cannot write the cache: %s; the next build starts afresh",
	             strerror(err));
}

FILE *
out_cache_create(struct output *o, const char *name)
{
	struct buf path = BUF_INIT;
	FILE *f = NULL;
	buf_printf(&path, "%s/%s", o->cache, name);
	*strrchr(path.data, '/') = '\0';
	if (util_mkdirs(path.data) < 0) {
		S_cache_unwritten(o, path.data, errno);
		goto out;
	}
	buf_reset(&path);
	buf_printf(&path, "%s/%s.new-%ld", o->cache, name, (long)getpid());
	/* open for reading too: a build may read back what it wrote */
	f = fopen(path.data, "w+b");
	if (!f)
		S_cache_unwritten(o, path.data, errno);
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
		S_cache_unwritten(o, path.data, errno);
		unlink(path.data);
	} else { /* the search index's thread keeps its blocks beside the others */
		pthread_mutex_lock(&o->lock);
		strlist_add(&o->cached, name, strlen(name));
		pthread_mutex_unlock(&o->lock);
	}
	buf_release(&path);
	return bad ? -1 : 0;
}

void
out_cache_prune(struct output *o, const char *dir, int (*keep)(const char *name, void *arg),
                void *arg)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->cache, dir);
	DIR *d = opendir(path.data);
	size_t base = path.len;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.' || keep(e->d_name, arg))
			continue;
		buf_truncate(&path, base);
		buf_printf(&path, "/%s", e->d_name);
		unlink(path.data);
	}
	if (d)
		closedir(d);
	buf_release(&path);
}

int
out_cache_writer_alive(const char *pid)
{
	char *end;
	long n = strtol(pid, &end, 10);
	if (end == pid || *end || n <= 0)
		return 1; /* not a name this program makes: left alone */
	return n == (long)getpid() || kill((pid_t)n, 0) == 0 || errno != ESRCH;
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

/* Moves the cache file name, written by this process, in place. */
static void
S_move_in(struct output *o, const char *name)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	buf_printf(&from, "%s/%s.new-%ld", o->cache, name, (long)getpid());
	buf_printf(&to, "%s/%s", o->cache, name);
	if (rename(from.data, to.data) < 0)
		unlink(from.data);
	buf_release(&from);
	buf_release(&to);
}

void
out_state_paths(struct output *o)
{
	/* by root's absolute path, so that the same project built into other
	   places keeps one state for each */
	struct buf abs = BUF_INIT, b = BUF_INIT;
	const char *slash = strrchr(o->root, '/');
	char *parent = slash ? xstrndup(o->root, (size_t)(slash - o->root)) : xstrdup(".");
	char *real = realpath(*parent ? parent : "/", NULL);
	buf_printf(&abs, "%s/%s", real ? real : parent, slash ? slash + 1 : o->root);
	buf_printf(&b, "out-%016llx", (unsigned long long)out_key(0, abs.data, abs.len));
	o->state_name = buf_detach(&b, NULL);
	buf_printf(&b, "%s/%s", o->cache, o->state_name);
	o->state = buf_detach(&b, NULL);
	free(real);
	free(parent);
	buf_release(&abs);
}

int
out_is_current(const char *root, const char *cache, const char *fingerprint, size_t len)
{
	struct output probe = {.root = xstrdup(root), .cache = xstrdup(cache)};
	out_state_paths(&probe);
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/inputs", probe.state);
	uint64_t live = out_tree_id(root);
	int r = live ? util_read_file(path.data, &text, 0) : 0;
	char head[20];
	snprintf(head, sizeof head, "%016llx\n", (unsigned long long)live);
	int current = r > 0 && text.len == 17 + len && !memcmp(text.data, head, 17) &&
	              !memcmp(text.data + 17, fingerprint, len);
	buf_release(&path);
	buf_release(&text);
	free(probe.root);
	free(probe.cache);
	free(probe.state);
	free(probe.state_name);
	return r < 0 ? -1 : current;
}

/* The name of the state file `what` within the cache directory. */
static void
S_state_file(const struct output *o, const char *what, struct buf *name)
{
	buf_reset(name);
	buf_printf(name, "%s/%s", o->state_name, what);
}

/* Writes the spare record: next is the tree `spare`, and differs from the
   live tree `live` at most at paths. As a cache file to commit, or at
   once. */
static void
S_spare_write(struct output *o, uint64_t spare, uint64_t live, const struct strlist *paths, int now)
{
	struct buf name = BUF_INIT;
	S_state_file(o, "spare", &name);
	FILE *f = out_cache_create(o, name.data);
	if (f) {
		fprintf(f, "%016llx %016llx\n", (unsigned long long)spare,
		        (unsigned long long)live);
		for (size_t i = 0; paths && i < paths->n; i++)
			fprintf(f, "%s\n", paths->v[i]);
		fputs("end\n", f);
		if (out_cache_done(o, name.data, f) == 0 && now) {
			free(o->cached.v[--o->cached.n]);
			S_move_in(o, name.data);
		}
	}
	buf_release(&name);
}

void
out_state_write(struct output *o, uint64_t id)
{
	struct buf name = BUF_INIT;
	S_state_file(o, "memo", &name);
	FILE *f = out_cache_create(o, name.data);
	if (f) {
		fprintf(f, "%016llx\n", (unsigned long long)id);
		struct buf path = BUF_INIT;
		for (size_t i = 0; i < o->seen.n && i < o->now_cap; i++)
			if (o->now[i])
				fprintf(f, "%016llx %s\n", (unsigned long long)o->now[i],
				        pathset_path(&o->seen, i, &path));
		buf_release(&path);
		out_cache_done(o, name.data, f);
	}
	S_state_file(o, "inputs", &name);
	if ((f = out_cache_create(o, name.data))) {
		fprintf(f, "%016llx\n", (unsigned long long)id);
		fwrite(o->inputs ? o->inputs : "", 1, o->inputs_len, f);
		out_cache_done(o, name.data, f);
	}
	buf_release(&name);
	/* the swap leaves the live tree in next, with what this build changed */
	if (o->update)
		S_spare_write(o, o->live, id, &o->changed, 0);
}

void
out_spare_same(struct output *o)
{
	S_spare_write(o, o->live, o->live, NULL, 1);
}

int
out_spare_read(const struct output *o, uint64_t *spare, uint64_t *live, struct strlist *paths)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/spare", o->state);
	int rc = -1;
	if (util_read_file(path.data, &text, 0) <= 0)
		goto out;
	char *p = text.data, *line = util_cut_line(&p);
	if (!line || strlen(line) != 33 || line[16] != ' ')
		goto out;
	*spare = strtoull(line, NULL, 16);
	*live = strtoull(line + 17, NULL, 16);
	/* the list counts only when it is whole */
	while ((line = util_cut_line(&p))) {
		if (!strcmp(line, "end") && !*p) {
			rc = 0;
			break;
		}
		strlist_add(paths, line, strlen(line));
	}
out:
	buf_release(&path);
	buf_release(&text);
	return rc;
}

void
out_cache_commit(struct output *o)
{
	for (size_t i = 0; i < o->cached.n; i++)
		S_move_in(o, o->cached.v[i]);
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
