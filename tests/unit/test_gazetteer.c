/*
 * Unit tests for the gazetteer's image in the cache directory
 * (gazetteer_image.c): a gazetteer loaded from it matches, places and
 * spells as one loaded from the TSV files; an image that is damaged or
 * made from other files is not used, silently; the load from the files
 * that follows writes a new one.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "chars.h"
#include "gazetteer.h"
#include "output.h"
#include "tap.h"
#include "text.h"
#include "util.h"

static char S_root[64], S_cache[64], S_data[64], S_image[80];

/* Paragraphs of news naming places, in full and short forms, in
   simplified and traditional characters. */
static const char *const S_texts[] = {
    "本报讯 昨日,上海市松江区九亭镇召开会议,杨浦区和浦东新区的代表参加。"
    "嘉兴市南湖区七星街道的企业也派人到场,朝天门的客商专程从重庆赶来。",
    "嘉興市南湖區湘家蕩區域的項目正加緊施工,楊浦的企業代表說,"
    "明年將在台州黄岩区和泰州各設一個工廠。",
    "咸阳市乾县、杭州萧山和建德市的农民合作社在福州市鼓楼区签约;"
    "昆明市西山区、官渡区的代表和和平发展论坛的嘉宾一同出席。",
    "今天天气很好,大家都很开心。Beijing 北京 and 天津, 1234 ABC.",
};

/* Copies data/NAME to S_data. */
static int
S_copy(const char *name)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "data/%s", name);
	int rc = util_read_file(path.data, &text, 1) > 0 ? 0 : -1;
	buf_reset(&path);
	buf_printf(&path, "%s/%s", S_data, name);
	FILE *f = rc == 0 ? fopen(path.data, "wb") : NULL;
	if (!f || fwrite(text.data, 1, text.len, f) != text.len)
		rc = -1;
	if (f && fclose(f) != 0)
		rc = -1;
	buf_release(&path);
	buf_release(&text);
	return rc;
}

/* The image's inode, 0 when there is none: a new one means the image
   was written again, the same one that it was used. */
static ino_t
S_image_ino(void)
{
	struct stat st;
	return stat(S_image, &st) == 0 ? st.st_ino : 0;
}

/* The image's bytes into b (emptied): 0, or -1 when there is none. */
static int
S_image_bytes(struct buf *b)
{
	buf_reset(b);
	return util_read_file(S_image, b, 0) > 0 ? 0 : -1;
}

/* Puts len bytes at p where the image is, in place (its inode kept). */
static void
S_put_image(const void *p, size_t len)
{
	FILE *f = fopen(S_image, "r+b");
	if (!f)
		f = fopen(S_image, "wb");
	if (f) {
		if (ftruncate(fileno(f), 0) == 0 && len)
			fwrite(p, 1, len, f);
		fclose(f);
	}
}

/* A build's load of the gazetteer in dir, committed (its new image, if
   it wrote one, moved in). */
static struct gazetteer *
S_load_cached(const char *dir)
{
	struct output *o = out_open(S_root, S_cache);
	if (!o)
		return NULL;
	out_set_inputs(o, "inputs\n", 7);
	out_set_salt(o, 1);
	struct gazetteer *gz = gz_load_cached(dir, o, 0);
	if (out_commit(o) != 0) {
		gz_free(gz);
		return NULL;
	}
	return gz;
}

/* Whether the hits of text are the same in a and b. */
static int
S_same_match(const struct gazetteer *a, const struct gazetteer *b, const char *text)
{
	struct gz_hit *ha = NULL, *hb = NULL;
	size_t na = 0, nb = 0, ca = 0, cb = 0, len = strlen(text);
	gz_match(a, text, len, &ha, &na, &ca);
	gz_match(b, text, len, &hb, &nb, &cb);
	int same = na == nb;
	for (size_t i = 0; same && i < na; i++)
		same = ha[i].start == hb[i].start && ha[i].end == hb[i].end &&
		       ha[i].nunits == hb[i].nunits && ha[i].is_short == hb[i].is_short &&
		       !memcmp(ha[i].units, hb[i].units, ha[i].nunits * sizeof *ha[i].units);
	free(ha);
	free(hb);
	return same;
}

/* Whether the units of a and b, their names and ancestors, are the
   same, and so is what their names match and look up. */
