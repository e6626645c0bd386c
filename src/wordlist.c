/* SPDX-License-Identifier: MIT */
/* Tab-separated lists (gazetteers/\*.tsv): a header row of column names, then
 * rows of cells; '#' lines are comments. Every list gets a case-folded index
 * on its first column so stages can look words up in O(1). A malformed row is
 * reported with file:line and fails the load; nothing is skipped silently. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t fold_utf8(const char *s, size_t n, char *buf, size_t cap)
{
	size_t o = 0, i = 0;
	bool space = false;
	/* bits of the ASCII white space below 64 that folds to one space */
	const uint64_t sp_mask = 1ull << ' ' | 1ull << '\t' | 1ull << '\n' | 1ull << '\r';
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		utf8proc_int32_t cp;
		if (c < 0x80 && (c >= 64 || !(sp_mask >> c & 1))) {
			/* a run of other ASCII, the most of every text: copied folded
			 * in a loop of its own */
			if (space && o > 0) {
				if (o + 1 >= cap)
					return (size_t)-1;
				buf[o++] = ' ';
			}
			space = false;
			do {
				if (o + 5 >= cap)
					return (size_t)-1;
				buf[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			} while (++i < n && (c = (unsigned char)s[i]) < 0x80 &&
			         (c >= 64 || !(sp_mask >> c & 1)));
			continue;
		}
		if (c < 0x80) {
			cp = c;
			i++;
		} else {
			utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
			                                      (utf8proc_ssize_t)(n - i), &cp);
			if (k <= 0) {
				cp = 0xFFFD;
				k = 1;
			}
			i += (size_t)k;
		}
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0) {
			space = true;
			continue;
		}
		if (space && o > 0) {
			if (o + 1 >= cap)
				return (size_t)-1;
			buf[o++] = ' ';
		}
		space = false;
		if (o + 5 >= cap)
			return (size_t)-1;
		/* nearly every byte is ASCII: no call into utf8proc for it */
		if (cp < 0x80)
			buf[o++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		else
			o += (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
			                                  (utf8proc_uint8_t *)buf + o);
	}
	if (o >= cap)
		return (size_t)-1;
	buf[o] = '\0';
	return o;
}

static uint64_t S_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static char *S_strndup(const warta_mem *mem, const char *s, size_t n)
{
	char *p = mem->calloc(1, n + 1);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* Splits line (without its end) on tabs into cells; returns the count. The
 * row is one block: `want` or more cell pointers, then the cells' text, and
 * cells the line leaves out point at an empty string in it. One allocation a
 * row, not one a cell: the 30,000 allocations of a cell each, and their
 * frees, were 11.6 M of a start-up's 100 M instructions. */
static size_t S_split(const warta_mem *mem, const char *line, size_t len, size_t want, char ***out)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += line[i] == '\t';
	size_t np = n > want ? n : want;
	char **cells = mem->calloc(1, np * sizeof(char *) + len + n + 1);
	if (!cells)
		return 0;
	char *text = (char *)(cells + np);
	size_t k = 0, start = 0, o = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == '\t') {
			size_t a = start, b = i;
			while (a < b && line[a] == ' ')
				a++;
			while (b > a && line[b - 1] == ' ')
				b--;
			cells[k++] = memcpy(text + o, line + a, b - a);
			o += b - a + 1; /* and the NUL, from calloc */
			start = i + 1;
		}
	}
	for (; k < np; k++)
		cells[k] = text + o; /* the block's last byte, a NUL */
	*out = cells;
	return n;
}

