/* SPDX-License-Identifier: MIT */
#ifndef WARTA_INTERNAL_H
#define WARTA_INTERNAL_H

/* Types shared by the pipeline stages.
 *
 *   input bytes --normalize--> doc->text (NFC UTF-8) + doc->map (byte -> original code point)
 *        --zone--> zones --segment--> sentences, tokens
 *        --gazetteer, rules--> mention candidates --resolve--> entities
 *        --numbers--> numbers --dates--> dates --claims--> claims --emit--> warta/1
 *
 * Invariants: every span inside the pipeline is a pair of BYTE offsets
 * [start, end) into doc->text; only the emitters turn them into code points of
 * the original text (doc_cp()). Everything a document owns lives in its arena
 * and dies with warta_doc_free(). The ruleset is never written after loading.
 */

#include "warta.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ------------------------------------------------------------------ memory */

const warta_mem *mem_or_default(const warta_mem *mem);

typedef struct arena_block arena_block;
typedef struct arena {
	const warta_mem *mem;
	arena_block *head;
	size_t total; /* bytes handed out, for the stats */
} arena;

/* Returns zeroed memory valid until arena_free(), or NULL. */
void *arena_alloc(arena *a, size_t size);
/* The same, not zeroed: for memory the caller fills at once. */
void *arena_alloc_raw(arena *a, size_t size);
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_free(arena *a);

/* A growable array whose storage lives in an arena. */
#define VEC(T)                                                                                     \
	struct {                                                                                   \
		T *v;                                                                              \
		size_t n, cap;                                                                     \
	}

/* qsort(base, n, size, cmp), skipped when base is already in order: what
 * the stages sort (candidates, spans, mentions) mostly comes in text order.
 * The same result as glibc's stable merge sort for ties too. */
