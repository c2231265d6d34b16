/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the three Unikraft front ends share beside options.h: the
 * guest's IPv4 address as the boot line gives it and the ready line.
 * main.c owns start-up and shutdown; each front end only implements
 * kvfe_serve().
 */
#ifndef __KVFE_FRONTEND_H__
#define __KVFE_FRONTEND_H__

#include <stdint.h>
#include <uk/netdev.h>
#include "kv.h"
#include "../common/options.h"

/* Receive room: more than any request may be, so oversize shows */
#define KVFE_RX_BUF		2048

/*
 * Serves until a fatal error; returns 0 or a negative errno.
 * Implemented once per front end.
 */
int kvfe_serve(const struct kvopt *opts, struct kv_store *store);

/*
 * The guest's IPv4 address in network byte order, from the netdev's
 * einfo: the `netdev.ip=ADDR/PREFIX[:GW]` boot parameter or what the
 * driver reports. dev must be probed. Returns 0 or -EINVAL.
 */
int kvfe_netdev_ipv4(struct uk_netdev *dev, uint32_t *addr);

/*
 * lwIP front ends: a UDP socket (type_flags: 0 or SOCK_NONBLOCK) bound
 * to the port on every address, after which the ready line is printed.
 * Returns the fd or -errno.
 */
int kvfe_udp_bind(uint16_t port, int type_flags);

#endif /* __KVFE_FRONTEND_H__ */
