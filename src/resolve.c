/* SPDX-License-Identifier: MIT */
/* Stage 10: mention candidates -> entities.
 * Input: doc->mentions from the lists (stage 5) and the entity rules (stage 6),
 * in any order, overlapping. Output: doc->mentions sorted by start; every
 * candidate that lost (an overlap, a list naming its span, a short form left
 * alone) stays with dropped = true and `why` naming the winner; every kept
 * mention has its entity; doc->entities, one per key and zone kind (related
 * headlines apart), ordered by first mention.
 * Steps: sort; drop what cannot win (a short form with no full form, unless
 * it stands alone as a name: then it keeps the span without the row's
 * identity); settle overlaps strongest first (rules may `trim` a loser, `yield`
 * a winner's end, `nest` list mentions: see rules/README.md); drop a country
 * that is an attribute of the lower-case noun before it or qualifies the
 * capitalised name before it; group by key, short names to full names.
 * Invariants: kept mentions never overlap, except nested ones. Every step is a
 * sort, a hash or a binary search: O(n log n) in the number of candidates.
 */
#include "internal.h"

#include <ctype.h>

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* rules.c: the key of a rule-found name ("person:vladimir-putin"). */
const char *rules_slug(arena *a, etype t, const char *s, size_t n);

/* ------------------------------------------------------------- the lists */

/* The lists the per-mention checks read, and the column `kind` of those that
 * have one (-1: none), found once per ruleset (resolve_prepare): finding them
 * by name for every article was a thousand instructions, and their columns
 * by name for every row read more. */
struct resolvetab {
	const wordlist *titles, *person_cues, *place_heads, *weekdays, *months, *currencies,
	    *org_heads;
	int cue_kind, head_kind, org_kind; /* of person_cues, place_heads, org_heads */
};
typedef struct resolvetab rlists;

/* Fills L as ruleset_list() and wordlist_col() find its lists and columns
 * (none when rs is NULL). */
static void S_lists(const warta_ruleset *rs, rlists *L)
{
	static const char *const names[] = {"titles", "person_cues", "place_heads", "weekdays",
	                                    "months", "currencies",  "org_heads"};
	const wordlist *w[sizeof names / sizeof *names];
	ruleset_lists(rs, names, sizeof names / sizeof *names, w);
	*L = (rlists){w[0], w[1], w[2], w[3], w[4], w[5], w[6], -1, -1, -1};
	L->cue_kind = L->person_cues ? wordlist_col(L->person_cues, "kind") : -1;
	L->head_kind = L->place_heads ? wordlist_col(L->place_heads, "kind") : -1;
	L->org_kind = L->org_heads ? wordlist_col(L->org_heads, "kind") : -1;
}

int resolve_prepare(warta_ruleset *rs)
{
	rlists *L = rs->mem->calloc(1, sizeof *L);
	if (!L)
		return WARTA_ENOMEM;
	S_lists(rs, L);
	rs->resolvetab = L;
	return WARTA_OK;
}

void resolve_free(warta_ruleset *rs)
{
	if (!rs || !rs->resolvetab)
		return;
	rs->mem->free(rs->resolvetab);
	rs->resolvetab = NULL;
}

/* ------------------------------------------------------------ sorting */

typedef int (*cmp_fn)(const warta_doc *doc, uint32_t a, uint32_t b);

/* Sorts v[0..n) (elements of type T) stably by LESS(a, b), a bottom-up
 * merge sort with tmp holding n: runs of 8 by insertion first (stable: a
 * later one moves only past a greater one), as the merges of short runs cost
 * more in copies than in comparisons. One body for the two sorts below. */
#define S_MERGE_SORT(T, v, tmp, n, LESS)                                                           \
	do {                                                                                       \
		for (size_t lo_ = 0; lo_ < (n); lo_ += 8) {                                        \
			size_t hi_ = lo_ + 8 < (n) ? lo_ + 8 : (n);                                \
			for (size_t i_ = lo_ + 1; i_ < hi_; i_++) {                                \
				T x_ = (v)[i_];                                                    \
				size_t j_ = i_;                                                    \
				for (; j_ > lo_ && LESS(x_, (v)[j_ - 1]); j_--)                    \
					(v)[j_] = (v)[j_ - 1];                                     \
				(v)[j_] = x_;                                                      \
			}                                                                          \
		}                                                                                  \
		T *src_ = (v), *dst_ = (tmp);                                                      \
		for (size_t w_ = 8; w_ < (n); w_ *= 2) {                                           \
			for (size_t lo_ = 0; lo_ < (n); lo_ += 2 * w_) {                           \
				size_t mid_ = lo_ + w_ < (n) ? lo_ + w_ : (n);                     \
				size_t hi_ = lo_ + 2 * w_ < (n) ? lo_ + 2 * w_ : (n);              \
				size_t i_ = lo_, j_ = mid_, o_ = lo_;                              \
				while (i_ < mid_ && j_ < hi_)                                      \
					dst_[o_++] =                                               \
					    LESS(src_[j_], src_[i_]) ? src_[j_++] : src_[i_++];    \
				while (i_ < mid_)                                                  \
					dst_[o_++] = src_[i_++];                                   \
				while (j_ < hi_)                                                   \
					dst_[o_++] = src_[j_++];                                   \
			}                                                                          \
			T *t_ = src_;                                                              \
			src_ = dst_;                                                               \
			dst_ = t_;                                                                 \
		}                                                                                  \
		if (src_ != (v))                                                                   \
			memcpy((v), src_, (n) * sizeof *(v));                                      \
	} while (0)

/* Sorts idx[0..n) stably with cmp. Inline, and called through one wrapper
 * per order with a constant cmp, so that the comparison is inlined too:
 * called through the pointer, it cost as much as the sort's own work. */
static inline void S_msort(const warta_doc *doc, uint32_t *idx, uint32_t *tmp, size_t n, cmp_fn cmp)
{
#define S_LESS_BY(a, b) (cmp(doc, (a), (b)) < 0)
	S_MERGE_SORT(uint32_t, idx, tmp, n, S_LESS_BY);
#undef S_LESS_BY
}

/* Text order: start, then the longer first. */
static inline int S_by_start(const warta_doc *doc, uint32_t a, uint32_t b)
{
	const mention *x = &doc->mentions.v[a], *y = &doc->mentions.v[b];
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return 0;
}

/* Who wins an overlap: a full form before a short one (a "~" form names
 * nothing by itself), then higher priority, then longer, then leftmost. */
static inline int S_by_strength(const warta_doc *doc, uint32_t a, uint32_t b)
{
	const mention *x = &doc->mentions.v[a], *y = &doc->mentions.v[b];
	if (x->short_form != y->short_form)
		return x->short_form ? 1 : -1;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	uint32_t lx = x->end - x->start, ly = y->end - y->start;
	if (lx != ly)
		return lx > ly ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/* The number of bits that hold 0..v. */
static unsigned S_bits(uint64_t v)
{
	return v ? 64 - (unsigned)__builtin_clzll(v) : 0;
}

/* Sorts v[0..n) of distinct values ascending; tmp holds n. */
static void S_usort(uint64_t *v, uint64_t *tmp, size_t n)
{
#define S_LESS_U64(a, b) ((a) < (b))
	S_MERGE_SORT(uint64_t, v, tmp, n, S_LESS_U64);
#undef S_LESS_U64
}

/* The two orders below, of the mentions 0..n-1 into idx, are sorts of one
 * integer per mention when the fields of the order fit in 64 bits (nearly
 * always): each field, made ascending and no wider than its largest value
 * needs, then the mention's index, which makes the integers distinct and
 * breaks ties as the stable sort does. So the order is the same, with one
 * comparison of integers in an array instead of four of mention fields.
 * Otherwise (or out of memory) the stable sort of indices does it. */

/* Text order: start, then the later end first. */
static void S_sort_by_start(warta_doc *doc, uint32_t *idx, uint32_t *tmp, size_t n)
{
	const mention *mv = doc->mentions.v;
	uint32_t ms = 0, me = 0;
	for (size_t i = 0; i < n; i++) {
		ms = mv[i].start > ms ? mv[i].start : ms;
		me = mv[i].end > me ? mv[i].end : me;
	}
	unsigned bi = S_bits(n - 1), be = S_bits(me), bs = S_bits(ms);
	uint64_t *k = bi + be + bs <= 64 ? arena_alloc_raw(&doc->a, 2 * n * sizeof *k) : NULL;
	if (!k) {
		for (size_t i = 0; i < n; i++)
			idx[i] = (uint32_t)i;
		S_msort(doc, idx, tmp, n, S_by_start);
		return;
	}
	for (size_t i = 0; i < n; i++)
		k[i] = ((uint64_t)mv[i].start << be << bi) | ((uint64_t)(me - mv[i].end) << bi) | i;
	S_usort(k, k + n, n);
	uint64_t mask = bi ? UINT64_MAX >> (64 - bi) : 0;
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint32_t)(k[i] & mask);
}

/* Strength (S_by_strength): a full form first, then higher priority, longer,
 * leftmost. Sorts the n mention indices in idx, a subset of the mentions;
 * the index last in the integer keeps it stable. */
