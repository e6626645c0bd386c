/* SPDX-License-Identifier: MIT */
/* Stage 2 (normalize): exact output text, byte -> original code point map and
 * warnings for a table of inputs, the ASCII fast path, and a property test
 * over random mixes of everything normalize changes. */
#include "testutil.h"

#define FFFD  "\xEF\xBF\xBD"
#define NOMAP 0xFFFFFFFFu

/* Normalizes (s, n) in a fresh document; caller frees. */
static warta_doc *S_norm(const char *s, size_t n)
{
	warta_doc *doc = doc_new(NULL, 0);
	assert_non_null(doc);
	doc->orig = arena_strndup(&doc->a, s, n);
	doc->orig_len = n;
	assert_non_null(doc->orig);
	assert_int_equal(normalize_run(doc), WARTA_OK);
	assert_non_null(doc->text);
	assert_int_equal(doc->text[doc->len], '\0');
	return doc;
}

static uint32_t S_warn(const warta_doc *doc, const char *code)
{
	for (size_t i = 0; i < doc->warnings.n; i++)
		if (strcmp(doc->warnings.v[i].code, code) == 0)
			return doc->warnings.v[i].count;
	return 0;
}

typedef struct ncase {
	const char *in;
	size_t in_len; /* 0: strlen */
	const char *out;
	uint32_t map[24]; /* len+1 entries */
	uint32_t invalid, nul;
} ncase;

