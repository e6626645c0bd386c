/* SPDX-License-Identifier: MIT */
/* Stage 2 (stub): the text as given, identity offsets. */
#include "internal.h"

int normalize_run(warta_doc *doc)
{
	doc->text = (char *)doc->orig;
	doc->len = (uint32_t)doc->orig_len;
	doc->map = NULL;
	return WARTA_OK;
}
