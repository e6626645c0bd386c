/* SPDX-License-Identifier: MIT */
/* Renderer dispatch. (Only jsonl so far.) */
#include "render.h"

#include "warta.h"

#include <stdlib.h>
#include <string.h>

struct render {
	FILE *out;
};

const char *render_formats(void) { return "jsonl"; }

int render_needs_text(const char *format)
{
	(void)format;
	return 0;
}

int render_open(const char *format, FILE *out, const render_opts *o, render **r)
{
	(void)o;
	*r = NULL;
	if (strcmp(format, "jsonl") != 0)
		return WARTA_EFORMAT;
	if (!(*r = calloc(1, sizeof **r)))
		return WARTA_ENOMEM;
	(*r)->out = out;
	return 0;
}

int render_record(render *r, const char *json, size_t json_len, const char *text, size_t text_len)
{
	(void)text;
	(void)text_len;
	if (fwrite(json, 1, json_len, r->out) != json_len || fputc('\n', r->out) == EOF)
		return WARTA_EIO;
	return 0;
}

int render_close(render *r)
{
	free(r);
	return 0;
}
