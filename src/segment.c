/* SPDX-License-Identifier: MIT */
/* Stage 4, segment: tokens and sentences over every zone but noise.
 *
 * Input: doc->text and doc->zones (sorted, contiguous). Output: doc->toks and
 * doc->sents in text order. Each zone is tokenized first, then cut into
 * sentences, so a sentence never crosses a zone. Every non-space character
 * belongs to exactly one token; a sentence runs from its first token's start
 * to its last token's end. Words keep internal hyphens and apostrophes
 * ("Jong-un", "ke-3", "Jum'at"); numbers keep . , / : between digits
 * ("1.250.000", "2,5", "9/1/2026"); an abbreviation keeps its dots ("K.H.").
 *
 * Speed: the common word, a run of ASCII letters and digits that ends at a
 * space or at a mark that joins nothing, is read from bit masks of 64 bytes
 * (S_block: SSE2 where the target has it, SWAR else) and ASCII marks inline;
 * every other token goes through S_token, which decides it character by
 * character. Both give the same tokens. Words that each end at one ' '
 * before the next are written in a run from the masks (S_words); the
 * tokenizer marks the tokens where the sentence cutter must look (S_plain),
 * so that it steps over the rest a bit-mask word at a time.
 */
#include "internal.h"

#include <string.h>
#include <utf8proc.h>

#include "bytemask.h"

/* Character classes. */
enum { C_SPACE, C_UPPER, C_LOWER, C_LETTER, C_DIGIT, C_PUNCT, C_SYM };

/* ASCII classes: P* and S* as Unicode has them. */
static const uint8_t S_ascii[128] = {
    C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   /* 00 */
    C_SYM,   C_SPACE, C_SPACE, C_SPACE, C_SPACE, C_SPACE, C_SYM,   C_SYM,   /* 08 */
    C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   /* 10 */
    C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   C_SYM,   /* 18 */
    C_SPACE, C_PUNCT, C_PUNCT, C_PUNCT, C_SYM,   C_PUNCT, C_PUNCT, C_PUNCT, /*  !"#$%&' */
    C_PUNCT, C_PUNCT, C_PUNCT, C_SYM,   C_PUNCT, C_PUNCT, C_PUNCT, C_PUNCT, /* ()*+,-./ */
    C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, /* 0-7 */
    C_DIGIT, C_DIGIT, C_PUNCT, C_PUNCT, C_SYM,   C_SYM,   C_SYM,   C_PUNCT, /* 89:;<=>? */
    C_PUNCT, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, /* @A-G */
    C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, /* H-O */
    C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, /* P-W */
    C_UPPER, C_UPPER, C_UPPER, C_PUNCT, C_PUNCT, C_PUNCT, C_SYM,   C_PUNCT, /* XYZ[\]^_ */
    C_SYM,   C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, /* `a-g */
    C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, /* h-o */
    C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, /* p-w */
    C_LOWER, C_LOWER, C_LOWER, C_PUNCT, C_SYM,   C_PUNCT, C_SYM,   C_SYM,   /* xyz{|}~ DEL */
};

static int S_class_high(const char *s, size_t i, size_t n, size_t *len, int32_t *cp);

/* Skips the run of ASCII letters and digits at s[r, to); returns its end,
 * adds its digits to *nd and ORs a non-zero mask into *low when it has a
 * small letter. */
