/*
 * seg_byline: people on a page and the roles they were printed with:
 * bylines in their many forms, photo credits, datelines that carry a
 * byline, credits that close a paragraph, and editor lines.
 */
#include <stdlib.h>
#include <string.h>

#include "repair.h"
#include "seg_int.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

/* ---------------------------------------------------------------------
 * People
 * ------------------------------------------------------------------- */

void
seg_people_add(struct seg_people *p, const char *name, size_t len, const char *role, size_t rlen)
{
	for (size_t i = 0; i < p->n; i++)
		if (strlen(p->v[i].name) == len && !memcmp(p->v[i].name, name, len) &&
		    strlen(p->v[i].role) == rlen && !memcmp(p->v[i].role, role, rlen))
			return;
	p->v = xgrow(p->v, &p->cap, p->n, sizeof *p->v, 4);
	p->v[p->n].name = xstrndup(name, len);
	p->v[p->n].role = xstrndup(role, rlen);
	p->n++;
}

void
seg_people_take(struct seg_people *into, struct seg_people *from)
{
	for (size_t i = 0; i < from->n; i++)
		seg_people_add(into, from->v[i].name, strlen(from->v[i].name), from->v[i].role,
		               strlen(from->v[i].role));
	seg_people_free(from);
}

void
seg_people_free(struct seg_people *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].role);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

static int
S_photo_role(const char *role)
{
	return !strcmp(role, "摄影");
}

int
seg_people_photo(const struct seg_people *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (S_photo_role(p->v[i].role))
			return 1;
	return 0;
}

int
seg_people_text(const struct seg_people *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (!S_photo_role(p->v[i].role))
			return 1;
	return 0;
}

int
seg_is_name(const char *s, size_t len)
{
	if (len > 8 * 4 || seg_is_any(s, len, seg_not_names, seg_nnot_names))
		return 0;
	if (txt_chars(s, len) >= 4 && seg_ends_any(s, len, seg_org_ends, seg_norg_ends) >= 0)
		return 0; /* 现代快报, 晋江融媒: a paper */
	size_t n = txt_chars(s, len);
	return n >= 2 && (n <= 4 || (n <= 8 && seg_find(s, len, "·"))) && seg_all_han(s, len);
}

/* ---------------------------------------------------------------------
 * Tokens
 * ------------------------------------------------------------------- */

#define TOKENS_MAX 32
/* The longest token of a byline: an agency, a role and a name. */
#define TOKEN_MAX 64

struct tokens {
	const char *s[TOKENS_MAX];
	size_t len[TOKENS_MAX];
	int wide[TOKENS_MAX]; /* two spaces or a separator before it */
	size_t n;
};

static int
S_separator(uint32_t c)
{
	return c == 0x3001 /* 、 */ || c == 0xFF0C || c == ',' || c == 0xFF1B || c == ';';
}

/* Splits s on spaces and separators; 0 when it holds too many tokens or
   a run of text too long to be one. With partial, keeps the tokens before
   such a run instead (the words that open a paragraph). */
static int
S_split(const char *s, size_t len, struct tokens *t, int partial)
{
	size_t i = 0, k;
	t->n = 0;
	while (i < len) {
		int wide = 0, spaces = 0;
		for (;;) {
			if (i >= len)
				break;
			uint32_t c = txt_decode(s + i, len - i, &k);
			if (seg_is_space(c))
				spaces++; /* one ideographic space is one space too */
			else if (S_separator(c))
				wide = 1;
			else
				break;
			i += k;
		}
		if (i >= len)
			break;
		if (t->n == TOKENS_MAX)
			return partial;
		size_t start = i;
		while (i < len) {
			uint32_t c = txt_decode(s + i, len - i, &k);
			if (seg_is_space(c) || S_separator(c))
				break;
			if (c == '/' || c == 0xFF0F) { /* a slash is a word of its own */
				if (i == start)
					i += k;
				break;
			}
			i += k;
		}
		if (i - start > TOKEN_MAX)
			return partial;
		t->s[t->n] = s + start;
		t->len[t->n] = i - start;
		t->wide[t->n] = wide || spaces >= 2;
		t->n++;
	}
	return 1;
}

