/*
 * baoku: the command line. Parses options, dispatches to a subcommand and
 * turns its result into an exit status: 0 success, 1 errors in the input,
 * 2 a usage error. The only file that calls exit().
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "check.h"
#include "config.h"
#include "diag.h"
#include "district.h"
#include "gazetteer.h"
#include "heap.h"
#include "mujson.h"
#include "mustache.h"
#include "page.h"
#include "pool.h"
#include "project.h"
#include "reader.h"
#include "scans.h"
#include "segment.h"
#include "site.h"
#include "util.h"
#include "xalloc.h"

#ifndef BAOKU_VERSION
#define BAOKU_VERSION "dev"
#endif

static const char S_usage[] =
    "usage: baoku [--version] [--help] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  build   build the archive: content/ + templates/ + static/ -> build/\n"
    "  render  render one Mustache template with JSON data\n"
    "  parse   read page files and print what was read\n"
    "  check   check that every link in a built archive resolves to a file\n"
    "  init    make a new archive project\n"
    "\n"
    "Run 'baoku COMMAND --help' for a command's options.\n";

static const char S_build_usage[] =
    "usage: baoku build [-C DIR] [-o OUT] [-j N] [-q|-v] [--force] [--lenient] [--max-size N]\n"
    "\n"
    "Builds the archive from DIR/content, DIR/templates and DIR/static into OUT.\n"
    "What is new or changed is assembled beside OUT and moved in only when the\n"
    "build succeeds, so a failed build leaves the last good one as it was. When\n"
    "no input has changed since the last build (pages, folder metadata,\n"
    "site.yml, templates, static files, data, the program itself), nothing is\n"
    "written; otherwise unchanged pages are neither read nor rendered again.\n"
    "\n"
    "  -C DIR   the project directory (default: .)\n"
    "  -o OUT   the output directory (default: DIR/build)\n"
    "  -j N     worker threads (default: the number of cores)\n"
    "  -q       print errors only\n"
    "  -v       print a summary, the time of each step and every file skipped\n"
    "  --force  build even when no input has changed\n"
    "  --lenient      invalid byte sequences become U+FFFD, with a warning each\n"
    "  --max-size N   refuse page files over N bytes (K and M suffixes; default 16M)\n";

static const char S_parse_usage[] =
    "usage: baoku parse [--json|--explain] [--read] [-C DIR] [--lenient] [--max-size N] FILE...\n"
    "\n"
    "Reads page files as the build does, cuts each into its articles and\n"
    "prints them: a readable outline, or with --json an array of article\n"
    "objects (see baoku(1)). With --read, prints what was read instead: the\n"
    "encoding, the metadata (front matter, then DIR/content/**/_meta.yml and\n"
    "the path) and the text. Exits 1 if any file could not be read.\n"
    "\n"
    "  --json         JSON output\n"
    "  --explain      for each article, the place names found, where, their\n"
    "                 weights and the candidates' scores\n"
    "  --read         the page as read, before it is cut into articles\n"
    "  -C DIR         the project whose content/ holds the files (default: .)\n"
    "  --lenient      invalid byte sequences become U+FFFD, with a warning each\n"
    "  --max-size N   refuse files over N bytes (K and M suffixes; default 16M)\n";

static const char S_render_usage[] =
    "usage: baoku render [--partials DIR] [--strict] TEMPLATE [DATA.json|-]\n"
    "\n"
    "Renders TEMPLATE with the JSON data (stdin for '-', {} when absent) to\n"
    "stdout. {{>name}} and {{<name}} load DIR/name.mustache (default: the\n"
    "template's own directory).\n"
    "\n"
    "  --partials DIR  where partials and parents are found\n"
    "  --strict        a name that resolves to nothing is an error\n";

static const char S_init_usage[] =
    "usage: baoku init DIR\n"
    "\n"
    "Makes a new archive project in DIR (which must not exist, or be empty):\n"
    "site.yml, content/ for the pages and Markdown files, and an empty\n"
    "templates/ whose files override the shipped templates one at a time.\n";