static inline size_t S_alnum_run(const char *s, size_t r, size_t to, unsigned *nd, uint64_t *low)
{
	const unsigned char *u = (const unsigned char *)s;
	for (;;) {
		uint64_t v = 0;
		if (to - r >= 8) {
			memcpy(&v, u + r, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			v = __builtin_bswap64(v); /* s[r] in the lowest byte */
#endif
		} else {
			/* the zone's last bytes: the zeros after them stop the run */
			for (size_t k = 0; k < to - r; k++)
				v |= (uint64_t)u[r + k] << (8 * k);
		}
		uint64_t lo, dig, stop = ~bm_alnum8(v, &lo, &dig) & BM_HIGH;
		if (!stop) {
			*nd += bm_count8(dig);
			*low |= lo;
			r += 8;
			continue;
		}
		uint64_t before = (stop & -stop) - 1; /* the bytes before the first stop */
		*nd += bm_count8(dig & before);
		*low |= lo & before;
		return r + (size_t)(__builtin_ctzll(stop) >> 3);
	}
}

/* Out of line: rare, and inlined it spills the registers of the hot loop. */
#ifdef __GNUC__
#define S_RARE __attribute__((noinline))
#else
#define S_RARE
#endif

/* 64 bytes of a zone as bit masks (bit k: the byte at base + k), for the
 * tokenizer's common word: ASCII letters and digits, small letters, digits.
 * Bytes at or after the zone's end are in none. */
typedef struct block {
	size_t base;
	uint64_t alnum, low, dig;
	uint64_t sp; /* ASCII spaces (0x20), where most words end */
} block;

/* The masks of the 64 bytes at p (all of them before the zone's end). */
static inline block S_block64(size_t base, const unsigned char *p)
{
	bytemask m = bm_block64(p);
	return (block){base, m.alnum, m.low, m.dig, bm_spaces64(p)};
}

/* The masks of a zone's last bytes s[base, to), fewer than 64. */
S_RARE static block S_block_tail(const char *s, size_t base, size_t to)
{
	unsigned char tail[64] = {0}; /* zeros: in no mask */
	memcpy(tail, s + base, to - base);
	return S_block64(base, tail);
}

/* The masks of s[base, base + 64) in a zone that ends at to. */
static inline block S_block(const char *s, size_t base, size_t to)
{
	return to - base >= 64 ? S_block64(base, (const unsigned char *)s + base)
	                       : S_block_tail(s, base, to);
}

/* Classifies the character at s[i] (i < n); sets *len and *cp. */
static inline int S_class(const char *s, size_t i, size_t n, size_t *len, int32_t *cp)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80) {
		*len = 1;
		*cp = c;
		return S_ascii[c];
	}
	return S_class_high(s, i, n, len, cp);
}

static int S_class_high(const char *s, size_t i, size_t n, size_t *len, int32_t *cp)
{
	utf8proc_int32_t u;
	utf8proc_ssize_t k =
	    utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &u);
	if (k <= 0) {
		*len = 1;
		*cp = 0xFFFD;
		return C_SYM;
	}
	*len = (size_t)k;
	*cp = u;
	switch (utf8proc_category(u)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT: return C_UPPER;
	case UTF8PROC_CATEGORY_LL: return C_LOWER;
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: return C_LETTER;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP: return C_SPACE;
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO: return C_PUNCT;
	default: return C_SYM;
	}
}

static bool S_wordch(int cl)
{
	return cl >= C_UPPER && cl <= C_DIGIT;
}
static bool S_letter(int cl)
{
	return cl >= C_UPPER && cl <= C_LETTER;
}

/* A flag private to this stage, cleared before it returns: the token is an
 * abbreviation that may end a sentence before a capital. */
#define TF_MAY_END (1u << 7)

typedef struct seg {
	warta_doc *doc;
	const char *s;
	const wordlist *abbr;
	int end_col;
	/* the longest folded form of abbr, or -1 before it is needed */
	long abbr_max;
	bool may_end; /* a token has TF_MAY_END, which S_close clears */
	/* bit k: token k may need S_sentences' look (S_plain says which need
	 * none); a bit per slot of doc->toks */
	uint64_t *mark;
} seg;

/* An ASCII word of n letters followed by '.' that this says cannot start
 * an abbreviation makes S_abbrev return 0: its first segment is no single
 * letter (n >= 2), so no chain is made of single letters; and every chain
 * holds the word and its dot, which fold to n + 1 bytes, more than any
 * form of the list has, so wordlist_find finds none. */
static bool S_abbr_too_long(seg *G, size_t n)
{
	if (G->abbr_max < 0) {
		G->abbr_max = 0;
		const wordlist *wl = G->abbr;
		for (size_t r = 0; wl && wl->index_cap && r < wl->nrows; r++)
			if (wl->fold_len[r] > G->abbr_max)
				G->abbr_max = wl->fold_len[r];
	}
	return n >= 2 && n + 1 > (size_t)G->abbr_max;
}

/* Finds the abbreviation that starts at a word s[b..e) followed by '.':
 * the longest chain "X." "X.Y." ... (no spaces) that is listed, or made of
 * single letters (an initial must be a capital). Returns its end or 0. */
