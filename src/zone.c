/* SPDX-License-Identifier: MIT */
/* Stage 3: zones. Reads doc->text (normalized, LF line ends) line by line and
 * classifies each line with rules/boilerplate.rules (the first rule whose
 * class applies wins; see the header of that file), plus three things that are
 * arithmetic rather than words: the title (first line, headline-shaped), the
 * extent of a related-headline list, and the dateline prefix of the first body
 * paragraph. Output: doc->zones, sorted and contiguous, covering [0, len)
 * exactly (none for an empty text); the white space between two pieces goes
 * to the later one (the last zone also takes the white space that ends the
 * text). Also doc->title_zone, doc->source, doc->dateline_place and
 * doc->dateline_outlet, all in the arena. No allocation per line.
 */
#include "internal.h"
#include "reqbytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Rule classes of boilerplate.rules (the `class` key). */
enum {
	C_NONE = 0,
	C_NOISE,
	C_META,
	C_RELATED,
	C_RSTART,
	C_RITEM,
	C_NOISE_SPAN,
	C_RELATED_SPAN,
	C_DATELINE,
};

static const char *const S_class_names[] = {"",           "noise",         "meta",
                                            "related",    "related-start", "related-item",
                                            "noise-span", "related-span",  "dateline"};

/* A related list holds at most this many unlabelled headline lines, so that a
 * list header before plain short lines cannot swallow an article. */
#define LIST_MAX_HEADLINES 12
/* Longest line that can be a title, or a headline in a list (bytes). */
#define TITLE_MAX       150
#define TITLE_MAX_WORDS 18
#define HEADLINE_MAX    200
#define SPANS_MAX       16

typedef struct zrule {
	const rule *r;
	int cls;
	uint32_t maxlen;      /* UINT32_MAX: any length */
	const uint8_t *first; /* possible first bytes (rule.first), or NULL */
	const char *need;
	bool head;             /* only before the first body line (`where head`) */
	const reqbytes *rb;    /* bytes a line must hold (zone_prepare's table), or NULL */
	const rb_shape *shape; /* how a line must begin or end, or NULL */
} zrule;

typedef struct zspan {
	uint32_t start, end;
	zone_type type;
	const rule *r;
} zspan;

typedef struct zctx {
	warta_doc *doc;
	bool body_seen;            /* a body line was read: the head is over */
	zrule *line, *span, *date; /* whole-line, in-line and dateline rules, in file order */
	size_t nline, nspan, ndate;
	const uint64_t *line_by_first;                 /* zonetab's, or NULL */
	const uint64_t *line_by_second, *line_by_last; /* zonetab's, with line_by_first */
	uint32_t cursor;                               /* end of the last zone pushed */
	bool oom;
} zctx;

/* ------------------------------------------------------------ characters */

/* Returns the byte length of the white-space character at p (ASCII blanks,
 * NBSP, U+2000..U+200B, U+3000, BOM), or 0. */
static size_t S_space_at(const unsigned char *p, const unsigned char *end)
{
	if (p >= end)
		return 0;
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v' || *p == '\n')
		return 1;
	if (p[0] == 0xC2 && end - p >= 2 && p[1] == 0xA0)
		return 2;
	if (end - p >= 3) {
		if (p[0] == 0xE2 && p[1] == 0x80 && p[2] <= 0x8B)
			return 3;
		if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
			return 3;
		if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
			return 3;
	}
	return 0;
}

/* Returns the byte length of the white-space character that ends at end. */
static size_t S_space_before(const unsigned char *begin, const unsigned char *end)
{
	for (size_t k = 1; k <= 3 && end - k >= begin; k++) {
		if ((end[-(ptrdiff_t)k] & 0xC0) == 0x80)
			continue;
		return S_space_at(end - k, end) == k ? k : 0;
	}
	return 0;
}

static void S_trim(const char *t, uint32_t *s, uint32_t *e)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t k;
	while (*s < *e && (k = S_space_at(u + *s, u + *e)))
		*s += (uint32_t)k;
	while (*e > *s && (k = S_space_before(u + *s, u + *e)))
		*e -= (uint32_t)k;
}

/* Ends like a sentence: a full stop, comma, semicolon or colon, before any
 * closing quotes and brackets. Question and exclamation marks end headlines
 * as often as sentences, so they do not count. */
