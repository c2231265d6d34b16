/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the KV core: every command and its memcached replies,
 * the table's limits, the UDP framing and the amplification guard.
 * Built with AddressSanitizer, so any read or write out of bounds fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csum.h"
#include "kv.h"

static uint8_t out[2048];
static size_t outlen;

/* Sends body in one datagram with request id 0x1234 and an exact-size,
 * heap-allocated copy, so ASan catches any read past its end. Every
 * reply's sum, kept as it was built, must be that of its bytes.
 */
static size_t send_raw(struct kv_store *s, const void *dgram, size_t len)
{
	uint8_t *in = malloc(len ? len : 1);
	uint64_t sum;

	memcpy(in, dgram, len);
	memset(out, 0xee, sizeof(out));
	outlen = kv_handle_csum(s, in, len, out, sizeof(out), &sum);
	if (outlen)
		CHECK(csum_fold(sum) == csum_fold(csum_partial(out, outlen, 0)));
	free(in);
	return outlen;
}

static size_t send_body(struct kv_store *s, const void *body, size_t len)
{
	uint8_t *dgram = malloc(KV_FRAME_HDR_LEN + len);
	size_t n;

	memcpy(dgram, "\x12\x34\x00\x00\x00\x01\x00\x00", KV_FRAME_HDR_LEN);
	memcpy(dgram + KV_FRAME_HDR_LEN, body, len);
	n = send_raw(s, dgram, KV_FRAME_HDR_LEN + len);
	free(dgram);
	return n;
}

/* The reply's text after its frame header must be exactly want. */
static int reply_is(const char *want)
{
	size_t n = strlen(want);

	if (outlen < KV_FRAME_HDR_LEN)
		return 0;
	if (memcmp(out, "\x12\x34\x00\x00\x00\x01\x00\x00",
		   KV_FRAME_HDR_LEN)) {
		fprintf(stderr, "bad reply frame header\n");
		return 0;
	}
	if (outlen - KV_FRAME_HDR_LEN != n ||
	    memcmp(out + KV_FRAME_HDR_LEN, want, n)) {
		fprintf(stderr, "reply: \"%.*s\"\nwant:  \"%s\"\n",
			(int)(outlen - KV_FRAME_HDR_LEN),
			(const char *)out + KV_FRAME_HDR_LEN, want);
		return 0;
	}
	return 1;
}

static int req(struct kv_store *s, const char *body, const char *want)
{
	send_body(s, body, strlen(body));
	return reply_is(want);
}

static struct kv_store *store(uint32_t capacity, uint32_t amp_limit)
{
	struct kv_config cfg = {
		.capacity = capacity,
		.amp_limit = amp_limit,
		.hash_seed = 42,
	};
	struct kv_store *s = kv_store_create(&cfg);

	if (!s) {
		fprintf(stderr, "kv_store_create failed\n");
		exit(1);
	}
	return s;
}

static void test_version(void)
{
	struct kv_store *s = store(16, 0);

	CHECK(req(s, "version\r\n", "VERSION ukkv-1.0\r\n"));
	CHECK(req(s, "version\n", "VERSION ukkv-1.0\r\n"));
	CHECK(req(s, "version extra\r\n", "VERSION ukkv-1.0\r\n"));
	kv_store_destroy(s);
}

static void test_set_get(void)
{
	struct kv_store *s = store(16, 0);

	CHECK(req(s, "get a\r\n", "END\r\n"));
	CHECK(req(s, "set a 5 0 3\r\nabc\r\n", "STORED\r\n"));
	CHECK(req(s, "get a\r\n", "VALUE a 5 3\r\nabc\r\nEND\r\n"));
	CHECK(req(s, "gets a\r\n", "VALUE a 5 3 1\r\nabc\r\nEND\r\n"));
	CHECK(req(s, "get  a   \r\n", "VALUE a 5 3\r\nabc\r\nEND\r\n"));
	/* as memcached, spaces may lead the command */
	CHECK(req(s, "  get a\r\n", "VALUE a 5 3\r\nabc\r\nEND\r\n"));
	CHECK(req(s, " gets x x x x x x x x x a\r\n",
		  "VALUE a 5 3 1\r\nabc\r\nEND\r\n"));
	CHECK(req(s, " set b 0 0 1\r\nb\r\n", "STORED\r\n"));
	CHECK(req(s, " get\r\n", "ERROR\r\n"));
	/* overwrite changes value, flags and cas unique */
	CHECK(req(s, "set a 4294967295 0 4\r\nwxyz\r\n", "STORED\r\n"));
	CHECK(req(s, "gets a\r\n",
		  "VALUE a 4294967295 4 3\r\nwxyz\r\nEND\r\n"));
	CHECK(req(s, "set e 0 0 0\r\n\r\n", "STORED\r\n"));
	CHECK(req(s, "get e\r\n", "VALUE e 0 0\r\n\r\nEND\r\n"));
	CHECK(kv_get_stats(s)->curr_items == 3);
	kv_store_destroy(s);
}

