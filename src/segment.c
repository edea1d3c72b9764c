#include "segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mujson.h"
#include "repair.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

/* Headline candidates are at most this many characters. */
#define HEADLINE_MAX 48
/* A kicker line ending in a colon, at most. */
#define KICKER_MAX 30
/* Blank lines that mark where a photo stood. */
#define IMAGE_GAP 3

/* ---------------------------------------------------------------------
 * Small string helpers
 * ------------------------------------------------------------------- */

static int
S_starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && !memcmp(s, prefix, n);
}

static int
S_ends(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && !memcmp(s + len - n, suffix, n);
}

static const char *
S_find(const char *s, size_t len, const char *needle)
{
	/* from one first byte to the next, which memchr finds fast */
	size_t n = strlen(needle);
	if (!n)
		return s;
	const char *end = s + len;
	for (const char *p = s; (size_t)(end - p) >= n; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, needle, n))
			return p;
	}
	return NULL;
}

static int
S_is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0x3000 || c == '\f';
}

/* Skips spaces (ASCII and ideographic) from s[*i]. */
static void
S_skip_spaces(const char *s, size_t len, size_t *i)
{
	size_t k;
	while (*i < len && S_is_space(txt_decode(s + *i, len - *i, &k)))
		*i += k;
}

/* Whether s is made of Han characters only (and '·' inside names). */
static int
S_all_han(const char *s, size_t len)
{
	size_t i = 0, k;
	if (len == 0)
		return 0;
	while (i < len) {
		uint32_t c = txt_decode(s + i, len - i, &k);
		if (!txt_is_han(c) && !(c == 0x00B7 && i > 0 && i + k < len))
			return 0;
		i += k;
	}
	return 1;
}

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
			if (S_starts(s + i, len - i, digits[k])) {
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

enum marker { M_NONE, M_UP, M_DOWN };

/*
 * Parses "上接第X版", "下转第X版" or "转第X版" at s, with optional
 * surrounding ◀ and brackets. Sets *page and *used (bytes consumed).
 */
static enum marker
S_marker_at(const char *s, size_t len, int *page, size_t *used)
{
	size_t i = 0, k;
	S_skip_spaces(s, len, &i);
	if (S_starts(s + i, len - i, "◀"))
		i += strlen("◀"), S_skip_spaces(s, len, &i);
	int paren = 0;
	if (i < len && s[i] == '(')
		paren = 1, i++;
	else if (S_starts(s + i, len - i, "（"))
		paren = 1, i += strlen("（");
	enum marker m = M_NONE;
	if (S_starts(s + i, len - i, "上接"))
		m = M_UP, i += strlen("上接");
	else if (S_starts(s + i, len - i, "下转"))
		m = M_DOWN, i += strlen("下转");
	else if (S_starts(s + i, len - i, "转"))
		m = M_DOWN, i += strlen("转");
	else
		return M_NONE;
	if (S_starts(s + i, len - i, "第"))
		i += strlen("第");
	size_t num = i;
	while (i < len && !S_starts(s + i, len - i, "版"))
		i += (txt_decode(s + i, len - i, &k), k);
	if (i >= len || i - num > 12)
		return M_NONE;
	*page = seg_page_number(s + num, i - num);
	if (*page <= 0)
		return M_NONE;
	i += strlen("版");
	if (paren) {
		if (i < len && s[i] == ')')
			i++;
		else if (S_starts(s + i, len - i, "）"))
			i += strlen("）");
		else
			return M_NONE;
	}
	*used = i;
	return m;
}

/* A block that is only a marker. */
static enum marker
S_marker_line(const char *s, size_t len, int *page)
{
	size_t used;
	enum marker m = S_marker_at(s, len, page, &used);
	if (m == M_NONE)
		return M_NONE;
	S_skip_spaces(s, len, &used);
	return used == len ? m : M_NONE;
}

/* A marker at the end of a paragraph: "...(下转第2版)". Sets *start. */
static enum marker
S_marker_end(const char *s, size_t len, int *page, size_t *start)
{
	const char *p = NULL;
	for (const char *q = s; (q = S_find(q, len - (size_t)(q - s), "转第")); q++)
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
	enum marker m = S_marker_at(s + i, len - i, page, &used);
	if (m != M_DOWN || i + used != len)
		return M_NONE;
	*start = i;
	return m;
}

/* ---------------------------------------------------------------------
 * Bylines and credits
 * ------------------------------------------------------------------- */

struct names {
	struct strlist reporters, photographers;
};

static void
S_names_free(struct names *n)
{
	strlist_free(&n->reporters);
	strlist_free(&n->photographers);
}

/* A person's name: 2 to 4 Han characters (up to 8 with a ·). */
static int
S_is_name(const char *s, size_t len)
{
	if (len > 8 * 4)
		return 0; /* more than 8 characters, whatever they are */
	size_t n = txt_chars(s, len);
	return n >= 2 && (n <= 4 || (n <= 8 && S_find(s, len, "·"))) && S_all_han(s, len);
}

/* The longest token of a byline or list of names, in bytes: a role word
   and a name of 8 characters of 4 bytes ("摄影/" and the name, 39). */
#define TOKEN_MAX 48

/* Splits s on spaces into tokens; returns their number (at most max), or
   max + 1 when there are more or one is longer than TOKEN_MAX. */
static size_t
S_tokens(const char *s, size_t len, const char **tok, size_t *tlen, size_t max)
{
	size_t n = 0, i = 0, k;
	while (i < len && n < max) {
		S_skip_spaces(s, len, &i);
		if (i >= len)
			break;
		size_t start = i;
		while (i < len && !S_is_space(txt_decode(s + i, len - i, &k))) {
			i += k;
			if (i - start > TOKEN_MAX)
				return max + 1; /* a long run of text: no list of names */
		}
		tok[n] = s + start;
		tlen[n] = i - start;
		n++;
	}
	S_skip_spaces(s, len, &i);
	return i < len ? max + 1 : n;
}

/* Strips a leading ■ (and similar) and spaces. */
static void
S_strip_bullet(const char **s, size_t *len)
{
	static const char *const bullets[] = {"■", "□", "●", "◆", "▲"};
	size_t i = 0;
	S_skip_spaces(*s, *len, &i);
	for (size_t b = 0; b < sizeof bullets / sizeof bullets[0]; b++)
		if (S_starts(*s + i, *len - i, bullets[b])) {
			i += strlen(bullets[b]);
			break;
		}
	S_skip_spaces(*s, *len, &i);
	*s += i;
	*len -= i;
}

/*
 * Parses a byline: "■记者 成佳佳", "青年报记者 陈泳均", "记者 X 通讯员 Y",
 * "■记者 汤顺佳 文/摄", "■摄影 记者 X", "摄影/X", "X 摄". Layout spaces
 * inside a name ("王 蓉") are removed. Returns 1 and fills *out when the
 * whole of s is a byline with at least one role word.
 */
static int
S_byline(const char *s, size_t len, struct names *out)
{
	S_strip_bullet(&s, &len);
	const char *tok[24];
	size_t tl[24];
	size_t n = S_tokens(s, len, tok, tl, 24);
	if (n == 0 || n > 24)
		return 0;
	struct names got = {0};
	int role = 0;            /* 1 reporter, 2 photographer */
	int roles = 0;           /* role words seen */
	size_t first_of_run = 0; /* first name of the current role's run */
	struct buf name = BUF_INIT;
	int ok = 1;
	for (size_t i = 0; i < n && ok; i++) {
		const char *t = tok[i];
		size_t l = tl[i];
		const char *kw = NULL;
		if (S_ends(t, l, "记者") || !strncmp(t, "通讯员", l) || !strncmp(t, "实习生", l))
			kw = "r";
		if (kw) {
			size_t pre = S_ends(t, l, "记者") ? l - strlen("记者") : 0;
			if (pre && (!S_all_han(t, pre) || txt_chars(t, pre) > 8)) {
				ok = 0;
				break;
			}
			role =
			    role == 2 && i > 0 && !strncmp(tok[i - 1], "摄影", tl[i - 1]) ? 2 : 1;
			roles++;
			first_of_run = role == 1 ? got.reporters.n : got.photographers.n;
			continue;
		}
		if (S_starts(t, l, "记者") && S_is_name(t + strlen("记者"), l - strlen("记者"))) {
			strlist_add_unique(&got.reporters, t + strlen("记者"), l - strlen("记者"));
			role = 1;
			roles++;
			continue;
		}
		if (l == strlen("摄影") && !memcmp(t, "摄影", l)) {
			role = 2;
			roles++;
			first_of_run = got.photographers.n;
			continue;
		}
		if (S_starts(t, l, "摄影/") || S_starts(t, l, "摄影／")) {
			size_t p = S_starts(t, l, "摄影/") ? strlen("摄影/") : strlen("摄影／");
			if (!S_is_name(t + p, l - p)) {
				ok = 0;
				break;
			}
			strlist_add_unique(&got.photographers, t + p, l - p);
			role = 2;
			roles++;
			continue;
		}
		if (!strncmp(t, "文/摄", l) || !strncmp(t, "文/图", l) || !strncmp(t, "摄", l) ||
		    !strncmp(t, "图/文", l)) {
			/* the names just read took the photos too */
			if (!got.reporters.n && !got.photographers.n) {
				ok = 0;
				break;
			}
			if (role == 1)
				for (size_t k = first_of_run; k < got.reporters.n; k++)
					strlist_add_unique(&got.photographers, got.reporters.v[k],
					                   strlen(got.reporters.v[k]));
			roles++;
			continue;
		}
		if (S_ends(t, l, "摄") && S_is_name(t, l - strlen("摄"))) {
			strlist_add_unique(&got.photographers, t, l - strlen("摄"));
			roles++;
			continue;
		}
		/* a name, perhaps spread over one-character tokens: 王 蓉 */
		buf_reset(&name);
		if (txt_chars(t, l) == 1 && S_all_han(t, l)) {
			buf_add(&name, t, l);
			while (i + 1 < n && txt_chars(tok[i + 1], tl[i + 1]) == 1 &&
			       S_all_han(tok[i + 1], tl[i + 1]) &&
			       strncmp(tok[i + 1], "摄", tl[i + 1])) {
				i++;
				buf_add(&name, tok[i], tl[i]);
			}
		} else {
			buf_add(&name, t, l);
		}
		if (!S_is_name(name.data, name.len)) {
			ok = 0;
			break;
		}
		/* "X 摄" without a role word before it */
		int photo =
		    role == 2 || (!role && i + 1 < n && !strncmp(tok[i + 1], "摄", tl[i + 1]));
		if (!role && !photo) {
			/* names before any role word: only in "X Y 摄" */
			size_t j = i + 1;
			while (j < n && S_is_name(tok[j], tl[j]))
				j++;
			photo = j < n && !strncmp(tok[j], "摄", tl[j]);
		}
		if (!role && !photo) {
			ok = 0;
			break;
		}
		strlist_add_unique(photo ? &got.photographers : &got.reporters, name.data,
		                   name.len);
	}
	buf_release(&name);
	ok = ok && roles > 0 && (got.reporters.n || got.photographers.n);
	if (ok) {
		for (size_t i = 0; i < got.reporters.n; i++)
			strlist_add_unique(&out->reporters, got.reporters.v[i],
			                   strlen(got.reporters.v[i]));
		for (size_t i = 0; i < got.photographers.n; i++)
			strlist_add_unique(&out->photographers, got.photographers.v[i],
			                   strlen(got.photographers.v[i]));
	}
	S_names_free(&got);
	return ok;
}

/* A bare list of names: "汪燕鸣 王佳萱", "高亿庚 韩惠娜 范倩倩". */
static int
S_bare_names(const char *s, size_t len, struct names *out)
{
	const char *tok[8];
	size_t tl[8];
	size_t n = S_tokens(s, len, tok, tl, 8);
	if (n == 0 || n > 6)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!S_is_name(tok[i], tl[i]))
			return 0;
	if (out)
		for (size_t i = 0; i < n; i++)
			strlist_add_unique(&out->reporters, tok[i], tl[i]);
	return 1;
}

