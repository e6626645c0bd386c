/* SPDX-License-Identifier: MIT */
/* `warta eval`: score the current rules and lists against gold annotations.
 *
 * Reads gold in the formats analysts produce (CoNLL BIO, ENAMEX, brat
 * standoff, Label Studio exports, warta JSONL with "gold"), runs the
 * extraction in-process on each document's text, and reports precision,
 * recall and F1 per label (exact span and overlap), date and claim value
 * accuracy, every error with the rule behind it, and the difference from a
 * saved run. Span matching and text reconstruction follow
 * ../shared/tools/scorecard exactly, so both give the same figures.
 */
#include "cli.h"
#include "warta.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAXLAB 16

/* ------------------------------------------------------------ strings */

static void *S_xalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p) {
		fputs("warta eval: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

static char *S_dup(const char *s, size_t n)
{
	char *p = S_xalloc(n + 1);
	memcpy(p, s, n);
	return p;
}

static char *S_sdup(const char *s)
{
	return s ? S_dup(s, strlen(s)) : NULL;
}

typedef struct buf {
	char *s;
	size_t n, cap;
} buf;

static void S_put(buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		char *ns = realloc(b->s, b->cap);
		if (!ns) {
			fputs("warta eval: out of memory\n", stderr);
			exit(2);
		}
		b->s = ns;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void S_puts(buf *b, const char *s)
{
	S_put(b, s, strlen(s));
}

/* Code points of a UTF-8 string, counting an invalid byte as one. */
static size_t S_cplen(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* Byte offset of code point cp in s. */
static size_t S_cp2b(const char *s, size_t n, size_t cp)
{
	size_t k = 0, i = 0;
	for (; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (k == cp)
				return i;
			k++;
		}
	return n;
}

/* ------------------------------------------------------------- gold */

typedef struct gspan {
	int start, end; /* code points */
	char label[MAXLAB];
	char *value; /* dates: ISO value or NULL */
	double num, low, high;
	bool has_num, has_low, has_high, approx;
	char *unit, *bound;
	char *text;
} gspan;

typedef struct spans {
	gspan *v;
	size_t n, cap;
} spans;

enum { HAS_ENTS = 1, HAS_DATES = 2, HAS_CLAIMS = 4 };

typedef struct gdoc {
	char *id, *text, *date;
	size_t len; /* bytes */
	int has;
	spans ents, dates, claims;
} gdoc;

typedef struct gfile {
	char *name;
	gdoc *docs;
	size_t n, cap;
} gfile;

typedef struct gold {
	gfile *files;
	size_t n, cap;
	size_t ignored_labels;
} gold;

/* Appends a zeroed element to an array (*v, *n, *cap) and returns it. */
static void *S_push(void *vp, size_t *n, size_t *cap, size_t elem)
{
	void *v; /* the array pointer, read and written by memcpy: any T* */
	memcpy(&v, vp, sizeof v);
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		v = realloc(v, *cap * elem);
		if (!v) {
			fputs("warta eval: out of memory\n", stderr);
			exit(2);
		}
		memcpy(vp, &v, sizeof v);
	}
	void *x = (char *)v + (*n)++ * elem;
	memset(x, 0, elem);
	return x;
}

static gspan *S_span_push(spans *s)
{
	gspan *g = S_push(&s->v, &s->n, &s->cap, sizeof(gspan));
	g->low = g->high = g->num = NAN;
	return g;
}

static gfile *S_file_push(gold *g, const char *name)
{
	gfile *f = S_push(&g->files, &g->n, &g->cap, sizeof(gfile));
	f->name = S_sdup(name);
	return f;
}

static void S_label(char *dst, const char *src, size_t n)
{
	if (n >= MAXLAB)
		n = MAXLAB - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)toupper((unsigned char)src[i]);
	dst[n] = '\0';
}

/* Reads a whole file; NULL with a message on failure. */
static char *S_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "warta eval: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf b = {0};
	char tmp[65536];
	size_t got;
	while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
		S_put(&b, tmp, got);
	fclose(f);
	if (!b.s)
		b.s = S_sdup("");
	*len = b.n;
	return b.s;
}

static const char *S_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Reads the line at data[*at] (without its LF or CRLF) into (ln, n) and
 * moves *at past it; false at the end of the data. */
static bool S_line(const char *data, size_t len, size_t *at, const char **ln, size_t *n)
{
	if (*at >= len)
		return false;
	size_t e = *at;
	while (e < len && data[e] != '\n')
		e++;
	*ln = data + *at;
	*n = e - *at;
	if (*n && (*ln)[*n - 1] == '\r')
		(*n)--;
	*at = e + 1;
	return true;
}

static bool S_blank(const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!isspace((unsigned char)s[k]))
			return false;
	return true;
}

/* CoNLL: the scorecard's detokenisation, so offsets agree. */
static bool S_punct_before(const char *t)
{
	if (!*t)
		return false;
	for (; *t; t++)
		if (!strchr(",.;:?!)]}%", *t))
			return false;
	return true;
}

typedef struct tokbuf {
	char **tok, **tag;
	size_t n, cap;
} tokbuf;

static void S_conll_flush(gfile *f, tokbuf *tb, size_t *nsent)
{
	if (!tb->n)
		return;
	(*nsent)++;
	gdoc *d = S_push(&f->docs, &f->n, &f->cap, sizeof(gdoc));
	char id[512];
	snprintf(id, sizeof id, "%s#%zu", f->name, *nsent);
	d->id = S_sdup(id);
	d->has = HAS_ENTS;
	buf text = {0};
	int *starts = S_xalloc(tb->n * sizeof(int));
	bool glue = true, dq_open = false, sq_open = false;
	size_t cps = 0;
	for (size_t i = 0; i < tb->n; i++) {
		const char *t = tb->tok[i];
		bool opening = false, closing = false;
		if (!strcmp(t, "\"") || !strcmp(t, "'")) {
			bool *open = t[0] == '"' ? &dq_open : &sq_open;
			opening = !*open;
			closing = !opening;
			*open = opening;
		} else if (!strcmp(t, "\u201c") || !strcmp(t, "\u2018"))
			opening = true;
		else if (!strcmp(t, "\u201d") || !strcmp(t, "\u2019"))
			closing = true;
		if (!glue && !closing && !S_punct_before(t)) {
			S_puts(&text, " ");
			cps++;
		}
		starts[i] = (int)cps;
		S_puts(&text, t);
		cps += S_cplen(t, strlen(t));
		glue = !strcmp(t, "(") || !strcmp(t, "[") || !strcmp(t, "{") || opening;
	}
	d->text = text.s ? text.s : S_sdup("");
	d->len = text.n;
	/* BIO spans: I- after O or another type opens one. */
	gspan *cur = NULL;
	for (size_t i = 0; i < tb->n; i++) {
		const char *tag = tb->tag[i];
		if (!*tag || !strcmp(tag, "O")) {
			cur = NULL;
			continue;
		}
		const char *dash = strchr(tag, '-');
		char bio = dash ? tag[0] : 'I';
		const char *typ = dash ? dash + 1 : tag;
		char lab[MAXLAB];
		S_label(lab, typ, strlen(typ));
		int tend = starts[i] + (int)S_cplen(tb->tok[i], strlen(tb->tok[i]));
		if (bio == 'B' || !cur || strcmp(cur->label, lab) != 0) {
			cur = S_span_push(&d->ents);
			memcpy(cur->label, lab, MAXLAB);
			cur->start = starts[i];
		}
		cur->end = tend;
	}
	free(starts);
	for (size_t i = 0; i < tb->n; i++) {
		free(tb->tok[i]);
		free(tb->tag[i]);
	}
	tb->n = 0;
}

