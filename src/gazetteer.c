#include "gazetteer_int.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chars.h"
#include "diag.h"
#include "hmap.h"
#include "text.h"
#include "util.h"
#include "xalloc.h"

static size_t
S_edge_slot(uint64_t key, size_t n)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & (n - 1);
}

static unsigned
S_kid_bit(uint32_t cp)
{
	return (unsigned)(((uint64_t)cp * 0x9E3779B97F4A7C15ULL) >> 58);
}

static size_t
S_edge_bit(uint64_t key)
{
	return (size_t)((key * 0xC2B2AE3D27D4EB4FULL) >> 43);
}

/* Whether node may have a child for cp: no when its bit is clear. */
static int
S_maybe_edge(const struct gazetteer *gz, int32_t node, uint32_t cp)
{
	size_t bit = S_edge_bit((uint64_t)node << 21 | cp);
	return gz->edge_bits[bit >> 6] >> (bit & 63) & 1;
}

/* The child of node for cp, or -1, from the edges' hash, for a node
   whose children's mask (kids) has cp's bit. */
static int32_t
S_edge(const struct gazetteer *gz, int32_t node, uint32_t cp)
{
	uint64_t key = (uint64_t)node << 21 | cp;
	for (size_t j = S_edge_slot(key, gz->nedges);; j = (j + 1) & (gz->nedges - 1)) {
		uint64_t e = gz->edges[j];
		if (e >> 21 == key)
			return (int32_t)(e & EDGE_CHILD);
		if (!e)
			return -1;
	}
}

/* The child of node for cp, or -1: from the edges' hash once they are
   built, by a binary search among its children while the trie is being
   built. */
