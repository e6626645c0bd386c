/* SPDX-License-Identifier: MIT */
/* Stage 10 (resolve) on documents built by hand: no other stage runs, so the
 * mentions, list rows and rules below are the whole input. */
#include "testutil.h"

#include <limits.h>

static const gz_entry KP = {"iso3166:KP", "Korea Utara", T_COUNTRY, "gazetteers/countries.tsv",
                            120,          true};
static const gz_entry KR = {
    "iso3166:KR", "Korea Selatan", T_COUNTRY, "gazetteers/countries.tsv", 121, true};
static const gz_entry PUTIN = {
    "person:vladimir-putin", "Vladimir Putin", T_PERSON, "gazetteers/people.tsv", 7, false};
static rule_attr NEST = {"nest", "COUNTRY LOCATION", 3};
static rule R_AGENCY = {.id = "agency-badan",
                        .file = "rules/agency.rules",
                        .line = 30,
                        .priority = 70,
                        .type = T_AGENCY};
static rule R_AGENCY_NEST = {.id = "agency-nest",
                             .file = "rules/agency.rules",
                             .line = 40,
                             .priority = 70,
                             .type = T_AGENCY,
                             .attr = &NEST,
                             .nattr = 1};
static rule_attr TRIM = {"trim", "start", 4};
static rule_attr YIELD = {"yield", "PERSON", 5};
static rule R_TRIM = {.id = "person-title",
                      .file = "rules/person.rules",
                      .line = 20,
                      .priority = 38,
                      .type = T_PERSON,
                      .attr = &TRIM,
                      .nattr = 1};
static rule R_YIELD = {.id = "org-head",
                       .file = "rules/organization.rules",
                       .line = 9,
                       .priority = 60,
                       .type = T_ORGANIZATION,
                       .attr = &YIELD,
                       .nattr = 1};
static rule R_PERSON = {.id = "person-title",
                        .file = "rules/person.rules",
                        .line = 12,
                        .priority = 60,
                        .type = T_PERSON};
static rule R_LOW = {
    .id = "low", .file = "rules/place.rules", .line = 5, .priority = 40, .type = T_LOCATION};

/* With WARTA_OPT_TRACE, as the tests read the why of lost mentions. */
static warta_doc *S_doc_opt(const char *text, int options)
{
	warta_doc *doc = doc_new(NULL, options);
	assert_non_null(doc);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	zone *z = VEC_PUSH(&doc->a, doc->zones);
	assert_non_null(z);
	*z = (zone){Z_BODY, 0, (uint32_t)strlen(text), NULL};
	return doc;
}

static warta_doc *S_doc(const char *text)
{
	return S_doc_opt(text, WARTA_OPT_TRACE);
}

/* Pushes a candidate over the first occurrence (from byte `from`) of `what`. */
static mention *S_push(warta_doc *doc, const char *what, size_t from, etype t, int prio,
                       const gz_entry *g, const rule *r, bool short_form)
{
	const char *p = strstr(doc->text + from, what);
	assert_non_null(p);
	mention *m = VEC_PUSH(&doc->a, doc->mentions);
	assert_non_null(m);
	m->start = (uint32_t)(p - doc->text);
	m->end = m->start + (uint32_t)strlen(what);
	m->type = t;
	m->priority = prio;
	m->zone = doc_zone_at(doc, m->start);
	m->entry = g;
	m->rule = r;
	m->short_form = short_form;
	m->entity = -1;
	if (g) {
		m->name = g->name;
		m->key = g->id;
	} else {
		m->name = arena_strndup(&doc->a, what, strlen(what));
		char key[200];
		snprintf(key, sizeof key, "%s:%s", etype_name(t), what);
		for (char *k = key; *k; k++)
			*k = *k == ' ' ? '-' : (char)(*k >= 'A' && *k <= 'Z' ? *k + 32 : *k);
		m->key = arena_strndup(&doc->a, key, strlen(key));
	}
	return m;
}

static const mention *S_at(const warta_doc *doc, const char *text, uint32_t start)
{
	for (size_t i = 0; i < doc->mentions.n; i++) {
		const mention *m = &doc->mentions.v[i];
		if (m->start == start && strcmp(tu_span(doc, m->start, m->end), text) == 0)
			return m;
	}
	fail_msg("no mention '%s' at %u", text, start);
	return NULL;
}

static uint32_t S_off(const warta_doc *doc, const char *what, size_t from)
{
	const char *p = strstr(doc->text + from, what);
	assert_non_null(p);
	return (uint32_t)(p - doc->text);
}

/* Settles a body (rule, `yield`), a list name inside it (type lt) and a
 * person that starts with that name (rule, `trim start`), as in "Ketua
 * Yayasan Kota Bogor Siti Rahmawati". */