static size_t S_abbrev(const seg *G, size_t b, size_t e, size_t lim, bool *may_end)
{
	const char *s = G->s;
	size_t ends[6];
	bool single[6];
	size_t ne = 0, i = b;
	bool all_single = true;
	/* segments: letters then '.' */
	while (ne < 6) {
		size_t j = i, nl = 0, len;
		int32_t cp;
		bool upper = false;
		while (j < lim) {
			int cl = S_class(s, j, lim, &len, &cp);
			if (!S_letter(cl))
				break;
			if (nl == 0)
				upper = cl == C_UPPER;
			nl++;
			j += len;
		}
		if (nl == 0 || j >= lim || s[j] != '.')
			break;
		if (ne == 0 && j != e)
			return 0; /* the word has more than letters */
		all_single = all_single && nl == 1;
		single[ne] = all_single && (ne > 0 || upper);
		ends[ne++] = j + 1;
		i = j + 1;
	}
	for (size_t k = ne; k-- > 0;) {
		size_t l2;
		int32_t c2;
		if (ends[k] < lim && S_wordch(S_class(s, ends[k], lim, &l2, &c2)))
			continue; /* "co.id" is a domain, not "co." */
		const tsv_row *r =
		    ends[k] - b < 64 && G->abbr ? wordlist_find(G->abbr, s + b, ends[k] - b) : NULL;
		if (r) {
			*may_end = G->end_col >= 0 && strcmp(r->cell[G->end_col], "capital") == 0;
			return ends[k];
		}
		if (single[k]) {
			*may_end = false;
			return ends[k];
		}
	}
	return 0;
}

/* The abbreviation (S_abbrev) that a word s[start, i) followed by '.' may
 * start: returns its end with its letters counted in *letters and *lower and
 * its flags in *flags, or i when there is none. */
S_RARE static size_t S_abbr_take(seg *G, size_t start, size_t i, size_t to, unsigned *letters,
                                 bool *lower, uint8_t *flags)
{
	bool may_end = false;
	size_t e = S_abbrev(G, start, i, to, &may_end);
	if (!e)
		return i;
	/* count the letters of the chain for the case flags */
	size_t len;
	int32_t cp;
	for (size_t j = i; j < e; j += len) {
		int c3 = S_class(G->s, j, to, &len, &cp);
		if (S_letter(c3)) {
			++*letters;
			*lower |= c3 != C_UPPER;
		}
	}
	*flags |= TF_ABBR | (may_end ? TF_MAY_END : 0);
	G->may_end |= may_end;
	return e;
}

/* Ends the word token t = s[start, i): an abbreviation takes its dots, and
 * the counts of the word make its kind and flags. Returns the token's end. */
static inline size_t S_word_end(seg *G, token *t, size_t start, size_t i, size_t to,
                                unsigned letters, bool lower, unsigned digits, bool first_upper)
{
	uint8_t flags = 0;
	if (!digits && i < to && G->s[i] == '.')
		i = S_abbr_take(G, start, i, to, &letters, &lower, &flags);
	if (first_upper)
		flags |= TF_CAP;
	if (letters >= 2 && !lower)
		flags |= TF_ALLCAP;
	if (digits)
		flags |= TF_DIGIT;
	*t = (token){.start = (uint32_t)start,
	             .end = (uint32_t)i,
	             .kind = letters ? TK_WORD : TK_NUM,
	             .flags = flags};
	return i;
}

/* What the byte after a run of ASCII letters and digits makes of the word
 * (for the general loop of S_tokenize): ST_LOOP that loop must decide
 * (any byte >= 0x80; '-' and '\'' may join letters), ST_SPACE it ends and
 * the space is skipped, ST_DIGJOIN it ends unless a digit is before it (a
 * '.' may make an abbreviation), ST_END it ends. */
