/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * raw-uknetdev: the KV server with no network stack at all. It drives
 * the first uknetdev itself: the receive queue is polled (its interrupt
 * stays off), a burst is a run of uk_netdev_rx_one() while the driver
 * says more wait, bounded by --batch (batch.h); ARP requests for our
 * address and UDP requests to our port are answered, everything else is
 * dropped; the replies of a burst go out together as soon as nothing
 * more waits. Packet buffers come from one pool allocated at start-up,
 * so nothing is allocated per packet, and the receive ring is refilled
 * in batches rather than one buffer per packet. Ethernet/ARP/IPv4/UDP parsing and checksums are the core's
 * pkt.h, shared with every other front end that needs them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/netbuf.h>
#include <uk/netdev.h>
#include <uk/print.h>
#include "../common/batch.h"
#include "frontend.h"
#include "pkt.h"

/* Each packet buffer: the data room and, at its end, the netbuf itself */
#define BUF_SIZE	2048
/* The largest frame virtio-net sends: Ethernet header and 1500 bytes */
#define FRAME_MAX	UK_ETH_FRAME_UNTAGGED_MAXLEN
/* A reply behind its request starts on a cache line of its own */
#define REPLY_ALIGN	64
/* Receive buffers handed to the driver at once, at most */
#define REFILL_BATCH	32

struct pool {
	struct uk_netbuf **free;	/* stack of idle netbufs */
	uint32_t nfree;
	uint16_t headroom;		/* driver's encapsulation headroom */
	uint16_t refill_min;		/* see alloc_rxpkts() */
};

static struct pool pool;

/* Destructor: the driver or we released the netbuf, it is idle again */
static void pool_put(struct uk_netbuf *nb)
{
	pool.free[pool.nfree++] = nb;
}

/*
 * An empty netbuf with room for a whole frame after the headroom. A
 * buffer comes back whole (its free left it unchained, with no
 * allocator to free to), so only what a use changes is reset rather
 * than the whole netbuf: this runs for every request.
 */
static struct uk_netbuf *pool_get(void)
{
	struct uk_netbuf *nb;

	if (unlikely(!pool.nfree))
		return NULL;
	nb = pool.free[--pool.nfree];
	nb->data = (uint8_t *)nb->buf + pool.headroom;
	nb->len = 0;
	nb->flags = 0;
	uk_refcount_init(&nb->refcount, 1);
	return nb;
}

static int pool_init(struct uk_alloc *a, uint32_t size, uint16_t headroom,
		     uint16_t align)
{
	struct uk_netbuf *nb;
	uint8_t *mem;
	uint32_t i;

	mem = uk_memalign(a, align > BUF_SIZE ? align : BUF_SIZE,
			  (size_t)size * BUF_SIZE);
	pool.free = uk_malloc(a, size * sizeof(*pool.free));
	if (!mem || !pool.free)
		return -ENOMEM;
	pool.headroom = headroom;
	for (i = 0; i < size; i++) {
		nb = uk_netbuf_prepare_buf(mem + (size_t)i * BUF_SIZE,
					   BUF_SIZE, headroom, 0, pool_put);
		if (!nb)
			return -ENOMEM;
		pool.free[pool.nfree++] = nb;
	}
	return 0;
}

/*
 * The driver's refill callback: receive buffers span the whole room.
 * The 0.16 virtio-net driver calls it after every received packet for
 * the one slot that packet freed, and then enqueues and notifies the
 * host for that one buffer. Refusing requests below refill_min (the
 * driver retries on the next packet, with every slot freed since) makes
 * that one enqueue run and one notification per refill_min packets,
 * while the ring keeps all but refill_min of its buffers.
 */
static uint16_t alloc_rxpkts(void *argp __unused, struct uk_netbuf *nb[],
			     uint16_t count)
{
	uint16_t i;

	if (count < pool.refill_min)
		return 0;
	for (i = 0; i < count; i++) {
		nb[i] = pool_get();
		if (!nb[i])
			break;
		nb[i]->len = nb[i]->buflen - pool.headroom;
	}
	return i;
}

static int netdev_setup(struct uk_netdev *dev, uint32_t batch)
{
	struct uk_netdev_conf conf = { .nb_rx_queues = 1, .nb_tx_queues = 1 };
	struct uk_netdev_rxqueue_conf rxq = { 0 };
	struct uk_netdev_txqueue_conf txq = { 0 };
	struct uk_netdev_queue_info rxi, txi;
	struct uk_netdev_info info;
	struct uk_alloc *a;
	int rc;

	a = uk_alloc_get_default();
	uk_netdev_info_get(dev, &info);
	rc = uk_netdev_configure(dev, &conf);
	if (rc < 0)
		return rc;
	rc = uk_netdev_rxq_info_get(dev, 0, &rxi);
	if (rc < 0)
		return rc;
	rc = uk_netdev_txq_info_get(dev, 0, &txi);
	if (rc < 0)
		return rc;
	/*
	 * Enough buffers for a full receive ring, a full transmit ring and
	 * the burst in our hands, so the driver never finds the pool dry.
	 * A virtio-net packet takes two descriptors (header, frame).
	 */
	rc = pool_init(a, (uint32_t)rxi.nb_max / 2 + txi.nb_max / 2
		       + 2 * batch,
		       MAX(info.nb_encap_rx, info.nb_encap_tx), info.ioalign);
	if (rc < 0)
		return rc;

	/* a quarter of the ring's packets, so it never runs dry */
	pool.refill_min = (uint16_t)MIN(REFILL_BATCH, rxi.nb_max / 2 / 4);
	rxq.a = a;
	rxq.alloc_rxpkts = alloc_rxpkts;
	rxq.callback = NULL;	/* polled: no receive event handler */
	rc = uk_netdev_rxq_configure(dev, 0, 0, &rxq);
	if (rc < 0)
		return rc;
	txq.a = a;
	rc = uk_netdev_txq_configure(dev, 0, 0, &txq);
	if (rc < 0)
		return rc;
	rc = uk_netdev_start(dev);
	if (rc < 0)
		return rc;
	rc = uk_netdev_rxq_intr_disable(dev, 0);
	return rc == -ENOTSUP ? 0 : rc;
}

