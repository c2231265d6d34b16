/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of kvload's I/O-free parts: requests it builds are served
 * right by the real KV core and its replies judged right; spoiled
 * replies get the right verdict; the request table counts lost, late
 * and stray replies; the histogram reads percentiles within its error.
 * Built with AddressSanitizer, so any read or write out of bounds fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hist.h"
#include "kv.h"
#include "proto.h"
#include "track.h"

#define KEYS		100
#define VALUE_SIZE	300

static struct kv_store *store;
static struct values vals;
static uint8_t req[KV_DATAGRAM_MAX], rep[KV_DATAGRAM_MAX + 64];

/* Serves one request of ours with the real core; returns reply length. */
static size_t serve(uint16_t id, enum req_op op, uint32_t key)
{
	size_t n = req_build(req, sizeof(req), id, op, key, &vals);

	CHECK(n > KV_FRAME_HDR_LEN);
	return kv_handle(store, req, n, rep, sizeof(rep));
}

static void test_core_round_trip(void)
{
	uint16_t id = 0;
	uint32_t key;
	size_t n;

	for (key = 0; key < KEYS; key += 7) {
		n = serve(0x4242, REQ_GET, key);
		CHECK(reply_id(rep, n, &id) == 0 && id == 0x4242);
		CHECK(reply_check(rep, n, REQ_GET, key, &vals) == V_OK);
		/* the reply of one key is wrong for another */
		CHECK(reply_check(rep, n, REQ_GET, key + 1, &vals) == V_BAD_KEY);
		n = serve(7, REQ_SET, key);
		CHECK(reply_check(rep, n, REQ_SET, key, &vals) == V_OK);
		/* a SET writes the preload value: a GET still reads it */
		n = serve(8, REQ_GET, key);
		CHECK(reply_check(rep, n, REQ_GET, key, &vals) == V_OK);
	}
}

static void test_spoiled_replies(void)
{
	size_t n = serve(1, REQ_GET, 5);
	uint8_t copy[sizeof(rep)];

	memcpy(copy, rep, n);
	copy[n - 8] ^= 1;		/* last value byte */
	CHECK(reply_check(copy, n, REQ_GET, 5, &vals) == V_BAD_VALUE);
	CHECK(reply_check(rep, n - 1, REQ_GET, 5, &vals) == V_GARBLED);
	CHECK(reply_check(rep, 3, REQ_GET, 5, &vals) == V_GARBLED);

	n = serve(1, REQ_GET, KEYS + 50);	/* never stored */
	CHECK(reply_check(rep, n, REQ_GET, KEYS + 50, &vals) == V_MISS);

	memcpy(copy, "\0\1\0\0\0\1\0\0SERVER_ERROR out of memory\r\n", 37);
	CHECK(reply_check(copy, 37, REQ_SET, 1, &vals) == V_ERROR);
	memcpy(copy, "\0\1\0\0\0\1\0\0VALUE key:1 0 3\r\nabc\r\nEND\r\n", 35);
	CHECK(reply_check(copy, 35, REQ_GET, 1, &vals) == V_BAD_VALUE);

	/* a second datagram of a message, or a short header, has no id */
	uint16_t id;
	memcpy(copy, "\0\1\0\1\0\2\0\0", 8);
	CHECK(reply_id(copy, 8, &id) < 0);
	CHECK(reply_id(copy, 7, &id) < 0);
}

static void test_echo(void)
{
	size_t n = req_build(req, sizeof(req), 9, REQ_SET, 3, &vals);

	CHECK(echo_check(req, n, 9, REQ_SET, 3, &vals) == V_OK);
	CHECK(echo_check(req, n, 9, REQ_SET, 4, &vals) == V_BAD_VALUE);
	CHECK(echo_check(req, n - 1, 9, REQ_SET, 3, &vals) == V_GARBLED);
}

static void test_oversized_request_refused(void)
{
	struct values big;

	CHECK(values_init(&big, KV_DATAGRAM_MAX) == 0);
	CHECK(req_build(req, sizeof(req), 1, REQ_SET, 1, &big) == 0);
	values_fini(&big);
}

/* Answers request id right with the real core. */
static void answer(struct tracker *t, uint64_t now, uint16_t id)
{
	const struct slot *s = &t->slot[id];
	size_t n = serve(id, s->op, s->key);

	track_reply(t, now, rep, n);
}

