/* SPDX-License-Identifier: MIT */
/* Pathological inputs through the whole pipeline on the real data folder:
 * huge runs of one character, 100,000 capitalised words or digits, deep
 * nesting, every byte value, overlong UTF-8 and surrogates, a rule that
 * backtracks catastrophically (fixture tests/data/patho), the mention limit.
 * Each test asserts on the work done (a limit hit and reported as a warning,
 * the record's content), never on time; a quadratic stage shows up as a test
 * that does not finish. */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <math.h>

static warta_doc *S_extract(const warta_ruleset *rs, const char *s, size_t n, int want_rc)
{
	warta_input in = {0};
	in.id = "p";
	in.id_len = 1;
	in.text = s;
	in.text_len = n;
	in.date = "2026-01-10";
	in.date_len = 10;
	warta_doc *doc = NULL;
	assert_int_equal(warta_extract(rs, &in, 0, &doc), want_rc);
	assert_non_null(doc);
	return doc;
}

/* The record as a cJSON tree: one warta/1 object (caller deletes it). */
static cJSON *S_record(const warta_doc *doc)
{
	char *json = warta_doc_json(doc);
	assert_non_null(json);
	cJSON *o = cJSON_Parse(json);
	free(json);
	assert_true(cJSON_IsObject(o));
	cJSON *schema = cJSON_GetObjectItemCaseSensitive(o, "schema");
	assert_true(cJSON_IsString(schema));
	assert_string_equal(schema->valuestring, WARTA_SCHEMA);
	return o;
}

static size_t S_array_size(const cJSON *o, const char *k)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, k);
	assert_true(cJSON_IsArray(a));
	return (size_t)cJSON_GetArraySize(a);
}

/* Returns the count of warning `code` (0 when absent); with `detail`, only a
 * warning whose detail contains it counts. */
static uint32_t S_warning(const warta_doc *doc, const char *code, const char *detail)
{
	for (size_t i = 0; i < doc->warnings.n; i++) {
		const warning *w = &doc->warnings.v[i];
		if (strcmp(w->code, code) == 0 &&
		    (!detail || (w->detail && strstr(w->detail, detail))))
			return w->count;
	}
	return 0;
}

/* Strict UTF-8 (no overlong forms, surrogates, code points past U+10FFFF)
 * and no NUL: what normalize promises every later stage. */
static bool S_valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
		if (!len || c >= 0xF5 || i + len > n)
			return false;
		unsigned cp = c & (0x3F >> (len - 1));
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3F);
		}
		static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
		if (cp < min[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		i += len;
	}
	return true;
}

/* The mention limit, when reached, must be reported. */
static void S_limit_reported(const warta_doc *doc)
{
	assert_true(doc->mentions.n <= doc->rs->limits.max_mentions);
	if (doc->mentions.n == doc->rs->limits.max_mentions)
		assert_true(S_warning(doc, "too-many-mentions", NULL) > 0);
}

static void test_ten_mb_of_one_character(void **state)
{
	(void)state;
	size_t n = (size_t)10 << 20;
	char *s = malloc(n);
	assert_non_null(s);
	memset(s, 'a', n);
	warta_doc *doc = S_extract(tu_rs, s, n, WARTA_OK);
	assert_int_equal(doc->len, n);
	assert_int_equal(doc->entities.n, 0);
	assert_int_equal(doc->numbers.n, 0);
	assert_int_equal(doc->dates.n, 0);
	assert_int_equal(doc->claims.n, 0);
	cJSON *o = S_record(doc);
	assert_int_equal(S_array_size(o, "entities"), 0);
	assert_int_equal(S_array_size(o, "claims"), 0);
	cJSON_Delete(o);
	warta_doc_free(doc);
	free(s);
}

/* A megabyte of each character a stage treats specially. */
static void test_one_mb_runs(void **state)
{
	(void)state;
	static const char chars[] = " \n.,(-\"'A1";
	size_t n = (size_t)1 << 20;
	char *s = malloc(n);
	assert_non_null(s);
	for (const char *c = chars; *c; c++) {
		memset(s, *c, n);
		warta_doc *doc = S_extract(tu_rs, s, n, WARTA_OK);
		/* A megabyte of 'A' is one word of capitals: the acronym rule
		 * may take it; whatever the rules do, the record must come. */
		if (*c != 'A')
			assert_int_equal(doc->entities.n, 0);
		assert_true(doc->entities.n <= 1);
		assert_int_equal(doc->claims.n, 0);
		for (size_t i = 0; i < doc->numbers.n; i++)
			assert_false(isnan(doc->numbers.v[i].value));
		cJSON_Delete(S_record(doc));
		warta_doc_free(doc);
	}
	free(s);
}

