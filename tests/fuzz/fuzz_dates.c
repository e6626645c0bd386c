/* SPDX-License-Identifier: MIT */
/* Fuzzes the date stage through the pipeline: short inputs (up to 1 KB) with
 * a fixed publication date, so relative dates ("kemarin", "Senin lalu") get
 * resolved. Byte 0 picks one of a few publication dates, including a leap
 * day and a year end, or none. Every date found must have a sane span and an
 * value in the ISO 8601 / TIMEX3 alphabet. */
#include "fuzz.h"

static warta_ruleset *S_rs;

static const char *const S_pub[] = {"2026-01-10", "2024-02-29", "2025-12-31", "2026-03",
                                    "1999",       NULL,         "2026-01-01", "2000-01-01"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!S_rs)
		S_rs = fz_load(NULL);
	if (size < 1 || size > 1024)
		return 0;
	const char *pub = S_pub[data[0] % (sizeof S_pub / sizeof *S_pub)];
	data++, size--;
	warta_input in = {0};
	in.id = "d";
	in.id_len = 1;
	in.text = (const char *)data;
	in.text_len = size;
	if (pub) {
		in.date = pub;
		in.date_len = strlen(pub);
	}
	warta_doc *doc = NULL;
	int rc = warta_extract(S_rs, &in, 0, &doc);
	if (rc == WARTA_OK) {
		for (size_t i = 0; i < doc->dates.n; i++) {
			const date *d = &doc->dates.v[i];
			if (d->start > d->end || d->end > doc->len)
				abort();
			if (memchr(d->value, 0, sizeof d->value) == NULL)
				abort();
			for (const char *c = d->value; *c; c++) /* ISO 8601 / TIMEX3 alphabet */
				if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') ||
				      *c == '-' || *c == ':' || *c == '_' || *c == '+' ||
				      *c == '.' || *c == '/'))
					abort();
		}
	}
	char *json = warta_doc_json(doc);
	fz_check_record(json);
	free(json);
	warta_doc_free(doc);
	return 0;
}