static int32_t
S_goto(const struct gazetteer *gz, int32_t node, uint32_t cp)
{
	if (gz->nedges)
		return gz->nodes[node].kids >> S_kid_bit(cp) & 1 ? S_edge(gz, node, cp) : -1;
	const struct node *n = &gz->nodes[node];
	int32_t lo = n->first, hi = n->first + (int32_t)n->nchild;
	while (lo < hi) {
		int32_t mid = lo + (hi - lo) / 2;
		if (gz->nodes[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n->first + (int32_t)n->nchild && gz->nodes[lo].cp == cp ? lo : -1;
}

/* ---------------------------------------------------------------------
 * Building
 * ------------------------------------------------------------------- */

static uint32_t
S_fold(const struct gazetteer *gz, uint32_t cp)
{
	if (cp >= HAN_FIRST && cp <= HAN_LAST && gz->t2s[cp - HAN_FIRST])
		return gz->t2s[cp - HAN_FIRST];
	return cp;
}

struct row {
	const char *name;
	size_t line; /* its place in names.tsv */
	int32_t unit;
	int8_t is_short;
};

static int32_t
S_new_node(struct gazetteer *gz, uint32_t cp)
{
	gz->nodes = xgrow(gz->nodes, &gz->capnodes, gz->nnodes, sizeof *gz->nodes, 4096);
	gz->nodes[gz->nnodes] = (struct node){.cp = cp, .first = 0, .nchild = 0, .pat = -1};
	return (int32_t)gz->nnodes++;
}

/*
 * Builds the subtrie of node from rows [lo, hi), sorted and sharing their
 * first `off` bytes: the rows that end there name the node's pattern, the
 * others are grouped by their next code point into contiguous children.
 */
static void
S_build(struct gazetteer *gz, const struct row *rows, size_t lo, size_t hi, size_t off,
        int32_t node)
{
	size_t i = lo, k;
	while (i < hi && !rows[i].name[off])
		i++;
	if (i > lo) {
		gz->pats = xgrow(gz->pats, &gz->cappats, gz->npats, sizeof *gz->pats, 4096);
		struct pattern *p = &gz->pats[gz->npats];
		p->first = (int32_t)lo;
		p->count = (int32_t)(i - lo);
		p->is_short = 1;
		for (size_t r = lo; r < i; r++)
			p->is_short &= rows[r].is_short;
		gz->nodes[node].pat = (int32_t)gz->npats++;
	}
	/* count the children, then make them, then fill each */
	size_t groups = 0;
	uint32_t prev = 0;
	for (size_t r = i; r < hi; r++) {
		const char *s = rows[r].name + off;
		uint32_t cp = txt_decode(s, strlen(s), &k);
		if (r == i || cp != prev)
			groups++;
		prev = cp;
	}
	if (!groups)
		return;
	int32_t first = (int32_t)gz->nnodes;
	for (size_t g = 0; g < groups; g++)
		S_new_node(gz, 0);
	gz->nodes[node].first = first;
	gz->nodes[node].nchild = (uint32_t)groups;
	size_t start = i, g = 0;
	while (start < hi) {
		const char *s = rows[start].name + off;
		uint32_t cp = txt_decode(s, strlen(s), &k);
		size_t end = start + 1;
		while (end < hi && !strncmp(rows[end].name + off, s, k))
			end++;
		gz->nodes[first + (int32_t)g].cp = cp;
		S_build(gz, rows, start, end, off + k, first + (int32_t)g);
		start = end;
		g++;
	}
}

/* Rows by name, then by their place in names.tsv. */
static int
S_row_cmp(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->line > b->line) - (a->line < b->line);
}

/*
 * Folds the names as text is folded when it is matched, and sorts the
 * rows again when that changed any: a name with a character that has a
 * simplified form (乾县, whose 乾 folds to 干) could otherwise never match.
 */
static void
S_fold_rows(struct gazetteer *gz, struct row *rows, size_t nrows)
{
	struct buf all = BUF_INIT, one = BUF_INIT;
	size_t *at = xcalloc(nrows ? nrows : 1, sizeof *at), k;
	for (size_t r = 0; r < nrows; r++) {
		const char *s = rows[r].name;
		size_t len = strlen(s);
		buf_reset(&one);
		for (size_t i = 0; i < len; i += k)
			txt_put(&one, S_fold(gz, txt_decode(s + i, len - i, &k)));
		rows[r].line = r;
		at[r] = (size_t)-1;
		if (one.len == len && !memcmp(one.data, s, len))
			continue;
		at[r] = all.len;
		buf_add(&all, one.data, one.len + 1);
	}
	int changed = all.len > 0;
	gz->folded = buf_detach(&all, NULL);
	for (size_t r = 0; r < nrows; r++)
		if (at[r] != (size_t)-1)
			rows[r].name = gz->folded + at[r];
	if (changed)
		qsort(rows, nrows, sizeof *rows, S_row_cmp);
	free(at);
	buf_release(&one);
}

/* A decimal code; the file holds nothing else in these fields. */
static uint64_t
S_number(const char *s)
{
	uint64_t n = 0;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (uint64_t)(*s++ - '0');
	return n;
}

/* Splits a line into tab-separated fields, in place. */
static size_t
S_fields(char *line, char **f, size_t max)
{
	size_t n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

const struct chars *
gz_chars(const struct gazetteer *gz)
{
	return gz->chars;
}

int
gz_municipality(uint64_t code)
{
	return code == 11 || code == 12 || code == 31 || code == 50;
}

/* The ancestor of u at level, going up the parents. */
static int32_t
S_walk_up(const struct gazetteer *gz, int32_t u, int level)
{
	while (u >= 0 && gz->u[u].level > level)
		u = gz->u[u].parent;
	return u >= 0 && gz->u[u].level == level ? u : -1;
}

/*
 * Marks the group units (cities; the districts of municipalities) whose
 * slug a group with a lower code already has, so that slugs can be made
 * unique without searching: one pass in code order with a hash of slugs.
 */
/* A slug, or a code, looked for among the units. */
struct unit_key {
	const struct gazetteer *gz;
	const char *slug;
	uint64_t code;
};

static int
S_has_slug(const void *ctx, size_t i)
{
	const struct unit_key *k = ctx;
	return !strcmp(k->gz->u[i].slug, k->slug);
}

static int
S_has_code(const void *ctx, size_t i)
{
	const struct unit_key *k = ctx;
	return k->gz->u[i].code == k->code;
}

static void
S_mark_taken(struct gazetteer *gz)
{
	struct hmap seen = {0}; /* the groups that have their slug */
	for (size_t i = 0; i < gz->n; i++) {
		struct gz_unit *u = &gz->u[i];
		if (u->level != 2 && u->level != 3)
			continue;
		int32_t p = S_walk_up(gz, (int32_t)i, 1);
		int muni = p >= 0 && gz_municipality(gz->u[p].code);
		if (!u->slug[0] || (u->level == 2) == muni)
			continue; /* not a group */
		struct unit_key key = {.gz = gz, .slug = u->slug};
		uint64_t h = util_fnv(UTIL_FNV_START, u->slug, strlen(u->slug));
		hmap_reserve(&seen, 1);
		size_t slot = hmap_probe(&seen, h, S_has_slug, &key);
		if (hmap_entry(&seen, slot) != HMAP_NONE)
			u->slug_taken = 1;
		else
			hmap_fill(&seen, slot, h, i);
	}
	hmap_free(&seen);
}

/* Every unit's ancestors, looked up once: classifying an article asks
   for them at every comparison of its evidence. */
static void
S_ancestors(struct gazetteer *gz)
{
	gz->up = xcalloc(gz->n ? gz->n : 1, sizeof *gz->up);
	for (size_t i = 0; i < gz->n; i++)
		for (int level = 1; level <= 4; level++)
			gz->up[i][level - 1] = S_walk_up(gz, (int32_t)i, level);
}

/* Reads dir/gazetteer.tsv into gz's units, linking each to its parent.
   Returns 0, or -1 after reporting. */
static int
S_read_units(struct gazetteer *gz, const char *dir)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct hmap by_code = {0}; /* of the units */
	size_t capunits = 0;
	int rc = -1;
	buf_printf(&path, "%s/gazetteer.tsv", dir);
	if (util_read_file(path.data, &text, 1) <= 0)
		goto out;
	gz->data = buf_detach(&text, NULL);

	/* code -> index, to link parents (they come before their children) */
	size_t lines = 1;
	for (const char *p = gz->data; *p; p++)
		lines += *p == '\n';
	hmap_reserve(&by_code, lines);

	size_t lineno = 0;
	char *cur = gz->data, *line;
	while ((line = util_cut_line(&cur))) {
		lineno++;
		char *f[7];
		if (!line[0] || line[0] == '#')
			continue;
		if (S_fields(line, f, 7) != 6) {
			diag_error(path.data, lineno, 0,
			           "expected 6 tab-separated fields; run "
			           "'make gazetteer' to regenerate the file");
			goto out;
		}
		gz->u = xgrow(gz->u, &capunits, gz->n, sizeof *gz->u, 65536);
		struct gz_unit *u = &gz->u[gz->n];
		u->code = S_number(f[0]);
		uint64_t parent = S_number(f[1]);
		u->level = (uint8_t)atoi(f[2]);
		u->name = f[3];
		u->shortname = f[4];
		u->slug = f[5];
		u->parent = -1;
		u->slug_taken = 0;
		if (parent) {
			struct unit_key key = {.gz = gz, .code = parent};
			size_t i = hmap_find(&by_code, parent, S_has_code, &key);
			if (i != HMAP_NONE)
				u->parent = (int32_t)i;
		}
		hmap_add(&by_code, u->code, gz->n);
		gz->n++;
	}
	rc = 0;
out:
	hmap_free(&by_code);
	buf_release(&path);
	buf_release(&text);
	return rc;
}

/* Reads dir/names.tsv, every name and short form sorted, into *rows (the
   caller frees them; their names point into gz->names). Returns 0, or -1
   after reporting. path is set to the file's name. */
static int
S_read_names(struct gazetteer *gz, const char *dir, struct buf *path, struct row **rows,
             size_t *nrows)
{
	struct buf text = BUF_INIT;
	size_t caprows = 0, n = 0;
	buf_printf(path, "%s/names.tsv", dir);
	if (util_read_file(path->data, &text, 1) <= 0) {
		buf_release(&text);
		return -1;
	}
	gz->names = buf_detach(&text, NULL);
	size_t lineno = 0;
	char *cur = gz->names, *line;
	while ((line = util_cut_line(&cur))) {
		lineno++;
		char *f[4];
		if (!line[0] || line[0] == '#')
			continue;
		size_t nf = S_fields(line, f, 4);
		uint64_t unit = nf == 3 ? S_number(f[1]) : (uint64_t)-1;
		if (unit >= gz->n || (n && strcmp((*rows)[n - 1].name, f[0]) > 0)) {
			diag_error(path->data, lineno, 0,
			           "expected 'name, unit, short' sorted by "
			           "name; run 'make gazetteer' to regenerate the file");
			*nrows = n;
			return -1;
		}
		*rows = xgrow(*rows, &caprows, n, sizeof **rows, 65536);
		(*rows)[n++] =
		    (struct row){.name = f[0], .unit = (int32_t)unit, .is_short = f[2][0] == '1'};
	}
	*nrows = n;
	return 0;
}

/* Hashes the trie's edges and makes the steps from the root: a binary
   search among a node's children mispredicts its branches half the
   time, at every character. Returns 0, or -1 after reporting a trie too
   large (from the names in the file path). */
static int
S_index_trie(struct gazetteer *gz, const char *path)
{
	size_t nedges = 16;
	while (nedges < 2 * gz->nnodes)
		nedges *= 2;
	if (gz->nnodes > EDGE_CHILD) {
		diag_error(path, 0, 0, "too many names for the matcher (%zu nodes, at most %lu)",
		           gz->nnodes, (unsigned long)EDGE_CHILD);
		return -1;
	}
	uint64_t *edges = xcalloc(nedges, sizeof *edges);
	gz->edge_bits = xcalloc(EDGE_BITS / 64, sizeof *gz->edge_bits);
	for (size_t parent = 0; parent < gz->nnodes; parent++) {
		const struct node *pn = &gz->nodes[parent];
		for (int32_t c = pn->first; c < pn->first + (int32_t)pn->nchild; c++) {
			uint64_t key = (uint64_t)parent << 21 | gz->nodes[c].cp;
			size_t j = S_edge_slot(key, nedges);
			while (edges[j])
				j = (j + 1) & (nedges - 1);
			edges[j] = key << 21 | (uint64_t)c;
			size_t bit = S_edge_bit(key);
			gz->edge_bits[bit >> 6] |= 1ULL << (bit & 63);
			gz->nodes[parent].kids |= 1ULL << S_kid_bit(gz->nodes[c].cp);
		}
	}
	gz->edges = edges;
	gz->nedges = nedges;
	struct step *root = xmalloc((HAN_LAST - HAN_FIRST + 1) * sizeof *root);
	for (uint32_t cp = HAN_FIRST; cp <= HAN_LAST; cp++) {
		int32_t c = S_goto(gz, 0, S_fold(gz, cp));
		root[cp - HAN_FIRST] = c < 0 ? (struct step){.child = -1, .pat = -1}
		                             : (struct step){.child = c,
		                                             .pat = gz->nodes[c].pat,
		                                             .kids = gz->nodes[c].kids};
	}
	gz->root = root;
	return 0;
}

struct gazetteer *
gz_load(const char *dir)
{
	struct gazetteer *gz = xcalloc(1, sizeof *gz);
	struct buf path = BUF_INIT;
	struct row *rows = NULL;
	size_t nrows = 0;
	int ok = 0;

	if (!(gz->chars = chars_load(dir)))
		goto out;
	gz->t2s = chars_t2s(gz->chars);
	if (S_read_units(gz, dir) < 0 || S_read_names(gz, dir, &path, &rows, &nrows) < 0)
		goto out;
	/* the trie, from every name and short form, folded and sorted */
	S_fold_rows(gz, rows, nrows);
	gz->units_of = xmalloc((nrows ? nrows : 1) * sizeof *gz->units_of);
	for (size_t r = 0; r < nrows; r++)
		gz->units_of[r] = rows[r].unit;
	gz->nunits_of = nrows;
	S_new_node(gz, 0);
	S_build(gz, rows, 0, nrows, 0, 0);
	if (S_index_trie(gz, path.data) < 0)
		goto out;
	S_mark_taken(gz);
	S_ancestors(gz);
	ok = 1;
out:
	free(rows);
	buf_release(&path);
	if (!ok) {
		gz_free(gz);
		return NULL;
	}
	return gz;
}

void
gz_free(struct gazetteer *gz)
{
	if (!gz)
		return;
	free(gz->data);
	free(gz->names);
	free(gz->u);
	chars_free(gz->chars);
	free(gz->folded);
	if (gz->image) { /* the tables are in it */
		util_unmap(gz->image, gz->image_len);
		free(gz->pinyin);
	} else {
		free(gz->root);
		free(gz->edges);
		free(gz->edge_bits);
		free(gz->nodes);
		free(gz->pats);
		free(gz->units_of);
		free(gz->up);
	}
	free(gz);
}

const struct gz_unit *
gz_units(const struct gazetteer *gz)
{
	return gz->u;
}

size_t
gz_count(const struct gazetteer *gz)
{
	return gz->n;
}

/* ---------------------------------------------------------------------
 * Matching
 * ------------------------------------------------------------------- */

size_t
gz_match(const struct gazetteer *gz, const char *text, size_t len, struct gz_hit **hits, size_t *n,
         size_t *cap)
{
	/* at each position the longest name starting there; after a match,
	   go on from its end: leftmost-longest, never overlapping */
	size_t found = 0, i = 0, k, m;
	while (i < len) {
		uint32_t cp = txt_decode(text + i, len - i, &k);
		struct step st;
		if (cp >= HAN_FIRST && cp <= HAN_LAST) {
			st = gz->root[cp - HAN_FIRST];
		} else {
			st.child = S_goto(gz, 0, S_fold(gz, cp));
			if (st.child >= 0) {
				st.pat = gz->nodes[st.child].pat;
				st.kids = gz->nodes[st.child].kids;
			}
		}
		if (st.child < 0) {
			i += k;
			continue;
		}
		int32_t node = st.child, best = st.pat;
		uint64_t kids = st.kids;
		size_t j = i + k, best_end = j;
		while (j < len && kids) {
			cp = S_fold(gz, txt_decode(text + j, len - j, &m));
			if (!(kids >> S_kid_bit(cp) & 1) || !S_maybe_edge(gz, node, cp) ||
			    (node = S_edge(gz, node, cp)) < 0)
				break;
			j += m;
			const struct node *nd = &gz->nodes[node];
			if (nd->pat >= 0) {
				best = nd->pat;
				best_end = j;
			}
			kids = nd->kids;
		}
		if (best < 0) {
			i += k;
			continue;
		}
		const struct pattern *p = &gz->pats[best];
		*hits = xgrow(*hits, cap, *n, sizeof **hits, 16);
		(*hits)[(*n)++] = (struct gz_hit){
		    .start = i,
		    .end = best_end,
		    .units = gz->units_of + p->first,
		    .nunits = (size_t)p->count,
		    .is_short = p->is_short,
		};
		found++;
		i = best_end;
	}
	return found;
}

int32_t
gz_lookup(const struct gazetteer *gz, const char *name)
{
	int32_t node = 0;
	size_t len = strlen(name), i = 0, k;
	while (i < len && node >= 0) {
		node = S_goto(gz, node, S_fold(gz, txt_decode(name + i, len - i, &k)));
		i += k;
	}
	if (node < 0 || gz->nodes[node].pat < 0)
		return -1;
	const struct pattern *p = &gz->pats[gz->nodes[node].pat];
	int32_t best = -1;
	for (int32_t j = 0; j < p->count; j++) {
		int32_t u = gz->units_of[p->first + j];
		if (best < 0 || gz->u[u].level < gz->u[best].level)
			best = u;
	}
	return best;
}

int32_t
gz_unit_of_code(const struct gazetteer *gz, uint64_t code)
{
	for (size_t i = 0; i < gz->n; i++)
		if (gz->u[i].code == code)
			return (int32_t)i;
	return -1;
}

int32_t
gz_ancestor(const struct gazetteer *gz, int32_t u, int level)
{
	if (level < 1 || level > 4)
		return S_walk_up(gz, u, level);
	return u >= 0 ? gz->up[u][level - 1] : -1;
}
