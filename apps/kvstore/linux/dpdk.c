/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvstore-linux-dpdk: the KV core on a DPDK port, with no kernel network
 * stack in the way. One lcore polls the first port's receive queue in
 * bursts of --batch, answers ARP for --ip and memcached's UDP protocol on
 * --port (pkt.c does Ethernet/IPv4/UDP), and sends the replies as one
 * burst. EAL options come first, then `--` and the server's own:
 *
 *	kvstore-linux-dpdk --no-huge -m 256 --vdev net_tap0,iface=kv0 \
 *		-- --ip 10.0.0.2 --port 11211
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "pkt.h"
#include "server.h"

#define PROG		"kvstore-linux-dpdk"
/* enough for both rings full and a burst in flight */
#define NB_MBUFS	8191
#define MBUF_CACHE	256
#define RX_DESC		1024
#define TX_DESC		1024
/* The largest reply frame: Ethernet, IPv4, UDP and a whole datagram */
#define REPLY_FRAME_MAX	(PKT_UDP_HLEN + KV_DATAGRAM_MAX)
#define REPLY_ALIGN	RTE_CACHE_LINE_SIZE

struct port_stats {
	uint64_t rx, tx, tx_dropped, bad, ignored, arp;
};

/* Configures and starts one rx and one tx queue on port. */
static int port_start(uint16_t port, struct rte_mempool *pool)
{
	struct rte_eth_conf conf;
	uint16_t nrxd = RX_DESC, ntxd = TX_DESC;
	int sock = rte_eth_dev_socket_id(port), rc;

	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(port, 1, 1, &conf);
	if (!rc)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nrxd, &ntxd);
	if (!rc)
		rc = rte_eth_rx_queue_setup(port, 0, nrxd, (unsigned int)sock,
					    NULL, pool);
	if (!rc)
		rc = rte_eth_tx_queue_setup(port, 0, ntxd, (unsigned int)sock,
					    NULL);
	if (!rc)
		rc = rte_eth_dev_start(port);
	return rc;
}

/*
 * Where a UDP reply goes: behind the request in its own mbuf, on a cache
 * line of its own, when a whole reply frame fits there; else at the
 * frame's start, with the request's payload first copied aside, since
 * kv_handle() must not write over what it reads. Either way the reply
 * leaves in the request's mbuf: nothing is allocated per request.
 */
static uint8_t *reply_room(struct rte_mbuf *m, struct pkt_rx *rx,
			   size_t *off, size_t *cap)
{
	static uint8_t aside[KVL_RX_MAX];
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	size_t room = rte_pktmbuf_data_len(m) + rte_pktmbuf_tailroom(m);

	*off = RTE_ALIGN_CEIL(rte_pktmbuf_data_len(m), REPLY_ALIGN);
	if (*off + REPLY_FRAME_MAX <= room) {
		*cap = room - *off;
		return frame + *off;
	}
	memcpy(aside, rx->payload, rx->len);
	rx->payload = aside;
	*off = 0;
	*cap = room;
	return frame;
}

/* Answers one received frame in its own mbuf; returns the reply's
 * length, 0 when it gets none.
 */
static size_t answer(struct kv_store *store, const struct pkt_iface *me,
		     struct rte_mbuf *m, struct port_stats *ps)
{
	struct pkt_rx rx;
	size_t cap, off, len = 0, plen;
	uint64_t sum;
	uint8_t *buf;

	/* a chained mbuf would be a frame beyond one buffer: not ours */
	if (m->nb_segs != 1) {
		ps->bad++;
		return 0;
	}
	switch (pkt_parse(me, rte_pktmbuf_mtod(m, const uint8_t *),
			  rte_pktmbuf_data_len(m), &rx)) {
	case PKT_ARP:
		ps->arp++;
		/* the request is no longer needed: reply over it */
		return pkt_arp_reply(me, &rx.peer, rte_pktmbuf_mtod(m,
				     uint8_t *), rte_pktmbuf_data_len(m) +
				     rte_pktmbuf_tailroom(m));
	case PKT_UDP:
		buf = reply_room(m, &rx, &off, &cap);
		plen = kv_handle_csum(store, rx.payload, rx.len,
				      buf + PKT_UDP_HLEN, cap - PKT_UDP_HLEN,
				      &sum);
		if (plen)
			len = pkt_udp_reply_csum(me, &rx.peer, buf, cap, plen,
						 sum);
		if (len)
			m->data_off += (uint16_t)off;
		return len;
	case PKT_BAD:
		ps->bad++;
		return 0;
	default:
		ps->ignored++;
		return 0;
	}
}

