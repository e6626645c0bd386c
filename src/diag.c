/* SPDX-License-Identifier: MIT */
/* Diagnostics for rule and list authors, and the error texts of the API.
 * A loader appends every problem it finds and fails at the end, so an author
 * sees all mistakes of a file in one run (as jq's parser does). */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *warta_strerror(int code)
{
	switch (code) {
	case WARTA_OK: return "success";
	case WARTA_ENOMEM: return "out of memory";
	case WARTA_EIO: return "cannot read a file";
	case WARTA_ERULE: return "error in a rule or list file";
	case WARTA_EINPUT: return "the article cannot be processed";
	case WARTA_ETOOBIG: return "the article is larger than the size limit";
	case WARTA_EINVAL: return "invalid argument";
	case WARTA_EFORMAT: return "unknown output format";
	default: return "unknown error";
	}
}

const char *warta_version(void)
{
	return WARTA_VERSION;
}

warta_diags *diags_new(const warta_mem *mem)
{
	mem = mem_or_default(mem);
	warta_diags *d = mem->calloc(1, sizeof(*d));
	if (d)
		d->mem = mem;
	return d;
}

static char *S_dup(const warta_mem *mem, const char *s, size_t n)
{
	char *p = mem->calloc(1, n + 1);
	if (p)
		memcpy(p, s, n);
	return p;
}

void diags_add(warta_diags *d, const char *file, int line, int col, const char *src, size_t src_len,
               const char *fmt, ...)
{
	if (!d)
		return;
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 8;
		struct warta_diag *nv = d->mem->realloc(d->v, ncap * sizeof(*nv));
		if (!nv)
			return;
		d->v = nv;
		d->cap = ncap;
	}
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (k < 0)
		k = 0;
	if ((size_t)k >= sizeof buf)
		k = sizeof buf - 1;
	struct warta_diag *g = &d->v[d->n];
	memset(g, 0, sizeof *g);
	g->file = S_dup(d->mem, file ? file : "", file ? strlen(file) : 0);
	g->msg = S_dup(d->mem, buf, (size_t)k);
	g->src = src ? S_dup(d->mem, src, src_len) : NULL;
	g->line = line;
	g->col = col;
	if (g->file && g->msg)
		d->n++;
	else {
		d->mem->free(g->file);
		d->mem->free(g->msg);
		d->mem->free(g->src);
	}
}

size_t warta_diags_count(const warta_diags *d)
{
	return d ? d->n : 0;
}

const char *warta_diags_format(warta_diags *d, size_t i)
{
	if (!d || i >= d->n)
		return NULL;
	const struct warta_diag *g = &d->v[i];
	size_t srclen = g->src ? strlen(g->src) : 0;
	size_t cap = strlen(g->file) + strlen(g->msg) + 2 * srclen + 64;
	char *s = d->mem->realloc(d->formatted, cap);
	if (!s)
		return NULL;
	d->formatted = s;
	int k;
	if (g->line && g->col)
		k = snprintf(s, cap, "%s:%d:%d: error: %s", g->file, g->line, g->col, g->msg);
	else if (g->line)
		k = snprintf(s, cap, "%s:%d: error: %s", g->file, g->line, g->msg);
	else
		k = snprintf(s, cap, "%s: error: %s", g->file, g->msg);
	size_t at = k > 0 ? (size_t)k : 0;
	if (g->src) {
		at += (size_t)snprintf(s + at, cap - at, "\n%s", g->src);
		if (g->col > 0) {
			s[at++] = '\n';
			/* Tabs stay tabs so the caret lines up under the column. */
			for (int c = 1; c < g->col && (size_t)(c - 1) < srclen; c++)
				s[at++] = g->src[c - 1] == '\t' ? '\t' : ' ';
			s[at++] = '^';
			s[at] = '\0';
		}
	}
	return s;
}

void warta_diags_free(warta_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		d->mem->free(d->v[i].file);
		d->mem->free(d->v[i].msg);
		d->mem->free(d->v[i].src);
	}
	d->mem->free(d->v);
	d->mem->free(d->formatted);
	d->mem->free(d);
}
