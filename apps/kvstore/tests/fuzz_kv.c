/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: one datagram into kv_handle(), on a small table
 * (so "full" is reached) that is rebuilt per input, so every finding
 * replays alone. The reply must stay within its buffer, echo the
 * request id, end a line and come with the checksum sum of its bytes,
 * and kv_handle(), which keeps no sum, must answer a twin table the
 * same; ASan and UBSan watch every access.
 */
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "kv.h"

#define FUZZ_CAPACITY	8

static void check_reply(const uint8_t *in, const uint8_t *out, size_t len,
			size_t cap, uint64_t sum)
{
	if (!len)
		return;
	if (len > cap || len > KV_DATAGRAM_MAX || len < KV_FRAME_HDR_LEN + 2)
		abort();
	if (out[0] != in[0] || out[1] != in[1] ||
	    memcmp(out + 2, "\0\0\0\1\0\0", 6))
		abort();
	if (out[len - 2] != '\r' || out[len - 1] != '\n')
		abort();
	if (csum_fold(sum) != csum_fold(csum_partial(out, len, 0)))
		abort();
}

/* kv_handle() on the twin, which got every request s did, as without */
static void check_twin(struct kv_store *twin, const uint8_t *data,
		       size_t size, const uint8_t *out, size_t len, size_t cap)
{
	static uint8_t twin_out[KV_DATAGRAM_MAX];

	if (kv_handle(twin, data, size, twin_out, cap) != len ||
	    memcmp(twin_out, out, len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kv_config cfg = {
		.capacity = FUZZ_CAPACITY,
		.amp_limit = 16,
	};
	static uint8_t out[KV_DATAGRAM_MAX];
	struct kv_store *s = kv_store_create(&cfg);
	struct kv_store *twin = kv_store_create(&cfg);
	size_t len, small;
	uint64_t sum;

	if (!s || kv_preload(s, FUZZ_CAPACITY / 2, 100) ||
	    !twin || kv_preload(twin, FUZZ_CAPACITY / 2, 100))
		abort();
	len = kv_handle_csum(s, data, size, out, sizeof(out), &sum);
	check_reply(data, out, len, sizeof(out), sum);
	check_twin(twin, data, size, out, len, sizeof(out));
	/* the same request again, into a buffer too small for most replies */
	small = size % 64;
	len = kv_handle_csum(s, data, size, out, small, &sum);
	check_reply(data, out, len, small, sum);
	check_twin(twin, data, size, out, len, small);
	if (kv_get_stats(s)->curr_items > FUZZ_CAPACITY)
		abort();
	kv_store_destroy(s);
	kv_store_destroy(twin);
	return 0;
}
