/* SPDX-License-Identifier: MIT */
/* Stage 5: the entity lists (gazetteers/README.md) matched over the text.
 *
 * Input: doc->text and its zones (no zones = one body zone); the tokens are
 * not used. Output: one mention per match in doc->mentions, priority 40 (rules
 * default to 50, so a specific rule beats a list on the same span). Matches
 * are whole words and leftmost-longest; a match may start right after a
 * hyphen ("pro-Rusia" holds "Rusia") but never inside a word ("Rusianya" holds
 * nothing). When several rows share a folded form, an exact-case form that
 * fits wins (an acronym "KIM" over a "Kim" listed earlier), else the first
 * loaded row; gazetteer_check() reports forms two types can both take.
 *
 * Every form of every list lives in one byte trie over case-folded UTF-8,
 * stored as flat pointer-free arrays in breadth-first order, so the children
 * of a state are one contiguous run of states with sorted labels:
 *
 *   forms 0, 1, 2 = "ko", "kor", "ru":
 *
 *   state   0    1    2    3    4    5   (6)   children of s: first[s] ..
 *   key     -    k    r    ko   ru   kor       first[s+1]-1; out[s]: 1 + the
 *   label   -   'k'  'r'  'o'  'u'  'r'        first form whose key ends at s
 *   first   1    3    4    5    6    6    6    (0: none); other forms with the
 *   out     0    0    0    1    3    2         same key follow gz_form.next.
 *
 * Matches can only begin at a word start, so the matcher walks the trie from
 * each word start and keeps the longest accepted end: no failure links are
 * needed and the work per word is bounded by the longest form prefix the text
 * holds there, not by the number of names. The text is read as bit masks of
 * 64 bytes: the bytes between words that start no form are skipped from
 * them, and most words are ASCII letters and digits followed by an ASCII
 * byte, whose end comes from them too: such a word is looked up whole in a
 * table of the forms' first words, which turns nearly all of them away and
 * starts the walk of the others after the word.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "bytemask.h"

#define NONE UINT32_MAX

/* F_CAPWORD: some word of the form is in capitals ("DI Yogyakarta", "PT
 * Pos"): that word must match in capitals, the rest in any case. */
enum { F_EXACT = 1, F_SHORT = 2, F_CAPWORD = 4 };

/* One form. src points into the word list's cell (the form as written, prefix
 * removed); only exact-case forms compare it at match time. */
typedef struct gz_form {
	const char *src;
	uint32_t len;
	uint32_t entry;
	uint32_t next; /* next form with the same folded key, or NONE */
	uint8_t flags;
} gz_form;

/* A lead word, folded, in two little-endian words of 8 bytes, zero-padded. */
typedef struct gz_lead {
	uint64_t w[2];
	uint32_t len, state;
} gz_lead;

struct gazetteer {
	gz_entry *entries;
	size_t nentries;
	gz_form *forms;
	size_t nforms;
	uint32_t nstates;
	uint32_t *first; /* nstates + 1 entries */
	uint8_t *label;
	uint32_t *out;
	uint32_t root[256]; /* the root's children by byte, 0 = none */
	/* The leading ASCII letters and digits of each folded form (its lead
	 * word), when they are at most 16 bytes, with the state they lead to;
	 * open addressing, len 0 = empty. A match ends its first word where the
	 * text's does, so an ASCII word of the text followed by an ASCII byte
	 * starts a match only when it is a lead word, and the walk goes on from
	 * that state instead of the root. */
	gz_lead *lead;
	size_t lead_cap;
	/* Bit S_lead_bit() of each lead word: a word whose bit is clear is
	 * none, known without a probe (most words of a text are none). */
	uint64_t lead_bits[1024];
	bool long_lead; /* some lead word is longer than 16 bytes */
	/* some ASCII byte that is no letter or digit starts a form */
	bool punct_root;
};

/* ------------------------------------------------------------ characters */

/* Maps typographic quotes and dashes to ASCII, as normalize does, so a list
 * typed with either matches text with either. */
static int32_t S_plain(int32_t cp)
{
	switch (cp) {
	case 0x2018:
	case 0x2019:
	case 0x201B:
	case 0x02BC:
	case 0x2032: return '\'';
	case 0x201C:
	case 0x201D: return '"';
	case 0x2010:
	case 0x2011:
	case 0x2012:
	case 0x2013:
	case 0x2014:
	case 0x2212: return '-';
	default: return cp;
	}
}

/* Folds one code point the way fold_utf8() does (simple lower case). */
static int32_t S_fold(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	return utf8proc_tolower(S_plain(cp));
}

static inline bool S_space(int32_t cp)
{
	if (cp < 0x80) /* the common case, first: ' ' and \t \n \v \f \r */
		return cp == ' ' || (cp >= '\t' && cp <= '\r');
	return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
	       cp == 0x3000;
}

/* ASCII letters and digits, folded (lower case); 0 for any other byte. A
 * table, as the scan asks about nearly every byte of the text. */
