/* SPDX-License-Identifier: MIT */
/* The reader thread and the output file. Inputs: files, folders (walked
 * recursively in name order; symbolic links to folders inside a walk are not
 * followed), '-'. Data that starts with the gzip magic bytes is inflated
 * (zlib; several members, as pigz and bgzip write, are one stream), whatever
 * its name, so .gz files and gzip on standard input just work. Reads take
 * what the file or pipe has, so records stream out of a slow pipe as its
 * lines arrive.
 * A JSONL input yields one job per non-blank line, read in chunks: a line
 * longer than --max-line-bytes is skipped to its end without being held and
 * becomes an error record. A text file is one job; one larger than
 * --max-article-bytes becomes an error record without being held either.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define S_CHUNK     ((size_t)256 << 10)
#define S_MAX_DEPTH 64

uint64_t cli_now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void job_clear(job *j)
{
	free(j->buf);
	free(j->file);
	free(j->id);
	free(j->err_msg);
	free(j->out);
	free(j->msg);
	memset(j, 0, sizeof *j);
}

static char *S_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	return p ? memcpy(p, s, n) : NULL;
}

/* Returns a malloc'd formatted string (NULL when out of memory). */
static char *S_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (p) {
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return p;
}

static int S_ends(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Queues a message about an input that cannot be read (an I/O error). */
static void S_message(cli_reader *r, char *msg)
{
	job j = {0};
	j.kind = JOB_IOERR;
	j.err_msg = msg;
	pool_put(r->pool, &j);
}

/* ------------------------------------------------------------ one source */

typedef struct src {
	int fd;
	const char *name;
	char *buf; /* decoded bytes: [beg, end) not yet taken */
	size_t beg, end;
	int eof;
	const char *error; /* set when reading failed */
	uint64_t raw;      /* bytes read from fd */
	/* gzip input (RFC 1952, several members allowed, as pigz and bgzip write) */
	int gz, in_eof, at_member_end;
	unsigned char *zin;
	z_stream z;
} src;

/* Reads up to n bytes as they arrive (a pipe gives what it has: records
 * stream out without waiting for a full chunk). */
static ssize_t S_read(src *S, void *p, size_t n)
{
	ssize_t got;
	do
		got = read(S->fd, p, n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		S->error = strerror(errno);
	else
		S->raw += (uint64_t)got;
	return got;
}

/* Opens the decoder: gzip when the data starts with its magic bytes. */
static int S_open(src *S)
{
	S->buf = malloc(S_CHUNK);
	S->zin = malloc(S_CHUNK);
	if (!S->buf || !S->zin) {
		S->error = "out of memory";
		return -1;
	}
	size_t have = 0;
	while (have < 2) {
		ssize_t got = S_read(S, S->zin + have, S_CHUNK - have);
		if (got < 0)
			return -1;
		if (got == 0) {
			S->in_eof = 1;
			break;
		}
		have += (size_t)got;
	}
	if (have >= 2 && S->zin[0] == 0x1f && S->zin[1] == 0x8b) {
		if (inflateInit2(&S->z, 16 + MAX_WBITS) != Z_OK) {
			S->error = "out of memory";
			return -1;
		}
		S->gz = 1;
		S->z.next_in = S->zin;
		S->z.avail_in = (uInt)have;
		return 0;
	}
	memcpy(S->buf, S->zin, have);
	S->end = have;
	S->eof = S->in_eof && have == 0;
	return 0;
}

static void S_close(src *S)
{
	if (S->gz)
		inflateEnd(&S->z);
	free(S->buf);
	free(S->zin);
}

/* Refills S->buf; returns the bytes now there, 0 at the end, -1 on error. */
static int S_fill(src *S)
{
	S->beg = S->end = 0;
	if (S->eof)
		return 0;
	if (!S->gz) {
		ssize_t got = S_read(S, S->buf, S_CHUNK);
		if (got <= 0) {
			S->eof = 1;
			return got < 0 ? -1 : 0;
		}
		S->end = (size_t)got;
		return (int)got;
	}
	for (;;) {
		if (S->z.avail_in == 0 && !S->in_eof) {
			ssize_t got = S_read(S, S->zin, S_CHUNK);
			if (got < 0) {
				S->eof = 1;
				return -1;
			}
			if (got == 0)
				S->in_eof = 1;
			S->z.next_in = S->zin;
			S->z.avail_in = (uInt)got;
		}
		if (S->z.avail_in == 0 && S->in_eof) {
			S->eof = 1;
			if (S->at_member_end)
				return 0;
			S->error = "unexpected end of the gzip data";
			return -1;
		}
		if (S->at_member_end) { /* another member follows */
			inflateReset(&S->z);
			S->at_member_end = 0;
		}
		S->z.next_out = (Bytef *)S->buf;
		S->z.avail_out = (uInt)S_CHUNK;
		int rc = inflate(&S->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END)
			S->at_member_end = 1;
		else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			S->error = S->z.msg ? S->z.msg : "corrupt gzip data";
			S->eof = 1;
			return -1;
		}
		size_t made = S_CHUNK - S->z.avail_out;
		if (made) {
			S->end = made;
			return (int)made;
		}
	}
}

/* Reads the next line into a malloc'd buffer (NUL-terminated, without its
 * '\n' and a final '\r'). Returns 1 and the line, with *line NULL when it is
 * longer than max (its length is still counted in *total); 0 at the end;
 * -1 on a read error or out of memory. */
static int S_next_line(src *S, size_t max, char **line, size_t *len, size_t *total)
{
	char *acc = NULL;
	size_t an = 0, acap = 0, tot = 0;
	int any = 0, over = 0;
	*line = NULL;
	*len = *total = 0;
	for (;;) {
		if (S->beg == S->end) {
			if (S->eof)
				break;
			int got = S_fill(S);
			if (got < 0) {
				free(acc);
				return -1;
			}
			if (got == 0)
				break;
		}
		any = 1;
		char *s = S->buf + S->beg;
		size_t avail = S->end - S->beg;
		char *nl = memchr(s, '\n', avail);
		size_t take = nl ? (size_t)(nl - s) : avail;
		tot += take;
		if (!over && tot > max) {
			over = 1;
			free(acc);
			acc = NULL;
			an = acap = 0;
		}
		if (!over && take) {
			if (an + take + 1 > acap) {
				size_t ncap = acap ? acap * 2 : take + 1;
				if (ncap < an + take + 1)
					ncap = an + take + 1;
				char *na = realloc(acc, ncap);
				if (!na) {
					free(acc);
					S->error = "out of memory";
					return -1;
				}
				acc = na;
				acap = ncap;
			}
			memcpy(acc + an, s, take);
			an += take;
		}
		S->beg += take + (nl ? 1 : 0);
		if (nl)
			break;
	}
	if (!any)
		return 0;
	if (over) {
		*total = tot;
		return 1;
	}
	if (!acc) {
		an = 0;
		if (!(acc = malloc(1))) {
			S->error = "out of memory";
			return -1;
		}
	}
	if (an && acc[an - 1] == '\r')
		an--;
	acc[an] = '\0';
	*line = acc;
	*len = an;
	*total = tot;
	return 1;
}

static uint64_t S_pos(cli_reader *r, src *S)
{
	return r->consumed + S->raw;
}

static int S_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static void S_jsonl(cli_reader *r, src *S)
{
	size_t lineno = 0;
	char *line;
	size_t len, total;
	int rc;
	while ((rc = S_next_line(S, r->o->max_line_bytes, &line, &len, &total)) > 0) {
		lineno++;
		if (line &&
		    S_blank(line, len)) { /* blank lines separate nothing, as in JSONL readers */
			free(line);
			continue;
		}
		job j = {0};
		j.file = S_strdup(S->name);
		j.line = lineno;
		j.pos = S_pos(r, S);
		if (line) {
			j.kind = JOB_JSONL;
			j.buf = line;
			j.len = len;
		} else {
			char msg[160];
			snprintf(
			    msg, sizeof msg,
			    "the line has %zu bytes, more than the limit of %zu (raise it with "
			    "--max-line-bytes)",
			    total, r->o->max_line_bytes);
			j.kind = JOB_ERROR;
			j.err_code = "line-too-long";
			j.err_msg = S_strdup(msg);
		}
		pool_put(r->pool, &j);
	}
	if (rc < 0)
		S_message(r, S_fmt("warta: %s: read error at line %zu: %s", S->name, lineno + 1,
		                   S->error ? S->error : "unknown"));
}

static void S_text(cli_reader *r, src *S, const char *id)
{
	size_t max = r->o->limits.max_article_bytes;
	size_t cap = 0, n = 0;
	uint64_t total = 0;
	char *buf = NULL;
	int over = 0;
	for (;;) {
		if (S->beg == S->end) {
			if (S->eof || S_fill(S) <= 0)
				break;
		}
		size_t take = S->end - S->beg;
		total += take;
		if (!over && total > max) {
			over = 1;
			free(buf);
			buf = NULL;
		}
		if (!over) {
			if (n + take + 1 > cap) {
				size_t ncap = cap ? cap * 2 : S_CHUNK + 1;
				while (ncap < n + take + 1)
					ncap *= 2;
				char *nb = realloc(buf, ncap);
				if (!nb) {
					S->error = "out of memory";
					break;
				}
				buf = nb;
				cap = ncap;
			}
			memcpy(buf + n, S->buf + S->beg, take);
			n += take;
		}
		S->beg = S->end;
	}
	if (S->error) {
		free(buf);
		S_message(r, S_fmt("warta: %s: read error: %s", S->name, S->error));
		return;
	}
	job j = {0};
	j.file = S_strdup(S->name);
	j.id = S_strdup(id);
	j.pos = S_pos(r, S);
	if (over) {
		char msg[200];
		snprintf(msg, sizeof msg,
		         "the article has %llu bytes, more than the limit of %zu (raise it with "
		         "--max-article-bytes)",
		         (unsigned long long)total, max);
		j.kind = JOB_ERROR;
		j.err_code = "too-big";
		j.err_msg = S_strdup(msg);
	} else {
		if (!buf && !(buf = malloc(1))) {
			S_message(r, S_fmt("warta: %s: %s", S->name, "out of memory"));
			free(j.file);
			free(j.id);
			return;
		}
		buf[n] = '\0';
		j.kind = JOB_TEXT;
		j.buf = buf;
		j.len = n;
	}
	pool_put(r->pool, &j);
}

/* Reads one file (or standard input, path "-"). id: the article id of a text
 * file, NULL for its base name. */
static void S_file(cli_reader *r, const char *path, const char *id)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	int fd = is_stdin ? dup(0) : open(path, O_RDONLY);
	if (fd < 0) {
		S_message(r, S_fmt("warta: cannot open %s: %s", name, strerror(errno)));
		return;
	}
	src S;
	memset(&S, 0, sizeof S);
	S.fd = fd;
	S.name = name;
	if (S_open(&S) != 0) {
		S_message(r, S_fmt("warta: cannot read %s: %s", name, S.error));
		S_close(&S);
		close(fd);
		return;
	}
	int jsonl = r->o->input == IN_JSONL ||
	            (r->o->input == IN_AUTO &&
	             (is_stdin || S_ends(path, ".jsonl") || S_ends(path, ".jsonl.gz")));
	if (jsonl)
		S_jsonl(r, &S);
	else {
		char idbuf[PATH_MAX];
		if (is_stdin)
			id = "stdin";
		else if (!id) {
			const char *base = strrchr(path, '/');
			id = base ? base + 1 : path;
		}
		snprintf(idbuf, sizeof idbuf, "%s", id);
		if (S_ends(idbuf, ".gz"))
			idbuf[strlen(idbuf) - 3] = '\0';
		S_text(r, &S, idbuf);
	}
	S_close(&S);
	close(fd);
	r->consumed += S.raw;
}

