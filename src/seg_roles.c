/*
 * seg_roles: a page's text cut into blocks, and the role of each block
 * read from its own text: what a reader sees at a glance before reading
 * on (a header, a label, a byline, a headline-shaped line, body text).
 */
#include <stdlib.h>
#include <string.h>

#include "repair.h"
#include "seg_int.h"
#include "text.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * Page numbers and continuation markers
 * ------------------------------------------------------------------- */

int
seg_page_number(const char *s, size_t len)
{
	static const char *const digits[] = {"零", "一", "二", "三", "四", "五",
	                                     "六", "七", "八", "九", "十"};
	int n = 0, cur = 0, any = 0;
	size_t i = 0;
	while (i < len) {
		if (s[i] >= '0' && s[i] <= '9') {
			n = n * 10 + (s[i] - '0');
			any = 1;
			i++;
			if (n > 9999)
				return 0;
			continue;
		}
		int d = -1;
		for (int k = 0; k <= 10; k++)
			if (seg_starts(s + i, len - i, digits[k])) {
				d = k;
				break;
			}
		if (d < 0)
			return 0;
		any = 1;
		if (d == 10) /* 十: "十" 10, "十二" 12, "二十" 20 */
			cur = (cur ? cur : 1) * 10, n += cur, cur = 0;
		else
			cur = d;
		i += strlen(digits[d]);
	}
	return any ? n + cur : 0;
}

/* Skips an opening bracket at s[*i]; returns the closing one to expect. */
static const char *
S_open_bracket(const char *s, size_t len, size_t *i)
{
	if (*i < len && s[*i] == '(')
		return (*i)++, ")";
	if (seg_starts(s + *i, len - *i, "（"))
		return *i += strlen("（"), "）";
	return NULL;
}

