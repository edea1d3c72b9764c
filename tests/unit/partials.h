/*
 * partials.h: the partials of a Mustache test case, from its JSON
 * ("partials": {"name": "text"}), for the engine's loader. Set
 * test_partials to the running case's object; pass test_load to
 * mu_env_new.
 */
#ifndef BAOKU_TEST_PARTIALS_H
#define BAOKU_TEST_PARTIALS_H

#include <jansson.h>

#include "buf.h"

static json_t *test_partials; /* the running case's partials, or NULL */

static int
test_load(void *ctx, const char *name, struct buf *text, char **path)
{
	(void)ctx;
	(void)path;
	json_t *p = test_partials ? json_object_get(test_partials, name) : NULL;
	if (!json_is_string(p))
		return 0;
	buf_add(text, json_string_value(p), json_string_length(p));
	return 1;
}

#endif
