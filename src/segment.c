/* SPDX-License-Identifier: MIT */
/* Stage 4 (stub). */
#include "internal.h"

int segment_run(warta_doc *doc)
{
	(void)doc;
	return WARTA_OK;
}
