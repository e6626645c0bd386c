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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape_places),
	    cmocka_unit_test(test_utoa),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
