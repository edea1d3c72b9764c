/*
 * templates: the project's Mustache templates, found by name, and a model
 * rendered through one of them into a file of the output.
 *
 * {{>name}} and {{<name}} (and a stage's own template, mu_env_load) find
 * templates/partials/NAME.mustache first, then templates/NAME.mustache,
 * then the same among the templates shipped with the program (project.h):
 * a project overrides them one file at a time.
 */
#ifndef BAOKU_TEMPLATES_H
#define BAOKU_TEMPLATES_H

#include <stdint.h>

#include "mustache.h"

struct output;
struct project;

struct templates {
	const char *dirs[4]; /* templates/partials, templates, and the shipped ones */
	struct mu_env *env;  /* loads and caches them */
};

/* Opens the templates of project p, whose paths must outlive t; t must
   stay where it is while env is in use. Nothing is loaded yet. Close
   with tpl_close. */
void tpl_open(struct templates *t, const struct project *p);
void tpl_close(struct templates *t);

/*
 * Renders model (a value of data's kind) through t and writes the result
 * to relpath of out under key (see out_write_memo). Returns 0, or -1 after
 * reporting. Safe to call from several threads.
 */
int tpl_emit(struct output *out, struct mu_env *env, const struct mu_template *t,
             const struct mu_data *data, const void *model, const char *relpath, uint64_t key);

#endif
