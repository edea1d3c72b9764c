/*
 * published: the manifest of every URL an archive has published
 * (published.h).
 */
#include "published.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "util.h"
#include "xalloc.h"

#define NFIELDS 9

static const char *const S_kinds[] = {"article", "page", "redirect", "html"};

static char *
S_copy(const char *s, size_t len)
{
	return xstrndup(s ? s : "", s ? len : 0);
}

/* Copies value s (NULL: empty) to *at as one field, tabs and line ends
   becoming spaces, and moves *at past its NUL. Returns the copy. */
static char *
S_field(const char *s, char **at)
{
	char *f = *at;
	for (s = s ? s : ""; *s; s++)
		*(*at)++ = *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s;
	*(*at)++ = '\0';
	return f;
}

static void
S_push(struct pub_list *l, const struct pub_row *r)
{
	l->v = xgrow(l->v, &l->cap, l->n, sizeof *l->v, 256);
	l->v[l->n++] = *r;
}

static int
S_refused(const struct pub_list *l, const char *path)
{
	return l->keep && !l->keep(path ? path : "", l->keep_arg);
}

void
pub_add(struct pub_list *l, const struct pub_row *r)
{
	if (S_refused(l, r->path))
		return;
	const char *f[NFIELDS] = {r->path, r->kind, r->to, r->id,   r->paper,
	                          r->date, r->page, r->fp, r->title};
	size_t len = 0;
	for (size_t k = 0; k < NFIELDS; k++)
		len += (f[k] ? strlen(f[k]) : 0) + 1;
	/* one block a row, in the list's arena: a large archive has a row
	   for every page it published */
	char *at = arena_bytes(&l->strings, len);
	char *v[NFIELDS];
	for (size_t k = 0; k < NFIELDS; k++)
		v[k] = S_field(f[k], &at);
	S_push(l, &(struct pub_row){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]});
}

static int
S_ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n >= m && !strcmp(s + n - m, end);
}

/* A path a manifest may name: safe under the output, and a page. */
static int
S_page_path(const char *s)
{
	return *s != '#' && util_safe_name(s) && S_ends_with(s, ".html");
}

const char *
pub_guess_kind(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!strncmp(path, "articles/", 9))
		return "article";
	if (!strncmp(path, "pages/", 6) && strncmp(base, "index.", 6))
		return "page";
	return "html";
}

static int
S_known_kind(const char *k)
{
	for (size_t i = 0; i < sizeof S_kinds / sizeof *S_kinds; i++)
		if (!strcmp(k, S_kinds[i]))
			return 1;
	return 0;
}

/* The column, in characters, of byte off of a line. */
static size_t
S_col(const char *line, size_t off)
{
	size_t col = 1;
	for (size_t i = 0; i < off; i++)
		col += ((unsigned char)line[i] & 0xC0) != 0x80;
	return col;
}

/* One line of the manifest (NUL-terminated, its number lineno) into l. */
static void
S_line(const char *file, size_t lineno, const char *line, struct pub_list *l)
{
	const char *f[NFIELDS] = {0};
	size_t len[NFIELDS] = {0}, n = 0;
	const char *p = line;
	for (;;) {
		size_t k = strcspn(p, "\t");
		if (n < NFIELDS)
			f[n] = p, len[n] = k;
		n++;
		if (!p[k])
			break;
		p += k + 1;
	}
	struct pub_row r = {0};
	char *path = S_copy(f[0], len[0]);
	char *kind = S_copy(n > 1 ? f[1] : NULL, n > 1 ? len[1] : 0);
	char *to = S_copy(n > 2 ? f[2] : NULL, n > 2 ? len[2] : 0);
	if (!S_page_path(path)) {
		diag_warning(file, lineno, 1,
		             "'%s' is no page of the output (a relative path to a .html file); "
		             "line ignored (fix or delete it)",
		             path);
		goto out;
	}
	size_t at = 0; /* where the fault is, when there is one */
	const char *what = NULL;
	if (n != NFIELDS) {
		what = n < NFIELDS ? "too few fields" : "too many fields";
		at =
		    n < NFIELDS ? strlen(line) : (size_t)(f[NFIELDS - 1] + len[NFIELDS - 1] - line);
	} else if (!S_known_kind(kind)) {
		what = "unknown kind (article, page, redirect or html)";
		at = (size_t)(f[1] - line);
	} else if (!strcmp(kind, "redirect") && !S_page_path(to)) {
		what = "a redirect's target is no page of the output";
		at = (size_t)(f[2] - line);
	}
	if (what) {
		diag_warning(file, lineno, S_col(line, at),
		             "%s; kept the URL '%s' as a %s (the build rewrites the line)", what,
		             path, pub_guess_kind(path));
		r = (struct pub_row){.path = path, .kind = (char *)pub_guess_kind(path)};
		pub_add(l, &r);
		goto out;
	}
	char *v[NFIELDS];
	for (size_t i = 0; i < NFIELDS; i++)
		v[i] = S_copy(f[i], len[i]);
	r = (struct pub_row){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
	pub_add(l, &r);
	for (size_t i = 0; i < NFIELDS; i++)
		free(v[i]);
out:
	free(path);
	free(kind);
	free(to);
}

/* The manifest's line lineno (NUL-terminated, its line end still on)
   into l, unless blank or a comment. */
static void
S_take_line(const char *file, size_t lineno, char *line, struct pub_list *l)
{
	size_t n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n && line[n - 1] == '\r')
		line[n - 1] = '\0';
	if (*line && *line != '#')
		S_line(file, lineno, line, l);
}

