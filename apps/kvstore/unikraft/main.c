/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up and shutdown shared by the Unikraft front ends: application
 * arguments (after ` -- ` on the boot line), the table and its preload
 * through options.h, the guest address, and the stats when serving ends.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/essentials.h>
#include <uk/netdev.h>
#include <uk/swrand.h>
#include "frontend.h"

/* About 1.4 MiB of table, fewer items in a guest short of memory */
#define DEFAULT_CAPACITY	1024

/* .capacity is set at start-up: see default_capacity() */
static struct kvopt_frontend frontend = {
	.prog = "kvstore",
	.takes = KVOPT_BATCH,
	.synopsis = "[kernel parameters] -- ",
	.batch_unit = "batch of replies or rx burst",
	.notes = "The address comes from the netdev.ip=ADDR/PREFIX kernel "
		 "parameter.\n",
};

int kvfe_netdev_ipv4(struct uk_netdev *dev, uint32_t *addr)
{
	const char *s;

	s = uk_netdev_einfo_get(dev, UK_NETDEV_IPV4_CIDR);
	if (s)
		return kvopt_parse_ipv4(s, strcspn(s, "/"), addr) ? -EINVAL
								  : 0;
	s = uk_netdev_einfo_get(dev, UK_NETDEV_IPV4_ADDR);
	if (s)
		return kvopt_parse_ipv4(s, strlen(s), addr) ? -EINVAL : 0;
	return -EINVAL;
}

/*
 * The default table: DEFAULT_CAPACITY items, fewer where memory is
 * short. The items are one allocation, which a buddy allocator rounds up
 * to a power of two, made before the packet buffers: they take at most
 * half of the largest free block (less a page for the allocator's
 * header), so that the buffers still find room.
 */
static uint32_t default_capacity(void)
{
	__ssz largest = uk_alloc_maxalloc(uk_alloc_get_default());
	uint32_t fit = 0;

	if (largest <= 0)	/* the allocator cannot say */
		return DEFAULT_CAPACITY;
	if ((size_t)largest / 2 > __PAGE_SIZE)
		fit = kv_capacity_for((size_t)largest / 2 - __PAGE_SIZE, 0);
	return MAX(1, MIN(DEFAULT_CAPACITY, fit));
}

int main(int argc, char *argv[])
{
	struct kvopt opts;
	struct kv_store *store;
	uint64_t seed;
	int rc;

	/* Without kernel parameters before it, the " -- " reaches us too;
	 * it then stands where argv[0] would, which the parser skips
	 */
	if (argc > 1 && !strcmp(argv[1], "--")) {
		argc--;
		argv++;
	}
	frontend.capacity = default_capacity();
	switch (kvopt_parse(&frontend, argc, argv, &opts, stderr)) {
	case KVOPT_SERVE:
		break;
	case KVOPT_HELP:
		kvopt_usage(&frontend, stdout);
		return KVOPT_EXIT_OK;
	default:
		return KVOPT_EXIT_USAGE;
	}
	/* Seeded per boot, so colliding keys cannot be crafted offline */
	seed = ((uint64_t)uk_swrand_randr() << 32) | uk_swrand_randr();
	store = kvopt_make_store(&frontend, &opts, seed, stderr);
	if (!store)
		return KVOPT_EXIT_FAIL;

	rc = kvfe_serve(&opts, store);
	if (rc)
		fprintf(stderr, "kvstore: serving stopped: %s\n",
			strerror(-rc));
	kvopt_print_stats(stdout, kv_get_stats(store));
	kv_store_destroy(store);
	return rc ? KVOPT_EXIT_FAIL : KVOPT_EXIT_OK;
}
