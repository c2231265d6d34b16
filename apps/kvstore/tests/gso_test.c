/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kvl_gso_run(): which of a batch's replies kvstore-linux-batch sends as
 * one UDP GSO send. A run is the replies in a row of one length to one
 * peer, within the kernel's limits; anything else leaves alone.
 * kvl_gro_segment(): where a message the kernel joined on receipt is
 * cut into its datagrams.
 */
#include <arpa/inet.h>
#include <string.h>

#include "check.h"
#include "gso.h"

#define N 200

static struct mmsghdr out[N];
static struct iovec iov[N];
static struct sockaddr_in peer[N];

/* Reply i: len bytes to 10.0.0.host:port */
static void reply(unsigned int i, size_t len, uint8_t host, uint16_t port)
{
	peer[i] = (struct sockaddr_in){
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(0x0a000000u | host),
	};
	iov[i] = (struct iovec){ .iov_len = len };
	out[i].msg_hdr = (struct msghdr){
		.msg_name = &peer[i],
		.msg_namelen = sizeof(peer[i]),
		.msg_iov = &iov[i],
		.msg_iovlen = 1,
	};
}

static void test_equal_replies_to_one_peer_are_one_run(void)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		reply(i, 66, 1, 40000);
	CHECK(kvl_gso_run(out, 0, 8) == 8);
	CHECK(kvl_gso_run(out, 5, 8) == 3);
	/* the last reply of a batch is a run of one */
	CHECK(kvl_gso_run(out, 7, 8) == 1);
}

static void test_run_ends_at_other_length_or_peer(void)
{
	reply(0, 66, 1, 40000);
	reply(1, 66, 1, 40000);
	reply(2, 10, 1, 40000);		/* STORED: another length */
	reply(3, 66, 1, 40000);
	reply(4, 66, 1, 40001);		/* another port */
	reply(5, 66, 2, 40001);		/* another address */
	reply(6, 66, 2, 40001);
	CHECK(kvl_gso_run(out, 0, 7) == 2);
	CHECK(kvl_gso_run(out, 2, 7) == 1);
	CHECK(kvl_gso_run(out, 3, 7) == 1);
	CHECK(kvl_gso_run(out, 4, 7) == 1);
	CHECK(kvl_gso_run(out, 5, 7) == 2);
}

static void test_run_within_kernel_limits(void)
{
	unsigned int i;

	for (i = 0; i < N; i++)
		reply(i, 66, 1, 40000);
	CHECK(kvl_gso_run(out, 0, N) == KVL_GSO_SEGS_MAX);
	/* 1400-byte replies: 46 fill one IPv4 datagram's 65507 bytes */
	for (i = 0; i < N; i++)
		reply(i, 1400, 1, 40000);
	CHECK(kvl_gso_run(out, 0, N) == KVL_GSO_BYTES_MAX / 1400);
}

/* A received message of len bytes whose UDP_GRO control message, if
 * any (seg >= 0), says seg. */
static size_t segment(int seg, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct msghdr m = { .msg_control = ctl.buf,
			    .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	if (seg < 0) {
		m.msg_controllen = 0;
		return kvl_gro_segment(&m, len);
	}
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_GRO;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &seg, sizeof(seg));
	return kvl_gro_segment(&m, len);
}

static void test_joined_message_is_cut_at_its_segment(void)
{
	CHECK(segment(20, 800) == 20);
	CHECK(segment(20, 799) == 20);	/* a shorter last datagram */
	/* one datagram: no control message, or one that joins nothing */
	CHECK(segment(-1, 800) == 800);
	CHECK(segment(800, 800) == 800);
	CHECK(segment(0, 800) == 800);
}

int main(void)
{
	test_joined_message_is_cut_at_its_segment();
	test_equal_replies_to_one_peer_are_one_run();
	test_run_ends_at_other_length_or_peer();
	test_run_within_kernel_limits();
	return check_report("gso_test");
}
