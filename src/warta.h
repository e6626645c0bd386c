/* SPDX-License-Identifier: MIT */
#ifndef WARTA_H
#define WARTA_H

/** # warta: entities and numeric facts from Indonesian news
 *
 * Two lifetimes, as with PCRE2's code and match data:
 *
 * - `warta_ruleset` holds the compiled rules and lists. It is immutable once
 *   loaded and may be shared by any number of threads.
 * - `warta_doc` holds one article and everything extracted from it. It belongs
 *   to one thread at a time.
 *
 * Text is always passed as (pointer, length) and need not be NUL-terminated.
 * The library never prints and never exits; every failure is a negative
 * `WARTA_E*` code and `warta_strerror()` names it.
 */

#include <stddef.h>

#if defined(WARTA_BUILDING) && defined(__GNUC__)
#define WARTA_EXPORT __attribute__((visibility("default")))
#else
#define WARTA_EXPORT
#endif

#define WARTA_VERSION "0.1.0"
#define WARTA_SCHEMA  "warta/1"

/** ## Error codes */
enum {
	WARTA_OK = 0,
	WARTA_ENOMEM = -1,  /* out of memory */
	WARTA_EIO = -2,     /* a file could not be read */
	WARTA_ERULE = -3,   /* a rule or list file is wrong (see the diagnostics) */
	WARTA_EINPUT = -4,  /* the article cannot be processed (see the message) */
	WARTA_ETOOBIG = -5, /* the article exceeds the size limit */
	WARTA_EINVAL = -6,  /* a bad argument */
	WARTA_EFORMAT = -7, /* an unknown output format */
};

/** Returns a static, human-readable text for a `WARTA_E*` code. */
WARTA_EXPORT const char *warta_strerror(int code);

/** Returns the library version, "MAJOR.MINOR.PATCH". */
WARTA_EXPORT const char *warta_version(void);

/** ## Memory
 *
 * Every allocation goes through this table, so tests can inject failures.
 * Pass NULL where a `warta_mem` is asked for to use the C library.
 */
typedef struct warta_mem {
	void *(*calloc)(size_t nmemb, size_t size);
	void *(*realloc)(void *ptr, size_t size);
	void (*free)(void *ptr);
} warta_mem;

/** ## Diagnostics
 *
 * Loading rules and lists collects every problem it finds (it does not stop at
 * the first) and fails at the end. Each diagnostic names a file, a 1-based
 * line and column (0 when unknown), a message and the offending source line.
 */
typedef struct warta_diags warta_diags;

/** Returns the number of diagnostics. Accepts NULL (returns 0). */
WARTA_EXPORT size_t warta_diags_count(const warta_diags *d);

/** Formats diagnostic `i` as "file:line:col: error: msg", the source line and
 * a caret under the column. Returns a string valid until warta_diags_free(). */
WARTA_EXPORT const char *warta_diags_format(warta_diags *d, size_t i);

/** Frees the diagnostics. Accepts NULL. */
WARTA_EXPORT void warta_diags_free(warta_diags *d);

/** ## Ruleset */
typedef struct warta_ruleset warta_ruleset;

typedef struct warta_limits {
	size_t max_article_bytes; /* larger articles get an error record; 0 = default (64 MiB) */
	unsigned match_limit;     /* PCRE2 match limit per rule call; 0 = default */
	unsigned depth_limit;     /* PCRE2 depth limit per rule call; 0 = default */
	unsigned heap_limit_kib;  /* PCRE2 heap limit per rule call; 0 = default */
	size_t max_mentions;      /* mentions kept per article; 0 = default (100000) */
	/* A folder where loading keeps the compiled rules and their start
	 * filters for the next load of the same data (created if missing, best
	 * effort: any problem with it only makes loading slower); NULL: none. */
	const char *cache_dir;
} warta_limits;

/** Loads every rule file of DATADIR/rules and every list of DATADIR/gazetteers.
 *
 * Arguments:
 *   datadir  folder holding rules/ and gazetteers/
 *   limits   NULL for the defaults
 *   mem      NULL for the C library
 *   out      receives the ruleset; caller frees with warta_ruleset_free()
 *   diags    if not NULL, receives the diagnostics (even on success, may be
 *            empty); caller frees with warta_diags_free()
 * Returns WARTA_OK, WARTA_EIO, WARTA_ERULE or WARTA_ENOMEM.
 *
 * Rules the cache (limits->cache_dir) does not hold are compiled on one
 * short-lived thread per online core (up to 8), joined before it returns;
 * `mem` is only ever called from the calling thread. A rule is JIT-compiled
 * when an article first needs it, under a lock, on the thread that needs it.
 */
WARTA_EXPORT int warta_ruleset_load(const char *datadir, const warta_limits *limits,
                                    const warta_mem *mem, warta_ruleset **out, warta_diags **diags);

/** Checks every rule's EXAMPLE and COUNTER lines and every list for clashes.
 * Appends problems to *diags (created if NULL). Returns the number of problems. */
WARTA_EXPORT size_t warta_ruleset_check(const warta_ruleset *rs, warta_diags **diags);

/** Frees a ruleset. Accepts NULL. No document made from it may be in use. */
WARTA_EXPORT void warta_ruleset_free(warta_ruleset *rs);

/** ## Articles */
typedef struct warta_input {
	const char *id;
	size_t id_len;
	const char *text; /* the article; NULL is an error */
	size_t text_len;
	const char *title; /* NULL when the text carries its own title line */
	size_t title_len;
	const char *url;
	size_t url_len;
	const char *date; /* publication date, YYYY-MM-DD..., or NULL */
	size_t date_len;
	const char *date_origin; /* "input" or "cli": where date came from */
} warta_input;

