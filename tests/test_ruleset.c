/* SPDX-License-Identifier: MIT */
/* The rule-file and list loaders (rules.c, ruleset.c, wordlist.c): macros,
 * list macros with filters, keys, zones, scanning, limits, diagnostics. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

static int S_setup(void **state)
{
	*state = tu_load("tests/data/rs");
	return 0;
}

static int S_teardown(void **state)
{
	warta_ruleset_free(*state);
	return 0;
}

static void test_lists_load(void **state)
{
	const warta_ruleset *rs = *state;
	const wordlist *wl = ruleset_list(rs, "titles");
	assert_non_null(wl);
	assert_string_equal(wl->path, "gazetteers/titles.tsv");
	assert_int_equal(wl->nrows, 4);
	assert_int_equal(wordlist_col(wl, "kind"), 1);
	const tsv_row *r = wordlist_find(wl, "perdana   MENTERI", 17);
	assert_non_null(r);
	assert_string_equal(wordlist_cell(wl, r, "kind"), "person");
	assert_int_equal(r->line, 4);
	assert_null(wordlist_find(wl, "Raja", 4));
	assert_string_equal(wordlist_cell(wl, r, "nope"), "");
}

/* One list file read directly: a byte-order mark, comments and blank lines,
 * cells trimmed of spaces, trailing cells left out (read as ""), a first
 * cell too long to fold (kept, never found) and a folded index; then a row
 * with too many cells, which fails the load and is still freed whole. */
static void test_list_rows(void **state)
{
	(void)state;
	char path[] = "/tmp/warta-list-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	char longword[700];
	memset(longword, 'a', sizeof longword - 1);
	longword[sizeof longword - 1] = '\0';
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f,
	        "\xEF\xBB\xBFword\tkind\tnote\n# a comment\n\n"
	        "  Kota  Baru \t place \tmany\n"
	        "Jawa\tisland\n"
	        "%s\tlong\n"
	        "Bali\n",
	        longword);
	fclose(f);
	wordlist wl = {0};
	assert_int_equal(wordlist_load(&wl, mem_or_default(NULL), path, "gazetteers/x.tsv", NULL),
	                 WARTA_OK);
	assert_int_equal(wl.ncol, 3);
	assert_string_equal(wl.col[0], "word");
	assert_string_equal(wl.col[2], "note");
	assert_int_equal(wl.nrows, 4);
	const tsv_row *r = wordlist_find(&wl, "kota baru", 9);
	assert_non_null(r);
	assert_string_equal(r->cell[0], "Kota  Baru");
	assert_string_equal(wordlist_cell(&wl, r, "kind"), "place");
	assert_string_equal(wordlist_cell(&wl, r, "note"), "many");
	assert_int_equal(r->line, 4);
	r = wordlist_find(&wl, "JAWA", 4);
	assert_non_null(r);
	assert_string_equal(wordlist_cell(&wl, r, "kind"), "island");
	assert_string_equal(wordlist_cell(&wl, r, "note"), "");
	r = wordlist_find(&wl, "bali", 4);
	assert_non_null(r);
	assert_string_equal(r->cell[1], "");
	assert_string_equal(r->cell[2], "");
	assert_string_equal(wl.rows[2].cell[0], longword);
	assert_null(wl.fold[2]);
	assert_null(wordlist_find(&wl, longword, strlen(longword)));
	assert_int_equal(wl.fold_len[1], 4);
	assert_memory_equal(wl.fold[1], "jawa", 5);
	wordlist_free(&wl, mem_or_default(NULL));

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("word\tkind\nSumatra\tisland\textra\tmore\nJawa\tisland\n", f);
	fclose(f);
	warta_diags *dd = diags_new(mem_or_default(NULL));
	assert_non_null(dd);
	assert_int_equal(wordlist_load(&wl, mem_or_default(NULL), path, "gazetteers/x.tsv", dd),
	                 WARTA_ERULE);
	assert_int_equal(warta_diags_count(dd), 1);
	assert_string_equal(warta_diags_format(dd, 0),
	                    "gazetteers/x.tsv:2: error: 4 cells, but the header names 2 columns "
	                    "(word...)\nSumatra\tisland\textra\tmore");
	wordlist_free(&wl, mem_or_default(NULL));
	warta_diags_free(dd);
	unlink(path);
}

/* Several lists in one pass: the same lists as one look-up each, NULL for a
 * name no list has, and a name asked twice found twice. */
static void test_lists_by_names(void **state)
{
	const warta_ruleset *rs = *state;
	static const char *const names[] = {"titles", "no_such_list", "titles", "t"};
	const wordlist *w[4] = {NULL, NULL, NULL, NULL};
	ruleset_lists(rs, names, 4, w);
	assert_non_null(w[0]);
	assert_ptr_equal(w[0], ruleset_list(rs, "titles"));
	assert_null(w[1]);
	assert_ptr_equal(w[2], w[0]);
	assert_null(w[3]); /* a first byte in common is not a name */
	ruleset_lists(NULL, names, 1, w);
	assert_null(w[0]);
}

static void test_fold(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(fold_utf8("  Kim\tJONG-un ", 14, buf, sizeof buf), 11);
	assert_string_equal(buf, "kim jong-un");
	assert_int_not_equal(fold_utf8("ÉLYSÉE", strlen("ÉLYSÉE"), buf, sizeof buf), (size_t)-1);
	assert_string_equal(buf, "élysée");
	assert_int_equal(fold_utf8("abcdef", 6, buf, 4), (size_t)-1);
	/* ASCII runs between other characters and spaces of every kind; \v is
	 * no space to fold */
	assert_int_equal(fold_utf8("Ré\xc2\xa0\r\nX\vY  Çz", 15, buf, sizeof buf), 11);
	assert_string_equal(buf, "ré x\vy çz");
	/* the room a run needs is checked byte by byte, as for the others */
	assert_int_equal(fold_utf8("abcd", 4, buf, 9), 4);
	assert_int_equal(fold_utf8("abcd", 4, buf, 8), (size_t)-1);
}

static void test_rule_fields(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "person");
	assert_non_null(rf);
	assert_int_equal(rf->n, 2);
	const rule *r = &rf->rules[0];
	assert_string_equal(r->id, "after-title");
	assert_string_equal(r->file, "rules/person.rules");
	assert_int_equal(r->line, 6);
	assert_int_equal(r->priority, 60);
	assert_int_equal(r->type, T_PERSON);
	assert_int_equal(r->zones, (1u << Z_BODY) | (1u << Z_TITLE));
	assert_string_equal(rule_attr_get(r, "note"), "people named after a title");
	assert_null(rule_attr_get(r, "unit"));
	assert_int_equal(r->nex, 4);
	assert_int_equal(r->ex[0].span_start, 14);
	assert_int_equal(r->ex[0].span_end, 28);
	assert_true(r->ex[2].counter);
	assert_null(ruleset_rules(rs, "nope"));
}

typedef struct hits {
	int n;
	char text[4][64];
} hits;

static int S_cb(warta_doc *doc, const rule_match *m, void *ctx)
{
	hits *h = ctx;
	size_t s, e;
	assert_true(rule_group(m, "name", &s, &e));
	assert_false(rule_group(m, "nosuch", &s, &e));
	/* the number kept at load finds the same group */
	size_t s2, e2;
	assert_true(m->r->group_name > 0);
	assert_true(rule_group_at(m, m->r->group_name, &s2, &e2));
	assert_true(s2 == s && e2 == e);
	assert_int_equal(m->r->group_canonical, -1);
	assert_false(rule_group_at(m, m->r->group_canonical, &s2, &e2));
	if (h->n < 4)
		snprintf(h->text[h->n], 64, "%.*s", (int)(e - s), doc->text + s);
	h->n++;
	return 0;
}