void sort_unless_sorted(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* Makes room for one more element; returns false when out of memory. */
bool vec_reserve_(arena *a, void **v, size_t n, size_t *cap, size_t elem);
/* Appends a zeroed element and returns it, or NULL when out of memory. */
#define VEC_PUSH(a, vec)                                                                           \
	((vec).n < (vec).cap ||                                                                    \
	         vec_reserve_((a), (void **)&(vec).v, (vec).n, &(vec).cap, sizeof(*(vec).v))       \
	     ? &(vec).v[(vec).n++]                                                                 \
	     : NULL)

/* ------------------------------------------------------------ diagnostics */

struct warta_diag {
	char *file;
	int line, col;
	char *msg;
	char *src; /* the source line, or NULL */
};

struct warta_diags {
	const warta_mem *mem;
	struct warta_diag *v;
	size_t n, cap;
	char *formatted; /* last warta_diags_format() result */
};

warta_diags *diags_new(const warta_mem *mem);
/* Appends a diagnostic; src may be NULL. Silently drops it when out of memory. */
void diags_add(warta_diags *d, const char *file, int line, int col, const char *src, size_t src_len,
               const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* ------------------------------------------------------------------ types */

typedef enum {
	T_NONE = 0,
	T_PERSON,
	T_COUNTRY,
	T_AGENCY,
	T_ORGANIZATION,
	T_LOCATION,
	T__COUNT
} etype;

const char *etype_name(etype t);
etype etype_parse(const char *s, size_t n); /* T_NONE when unknown */

typedef enum { Z_TITLE = 0, Z_META, Z_DATELINE, Z_BODY, Z_RELATED, Z_NOISE, Z__COUNT } zone_type;

const char *zone_name(zone_type z);
int zone_parse(const char *s, size_t n); /* -1 when unknown */

/* ---------------------------------------------------------- word lists (TSV) */

/* A TSV file as loaded: a header of column names and rows of cells. Cells are
 * NUL-terminated strings owned by the list. */
typedef struct tsv_row {
	char **cell;
	int line;
} tsv_row;

typedef struct wordlist {
	char *name; /* file name without folder and ".tsv": "units" */
	char *path; /* as printed in diagnostics and "rule" fields: "gazetteers/units.tsv" */
	char **col;
	size_t ncol;
	tsv_row *rows;
	size_t nrows;
	/* case-folded first-column index: open addressing over row numbers */
	uint32_t *index;
	size_t index_cap;
	/* each row's first cell as fold_utf8() gives it (NULL when too long),
	 * so a look-up folds only the word it is asked about */
	char **fold;
	uint32_t *fold_len;
	char *fold_pool; /* what fold points into */
} wordlist;

/* Loads a TSV file. Problems go to d; returns WARTA_OK or a negative code. */
int wordlist_load(wordlist *wl, const warta_mem *mem, const char *path, const char *shown_path,
                  warta_diags *d);
void wordlist_free(wordlist *wl, const warta_mem *mem);
/* Returns the column index of name, or -1. */
int wordlist_col(const wordlist *wl, const char *name);
/* Returns the row whose first cell equals (s, n) ignoring case, or NULL.
 * Runs of white space in s count as one space. */
const tsv_row *wordlist_find(const wordlist *wl, const char *s, size_t n);
/* Returns cell `col` of row, or "" when the column does not exist. */
const char *wordlist_cell(const wordlist *wl, const tsv_row *row, const char *col);
/* wordlist_cell() by the column's index (wordlist_col(), found once):
 * cell col of row, or "" when col < 0 or there is no row. */
static inline const char *tsv_cell(const tsv_row *row, int col)
{
	return col < 0 || !row ? "" : row->cell[col];
}

/* Case-folds UTF-8 (s, n) into buf (NUL-terminated, white space runs as one
 * space); returns the folded length, or (size_t)-1 when it does not fit. */
size_t fold_utf8(const char *s, size_t n, char *buf, size_t cap);
/* The same for ASCII text, with the FNV-1a hash of the result in *hash, in
 * one pass; (size_t)-1 for other text or no room (then use fold_utf8). */
size_t fold_ascii(const char *s, size_t n, char *buf, size_t cap, uint64_t *hash);

/* ------------------------------------------------------------------ rules */

typedef struct rule_attr {
	char *key, *value;
	int line;
} rule_attr;

typedef struct rule_example {
	char *text;               /* with the [ ] markers removed */
	int span_start, span_end; /* bytes of the bracketed part, or -1 */
	int line;
	bool counter;
} rule_example;

typedef struct rule {
	char *id;
	const char *file; /* "rules/date.rules" (owned by the rulefile) */
	int line;         /* line of "rule ID" */
	int priority;     /* default 50; larger wins overlaps */
	etype type;       /* T_NONE when the rule does not make entities */
	unsigned zones;   /* bit mask of zone_type; default: every zone but noise */
	pcre2_code *code;
	char *pattern; /* as expanded */
	char *need;    /* a literal the text must contain (folded), or NULL */
	rule_attr *attr;
	size_t nattr;
	rule_example *ex;
	size_t nex;
	uint32_t capture_count;
	/* the numbers of the groups "name" and "canonical", or -1: looked up
	 * by name for each match, they cost more than the rest of a mention */
	int32_t group_name, group_canonical;
	bool pattern_seen;          /* a pattern line was read (it may have failed) */
	pcre2_code *code_at;        /* the pattern compiled anchored (JIT): for entity rules, tried
	                               only at word starts, and for rule_match_at(); or NULL */
	struct rule_filter *filter; /* where a match may start (rules.c), or NULL */
	pcre2_code *anchored;       /* with a filter: the pattern compiled anchored, JIT for
	                               partial matching (code_at when there is one) */
	/* For a pattern that opens with ^: the bytes a match can start with (bit
	 * b of first[b / 8]), so a caller can skip a subject that starts with
	 * any other; every byte >= 0x80 counts as possible. */
	bool first_known;
	uint8_t first[32];
	/* `near`: tried at p only where a word of its lists starts in
	 * [p - near_before, p + near_after] (bit i of the file's near table) */
	bool near;
	uint32_t near_before, near_after;
	/* Set once the codes above are JIT-compiled, which rule_ready() does on
	 * the rule's first use (a rule no text needs costs no JIT time). */
	atomic_bool jit_ready;
	/* The load cache (rcache.c): the key of what loading computes from the
	 * pattern alone, and whether that came from the cache. */
	uint64_t cache_key;
	bool cached;
	uint8_t filter_kind; /* 1 + S_filterable() of the pattern (rules.c), 0 until known */
	bool is_class;       /* a test ("test NAME ..."), asked through callouts, never scanned */
	/* A test whose alternatives rules.c answers by walking the lists they
	 * open with, without PCRE2 (rules.c, S_test_split); NULL for others */
	struct test_split *split;
} rule;

typedef struct rulefile {
	char *name; /* "date" for rules/date.rules */
	char *path; /* "rules/date.rules" */
	rule *rules;
	size_t n;
	/* which filtered rules (bit i = rules[i], i < 64) may start a match on
	 * given bytes (rules.c); NULL when no rule is filtered */
	struct rule_starts *starts;
	uint64_t filtered;       /* the rules that have a filter */
	uint64_t anywhere;       /* those of them that may start after a letter */
	uint64_t near_filtered;  /* those of them that `near` restricts (rules.c, S_near_cands) */
	struct near_table *near; /* folded word -> the rules it lets run, or NULL */
	uint8_t near_bit;        /* its bit in ruleset.near_bloom (shared past 8 files) */
	size_t first;            /* the number of rules[0] among all files' */
} rulefile;

/* Makes r ready to match: JIT-compiles its codes on the first call, under
 * a lock, so that worker threads sharing the ruleset may call it at once;
 * later calls cost one atomic load. Every path that matches r calls it
 * first, so a rule never runs interpreted where it used to run JIT code. */
void rule_ready(const rule *r);

/* Returns the attribute's value or NULL. */
const char *rule_attr_get(const rule *r, const char *key);

/* One match of one rule. Offsets are bytes into the text that was scanned
 * (doc->text for rules_scan). */
typedef struct rule_match {
	const rule *r;
	size_t start, end;
	const PCRE2_SIZE *ov; /* the ovector: pairs, ov[2*g], ov[2*g+1] */
	uint32_t npairs;
} rule_match;

/* Fetches named group `name` of a match; returns false when the group does
 * not exist or did not take part. */
bool rule_group(const rule_match *m, const char *name, size_t *start, size_t *end);
/* The same for group number g (-1: none), as rule.group_name has it. */
bool rule_group_at(const rule_match *m, int32_t g, size_t *start, size_t *end);

/* Callback for each match; return nonzero to stop scanning. */
typedef int (*rule_cb)(warta_doc *doc, const rule_match *m, void *ctx);

/* Runs every rule of rf over doc->text[from, to), each rule only within the
 * zones it allows, reporting matches in rule order, then text order (a rule
 * whose pattern opens with \G is skipped: it is asked with rule_match_at). Matches
 * that hit a PCRE2 limit are reported once per rule as a document warning.
 * Returns WARTA_OK or a negative code. */
int rules_scan(warta_doc *doc, const rulefile *rf, size_t from, size_t to, rule_cb cb, void *ctx);
/* rules_scan over the whole of each of docs[0, n), rule by rule: each rule
 * runs over every article before the next one starts. rcs[k] is the result
 * for docs[k]; a document whose rcs[k] is not WARTA_OK on entry is skipped. */
void rules_scan_batch(warta_doc **docs, size_t n, int *rcs, const rulefile *rf, rule_cb cb,
                      void *ctx);

/* Matches r anchored at doc->text[at] and ending by `to`; fills *m (valid
 * until the next match on doc). Returns false on no match or a limit. */
bool rule_match_at(warta_doc *doc, const rule *r, size_t at, size_t to, rule_match *m);

/* Runs one rule over (s, n) (no zones), for EXAMPLE checks and unit tests.
 * md must come from rules_match_data(). Returns matches found (calls cb). */
int rule_scan_text(const warta_ruleset *rs, const rule *r, const char *s, size_t n,
                   pcre2_match_data *md, int (*cb)(const rule_match *m, void *ctx), void *ctx);
pcre2_match_data *rules_match_data(const warta_ruleset *rs);

/* Loads one rule file. Word lists named by "@file.tsv" macros are looked up in
 * rs (already loaded). Returns WARTA_OK or WARTA_ERULE (diagnostics in d). */
/* Returns whether a rule with `near` may match at s[at] by its lists (true
 * for a rule without): what rules_scan() applies, for `warta check`. */
bool rule_near_ok(const rulefile *rf, const rule *r, const char *s, size_t n, size_t at);

int rulefile_load(warta_ruleset *rs, rulefile *rf, const char *path, const char *shown_path,
                  warta_diags *d);
/* Compiles and JIT-compiles every loaded rule for the way it is scanned, on
 * as many threads as there are cores, then learns the start filters. */
int rules_prepare(warta_ruleset *rs);
void rulefile_free(rulefile *rf, const warta_mem *mem);

/* -------------------------------------------------------------- gazetteer */

typedef struct gz_entry {
	const char *id;   /* "iso3166:KP", "person:kim-jong-un" */
	const char *name; /* canonical name */
	etype type;
	const char *file; /* "gazetteers/people.tsv" */
	int line;
	bool external_id; /* id comes from a real authority (iso3166:, wikidata:) */
} gz_entry;

typedef struct gazetteer gazetteer; /* defined in gazetteer.c */

/* Loads every entity list (a TSV whose header has id, type and name) of the
 * ruleset's word lists into one automaton. */
int gazetteer_build(warta_ruleset *rs, warta_diags *d);
void gazetteer_free(gazetteer *g, const warta_mem *mem);
/* Looks a form up exactly (case-folded as the matcher does); NULL if absent. */
const gz_entry *gazetteer_lookup(const gazetteer *g, const char *s, size_t n);
/* Reports clashes (one form claimed by two types) to d; returns their number. */
size_t gazetteer_check(const gazetteer *g, warta_diags *d);

/* ---------------------------------------------------------------- ruleset */

struct warta_ruleset {
	const warta_mem *mem;
	char *datadir;
	warta_limits limits;
	wordlist *lists; /* every gazetteers/\*.tsv */
	size_t nlists;
	rulefile *files; /* every rules/\*.rules */
	size_t nfiles;
	size_t nrules; /* the rules of all files */
	gazetteer *gz;
	pcre2_match_context *mctx;
	pcre2_general_context *gctx;
	uint32_t max_captures;
	struct list_trie **ltries; /* the lists rule macros select (rules.c) */
	struct list_memo *lmemo;   /* while loading: list macro bodies already built */
	size_t nlmemo, caplmemo;
	/* per byte: bit 8 when some filtered rule may start on it, bit f & 7
	 * when a rule of files[f] outside its near_filtered may (rules.c) */
	uint16_t start_files[256];
	/* the words of every near list, hashed to one of 32768 buckets; a
	 * bucket holds the near_bit of each file with a word there (rules.c) */
	uint8_t near_bloom[32768];
	unsigned nnear_files; /* the files with near lists, as numbered while loading */
	size_t nltries, capltries;
	struct ladders *ladders; /* runs of look-behinds answered in C (rules.c), or NULL */
	rule **classes;          /* the tests of every file, by the id their callouts name */
	size_t nclasses, capclasses;
	struct numtab *numtab;   /* the numbers stage's word tables (numbers_prepare) */
	struct zonetab *zonetab; /* the zone stage's rule table (zone_prepare), or NULL */
	struct rcache *rcache;   /* the load cache while loading, or NULL */
	uint64_t cache_salt;     /* what every key of it depends on (rules_cache_salt) */
	/* the claims stage's lists, columns and rule roles (claims_prepare) */
	struct claimtab *claimtab;
	/* the dates stage's lists, columns, rule groups and word kinds (dates_prepare) */
	struct datetab *datetab;
	/* the resolve stage's lists and their kind columns (resolve_prepare) */
	struct resolvetab *resolvetab;
};

const wordlist *ruleset_list(const warta_ruleset *rs, const char *name);
/* out[k] = ruleset_list(rs, names[k]) for k < n, in one pass over the lists
 * (wordlist.c): what a stage asks of every article. */
void ruleset_lists(const warta_ruleset *rs, const char *const *names, size_t n,
                   const wordlist **out);

/* ------------------------------------------------ load cache (rcache.c) */

/* A fast 64-bit hash of p[0, n), chained through seed; not cryptographic. */
uint64_t hash64(const void *p, size_t n, uint64_t seed);

typedef struct rcache rcache;
/* The cache of the data folder datadir in the folder dir; reads the file
 * when its salt matches and it is intact, else starts empty. NULL when dir
 * is NULL or empty (no cache) or out of memory: every call accepts NULL. */
rcache *rcache_open(const warta_mem *mem, const char *dir, const char *datadir, uint64_t salt);
/* The blob stored under key, or NULL; *n receives its size. Valid until
 * rcache_close(). */
const void *rcache_get(rcache *c, uint64_t key, size_t *n);
/* Stores a copy of blob under key; false when out of memory. */
bool rcache_put(rcache *c, uint64_t key, const void *blob, size_t n);
/* With save, rewrites the file when an entry was added or one read went
 * unused (best effort, atomically); frees c. A load that failed does not
 * save: the entries of the rules it did not reach are kept. */
void rcache_close(rcache *c, bool save);
/* The cache files a folder keeps after a write: the most recently used, by
 * modification time (a load touches a file it reads when the time is over
 * an hour old). */
#define RCACHE_KEEP 16
/* Deletes the least recently used cache files ("rules-*.cache") of dir beyond
 * the keep most recent (keep >= 1), the file named spare counting as one of them and never
 * deleted; best effort, silent. */
void rcache_prune(const warta_mem *mem, const char *dir, size_t keep, const char *spare);

/* What every cache key of rs depends on besides the pattern: the cache
 * format, the PCRE2 version, the limits the probes run under. */
uint64_t rules_cache_salt(const warta_ruleset *rs);
/* Stores what loading computed for the rules the cache did not have. */
int rules_cache_store(warta_ruleset *rs);

/* The PCRE2 callout through which a pattern asks whether a list macro's word
 * starts at a position, or whether a test holds there (rules.c); its
 * data is the ruleset. */
int rules_list_callout(pcre2_callout_block *cb, void *data);
/* Frees the tests of rs (rules.c). */
void rules_classes_free(warta_ruleset *rs);
/* Frees what rules.c keeps for doc beyond its arena. */
void rules_doc_free(warta_doc *doc);
void rules_lists_free(warta_ruleset *rs);
const rulefile *ruleset_rules(const warta_ruleset *rs, const char *name);

/* --------------------------------------------------------------- document */

typedef struct zone {
	zone_type type;
	uint32_t start, end;
	const rule *rule; /* the boilerplate rule that classified it, or NULL */
} zone;

typedef struct sentence {
	uint32_t start, end;
	zone_type zone;
	uint32_t tok, ntok; /* first token and count */
} sentence;

enum tok_kind { TK_WORD = 1, TK_NUM, TK_PUNCT, TK_SYM };
enum tok_flag {
	TF_CAP = 1 << 0,    /* first letter upper case */
	TF_ALLCAP = 1 << 1, /* every letter upper case, at least two */
	TF_DIGIT = 1 << 2,  /* contains a digit */
	TF_ABBR = 1 << 3,   /* an abbreviation whose dot belongs to it */
	TF_SENT_START = 1 << 4,
};

typedef struct token {
	uint32_t start, end;
	uint32_t sent;
	uint8_t kind;
	uint8_t flags;
} token;

typedef struct mention {
	uint32_t start, end;
	etype type;
	int priority;
	zone_type zone;
	const gz_entry *entry; /* list row, or NULL for a rule */
	const rule *rule;      /* rule, or NULL for a list row */
	const char *name;      /* canonical name (entry->name or the span, cleaned) */
	const char *key;       /* stable key: entry->id or "<type>:<slug>" */
	bool short_form;       /* a "~" form: kept only when its entity is named in full */
	bool dropped;          /* lost an overlap (kept for --trace) */
	const char *why;       /* why it was dropped */
	int entity;            /* index into doc->entities after resolve, or -1 */
	bool attribute;        /* dropped as a country qualifying a noun or a name:
	                          kept for the record's "attributes" */
} mention;

typedef struct entity {
	etype type;
	const char *name, *key;
	const char *kb; /* external id or NULL */
	uint32_t nmentions;
	uint32_t first; /* index of its first mention */
	bool related;   /* found only in the related-headlines zone */
} entity;

typedef enum { Q_NONE = 0, Q_APPROX, Q_LOWER, Q_UPPER, Q_RANGE } qualifier;

typedef struct number {
	uint32_t start, end;   /* the whole expression, qualifier included */
	uint32_t vstart, vend; /* the numeral itself */
	double value;          /* the point value (for a range: the high end) */
	double low, high;      /* bounds; NAN when open */
	qualifier qual;
	bool approx;
	const char *currency; /* ISO 4217 ("IDR", "USD") or NULL */
	bool percent;
	const rule *rule;
	zone_type zone;
	uint32_t sent;
	bool used; /* taken by a claim */
} number;

typedef struct date {
	uint32_t start, end;
	char value[40];   /* ISO 8601 at the stated precision, "" when unknown */
	const char *type; /* "DATE" or "TIME" */
	bool relative;    /* resolved against (or needing) the publication date */
	const rule *rule;
	zone_type zone;
	uint32_t sent;
} date;

typedef struct claim {
	uint32_t start, end;
	int number;                 /* index into doc->numbers */
	const char *unit;           /* canonical unit or NULL */
	uint32_t ustart, uend;      /* unit span, when found */
	const char *category;       /* personnel, casualties, ..., other */
	const char *predicate;      /* governing verb as written, or NULL */
	int subject, source, place; /* entity indices or -1 */
	int date;                   /* date index or -1 */
	const char *hedge;
	bool partitive;   /* unit taken from an earlier claim */
	int partitive_of; /* claim index or -1 */
	const rule *rule;
	const char *rule_ref; /* when no rule object applies */
	zone_type zone;
	uint32_t sent;
} claim;

typedef struct warning {
	const char *code;
	const char *detail; /* may be NULL */
	uint32_t count;
} warning;

struct warta_doc {
	const warta_ruleset *rs;
	arena a;
	int options;

	char *id;
	const char *orig; /* the original text (arena copy) */
	size_t orig_len;
	char *in_title; /* title given apart from the text (JSONL), or NULL */
	char *url;
	char *published;            /* YYYY-MM-DD or shorter, or NULL */
	const char *published_from; /* "input", "cli", "text" or NULL */

	/* normalize */
	char *text; /* len bytes, then at least 64 zero bytes: scans may read past
	             * the end without a bound test (rules.c, numbers.c), and
	             * PCRE2's JIT reads a little past a subject */
	uint32_t len;
	uint32_t *map; /* len+1 entries: original code point of each byte; NULL = identity */

	/* zone */
	VEC(zone) zones;
	char *source;          /* "republika.co.id", or NULL */
	char *dateline_place;  /* "Pyongyang", or NULL */
	char *dateline_outlet; /* "REPUBLIKA.CO.ID", or NULL */
	int title_zone;        /* index into zones, or -1 */

	VEC(sentence) sents;
	VEC(token) toks;
	VEC(mention) mentions;
	VEC(entity) entities;
	VEC(number) numbers;
	VEC(date) dates;
	VEC(claim) claims;
	VEC(warning) warnings;

	pcre2_match_data *md;
	struct near_words *nearw;     /* its words' hashes, for `near` rules (rules.c) */
	struct cand_starts *cstarts;  /* where filtered rules may start (rules.c) */
	struct scan_scratch *scratch; /* rules_scan's reused buffers (rules.c) */
	struct class_memo *cmemo;     /* the answers of tests so far (rules.c) */

	/* an error record instead of a normal one */
	int error_code;
	const char *error_name; /* "invalid-json", "too-big", ... */
	char *error_msg;

	uint64_t stage_ns[16];       /* with WARTA_OPT_TIMES: nanoseconds per stage */
	struct rule_prof *rule_prof; /* with WARTA_OPT_RULE_TIMES: per rule (rules.c) */
};

/* A monotonic clock, in nanoseconds (the stage and rule timings). */
uint64_t clock_ns(void);

/* Adds n to the warning named code (created when new); detail may be NULL. */
void doc_warn(warta_doc *doc, const char *code, const char *detail, uint32_t n);
/* Maps a byte offset of doc->text to a code point offset of the original.
 * Inline: the writer asks it twice per span. */
static inline uint32_t doc_cp(const warta_doc *doc, uint32_t byte)
{
	if (byte > doc->len)
		byte = doc->len;
	return doc->map ? doc->map[byte] : byte;
}
/* Returns the zone holding byte offset `at`. */
zone_type doc_zone_at(const warta_doc *doc, uint32_t at);
/* Returns the sentence holding byte offset `at`, or -1. */
int doc_sent_at(const warta_doc *doc, uint32_t at);
/* Returns the first token whose end is > at (binary search), or doc->toks.n. */
size_t doc_tok_at(const warta_doc *doc, uint32_t at);
/* Creates an empty document for rs (for the stages' unit tests). */
warta_doc *doc_new(const warta_ruleset *rs, int options);
/* Sets doc->text to (s, n) as if normalize had run on ASCII input. */
int doc_set_text(warta_doc *doc, const char *s, size_t n);

/* ----------------------------------------------------------------- stages */

int normalize_run(warta_doc *doc); /* orig -> text, map */
int zone_run(warta_doc *doc);      /* text -> zones, meta */
int segment_run(warta_doc *doc);   /* zones -> sentences, tokens */
int gazetteer_run(warta_doc *doc); /* tokens -> mentions (lists) */
int rules_run(warta_doc *doc);     /* text -> mentions (entity rules) */
/* rules_run over docs[0, n) at once, rule by rule; rcs[k] as rules_run's
 * result for docs[k] (a document whose rcs[k] is set on entry is skipped). */
void rules_run_batch(warta_doc **docs, size_t n, int *rcs);
int resolve_run(warta_doc *doc); /* mentions -> entities */
int numbers_run(warta_doc *doc); /* text -> numbers */
int dates_run(warta_doc *doc);   /* text -> dates */
int claims_run(warta_doc *doc);  /* numbers, entities, dates -> claims */

/* ---------------------------------------------------------------- emitters */

struct cJSON;
/* Builds the warta/1 record of doc as a cJSON tree (caller cJSON_Delete()s). */
struct cJSON *emit_record(const warta_doc *doc);
/* Writes the same record as one line of JSON, as cJSON_PrintUnformatted()
 * would print emit_record() (see emit_json.c); *len (if not NULL) receives
 * its length. Caller frees with free(); NULL when out of memory. */
char *emit_json_line(const warta_doc *doc, size_t *len);

/* Builds rs->numtab from the lists numbers.c reads, once per ruleset (so the
 * stage does no per-document set-up); numbers_free() releases it. */
int numbers_prepare(warta_ruleset *rs);
void numbers_free(warta_ruleset *rs);

/* Builds rs->zonetab, the sorted boilerplate rules and the bytes each needs
 * in a line, once per ruleset; zone_run() builds its table per article when
 * it is absent. zone_free() releases it. */
int zone_prepare(warta_ruleset *rs);
void zone_free(warta_ruleset *rs);

/* Builds rs->claimtab, the lists, columns and rule roles claims.c reads,
 * once per ruleset; claims_run() finds them per article when it is absent.
 * claims_free() releases it. */
int claims_prepare(warta_ruleset *rs);
void claims_free(warta_ruleset *rs);

/* Builds rs->datetab, the lists, columns, rule group slots and word kinds
 * dates.c reads, once per ruleset; dates_run() finds nothing without it.
 * dates_free() releases it. */
int dates_prepare(warta_ruleset *rs);
void dates_free(warta_ruleset *rs);

/* Builds rs->resolvetab, the lists and columns resolve.c reads, once per
 * ruleset; resolve_run() finds them per article when it is absent.
 * resolve_free() releases it. */
int resolve_prepare(warta_ruleset *rs);
void resolve_free(warta_ruleset *rs);

/* Parses an Indonesian numeral at s[0..n) in whole; for unit tests and the
 * number fuzzer. Returns true and the value when the whole string is one. */
bool numbers_parse(const warta_ruleset *rs, const char *s, size_t n, double *value);

#endif
