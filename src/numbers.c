/* SPDX-License-Identifier: MIT */
/* Stage 7: quantities. Input: doc->text, zones, rules/number.rules ("start"
 * and "word" rules mark where a quantity may begin, "skip" rules mark digit
 * shapes that are never one), run only in small windows around digits and
 * number words. Output: doc->numbers in text order, each the whole
 * expression [start, end) (qualifier, currency, range included) and its
 * numeral [vstart, vend); expressions never overlap; a range's value is its
 * high end. Words come from gazetteers/ (numwords, scales, currencies,
 * qualifiers, numskip); this file holds the arithmetic and the assembly.
 */
#include "bytemask.h"
#include "internal.h"
#include "reqbytes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { S_QUAD = 8192 }; /* bits of lex.quad */

/* A list with a cheap pre-test: the lengths of its forms by their first two
 * bytes (ASCII folded), so most words are rejected without a hash look-up. */
typedef struct lex {
	const wordlist *wl;
	uint32_t filt[27 * 27];
	/* bit b % 32 of tail[b / 32], b = a * 26 + z: some form folds to an
	 * end of ASCII letters a, z (0 for 'a'); a span that ends in two ASCII
	 * letters folds to an end of theirs, so others cannot be found */
	uint32_t tail[(26 * 26 + 31) / 32];
	/* Bit b of lead[b / 64], b < 0x80: a span that begins with the ASCII
	 * byte b may be found. Both folds keep such a byte, lowering a
	 * capital, unless it is white space, which they drop at the start:
	 * the letters and the spaces are always set, other bytes when some
	 * form folds to a start of theirs. */
	uint64_t lead[2];
	/* The first two and last two letters of a fold together (S_quad), for
	 * spans that begin and end in two ASCII letters, as the fold then does:
	 * the tests of filt and tail apart let through words such as "sama"
	 * ("satu", "lima") */
	uint64_t quad[S_QUAD / 64];
	/* ASCII forms, folded, in an open-addressing table of row numbers + 1:
	 * the common case needs no UTF-8 folding. */
	char **fold;
	uint32_t *slot;
	size_t cap;
} lex;

/* The lists the stage reads, prepared once per ruleset (numbers_prepare):
 * column indexes, the kinds and values of the numeral words. */
typedef struct lists {
	lex words, scales, curs, quals, skipw;
	int w_kind, w_value, s_value, s_needs, c_code, c_where, c_kind, q_before, q_between,
	    k_before, k_after;
	uint8_t *wk; /* numwords rows: enum wkind */
	double *wv;  /* numwords rows: value */
	double *sv;  /* scales rows: multiplier */
	uint8_t *sn; /* scales rows: N_* needs */
	/* bit k of [a*26+b]: a numwords word that may begin a numeral has length k
	 * and starts with letters a, b (the cheap test of S_collect) */
	uint16_t startf[26 * 26];
	/* the same for the last two letters of its folded form: the first two
	 * alone let through ten times as many words as begin a numeral */
	uint16_t endf[26 * 26];
	/* [i] 1: the bytes b0, b1 that i is read from (as a uint16_t, in the
	 * host's order) are ASCII letters (any case) that begin a word of
	 * startf, tested on both bytes at once (a byte each: the test is
	 * asked of every word start, and its rows of letters are few) */
	uint8_t start2[65536];
	const rulefile *rf; /* rules/number.rules */
	uint8_t *rkind;     /* per rule of rf: R_* */
	struct rpre *pre;   /* per rule of rf: what a window must hold for it */
	/* the rules of rf S_window runs in a zone type, the word rules [1] or
	 * the others [0], in file order */
	uint32_t *run[Z__COUNT][2];
	size_t nrun[Z__COUNT][2];
	/* Byte classes: bytes no set of the window tests of S_window tells
	 * apart share one (ids past 63 share bits, which only weakens the
	 * tests), so that a window's bytes are one word, made in a register. */
	uint64_t cmask[256];
	uint8_t cid[256]; /* the bit of cmask[b]: cmask[b] == 1 << cid[b] */
	uint64_t nlm;     /* the classes of '\n' and '\r' */
	unsigned ncls;    /* the ids in cid: 0 to ncls - 1 */
	/* csets[k]: the sets of the window tests (masks of classes, numbered
	 * once each) that class k belongs to; bit S_BOL stands for "a line may
	 * begin in the window" */
	uint64_t csets[64];
	/* per rule of rf: the group "skip" (-1: none), found once */
	int32_t *skipg;
} lists;

enum { S_BOL = 63 };

/* From PCRE2's own analysis of a pattern: the bytes a match can begin with
 * and a byte every match holds. A window lacking them is not worth a call
 * to pcre2_match, whose fixed cost is far above that of the test. */
typedef struct rpre {
	uint8_t first[32]; /* bit set of possible first bytes (all set: unknown) */
	int last;          /* a byte every match holds, or -1 */
	reqbytes need;     /* the bytes a window must hold (reqbytes.c) */
	/* Where a match may begin, byte by byte (S_next_start): per byte, 0 when
	 * no match begins on it, 1 when one may, 2 when one may unless the byte
	 * before is in `after` (ASCII bytes only); scan: the test can say no. */
	bool scan;
	uint8_t st[256];
	uint8_t after[32];
	uint8_t aft[256]; /* 2 for the bytes of after: st & ~aft tests both */
	/* first, last and need over the byte classes of lists.cmask */
	uint64_t firstm;
	/* The whole window test, over the sets of lists.csets (S_classes): the
	 * window may hold a match when for some alternative a, every set of
	 * want[a] is among those the window's classes meet (the alternatives
	 * past need.nalt repeat the first, so that all four are tested). */
	uint64_t want[4];
} rpre;
_Static_assert(RB_ALTS <= 4, "rpre.want holds an entry per alternative");

/* Pattern text, read only as far as the start of a match: where a
 * construct is not understood, the readers give up (and the test is
 * left out, or made weaker), never guess. */

/* Returns the index past an option setting "(?i)" at pat[i], or i. */
static size_t S_pat_opts(const char *pat, size_t i)
{
	if (pat[i] != '(' || pat[i + 1] != '?')
		return i;
	size_t k = i + 2;
	while ((pat[k] >= 'a' && pat[k] <= 'z') || (pat[k] >= 'A' && pat[k] <= 'Z') ||
	       pat[k] == '-' || pat[k] == '^') {
		if (pat[k] == 'x')
			return i; /* spaces and comments: not read */
		k++;
	}
	return pat[k] == ')' && k > i + 2 ? k + 1 : i;
}

/* Reads the class of a look-behind (?<![...]) at pat[i] ('[') into `after`:
 * the ASCII bytes it certainly holds (a subset is safe: fewer places are
 * ruled out). Returns the index past the look-behind, or 0. */
static size_t S_pat_behind_class(const char *pat, size_t i, uint8_t after[32])
{
	if (pat[i] != '[' || pat[i + 1] == '^')
		return 0;
	i++;
	bool first = true;
	while (pat[i] && (pat[i] != ']' || first)) {
		unsigned char c = (unsigned char)pat[i];
		bool last = pat[i + 1] == ']';
		first = false;
		if (c == '\\') {
			unsigned char e = (unsigned char)pat[i + 1];
			if (e == 'p' && (strncmp(pat + i, "\\p{L}", 5) == 0 ||
			                 strncmp(pat + i, "\\p{N}", 5) == 0)) {
				for (unsigned b = 0; b < 128; b++)
					if (pat[i + 3] == 'L'
					        ? ((b | 0x20) >= 'a' && (b | 0x20) <= 'z')
					        : (b >= '0' && b <= '9'))
						after[b / 8] |= (uint8_t)(1u << (b % 8));
				i += 5;
			} else if (e < 0x80 && e > ' ' &&
			           !((e >= '0' && e <= '9') ||
			             ((e | 0x20) >= 'a' && (e | 0x20) <= 'z'))) {
				after[e / 8] |= (uint8_t)(1u << (e % 8)); /* an escaped sign */
				i += 2;
			} else
				return 0;
		} else if (c >= 0x80) {
			i++;
			while (((unsigned char)pat[i] & 0xC0) == 0x80)
				i++;
		} else if (c == '[') {
			return 0;
		} else {
			if (c == '-' && !last && pat[i - 1] != '[')
				return 0; /* a range: not read */
			after[c / 8] |= (uint8_t)(1u << (c % 8));
			i++;
		}
		if (pat[i] == '-' && pat[i + 1] != ']')
			return 0; /* a range: not read */
	}
	return pat[i] == ']' && pat[i + 1] == ')' ? i + 2 : 0;
}

static void S_rpre_aft(rpre *x)
{
	for (unsigned b = 0; b < 256; b++)
		x->aft[b] = (x->after[b / 8] >> (b % 8)) & 1 ? 2 : 0;
}

/* Fills x->st and x->after from the start of r's pattern and x->first:
 * a match begins on a byte of first, and where every alternative begins
 * with \b, or the pattern with a look-behind of one class, the byte
 * before it is not a word byte, or not in the class. */
