/* SPDX-License-Identifier: MIT */
/* The load cache (rcache.c) and its use by the loader (rules.c): entries
 * survive a close and an open, a damaged, truncated or foreign file reads as
 * empty, unused entries are dropped, a failed load saves nothing, a folder
 * keeps the caches used last; a ruleset
 * loaded from the cache behaves as one compiled afresh, and JIT-compiles its
 * rules only when a text needs them. */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char S_dir[64];

static int S_setup(void **state)
{
	(void)state;
	snprintf(S_dir, sizeof S_dir, "%s", "/tmp/warta-rcache.XXXXXX");
	return mkdtemp(S_dir) ? 0 : -1;
}

static int S_teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The one cache file in S_dir/sub, or "" when there is none. */
static const char *S_file(const char *sub)
{
	static char path[256];
	char cmd[256];
	snprintf(cmd, sizeof cmd, "ls %s/%s/*.cache 2>/dev/null", S_dir, sub);
	FILE *p = popen(cmd, "r");
	path[0] = '\0';
	if (p) {
		if (!fgets(path, sizeof path, p))
			path[0] = '\0';
		pclose(p);
	}
	path[strcspn(path, "\n")] = '\0';
	return path;
}

static rcache *S_open(const char *sub, uint64_t salt)
{
	char dir[128];
	snprintf(dir, sizeof dir, "%s/%s", S_dir, sub);
	return rcache_open(mem_or_default(NULL), dir, "tests/data/rs", salt);
}

static void S_expect(rcache *c, uint64_t key, const char *want)
{
	size_t n = 0;
	const char *got = rcache_get(c, key, &n);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(got, want, n);
}

static void test_round_trip(void **state)
{
	(void)state;
	rcache *c = S_open("a", 7);
	assert_non_null(c);
	S_expect(c, 1, NULL);
	assert_true(rcache_put(c, 1, "one", 3));
	assert_true(rcache_put(c, 2, "seventeen", 9));
	assert_true(rcache_put(c, 1, "one", 3)); /* the same text twice: kept once */
	assert_true(rcache_put(c, 3, "", 0));
	rcache_close(c, true);
	assert_string_not_equal(S_file("a"), "");

	c = S_open("a", 7);
	S_expect(c, 1, "one");
	S_expect(c, 2, "seventeen");
	S_expect(c, 3, "");
	S_expect(c, 4, NULL);
	rcache_close(c, true);

	/* an entry a load did not ask for is dropped on the next save */
	c = S_open("a", 7);
	S_expect(c, 1, "one");
	rcache_close(c, true);
	c = S_open("a", 7);
	S_expect(c, 1, "one");
	S_expect(c, 2, NULL);
	rcache_close(c, true);
}

/* A load of folder sub with salt finds nothing under key (and saves nothing). */
static void S_expect_miss(const char *sub, uint64_t salt, uint64_t key)
{
	rcache *c = S_open(sub, salt);
	S_expect(c, key, NULL);
	rcache_close(c, false);
}

