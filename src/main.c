/* SPDX-License-Identifier: MIT */
/* The command-line tool: options, commands, statistics. No extraction logic
 * lives here; everything goes through warta.h, and reading, threads and
 * output live in cli_io.c and cli_pool.c. Exit codes follow jq: 0 ok, 1 some
 * article became an error record, 2 usage or I/O, 3 rule or list error. */
#include "cli.h"
#include "render.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#ifndef WARTA_DATADIR
#define WARTA_DATADIR "/usr/local/share/warta"
#endif

static const char S_usage[] =
    "usage: warta extract [options] [FILE|DIR|-]...\n"
    "       warta check [--data DIR]\n"
    "       warta eval [options] GOLD...\n"
    "       warta --help | --version\n"
    "\n"
    "warta reads Indonesian news articles and writes one warta/1 JSON record per\n"
    "article (people, countries, agencies, places, dates, numeric claims).\n"
    "\n"
    "commands:\n"
    "  extract   extract from articles (see 'warta extract --help')\n"
    "  check     validate every rule and list (EXAMPLE/COUNTER lines, clashes)\n"
    "  eval      score the rules and lists on gold annotations (see 'warta eval --help')\n";

static const char S_extract_usage[] =
    "usage: warta extract [options] [FILE|DIR|-]...\n"
    "\n"
    "A plain-text file is one article whose first non-empty line is its title and\n"
    "whose file name is its id. A .jsonl file (or '-') holds one article per line:\n"
    "{\"id\", \"title\", \"text\", \"url\", \"date\"}; blank lines are skipped. A .gz file\n"
    "is read through gzip (x.jsonl.gz as JSONL, x.txt.gz as the text article\n"
    "x.txt); so is gzip data on standard input. A folder is walked recursively in\n"
    "name order. With no FILE, standard input is read.\n"
    "Output: one warta/1 JSON record per article, in input order whatever -j is; a\n"
    "line or file that cannot be read as an article gets an error record\n"
    "{\"schema\",\"id\",\"error\":{\"code\",\"message\",\"file\",\"line\"}} and a message.\n"
    "\n"
    "options:\n"
    "  --data DIR              rules/ and gazetteers/ from DIR (default: $WARTA_DATA,\n"
    "                          the installed share/warta, else the source tree beside\n"
    "                          the binary)\n"
    "  --cache-dir DIR         keep the compiled rules in DIR between runs, which\n"
    "                          makes start-up 5 times faster (default:\n"
    "                          $WARTA_CACHE_DIR, else $XDG_CACHE_HOME/warta, else\n"
    "                          ~/.cache/warta); safe to delete at any time\n"
    "  --no-cache              neither read nor write that cache\n"
    "  --input text|jsonl      read every input as text or as JSONL (default: .jsonl,\n"
    "                          .jsonl.gz and '-' as JSONL, other files as text)\n"
    "  --date YYYY-MM-DD       publication date for articles that carry none\n"
    "  --trace                 also list candidates that lost an overlap, and why\n"
    "  -o, --output FILE       write to FILE, atomically: FILE appears complete or\n"
    "                          not at all (it is left alone after an I/O error)\n"
    "  --format FMT            output format: %s (default jsonl)\n"
    "  --base-iri IRI          IRI prefix of the ntriples format\n"
    "  --out-dir DIR           folder of the brat format's .ann/.txt pairs\n"
    "  -j, --jobs N            worker threads (default: the number of online cores)\n"
    "  --stats                 print a summary on standard error at the end\n"
    "  --stats-json FILE       write the summary as JSON to FILE\n"
    "  --stage-times           print the time spent in each stage at the end (also\n"
    "                          with WARTA_STAGE_TIMES=1 in the environment)\n"
    "  --rule-times            print the time each rule took and its matches, the\n"
    "                          slowest first (also with WARTA_RULE_TIMES=1)\n"
    "  --quiet, -q             no progress line and no messages but errors\n"
    "                          (the progress line shows only on a terminal)\n"
    "\n"
    "limits (an article or line beyond one gets an error record or a warning):\n"
    "  --max-article-bytes N   bytes of article text (default 67108864 = 64 MiB)\n"
    "  --max-line-bytes N      bytes of one JSONL line (default 268435456 = 256 MiB);\n"
    "                          a longer line is skipped without being held in memory\n"
    "  --match-limit N         PCRE2 match limit per rule call (default 1000000)\n"
    "  --depth-limit N         PCRE2 depth limit per rule call (default 10000)\n"
    "  --heap-limit KIB        PCRE2 heap limit per rule call in KiB (default 20000)\n"
    "  --max-mentions N        mentions kept per article (default 100000)\n"
    "  -h, --help              this text\n"
    "  -V, --version           the version\n"
    "\n"
    "exit status: 0 ok; 1 some article got an error record; 2 usage or I/O error\n"
    "(an input that cannot be read, the output cannot be written); 3 a rule or list\n"
    "file is wrong.\n";