enum {
	WARTA_OPT_TRACE = 1 << 0,      /* also report candidates that lost an overlap */
	WARTA_OPT_TIMES = 1 << 1,      /* time each stage (see warta_doc_stage_ns) */
	WARTA_OPT_RULE_TIMES = 1 << 2, /* time each rule (see warta_doc_rule_ns) */
};

typedef struct warta_doc warta_doc;

/** Runs the whole pipeline on one article.
 *
 * Returns WARTA_OK and a document in *out, or a negative code; on
 * WARTA_EINPUT/WARTA_ETOOBIG *out still holds a document whose record is an
 * error record. Caller frees *out with warta_doc_free().
 */
WARTA_EXPORT int warta_extract(const warta_ruleset *rs, const warta_input *in, int options,
                               warta_doc **out);

/** Runs the whole pipeline on n articles at once: out[k] and rc[k] are what
 * warta_extract() would give for in[k], byte for byte. Faster than n calls
 * on short articles: each rule runs over all of them before the next rule,
 * so its code stays in the processor's caches. Articles are taken 64 at a
 * time; their documents all live until the caller frees them.
 *
 * Returns WARTA_EINVAL (and no documents) when an argument is NULL, else
 * WARTA_OK; each article's own result is in rc[k].
 */
WARTA_EXPORT int warta_extract_batch(const warta_ruleset *rs, const warta_input *in, size_t n,
                                     int options, warta_doc **out, int *rc);

/** Frees a document and everything it owns. Accepts NULL. */
WARTA_EXPORT void warta_doc_free(warta_doc *doc);

/** Renders the document's warta/1 record as one line of JSON (no newline).
 * Returns a string the caller frees with free(), or NULL when out of memory. */
WARTA_EXPORT char *warta_doc_json(const warta_doc *doc);

/** One-shot: extracts from `in` and returns its JSON record (caller frees
 * with free()), or NULL when out of memory. An article that cannot be
 * processed yields an error record, not NULL. */
WARTA_EXPORT char *warta_extract_json(const warta_ruleset *rs, const warta_input *in);

/** ## Entity iterator
 *
 * Walks the resolved entities of a document in order of first mention.
 * Strings are valid until warta_doc_free().
 */
typedef struct warta_entity {
	const char *id;   /* "e1", "e2" ... within the document */
	const char *type; /* PERSON, COUNTRY, AGENCY, ORGANIZATION or LOCATION */
	const char *name; /* canonical name */
	const char *key;  /* stable key across articles */
	size_t mentions;  /* number of mentions */
} warta_entity;

typedef struct warta_iter {
	const warta_doc *doc;
	size_t next;
	char idbuf[24]; /* holds the current entity's id */
} warta_iter;

/** Starts an iteration over the entities of `doc`. */
WARTA_EXPORT warta_iter warta_iter_entities(const warta_doc *doc);

/** Fills *e with the next entity and returns 1, or returns 0 at the end. */
WARTA_EXPORT int warta_iter_next(warta_iter *it, warta_entity *e);

/** ## Counts
 *
 * What a document holds, for batch statistics, without walking the record.
 * Claims are also counted per category, in order of first appearance; a
 * document with more than WARTA_MAX_CATEGORIES categories counts the rest in
 * `claims` only. Category strings are valid until warta_doc_free().
 */
#define WARTA_MAX_CATEGORIES 16

typedef struct warta_category_count {
	const char *category;
	size_t count;
} warta_category_count;

typedef struct warta_counts {
	size_t entities, mentions, dates, claims, numbers;
	size_t warnings; /* sum of the warnings' counts */
	size_t ncategories;
	warta_category_count categories[WARTA_MAX_CATEGORIES];
} warta_counts;

/** Fills *c with the document's counts (all zero for an error record). */
WARTA_EXPORT void warta_doc_counts(const warta_doc *doc, warta_counts *c);

/** ## Stage timing
 *
 * With WARTA_OPT_TIMES, warta_extract() measures each pipeline stage with a
 * monotonic clock (for `make bench` and `warta extract --stage-times`).
 */

/** Returns the number of pipeline stages. */
WARTA_EXPORT size_t warta_stage_count(void);

/** Returns the name of stage i ("normalize", "zone" ...), or NULL. */
WARTA_EXPORT const char *warta_stage_name(size_t i);

/** Stores the nanoseconds each stage took into ns[0..n) (zeros without
 * WARTA_OPT_TIMES) and returns warta_stage_count(). */
WARTA_EXPORT size_t warta_doc_stage_ns(const warta_doc *doc, unsigned long long *ns, size_t n);

/** ## Rule timing
 *
 * With WARTA_OPT_RULE_TIMES, each rule that the rules, dates and claims
 * stages run is timed on its own (`warta extract --rule-times`): the time
 * includes the tests the rule asks. boilerplate.rules and number.rules are
 * compiled into the zone and numbers stages' own tables and are not timed
 * rule by rule. Rules are numbered 0 .. warta_rule_count() - 1, file by file
 * in name order, each file's in the order it gives them.
 */

/** Returns the number of rules of rs. */
WARTA_EXPORT size_t warta_rule_count(const warta_ruleset *rs);

/** Returns the id of rule k ("person-after-title"), or NULL when there is
 * no rule k; sets *file ("rules/person.rules") and *line when not NULL. */
WARTA_EXPORT const char *warta_rule_id(const warta_ruleset *rs, size_t k, const char **file,
                                       int *line);

/** Stores the nanoseconds rule k took on the document into ns[k] and the
 * matches it found into matches[k] (either may be NULL), for k < n; zeros
 * without WARTA_OPT_RULE_TIMES. Returns warta_rule_count(). */
WARTA_EXPORT size_t warta_doc_rule_ns(const warta_doc *doc, unsigned long long *ns,
                                      unsigned long long *matches, size_t n);

#endif
