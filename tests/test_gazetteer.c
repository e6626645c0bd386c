/* SPDX-License-Identifier: MIT */
/* Stage 5: list matching (tests/data/gz), lookup, load diagnostics, clashes. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

/* Runs only the gazetteer over text (no zones: one body zone). */
static warta_doc *S_run(const warta_ruleset *rs, const char *text)
{
	warta_doc *doc = doc_new(rs, 0);
	assert_non_null(doc);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	assert_int_equal(gazetteer_run(doc), WARTA_OK);
	return doc;
}

/* Asserts mention i: its span text, key and short-form flag. */
static void S_m(const warta_doc *doc, size_t i, uint32_t start, uint32_t end, const char *key,
                bool short_form)
{
	assert_true(i < doc->mentions.n);
	const mention *m = &doc->mentions.v[i];
	assert_int_equal(m->start, start);
	assert_int_equal(m->end, end);
	assert_string_equal(m->key, key);
	assert_int_equal(m->short_form, short_form);
	assert_int_equal(m->priority, 40);
	assert_int_equal(m->entity, -1);
	assert_null(m->rule);
	assert_non_null(m->entry);
	assert_string_equal(m->name, m->entry->name);
	assert_int_equal(m->type, m->entry->type);
}

static int S_setup(void **state)
{
	*state = tu_load("tests/data/gz");
	return 0;
}

static int S_teardown(void **state)
{
	warta_ruleset_free(*state);
	return 0;
}

static void test_leftmost_longest(void **state)
{
	warta_doc *doc = S_run(*state, "Korea Selatan dan Korea Utara, bukan Korea.");
	assert_int_equal(doc->mentions.n, 3);
	S_m(doc, 0, 0, 13, "iso3166:KR", false);
	S_m(doc, 1, 18, 29, "iso3166:KP", false);
	S_m(doc, 2, 37, 42, "location:korea", false);
	const mention *m = &doc->mentions.v[0];
	assert_string_equal(m->name, "Korea Selatan");
	assert_int_equal(m->type, T_COUNTRY);
	assert_int_equal(m->zone, Z_BODY);
	assert_string_equal(m->entry->file, "gazetteers/a-countries.tsv");
	assert_int_equal(m->entry->line, 3);
	assert_true(m->entry->external_id);
	assert_false(doc->mentions.v[2].entry->external_id);
	warta_doc_free(doc);
}

/* A form that starts where another match is under way loses: the leftmost
 * match is taken first, then the scan goes on after it. */
static void test_overlap(void **state)
{
	warta_doc *doc = S_run(*state, "Kantor Berita Pusat Korea Selatan melaporkan");
	assert_int_equal(doc->mentions.n, 1);
	S_m(doc, 0, 0, 25, "agency:kcna", false);
	warta_doc_free(doc);
	/* Longest wins even when a shorter form of another type ends first. */
	doc = S_run(*state, "Pasukan TNI Angkatan Darat tiba.");
	assert_int_equal(doc->mentions.n, 1);
	S_m(doc, 0, 8, 26, "organization:tni-ad", false);
	warta_doc_free(doc);
}

static void test_whole_words(void **state)
{
	/* Never inside a word ("Rusianya", "Korsel2"), but after a hyphen. */
	warta_doc *doc =
	    S_run(*state, "Rusianya dan Korsel2 lalu pro-Rusia dan Rusia-Korut (Rusia).");
	assert_int_equal(doc->mentions.n, 4);
	S_m(doc, 0, 30, 35, "iso3166:RU", false);
	S_m(doc, 1, 40, 45, "iso3166:RU", false);
	S_m(doc, 2, 46, 51, "iso3166:KP", false);
	S_m(doc, 3, 53, 58, "iso3166:RU", false);
	warta_doc_free(doc);
	doc = S_run(*state, "ARusia Rusia_ 1Rusia");
	assert_int_equal(doc->mentions.n, 1); /* '_' is not a letter */
	S_m(doc, 0, 7, 12, "iso3166:RU", false);
	warta_doc_free(doc);
}

