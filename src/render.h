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
	/* ntriples: prefix of every node's IRI; NULL = "https://warta.example/id/".
	 * Must be absolute; a '/' is added unless it ends in '/', '#' or ':'. */
	const char *base_iri;
	/* brat: write DIR/<id>.txt and DIR/<id>.ann per article (and
	 * annotation.conf, visual.conf when absent) instead of the stream; the
	 * folder is created if missing. NULL = every .ann on the stream. */
	const char *out_dir;
} render_opts;

/* Returns a comma-separated list of the format names, for --help. */
const char *render_formats(void);

/* Opens a renderer for format ("jsonl", "html", "ntriples", "labelstudio",
 * "brat") writing to out; o may be NULL. Returns 0, or WARTA_EFORMAT for an
 * unknown format, WARTA_EINVAL for a base IRI that is not an absolute IRI,
 * WARTA_EIO when the brat folder cannot be made, or WARTA_ENOMEM. */
int render_open(const char *format, FILE *out, const render_opts *o, render **r);

/* Renders one record. json is one warta/1 line (no newline); text is the
 * article's original text (may be NULL for an error record). Returns 0 or a
 * negative WARTA_E* code (the CLI reports it and goes on): WARTA_EINPUT for a
 * line that is not a JSON object, WARTA_EIO for a failed write. */
int render_record(render *r, const char *json, size_t json_len, const char *text, size_t text_len);

/* Finishes the output (closing tags, index) and frees r. Returns 0 or a code. */
int render_close(render *r);

/* True when the format needs the original text of each article. */
int render_needs_text(const char *format);

#endif