static const uint8_t S_low[256] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5', ['6'] = '6',
    ['7'] = '7', ['8'] = '8', ['9'] = '9', ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd',
    ['E'] = 'e', ['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k',
    ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r',
    ['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
    ['Z'] = 'z', ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f',
    ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm',
    ['n'] = 'n', ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
    ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
};

static inline bool S_ascii_word(unsigned char c)
{
	return S_low[c] != 0;
}

#define LEAD_MAX 16 /* the longest lead word the table holds */

/* The first n bytes at p (n > 0; 8 readable) folded as the lead table has
 * them (a letter or digit with bit 5 set is its lower case), zero-padded
 * to 8. */
static inline uint64_t S_fold8(const char *p, size_t n)
{
	static const uint64_t keep[9] = {0,
	                                 0xFF,
	                                 0xFFFF,
	                                 0xFFFFFF,
	                                 0xFFFFFFFF,
	                                 0xFFFFFFFFFF,
	                                 0xFFFFFFFFFFFF,
	                                 0xFFFFFFFFFFFFFF,
	                                 0xFFFFFFFFFFFFFFFF};
	return (bm_load8(p) | BM_ONES * 0x20) & keep[n < 8 ? n : 8];
}

static inline uint64_t S_lead_hash(uint64_t w0, uint64_t w1)
{
	return (w0 ^ w1) * 0x9E3779B97F4A7C15ull;
}

static inline size_t S_lead_slot(const gazetteer *g, uint64_t h)
{
	return (size_t)(h >> 32) & (g->lead_cap - 1);
}

/* The top 16 bits of the hash: others than the slot's while lead_cap is at
 * most 2^16. */
static inline uint32_t S_lead_bit(uint64_t h)
{
	return (uint32_t)(h >> 48);
}

/* The state the lead word (w0, w1) of len bytes (at most LEAD_MAX) leads
 * to, or 0. */
static inline uint32_t S_lead_state(const gazetteer *g, uint64_t w0, uint64_t w1, size_t len)
{
	uint64_t h = S_lead_hash(w0, w1);
	uint32_t bit = S_lead_bit(h);
	if (!(g->lead_bits[bit >> 6] >> (bit & 63) & 1))
		return 0;
	for (size_t k = S_lead_slot(g, h); g->lead[k].len; k = (k + 1) & (g->lead_cap - 1))
		if (g->lead[k].w[0] == w0 && g->lead[k].w[1] == w1 && g->lead[k].len == len)
			return g->lead[k].state;
	return 0;
}

/* Letters, marks and digits make words. */
static bool S_word(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	utf8proc_category_t c = utf8proc_category(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

/* Decodes the code point at s[i] (i < n); returns its length (invalid bytes
 * count as one U+FFFD each). */
static size_t S_cp(const char *s, size_t n, size_t i, int32_t *cp)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	utf8proc_int32_t u;
	utf8proc_ssize_t k =
	    utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &u);
	if (k <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = u;
	return (size_t)k;
}

/* Returns the index after the run of white space at s[i]. */
static inline size_t S_skip_space(const char *s, size_t n, size_t i)
{
	int32_t cp;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) { /* what S_cp would give, without the call */
			if (!S_space(c))
				break;
			i++;
			continue;
		}
		size_t k = S_cp(s, n, i, &cp);
		if (!S_space(cp))
			break;
		i += k;
	}
	return i;
}

/* Returns the index of the first white space at or after s[i], or n. */
static size_t S_find_space(const char *s, size_t n, size_t i)
{
	int32_t cp;
	while (i < n) {
		size_t k = S_cp(s, n, i, &cp);
		if (S_space(cp))
			break;
		i += k;
	}
	return i;
}

/* Compares two forms code point by code point, case kept, quotes and dashes
 * unified, each run of white space equal to one space. */
static bool S_exact_eq(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = S_skip_space(a, an, 0), j = S_skip_space(b, bn, 0);
	int32_t ca, cb;
	while (i < an && j < bn) {
		/* Two ASCII bytes but white space are code points that S_plain
		 * keeps: equal or not as bytes (most forms are ASCII). */
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[j];
		if (x < 0x80 && y < 0x80 && !S_space(x) && !S_space(y)) {
			if (x != y)
				return false;
			i++;
			j++;
			continue;
		}
		size_t ka = S_cp(a, an, i, &ca), kb = S_cp(b, bn, j, &cb);
		bool sa = S_space(ca), sb = S_space(cb);
		if (sa != sb)
			return false;
		if (sa) {
			i = S_skip_space(a, an, i);
			j = S_skip_space(b, bn, j);
			if ((i == an) != (j == bn))
				return false;
			continue;
		}
		if (S_plain(ca) != S_plain(cb))
			return false;
		i += ka;
		j += kb;
	}
	return i == an && j == bn;
}

/* A form in capitals (two or more upper-case letters, none in lower case)
 * is an acronym such as AS, RI, PBB: it must match in capitals. */
static bool S_allcaps(const char *s, size_t n)
{
	int upper = 0;
	int32_t cp;
	for (size_t i = 0; i < n;) {
		i += S_cp(s, n, i, &cp);
		utf8proc_category_t c = utf8proc_category(cp);
		if (c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LT)
			return false;
		upper += c == UTF8PROC_CATEGORY_LU;
	}
	return upper >= 2;
}

/* Returns whether some word (between white space) of (s, n) is in capitals. */
static bool S_has_capword(const char *s, size_t n)
{
	for (size_t i = S_skip_space(s, n, 0); i < n;) {
		size_t j = S_find_space(s, n, i);
		if (S_allcaps(s + i, j - i))
			return true;
		i = S_skip_space(s, n, j);
	}
	return false;
}

/* Compares the words of text t with those of form f (equal once folded):
 * each word of f in capitals must be written the same in t. */
static bool S_capwords_eq(const char *t, size_t tn, const char *f, size_t fn)
{
	size_t i = S_skip_space(t, tn, 0), j = S_skip_space(f, fn, 0);
	while (i < tn && j < fn) {
		size_t ie = S_find_space(t, tn, i), je = S_find_space(f, fn, j);
		if (S_allcaps(f + j, je - j) && !S_exact_eq(t + i, ie - i, f + j, je - j))
			return false;
		i = S_skip_space(t, tn, ie);
		j = S_skip_space(f, fn, je);
	}
	return i >= tn && j >= fn;
}

/* ------------------------------------------------------------------ trie */

/* Inline: the walk asks it for every byte of a candidate, and the call cost
 * about as much as a short search. */
