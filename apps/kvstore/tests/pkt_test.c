/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of pkt.c: ARP and UDP frames to us, every kind of frame
 * that must be ignored or refused, and replies checked byte by byte and
 * by parsing them back. Checksums are checked against an independent
 * RFC 1071 sum and a published example header, csum.h's helpers on
 * their own at every length, alignment and carry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csum.h"
#include "pkt.h"

static const uint8_t our_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t our_ip[4] = { 10, 0, 0, 2 };
static const uint8_t peer_ip[4] = { 10, 0, 0, 1 };

static struct pkt_iface me(void)
{
	struct pkt_iface m = { .port = 11211 };

	memcpy(m.mac, our_mac, 6);
	memcpy(&m.ip, our_ip, 4);
	return m;
}

/* RFC 1071, written plainly and apart from pkt.c's */
static uint16_t rfc1071(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i < len; i++)
		sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t pseudo(const uint8_t *ip, size_t udp_len)
{
	uint8_t ph[12];

	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = 17;
	ph[10] = (uint8_t)(udp_len >> 8);
	ph[11] = (uint8_t)udp_len;
	return (uint16_t)~rfc1071(ph, 12, 0);
}

/* Builds a UDP request frame from the peer to us into f; returns its
 * length. ihl in words; csum: 1 computes the UDP checksum, 0 leaves 0.
 */
static size_t udp_frame(uint8_t *f, const char *payload, int ihl, int csum)
{
	size_t plen = strlen(payload), iplen = (size_t)ihl * 4;
	size_t udp_len = 8 + plen, total = iplen + udp_len;
	uint8_t *ip = f + 14, *udp = ip + iplen;
	uint16_t c;

	memcpy(f, our_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, iplen);
	ip[0] = (uint8_t)(0x40 | ihl);
	ip[2] = (uint8_t)(total >> 8);
	ip[3] = (uint8_t)total;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, peer_ip, 4);
	memcpy(ip + 16, our_ip, 4);
	c = rfc1071(ip, iplen, 0);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	udp[0] = 0xc0;		/* source port 49152 */
	udp[1] = 0x00;
	udp[2] = 11211 >> 8;
	udp[3] = 11211 & 0xff;
	udp[4] = (uint8_t)(udp_len >> 8);
	udp[5] = (uint8_t)udp_len;
	udp[6] = udp[7] = 0;
	memcpy(udp + 8, payload, plen);
	if (csum) {
		c = rfc1071(udp, udp_len, pseudo(ip, udp_len));
		udp[6] = (uint8_t)(c >> 8);
		udp[7] = (uint8_t)c;
	}
	return 14 + total;
}

static size_t arp_frame(uint8_t *f, const uint8_t *dst_mac, int op,
			const uint8_t *target_ip)
{
	static const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 0 };
	uint8_t *arp = f + 14;

	memcpy(f, dst_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	memcpy(arp, hdr, 8);
	arp[7] = (uint8_t)op;
	memcpy(arp + 8, peer_mac, 6);
	memcpy(arp + 14, peer_ip, 4);
	memset(arp + 18, 0, 6);
	memcpy(arp + 24, target_ip, 4);
	return 42;
}

/* Parses an exact-size heap copy, so ASan sees any read past len. */
static enum pkt_kind parse(const struct pkt_iface *m, const uint8_t *f,
			   size_t len, struct pkt_rx *rx)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum pkt_kind k;

	memcpy(copy, f, len);
	k = pkt_parse(m, copy, len, rx);
	/* the payload pointer must lie inside the copy */
	if (k == PKT_UDP && (rx->payload < copy ||
			     rx->payload + rx->len > copy + len))
		k = PKT_BAD;
	if (k == PKT_UDP)
		rx->payload = f + (rx->payload - copy);
	free(copy);
	return k;
}

/* csum.h's checksum of p[0..len) from acc, as its native store lays it out */
static uint16_t stored_csum(const uint8_t *p, size_t len, uint64_t acc)
{
	uint8_t b[2];

	kv_store16(b, csum_fold(csum_partial(p, len, acc)));
	return (uint16_t)(b[0] << 8 | b[1]);
}

