#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "calendar.h"
#include "diag.h"
#include "encoding.h"
#include "mujson.h"
#include "util.h"
#include "xalloc.h"

static void
S_list_copy(struct strlist *dst, const struct strlist *src)
{
	for (size_t i = 0; i < src->n; i++)
		strlist_add(dst, src->v[i], strlen(src->v[i]));
}

void
meta_free(struct meta *m)
{
	char **fields[] = {&m->title,    &m->date,     &m->paper, &m->page,   &m->section,
	                   &m->district, &m->encoding, &m->type,  &m->weight, &m->search};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		free(*fields[i]);
		*fields[i] = NULL;
	}
	strlist_free(&m->reporters);
	strlist_free(&m->tags);
	strlist_free(&m->sections);
}

void
meta_fill(struct meta *dst, const struct meta *src)
{
	char **d[] = {&dst->title,    &dst->date,     &dst->paper, &dst->page,   &dst->section,
	              &dst->district, &dst->encoding, &dst->type,  &dst->weight, &dst->search};
	char *const *s[] = {&src->title,   &src->date,     &src->paper,    &src->page,
	                    &src->section, &src->district, &src->encoding, &src->type,
	                    &src->weight,  &src->search};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		if (!*d[i] && *s[i])
			*d[i] = xstrdup(*s[i]);
	if (!dst->reporters.n)
		S_list_copy(&dst->reporters, &src->reporters);
	if (!dst->tags.n)
		S_list_copy(&dst->tags, &src->tags);
	if (!dst->sections.n)
		S_list_copy(&dst->sections, &src->sections);
}

int
meta_weight_ok(const char *s)
{
	const char *p = s + (*s == '-');
	if (!*p || strlen(p) > 9)
		return 0;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

int
meta_valid_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
	return y >= 1800 && mo >= 1 && mo <= 12 && d >= 1 && d <= cal_days_in(y, mo);
}

/* ---------------------------------------------------------------------
 * YAML
 * ------------------------------------------------------------------- */

enum key_kind { K_TEXT, K_LIST, K_MAP };

struct key {
	const char *name;
	enum key_kind kind;
	size_t off; /* offset of the field in struct meta */
};

static const struct key S_keys[] = {
    {"title", K_TEXT, offsetof(struct meta, title)},
    {"date", K_TEXT, offsetof(struct meta, date)},
    {"paper", K_TEXT, offsetof(struct meta, paper)},
    {"page", K_TEXT, offsetof(struct meta, page)},
    {"section", K_TEXT, offsetof(struct meta, section)},
    {"district", K_TEXT, offsetof(struct meta, district)},
    {"encoding", K_TEXT, offsetof(struct meta, encoding)},
    {"reporters", K_LIST, offsetof(struct meta, reporters)},
    {"tags", K_LIST, offsetof(struct meta, tags)},
    {"sections", K_MAP, offsetof(struct meta, sections)},
    {"type", K_TEXT, offsetof(struct meta, type)},
    {"weight", K_TEXT, offsetof(struct meta, weight)},
    {"search", K_TEXT, offsetof(struct meta, search)},
};

static const struct key *
S_key(const char *name)
{
	for (size_t i = 0; i < sizeof S_keys / sizeof S_keys[0]; i++)
		if (!strcmp(S_keys[i].name, name))
			return &S_keys[i];
	return NULL;
}

struct yctx {
	const char *path;
	size_t first_line;
	yaml_parser_t parser;
	yaml_event_t ev;
};

/* The next event; reports YAML errors. */
static int
S_next(struct yctx *y)
{
	yaml_event_delete(&y->ev);
	if (yaml_parser_parse(&y->parser, &y->ev))
		return 0;
	memset(&y->ev, 0, sizeof y->ev);
	const yaml_parser_t *p = &y->parser;
	if (p->context)
		diag_error(y->path, y->first_line + p->problem_mark.line,
		           p->problem_mark.column + 1,
		           "invalid YAML: %s %s at line %zu, column %zu",
		           p->problem ? p->problem : "syntax error", p->context,
		           y->first_line + p->context_mark.line, p->context_mark.column + 1);
	else
		diag_error(y->path, y->first_line + p->problem_mark.line,
		           p->problem_mark.column + 1, "invalid YAML: %s",
		           p->problem ? p->problem : "syntax error");
	return -1;
}

