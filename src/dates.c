/* SPDX-License-Identifier: MIT */
/* Stage 8: dates and clock times. Input: doc->text, zones, the rules of
 * rules/date.rules (which name the parts of a time expression with groups) and
 * doc->published. Output: doc->dates, in text order, none overlapping, each
 * with an ISO 8601 value at the precision the text gives (TIMEX3 style), or ""
 * when it cannot be known. Words live in gazetteers/{months,weekdays,timewords}.tsv;
 * this file holds only the calendar arithmetic and the assembly. When the
 * publication date is unknown it is taken from a date in the article's meta
 * lines (doc->published_from = "text"). Everything lives in the doc's arena
 * but what the stage reads of the ruleset: its lists, columns, rule groups and
 * word kinds, made once per ruleset (dates_prepare).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ calendar */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long S_days(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void S_civil(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool S_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int S_dim(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && S_leap(y) ? 29 : n[m - 1];
}

/* ISO weekday, 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday). */
static int S_wday(long z)
{
	long w = (z + 3) % 7;
	return (int)(w < 0 ? w + 7 : w) + 1;
}

/* ISO 8601 week-numbering year and week of day z. */
static void S_isoweek(long z, int *wy, int *ww)
{
	long thu = z - S_wday(z) + 4; /* the Thursday of z's week decides the year */
	int y, m, d;
	S_civil(thu, &y, &m, &d);
	*wy = y;
	*ww = (int)((thu - S_days(y, 1, 1)) / 7 + 1);
}

/* Adds k months to (y, m), keeping the day when it exists (else the last day). */
static void S_add_months(int *y, int *m, int *d, long k)
{
	long t = (long)*y * 12 + (*m - 1) + k;
	*y = (int)(t >= 0 ? t / 12 : (t - 11) / 12);
	*m = (int)(t - (long)*y * 12) + 1;
	if (d && *d > S_dim(*y, *m))
		*d = S_dim(*y, *m);
}

/* Exposed for the unit tests. */
long dates_days(int y, int m, int d);
void dates_isoweek(int y, int m, int d, int *wy, int *ww);
long dates_days(int y, int m, int d)
{
	return S_days(y, m, d);
}
void dates_isoweek(int y, int m, int d, int *wy, int *ww)
{
	S_isoweek(S_days(y, m, d), wy, ww);
}

/* ------------------------------------------------------------ candidates */

enum { U_NONE = 0, U_DAY, U_WEEK, U_MONTH, U_YEAR, U_HOUR, U_MINUTE };

/* The parts of one match, as the rule's groups gave them; 0 or -1 = absent. */
typedef struct cand {
	uint32_t start, end;
	const rule *r;
	int y, m, d, wd; /* 0 = absent */
	int hh, mi;      /* -1 = absent */
	int n;           /* count before a unit; -1 = absent, 0 = vague ("beberapa") */
	int unit;        /* U_* */
	int off;         /* offset of a "rel" word in units */
	bool has_rel;
	bool hol; /* a holiday ("Natal"); m and d stay 0 when its date moves */
	int dir;  /* -1, 0, +1 */
	bool has_dir;
	bool dir_last; /* counted from the date mentioned last ("kemudian") */
	const char *pod, *ref, *season, *mod; /* list values: "MO", "PRESENT_REF", "WI", "END" */
	int requires;                         /* REQ_*: the rule's "requires" key */
	bool prefixed; /* took a word before it ("bulan", "akhir", "tanggal") */
	bool joined;   /* took a day name before it */
	bool dead;
} cand;

enum { REQ_NONE = 0, REQ_WEEKDAY, REQ_PREFIX };

typedef VEC(cand) cand_vec;

/* The columns: of timewords, then of months, then of weekdays. */
enum { C_KIND, C_VALUE, C_UNIT, C_OFFSET, C_FROM, C_MONTH, C_FORM, C_ISODAY, C__COUNT };

/* The kinds of time words this file asks for (column "kind"). */
enum {
	K_DAYWORD,
	K_MONTHWORD,
	K_YEARWORD,
	K_MOD,
	K_APPROX,
	K_POD,
	K_REL,
	K_HOLIDAY,
	K_DIR,
	K_UNIT,
	K_COUNT,
	K_REF,
	K_SEASON,
	K__COUNT
};

static const char *const S_kinds[K__COUNT] = {"dayword", "monthword", "yearword", "mod", "approx",
                                              "pod",     "rel",       "holiday",  "dir", "unit",
                                              "count",   "ref",       "season"};

/* The lists, and the columns of them this file reads (-1: absent). */
typedef struct lists {
	const wordlist *months, *weekdays, *words;
	int col[C__COUNT];
	/* of[r][k]: 1 + the row of kind k of the word whose first row is r,
	 * 0 for none (S_kinds_of) */
	uint32_t (*of)[K__COUNT];
	/* bit l of ends[f][n]: a row of words folds to n bytes (n >= 31: 31)
	 * that open with letter f and end with letter l (S_letter_at: 26 for
	 * any other byte); a word that fits none needs no look-up */
	uint32_t ends[27][32];
} lists;

/* The group names the rules may use, and their slots in the per-rule memo. */
enum {
	G_Y,
	G_M,
	G_MN,
	G_D,
	G_WD,
	G_DIR,
	G_POD,
	G_HH,
	G_MI,
	G_REL,
	G_HOL,
	G_UNIT,
	G_N,
	G_ONE,
	G_REF,
	G_SEASON,
	G_MOD,
	G__COUNT
};

/* What the name table of one rule says of one group name: its entries
 * [first, last] (size 0: the rule has no such group). */
typedef struct gslot {
	PCRE2_SPTR first, last;
	int size;
} gslot;

/* Per rule of date.rules: its group slots, the group "name" (-1: none, or
 * not unique, as rule_group() has it) and its "requires" key. */
typedef struct rmemo {
	gslot g[G__COUNT];
	int name;
	int requires; /* REQ_* */
} rmemo;

/* What the stage reads of the ruleset, made once (dates_prepare). */
struct datetab {
	arena a;
	const rulefile *rf; /* rules/date.rules, or NULL */
	lists L;            /* all three lists, or none */
	rmemo *memo;        /* per rule of rf: each match asks for ~20 groups */
};

typedef struct scan {
	const struct datetab *T;
	cand_vec *out;
	arena *a;
} scan;

/* True when the short strings a and b are equal (inline: a strcmp call
 * costs more than these names). */
static bool S_same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* The G_* slot of a group name, G__COUNT for "name", -1 for any other. Asked
 * for every entry of the name table of every rule that matches in an article
 * (~27 a rule: names recur in branches), so by first byte, not by a walk. */
static int S_gindex(const char *nm)
{
	switch (nm[0]) {
	case 'y': return nm[1] ? -1 : G_Y;
	case 'd': return !nm[1] ? G_D : S_same(nm, "dir") ? G_DIR : -1;
	case 'm':
		return !nm[1]              ? G_M
		       : S_same(nm, "mn")  ? G_MN
		       : S_same(nm, "mi")  ? G_MI
		       : S_same(nm, "mod") ? G_MOD
		                           : -1;
	case 'w': return S_same(nm, "wd") ? G_WD : -1;
	case 'p': return S_same(nm, "pod") ? G_POD : -1;
	case 'h': return S_same(nm, "hh") ? G_HH : S_same(nm, "hol") ? G_HOL : -1;
	case 'r': return S_same(nm, "rel") ? G_REL : S_same(nm, "ref") ? G_REF : -1;
	case 'u': return S_same(nm, "unit") ? G_UNIT : -1;
	case 'n': return !nm[1] ? G_N : S_same(nm, "name") ? G__COUNT : -1;
	case 'o': return S_same(nm, "one") ? G_ONE : -1;
	case 's': return S_same(nm, "season") ? G_SEASON : -1;
	default: return -1;
	}
}

/* Fills the memo of rule r. The name table is read in one pass (it is
 * sorted, a name used in several branches has adjacent entries), not once
 * per group name. */
static void S_memo(rmemo *rm, const rule *r)
{
	memset(rm, 0, sizeof *rm);
	rm->name = -1;
	uint32_t count = 0, size = 0;
	PCRE2_SPTR tab = NULL;
	if (!r->code || pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count) ||
	    pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &size) ||
	    pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &tab))
		count = 0;
	int names = 0;
	for (uint32_t k = 0; k < count; k++) {
		PCRE2_SPTR p = tab + (size_t)k * size;
		int g = S_gindex((const char *)p + 2);
		if (g == G__COUNT) {
			rm->name = names++ ? -1 : (int)(((uint32_t)p[0] << 8) | p[1]);
			continue;
		}
		if (g < 0)
			continue;
		if (!rm->g[g].size) {
			rm->g[g].first = p;
			rm->g[g].size = (int)size;
		}
		rm->g[g].last = p;
	}
	const char *req = rule_attr_get(r, "requires");
	rm->requires = !req ? REQ_NONE : strcmp(req, "weekday") == 0 ? REQ_WEEKDAY : REQ_PREFIX;
}

