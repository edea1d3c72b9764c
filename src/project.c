#include "project.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
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
	p->statics = S_join(dir, "static");
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
	free(p->config);
	free(p->cache);
	free(p->data);
	free(p->output);
	memset(p, 0, sizeof *p);
}

void
project_data_dir(const char *dir, struct buf *out)
{
	/* the project's own, then beside the program, then the default */
	char *exe = realpath("/proc/self/exe", NULL);
	char *slash = exe ? strrchr(exe, '/') : NULL;
	if (slash)
		*slash = '\0';
	const char *fmt[] = {"%s/data", "%s/../data", "%s/../share/baoku"};
	const char *base[] = {dir, exe, exe};
	for (size_t i = 0; i < 3; i++) {
		if (!base[i])
			continue;
		buf_reset(out);
		buf_printf(out, fmt[i], base[i]);
		size_t len = out->len;
		buf_adds(out, "/gazetteer.tsv");
		int found = access(out->data, R_OK) == 0;
		buf_truncate(out, len);
		if (found) {
			free(exe);
			return;
		}
	}
	free(exe);
	buf_reset(out);
	buf_adds(out, BAOKU_DATADIR);
}
