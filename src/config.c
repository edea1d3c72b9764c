#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "diag.h"
#include "util.h"
#include "xalloc.h"

static void
S_defaults(struct config *c)
{
	c->title = xstrdup("报库");
	c->base_url = xstrdup("");
	c->language = xstrdup("zh-CN");
	c->page_size = 20;
	c->pretty_urls = 0;
	c->output = xstrdup("build");
	c->deploy_target = xstrdup("");
}

static void
S_set(char **field, const char *v)
{
	free(*field);
	*field = xstrdup(v);
}

/* Checks and stores one key's value; the event is the value's scalar. */
static int
S_value(const char *path, const yaml_event_t *k, const yaml_event_t *v, struct config *c)
{
	const char *key = (const char *)k->data.scalar.value;
	size_t line = v->start_mark.line + 1, col = v->start_mark.column + 1;
	if (v->type != YAML_SCALAR_EVENT) {
		diag_error(path, line, col, "'%s' must be a single value", key);
		return -1;
	}
	const char *val = (const char *)v->data.scalar.value;
	if (!strcmp(key, "title")) {
		S_set(&c->title, val);
	} else if (!strcmp(key, "base_url")) {
		if (*val && strncmp(val, "http://", 7) && strncmp(val, "https://", 8)) {
			diag_error(path, line, col,
			           "base_url must be an absolute http(s) URL, not '%s'", val);
			return -1;
		}
		S_set(&c->base_url, val);
	} else if (!strcmp(key, "language")) {
		S_set(&c->language, val);
	} else if (!strcmp(key, "page_size")) {
		char *end;
		long n = strtol(val, &end, 10);
		if (*end || n < 1 || n > 1000) {
			diag_error(path, line, col,
			           "page_size must be a number from 1 to 1000, not '%s'", val);
			return -1;
		}
		c->page_size = (int)n;
	} else if (!strcmp(key, "pretty_urls")) {
		if (strcmp(val, "true") && strcmp(val, "false")) {
			diag_error(path, line, col, "pretty_urls must be true or false, not '%s'",
			           val);
			return -1;
		}
		c->pretty_urls = !strcmp(val, "true");
	} else if (!strcmp(key, "deploy_target")) {
		S_set(&c->deploy_target, val);
	} else if (!strcmp(key, "output")) {
		if (!util_safe_name(val)) {
			diag_error(path, line, col,
			           "output must be a directory inside the project, not '%s'", val);
			return -1;
		}
		S_set(&c->output, val);
	} else {
		diag_warning(path, k->start_mark.line + 1, k->start_mark.column + 1,
		             "unknown key '%s' ignored; known keys: title, base_url, language, "
		             "page_size, pretty_urls, output, deploy_target",
		             key);
	}
	return 0;
}

int
config_load(const char *path, struct config *c)
{
	memset(c, 0, sizeof *c);
	S_defaults(c);
	struct buf text = BUF_INIT;
	int r = util_read_file(path, &text, 0);
	if (r <= 0) {
		buf_release(&text);
		return r < 0 ? -1 : 0;
	}
	yaml_parser_t p;
	yaml_event_t ev, key;
	memset(&key, 0, sizeof key);
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text.data, text.len);
	int rc = 0, depth = 0, have_key = 0;
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			diag_error(path, p.problem_mark.line + 1, p.problem_mark.column + 1,
			           "invalid YAML: %s", p.problem ? p.problem : "syntax error");
			rc = -1;
			break;
		}
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
			if (depth == 1 && have_key) {
				if (S_value(path, &key, &ev, c) < 0)
					rc = -1;
				yaml_event_delete(&key);
				have_key = 0;
			} else if (depth == 0 && t != YAML_MAPPING_START_EVENT) {
				diag_error(path, ev.start_mark.line + 1, ev.start_mark.column + 1,
				           "site.yml must be 'key: value' lines");
				rc = -1;
			}
			depth++;
		} else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
			depth--;
		} else if (t == YAML_SCALAR_EVENT && depth == 1) {
			if (!have_key) {
				key = ev;
				have_key = 1;
				continue; /* key now owns the event */
			}
			if (S_value(path, &key, &ev, c) < 0)
				rc = -1;
			yaml_event_delete(&key);
			have_key = 0;
		} else if (t == YAML_SCALAR_EVENT && depth == 0 && ev.data.scalar.length) {
			diag_error(path, ev.start_mark.line + 1, ev.start_mark.column + 1,
			           "site.yml must be 'key: value' lines");
			rc = -1;
		}
		yaml_event_delete(&ev);
	}
	if (have_key)
		yaml_event_delete(&key);
	yaml_parser_delete(&p);
	buf_release(&text);
	return rc;
}

void
config_free(struct config *c)
{
	free(c->title);
	free(c->base_url);
	free(c->language);
	free(c->output);
	free(c->deploy_target);
	memset(c, 0, sizeof *c);
}
