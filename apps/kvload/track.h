/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Outstanding requests, indexed by their 16-bit memcached request id.
 * Ids are handed out in order, so the oldest outstanding request is
 * always found by walking forward from the last one retired: expiry is
 * O(1) per request, with no timer list.
 */
#ifndef __KVLOAD_TRACK_H__
#define __KVLOAD_TRACK_H__

#include <stdint.h>

#include "hist.h"
#include "proto.h"

#define TRACK_IDS	65536
#define TRACK_ID(n)	((uint16_t)(n))

/* What one phase (probe and warm-up, or the measured run) saw. */
struct counts {
	uint64_t requests;
	uint64_t gets;
	uint64_t sets;
	uint64_t replies;	/* right replies to requests of this phase */
	uint64_t lost;		/* no reply within the timeout */
	uint64_t late;		/* a reply after its request was lost */
	uint64_t wrong_id;	/* a reply to no request outstanding */
	uint64_t malformed;	/* a datagram whose frame header is bad */
	uint64_t verdict[V_COUNT];	/* replies to a request, by verdict */
	struct hist latency;	/* ns, right replies only */
};

static inline uint64_t counts_wrong(const struct counts *c)
{
	uint64_t w = c->wrong_id;
	int v;

	for (v = V_OK + 1; v < V_COUNT; v++)
		w += c->verdict[v];
	return w;
}

struct slot {
	uint64_t sent;		/* TSC at transmission */
	uint32_t key;
	uint8_t op;
	uint8_t state;
	uint8_t measured;
};

struct tracker {
	struct slot slot[TRACK_IDS];
	/* counters of requests taken; an id is a counter's low 16 bits */
	uint32_t next;		/* the next request */
	uint32_t oldest;	/* no request older than this is outstanding */
	uint32_t outstanding;
	uint64_t timeout;	/* TSC cycles */
	uint64_t tsc_hz;
	int echo;		/* replies are the requests sent back */
	int measuring;		/* new requests belong to the measured run */
	const struct values *values;
	struct counts warm;
	struct counts meas;
};

void track_init(struct tracker *t, uint64_t tsc_hz, uint64_t timeout,
		const struct values *v, int echo);

/* Counts of the phase that new requests and stray replies belong to. */
static inline struct counts *track_counts(struct tracker *t)
{
	return t->measuring ? &t->meas : &t->warm;
}

/* Records a request about to be sent and returns its id. */
uint16_t track_take(struct tracker *t, uint64_t now, enum req_op op,
		    uint32_t key);
/* Forgets the last n requests taken: they could not be sent. */
void track_untake(struct tracker *t, unsigned int n);
/* Counts requests older than the timeout as lost. */
void track_expire(struct tracker *t, uint64_t now);
/* Counts every request still outstanding as lost. */
void track_expire_all(struct tracker *t);
/* Judges and counts one reply datagram (frame header onwards). */
void track_reply(struct tracker *t, uint64_t now, const uint8_t *p,
		 size_t len);

#endif /* __KVLOAD_TRACK_H__ */
