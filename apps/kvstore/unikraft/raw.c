/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * raw-uknetdev: the KV server with no network stack at all. uknetdev and
 * its virtio-net driver find the device, negotiate its features and lay
 * out its two virtqueues; then this front end drives the rings itself,
 * as the virtio specification describes them, and the driver is called
 * no more. The 0.16 driver works one packet at a time, through function
 * pointers, scatter lists and netbuf callbacks, and frees, refills and
 * tells the device per packet; here each packet slot owns its buffer and
 * its two descriptors (header, frame) from the start, so a request costs
 * a few stores in the rings, and the device learns of a whole burst at
 * once.
 *
 * The receive ring is polled (its interrupts stay suppressed); a burst is
 * what the used ring holds, bounded by --batch (batch.h); ARP requests
 * for our address and UDP requests to our port are answered straight
 * into a transmit slot's buffer, everything else is dropped; the replies
 * of a burst go out together as soon as nothing more waits.
 * Ethernet/ARP/IPv4/UDP parsing and checksums are the core's pkt.h,
 * shared with every other front end that needs them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/netdev.h>
#include <uk/plat/io.h>
#include <uk/print.h>
#include <virtio/virtio_bus.h>
#include <virtio/virtio_net.h>
#include <virtio/virtio_ring.h>
#include <virtio/virtqueue.h>
#include "../common/batch.h"
#include "frontend.h"
#include "pkt.h"

#ifdef CONFIG_PAGING
/* The rings are reached at the physical address the ring library gives */
#error "raw-uknetdev needs guest memory mapped one to one (no PAGING)"
#endif

/* Each packet slot's buffer: the virtio-net header, then the frame */
#define BUF_SIZE	2048
#define FRAME_OFF	64
#define FRAME_ROOM	(BUF_SIZE - FRAME_OFF)
/* Transmit ring full: times its used ring is looked at before a drop */
#define TX_TRIES	100000
/* virtio-net's queues: receive is 0, transmit 1 (one queue pair) */
#define VQ_RX		0
#define VQ_TX		1

/*
 * One virtqueue as the device sees it, and our shadow of it. Slot s
 * owns descriptors 2s (header) and 2s + 1 (frame), chained once for
 * good, so a chain is named by its head 2s in the avail and used rings.
 */
struct ring {
	struct vring vr;
	struct virtqueue *vq;		/* for notifying the device */
	uint8_t *bufs;			/* slot s at bufs + s * BUF_SIZE */
	uint16_t mask;			/* ring entries - 1 */
	uint16_t avail;			/* next avail entry we fill */
	uint16_t published;		/* avail index the device was given */
	uint16_t used;			/* next used entry we consume */
	uint16_t seen;			/* used index last read */
	uint8_t event_idx;		/* VIRTIO_F_EVENT_IDX negotiated */
};

struct rawnet {
	struct ring rx, tx;
	uint16_t *txfree;		/* heads of idle transmit slots */
	uint16_t ntxfree;
	uint16_t hdr_len;		/* virtio-net header */
};

static inline uint8_t *slot_buf(const struct ring *r, uint32_t head)
{
	return r->bufs + (size_t)(head / 2) * BUF_SIZE;
}

/*
 * The driver's refill callback: the rings are ours, so the driver gets
 * no buffer and leaves the receive ring untouched at start.
 */
static uint16_t no_rxpkts(void *argp __unused, struct uk_netbuf *nb[] __unused,
			  uint16_t count __unused)
{
	return 0;
}