static size_t
S_line(const struct yctx *y)
{
	return y->first_line + y->ev.start_mark.line;
}

static size_t
S_col(const struct yctx *y)
{
	return y->ev.start_mark.column + 1;
}

/* The keys of Markdown files: type is article, page or intro, weight a
   whole number, search true or false. */
static int
S_check_markdown_key(struct yctx *y, const char *name, const char *val)
{
	const char *want = NULL;
	if (!strcmp(name, "type") && strcmp(val, "article") && strcmp(val, "page") &&
	    strcmp(val, "intro"))
		want = "article, page or intro";
	else if (!strcmp(name, "weight") && !meta_weight_ok(val))
		want = "a whole number";
	else if (!strcmp(name, "search") && strcmp(val, "true") && strcmp(val, "false"))
		want = "true or false";
	if (!want)
		return 0;
	diag_error(y->path, S_line(y), S_col(y), "'%s' must be %s, not '%s'", name, want, val);
	return -1;
}

/* Checks and stores one text value. */
static int
S_set_text(struct yctx *y, const struct key *k, struct meta *m, const char *v, size_t len)
{
	char **field = (char **)((char *)m + k->off);
	char *val = xstrndup(v, len);
	if (!strcmp(k->name, "date") && !meta_valid_date(val)) {
		diag_error(y->path, S_line(y), S_col(y),
		           "invalid date '%s': write a real date as YYYY-MM-DD, or leave it out",
		           val);
		free(val);
		return -1;
	}
	if (S_check_markdown_key(y, k->name, val) < 0) {
		free(val);
		return -1;
	}
	if (!strcmp(k->name, "encoding") && !enc_canonical(val)) {
		diag_error(y->path, S_line(y), S_col(y), "unknown encoding '%s'; baoku reads %s",
		           val, ENC_KNOWN);
		free(val);
		return -1;
	}
	if (!strcmp(k->name, "encoding")) {
		const char *canon = enc_canonical(val);
		free(val);
		val = xstrdup(canon);
	}
	free(*field);
	*field = val;
	return 0;
}

/* A plain ~ or null: YAML's way to say a value is unset. */
static int
S_null(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL"));
}

/* A key given twice is an error: YAML lets the last win, which hides what
   the first said. seen holds "key\tline" for the keys so far. */
static int
S_given_twice(const char *path, const char *name, size_t line, size_t col, struct strlist *seen)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < seen->n; i++)
		if (!strncmp(seen->v[i], name, n) && seen->v[i][n] == '\t') {
			diag_error(path, line, col,
			           "'%s' is given twice (first on line %s); keep one", name,
			           seen->v[i] + n + 1);
			return -1;
		}
	struct buf e = BUF_INIT;
	buf_printf(&e, "%s\t%zu", name, line);
	strlist_add(seen, e.data, e.len);
	buf_release(&e);
	return 0;
}

/* Reads the pairs of a mapping (its start read) into l as "key\tvalue":
   sections: {1: 要闻, 2: 综合新闻}. */
static int
S_read_pairs(struct yctx *y, const struct key *k, struct strlist *l)
{
	strlist_free(l);
	struct buf e = BUF_INIT;
	int rc = 0;
	for (;;) {
		if (S_next(y) < 0) {
			rc = -1;
			break;
		}
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			break;
		int key = y->ev.type == YAML_SCALAR_EVENT;
		if (key) {
			buf_reset(&e);
			buf_add(&e, y->ev.data.scalar.value, y->ev.data.scalar.length);
			buf_addc(&e, '\t');
		}
		if (!key || S_next(y) < 0 || y->ev.type != YAML_SCALAR_EVENT) {
			if (y->ev.type)
				diag_error(y->path, S_line(y), S_col(y),
				           "'%s' must be 'page: name' pairs, such as {1: 要闻, 2: "
				           "综合新闻}",
				           k->name);
			rc = -1;
			break;
		}
		buf_add(&e, y->ev.data.scalar.value, y->ev.data.scalar.length);
		strlist_add(l, e.data, e.len);
	}
	buf_release(&e);
	return rc;
}