/*
 * Every length up to a few 32-byte rounds at every alignment, over
 * random bytes and over all-ones bytes, whose every addition carries,
 * from sums about to carry out of 64 bits. A start sum stands for the
 * 8 bytes a native store of it writes, so the reference sums those
 * first. Each buffer is an exact-size allocation: ASan sees any read
 * past it.
 */
static void test_csum_partial(void)
{
	static const uint64_t starts[] = {
		0, 1, 0xffff, 0xfffffffffffffffeULL, 0xffffffffffffffffULL,
	};
	uint8_t ref[8 + 200], *buf;
	size_t len, off, i, k;
	int ones;

	srand(1624);
	for (len = 0; len <= 200; len++) {
		for (off = 0; off < 8; off++) {
			for (ones = 0; ones < 2; ones++) {
				buf = malloc(off + len + 1);
				for (i = 0; i < len; i++)
					buf[off + i] = ones ? 0xff :
						       (uint8_t)rand();
				memcpy(ref + 8, buf + off, len);
				for (k = 0; k < 5; k++) {
					kv_store64(ref, starts[k]);
					CHECK(stored_csum(buf + off, len,
							  starts[k]) ==
					      rfc1071(ref, 8 + len, 0));
				}
				free(buf);
			}
		}
	}
}

/* Data holding its own checksum folds to 0; a 0xffff field too */
static void test_csum_fold(void)
{
	uint8_t hdr[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7
	};
	uint8_t zeros[4] = { 0 };

	kv_store16(hdr + 10, csum_fold(csum_partial(hdr, 20, 0)));
	CHECK(hdr[10] == 0xb8 && hdr[11] == 0x61);
	CHECK(csum_fold(csum_partial(hdr, 20, 0)) == 0);
	/* all zero sums to 0, whose checksum is 0xffff */
	CHECK(csum_fold(csum_partial(zeros, 4, 0)) == 0xffff);
	CHECK(csum_fold(0xffffffffffffffffULL) == 0);
	CHECK(csum_net16(0x1234) == kv_load16("\x12\x34"));
}

static void test_ip_checksum_vector(void)
{
	/* a published IPv4 header example; its checksum is 0xb861 */
	static const uint8_t hdr[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7
	};
	struct pkt_iface m = { .port = 11211 };
	struct pkt_peer p = { .port = 1234 };
	uint8_t out[256] = { 0 };

	CHECK(rfc1071(hdr, 20, 0) == 0);
	/* the same addresses and length through pkt_udp_reply */
	memcpy(&m.ip, hdr + 12, 4);
	memcpy(&p.ip, hdr + 16, 4);
	CHECK(pkt_udp_reply(&m, &p, out, sizeof(out), 0x73 - 28) == 14 + 0x73);
	CHECK(!memcmp(out + 14, hdr, 20));
}

