/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * batch.h: a front end's loop over a simulated receive queue, as raw.c
 * and batched.c run it: take while kvbatch_take(), send when
 * kvbatch_flush(). Checks that nothing waits for a batch to fill.
 */
#include "batch.h"
#include "check.h"

struct run {
	uint32_t batches;	/* flushes */
	uint32_t sent;		/* replies sent */
	uint32_t largest;	/* replies in the largest flush */
};

/* Serves a queue of backlog requests with --batch max until it is empty;
 * every answered request holds a reply.
 */
static struct run serve(uint32_t backlog, uint32_t max)
{
	struct run r = { 0, 0, 0 };
	struct kvbatch b;
	int waiting = backlog > 0;

	while (waiting) {
		kvbatch_start(&b, max);
		while (kvbatch_take(&b, waiting)) {
			backlog--;
			b.taken++;
			b.held++;
			waiting = backlog > 0;
		}
		if (kvbatch_flush(&b, waiting)) {
			r.batches++;
			r.sent += b.held;
			if (b.held > r.largest)
				r.largest = b.held;
		}
	}
	return r;
}

static void test_empty_queue_flushes_at_once(void)
{
	struct kvbatch b;

	kvbatch_start(&b, 32);
	b.taken = b.held = 1;
	/* one reply ready, nothing else waiting: it leaves now */
	CHECK(kvbatch_flush(&b, 0));
	CHECK(!kvbatch_take(&b, 0));
	/* with more waiting and room left, it joins the batch first */
	CHECK(!kvbatch_flush(&b, 1));
	CHECK(kvbatch_take(&b, 1));
	/* a lone request at light load is one batch of one */
	CHECK(serve(1, 32).batches == 1 && serve(1, 32).sent == 1);
}

static void test_backlog_taken_in_one_batch(void)
{
	struct run r = serve(20, 32);

	CHECK(r.batches == 1 && r.sent == 20 && r.largest == 20);
	/* a backlog beyond --batch: full batches, then the rest */
	r = serve(70, 32);
	CHECK(r.batches == 3 && r.sent == 70 && r.largest == 32);
}

static void test_nothing_held_nothing_sent(void)
{
	struct kvbatch b;

	kvbatch_start(&b, 4);
	CHECK(!kvbatch_flush(&b, 0));
	/* requests that got no reply (noreply, bad frames) send nothing */
	b.taken = 4;
	CHECK(!kvbatch_take(&b, 1));
	CHECK(!kvbatch_flush(&b, 1));
	CHECK(serve(0, 4).batches == 0);
}

static void test_full_batch_flushes_with_more_waiting(void)
{
	struct kvbatch b;

	kvbatch_start(&b, 2);
	b.taken = b.held = 2;
	CHECK(!kvbatch_take(&b, 1));
	CHECK(kvbatch_flush(&b, 1));
	/* --batch 0 cannot stall a loop: it means batches of one */
	kvbatch_start(&b, 0);
	CHECK(kvbatch_take(&b, 1));
}

int main(void)
{
	test_empty_queue_flushes_at_once();
	test_backlog_taken_in_one_batch();
	test_nothing_held_nothing_sent();
	test_full_batch_flushes_with_more_waiting();
	return check_report("batch_test");
}
