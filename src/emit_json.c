/* SPDX-License-Identifier: MIT */
/* Stage 11: the warta/1 record as a cJSON tree. Every other renderer (HTML,
 * RDF, annotation tools) reads this tree, so there is one truth about what
 * was found. Offsets become code points of the original text here, and only
 * here (doc_cp). Ids: entities e1.., dates d1.., claims c1.., in document order.
 */
#include "internal.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* cJSON_Add* return NULL when out of memory; the tree is then checked once at
 * the end (any failure leaves a hole, and we give up the whole record). */
typedef struct emit {
	const warta_doc *doc;
	bool oom;
	uint32_t *cp2b; /* byte offset in the original of each code point, or NULL */
	uint32_t ncp;
} emit;

static cJSON *S_str(emit *E, cJSON *o, const char *k, const char *v)
{
	cJSON *x = v ? cJSON_AddStringToObject(o, k, v) : cJSON_AddNullToObject(o, k);
	if (!x)
		E->oom = true;
	return x;
}

static void S_strn(emit *E, cJSON *o, const char *k, const char *v, size_t n)
{
	char stack[256];
	char *buf = n < sizeof stack ? stack : cJSON_malloc(n + 1);
	if (!buf) {
		E->oom = true;
		return;
	}
	memcpy(buf, v, n);
	buf[n] = '\0';
	S_str(E, o, k, buf);
	if (buf != stack)
		cJSON_free(buf);
}

static void S_num(emit *E, cJSON *o, const char *k, double v)
{
	if (!(isnan(v) ? cJSON_AddNullToObject(o, k) : cJSON_AddNumberToObject(o, k, v)))
		E->oom = true;
}

static void S_bool(emit *E, cJSON *o, const char *k, bool v)
{
	if (!cJSON_AddBoolToObject(o, k, v))
		E->oom = true;
}

static void S_ref(emit *E, cJSON *o, const char *k, char prefix, int idx)
{
	char id[24];
	if (idx < 0) {
		S_str(E, o, k, NULL);
		return;
	}
	snprintf(id, sizeof id, "%c%d", prefix, idx + 1);
	S_str(E, o, k, id);
}

/* "rules/person.rules:30" or "gazetteers/people.tsv:12". */
static void S_rule(emit *E, cJSON *o, const rule *r, const gz_entry *g)
{
	char ref[512];
	if (r)
		snprintf(ref, sizeof ref, "%s:%d", r->file, r->line);
	else if (g)
		snprintf(ref, sizeof ref, "%s:%d", g->file, g->line);
	else {
		S_str(E, o, "rule", NULL);
		return;
	}
	S_str(E, o, "rule", ref);
}

/* Builds the code point -> byte table of the original, decoding as normalize
 * does: a valid sequence is one code point, each invalid byte is one. */
static bool S_cp_table(emit *E)
{
	const warta_doc *doc = E->doc;
	const unsigned char *p = (const unsigned char *)doc->orig;
	size_t n = doc->orig_len;
	E->cp2b = cJSON_malloc((n + 1) * sizeof(uint32_t));
	if (!E->cp2b)
		return false;
	uint32_t k = 0;
	for (size_t i = 0; i < n;) {
		E->cp2b[k++] = (uint32_t)i;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
		i += len > 0 ? (size_t)len : 1;
	}
	E->cp2b[k] = (uint32_t)n;
	E->ncp = k;
	return true;
}

/* Adds start, end and text of a byte span, as code points of the original;
 * the text is the original's characters, so text[start:end] holds. */
static void S_span(emit *E, cJSON *o, uint32_t s, uint32_t e)
{
	const warta_doc *doc = E->doc;
	uint32_t cs = doc_cp(doc, s), ce = doc_cp(doc, e);
	S_num(E, o, "start", cs);
	S_num(E, o, "end", ce);
	if (!doc->map) {
		S_strn(E, o, "text", doc->orig + cs, ce - cs);
		return;
	}
	if (!E->cp2b && !S_cp_table(E)) {
		E->oom = true;
		return;
	}
	if (ce > E->ncp)
		ce = E->ncp;
	if (cs > ce)
		cs = ce;
	S_strn(E, o, "text", doc->orig + E->cp2b[cs], E->cp2b[ce] - E->cp2b[cs]);
}

