/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A log-linear latency histogram: 32 buckets per power of two, so any
 * percentile is read to within about 3%, in fixed memory and with one
 * increment per sample.
 */
#ifndef __KVLOAD_HIST_H__
#define __KVLOAD_HIST_H__

#include <stdint.h>

#define HIST_SUB_BITS	5
#define HIST_SUB	(1u << HIST_SUB_BITS)
#define HIST_BUCKETS	((65 - HIST_SUB_BITS) * HIST_SUB)

struct hist {
	uint64_t count;
	uint64_t sum;
	uint64_t max;
	uint64_t bucket[HIST_BUCKETS];
};

void hist_reset(struct hist *h);
void hist_add(struct hist *h, uint64_t v);
void hist_merge(struct hist *into, const struct hist *from);
/* Value at quantile q (0 < q <= 1); 0 when the histogram is empty. */
uint64_t hist_quantile(const struct hist *h, double q);

#endif /* __KVLOAD_HIST_H__ */