static int
S_tokens(const char *s, size_t len, struct tokens *t)
{
	return S_split(s, len, t, 0);
}

static int
S_tok_is(const struct tokens *t, size_t i, const char *w)
{
	return i < t->n && t->len[i] == strlen(w) && !memcmp(t->s[i], w, t->len[i]);
}

static int
S_single_han(const struct tokens *t, size_t i)
{
	size_t k;
	return i < t->n && txt_is_han(txt_decode(t->s[i], t->len[i], &k)) && k == t->len[i];
}

/* What may stand before a role in one word: a paper's or agency's name,
   Han characters with Latin letters, + and · (现代+记者, 上游新闻·重庆晚报
   记者). */
static int
S_org_word(const char *s, size_t len)
{
	size_t i = 0, k, han = 0;
	while (i < len) {
		uint32_t c = txt_decode(s + i, len - i, &k);
		if (txt_is_han(c))
			han++;
		else if (c != 0x00B7 &&
		         !(c < 0x80 && (c == '+' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))))
			return 0;
		i += k;
	}
	return han > 0;
}

/*
 * A role word at token i: a word ending in a role (本报记者, XX日报社全媒体
 * 记者, 摄影) or a role spelt out in single characters (实 习 生). Sets
 * *role, *rlen to the role without the agency, *photo when it is a photo
 * role; returns the number of tokens it takes, 0 when none.
 */
static size_t
S_role_at(const struct tokens *t, size_t i, const char **role, size_t *rlen, int *photo)
{
	if (i >= t->n)
		return 0;
	const char *s = t->s[i];
	size_t len = t->len[i];
	int r = seg_ends_any(s, len, seg_text_roles, seg_ntext_roles);
	int p = seg_ends_any(s, len, seg_photo_roles, seg_nphoto_roles);
	if (r >= 0 || p >= 0) {
		const char *w = r >= 0 ? seg_text_roles[r] : seg_photo_roles[p];
		if (p >= 0 && r >= 0 && strlen(seg_photo_roles[p]) > strlen(w))
			w = seg_photo_roles[p], r = -1;
		size_t pre = len - strlen(w);
		if (pre && (!S_org_word(s, pre) || txt_chars(s, pre) > 14))
			return 0;
		*photo = r < 0;
		*role = *photo ? "摄影" : w;
		*rlen = strlen(*role);
		return 1;
	}
	/* 实 习 生, 记 者: single characters that spell a role */
	struct buf joined = BUF_INIT;
	size_t n = 0, got = 0;
	while (S_single_han(t, i + n) && n < 5) {
		buf_add(&joined, t->s[i + n], t->len[i + n]);
		n++;
		int w = seg_ends_any(joined.data, joined.len, seg_text_roles, seg_ntext_roles);
		if (n >= 2 && w >= 0 && strlen(seg_text_roles[w]) == joined.len) {
			*role = seg_text_roles[w];
			*rlen = strlen(*role);
			*photo = 0;
			got = n;
		}
	}
	buf_release(&joined);
	return got;
}

/* Whether the single character at token i says what the names before
   did rather than being one: 摄 closing the line, 文/ and 图/. */
static int
S_action_at(const struct tokens *t, size_t i)
{
	if (S_tok_is(t, i, "摄"))
		return i + 1 == t->n || !S_single_han(t, i + 1) || t->wide[i + 1];
	return (S_tok_is(t, i, "文") || S_tok_is(t, i, "图")) &&
	       (S_tok_is(t, i + 1, "/") || S_tok_is(t, i + 1, "／"));
}

/*
 * A name at token i: one token of 2-4 characters, or single characters
 * set apart by single spaces (林 晓). Copies it into name; returns the
 * tokens it takes, 0 when none.
 */
