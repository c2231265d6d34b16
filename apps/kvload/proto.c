/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

const char *const verdict_name[V_COUNT] = {
	[V_OK] = "ok",
	[V_MISS] = "miss",
	[V_BAD_KEY] = "bad_key",
	[V_BAD_VALUE] = "bad_value",
	[V_ERROR] = "error_reply",
	[V_GARBLED] = "garbled",
};

int values_init(struct values *v, uint32_t size)
{
	unsigned int i;

	memset(v, 0, sizeof(*v));
	v->size = size;
	for (i = 0; i < PATTERNS; i++) {
		/* +1: malloc(0) may return NULL */
		v->pattern[i] = malloc(size + 1);
		if (!v->pattern[i]) {
			values_fini(v);
			return -1;
		}
		kv_preload_value(i, v->pattern[i], size);
	}
	return 0;
}

void values_fini(struct values *v)
{
	unsigned int i;

	for (i = 0; i < PATTERNS; i++) {
		free(v->pattern[i]);
		v->pattern[i] = NULL;
	}
}

static void put_be16(uint8_t *p, uint16_t x)
{
	p[0] = x >> 8;
	p[1] = x & 0xff;
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static size_t frame_hdr(uint8_t *buf, uint16_t id)
{
	put_be16(buf, id);
	put_be16(buf + 2, 0);	/* sequence number */
	put_be16(buf + 4, 1);	/* datagrams in this message */
	put_be16(buf + 6, 0);
	return KV_FRAME_HDR_LEN;
}

size_t req_build(uint8_t *buf, size_t cap, uint16_t id, enum req_op op,
		 uint32_t key, const struct values *v)
{
	char k[KV_KEY_MAX + 1];
	size_t n = KV_FRAME_HDR_LEN;
	int len;

	if (cap < KV_FRAME_HDR_LEN)
		return 0;
	frame_hdr(buf, id);
	kv_preload_key(key, k, sizeof(k));
	if (op == REQ_GET) {
		len = snprintf((char *)buf + n, cap - n, "get %s\r\n", k);
		if (len < 0 || (size_t)len >= cap - n)
			return 0;
		return n + len;
	}
	len = snprintf((char *)buf + n, cap - n, "set %s 0 0 %u\r\n", k,
		       v->size);
	if (len < 0 || (size_t)len >= cap - n)
		return 0;
	n += len;
	if (cap - n < v->size + 2)
		return 0;
	memcpy(buf + n, values_of(v, key), v->size);
	n += v->size;
	memcpy(buf + n, "\r\n", 2);
	return n + 2;
}

int reply_id(const uint8_t *p, size_t len, uint16_t *id)
{
	if (len < KV_FRAME_HDR_LEN)
		return -1;
	if (get_be16(p + 2) != 0 || get_be16(p + 4) != 1)
		return -1;
	*id = get_be16(p);
	return 0;
}

static int starts(const uint8_t *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	return len >= n && memcmp(p, s, n) == 0;
}

static enum verdict not_value(const uint8_t *p, size_t len)
{
	if (len == 5 && starts(p, len, "END\r\n"))
		return V_MISS;
	if (starts(p, len, "ERROR") || starts(p, len, "CLIENT_ERROR ") ||
	    starts(p, len, "SERVER_ERROR ") || starts(p, len, "NOT_STORED"))
		return V_ERROR;
	return V_GARBLED;
}

/* Reads a decimal number ending at a space or CR; -1 if there is none. */
static long long number(const uint8_t **p, const uint8_t *end)
{
	long long x = 0;
	const uint8_t *q = *p;

	while (q < end && *q >= '0' && *q <= '9' && x < (1ll << 40))
		x = x * 10 + (*q++ - '0');
	if (q == *p)
		return -1;
	*p = q;
	return x;
}

static enum verdict get_check(const uint8_t *p, size_t len, uint32_t key,
			      const struct values *v)
{
	const uint8_t *end = p + len;
	char k[KV_KEY_MAX + 1];
	size_t klen;
	long long bytes;

	if (!starts(p, len, "VALUE "))
		return not_value(p, len);
	p += 6;
	klen = kv_preload_key(key, k, sizeof(k));
	if ((size_t)(end - p) < klen + 1 || memcmp(p, k, klen) != 0 ||
	    p[klen] != ' ')
		return V_BAD_KEY;
	p += klen + 1;
	if (number(&p, end) < 0 || p == end || *p++ != ' ')
		return V_GARBLED;
	bytes = number(&p, end);
	if (bytes < 0 || !starts(p, end - p, "\r\n"))
		return V_GARBLED;
	p += 2;
	if (bytes != v->size)
		return V_BAD_VALUE;
	if ((size_t)(end - p) != v->size + 7 ||
	    memcmp(p + v->size, "\r\nEND\r\n", 7) != 0)
		return V_GARBLED;
	if (memcmp(p, values_of(v, key), v->size) != 0)
		return V_BAD_VALUE;
	return V_OK;
}

enum verdict reply_check(const uint8_t *p, size_t len, enum req_op op,
			 uint32_t key, const struct values *v)
{
	if (len < KV_FRAME_HDR_LEN)
		return V_GARBLED;
	p += KV_FRAME_HDR_LEN;
	len -= KV_FRAME_HDR_LEN;
	if (op == REQ_GET)
		return get_check(p, len, key, v);
	if (len == 8 && starts(p, len, "STORED\r\n"))
		return V_OK;
	return not_value(p, len);
}

enum verdict echo_check(const uint8_t *p, size_t len, uint16_t id,
			enum req_op op, uint32_t key, const struct values *v)
{
	uint8_t want[KV_DATAGRAM_MAX];
	size_t n;

	n = req_build(want, sizeof(want), id, op, key, v);
	if (n == 0 || n != len)
		return V_GARBLED;
	if (memcmp(p, want, n) != 0)
		return V_BAD_VALUE;
	return V_OK;
}