static void S_rpre_start(const rule *r, rpre *x)
{
	x->scan = false;
	memset(x->after, 0, sizeof x->after);
	memset(x->aft, 0, sizeof x->aft);
	bool all = true;
	for (unsigned b = 0; b < 256; b++) {
		x->st[b] = (x->first[b / 8] >> (b % 8)) & 1;
		all &= x->st[b];
	}
	if (all)
		return; /* nothing known */
	const char *pat = r->pattern;
	/* The search of S_window starts where a match may begin, which gives
	 * the leftmost match from an earlier start too, unless the pattern
	 * reads where the search started (\G) or has a verb such as (*COMMIT),
	 * which may end a search at a place that begins no match. */
	if (!pat || strstr(pat, "\\G") || strstr(pat, "(*"))
		return;
	x->scan = true;
	uint32_t opts = 0;
	if (pcre2_pattern_info(r->code, PCRE2_INFO_ALLOPTIONS, &opts) != 0)
		return;
	/* In UTF mode a match begins on a character, never inside one: the
	 * search may then be started at any byte st allows (S_window). */
	if (opts & PCRE2_UTF)
		memset(x->st + 0x80, 0, 0x40);
	if (opts & (PCRE2_EXTENDED | PCRE2_EXTENDED_MORE | PCRE2_LITERAL))
		return;
	size_t i = S_pat_opts(pat, 0), n = strlen(pat);
	if (pat[i] == '\\' && pat[i + 1] == 'b') {
		/* \b before a word byte: the byte before is none */
		for (size_t k = i;;) {
			if (pat[k] != '\\' || pat[k + 1] != 'b')
				return;
			while (pat[k] && pat[k] != '|') {
				k = reqbytes_skip_item(pat, k);
				if (!k)
					return;
			}
			if (!pat[k])
				break;
			k++;
		}
		for (unsigned b = 0; b < 128; b++) {
			bool w = (b >= '0' && b <= '9') ||
			         ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') || b == '_';
			if (w) {
				x->after[b / 8] |= (uint8_t)(1u << (b % 8));
				x->st[b] *= 2;
			}
		}
		S_rpre_aft(x);
		return;
	}
	if (reqbytes_has_alt(pat, i, n))
		return;
	/* (?:(?<![...])...) opens the pattern: its group must have one
	 * alternative too */
	if (strncmp(pat + i, "(?:", 3) == 0) {
		size_t e = reqbytes_skip_item(pat, i);
		if (!e || reqbytes_has_alt(pat, i + 3, e - 1))
			return;
		i += 3;
	}
	uint8_t after[32] = {0};
	if (strncmp(pat + i, "(?<![", 5) != 0 || !S_pat_behind_class(pat, i + 4, after))
		return;
	memcpy(x->after, after, sizeof after);
	for (unsigned b = 0; b < 256; b++)
		x->st[b] *= 2;
	S_rpre_aft(x);
}

/* Returns the first place in t[from, to) where a match of x may begin
 * (x->scan), or `to`. */
static size_t S_next_start(const rpre *x, const char *t, size_t from, size_t to)
{
	unsigned char b = from ? (unsigned char)t[from - 1] : 0;
	for (size_t s = from; s < to; s++) {
		unsigned char c = (unsigned char)t[s];
		if (x->st[c] & ~x->aft[b])
			return s;
		b = c;
	}
	return to;
}

/* S_next_start over the places sm of a window that begins at ws: sm holds
 * every place whose byte st allows (the bytes of firstm's classes), those
 * the test rejects are dropped from it. */
static size_t S_window_start(const rpre *x, const char *t, size_t ws, size_t we, uint64_t *sm)
{
	for (; *sm; *sm &= *sm - 1) {
		size_t s = ws + (size_t)__builtin_ctzll(*sm);
		unsigned char b = s ? (unsigned char)t[s - 1] : 0;
		if (x->st[(unsigned char)t[s]] & ~x->aft[b])
			return s;
	}
	return we;
}

static void S_rpre(const rule *r, rpre *x)
{
	x->scan = false;
	memset(x->first, 0xFF, sizeof x->first);
	x->last = -1;
	reqbytes_read(r, &x->need);
	if (!r->code)
		return;
	const uint8_t *bm = NULL;
	uint32_t type = 0, cu = 0;
	if (pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTBITMAP, &bm) == 0 && bm)
		memcpy(x->first, bm, sizeof x->first);
	else if (pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODETYPE, &type) == 0 && type == 1 &&
	         pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODEUNIT, &cu) == 0 && cu < 128) {
		memset(x->first, 0, sizeof x->first);
		uint32_t lc = cu | 0x20, uc = cu & ~0x20u; /* PCRE2 does not say "caseless" */
		x->first[cu / 8] |= (uint8_t)(1u << (cu % 8));
		if (lc >= 'a' && lc <= 'z') {
			x->first[lc / 8] |= (uint8_t)(1u << (lc % 8));
			x->first[uc / 8] |= (uint8_t)(1u << (uc % 8));
		}
	}
	if (pcre2_pattern_info(r->code, PCRE2_INFO_LASTCODETYPE, &type) == 0 && type == 1 &&
	    pcre2_pattern_info(r->code, PCRE2_INFO_LASTCODEUNIT, &cu) == 0 && cu < 128 &&
	    !(((cu | 0x20) >= 'a') && ((cu | 0x20) <= 'z')))
		x->last = (int)cu;
	S_rpre_start(r, x);
}

/* What a rule of number.rules does (its key "kind"). */
enum { R_START, R_WORD, R_SKIP };

enum { N_CASE = 1, N_MONEY = 2, N_GLUED = 4 };

static int S_fold1(char c)
{
	unsigned char u = (unsigned char)(c | 0x20);
	return u >= 'a' && u <= 'z' ? u - 'a' : 26;
}

/* The bit of lex.quad for the letters a, b (first) and y, z (last). */
static inline uint32_t S_quad(int a, int b, int y, int z)
{
	return (uint32_t)(((a * 26 + b) * 676 + y * 26 + z) * 2654435761u) >> 19;
}

/* Adds the ends of f, a form as one of the folds has it, to the tests. */
static void S_tail_add(lex *x, const char *f, size_t n)
{
	if (n >= 1 && (unsigned char)f[0] < 0x80)
		x->lead[(unsigned char)f[0] >> 6] |= 1ull << (f[0] & 63);
	if (n < 2)
		return;
	int a = S_fold1(f[n - 2]), z = S_fold1(f[n - 1]);
	if (a < 26 && z < 26)
		x->tail[(a * 26 + z) / 32] |= 1u << ((a * 26 + z) % 32);
	int f0 = S_fold1(f[0]), f1 = S_fold1(f[1]);
	if (a < 26 && z < 26 && f0 < 26 && f1 < 26) {
		uint32_t q = S_quad(f0, f1, a, z);
		x->quad[q / 64] |= 1ull << (q % 64);
	}
}

static bool S_lex(lex *x, const warta_ruleset *rs, arena *a, const char *name)
{
	memset(x, 0, sizeof *x);
	x->wl = ruleset_list(rs, name);
	if (!x->wl)
		return true;
	size_t nr = x->wl->nrows;
	for (unsigned b = 0; b < 0x80; b++)
		if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || S_fold1((char)b) < 26)
			x->lead[b >> 6] |= 1ull << (b & 63);
	x->cap = 16;
	while (x->cap < nr * 2 + 2)
		x->cap *= 2;
	x->slot = arena_alloc(a, x->cap * sizeof(uint32_t));
	x->fold = arena_alloc(a, (nr + 1) * sizeof(char *));
	if (!x->slot || !x->fold)
		return false;
	for (size_t i = 0; i < nr; i++) {
		const char *w = x->wl->rows[i].cell[0];
		size_t n = strlen(w);
		uint32_t bits = n >= 31 ? 1u << 31 : 1u << n;
		if (strpbrk(w, " \t")) /* the text may hold longer runs of space */
			bits = ~(bits - 1);
		x->filt[S_fold1(w[0]) * 27 + (n > 1 ? S_fold1(w[1]) : 26)] |= bits;
		char buf[128];
		uint64_t hh;
		/* the forms a look-up compares: its own fold (wordlist_find) and
		 * the ASCII one of the table below */
		if (x->wl->fold[i])
			S_tail_add(x, x->wl->fold[i], x->wl->fold_len[i]);
		size_t fl = fold_ascii(w, n, buf, sizeof buf, &hh);
		if (fl == (size_t)-1)
			continue;
		S_tail_add(x, buf, fl);
		if (!(x->fold[i] = arena_strndup(a, buf, fl)))
			return false;
		size_t h = (size_t)hh & (x->cap - 1);
		while (x->slot[h]) {
			if (strcmp(x->fold[x->slot[h] - 1], buf) == 0)
				break; /* a repeated form: the first row wins, as in wordlist_find
				        */
			h = (h + 1) & (x->cap - 1);
		}
		if (!x->slot[h])
			x->slot[h] = (uint32_t)i + 1;
	}
	return true;
}
/* ------------------------------------------------------------ characters */

static bool S_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Returns the byte length of the letter at t[p], or 0 when it is no letter. */
static size_t S_letter(const char *t, size_t p, size_t hi)
{
	if (p >= hi)
		return 0;
	unsigned char c = (unsigned char)t[p];
	if (c < 0x80)
		return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? 1 : 0;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k =
	    utf8proc_iterate((const utf8proc_uint8_t *)t + p, (utf8proc_ssize_t)(hi - p), &cp);
	if (k <= 0)
		return 0;
	utf8proc_category_t cat = utf8proc_category(cp);
	bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_MC;
	return letter ? (size_t)k : 0;
}

/* Returns the byte length of a white space character at t[p] (NBSP too).
 * Inline: the window bounds ask it of every byte they pass. */
static inline size_t S_spacech(const char *t, size_t p, size_t hi)
{
	if (p >= hi)
		return 0;
	char c = t[p];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
		return 1;
	if ((unsigned char)c == 0xC2 && p + 1 < hi && (unsigned char)t[p + 1] == 0xA0)
		return 2;
	return 0;
}

/* Skips white space within a line (one line end at most: a blank line ends
 * any expression). */
static size_t S_space(const char *t, size_t p, size_t hi)
{
	int nl = 0;
	size_t k;
	while ((k = S_spacech(t, p, hi))) {
		if (t[p] == '\n' && ++nl > 1)
			break;
		p += k;
	}
	return p;
}

/* Returns the end of the word (letters, inner hyphens) starting at p. */
static size_t S_word(const char *t, size_t p, size_t hi)
{
	size_t k;
	while (p < hi) {
		if ((k = S_letter(t, p, hi)))
			p += k;
		else if (t[p] == '-' && S_letter(t, p + 1, hi) && p > 0)
			p++;
		else
			break;
	}
	return p;
}