enum { ST_END, ST_LOOP, ST_SPACE, ST_DIGJOIN, ST_ABBR };
#define S_STOP16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const uint8_t S_stop[256] = {
    ['\t'] = ST_SPACE,          ['\n'] = ST_SPACE,  ['\v'] = ST_SPACE,  ['\f'] = ST_SPACE,
    ['\r'] = ST_SPACE,          [' '] = ST_SPACE,   ['\''] = ST_LOOP,   ['-'] = ST_LOOP,
    [','] = ST_DIGJOIN,         ['.'] = ST_DIGJOIN, ['/'] = ST_DIGJOIN, [':'] = ST_DIGJOIN,
    [0x80] = S_STOP16(ST_LOOP), S_STOP16(ST_LOOP),  S_STOP16(ST_LOOP),  S_STOP16(ST_LOOP),
    S_STOP16(ST_LOOP),          S_STOP16(ST_LOOP),  S_STOP16(ST_LOOP),  S_STOP16(ST_LOOP),
};
#undef S_STOP16

/* Tokenizes the token at s[i] (i < to, no ASCII space) into *t the general
 * way, for any character; returns where the next token may start (after
 * the space that ends a word), with *made false when s[i] is a space
 * outside ASCII and there is no token. */
S_RARE static size_t S_token(seg *G, size_t i, size_t to, token *t, bool *made)
{
	const char *s = G->s;
	size_t start = i, len;
	int32_t cp;
	int cl = S_class(s, i, to, &len, &cp);
	*made = cl != C_SPACE;
	if (cl == C_SPACE)
		return i + len;
	if (!S_wordch(cl)) {
		bool term = cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
		i += len;
		/* a run of sentence marks is one token: "...", "?!" */
		while (term && i < to) {
			int32_t c2;
			size_t l2;
			S_class(s, i, to, &l2, &c2);
			if (c2 != '.' && c2 != '!' && c2 != '?' && c2 != 0x2026)
				break;
			i += l2;
		}
		*t = (token){.start = (uint32_t)start,
		             .end = (uint32_t)i,
		             .kind = cl == C_PUNCT ? TK_PUNCT : TK_SYM};
		return i;
	}
	unsigned letters = 0, digits = 0;
	bool lower = false; /* a letter that is not a capital */
	/* a token that starts with a letter has its case from it; others
	 * (a digit, a letter of no case) look for their first letter */
	bool first_upper = cl == C_UPPER, seek_first = cl != C_UPPER && cl != C_LOWER;
	size_t gap = 0; /* the space after the word, skipped with it */
	int prev = C_SPACE;
	for (;;) {
		/* a run of ASCII letters and digits */
		unsigned nd = 0;
		uint64_t low = 0;
		size_t r = S_alnum_run(s, i, to, &nd, &low);
		if (r > i) {
			unsigned nl = (unsigned)(r - i) - nd;
			if (seek_first && nl) { /* the token's first letter */
				size_t q = i;
				while (S_ascii[(unsigned char)s[q]] == C_DIGIT)
					q++;
				first_upper = S_ascii[(unsigned char)s[q]] == C_UPPER;
				seek_first = false;
			}
			digits += nd;
			letters += nl;
			lower |= low != 0;
			prev = S_ascii[(unsigned char)s[r - 1]];
			i = r;
		}
		if (i >= to)
			break;
		cl = S_class(s, i, to, &len, &cp);
		if (cl == C_SPACE) {
			gap = len;
			break;
		}
		if (S_wordch(cl)) {
			if (S_letter(cl)) {
				if (seek_first)
					first_upper = cl == C_UPPER;
				seek_first = false;
				letters++;
				lower |= cl != C_UPPER;
			} else {
				digits++;
			}
			prev = cl;
			i += len;
		} else {
			/* a joiner between two word characters */
			size_t l2;
			int32_t c2;
			int next = i + len < to ? S_class(s, i + len, to, &l2, &c2) : C_SPACE;
			bool join = false;
			if (cp == '-')
				join = S_wordch(next) && (prev != C_DIGIT || next != C_DIGIT);
			else if (cp == '\'')
				join = S_letter(prev) && S_letter(next);
			else if (cp == '.' || cp == ',' || cp == '/' || cp == ':')
				join = prev == C_DIGIT && next == C_DIGIT;
			if (!join)
				break;
			prev = C_SPACE;
			i += len;
		}
	}
	return S_word_end(G, t, start, i, to, letters, lower, digits, first_upper) + gap;
}

/* Whether S_sentences has nothing to do at token t, whose predecessor in
 * its zone ends at pe: a word or number, no abbreviation that may end a
 * sentence, glued to that token or one byte after it that is not a line
 * end. Its plain-word loop skips exactly these. */