static void S_load_conll(gold *g, const char *path, const char *data, size_t len)
{
	gfile *f = S_file_push(g, S_base(path));
	tokbuf tb = {0};
	size_t nsent = 0, i = 0, n;
	const char *ln;
	while (S_line(data, len, &i, &ln, &n)) {
		if (S_blank(ln, n)) {
			S_conll_flush(f, &tb, &nsent);
		} else {
			/* token<TAB>...<TAB>tag, or white-space separated */
			size_t a = 0;
			bool tab = memchr(ln, '\t', n) != NULL;
			while (a < n && !(tab ? ln[a] == '\t' : isspace((unsigned char)ln[a])))
				a++;
			size_t b = n;
			while (b > a && isspace((unsigned char)ln[b - 1]))
				b--;
			size_t c = b;
			while (c > a &&
			       !(tab ? ln[c - 1] == '\t' : isspace((unsigned char)ln[c - 1])))
				c--;
			if (tb.n == tb.cap) {
				tb.cap = tb.cap ? tb.cap * 2 : 64;
				tb.tok = realloc(tb.tok, tb.cap * sizeof(char *));
				tb.tag = realloc(tb.tag, tb.cap * sizeof(char *));
				if (!tb.tok || !tb.tag) {
					fputs("warta eval: out of memory\n", stderr);
					exit(2);
				}
			}
			tb.tok[tb.n] = S_dup(ln, a);
			tb.tag[tb.n] = a < n ? S_dup(ln + c, b - c) : S_sdup("O");
			tb.n++;
		}
	}
	S_conll_flush(f, &tb, &nsent);
	free(tb.tok);
	free(tb.tag);
}

/* ENAMEX: <ENAMEX TYPE="PERSON">...</ENAMEX> inline, optional <TAB>id. */
static void S_load_enamex(gold *g, const char *path, const char *data, size_t len)
{
	gfile *f = S_file_push(g, S_base(path));
	size_t i = 0, lineno = 0, n;
	const char *ln;
	while (S_line(data, len, &i, &ln, &n)) {
		lineno++;
		if (S_blank(ln, n))
			continue;
		const char *tab = memchr(ln, '\t', n), *last_tab = tab;
		while (last_tab && memchr(last_tab + 1, '\t', n - (size_t)(last_tab + 1 - ln)))
			last_tab = memchr(last_tab + 1, '\t', n - (size_t)(last_tab + 1 - ln));
		size_t sn = tab ? (size_t)(tab - ln) : n;
		char id[512];
		if (last_tab) {
			const char *a = last_tab + 1, *b = ln + n;
			while (a < b && isspace((unsigned char)*a))
				a++;
			while (b > a && isspace((unsigned char)b[-1]))
				b--;
			snprintf(id, sizeof id, "%s#%.*s", f->name, (int)(b - a), a);
		} else
			snprintf(id, sizeof id, "%s#%zu", f->name, lineno);
		gdoc *d = S_push(&f->docs, &f->n, &f->cap, sizeof(gdoc));
		d->id = S_sdup(id);
		d->has = HAS_ENTS;
		buf text = {0};
		int stack[32];
		char stype[32][MAXLAB];
		int depth = 0;
		size_t cps = 0, k = 0;
		while (k < sn) {
			if (ln[k] == '<' && !strncmp(ln + k, "<ENAMEX", 7)) {
				const char *gt = memchr(ln + k, '>', sn - k);
				const char *q = memchr(ln + k, '"', sn - k);
				if (!q || (gt && q > gt))
					q = memchr(ln + k, '\'', sn - k);
				if (gt && q && q < gt) {
					const char *q2 = q + 1;
					while (q2 < gt && *q2 != *q)
						q2++;
					if (depth < 32) {
						stack[depth] = (int)cps;
						S_label(stype[depth], q + 1, (size_t)(q2 - q - 1));
					}
					depth++;
					k = (size_t)(gt - ln) + 1;
					continue;
				}
			}
			if (ln[k] == '<' && !strncmp(ln + k, "</ENAMEX", 8)) {
				const char *gt = memchr(ln + k, '>', sn - k);
				if (gt) {
					if (depth > 0 && --depth < 32) {
						/* white space inside a tag's edges is not the
						 * entity */
						size_t s = S_cp2b(text.s ? text.s : "", text.n,
						                  (size_t)stack[depth]);
						size_t en = text.n;
						int cs = stack[depth], ce = (int)cps;
						while (s < en &&
						       isspace((unsigned char)text.s[s])) {
							s++;
							cs++;
						}
						while (en > s &&
						       isspace((unsigned char)text.s[en - 1])) {
							en--;
							ce--;
						}
						if (ce > cs) {
							gspan *sp = S_span_push(&d->ents);
							sp->start = cs;
							sp->end = ce;
							memcpy(sp->label, stype[depth], MAXLAB);
						}
					}
					k = (size_t)(gt - ln) + 1;
					continue;
				}
			}
			S_put(&text, ln + k, 1);
			cps += ((unsigned char)ln[k] & 0xC0) != 0x80;
			k++;
		}
		d->text = text.s ? text.s : S_sdup("");
		d->len = text.n;
	}
}

/* brat: X.ann with X.txt beside it; T lines only. */
static void S_load_brat(gold *g, const char *path, const char *data, size_t len)
{
	char txt[4096];
	snprintf(txt, sizeof txt, "%.*s.txt", (int)(strlen(path) - 4), path);
	size_t tl;
	char *text = S_slurp(txt, &tl);
	if (!text)
		return;
	gfile *f = S_file_push(g, S_base(path));
	gdoc *d = S_push(&f->docs, &f->n, &f->cap, sizeof(gdoc));
	char id[512];
	snprintf(id, sizeof id, "%.*s", (int)(strlen(S_base(path)) - 4), S_base(path));
	d->id = S_sdup(id);
	d->text = text;
	d->len = tl;
	d->has = HAS_ENTS;
	size_t i = 0, n;
	const char *ln;
	while (S_line(data, len, &i, &ln, &n)) {
		char line[4096];
		snprintf(line, sizeof line, "%.*s", (int)n, ln);
		if (line[0] != 'T')
			continue;
		char *t1 = strchr(line, '\t');
		if (!t1)
			continue;
		char lab[64];
		int s, en;
		if (sscanf(t1 + 1, "%63s %d %d", lab, &s, &en) != 3)
			continue;
		/* discontinuous "0 5;8 12": from the first start to the last end */
		char *t2 = strchr(t1 + 1, '\t');
		char *semi = strrchr(t1 + 1, ';');
		if (semi && (!t2 || semi < t2))
			sscanf(semi + 1, "%*d %d", &en);
		gspan *sp;
		if (!strcmp(lab, "DATE") || !strcmp(lab, "TIME")) {
			sp = S_span_push(&d->dates);
			d->has |= HAS_DATES;
		} else
			sp = S_span_push(&d->ents);
		S_label(sp->label, lab, strlen(lab));
		sp->start = s;
		sp->end = en;
	}
}

static double S_num(cJSON *o, const char *k, bool *has)
{
	cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
	*has = cJSON_IsNumber(x);
	return *has ? x->valuedouble : NAN;
}

static const char *S_str(cJSON *o, const char *k)
{
	cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(x) ? x->valuestring : NULL;
}

/* Gives a gold item its start/end: its own when they fit its text, else the
 * k-th occurrence of its text (whole words preferred), as the scorecard does. */
