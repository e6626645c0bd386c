/* SPDX-License-Identifier: MIT */
/* Stage 6 and the rule-file format shared by every stage (rules/README.md).
 *
 * Loading: a rule file is read line by line into rules; macros ({NAME}) are
 * expanded, every pattern is compiled with PCRE2_UTF|PCRE2_UCP, and JIT-compiled
 * when a text first needs it (rule_ready).
 * Each problem is reported as file:line:col with the source line, and the load
 * fails at the end. Scanning: rules_scan() runs a file's rules over the zones
 * each rule allows; rules_run() turns the entity rules into mention
 * candidates for resolve. Match and depth limits are always set, so a rule
 * that backtracks forever costs a warning, never a hang.
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "bytemask.h"

/* ----------------------------------------------------------- loading */

typedef struct macro {
	char *name;
	char *body; /* expanded, with list macros as callouts */
	char *src;  /* as written: the source of the prefix-tree form */
	char *trie; /* expanded with list macros as prefix trees, once needed */
	bool list;  /* src is a list spec "name.tsv[col=value]" */
	int col;
} macro;

/* A piece of an expanded pattern: where it came from, for error columns. */
typedef struct piece {
	size_t at;  /* offset in the expansion */
	int col;    /* 1-based column in the source line */
	bool macro; /* whole piece stands for one {NAME} at col */
} piece;

typedef struct loader {
	warta_ruleset *rs;
	const warta_mem *mem;
	warta_diags *d;
	const char *shown;
	macro *macros;
	size_t nmacros, capmacros;
	char **keys; /* attribute keys the file declared */
	size_t nkeys, capkeys;
	int errors;
	int lineno;
	const char *line;
	size_t linelen;
	struct near_pending *nearw; /* (word hash, rule index) of `near` lists */
	size_t nnear, capnear;
	size_t rule_index; /* of the rule being read */
	bool tries;        /* expand list macros as prefix trees, not callouts */
	rulefile *rf;
	struct class_name *cnames; /* the classes this file defined */
	size_t ncnames, capcnames;
	bool in_class; /* expanding a class's own pattern */
} loader;

struct class_name {
	char *name;
	size_t id; /* in rs->classes */
};

struct near_pending {
	uint64_t hash;
	size_t rule;
};

static const char *const S_builtin_keys[] = {"pattern", "priority", "type", "zone",
                                             "example", "counter",  "need", "near"};

static void S_err(loader *L, int col, const char *fmt, const char *a, const char *b)
{
	char msg[600];
	snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
	diags_add(L->d, L->shown, L->lineno, col, L->line, L->linelen, "%s", msg);
	L->errors++;
}

/* Returns the offset of the first byte of s that is not valid UTF-8, or -1.
 * Examples are matched with PCRE2_NO_UTF_CHECK: invalid bytes there would
 * send the matcher (JIT code above all) past the end of the subject. */
static long S_bad_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			return (long)i;
		i += (size_t)k;
	}
	return -1;
}

static char *S_dup(const warta_mem *mem, const char *s, size_t n)
{
	char *p = mem->calloc(1, n + 1);
	if (p && n)
		memcpy(p, s, n);
	return p;
}

typedef struct sbuf {
	const warta_mem *mem;
	char *s;
	size_t n, cap;
	bool oom;
} sbuf;

static void S_put(sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		while (nc < b->n + n + 1)
			nc *= 2;
		char *ns = b->mem->realloc(b->s, nc);
		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = nc;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static const macro *S_macro(const loader *L, const char *name, size_t n)
{
	for (size_t i = 0; i < L->nmacros; i++)
		if (strlen(L->macros[i].name) == n && memcmp(L->macros[i].name, name, n) == 0)
			return &L->macros[i];
	return NULL;
}

static bool S_is_macro_start(const char *p, size_t left)
{
	size_t k = left >= 4 && p[0] == '{' && (p[1] == '?' || p[1] == '!'); /* {?CLASS} */
	return left >= 3 + k && p[0] == '{' &&
	       (isupper((unsigned char)p[1 + k]) || p[1 + k] == '_');
}

static bool S_class_ref(loader *L, const char *name, size_t n, char sign, int col, sbuf *out);

static const char *S_trie_body(loader *L, macro *m);

/* Expands {NAME} references of src (at column col0 of the line) into out,
 * recording pieces for error columns. Returns false after reporting. */
static bool S_expand(loader *L, const char *src, size_t n, int col0, sbuf *out, piece *pieces,
                     size_t *npieces, size_t maxpieces)
{
	size_t i = 0, lit = 0;
	while (i <= n) {
		if (i == n || (src[i] == '\\' && i + 1 < n) || S_is_macro_start(src + i, n - i)) {
			if (i < n && src[i] == '\\') {
				/* \{ is a brace; \p{Lu}, \x{..}, \g{..} and the other
				 * escapes that take a braced argument keep their braces;
				 * after any other escape a brace is what it is without
				 * one ("\A{!TEST}" asks the test) */
				i += 2;
				if (i < n && src[i] == '{' && src[i - 1] &&
				    strchr("pPxoNgk", src[i - 1]))
					while (i < n && src[i] != '}')
						i++;
				continue;
			}
			if (i > lit) {
				if (*npieces < maxpieces)
					pieces[(*npieces)++] =
					    (piece){out->n, col0 + (int)lit, false};
				S_put(out, src + lit, i - lit);
			}
			if (i == n)
				break;
			char sign = src[i + 1] == '?' || src[i + 1] == '!' ? src[i + 1] : 0;
			size_t j = i + 1 + !!sign;
			while (j < n && (isupper((unsigned char)src[j]) ||
			                 isdigit((unsigned char)src[j]) || src[j] == '_'))
				j++;
			if (j >= n || src[j] != '}') { /* "{A" that is not a macro: keep as text */
				lit = i;
				i++;
				continue;
			}
			if (sign) {
				if (*npieces < maxpieces)
					pieces[(*npieces)++] = (piece){out->n, col0 + (int)i, true};
				if (!S_class_ref(L, src + i + 2, j - i - 2, sign, col0 + (int)i,
				                 out))
					return false;
				i = j + 1;
				lit = i;
				continue;
			}
			const macro *m = S_macro(L, src + i + 1, j - i - 1);
			if (!m) {
				char name[128];
				snprintf(name, sizeof name, "%.*s", (int)(j - i - 1), src + i + 1);
				S_err(L, col0 + (int)i,
				      "unknown macro {%s}: define it above with 'define %s ...'",
				      name, name);
				return false;
			}
			if (*npieces < maxpieces)
				pieces[(*npieces)++] = (piece){out->n, col0 + (int)i, true};
			const char *body = L->tries ? S_trie_body(L, (macro *)m) : m->body;
			if (!body)
				return false;
			S_put(out, "(?:", 3);
			S_put(out, body, strlen(body));
			S_put(out, ")", 1);
			i = j + 1;
			lit = i;
			continue;
		}
		i++;
	}
	return !out->oom;
}

static bool S_all_caps(const char *s)
{
	bool upper = false;
	for (; *s; s++) {
		if (islower((unsigned char)*s))
			return false;
		if (isupper((unsigned char)*s))
			upper = true;
	}
	return upper;
}

/* Appends s as a literal regex, with any run of spaces matching \s+. */
static void S_put_literal(sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ') {
			while (s[1] == ' ')
				s++;
			S_put(b, "\\s+", 3);
		} else if (strchr("\\^$.[]|()?*+{}-#", *s)) {
			S_put(b, "\\", 1);
			S_put(b, s, 1);
		} else
			S_put(b, s, 1);
	}
}