/* '-' and space are different characters. */
static void test_hyphen_space(void **state)
{
	warta_doc *doc = S_run(*state, "Bosnia-Herzegovina, Bosnia Herzegovina");
	assert_int_equal(doc->mentions.n, 2);
	S_m(doc, 0, 0, 18, "location:bosnia-herzegovina", false);
	S_m(doc, 1, 20, 26, "location:bosnia-herzegovina", false);
	warta_doc_free(doc);
}

static void test_acronym_case(void **state)
{
	warta_doc *doc =
	    S_run(*state, "as As AS aS; ri RI; Pbb PBB; tni ad TNI Ad TNI AD; kcna KCNA");
	assert_int_equal(doc->mentions.n, 5);
	S_m(doc, 0, 6, 8, "iso3166:US", false);
	S_m(doc, 1, 16, 18, "iso3166:ID", false);
	S_m(doc, 2, 24, 27, "organization:pbb", false);
	S_m(doc, 3, 43, 49, "organization:tni-ad", false);
	S_m(doc, 4, 56, 60, "agency:kcna", false);
	warta_doc_free(doc);
	/* A form with lower case matches in any case, capitals included. */
	doc = S_run(*state, "KOREA UTARA dan korea selatan");
	assert_int_equal(doc->mentions.n, 2);
	S_m(doc, 0, 0, 11, "iso3166:KP", false);
	S_m(doc, 1, 16, 29, "iso3166:KR", false);
	warta_doc_free(doc);
}

/* A word in capitals inside a longer form must be in capitals too. */
static void test_capital_word(void **state)
{
	warta_doc *doc =
	    S_run(*state, "di Yogyakarta, DI Yogyakarta, DI YOGYAKARTA, Di Yogyakarta");
	assert_int_equal(doc->mentions.n, 4);
	S_m(doc, 0, 3, 13, "location:yogyakarta", false);
	S_m(doc, 1, 15, 28, "location:yogyakarta", false);
	S_m(doc, 2, 30, 43, "location:yogyakarta", false);
	S_m(doc, 3, 48, 58, "location:yogyakarta", false);
	warta_doc_free(doc);
	const gazetteer *g = ((const warta_ruleset *)*state)->gz;
	assert_null(gazetteer_lookup(g, "di yogyakarta", 13));
	assert_non_null(gazetteer_lookup(g, "DI  yogyakarta", 14));
}

static void test_exact_and_cs(void **state)
{
	/* "=Malang" is exact; "Kota Malang" is not. */
	warta_doc *doc = S_run(*state, "Malang, malang, MALANG, kota malang");
	assert_int_equal(doc->mentions.n, 2);
	S_m(doc, 0, 0, 6, "location:kota-malang", false);
	S_m(doc, 1, 24, 35, "location:kota-malang", false);
	warta_doc_free(doc);
	/* Flag cs: every form of the row in exact case. */
	doc = S_run(*state,
	            "Bali United, bali united, BALI UNITED, Serdadu Tridatu, serdadu tridatu");
	assert_int_equal(doc->mentions.n, 2);
	S_m(doc, 0, 0, 11, "organization:bali-united", false);
	S_m(doc, 1, 39, 54, "organization:bali-united", false);
	warta_doc_free(doc);
}

static void test_short_form(void **state)
{
	warta_doc *doc = S_run(*state, "Kim Jong-un. Kim tiba; kata Kim Jong Un.");
	assert_int_equal(doc->mentions.n, 3);
	S_m(doc, 0, 0, 11, "person:kim-jong-un", false);
	S_m(doc, 1, 13, 16, "person:kim-jong-un", true);
	S_m(doc, 2, 28, 39, "person:kim-jong-un", false);
	assert_string_equal(doc->mentions.v[1].name, "Kim Jong-un");
	warta_doc_free(doc);
}

/* A run of white space is one space, a line break included; a blank line
 * ends a name. */
static void test_spaces(void **state)
{
	warta_doc *doc =
	    S_run(*state, "Korea\nSelatan, Korea  Utara, Korea \t\r\n Selatan, Korea\n\nSelatan");
	assert_int_equal(doc->mentions.n, 4);
	S_m(doc, 0, 0, 13, "iso3166:KR", false);
	S_m(doc, 1, 15, 27, "iso3166:KP", false);
	S_m(doc, 2, 29, 46, "iso3166:KR", false);
	S_m(doc, 3, 48, 53, "location:korea", false);
	warta_doc_free(doc);
}