static void S_rewrite(FILE *f, const char *buf, size_t n)
{
	rewind(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fflush(f);
}

static void test_damage_reads_as_empty(void **state)
{
	(void)state;
	rcache *c = S_open("b", 9);
	assert_true(rcache_put(c, 5, "a blob of some length, to flip a byte in", 40));
	rcache_close(c, true);
	char path[256];
	snprintf(path, sizeof path, "%s", S_file("b"));
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	char buf[256];
	size_t n = fread(buf, 1, sizeof buf, f);
	assert_true(n > 60);

	S_expect_miss("b", 10, 5); /* another salt (another PCRE2, another format) */
	buf[50] ^= 0x20;           /* one byte of the blob flipped */
	S_rewrite(f, buf, n);
	S_expect_miss("b", 9, 5);
	buf[50] ^= 0x20; /* cut short */
	S_rewrite(f, buf, n);
	fclose(f);
	assert_int_equal(truncate(path, (off_t)(n - 8)), 0);
	S_expect_miss("b", 9, 5);
	assert_int_equal(truncate(path, (off_t)n), 0); /* zero-padded back: still bad */
	S_expect_miss("b", 9, 5);
	assert_int_equal(truncate(path, 20), 0); /* shorter than the header */
	S_expect_miss("b", 9, 5);
	assert_int_equal(truncate(path, 0), 0); /* empty: nothing to map */
	S_expect_miss("b", 9, 5);
	assert_int_equal(unlink(path), 0); /* a folder where the file would be */
	assert_int_equal(mkdir(path, 0755), 0);
	S_expect_miss("b", 9, 5);
	assert_int_equal(rmdir(path), 0);
}

/* The file is mapped while a load reads it: another process saving the
 * folder's cache meanwhile (a new file renamed over it) must not change
 * what the first one reads. */
static void test_saved_over_while_open(void **state)
{
	(void)state;
	rcache *c = S_open("d", 3);
	assert_true(rcache_put(c, 5, "the first version", 17));
	rcache_close(c, true);
	rcache *reader = S_open("d", 3);
	S_expect(reader, 5, "the first version");
	rcache *writer = S_open("d", 3);
	assert_true(rcache_put(writer, 6, "an entry the reader never saw", 29));
	rcache_close(writer, true); /* 5 is unused there: dropped from the file */
	S_expect(reader, 5, "the first version");
	S_expect(reader, 6, NULL);
	rcache_close(reader, false);
	rcache *later = S_open("d", 3);
	S_expect(later, 5, NULL);
	S_expect(later, 6, "an entry the reader never saw");
	rcache_close(later, false);
}

static void test_no_cache(void **state)
{
	(void)state;
	assert_null(rcache_open(mem_or_default(NULL), NULL, ".", 1));
	assert_null(rcache_open(mem_or_default(NULL), "", ".", 1));
	assert_true(rcache_put(NULL, 1, "x", 1));
	size_t n = 0;
	assert_null(rcache_get(NULL, 1, &n));
	rcache_close(NULL, true);

	/* without save nothing is written, even with new entries */
	rcache *c = S_open("c", 1);
	assert_true(rcache_put(c, 1, "x", 1));
	rcache_close(c, false);
	assert_string_equal(S_file("c"), "");

	/* a folder that cannot be made: no error, nothing written */
	char file[128];
	snprintf(file, sizeof file, "%s/plain", S_dir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	c = S_open("plain/sub", 1);
	assert_true(rcache_put(c, 1, "x", 1));
	rcache_close(c, true);
}

static warta_ruleset *S_load_cached(const char *dir)
{
	warta_limits lim = {0};
	lim.cache_dir = dir;
	warta_ruleset *rs = NULL;
	assert_int_equal(warta_ruleset_load(tu_datadir(), &lim, NULL, &rs, NULL), WARTA_OK);
	return rs;
}

static size_t S_count(const warta_ruleset *rs, bool jit)
{
	size_t n = 0;
	for (size_t f = 0; f < rs->nfiles; f++)
		for (size_t i = 0; i < rs->files[f].n; i++) {
			const rule *r = &rs->files[f].rules[i];
			n += jit ? atomic_load(&r->jit_ready) : r->cached;
		}
	return n;
}

static void test_ruleset_from_cache(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s/rs", S_dir);
	warta_ruleset *plain = tu_load(tu_datadir());
	warta_ruleset *cold = S_load_cached(dir);
	warta_ruleset *warm = S_load_cached(dir);
	assert_int_equal(S_count(cold, false), 0);
	size_t rules = 0;
	for (size_t f = 0; f < warm->nfiles; f++) {
		const rulefile *a = &plain->files[f], *b = &warm->files[f];
		assert_int_equal(a->n, b->n);
		assert_true(a->filtered == b->filtered);
		assert_true(a->anywhere == b->anywhere);
		for (size_t i = 0; i < a->n; i++) {
			rules += a->rules[i].code != NULL;
			assert_string_equal(a->rules[i].pattern, b->rules[i].pattern);
			assert_int_equal(a->rules[i].capture_count, b->rules[i].capture_count);
			assert_int_equal(a->rules[i].group_name, b->rules[i].group_name);
			assert_int_equal(a->rules[i].group_canonical, b->rules[i].group_canonical);
			assert_int_equal(a->rules[i].filter_kind, b->rules[i].filter_kind);
			assert_int_equal(a->rules[i].first_known, b->rules[i].first_known);
			assert_memory_equal(a->rules[i].first, b->rules[i].first,
			                    sizeof a->rules[i].first);
			assert_true((a->rules[i].filter == NULL) == (b->rules[i].filter == NULL));
			assert_true((a->rules[i].code_at == NULL) == (b->rules[i].code_at == NULL));
			assert_true((a->rules[i].anchored == NULL) ==
			            (b->rules[i].anchored == NULL));
		}
	}
	assert_int_equal(S_count(warm, false), rules);
	assert_memory_equal(plain->start_files, warm->start_files, sizeof warm->start_files);

	/* nothing JIT-compiled before a text needs it */
	assert_int_equal(S_count(warm, true), 0);
	static const char *const texts[] = {
	    "Latihan\n\nJAKARTA, 3 Maret 2025 - Menteri Pertahanan Budi Santoso mengatakan "
	    "hingga 15 ribu prajurit ikut.",
	    "Judul\n\nSekitar 1.000 insinyur militer tiba di Surabaya pada Senin (2/6), kata "
	    "juru bicara Kementerian Luar Negeri.",
	};
	for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
		warta_input in = {0};
		in.id = "t";
		in.id_len = 1;
		in.text = texts[t];
		in.text_len = strlen(texts[t]);
		char *a = warta_extract_json(plain, &in), *b = warta_extract_json(warm, &in),
		     *c = warta_extract_json(cold, &in);
		assert_non_null(a);
		assert_string_equal(a, b);
		assert_string_equal(a, c);
		free(a);
		free(b);
		free(c);
	}
	size_t ready = S_count(warm, true);
	assert_true(ready > 0);
	assert_true(ready < rules);
	warta_ruleset_free(plain);
	warta_ruleset_free(cold);
	warta_ruleset_free(warm);
}

/* Makes n empty cache files of other data folders in dir, rules-<i>.cache,
 * last written on 2023-11-14 plus i days (file 0 the oldest). */
static void S_old_caches(const char *dir, int n)
{
	char path[192];
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/rules-%016d.cache", dir, i);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fclose(f);
		struct timespec t[2] = {{1700000000 + 86400 * i, 0}, {1700000000 + 86400 * i, 0}};
		assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	}
}

