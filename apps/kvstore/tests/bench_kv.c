/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The core's cost per request: kv_handle() on whole datagrams (parse,
 * lookup, reply with its frame header), on a preloaded table, keys
 * drawn at random so the table is not all in cache. Prints a Markdown
 * table; each figure is the best of several rounds, the round least
 * disturbed by other work on the machine.
 *
 * usage: bench_kv [KEYS [VALUE_SIZE]]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kv.h"

#define NREQ		4096	/* distinct request datagrams, a power of 2 */
#define ROUNDS		5
#define OPS		(1u << 21)

struct req {
	uint8_t buf[64 + KV_ITEM_MAX];
	size_t len;
};

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Frames "<verb> <key><rest>" with key key:i (or nokey:i). */
static void make_req(struct req *r, const char *verb, const char *prefix,
		     uint32_t i, const char *rest, uint32_t value_size)
{
	int n;

	memcpy(r->buf, "\0\1\0\0\0\1\0\0", KV_FRAME_HDR_LEN);
	n = snprintf((char *)r->buf + KV_FRAME_HDR_LEN, 64, "%s %s%" PRIu32
		     "%s\r\n", verb, prefix, i, rest);
	r->len = KV_FRAME_HDR_LEN + (size_t)n;
	if (value_size) {
		kv_preload_value(i, r->buf + r->len, value_size);
		memcpy(r->buf + r->len + value_size, "\r\n", 2);
		r->len += value_size + 2;
	}
}

/* Best ns per kv_handle() over ROUNDS rounds of OPS requests. */
static double run(struct kv_store *s, const struct req *reqs,
		  const char *want)
{
	static uint8_t out[KV_DATAGRAM_MAX];
	double best = 1e30, t0, ns;
	uint64_t sink = 0;
	uint32_t i, r;

	/* every request must get the reply it measures */
	for (i = 0; i < NREQ; i++) {
		size_t n = kv_handle(s, reqs[i].buf, reqs[i].len, out,
				     sizeof(out));

		if (n < KV_FRAME_HDR_LEN + strlen(want) ||
		    memcmp(out + KV_FRAME_HDR_LEN, want, strlen(want))) {
			fprintf(stderr, "bench_kv: unexpected reply \"%.*s\"\n",
				(int)(n > 8 ? n - 8 : 0), out + 8);
			exit(1);
		}
	}
	for (r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (i = 0; i < OPS; i++)
			sink += kv_handle(s, reqs[i & (NREQ - 1)].buf,
					  reqs[i & (NREQ - 1)].len, out,
					  sizeof(out));
		ns = (now_ns() - t0) / OPS;
		if (ns < best)
			best = ns;
	}
	if (!sink)
		exit(1);
	return best;
}

int main(int argc, char *argv[])
{
	uint32_t keys = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 100000;
	uint32_t vsize = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 32;
	struct kv_config cfg = { .capacity = keys, .hash_seed = 1 };
	struct req *reqs = calloc(NREQ, sizeof(*reqs));
	struct kv_store *s;
	uint32_t i;

	if (argc > 3 || !keys || vsize > KV_VALUE_MAX(14)) {
		fprintf(stderr, "usage: bench_kv [KEYS [VALUE_SIZE<=%d]]\n",
			KV_VALUE_MAX(14));
		return 2;
	}
	s = kv_store_create(&cfg);
	if (!s || !reqs || kv_preload(s, keys, vsize)) {
		fprintf(stderr, "bench_kv: cannot build a table of %" PRIu32
			" keys\n", keys);
		return 1;
	}
	printf("| request (%" PRIu32 " keys, %" PRIu32 "-byte values) "
	       "| ns/op |\n|---|---:|\n", keys, vsize);

	for (i = 0; i < NREQ; i++)
		make_req(&reqs[i], "get", "key:", rnd(keys), "", 0);
	printf("| get, hit | %.1f |\n", run(s, reqs, "VALUE "));

	for (i = 0; i < NREQ; i++)
		make_req(&reqs[i], "get", "nokey:", rnd(keys), "", 0);
	printf("| get, miss | %.1f |\n", run(s, reqs, "END\r\n"));

	for (i = 0; i < NREQ; i++)
		make_req(&reqs[i], "gets", "key:", rnd(keys), "", 0);
	printf("| gets, hit | %.1f |\n", run(s, reqs, "VALUE "));

	for (i = 0; i < NREQ; i++) {
		char rest[32];
		uint32_t k = rnd(keys);

		snprintf(rest, sizeof(rest), " 0 0 %" PRIu32, vsize);
		make_req(&reqs[i], "set", "key:", k, rest, vsize);
	}
	printf("| set, overwrite | %.1f |\n", run(s, reqs, "STORED\r\n"));

	kv_store_destroy(s);

	/* the layout's main cost: items sized for the largest value. The
	 * same table with items cut to what the preload needs shows what
	 * a lookup pays for touching sparse memory.
	 */
	cfg.item_max = 14 + vsize;
	s = kv_store_create(&cfg);
	if (!s || kv_preload(s, keys, vsize)) {
		fprintf(stderr, "bench_kv: cannot build a compact table\n");
		return 1;
	}
	for (i = 0; i < NREQ; i++)
		make_req(&reqs[i], "get", "key:", rnd(keys), "", 0);
	printf("| get, hit, items of %" PRIu32 " bytes, not %d | %.1f |\n",
	       cfg.item_max, KV_ITEM_MAX, run(s, reqs, "VALUE "));
	kv_store_destroy(s);
	free(reqs);
	return 0;
}
