/* SPDX-License-Identifier: MIT */
/* Renderer "ntriples": the records as N-Triples for a knowledge graph.
 * Input: warta/1 records (the text is not needed: every span carries its own).
 * Output: per article a schema:NewsArticle, per entity a schema.org thing
 * whose IRI derives from its stable "key" (so one entity in many articles is
 * one node), per mention and per claim a node with its provenance. Terms
 * schema.org lacks live in the warta vocabulary (WARTA_VOCAB). Invariants:
 * every literal passes nt_literal and every IRI piece nt_iri_part or S_iri_any,
 * so any input string yields valid N-Triples; one line per triple, streamed.
 */
#include "render_int.h"

#include "warta.h"

#include <stdlib.h>
#include <string.h>

#define RDF_NS    "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define XSD       "http://www.w3.org/2001/XMLSchema#"
#define SCHEMA    "http://schema.org/"
#define WARTA_VOC "https://warta.example/vocab#"
#define DEF_BASE  "https://warta.example/id/"

void nt_literal(rbuf *b, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k = i;
		char esc[8];
		const char *rep = NULL;
		if (c >= 0x80) {
			if (utf8_next(s, n, &i) != 0xFFFD)
				continue;
			rep = "\\uFFFD";
		} else {
			i++;
			switch (c) {
			case '"': rep = "\\\""; break;
			case '\\': rep = "\\\\"; break;
			case '\n': rep = "\\n"; break;
			case '\r': rep = "\\r"; break;
			case '\t': rep = "\\t"; break;
			default:
				if (c < 0x20 || c == 0x7F) {
					snprintf(esc, sizeof esc, "\\u%04X", c);
					rep = esc;
				}
			}
			if (!rep)
				continue;
		}
		rbuf_put(b, s + run, k - run);
		rbuf_puts(b, rep);
		run = i;
	}
	rbuf_put(b, s + run, n - run);
}

static bool S_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '@';
}

void nt_iri_part(rbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (S_unreserved(c))
			rbuf_put(b, s + i, 1);
		else
			rbuf_printf(b, "%%%02X", c);
	}
}

/* Characters N-Triples forbids inside <...>. */
static bool S_iri_bad(unsigned char c)
{
	return c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' ||
	       c == '^' || c == '`' || c == '\\';
}

/* A whole IRI from the input (a URL): forbidden bytes and invalid UTF-8 are
 * percent-encoded, the rest kept. */
static void S_iri_any(rbuf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = i;
		if (c >= 0x80) {
			if (utf8_next(s, n, &i) != 0xFFFD) {
				rbuf_put(b, s + k, i - k);
				continue;
			}
			for (; k < i; k++)
				rbuf_printf(b, "%%%02X", (unsigned char)s[k]);
			continue;
		}
		i++;
		if (S_iri_bad(c))
			rbuf_printf(b, "%%%02X", c);
		else
			rbuf_put(b, s + k, 1);
	}
}

/* ------------------------------------------------------------ triples */

typedef struct nt {
	const char *base;
	rbuf *o;
	const cJSON *ents, *dates;
	const char *aid; /* the article's id */
	rbuf art;        /* "<...article/ID>" */
} nt;

/* Writes <BASE kind/part[/sub/part2]>. */
static void S_node(nt *N, rbuf *o, const char *kind, const char *part, const char *sub,
                   const char *part2)
{
	rbuf_puts(o, "<");
	rbuf_puts(o, N->base);
	rbuf_puts(o, kind);
	rbuf_puts(o, "/");
	nt_iri_part(o, part, strlen(part));
	if (sub) {
		rbuf_printf(o, "/%s/", sub);
		nt_iri_part(o, part2, strlen(part2));
	}
	rbuf_puts(o, ">");
}

static void S_iri_triple(nt *N, const char *s, const char *p, const char *o_iri)
{
	rbuf_printf(N->o, "%s <%s> %s .\n", s, p, o_iri);
}

/* A literal; lang ("id") or datatype (an xsd local name) or neither. */
static void S_lit(nt *N, const char *s, const char *p, const char *v, const char *lang,
                  const char *dt)
{
	if (!v)
		return;
	rbuf_printf(N->o, "%s <%s> \"", s, p);
	nt_literal(N->o, v, strlen(v));
	if (lang)
		rbuf_printf(N->o, "\"@%s .\n", lang);
	else if (dt)
		rbuf_printf(N->o, "\"^^<" XSD "%s> .\n", dt);
	else
		rbuf_puts(N->o, "\" .\n");
}

