/* SPDX-License-Identifier: MIT */
/* Fuzzes the CLI's JSONL path: one input is one line. With the CLI's own
 * reader (src/cli_json.c, compiled in here as tests/test_cli_json.c does) the
 * line is decoded in place and every field must stay inside the line; without
 * it (older trees) cJSON parses the line. Then the fields become an article,
 * as the CLI makes it, and go through the pipeline on the real data folder. */
#if defined(__has_include)
#if __has_include("../../src/cli_json.c")
#define FZ_CLI_JSON 1
#include "../../src/cli_json.c"
#endif
#endif

#include "fuzz.h"

static warta_ruleset *fz_rs;

static void fz_article(warta_input *in)
{
	char *json = warta_extract_json(fz_rs, in);
	fz_check_record(json);
	free(json);
}

#ifdef FZ_CLI_JSON
static void fz_inside(const json_str *f, const char *s, size_t n)
{
	if (f->s && (f->s < s || f->s + f->n > s + n))
		abort();
}

static void fz_line(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1); /* the reader gets a NUL-terminated copy, as from the CLI */
	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	json_article a;
	char err[160];
	err[0] = '\0';
	if (json_article_read(s, size, &a, err, sizeof err) != 0) {
		if (!err[0] || !memchr(err, 0, sizeof err))
			abort(); /* an unreadable line must say why */
		free(s);
		return;
	}
	const json_str *fs[] = {&a.id, &a.title, &a.text, &a.url, &a.date, &a.published};
	for (size_t i = 0; i < sizeof fs / sizeof *fs; i++)
		fz_inside(fs[i], s, size);
	if (a.text.s && a.text.is_string) {
		warta_input in = {0};
		in.id = a.id.s && a.id.is_string ? a.id.s : "1";
		in.id_len = a.id.s && a.id.is_string ? a.id.n : 1;
		in.text = a.text.s;
		in.text_len = a.text.n;
		in.title = a.title.is_string ? a.title.s : NULL;
		in.title_len = a.title.is_string ? a.title.n : 0;
		in.url = a.url.is_string ? a.url.s : NULL;
		in.url_len = a.url.is_string ? a.url.n : 0;
		const json_str *d = a.date.is_string ? &a.date : &a.published;
		in.date = d->is_string ? d->s : NULL;
		in.date_len = d->is_string ? d->n : 0;
		in.date_origin = "input";
		fz_article(&in);
	}
	free(s);
}
#else
static const char *fz_str(cJSON *o, const char *k, size_t *len)
{
	cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
	if (cJSON_IsString(x) && x->valuestring) {
		*len = strlen(x->valuestring);
		return x->valuestring;
	}
	*len = 0;
	return NULL;
}

static void fz_line(const uint8_t *data, size_t size)
{
	cJSON *o = cJSON_ParseWithLength((const char *)data, size);
	if (cJSON_IsObject(o)) {
		warta_input in = {0};
		in.id = fz_str(o, "id", &in.id_len);
		in.text = fz_str(o, "text", &in.text_len);
		in.title = fz_str(o, "title", &in.title_len);
		in.url = fz_str(o, "url", &in.url_len);
		in.date = fz_str(o, "date", &in.date_len);
		if (!in.date)
			in.date = fz_str(o, "published", &in.date_len);
		in.date_origin = "input";
		if (in.text)
			fz_article(&in);
	}
	cJSON_Delete(o);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fz_rs)
		fz_rs = fz_load(NULL);
	/* the CLI splits on '\n' and drops trailing CRs: one line at most */
	const uint8_t *nl = memchr(data, '\n', size);
	if (nl)
		size = (size_t)(nl - data);
	while (size && data[size - 1] == '\r')
		size--;
	fz_line(data, size);
	return 0;
}
