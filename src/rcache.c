/* SPDX-License-Identifier: MIT */
/* The load cache: what loading the rules computes from their text alone
 * (compiled patterns, learnt start filters), kept in a file between runs.
 *
 * Compiling the expanded patterns and probing them for their start filters
 * was three quarters of start-up, and gives the same result every time the
 * same text is loaded by the same build. So rules.c stores one blob per rule
 * under a key that hashes everything the blob depends on, and the next load
 * decodes the blob instead. A rule whose text changed gets a new key: only
 * it is compiled and probed again, which keeps the edit-and-run loop of a
 * rule author fast too.
 *
 * The file is a cache, never a source of truth: missing, unreadable, from
 * another build, truncated or damaged, it reads as empty, and a failure to
 * write it is not an error. It is written to a temporary file and renamed,
 * so that processes starting together never see half a file. Layout (host
 * byte order; the salt covers the host):
 *
 *   "WARTAC\x01\n"  u64 salt  u64 entry count  u64 checksum of what follows
 *   per entry:      u64 key   u64 size         size bytes, zero-padded to 8
 *
 * There is one file per data folder, and a folder may be a temporary one
 * (a test, a trial of a rule); after each write the folder keeps only the
 * RCACHE_KEEP most recently used files (rcache_prune), so it does not grow
 * for ever. A file's modification time says when it was last used: a load
 * that reads a file older than S_TOUCH_AGE touches it, or the cache of a
 * folder in daily use, never rewritten, would go when sixteen trials had
 * written theirs.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char S_MAGIC[8] = {'W', 'A', 'R', 'T', 'A', 'C', 1, '\n'};
enum { S_HEAD = 32 };
/* seconds: a file is touched at most once an hour, not at every start */
enum { S_TOUCH_AGE = 3600 };

uint64_t hash64(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ull);
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 32;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h = (h ^ w ^ n) * 0xC4CEB9FE1A85EC53ull;
	return h ^ h >> 29;
}

typedef struct centry {
	uint64_t key;
	const unsigned char *data; /* into rcache.file, or owned when fresh */
	size_t size;
	bool used, fresh;
} centry;

struct rcache {
	const warta_mem *mem;
	char *path;
	uint64_t salt;
	unsigned char *file; /* the file as mapped (filen bytes), or NULL */
	size_t filen;
	centry *e;
	size_t n, cap;
	size_t nread; /* e[0, nread) came from the file, sorted by key */
	bool dirty;   /* an entry was added */
};

static int S_cmp_key(const void *a, const void *b)
{
	uint64_t x = ((const centry *)a)->key, y = ((const centry *)b)->key;
	return x < y ? -1 : x > y;
}

static bool S_push(rcache *c, centry e)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		centry *v = c->mem->realloc(c->e, cap * sizeof *v);
		if (!v)
			return false;
		c->e = v;
		c->cap = cap;
	}
	c->e[c->n++] = e;
	return true;
}

static uint64_t S_u64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* Maps the whole of fd read-only; false on any error or when larger than
 * max. A map, not a read: the file is decoded once and dropped, and a read
 * into the heap cost a copy and a page fault per 4 KB of it (8 ms of a
 * 55 ms start-up). Writers never change a cache file in place (they rename
 * a new one over it), so the pages stay what was checked. */
static bool S_map(int fd, size_t max, unsigned char **buf, size_t *n, time_t *mtime)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < S_HEAD ||
	    (uint64_t)st.st_size > max)
		return false;
	*n = (size_t)st.st_size;
	*mtime = st.st_mtime;
	void *p = mmap(NULL, *n, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return false;
	*buf = p;
	return true;
}

/* Takes the entries of a file that passed every check; anything else is
 * dropped whole (a damaged cache costs one slow start, never a wrong rule). */