static inline bool S_plain(const char *s, const token *t, size_t pe)
{
	return t->kind != TK_PUNCT && !(t->flags & TF_MAY_END) &&
	       (t->start == pe || (t->start == pe + 1 && s[pe] != '\n'));
}

/* Marks token k of v for S_sentences unless it is plain after pe. */
static inline void S_note(seg *G, const token *v, const token *t, size_t pe)
{
	if (!S_plain(G->s, t, pe)) {
		size_t k = (size_t)(t - v);
		G->mark[k >> 6] |= (uint64_t)1 << (k & 63);
	}
}

/* Makes room for a token more in doc->toks (and its bit in G->mark). */
S_RARE static bool S_grow(seg *G)
{
	warta_doc *doc = G->doc;
	size_t old = doc->toks.cap;
	if (!vec_reserve_(&doc->a, (void **)&doc->toks.v, doc->toks.n, &doc->toks.cap,
	                  sizeof *doc->toks.v))
		return false;
	uint64_t *m = arena_alloc(&doc->a, (doc->toks.cap / 64 + 1) * sizeof *m);
	if (!m)
		return false;
	memcpy(m, G->mark, (old / 64 + 1) * sizeof *m);
	G->mark = m;
	return true;
}

/* Writes the common words of B from the one at bit off, which ends at
 * bit e (< 64) at a ' ', on: each next one starts right after the last
 * one's space and ends at a ' ' in B, so all but the first are plain
 * (S_plain); at most until *t reaches tend. Returns the bit after the last
 * one's space. The masks are read as bits of B, not shifted: the bits of a
 * word are eb - sb, with sb its first bit and eb the bit after it. */
static inline size_t S_words(const block *B, size_t off, size_t e, token **tp, const token *tend)
{
	const uint64_t A = B->alnum, D = B->dig, L = B->low, SP = B->sp, U = A & ~L & ~D;
	const uint32_t base = (uint32_t)B->base;
	token *t = *tp;
	uint64_t sb = (uint64_t)1 << off, eb = (uint64_t)1 << e;
	for (;;) {
		uint64_t w = eb - sb, dig = D & w, low = L & w;
		t->start = base + (uint32_t)off;
		t->end = base + (uint32_t)e;
		if (!dig) { /* a word of letters: its first is its case */
			t->kind = TK_WORD;
			t->flags = (uint8_t)(((U & sb) ? TF_CAP : 0) |
			                     (!low && (w & (w - 1)) ? TF_ALLCAP : 0));
		} else {
			uint64_t letter = w & ~D;
			t->kind = letter ? TK_WORD : TK_NUM;
			t->flags =
			    (uint8_t)(((letter & -letter & U) ? TF_CAP : 0) |
			              ((letter & (letter - 1)) && !low ? TF_ALLCAP : 0) | TF_DIGIT);
		}
		t++;
		sb = eb << 1; /* 0 past bit 63 */
		off = e + 1;
		uint64_t rest = ~A & -sb; /* the bytes from off on that end a word */
		if (!(A & sb) || t == tend || !rest)
			break;
		eb = rest & -rest;
		if (!(SP & eb))
			break;
		e = (size_t)__builtin_ctzll(eb);
	}
	*tp = t;
	return off;
}

