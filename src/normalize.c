/* SPDX-License-Identifier: MIT */
/* Stage 2, normalize: doc->orig (any bytes) -> doc->text (valid NFC UTF-8,
 * NUL-terminated, in the arena) and doc->map (len+1 entries).
 *
 * Invariant: for a span [s, e) of doc->text on character boundaries,
 * [map[s], map[e]) is the same span in code points of the original. The
 * original is counted the way a strict UTF-8 decoder that turns each invalid
 * byte into one code point counts it: Python's raw.decode("utf-8",
 * "surrogateescape"). ASCII text that needs no change is used as it is
 * (text == orig, map == NULL), without a copy or an NFC pass.
 */
#include "internal.h"

#include <string.h>
#include <utf8proc.h>

/* Byte classes: what the slow path does with each byte. */
enum { B_KEEP = 0, B_CTRL, B_NUL, B_CR, B_HIGH };

#define H8  B_HIGH, B_HIGH, B_HIGH, B_HIGH, B_HIGH, B_HIGH, B_HIGH, B_HIGH
#define H64 H8, H8, H8, H8, H8, H8, H8, H8
/* Tab and line feed are kept; other C0 controls become a space. */
static const uint8_t S_class[256] = {
    B_NUL,        B_CTRL, B_CTRL, B_CTRL, B_CTRL, B_CTRL, B_CTRL, B_CTRL, /* 00 */
    B_CTRL,       B_KEEP, B_KEEP, B_CTRL, B_CTRL, B_CR,   B_CTRL, B_CTRL, /* 08 */
    B_CTRL,       B_CTRL, B_CTRL, B_CTRL, B_CTRL, B_CTRL, B_CTRL, B_CTRL, /* 10 */
    B_CTRL,       B_CTRL, B_CTRL, B_CTRL, B_CTRL, B_CTRL, B_CTRL, B_CTRL, /* 18 */
    [0x80] = H64, H64,
};
#undef H64
#undef H8

/* Decodes one strict UTF-8 sequence at p[0..n) (p[0] >= 0x80): returns its
 * length and sets *cp, or 0 when p[0] is an invalid byte. Overlong forms,
 * surrogates and values above U+10FFFF are invalid, as in Unicode's table 3-7. */
static size_t S_decode(const unsigned char *p, size_t n, int32_t *cp)
{
	unsigned c = p[0];
	if (c >= 0xC2 && c <= 0xDF) {
		if (n < 2 || (p[1] & 0xC0) != 0x80)
			return 0;
		*cp = (int32_t)(((c & 0x1F) << 6) | (p[1] & 0x3F));
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		if (n < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80)
			return 0;
		*cp = (int32_t)(((c & 0x0F) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3F));
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		if (n < 4 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		*cp = (int32_t)(((c & 0x07) << 18) | ((p[1] & 0x3Fu) << 12) |
		                ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3F));
		return 4;
	}
	return 0;
}

/* What a non-ASCII code point becomes before NFC: an ASCII replacement,
 * R_DROP (zero-width characters), or R_NONE (kept). */
#define R_NONE (-1)
#define R_DROP 0
static int S_replace(int32_t c)
{
	if (c < 0x2000) {
		if (c <= 0x9F)
			return c == 0x85 ? '\n' : ' '; /* C1 controls; NEL is a line end */
		if (c == 0xA0)
			return ' ';
		if (c == 0xAB || c == 0xBB)
			return '"';
		if (c == 0xAD)
			return R_DROP; /* soft hyphen */
		return R_NONE;
	}
	if (c <= 0x206F) {
		if (c <= 0x200A || c == 0x202F || c == 0x205F)
			return ' ';
		if (c <= 0x200D || c == 0x2060)
			return R_DROP;
		if (c >= 0x2010 && c <= 0x2015)
			return '-';
		switch (c) {
		case 0x2018:
		case 0x2019:
		case 0x201A:
		case 0x201B:
		case 0x2032:
		case 0x2039:
		case 0x203A: return '\'';
		case 0x201C:
		case 0x201D:
		case 0x201E:
		case 0x201F:
		case 0x2033: return '"';
		case 0x2028:
		case 0x2029: return '\n';
		default: return R_NONE;
		}
	}
	if (c == 0x2212)
		return '-';
	if (c == 0x3000)
		return ' ';
	if (c == 0xFEFF)
		return R_DROP;
	return R_NONE;
}

