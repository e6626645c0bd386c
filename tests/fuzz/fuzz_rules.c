/* SPDX-License-Identifier: MIT */
/* Fuzzes the rule-file parser: the input becomes rules/FILE.rules in a
 * scratch data folder (with one small word list, gazetteers/words.tsv, for
 * "@words.tsv" macros, and one of 1100 words, gazetteers/big.tsv, that
 * patterns reach through callouts) that is then loaded. Byte 0 picks FILE, so the rules
 * reach the stage that reads that file. When the load succeeds,
 * warta_ruleset_check() runs every EXAMPLE and COUNTER line and a short
 * article goes through the whole pipeline with the new rules. Diagnostics
 * must all format. */
#include "fuzz.h"

static const char *const S_files[] = {
    "person", "place", "agency", "organization", "number", "date", "claim", "boilerplate", "x"};

static const char S_words[] = "# fixture list\n"
                              "word\tkind\n"
                              "Presiden\tperson-title\n"
                              "Menteri Luar Negeri\tperson-title\n"
                              "PBB\torg\n"
                              "prajurit\tunit\n";

static const char S_article[] = "Presiden Joko Widodo bertemu PBB di Jakarta, Senin (12/1/2026).\n"
                                "Sebanyak 15 ribu prajurit dikirim ke perbatasan, kata Menteri "
                                "Luar Negeri Sugiono kepada kantor berita Antara.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 8192)
		return 0;
	static int ready;
	if (!ready) {
		fz_write("gazetteers/words.tsv", S_words, sizeof S_words - 1);
		/* a list long enough to be asked through callouts (rules.c),
		 * with the article's words among fillers of many lengths */
		static char big[64 * 1024];
		size_t n = (size_t)snprintf(big, sizeof big,
		                            "word\tkind\nJoko Widodo\tperson\nPBB\torg\n"
		                            "kantor  berita\tnews\nprajurit\tunit\n");
		for (int i = 0; i < 1100 && n + 64 < sizeof big; i++)
			n += (size_t)snprintf(big + n, sizeof big - n, "kata%.*s%d\tfill\n", i % 23,
			                      "xxxxxxxxxxxxxxxxxxxxxxx", i);
		fz_write("gazetteers/big.tsv", big, n);
		ready = 1;
	}
	const char *file = S_files[data[0] % (sizeof S_files / sizeof *S_files)];
	char rel[64];
	snprintf(rel, sizeof rel, "rules/%s.rules", file);
	fz_write(rel, data + 1, size - 1);

	warta_ruleset *rs = NULL;
	warta_diags *d = NULL;
	warta_limits lim = {0};
	lim.match_limit = 100000;
	lim.depth_limit = 1000;
	int rc = warta_ruleset_load(fz_scratch(), &lim, NULL, &rs, &d);
	if (rc == WARTA_OK) {
		(void)warta_ruleset_check(rs, &d);
		warta_input in = {0};
		in.id = "r";
		in.id_len = 1;
		in.text = S_article;
		in.text_len = sizeof S_article - 1;
		in.date = "2026-01-13";
		in.date_len = 10;
		char *json = warta_extract_json(rs, &in);
		fz_check_record(json);
		free(json);
	} else if (rc != WARTA_ERULE && rc != WARTA_ENOMEM && rc != WARTA_EIO)
		abort();
	else if (rc == WARTA_ERULE && warta_diags_count(d) == 0)
		abort(); /* a rule error must say what is wrong */
	for (size_t i = 0; i < warta_diags_count(d); i++)
		if (!warta_diags_format(d, i))
			abort();
	warta_diags_free(d);
	warta_ruleset_free(rs);
	fz_remove(rel);
	return 0;
}