static size_t
S_name_at(const struct tokens *t, size_t i, struct buf *name)
{
	buf_reset(name);
	if (i >= t->n)
		return 0;
	if (!S_single_han(t, i)) {
		if (!seg_is_name(t->s[i], t->len[i]))
			return 0;
		buf_add(name, t->s[i], t->len[i]);
		return 1;
	}
	size_t n = 0;
	const char *r;
	size_t rl;
	int ph;
	while (S_single_han(t, i + n) && (n == 0 || !t->wide[i + n]) && n < 6 &&
	       !S_action_at(t, i + n) && !(n && S_role_at(t, i + n, &r, &rl, &ph) >= 2))
		n++;
	/* two-character names are spaced to the width of three: 王 芳 秦 川
	   is two people, 王 小 明 one */
	if (n == 4 || n == 6)
		n = 2;
	else if (n > 3)
		n = 3;
	for (size_t k = 0; k < n; k++)
		buf_add(name, t->s[i + k], t->len[i + k]);
	/* a role spelt out is no name */
	if (n >= 2 && S_role_at(t, i, &r, &rl, &ph))
		return 0;
	return n >= 2 && seg_is_name(name->data, name->len) ? n : 0;
}

/* Strips brackets around all of s: (…), （…）, [...], 【…】. */
static int
S_unbracket(const char **s, size_t *len)
{
	static const char *const open[] = {"(", "（", "[", "【", "〔"};
	static const char *const close[] = {")", "）", "]", "】", "〕"};
	for (size_t b = 0; b < SEG_N(open); b++)
		if (seg_starts(*s, *len, open[b]) && seg_ends(*s, *len, close[b]) &&
		    *len > strlen(open[b]) + strlen(close[b])) {
			*s += strlen(open[b]);
			*len -= strlen(open[b]) + strlen(close[b]);
			seg_trim(s, len);
			return 1;
		}
	return 0;
}

/* ---------------------------------------------------------------------
 * Bylines
 * ------------------------------------------------------------------- */

/* The run of names that the current role word covers. */
struct run {
	struct seg_people got;
	size_t first;     /* first credit of the current run */
	const char *role; /* current role, "" before any */
	size_t rlen;
	int photo;
	int roles; /* role words and actions seen */
	int both;  /* a leading 文/图: the names wrote and took the photos */
};

static void
S_run_role(struct run *r, const char *role, size_t rlen, int photo)
{
	r->role = role;
	r->rlen = rlen;
	r->photo = photo;
	r->first = r->got.n;
	r->roles++;
}

/* The names of the current run took the photos: also (with keep) or
   only (without) photographers. */
static void
S_run_photos(struct run *r, int keep)
{
	size_t end = r->got.n;
	for (size_t k = r->first; k < end; k++) {
		struct seg_credit *c = &r->got.v[k];
		if (S_photo_role(c->role))
			continue;
		if (keep) {
			char *name = xstrdup(c->name);
			seg_people_add(&r->got, name, strlen(name), "摄影", strlen("摄影"));
			free(name);
		} else {
			free(c->role);
			c->role = xstrdup("摄影");
		}
	}
	r->roles++;
}

/* The words of the slash forms: 文/X, X/文, 图/X, X/摄, 文/摄. */
static int
S_slash_word(const struct tokens *t, size_t i, int *photo)
{
	static const char *const text[] = {"文", "撰文", "文字"};
	static const char *const pics[] = {"图", "摄", "摄影", "图片"};
	if (i >= t->n)
		return 0;
	*photo = seg_is_any(t->s[i], t->len[i], pics, SEG_N(pics));
	return *photo || seg_is_any(t->s[i], t->len[i], text, SEG_N(text));
}

static int
S_is_slash(const struct tokens *t, size_t i)
{
	return S_tok_is(t, i, "/") || S_tok_is(t, i, "／");
}

/*
 * A slash form at token i. Returns the tokens it takes: "文 / 摄" after
 * names (they took the photos too), "文 /" or "图 /" before a name (that
 * name's role, set in *pending), "/ 文" or "/ 摄" after a name (the role
 * of that name). 0 when there is none.
 */
static size_t
S_slash(struct run *r, const struct tokens *t, size_t i, const char **pending)
{
	int photo, photo2;
	if (S_slash_word(t, i, &photo) && S_is_slash(t, i + 1)) {
		if (S_slash_word(t, i + 2, &photo2)) { /* 文/摄, 文/图, 图/文 */
			if (r->got.n)
				S_run_photos(r, 1);
			else
				r->both = 1; /* 文/图 大河报记者 X: X did both */
			r->roles++;
			return 3;
		}
		*pending = photo ? "摄影" : "文";
		r->roles++;
		return 2;
	}
	if (S_is_slash(t, i) && S_slash_word(t, i + 1, &photo) && r->got.n) {
		struct seg_credit *c = &r->got.v[r->got.n - 1];
		const char *role = photo ? "摄影" : *c->role ? c->role : "文";
		if (strcmp(role, c->role)) {
			free(c->role);
			c->role = xstrdup(role);
		}
		r->roles++;
		return 2;
	}
	if (S_is_slash(t, i)) /* 摄影/X: a separator */
		return 1;
	return 0;
}

