/* SPDX-License-Identifier: MIT */
/* Stage 10 (stub): every mention its own entity, by key. */
#include "internal.h"

#include <string.h>

int resolve_run(warta_doc *doc)
{
	for (size_t i = 0; i < doc->mentions.n; i++) {
		mention *m = &doc->mentions.v[i];
		size_t e = 0;
		while (e < doc->entities.n && strcmp(doc->entities.v[e].key, m->key) != 0)
			e++;
		if (e == doc->entities.n) {
			entity *en = VEC_PUSH(&doc->a, doc->entities);
			if (!en)
				return WARTA_ENOMEM;
			en->type = m->type;
			en->name = m->name;
			en->key = m->key;
			en->first = (uint32_t)i;
		}
		m->entity = (int)e;
		doc->entities.v[e].nmentions++;
	}
	return WARTA_OK;
}
