/*
 * seg_header: what a page prints about itself. Digital-edition exports
 * open with the paper's name, the date and the page with its name, on one
 * line or several ("第03版:要闻", "B2 镇街新闻", "2023年11月14日 星期二",
 * "XX日报 2023年5月18日 星期四 第12版 城事"); sections of a page open
 * with a label ("要 闻", "镇街快讯", "图片新闻").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "repair.h"
#include "seg_int.h"
#include "text.h"
#include "xalloc.h"

/* Reads an unsigned number of at most max digits at s[*i]. */
static int
S_number(const char *s, size_t len, size_t *i, int max)
{
	int n = 0, d = 0;
	while (*i < len && s[*i] >= '0' && s[*i] <= '9' && d < max)
		n = n * 10 + (s[(*i)++] - '0'), d++;
	return d ? n : -1;
}

/* A date: 2023年11月14日 (a weekday may follow in the same word),
   2023-11-14, 2023.11.14, 2023/11/14. Sets out (YYYY-MM-DD) when it is
   a real day; returns the bytes it takes, 0 when none. */
static size_t
S_date(const char *s, size_t len, char out[11])
{
	size_t i = 0;
	int y = S_number(s, len, &i, 4);
	if (y < 1800 || i != 4)
		return 0;
	int cjk = seg_starts(s + i, len - i, "年");
	if (cjk)
		i += strlen("年");
	else if (i < len && (s[i] == '-' || s[i] == '.' || s[i] == '/'))
		i++;
	else
		return 0;
	int m = S_number(s, len, &i, 2);
	if (m < 1)
		return 0;
	if (cjk && seg_starts(s + i, len - i, "月"))
		i += strlen("月");
	else if (!cjk && i < len && (s[i] == '-' || s[i] == '.' || s[i] == '/'))
		i++;
	else
		return 0;
	int d = S_number(s, len, &i, 2);
	if (d < 1)
		return 0;
	if (cjk) {
		if (!seg_starts(s + i, len - i, "日"))
			return 0;
		i += strlen("日");
	}
	char buf[40];
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	if (!meta_valid_date(buf))
		return 0;
	memcpy(out, buf, 11);
	return i;
}

/* 星期二, 周二, 礼拜二. */
static size_t
S_weekday(const char *s, size_t len)
{
	static const char *const pre[] = {"星期", "礼拜", "周"};
	static const char *const day[] = {"一", "二", "三", "四", "五", "六", "日", "天"};
	int p = seg_starts_any(s, len, pre, SEG_N(pre));
	if (p < 0)
		return 0;
	size_t i = strlen(pre[p]);
	int d = seg_starts_any(s + i, len - i, day, SEG_N(day));
	return d < 0 ? 0 : i + strlen(day[d]);
}

/* The lunar date some papers print: 农历十月初二, 癸卯年十月初二. */
static int
S_lunar(const char *s, size_t len)
{
	if (seg_starts(s, len, "农历"))
		return 1;
	return seg_all_han(s, len) && seg_find(s, len, "年") && seg_find(s, len, "月") &&
	       txt_chars(s, len) <= 10;
}

/* A page: 第03版, 05版, 第B07版, B2, 第三版. Copies the page as printed
   (03, B07, B2, 3) to out; returns the bytes taken, 0 when none. */