static void test_non_ascii(void **state)
{
	/* "Pyŏngyang": ŏ is two bytes; Ü folds to ü. */
	warta_doc *doc =
	    S_run(*state, "PYŎNGYANG, pyŏngyang, Pyongyang, ZÜRICH, zürich, Zürichnya");
	assert_int_equal(doc->mentions.n, 5);
	S_m(doc, 0, 0, 10, "location:pyongyang", false);
	S_m(doc, 1, 12, 22, "location:pyongyang", false);
	S_m(doc, 2, 24, 33, "location:pyongyang", false);
	S_m(doc, 3, 35, 42, "location:zurich", false);
	S_m(doc, 4, 44, 51, "location:zurich", false);
	assert_string_equal(doc->mentions.v[0].name, "Pyŏngyang");
	warta_doc_free(doc);
	/* A typographic apostrophe matches the list's ASCII one; a non-ASCII
	 * letter before a name makes it part of a word. */
	doc = S_run(*state, "di Cote d\xE2\x80\x99Ivoire dan \xC3\xA9Rusia");
	assert_int_equal(doc->mentions.n, 1);
	S_m(doc, 0, 3, 18, "iso3166:CI", false);
	warta_doc_free(doc);
}

/* Bytes that are not UTF-8 count as one non-letter each. */
static void test_invalid_utf8(void **state)
{
	warta_doc *doc = S_run(*state, "\xC3Rusia \xFFKorut\xFF Korea \xE2\x80");
	assert_int_equal(doc->mentions.n, 3);
	S_m(doc, 0, 1, 6, "iso3166:RU", false);
	S_m(doc, 1, 8, 13, "iso3166:KP", false);
	S_m(doc, 2, 15, 20, "location:korea", false);
	warta_doc_free(doc);
	const gazetteer *g = ((const warta_ruleset *)*state)->gz;
	assert_null(gazetteer_lookup(g, "Korea \xE2", 7));
}

/* The first loaded row wins a shared form, whatever its type. */
static void test_first_row_wins(void **state)
{
	warta_doc *doc = S_run(*state, "Georgia dan Korea");
	assert_int_equal(doc->mentions.n, 2);
	S_m(doc, 0, 0, 7, "iso3166:GE", false);
	S_m(doc, 1, 12, 17, "location:korea", false);
	warta_doc_free(doc);
}

/* An exact-case form beats a looser one listed before it, on its spelling
 * only ("KIM" of d-orgs.tsv against "~Kim" of c-people.tsv). */
static void test_exact_wins(void **state)
{
	warta_doc *doc = S_run(*state, "KIM, Kim, kim");
	assert_int_equal(doc->mentions.n, 3);
	S_m(doc, 0, 0, 3, "organization:koalisi-indonesia-maju", false);
	S_m(doc, 1, 5, 8, "person:kim-jong-un", true);
	S_m(doc, 2, 10, 13, "person:kim-jong-un", true);
	warta_doc_free(doc);
}

static void test_zones(void **state)
{
	warta_doc *doc = doc_new(*state, 0);
	const char *t = "Korea Utara\nBaca juga: Rusia\nKorea Selatan";
	assert_int_equal(doc_set_text(doc, t, strlen(t)), WARTA_OK);
	zone *z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_TITLE, 0, 12, NULL};
	z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_NOISE, 12, 29, NULL};
	z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_BODY, 29, 42, NULL};
	assert_int_equal(gazetteer_run(doc), WARTA_OK);
	assert_int_equal(doc->mentions.n, 2);
	S_m(doc, 0, 0, 11, "iso3166:KP", false);
	assert_int_equal(doc->mentions.v[0].zone, Z_TITLE);
	S_m(doc, 1, 29, 42, "iso3166:KR", false);
	assert_int_equal(doc->mentions.v[1].zone, Z_BODY);
	warta_doc_free(doc);
}

/* The id of the entry that names s[0, n) exactly, or "" for none. */
static const char *S_id(const gazetteer *g, const char *s, size_t n)
{
	const gz_entry *e = gazetteer_lookup(g, s, n);
	return e ? e->id : "";
}

