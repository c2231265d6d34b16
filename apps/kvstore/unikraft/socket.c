/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwip-socket: the KV server over lwIP's socket API, one recvmsg and one
 * sendmsg per request. This is the baseline the batched and raw front
 * ends are measured against.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <uk/print.h>
#include "frontend.h"

int kvfe_serve(const struct kvopt *opts, struct kv_store *store)
{
	static uint8_t in[KVFE_RX_BUF];
	static uint8_t out[KV_DATAGRAM_MAX];
	struct sockaddr_in peer;
	struct iovec iov;
	struct msghdr msg;
	ssize_t n;
	size_t outlen;
	int fd;

	fd = kvfe_udp_bind((uint16_t)opts->port, 0);
	if (fd < 0)
		return fd;

	for (;;) {
		iov = (struct iovec) { .iov_base = in, .iov_len = sizeof(in) };
		msg = (struct msghdr) {
			.msg_name = &peer, .msg_namelen = sizeof(peer),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		n = recvmsg(fd, &msg, 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		kvfe_tlb_refresh();
		/* A truncated oversize datagram still reads as oversize */
		outlen = kv_handle(store, in, (size_t)n, out, sizeof(out));
		if (!outlen)
			continue;
		iov = (struct iovec) { .iov_base = out, .iov_len = outlen };
		msg.msg_iovlen = 1;
		msg.msg_flags = 0;
		if (sendmsg(fd, &msg, 0) < 0)
			uk_pr_warn("sendmsg: %d\n", errno);
	}
}