static const char S_check_usage[] =
    "usage: baoku check [-C PROJECT] [--pretty] [DIR]\n"
    "\n"
    "Checks that every internal href and src in the HTML files under DIR\n"
    "(default: the project's output, build) points at a file that exists,\n"
    "so the archive works opened from disk. The project's site.yml is read\n"
    "for pretty_urls and output; the project is PROJECT, else the folder\n"
    "DIR is in, else the current one. Exits 1 if any link is broken.\n"
    "\n"
    "  -C PROJECT the project whose archive it is\n"
    "  --pretty   accept a link to a directory that has an index.html, as\n"
    "             an archive built with pretty_urls: true has them (also\n"
    "             when site.yml sets pretty_urls)\n";

/* Prints usage text; exits 2 to stderr for a usage error, else 0. */
static int
S_usage_exit(const char *text, int status)
{
	fputs(text, status ? stderr : stdout);
	return status;
}

/* Parses a size such as 4096, 64K or 16M. */
static int
S_size_arg(const char *cmd, const char *arg, size_t *out)
{
	char *end;
	unsigned long long n = strtoull(arg, &end, 10);
	if (*end == 'K' || *end == 'k')
		n <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		n <<= 20, end++;
	if (*end || n == 0 || arg[0] == '-') {
		fprintf(stderr, "baoku %s: --max-size wants a size such as 16M, not '%s'\n", cmd,
		        arg);
		return -1;
	}
	*out = (size_t)n;
	return 0;
}

static int
S_cmd_build(int argc, char **argv)
{
	struct site_options o = {.project = ".", .jobs = 0, .verbosity = 1, .exiting = 1};
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"lenient", no_argument, NULL, 'L'},
	    {"max-size", required_argument, NULL, 'M'},
	    {"force", no_argument, NULL, 'F'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "C:o:j:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'L': o.lenient = 1; break;
		case 'F': o.force = 1; break;
		case 'M':
			if (S_size_arg("build", optarg, &o.max_size) < 0)
				return S_usage_exit(S_build_usage, 2);
			break;
		case 'C': o.project = optarg; break;
		case 'o': o.output = optarg; break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256) {
				fprintf(stderr,
				        "baoku build: -j wants a number from 1 to 256, not '%s'\n",
				        optarg);
				return S_usage_exit(S_build_usage, 2);
			}
			o.jobs = (int)n;
			break;
		}
		case 'q': o.verbosity = 0; break;
		case 'v': o.verbosity = 2; break;
		case 'h': return S_usage_exit(S_build_usage, 0);
		default: return S_usage_exit(S_build_usage, 2);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "baoku build: unexpected argument '%s'\n", argv[optind]);
		return S_usage_exit(S_build_usage, 2);
	}
	if (o.verbosity == 0)
		diag_set_quiet(1);
	heap_tune_threads(o.jobs);
	int rc = site_build(&o) == 0 ? 0 : 1;
	scans_end();
	return rc;
}

struct partial_dir {
	const char *dir;
};

/* Loads DIR/name.mustache for {{>name}} in `baoku render`. */
static int
S_load_partial(void *ctx, const char *name, struct buf *text, char **path)
{
	const struct partial_dir *pd = ctx;
	return util_find_template(&pd->dir, 1, name, text, path);
}