/* Tokenizes s[from, to) into doc->toks. */
static int S_tokenize(seg *G, size_t from, size_t to)
{
	const char *s = G->s;
	warta_doc *doc = G->doc;
	/* the vector in locals: a token's byte stores could alias it */
	token *v = doc->toks.v, *t = v + doc->toks.n, *tend = v + doc->toks.cap;
	size_t i = from;
	size_t pe = from; /* the end of the last token (the zone's first is never read) */
	block B = S_block(s, from, to);
	while (i < to) {
		unsigned char c0 = (unsigned char)s[i];
		int lead = c0 < 0x80 ? S_ascii[c0] : -1; /* -1: S_token decides */
		if (lead == C_SPACE) {
			i++;
			continue;
		}
		if (t == tend) {
			doc->toks.n = (size_t)(t - v);
			if (!S_grow(G))
				return WARTA_ENOMEM;
			v = doc->toks.v;
			t = v + doc->toks.n;
			tend = v + doc->toks.cap;
		}
		/* The common word: a run of ASCII letters and digits that the
		 * zone's end, an ASCII space or an ASCII mark that cannot join
		 * it to more ends (as S_token decides: '-' and '\'' may join
		 * letters, . , / : digits). Its counts come from B. */
		if (S_wordch(lead)) {
			size_t off = i - B.base;
			uint64_t stop;
			if (off >= 64 || !(stop = ~B.alnum >> off)) { /* it may leave B */
				B = S_block(s, i, to);
				off = 0;
				stop = ~B.alnum;
			}
			if (stop) { /* else a run of 64 bytes or more: S_token */
				unsigned k = (unsigned)__builtin_ctzll(stop); /* >= 1 */
				size_t e = off + k;
				if (B.sp >> e & 1) {
					token *t0 = t;
					off = S_words(&B, off, e, &t, tend);
					S_note(G, v, t0, pe);
					pe = B.base + off - 1;
					i = B.base + off;
					continue;
				}
				uint64_t run = ((uint64_t)1 << k) - 1;
				uint64_t dig = B.dig >> off & run, low = B.low >> off & run;
				uint64_t letter = run & ~dig;
				size_t r = i + k;
				int st = r < to ? S_stop[(unsigned char)s[r]] : ST_END;
				if (st == ST_DIGJOIN) {
					if (dig >> (k - 1)) /* a digit before it */
						st = ST_LOOP;
					else if (s[r] == '.' && !dig && !S_abbr_too_long(G, k))
						st = ST_ABBR;
					else
						st = ST_END;
				}
				if (st == ST_ABBR) {
					/* the counts as far as S_word_end reads them:
					 * letters up to two, any small letter */
					unsigned letters =
					    (letter != 0) + ((letter & (letter - 1)) != 0);
					i = S_word_end(G, t, i, r, to, letters, low != 0, 0,
					               (letter & -letter & ~low) != 0);
					S_note(G, v, t, pe);
					pe = t->end;
					t++;
					continue;
				}
				if (st != ST_LOOP) {
					t->start = (uint32_t)i;
					t->end = (uint32_t)r;
					t->kind = letter ? TK_WORD : TK_NUM;
					t->flags =
					    (uint8_t)(((letter & -letter & ~low) ? TF_CAP : 0) |
					              ((letter & (letter - 1)) && !low ? TF_ALLCAP
					                                               : 0) |
					              (dig ? TF_DIGIT : 0));
					S_note(G, v, t, pe);
					pe = r;
					t++;
					i = r + (st == ST_SPACE);
					continue;
				}
			}
		}
		if (lead == C_PUNCT || lead == C_SYM) {
			/* an ASCII mark; . ! ? start a run of sentence marks, which
			 * S_token reads as any of them or U+2026 (E2 80 A6 in full
			 * before the zone's end) */
			size_t e = i + 1;
			if (c0 == '.' || c0 == '!' || c0 == '?')
				for (;;) {
					if (e < to && (s[e] == '.' || s[e] == '!' || s[e] == '?'))
						e++;
					else if (to - e >= 3 &&
					         memcmp(s + e, "\xE2\x80\xA6", 3) == 0)
						e += 3;
					else
						break;
				}
			t->start = (uint32_t)i;
			t->end = (uint32_t)e;
			t->kind = lead == C_PUNCT ? TK_PUNCT : TK_SYM;
			t->flags = 0;
			S_note(G, v, t, pe);
			pe = e;
			t++;
			i = e;
			continue;
		}
		bool made;
		i = S_token(G, i, to, t, &made);
		if (made) {
			S_note(G, v, t, pe);
			pe = t->end;
			t++;
		}
	}
	doc->toks.n = (size_t)(t - v);
	return WARTA_OK;
}

/* Returns the class of a token's first character. */
static int S_first(const seg *G, const token *t)
{
	size_t len;
	int32_t cp;
	return S_class(G->s, t->start, t->end, &len, &cp);
}

static bool S_is(const seg *G, const token *t, char c)
{
	return t->end == t->start + 1 && G->s[t->start] == c;
}

static bool S_terminal(const seg *G, const token *t)
{
	if (t->kind != TK_PUNCT)
		return false;
	unsigned char c = (unsigned char)G->s[t->start];
	return c == '.' || c == '!' || c == '?' ||
	       (c == 0xE2 && t->end - t->start >= 3 &&
	        memcmp(G->s + t->start, "\xE2\x80\xA6", 3) == 0);
}

