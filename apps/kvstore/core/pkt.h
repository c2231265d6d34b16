/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet, ARP, IPv4 and UDP for the raw front ends (uknetdev, DPDK):
 * just enough to answer ARP for our address and UDP datagrams on our
 * port, with no I/O, so it is unit-tested and fuzzed on its own.
 *
 * A front end's loop, per received frame:
 *
 *	switch (pkt_parse(&me, frame, len, &rx)) {
 *	case PKT_ARP:
 *		n = pkt_arp_reply(&me, &rx.peer, tx, txcap);
 *		send tx[0..n);
 *		break;
 *	case PKT_UDP:
 *		m = kv_handle_csum(store, rx.payload, rx.len,
 *				   tx + PKT_UDP_HLEN, txcap - PKT_UDP_HLEN,
 *				   &sum);
 *		if (m)
 *			send tx[0..pkt_udp_reply_csum(&me, &rx.peer, tx,
 *						      txcap, m, sum));
 *		break;
 *	default:
 *		count and drop;
 *	}
 *
 * Nothing here keeps a pointer: rx.payload points into frame, which
 * must outlive its use. tx may be frame itself once the payload has
 * been consumed.
 */
#ifndef __KV_PKT_H__
#define __KV_PKT_H__

#include <stddef.h>
#include <stdint.h>

#define PKT_ETH_ALEN		6
#define PKT_ETH_HLEN		14
/* Shortest Ethernet frame without its FCS: shorter replies are padded */
#define PKT_ETH_MIN		60
#define PKT_ARP_LEN		(PKT_ETH_HLEN + 28)
/* Headers of a reply frame: Ethernet, IPv4 without options, UDP */
#define PKT_UDP_HLEN		(PKT_ETH_HLEN + 20 + 8)

/* Our own addresses. */
struct pkt_iface {
	uint8_t mac[PKT_ETH_ALEN];
	uint32_t ip;		/* network byte order */
	uint16_t port;		/* host byte order */
};

/* Where a request came from: where its reply goes. */
struct pkt_peer {
	uint8_t mac[PKT_ETH_ALEN];
	uint32_t ip;		/* network byte order */
	uint16_t port;		/* host byte order; 0 for ARP */
};

struct pkt_rx {
	struct pkt_peer peer;
	const uint8_t *payload;	/* the UDP payload, inside the frame */
	size_t len;
};

enum pkt_kind {
	PKT_IGNORE,	/* well-formed, not for us: another address, port,
			 * protocol, an ARP reply, an IP fragment */
	PKT_BAD,	/* malformed: short, bad lengths or checksums */
	PKT_ARP,	/* an ARP request for our address; rx->peer is set */
	PKT_UDP,	/* a UDP datagram to our address and port; rx set */
};

/*
 * Classifies one received frame of len bytes (no FCS). IPv4 frames
 * must be addressed to our MAC, ARP requests to our MAC or broadcast.
 * Checks every length against len and the IPv4 header checksum, and
 * the UDP checksum when it is not 0. Bytes past the IPv4 total length
 * (Ethernet padding) are ignored. Reads nothing outside frame[0..len).
 */
enum pkt_kind pkt_parse(const struct pkt_iface *me, const uint8_t *frame,
			size_t len, struct pkt_rx *rx);

/*
 * Writes the ARP reply to peer's request into out; returns its length
 * (PKT_ETH_MIN, padded), or 0 when cap is smaller.
 */
size_t pkt_arp_reply(const struct pkt_iface *me,
		     const struct pkt_peer *peer, uint8_t *out, size_t cap);

/*
 * Completes a UDP reply frame to peer whose payload_len bytes of payload
 * are already in place at out + PKT_UDP_HLEN: writes the Ethernet, IPv4
 * (TTL 64, DF, checksum) and UDP (checksum) headers before it and pads
 * to PKT_ETH_MIN. Returns the frame length, or 0 when cap is too small
 * or payload_len above what one IPv4 datagram holds.
 */
size_t pkt_udp_reply(const struct pkt_iface *me, const struct pkt_peer *peer,
		     uint8_t *out, size_t cap, size_t payload_len);

/*
 * pkt_udp_reply() for a payload whose checksum sum is known (csum.h:
 * what csum_partial() of it returns, up to end-around carries, as
 * kv_handle_csum() gives it), so that the payload is not read again.
 */
size_t pkt_udp_reply_csum(const struct pkt_iface *me,
			  const struct pkt_peer *peer, uint8_t *out,
			  size_t cap, size_t payload_len, uint64_t payload_sum);

#endif /* __KV_PKT_H__ */
