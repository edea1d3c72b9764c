/*
 * views_record: an article's record, what the archive holds of it for its
 * listings, people, dates and search (views.h).
 *
 * A record is a JSON array with one slot a field. Its text fields (id,
 * title, kicker, excerpt, href, was) are one string in the first slot: a
 * byte saying which are there ('@' plus a bit each, in S_text_keys'
 * order), a byte of flags ('0' plus TEXT_SPOOLED, TEXT_HREF_ID or
 * TEXT_HREF_WAS), then each one's bytes and a NUL. A JSON string costs a
 * 48-byte value and an allocation of its own, six of them about 350
 * bytes an article, and the archive holds a record for every article.
 *
 * The href is nearly always the article's page named by its id
 * (articles/XX/ID.html), or by its former id: a flag says so, and it is
 * made again when read (S_unpack) rather than kept, 34 bytes a record.
 *
 * The excerpt, most of a record's text, waits in the build's scratch
 * file once its page is read (view_records_spool): the field then holds
 * where ("FD:OFFSET:LENGTH:HASH", in hex but for FD) and the flags say
 * so. It is read back when shown; what keys a page
 * made of it is the text's hash, which the field keeps.
 *
 * The title is most often its page's too (a page's entry takes its first
 * article's title when it has none of its own): once the record is
 * linked to its page (view_record_link), a title the same as the page's
 * is not kept but read from the page's entry, as a flag says (TEXT_TITLE_PAGE),
 * some 60 bytes a page file of one article.
 */
#include "views.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ids.h"
#include "issues.h"
#include "markdown.h"
#include "meta.h"
#include "mujson.h"
#include "reader.h"
#include "spill.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

#define EXCERPT_CHARS 90

/* The text fields, in the order they are packed; "was" is the article's
   id of before (ids.h), which most have, for the redirects. */
static const char *const S_text_keys[] = {"id", "title", "kicker", "excerpt", "href", "was"};
#define TEXT_KEYS (sizeof S_text_keys / sizeof *S_text_keys)
#define TEXT_MARK 0x40 /* the first byte: this and a bit for each field there */
#define TEXT_HAVE 0x3F /* the bits of the fields there */
_Static_assert(TEXT_HAVE >> TEXT_KEYS == 0 && TEXT_HAVE >> (TEXT_KEYS - 1) == 1,
               "a bit of the first byte for each text field");
#define TEXT_HEAD     2 /* bytes before the fields: that one and the flags: */
#define TEXT_FLAGS    '0'
#define TEXT_SPOOLED  1 /* the excerpt is in a file */
#define TEXT_HREF_ID  2 /* the href is not kept: the page named by the id */
#define TEXT_HREF_WAS 4 /* ... by the former id */
#define TEXT_TITLE_PAGE 8 /* the title is not kept: its page's (slot VIEW_PAGE_KEY) is the same */
#define TEXT_FLAG_BITS  (TEXT_SPOOLED | TEXT_HREF_ID | TEXT_HREF_WAS | TEXT_TITLE_PAGE)
/* An href made again: "articles/" (9), two bytes and '/' (3), a name of
   at most HREF_NAME bytes, ".html" (5) and a NUL. */
#define HREF_NAME 32
#define HREF_SIZE (9 + 3 + HREF_NAME + 5 + 1)
_Static_assert(HREF_SIZE <= VIEW_HREF_SIZE, "view_record_href copies one into a view_href");
/* The text fields' places (S_text_keys'); the excerpt is what is spooled. */
enum { ID, TITLE, KICKER, EXCERPT, HREF, WAS };
/* An excerpt shorter than this stays in the record: its place in the
   file would take about as much. */
#define SPOOL_MIN 48

/* The fields of a record that are its printed page's (view_record_link). */
static const char *const S_page_keys[] = {"source",  "date",       "paper",     "page_no",
                                          "section", "page_label", "page_href", "tags"};
#define PAGE_KEYS (sizeof S_page_keys / sizeof *S_page_keys)

/* A record's slots: its text, then those most records have, then the
   archive's. */
