/*
 * The fingerprint of the inputs: a line for each file, compared with the
 * last build's to find that nothing changed. Its numbers are written by
 * hand (fp_stat), and must read as printf's would, so that a tree built
 * before is still found up to date. The pages' and scans' lines are
 * hashed into one line, not kept.
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

/* The fingerprints of two pages, the second changed or not. */
static void
S_two_pages(const struct project *p, struct stat *st, long mtime, struct fingerprint *fp)
{
	fp_begin(fp, 0, 0);
	st->st_mtim.tv_sec = 1764762000;
	fp_stat(fp, "page", "a.txt", st);
	st->st_mtim.tv_sec = mtime;
	fp_stat(fp, "page", "b.txt", st);
	fp_stat(fp, "scan", "b.png", st);
	fp_end(fp, p);
}

/* The files' line: it changes when a page does, whichever. */
static void
S_files(const struct project *p)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	struct fingerprint a = FP_INIT, b = FP_INIT, c = FP_INIT;
	S_two_pages(p, &st, 1764762000, &a);
	S_two_pages(p, &st, 1764762000, &b);
	S_two_pages(p, &st, 1764762001, &c);
	ok(!strcmp(a.text.data, b.text.data), "the same pages: the same fingerprint");
	ok(strcmp(a.text.data, c.text.data) != 0, "a page changed: another fingerprint");
	ok(strstr(a.text.data, "\nfiles 3 ") && !strstr(a.text.data, "a.txt") &&
	       !strstr(a.text.data, "b.png"),
	   "three files' lines in one, none kept");
	uint64_t ra, pa, rc, pc;
	fp_salts(a.text.data, a.text.len, &ra, &pa);
	fp_salts(c.text.data, c.text.len, &rc, &pc);
	ok(ra == rc && pa == pc, "a page changed: the salts are the same");
	fp_free(&a);
	fp_free(&b);
	fp_free(&c);
}

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
		struct fingerprint fp = FP_INIT;
		buf_adds(&fp.text, "before\n");
		uint64_t h = fp_stat(&fp, "meta", "松江报/2024-03-12/_meta.yml", &st);
		char want[256];
		snprintf(want, sizeof want, "before\nmeta %s %lld %lld.%09ld %lld.%09ld %llu\n",
		         "松江报/2024-03-12/_meta.yml", (long long)st.st_size,
		         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		         (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
		         (unsigned long long)st.st_ino);
		is_str(fp.text.data, want, "fp_stat %zu: the line printf would write", i);
		const char *line = want + strlen("before\n");
		ok(h == out_key(0, line, strlen(line)), "fp_stat %zu: the hash of its own line", i);
		/* a page: its stamp, not a line, hashed into the files' */
		const char *name = "松江报/2024-03-12/01.txt";
		uint64_t stamp = fp_stat(&fp, "page", name, &st);
		ok(!strcmp(fp.text.data, want) && fp.nfiles == 1 &&
		       fp.files == out_key(0, &stamp, sizeof stamp),
		   "fp_stat %zu: a page's stamp hashed into the files', no line kept", i);
		/* which changes with each thing its line would say */
		struct stat other[6];
		for (int k = 0; k < 6; k++)
			other[k] = st;
		other[0].st_size ^= 1;
		other[1].st_mtim.tv_sec ^= 1;
		other[2].st_mtim.tv_nsec ^= 1;
		other[3].st_ctim.tv_sec ^= 1;
		other[4].st_ctim.tv_nsec ^= 1;
		other[5].st_ino ^= 1;
		int differ = fp_stat(&fp, "scan", name, &st) != stamp &&
		             fp_stat(&fp, "page", "松江报/2024-03-12/02.txt", &st) != stamp &&
		             fp_stat(&fp, "page", name, &st) == stamp;
		for (int k = 0; k < 6; k++)
			differ = differ && fp_stat(&fp, "page", name, &other[k]) != stamp;
		ok(differ && fp.nfiles == 10,
		   "fp_stat %zu: a page's stamp changes with its kind, name, size, times and inode",
		   i);
		fp_free(&fp);
	}
	struct fingerprint fp = FP_INIT;
	fp_absent(&fp, "meta", "a/_meta.yml");
	is_str(fp.text.data, "meta a/_meta.yml absent\n", "fp_absent: the file is named absent");
	fp_free(&fp);

	/* a folder without a _meta.yml changes no page's records; one with
	   one, or with one changed, changes them all */
	const char *before = "version 1\nmeta _meta.yml absent\nmeta a/_meta.yml 10 1.0 1.0 7\n",
	           *new_folder = "version 1\nmeta _meta.yml absent\nmeta a/_meta.yml 10 1.0 1.0 "
	                         "7\nmeta a/2099-01-01/_meta.yml absent\n",
	           *edited = "version 1\nmeta _meta.yml absent\nmeta a/_meta.yml 11 2.0 2.0 7\n",
	           *made = "version 1\nmeta _meta.yml 3 1.0 1.0 8\nmeta a/_meta.yml 10 1.0 1.0 7\n";
	uint64_t r0, p0, r1, p1, r2, p2, r3, p3;
	fp_salts(before, strlen(before), &r0, &p0);
	fp_salts(new_folder, strlen(new_folder), &r1, &p1);
	fp_salts(edited, strlen(edited), &r2, &p2);
	fp_salts(made, strlen(made), &r3, &p3);
	ok(r0 == r1 && p0 == p1, "a new folder without metadata keeps the salts");
	ok(r0 != r2 && p0 != p2, "a folder's _meta.yml changed changes them");
	ok(r0 != r3 && p0 != p3, "a _meta.yml where there was none changes them");

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
	struct fingerprint here = FP_INIT, whole = FP_INIT;
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
	ok(fp_end(&here, &dot) == 0 && fp_end(&whole, &named) == 0 && here.text.len &&
	       !strcmp(here.text.data, whole.text.data),
	   "a project named . and by its whole path has one fingerprint");
	const char *t = here.text.data;
	ok(strstr(t, "config site.yml ") && strstr(t, "template templates/page.mustache ") &&
	       strstr(t, "static static/site.css ") &&
	       strstr(t, "template /nonexistent/templates absent"),
	   "its files named from its directory, the shipped ones by their path");
	ok(!strncmp(t, "files 0 0000000000000000\n", 25), "no pages: the files' line says none");
	fp_free(&here);
	fp_free(&whole);
	S_files(&named);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
