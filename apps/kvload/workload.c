/* SPDX-License-Identifier: BSD-3-Clause */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_random.h>

#include "workload.h"

#define DRAW_BITS	53

static uint64_t draw(void)
{
	return rte_rand() >> (64 - DRAW_BITS);
}

/*
 * Zipf by inversion of a precomputed CDF: one binary search per draw,
 * exact for any exponent, 8 bytes a key.
 */
static int zipf_init(struct workload *w, double s)
{
	double sum = 0;
	uint32_t i;

	w->cdf = malloc(sizeof(*w->cdf) * w->keys);
	if (!w->cdf)
		return -1;
	for (i = 0; i < w->keys; i++) {
		sum += 1.0 / pow((double)i + 1, s);
		w->cdf[i] = sum;
	}
	for (i = 0; i < w->keys; i++)
		w->cdf[i] /= sum;
	w->cdf[w->keys - 1] = 1.0;
	return 0;
}

int workload_init(struct workload *w, uint32_t keys, enum dist dist,
		  double zipf_s, double get_ratio, char *err, size_t errlen)
{
	w->keys = keys;
	w->dist = dist;
	w->cdf = NULL;
	if (keys == 0) {
		snprintf(err, errlen, "--keys must be at least 1");
		return -1;
	}
	if (!(get_ratio >= 0 && get_ratio <= 1)) {
		snprintf(err, errlen, "--get-ratio must be within 0..1");
		return -1;
	}
	w->get_below = (uint64_t)(get_ratio * (double)(1ull << DRAW_BITS));
	if (dist != DIST_ZIPF)
		return 0;
	if (!(zipf_s > 0)) {
		snprintf(err, errlen, "--zipf-s must be above 0");
		return -1;
	}
	if (zipf_init(w, zipf_s) < 0) {
		snprintf(err, errlen, "no memory for a Zipf table of %u keys",
			 keys);
		return -1;
	}
	return 0;
}

void workload_fini(struct workload *w)
{
	free(w->cdf);
	w->cdf = NULL;
}

uint32_t workload_key(const struct workload *w)
{
	double u;
	uint32_t lo = 0, hi;

	if (w->dist == DIST_UNIFORM)
		return rte_rand_max(w->keys);
	u = (double)draw() / (double)(1ull << DRAW_BITS);
	hi = w->keys - 1;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (w->cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

enum req_op workload_op(const struct workload *w)
{
	return draw() < w->get_below ? REQ_GET : REQ_SET;
}