static int
S_cmd_render(int argc, char **argv)
{
	const char *partials = NULL;
	unsigned flags = 0;
	static const struct option longopts[] = {
	    {"partials", required_argument, NULL, 'p'},
	    {"strict", no_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': partials = optarg; break;
		case 's': flags |= MU_STRICT; break;
		case 'h': return S_usage_exit(S_render_usage, 0);
		default: return S_usage_exit(S_render_usage, 2);
		}
	}
	if (optind >= argc || argc - optind > 2)
		return S_usage_exit(S_render_usage, 2);
	/* as the spec says, a missing partial renders as nothing; --strict
	   makes it, like a name that resolves to nothing, an error */
	if (!(flags & MU_STRICT))
		flags |= MU_MISSING_PARTIAL_EMPTY;
	const char *tpath = argv[optind];
	const char *dpath = optind + 1 < argc ? argv[optind + 1] : NULL;

	int rc = 1;
	struct buf text = BUF_INIT, out = BUF_INIT, dirbuf = BUF_INIT;
	json_t *data = NULL;
	struct mu_env *env = NULL;
	struct mu_template *t = NULL;

	if (util_read_file(tpath, &text, 1) <= 0)
		goto out;
	json_error_t jerr;
	if (!dpath)
		data = json_object();
	else if (!strcmp(dpath, "-"))
		data = json_loadf(stdin, JSON_DECODE_ANY, &jerr);
	else
		data = json_load_file(dpath, JSON_DECODE_ANY, &jerr);
	if (!data && jerr.line < 1) { /* not read at all: no position to give */
		diag_error(dpath, 0, 0, "cannot read the data: %s", jerr.text);
		goto out;
	}
	if (!data) {
		diag_error(dpath && strcmp(dpath, "-") ? dpath : "<stdin>", (size_t)jerr.line,
		           (size_t)jerr.column, "invalid JSON: %s", jerr.text);
		goto out;
	}
	if (!partials) {
		const char *slash = strrchr(tpath, '/');
		if (slash)
			buf_add(&dirbuf, tpath, (size_t)(slash - tpath));
		else
			buf_adds(&dirbuf, ".");
		partials = dirbuf.data;
	}
	struct partial_dir pd = {partials};
	env = mu_env_new(S_load_partial, &pd, flags);
	t = mu_compile(env, tpath, text.data, text.len);
	if (!t || mu_render(env, t, &mujson_data, data, &out) < 0)
		goto out;
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		diag_error(NULL, 0, 0, "writing to stdout: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	mu_template_free(t);
	mu_env_free(env);
	json_decref(data);
	buf_release(&text);
	buf_release(&out);
	buf_release(&dirbuf);
	return rc;
}

/* Prints one page as read, in the readable outline. */
static void
S_print_page(const char *path, const struct page_text *p)
{
	printf("%s: %s, text from line %zu\n", path, p->encoding, p->body_line);
	const struct meta *m = &p->meta;
	const char *names[] = {"title", "date", "paper", "page", "section", "district"};
	const char *vals[] = {m->title, m->date, m->paper, m->page, m->section, m->district};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (vals[i])
			printf("  %s: %s\n", names[i], vals[i]);
	for (size_t i = 0; i < m->reporters.n; i++)
		printf("  reporter: %s\n", m->reporters.v[i]);
	for (size_t i = 0; i < m->tags.n; i++)
		printf("  tag: %s\n", m->tags.v[i]);
	printf("\n%s%s\n", p->text, p->len && p->text[p->len - 1] != '\n' ? "\n" : "");
}

static void
S_print_names(const char *label, const struct strlist *l)
{
	if (!l->n)
		return;
	printf("    %s:", label);
	for (size_t i = 0; i < l->n; i++)
		printf(" %s", l->v[i]);
	printf("\n");
}

/* The page's metadata as the build uses it, and its editors, for each
   article of `parse --json`. */
static json_t *
S_page_json(const struct reader_page *rp)
{
	const struct meta *m = &rp->text.meta;
	return json_pack("{s:o,s:o,s:o,s:o,s:o}", "paper", mujson_str(m->paper), "date",
	                 mujson_str(m->date), "page", mujson_str(m->page), "section",
	                 mujson_str(m->section), "editors", mujson_strlist(&rp->seg.head.editors));
}

/* A continuation's page, as printed when it has a letter: 3, A06. */
static void
S_print_ref(const char *what, int page, const char *prefix)
{
	if (page && *prefix)
		printf("    %s page %s\n", what, prefix);
	else if (page)
		printf("    %s page %d\n", what, page);
}

/* Prints a page's articles as an outline an archivist can check; with
   explain, each block's role and why, and each article's place. */
static void
S_print_articles(const char *path, const struct reader_page *rp, const struct gazetteer *gz,
                 int explain)
{
	const struct seg_page *sp = &rp->seg;
	const struct meta *m = &rp->text.meta;
	printf("%s (%s): %zu article%s\n", path, rp->text.encoding, sp->n, sp->n == 1 ? "" : "s");
	if (m->paper || m->date || m->page || m->section)
		printf("  page: %s %s %s %s\n", m->paper ? m->paper : "-", m->date ? m->date : "-",
		       m->page ? m->page : "-", m->section ? m->section : "-");
	S_print_names("  editors", &sp->head.editors);
	if (explain) {
		printf("\n  blocks (line, role, why):\n");
		fflush(stdout);
		seg_explain(rp->text.text, rp->text.body_line, stdout);
	}
	for (size_t i = 0; i < sp->n; i++) {
		const struct seg_article *a = &sp->v[i];
		printf("\n  %zu. %s%s%s%s  [lines %zu-%zu%s]\n", i + 1, a->kicker ? a->kicker : "",
		       a->kicker ? " | " : "", a->title, a->title_derived ? " (title derived)" : "",
		       a->first_line, a->last_line,
		       a->kind == SEG_NOTICE  ? ", notice"
		       : a->kind == SEG_PHOTO ? ", photo"
		                              : "");
		if (a->label)
			printf("    label: %s\n", a->label);
		if (a->subtitle)
			printf("    subtitle: %s\n", a->subtitle);
		if (a->ncredits) {
			printf("    credits:");
			for (size_t k = 0; k < a->ncredits; k++)
				printf(" %s%s%s", a->credits[k].name,
				       *a->credits[k].role ? "/" : "", a->credits[k].role);
			printf("\n");
		}
		if (a->dateline)
			printf("    dateline: %s\n", a->dateline);
		S_print_ref("continued from", a->continued_from, a->from_prefix);
		S_print_ref("continues on", a->continues_on, a->on_prefix);
		json_t *d = dist_json(gz, &rp->places[i]);
		const char *sub = json_string_value(json_object_get(d, "subgroup"));
		printf("    district: %s%s%s\n", json_string_value(json_object_get(d, "group")),
		       sub ? " › " : "", sub ? sub : "");
		json_decref(d);
		if (explain) {
			fflush(stdout);
			dist_explain(gz, &rp->places[i], stdout);
			continue;
		}
		for (size_t k = 0; k < a->nblocks; k++) {
			const struct seg_block *b = &a->blocks[k];
			if (b->type == SEG_FIGURE)
				printf("    %4zu figure: %s%s%s\n", b->line, b->caption,
				       b->credit ? " / " : "", b->credit ? b->credit : "");
			else
				printf("    %4zu %s %s\n", b->line, b->type == SEG_H ? "##" : "  ",
				       b->text);
		}
	}
}

static int
S_cmd_parse(int argc, char **argv)
{
	int json = 0, read_only = 0, explain = 0;
	const char *project = ".";
	struct enc_options eo = {0};
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'J'},
	    {"read", no_argument, NULL, 'R'},
	    {"explain", no_argument, NULL, 'E'},
	    {"lenient", no_argument, NULL, 'L'},
	    {"max-size", required_argument, NULL, 'M'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': json = 1; break;
		case 'R': read_only = 1; break;
		case 'E': explain = 1; break;
		case 'L': eo.lenient = 1; break;
		case 'M':
			if (S_size_arg("parse", optarg, &eo.limit) < 0)
				return S_usage_exit(S_parse_usage, 2);
			break;
		case 'C': project = optarg; break;
		case 'h': return S_usage_exit(S_parse_usage, 0);
		default: return S_usage_exit(S_parse_usage, 2);
		}
	}
	if (optind >= argc)
		return S_usage_exit(S_parse_usage, 2);
	struct buf content = BUF_INIT, data = BUF_INIT;
	buf_printf(&content, "%s/content", project);
	struct gazetteer *gz = NULL;
	if (!read_only) {
		project_data_dir(project, &data);
		if (!(gz = gz_load(data.data))) {
			buf_release(&content);
			buf_release(&data);
			return 1;
		}
	}
	json_t *all = json_array();
	int failed = 0;
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		struct meta folder = {0};
		const char *rel = NULL;
		if (meta_for_file(content.data, path, &folder, &rel) < 0) {
			failed = 1;
			meta_free(&folder);
			continue;
		}
		if (read_only) {
			struct page_text p;
			int rc = page_read(path, rel, &folder, &eo, &p);
			if (rc < 0)
				failed = 1;
			else if (json)
				json_array_append_new(
				    all, json_pack("{s:s,s:s,s:o,s:I,s:s%}", "source", path,
				                   "encoding", p.encoding, "meta",
				                   meta_to_json(&p.meta), "body_line",
				                   (json_int_t)p.body_line, "text", p.text, p.len));
			else
				S_print_page(path, &p);
			if (rc == 0)
				page_text_free(&p);
			meta_free(&folder);
			continue;
		}
		struct reader_page rp;
		if (reader_read(path, rel, &folder, &eo, gz, &rp) < 0) {
			failed = 1;
			meta_free(&folder);
			continue;
		}
		for (size_t k = 0; k < rp.seg.n && json; k++) {
			json_t *a = seg_article_json(&rp.seg.v[k], k + 1, path, rp.text.encoding);
			json_object_set_new(a, "district", dist_json(gz, &rp.places[k]));
			json_object_set_new(a, "page", S_page_json(&rp));
			json_array_append_new(all, a);
		}
		if (!json)
			S_print_articles(path, &rp, gz, explain);
		reader_free(&rp);
		meta_free(&folder);
	}
	if (json) {
		json_dumpf(all, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(all);
	buf_release(&content);
	buf_release(&data);
	gz_free(gz);
	if (fflush(stdout) != 0) {
		diag_error(NULL, 0, 0, "writing to stdout: %s", strerror(errno));
		return 1;
	}
	return failed ? 1 : 0;
}

/* The folder a path is in: "." for a bare name. */
static void
S_parent(const char *path, struct buf *out)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 0)
		buf_adds(out, ".");
	else
		buf_add(out, path, n);
}

