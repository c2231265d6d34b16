/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * batched: the KV server over lwIP sockets, up to --batch datagrams per
 * wake-up. Unikraft 0.16 with lib-lwip 0.16.2 has no recvmmsg/sendmmsg
 * (nolibc declares them, nothing implements them), so a batch is
 * non-blocking receives until lwIP's receive mailbox is empty or the
 * batch full, each answered at once, then all the sends (batch.h). The
 * thread blocks in poll() only when the mailbox was found empty: after a
 * full batch more is likely waiting, and the next batch starts at once.
 * The socket itself is non-blocking: posix-socket retries a blocking
 * socket's receive until data comes, MSG_DONTWAIT notwithstanding.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <uk/print.h>
#include "../common/batch.h"
#include "frontend.h"

struct slot {
	struct sockaddr_in peer;
	socklen_t peerlen;
	size_t outlen;
	uint8_t in[KVFE_RX_BUF];
	uint8_t out[KV_DATAGRAM_MAX];
};

/* Returns the datagram's length, -EAGAIN when none waits, or -errno. */
static ssize_t receive(int fd, struct slot *s)
{
	struct iovec iov = { .iov_base = s->in, .iov_len = sizeof(s->in) };
	struct msghdr msg = {
		.msg_name = &s->peer, .msg_namelen = sizeof(s->peer),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	s->peerlen = msg.msg_namelen;
	return n;
}

static void reply(int fd, struct slot *s)
{
	struct iovec iov = { .iov_base = s->out, .iov_len = s->outlen };
	struct msghdr msg = {
		.msg_name = &s->peer, .msg_namelen = s->peerlen,
		.msg_iov = &iov, .msg_iovlen = 1,
	};

	if (sendmsg(fd, &msg, 0) < 0)
		uk_pr_warn("sendmsg: %d\n", errno);
}

int kvfe_serve(const struct kvopt *opts, struct kv_store *store)
{
	struct pollfd pfd = { .events = POLLIN };
	struct kvbatch b;
	struct slot *slots;
	int fd, waiting = 0;
	uint32_t i;
	ssize_t n;

	/* All buffers up front: nothing is allocated per request */
	slots = calloc(opts->batch, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	fd = kvfe_udp_bind((uint16_t)opts->port, SOCK_NONBLOCK);
	if (fd < 0) {
		free(slots);
		return fd;
	}
	pfd.fd = fd;

	for (;;) {
		if (!waiting && poll(&pfd, 1, -1) < 0 && errno != EINTR) {
			n = -errno;
			break;
		}
		kvbatch_start(&b, opts->batch);
		waiting = 1;
		while (kvbatch_take(&b, waiting)) {
			n = receive(fd, &slots[b.taken]);
			if (n == -EAGAIN || n == -EINTR) {
				waiting = 0;
				break;
			}
			if (n < 0)
				goto out;
			slots[b.taken].outlen = kv_handle(store,
							  slots[b.taken].in,
							  (size_t)n,
							  slots[b.taken].out,
							  KV_DATAGRAM_MAX);
			b.held += slots[b.taken].outlen != 0;
			b.taken++;
		}
		if (!kvbatch_flush(&b, waiting))
			continue;
		for (i = 0; i < b.taken; i++) {
			if (slots[i].outlen)
				reply(fd, &slots[i]);
		}
	}
out:
	free(slots);
	return (int)n;
}
