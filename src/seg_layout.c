/*
 * seg_layout: what the page's layout did across articles, seen once the
 * grammar has made its drafts: an article left with nothing but a marker,
 * a column moved away from the article it belongs to, and how far a
 * section label reaches.
 */
#include <stdlib.h>
#include <string.h>

#include "repair.h"
#include "seg_int.h"
#include "text.h"
#include "xalloc.h"

/* An article left with nothing (a marker alone) gives its lines to the
   next, so no text is lost and no empty article shown. */
static void
S_drop_empty(struct seg_drafts *o)
{
	for (size_t i = 0; i < o->n; i++) {
		struct draft *d = &o->v[i];
		int empty = !d->title.len && !d->npieces && !d->people.n;
		if (!empty || i + 1 >= o->n)
			continue;
		struct draft *n = &o->v[i + 1];
		if (!n->from.page)
			n->from = d->from;
		if (!n->on.page)
			n->on = d->on;
		if (d->first_line < n->first_line)
			n->first_line = d->first_line;
		seg_draft_free(d);
		memmove(d, d + 1, (o->n - i - 1) * sizeof *d);
		o->n--;
		i--;
	}
}

/* Whether d holds photos and no text. */
static int
S_photo_only(const struct draft *d)
{
	int figures = 0;
	for (size_t i = 0; i < d->npieces; i++)
		if (d->pieces[i].type == PC_FIGURE)
			figures = 1;
		else
			return 0;
	return figures;
}

/*
 * What a label heads: a notice takes no section label but its own
 * (公益广告); a photo label (图片新闻, 图说) heads photo news, and the first
 * article with text after its photos ends it.
 */
static void
S_label_scope(struct seg_drafts *o)
{
	struct buf ended = BUF_INIT;
	for (size_t i = 0; i < o->n; i++) {
		struct draft *d = &o->v[i];
		if (!d->label.len) {
			buf_reset(&ended);
			continue;
		}
		if (d->kind == SEG_NOTICE) {
			if (!seg_is_any(d->label.data, d->label.len, seg_notice_words,
			                seg_nnotice_words))
				buf_reset(&d->label);
			continue;
		}
		int photo_label = seg_find(d->label.data, d->label.len, "图") ||
		                  seg_find(d->label.data, d->label.len, "影");
		if (ended.len && buf_equals(&ended, d->label.data, d->label.len)) {
			buf_reset(&d->label);
		} else if (photo_label && !S_photo_only(d)) {
			buf_reset(&ended);
			buf_add(&ended, d->label.data, d->label.len);
			buf_reset(&d->label);
		}
	}
	buf_release(&ended);
}

/* The last paragraph of d, past figures after it, or NULL. */
static struct piece *
S_tail_p(struct draft *d)
{
	for (size_t i = d->npieces; i-- > 0;)
		if (d->pieces[i].type == PC_P)
			return &d->pieces[i];
		else if (d->pieces[i].type != PC_FIGURE)
			return NULL;
	return NULL;
}

/* Whether d's text stops mid-sentence with no 下转 to say where it goes
   on, the last character a Han one (积极支持建设): a column cut it. */
static int
S_open_end(struct draft *d)
{
	struct piece *p = S_tail_p(d);
	size_t k;
	return d->kind == SEG_ARTICLE && !d->on.page && p && !p->nojoin && p->text.len &&
	       txt_is_han(txt_decode_prev(p->text.data, p->text.len, &k));
}

/* Whether d ends in a short sentence that could finish another article's:
   a paragraph that ends one after one that did too. */
static int
S_orphan_end(struct draft *d)
{
	if (d->npieces < 2)
		return 0;
	struct piece *f = &d->pieces[d->npieces - 1], *before = &d->pieces[d->npieces - 2];
	size_t k;
	return f->type == PC_P && before->type == PC_P && !f->lead &&
	       txt_chars(f->text.data, f->text.len) <= 40 &&
	       rep_ends_sentence(f->text.data, f->text.len) &&
	       rep_ends_sentence(before->text.data, before->text.len) &&
	       txt_is_han(txt_decode(f->text.data, f->text.len, &k));
}

/* Whether d is a section with a headline and text only: no byline, no
   dateline, no marker, nothing that makes an article of its own. */
static int
S_bare_section(const struct draft *d)
{
	return d->kind == SEG_ARTICLE && d->title.len && !d->kicker.len && !d->people.n &&
	       !d->news && !d->from.page && !d->on.page && !d->label.len && d->has_body;
}

/*
 * A column the layout moved: an article elsewhere on the page stops
 * mid-sentence, and a short sentence that finishes it closes another
 * article, followed by a bare section (its headline and text, no byline
 * or dateline). When exactly one article is open, the sentence joins its
 * end and the section becomes a section of it.
 */
static void
S_moved_columns(struct seg_drafts *o)
{
	size_t open = o->n, opens = 0, orphan = o->n, orphans = 0;
	for (size_t i = 0; i < o->n; i++)
		if (S_open_end(&o->v[i]))
			open = i, opens++;
	for (size_t i = 0; i + 1 < o->n; i++)
		if (S_orphan_end(&o->v[i]) && S_bare_section(&o->v[i + 1]) && i != open &&
		    i + 1 != open)
			orphan = i, orphans++;
	if (opens != 1 || orphans != 1)
		return;
	struct draft *t = &o->v[open], *k = &o->v[orphan], *sec = &o->v[orphan + 1];
	struct piece *f = &k->pieces[k->npieces - 1];
	struct piece *end = S_tail_p(t);
	buf_add(&end->text, f->text.data, f->text.len);
	buf_release(&f->text);
	buf_release(&f->credit);
	k->npieces--;
	t->moved_first = f->line;
	t->moved_last = sec->last_line;
	k->last_line = f->line - 1;
	struct piece *h = seg_piece(t, PC_H, sec->first_line);
	buf_add(&h->text, sec->title.data, sec->title.len);
	for (size_t i = 0; i < sec->npieces; i++) {
		t->pieces = xgrow(t->pieces, &t->cappieces, t->npieces, sizeof *t->pieces, 16);
		t->pieces[t->npieces++] = sec->pieces[i];
	}
	sec->npieces = 0;
	seg_draft_free(sec);
	memmove(sec, sec + 1, (size_t)(o->v + o->n - sec - 1) * sizeof *sec);
	o->n--;
}

void
seg_layout(struct seg_drafts *o)
{
	S_drop_empty(o);
	S_moved_columns(o);
	S_label_scope(o);
}