/* An overwrite keeps the item's reply text only where it still holds */
static void test_overwrite_text(void)
{
	struct kv_store *s = store(16, 0);

	CHECK(req(s, "set k 7 0 3\r\nabc\r\n", "STORED\r\n"));
	/* same flags and length: only the value and cas unique change */
	CHECK(req(s, "set k 7 0 3\r\nxyz\r\n", "STORED\r\n"));
	CHECK(req(s, "gets k\r\n", "VALUE k 7 3 2\r\nxyz\r\nEND\r\n"));
	/* other flags, same length */
	CHECK(req(s, "set k 70 0 3\r\nuvw\r\n", "STORED\r\n"));
	CHECK(req(s, "get k\r\n", "VALUE k 70 3\r\nuvw\r\nEND\r\n"));
	/* same flags, other length, longer and shorter */
	CHECK(req(s, "set k 70 0 12\r\n0123456789ab\r\n", "STORED\r\n"));
	CHECK(req(s, "get k\r\n",
		  "VALUE k 70 12\r\n0123456789ab\r\nEND\r\n"));
	CHECK(req(s, "set k 70 0 1\r\nq\r\n", "STORED\r\n"));
	CHECK(req(s, "gets k\r\n", "VALUE k 70 1 5\r\nq\r\nEND\r\n"));
	/* other flags whose text is as long, then back to the first */
	CHECK(req(s, "set k 71 0 1\r\nr\r\n", "STORED\r\n"));
	CHECK(req(s, "get k\r\n", "VALUE k 71 1\r\nr\r\nEND\r\n"));
	CHECK(req(s, "replace k 7 0 3\r\nabc\r\n", "STORED\r\n"));
	CHECK(req(s, "cas k 7 0 3 7\r\ndef\r\n", "STORED\r\n"));
	CHECK(req(s, "gets k\r\n", "VALUE k 7 3 8\r\ndef\r\nEND\r\n"));
	/* deleted and set again: a fresh item, whatever it held before */
	CHECK(req(s, "delete k\r\n", "DELETED\r\n"));
	CHECK(req(s, "set k 7 0 2\r\nde\r\n", "STORED\r\n"));
	CHECK(req(s, "get k\r\n", "VALUE k 7 2\r\nde\r\nEND\r\n"));
	kv_store_destroy(s);
}

static void test_multi_get(void)
{
	struct kv_store *s = store(16, 0);

	CHECK(req(s, "set k1 1 0 2\r\nv1\r\n", "STORED\r\n"));
	CHECK(req(s, "set k3 3 0 2\r\nv3\r\n", "STORED\r\n"));
	CHECK(req(s, "get k1 k2 k3 k1\r\n",
		  "VALUE k1 1 2\r\nv1\r\nVALUE k3 3 2\r\nv3\r\n"
		  "VALUE k1 1 2\r\nv1\r\nEND\r\n"));
	CHECK(req(s, "gets k3 k1\r\n",
		  "VALUE k3 3 2 2\r\nv3\r\nVALUE k1 1 2 1\r\nv1\r\nEND\r\n"));
	CHECK(kv_get_stats(s)->cmd_get == 6);
	CHECK(kv_get_stats(s)->get_hits == 5);
	CHECK(kv_get_stats(s)->get_misses == 1);
	kv_store_destroy(s);
}