static int S_cmp_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t S_charlen(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	for (size_t i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

/* Emits the sorted words w[lo, hi), which share their first d bytes, as a
 * prefix tree: "(?:a(?:b|c)|d)". A word that ends where longer ones go on
 * makes the rest optional ("ab(?:c)?"), so the longest word is tried first
 * and a shorter one is still there when what follows the macro fails. The
 * cost of matching then grows with the length of a word, not with the number
 * of words in the list. */
static void S_trie(sbuf *out, char **w, size_t lo, size_t hi, size_t d)
{
	bool term = false;
	while (lo < hi && w[lo][d] == '\0') {
		term = true;
		lo++;
	}
	if (lo == hi)
		return;
	size_t nchild = 0;
	for (size_t i = lo, j; i < hi; i = j, nchild++) {
		size_t k = S_charlen(w[i] + d);
		for (j = i + 1; j < hi && strncmp(w[j] + d, w[i] + d, k) == 0; j++)
			;
	}
	bool group = term || nchild > 1;
	if (group)
		S_put(out, "(?:", 3);
	for (size_t i = lo, j, c = 0; i < hi; i = j, c++) {
		size_t k = S_charlen(w[i] + d);
		for (j = i + 1; j < hi && strncmp(w[j] + d, w[i] + d, k) == 0; j++)
			;
		if (c)
			S_put(out, "|", 1);
		char one[5] = {0};
		memcpy(one, w[i] + d, k);
		S_put_literal(out, one);
		S_trie(out, w, i, j, d + k);
	}
	if (group)
		S_put(out, term ? ")?" : ")", term ? 2 : 1);
}

/* Collects the words "@list.tsv[col=value]" selects into (*wordsp)[0, *nwp),
 * a word of an entity list that keeps its case marked by a leading '='
 * (*entityp says which kind of list it is); *store holds copies.
 * The caller frees *wordsp and store->s. */
static bool S_list_words1(loader *L, const char *spec, size_t n, int col, char ***wordsp,
                          size_t *nwp, sbuf *store_out, bool *entityp);
static bool S_grow(const warta_mem *mem, void **v, size_t n, size_t *cap, size_t elem);

/* The words of a list spec, or of a union of them ("a.tsv[k=v] @b.tsv"):
 * *wordsp points into the lists or into *store_out, which the caller frees
 * with the array; *entityp says that a leading '=' marks a word that keeps
 * its case. A union may not mix entity lists with word lists. */
static bool S_list_words(loader *L, const char *spec, size_t n, int col, char ***wordsp,
                         size_t *nwp, sbuf *store_out, bool *entityp)
{
	size_t cut = 0;
	while (cut < n &&
	       !(spec[cut] == '@' && cut && (spec[cut - 1] == ' ' || spec[cut - 1] == '\t')))
		cut++;
	if (cut == n)
		return S_list_words1(L, spec, n, col, wordsp, nwp, store_out, entityp);
	sbuf store = {.mem = L->mem};
	size_t *offs = NULL, nw = 0, cap = 0;
	int kind = -1; /* 0 word lists, 1 entity lists */
	bool ok = true;
	for (size_t at = 0; ok && at < n;) {
		size_t end = at;
		while (end < n && !(spec[end] == '@' && end > at &&
		                    (spec[end - 1] == ' ' || spec[end - 1] == '\t')))
			end++;
		size_t len = end - at;
		while (len && (spec[at + len - 1] == ' ' || spec[at + len - 1] == '\t'))
			len--;
		char **w;
		size_t k;
		sbuf st;
		bool ent;
		if (!(ok = S_list_words1(L, spec + at, len, col + (int)at, &w, &k, &st, &ent)))
			break;
		if (kind >= 0 && kind != ent) {
			S_err(L, col + (int)at,
			      "a union of lists takes entity lists (id, name, aliases) or word "
			      "lists, not both%s%s",
			      NULL, NULL);
			ok = false;
		}
		kind = ent;
		for (size_t i = 0; ok && i < k; i++) {
			if (nw == cap && !S_grow(L->mem, (void **)&offs, nw, &cap, sizeof *offs)) {
				ok = false;
				break;
			}
			offs[nw++] = store.n;
			S_put(&store, w[i], strlen(w[i]) + 1); /* with its NUL */
		}
		L->mem->free(w);
		L->mem->free(st.s);
		at = end + 1; /* past the '@' */
	}
	char **words = ok && !store.oom ? L->mem->calloc(nw + 1, sizeof(char *)) : NULL;
	if (words)
		for (size_t i = 0; i < nw; i++)
			words[i] = store.s + offs[i];
	L->mem->free(offs);
	if (!words) {
		if (ok)
			L->errors++;
		L->mem->free(store.s);
		return false;
	}
	*wordsp = words;
	*nwp = nw;
	*store_out = store;
	*entityp = kind == 1;
	return true;
}

static bool S_list_words1(loader *L, const char *spec, size_t n, int col, char ***wordsp,
                          size_t *nwp, sbuf *store_out, bool *entityp)
{
	char name[256], fcol[64] = "", fval[128] = "";
	size_t k = 0;
	while (k < n && spec[k] != '[' && k < sizeof name - 1) {
		name[k] = spec[k];
		k++;
	}
	name[k] = '\0';
	if (k < n && spec[k] == '[') {
		const char *eq = memchr(spec + k, '=', n - k);
		const char *close = memchr(spec + k, ']', n - k);
		if (!eq || !close || eq > close) {
			S_err(L, col, "a list filter is written @%s[column=value]", name, NULL);
			return false;
		}
		snprintf(fcol, sizeof fcol, "%.*s", (int)(eq - spec - k - 1), spec + k + 1);
		snprintf(fval, sizeof fval, "%.*s", (int)(close - eq - 1), eq + 1);
	}
	size_t nl = strlen(name);
	if (nl > 4 && strcmp(name + nl - 4, ".tsv") == 0)
		name[nl - 4] = '\0';
	const wordlist *wl = ruleset_list(L->rs, name);
	if (!wl) {
		S_err(L, col, "no list gazetteers/%s.tsv for this macro", name, NULL);
		return false;
	}
	int fc = -1;
	if (fcol[0] && (fc = wordlist_col(wl, fcol)) < 0) {
		S_err(L, col, "gazetteers/%s.tsv has no column '%s'", name, fcol);
		return false;
	}
	/* An entity list (id, name, aliases) gives its names and aliases, not its
	 * ids: '~' short forms are left out, '=' forms and rows flagged cs keep
	 * their case (marked by a leading '=' in the copy). */
	int cname = wordlist_col(wl, "name"), calias = wordlist_col(wl, "aliases");
	int cflags = wordlist_col(wl, "flags");
	bool entity = wordlist_col(wl, "id") == 0 && cname > 0 && calias > 0;
	size_t cap = wl->nrows + 1, nw = 0;
	sbuf store = {.mem = L->mem};
	size_t *offs = NULL;
	*wordsp = NULL;
	*nwp = 0;
	*store_out = store;
	if (entity)
		for (size_t r = 0; r < wl->nrows; r++)
			for (const char *p = wl->rows[r].cell[calias]; *p; p++)
				cap += *p == '|';
	if (entity)
		cap += wl->nrows;
	offs = L->mem->calloc(cap, sizeof(size_t));
	char **words = L->mem->calloc(cap, sizeof(char *));
	if (!words || !offs) {
		L->mem->free(words);
		L->mem->free(offs);
		return false;
	}
	for (size_t r = 0; r < wl->nrows; r++) {
		if (fc >= 0 && strcmp(wl->rows[r].cell[fc], fval) != 0)
			continue;
		if (!entity) {
			words[nw++] = wl->rows[r].cell[0];
			continue;
		}
		bool cs = cflags >= 0 && strstr(wl->rows[r].cell[cflags], "cs") != NULL;
		const char *forms[2] = {wl->rows[r].cell[cname], wl->rows[r].cell[calias]};
		for (int f = 0; f < 2; f++)
			for (const char *p = forms[f]; *p;) {
				size_t k = strcspn(p, "|");
				bool eq = k && p[0] == '=';
				if (k && p[0] != '~') {
					offs[nw++] = store.n;
					if (cs || eq)
						S_put(&store, "=", 1);
					S_put(&store, p + eq, k - eq);
					S_put(&store, "", 1); /* the NUL, kept */
				}
				p += k;
				if (*p == '|')
					p++;
			}
	}
	if (entity && !store.oom)
		for (size_t w = 0; w < nw; w++)
			words[w] = store.s + offs[w];
	L->mem->free(offs);
	if (!nw || store.oom) {
		L->mem->free(words);
		L->mem->free(store.s);
		if (!store.oom)
			S_err(L, col, "the list macro selects no word from gazetteers/%s.tsv", name,
			      NULL);
		else
			L->errors++;
		return false;
	}
	*wordsp = words;
	*nwp = nw;
	*store_out = store;
	*entityp = entity;
	return true;
}

/* ------------------------------------------------ list macros as callouts
 *
 * A list macro is spelt out in the pattern as a prefix tree of its words
 * (S_trie). For a long list that makes every pattern naming it large: slow
 * to compile and JIT-compile, and beyond some size too large for PCRE2. A
 * list of S_LTRIE_MAX words or more is therefore a byte trie here, and the
 * pattern asks it through callouts:
 *
 *   (?=[starts])()(?C"@N^")(?:(?C"@N*")(?s:.{8}))*(?:(?C"@N>4")(?s:.{4}))?...(?C"@N=")
 *
 * The class skips the callouts where no word can start; the empty group
 * marks where the word starts (the callouts read it as the last capture);
 * "^" fails at once where no word of list N starts; chunks of 8 characters
 * are taken while some word is longer still, then each optional chunk of 4,
 * 2 and 1 only while some word's length agrees with the chunks taken so
 * far, and "=" checks the length reached. Greedy chunks enumerate the
 * lengths of the words that match from the longest down, as the prefix tree
 * does, so the rest of the pattern can still fall back on a shorter word.
 * (Halving chunks from the longest word's size down cost a callout for each
 * size above the word's: most words are short, and titles go to 64.) The
 * chunks reach 2 * chunk - 1 characters, as halving ones from `chunk` did.
 * PCRE2 JIT has no \C in UTF mode, hence lengths in characters. A pattern
 * that cannot hold the chunks (a list inside a look-behind) gets the prefix
 * trees. Shorter lists stay prefix trees: a callout costs more instructions
 * than PCRE2's walk of a few dozen words.
 * Yet the trees cost time beyond their instructions: spelt out in every
 * rule that names them, they made 8 MB of JIT code, which the processor
 * fetches again rule after rule. Lists of 100 words and more as callouts
 * took 10 to 15% off the CPU time of a run (same output; 20 to 1000 words
 * tried; the median of 8 runs of the corpus) and a third off a cold load. */

typedef struct lnode {
	uint32_t child, next; /* first child and next sibling; 0 = none */
	uint8_t byte;
	bool term;
} lnode;

/* A finished trie, laid out for the walk: the children of a node side by
 * side and by byte, their bytes in an array of their own. Following sibling
 * links through the nodes of a list of thousands of names was half of the
 * time of the list callouts. */
typedef struct pnode {
	uint32_t kids;  /* the index of its first child */
	uint32_t wide;  /* 0, or where pbyte holds its children by byte (S_LWIDE) */
	uint16_t nkids; /* 0: a leaf */
	bool term;
} pnode;

struct list_trie {
	char *spec;            /* "person_cues.tsv[kind=stop]": one trie per spec */
	lnode *node;           /* node[1] the root of the caseless words, node[2] the exact;
	                        * node[0] unused, as 0 means none */
	size_t n, cap;         /* nodes */
	unsigned chunk;        /* the largest chunk the pattern offers (a power of 2) */
	uint8_t first[16];     /* the ASCII bytes a word may start with */
	uint32_t root[2][256]; /* the children of the two roots, by byte, while built */
	uint64_t hash;         /* of the words: part of the load-cache key of a rule that asks */
	pnode *pn;             /* once built: the nodes, renumbered (S_lpack) */
	uint8_t *pbyte;        /* pbyte[i]: the byte that leads to pn[i]; then the
	                        * tables of the roots and the wide nodes */
	/* Shared walks (S_lshare): the unions of person.rules hold the words
	 * of lists that their rules ask at the same places, after the union. */
	uint32_t *sub;           /* sub[i] bit j: pn[i]'s word is one of sub-trie j's */
	unsigned nsub;           /* bits of sub[] given out */
	struct list_trie *super; /* a trie of all of this one's words, or NULL */
	unsigned superbit;       /* this trie's bit in super->sub[] */
	/* The walks of the exact root that end within two bytes of ASCII
	 * (neither white space nor a control) finding no word (S_lwalk_exact):
	 * bit c of xdead1, at the first byte c; bit d of xdead2[c], at the
	 * second, d, after c. */
	uint64_t xdead1[2];
	uint64_t xdead2[128][2];
};

#define S_LMAX 256 /* longest match, in characters, that a list gives */
/* A node of this many children or more has a table of them by byte, so
 * that a walk finds a child in one step, not by a scan of the bytes (which
 * took 4 to 8 steps on average at nodes of 5 to 16 children, 2.3 at those
 * of 2 to 4). They are 3 to 6% of a list's nodes, 300 kB for all the lists
 * of rules/, and the ones the walks ask most: the first letters. */
#define S_LWIDE 3
/* Lists of fewer words than this are spelt out as prefix trees. */
#ifndef S_LTRIE_MAX
#define S_LTRIE_MAX 100
#endif

static uint32_t S_lchild(const struct list_trie *t, uint32_t n, uint8_t b)
{
	if (n <= 2)
		return t->root[n - 1][b];
	for (uint32_t c = t->node[n].child; c; c = t->node[c].next)
		if (t->node[c].byte == b)
			return c;
	return 0;
}

/* S_lchild on the packed trie: its pn and pbyte, which a walk keeps at
 * hand rather than read them from the trie at every step. */
static inline uint32_t S_pchild(const pnode *pn, const uint8_t *pbyte, uint32_t n, uint8_t b)
{
	const pnode *nd = &pn[n];
	if (nd->wide) {
		unsigned i = pbyte[nd->wide + b];
		return i ? nd->kids + i - 1 : 0;
	}
	const uint8_t *k = pbyte + nd->kids;
	for (uint32_t i = 0, e = nd->nkids; i < e && k[i] <= b; i++)
		if (k[i] == b)
			return nd->kids + i;
	return 0;
}

/* Lays out the built trie t as pn/pbyte, breadth first; the roots keep
 * numbers 1 and 2, and have tables of their children whatever their
 * number (so that a lookup need not ask whether it is at a root), while
 * root[] is left as it was, as only the building used it. */
static bool S_lpack(const warta_mem *mem, struct list_trie *t)
{
	size_t nwide = 0;
	for (uint32_t at = 1; at < t->n; at++) {
		size_t k = 0;
		for (uint32_t c = t->node[at].child; c; c = t->node[c].next)
			k++;
		/* a table's entries are 1 + a child's rank, its places uint32_t */
		nwide +=
		    (k >= S_LWIDE || at <= 2) && k < 256 && t->n + 256 * (nwide + 1) <= UINT32_MAX;
	}
	uint32_t *old = mem->calloc(t->n, sizeof *old); /* new number -> old */
	t->pn = mem->calloc(t->n, sizeof *t->pn);
	t->pbyte = mem->calloc(t->n + 256 * nwide, 1);
	if (!old || !t->pn || !t->pbyte) {
		mem->free(old);
		return false;
	}
	old[1] = 1;
	old[2] = 2;
	uint32_t next = 3;
	for (uint32_t at = 1; at < next; at++) {
		const lnode *o = &t->node[old[at]];
		t->pn[at].term = o->term;
		t->pn[at].kids = next;
		for (uint32_t c = o->child; c; c = t->node[c].next) {
			uint32_t k = next++; /* insertion by byte: siblings are few */
			for (; k > t->pn[at].kids && t->pbyte[k - 1] > t->node[c].byte; k--) {
				old[k] = old[k - 1];
				t->pbyte[k] = t->pbyte[k - 1];
			}
			old[k] = c;
			t->pbyte[k] = t->node[c].byte;
		}
		t->pn[at].nkids = (uint16_t)(next - t->pn[at].kids);
	}
	for (size_t at = 1, table = t->n; at < t->n && table < t->n + 256 * nwide; at++)
		if ((t->pn[at].nkids >= S_LWIDE || at <= 2) && t->pn[at].nkids < 256) {
			t->pn[at].wide = (uint32_t)table;
			for (uint32_t i = 0; i < t->pn[at].nkids; i++)
				t->pbyte[table + t->pbyte[t->pn[at].kids + i]] = (uint8_t)(i + 1);
			table += 256;
		}
	mem->free(old);
	mem->free(t->node);
	t->node = NULL;
	return true;
}

/* Sets t's xdead1 and xdead2 (see there) from the packed trie: where S_lwalk
 * from the exact root, reading the bytes c d (ASCII, neither white space nor
 * a control), takes no word and stops at c (no child) or at d (at a child
 * that is no word, without children or without one for d). */
static void S_lxdead(struct list_trie *t)
{
	if (t->pn[2].term) /* the empty word: every walk finds it */
		return;
	for (unsigned c = 0x21; c < 0x80; c++) {
		uint32_t k = S_pchild(t->pn, t->pbyte, 2, (uint8_t)c);
		if (!k) {
			t->xdead1[c / 64] |= (uint64_t)1 << (c % 64);
			continue;
		}
		if (t->pn[k].term)
			continue;
		uint64_t *x = t->xdead2[c];
		x[0] = ~(uint64_t)0 << 0x21; /* the bytes 0x21 to 0x7f */
		x[1] = ~(uint64_t)0;
		for (uint32_t i = 0; i < t->pn[k].nkids; i++) { /* but those of k's children */
			unsigned d = t->pbyte[t->pn[k].kids + i];
			if (d < 0x80)
				x[d / 64] &= ~((uint64_t)1 << (d % 64));
		}
	}
}

static bool S_ladd(const warta_mem *mem, struct list_trie *t, uint32_t root, const uint8_t *w,
                   size_t n)
{
	uint32_t at = root;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = S_lchild(t, at, w[i]);
		if (!c) {
			if (t->n == t->cap) {
				size_t nc = t->cap * 2;
				lnode *nv = mem->realloc(t->node, nc * sizeof *nv);
				if (!nv)
					return false;
				t->node = nv;
				t->cap = nc;
			}
			c = (uint32_t)t->n++;
			t->node[c] = (lnode){0, t->node[at].child, w[i], false};
			t->node[at].child = c;
			if (at <= 2)
				t->root[at - 1][w[i]] = c;
		}
		at = c;
	}
	t->node[at].term = true;
	return true;
}

/* Bytes of the \s character (PCRE2_UCP: Unicode White_Space) at s[0, n), or 0. */
static inline size_t S_space_at(const uint8_t *s, size_t n)
{
	if (!n)
		return 0;
	if (s[0] < 0x80)
		return s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r') ? 1 : 0;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)(n < 4 ? n : 4), &cp);
	if (k <= 0)
		return 0;
	bool sp = cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	          cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
	return sp ? (size_t)k : 0;
}

/* Set while filters are learnt from partial matches of a few bytes: a word
 * that the probe cuts short may still match (see S_filter_learn). */
static _Thread_local bool tl_probe;

/* The recent walks of this thread, by list and start: the chunk callouts
 * ask about the same start, and every rule of a file about the same words.
 * An entry holds the bytes the walk read, so a new text at the same
 * address (the next document) cannot reuse it by mistake. */
#define S_LCACHE 64
#define S_LBYTES 48
#define S_LSUBS  8
static _Thread_local struct lwalk_cache {
	const struct list_trie *t;
	const uint8_t *s; /* the subject of the last lookup that found it */
	size_t n, p, len; /* len: bytes kept of s[p, ...) */
	uint8_t bytes[S_LBYTES];
	uint64_t set[S_LMAX / 64];
	size_t first, last; /* the lowest and highest bit of set, or last < first */
	bool alive;
	/* a walk of a trie with sub-tries: the lengths found with the sub-tries
	 * that hold their words; nsub > S_LSUBS: not kept (too many, or a
	 * walk not made here) */
	uint8_t nsub;
	uint8_t sublen[S_LSUBS];
	uint32_t submask[S_LSUBS];
} tl_walk[S_LCACHE];
/* The walk the last lookup found or made. The chunk callouts of a list ask
 * about the start that its "^" callout asked about just before, in the same
 * match and subject: they take it without the hash and the comparison of
 * bytes, which were a third of a callout's own instructions. */
static _Thread_local const struct lwalk_cache *tl_recent;

/* Records a word of `chars` characters in w. */
static inline void S_lset(struct lwalk_cache *w, size_t chars)
{
	w->set[chars / 64] |= (uint64_t)1 << (chars % 64);
	if (chars < w->first)
		w->first = chars;
	if (chars > w->last)
		w->last = chars;
}

/* Records in w that the word of `chars` characters just found is one of
 * the sub-tries of `mask`. */
static inline void S_lsub(struct lwalk_cache *w, size_t chars, uint32_t mask)
{
	if (!mask || w->nsub > S_LSUBS)
		return;
	if (w->nsub == S_LSUBS) {
		w->nsub = S_LSUBS + 1;
		return;
	}
	w->sublen[w->nsub] = (uint8_t)chars; /* below S_LMAX */
	w->submask[w->nsub++] = mask;
}

/* The lengths (characters) of the words of one root of t that s[p, n)
 * starts with, as bits of w->set, with w->first and w->last kept the
 * lowest and highest of them; w->alive when a word could go on past n.
 * Returns where it stopped: it read no byte at or past that plus 4.
 * Inlined in S_lwalk_cached, which walks both roots: each walk gets its
 * root and fold as constants, and no call (4 M instructions a pass of the
 * slice, of 26 M in the walks). */
#define S_INLINE __attribute__((always_inline)) inline
/* S_lfold[c]: c with an ASCII capital made small, whatever the locale. */
#define S_LF(c)   (uint8_t)((c) >= 'A' && (c) <= 'Z' ? (c) | 0x20 : (c))
#define S_LF4(c)  S_LF(c), S_LF((c) + 1), S_LF((c) + 2), S_LF((c) + 3)
#define S_LF16(c) S_LF4(c), S_LF4((c) + 4), S_LF4((c) + 8), S_LF4((c) + 12)
#define S_LF64(c) S_LF16(c), S_LF16((c) + 16), S_LF16((c) + 32), S_LF16((c) + 48)
static const uint8_t S_lfold[128] = {S_LF64(0), S_LF64(64)};
#undef S_LF64
#undef S_LF16
#undef S_LF4
#undef S_LF
/* Where a walk at p (chars characters taken) must stop and look: where
 * it has taken S_LMAX characters, if each byte from here is one, or n. A
 * byte of text is at most one character, so the walk takes S_LMAX of them
 * no sooner than this. */
static inline size_t S_llim(size_t n, size_t p, size_t chars)
{
	if (chars >= S_LMAX)
		return p;
	return n - p < S_LMAX - chars ? n : p + (S_LMAX - chars);
}

static S_INLINE size_t S_lwalk(const struct list_trie *t, uint32_t root, bool fold,
                               const uint8_t *s, size_t n, size_t p, struct lwalk_cache *w)
{
	const pnode *pn = t->pn;
	const uint8_t *pb = t->pbyte;
	const uint32_t *sub = t->sub;
	uint32_t at = root;
	/* the characters taken are p - base: a step of one byte moves p alone,
	 * other steps move base to keep it so; and below lim (S_llim) neither
	 * S_LMAX characters are taken nor is p at n, which one test tells */
	size_t base = p, lim = S_llim(n, p, 0);
	for (;;) {
		if (p >= lim) {
			if (p - base >= S_LMAX) /* no word of this length is recorded, nor longer */
				return p;
			/* p == n */
			if (pn[at].term) {
				S_lset(w, p - base);
				if (sub)
					S_lsub(w, p - base, sub[at]);
			}
			if (pn[at].nkids)
				w->alive = true;
			return p;
		}
		if (pn[at].term) {
			S_lset(w, p - base);
			if (sub)
				S_lsub(w, p - base, sub[at]);
		}
		if (!pn[at].nkids)
			return p;
		unsigned c = s[p];
		if (c - 0x21u < 0x5Fu) { /* ASCII, neither white space nor a control: one byte */
			if (fold)
				c = S_lfold[c];
			if (!(at = S_pchild(pn, pb, at, (uint8_t)c)))
				return p;
			p++;
			continue;
		}
		size_t chars = p - base;
		size_t sp = S_space_at(s + p, n - p);
		if (sp) { /* a space of a word matches a run of white space */
			uint32_t k = S_pchild(pn, pb, at, ' ');
			if (!k)
				return p;
			for (; sp; sp = S_space_at(s + p, n - p)) {
				p += sp;
				chars++;
				if (pn[k].term && chars < S_LMAX && S_space_at(s + p, n - p)) {
					S_lset(w, chars);
					if (sub)
						S_lsub(w, chars, sub[k]);
				}
			}
			at = k;
			base = p - chars;
			lim = S_llim(n, p, chars);
			continue;
		}
		uint8_t buf[4];
		size_t k = 1, m = 1;
		buf[0] = s[p];
		if (s[p] >= 0x80) { /* a control is looked up as it is */
			utf8proc_int32_t cp;
			utf8proc_ssize_t r =
			    utf8proc_iterate(s + p, (utf8proc_ssize_t)(n - p < 4 ? n - p : 4), &cp);
			if (r <= 0)
				return p;
			k = (size_t)r;
			if (fold)
				cp = utf8proc_tolower(cp);
			m = (size_t)utf8proc_encode_char(cp, buf);
			if (!fold || !m)
				memcpy(buf, s + p, m = k);
		}
		for (size_t i = 0; i < m && at; i++)
			at = S_pchild(pn, pb, at, buf[i]);
		if (!at)
			return p;
		p += k;
		chars++;
		base = p - chars;
		lim = S_llim(n, p, chars);
	}
}

/* S_lwalk of the exact root. Its words are mostly acronyms and few, and
 * 9 walks in 10 end at the first or second byte: where both bytes are
 * ASCII, neither white space nor a control, the bits that S_lxdead set at
 * load tell whether the walk ends there finding no word, and where it
 * stops; then it is not taken. Any other start takes S_lwalk. */
static S_INLINE size_t S_lwalk_exact(const struct list_trie *t, const uint8_t *s, size_t n,
                                     size_t p, struct lwalk_cache *w)
{
	if (p + 1 < n) {
		unsigned c = s[p], d = s[p + 1];
		if (c < 0x80) {
			if (t->xdead1[c / 64] >> (c % 64) & 1)
				return p;
			if (d < 0x80 && (t->xdead2[c][d / 64] >> (d % 64) & 1))
				return p + 1;
		}
	}
	return S_lwalk(t, 2, false, s, n, p, w);
}

static inline struct lwalk_cache *S_lslot(const struct list_trie *t, size_t p)
{
	return &tl_walk[((uintptr_t)t >> 4 ^ p * 0x9E37u) % S_LCACHE];
}

/* Fills w with the walk of t at s[p, n) from the kept walk of t->super
 * there, if there is one; false if not. Exact: t's words are the super's
 * of its bit, on the same roots (S_lshare), so the super's walk passes
 * every node t's walk would, at the same characters, and reads all the
 * bytes t's reads; its words of t's bit are t's words it found. */
static S_INLINE bool S_lwalk_shared(const struct list_trie *t, const uint8_t *s, size_t n, size_t p,
                                    struct lwalk_cache *w)
{
	const struct lwalk_cache *u = S_lslot(t->super, p);
	if (u->t != t->super || u->p != p || u->n != n || u->nsub > S_LSUBS ||
	    memcmp(u->bytes, s + p, u->len) != 0)
		return false;
	/* read all of u before w is written: they may be one slot */
	uint64_t set[S_LMAX / 64] = {0};
	size_t first = S_LMAX, last = 0;
	for (size_t i = 0, k = u->nsub; i < k; i++)
		if (u->submask[i] >> t->superbit & 1) {
			size_t c = u->sublen[i];
			set[c / 64] |= (uint64_t)1 << (c % 64);
			first = c < first ? c : first;
			last = c > last ? c : last;
		}
	if (w != u) {
		memcpy(w->bytes, u->bytes, sizeof w->bytes); /* equal to s + p for its len */
		w->len = u->len;
		w->alive = u->alive;
		w->n = n;
		w->p = p;
	}
	memcpy(w->set, set, sizeof set);
	w->first = first;
	w->last = last;
	w->s = s;
	w->t = t;
	w->nsub = S_LSUBS + 1; /* not a walk of t's own: it answers no sub-trie of t */
	return true;
}

static const struct lwalk_cache *S_lwalk_cached(const struct list_trie *t, const uint8_t *s,
                                                size_t n, size_t p)
{
	static _Thread_local struct lwalk_cache probe;
	struct lwalk_cache *w = tl_probe ? &probe : S_lslot(t, p);
	if (!tl_probe && w->t == t && w->p == p && w->n == n &&
	    memcmp(w->bytes, s + p, w->len) == 0) {
		w->s = s;
		return tl_recent = w;
	}
	tl_recent = w;
	if (!tl_probe && t->super && S_lwalk_shared(t, s, n, p, w))
		return w;
	w->s = s;
	w->t = t;
	w->n = n;
	w->p = p;
	w->alive = false;
	memset(w->set, 0, sizeof w->set);
	w->first = S_LMAX; /* none yet: last < first */
	w->last = 0;
	w->nsub = 0;
	size_t a = S_lwalk(t, 1, true, s, n, p, w);
	size_t b = S_lwalk_exact(t, s, n, p, w);
	size_t reach = (a > b ? a : b) + 4;
	if (reach > n)
		reach = n;
	if (reach - p > S_LBYTES) { /* too long to keep: never found again */
		w->len = 0;
		w->t = NULL;
	} else {
		w->len = reach - p;
		/* all of bytes[] where the subject has them: a copy of fixed
		 * size is a few moves, not a call; only len of them are compared */
		if (n - p >= S_LBYTES)
			memcpy(w->bytes, s + p, S_LBYTES);
		else
			memcpy(w->bytes, s + p, w->len);
	}
	return w;
}

/* Whether the walk w found a word of a length in [lo, hi). */
static inline bool S_lany(const struct lwalk_cache *w, size_t lo, size_t hi)
{
	/* most asks fall outside the lengths found, or take them all in */
	if (w->last < w->first || hi <= w->first || lo > w->last)
		return false;
	if (lo <= w->first && hi > w->last)
		return true;
	const uint64_t *set = w->set;
	if (hi > S_LMAX)
		hi = S_LMAX;
	for (size_t i = lo / 64; lo < hi; i++, lo = i * 64) {
		size_t top = hi < (i + 1) * 64 ? hi - i * 64 : 64;
		uint64_t m = set[i] >> (lo % 64);
		if (top - lo % 64 < 64)
			m &= ((uint64_t)1 << (top - lo % 64)) - 1;
		if (m)
			return true;
	}
	return false;
}

/* The answers of the tests for one document (per thread, as the
 * document is): by position and subject length, as a test may look up to
 * the end of the subject, and a zone or a sentence ends it early. */
struct class_slot {
	uint32_t pos1, len;  /* pos1 = position + 1 */
	uint32_t known, yes; /* bit i: test i */
};

/* Which slots are taken is an array of its own, a byte a slot: a table
 * of slots would be zeroed as it is made, 4 kB a document, where the array
 * is 256 bytes (2.5 M instructions fewer a pass of the slice, as callgrind
 * counts a memset's rep stosb; a bitmap of 32 bytes cost more in its tests
 * than it saved). A slot is read only where its byte is set, and is
 * written in full before its byte is set, so no unwritten byte is read. */
struct class_memo {
	const char *subject;
	pcre2_match_data *md; /* not the document's: that one holds the asking match */
	arena *ar;
	struct class_slot *slot;
	uint8_t *used; /* used[k]: slot[k] is taken */
	size_t n, cap;
};

/* The memo of the document that the calling thread scans now, or NULL. */
static _Thread_local struct class_memo *tl_cmemo;

/* By position alone: a document's asks give one length at a position
 * (that of the text, bar zones that end it early), so mixing in the length
 * spread no keys; it is compared all the same. */
static size_t S_chash(uint32_t pos1, uint32_t len, size_t cap)
{
	(void)len;
	return (pos1 * 0x9E3779B1u) & (cap - 1);
}

/* Doubles m's table (or makes its first); false when out of memory. Apart
 * from S_cslot: that one is a leaf without it, inlined in S_class_at. */
static __attribute__((noinline)) bool S_cgrow(struct class_memo *m)
{
	size_t nc = m->cap ? 2 * m->cap : 256;
	struct class_slot *ns = arena_alloc_raw(m->ar, nc * sizeof *ns);
	uint8_t *nu = arena_alloc(m->ar, nc);
	if (!ns || !nu)
		return false;
	for (size_t k = 0; k < m->cap; k++) {
		if (!m->used[k])
			continue;
		size_t h = S_chash(m->slot[k].pos1, m->slot[k].len, nc);
		while (nu[h])
			h = (h + 1) & (nc - 1);
		ns[h] = m->slot[k];
		nu[h] = 1;
	}
	m->slot = ns;
	m->used = nu;
	m->cap = nc;
	return true;
}

static inline struct class_slot *S_cslot(struct class_memo *m, uint32_t pos1, uint32_t len)
{
	if (2 * (m->n + 1) > m->cap && !S_cgrow(m))
		return NULL;
	size_t h = S_chash(pos1, len, m->cap);
	for (; m->used[h]; h = (h + 1) & (m->cap - 1))
		if (m->slot[h].pos1 == pos1 && m->slot[h].len == len)
			return &m->slot[h];
	m->n++;
	m->slot[h] = (struct class_slot){pos1, len, 0, 0};
	m->used[h] = 1;
	return &m->slot[h];
}

static int S_match(const warta_ruleset *rs, const pcre2_code *code, const char *subject, size_t n,
                   size_t at, uint32_t opts, pcre2_match_data *md);

/* A test that opens alternatives with a list of callouts, split at load
 * (S_test_split): "(?:{STOPWORDS}){END}" holds where a word of the list
 * starts and {END} holds where it ends. PCRE2 answers that with a callout
 * per length chunk of the word, five or six in all, each with PCRE2's
 * own cost; the walk that those callouts ask gives every length at once,
 * so the split test asks it directly, and PCRE2 only about what follows the
 * word. The tests of person.rules made 40% of all callouts. */
struct test_atom {
	const struct list_trie *list; /* a word of it starts at the position, or NULL */
	size_t maxlen;                /* the longest match the list's chunks can take */
	size_t then;                  /* the test that holds where the word ends (without a
	                                 list: at the position), or SIZE_MAX: none */
	bool neg;                     /* written (?!...): holds where the above does not */
	/* `then` is a look-ahead of one character, as {END} is: 1 for (?=X),
	 * -1 for (?!X), with X the ladders' class cls (S_then_one); else 0 */
	int8_t look;
	uint8_t cls;
	const struct test_filter *thenf; /* where `then` may hold, or NULL (S_tf_learn) */
};

struct test_alt { /* holds where all its atoms hold */
	struct test_atom *atom;
	size_t n;
};

struct test_split {
	struct test_alt *alt;
	size_t nalt;
	size_t rest; /* the test of the alternatives left to PCRE2, or SIZE_MAX */
	const struct test_filter *restf; /* where it may hold, or NULL */
};

/* The first bytes at which a test that PCRE2 answers may hold, learnt at
 * load by probing (S_tf_learn): most of the asks of a `then` such as
 * "{END}[ \t]+\p{Lu}" fail on the first two bytes, where a match of PCRE2
 * took 450 instructions. A byte outside ASCII, or past the end of the
 * subject, lets the test through to PCRE2. */
struct test_filter {
	uint8_t l1[16];      /* bit c: a match may start with byte c */
	uint8_t deep[16];    /* bit c: l2[c] is known */
	uint8_t l2[128][16]; /* bit d of l2[c]: a match may start with c d */
};

/* Whether the test of filter f may hold at s[b] (of n bytes). */
static S_INLINE bool S_tf_may(const struct test_filter *f, const char *s, size_t n, size_t b)
{
	if (b >= n)
		return true;
	unsigned c = (unsigned char)s[b];
	if (c >= 0x80)
		return true;
	if (!(f->l1[c >> 3] >> (c & 7) & 1))
		return false;
	if (n - b < 2 || !(f->deep[c >> 3] >> (c & 7) & 1))
		return true;
	unsigned d = (unsigned char)s[b + 1];
	return d >= 0x80 || (f->l2[c][d >> 3] >> (d & 7) & 1);
}

static int S_class_at(const warta_ruleset *rs, size_t id, const char *subject, size_t n, size_t p);
static int S_class_one(const warta_ruleset *rs, unsigned cls, const uint8_t *s, size_t n, size_t b);

/* The answer of a's `then` at s[b], as S_class_at. A look-ahead of one
 * character is answered by the class of the character there: most asks
 * of `then` are {END} after a word of a list, and PCRE2 took 300
 * instructions to enter a match, the memo 100 to keep its answer. */
static S_INLINE int S_then_at(const warta_ruleset *rs, const struct test_atom *a, const char *s,
                              size_t n, size_t b)
{
	if (a->then == SIZE_MAX)
		return 1;
	if (a->look) {
		int in = S_class_one(rs, a->cls, (const uint8_t *)s, n, b);
		if (in >= 0)
			return in == (a->look > 0);
	}
	if (a->thenf && !S_tf_may(a->thenf, s, n, b))
		return 0;
	return S_class_at(rs, a->then, s, n, b);
}

/* 1 when atom a (its neg aside) holds at s[p], 0 when not, or a PCRE2 error. */
static int S_atom_at(const warta_ruleset *rs, const struct test_atom *a, const char *s, size_t n,
                     size_t p)
{
	if (!a->list)
		return S_then_at(rs, a, s, n, p);
	unsigned c0 = p < n ? (unsigned char)s[p] : 0;
	if (p >= n || (c0 < 0x80 && !(a->list->first[c0 >> 3] >> (c0 & 7) & 1)))
		return 0; /* no word starts so: the class before the callouts */
	const struct lwalk_cache *w = S_lwalk_cached(a->list, (const uint8_t *)s, n, p);
	size_t first = w->first, last = w->last < a->maxlen ? w->last : a->maxlen;
	if (last < first)
		return 0;
	if (a->then == SIZE_MAX)
		return S_lany(w, first, last + 1);
	/* a walk that `then` makes may take w's slot */
	uint64_t set[S_LMAX / 64];
	memcpy(set, w->set, sizeof set);
	size_t b = p; /* after c characters: lengths are in characters */
	for (size_t c = 0, len = first; len <= last; len++) {
		if (!(set[len / 64] >> (len % 64) & 1))
			continue;
		if (len - c <= 8 && n - b > 8) {
			/* no continuation byte (10xxxxxx) among the next len - c
			 * bytes: each is a character, as the loop below would find */
			uint64_t v = bm_load8(s + b + 1); /* s[b + 1] in the low byte */
			uint64_t cont = v & ~(v << 1) & BM_HIGH;
			if (len - c < 8)
				cont &= ((uint64_t)1 << (8 * (len - c))) - 1;
			if (!cont) {
				b += len - c;
				c = len;
			}
		}
		for (; c < len && b < n; c++)
			for (b++; b < n && ((unsigned char)s[b] & 0xC0) == 0x80; b++)
				;
		int yes = S_then_at(rs, a, s, n, b);
		if (yes)
			return yes;
	}
	return 0;
}

/* Split test sp at s[p]: as S_class_at. The answer is the one of the
 * pattern as written: a look-ahead holds where one of its alternatives
 * matches, and "(?:{LIST})REST" matches where some word of the list that
 * starts there has REST after it, which is what PCRE2's backtracking over
 * the chunks tries, each length in turn. */
static int S_split_at(const warta_ruleset *rs, const struct test_split *sp, const char *s, size_t n,
                      size_t p)
{
	for (size_t i = 0; i < sp->nalt; i++) {
		const struct test_alt *alt = &sp->alt[i];
		size_t k = 0;
		for (; k < alt->n; k++) {
			int yes = S_atom_at(rs, &alt->atom[k], s, n, p);
			if (yes < 0)
				return yes;
			if (yes == alt->atom[k].neg)
				break;
		}
		if (k == alt->n)
			return 1;
	}
	if (sp->rest == SIZE_MAX || (sp->restf && !S_tf_may(sp->restf, s, n, p)))
		return 0;
	return S_class_at(rs, sp->rest, s, n, p);
}

/* 1 when test id matches at subject[p] (of n bytes), 0 when not, or a
 * PCRE2 error (a limit), which the callout hands on to abandon the rule's
 * match: the same outcome as the test written out in the pattern. */
static int S_class_at(const warta_ruleset *rs, size_t id, const char *subject, size_t n, size_t p)
{
	struct class_memo *m = tl_cmemo;
	/* p <= n: n below UINT32_MAX bounds p + 1 too */
	bool memo = m && m->subject == subject && id < 32 && n < UINT32_MAX;
	struct class_slot *sl = NULL, *table = NULL;
	if (memo) {
		sl = S_cslot(m, (uint32_t)p + 1, (uint32_t)n);
		if (sl && sl->known >> id & 1)
			return sl->yes >> id & 1;
		table = m->slot;
	}
	const rule *c = rs->classes[id];
	int rc;
	if (c->split)
		rc = S_split_at(rs, c->split, subject, n, p);
	else {
		rule_ready(c);
		pcre2_match_data *md = m ? m->md : pcre2_match_data_create(1, rs->gctx);
		if (!md)
			return PCRE2_ERROR_NOMEMORY;
		rc = S_match(rs, c->code_at, subject, n, p, 0, md);
		if (!m)
			pcre2_match_data_free(md);
		rc = rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
	}
	if (rc < 0)
		return rc;
	/* a split test's own asks may have moved the slot, when they grew the
	 * table (a new one: the arena reuses nothing); else it is where it was,
	 * as entries never move in a table, and S_cslot would find it there */
	if (memo && m->slot != table)
		sl = S_cslot(m, (uint32_t)p + 1, (uint32_t)n);
	if (sl) {
		sl->known |= 1u << id;
		sl->yes |= (uint32_t)rc << id;
	}
	return rc;
}

/* Sets the memo of doc as the calling thread's and returns the one it
 * replaces (scans may nest: a callback may scan again). */
static struct class_memo *S_cmemo_enter(warta_doc *doc)
{
	struct class_memo *prev = tl_cmemo;
	if (!doc->rs->nclasses)
		return prev;
	struct class_memo *m = doc->cmemo;
	if (!m && (m = arena_alloc(&doc->a, sizeof *m)) != NULL) {
		m->ar = &doc->a;
		if (!(m->md = pcre2_match_data_create(1, doc->rs->gctx)))
			m = NULL;
		doc->cmemo = m;
	}
	if (m && m->subject != doc->text) { /* the text was replaced: forget */
		m->subject = doc->text;
		m->slot = NULL;
		m->used = NULL;
		m->n = m->cap = 0;
	}
	tl_cmemo = m;
	return prev;
}

void rules_doc_free(warta_doc *doc)
{
	if (doc->cmemo)
		pcre2_match_data_free(doc->cmemo->md);
	doc->cmemo = NULL;
}

/* ------------------------------------------------ look-behind ladders
 *
 * PCRE2 10.42 has no look-behind of variable length, so rules say "the word
 * before is not capitalised" as a ladder of fixed ones, one per length:
 * (?<!\p{Lu}\p{L}\s)(?<!\p{Lu}\p{L}{2}\s)...(?<!\p{Lu}\p{L}{12}\s). PCRE2
 * steps back over the text afresh for each, and a ladder of a dozen cost
 * about 1,000 instructions a try: a seventh of what the person rules spent.
 * A run of negative look-behinds whose branches are sequences of single
 * characters (a class, an escape or a character, with an optional {k}) is
 * therefore answered here, by one callout "(?C\"<N#hash\")": the text
 * before the position is read back only as far as some branch could still
 * match, its characters classified as they are read; the rungs of a word's
 * ladder (X Y{k} Z) are answered together from the run of Y, the other
 * branches checked one by one against the classes. The answer is the one the
 * look-behinds give, wherever the callout is asked (probes included): each
 * class is PCRE2's own, compiled alone with the rule's options, and asked
 * once per ASCII character at load and per other character when first seen
 * (a thread's cache keeps the answers). Patterns that set an option that
 * could change a class (i, x) keep their look-behinds, and so do short
 * runs, which PCRE2 answers faster than a callout. */

/* S_LAD_CLASSES: the classes of all ladders of a ruleset, and of the
 * look-aheads of one character of its split tests (S_then_one) */
#define S_LAD_LEN     64 /* longest branch, in characters */
#define S_LAD_CLASSES 64
#define S_LAD_WORK    24 /* characters of all branches below which a run stays */

struct lad_atom {
	uint8_t cls, count;
	uint8_t len; /* while parsing: the item's text, s[at, at + len) */
	uint32_t at;
};

struct lad_alt {
	uint8_t len, natom;
	uint8_t fam;    /* 1 when a family (struct lad_fam) answers it */
	uint16_t first; /* its atoms, from the farthest back: atom[first, first + natom) */
};

/* Rungs of one shape, X Y{k} Z for the k of a set (X Z for k = 0), as
 * ladders of words write them: answered together, as some k <= r with the
 * character k + 2 back in X, where r is the run of Y between it and the Z
 * just before the position. The rungs of all others, and of more shapes
 * than S_LAD_FAMS, are checked one by one. */
struct lad_fam {
	uint64_t x, y, z;   /* the classes, as bits */
	uint64_t ks;        /* bit k: some rung X Y{k} Z */
	uint8_t cx, cy, cz; /* the same, as ids */
	bool swar;          /* the ASCII of X and of Y is two ranges or fewer each: */
	uint64_t xa[2], xb[2], ya[2], yb[2]; /* their tests (S_lad_in8) */
};

#define S_LAD_FAMS  4
#define S_LAD_PAIRS 4

struct ladder {
	char *text; /* the run as written */
	size_t n;
	unsigned onelen; /* the longest rung of one */
	uint64_t last;   /* the classes of some rung's nearest character */
	/* the rungs as parsed, while loading only: S_lad_fams builds the fields
	 * below from them, and S_ladders_rewrite frees them */
	struct lad_alt *alt;
	size_t nalt;
	/* the rungs checked one by one: of one character, its classes (one1);
	 * of two, the classes of the nearer and the farther (pair); else each
	 * as its length and the class of each character from the nearest
	 * back, a length 0 ending them (one) */
	uint64_t one1;
	struct {
		uint64_t near, far;
	} pair[S_LAD_PAIRS];
	size_t npair;
	uint8_t *one;
	struct lad_atom *atom; /* (while loading only, as alt) */
	size_t natom;
	struct lad_fam fam[S_LAD_FAMS];
	size_t nfam;
};

struct ladders {
	struct ladder *v;
	size_t n, cap;
	pcre2_code *cls[S_LAD_CLASSES]; /* "(?:X)" for each class X, anchored */
	char *cls_text[S_LAD_CLASSES];
	size_t ncls;
	uint64_t ascii[128]; /* ascii[c]: the classes c is in, as bits */
	uint64_t gen;        /* this set of classes, for S_lad_high's caches */
};

static _Atomic uint64_t S_lad_gens; /* the generations given out (struct ladders) */

static void S_ladders_free(warta_ruleset *rs)
{
	struct ladders *ls = rs->ladders;
	if (!ls)
		return;
	for (size_t i = 0; i < ls->n; i++) {
		rs->mem->free(ls->v[i].text);
		rs->mem->free(ls->v[i].one);
	}
	for (size_t i = 0; i < ls->ncls; i++) {
		pcre2_code_free(ls->cls[i]);
		rs->mem->free(ls->cls_text[i]);
	}
	rs->mem->free(ls->v);
	rs->mem->free(ls);
	rs->ladders = NULL;
}

/* The classes of ls that the character s[0, k) is in, as bits (*bits):
 * PCRE2 asked once per character and thread, for each set of classes (a
 * generation: a ruleset freed and another made at its address, or a class
 * added, is asked anew); false without memory. */
static bool S_lad_high(const warta_ruleset *rs, const struct ladders *ls, const uint8_t *s,
                       size_t k, uint64_t *bits)
{
	static _Thread_local struct {
		uint64_t gen;
		uint32_t cp;
		uint64_t bits;
	} cache[64];
	uint32_t cp = 0;
	for (size_t i = 0; i < k; i++)
		cp = cp << 8 | s[i];
	size_t h = (cp ^ cp >> 7) % 64;
	if (cache[h].gen == ls->gen && cache[h].cp == cp) {
		*bits = cache[h].bits;
		return true;
	}
	pcre2_match_data *md = pcre2_match_data_create(1, rs->gctx);
	if (!md)
		return false;
	*bits = 0;
	for (size_t c = 0; c < ls->ncls; c++)
		if (pcre2_match(ls->cls[c], s, k, 0, PCRE2_NO_UTF_CHECK, md, NULL) >= 0)
			*bits |= (uint64_t)1 << c;
	pcre2_match_data_free(md);
	cache[h].gen = ls->gen;
	cache[h].cp = cp;
	cache[h].bits = *bits;
	return true;
}

/* 1 when the character at s[b] (of n bytes) is in class cls of the
 * ladders, 0 when not or at the end, as PCRE2's "(?=X)" would find; -1
 * when it cannot tell (not a whole character before n, or no memory),
 * and PCRE2 is asked. */
static int S_class_one(const warta_ruleset *rs, unsigned cls, const uint8_t *s, size_t n, size_t b)
{
	const struct ladders *ls = rs->ladders;
	if (b >= n)
		return 0;
	uint64_t bits;
	unsigned c = s[b];
	if (c < 0x80)
		bits = ls->ascii[c];
	else {
		size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (c < 0xC0 || c >= 0xF8 || n - b < k || !S_lad_high(rs, ls, s + b, k, &bits))
			return -1;
	}
	return (int)(bits >> cls & 1);
}

/* The classes of the character that ends just before s[*q] (*q > 0) into *c, and
 * *q moved to its start; false without memory. */
static inline bool S_lad_prev(const warta_ruleset *rs, const struct ladders *ls, const uint8_t *s,
                              size_t *q, uint64_t *c)
{
	size_t e = *q, b = e - 1;
	if (s[b] < 0x80) { /* ASCII text, the common case: a byte is a character */
		*c = ls->ascii[s[b]];
		*q = b;
		return true;
	}
	while (b > 0 && (s[b] & 0xC0) == 0x80)
		b--;
	*q = b;
	if (s[b] < 0x80) {
		*c = ls->ascii[s[b]];
		return true;
	}
	return S_lad_high(rs, ls, s + b, e - b, c);
}

/* Bit 7 of each byte of the ASCII bytes v (bit 7 clear) that is in one of
 * the two ranges whose tests a and b hold (ONES * (0x80 - lo) and ONES *
 * (0x80 - hi - 1); 0 and 0 for no range): bytemask.h's range test, in
 * which no sum carries into the next byte. */
static inline uint64_t S_lad_in8(uint64_t v, const uint64_t a[2], const uint64_t b[2])
{
	return (((v + a[0]) & ~(v + b[0])) | ((v + a[1]) & ~(v + b[1]))) & BM_HIGH;
}

/* The bytes of m whose bit 7 is set (m has no other bits) as bit 7 - k for
 * byte k: the last byte first, as a ladder reads back. No two products of
 * the multiplication meet in a bit, so none carries. */
static inline unsigned S_lad_back8(uint64_t m)
{
	return (unsigned)(((m >> 7) * 0x8040201008040201ull) >> 56);
}

/* 1 when some look-behind of ladder id matches before s[p] (the run fails
 * there), else 0: the callout's answer; PCRE2_ERROR_NOMEMORY when a
 * character could not be classified. Characters are read back from p only
 * as far as some rung still could match: a rung longer than the text
 * before p fails, as PCRE2's look-behind does there. */
static int S_ladder_at(const warta_ruleset *rs, size_t id, const uint8_t *s, size_t p)
{
	const struct ladders *ls = rs->ladders;
	if (!ls || id >= ls->n || !p)
		return 0;
	const struct ladder *ld = &ls->v[id];
	uint64_t in[S_LAD_LEN + 1]; /* in[d]: the classes of the d-th character back */
	size_t q = p;               /* s[q] starts the character last read */
	if (!S_lad_prev(rs, ls, s, &q, &in[1]))
		return PCRE2_ERROR_NOMEMORY; /* the rule's match gives up */
	if (!(in[1] & ld->last))
		return 0; /* no rung ends in the character before */
	/* the families first: where the word before ends a ladder, its run
	 * answers and the rungs checked one by one are not read */
	const size_t q1 = q;
	size_t have = 1, qh = q; /* in[1, have] are known; s[qh] starts in[have] */
	for (size_t f = 0; f < ld->nfam; f++) {
		const struct lad_fam *fm = &ld->fam[f];
		if (!(in[1] & fm->z))
			continue;
		/* at k (the low bit of ks, shifted by k), the characters 2 to
		 * k + 1 back are in Y: rung k holds when the one k + 2 back is
		 * in X, and no longer rung can when that one is not in Y (or is
		 * not there, or no longer rung is left) */
		uint64_t ks = fm->ks;
		q = q1;
		bool done = false;
		/* eight characters at once while they are ASCII bytes: bit k of
		 * ym and xm for the one k + 2 back (and 8 more per block) */
		while (fm->swar && q >= 8) {
			uint64_t w = bm_load8(s + q - 8), v = w & ~BM_HIGH, asc = ~w & BM_HIGH;
			unsigned ym = S_lad_back8(S_lad_in8(v, fm->ya, fm->yb) & asc);
			unsigned xm = S_lad_back8(S_lad_in8(v, fm->xa, fm->xb) & asc);
			unsigned read = (ym ^ (ym + 1)) & 0xFF; /* up to the first not in Y */
			if (~S_lad_back8(asc) & read)
				break; /* a byte of a longer character: one by one from here */
			if (xm & read & ks)
				return 1;
			done = ym != 0xFF || !(ks >>= 8);
			if (done)
				break;
			q -= 8;
		}
		const uint64_t y = fm->y, *ascii = ls->ascii;
		const unsigned cx = fm->cx;
		while (!done && q > 0) {
			uint64_t c;
			if (s[q - 1] < 0x80)
				c = ascii[s[--q]];
			else if (!S_lad_prev(rs, ls, s, &q, &c))
				return PCRE2_ERROR_NOMEMORY;
			else if (have == 1 && ks == fm->ks) { /* the second back, kept */
				in[have = 2] = c;
				qh = q;
			}
			if (c >> cx & ks & 1)
				return 1;
			ks >>= 1;
			done = !(c & y) || !ks;
		}
	}
	if (in[1] & ld->one1)
		return 1;
	q = qh;
	if (ld->npair && have == 1 && q > 0 && !S_lad_prev(rs, ls, s, &q, &in[++have]))
		return PCRE2_ERROR_NOMEMORY;
	if (have > 1)
		for (size_t i = 0; i < ld->npair; i++)
			if ((in[1] & ld->pair[i].near) && (in[2] & ld->pair[i].far))
				return 1;
	for (; have < ld->onelen && q > 0; have++)
		if (!S_lad_prev(rs, ls, s, &q, &in[have + 1]))
			return PCRE2_ERROR_NOMEMORY;
	for (const uint8_t *r = ld->one; *r; r += 1 + *r) {
		size_t len = *r, d = 1;
		if (len > have)
			continue; /* too close to the start: PCRE2's look-behind fails */
		while (d <= len && (in[d] >> r[d] & 1))
			d++;
		if (d > len)
			return 1;
	}
	return 0;
}

/* The end of the single-character item at s[i] (a class, an escape of one
 * character or a character), or 0 for anything else; s[n] is a NUL. */
static const char *S_class_end(const char *p);

static size_t S_lad_item(const char *s, size_t i, size_t n)
{
	if (i >= n)
		return 0;
	unsigned char c = (unsigned char)s[i];
	if (c == '\\') {
		if (i + 1 >= n)
			return 0;
		char e = s[i + 1];
		if (e == 'p' || e == 'P') {
			if (i + 2 < n && s[i + 2] == '{') {
				const char *b = memchr(s + i + 2, '}', n - i - 2);
				return b ? (size_t)(b - s) + 1 : 0;
			}
			return i + 3 <= n ? i + 3 : 0;
		}
		if (e == 'x') {
			if (i + 2 < n && s[i + 2] == '{') {
				const char *b = memchr(s + i + 2, '}', n - i - 2);
				return b ? (size_t)(b - s) + 1 : 0;
			}
			return i + 4 <= n ? i + 4 : 0;
		}
		if (e && strchr("sSdDwWhHtnrfe", e))
			return i + 2;
		/* an escaped punctuation character stands for itself */
		return e && !isalnum((unsigned char)e) && (unsigned char)e < 0x80 ? i + 2 : 0;
	}
	if (c == '[') { /* s[n] is the pattern's NUL */
		const char *e = S_class_end(s + i);
		return e && (size_t)(e - s) <= n ? (size_t)(e - s) : 0;
	}
	if (strchr(".^$|?*+(){}", c))
		return 0;
	size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	return i + k <= n ? i + k : 0;
}

/* The id of class s[0, n) in ls, compiled when new; SIZE_MAX when it
 * cannot be (too many, no memory, or not one character for PCRE2). */
static size_t S_lad_class(warta_ruleset *rs, struct ladders *ls, const char *s, size_t n)
{
	for (size_t c = 0; c < ls->ncls; c++)
		if (strlen(ls->cls_text[c]) == n && memcmp(ls->cls_text[c], s, n) == 0)
			return c;
	if (ls->ncls == S_LAD_CLASSES)
		return SIZE_MAX;
	sbuf w = {.mem = rs->mem};
	S_put(&w, "(?:", 3);
	S_put(&w, s, n);
	S_put(&w, ")", 1);
	if (w.oom || !w.s)
		return SIZE_MAX;
	int err;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)w.s, w.n,
	                                 PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &err, &off, NULL);
	rs->mem->free(w.s);
	uint32_t minlen = 0;
	if (!code || pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen) || minlen != 1) {
		pcre2_code_free(code);
		return SIZE_MAX;
	}
	char *text = S_dup(rs->mem, s, n);
	pcre2_match_data *md = pcre2_match_data_create(1, rs->gctx);
	if (!text || !md) {
		rs->mem->free(text);
		pcre2_match_data_free(md);
		pcre2_code_free(code);
		return SIZE_MAX;
	}
	size_t id = ls->ncls++;
	ls->gen = atomic_fetch_add(&S_lad_gens, 1) + 1;
	ls->cls[id] = code;
	ls->cls_text[id] = text;
	for (unsigned c = 0; c < 128; c++) {
		unsigned char b = (unsigned char)c;
		if (pcre2_match(code, &b, 1, 0, 0, md, NULL) >= 0)
			ls->ascii[c] |= (uint64_t)1 << id;
	}
	pcre2_match_data_free(md);
	return id;
}