static const char *const S_fields[] = {
    "@text",          "district",     VIEW_PAGE_KEY,    "reporters",      "photographers",
    "continued_from", "continues_on", "continues_href", "continued_href", "first_half_reporters",
    "page_href"};
#define FIELDS (sizeof S_fields / sizeof *S_fields)
enum { TEXT_SLOT = 0, DISTRICT_SLOT = 1, PAGE_SLOT = 2 };

/* The place of key among the n names, or -1. */
static int
S_index(const char *const *names, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (*names[i] == *key && !strcmp(names[i], key))
			return (int)i;
	return -1;
}

/* The value in slot i of r, NULL for none. */
static const json_t *
S_at(const json_t *r, size_t i)
{
	const json_t *v = json_array_get(r, i);
	return json_is_null(v) ? NULL : v;
}

/* ---------------------------------------------------------------------
 * The text fields
 * ------------------------------------------------------------------- */

/* A record's text fields, unpacked: each NULL when it has none. */
struct text_fields {
	const char *s[TEXT_KEYS];
	size_t len[TEXT_KEYS];
	int spooled;          /* s[EXCERPT] says where the excerpt is */
	int href_made;        /* s[HREF] is href, made from the id or former id */
	int title_paged;      /* s[TITLE] is its page's title, not kept in it */
	char href[HREF_SIZE]; /* (not to be copied: s[HREF] points here) */
};

/* Where a spooled excerpt is, and its text's util_fnv. */
struct spooled {
	int fd;
	size_t off, len;
	uint64_t hash;
};

/* The page of the article named name[0..len) (articles/XX/NAME.html) into
   out: its length, or 0 when the name is too long for it. */
static size_t
S_href_of(const char *name, size_t len, char out[HREF_SIZE])
{
	static const char dir[] = "articles/", ext[] = ".html";
	if (!name || len < 2 || len > HREF_NAME)
		return 0;
	char *o = out; /* by hand: every unpacking of a record makes one */
	memcpy(o, dir, sizeof dir - 1);
	o += sizeof dir - 1;
	*o++ = name[0];
	*o++ = name[1];
	*o++ = '/';
	memcpy(o, name, len);
	o += len;
	memcpy(o, ext, sizeof ext); /* with its NUL */
	return (size_t)(o - out) + sizeof ext - 1;
}

/* Makes t's href again from the field it is named by, as its flags say:
   0, or -1 when that is missing (or there are both flags). */
static int
S_make_href(unsigned flags, struct text_fields *t)
{
	unsigned by = flags & (TEXT_HREF_ID | TEXT_HREF_WAS);
	if (!by)
		return 0;
	size_t from = by == TEXT_HREF_ID ? ID : WAS;
	size_t len = by == (TEXT_HREF_ID | TEXT_HREF_WAS) || t->s[HREF]
	                 ? 0
	                 : S_href_of(t->s[from], t->len[from], t->href);
	if (!len)
		return -1;
	t->s[HREF] = t->href;
	t->len[HREF] = len;
	t->href_made = 1;
	return 0;
}

/* Unpacks the n bytes at p into t: 0, or -1 when they are not packed
   text fields. */
static int
S_unpack(const char *p, size_t n, struct text_fields *t)
{
	memset(t, 0, sizeof *t);
	unsigned flags = p && n >= TEXT_HEAD ? (unsigned)((unsigned char)p[1] - TEXT_FLAGS) : ~0u;
	if (flags > TEXT_FLAG_BITS || (p[0] & ~TEXT_HAVE) != TEXT_MARK)
		return -1;
	t->spooled = (flags & TEXT_SPOOLED) != 0;
	t->title_paged = (flags & TEXT_TITLE_PAGE) != 0;
	unsigned have = (unsigned char)p[0] & TEXT_HAVE;
	if (t->title_paged && have & 1u << TITLE)
		return -1;
	size_t at = TEXT_HEAD;
	for (size_t i = 0; i < TEXT_KEYS; i++) {
		if (!(have & 1u << i))
			continue;
		const char *end = memchr(p + at, 0, n - at);
		if (!end)
			return -1;
		t->s[i] = p + at;
		t->len[i] = (size_t)(end - (p + at));
		at = (size_t)(end - p) + 1;
	}
	return at == n && (!t->spooled || t->s[EXCERPT]) && S_make_href(flags, t) == 0 ? 0 : -1;
}