/*
 * A credit line: a photographer ("王佳萱 摄", "摄影/X") or a credit for the
 * page's pictures ("本版均为受访者供图", "(图片由…提供)"). Fills *names with
 * photographers when there are some.
 */
static int
S_credit(const char *s, size_t len, struct names *names)
{
	struct names got = {0};
	if (S_byline(s, len, &got) && !got.reporters.n) {
		for (size_t i = 0; i < got.photographers.n; i++)
			strlist_add_unique(&names->photographers, got.photographers.v[i],
			                   strlen(got.photographers.v[i]));
		S_names_free(&got);
		return 1;
	}
	S_names_free(&got);
	if (txt_chars(s, len) > 40)
		return 0;
	return S_find(s, len, "供图") || (S_find(s, len, "图片由") && S_find(s, len, "提供")) ||
	       S_find(s, len, "资料图片") || S_find(s, len, "图片来源");
}

/* ---------------------------------------------------------------------
 * Blocks
 * ------------------------------------------------------------------- */

enum cls {
	C_BODY,
	C_MARKER,  /* ◀ 上接第一版 */
	C_HEADING, /* ### ... */
	C_NOTICE,  /* 公益广告 */
	C_BYLINE,  /* ■记者 X */
	C_CREDIT,  /* X 摄, 本版均为受访者供图 */
	C_NAMES,   /* 汪燕鸣 王佳萱: a byline only right after a headline */
	C_KICKER,  /* a short line ending in a colon */
	C_SHORT,   /* a short line without final punctuation */
};