static cJSON *S_error_record(emit *E)
{
	const warta_doc *doc = E->doc;
	cJSON *rec = cJSON_CreateObject();
	if (!rec)
		return NULL;
	S_str(E, rec, "schema", WARTA_SCHEMA);
	S_str(E, rec, "id", doc->id);
	cJSON *err = cJSON_AddObjectToObject(rec, "error");
	if (!err) {
		cJSON_Delete(rec);
		return NULL;
	}
	S_str(E, err, "code", doc->error_name ? doc->error_name : "error");
	S_str(E, err, "message", doc->error_msg ? doc->error_msg : warta_strerror(doc->error_code));
	return rec;
}

static void S_meta(emit *E, cJSON *rec)
{
	const warta_doc *doc = E->doc;
	cJSON *meta = cJSON_AddObjectToObject(rec, "meta");
	if (!meta) {
		E->oom = true;
		return;
	}
	if (doc->in_title)
		S_str(E, meta, "title", doc->in_title);
	else if (doc->title_zone >= 0) {
		const zone *z = &doc->zones.v[doc->title_zone];
		S_strn(E, meta, "title", doc->text + z->start, z->end - z->start);
	} else
		S_str(E, meta, "title", NULL);
	S_str(E, meta, "source", doc->source);
	S_str(E, meta, "url", doc->url);
	S_str(E, meta, "published", doc->published);
	S_str(E, meta, "published_from", doc->published_from);
	if (doc->dateline_place || doc->dateline_outlet) {
		cJSON *dl = cJSON_AddObjectToObject(meta, "dateline");
		if (!dl)
			E->oom = true;
		else {
			S_str(E, dl, "place", doc->dateline_place);
			S_str(E, dl, "outlet", doc->dateline_outlet);
		}
	} else
		S_str(E, meta, "dateline", NULL);
}

static cJSON *S_array(emit *E, cJSON *rec, const char *k)
{
	cJSON *a = cJSON_AddArrayToObject(rec, k);
	if (!a)
		E->oom = true;
	return a;
}

static cJSON *S_item(emit *E, cJSON *arr)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !arr || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		E->oom = true;
		return NULL;
	}
	return o;
}

static void S_mention(emit *E, cJSON *arr, const mention *m, bool lost)
{
	cJSON *o = S_item(E, arr);
	if (!o)
		return;
	S_span(E, o, m->start, m->end);
	S_str(E, o, "zone", zone_name(m->zone));
	S_rule(E, o, m->rule, m->entry);
	if (lost) {
		S_str(E, o, "type", etype_name(m->type));
		S_str(E, o, "name", m->name);
		S_str(E, o, "lost", m->why ? m->why : "overlap");
	}
}

static void S_entities(emit *E, cJSON *rec)
{
	const warta_doc *doc = E->doc;
	cJSON *arr = S_array(E, rec, "entities");
	for (size_t i = 0; arr && i < doc->entities.n; i++) {
		const entity *en = &doc->entities.v[i];
		cJSON *o = S_item(E, arr);
		if (!o)
			return;
		S_ref(E, o, "id", 'e', (int)i);
		S_str(E, o, "type", etype_name(en->type));
		S_str(E, o, "name", en->name);
		S_str(E, o, "kb", en->kb);
		S_str(E, o, "key", en->key);
		if (en->related)
			S_bool(E, o, "related", true);
		cJSON *ms = S_array(E, o, "mentions");
		for (size_t k = 0; ms && k < doc->mentions.n; k++) {
			const mention *m = &doc->mentions.v[k];
			if (!m->dropped && m->entity == (int)i)
				S_mention(E, ms, m, false);
		}
	}
	if (doc->options & WARTA_OPT_TRACE) {
		cJSON *lost = S_array(E, rec, "lost");
		for (size_t k = 0; lost && k < doc->mentions.n; k++)
			if (doc->mentions.v[k].dropped)
				S_mention(E, lost, &doc->mentions.v[k], true);
	}
}

static void S_dates(emit *E, cJSON *rec)
{
	const warta_doc *doc = E->doc;
	cJSON *arr = S_array(E, rec, "dates");
	for (size_t i = 0; arr && i < doc->dates.n; i++) {
		const date *d = &doc->dates.v[i];
		cJSON *o = S_item(E, arr);
		if (!o)
			return;
		S_ref(E, o, "id", 'd', (int)i);
		S_span(E, o, d->start, d->end);
		S_str(E, o, "value", d->value[0] ? d->value : NULL);
		S_str(E, o, "type", d->type ? d->type : "DATE");
		S_bool(E, o, "relative", d->relative);
		S_num(E, o, "sentence", d->sent);
		S_str(E, o, "zone", zone_name(d->zone));
		S_rule(E, o, d->rule, NULL);
	}
}

static const char *const S_quals[] = {NULL, "approx", "lower", "upper", "range"};