static void test_scan_zones(void **state)
{
	const warta_ruleset *rs = *state;
	warta_doc *doc = doc_new(rs, 0);
	const char *t = "Presiden Joko Widodo\nkata PM Anwar Ibrahim. Presiden Lula";
	assert_int_equal(doc_set_text(doc, t, strlen(t)), WARTA_OK);
	zone *z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_TITLE, 0, 21, NULL};
	z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_BODY, 21, 43, NULL};
	z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_RELATED, 43, (uint32_t)strlen(t), NULL};
	hits h = {0};
	assert_int_equal(rules_scan(doc, ruleset_rules(rs, "person"), 0, doc->len, S_cb, &h),
	                 WARTA_OK);
	assert_int_equal(h.n, 2); /* the related zone is not in the rule's zones */
	assert_string_equal(h.text[0], "Joko Widodo");
	assert_string_equal(h.text[1], "Anwar Ibrahim");
	warta_doc_free(doc);
}

static void test_entity_mentions(void **state)
{
	const warta_ruleset *rs = *state;
	warta_doc *doc = tu_extract(rs, "Kemarin Presiden  Joko Widodo tiba.", NULL);
	assert_int_equal(doc->mentions.n, 1);
	const mention *m = &doc->mentions.v[0];
	assert_string_equal(tu_span(doc, m->start, m->end), "Joko Widodo");
	assert_string_equal(m->name, "Joko Widodo");
	assert_string_equal(m->key, "person:joko-widodo");
	assert_int_equal(m->priority, 60);
	warta_doc_free(doc);
}

/* Runs rules/FILE.rules of the fixture on text; returns the number of
 * matches and the first one's name in first. */
static int S_hits(const warta_ruleset *rs, const char *file, const char *text, char first[64])
{
	warta_doc *doc = doc_new(rs, 0);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	zone *z = VEC_PUSH(&doc->a, doc->zones);
	*z = (zone){Z_BODY, 0, doc->len, NULL};
	token *t = VEC_PUSH(&doc->a, doc->toks); /* S_scan_words walks word tokens */
	for (uint32_t i = 0; i < doc->len; i++)
		if ((i == 0 || text[i - 1] == ' ') && text[i] != ' ') {
			*t = (token){0};
			t->start = i;
			for (t->end = i; t->end < doc->len && text[t->end] != ' ';)
				t->end++;
			t->kind = TK_WORD;
			t = VEC_PUSH(&doc->a, doc->toks);
		}
	doc->toks.n--;
	hits h = {0};
	assert_int_equal(rules_scan(doc, ruleset_rules(rs, file), 0, doc->len, S_cb, &h), WARTA_OK);
	snprintf(first, 64, "%s", h.n ? h.text[0] : "");
	warta_doc_free(doc);
	return h.n;
}

static void test_near(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "near");
	assert_non_null(rf);
	const rule *cands = &rf->rules[0], *words = &rf->rules[1], *scan = &rf->rules[2];
	assert_true(cands->near);
	assert_int_equal(cands->near_before, 0);
	assert_int_equal(cands->near_after, 12);
	assert_int_equal(words->near_before, 14);
	assert_int_equal(scan->near_after, 30);
	/* "berkata" starts 12 bytes after "Ani": in; 13: out. Any case. */
	assert_true(rule_near_ok(rf, cands, "Ani itu pun berkata", 19, 0));
	assert_false(rule_near_ok(rf, cands, "Ani itu pun  berkata", 20, 0));
	assert_true(rule_near_ok(rf, cands, "Ani BerKata", 11, 0));
	/* a word of the list, not a part of a word */
	assert_false(rule_near_ok(rf, cands, "Ani berkatalah", 14, 0));
	/* a multi-word entry counts from its first word */
	assert_true(rule_near_ok(rf, words, "menurut kami, Budi", 18, 14));
	assert_false(rule_near_ok(rf, words, "menurut kami,  Budi", 19, 15));
	/* rules_scan tries the rules only in their windows, on all three paths
	 * (start filter, word starts, plain scan) */
	char first[64];
	assert_int_equal(S_hits(rs, "near", "lalu Ani berkata", first), 1);
	assert_string_equal(first, "Ani");
	assert_int_equal(S_hits(rs, "near", "Ani pergi ke pasar lalu berkata", first), 0);
	assert_int_equal(S_hits(rs, "near", "Ani pergi", first), 0);
	assert_int_equal(S_hits(rs, "near", "berkata bahwa Budi datang", first), 1);
	assert_string_equal(first, "Budi");
	assert_int_equal(S_hits(rs, "near", "berkata bahwa ia dan Budi datang", first), 0);
	assert_int_equal(S_hits(rs, "near", "Cici, Cici dan Cici berkata", first), 3);
	assert_int_equal(
	    S_hits(rs, "near", "Cici dan Dedi tidak pernah lagi berkata apa-apa", first), 0);
}

/* The starts of a `near` rule come from the windows around its list's
 * words: the same matches as a twin without `near` whose matches outside
 * the windows are dropped, however the text is cut into zones (a zone may
 * start inside a word) and however the windows overlap. */
typedef struct twin_hits {
	const rulefile *rf;
	char s[2][1024];
} twin_hits;

static int S_twin_cb(warta_doc *doc, const rule_match *m, void *ctx)
{
	twin_hits *h = ctx;
	size_t i = (size_t)(m->r - h->rf->rules), twin = i % 2;
	/* the twin's match counts where the rule's window holds it */
	if (twin && !rule_near_ok(h->rf, m->r - 1, doc->text, doc->len, m->start))
		return 0;
	char *out = h->s[twin];
	size_t n = strlen(out);
	snprintf(out + n, sizeof h->s[0] - n, "%zu:%zu-%zu ", i / 2, m->start, m->end);
	return 0;
}

static void test_near_windows(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "nearwin");
	assert_non_null(rf);
	assert_true(rf->filtered & 1);
	static const char *const texts[] = {
	    "Ani pergi ke pasar lalu berkata Budi dan Cici juga Berkata Dedi, Eka",
	    "AniBerkata Budi berkata berkata Cici Dodi Edo Fani Gita berkata",
	    "Berkata Ani menurut saya Budi pergi menurut   saya Cici",
	    "Ani Budi Cici Dedi Eka Fani Gita Hadi Indra Joko Kiki Lala Mira berkata",
	    "berkata x Ani berkata Budi", /* Ani: where the second window takes over */
	    /* the words are found 64 bytes at a time: a verb across the first
	     * block's end, a word longer than a block, verbs in capitals, and
	     * words with bytes >= 0x80 */
	    "Ani Budi Cici Dedi Eka Fani Gita Hadi Indra Joko Kiki Lala Mi berkata Nina Oki Pia",
	    "Ani PanjangPanjangPanjangPanjangPanjangPanjangPanjangPanjangPanjangPanjang BERKATA "
	    "Budi Cici Dedi Eka Fani Gita Hadi Indra Joko Kiki Lala berKata Mira",
	    "Andr\xc3\xa9s dan Jos\xc3\xa9 berkata \xc3\x91o\xc3\xb1o, lalu Zo\xc3\xab Cici Dedi "
	    "Eka "
	    "Fani Gita Hadi Indra Joko Kiki berkata",
	    /* verbs of 8, 9 and 14 bytes: whole and partial chunks of the hash */
	    "Ani bertutur lalu Budi Cici BERBICARA Dedi Eka Fani Gita Hadi Indra Joko Kiki Lala "
	    "Memberitahukan Mira Nina Oki bertuturlah Pia",
	    /* windows across the second and the third block's starts: the
	     * starts of a window are read from their bits, block by block */
	    "kami pergi ke pasar dan membeli sayur lalu pulang ke rumah Ani Budi berkata Cici "
	    "Dedi Eka Fani lalu kami pulang ke rumah dan makan Gita Hadi berkata Indra Joko Kiki",
	/* more candidates in a zone than the first buffer holds (it grows
	 * block by block), and more list words than one group of 16 */
#define NAMES8 "Ani Budi Cici Dedi Eka Fani berkata Gita Hadi "
	    NAMES8 NAMES8 NAMES8 NAMES8 NAMES8 NAMES8 NAMES8 NAMES8 NAMES8 NAMES8 NAMES8 NAMES8
	        NAMES8 NAMES8 NAMES8 NAMES8 NAMES8 NAMES8 "Indra"};
