/* SPDX-License-Identifier: MIT */
/* Fuzzes the gazetteer loader: the input becomes gazetteers/x.tsv in a
 * scratch data folder. Byte 0 picks the header written before it: the input
 * as is (it brings its own header), an entity list header
 * ("id type name aliases flags") or a word-list header ("word category").
 * When the load succeeds, warta_ruleset_check() looks for clashes and a short
 * article that also contains the input's first line goes through the
 * pipeline, so the automaton is matched against text. */
#include "fuzz.h"

static const char *const S_headers[] = {"", "id\ttype\tname\taliases\tflags\n", "word\tcategory\n"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 16384)
		return 0;
	const char *hdr = S_headers[data[0] % 3];
	size_t hl = strlen(hdr);
	data++, size--;
	char *buf = malloc(hl + size + 1);
	if (!buf)
		return 0;
	memcpy(buf, hdr, hl);
	memcpy(buf + hl, data, size);
	fz_write("gazetteers/x.tsv", buf, hl + size);

	warta_ruleset *rs = NULL;
	warta_diags *d = NULL;
	int rc = warta_ruleset_load(fz_scratch(), NULL, NULL, &rs, &d);
	if (rc == WARTA_OK) {
		(void)warta_ruleset_check(rs, &d);
		/* the article: a fixed sentence, then the input's rows as text */
		static const char lead[] = "Presiden Korea Utara Kim Jong-un tiba di Pyongyang.\n";
		size_t n = sizeof lead - 1 + size;
		char *text = malloc(n);
		if (text) {
			memcpy(text, lead, sizeof lead - 1);
			memcpy(text + sizeof lead - 1, data, size);
			warta_input in = {0};
			in.id = "g";
			in.id_len = 1;
			in.text = text;
			in.text_len = n;
			char *json = warta_extract_json(rs, &in);
			fz_check_record(json);
			free(json);
			free(text);
		}
	} else if (rc == WARTA_ERULE && warta_diags_count(d) == 0)
		abort(); /* a list error must say what is wrong */
	for (size_t i = 0; i < warta_diags_count(d); i++)
		if (!warta_diags_format(d, i))
			abort();
	warta_diags_free(d);
	warta_ruleset_free(rs);
	free(buf);
	return 0;
}
