/* SPDX-License-Identifier: MIT */
/* Fuzzes the whole extraction of one article from arbitrary bytes, on the
 * real data folder (loaded once). As cmark's fuzzer does, the first bytes
 * choose the options:
 *   byte 0: bit 0 trace, bit 1 a publication date, bit 2 a title apart from
 *           the text, bit 3 tight limits (few mentions, small PCRE2 budgets),
 *           bit 4 the date is raw bytes rather than a valid one
 *   bytes 1-3 (when bit 1): the date, year 1900+b1, month b2%13, day b3%32
 *           (out-of-range months and days on purpose)
 * The record must be valid warta/1 JSON whatever the input. */
#include "fuzz.h"

static warta_ruleset *S_rs, *S_tight;

static void S_init(void)
{
	if (S_rs)
		return;
	S_rs = fz_load(NULL);
	warta_limits tight = {0};
	tight.match_limit = 2000;
	tight.depth_limit = 50;
	tight.heap_limit_kib = 64;
	tight.max_mentions = 3;
	tight.max_article_bytes = 4096;
	S_tight = fz_load(&tight);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	S_init();
	if (size < 1)
		return 0;
	uint8_t flags = data[0];
	data++, size--;
	char date[16];
	warta_input in = {0};
	in.id = "fuzz";
	in.id_len = 4;
	if (flags & 2) {
		if (size < 3)
			return 0;
		if (flags & 16) {
			memcpy(date, data, 3);
			date[3] = '\0';
			in.date_len = 3;
		} else
			in.date_len = (size_t)snprintf(date, sizeof date, "%04d-%02d-%02d",
			                               1900 + data[0], data[1] % 13, data[2] % 32);
		in.date = date;
		in.date_origin = "cli";
		data += 3, size -= 3;
	}
	in.text = (const char *)data;
	in.text_len = size;
	if (flags & 4) { /* the title is everything before the first NUL byte */
		const uint8_t *z = memchr(data, 0, size);
		if (z) {
			in.title = (const char *)data;
			in.title_len = (size_t)(z - data);
			in.text = (const char *)z + 1;
			in.text_len = size - in.title_len - 1;
		}
	}
	const warta_ruleset *rs = (flags & 8) ? S_tight : S_rs;
	warta_doc *doc = NULL;
	int rc = warta_extract(rs, &in, (flags & 1) ? WARTA_OPT_TRACE : 0, &doc);
	if (rc != WARTA_ENOMEM && !doc)
		abort();
	char *json = warta_doc_json(doc);
	fz_check_record(json);
	free(json);
	warta_iter it = warta_iter_entities(doc);
	warta_entity e;
	while (warta_iter_next(&it, &e))
		if (!e.id || !e.type || !e.name || !e.key || e.mentions == 0)
			abort();
	warta_doc_free(doc);
	return 0;
}
