/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * batched: the KV server over lwIP, up to --batch datagrams per wake-up.
 * Unikraft 0.16 with lib-lwip 0.16.2 has no recvmmsg/sendmmsg (nolibc
 * declares them, nothing implements them), so the front end batches
 * over lwIP's netconn API itself: one blocking receive, then
 * non-blocking ones until lwIP's receive mailbox is empty or the batch
 * full, each answered at once, then all the sends (batch.h).
 *
 * A netconn rather than a socket: each datagram then skips the posix
 * socket and file layers (fd lookup, poll, the socket's event callback)
 * and the copy into a receive buffer, as the request is handled where
 * the driver put it. Each slot's reply is written into a buffer of
 * lwIP's own, made once with room for the headers before it, so that a
 * send allocates nothing in lwIP (lwIP's heap takes pages from the
 * page allocator); the driver copies it out as it does a socket's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/netdev.h>
#include <uk/print.h>
#include <lwip/api.h>
#include <lwip/netbuf.h>
#include <lwip/pbuf.h>
#include "../common/batch.h"
#include "frontend.h"

struct slot {
	ip_addr_t peer;
	u16_t port;
	u16_t outlen;
	struct pbuf *p;		/* the reply's buffer */
	uint8_t *out;		/* where the reply starts in it */
};

static int slot_prepare(struct slot *s)
{
	s->p = pbuf_alloc(PBUF_TRANSPORT, KV_DATAGRAM_MAX, PBUF_RAM);
	if (!s->p)
		return -ENOMEM;
	s->out = s->p->payload;
	return 0;
}

/*
 * A UDP netconn bound to the port on every address, then the ready
 * line, as kvfe_udp_bind() does for the socket front end.
 */
static int bind_udp(uint16_t port, struct netconn **connp)
{
	struct uk_netdev *dev;
	struct netconn *conn;
	uint32_t addr;
	err_t err;

	dev = uk_netdev_get(0);
	if (!dev || kvfe_netdev_ipv4(dev, &addr) < 0) {
		fprintf(stderr, "kvstore: no IPv4 address: boot with "
			"netdev.ip=ADDR/PREFIX\n");
		return -EADDRNOTAVAIL;
	}
	conn = netconn_new(NETCONN_UDP);
	if (!conn)
		return -ENOMEM;
	err = netconn_bind(conn, IP_ADDR_ANY, port);
	if (err != ERR_OK) {
		fprintf(stderr, "kvstore: bind udp port %u: %s\n", port,
			strerror(err_to_errno(err)));
		netconn_delete(conn);
		return -err_to_errno(err);
	}
	kvopt_print_ready(stdout, addr, port);
	*connp = conn;
	return 0;
}

/*
 * Handles the request in its receive buffer. Like a socket's receive
 * into KVFE_RX_BUF, the request is cut at that size; only a chained
 * buffer (a reassembled datagram) is copied to be contiguous.
 */
static void handle(struct kv_store *store, struct netbuf *buf,
		   struct slot *s)
{
	static uint8_t in[KVFE_RX_BUF];
	struct pbuf *p = buf->p;
	size_t len = p->tot_len < sizeof(in) ? p->tot_len : sizeof(in);
	const uint8_t *req = p->payload;

	if (p->len < len) {
		pbuf_copy_partial(p, in, (u16_t)len, 0);
		req = in;
	}
	ip_addr_copy(s->peer, *netbuf_fromaddr(buf));
	s->port = netbuf_fromport(buf);
	s->outlen = (u16_t)kv_handle(store, req, len, s->out,
				     KV_DATAGRAM_MAX);
}

/* Returns 0, or -ENOMEM when the slot's buffer could not be replaced. */
static int reply(struct netconn *conn, struct slot *s)
{
	struct netbuf nb = { .p = s->p, .ptr = s->p };
	err_t err;

	/* the stack prepended its headers to the last reply: start afresh */
	s->p->payload = s->out;
	s->p->len = s->outlen;
	s->p->tot_len = s->outlen;
	err = netconn_sendto(conn, &nb, &s->peer, s->port);
	if (err != ERR_OK)
		uk_pr_warn("netconn_sendto: %d\n", err);
	/* a reply waiting for ARP keeps the buffer: leave it, take another */
	if (s->p->ref == 1)
		return 0;
	pbuf_free(s->p);
	return slot_prepare(s);
}

int kvfe_serve(const struct kvopt *opts, struct kv_store *store)
{
	struct netbuf *buf;
	struct netconn *conn;
	struct kvbatch b;
	struct slot *slots;
	uint32_t i, nslots = opts->batch ? opts->batch : 1;
	int waiting, rc;
	err_t err;

	/* All buffers up front: nothing is allocated per request */
	slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0, rc = 0; i < nslots && !rc; i++)
		rc = slot_prepare(&slots[i]);
	if (!rc)
		rc = bind_udp((uint16_t)opts->port, &conn);
	if (rc < 0)
		goto out_slots;

	for (;;) {
		kvbatch_start(&b, opts->batch);
		waiting = 1;
		while (kvbatch_take(&b, waiting)) {
			/* block for the first only: the rest is the backlog */
			err = netconn_recv_udp_raw_netbuf_flags(conn, &buf,
					b.taken ? NETCONN_DONTBLOCK : 0);
			if (err == ERR_WOULDBLOCK) {
				waiting = 0;
				break;
			}
			if (err != ERR_OK) {
				rc = -err_to_errno(err);
				goto out;
			}
			handle(store, buf, &slots[b.taken]);
			netbuf_delete(buf);
			b.held += slots[b.taken].outlen != 0;
			b.taken++;
		}
		if (!kvbatch_flush(&b, waiting))
			continue;
		for (i = 0; i < b.taken && !rc; i++) {
			if (slots[i].outlen)
				rc = reply(conn, &slots[i]);
		}
		if (rc < 0)
			goto out;
	}
out:
	netconn_delete(conn);
out_slots:
	for (i = 0; i < nslots; i++) {
		if (slots[i].p)
			pbuf_free(slots[i].p);
	}
	free(slots);
	return rc;
}