static int S_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists a folder's visible entries in byte order; NULL when it cannot be read. */
static char **S_list(const char *path, size_t *n)
{
	DIR *dp = opendir(path);
	if (!dp)
		return NULL;
	char **names = NULL;
	size_t cap = 0;
	struct dirent *de;
	*n = 0;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof(char *));
			if (!nn)
				break;
			names = nn;
		}
		if ((names[*n] = S_strdup(de->d_name)))
			(*n)++;
	}
	closedir(dp);
	if (!names)
		names = malloc(sizeof(char *));
	if (*n)
		qsort(names, *n, sizeof(char *), S_cmp);
	return names;
}

typedef void (*S_visit)(cli_reader *r, const char *path, const char *id, uint64_t *acc);

/* Walks path: a file is visited, a folder is walked in name order. */
static void S_walk(cli_reader *r, const char *path, const char *id, int depth, S_visit visit,
                   uint64_t *acc)
{
	struct stat st;
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t n = 0;
		char **names = depth < S_MAX_DEPTH ? S_list(path, &n) : NULL;
		if (!names) {
			if (r)
				S_message(r, S_fmt("warta: cannot open folder %s: %s", path,
				                   depth < S_MAX_DEPTH ? strerror(errno)
				                                       : "nested too deep"));
			return;
		}
		for (size_t i = 0; i < n; i++) {
			size_t cl = strlen(path) + strlen(names[i]) + 2;
			size_t il = (id ? strlen(id) : 0) + strlen(names[i]) + 2;
			char *child = malloc(cl), *cid = malloc(il);
			if (child && cid) {
				snprintf(child, cl, "%s/%s", path, names[i]);
				snprintf(cid, il, "%s%s%s", id ? id : "", id ? "/" : "", names[i]);
				struct stat ls;
				/* links to folders inside a walk could loop: not followed */
				if (!(lstat(child, &ls) == 0 && S_ISLNK(ls.st_mode) &&
				      stat(child, &st) == 0 && S_ISDIR(st.st_mode)))
					S_walk(r, child, cid, depth + 1, visit, acc);
			}
			free(child);
			free(cid);
			free(names[i]);
		}
		free(names);
		return;
	}
	visit(r, path, id, acc);
}

