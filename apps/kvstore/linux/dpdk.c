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

/* A fresh mbuf for a reply, its data room at *buf (*cap bytes). */
static struct rte_mbuf *reply_mbuf(struct rte_mempool *pool, uint8_t **buf,
				   size_t *cap)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	if (m) {
		*buf = rte_pktmbuf_mtod(m, uint8_t *);
		*cap = rte_pktmbuf_tailroom(m);
	}
	return m;
}

/* The reply to one received frame, or NULL when it gets none. */
static struct rte_mbuf *answer(struct kv_store *store,
			       const struct pkt_iface *me,
			       struct rte_mempool *pool, struct rte_mbuf *m,
			       struct port_stats *ps)
{
	struct rte_mbuf *t = NULL;
	struct pkt_rx rx;
	size_t cap = 0, len = 0, plen;
	uint8_t *buf = NULL;

	/* a chained mbuf would be a frame beyond one buffer: not ours */
	if (m->nb_segs != 1) {
		ps->bad++;
		return NULL;
	}
	switch (pkt_parse(me, rte_pktmbuf_mtod(m, const uint8_t *),
			  rte_pktmbuf_data_len(m), &rx)) {
	case PKT_ARP:
		ps->arp++;
		t = reply_mbuf(pool, &buf, &cap);
		if (t)
			len = pkt_arp_reply(me, &rx.peer, buf, cap);
		break;
	case PKT_UDP:
		t = reply_mbuf(pool, &buf, &cap);
		if (!t || cap < PKT_UDP_HLEN)
			break;
		plen = kv_handle(store, rx.payload, rx.len,
				 buf + PKT_UDP_HLEN, cap - PKT_UDP_HLEN);
		if (plen)
			len = pkt_udp_reply(me, &rx.peer, buf, cap, plen);
		break;
	case PKT_BAD:
		ps->bad++;
		break;
	default:
		ps->ignored++;
		break;
	}
	if (t && !len) {
		rte_pktmbuf_free(t);
		return NULL;
	}
	if (t)
		t->data_len = t->pkt_len = (uint32_t)len;
	return t;
}

static void serve(struct kvl_server *srv, uint16_t port,
		  const struct pkt_iface *me, struct rte_mempool *pool,
		  struct port_stats *ps)
{
	struct rte_mbuf *rx[KVOPT_BATCH_MAX], *tx[KVOPT_BATCH_MAX];
	uint16_t n, i, ntx, sent;

	while (!kvl_stopping) {
		n = rte_eth_rx_burst(port, 0, rx, (uint16_t)srv->opts.batch);
		ps->rx += n;
		ntx = 0;
		for (i = 0; i < n; i++) {
			tx[ntx] = answer(srv->store, me, pool, rx[i], ps);
			if (tx[ntx])
				ntx++;
			rte_pktmbuf_free(rx[i]);
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
	serve(&srv, port, &me, pool, &ps);

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
