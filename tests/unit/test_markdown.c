/*
 * Markdown through cmark (src/markdown.c): safe HTML whatever the text
 * holds, relative links pointed at their copies, the opening heading as
 * the title, the plain text of the blocks, positions in the warnings.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "capture.h"
#include "markdown.h"
#include "tap.h"

static struct md_doc
S_render(const char *text, const char *folder, const char *root, int take_title)
{
	struct md_options o = {.path = "content/n.md",
	                       .first_line = 4,
	                       .folder = folder,
	                       .root = root,
	                       .take_title = take_title};
	struct md_doc d;
	buf_reset(&capture_msgs);
	md_render(text, strlen(text), &o, &d);
	return d;
}

static int
S_has(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

int
main(void)
{
	diag_set_sink(capture_sink, NULL);

	struct md_doc d = S_render(
	    "# 更正\n\n本报3月12日第2版《九亭》一文中，\n“张三”应为“李四”。\n", "", "../../", 1);
	is_str(d.title, "更正", "the opening heading is the title");
	ok(!S_has(d.html, "<h1>"), "and leaves the body");
	ok(S_has(d.html, "<p>本报3月12日第2版《九亭》一文中，"), "the body is rendered");
	ok(d.nblocks == 1 && !d.blocks[0].heading, "one paragraph block");
	is_str(d.nblocks ? d.blocks[0].text : NULL,
	       "本报3月12日第2版《九亭》一文中，“张三”应为“李四”。",
	       "a soft break between Chinese characters joins them");
	ok(d.nblocks && d.blocks[0].line == 6, "blocks carry the file's line");
	ok(S_has(d.html, "一文中，“张三”"), "and so does the HTML: no space between Chinese lines");
	md_doc_free(&d);

	d = S_render("Latin\nwords\n", "", "", 0);
	ok(S_has(d.html, "<p>Latin\nwords</p>"), "a line end between Latin words stays one");
	md_doc_free(&d);

	d = S_render("# Title\n\ntext\n", "", "", 0);
	ok(!d.title && S_has(d.html, "<h1>Title</h1>"), "without take_title the heading stays");
	md_doc_free(&d);

	d = S_render("a\n\n<script>alert(1)</script>\n\nb <img src=x onerror=alert(1)> c\n", "", "",
	             0);
	ok(!S_has(d.html, "<script") && !S_has(d.html, "<img") && !S_has(d.html, "alert"),
	   "raw HTML, block and inline, is dropped");
	ok(S_has(capture_msgs.data, "content/n.md:6:1: warning: raw HTML is not allowed"),
	   "with a warning at its place (%s)", capture_msgs.data);
	md_doc_free(&d);

	static const char *const bad[] = {"[x](javascript:alert(1))",
	                                  "[x](JavaScript:alert(1))",
	                                  "[x](vbscript:msgbox)",
	                                  "[x](data:text/html;base64,PHNjcmlwdD4=)",
	                                  "![x](data:image/png;base64,AAAA)",
	                                  "[x](<java\tscript:alert(1)>)",
	                                  "[x](file:///etc/passwd)",
	                                  "[x][r]\n\n[r]: javascript:alert(1)"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		d = S_render(bad[i], "", "", 0);
		ok(!S_has(d.html, "script:") && !S_has(d.html, "data:") &&
		       !S_has(d.html, "file:") && !S_has(d.html, "<a") && !S_has(d.html, "<img"),
		   "%s is removed (%s)", bad[i], d.html);
		ok(S_has(capture_msgs.data, "removed: Markdown may not link"), "with a warning");
		md_doc_free(&d);
	}
	d = S_render("see [the notice](javascript:x) here", "", "", 0);
	ok(S_has(d.html, "<p>see the notice here</p>"), "a removed link keeps its text");
	md_doc_free(&d);

	d = S_render("![图](<img/图 1.png>)\n\n[PDF](<files/scan 1.pdf#p2>) [up](../logo.png) "
	             "[web](https://example.com/a) [top](#x) [root](/about.md)\n",
	             "notes/2024", "../../", 0);
	ok(S_has(d.html, "src=\"../../media/notes/2024/img/%E5%9B%BE%201.png\""),
	   "an image is pointed at its copy (%s)", d.html);
	ok(S_has(d.html, "href=\"../../media/notes/2024/files/scan%201.pdf#p2\""),
	   "a link keeps its fragment");
	ok(S_has(d.html, "href=\"../../media/notes/logo.png\""), "'..' resolves");
	ok(S_has(d.html, "href=\"https://example.com/a\"") && S_has(d.html, "href=\"#x\""),
	   "absolute URLs and fragments stay");
	ok(S_has(d.html, "href=\"../../media/about.md\""), "a root-relative path is content/'s");
	ok(d.nassets == 4, "the files linked are listed (%zu)", d.nassets);
	if (d.nassets == 4) {
		is_str(d.assets[1].rel, "notes/2024/files/scan 1.pdf", "decoded, under content/");
		ok(d.assets[1].line == 6 && d.assets[1].col > 1, "with their place (%zu:%zu)",
		   d.assets[1].line, d.assets[1].col);
	}
	md_doc_free(&d);

	d = S_render("[x](../../etc/passwd) [y](a/%2e%2e/%2e%2e/%2e%2e/b)", "notes", "", 0);
	ok(!S_has(d.html, "<a") && d.nassets == 0, "a link leaving content/ is removed (%s)",
	   d.html);
	ok(S_has(capture_msgs.data, "leads outside content/"), "with a warning");
	md_doc_free(&d);

	ok(md_is_markdown("a/b.md") && !md_is_markdown("a.txt") && !md_is_markdown(".md"),
	   "md_is_markdown");
	buf_release(&capture_msgs);
	return tap_done();
}
