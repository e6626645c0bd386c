/* SPDX-License-Identifier: MIT */
/* Fuzzes the Indonesian numeral parser on its own: numbers_parse() over the
 * whole input, then over each prefix cut at a space, as the numbers stage
 * tries candidate spans. A value, when there is one, must be a number. */
#include "fuzz.h"

#include <math.h>

static warta_ruleset *S_rs;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!S_rs)
		S_rs = fz_load(NULL);
	if (size > 4096)
		return 0;
	/* libFuzzer's buffer is exact-size and not NUL-terminated: ASan sees reads past n */
	const char *s = (const char *)data;
	double v = 0;
	if (numbers_parse(S_rs, s, size, &v) && isnan(v))
		abort();
	for (size_t i = 0; i < size; i++)
		if (s[i] == ' ' && numbers_parse(S_rs, s, i, &v) && isnan(v))
			abort();
	return 0;
}