enum seg_marker
seg_marker_at(const char *s, size_t len, struct seg_ref *ref, size_t *used)
{
	size_t i = 0, k, near = len < 24 ? len : 24;
	if (!seg_find(s, near, "接") && !seg_find(s, near, "转"))
		return M_NONE; /* every marker says 上接 or 转 near its start */
	seg_skip_spaces(s, len, &i);
	if (seg_starts(s + i, len - i, "◀") || seg_starts(s + i, len - i, "▶"))
		i += strlen("◀"), seg_skip_spaces(s, len, &i);
	const char *close = S_open_bracket(s, len, &i);
	enum seg_marker m = M_NONE;
	if (seg_starts(s + i, len - i, "上接"))
		m = M_UP, i += strlen("上接");
	else if (seg_starts(s + i, len - i, "下转"))
		m = M_DOWN, i += strlen("下转");
	else if (seg_starts(s + i, len - i, "转"))
		m = M_DOWN, i += strlen("转");
	else
		return M_NONE;
	if (seg_starts(s + i, len - i, "第"))
		i += strlen("第");
	memset(ref, 0, sizeof *ref);
	size_t letter = i;
	if (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
		i++;
	size_t num = i;
	while (i < len && !seg_starts(s + i, len - i, "版"))
		i += (txt_decode(s + i, len - i, &k), k);
	if (i >= len || i - num > 12)
		return M_NONE;
	ref->page = seg_page_number(s + num, i - num);
	if (ref->page <= 0)
		return M_NONE;
	if (num > letter && i - letter < sizeof ref->prefix) {
		memcpy(ref->prefix, s + letter, i - letter);
		ref->prefix[0] &= ~0x20; /* a06 is A06 */
	}
	i += strlen("版");
	if (close) {
		if (!seg_starts(s + i, len - i, close))
			return M_NONE;
		i += strlen(close);
	}
	*used = i;
	return m;
}

/* A block that is only a marker. */
static enum seg_marker
S_marker_line(const char *s, size_t len, struct seg_ref *ref)
{
	size_t used;
	enum seg_marker m = seg_marker_at(s, len, ref, &used);
	if (m == M_NONE)
		return M_NONE;
	seg_skip_spaces(s, len, &used);
	return used == len ? m : M_NONE;
}

enum seg_marker
seg_marker_end(const char *s, size_t len, struct seg_ref *ref, size_t *start)
{
	const char *p = NULL;
	for (const char *q = s; (q = seg_find(q, len - (size_t)(q - s), "转")); q++)
		p = q;
	if (!p)
		return M_NONE;
	/* back to the bracket or 下 before 转 */
	size_t i = (size_t)(p - s), k;
	for (int step = 0; step < 2 && i > 0; step++) {
		uint32_t c = txt_decode_prev(s, i, &k);
		if (c == '(' || c == 0xFF08 || c == 0x4E0B /* 下 */)
			i -= k;
		else
			break;
	}
	size_t used;
	enum seg_marker m = seg_marker_at(s + i, len - i, ref, &used);
	size_t end = i + used;
	seg_skip_spaces(s, len, &end);
	if (m != M_DOWN || end != len)
		return M_NONE;
	*start = i;
	return m;
}

/* ---------------------------------------------------------------------
 * Roles
 * ------------------------------------------------------------------- */

const char *
seg_role_name(enum seg_role r)
{
	static const char *const names[] = {
	    "body",   "blank", "header", "editor", "label",  "marker",   "heading", "notice",
	    "byline", "stub",  "credit", "names",  "kicker", "subtitle", "short",
	};
	return names[r];
}

/* Whether b is one short line left open (no sentence ended at its end
   or inside it): what a headline looks like. */
static int
S_open_line(const struct block *b)
{
	return b->lines == 1 && b->chars <= SEG_HEADLINE_MAX && !b->final && !b->prose;
}

int
seg_headline_shape(const struct block *b)
{
	if (seg_starts_any(b->text, b->len, seg_bullets, seg_nbullets) >= 0)
		return 0; /* a broken byline, not a headline */
	/* a headline of one short word reads like a name: 消息标题 */
	return b->role == R_SHORT || b->role == R_LABEL ||
	       (b->role == R_NAMES && !seg_find(b->text, b->len, " ")) ||
	       (b->role == R_BODY && S_open_line(b));
}

/* Whether s opens with a word that makes it body text: 编者按, 问：. */
static int
S_body_opener(const char *s, size_t len)
{
	return seg_starts_any(s, len, seg_body_openers, seg_nbody_openers) >= 0;
}

static int
S_holds_any(const char *s, size_t len, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (seg_find(s, len, words[i]))
			return 1;
	return 0;
}

static int
S_ends_colon(const char *s, size_t len)
{
	return seg_ends(s, len, ":") || seg_ends(s, len, "：");
}

/*
 * The role of text s (lines lines long) on its own. top: nothing but
 * headers and labels came before it on the page, so a paper's name alone
 * is a header. Fills head from header and editor lines.
 */
static enum seg_role
S_role(struct block *b, int top, struct seg_head *head)
{
	const char *s = b->text;
	size_t len = b->len;
	struct seg_people tmp = {0};
	enum seg_role r = R_BODY;
	size_t used;
	int brief = b->chars <= SEG_BRIEF_MAX; /* bylines, credits, headers are short */
	int people = 0, roles = 0;
	b->why = "text";
	if ((b->marker = S_marker_line(s, len, &b->ref)) != M_NONE) {
		r = R_MARKER, b->why = b->marker == M_UP ? "上接 marker" : "下转 marker";
	} else if (s[0] == '#') {
		int lv = 0;
		while (lv < (int)len && s[lv] == '#')
			lv++;
		if (lv < (int)len && (s[lv] == ' ' || s[lv] == '\t') && lv <= 6)
			r = R_HEADING, b->md_level = lv, b->why = "Markdown heading";
	} else if (brief && b->lines == 1 && seg_header_line(s, len, !top, head)) {
		r = R_HEADER, b->why = "paper, date or page (版)";
	} else if (brief && b->lines <= 2 && seg_editor_line(s, len, &head->editors)) {
		r = R_EDITOR, b->why = "editor's title and names";
	} else if (b->chars <= 40 && S_holds_any(s, len, seg_notice_words, seg_nnotice_words)) {
		r = R_NOTICE, b->why = "notice word";
	} else if (S_body_opener(s, len)) {
		b->why = "opens like body text (编者按, 问：)";
	} else if (seg_marker_at(s, len, &b->ref, &used) == M_UP) {
		b->why = "text after a 上接 marker";
	} else if (brief && (people = seg_people_line(s, len, &tmp, &roles)) && roles &&
	           seg_people_photo(&tmp) && !seg_people_text(&tmp)) {
		r = R_CREDIT, b->why = "photo credit (摄)";
	} else if (brief && seg_org_credit(s, len)) {
		r = R_CREDIT, b->why = "photo credit (供图)";
	} else if (people && roles) {
		r = R_BYLINE, b->why = "role words and names";
	} else if (b->chars <= 8 && seg_byline_stub(s, len)) {
		r = R_STUB, b->why = "a byline cut off";
	} else if (b->lines == 1 && b->chars <= 16 && seg_label(s, len)) {
		r = R_LABEL, b->why = "section label word";
	} else if (people && !roles && b->lines == 1 && b->chars <= 30) {
		r = R_NAMES, b->why = "names only";
	} else if (b->lines == 1 && (seg_starts(s, len, "——") || seg_starts(s, len, "--")) &&
	           b->chars <= SEG_HEADLINE_MAX + 10) {
		r = R_SUBTITLE, b->why = "opens with ——";
	} else if (b->lines == 1 && b->chars <= SEG_KICKER_MAX && S_ends_colon(s, len)) {
		r = R_KICKER, b->why = "short, ends in a colon";
	} else if (S_open_line(b)) {
		r = R_SHORT, b->why = "short, no final punctuation";
	}
	seg_people_free(&tmp);
	return r;
}

/* Roles that are never part of a paragraph, wherever they stand. */
static int
S_furniture(enum seg_role r)
{
	return r == R_HEADER || r == R_EDITOR || r == R_MARKER || r == R_HEADING || r == R_BYLINE ||
	       r == R_STUB || r == R_CREDIT || r == R_LABEL;
}

/* ---------------------------------------------------------------------
 * Blocks
 * ------------------------------------------------------------------- */

struct cutter {
	struct block *v;
	size_t n, cap;
};

/* Whether a sentence ends inside s (len bytes) and another goes on
   after it: a 。 followed by more than a byline or credit closing the
   paragraph (…助推发展。 ■记者 X, …上市。(通讯员 X)). */
static int
S_sentence_inside(const char *s, size_t len)
{
	const char *stop = seg_find(s, len, "。");
	if (!stop)
		return 0;
	const char *rest = stop + strlen("。"), *end = s + len;
	while (rest < end && *rest == ' ')
		rest++;
	size_t left = (size_t)(end - rest);
	return left && seg_starts_any(rest, left, seg_bullets, seg_nbullets) < 0 && *rest != '(' &&
	       !seg_starts(rest, left, "（");
}

static void
S_measure(struct block *b)
{
	b->chars = txt_chars(b->text, b->len);
	b->final = rep_ends_sentence(b->text, b->len);
	b->prose = S_sentence_inside(b->text, b->len);
	if (!b->final && (seg_ends(b->text, b->len, ")") || seg_ends(b->text, b->len, "）"))) {
		/* "…上市。(通讯员 何 静)": a credit closing a finished sentence */
		struct seg_people tmp = {0};
		int bracketed;
		size_t at = seg_trailing_credit(b->text, b->len, &tmp, &bracketed);
		b->final = bracketed && at < b->len;
		seg_people_free(&tmp);
	}
}

static struct block *
S_push(struct cutter *c, const char *s, size_t len, size_t line, size_t last, size_t gap, int lines)
{
	c->v = xgrow(c->v, &c->cap, c->n, sizeof *c->v, 32);
	struct block *b = &c->v[c->n++];
	memset(b, 0, sizeof *b);
	b->text = xstrndup(s, len);
	b->len = len;
	b->line = line;
	b->last = last;
	b->gap = gap;
	b->lines = lines;
	S_measure(b);
	return b;
}

/* The role a line would have alone, for splitting a block. */
static enum seg_role
S_line_role(const char *s, size_t len, int top)
{
	struct block b = {.text = (char *)s, .len = len, .lines = 1};
	struct seg_head scratch = {0};
	S_measure(&b);
	enum seg_role r = S_role(&b, top, &scratch);
	seg_head_free(&scratch);
	return r;
}

/*
 * Adds one block of lines (text, n lines from line first, gap blank
 * lines before), split where a line is furniture: a byline or a header
 * printed with no blank line after it, a headline run into its text.
 */
static void
S_add_block(struct cutter *c, const char *text, size_t len, size_t first, size_t gap, int top)
{
	const char *line[64];
	size_t llen[64], n = 0;
	for (const char *p = text; p < text + len && n < 64;) {
		const char *e = memchr(p, '\n', (size_t)(text + len - p));
		size_t l = e ? (size_t)(e - p) : (size_t)(text + len - p);
		line[n] = p, llen[n] = l, n++;
		p += l + 1;
	}
	if (n < 2 || n == 64) {
		S_push(c, text, len, first, first + n - 1, gap, (int)n);
		return;
	}
	enum seg_role role[64];
	int names = 1;
	for (size_t i = 0; i < n; i++)
		role[i] = S_line_role(line[i], llen[i], top), names &= role[i] == R_NAMES;
	if (names) { /* a list: 富强 民主 / 文明 和谐 */
		S_push(c, text, len, first, first + n - 1, gap, (int)n);
		return;
	}
	size_t start = 0; /* first line of the run being kept together */
	int body_seen = 0;
	for (size_t i = 0; i < n; i++) {
		enum seg_role r = role[i];
		int lead = !body_seen && (r == R_SHORT || r == R_NAMES || r == R_KICKER ||
		                          r == R_SUBTITLE || r == R_NOTICE);
		if (lead && i + 1 == n && i > start)
			lead = 0; /* the short last line of a paragraph */
		if (!S_furniture(r) && !lead) {
			body_seen = 1;
			continue;
		}
		if (i > start) {
			size_t l = (size_t)(line[i - 1] + llen[i - 1] - line[start]);
			S_push(c, line[start], l, first + start, first + i - 1, start ? 0 : gap,
			       (int)(i - start));
		}
		S_push(c, line[i], llen[i], first + i, first + i, i ? 0 : gap, 1);
		start = i + 1;
		body_seen = 0;
	}
	if (start < n) {
		size_t l = (size_t)(text + len - line[start]);
		S_push(c, line[start], l, first + start, first + n - 1, start ? 0 : gap,
		       (int)(n - start));
	}
}

/* Cuts text into blocks separated by blank lines, lines trimmed. */
static void
S_cut(const char *text, size_t first_line, struct cutter *c)
{
	struct buf cur = BUF_INIT;
	size_t line = first_line, gap = 0, cur_line = 0, cur_gap = 0;
	int seen = 0;
	for (const char *p = text;;) {
		size_t ll = strcspn(p, "\n");
		const char *s = p;
		size_t l = ll;
		seg_trim(&s, &l);
		if (l) {
			if (!cur.len)
				cur_line = line, cur_gap = seen ? gap : 0;
			else
				buf_addc(&cur, '\n');
			buf_add(&cur, s, l);
			gap = 0;
		} else {
			if (cur.len) {
				S_add_block(c, cur.data, cur.len, cur_line, cur_gap, !seen);
				buf_reset(&cur);
				seen = 1;
			}
			gap++;
		}
		if (!p[ll])
			break;
		p += ll + 1;
		line++;
	}
	if (cur.len)
		S_add_block(c, cur.data, cur.len, cur_line, cur_gap, !seen);
	buf_release(&cur);
}

void
seg_blocks_read(const char *text, size_t first_line, struct seg_blocks *out)
{
	memset(out, 0, sizeof *out);
	struct cutter c = {0};
	S_cut(text, first_line, &c);
	int top = 1, page_alone = 0;
	for (size_t i = 0; i < c.n; i++) {
		struct block *b = &c.v[i];
		int had_page = out->head.page != NULL, had_section = out->head.section != NULL;
		b->role = S_role(b, top, &out->head);
		if (b->role == R_LABEL && page_alone && !out->head.section) {
			/* 06 / 县区新闻: the page's name on the line under its number */
			struct buf w = BUF_INIT;
			seg_squeeze(b->text, b->len, &w);
			out->head.section = buf_detach(&w, NULL);
			b->role = R_HEADER, b->why = "the page's name, under its number";
		}
		page_alone = b->role == R_HEADER && !had_page && out->head.page &&
		             had_section == (out->head.section != NULL);
		if (b->role != R_HEADER && b->role != R_LABEL && b->role != R_EDITOR)
			top = 0;
	}
	for (size_t i = 0; i < c.n; i++) {
		struct block *b = &c.v[i];
		struct seg_people dl = {0};
		const char *name;
		size_t nlen;
		b->dated =
		    b->role == R_BODY && seg_dateline(b->text, b->len, &name, &nlen, &dl) > 0;
		seg_people_free(&dl);
	}
	/* a label heads what follows it: never plain text */
	for (size_t i = 0; i < c.n; i++) {
		struct block *b = &c.v[i];
		const struct block *n = i + 1 < c.n ? &c.v[i + 1] : NULL;
		if (b->role == R_LABEL && n && n->role == R_BODY && n->gap < SEG_IMAGE_GAP &&
		    !n->dated) {
			b->role = R_SHORT;
			b->why = "label word, but text follows";
		}
	}
	out->v = c.v;
	out->n = c.n;
}

void
seg_blocks_free(struct seg_blocks *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].text);
	free(b->v);
	seg_head_free(&b->head);
	memset(b, 0, sizeof *b);
}
