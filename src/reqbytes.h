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

/* Returns the index past the item at p[i]: an escape, a class, a group or
 * one byte; 0 for what these readers do not follow (\Q...\E, a back
 * reference, a comment, an option setting such as (?i) that changes what
 * follows it, a verb). */
size_t reqbytes_skip_item(const char *p, size_t i);

/* True when p[i, end) holds a '|' outside every group and class, or cannot
 * be read. */
bool reqbytes_has_alt(const char *p, size_t i, size_t end);

/* How a line must look for a pattern that matches a whole line (zone.c's
 * line rules) to match it, read off the pattern's text: the words it must
 * begin with, ^(?i:simak|dapatkan|...); the bytes it may end with, read
 * back from a final $ past optional items and through groups and branches;
 * and a run: after ^, the bytes the items before the first required item X
 * may take, X a byte none of them takes (the first byte outside the run must
 * be X: stop), or, where no such X comes before the final $, every byte of
 * the line (stop 0). What is read is a necessary condition of a match; a
 * part of the pattern the reader does not know gives no test. */
enum { RB_LEAD_MAX = 24, RB_LEAD_BYTES = 8 };

typedef struct rb_shape {
	int nlead; /* 0: no test of how the line begins */
	struct {
		uint8_t len;
		bool icase; /* ASCII letters folded to lower case */
		char s[RB_LEAD_BYTES];
	} lead[RB_LEAD_MAX];
	bool has_last, has_run;
	uint8_t last[32], run[32]; /* bit b of x[b / 8]: byte b */
	unsigned char stop;
} rb_shape;

/* Fills sh from pattern; the parts it cannot read are left out. */
void reqbytes_shape_read(const char *pattern, rb_shape *sh);

/* True when sh holds any test. */
bool reqbytes_shape_any(const rb_shape *sh);

/* True when the line s[0, n) may match. */
bool reqbytes_shape_may(const rb_shape *sh, const char *s, size_t n);

#endif
