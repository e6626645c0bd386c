/* SPDX-License-Identifier: MIT */
/* The JSON line's pieces (src/emit_json.c, compiled in here for its static
 * functions): the escaping of strings, which copies blocks of 16 bytes and
 * reads past a span's end, against the one that goes a byte at a time; and
 * the digits of numbers, against printf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../src/emit_json.c"

/* Bytes that are escaped, and some that look near them and are not. */
static const unsigned char S_odd[] = {0x00, 0x01, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, '"',
                                      '\\', 0x20, '/',  0x7f, 0x80, 0xc3, 0xff, 'a'};

/* Escapes (p, n) both ways, with lim at the end of the string and past
 * it, and compares; also that the fast one writes nothing before o. */
static void S_same(const char *p, size_t n, const char *lim)
{
	static char want[6 * 300 + S_SLACK], got[6 * 300 + S_SLACK + 1];
	size_t wn = (size_t)(S_escape_bytes(want, p, n) - want);
	for (int strict = 0; strict < 2; strict++) {
		got[0] = 'X';
		char *e = S_escape(got + 1, p, n, strict ? p + n : lim);
		assert_int_equal(got[0], 'X');
		assert_int_equal((size_t)(e - got - 1), wn);
		assert_memory_equal(got + 1, want, wn);
	}
}

static void test_escape_places(void **state)
{
	(void)state;
	static char buf[300 + 64];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)('A' + i % 26);
	/* one odd byte at every place of strings of every length up to 150,
	 * which cross blocks of 16 and 64, read from two offsets */
	for (size_t k = 0; k < sizeof S_odd; k++)
		for (size_t n = 0; n <= 150; n++)
			for (size_t at = 0; at < n; at++)
				for (size_t off = 0; off < 2; off++) {
					char *p = buf + off;
					char keep = p[at];
					p[at] = (char)S_odd[k];
					S_same(p, n, buf + sizeof buf);
					p[at] = keep;
				}
	/* two odd bytes, and odd bytes just past the end (read, not written) */
	for (size_t n = 1; n <= 70; n++)
		for (size_t at = 0; at < n; at++)
			for (size_t d = 1; at + d < n + 20; d += 3) {
				char *p = buf + 3;
				char keep0 = p[at], keep1 = p[at + d];
				p[at] = '"';
				p[at + d] = '\n';
				S_same(p, n, buf + sizeof buf);
				p[at] = keep0;
				p[at + d] = keep1;
			}
	/* all odd, and all bytes */
	memset(buf, '\\', 100);
	S_same(buf, 100, buf + sizeof buf);
	for (size_t i = 0; i < 256; i++)
		buf[i] = (char)i;
	for (size_t n = 0; n <= 256; n += 7)
		S_same(buf + (256 - n), n, buf + sizeof buf);
}

static void S_digits(uint64_t v)
{
	char want[32], got[32];
	int wn = snprintf(want, sizeof want, "%llu", (unsigned long long)v);
	char *e = S_utoa(got, v);
	assert_int_equal(e - got, wn);
	assert_memory_equal(got, want, (size_t)wn);
}

static void test_utoa(void **state)
{
	(void)state;
	for (uint64_t v = 0; v < 200000; v++)
		S_digits(v);
	for (uint64_t p = 10; p; p = p * 10 > p && p * 10 / 10 == p ? p * 10 : 0) {
		S_digits(p - 1);
		S_digits(p);
		S_digits(p + 1);
	}
	for (int b = 0; b < 64; b++) {
		S_digits((uint64_t)1 << b);
		S_digits(((uint64_t)1 << b) - 1);
	}
	S_digits(UINT64_MAX);
	S_digits(UINT32_MAX);
}

/* A claim as the line writes it (S_claim_line(), one room check) against
 * what cJSON prints of the tree (field by field): with every field null
 * and set, strings that need escapes, numbers of each kind, ids past 9,
 * a rule file of plain JSON, one that needs escapes and none (the field
 * by field way), and a rule's reference in its place. */