static void test_add_replace_cas(void)
{
	struct kv_store *s = store(16, 0);

	CHECK(req(s, "replace a 0 0 1\r\nx\r\n", "NOT_STORED\r\n"));
	CHECK(req(s, "add a 0 0 1\r\nx\r\n", "STORED\r\n"));
	CHECK(req(s, "add a 0 0 1\r\ny\r\n", "NOT_STORED\r\n"));
	CHECK(req(s, "replace a 7 0 1\r\nz\r\n", "STORED\r\n"));
	CHECK(req(s, "gets a\r\n", "VALUE a 7 1 2\r\nz\r\nEND\r\n"));
	CHECK(req(s, "cas a 0 0 1 1\r\nq\r\n", "EXISTS\r\n"));
	CHECK(req(s, "cas a 0 0 1 2\r\nq\r\n", "STORED\r\n"));
	CHECK(req(s, "get a\r\n", "VALUE a 0 1\r\nq\r\nEND\r\n"));
	CHECK(req(s, "cas b 0 0 1 2\r\nq\r\n", "NOT_FOUND\r\n"));
	CHECK(req(s, "cas a 0 0 1\r\nq\r\n", "ERROR\r\n"));
	CHECK(kv_get_stats(s)->cmd_set == 7);
	kv_store_destroy(s);
}

static void test_delete(void)
{
	struct kv_store *s = store(16, 0);

	CHECK(req(s, "delete a\r\n", "NOT_FOUND\r\n"));
	CHECK(req(s, "set a 0 0 1\r\nx\r\n", "STORED\r\n"));
	CHECK(req(s, "delete a\r\n", "DELETED\r\n"));
	CHECK(req(s, "get a\r\n", "END\r\n"));
	CHECK(req(s, "set a 0 0 1\r\nx\r\n", "STORED\r\n"));
	CHECK(req(s, "delete a 0\r\n", "DELETED\r\n"));
	CHECK(req(s, "delete a 5\r\n",
		  "CLIENT_ERROR bad command line format.  "
		  "Usage: delete <key> [noreply]\r\n"));
	CHECK(req(s, "delete\r\n", "ERROR\r\n"));
	CHECK(kv_get_stats(s)->curr_items == 0);
	kv_store_destroy(s);
}

/* Deleting from the middle of a probe cluster must keep the rest
 * reachable: fill a table, delete every other key, check all others.
 */
static void test_delete_keeps_clusters(void)
{
	struct kv_store *s = store(1000, 0);
	char body[64], want[64];
	int i;

	CHECK(kv_preload(s, 1000, 8) == 0);
	for (i = 0; i < 1000; i += 2) {
		snprintf(body, sizeof(body), "delete key:%d\r\n", i);
		CHECK(req(s, body, "DELETED\r\n"));
	}
	for (i = 0; i < 1000; i++) {
		snprintf(body, sizeof(body), "get key:%d\r\n", i);
		if (i % 2) {
			uint8_t v[8];

			kv_preload_value((uint32_t)i, v, sizeof(v));
			snprintf(want, sizeof(want),
				 "VALUE key:%d 0 8\r\n%.8s\r\nEND\r\n", i,
				 (const char *)v);
		} else {
			snprintf(want, sizeof(want), "END\r\n");
		}
		CHECK(req(s, body, want));
	}
	CHECK(kv_get_stats(s)->curr_items == 500);
	kv_store_destroy(s);
}

static void test_noreply(void)
{
	struct kv_store *s = store(16, 0);

	CHECK(send_body(s, "set a 1 0 1 noreply\r\nx\r\n", 24) == 0);
	CHECK(send_body(s, "add a 1 0 1 noreply\r\nx\r\n", 24) == 0);
	CHECK(req(s, "get a\r\n", "VALUE a 1 1\r\nx\r\nEND\r\n"));
	CHECK(send_body(s, "delete a noreply\r\n", 18) == 0);
	CHECK(req(s, "get a\r\n", "END\r\n"));
	/* as memcached, a token other than noreply there is ignored */
	CHECK(req(s, "set a 0 0 1 5\r\nx\r\n", "STORED\r\n"));
	/* errors are still answered */
	CHECK(req(s, "set a 0 0 1 noreply\r\nxy\r\n",
		  "CLIENT_ERROR bad data chunk\r\n"));
	CHECK(kv_get_stats(s)->dropped == 0);
	kv_store_destroy(s);
}