/* Fetches the group of slot gs; unlike rule_group() it allows a name used in
 * several branches ((?J)) and returns the branch that took part. */
static bool S_grp_in(const gslot *gs, const rule_match *m, size_t *s, size_t *e)
{
	int size = gs->size;
	for (PCRE2_SPTR p = gs->first; p <= gs->last; p += size) {
		uint32_t g = ((uint32_t)p[0] << 8) | p[1];
		if (g < m->npairs && m->ov[2 * g] != PCRE2_UNSET) {
			*s = m->ov[2 * g];
			*e = m->ov[2 * g + 1];
			return true;
		}
	}
	return false;
}

/* Fetches group g (G_*) of m. A match asks for ~20 groups and its rule has
 * a few: the others cost no call. */
static inline bool S_grp(const rmemo *rm, const rule_match *m, int g, size_t *s, size_t *e)
{
	return rm->g[g].size > 0 && S_grp_in(&rm->g[g], m, s, e);
}

/* Returns the first row of `word`, or NULL. */
static const tsv_row *S_find(const wordlist *wl, const char *s, size_t n)
{
	while (n && s[n - 1] == '.') /* "Jan." */
		n--;
	return wordlist_find(wl, s, n);
}

/* Sets of[k] to 1 + the row of the word whose first row is r0 that has kind
 * S_kinds[k] (kid[] of each row: its K_*, or -1) in the kind column, r0
 * itself when there is no such column, 0 for none: a word may have rows of
 * several kinds. The index gives a word's first row; its rows of other
 * kinds come after it, with the same folded form (kept by the list: "tahun"
 * is a unit before it is a year word). */
static void S_kinds_of(const wordlist *wl, bool has_kc, const int8_t *kid, size_t r0, uint32_t *of)
{
	for (int k = 0; k < K__COUNT; k++)
		of[k] = !has_kc || kid[r0] == k ? (uint32_t)r0 + 1 : 0;
	if (!has_kc)
		return;
	const char *f0 = wl->fold[r0];
	uint32_t fl = wl->fold_len[r0];
	for (size_t i = r0 + 1; i < wl->nrows; i++) /* the first such row of each kind */
		if (kid[i] >= 0 && !of[kid[i]] && wl->fold[i] && wl->fold_len[i] == fl &&
		    memcmp(wl->fold[i], f0, fl) == 0)
			of[kid[i]] = (uint32_t)i + 1;
}

/* 0-25 for a letter of either case, 26 for any other byte. */
static int S_letter_at(unsigned char ch)
{
	unsigned l = (unsigned)(ch | 0x20) - 'a';
	return l < 26 ? (int)l : 26;
}

/* The row of kind k (K_*) of the word whose first row is r, or NULL. */
static const tsv_row *S_kind(const lists *L, const tsv_row *r, int k)
{
	uint32_t x = L->of[r - L->words->rows][k];
	return x ? &L->words->rows[x - 1] : NULL;
}

/* Returns the row of `word` in the time words whose kind is K_*. */
static const tsv_row *S_row(const lists *L, const char *s, size_t n, int k)
{
	const tsv_row *r = S_find(L->words, s, n);
	return r ? S_kind(L, r, k) : NULL;
}

static int S_int(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n && i < 9; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return n ? v : -1;
}

static int S_unit(const char *u)
{
	static const char *const names[] = {"", "day", "week", "month", "year", "hour", "minute"};
	for (int i = 1; i < 7; i++)
		if (strcmp(u, names[i]) == 0)
			return i;
	return U_NONE;
}

/* Reads a list value cell (a static string owned by the ruleset), or NULL. */
static const char *S_cell(const tsv_row *r, int col)
{
	const char *v = tsv_cell(r, col);
	return *v ? v : NULL;
}

/* True when text offset `at` opens a sentence (after . ! ? or a line end,
 * perhaps with a quote between). */
static bool S_sent_start(const char *t, size_t at)
{
	while (at > 0 && (t[at - 1] == ' ' || t[at - 1] == '"' || t[at - 1] == '\''))
		at--;
	return at == 0 || t[at - 1] == '\n' || t[at - 1] == '.' || t[at - 1] == '!' ||
	       t[at - 1] == '?';
}