static void test_lookup(void **state)
{
	const gazetteer *g = ((const warta_ruleset *)*state)->gz;
	const gz_entry *e = gazetteer_lookup(g, "korea utara", 11);
	assert_non_null(e);
	assert_string_equal(e->id, "iso3166:KP");
	assert_string_equal(e->name, "Korea Utara");
	assert_int_equal(e->type, T_COUNTRY);
	assert_string_equal(S_id(g, " Korea \n Utara ", 15), "iso3166:KP");
	e = gazetteer_lookup(g, "Korea Utara Raya", 16);
	assert_null(e);
	assert_string_equal(S_id(g, "Korea Utara", 5), "location:korea");
	assert_null(gazetteer_lookup(g, "as", 2));
	assert_string_equal(S_id(g, "AS", 2), "iso3166:US");
	assert_null(gazetteer_lookup(g, "malang", 6));
	assert_string_equal(S_id(g, "Malang", 6), "location:kota-malang");
	assert_string_equal(S_id(g, "PYŎNGYANG", strlen("PYŎNGYANG")), "location:pyongyang");
	/* Short forms are not looked up: "Kim" alone is no one's identity. */
	assert_null(gazetteer_lookup(g, "Kim", 3));
	assert_string_equal(S_id(g, "kim jong-un", 11), "person:kim-jong-un");
	assert_string_equal(S_id(g, "\xC2\xA0Z\xC3\xBCrich\xC2\xA0\n", 11), "location:zurich");
	/* the ends are trimmed from the back while they are ASCII, then
	 * decoded: every mix of the two kinds of white space */
	assert_string_equal(S_id(g, "kim jong-un \t\r\n ", 16), "person:kim-jong-un");
	assert_string_equal(S_id(g, "Z\xC3\xBCrich \xC2\xA0 \xE3\x80\x80\n", 15),
	                    "location:zurich");
	assert_null(gazetteer_lookup(g, "Z\xC3\xBCrich\xC3", 8)); /* a cut letter is no space */
	assert_null(gazetteer_lookup(g, " \xC2\xA0 \n", 5));
	assert_null(gazetteer_lookup(g, "", 0));
	assert_null(gazetteer_lookup(g, "  ", 2));
	assert_null(gazetteer_lookup(g, "Presiden", 8)); /* titles.tsv is no entity list */
	assert_null(gazetteer_lookup(NULL, "AS", 2));
}

static void test_clash_check(void **state)
{
	warta_diags *d = NULL;
	const warta_ruleset *rs = *state;
	d = diags_new(NULL);
	assert_int_equal(gazetteer_check(rs->gz, d), 1);
	assert_int_equal(warta_diags_count(d), 1);
	assert_string_equal(warta_diags_format(d, 0),
	                    "gazetteers/b-places.tsv:7: error: the form 'Georgia' of "
	                    "location:georgia (LOCATION) is also a form of iso3166:GE (COUNTRY) at "
	                    "gazetteers/a-countries.tsv:8; iso3166:GE wins: remove one of them or "
	                    "make them differ in case");
	warta_diags_free(d);
}

