/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvstore-linux-single: one recvmsg() and one sendmsg() per request,
 * the way a plain socket server answers.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "server.h"

int main(int argc, char *argv[])
{
	struct kvl_server srv = {
		.fe = {
			.prog = "kvstore-linux-single",
			.takes = KVOPT_ADDR | KVOPT_PORT_ANY,
		},
	};
	static uint8_t rx[KVL_RX_MAX], tx[KV_DATAGRAM_MAX];
	struct sockaddr_in peer;
	struct iovec riov = { .iov_base = rx, .iov_len = sizeof(rx) };
	struct iovec tiov = { .iov_base = tx };
	struct msghdr msg;
	ssize_t n;

	kvl_start(&srv, argc, argv);
	while (!kvl_stopping) {
		msg = (struct msghdr){
			.msg_name = &peer,
			.msg_namelen = sizeof(peer),
			.msg_iov = &riov,
			.msg_iovlen = 1,
		};
		n = recvmsg(srv.fd, &msg, 0);
		if (n < 0) {
			/* a timeout or a signal: look at kvl_stopping */
			if (errno == EAGAIN || errno == EINTR)
				continue;
			perror("kvstore-linux-single: recvmsg");
			return KVOPT_EXIT_FAIL;
		}
		tiov.iov_len = kv_handle(srv.store, rx, (size_t)n, tx,
					 sizeof(tx));
		if (!tiov.iov_len)
			continue;
		msg.msg_iov = &tiov;
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
		msg.msg_flags = 0;
		/* a failed send loses one reply, as a lost datagram would */
		sendmsg(srv.fd, &msg, 0);
	}
	return kvl_finish(&srv);
}