static const ncase S_cases[] = {
    /* line ends and controls */
    {"abc\r\nd", 0, "abc\nd", {0, 1, 2, 3, 5, 6}, 0, 0},
    {"a\rb\r", 0, "a\nb\n", {0, 1, 2, 3, 4}, 0, 0},
    {"a\r\r\nb", 0, "a\n\nb", {0, 1, 2, 4, 5}, 0, 0},
    {"a\0b\0", 4, "a b ", {0, 1, 2, 3, 4}, 0, 2},
    {"a\x01\x1F"
     "b\tc\x0B",
     0,
     "a  b\tc ",
     {0, 1, 2, 3, 4, 5, 6, 7},
     0,
     0},
    /* NFC */
    {"e\xCC\x81x", 0, "\xC3\xA9x", {0, 0, 2, 3}, 0, 0},
    {"\xC3\xA9", 0, "\xC3\xA9", {0, 0, 1}, 0, 0},
    {"\xCC\x81"
     "a",
     0,
     "\xCC\x81"
     "a",
     {0, 0, 1, 2},
     0,
     0},
    {"a\xCC\x87\xCC\xA3!", 0, "\xE1\xBA\xA1\xCC\x87!", {0, 0, 0, 0, 0, 3, 4}, 0, 0},
    {"\xE1\x84\x80\xE1\x85\xA1", 0, "\xEA\xB0\x80", {0, 0, 0, 2}, 0, 0},
    {"\xEA\xB0\x80\xE1\x86\xA8", 0, "\xEA\xB0\x81", {0, 0, 0, 2}, 0, 0},
    {"\xE2\x84\xAB", 0, "\xC3\x85", {0, 0, 1}, 0, 0},
    {"e\xE2\x80\x8B\xCC\x81", 0, "\xC3\xA9", {0, 0, 3}, 0, 0},
    /* quotes, dashes, spaces */
    {"\xE2\x80\x9CHi\xE2\x80\x9D", 0, "\"Hi\"", {0, 1, 2, 3, 4}, 0, 0},
    {"\xE2\x80\x9E"
     "a\xC2\xAB\xC2\xBB\xE2\x80\xB3",
     0,
     "\"a\"\"\"",
     {0, 1, 2, 3, 4, 5},
     0,
     0},
    {"\xE2\x80\x98"
     "a\xE2\x80\x99\xE2\x80\x9A\xE2\x80\x9B\xE2\x80\xB2",
     0,
     "'a''''",
     {0, 1, 2, 3, 4, 5, 6},
     0,
     0},
    {"a\xE2\x80\x90\xE2\x80\x91\xE2\x80\x92\xE2\x80\x93\xE2\x80\x94\xE2\x80\x95\xE2\x88\x92"
     "b",
     0,
     "a-------b",
     {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
     0,
     0},
    {"a\xC2\xA0\xE2\x80\x80\xE2\x80\x8A\xE2\x80\xAF\xE2\x81\x9F\xE3\x80\x80"
     "b",
     0,
     "a      b",
     {0, 1, 2, 3, 4, 5, 6, 7, 8},
     0,
     0},
    /* zero-width characters go; the next character keeps its own offset */
    {"a\xE2\x80\x8B"
     "b",
     0,
     "ab",
     {0, 2, 3},
     0,
     0},
    {"ma\xC2\xAD"
     "kan",
     0,
     "makan",
     {0, 1, 3, 4, 5, 6},
     0,
     0},
    {"\xEF\xBB\xBF"
     "abc",
     0,
     "abc",
     {1, 2, 3, 4},
     0,
     0},
    {"x\xE2\x80\x8C\xE2\x80\x8D\xE2\x81\xA0", 0, "x", {0, 4}, 0, 0},
    /* invalid UTF-8: one U+FFFD per byte, one original code point per byte */
    {"a\x80"
     "b",
     0,
     "a" FFFD "b",
     {0, 1, 1, 1, 2, 3},
     1,
     0},
    {"ab\xE2\x82", 0, "ab" FFFD FFFD, {0, 1, 2, 2, 2, 3, 3, 3, 4}, 2, 0},
    {"\xC3", 0, FFFD, {0, 0, 0, 1}, 1, 0},
    {"\xC0\xAF", 0, FFFD FFFD, {0, 0, 0, 1, 1, 1, 2}, 2, 0},
    {"\xE0\x80\xAF"
     "x",
     0,
     FFFD FFFD FFFD "x",
     {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 4},
     3,
     0},
    {"\xED\xA0\x80", 0, FFFD FFFD FFFD, {0, 0, 0, 1, 1, 1, 2, 2, 2, 3}, 3, 0},
    {"\xFF"
     "a",
     0,
     FFFD "a",
     {0, 0, 0, 1, 2},
     1,
     0},
    {"\xF4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD, {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4}, 4, 0},
    {"\xC3\xA9\x80\xC3\xA9", 0, "\xC3\xA9" FFFD "\xC3\xA9", {0, 0, 1, 1, 1, 2, 2, 3}, 1, 0},
    /* valid non-ASCII text that needs no change keeps a one-to-one map */
    {"\xF0\x9F\x98\x80 \xEA\xB0\x80",
     0,
     "\xF0\x9F\x98\x80 \xEA\xB0\x80",
     {0, 0, 0, 0, 1, 2, 2, 2, 3},
     0,
     0},
};

static void test_table(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof S_cases / sizeof *S_cases; c++) {
		const ncase *t = &S_cases[c];
		size_t n = t->in_len ? t->in_len : strlen(t->in);
		warta_doc *doc = S_norm(t->in, n);
		if (strcmp(doc->text, t->out) != 0 || doc->len != strlen(t->out))
			fail_msg("case %zu: got \"%s\", want \"%s\"", c, doc->text, t->out);
		assert_non_null(doc->map);
		for (uint32_t i = 0; i <= doc->len; i++)
			if (doc->map[i] != t->map[i])
				fail_msg("case %zu: map[%u] = %u, want %u", c, i, doc->map[i],
				         t->map[i]);
		assert_int_equal(S_warn(doc, "invalid-utf8"), t->invalid);
		assert_int_equal(S_warn(doc, "nul-byte"), t->nul);
		warta_doc_free(doc);
	}
}

static void test_ascii_fast_path(void **state)
{
	(void)state;
	const char *in[] = {"", "Kim Jong-un tiba di Moskwa.\nIa disambut Putin.\t(9/1/2026)",
	                    "~!@#$%^&*()_+`{}|[]\\:\";'<>?,./ \x7F"};
	for (size_t c = 0; c < sizeof in / sizeof *in; c++) {
		warta_doc *doc = S_norm(in[c], strlen(in[c]));
		assert_ptr_equal(doc->text, doc->orig);
		assert_null(doc->map);
		assert_int_equal(doc->len, strlen(in[c]));
		assert_int_equal(doc->warnings.n, 0);
		assert_int_equal(doc_cp(doc, 3 < doc->len ? 3 : doc->len),
		                 3 < doc->len ? 3 : doc->len);
		warta_doc_free(doc);
	}
}

/* A long ASCII text with one change late in it goes the slow way and still
 * maps every byte right (checks the buffer growth too). */
static void test_long_mixed(void **state)
{
	(void)state;
	size_t n = 100000;
	char *s = malloc(n + 64);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('a' + i % 26);
	/* 40000 invalid bytes triple in size */
	memset(s + 50000, 0xFF, 40000);
	memcpy(s + n, "\xE2\x80\x9Cz", 4);
	warta_doc *doc = S_norm(s, n + 4);
	assert_int_equal(doc->len, n + 40000 * 2 + 2);
	assert_int_equal(S_warn(doc, "invalid-utf8"), 40000);
	assert_int_equal(doc->map[49999], 49999);
	assert_int_equal(doc->map[50000 + 3 * 39999], 89999);
	assert_int_equal(doc->map[50000 + 3 * 40000], 90000);
	assert_int_equal(doc->map[doc->len - 2], n);
	assert_int_equal(doc->map[doc->len], n + 2);
	free(s);
	warta_doc_free(doc);
}

/* Many combining marks stay linear and keep the map monotone. */
static void test_mark_flood(void **state)
{
	(void)state;
	size_t n = 1 + 2 * 5000;
	char *s = malloc(n + 1);
	assert_non_null(s);
	s[0] = 'e';
	for (size_t i = 0; i < 5000; i++)
		memcpy(s + 1 + 2 * i, "\xCC\x81", 2);
	warta_doc *doc = S_norm(s, n);
	assert_int_equal(doc->map[doc->len], 5001);
	for (uint32_t i = 1; i <= doc->len; i++)
		assert_true(doc->map[i] >= doc->map[i - 1]);
	assert_memory_equal(doc->text, "\xC3\xA9\xCC\x81", 4);
	free(s);
	warta_doc_free(doc);
}

/* ---------------------------------------------------------------- property */

typedef struct piece {
	const char *orig;
	size_t olen; /* 0: strlen */
	const char *out;
	uint32_t ncp; /* original code points */
	unsigned flags;
} piece;

enum { P_CR = 1, P_TRUNC = 2, P_CONT = 4, P_LF = 8 };

static const piece S_pieces[] = {
    {"a", 0, "a", 1, 0},
    {"Kim ", 0, "Kim ", 4, 0},
    {"1.000", 0, "1.000", 5, 0},
    {"\n", 0, "\n", 1, P_LF},
    {"\r\n", 0, "\n", 2, 0},
    {"\r", 0, "\n", 1, P_CR},
    {"\t", 0, "\t", 1, 0},
    {"\0", 1, " ", 1, 0},
    {"\x01", 0, " ", 1, 0},
    {"\x7F", 0, "\x7F", 1, 0},
    {"\xC3\xA9", 0, "\xC3\xA9", 1, 0},
    {"e\xCC\x81", 0, "\xC3\xA9", 2, 0},
    {"\xE2\x84\xAB", 0, "\xC3\x85", 1, 0},
    {"\xE2\x80\x9C", 0, "\"", 1, 0},
    {"\xE2\x80\x9D", 0, "\"", 1, 0},
    {"\xC2\xAB", 0, "\"", 1, 0},
    {"\xE2\x80\x98", 0, "'", 1, 0},
    {"\xE2\x80\x99", 0, "'", 1, 0},
    {"\xE2\x80\x94", 0, "-", 1, 0},
    {"\xE2\x80\x93", 0, "-", 1, 0},
    {"\xE2\x88\x92", 0, "-", 1, 0},
    {"\xC2\xA0", 0, " ", 1, 0},
    {"\xE2\x80\x89", 0, " ", 1, 0},
    {"\xE3\x80\x80", 0, " ", 1, 0},
    {"\xE2\x80\x8B", 0, "", 1, 0},
    {"\xEF\xBB\xBF", 0, "", 1, 0},
    {"\xC2\xAD", 0, "", 1, 0},
    {"\xE2\x80\x8D", 0, "", 1, 0},
    {"\x80", 0, FFFD, 1, P_CONT},
    {"\xFF", 0, FFFD, 1, 0},
    {"\xC0\xAF", 0, FFFD FFFD, 2, 0},
    {"\xED\xA0\x80", 0, FFFD FFFD FFFD, 3, 0},
    {"\xE2\x82", 0, FFFD FFFD, 2, P_TRUNC},
    {"\xC3", 0, FFFD, 1, P_TRUNC},
    {"\xEA\xB0\x80", 0, "\xEA\xB0\x80", 1, 0},
    {"\xF0\x9F\x98\x80", 0, "\xF0\x9F\x98\x80", 1, 0},
    {"\xE2\x80\xA6", 0, "\xE2\x80\xA6", 1, 0},
};
#define NPIECES (sizeof S_pieces / sizeof *S_pieces)

static uint32_t S_rand(uint64_t *st)
{
	*st = *st * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*st >> 33);
}

