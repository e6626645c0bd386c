/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz harnesses: the data folder, a ruleset loaded once, and a
 * scratch data folder for the loader harnesses. Each harness defines
 * LLVMFuzzerTestOneInput; built with clang -fsanitize=fuzzer it is a libFuzzer
 * target, built with replay.c (any C compiler) it replays files, which is how
 * tests/regress/ cases run in `make check`. */
#ifndef WARTA_FUZZ_H
#define WARTA_FUZZ_H

#include "internal.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_DATADIR
#define FUZZ_DATADIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The real data folder: $WARTA_DATA, else the source tree the harness was
 * built from. */
static inline const char *fz_datadir(void)
{
	const char *d = getenv("WARTA_DATA");
	return d && *d ? d : FUZZ_DATADIR;
}

/* Loads the real data folder with `limits` (NULL: defaults), or aborts: a
 * harness without its rules would fuzz nothing. */
static inline warta_ruleset *fz_load(const warta_limits *limits)
{
	warta_ruleset *rs = NULL;
	warta_diags *d = NULL;
	int rc = warta_ruleset_load(fz_datadir(), limits, NULL, &rs, &d);
	if (rc) {
		for (size_t i = 0; i < warta_diags_count(d); i++)
			fprintf(stderr, "%s\n", warta_diags_format(d, i));
		fprintf(stderr, "fuzz: cannot load %s: %s\n", fz_datadir(), warta_strerror(rc));
		abort();
	}
	warta_diags_free(d);
	return rs;
}

/* A scratch data folder with empty rules/ and gazetteers/, made once per
 * process (removed at exit). */
static char fz_tmp[256];
static void fz_tmp_cleanup(void)
{
	char cmd[300];
	if (fz_tmp[0]) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", fz_tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz: could not remove %s\n", fz_tmp);
	}
}
static inline const char *fz_scratch(void)
{
	if (fz_tmp[0])
		return fz_tmp;
	const char *t = getenv("TMPDIR");
	snprintf(fz_tmp, sizeof fz_tmp, "%s/warta-fuzz-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(fz_tmp))
		abort();
	char p[300];
	snprintf(p, sizeof p, "%s/rules", fz_tmp);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/gazetteers", fz_tmp);
	mkdir(p, 0700);
	atexit(fz_tmp_cleanup);
	return fz_tmp;
}

/* Writes (s, n) to scratch/rel, or aborts. */
static inline void fz_write(const char *rel, const void *s, size_t n)
{
	char p[400];
	snprintf(p, sizeof p, "%s/%s", fz_scratch(), rel);
	FILE *f = fopen(p, "wb");
	if (!f || (n && fwrite(s, 1, n, f) != n) || fclose(f) != 0)
		abort();
}

static inline void fz_remove(const char *rel)
{
	char p[400];
	snprintf(p, sizeof p, "%s/%s", fz_scratch(), rel);
	unlink(p);
}

/* A record must exist (unless out of memory) and be one valid JSON object
 * with the schema; anything else is a bug worth a crash. */
static inline void fz_check_record(const char *json)
{
	if (!json)
		return;
	cJSON *o = cJSON_Parse(json);
	cJSON *schema = o ? cJSON_GetObjectItemCaseSensitive(o, "schema") : NULL;
	if (!cJSON_IsObject(o) || !cJSON_IsString(schema) ||
	    strcmp(schema->valuestring, WARTA_SCHEMA) != 0) {
		fprintf(stderr, "fuzz: the record is not a warta/1 JSON object:\n%.2000s\n", json);
		abort();
	}
	cJSON_Delete(o);
}

#endif