/* Counts line ends between two tokens. */
static unsigned S_newlines(const seg *G, uint32_t from, uint32_t to)
{
	if (to - from <= 1) /* glued or one space: nearly every pair of tokens */
		return from < to && G->s[from] == '\n';
	unsigned n = 0;
	for (uint32_t i = from; i < to; i++)
		n += G->s[i] == '\n';
	return n;
}

/* Whether a sentence that reaches token k inside a quotation opened before
 * it goes on after the closing quote ('"Kami siap. Kami kuat," kata Kim.'):
 * the closing quote on the same line follows a comma or is followed by a
 * comma or a lower-case word. */
static bool S_quote_goes_on(const seg *G, const token *t, size_t k, size_t end)
{
	for (size_t m = k + 1; m < end; m++) {
		if (S_newlines(G, t[m - 1].end, t[m].start))
			return false;
		if (!S_is(G, &t[m], '"'))
			continue;
		if (S_is(G, &t[m - 1], ','))
			return true;
		if (m + 1 >= end || S_newlines(G, t[m].end, t[m + 1].start))
			return false;
		return S_is(G, &t[m + 1], ',') || S_first(G, &t[m + 1]) == C_LOWER;
	}
	return false;
}

static int S_close(seg *G, size_t first, size_t last, zone_type z)
{
	warta_doc *doc = G->doc;
	sentence *se = VEC_PUSH(&doc->a, doc->sents);
	if (!se)
		return WARTA_ENOMEM;
	uint32_t idx = (uint32_t)(doc->sents.n - 1);
	se->start = doc->toks.v[first].start;
	se->end = doc->toks.v[last].end;
	se->zone = z;
	se->tok = (uint32_t)first;
	se->ntok = (uint32_t)(last - first + 1);
	token *t = doc->toks.v;
	for (token *p = t + first, *e = t + last; p <= e; p++)
		p->sent = idx;
	if (G->may_end) /* a token of the document has TF_MAY_END */
		for (size_t k = first; k <= last; k++)
			t[k].flags &= (uint8_t)~TF_MAY_END;
	t[first].flags |= TF_SENT_START;
	return WARTA_OK;
}

/* The first token in [k, b) that mark has a bit of, or b. */
static inline size_t S_next_mark(const uint64_t *mark, size_t k, size_t b)
{
	size_t w = k >> 6;
	uint64_t m = mark[w] & (~(uint64_t)0 << (k & 63));
	while (!m) {
		if (++w << 6 >= b)
			return b;
		m = mark[w];
	}
	k = (w << 6) + (size_t)__builtin_ctzll(m);
	return k < b ? k : b;
}

/* Cuts the tokens [a, b) of one zone into sentences. A sentence ends:
 * - at a blank line, and at a single line end too (scraped news has one
 *   paragraph, title or list item per line) unless the next line starts in
 *   lower case after a line without a sentence mark (hard-wrapped text);
 * - after . ! ? or an ellipsis (with the closing quotes and brackets that
 *   follow it) when a space and then a capital, a digit, a quote or an
 *   opening bracket follow; not after "1." opening a line, not inside a
 *   quotation that the sentence goes on after ('"Siap. Kuat," kata Kim.');
 * - after an abbreviation marked "capital" in abbreviations.tsv when a
 *   capitalised word follows. Other abbreviations and initials never end one.
 */