static int
S_cmd_check(int argc, char **argv)
{
	int pretty = 0;
	const char *project = NULL;
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"pretty", no_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "hC:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': return S_usage_exit(S_check_usage, 0);
		case 'p': pretty = 1; break;
		case 'C': project = optarg; break;
		default: return S_usage_exit(S_check_usage, 2);
		}
	}
	if (argc - optind > 1)
		return S_usage_exit(S_check_usage, 2);
	const char *dir = optind < argc ? argv[optind] : NULL;
	/* the project's site.yml: how its links end, where its output is */
	struct buf where = BUF_INIT;
	if (project)
		buf_adds(&where, project);
	else if (dir)
		S_parent(dir, &where);
	else
		buf_adds(&where, ".");
	struct project pj;
	struct config cfg;
	project_open(where.data, &pj);
	int rc = 1;
	if (config_load(pj.config, &cfg) < 0)
		goto out;
	project_set_output(&pj, dir, cfg.output);
	struct check_result r;
	if (check_links(pj.output, pretty || cfg.pretty_urls, &r) == 0) {
		fprintf(stderr, "baoku check: %zu files, %zu links, %zu broken\n", r.files, r.links,
		        r.broken);
		rc = r.broken ? 1 : 0;
	}
	config_free(&cfg);
out:
	project_free(&pj);
	buf_release(&where);
	return rc;
}

