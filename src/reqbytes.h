/* SPDX-License-Identifier: MIT */
/* What a subject must hold for a pattern to match in it, read off the
 * pattern's text: per top-level alternative, up to RB_SETS byte sets each of
 * which a match consumes a byte of (the most selective ones). Stages that
 * run rules in many small subjects (numbers.c's windows, zone.c's lines) test
 * these before a call into PCRE2, whose fixed cost is far above the test's;
 * PCRE2's own first-byte analysis cannot reject "10.00-12.00" or "5G" shapes
 * in a window around a digit, as they begin with a digit too. Anything the
 * reader does not understand makes it give up: no test, every subject is
 * tried. */
#ifndef WARTA_REQBYTES_H
#define WARTA_REQBYTES_H

#include "internal.h"

enum { RB_ALTS = 4, RB_SETS = 4 };

/* reqbytes_may_scan() looks for sets of at most RB_SCAN signs. */
enum { RB_SCAN = 2 };

typedef struct rb_seq {
	uint8_t set[RB_SETS][32]; /* bit b of set[k][b / 8]: byte b */
	int nset;
	bool bol; /* begins with ^: only at the subject's start or after a newline */
	/* the sets of at most RB_SCAN signs, as their bytes (0: none) */
	unsigned char scan[RB_SETS][RB_SCAN];
	int nscan;
} rb_seq;

typedef struct reqbytes {
	int nalt;  /* alternatives in alt; 0: no test */
	bool scan; /* every alternative has a set to scan for */
	rb_seq alt[RB_ALTS];
} reqbytes;

/* Fills x from the pattern of r (x->nalt 0 when it cannot tell). */
void reqbytes_read(const rule *r, reqbytes *x);

/* True when a subject whose bytes are the set `has` may hold a match; `bol`:
 * the subject holds the start of a line (or of the text). */
bool reqbytes_may(const reqbytes *x, const uint8_t *has, bool bol);

/* True when s[0, n), a subject that begins a line, may hold a match: tests
 * only the sets of at most RB_SCAN signs (no letter, digit, space or byte
 * >= 0x80: those are in nearly every line), with memchr, so that it needs
 * no pass of its own over a long subject. */
bool reqbytes_may_scan(const reqbytes *x, const char *s, size_t n);

#endif
