/*
 * segment: a page's text into articles. Roles (seg_roles.c), then the
 * grammar (seg_assemble.c), then here: each draft becomes an article,
 * its paragraphs joined where the layout cut them, its text repaired, a
 * title derived when the page printed none, and a stable id.
 */
#include "segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repair.h"
#include "seg_int.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * Titles
 * ------------------------------------------------------------------- */

/* Skips a dateline and the bracketed byline after it at the start of s. */
static void
S_skip_dateline(const char **s, size_t *len)
{
	struct seg_people tmp = {0};
	const char *name;
	size_t nlen;
	size_t at = seg_dateline(*s, *len, &name, &nlen, &tmp);
	seg_people_free(&tmp);
	if (!at)
		return;
	*s += at, *len -= at;
	size_t i = 0;
	seg_skip_spaces(*s, *len, &i);
	static const char *const open[] = {"（", "("}, *const close[] = {"）", ")"};
	for (size_t b = 0; b < 2; b++)
		if (seg_starts(*s + i, *len - i, open[b])) {
			const char *c = seg_find(*s + i, *len - i, close[b]);
			if (c)
				i = (size_t)(c - *s) + strlen(close[b]);
			break;
		}
	seg_skip_spaces(*s, *len, &i);
	*s += i, *len -= i;
}

/* Text for a derived title: the lead's first sentence without its
   dateline and a leading time phrase; its last clause when the sentence
   is long. */