/* Turns a match into a candidate; returns false when its parts make no date. */
static bool S_parts(scan *S, const char *t, const rule_match *m, cand *c)
{
	size_t s, e;
	const rmemo *rm = &S->T->memo[m->r - S->T->rf->rules];
	memset(c, 0, sizeof *c);
	c->hh = c->mi = c->n = -1;
	c->r = m->r;
	c->start = (uint32_t)m->start;
	c->end = (uint32_t)m->end;
	if (rm->name >= 0 && (uint32_t)rm->name < m->npairs &&
	    m->ov[2 * rm->name] != PCRE2_UNSET) { /* as rule_group(m, "name") */
		c->start = (uint32_t)m->ov[2 * rm->name];
		c->end = (uint32_t)m->ov[2 * rm->name + 1];
	}
	const lists *L = &S->T->L;
	c->requires = rm->requires;
	if (S_grp(rm, m, G_Y, &s, &e)) {
		c->y = S_int(t + s, e - s);
		if (e - s == 2)
			c->y += c->y < 50 ? 2000 : 1900;
		if (c->y < 1000 || c->y > 2999)
			return false;
	}
	if (S_grp(rm, m, G_M, &s, &e))
		c->m = S_int(t + s, e - s);
	else if (S_grp(rm, m, G_MN, &s, &e)) {
		const tsv_row *r = S_find(L->months, t + s, e - s);
		c->m = r ? atoi(tsv_cell(r, L->col[C_MONTH])) : 0;
		if (!c->m)
			return false;
		/* An abbreviation ("Agus", "Mar") is a month only beside a number. */
		if (!S_grp(rm, m, G_Y, &s, &e) && !S_grp(rm, m, G_D, &s, &e) &&
		    strcmp(tsv_cell(r, L->col[C_FORM]), "full") != 0)
			return false;
	}
	if (S_grp(rm, m, G_D, &s, &e))
		c->d = S_int(t + s, e - s);
	if ((c->m && (c->m < 1 || c->m > 12)) || c->d < 0 ||
	    (c->d && (c->d > 31 || (c->m && c->d > S_dim(c->y ? c->y : 2000, c->m)))))
		return false;
	if (S_grp(rm, m, G_WD, &s, &e)) {
		const tsv_row *r = S_find(L->weekdays, t + s, e - s);
		c->wd = r ? atoi(tsv_cell(r, L->col[C_ISODAY])) : 0;
		if (c->wd < 1 || c->wd > 7)
			return false;
	}
	/* "Minggu lalu" opening a sentence is "last week", not "last Sunday": a
	 * day name that is also a unit word, with a direction and nothing else,
	 * at a sentence start, is read as the unit. */
	size_t ws, we;
	if (c->wd && !c->d && !c->m && S_grp(rm, m, G_WD, &ws, &we) &&
	    S_grp(rm, m, G_DIR, &s, &e) && !S_grp(rm, m, G_POD, &s, &e) &&
	    !S_grp(rm, m, G_HH, &s, &e) && S_sent_start(t, ws)) {
		const tsv_row *u = S_row(L, t + ws, we - ws, K_UNIT);
		if (u) {
			c->wd = 0;
			c->unit = S_unit(tsv_cell(u, L->col[C_UNIT]));
		}
	}
	if (S_grp(rm, m, G_HH, &s, &e)) {
		c->hh = S_int(t + s, e - s);
		c->mi = S_grp(rm, m, G_MI, &s, &e) ? S_int(t + s, e - s) : 0;
		if (c->hh < 0 || c->hh > 24 || c->mi < 0 || c->mi > 59)
			return false;
	}
	const tsv_row *r;
	if (S_grp(rm, m, G_POD, &s, &e) && (r = S_row(L, t + s, e - s, K_POD)))
		c->pod = S_cell(r, L->col[C_VALUE]);
	if (S_grp(rm, m, G_REL, &s, &e) && (r = S_row(L, t + s, e - s, K_REL))) {
		c->has_rel = true;
		c->unit = S_unit(tsv_cell(r, L->col[C_UNIT]));
		c->off = atoi(tsv_cell(r, L->col[C_OFFSET]));
		if (S_cell(r, L->col[C_VALUE]))
			c->pod = S_cell(r, L->col[C_VALUE]);
		c->dir_last = strcmp(tsv_cell(r, L->col[C_FROM]), "last") == 0;
	}
	if (S_grp(rm, m, G_HOL, &s, &e) && (r = S_row(L, t + s, e - s, K_HOLIDAY))) {
		/* "12-25", "12-24TNI"; empty for a holiday that moves */
		const char *v = tsv_cell(r, L->col[C_VALUE]);
		c->hol = true;
		if (strlen(v) >= 5 && v[2] == '-') {
			c->m = S_int(v, 2);
			c->d = S_int(v + 3, 2);
			if (c->m < 1 || c->m > 12 || c->d < 1 || c->d > S_dim(2000, c->m))
				c->m = c->d = 0;
			else if (v[5] == 'T' && v[6])
				c->pod = v + 6;
		}
	}
	if (S_grp(rm, m, G_DIR, &s, &e) && (r = S_row(L, t + s, e - s, K_DIR))) {
		c->has_dir = true;
		int o = atoi(tsv_cell(r, L->col[C_OFFSET]));
		c->dir = o < 0 ? -1 : o > 0;
		c->dir_last = strcmp(tsv_cell(r, L->col[C_FROM]), "last") == 0;
	}
	if (S_grp(rm, m, G_UNIT, &s, &e) && (r = S_row(L, t + s, e - s, K_UNIT)))
		c->unit = S_unit(tsv_cell(r, L->col[C_UNIT]));
	if (S_grp(rm, m, G_N, &s, &e)) {
		c->n = S_int(t + s, e - s);
		if (c->n < 0 && (r = S_row(L, t + s, e - s, K_COUNT)))
			c->n = atoi(tsv_cell(r, L->col[C_OFFSET]));
		if (c->n < 0)
			return false;
	} else if (S_grp(rm, m, G_ONE, &s, &e))
		c->n = 1;
	if (S_grp(rm, m, G_REF, &s, &e) && (r = S_row(L, t + s, e - s, K_REF)))
		c->ref = S_cell(r, L->col[C_VALUE]);
	if (S_grp(rm, m, G_SEASON, &s, &e) && (r = S_row(L, t + s, e - s, K_SEASON)))
		c->season = S_cell(r, L->col[C_VALUE]);
	if (S_grp(rm, m, G_MOD, &s, &e) && (r = S_row(L, t + s, e - s, K_MOD)))
		c->mod = S_cell(r, L->col[C_VALUE]);
	/* A unit with a direction: "pekan lalu", "3 hari lalu"; a count with "ini"
	 * is a duration ("dua hari ini"), and so is a clock unit with no count. */
	if (c->unit && !c->has_rel) {
		if (!c->has_dir)
			return false;
		if (c->n > 0 && c->dir == 0)
			return false;
		if ((c->unit == U_HOUR || c->unit == U_MINUTE) && c->n < 0)
			return false;
	}
	return true;
}