static bool S_locate(const gdoc *d, cJSON *it, int *next_hint, gspan *sp)
{
	const char *t = S_str(it, "text");
	bool hs, he;
	double s = S_num(it, "start", &hs), e = S_num(it, "end", &he);
	size_t ncp = S_cplen(d->text, d->len);
	if (!t || !*t) {
		if (hs && he && s >= 0 && e > s && e <= (double)ncp) {
			sp->start = (int)s;
			sp->end = (int)e;
			return true;
		}
		return false;
	}
	size_t tcp = S_cplen(t, strlen(t));
	if (hs && s >= 0 && s + (double)tcp <= (double)ncp) {
		size_t b = S_cp2b(d->text, d->len, (size_t)s);
		if (b + strlen(t) <= d->len && !memcmp(d->text + b, t, strlen(t))) {
			sp->start = (int)s;
			sp->end = (int)s + (int)tcp;
			return true;
		}
	}
	size_t from = S_cp2b(d->text, d->len, (size_t)*next_hint), tl = strlen(t);
	long first = -1;
	for (size_t p = from; p + tl <= d->len; p++) {
		if (memcmp(d->text + p, t, tl))
			continue;
		if (first < 0)
			first = (long)p;
		bool lb =
		    isalnum((unsigned char)t[0]) && p > 0 && isalnum((unsigned char)d->text[p - 1]);
		bool rb = isalnum((unsigned char)t[tl - 1]) && p + tl < d->len &&
		          isalnum((unsigned char)d->text[p + tl]);
		if (!lb && !rb) {
			first = (long)p;
			break;
		}
	}
	if (first < 0)
		return false;
	sp->start = (int)S_cplen(d->text, (size_t)first);
	sp->end = sp->start + (int)tcp;
	*next_hint = sp->start + 1;
	return true;
}

static void S_gold_items(gdoc *d, cJSON *arr, spans *out, int kind)
{
	/* the k-th item with a text is looked for after the (k-1)-th */
	typedef struct hint {
		const char *t;
		int next;
	} hint;
	hint hints[256];
	size_t nh = 0;
	cJSON *it;
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsObject(it))
			continue;
		const char *t = S_str(it, "text");
		int *nx = NULL;
		for (size_t h = 0; t && h < nh; h++)
			if (!strcmp(hints[h].t, t))
				nx = &hints[h].next;
		if (!nx && t && nh < 256) {
			hints[nh] = (hint){t, 0};
			nx = &hints[nh++].next;
		}
		int dummy = 0;
		gspan tmp;
		memset(&tmp, 0, sizeof tmp);
		if (!S_locate(d, it, nx ? nx : &dummy, &tmp))
			continue;
		if (nx)
			*nx = tmp.start + 1;
		gspan *sp = S_span_push(out);
		sp->start = tmp.start;
		sp->end = tmp.end;
		const char *ty = S_str(it, "type");
		if (!ty)
			ty = S_str(it, "label");
		if (ty)
			S_label(sp->label, ty, strlen(ty));
		else if (kind == HAS_DATES)
			strcpy(sp->label, "DATE");
		sp->text = S_sdup(t);
		cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "value");
		if (cJSON_IsString(v))
			sp->value = S_sdup(v->valuestring);
		sp->num = S_num(it, "value", &sp->has_num);
		sp->low = S_num(it, "low", &sp->has_low);
		sp->high = S_num(it, "high", &sp->has_high);
		sp->approx = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "approx"));
		sp->unit = S_sdup(S_str(it, "unit"));
		sp->bound = S_sdup(S_str(it, "bound"));
	}
}

/* Appends a document with its text, and its id and date from the JSON object
 * o; without an id it is "<file><sep><n>". */
static gdoc *S_new_doc(gfile *f, cJSON *o, char sep, size_t n, const char *text)
{
	gdoc *d = S_push(&f->docs, &f->n, &f->cap, sizeof(gdoc));
	char idb[512];
	const char *id = S_str(o, "id");
	if (!id) {
		snprintf(idb, sizeof idb, "%s%c%zu", f->name, sep, n);
		id = idb;
	}
	d->id = S_sdup(id);
	d->text = S_sdup(text);
	d->len = strlen(text);
	d->date = S_sdup(S_str(o, "date"));
	return d;
}

static void S_load_jsonl(gold *g, const char *path, const char *data, size_t len)
{
	gfile *f = S_file_push(g, S_base(path));
	size_t i = 0, lineno = 0, n;
	const char *ln;
	while (S_line(data, len, &i, &ln, &n)) {
		lineno++;
		size_t k = 0;
		while (k < n && isspace((unsigned char)ln[k]))
			k++;
		if (k == n || ln[k] == '#')
			continue;
		cJSON *o = cJSON_ParseWithLength(ln, n);
		cJSON *tv = o ? cJSON_GetObjectItemCaseSensitive(o, "text") : NULL;
		if (!cJSON_IsString(tv)) {
			fprintf(stderr,
			        "%s:%zu: warning: not a gold record (needs \"text\"), skipped\n",
			        path, lineno);
			cJSON_Delete(o);
			continue;
		}
		gdoc *d = S_new_doc(f, o, ':', lineno, tv->valuestring);
		cJSON *gv = cJSON_GetObjectItemCaseSensitive(o, "gold");
		if (cJSON_IsArray(gv)) { /* a list of TIMEX: the dates set */
			d->has = HAS_DATES;
			S_gold_items(d, gv, &d->dates, HAS_DATES);
		} else if (cJSON_IsObject(gv)) {
			cJSON *x;
			if ((x = cJSON_GetObjectItemCaseSensitive(gv, "entities"))) {
				d->has |= HAS_ENTS;
				S_gold_items(d, x, &d->ents, HAS_ENTS);
			}
			if ((x = cJSON_GetObjectItemCaseSensitive(gv, "dates"))) {
				d->has |= HAS_DATES;
				S_gold_items(d, x, &d->dates, HAS_DATES);
			}
			if ((x = cJSON_GetObjectItemCaseSensitive(gv, "claims"))) {
				d->has |= HAS_CLAIMS;
				S_gold_items(d, x, &d->claims, HAS_CLAIMS);
			}
		}
		cJSON_Delete(o);
	}
}

/* Label Studio export: tasks with data.text and annotations[].result[]. */
static void S_load_labelstudio(gold *g, const char *path, const char *data, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(data, len);
	if (!cJSON_IsArray(root)) {
		fprintf(stderr,
		        "warta eval: %s: not a Label Studio export (a JSON array of tasks)\n",
		        path);
		cJSON_Delete(root);
		return;
	}
	gfile *f = S_file_push(g, S_base(path));
	cJSON *task;
	size_t k = 0;
	cJSON_ArrayForEach(task, root)
	{
		k++;
		cJSON *dat = cJSON_GetObjectItemCaseSensitive(task, "data");
		const char *text = dat ? S_str(dat, "text") : NULL;
		cJSON *anns = cJSON_GetObjectItemCaseSensitive(task, "annotations");
		int na = cJSON_GetArraySize(anns);
		if (!text || na == 0) {
			fprintf(stderr,
			        "warta eval: %s: task %zu has no text or no annotation, skipped\n",
			        path, k);
			continue;
		}
		gdoc *d = S_new_doc(f, dat, '#', k, text);
		d->has = HAS_ENTS;
		/* the last annotation is the analyst's latest word */
		cJSON *res =
		    cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(anns, na - 1), "result");
		cJSON *r;
		cJSON_ArrayForEach(r, res)
		{
			cJSON *v = cJSON_GetObjectItemCaseSensitive(r, "value");
			cJSON *labs = v ? cJSON_GetObjectItemCaseSensitive(v, "labels") : NULL;
			bool hs, he;
			double s = S_num(v, "start", &hs), e = S_num(v, "end", &he);
			if (!cJSON_IsArray(labs) || !hs || !he)
				continue;
			const char *lab = cJSON_GetStringValue(cJSON_GetArrayItem(labs, 0));
			if (!lab)
				continue;
			gspan *sp;
			if (!strcmp(lab, "DATE") || !strcmp(lab, "TIME")) {
				sp = S_span_push(&d->dates);
				d->has |= HAS_DATES;
			} else if (!strcmp(lab, "CLAIM")) {
				sp = S_span_push(&d->claims);
				d->has |= HAS_CLAIMS;
			} else
				sp = S_span_push(&d->ents);
			S_label(sp->label, lab, strlen(lab));
			sp->start = (int)s;
			sp->end = (int)e;
		}
	}
	cJSON_Delete(root);
}

