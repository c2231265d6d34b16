/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Internet checksum (RFC 1071) for pkt.c, summed in the machine's
 * own byte order: a one's complement sum of 16-bit words is the same in
 * either order up to a swap of its two bytes (RFC 1071 2.(B)), so a sum
 * taken with native loads, folded and complemented is stored with a
 * native store and lands in network order. A request's bytes are summed
 * 8 at a time into a 64-bit accumulator with end-around carries, four
 * words an iteration, and the tail in one step per power of two, with
 * no byte loop.
 */
#ifndef __KV_CSUM_H__
#define __KV_CSUM_H__

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

/* acc + w in one's complement: the carry out of bit 63 comes back in */
static inline uint64_t csum_add(uint64_t acc, uint64_t w)
{
	acc += w;
	return acc + (acc < w);
}

/*
 * Adds the len bytes at p to acc. p must lie an even number of bytes
 * after the start of the summed data, as every header field does; an
 * odd last byte is padded with zero.
 */
static inline uint64_t csum_partial(const uint8_t *p, size_t len,
				    uint64_t acc)
{
	for (; len >= 32; p += 32, len -= 32) {
		acc = csum_add(acc, kv_load64(p));
		acc = csum_add(acc, kv_load64(p + 8));
		acc = csum_add(acc, kv_load64(p + 16));
		acc = csum_add(acc, kv_load64(p + 24));
	}
	if (len & 16) {
		acc = csum_add(acc, kv_load64(p));
		acc = csum_add(acc, kv_load64(p + 8));
		p += 16;
	}
	if (len & 8) {
		acc = csum_add(acc, kv_load64(p));
		p += 8;
	}
	if (len & 4) {
		acc = csum_add(acc, kv_load32(p));
		p += 4;
	}
	if (len & 2) {
		acc = csum_add(acc, kv_load16(p));
		p += 2;
	}
	/* the odd byte is the first, high-order byte of its 16-bit word */
	if (len & 1)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		acc = csum_add(acc, p[0]);
#else
		acc = csum_add(acc, (uint64_t)p[0] << 8);
#endif
	return acc;
}

/* A 16-bit field, given in host order, as a native load would read it */
static inline uint16_t csum_net16(uint16_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap16(v);
#else
	return v;
#endif
}

/*
 * A sum folded to 16 bits with end-around carries, each fold adding the
 * halves in one addition of the word and its rotation (the carry out of
 * the low half lands in the high one). Not 0 when anything summed was.
 */
static inline uint16_t csum_reduce(uint64_t acc)
{
	uint32_t s;

	acc += acc >> 32 | acc << 32;
	s = (uint32_t)(acc >> 32);
	s += s >> 16 | s << 16;
	return (uint16_t)(s >> 16);
}

/*
 * The checksum of a sum: csum_reduce() complemented. 0 when data that
 * holds its own checksum is intact. Store it with kv_store16().
 */
static inline uint16_t csum_fold(uint64_t acc)
{
	return (uint16_t)~csum_reduce(acc);
}

/*
 * The sum of bytes summed from their own start, as it counts where they
 * lie off bytes into the summed data: at an odd offset each byte sits
 * in the other half of its 16-bit word, which swaps the folded sum's
 * bytes (RFC 1071 2.(B)), i.e. multiplies it by 2^8 modulo 2^16 - 1;
 * rotating the 64-bit sum by 8 bits does that modulo 2^64 - 1, of
 * which 2^16 - 1 is a factor. So a reply built from pieces whose sums
 * are known is summed without reading it again.
 */
static inline uint64_t csum_at(uint64_t sum, size_t off)
{
	unsigned int r = (unsigned int)(off & 1) * 8;

	return sum << r | sum >> (-r & 63);
}

#endif /* __KV_CSUM_H__ */
