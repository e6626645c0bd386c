/* SPDX-License-Identifier: MIT */
/* Shared helpers for the cmocka stage tests. cmocka 1.1 needs these system
 * headers before its own. */
#ifndef WARTA_TESTUTIL_H
#define WARTA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The data folder: $WARTA_DATA (make check sets it to the source tree). */
static inline const char *tu_datadir(void)
{
	const char *d = getenv("WARTA_DATA");
	return d && *d ? d : ".";
}

/* Loads a ruleset or fails the test, printing every diagnostic. */
static inline warta_ruleset *tu_load(const char *dir)
{
	warta_ruleset *rs = NULL;
	warta_diags *d = NULL;
	int rc = warta_ruleset_load(dir, NULL, NULL, &rs, &d);
	for (size_t i = 0; i < warta_diags_count(d); i++)
		fprintf(stderr, "%s\n", warta_diags_format(d, i));
	warta_diags_free(d);
	assert_int_equal(rc, WARTA_OK);
	return rs;
}

/* The real data folder's ruleset, loaded once per test program by the group
 * setup below (a function-local static: no unused-variable warning in test
 * files that do not use it). */
static inline warta_ruleset **tu_rs_slot(void)
{
	static warta_ruleset *rs;
	return &rs;
}
#define tu_rs (*tu_rs_slot())

/* cmocka group setup and teardown around tu_rs; *state is tu_rs too. */
static inline int tu_setup(void **state)
{
	tu_rs = tu_load(tu_datadir());
	*state = tu_rs;
	return 0;
}

static inline int tu_teardown(void **state)
{
	(void)state;
	warta_ruleset_free(tu_rs);
	tu_rs = NULL;
	return 0;
}

/* Runs the whole pipeline on a NUL-terminated text; caller frees the doc. */
static inline warta_doc *tu_extract(const warta_ruleset *rs, const char *text, const char *date)
{
	warta_input in = {0};
	in.id = "t";
	in.id_len = 1;
	in.text = text;
	in.text_len = strlen(text);
	if (date) {
		in.date = date;
		in.date_len = strlen(date);
	}
	warta_doc *doc = NULL;
	assert_int_equal(warta_extract(rs, &in, 0, &doc), WARTA_OK);
	return doc;
}

/* Returns the text of a byte span of doc->text as a static string (tests only). */
static inline const char *tu_span(const warta_doc *doc, uint32_t s, uint32_t e)
{
	static char buf[4096];
	size_t n = e > s ? e - s : 0;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, doc->text + s, n);
	buf[n] = '\0';
	return buf;
}

#endif