/* Returns the end of the run of characters that are neither space nor digit. */
static size_t S_run(const char *t, size_t p, size_t hi)
{
	while (p < hi && !S_spacech(t, p, hi) && !S_digit(t[p]))
		p++;
	return p;
}

static bool S_has_need(const char *needs, const char *what)
{
	size_t n = strlen(what);
	for (const char *s = needs; (s = strstr(s, what)); s += n)
		if ((s == needs || s[-1] == ',' || s[-1] == ' ') && (s[n] == '\0' || s[n] == ','))
			return true;
	return false;
}

static bool S_all_caps(const char *s)
{
	bool upper = false;
	for (; *s; s++) {
		if (*s >= 'a' && *s <= 'z')
			return false;
		upper |= *s >= 'A' && *s <= 'Z';
	}
	return upper;
}

/* Looks (s, n) up in x ignoring case, ASCII through the table of x. */
static const tsv_row *S_lookup(const lex *x, const char *s, size_t n)
{
	char buf[128];
	uint64_t hh;
	size_t fl = fold_ascii(s, n, buf, sizeof buf, &hh);
	if (fl == (size_t)-1)
		return wordlist_find(x->wl, s, n);
	size_t h = (size_t)hh & (x->cap - 1);
	while (x->slot[h]) {
		const char *f = x->fold[x->slot[h] - 1];
		if (f && strcmp(f, buf) == 0)
			return &x->wl->rows[x->slot[h] - 1];
		h = (h + 1) & (x->cap - 1);
	}
	return NULL;
}

/* Says whether some form of x, by its first two bytes and its length, and
 * by its last two letters, may be (s, n), n > 0: the test that rejects
 * most words. */
static inline bool S_filt(const lex *x, const char *s, size_t n)
{
	uint32_t bit = n >= 31 ? 1u << 31 : 1u << n;
	if (!(x->filt[S_fold1(s[0]) * 27 + (n > 1 ? S_fold1(s[1]) : 26)] & bit))
		return false;
	if (n < 2)
		return true;
	int a = S_fold1(s[n - 2]), z = S_fold1(s[n - 1]);
	return a == 26 || z == 26 || (x->tail[(a * 26 + z) / 32] >> ((a * 26 + z) % 32) & 1);
}

/* The finer tests for a span that S_filt let through: its first byte
 * (lex.lead), its first and last two letters together (lex.quad). Apart,
 * so that S_filt stays small enough to be inlined. */
static bool S_filt_more(const lex *x, const char *s, size_t n)
{
	unsigned char c0 = (unsigned char)s[0];
	int f0 = S_fold1(s[0]);
	if (f0 == 26) /* the letters are all in lead */
		return c0 >= 0x80 || (x->lead[c0 >> 6] >> (c0 & 63) & 1);
	if (n < 2)
		return true;
	int f1 = S_fold1(s[1]), a = S_fold1(s[n - 2]), z = S_fold1(s[n - 1]);
	if ((f1 | a | z) >= 26)
		return true;
	uint32_t q = S_quad(f0, f1, a, z);
	return x->quad[q / 64] >> (q % 64) & 1;
}

static const tsv_row *S_find_slow(const lex *x, const char *s, size_t n)
{
	if (!S_filt_more(x, s, n))
		return NULL;
	const tsv_row *r = S_lookup(x, s, n);
	if (r && S_all_caps(r->cell[0]) && (strlen(r->cell[0]) != n || memcmp(r->cell[0], s, n)))
		return NULL;
	return r;
}

/* Looks (s, n) up in a list; a form in capitals matches only in capitals.
 * The pre-test is apart so that it is inlined in the callers, which try
 * many spans that it rejects. */
static inline const tsv_row *S_find(const lex *x, const char *s, size_t n)
{
	return x->wl && n && S_filt(x, s, n) ? S_find_slow(x, s, n) : NULL;
}

/* ------------------------------------------------------------ digits */

typedef struct digits {
	size_t end;
	double value;
	bool plain; /* only digits: a whole number as written */
} digits;

/* Reads a numeral in digits at p: "1.200.000", "2,5", "12.300,01", ",0012",
 * "1,524e+1". Returns 1, 0 when p holds none, -1 for a digit shape that is no
 * number ("1.2.3", "9/1", "10:30"); d->end is then the end of that shape. */
static int S_digits(const char *t, size_t p, size_t hi, digits *d)
{
	char buf[96];
	size_t o = 0, i = p;
	bool lead = t[i] == ',';
	if (lead)
		i++;
	if (i >= hi || !S_digit(t[i]))
		return 0;
	size_t ints = i;
	while (i < hi && S_digit(t[i]))
		i++;
	size_t intlen = i - ints;
	char sep[16];
	size_t gs[16], gl[16], ng = 0;
	while (i + 1 < hi && (t[i] == '.' || t[i] == ',') && S_digit(t[i + 1])) {
		if (ng == 16)
			return -1;
		sep[ng] = t[i];
		gs[ng] = ++i;
		while (i < hi && S_digit(t[i]))
			i++;
		gl[ng] = i - gs[ng];
		ng++;
	}
	d->end = i;
	if (i + 1 < hi && (t[i] == '/' || t[i] == ':') && S_digit(t[i + 1])) {
		while (i < hi && (S_digit(t[i]) || t[i] == '/' || t[i] == ':' || t[i] == '.'))
			i++;
		d->end = i;
		return -1;
	}
	/* Which separator is the decimal point: the last one, unless every group
	 * has three digits and they are all the same kind ("1.200.000", "1,000,000"),
	 * or one dot with three digits ("1.000": Indonesian thousands). */
	long dec = -1;
	if (lead) {
		if (ng)
			return -1;
	} else if (ng) {
		char last = sep[ng - 1];
		bool same = true, threes = intlen <= 3;
		for (size_t k = 0; k < ng; k++) {
			same &= sep[k] == sep[0];
			threes &= gl[k] == 3;
		}
		if (same && threes && (sep[0] == '.' || ng > 1))
			dec = -1;
		else if (same && ng == 1)
			dec = 0;
		else if (!same) {
			bool ok = intlen <= 3;
			for (size_t k = 0; k + 1 < ng; k++)
				ok &= sep[k] != last && sep[k] == sep[0] && gl[k] == 3;
			if (!ok)
				return -1;
			dec = (long)ng - 1;
		} else
			return -1;
	}
	if (intlen + 8 >= sizeof buf)
		return -1;
	memcpy(buf, t + ints, intlen);
	o = intlen;
	if (lead) {
		o = 0;
		buf[o++] = '0';
		buf[o++] = '.';
		memcpy(buf + o, t + ints, intlen);
		o += intlen;
	}
	for (size_t k = 0; k < ng; k++) {
		if (o + gl[k] + 2 >= sizeof buf - 8)
			return -1;
		if ((long)k == dec)
			buf[o++] = '.';
		memcpy(buf + o, t + gs[k], gl[k]);
		o += gl[k];
	}
	/* An exponent: "1,524e+1". */
	if (i + 1 < hi && (t[i] == 'e' || t[i] == 'E')) {
		size_t j = i + 1;
		if (j < hi && (t[j] == '+' || t[j] == '-'))
			j++;
		size_t es = j;
		while (j < hi && S_digit(t[j]) && j - es < 4)
			j++;
		if (j > es && !S_letter(t, j, hi) && !(j < hi && S_digit(t[j]))) {
			buf[o++] = 'e';
			memcpy(buf + o, t + i + 1, j - i - 1);
			o += j - i - 1;
			i = j;
			d->end = i;
		}
	}
	buf[o] = '\0';
	/* The common case: at most 15 digits and no exponent. Their integer
	 * (below 2^53) and the power of ten under it are exact, so the one
	 * division rounds as strtod does. */
	static const double p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	double v = 0;
	size_t nd = 0, frac = 0;
	bool point = false;
	for (size_t k = 0; k < o && nd <= 15; k++) {
		if (buf[k] == '.') {
			point = true;
			continue;
		}
		if (buf[k] == 'e')
			nd = 16;
		else {
			v = v * 10 + (buf[k] - '0');
			nd++;
			frac += point;
		}
	}
	d->value = nd <= 15 ? v / p10[frac] : strtod(buf, NULL);
	d->plain = !lead && ng == 0 && d->end == (size_t)(ints + intlen);
	return 1;
}

/* ------------------------------------------------------------ numerals */

enum wkind {
	W_NONE,
	W_UNIT,
	W_ATOM,
	W_TEEN,
	W_MULT,
	W_FRACTION,
	W_PER,
	W_POINT,
	W_SIGN,
	W_TIMES,
	W_POWER,
	W_SESCALE
};

static enum wkind S_wkind_parse(const char *k)
{
	static const char *const names[] = {"",    "unit",  "atom", "teen",  "mult",  "fraction",
	                                    "per", "point", "sign", "times", "power", "sescale"};
	for (size_t i = 1; i < sizeof names / sizeof *names; i++)
		if (strcmp(k, names[i]) == 0)
			return (enum wkind)i;
	return W_NONE;
}

/* Returns the kind of numwords row r (W_NONE for NULL) and its value. */
static enum wkind S_wkind(const lists *L, const tsv_row *r, double *v)
{
	if (!r)
		return W_NONE;
	size_t i = (size_t)(r - L->words.wl->rows);
	*v = L->wv[i];
	return (enum wkind)L->wk[i];
}

/* Looks up a word of numwords.tsv: its kind and value. */
static enum wkind S_numword(const lists *L, const char *s, size_t n, double *v)
{
	return S_wkind(L, S_find(&L->words, s, n), v);
}

static bool S_has_need(const char *needs, const char *what);
static void S_filter(lists *L);

/* Splits the classes cls (ncls of them) by the bit set s: a class with
 * bytes in and out of s gives those in s a class of their own. */
