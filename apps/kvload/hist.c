/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "hist.h"

static unsigned int hist_index(uint64_t v)
{
	unsigned int e;

	if (v < 2 * HIST_SUB)
		return v;
	e = 63 - __builtin_clzll(v);
	return (e - HIST_SUB_BITS) * HIST_SUB + (v >> (e - HIST_SUB_BITS));
}

/* The middle of a bucket, to halve the worst-case error. */
static uint64_t hist_value(unsigned int idx)
{
	unsigned int e;
	uint64_t m;

	if (idx < 2 * HIST_SUB)
		return idx;
	e = idx / HIST_SUB + HIST_SUB_BITS - 1;
	m = idx % HIST_SUB + HIST_SUB;
	return (m << (e - HIST_SUB_BITS)) +
	       ((1ull << (e - HIST_SUB_BITS)) >> 1);
}

void hist_reset(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

void hist_add(struct hist *h, uint64_t v)
{
	h->bucket[hist_index(v)]++;
	h->count++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
}

void hist_merge(struct hist *into, const struct hist *from)
{
	unsigned int i;

	for (i = 0; i < HIST_BUCKETS; i++)
		into->bucket[i] += from->bucket[i];
	into->count += from->count;
	into->sum += from->sum;
	if (from->max > into->max)
		into->max = from->max;
}

uint64_t hist_quantile(const struct hist *h, double q)
{
	uint64_t target, seen = 0;
	unsigned int i;

	if (h->count == 0)
		return 0;
	target = (uint64_t)(q * (double)h->count + 0.999999);
	if (target == 0)
		target = 1;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= target) {
			uint64_t v = hist_value(i);

			return v > h->max ? h->max : v;
		}
	}
	return h->max;
}
