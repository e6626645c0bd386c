/* SPDX-License-Identifier: MIT */
/* The ring of jobs between one reader thread, N worker threads and the writer
 * (the calling thread):
 *
 *         written      claimed        produced
 *   ring:    |  done/busy  |   queued    |  free ...   (indices mod cap)
 *   writer --^   workers --^   reader  --^
 *
 * The reader fills slot `produced` only when produced - written < cap (and the
 * bytes held stay under a budget), workers take slot `claimed`, and the writer
 * emits slot `written` once done, so output follows input order for every N
 * and at most cap articles are held at once. Every message a job carries is
 * printed by the writer, in input order too. The ruleset is shared read-only.
 */
#include "cli.h"

#include "render.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define S_BUDGET ((size_t)32 << 20) /* article bytes held in the ring, beyond one */

struct cli_pool {
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_take, can_write;
	job *ring;
	size_t cap;
	uint64_t produced, claimed, written;
	size_t held; /* bytes of the jobs between written and produced */
	int reader_done;
	int cancel; /* the output failed: the reader drops what it reads */
};

void pool_put(cli_pool *p, job *j)
{
	pthread_mutex_lock(&p->mu);
	if (p->cancel) {
		pthread_mutex_unlock(&p->mu);
		job_clear(j);
		return;
	}
	while (p->produced - p->written >= p->cap || (p->held && p->held + j->len > S_BUDGET))
		pthread_cond_wait(&p->can_put, &p->mu);
	job *slot = &p->ring[p->produced % p->cap];
	*slot = *j;
	slot->done = 0;
	p->held += j->len;
	p->produced++;
	pthread_cond_signal(&p->can_take);
	pthread_mutex_unlock(&p->mu);
}

/* ------------------------------------------------------------ workers */

/* The articles a worker takes from the ring at once and hands to
 * warta_extract_batch(): each rule then runs over all of them before the
 * next, which keeps its code in the processor's caches. */
#define S_TAKE       64
#define S_TAKE_BYTES ((size_t)256 << 10)

/* An article of the worker's batch: its job, and its input, whose strings
 * point into the job's buffer (or into id). */
typedef struct pending {
	job *j;
	warta_input in;
	char id[32]; /* the line number, for a JSON line without an id */
} pending;

typedef struct worker {
	cli_run *R;
	cli_pool *p;
	pthread_t tid;
	uint64_t stage_ns[CLI_MAX_STAGES + 3];
	/* with --rule-times: the sums, and one document's figures */
	unsigned long long *rule_ns, *rule_matches, *doc_ns, *doc_matches;
	pending pend[S_TAKE];
	size_t npend;
} worker;

/* "file:line: error: message" (or "file: error: message"). */
static char *S_where(const job *j, const char *msg)
{
	size_t n = strlen(j->file ? j->file : "") + strlen(msg) + 48;
	char *s = malloc(n);
	if (!s)
		return NULL;
	if (j->line)
		snprintf(s, n, "%s:%zu: error: %s\n", j->file ? j->file : "", j->line, msg);
	else
		snprintf(s, n, "%s: error: %s\n", j->file ? j->file : "", msg);
	return s;
}

static void S_add_origin(const job *j, cJSON *err)
{
	if (j->file)
		cJSON_AddStringToObject(err, "file", j->file);
	if (j->line)
		cJSON_AddNumberToObject(err, "line", (double)j->line);
}

/* Makes an error record for an input that never became an article. */
static void S_error_record(job *j, const char *id, size_t id_len, const char *code, const char *msg)
{
	cJSON *rec = cJSON_CreateObject();
	cJSON *err = NULL;
	char *idz = id ? malloc(id_len + 1) : NULL;
	if (idz) {
		memcpy(idz, id, id_len);
		idz[id_len] = '\0';
	}
	if (rec && cJSON_AddStringToObject(rec, "schema", WARTA_SCHEMA) &&
	    (idz ? cJSON_AddStringToObject(rec, "id", idz) : cJSON_AddNullToObject(rec, "id")) &&
	    (err = cJSON_AddObjectToObject(rec, "error")) &&
	    cJSON_AddStringToObject(err, "code", code) &&
	    cJSON_AddStringToObject(err, "message", msg))
		S_add_origin(j, err);
	j->out = rec ? cJSON_PrintUnformatted(rec) : NULL;
	j->out_len = j->out ? strlen(j->out) : 0;
	j->is_error = 1;
	j->msg = S_where(j, msg);
	cJSON_Delete(rec);
	free(idz);
}