static void S_int(nt *N, const char *s, const char *p, const cJSON *o, const char *k)
{
	double v;
	char buf[32];
	if (!rj_num(o, k, &v) || v != (double)(long long)v)
		return;
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	S_lit(N, s, p, buf, NULL, "integer");
}

/* xsd:decimal when the shortest form has no exponent, else xsd:double. */
static void S_dec(nt *N, const char *s, const char *p, const cJSON *o, const char *k)
{
	double v;
	char buf[40];
	if (!rj_num(o, k, &v))
		return;
	r_numfmt(v, buf, sizeof buf);
	S_lit(N, s, p, buf, NULL, strchr(buf, 'e') ? "double" : "decimal");
}

static bool S_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The xsd type matching a TIMEX3-style value's precision, or NULL. */
static const char *S_date_type(const char *v)
{
	size_t n = strlen(v);
	if (n < 4 || !S_digits(v, 4))
		return NULL;
	if (n == 4)
		return "gYear";
	if (v[4] != '-' || n < 7 || !S_digits(v + 5, 2))
		return NULL;
	int mo = (v[5] - '0') * 10 + (v[6] - '0');
	if (mo < 1 || mo > 12)
		return NULL;
	if (n == 7)
		return "gYearMonth";
	if (n != 10 || v[7] != '-' || !S_digits(v + 8, 2))
		return NULL;
	int d = (v[8] - '0') * 10 + (v[9] - '0');
	return d >= 1 && d <= 31 ? "date" : NULL;
}

static void S_date(nt *N, const char *s, const char *p, const char *v)
{
	if (v)
		S_lit(N, s, p, v, NULL, S_date_type(v));
}

/* Appends the IRI of entity en; false if it has neither key nor id. */
static bool S_ent_iri(nt *N, rbuf *o, const cJSON *en)
{
	const char *key = rj_str(en, "key"), *id = rj_str(en, "id");
	if (key && *key)
		S_node(N, o, "entity", key, NULL, NULL);
	else if (id) /* no stable key: a node of this article only */
		S_node(N, o, "article", N->aid, "entity", id);
	else
		return false;
	return true;
}

/* A triple whose object is the entity that a claim field points at. */
static void S_ent_ref(nt *N, const char *s, const char *p, const char *ref)
{
	const cJSON *en = rj_by_id(N->ents, ref);
	rbuf iri = {0};
	if (en && S_ent_iri(N, &iri, en))
		S_iri_triple(N, s, p, rbuf_str(&iri));
	rbuf_free(&iri);
}

static const char *S_class(const char *type)
{
	static const char *const map[][2] = {{"PERSON", SCHEMA "Person"},
	                                     {"COUNTRY", SCHEMA "Country"},
	                                     {"AGENCY", SCHEMA "GovernmentOrganization"},
	                                     {"ORGANIZATION", SCHEMA "Organization"},
	                                     {"LOCATION", SCHEMA "Place"}};
	for (size_t i = 0; type && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(type, map[i][0]) == 0)
			return map[i][1];
	return SCHEMA "Thing";
}

/* kb "iso3166:KP" → warta:iso3166 "KP"; "wikidata:Q42" → schema:sameAs. */
static void S_kb(nt *N, const char *s, const char *kb)
{
	S_lit(N, s, WARTA_VOC "kb", kb, NULL, NULL);
	const char *colon = strchr(kb, ':');
	if (!colon || !colon[1])
		return;
	size_t pl = (size_t)(colon - kb);
	if (pl == 7 && strncmp(kb, "iso3166", 7) == 0)
		S_lit(N, s, WARTA_VOC "iso3166", colon + 1, NULL, NULL);
	else if (pl == 8 && strncmp(kb, "wikidata", 8) == 0) {
		rbuf iri = {0};
		rbuf_puts(&iri, "<http://www.wikidata.org/entity/");
		nt_iri_part(&iri, colon + 1, strlen(colon + 1));
		rbuf_puts(&iri, ">");
		S_iri_triple(N, s, SCHEMA "sameAs", rbuf_str(&iri));
		rbuf_free(&iri);
	}
}

/* ------------------------------------------------------------ record */