static int S_ends(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int S_cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads a gold file, or every gold file of a folder (sorted). */
static int S_load(gold *g, const char *path, bool top)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "warta eval: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *dp = opendir(path);
		if (!dp) {
			fprintf(stderr, "warta eval: cannot open folder %s: %s\n", path,
			        strerror(errno));
			return -1;
		}
		char **names = NULL;
		size_t n = 0, cap = 0;
		struct dirent *de;
		while ((de = readdir(dp))) {
			if (de->d_name[0] == '.')
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				names = realloc(names, cap * sizeof(char *));
				if (!names)
					exit(2);
			}
			names[n++] = S_sdup(de->d_name);
		}
		closedir(dp);
		qsort(names, n, sizeof(char *), S_cmpstr);
		int rc = 0;
		for (size_t i = 0; i < n; i++) {
			char child[4096];
			snprintf(child, sizeof child, "%s/%s", path, names[i]);
			if (S_load(g, child, false))
				rc = -1;
			free(names[i]);
		}
		free(names);
		return rc;
	}
	void (*loader)(gold *, const char *, const char *, size_t) = NULL;
	if (S_ends(path, ".conll") || S_ends(path, ".bio") || S_ends(path, ".iob"))
		loader = S_load_conll;
	else if (S_ends(path, ".enamex"))
		loader = S_load_enamex;
	else if (S_ends(path, ".ann"))
		loader = S_load_brat;
	else if (S_ends(path, ".jsonl"))
		loader = S_load_jsonl;
	else if (S_ends(path, ".json"))
		loader = S_load_labelstudio;
	if (!loader) {
		if (top) {
			fprintf(stderr,
			        "warta eval: %s: unknown gold format (use .conll/.bio, .enamex, "
			        ".ann with "
			        ".txt, Label Studio .json, or warta .jsonl)\n",
			        path);
			return -1;
		}
		return 0; /* a .txt beside an .ann, a README ... */
	}
	size_t len;
	char *data = S_slurp(path, &len);
	if (!data)
		return -1;
	loader(g, path, data, len);
	free(data);
	return 0;
}

/* ------------------------------------------------------------ labels */

typedef struct labmap {
	char gold[16][MAXLAB];    /* scoring labels */
	char pred[16][8][MAXLAB]; /* warta types per label */
	int npred[16];
	int n;
	bool custom;
} labmap;

static void S_map_default(labmap *m)
{
	static const char *const def[][3] = {{"PER", "PERSON", NULL},
	                                     {"LOC", "COUNTRY", "LOCATION"},
	                                     {"ORG", "AGENCY", "ORGANIZATION"}};
	memset(m, 0, sizeof *m);
	for (int i = 0; i < 3; i++) {
		strcpy(m->gold[i], def[i][0]);
		for (int k = 1; k < 3 && def[i][k]; k++)
			strcpy(m->pred[i][m->npred[i]++], def[i][k]);
	}
	m->n = 3;
}

/* --map PER=PERSON,LOC=COUNTRY|LOCATION,... */
static int S_map_parse(labmap *m, const char *spec)
{
	memset(m, 0, sizeof *m);
	m->custom = true;
	const char *p = spec;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		if (!eq || eq == p || m->n >= 16)
			return -1;
		S_label(m->gold[m->n], p, (size_t)(eq - p));
		const char *q = eq + 1, *end = p + n;
		while (q < end) {
			const char *bar = memchr(q, '|', (size_t)(end - q));
			size_t k = bar ? (size_t)(bar - q) : (size_t)(end - q);
			if (!k || m->npred[m->n] >= 8)
				return -1;
			S_label(m->pred[m->n][m->npred[m->n]++], q, k);
			q += k + (bar ? 1 : 0);
		}
		if (!m->npred[m->n])
			return -1;
		m->n++;
		p += n + (comma ? 1 : 0);
	}
	return m->n ? 0 : -1;
}

/* The scoring label of a gold label, or -1 (ignored). */
static int S_gold_label(const labmap *m, const char *lab)
{
	static const char *const alias[][2] = {{"PERSON", "PER"},       {"LOCATION", "LOC"},
	                                       {"ORGANIZATION", "ORG"}, {"ORGANISATION", "ORG"},
	                                       {"COUNTRY", "LOC"},      {"AGENCY", "ORG"},
	                                       {"GPE", "LOC"}};
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->gold[i], lab))
			return i;
	if (!m->custom)
		for (size_t a = 0; a < sizeof alias / sizeof *alias; a++)
			if (!strcmp(alias[a][0], lab))
				return S_gold_label(m, alias[a][1]);
	return -1;
}

static int S_pred_label(const labmap *m, const char *type)
{
	for (int i = 0; i < m->n; i++)
		for (int k = 0; k < m->npred[i]; k++)
			if (!strcmp(m->pred[i][k], type))
				return i;
	return -1;
}

/* ----------------------------------------------------------- matching */

typedef struct item {
	int start, end, label;
	cJSON *obj; /* prediction object, or NULL */
	const gspan *g;
} item;

typedef struct cand {
	int notexact, negov, dist, gi, pi;
} cand;

static int S_cand_cmp(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->notexact != y->notexact)
		return x->notexact - y->notexact;
	if (x->negov != y->negov)
		return x->negov - y->negov;
	if (x->dist != y->dist)
		return x->dist - y->dist;
	if (x->gi != y->gi)
		return x->gi - y->gi;
	return x->pi - y->pi;
}

/* One-to-one matching of overlapping spans (the scorecard's: exact pairs
 * first, then larger overlap, then nearer ends). Fills gm[gi] = pi or -1 and
 * pm[pi] = gi or -1; returns the number of pairs. */
static int S_match(const item *g, int ng, const item *p, int np, bool typed, int *gm, int *pm)
{
	cand *c = S_xalloc(((size_t)ng * (size_t)np + 1) * sizeof(cand));
	int nc = 0;
	for (int i = 0; i < ng; i++)
		for (int j = 0; j < np; j++) {
			if (typed && g[i].label != p[j].label)
				continue;
			int ov = (g[i].end < p[j].end ? g[i].end : p[j].end) -
			         (g[i].start > p[j].start ? g[i].start : p[j].start);
			if (ov <= 0)
				continue;
			bool exact = g[i].start == p[j].start && g[i].end == p[j].end;
			c[nc++] =
			    (cand){!exact, -ov,
			           abs(g[i].start - p[j].start) + abs(g[i].end - p[j].end), i, j};
		}
	qsort(c, (size_t)nc, sizeof(cand), S_cand_cmp);
	for (int i = 0; i < ng; i++)
		gm[i] = -1;
	for (int j = 0; j < np; j++)
		pm[j] = -1;
	int pairs = 0;
	for (int k = 0; k < nc; k++)
		if (gm[c[k].gi] < 0 && pm[c[k].pi] < 0) {
			gm[c[k].gi] = c[k].pi;
			pm[c[k].pi] = c[k].gi;
			pairs++;
		}
	free(c);
	return pairs;
}

/* ------------------------------------------------------------ tallies */

typedef struct counts {
	long gold, pred, tp, otp;
} counts;

typedef struct tally {
	counts lab[16];
	long dgold, dpred, dtp, dval, dnval, dneutral;
	long cgold, cpred, ctp, cval, cunit, capprox, cbound;
	int ndocs;
	int has; /* HAS_* of the documents seen */
} tally;

typedef struct err {
	char *file, *id, *kind, *label, *text, *note;
	int start, end;
} err;

typedef struct errs {
	err *v;
	size_t n, cap;
} errs;

static void S_err(errs *E, const char *file, const char *id, const char *kind, const char *label,
                  int s, int e, const char *text, size_t tlen, const char *note)
{
	if (!E)
		return;
	err *x = S_push(&E->v, &E->n, &E->cap, sizeof(err));
	x->file = S_sdup(file);
	x->id = S_sdup(id);
	x->kind = S_sdup(kind);
	x->label = S_sdup(label);
	x->text = S_dup(text, tlen);
	x->note = S_sdup(note ? note : "");
	x->start = s;
	x->end = e;
}

