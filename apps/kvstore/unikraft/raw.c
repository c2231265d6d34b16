/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * raw-uknetdev: the KV server with no network stack at all. The first
 * uknetdev is set up through uknetdev; its rings are then driven by our
 * own virtio-net data path (vnet.h), polled. A burst is what the receive
 * ring holds when the server looks, up to --batch, as in the DPDK front
 * end: ARP requests for our address and UDP requests to our port are
 * answered straight into transmit buffers, everything else is dropped,
 * and the burst's replies leave together at once, so nothing ever waits
 * for a burst to fill. Ethernet/ARP/IPv4/UDP parsing and checksums are
 * the core's pkt.h, shared with every other front end that needs them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uk/essentials.h>
#include <uk/print.h>
#include "frontend.h"
#include "pkt.h"
#include "vnet.h"

/*
 * Answers one received frame into out (cap bytes). Returns the reply's
 * length, or 0 when there is none.
 */
static size_t answer(const struct pkt_iface *me, struct kv_store *store,
		     const struct vnet_buf *in, uint8_t *out, size_t cap)
{
	struct pkt_rx rx;
	uint64_t sum;
	size_t m;

	switch (pkt_parse(me, in->data, in->len, &rx)) {
	case PKT_ARP:
		return pkt_arp_reply(me, &rx.peer, out, cap);
	case PKT_UDP:
		/* the reply's sum comes with it: its bytes are not read */
		m = kv_handle_csum(store, rx.payload, rx.len,
				   out + PKT_UDP_HLEN, cap - PKT_UDP_HLEN, &sum);
		return m ? pkt_udp_reply_csum(me, &rx.peer, out, cap, m, sum)
			 : 0;
	default:
		/* Malformed or not for us: the core's stats do not see it */
		return 0;
	}
}

/*
 * Serves received frames rx[0..nrx): a reply needs an idle transmit
 * buffer, and a full transmit ring drops what it cannot take, as a lossy
 * wire would. Returns how many replies tx[] holds.
 */
static uint16_t serve_burst(const struct pkt_iface *me,
			    struct kv_store *store, struct vnet *net,
			    const struct vnet_buf *rx, uint16_t nrx,
			    struct vnet_buf *tx)
{
	const struct vnet_buf *in = rx, *in_end = rx + nrx;
	struct vnet_buf *out = tx, *out_end;
	size_t m;

	/* pointers, not indexes: no index arithmetic per request */
	out_end = tx + vnet_tx_bufs(net, tx, nrx);
	for (; in < in_end && out < out_end; in++) {
		m = answer(me, store, in, out->data, out->len);
		if (m)
			(out++)->len = (uint32_t)m;
	}
	if (unlikely(in < in_end))
		uk_pr_warn("tx ring full: %u requests dropped\n",
			   (unsigned int)(in_end - in));
	return (uint16_t)(out - tx);
}

int kvfe_serve(const struct kvopt *opts, struct kv_store *store)
{
	struct vnet_buf rx[KVOPT_BATCH_MAX], tx[KVOPT_BATCH_MAX];
	struct pkt_iface me = { .port = (uint16_t)opts->port };
	/* options.c keeps --batch within 1..KVOPT_BATCH_MAX */
	uint16_t batch = (uint16_t)opts->batch;
	struct uk_netdev *dev;
	struct vnet net;
	uint16_t nrx, ntx;
	int rc;

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
	rc = vnet_start(&net, dev);
	if (rc < 0) {
		fprintf(stderr, "kvstore: netdev setup: %d\n", rc);
		return rc;
	}
	memcpy(me.mac, uk_netdev_hwaddr_get(dev)->addr_bytes, PKT_ETH_ALEN);
	kvopt_print_ready(stdout, me.ip, me.port);

	for (;;) {
		nrx = vnet_rx_burst(&net, rx, batch);
		if (!nrx)
			continue;
		kvfe_tlb_refresh();
		ntx = serve_burst(&me, store, &net, rx, nrx, tx);
		vnet_rx_done(&net, rx, nrx);
		if (ntx)
			vnet_tx_burst(&net, tx, ntx);
	}
}
