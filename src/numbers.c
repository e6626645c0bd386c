/* SPDX-License-Identifier: MIT */
/* Stage (stub). */
#include "internal.h"

int numbers_run(warta_doc *doc)
{
	(void)doc;
	return WARTA_OK;
}

bool numbers_parse(const warta_ruleset *rs, const char *s, size_t n, double *value)
{
	(void)rs;
	(void)s;
	(void)n;
	(void)value;
	return false;
}
