/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * batched: the KV server inside lwIP's receive path, its replies held
 * and sent together once the burst that came with them is handled.
 *
 * Unikraft 0.16 has no recvmmsg/sendmmsg, and any API that hands
 * datagrams to an application thread (sockets, netconns) costs a
 * mailbox message, a netbuf and a switch of threads per datagram. So the
 * front end uses lwIP's raw UDP API, and the driver's receive thread
 * runs the stack itself under the core lock (input_locked()): the
 * receive callback answers each request where the driver put it. Replies
 * are held (batch.h); the first one held posts a flush message to the
 * tcpip thread, which the cooperative scheduler runs only once the
 * receive thread has handled all the driver had, so the replies leave
 * as soon as nothing more waits, or at once when the batch is full. The
 * application thread only sets this up and waits.
 *
 * Each slot's reply is written into a buffer of lwIP's own, made once
 * with room for the headers before it, so that a send allocates nothing
 * in lwIP; the driver copies it out as it does a socket's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/netdev.h>
#include <uk/print.h>
#include <uk/semaphore.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/tcpip.h>
#include <lwip/udp.h>
#include <netif/ethernet.h>
#include "../common/batch.h"
#include "frontend.h"

struct slot {
	ip_addr_t peer;
	u16_t port;
	u16_t outlen;
	struct pbuf *p;		/* the reply's buffer */
	uint8_t *out;		/* where the reply starts in it */
};

/* Everything the tcpip thread's callbacks share; only they touch it */
struct server {
	struct kv_store *store;
	struct udp_pcb *pcb;
	struct slot *slots;
	uint32_t nslots;
	struct kvbatch b;
	struct tcpip_callback_msg *flush_msg;
	int flush_posted;	/* flush_msg is in the tcpip mailbox */
	int rc;			/* the fatal error that stopped serving */
	struct uk_semaphore stopped;
};

static int slot_prepare(struct slot *s)
{
	s->p = pbuf_alloc(PBUF_TRANSPORT, KV_DATAGRAM_MAX, PBUF_RAM);
	if (!s->p)
		return -ENOMEM;
	s->out = s->p->payload;
	return 0;
}

/* Returns 0, or -ENOMEM when the slot's buffer could not be replaced. */
static int reply(struct udp_pcb *pcb, struct slot *s)
{
	err_t err;

	/* the stack prepended its headers to the last reply: start afresh */
	s->p->payload = s->out;
	s->p->len = s->outlen;
	s->p->tot_len = s->outlen;
	err = udp_sendto(pcb, s->p, &s->peer, s->port);
	if (err != ERR_OK)
		uk_pr_warn("udp_sendto: %d\n", err);
	/* a reply waiting for ARP keeps the buffer: leave it, take another */
	if (s->p->ref == 1)
		return 0;
	pbuf_free(s->p);
	return slot_prepare(s);
}

/* Stops serving: later datagrams are dropped, the main thread wakes. */
static void stop(struct server *srv, int rc)
{
	if (srv->rc)
		return;
	srv->rc = rc;
	uk_semaphore_up(&srv->stopped);
}

/* Sends the held replies and starts the next batch. */
static void flush(struct server *srv)
{
	uint32_t i;
	int rc = 0;

	kvfe_tlb_refresh();
	for (i = 0; i < srv->b.taken && !rc; i++) {
		if (srv->slots[i].outlen)
			rc = reply(srv->pcb, &srv->slots[i]);
	}
	if (rc < 0)
		stop(srv, rc);
	kvbatch_start(&srv->b, srv->nslots);
}

/* The flush message reached the tcpip thread: the backlog is handled. */
static void on_flush(void *arg)
{
	struct server *srv = arg;

	srv->flush_posted = 0;
	if (!srv->rc && kvbatch_flush(&srv->b, 0))
		flush(srv);
}

/*
 * Answers the request where the driver put it. Like a socket's receive
 * into KVFE_RX_BUF, the request is cut at that size; only a chained
 * buffer (a reassembled datagram) is copied to be contiguous.
 */
static void handle(struct kv_store *store, struct pbuf *p, struct slot *s)
{
	static uint8_t in[KVFE_RX_BUF];
	size_t len = p->tot_len < sizeof(in) ? p->tot_len : sizeof(in);
	const uint8_t *req = p->payload;

	if (p->len < len) {
		pbuf_copy_partial(p, in, (u16_t)len, 0);
		req = in;
	}
	s->outlen = (u16_t)kv_handle(store, req, len, s->out,
				     KV_DATAGRAM_MAX);
}

