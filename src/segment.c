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
 */
#include "internal.h"

#include <string.h>
#include <utf8proc.h>

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

/* The ASCII letters and digits for the tokenizer's inner loop, as counts
 * to add: bits 0-20 the byte itself, 21-41 a digit, 42-62 a capital, so a
 * run is counted with one load and one add per byte (runs are cut at
 * S_RUN_MAX bytes, so no field overflows). 0: any other byte. */
#define S_L       1ull
#define S_D       (1ull | 1ull << 21)
#define S_U       (1ull | 1ull << 42)
#define S_RUN_MAX ((size_t)1 << 20)
static const uint64_t S_run[256] = {
    ['0'] = S_D, ['1'] = S_D, ['2'] = S_D, ['3'] = S_D, ['4'] = S_D, ['5'] = S_D, ['6'] = S_D,
    ['7'] = S_D, ['8'] = S_D, ['9'] = S_D, ['A'] = S_U, ['B'] = S_U, ['C'] = S_U, ['D'] = S_U,
    ['E'] = S_U, ['F'] = S_U, ['G'] = S_U, ['H'] = S_U, ['I'] = S_U, ['J'] = S_U, ['K'] = S_U,
    ['L'] = S_U, ['M'] = S_U, ['N'] = S_U, ['O'] = S_U, ['P'] = S_U, ['Q'] = S_U, ['R'] = S_U,
    ['S'] = S_U, ['T'] = S_U, ['U'] = S_U, ['V'] = S_U, ['W'] = S_U, ['X'] = S_U, ['Y'] = S_U,
    ['Z'] = S_U, ['a'] = S_L, ['b'] = S_L, ['c'] = S_L, ['d'] = S_L, ['e'] = S_L, ['f'] = S_L,
    ['g'] = S_L, ['h'] = S_L, ['i'] = S_L, ['j'] = S_L, ['k'] = S_L, ['l'] = S_L, ['m'] = S_L,
    ['n'] = S_L, ['o'] = S_L, ['p'] = S_L, ['q'] = S_L, ['r'] = S_L, ['s'] = S_L, ['t'] = S_L,
    ['u'] = S_L, ['v'] = S_L, ['w'] = S_L, ['x'] = S_L, ['y'] = S_L, ['z'] = S_L,
};

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
} seg;

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

/* Tokenizes s[from, to) into doc->toks. */
static int S_tokenize(seg *G, size_t from, size_t to)
{
	const char *s = G->s;
	size_t i = from;
	while (i < to) {
		size_t len;
		int32_t cp;
		int cl = S_class(s, i, to, &len, &cp);
		if (cl == C_SPACE) {
			i += len;
			continue;
		}
		token *t = VEC_PUSH(&G->doc->a, G->doc->toks);
		if (!t)
			return WARTA_ENOMEM;
		*t = (token){0}; /* the room segment_run makes is not zeroed */
		t->start = (uint32_t)i;
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
			t->end = (uint32_t)i;
			t->kind = cl == C_PUNCT ? TK_PUNCT : TK_SYM;
			continue;
		}
		unsigned letters = 0, upper = 0, digits = 0;
		/* a token that starts with a letter has its case from it; others
		 * (a digit, a letter of no case) look for their first letter */
		bool first_upper = cl == C_UPPER, seek_first = cl != C_UPPER && cl != C_LOWER;
		size_t gap = 0; /* the space after the word, skipped with it */
		int prev = C_SPACE;
		for (;;) {
			/* the common case: a run of ASCII letters and digits */
			size_t r = i, lim = to - i > S_RUN_MAX ? i + S_RUN_MAX : to;
			uint64_t acc = 0, f;
			while (r < lim && (f = S_run[(unsigned char)s[r]]) != 0) {
				acc += f;
				r++;
			}
			if (r > i) {
				const uint64_t mask = ((uint64_t)1 << 21) - 1;
				unsigned nd = (unsigned)(acc >> 21 & mask),
				         nu = (unsigned)(acc >> 42);
				unsigned nl = (unsigned)(r - i) - nd;
				if (seek_first && nl) { /* the token's first letter */
					size_t q = i;
					while (S_ascii[(unsigned char)s[q]] == C_DIGIT)
						q++;
					first_upper = S_ascii[(unsigned char)s[q]] == C_UPPER;
					seek_first = false;
				}
				digits += nd;
				upper += nu;
				letters += nl;
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
					upper += cl == C_UPPER;
				} else {
					digits++;
				}
				prev = cl;
				i += len;
			} else {
				/* a joiner between two word characters */
				size_t l2;
				int32_t c2;
				int next =
				    i + len < to ? S_class(s, i + len, to, &l2, &c2) : C_SPACE;
				bool join = false;
				if (cp == '-')
					join =
					    S_wordch(next) && (prev != C_DIGIT || next != C_DIGIT);
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
		uint8_t flags = 0;
		if (!digits && i < to && s[i] == '.') {
			bool may_end = false;
			size_t e = S_abbrev(G, t->start, i, to, &may_end);
			if (e) {
				/* count the letters of the chain for the case flags */
				for (size_t j = i; j < e; j += len) {
					int c3 = S_class(s, j, to, &len, &cp);
					if (S_letter(c3)) {
						letters++;
						upper += c3 == C_UPPER;
					}
				}
				i = e;
				flags |= TF_ABBR | (may_end ? TF_MAY_END : 0);
			}
		}
		t->end = (uint32_t)i;
		t->kind = letters ? TK_WORD : TK_NUM;
		if (first_upper)
			flags |= TF_CAP;
		if (letters >= 2 && upper == letters)
			flags |= TF_ALLCAP;
		if (digits)
			flags |= TF_DIGIT;
		t->flags = flags;
		i += gap;
	}
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
	for (size_t k = first; k <= last; k++) {
		doc->toks.v[k].sent = idx;
		doc->toks.v[k].flags &= (uint8_t)~TF_MAY_END;
	}
	doc->toks.v[first].flags |= TF_SENT_START;
	return WARTA_OK;
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
	seg G = {.doc = doc, .s = doc->text, .end_col = -1};
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