static int
S_text(const json_t *r, struct text_fields *t)
{
	const json_t *v = json_array_get(r, TEXT_SLOT);
	if (S_unpack(json_string_value(v), json_string_length(v), t) < 0)
		return -1;
	if (t->title_paged) /* its page's: none without one */
		t->s[TITLE] = view_entry_str(S_at(r, PAGE_SLOT), "title", &t->len[TITLE]);
	return t->title_paged && !t->s[TITLE] ? -1 : 0;
}

/* Whether t's href is the page named by its field from: the flag that
   says so, else 0. */
static unsigned
S_href_by(const struct text_fields *t, size_t from)
{
	char made[HREF_SIZE];
	size_t len = S_href_of(t->s[from], t->len[from], made);
	return len && t->s[HREF] && t->len[HREF] == len && !memcmp(t->s[HREF], made, len)
	           ? (from == ID ? TEXT_HREF_ID : TEXT_HREF_WAS)
	           : 0;
}

/* Packs t as the text slot of r (its title left to its page when
   t->title_paged). */
static void
S_set_text(json_t *r, const struct text_fields *t)
{
	struct buf b = BUF_INIT;
	unsigned have = 0, flags = S_href_by(t, ID);
	if (!flags)
		flags = S_href_by(t, WAS);
	flags |= t->spooled ? TEXT_SPOOLED : 0;
	flags |= t->title_paged ? TEXT_TITLE_PAGE : 0;
	buf_addc(&b, TEXT_MARK);
	buf_addc(&b, (char)(TEXT_FLAGS + flags));
	for (size_t i = 0; i < TEXT_KEYS; i++) {
		if (!t->s[i] || (i == HREF && flags & (TEXT_HREF_ID | TEXT_HREF_WAS)) ||
		    (i == TITLE && t->title_paged))
			continue;
		have |= 1u << i;
		buf_add(&b, t->s[i], t->len[i]);
		buf_addc(&b, '\0');
	}
	b.data[0] = (char)(TEXT_MARK | have);
	json_t *v = json_stringn_nocheck(b.data, b.len);
	buf_release(&b);
	while (json_array_size(r) <= TEXT_SLOT)
		json_array_append_new(r, json_null());
	json_array_set_new(r, TEXT_SLOT, v);
}

/* Keeps record r's title in it when it is its page's (before its link to
   the page changes). */
static void
S_own_title(json_t *r)
{
	struct text_fields f;
	if (S_text(r, &f) == 0 && f.title_paged) {
		f.title_paged = 0;
		S_set_text(r, &f); /* copies the page's title */
	}
}

/* The place of key among the text fields, f holding them: -1 when key is
   not one, or r is no record (a page's entry, an object: their fields
   are read as any other). */
static int
S_text_of(const json_t *r, const char *key, struct text_fields *f)
{
	int t = S_index(S_text_keys, TEXT_KEYS, key);
	return t >= 0 && S_text(r, f) == 0 ? t : -1;
}

/* The place of a spooled excerpt, from its field: 0, or -1. */
static int
S_where(const char *field, struct spooled *sp)
{
	uint64_t fd, off, len;
	if (util_number(&field, 10, ':', &fd) < 0 || util_number(&field, 16, ':', &off) < 0 ||
	    util_number(&field, 16, ':', &len) < 0 ||
	    util_number(&field, 16, '\0', &sp->hash) < 0 || fd > INT_MAX || off > SIZE_MAX ||
	    len > SIZE_MAX)
		return -1;
	*sp = (struct spooled){(int)fd, (size_t)off, (size_t)len, sp->hash};
	return 0;
}

/* Appends text field t of f to out: 1, 0 when there is none, -1 when it
   cannot be read back from its file. */
