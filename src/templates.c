#include "templates.h"

#include <stdlib.h>

#include "buf.h"
#include "output.h"
#include "project.h"
#include "util.h"

/* Finds the template for {{>name}} or {{<name}}: templates/partials/NAME
   first, then templates/NAME, each with ".mustache" appended, then the
   same in the shipped templates. When none has it, *path is where the
   project would: templates/NAME.mustache. */
static int
S_load(void *ctx, const char *name, struct buf *text, char **path)
{
	const struct templates *t = ctx;
	int r = util_find_template(t->dirs, 4, name, text, path);
	if (r == 0 && *path) {
		struct buf where = BUF_INIT;
		buf_printf(&where, "%s/%s.mustache", t->dirs[1], name);
		free(*path);
		*path = buf_detach(&where, NULL);
	}
	return r;
}

void
tpl_open(struct templates *t, const struct project *p)
{
	t->dirs[0] = p->partials;
	t->dirs[1] = p->templates;
	t->dirs[2] = p->shipped_partials;
	t->dirs[3] = p->shipped;
	t->env = mu_env_new(S_load, t, MU_WARN_UNRESOLVED);
}

void
tpl_close(struct templates *t)
{
	mu_env_free(t->env);
	t->env = NULL;
}

int
tpl_emit(struct output *out, struct mu_env *env, const struct mu_template *t,
         const struct mu_data *data, const void *model, const char *relpath, uint64_t key)
{
	struct buf html = BUF_INIT;
	int rc = -1;
	buf_grow(&html, MU_RENDER_ROOM);
	if (mu_render(env, t, data, model, &html) == 0)
		rc = out_write_memo(out, relpath, key, html.data, html.len);
	buf_release(&html);
	return rc;
}