static void S_split(uint8_t *cls, unsigned *ncls, const uint8_t *s)
{
	unsigned in[256] = {0}, size[256] = {0}, to[256];
	for (unsigned b = 0; b < 256; b++) {
		size[cls[b]]++;
		in[cls[b]] += (s[b / 8] >> (b % 8)) & 1;
	}
	for (unsigned c = 0, n = *ncls; c < n; c++)
		to[c] = in[c] && in[c] < size[c] ? (*ncls)++ : c;
	for (unsigned b = 0; b < 256; b++)
		if ((s[b / 8] >> (b % 8)) & 1)
			cls[b] = (uint8_t)to[cls[b]];
}

/* The mask of the classes of the bytes of s. */
static uint64_t S_setmask(const lists *L, const uint8_t *s)
{
	uint64_t m = 0;
	for (unsigned b = 0; b < 256; b++)
		if ((s[b / 8] >> (b % 8)) & 1)
			m |= L->cmask[b];
	return m;
}

static void S_single(uint8_t *s, unsigned b)
{
	memset(s, 0, 32);
	s[b / 8] = (uint8_t)(1u << (b % 8));
}

/* The bit of the set of classes m among sets[0, *n) (added when new, and
 * its bit to csets), or 0 when there is no bit left for it. */
static uint64_t S_want(lists *L, uint64_t *sets, int *n, uint64_t m)
{
	for (int j = 0; j < *n; j++)
		if (sets[j] == m)
			return 1ull << j;
	if (*n == S_BOL)
		return 0;
	sets[*n] = m;
	for (int k = 0; k < 64; k++)
		if (m >> k & 1)
			L->csets[k] |= 1ull << *n;
	return 1ull << (*n)++;
}

/* Builds L->cmask from every set the window tests of the nr rules read,
 * and their masks. Exact while there are at most 64 classes (256 bytes
 * make at most 256: an id fits a byte). */
static void S_classes(lists *L, size_t nr)
{
	uint8_t cls[256] = {0}, one[32];
	unsigned ncls = 1;
	S_single(one, '\n');
	S_split(cls, &ncls, one);
	S_single(one, '\r');
	S_split(cls, &ncls, one);
	for (size_t i = 0; i < nr; i++) {
		const rpre *x = &L->pre[i];
		S_split(cls, &ncls, x->first);
		if (x->last >= 0) {
			S_single(one, (unsigned)x->last);
			S_split(cls, &ncls, one);
		}
		for (int a = 0; a < x->need.nalt; a++)
			for (int k = 0; k < x->need.alt[a].nset; k++)
				S_split(cls, &ncls, x->need.alt[a].set[k]);
	}
	for (unsigned b = 0; b < 256; b++)
		L->cmask[b] = 1ull << (L->cid[b] = (uint8_t)(cls[b] % 64));
	L->ncls = ncls < 64 ? ncls : 64;
	L->nlm = L->cmask['\n'] | L->cmask['\r'];
	/* The tests of a rule (first byte, last byte, reqbytes_may() over the
	 * classes) as one conjunction per alternative of sets of classes that
	 * the window must meet: each distinct set is given a bit, and a
	 * window's sets are then those of the classes it holds (csets), found
	 * once for all rules. A set past the bits there are is left out of the
	 * test, which only makes it weaker. */
	uint64_t sets[S_BOL];
	int nsets = 0;
	for (size_t i = 0; i < nr; i++) {
		rpre *x = &L->pre[i];
		x->firstm = S_setmask(L, x->first);
		uint64_t base = S_want(L, sets, &nsets, x->firstm);
		if (x->last >= 0)
			base |= S_want(L, sets, &nsets, L->cmask[x->last]);
		x->want[0] = base;
		for (int a = 0; a < x->need.nalt; a++) {
			uint64_t w = base | (x->need.alt[a].bol ? 1ull << S_BOL : 0);
			for (int k = 0; k < x->need.alt[a].nset; k++)
				w |= S_want(L, sets, &nsets, S_setmask(L, x->need.alt[a].set[k]));
			x->want[a] = w;
		}
		for (int a = x->need.nalt > 1 ? x->need.nalt : 1; a < 4; a++)
			x->want[a] = x->want[0];
	}
}

/* Prepares the lists of rs (arrays in arena a). */
static bool S_lists(const warta_ruleset *rs, arena *a, lists *L)
{
	memset(L, 0, sizeof *L);
	if (!S_lex(&L->words, rs, a, "numwords") || !S_lex(&L->scales, rs, a, "scales") ||
	    !S_lex(&L->curs, rs, a, "currencies") || !S_lex(&L->quals, rs, a, "qualifiers") ||
	    !S_lex(&L->skipw, rs, a, "numskip"))
		return false;
#define COL(x, c) ((x).wl ? wordlist_col((x).wl, c) : -1)
	L->w_kind = COL(L->words, "kind");
	L->w_value = COL(L->words, "value");
	L->s_value = COL(L->scales, "value");
	L->s_needs = COL(L->scales, "needs");
	L->c_code = COL(L->curs, "code");
	L->c_where = COL(L->curs, "where");
	L->c_kind = COL(L->curs, "kind");
	L->q_before = COL(L->quals, "before");
	L->q_between = COL(L->quals, "between");
	L->k_before = COL(L->skipw, "before");
	L->k_after = COL(L->skipw, "after");
#undef COL
	size_t nw = L->words.wl ? L->words.wl->nrows : 0;
	size_t ns = L->scales.wl ? L->scales.wl->nrows : 0;
	L->wk = arena_alloc(a, nw + 1);
	L->wv = arena_alloc(a, (nw + 1) * sizeof(double));
	L->sv = arena_alloc(a, (ns + 1) * sizeof(double));
	L->sn = arena_alloc(a, ns + 1);
	if (!L->wk || !L->wv || !L->sv || !L->sn)
		return false;
	for (size_t i = 0; i < nw; i++) {
		const tsv_row *r = &L->words.wl->rows[i];
		L->wk[i] = (uint8_t)S_wkind_parse(tsv_cell(r, L->w_kind));
		L->wv[i] = strtod(tsv_cell(r, L->w_value), NULL);
	}
	for (size_t i = 0; i < ns; i++) {
		const tsv_row *r = &L->scales.wl->rows[i];
		const char *needs = tsv_cell(r, L->s_needs);
		L->sv[i] = strtod(tsv_cell(r, L->s_value), NULL);
		L->sn[i] = (uint8_t)((S_has_need(needs, "case") ? N_CASE : 0) |
		                     (S_has_need(needs, "money") ? N_MONEY : 0) |
		                     (S_has_need(needs, "glued") ? N_GLUED : 0));
	}
	S_filter(L);
	L->rf = ruleset_rules(rs, "number");
	size_t nr = L->rf ? L->rf->n : 0;
	if (!(L->rkind = arena_alloc(a, nr + 1)) ||
	    !(L->skipg = arena_alloc(a, (nr + 1) * sizeof(int32_t))))
		return false;
	if (!(L->pre = arena_alloc(a, (nr + 1) * sizeof(rpre))))
		return false;
	for (size_t i = 0; i < nr; i++) {
		S_rpre(&L->rf->rules[i], &L->pre[i]);
		const char *k = rule_attr_get(&L->rf->rules[i], "kind");
		/* what rule_group(m, "skip", ...) would find at every match */
		L->skipg[i] = L->rf->rules[i].code ? pcre2_substring_number_from_name(
		                                         L->rf->rules[i].code, (PCRE2_SPTR) "skip")
		                                   : -1;
		L->rkind[i] = !k                       ? R_START
		              : strcmp(k, "skip") == 0 ? R_SKIP
		              : strcmp(k, "word") == 0 ? R_WORD
		                                       : R_START;
	}
	for (int zt = 0; zt < Z__COUNT; zt++)
		for (int w = 0; w < 2; w++) {
			if (!(L->run[zt][w] = arena_alloc(a, (nr + 1) * sizeof(uint32_t))))
				return false;
			for (size_t i = 0; i < nr; i++) {
				const rule *r = &L->rf->rules[i];
				if ((r->zones & (1u << zt)) && r->code &&
				    (L->rkind[i] == R_WORD) == w)
					L->run[zt][w][L->nrun[zt][w]++] = (uint32_t)i;
			}
		}
	S_classes(L, nr);
	return true;
}

/* Returns the multiplier of the scale word (s, n), or 0 when it is none or
 * its conditions (scales.tsv "needs") do not hold; sets *moneyless when it
 * is a scale that only money allows and money is false. */
static double S_scale(const lists *L, const char *s, size_t n, bool glued, bool money,
                      bool *moneyless)
{
	/* Case is the list's "needs case", not the capitals rule of S_find(). */
	const lex *x = &L->scales;
	if (!x->wl || !n || !S_filt(x, s, n) || !S_filt_more(x, s, n))
		return 0;
	const tsv_row *r = S_lookup(x, s, n);
	if (!r)
		return 0;
	size_t i = (size_t)(r - x->wl->rows);
	if ((L->sn[i] & N_CASE) && (strlen(r->cell[0]) != n || memcmp(r->cell[0], s, n)))
		return 0;
	if ((L->sn[i] & N_MONEY) && !money) {
		*moneyless = true;
		return 0;
	}
	if ((L->sn[i] & N_GLUED) && !glued)
		return 0;
	return L->sv[i];
}

typedef struct numeral {
	size_t start, end;
	double value;
	double scale; /* the largest scale applied, 0 when none */
	bool plain;   /* one whole number in digits, nothing else */
	bool glued;   /* letters follow the digits directly ("20Rp", "150km") */
	/* a scale was refused for want of money ("3 M"): only then can a read
	 * with money go further */
	bool moneyless;
} numeral;

