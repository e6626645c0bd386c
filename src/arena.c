/* SPDX-License-Identifier: MIT */
/* A bump allocator: one per document, freed at once by warta_doc_free().
 *
 *   head -> [block | used ... | free]  -> [older block] -> ... -> NULL
 *
 * Blocks grow geometrically so that a large article costs few mallocs; a
 * request larger than a block gets a block of its own. arena_alloc() zeroes
 * what it hands out; arena_alloc_raw() leaves that to the caller.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct arena_block {
	arena_block *next;
	size_t size, used;
	max_align_t data[];
};

static const warta_mem S_libc = {calloc, realloc, free};

const warta_mem *mem_or_default(const warta_mem *mem)
{
	return mem ? mem : &S_libc;
}

void *arena_alloc_raw(arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
	arena_block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t want = b ? b->size * 2 : 16384;
		if (want > (size_t)8 << 20)
			want = (size_t)8 << 20;
		if (want < size)
			want = size;
		/* not calloc: a block is zeroed as it is handed out (arena_alloc),
		 * so the part a document never uses costs nothing */
		b = a->mem->realloc(NULL, sizeof(arena_block) + want);
		if (!b)
			return NULL;
		b->size = want;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	a->total += size;
	return p;
}

void *arena_alloc(arena *a, size_t size)
{
	void *p = arena_alloc_raw(a, size);
	if (p)
		memset(p, 0, size);
	return p;
}

/* Bytes of zeros after every copied string: PCRE2's JIT may read a little
 * past the subject's end with wide loads, and those bytes must be defined
 * (valgrind-clean) even though they never decide a match. */
#define S_TAIL 64

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_raw(a, n + S_TAIL);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	memset(p + n, 0, S_TAIL);
	return p;
}

void arena_free(arena *a)
{
	arena_block *b = a->head;
	while (b) {
		arena_block *next = b->next;
		a->mem->free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
}

void sort_unless_sorted(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	const char *p = base;
	for (size_t i = 1; i < n; i++)
		if (cmp(p + (i - 1) * size, p + i * size) > 0) {
			qsort(base, n, size, cmp);
			return;
		}
}

bool vec_reserve_(arena *a, void **v, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 16;
	char *nv = arena_alloc_raw(a, ncap * elem);
	if (!nv)
		return false;
	if (n)
		memcpy(nv, *v, n * elem);
	memset(nv + n * elem, 0, (ncap - n) * elem);
	*v = nv;
	*cap = ncap;
	return true;
}