/* Keeps the record of one article the pipeline ran on. */
static void S_keep(worker *W, job *j, const warta_input *in, warta_doc *doc, int rc)
{
	const cli_opts *o = W->R->o;
	uint64_t t0 = o->stage_times ? cli_now_ns() : 0;
	char *json = doc ? warta_doc_json(doc) : NULL;
	if (o->stage_times) {
		unsigned long long ns[CLI_MAX_STAGES];
		size_t n = warta_doc_stage_ns(doc, ns, CLI_MAX_STAGES);
		for (size_t i = 0; i < n && i < CLI_MAX_STAGES; i++)
			W->stage_ns[1 + i] += ns[i];
		W->stage_ns[CLI_MAX_STAGES + 1] += cli_now_ns() - t0;
	}
	if (W->rule_ns) {
		size_t n = W->R->st.nrules;
		warta_doc_rule_ns(doc, W->doc_ns, W->doc_matches, n);
		for (size_t k = 0; k < n; k++) {
			W->rule_ns[k] += W->doc_ns[k];
			W->rule_matches[k] += W->doc_matches[k];
		}
	}
	warta_doc_counts(doc, &j->counts);
	for (size_t i = 0; i < j->counts.ncategories; i++) {
		snprintf(j->cats[i], sizeof j->cats[i], "%s", j->counts.categories[i].category);
		j->counts.categories[i].category = j->cats[i];
	}
	warta_doc_free(doc);
	if (!json) {
		S_error_record(j, in->id, in->id_len, "out-of-memory",
		               "out of memory while processing the article");
		return;
	}
	if (rc) {
		/* The library's error record does not know where the article came from. */
		cJSON *rec = cJSON_Parse(json);
		cJSON *err = rec ? cJSON_GetObjectItemCaseSensitive(rec, "error") : NULL;
		cJSON *m = err ? cJSON_GetObjectItemCaseSensitive(err, "message") : NULL;
		j->msg = S_where(j, cJSON_IsString(m) ? m->valuestring : warta_strerror(rc));
		if (err) {
			S_add_origin(j, err);
			char *again = cJSON_PrintUnformatted(rec);
			if (again) {
				free(json);
				json = again;
			}
		}
		cJSON_Delete(rec);
		j->is_error = 1;
	}
	j->out = json;
	j->out_len = strlen(json);
}

/* Queues an article for the worker's next batch (S_flush runs it). */
static void S_extract(worker *W, job *j, const warta_input *in)
{
	pending *pd = &W->pend[W->npend++];
	pd->j = j;
	pd->in = *in;
}

static void S_jsonl(worker *W, job *j)
{
	const cli_opts *o = W->R->o;
	json_article a;
	char err[160], *fallback = W->pend[W->npend].id;
	uint64_t t0 = o->stage_times ? cli_now_ns() : 0;
	int bad = json_article_read(j->buf, j->len, &a, err, sizeof err);
	if (o->stage_times)
		W->stage_ns[0] += cli_now_ns() - t0;
	snprintf(fallback, sizeof W->pend[0].id, "%zu", j->line);
	if (bad) {
		char msg[200];
		snprintf(msg, sizeof msg, "the line is not valid JSON (%s)", err);
		S_error_record(j, fallback, strlen(fallback), "invalid-json", msg);
		return;
	}
	warta_input in = {0};
	if (a.id.s && (a.id.is_string || a.id.n)) {
		in.id = a.id.s;
		in.id_len = a.id.n;
	} else {
		in.id = fallback;
		in.id_len = strlen(fallback);
	}
	if (!a.text.present || !a.text.is_string) {
		S_error_record(j, in.id, in.id_len, a.text.present ? "bad-text" : "no-text",
		               a.text.present ? "\"text\" is not a string"
		                              : "the line has no \"text\" field");
		return;
	}
	in.text = a.text.s;
	in.text_len = a.text.n;
#define STR(f, src)                                                                                \
	if (a.src.is_string) {                                                                     \
		in.f = a.src.s;                                                                    \
		in.f##_len = a.src.n;                                                              \
	}
	STR(title, title)
	STR(url, url)
	STR(date, date)
	if (!in.date)
		STR(date, published)
#undef STR
	in.date_origin = "input";
	if (!in.date && o->date) {
		in.date = o->date;
		in.date_len = strlen(o->date);
		in.date_origin = "cli";
	}
	j->text = in.text;
	j->text_len = in.text_len;
	S_extract(W, j, &in);
}