static void test_pipelined(void)
{
	struct kv_store *s = store(16, 0);

	CHECK(req(s, "set a 1 0 3 noreply\r\nabc\r\nget a\r\n",
		  "VALUE a 1 3\r\nabc\r\nEND\r\n"));
	CHECK(req(s, "get a\r\nversion\r\n",
		  "VALUE a 1 3\r\nabc\r\nEND\r\nVERSION ukkv-1.0\r\n"));
	/* processing stops at the first error */
	CHECK(req(s, "bogus\r\nget a\r\n", "ERROR\r\n"));
	/* a trailing unterminated line is ignored */
	CHECK(req(s, "get a\r\nget", "VALUE a 1 3\r\nabc\r\nEND\r\n"));
	kv_store_destroy(s);
}

static void test_expired(void)
{
	struct kv_store *s = store(16, 0);

	CHECK(req(s, "set a 0 0 1\r\nx\r\n", "STORED\r\n"));
	CHECK(req(s, "set a 0 -1 1\r\ny\r\n", "STORED\r\n"));
	CHECK(req(s, "get a\r\n", "END\r\n"));
	CHECK(req(s, "set b 0 -1 1\r\ny\r\n", "STORED\r\n"));
	CHECK(req(s, "get b\r\n", "END\r\n"));
	CHECK(req(s, "set c 0 3600 1\r\nz\r\n", "STORED\r\n"));
	CHECK(req(s, "get c\r\n", "VALUE c 0 1\r\nz\r\nEND\r\n"));
	CHECK(kv_get_stats(s)->curr_items == 1);
	kv_store_destroy(s);
}

static void test_errors(void)
{
	struct kv_store *s = store(16, 0);
	const char *bad = "CLIENT_ERROR bad command line format\r\n";
	uint64_t errors;

	CHECK(req(s, "foo\r\n", "ERROR\r\n"));
	CHECK(req(s, "GET a\r\n", "ERROR\r\n"));
	CHECK(req(s, "\r\n", "ERROR\r\n"));
	CHECK(req(s, "get\r\n", "ERROR\r\n"));
	CHECK(req(s, "get    \r\n", "ERROR\r\n"));
	CHECK(req(s, "set a 0 0\r\nx\r\n", "ERROR\r\n"));
	CHECK(req(s, "set a 0 0 1 noreply x\r\nx\r\n", "ERROR\r\n"));
	CHECK(req(s, "set a x 0 1\r\nx\r\n", bad));
	CHECK(req(s, "set a 4294967296 0 1\r\nx\r\n", bad));
	CHECK(req(s, "set a 0 0 -1\r\nx\r\n", bad));
	CHECK(req(s, "set a 0 x 1\r\nx\r\n", bad));
	CHECK(req(s, "set a 0 0 99999999999\r\nx\r\n", bad));
	CHECK(req(s, "set a 0 0 3\r\nabcd\r\n",
		  "CLIENT_ERROR bad data chunk\r\n"));
	CHECK(req(s, "set a 0 0 3\r\nab", "CLIENT_ERROR bad data chunk\r\n"));
	CHECK(req(s, "set a 0 0 3\r\nabc", "CLIENT_ERROR bad data chunk\r\n"));
	CHECK(req(s, "set a 0 0 3\r\nabc\r", "CLIENT_ERROR bad data chunk\r\n"));
	CHECK(req(s, "set a 0 0 3\r\nabc\n\n",
		  "CLIENT_ERROR bad data chunk\r\n"));
	CHECK(req(s, "stats x\r\n", "ERROR\r\n"));
	CHECK(req(s, "get a\r\n", "END\r\n"));
	errors = kv_get_stats(s)->errors;
	CHECK(errors == 18);
	kv_store_destroy(s);
}

static void test_key_length(void)
{
	struct kv_store *s = store(16, 0);
	char key[252], body[400], want[400];
	const char *bad = "CLIENT_ERROR bad command line format\r\n";

	memset(key, 'k', 251);
	key[250] = '\0';
	snprintf(body, sizeof(body), "set %s 0 0 1\r\nx\r\n", key);
	CHECK(req(s, body, "STORED\r\n"));
	snprintf(body, sizeof(body), "get %s\r\n", key);
	snprintf(want, sizeof(want), "VALUE %s 0 1\r\nx\r\nEND\r\n", key);
	CHECK(req(s, body, want));
	snprintf(body, sizeof(body), "delete %s\r\n", key);
	CHECK(req(s, body, "DELETED\r\n"));

	key[250] = 'k';
	key[251] = '\0';
	snprintf(body, sizeof(body), "set %s 0 0 1\r\nx\r\n", key);
	CHECK(req(s, body, bad));
	snprintf(body, sizeof(body), "get %s\r\n", key);
	CHECK(req(s, body, bad));
	snprintf(body, sizeof(body), "get a %s\r\n", key);
	CHECK(req(s, body, bad));
	snprintf(body, sizeof(body), "delete %s\r\n", key);
	CHECK(req(s, body, bad));
	CHECK(kv_get_stats(s)->curr_items == 0);
	kv_store_destroy(s);
}

