/* SPDX-License-Identifier: MIT */
/* Renderer "brat": brat standoff annotations. Input: warta/1 records and the
 * articles' texts. Output: per article T lines (mentions by entity type,
 * DATE, CLAIM) with an AnnotatorNotes line (#) naming the canonical entity,
 * value and rule. With out_dir: DIR/<name>.txt (the text as warta counts it)
 * and DIR/<name>.ann, plus annotation.conf and visual.conf when absent;
 * without it: every .ann on the stream after a "# <id>" line. Offsets are
 * code points; a span across a line end becomes fragments ("0 5;6 11"), as
 * brat itself writes it, since an .ann line cannot hold a line break.
 */
#include "render_int.h"

#include "warta.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct brat_st {
	char **names; /* file names used in this run (open addressing) */
	size_t cap, used;
} brat_st;

static uint32_t S_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static bool S_seen(brat_st *B, const char *name)
{
	if (!B->cap)
		return false;
	for (size_t i = S_hash(name) & (B->cap - 1);; i = (i + 1) & (B->cap - 1)) {
		if (!B->names[i])
			return false;
		if (strcmp(B->names[i], name) == 0)
			return true;
	}
}

static int S_remember(brat_st *B, const char *name)
{
	if ((B->used + 1) * 2 > B->cap) {
		size_t cap = B->cap ? B->cap * 2 : 64;
		char **nv = calloc(cap, sizeof *nv);
		if (!nv)
			return WARTA_ENOMEM;
		for (size_t i = 0; i < B->cap; i++) {
			if (!B->names[i])
				continue;
			size_t j = S_hash(B->names[i]) & (cap - 1);
			while (nv[j])
				j = (j + 1) & (cap - 1);
			nv[j] = B->names[i];
		}
		free(B->names);
		B->names = nv;
		B->cap = cap;
	}
	size_t n = strlen(name) + 1;
	char *d = malloc(n);
	if (!d)
		return WARTA_ENOMEM;
	memcpy(d, name, n);
	size_t i = S_hash(name) & (B->cap - 1);
	while (B->names[i])
		i = (i + 1) & (B->cap - 1);
	B->names[i] = d;
	B->used++;
	return 0;
}

/* A file name for an id: [A-Za-z0-9._-] kept, the rest '_', at most 100
 * bytes, no leading dot; a changed name gets the id's hash so that different
 * ids stay different files, and a name used before in this run a counter. */
static int S_file_name(brat_st *B, const char *id, char *out, size_t cap)
{
	char base[128];
	size_t n = 0;
	bool changed = !id || !*id;
	for (const char *p = id ? id : ""; *p && n < 100; p++) {
		char c = *p;
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		          (c >= '0' && c <= '9') || c == '-' || c == '_' || (c == '.' && n > 0);
		base[n++] = ok ? c : '_';
		changed |= !ok;
	}
	if (id && strlen(id) > 100)
		changed = true;
	base[n] = '\0';
	if (changed)
		snprintf(base + n, sizeof base - n, "%s%08x", n ? "-" : "article-",
		         S_hash(id ? id : ""));
	snprintf(out, cap, "%s", base);
	for (int k = 2; S_seen(B, out); k++)
		snprintf(out, cap, "%s-%d", base, k);
	return S_remember(B, out);
}

/* A note or type without tabs and line ends. */
static void S_flat(rbuf *o, const char *s)
{
	for (; s && *s; s++)
		rbuf_put(o, (*s == '\t' || *s == '\n' || *s == '\r') ? " " : s, 1);
}

static void S_type(rbuf *o, const char *t)
{
	if (!t || !*t)
		t = "ENTITY";
	for (; *t; t++) {
		char c = *t;
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		          (c >= '0' && c <= '9') || c == '-' || c == '_';
		rbuf_put(o, ok ? t : "_", 1);
	}
}

static bool S_break(const rtext *t, size_t i)
{
	char c = t->s[t->off[i]];
	return c == '\n' || c == '\r';
}

/* Writes "Tn\tTYPE s e[;s e]\ttext\n"; returns false (and writes nothing) for
 * a span that is empty, outside the text or only line ends. */