/* Reads the value of key k (its first event read) into m. Returns 0, -1
   after reporting a bad value (reading goes on), -2 after reporting what
   stops the reading. */
static int
S_read_value(struct yctx *y, const struct key *k, struct meta *m)
{
	if (k->kind == K_MAP && y->ev.type == YAML_MAPPING_START_EVENT) {
		return S_read_pairs(y, k, (struct strlist *)((char *)m + k->off)) < 0 ? -2 : 0;
	} else if (y->ev.type == YAML_SCALAR_EVENT && k->kind != K_MAP) {
		const char *v = (const char *)y->ev.data.scalar.value;
		size_t vl = S_null(&y->ev) ? 0 : y->ev.data.scalar.length; /* title: ~ */
		if (k->kind == K_LIST) {
			struct strlist *l = (struct strlist *)((char *)m + k->off);
			strlist_free(l);
			if (vl)
				strlist_add(l, v, vl);
			return 0;
		}
		return vl && S_set_text(y, k, m, v, vl) < 0 ? -1 : 0;
	} else if (y->ev.type == YAML_SEQUENCE_START_EVENT && k->kind == K_LIST) {
		struct strlist *l = (struct strlist *)((char *)m + k->off);
		strlist_free(l);
		for (;;) {
			if (S_next(y) < 0)
				return -2;
			if (y->ev.type == YAML_SEQUENCE_END_EVENT)
				break;
			if (y->ev.type != YAML_SCALAR_EVENT) {
				diag_error(y->path, S_line(y), S_col(y),
				           "'%s' must be a list of names", k->name);
				return -2;
			}
			strlist_add(l, (const char *)y->ev.data.scalar.value,
			            y->ev.data.scalar.length);
		}
		return 0;
	} else {
		diag_error(y->path, S_line(y), S_col(y), "'%s' must be %s", k->name,
		           k->kind == K_LIST ? "a list of names"
		           : k->kind == K_MAP ? "'page: name' pairs, such as {1: 要闻, 2: 综合新闻}"
		                              : "a single value");
		return -2;
	}
}

int
meta_parse(const char *path, const char *text, size_t len, size_t first_line, struct meta *m)
{
	struct yctx y = {.path = path, .first_line = first_line};
	struct strlist seen = {0};
	int rc = -1;
	yaml_parser_initialize(&y.parser);
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)text, len);

	/* stream start, then an empty stream or one document */
	if (S_next(&y) < 0 || S_next(&y) < 0)
		goto out;
	if (y.ev.type == YAML_STREAM_END_EVENT) {
		rc = 0;
		goto out;
	}
	if (S_next(&y) < 0) /* the document's content */
		goto out;
	if (y.ev.type == YAML_SCALAR_EVENT && y.ev.data.scalar.length == 0) {
		rc = 0; /* an empty document */
		goto out;
	}
	if (y.ev.type != YAML_MAPPING_START_EVENT) {
		diag_error(path, S_line(&y), S_col(&y),
		           "metadata must be 'key: value' lines (title, date, paper, page, ...)");
		goto out;
	}
	rc = 0;
	for (;;) {
		if (S_next(&y) < 0) {
			rc = -1;
			break;
		}
		if (y.ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (y.ev.type != YAML_SCALAR_EVENT) {
			diag_error(path, S_line(&y), S_col(&y),
			           "a metadata key must be a plain word");
			rc = -1;
			break;
		}
		char *name =
		    xstrndup((const char *)y.ev.data.scalar.value, y.ev.data.scalar.length);
		size_t kl = S_line(&y), kc = S_col(&y);
		const struct key *k = S_key(name);
		if (S_given_twice(path, name, kl, kc, &seen) < 0)
			rc = -1;
		if (S_next(&y) < 0) {
			free(name);
			rc = -1;
			break;
		}
		if (!k) {
			diag_warning(path, kl, kc,
			             "unknown metadata key '%s' ignored; known keys: title, date, "
			             "paper, page, section, sections, district, reporters, tags, "
			             "encoding, type, weight, search",
			             name);
			/* skip its value, whatever shape */
			int depth = 0;
			do {
				if (y.ev.type == YAML_SEQUENCE_START_EVENT ||
				    y.ev.type == YAML_MAPPING_START_EVENT)
					depth++;
				else if (y.ev.type == YAML_SEQUENCE_END_EVENT ||
				         y.ev.type == YAML_MAPPING_END_EVENT)
					depth--;
			} while (depth > 0 && S_next(&y) == 0);
			free(name);
			if (depth > 0) {
				rc = -1;
				break;
			}
			continue;
		}
		free(name);
		int r = S_read_value(&y, k, m);
		if (r == -2) {
			rc = -1;
			goto out;
		}
		if (r < 0)
			rc = -1;
	}
out:
	strlist_free(&seen);
	yaml_event_delete(&y.ev);
	yaml_parser_delete(&y.parser);
	return rc;
}