/* Sets a value of vlen bytes under key; returns the reply match. */
static int set_sized(struct kv_store *s, const char *key, size_t vlen,
		     const char *want)
{
	char *body = malloc(vlen + 300);
	int n, ok;

	n = snprintf(body, 300, "set %s 4294967295 0 %zu\r\n", key, vlen);
	memset(body + n, 'v', vlen);
	memcpy(body + n + vlen, "\r\n", 2);
	send_body(s, body, n + vlen + 2);
	ok = reply_is(want);
	free(body);
	return ok;
}

static void test_value_limit(void)
{
	struct kv_store *s = store(16, 1000);
	char key[251];

	/* the largest value of a 1-byte key: its gets reply fills a
	 * datagram with a 20-digit cas unique
	 */
	CHECK(set_sized(s, "a", KV_VALUE_MAX(1), "STORED\r\n"));
	CHECK(set_sized(s, "a", KV_VALUE_MAX(1) + 1,
			"SERVER_ERROR object too large for cache\r\n"));
	send_body(s, "gets a\r\n", 8);
	CHECK(outlen == KV_DATAGRAM_MAX - 19);
	CHECK(!memcmp(out + outlen - 8, "v\r\nEND\r\n", 8));

	memset(key, 'k', 250);
	key[250] = '\0';
	CHECK(set_sized(s, key, KV_VALUE_MAX(250), "STORED\r\n"));
	CHECK(set_sized(s, key, KV_VALUE_MAX(250) + 1,
			"SERVER_ERROR object too large for cache\r\n"));
	kv_store_destroy(s);
}

static void test_item_max(void)
{
	struct kv_config cfg = { .capacity = 4, .item_max = 10 };
	struct kv_store *s = kv_store_create(&cfg);

	CHECK(s);
	CHECK(req(s, "set abc 0 0 7\r\n1234567\r\n", "STORED\r\n"));
	CHECK(req(s, "set abc 0 0 8\r\n12345678\r\n",
		  "SERVER_ERROR object too large for cache\r\n"));
	CHECK(kv_preload(s, 1, 5) == 0);
	CHECK(kv_preload(s, 1, 6) == -1);
	kv_store_destroy(s);
}

/*
 * An item keeps its reply's text: at every item_max around a few cache
 * lines, items filled to item_max with the longest flags and length
 * spill nothing into their neighbour, rewritten after it or not.
 */
static void test_item_text_fits(void)
{
	struct kv_config cfg = { .capacity = 2, .amp_limit = 1000 };
	char want[1200];
	struct kv_store *s;
	size_t vlen, n;

	for (cfg.item_max = 1000; cfg.item_max <= 1130; cfg.item_max++) {
		s = kv_store_create(&cfg);
		CHECK(s);
		if (!s)
			break;
		vlen = cfg.item_max - 1;
		CHECK(set_sized(s, "a", vlen, "STORED\r\n"));
		CHECK(set_sized(s, "b", vlen, "STORED\r\n"));
		CHECK(set_sized(s, "a", vlen, "STORED\r\n"));
		n = (size_t)snprintf(want, sizeof(want),
				     "VALUE b 4294967295 %zu 2\r\n", vlen);
		memset(want + n, 'v', vlen);
		memcpy(want + n + vlen, "\r\nEND\r\n", 8);
		CHECK(req(s, "gets b\r\n", want));
		kv_store_destroy(s);
	}
}

