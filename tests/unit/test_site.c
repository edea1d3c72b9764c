/* The whole build as a library call, on a copy of the seed project: the
   first build, rebuilds that take the page cache and the last build's
   files, an up-to-date build and a failed one, all with the build's
   memory freed at the end (site_options.exiting unset). Under the
   sanitizers (make test-san) this is the test that the teardown the
   command skips frees everything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "site.h"
#include "tap.h"
#include "util.h"

static char S_proj[64];

/* Runs a shell command on the project: 0 when it succeeded. */
static int
S_sh(const char *fmt, const char *arg)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, fmt, S_proj, arg);
	return system(cmd) == 0 ? 0 : -1;
}

static int
S_build(int force)
{
	struct site_options o = {.project = S_proj, .jobs = 2, .verbosity = 0, .force = force};
	buf_reset(&capture_msgs);
	return site_build(&o);
}

static int
S_exists(const char *rel)
{
	char path[256];
	struct stat st;
	snprintf(path, sizeof path, "%s/build/%s", S_proj, rel);
	return stat(path, &st) == 0;
}

int
main(void)
{
	char dir[] = "/tmp/baoku-site-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	snprintf(S_proj, sizeof S_proj, "%s/p", dir);
	diag_set_sink(capture_sink, NULL);
	if (S_sh("mkdir -p %s && cp -r content templates static data site.yml %s", S_proj) < 0)
		return 1;

	ok(S_build(0) == 0 && S_exists("index.html") && S_exists("search/meta.js"),
	   "the seed project builds");
	ok(S_build(0) == 0, "a build with no input changed does nothing");
	ok(S_sh("touch %s/templates/layout.mustache", "") == 0 && S_build(0) == 0,
	   "a touched template rebuilds from the page cache");
	ok(S_sh("printf '\\n补充的一段正文。\\n' >>%s/content/003_c616ab6b8247df4d.txt", "") == 0 &&
	       S_build(0) == 0,
	   "a changed page is read again, the others taken from the cache");
	ok(S_build(1) == 0, "--force rebuilds everything");
	ok(S_sh("printf '{{#oops}}\\n' >%s/templates/home.mustache", "") == 0 && S_build(0) < 0,
	   "a broken template fails the build");
	ok(strstr(capture_msgs.data, "build failed with 1 error(s)") != NULL,
	   "saying so through the installed sink");
	ok(S_exists("index.html"), "and leaves the last build in place");
	ok(S_sh("rm -rf %s/content", "") == 0 && S_build(0) < 0, "a project without content fails");

	/* the example project: Markdown articles, pages and intros, linked
	   files, tags (this program finds no shipped templates: they are
	   copied in) */
	ok(S_sh("rm -rf %s && cp -r tests/example %s", S_proj) == 0 &&
	       S_sh("cp -r data templates static %s/", "") == 0 && S_build(0) == 0 &&
	       S_exists("about.html") && S_exists("tags/geng-zheng/index.html") &&
	       S_exists("media/help/guide.pdf"),
	   "the example project builds");
	ok(S_sh("touch %s/content/about.md", "") == 0 && S_build(0) == 0,
	   "and again, a page changed, the articles from the cache");
	ok(S_sh("printf '[x](nothing.pdf)\\n' >>%s/content/about.md", "") == 0 && S_build(0) < 0,
	   "a link to a missing file fails it");

	char rm[128];
	snprintf(rm, sizeof rm, "rm -rf %s", dir);
	if (system(rm) != 0)
		return 1;
	buf_release(&capture_msgs);
	return tap_done();
}
