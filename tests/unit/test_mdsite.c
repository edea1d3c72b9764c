/*
 * The Markdown files that are not articles (src/mdsite.c): pages set
 * aside from the page jobs and ordered for the footer, intros placed by
 * their district, linked files fingerprinted and copied, and the paths a
 * page may not take.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "capture.h"
#include "fingerprint.h"
#include "gazetteer.h"
#include "mdsite.h"
#include "output.h"
#include "scan.h"
#include "tap.h"

static char S_dir[64];

static void
S_write(const char *rel, const char *text)
{
	char path[256], cmd[512];
	snprintf(path, sizeof path, "%s/content/%s", S_dir, rel);
	snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd) != 0)
		return;
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The scan's entry for rel, or NULL. */
static const struct scan_page *
S_page(const struct scan *sc, const char *rel)
{
	for (size_t i = 0; i < sc->n; i++)
		if (!strcmp(sc->v[i].rel, rel))
			return &sc->v[i];
	return NULL;
}

int
main(void)
{
	strcpy(S_dir, "/tmp/baoku-mdsite-XXXXXX");
	if (!mkdtemp(S_dir))
		return 1;
	diag_set_sink(capture_sink, NULL);
	S_write("about.md",
	        "---\ntype: page\nweight: 2\n---\n# 关于\n\n见 [图](notes/img.png)。\n");
	S_write("b.md", "---\ntype: page\ntitle: B\nweight: 1\nsearch: true\n---\n正文\n");
	S_write("a.md", "---\ntype: page\ntitle: A\nweight: 1\n---\n正文\n");
	S_write("notes/n.md", "# 更正\n\n![x](img.png) [y](missing.pdf)\n");
	S_write("notes/img.png", "PNG");
	S_write("page.txt", "一版\n");
	S_write("报/_index.md", "本报简介。\n");
	S_write("intro.md", "---\ntype: intro\ndistrict: 松江\n---\n松江简介。\n");
	S_write("stray.md", "---\ntype: intro\n---\n无处可放。\n");

	char content[128];
	snprintf(content, sizeof content, "%s/content", S_dir);
	struct fingerprint fp = FP_INIT;
	struct scan sc = {0};
	struct mdsite ms;
	ok(scan_content(content, 0, &fp, &sc) == 0, "the content is scanned");
	ok(mdsite_read(&ms, &sc, NULL, &fp) == 0, "its Markdown files are read (%s)",
	   capture_msgs.data ? capture_msgs.data : "");
	ok(S_page(&sc, "about.md")->aside && S_page(&sc, "报/_index.md")->aside &&
	       S_page(&sc, "intro.md")->aside,
	   "pages and intros are set aside");
	ok(!S_page(&sc, "notes/n.md")->aside && !S_page(&sc, "page.txt")->aside,
	   "articles and page files are not");

	json_t *links = mdsite_links(&ms);
	char *dump = json_dumps(links, JSON_COMPACT);
	is_str(dump,
	       "[{\"title\":\"A\",\"href\":\"a.html\"},{\"title\":\"B\",\"href\":\"b.html\"},"
	       "{\"title\":\"关于\",\"href\":\"about.html\"}]",
	       "the footer's links: by weight, then title");
	free(dump);
	json_decref(links);

	json_t *pages = mdsite_pages(&ms);
	json_t *about = json_array_get(pages, 2), *b = json_array_get(pages, 1);
	is_str(json_string_value(json_object_get(about, "html")),
	       "<p>见 <a href=\"media/notes/img.png\">图</a>。</p>\n",
	       "a page's body, its link pointed at the copy, seen from its path");
	ok(json_is_true(json_object_get(b, "search")) &&
	       json_is_false(json_object_get(about, "search")),
	   "search: true is kept");
	json_decref(pages);

	ok(strstr(fp.text.data, "\nasset notes/img.png ") != NULL,
	   "a linked file is in the fingerprint, named from content/");
	ok(strstr(fp.text.data, "\nasset notes/missing.pdf absent") != NULL,
	   "and one that is not there, as absent");

	struct gazetteer *gz = gz_load("data");
	buf_reset(&capture_msgs);
	json_t *intros = gz ? mdsite_intros(&ms, gz) : NULL;
	is_str(json_string_value(json_object_get(intros, "songjiang")), "<p>松江简介。</p>\n",
	       "a district's intro is keyed by its listing's slug");
	is_str(json_string_value(json_object_get(intros, "paper:报")), "<p>本报简介。</p>\n",
	       "a paper's by its folder's name");
	ok(capture_msgs.data &&
	       strstr(capture_msgs.data, "stray.md: warning: an intro needs district:"),
	   "an intro with neither district nor paper is a warning");
	json_decref(intros);
	gz_free(gz);

	char build[128], cache[128];
	snprintf(build, sizeof build, "%s/build", S_dir);
	snprintf(cache, sizeof cache, "%s/cache", S_dir);
	struct output *out = out_open(build, cache);
	buf_reset(&capture_msgs);
	ok(out && mdsite_copy(&ms, content, out) < 0, "a link to a missing file fails the copy");
	ok(capture_msgs.data && strstr(capture_msgs.data, "notes/n.md:3:19: error: links to ") &&
	       strstr(capture_msgs.data, "missing.pdf, which is not there"),
	   "at the link (%s)", capture_msgs.data ? capture_msgs.data : "");
	if (out)
		out_abort(out);
	mdsite_free(&ms);
	scan_free(&sc);
	fp_free(&fp);

	/* the archive's own names are not a page's */
	S_write("index.md", "---\ntype: page\n---\nx\n");
	S_write("search.md", "---\ntype: page\n---\nx\n");
	buf_reset(&capture_msgs);
	ok(scan_content(content, 0, &fp, &sc) == 0 && mdsite_read(&ms, &sc, NULL, &fp) < 0,
	   "a page at index.html or search.html fails");
	ok(strstr(capture_msgs.data, "index.md: error: a page here would be index.html") != NULL,
	   "saying which");
	ok(strstr(capture_msgs.data, "search.md") == NULL,
	   "search.html is no name of the archive's");
	mdsite_free(&ms);
	scan_free(&sc);

	fp_free(&fp);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", S_dir);
	if (system(cmd) != 0)
		return 1;
	buf_release(&capture_msgs);
	return tap_done();
}