static void on_datagram(void *arg, struct udp_pcb *pcb __unused,
			struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
	struct server *srv = arg;
	struct slot *s;

	if (srv->rc) {
		pbuf_free(p);
		return;
	}
	s = &srv->slots[srv->b.taken];
	handle(srv->store, p, s);
	pbuf_free(p);
	ip_addr_copy(s->peer, *addr);
	s->port = port;
	srv->b.held += s->outlen != 0;
	srv->b.taken++;
	/* a full batch leaves now; else once what is queued is handled */
	if (!kvbatch_take(&srv->b, 1)) {
		flush(srv);
	} else if (srv->b.held && !srv->flush_posted) {
		if (tcpip_callbackmsg_trycallback(srv->flush_msg) == ERR_OK)
			srv->flush_posted = 1;
		else	/* the mailbox is full: do not wait behind it */
			flush(srv);
	}
}

/*
 * A netif's input in the driver's receive thread, the stack locked, as
 * lwIP does when built with LWIP_TCPIP_CORE_LOCKING_INPUT: a datagram
 * then needs no message to the tcpip thread, nor a switch to it.
 */
static err_t input_locked(struct pbuf *p, struct netif *inp)
{
	err_t err;

	LOCK_TCPIP_CORE();
	if (inp->flags & (NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET))
		err = ethernet_input(p, inp);
	else
		err = ip_input(p, inp);
	UNLOCK_TCPIP_CORE();
	return err;
}

/* Called with the tcpip core locked. */
static void input_in_driver_thread(void)
{
	struct netif *nf;

	NETIF_FOREACH(nf) {
		if (nf->input == tcpip_input)
			nf->input = input_locked;
	}
}

/*
 * A UDP pcb bound to the port on every address, receiving into the
 * server, then the ready line, as kvfe_udp_bind() does for the socket
 * front end. Called with the tcpip core locked.
 */
static int bind_udp(struct server *srv, uint16_t port)
{
	struct uk_netdev *dev;
	uint32_t addr;
	err_t err;

	dev = uk_netdev_get(0);
	if (!dev || kvfe_netdev_ipv4(dev, &addr) < 0) {
		fprintf(stderr, "kvstore: no IPv4 address: boot with "
			"netdev.ip=ADDR/PREFIX\n");
		return -EADDRNOTAVAIL;
	}
	srv->pcb = udp_new();
	if (!srv->pcb)
		return -ENOMEM;
	err = udp_bind(srv->pcb, IP_ADDR_ANY, port);
	if (err != ERR_OK) {
		fprintf(stderr, "kvstore: bind udp port %u: %s\n", port,
			strerror(err_to_errno(err)));
		udp_remove(srv->pcb);
		srv->pcb = NULL;
		return -err_to_errno(err);
	}
	udp_recv(srv->pcb, on_datagram, srv);
	input_in_driver_thread();
	kvopt_print_ready(stdout, addr, port);
	return 0;
}

/* All buffers up front: nothing is allocated per request */
static int server_init(struct server *srv, const struct kvopt *opts,
		       struct kv_store *store)
{
	uint32_t i;
	int rc = 0;

	srv->store = store;
	srv->nslots = opts->batch ? opts->batch : 1;
	kvbatch_start(&srv->b, srv->nslots);
	uk_semaphore_init(&srv->stopped, 0);
	srv->slots = calloc(srv->nslots, sizeof(*srv->slots));
	if (!srv->slots)
		return -ENOMEM;
	for (i = 0; i < srv->nslots && !rc; i++)
		rc = slot_prepare(&srv->slots[i]);
	if (rc)
		return rc;
	srv->flush_msg = tcpip_callbackmsg_new(on_flush, srv);
	return srv->flush_msg ? 0 : -ENOMEM;
}

/* Called with the tcpip core locked: no callback runs meanwhile. */
static void server_fini(struct server *srv)
{
	uint32_t i;

	if (srv->pcb)
		udp_remove(srv->pcb);
	/* a posted flush message still runs: it must find nothing to do */
	if (srv->flush_msg && !srv->flush_posted)
		tcpip_callbackmsg_delete(srv->flush_msg);
	for (i = 0; srv->slots && i < srv->nslots; i++) {
		if (srv->slots[i].p)
			pbuf_free(srv->slots[i].p);
	}
	free(srv->slots);
}

int kvfe_serve(const struct kvopt *opts, struct kv_store *store)
{
	static struct server srv;
	int rc;

	LOCK_TCPIP_CORE();
	rc = server_init(&srv, opts, store);
	if (!rc)
		rc = bind_udp(&srv, (uint16_t)opts->port);
	UNLOCK_TCPIP_CORE();
	if (!rc) {
		uk_semaphore_down(&srv.stopped);
		rc = srv.rc;
	}
	LOCK_TCPIP_CORE();
	server_fini(&srv);
	UNLOCK_TCPIP_CORE();
	return rc;
}