static int
S_field_text(const struct text_fields *f, size_t t, struct buf *out)
{
	if (!f->s[t])
		return 0;
	if (t != EXCERPT || !f->spooled) {
		buf_add(out, f->s[t], f->len[t]);
		return 1;
	}
	struct spooled sp;
	if (S_where(f->s[t], &sp) < 0)
		return -1;
	buf_grow(out, sp.len);
	if (util_pread_small(sp.fd, out->data + out->len, sp.len, sp.off) < 0)
		return -1;
	out->len += sp.len;
	out->data[out->len] = '\0';
	return 1;
}

/* Field t of f as a model value of m: the record's own bytes, or a copy
   of those read back or made again; null when it has none. */
static mval
S_field_val(struct model *m, const struct text_fields *f, size_t t)
{
	if (t == HREF && f->href_made)
		return model_strcopy(m, f->s[t], f->len[t]);
	if (!f->s[t] || (t == EXCERPT && f->spooled)) {
		struct buf b = BUF_INIT;
		mval v = S_field_text(f, t, &b) > 0 ? model_strcopy(m, b.data ? b.data : "", b.len)
		                                    : model_null();
		buf_release(&b);
		return v;
	}
	return model_strn(m, f->s[t], f->len[t]);
}

/* util_fnv of text field t of f, kept beside a spooled excerpt; 0 when
   there is none. */
static uint64_t
S_field_hash(const struct text_fields *f, size_t t)
{
	struct spooled sp;
	if (!f->s[t])
		return 0;
	if (t == EXCERPT && f->spooled)
		return S_where(f->s[t], &sp) == 0 ? sp.hash : 0;
	return util_fnv(UTIL_FNV_START, f->s[t], f->len[t]);
}

int
view_record_is_text(const char *key)
{
	return S_index(S_text_keys, TEXT_KEYS, key) >= 0 || view_entry_is_text(key);
}

/* ---------------------------------------------------------------------
 * Reading and writing a field
 * ------------------------------------------------------------------- */

/* Whether the field in slot i reads as null when the record has none. */
static int
S_always(size_t slot)
{
	return slot == DISTRICT_SLOT;
}

const json_t *
view_record_get(const json_t *r, const char *key)
{
	if (!json_is_array(r)) /* a district */
		return json_object_get(r, key);
	if (!json_is_string(json_array_get(r, TEXT_SLOT))) /* a page's fields */
		return view_entry_get(r, key);
	int i = S_index(S_fields, FIELDS, key);
	const json_t *v = i > TEXT_SLOT ? S_at(r, (size_t)i) : NULL;
	if (v)
		return v;
	if (S_index(S_page_keys, PAGE_KEYS, key) >= 0) /* page_href: when it has none of its own */
		return view_entry_get(S_at(r, PAGE_SLOT), key);
	return i >= 0 && S_always((size_t)i) ? json_null() : NULL;
}

/* The text field key of entry page, its length in *len:
   view_entry_str's, or, when h is not NULL, an href, made again in h
   when the entry does not keep it (one unpacking of its text). */
static const char *
S_page_text(const json_t *page, const char *key, size_t *len, struct view_href *h)
{
	const char *s = h ? view_entry_href(page, key, h) : NULL;
	if (s)
		*len = strlen(s);
	return s ? s : view_entry_str(page, key, len);
}

/* s (len bytes) as a model's value: copied when it was made in h, which
   does not last. */
static mval
S_model_text(struct model *m, const char *s, size_t len, const struct view_href *h)
{
	return s == h->s ? model_strcopy(m, s, len) : model_strn(m, s, len);
}

/* The string of key in r that is none of a record's own text fields: a
   string field's (a record's own page_href first), else the text field
   of its page (source, page_href) or, of an entry, its own, an href not
   kept made in h (S_page_text). NULL when it has none. */
static const char *
S_str(const json_t *r, const char *key, size_t *len, struct view_href *h)
{
	const json_t *v = view_record_get(r, key), *page = NULL;
	if (!v && view_entry_is(r))
		page = r;
	else if (!v && json_is_array(r) && S_index(S_page_keys, PAGE_KEYS, key) >= 0)
		page = S_at(r, PAGE_SLOT);
	size_t n = json_string_length(v);
	const char *s = page ? S_page_text(page, key, &n, h) : json_string_value(v);
	if (len)
		*len = s ? n : 0;
	return s;
}

