/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the three Unikraft front ends share: their options, the guest's
 * IPv4 address as the boot line gives it, the ready line and the stats.
 * main.c owns start-up and shutdown; each front end only implements
 * kvfe_serve().
 */
#ifndef __KVFE_FRONTEND_H__
#define __KVFE_FRONTEND_H__

#include <stdint.h>
#include <uk/netdev.h>
#include "kv.h"

#define KVFE_BATCH_MAX		256
#define KVFE_BATCH_DEFAULT	32
/* Receive room: more than any request may be, so oversize shows */
#define KVFE_RX_BUF		2048

struct kvfe_opts {
	uint16_t port;
	uint32_t capacity;
	uint32_t preload;
	uint32_t value_size;
	uint32_t batch;		/* datagrams per wake-up or rx burst */
};

/*
 * Serves until a fatal error; returns 0 or a negative errno.
 * Implemented once per front end.
 */
int kvfe_serve(const struct kvfe_opts *opts, struct kv_store *store);

/*
 * The guest's IPv4 address in network byte order, from the netdev's
 * einfo: the `netdev.ip=ADDR/PREFIX[:GW]` boot parameter or what the
 * driver reports. dev must be probed. Returns 0 or -EINVAL.
 */
int kvfe_netdev_ipv4(struct uk_netdev *dev, uint32_t *addr);

/* Prints the one console line that says the server answers. */
void kvfe_ready(uint32_t addr, uint16_t port);

/*
 * lwIP front ends: a UDP socket (type_flags: 0 or SOCK_NONBLOCK) bound
 * to the port on every address, after which the ready line is printed.
 * Returns the fd or -errno.
 */
int kvfe_udp_bind(uint16_t port, int type_flags);

#endif /* __KVFE_FRONTEND_H__ */