/* A folder of caches keeps the newest RCACHE_KEEP files after a write (the
 * one written among them), and nothing but cache files is touched. */
static void test_prune(void **state)
{
	(void)state;
	char dir[128], path[192];
	snprintf(dir, sizeof dir, "%s/prune", S_dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	/* 20 old caches of other data folders, a day apart, and a file of
	 * someone else's */
	S_old_caches(dir, 20);
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	/* a write of this data folder's cache prunes the folder */
	rcache *c = rcache_open(mem_or_default(NULL), dir, "tests/data/rs", 1);
	assert_true(rcache_put(c, 1, "one", 3));
	rcache_close(c, true);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "ls %s | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int files = 0;
	assert_int_equal(fscanf(p, "%d", &files), 1);
	pclose(p);
	assert_int_equal(files, RCACHE_KEEP + 1); /* the kept caches and notes.txt */
	/* the newest old ones stay, the oldest went */
	snprintf(path, sizeof path, "%s/rules-%016d.cache", dir, 19);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s/rules-%016d.cache", dir, 20 - (RCACHE_KEEP - 1));
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s/rules-%016d.cache", dir, 20 - RCACHE_KEEP);
	assert_int_equal(access(path, F_OK), -1);
	/* the file just written is kept, and readable */
	c = rcache_open(mem_or_default(NULL), dir, "tests/data/rs", 1);
	S_expect(c, 1, "one");
	rcache_close(c, false);
}

/* A cache that a load reads counts as used: it outlives caches written
 * after it was, when it was read after them. */
static void test_prune_keeps_used(void **state)
{
	(void)state;
	char dir[128], path[192];
	snprintf(dir, sizeof dir, "%s/used", S_dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	rcache *c = rcache_open(mem_or_default(NULL), dir, "tests/data/rs", 1);
	assert_true(rcache_put(c, 1, "one", 3));
	rcache_close(c, true);
	char used[256];
	snprintf(used, sizeof used, "%s", S_file("used"));
	assert_true(used[0] != '\0');
	/* written long before the others ... */
	struct timespec old[2] = {{1600000000, 0}, {1600000000, 0}};
	assert_int_equal(utimensat(AT_FDCWD, used, old, 0), 0);
	S_old_caches(dir, 2 * RCACHE_KEEP);
	/* ... but read since, which a read without a write shows */
	c = rcache_open(mem_or_default(NULL), dir, "tests/data/rs", 1);
	S_expect(c, 1, "one");
	rcache_close(c, true);
	struct stat st;
	assert_int_equal(stat(used, &st), 0);
	assert_true(st.st_mtime > 1700000000 + 86400 * 2 * RCACHE_KEEP);
	/* so another folder's write prunes the old caches, not this one */
	c = rcache_open(mem_or_default(NULL), dir, "tests/data/no-such-folder", 1);
	assert_true(rcache_put(c, 2, "two", 3));
	rcache_close(c, true);
	assert_int_equal(access(used, F_OK), 0);
	snprintf(path, sizeof path, "%s/rules-%016d.cache", dir, 0);
	assert_int_equal(access(path, F_OK), -1);
	c = rcache_open(mem_or_default(NULL), dir, "tests/data/rs", 1);
	S_expect(c, 1, "one");
	rcache_close(c, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_damage_reads_as_empty),
	    cmocka_unit_test(test_saved_over_while_open),
	    cmocka_unit_test(test_no_cache),
	    cmocka_unit_test(test_ruleset_from_cache),
	    cmocka_unit_test(test_prune),
	    cmocka_unit_test(test_prune_keeps_used),
	};
	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