static void test_claim_line(void **state)
{
	(void)state;
	const char *text = "Sekitar 2.000 prajurit \"elite\" tewas, kata Kementerian, "
	                   "dan Rp 1,5 triliun\tdialokasikan; sebagian besar, 25%, hilang.";
	warta_doc *doc = doc_new(NULL, 0);
	assert_non_null(doc);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	zone *z = VEC_PUSH(&doc->a, doc->zones);
	assert_non_null(z);
	*z = (zone){Z_BODY, 0, doc->len, NULL};
	rule plain = {.id = "unit-after-number", .file = "rules/claim.rules", .line = 30};
	rule odd = {.id = "odd", .file = "rules/\"odd\"\\.rules", .line = 7};
	rule nofile = {.id = "nofile", .file = NULL, .line = 3};
	static const struct {
		double value, low, high;
		qualifier q;
		bool approx;
		const char *currency;
	} nums[] = {
	    {2000, NAN, NAN, Q_APPROX, true, NULL},
	    {1.5e12, 1.5e12, 1.5e12, Q_NONE, false, "IDR"},
	    {-0.25, -1e300, 2500.5, Q_RANGE, false, "U\"S\\D"},
	    {0.1 + 0.2, 1.0 / 3, -0.0, Q_UPPER, true, NULL},
	};
	for (size_t i = 0; i < 4; i++) {
		number *nb = VEC_PUSH(&doc->a, doc->numbers);
		assert_non_null(nb);
		*nb = (number){.start = (uint32_t)(8 + i * 20),
		               .end = (uint32_t)(13 + i * 20),
		               .value = nums[i].value,
		               .low = nums[i].low,
		               .high = nums[i].high,
		               .qual = nums[i].q,
		               .approx = nums[i].approx,
		               .currency = nums[i].currency,
		               .zone = Z_BODY};
	}
	for (size_t i = 0; i < 14; i++) {
		claim *c = VEC_PUSH(&doc->a, doc->claims);
		assert_non_null(c);
		bool set = i % 2;
		*c = (claim){.start = (uint32_t)(i * 7),
		             .end = (uint32_t)(i * 7 + 9),
		             .number = (int)(i % 4),
		             .unit = set     ? "prajurit \"elite\""
		                     : i % 3 ? "orang"
		                             : NULL,
		             .category = set ? "casualties" : NULL,
		             .predicate = i % 3 ? "tewas\n" : NULL,
		             .subject = set ? (int)i * 3 : -1,
		             .source = i % 3 ? (int)i + 9 : -1,
		             .place = set ? -1 : 0,
		             .date = i % 4 ? (int)i : -1,
		             .hedge = i % 5 == 1 ? "diperkirakan" : NULL,
		             .partitive = i % 3 == 2,
		             .partitive_of = i % 3 ? (int)i - 1 : -1,
		             .rule = i % 4 == 0   ? &plain
		                     : i % 4 == 1 ? &odd
		                     : i == 6     ? &nofile
		                                  : NULL,
		             .rule_ref = i % 4 == 2 ? "gazetteers/units.tsv:12" : NULL,
		             .zone = i == 9 ? Z_TITLE : Z_BODY,
		             .sent = (uint32_t)(i * 11)};
	}
	size_t n = 0;
	char *line = emit_json_line(doc, &n);
	cJSON *tree = emit_record(doc);
	char *want = tree ? cJSON_PrintUnformatted(tree) : NULL;
	assert_non_null(line);
	assert_non_null(want);
	assert_int_equal(n, strlen(want));
	assert_string_equal(line, want);
	assert_non_null(strstr(line, "\"claims\":[{\"id\":\"c1\",\"start\":0,"));
	free(line);
	cJSON_free(want);
	cJSON_Delete(tree);
	warta_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape_places),
	    cmocka_unit_test(test_utoa),
	    cmocka_unit_test(test_claim_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
