/* SPDX-License-Identifier: MIT */
/* The command-line tool: options, files, output. No extraction logic lives
 * here; everything goes through warta.h. Exit codes follow jq: 0 ok, 1 some
 * article became an error record, 2 usage or I/O, 3 rule or list error. */
#include "cli.h"
#include "warta.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef WARTA_DATADIR
#define WARTA_DATADIR "/usr/local/share/warta"
#endif

enum { EXIT_DOC = 1, EXIT_USAGE = 2, EXIT_RULES = 3 };
enum input_kind { IN_AUTO, IN_TEXT, IN_JSONL };

typedef struct opts {
	const char *data;
	const char *date;
	const char *out;
	enum input_kind input;
	int trace;
	int quiet;
	warta_limits limits;
} opts;

typedef struct run {
	const opts *o;
	warta_ruleset *rs;
	FILE *out;
	int doc_errors;
	int io_errors;
	size_t articles;
} run;

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
    "whose file name is its id. A .jsonl file (or '-' with --input jsonl) holds one\n"
    "article per line: {\"id\", \"title\", \"text\", \"url\", \"date\"}. A folder is\n"
    "walked recursively in name order. With no FILE, standard input is read.\n"
    "Output: one warta/1 JSON record per article on standard output, in input order.\n"
    "\n"
    "options:\n"
    "  --data DIR              rules/ and gazetteers/ from DIR (default: the installed\n"
    "                          share/warta, else the source tree beside the binary)\n"
    "  --input text|jsonl      how to read '-' and files of unknown kind (default:\n"
    "                          .jsonl files as JSONL, '-' as JSONL, others as text)\n"
    "  --date YYYY-MM-DD       publication date for articles that carry none\n"
    "  --trace                 also list candidates that lost an overlap, and why\n"
    "  -o FILE                 write to FILE instead of standard output\n"
    "  --max-article-bytes N   larger articles get an error record (default 64 MiB)\n"
    "  --quiet                 no messages on standard error but errors\n"
    "  -h, --help              this text\n"
    "\n"
    "exit status: 0 ok; 1 some article got an error record; 2 usage or I/O error;\n"
    "3 a rule or list file is wrong.\n";

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

static int S_load(const opts *o, warta_ruleset **rs)
{
	char buf[PATH_MAX + 32];
	const char *dir = S_find_data(o->data, buf, sizeof buf);
	warta_diags *d = NULL;
	int rc = warta_ruleset_load(dir, &o->limits, NULL, rs, &d);
	for (size_t i = 0; i < warta_diags_count(d); i++)
		fprintf(stderr, "%s\n", warta_diags_format(d, i));
	warta_diags_free(d);
	if (rc == WARTA_EIO) {
		fprintf(stderr, "warta: cannot load the data folder %s: %s\n", dir, warta_strerror(rc));
		return EXIT_USAGE;
	}
	if (rc) {
		fprintf(stderr, "warta: %s: the rules or lists above need fixing\n", warta_strerror(rc));
		return EXIT_RULES;
	}
	return 0;
}

/* Writes one record line. */
static void S_emit(run *R, char *json)
{
	if (!json) {
		fprintf(stderr, "warta: out of memory while writing a record\n");
		R->io_errors++;
		return;
	}
	fputs(json, R->out);
	fputc('\n', R->out);
	free(json);
	R->articles++;
}

/* An error record for a line that never became an article. */
static void S_error_line(run *R, const char *id, const char *file, size_t line, const char *code,
                         const char *msg)
{
	fprintf(stderr, "%s:%zu: error: %s\n", file, line, msg);
	cJSON *rec = cJSON_CreateObject();
	cJSON *err = NULL;
	if (rec && cJSON_AddStringToObject(rec, "schema", WARTA_SCHEMA) &&
	    (id ? cJSON_AddStringToObject(rec, "id", id) : cJSON_AddNullToObject(rec, "id")) &&
	    (err = cJSON_AddObjectToObject(rec, "error")) &&
	    cJSON_AddStringToObject(err, "code", code) &&
	    cJSON_AddStringToObject(err, "message", msg) && cJSON_AddStringToObject(err, "file", file) &&
	    cJSON_AddNumberToObject(err, "line", (double)line))
		S_emit(R, cJSON_PrintUnformatted(rec));
	else
		S_emit(R, NULL);
	cJSON_Delete(rec);
	R->doc_errors++;
}