static inline uint32_t S_child(const gazetteer *g, uint32_t s, unsigned char b)
{
	if (s == 0)
		return g->root[b];
	uint32_t lo = g->first[s], hi = g->first[s + 1];
	while (hi - lo > 8) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (g->label[mid] < b)
			lo = mid + 1;
		else
			hi = mid + 1; /* label[mid] may be b itself */
	}
	for (; lo < hi; lo++)
		if (g->label[lo] == b)
			return lo;
		else if (g->label[lo] > b)
			break;
	return 0;
}

/* Returns 1 + the form ending at state s that takes (t, n), or 0: the first
 * exact-case form that fits, else the first other form that fits. An exact
 * form is the more specific one, so "KIM" (an acronym) wins its spelling even
 * against a "Kim" listed earlier, which keeps every other spelling. */
static uint32_t S_accept(const gazetteer *g, uint32_t s, const char *t, size_t n, bool no_short)
{
	uint32_t loose = 0;
	for (uint32_t f = g->out[s] - 1; f != NONE; f = g->forms[f].next) {
		const gz_form *fm = &g->forms[f];
		if (no_short && (fm->flags & F_SHORT))
			continue;
		if (fm->flags & F_EXACT) {
			if (S_exact_eq(t, n, fm->src, fm->len))
				return f + 1;
		} else if (!loose &&
		           (!(fm->flags & F_CAPWORD) || S_capwords_eq(t, n, fm->src, fm->len))) {
			loose = f + 1;
		}
	}
	return loose;
}

/* Feeds the folded code point cp to the trie; returns the new state or 0. */
static uint32_t S_feed(const gazetteer *g, uint32_t s, int32_t cp)
{
	if (cp < 0x80)
		return S_child(g, s, (unsigned char)cp);
	utf8proc_uint8_t buf[4];
	utf8proc_ssize_t k = utf8proc_encode_char(cp, buf);
	for (utf8proc_ssize_t i = 0; i < k && s; i++)
		s = S_child(g, s, buf[i]);
	return s;
}

/* Walks the trie from t[p] up to lim. Returns the end of the longest form
 * that ends before a non-word character and passes its case rule (with
 * *form = 1 + its index), or 0. A run of white space is one space; a blank
 * line ends the walk. */
static size_t S_walk_from(const gazetteer *g, const char *t, size_t p, size_t i, uint32_t s,
                          size_t lim, bool no_short, uint32_t *form);

static size_t S_walk(const gazetteer *g, const char *t, size_t p, size_t lim, bool no_short,
                     uint32_t *form)
{
	return S_walk_from(g, t, p, p, 0, lim, no_short, form);
}

/* S_walk from t[i] at state s, where the walk from t[p] would be after
 * taking t[p, i) (i > p only after ASCII letters and digits: no form can
 * end before i). */
static size_t S_walk_from(const gazetteer *g, const char *t, size_t p, size_t i, uint32_t s,
                          size_t lim, bool no_short, uint32_t *form)
{
	size_t best = 0;
	int32_t cp;
	for (;;) {
		/* ASCII letters and digits, most of a walk's bytes: no form can
		 * end inside a word, so they only move down the trie */
		unsigned char lc;
		while (i < lim && (lc = S_low[(unsigned char)t[i]]) != 0) {
			if (!(s = S_child(g, s, lc)))
				return best;
			i++;
		}
		if (i >= lim) {
			uint32_t f;
			if (g->out[s] && (f = S_accept(g, s, t + p, i - p, no_short))) {
				best = i;
				*form = f;
			}
			break;
		}
		unsigned char c = (unsigned char)t[i];
		size_t k = 1;
		bool sp, word;
		if (c < 0x80) {
			cp = c;
			sp = c == ' ' || (c >= '\t' && c <= '\r');
			word = S_ascii_word(c);
		} else {
			k = S_cp(t, lim, i, &cp);
			sp = S_space(cp);
			word = !sp && S_word(cp);
		}
		if (!word && s && g->out[s]) {
			uint32_t f = S_accept(g, s, t + p, i - p, no_short);
			if (f) {
				best = i;
				*form = f;
			}
		}
		if (c < 0x80 && !sp) {
			if (!(s = S_child(g, s,
			                  (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c))))
				break;
			i++;
			continue;
		}
		if (sp) {
			int nl = 0;
			size_t j = i;
			while (j < lim) {
				unsigned char cj = (unsigned char)t[j];
				if (cj < 0x80) { /* ASCII: no decoding */
					if (!(cj == ' ' || (cj >= '\t' && cj <= '\r')))
						break;
					nl += cj == '\n';
					j++;
					continue;
				}
				size_t kk = S_cp(t, lim, j, &cp);
				if (!S_space(cp))
					break;
				nl += cp == '\n';
				j += kk;
			}
			if (nl >= 2 || j >= lim || !(s = S_child(g, s, ' ')))
				break;
			i = j;
			continue;
		}
		if (!(s = S_feed(g, s, S_fold(cp))))
			break;
		i += k;
	}
	return best;
}

/* ----------------------------------------------------------------- build */

typedef struct key {
	const char *k;
	uint32_t len, form;
} key;

static int S_key_cmp(const void *pa, const void *pb)
{
	const key *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->k, b->k, n);
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->form < b->form ? -1 : a->form > b->form;
}

typedef struct builder {
	const warta_mem *mem;
	warta_diags *d;
	gazetteer *g;
	char *pool; /* folded keys */
	size_t npool, cap_pool;
	uint32_t *koff, *klen;
	size_t cap_forms;
	uint64_t *ids; /* open addressing by id: hash << 32 | entry index + 1 */
	size_t ids_cap;
	int errors;
	/* the row being read, for diagnostics */
	const wordlist *wl;
	const tsv_row *row;
	char *src;
	size_t srclen, src_cap;
	size_t cellat[16];
} builder;