static void test_capacity_full(void)
{
	struct kv_store *s = store(3, 0);

	CHECK(req(s, "set a 0 0 1\r\n1\r\n", "STORED\r\n"));
	CHECK(req(s, "set b 0 0 1\r\n2\r\n", "STORED\r\n"));
	CHECK(req(s, "set c 0 0 1\r\n3\r\n", "STORED\r\n"));
	CHECK(req(s, "set d 0 0 1\r\n4\r\n",
		  "SERVER_ERROR out of memory storing object\r\n"));
	CHECK(req(s, "add d 0 0 1\r\n4\r\n",
		  "SERVER_ERROR out of memory storing object\r\n"));
	/* overwriting an existing key still works when full */
	CHECK(req(s, "set b 0 0 1\r\n5\r\n", "STORED\r\n"));
	CHECK(req(s, "delete a\r\n", "DELETED\r\n"));
	CHECK(req(s, "set d 0 0 1\r\n4\r\n", "STORED\r\n"));
	CHECK(req(s, "get a b c d\r\n",
		  "VALUE b 0 1\r\n5\r\nVALUE c 0 1\r\n3\r\n"
		  "VALUE d 0 1\r\n4\r\nEND\r\n"));
	CHECK(kv_get_stats(s)->curr_items == 3);
	kv_store_destroy(s);
}

static void test_framing(void)
{
	struct kv_store *s = store(16, 0);
	uint8_t dg[32];
	uint64_t dropped = 0;

	/* truncated headers and a bare header get no reply */
	CHECK(send_raw(s, "", 0) == 0);
	CHECK(send_raw(s, "\x12\x34\x00", 3) == 0);
	CHECK(send_raw(s, "\x12\x34\x00\x00\x00\x01\x00\x00", 8) == 0);
	dropped += 3;
	/* a request in several datagrams is dropped */
	memcpy(dg, "\x12\x34\x00\x00\x00\x02\x00\x00get a\r\n", 15);
	CHECK(send_raw(s, dg, 15) == 0);
	memcpy(dg, "\x12\x34\x00\x00\x01\x01\x00\x00get a\r\n", 15);
	CHECK(send_raw(s, dg, 15) == 0);
	dropped += 2;
	/* an unterminated command is dropped */
	CHECK(send_body(s, "get a", 5) == 0);
	dropped++;
	CHECK(kv_get_stats(s)->dropped == dropped);
	/* the reply echoes the request id, whatever the sequence number */
	memcpy(dg, "\xab\xcd\x00\x07\x00\x01\x00\x00version\r\n", 17);
	CHECK(send_raw(s, dg, 17) == 26);
	CHECK(!memcmp(out, "\xab\xcd\x00\x00\x00\x01\x00\x00VERSION", 15));
	/* binary garbage, NUL bytes included, is an unknown command */
	CHECK(send_body(s, "\x80\x00\x01\xff\r\n", 6) && reply_is("ERROR\r\n"));
	CHECK(send_body(s, "get a\0b\r\n", 9) && reply_is("END\r\n"));
	/* the next well-formed request is served */
	CHECK(req(s, "set a 0 0 1\r\nx\r\n", "STORED\r\n"));
	kv_store_destroy(s);
}

static void test_small_outcap(void)
{
	struct kv_store *s = store(16, 0);
	uint8_t in[] = "\x12\x34\x00\x00\x00\x01\x00\x00version\r\n";
	uint8_t small[12];

	CHECK(kv_handle(s, in, sizeof(in) - 1, small, 7) == 0);
	/* "SERVER_ERROR ..." does not fit 12 bytes either: dropped */
	CHECK(kv_handle(s, in, sizeof(in) - 1, small, sizeof(small)) == 0);
	CHECK(kv_get_stats(s)->dropped == 2);
	kv_store_destroy(s);
}

/* A multi-get whose reply exceeds one datagram gets memcached's error. */
static void test_reply_overflow(void)
{
	struct kv_store *s = store(16, 0);

	CHECK(set_sized(s, "a", 1000, "STORED\r\n"));
	CHECK(req(s, "get a a\r\n",
		  "SERVER_ERROR out of memory writing get response\r\n"));
	kv_store_destroy(s);
}