static void S_sort_by_strength(warta_doc *doc, uint32_t *idx, uint32_t *tmp, size_t n)
{
	const mention *mv = doc->mentions.v;
	uint32_t ms = 0, ml = 0, mi = 0;
	int pmin = n ? mv[idx[0]].priority : 0, pmax = pmin;
	for (size_t k = 0; k < n; k++) {
		const mention *m = &mv[idx[k]];
		uint32_t l = m->end - m->start;
		ms = m->start > ms ? m->start : ms;
		ml = l > ml ? l : ml;
		mi = idx[k] > mi ? idx[k] : mi;
		pmin = m->priority < pmin ? m->priority : pmin;
		pmax = m->priority > pmax ? m->priority : pmax;
	}
	unsigned bi = S_bits(mi), bs = S_bits(ms), bl = S_bits(ml),
	         bp = S_bits((uint64_t)((int64_t)pmax - pmin));
	uint64_t *k =
	    1 + bp + bl + bs + bi <= 64 ? arena_alloc_raw(&doc->a, 2 * n * sizeof *k) : NULL;
	if (!k) {
		S_msort(doc, idx, tmp, n, S_by_strength);
		return;
	}
	for (size_t j = 0; j < n; j++) {
		const mention *m = &mv[idx[j]];
		uint64_t x = m->short_form;
		x = x << bp | (uint64_t)((int64_t)pmax - m->priority);
		x = x << bl | (ml - (m->end - m->start));
		x = x << bs | m->start;
		k[j] = x << bi | idx[j];
	}
	S_usort(k, k + n, n);
	uint64_t mask = bi ? UINT64_MAX >> (64 - bi) : 0;
	for (size_t j = 0; j < n; j++)
		idx[j] = (uint32_t)(k[j] & mask);
}

/* ------------------------------------------------------------ overlaps */

/* A bounded string builder for the "why" of a lost mention: one is written
 * for each (thousands per MB of news), and snprintf's format parsing was
 * most of their cost. Like snprintf, it cuts a text that would not fit. */
typedef struct wbuf {
	char *b;
	size_t n, cap; /* cap > 0 */
} wbuf;

static void S_wput(wbuf *o, const char *s, size_t n)
{
	if (n > o->cap - 1 - o->n)
		n = o->cap - 1 - o->n;
	memcpy(o->b + o->n, s, n);
	o->n += n;
	o->b[o->n] = '\0';
}

static void S_wputs(wbuf *o, const char *s)
{
	S_wput(o, s, strlen(s));
}

/* As "%d" prints v. */
static void S_wputd(wbuf *o, long long v)
{
	char d[24], *q = d + sizeof d;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--q = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--q = '-';
	S_wput(o, q, (size_t)(d + sizeof d - q));
}

static void S_ref(const mention *m, char *buf, size_t cap)
{
	const char *file = m->rule ? m->rule->file : m->entry ? m->entry->file : NULL;
	wbuf o = {buf, 0, cap};
	buf[0] = '\0';
	if (file) {
		S_wputs(&o, file);
		S_wput(&o, ":", 1);
		S_wputd(&o, m->rule ? m->rule->line : m->entry->line);
	} else
		S_wput(&o, "?", 1);
}

/* The why of a lost mention is read only by --trace's output: without it the
 * text is never built (it was a tenth of the stage) and `why` stays NULL. */
static bool S_why(const warta_doc *doc)
{
	return (doc->options & WARTA_OPT_TRACE) != 0;
}

/* Sets *why to "VERB REF (REASON)", or "VERB REF (REASON: TYPE)" with a type,
 * where REF is the rule or list line of by, when --trace reads it. Returns
 * false when out of memory. */
static bool S_set_why(warta_doc *doc, const char **why, const char *verb, const mention *by,
                      const char *reason, const char *type)
{
	if (!S_why(doc))
		return true;
	char ref[400], buf[600];
	S_ref(by, ref, sizeof ref);
	snprintf(buf, sizeof buf, "%s %s (%s%s%s)", verb, ref, reason, type ? ": " : "",
	         type ? type : "");
	return (*why = arena_strndup(&doc->a, buf, strlen(buf))) != NULL;
}

static const char *S_lost_to(warta_doc *doc, const mention *lo, const mention *w)
{
	char ref[400], why[600];
	S_ref(w, ref, sizeof ref);
	uint32_t ll = lo->end - lo->start, lw = w->end - w->start;
	wbuf o = {why, 0, sizeof why};
	S_wput(&o, "lost to ", 8);
	S_wputs(&o, ref);
	if (lo->short_form && !w->short_form)
		S_wputs(&o, " (a short form yields to any other candidate)");
	else if (lo->priority != w->priority) {
		S_wputs(&o, " (priority ");
		S_wputd(&o, lo->priority);
		S_wputs(&o, " < ");
		S_wputd(&o, w->priority);
		S_wput(&o, ")", 1);
	} else if (ll != lw) {
		S_wputs(&o, " (priority ");
		S_wputd(&o, lo->priority);
		S_wputs(&o, ", shorter: ");
		S_wputd(&o, ll);
		S_wputs(&o, " < ");
		S_wputd(&o, lw);
		S_wputs(&o, " bytes)");
	} else if (lo->start != w->start) {
		S_wputs(&o, " (priority ");
		S_wputd(&o, lo->priority);
		S_wputs(&o, ", same length, starts later)");
	} else {
		S_wputs(&o, " (same span and priority ");
		S_wputd(&o, lo->priority);
		S_wputs(&o, ", found later)");
	}
	return arena_strndup(&doc->a, why, o.n);
}

static bool S_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Gives m the span [s, e) and the name and key that go with it. */
static void S_respan(warta_doc *doc, mention *m, uint32_t s, uint32_t e)
{
	const char *t = doc->text;
	m->start = s;
	m->end = e;
	const gz_entry *g = doc->rs ? gazetteer_lookup(doc->rs->gz, t + s, e - s) : NULL;
	if (g && g->type == m->type) {
		m->entry = g;
		m->name = g->name;
		m->key = g->id;
		return;
	}
	m->entry = NULL;
	char *name = arena_alloc(&doc->a, e - s + 1);
	if (!name)
		return; /* keeps the old name; the span is still right */
	size_t o = 0;
	for (uint32_t i = s; i < e; i++)
		if (!S_space(t[i]) || (o && name[o - 1] != ' '))
			name[o++] = S_space(t[i]) ? ' ' : t[i];
	name[o] = '\0';
	m->name = name;
	const char *key = rules_slug(&doc->a, m->type, t + s, e - s);
	if (key)
		m->key = key;
}

/* True when the list of type names v (as in `nest COUNTRY LOCATION`) has t. */
static bool S_type_in(const char *v, etype t)
{
	const char *name = etype_name(t);
	size_t nl = strlen(name);
	for (const char *p = v; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t k = strcspn(p, " ,");
		if (k == nl && memcmp(p, name, nl) == 0)
			return true;
		p += k;
	}
	return false;
}

/* Cuts from m (a rule mention whose rule says `trim start`, `trim end` or
 * `trim both`) the words that the stronger w covers at that edge: "Rusia
 * Vladimir Putin" after a list found "Rusia" becomes "Vladimir Putin". What is
 * left must be whole words starting with a capital. Returns true and the new
 * span when there is one. */
static bool S_trim(const warta_doc *doc, const mention *m, const mention *w, uint32_t *span)
{
	const char *v = m->rule ? rule_attr_get(m->rule, "trim") : NULL;
	if (!v)
		return false;
	bool start = strcmp(v, "start") == 0 || strcmp(v, "both") == 0;
	bool end = strcmp(v, "end") == 0 || strcmp(v, "both") == 0;
	const char *t = doc->text;
	uint32_t s = m->start, e = m->end;
	if (start && w->start <= s && w->end < e) {
		s = w->end;
		if (!S_space(t[s]))
			return false;
		while (s < e && S_space(t[s]))
			s++;
	} else if (end && w->start > s && w->end >= e) {
		e = w->start;
		if (!S_space(t[e - 1]))
			return false;
		while (e > s && S_space(t[e - 1]))
			e--;
	} else
		return false;
	unsigned char c = (unsigned char)t[s];
	if (s >= e || !((c >= 'A' && c <= 'Z') || c >= 0xC0))
		return false;
	/* Cut at the end, a head must keep a word of its name: "Gunung" alone
	 * from "Gunung Merapi" names nothing. */
	if (e != m->end) {
		uint32_t sp = s;
		while (sp < e && !S_space(t[sp]))
			sp++;
		if (sp == e)
			return false;
	}
	span[0] = s;
	span[1] = e;
	return true;
}

/* Shrinks the accepted w (a rule mention whose rule says `yield TYPE ...`)
 * to end before the weaker m of such a type that covers its end: "Partai
 * Golkar Nurul Arifin" gives back [Nurul Arifin] to a person rule. w must
 * keep two words. Returns true when w changed. */