static uint64_t S_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

/* Rebuilds the row's source line (cells joined by tabs) for diagnostics. */
static void S_row_src(builder *B)
{
	size_t need = 1;
	for (size_t c = 0; c < B->wl->ncol; c++)
		need += strlen(B->row->cell[c]) + 1;
	if (need > B->src_cap) {
		char *p = B->mem->realloc(B->src, need);
		if (!p) {
			B->srclen = 0;
			return;
		}
		B->src = p;
		B->src_cap = need;
	}
	size_t o = 0;
	for (size_t c = 0; c < B->wl->ncol; c++) {
		if (c)
			B->src[o++] = '\t';
		if (c < sizeof B->cellat / sizeof *B->cellat)
			B->cellat[c] = o;
		size_t l = strlen(B->row->cell[c]);
		memcpy(B->src + o, B->row->cell[c], l);
		o += l;
	}
	B->src[o] = '\0';
	B->srclen = o;
}

/* Reports a problem of the current row at byte `at` of cell `col`. */
#ifdef __GNUC__
__attribute__((format(printf, 4, 5)))
#endif
static void
S_err(builder *B, int col, size_t at, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int c = col >= 0 && (size_t)col < sizeof B->cellat / sizeof *B->cellat && B->srclen
	            ? (int)(B->cellat[col] + at) + 1
	            : 0;
	diags_add(B->d, B->wl->path, B->row->line, c, B->srclen ? B->src : NULL, B->srclen, "%s",
	          msg);
	B->errors++;
}

/* Adds one form of entry e: folds it into the key pool. */
static int S_add_form(builder *B, const char *s, size_t n, uint32_t e, uint8_t flags)
{
	gazetteer *g = B->g;
	if (g->nforms == B->cap_forms) {
		size_t nc = B->cap_forms ? B->cap_forms * 2 : 1024;
		gz_form *nf = B->mem->realloc(g->forms, nc * sizeof *nf);
		if (!nf)
			return WARTA_ENOMEM;
		g->forms = nf;
		uint32_t *no = B->mem->realloc(B->koff, nc * sizeof *no);
		if (!no)
			return WARTA_ENOMEM;
		B->koff = no;
		uint32_t *nl = B->mem->realloc(B->klen, nc * sizeof *nl);
		if (!nl)
			return WARTA_ENOMEM;
		B->klen = nl;
		B->cap_forms = nc;
	}
	/* A lower-case letter can take more bytes than its capital (U+023A). */
	if (B->npool + 2 * n + 8 > B->cap_pool) {
		size_t nc = B->cap_pool ? B->cap_pool * 2 : 65536;
		while (nc < B->npool + 2 * n + 8)
			nc *= 2;
		char *np = B->mem->realloc(B->pool, nc);
		if (!np)
			return WARTA_ENOMEM;
		B->pool = np;
		B->cap_pool = nc;
	}
	size_t at = B->npool, o = at;
	bool space = false;
	int32_t cp;
	for (size_t i = 0; i < n;) {
		i += S_cp(s, n, i, &cp);
		if (S_space(cp)) {
			space = true;
			continue;
		}
		if (space && o > at)
			B->pool[o++] = ' ';
		space = false;
		cp = S_fold(cp);
		if (o + 4 > B->cap_pool) /* cannot happen: 2n + 8 bytes were reserved */
			return WARTA_ENOMEM;
		o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)B->pool + o);
	}
	if (!(flags & F_EXACT) && S_has_capword(s, n))
		flags |= F_CAPWORD;
	gz_form *f = &g->forms[g->nforms];
	f->src = s;
	f->len = (uint32_t)n;
	f->entry = e;
	f->next = NONE;
	f->flags = flags;
	B->koff[g->nforms] = (uint32_t)at;
	B->klen[g->nforms] = (uint32_t)(o - at);
	B->npool = o;
	g->nforms++;
	return WARTA_OK;
}