static void test_capitalised_words(void **state)
{
	(void)state;
	size_t words = 100000;
	/* "Budi" again and again, then words that differ ("Kaab Kbab ...") */
	for (int variant = 0; variant < 2; variant++) {
		char *s = malloc(words * 6 + 1);
		assert_non_null(s);
		size_t n = 0;
		for (size_t i = 0; i < words; i++) {
			if (variant == 0)
				memcpy(s + n, "Budi ", 5), n += 5;
			else {
				s[n++] = 'K';
				s[n++] = (char)('a' + i % 26);
				s[n++] = (char)('a' + i / 26 % 26);
				s[n++] = (char)('a' + i / 676 % 26);
				s[n++] = ' ';
			}
		}
		warta_doc *doc = S_extract(tu_rs, s, n, WARTA_OK);
		S_limit_reported(doc);
		assert_int_equal(doc->claims.n, 0);
		assert_int_equal(doc->numbers.n, 0);
		cJSON *o = S_record(doc);
		assert_int_equal(S_array_size(o, "entities"), doc->entities.n);
		cJSON_Delete(o);
		warta_doc_free(doc);
		free(s);
	}
}

static void test_hundred_thousand_digits(void **state)
{
	(void)state;
	size_t n = 100000;
	char *s = malloc(n + 32);
	assert_non_null(s);
	memset(s, '7', n);
	memcpy(s + n, " prajurit tewas.", 16);
	warta_doc *doc = S_extract(tu_rs, s, n + 16, WARTA_OK);
	assert_int_equal(doc->entities.n, 0);
	assert_true(doc->numbers.n <= 1);
	for (size_t i = 0; i < doc->numbers.n; i++)
		assert_false(isnan(doc->numbers.v[i].value));
	cJSON_Delete(S_record(doc));
	warta_doc_free(doc);
	free(s);
}

/* Many claims in one sentence: every claim used to reread the whole sentence
 * (hedge words) and every date of the article, so 40,000 took minutes. */
static void test_claims_in_one_sentence(void **state)
{
	(void)state;
	static const char unit[] = "sebanyak 15 ribu prajurit dan ";
	size_t k = 20000, n = 0;
	char *s = malloc(k * (sizeof unit - 1) + 16);
	assert_non_null(s);
	memcpy(s, "Judul\n\n", 7), n = 7;
	for (size_t i = 0; i < k; i++)
		memcpy(s + n, unit, sizeof unit - 1), n += sizeof unit - 1;
	s[n++] = '.';
	warta_doc *doc = S_extract(tu_rs, s, n, WARTA_OK);
	assert_int_equal(doc->claims.n, k);
	for (size_t i = 0; i < doc->claims.n; i++)
		assert_string_equal(doc->claims.v[i].unit, "prajurit");
	cJSON_Delete(S_record(doc));
	warta_doc_free(doc);
	/* and with a source cue and a place beside each claim: every claim
	 * used to walk every cue of the article */
	static const char cued[] = "sebanyak 15 ribu prajurit tewas di Jepang, kata Menteri Luar "
	                           "Negeri Sugiono, dan ";
	k = 5000;
	free(s);
	s = malloc(k * (sizeof cued - 1) + 16);
	assert_non_null(s);
	memcpy(s, "Judul\n\n", 7), n = 7;
	for (size_t i = 0; i < k; i++)
		memcpy(s + n, cued, sizeof cued - 1), n += sizeof cued - 1;
	s[n++] = '.';
	doc = S_extract(tu_rs, s, n, WARTA_OK);
	assert_int_equal(doc->claims.n, k);
	for (size_t i = 0; i < doc->claims.n; i++)
		assert_string_equal(doc->claims.v[i].unit, "prajurit");
	cJSON *o = S_record(doc);
	assert_int_equal(S_array_size(o, "claims"), k);
	cJSON_Delete(o);
	warta_doc_free(doc);
	free(s);
}

static void test_deep_nesting(void **state)
{
	(void)state;
	static const char *const open[] = {"(", "[", "{", "\"", "\xE2\x80\x9C", "\xC2\xAB", "'"};
	static const char *const close[] = {")", "]", "}", "\"", "\xE2\x80\x9D", "\xC2\xBB", "'"};
	size_t depth = 50000;
	for (size_t k = 0; k < sizeof open / sizeof *open; k++) {
		size_t ol = strlen(open[k]), cl = strlen(close[k]);
		const char mid[] = "kata Presiden Joko Widodo";
		char *s = malloc(depth * (ol + cl) + sizeof mid);
		assert_non_null(s);
		size_t n = 0;
		for (size_t i = 0; i < depth; i++)
			memcpy(s + n, open[k], ol), n += ol;
		memcpy(s + n, mid, sizeof mid - 1), n += sizeof mid - 1;
		for (size_t i = 0; i < depth; i++)
			memcpy(s + n, close[k], cl), n += cl;
		warta_doc *doc = S_extract(tu_rs, s, n, WARTA_OK);
		assert_true(doc->sents.n >= 1);
		S_limit_reported(doc);
		cJSON_Delete(S_record(doc));
		warta_doc_free(doc);
		free(s);
	}
	/* and all of them interleaved */
	size_t n = 0;
	char *s = malloc(depth * 16 + 16);
	assert_non_null(s);
	for (size_t i = 0; i < depth; i++) {
		const char *o = open[i % 7];
		memcpy(s + n, o, strlen(o)), n += strlen(o);
	}
	memcpy(s + n, "x", 1), n++;
	warta_doc *doc = S_extract(tu_rs, s, n, WARTA_OK);
	cJSON_Delete(S_record(doc));
	warta_doc_free(doc);
	free(s);
}

