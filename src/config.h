/*
 * config: site.yml at the project root. Every key has a default, so the
 * archive builds with no file at all.
 *
 *   title: 报库            the archive's name
 *   base_url: ""           absolute URL where it is published (feeds, sitemap)
 *   language: zh-CN        the pages' lang
 *   page_size: 20          articles per page of a district listing
 *   pretty_urls: false     links end in a directory, not index.html
 *   output: build          the output directory, under the project
 *   deploy_target: ""      where `make deploy` copies the archive (rsync)
 *   description: ""        the archive in a sentence (meta description, feeds)
 *   params: {}             any keys, for the templates as site.params
 */
#ifndef BAOKU_CONFIG_H
#define BAOKU_CONFIG_H

#include <jansson.h>

struct config {
	char *title;
	char *base_url;
	char *language;
	int page_size;
	int pretty_urls;
	char *output;
	char *deploy_target;
	char *description;
	json_t *params; /* a JSON value (a mapping), or NULL */
};

/*
 * Reads path (a missing file gives the defaults) into c. Unknown keys are
 * warnings; a value of the wrong kind is an error. Returns 0, or -1 after
 * reporting with the file's positions. Free with config_free.
 */
int config_load(const char *path, struct config *c);

void config_free(struct config *c);

#endif
