/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UDP segmentation offload both ways. Replies that can leave as one UDP
 * GSO send (UDP_SEGMENT): the kernel cuts one send into datagrams of one
 * size to one peer, so a run of a batch's replies of the same length to
 * the same peer pays for one route lookup, one socket send and one trip
 * down the IP stack, and only the cut and the driver per datagram. And
 * requests received as one (UDP_GRO): the NIC's receive path joins a
 * peer's datagrams of one size that arrive together, which then cross
 * the IP and UDP receive path and the socket once; the server cuts them
 * apart again.
 */
#ifndef __KVL_GSO_H__
#define __KVL_GSO_H__

#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/socket.h>

/* Linux's most segments a GSO send (UDP_MAX_SEGMENTS) */
#define KVL_GSO_SEGS_MAX	64
/* the most payload a GSO send takes: one IPv4 datagram's */
#define KVL_GSO_BYTES_MAX	65507

static inline int kvl_same_peer(const struct msghdr *a, const struct msghdr *b)
{
	const struct sockaddr_in *x = a->msg_name, *y = b->msg_name;

	return x->sin_addr.s_addr == y->sin_addr.s_addr &&
	       x->sin_port == y->sin_port;
}

/*
 * How many of replies [i, n), each one datagram of one iovec, leave in
 * reply i's GSO send: those in a row from i to reply i's peer with
 * reply i's length, within the kernel's limits. 1 means alone.
 */
static inline unsigned int kvl_gso_run(const struct mmsghdr *out,
				       unsigned int i, unsigned int n)
{
	const struct msghdr *first = &out[i].msg_hdr;
	size_t len = first->msg_iov[0].iov_len;
	unsigned int j = i + 1;

	while (j < n && j - i < KVL_GSO_SEGS_MAX &&
	       (j - i + 1) * len <= KVL_GSO_BYTES_MAX &&
	       out[j].msg_hdr.msg_iov[0].iov_len == len &&
	       kvl_same_peer(first, &out[j].msg_hdr))
		j++;
	return j - i;
}

/*
 * The size of the datagrams joined in a received message of len bytes
 * (its UDP_GRO control message), the last being shorter or equal; len
 * when it is one datagram.
 */
static inline size_t kvl_gro_segment(struct msghdr *m, size_t len)
{
	struct cmsghdr *c;
	int seg;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_UDP || c->cmsg_type != UDP_GRO)
			continue;
		memcpy(&seg, CMSG_DATA(c), sizeof(seg));
		if (seg > 0 && (size_t)seg < len)
			return (size_t)seg;
	}
	return len;
}

#endif /* __KVL_GSO_H__ */