/* True when nothing before c can combine or reorder with it, so that NFC may
 * start afresh at c (ICU's "composition boundary before"). */
static bool S_boundary(int32_t c, const utf8proc_property_t *p)
{
	if (p->combining_class != 0)
		return false;
	if (p->comb_index != UINT16_MAX && p->comb_index >= 0x8000)
		return false; /* second half of a canonical composition */
	if (c >= 0x1160 && c <= 0x11FF)
		return false; /* Hangul vowel and trailing jamo compose algorithmically */
	if (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0) {
		utf8proc_int32_t d[8];
		utf8proc_ssize_t k = utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE, NULL);
		if (k > 0 && k <= 8 && utf8proc_get_property(d[0])->combining_class != 0)
			return false;
	}
	return true;
}

/* Caps one NFC run, as the Unicode stream-safe format does, so that a flood
 * of combining marks costs linear time and fixed buffers. */
#define RUN_MAX 32

typedef struct norm {
	warta_doc *doc;
	const unsigned char *p;
	size_t n, i; /* input and position */
	char *out;
	uint32_t *map;
	size_t o, cap; /* output length and capacity (excluding the NUL) */
	uint32_t cp;   /* original code point index of p[i] */
	size_t sb_o;   /* output offset of the last starter, or SIZE_MAX */
	uint32_t sb_cp;
	uint32_t invalid, nul;
} norm;

/* Makes room for k more output bytes. */
static bool S_room(norm *N, size_t k)
{
	if (N->o + k <= N->cap)
		return true;
	size_t ncap = N->cap * 2;
	if (ncap < N->o + k)
		ncap = N->o + k;
	if (ncap >= UINT32_MAX - 1)
		return false;
	char *out = arena_alloc(&N->doc->a, ncap + 64); /* zeroed tail: see arena_strndup */
	uint32_t *map = arena_alloc(&N->doc->a, (ncap + 1) * sizeof *map);
	if (!out || !map)
		return false;
	memcpy(out, N->out, N->o);
	memcpy(map, N->map, N->o * sizeof *map);
	N->out = out;
	N->map = map;
	N->cap = ncap;
	return true;
}

static void S_emit_byte(norm *N, char c, uint32_t cp)
{
	N->out[N->o] = c;
	N->map[N->o++] = cp;
}

static void S_emit_cp(norm *N, int32_t c, uint32_t cp)
{
	utf8proc_uint8_t buf[4];
	utf8proc_ssize_t k = utf8proc_encode_char(c, buf);
	for (utf8proc_ssize_t j = 0; j < k; j++)
		S_emit_byte(N, (char)buf[j], cp);
}

/* Decodes the next input code point if it continues an NFC run (a valid,
 * kept, non-boundary character); returns its length or 0. */
static size_t S_run_next(const norm *N, size_t i, int32_t *c)
{
	if (i >= N->n || N->p[i] < 0x80)
		return 0;
	size_t k = S_decode(N->p + i, N->n - i, c);
	if (!k || S_replace(*c) != R_NONE || S_boundary(*c, utf8proc_get_property(*c)))
		return 0;
	return k;
}

/* Normalizes the run that the character c (k bytes at p[i]) opens or
 * continues: the last starter already written (when c is not a boundary),
 * c, and the non-boundary characters after it. Output bytes map to their own
 * original code points when NFC changed nothing, else all to the run's start. */