static void test_every_byte_value(void **state)
{
	(void)state;
	char s[256 * 2];
	for (int i = 0; i < 256; i++)
		s[i] = (char)i, s[256 + i] = (char)(255 - i);
	warta_doc *doc = S_extract(tu_rs, s, sizeof s, WARTA_OK);
	assert_true(S_valid_utf8(doc->text, doc->len));
	/* each byte of 0x80-0xFF stands alone: every one is invalid */
	assert_int_equal(S_warning(doc, "invalid-utf8", NULL), 256);
	assert_int_equal(S_warning(doc, "nul-byte", NULL), 2);
	cJSON *o = S_record(doc);
	/* zones count code points of the original: one per byte here */
	const cJSON *z = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "zones"), 0);
	assert_non_null(z);
	int last = 0;
	const cJSON *zone;
	cJSON_ArrayForEach(zone, cJSON_GetObjectItemCaseSensitive(o, "zones"))
	{
		int end = cJSON_GetObjectItemCaseSensitive(zone, "end")->valueint;
		last = end > last ? end : last;
	}
	assert_true(last <= 512);
	cJSON_Delete(o);
	warta_doc_free(doc);
}

/* Every byte that JSON escapes, at every place in a word of 8 (the writer
 * skips plain text a word at a time), comes back from a JSON parser; the
 * bytes next to them (space, DEL, UTF-8) come back unescaped. */
static void test_escapes_at_every_offset(void **state)
{
	(void)state;
	const char esc[] = {'"', '\\', '\n', '\t', '\x01', '\x1f'};
	for (size_t e = 0; e < sizeof esc; e++)
		for (size_t k = 0; k < 20; k++) {
			char id[32];
			memset(id, 'a', sizeof id);
			memcpy(id + 24, " \x7f\xc3\xa9 ", 5);
			id[k] = esc[e];
			id[sizeof id - 1] = '\0';
			warta_input in = {0};
			in.id = id;
			in.id_len = strlen(id);
			in.text = "Harga naik.";
			in.text_len = strlen(in.text);
			warta_doc *doc = NULL;
			assert_int_equal(warta_extract(tu_rs, &in, 0, &doc), WARTA_OK);
			char *json = warta_doc_json(doc);
			assert_non_null(json);
			assert_non_null(strstr(json, " \x7f\xc3\xa9 "));
			cJSON *o = cJSON_Parse(json);
			free(json);
			assert_non_null(o);
			const cJSON *got = cJSON_GetObjectItemCaseSensitive(o, "id");
			assert_true(cJSON_IsString(got));
			assert_string_equal(got->valuestring, id);
			cJSON_Delete(o);
			warta_doc_free(doc);
		}
}

static void test_overlong_utf8_and_surrogates(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		uint32_t bad; /* invalid bytes, each replaced */
	} cases[] = {
	    {"a\xC0\xAF"
	     "b",
	     2}, /* overlong '/' */
	    {"a\xE0\x80\xAF"
	     "b",
	     3}, /* overlong '/', three bytes */
	    {"a\xF0\x80\x80\xAF"
	     "b",
	     4}, /* overlong '/', four bytes */
	    {"a\xC1\xBF"
	     "b",
	     2}, /* overlong DEL */
	    {"a\xED\xA0\x80"
	     "b",
	     3}, /* U+D800, a high surrogate */
	    {"a\xED\xBF\xBF"
	     "b",
	     3}, /* U+DFFF, a low surrogate */
	    {"a\xED\xA0\xBD\xED\xB8\x80"
	     "b",
	     6}, /* a CESU-8 surrogate pair */
	    {"a\xF4\x90\x80\x80"
	     "b",
	     4}, /* U+110000 */
	    {"a\xF8\x88\x80\x80\x80"
	     "b",
	     5}, /* a five-byte form */
	    {"a\xE2\x82"
	     "b",
	     2},              /* truncated */
	    {"a\xE2\x82", 2}, /* truncated at the end */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		warta_doc *doc = S_extract(tu_rs, cases[i].s, strlen(cases[i].s), WARTA_OK);
		assert_true(S_valid_utf8(doc->text, doc->len));
		uint32_t got = S_warning(doc, "invalid-utf8", NULL);
		if (got != cases[i].bad)
			fail_msg("case %zu: %u invalid bytes reported, %u expected", i, got,
			         cases[i].bad);
		cJSON_Delete(S_record(doc));
		warta_doc_free(doc);
	}
}