/* util_fnv of S_str's string; 0 when there is none. */
static uint64_t
S_str_hash(const json_t *r, const char *key)
{
	size_t len;
	struct view_href h;
	const char *s = view_entry_is_text(key) ? S_str(r, key, &len, &h) : NULL;
	return s ? util_fnv(UTIL_FNV_START, s, len) : 0;
}

const char *
view_record_str(const json_t *r, const char *key, size_t *len)
{
	struct text_fields f;
	int t = S_text_of(r, key, &f);
	if (t < 0)
		return S_str(r, key, len, NULL);
	if ((t == EXCERPT && f.spooled) || (t == HREF && f.href_made))
		f.s[t] = NULL, f.len[t] = 0; /* not here: view_record_text, view_record_href */
	if (len)
		*len = f.len[t];
	return f.s[t];
}

const char *
view_record_href(const json_t *r, struct view_href *h)
{
	struct text_fields f;
	if (view_entry_is(r))
		return view_entry_href(r, "href", h);
	if (S_text_of(r, "href", &f) < 0) /* an object's */
		return view_record_str(r, "href", NULL);
	if (!f.href_made)
		return f.s[HREF]; /* kept in the record */
	memcpy(h->s, f.href, f.len[HREF] + 1);
	return h->s;
}

/* s, or "" for NULL. */
static const char *
S_or_empty(const char *s)
{
	return s ? s : "";
}

void
view_record_ident(const json_t *r, struct view_ident *v)
{
	struct text_fields f;
	if (!json_is_array(r) || S_text(r, &f) < 0) { /* an entry, or an object */
		const char *keys[] = {"id", "title", "paper", "date", "page_no"};
		const char **to[] = {&v->id, &v->title, &v->paper, &v->date, &v->page_no};
		for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
			*to[i] = S_or_empty(view_record_str(r, keys[i], NULL));
		v->excerpt = 0;
		return;
	}
	v->id = S_or_empty(f.s[ID]);
	v->title = S_or_empty(f.s[TITLE]);
	int empty = f.s[EXCERPT] && !f.spooled && !f.len[EXCERPT];
	v->excerpt = empty ? 0 : S_field_hash(&f, EXCERPT);
	const json_t *entry = S_at(r, PAGE_SLOT);
	v->paper = S_or_empty(json_string_value(view_entry_get(entry, "paper")));
	v->date = S_or_empty(json_string_value(view_entry_get(entry, "date")));
	v->page_no = S_or_empty(json_string_value(view_entry_get(entry, "page_no")));
}

int
view_record_text(const json_t *r, const char *key, struct buf *out)
{
	struct text_fields f;
	int t = S_text_of(r, key, &f);
	if (t < 0) {
		size_t len;
		const char *s = view_record_str(r, key, &len);
		if (s)
			buf_add(out, s, len);
		return s != NULL;
	}
	return S_field_text(&f, (size_t)t, out);
}

uint64_t
view_record_text_hash(const json_t *r, const char *key)
{
	struct text_fields f;
	int t = S_text_of(r, key, &f);
	return t >= 0 ? S_field_hash(&f, (size_t)t) : S_str_hash(r, key);
}

void
view_record_text_hashes(const json_t *r, const char *const *keys, size_t n, uint64_t *out)
{
	struct text_fields f;
	int have = S_text(r, &f) == 0;
	for (size_t i = 0; i < n; i++) {
		int t = have ? S_index(S_text_keys, TEXT_KEYS, keys[i]) : -1;
		out[i] = t >= 0 ? S_field_hash(&f, (size_t)t) : S_str_hash(r, keys[i]);
	}
}

mval
view_record_val(struct model *m, const json_t *r, const char *key)
{
	struct text_fields f;
	int t = S_text_of(r, key, &f);
	if (t >= 0)
		return S_field_val(m, &f, (size_t)t);
	size_t len;
	struct view_href h;
	const char *s = view_entry_is_text(key) ? S_str(r, key, &len, &h) : NULL;
	return s ? S_model_text(m, s, len, &h) : view_record_get(r, key);
}

