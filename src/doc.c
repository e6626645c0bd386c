/* SPDX-License-Identifier: MIT */
/* The pipeline driver: runs the stages in order over each article of a
 * batch (stage by stage over the batch, the entity rules rule by rule), and
 * the small helpers every stage shares (warnings, zone and sentence
 * look-ups, byte to code point mapping). A stage that fails with
 * WARTA_EINPUT turns the record into an error record; no article is ever
 * dropped. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void doc_warn(warta_doc *doc, const char *code, const char *detail, uint32_t n)
{
	for (size_t i = 0; i < doc->warnings.n; i++) {
		warning *w = &doc->warnings.v[i];
		if (strcmp(w->code, code) == 0 &&
		    (w->detail == detail ||
		     (w->detail && detail && strcmp(w->detail, detail) == 0))) {
			w->count += n;
			return;
		}
	}
	warning *w = VEC_PUSH(&doc->a, doc->warnings);
	if (w) {
		w->code = code;
		w->detail = detail;
		w->count = n;
	}
}

zone_type doc_zone_at(const warta_doc *doc, uint32_t at)
{
	size_t lo = 0, hi = doc->zones.n;
	while (lo < hi) { /* zones are sorted and do not overlap */
		size_t mid = (lo + hi) / 2;
		const zone *z = &doc->zones.v[mid];
		if (at < z->start)
			hi = mid;
		else if (at >= z->end)
			lo = mid + 1;
		else
			return z->type;
	}
	return Z_BODY;
}

int doc_sent_at(const warta_doc *doc, uint32_t at)
{
	size_t lo = 0, hi = doc->sents.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const sentence *s = &doc->sents.v[mid];
		if (at < s->start)
			hi = mid;
		else if (at >= s->end)
			lo = mid + 1;
		else
			return (int)mid;
	}
	return -1;
}

