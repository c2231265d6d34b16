/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The raw front end's own virtio-net data path (vnet.h). Why: the 0.16
 * virtio-net driver works one packet at a time, through function
 * pointers, scatter lists and netbuf callbacks, and it reclaims, refills
 * and checks whether to notify per packet; that was 43% of a request's
 * guest instructions, more than twice what DPDK's virtio PMD costs.
 */
#include <errno.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/essentials.h>
#include <uk/plat/io.h>
#include <virtio/virtio_bus.h>
#include <virtio/virtio_net.h>
#include <virtio/virtqueue.h>
#include "vnet.h"

#ifdef CONFIG_PAGING
/* The rings are reached at the physical address the ring library gives */
#error "raw-uknetdev needs guest memory mapped one to one (no PAGING)"
#endif

#define BUF_SIZE	2048
#define FRAME_OFF	(BUF_SIZE - VNET_FRAME_ROOM)
/* virtio-net's queues: receive is 0, transmit 1 (one queue pair) */
#define VQ_RX		0
#define VQ_TX		1

static inline uint8_t *slot_buf(const struct vnet_ring *r, uint32_t head)
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

static int netdev_start(struct uk_netdev *dev)
{
	struct uk_netdev_conf conf = { .nb_rx_queues = 1, .nb_tx_queues = 1 };
	struct uk_netdev_rxqueue_conf rxq = { 0 };
	struct uk_netdev_txqueue_conf txq = { 0 };
	int rc;

	rc = uk_netdev_configure(dev, &conf);
	if (rc < 0)
		return rc;
	rxq.a = uk_alloc_get_default();
	rxq.alloc_rxpkts = no_rxpkts;
	rxq.callback = NULL;	/* polled: no receive event handler */
	rc = uk_netdev_rxq_configure(dev, 0, 0, &rxq);
	if (rc < 0)
		return rc;
	txq.a = uk_alloc_get_default();
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
static int ring_init(struct vnet_ring *r, struct virtqueue *vq,
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
	r->avail = r->published = r->used = 0;
	r->event_idx = vq->uses_event_idx;
	r->bufs = uk_memalign(uk_alloc_get_default(), BUF_SIZE,
			      (size_t)num / 2 * BUF_SIZE);
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
		d[1].len = VNET_FRAME_ROOM;
		d[1].flags = write;
		d[1].next = 0;
	}
	return 0;
}

/* Used entries not consumed yet. */
static inline uint16_t ring_ready(const struct vnet_ring *r)
{
	uint16_t n = (uint16_t)(*(volatile uint16_t *)&r->vr.used->idx
				- r->used);

	rmb();	/* the entries are read after the index */
	return n;
}

/*
 * Interrupts stay off: with event indexes the device interrupts when
 * its used index passes used_event, which one behind what we consumed
 * it never does; without, the driver set the avail flag for good.
 */
static inline void ring_quiet(struct vnet_ring *r)
{
	if (r->event_idx)
		vring_used_event(&r->vr) = (uint16_t)(r->used - 1);
}

static inline void ring_post(struct vnet_ring *r, uint16_t head)
{
	r->vr.avail->ring[r->avail++ & r->mask] = head;
}

/* Hands the device what was put in the avail ring since last time. */
static void ring_publish(struct vnet_ring *r)
{
	uint16_t old = r->published;
	int kick;

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

int vnet_start(struct vnet *n, struct uk_netdev *dev)
{
	struct virtqueue *rx, *tx;
	uint64_t features;
	uint16_t s;
	int rc;

	rc = netdev_start(dev);
	if (rc < 0)
		return rc;
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
	rc = ring_init(&n->rx, rx, n->hdr_len, VRING_DESC_F_WRITE);
	if (rc < 0)
		return rc;
	rc = ring_init(&n->tx, tx, n->hdr_len, 0);
	if (rc < 0)
		return rc;
	n->txfree = uk_malloc(uk_alloc_get_default(),
			      (n->tx.mask + 1) / 2 * sizeof(*n->txfree));
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

uint16_t vnet_rx_burst(struct vnet *n, struct vnet_buf *rx, uint16_t max)
{
	struct vnet_ring *r = &n->rx;
	struct vring_used_elem *e;
	uint16_t i, cnt;

	cnt = MIN(ring_ready(r), max);
	for (i = 0; i < cnt; i++) {
		e = &r->vr.used->ring[r->used++ & r->mask];
		rx[i].head = (uint16_t)e->id;
		rx[i].data = slot_buf(r, e->id) + FRAME_OFF;
		/* the device wrote the header, then the frame */
		rx[i].len = e->len > n->hdr_len ? e->len - n->hdr_len : 0;
	}
	if (cnt)
		ring_quiet(r);
	return cnt;
}

void vnet_rx_done(struct vnet *n, const struct vnet_buf *rx, uint16_t cnt)
{
	uint16_t i;

	for (i = 0; i < cnt; i++)
		ring_post(&n->rx, rx[i].head);
	ring_publish(&n->rx);
}

/* Transmit slots the device has sent go back to the idle stack. */
static void tx_reclaim(struct vnet *n)
{
	struct vnet_ring *r = &n->tx;
	const struct vring_used_elem *ring = r->vr.used->ring;
	uint16_t cnt = ring_ready(r), used = r->used, nfree = n->ntxfree;

	/* counts in locals: a store to txfree might be one to them, which
	 * would reload and store both at every slot
	 */
	while (cnt--)
		n->txfree[nfree++] = (uint16_t)ring[used++ & r->mask].id;
	r->used = used;
	n->ntxfree = nfree;
	ring_quiet(r);
}

uint16_t vnet_tx_bufs(struct vnet *n, struct vnet_buf *tx, uint16_t max)
{
	uint16_t i, cnt;

	/* sent slots are reclaimed in one sweep, when they are needed */
	if (n->ntxfree < max)
		tx_reclaim(n);
	cnt = MIN(n->ntxfree, max);
	for (i = 0; i < cnt; i++) {
		tx[i].head = n->txfree[n->ntxfree - 1 - i];
		tx[i].data = slot_buf(&n->tx, tx[i].head) + FRAME_OFF;
		tx[i].len = VNET_FRAME_ROOM;
	}
	return cnt;
}

void vnet_tx_burst(struct vnet *n, const struct vnet_buf *tx, uint16_t cnt)
{
	uint16_t i;

	for (i = 0; i < cnt; i++) {
		n->tx.vr.desc[tx[i].head + 1].len = tx[i].len;
		ring_post(&n->tx, tx[i].head);
	}
	n->ntxfree -= cnt;
	ring_publish(&n->tx);
}