static const char *S_rule_of(cJSON *o)
{
	const char *r = S_str(o, "rule");
	return r ? r : "?";
}

/* Dedupes identical (start, end, label) items, as the scorecard's sets do. */
static int S_dedupe(item *v, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		bool dup = false;
		for (int j = 0; j < k && !dup; j++)
			dup = v[j].start == v[i].start && v[j].end == v[i].end &&
			      v[j].label == v[i].label;
		if (!dup)
			v[k++] = v[i];
	}
	return k;
}

static bool S_close(double a, double b)
{
	return a == b || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

typedef struct ectx {
	const labmap *map;
	tally *t;
	errs *E;
	const char *file;
} ectx;

static void S_text_of(const gdoc *d, int s, int e, const char **p, size_t *n)
{
	size_t a = S_cp2b(d->text, d->len, (size_t)s), b = S_cp2b(d->text, d->len, (size_t)e);
	*p = d->text + a;
	*n = b - a;
}

static void S_score_entities(ectx *X, const gdoc *d, cJSON *rec)
{
	const labmap *m = X->map;
	item *g = S_xalloc((d->ents.n + 1) * sizeof(item));
	int ng = 0;
	for (size_t i = 0; i < d->ents.n; i++) {
		int l = S_gold_label(m, d->ents.v[i].label);
		if (l < 0)
			continue;
		g[ng++] = (item){d->ents.v[i].start, d->ents.v[i].end, l, NULL, &d->ents.v[i]};
	}
	ng = S_dedupe(g, ng);
	size_t cap = 16;
	int np = 0;
	item *p = S_xalloc(cap * sizeof(item));
	cJSON *ent;
	cJSON_ArrayForEach(ent, cJSON_GetObjectItemCaseSensitive(rec, "entities"))
	{
		const char *ty = S_str(ent, "type");
		int l = ty ? S_pred_label(m, ty) : -1;
		if (l < 0)
			continue;
		cJSON *mn;
		cJSON_ArrayForEach(mn, cJSON_GetObjectItemCaseSensitive(ent, "mentions"))
		{
			bool hs, he;
			double s = S_num(mn, "start", &hs), e = S_num(mn, "end", &he);
			if (!hs || !he)
				continue;
			if ((size_t)np == cap) {
				cap *= 2;
				p = realloc(p, cap * sizeof(item));
				if (!p)
					exit(2);
			}
			p[np++] = (item){(int)s, (int)e, l, mn, NULL};
		}
	}
	np = S_dedupe(p, np);
	for (int l = 0; l < m->n; l++) {
		/* per label, as the scorecard counts */
		item *gl = S_xalloc(((size_t)ng + 1) * sizeof(item)),
		     *pl = S_xalloc(((size_t)np + 1) * sizeof(item));
		int a = 0, b = 0;
		for (int i = 0; i < ng; i++)
			if (g[i].label == l)
				gl[a++] = g[i];
		for (int j = 0; j < np; j++)
			if (p[j].label == l)
				pl[b++] = p[j];
		int *gm = S_xalloc(((size_t)a + 1) * sizeof(int)),
		    *pm = S_xalloc(((size_t)b + 1) * sizeof(int));
		int exact = 0;
		for (int i = 0; i < a; i++)
			for (int j = 0; j < b; j++)
				exact += gl[i].start == pl[j].start && gl[i].end == pl[j].end;
		int ov = S_match(gl, a, pl, b, true, gm, pm);
		counts *c = &X->t->lab[l];
		c->gold += a;
		c->pred += b;
		c->tp += exact;
		c->otp += ov;
		for (int i = 0; i < a; i++) {
			bool ex = false;
			for (int j = 0; j < b; j++)
				ex |= gl[i].start == pl[j].start && gl[i].end == pl[j].end;
			if (ex)
				continue;
			const char *tp;
			size_t tn;
			S_text_of(d, gl[i].start, gl[i].end, &tp, &tn);
			/* the closest candidate: an overlapping prediction of any
			 * label, or one that lost an overlap (--trace's "lost") */
			char note[600] = "";
			for (int j = 0; j < np && !note[0]; j++)
				if (p[j].start < gl[i].end && gl[i].start < p[j].end)
					snprintf(note, sizeof note, "closest: %s [%d,%d) by %s",
					         m->gold[p[j].label], p[j].start, p[j].end,
					         S_rule_of(p[j].obj));
			cJSON *lost;
			cJSON_ArrayForEach(lost, cJSON_GetObjectItemCaseSensitive(rec, "lost"))
			{
				bool hs, he;
				double s = S_num(lost, "start", &hs), e = S_num(lost, "end", &he);
				if (note[0] || !hs || !he || s >= gl[i].end || gl[i].start >= e)
					continue;
				snprintf(note, sizeof note, "lost candidate: %s [%d,%d) by %s: %s",
				         S_str(lost, "type") ? S_str(lost, "type") : "?", (int)s,
				         (int)e, S_rule_of(lost),
				         S_str(lost, "lost") ? S_str(lost, "lost") : "");
			}
			S_err(X->E, X->file, d->id, "FN", m->gold[l], gl[i].start, gl[i].end, tp,
			      tn, note[0] ? note : "no candidate");
		}
		for (int j = 0; j < b; j++) {
			bool ex = false;
			for (int i = 0; i < a; i++)
				ex |= gl[i].start == pl[j].start && gl[i].end == pl[j].end;
			if (ex)
				continue;
			const char *tp;
			size_t tn;
			S_text_of(d, pl[j].start, pl[j].end, &tp, &tn);
			char note[600];
			snprintf(note, sizeof note, "by %s%s", S_rule_of(pl[j].obj),
			         pm[j] >= 0 ? " (overlaps a gold span)" : "");
			S_err(X->E, X->file, d->id, "FP", m->gold[l], pl[j].start, pl[j].end, tp,
			      tn, note);
		}
		free(gl);
		free(pl);
		free(gm);
		free(pm);
	}
	free(g);
	free(p);
}

static int S_pred_items(cJSON *rec, const char *key, item **out)
{
	size_t cap = 8;
	int n = 0;
	item *v = S_xalloc(cap * sizeof(item));
	cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(rec, key))
	{
		bool hs, he;
		double s = S_num(it, "start", &hs), e = S_num(it, "end", &he);
		if (!hs || !he || e <= s)
			continue;
		if ((size_t)n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof(item));
			if (!v)
				exit(2);
		}
		v[n++] = (item){(int)s, (int)e, 0, it, NULL};
	}
	*out = v;
	return n;
}

