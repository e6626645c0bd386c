/* SPDX-License-Identifier: MIT */
/* Gazetteer benchmark: load time of 1,000,000 generated names (plus the real
 * lists of ./gazetteers, or $WARTA_DATA/gazetteers, when present), then the
 * matching speed over about 20 MB of news text, with the big ruleset and with
 * the real lists only. Prints one JSON line:
 *
 *   {"gazetteer_names":N,"gazetteer_load_s":x,"gazetteer_match_mb_s":y,
 *    "gazetteer_match_mb_s_small":z,"gazetteer_rss_mb":r}
 *
 * r is the process's peak resident size right after loading the big ruleset.
 * Times are CPU time of the process (the build machine is shared, so wall
 * time would measure the neighbours); matching is the best of three runs.
 * Usage: build/tests/bench_gazetteer [NAMES [MEGABYTES]]
 */
#include "internal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static double S_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double S_peak_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

static int S_copy(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	char buf[65536];
	size_t n;
	if (!in || !out) {
		if (in)
			fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	return fclose(out);
}

/* Makes DIR/gazetteers and DIR/rules, copying the real lists into it. */
static void S_folder(const char *dir, const char *real)
{
	char p[4096], q[4096];
	mkdir(dir, 0700);
	snprintf(p, sizeof p, "%s/gazetteers", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/rules", dir);
	mkdir(p, 0700);
	DIR *d = real ? opendir(real) : NULL;
	struct dirent *de;
	while (d && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", real, de->d_name);
		snprintf(q, sizeof q, "%s/gazetteers/%s", dir, de->d_name);
		S_copy(p, q);
	}
	if (d)
		closedir(d);
}

static uint64_t S_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const char *const S_syl[] = {"ba",  "bu", "di",  "ko",  "ra", "san", "to", "wi",
                                    "ja",  "ya", "su",  "har", "ti", "no",  "ma", "li",
                                    "ka",  "de", "gu",  "ri",  "na", "wan", "sa", "pu",
                                    "tri", "yo", "dar", "mi",  "ni", "ta",  "la", "ha"};

/* Appends a capitalised name of 2-3 words of 2-3 syllables to buf. */
static size_t S_name(char *buf, uint64_t *seed)
{
	size_t o = 0;
	int words = 2 + (int)(S_rand(seed) % 2);
	for (int w = 0; w < words; w++) {
		if (w)
			buf[o++] = ' ';
		size_t start = o;
		int syl = 2 + (int)(S_rand(seed) % 2);
		for (int k = 0; k < syl; k++) {
			const char *s = S_syl[S_rand(seed) % 32];
			size_t l = strlen(s);
			memcpy(buf + o, s, l);
			o += l;
		}
		buf[start] = (char)(buf[start] - 32);
	}
	buf[o] = '\0';
	return o;
}

/* About `want` bytes of text: the corpus articles, repeated, or made up. */
static char *S_text(size_t want, size_t *len)
{
	char *t = malloc(want + (1 << 20));
	size_t n = 0;
	FILE *f = fopen("/work/shared/corpus/news.jsonl", "rb");
	char *line = NULL;
	size_t cap = 0;
	for (int pass = 0; f && n < want && pass < 100; pass++) {
		size_t before = n;
		rewind(f);
		while (n < want && getline(&line, &cap, f) > 0) {
			cJSON *j = cJSON_Parse(line);
			const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, "text");
			if (cJSON_IsString(x)) {
				size_t l = strlen(x->valuestring);
				if (n + l + 2 > want + (1 << 20))
					l = want + (1 << 20) - n - 2;
				memcpy(t + n, x->valuestring, l);
				n += l;
				t[n++] = '\n';
				t[n++] = '\n';
			}
			cJSON_Delete(j);
		}
		if (n == before)
			break;
	}
	if (f)
		fclose(f);
	free(line);
	uint64_t seed = 42;
	static const char *const words[] = {"yang",    "dan",      "di",         "dari", "Korea",
	                                    "Utara",   "Presiden", "mengatakan", "pada", "Jakarta",
	                                    "Amerika", "Serikat",  "ini",        "akan", "itu"};
	while (n < want) {
		if (S_rand(&seed) % 8 == 0)
			n += S_name(t + n, &seed);
		else {
			const char *w = words[S_rand(&seed) % 15];
			memcpy(t + n, w, strlen(w));
			n += strlen(w);
		}
		t[n++] = S_rand(&seed) % 12 == 0 ? '.' : ' ';
		if (t[n - 1] == '.')
			t[n++] = ' ';
	}
	*len = n;
	return t;
}

static size_t S_entity_rows(const warta_ruleset *rs)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->nlists; i++)
		if (wordlist_col(&rs->lists[i], "type") >= 0 &&
		    wordlist_col(&rs->lists[i], "id") >= 0)
			n += rs->lists[i].nrows;
	return n;
}