static bool S_grow(const warta_mem *mem, void **v, size_t n, size_t *cap, size_t elem);

/* Parses the negative look-behind at s[i] ("(?<!" there) and adds its
 * branches to ld; returns its end, or 0 (ld as it was) when it is not one
 * of single characters. The items' classes are named by their text until
 * S_lad_classes. */
static size_t S_lad_parse(const warta_mem *mem, struct ladder *ld, size_t *capalt, size_t *capatom,
                          const char *s, size_t i, size_t n)
{
	size_t nalt = ld->nalt, natom = ld->natom;
	size_t j = i + 4;
	for (;;) { /* a branch */
		struct lad_alt al = {0, 0, 0, (uint16_t)ld->natom};
		unsigned len = 0;
		while (j < n && s[j] != '|' && s[j] != ')') {
			size_t e = S_lad_item(s, j, n), item = e - j;
			unsigned count = 1;
			if (e && e < n && s[e] == '{') {
				size_t k = e + 1;
				for (count = 0;
				     k < n && s[k] >= '0' && s[k] <= '9' && count <= S_LAD_LEN; k++)
					count = count * 10 + (unsigned)(s[k] - '0');
				e = k < n && s[k] == '}' && k > e + 1 ? k + 1 : 0;
			}
			len += count;
			if (!e || !count || len > S_LAD_LEN || item > UINT8_MAX || j > UINT32_MAX ||
			    ld->natom >= UINT16_MAX || (e < n && s[e] && strchr("?*+{", s[e])) ||
			    !S_grow(mem, (void **)&ld->atom, ld->natom, capatom, sizeof *ld->atom))
				goto undo;
			ld->atom[ld->natom++] =
			    (struct lad_atom){0, (uint8_t)count, (uint8_t)item, (uint32_t)j};
			al.natom++;
			j = e;
		}
		if (j >= n || !len ||
		    !S_grow(mem, (void **)&ld->alt, ld->nalt, capalt, sizeof *ld->alt))
			goto undo;
		al.len = (uint8_t)len;
		ld->alt[ld->nalt++] = al;
		if (s[j++] == ')')
			return j;
	}
undo:
	ld->nalt = nalt;
	ld->natom = natom;
	return 0;
}

/* The tests (S_lad_in8) of the ASCII characters of class c of ls: false
 * when they are more than two ranges. */
static bool S_lad_ranges(const struct ladders *ls, unsigned c, uint64_t a[2], uint64_t b[2])
{
	unsigned n = 0;
	a[0] = a[1] = b[0] = b[1] = 0;
	for (unsigned lo = 0; lo < 128; lo++) {
		if (!(ls->ascii[lo] >> c & 1) || (lo && ls->ascii[lo - 1] >> c & 1))
			continue;
		unsigned hi = lo;
		while (hi < 127 && ls->ascii[hi + 1] >> c & 1)
			hi++;
		if (n == 2)
			return false;
		a[n] = BM_ONES * (0x80 - lo);
		b[n++] = BM_ONES * (0x80 - hi - 1);
	}
	return true;
}

/* Gathers ld's rungs of the shape X Y{k} Z into families (struct lad_fam)
 * and puts the others first, to be checked one by one (the order of the
 * rungs does not change the run's answer: it fails when any of them
 * matches). */
static bool S_lad_fams(const warta_mem *mem, const struct ladders *ls, struct ladder *ld)
{
	/* the X Z rungs (k = 0) join a family with their X and Z, whatever its
	 * Y, so they are taken second */
	for (int zero = 0; zero < 2; zero++)
		for (size_t a = 0; a < ld->nalt; a++) {
			struct lad_alt *al = &ld->alt[a];
			const struct lad_atom *at = &ld->atom[al->first];
			if (al->natom != 3 - zero || at[0].count != 1 ||
			    at[al->natom - 1].count != 1)
				continue;
			uint8_t x = at[0].cls, y = zero ? 0 : at[1].cls, z = at[al->natom - 1].cls;
			unsigned k = zero ? 0 : at[1].count; /* below S_LAD_LEN - 1 */
			size_t f = 0;
			while (f < ld->nfam && !(ld->fam[f].cx == x && ld->fam[f].cz == z &&
			                         (zero || ld->fam[f].cy == y)))
				f++;
			if (f == ld->nfam) {
				if (zero || f == S_LAD_FAMS)
					continue;
				ld->fam[ld->nfam++] = (struct lad_fam){.x = (uint64_t)1 << x,
				                                       .y = (uint64_t)1 << y,
				                                       .z = (uint64_t)1 << z,
				                                       .cx = x,
				                                       .cy = y,
				                                       .cz = z};
			}
			ld->fam[f].ks |= (uint64_t)1 << k;
			al->fam = 1;
		}
	size_t i = 0, j = ld->nalt;
	while (i < j)
		if (!ld->alt[i].fam)
			i++;
		else {
			struct lad_alt t = ld->alt[i];
			ld->alt[i] = ld->alt[--j];
			ld->alt[j] = t;
		}
	size_t none = i; /* the rungs of no family: alt[0, none) */
	for (size_t f = 0; f < ld->nfam; f++) {
		struct lad_fam *fm = &ld->fam[f];
		fm->swar = S_lad_ranges(ls, fm->cx, fm->xa, fm->xb) &&
		           S_lad_ranges(ls, fm->cy, fm->ya, fm->yb);
	}
	size_t n = 1;
	for (size_t a = 0; a < none; a++)
		n += 1 + ld->alt[a].len;
	if (!(ld->one = mem->calloc(n, 1)))
		return false;
	uint8_t *r = ld->one;
	for (size_t a = 0; a < none; a++) {
		const struct lad_alt *al = &ld->alt[a];
		*r = al->len;
		uint8_t *c = r + al->len; /* the farthest character first */
		for (size_t k = 0; k < al->natom; k++)
			for (unsigned j = 0; j < ld->atom[al->first + k].count; j++)
				*c-- = ld->atom[al->first + k].cls;
		if (al->len == 1)
			ld->one1 |= (uint64_t)1 << r[1];
		else if (al->len == 2 && ld->npair < S_LAD_PAIRS) {
			ld->pair[ld->npair].near = (uint64_t)1 << r[1];
			ld->pair[ld->npair++].far = (uint64_t)1 << r[2];
		} else {
			if (ld->onelen < al->len)
				ld->onelen = al->len;
			r += 1 + al->len;
		}
	}
	*r = 0;
	return true;
}

/* Names the classes of ld's items by their ids in ls, compiled when new;
 * false when one cannot be (the run then stays as written). */
static bool S_lad_classes(warta_ruleset *rs, struct ladders *ls, struct ladder *ld, const char *s)
{
	for (size_t k = 0; k < ld->natom; k++) {
		size_t c = S_lad_class(rs, ls, s + ld->atom[k].at, ld->atom[k].len);
		if (c == SIZE_MAX)
			return false;
		ld->atom[k].cls = (uint8_t)c;
	}
	for (size_t a = 0; a < ld->nalt; a++) {
		const struct lad_alt *al = &ld->alt[a];
		ld->last |= (uint64_t)1 << ld->atom[al->first + al->natom - 1].cls;
	}
	return S_lad_fams(rs->mem, ls, ld);
}

/* Whether the option group or setting at s[i] ("(?" there) turns on an
 * option that could change what an item of a ladder means (i, x; s and m
 * change only ".", "^" and "$", which no ladder holds). */
static bool S_lad_option_on(const char *s, size_t i, size_t n)
{
	for (size_t k = i + 2; k < n && s[k] != '-' && s[k] != ':' && s[k] != ')'; k++) {
		if (s[k] == 'i' || s[k] == 'x')
			return true;
		if (!isalpha((unsigned char)s[k]) && s[k] != '^')
			return false;
	}
	return false;
}

/* Writes exp to *out with each run of negative look-behinds that
 * S_lad_parse takes, of S_LAD_WORK characters or more in all, as the
 * callout of its ladder: 1 when it did, 0 when there was none (out left
 * empty), -1 when memory ran out. */
static int S_ladders_rewrite(warta_ruleset *rs, const sbuf *exp, sbuf *out)
{
	const char *s = exp->s;
	size_t n = exp->n;
	if (!s || !strstr(s, "(?<!"))
		return 0;
	struct ladders *ls = rs->ladders;
	if (!ls && !(ls = rs->ladders = rs->mem->calloc(1, sizeof *ls)))
		return -1;
	size_t copied = 0, i = 0;
	/* the open groups, and for each whether it (or an option setting in
	 * it) turned on i or x: no ladder is taken inside such a group */
	uint64_t opt[8] = {0};
	size_t depth = 0;
	bool on = false;
	while (i < n) {
		if (s[i] == '\\') {
			if (i + 1 < n && s[i + 1] == 'Q')
				break; /* quoted text: no ladder is looked for after it */
			i += 2;
			continue;
		}
		if (s[i] == ')') {
			if (depth) {
				depth--;
				opt[depth / 64] &= ~((uint64_t)1 << depth % 64);
			}
			on = false;
			for (size_t k = 0; k < 8 && !on; k++)
				on = opt[k] != 0;
			i++;
			continue;
		}
		if (s[i] == '(' && strncmp(s + i, "(?C\"", 4) != 0 &&
		    (strncmp(s + i, "(?<!", 4) != 0 || on)) {
			if (depth >= 8 * 64)
				break;
			bool set = i + 1 < n && s[i + 1] == '?' && S_lad_option_on(s, i, n);
			size_t k = i + 2;
			while (k < n &&
			       (isalpha((unsigned char)s[k]) || s[k] == '-' || s[k] == '^'))
				k++;
			if (set && k < n && s[k] == ')') { /* (?i): for the rest of the group */
				if (depth)
					opt[(depth - 1) / 64] |= (uint64_t)1 << (depth - 1) % 64;
				else
					break; /* for the whole rest of the pattern */
				on = true;
				i = k + 1;
				continue;
			}
			opt[depth / 64] |= (uint64_t)set << depth % 64;
			depth++;
			on = on || set;
			i++;
			continue;
		}
		if (s[i] == '[') {
			size_t e = S_lad_item(s, i, n);
			if (!e)
				break;
			i = e;
			continue;
		}
		if (s[i] != '(') {
			i++;
			continue;
		}
		if (strncmp(s + i, "(?C\"", 4) == 0) {
			const char *e = strstr(s + i + 4, "\")");
			if (!e)
				break;
			i = (size_t)(e - s) + 2;
			continue;
		}
		if (strncmp(s + i, "(?<!", 4) != 0) {
			i++;
			continue;
		}
		struct ladder ld = {0};
		size_t capalt = 0, capatom = 0, e = i, f;
		while (e + 4 <= n && strncmp(s + e, "(?<!", 4) == 0 &&
		       (f = S_lad_parse(rs->mem, &ld, &capalt, &capatom, s, e, n)) != 0)
			e = f;
		size_t work = 0;
		for (size_t a = 0; a < ld.nalt; a++)
			work += ld.alt[a].len;
		size_t id = 0;
		while (work >= S_LAD_WORK && id < ls->n &&
		       !(ls->v[id].n == e - i && memcmp(ls->v[id].text, s + i, e - i) == 0))
			id++;
		bool made = work >= S_LAD_WORK && (id < ls->n || S_lad_classes(rs, ls, &ld, s));
		rs->mem->free(ld.alt); /* what S_ladder_at reads is built from them */
		rs->mem->free(ld.atom);
		ld.alt = NULL, ld.atom = NULL, ld.nalt = ld.natom = 0;
		if (!made) {
			rs->mem->free(ld.one);
			if (e > i) { /* whole groups: passed over */
				i = e;
				continue;
			}
			if (depth >= 8 * 64)
				break;
			depth++; /* a look-behind of other items: a group like any */
			i++;
			continue;
		}
		if (id == ls->n) {
			ld.n = e - i;
			if (!(ld.text = S_dup(rs->mem, s + i, e - i)) ||
			    !S_grow(rs->mem, (void **)&ls->v, ls->n, &ls->cap, sizeof *ls->v)) {
				rs->mem->free(ld.text);
				rs->mem->free(ld.one);
				rs->mem->free(out->s);
				out->s = NULL;
				return -1;
			}
			ls->v[ls->n++] = ld;
		}
		/* the hash of the run's text makes the rule's load-cache key */
		char call[64];
		snprintf(call, sizeof call, "(?C\"<%zu#%016llx\")", id,
		         (unsigned long long)hash64(s + i, e - i, 0));
		S_put(out, s + copied, i - copied);
		S_put(out, call, strlen(call));
		copied = i = e;
	}
	if (!copied)
		return 0;
	S_put(out, s + copied, n - copied);
	if (out->oom || !out->s) {
		rs->mem->free(out->s);
		out->s = NULL;
		return -1;
	}
	return 1;
}

/* The number written at *s (digits only; the callout strings are ours),
 * and where it ends (when end is not NULL). Not strtoul or isdigit: a callout is the hottest call
 * there is, and they went through the locale for each digit. */
static inline size_t S_callout_num(const char *s, const char **end)
{
	size_t v = 0;
	unsigned d;
	/* ours have one digit or two: those are read without a loop */
	if ((d = (unsigned)(s[0] - '0')) < 10) {
		v = d;
		if ((d = (unsigned)(s[1] - '0')) < 10) {
			v = v * 10 + d;
			for (s += 2; (d = (unsigned)(*s - '0')) < 10; s++)
				v = v * 10 + d;
		} else
			s++;
	}
	if (end)
		*end = s;
	return v;
}

/* The characters of the UTF-8 text s[0, n), of which avail bytes (n or
 * more) may be read: its bytes but the continuation bytes (10xxxxxx),
 * counted eight at a time. */
static inline size_t S_chars(const uint8_t *s, size_t n, size_t avail)
{
	size_t c = n;
	for (size_t b = 0; b < n; b += 8) {
		uint64_t v = 0;
		if (avail - b >= 8)
			v = bm_load8(s + b); /* s[b] in the low byte */
		else {                       /* at the end of the subject */
			uint8_t tail[8] = {0};
			memcpy(tail, s + b, avail - b);
			v = bm_load8(tail);
		}
		if (n - b < 8) /* the bytes of s only */
			v &= ~(uint64_t)0 >> (8 * (8 - (n - b)));
		c -= bm_count8(v & ~(v << 1) & BM_HIGH); /* bit 7 set, bit 6 clear */
	}
	return c;
}

/* A test callout "?N" (holds where test N does) or "!N" (where it does not). */
static __attribute__((noinline)) int S_test_callout(const warta_ruleset *rs,
                                                    const pcre2_callout_block *cb, const char *str)
{
	size_t id = S_callout_num(str + 1, NULL);
	if (tl_probe || id >= rs->nclasses)
		return 0; /* a probe of a few bytes: the test may hold */
	int yes =
	    S_class_at(rs, id, (const char *)cb->subject, cb->subject_length, cb->current_position);
	return yes < 0 ? yes : yes == (str[0] == '?') ? 0 : 1;
}

/* A list callout "@N" and its op (above). */
static __attribute__((noinline)) int S_list_callout(const warta_ruleset *rs,
                                                    const pcre2_callout_block *cb, const char *str)
{
	const char *op;
	size_t id = S_callout_num(str + 1, &op);
	if (id >= rs->nltries)
		return 0;
	const struct list_trie *t = rs->ltries[id];
	size_t start = cb->offset_vector[2 * cb->capture_last];
	if (cb->capture_last == 0 || start > cb->current_position)
		return 1; /* not ours: no group marks where a word starts */
	const struct lwalk_cache *w = tl_recent;
	if (*op == '^' || tl_probe || !w || w->t != t || w->p != start || w->s != cb->subject ||
	    w->n != cb->subject_length)
		w = S_lwalk_cached(t, cb->subject, cb->subject_length, start);
	bool open = tl_probe && w->alive;
	if (*op == '^')
		return open || w->first <= w->last ? 0 : 1; /* a word of any length */
	/* the characters taken since the start */
	size_t c =
	    S_chars(cb->subject + start, cb->current_position - start, cb->subject_length - start);
	switch (*op) {
	case '>': {
		size_t k = S_callout_num(op + 1, &op);
		return open || S_lany(w, c + k, c + 2 * k) ? 0 : 1;
	}
	case '*': /* 8 more, as long as the words reach as far as the chunks did */
		return open || S_lany(w, c + 8, 2 * (size_t)t->chunk) ? 0 : 1;
	default: return c < S_LMAX && (w->set[c / 64] >> (c % 64) & 1) ? 0 : 1;
	}
}

/* The callouts of all patterns. A dispatch that keeps no registers, so
 * that the ladders, a third of the callouts, are a jump away and each kind
 * saves only the registers it uses (the callout's own frame was 16
 * instructions a call). */
int rules_list_callout(pcre2_callout_block *cb, void *data)
{
	const warta_ruleset *rs = data;
	const char *str = (const char *)cb->callout_string;
	if (!str) /* a numbered callout: none of ours */
		return 0;
	switch (str[0]) {
	case '<':
		return S_ladder_at(rs, S_callout_num(str + 1, NULL), cb->subject,
		                   cb->current_position);
	case '?':
	case '!': return cb->callout_string_length >= 2 ? S_test_callout(rs, cb, str) : 0;
	case '@': return cb->callout_string_length >= 3 ? S_list_callout(rs, cb, str) : 0;
	default: return 0;
	}
}

/* A list macro's prefix-tree body, kept for the other files that name the
 * same list: every file has its own macros, and building a body (reading,
 * sorting and spelling out the words) was a quarter of a cached load. */
struct list_memo {
	char *spec, *body;
	bool big; /* a list of S_LTRIE_MAX words or more, asked for as prefix trees */
};

static void S_memo_free(warta_ruleset *rs)
{
	for (size_t i = 0; i < rs->nlmemo; i++) {
		rs->mem->free(rs->lmemo[i].spec);
		rs->mem->free(rs->lmemo[i].body);
	}
	rs->mem->free(rs->lmemo);
	rs->lmemo = NULL;
	rs->nlmemo = rs->caplmemo = 0;
}

static const struct list_memo *S_memo_get(const warta_ruleset *rs, const char *spec, size_t n)
{
	for (size_t i = 0; i < rs->nlmemo; i++)
		if (strlen(rs->lmemo[i].spec) == n && memcmp(rs->lmemo[i].spec, spec, n) == 0)
			return &rs->lmemo[i];
	return NULL;
}

