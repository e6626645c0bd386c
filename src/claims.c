/* SPDX-License-Identifier: MIT */
/* Stage 9: claims.
 *
 * Input: doc->numbers (stage 7), resolved entity mentions (stage 10 runs
 * before us so that claims can point at entities), doc->dates, sentences.
 * Output: doc->claims, in text order; each number a claim takes is marked used.
 * A number becomes a claim when it is money or a percentage, or when a
 * rules/claim.rules unit or partitive rule matches right after it. Every other
 * field (predicate, subject, source, hedge, date, place) is looked for in the
 * claim's own sentence only: what is not found there is null, never guessed.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "bytemask.h"

enum { ROLE_UNIT = 1, ROLE_PARTITIVE, ROLE_SRC_AFTER, ROLE_SRC_BEFORE };

/* How many words may stand between a source and its cue. */
#define SOURCE_GAP 3
/* How many words a predicate may stand from the quantity. */
#define VERB_REACH 4

typedef struct cue {
	uint32_t start, end;
	int role;
} cue;

/* The rows of a list a look-up may find, by the first and last byte of
 * their fold and its length: bit n of first[c] (last[c]) when a row folds to
 * n bytes (n >= 31: bit 31) that start (end) with c, or with the small letter
 * of c when c is a capital. An ASCII word, which folds byte for byte to small
 * letters (no white space in it to squeeze), can be found only when
 * first[its first byte] & last[its last byte] has the bit of its length. Any
 * byte >= 0x80 has every bit. */
struct filt {
	uint32_t first[256], last[256];
};

/* What the stage reads of the ruleset, found once per ruleset by
 * claims_prepare() (or per article without it): an article looks nothing up
 * by name. */
struct claimtab {
	const rulefile *rf;
	const wordlist *units, *verbs, *words, *capitals;
	int *roles; /* S_role() of each rule of rf */
	/* the columns read, -1 when absent (a cell of "") */
	int unit_col, ucat_col, vcat_col, role_col, country_col;
	const tsv_row *percent; /* the units row of "%", or NULL */
	/* what a look-up may find (S_filt_build): of the hedge words, of the
	 * verbs, of the verbs that hold a byte no word has (the two-word
	 * look-up's) */
	struct filt hedge, verb1, verb2;
};

typedef struct ctx {
	warta_doc *doc;
	const struct claimtab *T;
	const wordlist *units, *verbs, *words, *capitals;
	VEC(cue) cues;
	uint32_t *ms; /* indices of live mentions, by start */
	size_t nms;
	/* S_hedge's answer for the last sentence asked: claims come in text
	 * order, so a sentence of n claims is read once, not n times */
	uint32_t hedge_ss, hedge_se;
	const char *hedge;
	bool hedge_known;
	/* per mention, 0 = not yet asked, 1 = no, 2 = yes: whether the word
	 * before it is a subject-stop, whether it is a place ("di Jepang");
	 * each claim of a sentence asks again about the same mentions */
	uint8_t *stop_memo, *place_memo;
	/* cue indices by (start, index), and each cue's source mention once
	 * found (-2: not yet looked for), so that a claim reads only the cues
	 * of its own sentence */
	uint32_t *cue_order;
	int *cue_found;
	/* the cues are those of one sentence, [cue_ss, cue_se), scanned the
	 * first time a claim there asks for its source: most sentences hold no
	 * claim, so the cue rules never run over them */
	const rulefile *rf;
	const int *roles; /* T->roles */
	uint32_t cue_ss, cue_se;
	bool cues_known;
	int cue_rc;
} ctx;

static int S_role(const rule *r)
{
	const char *v = rule_attr_get(r, "role");
	if (!v)
		return 0;
	if (strcmp(v, "unit") == 0)
		return ROLE_UNIT;
	if (strcmp(v, "partitive") == 0)
		return ROLE_PARTITIVE;
	if (strcmp(v, "source-after") == 0)
		return ROLE_SRC_AFTER;
	if (strcmp(v, "source-before") == 0)
		return ROLE_SRC_BEFORE;
	return 0;
}

/* ------------------------------------------------------------- words */

/* A word's bytes: ASCII letters and digits (isalnum in the C locale the
 * library runs in, without its call per byte), '-' and any non-ASCII. */