static int
S_same_units(const struct gazetteer *a, const struct gazetteer *b)
{
	if (gz_count(a) != gz_count(b))
		return 0;
	const struct gz_unit *ua = gz_units(a), *ub = gz_units(b);
	for (size_t i = 0; i < gz_count(a); i++) {
		const struct gz_unit *x = &ua[i], *y = &ub[i];
		if (x->code != y->code || x->parent != y->parent || x->level != y->level ||
		    x->slug_taken != y->slug_taken || strcmp(x->name, y->name) ||
		    strcmp(x->shortname, y->shortname) || strcmp(x->slug, y->slug))
			return 0;
		for (int level = 0; level <= 5; level++)
			if (gz_ancestor(a, (int32_t)i, level) != gz_ancestor(b, (int32_t)i, level))
				return 0;
		if (!S_same_match(a, b, x->name) ||
		    (x->shortname[0] && !S_same_match(a, b, x->shortname)) ||
		    gz_lookup(a, x->name) != gz_lookup(b, x->name) ||
		    (i % 1000 == 0 && gz_unit_of_code(a, x->code) != gz_unit_of_code(b, y->code)))
			return 0;
	}
	return 1;
}

/* Whether the character tables of a and b fold and spell every
   character alike. */
static int
S_same_chars(const struct gazetteer *a, const struct gazetteer *b)
{
	const struct chars *ca = gz_chars(a), *cb = gz_chars(b);
	for (uint32_t cp = CHARS_FIRST - 16; cp <= CHARS_LAST + 16; cp++) {
		const char *pa = chars_pinyin(ca, cp), *pb = chars_pinyin(cb, cp);
		if (chars_fold(ca, cp) != chars_fold(cb, cp) || !pa != !pb ||
		    (pa && strcmp(pa, pb)))
			return 0;
	}
	return 1;
}

/* Whether a and b are the same gazetteer, by all the tests above. */
static int
S_same(const struct gazetteer *a, const struct gazetteer *b)
{
	if (!a || !b || !S_same_units(a, b) || !S_same_chars(a, b))
		return 0;
	for (size_t i = 0; i < sizeof S_texts / sizeof *S_texts; i++)
		if (!S_same_match(a, b, S_texts[i]))
			return 0;
	return 1;
}

/* A build with the image as it is now: whether it was loaded alike,
   silently, and the image then written again (or used: 0). */
static int
S_try(const struct gazetteer *want, const char *dir, int *rewritten)
{
	ino_t before = S_image_ino();
	buf_reset(&capture_msgs);
	struct gazetteer *gz = S_load_cached(dir);
	int same = S_same(want, gz) && capture_msgs.len == 0;
	*rewritten = S_image_ino() != before;
	gz_free(gz);
	return same;
}

/* Changes the file dir/name's modification time (its bytes kept). */
static int
S_touch(const char *dir, const char *name, long sec)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct timespec t[2] = {{.tv_sec = sec, .tv_nsec = 1}, {.tv_sec = sec, .tv_nsec = 1}};
	return utimensat(AT_FDCWD, path, t, 0);
}

