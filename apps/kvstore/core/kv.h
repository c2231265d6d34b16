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

struct kv_config {
	uint32_t capacity;	/* items the table can hold */
	uint32_t amp_limit;	/* max reply/request size ratio, 0: default */
};

struct kv_stats {
	uint64_t cmd_get;	/* keys looked up by get/gets */
	uint64_t get_hits;
	uint64_t get_misses;
	uint64_t cmd_set;	/* set, add, replace */
	uint64_t cmd_delete;
	uint64_t errors;	/* ERROR and CLIENT_ERROR replies */
	uint64_t amp_refused;	/* replies refused as amplification */
	uint64_t dropped;	/* datagrams that got no reply */
	uint64_t bytes_read;
	uint64_t bytes_written;
	uint64_t curr_items;
};

struct kv_store;

/* Allocates the whole table once; returns NULL when memory is short. */
struct kv_store *kv_store_create(const struct kv_config *cfg);
void kv_store_destroy(struct kv_store *s);

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
 * Answers one UDP payload (8-byte frame header, then one text command).
 * Writes the reply, with its frame header, into out and returns its
 * length; returns 0 when the datagram is dropped without a reply.
 */
size_t kv_handle(struct kv_store *s, const uint8_t *in, size_t inlen,
		 uint8_t *out, size_t outcap);

const struct kv_stats *kv_get_stats(const struct kv_store *s);

#endif /* __KV_H__ */
