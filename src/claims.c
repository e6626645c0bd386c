/* SPDX-License-Identifier: MIT */
/* Stage (stub). */
#include "internal.h"

int claims_run(warta_doc *doc)
{
	(void)doc;
	return WARTA_OK;
}
