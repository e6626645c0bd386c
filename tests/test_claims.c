/* SPDX-License-Identifier: MIT */
/* The claims stage on documents built by hand: the numbers, mentions,
 * entities and dates that earlier stages would find are put in directly, so
 * these tests exercise claims.c alone, with the real rules and lists. */
#include "testutil.h"

#include <math.h>

static warta_doc *S_doc(const warta_ruleset *rs, const char *text)
{
	warta_doc *doc = doc_new(rs, 0);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	zone *z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_BODY, 0, doc->len, NULL};
	return doc;
}

static uint32_t S_at(const warta_doc *doc, const char *needle)
{
	const char *p = strstr(doc->text, needle);
	assert_non_null(p);
	return (uint32_t)(p - doc->text);
}

/* Adds an entity with one mention over `needle`; returns its index. */
static int S_ent(warta_doc *doc, const char *needle, etype t, const char *name, const char *key)
{
	uint32_t s = S_at(doc, needle);
	entity *e = VEC_PUSH(&doc->a, doc->entities);
	e->type = t;
	e->name = name;
	e->key = key;
	e->nmentions = 1;
	e->first = (uint32_t)doc->mentions.n;
	mention *m = VEC_PUSH(&doc->a, doc->mentions);
	*m = (mention){.start = s,
	               .end = s + (uint32_t)strlen(needle),
	               .type = t,
	               .name = name,
	               .key = key,
	               .zone = Z_BODY,
	               .entity = (int)doc->entities.n - 1};
	return (int)doc->entities.n - 1;
}

static number *S_num(warta_doc *doc, const char *needle, const char *numeral, double v, qualifier q)
{
	uint32_t s = S_at(doc, needle), vs = S_at(doc, numeral);
	number *n = VEC_PUSH(&doc->a, doc->numbers);
	*n = (number){.start = s,
	              .end = s + (uint32_t)strlen(needle),
	              .vstart = vs,
	              .vend = vs + (uint32_t)strlen(numeral),
	              .value = v,
	              .low = NAN,
	              .high = NAN,
	              .qual = q,
	              .zone = Z_BODY};
	if (q == Q_UPPER)
		n->high = v;
	if (q == Q_APPROX)
		n->approx = true;
	return n;
}

static const char *S_text(const warta_doc *doc, const claim *c)
{
	return tu_span(doc, c->start, c->end);
}

static void test_upper_bound_and_partitive(void **state)
{
	warta_doc *doc = S_doc(*state, "Menurut badan intelijen Jepang, Tiongkok diperkirakan "
	                               "mengirim hingga 20 ribu tentara ke perbatasan. Sekitar "
	                               "tiga ribu di antaranya terluka dalam latihan.");
	int src = S_ent(doc, "badan intelijen Jepang", T_AGENCY, "Badan Intelijen Jepang",
	                "agency:badan-intelijen-jepang");
	int cn = S_ent(doc, "Tiongkok", T_COUNTRY, "Tiongkok", "iso3166:CN");
	S_num(doc, "hingga 20 ribu", "20 ribu", 20000, Q_UPPER);
	S_num(doc, "Sekitar tiga ribu", "tiga ribu", 3000, Q_APPROX);
	assert_int_equal(claims_run(doc), WARTA_OK);
	assert_int_equal(doc->claims.n, 2);
	const claim *c = &doc->claims.v[0];
	assert_string_equal(S_text(doc, c), "hingga 20 ribu tentara");
	assert_string_equal(c->unit, "tentara");
	assert_string_equal(c->category, "personnel");
	assert_string_equal(c->predicate, "mengirim");
	assert_int_equal(c->subject, cn);
	assert_int_equal(c->source, src);
	assert_string_equal(c->hedge, "diperkirakan");
	assert_int_equal(c->place, -1);
	assert_int_equal(c->date, -1);
	assert_false(c->partitive);
	assert_string_equal(c->rule->id, "unit-after-number");
	c = &doc->claims.v[1];
	assert_string_equal(S_text(doc, c), "Sekitar tiga ribu di antaranya terluka");
	assert_true(c->partitive);
	assert_int_equal(c->partitive_of, 0);
	assert_string_equal(c->unit, "tentara");
	assert_string_equal(c->predicate, "terluka");
	assert_string_equal(c->category, "casualties");
	assert_int_equal(c->subject, -1);
	assert_int_equal(c->source, -1);
	assert_null(c->hedge);
	assert_true(doc->numbers.v[0].used && doc->numbers.v[1].used);
	warta_doc_free(doc);
}

/* The hedge look-up skips words by their length and first letter; a hedge
 * word in capitals or at a sentence start is still one. */
