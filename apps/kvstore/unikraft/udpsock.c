/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The UDP socket both lwIP front ends serve on. lwIP has attached and
 * addressed the netdev before main(), so its einfo names our address.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <uk/netdev.h>
#include "frontend.h"

int kvfe_udp_bind(uint16_t port, int type_flags)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint8_t *nport = (uint8_t *)&sin.sin_port;
	struct uk_netdev *dev;
	uint32_t addr;
	int fd, rc;

	dev = uk_netdev_get(0);
	if (!dev || kvfe_netdev_ipv4(dev, &addr) < 0) {
		fprintf(stderr, "kvstore: no IPv4 address: boot with "
			"netdev.ip=ADDR/PREFIX\n");
		return -EADDRNOTAVAIL;
	}
	fd = socket(AF_INET, SOCK_DGRAM | type_flags, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	/* Network byte order by hand: htons() is lwIP's, not nolibc's */
	nport[0] = (uint8_t)(port >> 8);
	nport[1] = (uint8_t)port;
	sin.sin_addr.s_addr = INADDR_ANY;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		rc = -errno;
		fprintf(stderr, "kvstore: bind udp port %u: %s\n", port,
			strerror(errno));
		close(fd);
		return rc;
	}
	kvopt_print_ready(stdout, addr, port);
	return fd;
}