static void S_process(worker *W, job *j)
{
	const cli_opts *o = W->R->o;
	switch (j->kind) {
	case JOB_JSONL: S_jsonl(W, j); break;
	case JOB_TEXT: {
		warta_input in = {0};
		in.id = j->id ? j->id : "";
		in.id_len = strlen(in.id);
		in.text = j->buf;
		in.text_len = j->len;
		if (o->date) {
			in.date = o->date;
			in.date_len = strlen(o->date);
			in.date_origin = "cli";
		}
		j->text = j->buf;
		j->text_len = j->len;
		S_extract(W, j, &in);
		break;
	}
	case JOB_ERROR: {
		char fallback[32];
		snprintf(fallback, sizeof fallback, "%zu", j->line);
		const char *id = j->id ? j->id : fallback;
		S_error_record(j, id, strlen(id), j->err_code,
		               j->err_msg ? j->err_msg : j->err_code);
		break;
	}
	case JOB_IOERR: break;
	}
}

/* What the writer needs of a job with its record made. */
static void S_settle(worker *W, job *j)
{
	if (j->is_error) {
		j->text = NULL;
		j->text_len = 0;
	}
	if (!W->R->need_text || !j->text) { /* the record is all the writer needs */
		free(j->buf);
		j->buf = NULL;
		j->text = NULL;
	}
}

/* Runs the pipeline on the queued articles and keeps their records. */
static void S_flush(worker *W)
{
	const cli_opts *o = W->R->o;
	int options = (o->trace ? WARTA_OPT_TRACE : 0) | (o->stage_times ? WARTA_OPT_TIMES : 0) |
	              (o->rule_times ? WARTA_OPT_RULE_TIMES : 0);
	warta_input in[S_TAKE];
	warta_doc *docs[S_TAKE];
	int rc[S_TAKE];
	for (size_t k = 0; k < W->npend; k++)
		in[k] = W->pend[k].in;
	if (warta_extract_batch(W->R->rs, in, W->npend, options, docs, rc) != WARTA_OK)
		for (size_t k = 0; k < W->npend; k++)
			docs[k] = NULL, rc[k] = WARTA_EINVAL;
	for (size_t k = 0; k < W->npend; k++) {
		S_keep(W, W->pend[k].j, &W->pend[k].in, docs[k], rc[k]);
		S_settle(W, W->pend[k].j);
	}
	W->npend = 0;
}

static void *S_worker(void *arg)
{
	worker *W = arg;
	cli_pool *p = W->p;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->claimed == p->produced && !p->reader_done)
			pthread_cond_wait(&p->can_take, &p->mu);
		if (p->claimed == p->produced) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		uint64_t seq = p->claimed;
		size_t take = 0, bytes = 0;
		do /* a long article goes alone: the batch's memory stays that of one */
			bytes += p->ring[(seq + take++) % p->cap].len;
		while (take < S_TAKE && seq + take < p->produced &&
		       bytes + p->ring[(seq + take) % p->cap].len <= S_TAKE_BYTES);
		p->claimed += take;
		pthread_mutex_unlock(&p->mu);
		/* slots [seq, seq + take) are ours: the reader does not reuse them
		 * before the writer is done */
		for (size_t k = 0; k < take; k++) {
			job *j = &p->ring[(seq + k) % p->cap];
			size_t queued = W->npend;
			S_process(W, j);
			if (W->npend == queued) /* not an article: its record is made */
				S_settle(W, j);
		}
		S_flush(W);
		pthread_mutex_lock(&p->mu);
		for (size_t k = 0; k < take; k++)
			p->ring[(seq + k) % p->cap].done = 1;
		/* Wake the writer for a batch, not for every record (a wake-up per
		 * article costs more than a small article): when half the ring is
		 * done or busy behind a finished head, at the end, or when no job
		 * waits (a slow input: records should stream). */
		if (p->ring[p->written % p->cap].done &&
		    (p->claimed - p->written >= p->cap / 2 || p->reader_done ||
		     p->claimed == p->produced))
			pthread_cond_signal(&p->can_write);
		pthread_mutex_unlock(&p->mu);
	}
}

typedef struct reader_arg {
	cli_reader rd;
	cli_pool *p;
} reader_arg;

static void *S_reader(void *arg)
{
	reader_arg *ra = arg;
	reader_run(&ra->rd);
	pthread_mutex_lock(&ra->p->mu);
	ra->p->reader_done = 1;
	pthread_cond_broadcast(&ra->p->can_take);
	pthread_cond_signal(&ra->p->can_write);
	pthread_mutex_unlock(&ra->p->mu);
	return NULL;
}

/* ------------------------------------------------------------ writer */

typedef struct progress {
	int on, drawn;
	uint64_t start, last;
	uint64_t total;
} progress;

