#include "project.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "util.h"
#include "xalloc.h"

#ifndef BAOKU_DATADIR
#define BAOKU_DATADIR "/usr/local/share/baoku"
#endif

/* dir + "/" + name, malloc'd. */
static char *
S_join(const char *dir, const char *name)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", dir, name);
	return buf_detach(&b, NULL);
}

void
project_open(const char *dir, struct project *p)
{
	memset(p, 0, sizeof *p);
	p->dir = xstrdup(dir);
	p->content = S_join(dir, "content");
	p->templates = S_join(dir, "templates");
	p->partials = S_join(p->templates, "partials");
	struct buf shipped = BUF_INIT;
	project_shipped_dir(&shipped);
	p->shipped = S_join(shipped.data, "templates");
	p->shipped_partials = S_join(p->shipped, "partials");
	struct stat st;
	p->statics = S_join(dir, "static");
	if (stat(p->statics, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(p->statics); /* none of its own: the shipped one */
		p->statics = S_join(shipped.data, "static");
	}
	buf_release(&shipped);
	p->config = S_join(dir, "site.yml");
	p->cache = S_join(dir, ".baoku-cache");
	struct buf data = BUF_INIT;
	project_data_dir(dir, &data);
	p->data = buf_detach(&data, NULL);
}

void
project_set_output(struct project *p, const char *output, const char *cfg_output)
{
	free(p->output);
	p->output = output ? xstrdup(output) : S_join(p->dir, cfg_output);
}

void
project_free(struct project *p)
{
	free(p->dir);
	free(p->content);
	free(p->templates);
	free(p->partials);
	free(p->statics);
	free(p->shipped);
	free(p->shipped_partials);
	free(p->config);
	free(p->cache);
	free(p->data);
	free(p->output);
	memset(p, 0, sizeof *p);
}

/* Sets out to the first of the folders fmt[i] % base[i] (those with a
   base) that holds the file probe; else to the installed default. */
static void
S_first_holding(const char *const *fmt, const char *const *base, size_t n, const char *probe,
                struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (!base[i])
			continue;
		buf_reset(out);
		buf_printf(out, fmt[i], base[i]);
		size_t len = out->len;
		buf_printf(out, "/%s", probe);
		int found = access(out->data, R_OK) == 0;
		buf_truncate(out, len);
		if (found)
			return;
	}
	buf_reset(out);
	buf_adds(out, BAOKU_DATADIR);
}

/* The folder the running program is in (malloc'd), or NULL. */
static char *
S_program_dir(void)
{
	char *exe = realpath("/proc/self/exe", NULL);
	char *slash = exe ? strrchr(exe, '/') : NULL;
	if (slash)
		*slash = '\0';
	return exe;
}

void
project_data_dir(const char *dir, struct buf *out)
{
	/* the project's own, then beside the program, then the default */
	char *exe = S_program_dir();
	const char *fmt[] = {"%s/data", "%s/../data", "%s/../share/baoku"};
	const char *base[] = {dir, exe, exe};
	S_first_holding(fmt, base, 3, "gazetteer.tsv", out);
	free(exe);
}

void
project_shipped_dir(struct buf *out)
{
	char *exe = S_program_dir();
	const char *fmt[] = {"%s/..", "%s/../share/baoku"};
	const char *base[] = {exe, exe};
	S_first_holding(fmt, base, 2, "templates/layout.mustache", out);
	free(exe);
}

/* The site.yml of a new project: every key, at its default, commented. */
static const char S_site_yml[] =
    "# The archive's settings; every key may be left out (see baoku(1)).\n"
    "title: 报库\n"
    "# description: 一句话介绍这个档案（页面的 meta description，订阅源的副标题）\n"
    "# base_url: https://example.org/archive   # needed for feeds and sitemap.xml\n"
    "language: zh-CN\n"
    "page_size: 20\n"
    "pretty_urls: false\n"
    "# output: build\n"
    "# deploy_target: user@host:/var/www/archive\n"
    "# params:            # any keys, for templates as site.params\n"
    "#   editor: 王芳\n";

/* Writes len bytes to the new file path: 0, or -1 after reporting. */
static int
S_create(const char *path, const char *text)
{
	FILE *f = fopen(path, "wx");
	if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
		diag_error(path, 0, 0, "cannot create: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
project_init(const char *dir)
{
	struct stat st;
	size_t n = 0;
	if (stat(dir, &st) == 0) {
		char **names = S_ISDIR(st.st_mode) ? util_list_dir(dir, 1, &n) : NULL;
		if (names)
			util_free_names(names, n);
		if (!names || n) {
			diag_error(dir, 0, 0,
			           "already exists and is not an empty directory; give a new one");
			return -1;
		}
	}
	char *yml = S_join(dir, "site.yml"), *content = S_join(dir, "content"),
	     *templates = S_join(dir, "templates");
	int rc = -1;
	if (util_mkdirs(content) < 0 || util_mkdirs(templates) < 0)
		diag_error(dir, 0, 0, "cannot create the project's folders: %s", strerror(errno));
	else
		rc = S_create(yml, S_site_yml);
	free(yml);
	free(content);
	free(templates);
	return rc;
}
