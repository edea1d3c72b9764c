/*
 * seg_assemble: the grammar that turns a page's blocks, each with its
 * role, into draft articles.
 *
 *   page     := (header | label | editor | article | notice | photo)*
 *   article  := [marker↑] [kicker] headline [headline] [subtitle]
 *               [marker↑] byline* body [marker↓]
 *             | byline dateline-lead body          (no headline printed)
 *   body     := (paragraph | subhead | figure)*
 *   figure   := photo-gap caption [credit]
 *   photo    := headline figure                    (photo news, no body)
 *   roundup  := label (headline paragraph{1,2})*   (each item an article)
 *
 * Each rule below takes the blocks it recognises at the current position
 * and returns how many it took; the first that takes any wins.
 */
#include <stdlib.h>
#include <string.h>

#include "repair.h"
#include "seg_int.h"
#include "text.h"
#include "xalloc.h"

struct asm_state {
	const struct seg_blocks *b;
	struct seg_drafts *out;
	struct draft *cur;
	struct buf label; /* the section label in force, if any */
	int label_used;   /* articles printed under it so far */
	int heading_top;  /* the shallowest Markdown heading level */
};

/* ---------------------------------------------------------------------
 * Drafts
 * ------------------------------------------------------------------- */

static struct draft *
S_new(struct asm_state *st, const struct block *b)
{
	struct seg_drafts *o = st->out;
	o->v = xgrow(o->v, &o->cap, o->n, sizeof *o->v, 8);
	struct draft *d = &o->v[o->n++];
	memset(d, 0, sizeof *d);
	buf_init(&d->title);
	buf_init(&d->kicker);
	buf_init(&d->subtitle);
	buf_init(&d->label);
	buf_init(&d->dateline);
	d->first_line = b->line;
	d->last_line = b->last;
	if (st->label.len) {
		buf_add(&d->label, st->label.data, st->label.len);
		st->label_used++;
	}
	st->cur = d;
	return d;
}

void
seg_draft_free(struct draft *d)
{
	for (size_t i = 0; i < d->npieces; i++) {
		buf_release(&d->pieces[i].text);
		buf_release(&d->pieces[i].credit);
	}
	free(d->pieces);
	buf_release(&d->title);
	buf_release(&d->kicker);
	buf_release(&d->subtitle);
	buf_release(&d->label);
	buf_release(&d->dateline);
	seg_people_free(&d->people);
	memset(d, 0, sizeof *d);
}

struct piece *
seg_piece(struct draft *d, enum piece_type t, size_t line)
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
	if (b->line < d->first_line)
		d->first_line = b->line;
}

/* The last body paragraph of d, if no subhead came after it. */
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

/* Whether d has a headline and nothing after it yet. */
static int
S_head_only(const struct draft *d)
{
	return d && d->title.len && !d->has_body && !d->npieces && d->kind == SEG_ARTICLE;
}

