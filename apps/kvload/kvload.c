/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvload: a DPDK load generator for memcached-UDP key-value servers.
 *
 * It owns one port (a vhost-user backend a guest connects to, a TAP or
 * af_packet device toward a host server, or a virtio_user port of a
 * switch), builds its Ethernet/IPv4/UDP frames itself, answers and asks
 * ARP, and drives GET/SET requests in an open loop (a rate) or a closed
 * one (a window of outstanding requests) from one polling core. Every
 * reply is judged against the request it answers; one line a second goes
 * to stderr and one JSON object to stdout at the end.
 *
 * Phases: link up, peer MAC, first answered request (the server is
 * ready), warm-up, measured run, drain. Only the measured run is counted.
 * With --steps the last three repeat for each load read from standard
 * input, one JSON object each: a load sweep pays for the setup (a guest's
 * boot) once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "hist.h"
#include "pkt.h"
#include "proto.h"
#include "track.h"
#include "workload.h"

#define BURST		32
#define RING_DESC	1024
#define NB_MBUF		8191
#define MBUF_CACHE	256
/* setup phases poll gently: the machine may have one core for us */
#define SETUP_NAP_US	200
#define ARP_EVERY_MS	100
#define PROBE_EVERY_MS	100
/*
 * Request ids are 16 bits: a reply that comes after its id was handed out
 * again would be taken for the new request's. Keep at most half the ids
 * in flight within a timeout, so a late reply is seen as late.
 */
#define ID_REUSE_GAP	(TRACK_IDS / 2)
/* open loop: a backlog older than 1/CATCH_UP_DIV s is dropped */
#define CATCH_UP_DIV	100

struct options {
	rte_be32_t src_ip;
	rte_be32_t dst_ip;
	uint16_t src_port;
	uint16_t dst_port;
	struct rte_ether_addr dst_mac;
	int have_dst_mac;
	double get_ratio;
	uint32_t keys;
	uint32_t value_size;
	enum dist dist;
	double zipf_s;
	double rate;
	uint32_t window;
	double duration;
	double warmup;
	double timeout;
	double link_timeout;
	int echo;
	uint64_t requests;	/* measured run: this many, 0 for no limit */
	int fill;
	int steps;
};

struct port_counts {
	uint64_t rx;
	uint64_t tx_dropped;
	uint64_t arp_answered;
	uint64_t ignored;	/* frames not for us: other protocols, ports */
};

struct kvload {
	struct options o;
	uint16_t port;
	struct rte_mempool *pool;
	struct pkt_iface me;	/* the source of our requests */
	struct pkt_iface rx_me;	/* what replies are addressed to */
	struct pkt_peer server;
	int have_server_mac;
	uint64_t hz;
	uint64_t next_send;	/* open loop: TSC of the next request */
	uint64_t interval;	/* open loop: TSC cycles between requests */
	uint32_t fill_next;	/* the fill phase's next key */
	int filling;
	unsigned int step;	/* --steps: the number of the load running */
	struct tracker *t;
	struct workload w;
	struct values v;
	struct port_counts pc;
};

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s EAL-ARGS -- --src-ip A --dst-ip A [options]\n"
		"  --src-ip A          our IPv4 address (we answer ARP for it)\n"
		"  --dst-ip A          the server's IPv4 address\n"
		"  --dst-port P        the server's UDP port (11211)\n"
		"  --src-port P        our UDP port (40000)\n"
		"  --dst-mac M         the server's MAC (default: ask by ARP)\n"
		"  --get-ratio F       share of GETs, 0..1 (0.9)\n"
		"  --keys N            keys key:0..key:N-1 (1000)\n"
		"  --value-size B      bytes a value (64)\n"
		"  --dist D            uniform or zipf (uniform)\n"
		"  --zipf-s S          Zipf exponent (0.99)\n"
		"  --rate R            open loop: R requests a second\n"
		"  --window W          closed loop: W outstanding (1)\n"
		"  --duration S        measured seconds (5)\n"
		"  --requests N        end the measured run after N requests\n"
		"                      (or --duration, whichever comes first)\n"
		"  --warmup S          unmeasured seconds before (1)\n"
		"  --timeout S         a request is lost after S seconds (0.5)\n"
		"  --link-timeout S    wait for link, ARP, first reply (30)\n"
		"  --fill              SET every key once before the warm-up,\n"
		"                      for a server with no preload\n"
		"  --echo              replies are our requests sent back by a\n"
		"                      loopback (testpmd macswap, net_ring):\n"
		"                      measures the client's own ceiling\n"
		"  --steps             after setup, read loads from standard input,\n"
		"                      one a line ('rate R' or 'window W', then\n"
		"                      optionally 'duration S', 'warmup S',\n"
		"                      'requests N'); run\n"
		"                      and print each; end at end of input\n",
		prog);
}

