/* SPDX-License-Identifier: MIT */
/* Reads the JSON object of one JSONL line (RFC 8259) and keeps the fields an
 * article has: id, title, text, url, date, published. Strings are decoded in
 * place (an escape is never shorter than what it stands for), with their
 * length, so "\u0000" and raw NUL bytes survive, and nothing is allocated.
 * Raw control characters inside strings are taken as they are (scrapers leave
 * tabs and CRs there; losing the article would be worse). Lone surrogates
 * become U+FFFD. Other members are checked and skipped.
 */
#include "cli.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct jr {
	char *p, *end;
	const char *base;
	char *err;
	size_t errcap;
	int depth;
} jr;

enum { K_STRING = 1, K_NUMBER, K_OTHER };

static int S_fail(jr *J, const char *what)
{
	snprintf(J->err, J->errcap, "%s at byte %zu", what, (size_t)(J->p - J->base) + 1);
	return -1;
}

static void S_ws(jr *J)
{
	while (J->p < J->end && (*J->p == ' ' || *J->p == '\t' || *J->p == '\n' || *J->p == '\r'))
		J->p++;
}

static int S_hex4(const char *s, const char *end, unsigned *cp)
{
	if (end - s < 4)
		return -1;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*cp = v;
	return 0;
}

static size_t S_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Returns the first '"' or '\\' in [s, end), or end. Eight bytes at a time:
 * the tail of a string, and all of it where there is no SSE2. */
static char *S_plain(char *s, const char *end)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	const uint64_t quote = ones * '"', backslash = ones * '\\';
	while (end - s >= 8) {
		uint64_t w, a, b;
		memcpy(&w, s, 8);
		a = w ^ quote;
		b = w ^ backslash;
		if (((a - ones) & ~a & highs) | ((b - ones) & ~b & highs))
			break;
		s += 8;
	}
	while (s < end && *s != '"' && *s != '\\')
		s++;
	return s;
}

#ifdef __SSE2__
/* The '"' and '\\' among the 16 bytes at p, as 0xFF bytes. */
static inline __m128i S_qb16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	return _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
	                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
}
#endif

/* Moves the plain bytes from *in up to the next '"' or '\\' (or end) down
 * to *out, both advanced past them. Article text is long and has few of
 * either: looked for 64 bytes at a time (one test for the block, the bits
 * only when it has one), and a block with none is moved as a whole
 * (nothing moves before the first escape). The input ahead of *in is
 * never written: decoding only shortens. Not with bytemask.h, whose
 * classes are the tokenizer's. */
static void S_run(char **in, char **out, const char *end)
{
	char *i = *in, *o = *out, *q;
#ifdef __SSE2__
	for (;;) {
		if (end - i < 64) {
			q = S_plain(i, end);
			break;
		}
		__m128i h0 = S_qb16(i), h1 = S_qb16(i + 16), h2 = S_qb16(i + 32),
		        h3 = S_qb16(i + 48);
		if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(h0, h1), _mm_or_si128(h2, h3)))) {
			uint64_t m = (uint64_t)(unsigned)_mm_movemask_epi8(h0) |
			             (uint64_t)(unsigned)_mm_movemask_epi8(h1) << 16 |
			             (uint64_t)(unsigned)_mm_movemask_epi8(h2) << 32 |
			             (uint64_t)(unsigned)_mm_movemask_epi8(h3) << 48;
			q = i + __builtin_ctzll(m);
			break;
		}
		if (o != i) { /* loads before stores: o < i, the two may overlap */
			__m128i v[4];
			for (int k = 0; k < 4; k++)
				v[k] = _mm_loadu_si128((const __m128i *)(const void *)(i + 16 * k));
			for (int k = 0; k < 4; k++)
				_mm_storeu_si128((__m128i *)(void *)(o + 16 * k), v[k]);
		}
		i += 64;
		o += 64;
	}
#else
	q = S_plain(i, end);
#endif
	if (o != i)
		memmove(o, i, (size_t)(q - i));
	*out = o + (q - i);
	*in = q;
}

/* Decodes the string at J->p (on its opening quote) in place. */
static int S_string(jr *J, const char **s, size_t *n)
{
	char *in = J->p + 1, *out = in, *start = in;
	for (;;) {
		S_run(&in, &out, J->end);
		if (in >= J->end) {
			J->p = in;
			return S_fail(J, "unterminated string");
		}
		if (*in == '"') {
			J->p = in + 1;
			*s = start;
			*n = (size_t)(out - start);
			return 0;
		}
		if (in + 1 >= J->end) {
			J->p = in;
			return S_fail(J, "unterminated string");
		}
		char c = in[1];
		in += 2;
		switch (c) {
		case '"':
		case '\\':
		case '/': *out++ = c; break;
		case 'b': *out++ = '\b'; break;
		case 'f': *out++ = '\f'; break;
		case 'n': *out++ = '\n'; break;
		case 'r': *out++ = '\r'; break;
		case 't': *out++ = '\t'; break;
		case 'u': {
			unsigned cp, lo;
			if (S_hex4(in, J->end, &cp)) {
				J->p = in - 2;
				return S_fail(J, "bad \\u escape");
			}
			in += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && J->end - in >= 6 && in[0] == '\\' &&
			    in[1] == 'u' && !S_hex4(in + 2, J->end, &lo) && lo >= 0xDC00 &&
			    lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				in += 6;
			} else if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD;
			out += S_utf8(out, cp);
			break;
		}
		default: J->p = in - 2; return S_fail(J, "bad escape in a string");
		}
	}
}