int
main(void)
{
	char dir[] = "/tmp/baoku-gazetteer-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	snprintf(S_root, sizeof S_root, "%s/build", dir);
	snprintf(S_cache, sizeof S_cache, "%s/cache", dir);
	snprintf(S_data, sizeof S_data, "%s/data", dir);
	snprintf(S_image, sizeof S_image, "%s/gazetteer", S_cache);
	diag_set_sink(capture_sink, NULL);
	mkdir(S_data, 0755);
	const char *files[] = {"gazetteer.tsv", "names.tsv", "t2s.tsv", "pinyin.tsv"};
	int copied = 0;
	for (size_t i = 0; i < 4; i++)
		copied += S_copy(files[i]) == 0;
	struct gazetteer *ref = gz_load(S_data);
	if (!ok(copied == 4 && ref && gz_count(ref) > 44000, "the gazetteer loads from the files"))
		return tap_done();

	/* the first build: no image, so the files, and an image written */
	int rewritten = 0;
	struct buf good = BUF_INIT, now = BUF_INIT;
	int same = S_try(ref, S_data, &rewritten), kept = S_image_bytes(&good) == 0;
	ok(same && rewritten && kept,
	   "with no image the gazetteer is loaded from the files and its image written (%zu bytes)",
	   good.len);
	ok(S_try(ref, S_data, &rewritten) && !rewritten,
	   "the next build loads the image: the same units, ancestors, matches, folding and "
	   "pinyin");
	ok(S_image_bytes(&now) == 0 && buf_equals(&now, good.data, good.len),
	   "and leaves it as it was");

	/* damaged images: never used, never reported */
	struct {
		const char *what;
		size_t len, flip; /* the bytes kept; the one flipped, or len */
	} bad[] = {
	    {"of no bytes", 0, 0},
	    {"cut in half", good.len / 2 / 8 * 8, good.len},
	    {"cut by its sum", good.len - 8, good.len},
	    {"one byte short", good.len - 1, good.len},
	    {"with a byte flipped in its head", good.len, 9},
	    {"with a byte flipped in its stamp", good.len, 80},
	    {"with a byte flipped in its units", good.len, 1000},
	    {"with a byte flipped in the middle", good.len, good.len / 2},
	    {"with a byte flipped in its pinyin", good.len, good.len - 100},
	    {"with a byte flipped in its sum", good.len, good.len - 1},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct buf b = BUF_INIT;
		buf_add(&b, good.data, bad[i].len);
		if (bad[i].flip < b.len)
			b.data[bad[i].flip] ^= 0x20;
		S_put_image(b.data, b.len);
		buf_release(&b);
		same = S_try(ref, S_data, &rewritten);
		ok(same && rewritten && S_image_bytes(&now) == 0 &&
		       buf_equals(&now, good.data, good.len),
		   "an image %s is not used: the files are loaded, silently, and a whole image "
		   "written",
		   bad[i].what);
	}
	/* a trie out of its arrays, its sum made right again (util_mix, as
	   the image's own): a root step's pattern */
	struct buf crafted = BUF_INIT;
	buf_add(&crafted, good.data, good.len);
	uint64_t head[9]; /* magic, stamp, units, strings, nodes, ... */
	memcpy(head, crafted.data, sizeof head);
#define UP8(x) (((x) + 7) / 8 * 8)
	size_t root =
	    sizeof head + UP8(head[1]) + UP8(head[2] * 32) + UP8(head[3]) + UP8(head[4] * 24);
	int32_t pat = 0x7ffff000;
	memcpy(crafted.data + root + (0x4E0A - 0x4E00) * 16 + 4, &pat, sizeof pat); /* 上 */
	uint64_t sum;
	size_t end = crafted.len - sizeof sum;
	sum = util_mix(0, crafted.data, end);
	memcpy(crafted.data + end, &sum, sizeof sum);
	S_put_image(crafted.data, crafted.len);
	buf_release(&crafted);
	ok(S_try(ref, S_data, &rewritten) && rewritten,
	   "nor one whose sum is right but whose trie points out of its arrays");

	/* --force: the files, whatever the cache holds */
	struct output *o = out_open(S_root, S_cache);
	ino_t before = S_image_ino();
	struct gazetteer *forced = o ? gz_load_cached(S_data, o, 1) : NULL;
	if (o)
		out_commit(o);
	ok(forced && S_same_units(ref, forced) && S_image_ino() != before,
	   "with fresh (--force) the files are loaded and the image written again");
	gz_free(forced);

	struct buf other = BUF_INIT;
	util_read_file("data/names.tsv", &other, 1);
	buf_truncate(&other, other.len / 8 * 8);
	S_put_image(other.data, other.len);
	ok(S_try(ref, S_data, &rewritten) && rewritten, "nor another file's bytes");
	buf_release(&other);

	/* images of other files */
	ok(S_touch(S_data, "names.tsv", 1000000000) == 0 && S_try(ref, S_data, &rewritten) &&
	       rewritten && S_image_bytes(&now) == 0 && !buf_equals(&now, good.data, good.len),
	   "a data file touched: the image is made again, with the file's new stamp");
	ok(S_try(ref, S_data, &rewritten) && !rewritten, "and used by the next build");
	char t2s[128];
	snprintf(t2s, sizeof t2s, "%s/t2s.tsv", S_data);
	FILE *f = fopen(t2s, "a");
	if (f) {
		fputs("丂\t七\n", f); /* U+4E02, which folds to nothing */
		fclose(f);
	}
	struct gazetteer *changed = gz_load(S_data);
	size_t k;
	uint32_t cp = txt_decode("丂", 3, &k), seven = txt_decode("七", 3, &k);
	ok(changed && chars_fold(gz_chars(ref), cp) == cp &&
	       chars_fold(gz_chars(changed), cp) == seven,
	   "a character table changed");
	ok(S_try(changed, S_data, &rewritten) && rewritten,
	   "is loaded from the files again, not from the image of before");
	gz_free(changed);

	gz_free(ref);
	buf_release(&good);
	buf_release(&now);
	buf_release(&capture_msgs);
	util_remove_tree(dir);
	return tap_done();
}
