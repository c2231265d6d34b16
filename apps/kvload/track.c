/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "track.h"

enum {
	SLOT_FREE,
	SLOT_OUT,
	SLOT_LOST,
};

void track_init(struct tracker *t, uint64_t tsc_hz, uint64_t timeout,
		const struct values *v, int echo)
{
	memset(t, 0, sizeof(*t));
	t->tsc_hz = tsc_hz;
	t->timeout = timeout;
	t->values = v;
	t->echo = echo;
}

static struct counts *slot_counts(struct tracker *t, const struct slot *s)
{
	return s->measured ? &t->meas : &t->warm;
}

static void lose(struct tracker *t, struct slot *s)
{
	slot_counts(t, s)->lost++;
	s->state = SLOT_LOST;
	t->outstanding--;
}

uint16_t track_take(struct tracker *t, uint64_t now, enum req_op op,
		    uint32_t key)
{
	uint16_t id = TRACK_ID(t->next);
	struct slot *s = &t->slot[id];
	struct counts *c = track_counts(t);

	/* every id is outstanding: the oldest has waited long enough */
	if (t->next - t->oldest == TRACK_IDS) {
		if (s->state == SLOT_OUT)
			lose(t, s);
		t->oldest++;
	}
	t->next++;
	s->sent = now;
	s->key = key;
	s->op = op;
	s->state = SLOT_OUT;
	s->measured = t->measuring;
	t->outstanding++;
	c->requests++;
	if (op == REQ_GET)
		c->gets++;
	else
		c->sets++;
	return id;
}

void track_untake(struct tracker *t, unsigned int n)
{
	struct counts *c = track_counts(t);

	while (n--) {
		struct slot *s = &t->slot[TRACK_ID(--t->next)];

		s->state = SLOT_FREE;
		t->outstanding--;
		c->requests--;
		if (s->op == REQ_GET)
			c->gets--;
		else
			c->sets--;
	}
}

void track_expire(struct tracker *t, uint64_t now)
{
	while (t->oldest != t->next) {
		struct slot *s = &t->slot[TRACK_ID(t->oldest)];

		if (s->state == SLOT_OUT) {
			if (now - s->sent < t->timeout)
				return;
			lose(t, s);
		}
		t->oldest++;
	}
}

void track_expire_all(struct tracker *t)
{
	for (; t->oldest != t->next; t->oldest++) {
		struct slot *s = &t->slot[TRACK_ID(t->oldest)];

		if (s->state == SLOT_OUT)
			lose(t, s);
	}
}

void track_reply(struct tracker *t, uint64_t now, const uint8_t *p,
		 size_t len)
{
	struct counts *c;
	enum verdict v;
	struct slot *s;
	uint16_t id;

	if (reply_id(p, len, &id) < 0) {
		track_counts(t)->malformed++;
		return;
	}
	s = &t->slot[id];
	if (s->state == SLOT_LOST) {
		slot_counts(t, s)->late++;
		s->state = SLOT_FREE;
		return;
	}
	if (s->state != SLOT_OUT) {
		track_counts(t)->wrong_id++;
		return;
	}
	c = slot_counts(t, s);
	if (t->echo)
		v = echo_check(p, len, id, s->op, s->key, t->values);
	else
		v = reply_check(p, len, s->op, s->key, t->values);
	c->verdict[v]++;
	if (v == V_OK) {
		c->replies++;
		hist_add(&c->latency,
			 (now - s->sent) * 1000000000ull / t->tsc_hz);
	}
	s->state = SLOT_FREE;
	t->outstanding--;
}