/* Reads the prefixes of a form ('=' exact case, '~' short form). */
static size_t S_prefix(const char *s, size_t n, uint8_t *flags)
{
	size_t i = 0;
	while (i < n && (s[i] == '=' || s[i] == '~')) {
		*flags |= s[i] == '=' ? F_EXACT : F_SHORT;
		i++;
	}
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Finds the item of a cell list that starts at p ("a | b", "cs, x"): its
 * bounds without the spaces around it are [*a, *b) from p. Returns where the
 * next item starts, or NULL after the last one. */
static const char *S_item(const char *p, char sep, size_t *a, size_t *b)
{
	const char *e = strchr(p, sep);
	size_t l = e ? (size_t)(e - p) : strlen(p);
	*a = 0;
	*b = l;
	while (*a < *b && p[*a] == ' ')
		(*a)++;
	while (*b > *a && p[*b - 1] == ' ')
		(*b)--;
	return e ? e + 1 : NULL;
}

/* Adds the entity row B->row of an entity list; problems go to B->d. */
static int S_row(builder *B, int cid, int ctype, int cname, int calias, int cflags)
{
	gazetteer *g = B->g;
	const tsv_row *row = B->row;
	const char *id = row->cell[cid];
	const char *type = row->cell[ctype];
	const char *name = row->cell[cname];
	const char *aliases = calias >= 0 ? row->cell[calias] : "";
	const char *flags = cflags >= 0 ? row->cell[cflags] : "";
	S_row_src(B);
	int before = B->errors;

	etype t = etype_parse(type, strlen(type));
	if (t == T_NONE)
		S_err(B, ctype, 0,
		      "unknown type '%s' (expected PERSON, COUNTRY, AGENCY, ORGANIZATION or "
		      "LOCATION)",
		      type);

	bool cs = false;
	for (const char *p = *flags ? flags : NULL, *next; p; p = next) {
		size_t a, b;
		next = S_item(p, ',', &a, &b);
		if (b - a == 2 && memcmp(p + a, "cs", 2) == 0)
			cs = true;
		else if (b > a)
			S_err(B, cflags, (size_t)(p + a - flags),
			      "unknown flag '%.*s' (the only flag is cs)", (int)(b - a), p + a);
	}

	/* The id must be unique over every list. */
	uint32_t e = (uint32_t)g->nentries;
	uint64_t hash = S_hash(id), tag = hash >> 32 << 32;
	size_t h = (size_t)hash & (B->ids_cap - 1);
	while (B->ids[h]) {
		const gz_entry *o = &g->entries[(uint32_t)B->ids[h] - 1];
		if ((B->ids[h] & ~(uint64_t)UINT32_MAX) != tag) {
			h = (h + 1) & (B->ids_cap - 1);
			continue;
		}
		if (strcmp(o->id, id) == 0) {
			S_err(B, cid, 0, "duplicate id '%s' (first used at %s:%d)", id, o->file,
			      o->line);
			break;
		}
		h = (h + 1) & (B->ids_cap - 1);
	}

	uint8_t nf = 0;
	size_t nl = strlen(name), np = S_prefix(name, nl, &nf);
	if (nf & F_SHORT)
		S_err(B, cname, 0,
		      "the name cannot be a short form ('~'): put the short form in the aliases");
	else if (nl == 0)
		S_err(B, cname, 0, "the name is empty");
	else if (np == nl)
		S_err(B, cname, 0, "the name is empty after its prefix '%.*s'", (int)np, name);

	/* Check every alias before adding anything, so a bad row adds nothing. */
	int k = 1;
	for (const char *p = *aliases ? aliases : NULL, *next; p; p = next, k++) {
		size_t a, b;
		next = S_item(p, '|', &a, &b);
		uint8_t af = 0;
		size_t ap = S_prefix(p + a, b - a, &af);
		if (b == a)
			S_err(B, calias, (size_t)(p - aliases),
			      "alias %d is empty (two '|' in a row?)", k);
		else if (a + ap == b)
			S_err(B, calias, (size_t)(p + a - aliases),
			      "alias %d ('%.*s') is empty after its prefix", k, (int)(b - a),
			      p + a);
	}
	/* The entry is kept even when the row is wrong, so that a later row
	 * reusing its id is reported too; the load fails anyway. */
	gz_entry *en = &g->entries[g->nentries++];
	en->id = id;
	en->name = name + np;
	en->type = t;
	en->file = B->wl->path;
	en->line = row->line;
	en->external_id = strncmp(id, "iso3166:", 8) == 0 || strncmp(id, "wikidata:", 9) == 0;
	if (!B->ids[h])
		B->ids[h] = tag | (e + 1);
	if (B->errors != before)
		return WARTA_OK;

	uint8_t base = cs ? F_EXACT : 0;
	const char *ns = name + np;
	size_t nn = nl - np;
	int rc = S_add_form(B, ns, nn, e, (uint8_t)(nf | base | (S_allcaps(ns, nn) ? F_EXACT : 0)));
	for (const char *p = *aliases ? aliases : NULL, *next; rc == WARTA_OK && p; p = next) {
		size_t a, b;
		next = S_item(p, '|', &a, &b);
		uint8_t af = base;
		a += S_prefix(p + a, b - a, &af);
		if (S_allcaps(p + a, b - a))
			af |= F_EXACT;
		rc = S_add_form(B, p + a, b - a, e, af);
	}
	return rc;
}

/* Builds the trie from the forms' folded keys: sorts them, then creates the
 * states level by level so that each state's children are contiguous.
 *
 * The keys are copied in sorted order first, so each level reads memory in
 * order; the queue of states still to expand is a ring of nkeys + 1 slots,
 * enough because the states waiting in it cover disjoint runs of keys. */
static int S_trie(builder *B)
{
	gazetteer *g = B->g;
	const warta_mem *mem = B->mem;
	size_t n = g->nforms;
	int rc = WARTA_ENOMEM;
	key *ks = mem->calloc(n ? n : 1, sizeof *ks);
	char *sorted = NULL;
	uint32_t *qlo = NULL, *qhi = NULL, *qdep = NULL;
	if (!ks)
		return WARTA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		ks[i].k = B->pool + B->koff[i];
		ks[i].len = B->klen[i];
		ks[i].form = (uint32_t)i;
	}
	mem->free(B->koff);
	mem->free(B->klen);
	B->koff = B->klen = NULL;
	qsort(ks, n, sizeof *ks, S_key_cmp);
	sorted = mem->calloc(B->npool ? B->npool : 1, 1);
	if (!sorted)
		goto fail;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(sorted + o, ks[i].k, ks[i].len);
		ks[i].k = sorted + o;
		o += ks[i].len;
	}
	mem->free(B->pool);
	B->pool = NULL;
	/* One state per byte of each key beyond its common prefix with the one
	 * before: the exact number of states. */
	size_t ns = 1;
	for (size_t i = 0; i < n; i++) {
		size_t l = 0;
		if (i) {
			size_t m = ks[i].len < ks[i - 1].len ? ks[i].len : ks[i - 1].len;
			while (l < m && ks[i].k[l] == ks[i - 1].k[l])
				l++;
		}
		ns += ks[i].len - l;
	}
	if (ns >= NONE)
		goto fail;
	size_t qcap = n + 1;
	g->first = mem->calloc(ns + 1, sizeof *g->first);
	g->label = mem->calloc(ns, 1);
	g->out = mem->calloc(ns, sizeof *g->out);
	qlo = mem->calloc(qcap, sizeof *qlo);
	qhi = mem->calloc(qcap, sizeof *qhi);
	qdep = mem->calloc(qcap, sizeof *qdep);
	if (!g->first || !g->label || !g->out || !qlo || !qhi || !qdep)
		goto fail;
	g->nstates = (uint32_t)ns;
	uint32_t next = 1;
	qhi[0] = (uint32_t)n; /* the root: every key, depth 0 */
	for (uint32_t s = 0; s < ns; s++) {
		size_t q = s % qcap;
		uint32_t i = qlo[q], h = qhi[q], d = qdep[q];
		g->first[s] = next;
		uint32_t i0 = i;
		while (i < h && ks[i].len == d)
			i++;
		if (i > i0) {
			/* Forms with this key, in load order (the sort is by form index). */
			g->out[s] = ks[i0].form + 1;
			for (uint32_t j = i0; j + 1 < i; j++)
				g->forms[ks[j].form].next = ks[j + 1].form;
		}
		while (i < h) {
			unsigned char b = (unsigned char)ks[i].k[d];
			uint32_t j = i + 1;
			while (j < h && (unsigned char)ks[j].k[d] == b)
				j++;
			size_t qn = next % qcap;
			g->label[next] = b;
			qlo[qn] = i;
			qhi[qn] = j;
			qdep[qn] = d + 1;
			next++;
			i = j;
		}
	}
	g->first[ns] = next;
	for (uint32_t c = g->first[0]; c < g->first[1]; c++) {
		g->root[g->label[c]] = c;
		if (g->label[c] < 0x80 && !S_ascii_word(g->label[c]))
			g->punct_root = true;
	}
	for (g->lead_cap = 16; g->lead_cap < n * 2 + 2;)
		g->lead_cap *= 2;
	if (!(g->lead = mem->calloc(g->lead_cap, sizeof *g->lead)))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		size_t l = 0;
		uint32_t s = 0;
		while (l < ks[i].len && S_ascii_word((unsigned char)ks[i].k[l]))
			s = S_child(g, s, (unsigned char)ks[i].k[l++]);
		if (l > LEAD_MAX)
			g->long_lead = true;
		if (!l || l > LEAD_MAX)
			continue;
		char buf[2 * 8] = {0};
		memcpy(buf, ks[i].k, l);
		uint64_t w[2] = {bm_load8(buf), bm_load8(buf + 8)};
		uint64_t h = S_lead_hash(w[0], w[1]);
		uint32_t bit = S_lead_bit(h);
		g->lead_bits[bit >> 6] |= (uint64_t)1 << (bit & 63);
		size_t k = S_lead_slot(g, h);
		while (g->lead[k].len && (g->lead[k].w[0] != w[0] || g->lead[k].w[1] != w[1]))
			k = (k + 1) & (g->lead_cap - 1);
		g->lead[k] = (gz_lead){{w[0], w[1]}, (uint32_t)l, s};
	}
	rc = WARTA_OK;