#undef NAMES8
	size_t agree = 0;
	for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
		size_t n = strlen(texts[t]);
		for (size_t cut = 0; cut <= n; cut++) {
			warta_doc *doc = doc_new(rs, 0);
			assert_int_equal(doc_set_text(doc, texts[t], n), WARTA_OK);
			zone *z = VEC_PUSH(&doc->a, doc->zones);
			*z = (zone){Z_BODY, 0, (uint32_t)cut, NULL};
			z = VEC_PUSH(&doc->a, doc->zones);
			*z = (zone){Z_BODY, (uint32_t)cut, (uint32_t)n, NULL};
			twin_hits h = {rf, {"", ""}};
			assert_int_equal(rules_scan(doc, rf, 0, n, S_twin_cb, &h), WARTA_OK);
			assert_string_equal(h.s[0], h.s[1]);
			agree += strlen(h.s[0]) > 0;
			warta_doc_free(doc);
		}
	}
	assert_true(agree > 100); /* on matches, not on nothing */
}

/* A run of look-behinds of single characters is answered in C as a ladder
 * callout: the same matches as the twin whose look-behinds PCRE2 answers,
 * at every start of texts with capitals near and far, letters beyond
 * ASCII, quotes, line ends and the text's start close by. */
typedef struct ladder_hits {
	const rulefile *rf;
	char s[12][2048];
} ladder_hits;

static int S_ladder_cb(warta_doc *doc, const rule_match *m, void *ctx)
{
	(void)doc;
	ladder_hits *h = ctx;
	size_t i = (size_t)(m->r - h->rf->rules);
	size_t n = strlen(h->s[i]);
	snprintf(h->s[i] + n, sizeof h->s[0] - n, "%zu-%zu ", m->start, m->end);
	return 0;
}

/* Scans each text from each of its positions with the rules of rf, which
 * come in twins (rules[2k], a ladder, and rules[2k + 1], the same
 * look-behinds left to PCRE2): each must find what its twin finds. Returns
 * how many of the scans' ladders found something, so that a test can tell
 * that it compared matches, not nothing. */
static size_t S_ladder_twins(const warta_ruleset *rs, const rulefile *rf, const char *const *texts,
                             size_t ntexts)
{
	size_t found = 0;
	assert_true(rf->n <= 12 && rf->n % 2 == 0);
	for (size_t t = 0; t < ntexts; t++) {
		size_t len = strlen(texts[t]);
		for (size_t from = 0; from < len; from++) {
			warta_doc *doc = doc_new(rs, 0);
			assert_int_equal(doc_set_text(doc, texts[t], len), WARTA_OK);
			ladder_hits h = {rf, {{0}}};
			assert_int_equal(rules_scan(doc, rf, from, len, S_ladder_cb, &h), WARTA_OK);
			for (size_t r = 0; r < rf->n; r += 2) {
				assert_string_equal(h.s[r], h.s[r + 1]);
				found += strlen(h.s[r]) > 0;
			}
			warta_doc_free(doc);
		}
	}
	return found;
}

static void test_ladders(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "ladder");
	assert_non_null(rf);
	assert_int_equal(rf->n, 8);
	/* rewritten where it may be, and only there */
	assert_non_null(strstr(rf->rules[0].pattern, "(?C\"<"));
	assert_null(strstr(rf->rules[1].pattern, "(?C\"<"));
	assert_non_null(strstr(rf->rules[2].pattern, "(?C\"<"));
	assert_null(strstr(rf->rules[3].pattern, "(?C\"<"));
	assert_null(strstr(rf->rules[4].pattern, "(?C\"<"));
	assert_non_null(strstr(rf->rules[6].pattern, "(?C\"<"));
	assert_null(strstr(rf->rules[7].pattern, "(?C\"<"));
	static const char *const texts[] = {
	    "kata Budi hadir dan Ani pergi",
	    "Ab Budi, Cd Dedi; Pertanggungjawaban Eka - fgh Ida",
	    "x Ab Budi. Ab Cici! x Abcdefghijkl Dodi abcdefghijklm Edo",
	    "\xc3\x89"
	    "douard Budi \xc3\xa9ric Cici \xe2\x80\x9c"
	    "Dedi\xe2\x80\x9d kata Eka",
	    "Bu Ani\nBudi\tCici  Dedi 12 Eka ABC Fani",
	    "\xc3\x96zil Budi dan \xc3\x96 Cici, Zo\xc3\xab Dedi"};
	/* on matches, not on nothing */
	assert_true(S_ladder_twins(rs, rf, texts, sizeof texts / sizeof *texts) > 100);
}