static void S_entity(nt *N, const cJSON *en, int *mention_no)
{
	rbuf e = {0}, m = {0};
	if (!S_ent_iri(N, &e, en)) {
		rbuf_free(&e);
		return;
	}
	const char *E = rbuf_str(&e), *type = rj_str(en, "type"), *kb = rj_str(en, "kb");
	S_iri_triple(N, rbuf_str(&N->art), SCHEMA "mentions", E);
	rbuf_printf(&m, "<%s>", S_class(type));
	S_iri_triple(N, E, RDF_NS "type", rbuf_str(&m));
	S_lit(N, E, SCHEMA "name", rj_str(en, "name"), "id", NULL);
	S_lit(N, E, WARTA_VOC "entityType", type, NULL, NULL);
	S_lit(N, E, WARTA_VOC "key", rj_str(en, "key"), NULL, NULL);
	if (kb)
		S_kb(N, E, kb);
	const cJSON *ms = rj_arr(en, "mentions"), *x;
	char no[24];
	if (ms)
		cJSON_ArrayForEach(x, ms)
		{
			m.n = 0;
			snprintf(no, sizeof no, "%d", ++*mention_no);
			S_node(N, &m, "article", N->aid, "mention", no);
			const char *M = rbuf_str(&m);
			S_iri_triple(N, M, RDF_NS "type", "<" WARTA_VOC "Mention>");
			S_iri_triple(N, M, WARTA_VOC "entity", E);
			S_iri_triple(N, M, WARTA_VOC "article", rbuf_str(&N->art));
			S_int(N, M, WARTA_VOC "start", x, "start");
			S_int(N, M, WARTA_VOC "end", x, "end");
			S_lit(N, M, WARTA_VOC "text", rj_str(x, "text"), "id", NULL);
			S_lit(N, M, WARTA_VOC "zone", rj_str(x, "zone"), NULL, NULL);
			S_lit(N, M, WARTA_VOC "rule", rj_str(x, "rule"), NULL, NULL);
		}
	if (e.oom || m.oom)
		N->o->oom = true;
	rbuf_free(&e);
	rbuf_free(&m);
}

static void S_claim(nt *N, const cJSON *c)
{
	const char *cid = rj_str(c, "id");
	if (!cid)
		return;
	rbuf cb = {0}, pb = {0};
	S_node(N, &cb, "article", N->aid, "claim", cid);
	const char *C = rbuf_str(&cb);
	S_iri_triple(N, C, RDF_NS "type", "<" WARTA_VOC "Claim>");
	S_iri_triple(N, C, WARTA_VOC "article", rbuf_str(&N->art));
	S_dec(N, C, WARTA_VOC "value", c, "value");
	S_dec(N, C, WARTA_VOC "low", c, "low");
	S_dec(N, C, WARTA_VOC "high", c, "high");
	const cJSON *ap = cJSON_GetObjectItemCaseSensitive(c, "approx");
	if (cJSON_IsBool(ap))
		S_lit(N, C, WARTA_VOC "approx", cJSON_IsTrue(ap) ? "true" : "false", NULL,
		      "boolean");
	S_lit(N, C, WARTA_VOC "qualifier", rj_str(c, "qualifier"), NULL, NULL);
	S_lit(N, C, WARTA_VOC "unit", rj_str(c, "unit"), "id", NULL);
	S_lit(N, C, WARTA_VOC "currency", rj_str(c, "currency"), NULL, NULL);
	S_lit(N, C, WARTA_VOC "category", rj_str(c, "category"), NULL, NULL);
	S_lit(N, C, WARTA_VOC "predicate", rj_str(c, "predicate"), "id", NULL);
	S_ent_ref(N, C, WARTA_VOC "subject", rj_str(c, "subject"));
	S_ent_ref(N, C, WARTA_VOC "source", rj_str(c, "source"));
	S_lit(N, C, WARTA_VOC "hedge", rj_str(c, "hedge"), "id", NULL);
	const cJSON *d = rj_by_id(N->dates, rj_str(c, "date"));
	if (d)
		S_date(N, C, WARTA_VOC "date", rj_str(d, "value"));
	S_ent_ref(N, C, WARTA_VOC "place", rj_str(c, "place"));
	const char *part = rj_str(c, "partitive_of");
	if (part) {
		S_node(N, &pb, "article", N->aid, "claim", part);
		S_iri_triple(N, C, WARTA_VOC "partOf", rbuf_str(&pb));
	}
	S_int(N, C, WARTA_VOC "sentence", c, "sentence");
	S_int(N, C, WARTA_VOC "start", c, "start");
	S_int(N, C, WARTA_VOC "end", c, "end");
	S_lit(N, C, WARTA_VOC "text", rj_str(c, "text"), "id", NULL);
	S_lit(N, C, WARTA_VOC "zone", rj_str(c, "zone"), NULL, NULL);
	S_lit(N, C, WARTA_VOC "rule", rj_str(c, "rule"), NULL, NULL);
	if (cb.oom || pb.oom)
		N->o->oom = true;
	rbuf_free(&cb);
	rbuf_free(&pb);
}