static void test_amplification(void)
{
	struct kv_store *s = store(16, 5);
	const char *refusal = "SERVER_ERROR reply refused: larger than the "
			      "amplification limit\r\n";

	CHECK(set_sized(s, "a", 100, "STORED\r\n"));
	/* 15-byte request, 5x limit: a 130-byte reply is refused, the
	 * 73-byte refusal is not
	 */
	CHECK(req(s, "get a\r\n", refusal));
	CHECK(kv_get_stats(s)->amp_refused == 1);
	kv_store_destroy(s);

	/* the default limit (64x) lets a short get fetch a 900-byte value
	 * but not a 1000-byte one
	 */
	s = store(16, 0);
	CHECK(set_sized(s, "a", 900, "STORED\r\n"));
	send_body(s, "get a\r\n", 7);
	CHECK(outlen > 900);
	CHECK(set_sized(s, "a", 1000, "STORED\r\n"));
	CHECK(req(s, "get a\r\n", refusal));
	CHECK(kv_get_stats(s)->amp_refused == 1);
	kv_store_destroy(s);

	/* when even the refusal is too large it is dropped */
	s = store(16, 1);
	CHECK(req(s, "set a 0 0 1\r\nx\r\n", "STORED\r\n"));
	CHECK(send_body(s, "get a\r\n", 7) == 0);
	CHECK(kv_get_stats(s)->amp_refused == 1);
	CHECK(kv_get_stats(s)->dropped == 1);
	kv_store_destroy(s);
}

static void test_stats(void)
{
	struct kv_store *s = store(16, 0);
	const struct kv_stats *st = kv_get_stats(s);
	char *text;

	req(s, "set a 0 0 1\r\nx\r\n", "STORED\r\n");
	req(s, "get a b\r\n", "VALUE a 0 1\r\nx\r\nEND\r\n");
	CHECK(st->bytes_read == 24 + 17);
	CHECK(st->bytes_written == 16 + 29);
	send_body(s, "stats\r\n", 7);
	CHECK(outlen > KV_FRAME_HDR_LEN);
	text = strndup((const char *)out + KV_FRAME_HDR_LEN,
		       outlen - KV_FRAME_HDR_LEN);
	CHECK(strstr(text, "STAT curr_items 1\r\n"));
	CHECK(strstr(text, "STAT cmd_get 2\r\n"));
	CHECK(strstr(text, "STAT get_hits 1\r\n"));
	CHECK(strstr(text, "STAT get_misses 1\r\n"));
	CHECK(strstr(text, "STAT cmd_set 1\r\n"));
	CHECK(strstr(text, "STAT bytes_read 56\r\n"));
	CHECK(strstr(text, "STAT bytes_written 45\r\n"));
	CHECK(strstr(text, "STAT errors 0\r\n"));
	CHECK(strstr(text, "STAT amp_refused 0\r\n"));
	CHECK(strlen(text) > 5 && !strcmp(text + strlen(text) - 5, "END\r\n"));
	free(text);
	kv_store_destroy(s);
}

static void test_preload(void)
{
	struct kv_store *s = store(100, 0);
	char key[16];
	uint8_t v[4];

	CHECK(kv_preload_key(42, key, sizeof(key)) == 6);
	CHECK(!strcmp(key, "key:42"));
	CHECK(kv_preload_key(4294967295u, key, sizeof(key)) == 14);
	CHECK(!strcmp(key, "key:4294967295"));
	CHECK(kv_preload_key(42, key, 6) == -1);
	kv_preload_value(25, v, 4);
	CHECK(!memcmp(v, "zabc", 4));

	CHECK(kv_preload(s, 101, 8) == -1);
	CHECK(kv_preload(s, 100, KV_VALUE_MAX(6) + 1) == -1);
	CHECK(kv_preload(s, 100, 8) == 0);
	CHECK(kv_get_stats(s)->curr_items == 100);
	CHECK(req(s, "get key:99\r\n", "VALUE key:99 0 8\r\nvwxyzabc\r\nEND\r\n"));
	CHECK(req(s, "get key:100\r\n", "END\r\n"));
	kv_store_destroy(s);
}

static void test_create_limits(void)
{
	struct kv_config cfg = { .capacity = 0 };

	CHECK(kv_store_create(NULL) == NULL);
	CHECK(kv_store_create(&cfg) == NULL);
	cfg.capacity = KV_CAPACITY_MAX + 1;
	CHECK(kv_store_create(&cfg) == NULL);
	cfg.capacity = 1;
	cfg.item_max = KV_ITEM_MAX + 1;
	CHECK(kv_store_create(&cfg) == NULL);
}