fail:
	mem->free(ks);
	mem->free(sorted);
	mem->free(qlo);
	mem->free(qhi);
	mem->free(qdep);
	return rc;
}

int gazetteer_build(warta_ruleset *rs, warta_diags *d)
{
	const warta_mem *mem = rs->mem;
	builder B = {0};
	B.mem = mem;
	B.d = d;
	int rc = WARTA_ENOMEM;
	gazetteer *g = mem->calloc(1, sizeof *g);
	if (!g)
		return WARTA_ENOMEM;
	B.g = g;
	size_t rows = 0;
	for (size_t i = 0; i < rs->nlists; i++) {
		const wordlist *wl = &rs->lists[i];
		if (wordlist_col(wl, "id") >= 0 && wordlist_col(wl, "type") >= 0 &&
		    wordlist_col(wl, "name") >= 0)
			rows += wl->nrows;
	}
	g->entries = mem->calloc(rows ? rows : 1, sizeof *g->entries);
	B.ids_cap = 16;
	while (B.ids_cap < rows * 2 + 2)
		B.ids_cap *= 2;
	B.ids = mem->calloc(B.ids_cap, sizeof *B.ids);
	if (!g->entries || !B.ids)
		goto fail;
	rc = WARTA_OK;
	for (size_t i = 0; rc == WARTA_OK && i < rs->nlists; i++) {
		const wordlist *wl = &rs->lists[i];
		int cid = wordlist_col(wl, "id"), ctype = wordlist_col(wl, "type");
		int cname = wordlist_col(wl, "name");
		if (cid < 0 || ctype < 0 || cname < 0)
			continue;
		int calias = wordlist_col(wl, "aliases"), cflags = wordlist_col(wl, "flags");
		B.wl = wl;
		for (size_t r = 0; rc == WARTA_OK && r < wl->nrows; r++) {
			B.row = &wl->rows[r];
			rc = S_row(&B, cid, ctype, cname, calias, cflags);
		}
	}
	if (rc == WARTA_OK && B.errors)
		rc = WARTA_ERULE;
	mem->free(B.ids);
	B.ids = NULL;
	if (rc == WARTA_OK)
		rc = S_trie(&B);
fail:
	mem->free(B.pool);
	mem->free(B.koff);
	mem->free(B.klen);
	mem->free(B.ids);
	mem->free(B.src);
	if (rc != WARTA_OK) {
		gazetteer_free(g, mem);
		return rc;
	}
	rs->gz = g;
	return WARTA_OK;
}

void gazetteer_free(gazetteer *g, const warta_mem *mem)
{
	if (!g)
		return;
	mem->free(g->entries);
	mem->free(g->forms);
	mem->free(g->first);
	mem->free(g->label);
	mem->free(g->out);
	mem->free(g->lead);
	mem->free(g);
}

/* --------------------------------------------------------------- queries */

/* Short forms are left out: a rule that finds "Kim" must not turn it into a
 * full mention of the list's Kim; resolve links short forms instead. */
