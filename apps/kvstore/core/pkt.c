/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet/ARP/IPv4/UDP parsing and reply building for the raw front
 * ends. Header fields are read and written byte by byte in network
 * order, so frames need no alignment; checksums are summed and stored
 * in native order (csum.h).
 */
#include <string.h>

#include "csum.h"
#include "mem.h"
#include "pkt.h"

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_ARP		0x0806
#define ARP_HTYPE_ETHER		1
#define ARP_OP_REQUEST		1
#define ARP_OP_REPLY		2
#define IP_PROTO_UDP		17
#define IP_HLEN			20
#define IP_FLAG_DF		0x4000
#define IP_FRAG_MASK		0x3fff	/* MF and fragment offset */
#define IP_TTL			64
#define UDP_HLEN		8
#define IP_TOTAL_MAX		0xffff

static const uint8_t eth_broadcast[PKT_ETH_ALEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * The UDP pseudo header's sum: the addresses, 8 bytes as in the IP
 * header (a reply swaps them, which leaves their sum as it was), the
 * protocol and the UDP length.
 */
static uint64_t csum_pseudo(const uint8_t *ip, uint16_t udp_len)
{
	return csum_add(kv_load64(ip + 12),
			csum_net16(IP_PROTO_UDP) + csum_net16(udp_len));
}

static enum pkt_kind parse_arp(const struct pkt_iface *me,
			       const uint8_t *frame, size_t len,
			       struct pkt_rx *rx)
{
	const uint8_t *arp = frame + PKT_ETH_HLEN;

	if (len < PKT_ARP_LEN)
		return PKT_BAD;
	if (get16(arp) != ARP_HTYPE_ETHER || get16(arp + 2) != ETHERTYPE_IPV4
	    || arp[4] != PKT_ETH_ALEN || arp[5] != 4)
		return PKT_IGNORE;
	/* only requests for our address; the target is at offset 24 */
	if (get16(arp + 6) != ARP_OP_REQUEST || memcmp(arp + 24, &me->ip, 4))
		return PKT_IGNORE;
	memcpy(rx->peer.mac, arp + 8, PKT_ETH_ALEN);
	memcpy(&rx->peer.ip, arp + 14, 4);
	rx->peer.port = 0;
	rx->payload = NULL;
	rx->len = 0;
	return PKT_ARP;
}

/* The IPv4 datagram at ip, whose header of ihl bytes avail holds */
static inline __attribute__((always_inline))
enum pkt_kind parse_ip(const struct pkt_iface *me, const uint8_t *frame,
		       const uint8_t *ip, size_t avail, size_t ihl,
		       struct pkt_rx *rx)
{
	const uint8_t *udp;
	size_t total, udp_len;

	total = get16(ip + 2);
	if (total < ihl || total > avail)
		return PKT_BAD;
	if (csum_fold(csum_partial(ip, ihl, 0)) != 0)
		return PKT_BAD;
	if (memcmp(ip + 16, &me->ip, 4))
		return PKT_IGNORE;
	if (ip[9] != IP_PROTO_UDP || (get16(ip + 6) & IP_FRAG_MASK))
		return PKT_IGNORE;

	udp = ip + ihl;
	if (total - ihl < UDP_HLEN)
		return PKT_BAD;
	udp_len = get16(udp + 4);
	if (udp_len < UDP_HLEN || udp_len > total - ihl)
		return PKT_BAD;
	if (get16(udp + 2) != me->port)
		return PKT_IGNORE;
	/* a checksum of 0: the sender computed none */
	if (kv_load16(udp + 6) &&
	    csum_fold(csum_partial(udp, udp_len,
				   csum_pseudo(ip, (uint16_t)udp_len))) != 0)
		return PKT_BAD;
	memcpy(rx->peer.mac, frame + PKT_ETH_ALEN, PKT_ETH_ALEN);
	memcpy(&rx->peer.ip, ip + 12, 4);
	rx->peer.port = get16(udp);
	rx->payload = udp + UDP_HLEN;
	rx->len = udp_len - UDP_HLEN;
	return PKT_UDP;
}

static enum pkt_kind parse_udp(const struct pkt_iface *me,
			       const uint8_t *frame, size_t len,
			       struct pkt_rx *rx)
{
	const uint8_t *ip = frame + PKT_ETH_HLEN;
	size_t avail = len - PKT_ETH_HLEN, ihl;

	if (avail < IP_HLEN)
		return PKT_BAD;
	/* a header without options, as nearly all are: version and length
	 * in one compare, then straight-line code for its fixed length
	 */
	if (ip[0] == 0x45)
		return parse_ip(me, frame, ip, avail, IP_HLEN, rx);
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ihl < IP_HLEN)
		return PKT_BAD;
	return parse_ip(me, frame, ip, avail, ihl, rx);
}

