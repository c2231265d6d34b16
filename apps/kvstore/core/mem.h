/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Copies, compares and byte searches for the request path, a machine
 * word at a time. Unikraft's nolibc does memcpy/memcmp/memchr a byte at
 * a time, and most of a request's bytes pass through them, so the core
 * uses these instead, on every platform alike. Loads and stores are
 * fixed-size __builtin_memcpy()s, which compilers turn into plain moves
 * at any alignment, and never reach outside [p, p + n).
 */
#ifndef __KV_MEM_H__
#define __KV_MEM_H__

#include <stddef.h>
#include <stdint.h>

static inline uint64_t kv_load64(const void *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t kv_load32(const void *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t kv_load16(const void *p)
{
	uint16_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline void kv_store64(void *p, uint64_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

static inline void kv_store32(void *p, uint32_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

static inline void kv_store16(void *p, uint16_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

/*
 * memcpy() for buffers that do not overlap, 16 bytes a round (one
 * vector load and store where the machine has them). The tail is one
 * last round that overlaps the one before it rather than a byte loop.
 */
static inline void kv_copy(void *dst, const void *src, size_t n)
{
	uint8_t *d = (uint8_t *)dst;
	const uint8_t *s = (const uint8_t *)src;
	uint64_t tail;
	size_t i;

	if (n >= 16) {
		for (i = 0; i + 16 < n; i += 16)
			__builtin_memcpy(d + i, s + i, 16);
		__builtin_memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8) {
		tail = kv_load64(s + n - 8);
		kv_store64(d, kv_load64(s));
		kv_store64(d + n - 8, tail);
	} else if (n >= 4) {
		tail = kv_load32(s + n - 4);
		kv_store32(d, kv_load32(s));
		kv_store32(d + n - 4, (uint32_t)tail);
	} else if (n >= 2) {
		tail = kv_load16(s + n - 2);
		kv_store16(d, kv_load16(s));
		kv_store16(d + n - 2, (uint16_t)tail);
	} else if (n) {
		d[0] = s[0];
	}
}

/* !memcmp(a, b, n) */
static inline int kv_equal(const void *a, const void *b, size_t n)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8)
			if (kv_load64(x + i) != kv_load64(y + i))
				return 0;
		return kv_load64(x + n - 8) == kv_load64(y + n - 8);
	}
	if (n >= 4)
		return kv_load32(x) == kv_load32(y) &&
		       kv_load32(x + n - 4) == kv_load32(y + n - 4);
	if (n >= 2)
		return kv_load16(x) == kv_load16(y) &&
		       kv_load16(x + n - 2) == kv_load16(y + n - 2);
	return !n || x[0] == y[0];
}

/*
 * Flags (bit 7 of a byte) the bytes of w equal to c, ones being
 * 0x01 in each byte of w: a word XORed with c has a zero byte where it
 * matched. A borrow only flags a byte above a true match, so the
 * lowest flag is exact.
 */
static inline uint64_t kv_byte_hits(uint64_t w, uint8_t c, uint64_t ones)
{
	uint64_t v = w ^ (ones * c);

	return (v - ones) & ~v & (ones << 7);
}

/* The first byte equal to c of the word at p, which hits flagged */
static inline const uint8_t *kv_first_hit(const uint8_t *p, uint64_t hits,
					  uint8_t c)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	(void)c;
	return p + (__builtin_ctzll(hits) >> 3);
#else
	(void)hits;
	while (*p != c)
		p++;
	return p;
#endif
}

/*
 * memchr(): a word at a time. As in kv_copy(), the last word overlaps
 * the one before (whose bytes did not match) and 4 to 7 bytes are two
 * overlapping halves, so only 1 to 3 bytes take a byte loop.
 */
static inline const uint8_t *kv_find_byte(const uint8_t *p, size_t n,
					  uint8_t c)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t hits;
	size_t i;

	if (n >= 8) {
		/* one loop for the last word too, with its constants kept */
		for (i = 0;; i += 8) {
			if (i > n - 8)
				i = n - 8;
			hits = kv_byte_hits(kv_load64(p + i), c, ones);
			if (hits)
				return kv_first_hit(p + i, hits, c);
			if (i == n - 8)
				return NULL;
		}
	}
	if (n >= 4) {
		hits = kv_byte_hits(kv_load32(p), c, ones >> 32);
		if (hits)
			return kv_first_hit(p, hits, c);
		hits = kv_byte_hits(kv_load32(p + n - 4), c, ones >> 32);
		return hits ? kv_first_hit(p + n - 4, hits, c) : NULL;
	}
	for (i = 0; i < n; i++)
		if (p[i] == c)
			return p + i;
	return NULL;
}

#endif /* __KV_MEM_H__ */