const gz_entry *gazetteer_lookup(const gazetteer *g, const char *s, size_t n)
{
	if (!g || !g->nstates || !s)
		return NULL;
	/* Trim white space at both ends. An ASCII byte is a character of its
	 * own (no UTF-8 sequence holds one), so ASCII white space is cut from
	 * the back; a text that then ends in another byte is decoded forwards,
	 * as a byte 0xA0 may end a letter such as U+00E0 (most names end in an
	 * ASCII letter, and decoding each was a third of a lookup). */
	size_t i = S_skip_space(s, n, 0);
	while (n > i && (unsigned char)s[n - 1] < 0x80 && S_space((unsigned char)s[n - 1]))
		n--;
	if (n > i && (unsigned char)s[n - 1] >= 0x80) {
		size_t last = i;
		int32_t cp;
		for (size_t j = i; j < n;) {
			size_t k = S_cp(s, n, j, &cp);
			j += k;
			if (!S_space(cp))
				last = j;
		}
		n = last;
	}
	if (i == n)
		return NULL;
	/* A first word of ASCII letters and digits followed by an ASCII byte
	 * or the end goes through the lead table, as in S_scan (s may end
	 * anywhere: read byte by byte). */
	uint32_t f = 0;
	size_t j = i, end;
	while (j < n && S_ascii_word((unsigned char)s[j]))
		j++;
	if (j > i && (j == n || (unsigned char)s[j] < 0x80) &&
	    (j - i <= LEAD_MAX || !g->long_lead)) {
		uint32_t st = 0;
		if (j - i <= LEAD_MAX) {
			unsigned char w[2 * 8] = {0};
			for (size_t k = i; k < j; k++)
				w[k - i] = S_low[(unsigned char)s[k]];
			st = S_lead_state(g, bm_load8(w), bm_load8(w + 8), j - i);
		}
		end = st ? S_walk_from(g, s, i, j, st, n, true, &f) : 0;
	} else {
		end = S_walk(g, s, i, n, true, &f);
	}
	return end == n && f ? &g->entries[g->forms[f - 1].entry] : NULL;
}

typedef struct clash {
	uint32_t later, earlier;
} clash;

static int S_clash_cmp(const void *pa, const void *pb)
{
	const clash *a = pa, *b = pb;
	return a->later < b->later ? -1 : a->later > b->later;
}

size_t gazetteer_check(const gazetteer *g, warta_diags *d)
{
	if (!g)
		return 0;
	const warta_mem *mem = d ? d->mem : mem_or_default(NULL);
	clash *cl = NULL;
	size_t ncl = 0, cap = 0;
	for (uint32_t s = 0; s < g->nstates; s++) {
		if (!g->out[s])
			continue;
		for (uint32_t f = g->forms[g->out[s] - 1].next; f != NONE; f = g->forms[f].next) {
			const gz_form *b = &g->forms[f];
			etype tb = g->entries[b->entry].type;
			for (uint32_t e = g->out[s] - 1; e != f; e = g->forms[e].next) {
				const gz_form *a = &g->forms[e];
				if (g->entries[a->entry].type == tb)
					continue;
				/* An exact-case form wins its own spelling, so it
				 * shares a text with another form only when both
				 * are written the same. */
				if (((a->flags | b->flags) & F_EXACT) &&
				    !S_exact_eq(a->src, a->len, b->src, b->len))
					continue;
				if (ncl == cap) {
					size_t nc = cap ? cap * 2 : 16;
					clash *p = mem->realloc(cl, nc * sizeof *p);
					if (!p)
						goto out;
					cl = p;
					cap = nc;
				}
				cl[ncl++] = (clash){f, e};
				break;
			}
		}
	}
out:
	if (ncl)
		qsort(cl, ncl, sizeof *cl, S_clash_cmp);
	for (size_t i = 0; i < ncl; i++) {
		const gz_form *b = &g->forms[cl[i].later], *a = &g->forms[cl[i].earlier];
		const gz_entry *eb = &g->entries[b->entry], *ea = &g->entries[a->entry];
		bool later_wins = (b->flags & F_EXACT) && !(a->flags & F_EXACT);
		diags_add(d, eb->file, eb->line, 0, NULL, 0,
		          "the form '%.*s' of %s (%s) is also a form of %s (%s) at %s:%d; %s wins: "
		          "remove one of them or make them differ in case",
		          (int)b->len, b->src, eb->id, etype_name(eb->type), ea->id,
		          etype_name(ea->type), ea->file, ea->line, later_wins ? eb->id : ea->id);
	}
	mem->free(cl);
	return ncl;
}

/* --------------------------------------------------------------- matching */

/* Returns the end of the run of word characters from t[i]. */
static size_t S_word_end(const char *t, size_t i, size_t to)
{
	int32_t cp;
	while (i < to) {
		unsigned char c = (unsigned char)t[i];
		if (c < 0x80) {
			if (!S_ascii_word(c))
				break;
			i++;
		} else {
			size_t k = S_cp(t, to, i, &cp);
			if (!S_word(cp))
				break;
			i += k;
		}
	}
	return i;
}

/* Returns the end of the run of ASCII letters and digits that goes on at
 * t[i] (t readable 8 bytes past to), or a place >= to. */
static size_t S_run_end(const char *t, size_t i, size_t to)
{
	for (; i < to; i += 8) {
		uint64_t low, dig, stop = ~bm_alnum8(bm_load8(t + i), &low, &dig) & BM_HIGH;
		if (stop)
			return i + ((size_t)__builtin_ctzll(stop) >> 3);
	}
	return to;
}

/* Looks for a list match at t[i] (i < to, where the scan may start one),
 * given the ASCII letters and digits of the 64 bytes at base (i among
 * them). Returns the end of the match, with *f = 1 + its form, or 0 and in
 * *next the next place the scan may look at. */