static void S_score_dates(ectx *X, const gdoc *d, cJSON *rec)
{
	item *g = S_xalloc((d->dates.n + 1) * sizeof(item)),
	     *o = S_xalloc((d->dates.n + 1) * sizeof(item));
	int ng = 0, no = 0;
	for (size_t i = 0; i < d->dates.n; i++) {
		const gspan *s = &d->dates.v[i];
		bool scored =
		    !s->label[0] || !strcmp(s->label, "DATE") || !strcmp(s->label, "TIME");
		item it = {s->start, s->end, 0, NULL, s};
		if (scored)
			g[ng++] = it;
		else
			o[no++] = it;
	}
	item *p;
	int np = S_pred_items(rec, "dates", &p);
	int *gm = S_xalloc(((size_t)ng + 1) * sizeof(int)),
	    *pm = S_xalloc(((size_t)np + 1) * sizeof(int));
	int pairs = S_match(g, ng, p, np, false, gm, pm);
	tally *t = X->t;
	int fp = 0;
	for (int j = 0; j < np; j++) {
		if (pm[j] >= 0)
			continue;
		bool neutral = false;
		for (int k = 0; k < no && !neutral; k++)
			neutral = p[j].start < o[k].end && o[k].start < p[j].end;
		if (neutral) {
			t->dneutral++;
			continue;
		}
		fp++;
		const char *tp;
		size_t tn;
		S_text_of(d, p[j].start, p[j].end, &tp, &tn);
		char note[300];
		snprintf(note, sizeof note, "pred %s by %s",
		         S_str(p[j].obj, "value") ? S_str(p[j].obj, "value") : "null",
		         S_rule_of(p[j].obj));
		S_err(X->E, X->file, d->id, "FP", "DATE", p[j].start, p[j].end, tp, tn, note);
	}
	t->dgold += ng;
	t->dpred += pairs + fp;
	t->dtp += pairs;
	for (int i = 0; i < ng; i++) {
		const char *tp;
		size_t tn;
		const char *gv = g[i].g->value;
		if (gm[i] < 0) {
			S_text_of(d, g[i].start, g[i].end, &tp, &tn);
			char note[300];
			snprintf(note, sizeof note, "gold %s", gv ? gv : "null");
			S_err(X->E, X->file, d->id, "FN", "DATE", g[i].start, g[i].end, tp, tn,
			      note);
			continue;
		}
		if (!gv)
			continue;
		cJSON *po = p[gm[i]].obj;
		const char *pv = S_str(po, "value");
		t->dnval++;
		if (pv && !strcmp(pv, gv)) {
			t->dval++;
			continue;
		}
		S_text_of(d, p[gm[i]].start, p[gm[i]].end, &tp, &tn);
		char note[300];
		snprintf(note, sizeof note, "gold %s pred %s by %s", gv, pv ? pv : "null",
		         S_rule_of(po));
		S_err(X->E, X->file, d->id, "VALUE", "DATE", p[gm[i]].start, p[gm[i]].end, tp, tn,
		      note);
	}
	free(g);
	free(o);
	free(p);
	free(gm);
	free(pm);
}

static const char *S_pred_bound(cJSON *p)
{
	cJSON *b = cJSON_GetObjectItemCaseSensitive(p, "bound");
	if (b)
		return cJSON_IsString(b) && *b->valuestring ? b->valuestring : NULL;
	bool hl = cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(p, "low"));
	bool hh = cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(p, "high"));
	return hh && !hl ? "at_most" : hl && !hh ? "at_least" : NULL;
}

/* Case-insensitive (ASCII) substring test. */
static bool S_icontains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t k = 0;
		while (k < n && hay[k] &&
		       tolower((unsigned char)hay[k]) == tolower((unsigned char)needle[k]))
			k++;
		if (k == n)
			return true;
	}
	return n == 0;
}

static bool S_unit_ok(const char *g, const char *p)
{
	if (!g || !*g)
		return !p || !*p;
	if (!p || !*p)
		return false;
	return S_icontains(p, g) || S_icontains(g, p);
}

static void S_score_claims(ectx *X, const gdoc *d, cJSON *rec)
{
	item *g = S_xalloc((d->claims.n + 1) * sizeof(item));
	int ng = 0;
	for (size_t i = 0; i < d->claims.n; i++)
		g[ng++] =
		    (item){d->claims.v[i].start, d->claims.v[i].end, 0, NULL, &d->claims.v[i]};
	item *p;
	int np = S_pred_items(rec, "claims", &p);
	int *gm = S_xalloc(((size_t)ng + 1) * sizeof(int)),
	    *pm = S_xalloc(((size_t)np + 1) * sizeof(int));
	int pairs = S_match(g, ng, p, np, false, gm, pm);
	tally *t = X->t;
	t->cgold += ng;
	t->cpred += np;
	t->ctp += pairs;
	for (int i = 0; i < ng; i++) {
		const gspan *gs = g[i].g;
		const char *tp;
		size_t tn;
		if (gm[i] < 0) {
			S_text_of(d, g[i].start, g[i].end, &tp, &tn);
			S_err(X->E, X->file, d->id, "FN", "CLAIM", g[i].start, g[i].end, tp, tn,
			      "");
			continue;
		}
		cJSON *po = p[gm[i]].obj;
		bool hv, hl, hh;
		double pv = S_num(po, "value", &hv), pl = S_num(po, "low", &hl),
		       ph = S_num(po, "high", &hh);
		bool vok = gs->has_low && gs->has_high
		               ? hl && hh && S_close(pl, gs->low) && S_close(ph, gs->high)
		               : hv && gs->has_num && S_close(pv, gs->num);
		t->cval += vok;
		t->cunit += S_unit_ok(gs->unit, S_str(po, "unit"));
		t->capprox +=
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(po, "approx")) == gs->approx;
		const char *pb = S_pred_bound(po);
		t->cbound += (pb == NULL && (gs->bound == NULL || !*gs->bound)) ||
		             (pb && gs->bound && !strcmp(pb, gs->bound));
		if (!vok) {
			S_text_of(d, p[gm[i]].start, p[gm[i]].end, &tp, &tn);
			char note[200];
			snprintf(note, sizeof note, "gold value %g pred %g", gs->num, pv);
			S_err(X->E, X->file, d->id, "VALUE", "CLAIM", p[gm[i]].start, p[gm[i]].end,
			      tp, tn, note);
		}
	}
	for (int j = 0; j < np; j++)
		if (pm[j] < 0) {
			const char *tp;
			size_t tn;
			S_text_of(d, p[j].start, p[j].end, &tp, &tn);
			char note[300];
			snprintf(note, sizeof note, "by %s", S_rule_of(p[j].obj));
			S_err(X->E, X->file, d->id, "FP", "CLAIM", p[j].start, p[j].end, tp, tn,
			      note);
		}
	free(g);
	free(p);
	free(gm);
	free(pm);
}

/* ------------------------------------------------------------- report */

typedef struct prf {
	double p, r, f;
} prf;

static prf S_prf(long tp, long pred, long gold)
{
	prf x = {pred ? (double)tp / (double)pred : 0, gold ? (double)tp / (double)gold : 0, 0};
	x.f = x.p + x.r > 0 ? 2 * x.p * x.r / (x.p + x.r) : 0;
	return x;
}

static cJSON *S_counts_json(const counts *c)
{
	cJSON *o = cJSON_CreateObject();
	prf e = S_prf(c->tp, c->pred, c->gold), v = S_prf(c->otp, c->pred, c->gold);
	cJSON_AddNumberToObject(o, "gold", (double)c->gold);
	cJSON_AddNumberToObject(o, "pred", (double)c->pred);
	cJSON_AddNumberToObject(o, "tp", (double)c->tp);
	cJSON_AddNumberToObject(o, "p", e.p);
	cJSON_AddNumberToObject(o, "r", e.r);
	cJSON_AddNumberToObject(o, "f1", e.f);
	cJSON_AddNumberToObject(o, "overlap_tp", (double)c->otp);
	cJSON_AddNumberToObject(o, "overlap_f1", v.f);
	return o;
}

static void S_row(const char *name, const char *lab, const counts *c)
{
	prf e = S_prf(c->tp, c->pred, c->gold), v = S_prf(c->otp, c->pred, c->gold);
	printf("%-22.22s %-5s %6ld %6ld %6ld %6.3f %6.3f %6.3f | %6.3f\n", name, lab, c->gold,
	       c->pred, c->tp, e.p, e.r, e.f, v.f);
}

static bool S_has_ents(const tally *t, const labmap *m)
{
	(void)m;
	return (t->has & HAS_ENTS) != 0;
}