static void test_arp(void)
{
	struct pkt_iface m = me();
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t other_ip[4] = { 10, 0, 0, 3 };
	uint8_t f[64], out[64];
	struct pkt_rx rx;
	size_t n;

	n = arp_frame(f, bcast, 1, our_ip);
	CHECK(parse(&m, f, n, &rx) == PKT_ARP);
	CHECK(!memcmp(rx.peer.mac, peer_mac, 6));
	CHECK(!memcmp(&rx.peer.ip, peer_ip, 4));
	CHECK(pkt_arp_reply(&m, &rx.peer, out, 59) == 0);
	CHECK(pkt_arp_reply(&m, &rx.peer, out, sizeof(out)) == 60);
	CHECK(!memcmp(out, peer_mac, 6));
	CHECK(!memcmp(out + 6, our_mac, 6));
	CHECK(out[12] == 0x08 && out[13] == 0x06);
	CHECK(!memcmp(out + 14, "\x00\x01\x08\x00\x06\x04\x00\x02", 8));
	CHECK(!memcmp(out + 22, our_mac, 6));
	CHECK(!memcmp(out + 28, our_ip, 4));
	CHECK(!memcmp(out + 32, peer_mac, 6));
	CHECK(!memcmp(out + 38, peer_ip, 4));
	CHECK(!memcmp(out + 42, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 18));

	/* unicast to us is answered too; padded frames are fine */
	n = arp_frame(f, our_mac, 1, our_ip);
	CHECK(parse(&m, f, 60, &rx) == PKT_ARP);
	CHECK(parse(&m, f, n, &rx) == PKT_ARP);
	CHECK(parse(&m, f, n - 1, &rx) == PKT_BAD);
	n = arp_frame(f, bcast, 1, other_ip);
	CHECK(parse(&m, f, n, &rx) == PKT_IGNORE);
	n = arp_frame(f, bcast, 2, our_ip);
	CHECK(parse(&m, f, n, &rx) == PKT_IGNORE);
	n = arp_frame(f, peer_mac, 1, our_ip);
	CHECK(parse(&m, f, n, &rx) == PKT_IGNORE);
	n = arp_frame(f, bcast, 1, our_ip);
	f[19] = 16;		/* protocol address length */
	CHECK(parse(&m, f, n, &rx) == PKT_IGNORE);
}

static void test_udp_in(void)
{
	struct pkt_iface m = me();
	uint8_t f[256];
	struct pkt_rx rx;
	size_t n;

	n = udp_frame(f, "payload!", 5, 1);
	CHECK(parse(&m, f, n, &rx) == PKT_UDP);
	CHECK(rx.len == 8 && !memcmp(rx.payload, "payload!", 8));
	CHECK(rx.payload == f + 42);
	CHECK(!memcmp(rx.peer.mac, peer_mac, 6));
	CHECK(!memcmp(&rx.peer.ip, peer_ip, 4));
	CHECK(rx.peer.port == 49152);

	/* checksum 0: not checked; padding past the IP length ignored */
	n = udp_frame(f, "x", 5, 0);
	memset(f + n, 0xaa, 60 - n);
	CHECK(parse(&m, f, 60, &rx) == PKT_UDP);
	CHECK(rx.len == 1 && rx.payload[0] == 'x');

	/* an odd length, and IP options before UDP */
	n = udp_frame(f, "abc", 6, 1);
	CHECK(parse(&m, f, n, &rx) == PKT_UDP);
	CHECK(rx.len == 3 && rx.payload == f + 14 + 24 + 8);

	/* an empty payload is a datagram too */
	n = udp_frame(f, "", 5, 1);
	CHECK(parse(&m, f, n, &rx) == PKT_UDP && rx.len == 0);
}