/* A token glued of a role and a name: 记者王芳, 本报记者王芳, 王芳摄. */
static int
S_glued(struct run *r, const char *s, size_t len)
{
	if (seg_ends(s, len, "摄") && seg_is_name(s, len - strlen("摄"))) {
		seg_people_add(&r->got, s, len - strlen("摄"), "摄影", strlen("摄影"));
		r->roles++;
		return 1;
	}
	for (size_t w = 0; w < seg_ntext_roles; w++) {
		const char *p = seg_find(s, len, seg_text_roles[w]);
		if (!p)
			continue;
		size_t pre = (size_t)(p - s), wl = strlen(seg_text_roles[w]);
		if ((pre && !seg_all_han(s, pre)) || !seg_is_name(p + wl, len - pre - wl))
			continue;
		if (txt_chars(p + wl, len - pre - wl) > 3)
			continue; /* 记者王芳芳芳: no telling where the name ends */
		S_run_role(r, seg_text_roles[w], wl, 0);
		seg_people_add(&r->got, p + wl, len - pre - wl, seg_text_roles[w], wl);
		return 1;
	}
	return 0;
}

/* A paper or agency set apart from the role after it: 晋江融媒 记者 X,
   厦门日报 记者 X. */
static int
S_org_at(const struct tokens *t, size_t i)
{
	const char *r;
	size_t rl;
	int ph;
	return i + 1 < t->n && txt_chars(t->s[i], t->len[i]) >= 3 &&
	       S_org_word(t->s[i], t->len[i]) &&
	       seg_ends_any(t->s[i], t->len[i], seg_org_ends, seg_norg_ends) >= 0 &&
	       (S_role_at(t, i + 1, &r, &rl, &ph) || S_is_slash(t, i + 1));
}

/* Reads the tokens of a byline into r; 0 when one is no part of one. */
static int
S_read_byline(const struct tokens *t, struct run *r)
{
	struct buf name = BUF_INIT;
	const char *pending = NULL; /* the role 文/ or 图/ gave the next name */
	int ok = 1;
	for (size_t i = 0; i < t->n && ok;) {
		const char *role;
		size_t rlen, used;
		int photo;
		if ((used = S_slash(r, t, i, &pending))) {
			i += used;
			continue;
		}
		if ((used = S_role_at(t, i, &role, &rlen, &photo))) {
			/* 摄影 记者 X: one photo role */
			if (!(r->photo && r->got.n == r->first && !photo))
				S_run_role(r, role, rlen, photo);
			i += used;
			continue;
		}
		if (S_tok_is(t, i, "摄") || S_tok_is(t, i, "摄影报道")) {
			if (r->got.n == r->first) {
				ok = 0;
				break;
			}
			if (i + 1 == t->n)
				r->first = 0; /* 记者 X 通讯员 Y 摄: both took it */
			S_run_photos(r, 0);
			i++;
			continue;
		}
		if (S_tok_is(t, i, "报道") || S_tok_is(t, i, "整理") || S_tok_is(t, i, "发自")) {
			ok = r->got.n > 0;
			r->roles++;
			i++;
			continue;
		}
		if (S_org_at(t, i)) {
			i++;
			continue;
		}
		if ((used = S_name_at(t, i, &name))) {
			const char *rl = pending ? pending : r->role;
			seg_people_add(&r->got, name.data, name.len, rl,
			               pending ? strlen(rl) : r->rlen);
			pending = NULL;
			i += used;
			continue;
		}
		if (!S_glued(r, t->s[i], t->len[i]))
			ok = 0;
		i++;
	}
	buf_release(&name);
	return ok;
}