/* Sets a headline, splitting a kicker before a colon ("萧山:整合资源"). */
static void
S_set_title(struct draft *d, const char *s, size_t len)
{
	const char *colon = NULL;
	size_t clen = 0;
	const char *c1 = seg_find(s, len, ":"), *c2 = seg_find(s, len, "：");
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

/* Removes the Markdown #s of a heading. */
static void
S_heading_text(const struct block *b, const char **s, size_t *len)
{
	size_t i = (size_t)b->md_level;
	seg_skip_spaces(b->text, b->len, &i);
	*s = b->text + i;
	*len = b->len - i;
}

static const struct block *
S_at(const struct asm_state *st, size_t i)
{
	return i < st->b->n ? &st->b->v[i] : NULL;
}

/* Whether block b's text opens with a dateline (本报讯, 新华社…电). */
static int
S_dateline_lead(const struct block *b)
{
	return b && b->dated;
}

/* ---------------------------------------------------------------------
 * What decides where an article starts
 * ------------------------------------------------------------------- */

/* A second line of a headline printed on two: the first ends where no
   headline can (稻田里的 / “丰收曲”). */
static int
S_headline_goes_on(const struct block *h, const struct block *n)
{
	if (!n || (n->role != R_SHORT && !(n->role == R_NAMES && n->chars <= 4)) || n->gap >= 2)
		return 0;
	if (seg_ends(h->text, h->len, ",") || seg_ends(h->text, h->len, "，") ||
	    seg_ends(h->text, h->len, "、"))
		return 0;
	/* printed right under it: a short first line, or a word cut off */
	if (n->gap == 0 && n->line == h->last + 1 && (h->chars <= 6 || n->chars <= 4))
		return 1;
	/* too short to stand alone, going on into a quotation: 滑雪场边 /
	   “冰雪饭”越吃越香 */
	if (h->chars <= 4 &&
	    (seg_starts(n->text, n->len, "“") || seg_starts(n->text, n->len, "《")))
		return 1;
	return seg_ends_any(h->text, h->len, seg_continuing, seg_ncontinuing) >= 0;
}

/* Whether the headline-shaped block i opens an article: what follows it
   (past a second headline line or a subtitle) is a byline, a dateline,
   an inline 上接 marker or a continuation marker line. strict: only a
   subtitle printed right under it (a caption may stand over a headline). */
static int
S_headline_at(const struct asm_state *st, size_t i, int strict)
{
	const struct block *b = S_at(st, i);
	if (!b || !seg_headline_shape(b))
		return 0;
	size_t j = i + 1;
	if (S_headline_goes_on(b, S_at(st, j)))
		j++;
	const struct block *n = S_at(st, j);
	if (n && (n->role == R_SUBTITLE || (n->role == R_SHORT && n->gap <= (strict ? 0 : 1))))
		n = S_at(st, ++j); /* a subtitle */
	if (!n || n->gap >= SEG_IMAGE_GAP)
		return 0;
	if (n->role == R_BYLINE || n->role == R_NAMES || (n->role == R_MARKER && n->marker == M_UP))
		return 1;
	struct seg_ref ref;
	size_t used;
	if (seg_marker_at(n->text, n->len, &ref, &used) == M_UP)
		return 1;
	return S_dateline_lead(n);
}

static int
S_headline_here(const struct asm_state *st, size_t i)
{
	return S_headline_at(st, i, 0);
}

/* The block after i, looking past a photo's caption and credit that the
   layout put between i and the text that goes on from it. */
static const struct block *
S_next_text(const struct asm_state *st, size_t i)
{
	size_t j = i + 1;
	if (j < st->b->n && st->b->v[j].gap >= SEG_IMAGE_GAP) {
		j++;
		if (j < st->b->n && st->b->v[j].role == R_CREDIT)
			j++;
	}
	return S_at(st, j);
}

/* How often the bytes s[0..len) occur in the page's blocks. */
static size_t
S_occurrences(const struct asm_state *st, const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < st->b->n; i++) {
		const char *end = st->b->v[i].text + st->b->v[i].len;
		for (const char *p = st->b->v[i].text; p + len <= end; p++)
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
S_cut_paragraph(const struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	const struct block *n = S_next_text(st, i);
	const char *s = b->text;
	size_t len = b->len, k;
	static const char *const whole[] = {"了", "啦", "呢", "吧", "来"};
	int parallel = (seg_find(s, len, ",") || seg_find(s, len, "，")) &&
	               seg_ends_any(s, len, whole, SEG_N(whole)) >= 0; /* 路修好了,游客多了 */
	if (!parallel && seg_ends_any(s, len, seg_continuing, seg_ncontinuing) >= 0)
		return 1;
	/* 是一 | 家: a numeral after a function word */
	if ((seg_ends(s, len, "一") || seg_ends(s, len, "两")) &&
	    seg_ends_any(s, len - strlen("一"), seg_continuing, seg_ncontinuing) >= 0)
		return 1;
	if (seg_find(s, len, "。") || seg_find(s, len, "！") || seg_find(s, len, "？"))
		return 1;
	/* headings hold a comma at most, and are short when they do */
	size_t commas = 0;
	for (const char *p = s; (p = seg_find(p, len - (size_t)(p - s), "，")); p++)
		commas++;
	for (size_t j = 0; j < len; j++)
		commas += s[j] == ',';
	if (commas >= 2 || (commas == 1 && (b->chars >= 30 || seg_find(s, len, "、"))))
		return 1;
	uint32_t last = txt_decode_prev(s, len, &k);
	size_t before = len - k;
	if (txt_is_han(last) && before > 0 && b->chars >= 6 &&
	    seg_ends_any(s, before, seg_name_titles, seg_nname_titles) >= 0)
		return 1;
	for (size_t j = 0; j < len; j += (txt_decode(s + j, len - j, &k), k))
		if (s[j] == ' ' || seg_starts(s + j, len - j, "　"))
			return 0;
	/* the cut word, when the line holds a clause before it; a clause
	   ending in 了 is whole (路修好了,游客多了) */
	if (!n || !txt_is_han(last) || !commas || b->chars < 12 || parallel)
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

/* ---------------------------------------------------------------------
 * Rules
 * ------------------------------------------------------------------- */

/* Page furniture: headers and editor lines belong to the page; a byline
   cut off at the foot (■记者 陈) to the article above it. */
static size_t
S_rule_furniture(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	if (b->role == R_HEADER || b->role == R_EDITOR) {
		st->cur = NULL;
		buf_reset(&st->label);
		return 1;
	}
	if (b->role == R_STUB && st->cur) { /* alone, it is kept as text */
		S_touch(st->cur, b);
		return 1;
	}
	return 0;
}

/* A section label: the items after it are printed under it. */
static size_t
S_rule_label(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	if (b->role != R_LABEL)
		return 0;
	const char *s = b->text;
	size_t len = b->len;
	seg_strip_bullet(&s, &len);
	seg_squeeze(s, len, &st->label);
	static const char *const brackets[] = {"【", "】", "[", "]", "〔", "〕", "《", "》"};
	for (size_t k = 0; k < SEG_N(brackets); k += 2)
		if (seg_starts(st->label.data, st->label.len, brackets[k]) &&
		    seg_ends(st->label.data, st->label.len, brackets[k + 1])) {
			size_t o = strlen(brackets[k]), c = strlen(brackets[k + 1]);
			memmove(st->label.data, st->label.data + o, st->label.len - o - c);
			buf_truncate(&st->label, st->label.len - o - c);
		}
	st->label_used = 0;
	st->cur = NULL;
	return 1;
}

/* Inside a notice, everything is the notice's until an article starts. */
static size_t
S_rule_in_notice(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	if (!st->cur || st->cur->kind != SEG_NOTICE)
		return 0;
	const struct block *n = S_at(st, i + 1);
	int starts = seg_headline_shape(b) && n && (n->role == R_BYLINE || S_dateline_lead(n));
	if (b->role == R_MARKER || b->role == R_HEADING || b->role == R_KICKER ||
	    b->role == R_NOTICE || b->role == R_LABEL || starts)
		return 0;
	struct piece *p = seg_piece(st->cur, PC_P, b->line);
	buf_add(&p->text, b->text, b->len);
	S_touch(st->cur, b);
	return 1;
}

/* Takes a credit in brackets closing a caption: "…(图片由X提供)". */
static size_t
S_caption_credit(const char *s, size_t len, struct piece *f, struct seg_people *ph)
{
	static const char *const open[] = {"(", "（"};
	for (size_t k = 0; k < 2; k++) {
		const char *o = NULL;
		for (const char *q = s; (q = seg_find(q, len - (size_t)(q - s), open[k])); q++)
			o = q;
		if (!o || o == s)
			continue;
		size_t off = (size_t)(o - s);
		if (!seg_ends(s, len, k ? "）" : ")") || !seg_credit(o, len - off, ph))
			continue;
		size_t po = strlen(open[k]), pc = k ? strlen("）") : 1;
		buf_add(&f->credit, s + off + po, len - off - po - pc);
		return off;
	}
	return len;
}

/* A photo stood here: the block after the gap is its caption, then
   perhaps its credit. After a headline with no text, it is photo news. */
static size_t
S_rule_photo(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	if (b->gap < SEG_IMAGE_GAP || b->chars > 120 || b->role == R_MARKER ||
	    b->role == R_HEADING || b->role == R_KICKER || b->role == R_NOTICE ||
	    b->role == R_LABEL || S_headline_at(st, i, 1))
		return 0;
	struct draft *d = st->cur;
	/* under a label, a photo after a finished item is an item of its own,
	   unless that item credited its own photos (文/图) and has none yet */
	int own = d && seg_people_photo(&d->people);
	for (size_t k = 0; own && k < d->npieces; k++)
		own = d->pieces[k].type != PC_FIGURE;
	int item = st->label.len && (!d || (d->closed && !own));
	if (!d || item || d->kind == SEG_NOTICE)
		d = S_new(st, b);
	else if (S_head_only(d))
		d->photo = 1;
	struct piece *f = seg_piece(d, PC_FIGURE, b->line);
	struct seg_people ph = {0};
	size_t used = 1;
	if (b->role == R_CREDIT) {
		buf_add(&f->credit, b->text, b->len);
		seg_credit(b->text, b->len, &ph);
	} else {
		size_t cap = S_caption_credit(b->text, b->len, f, &ph);
		buf_add(&f->text, b->text, cap);
		const struct block *n = S_at(st, i + 1);
		if (n && n->role == R_CREDIT && n->gap < SEG_IMAGE_GAP && !f->credit.len) {
			buf_add(&f->credit, n->text, n->len);
			seg_credit(n->text, n->len, &ph);
			S_touch(d, n);
			used++;
		}
	}
	S_touch(d, b);
	seg_people_take(&d->people, &ph);
	if (!d->has_body)
		d->closed = 1; /* photo news: what follows is another item */
	return used;
}

/* A continuation marker line. */
static size_t
S_rule_marker(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	if (b->role != R_MARKER)
		return 0;
	struct draft *d = st->cur;
	if (b->marker == M_UP) {
		if (!S_head_only(d) || d->from.page)
			d = S_new(st, b);
		d->from = b->ref;
	} else {
		if (!d)
			d = S_new(st, b);
		d->on = b->ref;
		d->closed = 1;
	}
	S_touch(d, b);
	return 1;
}

static size_t
S_rule_notice(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	if (b->role != R_NOTICE)
		return 0;
	buf_reset(&st->label); /* a notice ends a roundup */
	struct draft *d = S_new(st, b);
	d->kind = SEG_NOTICE;
	struct buf w = BUF_INIT;
	seg_squeeze(b->text, b->len, &w);
	if (seg_is_any(w.data, w.len, seg_notice_words, seg_nnotice_words))
		buf_add(&d->label, w.data, w.len); /* 公益广告 over the notice */
	else
		buf_add(&d->title, b->text, b->len);
	buf_release(&w);
	return 1;
}

/* What may follow a headline: its second line, a subtitle, a 上接 marker,
   bylines. Returns the blocks taken after the headline at i. */
static size_t
S_after_title(struct asm_state *st, size_t i)
{
	struct draft *d = st->cur;
	size_t j = i + 1;
	const struct block *h = S_at(st, i), *n = S_at(st, j);
	if (h && S_headline_goes_on(h, n)) {
		buf_add(&d->title, n->text, n->len);
		S_touch(d, n);
		n = S_at(st, ++j);
	}
	if (n && n->role == R_SUBTITLE && n->gap < SEG_IMAGE_GAP) {
		const char *s = n->text;
		size_t len = n->len;
		for (;;)
			if (seg_starts(s, len, "—"))
				s += strlen("—"), len -= strlen("—");
			else if (seg_starts(s, len, "-"))
				s++, len--;
			else
				break;
		seg_trim(&s, &len);
		buf_add(&d->subtitle, s, len);
		S_touch(d, n);
		n = S_at(st, ++j);
	} else if (n && seg_headline_shape(n) && n->gap < SEG_IMAGE_GAP && n->role != R_NAMES) {
		/* a second short line, then text: a subtitle */
		const struct block *nn = S_at(st, j + 1);
		if (nn && (nn->role == R_BODY || nn->role == R_BYLINE) && nn->gap < SEG_IMAGE_GAP) {
			buf_add(&d->subtitle, n->text, n->len);
			S_touch(d, n);
			n = S_at(st, ++j);
		}
	}
	for (int step = 0; n && step < 4; step++) {
		if (n->role == R_MARKER && n->marker == M_UP && !d->from.page) {
			d->from = n->ref;
		} else if (n->role == R_BYLINE || (n->role == R_NAMES && !step)) {
			seg_byline(n->text, n->len, n->role == R_NAMES, &d->people);
		} else if (n->role == R_CREDIT && n->gap < SEG_IMAGE_GAP && !d->npieces) {
			seg_credit(n->text, n->len, &d->people); /* ■摄影 记者 X */
		} else {
			break;
		}
		S_touch(d, n);
		n = S_at(st, ++j);
	}
	return j - i - 1;
}

/* A short line ending in a colon over a headline: the kicker. */
static size_t
S_rule_kicker(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i), *n = S_at(st, i + 1);
	if (b->role != R_KICKER || !n || (!seg_headline_shape(n) && n->role != R_HEADING))
		return 0;
	/* after a 上接 marker line, the marker's article gets its headline */
	struct draft *d = st->cur;
	if (!d || d->title.len || d->npieces || !d->from.page)
		d = S_new(st, b);
	size_t clen = seg_ends(b->text, b->len, ":") ? 1 : strlen("：");
	buf_add(&d->kicker, b->text, b->len - clen);
	S_touch(d, b);
	const char *s = n->text;
	size_t len = n->len;
	if (n->role == R_HEADING)
		S_heading_text(n, &s, &len);
	S_set_title(d, s, len);
	S_touch(d, n);
	return 2 + S_after_title(st, i + 1);
}

/* Markdown headings: the shallowest level on the page is the headline. */
static size_t
S_rule_heading(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	if (b->role != R_HEADING)
		return 0;
	const char *s;
	size_t len;
	S_heading_text(b, &s, &len);
	struct draft *d = st->cur;
	if (b->md_level == st->heading_top) {
		if (!d || d->title.len || d->has_body)
			d = S_new(st, b);
		S_set_title(d, s, len);
		S_touch(d, b);
		return 1 + S_after_title(st, i);
	}
	if (!d)
		d = S_new(st, b);
	struct piece *p = seg_piece(d, PC_H, b->line);
	buf_add(&p->text, s, len);
	S_touch(d, b);
	return 1;
}

/* A byline: the current article's, or the start of a new one when a
   dateline follows it (a headline the page did not print). */
static size_t
S_rule_byline(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i), *n = S_at(st, i + 1);
	if (b->role != R_BYLINE)
		return 0;
	struct draft *d = st->cur;
	if (d && d->kind == SEG_ARTICLE && (!d->has_body || !seg_people_text(&d->people)) &&
	    !(d->has_body && S_dateline_lead(n))) {
		seg_byline(b->text, b->len, 0, &d->people);
		S_touch(d, b);
		return 1;
	}
	/* a new article opens with its byline; a run of bylines with no
	   text after them is kept as text */
	if (n && n->role != R_BYLINE) {
		d = S_new(st, b);
		seg_byline(b->text, b->len, 0, &d->people);
		S_touch(d, b);
		return 1;
	}
	if (!d)
		d = S_new(st, b);
	struct piece *p = seg_piece(d, PC_P, b->line);
	buf_add(&p->text, b->text, b->len);
	p->nojoin = 1;
	S_touch(d, b);
	return 1;
}

/* Starts an article at the headline i. */
static size_t
S_open_article(struct asm_state *st, size_t i, int reuse)
{
	const struct block *b = S_at(st, i);
	struct draft *d = reuse ? st->cur : S_new(st, b);
	/* a full article (its own byline) ends a roundup's items; a column
	   label heads only the full article right under it */
	const struct block *n = S_at(st, i + 1);
	if (st->label.len && n && n->role == R_BYLINE) {
		if (st->label_used > 1)
			buf_reset(&d->label);
		buf_reset(&st->label);
	}
	S_set_title(d, b->text, b->len);
	S_touch(d, b);
	return 1 + S_after_title(st, i);
}

/* Whether the headline-shaped block i in a news item (a dateline's) is a
   subhead of it: short (a news headline says more), and no editor's note
   under it (which opens a series' first piece). */
static int
S_news_subhead(const struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i), *n = S_at(st, i + 1);
	size_t han = 0, k;
	for (size_t j = 0; j < b->len; j += k)
		han += txt_is_han(txt_decode(b->text + j, b->len - j, &k));
	return han <= 10 && !(n && seg_starts_any(n->text, n->len, seg_body_openers, 2) >= 0);
}

