/* SPDX-License-Identifier: MIT */
/* Stage 3 (stub): the whole text is body. */
#include "internal.h"

int zone_run(warta_doc *doc)
{
	zone *z = VEC_PUSH(&doc->a, doc->zones);
	if (!z)
		return WARTA_ENOMEM;
	z->type = Z_BODY;
	z->start = 0;
	z->end = doc->len;
	return WARTA_OK;
}