static warta_doc *S_body_list_person(const char *text, const char *body, const char *list, etype lt,
                                     const gz_entry *e, const char *person)
{
	warta_doc *doc = S_doc(text);
	S_push(doc, body, 0, T_ORGANIZATION, 60, NULL, &R_YIELD, false);
	S_push(doc, list, 0, lt, 40, e, NULL, false);
	S_push(doc, person, 0, T_PERSON, 38, NULL, &R_TRIM, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	return doc;
}

/* Asserts that doc has two entities whose first mentions read a and b. */
static void S_two_entities(const warta_doc *doc, const char *a, const char *b)
{
	assert_int_equal(doc->entities.n, 2);
	const mention *ma = &doc->mentions.v[doc->entities.v[0].first];
	assert_string_equal(tu_span(doc, ma->start, ma->end), a);
	const mention *mb = &doc->mentions.v[doc->entities.v[1].first];
	assert_string_equal(tu_span(doc, mb->start, mb->end), b);
}

static void test_priority_wins(void **state)
{
	(void)state;
	warta_doc *doc = S_doc("Menurut badan intelijen Korea Selatan, pasukan tiba.");
	S_push(doc, "intelijen Korea", 0, T_LOCATION, 40, NULL, &R_LOW, false);
	S_push(doc, "Korea Selatan", 0, T_COUNTRY, 60, &KR, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	/* sorted by start */
	assert_string_equal(tu_span(doc, doc->mentions.v[0].start, doc->mentions.v[0].end),
	                    "intelijen Korea");
	const mention *lo = &doc->mentions.v[0], *w = &doc->mentions.v[1];
	assert_true(lo->dropped);
	assert_int_equal(lo->entity, -1);
	assert_string_equal(lo->why, "lost to gazetteers/countries.tsv:121 (priority 40 < 60)");
	assert_false(w->dropped);
	assert_int_equal(w->entity, 0);
	assert_int_equal(doc->entities.n, 1);
	assert_string_equal(doc->entities.v[0].name, "Korea Selatan");
	warta_doc_free(doc);
}

/* Without --trace the same mention is lost, and no why is written. */
static void test_why_only_traced(void **state)
{
	(void)state;
	warta_doc *doc = S_doc_opt("Menurut badan intelijen Korea Selatan, pasukan tiba.", 0);
	S_push(doc, "intelijen Korea", 0, T_LOCATION, 40, NULL, &R_LOW, false);
	S_push(doc, "Korea Selatan", 0, T_COUNTRY, 60, &KR, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	const mention *lo = &doc->mentions.v[0], *w = &doc->mentions.v[1];
	assert_true(lo->dropped);
	assert_int_equal(lo->entity, -1);
	assert_null(lo->why);
	assert_false(w->dropped);
	assert_int_equal(doc->entities.n, 1);
	warta_doc_free(doc);
}

static void test_length_then_position(void **state)
{
	(void)state;
	warta_doc *doc = S_doc("di Kota Batu Malang Raya sekarang");
	/* same priority: the longer wins */
	S_push(doc, "Kota Batu", 0, T_LOCATION, 50, NULL, &R_LOW, false);
	S_push(doc, "Kota Batu Malang", 0, T_LOCATION, 50, NULL, &R_PERSON, false);
	/* same priority and length as each other, overlapping: the leftmost wins */
	S_push(doc, "Malang Raya", 0, T_LOCATION, 30, NULL, &R_LOW, false);
	S_push(doc, "Raya sekara", 0, T_LOCATION, 30, NULL, &R_AGENCY, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	const mention *kb = S_at(doc, "Kota Batu", 3);
	assert_true(kb->dropped);
	assert_string_equal(kb->why, "lost to rules/person.rules:12 (priority 50, shorter: 9 < 16 "
	                             "bytes)");
	assert_false(S_at(doc, "Kota Batu Malang", 3)->dropped);
	/* "Malang Raya" overlaps the winner "Kota Batu Malang" (stronger) */
	const mention *mr = S_at(doc, "Malang Raya", 13);
	assert_true(mr->dropped);
	assert_string_equal(mr->why, "lost to rules/person.rules:12 (priority 30 < 50)");
	/* "Raya sekara" is then free: it overlaps only a loser */
	assert_false(S_at(doc, "Raya sekara", 20)->dropped);
	warta_doc_free(doc);

	doc = S_doc("Jalan Sudirman Raya");
	S_push(doc, "Jalan Sudirman", 0, T_LOCATION, 30, NULL, &R_LOW, false);
	S_push(doc, "Sudirman Raya", 0, T_LOCATION, 30, NULL, &R_AGENCY, false);
	S_push(doc, "Jalan Sudirma", 0, T_LOCATION, 30, NULL, &R_AGENCY, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_false(S_at(doc, "Jalan Sudirman", 0)->dropped);
	assert_string_equal(S_at(doc, "Sudirman Raya", 6)->why,
	                    "lost to rules/place.rules:5 (priority 30, shorter: 13 < 14 bytes)");
	warta_doc_free(doc);

	doc = S_doc("Bukit Tinggi Rayak");
	S_push(doc, "Tinggi Rayak", 0, T_LOCATION, 30, NULL, &R_AGENCY, false);
	S_push(doc, "Bukit Tinggi", 0, T_LOCATION, 30, NULL, &R_LOW, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_false(S_at(doc, "Bukit Tinggi", 0)->dropped);
	assert_string_equal(S_at(doc, "Tinggi Rayak", 6)->why,
	                    "lost to rules/place.rules:5 (priority 30, same length, starts later)");
	warta_doc_free(doc);

	/* same span, same priority: the one found first */
	doc = S_doc("Korut");
	S_push(doc, "Korut", 0, T_COUNTRY, 60, NULL, &R_AGENCY, false);
	S_push(doc, "Korut", 0, T_COUNTRY, 60, NULL, &R_LOW, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_false(doc->mentions.v[0].dropped);
	assert_true(doc->mentions.v[0].rule == &R_AGENCY);
	assert_string_equal(
	    doc->mentions.v[1].why,
	    "lost to rules/agency.rules:30 (same span and priority 60, found later)");
	warta_doc_free(doc);

	/* a list that names the very span wins over any rule, whatever its priority */
	doc = S_doc("Federasi Rusia");
	S_push(doc, "Federasi Rusia", 0, T_ORGANIZATION, 90, NULL, &R_AGENCY, false);
	S_push(doc, "Federasi Rusia", 0, T_COUNTRY, 40, &KP, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_true(doc->mentions.v[0].dropped);
	assert_string_equal(
	    doc->mentions.v[0].why,
	    "lost to gazetteers/countries.tsv:120 (a list names this span: COUNTRY)");
	assert_false(doc->mentions.v[1].dropped);
	assert_int_equal(doc->entities.n, 1);
	assert_int_equal(doc->entities.v[0].type, T_COUNTRY);
	warta_doc_free(doc);
}

/* A list that takes a rule's span takes the rule's priority with it: the
 * list's name still beats a weaker rival that the rule beat (a head found
 * inside the name), and the rival's loss names the list. */
static void test_list_takes_rule_priority(void **state)
{
	(void)state;
	static const gz_entry PPP = {"organization:ppp",
	                             "Partai Persatuan Pembangunan",
	                             T_ORGANIZATION,
	                             "gazetteers/organizations.tsv",
	                             27,
	                             false};
	warta_doc *doc = S_doc("Partai Persatuan Pembangunan menolak.");
	S_push(doc, "Partai Persatuan Pembangunan", 0, T_ORGANIZATION, 60, NULL, &R_YIELD, false);
	S_push(doc, "Partai Persatuan Pembangunan", 0, T_ORGANIZATION, 40, &PPP, NULL, false);
	S_push(doc, "Persatuan Pembangunan", 0, T_ORGANIZATION, 60, NULL, &R_AGENCY, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	const mention *list = NULL, *inner = S_at(doc, "Persatuan Pembangunan", 7);
	for (size_t i = 0; i < doc->mentions.n; i++)
		if (doc->mentions.v[i].entry == &PPP)
			list = &doc->mentions.v[i];
	assert_non_null(list);
	assert_false(list->dropped);
	assert_int_equal(list->priority, 60);
	assert_true(inner->dropped);
	assert_string_equal(inner->why, "lost to gazetteers/organizations.tsv:27 (a list names "
	                                "the body in full)");
	assert_int_equal(doc->entities.n, 1);
	assert_string_equal(doc->entities.v[0].name, "Partai Persatuan Pembangunan");
	warta_doc_free(doc);

	/* a list's full name beats a stronger head rule that found only its start */
	static const gz_entry BMKG = {"agency:bmkg",
	                              "Badan Meteorologi, Klimatologi, dan Geofisika",
	                              T_AGENCY,
	                              "gazetteers/agencies.tsv",
	                              90,
	                              false};
	doc = S_doc("Misalnya Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) pernah");
	S_push(doc, "Badan Meteorologi", 0, T_AGENCY, 70, NULL, &R_AGENCY, false);
	S_push(doc, "Badan Meteorologi, Klimatologi, dan Geofisika", 0, T_AGENCY, 40, &BMKG, NULL,
	       false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 1);
	assert_string_equal(doc->entities.v[0].key, "agency:bmkg");
	const mention *bm = &doc->mentions.v[doc->entities.v[0].first];
	assert_int_equal(bm->end - bm->start,
	                 strlen("Badan Meteorologi, Klimatologi, dan Geofisika"));
	assert_int_equal(bm->priority, 70);
	warta_doc_free(doc);

	/* whatever the rule's type */
	static const gz_entry AP = {"organization:angkasa-pura",
	                            "Angkasa Pura",
	                            T_ORGANIZATION,
	                            "gazetteers/organizations.tsv",
	                            76,
	                            false};
	static rule R_PLACE = {.id = "place-head",
	                       .file = "rules/place.rules",
	                       .line = 56,
	                       .priority = 60,
	                       .type = T_LOCATION};
	doc = S_doc("komitmen Angkasa Pura I untuk");
	S_push(doc, "Pura I", 0, T_LOCATION, 60, NULL, &R_PLACE, false);
	S_push(doc, "Angkasa Pura I", 0, T_ORGANIZATION, 40, &AP, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 1);
	assert_string_equal(doc->entities.v[0].key, "organization:angkasa-pura");
	warta_doc_free(doc);
}

static void test_nest(void **state)
{
	(void)state;
	warta_doc *doc = S_doc("menurut badan intelijen Korea Selatan (Korsel) dan badan "
	                       "intelijen Korea Utara");
	S_push(doc, "badan intelijen Korea Selatan", 0, T_AGENCY, 70, NULL, &R_AGENCY_NEST, false);
	S_push(doc, "Korea Selatan", 0, T_COUNTRY, 60, &KR, NULL, false);
	S_push(doc, "Korsel", 0, T_COUNTRY, 60, &KR, NULL, false);
	S_push(doc, "badan intelijen Korea Utara", 0, T_AGENCY, 70, NULL, &R_AGENCY, false);
	S_push(doc, "Korea Utara", 0, T_COUNTRY, 60, &KP, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_false(S_at(doc, "Korea Selatan", S_off(doc, "Korea Selatan", 0))->dropped);
	const mention *ku = S_at(doc, "Korea Utara", S_off(doc, "Korea Utara", 0));
	assert_true(ku->dropped);
	assert_string_equal(ku->why, "lost to rules/agency.rules:30 (priority 60 < 70)");
	/* agency, Korea Selatan (2 mentions), the other agency */
	assert_int_equal(doc->entities.n, 3);
	assert_int_equal(doc->entities.v[0].type, T_AGENCY);
	assert_string_equal(doc->entities.v[1].name, "Korea Selatan");
	assert_int_equal(doc->entities.v[1].nmentions, 2);
	assert_string_equal(doc->entities.v[2].name, "badan intelijen Korea Utara");
	warta_doc_free(doc);
}

static void test_short_forms(void **state)
{
	(void)state;
	/* a '~' form before and after the full form */
	warta_doc *doc = S_doc("Korut menembak. Korea Utara diam. Lalu, Korut lagi.");
	S_push(doc, "Korut", 0, T_COUNTRY, 60, &KP, NULL, true);
	S_push(doc, "Korea Utara", 0, T_COUNTRY, 60, &KP, NULL, false);
	S_push(doc, "Korut", 20, T_COUNTRY, 60, &KP, NULL, true);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 1);
	assert_int_equal(doc->entities.v[0].nmentions, 3);
	assert_int_equal(doc->entities.v[0].first, 0);
	assert_string_equal(doc->entities.v[0].name, "Korea Utara");
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(doc->mentions.v[i].entity, 0);
	warta_doc_free(doc);

	/* alone: dropped, with the reason */
	doc = S_doc("Korut menembak lagi.");
	S_push(doc, "Korut", 0, T_COUNTRY, 60, &KP, NULL, true);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 0);
	assert_true(doc->mentions.v[0].dropped);
	assert_string_equal(doc->mentions.v[0].why,
	                    "short form with no full form of iso3166:KP in the article");
	warta_doc_free(doc);
}

static const gz_entry MEGA = {"person:megawati-soekarnoputri",
                              "Megawati Soekarnoputri",
                              T_PERSON,
                              "gazetteers/people.tsv",
                              23,
                              false};

static void test_lone_short_forms(void **state)
{
	(void)state;
	/* a person's short form alone, written as a name: a name of its own */
	warta_doc *doc = S_doc("Mega tiba; kata Mega. Lalu Mega Watt dan Adi Mega, juga mega.");
	S_push(doc, "Mega", 0, T_PERSON, 40, &MEGA, NULL, true);
	S_push(doc, "Mega", 5, T_PERSON, 40, &MEGA, NULL, true);
	uint32_t w = S_off(doc, "Mega Watt", 0);
	S_push(doc, "Mega", w, T_PERSON, 40, &MEGA, NULL, true);
	S_push(doc, "Mega", w + 5, T_PERSON, 40, &MEGA, NULL, true);
	S_push(doc, "mega", 0, T_PERSON, 40, &MEGA, NULL, true);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 1);
	assert_string_equal(doc->entities.v[0].name, "Mega");
	assert_string_equal(doc->entities.v[0].key, "person:mega");
	assert_null(doc->entities.v[0].kb);
	assert_int_equal(doc->entities.v[0].nmentions, 2);
	assert_int_equal(doc->mentions.v[0].start, 0);
	assert_int_equal(doc->mentions.v[1].start, 16);
	assert_string_equal(tu_span(doc, doc->mentions.v[1].start, doc->mentions.v[1].end), "Mega");
	/* before a capitalised word, after a name, or in lower case: dropped */
	for (size_t i = 2; i < 5; i++)
		assert_true(doc->mentions.v[i].dropped);
	warta_doc_free(doc);
}

static void test_person_words(void **state)
{
	(void)state;
	warta_doc *doc = S_doc("Kata Putin, Presiden Vladimir Putin menyurati Kim Jong-un. "
	                       "Kim membalas; Putin senang. Kim Yo-jong diam, ujar Kim.");
	/* "Putin" before the full name, then after; "Kim" twice */
	S_push(doc, "Putin", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "Vladimir Putin", 0, T_PERSON, 60, &PUTIN, NULL, false);
	S_push(doc, "Kim Jong-un", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	uint32_t k1 = S_off(doc, "Kim membalas", 0);
	S_push(doc, "Kim", k1, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "Putin", k1, T_PERSON, 60, NULL, &R_PERSON, false);
	uint32_t yo = S_off(doc, "Kim Yo-jong", 0);
	S_push(doc, "Kim Yo-jong", yo, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "Kim", yo + 5, T_PERSON, 60, NULL, &R_PERSON, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	/* Vladimir Putin (first mention "Putin" at 5), Kim Jong-un, Kim Yo-jong */
	assert_int_equal(doc->entities.n, 3);
	const entity *e0 = &doc->entities.v[0];
	assert_string_equal(e0->name, "Vladimir Putin");
	assert_string_equal(e0->key, "person:vladimir-putin");
	assert_null(e0->kb); /* a slug, not an external id */
	assert_int_equal(e0->nmentions, 3);
	assert_int_equal(doc->mentions.v[e0->first].start, 5);
	assert_string_equal(doc->entities.v[1].name, "Kim Jong-un");
	assert_int_equal(doc->entities.v[1].nmentions, 2);
	/* the last "Kim" follows "Kim Yo-jong": the nearest full name before it */
	assert_string_equal(doc->entities.v[2].name, "Kim Yo-jong");
	assert_int_equal(doc->entities.v[2].nmentions, 2);
	assert_int_equal(S_at(doc, "Kim", k1)->entity, 1);
	warta_doc_free(doc);
}

/* A single word finds a full name by its folded form, whatever the case
 * and the script of either: "Özil" for "Mesut ÖZIL", "budi" for "BUDI
 * Santoso", and a Kelvin sign that folds to an ASCII "k" for "Kelvin". */
static void test_person_words_folded(void **state)
{
	(void)state;
	warta_doc *doc =
	    S_doc("Mesut ÖZIL tiba. BUDI Santoso dan Kelvin Rahardjo hadir. Kata Özil, "
	          "budi dan \u212Aelvin setuju; Santos tidak.");
	S_push(doc, "Mesut ÖZIL", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "BUDI Santoso", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "Kelvin Rahardjo", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "Özil", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "budi", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "\u212Aelvin", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "Santos", S_off(doc, "Santos tidak", 0), T_PERSON, 60, NULL, &R_PERSON, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	/* three full names, each with its single word; "Santos" is its own */
	assert_int_equal(doc->entities.n, 4);
	for (size_t e = 0; e < 3; e++)
		assert_int_equal(doc->entities.v[e].nmentions, 2);
	assert_int_equal(doc->entities.v[3].nmentions, 1);
	assert_string_equal(doc->entities.v[3].name, "Santos");
	warta_doc_free(doc);
}

static void test_related_apart(void **state)
{
	(void)state;
	const char *text = "Korea Utara menembak.\nLanjut baca:\nKorea Utara dan Putin";
	warta_doc *doc = doc_new(NULL, 0);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	uint32_t rel = (uint32_t)(strstr(text, "Lanjut") - text);
	*VEC_PUSH(&doc->a, doc->zones) = (zone){Z_BODY, 0, rel, NULL};
	*VEC_PUSH(&doc->a, doc->zones) = (zone){Z_RELATED, rel, (uint32_t)strlen(text), NULL};
	S_push(doc, "Korea Utara", rel, T_COUNTRY, 60, &KP, NULL, false);
	S_push(doc, "Korea Utara", 0, T_COUNTRY, 60, &KP, NULL, false);
	S_push(doc, "Putin", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 3);
	assert_false(doc->entities.v[0].related);
	assert_int_equal(doc->entities.v[0].nmentions, 1);
	assert_string_equal(doc->entities.v[0].kb, "iso3166:KP");
	assert_true(doc->entities.v[1].related);
	assert_string_equal(doc->entities.v[1].key, "iso3166:KP");
	assert_int_equal(doc->mentions.v[1].zone, Z_RELATED);
	assert_int_equal(doc->mentions.v[1].entity, 1);
	assert_true(doc->entities.v[2].related);
	assert_string_equal(doc->entities.v[2].key, "person:putin");
	warta_doc_free(doc);
}

static void test_trim_and_yield(void **state)
{
	(void)state;
	/* trim start: the list takes "Rusia", the person keeps the rest */
	static const gz_entry RU = {"iso3166:RU", "Rusia", T_COUNTRY, "gazetteers/countries.tsv",
	                            197,          true};
	warta_doc *doc = S_doc("kata Presiden Rusia Vladimir Putin kemarin");
	S_push(doc, "Rusia Vladimir Putin", 0, T_PERSON, 38, NULL, &R_TRIM, false);
	S_push(doc, "Rusia", 0, T_COUNTRY, 40, &RU, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	const mention *p = S_at(doc, "Vladimir Putin", S_off(doc, "Vladimir", 0));
	assert_false(p->dropped);
	assert_string_equal(p->name, "Vladimir Putin");
	assert_string_equal(p->key, "person:vladimir-putin");
	/* then the country, right after a capitalised title, only qualifies it */
	const mention *ru = S_at(doc, "Rusia", S_off(doc, "Rusia", 0));
	assert_true(ru->dropped);
	assert_string_equal(ru->why, "qualifies the capitalised name before it, not a place");
	assert_int_equal(doc->entities.n, 1);
	assert_int_equal(doc->entities.v[0].type, T_PERSON);
	warta_doc_free(doc);

	/* yield: the body gives its end back to the person */
	doc = S_doc("Politisi Partai Golkar Nurul Arifin menilai");
	S_push(doc, "Partai Golkar Nurul Arifin", 0, T_ORGANIZATION, 60, NULL, &R_YIELD, false);
	S_push(doc, "Nurul Arifin", 0, T_PERSON, 38, NULL, &R_PERSON, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	const mention *o = &doc->mentions.v[0];
	assert_false(o->dropped);
	assert_string_equal(tu_span(doc, o->start, o->end), "Partai Golkar");
	assert_string_equal(o->key, "organization:partai-golkar");
	assert_false(doc->mentions.v[1].dropped);
	warta_doc_free(doc);

	/* only the head would be left: the body gives way, and keeps its span */
	doc = S_doc("Sekretaris Kabinet Andi Widjajanto berkata");
	S_push(doc, "Kabinet Andi Widjajanto", 0, T_ORGANIZATION, 60, NULL, &R_YIELD, false);
	S_push(doc, "Andi Widjajanto", 0, T_PERSON, 38, NULL, &R_PERSON, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	const mention *k = &doc->mentions.v[0];
	assert_true(k->dropped);
	assert_string_equal(tu_span(doc, k->start, k->end), "Kabinet Andi Widjajanto");
	assert_string_equal(k->why,
	                    "gave way to rules/person.rules:12 (a person's name right after "
	                    "its head)");
	assert_false(doc->mentions.v[1].dropped);
	assert_int_equal(doc->entities.n, 1);
	warta_doc_free(doc);

	/* a list names the body from its start and ends inside the person: the
	 * body ends there, and the person loses that start ("Telkom" of "Telkom
	 * Guntur Siregar") */
	static const gz_entry TELKOM = {"organization:telkom",
	                                "Telkom Indonesia",
	                                T_ORGANIZATION,
	                                "gazetteers/organizations.tsv",
	                                62,
	                                false};
	doc = S_body_list_person("Direktur PT Telkom Guntur Siregar ditetapkan",
	                         "PT Telkom Guntur Siregar", "PT Telkom", T_ORGANIZATION, &TELKOM,
	                         "Telkom Guntur Siregar");
	assert_int_equal(doc->entities.n, 2);
	assert_string_equal(doc->entities.v[0].key, "organization:telkom");
	const mention *pt = &doc->mentions.v[doc->entities.v[0].first];
	assert_string_equal(tu_span(doc, pt->start, pt->end), "PT Telkom");
	const mention *gs = &doc->mentions.v[doc->entities.v[1].first];
	assert_int_equal(gs->type, T_PERSON);
	assert_string_equal(tu_span(doc, gs->start, gs->end), "Guntur Siregar");
	warta_doc_free(doc);

	/* a list name the person starts with stays with the body, and the person
	 * rule (trim start) keeps the rest */
	static const gz_entry MY = {"iso3166:MY", "Malaysia", T_COUNTRY, "gazetteers/countries.tsv",
	                            164,          true};
	doc = S_body_list_person("Gubernur Bank Sentral Malaysia Zeti Akhtar Aziz mengatakan",
	                         "Bank Sentral Malaysia Zeti Akhtar Aziz", "Malaysia", T_COUNTRY,
	                         &MY, "Malaysia Zeti Akhtar Aziz");
	S_two_entities(doc, "Bank Sentral Malaysia", "Zeti Akhtar Aziz");
	assert_int_equal(doc->mentions.v[doc->entities.v[1].first].type, T_PERSON);
	warta_doc_free(doc);

	/* "RSUD Dr. Soetomo": a name after a title inside the body stays in it */
	doc = S_doc("dirawat di RSUD Dr. Soetomo kemarin");
	S_push(doc, "RSUD Dr. Soetomo", 0, T_ORGANIZATION, 60, NULL, &R_YIELD, false);
	S_push(doc, "Soetomo", 0, T_PERSON, 38, NULL, &R_PERSON, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_false(doc->mentions.v[0].dropped);
	assert_true(doc->mentions.v[1].dropped);
	warta_doc_free(doc);
}

static void test_empty_and_noise(void **state)
{
	(void)state;
	warta_doc *doc = S_doc("tanpa nama");
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 0);
	warta_doc_free(doc);
	doc = S_doc("Korea Utara");
	S_push(doc, "Korea Utara", 0, T_COUNTRY, 60, &KP, NULL, false)->zone = Z_NOISE;
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 0);
	assert_string_equal(doc->mentions.v[0].why, "in a noise zone");
	warta_doc_free(doc);
}

/* Many nested and chained candidates: the result must not depend on the
 * order they were pushed in. */
static void test_order_independent(void **state)
{
	(void)state;
	char text[2048] = "";
	for (int i = 0; i < 100; i++)
		strcat(text, "Aa Bb ");
	uint32_t sig[2][600];
	for (int pass = 0; pass < 2; pass++) {
		warta_doc *doc = S_doc(text);
		for (int k = 0; k < 300; k++) {
			int i = pass ? 299 - k : k;
			mention *m = VEC_PUSH(&doc->a, doc->mentions);
			m->start = (uint32_t)(i * 2);
			m->end = m->start + 3u + (uint32_t)(i % 7);
			m->type = T_LOCATION;
			m->priority = 10 * (i % 3);
			m->rule = &R_LOW;
			m->name = "x";
			m->key = (i % 2) ? "location:a" : "location:b";
		}
		assert_int_equal(resolve_run(doc), WARTA_OK);
		for (size_t j = 0; j < doc->mentions.n; j++) {
			const mention *m = &doc->mentions.v[j];
			sig[pass][2 * j] = m->start * 16 + m->end;
			sig[pass][2 * j + 1] = m->dropped ? 1000000u : (uint32_t)m->entity;
			/* kept ones never overlap */
			for (size_t q = 0; q < j && !m->dropped; q++)
				if (!doc->mentions.v[q].dropped)
					assert_true(doc->mentions.v[q].end <= m->start);
		}
		warta_doc_free(doc);
	}
	assert_memory_equal(sig[0], sig[1], sizeof sig[0]);
}

/* A mention that overlaps none is taken before the contested ones are
 * sorted: the weakest of all still wins, one right after a winner (no byte
 * shared) too, and the contested ones settle by strength around it. */
static void test_alone_and_contested(void **state)
{
	(void)state;
	warta_doc *doc = S_doc("Aa Bb Cc Dd Ee");
	S_push(doc, "Ee", 0, T_LOCATION, 0, NULL, &R_LOW, false);
	S_push(doc, "Aa Bb", 0, T_LOCATION, 10, NULL, &R_LOW, false);
	S_push(doc, "Bb Cc", 0, T_LOCATION, 50, NULL, &R_LOW, false);
	S_push(doc, "Dd", 0, T_LOCATION, 1, NULL, &R_LOW, false);
	S_push(doc, "Cc", 0, T_LOCATION, 90, NULL, &R_LOW, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_false(S_at(doc, "Aa Bb", 0)->dropped);
	assert_true(S_at(doc, "Bb Cc", 3)->dropped);
	assert_false(S_at(doc, "Cc", 6)->dropped);
	assert_false(S_at(doc, "Dd", 9)->dropped);
	assert_false(S_at(doc, "Ee", 12)->dropped);
	assert_int_equal(doc->entities.n, 4);
	warta_doc_free(doc);
}

/* Settles, in a text of 130,000 bytes, a candidate over most of it and
 * rivals near its end, with the priorities prio[0..3]; returns, for each
 * candidate in text order, its entity or -1. */
static void S_wide(const int *prio, int32_t *out)
{
	size_t len = 130000;
	char *text = malloc(len + 1);
	assert_non_null(text);
	for (size_t i = 0; i < len; i++)
		text[i] = i % 6 == 5 ? ' ' : 'a';
	text[len] = '\0';
	warta_doc *doc = S_doc(text);
	free(text);
	/* the long one; two of one span (the first found wins the tie); one
	 * inside the long one only */
	const uint32_t span[5][2] = {
	    {6, 120000}, {119994, 120010}, {119994, 120010}, {60000, 60004}, {125000, 125005}};
	const int p[5] = {prio[0], prio[1], prio[1], prio[2], prio[3]};
	for (int k = 0; k < 5; k++) {
		mention *m = VEC_PUSH(&doc->a, doc->mentions);
		assert_non_null(m);
		*m = (mention){.start = span[k][0],
		               .end = span[k][1],
		               .type = T_LOCATION,
		               .priority = p[k],
		               .zone = Z_BODY,
		               .rule = &R_LOW,
		               .name = "x",
		               .key = k == 2 ? "location:c" : "location:a",
		               .entity = -1};
	}
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->mentions.n, 5);
	for (size_t j = 0; j < 5; j++)
		out[j] = doc->mentions.v[j].dropped ? -1 : doc->mentions.v[j].entity;
	warta_doc_free(doc);
}

/* The order of strength is the same whatever the range of the priorities
 * and the size of the text (one sorts packed integers, the other compares
 * the fields). */
static void test_wide_priorities(void **state)
{
	(void)state;
	int32_t narrow[5], wide[5];
	S_wide((const int[]){10, 20, 30, 5}, narrow);
	S_wide((const int[]){INT_MIN, 0, INT_MAX, INT_MIN + 1}, wide);
	assert_memory_equal(narrow, wide, sizeof narrow);
	/* in text order: [6, 120000) loses to the stronger ones inside it and
	 * at its end; of the two of one span the first found is kept (the
	 * other, key "location:c", would make an entity of its own) */
	const int32_t want[5] = {-1, 0, 0, -1, 0};
	assert_memory_equal(narrow, want, sizeof want);
}

/* Keys are equal by their text, not their pointer: copies of one key make
 * one entity, and a short form finds its full form through a copy. */
static void test_key_copies(void **state)
{
	(void)state;
	warta_doc *doc = S_doc("Korut menembak. Korea Utara diam. Lalu, Korut lagi.");
	mention *m = S_push(doc, "Korut", 0, T_COUNTRY, 60, &KP, NULL, true);
	m->key = arena_strndup(&doc->a, KP.id, strlen(KP.id));
	m = S_push(doc, "Korea Utara", 0, T_COUNTRY, 60, NULL, &R_LOW, false);
	m->key = arena_strndup(&doc->a, KP.id, strlen(KP.id));
	S_push(doc, "Korut", 20, T_COUNTRY, 60, &KP, NULL, true);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 1);
	assert_int_equal(doc->entities.v[0].nmentions, 3);
	warta_doc_free(doc);

	/* many keys, each under a few pointers: as many entities as texts */
	char text[4096] = "";
	for (int i = 0; i < 400; i++)
		strcat(text, "Aa Bb ");
	doc = S_doc(text);
	for (int i = 0; i < 400; i++) {
		char key[32];
		snprintf(key, sizeof key, "location:k%d", i % 100);
		m = VEC_PUSH(&doc->a, doc->mentions);
		assert_non_null(m);
		*m = (mention){.start = (uint32_t)(6 * i),
		               .end = (uint32_t)(6 * i + 2),
		               .type = T_LOCATION,
		               .priority = 10,
		               .zone = Z_BODY,
		               .rule = &R_LOW,
		               .name = "x",
		               .key = arena_strndup(&doc->a, key, strlen(key)),
		               .entity = -1};
	}
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 100);
	for (size_t e = 0; e < 100; e++)
		assert_int_equal(doc->entities.v[e].nmentions, 4);
	for (size_t j = 0; j < 400; j++)
		assert_int_equal(doc->mentions.v[j].entity, (int)(j % 100));
	warta_doc_free(doc);
}

/* ---- places in context, with the real lists (place_heads.tsv) ---- */

/* The kept mention whose text is `text`, or NULL. */
static const mention *S_kept_text(const warta_doc *doc, const char *text)
{
	for (size_t i = 0; i < doc->mentions.n; i++) {
		const mention *m = &doc->mentions.v[i];
		if (!m->dropped && strcmp(tu_span(doc, m->start, m->end), text) == 0)
			return m;
	}
	return NULL;
}

/* The kept mention reading text, which must exist and be of type t. */
static const mention *S_kept_as(const warta_doc *doc, const char *text, etype t)
{
	const mention *m = S_kept_text(doc, text);
	if (!m)
		fail_msg("no kept mention [%s]", text);
	assert_int_equal(m->type, t);
	return m;
}

/* Asserts that no kept mention overlaps the first occurrence of `what`. */
static void S_no_mention(const warta_doc *doc, const char *what)
{
	uint32_t s = S_off(doc, what, 0), e = s + (uint32_t)strlen(what);
	for (size_t i = 0; i < doc->mentions.n; i++) {
		const mention *m = &doc->mentions.v[i];
		if (!m->dropped && m->start < e && s < m->end)
			fail_msg("unexpected mention [%s] over '%s'",
			         tu_span(doc, m->start, m->end), what);
	}
}

static size_t S_attributes(const warta_doc *doc)
{
	size_t k = 0;
	for (size_t i = 0; i < doc->mentions.n; i++)
		k += doc->mentions.v[i].attribute;
	return k;
}

static void test_place_context(void **state)
{
	(void)state;
	warta_ruleset *rs = tu_load(tu_datadir());

	/* a known place and a direction are one region, with a key of its own */
	warta_doc *doc =
	    tu_extract(rs, "Roket jatuh di Israel utara dan di Libya Barat daya kemarin.", NULL);
	const mention *m = S_kept_as(doc, "Israel utara", T_LOCATION);
	assert_int_equal(m->start, 15);
	assert_string_equal(doc->entities.v[m->entity].key, "location:israel-utara");
	assert_null(doc->entities.v[m->entity].kb);
	assert_non_null(S_kept_text(doc, "Libya Barat daya"));
	assert_null(S_kept_text(doc, "Israel"));
	warta_doc_free(doc);

	/* not across a hyphen: "Timur-Tengah" is no direction of Bekasi */
	doc = tu_extract(rs, "Rutenya dari Bekasi Timur-Cawang saja.", NULL);
	assert_null(S_kept_text(doc, "Bekasi Timur"));
	warta_doc_free(doc);

	/* a person's short form alone after a sentence opener is a name of its
	 * own; after another capitalised word it is not */
	doc = tu_extract(rs, "Namun Mega dan mantan presiden lain tidak datang.", NULL);
	m = S_kept_as(doc, "Mega", T_PERSON);
	warta_doc_free(doc);
	doc = tu_extract(rs, "Kedatangan Mega ini disinyalir sebagai tanda.", NULL);
	assert_null(S_kept_text(doc, "Mega"));
	warta_doc_free(doc);

	/* a place that begins a longer capitalised name is part of it; a day,
	 * a known place, a title before it, an event word or a Roman numeral
	 * after it keep it */
	doc = tu_extract(rs,
	                 "Mereka bergabung dengan pasukan Asia Bersatu, saham Jakarta Lloyd "
	                 "naik, lalu ke Bandung Jawa Barat pada Senin.",
	                 NULL);
	S_no_mention(doc, "Asia");
	S_no_mention(doc, "Jakarta");
	assert_non_null(S_kept_text(doc, "Bandung"));
	assert_non_null(S_kept_text(doc, "Jawa Barat"));
	warta_doc_free(doc);

	/* a list form that opens with a lower-case head names the place by the
	 * words after it, with the row's identity */
	doc = tu_extract(rs, "Selain itu kota Yogyakarta dan Kota Bandung penting.", NULL);
	m = S_kept_text(doc, "Yogyakarta");
	assert_non_null(m);
	assert_string_equal(doc->entities.v[m->entity].key, "location:yogyakarta");
	assert_non_null(S_kept_text(doc, "Kota Bandung"));
	warta_doc_free(doc);

	/* a site named in English order is one place, its town with it */
	doc = tu_extract(rs, "Pameran dibuka di Jakarta Convention Center kemarin.", NULL);
	assert_int_equal(S_kept_text(doc, "Jakarta Convention Center")->type, T_LOCATION);
	warta_doc_free(doc);

	doc = tu_extract(rs, "Ia tiba di Jakarta Senin pagi.", NULL);
	assert_non_null(S_kept_text(doc, "Jakarta"));
	warta_doc_free(doc);

	doc =
	    tu_extract(rs, "Nilai ekspor ke Pakistan US$ 3 miliar, ke Bandung Rp 2 triliun.", NULL);
	assert_non_null(S_kept_text(doc, "Pakistan"));
	assert_non_null(S_kept_text(doc, "Bandung"));
	warta_doc_free(doc);

	/* "Raya" makes the greater area of a city */
	doc = tu_extract(rs, "Banjir melanda Semarang Raya kemarin.", NULL);
	assert_int_equal(S_kept_text(doc, "Semarang Raya")->type, T_LOCATION);
	warta_doc_free(doc);

	doc = tu_extract(rs, "Ia bertemu Gubernur Jawa Barat Wiryo Sasmito kemarin.", NULL);
	assert_non_null(S_kept_text(doc, "Jawa Barat"));
	warta_doc_free(doc);

	doc = tu_extract(rs, "Ia juara Malaysia Terbuka dan maju di dapil Jawa Tengah II.", NULL);
	assert_non_null(S_kept_text(doc, "Malaysia"));
	assert_non_null(S_kept_text(doc, "Jawa Tengah"));
	warta_doc_free(doc);

	/* a country after a noun of its goods, money or acts is an attribute: one
	 * word or two, a reduplicated plural, anti-/pro- */
	doc = tu_extract(rs,
	                 "Harga produk China dan dolar AS naik; serangan udara Israel dan "
	                 "serangan-serangan Iran dikecam kelompok anti-Suriah di Mesir.",
	                 NULL);
	S_no_mention(doc, "China");
	S_no_mention(doc, "AS");
	S_no_mention(doc, "Israel");
	S_no_mention(doc, "Iran");
	S_no_mention(doc, "Suriah");
	assert_int_equal(S_attributes(doc), 5);
	m = S_kept_as(doc, "Mesir", T_COUNTRY);
	warta_doc_free(doc);

	/* the attribute is dropped after the overlaps: the country still cuts
	 * off the name that follows it */
	doc = tu_extract(rs, "Konsep itu dari ahli botani Belanda Hugo de Vries dahulu.", NULL);
	S_no_mention(doc, "Belanda");
	assert_int_equal(S_attributes(doc), 1);
	m = S_kept_as(doc, "Hugo de Vries", T_PERSON);
	warta_doc_free(doc);

	/* a unit is no place: KL is a kiloliter */
	doc = tu_extract(rs, "Kuota dipangkas menjadi 46 juta KL tahun ini.", NULL);
	S_no_mention(doc, "KL");
	warta_doc_free(doc);

	warta_ruleset_free(rs);
}

/* A legal form with a name after it names a company, whatever a person rule
 * took after it; an office with a name after it gives the name back. */
/* A rule candidate that starts inside a name a list knows and ends beyond it
 * loses to the list, whatever its priority: "Serikat" heads unions, but here
 * it ends "Amerika Serikat". */
static void test_crossing(void **state)
{
	(void)state;
	static const gz_entry US = {
	    "iso3166:US", "Amerika Serikat", T_COUNTRY, "gazetteers/countries.tsv", 239, true};
	static const gz_entry CA = {"iso3166:CA", "Kanada", T_COUNTRY, "gazetteers/countries.tsv",
	                            44,           true};
	warta_doc *doc = S_doc("Latihan itu diikuti Amerika Serikat dan Kanada pekan lalu.");
	S_push(doc, "Serikat dan Kanada", 0, T_ORGANIZATION, 60, NULL, &R_YIELD, false);
	S_push(doc, "Amerika Serikat", 0, T_COUNTRY, 40, &US, NULL, false);
	S_push(doc, "Kanada", 0, T_COUNTRY, 40, &CA, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	const mention *o = S_at(doc, "Serikat dan Kanada", S_off(doc, "Serikat", 0));
	assert_true(o->dropped);
	assert_string_equal(o->why, "lost to gazetteers/countries.tsv:239 (starts inside a name a "
	                            "list knows: COUNTRY)");
	assert_false(S_at(doc, "Amerika Serikat", S_off(doc, "Amerika", 0))->dropped);
	assert_false(S_at(doc, "Kanada", S_off(doc, "Kanada", 0))->dropped);
	assert_int_equal(doc->entities.n, 2);
	assert_string_equal(doc->entities.v[0].key, "iso3166:US");
	assert_string_equal(doc->entities.v[1].key, "iso3166:CA");
	warta_doc_free(doc);

	/* the order of the candidates does not matter */
	doc = S_doc("Latihan itu diikuti Amerika Serikat dan Kanada pekan lalu.");
	S_push(doc, "Kanada", 0, T_COUNTRY, 40, &CA, NULL, false);
	S_push(doc, "Amerika Serikat", 0, T_COUNTRY, 40, &US, NULL, false);
	S_push(doc, "Serikat dan Kanada", 0, T_ORGANIZATION, 60, NULL, &R_YIELD, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_int_equal(doc->entities.n, 2);
	assert_true(S_at(doc, "Serikat dan Kanada", S_off(doc, "Serikat", 0))->dropped);
	warta_doc_free(doc);

	/* a rule that may trim its start keeps what follows the list's name */
	static const gz_entry BOGOR = {"location:kota-bogor",   "Kota Bogor", T_LOCATION,
	                               "gazetteers/places.tsv", 12,           false};
	doc = S_doc("Wakil Ketua DPRD Kota Bogor Siti Rahmawati mengatakan");
	S_push(doc, "Bogor Siti Rahmawati", 0, T_PERSON, 38, NULL, &R_TRIM, false);
	S_push(doc, "Kota Bogor", 0, T_LOCATION, 40, &BOGOR, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	const mention *sr = S_at(doc, "Siti Rahmawati", S_off(doc, "Siti", 0));
	assert_false(sr->dropped);
	assert_string_equal(sr->key, "person:siti-rahmawati");
	assert_false(S_at(doc, "Kota Bogor", S_off(doc, "Kota", 0))->dropped);
	assert_int_equal(doc->entities.n, 2);
	warta_doc_free(doc);

	/* without `trim`, a rule of the same shape loses all */
	doc = S_doc("Wakil Ketua DPRD Kota Bogor Siti Rahmawati mengatakan");
	S_push(doc, "Bogor Siti Rahmawati", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "Kota Bogor", 0, T_LOCATION, 40, &BOGOR, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	const mention *bs = S_at(doc, "Bogor Siti Rahmawati", S_off(doc, "Bogor", 0));
	assert_true(bs->dropped);
	assert_string_equal(bs->why,
	                    "lost to gazetteers/places.tsv:12 (starts inside a name a list "
	                    "knows: LOCATION)");
	S_no_mention(doc, "Siti Rahmawati");
	warta_doc_free(doc);

	/* a list name that lost to a body still stops the person inside it, so
	 * the body gives back only what follows the place */
	doc = S_body_list_person("Ketua Yayasan Kota Bogor Siti Rahmawati hadir",
	                         "Yayasan Kota Bogor Siti Rahmawati", "Kota Bogor", T_LOCATION,
	                         &BOGOR, "Bogor Siti Rahmawati");
	S_two_entities(doc, "Yayasan Kota Bogor", "Siti Rahmawati");
	warta_doc_free(doc);

	/* a list form of the rule's own entity is no rival: the longer name wins */
	static const gz_entry BUDI = {
	    "person:budi-santoso", "Budi Santoso", T_PERSON, "gazetteers/people.tsv", 9, false};
	doc = S_doc("Kemarin Kapten Budi Santoso tiba di lokasi.");
	S_push(doc, "Budi Santoso", 0, T_PERSON, 60, NULL, &R_PERSON, false);
	S_push(doc, "Kapten Budi", 0, T_PERSON, 40, &BUDI, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_false(S_at(doc, "Budi Santoso", S_off(doc, "Budi", 0))->dropped);
	assert_true(S_at(doc, "Kapten Budi", S_off(doc, "Kapten", 0))->dropped);
	warta_doc_free(doc);
}

static void test_company_keeps_name(void **state)
{
	(void)state;
	warta_ruleset *rs = tu_load(tu_datadir());
	warta_doc *doc = tu_extract(
	    rs, "Polisi memeriksa Direktur Utama PT Bumi Tirta Lestari, Darmawan Susilo, kemarin.",
	    NULL);
	(void)S_kept_as(doc, "PT Bumi Tirta Lestari", T_ORGANIZATION);
	assert_null(S_kept_text(doc, "Bumi Tirta Lestari"));
	warta_doc_free(doc);
	doc = tu_extract(rs, "Sekretaris Kabinet Andi Widjajanto berkata.", NULL);
	(void)S_kept_as(doc, "Andi Widjajanto", T_PERSON);
	warta_doc_free(doc);
	warta_ruleset_free(rs);
}

/* A name and its acronym in brackets are one mention; the acronym's later
 * mentions join the name's entity, found again where nothing else was. */
static void test_name_with_acronym(void **state)
{
	(void)state;
	warta_ruleset *rs = tu_load(tu_datadir());
	warta_doc *doc = tu_extract(
	    rs, "Partai itu keluar dari Koalisi Merah Putih (KMP). Anggota KMP lain diam.", NULL);
	const mention *m = S_kept_text(doc, "Koalisi Merah Putih (KMP)");
	assert_non_null(m);
	const mention *later = S_kept_text(doc, "KMP");
	assert_non_null(later);
	assert_int_equal(later->entity, m->entity);
	assert_true(later->start > m->end);
	warta_doc_free(doc);
	/* an acronym the list knows names the body before it, in any language,
	 * and gives it the list's identity */
	doc = tu_extract(rs, "Menurut Badan Kesehatan Dunia (WHO), vaksin itu aman.", NULL);
	m = S_kept_text(doc, "Badan Kesehatan Dunia (WHO)");
	assert_non_null(m);
	assert_non_null(m->entry);
	assert_null(S_kept_text(doc, "WHO"));
	warta_doc_free(doc);
	/* not a person's, and not an acronym of another initial unless both
	 * are bodies */
	doc = tu_extract(rs, "Kata Joko Widodo (JKW) kemarin.", NULL);
	assert_null(S_kept_text(doc, "Joko Widodo (JKW)"));
	warta_doc_free(doc);
	warta_ruleset_free(rs);
}

/* A rule's person that holds a name the people list knows and more words is
 * someone else, or the same person by more words: the longer name wins, unless
 * another list names a part of it, or the list's full name comes after words
 * that more often name a body. */
static void test_longer_person_than_list(void **state)
{
	(void)state;
	static const gz_entry SUKARNO = {"person:sukarno",        "Sukarno", T_PERSON,
	                                 "gazetteers/people.tsv", 29,        false};
	static const gz_entry PRABOWO = {"person:prabowo-subianto",
	                                 "Prabowo Subianto",
	                                 T_PERSON,
	                                 "gazetteers/people.tsv",
	                                 18,
	                                 false};
	static const gz_entry GOLKAR = {"organization:golkar",          "Golkar", T_ORGANIZATION,
	                                "gazetteers/organizations.tsv", 18,       false};
	static rule R_FALLBACK = {.id = "person-fallback",
	                          .file = "rules/person.rules",
	                          .line = 200,
	                          .priority = 20,
	                          .type = T_PERSON};

	/* a surname the list knows, given names before it */
	warta_doc *doc = S_doc("kata dia kepada Rochiman Sukarno kemarin");
	S_push(doc, "Rochiman Sukarno", 0, T_PERSON, 20, NULL, &R_FALLBACK, false);
	S_push(doc, "Sukarno", 0, T_PERSON, 40, &SUKARNO, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_false(S_at(doc, "Rochiman Sukarno", S_off(doc, "Rochiman", 0))->dropped);
	assert_true(S_at(doc, "Sukarno", S_off(doc, "Sukarno", 0))->dropped);
	assert_int_equal(doc->entities.n, 1);
	assert_string_equal(doc->entities.v[0].name, "Rochiman Sukarno");
	warta_doc_free(doc);

	/* a full name, more words after it */
	doc = S_doc("ngobrol dengan Prabowo Subianto Djojohadikusumo kemarin");
	S_push(doc, "Prabowo Subianto Djojohadikusumo", 0, T_PERSON, 20, NULL, &R_FALLBACK, false);
	S_push(doc, "Prabowo Subianto", 0, T_PERSON, 40, &PRABOWO, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_false(
	    S_at(doc, "Prabowo Subianto Djojohadikusumo", S_off(doc, "Prabowo", 0))->dropped);
	warta_doc_free(doc);

	/* words before a full name: the list wins */
	doc = S_doc("kata aktor Hollywood Prabowo Subianto kemarin");
	S_push(doc, "Hollywood Prabowo Subianto", 0, T_PERSON, 20, NULL, &R_FALLBACK, false);
	S_push(doc, "Prabowo Subianto", 0, T_PERSON, 40, &PRABOWO, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_true(S_at(doc, "Hollywood Prabowo Subianto", S_off(doc, "Hollywood", 0))->dropped);
	assert_false(S_at(doc, "Prabowo Subianto", S_off(doc, "Prabowo", 0))->dropped);
	warta_doc_free(doc);

	/* a rule of another type takes the same words: the person gains nothing */
	doc = S_doc("bertanding di White Sukarno Lane kemarin");
	S_push(doc, "White Sukarno Lane", 0, T_PERSON, 20, NULL, &R_FALLBACK, false);
	S_push(doc, "White Sukarno Lane", 0, T_LOCATION, 30, NULL, &R_LOW, false);
	S_push(doc, "Sukarno", 0, T_PERSON, 40, &SUKARNO, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_true(S_at(doc, "White Sukarno Lane", S_off(doc, "White", 0))->dropped ||
	            S_at(doc, "White Sukarno Lane", S_off(doc, "White", 0))->type != T_PERSON);
	for (size_t i = 0; i < doc->mentions.n; i++)
		if (doc->mentions.v[i].type == T_PERSON && doc->mentions.v[i].rule)
			assert_true(doc->mentions.v[i].dropped);
	warta_doc_free(doc);

	/* another list names a part of it: the lists win */
	doc = S_doc("kata Ketua Golkar Sukarno kemarin");
	S_push(doc, "Golkar Sukarno", 0, T_PERSON, 38, NULL, &R_TRIM, false);
	S_push(doc, "Golkar", 0, T_ORGANIZATION, 40, &GOLKAR, NULL, false);
	S_push(doc, "Sukarno", 0, T_PERSON, 40, &SUKARNO, NULL, false);
	assert_int_equal(resolve_run(doc), WARTA_OK);
	assert_false(S_at(doc, "Golkar", S_off(doc, "Golkar", 0))->dropped);
	assert_false(S_at(doc, "Sukarno", S_off(doc, "Sukarno", 0))->dropped);
	warta_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_priority_wins),
	    cmocka_unit_test(test_why_only_traced),
	    cmocka_unit_test(test_length_then_position),
	    cmocka_unit_test(test_list_takes_rule_priority),
	    cmocka_unit_test(test_nest),
	    cmocka_unit_test(test_short_forms),
	    cmocka_unit_test(test_lone_short_forms),
	    cmocka_unit_test(test_person_words),
	    cmocka_unit_test(test_person_words_folded),
	    cmocka_unit_test(test_related_apart),
	    cmocka_unit_test(test_empty_and_noise),
	    cmocka_unit_test(test_order_independent),
	    cmocka_unit_test(test_alone_and_contested),
	    cmocka_unit_test(test_wide_priorities),
	    cmocka_unit_test(test_key_copies),
	    cmocka_unit_test(test_trim_and_yield),
	    cmocka_unit_test(test_crossing),
	    cmocka_unit_test(test_place_context),
	    cmocka_unit_test(test_company_keeps_name),
	    cmocka_unit_test(test_name_with_acronym),
	    cmocka_unit_test(test_longer_person_than_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