static bool S_yield(warta_doc *doc, const rlists *L, mention *w, const mention *m,
                    uint32_t *gone_end)
{
	const char *v = w->rule ? rule_attr_get(w->rule, "yield") : NULL;
	if (!v || !S_type_in(v, m->type) || m->start <= w->start || m->end < w->end)
		return false;
	const char *t = doc->text;
	/* A list that names the body from its start and ends inside m says where
	 * the body's name ends ("PT Telkom" of "PT Telkom Guntur Siregar", against
	 * the person "Telkom Guntur Siregar"): w keeps that name, and m, which
	 * still overlaps it, loses its start to w (its rule may `trim` it). */
	const mention *mv = doc->mentions.v;
	size_t wi = (size_t)(w - mv), lo = wi, hi = wi + 1;
	while (lo > 0 && mv[lo - 1].start == w->start)
		lo--;
	while (hi < doc->mentions.n && mv[hi].start == w->start)
		hi++;
	for (size_t j = lo; j < hi; j++) {
		const mention *l = &mv[j];
		if (j != wi && !l->rule && l->entry && !l->short_form && l->type == w->type &&
		    l->end > m->start && l->end < m->end && l->end < w->end) {
			S_respan(doc, w, w->start, l->end);
			return true;
		}
	}
	/* Likewise a list name that m starts with, when m may lose its start:
	 * "Bank Sentral Malaysia" keeps the country that the person rule took
	 * with "Malaysia Zeti Akhtar Aziz", which keeps [Zeti Akhtar Aziz]. */
	const char *tv = m->rule ? rule_attr_get(m->rule, "trim") : NULL;
	if (tv && (!strcmp(tv, "start") || !strcmp(tv, "both"))) {
		size_t mi = (size_t)(m - mv);
		for (lo = mi; lo > 0 && mv[lo - 1].start == m->start;)
			lo--;
		for (size_t j = lo; j < doc->mentions.n && mv[j].start == m->start; j++) {
			const mention *l = &mv[j];
			if (j != mi && !l->rule && l->entry && !l->short_form &&
			    l->type != T_PERSON && l->end < m->end && l->end < w->end &&
			    S_space(t[l->end])) {
				S_respan(doc, w, w->start, l->end);
				return true;
			}
		}
	}
	uint32_t e = m->start;
	if (!S_space(t[e - 1]))
		return false;
	while (e > w->start && (S_space(t[e - 1]) || t[e - 1] == ','))
		e--;
	/* "RSUD Dr. Soetomo": a name after a title inside the body's name is
	 * part of it. */
	if (e > w->start && t[e - 1] == '.')
		return false;
	uint32_t sp = w->start;
	while (sp < e && !S_space(t[sp]))
		sp++;
	/* A legal form (org_heads.tsv kind `company`: "PT", "CV") with a name
	 * after it always names a company: what a person rule took after it is
	 * the company's name ("Direktur PT [Sawit Golden Prima]"). */
	const wordlist *oh = L->org_heads;
	const tsv_row *hr = oh && sp >= e ? wordlist_find(oh, t + w->start, sp - w->start) : NULL;
	if (hr && !strcmp(tsv_cell(hr, L->org_kind), "company"))
		return false;
	if (sp >= e && m->type == T_PERSON) {
		/* Only the head would be left ("Kabinet" of "Sekretaris Kabinet
		 * Andi Widjajanto"): the body named nobody. It leaves the settlement
		 * as an empty span (so that it blocks nothing) and gets its span back
		 * at the end of the round. */
		if (!S_set_why(doc, &w->why, "gave way to", m,
		               "a person's name right after its head", NULL))
			return false;
		*gone_end = w->end;
		w->end = w->start;
		w->dropped = true;
		return true;
	}
	if (sp >= e)
		return false;
	S_respan(doc, w, w->start, e);
	return true;
}

/* True when winner w's rule lets a mention of type t live inside it. */
static bool S_nests(const mention *w, etype t)
{
	const char *v = w->rule ? rule_attr_get(w->rule, "nest") : NULL;
	return v && S_type_in(v, t);
}

/* The list mention that rule candidate mv[i] starts inside of and ends beyond
 * ("Serikat dan Rusia" across "Amerika Serikat"), or -1. A list mention
 * that lost an overlap (winner set) still counts: its name is still there;
 * one dropped before the overlaps does not. A form of the candidate's own
 * entity ("Letkol Teddy" under "Teddy Indra Wijaya") is no rival. mv is in
 * text order; of several, the one that ends last. */
static int32_t S_crossed(const warta_doc *doc, size_t i, const int32_t *winner)
{
	const mention *mv = doc->mentions.v, *r = &mv[i];
	int32_t x = -1;
	for (size_t j = i; j-- > 0 && mv[j].start + 256 > r->start;) {
		const mention *l = &mv[j];
		if (l->rule || !l->entry || l->short_form || (l->dropped && winner[j] < 0) ||
		    l->start >= r->start || l->end <= r->start || l->end >= r->end ||
		    !strcmp(l->key, r->key))
			continue;
		if (x < 0 || l->end > mv[x].end)
			x = (int32_t)j;
	}
	return x;
}

/* Settles overlaps greedily, strongest first. Accepted spans are disjoint, so
 * the only one that can overlap [s, e) is the accepted span with the largest
 * start below e: a prefix-maximum Fenwick tree over text order finds it. */
static int S_overlaps(warta_doc *doc, const rlists *L, uint32_t *order, uint32_t *tmp, bool trim,
                      size_t *trimmed)
{
	size_t n = doc->mentions.n;
	mention *mv = doc->mentions.v;
	int32_t *fen = arena_alloc(&doc->a, (n + 1) * sizeof *fen);
	/* not zeroed: the loop below sets every one */
	int32_t *winner = arena_alloc_raw(&doc->a, n * sizeof *winner);
	int32_t *nest_next = arena_alloc_raw(&doc->a, n * sizeof *nest_next);
	int32_t *nest_head = arena_alloc_raw(&doc->a, n * sizeof *nest_head);
	uint32_t *cut = trim ? arena_alloc(&doc->a, 2 * n * sizeof *cut) : NULL;
	uint32_t *gone = arena_alloc(&doc->a, n * sizeof *gone);
	uint32_t *lreach = arena_alloc_raw(&doc->a, n * sizeof *lreach);
	bool cut_any = false;
	if (!fen || !winner || !nest_next || !nest_head || !gone || !lreach || (trim && !cut))
		return WARTA_ENOMEM;
	for (size_t i = 0; i < n; i++)
		winner[i] = nest_head[i] = nest_next[i] = -1;
	/* A mention that overlaps no other (mv is in text order: every one
	 * before it ends by its start, the next starts at its end or later)
	 * wins whenever it comes: nothing it is checked against below can
	 * overlap it, and as spans only shrink in the loop, it stays apart.
	 * Taken first, it cannot change another's answer either: the accepted
	 * span nearest before a later end is still the only one that can
	 * overlap (they stay disjoint). So only the others, kept and
	 * contested, are sorted by strength (often fewer than half). */
	size_t nc = 0;
	uint32_t reach = 0, lr = 0; /* the largest end so far, and of a list's */
	for (size_t i = 0; i < n; i++) {
		/* S_crossed()'s rivals end before lreach[i]: without one that
		 * ends past a rule's start, it has none to find (the ends of list
		 * mentions do not change in the loop below) */
		lreach[i] = lr;
		if (!mv[i].rule && mv[i].entry && !mv[i].short_form && mv[i].end > lr)
			lr = mv[i].end;
		bool alone = (i == 0 || reach <= mv[i].start) &&
		             (i + 1 == n || mv[i + 1].start >= mv[i].end);
		reach = mv[i].end > reach ? mv[i].end : reach;
		if (mv[i].dropped) /* noise, or lost before the overlaps */
			continue;
		if (!alone) {
			order[nc++] = (uint32_t)i;
			continue;
		}
		for (size_t f = i + 1; f <= n; f += f & (~f + 1))
			if (fen[f] < (int32_t)i + 1)
				fen[f] = (int32_t)i + 1;
	}
	S_sort_by_strength(doc, order, tmp, nc);
	for (size_t k = 0; k < nc; k++) {
		uint32_t i = order[k];
		mention *m = &mv[i];
		/* p: the last mention (text order) starting before m ends. */
		size_t lo = i, hi = n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (mv[mid].start < m->end)
				lo = mid + 1;
			else
				hi = mid;
		}
		int32_t best = 0;
		for (size_t f = lo; f > 0; f -= f & (~f + 1))
			if (fen[f] > best)
				best = fen[f];
		/* A rule candidate that starts inside a name a list knows and ends
		 * beyond it loses to the list whatever its priority, before any
		 * body yields to it: a word that ends a known name ("Serikat" of
		 * "Amerika Serikat") does not open a new one ("Serikat Pekerja").
		 * A rule that may `trim start` keeps what follows the list's name.
		 * Not when the winner it overlaps begins with that name ("PT
		 * Telkom" of "PT Telkom Guntur Siregar"): `yield` settles that. */
		int32_t x = m->rule && lreach[i] > m->start ? S_crossed(doc, i, winner) : -1;
		if (x >= 0 && best > 0 && mv[best - 1].end > m->start &&
		    mv[best - 1].start == mv[x].start)
			x = -1;
		if (x >= 0) {
			if (trim && S_trim(doc, m, &mv[x], &cut[2 * i])) {
				(*trimmed)++;
				cut_any = true;
			}
			m->dropped = true;
			winner[i] = x;
			if (!S_set_why(doc, &m->why, "lost to", &mv[x],
			               "starts inside a name a list knows", etype_name(mv[x].type)))
				return WARTA_ENOMEM;
			continue;
		}
		if (best > 0 && mv[best - 1].end > m->start &&
		    S_yield(doc, L, &mv[best - 1], m, &gone[best - 1])) {
			best = 0; /* w now ends before m: look again */
			for (size_t f = lo; f > 0; f -= f & (~f + 1))
				if (fen[f] > best)
					best = fen[f];
		}
		if (best > 0 && mv[best - 1].end > m->start) {
			/* Trimmed spans wait for the end of the round: the binary
			 * search above needs the starts as they were sorted. */
			if (trim && S_trim(doc, m, &mv[best - 1], &cut[2 * i])) {
				(*trimmed)++;
				cut_any = true;
			}
			m->dropped = true;
			winner[i] = best - 1;
			if (S_why(doc) && !(m->why = S_lost_to(doc, m, &mv[best - 1])))
				return WARTA_ENOMEM;
			continue;
		}
		for (size_t f = i + 1; f <= n; f += f & (~f + 1))
			if (fen[f] < (int32_t)i + 1)
				fen[f] = (int32_t)i + 1;
	}
	/* A list mention inside a rule mention that allows it comes back, in the
	 * same order of strength, unless it overlaps one already back (one that
	 * lost has a winner, so it is among those sorted). */
	for (size_t k = 0; k < nc; k++) {
		uint32_t i = order[k];
		int32_t w = winner[i];
		mention *m = &mv[i];
		if (w < 0 || m->rule || m->start < mv[w].start || m->end > mv[w].end ||
		    !S_nests(&mv[w], m->type))
			continue;
		bool clash = false;
		for (int32_t j = nest_head[w]; j >= 0 && !clash; j = nest_next[j])
			clash = mv[j].start < m->end && m->start < mv[j].end;
		if (clash)
			continue;
		m->dropped = false;
		m->why = NULL;
		nest_next[i] = nest_head[w];
		nest_head[w] = (int32_t)i;
	}
	for (size_t i = 0; i < n; i++)
		if (gone[i])
			mv[i].end = gone[i];
	for (size_t i = 0; cut_any && i < n; i++)
		if (cut[2 * i + 1] > cut[2 * i])
			S_respan(doc, &mv[i], cut[2 * i], cut[2 * i + 1]);
	return WARTA_OK;
}