static void S_put_file(const char *dir, const char *sub, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Makes an empty data folder, /tmp/warta-STEM-XXXXXX with gazetteers/ and
 * rules/ in it, and returns its path in dir. */
static void S_data_dir(char dir[64], const char *stem)
{
	char sub[128];
	snprintf(dir, 64, "/tmp/warta-%s-XXXXXX", stem);
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/gazetteers", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof sub, "%s/rules", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
}

/* Removes a folder of S_data_dir with what the test put in it. */
static void S_rm_data_dir(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The ladders' answers for characters beyond ASCII are kept per thread: a
 * ruleset freed and another loaded in its place (most often at the same
 * addresses, as the same files make the same allocations) must not read
 * the answers of the first, whose classes differ. Two folders whose only
 * difference is the ladder's first class, \p{Lu} then \p{Ll}: "É" is in the
 * first and not in the second, and each ladder must agree with its twin. */
static void S_class_folder(char dir[64], const char *cls)
{
	S_data_dir(dir, "ladgen");
	char rules[4096];
	size_t n = (size_t)snprintf(rules, sizeof rules, "rule ladder\n  pattern ");
	for (int twin = 0; twin < 2; twin++) {
		if (twin)
			n += (size_t)snprintf(rules + n, sizeof rules - n,
			                      "\n  type PERSON\n\nrule ladder-twin\n  pattern ");
		n += (size_t)snprintf(rules + n, sizeof rules - n, "(?<!%s\\s)", cls);
		for (int k = 1; k <= 8; k++)
			n += (size_t)snprintf(rules + n, sizeof rules - n, "%s(?<!%s\\p{L}{%d}\\s)",
			                      twin ? "(?<!(?!))" : "", cls, k);
		n += (size_t)snprintf(rules + n, sizeof rules - n, "(?<name>\\p{Lu}\\p{L}*)");
	}
	snprintf(rules + n, sizeof rules - n, "\n  type PERSON\n");
	S_put_file(dir, "rules", "lad.rules", rules);
}

static void S_ladder_pair(const warta_ruleset *rs, const char *text, bool *matched)
{
	const rulefile *rf = ruleset_rules(rs, "lad");
	assert_non_null(rf);
	assert_non_null(strstr(rf->rules[0].pattern, "(?C\"<"));
	assert_null(strstr(rf->rules[1].pattern, "(?C\"<"));
	warta_doc *doc = doc_new(rs, 0);
	size_t n = strlen(text);
	assert_int_equal(doc_set_text(doc, text, n), WARTA_OK);
	ladder_hits h = {rf, {"", ""}};
	assert_int_equal(rules_scan(doc, rf, 0, n, S_ladder_cb, &h), WARTA_OK);
	assert_string_equal(h.s[0], h.s[1]);
	*matched = strstr(h.s[0], "8-12") != NULL; /* "Budi" */
	warta_doc_free(doc);
}

/* An allocator that hands out a static pool in order and starts it again
 * when told: two loads of folders of the same shape then get the same
 * addresses, as a ruleset loaded where a freed one was would. */
static _Alignas(16) unsigned char S_pool[64 << 20];
static size_t S_pool_at;

static void *S_pool_realloc(void *p, size_t n)
{
	size_t room = (n + 31) / 16 * 16; /* and 16 bytes for the size */
	if (S_pool_at + room > sizeof S_pool)
		return NULL;
	unsigned char *q = S_pool + S_pool_at + 16;
	S_pool_at += room;
	memcpy(q - 16, &n, sizeof n);
	if (p) {
		size_t old;
		memcpy(&old, (unsigned char *)p - 16, sizeof old);
		memcpy(q, p, old < n ? old : n);
	}
	return q;
}

static void *S_pool_calloc(size_t k, size_t n)
{
	void *p = k && n > SIZE_MAX / k ? NULL : S_pool_realloc(NULL, k * n);
	if (p)
		memset(p, 0, k * n);
	return p;
}

static void S_pool_free(void *p)
{
	(void)p;
}

static void test_ladder_answers_per_ruleset(void **state)
{
	(void)state;
	static const warta_mem pool = {S_pool_calloc, S_pool_realloc, S_pool_free};
	char upper[64], lower[64];
	S_class_folder(upper, "\\p{Lu}");
	S_class_folder(lower, "\\p{Ll}");
	const char *t = "kata \xc3\x89 Budi"; /* "Budi" at bytes 8 to 12 */
	bool m = false;
	warta_ruleset *a = NULL, *b = NULL;
	S_pool_at = 0;
	assert_int_equal(warta_ruleset_load(upper, NULL, &pool, &a, NULL), WARTA_OK);
	uintptr_t at = (uintptr_t)a->ladders;
	S_ladder_pair(a, t, &m);
	assert_false(m); /* "É " before it: a capital, the ladder holds it back */
	warta_ruleset_free(a);
	S_pool_at = 0;
	assert_int_equal(warta_ruleset_load(lower, NULL, &pool, &b, NULL), WARTA_OK);
	assert_int_equal((uintptr_t)b->ladders, at); /* the hazard, set up */
	S_ladder_pair(b, t, &m);
	assert_true(m); /* not a small letter: nothing holds it back */
	warta_ruleset_free(b);
	S_rm_data_dir(upper);
	S_rm_data_dir(lower);
}

/* Appends to w (of cap bytes, n used) the rungs (?<!X Y{k} Z) of a
 * ladder for the k of ks (X Z for a k of 0); returns the bytes used. */
static size_t S_rungs(char *w, size_t cap, size_t n, const char *x, const char *y, const char *z,
                      const int *ks, size_t nk)
{
	for (size_t i = 0; i < nk; i++)
		n += ks[i] ? (size_t)snprintf(w + n, cap - n, "(?<!%s%s{%d}%s)", x, y, ks[i], z)
		           : (size_t)snprintf(w + n, cap - n, "(?<!%s%s)", x, z);
	return n;
}

/* Ladders of more shapes than tests/data/rs has, each with a twin whose
 * look-behinds PCRE2 answers (each opened as (?<!(?:), which no ladder
 * takes, as no rung that is long enough is taken alone either): rungs
 * X Y{k} Z that one family answers (a k of 0, k missing, an X outside Y,
 * a Z inside Y, a k of 62), more families than a ladder keeps, and rungs
 * checked one by one (of lengths 1, 2 and 5), at every start of texts
 * with letters beyond ASCII (2, 3 and 4 bytes), non-breaking spaces, long
 * words and the text's start close by. */
static void test_ladder_shapes(void **state)
{
	(void)state;
	static const int k1_12[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
	static const int gaps[] = {0, 2, 4, 7, 9, 11};
	static const int one[] = {1}, k1_3[] = {1, 2, 3};
	static const int k0_10[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40, 62};
	static char run[6][4096];
	size_t n;
	/* person.rules' LOWBEFORE, but for its \A */
	n = (size_t)snprintf(
	    run[0], sizeof run[0],
	    "(?<![^\\p{L}]/)(?<![^,;:\xe2\x80\x93\xe2\x80\x94\\-\\p{Ll}\\p{N}]\\s)");
	S_rungs(run[0], sizeof run[0], n, "\\p{Lu}", "\\p{L}", "\\s", k1_12, 12);
	/* SAYSTART's */
	n = (size_t)snprintf(run[1], sizeof run[1],
	                     "(?<![\\s\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}][^\\S\\n])");
	S_rungs(run[1], sizeof run[1], n, "\\p{Lu}", "\\p{L}", "[^\\S\\n]", k1_12, 12);
	/* gaps, an X outside Y, a second family of k 1, rungs of 1, 2 and 5 */
	n = (size_t)snprintf(run[2], sizeof run[2], "(?<![)])(?<!\\p{N}\\s)(?<!x\\p{L}{2}y\\s)");
	n = S_rungs(run[2], sizeof run[2], n, "[0-9\\x{c9}]", "\\p{Ll}", "[\\s,]", gaps, 6);
	S_rungs(run[2], sizeof run[2], n, "\\p{Lu}", "\\p{Lu}", "\\s", one, 1);
	/* five families and five rungs of two characters: the last of each
	 * are checked one by one */
	n = (size_t)snprintf(run[3], sizeof run[3],
	                     "(?<!a\\s)(?<!b\\s)(?<!\\p{Lu}[,.])(?<![0-9]\\s)(?<!\\x{e9}\\s)");
	static const char *const ys[] = {"[a-e]", "[f-m\\x{e9}]", "[n-s]", "[t-z]", "\\p{Ll}"};
	for (int f = 0; f < 5; f++)
		n = S_rungs(run[3], sizeof run[3], n, "\\p{Lu}", ys[f], "\\s", k1_3, 3);
	/* a Z inside Y, and long rungs */
	S_rungs(run[4], sizeof run[4], 0, "[^\\p{L}]", "\\p{L}", "\\p{Ll}", k0_10, 13);
	/* long rungs read eight characters at a time, across blocks */
	static const int blocks[] = {0, 7, 8, 9, 15, 16, 17, 40, 62};
	S_rungs(run[5], sizeof run[5], 0, "\\p{Lu}", "[a-z]", "\\s", blocks, 9);

	char dir[64];
	S_data_dir(dir, "ladshape");
	static char rules[65536];
	n = 0;
	for (int r = 0; r < 6; r++) {
		char twin[8192];
		size_t t = 0;
		for (const char *c = run[r]; *c; c++) {
			twin[t++] = *c;
			if (strncmp(c, "(?<!", 4) == 0) { /* "(?<!(?:)": no ladder takes it */
				t += (size_t)snprintf(twin + t, sizeof twin - t, "?<!(?:)");
				c += 3;
			}
		}
		twin[t] = '\0';
		n += (size_t)snprintf(
		    rules + n, sizeof rules - n,
		    "rule s%d\n  pattern %s(?<name>\\p{L}+)\n  type PERSON\n\n"
		    "rule s%d-twin\n  pattern %s(?<name>\\p{L}+)\n  type PERSON\n\n",
		    r, run[r], r, twin);
	}
	S_put_file(dir, "rules", "shape.rules", rules);
	warta_ruleset *rs = NULL;
	assert_int_equal(warta_ruleset_load(dir, NULL, NULL, &rs, NULL), WARTA_OK);
	const rulefile *rf = ruleset_rules(rs, "shape");
	assert_non_null(rf);
	assert_int_equal(rf->n, 12);
	for (int r = 0; r < 12; r += 2) {
		assert_non_null(strstr(rf->rules[r].pattern, "(?C\"<"));
		assert_null(strstr(rf->rules[r + 1].pattern, "(?C\"<"));
	}
	static const char *const texts[] = {
	    "Ab Cd, ef Gh/ij kata Budi dan Pertanggungjawaban Eka - fgh Ida; 9 ab Cici",
	    "x Ab Budi. Ab Cici! x Abcdefghijkl Dodi abcdefghijklm Edo Abcdefghijklmn Fani",
	    "Abcdefgh Ani Abcdefghi Budi Abcdefghij Cici Abcdefghijklmnopq Dedi Abcdefghijklmnopqr "
	    "Eka Abcdefghijklmnopqrs Fani Abcdefghijklmnopqrstuvwxyzabcdefghijklmno Gita "
	    "Abcdefghijklmnopqrstuvwxyzabcdefghijklmnop Hadi",
	    "x \xc3\x89 Budi \xe2\x80\x9c Cici \xc3\xa9 Dedi \xe2\x80\x93 Eka \xc3\x89\xc2\xa0"
	    "Fani x \xc3\xa9"
	    "abcdefgH Budi",
	    "Abcd\xc3\xa9"
	    "fghijkl Budi Abcdefgh\xc3\xa9 Cici Ab\xc3\x89"
	    "cdefghijklmnopq Dedi",
	    "\xc3\x89"
	    "douard Budi \xc3\xa9ric Cici \xe2\x80\x9c"
	    "Dedi\xe2\x80\x9d kata \xc3\x89ka\xc2\xa0"
	    "Fani Gita\xc2\xa0"
	    "hadir",
	    "Bu Ani\nBudi\tCici  Dedi 12 Eka ABC Fani AB CD 7 abcd Gita 1ab,Hadi \xc3\x89"
	    "ab\xc3\xa9 Ida",
	    "Ab Cde Fghi Jklmn Xa Xfg Xnop Xtuvw Xabmz Xq Joko \xf0\x9f\x98\x80 Budi "
	    "\xe4\xb8\xad\xe6\x96\x87 Cici \xe4\xb8\xad Dedi",
	    "x ab y Ani xaby Budi 0abcdefgh Cici \xc3\x89"
	    "abcdefghij, Dedi 3abcdefghijk Eka",
	    "A abcdefghijklmnopqrstuvwxyzabcdefghijklmn Budi "
	    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk Cici "
	    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl Dedi"};
	/* on matches, not on nothing */
	assert_true(S_ladder_twins(rs, rf, texts, sizeof texts / sizeof *texts) > 500);
	warta_ruleset_free(rs);
	S_rm_data_dir(dir);
}

/* A near list's words are found by a hash of their bytes with the ASCII
 * capitals made small and no other byte changed, eight bytes at a time: a
 * capital anywhere in a word of any length still finds it, by
 * rule_near_ok and by a scan alike; a letter beyond ASCII in the other
 * case does not (\xc3\xa9 and \xc3\x89, e and E with an acute accent,
 * differ in the bit that makes an ASCII capital small). */
static void test_near_fold(void **state)
{
	(void)state;
	char dir[64];
	S_data_dir(dir, "nearfold");
	S_put_file(dir, "gazetteers", "cues.tsv",
	           "word\tkind\ncaf\xc3\xa9\tx\nkata9\tx\npemberitahuan2024\tx\n"
	           "\xc3\x89tude\tx\n");
	S_put_file(dir, "rules", "fold.rules",
	           "rule fold\n  pattern (?<![\\p{L}\\p{N}])(?<name>Ani)(?![\\p{L}\\p{N}])\n"
	           "  type PERSON\n  near @cues.tsv after 40\n");
	warta_ruleset *rs = NULL;
	assert_int_equal(warta_ruleset_load(dir, NULL, NULL, &rs, NULL), WARTA_OK);
	const rulefile *rf = ruleset_rules(rs, "fold");
	assert_non_null(rf);
	assert_true(rf->rules[0].near);
	static const struct {
		const char *text;
		bool near;
	} cases[] = {
	    {"Ani di caf\xc3\xa9", true},
	    {"Ani di CAF\xc3\xa9", true},
	    {"Ani di cAf\xc3\xa9", true},
	    {"Ani di caf\xc3\x89", false},
	    {"Ani di CAF\xc3\x89", false},
	    {"Ani kata9", true},
	    {"Ani KATA9", true},
	    {"Ani kAtA9", true},
	    {"Ani kata8", false},
	    {"Ani kata9x", false},
	    {"Ani Pemberitahuan2024", true},
	    {"Ani PEMBERITAHUAN2024", true},
	    {"Ani pemberitahuaN2024", true},
	    {"Ani pemberitahuan2025", false},
	    {"Ani pemberitahuan20245", false},
	    {"Ani \xc3\x89tude", true},
	    {"Ani \xc3\x89TUDE", true},
	    {"Ani \xc3\xa9tude", false},
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		const char *t = cases[c].text;
		char first[64];
		assert_int_equal(rule_near_ok(rf, &rf->rules[0], t, strlen(t), 0), cases[c].near);
		assert_int_equal(S_hits(rs, "fold", t, first), cases[c].near);
	}
	warta_ruleset_free(rs);
	S_rm_data_dir(dir);
}

/* Adds a match to the string ctx (room for 2048) as "start-end ". */
static int S_space_cb(warta_doc *doc, const rule_match *m, void *ctx)
{
	(void)doc;
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 2048 - n, "%zu-%zu ", m->start, m->end);
	return 0;
}

static int S_space_text_cb(const rule_match *m, void *ctx)
{
	return S_space_cb(NULL, m, ctx);
}

/* Every space is a start, and S_text_starts gives the spaces their byte of
 * files 16 at a time: a rule that starts on a space finds what a scan of
 * every byte finds, wherever the space falls in its block of 64 and in
 * texts that end at a block's end, inside it or just after it (the
 * bytes past the end are zeros, no spaces). */
static void test_space_starts(void **state)
{
	(void)state;
	char dir[64];
	S_data_dir(dir, "space");
	S_put_file(dir, "rules", "space.rules",
	           "rule space\n  pattern [ ](?<name>Bu\\p{Ll}+)\n  type PERSON\n");
	warta_ruleset *rs = NULL;
	assert_int_equal(warta_ruleset_load(dir, NULL, NULL, &rs, NULL), WARTA_OK);
	const rulefile *rf = ruleset_rules(rs, "space");
	assert_non_null(rf);
	assert_true(rf->filtered & 1);
	pcre2_match_data *md = rules_match_data(rs);
	static const size_t lens[] = {40, 63, 64, 65, 127, 128, 129, 200};
	size_t matched = 0;
	for (size_t l = 0; l < sizeof lens / sizeof *lens; l++)
		for (size_t at = 0; at + 5 <= lens[l]; at++) {
			char text[256];
			/* spaces, dots, a tab and letters around " Budi" at `at` */
			for (size_t k = 0; k < lens[l]; k++)
				text[k] = "ab. \tx  "[(k * 7 + at) % 9];
			memcpy(text + at, " Budi", 5);
			text[lens[l]] = '\0';
			char out[2][2048] = {"", ""};
			warta_doc *doc = doc_new(rs, 0);
			assert_int_equal(doc_set_text(doc, text, lens[l]), WARTA_OK);
			assert_int_equal(rules_scan(doc, rf, 0, lens[l], S_space_cb, out[0]),
			                 WARTA_OK);
			warta_doc_free(doc);
			assert_true(rule_scan_text(rs, &rf->rules[0], text, lens[l], md,
			                           S_space_text_cb, out[1]) >= 0);
			assert_string_equal(out[0], out[1]);
			matched += out[0][0] != '\0';
		}
	assert_true(matched > 500); /* on matches, not on nothing */
	pcre2_match_data_free(md);
	warta_ruleset_free(rs);
	S_rm_data_dir(dir);
}

/* A rule that opens with \G is asked where a stage wants it, and skipped
 * by scans, which would try it only where they start. */
static void test_anchored_rules(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "anchor");
	assert_non_null(rf);
	char first[64];
	assert_int_equal(S_hits(rs, "anchor", "ribu prajurit", first), 0);
	warta_doc *doc = doc_new(rs, 0);
	const char *text = "15 ribu prajurit";
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	rule_match m;
	assert_true(rule_match_at(doc, &rf->rules[0], 2, doc->len, &m));
	assert_int_equal(m.start, 2);
	assert_int_equal(m.end, 7);
	assert_false(rule_match_at(doc, &rf->rules[0], 0, doc->len, &m));
	warta_doc_free(doc);
}

/* A list of 100 words or more is asked through callouts: the same matches
 * as a prefix tree would give (longest word first, any case unless the word
 * is in capitals, a run of spaces for a space), and a prefix tree where the
 * callouts cannot go (a look-behind). */
static void test_big_list(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "biglist");
	assert_non_null(rf);
	assert_non_null(strstr(rf->rules[0].pattern, "(?C\"@"));
	assert_null(strstr(rf->rules[1].pattern, "(?C\"@"));
	assert_true(rf->filtered & 1); /* probing still learns where it may start */
	/* texts, how many hits, and the first one's text (NULL: not asked) */
	static const struct {
		const char *text;
		int hits;
		const char *first;
	} cases[] = {
	    {"di kota besar itu", 1, "kota besar"},
	    {"di kota besarnya", 1, "kota"},
	    {"dari KOTA \t BESAR ke Kursk", 2, "KOTA \t BESAR"},
	    {"ke \xc3\x89"
	     "CIJA",
	     1,
	     "\xc3\x89"
	     "CIJA"},
	    {"ke pbb, ke kotak, ke PBB", 1, "PBB"},
	    {"isian0999 isian0001 isian1000", 2, NULL},
	    {"isian0500 Budi", 2, NULL},
	    {"isian500 Budi", 0, NULL},
	    /* the nodes of ten digits have tables of their children: a byte of
	     * none, next to one, or after an upper-case start */
	    {"ISIAN0712 isian07x2 isian0:12 isian071/", 1, "ISIAN0712"},
	    /* a run of no-break spaces (two bytes each) across the eight-byte
	     * blocks in which the chunk callouts count characters */
	    {"di kota\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"
	     "besar itu",
	     1,
	     "kota\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"
	     "besar"},
	    /* a word that ends where the subject does, and one whose walk reads
	     * ASCII bytes after a run of white space of both widths */
	    {"di kota besar", 1, "kota besar"},
	    {"di KOTA \xc2\xa0 besar.", 1, "KOTA \xc2\xa0 besar"},
	    {"ke isian0712", 1, "isian0712"},
	    /* the exact root's word PBB: starts that end its walk at the first or
	     * second byte, or past them, and the subject's end within them */
	    {"ke PX, PBX, PB\xc3\xa9, P\xc3\xa9 "
	     "dan PBB",
	     1, "PBB"},
	    {"ke PB", 0, NULL},
	    {"ke P", 0, NULL},
	    {"PBB", 1, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char first[64];
		assert_int_equal(S_hits(rs, "biglist", cases[i].text, first), cases[i].hits);
		if (cases[i].first)
			assert_string_equal(first, cases[i].first);
	}
}

static int S_count(const rule_match *m, void *ctx)
{
	(void)m;
	++*(int *)ctx;
	return 0;
}

/* The matches of a rule file as "rule@start-end " in a buffer. */
typedef struct spans {
	const rulefile *rf;
	char s[512];
} spans;

static int S_span_cb(warta_doc *doc, const rule_match *m, void *ctx)
{
	(void)doc;
	spans *sp = ctx;
	size_t n = strlen(sp->s), s, e;
	assert_true(rule_group(m, "name", &s, &e));
	snprintf(sp->s + n, sizeof sp->s - n, "%d@%zu-%zu ", (int)(m->r - sp->rf->rules), s, e);
	return 0;
}

/* The matches of rules[i] (test) and rules[i + 1] (spelt out) must agree. */
static void S_twins(const char *all, int i, char *mine)
{
	char a[16], b[16];
	snprintf(a, sizeof a, "%d@", i);
	snprintf(b, sizeof b, "%d@", i + 1);
	char twin[512] = "";
	mine[0] = '\0';
	for (const char *p = all; *p;) {
		const char *sp = strchr(p, ' ');
		size_t len = (size_t)(sp - p) + 1;
		if (strncmp(p, a, strlen(a)) == 0)
			strncat(mine, p + strlen(a), len - strlen(a));
		else if (strncmp(p, b, strlen(b)) == 0)
			strncat(twin, p + strlen(b), len - strlen(b));
		p += len;
	}
	assert_string_equal(mine, twin);
}

static const char *S_scan_range(warta_doc *doc, const rulefile *rf, size_t to, spans *sp)
{
	sp->rf = rf;
	sp->s[0] = '\0';
	assert_int_equal(rules_scan(doc, rf, 0, to, S_span_cb, sp), WARTA_OK);
	return sp->s;
}

/* Scans text with rf to every end of the subject, shortest first and then
 * again longest first (the answers kept for one end must not serve another),
 * and checks that rules[i] and rules[i + 1] agree for each i in twins[0, n);
 * returns the length of what they found. */
static size_t S_twins_every_end(const warta_ruleset *rs, const rulefile *rf, const char *text,
                                const int *twins, size_t n)
{
	size_t found = 0;
	warta_doc *doc = doc_new(rs, 0);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k <= doc->len; k++) {
			size_t to = pass ? doc->len - k : k;
			spans sp;
			char mine[512];
			S_scan_range(doc, rf, to, &sp);
			for (size_t i = 0; i < n; i++) {
				S_twins(sp.s, twins[i], mine);
				found += strlen(mine);
			}
		}
	warta_doc_free(doc);
	return found;
}

/* A test ("test NAME pattern", asked as {?NAME} or {!NAME}) gives the same
 * matches as the look-ahead it stands for, whatever the end of the subject
 * the rule runs to, and keeps its rule's start filter. */
static void test_tests(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "asks");
	assert_non_null(rf);
	assert_non_null(strstr(rf->rules[0].pattern, "(?C\"!"));
	assert_non_null(strstr(rf->rules[2].pattern, "(?C\"?"));
	assert_true(rf->filtered & 1);
	static const char *const texts[] = {"kata si budi dan si Budi lalu si BUDI tadi",
	                                    "si Ani",
	                                    "si ani",
	                                    "kata akhir",
	                                    "akhir kata lagi si",
	                                    "si Budi2 dan si budi"};
	static const int twins[] = {0, 2};
	for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
		S_twins_every_end(rs, rf, texts[t], twins, 2);
	warta_doc *doc = doc_new(rs, 0);
	const char *text = "kata akhir lagi";
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	spans sp;
	char mine[512];
	S_scan_range(doc, rf, 10, &sp);
	S_twins(sp.s, 2, mine);
	assert_string_equal(mine, "5-10 ");
	S_scan_range(doc, rf, doc->len, &sp);
	S_twins(sp.s, 2, mine);
	assert_string_equal(mine, "11-15 ");
	S_scan_range(doc, rf, 10, &sp);
	S_twins(sp.s, 2, mine);
	assert_string_equal(mine, "5-10 ");
	warta_doc_free(doc);
	/* without a document (examples): the same answers, not kept */
	pcre2_match_data *md = rules_match_data(rs);
	int n = 0;
	assert_int_equal(rule_scan_text(rs, &rf->rules[0], "si budi, si Budi", 16, md, S_count, &n),
	                 1);
	assert_int_equal(rule_scan_text(rs, &rf->rules[2], "si budi", 7, md, S_count, &n), 1);
	assert_int_equal(n, 2);
	pcre2_match_data_free(md);
}