static int parse_double(const char *s, double min, double *out)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(s, &end);
	if (errno || end == s || *end || !(x >= min))
		return -1;
	*out = x;
	return 0;
}

static int parse_u32(const char *s, uint32_t min, uint32_t max,
		     uint32_t *out)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

static int parse_ip(const char *s, rte_be32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = a.s_addr;
	return 0;
}

enum {
	OPT_SRC_IP = 256, OPT_DST_IP, OPT_DST_PORT, OPT_SRC_PORT,
	OPT_DST_MAC, OPT_GET_RATIO, OPT_KEYS, OPT_VALUE_SIZE, OPT_DIST,
	OPT_ZIPF_S, OPT_RATE, OPT_WINDOW, OPT_DURATION, OPT_WARMUP,
	OPT_TIMEOUT, OPT_LINK_TIMEOUT, OPT_ECHO, OPT_FILL, OPT_STEPS,
	OPT_REQUESTS,
	OPT_HELP,
};

static const struct option long_opts[] = {
	{ "src-ip", required_argument, NULL, OPT_SRC_IP },
	{ "dst-ip", required_argument, NULL, OPT_DST_IP },
	{ "dst-port", required_argument, NULL, OPT_DST_PORT },
	{ "src-port", required_argument, NULL, OPT_SRC_PORT },
	{ "dst-mac", required_argument, NULL, OPT_DST_MAC },
	{ "get-ratio", required_argument, NULL, OPT_GET_RATIO },
	{ "keys", required_argument, NULL, OPT_KEYS },
	{ "value-size", required_argument, NULL, OPT_VALUE_SIZE },
	{ "dist", required_argument, NULL, OPT_DIST },
	{ "zipf-s", required_argument, NULL, OPT_ZIPF_S },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "link-timeout", required_argument, NULL, OPT_LINK_TIMEOUT },
	{ "echo", no_argument, NULL, OPT_ECHO },
	{ "fill", no_argument, NULL, OPT_FILL },
	{ "steps", no_argument, NULL, OPT_STEPS },
	{ "requests", required_argument, NULL, OPT_REQUESTS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Reads one option into o; returns -1 with a message on bad input. */
static int parse_opt(struct options *o, int opt, const char *arg)
{
	uint32_t u;
	int rc = 0;

	switch (opt) {
	case OPT_SRC_IP:
		rc = parse_ip(arg, &o->src_ip);
		break;
	case OPT_DST_IP:
		rc = parse_ip(arg, &o->dst_ip);
		break;
	case OPT_DST_PORT:
	case OPT_SRC_PORT:
		rc = parse_u32(arg, 1, 65535, &u);
		if (opt == OPT_DST_PORT)
			o->dst_port = u;
		else
			o->src_port = u;
		break;
	case OPT_DST_MAC:
		rc = rte_ether_unformat_addr(arg, &o->dst_mac);
		o->have_dst_mac = 1;
		break;
	case OPT_GET_RATIO:
		rc = parse_double(arg, 0, &o->get_ratio);
		if (!rc && o->get_ratio > 1)
			rc = -1;
		break;
	case OPT_KEYS:
		rc = parse_u32(arg, 1, UINT32_MAX, &o->keys);
		break;
	case OPT_VALUE_SIZE:
		rc = parse_u32(arg, 0, KV_DATAGRAM_MAX, &o->value_size);
		break;
	case OPT_DIST:
		if (!strcmp(arg, "uniform"))
			o->dist = DIST_UNIFORM;
		else if (!strcmp(arg, "zipf"))
			o->dist = DIST_ZIPF;
		else
			rc = -1;
		break;
	case OPT_ZIPF_S:
		rc = parse_double(arg, 1e-9, &o->zipf_s);
		break;
	case OPT_RATE:
		rc = parse_double(arg, 1, &o->rate);
		break;
	case OPT_WINDOW:
		rc = parse_u32(arg, 1, ID_REUSE_GAP, &o->window);
		break;
	case OPT_DURATION:
		rc = parse_double(arg, 0.001, &o->duration);
		break;
	case OPT_WARMUP:
		rc = parse_double(arg, 0, &o->warmup);
		break;
	case OPT_TIMEOUT:
		rc = parse_double(arg, 0.000001, &o->timeout);
		break;
	case OPT_LINK_TIMEOUT:
		rc = parse_double(arg, 0.001, &o->link_timeout);
		break;
	case OPT_ECHO:
		o->echo = 1;
		break;
	case OPT_FILL:
		o->fill = 1;
		break;
	case OPT_STEPS:
		o->steps = 1;
		break;
	case OPT_REQUESTS:
		rc = parse_u32(arg, 1, UINT32_MAX, &u);
		o->requests = u;
		break;
	default:
		return -1;
	}
	if (rc)
		fprintf(stderr, "kvload: bad value '%s' for --%s\n", arg,
			long_opts[opt - OPT_SRC_IP].name);
	return rc ? -1 : 0;
}

/* The loss timeout of a load: short enough that no id is reused in it. */
static double step_timeout(const struct options *o)
{
	if (o->rate * o->timeout > ID_REUSE_GAP)
		return ID_REUSE_GAP / o->rate;
	return o->timeout;
}

static int parse_args(struct options *o, int argc, char **argv)
{
	uint8_t probe[KV_DATAGRAM_MAX];
	struct values v;
	size_t n;
	int opt;

	*o = (struct options){
		.dst_port = 11211, .src_port = 40000, .get_ratio = 0.9,
		.keys = 1000, .value_size = 64, .dist = DIST_UNIFORM,
		.zipf_s = 0.99, .window = 0, .duration = 5, .warmup = 1,
		.timeout = 0.5, .link_timeout = 30,
	};
	while ((opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		if (opt == OPT_HELP || opt == '?') {
			usage(argv[0]);
			return -1;
		}
		if (parse_opt(o, opt, optarg) < 0)
			return -1;
	}
	if (optind != argc) {
		fprintf(stderr, "kvload: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (!o->src_ip || !o->dst_ip) {
		fprintf(stderr, "kvload: --src-ip and --dst-ip are needed\n");
		return -1;
	}
	if (o->rate > 0 && o->window > 0) {
		fprintf(stderr,
			"kvload: --rate (open loop) and --window (closed loop) exclude each other\n");
		return -1;
	}
	if (o->rate == 0 && o->window == 0)
		o->window = 1;
	if (!o->steps && step_timeout(o) < o->timeout) {
		o->timeout = step_timeout(o);
		fprintf(stderr,
			"kvload: --timeout lowered to %gs: at --rate %g a longer one would reuse request ids within it\n",
			o->timeout, o->rate);
	}
	/* the largest SET must fit one datagram */
	if (values_init(&v, o->value_size) < 0)
		return -1;
	n = req_build(probe, sizeof(probe), 0, REQ_SET, o->keys - 1, &v);
	values_fini(&v);
	if (n == 0) {
		fprintf(stderr,
			"kvload: --value-size %u does not fit one %d-byte datagram\n",
			o->value_size, KV_DATAGRAM_MAX);
		return -1;
	}
	return 0;
}

static int port_init(struct kvload *k)
{
	struct rte_eth_conf conf;
	int rc;

	if (rte_eth_dev_count_avail() != 1) {
		fprintf(stderr,
			"kvload: want exactly one port (a --vdev), found %u\n",
			rte_eth_dev_count_avail());
		return -1;
	}
	k->port = rte_eth_find_next_owned_by(0, RTE_ETH_DEV_NO_OWNER);
	k->pool = rte_pktmbuf_pool_create("kvload", NB_MBUF, MBUF_CACHE, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE,
					  rte_socket_id());
	if (!k->pool) {
		fprintf(stderr, "kvload: no memory for mbufs (raise -m)\n");
		return -1;
	}
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(k->port, 1, 1, &conf);
	if (!rc)
		rc = rte_eth_rx_queue_setup(k->port, 0, RING_DESC,
					    rte_eth_dev_socket_id(k->port),
					    NULL, k->pool);
	if (!rc)
		rc = rte_eth_tx_queue_setup(k->port, 0, RING_DESC,
					    rte_eth_dev_socket_id(k->port),
					    NULL);
	if (!rc)
		rc = rte_eth_dev_start(k->port);
	if (!rc)
		rc = rte_eth_macaddr_get(k->port,
					 (struct rte_ether_addr *)k->me.mac);
	if (rc) {
		fprintf(stderr, "kvload: port %u setup: %s\n", k->port,
			rte_strerror(-rc));
		return -1;
	}
	/* a TAP or af_packet port sees the host's other traffic too */
	rte_eth_promiscuous_disable(k->port);
	return 0;
}

static void tx_one(struct kvload *k, struct rte_mbuf *m)
{
	if (rte_eth_tx_burst(k->port, 0, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		k->pc.tx_dropped++;
	}
}

/* Asks who has the server's address (pkt.h only answers ARP). */
static void arp_request(struct kvload *k)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(k->pool);
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;

	if (!m)
		return;
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	arp = (struct rte_arp_hdr *)(eth + 1);
	memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
	memcpy(&eth->src_addr, k->me.mac, RTE_ETHER_ADDR_LEN);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = sizeof(rte_be32_t);
	arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	memcpy(&arp->arp_data.arp_sha, k->me.mac, RTE_ETHER_ADDR_LEN);
	arp->arp_data.arp_sip = k->me.ip;
	memset(&arp->arp_data.arp_tha, 0, sizeof(arp->arp_data.arp_tha));
	arp->arp_data.arp_tip = k->server.ip;
	m->data_len = m->pkt_len = PKT_ETH_MIN;
	memset(arp + 1, 0, PKT_ETH_MIN - sizeof(*eth) - sizeof(*arp));
	tx_one(k, m);
}

/* Any ARP message the server sends, reply or request, gives its MAC. */
static void arp_learn(struct kvload *k, const uint8_t *frame, size_t len)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	const struct rte_arp_hdr *arp = (const struct rte_arp_hdr *)(eth + 1);

	if (k->have_server_mac || len < PKT_ARP_LEN ||
	    eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP) ||
	    arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_data.arp_sip != k->server.ip)
		return;
	memcpy(k->server.mac, &arp->arp_data.arp_sha, PKT_ETH_ALEN);
	k->have_server_mac = 1;
}

static void arp_answer(struct kvload *k, const struct pkt_peer *asker)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(k->pool);

	if (!m)
		return;
	m->data_len = m->pkt_len =
		pkt_arp_reply(&k->me, asker, rte_pktmbuf_mtod(m, uint8_t *),
			      rte_pktmbuf_tailroom(m));
	tx_one(k, m);
	k->pc.arp_answered++;
}