static void S_clear(progress *P)
{
	if (P->drawn) {
		fputs("\r\033[K", stderr);
		P->drawn = 0;
	}
}

static void S_draw(progress *P, const cli_stats *st)
{
	uint64_t now = cli_now_ns();
	if (now - P->last < 250000000u)
		return;
	P->last = now;
	double secs = (double)(now - P->start) / 1e9;
	if (secs <= 0)
		secs = 1e-9;
	double mb = (double)st->text_bytes / 1e6; /* article text, as make bench counts */
	char tail[64] = "";
	if (P->total && st->in_bytes) {
		double frac = (double)st->in_bytes / (double)P->total;
		if (frac > 1)
			frac = 1;
		double eta = secs / frac - secs;
		snprintf(tail, sizeof tail, "  %3.0f%%  ETA %d:%02d", frac * 100, (int)(eta / 60),
		         (int)eta % 60);
	}
	fprintf(stderr,
	        "\r\033[Kwarta: %llu articles  %.1f MB of text  %.0f articles/s  %.1f MB/s%s",
	        (unsigned long long)st->articles, mb, (double)st->articles / secs, mb / secs, tail);
	fflush(stderr);
	P->drawn = 1;
}

static void S_tally(cli_stats *st, const job *j)
{
	if (j->out) {
		st->articles++;
		st->errors += (uint64_t)j->is_error;
	}
	st->text_bytes += j->text_len ? j->text_len : 0;
	const warta_counts *c = &j->counts;
	st->entities += c->entities;
	st->mentions += c->mentions;
	st->dates += c->dates;
	st->claims += c->claims;
	st->numbers += c->numbers;
	st->warnings += c->warnings;
	for (size_t i = 0; i < c->ncategories; i++) {
		size_t k = 0;
		while (k < st->ncats && strcmp(st->cat[k], c->categories[i].category) != 0)
			k++;
		if (k == st->ncats) {
			if (k == CLI_MAX_CATS)
				continue;
			snprintf(st->cat[k], sizeof st->cat[k], "%s", c->categories[i].category);
			st->ncats++;
		}
		st->cat_n[k] += c->categories[i].count;
	}
	if (j->pos > st->in_bytes)
		st->in_bytes = j->pos;
}

/* Emits one finished job; sets *out_failed when the output cannot be written. */
static void S_write(cli_run *R, progress *P, job *j, int *out_failed)
{
	if (j->kind == JOB_IOERR)
		R->st.io_errors++;
	const char *msg = j->msg ? j->msg : j->kind == JOB_IOERR ? j->err_msg : NULL;
	if (msg) {
		S_clear(P);
		fputs(msg, stderr);
		if (msg[strlen(msg) - 1] != '\n')
			fputc('\n', stderr);
	}
	if (j->kind != JOB_IOERR && !j->out) {
		S_clear(P);
		fprintf(stderr, "warta: out of memory while writing a record\n");
		R->st.io_errors++;
	}
	if (j->out && !*out_failed) {
		uint64_t t0 = R->o->stage_times ? cli_now_ns() : 0;
		if (render_record(R->render, j->out, j->out_len, j->text, j->text_len) ==
		    WARTA_EIO) {
			S_clear(P);
			fprintf(stderr, "warta: cannot write the output: %s\n", strerror(errno));
			*out_failed = 1;
		}
		if (R->o->stage_times)
			R->st.stage_ns[CLI_MAX_STAGES + 2] += cli_now_ns() - t0;
	}
	S_tally(&R->st, j);
}

