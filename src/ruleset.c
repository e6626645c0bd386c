/* SPDX-License-Identifier: MIT */
/* Loads a data folder into an immutable ruleset: every gazetteers/\*.tsv as a
 * word list (entity lists also go into the gazetteer automaton), then every
 * rules/\*.rules, in name order so that diagnostics and rule order are the
 * same on every machine. All problems are collected; the load fails at the end.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const S_types[T__COUNT] = {"",       "PERSON",       "COUNTRY",
                                              "AGENCY", "ORGANIZATION", "LOCATION"};
static const char *const S_zones[Z__COUNT] = {"title", "meta",    "dateline",
                                              "body",  "related", "noise"};

const char *etype_name(etype t)
{
	return t > 0 && t < T__COUNT ? S_types[t] : "NONE";
}

etype etype_parse(const char *s, size_t n)
{
	for (int t = 1; t < T__COUNT; t++)
		if (strlen(S_types[t]) == n && memcmp(S_types[t], s, n) == 0)
			return (etype)t;
	return T_NONE;
}

const char *zone_name(zone_type z)
{
	return z < Z__COUNT ? S_zones[z] : "body";
}

int zone_parse(const char *s, size_t n)
{
	for (int z = 0; z < Z__COUNT; z++)
		if (strlen(S_zones[z]) == n && memcmp(S_zones[z], s, n) == 0)
			return z;
	return -1;
}

const wordlist *ruleset_list(const warta_ruleset *rs, const char *name)
{
	for (size_t i = 0; rs && i < rs->nlists; i++)
		if (strcmp(rs->lists[i].name, name) == 0)
			return &rs->lists[i];
	return NULL;
}

const rulefile *ruleset_rules(const warta_ruleset *rs, const char *name)
{
	for (size_t i = 0; rs && i < rs->nfiles; i++)
		if (strcmp(rs->files[i].name, name) == 0)
			return &rs->files[i];
	return NULL;
}

static int S_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the names in dir ending in ext, sorted; caller frees each and the array. */
static char **S_list_dir(const warta_mem *mem, const char *dir, const char *ext, size_t *n)
{
	*n = 0;
	DIR *dp = opendir(dir);
	if (!dp)
		return NULL;
	size_t cap = 16;
	char **names = mem->calloc(cap, sizeof(char *));
	struct dirent *de;
	size_t el = strlen(ext);
	while (names && (de = readdir(dp))) {
		size_t l = strlen(de->d_name);
		if (l <= el || strcmp(de->d_name + l - el, ext) != 0 || de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			char **nn = mem->realloc(names, cap * 2 * sizeof(char *));
			if (!nn)
				break;
			names = nn;
			cap *= 2;
		}
		char *s = mem->calloc(1, l + 1);
		if (!s)
			break;
		memcpy(s, de->d_name, l);
		names[(*n)++] = s;
	}
	closedir(dp);
	if (names)
		qsort(names, *n, sizeof(char *), S_cmp);
	return names;
}