static bool S_ends_like_prose(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	while (n) {
		unsigned char c = u[n - 1];
		if (c == '"' || c == '\'' || c == ')' || c == ']') {
			n--;
			continue;
		}
		/* U+201D and U+2019, closing curly quotes (normalize may not have run) */
		if (n >= 3 && u[n - 3] == 0xE2 && u[n - 2] == 0x80 && (c == 0x9D || c == 0x99)) {
			n -= 3;
			continue;
		}
		return c == '.' || c == ',' || c == ';' || c == ':';
	}
	return false;
}

/* A line shaped like a headline: short, does not end like a sentence, and does
 * not open with a lower-case ASCII letter (a continued sentence). */
static bool S_headline_shaped(const char *s, size_t n, size_t max)
{
	if (n < 3 || n > max)
		return false;
	if (s[0] >= 'a' && s[0] <= 'z')
		return false;
	return !S_ends_like_prose(s, n);
}

/* A title also reads like one: it opens with a capital, a digit or a quote,
 * and more than half of its words open with a capital or a digit ("Kim
 * Jong-un Sebut Korut Siap Jadi Sekutu Abadi Rusia"); a first sentence of a
 * body sent without its title ("Apa varian cokelat favoritmu?") does not. */
static bool S_title_shaped(const char *s, size_t n)
{
	if (!S_headline_shaped(s, n, TITLE_MAX))
		return false;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k =
	    utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
	if (k <= 0)
		return false;
	utf8proc_category_t c0 = utf8proc_category(cp);
	if (c0 != UTF8PROC_CATEGORY_LU && c0 != UTF8PROC_CATEGORY_ND && cp != '"' && cp != '\'' &&
	    cp != 0x201C && cp != 0x2018)
		return false;
	/* Two sentences ("... Indonesia. Lantas ...") are prose; an initial
	 * ("M. Yazid") is not a sentence end. */
	for (size_t i = 3; i + 2 < n; i++)
		if (s[i] == '.' && s[i + 1] == ' ' && s[i + 2] >= 'A' && s[i + 2] <= 'Z' &&
		    s[i - 1] != ' ' && s[i - 2] != ' ' && s[i - 3] != ' ')
			return false;
	unsigned words = 0, caps = 0;
	bool at_start = true;
	for (size_t i = 0; i < n; i += (size_t)k) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i),
		                     &cp);
		if (k <= 0)
			return false;
		utf8proc_category_t c = utf8proc_category(cp);
		if (cp == ' ' || cp == 0xA0 || c == UTF8PROC_CATEGORY_ZS) {
			at_start = true;
			continue;
		}
		if (!at_start)
			continue;
		if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_ND) {
			words++;
			caps++;
			at_start = false;
		} else if (c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LO) {
			words++;
			at_start = false;
		} /* punctuation before a word: still at its start */
	}
	return words && words <= TITLE_MAX_WORDS && caps * 2 > words;
}