static void S_write(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Makes a data folder with the given lists; returns its path (static). */
static const char *S_folder(const char *a, const char *b)
{
	static char dir[64];
	char sub[128];
	snprintf(dir, sizeof dir, "/tmp/warta-gz-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/gazetteers", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof sub, "%s/rules", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof sub, "%s/gazetteers", dir);
	S_write(sub, "p1.tsv", a);
	if (b)
		S_write(sub, "p2.tsv", b);
	return dir;
}

static void S_rmfolder(const char *dir)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* First line of diagnostic i. */
static const char *S_diag(warta_diags *d, size_t i)
{
	static char buf[512];
	const char *s = warta_diags_format(d, i);
	assert_non_null(s);
	size_t n = strcspn(s, "\n");
	snprintf(buf, sizeof buf, "%.*s", (int)n, s);
	return buf;
}

static void test_load_diagnostics(void **state)
{
	(void)state;
	const char *dir = S_folder("# bad rows\n"
	                           "id\ttype\tname\taliases\tflags\n"
	                           "x:a\tPERSN\tAlpha\t\t\n"
	                           "x:b\tPERSON\t\t\t\n"
	                           "x:c\tPERSON\tGamma\tG||Gam\t\n"
	                           "x:d\tPERSON\tDelta\t~|D\tcs,xx\n"
	                           "x:a\tPERSON\tAlpha Dua\t\t\n"
	                           "x:e\tPERSON\t~Eps\t\t\n"
	                           "x:f\tPERSON\t=\tF|=~\t\n"
	                           "x:g\tPERSON\tGood\tGood One|=Goodie\tcs\n",
	                           "id\ttype\tname\n"
	                           "x:c\tAGENCY\tGamma Lagi\n");
	warta_ruleset *rs = NULL;
	warta_diags *d = NULL;
	assert_int_equal(warta_ruleset_load(dir, NULL, NULL, &rs, &d), WARTA_ERULE);
	assert_null(rs);
	const char *want[] = {
	    "gazetteers/p1.tsv:3:5: error: unknown type 'PERSN' (expected PERSON, COUNTRY, "
	    "AGENCY, ORGANIZATION or LOCATION)",
	    "gazetteers/p1.tsv:4:12: error: the name is empty",
	    "gazetteers/p1.tsv:5:20: error: alias 2 is empty (two '|' in a row?)",
	    "gazetteers/p1.tsv:6:25: error: unknown flag 'xx' (the only flag is cs)",
	    "gazetteers/p1.tsv:6:18: error: alias 1 ('~') is empty after its prefix",
	    "gazetteers/p1.tsv:7:1: error: duplicate id 'x:a' (first used at "
	    "gazetteers/p1.tsv:3)",
	    "gazetteers/p1.tsv:8:12: error: the name cannot be a short form ('~'): put the short "
	    "form in the aliases",
	    "gazetteers/p1.tsv:9:12: error: the name is empty after its prefix '='",
	    "gazetteers/p1.tsv:9:16: error: alias 2 ('=~') is empty after its prefix",
	    "gazetteers/p2.tsv:2:1: error: duplicate id 'x:c' (first used at "
	    "gazetteers/p1.tsv:5)",
	};
	size_t n = sizeof want / sizeof *want;
	for (size_t i = 0; i < warta_diags_count(d) && i < n; i++)
		assert_string_equal(S_diag(d, i), want[i]);
	assert_int_equal(warta_diags_count(d), n);
	/* The source line and a caret under the column. */
	assert_string_equal(warta_diags_format(d, 0),
	                    "gazetteers/p1.tsv:3:5: error: unknown type 'PERSN' (expected PERSON, "
	                    "COUNTRY, AGENCY, ORGANIZATION or LOCATION)\n"
	                    "x:a\tPERSN\tAlpha\t\t\n"
	                    "   \t^");
	warta_diags_free(d);
	S_rmfolder(dir);
}

/* Rows that are fine load; a list without a "type" column is a word list. */
static void test_load_ok(void **state)
{
	(void)state;
	const char *dir = S_folder("id\ttype\tname\taliases\tflags\n"
	                           "wikidata:Q1\tPERSON\t= Budi Santoso\t ~Budi | BS \t cs \n"
	                           "person:ani\tPERSON\tAni\n",
	                           "id\tname\n"
	                           "x:1\tNot An Entity\n");
	warta_ruleset *rs = tu_load(dir);
	const gz_entry *e = gazetteer_lookup(rs->gz, "Budi Santoso", 12);
	assert_non_null(e);
	assert_string_equal(e->name, "Budi Santoso");
	assert_true(e->external_id);
	assert_string_equal(e->file, "gazetteers/p1.tsv");
	assert_int_equal(e->line, 2);
	assert_null(gazetteer_lookup(rs->gz, "budi santoso", 12));
	assert_non_null(gazetteer_lookup(rs->gz, "BS", 2));
	assert_null(gazetteer_lookup(rs->gz, "Not An Entity", 13));
	e = gazetteer_lookup(rs->gz, "ANI", 3);
	assert_non_null(e);
	assert_false(e->external_id);
	warta_doc *doc = S_run(rs, "Budi dan budi");
	assert_int_equal(doc->mentions.n, 1);
	S_m(doc, 0, 0, 4, "wikidata:Q1", true);
	warta_doc_free(doc);
	warta_ruleset_free(rs);
	S_rmfolder(dir);
}

/* An exact form clashes with a looser one only when written the same. */
static void test_clash_exact(void **state)
{
	(void)state;
	const char *dir = S_folder("id\ttype\tname\taliases\n"
	                           "x:a\tCOUNTRY\tSerang\n"
	                           "x:b\tLOCATION\t=Serang\n"
	                           "x:c\tAGENCY\tSERANG\n"
	                           "x:d\tPERSON\tSerang Raya\t=SeRang\n",
	                           NULL);
	warta_ruleset *rs = tu_load(dir);
	warta_diags *d = diags_new(NULL);
	assert_int_equal(gazetteer_check(rs->gz, d), 1);
	assert_string_equal(S_diag(d, 0),
	                    "gazetteers/p1.tsv:3: error: the form 'Serang' of x:b (LOCATION) is "
	                    "also a form of x:a (COUNTRY) at gazetteers/p1.tsv:2; x:b wins: remove "
	                    "one of them or make them differ in case");
	warta_diags_free(d);
	/* Each spelling goes to its exact form, any other to the loose one. */
	warta_doc *doc = S_run(rs, "Serang SERANG SeRang serang");
	assert_int_equal(doc->mentions.n, 4);
	S_m(doc, 0, 0, 6, "x:b", false);
	S_m(doc, 1, 7, 13, "x:c", false);
	S_m(doc, 2, 14, 20, "x:d", false);
	S_m(doc, 3, 21, 27, "x:a", false);
	warta_doc_free(doc);
	warta_ruleset_free(rs);
	S_rmfolder(dir);
}

static void test_max_mentions(void **state)
{
	(void)state;
	warta_limits lim = {0};
	lim.max_mentions = 2;
	warta_ruleset *rs = NULL;
	assert_int_equal(warta_ruleset_load("tests/data/gz", &lim, NULL, &rs, NULL), WARTA_OK);
	warta_doc *doc = S_run(rs, "AS, RI, Rusia, Korut");
	assert_int_equal(doc->mentions.n, 2);
	S_m(doc, 0, 0, 2, "iso3166:US", false);
	S_m(doc, 1, 4, 6, "iso3166:ID", false);
	assert_int_equal(doc->warnings.n, 1);
	assert_string_equal(doc->warnings.v[0].code, "too-many-mentions");
	assert_int_equal(doc->warnings.v[0].count, 1);
	warta_doc_free(doc);
	warta_ruleset_free(rs);
}

/* Words shorter and longer than 8 and 16 bytes, the lengths the scan reads
 * words by, against lead words of such lengths; a word cut by the end of a
 * zone is read up to there. */
static void test_word_lengths(void **state)
{
	warta_doc *doc = S_run(*state, "Kantorberitapusatkorea Rusia, Perserikatan Bangsa-Bangsa "
	                               "Federasi Rusia Federasiku Rusia");
	assert_int_equal(doc->mentions.n, 4);
	S_m(doc, 0, 23, 28, "iso3166:RU", false);
	S_m(doc, 1, 30, 56, "organization:pbb", false);
	S_m(doc, 2, 57, 71, "iso3166:RU", false);
	S_m(doc, 3, 83, 88, "iso3166:RU", false);
	warta_doc_free(doc);
	(void)state;
	const char *dir = S_folder("id\ttype\tname\n"
	                           "x:long\tORGANIZATION\tPerhimpunanbangsabangsa Bersatu\n"
	                           "x:sixteen\tORGANIZATION\tSekretariatjendr\n"
	                           "x:g20\tORGANIZATION\tG20\n"
	                           "x:eight\tLOCATION\tSurabaya\n"
	                           "x:nine\tLOCATION\tPontianak\n",
	                           NULL);
	warta_ruleset *rs = tu_load(dir);
	doc = S_run(rs, "PERHIMPUNANBANGSABANGSA Bersatu, Sekretariatjendr dan Sekretariatjendral, "
	                "G20 Surabaya-Pontianak Surabayaa 1Pontianak Pontianak");
	assert_int_equal(doc->mentions.n, 6);
	S_m(doc, 0, 0, 31, "x:long", false);
	S_m(doc, 1, 33, 49, "x:sixteen", false);
	S_m(doc, 2, 74, 77, "x:g20", false);
	S_m(doc, 3, 78, 86, "x:eight", false);
	S_m(doc, 4, 87, 96, "x:nine", false);
	S_m(doc, 5, 118, 127, "x:nine", false);
	warta_doc_free(doc);
	doc = doc_new(rs, 0);
	const char *t = "Pontianakku Surabaya";
	assert_int_equal(doc_set_text(doc, t, strlen(t)), WARTA_OK);
	zone *z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_BODY, 0, 9, NULL};
	z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_BODY, 12, 19, NULL};
	assert_int_equal(gazetteer_run(doc), WARTA_OK);
	assert_int_equal(doc->mentions.n, 1);
	S_m(doc, 0, 0, 9, "x:nine", false);
	warta_doc_free(doc);
	/* a lookup reads its first word by the lead table too */
	const gazetteer *g = rs->gz;
	assert_string_equal(S_id(g, "perhimpunanbangsabangsa  bersatu", 32), "x:long");
	assert_string_equal(S_id(g, " SEKRETARIATJENDR", 17), "x:sixteen");
	assert_string_equal(S_id(g, "Sekretariatjendral", 18), "");
	assert_string_equal(S_id(g, "Sekretariatjend", 15), "");
	assert_string_equal(S_id(g, "g20", 3), "x:g20");
	assert_string_equal(S_id(g, "Pontianak\n", 10), "x:nine");
	assert_string_equal(S_id(g, "Pontianak2", 10), "");
	assert_string_equal(S_id(g, "Surabaya-Pontianak", 18), "");
	assert_string_equal(S_id(g, "Surabaya\xC3\xA9", 10), "");
	warta_ruleset_free(rs);
	S_rmfolder(dir);
}

