/* seg_text: the string helpers the reader's files share. */
#include <string.h>

#include "repair.h"
#include "seg_int.h"
#include "text.h"

int
seg_starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && !memcmp(s, prefix, n);
}

int
seg_ends(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && !memcmp(s + len - n, suffix, n);
}

const char *
seg_find(const char *s, size_t len, const char *needle)
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

int
seg_is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0x3000 || c == '\f' || c == 0xA0;
}

void
seg_skip_spaces(const char *s, size_t len, size_t *i)
{
	size_t k;
	while (*i < len && seg_is_space(txt_decode(s + *i, len - *i, &k)))
		*i += k;
}

void
seg_trim(const char **s, size_t *len)
{
	size_t i = 0, k;
	seg_skip_spaces(*s, *len, &i);
	*s += i;
	*len -= i;
	while (*len > 0 && seg_is_space(txt_decode_prev(*s, *len, &k)))
		*len -= k;
}

int
seg_all_han(const char *s, size_t len)
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

int
seg_strip_bullet(const char **s, size_t *len)
{
	size_t i = 0;
	seg_skip_spaces(*s, *len, &i);
	int b = seg_starts_any(*s + i, *len - i, seg_bullets, seg_nbullets);
	if (b < 0)
		return 0;
	i += strlen(seg_bullets[b]);
	seg_skip_spaces(*s, *len, &i);
	*s += i;
	*len -= i;
	return 1;
}

/* The index of the longest word of list that s starts with (at_end: ends
   with), or -1. */
static int
S_longest(const char *s, size_t len, const char *const *list, size_t n, int at_end)
{
	int best = -1;
	size_t best_len = 0;
	if (!len)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!at_end && list[i][0] != s[0])
			continue; /* most words fail on their first byte */
		size_t l = strlen(list[i]);
		if (l > best_len && l <= len && !memcmp(at_end ? s + len - l : s, list[i], l))
			best = (int)i, best_len = l;
	}
	return best;
}

int
seg_ends_any(const char *s, size_t len, const char *const *list, size_t n)
{
	return S_longest(s, len, list, n, 1);
}

int
seg_starts_any(const char *s, size_t len, const char *const *list, size_t n)
{
	return S_longest(s, len, list, n, 0);
}

int
seg_is_any(const char *s, size_t len, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && !memcmp(s, list[i], len))
			return 1;
	return 0;
}

void
seg_squeeze(const char *s, size_t len, struct buf *out)
{
	buf_reset(out);
	size_t i = 0, k;
	while (i < len) {
		uint32_t c = txt_decode(s + i, len - i, &k);
		if (!seg_is_space(c))
			buf_add(out, s + i, k);
		i += k;
	}
}