/* ------------------------------------------------------------ grouping */

/* Keys interned: every distinct key text gets a small id, so that the
 * groups and the entities below are arrays indexed by (id, related) instead
 * of hash tables of strings. A key is mostly the same pointer many times (a
 * list row's id, one per entity however many forms name it): the pointer is
 * looked up first, and a key's text is read and hashed once per distinct
 * pointer and run, not once per mention and step. Ids are equal exactly when
 * the texts are (the texts are compared), so the hash decides nothing but
 * where a key is stored. */
typedef struct kptr {
	const char *p;
	uint32_t id;
} kptr;

typedef struct keyset {
	arena *a;
	kptr *ptr;        /* pointer -> id; p NULL: empty */
	uint64_t *text;   /* text -> id: id + 1 below, the hash's upper half above; 0: empty */
	size_t cap;       /* of both tables: a power of two, more than twice np */
	const char **key; /* by id: the first pointer met with that text */
	uint64_t *hash;   /* by id */
	size_t np, n;     /* pointers and ids (n <= np) */
} keyset;

/* The hash of a key's text, 8 bytes at a time (FNV-1a, a byte at a time,
 * was most of the stage's hashing cost; keys run 15 to 40 bytes). */
static uint64_t S_bytes_hash(const char *s, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	size_t i = 0;
	uint64_t h = n * k, w;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	if (i < n) {
		/* the last 8 bytes (overlapping) when there are 8, else byte by byte */
		w = 0;
		if (n >= 8)
			memcpy(&w, s + n - 8, 8);
		else
			for (; i < n; i++)
				w = w << 8 | (unsigned char)s[i];
		h = (h ^ w) * k;
	}
	h ^= h >> 32;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 29);
}

static uint64_t S_text_hash(const char *s)
{
	return S_bytes_hash(s, strlen(s));
}