static void S_table(const char *name, const tally *t, const labmap *m, cJSON *json)
{
	counts all = {0, 0, 0, 0};
	cJSON *types = cJSON_AddObjectToObject(json, "types");
	for (int l = 0; l < m->n; l++) {
		const counts *c = &t->lab[l];
		all.gold += c->gold;
		all.pred += c->pred;
		all.tp += c->tp;
		all.otp += c->otp;
		cJSON_AddItemToObject(types, m->gold[l], S_counts_json(c));
	}
	cJSON_AddItemToObject(json, "micro", S_counts_json(&all));
	if (S_has_ents(t, m)) {
		for (int l = 0; l < m->n; l++)
			S_row(l == 0 ? name : "", m->gold[l], &t->lab[l]);
		S_row("", "all", &all);
	}
	if (t->has & HAS_DATES) {
		prf d = S_prf(t->dtp, t->dpred, t->dgold);
		double acc = t->dnval ? (double)t->dval / (double)t->dnval : 0;
		printf("%-22.22s %-5s %6ld %6ld %6ld %6.3f %6.3f %6.3f | value %.3f (%ld/%ld)\n",
		       S_has_ents(t, m) ? "" : name, "DATE", t->dgold, t->dpred, t->dtp, d.p, d.r,
		       d.f, acc, t->dval, t->dnval);
		cJSON *o = cJSON_AddObjectToObject(json, "dates");
		cJSON_AddNumberToObject(o, "gold", (double)t->dgold);
		cJSON_AddNumberToObject(o, "pred", (double)t->dpred);
		cJSON_AddNumberToObject(o, "tp", (double)t->dtp);
		cJSON_AddNumberToObject(o, "p", d.p);
		cJSON_AddNumberToObject(o, "r", d.r);
		cJSON_AddNumberToObject(o, "f1", d.f);
		cJSON_AddNumberToObject(o, "value_accuracy", acc);
		cJSON_AddNumberToObject(o, "neutral", (double)t->dneutral);
	}
	if (t->has & HAS_CLAIMS) {
		prf c = S_prf(t->ctp, t->cpred, t->cgold);
		double tp = t->ctp ? (double)t->ctp : 1;
		printf(
		    "%-22.22s %-5s %6ld %6ld %6ld %6.3f %6.3f %6.3f | value %.3f unit %.3f approx "
		    "%.3f bound %.3f\n",
		    (S_has_ents(t, m) || (t->has & HAS_DATES)) ? "" : name, "CLAIM", t->cgold,
		    t->cpred, t->ctp, c.p, c.r, c.f, (double)t->cval / tp, (double)t->cunit / tp,
		    (double)t->capprox / tp, (double)t->cbound / tp);
		cJSON *o = cJSON_AddObjectToObject(json, "claims");
		cJSON_AddNumberToObject(o, "gold", (double)t->cgold);
		cJSON_AddNumberToObject(o, "pred", (double)t->cpred);
		cJSON_AddNumberToObject(o, "tp", (double)t->ctp);
		cJSON_AddNumberToObject(o, "p", c.p);
		cJSON_AddNumberToObject(o, "r", c.r);
		cJSON_AddNumberToObject(o, "f1", c.f);
		cJSON_AddNumberToObject(o, "value_accuracy", (double)t->cval / tp);
		cJSON_AddNumberToObject(o, "unit_accuracy", (double)t->cunit / tp);
	}
}

static void S_add(tally *a, const tally *b)
{
	for (int l = 0; l < 16; l++) {
		a->lab[l].gold += b->lab[l].gold;
		a->lab[l].pred += b->lab[l].pred;
		a->lab[l].tp += b->lab[l].tp;
		a->lab[l].otp += b->lab[l].otp;
	}
	a->dgold += b->dgold;
	a->dpred += b->dpred;
	a->dtp += b->dtp;
	a->dval += b->dval;
	a->dnval += b->dnval;
	a->dneutral += b->dneutral;
	a->cgold += b->cgold;
	a->cpred += b->cpred;
	a->ctp += b->ctp;
	a->cval += b->cval;
	a->cunit += b->cunit;
	a->capprox += b->capprox;
	a->cbound += b->cbound;
	a->ndocs += b->ndocs;
	a->has |= b->has;
}

static cJSON *S_err_json(const err *x)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "file", x->file);
	cJSON_AddStringToObject(o, "id", x->id);
	cJSON_AddStringToObject(o, "kind", x->kind);
	cJSON_AddStringToObject(o, "label", x->label);
	cJSON_AddNumberToObject(o, "start", x->start);
	cJSON_AddNumberToObject(o, "end", x->end);
	cJSON_AddStringToObject(o, "text", x->text);
	cJSON_AddStringToObject(o, "note", x->note);
	return o;
}

static void S_print_err(const char *mark, const err *x)
{
	printf("%s%-5s %-5s %s [%d,%d) \"%s\"  %s\n", mark, x->kind, x->label, x->id, x->start,
	       x->end, x->text, x->note);
}

/* Compares figures and errors with a saved run (--json of an earlier eval). */
static int S_diff(const char *path, cJSON *now, const errs *E)
{
	size_t len;
	char *data = S_slurp(path, &len);
	if (!data)
		return -1;
	cJSON *base = cJSON_ParseWithLength(data, len);
	free(data);
	if (!base) {
		fprintf(stderr, "warta eval: %s is not a saved eval (JSON)\n", path);
		return -1;
	}
	printf("\n== compared with %s\n", path);
	cJSON *bt = cJSON_GetObjectItemCaseSensitive(base, "total");
	cJSON *nt = cJSON_GetObjectItemCaseSensitive(now, "total");
	cJSON *nty = cJSON_GetObjectItemCaseSensitive(nt, "types"), *x;
	cJSON_ArrayForEach(x, nty)
	{
		cJSON *b = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(bt, "types"), x->string);
		double nf = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "f1"));
		double bf = b ? cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "f1")) : 0;
		printf("%-5s F1 %.3f -> %.3f (%+.3f)\n", x->string, bf, nf, nf - bf);
	}
	static const char *const sub[][2] = {{"micro", "f1"},
	                                     {"dates", "f1"},
	                                     {"dates", "value_accuracy"},
	                                     {"claims", "f1"},
	                                     {"claims", "value_accuracy"}};
	for (size_t k = 0; k < sizeof sub / sizeof *sub; k++) {
		cJSON *n = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(nt, sub[k][0]), sub[k][1]);
		cJSON *b = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(bt, sub[k][0]), sub[k][1]);
		if (cJSON_IsNumber(n) || cJSON_IsNumber(b))
			printf("%s %s %.3f -> %.3f (%+.3f)\n", sub[k][0], sub[k][1],
			       cJSON_IsNumber(b) ? b->valuedouble : 0,
			       cJSON_IsNumber(n) ? n->valuedouble : 0,
			       (cJSON_IsNumber(n) ? n->valuedouble : 0) -
			           (cJSON_IsNumber(b) ? b->valuedouble : 0));
	}
	/* errors: fixed (in the baseline, gone now) and new */
	cJSON *be = cJSON_GetObjectItemCaseSensitive(base, "errors");
	size_t fixed = 0, added = 0;
	cJSON *e;
	cJSON_ArrayForEach(e, be)
	{
		bool still = false;
		for (size_t i = 0; i < E->n && !still; i++)
			still =
			    !strcmp(E->v[i].id, S_str(e, "id") ? S_str(e, "id") : "") &&
			    !strcmp(E->v[i].kind, S_str(e, "kind") ? S_str(e, "kind") : "") &&
			    !strcmp(E->v[i].label, S_str(e, "label") ? S_str(e, "label") : "") &&
			    E->v[i].start ==
			        (int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "start")) &&
			    E->v[i].end == (int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "end"));
		if (!still) {
			fixed++;
			printf("fixed %-5s %-5s %s [%d,%d) \"%s\"\n", S_str(e, "kind"),
			       S_str(e, "label"), S_str(e, "id"),
			       (int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "start")),
			       (int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "end")),
			       S_str(e, "text"));
		}
	}
	for (size_t i = 0; i < E->n; i++) {
		bool old = false;
		cJSON_ArrayForEach(e, be)
		{
			if (old)
				break;
			old =
			    !strcmp(E->v[i].id, S_str(e, "id") ? S_str(e, "id") : "") &&
			    !strcmp(E->v[i].kind, S_str(e, "kind") ? S_str(e, "kind") : "") &&
			    !strcmp(E->v[i].label, S_str(e, "label") ? S_str(e, "label") : "") &&
			    E->v[i].start ==
			        (int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "start")) &&
			    E->v[i].end == (int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "end"));
		}
		if (!old) {
			added++;
			S_print_err("new   ", &E->v[i]);
		}
	}
	printf("%zu errors fixed, %zu new\n", fixed, added);
	cJSON_Delete(base);
	return 0;
}