void
pub_parse(const char *file, const char *text, size_t len, struct pub_list *l)
{
	char *copy = xstrndup(text, len), *p = copy, *line;
	size_t lineno = 0;
	while ((line = util_cut_line(&p)))
		S_take_line(file, ++lineno, line, l);
	free(copy);
}

int
pub_read(const char *file, int report, struct pub_list *l)
{
	FILE *f = fopen(file, "re");
	if (!f) {
		if (errno != ENOENT || report)
			diag_error(file, 0, 0, "cannot open: %s", strerror(errno));
		return errno == ENOENT ? 0 : -1;
	}
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	while (getline(&line, &cap, f) >= 0)
		S_take_line(file, ++lineno, line, l);
	int rc = ferror(f) ? -1 : 1;
	if (rc < 0)
		diag_error(file, 0, 0, "cannot read: %s", strerror(errno));
	free(line);
	fclose(f);
	return rc;
}

/* The .html files under root/rel into l. */
static int
S_walk(const char *root, const char *rel, int depth, struct pub_list *l)
{
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s%s%s", root, *rel ? "/" : "", rel);
	size_t n = 0;
	char **names = util_list_dir(dir.data, 0, &n);
	int rc = names ? 0 : -1;
	for (size_t i = 0; i < n; i++) {
		struct buf sub = BUF_INIT, full = BUF_INIT;
		buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		buf_printf(&full, "%s/%s", root, sub.data);
		struct stat st;
		if (lstat(full.data, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth < 32 && strcmp(sub.data, "static") &&
			    S_walk(root, sub.data, depth + 1, l) < 0)
				rc = -1;
		} else if (S_ISREG(st.st_mode) && S_page_path(sub.data)) {
			struct pub_row r = {.path = sub.data,
			                    .kind = (char *)pub_guess_kind(sub.data)};
			pub_add(l, &r);
		}
		buf_release(&sub);
		buf_release(&full);
	}
	util_free_names(names, n);
	buf_release(&dir);
	return rc;
}

int
pub_from_tree(const char *root, struct pub_list *l)
{
	struct stat st;
	if (stat(root, &st) < 0)
		return 0; /* nothing was published there */
	return S_walk(root, "", 0, l);
}

/* ---------------------------------------------------------------------
 * Writing, with what tells the bytes apart
 * ------------------------------------------------------------------- */

void
pub_sum_start(struct pub_sum *s)
{
	memset(s, 0, sizeof *s);
	s->fnv = UTIL_FNV_START;
}

/* Adds len bytes at data to the sum: util_fnv of them, and util_mix_u64
   of each word of eight in one lane (so that it can be made a piece at a
   time; it is kept in the memo). */
void
pub_sum_add(struct pub_sum *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	s->fnv = util_fnv(s->fnv, p, len);
	while (len) {
		size_t at = s->len % 8, k = 8 - at < len ? 8 - at : len;
		memcpy(s->word + at, p, k);
		s->len += k, p += k, len -= k;
		if (s->len % 8 == 0) {
			uint64_t w;
			memcpy(&w, s->word, sizeof w);
			s->mix = util_mix_u64(s->mix, w);
		}
	}
}

/* The mix of a sum's bytes, its last word and its length folded in. */
static uint64_t
S_mix_end(const struct pub_sum *s)
{
	uint64_t w = 0;
	memcpy(&w, s->word, s->len % 8);
	return util_mix_u64(util_mix_u64(s->mix, w), (uint64_t)s->len);
}