static inline size_t S_at(const gazetteer *g, const char *t, size_t i, size_t to, size_t base,
                          uint64_t alnum, uint32_t *f, size_t *next)
{
	size_t end = 0;
	int32_t cp;
	/* bit 0: t[i] is no ASCII letter or digit; the first bit set after a
	 * letter, the run's end in the block, else none (the bits shifted in
	 * count as letters) */
	uint64_t stop = ~alnum >> (i - base);
	if (!(stop & 1)) {
		size_t j = stop ? i + (size_t)__builtin_ctzll(stop) : S_run_end(t, base + 64, to);
		if (j > to)
			j = to;
		size_t n = j - i;
		/* Followed by an ASCII byte or the end, the word must be a lead
		 * word (struct gazetteer): one the table does not hold starts
		 * nothing. */
		if ((j == to || (unsigned char)t[j] < 0x80) && (n <= LEAD_MAX || !g->long_lead)) {
			uint32_t s = 0;
			if (n <= LEAD_MAX) {
				uint64_t w0 = S_fold8(t + i, n);
				uint64_t w1 = n > 8 ? S_fold8(t + i + 8, n - 8) : 0;
				s = S_lead_state(g, w0, w1, n);
			}
			/* Most lead words of a text are no form and start none with
			 * the next word ("di" of "DI Yogyakarta"). When no form ends
			 * at s and one space and a letter or digit follow, the walk
			 * would take nothing at j and go on by ' ' and that byte
			 * folded, ending with nothing if either step is missing: the
			 * two steps are tried here, without the call. */
			unsigned char c2;
			if (s && !g->out[s] && j + 1 < to && t[j] == ' ' &&
			    (c2 = S_low[(unsigned char)t[j + 1]]) != 0) {
				uint32_t sp = S_child(g, s, ' ');
				if (!sp || !S_child(g, sp, c2))
					s = 0;
			}
			if (!s || !(end = S_walk_from(g, t, i, j, s, to, false, f)))
				*next = j;
		} else if (!(end = S_walk(g, t, i, to, false, f))) {
			*next = S_word_end(t, j, to);
		}
	} else if ((unsigned char)t[i] < 0x80) {
		if (!g->root[(unsigned char)t[i]] || !(end = S_walk(g, t, i, to, false, f)))
			*next = i + 1;
	} else {
		size_t k = S_cp(t, to, i, &cp);
		if (S_space(cp)) {
			*next = i + k;
			return 0;
		}
		if (!(end = S_walk(g, t, i, to, false, f)))
			*next = S_word(cp) ? S_word_end(t, i + k, to) : i + k;
	}
	return end;
}

/* Appends the list mentions of text[from, to), which lies in a zone of type
 * zt (what doc_zone_at() gives for each place of it: the zones do not
 * overlap). Returns WARTA_OK, 1 when the mention limit is reached, or
 * WARTA_ENOMEM. */
static int S_scan(warta_doc *doc, const gazetteer *g, size_t from, size_t to, zone_type zt)
{
	const char *t = doc->text;
	size_t max = doc->rs->limits.max_mentions;
	size_t i = from;
	/* The text is read 64 bytes at a time from base (it has 64 zero bytes
	 * after its end). The loop looks at ASCII letters and digits and at
	 * bytes >= 0x80 only: at any other byte it would only step on, as no
	 * form starts there (g->root), unless g->punct_root, when it looks at
	 * every byte (a byte that starts nothing only costs a step). */
	while (i < to) {
		size_t base = i;
		bytemask bm = bm_block64((const unsigned char *)t + base);
		uint64_t look = g->punct_root ? ~(uint64_t)0 : bm.alnum | bm.high;
		/* Invariant: i == from or t[i - 1] is not a word character, so
		 * each position the loop looks at may start a match. */
		while (i - base < 64) {
			uint64_t todo = look & (~(uint64_t)0 << (i - base));
			if (!todo) {
				i = base + 64;
				break;
			}
			i = base + (size_t)__builtin_ctzll(todo);
			if (i >= to)
				return WARTA_OK;
			uint32_t f = 0;
			size_t end = S_at(g, t, i, to, base, bm.alnum, &f, &i);
			if (!end)
				continue;
			if (doc->mentions.n >= max) {
				doc_warn(doc, "too-many-mentions", NULL, 1);
				return 1;
			}
			mention *m = VEC_PUSH(&doc->a, doc->mentions);
			if (!m)
				return WARTA_ENOMEM;
			const gz_form *fm = &g->forms[f - 1];
			const gz_entry *e = &g->entries[fm->entry];
			m->start = (uint32_t)i;
			m->end = (uint32_t)end;
			m->type = e->type;
			m->priority = 40;
			m->zone = zt;
			m->entry = e;
			m->name = e->name;
			m->key = e->id;
			m->short_form = (fm->flags & F_SHORT) != 0;
			m->entity = -1;
			/* A match ends before a character that is not a word one:
			 * step over it to keep the invariant. */
			int32_t cp;
			i = end < to ? end + S_cp(t, to, end, &cp) : end;
		}
	}
	return WARTA_OK;
}

int gazetteer_run(warta_doc *doc)
{
	const gazetteer *g = doc->rs ? doc->rs->gz : NULL;
	if (!g || !g->nforms || !doc->text)
		return WARTA_OK;
	int rc = WARTA_OK;
	if (!doc->zones.n)
		rc = S_scan(doc, g, 0, doc->len, Z_BODY);
	for (size_t z = 0; rc == WARTA_OK && z < doc->zones.n; z++) {
		const zone *zn = &doc->zones.v[z];
		if (zn->type != Z_NOISE)
			rc = S_scan(doc, g, zn->start, zn->end < doc->len ? zn->end : doc->len,
			            zn->type);
	}
	return rc < 0 ? rc : WARTA_OK;
}