/* The fixture's slow-name rule backtracks exponentially on a run of letters
 * before a '!' that cannot follow; PCRE2's match limit stops it, the rule is
 * named in a rule-limit warning, and the other rule still finds its person. */
static void test_catastrophic_rule(void **state)
{
	(void)state;
	char dir[512];
	snprintf(dir, sizeof dir, "%s/tests/data/patho", tu_datadir());
	warta_ruleset *rs = tu_load(dir);
	char s[512];
	int n = snprintf(s, sizeof s, "Presiden Joko Widodo tiba. %s 1!",
	                 "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij");
	warta_doc *doc = S_extract(rs, s, (size_t)n, WARTA_OK);
	assert_true(S_warning(doc, "rule-limit", "rules/person.rules:") > 0);
	assert_true(S_warning(doc, "rule-limit", "slow-name") > 0);
	assert_int_equal(S_warning(doc, "rule-limit", "president"), 0);
	size_t found = 0;
	for (size_t i = 0; i < doc->entities.n; i++)
		found += strcmp(doc->entities.v[i].name, "Joko Widodo") == 0;
	assert_int_equal(found, 1);
	cJSON *o = S_record(doc);
	const cJSON *w;
	bool listed = false;
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(o, "warnings"))
	{
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(w, "code");
		listed |= cJSON_IsString(code) && strcmp(code->valuestring, "rule-limit") == 0;
	}
	assert_true(listed);
	cJSON_Delete(o);
	warta_doc_free(doc);
	warta_ruleset_free(rs);
}

static void test_max_mentions(void **state)
{
	(void)state;
	warta_limits lim = {0};
	lim.max_mentions = 5;
	warta_ruleset *rs = NULL;
	assert_int_equal(warta_ruleset_load(tu_datadir(), &lim, NULL, &rs, NULL), WARTA_OK);
	char s[4096];
	size_t n = 0;
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(s + n, sizeof s - n, "Jepang dan Korea Utara. ");
	warta_doc *doc = S_extract(rs, s, n, WARTA_OK);
	assert_int_equal(doc->mentions.n, 5);
	assert_true(S_warning(doc, "too-many-mentions", NULL) > 0);
	cJSON *o = S_record(doc);
	assert_true(S_array_size(o, "entities") >= 1);
	cJSON_Delete(o);
	warta_doc_free(doc);
	warta_ruleset_free(rs);
}

static void test_too_big(void **state)
{
	(void)state;
	warta_limits lim = {0};
	lim.max_article_bytes = 1000;
	warta_ruleset *rs = NULL;
	assert_int_equal(warta_ruleset_load(tu_datadir(), &lim, NULL, &rs, NULL), WARTA_OK);
	char s[1001];
	memset(s, 'x', sizeof s);
	warta_doc *doc = S_extract(rs, s, sizeof s, WARTA_ETOOBIG);
	cJSON *o = S_record(doc);
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(o, "error");
	assert_true(cJSON_IsObject(err));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(err, "code")->valuestring, "too-big");
	cJSON_Delete(o);
	warta_doc_free(doc);
	doc = S_extract(rs, s, 1000, WARTA_OK); /* the limit itself is allowed */
	warta_doc_free(doc);
	warta_ruleset_free(rs);
}

static void test_empty_and_blank(void **state)
{
	(void)state;
	static const char *const texts[] = {"", " ", "\n\n\n", "\r\n", "\t", "\xEF\xBB\xBF"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		warta_doc *doc = S_extract(tu_rs, texts[i], strlen(texts[i]), WARTA_OK);
		assert_int_equal(doc->entities.n, 0);
		cJSON_Delete(S_record(doc));
		warta_doc_free(doc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ten_mb_of_one_character),
	    cmocka_unit_test(test_one_mb_runs),
	    cmocka_unit_test(test_capitalised_words),
	    cmocka_unit_test(test_hundred_thousand_digits),
	    cmocka_unit_test(test_claims_in_one_sentence),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_every_byte_value),
	    cmocka_unit_test(test_escapes_at_every_offset),
	    cmocka_unit_test(test_overlong_utf8_and_surrogates),
	    cmocka_unit_test(test_catastrophic_rule),
	    cmocka_unit_test(test_max_mentions),
	    cmocka_unit_test(test_too_big),
	    cmocka_unit_test(test_empty_and_blank),
	};
	return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