/* Keeps body[0, bn) for spec; without memory it is only not kept. */
static void S_memo_put(warta_ruleset *rs, const char *spec, size_t n, const char *body, size_t bn,
                       bool big)
{
	const warta_mem *mem = rs->mem;
	if (rs->nlmemo == rs->caplmemo) {
		size_t cap = rs->caplmemo ? 2 * rs->caplmemo : 64;
		struct list_memo *v = mem->realloc(rs->lmemo, cap * sizeof *v);
		if (!v)
			return;
		rs->lmemo = v;
		rs->caplmemo = cap;
	}
	char *s = S_dup(mem, spec, n), *b = S_dup(mem, body, bn);
	if (!s || !b) {
		mem->free(s);
		mem->free(b);
		return;
	}
	rs->lmemo[rs->nlmemo++] = (struct list_memo){s, b, big};
}

void rules_lists_free(warta_ruleset *rs)
{
	S_memo_free(rs);
	S_ladders_free(rs);
	for (size_t i = 0; i < rs->nltries; i++) {
		rs->mem->free(rs->ltries[i]->spec);
		rs->mem->free(rs->ltries[i]->node);
		rs->mem->free(rs->ltries[i]->pn);
		rs->mem->free(rs->ltries[i]->pbyte);
		rs->mem->free(rs->ltries[i]->sub);
		rs->mem->free(rs->ltries[i]);
	}
	rs->mem->free(rs->ltries);
	rs->ltries = NULL;
	rs->nltries = rs->capltries = 0;
}

/* Whether the words below node an of a are words below node bn of b (or,
 * with mark, sets `bit` in mark[] at b's nodes of those words). */
static bool S_lsubset(const struct list_trie *a, uint32_t an, const struct list_trie *b,
                      uint32_t bn, uint32_t *mark, uint32_t bit)
{
	const pnode *x = &a->pn[an];
	if (x->term && !b->pn[bn].term)
		return false;
	if (x->term && mark)
		mark[bn] |= bit;
	for (uint32_t i = 0; i < x->nkids; i++) {
		uint32_t c = S_pchild(b->pn, b->pbyte, bn, a->pbyte[x->kids + i]);
		if (!c || !S_lsubset(a, x->kids + i, b, c, mark, bit))
			return false;
	}
	return true;
}

/* Makes b answer a's walks if a's words (on each root) are among b's and b
 * is larger than a's super so far: the largest union is asked first. */
static void S_lshare1(const warta_mem *mem, struct list_trie *a, struct list_trie *b)
{
	if (a == b || a->n > b->n || (a->super && a->super->n >= b->n) || b->nsub >= 32 ||
	    !S_lsubset(a, 1, b, 1, NULL, 0) || !S_lsubset(a, 2, b, 2, NULL, 0))
		return;
	if (!b->sub && !(b->sub = mem->calloc(b->n, sizeof *b->sub)))
		return; /* only not shared */
	uint32_t bit = 1u << b->nsub;
	S_lsubset(a, 1, b, 1, b->sub, bit);
	S_lsubset(a, 2, b, 2, b->sub, bit);
	a->super = b;
	a->superbit = b->nsub++;
}

/* Shares the walks of the new trie t and those of the others (above). */
static void S_lshare(warta_ruleset *rs, struct list_trie *t)
{
	for (size_t i = 0; i < rs->nltries; i++) {
		S_lshare1(rs->mem, t, rs->ltries[i]);
		S_lshare1(rs->mem, rs->ltries[i], t);
	}
}

/* Builds the trie of the words kw[0, nfold) (folded: caseless) and
 * kw[nfold, nfold + ncase) (exact) as rs->ltries[*id]. */
static bool S_ltrie_new(loader *L, const char *spec, size_t n, char **kw, size_t nfold,
                        size_t ncase, size_t *id)
{
	warta_ruleset *rs = L->rs;
	const warta_mem *mem = L->mem;
	struct list_trie *t = mem->calloc(1, sizeof *t);
	if (!t || !(t->node = mem->calloc(t->cap = 256, sizeof *t->node)) ||
	    !(t->spec = S_dup(mem, spec, n))) {
		if (t)
			mem->free(t->node);
		mem->free(t);
		return false;
	}
	t->n = 3;
	size_t longest = 0;
	bool ok = true, space = false;
	t->hash = hash64(&nfold, sizeof nfold, 0);
	for (size_t w = 0; ok && w < nfold + ncase; w++) {
		const uint8_t *k = (const uint8_t *)kw[w];
		size_t kl = strlen(kw[w]), chars = 0;
		t->hash = hash64(k, kl + 1, t->hash);
		uint8_t folded[512];
		size_t fl = 0;
		for (size_t b = 0; b < kl; b++)
			space = space || k[b] == ' ';
		for (size_t b = 0; b < kl;) { /* caseless words: non-ASCII letters too */
			utf8proc_int32_t cp;
			utf8proc_ssize_t r =
			    utf8proc_iterate(k + b, (utf8proc_ssize_t)(kl - b), &cp);
			size_t step = r > 0 ? (size_t)r : 1;
			if (w < nfold && r > 0 && cp >= 0x80 && fl + 4 < sizeof folded)
				fl +=
				    (size_t)utf8proc_encode_char(utf8proc_tolower(cp), folded + fl);
			else
				for (size_t j = 0; j < step && fl < sizeof folded; j++)
					folded[fl++] = k[b + j];
			b += step;
			chars++;
		}
		if (chars > longest)
			longest = chars;
		if (fl && folded[0] < 0x80) {
			t->first[folded[0] >> 3] |= (uint8_t)(1u << (folded[0] & 7));
			if (w < nfold) {
				unsigned u = (unsigned)toupper(folded[0]);
				t->first[u >> 3] |= (uint8_t)(1u << (u & 7));
			}
		}
		ok = S_ladd(mem, t, w < nfold ? 1 : 2, folded, fl);
	}
	ok = ok && S_lpack(mem, t);
	if (ok)
		S_lxdead(t);
	/* room for runs of white space where a word has one space; a list
	 * without spaces needs none, and a chunk fewer is a callout fewer */
	size_t reach = longest + (space ? 16 : 0);
	if (reach >= S_LMAX)
		reach = S_LMAX - 1;
	for (t->chunk = 1; t->chunk * 2 <= reach;)
		t->chunk *= 2;
	if (ok && rs->nltries == rs->capltries) {
		size_t nc = rs->capltries ? rs->capltries * 2 : 16;
		struct list_trie **nv = mem->realloc(rs->ltries, nc * sizeof *nv);
		if (nv) {
			rs->ltries = nv;
			rs->capltries = nc;
		} else
			ok = false;
	}
	if (!ok) {
		mem->free(t->spec);
		mem->free(t->node);
		mem->free(t->pn);
		mem->free(t->pbyte);
		mem->free(t);
		return false;
	}
	*id = rs->nltries;
	rs->ltries[rs->nltries++] = t;
	S_lshare(rs, t);
	return true;
}

/* The callouts of list id (above), behind a class of the characters its
 * words start with, which spares a callout at most positions. */
static void S_put_callout_list(sbuf *out, size_t id, const struct list_trie *t)
{
	char buf[64];
	S_put(out, "(?=(?-i)[", 9);
	for (unsigned c = 0; c < 128; c++)
		if (t->first[c >> 3] >> (c & 7) & 1) {
			snprintf(buf, sizeof buf, "\\x{%x}", c);
			S_put(out, buf, strlen(buf));
		}
	S_put(out, "\\x{80}-\\x{10ffff}])", 19);
	snprintf(buf, sizeof buf, "()(?C\"@%zu^\")", id);
	S_put(out, buf, strlen(buf));
	unsigned k = t->chunk;
	if (k > 8) { /* 8 characters as often as some word is longer: see above */
		snprintf(buf, sizeof buf, "(?:(?C\"@%zu*\")(?s:.{8}))*", id);
		S_put(out, buf, strlen(buf));
		k = 4;
	}
	for (; k; k /= 2) {
		if (k > 1)
			snprintf(buf, sizeof buf, "(?:(?C\"@%zu>%u\")(?s:.{%u}))?", id, k, k);
		else
			snprintf(buf, sizeof buf, "(?:(?C\"@%zu>1\")(?s:.))?", id);
		S_put(out, buf, strlen(buf));
	}
	snprintf(buf, sizeof buf, "(?C\"@%zu=\")", id);
	S_put(out, buf, strlen(buf));
}

/* Builds the body of "define NAME @list.tsv[col=value]": the callouts of a
 * trie (above), or with `trie` an alternation built as prefix trees
 * (S_trie) so that the longest word is tried first and PCRE2's
 * leftmost-first acts as leftmost-longest. Words in capitals keep their
 * case; the rest match in any case. */
static bool S_list_macro(loader *L, const char *spec, size_t n, int col, sbuf *out, bool trie)
{
	if (!trie)
		for (size_t i = 0; i < L->rs->nltries; i++)
			if (strlen(L->rs->ltries[i]->spec) == n &&
			    memcmp(L->rs->ltries[i]->spec, spec, n) == 0) {
				S_put_callout_list(out, i, L->rs->ltries[i]);
				return !out->oom;
			}
	const struct list_memo *memo = S_memo_get(L->rs, spec, n);
	if (memo && (trie || !memo->big)) {
		S_put(out, memo->body, strlen(memo->body));
		return !out->oom;
	}
	size_t start = out->n;
	char **words;
	size_t nw;
	sbuf store;
	bool entity;
	if (!S_list_words(L, spec, n, col, &words, &nw, &store, &entity))
		return false;
	/* A short list is faster as a prefix tree (a callout costs more than
	 * PCRE2's walk of a few hundred words); a long one would make every
	 * pattern that names it large and slow to compile. */
	if (nw < S_LTRIE_MAX)
		trie = true;
	/* Two sets: the words that keep their case, and the others folded to
	 * lower case (matched caselessly). */
	sbuf keys = {.mem = L->mem};
	size_t *koff = L->mem->calloc(nw + 1, sizeof(size_t));
	char **kw = L->mem->calloc(nw + 1, sizeof(char *));
	bool ok = koff && kw;
	size_t ncase = 0, nfold = 0;
	for (int pass = 0; ok && pass < 2; pass++)
		for (size_t w = 0; w < nw; w++) {
			bool exact = entity && words[w][0] == '=';
			const char *word = words[w] + exact;
			bool caps = exact || S_all_caps(word);
			if (caps != (pass == 1))
				continue;
			koff[ncase + nfold] = keys.n;
			for (const char *c = word; *c; c++) {
				if (*c == ' ' && (c[1] == ' ' || keys.n == koff[ncase + nfold]))
					continue;
				char ch = caps ? *c : (char)tolower((unsigned char)*c);
				S_put(&keys, &ch, 1);
			}
			S_put(&keys, "", 1); /* the NUL, kept */
			*(pass ? &ncase : &nfold) += 1;
		}
	if (ok && !keys.oom) {
		for (size_t w = 0; w < nfold + ncase; w++)
			kw[w] = keys.s + koff[w];
		if (!trie) {
			size_t id;
			if (S_ltrie_new(L, spec, n, kw, nfold, ncase, &id))
				S_put_callout_list(out, id, L->rs->ltries[id]);
			else
				ok = false;
		} else {
			qsort(kw, nfold, sizeof(char *), S_cmp_bytes);
			qsort(kw + nfold, ncase, sizeof(char *), S_cmp_bytes);
			if (nfold) {
				S_put(out, "(?i:", 4);
				S_trie(out, kw, 0, nfold, 0);
				S_put(out, ")", 1);
			}
			if (ncase) {
				S_put(out, nfold ? "|(?-i:" : "(?-i:", nfold ? 6 : 5);
				S_trie(out, kw, nfold, nfold + ncase, 0);
				S_put(out, ")", 1);
			}
			if (!out->oom)
				S_memo_put(L->rs, spec, n, out->s + start, out->n - start,
				           nw >= S_LTRIE_MAX);
		}
	}
	L->mem->free(koff);
	L->mem->free(kw);
	L->mem->free(keys.s);
	if (!ok || keys.oom)
		out->oom = true;
	L->mem->free(words);
	L->mem->free(store.s);
	return !out->oom;
}

/* The body of m with its lists (and those of the macros it uses) as prefix
 * trees, made on first use; NULL after an error. */
static const char *S_trie_body(loader *L, macro *m)
{
	if (m->trie || !m->src)
		return m->trie ? m->trie : m->body;
	sbuf b = {.mem = L->mem};
	piece pcs[64];
	size_t np = 0;
	bool ok = m->list ? S_list_macro(L, m->src, strlen(m->src), m->col, &b, true)
	                  : S_expand(L, m->src, strlen(m->src), m->col, &b, pcs, &np, 64);
	if (!ok || !b.s) {
		L->mem->free(b.s);
		if (b.oom)
			L->errors++;
		return NULL;
	}
	return m->trie = b.s;
}

/* Reads the NAME that opens "define NAME ..." or "test NAME ..." (what is
 * "macro" or "test", kw the keyword): letters in capitals, digits and '_',
 * not yet defined (known), and something after it. Returns the name's
 * length and sets *body to where the rest starts, or returns 0 after saying
 * what is wrong. */
static size_t S_head(loader *L, const char *rest, size_t n, int col, const char *what,
                     const char *kw, bool (*known)(const loader *, const char *, size_t),
                     size_t *body)
{
	size_t i = 0;
	while (i < n && (isalnum((unsigned char)rest[i]) || rest[i] == '_'))
		i++;
	bool caps = i && (isupper((unsigned char)rest[0]) || rest[0] == '_');
	for (size_t k = 0; caps && k < i; k++)
		caps = !islower((unsigned char)rest[k]);
	if (!caps) {
		S_err(L, col, "a %s name is written in capitals: %s NAME pattern", what, kw);
		return 0;
	}
	size_t j = i;
	while (j < n && (rest[j] == ' ' || rest[j] == '\t'))
		j++;
	if (j == n) {
		S_err(L, col + (int)j, "the %s has no %s", what, kw[0] == 'd' ? "body" : "pattern");
		return 0;
	}
	if (known(L, rest, i)) {
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)i, rest);
		S_err(L, col,
		      kw[0] == 'd' ? "macro %s is defined twice%s" : "test %s is defined twice%s",
		      name, NULL);
		return 0;
	}
	*body = j;
	return i;
}

static bool S_macro_known(const loader *L, const char *name, size_t n)
{
	return S_macro(L, name, n) != NULL;
}

static void S_define(loader *L, const char *rest, size_t n, int col)
{
	size_t j, i = S_head(L, rest, n, col, "macro", "define", S_macro_known, &j);
	if (!i)
		return;
	sbuf body = {.mem = L->mem};
	bool ok;
	if (rest[j] == '@')
		ok = S_list_macro(L, rest + j + 1, n - j - 1, col + (int)j, &body, false);
	else {
		piece pcs[64];
		size_t np = 0;
		ok = S_expand(L, rest + j, n - j, col + (int)j, &body, pcs, &np, 64);
	}
	if (!ok || !body.s) {
		L->mem->free(body.s);
		if (body.oom)
			L->errors++;
		return;
	}
	if (L->nmacros == L->capmacros) {
		size_t nc = L->capmacros ? L->capmacros * 2 : 16;
		macro *nm = L->mem->realloc(L->macros, nc * sizeof(macro));
		if (!nm) {
			L->mem->free(body.s);
			L->errors++;
			return;
		}
		L->macros = nm;
		L->capmacros = nc;
	}
	bool list = rest[j] == '@';
	L->macros[L->nmacros] = (macro){S_dup(L->mem, rest, i),
	                                body.s,
	                                S_dup(L->mem, rest + j + list, n - j - list),
	                                NULL,
	                                list,
	                                col + (int)j + list};
	L->nmacros++;
}

/* ------------------------------------------------------------- tests
 *
 * "test NAME pattern" names a test that a pattern asks as {?NAME} (the
 * test's pattern matches here) or {!NAME} (it does not), through a
 * callout. The test's pattern runs anchored at the position over the same
 * subject, and its answer is kept per document, position and subject end:
 * the person rules ask whether a capitalised word is a stop word, a head
 * noun or a title at every word of every candidate name, and spelt out,
 * those lists were walked there again by each rule and each backtrack, and
 * their code repeated in every rule. A test consumes no text and keeps no
 * captures: it stands for a look-ahead. (Rules are "classes" of a kind in
 * the loader: a test is a rule with is_class set, compiled and cached as
 * one, and never scanned.) */

/* What a match needs of r's compiled pattern: its number of groups (the
 * match data of every rule holds the largest), and the numbers of the groups
 * that stage 6 reads from each match. */
static void S_groups(warta_ruleset *rs, rule *r)
{
	pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &r->capture_count);
	if (r->capture_count + 1 > rs->max_captures)
		rs->max_captures = r->capture_count + 1;
	int g = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR) "name");
	r->group_name = g < 0 ? -1 : g;
	g = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR) "canonical");
	r->group_canonical = g < 0 ? -1 : g;
}

static void S_compile(loader *L, rule *r, const char *val, size_t n, int col);
static bool S_grow(const warta_mem *mem, void **v, size_t n, size_t *cap, size_t elem);
static void S_rule_free(rule *r, const warta_mem *mem);

static bool S_class_ref(loader *L, const char *name, size_t n, char sign, int col, sbuf *out)
{
	if (L->in_class) {
		S_err(L, col, "a test cannot ask another test: spell it out", NULL, NULL);
		return false;
	}
	for (size_t i = 0; i < L->ncnames; i++)
		if (strlen(L->cnames[i].name) == n && memcmp(L->cnames[i].name, name, n) == 0) {
			char buf[48];
			snprintf(buf, sizeof buf, "(?C\"%c%zu\")", sign, L->cnames[i].id);
			S_put(out, buf, strlen(buf));
			return !out->oom;
		}
	char nm[128];
	snprintf(nm, sizeof nm, "%.*s", (int)n, name);
	S_err(L, col, "unknown test {%s%s}: define it above with 'test NAME pattern'",
	      sign == '?' ? "?" : "!", nm);
	return false;
}

static bool S_test_known(const loader *L, const char *name, size_t n)
{
	for (size_t k = 0; k < L->ncnames; k++)
		if (strlen(L->cnames[k].name) == n && memcmp(L->cnames[k].name, name, n) == 0)
			return true;
	return false;
}

/* Compiles src (at column col) as a test of L's file named name[0, nl):
 * a new entry of rs->classes. Returns its id, or SIZE_MAX after an error. */
static size_t S_test_add(loader *L, const char *name, size_t nl, const char *src, size_t n, int col)
{
	warta_ruleset *rs = L->rs;
	rule *r = L->mem->calloc(1, sizeof *r);
	if (!r ||
	    !S_grow(L->mem, (void **)&rs->classes, rs->nclasses, &rs->capclasses,
	            sizeof *rs->classes) ||
	    !S_grow(L->mem, (void **)&L->cnames, L->ncnames, &L->capcnames, sizeof *L->cnames) ||
	    !(r->id = S_dup(L->mem, name, nl))) {
		L->mem->free(r);
		L->errors++;
		return SIZE_MAX;
	}
	r->file = L->rf->path;
	r->line = L->lineno;
	r->priority = 50;
	r->is_class = true;
	/* past the 64 rules that get start filters: a test is never scanned */
	L->rule_index = 64;
	L->in_class = true;
	S_compile(L, r, src, n, col);
	L->in_class = false;
	char *dup = r->code ? S_dup(L->mem, name, nl) : NULL;
	if (!dup) {
		if (r->code)
			L->errors++;
		S_rule_free(r, L->mem);
		L->mem->free(r);
		return SIZE_MAX;
	}
	L->cnames[L->ncnames++] = (struct class_name){dup, rs->nclasses};
	rs->classes[rs->nclasses] = r;
	return rs->nclasses++;
}

static void S_test_split(loader *L, rule *r, const char *src, size_t n, int col);

static void S_class(loader *L, const char *rest, size_t n, int col)
{
	size_t j, i = S_head(L, rest, n, col, "test", "test", S_test_known, &j);
	if (!i)
		return;
	size_t id = S_test_add(L, rest, i, rest + j, n - j, col + (int)j);
	if (id != SIZE_MAX)
		S_test_split(L, L->rs->classes[id], rest + j, n - j, col + (int)j);
}

static bool S_key_known(const loader *L, const char *k)
{
	for (size_t i = 0; i < sizeof S_builtin_keys / sizeof *S_builtin_keys; i++)
		if (strcmp(k, S_builtin_keys[i]) == 0)
			return true;
	for (size_t i = 0; i < L->nkeys; i++)
		if (strcmp(k, L->keys[i]) == 0)
			return true;
	return false;
}

static bool S_grow(const warta_mem *mem, void **v, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 8;
	void *nv = mem->realloc(*v, nc * elem);
	if (!nv)
		return false;
	*v = nv;
	*cap = nc;
	return true;
}

/* Fills r->first for a pattern anchored by a leading ^ (which matches only
 * at the subject's start): an ASCII byte is possible unless a one-byte subject
 * holding it fails even as a partial match. */
/* ------------------------------------------------------ near: windows */

/* A `near` rule runs only where one of its list words is close, so that a
 * rule whose selective part is not its first word ("[Name] mengatakan",
 * "Louis [van] Gaal") is not tried at every capitalised word. A word is a run
 * of ASCII letters and digits and of non-ASCII bytes; words are compared by a
 * hash of their ASCII-folded bytes (a collision only lets a rule run where it
 * need not) and multi-word entries by their first word. */
struct near_table {
	size_t cap; /* a power of two */
	struct near_slot {
		uint64_t hash, mask; /* hash 0: empty; mask: bit i = rules[i] */
	} * slot;
};

/* Per document: the words of the text that some near list may hold (by
 * near_bloom), with their starts, hashes and the files that may hold each
 * (near_bit; then 16 zero bytes); found once and shared by the rule files. */
struct near_words {
	uint32_t *pos;
	uint64_t *hash;
	uint8_t *files;
	size_t n;
};

/* Its bucket in warta_ruleset.near_bloom: most words of a text are in no
 * near list, and one test for all files beats a probe per file; the bucket
 * also tells which files may hold the word, so that a file's table is
 * probed only for the words it may hold (four files in five hold none). */
static size_t S_bloom_bit(uint64_t h)
{
	return (size_t)(h >> 49); /* 15 bits */
}

/* S_word_fold[c]: c with ASCII capitals made small when c is a word byte,
 * else 0 (no word byte is 0): one load decides both, per byte of text. */
#define S_WF(c)                                                                                    \
	(unsigned char)((c) >= 0x80 || ((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9')    \
	                    ? (c)                                                                  \
	                : (c) >= 'A' && (c) <= 'Z' ? (c) | 0x20                                    \
	                                           : 0)
#define S_WF4(c)  S_WF(c), S_WF((c) + 1), S_WF((c) + 2), S_WF((c) + 3)
#define S_WF16(c) S_WF4(c), S_WF4((c) + 4), S_WF4((c) + 8), S_WF4((c) + 12)
#define S_WF64(c) S_WF16(c), S_WF16((c) + 16), S_WF16((c) + 32), S_WF16((c) + 48)
static const unsigned char S_word_fold[256] = {S_WF64(0), S_WF64(64), S_WF64(128), S_WF64(192)};
#undef S_WF64
#undef S_WF16
#undef S_WF4
#undef S_WF

static bool S_word_byte(unsigned char c)
{
	return S_word_fold[c] != 0;
}

/* Eight word bytes v (S_word_byte) with ASCII capitals made small, as
 * S_word_fold folds them: the other ASCII bytes of a word, digits and small
 * letters, have bit 5 set already, so it is set in every byte below 0x80
 * (its clear bit 7, moved to bit 5), and bytes >= 0x80 are left alone.
 * Bytes that are no word bytes come out changed: mask them off after. */
static inline uint64_t S_wfold(uint64_t v)
{
	return v | (~v >> 2 & BM_ONES * 0x20);
}

/* The word hash's step: eight folded bytes v of a word (zeros past its
 * end) mixed into h. */
static inline uint64_t S_wmix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0xFF51AFD7ED558CCDull;
	return h ^ h >> 32;
}

/* The hash of the word bytes s[0, len), folded as S_word_fold folds them;
 * never 0. Eight bytes at a time: a text's words are hashed for every
 * document (S_near_words), and byte by byte that was a fifth of the cost
 * of preparing a scan. With pad, s[len, len + 8) may be read (a document's
 * text has 64 zero bytes after its end); without, it is not. */
static inline uint64_t S_whash(const unsigned char *s, size_t len, bool pad)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8)
		h = S_wmix(h, S_wfold(bm_load8(s + i)));
	if (i < len) {
		uint64_t v;
		if (pad)
			v = bm_load8(s + i);
		else {
			unsigned char b[8] = {0};
			memcpy(b, s + i, len - i);
			v = bm_load8(b);
		}
		h = S_wmix(h, S_wfold(v) & (((uint64_t)1 << (8 * (len - i))) - 1));
	}
	h *= 0xC4CEB9FE1A85EC53ull; /* the low bits probe the tables, the high ones the bloom */
	h ^= h >> 29;
	return h ? h : 1;
}

/* The hash of the word s[0, *len) (s[0] is a word byte); never 0. */
static inline uint64_t S_word_hash(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n && S_word_fold[u[i]])
		i++;
	*len = i;
	return S_whash(u, i, false);
}

static uint64_t S_near_mask(const struct near_table *t, uint64_t h)
{
	for (size_t k = h & (t->cap - 1); t->slot[k].hash; k = (k + 1) & (t->cap - 1))
		if (t->slot[k].hash == h)
			return t->slot[k].mask;
	return 0;
}

/* near @LIST... [before N] [after N]: bytes from the match start to the
 * start of a list word, backwards and forwards. */
static void S_near(loader *L, rule *r, size_t ri, const char *val, size_t vl, int vcol)
{
	bool lists = false;
	long win[2] = {0, 0};
	for (size_t i = 0, j; i < vl; i = j) {
		for (; i < vl && (val[i] == ' ' || val[i] == '\t'); i++)
			;
		for (j = i; j < vl && val[j] != ' ' && val[j] != '\t'; j++)
			;
		if (i == j)
			break;
		if (val[i] == '@') {
			char **w;
			size_t nw;
			sbuf store;
			bool entity;
			if (!S_list_words(L, val + i + 1, j - i - 1, vcol + (int)i, &w, &nw, &store,
			                  &entity))
				return;
			for (size_t k = 0; k < nw; k++) {
				const char *p = w[k];
				while (*p && !S_word_byte((unsigned char)*p))
					p++;
				size_t len;
				if (!*p || !S_grow(L->mem, (void **)&L->nearw, L->nnear,
				                   &L->capnear, sizeof *L->nearw))
					continue;
				L->nearw[L->nnear++] =
				    (struct near_pending){S_word_hash(p, strlen(p), &len), ri};
			}
			L->mem->free(w);
			L->mem->free(store.s);
			lists = true;
			continue;
		}
		int side = j - i == 6 && memcmp(val + i, "before", 6) == 0  ? 0
		           : j - i == 5 && memcmp(val + i, "after", 5) == 0 ? 1
		                                                            : -1;
		size_t k = j, e;
		for (; k < vl && (val[k] == ' ' || val[k] == '\t'); k++)
			;
		for (e = k; e < vl && isdigit((unsigned char)val[e]); e++)
			;
		if (side < 0 || e == k || e - k > 6 ||
		    (e < vl && val[e] != ' ' && val[e] != '\t')) {
			S_err(L, vcol + (int)i,
			      "near takes lists, then bytes: near @list.tsv[column=value] before N "
			      "after N%s%s",
			      "", "");
			return;
		}
		win[side] = strtol(val + k, NULL, 10);
		j = e;
	}
	if (!lists) {
		S_err(L, vcol, "near needs at least one @list.tsv%s%s", "", "");
		return;
	}
	if (ri >= 64) {
		S_err(L, vcol, "near: only the first 64 rules of a file can have it%s%s", "", "");
		return;
	}
	r->near = true;
	r->near_before = (uint32_t)win[0];
	r->near_after = (uint32_t)win[1];
}

