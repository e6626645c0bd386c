/* SPDX-License-Identifier: MIT */
/* The reader of reqbytes.h: a conservative walk over a PCRE2 pattern's
 * text. */
#include "reqbytes.h"

#include <string.h>

typedef struct rparse {
	const unsigned char *p;
	size_t i, n;
	bool icase, fail;
} rparse;

static void S_bit(uint8_t *s, unsigned b)
{
	s[b / 8] |= (uint8_t)(1u << (b % 8));
}

static void S_high(uint8_t *s) /* every byte >= 0x80 */
{
	memset(s + 16, 0xFF, 16);
}

static int S_pop(const uint8_t *s) /* word by word: a bit loop was 4% of start-up */
{
	int n = 0;
	for (int k = 0; k < 32; k += 8) {
		uint64_t w;
		memcpy(&w, s + k, 8);
		n += __builtin_popcountll(w);
	}
	return n;
}

/* Adds the byte c to s, with its other case when caseless; under
 * PCRE2_UCP "k" and "s" also match U+212A and U+017F. */
static void S_lit(uint8_t *s, unsigned c, bool icase)
{
	S_bit(s, c);
	if (!icase || !(((c | 0x20) >= 'a') && ((c | 0x20) <= 'z')))
		return;
	S_bit(s, c | 0x20);
	S_bit(s, c & ~0x20u);
	if ((c | 0x20) == 'k')
		S_bit(s, 0xE2);
	if ((c | 0x20) == 's')
		S_bit(s, 0xC5);
}

/* Keeps the set among the RB_SETS most selective of q. */
static void S_keep(rb_seq *q, const uint8_t *s)
{
	int pop = S_pop(s);
	if (pop == 256)
		return;
	if (q->nset < RB_SETS) {
		memcpy(q->set[q->nset++], s, 32);
		return;
	}
	int worst = 0;
	for (int k = 1; k < RB_SETS; k++)
		if (S_pop(q->set[k]) > S_pop(q->set[worst]))
			worst = k;
	if (pop < S_pop(q->set[worst]))
		memcpy(q->set[worst], s, 32);
}

/* Reads the escape after a backslash at P->i into s (a class of bytes, its
 * own bytes >= 0x80 included); returns false for one that consumes nothing
 * (\b, \A, ...) or any byte (\S, \W, ...). */
