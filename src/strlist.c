#include "strlist.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void
strlist_add(struct strlist *l, const char *s, size_t len)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrndup(s, len);
}

void
strlist_add_unique(struct strlist *l, const char *s, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == len && !memcmp(l->v[i], s, len))
			return;
	strlist_add(l, s, len);
}

void
strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