/* The file's near table from the words its rules' near lists gave. */
static bool S_near_build(loader *L, rulefile *rf)
{
	if (!L->nnear)
		return true;
	struct near_table *t = L->mem->calloc(1, sizeof *t);
	if (!t)
		return false;
	rf->near = t;
	rf->near_bit = (uint8_t)(1u << (L->rs->nnear_files++ & 7));
	for (t->cap = 16; t->cap < L->nnear * 2;)
		t->cap *= 2;
	if (!(t->slot = L->mem->calloc(t->cap, sizeof *t->slot)))
		return false;
	for (size_t i = 0; i < L->nnear; i++) {
		uint64_t h = L->nearw[i].hash;
		size_t k = h & (t->cap - 1);
		while (t->slot[k].hash && t->slot[k].hash != h)
			k = (k + 1) & (t->cap - 1);
		t->slot[k].hash = h;
		t->slot[k].mask |= (uint64_t)1 << L->nearw[i].rule;
		L->rs->near_bloom[S_bloom_bit(h)] |= rf->near_bit;
	}
	return true;
}

static void S_first_bytes(pcre2_general_context *gctx, rule *r)
{
	uint32_t opts = 0, empty = 0;
	pcre2_pattern_info(r->code, PCRE2_INFO_ALLOPTIONS, &opts);
	pcre2_pattern_info(r->code, PCRE2_INFO_MATCHEMPTY, &empty);
	if (r->pattern[0] != '^' || !(opts & PCRE2_ANCHORED) || (opts & PCRE2_MULTILINE) || empty)
		return;
	pcre2_match_data *md = pcre2_match_data_create(1, gctx);
	if (!md)
		return;
	memset(r->first, 0xFF, sizeof r->first);
	for (unsigned b = 0; b < 0x80; b++) {
		PCRE2_UCHAR c = (PCRE2_UCHAR)b;
		if (pcre2_match(r->code, &c, 1, 0, PCRE2_PARTIAL_HARD | PCRE2_NO_JIT, md, NULL) ==
		    PCRE2_ERROR_NOMATCH)
			r->first[b >> 3] &= (uint8_t) ~(1u << (b & 7));
	}
	pcre2_match_data_free(md);
	r->first_known = true;
}

static bool S_cache_take(loader *L, rule *r, const sbuf *exp);

/* A test's pattern as it is compiled: \G ties it to the position asked
 * about, and makes S_prepare compile it anchored (JIT code cannot take
 * PCRE2_ANCHORED at match time). */
static bool S_class_wrap(sbuf *exp, piece *pcs, size_t np)
{
	sbuf w = {.mem = exp->mem};
	S_put(&w, "\\G(?:", 5);
	S_put(&w, exp->s, exp->n);
	S_put(&w, ")", 1);
	exp->mem->free(exp->s);
	*exp = w;
	for (size_t p = 0; p < np; p++)
		pcs[p].at += 5;
	return !w.oom && w.s;
}

static void S_compile(loader *L, rule *r, const char *val, size_t n, int col)
{
	sbuf exp = {.mem = L->mem};
	piece pcs[256];
	size_t np = 0;
	if (!S_expand(L, val, n, col, &exp, pcs, &np, 256) || !exp.s ||
	    (r->is_class && !S_class_wrap(&exp, pcs, np))) {
		L->mem->free(exp.s);
		return;
	}
	/* the expansion as written stays for the messages, which point into it */
	sbuf written = {.mem = L->mem};
	int lad = S_ladders_rewrite(L->rs, &exp, &written);
	if (lad < 0) {
		L->errors++;
		L->mem->free(exp.s);
		return;
	}
	if (lad) {
		sbuf t = exp;
		exp = written;
		written = t;
	}
	if (S_cache_take(L, r, &exp)) {
		L->mem->free(exp.s);
		L->mem->free(written.s);
		return;
	}
	int err;
	PCRE2_SIZE off;
	r->code = pcre2_compile((PCRE2_SPTR)exp.s, exp.n, PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
	if (!r->code && lad) {
		L->mem->free(exp.s);
		exp = written;
		written.s = NULL;
		r->code = pcre2_compile((PCRE2_SPTR)exp.s, exp.n, PCRE2_UTF | PCRE2_UCP, &err, &off,
		                        NULL);
	}
	L->mem->free(written.s);
	if (!r->code && strstr(exp.s, "(?C\"@")) {
		/* a list where the chunks cannot go (a look-behind): prefix trees */
		sbuf again = {.mem = L->mem};
		np = 0;
		L->tries = true;
		bool ok = S_expand(L, val, n, col, &again, pcs, &np, 256) && again.s &&
		          (!r->is_class || S_class_wrap(&again, pcs, np));
		L->tries = false;
		if (!ok) {
			L->mem->free(again.s);
			L->mem->free(exp.s);
			return;
		}
		L->mem->free(exp.s);
		exp = again;
		r->code = pcre2_compile((PCRE2_SPTR)exp.s, exp.n, PCRE2_UTF | PCRE2_UCP, &err, &off,
		                        NULL);
	}
	if (!r->code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		int ecol = col;
		for (size_t p = 0; p < np; p++)
			if (pcs[p].at <= off)
				ecol =
				    pcs[p].macro ? pcs[p].col : pcs[p].col + (int)(off - pcs[p].at);
		if (off >= exp.n) /* "missing )" and the like: point past the pattern */
			ecol = col + (int)n;
		S_err(L, ecol, "pattern: %s", (const char *)msg, NULL);
		L->mem->free(exp.s);
		return;
	}
	S_groups(L->rs, r);
	r->pattern = exp.s;
	S_first_bytes(L->rs->gctx, r);
}

/* Splits "[...]" markers out of an example. */
static void S_example(loader *L, rule *r, const char *val, size_t n, bool counter)
{
	/* r->ex grows one at a time: cheap, examples are few. */
	rule_example *nv = L->mem->realloc(r->ex, (r->nex + 1) * sizeof(rule_example));
	if (!nv) {
		L->errors++;
		return;
	}
	r->ex = nv;
	rule_example *e = &r->ex[r->nex];
	memset(e, 0, sizeof *e);
	e->counter = counter;
	e->line = L->lineno;
	e->span_start = e->span_end = -1;
	e->text = L->mem->calloc(1, n + 1);
	if (!e->text) {
		L->errors++;
		return;
	}
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (!counter && val[i] == '[' && e->span_start < 0)
			e->span_start = (int)o;
		else if (!counter && val[i] == ']' && e->span_start >= 0 && e->span_end < 0)
			e->span_end = (int)o;
		else
			e->text[o++] = val[i];
	}
	if (e->span_start >= 0 && e->span_end < 0) { /* a lone '[' is text */
		memcpy(e->text, val, n);
		e->text[n] = '\0';
		e->span_start = -1;
	}
	r->nex++;
}

static void S_rule_line(loader *L, rule *r, const char *key, size_t kl, const char *val, size_t vl,
                        int vcol)
{
	char k[64];
	snprintf(k, sizeof k, "%.*s", (int)kl, key);
	for (char *p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!S_key_known(L, k)) {
		S_err(L, 1 + (int)(key - L->line),
		      "unknown key '%s' (keys: pattern priority type zone need near example "
		      "counter, and "
		      "those declared with 'keys ...')%s",
		      k, "");
		return;
	}
	if (vl == 0 && strcmp(k, "example") && strcmp(k, "counter")) {
		S_err(L, vcol, "'%s' needs a value", k, NULL);
		return;
	}
	if (strcmp(k, "pattern") == 0) {
		if (r->pattern_seen) {
			S_err(L, 1 + (int)(key - L->line), "rule %s has two patterns", r->id, NULL);
			return;
		}
		r->pattern_seen = true;
		S_compile(L, r, val, vl, vcol);
	} else if (strcmp(k, "priority") == 0) {
		char *end;
		char tmp[32];
		snprintf(tmp, sizeof tmp, "%.*s", (int)vl, val);
		long p = strtol(tmp, &end, 10);
		if (*end || p < -1000 || p > 1000)
			S_err(L, vcol, "priority is a whole number from -1000 to 1000, not '%s'",
			      tmp, NULL);
		else
			r->priority = (int)p;
	} else if (strcmp(k, "type") == 0) {
		r->type = etype_parse(val, vl);
		if (r->type == T_NONE) {
			char tmp[64];
			snprintf(tmp, sizeof tmp, "%.*s", (int)vl, val);
			S_err(
			    L, vcol,
			    "unknown type '%s' (PERSON, COUNTRY, AGENCY, ORGANIZATION, LOCATION)%s",
			    tmp, "");
		}
	} else if (strcmp(k, "zone") == 0) {
		unsigned mask = 0;
		size_t i = 0;
		while (i < vl) {
			size_t j = i;
			while (j < vl && val[j] != ',' && val[j] != ' ')
				j++;
			if (j > i) {
				int z = zone_parse(val + i, j - i);
				if (z < 0) {
					char tmp[64];
					snprintf(tmp, sizeof tmp, "%.*s", (int)(j - i), val + i);
					S_err(L, vcol + (int)i,
					      "unknown zone '%s' (title, meta, dateline, body, "
					      "related)%s",
					      tmp, "");
				} else
					mask |= 1u << z;
			}
			i = j + 1;
		}
		r->zones = mask;
	} else if (strcmp(k, "example") == 0 || strcmp(k, "counter") == 0) {
		S_example(L, r, val, vl, k[0] == 'c');
	} else if (strcmp(k, "near") == 0) {
		if (r->near)
			S_err(L, 1 + (int)(key - L->line), "rule %s has two 'near' lines", r->id,
			      NULL);
		else
			S_near(L, r, L->rule_index, val, vl, vcol);
	} else {
		if (strcmp(k, "need") == 0) {
			char buf[256];
			size_t fl = fold_utf8(val, vl, buf, sizeof buf);
			if (fl != (size_t)-1) { /* a second 'need' replaces the first */
				L->mem->free(r->need);
				r->need = S_dup(L->mem, buf, fl);
			}
		}
		rule_attr *na = L->mem->realloc(r->attr, (r->nattr + 1) * sizeof(rule_attr));
		if (!na) {
			L->errors++;
			return;
		}
		r->attr = na;
		r->attr[r->nattr].key = S_dup(L->mem, k, strlen(k));
		r->attr[r->nattr].value = S_dup(L->mem, val, vl);
		r->attr[r->nattr].line = L->lineno;
		r->nattr++;
	}
}

/* ------------------------------------------------------ start filters */

/* Most rules can start a match only at a word start and only on a few
 * words, but PCRE2 tries them wherever their first byte occurs (inside
 * words too), which made the date rules the most expensive stage. So each
 * rule that opens with a lookbehind for "no letter before" gets a filter of
 * the first three bytes its matches can start with, learnt at load time by
 * asking PCRE2 itself: an anchored PARTIAL_HARD match of a probe string says
 * NOMATCH only when no text starting with it can match. rules_scan() then
 * finds, in one pass per rule file, the word starts some rule may match at,
 * and runs each rule anchored only there.
 *
 * The filter must never drop a position where the rule matches. A probe
 * starts at the subject start, so a lookbehind sees nothing: a negative one
 * then passes (more permissive, fine) but a positive one fails. Patterns
 * with a positive lookbehind, \b, \B, \K, \G, verbs, callouts, conditions
 * other than DEFINE or (?x) get no filter and are scanned as before. Only
 * ASCII bytes are probed; any other byte lets every rule through. */

typedef struct rule_filter {
	uint8_t l1[16];         /* ASCII first bytes a match may start with */
	uint8_t hi[16];         /* other first bytes (c - 128), from PCRE2's start analysis */
	uint8_t deep1[16];      /* first bytes whose second byte is known */
	uint8_t l2[128][16];    /* second bytes after each first byte */
	uint8_t deep2[128][16]; /* byte pairs whose third byte is known */
	uint32_t *l3;           /* the allowed triples (c0 << 16 | c1 << 8 | c2), each once */
	size_t n3;
} rule_filter;

/* The filters of one rule file side by side, so that one pass over a text
 * serves all its rules: first[c0] the rules that may start on byte c0,
 * second[row[c0]].keep[c1] those that may start on c0 c1, .deep[c1] those
 * of them that also know their third byte. Every byte has a row and every
 * pair a block (row 0 and block 0 let everything through), so that a
 * position is judged without a branch: which positions pass is data the
 * branch predictor cannot learn, and it missed on one in three. */
enum { S_C1_HIGH = 128, S_C1_END = 129, S_C1N = 130 }; /* non-ASCII; past the zone */
struct starts_row {
	uint64_t keep[S_C1N], deep[S_C1N];
	uint16_t block[S_C1N]; /* its block of third_ids; 0 when deep[c1] is 0 */
};

/* The third byte, indexed directly rather than hashed: a block of 129 bytes
 * per known pair maps c2 (128: none known) to one of the few distinct rule
 * sets (at most 255 per file; more share the set that lets all through). A
 * hash table sized for every possible triple took 1-8 MB per file and a
 * cache miss per probe. */
enum { S_THIRD_ALL = 255, S_C2N = 129 };

typedef struct rule_starts {
	uint64_t first[256];
	uint64_t any[256]; /* those of first[] that may start inside a word too */
	uint8_t row[256];  /* 0: the row that filters nothing */
	struct starts_row *second;
	uint8_t *third_ids;       /* block * S_C2N + c2 -> index into third_sets */
	uint64_t third_sets[256]; /* [0]: none of .deep; [S_THIRD_ALL]: all */
} rule_starts;

enum { S_PROBE_BUDGET = 8000 };

static bool S_bit(const uint8_t *set, unsigned b)
{
	return set[b >> 3] >> (b & 7) & 1;
}
static void S_setbit(uint8_t *set, unsigned b)
{
	set[b >> 3] |= (uint8_t)(1u << (b & 7));
}

/* Returns the end of the character class opening at p ('['), or NULL. */
static const char *S_class_end(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '\\') {
			if (!p[1] || p[1] == 'Q')
				return NULL;
			p += 2;
		} else if (p[0] == '[' && p[1] == ':') {
			const char *e = strstr(p + 2, ":]");
			if (!e)
				return NULL;
			p = e + 2;
		} else
			p++;
	}
	return *p ? p + 1 : NULL;
}

/* Returns the end of the group opening at p ('('), or NULL. */
static const char *S_group_end(const char *p)
{
	int depth = 0;
	while (*p) {
		if (*p == '\\') {
			if (!p[1] || p[1] == 'Q')
				return NULL;
			p += 2;
			continue;
		}
		if (*p == '[') {
			if (!(p = S_class_end(p)))
				return NULL;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
		p++;
	}
	return NULL;
}

/* True when an option setting "(?J)", "(?i)", "(?-i)" starts at p; *end
 * receives its end. */
static bool S_option_group(const char *p, const char **end)
{
	if (p[0] != '(' || p[1] != '?')
		return false;
	const char *q = p + 2;
	while (isalpha((unsigned char)*q) || *q == '-' || *q == '^')
		q++;
	if (*q != ')' || q == p + 2)
		return false;
	*end = q + 1;
	return true;
}

/* ------------------------------------------------ split tests (S_split_at)
 *
 * A test's pattern, as written, is cut at its top-level bars; each
 * alternative into the look-aheads it opens with and what it then consumes.
 * Where one of those parts opens with a list of callouts, "(?:{LIST})REST"
 * or "{LIST}REST", the list is walked here and REST becomes a test of its
 * own; other parts of such an alternative become tests of their own as a
 * whole; the alternatives without such a list stay together as one test for
 * PCRE2. Anything that could tie one part to another (back references,
 * subroutine calls, option settings that reach past a bar, \G, verbs) leaves
 * the test whole. */

/* Cuts s[0, n) at its top-level bars into cut[0, *k): the starts of the
 * alternatives, cut[*k] = n + 1. False where the pattern cannot be cut. */
static bool S_bars(const char *s, size_t n, size_t *cut, size_t max, size_t *k)
{
	*k = 0;
	cut[(*k)++] = 0;
	for (size_t i = 0; i < n;) {
		const char *e = NULL;
		if (s[i] == '\\')
			i += 2;
		else if (s[i] == '[') {
			if (!(e = S_class_end(s + i)))
				return false;
			i = (size_t)(e - s);
		} else if (s[i] == '(') {
			if (S_option_group(s + i, &e) || !(e = S_group_end(s + i)))
				return false;
			i = (size_t)(e - s);
		} else if (s[i] == '|') {
			if (*k == max)
				return false;
			cut[(*k)++] = ++i;
		} else
			i++;
	}
	cut[*k] = n + 1;
	return true;
}

/* Whether a quantifier starts at s[0, n): what follows a part cannot be
 * cut from it. */
static bool S_quantified(const char *s, size_t n)
{
	return n && (s[0] == '?' || s[0] == '*' || s[0] == '+' ||
	             (s[0] == '{' && n > 1 && (isdigit((unsigned char)s[1]) || s[1] == ',')));
}

/* When s[0, n) opens with "(?:{LIST})" or "{LIST}", LIST a list macro asked
 * through callouts and s has no bar at top level: the list's trie, with
 * *skip the length of that opening. */
static const struct list_trie *S_split_list(loader *L, const char *s, size_t n, size_t *skip)
{
	bool wrap = n > 4 && memcmp(s, "(?:{", 4) == 0;
	size_t i = wrap ? 4 : 1, j = i;
	if (n <= i || s[i - 1] != '{')
		return NULL;
	while (j < n &&
	       (isupper((unsigned char)s[j]) || isdigit((unsigned char)s[j]) || s[j] == '_'))
		j++;
	if (j == i || j >= n || s[j] != '}' || (wrap && (j + 1 >= n || s[j + 1] != ')')))
		return NULL;
	const macro *m = S_macro(L, s + i, j - i);
	const char *c = m && m->list ? strstr(m->body, "(?C\"@") : NULL;
	size_t id = c ? S_callout_num(c + 5, NULL) : SIZE_MAX, cut[2], k;
	*skip = j + 1 + wrap;
	if (id >= L->rs->nltries || S_quantified(s + *skip, n - *skip) ||
	    !S_bars(s + *skip, n - *skip, cut, 1, &k) || k != 1)
		return NULL;
	return L->rs->ltries[id];
}

/* The id of the test of s[0, n) in L's file, made once; SIZE_MAX if none
 * (n == 0) or after an error. */
static size_t S_split_part(loader *L, const char *s, size_t n, int col)
{
	if (!n)
		return SIZE_MAX;
	/* a name no file can write: the part's own pattern after a \1 */
	char *name = L->mem->calloc(n + 2, 1);
	if (!name) {
		L->errors++;
		return SIZE_MAX;
	}
	name[0] = '\1';
	memcpy(name + 1, s, n);
	name[n + 1] = '\0';
	size_t id = SIZE_MAX;
	for (size_t i = 0; i < L->ncnames && id == SIZE_MAX; i++)
		if (strcmp(L->cnames[i].name, name) == 0)
			id = L->cnames[i].id;
	if (id == SIZE_MAX)
		id = S_test_add(L, name, n + 1, s, n, col);
	L->mem->free(name);
	return id;
}

static void S_split_free(struct test_split *sp, const warta_mem *mem)
{
	if (!sp)
		return;
	for (size_t i = 0; i < sp->nalt; i++) {
		for (size_t k = 0; sp->alt[i].atom && k < sp->alt[i].n; k++)
			mem->free((void *)sp->alt[i].atom[k].thenf);
		mem->free(sp->alt[i].atom);
	}
	mem->free(sp->alt);
	mem->free((void *)sp->restf);
	mem->free(sp);
}

enum { S_SPLIT_MAX = 16 }; /* alternatives, and parts of one */

/* Splits test r, written src[0, n) at column col (see above); leaves it
 * whole where it cannot. */
/* Sets a->look and a->cls when test a->then is, in (?:...) groups, one
 * look-ahead "(?=X)" or "(?!X)" of one character X (a class, an escape
 * or a character, as a ladder's items: S_lad_item). Its answer at a
 * position is then whether the character there is in X, none at the end
 * of the subject; X is compiled alone with the test's options (UTF and
 * UCP: a test's pattern has no other, and the whole of it is this look-
 * ahead, which sets none), so its class is PCRE2's own (S_lad_class). */
static void S_then_one(warta_ruleset *rs, struct test_atom *a)
{
	const rule *r = a->then < rs->nclasses ? rs->classes[a->then] : NULL;
	const char *s = r ? r->pattern : NULL;
	if (!s || strncmp(s, "\\G(?:", 5) != 0)
		return;
	s += 2; /* the (?:...) of S_class_wrap, to the end */
	size_t n = strlen(s);
	while (n > 4 && strncmp(s, "(?:", 3) == 0 && S_group_end(s) == s + n) {
		s += 3;
		n -= 4;
	}
	if (n < 5 || strncmp(s, "(?", 2) != 0 || (s[2] != '=' && s[2] != '!') || s[n - 1] != ')' ||
	    S_lad_item(s, 3, n - 1) != n - 1)
		return;
	struct ladders *ls = rs->ladders;
	if (!ls && !(ls = rs->ladders = rs->mem->calloc(1, sizeof *ls)))
		return;
	size_t cls = S_lad_class(rs, ls, s + 3, n - 4);
	if (cls == SIZE_MAX)
		return;
	a->cls = (uint8_t)cls;
	a->look = s[2] == '=' ? 1 : -1;
}

static int S_filterable(const char *pat);

/* 0 when no text that starts with s[0, k) (ASCII) has a match of code at
 * its start, else 1; as the rules' filters are learnt (S_probe): partial
 * matching says no only where no continuation of s, nor its end, could
 * match, and callouts let a probe go on. */
static int S_tf_probe(const warta_ruleset *rs, const pcre2_code *code, pcre2_match_data *md,
                      const uint8_t *s, size_t k)
{
	tl_probe = true;
	int rc = pcre2_match(code, s, k, 0, PCRE2_PARTIAL_HARD, md, rs->mctx);
	tl_probe = false;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : rc == PCRE2_ERROR_PARTIAL ? 2 : 1;
}

enum { S_TF_DEEP = 4 }; /* first bytes at most that go on for second bytes to be learnt */

/* The filter of test id, which PCRE2 answers; NULL when it has none (a
 * split test, a pattern that defeats probing: S_filterable, after the \G
 * that opens every test, which a probe at 0 meets as the test does at its
 * position), when it would let every byte through, or without memory.
 * Second bytes are learnt only after few first bytes (a row is 128
 * probes, which pay where a test is that narrow: "{END}[ \t]+\p{Lu}"). */
static const struct test_filter *S_tf_learn(warta_ruleset *rs, size_t id)
{
	const rule *r = id < rs->nclasses ? rs->classes[id] : NULL;
	/* the test's own code: its \G anchors it, as PCRE2 finds */
	if (!r || r->split || !r->code || !r->pattern || strncmp(r->pattern, "\\G", 2) != 0 ||
	    !S_filterable(r->pattern + 2))
		return NULL;
	pcre2_match_data *md = pcre2_match_data_create(1, rs->gctx);
	struct test_filter *f = md ? rs->mem->calloc(1, sizeof *f) : NULL;
	bool none = true;         /* no byte kept out */
	uint8_t go[128], ngo = 0; /* the first bytes after which a match may go on */
	uint8_t s[2];
	for (unsigned c = 0; f && c < 128; c++) {
		s[0] = (uint8_t)c;
		int k = S_tf_probe(rs, r->code, md, s, 1);
		if (!k)
			none = false;
		else
			f->l1[c >> 3] |= (uint8_t)(1u << (c & 7));
		if (k == 2)
			go[ngo++] = (uint8_t)c;
	}
	for (unsigned i = 0; f && ngo <= S_TF_DEEP && i < ngo; i++) {
		unsigned c = s[0] = go[i];
		f->deep[c >> 3] |= (uint8_t)(1u << (c & 7));
		for (unsigned d = 0; d < 128; d++) {
			s[1] = (uint8_t)d;
			if (S_tf_probe(rs, r->code, md, s, 2))
				f->l2[c][d >> 3] |= (uint8_t)(1u << (d & 7));
			else
				none = false;
		}
	}
	pcre2_match_data_free(md);
	if (f && none) {
		rs->mem->free(f);
		f = NULL;
	}
	return f;
}

static void S_test_split(loader *L, rule *r, const char *src, size_t n, int col)
{
	static const char *const tie[] = {"(?&", "(?P", "(?R", "(?(", "(?|", "(?C", "(*",  "\\c",
	                                  "\\g", "\\k", "\\G", "\\K", "\\Q", "\\1", "\\2", "\\3",
	                                  "\\4", "\\5", "\\6", "\\7", "\\8", "\\9"};
	const warta_mem *mem = L->mem;
	char *s = S_dup(mem, src, n);
	size_t cut[S_SPLIT_MAX + 1], nalt;
	bool ok = s && S_bars(s, n, cut, S_SPLIT_MAX, &nalt);
	for (size_t i = 0; ok && i < sizeof tie / sizeof *tie; i++)
		ok = !strstr(s, tie[i]);
	for (const char *q = s; ok && (q = strstr(q, "(?")) != NULL; q += 2)
		ok = !(isdigit((unsigned char)q[2]) ||
		       ((q[2] == '+' || q[2] == '-') && isdigit((unsigned char)q[3])));
	struct test_split *sp = ok ? mem->calloc(1, sizeof *sp) : NULL;
	if (sp && !(sp->alt = mem->calloc(nalt, sizeof *sp->alt)))
		ok = false;
	sbuf rest = {.mem = mem};
	for (size_t a = 0; ok && sp && a < nalt; a++) {
		const char *t = s + cut[a];
		size_t tn = cut[a + 1] - 1 - cut[a], np = 0, pos = 0, lists = 0;
		/* its parts: the look-aheads it opens with (their insides), then
		 * what it consumes */
		struct {
			size_t b, e;
			bool neg;
		} part[S_SPLIT_MAX];
		while (pos + 3 < tn && t[pos] == '(' && t[pos + 1] == '?' &&
		       (t[pos + 2] == '=' || t[pos + 2] == '!') && np < S_SPLIT_MAX) {
			size_t end = (size_t)(S_group_end(t + pos) - t);
			if (S_quantified(t + end, tn - end))
				break;
			part[np].b = pos + 3;
			part[np].e = end - 1;
			part[np++].neg = t[pos + 2] == '!';
			pos = end;
		}
		if (pos < tn && np < S_SPLIT_MAX) {
			part[np].b = pos;
			part[np].e = pos = tn;
			part[np++].neg = false;
		}
		struct test_atom atom[S_SPLIT_MAX];
		for (size_t k = 0; pos == tn && k < np; k++) {
			size_t skip = 0;
			atom[k] = (struct test_atom){
			    S_split_list(L, t + part[k].b, part[k].e - part[k].b, &skip),
			    0,
			    SIZE_MAX,
			    part[k].neg,
			    0,
			    0,
			    NULL};
			if (atom[k].list) {
				/* PCRE2's chunks take at most 2 * chunk - 1 characters */
				atom[k].maxlen = 2 * (size_t)atom[k].list->chunk - 1;
				part[k].b += skip; /* its own test: what follows the word */
				lists++;
			}
		}
		if (!lists) { /* no list, or too many parts: PCRE2's */
			if (rest.n)
				S_put(&rest, "|", 1);
			S_put(&rest, t, tn);
			continue;
		}
		struct test_alt *alt = &sp->alt[sp->nalt];
		if (!(alt->atom = mem->calloc(np, sizeof *alt->atom))) {
			ok = false;
			break;
		}
		sp->nalt++;
		for (size_t k = 0; ok && k < np; k++) {
			size_t pn = part[k].e - part[k].b;
			atom[k].then =
			    S_split_part(L, t + part[k].b, pn, col + (int)(cut[a] + part[k].b));
			ok = !pn || atom[k].then != SIZE_MAX;
			if (ok && pn)
				S_then_one(L->rs, &atom[k]);
			alt->atom[alt->n++] = atom[k];
		}
		/* The atoms are look-aheads at one position that must all hold,
		 * so any order gives their answer: those that PCRE2 answers go
		 * last, as a walk costs less and most often one of them fails
		 * first ("(?!{SHORT}){END})(?:{LIST}){END}": the word is seldom
		 * in LIST). Only a PCRE2 error (a limit) could tell the orders
		 * apart, and a test's match has its own limit, apart from its
		 * rule's, in any order. */
		struct test_atom by[S_SPLIT_MAX];
		size_t nb = 0;
		for (int late = 0; ok && late < 2; late++)
			for (size_t k = 0; k < alt->n; k++)
				if ((!alt->atom[k].list && alt->atom[k].then != SIZE_MAX &&
				     !alt->atom[k].look) == late)
					by[nb++] = alt->atom[k];
		if (ok)
			memcpy(alt->atom, by, nb * sizeof *by);
	}
	ok = ok && !rest.oom;
	if (ok && sp && sp->nalt && rest.n)
		ok = (sp->rest = S_split_part(L, rest.s, rest.n, col)) != SIZE_MAX;
	else if (sp)
		sp->rest = SIZE_MAX;
	/* exact only where the test as written asks the same walks: a list in
	 * a look-behind makes its pattern fall back to prefix trees */
	for (size_t a = 0; ok && sp && a < sp->nalt; a++)
		for (size_t k = 0; ok && k < sp->alt[a].n; k++) {
			const struct list_trie *t = sp->alt[a].atom[k].list;
			char call[48] = "";
			for (size_t id = 0; t && id < L->rs->nltries; id++)
				if (L->rs->ltries[id] == t)
					snprintf(call, sizeof call, "(?C\"@%zu^\")", id);
			ok = !t || (*call && strstr(r->pattern, call));
		}
	for (size_t a = 0; ok && sp && a < sp->nalt; a++)
		for (size_t k = 0; k < sp->alt[a].n; k++)
			if (!sp->alt[a].atom[k].look)
				sp->alt[a].atom[k].thenf =
				    S_tf_learn(L->rs, sp->alt[a].atom[k].then);
	if (ok && sp)
		sp->restf = S_tf_learn(L->rs, sp->rest);
	if (ok && sp && sp->nalt)
		r->split = sp;
	else
		S_split_free(sp, mem);
	mem->free(rest.s);
	mem->free(s);
}

/* Returns 0 when something in pat defeats probing (see above), 1 when
 * besides every match of pat starts where no letter stands before, else 2. */
static int S_filterable(const char *pat)
{
	static const char *const bad[] = {"(?<=", "(*", "\\K", "\\G", "\\b", "\\B", "\\C", "\\Q"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (strstr(pat, bad[i]))
			return 0;
	/* a callout of the author's own defeats probing; those of list macros
	 * ("(?C\"@") answer probes as the prefix trees did, those of classes
	 * let every probe go on, and ladders answer as their look-behinds */
	for (const char *c = pat; (c = strstr(c, "(?C")) != NULL; c += 3)
		if (c[3] != '"' || !c[4] || !strchr("@?!<", c[4]))
			return 0;
	for (const char *p = pat; (p = strstr(p, "(?")) != NULL; p += 2) {
		if (p[2] == '(' && strncmp(p + 3, "DEFINE)", 7) != 0)
			return 0;
		for (const char *q = p + 2; isalpha((unsigned char)*q) || *q == '-' || *q == '^';
		     q++)
			if (*q == 'x')
				return 0;
	}
	const char *p = pat, *e;
	for (;;) {
		if (S_option_group(p, &e))
			p = e;
		else if (strncmp(p, "(?(DEFINE)", 10) == 0 && (e = S_group_end(p)) != NULL)
			p = e;
		else if (strncmp(p, "(?:(?(DEFINE)", 13) == 0 && (e = S_group_end(p + 3)) != NULL &&
		         *e == ')')
			p = e + 1; /* a {MACRO} holding only definitions */
		else if ((strncmp(p, "(?=", 3) == 0 || strncmp(p, "(?!", 3) == 0) &&
		         (e = S_group_end(p)) != NULL)
			p = e; /* a lookahead tests the same position */
		else
			break;
	}
	if (strncmp(p, "(?<![", 5) != 0 || !(e = S_class_end(p + 4)) || *e != ')')
		return 2;
	if (p[5] == '^')
		return 2;
	const char *letters = strstr(p + 5, "\\p{L}");
	if (!letters || letters >= e)
		return 2;
	/* no alternation at the top level: the lookbehind guards every branch */
	for (p = e + 1; *p;) {
		if (*p == '|')
			return 2;
		if (*p == '\\') {
			if (!p[1])
				return 2;
			p += 2;
		} else if (*p == '[') {
			if (!(p = S_class_end(p)))
				return 2;
		} else if (*p == '(') {
			if (!(p = S_group_end(p)))
				return 2;
		} else if (*p == ')')
			return 2;
		else
			p++;
	}
	return 1;
}

/* S_filterable of r's pattern, worked out once (the cache keeps it too). */
static int S_kind(rule *r)
{
	if (!r->filter_kind)
		r->filter_kind = (uint8_t)(S_filterable(r->pattern) + 1);
	return r->filter_kind - 1;
}

/* pcre2_match on a valid UTF-8 subject, through pcre2_jit_match when code
 * has JIT code for the mode: that skips pcre2_match's checks, which cost a
 * third of a typical call here. */
static int S_match(const warta_ruleset *rs, const pcre2_code *code, const char *subject, size_t n,
                   size_t at, uint32_t opts, pcre2_match_data *md)
{
	int rc = pcre2_jit_match(code, (PCRE2_SPTR)subject, n, at, opts, md, rs->mctx);
	if (rc == PCRE2_ERROR_JIT_BADOPTION) /* no JIT code: the interpreter */
		rc = pcre2_match(code, (PCRE2_SPTR)subject, n, at, opts | PCRE2_NO_UTF_CHECK, md,
		                 rs->mctx);
	return rc;
}

/* 0: no text starting with s can match at a word start; 1: some text may
 * (or a limit stopped the probe); 2: s is a proper prefix of possible matches. */
static int S_probe(const warta_ruleset *rs, const rule *r, pcre2_match_data *md, const uint8_t *s,
                   size_t n, int *budget)
{
	--*budget;
	tl_probe = true;
	int rc = S_match(rs, r->anchored, (const char *)s, n, 0, PCRE2_PARTIAL_HARD, md);
	tl_probe = false;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : rc == PCRE2_ERROR_PARTIAL ? 2 : 1;
}

/* Slot of key in an open-addressed table of cap (a power of two) slots:
 * the high bits of a multiplicative hash, as the low ones barely mix. */
static size_t S_slot(uint32_t key, size_t cap)
{
	return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15u) >> 40) & (cap - 1);
}