static const uint8_t S_word_byte[256] = {
    ['-'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
    ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
    ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,
    ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
    ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static bool S_wordc(unsigned char c)
{
	return c >= 0x80 || S_word_byte[c];
}

/* Clause punctuation: a predicate or a subject does not reach across it. */
static bool S_clause_break(unsigned char c)
{
	return c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '"' || c == '.' ||
	       c == '\n' || c == '?' || c == '!';
}

/* Finds the word after `at` (before hi); false at a clause break or the end. */
static bool S_next_word(const char *t, uint32_t at, uint32_t hi, uint32_t *ws, uint32_t *we)
{
	while (at < hi && !S_wordc((unsigned char)t[at])) {
		if (S_clause_break((unsigned char)t[at]))
			return false;
		at++;
	}
	if (at >= hi)
		return false;
	*ws = at;
	while (at < hi && S_wordc((unsigned char)t[at]))
		at++;
	*we = at;
	return true;
}

/* Finds the word before `at` (after lo); false at a clause break or the start. */
static bool S_prev_word(const char *t, uint32_t lo, uint32_t at, uint32_t *ws, uint32_t *we)
{
	while (at > lo && !S_wordc((unsigned char)t[at - 1])) {
		if (S_clause_break((unsigned char)t[at - 1]))
			return false;
		at--;
	}
	if (at <= lo)
		return false;
	*we = at;
	while (at > lo && S_wordc((unsigned char)t[at - 1]))
		at--;
	*ws = at;
	return true;
}

/* The word before `at`, ignoring clause breaks (for prepositions). */
static bool S_word_before(const char *t, uint32_t lo, uint32_t at, uint32_t *ws, uint32_t *we)
{
	while (at > lo && (t[at - 1] == ' ' || t[at - 1] == '\t'))
		at--;
	if (at <= lo || !S_wordc((unsigned char)t[at - 1]))
		return false;
	*we = at;
	while (at > lo && S_wordc((unsigned char)t[at - 1]))
		at--;
	*ws = at;
	return true;
}

static bool S_has_role(const ctx *C, const char *s, size_t n, const char *role)
{
	const tsv_row *r = wordlist_find(C->words, s, n);
	return r && strcmp(tsv_cell(r, C->T->role_col), role) == 0;
}

/* ---------------------------------------------------------- sentences */

static void S_sentence(const warta_doc *doc, uint32_t at, uint32_t *ss, uint32_t *se, int *idx)
{
	int i = doc_sent_at(doc, at);
	if (i >= 0) {
		*ss = doc->sents.v[i].start;
		*se = doc->sents.v[i].end;
		*idx = i;
		return;
	}
	/* No segmentation: the line, cut at ". " before and after. */
	const char *t = doc->text;
	uint32_t a = at, b = at;
	while (a > 0 && t[a - 1] != '\n' && !(a >= 2 && t[a - 2] == '.' && t[a - 1] == ' '))
		a--;
	while (b < doc->len && t[b] != '\n' &&
	       !(t[b] == '.' && (b + 1 == doc->len || t[b + 1] == ' ')))
		b++;
	*ss = a;
	*se = b;
	*idx = 0;
}

/* --------------------------------------------------------- mentions */

/* Returns the first live-mention index (into C->ms) starting at or after at. */
static size_t S_ms_from(const ctx *C, uint32_t at)
{
	size_t lo = 0, hi = C->nms;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (C->doc->mentions.v[C->ms[mid]].start < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool S_actor(etype t)
{
	return t != T_NONE;
}

/* Maps a capital standing for its government ("Pyongyang") to the country
 * entity of the same article, when the article names that country. */
static int S_metonym(const ctx *C, const mention *m)
{
	const warta_doc *doc = C->doc;
	if (m->type != T_LOCATION || !C->capitals)
		return m->entity;
	const tsv_row *r = wordlist_find(C->capitals, m->name, strlen(m->name));
	if (!r)
		return m->entity;
	const char *code = tsv_cell(r, C->T->country_col);
	for (size_t e = 0; e < doc->entities.n; e++)
		if (!doc->entities.v[e].related && doc->entities.v[e].key &&
		    strcmp(doc->entities.v[e].key, code) == 0)
			return (int)e;
	return m->entity;
}

/* ------------------------------------------------------------- fields */

typedef struct span {
	uint32_t start, end;
} span;

/* The bit of a word of n bytes in a struct filt. */
static inline uint32_t S_len_bit(size_t n)
{
	return 1u << (n < 31 ? n : 31);
}

/* Whether the look-up of the word (s, n), n > 0, of word bytes (S_wordc)
 * may find a row of f: an ASCII word only when f allows its bytes and
 * length, any other always. */
static bool S_may_hold(const struct filt *f, const char *s, size_t n)
{
	if ((f->first[(unsigned char)s[0]] & f->last[(unsigned char)s[n - 1]]) & S_len_bit(n))
		return true;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* The governing verb: first before the quantity (then after), or the other
 * way round for a partitive, within VERB_REACH words and the clause. */
static const tsv_row *S_predicate(const ctx *C, uint32_t ss, uint32_t se, uint32_t qs, uint32_t qe,
                                  bool after_first, span *where)
{
	const char *t = C->doc->text;
	for (int pass = 0; pass < 2; pass++) {
		bool after = (pass == 0) == after_first;
		uint32_t at = after ? qe : qs, ws, we;
		for (int k = 0; k < VERB_REACH; k++) {
			bool ok = after ? S_next_word(t, at, se, &ws, &we)
			                : S_prev_word(t, ss, at, &ws, &we);
			if (!ok)
				break;
			const tsv_row *r = NULL;
			uint32_t ws2, we2;
			/* two-word verbs first ("meninggal dunia"): the span's fold
			 * starts and ends as its first and last byte (word bytes: no
			 * white space there to drop; a byte >= 0x80 has every bit)
			 * and holds the bytes between the words or a space for
			 * them, which no word has: only such rows can be found */
			if (after && S_next_word(t, we, se, &ws2, &we2) &&
			    (C->T->verb2.first[(unsigned char)t[ws]] &
			     C->T->verb2.last[(unsigned char)t[we2 - 1]]))
				r = wordlist_find(C->verbs, t + ws, we2 - ws);
			if (r)
				we = we2;
			else if (S_may_hold(&C->T->verb1, t + ws, we - ws))
				r = wordlist_find(C->verbs, t + ws, we - ws);
			if (r) {
				*where = (span){ws, we};
				return r;
			}
			at = after ? we : ws;
		}
	}
	return NULL;
}

/* The subject: the nearest actor mention before `anchor` in the sentence,
 * that is not the source and not the object of a preposition. When
 * `same_clause`, it must stand in the anchor's clause. */
static int S_subject(const ctx *C, uint32_t ss, uint32_t anchor, int source_mention,
                     bool same_clause)
{
	const warta_doc *doc = C->doc;
	/* Clause breaks are looked for lazily, from the anchor back to the
	 * candidate's end, each byte once per claim: brk is the last break
	 * before the anchor, once found; scanned is how far back we looked. */
	uint32_t brk = 0, scanned = anchor;
	bool has_brk = false;
	/* The last mention before the anchor that qualifies: walk backwards
	 * from the anchor, so that many claims in one sentence stay linear. */
	size_t first = S_ms_from(C, ss), i = first;
	while (i < C->nms && doc->mentions.v[C->ms[i]].end <= anchor)
		i++; /* a cheap forward walk: the candidates end where one passes the anchor */
	while (i > first) {
		i--;
		const mention *m = &doc->mentions.v[C->ms[i]];
		if (!S_actor(m->type) || (int)C->ms[i] == source_mention ||
		    (source_mention >= 0 && m->entity == doc->mentions.v[source_mention].entity))
			continue;
		uint8_t *stop = &C->stop_memo[C->ms[i]];
		if (!*stop) {
			uint32_t ws, we;
			*stop = S_word_before(doc->text, ss, m->start, &ws, &we) &&
			                S_has_role(C, doc->text + ws, we - ws, "subject-stop")
			            ? 2
			            : 1;
		}
		if (*stop == 2)
			continue;
		if (same_clause) {
			while (!has_brk && scanned > m->end && scanned > ss) {
				scanned--;
				if (S_clause_break((unsigned char)doc->text[scanned]))
					brk = scanned, has_brk = true;
			}
			if (has_brk && brk >= m->end)
				continue;
		}
		/* A mention in brackets right after another one restates it
		 * ("Korea Selatan (Korsel)"): the earlier one stands. */
		return (int)C->ms[i];
	}
	return -1;
}

static bool S_placed(const ctx *C, uint32_t ss, const mention *m);

/* Counts the words in text[a, b); punctuation does not count. */
static int S_words_between(const char *t, uint32_t a, uint32_t b)
{
	int n = 0;
	bool in = false;
	for (uint32_t i = a; i < b; i++) {
		bool w = S_wordc((unsigned char)t[i]);
		n += w && !in;
		in = w;
	}
	return n;
}

/* The source: the actor right after the nearest source-after cue ("menurut
 * badan intelijen X", "dilaporkan kantor berita Y"), or right before the
 * nearest source-before cue ("X mengatakan"), in the sentence. A passive cue
 * with no agent ("dilaporkan mengirim ... ke Rusia") has no source: the
 * actor must follow within SOURCE_GAP words and not be a place. Returns a
 * mention index. */
static int S_cue_cb(warta_doc *doc, const rule_match *m, void *p);

static int S_by_start(const void *a, const void *b);

/* Finds the source cues of the sentence [ss, se) (the claim.rules matches
 * with a source role), sorted by start; returns WARTA_OK or a negative code. */
static int S_cues(ctx *C, uint32_t ss, uint32_t se)
{
	warta_doc *doc = C->doc;
	if (C->cues_known && C->cue_ss == ss && C->cue_se == se)
		return C->cue_rc;
	C->cues_known = true;
	C->cue_ss = ss;
	C->cue_se = se;
	C->cues.n = 0;
	if ((C->cue_rc = rules_scan(doc, C->rf, ss, se, S_cue_cb, C)))
		return C->cue_rc;
	uint32_t *pairs = arena_alloc(&doc->a, (C->cues.n + 1) * 2 * sizeof(uint32_t));
	C->cue_order = arena_alloc(&doc->a, (C->cues.n + 1) * sizeof(uint32_t));
	C->cue_found = arena_alloc(&doc->a, (C->cues.n + 1) * sizeof(int));
	if (!pairs || !C->cue_order || !C->cue_found)
		return C->cue_rc = WARTA_ENOMEM;
	for (size_t i = 0; i < C->cues.n; i++) {
		pairs[2 * i] = C->cues.v[i].start;
		pairs[2 * i + 1] = (uint32_t)i;
		C->cue_found[i] = -2;
	}
	sort_unless_sorted(pairs, C->cues.n, 2 * sizeof(uint32_t), S_by_start);
	for (size_t i = 0; i < C->cues.n; i++)
		C->cue_order[i] = pairs[2 * i + 1];
	return WARTA_OK;
}

/* Whether an actor mention other than a place lies in the sentence [ss,
 * se): every source S_source can find is one, so without one the cue rules
 * need not run. */
static bool S_has_actor(const ctx *C, uint32_t ss, uint32_t se)
{
	const warta_doc *doc = C->doc;
	for (size_t i = S_ms_from(C, ss); i < C->nms; i++) {
		const mention *m = &doc->mentions.v[C->ms[i]];
		if (m->start >= se)
			break;
		if (m->end <= se && S_actor(m->type) && m->type != T_LOCATION)
			return true;
	}
	return false;
}

static int S_source(ctx *C, uint32_t ss, uint32_t se, uint32_t q)
{
	const warta_doc *doc = C->doc;
	int best = -1;
	uint32_t best_dist = UINT32_MAX;
	size_t lo = 0, hi = C->cues.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (C->cues.v[C->cue_order[mid]].start < ss)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t best_k = UINT32_MAX;
	for (size_t o = lo; o < C->cues.n && C->cues.v[C->cue_order[o]].start < se; o++) {
		uint32_t k = C->cue_order[o];
		const cue *c = &C->cues.v[k];
		if (c->start < ss || c->end > se)
			continue;
		int found = C->cue_found[k]; /* -2 until a claim of this sentence looked */
		if (found == -2 && c->role == ROLE_SRC_AFTER) {
			found = -1;
			for (size_t i = S_ms_from(C, c->end); i < C->nms; i++) {
				const mention *m = &doc->mentions.v[C->ms[i]];
				if (m->end > se ||
				    S_words_between(doc->text, c->end, m->start) > SOURCE_GAP)
					break;
				if (S_actor(m->type) && m->type != T_LOCATION &&
				    !S_placed(C, ss, m)) {
					found = (int)C->ms[i];
					break;
				}
			}
		} else if (found == -2) {
			found = -1;
			size_t i = S_ms_from(C, c->start);
			while (i > 0) {
				const mention *m = &doc->mentions.v[C->ms[--i]];
				if (m->start < ss ||
				    (m->end <= c->start &&
				     S_words_between(doc->text, m->end, c->start) > SOURCE_GAP))
					break;
				if (m->end <= c->start && S_actor(m->type) &&
				    m->type != T_LOCATION) {
					found = (int)C->ms[i];
					break;
				}
			}
		}
		C->cue_found[k] = found;
		/* the nearest cue; on a tie the first in cue order, as a walk
		 * over every cue in that order would pick */
		uint32_t d = c->start > q ? c->start - q : q - c->start;
		if (found >= 0 && (d < best_dist || (d == best_dist && k < best_k))) {
			best = found;
			best_dist = d;
			best_k = k;
		}
	}
	return best;
}

/* The word bytes (S_wordc) of the 64 bytes at p, bit k for p[k], and in
 * *high those >= 0x80. */
static inline uint64_t S_wmask64(const unsigned char *p, uint64_t *high)
{
	bytemask m = bm_block64(p);
	*high = m.high;
	return m.alnum | m.high | bm_eq64(p, '-');
}

/* The hedge word t[ws, we) is, or NULL. */
static const char *S_hedge_word(const ctx *C, const char *t, uint32_t ws, uint32_t we)
{
	const tsv_row *r = wordlist_find(C->words, t + ws, we - ws);
	if (r && strcmp(tsv_cell(r, C->T->role_col), "hedge") == 0)
		return r->cell[0];
	return NULL;
}

/* The first hedge word of the sentence: its words (runs of S_wordc bytes,
 * cut at ss and se) come from masks of 64 bytes (the text has 64 zero
 * bytes after its end, so every block is readable), in text order. A word
 * is ASCII when no byte of it is >= 0x80; that is read from the masks when
 * the word starts in the block it ends in, and byte by byte else (rare). */
static const char *S_hedge_scan(ctx *C, uint32_t ss, uint32_t se)
{
	const char *t = C->doc->text;
	const struct filt *f = &C->T->hedge;
	uint64_t carry = 0; /* the byte before the block is a word byte (not before ss) */
	uint32_t ws = ss;   /* with carry: where the word open at the block's start starts */
	for (uint32_t base = ss; base < se; base += 64) {
		uint64_t high, w = S_wmask64((const unsigned char *)t + base, &high);
		if (se - base < 64) { /* no byte at or past se is a word's */
			uint64_t keep = ((uint64_t)1 << (se - base)) - 1;
			w &= keep;
			high &= keep;
		}
		if (!carry)
			ws = base;
		/* each word's end: the first byte past it */
		for (uint64_t en = ~w & (w << 1 | carry); en; en &= en - 1) {
			unsigned i = (unsigned)__builtin_ctzll(en);
			uint64_t below = ((uint64_t)1 << i) - 1, gaps = ~w & below;
			uint32_t s = gaps ? base + 64 - (uint32_t)__builtin_clzll(gaps) : ws;
			uint32_t we = base + i;
			if (!((f->first[(unsigned char)t[s]] & f->last[(unsigned char)t[we - 1]]) &
			      S_len_bit(we - s))) {
				bool ascii; /* no byte of the word >= 0x80 */
				if (s >= base)
					ascii = !((high & below) >> (s - base));
				else {
					ascii = true;
					for (uint32_t k = s; k < we; k++)
						ascii &= (unsigned char)t[k] < 0x80;
				}
				if (ascii)
					continue;
			}
			const char *h = S_hedge_word(C, t, s, we);
			if (h)
				return h;
		}
		carry = w >> 63;
		if (carry && ~w) /* the word that runs into the next block */
			ws = base + 64 - (uint32_t)__builtin_clzll(~w);
	}
	if (carry &&
	    S_may_hold(f, t + ws, se - ws)) /* a word runs to se, which ends the last block */
		return S_hedge_word(C, t, ws, se);
	return NULL;
}

/* The date of a claim: the nearest date before it in the sentence ("Pada
 * Agustus 2025, X mengirim ..."), else the nearest after it. */
static const char *S_hedge(ctx *C, uint32_t ss, uint32_t se)
{
	if (!C->hedge_known || C->hedge_ss != ss || C->hedge_se != se) {
		C->hedge = S_hedge_scan(C, ss, se);
		C->hedge_ss = ss;
		C->hedge_se = se;
		C->hedge_known = true;
	}
	return C->hedge;
}

static int S_date(const ctx *C, uint32_t ss, uint32_t se, uint32_t q)
{
	const warta_doc *doc = C->doc;
	int before = -1, after = -1;
	/* dates are in text order: start at the sentence (binary search) and
	 * stop after it, so many claims and dates cost n log n, not n * n */
	size_t lo = 0, hi = doc->dates.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (doc->dates.v[mid].start < ss)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < doc->dates.n && doc->dates.v[i].start < se; i++) {
		const date *d = &doc->dates.v[i];
		if (d->start < ss || d->end > se)
			continue;
		if (d->end <= q && (before < 0 || d->end > doc->dates.v[before].end))
			before = (int)i;
		else if (d->start >= q && (after < 0 || d->start < doc->dates.v[after].start))
			after = (int)i;
	}
	return before >= 0 ? before : after;
}

/* True when the mention is introduced by a place preposition, directly or
 * through a head noun ("ke kota Kursk"), or starts with one ("di [kota Kursk]"). */
static bool S_placed(const ctx *C, uint32_t ss, const mention *m)
{
	const char *t = C->doc->text;
	uint32_t ws, we;
	if (!S_word_before(t, ss, m->start, &ws, &we))
		return false;
	if (S_has_role(C, t + ws, we - ws, "place-head")) {
		uint32_t ws2, we2;
		if (!S_word_before(t, ss, ws, &ws2, &we2))
			return false;
		ws = ws2;
		we = we2;
	}
	return S_has_role(C, t + ws, we - ws, "place-prep");
}

static bool S_place_ok(const ctx *C, uint32_t ss, uint32_t se, size_t i, int subject, int source)
{
	const mention *m = &C->doc->mentions.v[C->ms[i]];
	if ((m->type != T_LOCATION && m->type != T_COUNTRY) || (int)C->ms[i] == subject ||
	    (int)C->ms[i] == source || m->end > se)
		return false;
	uint8_t *memo = &C->place_memo[C->ms[i]];
	if (!*memo)
		*memo = S_placed(C, ss, m) ? 2 : 1;
	return *memo == 2;
}

/* The first place after the quantity, else the last one before it. */
static int S_place(const ctx *C, uint32_t ss, uint32_t se, uint32_t qe, int subject, int source)
{
	const warta_doc *doc = C->doc;
	size_t mid = S_ms_from(C, qe > ss ? qe : ss);
	for (size_t i = mid; i < C->nms && doc->mentions.v[C->ms[i]].start < se; i++)
		if (S_place_ok(C, ss, se, i, subject, source))
			return (int)C->ms[i];
	for (size_t i = mid; i > 0 && doc->mentions.v[C->ms[i - 1]].start >= ss; i--)
		if (S_place_ok(C, ss, se, i - 1, subject, source))
			return (int)C->ms[i - 1];
	return -1;
}

/* ------------------------------------------------------------- stage */

static int S_cue_cb(warta_doc *doc, const rule_match *m, void *p)
{
	ctx *C = p;
	int role = C->roles[m->r - C->rf->rules];
	if (role != ROLE_SRC_AFTER && role != ROLE_SRC_BEFORE)
		return 0;
	cue *c = VEC_PUSH(&doc->a, C->cues);
	if (!c)
		return 1;
	*c = (cue){(uint32_t)m->start, (uint32_t)m->end, role};
	return 0;
}

static int S_by_start(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

static bool S_in_mention(const ctx *C, uint32_t s, uint32_t e)
{
	/* Walk back from the first mention starting after the number. */
	size_t k = S_ms_from(C, e);
	while (k > 0) {
		const mention *m = &C->doc->mentions.v[C->ms[--k]];
		if (m->end <= s)
			break;
		if (m->start <= s && m->end >= e)
			return true;
	}
	return false;
}

/* True when s..e lies inside a date ("22 jam lalu", "14 tahun silam"): the
 * number says when, it claims nothing. Dates are in text order. */
static bool S_in_date(const warta_doc *doc, uint32_t s, uint32_t e)
{
	size_t lo = 0, hi = doc->dates.n;
	while (lo < hi) { /* the first date that starts after s */
		size_t mid = (lo + hi) / 2;
		if (doc->dates.v[mid].start <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && doc->dates.v[lo - 1].end >= e;
}

/* Whether the fold (s, n) holds a byte that no word of the text has. */
static bool S_has_gap(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!S_wordc((unsigned char)s[i]))
			return true;
	return false;
}

/* Fills f (struct filt) from the rows of wl whose cell `col` is `role` (every
 * row when role is NULL or col < 0, a superset of those a look-up can find
 * there) and, with `gap`, whose fold holds a byte no word has. A row
 * without a fold fills every bit. */
static void S_filt_build(const wordlist *wl, int col, const char *role, bool gap, struct filt *f)
{
	memset(f, 0, sizeof *f);
	for (size_t r = 0; wl && r < wl->nrows; r++) {
		if (role && col >= 0 && strcmp(wl->rows[r].cell[col], role) != 0)
			continue;
		if (!wl->fold[r] || !wl->fold_len[r]) {
			memset(f, 0xFF, sizeof *f);
			return;
		}
		size_t n = wl->fold_len[r];
		if (gap && !S_has_gap(wl->fold[r], n))
			continue;
		f->first[(unsigned char)wl->fold[r][0]] |= S_len_bit(n);
		f->last[(unsigned char)wl->fold[r][n - 1]] |= S_len_bit(n);
	}
	for (unsigned c = 'A'; c <= 'Z'; c++) {
		f->first[c] = f->first[c + 32];
		f->last[c] = f->last[c + 32];
	}
	for (unsigned c = 0x80; c < 256; c++)
		f->first[c] = f->last[c] = UINT32_MAX;
}

/* Fills T from rs but for T->roles. */
static void S_tab(const warta_ruleset *rs, struct claimtab *T)
{
	static const char *const names[] = {"units", "verbs", "claim_words", "capitals"};
	const wordlist *w[4];
	memset(T, 0, sizeof *T);
	T->rf = ruleset_rules(rs, "claim");
	ruleset_lists(rs, names, 4, w);
	T->units = w[0];
	T->verbs = w[1];
	T->words = w[2];
	T->capitals = w[3];
	T->unit_col = T->units ? wordlist_col(T->units, "unit") : -1;
	T->ucat_col = T->units ? wordlist_col(T->units, "category") : -1;
	T->vcat_col = T->verbs ? wordlist_col(T->verbs, "category") : -1;
	T->role_col = T->words ? wordlist_col(T->words, "role") : -1;
	T->country_col = T->capitals ? wordlist_col(T->capitals, "country") : -1;
	T->percent = wordlist_find(T->units, "%", 1);
	S_filt_build(T->verbs, -1, NULL, false, &T->verb1);
	S_filt_build(T->verbs, -1, NULL, true, &T->verb2);
	S_filt_build(T->words, T->role_col, "hedge", false, &T->hedge);
}

/* Sets roles[r] for each rule of T->rf (rf->n entries). */
static void S_tab_roles(struct claimtab *T, int *roles)
{
	for (size_t r = 0; T->rf && r < T->rf->n; r++)
		roles[r] = S_role(&T->rf->rules[r]);
	T->roles = roles;
}

int claims_prepare(warta_ruleset *rs)
{
	struct claimtab *T = rs->mem->calloc(1, sizeof *T);
	if (!T)
		return WARTA_ENOMEM;
	S_tab(rs, T);
	int *roles = rs->mem->calloc(T->rf ? T->rf->n + 1 : 1, sizeof *roles);
	if (!roles) {
		rs->mem->free(T);
		return WARTA_ENOMEM;
	}
	S_tab_roles(T, roles);
	rs->claimtab = T;
	return WARTA_OK;
}

void claims_free(warta_ruleset *rs)
{
	if (!rs || !rs->claimtab)
		return;
	rs->mem->free(rs->claimtab->roles);
	rs->mem->free(rs->claimtab);
	rs->claimtab = NULL;
}

int claims_run(warta_doc *doc)
{
	const warta_ruleset *rs = doc->rs;
	if (!rs || !doc->numbers.n)
		return WARTA_OK;
	const struct claimtab *T = rs->claimtab;
	struct claimtab local;
	if (!T) {
		S_tab(rs, &local);
		int *roles = arena_alloc(&doc->a, (local.rf ? local.rf->n + 1 : 1) * sizeof *roles);
		if (!roles)
			return WARTA_ENOMEM;
		S_tab_roles(&local, roles);
		T = &local;
	}
	const rulefile *rf = T->rf;
	ctx C = {.doc = doc,
	         .T = T,
	         .units = T->units,
	         .verbs = T->verbs,
	         .words = T->words,
	         .capitals = T->capitals};
	if (!rf || !C.units || !C.verbs || !C.words)
		return WARTA_OK;

	/* Live mentions, by start. */
	C.ms = arena_alloc(&doc->a, (doc->mentions.n + 1) * sizeof(uint32_t));
	C.stop_memo = arena_alloc(&doc->a, doc->mentions.n + 1);
	C.place_memo = arena_alloc(&doc->a, doc->mentions.n + 1);
	if (!C.ms || !C.stop_memo || !C.place_memo)
		return WARTA_ENOMEM;
	{
		uint32_t *pairs =
		    arena_alloc(&doc->a, (doc->mentions.n + 1) * 2 * sizeof(uint32_t));
		if (!pairs)
			return WARTA_ENOMEM;
		size_t n = 0;
		for (size_t i = 0; i < doc->mentions.n; i++)
			if (!doc->mentions.v[i].dropped && doc->mentions.v[i].entity >= 0) {
				pairs[2 * n] = doc->mentions.v[i].start;
				pairs[2 * n + 1] = (uint32_t)i;
				n++;
			}
		sort_unless_sorted(pairs, n, 2 * sizeof(uint32_t), S_by_start);
		for (size_t i = 0; i < n; i++)
			C.ms[i] = pairs[2 * i + 1];
		C.nms = n;
	}
	C.rf = rf;
	const int *roles = C.roles = T->roles;

	/* Numbers in text order. */
	uint32_t *order = arena_alloc(&doc->a, doc->numbers.n * 2 * sizeof(uint32_t));
	if (!order)
		return WARTA_ENOMEM;
	for (size_t i = 0; i < doc->numbers.n; i++) {
		order[2 * i] = doc->numbers.v[i].start;
		order[2 * i + 1] = (uint32_t)i;
	}
	sort_unless_sorted(order, doc->numbers.n, 2 * sizeof(uint32_t), S_by_start);

	for (size_t oi = 0; oi < doc->numbers.n; oi++) {
		int ni = (int)order[2 * oi + 1];
		number *nb = &doc->numbers.v[ni];
		if (nb->zone != Z_BODY && nb->zone != Z_TITLE)
			continue;
		if (S_in_mention(&C, nb->vstart, nb->vend) || S_in_date(doc, nb->vstart, nb->vend))
			continue;
		uint32_t ss, se;
		int sidx;
		S_sentence(doc, nb->start, &ss, &se, &sidx);
		claim cl;
		memset(&cl, 0, sizeof cl);
		cl.number = ni;
		cl.subject = cl.source = cl.place = cl.date = cl.partitive_of = -1;
		cl.start = nb->start;
		cl.end = nb->end;
		cl.zone = nb->zone;
		cl.sent = (uint32_t)sidx;
		bool partitive = false;
		if (nb->currency) {
			cl.unit = nb->currency;
			cl.category = "money";
			cl.rule = nb->rule;
		} else if (nb->percent) {
			/* The unit a percentage reports is the units list's row for "%". */
			cl.unit = T->percent ? tsv_cell(T->percent, T->unit_col) : "%";
			cl.category = "percent";
			cl.rule = nb->rule;
		} else {
			for (size_t r = 0; r < rf->n && !cl.rule; r++) {
				const rule *ru = &rf->rules[r];
				int role = roles[r];
				rule_match m;
				if ((role != ROLE_UNIT && role != ROLE_PARTITIVE) ||
				    !rule_match_at(doc, ru, nb->end, se, &m))
					continue;
				if (role == ROLE_UNIT) {
					size_t us, ue;
					if (!rule_group(&m, "unit", &us, &ue))
						continue;
					const tsv_row *row =
					    wordlist_find(C.units, doc->text + us, ue - us);
					if (!row)
						continue;
					cl.unit = tsv_cell(row, T->unit_col);
					cl.category = tsv_cell(row, T->ucat_col);
					cl.ustart = (uint32_t)us;
					cl.uend = (uint32_t)ue;
					cl.end = (uint32_t)ue;
					cl.rule = ru;
				} else {
					/* The part of the nearest earlier claim, in this
					 * sentence or the one before. */
					for (size_t k = doc->claims.n; k-- > 0;) {
						const claim *p = &doc->claims.v[k];
						if (!p->unit || (p->sent + 1 < (uint32_t)sidx))
							break;
						if (p->partitive)
							continue;
						cl.unit = p->unit;
						cl.category = p->category;
						cl.partitive_of = (int)k;
						break;
					}
					if (cl.partitive_of < 0)
						continue;
					partitive = cl.partitive = true;
					cl.end = (uint32_t)m.end;
					cl.rule = ru;
				}
			}
		}
		if (!cl.rule && !cl.unit)
			continue;
		span vs = {0, 0};
		const tsv_row *verb = S_predicate(&C, ss, se, nb->start, cl.end, partitive, &vs);
		if (verb) {
			cl.predicate = verb->cell[0];
			const char *vc = tsv_cell(verb, T->vcat_col);
			/* A verb refines what people are counted as ("2.000 prajurit
			 * tewas": casualties); things keep their own category. */
			if (*vc && cl.category &&
			    (!strcmp(cl.category, "people") || !strcmp(cl.category, "personnel")))
				cl.category = vc;
			if (partitive && vs.start >= cl.end)
				cl.end = vs.end;
		}
		int src = -1;
		if (S_has_actor(&C, ss, se)) {
			int rc = S_cues(&C, ss, se);
			if (rc)
				return rc;
			src = S_source(&C, ss, se, nb->start);
		}
		bool verb_before = verb && vs.end <= nb->start;
		int subj = S_subject(&C, ss, verb_before ? vs.start : nb->start, src, !verb_before);
		cl.source = src >= 0 ? doc->mentions.v[src].entity : -1;
		cl.subject = subj >= 0 ? S_metonym(&C, &doc->mentions.v[subj]) : -1;
		int pl = S_place(&C, ss, se, cl.end, subj, src);
		cl.place = pl >= 0 ? doc->mentions.v[pl].entity : -1;
		cl.hedge = S_hedge(&C, ss, se);
		cl.date = S_date(&C, ss, se, nb->start);
		claim *out = VEC_PUSH(&doc->a, doc->claims);
		if (!out)
			return WARTA_ENOMEM;
		*out = cl;
		nb->used = true;
	}
	return WARTA_OK;
}