/* Whether the headline i is photo news: a photo right under it, and after
   its caption and credit no text that goes on. */
static int
S_photo_news_here(const struct asm_state *st, size_t i)
{
	const struct block *n = S_at(st, i + 1);
	if (!n || n->gap < SEG_IMAGE_GAP || n->role == R_BYLINE)
		return 0;
	const struct block *after = S_next_text(st, i);
	return !after || after->gap >= SEG_IMAGE_GAP ||
	       (after->role != R_BODY && after->role != R_CREDIT && after->role != R_STUB &&
	        after->role != R_BYLINE);
}

/* A run of short lines and nothing else up to the page's foot: slogans,
   a notice whatever it says. Returns how many, 0 for fewer than two. */
static size_t
S_slogans(const struct asm_state *st, size_t i)
{
	size_t j = i;
	while (j < st->b->n && seg_headline_shape(&st->b->v[j]) &&
	       st->b->v[j].gap < SEG_IMAGE_GAP && !S_headline_here(st, j) &&
	       !seg_find(st->b->v[j].text, st->b->v[j].len, "。"))
		j++;
	const struct block *end = S_at(st, j);
	if (end && end->role != R_EDITOR && end->role != R_HEADER && end->role != R_LABEL &&
	    end->role != R_NOTICE && !S_headline_here(st, j))
		return 0;
	return j - i >= 2 ? j - i : 0;
}