static void S_extract(run *R, const warta_input *in, const char *file, size_t line)
{
	warta_doc *doc = NULL;
	int rc = warta_extract(R->rs, in, R->o->trace ? WARTA_OPT_TRACE : 0, &doc);
	char *json = doc ? warta_doc_json(doc) : NULL;
	warta_doc_free(doc);
	if (rc) {
		R->doc_errors++;
		if (line)
			fprintf(stderr, "%s:%zu: error: %s\n", file, line, warta_strerror(rc));
		else
			fprintf(stderr, "%s: error: %s\n", file, warta_strerror(rc));
		if (json && line) { /* say which line the error record stands for */
			cJSON *rec = cJSON_Parse(json);
			cJSON *err = rec ? cJSON_GetObjectItem(rec, "error") : NULL;
			if (err && cJSON_AddNumberToObject(err, "line", (double)line)) {
				free(json);
				json = cJSON_PrintUnformatted(rec);
			}
			cJSON_Delete(rec);
		}
	}
	S_emit(R, json);
}

static const char *S_str_field(cJSON *o, const char *k, size_t *len)
{
	cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
	if (cJSON_IsString(x) && x->valuestring) {
		*len = strlen(x->valuestring);
		return x->valuestring;
	}
	*len = 0;
	return NULL;
}

static void S_jsonl_line(run *R, const char *file, size_t lineno, const char *s, size_t n)
{
	char fallback[64];
	snprintf(fallback, sizeof fallback, "%zu", lineno);
	cJSON *o = cJSON_ParseWithLength(s, n);
	if (!o || !cJSON_IsObject(o)) {
		S_error_line(R, fallback, file, lineno, "invalid-json",
		             o ? "the line is JSON but not an object" : "the line is not valid JSON");
		cJSON_Delete(o);
		return;
	}
	warta_input in = {0};
	char idbuf[64];
	cJSON *idv = cJSON_GetObjectItemCaseSensitive(o, "id");
	if (cJSON_IsString(idv) && idv->valuestring) {
		in.id = idv->valuestring;
	} else if (cJSON_IsNumber(idv)) {
		snprintf(idbuf, sizeof idbuf, "%.17g", idv->valuedouble);
		in.id = idbuf;
	} else
		in.id = fallback;
	in.id_len = strlen(in.id);
	cJSON *tv = cJSON_GetObjectItemCaseSensitive(o, "text");
	if (!tv || !cJSON_IsString(tv)) {
		S_error_line(R, in.id, file, lineno, tv ? "bad-text" : "no-text",
		             tv ? "\"text\" is not a string" : "the line has no \"text\" field");
		cJSON_Delete(o);
		return;
	}
	in.text = tv->valuestring;
	in.text_len = strlen(tv->valuestring);
	in.title = S_str_field(o, "title", &in.title_len);
	in.url = S_str_field(o, "url", &in.url_len);
	in.date = S_str_field(o, "date", &in.date_len);
	if (!in.date)
		in.date = S_str_field(o, "published", &in.date_len);
	in.date_origin = "input";
	if (!in.date && R->o->date) {
		in.date = R->o->date;
		in.date_len = strlen(R->o->date);
		in.date_origin = "cli";
	}
	S_extract(R, &in, file, lineno);
	cJSON_Delete(o);
}

static int S_jsonl(run *R, FILE *f, const char *file)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t got;
	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		size_t n = (size_t)got;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		size_t k = 0;
		while (k < n && (line[k] == ' ' || line[k] == '\t'))
			k++;
		if (k == n) /* blank lines separate nothing: skip, as JSONL readers do */
			continue;
		S_jsonl_line(R, file, lineno, line, n);
	}
	int err = ferror(f);
	free(line);
	if (err) {
		fprintf(stderr, "warta: %s: read error after line %zu\n", file, lineno);
		R->io_errors++;
	}
	return 0;
}

static int S_text_file(run *R, FILE *f, const char *file, const char *id)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	if (!buf || ferror(f)) {
		fprintf(stderr, "warta: %s: %s\n", file, buf ? "read error" : "out of memory");
		free(buf);
		R->io_errors++;
		return 0;
	}
	warta_input in = {0};
	in.id = id;
	in.id_len = strlen(id);
	in.text = buf;
	in.text_len = n;
	if (R->o->date) {
		in.date = R->o->date;
		in.date_len = strlen(R->o->date);
		in.date_origin = "cli";
	}
	S_extract(R, &in, file, 0);
	free(buf);
	return 0;
}

