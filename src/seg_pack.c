/*
 * seg_pack: articles as bytes (kept aside between the build's two passes)
 * and as the JSON `baoku parse --json` prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mujson.h"
#include "segment.h"
#include "xalloc.h"

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
	S_pack_str(out, a->label);
	S_pack_list(out, &a->reporters);
	S_pack_list(out, &a->photographers);
	S_pack_num(out, a->ncredits);
	for (size_t i = 0; i < a->ncredits; i++) {
		S_pack_str(out, a->credits[i].name);
		S_pack_str(out, a->credits[i].role);
	}
	S_pack_num(out, (uint64_t)a->continued_from);
	S_pack_num(out, (uint64_t)a->continues_on);
	buf_add(out, a->from_prefix, sizeof a->from_prefix);
	buf_add(out, a->on_prefix, sizeof a->on_prefix);
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
	S_pack_num(out, a->moved_first);
	S_pack_num(out, a->moved_last);
	S_pack_str(out, a->original);
	S_pack_str(out, a->html);
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

static void
S_unpack_bytes(struct unpack *u, char *out, size_t n)
{
	if (u->bad || (size_t)(u->end - u->p) < n) {
		u->bad = 1;
		memset(out, 0, n);
		return;
	}
	memcpy(out, u->p, n);
	out[n - 1] = '\0';
	u->p += n;
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
	uint64_t kind = S_unpack_num(&u);
	a->kind = kind == SEG_NOTICE ? SEG_NOTICE : kind == SEG_PHOTO ? SEG_PHOTO : SEG_ARTICLE;
	a->title = S_unpack_str(&u);
	a->title_derived = S_unpack_num(&u) != 0;
	a->kicker = S_unpack_str(&u);
	a->subtitle = S_unpack_str(&u);
	a->dateline = S_unpack_str(&u);
	a->label = S_unpack_str(&u);
	S_unpack_list(&u, &a->reporters);
	S_unpack_list(&u, &a->photographers);
	uint64_t ncredits = S_unpack_num(&u);
	for (uint64_t i = 0; i < ncredits && !u.bad; i++) {
		char *name = S_unpack_str(&u), *role = S_unpack_str(&u);
		if (!name || !role) {
			free(name), free(role);
			u.bad = 1;
			break;
		}
		a->credits = xgrow(a->credits, &a->capcredits, a->ncredits, sizeof *a->credits, 4);
		a->credits[a->ncredits].name = name;
		a->credits[a->ncredits].role = role;
		a->ncredits++;
	}
	a->continued_from = (int)S_unpack_num(&u);
	a->continues_on = (int)S_unpack_num(&u);
	S_unpack_bytes(&u, a->from_prefix, sizeof a->from_prefix);
	S_unpack_bytes(&u, a->on_prefix, sizeof a->on_prefix);
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
	a->moved_first = (size_t)S_unpack_num(&u);
	a->moved_last = (size_t)S_unpack_num(&u);
	a->original = S_unpack_str(&u);
	a->html = S_unpack_str(&u);
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

/* A page reference: its number, or as printed when a letter comes first
   ("A06"). */
static json_t *
S_page_ref(int page, const char *prefix)
{
	if (!page)
		return json_null();
	return *prefix ? json_string(prefix) : json_integer(page);
}

static json_t *
S_credits_json(const struct seg_article *a)
{
	json_t *v = json_array();
	for (size_t i = 0; i < a->ncredits; i++)
		json_array_append_new(v, json_pack("{s:s,s:s}", "name", a->credits[i].name, "role",
		                                   a->credits[i].role));
	return v;
}

static const char *
S_kind_name(enum seg_kind k)
{
	return k == SEG_NOTICE ? "notice" : k == SEG_PHOTO ? "photo" : "article";
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
	json_t *o = json_pack(
	    "{s:s,s:s,s:I,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I,"
	    "s:o,s:s}",
	    "source", source, "encoding", encoding, "index", (json_int_t)index, "id", a->id, "kind",
	    S_kind_name(a->kind), "title", a->title, "title_derived", a->title_derived, "kicker",
	    mujson_str(a->kicker), "subtitle", mujson_str(a->subtitle), "reporters",
	    mujson_strlist(&a->reporters), "photographers", mujson_strlist(&a->photographers),
	    "continued_from", S_page_ref(a->continued_from, a->from_prefix), "continues_on",
	    S_page_ref(a->continues_on, a->on_prefix), "dateline", mujson_str(a->dateline),
	    "district", json_null(), "line", (json_int_t)a->first_line, "last_line",
	    (json_int_t)a->last_line, "blocks", blocks, "original", a->original);
	json_t *spans = json_pack("[[I,I]]", (json_int_t)a->first_line, (json_int_t)a->last_line);
	if (a->moved_first)
		json_array_append_new(spans, json_pack("[I,I]", (json_int_t)a->moved_first,
		                                       (json_int_t)a->moved_last));
	json_object_set_new(o, "spans", spans);
	json_object_set_new(o, "label", mujson_str(a->label));
	json_object_set_new(o, "credits", S_credits_json(a));
	return o;
}

json_t *
seg_head_json(const struct seg_head *head)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o}", "paper", mujson_str(head->paper), "date",
	                 mujson_str(head->date), "page", mujson_str(head->page), "section",
	                 mujson_str(head->section), "editors", mujson_strlist(&head->editors));
}