/* "define X @a.tsv @b.tsv" is the union of the lists: a word of any of them,
 * in one walk (through callouts, as the union is long). */
static void test_list_union(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "asks");
	const rule *r = &rf->rules[4];
	assert_string_equal(r->id, "union-word");
	assert_non_null(strstr(r->pattern, "(?C\"@"));
	pcre2_match_data *md = rules_match_data(rs);
	int n = 0;
	static const char *const hit[] = {"lalu berkata", "kata PRESIDEN itu", "isian0999",
	                                  "isian0000 x"};
	static const char *const miss[] = {"berkatalah", "isian42", "Presidennya", "kata Budi"};
	for (size_t i = 0; i < 4; i++) {
		n = 0;
		rule_scan_text(rs, r, hit[i], strlen(hit[i]), md, S_count, &n);
		assert_int_equal(n, 1);
		n = 0;
		rule_scan_text(rs, r, miss[i], strlen(miss[i]), md, S_count, &n);
		assert_int_equal(n, 0);
	}
	pcre2_match_data_free(md);
}

/* Writes dir/sub/name with text. */

/* A data folder with the list "two.tsv" (kinds a and b, over 100 words
 * each) and the rule file rules; returns its path in dir. */
static void S_share_folder(char dir[64], const char *rules)
{
	S_data_dir(dir, "share");
	static char list[16384];
	size_t n = (size_t)snprintf(list, sizeof list,
	                            "word\tkind\n"
	                            "kota\ta\nkota besar\tb\nkota besar sekali\ta\n"
	                            "PBB\ta\npbb raya\tb\nPB\tb\n"
	                            "\xc3\x89lys\xc3\xa9"
	                            "e\ta\n"
	                            "\xc3\xa9lys\xc3\xa9"
	                            "e palace\tb\n"
	                            "rumah\ta\nrumah\tb\nmenteri\tb\nmenteri luar\ta\n");
	for (int i = 0; i < 120; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "isian%03d\ta\nisian%03dx\tb\n", i,
		                      i);
	S_put_file(dir, "gazetteers", "two.tsv", list);
	S_put_file(dir, "rules", "share.rules", rules);
}