/* The scan reads the text 64 bytes at a time: a form at each place around
 * the end of the first block, after a word of letters longer than a block,
 * and in a zone that starts and ends inside blocks. */
static void test_blocks(void **state)
{
	char t[256];
	for (size_t at = 50; at < 80; at++) {
		memset(t, ' ', at);
		for (size_t k = 0; k + 4 < at; k += 5)
			memcpy(t + k, "kata", 4); /* words the table does not hold */
		snprintf(t + at, sizeof t - at, "Federasi Rusia dan Korut");
		warta_doc *doc = S_run(*state, t);
		assert_int_equal(doc->mentions.n, 2);
		S_m(doc, 0, (uint32_t)at, (uint32_t)at + 14, "iso3166:RU", false);
		S_m(doc, 1, (uint32_t)at + 19, (uint32_t)at + 24, "iso3166:KP", false);
		warta_doc_free(doc);
	}
	memset(t, 'a', 130);
	snprintf(t + 130, sizeof t - 130, " Rusia Rusiaa%s", "");
	warta_doc *doc = S_run(*state, t);
	assert_int_equal(doc->mentions.n, 1);
	S_m(doc, 0, 131, 136, "iso3166:RU", false);
	warta_doc_free(doc);

	doc = doc_new(*state, 0);
	memset(t, ' ', 200);
	memcpy(t + 60, "Rusia", 5);
	memcpy(t + 100, "Korut", 5);
	memcpy(t + 140, "Korut", 5);
	t[200] = 0;
	assert_int_equal(doc_set_text(doc, t, 200), WARTA_OK);
	zone *z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_BODY, 61, 103, NULL}; /* "usia" and "Kor" */
	z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_BODY, 130, 200, NULL};
	assert_int_equal(gazetteer_run(doc), WARTA_OK);
	assert_int_equal(doc->mentions.n, 1);
	S_m(doc, 0, 140, 145, "iso3166:KP", false);
	warta_doc_free(doc);
}