static size_t
S_page(const char *s, size_t len, char out[16])
{
	size_t i = 0;
	int di = seg_starts(s, len, "第");
	if (di)
		i += strlen("第");
	size_t start = i;
	if (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
		i++;
	size_t digits = i;
	while (i < len && s[i] >= '0' && s[i] <= '9' && i - digits < 3)
		i++;
	if (i == digits) {
		/* 第三版 */
		const char *v = seg_find(s + i, len - i, "版");
		if (!di || !v || v - s - (ptrdiff_t)i > 9 ||
		    seg_page_number(s + i, (size_t)(v - s) - i) <= 0)
			return 0;
		snprintf(out, 16, "%d", seg_page_number(s + i, (size_t)(v - s) - i));
		return (size_t)(v - s) + strlen("版");
	}
	int letter = digits > start;
	int ban = seg_starts(s + i, len - i, "版");
	if (!ban && !(letter && !di && i == len))
		return 0; /* 12 alone is no page; B2 is, G60科创 is not */
	if (i - start >= 16)
		return 0;
	memcpy(out, s + start, i - start);
	out[i - start] = '\0';
	return ban ? i + strlen("版") : i;
}

/* 总第1234期, 第1234期, 今日8版. */
static int
S_issue_no(const char *s, size_t len)
{
	return (seg_ends(s, len, "期") &&
	        (seg_starts(s, len, "总第") || seg_starts(s, len, "第"))) ||
	       (seg_starts(s, len, "今日") && seg_ends(s, len, "版"));
}

/* A paper's name: Han characters, perhaps with Latin letters before
   them, ending like a paper's (日报, 晚报, …报). */
static int
S_paper(const char *s, size_t len)
{
	size_t n = txt_chars(s, len), i = 0, k;
	if (n < 2 || n > 12 || seg_ends_any(s, len, seg_paper_ends, seg_npaper_ends) < 0)
		return 0;
	while (i < len) {
		uint32_t c = txt_decode(s + i, len - i, &k);
		if (!txt_is_han(c) && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			return 0;
		i += k;
	}
	return 1;
}

/* A page's name: a short word of Han characters, perhaps with a part in
   brackets (区县（市）新闻). */
static int
S_section(const char *s, size_t len)
{
	size_t n = txt_chars(s, len), i = 0, k, han = 0;
	if (n < 2 || n > 12)
		return 0;
	while (i < len) {
		uint32_t c = txt_decode(s + i, len - i, &k);
		if (txt_is_han(c))
			han++;
		else if (c != '(' && c != ')' && c != 0xFF08 && c != 0xFF09)
			return 0;
		i += k;
	}
	return han >= 2;
}

/* A page number printed alone (6, 04, 12): a page only beside a page's
   name or at the very top. */
static size_t
S_bare_page(const char *s, size_t len, char out[16])
{
	if (len < 1 || len > 3)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	memcpy(out, s, len);
	out[len] = '\0';
	return len;
}

static void
S_set(char **field, const char *s, size_t len)
{
	if (!*field)
		*field = xstrndup(s, len);
}

/* Where the editors' part of a header line starts (责编:X 美编:Y after
   the page and date), or len. */
static size_t
S_editors_part(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (i && s[i - 1] != ' ')
			continue;
		if (seg_starts_any(s + i, len - i, seg_editor_roles, seg_neditor_roles) >= 0 &&
		    seg_editor_line(s + i, len - i, NULL))
			return i;
	}
	return len;
}

/* Whether s holds what every header has one of: a digit or a letter (a
   date, a page), 版, 年, or a paper's 报. Most lines do not. */
static int
S_may_be_header(const char *s, size_t len)
{
	if (seg_find(s, len, "，") || seg_find(s, len, "。") || seg_find(s, len, "“"))
		return 0; /* a sentence */
	for (size_t i = 0; i < len; i++)
		if ((s[i] >= '0' && s[i] <= '9') || ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
			return 1;
	return seg_find(s, len, "版") || seg_find(s, len, "年") || seg_find(s, len, "报") ||
	       seg_find(s, len, "第");
}

/* Whether s is single characters set apart by spaces, as papers print
   their names in a header (吉 林 日 报). */
static int
S_spelt_out(const char *s, size_t len)
{
	size_t i = 0, k, words = 0;
	while (i < len) {
		seg_skip_spaces(s, len, &i);
		if (i >= len)
			break;
		uint32_t c = txt_decode(s + i, len - i, &k);
		i += k;
		if (!txt_is_han(c) || (i < len && !seg_is_space(txt_decode(s + i, len - i, &k))))
			return 0;
		words++;
	}
	return words >= 3;
}

/* Whether the next word of s is a page's name. */
static int
S_next_is_section(const char *s, size_t len)
{
	size_t i = 0;
	seg_skip_spaces(s, len, &i);
	size_t wl = strcspn(s + i, " ");
	if (wl > len - i)
		wl = len - i;
	return wl && S_section(s + i, wl) && !S_paper(s + i, wl);
}

int
seg_header_line(const char *s, size_t len, int strong, struct seg_head *head)
{
	seg_trim(&s, &len);
	seg_strip_bullet(&s, &len);
	if (!len || txt_chars(s, len) > 80 || !S_may_be_header(s, len))
		return 0;
	if (S_spelt_out(s, len)) { /* 吉 林 日 报 */
		struct buf w = BUF_INIT;
		seg_squeeze(s, len, &w);
		int ok = seg_header_line(w.data, w.len, strong, head);
		buf_release(&w);
		return ok;
	}
	size_t ed = S_editors_part(s, len);
	if (ed < len && ed > 0) {
		struct seg_head got = {0};
		int ok = seg_header_line(s, ed, strong, &got);
		if (ok) {
			seg_editor_line(s + ed, len - ed, &head->editors);
			seg_head_take(head, &got);
		}
		seg_head_free(&got);
		return ok;
	}
	/* colons and separators set words apart as spaces do */
	struct buf norm = BUF_INIT;
	size_t i = 0, k;
	while (i < len) {
		uint32_t c = txt_decode(s + i, len - i, &k);
		int sep = c == ':' || c == 0xFF1A || c == '|' || c == 0xFF5C || c == 0x00B7 ||
		          c == 0x3010 || c == 0x3011 || c == '[' || c == ']';
		if (sep || seg_is_space(c))
			buf_addc(&norm, ' ');
		else
			buf_add(&norm, s + i, k);
		i += k;
	}
	struct seg_head got = {0};
	char date[11] = "", page[16] = "";
	int pages = 0, dates = 0, papers = 0, ok = 1;
	int after_page = 0; /* the last word was a page: a name may follow */
	i = 0;
	while (i < norm.len && ok) {
		seg_skip_spaces(norm.data, norm.len, &i);
		if (i >= norm.len)
			break;
		const char *w = norm.data + i;
		size_t wl = strcspn(w, " ");
		i += wl;
		size_t used;
		if ((used = S_date(w, wl, date))) {
			S_set(&got.date, date, strlen(date));
			dates++;
			if (used < wl && S_weekday(w + used, wl - used) != wl - used)
				ok = 0;
			after_page = 0;
		} else if (S_weekday(w, wl) == wl || S_lunar(w, wl) || S_issue_no(w, wl)) {
			after_page = 0;
		} else if ((used = S_page(w, wl, page)) ||
		           ((used = S_bare_page(w, wl, page)) &&
		            (!strong || S_next_is_section(norm.data + i, norm.len - i)))) {
			S_set(&got.page, page, strlen(page));
			pages++;
			after_page = 1;
			if (used < wl) { /* 第03版要闻 */
				if (S_section(w + used, wl - used))
					S_set(&got.section, w + used, wl - used), after_page = 0;
				else
					ok = 0;
			}
		} else if (S_paper(w, wl) && !papers) {
			S_set(&got.paper, w, wl);
			papers++;
		} else if (after_page && S_section(w, wl)) {
			S_set(&got.section, w, wl);
			after_page = 0;
		} else if ((pages || (papers && !strong)) && !got.section && S_section(w, wl)) {
			S_set(&got.section, w, wl); /* 湖南日报 市州新闻, at the top */
		} else {
			ok = 0;
		}
	}
	ok = ok && (pages || dates || (papers && !strong));
	if (ok)
		seg_head_take(head, &got);
	seg_head_free(&got);
	buf_release(&norm);
	return ok;
}

void
seg_head_take(struct seg_head *head, struct seg_head *got)
{
	char **to[] = {&head->paper, &head->date, &head->page, &head->section};
	char **from[] = {&got->paper, &got->date, &got->page, &got->section};
	for (size_t i = 0; i < 4; i++)
		if (!*to[i] && *from[i])
			*to[i] = *from[i], *from[i] = NULL;
	for (size_t i = 0; i < got->editors.n; i++)
		strlist_add_unique(&head->editors, got->editors.v[i], strlen(got->editors.v[i]));
}

int
seg_label(const char *s, size_t len)
{
	seg_trim(&s, &len);
	seg_strip_bullet(&s, &len);
	static const char *const open[] = {"【", "[", "〔", "《"};
	static const char *const close[] = {"】", "]", "〕", "》"};
	for (size_t b = 0; b < SEG_N(open); b++)
		if (seg_starts(s, len, open[b]) && seg_ends(s, len, close[b]) &&
		    len > strlen(open[b]) + strlen(close[b])) {
			s += strlen(open[b]);
			len -= strlen(open[b]) + strlen(close[b]);
			break;
		}
	struct buf w = BUF_INIT;
	seg_squeeze(s, len, &w);
	size_t n = txt_chars(w.data, w.len);
	int ok = n >= 2 && n <= 8 && seg_all_han(w.data, w.len) &&
	         (seg_is_any(w.data, w.len, seg_label_words, seg_nlabel_words) ||
	          seg_ends_any(w.data, w.len, seg_label_ends, seg_nlabel_ends) >= 0);
	buf_release(&w);
	return ok;
}

void
seg_head_free(struct seg_head *head)
{
	free(head->paper);
	free(head->date);
	free(head->page);
	free(head->section);
	strlist_free(&head->editors);
	memset(head, 0, sizeof *head);
}