/*
 * Sends a burst; a full ring is retried a bounded number of times
 * because the driver reclaims finished descriptors on every call.
 */
static void tx_burst(struct uk_netdev *dev, struct uk_netbuf **pkts,
		     uint32_t n)
{
	uint32_t i, tries;
	int st;

	for (i = 0; i < n; i++) {
		tries = 0;
		do {
			st = uk_netdev_tx_one(dev, 0, pkts[i]);
		} while (uk_netdev_status_notready(st) && ++tries < 100000);
		if (unlikely(!uk_netdev_status_successful(st))) {
			uk_pr_warn("tx: reply dropped: %d\n", st);
			uk_netbuf_free_single(pkts[i]);
		}
	}
}

/*
 * The buffer a UDP reply is written to: behind the request in its own
 * buffer when a whole frame fits there, which saves a netbuf and keeps
 * fewer buffers in use, else a fresh one. kv_handle() must not write
 * over the request it reads, so the reply never starts inside it.
 */
static struct uk_netbuf *reply_buf(struct uk_netbuf *in)
{
	size_t off = ALIGN_UP((size_t)in->len, REPLY_ALIGN);

	if (uk_netbuf_tailroom(in) + in->len < off + FRAME_MAX)
		return pool_get();
	in->data = (uint8_t *)in->data + off;
	in->len = 0;
	return in;
}

/*
 * Answers one received frame. Returns the reply netbuf, or NULL when
 * there is none; the received netbuf is consumed either way.
 */
static struct uk_netbuf *answer(const struct pkt_iface *me,
				struct kv_store *store, struct uk_netbuf *in)
{
	struct uk_netbuf *out;
	struct pkt_rx rx;
	size_t cap, m;

	switch (pkt_parse(me, in->data, in->len, &rx)) {
	case PKT_ARP:
		/* The request is no longer needed: reply in its buffer */
		in->len = (uint16_t)pkt_arp_reply(me, &rx.peer, in->data,
						  uk_netbuf_tailroom(in)
						  + in->len);
		if (in->len)
			return in;
		break;
	case PKT_UDP:
		out = reply_buf(in);
		if (!out)
			break;
		cap = uk_netbuf_tailroom(out);
		m = kv_handle(store, rx.payload, rx.len,
			      (uint8_t *)out->data + PKT_UDP_HLEN,
			      cap - PKT_UDP_HLEN);
		out->len = m ? (uint16_t)pkt_udp_reply(me, &rx.peer,
						       out->data, cap, m) : 0;
		if (out->len) {
			if (out != in)
				uk_netbuf_free_single(in);
			return out;
		}
		if (out != in)
			uk_netbuf_free_single(out);
		break;
	default:
		/* Malformed or not for us: the core's stats do not see it */
		break;
	}
	uk_netbuf_free_single(in);
	return NULL;
}

int kvfe_serve(const struct kvopt *opts, struct kv_store *store)
{
	struct uk_netbuf *in, *tx[KVOPT_BATCH_MAX];
	struct pkt_iface me = { .port = (uint16_t)opts->port };
	struct uk_netdev *dev;
	struct kvbatch b;
	int rc, st, waiting;

	dev = uk_netdev_get(0);
	if (!dev) {
		fprintf(stderr, "kvstore: no network device\n");
		return -ENODEV;
	}
	rc = uk_netdev_probe(dev);
	if (rc < 0)
		return rc;
	if (kvfe_netdev_ipv4(dev, &me.ip) < 0) {
		fprintf(stderr, "kvstore: no IPv4 address: boot with "
			"netdev.ip=ADDR/PREFIX\n");
		return -EADDRNOTAVAIL;
	}
	rc = netdev_setup(dev, opts->batch);
	if (rc < 0) {
		fprintf(stderr, "kvstore: netdev setup: %d\n", rc);
		return rc;
	}
	memcpy(me.mac, uk_netdev_hwaddr_get(dev)->addr_bytes, PKT_ETH_ALEN);
	kvopt_print_ready(stdout, me.ip, me.port);

	for (;;) {
		kvbatch_start(&b, opts->batch);
		waiting = 1;
		while (kvbatch_take(&b, waiting)) {
			st = uk_netdev_rx_one(dev, 0, &in);
			if (unlikely(st < 0))
				/* The frame is lost, the queue keeps working */
				uk_pr_warn("rx: %d\n", st);
			if (st < 0 || !uk_netdev_status_successful(st)) {
				waiting = 0;
				break;
			}
			/* polled, the driver says more until it finds none */
			waiting = uk_netdev_status_more(st);
			b.taken++;
			tx[b.held] = answer(&me, store, in);
			if (tx[b.held])
				b.held++;
		}
		if (kvbatch_flush(&b, waiting))
			tx_burst(dev, tx, b.held);
	}
}