static int S_index(wordlist *wl, const warta_mem *mem)
{
	size_t cap = 16;
	while (cap < wl->nrows * 2 + 2)
		cap *= 2;
	wl->index = mem->calloc(cap, sizeof(uint32_t));
	wl->fold = mem->calloc(wl->nrows + 1, sizeof(char *));
	wl->fold_len = mem->calloc(wl->nrows + 1, sizeof(uint32_t));
	if (!wl->index || !wl->fold || !wl->fold_len)
		return WARTA_ENOMEM;
	wl->index_cap = cap;
	/* the folded words in one block (fold_pool), as the rows' cells are;
	 * offsets first, as the block may move while it grows */
	size_t *off = mem->calloc(wl->nrows + 1, sizeof *off);
	size_t used = 0, room = 0;
	char *pool = NULL;
	if (!off)
		return WARTA_ENOMEM;
	char buf[512];
	for (size_t r = 0; r < wl->nrows; r++) {
		const char *w = wl->rows[r].cell[0];
		size_t fl = fold_utf8(w, strlen(w), buf, sizeof buf);
		off[r] = SIZE_MAX;
		if (fl == (size_t)-1)
			continue;
		if (used + fl + 1 > room) {
			size_t nroom = room ? room * 2 : 4096;
			while (nroom < used + fl + 1)
				nroom *= 2;
			char *np = mem->realloc(pool, nroom);
			if (!np) {
				mem->free(pool);
				mem->free(off);
				return WARTA_ENOMEM;
			}
			pool = np;
			room = nroom;
		}
		memcpy(pool + used, buf, fl);
		pool[used + fl] = '\0';
		off[r] = used;
		used += fl + 1;
		wl->fold_len[r] = (uint32_t)fl;
		size_t h = (size_t)S_hash(buf, fl) & (cap - 1);
		while (wl->index[h])
			h = (h + 1) & (cap - 1);
		wl->index[h] = (uint32_t)r + 1;
	}
	wl->fold_pool = pool;
	for (size_t r = 0; r < wl->nrows; r++)
		wl->fold[r] = off[r] == SIZE_MAX ? NULL : pool + off[r];
	mem->free(off);
	return WARTA_OK;
}

/* Folds ASCII (s, n) into buf: lower case, white space runs as one space.
 * Returns the length, or (size_t)-1 for non-ASCII or too long text; *hash is
 * S_hash of the result, made in the same pass (every look-up needs both).
 * For ASCII it folds as fold_utf8() does. */
size_t fold_ascii(const char *s, size_t n, char *buf, size_t cap, uint64_t *hash)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	size_t i = 0;
	/* Nearly every look-up is one word: while there is nothing to squeeze,
	 * one test a byte (n + 1 < cap: the word fits); the loop below goes on
	 * from the first space or control byte. */
	if (n + 1 < cap)
		for (; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c >= 0x80)
				return (size_t)-1;
			if (c <= ' ')
				break;
			c = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			buf[i] = (char)c;
			h = (h ^ c) * 1099511628211ull;
		}
	size_t o = i;
	bool sp = false;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80)
			return (size_t)-1;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			sp = o > 0;
			continue;
		}
		if (o + 2 >= cap)
			return (size_t)-1;
		if (sp) {
			buf[o++] = ' ';
			h = (h ^ ' ') * 1099511628211ull;
		}
		sp = false;
		c = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		buf[o++] = (char)c;
		h = (h ^ c) * 1099511628211ull;
	}
	buf[o] = '\0';
	*hash = h;
	return o;
}

const tsv_row *wordlist_find(const wordlist *wl, const char *s, size_t n)
{
	if (!wl || !wl->index_cap)
		return NULL;
	char buf[512];
	uint64_t hh;
	size_t fl = fold_ascii(s, n, buf, sizeof buf, &hh);
	if (fl == (size_t)-1) { /* not ASCII (or too long): the general fold */
		if ((fl = fold_utf8(s, n, buf, sizeof buf)) == (size_t)-1)
			return NULL;
		hh = S_hash(buf, fl);
	}
	size_t h = (size_t)hh & (wl->index_cap - 1);
	while (wl->index[h]) {
		uint32_t r = wl->index[h] - 1;
		if (wl->fold_len[r] == fl && memcmp(wl->fold[r], buf, fl) == 0)
			return &wl->rows[r];
		h = (h + 1) & (wl->index_cap - 1);
	}
	return NULL;
}

void ruleset_lists(const warta_ruleset *rs, const char *const *names, size_t n,
                   const wordlist **out)
{
	size_t left = n;
	for (size_t k = 0; k < n; k++)
		out[k] = NULL;
	/* the first list of a name, as ruleset_list has it; the first byte
	 * turns most names away without a call */
	for (size_t i = 0; rs && left && i < rs->nlists; i++) {
		const char *nm = rs->lists[i].name;
		for (size_t k = 0; k < n; k++)
			if (!out[k] && nm[0] == names[k][0] && strcmp(nm, names[k]) == 0) {
				out[k] = &rs->lists[i];
				left--;
			}
	}
}