static bool S_escape(rparse *P, uint8_t *s)
{
	if (P->i >= P->n) {
		P->fail = true;
		return false;
	}
	unsigned c = P->p[P->i++];
	switch (c) {
	case 'b':
	case 'B':
	case 'A':
	case 'z':
	case 'Z':
	case 'G':
	case 'K': return false;
	case 'd':
		for (unsigned k = '0'; k <= '9'; k++)
			S_bit(s, k);
		S_high(s);
		return true;
	case 's':
	case 'h':
	case 'v':
		for (unsigned k = 9; k <= 13; k++)
			S_bit(s, k);
		S_bit(s, ' ');
		S_high(s);
		return true;
	case 'w':
		for (unsigned k = 0; k < 128; k++)
			if ((k >= '0' && k <= '9') || ((k | 0x20) >= 'a' && (k | 0x20) <= 'z') ||
			    k == '_')
				S_bit(s, k);
		S_high(s);
		return true;
	case 'p': {
		char name[16];
		size_t nl = 0;
		if (P->i < P->n && P->p[P->i] == '{') {
			P->i++;
			while (P->i < P->n && P->p[P->i] != '}' && nl + 1 < sizeof name)
				name[nl++] = (char)P->p[P->i++];
			if (P->i >= P->n || P->p[P->i] != '}') {
				P->fail = true;
				return false;
			}
			P->i++;
		} else if (P->i < P->n) {
			name[nl++] = (char)P->p[P->i++];
		}
		name[nl] = 0;
		S_high(s);
		if (strcmp(name, "L") == 0) {
			for (unsigned k = 'A'; k <= 'Z'; k++)
				S_bit(s, k), S_bit(s, k | 0x20);
			return true;
		}
		/* Cased letters: beyond ASCII, only the bytes >= 0x80 set above.
		 * Caseless, PCRE2 may let \p{Lu} match the other case too. */
		if (strcmp(name, "Lu") == 0 || strcmp(name, "Ll") == 0 || strcmp(name, "Lt") == 0) {
			for (unsigned k = 'a'; k <= 'z'; k++) {
				if (P->icase || name[1] == 'u')
					S_bit(s, k & ~0x20u);
				if (P->icase || name[1] == 'l')
					S_bit(s, k);
			}
			return true;
		}
		if (strcmp(name, "N") == 0) {
			for (unsigned k = '0'; k <= '9'; k++)
				S_bit(s, k);
			return true;
		}
		memset(s, 0xFF, 32);
		return true;
	}
	case 'S':
	case 'D':
	case 'W':
	case 'H':
	case 'V':
	case 'N':
	case 'R':
	case 'X':
	case 'C':
	case 'P':
		if (c == 'P' && P->i < P->n && P->p[P->i] == '{') {
			while (P->i < P->n && P->p[P->i] != '}')
				P->i++;
			P->i++;
		} else if (c == 'P') {
			P->i++;
		}
		memset(s, 0xFF, 32);
		return true;
	case 'x': { /* \xhh or \x{h...}: the byte, or any byte >= 0x80 */
		unsigned v = 0;
		int digits = 0;
		bool brace = P->i < P->n && P->p[P->i] == '{';
		P->i += brace;
		for (; P->i < P->n && (brace || digits < 2); P->i++, digits++) {
			unsigned d = P->p[P->i];
			unsigned x = d >= '0' && d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10;
			if (x > 15)
				break;
			v = v < 0x110000 ? v * 16 + x : v;
		}
		if (brace && (P->i >= P->n || P->p[P->i++] != '}')) {
			P->fail = true;
			return false;
		}
		if (v < 0x80)
			S_bit(s, v);
		else
			S_high(s);
		return true;
	}
	case 't': S_bit(s, '\t'); return true;
	case 'n': S_bit(s, '\n'); return true;
	case 'r': S_bit(s, '\r'); return true;
	case 'f': S_bit(s, '\f'); return true;
	case 'a': S_bit(s, 7); return true;
	case 'e': S_bit(s, 27); return true;
	default:
		if (c < 0x80 &&
		    !((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
			S_bit(s, c); /* an escaped sign stands for itself */
			return true;
		}
		P->fail = true; /* back references, \x, \Q ...: not read */
		return false;
	}
}

/* Steps over the end of a range in a class when it is a character beyond
 * ASCII (\x{...} or as UTF-8); false for any other. */
static bool S_range_end_high(rparse *P)
{
	if (P->i >= P->n)
		return false;
	if (P->p[P->i] >= 0x80) {
		P->i++;
		while (P->i < P->n && (P->p[P->i] & 0xC0) == 0x80)
			P->i++;
		return true;
	}
	uint8_t t[32] = {0};
	if (P->p[P->i] != '\\' || P->i + 2 >= P->n || P->p[P->i + 1] != 'x' ||
	    P->p[P->i + 2] != '{')
		return false;
	P->i++;
	return S_escape(P, t) && !P->fail && S_pop(t) == 128 && t[16] == 0xFF;
}

/* Reads the class after '[' into s. */
static void S_class(rparse *P, uint8_t *s)
{
	bool neg = P->i < P->n && P->p[P->i] == '^';
	if (neg)
		P->i++;
	bool first = true;
	int prev = -1; /* the last single ASCII byte read, for a range */
	while (P->i < P->n && (P->p[P->i] != ']' || first)) {
		first = false;
		unsigned c = P->p[P->i];
		if (c == '[' && P->i + 1 < P->n && P->p[P->i + 1] == ':') {
			P->fail = true; /* POSIX classes: not read */
			return;
		}
		if (c == '-' && prev >= 0 && P->i + 1 < P->n && P->p[P->i + 1] != ']') {
			P->i++;
			unsigned hi = P->p[P->i];
			if (hi == '\\' || hi >= 0x80) { /* a range to an escape or beyond ASCII */
				memset(s, 0xFF, 32);
				while (P->i < P->n && P->p[P->i] != ']')
					P->i++;
				break;
			}
			P->i++;
			for (unsigned k = (unsigned)prev; k <= hi; k++)
				S_lit(s, k, P->icase);
			prev = -1;
			continue;
		}
		prev = -1;
		if (c == '\\') {
			P->i++;
			uint8_t t[32] = {0};
			bool hex = P->i + 1 < P->n && P->p[P->i] == 'x' && P->p[P->i + 1] == '{';
			if (P->i < P->n && P->p[P->i] == 'b') { /* a backspace in a class */
				P->i++;
				S_bit(s, 8);
			} else if (S_escape(P, t)) {
				for (int k = 0; k < 32; k++)
					s[k] |= t[k];
			}
			if (P->fail)
				return;
			if (P->i + 1 < P->n && P->p[P->i] == '-' && P->p[P->i + 1] != ']') {
				/* \x{2010}-\x{2015}: a range from beyond ASCII to beyond
				 * it holds only characters beyond ASCII, whose bytes S_escape
				 * has set; any other range from an escape is not read */
				P->i++;
				if (!hex || S_pop(t) != 128 || t[16] != 0xFF ||
				    !S_range_end_high(P)) {
					P->fail = true;
					return;
				}
			}
			continue;
		}
		if (c >= 0x80) {
			if (P->icase)
				S_high(s);
			else
				S_bit(s, c);
			P->i++;
			while (P->i < P->n && (P->p[P->i] & 0xC0) == 0x80)
				P->i++;
			if (P->i + 1 < P->n && P->p[P->i] == '-' && P->p[P->i + 1] != ']') {
				P->fail = true; /* a range beyond ASCII: not read */
				return;
			}
			continue;
		}
		S_lit(s, c, P->icase);
		prev = (int)c;
		P->i++;
	}
	if (P->i >= P->n) {
		P->fail = true;
		return;
	}
	P->i++; /* ']' */
	if (!neg)
		return;
	/* A negated class takes a character outside it: an ASCII byte not in
	 * s, or the first byte of any other character. Sound only where s is
	 * exact for ASCII; the escapes read roughly (\W, \p{Lu}, ...) fill it
	 * all, and then so does the negation. */
	bool rough = true;
	for (int k = 0; k < 16; k++)
		rough = rough && s[k] == 0xFF;
	for (int k = 0; k < 16; k++)
		s[k] = rough ? 0xFF : (uint8_t)~s[k];
	S_high(s);
}

/* Reads a sequence up to '|', ')' or the end into q. */
static void S_seq(rparse *P, rb_seq *q)
{
	memset(q, 0, sizeof *q);
	bool start = true;
	while (!P->fail && P->i < P->n && P->p[P->i] != '|' && P->p[P->i] != ')') {
		unsigned c = P->p[P->i];
		uint8_t s[32] = {0};
		bool set = false; /* the element consumes a byte of s */
		rb_seq inner[1];  /* a group of one alternative: all its sets */
		bool whole = false;
		if (c == '(') {
			P->i++;
			bool look = false;
			if (P->i < P->n && P->p[P->i] == '*') {
				P->fail = true;
				return;
			}
			if (P->i < P->n && P->p[P->i] == '?') {
				P->i++;
				unsigned d = P->i < P->n ? P->p[P->i] : 0;
				if (d == ':' || d == '>') {
					P->i++;
				} else if (d == '=' || d == '!') {
					P->i++;
					look = true;
				} else if (d == '<' && P->i + 1 < P->n &&
				           (P->p[P->i + 1] == '=' || P->p[P->i + 1] == '!')) {
					P->i += 2;
					look = true;
				} else if (d == '<' || d == '\'' ||
				           (d == 'P' && P->i + 1 < P->n && P->p[P->i + 1] == '<')) {
					unsigned close = d == '\'' ? '\'' : '>';
					while (P->i < P->n && P->p[P->i] != close)
						P->i++;
					P->i++;
				} else {
					/* options: (?i) for the rest, (?i: ...) for a group */
					bool neg = false;
					while (P->i < P->n &&
					       (((P->p[P->i] | 0x20) >= 'a' &&
					         (P->p[P->i] | 0x20) <= 'z') ||
					        P->p[P->i] == '-' || P->p[P->i] == '^')) {
						unsigned o = P->p[P->i++];
						if (o == '-')
							neg = true;
						else if (o == 'i' && !neg)
							P->icase = true;
						else if (o != 'i' && o != 'm' && o != 's' &&
						         o != 'U' && o != 'J' && o != 'n' &&
						         o != '^')
							P->fail = true; /* x: spaces and comments */
					}
					if (P->fail || P->i >= P->n ||
					    (P->p[P->i] != ')' && P->p[P->i] != ':')) {
						P->fail = true;
						return;
					}
					if (P->p[P->i++] == ')')
						continue; /* (?i): nothing consumed */
				}
			}
			rb_seq alts[1];
			int nalt = 0;
			/* in a group, any number of alternatives: the union of each
			 * one's most selective set */
			uint8_t u[32] = {0};
			bool all = true;
			for (;;) {
				S_seq(P, alts);
				if (P->fail)
					return;
				nalt++;
				if (alts[0].nset == 0) {
					all = false;
				} else {
					int best = 0;
					for (int k = 1; k < alts[0].nset; k++)
						if (S_pop(alts[0].set[k]) <
						    S_pop(alts[0].set[best]))
							best = k;
					for (int k = 0; k < 32; k++)
						u[k] |= alts[0].set[best][k];
				}
				if (nalt == 1)
					inner[0] = alts[0];
				if (P->i < P->n && P->p[P->i] == '|') {
					P->i++;
					continue;
				}
				break;
			}
			if (P->i >= P->n || P->p[P->i] != ')') {
				P->fail = true;
				return;
			}
			P->i++;
			if (look) {
				start = false;
				continue; /* a look-around consumes nothing */
			}
			if (nalt == 1)
				whole = true;
			else if (all)
				set = true, memcpy(s, u, 32);
		} else if (c == '[') {
			P->i++;
			S_class(P, s);
			set = true;
		} else if (c == '\\') {
			P->i++;
			set = S_escape(P, s);
		} else if (c == '^') {
			P->i++;
			if (start)
				q->bol = true;
			continue;
		} else if (c == '$') {
			P->i++;
			continue;
		} else if (c == '.') {
			P->i++;
		} else if (c == '*' || c == '+' || c == '?' || c == '{') {
			P->fail = true;
			return;
		} else if (c >= 0x80) {
			if (P->icase)
				S_high(s);
			else
				S_bit(s, c);
			set = true;
			P->i++;
			while (P->i < P->n && (P->p[P->i] & 0xC0) == 0x80)
				P->i++;
		} else {
			S_lit(s, c, P->icase);
			set = true;
			P->i++;
		}
		if (P->fail)
			return;
		start = false;
		/* a quantifier: at least once keeps the element required */
		bool optional = false;
		if (P->i < P->n) {
			unsigned d = P->p[P->i];
			if (d == '?' || d == '*') {
				optional = true;
				P->i++;
			} else if (d == '+') {
				P->i++;
			} else if (d == '{') {
				size_t k = P->i + 1;
				unsigned long min = 0;
				bool digits = false;
				while (k < P->n && P->p[k] >= '0' && P->p[k] <= '9' && min < 100000)
					min = min * 10 + (P->p[k++] - '0'), digits = true;
				if (k < P->n && P->p[k] == ',')
					for (k++; k < P->n && P->p[k] >= '0' && P->p[k] <= '9'; k++)
						;
				if (k >= P->n || P->p[k] != '}') {
					P->fail = true; /* a brace that is no quantifier */
					return;
				}
				optional = !digits || min == 0;
				P->i = k + 1;
			} else {
				d = 0;
			}
			if (d && P->i < P->n && (P->p[P->i] == '?' || P->p[P->i] == '+'))
				P->i++;
		}
		if (optional)
			continue;
		if (whole) {
			for (int k = 0; k < inner[0].nset; k++)
				S_keep(q, inner[0].set[k]);
		} else if (set) {
			S_keep(q, s);
		}
	}
}

/* Reads the top-level alternatives of the pattern, at most max. */
static int S_alts(rparse *P, rb_seq *alts, int max)
{
	int n = 0;
	for (;;) {
		if (n == max) {
			P->fail = true;
			return 0;
		}
		S_seq(P, &alts[n++]);
		if (P->fail)
			return 0;
		if (P->i < P->n && P->p[P->i] == '|') {
			P->i++;
			continue;
		}
		break;
	}
	if (P->i < P->n)
		P->fail = true; /* a ')' with no '(' */
	return n;
}

/* Fills q->scan with the sets of q that are a sign or two: letters, digits
 * and spaces are in nearly every line, bytes >= 0x80 are read as lead bytes. */
static void S_scanset(rb_seq *q)
{
	q->nscan = 0;
	for (int k = 0; k < q->nset; k++) {
		unsigned char bytes[RB_SCAN] = {0};
		int nb = 0;
		for (unsigned b = 0; b < 256 && nb <= RB_SCAN; b++) {
			if (!(q->set[k][b / 8] & (1u << (b % 8))))
				continue;
			bool common = (b >= '0' && b <= '9') ||
			              ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') || b <= ' ';
			if (b >= 0x80 || common || nb == RB_SCAN) {
				nb = RB_SCAN + 1; /* not worth a scan */
				break;
			}
			bytes[nb++] = (unsigned char)b;
		}
		if (nb >= 1 && nb <= RB_SCAN)
			memcpy(q->scan[q->nscan++], bytes, RB_SCAN);
	}
}

void reqbytes_read(const rule *r, reqbytes *x)
{
	x->nalt = 0;
	x->scan = false;
	uint32_t opts = 0, nl = 0;
	if (!r->code || !r->pattern ||
	    pcre2_pattern_info(r->code, PCRE2_INFO_ALLOPTIONS, &opts) != 0 ||
	    pcre2_pattern_info(r->code, PCRE2_INFO_NEWLINE, &nl) != 0 ||
	    (opts & (PCRE2_EXTENDED | PCRE2_EXTENDED_MORE | PCRE2_LITERAL)))
		return;
	rparse P = {(const unsigned char *)r->pattern, 0, strlen(r->pattern),
	            (opts & PCRE2_CASELESS) != 0, false};
	rb_seq alts[RB_ALTS];
	int n = S_alts(&P, alts, RB_ALTS);
	if (P.fail)
		return;
	bool lines = nl == PCRE2_NEWLINE_LF || nl == PCRE2_NEWLINE_CR || nl == PCRE2_NEWLINE_CRLF ||
	             nl == PCRE2_NEWLINE_ANYCRLF;
	for (int a = 0; a < n; a++) {
		if (!lines)
			alts[a].bol = false;
		if (!alts[a].nset && !alts[a].bol)
			return; /* an alternative that needs nothing */
	}
	x->scan = true;
	for (int a = 0; a < n; a++) {
		S_scanset(&alts[a]);
		x->scan &= alts[a].nscan > 0;
	}
	memcpy(x->alt, alts, (size_t)n * sizeof *alts);
	x->nalt = n;
}

static bool S_meets(const uint8_t *set, const uint8_t *has)
{
	uint64_t any = 0; /* 64 bits at a time */
	for (size_t k = 0; k < 32; k += 8) {
		uint64_t a, b;
		memcpy(&a, set + k, 8);
		memcpy(&b, has + k, 8);
		any |= a & b;
	}
	return any != 0;
}

bool reqbytes_may(const reqbytes *x, const uint8_t *has, bool bol)
{
	if (!x->nalt)
		return true;
	for (int a = 0; a < x->nalt; a++) {
		const rb_seq *q = &x->alt[a];
		if (q->bol && !bol)
			continue;
		int k = 0;
		while (k < q->nset && S_meets(q->set[k], has))
			k++;
		if (k == q->nset)
			return true;
	}
	return false;
}

bool reqbytes_may_scan(const reqbytes *x, const char *s, size_t n)
{
	if (!x->scan)
		return true;
	for (int a = 0; a < x->nalt; a++) {
		const rb_seq *q = &x->alt[a];
		bool ok = true;
		for (int k = 0; k < q->nscan && ok; k++)
			ok = memchr(s, q->scan[k][0], n) ||
			     (q->scan[k][1] && memchr(s, q->scan[k][1], n));
		if (ok)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------ line shapes
 *
 * Most rules fail on most lines, and a call into PCRE2 costs hundreds of
 * instructions even then: these read, off a pattern's text, what a line must
 * show for a match (how it begins or ends), each tested in a few
 * instructions. They are conservative: any construct they do not know makes
 * them give up (no test), never guess. */

/* Returns the index past the class opening at p[i] ('['), or 0; its bytes
 * (a superset, as S_class reads them) go to set when set is not NULL. */
static size_t S_class_at(const char *p, size_t i, uint8_t *set)
{
	uint8_t scratch[32] = {0};
	rparse P = {(const unsigned char *)p, i + 1, strlen(p), false, false};
	S_class(&P, set ? set : scratch);
	return P.fail ? 0 : P.i;
}

size_t reqbytes_skip_item(const char *p, size_t i)
{
	if (p[i] == '\\') {
		char e = p[i + 1];
		if (!e || e == 'Q' || e == 'g' || e == 'k') /* back references: not followed */
			return 0;
		if (strchr("xopPN", e) && p[i + 2] == '{') { /* \x{201D}, \p{Lu} */
			const char *b = strchr(p + i + 3, '}');
			return b ? (size_t)(b - p) + 1 : 0;
		}
		return e == 'c' ? (p[i + 2] ? i + 3 : 0) : i + 2;
	}
	if (p[i] == '[')
		return S_class_at(p, i, NULL);
	if (p[i] != '(')
		return i + 1;
	if (p[i + 1] == '*' || (p[i + 1] == '?' && (p[i + 2] == '#' || p[i + 2] == 'C')))
		return 0;
	if (p[i + 1] == '?') {
		size_t k = i + 2;
		while ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z') ||
		       p[k] == '-' || p[k] == '^')
			k++;
		if (p[k] == ')' || memchr(p + i + 2, 'x', k - (i + 2)))
			return 0;
	}
	for (i++; p[i] && p[i] != ')';)
		if (!(i = reqbytes_skip_item(p, i)))
			return 0;
	return p[i] == ')' ? i + 1 : 0;
}

bool reqbytes_has_alt(const char *p, size_t i, size_t end)
{
	while (i < end) {
		if (p[i] == '|')
			return true;
		if (!(i = reqbytes_skip_item(p, i)))
			return true;
	}
	return false;
}

/* Adds the literal text at p[i], up to the first item that is not a plain
 * character, as a branch of ld; false when there is none. Caseless, only
 * ASCII is read: the other case of a character beyond it is not known here. */
static bool S_lead_word(const char *p, size_t i, bool icase, rb_shape *ld)
{
	char buf[64];
	size_t len = 0, before_last = 0;
	bool whole = true; /* the text was read up to an item that is not plain */
	for (;;) {
		unsigned char c = (unsigned char)p[i], d = (unsigned char)p[i + 1];
		size_t at = len;
		if (len + 4 > sizeof buf) {
			whole = false;
			break;
		}
		if (c == '\\' && d >= ' ' && d <= '~' &&
		    !((d | 0x20) >= 'a' && (d | 0x20) <= 'z') && !(d >= '0' && d <= '9')) {
			buf[len++] = (char)d; /* an escaped sign stands for itself */
			i += 2;
		} else if (c >= ' ' && c <= '~' && !strchr("\\^$.[|()?*+{", c)) {
			buf[len++] = icase && c >= 'A' && c <= 'Z' ? (char)(c + 32) : (char)c;
			i++;
		} else if (c >= 0xC0 && !icase) { /* one UTF-8 character, as its bytes */
			do
				buf[len++] = p[i++];
			while (((unsigned char)p[i] & 0xC0) == 0x80);
		} else {
			break;
		}
		before_last = at;
	}
	if (whole && (p[i] == '?' || p[i] == '*' || p[i] == '{')) /* the last one is optional */
		len = before_last;
	if (!len || ld->nlead == RB_LEAD_MAX)
		return false;
	if (len > RB_LEAD_BYTES)
		len = RB_LEAD_BYTES;
	memcpy(ld->lead[ld->nlead].s, buf, len);
	ld->lead[ld->nlead].len = (uint8_t)len;
	ld->lead[ld->nlead++].icase = icase;
	return true;
}

/* Adds the beginnings of the branches of the group at p[i] ('(': (?:...) or
 * (?i:...), neither optional nor repeated) to ld; a branch that opens with
 * such a group adds that group's. */
static bool S_lead_group(const char *p, size_t i, bool icase, rb_shape *ld)
{
	size_t end = reqbytes_skip_item(p, i); /* past the group's ')' */
	if (!end || p[end] == '?' || p[end] == '*' || p[end] == '{')
		return false;
	if (strncmp(p + i, "(?i:", 4) == 0)
		icase = true, i += 4;
	else if (strncmp(p + i, "(?:", 3) == 0)
		i += 3;
	else
		return false;
	for (;;) {
		if (p[i] == '(' ? !S_lead_group(p, i, icase, ld) : !S_lead_word(p, i, icase, ld))
			return false;
		while (i < end - 1 && p[i] != '|')
			if (!(i = reqbytes_skip_item(p, i)))
				return false;
		if (i >= end - 1)
			return true;
		i++;
	}
}

/* Reads how a line must begin off a pattern ^(...) without another
 * top-level branch: ^(?i:simak|dapatkan|...)\s+... */
static bool S_read_lead(const char *p, rb_shape *ld)
{
	ld->nlead = 0;
	if (p[0] == '^' && p[1] == '(' && !reqbytes_has_alt(p, 0, strlen(p)) &&
	    S_lead_group(p, 1, false, ld))
		return true;
	ld->nlead = 0;
	return false;
}

/* True when s[0, n) may begin a match of ld. Caseless, an ASCII letter also
 * matches a few other characters (U+212A for k, U+017F for s): a byte
 * >= 0x80 where a letter is wanted makes the answer yes. */
static bool S_lead_ok(const rb_shape *ld, const char *s, size_t n)
{
	for (int a = 0; a < ld->nlead; a++) {
		size_t len = ld->lead[a].len, j = 0;
		if (len > n)
			continue;
		for (; j < len; j++) {
			unsigned char c = (unsigned char)s[j];
			if (ld->lead[a].icase) {
				if (c >= 0x80)
					return true;
				if (c >= 'A' && c <= 'Z')
					c = (unsigned char)(c + 32);
			}
			if (c != (unsigned char)ld->lead[a].s[j])
				break;
		}
		if (j == len)
			return true;
	}
	return false;
}

/* Reads the bytes of the class at p[i] ('[') into set, every byte >= 0x80
 * with them when it holds a character beyond ASCII: any byte of a character
 * the class matches (the last, for the end of a line; each, for a run) is
 * then in set. */
static bool S_read_class(const char *p, size_t i, uint8_t set[32], bool icase)
{
	memset(set, 0, 32);
	rparse P = {(const unsigned char *)p, i + 1, strlen(p), icase, false};
	S_class(&P, set);
	if (P.fail)
		return false;
	for (int k = 16; k < 32; k++)
		if (set[k]) { /* the class holds other characters: their bytes */
			S_high(set);
			break;
		}
	return true;
}

/* ------------------------------------------------------------ items
 *
 * A walk over a pattern's items for the shapes below: each item with the
 * bytes it may consume (a superset), whether it may be left out, and whether
 * it consumes nothing at all. Caseless, a letter is read with its other case
 * and every byte >= 0x80 (U+212A folds to k, U+017F to s). */

typedef struct witem {
	size_t at, end, next; /* the item p[at, end), its quantifier up to next */
	size_t in;            /* a group: its content p[in, end - 1); else 0 */
	bool optional;        /* quantified with a minimum of 0 */
	bool zero;            /* consumes nothing: ^, $, \b, a look-around, (?i) */
	bool one;             /* one character: a literal, an escape or a class */
} witem;

/* Reads the quantifier at p[i] into it; false for {,n}, which PCRE2 10.43
 * reads as one and earlier versions as text. */
static bool S_quant(const char *p, size_t i, witem *it)
{
	it->next = i;
	it->optional = false;
	char d = p[i];
	if (d == '?' || d == '*') {
		it->optional = true, i++;
	} else if (d == '+') {
		i++;
	} else if (d == '{') {
		size_t k = i + 1;
		bool nonzero = false, digits = false;
		for (; p[k] >= '0' && p[k] <= '9'; k++)
			digits = true, nonzero |= p[k] != '0';
		if (p[k] == ',')
			for (k++; p[k] >= '0' && p[k] <= '9'; k++)
				;
		if (p[k] != '}')
			return true; /* a brace that is no quantifier: the next item */
		if (!digits)
			return false;
		it->optional = !nonzero;
		i = k + 1;
	} else {
		return true;
	}
	if (p[i] == '?' || p[i] == '+')
		i++;
	it->next = i;
	return true;
}

/* Reads the item at p[i] (not '|' or ')') into it; false when it is not
 * read. *icase becomes true at an option setting that holds i, and stays. */
static bool S_witem(const char *p, size_t i, bool *icase, witem *it)
{
	memset(it, 0, sizeof *it);
	it->at = i;
	unsigned char c = (unsigned char)p[i];
	if (c == '^' || c == '$') {
		it->zero = true;
		it->end = it->next = i + 1;
		return true;
	}
	if (c == '(') {
		size_t k = i + 1;
		if (p[k] == '?') {
			k++;
			size_t o = k;
			bool look = false;
			if (p[k] == ':' || p[k] == '>' || p[k] == '|') {
				k++;
			} else if (p[k] == '=' || p[k] == '!') {
				look = true, k++;
			} else if (p[k] == '<' && (p[k + 1] == '=' || p[k + 1] == '!')) {
				look = true, k += 2;
			} else if (p[k] == '<' || p[k] == '\'' ||
			           (p[k] == 'P' && p[k + 1] == '<')) {
				k += p[k] == 'P';
				char close = p[k] == '<' ? '>' : '\'';
				for (k++;
				     (p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z') ||
				     (p[k] >= '0' && p[k] <= '9') || p[k] == '_';
				     k++)
					;
				if (p[k++] != close)
					return false;
			} else {
				for (; p[k] && strchr("imsnUJ-^", p[k]); k++)
					if (p[k] == 'i')
						*icase = true;
				if (k == o || (p[k] != ':' && p[k] != ')'))
					return false; /* (?x), (?1), (?R), (?(...): not read */
				if (p[k] == ')') {
					it->zero = true;
					it->end = it->next = k + 1;
					return true;
				}
				k++;
			}
			it->zero = look;
		} else if (p[k] == '*') {
			return false;
		}
		it->in = k;
		if (!(it->end = reqbytes_skip_item(p, i)))
			return false;
		it->next = it->end;
		return it->zero || S_quant(p, it->end, it);
	}
	if (c == '\\') {
		char e = p[i + 1];
		if (e && strchr("bBAzZGK", e)) {
			it->zero = true;
			it->end = it->next = i + 2;
			return true;
		}
		if (!(it->end = reqbytes_skip_item(p, i)))
			return false;
	} else if (c == '[') {
		if (!(it->end = S_class_at(p, i, NULL)))
			return false;
	} else if (c >= 0x80) {
		for (it->end = i + 1; ((unsigned char)p[it->end] & 0xC0) == 0x80; it->end++)
			;
	} else if (c && !strchr("|)*+?{", c)) {
		it->end = i + 1;
	} else {
		return false;
	}
	it->one = c != '.';
	return S_quant(p, it->end, it);
}

static bool S_seq_bytes(const char *p, size_t i, size_t end, bool *icase, uint8_t set[32]);

/* Adds the bytes the item may consume to set; false when not read. */
static bool S_item_bytes(const char *p, const witem *it, bool *icase, uint8_t set[32])
{
	if (it->zero)
		return true;
	if (it->in)
		return S_seq_bytes(p, it->in, it->end - 1, icase, set);
	unsigned char c = (unsigned char)p[it->at];
	uint8_t t[32] = {0};
	if (c == '.') {
		memset(t, 0xFF, 32);
	} else if (c == '[' || c == '\\') {
		rparse P = {(const unsigned char *)p, it->at + 1, it->end, *icase, false};
		if (c == '[')
			S_class(&P, t);
		else if (!S_escape(&P, t))
			return false;
		if (P.fail || P.i != it->end)
			return false;
	} else if (c >= 0x80) {
		S_high(t);
	} else {
		S_lit(t, c, *icase);
	}
	bool letter = false;
	for (unsigned k = 'A'; k <= 'Z'; k++)
		letter |= (t[k >> 3] >> (k & 7) & 1) || (t[(k | 0x20) >> 3] >> (k & 7) & 1);
	for (int k = 16; k < 32; k++)
		if (t[k] || (letter && *icase)) { /* every byte of those characters */
			S_high(t);
			break;
		}
	for (int k = 0; k < 32; k++)
		set[k] |= t[k];
	return true;
}

/* Adds the bytes any item of p[i, end) may consume to set, look-arounds
 * left out (they consume nothing); false when not read. */
static bool S_seq_bytes(const char *p, size_t i, size_t end, bool *icase, uint8_t set[32])
{
	while (i < end) {
		if (p[i] == '|') {
			i++;
			continue;
		}
		witem it;
		if (!S_witem(p, i, icase, &it) || it.next > end ||
		    !S_item_bytes(p, &it, icase, set))
			return false;
		i = it.next;
	}
	return true;
}

/* True when the pattern sets i anywhere: read caseless throughout then. */
static bool S_any_icase(const char *p)
{
	for (const char *q = p; (q = strstr(q, "(?")); q += 2)
		for (size_t k = 2; q[k] && strchr("imsnUJx-^", q[k]); k++)
			if (q[k] == 'i')
				return true;
	return false;
}

/* The last character of a match of p[i, end) (its '|' included): its bytes
 * go to set, a superset. Returns 1 when every match consumes something, 0
 * when one may be empty (set holds what the others end with), -1 when the
 * text is not read. */
static int S_last_of(const char *p, size_t i, size_t end, bool icase, int depth, uint8_t set[32])
{
	enum { MAXI = 64 };
	witem its[MAXI];
	int ni = 0, all = 1;
	if (depth > 8)
		return -1;
	for (;;) { /* one branch: its items, then back from the last */
		ni = 0;
		while (i < end && p[i] != '|') {
			if (ni == MAXI || !S_witem(p, i, &icase, &its[ni]) || its[ni].next > end)
				return -1;
			i = its[ni++].next;
		}
		int r = 0;
		for (int k = ni - 1; k >= 0 && r == 0; k--) {
			const witem *it = &its[k];
			if (it->zero)
				continue;
			if (it->in) {
				r = S_last_of(p, it->in, it->end - 1, icase, depth + 1, set);
				if (r < 0)
					return -1;
			} else {
				if (!S_item_bytes(p, it, &icase, set))
					return -1;
				r = 1;
			}
			if (it->optional)
				r = 0;
		}
		all &= r;
		if (i >= end)
			return all;
		i++; /* '|' */
	}
}

/* Reads the bytes a match must end with, when p (without a top-level
 * branch) ends with $: a line can match only if its last byte is in set.
 * (?<=[...])$ says it outright; else it is the last character of what comes
 * before the $ (related-tail says (?<=[^.])$, which its pattern implied). */
static bool S_read_last(const char *p, uint8_t set[32])
{
	size_t n = strlen(p);
	if (n < 3 || p[n - 1] != '$' || p[n - 2] == '\\' || reqbytes_has_alt(p, 0, n))
		return false;
	bool icase = S_any_icase(p);
	size_t i = 0, prev = 0;
	while (i < n - 1) { /* the items in order, to find the last one's start */
		prev = i;
		if (!(i = reqbytes_skip_item(p, i)))
			return false;
	}
	if (i != n - 1)
		return false;
	if (strncmp(p + prev, "(?<=[", 5) == 0 && S_class_at(p, prev + 4, NULL) == n - 2)
		return S_read_class(p, prev + 4, set, icase);
	memset(set, 0, 32);
	return S_last_of(p, 0, n - 1, icase, 0, set) == 1 && S_pop(set) < 256;
}

/* Reads a look-ahead that opens p, ^(?=[...]*X) with X one character: a
 * line can match only if its first byte outside the class (in run) is X.
 * outlet-footer says (?=[^ .]*\.) so: a domain's first dot comes before any
 * space. */
static bool S_read_run(const char *p, uint8_t run[32], unsigned char *stop)
{
	if (strncmp(p, "^(?=[", 5) != 0 || reqbytes_has_alt(p, 0, strlen(p)) ||
	    !S_read_class(p, 4, run, false))
		return false;
	size_t i = S_class_at(p, 4, NULL);
	if (p[i++] != '*')
		return false;
	if (p[i] == '+' || p[i] == '?')
		i++;
	unsigned char c = (unsigned char)p[i];
	if (c == '\\') {
		c = (unsigned char)p[++i];
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			return false;
	} else if (strchr("^$.|()?*+{}[", c)) {
		return false;
	}
	if (c < ' ' || c > '~' || (c >= '0' && c <= '9') || p[i + 1] != ')' ||
	    strchr("?*+{", p[i + 2]) || (run[c >> 3] >> (c & 7) & 1))
		return false;
	*stop = c;
	return true;
}

/* Reads how a match of p, ^..., begins: run gets the bytes of the items up
 * to the first one that must match one byte, the stop, which none of them
 * can hold (dateline-place-outlet: a place, then a comma): a line can match
 * only if its first byte outside run is the stop. When no such item comes
 * before a final $, the stop is 0: every byte of a matching line is in run
 * (code-bracket, ^[...]+$). */
static bool S_read_prefix(const char *p, uint8_t run[32], unsigned char *stop)
{
	size_t n = strlen(p), i = 1;
	bool icase = false;
	memset(run, 0, 32);
	if (p[0] != '^' || reqbytes_has_alt(p, 0, n))
		return false;
	while (i < n) {
		witem it;
		if (!S_witem(p, i, &icase, &it))
			return false;
		if (it.zero) {
			if (p[i] == '$' && it.next == n) { /* $ may leave a final newline out */
				S_bit(run, '\n');
				*stop = 0;
				/* a run of nearly every sign would only cost a walk
				 * over the line (meta-reporter) */
				int printable = 0;
				for (unsigned b = ' '; b <= '~'; b++)
					printable += run[b >> 3] >> (b & 7) & 1;
				return printable < 90;
			}
			i = it.next;
			continue;
		}
		uint8_t t[32] = {0};
		if (!S_item_bytes(p, &it, &icase, t))
			return false;
		if (it.one && !it.optional && !S_meets(t, run) && S_pop(t) == 1) {
			unsigned c = 0;
			while (!(t[c >> 3] >> (c & 7) & 1))
				c++;
			*stop = (unsigned char)c;
			return c != 0; /* 0 is the whole line's mark */
		}
		for (int k = 0; k < 32; k++)
			run[k] |= t[k];
		if (S_pop(run) == 256)
			return false;
		i = it.next;
	}
	return false;
}

void reqbytes_shape_read(const char *pattern, rb_shape *sh)
{
	memset(sh, 0, sizeof *sh);
	S_read_lead(pattern, sh);
	sh->has_last = S_read_last(pattern, sh->last);
	sh->has_run =
	    S_read_run(pattern, sh->run, &sh->stop) || S_read_prefix(pattern, sh->run, &sh->stop);
}

bool reqbytes_shape_any(const rb_shape *sh)
{
	return sh->nlead || sh->has_last || sh->has_run;
}

bool reqbytes_shape_may(const rb_shape *sh, const char *s, size_t n)
{
	if (!n)
		return true;
	unsigned char z = (unsigned char)s[n - 1];
	if ((sh->has_last && !(sh->last[z >> 3] & (1u << (z & 7)))) ||
	    (sh->nlead && !S_lead_ok(sh, s, n)))
		return false;
	if (sh->has_run) { /* the first byte outside the run must be the stop */
		const unsigned char *u = (const unsigned char *)s, *run = sh->run;
		if (!sh->stop) { /* the whole line */
			for (size_t k = 0; k < n; k++)
				if (!(run[u[k] >> 3] >> (u[k] & 7) & 1))
					return false;
			return true;
		}
		/* A run of letters and spaces may last a sentence: memchr, quicker
		 * per byte, rejects most lines first. The stop is outside the run
		 * (both readers make sure), so the walk ends at it at the latest. */
		const unsigned char *at = memchr(u, sh->stop, n);
		if (!at)
			return false;
		while (run[*u >> 3] >> (*u & 7) & 1)
			u++;
		return u == at;
	}
	return true;
}