typedef struct nt_st {
	rbuf out;
} nt_st;

static int S_record(render *r, const cJSON *rec, const rtext *t)
{
	(void)t;
	nt_st *st = r->st;
	const char *aid = rj_str(rec, "id");
	char fallback[32];
	if (!aid) { /* an id is what makes the article's IRI: number it instead */
		snprintf(fallback, sizeof fallback, "record-%zu", r->nrec + 1);
		aid = fallback;
	}
	st->out.n = 0;
	st->out.oom = false;
	nt N = {r->base_iri, &st->out, rj_arr(rec, "entities"), rj_arr(rec, "dates"), aid, {0}};
	S_node(&N, &N.art, "article", aid, NULL, NULL);
	const char *A = rbuf_str(&N.art);
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(rec, "meta"), *x;
	S_iri_triple(&N, A, RDF_NS "type", "<" SCHEMA "NewsArticle>");
	S_lit(&N, A, SCHEMA "identifier", aid, NULL, NULL);
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(rec, "error");
	if (err) {
		S_lit(&N, A, WARTA_VOC "errorCode", rj_str(err, "code"), NULL, NULL);
		S_lit(&N, A, WARTA_VOC "errorMessage", rj_str(err, "message"), NULL, NULL);
	} else {
		S_lit(&N, A, SCHEMA "headline", rj_str(meta, "title"), "id", NULL);
		const char *url = rj_str(meta, "url");
		if (url && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0)) {
			rbuf u = {0};
			rbuf_puts(&u, "<");
			S_iri_any(&u, url);
			rbuf_puts(&u, ">");
			S_iri_triple(&N, A, SCHEMA "url", rbuf_str(&u));
			rbuf_free(&u);
		}
		S_date(&N, A, SCHEMA "datePublished", rj_str(meta, "published"));
		S_lit(&N, A, WARTA_VOC "site", rj_str(meta, "source"), NULL, NULL);
		const cJSON *dl = cJSON_GetObjectItemCaseSensitive(meta, "dateline");
		S_lit(&N, A, WARTA_VOC "datelinePlace", rj_str(dl, "place"), NULL, NULL);
		S_lit(&N, A, WARTA_VOC "datelineOutlet", rj_str(dl, "outlet"), NULL, NULL);
		int mention_no = 0;
		if (N.ents)
			cJSON_ArrayForEach(x, N.ents) S_entity(&N, x, &mention_no);
		const cJSON *cl = rj_arr(rec, "claims");
		if (cl)
			cJSON_ArrayForEach(x, cl) S_claim(&N, x);
	}
	int rc = st->out.oom || N.art.oom ? WARTA_ENOMEM : 0;
	rbuf_free(&N.art);
	if (!rc && st->out.n && fwrite(st->out.p, 1, st->out.n, r->out) != st->out.n)
		rc = WARTA_EIO;
	return rc;
}

/* A base IRI must be absolute (a scheme) and hold nothing N-Triples forbids;
 * one that does not end a path segment gets a '/'. */
static int S_open(render *r)
{
	const char *b = r->base_iri ? r->base_iri : DEF_BASE;
	size_t n = strlen(b), i = 0;
	if (!n || !((b[0] >= 'A' && b[0] <= 'Z') || (b[0] >= 'a' && b[0] <= 'z')))
		return WARTA_EINVAL;
	while (i < n && b[i] != ':') {
		char c = b[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '-' || c == '.'))
			return WARTA_EINVAL;
		i++;
	}
	if (i == n)
		return WARTA_EINVAL;
	for (i = 0; i < n; i++)
		if (S_iri_bad((unsigned char)b[i]))
			return WARTA_EINVAL;
	char last = b[n - 1];
	char *own = malloc(n + 2);
	nt_st *st = calloc(1, sizeof *st);
	if (!own || !st) {
		free(own);
		free(st);
		return WARTA_ENOMEM;
	}
	memcpy(own, b, n + 1);
	if (last != '/' && last != '#' && last != ':')
		memcpy(own + n, "/", 2);
	free(r->base_iri);
	r->base_iri = own;
	r->st = st;
	return 0;
}

static int S_close(render *r)
{
	nt_st *st = r->st;
	if (st)
		rbuf_free(&st->out);
	free(st);
	r->st = NULL;
	return 0;
}

const render_ops render_ntriples_ops = {"ntriples", false, S_open, S_record, S_close};