json_t *
view_record_json(const json_t *r, const char *key)
{
	struct text_fields f;
	int t = S_text_of(r, key, &f);
	if (t < 0) {
		size_t len;
		struct view_href h;
		const char *s = view_entry_is_text(key) ? S_str(r, key, &len, &h) : NULL;
		return s ? json_stringn_nocheck(s, len)
		         : json_incref((json_t *)view_record_get(r, key));
	}
	struct buf b = BUF_INIT;
	json_t *v = S_field_text(&f, (size_t)t, &b) > 0
	                ? json_stringn_nocheck(b.data ? b.data : "", b.len)
	                : json_null();
	buf_release(&b);
	return v;
}

int
view_record_set(json_t *r, const char *key, json_t *v)
{
	int t = S_index(S_text_keys, TEXT_KEYS, key), i = S_index(S_fields, FIELDS, key);
	if (t >= 0) {
		struct text_fields f;
		if (S_text(r, &f) < 0 || (v && !json_is_string(v) && !json_is_null(v)) ||
		    memchr(json_string_value(v) ? json_string_value(v) : "", 0,
		           json_string_length(v))) { /* a NUL would end it early */
			json_decref(v);
			return -1;
		}
		f.s[t] = json_string_value(v); /* NULL: none */
		f.len[t] = json_string_length(v);
		if (t == EXCERPT)
			f.spooled = 0;
		if (t == TITLE)
			f.title_paged = 0; /* its own now */
		S_set_text(r, &f); /* copies v's text before it goes */
		json_decref(v);
		return 0;
	}
	if (i <= TEXT_SLOT || !json_is_array(r) || view_entry_is(r)) {
		json_decref(v);
		return -1;
	}
	if (i == PAGE_SLOT && v != S_at(r, PAGE_SLOT))
		S_own_title(r); /* the page it had may go */
	if (!v)
		v = json_null();
	while (json_array_size(r) <= (size_t)i) {
		if (json_is_null(v))
			return 0; /* none already */
		json_array_append_new(r, json_null());
	}
	return json_array_set_new(r, (size_t)i, v);
}

int
view_record_valid(const json_t *r)
{
	struct text_fields f; /* one spooled is this build's alone */
	return json_is_array(r) && json_array_size(r) <= FIELDS && S_text(r, &f) == 0 &&
	       !f.spooled && f.s[ID] && f.s[HREF];
}

/* ---------------------------------------------------------------------
 * The whole record
 * ------------------------------------------------------------------- */

void
view_record_each(const json_t *r, view_field_fn fn, void *arg)
{
	struct text_fields f;
	S_text(r, &f);
	for (size_t i = 0; i < TEXT_KEYS; i++) {
		uint64_t h = S_field_hash(&f, i);
		if (h)
			fn(S_text_keys[i], NULL, h, arg);
	}
	size_t n = json_array_size(r);
	for (size_t i = TEXT_SLOT + 1; i < n && i < FIELDS; i++) {
		const json_t *v = S_at(r, i);
		if (v && i != PAGE_SLOT)
			fn(S_fields[i], v, 0, arg);
	}
	const json_t *page = S_at(r, PAGE_SLOT);
	struct view_href h;
	for (size_t i = 0; i < PAGE_KEYS; i++) {
		const char *key = S_page_keys[i];
		size_t len;
		const char *s = view_entry_is_text(key) ? S_page_text(page, key, &len, &h) : NULL;
		const json_t *v = s ? NULL : view_entry_get(page, key);
		if (s)
			fn(key, NULL, util_fnv(UTIL_FNV_START, s, len), arg);
		else if (v)
			fn(key, v, 0, arg);
	}
}

void
view_record_link(json_t *const *records, size_t n, const json_t *entry)
{
	size_t len;
	const char *title = view_entry_str(entry, "title", &len);
	for (size_t k = 0; k < n; k++) {
		json_t *r = records[k];
		struct text_fields f;
		view_record_set(r, VIEW_PAGE_KEY, json_incref((json_t *)entry));
		if (title && S_text(r, &f) == 0 && !f.title_paged && f.s[TITLE] &&
		    f.len[TITLE] == len && !memcmp(f.s[TITLE], title, len)) {
			f.title_paged = 1; /* the page's, read from it */
			S_set_text(r, &f);
		}
	}
}

