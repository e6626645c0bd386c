/* SPDX-License-Identifier: MIT */
/* The library API in one page: load the rules and lists once, extract from an
 * article, read its record and walk its entities. Built and run by
 * `make check` with nothing but the public header, as a user would.
 *
 *   cc -std=c11 api-demo.c -I src build/libwarta.a $(pkg-config --libs libpcre2-8 libcjson
 * libutf8proc) -lm
 */
#include "warta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *data = argc > 1 ? argv[1] : ".";
	warta_ruleset *rs = NULL;
	warta_diags *diags = NULL;
	int rc = warta_ruleset_load(data, NULL, NULL, &rs, &diags);
	for (size_t i = 0; i < warta_diags_count(diags); i++)
		fprintf(stderr, "%s\n", warta_diags_format(diags, i));
	warta_diags_free(diags);
	if (rc != WARTA_OK) {
		fprintf(stderr, "api-demo: %s\n", warta_strerror(rc));
		return 1;
	}
	const char *text =
	    "Menurut Kementerian Pertahanan, Jepang mengirim 300 personel ke Filipina.";
	warta_input in = {0};
	in.id = "demo";
	in.id_len = 4;
	in.text = text;
	in.text_len = strlen(text);
	in.date = "2026-01-10";
	in.date_len = 10;

	/* One call for the JSON record ... */
	char *json = warta_extract_json(rs, &in);
	if (!json)
		return 1;
	puts(json);
	free(json);

	/* ... or a document to walk. */
	warta_doc *doc = NULL;
	if (warta_extract(rs, &in, 0, &doc) == WARTA_OK) {
		warta_iter it = warta_iter_entities(doc);
		warta_entity e;
		while (warta_iter_next(&it, &e))
			printf("%s %s %s (%zu mention%s)\n", e.id, e.type, e.name, e.mentions,
			       e.mentions == 1 ? "" : "s");
	}
	warta_doc_free(doc);

	/* Many articles at once: the same records, in less time. */
	warta_input many[2] = {in, in};
	warta_doc *docs[2];
	int rcs[2];
	if (warta_extract_batch(rs, many, 2, 0, docs, rcs) == WARTA_OK)
		for (int k = 0; k < 2; k++) {
			warta_counts c;
			warta_doc_counts(docs[k], &c);
			printf("article %d: %s, %zu entities\n", k + 1, rcs[k] ? "error" : "ok",
			       c.entities);
			warta_doc_free(docs[k]);
		}
	warta_ruleset_free(rs);
	return 0;
}