static void frame_input(struct kvload *k, struct rte_mbuf *m, uint64_t now)
{
	const uint8_t *frame;
	struct pkt_rx rx;
	size_t len;

	k->pc.rx++;
	if (m->nb_segs > 1 && rte_pktmbuf_linearize(m) < 0) {
		k->pc.ignored++;
		return;
	}
	frame = rte_pktmbuf_mtod(m, const uint8_t *);
	len = rte_pktmbuf_data_len(m);
	arp_learn(k, frame, len);
	switch (pkt_parse(&k->rx_me, frame, len, &rx)) {
	case PKT_ARP:
		arp_answer(k, &rx.peer);
		break;
	case PKT_UDP:
		track_reply(k->t, now, rx.payload, rx.len);
		break;
	case PKT_BAD:
		track_counts(k->t)->malformed++;
		break;
	default:
		k->pc.ignored++;
	}
}

static unsigned int poll_rx(struct kvload *k, uint64_t now)
{
	struct rte_mbuf *m[BURST];
	uint16_t i, n;

	n = rte_eth_rx_burst(k->port, 0, m, BURST);
	for (i = 0; i < n; i++) {
		frame_input(k, m[i], now);
		rte_pktmbuf_free(m[i]);
	}
	return n;
}

/* Fills m with one request frame. Sizes were checked at start. */
static void request_frame(struct kvload *k, struct rte_mbuf *m, uint16_t id,
			  enum req_op op, uint32_t key)
{
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	size_t n;