/* The numeral grammar. A number is read as complete groups (each times a
 * scale: ribu, juta ...) plus the group being read. Inside a group `room`
 * is what the next added piece must stay below: 1000 at its start, 100
 * after "X ratus", 10 after "X puluh", 0 after a unit or a teen; a bare unit
 * may still be turned into a teen, tens, hundreds or a fraction by the word
 * after it. Returns false when no numeral starts at p. */
static bool S_numeral(const lists *L, const char *t, size_t p, size_t hi, bool money, bool sub,
                      numeral *out)
{
	double total = 0, group = 0, piece = 0, last_scale = INFINITY, room = 1000, room_before = 0;
	double sign = 1, top = 0;
	bool have = false, ingroup = false, bare = false, frac = false, decimal = false;
	bool plain = false, glued = false, moneyless = false;
	size_t end = p, q = p;
	int ntok = 0;
	memset(out, 0, sizeof *out);
	out->start = p;
	/* A sign in symbols: "-1.200.000", "- 1.200.000", "−5". */
	if (!sub && q < hi &&
	    (t[q] == '-' || (q + 2 < hi && memcmp(t + q, "\xE2\x88\x92", 3) == 0))) {
		size_t r = q + (t[q] == '-' ? 1 : 3);
		bool apart = r < hi && t[r] == ' ';
		r += apart;
		if (r < hi && (S_digit(t[r]) || (t[r] == ',' && r + 1 < hi && S_digit(t[r + 1])))) {
			/* A dash apart from plain digits is a bullet or a separator
			 * ("- 1 unit", "101 - 100"); apart from a written-out amount
			 * ("- 1.200.000") it is a sign. */
			digits d;
			if (apart && S_digits(t, r, hi, &d) == 1 && d.plain)
				out->start = r;
			else
				sign = -1;
			q = r;
		}
	}
	for (;;) {
		if (ntok) {
			q = S_space(t, end, hi);
			if (q == end || q >= hi)
				break;
		}
		if (q >= hi)
			break;
		if (S_digit(t[q]) || (!have && t[q] == ',')) {
			digits d = {0};
			int rc = S_digits(t, q, hi, &d);
			if (rc <= 0) {
				if (!have && rc < 0)
					out->end = d.end; /* tells the caller what to step over */
				break;
			}
			bool whole = d.plain && d.value < 1000;
			if (!have) {
				group = piece = d.value;
				bare = d.plain && d.value < 10;
				room_before = 1000;
				room = 0;
				plain = d.plain;
			} else if (!ingroup && whole && room == 1000) {
				group = piece = d.value; /* after a scale: "9 ratus 90 ribu 2" */
				bare = d.value < 10;
				room_before = 1000;
				room = 0;
			} else if (ingroup && whole && !bare && d.value > 0 && d.value < room) {
				group += d.value; /* after "ratus" */
				piece = d.value;
				room = 0;
			} else
				break;
			have = ingroup = true;
			end = d.end;
			ntok++;
			size_t we = S_word(t, end, hi);
			if (we > end) { /* letters right after the digits */
				double s = S_scale(L, t + end, we - end, true, money, &moneyless);
				if (s > 0) {
					total = s < last_scale ? total + group * s
					                       : (total + group) * s;
					if (top == 0)
						top = s;
					last_scale = s;
					group = 0;
					ingroup = bare = false;
					room = 1000;
					end = we;
					plain = false;
				} else {
					glued = true;
					break;
				}
			}
			continue;
		}
		size_t we = S_word(t, q, hi);
		if (we == q)
			break;
		double v = 0;
		enum wkind k = S_numword(L, t + q, we - q, &v);
		bool ok = true;
		switch (k) {
		case W_UNIT:
			ok = v < room && (v > 0 || !have);
			if (ok) {
				room_before = room;
				group += v;
				piece = v;
				bare = true;
				room = 0;
			}
			break;
		case W_ATOM:
			ok = v < room;
			if (ok) {
				group += v;
				piece = v;
				bare = false;
				room = v >= 100 ? 100 : 0;
			}
			break;
		case W_TEEN:
			ok = bare && piece >= 1 && piece + v < room_before;
			if (ok) {
				group += v;
				bare = false;
				room = 0;
			}
			break;
		case W_MULT:
			ok = bare && piece >= 1 && piece * v < room_before;
			if (ok) {
				group += piece * (v - 1);
				bare = false;
				room = v;
			}
			break;
		case W_FRACTION:
			if (!have) {
				group = piece = v;
				room = 0;
			} else
				ok = ingroup && room == 0 && !frac && !decimal &&
				     floor(group) == group;
			if (ok && have)
				group += v;
			frac = ok;
			bare = false;
			break;
		case W_PER:
			ok = bare && v > 0;
			if (ok) {
				group += piece / v - piece;
				bare = false;
				room = 0;
				frac = true;
			}
			break;
		case W_POINT: {
			ok = have && ingroup && !decimal && !frac && floor(group) == group;
			if (!ok)
				break;
			/* Digit words after "koma", one by one: "sembilan koma nol tujuh enam". */
			double scale = 0.1, add = 0;
			size_t r = we, last = 0;
			for (;;) {
				size_t s = S_space(t, r, hi);
				if (s == r)
					break;
				size_t e = S_word(t, s, hi);
				double dv = 0;
				if (e == s || S_numword(L, t + s, e - s, &dv) != W_UNIT)
					break;
				add += dv * scale;
				scale /= 10;
				r = last = e;
			}
			ok = last > 0;
			if (ok) {
				group += add;
				we = last;
				decimal = true;
				bare = false;
				room = 0;
			}
			break;
		}
		case W_SIGN:
			ok = !have && sign > 0 && ntok == 0 && !sub;
			if (ok)
				sign = v < 0 ? -1 : 1;
			break;
		case W_SESCALE:
			ok = !ingroup && v < last_scale;
			if (ok) {
				total += v;
				if (top == 0)
					top = v;
				last_scale = v;
				room = 1000;
			}
			break;
		case W_TIMES: {
			/* "X kali sepuluh pangkat [negatif] Y": X * 10^Y. */
			ok = have && !sub;
			numeral base, ex;
			size_t r = S_space(t, we, hi);
			if (!ok || r == we || !S_numeral(L, t, r, hi, false, true, &base)) {
				ok = false;
				break;
			}
			r = S_space(t, base.end, hi);
			size_t e = S_word(t, r, hi);
			double dv;
			if (e == r || S_numword(L, t + r, e - r, &dv) != W_POWER) {
				ok = false;
				break;
			}
			double esign = 1;
			r = S_space(t, e, hi);
			e = S_word(t, r, hi);
			if (e > r && S_numword(L, t + r, e - r, &dv) == W_SIGN) {
				esign = dv < 0 ? -1 : 1;
				r = S_space(t, e, hi);
			}
			if (!S_numeral(L, t, r, hi, false, true, &ex)) {
				ok = false;
				break;
			}
			/* "0 kali 0 pangkat min 1" is 0 * inf: no number */
			total = (total + group) * pow(base.value, esign * ex.value);
			if (!isfinite(total)) {
				ok = false;
				break;
			}
			group = 0;
			ingroup = false;
			we = ex.end;
			room = 0;
			break;
		}
		case W_POWER: ok = false; break;
		case W_NONE: {
			double s =
			    ingroup ? S_scale(L, t + q, we - q, false, money, &moneyless) : 0;
			ok = s > 0;
			if (ok) {
				total = s < last_scale ? total + group * s : (total + group) * s;
				if (top == 0)
					top = s;
				last_scale = s;
				group = 0;
				ingroup = bare = false;
				room = 1000;
			}
			break;
		}
		}
		if (!ok)
			break;
		if (k != W_SIGN) {
			if (k == W_UNIT || k == W_ATOM || k == W_FRACTION)
				ingroup = true;
			if (k == W_SESCALE || k == W_TIMES)
				ingroup = false;
			have = true;
		}
		plain = false;
		end = we;
		ntok++;
	}
	if (!have || !isfinite(total + group))
		return false;
	out->end = end;
	out->value = sign * (total + group);
	out->scale = top;
	out->plain = plain && sign > 0;
	out->glued = glued;
	out->moneyless = moneyless;
	return true;
}

/* ------------------------------------------------------------ around */

typedef struct cur {
	size_t start, end;
	const char *code; /* ISO 4217, or NULL for percent and minor units */
	char kind;        /* 'm' money, 'p' percent, 's' minor unit ("sen") */
} cur;

/* Finds the longest currency or percent form (currencies.tsv) that starts
 * at p and may stand on side `where` ("before" or "after"): one run of
 * non-space characters or part of it ("Rp" of "Rp4.150", "US$"), or up to
 * three words ("dolar Amerika Serikat"). */