static void S_read_one(cli_reader *r, const char *path, const char *id, uint64_t *acc)
{
	(void)acc;
	S_file(r, path, id);
}

static void S_size_one(cli_reader *r, const char *path, const char *id, uint64_t *acc)
{
	(void)r;
	(void)id;
	struct stat st;
	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		*acc = UINT64_MAX; /* unknown: standard input or a special file */
	else if (*acc != UINT64_MAX)
		*acc += (uint64_t)st.st_size;
}

uint64_t reader_total_size(char **paths, size_t n)
{
	uint64_t acc = 0;
	for (size_t i = 0; i < n && acc != UINT64_MAX; i++)
		S_walk(NULL, paths[i], NULL, 0, S_size_one, &acc);
	return acc == UINT64_MAX ? 0 : acc;
}

void reader_run(cli_reader *r)
{
	for (size_t i = 0; i < r->npaths; i++)
		S_walk(r, r->paths[i], NULL, 0, S_read_one, NULL);
}

/* ------------------------------------------------------------ output */

/* The temporary file to remove when a signal ends the run. The one mutable
 * global of the tool: a signal handler has no other way to find it. */
static char *volatile S_tmp_path;

static void S_on_signal(int sig)
{
	char *p = S_tmp_path;
	if (p)
		unlink(p);
	signal(sig, SIG_DFL);
	raise(sig);
}

