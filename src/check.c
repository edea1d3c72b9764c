#include "check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

static int
S_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
check_link(const char *root, const char *relpath, const char *href, size_t len, int pretty,
           const char **why)
{
	/* external: a scheme (http:, mailto:, data:), //host, or #fragment */
	size_t i = 0;
	while (i < len &&
	       (href[i] == '+' || href[i] == '-' || href[i] == '.' ||
	        (href[i] >= 'a' && href[i] <= 'z') || (href[i] >= 'A' && href[i] <= 'Z') ||
	        (i > 0 && href[i] >= '0' && href[i] <= '9')))
		i++;
	if ((i > 0 && i < len && href[i] == ':') ||
	    (len >= 2 && href[0] == '/' && href[1] == '/') || (len > 0 && href[0] == '#'))
		return 1;
	if (len > 0 && href[0] == '/') {
		*why = "root-relative link, which breaks when the archive is opened from disk";
		return -1;
	}
	/* the path part, percent-decoded */
	struct buf path = BUF_INIT;
	const char *dirend = strrchr(relpath, '/');
	if (dirend)
		buf_add(&path, relpath, (size_t)(dirend - relpath) + 1);
	for (i = 0; i < len && href[i] != '?' && href[i] != '#'; i++) {
		if (href[i] == '%' && i + 2 < len && S_hexval(href[i + 1]) >= 0 &&
		    S_hexval(href[i + 2]) >= 0) {
			buf_addc(&path, S_hexval(href[i + 1]) * 16 + S_hexval(href[i + 2]));
			i += 2;
		} else {
			buf_addc(&path, href[i]);
		}
	}
	int rc = -1;
	if (i == 0) {
		rc = 0; /* "" or "?q": this same file */
		goto out;
	}
	/* resolve . and .. ; going above the root is broken */
	struct buf norm = BUF_INIT;
	const char *p = path.data;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (norm.len == 0) {
				*why = "points above the archive's root";
				buf_release(&norm);
				goto out;
			}
			size_t k = norm.len - 1;
			while (k > 0 && norm.data[k - 1] != '/')
				k--;
			buf_truncate(&norm, k);
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			buf_add(&norm, p, n);
			if (e)
				buf_addc(&norm, '/');
		}
		p = e ? e + 1 : p + n;
	}
	struct buf full = BUF_INIT;
	buf_printf(&full, "%s/%s", root, norm.data);
	struct stat st;
	int is_dir = norm.len == 0 || norm.data[norm.len - 1] == '/' ||
	             (stat(full.data, &st) == 0 && S_ISDIR(st.st_mode));
	if (is_dir && pretty) {
		buf_adds(&full, full.data[full.len - 1] == '/' ? "index.html" : "/index.html");
		if (stat(full.data, &st) == 0 && S_ISREG(st.st_mode))
			rc = 0;
		else
			*why = "points at a directory without an index.html";
	} else if (is_dir)
		*why = "points at a directory; link to its index.html so it opens from disk";
	else if (stat(full.data, &st) < 0)
		*why = "no such file";
	else
		rc = 0;
	buf_release(&full);
	buf_release(&norm);
out:
	buf_release(&path);
	return rc;
}

/* Checks every href= and src= attribute in one HTML file. */
static void
S_check_file(const char *root, const char *rel, const char *text, int pretty,
             struct check_result *r)
{
	size_t line = 1;
	const char *lstart = text;
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			line++;
			lstart = p + 1;
			continue;
		}
		size_t alen;
		if (!strncasecmp(p, "href", 4))
			alen = 4;
		else if (!strncasecmp(p, "src", 3))
			alen = 3;
		else
			continue;
		/* an attribute name: preceded by whitespace, followed by = */
		if (p == text || !strchr(" \t\n", p[-1]))
			continue;
		const char *q = p + alen;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '=')
			continue;
		q++;
		while (*q == ' ' || *q == '\t')
			q++;
		const char *v, *ve;
		if (*q == '"' || *q == '\'') {
			v = q + 1;
			ve = strchr(v, *q);
			if (!ve)
				return;
		} else {
			v = q;
			ve = v + strcspn(v, " \t\n>");
		}
		const char *why = NULL;
		int res = check_link(root, rel, v, (size_t)(ve - v), pretty, &why);
		if (res <= 0)
			r->links++;
		if (res < 0) {
			r->broken++;
			struct buf where = BUF_INIT;
			buf_printf(&where, "%s/%s", root, rel);
			diag_error(where.data, line, txt_col(lstart, (size_t)(v - lstart)),
			           "broken link '%.*s': %s", (int)(ve - v), v, why);
			buf_release(&where);
		}
		p = ve;
		if (!*p)
			break;
	}
}

static int
S_walk(const char *root, const char *rel, int pretty, struct check_result *r, int depth)
{
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s%s%s", root, *rel ? "/" : "", rel);
	size_t n;
	char **names = util_list_dir(dir.data, 1, &n);
	buf_release(&dir);
	if (!names)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *name = names[i];
		struct buf sub = BUF_INIT, full = BUF_INIT;
		buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", name);
		buf_printf(&full, "%s/%s", root, sub.data);
		struct stat st;
		if (lstat(full.data, &st) < 0) {
			diag_error(full.data, 0, 0, "cannot stat: %s", strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode) && depth < 64) {
			rc = S_walk(root, sub.data, pretty, r, depth + 1);
		} else if (S_ISREG(st.st_mode) && sub.len > 5 &&
		           !strcmp(sub.data + sub.len - 5, ".html")) {
			struct buf text = BUF_INIT;
			if (util_read_file(full.data, &text, 1) > 0) {
				r->files++;
				S_check_file(root, sub.data, text.data, pretty, r);
			} else {
				rc = -1;
			}
			buf_release(&text);
		}
		buf_release(&sub);
		buf_release(&full);
	}
	util_free_names(names, n);
	return rc;
}

int
check_links(const char *dir, int pretty, struct check_result *r)
{
	memset(r, 0, sizeof *r);
	return S_walk(dir, "", pretty, r, 0);
}