static size_t
S_rule_slogans(struct asm_state *st, size_t i)
{
	size_t n = S_slogans(st, i);
	if (!n ||
	    (st->cur && !st->cur->has_body && !st->cur->npieces && st->cur->kind != SEG_NOTICE))
		return 0;
	struct draft *d = st->cur && st->cur->kind == SEG_NOTICE && !st->cur->npieces
	                      ? st->cur
	                      : S_new(st, S_at(st, i));
	d->kind = SEG_NOTICE;
	for (size_t k = i; k < i + n; k++) {
		const struct block *b = S_at(st, k);
		struct piece *p = seg_piece(d, PC_P, b->line);
		buf_add(&p->text, b->text, b->len);
		S_touch(d, b);
	}
	return n;
}

/* A headline-shaped line: a new article's headline, a subhead, or the
   start of a paragraph the column cut. */
static size_t
S_rule_headline(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	if (!seg_headline_shape(b))
		return 0;
	struct draft *d = st->cur;
	int fresh = d && !d->title.len && !d->has_body && d->kind == SEG_ARTICLE && !d->npieces &&
	            !seg_people_text(&d->people);
	if (fresh)
		return S_open_article(st, i, 1);
	if (!d || d->closed || d->kind == SEG_NOTICE || S_headline_here(st, i) ||
	    S_photo_news_here(st, i))
		return S_open_article(st, i, 0);
	struct piece *last = S_last_p(d);
	int mid_sentence = last && !rep_ends_sentence(last->text.data, last->text.len);
	const struct block *after = S_next_text(st, i);
	int body_next = after && (after->role == R_BODY || after->role == R_SHORT);
	if (mid_sentence || !body_next || S_cut_paragraph(st, i))
		return 0;
	/* roundup items have no subheads; a news item has only short ones
	   that name no place: a heading after a finished one starts the
	   next item */
	if ((st->label.len && d->label.len) || !d->title.len || (d->news && !S_news_subhead(st, i)))
		return S_open_article(st, i, 0);
	struct piece *p = seg_piece(d, PC_H, b->line);
	buf_add(&p->text, b->text, b->len);
	S_touch(d, b);
	return 1;
}

