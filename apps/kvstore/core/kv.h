/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The KV server core: a fixed-capacity table and memcached's UDP text
 * protocol. It holds no I/O, so every front end (Linux sockets, lwIP,
 * raw uknetdev) and the fuzzer share it unchanged.
 */
#ifndef __KV_H__
#define __KV_H__

#include <stddef.h>
#include <stdint.h>

#define KV_KEY_MAX		250
/* memcached's own bound on a UDP datagram's payload */
#define KV_DATAGRAM_MAX		1400
#define KV_FRAME_HDR_LEN	8
#define KV_AMP_LIMIT_DEFAULT	64
/*
 * Overhead of the largest single-item reply beside key and value: frame
 * header, "VALUE " and the spaces, flags (10 digits), length (4), cas
 * unique (20), the two CRLFs and "END\r\n".
 */
#define KV_ITEM_OVERHEAD	60
/* Longest value a key of klen bytes may hold: its gets reply fits a datagram */
#define KV_VALUE_MAX(klen)	(KV_DATAGRAM_MAX - KV_ITEM_OVERHEAD - (klen))
/* Key plus value bytes of the largest item */
#define KV_ITEM_MAX		KV_VALUE_MAX(0)

struct kv_config {
	uint32_t capacity;	/* items the table can hold */
	uint32_t amp_limit;	/* max reply/request size ratio, 0: default */
	/*
	 * Key plus value bytes one item may hold, 0: KV_ITEM_MAX. Memory is
	 * about capacity * (item_max + 24) bytes; a smaller bound lets a
	 * small guest hold more items.
	 */
	uint32_t item_max;
	uint64_t hash_seed;	/* a random seed defeats crafted collisions */
};

struct kv_stats {
	uint64_t cmd_get;	/* keys looked up by get/gets */
	uint64_t get_hits;
	uint64_t get_misses;
	uint64_t cmd_set;	/* set, add, replace, cas */
	uint64_t cmd_delete;
	uint64_t errors;	/* ERROR, CLIENT_ERROR, SERVER_ERROR replies */
	uint64_t amp_refused;	/* replies refused as amplification */
	uint64_t dropped;	/* datagrams dropped unanswered (short header,
				 * multi-datagram, unterminated command line);
				 * noreply commands are not counted */
	uint64_t bytes_read;
	uint64_t bytes_written;
	uint64_t curr_items;
};

struct kv_store;

#define KV_CAPACITY_MAX		(1u << 30)

/*
 * Allocates the whole table once; returns NULL when memory is short or
 * the configuration is invalid (capacity 0 or above KV_CAPACITY_MAX,
 * item_max above KV_ITEM_MAX).
 */
struct kv_store *kv_store_create(const struct kv_config *cfg);
void kv_store_destroy(struct kv_store *s);

/*
 * The items are the table's one large allocation: kv_items_bytes() is
 * what kv_store_create() allocates for them, kv_capacity_for() the
 * largest capacity whose items fit in bytes (0: none, at most
 * KV_CAPACITY_MAX), so that a guest short of memory can size its table.
 * item_max as in struct kv_config.
 */
size_t kv_items_bytes(uint32_t capacity, uint32_t item_max);
uint32_t kv_capacity_for(size_t bytes, uint32_t item_max);

/*
 * Inserts keys kv_preload_key(0..n-1) with values kv_preload_value() of
 * value_size bytes, so a benchmark can be GET-heavy at once.
 * Returns 0, or -1 when the table or a datagram cannot hold them.
 */
int kv_preload(struct kv_store *s, uint32_t n, uint32_t value_size);

/* Preload key i, NUL-terminated: "key:" and i in decimal. Returns length. */
int kv_preload_key(uint32_t i, char *buf, size_t cap);
/* Byte j of preload value i: 'a' + (i + j) % 26. */
void kv_preload_value(uint32_t i, uint8_t *buf, size_t len);

/*
 * Answers one UDP payload (8-byte frame header, then text commands, as
 * memcached: several may follow each other; processing stops at the
 * first error). Writes the reply, with its frame header, into out and
 * returns its length, never more than KV_DATAGRAM_MAX or outcap; returns
 * 0 when the datagram is dropped or every command was noreply. in need
 * not be NUL-terminated; out must not overlap in. Keeps no checksum sum
 * of the reply, which a socket front end does not need.
 */
size_t kv_handle(struct kv_store *s, const uint8_t *in, size_t inlen,
		 uint8_t *out, size_t outcap);

/*
 * kv_handle(), that also sets *sum, unless sum is NULL, to the reply's
 * checksum sum: what csum_partial(out, length, 0) would return, up to
 * end-around carries (csum_fold() of both is the same), taken from sums
 * kept with the items rather than from the reply's bytes. *sum is set
 * only when the length returned is not 0.
 */
size_t kv_handle_csum(struct kv_store *s, const uint8_t *in, size_t inlen,
		      uint8_t *out, size_t outcap, uint64_t *sum);

const struct kv_stats *kv_get_stats(const struct kv_store *s);

#endif /* __KV_H__ */
