/* SPDX-License-Identifier: MIT */
#ifndef WARTA_RENDER_H
#define WARTA_RENDER_H

/* Output renderers: views of the same warta/1 record (DESIGN: emit).
 *
 * The CLI's writer calls render_open() once, render_record() once per
 * article IN INPUT ORDER (from one thread), and render_close() at the end.
 * Each record arrives as the JSON line warta_doc_json() made (an error record
 * too) together with the article's original text, which the review page
 * needs to draw highlights. Renderers never see warta_doc internals.
 */

#include <stdio.h>

typedef struct render render;

typedef struct render_opts {
	const char *base_iri; /* ntriples: IRI prefix; NULL = the default */
	const char *out_dir;  /* brat: one .ann/.txt pair per article in this folder */
} render_opts;

/* Returns a comma-separated list of the format names, for --help. */
const char *render_formats(void);

/* Opens a renderer for format ("jsonl", "html", "ntriples", "labelstudio",
 * "brat") writing to out. Returns 0, or WARTA_EFORMAT for an unknown format,
 * or WARTA_ENOMEM. */
int render_open(const char *format, FILE *out, const render_opts *o, render **r);

/* Renders one record. json is one warta/1 line (no newline); text is the
 * article's original text (may be NULL for an error record). Returns 0 or a
 * negative WARTA_E* code (the CLI reports it and goes on). */
int render_record(render *r, const char *json, size_t json_len, const char *text, size_t text_len);

/* Finishes the output (closing tags, index) and frees r. Returns 0 or a code. */
int render_close(render *r);

/* True when the format needs the original text of each article. */
int render_needs_text(const char *format);

#endif