static bool S_cur_at(const lists *L, const char *t, size_t p, size_t hi, const char *where, cur *c)
{
	if (!L->curs.wl || p >= hi)
		return false;
	/* Every form tried begins at p: most places fail the pre-test of S_find
	 * for every length, and those of one byte for every form longer. */
	const uint32_t *row = L->curs.filt + S_fold1(t[p]) * 27;
	uint32_t longer = p + 1 < hi ? row[S_fold1(t[p + 1])] : 0;
	if (!longer && !(row[26] & 2))
		return false;
	size_t ends[24], ne = 0;
	size_t run = S_run(t, p, hi);
	/* Multi-word forms first (longest), then every prefix of the first run.
	 * The former are two bytes longer than the run at least, which the
	 * forms that begin as the run does seldom are ("persen", "rupiah"). */
	size_t e = run, w2 = 0, w3 = 0, least = run - p + 2;
	size_t s2 = longer >> (least < 31 ? least : 31) ? S_space(t, e, hi) : e;
	if (s2 > e && (w2 = S_word(t, s2, hi)) > s2) {
		size_t s3 = S_space(t, w2, hi);
		if (s3 > w2 && (w3 = S_word(t, s3, hi)) > s3)
			ends[ne++] = w3;
		ends[ne++] = w2;
	}
	if (run > p)
		ends[ne++] = run;
	/* Prefixes of a short run: "Rp" of "Rp4.150", "$" of "$10-$20". */
	for (size_t k = run - 1; run > p && k > p && ne < 24 && run - p <= 12; k--)
		if (((unsigned char)t[k] & 0xC0) != 0x80) /* whole characters */
			ends[ne++] = k;
	for (size_t i = 0; i < ne; i++) {
		size_t k = ends[i];
		if (!S_filt(&L->curs, t + p, k - p))
			continue;
		/* A form ending in a letter must end its word ("20 Euro", not "dolarnya"). */
		if (k < hi && S_letter(t, k, hi) && S_letter(t, k - 1, hi))
			continue;
		const tsv_row *r = S_find(&L->curs, t + p, k - p);
		if (!r)
			continue;
		const char *w = tsv_cell(r, L->c_where);
		if (strcmp(w, "both") != 0 && strcmp(w, where) != 0)
			continue;
		const char *kind = tsv_cell(r, L->c_kind);
		const char *code = tsv_cell(r, L->c_code);
		c->start = p;
		c->end = k;
		c->kind = kind[0] == 'p' ? 'p' : kind[0] == 'm' && kind[1] == 'i' ? 's' : 'm';
		c->code = c->kind == 'm' && code[0] ? code : NULL;
		return true;
	}
	return false;
}

/* The (up to four) words right before a place, nearest first: where the
 * lists of words before a number are looked up. */
typedef struct before {
	size_t ws[4], n, wend;
} before;

/* The bytes that end a word for S_before: space, tab, line end. */
static const uint8_t S_gap[256] = {['\t'] = 1, ['\n'] = 1, [' '] = 1};

/* Fills *w with the words before s0 (none when a word touches s0). */
static void S_before(const char *t, size_t lo, size_t s0, before *w)
{
	size_t *ws = w->ws, n = 0, p = s0, wend = 0;
	w->n = 0;
	while (n < 4) {
		size_t q = p;
		while (q > lo && (t[q - 1] == ' ' || t[q - 1] == '\t'))
			q--;
		if (q == p && n == 0 && p > lo && t[p - 1] != '\n')
			return; /* the word before touches the number */
		if (q == p || q == lo)
			break;
		size_t b = q;
		while (b > lo && !S_gap[(unsigned char)t[b - 1]])
			b--;
		if (n == 0)
			wend = q;
		ws[n++] = b;
		p = b;
	}
	w->n = n;
	w->wend = wend;
}

/* Returns the longest phrase of the list x among the words w whose column
 * col is not empty, and sets *start to its start. */
static const tsv_row *S_phrase_before(const lex *x, int col, const char *t, const before *w,
                                      size_t *start)
{
	if (!x->wl)
		return NULL;
	for (size_t i = w->n; i-- > 0;) {
		const tsv_row *r = S_find(x, t + w->ws[i], w->wend - w->ws[i]);
		if (r && tsv_cell(r, col)[0]) {
			*start = w->ws[i];
			return r;
		}
	}
	return NULL;
}

/* Finds the word joining two ends of a range at p ("-", "hingga", "s.d.");
 * returns its end, or 0. `opened` says a range opener ("antara") came before. */
static size_t S_between(const lists *L, const char *t, size_t p, size_t hi, bool opened)
{
	if (p >= hi || !L->quals.wl)
		return 0;
	size_t ends[3], ne = 0;
	size_t e1 = S_run(t, p, hi);
	if (e1 == p)
		return 0;
	size_t s2 = S_space(t, e1, hi);
	size_t e2 = s2 > e1 ? S_word(t, s2, hi) : s2;
	if (e2 > s2)
		ends[ne++] = e2;
	ends[ne++] = e1;
	/* A dash may touch the number after it: "10-15", "$10-$20". */
	size_t dash =
	    t[p] == '-' ? 1
	    : (p + 2 < hi && (unsigned char)t[p] == 0xE2 && (unsigned char)t[p + 1] == 0x80 &&
	       ((unsigned char)t[p + 2] == 0x93 || (unsigned char)t[p + 2] == 0x94))
	        ? 3
	        : 0;
	if (dash)
		ends[ne++] = p + dash;
	for (size_t i = 0; i < ne; i++) {
		const tsv_row *r = S_find(&L->quals, t + p, ends[i] - p);
		const char *b = tsv_cell(r, L->q_between);
		if (strcmp(b, "any") == 0 || (opened && strcmp(b, "range") == 0))
			return ends[i];
	}
	return 0;
}

/* Says whether numskip.tsv makes the numeral n no quantity: the words wb
 * before it (unless NULL), the word after it when `after`. */
