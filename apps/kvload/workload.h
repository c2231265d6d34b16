/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What to ask next: which key (uniform or Zipf popularity) and which
 * operation (GET/SET mix).
 */
#ifndef __KVLOAD_WORKLOAD_H__
#define __KVLOAD_WORKLOAD_H__

#include <stdint.h>

#include "proto.h"

enum dist {
	DIST_UNIFORM,
	DIST_ZIPF,
};

struct workload {
	uint32_t keys;
	enum dist dist;
	uint64_t get_below;	/* a GET when a 53-bit draw is below this */
	double *cdf;		/* Zipf: cumulative probability of keys 0..i */
};

/* Returns 0, or -1 with a message in err (memory short, bad numbers). */
int workload_init(struct workload *w, uint32_t keys, enum dist dist,
		  double zipf_s, double get_ratio, char *err, size_t errlen);
void workload_fini(struct workload *w);

uint32_t workload_key(const struct workload *w);
enum req_op workload_op(const struct workload *w);

#endif /* __KVLOAD_WORKLOAD_H__ */