static int S_digits(jr *J)
{
	char *s = J->p;
	while (J->p < J->end && *J->p >= '0' && *J->p <= '9')
		J->p++;
	return J->p > s ? 0 : S_fail(J, "a digit expected");
}

static int S_number(jr *J)
{
	if (*J->p == '-')
		J->p++;
	if (J->p < J->end && *J->p == '0')
		J->p++;
	else if (S_digits(J))
		return -1;
	if (J->p < J->end && *J->p == '.') {
		J->p++;
		if (S_digits(J))
			return -1;
	}
	if (J->p < J->end && (*J->p == 'e' || *J->p == 'E')) {
		J->p++;
		if (J->p < J->end && (*J->p == '+' || *J->p == '-'))
			J->p++;
		if (S_digits(J))
			return -1;
	}
	return 0;
}

static int S_value(jr *J, const char **s, size_t *n, int *kind);

/* Reads the members of an object or the items of an array (J->p just past
 * the opening bracket). */
static int S_container(jr *J, char close)
{
	const char *s;
	size_t n;
	int kind;
	if (++J->depth > 512)
		return S_fail(J, "nested too deep");
	S_ws(J);
	if (J->p < J->end && *J->p == close) {
		J->p++;
		J->depth--;
		return 0;
	}
	for (;;) {
		S_ws(J);
		if (close == '}') {
			if (J->p >= J->end || *J->p != '"')
				return S_fail(J, "a member name expected");
			if (S_string(J, &s, &n))
				return -1;
			S_ws(J);
			if (J->p >= J->end || *J->p != ':')
				return S_fail(J, "':' expected");
			J->p++;
		}
		if (S_value(J, &s, &n, &kind))
			return -1;
		S_ws(J);
		if (J->p < J->end && *J->p == ',') {
			J->p++;
			continue;
		}
		if (J->p < J->end && *J->p == close) {
			J->p++;
			J->depth--;
			return 0;
		}
		return S_fail(J, close == '}' ? "',' or '}' expected" : "',' or ']' expected");
	}
}

static int S_literal(jr *J, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(J->end - J->p) < n || memcmp(J->p, word, n) != 0)
		return S_fail(J, "unexpected character");
	J->p += n;
	return 0;
}

static int S_value(jr *J, const char **s, size_t *n, int *kind)
{
	S_ws(J);
	*kind = K_OTHER;
	*s = J->p;
	*n = 0;
	if (J->p >= J->end)
		return S_fail(J, "unexpected end of line");
	switch (*J->p) {
	case '"': *kind = K_STRING; return S_string(J, s, n);
	case '{': J->p++; return S_container(J, '}');
	case '[': J->p++; return S_container(J, ']');
	case 't': return S_literal(J, "true");
	case 'f': return S_literal(J, "false");
	case 'n': return S_literal(J, "null");
	default:
		if (*J->p == '-' || (*J->p >= '0' && *J->p <= '9')) {
			*kind = K_NUMBER;
			if (S_number(J))
				return -1;
			*n = (size_t)(J->p - *s);
			return 0;
		}
		return S_fail(J, "unexpected character");
	}
}

static json_str *S_field(json_article *a, const char *k, size_t n)
{
#define F(name)                                                                                    \
	if (n == sizeof #name - 1 && memcmp(k, #name, n) == 0)                                     \
		return &a->name;
	F(id)
	F(title)
	F(text)
	F(url)
	F(date)
	F(published)
#undef F
	return NULL;
}

int json_article_read(char *s, size_t n, json_article *a, char *err, size_t errcap)
{
	jr J = {s, s + n, s, err, errcap, 0};
	memset(a, 0, sizeof *a);
	S_ws(&J);
	if (J.p >= J.end || *J.p != '{')
		return S_fail(&J, "a JSON object expected");
	J.p++;
	S_ws(&J);
	if (J.p < J.end && *J.p == '}')
		J.p++;
	else
		for (;;) {
			const char *k, *v;
			size_t kn, vn;
			int kind;
			S_ws(&J);
			if (J.p >= J.end || *J.p != '"')
				return S_fail(&J, "a member name expected");
			if (S_string(&J, &k, &kn))
				return -1;
			/* The key's bytes may be overwritten by nothing later: values
			 * decode at or after their own quote. */
			json_str *f = S_field(a, k, kn);
			S_ws(&J);
			if (J.p >= J.end || *J.p != ':')
				return S_fail(&J, "':' expected");
			J.p++;
			if (S_value(&J, &v, &vn, &kind))
				return -1;
			if (f) {
				f->present = 1;
				f->is_string = kind == K_STRING;
				f->s = kind == K_OTHER ? NULL : v;
				f->n = kind == K_OTHER ? 0 : vn;
			}
			S_ws(&J);
			if (J.p < J.end && *J.p == ',') {
				J.p++;
				continue;
			}
			if (J.p < J.end && *J.p == '}') {
				J.p++;
				break;
			}
			return S_fail(&J, "',' or '}' expected");
		}
	S_ws(&J);
	if (J.p < J.end)
		return S_fail(&J, "text after the JSON object");
	return 0;
}