static size_t S_ptr_slot(const char *p, size_t mask)
{
	return (size_t)(((uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

/* Makes the tables of ks hold cap slots (a power of two above 2 np). */
static bool S_keyset_alloc(keyset *ks, size_t cap)
{
	kptr *ptr = arena_alloc(ks->a, cap * sizeof *ptr);
	uint64_t *text = arena_alloc(ks->a, cap * sizeof *text);
	const char **key = arena_alloc_raw(ks->a, cap / 2 * sizeof *key);
	uint64_t *hash = arena_alloc_raw(ks->a, cap / 2 * sizeof *hash);
	if (!ptr || !text || !key || !hash)
		return false;
	size_t m = cap - 1;
	for (size_t s = 0; s < ks->cap; s++) {
		if (ks->ptr[s].p) {
			size_t t = S_ptr_slot(ks->ptr[s].p, m);
			while (ptr[t].p)
				t = (t + 1) & m;
			ptr[t] = ks->ptr[s];
		}
		if (ks->text[s]) {
			uint32_t id = (uint32_t)ks->text[s] - 1;
			size_t t = (size_t)ks->hash[id] & m;
			while (text[t])
				t = (t + 1) & m;
			text[t] = ks->text[s];
		}
	}
	if (ks->n) {
		memcpy(key, ks->key, ks->n * sizeof *key);
		memcpy(hash, ks->hash, ks->n * sizeof *hash);
	}
	ks->ptr = ptr;
	ks->text = text;
	ks->key = key;
	ks->hash = hash;
	ks->cap = cap;
	return true;
}

/* An empty keyset for the keys of n candidates: room for n / 2 pointers,
 * as an article has fewer distinct keys than that (it grows when it must;
 * the tables are zeroed, and room for 2n cost more than growing). */
static bool S_keyset_init(arena *a, keyset *ks, size_t n)
{
	size_t cap = 16;
	while (cap < n + 2)
		cap *= 2;
	*ks = (keyset){.a = a};
	return S_keyset_alloc(ks, cap);
}

/* The id of key's text, or -1 when out of memory. */
static int32_t S_kid(keyset *ks, const char *key)
{
	size_t m = ks->cap - 1, s = S_ptr_slot(key, m);
	for (; ks->ptr[s].p; s = (s + 1) & m)
		if (ks->ptr[s].p == key)
			return (int32_t)ks->ptr[s].id;
	if (2 * (ks->np + 1) >= ks->cap) {
		if (!S_keyset_alloc(ks, 2 * ks->cap))
			return -1;
		m = ks->cap - 1;
		for (s = S_ptr_slot(key, m); ks->ptr[s].p;)
			s = (s + 1) & m;
	}
	uint64_t h = S_text_hash(key), tag = h >> 32 << 32;
	size_t t = (size_t)h & m;
	uint32_t id;
	for (;; t = (t + 1) & m) {
		uint64_t v = ks->text[t];
		if (!v) {
			id = (uint32_t)ks->n++;
			ks->key[id] = key;
			ks->hash[id] = h;
			ks->text[t] = tag | (id + 1);
			break;
		}
		id = (uint32_t)v - 1;
		if ((v & ~(uint64_t)UINT32_MAX) == tag && strcmp(ks->key[id], key) == 0)
			break;
	}
	ks->ptr[s] = (kptr){key, id};
	ks->np++;
	return (int32_t)id;
}

/* An int32 per (key id, related) of ks as it is now, all -1. */
static int32_t *S_kid_map(keyset *ks)
{
	int32_t *v = arena_alloc_raw(ks->a, 2 * ks->n * sizeof *v + sizeof *v);
	if (v)
		memset(v, 0xff, 2 * ks->n * sizeof *v);
	return v;
}

/* The words that single-word person names ask for ("Tito" for "Tito
 * Karnavian"), folded, each once with an index. A word of a full name is
 * kept only when it is one of them: no other can be asked for, so the
 * answers are the same as with every word kept, and the others are neither
 * folded into the arena nor sorted. */
typedef struct qword {
	const char *w; /* folded */
	size_t len;
	uint64_t h;
} qword;

typedef struct qwords {
	qword *v;          /* by index */
	uint32_t *slot;    /* index + 1, or 0: empty */
	size_t n, cap;     /* cap: a power of two, more than twice the words */
	uint64_t first[4]; /* the first bytes of the words, a bit each */
} qwords;

/* A table for up to n words. */
static bool S_qwords_init(arena *a, qwords *q, size_t n)
{
	*q = (qwords){.cap = 16};
	while (q->cap < 2 * n + 2)
		q->cap *= 2;
	q->v = arena_alloc_raw(a, (n + 1) * sizeof *q->v);
	q->slot = arena_alloc(a, q->cap * sizeof *q->slot);
	return q->v && q->slot;
}

/* The index of the folded word w[0..len), added when add (there is room),
 * or -1 when absent. */
static int32_t S_qword(qwords *q, const char *w, size_t len, bool add)
{
	uint64_t h = S_bytes_hash(w, len);
	size_t s = (size_t)h & (q->cap - 1);
	for (; q->slot[s]; s = (s + 1) & (q->cap - 1)) {
		const qword *x = &q->v[q->slot[s] - 1];
		if (x->h == h && x->len == len && memcmp(x->w, w, len) == 0)
			return (int32_t)(q->slot[s] - 1);
	}
	if (!add)
		return -1;
	unsigned char c = len ? (unsigned char)w[0] : 0;
	q->first[c >> 6] |= 1ull << (c & 63);
	q->v[q->n] = (qword){w, len, h};
	q->slot[s] = (uint32_t)++q->n;
	return (int32_t)(q->n - 1);
}

/* The index of the word that text s[0..n) folds to (as S_fold, up to a NUL
 * if it has one, as q's words are strings), or -1 when it is none of q's.
 * A word of ASCII without white space or NUL folds to its bytes in lower
 * case, as fold_utf8 does: that one is not passed to it. */
static int32_t S_qword_of(qwords *q, const char *s, size_t n)
{
	char buf[256];
	size_t fl = n, i = 0;
	/* an ASCII first byte folds to itself in lower case: when none of q's
	 * words begins so, none is this word (the empty word begins with 0) */
	unsigned char c = n ? (unsigned char)s[0] : 0;
	c = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	if (c < 0x80 && !(q->first[c >> 6] >> (c & 63) & 1))
		return -1;
	if (n < 200)
		for (; i < n && (unsigned char)s[i] - 1u < 0x7f; i++)
			buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	if (i < n || n >= 200) {
		fl = fold_utf8(s, n, buf, sizeof buf);
		if (fl == (size_t)-1)
			return -1;
		const char *z = memchr(buf, 0, fl);
		fl = z ? (size_t)(z - buf) : fl;
	}
	return S_qword(q, buf, fl, false);
}

/* One word of a full person name that a single word asks for (its index
 * in qwords): where the name stands and its mention. */
typedef struct pword {
	uint32_t w;
	bool rel;
	uint32_t at;
	uint32_t m;
} pword;

/* Any order that keeps one (related, word) together, by position, serves
 * the search below. */
static int S_pword_cmp(const pword *x, const pword *y)
{
	if (x->rel != y->rel)
		return x->rel ? 1 : -1;
	if (x->w != y->w)
		return x->w < y->w ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at ? 1 : 0;
}

static void S_pword_sort(pword *v, pword *tmp, size_t n)
{
	pword *src = v, *dst = tmp;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, o = lo;
			while (i < mid && j < hi)
				dst[o++] = S_pword_cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[o++] = src[i++];
			while (j < hi)
				dst[o++] = src[j++];
		}
		pword *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof *v);
}

static const char *S_fold(arena *a, const char *s, size_t n)
{
	char buf[256];
	size_t fl = fold_utf8(s, n, buf, sizeof buf);
	return fl == (size_t)-1 ? NULL : arena_strndup(a, buf, fl);
}

static bool S_is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Adds the first and the last word of (s, n) to pw when it has two words or
 * more, those of them that q has. */
static size_t S_name_words(qwords *q, const char *s, size_t n, bool rel, uint32_t at, uint32_t m,
                           pword *pw)
{
	size_t fe = 0, ls = n;
	while (fe < n && !S_is_space(s[fe]))
		fe++;
	if (fe == n)
		return 0;
	while (ls > 0 && !S_is_space(s[ls - 1]))
		ls--;
	int32_t f = S_qword_of(q, s, fe), l = S_qword_of(q, s + ls, n - ls);
	size_t k = 0;
	if (f >= 0)
		pw[k++] = (pword){(uint32_t)f, rel, at, m};
	if (l >= 0)
		pw[k++] = (pword){(uint32_t)l, rel, at, m};
	return k;
}

/* Finds, for a single word (index w) said at `at`, the full name it stands
 * for: the nearest one before it, else the first one after. Returns a
 * mention or -1. */
static int32_t S_pword_find(const pword *pw, size_t n, uint32_t w, bool rel, uint32_t at)
{
	pword probe = {w, rel, 0, 0};
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (S_pword_cmp(&pw[mid], &probe) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t first = lo;
	if (first == n || pw[first].rel != rel || pw[first].w != w)
		return -1;
	probe.at = at;
	hi = n;
	while (lo < hi) { /* first occurrence at or after `at` */
		size_t mid = (lo + hi) / 2;
		if (S_pword_cmp(&pw[mid], &probe) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > first)
		return (int32_t)pw[lo - 1].m;
	return (int32_t)pw[first].m;
}

static bool S_single_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (S_is_space(s[i]))
			return false;
	return n > 0;
}

/* A kept person's name of one word found by a rule ("Tito"): it stands
 * for the full name with that word nearest to it (S_pword_find). */
static bool S_asks(const warta_doc *doc, const mention *m)
{
	return !m->dropped && !m->short_form && m->type == T_PERSON && m->rule && !m->entry &&
	       S_single_word(doc->text + m->start, m->end - m->start);
}

/* Ranks the mentions of one entity for the entity's name and identity: a full
 * form over a short one, a list row over a rule, then the longer name. */
static bool S_better(const mention *x, const mention *y)
{
	if (x->short_form != y->short_form)
		return !x->short_form;
	if ((x->entry != NULL) != (y->entry != NULL))
		return x->entry != NULL;
	return strlen(x->name ? x->name : "") > strlen(y->name ? y->name : "");
}

static const char *S_alone(warta_doc *doc, const mention *m)
{
	char why[300];
	snprintf(why, sizeof why, "short form with no full form of %s in the %s", m->key,
	         m->zone == Z_RELATED ? "same related list" : "article");
	return arena_strndup(&doc->a, why, strlen(why));
}

/* The general category of the code point at byte i of the text, and its
 * length in *len (0 at the end or on a bad byte). */
static utf8proc_category_t S_cat(const warta_doc *doc, uint32_t i, uint32_t *len)
{
	/* an ASCII letter or digit, most of what is asked, without utf8proc:
	 * one byte of category Lu, Ll or Nd */
	unsigned char c = i < doc->len ? (unsigned char)doc->text[i] : 0x80;
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
		*len = 1;
		return c <= '9'   ? UTF8PROC_CATEGORY_ND
		       : c <= 'Z' ? UTF8PROC_CATEGORY_LU
		                  : UTF8PROC_CATEGORY_LL;
	}
	utf8proc_int32_t cp = -1;
	utf8proc_ssize_t l = i < doc->len
	                         ? utf8proc_iterate((const utf8proc_uint8_t *)doc->text + i,
	                                            (utf8proc_ssize_t)(doc->len - i), &cp)
	                         : 0;
	*len = l > 0 ? (uint32_t)l : 0;
	return cp < 0 ? UTF8PROC_CATEGORY_CN : utf8proc_category(cp);
}

/* A short form written as a name ("Mega", not "MEGA" or "mega") that stands
 * alone: no capitalised word right after it, and before it none but a title
 * ("Presiden Prasetyo", not "Sri Rahayu Widodo"). Such a word names a person
 * (or body) of that name even when the article never gives the full form, as
 * in a quoted sentence or a short news item; only which one is unknown.
 * People and bodies only: a place's or country's short form stays a cue. */
static bool S_standalone(const warta_doc *doc, const rlists *L, const mention *m)
{
	uint32_t l1, l2, l3;
	if (m->type != T_PERSON && m->type != T_ORGANIZATION && m->type != T_AGENCY)
		return false;
	if (S_cat(doc, m->start, &l1) != UTF8PROC_CATEGORY_LU || !l1 ||
	    S_cat(doc, m->start + l1, &l2) != UTF8PROC_CATEGORY_LL)
		return false;
	const char *t = doc->text;
	uint32_t e = m->end;
	if (e + 1 < doc->len && (t[e] == ' ' || t[e] == '\t') &&
	    S_cat(doc, e + 1, &l3) == UTF8PROC_CATEGORY_LU)
		return false;
	uint32_t s = m->start;
	while (s > 0 && (t[s - 1] == ' ' || t[s - 1] == '\t'))
		s--;
	if (s == m->start)
		return true; /* after a quote, a bracket or the start */
	uint32_t ws = s;
	while (ws > 0 && !S_space(t[ws - 1]))
		ws--;
	if (S_cat(doc, ws, &l3) != UTF8PROC_CATEGORY_LU)
		return true;
	const wordlist *titles = L->titles;
	if (titles && wordlist_find(titles, t + ws, s - ws))
		return true;
	/* a capitalised sentence opener ("Namun Mega dan ...", "Menurut Mega,")
	 * is no part of a name either */
	const wordlist *cues = L->person_cues;
	const tsv_row *row = cues ? wordlist_find(cues, t + ws, s - ws) : NULL;
	return row && !strcmp(tsv_cell(row, L->cue_kind), "stop");
}

/* Turns a lone short form into a name of its own: the span is the name, the
 * key a slug of it, no list identity (the list row stays as provenance). */
static bool S_unlink(warta_doc *doc, mention *m)
{
	const char *name = arena_strndup(&doc->a, doc->text + m->start, m->end - m->start);
	const char *key = rules_slug(&doc->a, m->type, doc->text + m->start, m->end - m->start);
	if (!name || !key)
		return false;
	m->name = name;
	m->key = key;
	m->short_form = false;
	return true;
}

/* Whether text[ws, we) (a lower-case word or two) is a noun of kind
 * `people` in place_heads.tsv; a reduplicated plural counts as its base
 * ("serangan-serangan" as "serangan"). */
static bool S_people_noun(const warta_doc *doc, const wordlist *wl, int kind, uint32_t ws,
                          uint32_t we)
{
	const char *t = doc->text;
	uint32_t l, half = (we - ws - 1) / 2;
	if (ws >= we || S_cat(doc, ws, &l) != UTF8PROC_CATEGORY_LL)
		return false;
	if ((we - ws) % 2 == 1 && t[ws + half] == '-' && !memcmp(t + ws, t + ws + half + 1, half))
		we = ws + half;
	const tsv_row *row = wordlist_find(wl, t + ws, we - ws);
	return row && !strcmp(tsv_cell(row, kind), "people");
}

/* A country right after a lower-case noun of kind `people` in place_heads.tsv
 * ("turis Tiongkok", "bahasa Inggris", "pemerintah Irak", "serangan udara
 * Israel", "anti-Suriah") is an attribute of that noun, not a place the text
 * speaks of. The noun may be one word or two, and joined by a hyphen. */
static bool S_attribute(const warta_doc *doc, const rlists *L, const mention *m)
{
	const wordlist *wl = L->place_heads;
	if (m->type != T_COUNTRY || m->rule || !m->entry || !wl)
		return false;
	const char *t = doc->text;
	uint32_t s = m->start, ws;
	if (s < 2 || (t[s - 1] != ' ' && t[s - 1] != '-'))
		return false;
	for (ws = --s; ws > 0 && !S_space(t[ws - 1]) && t[ws - 1] != '-';)
		ws--;
	if (S_people_noun(doc, wl, L->head_kind, ws, s))
		return true;
	if (ws < 2 || t[ws - 1] != ' ' || t[s] != ' ')
		return false; /* a phrase of two words: "serangan udara" */
	uint32_t w2 = ws - 1;
	while (w2 > 0 && !S_space(t[w2 - 1]))
		w2--;
	return S_people_noun(doc, wl, L->head_kind, w2, s);
}

/* A country in running text right after a capitalised word qualifies the
 * name or office before it ("Presiden Indonesia", "Menteri Pertahanan Amerika
 * Serikat", "Tim Indonesia"): the news annotations do not count it as a place.
 * Checked after the overlaps, so that it has still cut a title off a person
 * ("Presiden Rusia [Vladimir Putin]"); a title zone capitalises every word. */
static bool S_qualifies(const warta_doc *doc, const rlists *L, const mention *m)
{
	if (m->type != T_COUNTRY || m->zone != Z_BODY)
		return false;
	const char *t = doc->text;
	uint32_t s = m->start, ws, l;
	if (s < 3 || t[s - 1] != ' ')
		return false;
	if (m->end + 1 < doc->len && t[m->end] == ' ' && t[m->end + 1] == '(')
		return false; /* "Korea Utara (Korut)" defines a name */
	utf8proc_category_t last = UTF8PROC_CATEGORY_CN;
	for (ws = s - 1; ws > 0 && !S_space(t[ws - 1]);) {
		ws--;
		if ((t[ws] & 0xC0) != 0x80 && last == UTF8PROC_CATEGORY_CN)
			last = S_cat(doc, ws, &l);
	}
	bool word_end = last == UTF8PROC_CATEGORY_LL || last == UTF8PROC_CATEGORY_LU;
	if (ws == s - 1 || !word_end || S_cat(doc, ws, &l) != UTF8PROC_CATEGORY_LU)
		return false;
	/* a capitalised sentence opener ("Lalu", "Namun") qualifies nothing */
	const wordlist *cues = L->person_cues;
	const tsv_row *row = cues ? wordlist_find(cues, t + ws, s - 1 - ws) : NULL;
	return !row || strcmp(tsv_cell(row, L->cue_kind), "stop") != 0;
}

/* The kind (place_heads.tsv) of the word text[s, e), or NULL. */
static const char *S_head_kind(const warta_doc *doc, const rlists *L, uint32_t s, uint32_t e)
{
	const wordlist *wl = L->place_heads;
	const tsv_row *row = wl && e > s ? wordlist_find(wl, doc->text + s, e - s) : NULL;
	return row ? tsv_cell(row, L->head_kind) : NULL;
}

/* A list form that opens with a lower-case administrative head ("kota
 * Yogyakarta" found by the form "Kota Yogyakarta") names the place by the
 * words after the head, as the rule for "kota [Kursk]" does: moves the start
 * past the head. The row's identity stays. */
static void S_lower_head(const warta_doc *doc, const rlists *L, mention *m)
{
	const char *t = doc->text;
	uint32_t l, e = m->start;
	if (m->rule || !m->entry || m->type != T_LOCATION ||
	    S_cat(doc, m->start, &l) != UTF8PROC_CATEGORY_LL)
		return;
	while (e < m->end && !S_space(t[e]))
		e++;
	if (e + 1 >= m->end || t[e] != ' ' || S_cat(doc, e + 1, &l) != UTF8PROC_CATEGORY_LU)
		return;
	const char *kind = S_head_kind(doc, L, m->start, e);
	if (kind && (!strcmp(kind, "admin") || !strcmp(kind, "province")))
		m->start = e + 1;
}

/* The end of the word that starts at i (letters, marks and digits). */
static uint32_t S_word_end(const warta_doc *doc, uint32_t i)
{
	uint32_t l;
	for (;;) {
		utf8proc_category_t c = S_cat(doc, i, &l);
		if (!l || !(c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL ||
		            c == UTF8PROC_CATEGORY_LT || c == UTF8PROC_CATEGORY_LM ||
		            c == UTF8PROC_CATEGORY_LO || c == UTF8PROC_CATEGORY_MN ||
		            c == UTF8PROC_CATEGORY_ND))
			return i;
		i += l;
	}
}

/* A place a list knows, followed by a direction word of place_heads.tsv
 * (kind `direction`) that ends a word: "Israel utara", "Libya Barat", "Gaza
 * barat laut". The region is the place: returns the end of the direction
 * (the longest one: "barat laut" before "barat"), or 0. */
static uint32_t S_direction(const warta_doc *doc, const rlists *L, const mention *m)
{
	if ((m->type != T_LOCATION && m->type != T_COUNTRY) || m->rule || !m->entry ||
	    m->short_form)
		return 0;
	const char *t = doc->text;
	uint32_t s = m->end + 1, e = s, best = 0;
	if (s >= doc->len || t[m->end] != ' ')
		return 0;
	for (int words = 0; words < 2; words++) {
		uint32_t we = S_word_end(doc, e);
		if (we == e)
			break;
		const char *kind = S_head_kind(doc, L, s, we);
		bool ends = we >= doc->len || (t[we] != '-' && t[we] != '\'');
		if (kind && !strcmp(kind, "direction") && ends)
			best = we;
		if (we + 1 >= doc->len || t[we] != ' ')
			break;
		e = we + 1;
	}
	return best;
}

/* A place a list knows that begins a longer capitalised name ("Afrika
 * Bersatu", "Jakarta Lloyd", "Asia Pulp and Paper"): in running
 * text, one space and then a capitalised word that no kept mention starts and
 * that is no day, month or currency ("di Jakarta Senin", "ke Pakistan US$ 3 miliar"), direction,
 * title ("Kapolda Jawa Barat Irjen ..."), event word (place_heads kind `event`: the news
 * annotations keep the host of "Indonesia Terbuka") or Roman numeral
 * ("daerah pemilihan Jawa Tengah II"). The name is something else (a body,
 * a building, a product), and the place is no mention of its own. */
static bool S_begins_name(const warta_doc *doc, const rlists *L, const mention *mv, size_t i,
                          size_t n)
{
	const mention *m = &mv[i];
	if ((m->type != T_LOCATION && m->type != T_COUNTRY) || m->rule || !m->entry ||
	    m->zone != Z_BODY)
		return false;
	const char *t = doc->text;
	uint32_t s = m->end + 1, l;
	if (s >= doc->len || t[m->end] != ' ' || S_cat(doc, s, &l) != UTF8PROC_CATEGORY_LU)
		return false;
	for (size_t j = i + 1; j < n && mv[j].start <= s; j++)
		if (!mv[j].dropped && mv[j].start == s)
			return false;
	/* after a title the place qualifies the office, and the name after it
	 * is the holder's: "Gubernur Jawa Barat Ahmad ..." */
	uint32_t ps = m->start, pw;
	while (ps > 0 && (t[ps - 1] == ' ' || t[ps - 1] == '\t'))
		ps--;
	for (pw = ps; pw > 0 && !S_space(t[pw - 1]);)
		pw--;
	const wordlist *titles = L->titles;
	if (ps < m->start && pw < ps && titles && wordlist_find(titles, t + pw, ps - pw))
		return false;
	uint32_t e = S_word_end(doc, s);
	bool roman = true;
	for (uint32_t k = s; k < e; k++)
		roman &= t[k] == 'I' || t[k] == 'V' || t[k] == 'X';
	if (roman)
		return false;
	/* the token up to the next space as well: a currency is "US$", "Rp." */
	uint32_t te = e;
	while (te < doc->len && !S_space(t[te]) && te - s < 8)
		te++;
	const wordlist *const lists[] = {L->weekdays, L->months, L->titles, L->currencies};
	for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
		const wordlist *wl = lists[k];
		if (wl && (wordlist_find(wl, t + s, e - s) || wordlist_find(wl, t + s, te - s)))
			return false;
	}
	const char *kind = S_head_kind(doc, L, s, e);
	return !kind || (strcmp(kind, "direction") && strcmp(kind, "event"));
}

static bool S_body(etype t)
{
	return t == T_AGENCY || t == T_ORGANIZATION;
}

/* Drops, before the overlaps are settled: a rule candidate whose exact span a
 * list names in full (the list knows the name and its type: "Federasi Rusia"
 * is the country, whatever a head-noun rule makes of "Federasi"); and the
 * short forms whose entity no candidate names in full, before they can take a
 * span from a rule ("kata Kim" with no "Kim Jong-un" in sight), unless they
 * stand alone as names. Mentions are in text order, so candidates of one span are neighbours. */
static int S_prefilter(warta_doc *doc, const rlists *L, keyset *ks)
{
	size_t n = doc->mentions.n;
	mention *mv = doc->mentions.v;
	for (size_t i = 0, j; i < n; i = j) {
		mention *list = NULL;
		for (j = i; j < n && mv[j].start == mv[i].start && mv[j].end == mv[i].end; j++)
			if (!mv[j].rule && mv[j].entry && !mv[j].short_form && !mv[j].dropped)
				list = &mv[j];
		for (size_t k = i; list && k < j; k++)
			if (mv[k].rule && !mv[k].dropped) {
				/* the list takes the rule's strength with its span: what
				 * beat the rule's rivals ("Partai Persatuan Pembangunan"
				 * over a head found inside it) still beats them */
				if (mv[k].priority > list->priority)
					list->priority = mv[k].priority;
				mv[k].dropped = true;
				if (!S_set_why(doc, &mv[k].why, "lost to", list,
				               "a list names this span", etype_name(list->type)))
					return WARTA_ENOMEM;
			}
	}
	/* A body's name a list knows in full outranks a rule that found only a
	 * part of it: "Badan Meteorologi, Klimatologi, dan Geofisika" over the
	 * head rule's "Badan Meteorologi", "Angkasa Pura I" over a temple "Pura I". */
	/* The largest end of such a list body up to i (i itself counts only
	 * when it is one, and then it is no rule): when it is short of a rule's
	 * end, the search back finds nothing. Exact, as this loop changes no
	 * list mention but for its priority. */
	uint32_t body_end = 0;
	for (size_t i = 0; i < n; i++) {
		mention *r = &mv[i];
		if (!r->rule && r->entry && !r->short_form && !r->dropped && S_body(r->type) &&
		    r->end > body_end)
			body_end = r->end;
		if (!r->rule || r->dropped || body_end < r->end)
			continue;
		for (size_t j = i; j-- > 0 && mv[j].start + 256 > r->start;) {
			mention *l = &mv[j];
			if (l->rule || !l->entry || l->short_form || l->dropped ||
			    !S_body(l->type) || l->end < r->end)
				continue;
			if (r->priority > l->priority)
				l->priority = r->priority;
			r->dropped = true;
			if (!S_set_why(doc, &r->why, "lost to", l, "a list names the body in full",
			               NULL))
				return WARTA_ENOMEM;
			break;
		}
	}
	/* A person's name found by a rule that holds one name the people list
	 * knows and more words ("Rochiman Sukarno", "Moammar Khadafi") names
	 * someone the list does not know, or knows by fewer words: the longer
	 * name wins. Not when another list or a rule of another type names a
	 * part of it ("Golkar Aburizal Bakrie": the party; "White Hart Lane": a
	 * place) or it holds two people. mv is in text order,
	 * longer first on a tie. */
	/* The largest end, before i, of a mention that the search back counts as
	 * another's: when it is no later than a rule's start, that search finds
	 * none. Exact, as this loop drops and moves no mention. */
	uint32_t other_end = 0;
	for (size_t i = 0; i < n; i++) {
		mention *r = &mv[i];
		uint32_t before = other_end;
		if (!r->dropped && (!r->rule || r->type != T_PERSON) && r->end > other_end)
			other_end = r->end;
		if (!r->rule || r->dropped || r->type != T_PERSON)
			continue;
		const mention *known = NULL;
		bool other = false;
		for (size_t j = i;
		     before > r->start && j-- > 0 && mv[j].start + 200 > r->start && !other;)
			other = !mv[j].dropped && mv[j].end > r->start &&
			        (!mv[j].rule || mv[j].type != T_PERSON);
		for (size_t j = i + 1; j < n && mv[j].start < r->end && !other; j++) {
			const mention *l = &mv[j];
			if (l->dropped || (l->rule && l->type == T_PERSON))
				continue;
			if (l->rule || l->type != T_PERSON || l->end > r->end || known)
				other = true;
			else if (l->end - l->start < r->end - r->start)
				known = l;
		}
		/* Words before a full name the list knows are more often a
		 * body's or a place's name ("Hollywood Leonardo DiCaprio") than
		 * given names; before a surname ("Rochiman Sukarno") they are. */
		if (known && known->start > r->start &&
		    !S_single_word(doc->text + known->start, known->end - known->start))
			known = NULL;
		if (known && !other && known->priority > r->priority)
			r->priority = known->priority;
	}
	/* Only a kept short form needs the keys of the full forms: without
	 * one (as in most articles) none is read here. */
	bool any = false;
	for (size_t i = 0; i < n && !any; i++)
		any = !mv[i].dropped && mv[i].short_form;
	if (!any)
		return WARTA_OK;
	int32_t *kid = arena_alloc_raw(&doc->a, n * sizeof *kid);
	if (!kid)
		return WARTA_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!mv[i].dropped && (kid[i] = S_kid(ks, mv[i].key)) < 0)
			return WARTA_ENOMEM;
	bool *full = arena_alloc(&doc->a, 2 * ks->n + 1);
	if (!full)
		return WARTA_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!mv[i].dropped && !mv[i].short_form)
			full[2 * (size_t)kid[i] + (mv[i].zone == Z_RELATED)] = true;
	for (size_t i = 0; i < n; i++)
		if (!mv[i].dropped && mv[i].short_form &&
		    !full[2 * (size_t)kid[i] + (mv[i].zone == Z_RELATED)]) {
			if (S_standalone(doc, L, &mv[i])) {
				if (!S_unlink(doc, &mv[i]))
					return WARTA_ENOMEM;
				continue;
			}
			mv[i].dropped = true;
			if (S_why(doc) && !(mv[i].why = S_alone(doc, &mv[i])))
				return WARTA_ENOMEM;
		}
	return WARTA_OK;
}