int
seg_byline(const char *s, size_t len, int bare, struct seg_people *out)
{
	int roles;
	struct seg_people got = {0};
	int ok = seg_people_line(s, len, &got, &roles) && (roles > 0 || bare);
	if (ok)
		seg_people_take(out, &got);
	seg_people_free(&got);
	return ok;
}

/* Whether s holds a mark no line of names has: a sentence's punctuation
   or a quotation. Most text does, and is passed over at once. */
static int
S_prose(const char *s, size_t len)
{
	static const char *const marks[] = {"。", "，", "！", "？", "；", "“", "”", ",", "."};
	for (size_t i = 0; i < SEG_N(marks); i++)
		if (seg_find(s, len, marks[i]))
			return 1;
	return 0;
}

int
seg_people_line(const char *s, size_t len, struct seg_people *out, int *roles)
{
	*roles = 0;
	if (S_prose(s, len))
		return 0;
	seg_trim(&s, &len);
	seg_strip_bullet(&s, &len);
	S_unbracket(&s, &len);
	struct tokens t;
	if (!len || !S_tokens(s, len, &t) || !t.n)
		return 0;
	struct run r = {.role = "", .rlen = 0};
	int ok = S_read_byline(&t, &r) && r.got.n;
	*roles = r.roles;
	if (ok && r.both) {
		r.first = 0;
		S_run_photos(&r, 1);
	}
	/* names alone are two or three characters: 冬季防火 安全第一 is none */
	for (size_t i = 0; ok && !r.roles && i < r.got.n; i++)
		ok = txt_chars(r.got.v[i].name, strlen(r.got.v[i].name)) <= 3;
	if (ok)
		seg_people_take(out, &r.got);
	seg_people_free(&r.got);
	return ok;
}

int
seg_byline_stub(const char *s, size_t len)
{
	seg_trim(&s, &len);
	if (!seg_strip_bullet(&s, &len))
		return 0;
	struct tokens t;
	if (!S_tokens(s, len, &t) || t.n != 2)
		return 0;
	const char *role;
	size_t rlen;
	int photo;
	return S_role_at(&t, 0, &role, &rlen, &photo) == 1 && txt_chars(t.s[1], t.len[1]) == 1 &&
	       seg_all_han(t.s[1], t.len[1]);
}

int
seg_credit(const char *s, size_t len, struct seg_people *out)
{
	struct seg_people got = {0};
	if (seg_byline(s, len, 0, &got) && seg_people_photo(&got) && !seg_people_text(&got)) {
		seg_people_take(out, &got);
		return 1;
	}
	seg_people_free(&got);
	return seg_org_credit(s, len);
}

int
seg_org_credit(const char *s, size_t len)
{
	/* a credit for an organisation, the whole line: (受访者供图),
	   XX县融媒体中心供图, 图片由…提供, 本版图片由…提供 */
	seg_trim(&s, &len);
	S_unbracket(&s, &len);
	if (txt_chars(s, len) > 40)
		return 0;
	static const char *const ends[] = {"供图",   "提供",     "资料图片",
	                                   "资料图", "新华社发", "供稿图"};
	static const char *const starts[] = {"图片由",   "图片来源", "本版图片",
	                                     "本版均为", "图/",      "资料图"};
	return seg_ends_any(s, len, ends, SEG_N(ends)) >= 0 ||
	       seg_starts_any(s, len, starts, SEG_N(starts)) >= 0;
}

/* ---------------------------------------------------------------------
 * Datelines
 * ------------------------------------------------------------------- */

/* Words a dateline's agency holds: 本报, XX新闻网, 新华社, XX客户端. */
static const char *const S_agency[] = {"报", "网", "社", "台", "新闻", "客户端", "融媒", "电视"};

/* The end of a dateline's words at s: …讯 or …电 right after the agency
   (现代快报讯, 新华社电) or a date (本报9月2日讯, 新华社北京6月3日电); 0 when
   none. */