int warta_ruleset_load(const char *datadir, const warta_limits *limits, const warta_mem *mem,
                       warta_ruleset **out, warta_diags **diagsp)
{
	*out = NULL;
	mem = mem_or_default(mem);
	warta_diags *d = diags_new(mem);
	if (diagsp)
		*diagsp = d;
	warta_ruleset *rs = mem->calloc(1, sizeof *rs);
	int rc = WARTA_OK;
	char path[4096], shown[512];
	char **names = NULL;
	size_t nn = 0;
	if (!rs || !d) {
		rc = WARTA_ENOMEM;
		goto fail;
	}
	rs->mem = mem;
	if (limits)
		rs->limits = *limits;
	if (!rs->limits.max_article_bytes)
		rs->limits.max_article_bytes = (size_t)64 << 20;
	if (!rs->limits.match_limit)
		rs->limits.match_limit = 1000000;
	if (!rs->limits.depth_limit)
		rs->limits.depth_limit = 10000;
	if (!rs->limits.heap_limit_kib)
		rs->limits.heap_limit_kib = 20000;
	if (!rs->limits.max_mentions)
		rs->limits.max_mentions = 100000;
	size_t dl = strlen(datadir);
	rs->datadir = mem->calloc(1, dl + 1);
	if (!rs->datadir) {
		rc = WARTA_ENOMEM;
		goto fail;
	}
	memcpy(rs->datadir, datadir, dl);
	struct stat st;
	if (stat(datadir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diags_add(d, datadir, 0, 0, NULL, 0,
		          "no data folder here (%s); point --data at the folder holding rules/ and "
		          "gazetteers/",
		          errno ? strerror(errno) : "not a folder");
		rc = WARTA_EIO;
		goto fail;
	}
	rs->gctx = pcre2_general_context_create(NULL, NULL, NULL);
	rs->mctx = pcre2_match_context_create(rs->gctx);
	if (!rs->gctx || !rs->mctx) {
		rc = WARTA_ENOMEM;
		goto fail;
	}
	pcre2_set_match_limit(rs->mctx, rs->limits.match_limit);
	pcre2_set_depth_limit(rs->mctx, rs->limits.depth_limit);
	pcre2_set_heap_limit(rs->mctx, rs->limits.heap_limit_kib);
	pcre2_set_callout(rs->mctx, rules_list_callout, rs);

	snprintf(path, sizeof path, "%s/gazetteers", datadir);
	names = S_list_dir(mem, path, ".tsv", &nn);
	if (!names) {
		diags_add(d, path, 0, 0, NULL, 0, "cannot read the gazetteers folder");
		rc = WARTA_EIO;
		goto fail;
	}
	rs->lists = mem->calloc(nn ? nn : 1, sizeof(wordlist));
	if (!rs->lists) {
		rc = WARTA_ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < nn; i++) {
		snprintf(path, sizeof path, "%s/gazetteers/%s", datadir, names[i]);
		snprintf(shown, sizeof shown, "gazetteers/%s", names[i]);
		int r = wordlist_load(&rs->lists[rs->nlists], mem, path, shown, d);
		rs->nlists++;
		if (r && !rc)
			rc = r;
	}
	for (size_t i = 0; i < nn; i++)
		mem->free(names[i]);
	mem->free(names);
	names = NULL;
	if (rc)
		goto fail;
	rc = gazetteer_build(rs, d);
	if (rc)
		goto fail;

	rs->cache_salt = rules_cache_salt(rs);
	rs->rcache = rcache_open(mem, rs->limits.cache_dir, datadir, rs->cache_salt);
	snprintf(path, sizeof path, "%s/rules", datadir);
	names = S_list_dir(mem, path, ".rules", &nn);
	if (!names) {
		diags_add(d, path, 0, 0, NULL, 0, "cannot read the rules folder");
		rc = WARTA_EIO;
		goto fail;
	}
	rs->files = mem->calloc(nn ? nn : 1, sizeof(rulefile));
	if (!rs->files) {
		rc = WARTA_ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < nn; i++) {
		snprintf(path, sizeof path, "%s/rules/%s", datadir, names[i]);
		snprintf(shown, sizeof shown, "rules/%s", names[i]);
		int r = rulefile_load(rs, &rs->files[rs->nfiles], path, shown, d);
		rs->nfiles++;
		if (r && !rc)
			rc = r;
	}
	if (rc)
		goto fail;
	for (size_t f = 0; f < rs->nfiles; f++) {
		rs->files[f].first = rs->nrules;
		rs->nrules += rs->files[f].n;
	}
	if ((rc = rules_prepare(rs)) || (rc = rules_cache_store(rs)))
		goto fail;
	rcache_close(rs->rcache, true);
	rs->rcache = NULL;
	rs->limits.cache_dir = NULL; /* the caller's string: not kept */
	if ((rc = numbers_prepare(rs)) || (rc = zone_prepare(rs)) || (rc = claims_prepare(rs)) ||
	    (rc = dates_prepare(rs)) || (rc = resolve_prepare(rs)))
		goto fail;
	for (size_t i = 0; i < nn; i++)
		mem->free(names[i]);
	mem->free(names);
	if (!diagsp)
		warta_diags_free(d);
	*out = rs;
	return WARTA_OK;
fail:
	rcache_close(rs ? rs->rcache : NULL, false);
	if (rs)
		rs->rcache = NULL;
	if (names) {
		for (size_t i = 0; i < nn; i++)
			mem->free(names[i]);
		mem->free(names);
	}
	warta_ruleset_free(rs);
	if (!diagsp)
		warta_diags_free(d);
	return rc;
}

void warta_ruleset_free(warta_ruleset *rs)
{
	if (!rs)
		return;
	const warta_mem *mem = rs->mem;
	numbers_free(rs);
	zone_free(rs);
	claims_free(rs);
	dates_free(rs);
	resolve_free(rs);
	for (size_t i = 0; i < rs->nfiles; i++)
		rulefile_free(&rs->files[i], mem);
	mem->free(rs->files);
	gazetteer_free(rs->gz, mem);
	for (size_t i = 0; i < rs->nlists; i++)
		wordlist_free(&rs->lists[i], mem);
	mem->free(rs->lists);
	rules_lists_free(rs);
	rules_classes_free(rs);
	pcre2_match_context_free(rs->mctx);
	pcre2_general_context_free(rs->gctx);
	mem->free(rs->datadir);
	mem->free(rs);
}

/* ------------------------------------------------------ warta check */

typedef struct ex_ctx {
	const rulefile *rf;
	const rule *r;
	const rule_example *e;
	bool hit, span_ok;
	bool near_miss; /* a match that the rule's `near` window would skip */
} ex_ctx;

static int S_ex_cb(const rule_match *m, void *p)
{
	ex_ctx *c = p;
	/* What extraction would find: a match outside the near window is not. */
	if (!rule_near_ok(c->rf, c->r, c->e->text, strlen(c->e->text), m->start)) {
		c->near_miss = true;
		return 0;
	}
	c->hit = true;
	if (c->e->span_start < 0) {
		c->span_ok = true;
		return 1;
	}
	/* The bracketed part may be the whole match or any capture group (the
	 * mention's "name", a claim's "unit", ...). */
	for (uint32_t g = 0; g < m->npairs; g++)
		if (m->ov[2 * g] != PCRE2_UNSET && (int)m->ov[2 * g] == c->e->span_start &&
		    (int)m->ov[2 * g + 1] == c->e->span_end) {
			c->span_ok = true;
			return 1;
		}
	return 0;
}

/* The values the stages understand for the keys a rule file declares: a
 * rule with another value would be skipped or misread at run time, so
 * `warta check` names it. "TYPES": entity type names; "N": a whole number. */
static const struct key_values {
	const char *file, *key, *values;
} S_key_values[] = {
    {NULL, "trim", "start end both"},
    {NULL, "yield", "TYPES"},
    {NULL, "nest", "TYPES"},
    {"claim", "role", "unit partitive source-after source-before"},
    {"date", "requires", "weekday prefix"},
    {"number", "kind", "start skip word"},
    {"boilerplate", "class",
     "noise meta related related-start related-item noise-span related-span dateline"},
    {"boilerplate", "where", "head"},
    {"boilerplate", "maxlen", "N"},
};

/* True when every space-separated word of v is allowed by spec. */
static bool S_value_ok(const char *spec, const char *v)
{
	bool any = false;
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, " \t");
		if (n) {
			any = true;
			bool ok;
			if (strcmp(spec, "TYPES") == 0)
				ok = etype_parse(p, n) != T_NONE;
			else if (strcmp(spec, "N") == 0)
				ok = strspn(p, "0123456789") >= n && n < 10;
			else {
				ok = false;
				for (const char *q = spec; *q && !ok;) {
					size_t m = strcspn(q, " ");
					ok = m == n && memcmp(p, q, n) == 0;
					q += m + (q[m] == ' ');
				}
			}
			if (!ok || (spec[0] != 'T' && p[n])) /* one value, except type lists */
				return false;
		}
		p += n + (p[n] != '\0');
	}
	return any;
}