enum pkt_kind pkt_parse(const struct pkt_iface *me, const uint8_t *frame,
			size_t len, struct pkt_rx *rx)
{
	uint16_t type;

	if (len < PKT_ETH_HLEN)
		return PKT_BAD;
	type = get16(frame + 12);
	if (type == ETHERTYPE_ARP) {
		if (memcmp(frame, me->mac, PKT_ETH_ALEN) &&
		    memcmp(frame, eth_broadcast, PKT_ETH_ALEN))
			return PKT_IGNORE;
		return parse_arp(me, frame, len, rx);
	}
	if (type == ETHERTYPE_IPV4) {
		if (memcmp(frame, me->mac, PKT_ETH_ALEN))
			return PKT_IGNORE;
		return parse_udp(me, frame, len, rx);
	}
	return PKT_IGNORE;
}

static void put_eth(uint8_t *out, const struct pkt_iface *me,
		    const struct pkt_peer *peer, uint16_t type)
{
	memcpy(out, peer->mac, PKT_ETH_ALEN);
	memcpy(out + PKT_ETH_ALEN, me->mac, PKT_ETH_ALEN);
	put16(out + 12, type);
}

size_t pkt_arp_reply(const struct pkt_iface *me,
		     const struct pkt_peer *peer, uint8_t *out, size_t cap)
{
	uint8_t *arp = out + PKT_ETH_HLEN;

	if (cap < PKT_ETH_MIN)
		return 0;
	put_eth(out, me, peer, ETHERTYPE_ARP);
	put16(arp, ARP_HTYPE_ETHER);
	put16(arp + 2, ETHERTYPE_IPV4);
	arp[4] = PKT_ETH_ALEN;
	arp[5] = 4;
	put16(arp + 6, ARP_OP_REPLY);
	memcpy(arp + 8, me->mac, PKT_ETH_ALEN);
	memcpy(arp + 14, &me->ip, 4);
	memcpy(arp + 18, peer->mac, PKT_ETH_ALEN);
	memcpy(arp + 24, &peer->ip, 4);
	memset(out + PKT_ARP_LEN, 0, PKT_ETH_MIN - PKT_ARP_LEN);
	return PKT_ETH_MIN;
}

/* A reply frame's length, or 0 when cap or one IPv4 datagram is short */
static size_t udp_reply_len(size_t cap, size_t payload_len)
{
	size_t len = PKT_UDP_HLEN + payload_len;

	if (payload_len > IP_TOTAL_MAX - IP_HLEN - UDP_HLEN || cap < len ||
	    cap < PKT_ETH_MIN)
		return 0;
	return len;
}

size_t pkt_udp_reply_csum(const struct pkt_iface *me,
			  const struct pkt_peer *peer, uint8_t *out,
			  size_t cap, size_t payload_len, uint64_t payload_sum)
{
	/* the header words that are the same in every reply */
	const uint64_t ip_fixed = csum_net16(0x4500) + csum_net16(IP_FLAG_DF) +
				  csum_net16(IP_TTL << 8 | IP_PROTO_UDP);
	uint8_t *ip = out + PKT_ETH_HLEN, *udp = ip + IP_HLEN;
	size_t len = udp_reply_len(cap, payload_len);
	uint16_t udp_len, csum;
	uint64_t addrs;

	if (!len)
		return 0;
	udp_len = (uint16_t)(UDP_HLEN + payload_len);
	put_eth(out, me, peer, ETHERTYPE_IPV4);

	ip[0] = 0x45;		/* version 4, 5 words of header */
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(IP_HLEN + udp_len));
	put16(ip + 4, 0);	/* DF: the id is unused */
	put16(ip + 6, IP_FLAG_DF);
	ip[8] = IP_TTL;
	ip[9] = IP_PROTO_UDP;
	memcpy(ip + 12, &me->ip, 4);
	memcpy(ip + 16, &peer->ip, 4);
	/* both checksums from the fields' values, not the bytes written */
	addrs = (uint64_t)me->ip + peer->ip;
	kv_store16(ip + 10, csum_fold(addrs + ip_fixed +
				      csum_net16((uint16_t)(IP_HLEN + udp_len))));

	put16(udp, me->port);
	put16(udp + 2, peer->port);
	put16(udp + 4, udp_len);
	/* the pseudo header counts the UDP length once more */
	csum = csum_fold(csum_add(payload_sum,
				  addrs + csum_net16(IP_PROTO_UDP) +
				  2 * (uint64_t)csum_net16(udp_len) +
				  csum_net16(me->port) + csum_net16(peer->port)));
	/* 0 means "no checksum": a computed 0 is sent as its complement */
	kv_store16(udp + 6, csum ? csum : 0xffff);

	if (len < PKT_ETH_MIN) {
		memset(out + len, 0, PKT_ETH_MIN - len);
		len = PKT_ETH_MIN;
	}
	return len;
}

size_t pkt_udp_reply(const struct pkt_iface *me, const struct pkt_peer *peer,
		     uint8_t *out, size_t cap, size_t payload_len)
{
	if (!udp_reply_len(cap, payload_len))
		return 0;
	return pkt_udp_reply_csum(me, peer, out, cap, payload_len,
				  csum_partial(out + PKT_UDP_HLEN, payload_len,
					       0));
}