/* A first word that is no form but starts one, followed by one space and a
 * word, by several spaces, by a line break or by a word no form goes on
 * with. */
static void test_lead_then_word(void **state)
{
	const char *t = "Kantor berita, Kantor Berita Pusat, kantor x Kantor  Berita Pusat Korea "
	                "(Kantor\nBerita Pusat Korea) Kantor Berita Pusat Korea";
	warta_doc *doc = S_run(*state, t);
	assert_int_equal(doc->mentions.n, 3);
	uint32_t a = (uint32_t)(strstr(t, "Kantor  ") - t);
	uint32_t b = (uint32_t)(strstr(t, "Kantor\n") - t);
	uint32_t c = (uint32_t)(strstr(t, ") Kantor") - t) + 2;
	S_m(doc, 0, a, a + 26, "agency:kcna", false);
	S_m(doc, 1, b, b + 25, "agency:kcna", false);
	S_m(doc, 2, c, c + 25, "agency:kcna", false);
	warta_doc_free(doc);
}

/* A form that starts with an ASCII byte that is no letter or digit makes
 * the scan look at every byte. */
static void test_punct_start(void **state)
{
	(void)state;
	const char *dir = S_folder("id\ttype\tname\n"
	                           "x:aisyiyah\tORGANIZATION\t'Aisyiyah\n"
	                           "x:korea\tLOCATION\tKorea\n",
	                           NULL);
	warta_ruleset *rs = tu_load(dir);
	warta_doc *doc = S_run(rs, "Kata 'Aisyiyah, Korea; x'Aisyiyah 'Aisyiyahnya (Korea)");
	assert_int_equal(doc->mentions.n, 4);
	S_m(doc, 0, 5, 14, "x:aisyiyah", false);
	S_m(doc, 1, 16, 21, "x:korea", false);
	S_m(doc, 2, 24, 33, "x:aisyiyah", false); /* after "x", as after a hyphen */
	S_m(doc, 3, 48, 53, "x:korea", false);
	warta_doc_free(doc);
	warta_ruleset_free(rs);
	S_rmfolder(dir);
}