/* ---------------------------------------------------------------------
 * Front matter, folders, paths
 * ------------------------------------------------------------------- */

/* Whether the line at s (up to \n or NUL) is exactly `mark`, spaces after
   allowed. Sets *next to the start of the following line. */
static int
S_is_line(const char *s, const char *mark, const char **next)
{
	size_t n = strlen(mark);
	if (strncmp(s, mark, n))
		return 0;
	const char *p = s + n;
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	if (*p && *p != '\n')
		return 0;
	*next = *p ? p + 1 : p;
	return 1;
}

int
meta_front_matter(const char *path, const char *text, struct meta *m, size_t *body,
                  size_t *body_line)
{
	*body = 0;
	*body_line = 1;
	const char *p;
	if (!S_is_line(text, "---", &p))
		return 0;
	const char *start = p;
	size_t line = 2;
	while (*p) {
		const char *next;
		if (S_is_line(p, "---", &next) || S_is_line(p, "...", &next)) {
			if (meta_parse(path, start, (size_t)(p - start), 2, m) < 0)
				return -1;
			*body = (size_t)(next - text);
			*body_line = line + 1;
			return 0;
		}
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
		line++;
	}
	diag_error(path, 1, 1,
	           "front matter opened here is never closed; end it with a '---' line, or "
	           "remove this line if the page has none");
	return -1;
}

const char *
meta_sniff_encoding(const char *bytes, size_t len, char *out, size_t outsz)
{
	if (len < 4 || memcmp(bytes, "---", 3) || (bytes[3] != '\n' && bytes[3] != '\r'))
		return NULL;
	const char *p = bytes + 3, *end = bytes + len;
	while (p < end) {
		while (p < end && (*p == '\n' || *p == '\r'))
			p++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol - p >= 3 && (!memcmp(p, "---", 3) || !memcmp(p, "...", 3)))
			return NULL;
		if (eol - p > 9 && !memcmp(p, "encoding:", 9)) {
			const char *v = p + 9, *ve = eol;
			while (v < ve && (*v == ' ' || *v == '\t' || *v == '"' || *v == '\''))
				v++;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\r' || ve[-1] == '"' ||
			                  ve[-1] == '\'' || ve[-1] == '\t'))
				ve--;
			size_t n = (size_t)(ve - v);
			if (n == 0 || n >= outsz)
				return NULL;
			memcpy(out, v, n);
			out[n] = '\0';
			return out;
		}
		p = eol;
	}
	return NULL;
}

int
meta_read_folder(const char *dir, struct meta *m)
{
	struct buf path = BUF_INIT, raw = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, META_FOLDER_FILE);
	int rc = 0;
	int r = util_read_file(path.data, &raw, 0);
	if (r < 0) {
		rc = -1;
	} else if (r > 0) {
		const char *enc;
		struct enc_options o = {0};
		o.force = "UTF-8";
		rc = enc_decode(path.data, raw.data, raw.len, &o, &text, &enc);
		if (rc == 0)
			rc = meta_parse(path.data, text.data, text.len, 1, m);
	}
	buf_release(&path);
	buf_release(&raw);
	buf_release(&text);
	return rc;
}