int
pub_sum_same(const struct pub_sum *a, const struct pub_sum *b)
{
	return a->len == b->len && a->fnv == b->fnv && S_mix_end(a) == S_mix_end(b);
}

static int
S_by_path(const void *x, const void *y)
{
	const struct pub_row *a = x, *b = y;
	const char *const fa[] = {a->path, a->kind, a->to, a->id,   a->paper,
	                          a->date, a->page, a->fp, a->title};
	const char *const fb[] = {b->path, b->kind, b->to, b->id,   b->paper,
	                          b->date, b->page, b->fp, b->title};
	for (size_t i = 0; i < NFIELDS; i++) {
		int c = strcmp(fa[i], fb[i]);
		if (c)
			return c;
	}
	return 0;
}

void
pub_sort(struct pub_list *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, S_by_path);
}

const struct pub_row *
pub_find(const struct pub_list *l, size_t n, const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(l->v[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(l->v[lo].path, path) ? &l->v[lo] : NULL;
}

static const char S_header[] =
    "# The URLs this archive has published, kept so that none of them ever "
    "breaks: commit it with content/.\n"
    "# path\tkind\tto\tid\tpaper\tdate\tpage\tfingerprint\ttitle\n";

void
pub_format_row(const struct pub_row *r, struct buf *out)
{
	const char *const f[NFIELDS] = {r->path, r->kind, r->to, r->id,   r->paper,
	                                r->date, r->page, r->fp, r->title};
	for (size_t k = 0; k < NFIELDS; k++) {
		size_t at = out->len, n = strlen(f[k]);
		buf_add(out, f[k], n);
		for (size_t i = at; i < at + n; i++)
			if (out->data[i] == '\t' || out->data[i] == '\n' || out->data[i] == '\r')
				out->data[i] = ' ';
		buf_addc(out, k + 1 < NFIELDS ? '\t' : '\n');
	}
}

void
pub_format(struct pub_list *l, struct buf *out)
{
	pub_sort(l);
	buf_add(out, S_header, sizeof S_header - 1);
	for (size_t i = 0; i < l->n; i++)
		pub_format_row(&l->v[i], out);
}

/* FILE.tmp, where a manifest is staged. */
static void
S_staged(const char *file, struct buf *out)
{
	buf_printf(out, "%s.tmp", file);
}

static void
S_cannot_write(const char *file)
{
	diag_warning(file, 0, 0,
	             "cannot write the manifest of published URLs: %s; the next build "
	             "still finds them in the output",
	             strerror(errno));
}

struct pub_stager {
	char *file;
	FILE *f;   /* FILE.tmp, NULL when it could not be opened */
	int error; /* the first write's errno that failed, 0 for none */
	struct pub_sum *sum;
	struct buf line;
};

/* Sums a line's bytes and writes them, while the file can be written. */
static void
S_put(struct pub_stager *s, const char *data, size_t len)
{
	pub_sum_add(s->sum, data, len);
	if (s->f && !s->error && fwrite(data, 1, len, s->f) != len)
		s->error = errno ? errno : EIO;
}

struct pub_stager *
pub_stage_start(const char *file, struct pub_sum *sum)
{
	struct pub_stager *s = xcalloc(1, sizeof *s);
	struct buf tmp = BUF_INIT;
	S_staged(file, &tmp);
	s->file = xstrdup(file);
	s->f = fopen(tmp.data, "w");
	s->error = s->f ? 0 : errno;
	s->sum = sum;
	buf_release(&tmp);
	pub_sum_start(sum);
	S_put(s, S_header, sizeof S_header - 1);
	return s;
}

void
pub_stage_row(struct pub_stager *s, const struct pub_row *r)
{
	buf_reset(&s->line);
	pub_format_row(r, &s->line);
	S_put(s, s->line.data, s->line.len);
}

void
pub_stage_text(struct pub_stager *s, const char *text, size_t len)
{
	S_put(s, text, len);
}

int
pub_stage_end(struct pub_stager *s)
{
	int ok = !s->error && fflush(s->f) == 0;
	int error = ok ? 0 : s->error ? s->error : errno;
	if (s->f && fclose(s->f) != 0 && ok)
		ok = 0, error = errno;
	if (!ok) {
		errno = error;
		S_cannot_write(s->file);
		pub_unstage(s->file);
	}
	free(s->file);
	buf_release(&s->line);
	free(s);
	return ok ? 0 : -1;
}

int
pub_stage(const char *file, struct pub_list *l, struct pub_sum *sum)
{
	pub_sort(l);
	struct pub_stager *s = pub_stage_start(file, sum);
	for (size_t i = 0; i < l->n; i++)
		pub_stage_row(s, &l->v[i]);
	return pub_stage_end(s);
}

int
pub_install(const char *file)
{
	struct buf tmp = BUF_INIT;
	S_staged(file, &tmp);
	int rc = util_sync_file(tmp.data);
	if (rc == 0)
		rc = rename(tmp.data, file);
	if (rc < 0) {
		S_cannot_write(file);
		unlink(tmp.data);
	}
	buf_release(&tmp);
	return rc < 0 ? -1 : 0;
}

void
pub_unstage(const char *file)
{
	struct buf tmp = BUF_INIT;
	S_staged(file, &tmp);
	unlink(tmp.data);
	buf_release(&tmp);
}

void
pub_fingerprint(const struct pub_sum *sum, struct buf *fp)
{
	if (sum)
		buf_printf(fp, "published %016llx\n", (unsigned long long)sum->fnv);
	else
		buf_adds(fp, "published absent\n");
}

/* ---------------------------------------------------------------------
 * The memo of a manifest's sum, by its file's status
 * ------------------------------------------------------------------- */

#define MEMO_MAGIC "baoku-published-3"

/* What a manifest's memo line says of its file: 0, or -1 when there is
   no file. */
static int
S_stat_line(const char *file, struct buf *out)
{
	struct stat st;
	if (stat(file, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	buf_printf(out, "%s %llu %llu %lld %lld.%09ld %lld.%09ld", MEMO_MAGIC,
	           (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
	           (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
	           (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	return 0;
}

void
pub_set_add(struct pub_set *set, const char *path)
{
	set->hash += util_mix(0, path, strlen(path));
	set->n++;
}

int
pub_set_same(const struct pub_set *a, const struct pub_set *b)
{
	return a->hash == b->hash && a->n == b->n;
}

int
pub_memo_get(const char *memo, const char *file, struct pub_memo *m)
{
	struct buf now = BUF_INIT, kept = BUF_INIT;
	int hit = 0;
	if (S_stat_line(file, &now) == 0 && util_read_file(memo, &kept, -1) > 0) {
		unsigned long long fnv, mix, len, hash, paths, rows, redirects, moved;
		char word[17];
		const char *tail =
		    !strncmp(kept.data, now.data, now.len) ? kept.data + now.len : "";
		if (*tail == ' ' &&
		    sscanf(tail, " %llx %llx %llu %16s %llx %llu %llx %llu %llx", &fnv, &mix, &len,
		           word, &hash, &paths, &rows, &redirects, &moved) == 9 &&
		    strlen(word) == 16) {
			memset(m, 0, sizeof *m);
			m->sum.fnv = fnv;
			m->sum.mix = mix;
			m->sum.len = (size_t)len;
			m->set = (struct pub_set){hash, (size_t)paths};
			m->rows = rows;
			m->redirects = (size_t)redirects;
			m->moved = moved;
			for (size_t i = 0; i < 8; i++) {
				unsigned v;
				sscanf(word + 2 * i, "%2x", &v);
				m->sum.word[i] = (unsigned char)v;
			}
			hit = 1;
		}
	}
	buf_release(&now);
	buf_release(&kept);
	return hit;
}

void
pub_memo_put(const char *memo, const char *file, const struct pub_memo *m)
{
	struct buf line = BUF_INIT;
	if (S_stat_line(file, &line) == 0) {
		buf_printf(&line, " %llx %llx %llu ", (unsigned long long)m->sum.fnv,
		           (unsigned long long)m->sum.mix, (unsigned long long)m->sum.len);
		for (size_t i = 0; i < 8; i++)
			buf_printf(&line, "%02x", m->sum.word[i]);
		buf_printf(&line, " %llx %llu %llx %llu %llx\n", (unsigned long long)m->set.hash,
		           (unsigned long long)m->set.n, (unsigned long long)m->rows,
		           (unsigned long long)m->redirects, (unsigned long long)m->moved);
		util_replace_file(memo, line.data, line.len); /* failing costs a read */
	}
	buf_release(&line);
}

void
pub_free(struct pub_list *l)
{
	arena_free(&l->strings);
	free(l->v);
	memset(l, 0, sizeof *l);
}
