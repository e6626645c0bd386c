/* SPDX-License-Identifier: MIT */
#ifndef WARTA_RENDER_INT_H
#define WARTA_RENDER_INT_H

/* Shared by the renderers (render.c, emit_html.c, emit_rdf.c,
 * emit_labelstudio.c, emit_brat.c), never by the pipeline stages. A renderer
 * sees the parsed warta/1 record (cJSON) and the article text decoded once
 * into an rtext: never warta_doc.
 *
 *   text bytes  K i m · K o r u t · ↯ ...        (↯ = an invalid byte)
 *   rtext.s     K i m · K o r u t · U+FFFD ...   clean UTF-8, no NUL
 *   rtext.off   0 1 2 3 4 5 6 7 8 9 10 ...       byte offset of code point i
 */

#include "render.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The article text as code points. Each byte of an invalid UTF-8 sequence
 * counts as one character, as normalize.c counts the original (Python's
 * decode("utf-8", "surrogateescape")), and is written as U+FFFD; NUL also
 * becomes U+FFFD. So code point i of s is character i of the text that
 * warta's offsets count; off has ncp + 1 entries. */
typedef struct rtext {
	char *s;
	size_t len;
	uint32_t *off;
	size_t ncp;
} rtext;

int rtext_init(rtext *t, const char *text, size_t len);
void rtext_free(rtext *t);
/* Byte offset of code point cp, clamped to the end of the text. */
size_t rtext_byte(const rtext *t, double cp);

/* Decodes one code point of s[*i..n) and advances *i; an invalid byte gives
 * U+FFFD and advances by one. */
uint32_t utf8_next(const char *s, size_t n, size_t *i);
/* Encodes c into out (4 bytes at most); returns the length. */
size_t utf8_put(uint32_t c, char *out);

/* A growing string; after a failed allocation oom is set and appends stop. */
typedef struct rbuf {
	char *p;
	size_t n, cap;
	bool oom;
} rbuf;

void rbuf_put(rbuf *b, const char *s, size_t n);
void rbuf_puts(rbuf *b, const char *s);
void rbuf_printf(rbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents as a NUL-terminated string ("" when empty). */
const char *rbuf_str(rbuf *b);
void rbuf_free(rbuf *b);

/* Record accessors: NULL / false when the field is absent or of another type. */
const char *rj_str(const cJSON *o, const char *k);
bool rj_num(const cJSON *o, const char *k, double *v);
const cJSON *rj_arr(const cJSON *o, const char *k);
/* Finds the object of array a whose "id" is id. */
const cJSON *rj_by_id(const cJSON *a, const char *id);

/* Formats a number the shortest way that reads back the same ("15000",
 * "2.5", "1e+21"); returns buf. */
const char *r_numfmt(double v, char *buf, size_t cap);

/* Escapes for the output languages (also for the tests). html_escape writes
 * & < > " ' as references, invalid UTF-8 and C0 controls but tab and line
 * ends as U+FFFD. nt_literal writes an N-Triples string body (no quotes);
 * nt_iri_part percent-encodes everything but unreserved characters, ':' and
 * '@', so that any key becomes one safe IRI path segment. */
void html_escape(rbuf *b, const char *s, size_t n);
void nt_literal(rbuf *b, const char *s, size_t n);
void nt_iri_part(rbuf *b, const char *s, size_t n);

/* SHA-256 of s[0..n) in base64 (44 characters and a NUL), for the review
 * page's Content-Security-Policy hashes. */
void r_sha256_b64(const char *s, size_t n, char out[45]);

typedef struct render_ops render_ops;

struct render {
	const render_ops *ops;
	FILE *out;
	char *base_iri; /* owned copies of render_opts */
	char *out_dir;
	size_t nrec;
	void *st; /* the renderer's own state */
};

struct render_ops {
	const char *name;
	bool needs_text;
	int (*open)(render *r);
	/* rec is the parsed record; t is NULL when no text came with it. */
	int (*record)(render *r, const cJSON *rec, const rtext *t);
	/* Writes the end of the output and frees r->st (also after errors). */
	int (*close)(render *r);
};

extern const render_ops render_html_ops, render_ntriples_ops, render_labelstudio_ops,
    render_brat_ops;

#endif