static int S_sentences(seg *G, size_t a, size_t b, zone_type z)
{
	const token *t = G->doc->toks.v;
	size_t first = a;
	bool in_quote = false;
	int quote_goes_on = -1; /* unknown until a sentence mark inside the quote */
	for (size_t k = a; k < b; k++) {
		if (k > first) {
			/* Most tokens: a word after no line end (S_plain). Nothing
			 * below applies to it (a quote and a sentence mark are
			 * TK_PUNCT): the tokenizer marked the others. */
			k = S_next_mark(G->mark, k, b);
			if (k >= b)
				break;
			unsigned nl = S_newlines(G, t[k - 1].end, t[k].start);
			/* One paragraph per line is how news is written; a line that
			 * goes on in lower case without a sentence mark is wrapped. */
			if (nl >= 2 || (nl == 1 && !(S_first(G, &t[k]) == C_LOWER &&
			                             !S_terminal(G, &t[k - 1])))) {
				int rc = S_close(G, first, k - 1, z);
				if (rc)
					return rc;
				first = k;
				in_quote = false;
				quote_goes_on = -1;
			}
		}
		if (S_is(G, &t[k], '"')) {
			in_quote = !in_quote;
			quote_goes_on = -1;
			continue;
		}
		bool term = S_terminal(G, &t[k]);
		if (!term && !(t[k].flags & TF_MAY_END))
			continue;
		/* a list number "1." opens a sentence, it does not end one */
		if (term && k == first + 1 && t[first].kind == TK_NUM && S_is(G, &t[k], '.'))
			continue;
		/* closing quotes and brackets right after the mark belong here */
		size_t j = k + 1;
		while (j < b) {
			bool glued = t[j].start == t[j - 1].end;
			/* a quote that leans on what follows it opens the next sentence */
			bool lean = j + 1 < b && t[j + 1].start == t[j].end;
			if (S_is(G, &t[j], '"') &&
			    (glued ? in_quote || !lean
			           : in_quote && !lean && !S_newlines(G, t[j - 1].end, t[j].start)))
				in_quote = false;
			else if (!glued || !(S_is(G, &t[j], '\'') || S_is(G, &t[j], ')') ||
			                     S_is(G, &t[j], ']')))
				break;
			j++;
		}
		if (j >= b || t[j].start == t[j - 1].end ||
		    S_newlines(G, t[j - 1].end, t[j].start)) {
			k = j - 1; /* zone end, glued text, or the line rule decides */
			continue;
		}
		int next = S_first(G, &t[j]);
		bool brk;
		if (!term) /* an abbreviation that may end a sentence */
			brk = next == C_UPPER;
		else
			brk = next == C_UPPER || next == C_DIGIT || S_is(G, &t[j], '"') ||
			      S_is(G, &t[j], '\'') || S_is(G, &t[j], '(') || S_is(G, &t[j], '[');
		if (brk && in_quote && term) {
			if (quote_goes_on < 0)
				quote_goes_on = S_quote_goes_on(G, t, k, b);
			brk = !quote_goes_on;
		}
		if (brk) {
			int rc = S_close(G, first, j - 1, z);
			if (rc)
				return rc;
			first = j;
		}
		k = j - 1;
	}
	if (first < b)
		return S_close(G, first, b - 1, z);
	return WARTA_OK;
}

int segment_run(warta_doc *doc)
{
	seg G = {.doc = doc, .s = doc->text, .end_col = -1, .abbr_max = -1};
	G.abbr = ruleset_list(doc->rs, "abbreviations");
	if (G.abbr)
		G.end_col = wordlist_col(G.abbr, "end");
	zone whole = {.type = Z_BODY, .start = 0, .end = doc->len};
	const zone *zs = doc->zones.n ? doc->zones.v : &whole;
	size_t nz = doc->zones.n ? doc->zones.n : 1;
	if (!doc->toks.cap && doc->len) {
		/* about one token per 6 bytes of news: room for them at once, not
		 * zeroed, spares the copying and zeroing of a vector that doubles
		 * from 16 (a tenth of the stage) */
		size_t cap = doc->len / 5 + 16;
		token *v = arena_alloc_raw(&doc->a, cap * sizeof *v);
		if (!v)
			return WARTA_ENOMEM;
		doc->toks.v = v;
		doc->toks.cap = cap;
	}
	G.mark = arena_alloc(&doc->a, (doc->toks.cap / 64 + 1) * sizeof *G.mark);
	if (!G.mark)
		return WARTA_ENOMEM;
	for (size_t i = 0; i < nz; i++) {
		if (zs[i].type == Z_NOISE || zs[i].end <= zs[i].start)
			continue;
		size_t a = doc->toks.n;
		int rc = S_tokenize(&G, zs[i].start, zs[i].end > doc->len ? doc->len : zs[i].end);
		if (!rc)
			rc = S_sentences(&G, a, doc->toks.n, zs[i].type);
		if (rc)
			return rc;
	}
	return WARTA_OK;
}