static void S_read(rcache *c)
{
	int fd = open(c->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	unsigned char *buf = NULL;
	size_t n = 0;
	time_t mtime = 0;
	bool ok = S_map(fd, (size_t)1 << 30, &buf, &n, &mtime);
	close(fd);
	if (!ok)
		return;
	if (memcmp(buf, S_MAGIC, 8) != 0 || S_u64(buf + 8) != c->salt ||
	    S_u64(buf + 24) != hash64(buf + S_HEAD, n - S_HEAD, c->salt))
		goto drop;
	uint64_t count = S_u64(buf + 16);
	size_t at = S_HEAD;
	for (uint64_t k = 0; k < count; k++) {
		if (n - at < 16)
			goto drop;
		uint64_t key = S_u64(buf + at), size = S_u64(buf + at + 8);
		at += 16;
		if (size > n - at || (size + 7) / 8 * 8 > n - at)
			goto drop;
		if (!S_push(c, (centry){key, buf + at, (size_t)size, false, false}))
			goto drop;
		at += (size_t)(size + 7) / 8 * 8;
	}
	if (at != n)
		goto drop;
	qsort(c->e, c->n, sizeof *c->e, S_cmp_key);
	c->nread = c->n;
	c->file = buf;
	c->filen = n;
	/* marks it used for rcache_prune; a file this process may not touch
	 * is only pruned sooner */
	if (time(NULL) - mtime > S_TOUCH_AGE)
		(void)utimensat(AT_FDCWD, c->path, NULL, 0);
	return;
drop:
	c->n = 0;
	munmap(buf, n);
}

rcache *rcache_open(const warta_mem *mem, const char *dir, const char *datadir, uint64_t salt)
{
	if (!dir || !*dir)
		return NULL;
	rcache *c = mem->calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->mem = mem;
	c->salt = salt;
	/* one file per data folder, so that loads of different folders do
	 * not take turns at rewriting one file */
	char *real = realpath(datadir, NULL);
	const char *name = real ? real : datadir;
	uint64_t h = hash64(name, strlen(name), 0);
	free(real);
	size_t len = strlen(dir) + 40;
	if (!(c->path = mem->realloc(NULL, len))) {
		mem->free(c);
		return NULL;
	}
	snprintf(c->path, len, "%s/rules-%016llx.cache", dir, (unsigned long long)h);
	S_read(c);
	return c;
}

const void *rcache_get(rcache *c, uint64_t key, size_t *n)
{
	if (!c)
		return NULL;
	size_t lo = 0, hi = c->nread;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->e[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->nread || c->e[lo].key != key)
		return NULL;
	c->e[lo].used = true;
	*n = c->e[lo].size;
	return c->e[lo].data;
}

bool rcache_put(rcache *c, uint64_t key, const void *blob, size_t n)
{
	if (!c)
		return true;
	for (size_t i = c->nread; i < c->n; i++)
		if (c->e[i].key == key) /* two rules of the same text */
			return true;
	unsigned char *copy = c->mem->realloc(NULL, n ? n : 1);
	if (!copy)
		return false;
	memcpy(copy, blob, n);
	if (!S_push(c, (centry){key, copy, n, true, true})) {
		c->mem->free(copy);
		return false;
	}
	c->dirty = true;
	return true;
}

/* Writes the used and fresh entries to a temporary file, then renames it
 * over the cache. */
static void S_write(rcache *c)
{
	size_t body = 0, count = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].used) {
			body += 16 + (c->e[i].size + 7) / 8 * 8;
			count++;
		}
	unsigned char *buf = c->mem->calloc(1, S_HEAD + body);
	if (!buf)
		return;
	memcpy(buf, S_MAGIC, 8);
	uint64_t v = c->salt;
	memcpy(buf + 8, &v, 8);
	v = count;
	memcpy(buf + 16, &v, 8);
	size_t at = S_HEAD;
	for (size_t i = 0; i < c->n; i++) {
		if (!c->e[i].used)
			continue;
		v = c->e[i].key;
		memcpy(buf + at, &v, 8);
		v = c->e[i].size;
		memcpy(buf + at + 8, &v, 8);
		memcpy(buf + at + 16, c->e[i].data, c->e[i].size);
		at += 16 + (c->e[i].size + 7) / 8 * 8;
	}
	v = hash64(buf + S_HEAD, body, c->salt);
	memcpy(buf + 24, &v, 8);
	size_t len = strlen(c->path) + 32;
	char *tmp = c->mem->realloc(NULL, len);
	if (tmp) {
		snprintf(tmp, len, "%s.%ld.tmp", c->path, (long)getpid());
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
		if (fd >= 0 && !f)
			close(fd);
		bool ok = f && fwrite(buf, 1, S_HEAD + body, f) == S_HEAD + body;
		if (f && fclose(f) != 0)
			ok = false;
		if (!ok || rename(tmp, c->path) != 0)
			unlink(tmp);
		else {
			char *slash = strrchr(c->path, '/');
			if (slash) {
				*slash = '\0';
				rcache_prune(c->mem, c->path, RCACHE_KEEP, slash + 1);
				*slash = '/';
			}
		}
		c->mem->free(tmp);
	}
	c->mem->free(buf);
}

struct cache_file {
	char *name;
	time_t mtime;
};

static int S_older_first(const void *a, const void *b)
{
	const struct cache_file *x = a, *y = b;
	return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

void rcache_prune(const warta_mem *mem, const char *dir, size_t keep, const char *spare)
{
	if (!keep)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct cache_file *v = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		size_t len = strlen(e->d_name);
		if (len < 12 || strncmp(e->d_name, "rules-", 6) != 0 ||
		    strcmp(e->d_name + len - 6, ".cache") != 0 ||
		    (spare && strcmp(e->d_name, spare) == 0))
			continue;
		if (n == cap) {
			size_t nc = cap ? 2 * cap : 32;
			struct cache_file *nv = mem->realloc(v, nc * sizeof *nv);
			if (!nv)
				break;
			v = nv;
			cap = nc;
		}
		size_t plen = strlen(dir) + len + 2;
		char *path = mem->realloc(NULL, plen);
		if (!path)
			break;
		snprintf(path, plen, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0) {
			mem->free(path);
			continue;
		}
		v[n++] = (struct cache_file){path, st.st_mtime};
	}
	closedir(d);
	/* the file just written counts among those kept */
	size_t others = keep - (spare != NULL);
	if (n > others) {
		qsort(v, n, sizeof *v, S_older_first);
		for (size_t i = 0; i < n - others; i++)
			(void)unlink(v[i].name);
	}
	for (size_t i = 0; i < n; i++)
		mem->free(v[i].name);
	mem->free(v);
}

void rcache_close(rcache *c, bool save)
{
	if (!c)
		return;
	bool stale = false;
	for (size_t i = 0; i < c->n; i++)
		stale |= !c->e[i].used;
	if (save && (c->dirty || stale)) {
		/* the folder may not exist yet: make the last two levels
		 * ($XDG_CACHE_HOME/warta); a failure shows in open() */
		char *slash = strrchr(c->path, '/');
		if (slash) {
			*slash = '\0';
			char *up = strrchr(c->path, '/');
			if (up && up != c->path) {
				*up = '\0';
				(void)mkdir(c->path, 0755);
				*up = '/';
			}
			(void)mkdir(c->path, 0755);
			*slash = '/';
		}
		S_write(c);
	}
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].fresh)
			c->mem->free((void *)c->e[i].data);
	c->mem->free(c->e);
	if (c->file)
		munmap(c->file, c->filen);
	c->mem->free(c->path);
	c->mem->free(c);
}
