#include "chars.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

struct chars {
	uint32_t *t2s;       /* simplified form of CHARS_FIRST..CHARS_LAST, 0 when unchanged */
	char *pinyin_text;   /* pinyin.tsv, NUL-terminated in place */
	const char **pinyin; /* pinyin of CHARS_FIRST..CHARS_LAST, NULL when unknown */
	int borrowed;        /* t2s and pinyin are the caller's (chars_borrow) */
};

#define NCHARS (CHARS_LAST - CHARS_FIRST + 1)

/*
 * Reads dir/name, lines of a Han character and a value separated by a tab,
 * into text (kept: the values point into it) and calls set for each.
 * Returns 0 or -1 after reporting.
 */
static int
S_table(struct chars *c, const char *dir, const char *name, char **text,
        void (*set)(struct chars *, uint32_t, const char *))
{
	struct buf path = BUF_INIT, b = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, name);
	int rc = util_read_file(path.data, &b, 1) > 0 ? 0 : -1;
	*text = buf_detach(&b, NULL);
	char *cur = *text, *line;
	while (rc == 0 && (line = util_cut_line(&cur))) {
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || !line[0] || !tab || strchr(tab + 1, '\t'))
			continue;
		*tab = '\0';
		size_t k;
		uint32_t cp = txt_decode(line, strlen(line), &k);
		if (cp >= CHARS_FIRST && cp <= CHARS_LAST)
			set(c, cp, tab + 1);
	}
	buf_release(&path);
	return rc;
}

static void
S_set_t2s(struct chars *c, uint32_t cp, const char *simplified)
{
	size_t k;
	c->t2s[cp - CHARS_FIRST] = txt_decode(simplified, strlen(simplified), &k);
}

static void
S_set_pinyin(struct chars *c, uint32_t cp, const char *pinyin)
{
	c->pinyin[cp - CHARS_FIRST] = pinyin;
}

struct chars *
chars_load(const char *dir)
{
	struct chars *c = xcalloc(1, sizeof *c);
	c->t2s = xcalloc(NCHARS, sizeof *c->t2s);
	c->pinyin = xcalloc(NCHARS, sizeof *c->pinyin);
	char *t2s_text = NULL;
	int rc = S_table(c, dir, "t2s.tsv", &t2s_text, S_set_t2s);
	free(t2s_text); /* folded into c->t2s */
	if (rc < 0 || S_table(c, dir, "pinyin.tsv", &c->pinyin_text, S_set_pinyin) < 0) {
		chars_free(c);
		return NULL;
	}
	return c;
}

struct chars *
chars_borrow(uint32_t *t2s, const char **pinyin)
{
	struct chars *c = xcalloc(1, sizeof *c);
	c->t2s = t2s;
	c->pinyin = pinyin;
	c->borrowed = 1;
	return c;
}

void
chars_free(struct chars *c)
{
	if (!c)
		return;
	if (c->borrowed) {
		free(c);
		return;
	}
	free(c->t2s);
	free(c->pinyin);
	free(c->pinyin_text);
	free(c);
}

uint32_t
chars_fold(const struct chars *c, uint32_t cp)
{
	if (cp >= CHARS_FIRST && cp <= CHARS_LAST && c->t2s[cp - CHARS_FIRST])
		return c->t2s[cp - CHARS_FIRST];
	return cp;
}

const uint32_t *
chars_t2s(const struct chars *c)
{
	return c->t2s;
}

const char *
chars_pinyin(const struct chars *c, uint32_t cp)
{
	return cp >= CHARS_FIRST && cp <= CHARS_LAST ? c->pinyin[cp - CHARS_FIRST] : NULL;
}
