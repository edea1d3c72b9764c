/* Unit tests for the link checker's resolution of one link. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "tap.h"
#include "util.h"

static int
S_link(const char *root, const char *from, const char *href)
{
	const char *why = NULL;
	return check_link(root, from, href, strlen(href), 0, &why);
}

int
main(void)
{
	char root[] = "/tmp/baoku-check-XXXXXX";
	if (!mkdtemp(root))
		return 1;
	char path[256];
	snprintf(path, sizeof path, "%s/a/b", root);
	util_mkdirs(path);
	snprintf(path, sizeof path, "%s/index.html", root);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof path, "%s/a/b/x y.html", root);
	fclose(fopen(path, "w"));

	ok(S_link(root, "index.html", "a/b/x%20y.html") == 0, "percent-encoded path resolves");
	ok(S_link(root, "a/b/x y.html", "../../index.html") == 0, "'..' climbs directories");
	ok(S_link(root, "a/b/x y.html", "../../index.html#top") == 0, "fragment ignored");
	ok(S_link(root, "a/b/x y.html", "./x%20y.html?q=1") == 0, "'.' and a query ignored");
	ok(S_link(root, "index.html", "a/b/missing.html") < 0, "missing file is broken");
	ok(S_link(root, "index.html", "a/b/") < 0, "a directory is broken from disk");
	ok(S_link(root, "index.html", "a") < 0, "a directory without slash is broken too");
	ok(S_link(root, "index.html", "../outside.html") < 0, "above the root is broken");
	ok(S_link(root, "index.html", "/index.html") < 0, "root-relative is broken from disk");
	ok(S_link(root, "index.html", "https://example.org/") == 1, "a URL is external");
	ok(S_link(root, "index.html", "mailto:x@example.org") == 1, "mailto is external");
	ok(S_link(root, "index.html", "//cdn.example.org/x.js") == 1, "//host is external");
	ok(S_link(root, "index.html", "#main") == 1, "a fragment alone is external");
	ok(S_link(root, "index.html", "") == 0, "an empty link is the page itself");
	const char *why;
	snprintf(path, sizeof path, "%s/a/index.html", root);
	fclose(fopen(path, "w"));
	ok(check_link(root, "index.html", "a/", 3, 1, &why) == 0,
	   "pretty: a directory with index.html");
	ok(check_link(root, "index.html", "a/b/", 4, 1, &why) < 0, "pretty: not one without");

	/* links as a browser sees them: none in escaped text, comments or
	   scripts; a NUL byte stops nothing */
	static const char page[] = "<!DOCTYPE html><html><body>"
	                           "<p>&lt;img src=x1&gt;</p>"
	                           "<!-- <a href=\"x2\"> -->"
	                           "<script>var s = '<img src=x3>';</script>"
	                           "<p>a\0b</p><a href=\"missing.html\">x</a>"
	                           "</body></html>";
	snprintf(path, sizeof path, "%s/page.html", root);
	FILE *f = fopen(path, "w");
	fwrite(page, 1, sizeof page - 1, f);
	fclose(f);
	struct check_result cr;
	int crc = check_links(root, 0, &cr);
	ok(crc == 0 && cr.broken == 1 && cr.links == 1,
	   "escaped text, a comment and a script hold no links; a link after a NUL byte is "
	   "checked (%zu links, %zu broken)",
	   cr.links, cr.broken);

	/* a link through a symbolic link out of the archive is broken */
	snprintf(path, sizeof path, "%s/page.html", root);
	unlink(path);
	snprintf(path, sizeof path, "%s/passwd", root);
	ok(symlink("/etc/passwd", path) == 0, "a symbolic link to /etc/passwd");
	ok(S_link(root, "index.html", "passwd") < 0, "a link to it is broken");

	/* folders as deep as they come are all checked */
	char deep[4096];
	int len = snprintf(deep, sizeof deep, "%s", root);
	for (int i = 0; i < 80; i++)
		len += snprintf(deep + len, sizeof deep - (size_t)len, "/d");
	util_mkdirs(deep);
	snprintf(deep + len, sizeof deep - (size_t)len, "/p.html");
	f = fopen(deep, "w");
	fputs("<a href=\"nowhere.html\">x</a>", f);
	fclose(f);
	crc = check_links(root, 0, &cr);
	ok(crc == 0 && cr.broken == 1, "a page 80 folders down is checked (%zu broken)", cr.broken);

	util_remove_tree(root);
	return tap_done();
}