static int S_match_cb(warta_doc *doc, const rule_match *m, void *ctx)
{
	scan *S = ctx;
	cand c;
	if (!S_parts(S, doc->text, m, &c) || c.end <= c.start)
		return 0;
	cand *slot = VEC_PUSH(S->a, *S->out);
	if (!slot)
		return 1;
	*slot = c;
	return 0;
}

/* A sort key of a candidate: (k1, k2) ascending, then idx, which no two
 * keys share. The order is total, so every sort gives the same one, and the
 * idx tie-break is that of a stable sort of the candidates themselves. */
typedef struct pkey {
	uint64_t k1;
	uint32_t k2, idx;
} pkey;

static int S_cmp_key(const void *pa, const void *pb)
{
	const pkey *a = pa, *b = pb;
	if (a->k1 != b->k1)
		return a->k1 < b->k1 ? -1 : 1;
	if (a->k2 != b->k2)
		return a->k2 < b->k2 ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Sorts keys (unique, so any sort gives one order): by insertion when there
 * are few (an article has ~10 candidates, mostly in order), else qsort. */
static void S_sort_keys(pkey *k, size_t n)
{
	if (n > 24) {
		qsort(k, n, sizeof *k, S_cmp_key);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		pkey x = k[i];
		size_t j = i;
		for (; j > 0 && S_cmp_key(&k[j - 1], &x) > 0; j--)
			k[j] = k[j - 1];
		k[j] = x;
	}
}

/* Keeps a set of non-overlapping candidates (longest, then priority, then
 * leftmost wins; among equals the one reported first) in text order. The
 * candidates are ordered through keys, never moved but once into the result:
 * they are large, and come in rule order. */
static int S_pick(arena *a, cand_vec *cv)
{
	size_t n = cv->n;
	if (n < 2)
		return WARTA_OK;
	pkey *k = arena_alloc_raw(a, 2 * n * sizeof *k);
	cand *out = arena_alloc_raw(a, n * sizeof *out);
	if (!k || !out)
		return WARTA_ENOMEM;
	pkey *ck = k + n; /* a cluster's keys */
	/* by start, the longer first, then in the order reported */
	for (size_t i = 0; i < n; i++)
		k[i] = (pkey){((uint64_t)cv->v[i].start << 32) | (uint32_t)~cv->v[i].end, 0,
		              (uint32_t)i};
	S_sort_keys(k, n);
	/* Overlaps are local: settle each cluster of chained overlaps on its own,
	 * so the cost stays near n log n however many dates a text holds. */
	size_t no = 0, i = 0;
	while (i < n) {
		size_t j = i + 1;
		uint32_t end = cv->v[k[i].idx].end;
		while (j < n && cv->v[k[j].idx].start < end) {
			if (cv->v[k[j].idx].end > end)
				end = cv->v[k[j].idx].end;
			j++;
		}
		if (j - i == 1) { /* alone: nothing to settle (most dates are) */
			out[no++] = cv->v[k[i++].idx];
			continue;
		}
		/* longest first, then higher priority, then leftmost, then as
		 * ordered above; priority mapped to unsigned keeping its order */
		for (size_t q = i; q < j; q++) {
			const cand *c = &cv->v[k[q].idx];
			uint32_t len = c->end - c->start;
			uint32_t pr = (uint32_t)c->r->priority ^ 0x80000000u;
			ck[q - i] =
			    (pkey){((uint64_t)~len << 32) | (uint32_t)~pr, c->start, k[q].idx};
		}
		/* idx would not be the sorted position, but within one start the
		 * sorted order is by idx (equal lengths mean equal ends) */
		S_sort_keys(ck, j - i);
		size_t first = no;
		for (size_t q = 0; q < j - i; q++) {
			const cand *c = &cv->v[ck[q].idx];
			bool clash = false;
			for (size_t w = first; w < no && !clash; w++)
				clash = out[w].start < c->end && c->start < out[w].end;
			if (clash)
				continue;
			/* in text order: the kept ones do not overlap, so their
			 * starts differ */
			size_t w = no++;
			for (; w > first && out[w - 1].start > c->start; w--)
				out[w] = out[w - 1];
			out[w] = *c;
		}
		i = j;
	}
	cv->v = out;
	cv->n = no;
	cv->cap = n;
	return WARTA_OK;
}

/* True for a candidate that is only a clock time ("pukul 10.00"). */
static bool S_clock_only(const cand *c)
{
	return c->hh >= 0 && !c->y && !c->m && !c->d && !c->wd && !c->unit && !c->has_rel;
}

/* True for a candidate that names a day without a clock time. */
static bool S_day_only(const cand *c)
{
	return c->hh < 0 && !c->pod && (c->d || c->wd || (c->has_rel && c->unit == U_DAY));
}

/* True when t[a, b) holds only spaces and at most one comma, as between a day
 * name and its date ("Senin, 12 Januari", "Minggu (28/12/2014)"). */
static bool S_gap(const char *t, uint32_t a, uint32_t b)
{
	if (b < a || b - a > 3)
		return false;
	int commas = 0;
	for (uint32_t k = a; k < b; k++) {
		if (t[k] == ',')
			commas++;
		else if (t[k] != ' ')
			return false;
	}
	return commas <= 1;
}

/* Extends each date over the words before it that belong to it, read from
 * timewords.tsv: "tanggal" before a day, "bulan" before a month, "tahun"
 * before a year, "awal"/"akhir"/"pertengahan" before a month or year. */
static bool S_letter(char ch)
{
	return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
}

/* Returns the start of the word that ends (before spaces) at `at`, or `at`
 * when there is none after floor. A word is ASCII letters, perhaps with a
 * final dot ("tgl."). */
static uint32_t S_word_before(const char *t, uint32_t at, uint32_t floor, uint32_t *we)
{
	uint32_t p = at;
	while (p > floor && t[p - 1] == ' ')
		p--;
	if (p == at || p <= floor)
		return at;
	*we = p;
	if (t[p - 1] == '.')
		p--;
	while (p > floor && S_letter(t[p - 1]))
		p--;
	if (p == *we || t[p] == '.' ||
	    (p > 0 && ((unsigned char)t[p - 1] >= 0x80 || S_letter(t[p - 1]))))
		return at;
	return p;
}

/* Applies the word (w, n) before c if the lists give it a role there. The
 * word is looked up once: most words before a date are in no list. */
static bool S_take(cand *c, const lists *L, const char *w, size_t n, size_t fl)
{
	/* w opens and ends (but for a dot) with ASCII letters, which fold to
	 * their lower case, and fl is the length S_find() folds it to: no row
	 * that could match means no look-up */
	unsigned char last = (unsigned char)w[n - 1 - (w[n - 1] == '.')];
	if (!(L->ends[S_letter_at((unsigned char)w[0])][fl < 31 ? fl : 31] >> S_letter_at(last) &
	      1))
		return false;
	const tsv_row *r, *r0 = S_find(L->words, w, n);
	if (!r0)
		return false;
	if (c->d && !c->wd && !c->prefixed && S_kind(L, r0, K_DAYWORD))
		return true;
	if (c->m && !c->d && S_kind(L, r0, K_MONTHWORD))
		return true;
	if (c->y && !c->m && !c->d && S_kind(L, r0, K_YEARWORD))
		return true;
	if (!c->d && (c->m || c->y || c->unit) && !c->mod && (r = S_kind(L, r0, K_MOD))) {
		c->mod = S_cell(r, L->col[C_VALUE]);
		return true;
	}
	/* "sekitar pukul 06.14", "hampir tiga minggu kemudian" */
	return !c->ref && !c->season && S_kind(L, r0, K_APPROX);
}

/* Extends each date over the words before it that belong to it, read from
 * timewords.tsv: "tanggal" before a day, "bulan" before a month, "tahun"
 * before a year, "awal"/"akhir"/"pertengahan" before a month or year, a hedge
 * ("sekitar", "kurang lebih") before anything. Two-word entries first. */
static void S_prefix(const char *t, const lists *L, cand_vec *cv)
{
	uint32_t prev_end = 0;
	for (size_t i = 0; i < cv->n; i++) {
		cand *c = &cv->v[i];
		if (c->dead)
			continue;
		for (int step = 0; step < 3; step++) {
			uint32_t we1, we2, w1 = S_word_before(t, c->start, prev_end, &we1);
			if (w1 == c->start)
				break;
			uint32_t w2 = S_word_before(t, w1, prev_end, &we2);
			/* S_find() drops the final dot, folding one space for the
			 * run between the two words */
			size_t f1 = we1 - w1 - (t[we1 - 1] == '.');
			if (w2 != w1 && S_take(c, L, t + w2, we1 - w2, we2 - w2 + 1 + f1))
				c->start = w2;
			else if (S_take(c, L, t + w1, we1 - w1, f1))
				c->start = w1;
			else
				break;
			c->prefixed = true;
		}
		prev_end = c->end;
	}
}

/* Joins a day name to the date right after it ("Senin, 12 Januari 2026",
 * "Minggu (28/12/2014)", "Sabtu malam (7/5)"). */
static void S_join_weekday(const char *t, cand_vec *cv)
{
	for (size_t i = 0; i + 1 < cv->n; i++) {
		cand *a = &cv->v[i], *b = &cv->v[i + 1];
		if (a->dead || b->dead || !a->wd || a->d || a->m || a->y || a->hh >= 0 || a->unit ||
		    a->has_rel || !b->d || b->wd || !S_gap(t, a->end, b->start))
			continue;
		const char *pod = b->pod ? b->pod : a->pod;
		int wd = a->wd;
		uint32_t start = a->start;
		if (!b->has_dir) {
			b->has_dir = a->has_dir;
			b->dir = a->dir;
			b->dir_last = a->dir_last;
		}
		*a = *b;
		a->start = start;
		a->wd = wd;
		a->pod = pod;
		a->joined = true;
		b->dead = true;
		i++;
	}
}

/* Drops the dates whose rule asked for a day name or a word before them that
 * was not found, and "hari ini" after a count: "dua hari ini" is a duration. */
static void S_requires(const char *t, const lists *L, cand_vec *cv)
{
	for (size_t i = 0; i < cv->n; i++) {
		cand *c = &cv->v[i];
		bool now =
		    c->unit && c->n < 0 && (c->has_rel ? c->off == 0 : c->has_dir && !c->dir);
		uint32_t we, w = now ? S_word_before(t, c->start, 0, &we) : c->start;
		if (w != c->start && S_row(L, t + w, we - w, K_COUNT))
			c->dead = true;
		uint32_t k = c->start;
		while (now && k > 0 && t[k - 1] == ' ')
			k--;
		if (k < c->start && k > 0 && t[k - 1] >= '0' && t[k - 1] <= '9')
			c->dead = true;
		if ((c->requires == REQ_WEEKDAY && !c->joined) ||
		    (c->requires == REQ_PREFIX && !c->prefixed && !c->has_dir && !c->y))
			c->dead = true;
	}
}

/* Joins "pukul 10.00 WIB, Jumat (9/1/2026)" into one TIME: a clock time
 * followed, after at most a comma and spaces, by a day. */
static void S_merge(const char *t, cand_vec *cv)
{
	for (size_t i = 0; i + 1 < cv->n; i++) {
		cand *a = &cv->v[i], *b = &cv->v[i + 1];
		if (a->dead || b->dead || !S_clock_only(a) || !S_day_only(b) ||
		    !S_gap(t, a->end, b->start))
			continue;
		int hh = a->hh, mi = a->mi;
		uint32_t start = a->start;
		*a = *b;
		a->start = start;
		a->hh = hh;
		a->mi = mi;
		b->dead = true;
		i++;
	}
}

/* ------------------------------------------------------------ values */

typedef struct day {
	bool ok;
	int y, m, d;
} day;

static day S_parse_day(const char *s)
{
	day r = {false, 0, 0, 0};
	if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return r;
	r.y = S_int(s, 4);
	r.m = S_int(s + 5, 2);
	r.d = S_int(s + 8, 2);
	r.ok = r.y > 0 && r.m >= 1 && r.m <= 12 && r.d >= 1 && r.d <= S_dim(r.y, r.m);
	return r;
}

static day S_from_days(long z)
{
	day r = {true, 0, 0, 0};
	S_civil(z, &r.y, &r.m, &r.d);
	return r;
}

/* Picks the year for day/month (d 0: the month as a whole) as the one that
 * puts it nearest to ref; dir < 0 takes the last one on or before ref, dir > 0
 * the first one after it. */
static int S_pick_year(day ref, int m, int d, int dir)
{
	long r = S_days(ref.y, ref.m, ref.d);
	int best = ref.y;
	long bestdist = -1;
	for (int y = ref.y - 1; y <= ref.y + 1; y++) {
		int dd = d ? d : 1;
		if (dd > S_dim(y, m))
			continue; /* 29 February of a common year */
		long z = S_days(y, m, dd);
		long zend = d ? z : S_days(y, m, S_dim(y, m));
		if (dir < 0 && z > r)
			continue;
		if (dir > 0 && zend <= r)
			continue;
		long dist = z > r ? z - r : (zend < r ? r - zend : 0);
		if (bestdist < 0 || dist < bestdist || (dist == bestdist && dir < 0)) {
			best = y;
			bestdist = dist;
		}
	}
	return best;
}

/* Among the years around ref, picks the nearest one in which d/m falls on
 * weekday wd; returns fallback when none does. */
static int S_pick_year_wd(day ref, int m, int d, int wd, int fallback)
{
	long r = S_days(ref.y, ref.m, ref.d), bestdist = -1;
	int best = fallback;
	for (int y = ref.y - 1; y <= ref.y + 1; y++) {
		if (d > S_dim(y, m))
			continue;
		long z = S_days(y, m, d);
		long dist = z > r ? z - r : r - z;
		if (S_wday(z) == wd && (bestdist < 0 || dist < bestdist)) {
			best = y;
			bestdist = dist;
		}
	}
	return best;
}

typedef struct vctx {
	day pub;      /* the publication date */
	day last;     /* the date mentioned last (at day precision) */
	day sent_day; /* the day named last, and where */
	uint32_t sent_at;
	int last_y;           /* the year named last, at any precision */
	int last_my, last_mm; /* the month named last */
	const char *text;
	const warta_doc *doc;
} vctx;

/* True when nothing between a and b ends a sentence. */
static bool S_same_sentence(const vctx *V, uint32_t a, uint32_t b)
{
	const warta_doc *doc = V->doc;
	if (doc->sents.n)
		return doc_sent_at(doc, a) == doc_sent_at(doc, b);
	for (uint32_t k = a; k < b; k++) {
		char ch = V->text[k];
		if (ch == '\n')
			return false;
		if ((ch == '.' || ch == '!' || ch == '?') && k + 1 < b &&
		    (V->text[k + 1] == ' ' || V->text[k + 1] == '\n'))
			return false;
	}
	return true;
}

/* Writes v >= 0 as "%0*d" would, without snprintf (a date is written
 * several times per article); returns the end. */
static char *S_put_num(char *o, int v, int width)
{
	char tmp[12];
	int n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		*o++ = tmp[--n];
	return o;
}

/* Writes 0 <= v <= 99 as two digits, 0 <= v <= 9999 as four. */
static void S_put2(char *o, int v)
{
	o[0] = (char)('0' + v / 10);
	o[1] = (char)('0' + v % 10);
}

static void S_put4(char *o, int v)
{
	S_put2(o, v / 100);
	S_put2(o + 2, v % 100);
}

/* out receives at most 10 characters and a NUL, as snprintf(out, 11, ...). */
static void S_fmt_day(char *out, day d)
{
	/* every date but one of a year past 9999: "%04d-%02d-%02d" has exactly
	 * these ten digits and dashes */
	if (d.y >= 0 && d.y <= 9999 && d.m >= 0 && d.m <= 99 && d.d >= 0 && d.d <= 99) {
		S_put4(out, d.y);
		out[4] = '-';
		S_put2(out + 5, d.m);
		out[7] = '-';
		S_put2(out + 8, d.d);
		out[10] = '\0';
		return;
	}
	if (d.y < 0 || d.m < 0 || d.d < 0) {
		snprintf(out, 11, "%04d-%02d-%02d", d.y, d.m, d.d);
		return;
	}
	char buf[40], *o = S_put_num(buf, d.y, 4);
	*o++ = '-';
	o = S_put_num(o, d.m, 2);
	*o++ = '-';
	o = S_put_num(o, d.d, 2);
	size_t n = (size_t)(o - buf) < 10 ? (size_t)(o - buf) : 10;
	memcpy(out, buf, n);
	out[n] = '\0';
}

/* Writes y as "%04d", or y and m > 0 as "%04d-%02d", into out[40] as
 * snprintf would (most values are a year or a month). */
static void S_fmt_ym(char *out, int y, int m)
{
	if (y >= 0 && y <= 9999 && m >= 0 && m <= 99) { /* as the general case below */
		S_put4(out, y);
		if (m) {
			out[4] = '-';
			S_put2(out + 5, m);
		}
		out[m ? 7 : 4] = '\0';
		return;
	}
	if (y < 0 || m < 0) {
		if (m)
			snprintf(out, 40, "%04d-%02d", y, m);
		else
			snprintf(out, 40, "%04d", y);
		return;
	}
	char *o = S_put_num(out, y, 4);
	if (m) {
		*o++ = '-';
		o = S_put_num(o, m, 2);
	}
	*o = '\0';
}

/* Copies s into out[40] as snprintf(out, 40, "%s", s) would. */
static void S_copy(char *out, const char *s)
{
	size_t n = strlen(s);
	if (n > 39)
		n = 39;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Computes c's value into out ("" when unknown); sets *relative. Returns the
 * day it names, when it names one, for later anchors. */
static day S_value(vctx *V, const cand *c, char out[40], bool *relative)
{
	day none = {false, 0, 0, 0}, dd = none;
	out[0] = '\0';
	*relative = false;
	const day P = V->pub;
	if (c->ref) {
		S_copy(out, c->ref);
		return none;
	}
	if (c->hol && !c->m) {
		*relative = true;
		return none;
	}
	if (c->season) {
		*relative = true;
		if (P.ok)
			snprintf(out, 40, "%04d-%s", P.y, c->season);
		return none;
	}
	if (c->y && c->m && c->d) {
		dd = (day){true, c->y, c->m, c->d};
	} else if (c->y && c->m) {
		S_fmt_ym(out, c->y, c->m);
		return none;
	} else if (c->m) {
		*relative = true;
		if (!P.ok)
			return none;
		int y = S_pick_year(P, c->m, c->d, c->dir);
		/* "Sabtu (11/4)" far from the publication date: the year whose 11
		 * April is a Saturday (near it, a wrong day name is a slip). */
		if (c->wd && c->d && labs(S_days(y, c->m, c->d) - S_days(P.y, P.m, P.d)) > 90)
			y = S_pick_year_wd(P, c->m, c->d, c->wd, y);
		if (!c->d) {
			S_fmt_ym(out, y, c->m);
			return none;
		}
		dd = (day){true, y, c->m, c->d};
	} else if (c->y) {
		S_fmt_ym(out, c->y, 0);
		return none;
	} else if (c->d) { /* "tanggal 24": the month from the publication date */
		*relative = true;
		if (!P.ok)
			return none;
		long r = S_days(P.y, P.m, P.d), best = 0, bestdist = -1;
		for (int k = -1; k <= 1; k++) {
			int y = P.y, m = P.m;
			S_add_months(&y, &m, NULL, k);
			if (c->d > S_dim(y, m))
				continue;
			long z = S_days(y, m, c->d);
			if ((c->dir < 0 && z > r) || (c->dir > 0 && z <= r))
				continue;
			long dist = z > r ? z - r : r - z;
			if (bestdist < 0 || dist < bestdist) {
				best = z;
				bestdist = dist;
			}
		}
		if (bestdist < 0)
			return none;
		dd = S_from_days(best);
	} else if (c->wd) {
		/* News convention: a bare day name is the last such day on or before
		 * the publication date; "lalu" excludes that day, "depan" looks ahead. */
		*relative = true;
		if (!P.ok)
			return none;
		long r = S_days(P.y, P.m, P.d);
		int w = S_wday(r);
		long z;
		if (c->dir > 0)
			z = r + ((c->wd - w + 6) % 7 + 1);
		else {
			z = r - (w - c->wd + 7) % 7;
			if (c->dir < 0 && c->has_dir && !c->dir_last && z == r)
				z -= 7;
		}
		dd = S_from_days(z);
	} else if (c->unit) {
		*relative = true;
		day A = c->dir_last && V->last.ok ? V->last : P;
		if (!A.ok)
			return none;
		long k = c->has_rel ? c->off : (long)(c->n > 0 ? c->n : 1) * c->dir;
		if (c->n == 0) { /* "beberapa hari lalu": some time before */
			S_copy(out, c->dir < 0   ? "PAST_REF"
			            : c->dir > 0 ? "FUTURE_REF"
			                         : "PRESENT_REF");
			return none;
		}
		/* Counted from a date in the text ("sebulan kemudian"), the result
		 * keeps that date's day; from the publication date, or with no
		 * count ("tahun sebelumnya" is a year, not a day), the unit's. */
		bool to_day = c->dir_last && k != 0 && c->n > 0;
		/* "tahun itu", "bulan tersebut": the year or month named last. */
		if (c->dir_last && k == 0 && c->unit == U_YEAR && V->last_y) {
			S_fmt_ym(out, V->last_y, 0);
			return none;
		}
		if (c->dir_last && k == 0 && c->unit == U_MONTH && V->last_my) {
			S_fmt_ym(out, V->last_my, V->last_mm);
			return none;
		}
		long z = S_days(A.y, A.m, A.d);
		int y = A.y, m = A.m, d = A.d;
		switch (c->unit) {
		case U_DAY: dd = S_from_days(z + k); break;
		case U_WEEK:
			if (to_day) {
				dd = S_from_days(z + 7 * k);
				break;
			} else {
				int wy, ww;
				S_isoweek(z + 7 * k, &wy, &ww);
				const char *we = c->mod && strcmp(c->mod, "END") == 0 ? "-WE" : "";
				if (wy >= 0 && wy <= 9999) { /* ww is 1 to 53 */
					S_put4(out, wy);
					memcpy(out + 4, "-W", 2);
					S_put2(out + 6, ww);
					memcpy(out + 8, we, strlen(we) + 1);
				} else
					snprintf(out, 40, "%04d-W%02d%s", wy, ww, we);
			}
			return none;
		case U_MONTH:
			S_add_months(&y, &m, &d, k);
			if (to_day) {
				dd = (day){true, y, m, d};
				break;
			}
			S_fmt_ym(out, y, m);
			return none;
		case U_YEAR:
			if (to_day) {
				y += (int)k;
				if (m == 2 && d == 29 && !S_leap(y))
					d = 28;
				dd = (day){true, y, m, d};
				break;
			}
			S_fmt_ym(out, y + (int)k, 0);
			return none;
		default: { /* hours and minutes: the clock of the reference is unknown,
			    so only whole days move it ("22 jam lalu" is that day) */
			long per = c->unit == U_HOUR ? 24 : 1440;
			dd = S_from_days(z + k / per);
			break;
		}
		}
	} else if (c->pod && c->has_dir) { /* "pagi ini", "malam itu" */
		*relative = true;
		day A = c->dir_last && V->last.ok ? V->last : P;
		if (!A.ok)
			return none;
		dd = S_from_days(S_days(A.y, A.m, A.d) + (c->dir_last ? 0 : c->dir));
	} else if (c->hh >=
	           0) { /* a clock time: the day named in its sentence, or the publication date */
		if (V->sent_day.ok && S_same_sentence(V, V->sent_at, c->start))
			dd = V->sent_day;
		else {
			*relative = true;
			dd = P;
		}
		if (!dd.ok)
			return none;
	}
	if (!dd.ok)
		return none;
	S_fmt_day(out, dd);
	if (c->hh >= 0) {
		int h = c->hh;
		if (c->pod && h < 12 &&
		    ((strcmp(c->pod, "AF") == 0 && h < 6) || strcmp(c->pod, "EV") == 0 ||
		     (strcmp(c->pod, "NI") == 0 && h >= 6)))
			h += 12;
		char *o = out + 10;
		*o++ = 'T';
		S_put2(o, h == 24 ? 0 : h); /* 0 <= h < 24 and 0 <= mi < 60, as checked */
		o[2] = ':';
		S_put2(o + 3, c->mi);
		o[5] = '\0';
	} else if (c->pod) { /* as snprintf(out + 10, 30, "T%s", c->pod) */
		size_t n = strlen(c->pod);
		if (n > 28)
			n = 28;
		out[10] = 'T';
		memcpy(out + 11, c->pod, n);
		out[11 + n] = '\0';
	}
	return dd;
}

/* Remembers the year and month of a value ("2005", "2014-12", "2014-12-28T06:18")
 * for "tahun itu" and "bulan tersebut". */
static void S_note(vctx *V, const char *v)
{
	int y = S_int(v, 4);
	if (y <= 0 || (v[4] && v[4] != '-'))
		return;
	V->last_y = y;
	if (v[4] == '-' && v[5] != 'W') {
		int m = S_int(v + 5, 2);
		if (m >= 1 && m <= 12) {
			V->last_my = y;
			V->last_mm = m;
		}
	}
}

/* ------------------------------------------------------ publication date */

/* How far into the text a byline date may stand, in bytes. */
#define S_BYLINE_ZONE 600

/* True when c lies on a short line near the top of the text, as a byline date
 * does ("Senin, 12 Januari 2026 10:15 WIB") when no meta zone was found. */
static bool S_byline(const warta_doc *doc, const cand *c)
{
	const char *t = doc->text;
	uint32_t ls = c->start, le = c->end, lines = 0;
	while (ls > 0 && t[ls - 1] != '\n')
		ls--;
	while (le < doc->len && le - c->end <= 24 && t[le] != '\n')
		le++;
	for (uint32_t k = 0; k < ls; k++)
		lines += t[k] == '\n';
	return lines < 6 && (le - ls) - (c->end - c->start) <= 24;
}

/* Fills doc->published from the first full date of a meta line. */
static void S_published_from_text(warta_doc *doc, const cand_vec *cv)
{
	bool has_meta = false;
	for (size_t z = 0; z < doc->zones.n; z++)
		has_meta |= doc->zones.v[z].type == Z_META;
	for (size_t i = 0; i < cv->n; i++) {
		const cand *c = &cv->v[i];
		if (!has_meta && c->start >= S_BYLINE_ZONE)
			break;
		if (c->dead || !(c->y && c->m && c->d))
			continue;
		bool meta = has_meta ? doc_zone_at(doc, c->start) == Z_META : S_byline(doc, c);
		if (!meta)
			continue;
		char buf[16];
		S_fmt_day(buf, (day){true, c->y, c->m, c->d});
		doc->published = arena_strndup(&doc->a, buf, 10);
		if (doc->published)
			doc->published_from = "text";
		return;
	}
}

/* ------------------------------------------------------------ the stage */

/* Sets out[k] to the column of names[k] in wl (-1: none), as wordlist_col()
 * would, in one walk over the header. */
static void S_cols(const wordlist *wl, const char *const *names, size_t n, int *out)
{
	for (size_t k = 0; k < n; k++)
		out[k] = -1;
	for (size_t i = wl->ncol; i-- > 0;)
		for (size_t k = 0; k < n; k++)
			if (S_same(wl->col[i], names[k]))
				out[k] = (int)i;
}

/* Fills T->L from rs; false when a list is missing (then the stage finds
 * nothing) or out of memory (*oom). */
static bool S_tab_lists(const warta_ruleset *rs, struct datetab *T, bool *oom)
{
	static const char *const names[] = {"months", "weekdays", "timewords"};
	const wordlist *w[3];
	ruleset_lists(rs, names, 3, w);
	lists *L = &T->L;
	if (!w[0] || !w[1] || !w[2])
		return false;
	static const char *const wcols[] = {"kind", "value", "unit", "offset", "from"};
	static const char *const mcols[] = {"month", "form"}, *const dcols[] = {"isoday"};
	S_cols(w[2], wcols, 5, L->col + C_KIND);
	S_cols(w[0], mcols, 2, L->col + C_MONTH);
	S_cols(w[1], dcols, 1, L->col + C_ISODAY);
	const wordlist *W = w[2];
	int8_t *kid = arena_alloc(&T->a, W->nrows + 1);
	if (!kid || !(L->of = arena_alloc(&T->a, (W->nrows + 1) * sizeof *L->of))) {
		*oom = true;
		return false;
	}
	int kc = L->col[C_KIND];
	for (size_t r = 0; r < W->nrows; r++) {
		kid[r] = -1;
		for (int k = 0; kc >= 0 && k < K__COUNT; k++)
			if (strcmp(W->rows[r].cell[kc], S_kinds[k]) == 0)
				kid[r] = (int8_t)k;
	}
	for (size_t r = 0; r < W->nrows; r++) {
		const char *f = W->fold[r];
		uint32_t fl = W->fold_len[r];
		if (!f) /* not in the index: wordlist_find() never gives it */
			continue;
		S_kinds_of(W, kc >= 0, kid, r, L->of[r]);
		if (fl) /* S_take() asks for words of a letter or more */
			L->ends[S_letter_at((unsigned char)f[0])][fl < 31 ? fl : 31] |=
			    1u << S_letter_at((unsigned char)f[fl - 1]);
	}
	L->months = w[0];
	L->weekdays = w[1];
	L->words = w[2];
	return true;
}

int dates_prepare(warta_ruleset *rs)
{
	struct datetab *T = rs->mem->calloc(1, sizeof *T);
	if (!T)
		return WARTA_ENOMEM;
	T->a.mem = rs->mem;
	rs->datetab = T;
	bool oom = false;
	const rulefile *rf = ruleset_rules(rs, "date");
	if (!rf || !S_tab_lists(rs, T, &oom))
		return oom ? WARTA_ENOMEM : WARTA_OK;
	if (!(T->memo = arena_alloc(&T->a, (rf->n + 1) * sizeof *T->memo)))
		return WARTA_ENOMEM;
	for (size_t i = 0; i < rf->n; i++)
		S_memo(&T->memo[i], &rf->rules[i]);
	T->rf = rf;
	return WARTA_OK;
}

void dates_free(warta_ruleset *rs)
{
	if (!rs || !rs->datetab)
		return;
	arena_free(&rs->datetab->a);
	rs->mem->free(rs->datetab);
	rs->datetab = NULL;
}

int dates_run(warta_doc *doc)
{
	const warta_ruleset *rs = doc->rs;
	const struct datetab *T = rs ? rs->datetab : NULL;
	if (!T || !T->rf || !doc->len)
		return WARTA_OK;
	const rulefile *rf = T->rf;
	cand_vec cv = {0};
	scan S = {T, &cv, &doc->a};
	int rc = rules_scan(doc, rf, 0, doc->len, S_match_cb, &S);
	if (rc)
		return rc;
	if ((rc = S_pick(&doc->a, &cv)))
		return rc;
	S_prefix(doc->text, &T->L, &cv);
	S_join_weekday(doc->text, &cv);
	S_requires(doc->text, &T->L, &cv);
	S_merge(doc->text, &cv);
	if (!doc->published)
		S_published_from_text(doc, &cv);
	vctx V = {.pub = S_parse_day(doc->published), .text = doc->text, .doc = doc};
	for (size_t i = 0; i < cv.n; i++) {
		const cand *c = &cv.v[i];
		if (c->dead)
			continue;
		date *dt = VEC_PUSH(&doc->a, doc->dates);
		if (!dt)
			return WARTA_ENOMEM;
		dt->start = c->start;
		dt->end = c->end;
		day named = S_value(&V, c, dt->value, &dt->relative);
		dt->type = c->hh >= 0 || c->pod ? "TIME" : "DATE";
		dt->rule = c->r;
		dt->zone = doc_zone_at(doc, c->start);
		int s = doc_sent_at(doc, c->start);
		dt->sent = s < 0 ? 0 : (uint32_t)s;
		S_note(&V, dt->value);
		if (named.ok) {
			V.last = named;
			V.sent_day = named;
			V.sent_at = c->start;
		}
	}
	return WARTA_OK;
}
