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
 * the driver put it. Replies leave by reference, copied once by the
 * driver as a socket's are.
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
	size_t outlen;
	uint8_t out[KV_DATAGRAM_MAX];
};

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
	s->outlen = kv_handle(store, req, len, s->out, KV_DATAGRAM_MAX);
}

static void reply(struct netconn *conn, struct netbuf *nb, struct slot *s)
{
	err_t err;

	err = netbuf_ref(nb, s->out, (u16_t)s->outlen);
	if (err == ERR_OK)
		err = netconn_sendto(conn, nb, &s->peer, s->port);
	/* the driver has copied the datagram: drop our reference */
	netbuf_free(nb);
	if (err != ERR_OK)
		uk_pr_warn("netconn_sendto: %d\n", err);
}

int kvfe_serve(const struct kvopt *opts, struct kv_store *store)
{
	struct netbuf txbuf = { 0 };
	struct netbuf *buf;
	struct netconn *conn;
	struct kvbatch b;
	struct slot *slots;
	int waiting, rc;
	uint32_t i;
	err_t err;

	/* All buffers up front: nothing is allocated per request */
	slots = calloc(opts->batch ? opts->batch : 1, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	rc = bind_udp((uint16_t)opts->port, &conn);
	if (rc < 0) {
		free(slots);
		return rc;
	}

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
			if (err != ERR_OK)
				goto out;
			handle(store, buf, &slots[b.taken]);
			netbuf_delete(buf);
			b.held += slots[b.taken].outlen != 0;
			b.taken++;
		}
		if (!kvbatch_flush(&b, waiting))
			continue;
		for (i = 0; i < b.taken; i++) {
			if (slots[i].outlen)
				reply(conn, &txbuf, &slots[i]);
		}
	}
out:
	netconn_delete(conn);
	free(slots);
	return -err_to_errno(err);
}