struct block {
	char *text; /* its lines, trimmed, joined with \n */
	size_t len;
	size_t line, last; /* source lines */
	size_t gap;        /* blank lines before it */
	enum cls cls;
	int md_level; /* C_HEADING: number of #s */
	int page;     /* C_MARKER */
	enum marker marker;
	size_t chars;
	int final; /* ends a sentence */
	int lines; /* how many lines */
};

/* Ends the block being collected in cur: appends it to v. */
static struct block *
S_flush(struct block *v, size_t *n, size_t *cap, struct buf *cur, size_t line, size_t last,
        size_t gap, int lines)
{
	v = xgrow(v, cap, *n, sizeof *v, 32);
	struct block *b = &v[(*n)++];
	memset(b, 0, sizeof *b);
	b->line = line;
	b->last = last;
	b->gap = gap;
	b->lines = lines;
	b->text = buf_detach(cur, &b->len);
	return v;
}

/* Cuts text into blocks separated by blank lines. */
static struct block *
S_blocks(const char *text, size_t first_line, size_t *nblocks)
{
	struct block *v = NULL;
	size_t n = 0, cap = 0, line = first_line, gap = 0;
	struct buf cur = BUF_INIT;
	size_t cur_line = 0, cur_last = 0, cur_gap = 0;
	int cur_lines = 0, seen = 0;
	const char *p = text;
	for (;;) {
		size_t ll = strcspn(p, "\n");
		/* trim the line */
		size_t a = 0, b = ll, k;
		S_skip_spaces(p, ll, &a);
		while (b > a) {
			uint32_t c = txt_decode_prev(p, b, &k);
			if (!S_is_space(c))
				break;
			b -= k;
		}
		if (a < b) {
			if (!cur.len) {
				cur_line = line;
				cur_gap = seen ? gap : 0;
				cur_lines = 0;
			} else {
				buf_addc(&cur, '\n');
			}
			buf_add(&cur, p + a, b - a);
			cur_last = line;
			cur_lines++;
			gap = 0;
		} else {
			if (cur.len) {
				v = S_flush(v, &n, &cap, &cur, cur_line, cur_last, cur_gap,
				            cur_lines);
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
		v = S_flush(v, &n, &cap, &cur, cur_line, cur_last, cur_gap, cur_lines);
	buf_release(&cur);
	*nblocks = n;
	return v;
}

static void
S_classify(struct block *b)
{
	const char *s = b->text;
	size_t len = b->len;
	b->chars = txt_chars(s, len);
	b->final = rep_ends_sentence(s, len);
	struct names tmp = {0};
	if ((b->marker = S_marker_line(s, len, &b->page)) != M_NONE) {
		b->cls = C_MARKER;
	} else if (s[0] == '#') {
		int lv = 0;
		while (lv < (int)len && s[lv] == '#')
			lv++;
		b->cls = lv < (int)len && (s[lv] == ' ' || s[lv] == '\t') && lv <= 6 ? C_HEADING
		                                                                     : C_BODY;
		b->md_level = lv;
	} else if (S_find(s, len, "公益广告") && b->chars <= 40) {
		b->cls = C_NOTICE;
	} else if (S_credit(s, len, &tmp)) {
		b->cls = C_CREDIT;
	} else if (S_byline(s, len, &tmp)) {
		b->cls = C_BYLINE;
	} else if (b->lines == 1 && S_bare_names(s, len, NULL)) {
		b->cls = C_NAMES;
	} else if (b->lines == 1 && b->chars <= KICKER_MAX &&
	           (S_ends(s, len, ":") || S_ends(s, len, "："))) {
		b->cls = C_KICKER;
	} else if (b->lines == 1 && b->chars <= HEADLINE_MAX && !b->final) {
		b->cls = C_SHORT;
	} else {
		b->cls = C_BODY;
	}
	S_names_free(&tmp);
}

/* ---------------------------------------------------------------------
 * Articles, before repair
 * ------------------------------------------------------------------- */

enum piece_type { PC_P, PC_H, PC_FIGURE };

struct piece {
	enum piece_type type;
	struct buf text;   /* p, h; figure: caption */
	struct buf credit; /* figure */
	size_t line;
	int nojoin; /* a stray byline: never part of a paragraph */
};

struct draft {
	enum seg_kind kind;
	struct buf title, kicker, subtitle;
	int title_derived;
	struct names names;
	int continued_from, continues_on;
	struct piece *pieces;
	size_t npieces, cappieces;
	size_t first_line, last_line;
	int has_body;
	int news; /* a news item (本报讯): such items have no subheads */
};

struct state {
	struct draft *v;
	size_t n, cap;
	struct block *b;
	size_t nb;
};

static struct draft *
S_new(struct state *st, const struct block *b)
{
	st->v = xgrow(st->v, &st->cap, st->n, sizeof *st->v, 8);
	struct draft *d = &st->v[st->n++];
	memset(d, 0, sizeof *d);
	buf_init(&d->title);
	buf_init(&d->kicker);
	buf_init(&d->subtitle);
	d->first_line = b->line;
	d->last_line = b->last;
	return d;
}

static struct piece *
S_piece(struct draft *d, enum piece_type t, size_t line)
{
	d->pieces = xgrow(d->pieces, &d->cappieces, d->npieces, sizeof *d->pieces, 16);
	struct piece *p = &d->pieces[d->npieces++];
	memset(p, 0, sizeof *p);
	p->type = t;
	buf_init(&p->text);
	buf_init(&p->credit);
	p->line = line;
	return p;
}

static void
S_touch(struct draft *d, const struct block *b)
{
	if (b->last > d->last_line)
		d->last_line = b->last;
}

/* The last body paragraph of d, if any. */
static struct piece *
S_last_p(struct draft *d)
{
	for (size_t i = d->npieces; i-- > 0;)
		if (d->pieces[i].type == PC_P)
			return &d->pieces[i];
		else if (d->pieces[i].type == PC_H)
			return NULL;
	return NULL;
}

/* Sets a headline, splitting a kicker before a colon ("萧山:整合资源"). */
static void
S_set_title(struct draft *d, const char *s, size_t len)
{
	const char *colon = NULL;
	size_t clen = 0;
	const char *c1 = S_find(s, len, ":"), *c2 = S_find(s, len, "：");
	if (c1 && (!c2 || c1 < c2))
		colon = c1, clen = 1;
	else if (c2)
		colon = c2, clen = strlen("：");
	if (colon && !d->kicker.len) {
		size_t pre = (size_t)(colon - s);
		size_t rest = len - pre - clen;
		if (txt_chars(s, pre) >= 2 && txt_chars(s, pre) <= 20 &&
		    txt_chars(colon + clen, rest) >= 4) {
			buf_add(&d->kicker, s, pre);
			s = colon + clen;
			len = rest;
		}
	}
	buf_reset(&d->title);
	buf_add(&d->title, s, len);
}

/* Removes the markdown #s of a heading. */
static void
S_heading_text(const struct block *b, const char **s, size_t *len)
{
	size_t i = (size_t)b->md_level;
	S_skip_spaces(b->text, b->len, &i);
	*s = b->text + i;
	*len = b->len - i;
}

/* Adds a paragraph, taking inline markers and a trailing byline out. */
static void
S_body(struct draft *d, const struct block *b)
{
	const char *s = b->text;
	size_t len = b->len, used;
	int page;
	if (S_marker_at(s, len, &page, &used) == M_UP) {
		if (!d->continued_from)
			d->continued_from = page;
		s += used;
		len -= used;
	}
	size_t start;
	if (S_marker_end(s, len, &page, &start) == M_DOWN) {
		d->continues_on = page;
		len = start;
	}
	/* a trailing byline: "... ■记者 封辰霏" */
	const char *bullet = NULL;
	for (const char *q = s; (q = S_find(q, len - (size_t)(q - s), "■")); q++)
		bullet = q;
	if (bullet && bullet > s) {
		struct names got = {0};
		size_t off = (size_t)(bullet - s);
		if (S_byline(bullet, len - off, &got) && got.reporters.n) {
			for (size_t i = 0; i < got.reporters.n; i++)
				strlist_add_unique(&d->names.reporters, got.reporters.v[i],
				                   strlen(got.reporters.v[i]));
			for (size_t i = 0; i < got.photographers.n; i++)
				strlist_add_unique(&d->names.photographers, got.photographers.v[i],
				                   strlen(got.photographers.v[i]));
			len = off;
		}
		S_names_free(&got);
	}
	struct piece *p = S_piece(d, PC_P, b->line);
	buf_add(&p->text, s, len);
	p->nojoin = S_starts(s, len, "■");
	if (!d->has_body && S_starts(s, len, "本报讯"))
		d->news = 1;
	d->has_body = 1;
	S_touch(d, b);
}

/* Adds a byline's names to d. */
static void
S_add_byline(struct draft *d, const struct block *b)
{
	if (S_byline(b->text, b->len, &d->names) || S_bare_names(b->text, b->len, &d->names))
		S_touch(d, b);
}

static int
S_is_headline_shape(const struct block *b)
{
	if (S_starts(b->text, b->len, "■"))
		return 0; /* a broken byline, not a headline */
	/* a headline of one short word reads like a name: 消息标题 */
	return b->cls == C_SHORT || (b->cls == C_NAMES && !S_find(b->text, b->len, " ")) ||
	       (b->cls == C_BODY && b->lines == 1 && !b->final && b->chars <= HEADLINE_MAX);
}

/* Whether block i opens an article: a headline that a byline, a dateline
   or an inline 上接 marker follows. */
static int
S_headline_here(const struct state *st, size_t i)
{
	const struct block *b = &st->b[i];
	if (!S_is_headline_shape(b) || i + 1 >= st->nb)
		return 0;
	const struct block *n = &st->b[i + 1];
	if (n->cls == C_BYLINE || n->cls == C_NAMES)
		return 1;
	int page;
	size_t used;
	if (S_marker_at(n->text, n->len, &page, &used) == M_UP)
		return 1;
	return S_starts(n->text, n->len, "本报讯");
}

/* The block after i, looking past a photo's caption and credit that the
   layout put between i and the text that goes on from it. */
static const struct block *
S_next_text(const struct state *st, size_t i)
{
	size_t j = i + 1;
	if (j < st->nb && st->b[j].gap >= IMAGE_GAP) {
		j++;
		if (j < st->nb && st->b[j].cls == C_CREDIT)
			j++;
	}
	return j < st->nb ? &st->b[j] : NULL;
}

/* Characters after which a sentence cannot have ended. */
static const char *const S_continuing[] = {
    ",",  "，", "、", ";",  "；", ":",  "：", "—",  "(",  "（", "“",  "《", "的", "和", "与",
    "及", "在", "是", "为", "对", "把", "将", "从", "向", "被", "让", "使", "并", "或", "而",
    "了", "着", "其", "以", "于", "由", "给", "跟", "就", "也", "都", "还", "又", "再",
};

/* Title words after which a name begins: 副科长方 | 雏声 */
static const char *const S_titles[] = {"长", "任", "记", "理", "员", "授", "席", "监", "师"};

/* How often the bytes s[0..len) occur in the page's blocks. */
static size_t
S_occurrences(const struct state *st, const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < st->nb; i++) {
		const char *end = st->b[i].text + st->b[i].len;
		for (const char *p = st->b[i].text; p + len <= end; p++)
			if (!memcmp(p, s, len))
				n++;
	}
	return n;
}

/*
 * Whether the short block i, which body text follows, is the start of a
 * paragraph the column broke rather than a heading: it ends where no
 * sentence can (a comma, 的, 和), it holds a full stop, it ends in a title
 * and the first character of a name (副科长方 | 雏声), or the word the
 * break cuts (产 | 业) occurs elsewhere on the page. Two clauses set apart
 * by a space are a heading's style, never a cut paragraph's.
 */
static int
S_cut_paragraph(const struct state *st, size_t i)
{
	const struct block *b = &st->b[i];
	const struct block *n = S_next_text(st, i);
	const char *s = b->text;
	size_t len = b->len, k;
	for (size_t c = 0; c < sizeof S_continuing / sizeof S_continuing[0]; c++)
		if (S_ends(s, len, S_continuing[c]))
			return 1;
	/* 是一 | 家: a numeral after a function word */
	if (S_ends(s, len, "一") || S_ends(s, len, "两"))
		for (size_t c = 0; c < sizeof S_continuing / sizeof S_continuing[0]; c++)
			if (S_ends(s, len - strlen("一"), S_continuing[c]))
				return 1;
	const char *stops[] = {"。", "！", "？"};
	for (size_t c = 0; c < 3; c++)
		if (S_find(s, len, stops[c]))
			return 1;
	/* headings hold a comma at most, and are short when they do */
	size_t commas = 0;
	for (const char *p = s; (p = S_find(p, len - (size_t)(p - s), "，")); p++)
		commas++;
	for (size_t j = 0; j < len; j++)
		commas += s[j] == ',';
	if (commas >= 2 || (commas == 1 && b->chars >= 30))
		return 1;
	uint32_t last = txt_decode_prev(s, len, &k);
	size_t before = len - k;
	if (txt_is_han(last) && before > 0)
		for (size_t c = 0; c < sizeof S_titles / sizeof S_titles[0]; c++)
			if (S_ends(s, before, S_titles[c]) && b->chars >= 6)
				return 1;
	for (size_t j = 0; j < len; j += (txt_decode(s + j, len - j, &k), k))
		if (s[j] == ' ' || S_starts(s + j, len - j, "　"))
			return 0;
	/* the cut word, when the line holds a clause before it */
	if (!n || !txt_is_han(last) || !commas)
		return 0;
	size_t k2;
	uint32_t first = txt_decode(n->text, n->len, &k2);
	if (!txt_is_han(first))
		return 0;
	char pair[8];
	memcpy(pair, s + before, k);
	memcpy(pair + k, n->text, k2);
	return S_occurrences(st, pair, k + k2) > 0;
}

static void
S_segment_blocks(struct state *st)
{
	struct draft *cur = NULL;
	size_t i = 0;
	while (i < st->nb) {
		struct block *b = &st->b[i];
		struct block *next = i + 1 < st->nb ? &st->b[i + 1] : NULL;

		/* inside a notice, everything is the notice's until an article
		   clearly starts */
		int article_starts =
		    next && S_is_headline_shape(b) &&
		    (next->cls == C_BYLINE || S_starts(next->text, next->len, "本报讯"));
		if (cur && cur->kind == SEG_NOTICE && b->cls != C_MARKER && b->cls != C_HEADING &&
		    b->cls != C_KICKER && !article_starts) {
			struct piece *p = S_piece(cur, PC_P, b->line);
			buf_add(&p->text, b->text, b->len);
			S_touch(cur, b);
			i++;
			continue;
		}

		/* a photo stood here: caption, then perhaps its credit */
		if (b->gap >= IMAGE_GAP && cur && b->cls != C_MARKER && b->cls != C_HEADING &&
		    b->cls != C_KICKER && b->cls != C_NOTICE && !S_headline_here(st, i) &&
		    b->chars <= 120) {
			struct piece *f = S_piece(cur, PC_FIGURE, b->line);
			const char *s = b->text;
			size_t len = b->len;
			struct names ph = {0};
			/* "(图片由…提供)" at the end of the caption */
			const char *open = S_find(s, len, "(图片由");
			if (!open)
				open = S_find(s, len, "（图片由");
			if (open && S_credit(open, len - (size_t)(open - s), &ph)) {
				size_t off = (size_t)(open - s);
				size_t po = s[off] == '(' ? 1 : strlen("（");
				size_t end = len;
				if (S_ends(s, len, ")"))
					end -= 1;
				else if (S_ends(s, len, "）"))
					end -= strlen("）");
				buf_add(&f->credit, s + off + po, end - off - po);
				len = off;
			}
			buf_add(&f->text, s, len);
			S_touch(cur, b);
			i++;
			if (i < st->nb && st->b[i].cls == C_CREDIT && st->b[i].gap < IMAGE_GAP &&
			    !f->credit.len) {
				buf_add(&f->credit, st->b[i].text, st->b[i].len);
				S_credit(st->b[i].text, st->b[i].len, &ph);
				S_touch(cur, &st->b[i]);
				i++;
			}
			for (size_t k = 0; k < ph.photographers.n; k++)
				strlist_add_unique(&cur->names.photographers, ph.photographers.v[k],
				                   strlen(ph.photographers.v[k]));
			S_names_free(&ph);
			continue;
		}

		switch (b->cls) {
		case C_MARKER:
			if (b->marker == M_UP) {
				cur = S_new(st, b);
				cur->continued_from = b->page;
			} else if (cur) {
				cur->continues_on = b->page;
				S_touch(cur, b);
			} else {
				cur = S_new(st, b);
				cur->continues_on = b->page;
			}
			i++;
			continue;
		case C_NOTICE:
			cur = S_new(st, b);
			cur->kind = SEG_NOTICE;
			buf_add(&cur->title, b->text, b->len);
			i++;
			continue;
		case C_KICKER:
			if (next && (S_is_headline_shape(next) || next->cls == C_HEADING)) {
				if (!cur || cur->title.len || cur->has_body)
					cur = S_new(st, b);
				buf_add(&cur->kicker, b->text,
				        b->len - (S_ends(b->text, b->len, ":") ? 1 : strlen("：")));
				i++;
				const char *s;
				size_t len;
				if (next->cls == C_HEADING)
					S_heading_text(next, &s, &len);
				else
					s = next->text, len = next->len;
				S_set_title(cur, s, len);
				S_touch(cur, next);
				i++;
				if (i < st->nb &&
				    (st->b[i].cls == C_NAMES || st->b[i].cls == C_BYLINE)) {
					S_add_byline(cur, &st->b[i]);
					i++;
				}
				continue;
			}
			break;
		case C_HEADING: {
			/* the shallowest heading level on the page is the headline */
			int top = 99;
			for (size_t k = 0; k < st->nb; k++)
				if (st->b[k].cls == C_HEADING && st->b[k].md_level < top)
					top = st->b[k].md_level;
			const char *s;
			size_t len;
			S_heading_text(b, &s, &len);
			if (b->md_level == top) {
				if (!cur || cur->title.len || cur->has_body)
					cur = S_new(st, b);
				S_set_title(cur, s, len);
				S_touch(cur, b);
			} else {
				if (!cur)
					cur = S_new(st, b);
				struct piece *p = S_piece(cur, PC_H, b->line);
				buf_add(&p->text, s, len);
				S_touch(cur, b);
			}
			i++;
			continue;
		}
		default: break;
		}

		/* a byline: the current article's, or the start of a new one
		   when 本报讯 follows it (a headline the page did not print) */
		if (b->cls == C_BYLINE) {
			int dateline_next = next && S_starts(next->text, next->len, "本报讯");
			if (!cur || (cur->has_body && (dateline_next || cur->names.reporters.n))) {
				if (next && next->cls != C_BYLINE) {
					cur = S_new(st, b);
					S_add_byline(cur, b);
					i++;
					continue;
				}
				if (cur && !cur->names.reporters.n) {
					S_add_byline(cur, b);
					i++;
					continue;
				}
				/* a stray byline: keep its text */
				if (!cur)
					cur = S_new(st, b);
				struct piece *p = S_piece(cur, PC_P, b->line);
				buf_add(&p->text, b->text, b->len);
				p->nojoin = 1;
				S_touch(cur, b);
				i++;
				continue;
			}
			S_add_byline(cur, b);
			i++;
			continue;
		}

		/* a headline: a fresh article's (after a marker), the first on
		   the page, or one a byline or dateline follows */
		if (S_is_headline_shape(b)) {
			struct piece *last = cur ? S_last_p(cur) : NULL;
			int mid_sentence =
			    last && !rep_ends_sentence(last->text.data, last->text.len);
			int fresh =
			    cur && !cur->title.len && !cur->has_body && cur->kind == SEG_ARTICLE;
			if (fresh || !cur || S_headline_here(st, i)) {
				if (!fresh)
					cur = S_new(st, b);
				S_set_title(cur, b->text, b->len);
				S_touch(cur, b);
				i++;
				/* the byline right after a headline may be bare names */
				if (i < st->nb &&
				    (st->b[i].cls == C_NAMES || st->b[i].cls == C_BYLINE)) {
					S_add_byline(cur, &st->b[i]);
					i++;
				} else if (i + 1 < st->nb && S_is_headline_shape(&st->b[i]) &&
				           st->b[i].gap < IMAGE_GAP && st->b[i + 1].cls == C_BODY) {
					/* a second short line, then text: a subtitle */
					buf_add(&cur->subtitle, st->b[i].text, st->b[i].len);
					S_touch(cur, &st->b[i]);
					i++;
				}
				continue;
			}
			const struct block *after = S_next_text(st, i);
			int body_next = after && (after->cls == C_BODY || after->cls == C_SHORT);
			if (!mid_sentence && body_next && !S_cut_paragraph(st, i)) {
				if (cur->news) {
					/* news items have no subheads: a heading after a
					   finished one starts the next piece */
					cur = S_new(st, b);
					S_set_title(cur, b->text, b->len);
					S_touch(cur, b);
					i++;
					continue;
				}
				struct piece *p = S_piece(cur, PC_H, b->line);
				buf_add(&p->text, b->text, b->len);
				S_touch(cur, b);
				i++;
				continue;
			}
		}

		/* a credit line away from a photo: the last figure's, if free */
		if (b->cls == C_CREDIT && cur) {
			struct piece *fig = NULL;
			for (size_t k = cur->npieces; k-- > 0;)
				if (cur->pieces[k].type == PC_FIGURE) {
					fig = &cur->pieces[k];
					break;
				}
			if (fig && !fig->credit.len) {
				struct names ph = {0};
				buf_add(&fig->credit, b->text, b->len);
				S_credit(b->text, b->len, &ph);
				for (size_t k = 0; k < ph.photographers.n; k++)
					strlist_add_unique(&cur->names.photographers,
					                   ph.photographers.v[k],
					                   strlen(ph.photographers.v[k]));
				S_names_free(&ph);
				S_touch(cur, b);
				i++;
				continue;
			}
		}

		/* body text */
		if (!cur)
			cur = S_new(st, b);
		S_body(cur, b);
		i++;
	}
}

/* ---------------------------------------------------------------------
 * Repair and the final articles
 * ------------------------------------------------------------------- */

/* Text for a derived title: the lead's first sentence without 本报讯 and
   a leading time phrase; its last clause when the sentence is long. */
static void
S_derive_title(const char *lead, struct buf *out)
{
	const char *s = lead;
	size_t len = strlen(lead), k;
	if (S_starts(s, len, "本报讯"))
		s += strlen("本报讯"), len -= strlen("本报讯");
	size_t i = 0;
	S_skip_spaces(s, len, &i);
	s += i;
	len -= i;
	/* the first sentence */
	size_t end = 0;
	while (end < len) {
		uint32_t c = txt_decode(s + end, len - end, &k);
		if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?')
			break;
		end += k;
	}
	len = end;
	/* a leading date or time: "2月23日下午," */
	const char *comma = S_find(s, len, "，");
	if (comma && txt_chars(s, (size_t)(comma - s)) <= 8 &&
	    (S_find(s, (size_t)(comma - s), "日") || S_find(s, (size_t)(comma - s), "近日") ||
	     S_find(s, (size_t)(comma - s), "月"))) {
		size_t off = (size_t)(comma - s) + strlen("，");
		s += off;
		len -= off;
	}
	if (txt_chars(s, len) > 30) {
		/* the last clause, when it says enough */
		const char *last = NULL;
		for (const char *q = s; (q = S_find(q, len - (size_t)(q - s), "，")); q++)
			last = q;
		if (last) {
			size_t off = (size_t)(last - s) + strlen("，");
			if (txt_chars(s + off, len - off) >= 8) {
				s += off;
				len -= off;
			}
		}
	}
	if (txt_chars(s, len) > 30) {
		size_t n = 0, b = 0;
		while (b < len && n < 28) {
			txt_decode(s + b, len - b, &k);
			b += k;
			n++;
		}
		buf_add(out, s, b);
		buf_adds(out, "…");
		return;
	}
	buf_add(out, s, len);
}

/* Joins two pieces of a paragraph the layout cut apart. */
static void
S_join(struct buf *into, const struct buf *more)
{
	size_t k;
	uint32_t a = into->len ? txt_decode_prev(into->data, into->len, &k) : 0;
	uint32_t b = more->len ? txt_decode(more->data, more->len, &k) : 0;
	int latin =
	    ((a | 0x20) >= 'a' && (a | 0x20) <= 'z') && ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
	if (latin)
		buf_addc(into, ' ');
	buf_add(into, more->data, more->len);
}

static char *
S_fix(const struct buf *b, unsigned flags)
{
	struct buf out = BUF_INIT;
	rep_typography(b->data, b->len, flags, &out);
	return buf_detach(&out, NULL);
}

/* A paragraph's repaired text; "本报讯" keeps one space after it. */
static char *
S_fix_paragraph(const struct buf *b, char **dateline)
{
	if (!S_starts(b->data, b->len, "本报讯"))
		return S_fix(b, 0);
	size_t n = strlen("本报讯");
	struct buf rest = BUF_INIT, out = BUF_INIT;
	buf_add(&rest, b->data + n, b->len - n);
	buf_adds(&out, "本报讯 ");
	rep_typography(rest.data, rest.len, 0, &out);
	buf_release(&rest);
	if (dateline && !*dateline)
		*dateline = xstrdup("本报讯");
	return buf_detach(&out, NULL);
}

static void
S_finish(struct draft *d, size_t index, const char *rel, const char *text, size_t first_line,
         struct seg_article *a)
{
	memset(a, 0, sizeof *a);
	a->kind = d->kind;
	a->continued_from = d->continued_from;
	a->continues_on = d->continues_on;
	a->first_line = d->first_line;
	a->last_line = d->last_line;
	a->reporters = d->names.reporters;
	a->photographers = d->names.photographers;
	memset(&d->names, 0, sizeof d->names);

	int notice = d->kind == SEG_NOTICE;
	/* join paragraphs cut mid-sentence; figures between stay after them */
	struct piece *open = NULL;
	for (size_t i = 0; i < d->npieces; i++) {
		struct piece *p = &d->pieces[i];
		if (p->type == PC_H) {
			open = NULL;
			continue;
		}
		if (p->type != PC_P || notice)
			continue;
		if (p->nojoin) {
			open = NULL;
			continue;
		}
		if (open) {
			S_join(&open->text, &p->text);
			buf_release(&p->text);
			p->type = (enum piece_type) - 1; /* merged away */
		} else {
			open = p;
		}
		if (rep_ends_sentence(open->text.data, open->text.len))
			open = NULL;
	}
	for (size_t i = 0; i < d->npieces; i++) {
		struct piece *p = &d->pieces[i];
		if ((int)p->type < 0)
			continue;
		/* lines inside one block were wrapped by the layout too */
		if (p->type == PC_P && !notice)
			for (size_t k = 0; k < p->text.len; k++)
				if (p->text.data[k] == '\n') {
					memmove(p->text.data + k, p->text.data + k + 1,
					        p->text.len - k - 1);
					buf_truncate(&p->text, p->text.len - 1);
					k--;
				}
		a->blocks = xgrow(a->blocks, &a->capblocks, a->nblocks, sizeof *a->blocks, 8);
		struct seg_block *sb = &a->blocks[a->nblocks++];
		memset(sb, 0, sizeof *sb);
		sb->line = p->line;
		if (p->type == PC_FIGURE) {
			sb->type = SEG_FIGURE;
			sb->caption = S_fix(&p->text, 0);
			sb->credit = p->credit.len ? S_fix(&p->credit, REP_KEEP_SPACES) : NULL;
		} else if (p->type == PC_H) {
			sb->type = SEG_H;
			sb->text = S_fix(&p->text, REP_KEEP_SPACES);
		} else {
			sb->type = SEG_P;
			sb->text = notice || p->nojoin ? S_fix(&p->text, REP_KEEP_SPACES)
			                               : S_fix_paragraph(&p->text, &a->dateline);
		}
	}
	if (d->title.len) {
		a->title = S_fix(&d->title, REP_KEEP_SPACES);
	} else {
		/* no headline printed: from the lead */
		struct buf t = BUF_INIT, fixed = BUF_INIT;
		for (size_t i = 0; i < a->nblocks; i++)
			if (a->blocks[i].type == SEG_P) {
				S_derive_title(a->blocks[i].text, &t);
				break;
			}
		if (!t.len)
			buf_adds(&t, "（无题）");
		rep_typography(t.data, t.len, REP_KEEP_SPACES, &fixed);
		a->title = buf_detach(&fixed, NULL);
		a->title_derived = 1;
		buf_release(&t);
	}
	a->kicker = d->kicker.len ? S_fix(&d->kicker, REP_KEEP_SPACES) : NULL;
	a->subtitle = d->subtitle.len ? S_fix(&d->subtitle, REP_KEEP_SPACES) : NULL;

	/* the source lines it spans, as printed */
	const char *p = text;
	size_t line = first_line;
	while (line < a->first_line && *p) {
		p += strcspn(p, "\n");
		if (*p)
			p++;
		line++;
	}
	const char *q = p;
	while (line <= a->last_line && *q) {
		q += strcspn(q, "\n");
		if (*q && line < a->last_line)
			q++;
		line++;
	}
	a->original = xstrndup(p, (size_t)(q - p));

	/* stable id: the page and the printed title (edits to the body do not
	   change it); a derived title gives way to the position */
	uint64_t h = util_fnv(UTIL_FNV_START, rel, strlen(rel));
	h = util_fnv(h, "\0", 1);
	if (a->title_derived) {
		char pos[32];
		snprintf(pos, sizeof pos, "#%zu", index);
		h = util_fnv(h, pos, strlen(pos));
	} else {
		h = util_fnv(h, a->title, strlen(a->title));
	}
	snprintf(a->id, sizeof a->id, "%016llx", (unsigned long long)h);

	for (size_t i = 0; i < d->npieces; i++) {
		buf_release(&d->pieces[i].text);
		buf_release(&d->pieces[i].credit);
	}
	free(d->pieces);
	buf_release(&d->title);
	buf_release(&d->kicker);
	buf_release(&d->subtitle);
}

void
seg_segment(const char *text, size_t first_line, const char *rel, struct seg_page *out)
{
	memset(out, 0, sizeof *out);
	struct state st = {0};
	st.b = S_blocks(text, first_line, &st.nb);
	for (size_t i = 0; i < st.nb; i++)
		S_classify(&st.b[i]);
	S_segment_blocks(&st);
	/* an article left with nothing (a marker alone) gives its lines to
	   the next, so no text is lost and no empty article shown */
	for (size_t i = 0; i < st.n; i++) {
		struct draft *d = &st.v[i];
		int empty = !d->title.len && !d->npieces && !d->names.reporters.n;
		if (empty && i + 1 < st.n) {
			struct draft *n = &st.v[i + 1];
			if (!n->continued_from)
				n->continued_from = d->continued_from;
			if (!n->continues_on)
				n->continues_on = d->continues_on;
			n->first_line = d->first_line;
			buf_release(&d->title);
			buf_release(&d->kicker);
			buf_release(&d->subtitle);
			S_names_free(&d->names);
			free(d->pieces);
			memmove(d, d + 1, (st.n - i - 1) * sizeof *d);
			st.n--;
			i--;
		}
	}
	out->v = xcalloc(st.n ? st.n : 1, sizeof *out->v);
	for (size_t i = 0; i < st.n; i++)
		S_finish(&st.v[i], i + 1, rel, text, first_line, &out->v[i]);
	out->n = out->cap = st.n;
	/* two articles with one title on one page: the later one's id takes
	   its position too, so every id stays unique */
	for (size_t i = 0; i < out->n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(out->v[i].id, out->v[j].id)) {
				char pos[32];
				snprintf(pos, sizeof pos, "#%zu", i + 1);
				uint64_t h =
				    util_fnv(strtoull(out->v[i].id, NULL, 16), pos, strlen(pos));
				snprintf(out->v[i].id, sizeof out->v[i].id, "%016llx",
				         (unsigned long long)h);
				j = (size_t)-1; /* check the new id against all again */
			}
	free(st.v);
	for (size_t i = 0; i < st.nb; i++)
		free(st.b[i].text);
	free(st.b);
}

void
seg_page_free(struct seg_page *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct seg_article *a = &p->v[i];
		free(a->title);
		free(a->kicker);
		free(a->subtitle);
		free(a->dateline);
		free(a->original);
		strlist_free(&a->reporters);
		strlist_free(&a->photographers);
		for (size_t k = 0; k < a->nblocks; k++) {
			free(a->blocks[k].text);
			free(a->blocks[k].caption);
			free(a->blocks[k].credit);
		}
		free(a->blocks);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

/* ---------------------------------------------------------------------
 * Packed articles
 *
 * Numbers are 8 bytes in the machine's order; a string is its length
 * plus one (0 for none) and then its bytes. The bytes never leave the
 * build that packed them, so they need no version or portable order.
 * ------------------------------------------------------------------- */

static void
S_pack_num(struct buf *out, uint64_t v)
{
	buf_add(out, (const char *)&v, sizeof v);
}

static void
S_pack_str(struct buf *out, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	S_pack_num(out, s ? len + 1 : 0);
	buf_add(out, s, len);
}

static void
S_pack_list(struct buf *out, const struct strlist *l)
{
	S_pack_num(out, l->n);
	for (size_t i = 0; i < l->n; i++)
		S_pack_str(out, l->v[i]);
}

void
seg_article_pack(const struct seg_article *a, struct buf *out)
{
	S_pack_num(out, (uint64_t)a->kind);
	S_pack_str(out, a->title);
	S_pack_num(out, (uint64_t)a->title_derived);
	S_pack_str(out, a->kicker);
	S_pack_str(out, a->subtitle);
	S_pack_str(out, a->dateline);
	S_pack_list(out, &a->reporters);
	S_pack_list(out, &a->photographers);
	S_pack_num(out, (uint64_t)a->continued_from);
	S_pack_num(out, (uint64_t)a->continues_on);
	S_pack_num(out, a->nblocks);
	for (size_t i = 0; i < a->nblocks; i++) {
		const struct seg_block *b = &a->blocks[i];
		S_pack_num(out, (uint64_t)b->type);
		S_pack_str(out, b->text);
		S_pack_str(out, b->caption);
		S_pack_str(out, b->credit);
		S_pack_num(out, b->line);
	}
	S_pack_num(out, a->first_line);
	S_pack_num(out, a->last_line);
	S_pack_str(out, a->original);
	buf_add(out, a->id, sizeof a->id);
}

/* Reading packed bytes: each step fails once the bytes run short. */
struct unpack {
	const char *p, *end;
	int bad;
};

static uint64_t
S_unpack_num(struct unpack *u)
{
	uint64_t v = 0;
	if (u->bad || (size_t)(u->end - u->p) < sizeof v) {
		u->bad = 1;
		return 0;
	}
	memcpy(&v, u->p, sizeof v);
	u->p += sizeof v;
	return v;
}

static char *
S_unpack_str(struct unpack *u)
{
	uint64_t n = S_unpack_num(u);
	if (n == 0 || u->bad)
		return NULL;
	if (n - 1 > (uint64_t)(u->end - u->p)) {
		u->bad = 1;
		return NULL;
	}
	char *s = xmalloc((size_t)n);
	memcpy(s, u->p, (size_t)n - 1);
	s[n - 1] = '\0';
	u->p += n - 1;
	return s;
}

static void
S_unpack_list(struct unpack *u, struct strlist *l)
{
	uint64_t n = S_unpack_num(u);
	for (uint64_t i = 0; i < n && !u->bad; i++) {
		char *s = S_unpack_str(u);
		if (s)
			strlist_add(l, s, strlen(s));
		free(s);
	}
}

int
seg_article_unpack(const char **p, const char *end, struct seg_page *page)
{
	struct unpack u = {*p, end, 0};
	page->v = xgrow(page->v, &page->cap, page->n, sizeof *page->v, 8);
	struct seg_article *a = &page->v[page->n++];
	memset(a, 0, sizeof *a);
	a->kind = S_unpack_num(&u) == SEG_NOTICE ? SEG_NOTICE : SEG_ARTICLE;
	a->title = S_unpack_str(&u);
	a->title_derived = S_unpack_num(&u) != 0;
	a->kicker = S_unpack_str(&u);
	a->subtitle = S_unpack_str(&u);
	a->dateline = S_unpack_str(&u);
	S_unpack_list(&u, &a->reporters);
	S_unpack_list(&u, &a->photographers);
	a->continued_from = (int)S_unpack_num(&u);
	a->continues_on = (int)S_unpack_num(&u);
	uint64_t nblocks = S_unpack_num(&u);
	for (uint64_t i = 0; i < nblocks && !u.bad; i++) {
		a->blocks = xgrow(a->blocks, &a->capblocks, a->nblocks, sizeof *a->blocks, 8);
		struct seg_block *b = &a->blocks[a->nblocks++];
		uint64_t type = S_unpack_num(&u);
		b->type = type == SEG_H ? SEG_H : type == SEG_FIGURE ? SEG_FIGURE : SEG_P;
		b->text = S_unpack_str(&u);
		b->caption = S_unpack_str(&u);
		b->credit = S_unpack_str(&u);
		b->line = (size_t)S_unpack_num(&u);
	}
	a->first_line = (size_t)S_unpack_num(&u);
	a->last_line = (size_t)S_unpack_num(&u);
	a->original = S_unpack_str(&u);
	if (!u.bad && (size_t)(u.end - u.p) >= sizeof a->id) {
		memcpy(a->id, u.p, sizeof a->id);
		a->id[sizeof a->id - 1] = '\0';
		u.p += sizeof a->id;
	} else {
		u.bad = 1;
	}
	if (!a->title && !u.bad)
		u.bad = 1; /* every article has a title */
	*p = u.p;
	return u.bad ? -1 : 0;
}

/* ---------------------------------------------------------------------
 * JSON
 * ------------------------------------------------------------------- */

static json_t *
S_page_ref(int page)
{
	return page ? json_integer(page) : json_null();
}

json_t *
seg_article_json(const struct seg_article *a, size_t index, const char *source,
                 const char *encoding)
{
	static const char *const types[] = {"p", "h", "figure"};
	json_t *blocks = json_array();
	for (size_t i = 0; i < a->nblocks; i++) {
		const struct seg_block *b = &a->blocks[i];
		json_array_append_new(blocks, json_pack("{s:s,s:o,s:o,s:o,s:I}", "type",
		                                        types[b->type], "text", mujson_str(b->text),
		                                        "caption", mujson_str(b->caption), "credit",
		                                        mujson_str(b->credit), "line",
		                                        (json_int_t)b->line));
	}
	return json_pack(
	    "{s:s,s:s,s:I,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I,"
	    "s:o,s:s}",
	    "source", source, "encoding", encoding, "index", (json_int_t)index, "id", a->id, "kind",
	    a->kind == SEG_NOTICE ? "notice" : "article", "title", a->title, "title_derived",
	    a->title_derived, "kicker", mujson_str(a->kicker), "subtitle", mujson_str(a->subtitle),
	    "reporters", mujson_strlist(&a->reporters), "photographers",
	    mujson_strlist(&a->photographers), "continued_from", S_page_ref(a->continued_from),
	    "continues_on", S_page_ref(a->continues_on), "dateline", mujson_str(a->dateline),
	    "district", json_null(), "line", (json_int_t)a->first_line, "last_line",
	    (json_int_t)a->last_line, "blocks", blocks, "original", a->original);
}