int pool_run(cli_run *R, char **paths, size_t npaths)
{
	const cli_opts *o = R->o;
	unsigned n = o->jobs ? o->jobs : 1;
	cli_pool p = {0};
	/* room for every worker's batch and as many again being read */
	p.cap = (size_t)n * 2 * S_TAKE;
	p.ring = calloc(p.cap, sizeof(job));
	worker *W = calloc(n, sizeof(worker));
	reader_arg ra = {{o, paths, npaths, &p, 0}, &p};
	int no_mem = !p.ring || !W;
	if (!no_mem && o->rule_times) {
		size_t nr = R->st.nrules = warta_rule_count(R->rs);
		/* one block per worker: the sums, then one document's figures */
		R->st.rule_ns = calloc(2 * nr + 1, sizeof *R->st.rule_ns);
		R->st.rule_matches = R->st.rule_ns ? R->st.rule_ns + nr : NULL;
		for (unsigned i = 0; i < n && !no_mem; i++) {
			if (!(W[i].rule_ns = calloc(4 * nr + 1, sizeof *W[i].rule_ns)))
				break;
			W[i].rule_matches = W[i].rule_ns + nr;
			W[i].doc_ns = W[i].rule_ns + 2 * nr;
			W[i].doc_matches = W[i].rule_ns + 3 * nr;
		}
		no_mem = !R->st.rule_ns || !W[n - 1].rule_ns;
	}
	if (no_mem) {
		for (unsigned i = 0; W && i < n; i++)
			free(W[i].rule_ns);
		free(p.ring);
		free(W);
		fprintf(stderr, "warta: out of memory\n");
		return -1;
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.can_put, NULL);
	pthread_cond_init(&p.can_take, NULL);
	pthread_cond_init(&p.can_write, NULL);

	progress P = {0};
	P.on = o->progress;
	P.start = cli_now_ns();
	if (P.on)
		P.total = reader_total_size(paths, npaths);

	unsigned started = 0;
	for (unsigned i = 0; i < n; i++) {
		W[i].R = R;
		W[i].p = &p;
		if (pthread_create(&W[i].tid, NULL, S_worker, &W[i]) != 0)
			break;
		started++;
	}
	pthread_t rt;
	int reader_ok = started && pthread_create(&rt, NULL, S_reader, &ra) == 0;
	if (!reader_ok) {
		fprintf(stderr, "warta: cannot start threads: %s\n", strerror(errno));
		pthread_mutex_lock(&p.mu);
		p.reader_done = 1;
		pthread_cond_broadcast(&p.can_take);
		pthread_mutex_unlock(&p.mu);
	}

	int out_failed = 0, dirty = 0;
	for (;;) {
		pthread_mutex_lock(&p.mu);
		for (;;) {
			job *next = &p.ring[p.written % p.cap];
			if (p.written < p.produced && next->done)
				break;
			if (p.reader_done && p.written == p.produced)
				break;
			/* Never an untimed wait: records waiting in the output buffer
			 * go out after 50 ms without news (a slow pipe streams, a busy
			 * run still writes large blocks), and the progress line moves. */
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += dirty ? 50000000 : 100000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			int trc = pthread_cond_timedwait(&p.can_write, &p.mu, &ts);
			if (trc == ETIMEDOUT && (dirty || P.on)) {
				pthread_mutex_unlock(&p.mu);
				if (dirty)
					fflush(R->out);
				dirty = 0;
				if (P.on)
					S_draw(&P, &R->st);
				pthread_mutex_lock(&p.mu);
			}
		}
		if (p.reader_done && p.written == p.produced) {
			pthread_mutex_unlock(&p.mu);
			break;
		}
		job *j = &p.ring[p.written % p.cap];
		pthread_mutex_unlock(&p.mu);
		/* once the output fails, the rest is read and dropped (nothing must hang) */
		S_write(R, &P, j, &out_failed);
		dirty |= j->out != NULL;
		size_t len = j->len;
		if (P.on)
			S_draw(&P, &R->st);
		pthread_mutex_lock(&p.mu);
		job_clear(j); /* under the lock: a worker reads this slot's done flag */
		p.cancel = out_failed;
		p.written++;
		p.held -= len;
		/* the reader refills in batches too: woken once half the ring and
		 * half the byte budget are free, not after every record (that
		 * was two thread switches per article, and the worker lost its
		 * caches to them) */
		if (p.produced - p.written <= p.cap / 2 && p.held <= S_BUDGET / 2)
			pthread_cond_signal(&p.can_put);
		pthread_mutex_unlock(&p.mu);
	}
	S_clear(&P);
	if (reader_ok)
		pthread_join(rt, NULL);
	for (unsigned i = 0; i < started; i++) {
		pthread_join(W[i].tid, NULL);
		for (size_t k = 0; k < CLI_MAX_STAGES + 2; k++)
			R->st.stage_ns[k] += W[i].stage_ns[k];
		for (size_t k = 0; W[i].rule_ns && k < R->st.nrules; k++) {
			R->st.rule_ns[k] += W[i].rule_ns[k];
			R->st.rule_matches[k] += W[i].rule_matches[k];
		}
	}
	for (unsigned i = 0; i < n; i++)
		free(W[i].rule_ns);
	if (!reader_ok)
		R->st.io_errors++;
	R->st.total_in = P.total;
	R->st.wall = (double)(cli_now_ns() - P.start) / 1e9;
	pthread_cond_destroy(&p.can_put);
	pthread_cond_destroy(&p.can_take);
	pthread_cond_destroy(&p.can_write);
	pthread_mutex_destroy(&p.mu);
	free(p.ring);
	free(W);
	return out_failed ? -1 : 0;
}