/* The spans of the matches of the first rule of file "share" on text, as
 * "0@start-end ". */
static void S_share_spans(const warta_ruleset *rs, const char *text, char out[512])
{
	warta_doc *doc = doc_new(rs, 0);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	spans sp;
	S_scan_range(doc, ruleset_rules(rs, "share"), doc->len, &sp);
	out[0] = '\0';
	for (const char *p = sp.s; *p;) {
		size_t len = strcspn(p, " ") + 1;
		if (strncmp(p, "0@", 2) == 0)
			strncat(out, p, len);
		p += len;
	}
	warta_doc_free(doc);
}

/* A list whose words are all in a union asked at the same place first
 * takes its lengths from the union's walk: the same matches as where no
 * union holds it (every length of a word of it, caseless and exact words,
 * runs of blanks, words of both lists and of the union's other one). */
static void test_shared_walks(void **state)
{
	(void)state;
	char with[64], without[64];
	S_share_folder(with,
	               "define U @two.tsv[kind=a] @two.tsv[kind=b]\n"
	               "define A @two.tsv[kind=a]\n"
	               "rule sub-after-union\n"
	               "  pattern (?<![\\p{L}\\p{N}])(?=(?:{U}))(?<name>{A})(?![\\p{L}\\p{N}])\n"
	               "  type PERSON\n");
	/* and a split test of the list, whose word ends are counted in
	 * characters (a word of several bytes a character), with its twin */
	S_share_folder(without,
	               "define A @two.tsv[kind=a]\n"
	               "rule sub-alone\n"
	               "  pattern (?<![\\p{L}\\p{N}])(?<name>{A})(?![\\p{L}\\p{N}])\n"
	               "  type PERSON\n"
	               "test T (?:{A})[ \\t]+\\p{Ll}\n"
	               "rule split\n"
	               "  pattern (?<![\\p{L}\\p{N}]){?T}(?<name>\\S+)\n"
	               "  type PERSON\n"
	               "rule split-spelt\n"
	               "  pattern (?<![\\p{L}\\p{N}])(?=(?:{A})[ \\t]+\\p{Ll})(?<name>\\S+)\n"
	               "  type PERSON\n");
	warta_ruleset *rw = tu_load(with), *ro = tu_load(without);
	static const char *const texts[] = {"di kota besar sekali itu",
	                                    "di kota besar itu, kota  \t besar sekali",
	                                    "PBB dan pbb raya dan Pbb dan PB",
	                                    "\xc3\x89LYS\xc3\x89"
	                                    "E, \xc3\xa9lys\xc3\xa9"
	                                    "e palace dan \xc3\x89lys\xc3\xa9"
	                                    "e",
	                                    "isian050 isian050x isian051 rumah",
	                                    "menteri luar negeri dan menteri"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		char a[512], b[512];
		S_share_spans(rw, texts[i], a);
		S_share_spans(ro, texts[i], b);
		assert_string_equal(a, b);
	}
	char a[512];
	S_share_spans(rw, "di kota besar sekali, kota besar", a);
	assert_string_equal(a, "0@3-20 0@22-26 ");
	const rulefile *rf = ruleset_rules(ro, "share");
	static const int twins[] = {1};
	size_t found = 0;
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		found += S_twins_every_end(ro, rf, texts[i], twins, 1);
	found += S_twins_every_end(ro, rf,
	                           "ke \xc3\x89lys\xc3\xa9"
	                           "e lalu \xc3\x89LYS\xc3\x89"
	                           "E itu",
	                           twins, 1);
	assert_true(found > 0);
	warta_ruleset_free(rw);
	warta_ruleset_free(ro);
	S_rm_data_dir(with);
	S_rm_data_dir(without);
}