/* Whether an acronym starting with letter c can abbreviate the name at
 * text[s, e): c is the first letter of one of the name's first two words. */
static bool S_abbreviates(const char *t, uint32_t s, uint32_t e, char c)
{
	for (uint32_t i = s, words = 0; i < e && words < 2; words++) {
		if ((t[i] | 0x20) == (c | 0x20))
			return true;
		while (i < e && t[i] != ' ')
			i++;
		while (i < e && t[i] == ' ')
			i++;
	}
	return false;
}

static bool S_alnum_at(const warta_doc *doc, uint32_t i)
{
	unsigned char c = (unsigned char)doc->text[i];
	return c >= 0x80 || isalnum(c);
}

/* Adds a mention of m's entity at every later whole-word occurrence of its
 * acronym text[as, ae) that no kept mention covers ("KMP" after "Koalisi
 * Merah Putih (KMP)"). Returns the number added, or -1 when out of memory. */
static int S_learnt_acronym(warta_doc *doc, size_t mi, uint32_t as, uint32_t ae)
{
	const char *t = doc->text;
	size_t len = ae - as;
	int added = 0;
	for (uint32_t p = ae; p + len <= doc->len; p++) {
		const char *q = memchr(t + p, t[as], doc->len - p - len + 1);
		if (!q)
			break;
		p = (uint32_t)(q - t);
		if (memcmp(q, t + as, len) != 0 || S_alnum_at(doc, p - 1) ||
		    (p + len < doc->len && S_alnum_at(doc, (uint32_t)(p + len))))
			continue;
		zone_type z = doc_zone_at(doc, p);
		bool covered = z == Z_NOISE;
		for (size_t k = 0; k < doc->mentions.n && !covered; k++) {
			const mention *o = &doc->mentions.v[k];
			covered = !o->dropped && o->start < p + len && p < o->end;
		}
		if (covered)
			continue;
		mention copy = doc->mentions.v[mi];
		mention *nm = VEC_PUSH(&doc->a, doc->mentions);
		if (!nm)
			return -1;
		*nm = copy;
		nm->start = p;
		nm->end = (uint32_t)(p + len);
		nm->zone = z;
		nm->short_form = false;
		added++;
	}
	return added;
}