static void test_hedge_any_case(void **state)
{
	warta_doc *doc = S_doc(*state, "DIPERKIRAKAN Tiongkok mengirim 500 tentara ke perbatasan.");
	S_ent(doc, "Tiongkok", T_COUNTRY, "Tiongkok", "iso3166:CN");
	S_num(doc, "500", "500", 500, Q_NONE);
	assert_int_equal(claims_run(doc), WARTA_OK);
	assert_int_equal(doc->claims.n, 1);
	assert_string_equal(doc->claims.v[0].hedge, "diperkirakan");
	warta_doc_free(doc);
}

/* The hedge scan reads a sentence's words from masks of 64 bytes: a hedge
 * word across two blocks, one that runs to the sentence's end at a block's
 * end, and words with a letter beyond ASCII (whose fold is shorter than
 * they are: "DİDUGA" is diduga), in either block, are all found. */
static void test_hedge_blocks(void **state)
{
	static const struct {
		const char *text, *word;
		uint32_t at; /* where word starts */
	} cases[] = {
	    {"Tiongkok mengirim 500 tentara ke perbatasan pada pekan lalu, diperkirakan tiba.",
	     "diperkirakan", 61},
	    {"Tiongkok mengirim 500 tentara ke perbatasan pada pekan lalu, DİDUGA tiba besok.",
	     "DİDUGA", 61},
	    {"DİDUGA Tiongkok mengirim 500 tentara ke perbatasan.", "DİDUGA", 0},
	    {"Tiongkok mengirim 500 tentara ke perbatasan kemarin, yang diduga.", "diduga", 58},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		warta_doc *doc = S_doc(*state, cases[k].text);
		assert_int_equal(S_at(doc, cases[k].word), cases[k].at);
		S_ent(doc, "Tiongkok", T_COUNTRY, "Tiongkok", "iso3166:CN");
		S_num(doc, "500", "500", 500, Q_NONE);
		assert_int_equal(claims_run(doc), WARTA_OK);
		assert_int_equal(doc->claims.n, 1);
		assert_non_null(doc->claims.v[0].hedge);
		warta_doc_free(doc);
	}
	/* a word that only starts like a hedge word is none */
	warta_doc *doc = S_doc(*state, "Tiongkok mengirim 500 tentara, didugakan dikabarkanlah.");
	S_ent(doc, "Tiongkok", T_COUNTRY, "Tiongkok", "iso3166:CN");
	S_num(doc, "500", "500", 500, Q_NONE);
	assert_int_equal(claims_run(doc), WARTA_OK);
	assert_int_equal(doc->claims.n, 1);
	assert_null(doc->claims.v[0].hedge);
	warta_doc_free(doc);
}

/* A two-word verb is looked up only when a row with a space or other
 * non-word byte starts and ends as the two words do: in capitals and over
 * two spaces it is still found. */
static void test_two_word_verb(void **state)
{
	warta_doc *doc = S_doc(*state, "Sebanyak 500 tentara MENINGGAL  DUNIA di perbatasan.");
	S_num(doc, "500", "500", 500, Q_NONE);
	assert_int_equal(claims_run(doc), WARTA_OK);
	assert_int_equal(doc->claims.n, 1);
	assert_string_equal(doc->claims.v[0].predicate, "meninggal dunia");
	assert_string_equal(doc->claims.v[0].category, "casualties");
	warta_doc_free(doc);
}

/* The verb look-up skips words by their length and first letter, as the
 * hedge one does: a verb in capitals is still one. */
static void test_verb_any_case(void **state)
{
	warta_doc *doc = S_doc(*state, "Tiongkok MENGIRIM 500 tentara ke perbatasan.");
	S_ent(doc, "Tiongkok", T_COUNTRY, "Tiongkok", "iso3166:CN");
	S_num(doc, "500", "500", 500, Q_NONE);
	assert_int_equal(claims_run(doc), WARTA_OK);
	assert_int_equal(doc->claims.n, 1);
	assert_string_equal(doc->claims.v[0].predicate, "mengirim");
	warta_doc_free(doc);
}

static void test_capital_date_place(void **state)
{
	warta_doc *doc = S_doc(*state, "Rusia memperkuat garis depan. Pada Juli 2025, Moskow turut "
	                               "mengirim sekitar 500 insinyur militer ke kota Donetsk di "
	                               "Ukraina timur.");
	int ru = S_ent(doc, "Rusia", T_COUNTRY, "Rusia", "iso3166:RU");
	S_ent(doc, "Moskow", T_LOCATION, "Moskow", "location:moskow");
	int dn = S_ent(doc, "Donetsk", T_LOCATION, "Donetsk", "location:donetsk");
	S_ent(doc, "Ukraina", T_COUNTRY, "Ukraina", "iso3166:UA");
	date *d = VEC_PUSH(&doc->a, doc->dates);
	d->start = S_at(doc, "Juli 2025");
	d->end = d->start + 9;
	strcpy(d->value, "2025-07");
	S_num(doc, "sekitar 500", "500", 500, Q_APPROX);
	assert_int_equal(claims_run(doc), WARTA_OK);
	assert_int_equal(doc->claims.n, 1);
	const claim *c = &doc->claims.v[0];
	assert_string_equal(S_text(doc, c), "sekitar 500 insinyur militer");
	assert_string_equal(c->unit, "insinyur militer");
	assert_string_equal(c->predicate, "mengirim");
	assert_int_equal(c->subject, ru); /* Moskow acting for Rusia */
	assert_int_equal(c->place, dn);
	assert_int_equal(c->date, 0);
	assert_null(c->hedge);
	warta_doc_free(doc);
}