/* A test whose alternatives open with a long list is answered by walking
 * the list (split); its matches are still those of the look-ahead spelt
 * out, at every end of the subject: multi-word entries, runs of blanks
 * longer than the list's callouts can take, a negated short list, what
 * follows the word, alternatives left to PCRE2. */
static void test_split_tests(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "asks");
	assert_string_equal(rf->rules[5].id, "listed");
	char spaces[48];
	memset(spaces, ' ', 40);
	spaces[40] = '\0';
	char wide[160], narrow[80];
	snprintf(wide, sizeof wide, "menurut%ssaya pergi, Perdana%sMenteri Budi", spaces, spaces);
	snprintf(narrow, sizeof narrow, "menurut%.9ssaya pergi Perdana%.9sMenteri itu", spaces,
	         spaces);
	const char *const texts[] = {"PBB dan Presiden lalu isian0001 menurut saya Budi",
	                             "Perdana Menteri itu, perdana menteri Budi", wide, narrow,
	                             "isian0002-5 datang, isian0003-x pergi isian0004-7 Ani",
	                             "berkata Budi, Kantor Berita Antara, berkata itu",
	                             "isian0004z isianz z Z isian0005 isian0006",
	                             "\xc3\xa9"
	                             "cija PM pm Pm PRESIDEN presidennya",
	                             /* what follows a word, which {E} asks of its
	                              * character's class: letters and signs of
	                              * two, three and four bytes, a mark */
	                             "berkata\xc3\xa9 isian0001\xe2\x80\x94 Presiden\xcc\x81 lalu "
	                             "isian0002\xf0\x9f\x98\x80 menurut\xe2\x80\x99 itu "
	                             "berkata\xc2\xb2 Presiden\xe1\xba\x9e"};
	size_t found = 0;
	int split = 0;
	for (size_t i = 0; i < rs->nclasses; i++)
		split += rs->classes[i]->split != NULL;
	assert_int_equal(split, 2); /* LISTED and OPENS; KEPT is whole */
	static const int twins[] = {5, 7, 9};
	for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
		found += S_twins_every_end(rs, rf, texts[t], twins, 3);
	assert_true(found > 0); /* the twins agree on something, not on nothing */
}

/* A split test's atoms are asked in an order of their own (walks first,
 * then PCRE2's), a `then` of one character ({E}) is answered by the
 * character's class, and other `then`s only where their first bytes may
 * start a match (learnt by probing): still the matches of the look-ahead
 * spelt out, at every end of the subject, non-ASCII characters, blanks and
 * tabs after a word included. */
static void test_split_orders(void **state)
{
	(void)state;
	char dir[64];
	S_share_folder(
	    dir, "define A @two.tsv[kind=a]\n"
	         "define B @two.tsv[kind=b]\n"
	         "define E (?![\\p{L}\\p{N}'\xe2\x80\x99-])\n"
	         "test T (?!(?:kota|rumah){E})(?:{A}){E}|(?=(?:{B}){E}[ \\t]+\\p{Lu})(?!{B}y)\n"
	         "rule split\n"
	         "  pattern (?<![\\p{L}\\p{N}]){?T}(?<name>\\S+)\n"
	         "  type PERSON\n"
	         "rule split-spelt\n"
	         "  pattern (?<![\\p{L}\\p{N}])(?=(?!(?:kota|rumah){E})(?:{A}){E}|"
	         "(?=(?:{B}){E}[ \\t]+\\p{Lu})(?!{B}y))(?<name>\\S+)\n"
	         "  type PERSON\n");
	warta_ruleset *rs = tu_load(dir);
	int split = 0;
	for (size_t i = 0; i < rs->nclasses; i++)
		split += rs->classes[i]->split != NULL;
	assert_int_equal(split, 1);
	const rulefile *rf = ruleset_rules(rs, "share");
	static const int twins[] = {0};
	static const char *const texts[] = {
	    "di kota itu, rumah isian001 isian002 Budi, isian003x PBB PBB-x menteri luar Ani",
	    "isian004\xc3\xa9 isian005\xe2\x80\x99 isian006\xe2\x80\x94 isian007\xcc\x81 "
	    "isian008\xf0\x9f\x98\x80 isian009 \xc3\x89lys\xc3\xa9"
	    "e \xc3\x89lys\xc3\xa9"
	    "e isian010",
	    "isian011x Budi isian012x budi isian013x  \tAni isian014x\tAni isian015x, Ani "
	    "isian016x \xc3\x89lys\xc3\xa9"
	    "e isian017x \xc3\xa9lys isian018x-Ani pbb raya Ani PB  X isian019x \t \t"};
	size_t found = 0;
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		found += S_twins_every_end(rs, rf, texts[i], twins, 1);
	assert_true(found > 0);
	warta_ruleset_free(rs);
	S_rm_data_dir(dir);
}