static int S_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "warta: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'warta --help'.\n");
	return EXIT_USAGE;
}

static int S_isdir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Finds the data folder: --data, $WARTA_DATA, the installed share/warta next
 * to the binary's prefix, the source tree holding the binary, the build-time
 * default. */
static const char *S_find_data(const char *given, char *buf, size_t cap)
{
	if (given)
		return given;
	const char *env = getenv("WARTA_DATA");
	if (env && *env)
		return env;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			char probe[PATH_MAX + 64];
			snprintf(buf, cap, "%s/../share/warta", exe);
			snprintf(probe, sizeof probe, "%s/rules", buf);
			if (S_isdir(probe))
				return buf;
			snprintf(buf, cap, "%s", exe);
			snprintf(probe, sizeof probe, "%s/rules", buf);
			if (S_isdir(probe))
				return buf;
		}
	}
	return WARTA_DATADIR;
}

/* The load cache's folder: --cache-dir, $WARTA_CACHE_DIR, $XDG_CACHE_HOME/warta,
 * ~/.cache/warta; NULL with --no-cache or when none of them is set. */
static const char *S_cache_dir(const cli_opts *o, char *buf, size_t cap)
{
	if (o->no_cache)
		return NULL;
	if (o->cache_dir)
		return o->cache_dir;
	const char *env = getenv("WARTA_CACHE_DIR");
	if (env && *env)
		return env;
	if ((env = getenv("XDG_CACHE_HOME")) != NULL && *env == '/')
		snprintf(buf, cap, "%s/warta", env);
	else if ((env = getenv("HOME")) != NULL && *env == '/')
		snprintf(buf, cap, "%s/.cache/warta", env);
	else
		return NULL;
	return buf;
}

static int S_load(const cli_opts *o, warta_ruleset **rs)
{
	char buf[PATH_MAX + 32], cbuf[PATH_MAX + 32];
	const char *dir = S_find_data(o->data, buf, sizeof buf);
	warta_diags *d = NULL;
	warta_limits limits = o->limits;
	limits.cache_dir = S_cache_dir(o, cbuf, sizeof cbuf);
	int rc = warta_ruleset_load(dir, &limits, NULL, rs, &d);
	for (size_t i = 0; i < warta_diags_count(d); i++)
		fprintf(stderr, "%s\n", warta_diags_format(d, i));
	warta_diags_free(d);
	if (rc == WARTA_EIO) {
		fprintf(stderr, "warta: cannot load the data folder %s: %s\n", dir,
		        warta_strerror(rc));
		return EXIT_USAGE;
	}
	if (rc) {
		fprintf(stderr, "warta: %s: the rules or lists above need fixing\n",
		        warta_strerror(rc));
		return EXIT_RULES;
	}
	return 0;
}

