#include "markdown.h"

#include <cmark.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "text.h"
#include "xalloc.h"

/* cmark 0.29 made safe rendering the default (CMARK_OPT_UNSAFE undoes
   it); earlier ones need CMARK_OPT_SAFE, which later ones accept. */
#define S_OPTS (CMARK_OPT_DEFAULT | CMARK_OPT_SAFE)

/* A node to take out after the walk (cmark's iterator allows no
   changes to the tree under it), its children left in its place when
   unwrap is set. */
struct doomed {
	cmark_node *node;
	int unwrap;
};

/* A rendering under way. */
struct md_run {
	const struct md_options *o;
	const char *text;
	size_t len;
	struct md_doc *d;
	size_t capblocks, capassets;
	struct doomed *doomed; /* nodes to take out once the walk is over */
	size_t ndoomed, capdoomed;
};

/* ---------------------------------------------------------------------
 * Positions
 * ------------------------------------------------------------------- */

/* The file's line and column (in characters) of cmark's line and byte
   column in the text; a node without a position (0) gives the line's. */
static void
S_where(const struct md_run *r, int line, int bytecol, size_t *fline, size_t *fcol)
{
	*fline = line > 0 ? (size_t)line + r->o->first_line - 1 : r->o->first_line;
	*fcol = 0;
	if (line <= 0 || bytecol <= 0)
		return;
	const char *p = r->text, *end = r->text + r->len;
	for (int l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	size_t avail = (size_t)(end - p), n = (size_t)bytecol - 1;
	*fcol = txt_col(p, n < avail ? n : avail);
}

/* The position of node: cmark gives blocks theirs, not inlines, so an
   inline is looked for by its text (a URL, a tag) from its block's first line,
   else it is at its block's. */
static void
S_node_where(const struct md_run *r, cmark_node *node, size_t *line, size_t *col)
{
	cmark_node *n = node;
	while (n && (cmark_node_get_start_line(n) <= 0 ||
	             cmark_node_get_type(n) >= CMARK_NODE_FIRST_INLINE))
		n = cmark_node_parent(n);
	int bline = n ? cmark_node_get_start_line(n) : 0;
	S_where(r, bline, n == node ? cmark_node_get_start_column(n) : 0, line, col);
	const char *url = n == node ? NULL
	                  : cmark_node_get_type(node) == CMARK_NODE_HTML_INLINE
	                      ? cmark_node_get_literal(node)
	                      : cmark_node_get_url(node);
	if (!url || !*url || bline <= 0)
		return;
	const char *p = r->text, *end = r->text + r->len;
	for (int l = 1; l < bline && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	size_t ul = strlen(url);
	for (const char *q = p; q + ul <= end; q++) {
		if (memcmp(q, url, ul))
			continue;
		int l = bline;
		for (const char *k = p; k < q; k++)
			if (*k == '\n') {
				l++;
				p = k + 1;
			}
		S_where(r, l, (int)(q - p) + 1, line, col);
		return;
	}
}

/* Reports a warning at line:col of the file, unless told to be quiet. */
static void __attribute__((format(printf, 4, 5)))
S_warn(const struct md_run *r, size_t line, size_t col, const char *fmt, ...)
{
	if (r->o->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	struct buf msg = BUF_INIT;
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_warning(r->o->path, line, col, "%s", msg.data);
	buf_release(&msg);
}

/* ---------------------------------------------------------------------
 * URLs
 * ------------------------------------------------------------------- */

int
md_unsafe_url(const char *url)
{
	static const char *const schemes[] = {"javascript:", "vbscript:", "data:", "file:"};
	char head[16];
	size_t n = 0;
	/* browsers skip whitespace and control characters in a scheme */
	for (const unsigned char *p = (const unsigned char *)url; *p && n < sizeof head - 1; p++) {
		if (*p <= 0x20 || *p == 0x7f)
			continue;
		head[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		if (*p == ':')
			break;
	}
	head[n] = '\0';
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
		if (!strncmp(head, schemes[i], strlen(schemes[i])))
			return 1;
	return 0;
}

/* Whether url names its own scheme (http:, mailto:) or is protocol-
   relative (//host): then it is left as it is. */
static int
S_absolute(const char *url)
{
	if (url[0] == '/' && url[1] == '/')
		return 1;
	const char *p = url;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

static int
S_hex(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/*
 * The path under content/ of the relative URL path (n bytes, %XX
 * decoded) seen from folder: "." and ".." resolved. Returns 0, or -1 when
 * it leaves content/ or names nothing.
 */
static int
S_resolve(const char *folder, const char *path, size_t n, struct buf *out)
{
	struct buf raw = BUF_INIT;
	if (path[0] != '/' && *folder)
		buf_printf(&raw, "%s/", folder);
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (path[i] == '%' && i + 2 < n && (hi = S_hex((unsigned char)path[i + 1])) >= 0 &&
		    (lo = S_hex((unsigned char)path[i + 2])) >= 0 && (hi || lo)) {
			buf_addc(&raw, hi * 16 + lo);
			i += 2;
		} else {
			buf_addc(&raw, path[i]);
		}
	}
	buf_reset(out);
	int rc = 0;
	const char *p = raw.data;
	while (rc == 0 && *p) {
		size_t k = strcspn(p, "/");
		if ((k == 1 && p[0] == '.') || k == 0) {
			/* nothing */
		} else if (k == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = out->len ? strrchr(out->data, '/') : NULL;
			if (!out->len)
				rc = -1;
			else
				buf_truncate(out, slash ? (size_t)(slash - out->data) : 0);
		} else {
			if (out->len)
				buf_addc(out, '/');
			buf_add(out, p, k);
		}
		p += k + (p[k] == '/');
	}
	if (!out->len || strlen(out->data) != out->len)
		rc = -1; /* nothing, or a %00 */
	buf_release(&raw);
	return rc;
}

/* Appends s percent-encoded but for unreserved characters and '/'. */
static void
S_encode(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			buf_addc(b, *p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

/* ---------------------------------------------------------------------
 * The walk
 * ------------------------------------------------------------------- */

static void
S_doom(struct md_run *r, cmark_node *node, int unwrap)
{
	r->doomed = xgrow(r->doomed, &r->capdoomed, r->ndoomed, sizeof *r->doomed, 8);
	r->doomed[r->ndoomed++] = (struct doomed){node, unwrap};
}

/* A link or image whose URL must go: a link keeps its text in its
   place, an image goes with its description. */
static void
S_drop_link(struct md_run *r, cmark_node *node)
{
	S_doom(r, node, cmark_node_get_type(node) == CMARK_NODE_LINK);
}

/* Takes the doomed nodes out, the last found first, so that one inside
   another goes before it. */
static void
S_bury(struct md_run *r)
{
	for (size_t i = r->ndoomed; i-- > 0;) {
		cmark_node *node = r->doomed[i].node, *c;
		while (r->doomed[i].unwrap && (c = cmark_node_first_child(node)))
			cmark_node_insert_before(node, c);
		cmark_node_free(node);
	}
	free(r->doomed);
	r->doomed = NULL;
}

/* Records a file the text links to. */
static void
S_add_asset(struct md_run *r, const char *rel, size_t line, size_t col)
{
	struct md_doc *d = r->d;
	for (size_t i = 0; i < d->nassets; i++)
		if (!strcmp(d->assets[i].rel, rel))
			return;
	d->assets = xgrow(d->assets, &r->capassets, d->nassets, sizeof *d->assets, 4);
	d->assets[d->nassets++] = (struct md_asset){xstrdup(rel), line, col};
}

/* A link's or image's URL: kept, pointed at the copy of what it links
   to, or dropped. */
static void
S_link(struct md_run *r, cmark_node *node)
{
	const char *url = cmark_node_get_url(node);
	size_t line, col;
	S_node_where(r, node, &line, &col);
	const char *what = cmark_node_get_type(node) == CMARK_NODE_LINK ? "link" : "image";
	if (!url || !*url || url[0] == '#' || url[0] == '?')
		return;
	if (md_unsafe_url(url)) {
		S_warn(r, line, col,
		       "%s to '%.40s' removed: Markdown may not "
		       "link to javascript:, vbscript:, data: or file: URLs",
		       what, url);
		S_drop_link(r, node);
		return;
	}
	if (S_absolute(url))
		return;
	size_t n = strcspn(url, "?#");
	struct buf rel = BUF_INIT, out = BUF_INIT;
	if (S_resolve(r->o->folder, url, n, &rel) < 0) {
		S_warn(r, line, col, "%s to '%.60s' removed: it leads outside content/", what, url);
		S_drop_link(r, node);
		goto out;
	}
	S_add_asset(r, rel.data, line, col);
	buf_printf(&out, "%s%s/", r->o->root, MD_MEDIA);
	S_encode(&out, rel.data);
	buf_adds(&out, url + n);
	cmark_node_set_url(node, out.data);
out:
	buf_release(&rel);
	buf_release(&out);
}

/* The plain text under node, soft breaks as nothing between Chinese
   characters and as a space elsewhere. */
static void
S_plain(cmark_node *node, struct buf *b)
{
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
			buf_adds(b, cmark_node_get_literal(c));
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			size_t k;
			uint32_t prev = b->len ? txt_decode_prev(b->data, b->len, &k) : 0;
			if (prev && !txt_is_cjk(prev))
				buf_addc(b, ' ');
		} else {
			S_plain(c, b);
		}
	}
}

static void
S_add_block(struct md_run *r, cmark_node *node, int heading)
{
	struct buf b = BUF_INIT;
	if (cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK)
		buf_adds(&b, cmark_node_get_literal(node));
	else
		S_plain(node, &b);
	while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
		buf_truncate(&b, b.len - 1);
	if (!b.len) {
		buf_release(&b);
		return;
	}
	struct md_doc *d = r->d;
	size_t line, col;
	S_node_where(r, node, &line, &col);
	d->blocks = xgrow(d->blocks, &r->capblocks, d->nblocks, sizeof *d->blocks, 8);
	d->blocks[d->nblocks++] = (struct md_block){heading, buf_detach(&b, NULL), line};
}

/* Whether the text before a soft break ends in a Chinese character or
   punctuation mark: the break then joins the lines without a space, as
   a reader of Chinese expects (a browser shows a line end as one). */
static int
S_after_cjk(cmark_node *node)
{
	cmark_node *prev = cmark_node_previous(node);
	const char *s = prev && cmark_node_get_type(prev) == CMARK_NODE_TEXT
	                    ? cmark_node_get_literal(prev)
	                    : NULL;
	size_t len = s ? strlen(s) : 0, k;
	return len && txt_is_cjk(txt_decode_prev(s, len, &k));
}

/* Visits every node once, on entering it. */
static void
S_walk(struct md_run *r, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		size_t line, col;
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			S_node_where(r, node, &line, &col);
			S_warn(r, line, col, "raw HTML is not allowed in Markdown; dropped");
			S_doom(r, node, 0);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE: S_link(r, node); break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_CODE_BLOCK: S_add_block(r, node, 0); break;
		case CMARK_NODE_HEADING: S_add_block(r, node, 1); break;
		case CMARK_NODE_SOFTBREAK:
			if (S_after_cjk(node))
				S_doom(r, node, 0); /* a line end in Chinese text is no space */
			break;
		default: break;
		}
	}
	cmark_iter_free(it);
}

/* The opening heading, taken out of the body as the title. */
static void
S_take_title(struct md_run *r, cmark_node *doc)
{
	cmark_node *first = cmark_node_first_child(doc);
	if (!first || cmark_node_get_type(first) != CMARK_NODE_HEADING)
		return;
	struct buf b = BUF_INIT;
	S_plain(first, &b);
	if (b.len) {
		r->d->title = buf_detach(&b, NULL);
		cmark_node_free(first); /* unlinks it */
	}
	buf_release(&b);
}

void
md_render(const char *text, size_t len, const struct md_options *o, struct md_doc *d)
{
	memset(d, 0, sizeof *d);
	struct md_run r = {.o = o, .text = text, .len = len, .d = d};
	cmark_node *doc = cmark_parse_document(text, len, S_OPTS);
	if (o->take_title)
		S_take_title(&r, doc);
	S_walk(&r, doc);
	S_bury(&r);
	char *html = cmark_render_html(doc, S_OPTS);
	d->html = xstrdup(html);
	free(html);
	cmark_node_free(doc);
}

void
md_doc_free(struct md_doc *d)
{
	free(d->html);
	free(d->title);
	for (size_t i = 0; i < d->nblocks; i++)
		free(d->blocks[i].text);
	free(d->blocks);
	for (size_t i = 0; i < d->nassets; i++)
		free(d->assets[i].rel);
	free(d->assets);
	memset(d, 0, sizeof *d);
}

int
md_is_markdown(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && !strcmp(name + n - 3, ".md");
}