mval
view_record_over(struct model *m, const json_t *r)
{
	if (!r)
		return NULL;
	struct model_map *v = model_map(m, TEXT_KEYS + FIELDS + PAGE_KEYS, NULL);
	struct text_fields f;
	S_text(r, &f);
	for (size_t i = 0; i < TEXT_KEYS; i++) /* each reads as null when empty */
		model_set(m, v, S_text_keys[i], S_field_val(m, &f, i));
	size_t n = json_array_size(r);
	for (size_t i = TEXT_SLOT + 1; i < FIELDS; i++) {
		const json_t *x = i < n ? S_at(r, i) : NULL;
		if (x && i != PAGE_SLOT)
			model_set(m, v, S_fields[i], (mval)x);
		else if (S_always(i))
			model_set(m, v, S_fields[i], model_null());
	}
	const json_t *page = S_at(r, PAGE_SLOT);
	for (size_t i = 0; i < PAGE_KEYS;
	     i++) { /* a record's own page_href wins, being set first */
		const char *key = S_page_keys[i];
		size_t len;
		struct view_href h;
		const char *s = view_entry_is_text(key) ? S_page_text(page, key, &len, &h) : NULL;
		const json_t *x = s ? NULL : view_entry_get(page, key);
		if (s)
			model_set(m, v, key, S_model_text(m, s, len, &h));
		else if (x)
			model_set(m, v, key, (mval)x);
	}
	return model_map_val(v);
}

json_t *
view_record_pick(const json_t *r, const char *const *keys, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		json_t *v = view_record_json(r, keys[i]);
		if (v)
			json_object_set_new_nocheck(o, keys[i], v);
	}
	return o;
}

mval
view_record_pick_model(struct model *m, const json_t *r, const char *const *keys, size_t n)
{
	struct model_map *map = model_map(m, n, NULL);
	for (size_t i = 0; i < n; i++) {
		mval v = view_record_val(m, r, keys[i]);
		if (v)
			model_set(m, map, keys[i], v);
	}
	return model_map_val(map);
}

/* ---------------------------------------------------------------------
 * The excerpts in the scratch file
 * ------------------------------------------------------------------- */

void
view_records_spool(json_t *const *records, size_t n, struct spill *sp)
{
	struct buf where = BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		json_t *r = records[k];
		struct text_fields f;
		size_t off;
		if (S_text(r, &f) < 0 || f.spooled || f.len[EXCERPT] < SPOOL_MIN ||
		    spill_put(sp, f.s[EXCERPT], f.len[EXCERPT], &off) < 0)
			continue; /* stays */
		buf_reset(&where);
		buf_printf(&where, "%d:%zx:%zx:%016" PRIx64, sp->fd, off, f.len[EXCERPT],
		           util_fnv(UTIL_FNV_START, f.s[EXCERPT], f.len[EXCERPT]));
		f.s[EXCERPT] = where.data;
		f.len[EXCERPT] = where.len;
		f.spooled = 1;
		S_set_text(r, &f);
	}
	buf_release(&where);
}

json_t *
view_records_portable(json_t *const *records, size_t n)
{
	json_t *out = json_array();
	struct buf excerpt = BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		json_t *r = records[k];
		struct text_fields f;
		if (S_text(r, &f) < 0 || (!f.spooled && !S_at(r, PAGE_SLOT))) {
			json_array_append(out, r);
			continue;
		}
		buf_reset(&excerpt);
		int got = f.spooled ? S_field_text(&f, EXCERPT, &excerpt) : 0;
		if (got < 0) { /* not read back: the cache would keep it lost */
			json_decref(out);
			out = NULL;
			break;
		}
		json_t *copy = json_copy(r); /* its slots shared, but its page's */
		if (json_array_size(copy) > PAGE_SLOT)
			json_array_set_new(copy, PAGE_SLOT, json_null());
		while (json_array_size(copy) > PAGE_SLOT &&
		       json_is_null(json_array_get(copy, json_array_size(copy) - 1)))
			json_array_remove(copy, json_array_size(copy) - 1); /* as unlinked */
		if (f.spooled) {
			f.s[EXCERPT] = got > 0 ? excerpt.data ? excerpt.data : "" : NULL;
			f.len[EXCERPT] = got > 0 ? excerpt.len : 0;
		}
		f.spooled = 0;
		f.title_paged = 0; /* its own again */
		S_set_text(copy, &f);
		json_array_append_new(out, copy);
	}
	buf_release(&excerpt);
	return out;
}