static size_t
S_dateline_words(const char *s, size_t len)
{
	size_t i = 0, k, chars = 0;
	while (i < len && chars < 24) {
		uint32_t c = txt_decode(s + i, len - i, &k);
		if (!txt_is_han(c) && !(c >= '0' && c <= '9') &&
		    !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			return 0;
		if (c == 0x8BAF /* 讯 */ || c == 0x7535 /* 电 */) {
			int agency = seg_ends_any(s, i, S_agency, SEG_N(S_agency)) >= 0;
			int dated = seg_ends(s, i, "日") && seg_find(s, i, "月");
			int named = 0;
			for (size_t a = 0; a < SEG_N(S_agency); a++)
				named |= seg_find(s, i, S_agency[a]) != NULL;
			if (c == 0x8BAF && (seg_starts(s, i, "本报") || agency || (dated && named)))
				return i + k;
			if (c == 0x7535 && named && (agency || dated))
				return i + k;
		}
		i += k;
		chars++;
	}
	return 0;
}

size_t
seg_dateline(const char *s, size_t len, const char **name, size_t *nlen, struct seg_people *out)
{
	const char *p = s;
	size_t l = len;
	seg_strip_bullet(&p, &l);
	size_t words = S_dateline_words(p, l);
	if (!words)
		return 0;
	*name = p;
	*nlen = words;
	size_t at = (size_t)(p - s) + words;
	size_t i = at;
	seg_skip_spaces(s, len, &i);
	/* (记者 X 通讯员 Y) */
	static const char *const open[] = {"(", "（"};
	static const char *const close[] = {")", "）"};
	for (size_t b = 0; b < 2; b++) {
		if (!seg_starts(s + i, len - i, open[b]))
			continue;
		const char *c = seg_find(s + i, len - i, close[b]);
		if (c && txt_chars(s + i, (size_t)(c - s - i)) <= 40) {
			size_t end = (size_t)(c - s) + strlen(close[b]);
			seg_byline(s + i, end - i, 1, out);
		}
		return at;
	}
	/* 记者 X running into the text */
	struct tokens t;
	S_split(s + i, len - i, &t, 1);
	const char *role;
	size_t rlen, used;
	int photo;
	struct buf nm = BUF_INIT;
	size_t ti = 0;
	while ((used = S_role_at(&t, ti, &role, &rlen, &photo))) {
		ti += used;
		size_t names = 0;
		while (ti + 1 < t.n && (used = S_name_at(&t, ti, &nm))) {
			seg_people_add(out, nm.data, nm.len, role, rlen);
			ti += used;
			names++;
		}
		if (!names)
			break;
	}
	buf_release(&nm);
	return at;
}

size_t
seg_leading_credit(const char *s, size_t len, struct seg_people *out)
{
	static const char *const open[] = {"(", "（"}, *const close[] = {")", "）"};
	for (size_t b = 0; b < 2; b++) {
		if (!seg_starts(s, len, open[b]))
			continue;
		const char *c = seg_find(s, len, close[b]);
		if (!c || txt_chars(s, (size_t)(c - s)) > 40)
			return 0;
		size_t end = (size_t)(c - s) + strlen(close[b]);
		struct seg_people got = {0};
		int roles, ok = seg_people_line(s, end, &got, &roles) && roles;
		if (ok)
			seg_people_take(out, &got);
		seg_people_free(&got);
		return ok ? end : 0;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Credits closing a paragraph
 * ------------------------------------------------------------------- */

/* The last byte c in s[0..len), or NULL. */
static const char *
S_last_byte(const char *s, size_t len, char c)
{
	while (len > 0)
		if (s[--len] == c)
			return s + len;
	return NULL;
}

size_t
seg_trailing_credit(const char *s, size_t len, struct seg_people *out, int *bracketed)
{
	size_t k;
	*bracketed = 0;
	/* "…。(记者 X)" */
	if (seg_ends(s, len, ")") || seg_ends(s, len, "）")) {
		const char *open = NULL;
		for (const char *q = s; (q = seg_find(q, len - (size_t)(q - s), "(")); q++)
			open = q;
		for (const char *q = open ? open : s;
		     (q = seg_find(q, len - (size_t)(q - s), "（")); q++)
			open = q;
		if (open && open > s) {
			size_t off = (size_t)(open - s);
			size_t before = off;
			while (before > 0 && seg_is_space(txt_decode_prev(s, before, &k)))
				before -= k;
			struct seg_people got = {0};
			if (txt_chars(open, len - off) <= 40 && rep_ends_sentence(s, before) &&
			    seg_byline(open, len - off, 1, &got) && seg_people_text(&got)) {
				seg_people_take(out, &got);
				*bracketed = 1;
				return off;
			}
			seg_people_free(&got);
		}
	}
	/* "… ■记者 封辰霏": the last bullet, found from the end */
	const char *bullet = NULL;
	for (size_t end = len; end > 1 && !bullet;) {
		const char *q = S_last_byte(s, end, (char)0xE2);
		if (!q || q == s)
			break;
		if (seg_starts_any(q, len - (size_t)(q - s), seg_bullets, seg_nbullets) >= 0)
			bullet = q;
		end = (size_t)(q - s);
	}
	if (bullet) {
		size_t off = (size_t)(bullet - s);
		struct seg_people got = {0};
		if (seg_byline(bullet, len - off, 0, &got) && seg_people_text(&got)) {
			seg_people_take(out, &got);
			return off;
		}
		seg_people_free(&got);
	}
	return len;
}

/* ---------------------------------------------------------------------
 * Editor lines
 * ------------------------------------------------------------------- */

/* An editor's title: one of the table's, or a word ending like one
   (版式编辑, 图片编辑, 校检). */
static int
S_editor_role(const char *s, size_t len)
{
	static const char *const ends[] = {"编辑", "校对", "校检", "检校", "美编", "责编", "审校",
	                                   "设计", "终审", "审读", "组版", "排版", "主编"};
	return seg_is_any(s, len, seg_editor_roles, seg_neditor_roles) ||
	       (txt_chars(s, len) <= 6 && seg_all_han(s, len) &&
	        seg_ends_any(s, len, ends, SEG_N(ends)) >= 0);
}

int
seg_editor_line(const char *s, size_t len, struct strlist *editors)
{
	static const char *const marks[] = {"编", "校", "审", "设计", "版", "签发", "制图"};
	int any = 0;
	for (size_t i = 0; i < SEG_N(marks) && !any; i++)
		any = seg_find(s, len, marks[i]) != NULL;
	if (!any)
		return 0; /* no editor's title in it */
	seg_trim(&s, &len);
	S_unbracket(&s, &len);
	if (txt_chars(s, len) > 60)
		return 0;
	/* role words and names, with : or / between them */
	struct buf norm = BUF_INIT;
	size_t i = 0, k;
	while (i < len) {
		uint32_t c = txt_decode(s + i, len - i, &k);
		if (c == ':' || c == 0xFF1A || c == '/' || c == 0xFF0F || c == '[' || c == ']' ||
		    c == 0x3010 || c == 0x3011 || c == '|' || c == 0xFF5C)
			buf_addc(&norm, ' ');
		else
			buf_add(&norm, s + i, k);
		i += k;
	}
	struct tokens t;
	struct strlist got = {0};
	int ok = S_tokens(norm.data, norm.len, &t) && t.n >= 1, roles = 0, names = 0;
	struct buf name = BUF_INIT;
	for (size_t j = 0; j < t.n && ok;) {
		if (S_editor_role(t.s[j], t.len[j])) {
			roles++;
			j++;
			continue;
		}
		/* 责任编辑王小明: glued */
		int r = seg_starts_any(t.s[j], t.len[j], seg_editor_roles, seg_neditor_roles);
		if (r >= 0 && seg_is_name(t.s[j] + strlen(seg_editor_roles[r]),
		                          t.len[j] - strlen(seg_editor_roles[r]))) {
			strlist_add_unique(&got, t.s[j] + strlen(seg_editor_roles[r]),
			                   t.len[j] - strlen(seg_editor_roles[r]));
			roles++, names++;
			j++;
			continue;
		}
		size_t used = roles ? S_name_at(&t, j, &name) : 0;
		if (!used) {
			ok = 0;
			break;
		}
		strlist_add_unique(&got, name.data, name.len);
		names++;
		j += used;
	}
	ok = ok && roles && names;
	if (ok && editors)
		for (size_t j = 0; j < got.n; j++)
			strlist_add_unique(editors, got.v[j], strlen(got.v[j]));
	strlist_free(&got);
	buf_release(&name);
	buf_release(&norm);
	return ok;
}