/* -------------------------------------------------------------- main */

static const char S_usage[] =
    "usage: warta eval [options] GOLD...\n"
    "\n"
    "Runs the extraction on gold-annotated documents and reports precision, recall\n"
    "and F1 per label (exact span, and overlap), date and claim value accuracy.\n"
    "GOLD is a file or a folder of them:\n"
    "  .conll .bio .iob   CoNLL BIO (token ... tag per line, blank line between sentences)\n"
    "  .enamex            sentences with inline <ENAMEX TYPE=\"...\">...</ENAMEX> tags\n"
    "  .ann (+ .txt)      brat standoff (T lines)\n"
    "  .json              Label Studio export (tasks with data.text and annotations)\n"
    "  .jsonl             warta gold: "
    "{\"id\",\"text\",\"date\",\"gold\":{\"entities\",\"dates\",\"claims\"}}\n"
    "                     or \"gold\": [TIMEX spans] for dates\n"
    "\n"
    "options:\n"
    "  --data DIR        rules and lists to evaluate (as for extract)\n"
    "  --map SPEC        gold labels to warta types, e.g.\n"
    "                    PER=PERSON,LOC=COUNTRY|LOCATION,ORG=AGENCY|ORGANIZATION (the default)\n"
    "  --errors          list every false positive and negative with the rule behind it\n"
    "  --json FILE       save the figures and errors (a baseline for --diff)\n"
    "  --diff FILE       compare with a saved run: figures and errors fixed or new\n"
    "  -h, --help        this text\n";

int cli_eval(int argc, char **argv, warta_ruleset *(*load)(const char *data, int *rc))
{
	const char *data = NULL, *json_out = NULL, *diff = NULL;
	bool show_errors = false;
	labmap map;
	S_map_default(&map);
	gold G = {0};
	int rc = 0;
	const char **paths = S_xalloc(((size_t)argc + 1) * sizeof(char *));
	size_t npaths = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(S_usage, stdout);
			free(paths);
			return 0;
		} else if (!strcmp(a, "--data") && i + 1 < argc)
			data = argv[++i];
		else if (!strcmp(a, "--map") && i + 1 < argc) {
			if (S_map_parse(&map, argv[++i])) {
				fprintf(stderr,
				        "warta eval: --map takes LABEL=TYPE|TYPE,..., not '%s'\n",
				        argv[i]);
				free(paths);
				return 2;
			}
		} else if (!strcmp(a, "--errors"))
			show_errors = true;
		else if (!strcmp(a, "--json") && i + 1 < argc)
			json_out = argv[++i];
		else if (!strcmp(a, "--diff") && i + 1 < argc)
			diff = argv[++i];
		else if (a[0] == '-' && a[1]) {
			fprintf(stderr,
			        "warta eval: unknown option '%s'\nTry 'warta eval --help'.\n", a);
			free(paths);
			return 2;
		} else
			paths[npaths++] = a;
	}
	if (!npaths) {
		fputs("warta eval: no gold file given\nTry 'warta eval --help'.\n", stderr);
		free(paths);
		return 2;
	}
	for (size_t i = 0; i < npaths; i++)
		if (S_load(&G, paths[i], true))
			rc = 2;
	free(paths);
	if (rc)
		return rc;
	int lrc = 0;
	warta_ruleset *rs = load(data, &lrc);
	if (!rs)
		return lrc;
	errs E = {0};
	tally total;
	memset(&total, 0, sizeof total);
	cJSON *json = cJSON_CreateObject();
	cJSON *jfiles = cJSON_AddObjectToObject(json, "files");
	printf("%-22s %-5s %6s %6s %6s %6s %6s %6s | %6s\n", "file", "label", "gold", "pred", "tp",
	       "P", "R", "F1", "ovl F1");
	for (size_t f = 0; f < G.n; f++) {
		gfile *gf = &G.files[f];
		tally t;
		memset(&t, 0, sizeof t);
		ectx X = {&map, &t, &E, gf->name};
		for (size_t k = 0; k < gf->n; k++) {
			gdoc *d = &gf->docs[k];
			warta_input in = {0};
			in.id = d->id;
			in.id_len = strlen(d->id);
			in.text = d->text;
			in.text_len = d->len;
			if (d->date) {
				in.date = d->date;
				in.date_len = strlen(d->date);
			}
			warta_doc *doc = NULL;
			(void)warta_extract(rs, &in, WARTA_OPT_TRACE, &doc);
			char *js = doc ? warta_doc_json(doc) : NULL;
			warta_doc_free(doc);
			cJSON *rec = js ? cJSON_Parse(js) : NULL;
			free(js);
			if (!rec)
				rec = cJSON_CreateObject();
			if (d->has & HAS_ENTS)
				S_score_entities(&X, d, rec);
			if (d->has & HAS_DATES)
				S_score_dates(&X, d, rec);
			if (d->has & HAS_CLAIMS)
				S_score_claims(&X, d, rec);
			t.ndocs++;
			t.has |= d->has;
			cJSON_Delete(rec);
		}
		cJSON *jf = cJSON_AddObjectToObject(jfiles, gf->name);
		cJSON_AddNumberToObject(jf, "docs", t.ndocs);
		S_table(gf->name, &t, &map, jf);
		S_add(&total, &t);
	}
	cJSON *jt = cJSON_AddObjectToObject(json, "total");
	cJSON_AddNumberToObject(jt, "docs", total.ndocs);
	if (G.n > 1)
		S_table("ALL FILES", &total, &map, jt);
	else {
		/* one file: "total" is that file's figures, printed once */
		cJSON *dup =
		    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(jfiles, G.files[0].name), 1);
		cJSON_ReplaceItemInObjectCaseSensitive(json, "total", dup);
	}
	cJSON *jerr = cJSON_AddArrayToObject(json, "errors");
	for (size_t i = 0; i < E.n; i++)
		cJSON_AddItemToArray(jerr, S_err_json(&E.v[i]));
	if (show_errors) {
		printf("\n== errors (%zu)\n", E.n);
		for (size_t i = 0; i < E.n; i++)
			S_print_err("", &E.v[i]);
	}
	if (diff && S_diff(diff, json, &E))
		rc = 2;
	if (json_out) {
		char *s = cJSON_Print(json);
		FILE *f = fopen(json_out, "w");
		if (!f || !s || fputs(s, f) == EOF || fclose(f) != 0) {
			fprintf(stderr, "warta eval: cannot write %s: %s\n", json_out,
			        strerror(errno));
			rc = 2;
		}
		free(s);
	}
	cJSON_Delete(json);
	for (size_t i = 0; i < E.n; i++) {
		free(E.v[i].file);
		free(E.v[i].id);
		free(E.v[i].kind);
		free(E.v[i].label);
		free(E.v[i].text);
		free(E.v[i].note);
	}
	free(E.v);
	for (size_t f = 0; f < G.n; f++) {
		for (size_t k = 0; k < G.files[f].n; k++) {
			gdoc *d = &G.files[f].docs[k];
			spans *all[] = {&d->ents, &d->dates, &d->claims};
			for (int s = 0; s < 3; s++) {
				for (size_t j = 0; j < all[s]->n; j++) {
					free(all[s]->v[j].value);
					free(all[s]->v[j].unit);
					free(all[s]->v[j].bound);
					free(all[s]->v[j].text);
				}
				free(all[s]->v);
			}
			free(d->id);
			free(d->text);
			free(d->date);
		}
		free(G.files[f].docs);
		free(G.files[f].name);
	}
	free(G.files);
	warta_ruleset_free(rs);
	return rc;
}