/* "Badan Kesehatan Dunia (WHO)", "Koalisi Merah Putih (KMP)": a name and its
 * acronym in brackets right after it are one mention, the name's, and the
 * acronym's later mentions in the article join its entity. A list's
 * identity beats a rule's. */
static int S_name_with_acronym(warta_doc *doc, mention *mv, size_t n)
{
	const char *t = doc->text;
	for (size_t i = 0; i < n; i++) {
		mention *m = &mv[i];
		if (m->dropped || m->end + 2 >= doc->len || t[m->end] != ' ' ||
		    t[m->end + 1] != '(')
			continue;
		size_t j = i + 1;
		while (j < n && mv[j].start < m->end + 2)
			j++;
		while (j < n && mv[j].dropped && mv[j].start == m->end + 2)
			j++;
		if (j == n || mv[j].dropped || mv[j].start != m->end + 2 || mv[j].end >= doc->len ||
		    t[mv[j].end] != ')' || mv[j].type == T_PERSON || m->type == T_PERSON)
			continue;
		mention *a = &mv[j];
		size_t caps = 0;
		for (uint32_t k = a->start; k < a->end; k++)
			caps += t[k] >= 'A' && t[k] <= 'Z';
		if (caps < 2 || !(t[a->start] >= 'A' && t[a->start] <= 'Z'))
			continue; /* "(Korsel)" is a short name, not an acronym */
		bool same = strcmp(a->key, m->key) == 0;
		/* bodies: an acronym in brackets names the body before it, even
		 * in another language ("Badan Kesehatan Dunia (WHO)") */
		if (!same && !(S_body(m->type) && S_body(a->type) && (a->entry || !m->entry)) &&
		    !S_abbreviates(t, m->start, m->end, t[a->start]))
			continue;
		const char *old_key = a->key;
		if (!same && a->entry && !m->entry) { /* the list knows the acronym */
			m->entry = a->entry;
			m->key = a->key;
			m->name = a->name;
			m->type = a->type;
		}
		m->end = a->end + 1;
		a->dropped = true;
		a->why = "the acronym in brackets after a name: one mention with it";
		if (S_learnt_acronym(doc, i, a->start, a->end) < 0)
			return WARTA_ENOMEM;
		mv = doc->mentions.v; /* the vector may have moved */
		m = &mv[i];
		a = &mv[j];
		if (same)
			continue;
		for (size_t k = j + 1; k < n; k++)
			if (!mv[k].dropped && mv[k].zone == m->zone &&
			    !strcmp(mv[k].key, old_key)) {
				mv[k].key = m->key;
				mv[k].name = m->name;
				mv[k].type = m->type;
				if (!mv[k].entry)
					mv[k].entry = m->entry;
			}
	}
	return WARTA_OK;
}