/* kv_capacity_for() is the inverse of kv_items_bytes(), whatever item_max */
static void test_capacity_for(void)
{
	static const size_t budgets[] = { 0, 1, 4096, 512 << 10, 1 << 20,
					  (size_t)3 << 30 };
	static const uint32_t item_maxes[] = { 0, 10, KV_ITEM_MAX };
	/* what an empty table's items take: their alignment slack */
	size_t slack = kv_items_bytes(0, 0), b;
	uint32_t c, im;
	size_t i, j;

	for (i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++) {
		for (j = 0; j < sizeof(item_maxes) / sizeof(item_maxes[0]);
		     j++) {
			b = slack + budgets[i];
			im = item_maxes[j];
			c = kv_capacity_for(b, im);
			CHECK(kv_items_bytes(c, im) <= b);
			CHECK(kv_items_bytes(c + 1, im) > b);
		}
	}
	CHECK(kv_capacity_for(slack, 0) == 0);
	/* a full-size item is about a datagram: 512 KiB hold a few hundred */
	c = kv_capacity_for(slack + (512 << 10), 0);
	CHECK(c >= 300 && c < 400);
	CHECK(kv_capacity_for(slack + (512 << 10), 10) > 16 * c);
}

/* A table of kv_capacity_for() items holds exactly that many */
/*
 * kv_handle(), which keeps no checksum sum, answers as kv_handle_csum():
 * two twin tables get the same datagrams, one through each, and every
 * reply must be the same, byte for byte.
 */
static void test_handle_without_sum(void)
{
	static const char *const bodies[] = {
		"set a 5 0 3\r\nabc\r\n", "get a\r\n", "gets a\r\n",
		"get a b a\r\n", "  get a\r\n", " gets  a \r\n", "get\r\n",
		"gets\r\n", "get \r\n", "add a 0 0 1\r\nx\r\n",
		"replace a 7 0 2\r\nxy\r\n", "cas a 0 0 1 2\r\nz\r\n",
		"gets a\r\nget nope\r\n", "delete a\r\n", "get a\r\n",
		"set b 0 0 1 noreply\r\nb\r\n", "version\r\n", "stats\r\n",
		"bogus\r\n", "get b\r\nbogus\r\nget b\r\n", "get b",
	};
	struct kv_store *s = store(16, 0), *twin = store(16, 0);
	uint8_t dgram[128], twin_out[sizeof(out)];
	size_t i, len, n;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		len = strlen(bodies[i]);
		memcpy(dgram, "\x12\x34\x00\x00\x00\x01\x00\x00",
		       KV_FRAME_HDR_LEN);
		memcpy(dgram + KV_FRAME_HDR_LEN, bodies[i], len);
		len += KV_FRAME_HDR_LEN;
		send_raw(s, dgram, len);
		n = kv_handle(twin, dgram, len, twin_out, sizeof(twin_out));
		CHECK(n == outlen && !memcmp(twin_out, out, n));
	}
	CHECK(!memcmp(kv_get_stats(s), kv_get_stats(twin),
		      sizeof(struct kv_stats)));
	kv_store_destroy(s);
	kv_store_destroy(twin);
}

static void test_capacity_for_holds(void)
{
	struct kv_config cfg = {
		.capacity = kv_capacity_for(kv_items_bytes(0, 0) + (64 << 10),
					    0),
	};
	struct kv_store *s = kv_store_create(&cfg);

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(kv_preload(s, cfg.capacity, 100) == 0);
	CHECK(req(s, "set extra 0 0 1\r\nx\r\n",
		  "SERVER_ERROR out of memory storing object\r\n"));
	kv_store_destroy(s);
}

int main(void)
{
	test_version();
	test_set_get();
	test_overwrite_text();
	test_multi_get();
	test_add_replace_cas();
	test_delete();
	test_delete_keeps_clusters();
	test_noreply();
	test_pipelined();
	test_expired();
	test_errors();
	test_key_length();
	test_value_limit();
	test_item_max();
	test_item_text_fits();
	test_capacity_full();
	test_framing();
	test_small_outcap();
	test_reply_overflow();
	test_amplification();
	test_stats();
	test_preload();
	test_create_limits();
	test_capacity_for();
	test_capacity_for_holds();
	test_handle_without_sum();
	return check_report("kv_test");
}