static void serve(struct kvl_server *srv, uint16_t port,
		  const struct pkt_iface *me, struct port_stats *ps)
{
	struct rte_mbuf *rx[KVOPT_BATCH_MAX], *tx[KVOPT_BATCH_MAX];
	uint16_t n, i, ntx, sent;
	size_t len;

	while (!kvl_stopping) {
		/* a burst is what waits, up to --batch: never a wait for more */
		n = rte_eth_rx_burst(port, 0, rx, (uint16_t)srv->opts.batch);
		ps->rx += n;
		ntx = 0;
		for (i = 0; i < n; i++) {
			len = answer(srv->store, me, rx[i], ps);
			if (!len) {
				rte_pktmbuf_free(rx[i]);
				continue;
			}
			rx[i]->data_len = (uint16_t)len;
			rx[i]->pkt_len = (uint32_t)len;
			tx[ntx++] = rx[i];
		}
		if (!ntx)
			continue;
		sent = rte_eth_tx_burst(port, 0, tx, ntx);
		ps->tx += sent;
		/* a full tx ring loses replies, as a lossy wire would */
		if (sent < ntx) {
			ps->tx_dropped += ntx - sent;
			rte_pktmbuf_free_bulk(tx + sent, ntx - sent);
		}
	}
}

/* Index of "--" in argv, where EAL's options end and ours begin. */
static int find_dash(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return i;
	return argc;
}

/* The first port DPDK found; exits when there is none. */
static uint16_t first_port(void)
{
	uint16_t port;

	RTE_ETH_FOREACH_DEV(port)
		return port;
	fprintf(stderr, PROG ": no DPDK port: give EAL a device "
		"(a PCI NIC bound to a DPDK driver, or --vdev ...)\n");
	exit(KVOPT_EXIT_FAIL);
}

int main(int argc, char *argv[])
{
	struct kvl_server srv = {
		.fe = {
			.prog = PROG,
			.takes = KVOPT_IP | KVOPT_BATCH,
			.synopsis = "[EAL options] -- ",
			.batch_unit = "rx/tx burst",
			.notes = "EAL options go before --; the first port DPDK "
				 "finds serves.\n",
		},
	};
	static char *help_argv[] = { PROG, "--help", NULL };
	struct rte_ether_addr mac;
	struct rte_mempool *pool;
	struct port_stats ps = { 0 };
	struct pkt_iface me;
	int dash = find_dash(argc, argv), i, rc;
	uint16_t port;

	/* --help anywhere is ours, not EAL's */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help"))
			kvl_parse_args(&srv, 2, help_argv);
	/* our flags first: a bad one fails before EAL takes any memory */
	if (dash == argc) {
		char *none[] = { argv[0], NULL };

		kvl_parse_args(&srv, 1, none);
	} else {
		argv[dash] = argv[0];
		kvl_parse_args(&srv, argc - dash, argv + dash);
	}
	rc = rte_eal_init(dash, argv);
	if (rc < 0) {
		fprintf(stderr, PROG ": EAL: %s\n", rte_strerror(rte_errno));
		return KVOPT_EXIT_FAIL;
	}
	kvl_make_store(&srv);
	kvl_catch_signals();

	port = first_port();
	pool = rte_pktmbuf_pool_create("kv_mbufs", NB_MBUFS, MBUF_CACHE, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	if (!pool) {
		fprintf(stderr, PROG ": no mbuf pool: %s\n",
			rte_strerror(rte_errno));
		return KVOPT_EXIT_FAIL;
	}
	rc = port_start(port, pool);
	if (rc) {
		fprintf(stderr, PROG ": cannot start port %u: %s\n", port,
			rte_strerror(-rc));
		return KVOPT_EXIT_FAIL;
	}
	rte_eth_macaddr_get(port, &mac);
	memcpy(me.mac, mac.addr_bytes, PKT_ETH_ALEN);
	me.ip = srv.opts.addr;
	me.port = (uint16_t)srv.opts.port;

	kvopt_print_ready(stdout, srv.opts.addr, srv.opts.port);
	serve(&srv, port, &me, &ps);

	kvopt_print_stats(stdout, kv_get_stats(srv.store));
	printf("port rx=%" PRIu64 " tx=%" PRIu64 " tx_dropped=%" PRIu64
	       " bad=%" PRIu64 " ignored=%" PRIu64 " arp=%" PRIu64 "\n",
	       ps.rx, ps.tx, ps.tx_dropped, ps.bad, ps.ignored, ps.arp);
	fflush(stdout);
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	kv_store_destroy(srv.store);
	rte_eal_cleanup();
	return KVOPT_EXIT_OK;
}