static void test_money_percent_and_plain(void **state)
{
	warta_doc *doc = S_doc(*state, "Pemerintah menganggarkan Rp 2,5 triliun untuk bantuan. "
	                               "Inflasi naik 3 persen. Ada 12 di antara meja itu.");
	number *n = S_num(doc, "Rp 2,5 triliun", "2,5 triliun", 2.5e12, Q_NONE);
	n->currency = "IDR";
	n = S_num(doc, "3 persen", "3", 3, Q_NONE);
	n->percent = true;
	S_num(doc, "12", "12", 12, Q_NONE);
	assert_int_equal(claims_run(doc), WARTA_OK);
	assert_int_equal(doc->claims.n, 2);
	assert_string_equal(doc->claims.v[0].unit, "IDR");
	assert_string_equal(doc->claims.v[0].category, "money");
	assert_string_equal(doc->claims.v[0].predicate, "menganggarkan");
	assert_string_equal(doc->claims.v[1].unit, "persen");
	assert_string_equal(doc->claims.v[1].category, "percent");
	assert_string_equal(doc->claims.v[1].predicate, "naik");
	assert_false(doc->numbers.v[2].used); /* "12" counts nothing */
	warta_doc_free(doc);
}

static void test_source_before_and_zones(void **state)
{
	warta_doc *doc = S_doc(*state, "Kementerian Kesehatan mengatakan 40 pasien dirawat.\n"
	                               "Lebih dari 90 pengungsi tiba");
	int kem = S_ent(doc, "Kementerian Kesehatan", T_AGENCY, "Kementerian Kesehatan",
	                "agency:kementerian-kesehatan");
	S_num(doc, "40", "40", 40, Q_NONE);
	number *n = S_num(doc, "Lebih dari 90", "90", 90, Q_LOWER);
	n->zone = Z_RELATED; /* a related headline: never a claim of the body */
	assert_int_equal(claims_run(doc), WARTA_OK);
	assert_int_equal(doc->claims.n, 1);
	const claim *c = &doc->claims.v[0];
	assert_string_equal(S_text(doc, c), "40 pasien");
	assert_string_equal(c->category, "people");
	assert_string_equal(c->predicate, "dirawat");
	assert_int_equal(c->source, kem);
	assert_int_equal(c->subject, -1); /* the speaker is the source, not the subject */
	warta_doc_free(doc);
}

static void test_partitive_without_antecedent(void **state)
{
	warta_doc *doc = S_doc(*state, "Dua di antaranya hilang.");
	S_num(doc, "Dua", "Dua", 2, Q_NONE);
	assert_int_equal(claims_run(doc), WARTA_OK);
	assert_int_equal(doc->claims.n, 0);
	warta_doc_free(doc);
}

static void test_passive_cue_and_same_entity(void **state)
{
	/* "dilaporkan" with no agent names no source; the country after "ke"
	 * is the place, not the source. */
	warta_doc *doc =
	    S_doc(*state, "Tiongkok dilaporkan mengirim sekitar 800 personel ke Laos. "
	                  "Menurut Badan Pangan (BPN), Badan Pangan menyalurkan 90 ton beras.");
	int cn = S_ent(doc, "Tiongkok", T_COUNTRY, "Tiongkok", "iso3166:CN");
	int la = S_ent(doc, "Laos", T_COUNTRY, "Laos", "iso3166:LA");
	int bp = S_ent(doc, "Badan Pangan (", T_AGENCY, "Badan Pangan", "agency:badan-pangan");
	/* a second mention of the same agency, after the first */
	mention *m = VEC_PUSH(&doc->a, doc->mentions);
	uint32_t s2 = S_at(doc, "Badan Pangan menyalurkan");
	*m = (mention){.start = s2,
	               .end = s2 + 12,
	               .type = T_AGENCY,
	               .name = "Badan Pangan",
	               .key = "agency:badan-pangan",
	               .zone = Z_BODY,
	               .entity = bp};
	doc->mentions.v[bp].end -= 2; /* "Badan Pangan" without " (" */
	S_num(doc, "sekitar 800", "800", 800, Q_APPROX);
	S_num(doc, "90", "90", 90, Q_NONE);
	assert_int_equal(claims_run(doc), WARTA_OK);
	assert_int_equal(doc->claims.n, 2);
	const claim *c = &doc->claims.v[0];
	assert_int_equal(c->subject, cn);
	assert_int_equal(c->source, -1);
	assert_int_equal(c->place, la);
	c = &doc->claims.v[1];
	assert_string_equal(S_text(doc, c), "90 ton");
	assert_int_equal(c->source, bp);
	assert_int_equal(c->subject, -1); /* the agency is the source, not also the subject */
	assert_string_equal(c->predicate, "menyalurkan");
	warta_doc_free(doc);
}

