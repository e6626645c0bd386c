/* SPDX-License-Identifier: MIT */
#ifndef WARTA_CLI_H
#define WARTA_CLI_H

/* The command-line tool's parts (not in libwarta.a):
 *
 *   cli_io.c    reader thread: paths -> files/folders -> jobs (one per JSONL
 *               line or text file), gzip and size limits; atomic -o output
 *   cli_json.c  the small JSON object reader the workers use on a line
 *   cli_pool.c  the ring of jobs: reader -> N workers -> writer (in order)
 *   cli_eval.c  `warta eval`: scores the rules and lists on gold annotations
 *   main.c      options, help, statistics
 *
 * A job's sequence number is its input order; the ring holds at most `cap`
 * jobs between the reader and the writer, so memory stays bounded by the ring
 * size and the largest article, whatever the size of the input.
 */

#include "warta.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { EXIT_DOC = 1, EXIT_USAGE = 2, EXIT_RULES = 3 };
enum input_kind { IN_AUTO, IN_TEXT, IN_JSONL };

typedef struct cli_opts {
	const char *data;
	const char *cache_dir; /* --cache-dir, or NULL for the default */
	int no_cache;          /* --no-cache */
	const char *date;
	const char *out;
	const char *format;
	const char *base_iri;
	const char *out_dir;
	const char *stats_json;
	enum input_kind input;
	int trace, quiet, stats, stage_times, rule_times, progress;
	unsigned jobs;
	size_t max_line_bytes;
	warta_limits limits;
} cli_opts;

#define CLI_MAX_LINE_DEFAULT ((size_t)256 << 20)
#define CLI_MAX_CATS         32
#define CLI_MAX_STAGES       16

enum job_kind {
	JOB_JSONL, /* buf is one JSONL line */
	JOB_TEXT,  /* buf is a whole text article */
	JOB_ERROR, /* the reader turned the input into an error record */
	JOB_IOERR, /* no record: a message about an unreadable input */
};

typedef struct job {
	/* set by the reader */
	enum job_kind kind;
	char *buf; /* malloc'd, NUL-terminated; ownership moves with the job */
	size_t len;
	char *file;           /* malloc'd origin name, as given on the command line */
	char *id;             /* JOB_TEXT: the article id; JOB_ERROR: NULL */
	size_t line;          /* 1-based line of a JSONL file, 0 for a whole file */
	const char *err_code; /* JOB_ERROR: static code name */
	char *err_msg;        /* JOB_ERROR, JOB_IOERR: malloc'd message */
	uint64_t pos;         /* input bytes consumed when the job was read */

	/* set by the worker */
	char *out; /* the record (no newline), malloc'd */
	size_t out_len;
	const char *text; /* the original text inside buf, when the renderer needs it */
	size_t text_len;
	char *msg;    /* a message the writer prints to stderr, malloc'd, or NULL */
	int is_error; /* the record is an error record */
	warta_counts counts;
	char cats[WARTA_MAX_CATEGORIES][32]; /* copies of counts.categories[].category */
	int done;
} job;

void job_clear(job *j);

/* ------------------------------------------------------------ statistics */

typedef struct cli_stats {
	uint64_t articles, errors, io_errors;
	uint64_t entities, mentions, dates, claims, numbers, warnings;
	uint64_t text_bytes, in_bytes;
	size_t ncats;
	char cat[CLI_MAX_CATS][32];
	uint64_t cat_n[CLI_MAX_CATS];
	uint64_t stage_ns[CLI_MAX_STAGES + 3]; /* parse, the library's stages, emit, write */
	/* with --rule-times: per rule (warta_rule_id), summed over the workers */
	unsigned long long *rule_ns, *rule_matches;
	size_t nrules;
	double wall;
	uint64_t total_in; /* sum of the input files' sizes, 0 when unknown */
} cli_stats;

/* ------------------------------------------------------------ reading */

typedef struct cli_pool cli_pool;

/* Queues one job (the reader side of the ring); blocks while the ring is full.
 * Takes ownership of everything the job points to. */
void pool_put(cli_pool *p, job *j);

typedef struct cli_reader {
	const cli_opts *o;
	char **paths;
	size_t npaths;
	cli_pool *pool;
	uint64_t consumed; /* input bytes of finished files */
} cli_reader;

/* Sums the sizes of the regular files among the paths (folders walked). */
uint64_t reader_total_size(char **paths, size_t n);

/* Reads every path in order and queues its jobs; returns when all are read. */
void reader_run(cli_reader *r);

/* ------------------------------------------------------------ JSON input */

typedef struct json_str {
	const char *s; /* NULL when absent */
	size_t n;
	int is_string; /* 0: a number (id only) or another JSON value */
	int present;
} json_str;

typedef struct json_article {
	json_str id, title, text, url, date, published;
} json_article;

/* Reads one JSON object from s[0..n), decoding its strings in place (the
 * fields of *a point into s and are not NUL-terminated). Returns 0, or -1
 * with a message ("':' expected at byte 17") in err. */
int json_article_read(char *s, size_t n, json_article *a, char *err, size_t errcap);

/* ------------------------------------------------------------ the pool */

typedef struct cli_run {
	const cli_opts *o;
	const warta_ruleset *rs;
	FILE *out;
	struct render *render;
	int need_text;
	cli_stats st;
} cli_run;

/* Runs the reader, the workers and the writer over the paths; fills R->st. */
int pool_run(cli_run *R, char **paths, size_t npaths);

/* ------------------------------------------------------------ output */

typedef struct cli_out {
	FILE *f;
	char *path; /* the final name, or NULL for standard output */
	char *tmp;  /* the temporary file beside it */
} cli_out;

/* Opens the output: standard output, or a temporary file beside path. */
int out_open(cli_out *o, const char *path);
/* Finishes the output: flush, fsync and rename when ok, else remove the
 * temporary file. Returns 0 when the output is in place. */
int out_close(cli_out *o, int ok);

uint64_t cli_now_ns(void);

/* ------------------------------------------------------------ other commands */

/* `warta eval`: argv holds the arguments after "eval". load() loads the
 * ruleset from a data folder (NULL: the default one), or returns NULL with
 * the exit code in *rc after printing why. Returns the exit code. */
int cli_eval(int argc, char **argv, warta_ruleset *(*load)(const char *data, int *rc));

#endif