/* ---------------------------------------------------------------------
 * Making one
 * ------------------------------------------------------------------- */

/* The first characters of an article's first paragraph, for listings,
   into out; 0 when it has none. */
static int
S_excerpt(const struct seg_article *a, struct buf *out)
{
	for (size_t i = 0; i < a->nblocks; i++) {
		const char *t = a->blocks[i].text;
		if (a->blocks[i].type != SEG_P || !t)
			continue;
		txt_cut(t, strlen(t), EXCERPT_CHARS, out);
		return 1;
	}
	return 0;
}

/* Sets text field i of f to s (NULL: none). */
static void
S_text_field(struct text_fields *f, size_t i, const char *s, size_t len)
{
	f->s[i] = s;
	f->len[i] = s ? len : 0;
}

json_t *
view_record(const struct seg_article *a, json_t *district)
{
	json_t *r = json_array();
	struct buf excerpt = BUF_INIT, href = BUF_INIT;
	buf_printf(&href, "articles/%.2s/%s.html", a->id, a->id);
	struct text_fields f = {0};
	S_text_field(&f, ID, a->id, strlen(a->id));
	S_text_field(&f, TITLE, a->title, a->title ? strlen(a->title) : 0);
	S_text_field(&f, KICKER, a->kicker, a->kicker ? strlen(a->kicker) : 0);
	if (S_excerpt(a, &excerpt))
		S_text_field(&f, EXCERPT, excerpt.data ? excerpt.data : "", excerpt.len);
	S_text_field(&f, HREF, href.data, href.len);
	if (*a->legacy && strcmp(a->legacy, a->id)) /* for the redirects (redirects.h) */
		S_text_field(&f, WAS, a->legacy, strlen(a->legacy));
	S_set_text(r, &f);
	buf_release(&excerpt);
	buf_release(&href);
	view_record_set(r, "district", json_incref(district));
	/* what most articles lack is left out (a record is held for every
	   article of the archive): read as empty, and an article's page
	   has the article's own */
	if (a->reporters.n)
		view_record_set(r, "reporters", mujson_strlist(&a->reporters));
	if (a->photographers.n)
		view_record_set(r, "photographers", mujson_strlist(&a->photographers));
	if (a->continued_from)
		view_record_set(r, "continued_from", json_integer(a->continued_from));
	if (a->continues_on)
		view_record_set(r, "continues_on", json_integer(a->continues_on));
	return r;
}

json_t *
view_record_shared(const char *source, const struct meta *m)
{
	struct buf label = BUF_INIT, href = BUF_INIT;
	json_t *shared = json_pack("{s:s,s:o,s:o,s:o,s:o}", "source", source, "date",
	                           mujson_str(m->date), "paper", mujson_str(m->paper), "page_no",
	                           mujson_str(m->page), "section", mujson_str(m->section));
	/* a printed page's label and view; a Markdown article has neither */
	if (!md_is_markdown(source)) {
		iss_page_label(m->page, m->section, &label);
		if (!ids_view_path(m->paper, m->date, m->page, &href)) {
			char *slug = view_slug(source);
			buf_printf(&href, "pages/%s.html", slug);
			free(slug);
		}
		json_object_set_new(shared, "page_label",
		                    label.len ? json_stringn(label.data, label.len) : json_null());
		json_object_set_new(shared, "page_href", json_stringn(href.data, href.len));
	}
	buf_release(&label);
	buf_release(&href);
	if (m->tags.n) /* only then: untagged records stay as they were */
		json_object_set_new(shared, "tags", mujson_strlist(&m->tags));
	return shared;
}