static int S_nfc_run(norm *N, int32_t c, size_t k, bool boundary)
{
	int32_t seq[RUN_MAX + 8];
	uint32_t seqcp[RUN_MAX + 8];
	size_t ns = 0;
	size_t run_o = N->o;
	uint32_t run_cp = N->cp;
	/* Take back the last starter and what followed it, when few enough. */
	if (!boundary && N->sb_o != SIZE_MAX && N->o - N->sb_o <= 4 * 8) {
		size_t j = N->sb_o, cnt = 0;
		while (j < N->o && cnt < 8) {
			int32_t d;
			size_t l = (unsigned char)N->out[j] < 0x80
			               ? (d = (unsigned char)N->out[j], 1)
			               : S_decode((const unsigned char *)N->out + j, N->o - j, &d);
			seq[cnt] = d;
			seqcp[cnt] = N->map[j];
			cnt++;
			j += l ? l : 1;
		}
		if (j == N->o) {
			ns = cnt;
			run_o = N->sb_o;
			run_cp = N->sb_cp;
		}
	}
	/* Then c and the marks after it, as far as RUN_MAX. */
	size_t i = N->i;
	uint32_t cp = N->cp;
	seq[ns] = c;
	seqcp[ns++] = cp++;
	i += k;
	int32_t d;
	size_t l;
	while (ns < RUN_MAX && (l = S_run_next(N, i, &d))) {
		seq[ns] = d;
		seqcp[ns++] = cp++;
		i += l;
	}
	/* Decompose and order canonically, then compose. */
	utf8proc_int32_t buf[(RUN_MAX + 8) * 4];
	size_t nb = 0;
	bool ok = true;
	for (size_t j = 0; j < ns && ok; j++) {
		utf8proc_ssize_t r = utf8proc_decompose_char(
		    seq[j], buf + nb, (utf8proc_ssize_t)(sizeof buf / sizeof *buf - nb),
		    UTF8PROC_DECOMPOSE, NULL);
		if (r < 0 || nb + (size_t)r > sizeof buf / sizeof *buf)
			ok = false;
		else
			nb += (size_t)r;
	}
	/* Canonical ordering (a stable sort by combining class of each mark run). */
	for (size_t j = 1; ok && j < nb; j++) {
		int32_t x = buf[j];
		int cx = utf8proc_get_property(x)->combining_class;
		if (!cx)
			continue;
		size_t m = j;
		while (m > 0) {
			int cm = utf8proc_get_property(buf[m - 1])->combining_class;
			if (cm <= cx)
				break;
			buf[m] = buf[m - 1];
			m--;
		}
		buf[m] = x;
	}
	utf8proc_ssize_t nr = ok ? utf8proc_normalize_utf32(buf, (utf8proc_ssize_t)nb,
	                                                    UTF8PROC_COMPOSE | UTF8PROC_STABLE)
	                         : -1;
	bool same = nr == (utf8proc_ssize_t)ns;
	for (size_t j = 0; same && j < ns; j++)
		same = buf[j] == seq[j];
	if (nr < 0) { /* cannot happen with valid input; keep the text as it was */
		nr = (utf8proc_ssize_t)ns;
		memcpy(buf, seq, ns * sizeof *seq);
		same = true;
	}
	N->o = run_o;
	if (!S_room(N, (size_t)nr * 4))
		return WARTA_ENOMEM;
	for (utf8proc_ssize_t j = 0; j < nr; j++)
		S_emit_cp(N, buf[j], same ? seqcp[j] : run_cp);
	N->sb_o = run_o;
	N->sb_cp = run_cp;
	N->i = i;
	N->cp = cp;
	return WARTA_OK;
}

/* Handles the non-ASCII byte at p[i]. */
static int S_high(norm *N)
{
	int32_t c;
	size_t k = S_decode(N->p + N->i, N->n - N->i, &c);
	if (!k) {
		N->invalid++;
		N->sb_o = N->o;
		N->sb_cp = N->cp;
		S_emit_cp(N, 0xFFFD, N->cp++);
		N->i++;
		return WARTA_OK;
	}
	int r = S_replace(c);
	if (r == R_DROP) {
		N->i += k;
		N->cp++;
		return WARTA_OK;
	}
	if (r != R_NONE) {
		N->sb_o = N->o;
		N->sb_cp = N->cp;
		S_emit_byte(N, (char)r, N->cp++);
		N->i += k;
		return WARTA_OK;
	}
	const utf8proc_property_t *pr = utf8proc_get_property(c);
	bool boundary = S_boundary(c, pr);
	bool decomposes = pr->decomp_seqindex != UINT16_MAX && pr->decomp_type == 0;
	/* A starter that NFC leaves alone, unless marks follow it. */
	if (boundary && !decomposes) {
		int32_t d;
		if (!S_run_next(N, N->i + k, &d)) {
			N->sb_o = N->o;
			N->sb_cp = N->cp;
			for (size_t j = 0; j < k; j++)
				S_emit_byte(N, (char)N->p[N->i + j], N->cp);
			N->i += k;
			N->cp++;
			return WARTA_OK;
		}
	}
	return S_nfc_run(N, c, k, boundary);
}