static void test_udp_refused(void)
{
	struct pkt_iface m = me();
	uint8_t f[256], g[256];
	struct pkt_rx rx;
	size_t n, i;

	n = udp_frame(f, "get a\r\n", 5, 1);
	/* every truncation is refused, never read past */
	for (i = 0; i < n; i++)
		CHECK(parse(&m, f, i, &rx) == PKT_BAD);

#define MUTATED(off, val, want) do {				\
		memcpy(g, f, n);				\
		g[off] = (uint8_t)(val);			\
		CHECK(parse(&m, g, n, &rx) == (want));		\
	} while (0)
	MUTATED(0, 0x03, PKT_IGNORE);		/* another MAC */
	MUTATED(12, 0x86, PKT_IGNORE);		/* IPv6 ethertype */
	MUTATED(14, 0x65, PKT_BAD);		/* IP version 6 */
	MUTATED(14, 0x44, PKT_BAD);		/* header of 4 words */
	MUTATED(14, 0x4f, PKT_BAD);		/* header past the datagram */
	MUTATED(16, 0x01, PKT_BAD);		/* total length past the frame */
	MUTATED(19, 0x01, PKT_BAD);		/* IP checksum wrong */
	MUTATED(25, f[25] ^ 1, PKT_BAD);	/* IP checksum wrong */
	MUTATED(38, 0x01, PKT_BAD);		/* UDP length past IP */
	MUTATED(39, 0x07, PKT_BAD);		/* UDP length below 8 */
	MUTATED(41, f[41] ^ 1, PKT_BAD);	/* UDP checksum wrong */
	MUTATED(45, 'G', PKT_BAD);		/* payload changed */

	/* fields whose fix-up needs a new IP checksum */
	n = udp_frame(f, "get a\r\n", 5, 1);
	{
		struct { int off; uint8_t val; } cases[] = {
			{ 14 + 16 + 3, 3 },	/* another destination IP */
			{ 14 + 9, 6 },		/* TCP */
			{ 14 + 6, 0x20 },	/* more fragments */
			{ 14 + 7, 0x01 },	/* a fragment offset */
		};
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			uint16_t c;

			memcpy(g, f, n);
			g[cases[i].off] = cases[i].val;
			g[24] = g[25] = 0;
			c = rfc1071(g + 14, 20, 0);
			g[24] = (uint8_t)(c >> 8);
			g[25] = (uint8_t)c;
			CHECK(parse(&m, g, n, &rx) == PKT_IGNORE);
		}
	}
	/* another port: checksum 0 so only the port differs */
	n = udp_frame(f, "get a\r\n", 5, 0);
	MUTATED(14 + 20 + 3, 0x00, PKT_IGNORE);
#undef MUTATED
}

static void test_udp_reply(void)
{
	struct pkt_iface m = me(), peer_side = me();
	struct pkt_rx rx, back;
	uint8_t f[2048], out[2048];
	size_t n;

	n = udp_frame(f, "get a\r\n", 5, 1);
	CHECK(parse(&m, f, n, &rx) == PKT_UDP);
	memcpy(out + PKT_UDP_HLEN, "END\r\n", 5);
	n = pkt_udp_reply(&m, &rx.peer, out, sizeof(out), 5);
	CHECK(n == 60);		/* 47 bytes, padded */
	CHECK(!memcmp(out, peer_mac, 6) && !memcmp(out + 6, our_mac, 6));
	CHECK(out[14] == 0x45 && out[16] == 0 && out[17] == 33);
	CHECK(out[20] == 0x40 && out[22] == 64 && out[23] == 17);
	CHECK(rfc1071(out + 14, 20, 0) == 0);
	CHECK(!memcmp(out + 26, our_ip, 4) && !memcmp(out + 30, peer_ip, 4));
	CHECK(out[34] == 11211 >> 8 && out[35] == (11211 & 0xff));
	CHECK(out[36] == 0xc0 && out[37] == 0x00);
	CHECK(out[38] == 0 && out[39] == 13);
	CHECK(rfc1071(out + 34, 13, pseudo(out + 14, 13)) == 0);
	CHECK(out[47] == 0 && out[59] == 0);

	/* the peer parses our reply as a datagram to itself */
	memcpy(peer_side.mac, peer_mac, 6);
	memcpy(&peer_side.ip, peer_ip, 4);
	peer_side.port = 49152;
	CHECK(parse(&peer_side, out, n, &back) == PKT_UDP);
	CHECK(back.len == 5 && !memcmp(back.payload, "END\r\n", 5));
	CHECK(back.peer.port == 11211);

	/* in place, over the request frame, with a datagram-sized reply */
	n = udp_frame(f, "get a\r\n", 5, 1);
	CHECK(parse(&m, f, n, &rx) == PKT_UDP);
	memset(f + PKT_UDP_HLEN, 'v', 1400);
	n = pkt_udp_reply(&m, &rx.peer, f, sizeof(f), 1400);
	CHECK(n == PKT_UDP_HLEN + 1400);
	CHECK(parse(&peer_side, f, n, &back) == PKT_UDP && back.len == 1400);

	/* too little room */
	CHECK(pkt_udp_reply(&m, &rx.peer, out, 59, 1) == 0);
	CHECK(pkt_udp_reply(&m, &rx.peer, out, PKT_UDP_HLEN + 99, 100) == 0);
	CHECK(pkt_udp_reply(&m, &rx.peer, out, sizeof(out), 65536) == 0);
}