int out_open(cli_out *o, const char *path)
{
	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	size_t n = strlen(path) + 32;
	o->path = S_strdup(path);
	o->tmp = malloc(n);
	if (!o->path || !o->tmp)
		goto fail;
	snprintf(o->tmp, n, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		goto fail;
	if (!(o->f = fdopen(fd, "wb"))) {
		close(fd);
		unlink(o->tmp);
		goto fail;
	}
	S_tmp_path = o->tmp;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = S_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
fail:;
	int e = errno;
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
	errno = e;
	return -1;
}

int out_close(cli_out *o, int ok)
{
	int rc = 0;
	if (!o->path) {
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = -1;
		return rc;
	}
	if (ok && (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0))
		ok = 0;
	if (fclose(o->f) != 0)
		ok = 0;
	if (ok && rename(o->tmp, o->path) != 0)
		ok = 0;
	if (ok) { /* make the new name itself durable */
		char *slash = strrchr(o->path, '/');
		if (slash)
			*slash = '\0';
		int dfd = open(slash ? (*o->path ? o->path : "/") : ".", O_RDONLY | O_DIRECTORY);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	int e = errno;
	if (!ok)
		unlink(o->tmp);
	S_tmp_path = NULL;
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
	errno = e;
	return ok ? 0 : -1;
}