/* Adds a triple to f->l3; *cap is its room. The probes visit each triple
 * once, so a list is a set, and S_filters only ever walks it. */
static bool S_l3_add(const warta_mem *mem, rule_filter *f, uint32_t key, size_t *cap)
{
	if (f->n3 == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		uint32_t *nv = mem->realloc(f->l3, nc * sizeof *nv);
		if (!nv)
			return false;
		f->l3 = nv;
		*cap = nc;
	}
	f->l3[f->n3++] = key;
	return true;
}

static bool S_printable(unsigned c)
{
	return (c >= 0x20 && c < 0x7F) || c == '\n';
}

/* Learns r's filter by probing; returns false when out of memory. */
static bool S_filter_learn(const warta_ruleset *rs, rule *r, pcre2_match_data *md)
{
	const warta_mem *mem = rs->mem;
	rule_filter *f = mem->calloc(1, sizeof *f);
	if (!f)
		return false;
	int budget = S_PROBE_BUDGET;
	size_t cap3 = 0;
	/* Non-ASCII first bytes: what PCRE2's own start-of-match optimisation
	 * (which the unanchored scan relies on) allows. */
	uint32_t fct = 0, fcu = 0;
	const uint8_t *bm = NULL;
	pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODETYPE, &fct);
	pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTCODEUNIT, &fcu);
	pcre2_pattern_info(r->code, PCRE2_INFO_FIRSTBITMAP, &bm);
	for (unsigned c = 128; c < 256; c++)
		if (fct == 1 ? c == fcu : !bm || (bm[c >> 3] >> (c & 7) & 1))
			S_setbit(f->hi, c - 128);
	uint8_t s[3];
	/* Second and third bytes are probed among the printable ones (any other
	 * byte lets the rule through); third bytes only after the pairs text
	 * is made of (a letter or digit, then a lower-case letter, a digit or a
	 * space), while the budget lasts: lower-case pairs first. */
	for (unsigned a = 0; a < 128; a++) {
		s[0] = (uint8_t)a;
		int k = S_probe(rs, r, md, s, 1, &budget);
		if (k)
			S_setbit(f->l1, a);
		if (k != 2)
			continue;
		S_setbit(f->deep1, a);
		for (unsigned b = 0; b < 128; b++) {
			s[1] = (uint8_t)b;
			if (!S_printable(b) || S_probe(rs, r, md, s, 2, &budget))
				S_setbit(f->l2[a], b);
		}
	}
	for (unsigned pass = 0; pass < 2; pass++)
		for (unsigned a = 0; a < 128 && budget > 128; a++) {
			if (!S_bit(f->deep1, a) || (pass == 0) != (a >= 'a' && a <= 'z') ||
			    !isalnum((int)a))
				continue;
			for (unsigned b = 0; b < 128 && budget > 128; b++) {
				if (!S_bit(f->l2[a], b) ||
				    !(islower((int)b) || isdigit((int)b) || b == ' '))
					continue;
				s[0] = (uint8_t)a;
				s[1] = (uint8_t)b;
				if (S_probe(rs, r, md, s, 2, &budget) != 2)
					continue;
				for (unsigned c = 0; c < 128; c++) {
					s[2] = (uint8_t)c;
					if ((!S_printable(c) ||
					     S_probe(rs, r, md, s, 3, &budget)) &&
					    !S_l3_add(mem, f, a << 16 | b << 8 | c, &cap3)) {
						mem->free(f->l3);
						mem->free(f);
						return false;
					}
				}
				S_setbit(f->deep2[a], b);
			}
		}
	r->filter = f;
	return true;
}

/* Gives the filterable rules of rf their filters and rf->first. */
static int S_filters(warta_ruleset *rs, rulefile *rf)
{
	const warta_mem *mem = rs->mem;
	pcre2_match_data *md = NULL;
	for (size_t i = 0; i < rf->n && i < 64; i++) {
		rule *r = &rf->rules[i];
		int kind = r->code && r->pattern ? S_kind(r) : 0;
		if (!kind)
			continue;
		if (!md && !(md = pcre2_match_data_create(rs->max_captures + 1, rs->gctx)))
			return WARTA_ENOMEM;
		if (!r->anchored)
			continue; /* none compiled, or none cached: no filter then */
		if (!r->cached && !S_filter_learn(rs, r, md))
			goto oom;
		if (!r->filter)
			continue;
		if (kind == 2) {
			/* Not only at word starts: the scan skips the inside of words,
			 * which is right only when no match starts on a letter. */
			bool letter = false;
			for (unsigned c = 'A'; c <= 'z'; c++)
				letter |= isalpha((int)c) && S_bit(r->filter->l1, c);
			if (letter) {
				mem->free(r->filter->l3);
				mem->free(r->filter);
				r->filter = NULL;
				if (r->anchored != r->code_at)
					pcre2_code_free(r->anchored);
				r->anchored = NULL;
				continue;
			}
			rf->anywhere |= (uint64_t)1 << i;
		}
		rf->filtered |= (uint64_t)1 << i;
		rf->near_filtered |= (uint64_t)(rf->near && r->near) << i;
	}
	pcre2_match_data_free(md);
	if (!rf->filtered)
		return WARTA_OK;
	rule_starts *st = mem->calloc(1, sizeof *st);
	if (!(rf->starts = st))
		return WARTA_ENOMEM;
	unsigned nrows = 0;
	for (unsigned c = 0; c < 256; c++) {
		if (c >= 0x80 && c < 0xC0)
			continue; /* a continuation byte starts no character */
		for (size_t i = 0; i < rf->n && i < 64; i++)
			if (rf->rules[i].filter &&
			    S_bit(c >= 128 ? rf->rules[i].filter->hi : rf->rules[i].filter->l1,
			          c & 127))
				st->first[c] |= (uint64_t)1 << i;
		st->any[c] = st->first[c] & rf->anywhere;
		if (st->first[c])
			rs->start_files[c] |= 0x100;
		if (st->first[c] & ~rf->near_filtered)
			rs->start_files[c] |= (uint16_t)(1u << ((size_t)(rf - rs->files) & 7));
		if (c < 128 && st->first[c])
			st->row[c] = (uint8_t)++nrows;
	}
	if (!(st->second = mem->calloc(nrows + 1, sizeof *st->second)))
		return WARTA_ENOMEM;
	for (unsigned c1 = 0; c1 < S_C1N; c1++)
		st->second[0].keep[c1] = ~(uint64_t)0;
	size_t nblocks = 0;
	for (unsigned c0 = 0; c0 < 128; c0++) {
		if (!st->row[c0])
			continue;
		struct starts_row *row = &st->second[st->row[c0]];
		row->keep[S_C1_END] = ~(uint64_t)0;
		for (unsigned c1 = 0; c1 <= S_C1_HIGH; c1++) {
			uint64_t keep = 0, deep = 0;
			for (uint64_t mm = st->first[c0]; mm; mm &= mm - 1) {
				unsigned i = (unsigned)__builtin_ctzll(mm);
				const rule_filter *f = rf->rules[i].filter;
				if (c1 >= 128 || !S_bit(f->deep1, c0) || S_bit(f->l2[c0], c1))
					keep |= (uint64_t)1 << i;
				if (c1 < 128 && S_bit(f->deep1, c0) && S_bit(f->deep2[c0], c1))
					deep |= (uint64_t)1 << i;
			}
			row->keep[c1] = keep;
			row->deep[c1] = deep & keep;
			if (row->deep[c1])
				row->block[c1] = (uint16_t)++nblocks;
		}
	}
	if (!(st->third_ids = mem->realloc(NULL, (nblocks + 1) * S_C2N)))
		return WARTA_ENOMEM;
	memset(st->third_ids, S_THIRD_ALL, (nblocks + 1) * S_C2N);
	st->third_sets[S_THIRD_ALL] = ~(uint64_t)0;
	/* Which deep rules allow each third byte, per block: read off the
	 * rules' triples once rather than asked of them for every (c0, c1, c2),
	 * which was 8 M instructions of every start-up. */
	uint64_t *third = mem->calloc(nblocks + 1, 128 * sizeof *third);
	if (!third)
		return WARTA_ENOMEM;
	for (size_t i = 0; i < rf->n && i < 64; i++) {
		const rule_filter *f = rf->rules[i].filter;
		for (size_t h = 0; f && h < f->n3; h++) {
			uint32_t key = f->l3[h];
			unsigned c0 = key >> 16 & 0xFF, c1 = key >> 8 & 0xFF, c2 = key & 0xFF;
			if (c0 >= 128 || c1 >= 128 || c2 >= 128 || !st->row[c0])
				continue;
			const struct starts_row *row = &st->second[st->row[c0]];
			if (row->deep[c1] >> i & 1)
				third[(size_t)row->block[c1] * 128 + c2] |= (uint64_t)1 << i;
		}
	}
	/* the distinct masks, numbered in the order they first appear; a
	 * table of 512 slots finds a mask's number, as up to 254 may be kept */
	uint8_t ids_of[512] = {0};
	uint64_t keys_of[512];
	unsigned nsets = 1; /* [0] is the empty set */
	for (size_t b = 1; b <= nblocks; b++)
		for (unsigned c2 = 0; c2 < 128; c2++) {
			uint64_t mask = third[b * 128 + c2];
			unsigned id = 0;
			if (mask) {
				size_t h = S_slot((uint32_t)(mask ^ mask >> 32), 512);
				while (ids_of[h] && keys_of[h] != mask)
					h = (h + 1) & 511;
				if (ids_of[h])
					id = ids_of[h];
				else if (nsets < S_THIRD_ALL) {
					st->third_sets[id = nsets++] = mask;
					ids_of[h] = (uint8_t)id;
					keys_of[h] = mask;
				} else
					id = S_THIRD_ALL;
			}
			st->third_ids[b * S_C2N + c2] = (uint8_t)id;
		}
	mem->free(third);
	return WARTA_OK;
oom:
	pcre2_match_data_free(md);
	return WARTA_ENOMEM;
}

/* ------------------------------------------------------- the load cache */

/* Bump when what a cached blob holds, or how loading computes it (the
 * compile options, the filter learning), changes: old files then read as
 * empty. The PCRE2 version is in the salt too, as serialized codes are
 * only valid for the library that wrote them. */
#define S_CACHE_FORMAT "warta rule cache 4"

/* A blob: its header, the final pattern, the serialized codes (code, then
 * code_at, then anchored when it is a code of its own), then the filter. */
struct cache_head {
	uint32_t codes; /* 1: code_at; 2: anchored apart; 4: anchored is code_at; 8: filter */
	uint32_t pattern_len;
	uint64_t codes_len;
	uint64_t n3;
	int32_t filter_kind;  /* rule.filter_kind */
	uint32_t first_known; /* rule.first_known and .first */
	uint8_t first[32];
};
enum { S_C_AT = 1, S_C_ANCHORED = 2, S_C_SAME = 4, S_C_FILTER = 8 };
#define S_FILTER_FIXED offsetof(rule_filter, l3)

uint64_t rules_cache_salt(const warta_ruleset *rs)
{
	char v[64] = "";
	(void)pcre2_config(PCRE2_CONFIG_VERSION, v);
	uint64_t h = hash64(S_CACHE_FORMAT, sizeof S_CACHE_FORMAT, 0);
	h = hash64(v, strlen(v), h);
	/* the sizes catch a layout change that forgot to bump the format */
	uint64_t fixed[6] = {
	    sizeof(void *),         sizeof(rule_filter),    sizeof(struct cache_head),
	    rs->limits.match_limit, rs->limits.depth_limit, rs->limits.heap_limit_kib};
	return hash64(fixed, sizeof fixed, h);
}

/* The key of what loading computes from an expansion: its text, where the
 * rule stands (only the first 64 of a file get filters) and the words of
 * the lists it calls out to. Not the tests it asks ("(?C\"?3\")"): what is
 * stored of the rule does not depend on them (probes pass every test), and
 * each test has its own entry. */
static uint64_t S_cache_key(const warta_ruleset *rs, const char *exp, size_t n, size_t index)
{
	uint64_t h = hash64(exp, n, rs->cache_salt ^ (index < 64));
	for (const char *p = exp; (p = strstr(p, "(?C\"@")) != NULL;) {
		p += 5;
		size_t id = strtoul(p, NULL, 10);
		if (id < rs->nltries)
			h = hash64(&rs->ltries[id]->hash, sizeof rs->ltries[id]->hash, h);
	}
	return h;
}

/* Takes r's codes, final pattern and filter from the cache when it holds
 * them for exp; false when it does not (r then gets its key, so that the
 * load stores what it computes). */
static bool S_cache_take(loader *L, rule *r, const sbuf *exp)
{
	warta_ruleset *rs = L->rs;
	if (!rs->rcache)
		return false;
	r->cache_key = S_cache_key(rs, exp->s, exp->n, L->rule_index);
	size_t n = 0;
	const unsigned char *b = rcache_get(rs->rcache, r->cache_key, &n);
	struct cache_head h;
	if (!b || n < sizeof h)
		return false;
	memcpy(&h, b, sizeof h);
	size_t ncodes = 1 + !!(h.codes & S_C_AT) + !!(h.codes & S_C_ANCHORED);
	size_t filter = h.codes & S_C_FILTER ? S_FILTER_FIXED + h.n3 * sizeof(uint32_t) : 0;
	if (h.codes_len > n || h.pattern_len > n || h.n3 > n / sizeof(uint32_t) ||
	    n != sizeof h + h.pattern_len + h.codes_len + filter)
		return false;
	const unsigned char *pat = b + sizeof h, *codes = pat + h.pattern_len,
	                    *fil = codes + h.codes_len;
	pcre2_code *c[3] = {NULL, NULL, NULL};
	if (pcre2_serialize_get_number_of_codes(codes) != (int32_t)ncodes ||
	    pcre2_serialize_decode(c, (int32_t)ncodes, codes, NULL) != (int32_t)ncodes)
		return false;
	char *pattern = S_dup(L->mem, (const char *)pat, h.pattern_len);
	rule_filter *f = filter ? L->mem->calloc(1, sizeof *f) : NULL;
	uint32_t *l3 = filter ? L->mem->realloc(NULL, (h.n3 ? h.n3 : 1) * sizeof *l3) : NULL;
	if (!pattern || (filter && (!f || !l3))) {
		L->mem->free(pattern);
		L->mem->free(f);
		L->mem->free(l3);
		for (size_t k = 0; k < ncodes; k++)
			pcre2_code_free(c[k]);
		return false;
	}
	if (f) {
		memcpy(f, fil, S_FILTER_FIXED);
		memcpy(l3, fil + S_FILTER_FIXED, h.n3 * sizeof *l3);
		f->l3 = l3;
		f->n3 = (size_t)h.n3;
	}
	r->code = c[0];
	r->code_at = h.codes & S_C_AT ? c[1] : NULL;
	r->anchored = h.codes & S_C_ANCHORED ? c[ncodes - 1]
	              : h.codes & S_C_SAME   ? r->code_at
	                                     : NULL;
	r->filter = f;
	r->pattern = pattern;
	r->cached = true;
	r->filter_kind = (uint8_t)h.filter_kind;
	r->first_known = h.first_known != 0;
	memcpy(r->first, h.first, sizeof r->first);
	S_groups(rs, r);
	return true;
}

/* The blob of r (S_cache_take reads it back), put under r->cache_key. */
static int S_cache_put(warta_ruleset *rs, const rule *r)
{
	const pcre2_code *c[3] = {r->code, NULL, NULL};
	struct cache_head h = {0};
	int32_t nc = 1;
	if (r->code_at) {
		h.codes |= S_C_AT;
		c[nc++] = r->code_at;
	}
	if (r->anchored && r->anchored == r->code_at)
		h.codes |= S_C_SAME;
	else if (r->anchored) {
		h.codes |= S_C_ANCHORED;
		c[nc++] = r->anchored;
	}
	if (r->filter) {
		h.codes |= S_C_FILTER;
		h.n3 = r->filter->n3;
	}
	uint8_t *codes = NULL;
	PCRE2_SIZE clen = 0;
	if (pcre2_serialize_encode(c, nc, &codes, &clen, NULL) != nc)
		return WARTA_OK; /* not cached: the next load compiles it again */
	h.pattern_len = (uint32_t)strlen(r->pattern);
	h.codes_len = clen;
	h.filter_kind = r->filter_kind;
	h.first_known = r->first_known;
	memcpy(h.first, r->first, sizeof h.first);
	size_t filter = r->filter ? S_FILTER_FIXED + h.n3 * sizeof(uint32_t) : 0;
	size_t n = sizeof h + h.pattern_len + clen + filter;
	unsigned char *b = rs->mem->realloc(NULL, n);
	int rc = WARTA_ENOMEM;
	if (b) {
		unsigned char *p = b;
		memcpy(p, &h, sizeof h);
		memcpy(p += sizeof h, r->pattern, h.pattern_len);
		memcpy(p += h.pattern_len, codes, clen);
		if (r->filter) {
			memcpy(p += clen, r->filter, S_FILTER_FIXED);
			if (h.n3) /* none learnt: no list (memcpy wants a pointer) */
				memcpy(p + S_FILTER_FIXED, r->filter->l3, h.n3 * sizeof(uint32_t));
		}
		rc = rcache_put(rs->rcache, r->cache_key, b, n) ? WARTA_OK : WARTA_ENOMEM;
		rs->mem->free(b);
	}
	pcre2_serialize_free(codes);
	return rc;
}

int rules_cache_store(warta_ruleset *rs)
{
	for (size_t i = 0; rs->rcache && i < rs->nclasses; i++) {
		int rc = rs->classes[i]->cached ? WARTA_OK : S_cache_put(rs, rs->classes[i]);
		if (rc)
			return rc;
	}
	for (size_t f = 0; rs->rcache && f < rs->nfiles; f++)
		for (size_t i = 0; i < rs->files[f].n; i++) {
			const rule *r = &rs->files[f].rules[i];
			int rc = r->code && !r->cached ? S_cache_put(rs, r) : WARTA_OK;
			if (rc)
				return rc;
		}
	return WARTA_OK;
}

/* Compiles what the scans of rules[i] of rf run. PCRE2 10.42 runs the
 * interpreter when PCRE2_ANCHORED is given at match time (JIT code cannot
 * honour it), so rules that are tried at chosen positions get a second,
 * anchored compile: an entity rule is only ever tried anchored, through
 * S_match_at (partial matching); the others scan with their unanchored
 * code, a \G rule is also matched anchored by rule_match_at(), and a rule
 * with a start filter learns it from partial matches anchored
 * (S_filter_learn), which its scan then uses too (S_scan_cands). rule_ready()
 * JIT-compiles, for each code, only the mode the scans use. Touches only
 * this rule and uses PCRE2's own allocator, not warta_mem: the rules are
 * prepared on several threads at once. */
static void S_jit(rule *r);

static void S_prepare(rule *r, size_t i)
{
	if (!r->code || r->cached)
		return;
	int err;
	PCRE2_SIZE off;
	if (r->type != T_NONE || strncmp(r->pattern, "\\G", 2) == 0)
		r->code_at =
		    pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
		                  PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &err, &off, NULL);
	if (i >= 64 || !r->pattern || !S_kind(r))
		return;
	r->anchored = r->code_at
	                  ? r->code_at
	                  : pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
	                                  PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &err, &off, NULL);
	/* its filter is learnt by thousands of probes: JIT pays (5 times
	 * faster than the interpreter there) */
	S_jit(r);
}

/* JIT compiling all rules took half of the start-up, and a short input
 * needs only some of them; so each rule is JIT-compiled when it is first
 * used. One lock for every rule: sljit detects the CPU's features into
 * statics on its first compile, without a lock of its own, and two threads
 * compiling at once must not race there. A compile takes about a
 * millisecond, once per rule and process. JIT is an optimisation: where
 * it fails, the interpreter gives the same results. */
static pthread_mutex_t S_jit_lock = PTHREAD_MUTEX_INITIALIZER;

/* helgrind does not know C11 atomics: without these it reports the JIT
 * code a thread compiled and another then runs as a race. */
#if defined(__has_include)
#if __has_include(<valgrind/helgrind.h>)
#include <valgrind/helgrind.h>
#endif
#endif
#ifndef ANNOTATE_HAPPENS_BEFORE
#define ANNOTATE_HAPPENS_BEFORE(obj)            ((void)(obj))
#define ANNOTATE_HAPPENS_AFTER(obj)             ((void)(obj))
#define ANNOTATE_BENIGN_RACE_SIZED(obj, n, why) ((void)(obj))
#endif

