/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client side of memcached's UDP protocol as kvload speaks it: build
 * a request datagram, read a reply's frame header, and judge a reply
 * against the request it answers. No I/O, so it is tested alone.
 *
 * Every value kvload writes is the preload value of its key, so a GET
 * reply is checked against kv_preload_value() whether or not the key was
 * last written by a SET or by the server's preload.
 */
#ifndef __KVLOAD_PROTO_H__
#define __KVLOAD_PROTO_H__

#include <stddef.h>
#include <stdint.h>

#include "kv.h"

enum req_op {
	REQ_GET,
	REQ_SET,
};

enum verdict {
	V_OK,
	V_MISS,		/* GET answered END: the key is absent */
	V_BAD_KEY,	/* VALUE line names another key */
	V_BAD_VALUE,	/* wrong length or bytes */
	V_ERROR,	/* ERROR, CLIENT_ERROR, SERVER_ERROR, NOT_STORED */
	V_GARBLED,	/* not a reply of the protocol */
	V_COUNT
};

extern const char *const verdict_name[V_COUNT];

/* The preload values repeat every 26 keys (see kv.h): keep the 26. */
#define PATTERNS	26

struct values {
	uint32_t size;
	uint8_t *pattern[PATTERNS];
};

int values_init(struct values *v, uint32_t size);
void values_fini(struct values *v);

static inline const uint8_t *values_of(const struct values *v, uint32_t key)
{
	return v->pattern[key % PATTERNS];
}

/*
 * Writes the datagram of one request (frame header and text) into buf;
 * returns its length, or 0 when cap is too small.
 */
size_t req_build(uint8_t *buf, size_t cap, uint16_t id, enum req_op op,
		 uint32_t key, const struct values *v);

/*
 * Reads the frame header of a reply. Returns 0 and the request id, or
 * -1 when it is short or not a single-datagram reply.
 */
int reply_id(const uint8_t *p, size_t len, uint16_t *id);

/* Judges the reply p (frame header included) to request (op, key). */
enum verdict reply_check(const uint8_t *p, size_t len, enum req_op op,
			 uint32_t key, const struct values *v);

/*
 * Judges a datagram that should be the request itself, sent back by a
 * loopback that only swaps addresses (a client ceiling run).
 */
enum verdict echo_check(const uint8_t *p, size_t len, uint16_t id,
			enum req_op op, uint32_t key, const struct values *v);

#endif /* __KVLOAD_PROTO_H__ */