static void S_claims(emit *E, cJSON *rec)
{
	const warta_doc *doc = E->doc;
	cJSON *arr = S_array(E, rec, "claims");
	for (size_t i = 0; arr && i < doc->claims.n; i++) {
		const claim *c = &doc->claims.v[i];
		const number *nb = &doc->numbers.v[c->number];
		cJSON *o = S_item(E, arr);
		if (!o)
			return;
		S_ref(E, o, "id", 'c', (int)i);
		S_span(E, o, c->start, c->end);
		S_num(E, o, "value", nb->value);
		S_num(E, o, "low", nb->low);
		S_num(E, o, "high", nb->high);
		S_bool(E, o, "approx", nb->approx);
		S_str(E, o, "qualifier", S_quals[nb->qual]);
		S_str(E, o, "unit", c->unit);
		S_str(E, o, "currency", nb->currency);
		S_str(E, o, "category", c->category);
		S_ref(E, o, "subject", 'e', c->subject);
		S_str(E, o, "predicate", c->predicate);
		S_ref(E, o, "source", 'e', c->source);
		S_str(E, o, "hedge", c->hedge);
		S_ref(E, o, "date", 'd', c->date);
		S_ref(E, o, "place", 'e', c->place);
		S_ref(E, o, "partitive_of", 'c', c->partitive ? c->partitive_of : -1);
		S_num(E, o, "sentence", c->sent);
		S_str(E, o, "zone", zone_name(c->zone));
		if (c->rule)
			S_rule(E, o, c->rule, NULL);
		else
			S_str(E, o, "rule", c->rule_ref);
	}
}

static void S_numbers(emit *E, cJSON *rec)
{
	/* Quantities that no claim took: still facts a reader may want. */
	const warta_doc *doc = E->doc;
	cJSON *arr = S_array(E, rec, "numbers");
	for (size_t i = 0; arr && i < doc->numbers.n; i++) {
		const number *nb = &doc->numbers.v[i];
		if (nb->used)
			continue;
		cJSON *o = S_item(E, arr);
		if (!o)
			return;
		S_span(E, o, nb->start, nb->end);
		S_num(E, o, "value", nb->value);
		S_num(E, o, "low", nb->low);
		S_num(E, o, "high", nb->high);
		S_bool(E, o, "approx", nb->approx);
		S_str(E, o, "qualifier", S_quals[nb->qual]);
		S_str(E, o, "currency", nb->currency);
		S_bool(E, o, "percent", nb->percent);
		S_str(E, o, "zone", zone_name(nb->zone));
		S_rule(E, o, nb->rule, NULL);
	}
}

static void S_zones(emit *E, cJSON *rec)
{
	const warta_doc *doc = E->doc;
	cJSON *arr = S_array(E, rec, "zones");
	for (size_t i = 0; arr && i < doc->zones.n; i++) {
		const zone *z = &doc->zones.v[i];
		cJSON *o = S_item(E, arr);
		if (!o)
			return;
		S_str(E, o, "type", zone_name(z->type));
		S_num(E, o, "start", doc_cp(doc, z->start));
		S_num(E, o, "end", doc_cp(doc, z->end));
		if (z->rule)
			S_rule(E, o, z->rule, NULL);
	}
}

static void S_warnings(emit *E, cJSON *rec)
{
	const warta_doc *doc = E->doc;
	cJSON *arr = S_array(E, rec, "warnings");
	for (size_t i = 0; arr && i < doc->warnings.n; i++) {
		const warning *w = &doc->warnings.v[i];
		cJSON *o = S_item(E, arr);
		if (!o)
			return;
		S_str(E, o, "code", w->code);
		S_num(E, o, "count", w->count);
		if (w->detail)
			S_str(E, o, "detail", w->detail);
	}
}

cJSON *emit_record(const warta_doc *doc)
{
	emit E = {doc, false, NULL, 0};
	if (doc->error_code)
		return S_error_record(&E);
	cJSON *rec = cJSON_CreateObject();
	if (!rec)
		return NULL;
	S_str(&E, rec, "schema", WARTA_SCHEMA);
	S_str(&E, rec, "id", doc->id);
	S_meta(&E, rec);
	S_entities(&E, rec);
	S_dates(&E, rec);
	S_claims(&E, rec);
	S_numbers(&E, rec);
	S_zones(&E, rec);
	S_warnings(&E, rec);
	cJSON_free(E.cp2b);
	if (E.oom) {
		cJSON_Delete(rec);
		return NULL;
	}
	return rec;
}
