/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvstore-linux-batch: up to --batch datagrams per recvmmsg(), all their
 * replies in one sendmmsg(), so the system call cost is shared. Batches
 * adapt as batch.h says: recvmmsg() blocks for the first datagram only
 * and takes what else already waits, and the replies leave at once.
 * Replies of one length to one peer in a row leave as one UDP GSO send,
 * and datagrams the kernel joined on receipt (UDP GRO) arrive as one
 * (gso.h), so the kernel's per-datagram paths are shared too.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "gso.h"
#include "server.h"

/* Room for a received message's UDP_GRO control message. */
union gro_ctl {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

/* One send of replies [first, first + count) of the batch's. */
struct gso_send {
	unsigned int first, count;
	union {
		char buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr align;
	} ctl;
};

struct batch {
	uint32_t slots;		/* --batch: datagrams received, replies held */
	struct mmsghdr *rmsg, *tmsg;
	struct iovec *riov, *tiov;
	struct sockaddr_in *peer;
	uint8_t *rx, *tx;	/* batch slots of KVL_RX_MAX, KV_DATAGRAM_MAX */
	struct mmsghdr *gmsg;	/* the sends of the replies, runs as one */
	struct gso_send *gsend;
	union gro_ctl *rctl;
};

/* Cleared when the kernel or the device refuses a GSO send. */
static int gso_on = 1;

/* The lengths the kernel shortened to what a receipt filled in. */
static void rx_reset(struct batch *b, uint32_t i)
{
	b->rmsg[i].msg_hdr.msg_namelen = sizeof(b->peer[i]);
	b->rmsg[i].msg_hdr.msg_controllen = sizeof(b->rctl[i].buf);
}

/* The buffers and the receive headers, set up once. */
static void batch_alloc(struct batch *b, uint32_t n)
{
	uint32_t i;

	b->rmsg = calloc(n, sizeof(*b->rmsg));
	b->tmsg = calloc(n, sizeof(*b->tmsg));
	b->riov = calloc(n, sizeof(*b->riov));
	b->tiov = calloc(n, sizeof(*b->tiov));
	b->peer = calloc(n, sizeof(*b->peer));
	b->rx = calloc(n, KVL_RX_MAX);
	b->tx = calloc(n, KV_DATAGRAM_MAX);
	b->gmsg = calloc(n, sizeof(*b->gmsg));
	b->gsend = calloc(n, sizeof(*b->gsend));
	b->rctl = calloc(n, sizeof(*b->rctl));
	b->slots = n;
	if (!b->rmsg || !b->tmsg || !b->riov || !b->tiov || !b->peer ||
	    !b->rx || !b->tx || !b->gmsg || !b->gsend || !b->rctl) {
		fprintf(stderr, "kvstore-linux-batch: no memory for a batch "
			"of %u\n", n);
		exit(KVOPT_EXIT_FAIL);
	}
	for (i = 0; i < n; i++) {
		b->riov[i].iov_base = b->rx + (size_t)i * KVL_RX_MAX;
		b->riov[i].iov_len = KVL_RX_MAX;
		b->rmsg[i].msg_hdr = (struct msghdr){
			.msg_name = &b->peer[i],
			.msg_iov = &b->riov[i],
			.msg_iovlen = 1,
			.msg_control = b->rctl[i].buf,
		};
		rx_reset(b, i);
	}
}

static void batch_free(struct batch *b)
{
	free(b->rmsg);
	free(b->tmsg);
	free(b->riov);
	free(b->tiov);
	free(b->peer);
	free(b->rx);
	free(b->tx);
	free(b->gmsg);
	free(b->gsend);
	free(b->rctl);
}

/* Sends replies [0, n); a datagram that cannot be sent is skipped. */
static void send_all(int fd, struct mmsghdr *msgs, unsigned int n)
{
	unsigned int done = 0;
	int r;

	while (done < n) {
		r = sendmmsg(fd, msgs + done, n - done, 0);
		if (r > 0)
			done += (unsigned int)r;
		else if (r < 0 && errno != EINTR)
			done++;
	}
}

/* Sends g's run of replies as one datagram of segments of their length. */
static void gso_prepare(struct batch *b, unsigned int k, struct gso_send *g)
{
	struct msghdr *m = &b->gmsg[k].msg_hdr;
	struct cmsghdr *c;

	*m = b->tmsg[g->first].msg_hdr;
	m->msg_iovlen = g->count;
	if (g->count == 1)
		return;
	m->msg_control = g->ctl.buf;
	m->msg_controllen = sizeof(g->ctl.buf);
	c = CMSG_FIRSTHDR(m);
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
	*(uint16_t *)(void *)CMSG_DATA(c) =
		(uint16_t)m->msg_iov[0].iov_len;
}

/*
 * Sends replies [0, n): each run kvl_gso_run() finds as one send. A GSO
 * send refused goes again a datagram at a time, as all sends after it.
 */
static void send_replies(int fd, struct batch *b, unsigned int n)
{
	unsigned int i, k = 0, done = 0;
	struct gso_send *g;
	int r;

	if (!gso_on) {
		send_all(fd, b->tmsg, n);
		return;
	}
	for (i = 0; i < n; i += g->count, k++) {
		g = &b->gsend[k];
		g->first = i;
		g->count = kvl_gso_run(b->tmsg, i, n);
		gso_prepare(b, k, g);
	}
	while (done < k) {
		r = sendmmsg(fd, b->gmsg + done, k - done, 0);
		if (r > 0) {
			done += (unsigned int)r;
		} else if (r < 0 && errno != EINTR) {
			g = &b->gsend[done++];
			if (g->count > 1) {
				gso_on = 0;
				send_all(fd, b->tmsg + g->first, g->count);
			}
		}
	}
}

/*
 * Answers received message i, each datagram the kernel joined in it on
 * its own, into the reply slots from *nout on; full slots leave first.
 */
static void answer(struct kvl_server *srv, struct batch *b, uint32_t i,
		   uint32_t *nout)
{
	size_t total = b->rmsg[i].msg_len, off, len;
	size_t seg = kvl_gro_segment(&b->rmsg[i].msg_hdr, total);
	uint8_t *rx = b->riov[i].iov_base, *tx;

	for (off = 0; off < total; off += seg) {
		if (*nout == b->slots) {
			send_replies(srv->fd, b, *nout);
			*nout = 0;
		}
		tx = b->tx + (size_t)*nout * KV_DATAGRAM_MAX;
		len = kv_handle(srv->store, rx + off,
				total - off < seg ? total - off : seg,
				tx, KV_DATAGRAM_MAX);
		if (!len)
			continue;
		b->tiov[*nout].iov_base = tx;
		b->tiov[*nout].iov_len = len;
		b->tmsg[*nout].msg_hdr = (struct msghdr){
			.msg_name = &b->peer[i],
			.msg_namelen = b->rmsg[i].msg_hdr.msg_namelen,
			.msg_iov = &b->tiov[*nout],
			.msg_iovlen = 1,
		};
		(*nout)++;
	}
}

int main(int argc, char *argv[])
{
	struct kvl_server srv = {
		.fe = {
			.prog = "kvstore-linux-batch",
			.takes = KVOPT_ADDR | KVOPT_PORT_ANY | KVOPT_BATCH,
			.batch_unit = "recvmmsg/sendmmsg",
		},
	};
	struct batch b;
	uint32_t i, nout;
	int n, on = 1;

	kvl_start(&srv, argc, argv);
	batch_alloc(&b, srv.opts.batch);
	/* a kernel without UDP GRO (before 5.0) hands each datagram alone */
	setsockopt(srv.fd, SOL_UDP, UDP_GRO, &on, sizeof(on));
	while (!kvl_stopping) {
		/* block for the first datagram only, take what else waits */
		n = recvmmsg(srv.fd, b.rmsg, srv.opts.batch, MSG_WAITFORONE, NULL);
		if (n < 0) {
			/* a timeout or a signal: look at kvl_stopping */
			if (errno == EAGAIN || errno == EINTR)
				continue;
			perror("kvstore-linux-batch: recvmmsg");
			return KVOPT_EXIT_FAIL;
		}
		nout = 0;
		for (i = 0; i < (uint32_t)n; i++)
			answer(&srv, &b, i, &nout);
		send_replies(srv.fd, &b, nout);
		for (i = 0; i < (uint32_t)n; i++)
			rx_reset(&b, i);
	}
	batch_free(&b);
	return kvl_finish(&srv);
}