static void
S_derive_title(const char *lead, struct buf *out)
{
	const char *s = lead;
	size_t len = strlen(lead), k;
	S_skip_dateline(&s, &len);
	size_t end = 0;
	while (end < len) {
		uint32_t c = txt_decode(s + end, len - end, &k);
		if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?')
			break;
		end += k;
	}
	len = end;
	/* a leading date or time: "2月23日下午," */
	const char *comma = seg_find(s, len, "，");
	if (comma && txt_chars(s, (size_t)(comma - s)) <= 8 &&
	    (seg_find(s, (size_t)(comma - s), "日") || seg_find(s, (size_t)(comma - s), "近日") ||
	     seg_find(s, (size_t)(comma - s), "月"))) {
		size_t off = (size_t)(comma - s) + strlen("，");
		s += off;
		len -= off;
	}
	if (txt_chars(s, len) > 30) {
		/* the last clause, when it says enough */
		const char *last = NULL;
		for (const char *q = s; (q = seg_find(q, len - (size_t)(q - s), "，")); q++)
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

/* ---------------------------------------------------------------------
 * Paragraphs
 * ------------------------------------------------------------------- */

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

/* A short sentence that closes a news item on its own (副区长陈容出席。),
   never the end of a sentence the column cut. */
static int
S_closing_sentence(const struct buf *b)
{
	return txt_chars(b->data, b->len) <= 30 && !seg_find(b->data, b->len, "，") &&
	       seg_ends_any(b->data, b->len, seg_closing_verbs, seg_nclosing_verbs) >= 0;
}

/* Joins the paragraphs a column or a photo cut mid-sentence; figures in
   between stay after them. */
static void
S_join_cut(struct draft *d)
{
	struct piece *open = NULL;
	for (size_t i = 0; i < d->npieces; i++) {
		struct piece *p = &d->pieces[i];
		if (p->type == PC_H) {
			open = NULL;
			continue;
		}
		if (p->type != PC_P)
			continue;
		if (p->nojoin || p->lead || (open && S_closing_sentence(&p->text))) {
			open = p->nojoin ? NULL : p;
			if (open && rep_ends_sentence(open->text.data, open->text.len))
				open = NULL;
			continue;
		}
		if (open) {
			S_join(&open->text, &p->text);
			buf_release(&p->text);
			p->type = PC_GONE;
		} else {
			open = p;
		}
		if (rep_ends_sentence(open->text.data, open->text.len))
			open = NULL;
	}
}

/* Lines inside one block were wrapped by the layout too. */
static void
S_unwrap(struct buf *b)
{
	size_t o = 0;
	for (size_t k = 0; k < b->len; k++)
		if (b->data[k] != '\n')
			b->data[o++] = b->data[k];
	buf_truncate(b, o);
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
S_fix_paragraph(const struct buf *b)
{
	if (!seg_starts(b->data, b->len, "本报讯"))
		return S_fix(b, 0);
	size_t n = strlen("本报讯");
	struct buf rest = BUF_INIT, out = BUF_INIT;
	buf_add(&rest, b->data + n, b->len - n);
	buf_adds(&out, "本报讯 ");
	rep_typography(rest.data, rest.len, 0, &out);
	buf_release(&rest);
	return buf_detach(&out, NULL);
}

/* ---------------------------------------------------------------------
 * Articles
 * ------------------------------------------------------------------- */

static void
S_blocks_of(struct draft *d, struct seg_article *a)
{
	int notice = d->kind == SEG_NOTICE;
	if (!notice)
		S_join_cut(d);
	for (size_t i = 0; i < d->npieces; i++) {
		struct piece *p = &d->pieces[i];
		if (p->type == PC_GONE)
			continue;
		if (p->type == PC_P && !notice)
			S_unwrap(&p->text);
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
			                               : S_fix_paragraph(&p->text);
		}
	}
}

/* The headline, or one derived from the lead (or a photo's caption). */
static void
S_title_of(struct draft *d, struct seg_article *a)
{
	if (d->title.len) {
		a->title = S_fix(&d->title, REP_KEEP_SPACES);
		return;
	}
	struct buf t = BUF_INIT, fixed = BUF_INIT;
	for (size_t i = 0; i < a->nblocks && !t.len; i++)
		if (a->blocks[i].type == SEG_P)
			S_derive_title(a->blocks[i].text, &t);
	for (size_t i = 0; i < a->nblocks && !t.len; i++)
		if (a->blocks[i].type == SEG_FIGURE && a->blocks[i].caption)
			S_derive_title(a->blocks[i].caption, &t);
	if (!t.len)
		buf_adds(&t, "（无题）");
	for (size_t i = 0; i < t.len; i++) /* the lines of a notice */
		if (t.data[i] == '\n')
			t.data[i] = ' ';
	rep_typography(t.data, t.len, REP_KEEP_SPACES, &fixed);
	a->title = buf_detach(&fixed, NULL);
	a->title_derived = 1;
	buf_release(&t);
}

/* Everyone credited, and the names of the text's and the photos' people. */
static void
S_people_of(struct draft *d, struct seg_article *a)
{
	a->credits = d->people.v;
	a->ncredits = d->people.n;
	for (size_t i = 0; i < a->ncredits; i++) {
		const struct seg_credit *c = &a->credits[i];
		strlist_add_unique(strcmp(c->role, "摄影") ? &a->reporters : &a->photographers,
		                   c->name, strlen(c->name));
	}
	memset(&d->people, 0, sizeof d->people);
}

/* The source lines from first to last, as printed. */
static void
S_lines(const char *text, size_t first_line, size_t first, size_t last, struct buf *out)
{
	const char *p = text;
	size_t line = first_line;
	while (line < first && *p) {
		p += strcspn(p, "\n");
		if (*p)
			p++;
		line++;
	}
	const char *q = p;
	while (line <= last && *q) {
		q += strcspn(q, "\n");
		if (*q && line < last)
			q++;
		line++;
	}
	buf_add(out, p, (size_t)(q - p));
}

static void
S_finish(struct draft *d, size_t index, const char *rel, const char *text, size_t first_line,
         struct seg_article *a)
{
	memset(a, 0, sizeof *a);
	a->kind = d->kind;
	a->continued_from = d->from.page;
	a->continues_on = d->on.page;
	memcpy(a->from_prefix, d->from.prefix, sizeof a->from_prefix);
	memcpy(a->on_prefix, d->on.prefix, sizeof a->on_prefix);
	a->first_line = d->first_line;
	a->last_line = d->last_line;
	a->moved_first = d->moved_first;
	a->moved_last = d->moved_last;
	S_people_of(d, a);
	S_blocks_of(d, a);
	if (a->kind == SEG_ARTICLE) {
		int words = 0, figures = 0;
		for (size_t i = 0; i < a->nblocks; i++)
			words |= a->blocks[i].type != SEG_FIGURE,
			    figures |= a->blocks[i].type == SEG_FIGURE;
		if (figures && !words)
			a->kind = SEG_PHOTO;
	}
	S_title_of(d, a);
	a->kicker = d->kicker.len ? S_fix(&d->kicker, REP_KEEP_SPACES) : NULL;
	a->subtitle = d->subtitle.len ? S_fix(&d->subtitle, REP_KEEP_SPACES) : NULL;
	a->label = d->label.len ? xstrndup(d->label.data, d->label.len) : NULL;
	a->dateline = d->dateline.len ? xstrndup(d->dateline.data, d->dateline.len) : NULL;

	struct buf orig = BUF_INIT;
	S_lines(text, first_line, a->first_line, a->last_line, &orig);
	if (a->moved_first) {
		buf_adds(&orig, "\n\n");
		S_lines(text, first_line, a->moved_first, a->moved_last, &orig);
	}
	a->original = buf_detach(&orig, NULL);

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
	seg_draft_free(d);
}

/* Two articles with one title on one page: the later one's id takes its
   position too, so every id stays unique. */
static void
S_unique_ids(struct seg_page *out)
{
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
}

void
seg_segment(const char *text, size_t first_line, const char *rel, struct seg_page *out)
{
	memset(out, 0, sizeof *out);
	struct seg_blocks blocks;
	struct seg_drafts drafts;
	seg_blocks_read(text, first_line, &blocks);
	seg_assemble(&blocks, &drafts);
	out->v = xcalloc(drafts.n ? drafts.n : 1, sizeof *out->v);
	for (size_t i = 0; i < drafts.n; i++)
		S_finish(&drafts.v[i], i + 1, rel, text, first_line, &out->v[i]);
	out->n = out->cap = drafts.n;
	S_unique_ids(out);
	out->head = blocks.head;
	memset(&blocks.head, 0, sizeof blocks.head);
	free(drafts.v);
	seg_blocks_free(&blocks);
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
		free(a->label);
		free(a->original);
		free(a->html);
		strlist_free(&a->reporters);
		strlist_free(&a->photographers);
		for (size_t k = 0; k < a->ncredits; k++) {
			free(a->credits[k].name);
			free(a->credits[k].role);
		}
		free(a->credits);
		for (size_t k = 0; k < a->nblocks; k++) {
			free(a->blocks[k].text);
			free(a->blocks[k].caption);
			free(a->blocks[k].credit);
		}
		free(a->blocks);
	}
	free(p->v);
	seg_head_free(&p->head);
	memset(p, 0, sizeof *p);
}

void
seg_explain(const char *text, size_t first_line, FILE *out)
{
	struct seg_blocks b;
	seg_blocks_read(text, first_line, &b);
	for (size_t i = 0; i < b.n; i++) {
		const struct block *k = &b.v[i];
		size_t cut = 0, n = 0, l;
		while (cut < k->len && n < 24 && k->text[cut] != '\n')
			txt_decode(k->text + cut, k->len - cut, &l), cut += l, n++;
		fprintf(out, "  %4zu%s%-5s %-8s %-36s %.*s%s\n", k->line,
		        k->last > k->line ? "-" : " ", "", seg_role_name(k->role), k->why, (int)cut,
		        k->text, cut < k->len ? "…" : "");
		if (k->last > k->line)
			fprintf(out, "       (to line %zu)\n", k->last);
	}
	seg_blocks_free(&b);
}