/* Checks the values of the keys rf's rules carry (S_key_values). */
static size_t S_check_values(const rulefile *rf, warta_diags *d)
{
	size_t problems = 0;
	for (size_t i = 0; i < rf->n; i++) {
		const rule *r = &rf->rules[i];
		for (size_t a = 0; a < r->nattr; a++)
			for (size_t k = 0; k < sizeof S_key_values / sizeof *S_key_values; k++) {
				const struct key_values *kv = &S_key_values[k];
				if (strcmp(kv->key, r->attr[a].key) != 0 ||
				    (kv->file && strcmp(kv->file, rf->name) != 0) ||
				    S_value_ok(kv->values, r->attr[a].value))
					continue;
				diags_add(d, rf->path, r->attr[a].line, 0, NULL, 0,
				          "rule %s: '%s' takes %s%s, not '%s'", r->id, kv->key,
				          strchr("TN", kv->values[0]) ? "" : "one of: ",
				          strcmp(kv->values, "TYPES") == 0
				              ? "entity types (PERSON COUNTRY ...)"
				          : strcmp(kv->values, "N") == 0 ? "a whole number"
				                                         : kv->values,
				          r->attr[a].value);
				problems++;
			}
	}
	return problems;
}

size_t warta_ruleset_check(const warta_ruleset *rs, warta_diags **diagsp)
{
	if (!*diagsp)
		*diagsp = diags_new(rs->mem);
	warta_diags *d = *diagsp;
	size_t problems = 0;
	pcre2_match_data *md = rules_match_data(rs);
	if (!md)
		return 1;
	for (size_t f = 0; f < rs->nfiles; f++) {
		const rulefile *rf = &rs->files[f];
		problems += S_check_values(rf, d);
		for (size_t i = 0; i < rf->n; i++) {
			const rule *r = &rf->rules[i];
			bool has_example = false;
			for (size_t k = 0; k < r->nex; k++) {
				const rule_example *e = &r->ex[k];
				ex_ctx c = {rf, r, e, false, false, false};
				rule_scan_text(rs, r, e->text, strlen(e->text), md, S_ex_cb, &c);
				has_example |= !e->counter;
				if (e->counter && c.hit) {
					diags_add(d, rf->path, e->line, 0, e->text, strlen(e->text),
					          "rule %s matches its COUNTER example", r->id);
					problems++;
				} else if (!e->counter && !c.hit && c.near_miss) {
					diags_add(
					    d, rf->path, e->line, 0, e->text, strlen(e->text),
					    "rule %s matches its EXAMPLE, but no word of its "
					    "'near' lists is close enough: widen 'before'/'after'",
					    r->id);
					problems++;
				} else if (!e->counter && !c.hit) {
					diags_add(d, rf->path, e->line, 0, e->text, strlen(e->text),
					          "rule %s does not match its EXAMPLE", r->id);
					problems++;
				} else if (!e->counter && !c.span_ok) {
					diags_add(d, rf->path, e->line, e->span_start + 1, e->text,
					          strlen(e->text),
					          "rule %s matches its EXAMPLE, but not the "
					          "[bracketed] span",
					          r->id);
					problems++;
				}
			}
			if (!has_example) {
				diags_add(d, rf->path, r->line, 0, NULL, 0,
				          "rule %s has no EXAMPLE: add one so that authors see "
				          "what it is for",
				          r->id);
				problems++;
			}
		}
	}
	pcre2_match_data_free(md);
	problems += gazetteer_check(rs->gz, d);
	return problems;
}