size_t doc_tok_at(const warta_doc *doc, uint32_t at)
{
	size_t lo = 0, hi = doc->toks.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (doc->toks.v[mid].end <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

warta_doc *doc_new(const warta_ruleset *rs, int options)
{
	const warta_mem *mem = mem_or_default(rs ? rs->mem : NULL);
	warta_doc *doc = mem->calloc(1, sizeof *doc);
	if (!doc)
		return NULL;
	doc->rs = rs;
	doc->a.mem = mem;
	doc->options = options;
	doc->title_zone = -1;
	return doc;
}

int doc_set_text(warta_doc *doc, const char *s, size_t n)
{
	doc->orig = arena_strndup(&doc->a, s, n);
	doc->text = (char *)doc->orig;
	doc->orig_len = n;
	doc->len = (uint32_t)n;
	doc->map = NULL;
	return doc->text ? WARTA_OK : WARTA_ENOMEM;
}

void warta_doc_free(warta_doc *doc)
{
	if (!doc)
		return;
	pcre2_match_data_free(doc->md);
	rules_doc_free(doc);
	const warta_mem *mem = doc->a.mem;
	arena_free(&doc->a);
	mem->free(doc);
}

static char *S_field(warta_doc *doc, const char *s, size_t n)
{
	return s ? arena_strndup(&doc->a, s, n) : NULL;
}

static int S_fail(warta_doc *doc, int code, const char *name, const char *msg)
{
	doc->error_code = code;
	doc->error_name = name;
	doc->error_msg = arena_strndup(&doc->a, msg, strlen(msg));
	return code;
}

static int (*const S_stages[])(warta_doc *) = {
    normalize_run, zone_run,    segment_run, gazetteer_run, rules_run,
    resolve_run,   numbers_run, dates_run,   claims_run,
};
static const char *const S_stage_names[] = {
    "normalize", "zone", "segment", "gazetteer", "rules", "resolve", "numbers", "dates", "claims",
};
#define S_NSTAGES (sizeof S_stages / sizeof *S_stages)
_Static_assert(sizeof S_stage_names / sizeof *S_stage_names == S_NSTAGES, "a name per stage");
_Static_assert(S_NSTAGES <= sizeof((warta_doc *)0)->stage_ns / sizeof(uint64_t), "stage_ns");

/* Makes the document of one input; WARTA_OK when its stages should run,
 * else its result (an error record, or no document when out of memory). */
static int S_begin(const warta_ruleset *rs, const warta_input *in, int options, warta_doc **out)
{
	warta_doc *doc = *out = doc_new(rs, options);
	if (!doc)
		return WARTA_ENOMEM;
	doc->id = S_field(doc, in->id ? in->id : "", in->id ? in->id_len : 0);
	doc->in_title = S_field(doc, in->title, in->title_len);
	doc->url = S_field(doc, in->url, in->url_len);
	if (in->date && in->date_len) {
		doc->published = S_field(doc, in->date, in->date_len >= 10 ? 10 : in->date_len);
		doc->published_from = in->date_origin ? in->date_origin : "input";
	}
	if (!doc->id)
		return WARTA_ENOMEM;
	if (!in->text)
		return S_fail(doc, WARTA_EINPUT, "no-text", "the article has no text");
	if (in->text_len > rs->limits.max_article_bytes) {
		char msg[160];
		snprintf(msg, sizeof msg,
		         "the article has %zu bytes, more than the limit of %zu (raise it with "
		         "--max-article-bytes)",
		         in->text_len, rs->limits.max_article_bytes);
		return S_fail(doc, WARTA_ETOOBIG, "too-big", msg);
	}
	doc->orig = arena_strndup(&doc->a, in->text, in->text_len);
	doc->orig_len = in->text_len;
	return doc->orig ? WARTA_OK : WARTA_ENOMEM;
}

/* A stage's result for doc: a failure makes its record an error record. */
static int S_after(warta_doc *doc, int rc)
{
	if (rc == WARTA_ENOMEM)
		return S_fail(doc, rc, "out-of-memory",
		              "out of memory while processing the article");
	if (rc)
		return doc->error_code ? rc : S_fail(doc, rc, "input", warta_strerror(rc));
	return WARTA_OK;
}

uint64_t clock_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* The articles a batch holds at most: each holds its candidate buffers
 * until the entity rules are done with all of them. */
#define S_BATCH 64

/* Runs the stages over docs[0, n) (n <= S_BATCH), stage by stage; the
 * entity rules run rule by rule over all of them (rules_run_batch). */
static void S_run_batch(warta_doc **docs, int *rc, size_t n, int options)
{
	for (size_t i = 0; i < S_NSTAGES; i++) {
		if (S_stages[i] == rules_run) {
			warta_doc *alive[S_BATCH];
			int arc[S_BATCH];
			size_t m = 0, bytes = 0;
			for (size_t k = 0; k < n; k++)
				if (!rc[k]) {
					alive[m] = docs[k];
					arc[m++] = WARTA_OK;
					bytes += docs[k]->len;
				}
			uint64_t t0 = options & WARTA_OPT_TIMES ? clock_ns() : 0;
			rules_run_batch(alive, m, arc);
			/* one clock for all: each article is charged by its length */
			uint64_t ns = options & WARTA_OPT_TIMES ? clock_ns() - t0 : 0;
			for (size_t k = 0, a = 0; k < n; k++) {
				if (rc[k])
					continue;
				if (bytes)
					docs[k]->stage_ns[i] =
					    (uint64_t)((double)ns * docs[k]->len / (double)bytes);
				rc[k] = S_after(docs[k], arc[a++]);
			}
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			if (rc[k])
				continue;
			uint64_t t0 = options & WARTA_OPT_TIMES ? clock_ns() : 0;
			int r = S_stages[i](docs[k]);
			if (options & WARTA_OPT_TIMES)
				docs[k]->stage_ns[i] = clock_ns() - t0;
			rc[k] = S_after(docs[k], r);
		}
	}
}

int warta_extract_batch(const warta_ruleset *rs, const warta_input *in, size_t n, int options,
                        warta_doc **out, int *rc)
{
	if (!out || !rc)
		return WARTA_EINVAL;
	for (size_t k = 0; k < n; k++)
		out[k] = NULL;
	if (!rs || (n && !in))
		return WARTA_EINVAL;
	for (size_t at = 0; at < n; at += S_BATCH) {
		size_t m = n - at < S_BATCH ? n - at : S_BATCH;
		for (size_t k = at; k < at + m; k++)
			rc[k] = S_begin(rs, &in[k], options, &out[k]);
		S_run_batch(out + at, rc + at, m, options);
	}
	return WARTA_OK;
}

int warta_extract(const warta_ruleset *rs, const warta_input *in, int options, warta_doc **out)
{
	int rc;
	if (!rs || !in) {
		*out = NULL;
		return WARTA_EINVAL;
	}
	warta_extract_batch(rs, in, 1, options, out, &rc);
	return rc;
}

char *warta_doc_json(const warta_doc *doc)
{
	return emit_json_line(doc, NULL);
}

char *warta_extract_json(const warta_ruleset *rs, const warta_input *in)
{
	warta_doc *doc = NULL;
	(void)warta_extract(rs, in, 0, &doc);
	char *s = doc ? warta_doc_json(doc) : NULL;
	warta_doc_free(doc);
	return s;
}

warta_iter warta_iter_entities(const warta_doc *doc)
{
	return (warta_iter){doc, 0, ""};
}

int warta_iter_next(warta_iter *it, warta_entity *e)
{
	const warta_doc *doc = it->doc;
	if (!doc || it->next >= doc->entities.n)
		return 0;
	const entity *en = &doc->entities.v[it->next];
	snprintf(it->idbuf, sizeof it->idbuf, "e%zu", it->next + 1);
	e->id = it->idbuf;
	e->type = etype_name(en->type);
	e->name = en->name;
	e->key = en->key;
	e->mentions = en->nmentions;
	it->next++;
	return 1;
}

void warta_doc_counts(const warta_doc *doc, warta_counts *c)
{
	memset(c, 0, sizeof *c);
	if (!doc || doc->error_code)
		return;
	c->entities = doc->entities.n;
	for (size_t i = 0; i < doc->mentions.n; i++)
		c->mentions += !doc->mentions.v[i].dropped && doc->mentions.v[i].entity >= 0;
	c->dates = doc->dates.n;
	c->numbers = doc->numbers.n;
	c->claims = doc->claims.n;
	for (size_t i = 0; i < doc->warnings.n; i++)
		c->warnings += doc->warnings.v[i].count;
	for (size_t i = 0; i < doc->claims.n; i++) {
		const char *cat = doc->claims.v[i].category ? doc->claims.v[i].category : "other";
		size_t k = 0;
		while (k < c->ncategories && strcmp(c->categories[k].category, cat) != 0)
			k++;
		if (k == c->ncategories) {
			if (k == WARTA_MAX_CATEGORIES)
				continue;
			c->categories[c->ncategories++].category = cat;
		}
		c->categories[k].count++;
	}
}

size_t warta_stage_count(void)
{
	return S_NSTAGES;
}

const char *warta_stage_name(size_t i)
{
	return i < S_NSTAGES ? S_stage_names[i] : NULL;
}

size_t warta_doc_stage_ns(const warta_doc *doc, unsigned long long *ns, size_t n)
{
	for (size_t i = 0; i < n && i < S_NSTAGES; i++)
		ns[i] = doc ? doc->stage_ns[i] : 0;
	return S_NSTAGES;
}
