/* bytemask.h: which of 64 bytes are ASCII letters, small letters, digits
 * and spaces, as bit masks (bit k for byte k): SSE2 where the target has it, SWAR on
 * eight bytes at a time else. For the loops that read every byte of a
 * text: the tokenizer (segment.c) and the candidate starts of the rules
 * (rules.c) and numbers. Bytes >= 0x80 are in no mask but their own. */
#ifndef WARTA_BYTEMASK_H
#define WARTA_BYTEMASK_H

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define BM_ONES 0x0101010101010101ull
#define BM_HIGH 0x8080808080808080ull

/* SWAR over 8 bytes, the lowest first: bit 7 of each byte of the result is
 * set where the byte is an ASCII letter or digit, of *low where it is a
 * small letter, of *dig where a digit. Every range test adds to the byte
 * with bit 7 cleared, so no sum carries into the next byte. */
static inline uint64_t bm_alnum8(uint64_t v, uint64_t *low, uint64_t *dig)
{
	uint64_t x = v & ~BM_HIGH, l = x | BM_ONES * 0x20;
	uint64_t letter = (l + BM_ONES * (0x80 - 'a')) & ~(l + BM_ONES * (0x80 - 'z' - 1));
	uint64_t digit = (x + BM_ONES * (0x80 - '0')) & ~(x + BM_ONES * (0x80 - '9' - 1));
	uint64_t ascii = ~v & BM_HIGH;
	*low = letter & (v << 2) & ascii; /* bit 5 set: a small letter */
	*dig = digit & ascii;
	return (letter | digit) & ascii;
}

/* The eight bytes at p as a number, the first byte lowest on every host. */
static inline uint64_t bm_load8(const void *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* The number of bytes whose bit 7 is set in m (m has no other bits). */
static inline unsigned bm_count8(uint64_t m)
{
	return (unsigned)(((m >> 7) * BM_ONES) >> 56);
}

/* The bits of bytes whose bit 7 is set in m (m has no other bits): bit k
 * for byte k. */
static inline unsigned bm_gather8(uint64_t m)
{
	return (unsigned)(((m >> 7) * 0x0102040810204080ull) >> 56);
}

/* The masks of 64 bytes. */
typedef struct bytemask {
	uint64_t alnum, low, dig; /* letters and digits, small letters, digits */
	uint64_t high;            /* bytes >= 0x80 */
} bytemask;

/* The masks of the 64 bytes at p (all readable). */
static inline bytemask bm_block64(const unsigned char *p)
{
	bytemask B = {0, 0, 0, 0};
#ifdef __SSE2__
	/* unsigned ranges as signed compares: c + (0x80 - lo) < hi - lo + 1 - 0x80
	 * holds exactly for c in [lo, hi], and never for a byte >= 0x80 */
	const __m128i k20 = _mm_set1_epi8(0x20), ka = _mm_set1_epi8(0x80 - 'a'),
	              kz = _mm_set1_epi8((char)(26 - 0x80)), k0 = _mm_set1_epi8(0x80 - '0'),
	              k9 = _mm_set1_epi8((char)(10 - 0x80));
#define BM_MASK16(k)                                                                               \
	do {                                                                                       \
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * (k)));        \
		__m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, k20), ka), kz);       \
		__m128i small = _mm_cmplt_epi8(_mm_add_epi8(v, ka), kz);                           \
		__m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, k0), k9);                           \
		B.alnum |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit))      \
		           << (16 * (k));                                                          \
		B.low |= (uint64_t)(unsigned)_mm_movemask_epi8(small) << (16 * (k));               \
		B.dig |= (uint64_t)(unsigned)_mm_movemask_epi8(digit) << (16 * (k));               \
		B.high |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << (16 * (k));                  \
	} while (0)
	BM_MASK16(0);
	BM_MASK16(1);
	BM_MASK16(2);
	BM_MASK16(3);
#undef BM_MASK16
#else
	for (int k = 0; k < 8; k++) {
		uint64_t v, low, digit;
		memcpy(&v, p + 8 * k, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		v = __builtin_bswap64(v);
#endif
		uint64_t m = bm_alnum8(v, &low, &digit);
		B.alnum |= (uint64_t)bm_gather8(m) << (8 * k);
		B.low |= (uint64_t)bm_gather8(low) << (8 * k);
		B.dig |= (uint64_t)bm_gather8(digit) << (8 * k);
		B.high |= (uint64_t)bm_gather8(v & BM_HIGH) << (8 * k);
	}
#endif
	return B;
}

/* The bits of the bytes of the 64 at p that are c. */
static inline uint64_t bm_eq64(const unsigned char *p, unsigned char c)
{
	uint64_t m = 0;
#ifdef __SSE2__
	const __m128i k = _mm_set1_epi8((char)c);
	for (int i = 0; i < 4; i++)
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		         _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)), k))
		     << (16 * i);
#else
	for (int i = 0; i < 8; i++) {
		/* a byte is 0 after the xor where it was c; adding 0x7F to
		 * its low seven bits sets bit 7 unless they are all 0, and no
		 * sum carries into the next byte */
		uint64_t x = bm_load8(p + 8 * i) ^ (BM_ONES * c);
		uint64_t y = (x & ~BM_HIGH) + ~BM_HIGH;
		m |= (uint64_t)bm_gather8(~(y | x) & BM_HIGH) << (8 * i);
	}
#endif
	return m;
}

/* The spaces (0x20) of the 64 bytes at p: where most words end, and starts
 * that most rules never take. */
static inline uint64_t bm_spaces64(const unsigned char *p)
{
	return bm_eq64(p, ' ');
}

#endif
