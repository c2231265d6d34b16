/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Adaptive batching, as IX does it, for every front end that batches: a
 * batch is what the backlog holds when the server looks, up to --batch,
 * and its replies leave as soon as nothing more is waiting. A server
 * under light load thus answers each request at once, as one without
 * batching would; under load its batches grow with the backlog and
 * share each call's fixed cost. Nothing ever waits for a batch to fill.
 */
#ifndef __KV_BATCH_H__
#define __KV_BATCH_H__

#include <stdint.h>

struct kvbatch {
	uint32_t max;		/* --batch */
	uint32_t taken;		/* requests taken into this batch */
	uint32_t held;		/* their replies not sent yet */
};

static inline void kvbatch_start(struct kvbatch *b, uint32_t max)
{
	b->max = max ? max : 1;
	b->taken = 0;
	b->held = 0;
}

/* Another request joins the batch: one is waiting and there is room. */
static inline int kvbatch_take(const struct kvbatch *b, int waiting)
{
	return waiting && b->taken < b->max;
}

/* The held replies leave now: nothing more waits, or the batch is full. */
static inline int kvbatch_flush(const struct kvbatch *b, int waiting)
{
	return b->held && !kvbatch_take(b, waiting);
}

#endif /* __KV_BATCH_H__ */