static bool S_tline(rbuf *o, const rtext *t, const cJSON *span, int tn, const char *type)
{
	double sd, ed;
	if (!rj_num(span, "start", &sd) || !rj_num(span, "end", &ed) || sd < 0 || !(sd < ed) ||
	    ed > (double)t->ncp)
		return false;
	size_t s = (size_t)sd, e = (size_t)ed, mark = o->n;
	rbuf frag = {0};
	rbuf_printf(o, "T%d\t", tn);
	S_type(o, type);
	bool any = false;
	for (size_t i = s; i < e;) {
		while (i < e && S_break(t, i))
			i++;
		size_t j = i;
		while (j < e && !S_break(t, j))
			j++;
		if (j > i) {
			rbuf_printf(o, "%s%zu %zu", any ? ";" : " ", i, j);
			if (any)
				rbuf_puts(&frag, " ");
			rbuf_put(&frag, t->s + t->off[i], t->off[j] - t->off[i]);
			any = true;
		}
		i = j;
	}
	if (any) {
		rbuf_puts(o, "\t");
		S_flat(o, rbuf_str(&frag));
		rbuf_puts(o, "\n");
	} else
		o->n = mark;
	rbuf_free(&frag);
	return any;
}

static void S_note(rbuf *o, int *nn, int tn, const char *const *parts, size_t np)
{
	rbuf_printf(o, "#%d\tAnnotatorNotes T%d\t", ++*nn, tn);
	bool first = true;
	for (size_t i = 0; i < np; i++) {
		if (!parts[i])
			continue;
		if (!first)
			rbuf_puts(o, " | ");
		S_flat(o, parts[i]);
		first = false;
	}
	rbuf_puts(o, "\n");
}

static void S_ann(rbuf *o, const cJSON *rec, const rtext *t)
{
	const cJSON *ents = rj_arr(rec, "entities"), *x, *m, *arr;
	int tn = 0, nn = 0;
	char buf[96];
	if (ents)
		cJSON_ArrayForEach(x, ents)
		{
			const cJSON *ms = rj_arr(x, "mentions");
			const char *type = rj_str(x, "type");
			if (ms)
				cJSON_ArrayForEach(m, ms)
				{
					if (!S_tline(o, t, m, tn + 1, type))
						continue;
					tn++;
					const char *parts[] = {rj_str(x, "name"), rj_str(x, "id"),
					                       rj_str(x, "kb"), rj_str(m, "rule")};
					S_note(o, &nn, tn, parts, 4);
				}
		}
	if ((arr = rj_arr(rec, "dates")))
		cJSON_ArrayForEach(x, arr)
		{
			if (!S_tline(o, t, x, tn + 1, "DATE"))
				continue;
			tn++;
			const char *parts[] = {rj_str(x, "value"), rj_str(x, "id"),
			                       rj_str(x, "rule")};
			S_note(o, &nn, tn, parts, 3);
		}
	if ((arr = rj_arr(rec, "claims")))
		cJSON_ArrayForEach(x, arr)
		{
			if (!S_tline(o, t, x, tn + 1, "CLAIM"))
				continue;
			tn++;
			double v;
			const char *val =
			    rj_num(x, "value", &v) ? r_numfmt(v, buf, sizeof buf) : NULL;
			const cJSON *subj = rj_by_id(ents, rj_str(x, "subject"));
			const cJSON *src = rj_by_id(ents, rj_str(x, "source"));
			rbuf a = {0}, b = {0};
			if (subj)
				rbuf_printf(&a, "subject %s",
				            rj_str(subj, "name") ? rj_str(subj, "name") : "?");
			if (src)
				rbuf_printf(&b, "source %s",
				            rj_str(src, "name") ? rj_str(src, "name") : "?");
			const char *parts[] = {
			    rj_str(x, "id"),           val,
			    rj_str(x, "unit"),         rj_str(x, "category"),
			    rj_str(x, "predicate"),    subj ? rbuf_str(&a) : NULL,
			    src ? rbuf_str(&b) : NULL, rj_str(x, "hedge"),
			    rj_str(x, "rule")};
			S_note(o, &nn, tn, parts, 9);
			rbuf_free(&a);
			rbuf_free(&b);
		}
}