int
meta_for_file(const char *content, const char *path, struct meta *m, const char **rel)
{
	size_t n = strlen(content);
	while (n > 1 && content[n - 1] == '/')
		n--;
	*rel = !strncmp(path, content, n) && path[n] == '/' ? path + n + 1 : NULL;
	struct buf dir = BUF_INIT;
	const char *slash = strrchr(path, '/');
	if (slash)
		buf_add(&dir, path, (size_t)(slash - path));
	else
		buf_adds(&dir, ".");
	int rc = 0;
	for (;;) {
		struct meta here = {0};
		if (meta_read_folder(dir.data, &here) < 0)
			rc = -1;
		meta_fill(m, &here);
		meta_free(&here);
		/* up to content/, and no further; outside it, one folder only */
		if (!*rel || dir.len <= n)
			break;
		char *up = strrchr(dir.data, '/');
		if (!up)
			break;
		buf_truncate(&dir, (size_t)(up - dir.data));
	}
	buf_release(&dir);
	return rc;
}

/* ---------------------------------------------------------------------
 * The path convention
 * ------------------------------------------------------------------- */

/* n digits at s, as a number; -1 when they are not all digits. */
static int
S_digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return n ? v : -1;
}

/* Writes y-m-d as YYYY-MM-DD into out; 1 when it is a real day. */
static int
S_ymd(int y, int m, int d, char out[11])
{
	if (y < 0 || m < 0 || d < 0 || y > 9999 || m > 99 || d > 99)
		return 0;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return meta_valid_date(out);
}

/*
 * A date written as a folder or at the start of a file name: 2024-03-12,
 * 20240312, 2024_03_12. Sets *used to the bytes it takes; returns 1 for a
 * real day, -1 for something shaped like a date that is none (2024-02-30,
 * 2024-4-9), 0 for no date at all.
 */
static int
S_path_date(const char *s, size_t len, char out[11], size_t *used)
{
	if (len >= 10 && (s[4] == '-' || s[4] == '_' || s[4] == '.') && s[7] == s[4]) {
		*used = 10;
		int ok = S_ymd(S_digits(s, 4), S_digits(s + 5, 2), S_digits(s + 8, 2), out);
		return ok ? 1 : S_digits(s, 4) >= 0 ? -1 : 0;
	}
	if (len >= 8 && S_digits(s, 8) >= 0 && (len == 8 || S_digits(s + 8, 1) < 0)) {
		*used = 8;
		return S_ymd(S_digits(s, 4), S_digits(s + 4, 2), S_digits(s + 6, 2), out) ? 1 : -1;
	}
	/* 2024-4-9: a date, written short */
	size_t i = 0;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 4 && i < len && s[i] == '-') {
		size_t j = i + 1;
		while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == '-'))
			j++;
		if (j == len && j > i + 1) {
			*used = len;
			return -1;
		}
	}
	return 0;
}

/* The page in a file's stem: A01, 01 from 01版 or 第01版, as printed. */
static void
S_path_page(const char *s, size_t len, struct meta *m)
{
	size_t di = strlen("第");
	if (len >= di && !strncmp(s, "第", di))
		s += di, len -= di;
	size_t ban = strlen("版");
	if (len > ban && !strncmp(s + len - ban, "版", ban))
		len -= ban;
	if (len && !m->page)
		m->page = xstrndup(s, len);
}

/* The page in a file's name after its date (2024-03-12_A01: A01), of the
   len bytes at s, the date taking the first used. */
static void
S_path_page_after(const char *s, size_t len, size_t used, struct meta *m)
{
	const char *rest = s + used;
	size_t rl = len - used;
	while (rl && (*rest == '_' || *rest == '-' || *rest == ' '))
		rest++, rl--;
	S_path_page(rest, rl, m);
}

