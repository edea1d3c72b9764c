/*
 * project: where a project's inputs are and where its archive goes.
 *
 *   DIR/content/      the pages          DIR/site.yml   the settings
 *   DIR/templates/    the templates,     DIR/data/      reference data (or
 *     partials/ in it                                   the installed one)
 *   DIR/static/       copied as it is    DIR/build/     the archive (site.yml's
 *   DIR/.baoku-cache/ what a build keeps                output, or -o)
 *                     for the next one
 *
 * The program ships default templates and static files: a template the
 * project's templates/ lacks is taken from the shipped ones (one file at
 * a time), and a project without static/ gets the shipped static/.
 */
#ifndef BAOKU_PROJECT_H
#define BAOKU_PROJECT_H

struct buf;

/* Every path of a project, each malloc'd. */
struct project {
	char *dir;       /* as given */
	char *content;   /* DIR/content */
	char *templates; /* DIR/templates */
	char *partials;  /* DIR/templates/partials */
	char *statics;   /* DIR/static */
	char *config;    /* DIR/site.yml */
	char *cache;     /* DIR/.baoku-cache, wherever the output goes */
	char *data;      /* see project_data_dir */
	char *shipped;   /* the templates shipped with the program (see
	                    project_shipped_dir), behind the project's */
	char *shipped_partials; /* ... and their partials */
	char *output;    /* NULL until project_set_output */
};

/*
 * The directory the program's own templates/ and static/ are in: beside
 * the program in a source tree (bin/..), or bin/../share/baoku once
 * installed, else the one installed with baoku (BAOKU_DATADIR). Replaces
 * out's contents.
 */
void project_shipped_dir(struct buf *out);

/*
 * Makes a new project in dir, which must not exist or be empty: site.yml
 * (its keys, commented), content/ and an empty templates/ for overrides;
 * it builds with the shipped templates and static files. Returns 0, or -1
 * after reporting.
 */
int project_init(const char *dir);

/* Fills p with the paths of the project in dir. Free with project_free. */
void project_open(const char *dir, struct project *p);

/* Sets the output directory: output when not NULL (-o), else DIR/cfg_output
   (site.yml's). */
void project_set_output(struct project *p, const char *output, const char *cfg_output);

void project_free(struct project *p);

/*
 * The directory with the gazetteer and other reference data: DIR/data when
 * the project has one, else the one beside the program (bin/../data in a
 * source tree, bin/../share/baoku once installed), else the one installed
 * with baoku. Replaces out's contents.
 */
void project_data_dir(const char *dir, struct buf *out);

#endif