/* JIT-compiles each code of r for the mode its scans use. */
static void S_jit(rule *r)
{
	bool entity = r->type != T_NONE;
	if (r->code && !entity && !r->is_class) /* a class runs only anchored */
		(void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
	if (r->code_at)
		(void)pcre2_jit_compile(r->code_at,
		                        entity ? PCRE2_JIT_PARTIAL_HARD : PCRE2_JIT_COMPLETE);
	if (r->anchored)
		(void)pcre2_jit_compile(r->anchored, PCRE2_JIT_PARTIAL_HARD);
	ANNOTATE_HAPPENS_BEFORE(&r->jit_ready);
	atomic_store_explicit(&r->jit_ready, true, memory_order_release);
}

void rule_ready(const rule *r)
{
	/* r lives in the ruleset's heap memory: the flag may be written
	 * through a pointer that the shared, otherwise immutable ruleset
	 * hands out as const */
	rule *w = (rule *)r;
	if (atomic_load_explicit(&w->jit_ready, memory_order_acquire)) {
		ANNOTATE_HAPPENS_AFTER(&w->jit_ready);
		return;
	}
	pthread_mutex_lock(&S_jit_lock);
	if (!atomic_load_explicit(&w->jit_ready, memory_order_relaxed))
		S_jit(w);
	pthread_mutex_unlock(&S_jit_lock);
}

struct prep_item {
	rule *r;
	size_t idx, len; /* idx: in its file (64 for a test) */
};

struct prep_queue {
	struct prep_item *it;
	size_t n;
	atomic_size_t next;
};

static void *S_prepare_worker(void *arg)
{
	struct prep_queue *q = arg;
	for (size_t k; (k = atomic_fetch_add(&q->next, 1)) < q->n;)
		S_prepare(q->it[k].r, q->it[k].idx);
	return NULL;
}

static int S_longer_first(const void *a, const void *b)
{
	size_t x = ((const struct prep_item *)a)->len, y = ((const struct prep_item *)b)->len;
	return x < y ? 1 : x > y ? -1 : 0;
}

int rules_prepare(warta_ruleset *rs)
{
	const warta_mem *mem = rs->mem;
	S_memo_free(rs); /* every file is read */
	struct prep_queue q = {0};
	q.n = rs->nclasses;
	for (size_t f = 0; f < rs->nfiles; f++)
		q.n += rs->files[f].n;
	if (!(q.it = mem->calloc(q.n + 1, sizeof *q.it)))
		return WARTA_ENOMEM;
	/* the rules the cache did not have, the largest patterns first, so
	 * that no thread is left with one at the end */
	q.n = 0;
	for (size_t f = 0; f < rs->nfiles; f++)
		for (size_t i = 0; i < rs->files[f].n; i++) {
			rule *r = &rs->files[f].rules[i];
			if (r->code && !r->cached)
				q.it[q.n++] = (struct prep_item){r, i, strlen(r->pattern)};
		}
	for (size_t i = 0; i < rs->nclasses; i++)
		if (!rs->classes[i]->cached)
			q.it[q.n++] =
			    (struct prep_item){rs->classes[i], 64, strlen(rs->classes[i]->pattern)};
	qsort(q.it, q.n, sizeof *q.it, S_longer_first);
	/* PCRE2's JIT (sljit) detects CPU features into statics on first use,
	 * without a lock: before the threads JIT-compile the rules that will be
	 * probed, a pattern that uses every kind of item is compiled here
	 * first, alone, so that they only read them. */
	static const char *const warm_up[] = {
	    ("(?i)(?<n>\\p{Lu}[\\p{L}\\p{M}'-]*+)(?=\\s)(?!x)(?<=a)[0-9]{2,5}?[^\\W\\d]|"
	     "(?&n)\\b.*?\\K\\X(*SKIP)(?C1)\\x{e9}{3}(?s:.{4})"),
	    "kata[0-9]+", "(?i)kata\\s+\\w", "[a-z]{3}x", "\\x{e9}t\\x{e9}"};
	for (size_t w = 0; q.n && w < sizeof warm_up / sizeof *warm_up; w++) {
		int err;
		PCRE2_SIZE off;
		pcre2_code *c = pcre2_compile((PCRE2_SPTR)warm_up[w], PCRE2_ZERO_TERMINATED,
		                              PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
		if (c)
			(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD);
		pcre2_code_free(c);
	}
	atomic_init(&q.next, 0);
	long ncpu = q.n > 1 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
	pthread_t th[7];
	size_t nth = 0;
	for (long t = 1; t < ncpu && t < 8; t++)
		if (pthread_create(&th[nth], NULL, S_prepare_worker, &q) == 0)
			nth++;
	S_prepare_worker(&q);
	for (size_t t = 0; t < nth; t++)
		pthread_join(th[t], NULL);
	mem->free(q.it);
	/* (the flag is an atomic, which helgrind takes for a plain byte) */
	for (size_t f = 0; f < rs->nfiles; f++)
		for (size_t i = 0; i < rs->files[f].n; i++)
			ANNOTATE_BENIGN_RACE_SIZED(&rs->files[f].rules[i].jit_ready,
			                           sizeof(atomic_bool), "rule_ready");
	for (size_t i = 0; i < rs->nclasses; i++)
		ANNOTATE_BENIGN_RACE_SIZED(&rs->classes[i]->jit_ready, sizeof(atomic_bool),
		                           "rule_ready");
	/* the start filters: probes allocate through warta_mem, one thread */
	for (size_t f = 0; f < rs->nfiles; f++)
		if (S_filters(rs, &rs->files[f]) != WARTA_OK)
			return WARTA_ENOMEM;
	return WARTA_OK;
}

int rulefile_load(warta_ruleset *rs, rulefile *rf, const char *path, const char *shown_path,
                  warta_diags *d)
{
	const warta_mem *mem = rs->mem;
	memset(rf, 0, sizeof *rf);
	loader L = {.rs = rs, .mem = mem, .d = d, .shown = shown_path, .rf = rf};
	FILE *f = fopen(path, "rb");
	if (!f) {
		diags_add(d, shown_path, 0, 0, NULL, 0, "cannot open: %s", strerror(errno));
		return WARTA_EIO;
	}
	const char *base = strrchr(shown_path, '/');
	base = base ? base + 1 : shown_path;
	size_t bl = strlen(base);
	if (bl > 6 && strcmp(base + bl - 6, ".rules") == 0)
		bl -= 6;
	rf->name = S_dup(mem, base, bl);
	rf->path = S_dup(mem, shown_path, strlen(shown_path));
	size_t cap = 0;
	rule *cur = NULL;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t got;
	while ((got = getline(&line, &lcap, f)) >= 0) {
		L.lineno++;
		size_t len = (size_t)got;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		L.line = line;
		L.linelen = len;
		size_t i = 0;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len || line[i] == '#')
			continue;
		long bad = S_bad_utf8(line, len);
		if (bad >= 0) {
			S_err(&L, (int)bad + 1, "the line is not valid UTF-8%s%s", NULL, NULL);
			continue;
		}
		size_t ks = i;
		while (i < len &&
		       (isalnum((unsigned char)line[i]) || line[i] == '_' || line[i] == '-'))
			i++;
		size_t kl = i - ks;
		if (i < len && line[i] == ':')
			i++;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		const char *val = line + i;
		size_t vl = len - i;
		int vcol = (int)i + 1;
		bool indented = ks > 0;
		if (kl == 0) {
			S_err(&L, (int)ks + 1,
			      "expected a keyword (define, test, keys, rule, or a rule key)", NULL,
			      NULL);
			continue;
		}
		if (!indented && kl == 6 && memcmp(line + ks, "define", 6) == 0) {
			S_define(&L, val, vl, vcol);
			cur = NULL;
		} else if (!indented && kl == 4 && memcmp(line + ks, "test", 4) == 0) {
			S_class(&L, val, vl, vcol);
			cur = NULL;
		} else if (!indented && kl == 4 && memcmp(line + ks, "keys", 4) == 0) {
			size_t j = 0;
			while (j < vl) {
				size_t e = j;
				while (e < vl && val[e] != ' ' && val[e] != '\t')
					e++;
				if (e > j && S_grow(mem, (void **)&L.keys, L.nkeys, &L.capkeys,
				                    sizeof(char *)))
					L.keys[L.nkeys++] = S_dup(mem, val + j, e - j);
				j = e + 1;
			}
		} else if (!indented && kl == 4 && memcmp(line + ks, "rule", 4) == 0) {
			if (vl == 0) {
				S_err(&L, vcol, "a rule needs an id: rule person-after-title", NULL,
				      NULL);
				cur = NULL;
				continue;
			}
			char id[128];
			snprintf(id, sizeof id, "%.*s", (int)vl, val);
			for (size_t r = 0; r < rf->n; r++)
				if (strcmp(rf->rules[r].id, id) == 0)
					S_err(&L, vcol,
					      "rule id '%s' is already used in this file%s", id,
					      "");
			if (!S_grow(mem, (void **)&rf->rules, rf->n, &cap, sizeof(rule))) {
				L.errors++;
				break;
			}
			L.rule_index = rf->n;
			cur = &rf->rules[rf->n++];
			memset(cur, 0, sizeof *cur);
			cur->id = S_dup(mem, val, vl);
			cur->file = rf->path;
			cur->line = L.lineno;
			cur->priority = 50;
			cur->zones = ((1u << Z__COUNT) - 1) & ~(1u << Z_NOISE);
		} else if (!indented) {
			S_err(&L, 1,
			      "expected 'define', 'test', 'keys' or 'rule' at the start of a line; "
			      "rule "
			      "keys are indented",
			      NULL, NULL);
			cur = NULL;
		} else if (!cur) {
			S_err(&L, (int)ks + 1,
			      "this key belongs to no rule: start one with 'rule ID'", NULL, NULL);
		} else {
			S_rule_line(&L, cur, line + ks, kl, val, vl, vcol);
		}
	}
	free(line);
	fclose(f);
	for (size_t r = 0; r < rf->n; r++)
		if (!rf->rules[r].pattern_seen) {
			diags_add(d, shown_path, rf->rules[r].line, 0, NULL, 0,
			          "rule %s has no pattern", rf->rules[r].id);
			L.errors++;
		}
	for (size_t i = 0; i < L.nmacros; i++) {
		mem->free(L.macros[i].name);
		mem->free(L.macros[i].body);
		mem->free(L.macros[i].src);
		mem->free(L.macros[i].trie);
	}
	mem->free(L.macros);
	for (size_t i = 0; i < L.nkeys; i++)
		mem->free(L.keys[i]);
	mem->free(L.keys);
	for (size_t i = 0; i < L.ncnames; i++)
		mem->free(L.cnames[i].name);
	mem->free(L.cnames);
	if (!L.errors && !S_near_build(&L, rf))
		L.errors++;
	mem->free(L.nearw);
	return L.errors ? WARTA_ERULE : WARTA_OK;
}

/* What r owns (not r itself). */
static void S_rule_free(rule *r, const warta_mem *mem)
{
	mem->free(r->id);
	pcre2_code_free(r->code);
	if (r->anchored != r->code_at)
		pcre2_code_free(r->anchored);
	pcre2_code_free(r->code_at);
	mem->free(r->pattern);
	mem->free(r->need);
	for (size_t a = 0; a < r->nattr; a++) {
		mem->free(r->attr[a].key);
		mem->free(r->attr[a].value);
	}
	mem->free(r->attr);
	for (size_t e = 0; e < r->nex; e++)
		mem->free(r->ex[e].text);
	mem->free(r->ex);
	if (r->filter)
		mem->free(r->filter->l3);
	mem->free(r->filter);
	S_split_free(r->split, mem);
}

void rules_classes_free(warta_ruleset *rs)
{
	for (size_t i = 0; i < rs->nclasses; i++) {
		S_rule_free(rs->classes[i], rs->mem);
		rs->mem->free(rs->classes[i]);
	}
	rs->mem->free(rs->classes);
	rs->classes = NULL;
	rs->nclasses = rs->capclasses = 0;
}

void rulefile_free(rulefile *rf, const warta_mem *mem)
{
	if (!rf)
		return;
	for (size_t i = 0; i < rf->n; i++)
		S_rule_free(&rf->rules[i], mem);
	if (rf->near)
		mem->free(rf->near->slot);
	mem->free(rf->near);
	if (rf->starts)
		mem->free(rf->starts->second), mem->free(rf->starts->third_ids);
	mem->free(rf->starts);
	mem->free(rf->rules);
	mem->free(rf->name);
	mem->free(rf->path);
	memset(rf, 0, sizeof *rf);
}

const char *rule_attr_get(const rule *r, const char *key)
{
	for (size_t i = 0; r && i < r->nattr; i++)
		if (strcmp(r->attr[i].key, key) == 0)
			return r->attr[i].value;
	return NULL;
}

/* ---------------------------------------------------------- matching */

bool rule_group(const rule_match *m, const char *name, size_t *start, size_t *end)
{
	return rule_group_at(m, pcre2_substring_number_from_name(m->r->code, (PCRE2_SPTR)name),
	                     start, end);
}

bool rule_group_at(const rule_match *m, int32_t g, size_t *start, size_t *end)
{
	if (g < 0 || (uint32_t)g >= m->npairs || m->ov[2 * g] == PCRE2_UNSET)
		return false;
	*start = m->ov[2 * g];
	*end = m->ov[2 * g + 1];
	return true;
}

pcre2_match_data *rules_match_data(const warta_ruleset *rs)
{
	return pcre2_match_data_create(rs->max_captures + 1, rs->gctx);
}

/* Hands the match in md to cb (an empty match is counted, not reported);
 * stores its end in *end and returns true when cb asks to stop. */
static bool S_report(const rule *r, pcre2_match_data *md, int (*cb)(const rule_match *, void *),
                     void *ctx, size_t *end)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	rule_match m = {r, ov[0], ov[1], ov, pcre2_get_ovector_count(md)};
	*end = ov[1];
	return ov[1] > ov[0] && cb && cb(&m, ctx);
}

/* The words of a near rule's lists in one text, ascending, and the window
 * around a match start they allow; S_near_in() is asked with ascending p. */
typedef struct near_win {
	const uint32_t *occ;
	size_t n, j;
	uint32_t before, after;
} near_win;

static inline bool S_near_in(near_win *w, size_t p)
{
	if (!w)
		return true;
	while (w->j < w->n && (size_t)w->occ[w->j] + w->before < p)
		w->j++;
	return w->j < w->n && w->occ[w->j] <= p + w->after;
}

/* Runs r over subject[from, to); calls cb per match. Returns the number of
 * matches, or a PCRE2 error code (< 0) when a limit stopped it. */
static int S_scan(const warta_ruleset *rs, const rule *r, const char *subject, size_t from,
                  size_t to, near_win *w, pcre2_match_data *md,
                  int (*cb)(const rule_match *, void *), void *ctx)
{
	int found = 0;
	size_t at = from;
	while (at <= to) {
		int rc = S_match(rs, r->code, subject, to, at, 0, md);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return rc;
		size_t end, start = pcre2_get_ovector_pointer(md)[0];
		if (!S_near_in(w, start)) { /* not tried there: go on after it */
			at = start;
			end = start;
		} else {
			found++;
			if (S_report(r, md, cb, ctx, &end))
				break;
		}
		if (end > at)
			at = end;
		else { /* an empty match: step over one whole character */
			at++;
			while (at < to && ((unsigned char)subject[at] & 0xC0) == 0x80)
				at++;
		}
	}
	return found;
}

/* The next word of t[*at, n): its start in *at, its hash returned (0 when
 * there is none); *at + *len is where the walk goes on. */
static inline uint64_t S_next_word(const char *t, size_t n, size_t *at, size_t *len)
{
	while (*at < n && !S_word_byte((unsigned char)t[*at]))
		++*at;
	return *at < n ? S_word_hash(t + *at, n - *at, len) : 0;
}

/* Lists the words of u[0, n) that some near list may hold in out, from
 * the word bytes (S_word_byte) of each block of 64 (wm[z], none past n): a
 * pass of its own after S_text_starts's, with out's arrays in locals (stored
 * through out as they were, the compiler read them back per word, and the
 * shared pass spilled its registers). */
static void S_near_words(const uint8_t *bloom, const unsigned char *u, size_t n, const uint64_t *wm,
                         struct near_words *out)
{
	uint32_t *pos = out->pos;
	uint64_t *hash = out->hash;
	uint8_t *files = out->files;
	size_t k = 0;
	uint64_t carry = 0; /* the byte before the block is a word byte */
	for (size_t base = 0; base < n; base += 64) {
		uint64_t w = wm[base / 64];
		uint64_t st = w & ~(w << 1 | carry);
		carry = w >> 63;
		for (; st; st &= st - 1) {
			unsigned b = (unsigned)__builtin_ctzll(st);
			uint64_t rest = ~w >> b; /* its end: the first byte after it that is none */
			size_t e = base + b + (rest ? (size_t)__builtin_ctzll(rest) : 64 - b);
			if (!rest)
				while (e < n && S_word_byte(u[e]))
					e++;
			uint64_t h = S_whash(u + base + b, e - (base + b), true);
			uint8_t f = bloom[S_bloom_bit(h)];
			pos[k] = (uint32_t)(base + b);
			hash[k] = h;
			files[k] = f;
			k += f != 0;
		}
	}
	out->n = k;
}

bool rule_near_ok(const rulefile *rf, const rule *r, const char *s, size_t n, size_t at)
{
	if (!r->near || !rf->near)
		return true;
	uint64_t bit = (uint64_t)1 << (r - rf->rules), h;
	size_t len;
	for (size_t i = 0; (h = S_next_word(s, n, &i, &len)) != 0; i += len)
		if (i + r->near_before >= at && i <= at + r->near_after &&
		    (S_near_mask(rf->near, h) & bit))
			return true;
	return false;
}

/* Tries r anchored at p with its partial-matching JIT code: PARTIAL_HARD
 * gives the same match or none, unless a path reaches the end of the zone;
 * then the complete-matching code decides at p (interpreted: rare). */
static int S_match_at(const warta_ruleset *rs, const rule *r, const char *subject, size_t to,
                      size_t p, pcre2_match_data *md)
{
	const pcre2_code *partial = r->anchored ? r->anchored : r->code_at;
	int rc = S_match(rs, partial, subject, to, p, PCRE2_PARTIAL_HARD, md);
	if (rc != PCRE2_ERROR_PARTIAL)
		return rc;
	if (r->code_at)
		return pcre2_match(r->code_at, (PCRE2_SPTR)subject, to, p, PCRE2_NO_UTF_CHECK, md,
		                   rs->mctx);
	rc = pcre2_match(r->code, (PCRE2_SPTR)subject, to, p, PCRE2_NO_UTF_CHECK, md, rs->mctx);
	return rc >= 0 && pcre2_get_ovector_pointer(md)[0] != p ? PCRE2_ERROR_NOMATCH : rc;
}

/* Runs an entity rule only where a word or number token starts: a name never
 * begins inside a word, and trying ~1 position in 6 instead of every byte is
 * what makes rules with leading look-arounds affordable. Same results as
 * S_scan for such rules (matches do not overlap). */
static int S_scan_words(warta_doc *doc, const rule *r, size_t from, size_t to, near_win *w,
                        int (*cb)(const rule_match *, void *), void *ctx)
{
	int found = 0;
	size_t k = doc_tok_at(doc, (uint32_t)from), skip_to = from;
	for (; k < doc->toks.n && doc->toks.v[k].start < to; k++) {
		const token *t = &doc->toks.v[k];
		if (t->kind != TK_WORD && t->kind != TK_NUM)
			continue;
		/* A word token may hold several words joined by hyphens
		 * ("kota-kota Mediterania", "se-Kabupaten X"): try each. */
		for (size_t at = t->start; at < t->end && at < to;) {
			if (at >= skip_to && S_near_in(w, at)) {
				int rc = S_match_at(doc->rs, r, doc->text, to, at, doc->md);
				if (rc >= 0) {
					size_t end;
					found++;
					if (S_report(r, doc->md, cb, ctx, &end))
						return found;
					skip_to = end > at ? end : at + 1;
				} else if (rc != PCRE2_ERROR_NOMATCH)
					return rc;
			}
			const char *h = memchr(doc->text + at, '-', t->end - at);
			if (!h)
				break;
			at = (size_t)(h - doc->text) + 1;
		}
	}
	return found;
}

int rule_scan_text(const warta_ruleset *rs, const rule *r, const char *s, size_t n,
                   pcre2_match_data *md, int (*cb)(const rule_match *m, void *ctx), void *ctx)
{
	rule_ready(r);
	return S_scan(rs, r, s, 0, n, NULL, md, cb, ctx);
}

bool rule_match_at(warta_doc *doc, const rule *r, size_t at, size_t to, rule_match *m)
{
	if (!doc->md && !(doc->md = rules_match_data(doc->rs)))
		return false;
	/* PCRE2_ANCHORED at match time would send even JIT code to the
	 * interpreter (8x slower): code_at is anchored by its compile. */
	rule_ready(r);
	struct class_memo *outer = S_cmemo_enter(doc);
	int rc = r->code_at
	             ? S_match(doc->rs, r->code_at, doc->text, to, at, 0, doc->md)
	             : pcre2_match(r->code, (PCRE2_SPTR)doc->text, to, at,
	                           PCRE2_NO_UTF_CHECK | PCRE2_ANCHORED, doc->md, doc->rs->mctx);
	tl_cmemo = outer;
	if (rc < 0) {
		if (rc != PCRE2_ERROR_NOMATCH) {
			char what[200];
			snprintf(what, sizeof what, "%s:%d %s", r->file, r->line, r->id);
			doc_warn(doc, "rule-limit", arena_strndup(&doc->a, what, strlen(what)), 1);
		}
		return false;
	}
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(doc->md);
	*m = (rule_match){r, ov[0], ov[1], ov, pcre2_get_ovector_count(doc->md)};
	return true;
}

typedef struct scan_ctx {
	warta_doc *doc;
	rule_cb cb;
	void *ctx;
	uint64_t *matches; /* with WARTA_OPT_RULE_TIMES: the rule's count */
} scan_ctx;

static int S_doc_cb(const rule_match *m, void *p)
{
	scan_ctx *s = p;
	if (s->matches)
		++*s->matches;
	return s->cb(s->doc, m, s->ctx);
}

/* What a document's rules took, with WARTA_OPT_RULE_TIMES. */
struct rule_prof {
	uint64_t ns, matches;
};

/* Returns true when t[from, to) contains the folded ASCII literal `need`
 * (any case): memchr for its first byte in both cases, then a compare. */
static bool S_has(const char *t, size_t from, size_t to, const char *need)
{
	size_t nl = strlen(need);
	if (!nl)
		return true;
	if (to < from + nl)
		return false;
	unsigned char lo = (unsigned char)need[0], up = (unsigned char)toupper(lo);
	const char *p = t + from, *end = t + to - nl + 1;
	for (int pass = 0; pass < (lo == up ? 1 : 2); pass++) {
		unsigned char c = pass ? up : lo;
		for (const char *q = p; q < end && (q = memchr(q, c, (size_t)(end - q))) != NULL;
		     q++) {
			size_t k = 1;
			while (k < nl && tolower((unsigned char)q[k]) == (unsigned char)need[k])
				k++;
			if (k == nl)
				return true;
		}
	}
	return false;
}

/* The positions of one rule in one call, ascending; the scratch keeps the
 * buffer for the next call. */
typedef struct rule_pos {
	uint32_t *v;
	size_t n, cap;
} rule_pos;

static bool S_ascii_letter(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26;
}

static bool S_pos_grow(arena *ar, rule_pos *l)
{
	size_t cap = l->cap ? 2 * l->cap : 64;
	uint32_t *v = arena_alloc_raw(ar, cap * sizeof *v);
	if (!v)
		return false;
	if (l->n)
		memcpy(v, l->v, l->n * sizeof *v);
	l->v = v;
	l->cap = cap;
	return true;
}

/* Appends p to the list of each rule of m (bit i: lists[i]): straight into
 * per-rule lists, as a list of (position, mask) pairs sorted by rule after
 * cost as much again. */
static inline bool S_push_pos(arena *ar, rule_pos *lists, size_t p, uint64_t m)
{
	for (; m; m &= m - 1) {
		rule_pos *l = &lists[__builtin_ctzll(m)];
		if (l->n == l->cap && !S_pos_grow(ar, l))
			return false;
		l->v[l->n++] = (uint32_t)p;
	}
	return true;
}

/* The rules of rf that may start a match at t[p] (p < b): by the first
 * byte, then the first two and three where their filters know them. No
 * branch (see struct starts_row); the text has zeros past its end, so t[p +
 * 1] and t[p + 2] may be read past b. */
static inline uint64_t S_cand_mask(const rule_starts *st, const uint8_t *t, size_t p, size_t b,
                                   bool prev_letter)
{
	unsigned c0 = t[p], c1 = t[p + 1], c2 = t[p + 2];
	uint64_t m = prev_letter ? st->any[c0] : st->first[c0];
	const struct starts_row *row = &st->second[st->row[c0]];
	c1 = c1 < 128 ? c1 : S_C1_HIGH;
	c1 = p + 1 < b ? c1 : S_C1_END;
	c2 = c2 < 128 && p + 2 < b ? c2 : 128;
	m &= row->keep[c1];
	uint64_t deep = m & row->deep[c1];
	return m & (~deep | st->third_sets[st->third_ids[(size_t)row->block[c1] * S_C2N + c2]]);
}

/* The positions that pass some rule of a file, with the rules they pass,
 * gathered before they are dealt out to the rules' lists. */
struct cand_buf {
	uint32_t *pos;
	uint64_t *mask;
	size_t cap;
};

/* Per document: every position that is not an ASCII letter after an ASCII
 * letter (the starts of words and everything that is not a letter), found
 * once and shared by the rule files. */
struct cand_starts {
	/* every start as a bit (bit p & 63 of [p >> 6]), and those but the
	 * spaces, for the files whose rules never start on one (spaces are
	 * three starts in five, and most files have none) */
	uint64_t *bits, *wbits;
	/* per text byte, the files (bit f & 7 for files[f]) with a rule outside
	 * near_filtered that may start on it when it is a start, else 0 (to
	 * the end of the text's last block of 64): S_cands tests 64 positions at once against them,
	 * where a table lookup per start per file was an eighth of the cost
	 * of preparing the scans, and a list of the starts with their files
	 * cost four stores a start. Files past eight share bits: a file then
	 * keeps some starts its own first[] rules out, which S_cand_mask
	 * rules out again. */
	uint8_t *files;
	uint8_t *bfiles; /* per block of 64, the union of its bytes of files */
};

/* Finds, once per document, the starts of t[0, n) (into cs) and the words
 * some near list may hold (into nw, when some file has a near list): both
 * from one computation of bytemask.h's masks, 64 bytes at a time (t has 64
 * zero bytes after its end); the words' masks are kept for S_near_words. */
static bool S_text_starts(arena *ar, const uint8_t *t, size_t n, const warta_ruleset *rs,
                          struct cand_starts *cs, struct near_words *nw)
{
	size_t nb = n / 64 + 1; /* (one past the text's when 64 divides n: never read) */
	size_t cap = rs->nnear_files ? n / 2 + 1 : 0; /* every other byte a word */
	nw->n = 0;
	if (!(cs->bits = arena_alloc_raw(ar, nb * sizeof *cs->bits)) ||
	    !(cs->wbits = arena_alloc_raw(ar, nb * sizeof *cs->wbits)) ||
	    !(cs->files = arena_alloc_raw(ar, nb * 64)) ||
	    !(cs->bfiles = arena_alloc_raw(ar, nb)) ||
	    !(nw->pos = arena_alloc_raw(ar, (cap + 1) * sizeof *nw->pos)) ||
	    !(nw->hash = arena_alloc_raw(ar, (cap + 1) * sizeof *nw->hash)) ||
	    !(nw->files = arena_alloc_raw(ar, cap + 16)))
		return false;
	uint64_t *wm = NULL; /* the word bytes of each block, for S_near_words */
	if (cap && !(wm = arena_alloc_raw(ar, nb * sizeof *wm)))
		return false;
	uint64_t carry = 0; /* the byte before the block is an ASCII letter */
#ifdef __SSE2__
	const __m128i spf = _mm_set1_epi8((char)(uint8_t)rs->start_files[' ']);
#endif
	for (size_t base = 0; base < n; base += 64) {
		bytemask m = bm_block64(t + base);
		uint64_t end = n - base < 64 ? ((uint64_t)1 << (n - base)) - 1 : ~(uint64_t)0;
		if (wm)
			wm[base / 64] = (m.alnum | m.high) & end;
		/* the starts are the bytes but ASCII letters after ASCII letters */
		uint64_t letter = m.alnum & ~m.dig;
		uint64_t st = ~(letter & (letter << 1 | carry)) & end;
		carry = letter >> 63;
		cs->bits[base / 64] = st;
		/* Every space is a start (no letter) and within the text (the
		 * zeros past it are none), so the files of the block's spaces
		 * are one byte set 16 at a time with the rest's zeros (the
		 * block's bytes past the text too: S_cands reads them), and
		 * only the other starts (two in five) are looked up one by one. */
#ifdef __SSE2__
		const __m128i sp = _mm_set1_epi8(' ');
		uint64_t spaces = 0;
		for (unsigned k = 0; k < 4; k++) {
			__m128i eq = _mm_cmpeq_epi8(
			    _mm_loadu_si128((const __m128i *)(const void *)(t + base + 16 * k)),
			    sp);
			_mm_storeu_si128((__m128i *)(void *)(cs->files + base + 16 * k),
			                 _mm_and_si128(eq, spf));
			spaces |= (uint64_t)(unsigned)_mm_movemask_epi8(eq) << (16 * k);
		}
		st &= ~spaces;
		cs->wbits[base / 64] = st;
#else
		uint64_t spaces = bm_spaces64(t + base);
		st &= ~spaces;
		cs->wbits[base / 64] = st;
		memset(cs->files + base, 0, 64);
#endif
		uint8_t all = spaces ? (uint8_t)rs->start_files[' '] : 0;
		for (; st; st &= st - 1) {
			size_t p = base + (size_t)__builtin_ctzll(st);
			uint8_t f = (uint8_t)rs->start_files[t[p]];
			cs->files[p] = f;
			all |= f;
		}
		cs->bfiles[base / 64] = all;
	}
	if (wm)
		S_near_words(rs->near_bloom, t, n, wm, nw);
	memset(nw->files + nw->n, 0, 16); /* S_scan_prepare reads 16 at a time */
	return true;
}

