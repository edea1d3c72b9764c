/* Unit tests for the link checker's resolution of one link. */
#include <stdio.h>
#include <stdlib.h>
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

	util_remove_tree(root);
	return tap_done();
}
