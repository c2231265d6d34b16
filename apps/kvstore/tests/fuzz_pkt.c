/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: one frame into pkt_parse(). A frame taken as ours
 * is answered as a front end would (ARP reply, or a UDP reply carrying
 * the request's payload), and the reply must parse back, from the
 * peer's side, into the same payload.
 */
#include <stdlib.h>
#include <string.h>

#include "pkt.h"

#define FRAME_MAX	(PKT_UDP_HLEN + 65535)

static const struct pkt_iface me = {
	.mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
	.ip = 0x0200000a,	/* 10.0.0.2 in network byte order on x86 */
	.port = 11211,
};

static void check_udp(const struct pkt_rx *rx)
{
	static uint8_t out[FRAME_MAX];
	struct pkt_iface peer = { .ip = rx->peer.ip, .port = rx->peer.port };
	struct pkt_rx back;
	size_t n;

	memcpy(peer.mac, rx->peer.mac, PKT_ETH_ALEN);
	memcpy(out + PKT_UDP_HLEN, rx->payload, rx->len);
	n = pkt_udp_reply(&me, &rx->peer, out, sizeof(out), rx->len);
	if (n < PKT_UDP_HLEN + rx->len || n > sizeof(out))
		abort();
	if (pkt_parse(&peer, out, n, &back) != PKT_UDP ||
	    back.len != rx->len || back.peer.port != me.port ||
	    memcmp(back.payload, rx->payload, rx->len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t arp[PKT_ETH_MIN];
	struct pkt_rx rx;

	switch (pkt_parse(&me, data, size, &rx)) {
	case PKT_ARP:
		if (pkt_arp_reply(&me, &rx.peer, arp, sizeof(arp)) !=
		    PKT_ETH_MIN)
			abort();
		break;
	case PKT_UDP:
		if (rx.payload < data || rx.payload + rx.len > data + size)
			abort();
		check_udp(&rx);
		break;
	case PKT_IGNORE:
	case PKT_BAD:
		break;
	default:
		abort();
	}
	return 0;
}