static int S_size_arg(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	if (*s == '-')
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > SIZE_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int S_uint_arg(const char *s, unsigned *out)
{
	size_t v;
	if (S_size_arg(s, &v) || v > UINT_MAX)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int S_valid_date(const char *s)
{
	size_t n = strlen(s);
	if (n != 10 && n != 7 && n != 4)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

static unsigned S_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

/* Peak resident memory in KiB. VmHWM belongs to this program's address space;
 * getrusage()'s ru_maxrss also counts the parent's memory copied by fork()
 * before exec(), which makes a small process look large under a big parent. */
static long S_peak_rss_kib(void)
{
	long kib = 0;
	FILE *f = fopen("/proc/self/status", "r");
	if (f) {
		char line[256];
		while (fgets(line, sizeof line, f))
			if (strncmp(line, "VmHWM:", 6) == 0) {
				kib = strtol(line + 6, NULL, 10);
				break;
			}
		fclose(f);
	}
	struct rusage ru;
	if (kib <= 0 && getrusage(RUSAGE_SELF, &ru) == 0)
		kib = ru.ru_maxrss;
	return kib;
}

/* The names of the stage timers: parse, the library's stages, emit, write. */
static const char *S_stage_label(size_t k)
{
	size_t n = warta_stage_count();
	if (k == 0)
		return "parse-json";
	if (k <= n && k <= CLI_MAX_STAGES)
		return warta_stage_name(k - 1);
	if (k == CLI_MAX_STAGES + 1)
		return "emit-json";
	if (k == CLI_MAX_STAGES + 2)
		return "write";
	return NULL;
}

static void S_print_stats(const cli_run *R, const cli_opts *o)
{
	const cli_stats *st = &R->st;
	double w = st->wall > 0 ? st->wall : 1e-9;
	fprintf(stderr,
	        "warta: %llu articles (%llu error records), %.1f MB of text, %.1f MB read\n"
	        "warta: %llu entities (%llu mentions), %llu dates, %llu numbers, %llu claims, "
	        "%llu warnings\n",
	        (unsigned long long)st->articles, (unsigned long long)st->errors,
	        (double)st->text_bytes / 1e6, (double)st->in_bytes / 1e6,
	        (unsigned long long)st->entities, (unsigned long long)st->mentions,
	        (unsigned long long)st->dates, (unsigned long long)st->numbers,
	        (unsigned long long)st->claims, (unsigned long long)st->warnings);
	if (st->ncats) {
		fprintf(stderr, "warta: claims by category:");
		for (size_t i = 0; i < st->ncats; i++)
			fprintf(stderr, " %s %llu", st->cat[i], (unsigned long long)st->cat_n[i]);
		fputc('\n', stderr);
	}
	fprintf(stderr,
	        "warta: %.3f s wall on %u threads, %.0f articles/s, %.1f MB/s of text, peak RSS "
	        "%.1f MB\n",
	        st->wall, o->jobs, (double)st->articles / w, (double)st->text_bytes / 1e6 / w,
	        (double)S_peak_rss_kib() / 1024.0);
}

static void S_print_stage_times(const cli_run *R)
{
	const cli_stats *st = &R->st;
	uint64_t total = 0;
	for (size_t k = 0; k < CLI_MAX_STAGES + 3; k++)
		total += st->stage_ns[k];
	fprintf(stderr, "warta: time per stage (summed over threads):\n");
	for (size_t k = 0; k < CLI_MAX_STAGES + 3; k++) {
		const char *name = S_stage_label(k);
		if (!name)
			continue;
		fprintf(stderr, "  %-12s %9.3f s  %5.1f%%\n", name, (double)st->stage_ns[k] / 1e9,
		        total ? 100.0 * (double)st->stage_ns[k] / (double)total : 0.0);
	}
}

/* Rule indexes by time taken, the slowest first (ties: in rule order). */
typedef struct rule_rank {
	unsigned long long ns;
	size_t k;
} rule_rank;

static int S_by_time(const void *a, const void *b)
{
	const rule_rank *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	return (x->k > y->k) - (x->k < y->k);
}

static size_t *S_rules_by_time(const cli_stats *st)
{
	rule_rank *r = malloc((st->nrules + 1) * sizeof *r);
	size_t *ix = malloc((st->nrules + 1) * sizeof *ix);
	if (r && ix) {
		for (size_t k = 0; k < st->nrules; k++)
			r[k] = (rule_rank){st->rule_ns[k], k};
		qsort(r, st->nrules, sizeof *r, S_by_time);
		for (size_t k = 0; k < st->nrules; k++)
			ix[k] = r[k].k;
	} else {
		free(ix);
		ix = NULL;
	}
	free(r);
	return ix;
}

/* The rules that took 0.1% of the rules' time or more, and a line for the
 * rest: a rule file's cost is in its few slow rules. */
static void S_print_rule_times(const cli_run *R)
{
	const cli_stats *st = &R->st;
	size_t *ix = st->rule_ns ? S_rules_by_time(st) : NULL;
	if (!ix) {
		fprintf(stderr, "warta: no rule times (out of memory)\n");
		return;
	}
	unsigned long long total = 0, rest = 0;
	size_t nrest = 0;
	for (size_t k = 0; k < st->nrules; k++)
		total += st->rule_ns[k];
	fprintf(stderr,
	        "warta: time per rule (summed over threads; a rule's tests included):\n"
	        "  %9s  %6s  %9s  rule\n",
	        "seconds", "share", "matches");
	for (size_t i = 0; i < st->nrules; i++) {
		size_t k = ix[i];
		if (!st->rule_ns[k])
			continue;
		if (st->rule_ns[k] * 1000 < total) {
			rest += st->rule_ns[k];
			nrest++;
			continue;
		}
		const char *file = "";
		int line = 0;
		const char *id = warta_rule_id(R->rs, k, &file, &line);
		fprintf(stderr, "  %9.3f  %5.1f%%  %9llu  %s:%d %s\n", (double)st->rule_ns[k] / 1e9,
		        100.0 * (double)st->rule_ns[k] / (double)total, st->rule_matches[k], file,
		        line, id ? id : "?");
	}
	if (nrest)
		fprintf(stderr, "  %9.3f  %5.1f%%  %9s  %zu more rules, under 0.1%% each\n",
		        (double)rest / 1e9, 100.0 * (double)rest / (double)total, "", nrest);
	free(ix);
}

static void S_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int S_write_stats_json(const cli_run *R, const cli_opts *o, const char *path)
{
	const cli_stats *st = &R->st;
	cli_out out;
	if (out_open(&out, path) != 0) {
		fprintf(stderr, "warta: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	FILE *f = out.f;
	double w = st->wall > 0 ? st->wall : 1e-9;
	fprintf(
	    f,
	    "{\"articles\":%llu,\"error_records\":%llu,\"io_errors\":%llu,\"entities\":%llu,"
	    "\"mentions\":%llu,\"dates\":%llu,\"numbers\":%llu,\"claims\":%llu,\"warnings\":%llu,"
	    "\"claims_by_category\":{",
	    (unsigned long long)st->articles, (unsigned long long)st->errors,
	    (unsigned long long)st->io_errors, (unsigned long long)st->entities,
	    (unsigned long long)st->mentions, (unsigned long long)st->dates,
	    (unsigned long long)st->numbers, (unsigned long long)st->claims,
	    (unsigned long long)st->warnings);
	for (size_t i = 0; i < st->ncats; i++) {
		if (i)
			fputc(',', f);
		S_json_str(f, st->cat[i]);
		fprintf(f, ":%llu", (unsigned long long)st->cat_n[i]);
	}
	fprintf(f,
	        "},\"text_bytes\":%llu,\"input_bytes\":%llu,\"threads\":%u,\"wall_seconds\":%.6f,"
	        "\"articles_per_second\":%.1f,\"text_mb_per_second\":%.3f,\"peak_rss_kib\":%ld",
	        (unsigned long long)st->text_bytes, (unsigned long long)st->in_bytes, o->jobs,
	        st->wall, (double)st->articles / w, (double)st->text_bytes / 1e6 / w,
	        S_peak_rss_kib());
	if (o->stage_times) {
		fprintf(f, ",\"stage_seconds\":{");
		int first = 1;
		for (size_t k = 0; k < CLI_MAX_STAGES + 3; k++) {
			const char *name = S_stage_label(k);
			if (!name)
				continue;
			fprintf(f, "%s\"%s\":%.6f", first ? "" : ",", name,
			        (double)st->stage_ns[k] / 1e9);
			first = 0;
		}
		fputc('}', f);
	}
	size_t *ix = o->rule_times && st->rule_ns ? S_rules_by_time(st) : NULL;
	if (ix) { /* every rule that ran, the slowest first */
		fprintf(f, ",\"rules\":[");
		int first = 1;
		for (size_t i = 0; i < st->nrules; i++) {
			size_t k = ix[i];
			const char *file = "";
			int line = 0;
			const char *id = warta_rule_id(R->rs, k, &file, &line);
			if (!st->rule_ns[k] || !id)
				continue;
			fprintf(f, "%s{\"rule\":", first ? "" : ",");
			S_json_str(f, id);
			fprintf(f, ",\"file\":");
			S_json_str(f, file);
			fprintf(f, ",\"line\":%d,\"seconds\":%.6f,\"matches\":%llu}", line,
			        (double)st->rule_ns[k] / 1e9, st->rule_matches[k]);
			first = 0;
		}
		fputc(']', f);
		free(ix);
	}
	fputs("}\n", f);
	if (out_close(&out, 1) != 0) {
		fprintf(stderr, "warta: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int S_cmd_extract(int argc, char **argv)
{
	cli_opts o = {0};
	char **files = calloc((size_t)argc + 1, sizeof(char *));
	size_t nfiles = 0;
	int rc = 0;
	if (!files)
		return EXIT_USAGE;
	o.format = "jsonl";
	o.max_line_bytes = CLI_MAX_LINE_DEFAULT;
	const char *env = getenv("WARTA_STAGE_TIMES");
	o.stage_times = env && *env && strcmp(env, "0") != 0;
	env = getenv("WARTA_RULE_TIMES");
	o.rule_times = env && *env && strcmp(env, "0") != 0;
	int only_files = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
#define NEEDARG(name)                                                                              \
	do {                                                                                       \
		if (i + 1 >= argc) {                                                               \
			rc = S_usage_error("option %s needs a value", name);                       \
			goto done;                                                                 \
		}                                                                                  \
		val = argv[++i];                                                                   \
	} while (0)
#define SIZEARG(name, dst)                                                                         \
	do {                                                                                       \
		NEEDARG(name);                                                                     \
		if (S_size_arg(val, dst)) {                                                        \
			rc = S_usage_error(name " takes a positive number, not '%s'", val);        \
			goto done;                                                                 \
		}                                                                                  \
	} while (0)
#define UINTARG(name, dst)                                                                         \
	do {                                                                                       \
		NEEDARG(name);                                                                     \
		if (S_uint_arg(val, dst)) {                                                        \
			rc = S_usage_error(name " takes a positive number, not '%s'", val);        \
			goto done;                                                                 \
		}                                                                                  \
	} while (0)
		if (only_files || strcmp(a, "-") == 0 || a[0] != '-') {
			files[nfiles++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			only_files = 1;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			printf(S_extract_usage, render_formats());
			goto done;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("warta %s (schema %s)\n", warta_version(), WARTA_SCHEMA);
			goto done;
		} else if (strcmp(a, "--data") == 0) {
			NEEDARG(a);
			o.data = val;
		} else if (strcmp(a, "--cache-dir") == 0) {
			NEEDARG(a);
			o.cache_dir = val;
		} else if (strcmp(a, "--no-cache") == 0) {
			o.no_cache = 1;
		} else if (strcmp(a, "--date") == 0) {
			NEEDARG(a);
			if (!S_valid_date(val)) {
				rc = S_usage_error("--date takes YYYY-MM-DD, not '%s'", val);
				goto done;
			}
			o.date = val;
		} else if (strcmp(a, "--input") == 0) {
			NEEDARG(a);
			if (strcmp(val, "text") == 0)
				o.input = IN_TEXT;
			else if (strcmp(val, "jsonl") == 0)
				o.input = IN_JSONL;
			else {
				rc = S_usage_error("--input takes text or jsonl, not '%s'", val);
				goto done;
			}
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			NEEDARG(a);
			o.out = val;
		} else if (strcmp(a, "--format") == 0) {
			NEEDARG(a);
			o.format = val;
		} else if (strcmp(a, "--base-iri") == 0) {
			NEEDARG(a);
			o.base_iri = val;
		} else if (strcmp(a, "--out-dir") == 0) {
			NEEDARG(a);
			o.out_dir = val;
		} else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
			UINTARG("--jobs", &o.jobs);
		} else if (strncmp(a, "-j", 2) == 0 && a[2]) {
			if (S_uint_arg(a + 2, &o.jobs)) {
				rc = S_usage_error("-j takes a positive number, not '%s'", a + 2);
				goto done;
			}
		} else if (strcmp(a, "--stats") == 0) {
			o.stats = 1;
		} else if (strcmp(a, "--stats-json") == 0) {
			NEEDARG(a);
			o.stats_json = val;
		} else if (strcmp(a, "--stage-times") == 0) {
			o.stage_times = 1;
		} else if (strcmp(a, "--rule-times") == 0) {
			o.rule_times = 1;
		} else if (strcmp(a, "--max-article-bytes") == 0) {
			SIZEARG("--max-article-bytes", &o.limits.max_article_bytes);
		} else if (strcmp(a, "--max-line-bytes") == 0) {
			SIZEARG("--max-line-bytes", &o.max_line_bytes);
		} else if (strcmp(a, "--match-limit") == 0) {
			UINTARG("--match-limit", &o.limits.match_limit);
		} else if (strcmp(a, "--depth-limit") == 0) {
			UINTARG("--depth-limit", &o.limits.depth_limit);
		} else if (strcmp(a, "--heap-limit") == 0) {
			UINTARG("--heap-limit", &o.limits.heap_limit_kib);
		} else if (strcmp(a, "--max-mentions") == 0) {
			SIZEARG("--max-mentions", &o.limits.max_mentions);
		} else if (strcmp(a, "--trace") == 0) {
			o.trace = 1;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			o.quiet = 1;
		} else {
			rc = S_usage_error("unknown option '%s'", a);
			goto done;
		}
	}
	if (!o.jobs)
		o.jobs = S_cores();
	if (o.jobs > 1024)
		o.jobs = 1024;
	if (!o.limits.max_article_bytes)
		o.limits.max_article_bytes = (size_t)64 << 20;
	o.progress = !o.quiet && isatty(2);
	if (nfiles == 0)
		files[nfiles++] = "-";

	cli_run R = {0};
	R.o = &o;
	warta_ruleset *rs = NULL;
	if ((rc = S_load(&o, &rs)))
		goto done;
	R.rs = rs;
	cli_out out;
	if (out_open(&out, o.out) != 0) {
		fprintf(stderr, "warta: cannot write %s: %s\n", o.out, strerror(errno));
		rc = EXIT_USAGE;
		warta_ruleset_free(rs);
		goto done;
	}
	/* glibc ignores the size unless it is given the buffer: the default,
	 * one page, was a write(2) per 4 KB of output (19,000 on 90 MB, a sixth
	 * of the time in system calls). Static, as stdout is flushed as late
	 * as exit. */
	static char outbuf[1 << 20];
	setvbuf(out.f, outbuf, _IOFBF, sizeof outbuf);
	R.out = out.f;
	render_opts ro = {o.base_iri, o.out_dir};
	int frc = render_open(o.format, out.f, &ro, &R.render);
	if (frc) {
		if (frc == WARTA_EFORMAT)
			rc = S_usage_error("unknown format '%s'", o.format);
		else {
			fprintf(stderr, "warta: cannot open the %s renderer: %s\n", o.format,
			        warta_strerror(frc));
			rc = EXIT_USAGE;
		}
		out_close(&out, 0);
		warta_ruleset_free(rs);
		goto done;
	}
	R.need_text = render_needs_text(o.format);
	int failed = pool_run(&R, files, nfiles) != 0;
	if (render_close(R.render) != 0) { /* the page's or triples' last lines */
		fprintf(stderr, "warta: cannot write the end of the %s output: %s\n", o.format,
		        strerror(errno));
		failed = 1;
	}
	int ok = !failed && R.st.io_errors == 0;
	if (out_close(&out, ok) != 0) {
		if (ok)
			fprintf(stderr, "warta: cannot write %s: %s\n",
			        o.out ? o.out : "the output", strerror(errno));
		else if (o.out)
			fprintf(stderr, "warta: %s was not written (see the errors above)\n",
			        o.out);
		failed = 1;
	}
	if (o.stats)
		S_print_stats(&R, &o);
	if (o.stage_times)
		S_print_stage_times(&R);
	if (o.rule_times) /* before the ruleset goes: it names the rules */
		S_print_rule_times(&R);
	if (o.stats_json && S_write_stats_json(&R, &o, o.stats_json) != 0)
		failed = 1;
	warta_ruleset_free(rs);
	free(R.st.rule_ns);
	rc = failed || R.st.io_errors ? EXIT_USAGE : R.st.errors ? EXIT_DOC : 0;
done:
	free(files);
	return rc;
}

/* Loads the ruleset for a subcommand; NULL with the exit code in *rc. */
static warta_ruleset *S_load_for(const char *data, int *rc)
{
	cli_opts o = {0};
	o.data = data;
	warta_ruleset *rs = NULL;
	*rc = S_load(&o, &rs);
	return *rc ? NULL : rs;
}

static int S_cmd_check(int argc, char **argv)
{
	cli_opts o = {0};
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			o.data = argv[++i];
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			puts("usage: warta check [--data DIR]\n\nLoads every rule and list, runs "
			     "each "
			     "rule's EXAMPLE and COUNTER lines and\nlooks for clashes between "
			     "lists. "
			     "Prints each problem; exit 3 when there is one.");
			return 0;
		} else
			return S_usage_error("unknown argument '%s' for check", argv[i]);
	}
	warta_ruleset *rs = NULL;
	int rc = S_load(&o, &rs);
	if (rc)
		return rc;
	warta_diags *d = NULL;
	size_t problems = warta_ruleset_check(rs, &d);
	for (size_t i = 0; i < warta_diags_count(d); i++)
		fprintf(stderr, "%s\n", warta_diags_format(d, i));
	warta_diags_free(d);
	warta_ruleset_free(rs);
	if (problems) {
		fprintf(stderr, "warta check: %zu problem%s\n", problems, problems == 1 ? "" : "s");
		return EXIT_RULES;
	}
	fprintf(stderr, "warta check: all rules and lists are fine\n");
	return 0;
}

/* Each article's memory is freed when it is written. glibc would hand the
 * top of every heap back to the kernel each time, and the next article
 * would fault the same pages in again: half of a run's system time, and
 * 13% of the wall time at -j 2 (35,000 page faults on 35 MB of text, 12,000
 * with this). Keeping 8 MB per heap costs about 6 MB of RSS. */
static void S_keep_freed_memory(void)
{
#ifdef __GLIBC__
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
}

int main(int argc, char **argv)
{
	S_keep_freed_memory();
	if (argc < 2) {
		fputs(S_usage, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(S_usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("warta %s (schema %s)\n", warta_version(), WARTA_SCHEMA);
		return 0;
	}
	if (strcmp(cmd, "extract") == 0)
		return S_cmd_extract(argc - 2, argv + 2);
	if (strcmp(cmd, "check") == 0)
		return S_cmd_check(argc - 2, argv + 2);
	if (strcmp(cmd, "eval") == 0)
		return cli_eval(argc - 2, argv + 2, S_load_for);
	return S_usage_error("unknown command '%s'", cmd);
}
