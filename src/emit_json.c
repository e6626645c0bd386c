/* SPDX-License-Identifier: MIT */
/* Stage 11: the warta/1 record. One description of the record's fields
 * drives two sinks: a cJSON tree (emit_record(), which the renderers and
 * tests read) and the JSON line itself (emit_json_line(), which the batch
 * writes: no tree, no per-field malloc, integers printed without sprintf).
 * The line is byte for byte what cJSON_PrintUnformatted() makes of the tree,
 * except that a NUL byte inside a span is written as \u0000 (cJSON's C
 * strings cut the text there). Offsets become code points of the original
 * text here, and only here (doc_cp). Ids: entities e1.., dates d1.., claims
 * c1.., in document order.
 */
#include "internal.h"

#include <cjson/cJSON.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum { S_MAX_DEPTH = 8, S_KEY_MAX = 16, S_SEEN = 32, S_JSON = 48, S_SLACK = 64 };

/* A string the record repeats, by address: its length, whether it needs
 * no escape, and when it needs none and fits, its JSON form (quotes
 * included), which is copied S_JSON bytes at once. */
typedef struct seen {
	const char *p;
	size_t n;
	bool plain;
	uint8_t jn; /* bytes of json, or 0 */
	char json[S_JSON];
} seen;

/* The sink: a tree (tree == true) or a text buffer. Any failure sets oom and
 * the whole record is given up at the end. */
typedef struct emit {
	const warta_doc *doc;
	bool oom;
	uint32_t *wide; /* see S_cp_wide(); NULL until a span needs it */
	size_t nwide;
	uint32_t ncp; /* code points of the original */
	bool tree;
	cJSON *stack[S_MAX_DEPTH]; /* tree: the open containers */
	int depth;
	char *s; /* text: the line so far */
	size_t n, cap;
	bool first; /* text: nothing written yet in the open container */
	/* last, as emit_json_line() zeroes what comes before them */
	seen names[S_SEEN]; /* text: see S_seen(): zone and type names */
	seen files[S_SEEN]; /* and rule files, apart: a mention needs one of each */
} emit;

static void S_grow(emit *E, size_t more)
{
	if (E->oom)
		return;
	size_t nc = E->cap ? E->cap : 1024;
	while (nc < E->n + more + 1)
		nc *= 2;
	char *ns = realloc(E->s, nc);
	if (!ns) {
		E->oom = true;
		return;
	}
	E->s = ns;
	E->cap = nc;
}

/* The check inline, the growth (rare) out of line. */
static inline void S_reserve(emit *E, size_t more)
{
	if (E->n + more + 1 > E->cap)
		S_grow(E, more);
}

/* Text: where n more bytes go at the end of the line, or NULL once memory
 * has run out. A field makes room for its worst case once, then writes
 * through the pointer with no check per piece, and ends with S_done().
 * Pieces are written in blocks of a size the compiler knows (keys,
 * literals, the JSON of a name, 16 bytes of a text): each may write up to
 * S_SLACK bytes past what it counts, over what comes next or past the end
 * of the line. */
static inline char *S_room(emit *E, size_t n)
{
	S_reserve(E, n + S_SLACK);
	return E->oom ? NULL : E->s + E->n;
}

static inline void S_done(emit *E, const char *o)
{
	E->n = (size_t)(o - E->s);
}

/* Bytes a JSON string cannot hold as they are: controls, '"' and '\\'. */
static const uint8_t S_esc[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, ['\\'] = 1,
};

/* True when one of the 8 bytes of w needs an escape (below 0x20, '"' or
 * '\\'): a word at a time, as texts are long and escapes rare. The tests
 * for a byte below n and a zero byte are exact as to whether there is one. */