/* Returns the byte offset of code point `upto` of (s, n), decoding with an
 * independent strict decoder: a byte starts a code point when it is ASCII or
 * begins a well-formed sequence; any other byte is one code point of its own.
 * With upto = SIZE_MAX, returns the number of code points instead. */
static size_t S_cp_walk(const unsigned char *s, size_t n, size_t upto)
{
	size_t i = 0, k = 0;
	while (i < n && k < upto) {
		unsigned c = s[i];
		size_t len = c < 0x80                 ? 1
		             : c >= 0xC2 && c <= 0xDF ? 2
		             : c >= 0xE0 && c <= 0xEF ? 3
		             : c >= 0xF0 && c <= 0xF4 ? 4
		                                      : 0;
		bool ok = len > 0 && i + len <= n;
		for (size_t j = 1; ok && j < len; j++)
			ok = (s[i + j] & 0xC0) == 0x80;
		if (ok && len == 3) {
			unsigned v = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6);
			ok = v >= 0x800 && (v < 0xD800 || v > 0xDFFF);
		} else if (ok && len == 4) {
			unsigned v = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12);
			ok = v >= 0x10000 && v <= 0x10FFFF;
		}
		i += ok ? len : 1;
		k++;
	}
	return upto == SIZE_MAX ? k : i;
}