/* Returns the length of the prefix of p[0..n) that needs no change. Eight
 * bytes at a time: a byte below 0x20 or above 0x7F sets its high bit in
 * (w - 0x20..) | w, and a borrow can only come from such a byte. */
static size_t S_plain_prefix(const unsigned char *p, size_t n)
{
	const uint64_t k20 = 0x2020202020202020ull, k80 = 0x8080808080808080ull;
	size_t i = 0;
	while (i < n) {
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (((w - k20) | w) & k80)
				break;
			i += 8;
		}
		size_t stop = i + 8 < n ? i + 8 : n;
		for (; i < stop; i++)
			if (S_class[p[i]] != B_KEEP)
				return i;
	}
	return n;
}

int normalize_run(warta_doc *doc)
{
	const unsigned char *p = (const unsigned char *)doc->orig;
	size_t n = doc->orig_len;
	if (n >= UINT32_MAX / 4)
		return WARTA_ETOOBIG;
	size_t plain = S_plain_prefix(p, n);
	if (plain == n) {
		doc->text = (char *)doc->orig;
		doc->len = (uint32_t)n;
		doc->map = NULL;
		return WARTA_OK;
	}
	norm N = {.doc = doc, .p = p, .n = n, .sb_o = SIZE_MAX};
	N.cap = n + n / 8 + 64;
	N.out = arena_alloc(&doc->a, N.cap + 64); /* zeroed tail: see arena_strndup */
	N.map = arena_alloc(&doc->a, (N.cap + 1) * sizeof *N.map);
	if (!N.out || !N.map)
		return WARTA_ENOMEM;
	memcpy(N.out, p, plain);
	for (size_t j = 0; j < plain; j++)
		N.map[j] = (uint32_t)j;
	N.o = N.i = plain;
	N.cp = (uint32_t)plain;
	if (plain) {
		N.sb_o = plain - 1;
		N.sb_cp = N.cp - 1;
	}
	int rc = WARTA_OK;
	while (N.i < n) {
		/* Every step below writes at most 4 bytes, except an NFC run,
		 * which makes its own room. */
		if (!S_room(&N, 16)) {
			rc = WARTA_ENOMEM;
			break;
		}
		unsigned c = p[N.i];
		switch (S_class[c]) {
		case B_KEEP: {
			size_t stop = N.i + (N.cap - N.o);
			if (stop > n)
				stop = n;
			size_t i = N.i, o = N.o;
			uint32_t cp = N.cp;
			while (i < stop && S_class[p[i]] == B_KEEP) {
				N.out[o] = (char)p[i++];
				N.map[o++] = cp++;
			}
			N.sb_o = o - 1;
			N.sb_cp = cp - 1;
			N.i = i;
			N.o = o;
			N.cp = cp;
			break;
		}
		case B_NUL:
			N.nul++;
			/* fall through */
		case B_CTRL:
			N.sb_o = N.o;
			N.sb_cp = N.cp;
			S_emit_byte(&N, ' ', N.cp++);
			N.i++;
			break;
		case B_CR:
			N.sb_o = N.o;
			N.sb_cp = N.cp;
			S_emit_byte(&N, '\n', N.cp++);
			N.i++;
			if (N.i < n && p[N.i] == '\n') { /* the LF of CRLF is dropped */
				N.i++;
				N.cp++;
			}
			break;
		default: rc = S_high(&N); break;
		}
		if (rc)
			break;
	}
	if (rc)
		return rc;
	N.out[N.o] = '\0';
	N.map[N.o] = N.cp;
	doc->text = N.out;
	doc->len = (uint32_t)N.o;
	doc->map = N.map;
	if (N.invalid)
		doc_warn(doc, "invalid-utf8", NULL, N.invalid);
	if (N.nul)
		doc_warn(doc, "nul-byte", NULL, N.nul);
	return WARTA_OK;
}