static bool S_has_folded(const char *s, size_t n, const char *need)
{
	size_t nl = strlen(need);
	for (size_t i = 0; i + nl <= n; i++) {
		size_t k = 0;
		while (k < nl) {
			unsigned char c = (unsigned char)s[i + k];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			if (c != (unsigned char)need[k])
				break;
			k++;
		}
		if (k == nl)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------ zones out */

/* Appends a zone ending at `end`; it starts where the previous one ended, so
 * the gap of white space before a piece belongs to it. Adjacent pieces of the
 * same type and rule become one zone; the title always stands alone. */
static int S_push(zctx *z, zone_type type, uint32_t end, const rule *r)
{
	warta_doc *doc = z->doc;
	if (end <= z->cursor)
		return 0;
	if (doc->zones.n) {
		zone *last = &doc->zones.v[doc->zones.n - 1];
		if (last->type == type && last->rule == r && type != Z_TITLE) {
			last->end = end;
			z->cursor = end;
			return 0;
		}
	}
	zone *nz = VEC_PUSH(&doc->a, doc->zones);
	if (!nz) {
		z->oom = true;
		return -1;
	}
	nz->type = type;
	nz->start = z->cursor;
	nz->end = end;
	nz->rule = r;
	z->cursor = end;
	return 0;
}

/* ------------------------------------------------------------ matching */

/* Matches r on doc->text[s, e) as its own subject (so ^ and $ are the line's
 * ends), from byte `from`. Returns the PCRE2 result; limits become a warning.
 * Anchoring is left to the patterns' ^ and checked by the callers: the
 * PCRE2_ANCHORED option would send every call to the interpreter, not JIT. */
static int S_match(zctx *z, const zrule *zr, uint32_t s, uint32_t e, uint32_t from)
{
	warta_doc *doc = z->doc;
	const rule *r = zr->r;
	PCRE2_SPTR subj = (PCRE2_SPTR)(doc->text + s);
	/* straight into the JIT code, 3-4 times cheaper per line than
	 * pcre2_match; compiled on the rule's first use, not at load */
	rule_ready(r);
	int rc = pcre2_jit_match(r->code, subj, e - s, from, 0, doc->md, doc->rs->mctx);
	if (rc == PCRE2_ERROR_JIT_BADOPTION) /* no JIT here: the interpreter */
		rc = pcre2_match(r->code, subj, e - s, from, PCRE2_NO_UTF_CHECK, doc->md,
		                 doc->rs->mctx);
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
		char what[200];
		snprintf(what, sizeof what, "%s:%d %s", r->file, r->line, r->id);
		doc_warn(doc, "rule-limit", arena_strndup(&doc->a, what, strlen(what)), 1);
	}
	return rc;
}

/* Fetches named group `name` of the last match as absolute offsets. */
static bool S_group(zctx *z, const rule *r, uint32_t base, const char *name, uint32_t *gs,
                    uint32_t *ge)
{
	int g = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)name);
	if (g < 0 || (uint32_t)g >= pcre2_get_ovector_count(z->doc->md))
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(z->doc->md);
	if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] <= ov[2 * g])
		return false;
	*gs = base + (uint32_t)ov[2 * g];
	*ge = base + (uint32_t)ov[2 * g + 1];
	return true;
}

/* The tests of S_applies past the first byte and the length, out of line:
 * they are for the few rules whose first byte fits. */
static bool S_applies_shape(const zrule *zr, const char *s, size_t n)
{
	return (!zr->shape || reqbytes_shape_may(zr->shape, s, n)) &&
	       (!zr->need || S_has_folded(s, n, zr->need)) &&
	       (!zr->rb || reqbytes_may_scan(zr->rb, s, n));
}

/* The cheap tests before a rule runs on a line: most rules are skipped on
 * the first byte of the line or its length, the rest mostly on the shapes
 * read off their patterns, without a call into PCRE2. */
static inline bool S_applies(const zrule *zr, const char *t, uint32_t s, uint32_t e)
{
	unsigned char b = (unsigned char)t[s], z = (unsigned char)t[e - 1];
	if (e - s > zr->maxlen || (zr->first && !(zr->first[b >> 3] & (1u << (b & 7)))))
		return false;
	/* the last byte, as reqbytes_shape_may tests it first: most span
	 * rules end at $ after a byte of a few */
	if (zr->shape && zr->shape->has_last && !(zr->shape->last[z >> 3] & (1u << (z & 7))))
		return false;
	return S_applies_shape(zr, t + s, e - s);
}

/* Returns the class of the first whole-line rule that matches [s, e) from
 * start to end, and that rule in *out; C_NONE when none does. */
static int S_line_class(zctx *z, uint32_t s, uint32_t e, const rule **out)
{
	/* Most lines pass the first-byte test of a few rules only: with the
	 * table, the others are not even looked at. */
	const uint64_t *by_first = z->line_by_first;
	const unsigned char *u = (const unsigned char *)z->doc->text;
	uint64_t todo = 0;
	if (by_first) {
		todo = by_first[u[s]] & z->line_by_last[u[e - 1]];
		if (e - s >= 2 && u[s] < 0x80)
			todo &= z->line_by_second[u[s + 1]];
	}
	for (size_t i = 0; by_first ? todo != 0 : i < z->nline; i++) {
		if (by_first) {
			i = (size_t)__builtin_ctzll(todo);
			todo &= todo - 1;
		}
		const zrule *zr = &z->line[i];
		if ((zr->head && z->body_seen) || !S_applies(zr, z->doc->text, s, e))
			continue;
		if (S_match(z, zr, s, e, 0) < 0)
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(z->doc->md);
		if (ov[0] != 0 || ov[1] != e - s)
			continue;
		*out = zr->r;
		return zr->cls;
	}
	*out = NULL;
	return C_NONE;
}

