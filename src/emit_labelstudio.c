/* SPDX-License-Identifier: MIT */
/* Renderer "labelstudio": one JSON array of Label Studio tasks for the whole
 * run, each article a task whose predictions are warta's mentions (by entity
 * type), dates (DATE) and claims (CLAIM). Input: warta/1 records and the
 * articles' texts. Offsets are code points, as Label Studio stores them; the
 * task's text is the article decoded as warta counts it (invalid UTF-8 as
 * U+FFFD), and each region's text is cut from it at those offsets, so
 * text[start:end] == value.text always holds.
 */
#include "render_int.h"

#include "warta.h"

#include <stdlib.h>
#include <string.h>

typedef struct ls_st {
	bool any; /* a task was written: the next one needs a comma */
} ls_st;

static bool S_add_str(cJSON *o, const char *k, const char *v)
{
	return v ? cJSON_AddStringToObject(o, k, v) != NULL : cJSON_AddNullToObject(o, k) != NULL;
}

/* Appends one "labels" region, or does nothing for a span outside the text. */
static bool S_region(cJSON *res, const rtext *t, const cJSON *span, const char *rid,
                     const char *label)
{
	double s, e;
	if (!rj_num(span, "start", &s) || !rj_num(span, "end", &e) || s < 0 || !(s < e) ||
	    e > (double)t->ncp || !label)
		return true;
	size_t bs = rtext_byte(t, s), be = rtext_byte(t, e);
	char *piece = malloc(be - bs + 1);
	if (!piece)
		return false;
	memcpy(piece, t->s + bs, be - bs);
	piece[be - bs] = '\0';
	cJSON *r = cJSON_CreateObject(), *v = NULL, *labels = NULL, *l = NULL;
	if (!r || !cJSON_AddItemToArray(res, r)) {
		cJSON_Delete(r);
		free(piece);
		return false;
	}
	bool ok = S_add_str(r, "id", rid) && S_add_str(r, "from_name", "label") &&
	          S_add_str(r, "to_name", "text") && S_add_str(r, "type", "labels") &&
	          (v = cJSON_AddObjectToObject(r, "value")) &&
	          cJSON_AddNumberToObject(v, "start", s) && cJSON_AddNumberToObject(v, "end", e) &&
	          S_add_str(v, "text", piece) && (labels = cJSON_AddArrayToObject(v, "labels")) &&
	          (l = cJSON_CreateString(label));
	if (ok && !cJSON_AddItemToArray(labels, l)) {
		cJSON_Delete(l);
		ok = false;
	}
	free(piece);
	return ok;
}

static cJSON *S_task(const cJSON *rec, const rtext *t)
{
	cJSON *task = cJSON_CreateObject(), *data, *preds, *pred, *res;
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(rec, "meta");
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(rec, "error");
	if (!task || !(data = cJSON_AddObjectToObject(task, "data")) ||
	    !S_add_str(data, "text", t ? t->s : "") || !S_add_str(data, "id", rj_str(rec, "id")) ||
	    !S_add_str(data, "title", rj_str(meta, "title")))
		goto fail;
	if (err) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s: %s",
		         rj_str(err, "code") ? rj_str(err, "code") : "error",
		         rj_str(err, "message") ? rj_str(err, "message") : "");
		if (!S_add_str(data, "error", msg) || !cJSON_AddArrayToObject(task, "predictions"))
			goto fail;
		return task;
	}
	if ((rj_str(meta, "url") && !S_add_str(data, "url", rj_str(meta, "url"))) ||
	    (rj_str(meta, "published") && !S_add_str(data, "published", rj_str(meta, "published"))))
		goto fail;
	if (!(preds = cJSON_AddArrayToObject(task, "predictions")) ||
	    !(pred = cJSON_CreateObject()) || !cJSON_AddItemToArray(preds, pred) ||
	    !S_add_str(pred, "model_version", "warta-" WARTA_VERSION) ||
	    !(res = cJSON_AddArrayToObject(pred, "result")))
		goto fail;
	if (!t)
		return task;
	const cJSON *x, *m, *arr;
	char rid[64];
	if ((arr = rj_arr(rec, "entities")))
		cJSON_ArrayForEach(x, arr)
		{
			const cJSON *ms = rj_arr(x, "mentions");
			const char *eid = rj_str(x, "id");
			int k = 0;
			if (ms)
				cJSON_ArrayForEach(m, ms)
				{
					snprintf(rid, sizeof rid, "%.40sm%d", eid ? eid : "e?",
					         ++k);
					if (!S_region(res, t, m, rid, rj_str(x, "type")))
						goto fail;
				}
		}
	int k = 0;
	if ((arr = rj_arr(rec, "dates")))
		cJSON_ArrayForEach(x, arr)
		{
			const char *id = rj_str(x, "id");
			snprintf(rid, sizeof rid, "%.40s", id ? id : "");
			if (!id)
				snprintf(rid, sizeof rid, "d?%d", k);
			k++;
			if (!S_region(res, t, x, rid, "DATE"))
				goto fail;
		}
	k = 0;
	if ((arr = rj_arr(rec, "claims")))
		cJSON_ArrayForEach(x, arr)
		{
			const char *id = rj_str(x, "id");
			snprintf(rid, sizeof rid, "%.40s", id ? id : "");
			if (!id)
				snprintf(rid, sizeof rid, "c?%d", k);
			k++;
			if (!S_region(res, t, x, rid, "CLAIM"))
				goto fail;
		}
	return task;
fail:
	cJSON_Delete(task);
	return NULL;
}

static int S_open(render *r)
{
	if (!(r->st = calloc(1, sizeof(ls_st))))
		return WARTA_ENOMEM;
	return fputs("[", r->out) == EOF ? WARTA_EIO : 0;
}

static int S_record(render *r, const cJSON *rec, const rtext *t)
{
	ls_st *st = r->st;
	cJSON *task = S_task(rec, t);
	char *s = task ? cJSON_PrintUnformatted(task) : NULL;
	cJSON_Delete(task);
	if (!s)
		return WARTA_ENOMEM;
	int rc = 0;
	if (fputs(st->any ? ",\n" : "\n", r->out) == EOF || fputs(s, r->out) == EOF)
		rc = WARTA_EIO;
	st->any = true;
	cJSON_free(s);
	return rc;
}

static int S_close(render *r)
{
	free(r->st);
	r->st = NULL;
	return fputs("\n]\n", r->out) == EOF ? WARTA_EIO : 0;
}

const render_ops render_labelstudio_ops = {"labelstudio", true, S_open, S_record, S_close};
