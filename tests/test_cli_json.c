/* SPDX-License-Identifier: MIT */
/* The CLI's JSONL line reader (src/cli_json.c, not part of libwarta.a, so
 * it is compiled in here): decoded fields, lengths with NULs, errors with
 * their byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../src/cli_json.c"

static char S_buf[4096];
static char S_err[160];

/* Reads s (copied: decoding happens in place). */
static int S_read(const char *s, size_t n, json_article *a)
{
	assert_true(n < sizeof S_buf);
	memcpy(S_buf, s, n);
	S_err[0] = '\0';
	return json_article_read(S_buf, n, a, S_err, sizeof S_err);
}
#define READ(lit, a) S_read(lit, sizeof lit - 1, a)

static void S_eq(const json_str *f, const char *want, size_t n)
{
	assert_non_null(f->s);
	assert_int_equal(f->n, n);
	assert_memory_equal(f->s, want, n);
}

static void test_fields(void **state)
{
	(void)state;
	json_article a;
	assert_int_equal(READ("{\"id\":\"x1\",\"title\":\"Judul\",\"text\":\"Isi.\",\"url\":\"u\","
	                      "\"date\":\"2026-01-09\",\"other\":[1,{\"a\":null}],\"n\":-1.5e3}",
	                      &a),
	                 0);
	S_eq(&a.id, "x1", 2);
	assert_true(a.id.is_string);
	S_eq(&a.title, "Judul", 5);
	S_eq(&a.text, "Isi.", 4);
	S_eq(&a.url, "u", 1);
	S_eq(&a.date, "2026-01-09", 10);
	assert_false(a.published.present);
}

static void test_escapes(void **state)
{
	(void)state;
	json_article a;
	/* \u00e9 = é (2 bytes), \ud83d\ude00 = U+1F600 (4 bytes), \u0000 kept */
	assert_int_equal(
	    READ("{\"text\":\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00x\\u0000y\"}", &a), 0);
	S_eq(&a.text, "a\"b\\c/d\n\t\xc3\xa9\xf0\x9f\x98\x80x\0y", 18);
	/* a lone surrogate becomes U+FFFD */
	assert_int_equal(READ("{\"text\":\"<\\ud800>\"}", &a), 0);
	S_eq(&a.text, "<\xef\xbf\xbd>", 5);
	/* raw control bytes and NULs inside strings are taken as they are */
	assert_int_equal(S_read("{\"text\":\"a\tb\0c\"}", 16, &a), 0);
	S_eq(&a.text, "a\tb\0c", 5);
}

/* The string reader looks for '"' and '\\' 64 bytes at a time and moves
 * whole blocks once an escape has made the text shorter: an escape at
 * every place of a block and across its ends, one or two of them, must
 * decode as they would one byte at a time. */
static void test_escape_places(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} esc[] = {{"\\\"", "\""}, {"\\\\", "\\"},          {"\\n", "\n"},
	           {"\\/", "/"},   {"\\u00e9", "\xc3\xa9"}, {"\\ud83d\\ude00", "\xf0\x9f\x98\x80"}};
	static char line[1024], want[512];
	json_article a;
	for (size_t e = 0; e < sizeof esc / sizeof *esc; e++)
		for (size_t at = 0; at < 140; at++)
			for (size_t gap = 0; gap < 80; gap += 13) {
				size_t n = 0, w = 0, tail = (at * 7 + gap) % 70;
				memcpy(line, "{\"text\":\"", 9);
				n = 9;
				for (size_t i = 0; i < at; i++)
					line[n++] = want[w++] = (char)('a' + i % 26);
				for (int twice = 0; twice < 2; twice++) {
					size_t li = strlen(esc[e].in), lo = strlen(esc[e].out);
					memcpy(line + n, esc[e].in, li);
					memcpy(want + w, esc[e].out, lo);
					n += li;
					w += lo;
					for (size_t i = 0; i < (twice ? tail : gap); i++)
						line[n++] = want[w++] = (char)('A' + i % 26);
				}
				memcpy(line + n, "\"}", 2);
				n += 2;
				assert_int_equal(S_read(line, n, &a), 0);
				S_eq(&a.text, want, w);
			}
}

static void test_kinds(void **state)
{
	(void)state;
	json_article a;
	assert_int_equal(READ("{\"id\":42,\"text\":5}", &a), 0);
	S_eq(&a.id, "42", 2);
	assert_false(a.id.is_string);
	assert_true(a.text.present);
	assert_false(a.text.is_string);
	assert_int_equal(READ("{\"text\":null}", &a), 0);
	assert_true(a.text.present);
	assert_null(a.text.s);
	assert_int_equal(READ(" { } ", &a), 0);
	assert_false(a.text.present);
	/* the last of two equal keys wins */
	assert_int_equal(READ("{\"text\":\"a\",\"text\":\"bb\"}", &a), 0);
	S_eq(&a.text, "bb", 2);
}

static void test_errors(void **state)
{
	(void)state;
	json_article a;
	assert_int_equal(READ("not json", &a), -1);
	assert_string_equal(S_err, "a JSON object expected at byte 1");
	assert_int_equal(READ("[1]", &a), -1);
	assert_string_equal(S_err, "a JSON object expected at byte 1");
	assert_int_equal(READ("{\"text\":\"abc", &a), -1);
	assert_string_equal(S_err, "unterminated string at byte 13");
	assert_int_equal(READ("{\"text\" \"abc\"}", &a), -1);
	assert_string_equal(S_err, "':' expected at byte 9");
	assert_int_equal(READ("{\"a\":1} x", &a), -1);
	assert_string_equal(S_err, "text after the JSON object at byte 9");
	assert_int_equal(READ("{\"a\":tru}", &a), -1);
	assert_string_equal(S_err, "unexpected character at byte 6");
	assert_int_equal(READ("{\"a\":01}", &a), -1);
	assert_string_equal(S_err, "',' or '}' expected at byte 7");
	assert_int_equal(READ("{\"a\":\"\\x\"}", &a), -1);
	assert_string_equal(S_err, "bad escape in a string at byte 7");
	assert_int_equal(READ("{\"a\":\"\\u12G4\"}", &a), -1);
	assert_string_equal(S_err, "bad \\u escape at byte 7");
	assert_int_equal(READ("{\"a\":[1,]}", &a), -1);
	assert_string_equal(S_err, "unexpected character at byte 9");
	assert_int_equal(READ("{\"a\":1,}", &a), -1);
	assert_string_equal(S_err, "a member name expected at byte 8");
	assert_int_equal(READ("", &a), -1);
	assert_string_equal(S_err, "a JSON object expected at byte 1");
}

static void test_depth(void **state)
{
	(void)state;
	json_article a;
	char s[1200];
	size_t n = 0;
	s[n++] = '{';
	memcpy(s + n, "\"a\":", 4);
	n += 4;
	for (int i = 0; i < 600; i++)
		s[n++] = '[';
	assert_int_equal(S_read(s, n, &a), -1);
	assert_non_null(strstr(S_err, "nested too deep"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fields),        cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_escape_places), cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_errors),        cmocka_unit_test(test_depth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