/* Copies (s, n) with white-space runs made one space. */
static char *S_clean(arena *a, const char *s, size_t n, bool lower, bool drop_spaces)
{
	char *out = arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t k = S_space_at(u + i, u + n);
		if (k) {
			if (!drop_spaces && o && out[o - 1] != ' ')
				out[o++] = ' ';
			i += k;
			continue;
		}
		char c = s[i++];
		out[o++] = lower && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

/* A dateline place as a name: the gazetteer's canonical form when it knows
 * the place, else the words as written, with words in capitals title-cased
 * ("KUALA LUMPUR" -> "Kuala Lumpur"). */
static char *S_place_name(warta_doc *doc, const char *s, size_t n)
{
	const gz_entry *g = gazetteer_lookup(doc->rs->gz, s, n);
	if (g && (g->type == T_LOCATION || g->type == T_COUNTRY))
		return arena_strndup(&doc->a, g->name, strlen(g->name));
	char *clean = S_clean(&doc->a, s, n, false, false);
	if (!clean)
		return NULL;
	size_t cn = strlen(clean);
	bool lower = false;
	utf8proc_ssize_t k;
	utf8proc_int32_t cp;
	for (size_t i = 0; i < cn; i += (size_t)k) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)clean + i,
		                     (utf8proc_ssize_t)(cn - i), &cp);
		if (k <= 0)
			return clean;
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_LL)
			lower = true;
	}
	if (lower)
		return clean;
	char *out = arena_alloc(&doc->a, cn * 4 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	bool word_start = true;
	for (size_t i = 0; i < cn; i += (size_t)k) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)clean + i,
		                     (utf8proc_ssize_t)(cn - i), &cp);
		if (k <= 0)
			break;
		bool letter = utf8proc_category(cp) == UTF8PROC_CATEGORY_LU ||
		              utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
		utf8proc_int32_t c2 = letter && !word_start ? utf8proc_tolower(cp) : cp;
		o += (size_t)utf8proc_encode_char(c2, (utf8proc_uint8_t *)out + o);
		word_start = !letter && cp != '\'';
	}
	out[o] = '\0';
	return out;
}

/* "REPUBLIKA.CO.ID" -> "republika.co.id" when the outlet is a domain. */
static void S_source_from(warta_doc *doc, const char *s, size_t n)
{
	if (doc->source || !memchr(s, '.', n))
		return;
	doc->source = S_clean(&doc->a, s, n, true, true);
}

/* The host of the input URL, without "www.", as the last resort for source. */
static void S_source_from_url(warta_doc *doc)
{
	const char *u = doc->url;
	if (doc->source || !u)
		return;
	const char *p = strstr(u, "://");
	p = p ? p + 3 : u;
	if (strncmp(p, "www.", 4) == 0)
		p += 4;
	size_t n = strcspn(p, "/?#:");
	if (n && memchr(p, '.', n))
		doc->source = S_clean(&doc->a, p, n, true, true);
}

/* Tries the dateline rules at the start of [s, e); on a match pushes the
 * dateline zone, fills the meta fields and returns its end, else returns s. */
static uint32_t S_dateline(zctx *z, uint32_t s, uint32_t e)
{
	warta_doc *doc = z->doc;
	for (size_t i = 0; i < z->ndate; i++) {
		const zrule *zr = &z->date[i];
		if (!S_applies(zr, doc->text, s, e))
			continue;
		if (S_match(z, zr, s, e, 0) < 0)
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(doc->md);
		uint32_t me = s + (uint32_t)ov[1];
		if (ov[0] != 0 || me <= s)
			continue;
		uint32_t gs, ge;
		if (S_group(z, zr->r, s, "place", &gs, &ge))
			doc->dateline_place = S_place_name(doc, doc->text + gs, ge - gs);
		if (S_group(z, zr->r, s, "outlet", &gs, &ge)) {
			doc->dateline_outlet =
			    S_clean(&doc->a, doc->text + gs, ge - gs, false, false);
			S_source_from(doc, doc->text + gs, ge - gs);
		}
		S_push(z, Z_DATELINE, me, zr->r);
		return me;
	}
	return s;
}