/* The bits k of fb[0, 16) that hold 1 << sh. */
static inline unsigned S_bits16(const uint8_t *fb, unsigned sh)
{
#ifdef __SSE2__
	/* the bit moved to each byte's top (16-bit lanes shifted by 7 - sh
	 * carry no bit of a lane's low byte that far), which movemask takes */
	return (unsigned)_mm_movemask_epi8(_mm_sll_epi16(
	    _mm_loadu_si128((const __m128i *)(const void *)fb), _mm_cvtsi32_si128((int)(7 - sh))));
#else
	unsigned m = 0;
	for (unsigned k = 0; k < 16; k++)
		m |= (unsigned)(fb[k] >> sh & 1) << k;
	return m;
#endif
}

/* The bits k of fb[0, 64) that hold 1 << sh. */
static inline uint64_t S_files64(const uint8_t *fb, unsigned sh)
{
	return (uint64_t)S_bits16(fb, sh) | (uint64_t)S_bits16(fb + 16, sh) << 16 |
	       (uint64_t)S_bits16(fb + 32, sh) << 32 | (uint64_t)S_bits16(fb + 48, sh) << 48;
}

/* The candidates of the filtered rules with `near` (bits of near) in the
 * zones zs[0, nz) clipped to [from, to): the starts of each zone (bits bm
 * of cand_starts) within their windows around the words of their lists
 * (occ), that their filters let through, in tmp first, a block at a time
 * (room for 64). The set is the one a filter over every start and
 * S_near_in() afterwards gave, found without going through the starts far
 * from any such word: most of those rules may start only on such a word,
 * and every start passed the filters of some of them. A rule's zones are
 * walked in turn (they ascend), so its first word of each zone is found by
 * stepping on from the last zone's, and each list gets its positions in the
 * order a walk by zone gave (no other rule's list is touched here). */
static bool S_near_cands(arena *ar, const rulefile *rf, const uint8_t *t, const zone *zs, size_t nz,
                         size_t from, size_t to, const uint64_t *bm, uint64_t near,
                         const rule_pos *occ, rule_pos *lists, uint32_t *tmp)
{
	const rule_starts *st = rf->starts;
	for (; near; near &= near - 1) {
		unsigned i = (unsigned)__builtin_ctzll(near);
		const rule *r = &rf->rules[i];
		const uint32_t *ov = occ[i].v;
		size_t on = occ[i].n, j0 = 0;
		uint64_t bit = (uint64_t)1 << i;
		size_t before = r->near_before, after = r->near_after;
		for (size_t zi = 0; zi < nz; zi++) {
			size_t a = zs[zi].start > from ? zs[zi].start : from;
			size_t b = zs[zi].end < to ? zs[zi].end : to;
			if (a >= b)
				continue;
			bool inside = a > 0 && S_ascii_letter(t[a]) && S_ascii_letter(t[a - 1]);
			/* p may start a match where a word starts in [p - before, p + after] */
			size_t x = a > before ? a - before : 0;
			while (j0 < on && ov[j0] < x)
				j0++;
			size_t from_w = a;
			for (size_t j = j0; j < on && ov[j] < b + after; j++) {
				size_t lo = ov[j] > after ? ov[j] - after : 0;
				size_t hi = (size_t)ov[j] + before + 1;
				lo = lo > from_w ? lo : from_w;
				hi = hi < b ? hi : b;
				if (lo >= hi)
					continue;
				if (lo == a && inside && (S_cand_mask(st, t, a, b, true) & bit) &&
				    !S_push_pos(ar, lists, a, bit))
					return false;
				from_w = hi;
				if (hi - lo ==
				    1) { /* a window of one byte (most: `near` with none) */
					if ((bm[lo / 64] >> (lo % 64) & 1) &&
					    (st->first[t[lo]] & bit) &&
					    (S_cand_mask(st, t, lo, b,
					                 lo > 0 && S_ascii_letter(t[lo - 1])) &
					     bit) &&
					    !S_push_pos(ar, lists, lo, bit))
						return false;
					continue;
				}
				/* the starts in [lo, hi), read from their bits block by
				 * block; the first byte rules out three in four: kept
				 * without a branch, then judged whole (any[] is within
				 * first[]) */
				size_t z = lo / 64, zl = (hi - 1) / 64;
				uint64_t w = bm[z] & ~(uint64_t)0 << (lo % 64);
				for (;; w = bm[++z]) {
					if (z == zl)
						w &= ~(uint64_t)0 >> (63 - (hi - 1) % 64);
					size_t nt = 0;
					for (; w; w &= w - 1) {
						size_t p = z * 64 + (size_t)__builtin_ctzll(w);
						tmp[nt] = (uint32_t)p;
						nt += (st->first[t[p]] & bit) != 0;
					}
					for (size_t k = 0; k < nt; k++) {
						size_t p = tmp[k];
						if ((S_cand_mask(st, t, p, b,
						                 p > 0 &&
						                     S_ascii_letter(t[p - 1])) &
						     bit) &&
						    !S_push_pos(ar, lists, p, bit))
							return false;
					}
					if (z == zl)
						break;
				}
			}
		}
	}
	return true;
}

/* Adds the positions of t[a, b) where a filtered rule of rf may match to
 * the lists of those rules: every start judged without a data-dependent
 * branch (one per start cost more than the work), the ones that pass kept,
 * then dealt out by the rules they pass. A start passes two rules on
 * average of the eight that pass some start: dealing by start took 15M
 * instructions off the 1.5 MB slice against copying each rule's positions
 * branch-free, for 124K more mispredicted branches (callgrind). */
static bool S_cands(arena *ar, const rulefile *rf, unsigned fsh, const uint8_t *t, size_t a,
                    size_t b, const struct cand_starts *cs, struct cand_buf *buf, rule_pos *lists)
{
	const rule_starts *st = rf->starts;
	uint64_t scan = ~rf->near_filtered;
	size_t n = 0;
	uint64_t all = 0;
	/* a zone that starts inside a word starts with a candidate too */
	if (a > 0 && S_ascii_letter(t[a]) && S_ascii_letter(t[a - 1])) {
		buf->pos[0] = (uint32_t)a;
		all |= buf->mask[0] = S_cand_mask(st, t, a, b, true) & scan;
		n += buf->mask[0] != 0;
	}
	/* the first byte alone rules out two starts in three: 64 positions at
	 * a time by cs->files (a superset of the starts whose first[] & scan
	 * holds some rule, and S_cand_mask is within first[]: the same
	 * candidates) */
	size_t z0 = a / 64, zl = (b - 1) / 64;
	for (size_t z = z0; z <= zl; z++) {
		/* (a block where no start has rf's bit: half of them, most
		 * files, skipped on one byte) */
		if (!(cs->bfiles[z] >> fsh & 1))
			continue;
		uint64_t w = S_files64(cs->files + z * 64, fsh);
		if (z == z0)
			w &= ~(uint64_t)0 << (a % 64);
		if (z == zl)
			w &= ~(uint64_t)0 >> (63 - (b - 1) % 64);
		if (buf->cap - n < 64) { /* grown a block ahead */
			size_t cap = buf->cap * 2;
			uint32_t *pos = arena_alloc_raw(ar, cap * sizeof *pos);
			uint64_t *mask = arena_alloc_raw(ar, cap * sizeof *mask);
			if (!pos || !mask)
				return false;
			memcpy(pos, buf->pos, n * sizeof *pos);
			memcpy(mask, buf->mask, n * sizeof *mask);
			buf->pos = pos, buf->mask = mask, buf->cap = cap;
		}
		for (; w; w &= w - 1) {
			size_t p = z * 64 + (size_t)__builtin_ctzll(w);
			uint64_t m =
			    S_cand_mask(st, t, p, b, p > 0 && S_ascii_letter(t[p - (p > 0)])) &
			    scan;
			buf->pos[n] = (uint32_t)p;
			buf->mask[n] = m;
			all |= m;
			n += m != 0;
		}
	}
	for (; all; all &= all - 1) {
		rule_pos *l = &lists[__builtin_ctzll(all)];
		while (l->cap - l->n < n)
			if (!S_pos_grow(ar, l))
				return false;
	}
	for (size_t j = 0; j < n; j++)
		for (uint64_t m = buf->mask[j]; m; m &= m - 1) {
			rule_pos *l = &lists[__builtin_ctzll(m)];
			l->v[l->n++] = buf->pos[j];
		}
	return true;
}

/* S_scan over the candidate positions pos[0, n) (ascending) of rule r,
 * each tried anchored: the same matches, as no other position can match. */
static int S_scan_cands(const warta_ruleset *rs, const rule *r, const char *subject, size_t from,
                        size_t to, const uint32_t *pos, size_t n, size_t *kp, near_win *w,
                        pcre2_match_data *md, int (*cb)(const rule_match *, void *), void *ctx)
{
	int found = 0;
	size_t at = from, k = *kp;
	/* the zones come in order: on from the last one's end, not searched
	 * for per rule and zone */
	while (k < n && pos[k] < from)
		k++;
	for (; k < n && pos[k] < to; k++) {
		size_t p = pos[k];
		if (p < at || !S_near_in(w, p))
			continue;
		int rc = S_match_at(rs, r, subject, to, p, md);
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc < 0)
			return rc;
		size_t end;
		found++;
		if (S_report(r, md, cb, ctx, &end))
			break;
		at = end > p ? end : p + 1;
	}
	*kp = k;
	return found;
}

/* The per-rule lists of rules_scan, kept by the document and reused by each
 * call: a large article would otherwise hold one set per rule file until it
 * is done (about half of its memory). */
struct scan_scratch {
	rule_pos cand[64]; /* where filtered rules[i] may match */
	struct cand_buf buf;
	rule_pos occ[64]; /* where the list words of near rules[i] start */
	bool busy;        /* a callback that scans again gets fresh lists */
};

/* The zones a scan of doc[from, to) walks: the document's, or the range. */
static const zone *S_scan_zones(const warta_doc *doc, size_t from, size_t to, zone *whole,
                                size_t *nz)
{
	*whole = (zone){Z_BODY, (uint32_t)from, (uint32_t)to, NULL};
	*nz = doc->zones.n ? doc->zones.n : 1;
	return doc->zones.n ? doc->zones.v : whole;
}

/* Finds, once per document and rule file, where rf's filtered rules may
 * start in doc[from, to) and where the words of its `near` lists stand,
 * rule by rule (into scr). */
static int S_scan_prepare(warta_doc *doc, const rulefile *rf, size_t from, size_t to,
                          struct scan_scratch *scr)
{
	zone whole;
	size_t nz;
	const zone *zs = S_scan_zones(doc, from, to, &whole, &nz);
	for (size_t i = 0; i < rf->n && i < 64; i++)
		scr->cand[i].n = scr->occ[i].n = 0;
	if ((rf->near || rf->starts) && !doc->cstarts) {
		struct cand_starts *cs = arena_alloc(&doc->a, sizeof *cs);
		struct near_words *nw = arena_alloc(&doc->a, sizeof *nw);
		if (!cs || !nw ||
		    !S_text_starts(&doc->a, (const uint8_t *)doc->text, doc->len, doc->rs, cs, nw))
			return WARTA_ENOMEM;
		doc->cstarts = cs, doc->nearw = nw;
	}
	if (rf->near) {
		/* rf's own words (one in five of them all), 16 at a time */
		const struct near_words *nw = doc->nearw;
		unsigned sh = (unsigned)__builtin_ctz(rf->near_bit);
		for (size_t j0 = 0; j0 < nw->n; j0 += 16)
			for (unsigned w = S_bits16(nw->files + j0, sh); w; w &= w - 1) {
				size_t j = j0 + (size_t)__builtin_ctz(w);
				uint64_t m = S_near_mask(rf->near, nw->hash[j]);
				if (m && !S_push_pos(&doc->a, scr->occ, nw->pos[j], m))
					return WARTA_ENOMEM;
			}
	}
	if (rf->starts) {
		/* rf is one of doc->rs->files, as its start_files and every
		 * caller's ruleset_rules() have it */
		unsigned fsh = (unsigned)((size_t)(rf - doc->rs->files) & 7); /* its bit */
		const uint8_t *t = (const uint8_t *)doc->text;
		const struct cand_starts *cs = doc->cstarts;
		struct cand_buf *buf = &scr->buf;
		if (buf->cap < 65) {
			if (!(buf->pos = arena_alloc_raw(&doc->a, 128 * sizeof *buf->pos)) ||
			    !(buf->mask = arena_alloc_raw(&doc->a, 128 * sizeof *buf->mask)))
				return WARTA_ENOMEM;
			buf->cap = 128;
		}
		/* the near rules without a word of their lists here have no
		 * window, so no candidate (buf->pos is S_near_cands's scratch) */
		uint64_t near = 0;
		for (uint64_t m = rf->near_filtered; m; m &= m - 1)
			near |= (uint64_t)(scr->occ[__builtin_ctzll(m)].n != 0)
			        << __builtin_ctzll(m);
		if (near && !S_near_cands(&doc->a, rf, t, zs, nz, from, to,
		                          rf->starts->first[' '] ? cs->bits : cs->wbits, near,
		                          scr->occ, scr->cand, buf->pos))
			return WARTA_ENOMEM;
		for (size_t z = 0; z < nz; z++) {
			size_t a = zs[z].start > from ? zs[z].start : from;
			size_t b = zs[z].end < to ? zs[z].end : to;
			if (a < b && !S_cands(&doc->a, rf, fsh, t, a, b, cs, buf, scr->cand))
				return WARTA_ENOMEM;
		}
	}
	return WARTA_OK;
}

/* Runs rules[i] of rf over the zones of doc[from, to) it allows, at the
 * places S_scan_prepare found; a limit it hits is a warning. */
static int S_scan_rule_run(warta_doc *doc, const rulefile *rf, size_t i, size_t from, size_t to,
                           const struct scan_scratch *scr, rule_cb cb, void *ctx, uint64_t *matches)
{
	bool filtered = i < 64 && (rf->filtered >> i & 1);
	if (filtered && !scr->cand[i].n)
		return WARTA_OK; /* its filter let no place through (most rules, most articles) */
	scan_ctx sc = {doc, cb, ctx, matches};
	zone whole;
	size_t nz;
	const zone *zs = S_scan_zones(doc, from, to, &whole, &nz);
	const rule *r = &rf->rules[i];
	if (r->need && !S_has(doc->text, from, to, r->need))
		return WARTA_OK;
	/* a rule that opens with \G is asked at a position (rule_match_at); a
	 * scan would only try it where the scan starts */
	if (r->pattern && strncmp(r->pattern, "\\G", 2) == 0)
		return WARTA_OK;
	/* (the loader gives near only to rules[i < 64]) */
	if (r->near && (i >= 64 || !scr->occ[i].n))
		return WARTA_OK; /* none of its words: it cannot match */
	rule_ready(r);
	size_t cursor = 0; /* into scr->cand[i], across the zones */
	for (size_t z = 0; z < nz; z++) {
		if (!(r->zones & (1u << zs[z].type)))
			continue;
		size_t a = zs[z].start > from ? zs[z].start : from;
		size_t b = zs[z].end < to ? zs[z].end : to;
		if (a >= b)
			continue;
		near_win win = {0}, *w = NULL;
		if (r->near && !filtered) { /* S_near_cands applied it to the others */
			win = (near_win){scr->occ[i].v, scr->occ[i].n, 0, r->near_before,
			                 r->near_after};
			w = &win;
		}
		int rc = filtered ? S_scan_cands(doc->rs, r, doc->text, a, b, scr->cand[i].v,
		                                 scr->cand[i].n, &cursor, w, doc->md, S_doc_cb, &sc)
		         : r->code_at && r->type != T_NONE && doc->toks.n
		             ? S_scan_words(doc, r, a, b, w, S_doc_cb, &sc)
		             : S_scan(doc->rs, r, doc->text, a, b, w, doc->md, S_doc_cb, &sc);
		if (rc == PCRE2_ERROR_NOMEMORY)
			return WARTA_ENOMEM;
		if (rc < 0) { /* match, depth or heap limit: warn once, go on */
			char what[200];
			snprintf(what, sizeof what, "%s:%d %s", r->file, r->line, r->id);
			doc_warn(doc, "rule-limit", arena_strndup(&doc->a, what, strlen(what)), 1);
			break;
		}
	}
	return WARTA_OK;
}

#ifdef WARTA_RULE_PROFILE
/* For `make rule-profile` only: each rule (by its index in the ruleset, mod
 * 256) is run through a function of its own, S_rule_XY with XY the index in
 * hex, so that callgrind counts the instructions of each rule, its callouts
 * and tests included, where --rule-times can only time it. */
typedef int (*S_rule_fn)(warta_doc *, const rulefile *, size_t, size_t, size_t,
                         const struct scan_scratch *, rule_cb, void *, uint64_t *);
#define S_RP(a, b)                                                                                 \
	static __attribute__((noinline)) int S_rule_##a##b(                                        \
	    warta_doc *d, const rulefile *rf, size_t i, size_t f, size_t t,                        \
	    const struct scan_scratch *s, rule_cb cb, void *c, uint64_t *m)                        \
	{                                                                                          \
		int rc = S_scan_rule_run(d, rf, i, f, t, s, cb, c, m);                             \
		__asm__ volatile(""); /* not a tail call: the frame stays */                       \
		return rc;                                                                         \
	}
/* clang-format off */
#define S_RP16(x) \
	S_RP(x, 0) S_RP(x, 1) S_RP(x, 2) S_RP(x, 3) S_RP(x, 4) S_RP(x, 5) S_RP(x, 6) S_RP(x, 7) \
	S_RP(x, 8) S_RP(x, 9) S_RP(x, a) S_RP(x, b) S_RP(x, c) S_RP(x, d) S_RP(x, e) S_RP(x, f)
S_RP16(0) S_RP16(1) S_RP16(2) S_RP16(3) S_RP16(4) S_RP16(5) S_RP16(6) S_RP16(7)
S_RP16(8) S_RP16(9) S_RP16(a) S_RP16(b) S_RP16(c) S_RP16(d) S_RP16(e) S_RP16(f)
#define S_RN(a, b) S_rule_##a##b,
#define S_RN16(x) \
	S_RN(x, 0) S_RN(x, 1) S_RN(x, 2) S_RN(x, 3) S_RN(x, 4) S_RN(x, 5) S_RN(x, 6) S_RN(x, 7) \
	S_RN(x, 8) S_RN(x, 9) S_RN(x, a) S_RN(x, b) S_RN(x, c) S_RN(x, d) S_RN(x, e) S_RN(x, f)
static const S_rule_fn S_rule_fns[256] = {
	S_RN16(0) S_RN16(1) S_RN16(2) S_RN16(3) S_RN16(4) S_RN16(5) S_RN16(6) S_RN16(7)
	S_RN16(8) S_RN16(9) S_RN16(a) S_RN16(b) S_RN16(c) S_RN16(d) S_RN16(e) S_RN16(f)
};
/* clang-format on */
#undef S_RN16
#undef S_RN
#undef S_RP16
#undef S_RP
#define S_SCAN_RULE_RUN(doc, rf, i, ...)                                                           \
	S_rule_fns[((rf)->first + (i)) & 255](doc, rf, i, __VA_ARGS__)
#else
#define S_SCAN_RULE_RUN S_scan_rule_run
#endif

/* S_scan_rule_run, timed with WARTA_OPT_RULE_TIMES. The rule is compiled
 * before the clock starts: its time is what it costs per article. */
static int S_scan_rule(warta_doc *doc, const rulefile *rf, size_t i, size_t from, size_t to,
                       const struct scan_scratch *scr, rule_cb cb, void *ctx)
{
	if (!(doc->options & WARTA_OPT_RULE_TIMES))
		return S_SCAN_RULE_RUN(doc, rf, i, from, to, scr, cb, ctx, NULL);
	if (!doc->rule_prof &&
	    !(doc->rule_prof = arena_alloc(&doc->a, doc->rs->nrules * sizeof *doc->rule_prof)))
		return WARTA_ENOMEM;
	struct rule_prof *p = &doc->rule_prof[rf->first + i];
	rule_ready(&rf->rules[i]);
	uint64_t t0 = clock_ns();
	int rc = S_scan_rule_run(doc, rf, i, from, to, scr, cb, ctx, &p->matches);
	/* at least 1 ns: a rule that ran shows, whatever the clock's grain */
	uint64_t dt = clock_ns() - t0;
	p->ns += dt ? dt : 1;
	return rc;
}

size_t warta_rule_count(const warta_ruleset *rs)
{
	return rs ? rs->nrules : 0;
}

const char *warta_rule_id(const warta_ruleset *rs, size_t k, const char **file, int *line)
{
	for (size_t f = 0; rs && f < rs->nfiles; f++)
		if (k - rs->files[f].first < rs->files[f].n) {
			const rule *r = &rs->files[f].rules[k - rs->files[f].first];
			if (file)
				*file = r->file;
			if (line)
				*line = r->line;
			return r->id;
		}
	return NULL;
}

size_t warta_doc_rule_ns(const warta_doc *doc, unsigned long long *ns, unsigned long long *matches,
                         size_t n)
{
	size_t all = doc ? doc->rs->nrules : 0;
	for (size_t k = 0; k < n; k++) {
		const struct rule_prof *p =
		    doc && doc->rule_prof && k < all ? &doc->rule_prof[k] : NULL;
		if (ns)
			ns[k] = p ? p->ns : 0;
		if (matches)
			matches[k] = p ? p->matches : 0;
	}
	return all;
}

int rules_scan(warta_doc *doc, const rulefile *rf, size_t from, size_t to, rule_cb cb, void *ctx)
{
	if (!rf)
		return WARTA_OK;
	if (!doc->md && !(doc->md = rules_match_data(doc->rs)))
		return WARTA_ENOMEM;
	struct scan_scratch fresh = {0}, *scr = doc->scratch;
	if (!scr && (scr = doc->scratch = arena_alloc(&doc->a, sizeof *scr)) == NULL)
		return WARTA_ENOMEM;
	if (scr->busy)
		scr = &fresh;
	scr->busy = true;
	struct class_memo *outer = S_cmemo_enter(doc);
	int rc = S_scan_prepare(doc, rf, from, to, scr);
	for (size_t i = 0; !rc && i < rf->n; i++)
		rc = S_scan_rule(doc, rf, i, from, to, scr, cb, ctx);
	tl_cmemo = outer;
	scr->busy = false;
	return rc;
}

void rules_scan_batch(warta_doc **docs, size_t n, int *rcs, const rulefile *rf, rule_cb cb,
                      void *ctx)
{
	if (!rf)
		return;
	for (size_t k = 0; k < n; k++) {
		warta_doc *doc = docs[k];
		if (rcs[k])
			continue;
		if ((!doc->md && !(doc->md = rules_match_data(doc->rs))) ||
		    (!doc->scratch &&
		     !(doc->scratch = arena_alloc(&doc->a, sizeof *doc->scratch)))) {
			rcs[k] = WARTA_ENOMEM;
			continue;
		}
		doc->scratch->busy = true;
		rcs[k] = S_scan_prepare(doc, rf, 0, doc->len, doc->scratch);
	}
	/* each rule over every article before the next rule: its JIT code
	 * stays in the processor's caches, and that was worth more than the
	 * whole list of rules over one article at a time */
	for (size_t i = 0; i < rf->n; i++)
		for (size_t k = 0; k < n; k++) {
			if (rcs[k])
				continue;
			struct class_memo *outer = S_cmemo_enter(docs[k]);
			rcs[k] =
			    S_scan_rule(docs[k], rf, i, 0, docs[k]->len, docs[k]->scratch, cb, ctx);
			tl_cmemo = outer;
		}
	for (size_t k = 0; k < n; k++)
		if (docs[k]->scratch)
			docs[k]->scratch->busy = false;
}

/* ---------------------------------------------- entity rules (stage 6) */

static const char *S_slug(arena *a, etype t, const char *s, size_t n)
{
	const char *tn = etype_name(t);
	size_t tl = strlen(tn);
	char *out = arena_alloc_raw(a, tl + 2 + n * 4);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < tl; i++)
		out[o++] = (char)(tn[i] >= 'A' && tn[i] <= 'Z' ? tn[i] + 32 : tn[i]);
	out[o++] = ':';
	/* An ASCII name (most) is slugged as it is: fold_utf8 would only make its
	 * capitals small, which the loop below does, and a run of white space
	 * one space, which the loop makes a dash like any other byte that is no
	 * letter or digit; under 1000 bytes it never runs out of room. */
	size_t ascii = 0;
	while (ascii < n && (unsigned char)s[ascii] < 0x80)
		ascii++;
	char folded[1024];
	const char *f = s;
	size_t fl = n;
	if (ascii < n || n >= 1000) {
		f = folded;
		fl = fold_utf8(s, n, folded, sizeof folded);
		if (fl == (size_t)-1)
			fl = 0;
	}
	bool dash = false;
	for (size_t i = 0; i < fl; i++) {
		unsigned char c = (unsigned char)f[i];
		/* letters and digits as in any locale, without asking one */
		if ((unsigned)((c | 0x20) - 'a') < 26 || (unsigned)(c - '0') < 10 || c >= 0x80) {
			if (dash && out[o - 1] != ':')
				out[o++] = '-';
			dash = false;
			out[o++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
		} else
			dash = true;
	}
	out[o] = '\0';
	return out;
}

/* Copies a span with its white space runs made single spaces. */
static const char *S_clean(arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		bool sp = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
		if (sp && (o == 0 || out[o - 1] == ' '))
			continue;
		out[o++] = sp ? ' ' : s[i];
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

const char *rules_slug(arena *a, etype t, const char *s, size_t n);
const char *rules_slug(arena *a, etype t, const char *s, size_t n)
{
	return S_slug(a, t, s, n);
}

static int S_entity_cb(warta_doc *doc, const rule_match *m, void *ctx)
{
	(void)ctx;
	const rule *r = m->r;
	size_t s = m->start, e = m->end;
	(void)rule_group_at(m, r->group_name, &s, &e);
	if (e <= s)
		return 0;
	size_t max = doc->rs->limits.max_mentions;
	if (doc->mentions.n >= max) {
		doc_warn(doc, "too-many-mentions", NULL, 1);
		return 1;
	}
	mention *mn = VEC_PUSH(&doc->a, doc->mentions);
	if (!mn)
		return 1;
	mn->start = (uint32_t)s;
	mn->end = (uint32_t)e;
	mn->type = r->type;
	mn->priority = r->priority;
	mn->zone = doc_zone_at(doc, (uint32_t)s);
	mn->rule = r;
	/* A rule may name the entity through a list row ("canonical" group): then
	 * the mention takes that row's identity. */
	size_t cs, ce;
	const gz_entry *g = NULL;
	if (rule_group_at(m, r->group_canonical, &cs, &ce))
		g = gazetteer_lookup(doc->rs->gz, doc->text + cs, ce - cs);
	if (!g)
		g = gazetteer_lookup(doc->rs->gz, doc->text + s, e - s);
	if (g && g->type == r->type) {
		mn->entry = g;
		mn->name = g->name;
		mn->key = g->id;
	} else {
		mn->name = S_clean(&doc->a, doc->text + s, e - s);
		mn->key = S_slug(&doc->a, r->type, doc->text + s, e - s);
	}
	mn->entity = -1;
	return 0;
}

static const char *const S_entity_files[] = {"person", "agency", "organization", "place"};

int rules_run(warta_doc *doc)
{
	int rc = WARTA_OK;
	rules_run_batch(&doc, 1, &rc);
	return rc;
}

void rules_run_batch(warta_doc **docs, size_t n, int *rcs)
{
	if (!n)
		return;
	for (size_t i = 0; i < sizeof S_entity_files / sizeof *S_entity_files; i++)
		rules_scan_batch(docs, n, rcs, ruleset_rules(docs[0]->rs, S_entity_files[i]),
		                 S_entity_cb, NULL);
}