/* A word list finds a row of several words whatever white space stands
 * between them and around them, as fold_utf8() reads it. */
static void test_wordlist_words(void **state)
{
	const wordlist *wl = ruleset_list(*state, "titles");
	assert_non_null(wl);
	const char *yes[] = {"Korea Utara",      "korea  utara",       "KOREA\tUtara",
	                     " Korea\r\nUtara ", "Korea\xc2\xa0Utara", "presiden"};
	const char *no[] = {"Korea-Utara", "KoreaUtara", "Korea Utara Selatan", "Korea\vUtara",
	                    "Korea"};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		assert_non_null(wordlist_find(wl, yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		assert_null(wordlist_find(wl, no[i], strlen(no[i])));
}

/* The whole pipeline carries the list mentions to entities. */
static void test_pipeline(void **state)
{
	warta_doc *doc = tu_extract(*state, "Korut dan Korea Selatan.", NULL);
	size_t lists = 0;
	for (size_t i = 0; i < doc->mentions.n; i++)
		lists += doc->mentions.v[i].entry != NULL;
	assert_int_equal(lists, 2);
	warta_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_leftmost_longest), cmocka_unit_test(test_overlap),
	    cmocka_unit_test(test_whole_words),      cmocka_unit_test(test_hyphen_space),
	    cmocka_unit_test(test_acronym_case),     cmocka_unit_test(test_exact_and_cs),
	    cmocka_unit_test(test_capital_word),     cmocka_unit_test(test_short_form),
	    cmocka_unit_test(test_spaces),           cmocka_unit_test(test_non_ascii),
	    cmocka_unit_test(test_first_row_wins),   cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_exact_wins),       cmocka_unit_test(test_zones),
	    cmocka_unit_test(test_lookup),           cmocka_unit_test(test_clash_check),
	    cmocka_unit_test(test_load_diagnostics), cmocka_unit_test(test_load_ok),
	    cmocka_unit_test(test_max_mentions),     cmocka_unit_test(test_clash_exact),
	    cmocka_unit_test(test_word_lengths),     cmocka_unit_test(test_blocks),
	    cmocka_unit_test(test_punct_start),      cmocka_unit_test(test_lead_then_word),
	    cmocka_unit_test(test_wordlist_words),   cmocka_unit_test(test_pipeline),
	};
	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
