/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The raw front end's own virtio-net data path. uknetdev and its
 * virtio-net driver find the device, negotiate its features and lay out
 * its two virtqueues; vnet then drives the rings itself, as the virtio
 * specification describes them, and the driver is called no more.
 *
 * Each packet slot owns a buffer and two descriptors (virtio-net header,
 * frame), chained once at start-up, so a packet costs a few stores in
 * the rings. Work is done in bursts, as DPDK's PMDs do it: the device is
 * handed a ring's new entries once per burst and notified only when it
 * asks to be (by event index). Interrupts stay suppressed.
 */
#ifndef __KVFE_VNET_H__
#define __KVFE_VNET_H__

#include <stdint.h>
#include <uk/netdev.h>
#include <virtio/virtio_ring.h>

/* Room for a frame in each slot's buffer */
#define VNET_FRAME_ROOM		(2048 - 64)

/*
 * One virtqueue as the device sees it, and our shadow of it. Slot s
 * owns descriptors 2s (header) and 2s + 1 (frame); a chain is named by
 * its head 2s in the avail and used rings.
 */
struct vnet_ring {
	struct vring vr;
	struct virtqueue *vq;		/* for notifying the device */
	uint8_t *bufs;			/* slot s at bufs + s * 2048 */
	uint16_t mask;			/* ring entries - 1 */
	uint16_t avail;			/* next avail entry we fill */
	uint16_t published;		/* avail index the device was given */
	uint16_t used;			/* next used entry we consume */
	uint8_t event_idx;		/* VIRTIO_F_EVENT_IDX negotiated */
};

struct vnet {
	struct vnet_ring rx, tx;
	uint16_t *txfree;		/* heads of idle transmit slots */
	uint16_t ntxfree;
	uint16_t hdr_len;		/* virtio-net header */
};

/* A frame in a slot's buffer */
struct vnet_buf {
	uint8_t *data;
	uint32_t len;
	uint16_t head;			/* its slot's descriptor chain */
};

/*
 * Configures and starts dev (one queue pair, polled) and takes over its
 * rings, every receive buffer handed to the device. Returns 0 or a
 * negative errno.
 */
int vnet_start(struct vnet *n, struct uk_netdev *dev);

/* Takes up to max received frames; returns how many. */
uint16_t vnet_rx_burst(struct vnet *n, struct vnet_buf *rx, uint16_t max);

/* Gives received frames' buffers back to the device. */
void vnet_rx_done(struct vnet *n, const struct vnet_buf *rx, uint16_t cnt);

/*
 * Up to max idle transmit buffers (len = their room), to write frames
 * into; returns how many, fewer only when the ring is full.
 */
uint16_t vnet_tx_bufs(struct vnet *n, struct vnet_buf *tx, uint16_t max);

/*
 * Sends the first cnt buffers of the last vnet_tx_bufs(), their len set
 * to their frames'; the others stay idle.
 */
void vnet_tx_burst(struct vnet *n, const struct vnet_buf *tx, uint16_t cnt);

#endif /* __KVFE_VNET_H__ */