static bool S_escw(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
	return (((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high;
}

static bool S_esc8(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return S_escw(w);
}

/* Writes the escape of byte c (one that S_esc marks) at o as cJSON does;
 * returns the end. */
static char *S_esc1(char *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	*o++ = '\\';
	switch (c) {
	case '"': *o++ = '"'; break;
	case '\\': *o++ = '\\'; break;
	case '\b': *o++ = 'b'; break;
	case '\f': *o++ = 'f'; break;
	case '\n': *o++ = 'n'; break;
	case '\r': *o++ = 'r'; break;
	case '\t': *o++ = 't'; break;
	default:
		*o++ = 'u';
		*o++ = '0';
		*o++ = '0';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	return o;
}

/* Writes (p, n) at o as the inside of a JSON string, escaped as cJSON
 * escapes (other bytes, UTF-8 included, as they are), a byte at a time;
 * returns the end. The short tails of S_escape(), and what it is tested
 * against. */
static char *S_escape_bytes(char *o, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (S_esc[c])
			o = S_esc1(o, c);
		else
			*o++ = (char)c;
	}
	return o;
}

#ifdef __SSE2__
/* The bytes of v that S_esc marks, as bits (bit k for byte k): below 0x20
 * (what saturating 0x1F off leaves zero), '"' and '\\'. */
static inline unsigned S_esc16(__m128i v)
{
	__m128i c = _mm_cmpeq_epi8(_mm_subs_epu8(v, _mm_set1_epi8(0x1F)), _mm_setzero_si128());
	__m128i q = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
	__m128i b = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(c, _mm_or_si128(q, b)));
}
#endif

/* Writes (p, n) at o as S_escape_bytes() does; returns the end. Bytes up
 * to lim (>= p + n) may be read: a span's text lies inside its article,
 * so most are read as one block of 16 whatever their length, and the
 * bytes past n left out of the test. Blocks are copied whole before they
 * are tested: what lies past an escape or the end is written over or left
 * past the end of the line. The room is the caller's: 6 bytes per byte
 * at worst, and 16 more (S_room() adds S_SLACK). Not with bytemask.h,
 * whose classes are the tokenizer's. */
static char *S_escape(char *o, const char *p, size_t n, const char *lim)
{
#ifdef __SSE2__
	const char *e = p + n;
	while (p < e) {
		size_t r = (size_t)(e - p);
		if (lim - p < 16) {
			/* short strings, as C strings have no readable bytes past
			 * them: two blocks of 8 or 4 that overlap, which write
			 * the bytes they share twice, the same */
			if (r >= 8) {
				uint64_t lo, hi;
				memcpy(&lo, p, 8);
				memcpy(&hi, e - 8, 8);
				if (S_esc16(_mm_set_epi64x((long long)hi, (long long)lo)))
					return S_escape_bytes(o, p, r);
				memcpy(o, &lo, 8);
				memcpy(o + r - 8, &hi, 8);
				return o + r;
			}
			if (r >= 4) {
				uint32_t lo, hi;
				memcpy(&lo, p, 4);
				memcpy(&hi, e - 4, 4);
				if (S_escw(lo | (uint64_t)hi << 32))
					return S_escape_bytes(o, p, r);
				memcpy(o, &lo, 4);
				memcpy(o + r - 4, &hi, 4);
				return o + r;
			}
			return S_escape_bytes(o, p, r);
		}
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		_mm_storeu_si128((__m128i *)(void *)o, v);
		unsigned m = S_esc16(v);
		if (r < 16)
			m &= (1u << r) - 1;
		if (!m) {
			size_t k = r < 16 ? r : 16;
			p += k;
			o += k;
			continue;
		}
		unsigned k = (unsigned)__builtin_ctz(m);
		o = S_esc1(o + k, (unsigned char)p[k]);
		p += k + 1;
	}
	return o;
#else
	(void)lim;
	/* Most strings have no escape and are short (a zone, a type, a name):
	 * checked and copied in words, the last word overlapping the one
	 * before (its bytes are written twice, the same), not byte by byte. */
	size_t i = 0;
	if (n >= 8) {
		for (; i + 8 <= n && !S_esc8(p + i); i += 8, o += 8)
			memcpy(o, p + i, 8);
		if (i == n)
			return o;
		if (i + 8 > n && !S_esc8(p + n - 8)) {
			memcpy(o + (n - i) - 8, p + n - 8, 8);
			return o + (n - i);
		}
	}
	while (i < n) {
		for (; i + 8 <= n && !S_esc8(p + i); i += 8, o += 8)
			memcpy(o, p + i, 8);
		while (i < n && !S_esc[(unsigned char)p[i]])
			*o++ = p[i++];
		if (i == n)
			break;
		o = S_esc1(o, (unsigned char)p[i++]);
	}
	return o;
#endif
}

/* Writes the decimal digits of v at o (room: 20); returns the end. The
 * length comes from the bit length (log10 2 ~ 1233 / 4096, off by at
 * most one below, which one compare with a power of ten mends), then
 * the digits are made two per division, not one: offsets are written
 * twice per span. */
static inline char *S_utoa(char *o, uint64_t v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
	                            "25262728293031323334353637383940414243444546474849"
	                            "50515253545556575859606162636465666768697071727374"
	                            "75767778798081828384858687888990919293949596979899";
	static const uint64_t pow10[20] = {1ull,
	                                   10ull,
	                                   100ull,
	                                   1000ull,
	                                   10000ull,
	                                   100000ull,
	                                   1000000ull,
	                                   10000000ull,
	                                   100000000ull,
	                                   1000000000ull,
	                                   10000000000ull,
	                                   100000000000ull,
	                                   1000000000000ull,
	                                   10000000000000ull,
	                                   100000000000000ull,
	                                   1000000000000000ull,
	                                   10000000000000000ull,
	                                   100000000000000000ull,
	                                   1000000000000000000ull,
	                                   10000000000000000000ull};
	if (v < 10) {
		*o = (char)('0' + v);
		return o + 1;
	}
	/* most offsets have 2 to 4 digits: no length to find, one division */
	if (v < 100) {
		memcpy(o, pairs + 2 * v, 2);
		return o + 2;
	}
	if (v < 10000) {
		uint32_t q = (uint32_t)v / 100, r = (uint32_t)v - q * 100;
		if (q >= 10) {
			memcpy(o, pairs + 2 * q, 2);
			memcpy(o + 2, pairs + 2 * r, 2);
			return o + 4;
		}
		*o = (char)('0' + q);
		memcpy(o + 1, pairs + 2 * r, 2);
		return o + 3;
	}
	unsigned t = (unsigned)(64 - __builtin_clzll(v)) * 1233 >> 12;
	size_t nd = t + (v >= pow10[t]);
	char *e = o + nd;
	while (v >= 100) {
		uint64_t q = v / 100;
		e -= 2;
		memcpy(e, pairs + 2 * (v - q * 100), 2);
		v = q;
	}
	if (v >= 10)
		memcpy(e - 2, pairs + 2 * v, 2);
	else
		e[-1] = (char)('0' + v);
	return o + nd;
}

/* Writes d at o as %1.15g would when it is the double nearest to a decimal
 * of at most 6 places and 15 digits, 1e-4 <= |d| < 1e15 (most quantities:
 * 2.5, 1.25, 0.3): then the 15 digits that %1.15g rounds d to are that
 * decimal's (DBL_DIG is 15), which also reads back as d. Returns the end,
 * or NULL for another number. The first number of places that fits has no
 * trailing zero: one with fewer would have fitted before it. */
static char *S_decimal(char *o, double d)
{
	double a = fabs(d);
	if (!(a >= 1e-4 && a < 1e15))
		return NULL;
	uint64_t p = 1;
	for (int k = 0; k <= 6; k++, p *= 10) {
		double t = a * (double)p;
		if (t >= 1e15)
			return NULL;
		uint64_t m = (uint64_t)(t + 0.5);
		double back = (double)m / (double)p; /* both exact: one rounding */
		if (back != a)
			continue;
		if (d < 0)
			*o++ = '-';
		o = S_utoa(o, m / p);
		if (k) {
			*o++ = '.';
			uint64_t f = m % p;
			for (int j = k; j-- > 0; f /= 10)
				o[j] = (char)('0' + f % 10);
			o += k;
		}
		return o;
	}
	return NULL;
}

/* Writes a number at o (room: 32) as cJSON 1.7.15 prints it; returns the
 * end. That is the shorter of %1.15g and %1.17g that reads back the same;
 * an int of int range (the digits %1.15g would give) and a short decimal
 * without printf: snprintf and strtod for the few numbers that are not
 * ints were a tenth of this stage. */
static char *S_number(char *o, double d)
{
	if (isnan(d) || isinf(d)) {
		memcpy(o, "null", 4);
		return o + 4;
	}
	int vi = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
	if (d == (double)vi && !(d == 0 && signbit(d))) { /* %1.15g prints -0.0 as "-0" */
		if (vi >= 0)
			return S_utoa(o, (unsigned)vi);
		*o++ = '-';
		return S_utoa(o, 0u - (unsigned)vi);
	}
	char *e = S_decimal(o, d);
	if (e)
		return e;
	char buf[32];
	int len = snprintf(buf, sizeof buf, "%1.15g", d);
	double back = strtod(buf, NULL);
	double big = fabs(back) > fabs(d) ? fabs(back) : fabs(d);
	if (!(fabs(back - d) <= big * DBL_EPSILON))
		len = snprintf(buf, sizeof buf, "%1.17g", d);
	memcpy(o, buf, (size_t)len);
	return o + len;
}

/* A literal key and its length, counted by the compiler: a record has some
 * hundred keys per entity, and strlen on each was a tenth of this stage.
 * The NULs after it make S_KEY_MAX bytes readable from any key. */
#define K(lit) lit "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", sizeof(lit) - 1

/* Text: writes the literal (l, n) (n <= S_KEY_MAX, from K()) at o; returns
 * the end. The parts of a mention that do not change, keys and
 * punctuation together. */
static inline char *S_lit(char *o, const char *l, size_t n)
{
	memcpy(o, l, S_KEY_MAX);
	return o + n;
}

/* Text: writes the comma and key (k, kl) before a member or element at o
 * (room: kl + 4, and the S_SLACK bytes that S_room() adds); returns the
 * end. Keys are the record's own names, which need no escapes. A key is
 * copied S_KEY_MAX bytes at once, a size the compiler knows (two moves,
 * not a call to memcpy); the bytes past it are written over or left past
 * the end of the line. */
static inline char *S_key(emit *E, char *o, const char *k, size_t kl)
{
	*o = ',';
	o += !E->first;
	E->first = false;
	if (k) {
		*o++ = '"';
		memcpy(o, k, S_KEY_MAX);
		if (kl > S_KEY_MAX)
			memcpy(o + S_KEY_MAX, k + S_KEY_MAX, kl - S_KEY_MAX);
		o += kl;
		*o++ = '"';
		*o++ = ':';
	}
	return o;
}

/* Tree: adds item under key k (NULL in an array) of the open container;
 * on failure deletes it and returns false. */
static bool S_add(emit *E, const char *k, cJSON *item)
{
	cJSON *parent = E->depth ? E->stack[E->depth - 1] : NULL;
	if (!item || !parent ||
	    !(k ? cJSON_AddItemToObject(parent, k, item) : cJSON_AddItemToArray(parent, item))) {
		cJSON_Delete(item);
		E->oom = true;
		return false;
	}
	return true;
}

/* Tree: opens an object ('{') or array ('[') under key k. */
static void S_open_tree(emit *E, const char *k, char kind)
{
	cJSON *c = kind == '{' ? cJSON_CreateObject() : cJSON_CreateArray();
	if (E->depth >= S_MAX_DEPTH) {
		cJSON_Delete(c);
		E->oom = true;
		return;
	}
	if (E->depth ? !S_add(E, k, c) : !c) {
		E->oom = true;
		c = NULL;
	}
	E->stack[E->depth++] = c;
}

/* Opens an object ('{') or array ('[') under key k (NULL: an array element
 * or the record itself). Inline, as the brackets are a good part of what
 * a mention writes. */
static inline void S_open(emit *E, const char *k, size_t kl, char kind)
{
	if (E->tree) {
		S_open_tree(E, k, kind);
		return;
	}
	char *o = S_room(E, kl + 5);
	if (o) {
		if (E->depth)
			o = S_key(E, o, k, kl);
		*o++ = kind;
		S_done(E, o);
	}
	E->first = true;
	E->depth++;
}

/* Closes the open container: kind is '}' or ']'. */
static inline void S_close(emit *E, char kind)
{
	E->depth--;
	if (!E->tree) {
		char *o = S_room(E, 1);
		if (o) {
			*o = kind;
			S_done(E, o + 1);
		}
		E->first = false;
	}
}

/* A string (v, n), of which the bytes up to lim may be read (see
 * S_escape()). */
static void S_strn_in(emit *E, const char *k, size_t kl, const char *v, size_t n, const char *lim)
{
	if (!E->tree) {
		char *o = S_room(E, kl + 6 + n * 6);
		if (!o)
			return;
		o = S_key(E, o, k, kl);
		*o++ = '"';
		o = S_escape(o, v, n, lim);
		*o++ = '"';
		S_done(E, o);
		return;
	}
	char stack[256];
	char *buf = n < sizeof stack ? stack : cJSON_malloc(n + 1);
	if (!buf) {
		E->oom = true;
		return;
	}
	memcpy(buf, v, n);
	buf[n] = '\0';
	S_add(E, k, cJSON_CreateString(buf));
	if (buf != stack)
		cJSON_free(buf);
}

static void S_strn(emit *E, const char *k, size_t kl, const char *v, size_t n)
{
	S_strn_in(E, k, kl, v, n, v + n);
}

/* A string, or null when v is NULL. */
static void S_str(emit *E, const char *k, size_t kl, const char *v)
{
	if (!E->tree) {
		if (v) {
			S_strn(E, k, kl, v, strlen(v));
			return;
		}
		char *o = S_room(E, kl + 8);
		if (!o)
			return;
		o = S_key(E, o, k, kl);
		memcpy(o, "null", 4);
		S_done(E, o + 4);
		return;
	}
	S_add(E, k, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

/* Text: what S_strc() knows of the string v, from the cache c (E->names
 * or E->files). Zone and type names and rule files are a few strings
 * written hundreds of times a record: their length, escapes and JSON are
 * made once (per slot that they hash to), not at each use. Nothing a
 * record points at moves or changes while it is written. */
static inline const seen *S_seen(seen *c, const char *v)
{
	c += (((uintptr_t)v * 0x9E3779B97F4A7C15ull) >> 32) % S_SEEN;
	if (c->p != v) {
		c->p = v;
		c->n = strlen(v);
		size_t i = 0;
		while (i + 8 <= c->n && !S_esc8(v + i))
			i += 8;
		while (i < c->n && !S_esc[(unsigned char)v[i]])
			i++;
		c->plain = i == c->n;
		c->jn = 0;
		if (c->plain && c->n + 2 <= S_JSON) {
			c->json[0] = '"';
			memcpy(c->json + 1, v, c->n);
			c->json[c->n + 1] = '"';
			c->jn = (uint8_t)(c->n + 2);
		}
	}
	return c;
}

/* A string the record repeats (see S_seen()), or null when v is NULL. */
static inline void S_strc(emit *E, const char *k, size_t kl, const char *v)
{
	if (E->tree || !v) {
		S_str(E, k, kl, v);
		return;
	}
	const seen *c = S_seen(E->names, v);
	if (!c->jn) {
		S_strn(E, k, kl, v, c->n);
		return;
	}
	char *o = S_room(E, kl + 4 + S_JSON);
	if (!o)
		return;
	o = S_key(E, o, k, kl);
	memcpy(o, c->json, S_JSON);
	S_done(E, o + c->jn);
}

/* A number, or null when v is NaN. */
static void S_num(emit *E, const char *k, size_t kl, double v)
{
	if (!E->tree) {
		char *o = S_room(E, kl + 4 + 32);
		if (!o)
			return;
		o = S_key(E, o, k, kl);
		S_done(E, S_number(o, v));
		return;
	}
	S_add(E, k, isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v));
}

static void S_bool(emit *E, const char *k, size_t kl, bool v)
{
	if (!E->tree) {
		char *o = S_room(E, kl + 4 + 5);
		if (!o)
			return;
		o = S_key(E, o, k, kl);
		memcpy(o, v ? "true" : "false", 5); /* "true" with its NUL */
		S_done(E, o + (v ? 4 : 5));
		return;
	}
	S_add(E, k, cJSON_CreateBool(v));
}

/* An offset or index: no trip through double and its checks, the common
 * case of every span (the digits are those S_number gives). */
static void S_uint(emit *E, const char *k, size_t kl, uint32_t v)
{
	if (E->tree) {
		S_num(E, k, kl, v);
		return;
	}
	char *o = S_room(E, kl + 4 + 20);
	if (!o)
		return;
	o = S_key(E, o, k, kl);
	S_done(E, S_utoa(o, v));
}

static void S_ref(emit *E, const char *k, size_t kl, char prefix, int idx)
{
	if (idx < 0) {
		S_str(E, k, kl, NULL);
		return;
	}
	if (E->tree) {
		char id[24];
		id[0] = prefix;
		S_strn(E, k, kl, id, (size_t)(S_utoa(id + 1, (uint64_t)idx + 1) - id));
		return;
	}
	char *o = S_room(E, kl + 4 + 23);
	if (!o)
		return;
	o = S_key(E, o, k, kl);
	*o++ = '"';
	*o++ = prefix;
	o = S_utoa(o, (uint64_t)idx + 1);
	*o++ = '"';
	S_done(E, o);
}

/* "rules/person.rules:30" or "gazetteers/people.tsv:12". */
static void S_rule(emit *E, const rule *r, const gz_entry *g)
{
	char ref[512];
	const char *file = r ? r->file : g ? g->file : NULL;
	int line = r ? r->line : g ? g->line : 0;
	if (!file) {
		S_str(E, K("rule"), NULL);
		return;
	}
	const seen *c = E->tree ? NULL : S_seen(E->files, file);
	size_t fl = c ? c->n : strlen(file);
	if (fl + 16 < sizeof ref && line >= 0) {
		/* what snprintf("%s:%d") makes, without its format parsing, and
		 * in the line straight from the file name, without a copy */
		if (!E->tree) {
			char *o = S_room(E, 8 + S_JSON + fl * 6 + 1 + 20);
			if (!o)
				return;
			o = S_key(E, o, K("rule"));
			if (c->jn) { /* its JSON, but for the closing quote */
				memcpy(o, c->json, S_JSON);
				o += c->jn - 1;
			} else {
				*o++ = '"';
				o = S_escape(o, file, fl, file + fl);
			}
			*o++ = ':';
			o = S_utoa(o, (unsigned)line);
			*o++ = '"';
			S_done(E, o);
			return;
		}
		memcpy(ref, file, fl);
		ref[fl] = ':';
		S_strn(E, K("rule"), ref, (size_t)(S_utoa(ref + fl + 1, (unsigned)line) - ref));
		return;
	}
	snprintf(ref, sizeof ref, "%s:%d", file, line);
	S_str(E, K("rule"), ref);
}

/* Lists the characters of the original longer than a byte, decoding as
 * normalize does (a valid sequence is one code point, each invalid byte is
 * one): for each, its code point index and the bytes past the first in it
 * and in those before it, so that code point c starts at byte c plus those
 * of the ones before it (S_cp_byte()). News is nearly all ASCII: it is
 * skipped a word at a time, and the list is short; a table with a byte
 * offset per code point, built a byte at a time, was a seventh of this
 * stage on the corpus. */
static bool S_cp_wide(emit *E)
{
	const warta_doc *doc = E->doc;
	const unsigned char *p = (const unsigned char *)doc->orig;
	size_t n = doc->orig_len, extra = 0, nw = 0;
	E->wide = malloc((n / 2 + 1) * 2 * sizeof(uint32_t));
	if (!E->wide)
		return false;
	for (size_t i = 0; i < n;) {
		uint64_t w;
		if (n - i >= 8 && (memcpy(&w, p + i, 8), !(w & 0x8080808080808080ull))) {
			i += 8;
			continue;
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
		if (len > 1) {
			E->wide[2 * nw] = (uint32_t)(i - extra);
			extra += (size_t)len - 1;
			E->wide[2 * nw + 1] = (uint32_t)extra;
			nw++;
		}
		i += len > 0 ? (size_t)len : 1;
	}
	E->nwide = nw;
	E->ncp = (uint32_t)(n - extra);
	return true;
}

/* Returns the byte of the original where code point c (<= ncp) starts. */
static uint32_t S_cp_byte(const emit *E, uint32_t c)
{
	size_t lo = 0, hi = E->nwide; /* finds how many wide ones come before c */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (E->wide[2 * mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return c + (lo ? E->wide[2 * lo - 1] : 0);
}

/* A byte span as the record gives it: start and end as code points of the
 * original, and the original's characters between them, so that
 * text[start:end] holds. */
typedef struct cspan {
	uint32_t cs, ce;
	const char *t;
	size_t n;
} cspan;

/* Fills *sp for the span [s, e); false once memory has run out. */
static inline bool S_cspan(emit *E, uint32_t s, uint32_t e, cspan *sp)
{
	const warta_doc *doc = E->doc;
	sp->cs = doc_cp(doc, s);
	sp->ce = doc_cp(doc, e);
	sp->t = doc->orig + sp->cs;
	sp->n = sp->ce - sp->cs;
	if (doc->map) {
		if (!E->wide && !S_cp_wide(E)) {
			E->oom = true;
			return false;
		}
		uint32_t tce = sp->ce > E->ncp ? E->ncp : sp->ce, tcs = sp->cs > tce ? tce : sp->cs;
		uint32_t b = S_cp_byte(E, tcs);
		sp->t = doc->orig + b;
		sp->n = S_cp_byte(E, tce) - b;
	}
	return true;
}

/* Text: the room that S_span_at() needs for sp, its key included. */
static inline size_t S_span_room(const cspan *sp)
{
	return 1 + 9 + 20 + 7 + 20 + 9 + sp->n * 6 + 1;
}

/* Text: writes "start":..,"end":..,"text":".." at o (the key of start
 * is the caller's); returns the end. */
static inline char *S_span_at(const emit *E, char *o, const cspan *sp)
{
	o = S_utoa(o, sp->cs);
	o = S_lit(o, K(",\"end\":"));
	o = S_utoa(o, sp->ce);
	o = S_lit(o, K(",\"text\":\""));
	o = S_escape(o, sp->t, sp->n, E->doc->orig + E->doc->orig_len);
	*o++ = '"';
	return o;
}

/* Adds start, end and text of a byte span (see cspan). In the line the
 * three are written with one room check, as every record has a span per
 * mention, date, claim and number. */
static void S_span(emit *E, uint32_t s, uint32_t e)
{
	cspan sp;
	if (!S_cspan(E, s, e, &sp))
		return;
	if (E->tree) {
		S_uint(E, K("start"), sp.cs);
		S_uint(E, K("end"), sp.ce);
		S_strn(E, K("text"), sp.t, sp.n);
		return;
	}
	char *o = S_room(E, S_span_room(&sp));
	if (!o)
		return;
	S_done(E, S_span_at(E, S_key(E, o, K("start")), &sp));
}

static void S_error_record(emit *E)
{
	const warta_doc *doc = E->doc;
	S_open(E, NULL, 0, '{');
	S_str(E, K("schema"), WARTA_SCHEMA);
	S_str(E, K("id"), doc->id);
	S_open(E, K("error"), '{');
	S_str(E, K("code"), doc->error_name ? doc->error_name : "error");
	S_str(E, K("message"), doc->error_msg ? doc->error_msg : warta_strerror(doc->error_code));
	S_close(E, '}');
	S_close(E, '}');
}

static void S_meta(emit *E)
{
	const warta_doc *doc = E->doc;
	S_open(E, K("meta"), '{');
	if (doc->in_title)
		S_str(E, K("title"), doc->in_title);
	else if (doc->title_zone >= 0) {
		const zone *z = &doc->zones.v[doc->title_zone];
		S_strn_in(E, K("title"), doc->text + z->start, z->end - z->start,
		          doc->text + doc->len);
	} else
		S_str(E, K("title"), NULL);
	S_str(E, K("source"), doc->source);
	S_str(E, K("url"), doc->url);
	S_str(E, K("published"), doc->published);
	S_str(E, K("published_from"), doc->published_from);
	if (doc->dateline_place || doc->dateline_outlet) {
		S_open(E, K("dateline"), '{');
		S_str(E, K("place"), doc->dateline_place);
		S_str(E, K("outlet"), doc->dateline_outlet);
		S_close(E, '}');
	} else
		S_str(E, K("dateline"), NULL);
	S_close(E, '}');
}

/* Text: a mention of an entity, written with one room check, its keys
 * and punctuation as literals and its zone and rule file as their JSON
 * (see S_seen()): the record has more of them than of anything else.
 * False when one of its strings is not of the kind that this knows (NULL,
 * or an escape or too long for S_JSON): then nothing is written. */
static bool S_mention_line(emit *E, const mention *m)
{
	const rule *r = m->rule;
	const gz_entry *g = m->entry;
	const char *file = r ? r->file : g ? g->file : NULL, *zn = zone_name(m->zone);
	int line = r ? r->line : g ? g->line : 0;
	if (!file || !zn || line < 0)
		return false;
	const seen *z = S_seen(E->names, zn), *f = S_seen(E->files, file);
	if (!z->jn || !f->jn)
		return false;
	cspan sp;
	if (!S_cspan(E, m->start, m->end, &sp))
		return true;
	char *o = S_room(E, 1 + S_span_room(&sp) + 9 + S_JSON + 8 + S_JSON + 1 + 20 + 2);
	if (!o)
		return true;
	*o = ',';
	o += !E->first;
	o = S_span_at(E, S_lit(o, K("{\"start\":")), &sp);
	o = S_lit(o, K(",\"zone\":"));
	memcpy(o, z->json, S_JSON);
	o = S_lit(o + z->jn, K(",\"rule\":"));
	memcpy(o, f->json, S_JSON);
	o += f->jn - 1; /* its closing quote comes after the line */
	*o++ = ':';
	o = S_utoa(o, (unsigned)line);
	*o++ = '"';
	*o++ = '}';
	S_done(E, o);
	E->first = false;
	return true;
}

static void S_mention(emit *E, const mention *m, bool lost)
{
	if (!E->tree && !lost && S_mention_line(E, m))
		return;
	S_open(E, NULL, 0, '{');
	S_span(E, m->start, m->end);
	S_strc(E, K("zone"), zone_name(m->zone));
	S_rule(E, m->rule, m->entry);
	if (lost) {
		S_strc(E, K("type"), etype_name(m->type));
		S_str(E, K("name"), m->name);
		S_str(E, K("lost"), m->why ? m->why : "overlap");
	}
	S_close(E, '}');
}

/* Text: the room that S_strz() needs for a string of n bytes. */
static inline size_t S_strz_room(size_t n)
{
	return S_KEY_MAX + 2 + 6 * n;
}

/* Text: writes the literal key (l, ln) (with its comma) and the string
 * (v, n) after it, or null when v is NULL, at o; returns the end. */
static inline char *S_strz(char *o, const char *l, size_t ln, const char *v, size_t n)
{
	o = S_lit(o, l, ln);
	if (!v) {
		memcpy(o, "null", 4);
		return o + 4;
	}
	*o++ = '"';
	o = S_escape(o, v, n, v + n);
	*o++ = '"';
	return o;
}

/* Text: the head of an entity up to its open list of mentions, with one
 * room check and literal keys; false (nothing written) when its type
 * name is not one that S_seen() has the JSON of. */
static bool S_entity_line(emit *E, size_t i, const entity *en)
{
	if (E->tree)
		return false;
	const seen *t = S_seen(E->names, etype_name(en->type));
	if (!t->jn)
		return false;
	size_t nn = en->name ? strlen(en->name) : 0, kbn = en->kb ? strlen(en->kb) : 0,
	       kn = en->key ? strlen(en->key) : 0;
	char *o = S_room(E, 1 + 8 + 20 + 10 + S_JSON + S_strz_room(nn) + S_strz_room(kbn) +
	                        S_strz_room(kn) + 16 + 14);
	if (!o)
		return true;
	*o = ',';
	o += !E->first;
	o = S_lit(o, K("{\"id\":\"e"));
	o = S_utoa(o, (uint64_t)i + 1);
	o = S_lit(o, K("\",\"type\":"));
	memcpy(o, t->json, S_JSON);
	o = S_strz(o + t->jn, K(",\"name\":"), en->name, nn);
	o = S_strz(o, K(",\"kb\":"), en->kb, kbn);
	o = S_strz(o, K(",\"key\":"), en->key, kn);
	if (en->related)
		o = S_lit(o, K(",\"related\":true"));
	o = S_lit(o, K(",\"mentions\":["));
	S_done(E, o);
	E->depth += 2; /* the entity and its mentions, as S_open() counts */
	E->first = true;
	return true;
}

static void S_entities(emit *E)
{
	const warta_doc *doc = E->doc;
	/* mentions grouped by entity, in mention order: one pass, not one per entity */
	uint32_t *next = NULL, *head = NULL;
	size_t ne = doc->entities.n, nm = doc->mentions.n;
	if (ne && nm) {
		next = malloc(nm * sizeof *next);
		head = malloc(ne * 2 * sizeof *head);
		if (!next || !head) {
			free(next);
			free(head);
			E->oom = true;
			return;
		}
		uint32_t *tail = head + ne;
		for (size_t i = 0; i < ne; i++)
			head[i] = tail[i] = UINT32_MAX;
		for (size_t k = 0; k < nm; k++) {
			const mention *m = &doc->mentions.v[k];
			next[k] = UINT32_MAX;
			if (m->dropped || m->entity < 0 || (size_t)m->entity >= ne)
				continue;
			if (tail[m->entity] == UINT32_MAX)
				head[m->entity] = (uint32_t)k;
			else
				next[tail[m->entity]] = (uint32_t)k;
			tail[m->entity] = (uint32_t)k;
		}
	}
	S_open(E, K("entities"), '[');
	for (size_t i = 0; i < ne && !E->oom; i++) {
		const entity *en = &doc->entities.v[i];
		if (!S_entity_line(E, i, en)) {
			S_open(E, NULL, 0, '{');
			S_ref(E, K("id"), 'e', (int)i);
			S_strc(E, K("type"), etype_name(en->type));
			S_str(E, K("name"), en->name);
			S_str(E, K("kb"), en->kb);
			S_str(E, K("key"), en->key);
			if (en->related)
				S_bool(E, K("related"), true);
			S_open(E, K("mentions"), '[');
		}
		for (uint32_t k = head ? head[i] : UINT32_MAX; k != UINT32_MAX; k = next[k])
			S_mention(E, &doc->mentions.v[k], false);
		S_close(E, ']');
		S_close(E, '}');
	}
	S_close(E, ']');
	free(next);
	free(head);
	if (doc->options & WARTA_OPT_TRACE) {
		S_open(E, K("lost"), '[');
		for (size_t k = 0; k < nm; k++)
			if (doc->mentions.v[k].dropped)
				S_mention(E, &doc->mentions.v[k], true);
		S_close(E, ']');
	}
}

static void S_dates(emit *E)
{
	const warta_doc *doc = E->doc;
	S_open(E, K("dates"), '[');
	for (size_t i = 0; i < doc->dates.n; i++) {
		const date *d = &doc->dates.v[i];
		S_open(E, NULL, 0, '{');
		S_ref(E, K("id"), 'd', (int)i);
		S_span(E, d->start, d->end);
		S_str(E, K("value"), d->value[0] ? d->value : NULL);
		S_strc(E, K("type"), d->type ? d->type : "DATE");
		S_bool(E, K("relative"), d->relative);
		S_uint(E, K("sentence"), d->sent);
		S_strc(E, K("zone"), zone_name(d->zone));
		S_rule(E, d->rule, NULL);
		S_close(E, '}');
	}
	S_close(E, ']');
}

static const char *const S_quals[] = {NULL, "approx", "lower", "upper", "range"};

/* The fields a claim and a bare number share: value, bounds, qualifier. */
static void S_quantity(emit *E, const number *nb)
{
	S_num(E, K("value"), nb->value);
	S_num(E, K("low"), nb->low);
	S_num(E, K("high"), nb->high);
	S_bool(E, K("approx"), nb->approx);
	S_str(E, K("qualifier"), S_quals[nb->qual]);
}

/* Text: writes the literal key (l, ln) (with its comma) and the id
 * "<prefix><idx + 1>", or null when idx < 0, at o (room: S_KEY_MAX + 23);
 * returns the end. */
static inline char *S_refz(char *o, const char *l, size_t ln, char prefix, int idx)
{
	o = S_lit(o, l, ln);
	if (idx < 0) {
		memcpy(o, "null", 4);
		return o + 4;
	}
	*o++ = '"';
	*o++ = prefix;
	o = S_utoa(o, (uint64_t)idx + 1);
	*o++ = '"';
	return o;
}

/* Text: a claim, what S_claims() writes field by field, with one room
 * check and literal keys, its zone and rule file as their JSON (see
 * S_seen()). False (nothing written) when its zone name or rule file is
 * not one that S_seen() has the JSON of, or its rule has no file or a
 * negative line: those go the field by field way. */
static bool S_claim_line(emit *E, size_t i, const claim *c, const number *nb)
{
	if (E->tree)
		return false;
	const char *zn = zone_name(c->zone);
	const rule *r = c->rule;
	if (!zn || (r && (!r->file || r->line < 0)))
		return false;
	const seen *z = S_seen(E->names, zn), *f = r ? S_seen(E->files, r->file) : NULL;
	if (!z->jn || (f && !f->jn))
		return false;
	const char *qual = S_quals[nb->qual];
	size_t ql = qual ? strlen(qual) : 0, ul = c->unit ? strlen(c->unit) : 0,
	       cl = nb->currency ? strlen(nb->currency) : 0,
	       gl = c->category ? strlen(c->category) : 0,
	       pl = c->predicate ? strlen(c->predicate) : 0, hl = c->hedge ? strlen(c->hedge) : 0,
	       rl = !r && c->rule_ref ? strlen(c->rule_ref) : 0;
	cspan sp;
	if (!S_cspan(E, c->start, c->end, &sp))
		return true;
	char *o = S_room(E, 1 + 8 + 20 + 1 + S_span_room(&sp) + 3 * (S_KEY_MAX + 32) + S_KEY_MAX +
	                        5 + S_strz_room(ql) + S_strz_room(ul) + S_strz_room(cl) +
	                        S_strz_room(gl) + S_strz_room(pl) + S_strz_room(hl) +
	                        5 * (S_KEY_MAX + 23) + S_KEY_MAX + 20 + S_KEY_MAX + S_JSON +
	                        S_KEY_MAX + S_JSON + 1 + 20 + 1 + S_strz_room(rl) + 1);
	if (!o)
		return true;
	*o = ',';
	o += !E->first;
	o = S_lit(o, K("{\"id\":\"c"));
	o = S_utoa(o, (uint64_t)i + 1);
	o = S_span_at(E, S_lit(o, K("\",\"start\":")), &sp);
	o = S_number(S_lit(o, K(",\"value\":")), nb->value);
	o = S_number(S_lit(o, K(",\"low\":")), nb->low);
	o = S_number(S_lit(o, K(",\"high\":")), nb->high);
	o = nb->approx ? S_lit(o, K(",\"approx\":true")) : S_lit(o, K(",\"approx\":false"));
	o = S_strz(o, K(",\"qualifier\":"), qual, ql);
	o = S_strz(o, K(",\"unit\":"), c->unit, ul);
	o = S_strz(o, K(",\"currency\":"), nb->currency, cl);
	o = S_strz(o, K(",\"category\":"), c->category, gl);
	o = S_refz(o, K(",\"subject\":"), 'e', c->subject);
	o = S_strz(o, K(",\"predicate\":"), c->predicate, pl);
	o = S_refz(o, K(",\"source\":"), 'e', c->source);
	o = S_strz(o, K(",\"hedge\":"), c->hedge, hl);
	o = S_refz(o, K(",\"date\":"), 'd', c->date);
	o = S_refz(o, K(",\"place\":"), 'e', c->place);
	o = S_refz(o, K(",\"partitive_of\":"), 'c', c->partitive ? c->partitive_of : -1);
	o = S_utoa(S_lit(o, K(",\"sentence\":")), c->sent);
	o = S_lit(o, K(",\"zone\":"));
	memcpy(o, z->json, S_JSON);
	o += z->jn;
	if (r) { /* as S_rule() writes it */
		o = S_lit(o, K(",\"rule\":"));
		memcpy(o, f->json, S_JSON);
		o += f->jn - 1; /* its closing quote comes after the line */
		*o++ = ':';
		o = S_utoa(o, (unsigned)r->line);
		*o++ = '"';
	} else
		o = S_strz(o, K(",\"rule\":"), c->rule_ref, rl);
	*o++ = '}';
	S_done(E, o);
	E->first = false;
	return true;
}

static void S_claims(emit *E)
{
	const warta_doc *doc = E->doc;
	S_open(E, K("claims"), '[');
	for (size_t i = 0; i < doc->claims.n; i++) {
		const claim *c = &doc->claims.v[i];
		const number *nb = &doc->numbers.v[c->number];
		if (S_claim_line(E, i, c, nb))
			continue;
		S_open(E, NULL, 0, '{');
		S_ref(E, K("id"), 'c', (int)i);
		S_span(E, c->start, c->end);
		S_quantity(E, nb);
		S_str(E, K("unit"), c->unit);
		S_str(E, K("currency"), nb->currency);
		S_str(E, K("category"), c->category);
		S_ref(E, K("subject"), 'e', c->subject);
		S_str(E, K("predicate"), c->predicate);
		S_ref(E, K("source"), 'e', c->source);
		S_str(E, K("hedge"), c->hedge);
		S_ref(E, K("date"), 'd', c->date);
		S_ref(E, K("place"), 'e', c->place);
		S_ref(E, K("partitive_of"), 'c', c->partitive ? c->partitive_of : -1);
		S_uint(E, K("sentence"), c->sent);
		S_strc(E, K("zone"), zone_name(c->zone));
		if (c->rule)
			S_rule(E, c->rule, NULL);
		else
			S_str(E, K("rule"), c->rule_ref);
		S_close(E, '}');
	}
	S_close(E, ']');
}

static void S_numbers(emit *E)
{
	/* Quantities that no claim took: still facts a reader may want. */
	const warta_doc *doc = E->doc;
	S_open(E, K("numbers"), '[');
	for (size_t i = 0; i < doc->numbers.n; i++) {
		const number *nb = &doc->numbers.v[i];
		if (nb->used)
			continue;
		S_open(E, NULL, 0, '{');
		S_span(E, nb->start, nb->end);
		S_quantity(E, nb);
		S_str(E, K("currency"), nb->currency);
		S_bool(E, K("percent"), nb->percent);
		S_strc(E, K("zone"), zone_name(nb->zone));
		S_rule(E, nb->rule, NULL);
		S_close(E, '}');
	}
	S_close(E, ']');
}

static void S_zones(emit *E)
{
	const warta_doc *doc = E->doc;
	S_open(E, K("zones"), '[');
	for (size_t i = 0; i < doc->zones.n; i++) {
		const zone *z = &doc->zones.v[i];
		S_open(E, NULL, 0, '{');
		S_strc(E, K("type"), zone_name(z->type));
		S_uint(E, K("start"), doc_cp(doc, z->start));
		S_uint(E, K("end"), doc_cp(doc, z->end));
		if (z->rule)
			S_rule(E, z->rule, NULL);
		S_close(E, '}');
	}
	S_close(E, ']');
}

static void S_warnings(emit *E)
{
	const warta_doc *doc = E->doc;
	S_open(E, K("warnings"), '[');
	for (size_t i = 0; i < doc->warnings.n; i++) {
		const warning *w = &doc->warnings.v[i];
		S_open(E, NULL, 0, '{');
		S_str(E, K("code"), w->code);
		S_num(E, K("count"), w->count);
		if (w->detail)
			S_str(E, K("detail"), w->detail);
		S_close(E, '}');
	}
	S_close(E, ']');
}

/* Countries that the entity stage does not count as mentions because they
 * qualify a noun or a name ("pemerintah Irak", "Presiden Rusia"): still facts
 * a graph may want, so they are listed apart, with their identity. */
static void S_attributes(emit *E)
{
	const warta_doc *doc = E->doc;
	S_open(E, K("attributes"), '[');
	for (size_t i = 0; i < doc->mentions.n; i++) {
		const mention *m = &doc->mentions.v[i];
		if (!m->attribute)
			continue;
		S_open(E, NULL, 0, '{');
		S_span(E, m->start, m->end);
		S_strc(E, K("type"), etype_name(m->type));
		S_str(E, K("name"), m->name);
		S_str(E, K("key"), m->key);
		S_str(E, K("kb"), m->entry && m->entry->external_id ? m->entry->id : NULL);
		S_strc(E, K("zone"), zone_name(m->zone));
		S_rule(E, m->rule, m->entry);
		S_close(E, '}');
	}
	S_close(E, ']');
}

static void S_record(emit *E)
{
	const warta_doc *doc = E->doc;
	if (doc->error_code) {
		S_error_record(E);
		return;
	}
	S_open(E, NULL, 0, '{');
	S_str(E, K("schema"), WARTA_SCHEMA);
	S_str(E, K("id"), doc->id);
	S_meta(E);
	S_entities(E);
	S_attributes(E);
	S_dates(E);
	S_claims(E);
	S_numbers(E);
	S_zones(E);
	S_warnings(E);
	S_close(E, '}');
}

cJSON *emit_record(const warta_doc *doc)
{
	emit E = {.doc = doc, .tree = true};
	S_record(&E);
	free(E.wide);
	if (E.oom) {
		cJSON_Delete(E.stack[0]);
		return NULL;
	}
	return E.stack[0];
}

char *emit_json_line(const warta_doc *doc, size_t *len)
{
	/* Not zeroed whole: the caches are most of it (zeroing them was some
	 * 600 instructions a record), and a slot is read only after its p
	 * (NULL: empty, as no string is at NULL) says what it holds. */
	emit E;
	memset(&E, 0, offsetof(emit, names));
	for (size_t i = 0; i < S_SEEN; i++)
		E.names[i].p = E.files[i].p = NULL;
	E.doc = doc;
	/* room at once for what a record of this article usually takes (its
	 * title and meta, and per item a little more than the items of the
	 * corpus take) spares the reallocs that copy the line so far; a
	 * record that takes more grows as it goes */
	S_reserve(&E, 1024 + doc->orig_len + 160 * doc->mentions.n + 640 * doc->claims.n +
	                  320 * doc->numbers.n + 256 * doc->dates.n + 96 * doc->zones.n +
	                  192 * doc->entities.n + 128 * doc->warnings.n);
	S_record(&E);
	free(E.wide);
	if (E.oom) {
		free(E.s);
		return NULL;
	}
	E.s[E.n] = '\0';
	if (len)
		*len = E.n;
	return E.s;
}