static int
S_cmd_init(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': return S_usage_exit(S_init_usage, 0);
		default: return S_usage_exit(S_init_usage, 2);
		}
	}
	if (argc - optind != 1)
		return S_usage_exit(S_init_usage, 2);
	if (project_init(argv[optind]) < 0)
		return 1;
	fprintf(stderr,
	        "baoku: made an archive project in %s: put pages (.txt) and Markdown (.md) in "
	        "%s/content, then run 'baoku build -C %s'\n",
	        argv[optind], argv[optind], argv[optind]);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return S_usage_exit(S_usage, 2);
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("baoku %s\n", BAOKU_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help"))
		return S_usage_exit(S_usage, 0);

	/* getopt starts again for the subcommand's own options */
	argv[1] = argv[0];
	optind = 1;
	if (!strcmp(cmd, "build"))
		return S_cmd_build(argc - 1, argv + 1);
	if (!strcmp(cmd, "render"))
		return S_cmd_render(argc - 1, argv + 1);
	if (!strcmp(cmd, "check"))
		return S_cmd_check(argc - 1, argv + 1);
	if (!strcmp(cmd, "parse"))
		return S_cmd_parse(argc - 1, argv + 1);
	if (!strcmp(cmd, "init"))
		return S_cmd_init(argc - 1, argv + 1);
	fprintf(stderr, "baoku: unknown command '%s'\n", cmd);
	return S_usage_exit(S_usage, 2);
}
