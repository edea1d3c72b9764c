/*
 * The fingerprint of the inputs: a line for each file, compared with the
 * last build's to find that nothing changed. Its numbers are written by
 * hand (fp_stat), and must read as printf's would, so that a tree built
 * before is still found up to date.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fingerprint.h"
#include "output.h"
#include "project.h"
#include "tap.h"

struct stat_case {
	long long size, msec, mnsec, csec, cnsec;
	unsigned long long ino;
};

static const struct stat_case S_cases[] = {
    {0, 0, 0, 0, 0, 0},
    {5067, 1764762000, 123456789, 1764762001, 5, 1234567},
    {1, 1, 999999999, 2, 100000000, 18446744073709551615ULL},
    {9223372036854775807LL, -1, 0, -86400, 7, 42}, /* a time before 1970 */
};

int
main(void)
{
	for (size_t i = 0; i < sizeof S_cases / sizeof S_cases[0]; i++) {
		const struct stat_case *c = &S_cases[i];
		struct stat st;
		memset(&st, 0, sizeof st);
		st.st_size = (off_t)c->size;
		st.st_mtim.tv_sec = (time_t)c->msec;
		st.st_mtim.tv_nsec = (long)c->mnsec;
		st.st_ctim.tv_sec = (time_t)c->csec;
		st.st_ctim.tv_nsec = (long)c->cnsec;
		st.st_ino = (ino_t)c->ino;
		struct buf fp = BUF_INIT;
		buf_adds(&fp, "before\n");
		uint64_t h = fp_stat(&fp, "page", "松江报/2024-03-12/01.txt", &st);
		char want[256];
		snprintf(want, sizeof want, "before\npage %s %lld %lld.%09ld %lld.%09ld %llu\n",
		         "松江报/2024-03-12/01.txt", (long long)st.st_size,
		         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		         (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
		         (unsigned long long)st.st_ino);
		is_str(fp.data, want, "fp_stat %zu: the line printf would write", i);
		const char *line = want + strlen("before\n");
		ok(h == out_key(0, line, strlen(line)), "fp_stat %zu: the hash of its own line", i);
		buf_release(&fp);
	}
	struct buf fp = BUF_INIT;
	fp_absent(&fp, "meta", "a/_meta.yml");
	is_str(fp.data, "meta a/_meta.yml absent\n", "fp_absent: the file is named absent");
	buf_release(&fp);

	/* one project, named "." and by its whole path */
	char dir[] = "/tmp/baoku-fp-XXXXXX";
	if (!mkdtemp(dir) || chdir(dir) < 0 || mkdir("templates", 0755) < 0 ||
	    mkdir("static", 0755) < 0) {
		printf("Bail out! cannot make a project in /tmp\n");
		return 1;
	}
	fclose(fopen("site.yml", "w"));
	fclose(fopen("templates/page.mustache", "w"));
	fclose(fopen("static/site.css", "w"));
	struct buf here = BUF_INIT, whole = BUF_INIT;
	char config[64], templates[64], statics[64];
	snprintf(config, sizeof config, "%s/site.yml", dir);
	snprintf(templates, sizeof templates, "%s/templates", dir);
	snprintf(statics, sizeof statics, "%s/static", dir);
	struct project dot = {.dir = ".",
	                      .config = "./site.yml",
	                      .templates = "./templates",
	                      .statics = "./static",
	                      .shipped = "/nonexistent/templates",
	                      .data = "/nonexistent/data"};
	struct project named = dot;
	named.dir = dir;
	named.config = config;
	named.templates = templates;
	named.statics = statics;
	ok(fp_end(&here, &dot) == 0 && fp_end(&whole, &named) == 0 && here.len &&
	       !strcmp(here.data, whole.data),
	   "a project named . and by its whole path has one fingerprint");
	ok(here.data && strstr(here.data, "config site.yml ") &&
	       strstr(here.data, "template templates/page.mustache ") &&
	       strstr(here.data, "static static/site.css ") &&
	       strstr(here.data, "template /nonexistent/templates absent"),
	   "its files named from its directory, the shipped ones by their path");
	buf_release(&here);
	buf_release(&whole);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