	n = req_build(frame + PKT_UDP_HLEN, KV_DATAGRAM_MAX, id, op, key,
		      &k->v);
	m->data_len = m->pkt_len =
		pkt_udp_reply(&k->me, &k->server, frame,
			      rte_pktmbuf_tailroom(m), n);
}

/* Sends up to n requests of the workload; returns how many went out. */
static unsigned int send_requests(struct kvload *k, unsigned int n,
				  uint64_t now)
{
	struct rte_mbuf *m[BURST];
	unsigned int i, sent;

	if (n > BURST)
		n = BURST;
	if (n == 0 || rte_pktmbuf_alloc_bulk(k->pool, m, n) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		enum req_op op = k->filling ? REQ_SET : workload_op(&k->w);
		uint32_t key = k->filling ? k->fill_next++ :
					    workload_key(&k->w);

		request_frame(k, m[i], track_take(k->t, now, op, key), op,
			      key);
	}
	sent = rte_eth_tx_burst(k->port, 0, m, n);
	if (sent < n) {
		rte_pktmbuf_free_bulk(m + sent, n - sent);
		track_untake(k->t, n - sent);
		if (k->filling)
			k->fill_next -= n - sent;
		k->pc.tx_dropped += n - sent;
	}
	return sent;
}

/* Requests the measured run may still send: it may have a limit. */
static uint64_t left(const struct kvload *k)
{
	if (!k->t->measuring || !k->o.requests)
		return UINT64_MAX;
	return k->o.requests - k->t->meas.requests;
}