int resolve_run(warta_doc *doc)
{
	size_t n = doc->mentions.n;
	doc->entities.n = 0;
	if (n == 0)
		return WARTA_OK;
	arena *a = &doc->a;
	/* not zeroed: each is written in full before it is read (tmp by the
	 * merge sorts) */
	uint32_t *order = arena_alloc_raw(a, n * sizeof *order);
	uint32_t *tmp = arena_alloc_raw(a, n * sizeof *tmp);
	mention *sorted = arena_alloc_raw(a, n * sizeof *sorted);
	keyset ks;
	if (!order || !tmp || !sorted || !S_keyset_init(a, &ks, n))
		return WARTA_ENOMEM;

	/* 1. Text order, 2. overlaps. A first round may trim rule mentions that
	 * lost only an edge; then the whole settlement runs again on the new
	 * spans, so that the result is the same as if a rule had found them. */
	const rlists *L = doc->rs ? doc->rs->resolvetab : NULL;
	rlists local;
	if (!L) { /* a ruleset not from warta_ruleset_load, or none */
		S_lists(doc->rs, &local);
		L = &local;
	}
	mention *mv = doc->mentions.v;
	for (size_t i = 0; i < n; i++)
		S_lower_head(doc, L, &mv[i]);
	for (int round = 0; round < 2; round++) {
		S_sort_by_start(doc, order, tmp, n);
		for (size_t i = 0; i < n; i++)
			sorted[i] = mv[order[i]];
		memcpy(mv, sorted, n * sizeof *sorted);
		for (size_t i = 0; i < n; i++) {
			mv[i].entity = -1;
			mv[i].dropped = mv[i].zone == Z_NOISE;
			mv[i].attribute = false;
			mv[i].why = mv[i].dropped ? "in a noise zone" : NULL;
		}
		size_t trimmed = 0;
		int rc = S_prefilter(doc, L, &ks);
		if (rc)
			return rc;
		rc = S_overlaps(doc, L, order, tmp, round == 0, &trimmed);
		if (rc)
			return rc;
		if (!trimmed)
			break;
	}
	/* A region named by a place and a direction takes both words; a place
	 * that begins a longer name is part of that name. */
	for (size_t i = 0; i < n; i++) {
		uint32_t e = mv[i].dropped ? 0 : S_direction(doc, L, &mv[i]);
		size_t j = i + 1;
		while (e && j < n && mv[j].start < e && mv[j].dropped)
			j++;
		if (e && (j == n || mv[j].start >= e)) {
			const char *name =
			    arena_strndup(a, doc->text + mv[i].start, e - mv[i].start);
			const char *key =
			    rules_slug(a, T_LOCATION, doc->text + mv[i].start, e - mv[i].start);
			if (!name || !key)
				return WARTA_ENOMEM;
			mv[i].end = e;
			mv[i].type = T_LOCATION;
			mv[i].name = name;
			mv[i].key = key;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!mv[i].dropped && S_begins_name(doc, L, mv, i, n)) {
			mv[i].dropped = true;
			mv[i].why = "begins a longer capitalised name, not a place of its own";
		}
	/* After the overlaps, like the qualifier below: the country still cuts
	 * off the name that follows it ("ahli botani Belanda [Hugo de Vries]"). */
	for (size_t i = 0; i < n; i++)
		if (!mv[i].dropped && S_attribute(doc, L, &mv[i])) {
			mv[i].dropped = mv[i].attribute = true;
			mv[i].why = "an attribute of the noun before it, not a place";
		}
	for (size_t i = 0; i < n; i++)
		if (!mv[i].dropped && S_qualifies(doc, L, &mv[i])) {
			mv[i].dropped = mv[i].attribute = true;
			mv[i].why = "qualifies the capitalised name before it, not a place";
		}

	int rc = S_name_with_acronym(doc, mv, n);
	if (rc)
		return rc;
	if (doc->mentions.n > n) { /* learnt acronyms: back into text order */
		size_t n2 = doc->mentions.n;
		uint32_t *o2 = arena_alloc_raw(a, n2 * sizeof *o2),
		         *t2 = arena_alloc_raw(a, n2 * sizeof *t2);
		mention *s2 = arena_alloc_raw(a, n2 * sizeof *s2);
		if (!o2 || !t2 || !s2)
			return WARTA_ENOMEM;
		S_sort_by_start(doc, o2, t2, n2);
		for (size_t i = 0; i < n2; i++)
			s2[i] = doc->mentions.v[o2[i]];
		memcpy(doc->mentions.v, s2, n2 * sizeof *s2);
		n = n2;
	}
	mv = doc->mentions.v;

	/* 3. Each kept mention's group: the mention whose key it shares. Full
	 * forms first, by (key, related); then short forms look them up. */
	/* not zeroed: target is set for every mention, pw up to npw */
	int32_t *target = arena_alloc_raw(a, n * sizeof *target);
	pword *pw = arena_alloc_raw(a, 4 * n * sizeof *pw);
	pword *pwtmp = arena_alloc_raw(a, 4 * n * sizeof *pwtmp);
	/* each kept mention's key id, for both maps */
	int32_t *kid = arena_alloc_raw(a, n * sizeof *kid);
	if (!target || !pw || !pwtmp || !kid)
		return WARTA_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!mv[i].dropped && (kid[i] = S_kid(&ks, mv[i].key)) < 0)
			return WARTA_ENOMEM;
	int32_t *full = S_kid_map(&ks);
	if (!full)
		return WARTA_ENOMEM;
	/* the single-word person names (S_asks: -1 in qi, the others -2; the
	 * loops below drop no such name, so it stays one) and the words they
	 * ask for */
	int32_t *qi = arena_alloc_raw(a, n * sizeof *qi);
	if (!qi)
		return WARTA_ENOMEM;
	size_t nq = 0;
	for (size_t i = 0; i < n; i++) {
		qi[i] = S_asks(doc, &mv[i]) ? -1 : -2;
		nq += qi[i] == -1;
	}
	qwords q;
	if (!S_qwords_init(a, &q, nq))
		return WARTA_ENOMEM;
	for (size_t i = 0; nq && i < n; i++)
		if (qi[i] == -1) {
			const mention *m = &mv[i];
			const char *w = S_fold(a, doc->text + m->start, m->end - m->start);
			qi[i] = w ? S_qword(&q, w, strlen(w), true) : -1;
		}
	size_t npw = 0;
	for (size_t i = 0; i < n; i++) {
		mention *m = &mv[i];
		target[i] = (int32_t)i;
		if (m->dropped || m->short_form)
			continue;
		bool rel = m->zone == Z_RELATED;
		int32_t *f = &full[2 * (size_t)kid[i] + rel];
		if (*f < 0)
			*f = (int32_t)i;
		if (m->type == T_PERSON && q.n) {
			npw += S_name_words(&q, doc->text + m->start, m->end - m->start, rel,
			                    m->start, (uint32_t)i, pw + npw);
			if (m->name && m->entry)
				npw += S_name_words(&q, m->name, strlen(m->name), rel, m->start,
				                    (uint32_t)i, pw + npw);
		}
	}
	S_pword_sort(pw, pwtmp, npw);
	for (size_t i = 0; i < n; i++) {
		mention *m = &mv[i];
		if (m->dropped)
			continue;
		bool rel = m->zone == Z_RELATED;
		if (m->short_form) {
			int32_t t = full[2 * (size_t)kid[i] + rel];
			if (t < 0) {
				m->dropped = true;
				if (S_why(doc) && !(m->why = S_alone(doc, m)))
					return WARTA_ENOMEM;
				continue;
			}
			target[i] = t;
		} else if (qi[i] != -2) {
			int32_t t =
			    qi[i] >= 0 ? S_pword_find(pw, npw, (uint32_t)qi[i], rel, m->start) : -1;
			if (t >= 0)
				target[i] = t;
		}
	}

	/* 4. Entities in order of first mention, one per (key, related): the
	 * key ids of the targets first (a target that is not kept has none
	 * yet), so that the map is sized for all of them. */
	int32_t *tkid = arena_alloc_raw(a, n * sizeof *tkid);
	if (!tkid)
		return WARTA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const mention *t = &mv[target[i]];
		if (mv[i].dropped)
			continue;
		tkid[i] = !t->dropped ? kid[target[i]] : S_kid(&ks, t->key);
		if (tkid[i] < 0)
			return WARTA_ENOMEM;
	}
	int32_t *ents = S_kid_map(&ks);
	if (!ents)
		return WARTA_ENOMEM;
	int32_t *best = NULL;
	for (size_t i = 0; i < n; i++) {
		mention *m = &mv[i];
		if (m->dropped)
			continue;
		const mention *t = &mv[target[i]];
		bool rel = m->zone == Z_RELATED;
		int32_t *e = &ents[2 * (size_t)tkid[i] + rel];
		if (*e < 0) {
			entity *en = VEC_PUSH(a, doc->entities);
			if (!en)
				return WARTA_ENOMEM;
			*e = (int32_t)(doc->entities.n - 1);
			en->key = t->key;
			en->related = rel;
			en->first = (uint32_t)i;
		}
		m->entity = *e;
		doc->entities.v[*e].nmentions++;
	}
	best = arena_alloc(a, (doc->entities.n + 1) * sizeof *best);
	if (!best)
		return WARTA_ENOMEM;
	for (size_t e = 0; e < doc->entities.n; e++)
		best[e] = -1;
	for (size_t i = 0; i < n; i++) {
		int32_t e = mv[i].entity;
		if (mv[i].dropped || e < 0)
			continue;
		if (best[e] < 0 || S_better(&mv[i], &mv[best[e]]))
			best[e] = (int32_t)i;
	}
	for (size_t e = 0; e < doc->entities.n; e++) {
		entity *en = &doc->entities.v[e];
		const mention *b = &mv[best[e]];
		en->type = b->type;
		en->name = b->name;
		en->kb = b->entry && b->entry->external_id && !strcmp(b->key, b->entry->id)
		             ? b->entry->id
		             : NULL;
	}
	return WARTA_OK;
}