static warta_ruleset *S_load(const char *dir, double *secs)
{
	warta_limits lim = {0};
	lim.max_mentions = (size_t)1 << 40;
	warta_ruleset *rs = NULL;
	warta_diags *d = NULL;
	double t0 = S_now();
	int rc = warta_ruleset_load(dir, &lim, NULL, &rs, &d);
	*secs = S_now() - t0;
	for (size_t i = 0; i < warta_diags_count(d) && i < 10; i++)
		fprintf(stderr, "%s\n", warta_diags_format(d, i));
	warta_diags_free(d);
	if (rc) {
		fprintf(stderr, "bench_gazetteer: cannot load %s: %s\n", dir, warta_strerror(rc));
		exit(1);
	}
	return rs;
}

/* Best of three runs, in MB/s. */
static double S_match(const warta_ruleset *rs, const char *text, size_t n, size_t *mentions)
{
	double best = 1e9;
	for (int r = 0; r < 3; r++) {
		warta_doc *doc = doc_new(rs, 0);
		if (!doc || doc_set_text(doc, text, n)) {
			fprintf(stderr, "bench_gazetteer: out of memory\n");
			exit(1);
		}
		double t0 = S_now();
		gazetteer_run(doc);
		double dt = S_now() - t0;
		if (dt < best)
			best = dt;
		*mentions = doc->mentions.n;
		warta_doc_free(doc);
	}
	return (double)n / 1e6 / best;
}

int main(int argc, char **argv)
{
	size_t names = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 1000000;
	size_t mb = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 20;
	const char *data = getenv("WARTA_DATA");
	char real[4096], big[4096], small[4096], p[4200];
	snprintf(real, sizeof real, "%s/gazetteers", data && *data ? data : ".");
	char tmp[] = "/tmp/warta-gzbench-XXXXXX";
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(big, sizeof big, "%s/big", tmp);
	snprintf(small, sizeof small, "%s/small", tmp);
	S_folder(big, real);
	S_folder(small, real);

	snprintf(p, sizeof p, "%s/gazetteers/zz-generated.tsv", big);
	FILE *f = fopen(p, "w");
	if (!f) {
		perror(p);
		return 1;
	}
	fputs("# Generated by tests/bench_gazetteer.c: made-up names.\nid\ttype\tname\taliases\t"
	      "flags\n",
	      f);
	uint64_t seed = 0x9E3779B97F4A7C15ull;
	char name[128];
	for (size_t i = 0; i < names; i++) {
		S_name(name, &seed);
		fprintf(f, "person:gen-%07zu\tPERSON\t%s\t\t\n", i, name);
	}
	fclose(f);

	double load_s, small_s;
	warta_ruleset *rs = S_load(big, &load_s);
	double rss = S_peak_mb();
	size_t n_names = S_entity_rows(rs);

	size_t tlen = 0, m_big = 0, m_small = 0;
	char *text = S_text(mb << 20, &tlen);
	double speed = S_match(rs, text, tlen, &m_big);
	warta_ruleset_free(rs);

	rs = S_load(small, &small_s);
	double speed_small = S_match(rs, text, tlen, &m_small);
	warta_ruleset_free(rs);
	free(text);

	fprintf(
	    stderr,
	    "bench_gazetteer: %zu names loaded in %.2f s (real lists alone: %.3f s, %zu names); "
	    "%.1f MB of text: %zu mentions with the big ruleset, %zu with the real lists\n",
	    n_names, load_s, small_s, n_names - names, (double)tlen / 1e6, m_big, m_small);
	printf("{\"gazetteer_names\":%zu,\"gazetteer_load_s\":%.3f,\"gazetteer_match_mb_s\":%.1f,"
	       "\"gazetteer_match_mb_s_small\":%.1f,\"gazetteer_rss_mb\":%.0f}\n",
	       n_names, load_s, speed, speed_small, rss);
	snprintf(p, sizeof p, "rm -rf '%s'", tmp);
	return system(p) == 0 ? 0 : 1;
}