static bool S_skip_word(const lists *L, const char *t, size_t hi, const numeral *n,
                        const before *wb, bool after)
{
	if (!L->skipw.wl)
		return false;
	bool year = n->plain && n->value >= 1900 && n->value <= 2100;
	bool day = n->plain && n->value >= 1 && n->value <= 31;
	if (wb) {
		size_t s;
		const tsv_row *r = S_phrase_before(&L->skipw, L->k_before, t, wb, &s);
		const char *w = tsv_cell(r, L->k_before);
		if (strcmp(w, "any") == 0 || (year && strcmp(w, "year") == 0) ||
		    (day && strcmp(w, "day") == 0))
			return true;
	}
	if (after) {
		size_t s = S_space(t, n->end, hi);
		size_t e = S_run(t, s, hi);
		while (e > s && strchr(".,;:)!?", t[e - 1]))
			e--;
		if (s > n->end && e > s) {
			const tsv_row *r = S_find(&L->skipw, t + s, e - s);
			const char *w = tsv_cell(r, L->k_after);
			if (strcmp(w, "any") == 0 || (year && strcmp(w, "year") == 0) ||
			    (day && strcmp(w, "day") == 0))
				return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------ expressions */

/* One end of a quantity: [currency] numeral [currency | percent]. */
typedef struct part {
	size_t start, end;
	numeral n;
	const char *code;
	bool money, percent;
	bool before; /* the currency came before the numeral */
} part;

/* Reads a part at p; `anchor_cur` allows a currency before the numeral. */
static bool S_part(const lists *L, const char *t, size_t p, size_t hi, part *pt)
{
	memset(pt, 0, sizeof *pt);
	pt->start = p;
	cur c;
	size_t q = p;
	if (S_cur_at(L, t, p, hi, "before", &c) && c.kind == 'm') {
		q = c.end;
		while (q < hi && (t[q] == ' ' || t[q] == '\t'))
			q++;
		if (q >= hi || !(S_digit(t[q]) || t[q] == '-' || t[q] == ',' || S_letter(t, q, hi)))
			return false;
		pt->code = c.code;
		pt->money = pt->before = true;
	}
	if (!S_numeral(L, t, q, hi, pt->money, false, &pt->n))
		return false;
	if (!pt->before)
		pt->start = pt->n.start; /* past a dash that was no sign */
	pt->end = pt->n.end;
	size_t s = pt->n.glued ? pt->n.end : S_space(t, pt->n.end, hi);
	if (!pt->money && S_cur_at(L, t, s, hi, "after", &c) && c.kind != 's') {
		pt->end = c.end;
		pt->code = c.code;
		pt->percent = c.kind == 'p';
		pt->money = c.kind == 'm';
	} else if (!pt->money && !pt->n.glued && pt->n.moneyless) {
		/* "Rp 3 M" needs the money context; so does "3 M rupiah". */
		numeral m;
		if (S_numeral(L, t, q, hi, true, false, &m) && m.end > pt->n.end) {
			s = S_space(t, m.end, hi);
			if (S_cur_at(L, t, s, hi, "after", &c) && c.kind == 'm') {
				pt->n = m;
				pt->end = c.end;
				pt->code = c.code;
				pt->money = true;
			}
		}
	}
	/* Cents after the amount: "seribu lima ratus dolar lima puluh sen". */
	if (pt->money && !pt->before && pt->end > pt->n.end) {
		numeral cn;
		s = S_space(t, pt->end, hi);
		if (s > pt->end && S_numeral(L, t, s, hi, false, true, &cn) && cn.value < 100) {
			size_t s2 = S_space(t, cn.end, hi);
			if (S_cur_at(L, t, s2, hi, "after", &c) && c.kind == 's') {
				pt->n.value += cn.value / 100;
				pt->end = c.end;
			}
		}
	}
	/* Digits glued to a capital that is no scale or currency make a model
	 * name or a code ("Pegasus 4S", "6D"), not a quantity; "150km" stays. */
	if (pt->n.glued && pt->end == pt->n.end && pt->n.end < hi && t[pt->n.end] >= 'A' &&
	    t[pt->n.end] <= 'Z')
		return false;
	return true;
}

typedef struct span {
	uint32_t start, end;
	const rule *r;
} span;

typedef struct collect {
	VEC(span) starts;
	VEC(span) skips;
	bool oom;
	/* bit i: rule i of number.rules is known to be ready (rule_ready) */
	uint64_t ready;
} collect;

static int S_rule_cb(warta_doc *doc, const rule_match *m, int kind, int32_t skipg, collect *c)
{
	size_t s = m->start, e = m->end;
	span *sp = NULL;
	if (kind == R_SKIP) {
		(void)rule_group_at(m, skipg, &s, &e);
		sp = VEC_PUSH(&doc->a, c->skips);
	} else
		sp = VEC_PUSH(&doc->a, c->starts);
	if (!sp) {
		c->oom = true;
		return 1;
	}
	sp->start = (uint32_t)s;
	sp->end = (uint32_t)e;
	sp->r = m->r;
	return 0;
}

static int S_span_cmp(const void *a, const void *b)
{
	const span *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->r < y->r ? -1 : x->r > y->r; /* rule order breaks ties */
}

/* Sorts the start spans of a document as S_span_cmp orders them. They come
 * a window at a time, each rule's in text order, and are few: an
 * insertion sort, inline, costs a fraction of qsort's calls of the
 * comparison. Spans it leaves in another order than qsort would are equal
 * in start and rule, all that S_quantity reads of them. */
static void S_sort_starts(span *v, size_t n)
{
	if (n > 64) {
		sort_unless_sorted(v, n, sizeof(span), S_span_cmp);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		span x = v[i];
		size_t j = i;
		while (j > 0 && (v[j - 1].start > x.start ||
		                 (v[j - 1].start == x.start && v[j - 1].r > x.r))) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/* Says whether [s, e) overlaps a skip span (sorted by start). */
static bool S_skipped(const collect *c, size_t s, size_t e)
{
	size_t lo = 0, hi = c->skips.n;
	while (lo < hi) { /* first span starting at or after e */
		size_t mid = (lo + hi) / 2;
		if (c->skips.v[mid].start < e)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo, n = 0; k-- > 0 && n < 16; n++)
		if (c->skips.v[k].end > s)
			return true;
	return false;
}

/* Returns the end of the zone holding byte `at`. */
static size_t S_zone_bounds(const warta_doc *doc, size_t at, size_t *lo)
{
	for (size_t a = 0, b = doc->zones.n; a < b;) {
		size_t mid = (a + b) / 2;
		const zone *z = &doc->zones.v[mid];
		if (at < z->start)
			b = mid;
		else if (at >= z->end)
			a = mid + 1;
		else {
			*lo = z->start;
			return z->end;
		}
	}
	*lo = 0;
	return doc->len;
}

/* Reads the whole quantity that may start at `at` and appends it. Returns
 * the end of what it read (0 when nothing starts there), or (size_t)-1 when
 * out of memory. */
static size_t S_quantity(warta_doc *doc, const lists *L, const collect *c, const span *a)
{
	const char *t = doc->text;
	size_t lo, hi = S_zone_bounds(doc, a->start, &lo);
	part p1, p2;
	if (!S_part(L, t, a->start, hi, &p1)) {
		return p1.n.end > a->start ? p1.n.end : 0;
	}
	/* Without a currency before it, p1 starts at its numeral: the words
	 * before are those of both look-ups. */
	before wb;
	S_before(t, lo, p1.start, &wb);
	/* A currency before the numeral outweighs a skip rule ("Rp 2000"). */
	if ((!p1.before && S_skipped(c, p1.n.start, p1.n.end)) ||
	    S_skip_word(L, t, hi, &p1.n, p1.before ? NULL : &wb, !p1.money && !p1.percent))
		return p1.end;
	/* The qualifier before: "sekitar", "lebih dari", "antara". */
	size_t qs = p1.start;
	const tsv_row *qr = S_phrase_before(&L->quals, L->q_before, t, &wb, &qs);
	const char *qk = tsv_cell(qr, L->q_before);
	/* A second end: "10-15 ribu", "antara 10 dan 15", "$10-$20". */
	bool range = false;
	size_t s = S_space(t, p1.end, hi);
	size_t b = S_between(L, t, s, hi, strcmp(qk, "range") == 0);
	if (b && S_part(L, t, S_space(t, b, hi), hi, &p2) && !p2.n.glued &&
	    (!p1.code || !p2.code || strcmp(p1.code, p2.code) == 0) && !(p1.percent && p2.money) &&
	    !(p1.money && p2.percent) && !S_skipped(c, p2.n.start, p2.n.end)) {
		double low = p1.n.value, high = p2.n.value;
		if (p1.n.scale == 0 && p2.n.scale > 0 && low * p2.n.scale <= high)
			low *= p2.n.scale; /* "10-15 ribu": the scale counts for both */
		if (low < high && low >= 0) {
			range = true;
			p1.n.value = low;
			p2.n.value = high;
		}
	}
	if (strcmp(qk, "range") == 0 && !range) {
		qr = NULL;
		qk = "";
		qs = p1.start;
	}
	if (!qr)
		qs = p1.start;
	number *nb = VEC_PUSH(&doc->a, doc->numbers);
	if (!nb)
		return (size_t)-1;
	nb->start = (uint32_t)qs;
	nb->end = (uint32_t)(range ? p2.end : p1.end);
	nb->vstart = (uint32_t)p1.n.start;
	nb->vend = (uint32_t)(range ? p2.n.end : p1.n.end);
	nb->low = nb->high = NAN;
	nb->value = range ? p2.n.value : p1.n.value;
	nb->currency = p1.code ? p1.code : range ? p2.code : NULL;
	nb->percent = p1.percent || (range && p2.percent);
	nb->approx = strcmp(qk, "approx") == 0;
	if (range) {
		nb->qual = Q_RANGE;
		nb->low = p1.n.value;
		nb->high = p2.n.value;
	} else if (strcmp(qk, "lower") == 0) {
		nb->qual = Q_LOWER;
		nb->low = nb->value;
	} else if (strcmp(qk, "upper") == 0) {
		nb->qual = Q_UPPER;
		nb->high = nb->value;
	} else if (nb->approx)
		nb->qual = Q_APPROX;
	nb->rule = a->r;
	nb->zone = doc_zone_at(doc, nb->vstart);
	int sent = doc_sent_at(doc, nb->vstart);
	nb->sent = sent < 0 ? 0 : (uint32_t)sent;
	return nb->end;
}

/* ------------------------------------------------------------ windows */

/* The rules of number.rules run only in windows around the places a
 * quantity can be: a run of digits or a word of numwords.tsv that may begin
 * a numeral, with one token on either side (for "Rp", "ke-", "WIB"). The
 * cheap test keeps the regexes off most of the text: a word is looked up
 * only when its first two letters and its length fit some list word. */
static bool S_start_kind(enum wkind k)
{
	return k == W_UNIT || k == W_ATOM || k == W_FRACTION || k == W_SIGN || k == W_SESCALE;
}

static int S_az(char c)
{
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'z' ? c - 'a' : -1;
}

static void S_filter(lists *L)
{
	for (size_t i = 0; L->words.wl && i < L->words.wl->nrows; i++) {
		const tsv_row *r = &L->words.wl->rows[i];
		double v;
		const char *w = r->cell[0];
		size_t n = strlen(w);
		if (!S_start_kind(S_wkind(L, r, &v)))
			continue;
		/* folded as S_find folds a word of the text before it compares */
		char f[32];
		uint64_t h;
		size_t fl = fold_ascii(w, n, f, sizeof f, &h);
		if (fl != (size_t)-1 && fl >= 2 && fl <= 15 && S_az(f[fl - 2]) >= 0 &&
		    S_az(f[fl - 1]) >= 0)
			L->endf[S_az(f[fl - 2]) * 26 + S_az(f[fl - 1])] |= (uint16_t)(1u << fl);
		if (n < 2 || n > 15)
			continue;
		int a = S_az(w[0]), b = S_az(w[1]);
		if (a >= 0 && b >= 0)
			L->startf[a * 26 + b] |= (uint16_t)(1u << n);
	}
	for (unsigned b0 = 'A'; b0 <= 'z'; b0++)
		for (unsigned b1 = 'A'; b1 <= 'z'; b1++)
			if (S_az((char)b0) >= 0 && S_az((char)b1) >= 0 &&
			    L->startf[S_az((char)b0) * 26 + S_az((char)b1)]) {
				unsigned char two[2] = {(unsigned char)b0, (unsigned char)b1};
				uint16_t i;
				memcpy(&i, two, 2);
				L->start2[i] = 1;
			}
}

/* Runs over text[ws, we) every rule of number.rules that may run in zone
 * type zt: the "word" rules when `words`, the others when not. */
static int S_window(warta_doc *doc, const lists *L, zone_type zt, size_t ws, size_t we, bool words,
                    collect *c)
{
	const rulefile *rf = L->rf;
	const char *t = doc->text;
	const uint32_t *run = L->run[zt][words];
	size_t nrun = L->nrun[zt][words];
	uint64_t h = 0; /* the classes of the window's bytes */
	/* In a window of up to 64 bytes, the places of each class present
	 * (bit p - ws of pos[k] for class k): the places where a rule's match
	 * may begin are then found a word at a time (S_window_start). */
	uint64_t pos[64];
	bool bits = we - ws <= 64;
	if (bits) {
		memset(pos, 0, L->ncls * sizeof *pos);
		const unsigned char *u = (const unsigned char *)t + ws;
		uint64_t bit = 1;
		for (size_t n = we - ws, p = 0; p < n; p++, bit <<= 1) {
			pos[L->cid[u[p]]] |= bit;
			h |= L->cmask[u[p]];
		}
	} else
		for (size_t p = ws; p < we; p++)
			h |= L->cmask[(unsigned char)t[p]];
	/* a line may start in it (newline conventions LF, CR, CRLF, ANYCRLF) */
	bool bol = ws == 0 || t[ws - 1] == '\n' || t[ws - 1] == '\r' || (h & L->nlm);
	uint64_t has = bol ? 1ull << S_BOL : 0; /* the sets the window meets */
	for (uint64_t k = h; k; k &= k - 1)
		has |= L->csets[__builtin_ctzll(k)];
	for (size_t j = 0; j < nrun; j++) {
		size_t i = run[j];
		const rpre *x = &L->pre[i];
		const uint64_t *w = x->want;
		if (((has & w[0]) ^ w[0]) && ((has & w[1]) ^ w[1]) && ((has & w[2]) ^ w[2]) &&
		    ((has & w[3]) ^ w[3]))
			continue;
		const rule *r = &rf->rules[i];
		/* The search starts where a match may begin: PCRE2 would find the
		 * same leftmost match from ws, as look-behinds and \b read the text
		 * before the start offset, and no pattern here uses \G. */
		uint64_t sm = 0; /* bits: the places from `at` on whose class is in firstm */
		if (x->scan && bits)
			for (uint64_t k = h & x->firstm; k; k &= k - 1)
				sm |= pos[__builtin_ctzll(k)];
		size_t at = !x->scan ? ws
		            : bits   ? S_window_start(x, t, ws, we, &sm)
		                     : S_next_start(x, t, ws, we);
		if (at < we && !(i < 64 && (c->ready >> i & 1))) {
			rule_ready(r); /* once per text: it stays ready */
			if (i < 64)
				c->ready |= 1ull << i;
		}
		while (at < we) {
			/* straight into the JIT code: pcre2_match's checks would
			 * cost a fifth of a call on these short windows */
			int rc = pcre2_jit_match(r->code, (PCRE2_SPTR)t, we, at, 0, doc->md,
			                         doc->rs->mctx);
			if (rc == PCRE2_ERROR_JIT_BADOPTION) /* no JIT code: the interpreter */
				rc = pcre2_match(r->code, (PCRE2_SPTR)t, we, at, PCRE2_NO_UTF_CHECK,
				                 doc->md, doc->rs->mctx);
			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc == PCRE2_ERROR_NOMEMORY)
				return WARTA_ENOMEM;
			if (rc < 0) { /* a PCRE2 limit: warn once per rule, go on */
				char what[200];
				snprintf(what, sizeof what, "%s:%d %s", r->file, r->line, r->id);
				doc_warn(doc, "rule-limit",
				         arena_strndup(&doc->a, what, strlen(what)), 1);
				break;
			}
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(doc->md);
			rule_match m = {r, ov[0], ov[1], ov, pcre2_get_ovector_count(doc->md)};
			if (ov[1] > ov[0] && S_rule_cb(doc, &m, L->rkind[i], L->skipg[i], c))
				return c->oom ? WARTA_ENOMEM : WARTA_OK;
			at = ov[1] > at ? ov[1] : at + 1;
			while (at < we && ((unsigned char)t[at] & 0xC0) == 0x80)
				at++;
			if (x->scan && bits) {
				sm &= at - ws < 64 ? ~0ull << (at - ws) : 0;
				at = S_window_start(x, t, ws, we, &sm);
			} else if (x->scan)
				at = S_next_start(x, t, at, we);
		}
	}
	return WARTA_OK;
}

/* Returns where a window for the candidate at p begins: the start of its
 * token and the token before ("Rp ", "US$ ", "skor "), both bounded. */
static size_t S_win_start(const char *t, size_t lo, size_t p)
{
	size_t min = p > lo + 12 ? p - 12 : lo;
	while (p > min && !S_spacech(t, p - 1, p))
		p--;
	min = p > lo + 16 ? p - 16 : lo;
	while (p > min && S_spacech(t, p - 1, p))
		p--;
	while (p > min && !S_spacech(t, p - 1, p))
		p--;
	while (p > lo && ((unsigned char)t[p] & 0xC0) == 0x80)
		p--;
	return p;
}

/* Returns where the window of a candidate ending at p ends: after the rest
 * of its token and the token after it (bounded). */
static size_t S_win_end(const char *t, size_t hi, size_t p)
{
	size_t max = p + 40 < hi ? p + 40 : hi;
	while (p < max && !S_spacech(t, p, hi))
		p++;
	max = p + 24 < hi ? p + 24 : hi;
	while (p < max && S_spacech(t, p, hi))
		p++;
	while (p < max && !S_spacech(t, p, hi))
		p++;
	while (p < hi && ((unsigned char)t[p] & 0xC0) == 0x80)
		p++;
	return p;
}

/* Byte classes for the scan of S_collect: 1 ASCII digit, 2 ASCII letter,
 * 3 a byte of a UTF-8 sequence, 0 anything else. */
static const uint8_t S_cls[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
};

static int S_collect(warta_doc *doc, const lists *L, collect *c)
{
	const char *t = doc->text;
	zone whole = {Z_BODY, 0, doc->len, NULL};
	const zone *zs = doc->zones.n ? doc->zones.v : &whole;
	size_t nz = doc->zones.n ? doc->zones.n : 1;
	for (size_t z = 0; z < nz; z++) {
		if (zs[z].type == Z_NOISE)
			continue;
		size_t lo = zs[z].start, hi = zs[z].end, p = lo;
		size_t wlo = 0, whi = 0;
		bool open = false;
		/* The tokens are the runs of letters and UTF-8 bytes (words) and
		 * the runs of digits, dots and commas that begin with a digit. A
		 * word run begins where such a byte follows none, so its starts
		 * and the digits come 64 bytes at a time from the masks (the text
		 * has 64 zero bytes after its end); p is the end of the last token
		 * read, past which a digit begins a run. */
		uint64_t carry = 0; /* the byte before the block is a word byte */
		for (size_t base = lo; base < hi; base += 64) {
			const unsigned char *u = (const unsigned char *)t + base;
			bytemask m = bm_block64(u);
			uint64_t w = (m.alnum & ~m.dig) | m.high;
			uint64_t wst = w & ~(w << 1 | carry), ev = m.dig;
			carry = w >> 63;
			/* Most words fail on their first two bytes: only those that
			 * pass join the digits. The byte after a word start is
			 * readable (padding), past the zone too: a word it lets
			 * through there has one byte in the zone, which the test of
			 * its length then rejects. */
			for (; wst; wst &= wst - 1) {
				uint16_t two;
				memcpy(&two, t + base + (size_t)__builtin_ctzll(wst), 2);
				if (L->start2[two])
					ev |= wst & -wst;
			}
			if (hi - base < 64)
				ev &= ((uint64_t)1 << (hi - base)) - 1;
			for (; ev; ev &= ev - 1) {
				size_t q = base + (size_t)__builtin_ctzll(ev), next = q + 1;
				if (q < p)
					continue; /* a digit of the run read last */
				bool cand = true, word = !S_digit(t[q]);
				if (!word) {
					while (next < hi && (S_cls[(unsigned char)t[next]] == 1 ||
					                     t[next] == '.' || t[next] == ','))
						next++;
				} else {
					bool ascii = S_cls[(unsigned char)t[q]] == 2;
					while (next < hi && S_cls[(unsigned char)t[next]] == 2)
						next++;
					if (next < hi && S_cls[(unsigned char)t[next]] == 3) {
						ascii = false; /* the rest of the word, whatever it
						                  holds */
						while (next < hi &&
						       S_cls[(unsigned char)t[next]] >= 2)
							next++;
					}
					size_t n = next - q;
					double v;
					cand =
					    ascii && n >= 2 && n <= 15 &&
					    (L->startf[S_az(t[q]) * 26 + S_az(t[q + 1])] &
					     (1u << n)) &&
					    (L->endf[S_az(t[next - 2]) * 26 + S_az(t[next - 1])] &
					     (1u << n)) &&
					    S_start_kind(S_numword(L, t + q, n, &v));
				}
				p = next;
				if (cand &&
				    word) { /* a number word: the word rules look at it alone */
					int rc = S_window(doc, L, zs[z].type, q,
					                  S_win_end(t, hi, next), true, c);
					if (rc)
						return rc;
				}
				if (cand) {
					size_t ws = S_win_start(t, lo, q),
					       we = S_win_end(t, hi, next);
					if (open && ws <= whi + 24) {
						if (we > whi)
							whi = we;
					} else {
						if (open) {
							int rc = S_window(doc, L, zs[z].type, wlo,
							                  whi, false, c);
							if (rc)
								return rc;
						}
						wlo = ws;
						whi = we;
						open = true;
					}
				}
			}
		}
		if (open) {
			int rc = S_window(doc, L, zs[z].type, wlo, whi, false, c);
			if (rc)
				return rc;
		}
	}
	return c->oom ? WARTA_ENOMEM : WARTA_OK;
}

/* The tables numbers.c builds once per ruleset. */
struct numtab {
	arena a;
	lists L;
};

int numbers_prepare(warta_ruleset *rs)
{
	struct numtab *nt = rs->mem->calloc(1, sizeof *nt);
	if (!nt)
		return WARTA_ENOMEM;
	nt->a.mem = rs->mem;
	rs->numtab = nt;
	return S_lists(rs, &nt->a, &nt->L) ? WARTA_OK : WARTA_ENOMEM;
}

void numbers_free(warta_ruleset *rs)
{
	if (!rs || !rs->numtab)
		return;
	arena_free(&rs->numtab->a);
	rs->mem->free(rs->numtab);
	rs->numtab = NULL;
}

int numbers_run(warta_doc *doc)
{
	const rulefile *rf = ruleset_rules(doc->rs, "number");
	if (!rf || !doc->len || !doc->rs->numtab)
		return WARTA_OK;
	if (!doc->md && !(doc->md = rules_match_data(doc->rs)))
		return WARTA_ENOMEM;
	const lists *L = &doc->rs->numtab->L;
	collect c = {0};
	int rc = S_collect(doc, L, &c);
	if (rc)
		return rc;
	S_sort_starts(c.starts.v, c.starts.n);
	if (c.skips.n > 1)
		sort_unless_sorted(c.skips.v, c.skips.n, sizeof(span), S_span_cmp);
	size_t done = 0; /* expressions never overlap: each starts after the last */
	for (size_t i = 0; i < c.starts.n; i++) {
		const span *a = &c.starts.v[i];
		if (a->start < done)
			continue;
		size_t e = S_quantity(doc, L, &c, a);
		if (e == (size_t)-1)
			return WARTA_ENOMEM;
		if (e > done)
			done = e;
	}
	return WARTA_OK;
}

bool numbers_parse(const warta_ruleset *rs, const char *s, size_t n, double *value)
{
	if (!rs || !rs->numtab)
		return false;
	const lists *L = &rs->numtab->L;
	size_t a = 0;
	while (a < n && S_spacech(s, a, n))
		a += S_spacech(s, a, n);
	while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	numeral nm;
	bool ok = a < n && S_numeral(L, s, a, n, false, false, &nm) && nm.end == n;
	if (ok)
		*value = nm.value;
	return ok;
}