int
meta_from_path(const char *rel, struct meta *m)
{
	/* the components, the file's stem last */
	const char *c[64];
	size_t len[64], n = 0;
	for (const char *p = rel; *p && n < 64;) {
		size_t l = strcspn(p, "/");
		c[n] = p, len[n] = l, n++;
		p += l + (p[l] == '/');
	}
	/* a Markdown file is no printed page: its name gives no page */
	int markdown = n > 0 && len[n - 1] > 3 && !memcmp(c[n - 1] + len[n - 1] - 3, ".md", 3);
	if (n == 0 || len[n - 1] <= 4 - (size_t)markdown)
		return 0;
	len[n - 1] -= markdown ? 3 : 4; /* .md, .txt */
	char date[11] = "", d2[11];
	size_t used = 0, folder_used = 0; /* the bytes a date takes in the name, the folder */
	size_t paper = n; /* the component naming the paper, if any */
	int bad = 0;
	/* a date in the file's name: 2024-03-12_A01.txt */
	int in_name = S_path_date(c[n - 1], len[n - 1], d2, &used), r = in_name;
	if (r > 0) {
		memcpy(date, d2, sizeof date);
		if (!markdown)
			S_path_page_after(c[n - 1], len[n - 1], used, m);
		paper = n >= 2 ? n - 2 : n;
	} else if (n >= 2 && (r = S_path_date(c[n - 2], len[n - 2], d2, &folder_used)) != 0 &&
	           folder_used == len[n - 2]) {
		/* <paper>/<2024-03-12 or 20240312>/<page>.txt */
		if (r > 0)
			memcpy(date, d2, sizeof date);
		bad = r < 0;
		paper = n >= 3 ? n - 3 : n;
	} else if (n >= 4 && len[n - 4] == 4 && len[n - 3] == 2 && len[n - 2] == 2 &&
	           S_digits(c[n - 4], 4) >= 0 && S_digits(c[n - 3], 2) >= 0 &&
	           S_digits(c[n - 2], 2) >= 0) {
		/* <paper>/2024/03/12/<page>.txt */
		bad = !S_ymd(S_digits(c[n - 4], 4), S_digits(c[n - 3], 2), S_digits(c[n - 2], 2),
		             date);
		if (bad)
			date[0] = '\0';
		paper = n >= 5 ? n - 5 : n;
	} else if (in_name < 0) {
		/* <paper>/<2024-02-30>_<page>.txt: the name's date is none */
		bad = 1;
		if (!markdown)
			S_path_page_after(c[n - 1], len[n - 1], used, m);
		paper = n >= 2 ? n - 2 : n;
	} else {
		return 0;
	}
	if (!date[0] && !bad)
		return 0;
	/* a date that is none still says where the paper and page are */
	if (in_name == 0 && !markdown)
		S_path_page(c[n - 1], len[n - 1], m);
	if (!m->paper && paper < n)
		m->paper = xstrndup(c[paper], len[paper]);
	if (!date[0])
		return -1; /* never a silently undated page */
	if (!m->date)
		m->date = xstrdup(date);
	return 0;
}

const char *
meta_section_of(const struct meta *m, const char *page)
{
	/* 01 is 1, A01 is A1: compare the printed numbers as numbers */
	for (size_t i = 0; page && i < m->sections.n; i++) {
		const char *e = m->sections.v[i], *tab = strchr(e, '\t');
		if (!tab)
			continue;
		const char *a = e, *b = page;
		size_t al = (size_t)(tab - e), bl = strlen(page);
		while (al && bl && !(*a >= '0' && *a <= '9') && (*a | 0x20) == (*b | 0x20))
			a++, b++, al--, bl--;
		while (al > 1 && *a == '0')
			a++, al--;
		while (bl > 1 && *b == '0')
			b++, bl--;
		if (al == bl && !memcmp(a, b, al))
			return tab + 1;
	}
	return NULL;
}

json_t *
meta_to_json(const struct meta *m)
{
	json_t *sections = json_object();
	for (size_t i = 0; i < m->sections.n; i++) {
		const char *e = m->sections.v[i], *tab = strchr(e, '\t');
		if (tab) {
			char *key = xstrndup(e, (size_t)(tab - e));
			json_object_set_new(sections, key, json_string(tab + 1));
			free(key);
		}
	}
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "title", mujson_str(m->title),
	                 "date", mujson_str(m->date), "paper", mujson_str(m->paper), "page",
	                 mujson_str(m->page), "section", mujson_str(m->section), "district",
	                 mujson_str(m->district), "reporters", mujson_strlist(&m->reporters),
	                 "tags", mujson_strlist(&m->tags), "encoding", mujson_str(m->encoding),
	                 "sections", sections);
}