static int S_write_file(const char *dir, const char *name, const char *ext, const char *s, size_t n)
{
	size_t len = strlen(dir) + strlen(name) + strlen(ext) + 3;
	char *path = malloc(len);
	if (!path)
		return WARTA_ENOMEM;
	snprintf(path, len, "%s/%s%s", dir, name, ext);
	FILE *f = fopen(path, "wb");
	free(path);
	if (!f)
		return WARTA_EIO;
	bool ok = fwrite(s, 1, n, f) == n;
	if (fclose(f) != 0)
		ok = false;
	return ok ? 0 : WARTA_EIO;
}

static int S_record(render *r, const cJSON *rec, const rtext *t)
{
	brat_st *B = r->st;
	rbuf o = {0};
	const char *id = rj_str(rec, "id");
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(rec, "error");
	static const rtext empty = {(char *)"", 0, NULL, 0};
	uint32_t zero = 0;
	rtext none = empty;
	if (!t) {
		none.off = &zero;
		t = &none;
	}
	if (!r->out_dir) {
		rbuf_puts(&o, "# ");
		S_flat(&o, id ? id : "(no id)");
		if (err) {
			rbuf_puts(&o, " error: ");
			S_flat(&o, rj_str(err, "message"));
		}
		rbuf_puts(&o, "\n");
	}
	if (!err)
		S_ann(&o, rec, t);
	int rc = o.oom ? WARTA_ENOMEM : 0;
	if (!rc && !r->out_dir) {
		if (fwrite(o.p, 1, o.n, r->out) != o.n)
			rc = WARTA_EIO;
	} else if (!rc) {
		char name[160];
		if (!(rc = S_file_name(B, id, name, sizeof name)) &&
		    !(rc = S_write_file(r->out_dir, name, ".txt", t->s, t->len)))
			rc = S_write_file(r->out_dir, name, ".ann", o.p ? o.p : "", o.n);
	}
	rbuf_free(&o);
	return rc;
}

static const char S_annotation_conf[] =
    "# brat configuration for warta's annotations (written by warta --format brat)\n"
    "[entities]\nPERSON\nCOUNTRY\nAGENCY\nORGANIZATION\nLOCATION\nDATE\nCLAIM\n"
    "[relations]\n# claims contain mentions: allow any overlap\n"
    "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n"
    "[events]\n[attributes]\n";

/* Okabe-Ito colours, as on the review page. */
static const char S_visual_conf[] =
    "[labels]\nPERSON | Person\nCOUNTRY | Country\nAGENCY | Agency\n"
    "ORGANIZATION | Organization | Org\nLOCATION | Location | Loc\nDATE | Date\n"
    "CLAIM | Claim\n[drawing]\nPERSON\tbgColor:#E69F00\nCOUNTRY\tbgColor:#56B4E9\n"
    "AGENCY\tbgColor:#009E73\nORGANIZATION\tbgColor:#CC79A7\nLOCATION\tbgColor:#0072B2, "
    "fgColor:white\nDATE\tbgColor:#F0E442\nCLAIM\tbgColor:#D55E00, fgColor:white\n";

/* Writes a configuration file unless the user already has one. */
static int S_conf(const char *dir, const char *name, const char *s)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = malloc(len);
	if (!path)
		return WARTA_ENOMEM;
	snprintf(path, len, "%s/%s", dir, name);
	FILE *f = fopen(path, "wx");
	free(path);
	if (!f)
		return errno == EEXIST ? 0 : WARTA_EIO;
	bool ok = fputs(s, f) != EOF;
	if (fclose(f) != 0)
		ok = false;
	return ok ? 0 : WARTA_EIO;
}

static int S_open(render *r)
{
	if (r->out_dir && mkdir(r->out_dir, 0777) != 0 && errno != EEXIST)
		return WARTA_EIO;
	if (!(r->st = calloc(1, sizeof(brat_st))))
		return WARTA_ENOMEM;
	return 0;
}

static int S_close(render *r)
{
	brat_st *B = r->st;
	int rc = 0;
	if (r->out_dir && !(rc = S_conf(r->out_dir, "annotation.conf", S_annotation_conf)))
		rc = S_conf(r->out_dir, "visual.conf", S_visual_conf);
	for (size_t i = 0; B && i < B->cap; i++)
		free(B->names[i]);
	if (B)
		free(B->names);
	free(B);
	r->st = NULL;
	return rc;
}

const render_ops render_brat_ops = {"brat", true, S_open, S_record, S_close};
