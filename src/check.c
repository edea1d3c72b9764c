#include "check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <gumbo.h>

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

/* Whether path, its links followed, lies inside root. */
static int
S_inside(const char *root, const char *path)
{
	char *r = realpath(root, NULL), *p = realpath(path, NULL);
	size_t n = r ? strlen(r) : 0;
	int in = r && p && !strncmp(p, r, n) && (p[n] == '/' || p[n] == '\0');
	free(r);
	free(p);
	return in;
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
	else if (!S_inside(root, full.data))
		*why = "points outside the archive (through a symbolic link)";
	else
		rc = 0;
	buf_release(&full);
	buf_release(&norm);
out:
	buf_release(&path);
	return rc;
}

/* Reports one broken link at the position of its value in the file. */
static void
S_broken(const char *root, const char *rel, const char *text, size_t len, const GumboAttribute *at,
         const char *why)
{
	size_t off = at->value_start.offset;
	if (off < len && (text[off] == '"' || text[off] == '\''))
		off++; /* past the quote */
	if (off > len)
		off = len;
	size_t ls = off;
	while (ls > 0 && text[ls - 1] != '\n')
		ls--;
	struct buf where = BUF_INIT;
	buf_printf(&where, "%s/%s", root, rel);
	diag_error(where.data, at->value_start.line, txt_col(text + ls, off - ls),
	           "broken link '%s': %s", at->value, why);
	buf_release(&where);
}

/*
 * Checks the href and src of every element of one HTML file, read as a
 * browser reads it (gumbo): what only looks like a link in escaped text,
 * a comment or a script is none, and a NUL byte stops nothing.
 */
static void
S_check_file(const char *root, const char *rel, const char *text, size_t len, int pretty,
             struct check_result *r)
{
	GumboOutput *doc = gumbo_parse_with_options(&kGumboDefaultOptions, text, len);
	/* the tree, walked with a stack of its own: pages may nest deep */
	const GumboNode **stack = NULL;
	size_t n = 0, cap = 0;
	stack = xgrow(stack, &cap, n, sizeof *stack, 64);
	stack[n++] = doc->root;
	while (n > 0) {
		const GumboNode *node = stack[--n];
		if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
			continue;
		const GumboElement *el = &node->v.element;
		for (unsigned i = 0; i < el->attributes.length; i++) {
			const GumboAttribute *at = el->attributes.data[i];
			if (strcasecmp(at->name, "href") && strcasecmp(at->name, "src"))
				continue;
			const char *why = NULL;
			int res = check_link(root, rel, at->value, strlen(at->value), pretty, &why);
			if (res <= 0)
				r->links++;
			if (res < 0) {
				r->broken++;
				S_broken(root, rel, text, len, at, why);
			}
		}
		/* children in reverse, so they come off the stack in order */
		for (unsigned i = el->children.length; i-- > 0;) {
			stack = xgrow(stack, &cap, n, sizeof *stack, 64);
			stack[n++] = el->children.data[i];
		}
	}
	free(stack);
	gumbo_destroy_output(&kGumboDefaultOptions, doc);
}

static int
S_walk(const char *root, const char *rel, int pretty, struct check_result *r)
{
	struct buf dir = BUF_INIT;
	buf_printf(&dir, "%s%s%s", root, *rel ? "/" : "", rel);
	size_t n;
	char **names = util_list_dir(dir.data, 1, &n);
	buf_release(&dir);
	if (!names)
		return -1;
	int rc = 0; /* a file that cannot be read fails the check, after the rest */
	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];
		struct buf sub = BUF_INIT, full = BUF_INIT;
		buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", name);
		buf_printf(&full, "%s/%s", root, sub.data);
		struct stat st;
		if (lstat(full.data, &st) < 0) {
			diag_error(full.data, 0, 0, "cannot stat: %s", strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (S_walk(root, sub.data, pretty, r) < 0)
				rc = -1;
		} else if (S_ISREG(st.st_mode) && sub.len > 5 &&
		           !strcmp(sub.data + sub.len - 5, ".html")) {
			struct buf text = BUF_INIT;
			if (util_read_file(full.data, &text, 1) > 0) {
				r->files++;
				S_check_file(root, sub.data, text.data, text.len, pretty, r);
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
	return S_walk(dir, "", pretty, r);
}
