#include "config.h"

#include <jansson.h>
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
	c->description = xstrdup("");
	c->params = NULL;
}

static void
S_set(char **field, const char *v)
{
	free(*field);
	*field = xstrdup(v);
}

/* Whether url is http(s)://host with a host of letters, digits, dots,
   dashes (and a port), then nothing or a path. */
static int
S_absolute_url(const char *url)
{
	const char *h = !strncmp(url, "https://", 8)  ? url + 8
	                : !strncmp(url, "http://", 7) ? url + 7
	                                              : NULL;
	if (!h)
		return 0;
	size_t n = 0;
	while (h[n] && h[n] != '/') {
		char c = h[n++];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
			return 0;
	}
	if (n == 0 || h[0] == '.' || h[0] == ':')
		return 0;
	for (const char *p = h + n; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return 0;
	return 1;
}

/* Whether dir (relative to the project) lies in a folder the build reads. */
static int
S_input_dir(const char *dir)
{
	static const char *const inputs[] = {"content", "templates", "static", "data"};
	size_t first = strcspn(dir, "/");
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		if (first == strlen(inputs[i]) && !strncmp(dir, inputs[i], first))
			return 1;
	return 0;
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
	if (!strcmp(key, "params")) {
		diag_error(path, line, col,
		           "params must be a mapping of keys, such as params: "
		           "{editor: 王芳}");
		return -1;
	}
	if (!strcmp(key, "title")) {
		S_set(&c->title, val);
	} else if (!strcmp(key, "base_url")) {
		if (*val && !S_absolute_url(val)) {
			diag_error(path, line, col,
			           "base_url must be an absolute http(s) URL with a host, such as "
			           "https://example.org/archive, not '%s'",
			           val);
			return -1;
		}
		S_set(&c->base_url, val);
		/* one slash joins it to every path: https://x.org/ is https://x.org */
		size_t n = strlen(c->base_url);
		while (n > 0 && c->base_url[n - 1] == '/')
			c->base_url[--n] = '\0';
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
	} else if (!strcmp(key, "description")) {
		S_set(&c->description, val);
	} else if (!strcmp(key, "output")) {
		struct buf dir = BUF_INIT;
		buf_adds(&dir, val);
		while (dir.len > 1 && dir.data[dir.len - 1] == '/')
			buf_truncate(&dir, dir.len - 1); /* build/ is build */
		int ok = util_safe_name(dir.data), input = ok && S_input_dir(dir.data);
		if (!ok)
			diag_error(path, line, col,
			           "output must be a directory inside the project, not '%s'", val);
		else if (input)
			diag_error(path, line, col,
			           "output '%s' is inside the project's %.*s/, which the build "
			           "reads: choose a directory of its own, such as build",
			           val, (int)strcspn(dir.data, "/"), dir.data);
		else
			S_set(&c->output, dir.data);
		buf_release(&dir);
		if (!ok || input)
			return -1;
	} else {
		diag_warning(path, k->start_mark.line + 1, k->start_mark.column + 1,
		             "unknown key '%s' ignored; known keys: title, base_url, language, "
		             "page_size, pretty_urls, output, deploy_target, description, params",
		             key);
	}
	return 0;
}

/* A key given twice is an error: YAML says the last wins, which hides
   what the first said. */
static int
S_seen(const char *path, const yaml_event_t *k, struct strlist *seen)
{
	const char *key = (const char *)k->data.scalar.value;
	size_t klen = k->data.scalar.length;
	for (size_t i = 0; i < seen->n; i++)
		if (!strncmp(seen->v[i], key, klen) && seen->v[i][klen] == '\t') {
			diag_error(path, k->start_mark.line + 1, k->start_mark.column + 1,
			           "'%s' is given twice (first on line %s); keep one", key,
			           seen->v[i] + klen + 1);
			return -1;
		}
	struct buf e = BUF_INIT;
	buf_printf(&e, "%s\t%zu", key, (size_t)k->start_mark.line + 1);
	strlist_add(seen, e.data, e.len);
	buf_release(&e);
	return 0;
}

/*
 * Reads the value whose first event is ev (a scalar, or the start of a
 * mapping or a sequence, whose events up to its end are read from p) as
 * JSON: plain true and false are booleans, every other scalar a string.
 * Returns it, or NULL after reporting invalid YAML or a key that is not a
 * plain word.
 */
static json_t *
S_tree(const char *path, yaml_parser_t *p, const yaml_event_t *ev)
{
	if (ev->type == YAML_SCALAR_EVENT) {
		const char *v = (const char *)ev->data.scalar.value;
		int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (plain && (!strcmp(v, "true") || !strcmp(v, "false")))
			return json_boolean(!strcmp(v, "true"));
		return json_stringn(v, ev->data.scalar.length);
	}
	int map = ev->type == YAML_MAPPING_START_EVENT;
	if (!map && ev->type != YAML_SEQUENCE_START_EVENT) {
		diag_error(path, ev->start_mark.line + 1, ev->start_mark.column + 1,
		           "params may hold values, lists and mappings only");
		return NULL;
	}
	json_t *out = map ? json_object() : json_array();
	for (;;) {
		yaml_event_t e, v;
		if (!yaml_parser_parse(p, &e)) {
			diag_error(path, p->problem_mark.line + 1, p->problem_mark.column + 1,
			           "invalid YAML: %s", p->problem ? p->problem : "syntax error");
			json_decref(out);
			return NULL;
		}
		if (e.type == YAML_MAPPING_END_EVENT || e.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&e);
			return out;
		}
		json_t *val = NULL;
		if (!map) {
			val = S_tree(path, p, &e);
			if (val)
				json_array_append_new(out, val);
		} else if (e.type != YAML_SCALAR_EVENT) {
			diag_error(path, e.start_mark.line + 1, e.start_mark.column + 1,
			           "a key of params must be a plain word");
		} else if (!yaml_parser_parse(p, &v)) {
			diag_error(path, p->problem_mark.line + 1, p->problem_mark.column + 1,
			           "invalid YAML: %s", p->problem ? p->problem : "syntax error");
		} else {
			val = S_tree(path, p, &v);
			if (val)
				json_object_set_new(out, (const char *)e.data.scalar.value, val);
			yaml_event_delete(&v);
		}
		yaml_event_delete(&e);
		if (!val) {
			json_decref(out);
			return NULL;
		}
	}
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
	struct strlist seen = {0}; /* the keys so far, each "key\tline" */
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
			if (depth == 1 && have_key &&
			    !strcmp((const char *)key.data.scalar.value, "params")) {
				/* any keys, for the templates: read whole */
				json_decref(c->params);
				c->params = S_tree(path, &p, &ev);
				yaml_event_delete(&key);
				yaml_event_delete(&ev);
				have_key = 0;
				if (!c->params) {
					rc = -1;
					break;
				}
				continue;
			}
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
				if (S_seen(path, &ev, &seen) < 0)
					rc = -1;
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
	strlist_free(&seen);
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
	free(c->description);
	json_decref(c->params);
	memset(c, 0, sizeof *c);
}