static void test_tracker(void)
{
	static struct tracker t;
	uint16_t a, b, c;
	size_t n;

	/* 1 GHz: a cycle is a nanosecond; timeout 1000 */
	track_init(&t, 1000000000ull, 1000, &vals, 0);
	t.measuring = 1;
	a = track_take(&t, 0, REQ_GET, 1);
	b = track_take(&t, 0, REQ_SET, 2);
	c = track_take(&t, 0, REQ_GET, 3);
	CHECK(t.outstanding == 3 && t.meas.requests == 3);
	answer(&t, 500, b);
	CHECK(t.meas.replies == 1 && t.meas.latency.count == 1);
	CHECK(hist_quantile(&t.meas.latency, 0.5) == 500);
	track_expire(&t, 999);
	CHECK(t.meas.lost == 0);
	track_expire(&t, 1000);
	CHECK(t.meas.lost == 2 && t.outstanding == 0);
	/* a reply after the timeout is late, a second one a stray */
	answer(&t, 1200, a);
	CHECK(t.meas.late == 1);
	n = serve(a, REQ_GET, 1);
	track_reply(&t, 1300, rep, n);
	CHECK(t.meas.wrong_id == 1);
	CHECK(t.meas.replies == 1 && counts_wrong(&t.meas) == 1);
	(void)c;

	/* a request that could not be sent is forgotten */
	a = track_take(&t, 2000, REQ_GET, 4);
	track_untake(&t, 1);
	CHECK(t.outstanding == 0 && t.meas.requests == 3);
	CHECK(track_take(&t, 2000, REQ_GET, 4) == a);

	/* wrong replies to outstanding requests count by verdict */
	n = serve(a, REQ_GET, 5);
	track_reply(&t, 2100, rep, n);
	CHECK(t.meas.verdict[V_BAD_KEY] == 1 && t.outstanding == 0);

	/* warm-up requests answered after the switch stay warm-up ones */
	t.measuring = 0;
	a = track_take(&t, 3000, REQ_GET, 6);
	t.measuring = 1;
	answer(&t, 3100, a);
	CHECK(t.warm.replies == 1 && t.meas.replies == 1);
	track_expire_all(&t);
	CHECK(t.outstanding == 0);
}

static void test_tracker_wraps(void)
{
	static struct tracker t;
	uint32_t i;
	uint16_t first;

	track_init(&t, 1000000000ull, ~0ull, &vals, 0);
	t.measuring = 1;
	first = track_take(&t, 0, REQ_GET, 1);
	for (i = 1; i < TRACK_IDS; i++)
		answer(&t, 1, track_take(&t, 0, REQ_GET, i % KEYS));
	/* id of the first comes round again: it has waited long enough */
	CHECK(track_take(&t, 2, REQ_GET, 1) == first);
	CHECK(t.meas.lost == 1 && t.outstanding == 1);
	track_expire_all(&t);
	CHECK(t.meas.lost == 2 && t.meas.requests == TRACK_IDS + 1);
}

static void test_hist(void)
{
	static struct hist h, g;
	uint64_t v, q;

	hist_reset(&h);
	CHECK(hist_quantile(&h, 0.5) == 0);
	for (v = 1; v <= 100000; v++)
		hist_add(&h, v * 1000);
	q = hist_quantile(&h, 0.5);
	CHECK(q > 50000000 * 0.96 && q < 50000000 * 1.04);
	q = hist_quantile(&h, 0.99);
	CHECK(q > 99000000 * 0.96 && q < 99000000 * 1.04);
	CHECK(hist_quantile(&h, 1.0) <= h.max);
	hist_reset(&g);
	hist_add(&g, 7);
	hist_add(&g, ~0ull >> 1);
	hist_merge(&g, &h);
	CHECK(g.count == 100002 && g.max == ~0ull >> 1);
	CHECK(hist_quantile(&g, 0.000001) == 7);
}

int main(void)
{
	struct kv_config cfg = { .capacity = 4 * KEYS };

	store = kv_store_create(&cfg);
	if (!store || kv_preload(store, KEYS, VALUE_SIZE) ||
	    values_init(&vals, VALUE_SIZE)) {
		fprintf(stderr, "kvload_test: setup failed\n");
		return 1;
	}
	test_core_round_trip();
	test_spoiled_replies();
	test_echo();
	test_oversized_request_refused();
	test_tracker();
	test_tracker_wraps();
	test_hist();
	values_fini(&vals);
	kv_store_destroy(store);
	return check_report("kvload_test");
}