static void test_number_inside_date(void **state)
{
	/* "22 jam lalu" and "14 tahun silam" say when; only the soldiers are
	 * counted (the whole pipeline, so the dates are real). */
	warta_doc *doc = tu_extract(*state,
	                            "Laporan itu terbit 22 jam lalu. Perang 14 tahun silam "
	                            "menewaskan 300 tentara.",
	                            "2026-01-12");
	assert_int_equal(doc->dates.n, 2);
	assert_int_equal(doc->claims.n, 1);
	assert_string_equal(S_text(doc, &doc->claims.v[0]), "300 tentara");
	warta_doc_free(doc);
}

/* A source is an actor other than a place: a sentence with none has no
 * source whatever its cues say. The stage reads the same without the
 * ruleset's prepared table. */
static void test_source_needs_actor(void **state)
{
	warta_ruleset *rs = *state;
	for (int pass = 0; pass < 2; pass++) {
		struct claimtab *tab = rs->claimtab;
		if (pass)
			rs->claimtab = NULL;
		warta_doc *doc = S_doc(rs, "Menurut Jakarta, 500 pengungsi tiba di Bandung. "
		                           "Menurut Jepang, 70 persen warga dievakuasi.");
		S_ent(doc, "Jakarta", T_LOCATION, "Jakarta", "location:jakarta");
		int bd = S_ent(doc, "Bandung", T_LOCATION, "Bandung", "location:bandung");
		int jp = S_ent(doc, "Jepang", T_COUNTRY, "Jepang", "iso3166:JP");
		S_num(doc, "500", "500", 500, Q_NONE);
		number *n = S_num(doc, "70 persen", "70", 70, Q_NONE);
		n->percent = true;
		int rc = claims_run(doc);
		rs->claimtab = tab;
		assert_int_equal(rc, WARTA_OK);
		assert_int_equal(doc->claims.n, 2);
		const claim *c = &doc->claims.v[0];
		assert_string_equal(S_text(doc, c), "500 pengungsi");
		assert_string_equal(c->unit, "pengungsi");
		assert_int_equal(c->source, -1);
		assert_int_equal(c->place, bd);
		c = &doc->claims.v[1];
		assert_string_equal(c->unit, "persen");
		assert_string_equal(c->category, "percent");
		assert_int_equal(c->source, jp);
		warta_doc_free(doc);
	}
}

static int S_cmp_first(const void *a, const void *b)
{
	const int *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* The sort the stages share (arena.c): input in order, ties included, is
 * left as it is; other input is sorted. */
static void test_sort_unless_sorted(void **state)
{
	(void)state;
	int in_order[4][2] = {{1, 0}, {2, 9}, {2, 1}, {5, 0}};
	sort_unless_sorted(in_order, 4, sizeof in_order[0], S_cmp_first);
	assert_int_equal(in_order[1][1], 9);
	assert_int_equal(in_order[2][1], 1);
	int mixed[4][2] = {{5, 0}, {1, 1}, {3, 2}, {1, 3}};
	sort_unless_sorted(mixed, 4, sizeof mixed[0], S_cmp_first);
	for (int i = 0; i < 3; i++)
		assert_true(mixed[i][0] <= mixed[i + 1][0]);
	sort_unless_sorted(mixed, 0, sizeof mixed[0], S_cmp_first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_upper_bound_and_partitive),
	    cmocka_unit_test(test_hedge_any_case),
	    cmocka_unit_test(test_verb_any_case),
	    cmocka_unit_test(test_hedge_blocks),
	    cmocka_unit_test(test_two_word_verb),
	    cmocka_unit_test(test_capital_date_place),
	    cmocka_unit_test(test_money_percent_and_plain),
	    cmocka_unit_test(test_source_before_and_zones),
	    cmocka_unit_test(test_partitive_without_antecedent),
	    cmocka_unit_test(test_passive_cue_and_same_entity),
	    cmocka_unit_test(test_number_inside_date),
	    cmocka_unit_test(test_source_needs_actor),
	    cmocka_unit_test(test_sort_unless_sorted),
	};
	return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