/* How many requests are due now, by the window or by the rate. */
static unsigned int due(struct kvload *k, uint64_t now)
{
	uint64_t n;

	if (k->o.window) {
		n = k->t->outstanding < k->o.window ?
		    k->o.window - k->t->outstanding : 0;
		return n < left(k) ? n : left(k);
	}
	if (now < k->next_send)
		return 0;
	/*
	 * Catch up on a short delay, a burst at a time; after a long one
	 * (the core was taken away) start afresh rather than flood.
	 */
	if (now - k->next_send > k->hz / CATCH_UP_DIV)
		k->next_send = now;
	n = (now - k->next_send) / k->interval + 1;
	if (n > left(k))
		n = left(k);
	return n > BURST ? BURST : n;
}

static void send_due(struct kvload *k, uint64_t now)
{
	unsigned int sent = send_requests(k, due(k, now), now);

	if (!k->o.window)
		k->next_send += sent * k->interval;
}

static uint64_t deadline(struct kvload *k, double seconds)
{
	return rte_rdtsc() + (uint64_t)(seconds * (double)k->hz);
}

static int wait_link(struct kvload *k)
{
	uint64_t end = deadline(k, k->o.link_timeout);
	struct rte_eth_link link;

	while (!quit && rte_rdtsc() < end) {
		if (rte_eth_link_get_nowait(k->port, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP)
			return 0;
		poll_rx(k, rte_rdtsc());
		rte_delay_us_sleep(SETUP_NAP_US);
	}
	fprintf(stderr, "kvload: link of port %u did not come up in %gs\n",
		k->port, k->o.link_timeout);
	return -1;
}

static int resolve_server(struct kvload *k)
{
	uint64_t end = deadline(k, k->o.link_timeout), next = 0, now;
	char ip[INET_ADDRSTRLEN];

	while (!quit && !k->have_server_mac && (now = rte_rdtsc()) < end) {
		if (now >= next) {
			arp_request(k);
			next = now + k->hz * ARP_EVERY_MS / 1000;
		}
		poll_rx(k, now);
		rte_delay_us_sleep(SETUP_NAP_US);
	}
	if (k->have_server_mac)
		return 0;
	inet_ntop(AF_INET, &k->server.ip, ip, sizeof(ip));
	fprintf(stderr, "kvload: no ARP reply from %s in %gs\n", ip,
		k->o.link_timeout);
	return -1;
}

/* Waits for one right reply: the server is up and answers correctly. */
static int probe_server(struct kvload *k)
{
	uint64_t end = deadline(k, k->o.link_timeout), next = 0, now;
	/* before a fill only a SET can be answered right */
	enum req_op op = k->o.get_ratio > 0 && !k->o.fill ? REQ_GET : REQ_SET;
	struct rte_mbuf *m;

	while (!quit && k->t->warm.replies == 0 && (now = rte_rdtsc()) < end) {
		if (now >= next && (m = rte_pktmbuf_alloc(k->pool))) {
			request_frame(k, m, track_take(k->t, now, op, 0), op,
				      0);
			tx_one(k, m);
			next = now + k->hz * PROBE_EVERY_MS / 1000;
		}
		poll_rx(k, now);
		track_expire(k->t, now);
		rte_delay_us_sleep(SETUP_NAP_US);
	}
	if (k->t->warm.replies) {
		/* probes sent before the server listened hold the window */
		track_expire_all(k->t);
		return 0;
	}
	fprintf(stderr,
		"kvload: no right reply to %s key:0 in %gs (%" PRIu64
		" replies judged wrong, %" PRIu64 " malformed)\n",
		op == REQ_GET ? "get" : "set", k->o.link_timeout,
		counts_wrong(&k->t->warm), k->t->warm.malformed);
	return -1;
}

/* Waits for the replies still due, then counts the rest as lost. */
static void drain(struct kvload *k)
{
	uint64_t end = deadline(k, k->o.timeout), now;

	while (!quit && k->t->outstanding && (now = rte_rdtsc()) < end) {
		poll_rx(k, now);
		track_expire(k->t, now);
	}
	track_expire_all(k->t);
}

/* SETs every key once, for a server that has no preload (memcached). */
static int fill_keys(struct kvload *k)
{
	uint64_t end = deadline(k, k->o.link_timeout), now;
	uint64_t before = k->t->warm.replies, stored;
	uint32_t window = k->o.window ? k->o.window : BURST, n;

	k->filling = 1;
	while (!quit && k->fill_next < k->o.keys && (now = rte_rdtsc()) < end) {
		poll_rx(k, now);
		track_expire(k->t, now);
		n = k->t->outstanding < window ? window - k->t->outstanding : 0;
		if (n > k->o.keys - k->fill_next)
			n = k->o.keys - k->fill_next;
		send_requests(k, n, now);
	}
	k->filling = 0;
	drain(k);
	stored = k->t->warm.replies - before;
	if (stored == k->o.keys)
		return 0;
	fprintf(stderr, "kvload: fill: %" PRIu64 " of %u keys stored\n",
		stored, k->o.keys);
	return -1;
}

static double us(uint64_t ns)
{
	return (double)ns / 1000.0;
}

/* One line a second: what this second saw, from two snapshots. */
static void report_second(const struct counts *now, const struct counts *then,
			  unsigned int second, uint32_t outstanding)
{
	static struct hist h;
	unsigned int i;

	hist_reset(&h);
	for (i = 0; i < HIST_BUCKETS; i++)
		h.bucket[i] = now->latency.bucket[i] - then->latency.bucket[i];
	h.count = now->latency.count - then->latency.count;
	h.max = now->latency.max;
	fprintf(stderr,
		"kvload: %us %" PRIu64 " req/s %" PRIu64
		" rep/s p50 %.1fus p99 %.1fus lost %" PRIu64 " wrong %" PRIu64
		" malformed %" PRIu64 " outstanding %u\n",
		second, now->requests - then->requests,
		now->replies - then->replies, us(hist_quantile(&h, 0.5)),
		us(hist_quantile(&h, 0.99)), now->lost - then->lost,
		counts_wrong(now) - counts_wrong(then),
		now->malformed - then->malformed, outstanding);
}

/* Runs traffic for a phase; returns the seconds it really lasted. */
static double run_phase(struct kvload *k, double seconds, int measured)
{
	static struct counts last;
	uint64_t start = rte_rdtsc(), end, next_report, now = start;
	unsigned int second = 0;

	k->t->measuring = measured;
	end = start + (uint64_t)(seconds * (double)k->hz);
	next_report = start + k->hz;
	k->next_send = start;
	last = k->t->meas;
	for (;;) {
		now = rte_rdtsc();
		if (measured && now >= next_report) {
			report_second(&k->t->meas, &last, ++second,
				      k->t->outstanding);
			last = k->t->meas;
			next_report += k->hz;
		}
		if (quit || now >= end || left(k) == 0)
			break;
		poll_rx(k, now);
		track_expire(k->t, now);
		send_due(k, now);
	}
	return (double)((now < end ? now : end) - start) / (double)k->hz;
}

static void print_json(const struct kvload *k, double seconds,
		       int interrupted)
{
	const struct counts *c = &k->t->meas;
	const struct hist *h = &c->latency;
	int v;

	printf("{\"mode\":\"%s\",\"window\":%u,\"rate\":%.0f,"
	       "\"step\":%u,\"duration_s\":%.6f,\"interrupted\":%s,",
	       k->o.echo ? "echo" : k->o.window ? "closed" : "open",
	       k->o.window, k->o.rate, k->step, seconds,
	       interrupted ? "true" : "false");
	printf("\"requests\":%" PRIu64 ",\"replies\":%" PRIu64
	       ",\"requests_per_s\":%.1f,\"replies_per_s\":%.1f,",
	       c->requests, c->replies, c->requests / seconds,
	       c->replies / seconds);
	printf("\"latency_us\":{\"samples\":%" PRIu64 ",\"p50\":%.3f,"
	       "\"p99\":%.3f,\"p999\":%.3f,\"mean\":%.3f,\"max\":%.3f},",
	       h->count, us(hist_quantile(h, 0.5)), us(hist_quantile(h, 0.99)),
	       us(hist_quantile(h, 0.999)),
	       h->count ? us(h->sum / h->count) : 0.0, us(h->max));
	printf("\"lost\":%" PRIu64 ",\"late\":%" PRIu64 ",\"malformed\":%" PRIu64
	       ",\"wrong\":%" PRIu64 ",\"wrong_id\":%" PRIu64 ",\"wrong_reply\":{",
	       c->lost, c->late, c->malformed, counts_wrong(c), c->wrong_id);
	for (v = V_OK + 1; v < V_COUNT; v++)
		printf("%s\"%s\":%" PRIu64, v > V_OK + 1 ? "," : "",
		       verdict_name[v], c->verdict[v]);
	printf("},\"counts\":{\"get\":%" PRIu64 ",\"set\":%" PRIu64
	       ",\"warmup_requests\":%" PRIu64 ",\"warmup_replies\":%" PRIu64
	       ",\"rx_frames\":%" PRIu64 ",\"tx_dropped\":%" PRIu64
	       ",\"arp_answered\":%" PRIu64 ",\"ignored\":%" PRIu64 "}}\n",
	       c->gets, c->sets, k->t->warm.requests, k->t->warm.replies,
	       k->pc.rx, k->pc.tx_dropped, k->pc.arp_answered, k->pc.ignored);
	fflush(stdout);
}

/* Applies the options' rate or window and the timeout that goes with it. */
static void set_load(struct kvload *k)
{
	k->t->timeout = (uint64_t)(step_timeout(&k->o) * (double)k->hz);
	k->interval = 0;
	if (k->o.rate > 0)
		k->interval = (uint64_t)((double)k->hz / k->o.rate);
	if (k->o.rate > 0 && k->interval == 0)
		k->interval = 1;
}

static int setup(struct kvload *k)
{
	char err[128];

	k->hz = rte_get_tsc_hz();
	if (values_init(&k->v, k->o.value_size) < 0) {
		fprintf(stderr, "kvload: no memory for values\n");
		return -1;
	}
	if (workload_init(&k->w, k->o.keys, k->o.dist, k->o.zipf_s,
			  k->o.get_ratio, err, sizeof(err)) < 0) {
		fprintf(stderr, "kvload: %s\n", err);
		return -1;
	}
	k->t = malloc(sizeof(*k->t));
	if (!k->t) {
		fprintf(stderr, "kvload: no memory for the request table\n");
		return -1;
	}
	track_init(k->t, k->hz, 0, &k->v, k->o.echo);
	set_load(k);
	if (port_init(k) < 0)
		return -1;
	k->me.ip = k->o.src_ip;
	k->me.port = k->o.src_port;
	k->server.ip = k->o.dst_ip;
	k->server.port = k->o.dst_port;
	k->rx_me = k->me;
	if (k->o.have_dst_mac) {
		memcpy(k->server.mac, &k->o.dst_mac, PKT_ETH_ALEN);
		k->have_server_mac = 1;
	}
	if (k->o.echo) {
		/*
		 * A loopback sends our requests back, addresses swapped or
		 * not: sent to our own MAC, they come back to it either way.
		 */
		memcpy(k->server.mac, k->me.mac, PKT_ETH_ALEN);
		k->have_server_mac = 1;
		k->rx_me.ip = k->server.ip;
		k->rx_me.port = k->server.port;
	}
	return 0;
}

static void teardown(struct kvload *k)
{
	if (k->pool) {
		rte_eth_dev_stop(k->port);
		rte_eth_dev_close(k->port);
	}
	free(k->t);
	workload_fini(&k->w);
	values_fini(&k->v);
	rte_eal_cleanup();
}

/* Warm-up, measured run, drain, and the JSON object of what it saw. */
static void run_load(struct kvload *k)
{
	double seconds;

	run_phase(k, k->o.warmup, 0);
	seconds = run_phase(k, k->o.duration, 1);
	drain(k);
	print_json(k, seconds, quit);
}

/*
 * Reads one load ("rate R" or "window W", optionally "duration S",
 * "warmup S" and "requests N") into o, with the option parser's checks.
 * A request limit holds for its own load only.
 */
static int parse_step(struct options *o, char *line)
{
	static const int keys[] = { OPT_RATE, OPT_WINDOW, OPT_DURATION,
				    OPT_WARMUP, OPT_REQUESTS };
	char *save, *key, *val;
	unsigned int i;

	o->rate = 0;
	o->window = 0;
	o->requests = 0;
	while ((key = strtok_r(line, " \t\r\n", &save))) {
		line = NULL;
		val = strtok_r(NULL, " \t\r\n", &save);
		for (i = 0; i < RTE_DIM(keys); i++)
			if (!strcmp(key, long_opts[keys[i] - OPT_SRC_IP].name))
				break;
		if (!val || i == RTE_DIM(keys)) {
			fprintf(stderr, "kvload: step: '%s' is not one of rate, window, duration, warmup, requests with a value\n",
				key);
			return -1;
		}
		if (parse_opt(o, keys[i], val) < 0)
			return -1;
	}
	if ((o->rate > 0) == (o->window > 0)) {
		fprintf(stderr, "kvload: step: give a rate or a window\n");
		return -1;
	}
	return 0;
}

/* --steps: one load a line of standard input until its end. */
static int run_steps(struct kvload *k)
{
	char line[256];

	while (!quit && fgets(line, sizeof(line), stdin)) {
		if (parse_step(&k->o, line) < 0)
			return 1;
		set_load(k);
		memset(&k->t->meas, 0, sizeof(k->t->meas));
		k->step++;
		run_load(k);
	}
	return quit ? 130 : 0;
}

int main(int argc, char **argv)
{
	static struct kvload k;
	struct sigaction sa;
	int n, rc = 1;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "kvload: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argv[n] = argv[0];
	if (parse_args(&k.o, argc - n, argv + n) < 0) {
		rte_eal_cleanup();
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (setup(&k) == 0 && wait_link(&k) == 0 && resolve_server(&k) == 0 &&
	    probe_server(&k) == 0 && (!k.o.fill || fill_keys(&k) == 0)) {
		if (k.o.steps) {
			rc = run_steps(&k);
		} else {
			run_load(&k);
			rc = quit ? 130 : 0;
		}
	}
	teardown(&k);
	return rc;
}