static int S_span_cmp(const void *a, const void *b)
{
	const zspan *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

/* Pushes body text [s, e), cut around the spans the span rules mark. */
static void S_body(zctx *z, uint32_t s, uint32_t e)
{
	zspan sp[SPANS_MAX];
	size_t ns = 0;
	for (size_t i = 0; i < z->nspan && ns < SPANS_MAX; i++) {
		const zrule *zr = &z->span[i];
		if (!S_applies(zr, z->doc->text, s, e))
			continue;
		uint32_t from = 0;
		while (from < e - s && ns < SPANS_MAX && S_match(z, zr, s, e, from) >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(z->doc->md);
			if (ov[1] <= ov[0])
				break;
			sp[ns++] = (zspan){s + (uint32_t)ov[0], s + (uint32_t)ov[1],
			                   zr->cls == C_NOISE_SPAN ? Z_NOISE : Z_RELATED, zr->r};
			from = (uint32_t)ov[1];
		}
	}
	sort_unless_sorted(sp, ns, sizeof *sp, S_span_cmp);
	uint32_t at = s;
	for (size_t i = 0; i < ns; i++) {
		if (sp[i].start < at)
			continue; /* overlaps an earlier span: the earlier one wins */
		S_push(z, Z_BODY, sp[i].start, NULL);
		S_push(z, sp[i].type, sp[i].end, sp[i].r);
		at = sp[i].end;
	}
	S_push(z, Z_BODY, e, NULL);
}

/* Returns the C_* class named by s, or C_NONE. */
static int S_class_of(const char *s)
{
	if (!s)
		return C_NONE;
	for (int k = 1; k < (int)(sizeof S_class_names / sizeof *S_class_names); k++)
		if (s[0] == S_class_names[k][0] && strcmp(s, S_class_names[k]) == 0)
			return k;
	return C_NONE;
}

/* What a line must hold or look like for a rule to match in it. */
typedef struct zshape {
	reqbytes rb;
	rb_shape shape;
} zshape;

/* The boilerplate rules sorted by what they apply to, their keys read: built
 * once per ruleset by zone_prepare (NULL when there are none). */
struct zonetab {
	size_t n;   /* rules in the file */
	zrule *all; /* line rules at all[0], span rules at all[n], dateline rules at all[2n] */
	size_t nline, nspan, ndate;
	const rule **bad; /* the rules the stage cannot use, warned of per article */
	size_t nbad;
	struct zshape *shape; /* per rule of the file */
	/* bit i of line_by_first[b]: line rule i may match a line that starts
	 * with byte b (its rule.first); only when there are at most 64 */
	uint64_t line_by_first[256];
	/* the same for the line's second byte, after a first byte < 0x80 (the
	 * words a rule's line must begin with, rb_shape.lead), and for its
	 * last (rb_shape.last) */
	uint64_t line_by_second[256], line_by_last[256];
	bool by_first;
};

/* Fills all[0, 3 rf->n) and the counts from rf; rules that cannot be used go
 * to bad[]; sh (per rule) gives the rules their cheap tests. */
static void S_fill(const rulefile *rf, zrule *all, size_t *nline, size_t *nspan, size_t *ndate,
                   const rule **bad, size_t *nbad, const zshape *sh)
{
	zrule *line = all, *span = all + rf->n, *date = all + 2 * rf->n;
	*nline = *nspan = *ndate = *nbad = 0;
	for (size_t i = 0; i < rf->n; i++) {
		const rule *r = &rf->rules[i];
		const char *cls = NULL, *ml = NULL, *where = NULL;
		for (size_t a = 0; a < r->nattr; a++) {
			const char *k = r->attr[a].key;
			if (k[0] == 'c' && strcmp(k, "class") == 0)
				cls = r->attr[a].value;
			else if (k[0] == 'm' && strcmp(k, "maxlen") == 0)
				ml = r->attr[a].value;
			else if (k[0] == 'w' && strcmp(k, "where") == 0)
				where = r->attr[a].value;
		}
		int c = S_class_of(cls);
		if (c == C_NONE || !r->code || (where && strcmp(where, "head") != 0) ||
		    (ml && (*ml < '0' || *ml > '9'))) {
			/* A rule the stage cannot use is reported, never silently skipped. */
			bad[(*nbad)++] = r;
			continue;
		}
		uint32_t maxlen = ml ? 0 : UINT32_MAX;
		for (; ml && *ml >= '0' && *ml <= '9' && maxlen < 100000000; ml++)
			maxlen = maxlen * 10 + (uint32_t)(*ml - '0');
		zrule zr = {r,
		            c,
		            maxlen,
		            r->first_known ? r->first : NULL,
		            r->need,
		            where != NULL,
		            sh[i].rb.scan ? &sh[i].rb : NULL,
		            reqbytes_shape_any(&sh[i].shape) ? &sh[i].shape : NULL};
		if (c == C_DATELINE)
			date[(*ndate)++] = zr;
		else if (c == C_NOISE_SPAN || c == C_RELATED_SPAN)
			span[(*nspan)++] = zr;
		else
			line[(*nline)++] = zr;
	}
}

/* Whether a line whose first byte is below 0x80 and whose second is b may
 * begin as sh says (reqbytes_shape_may's test of rb_shape.lead, which
 * S_applies makes in full later): a word of one byte or none leaves the
 * second free; one of more needs b as it is, or folded when it ignores
 * case, where any byte >= 0x80 may be a letter that folds to it. */
static bool S_second_may(const rb_shape *sh, unsigned char b)
{
	if (!sh || !sh->nlead)
		return true;
	for (int a = 0; a < sh->nlead; a++) {
		if (sh->lead[a].len < 2)
			return true;
		unsigned char want = (unsigned char)sh->lead[a].s[1], c = b;
		if (sh->lead[a].icase) {
			if (c >= 0x80)
				return true;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
		}
		if (c == want)
			return true;
	}
	return false;
}

int zone_prepare(warta_ruleset *rs)
{
	const rulefile *rf = ruleset_rules(rs, "boilerplate");
	if (!rf || !rf->n)
		return WARTA_OK;
	struct zonetab *zt = rs->mem->calloc(1, sizeof *zt);
	if (!zt)
		return WARTA_ENOMEM;
	zt->all = rs->mem->calloc(3 * rf->n, sizeof *zt->all);
	zt->bad = rs->mem->calloc(rf->n, sizeof *zt->bad);
	zt->shape = rs->mem->calloc(rf->n, sizeof *zt->shape);
	zt->n = rf->n;
	rs->zonetab = zt;
	if (!zt->all || !zt->bad || !zt->shape)
		return WARTA_ENOMEM;
	for (size_t i = 0; i < rf->n; i++) {
		const rule *r = &rf->rules[i];
		zshape *sh = &zt->shape[i];
		reqbytes_read(r, &sh->rb);
		if (r->pattern)
			reqbytes_shape_read(r->pattern, &sh->shape);
	}
	S_fill(rf, zt->all, &zt->nline, &zt->nspan, &zt->ndate, zt->bad, &zt->nbad, zt->shape);
	zt->by_first = zt->nline <= 64;
	for (size_t i = 0; zt->by_first && i < zt->nline; i++) {
		const zrule *zr = &zt->all[i];
		const rb_shape *sh = zr->shape;
		for (unsigned b = 0; b < 256; b++) {
			if (!zr->first || (zr->first[b >> 3] >> (b & 7) & 1))
				zt->line_by_first[b] |= 1ull << i;
			if (!sh || !sh->has_last || (sh->last[b >> 3] >> (b & 7) & 1))
				zt->line_by_last[b] |= 1ull << i;
			if (S_second_may(sh, (unsigned char)b))
				zt->line_by_second[b] |= 1ull << i;
		}
	}
	return WARTA_OK;
}

void zone_free(warta_ruleset *rs)
{
	if (!rs || !rs->zonetab)
		return;
	rs->mem->free(rs->zonetab->all);
	rs->mem->free(rs->zonetab->bad);
	rs->mem->free(rs->zonetab->shape);
	rs->mem->free(rs->zonetab);
	rs->zonetab = NULL;
}

/* True when doc->text[from, len) holds anything but white space. */
static bool S_more_text(const warta_doc *doc, uint32_t from)
{
	uint32_t s = from, e = doc->len;
	S_trim(doc->text, &s, &e);
	return s < e;
}

int zone_run(warta_doc *doc)
{
	zctx z = {.doc = doc};
	doc->zones.n = 0;
	doc->title_zone = -1;
	if (doc->len == 0)
		return WARTA_OK;
	const struct zonetab *zt = doc->rs ? doc->rs->zonetab : NULL;
	if (zt) {
		z.line = zt->all;
		z.span = zt->all + zt->n;
		z.date = zt->all + 2 * zt->n;
		z.nline = zt->nline;
		z.line_by_first = zt->by_first ? zt->line_by_first : NULL;
		z.line_by_second = zt->line_by_second;
		z.line_by_last = zt->line_by_last;
		z.nspan = zt->nspan;
		z.ndate = zt->ndate;
		for (size_t i = 0; i < zt->nbad; i++)
			doc_warn(doc, "boilerplate-rule-unusable", zt->bad[i]->id, 1);
	}
	if ((z.nline || z.nspan || z.ndate) && !doc->md && !(doc->md = rules_match_data(doc->rs)))
		return WARTA_ENOMEM;

	bool first = true, in_list = false;
	const rule *list_rule = NULL;
	int list_lines = 0;
	const char *t = doc->text;
	for (uint32_t ls = 0; ls < doc->len && !z.oom;) {
		const char *nl = memchr(t + ls, '\n', doc->len - ls);
		uint32_t le = nl ? (uint32_t)(nl - t) : doc->len;
		uint32_t next = nl ? le + 1 : doc->len;
		uint32_t s = ls, e = le;
		ls = next;
		S_trim(t, &s, &e);
		if (s == e)
			continue;
		bool was_first = first;
		first = false;
		const rule *r;
		int cls = S_line_class(&z, s, e, &r);

		if (in_list) {
			if (cls == C_RITEM || cls == C_RELATED || cls == C_RSTART ||
			    cls == C_META) {
				S_push(&z, Z_RELATED, e, list_rule);
				continue;
			}
			if (cls == C_NOISE) {
				S_push(&z, Z_NOISE, e, r);
				continue;
			}
			if (cls == C_NONE && list_lines < LIST_MAX_HEADLINES &&
			    S_headline_shaped(t + s, e - s, HEADLINE_MAX)) {
				list_lines++;
				S_push(&z, Z_RELATED, e, list_rule);
				continue;
			}
			in_list = false;
		}
		switch (cls) {
		case C_NOISE: S_push(&z, Z_NOISE, e, r); continue;
		case C_META: {
			uint32_t gs, ge;
			/* Only the head names the article's own site: a domain on a line
			 * of its own further down is a link in the text. */
			if (!doc->source && !z.body_seen && S_group(&z, r, s, "source", &gs, &ge))
				doc->source = S_clean(&doc->a, t + gs, ge - gs, true, true);
			S_push(&z, Z_META, e, r);
			continue;
		}
		case C_RSTART:
			in_list = true;
			list_rule = r;
			list_lines = 0;
			S_push(&z, Z_RELATED, e, r);
			continue;
		case C_RELATED:
		case C_RITEM: S_push(&z, Z_RELATED, e, r); continue;
		default: break;
		}
		/* An unclaimed line: the dateline paragraph, the title, or body. */
		uint32_t bs = s;
		if (!z.body_seen)
			bs = S_dateline(&z, s, e);
		if (was_first && bs == s && !doc->in_title && S_title_shaped(t + s, e - s) &&
		    S_more_text(doc, e)) {
			if (s > 0) /* white space before the title: not part of it */
				S_push(&z, Z_NOISE, s, NULL);
			S_push(&z, Z_TITLE, e, NULL);
			doc->title_zone = (int)doc->zones.n - 1;
			continue;
		}
		z.body_seen = true;
		if (bs < e)
			S_body(&z, bs, e);
	}
	if (z.oom)
		return WARTA_ENOMEM;
	if (!doc->zones.n) /* only white space */
		S_push(&z, Z_BODY, doc->len, NULL);
	else
		doc->zones.v[doc->zones.n - 1].end = doc->len;
	S_source_from_url(doc);
	return z.oom ? WARTA_ENOMEM : WARTA_OK;
}