static void test_match_limit_warns(void **state)
{
	const warta_ruleset *rs = *state;
	/* (a+)+$ against many a's and a final b backtracks exponentially: the
	 * match limit stops it and the document says so, once. */
	char text[64];
	memset(text, 'a', 40);
	strcpy(text + 40, "b");
	warta_doc *doc = doc_new(rs, 0);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	hits h = {0};
	assert_int_equal(rules_scan(doc, ruleset_rules(rs, "person"), 0, doc->len, S_cb, &h),
	                 WARTA_OK);
	assert_int_equal(doc->warnings.n, 1);
	assert_string_equal(doc->warnings.v[0].code, "rule-limit");
	assert_string_equal(doc->warnings.v[0].detail, "rules/person.rules:17 slow");
	warta_doc_free(doc);
}

static void test_check_examples(void **state)
{
	warta_diags *d = NULL;
	assert_int_equal(warta_ruleset_check(*state, &d), 0);
	assert_int_equal(warta_diags_count(d), 0);
	warta_diags_free(d);
}

static void test_diag_format(void **state)
{
	(void)state;
	warta_diags *d = diags_new(NULL);
	const char *src = "\tpattern (abc";
	diags_add(d, "rules/x.rules", 3, 10, src, strlen(src), "pattern: %s", "missing )");
	diags_add(d, "gazetteers/y.tsv", 0, 0, NULL, 0, "cannot open");
	assert_string_equal(
	    warta_diags_format(d, 0),
	    "rules/x.rules:3:10: error: pattern: missing )\n\tpattern (abc\n\t        ^");
	assert_string_equal(warta_diags_format(d, 1), "gazetteers/y.tsv: error: cannot open");
	assert_null(warta_diags_format(d, 2));
	warta_diags_free(d);
}

static void test_missing_folder(void **state)
{
	(void)state;
	warta_ruleset *rs = NULL;
	warta_diags *d = NULL;
	assert_int_equal(warta_ruleset_load("tests/data/nonexistent", NULL, NULL, &rs, &d),
	                 WARTA_EIO);
	assert_null(rs);
	assert_int_equal(warta_diags_count(d), 1);
	assert_non_null(strstr(warta_diags_format(d, 0), "point --data at"));
	warta_diags_free(d);
	assert_string_equal(warta_strerror(WARTA_ERULE), "error in a rule or list file");
}

/* The mention of a rule with a `canonical` group takes the identity of
 * the list row that the group's text names, when the row has the rule's
 * type; else the identity of its own text, as without the group. */
static void test_canonical_group(void **state)
{
	(void)state;
	char dir[64];
	S_data_dir(dir, "canon");
	S_put_file(dir, "gazetteers", "bodies.tsv",
	           "id\ttype\tname\taliases\tflags\n"
	           "agency:kemlu\tAGENCY\tKementerian Luar Negeri\tKemlu\t\n"
	           "organization:pbb\tORGANIZATION\tPerserikatan Bangsa-Bangsa\tPBB\t\n");
	S_put_file(dir, "rules", "agency.rules",
	           "rule short-then-long\n"
	           "  pattern (?<name>\\p{Lu}+)\\s+\\((?<canonical>[^()]+)\\)\n"
	           "  type AGENCY\n");
	warta_ruleset *rs = NULL;
	assert_int_equal(warta_ruleset_load(dir, NULL, NULL, &rs, NULL), WARTA_OK);
	static const struct {
		const char *text, *name, *key;
	} cases[] = {
	    /* the row of the long form, though the short one is no alias */
	    {"Kata KLN (Kementerian Luar Negeri) kemarin.", "Kementerian Luar Negeri",
	     "agency:kemlu"},
	    /* a row of another type, or none: the mention's own text */
	    {"Kata PBB (Perserikatan Bangsa-Bangsa) kemarin.", "PBB", NULL},
	    {"Kata KLN (Kantor Lain Negeri) kemarin.", "KLN", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		warta_doc *doc = doc_new(rs, 0);
		assert_int_equal(doc_set_text(doc, cases[i].text, strlen(cases[i].text)), WARTA_OK);
		assert_int_equal(rules_run(doc), WARTA_OK);
		assert_int_equal(doc->mentions.n, 1);
		const mention *m = &doc->mentions.v[0];
		assert_int_equal(m->end - m->start, 3); /* the span stays the name group */
		assert_string_equal(m->name, cases[i].name);
		if (cases[i].key)
			assert_string_equal(m->key, cases[i].key);
		else
			assert_null(m->entry);
		warta_doc_free(doc);
	}
	warta_ruleset_free(rs);
	S_rm_data_dir(dir);
}

/* A macro or test right after an escape is expanded ("\\A{!CAP}" asks CAP
 * at the start), and only the escapes that take a braced argument keep
 * their braces (\\p{Lu}, \\x{..}). */
static void test_macro_after_escape(void **state)
{
	(void)state;
	char dir[64];
	S_data_dir(dir, "escmacro");
	S_put_file(
	    dir, "rules", "esc.rules",
	    "define LOW [a-z]+\n"
	    "test CAP [A-Z]\n"
	    "rule low-start\n  pattern \\A{!CAP}(?<name>{LOW})\n  type PERSON\n\n"
	    "rule escaped-class\n  pattern \\s(?<name>{LOW}\\p{Lu}\\x{41})\n  type PERSON\n");
	warta_ruleset *rs = NULL;
	assert_int_equal(warta_ruleset_load(dir, NULL, NULL, &rs, NULL), WARTA_OK);
	const rulefile *rf = ruleset_rules(rs, "esc");
	assert_non_null(rf);
	assert_null(strstr(rf->rules[0].pattern, "{!CAP}"));
	assert_null(strstr(rf->rules[1].pattern, "{LOW}"));
	assert_non_null(strstr(rf->rules[1].pattern, "\\p{Lu}\\x{41}"));
	static const struct {
		const char *text, *spans;
	} cases[] = {{"abc Xyz", "0@0-3 "}, {"Abc xyzBA", "1@4-9 "}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		warta_doc *doc = doc_new(rs, 0);
		assert_int_equal(doc_set_text(doc, cases[i].text, strlen(cases[i].text)), WARTA_OK);
		spans sp;
		assert_string_equal(S_scan_range(doc, rf, doc->len, &sp), cases[i].spans);
		warta_doc_free(doc);
	}
	warta_ruleset_free(rs);
	S_rm_data_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lists_load),
	    cmocka_unit_test(test_list_rows),
	    cmocka_unit_test(test_lists_by_names),
	    cmocka_unit_test(test_fold),
	    cmocka_unit_test(test_rule_fields),
	    cmocka_unit_test(test_scan_zones),
	    cmocka_unit_test(test_entity_mentions),
	    cmocka_unit_test(test_match_limit_warns),
	    cmocka_unit_test(test_check_examples),
	    cmocka_unit_test(test_diag_format),
	    cmocka_unit_test(test_missing_folder),
	    cmocka_unit_test(test_near),
	    cmocka_unit_test(test_near_windows),
	    cmocka_unit_test(test_near_fold),
	    cmocka_unit_test(test_space_starts),
	    cmocka_unit_test(test_anchored_rules),
	    cmocka_unit_test(test_ladders),
	    cmocka_unit_test(test_ladder_answers_per_ruleset),
	    cmocka_unit_test(test_ladder_shapes),
	    cmocka_unit_test(test_big_list),
	    cmocka_unit_test(test_tests),
	    cmocka_unit_test(test_list_union),
	    cmocka_unit_test(test_split_tests),
	    cmocka_unit_test(test_split_orders),
	    cmocka_unit_test(test_shared_walks),
	    cmocka_unit_test(test_canonical_group),
	    cmocka_unit_test(test_macro_after_escape),
	};
	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