static int S_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int S_path(run *R, const char *path, const char *id);

static int S_dir(run *R, const char *path, const char *prefix)
{
	DIR *dp = opendir(path);
	if (!dp) {
		fprintf(stderr, "warta: cannot open folder %s: %s\n", path, strerror(errno));
		R->io_errors++;
		return 0;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof(char *));
			if (!nn)
				break;
			names = nn;
		}
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(dp);
	if (n)
		qsort(names, n, sizeof(char *), S_cmp);
	for (size_t i = 0; i < n; i++) {
		char child[PATH_MAX], id[PATH_MAX];
		snprintf(child, sizeof child, "%s/%s", path, names[i]);
		snprintf(id, sizeof id, "%s%s%s", prefix, *prefix ? "/" : "", names[i]);
		S_path(R, child, id);
		free(names[i]);
	}
	free(names);
	return 0;
}

static int S_ends(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int S_path(run *R, const char *path, const char *id)
{
	if (strcmp(path, "-") == 0) {
		if (R->o->input == IN_TEXT)
			return S_text_file(R, stdin, "<stdin>", "stdin");
		return S_jsonl(R, stdin, "<stdin>");
	}
	if (S_isdir(path))
		return S_dir(R, path, id ? id : "");
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "warta: cannot open %s: %s\n", path, strerror(errno));
		R->io_errors++;
		return 0;
	}
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	int jsonl = R->o->input == IN_JSONL || (R->o->input == IN_AUTO && S_ends(path, ".jsonl"));
	if (jsonl)
		S_jsonl(R, f, path);
	else
		S_text_file(R, f, path, id ? id : base);
	fclose(f);
	return 0;
}

static int S_size_arg(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v == 0)
		return -1;
	*out = (size_t)v;
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

static int S_cmd_extract(int argc, char **argv)
{
	opts o = {0};
	const char **files = calloc((size_t)argc + 1, sizeof(char *));
	size_t nfiles = 0;
	int rc = 0;
	if (!files)
		return EXIT_USAGE;
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
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(S_extract_usage, stdout);
			goto done;
		} else if (strcmp(a, "--data") == 0) {
			NEEDARG(a);
			o.data = val;
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
		} else if (strcmp(a, "--max-article-bytes") == 0) {
			NEEDARG(a);
			if (S_size_arg(val, &o.limits.max_article_bytes)) {
				rc = S_usage_error("--max-article-bytes takes a positive number, not '%s'", val);
				goto done;
			}
		} else if (strcmp(a, "--trace") == 0) {
			o.trace = 1;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			o.quiet = 1;
		} else if (a[0] == '-' && a[1]) {
			rc = S_usage_error("unknown option '%s'", a);
			goto done;
		} else
			files[nfiles++] = a;
	}
	run R = {.o = &o, .out = stdout};
	if ((rc = S_load(&o, &R.rs)))
		goto done;
	if (o.out && !(R.out = fopen(o.out, "wb"))) {
		fprintf(stderr, "warta: cannot write %s: %s\n", o.out, strerror(errno));
		rc = EXIT_USAGE;
		warta_ruleset_free(R.rs);
		goto done;
	}
	if (nfiles == 0)
		S_path(&R, "-", NULL);
	for (size_t i = 0; i < nfiles; i++)
		S_path(&R, files[i], NULL);
	if (fflush(R.out) != 0 || ferror(R.out)) {
		fprintf(stderr, "warta: error writing the output: %s\n", strerror(errno));
		R.io_errors++;
	}
	if (R.out != stdout)
		fclose(R.out);
	warta_ruleset_free(R.rs);
	rc = R.io_errors ? EXIT_USAGE : R.doc_errors ? EXIT_DOC : 0;
done:
	free(files);
	return rc;
}

/* Loads the ruleset for a subcommand; NULL with the exit code in *rc. */
static warta_ruleset *S_load_for(const char *data, int *rc)
{
	opts o = {0};
	o.data = data;
	warta_ruleset *rs = NULL;
	*rc = S_load(&o, &rs);
	return *rc ? NULL : rs;
}

static int S_cmd_check(int argc, char **argv)
{
	opts o = {0};
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			o.data = argv[++i];
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			puts("usage: warta check [--data DIR]\n\nLoads every rule and list, runs each "
			     "rule's EXAMPLE and COUNTER lines and\nlooks for clashes between lists. "
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

int main(int argc, char **argv)
{
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