static void test_property(void **state)
{
	(void)state;
	uint64_t st = 20260109;
	for (int iter = 0; iter < 2000; iter++) {
		size_t np = 1 + S_rand(&st) % 40;
		size_t pick[40], obyte[41], tbyte[41];
		uint32_t ocp[41];
		char orig[40 * 8], want[40 * 12];
		size_t ol = 0, tl = 0;
		uint32_t cp = 0;
		for (size_t k = 0; k < np; k++) {
			const piece *pc;
			do {
				pc = &S_pieces[S_rand(&st) % NPIECES];
			} while (
			    k > 0 &&
			    (((S_pieces[pick[k - 1]].flags & P_CR) && (pc->flags & P_LF)) ||
			     ((S_pieces[pick[k - 1]].flags & P_CR) && pc->orig[0] == '\r' &&
			      pc->orig[1] == '\n') ||
			     ((S_pieces[pick[k - 1]].flags & P_TRUNC) && (pc->flags & P_CONT))));
			pick[k] = (size_t)(pc - S_pieces);
			size_t l = pc->olen ? pc->olen : strlen(pc->orig);
			obyte[k] = ol;
			tbyte[k] = tl;
			ocp[k] = cp;
			memcpy(orig + ol, pc->orig, l);
			ol += l;
			memcpy(want + tl, pc->out, strlen(pc->out));
			tl += strlen(pc->out);
			cp += pc->ncp;
		}
		obyte[np] = ol;
		tbyte[np] = tl;
		ocp[np] = cp;
		want[tl] = '\0';
		/* The piece table agrees with an independent count of the original. */
		assert_int_equal(S_cp_walk((const unsigned char *)orig, ol, SIZE_MAX), cp);
		warta_doc *doc = S_norm(orig, ol);
		const unsigned char *O = (const unsigned char *)doc->orig;
		assert_int_equal(doc->len, tl);
		assert_memory_equal(doc->text, want, tl);
		for (size_t k = 0; k <= np; k++) {
			/* A removed piece shares its text offset with the next one,
			 * which maps to its own original offset. */
			if (k < np && tbyte[k] == tbyte[k + 1])
				continue;
			if (doc_cp(doc, (uint32_t)tbyte[k]) != ocp[k])
				fail_msg("iter %d piece %zu: byte %zu maps to %u, want %u", iter, k,
				         tbyte[k], doc_cp(doc, (uint32_t)tbyte[k]), ocp[k]);
			/* and a reader finds the original bytes of that code point */
			assert_int_equal(S_cp_walk(O, ol, ocp[k]), obyte[k]);
			/* a span of whole pieces is the original's characters */
			if (k < np) {
				size_t e = k + 1;
				while (e < np && tbyte[e] == tbyte[e + 1])
					e++;
				uint32_t cs = doc_cp(doc, (uint32_t)tbyte[k]);
				uint32_t ce = doc_cp(doc, (uint32_t)tbyte[e]);
				size_t bs = S_cp_walk(O, ol, cs);
				size_t be = S_cp_walk(O, ol, ce);
				assert_int_equal(be - bs, obyte[e] - obyte[k]);
				assert_memory_equal(doc->orig + bs, orig + obyte[k], be - bs);
			}
		}
		/* Every byte maps inside the piece it came from; the map never goes back. */
		for (uint32_t b = 1; b <= doc->len; b++)
			assert_true(doc_cp(doc, b) >= doc_cp(doc, b - 1));
		warta_doc_free(doc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),      cmocka_unit_test(test_ascii_fast_path),
	    cmocka_unit_test(test_long_mixed), cmocka_unit_test(test_mark_flood),
	    cmocka_unit_test(test_property),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