static int netdev_setup(struct uk_netdev *dev)
{
	struct uk_netdev_conf conf = { .nb_rx_queues = 1, .nb_tx_queues = 1 };
	struct uk_netdev_rxqueue_conf rxq = { 0 };
	struct uk_netdev_txqueue_conf txq = { 0 };
	struct uk_alloc *a;
	int rc;

	a = uk_alloc_get_default();
	rc = uk_netdev_configure(dev, &conf);
	if (rc < 0)
		return rc;
	rxq.a = a;
	rxq.alloc_rxpkts = no_rxpkts;
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
 * The two virtqueues behind the started device. The virtio-net driver's
 * receive queue starts with its virtqueue, which points back at it; the
 * transmit virtqueue is its sibling on the virtio device.
 */
static int find_vqs(struct uk_netdev *dev, struct virtqueue **rx,
		    struct virtqueue **tx)
{
	struct virtqueue *vq;

	*rx = *(struct virtqueue **)dev->_rx_queue[0];
	if (!*rx || (*rx)->priv != dev->_rx_queue[0]
	    || (*rx)->queue_id != VQ_RX)
		return -ENODEV;
	*tx = NULL;
	UK_TAILQ_FOREACH(vq, &(*rx)->vdev->vqs, next)
		if (vq->queue_id == VQ_TX)
			*tx = vq;
	return *tx ? 0 : -ENODEV;
}

/*
 * Takes a virtqueue the device has seen nothing on yet and chains each
 * slot's header and frame descriptors (device-writable for receive).
 */
static int ring_init(struct ring *r, struct virtqueue *vq, struct uk_alloc *a,
		     uint16_t hdr_len, uint16_t write)
{
	unsigned int num = virtqueue_vring_get_num(vq);
	struct vring_desc *d;
	uint8_t *buf;
	unsigned int s;

	r->vq = vq;
	r->vr.num = num;
	r->vr.desc = (struct vring_desc *)virtqueue_physaddr(vq);
	r->vr.avail = (struct vring_avail *)virtqueue_get_avail_addr(vq);
	r->vr.used = (struct vring_used *)virtqueue_get_used_addr(vq);
	if (num < 2 || (num & (num - 1)) || r->vr.avail->idx
	    || r->vr.used->idx)
		return -EBUSY;
	r->mask = (uint16_t)(num - 1);
	r->avail = r->published = r->used = r->seen = 0;
	r->event_idx = vq->uses_event_idx;
	r->bufs = uk_memalign(a, BUF_SIZE, (size_t)num / 2 * BUF_SIZE);
	if (!r->bufs)
		return -ENOMEM;
	/* zero headers: no checksum offload, no segmentation on transmit */
	memset(r->bufs, 0, (size_t)num / 2 * BUF_SIZE);
	for (s = 0; s < num / 2; s++) {
		buf = r->bufs + (size_t)s * BUF_SIZE;
		d = &r->vr.desc[2 * s];
		d[0].addr = ukplat_virt_to_phys(buf);
		d[0].len = hdr_len;
		d[0].flags = VRING_DESC_F_NEXT | write;
		d[0].next = (uint16_t)(2 * s + 1);
		d[1].addr = ukplat_virt_to_phys(buf + FRAME_OFF);
		d[1].len = FRAME_ROOM;
		d[1].flags = write;
		d[1].next = 0;
	}
	return 0;
}

/* A used entry waits to be consumed. */
static inline int ring_pending(struct ring *r)
{
	if (r->used != r->seen)
		return 1;
	r->seen = *(volatile uint16_t *)&r->vr.used->idx;
	rmb();	/* the entries are read after the index */
	return r->used != r->seen;
}

/*
 * Interrupts stay off: with event indexes the device interrupts when
 * its used index passes used_event, which one behind what we consumed
 * it never does; without, the avail flag says so once for good.
 */
static inline void ring_quiet(struct ring *r)
{
	if (r->event_idx)
		vring_used_event(&r->vr) = (uint16_t)(r->used - 1);
}

/* Hands the device what was put in the avail ring since last time. */
static void ring_publish(struct ring *r)
{
	uint16_t old = r->published;
	int kick;

	if (r->avail == old)
		return;
	wmb();	/* the entries before the index */
	r->vr.avail->idx = r->avail;
	r->published = r->avail;
	mb();	/* the index before the device's wish to be told */
	if (r->event_idx)
		kick = vring_need_event(vring_avail_event(&r->vr), r->avail,
					old);
	else
		kick = !(r->vr.used->flags & VRING_USED_F_NO_NOTIFY);
	if (kick)
		r->vq->vq_notify_host(r->vq->vdev, r->vq->queue_id);
}

static inline void ring_post(struct ring *r, uint16_t head)
{
	r->vr.avail->ring[r->avail++ & r->mask] = head;
}

/* Transmit slots the device has sent go back to the idle stack. */
static void tx_reclaim(struct rawnet *n)
{
	struct ring *r = &n->tx;

	while (ring_pending(r))
		n->txfree[n->ntxfree++] =
			(uint16_t)r->vr.used->ring[r->used++ & r->mask].id;
	ring_quiet(r);
}

/*
 * The head of an idle transmit slot, or -1. Sent slots are reclaimed
 * only when none is idle, in one sweep; a full ring first sends what
 * waits, then gives the device a bounded time to drain.
 */
static int tx_slot(struct rawnet *n)
{
	uint32_t tries = 0;

	if (likely(n->ntxfree))
		return n->txfree[n->ntxfree - 1];
	tx_reclaim(n);
	if (!n->ntxfree)
		ring_publish(&n->tx);
	while (!n->ntxfree && ++tries < TX_TRIES)
		tx_reclaim(n);
	return n->ntxfree ? n->txfree[n->ntxfree - 1] : -1;
}

static int rawnet_init(struct rawnet *n, struct uk_netdev *dev)
{
	struct virtqueue *rx, *tx;
	struct uk_alloc *a = uk_alloc_get_default();
	uint64_t features;
	uint16_t s;
	int rc;

	rc = find_vqs(dev, &rx, &tx);
	if (rc < 0)
		return rc;
	features = rx->vdev->features;
	/* one buffer per frame: mergeable receive buffers are not taken */
	if (VIRTIO_FEATURE_HAS(features, VIRTIO_NET_F_MRG_RXBUF))
		return -ENOTSUP;
	/* the header lacks num_buffers before virtio 1.0 (spec 5.1.6.1) */
	n->hdr_len = VIRTIO_FEATURE_HAS(features, VIRTIO_F_VERSION_1)
		     ? 12 : 10;
	rc = ring_init(&n->rx, rx, a, n->hdr_len, VRING_DESC_F_WRITE);
	if (rc < 0)
		return rc;
	rc = ring_init(&n->tx, tx, a, n->hdr_len, 0);
	if (rc < 0)
		return rc;
	n->txfree = uk_malloc(a, (n->tx.mask + 1) / 2 * sizeof(*n->txfree));
	if (!n->txfree)
		return -ENOMEM;
	n->ntxfree = 0;
	for (s = 0; s <= n->tx.mask / 2; s++)
		n->txfree[n->ntxfree++] = (uint16_t)(2 * s);
	for (s = 0; s <= n->rx.mask / 2; s++)
		ring_post(&n->rx, (uint16_t)(2 * s));
	ring_quiet(&n->rx);
	ring_quiet(&n->tx);
	ring_publish(&n->rx);
	return 0;
}

/*
 * Answers one received frame into out (cap bytes). Returns the reply's
 * length, or 0 when there is none.
 */
static size_t answer(const struct pkt_iface *me, struct kv_store *store,
		     const uint8_t *frame, size_t len, uint8_t *out,
		     size_t cap)
{
	struct pkt_rx rx;
	size_t m;

	switch (pkt_parse(me, frame, len, &rx)) {
	case PKT_ARP:
		return pkt_arp_reply(me, &rx.peer, out, cap);
	case PKT_UDP:
		m = kv_handle(store, rx.payload, rx.len, out + PKT_UDP_HLEN,
			      cap - PKT_UDP_HLEN);
		return m ? pkt_udp_reply(me, &rx.peer, out, cap, m) : 0;
	default:
		/* Malformed or not for us: the core's stats do not see it */
		return 0;
	}
}

/*
 * Serves the next received frame: its reply, if any, is queued in a
 * transmit slot (sent with the burst), its buffer goes back to the
 * receive ring (handed over with the burst).
 */
static void serve_one(struct rawnet *n, const struct pkt_iface *me,
		      struct kv_store *store, struct kvbatch *b)
{
	struct vring_used_elem *e;
	uint32_t head, len;
	size_t m;
	int tx;

	e = &n->rx.vr.used->ring[n->rx.used++ & n->rx.mask];
	head = e->id;
	len = e->len;
	b->taken++;
	tx = tx_slot(n);
	if (unlikely(tx < 0)) {
		uk_pr_warn("tx: ring full, reply dropped\n");
	} else if (likely(len > n->hdr_len)) {
		m = answer(me, store, slot_buf(&n->rx, head) + FRAME_OFF,
			   len - n->hdr_len, slot_buf(&n->tx, tx) + FRAME_OFF,
			   FRAME_ROOM);
		if (m) {
			n->tx.vr.desc[tx + 1].len = (uint32_t)m;
			ring_post(&n->tx, (uint16_t)tx);
			n->ntxfree--;
			b->held++;
		}
	}
	ring_post(&n->rx, (uint16_t)head);
}

int kvfe_serve(const struct kvopt *opts, struct kv_store *store)
{
	struct pkt_iface me = { .port = (uint16_t)opts->port };
	struct uk_netdev *dev;
	struct rawnet net;
	struct kvbatch b;
	int rc, waiting;

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
	rc = netdev_setup(dev);
	if (rc >= 0)
		rc = rawnet_init(&net, dev);
	if (rc < 0) {
		fprintf(stderr, "kvstore: netdev setup: %d\n", rc);
		return rc;
	}
	memcpy(me.mac, uk_netdev_hwaddr_get(dev)->addr_bytes, PKT_ETH_ALEN);
	kvopt_print_ready(stdout, me.ip, me.port);

	for (;;) {
		kvbatch_start(&b, opts->batch);
		waiting = ring_pending(&net.rx);
		while (kvbatch_take(&b, waiting)) {
			serve_one(&net, &me, store, &b);
			waiting = ring_pending(&net.rx);
		}
		if (!b.taken)
			continue;
		ring_quiet(&net.rx);
		ring_publish(&net.rx);
		if (kvbatch_flush(&b, waiting))
			ring_publish(&net.tx);
	}
}