/* A reply whose UDP checksum sums to 0 must carry 0xffff. */
static void test_zero_checksum(void)
{
	struct pkt_iface m = me();
	struct pkt_peer p = { .port = 1 };
	uint8_t out[128];
	uint16_t c;
	size_t n;

	memcpy(p.mac, peer_mac, 6);
	memcpy(&p.ip, peer_ip, 4);
	/* choose the payload's two bytes to make the checksum 0 */
	memset(out + PKT_UDP_HLEN, 0, 2);
	n = pkt_udp_reply(&m, &p, out, sizeof(out), 2);
	CHECK(n == 60);
	c = (uint16_t)(out[40] << 8 | out[41]);
	out[42] = (uint8_t)(c >> 8);
	out[43] = (uint8_t)c;
	n = pkt_udp_reply(&m, &p, out, sizeof(out), 2);
	CHECK(out[40] == 0xff && out[41] == 0xff);
	CHECK(rfc1071(out + 34, 10, pseudo(out + 14, 10)) == 0);
}

/* Replies of every payload length at odd and even start addresses
 * carry the reference checksum, and are the same when the payload's sum
 * is given, summed in two pieces split anywhere; requests of random
 * length parse.
 */
static void test_checksum_lengths(void)
{
	struct pkt_iface m = me();
	struct pkt_peer p = { .port = 1 };
	static uint8_t buf[2048 + 8], again[2048];
	char payload[1200];
	struct pkt_rx rx;
	size_t n, len, off, i, cut;
	uint64_t sum;
	uint8_t *out;

	memcpy(p.mac, peer_mac, 6);
	memcpy(&p.ip, peer_ip, 4);
	srand(1071);
	for (len = 0; len < 1400; len += 1 + (size_t)(rand() % 7)) {
		off = (size_t)(rand() % 8);
		out = buf + off;
		for (i = 0; i < len; i++)
			out[PKT_UDP_HLEN + i] = (uint8_t)rand();
		n = pkt_udp_reply(&m, &p, out, 2048, len);
		CHECK(n >= PKT_UDP_HLEN + len);
		CHECK(rfc1071(out + 14, 20, 0) == 0);
		CHECK(rfc1071(out + 34, 8 + len,
			      pseudo(out + 14, 8 + len)) == 0);
		cut = len ? (size_t)rand() % (len + 1) : 0;
		sum = csum_add(csum_partial(out + PKT_UDP_HLEN, cut, 0),
			       csum_at(csum_partial(out + PKT_UDP_HLEN + cut,
						    len - cut, 0), cut));
		memcpy(again + PKT_UDP_HLEN, out + PKT_UDP_HLEN, len);
		CHECK(pkt_udp_reply_csum(&m, &p, again, 2048, len, sum) == n);
		CHECK(!memcmp(again, out, n));
	}
	for (i = 0; i < 300; i++) {
		len = (size_t)(rand() % (int)(sizeof(payload) - 1));
		for (n = 0; n < len; n++)
			payload[n] = (char)(1 + rand() % 255);
		payload[len] = 0;
		off = 5 + (size_t)(rand() % 2);
		n = udp_frame(buf, payload, (int)off, 1);
		CHECK(parse(&m, buf, n, &rx) == PKT_UDP && rx.len == len);
		if (!len)
			continue;
		buf[14 + off * 4 + 8 + (size_t)rand() % len] ^= 0x10;
		CHECK(parse(&m, buf, n, &rx) == PKT_BAD);
	}
}

int main(void)
{
	test_csum_partial();
	test_csum_fold();
	test_checksum_lengths();
	test_ip_checksum_vector();
	test_arp();
	test_udp_in();
	test_udp_refused();
	test_udp_reply();
	test_zero_checksum();
	return check_report("pkt_test");
}
