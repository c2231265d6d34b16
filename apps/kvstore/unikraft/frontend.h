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

/* Bursts served between two TLB refreshes: a power of two */
#define KVFE_TLB_REFRESH	4096

/*
 * Called once per burst served; every KVFE_TLB_REFRESH-th call reloads
 * CR3, flushing the TLB. QEMU's TCG resizes its software TLB only at a
 * guest TLB flush. Linux flushes at every switch of address space; a
 * unikernel has one and never does, so it keeps QEMU's first 256
 * entries, too few for a busy server's pages, and pays a page walk on
 * every conflict: a third of QEMU's time serving raw-uknetdev. On
 * hardware this costs one TLB refill every few thousand bursts.
 */
static inline void kvfe_tlb_refresh(void)
{
#if defined(__x86_64__)
	static unsigned int bursts;
	unsigned long cr3;

	if (++bursts & (KVFE_TLB_REFRESH - 1))
		return;
	__asm__ __volatile__("mov %%cr3, %0\n\tmov %0, %%cr3"
			     : "=r"(cr3) : : "memory");
#endif
}

#endif /* __KVFE_FRONTEND_H__ */
