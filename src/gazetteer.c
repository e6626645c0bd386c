/* SPDX-License-Identifier: MIT */
/* Stage 5 (stub). */
#include "internal.h"

struct gazetteer {
	int unused;
};

int gazetteer_build(warta_ruleset *rs, warta_diags *d)
{
	(void)rs;
	(void)d;
	return WARTA_OK;
}

void gazetteer_free(gazetteer *g, const warta_mem *mem)
{
	if (g)
		mem->free(g);
}

const gz_entry *gazetteer_lookup(const gazetteer *g, const char *s, size_t n)
{
	(void)g;
	(void)s;
	(void)n;
	return NULL;
}

size_t gazetteer_check(const gazetteer *g, warta_diags *d)
{
	(void)g;
	(void)d;
	return 0;
}

int gazetteer_run(warta_doc *doc)
{
	(void)doc;
	return WARTA_OK;
}