/* A credit line away from a photo: the last figure's, if free. */
static size_t
S_rule_credit(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	struct draft *d = st->cur;
	if (b->role != R_CREDIT || !d)
		return 0;
	struct piece *fig = NULL;
	for (size_t k = d->npieces; k-- > 0;)
		if (d->pieces[k].type == PC_FIGURE) {
			fig = &d->pieces[k];
			break;
		}
	struct seg_people ph = {0};
	seg_credit(b->text, b->len, &ph);
	if (fig && !fig->credit.len) {
		buf_add(&fig->credit, b->text, b->len);
	} else {
		struct piece *p = seg_piece(d, PC_P, b->line);
		buf_add(&p->text, b->text, b->len);
		p->nojoin = 1;
	}
	seg_people_take(&d->people, &ph);
	S_touch(d, b);
	return 1;
}

/* Body text: a paragraph, with what it carries at its ends (an inline
   上接 marker, a dateline and its byline, a closing credit, 下转). */
static size_t
S_rule_body(struct asm_state *st, size_t i)
{
	const struct block *b = S_at(st, i);
	const char *s = b->text;
	size_t len = b->len, used;
	struct seg_ref ref;
	struct draft *d = st->cur;
	int lead = S_dateline_lead(b);
	/* a second dateline: a new item whose headline was not printed */
	if (!d || (lead && d->has_body) || d->kind == SEG_NOTICE)
		d = S_new(st, b);
	if (seg_marker_at(s, len, &ref, &used) == M_UP) {
		if (!d->from.page)
			d->from = ref;
		s += used, len -= used;
		seg_trim(&s, &len);
	}
	size_t start;
	if (seg_marker_end(s, len, &ref, &start) == M_DOWN) {
		d->on = ref;
		d->closed = 1;
		len = start;
		seg_trim(&s, &len);
	}
	if (lead && !d->has_body) {
		const char *name;
		size_t nlen;
		seg_dateline(s, len, &name, &nlen, &d->people);
		buf_reset(&d->dateline);
		buf_add(&d->dateline, name, nlen);
		d->news = 1;
	} else if (!d->has_body && seg_leading_credit(s, len, &d->people)) {
		d->news = 1; /* （记者 X）12月6日，…: a news item with no dateline word */
	}
	int bracketed;
	size_t end = seg_trailing_credit(s, len, &d->people, &bracketed);
	if (end < len && !bracketed)
		len = end, seg_trim(&s, &len);
	if (end < len && bracketed)
		d->closed = 1; /* a roundup item ends with its credit */
	struct piece *p = seg_piece(d, PC_P, b->line);
	buf_add(&p->text, s, len);
	p->nojoin = seg_starts_any(s, len, seg_bullets, seg_nbullets) >= 0 && !lead;
	p->lead = lead && !d->has_body;
	d->has_body = 1;
	S_touch(d, b);
	return 1;
}

void
seg_assemble(const struct seg_blocks *b, struct seg_drafts *out)
{
	static size_t (*const rules[])(struct asm_state *, size_t) = {
	    S_rule_furniture, S_rule_label,  S_rule_in_notice, S_rule_photo,  S_rule_marker,
	    S_rule_notice,    S_rule_kicker, S_rule_heading,   S_rule_byline, S_rule_slogans,
	    S_rule_headline,  S_rule_credit, S_rule_body,
	};
	memset(out, 0, sizeof *out);
	struct asm_state st = {.b = b, .out = out, .label = BUF_INIT, .heading_top = 99};
	for (size_t k = 0; k < b->n; k++)
		if (b->v[k].role == R_HEADING && b->v[k].md_level < st.heading_top)
			st.heading_top = b->v[k].md_level;
	for (size_t i = 0; i < b->n;) {
		size_t used = 0;
		for (size_t r = 0; r < SEG_N(rules) && !used; r++)
			used = rules[r](&st, i);
		i += used ? used : 1;
	}
	buf_release(&st.label);
	seg_layout(out);
}