int wordlist_col(const wordlist *wl, const char *name)
{
	for (size_t i = 0; i < wl->ncol; i++)
		if (strcmp(wl->col[i], name) == 0)
			return (int)i;
	return -1;
}

const char *wordlist_cell(const wordlist *wl, const tsv_row *row, const char *col)
{
	return tsv_cell(row, wordlist_col(wl, col));
}

int wordlist_load(wordlist *wl, const warta_mem *mem, const char *path, const char *shown_path,
                  warta_diags *d)
{
	memset(wl, 0, sizeof *wl);
	FILE *f = fopen(path, "rb");
	if (!f) {
		diags_add(d, shown_path, 0, 0, NULL, 0, "cannot open: %s", strerror(errno));
		return WARTA_EIO;
	}
	const char *base = strrchr(shown_path, '/');
	base = base ? base + 1 : shown_path;
	size_t bl = strlen(base);
	if (bl > 4 && strcmp(base + bl - 4, ".tsv") == 0)
		bl -= 4;
	wl->name = S_strndup(mem, base, bl);
	wl->path = S_strndup(mem, shown_path, strlen(shown_path));
	int rc = wl->name && wl->path ? WARTA_OK : WARTA_ENOMEM;
	char *line = NULL;
	size_t lcap = 0, rcap = 0;
	int lineno = 0;
	ssize_t got;
	while (rc != WARTA_ENOMEM && (got = getline(&line, &lcap, f)) >= 0) {
		lineno++;
		size_t len = (size_t)got;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		size_t lead = 0;
		while (lead < len && (line[lead] == ' ' || line[lead] == '\t'))
			lead++;
		if (lead == len || line[lead] == '#')
			continue;
		if (lineno == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			memmove(line, line + 3, len - 3);
			len -= 3;
		}
		char **cells = NULL;
		size_t nc = S_split(mem, line, len, wl->col ? wl->ncol : 0, &cells);
		if (!nc) {
			rc = WARTA_ENOMEM;
			break;
		}
		if (!wl->col) {
			wl->col = cells;
			wl->ncol = nc;
			for (size_t i = 0; i < nc; i++)
				if (!cells[i][0]) {
					diags_add(d, shown_path, lineno, 0, line, len,
					          "the header names an empty column %zu", i + 1);
					rc = WARTA_ERULE;
				}
			continue;
		}
		/* Trailing empty cells may be left out; extra cells are a mistake. */
		if (nc > wl->ncol) {
			diags_add(d, shown_path, lineno, 0, line, len,
			          "%zu cells, but the header names %zu columns (%s...)", nc,
			          wl->ncol, wl->col[0]);
			rc = WARTA_ERULE;
		} else if (!cells[0][0]) {
			diags_add(d, shown_path, lineno, 1, line, len,
			          "the first cell (%s) is empty", wl->col[0]);
			rc = WARTA_ERULE;
		}
		if (wl->nrows == rcap) {
			rcap = rcap ? rcap * 2 : 64;
			tsv_row *nr = mem->realloc(wl->rows, rcap * sizeof(tsv_row));
			if (!nr) {
				mem->free(cells);
				rc = WARTA_ENOMEM;
				break;
			}
			wl->rows = nr;
		}
		wl->rows[wl->nrows].cell = cells;
		wl->rows[wl->nrows].line = lineno;
		wl->nrows++;
	}
	if (rc == WARTA_OK && ferror(f)) {
		diags_add(d, shown_path, lineno, 0, NULL, 0, "read error");
		rc = WARTA_EIO;
	}
	free(line);
	fclose(f);
	if (rc == WARTA_OK && !wl->col) {
		diags_add(
		    d, shown_path, 0, 0, NULL, 0,
		    "no header row: the first line that is not a comment must name the columns");
		rc = WARTA_ERULE;
	}
	if (rc == WARTA_OK)
		rc = S_index(wl, mem);
	return rc;
}

void wordlist_free(wordlist *wl, const warta_mem *mem)
{
	if (!wl)
		return;
	for (size_t r = 0; r < wl->nrows; r++)
		mem->free(wl->rows[r].cell); /* the row's cells with it (S_split) */
	mem->free(wl->col);
	mem->free(wl->rows);
	mem->free(wl->index);
	mem->free(wl->fold_pool);
	mem->free(wl->fold);
	mem->free(wl->fold_len);
	mem->free(wl->name);
	mem->free(wl->path);
	memset(wl, 0, sizeof *wl);
}
