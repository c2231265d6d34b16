/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up and shutdown shared by the Unikraft front ends: application
 * arguments (after ` -- ` on the boot line), the table and its preload,
 * the ready line, and the stats when serving ends.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/netdev.h>
#include <uk/swrand.h>
#include "frontend.h"

#define DEFAULT_PORT		11211
/* About 1.4 MiB of table: a raw guest still boots in a few MiB */
#define DEFAULT_CAPACITY	1024

static const struct option long_opts[] = {
	{ "port",       required_argument, NULL, 'p' },
	{ "capacity",   required_argument, NULL, 'c' },
	{ "preload",    required_argument, NULL, 'n' },
	{ "value-size", required_argument, NULL, 'v' },
	{ "batch",      required_argument, NULL, 'b' },
	{ "help",       no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void usage(const char *prog)
{
	printf("usage: %s [--port P] [--capacity N] [--preload N] "
	       "[--value-size B] [--batch N]\n"
	       "  --port P        UDP port (default %d)\n"
	       "  --capacity N    items the table holds (default %d)\n"
	       "  --preload N     keys inserted at start-up (default 0)\n"
	       "  --value-size B  bytes of each preloaded value (default 32)\n"
	       "  --batch N       datagrams per wake-up, 1-%d (default %d)\n"
	       "The address comes from the netdev.ip=ADDR/PREFIX kernel "
	       "parameter.\n",
	       prog, DEFAULT_PORT, DEFAULT_CAPACITY, KVFE_BATCH_MAX,
	       KVFE_BATCH_DEFAULT);
}

/* Whole-string decimal in [min, max]; anything else is an error. */
static int parse_u32(const char *name, const char *s, uint32_t min,
		     uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end != '\0' || s[0] == '-'
	    || v < min || v > max) {
		fprintf(stderr, "kvstore: --%s: want a number in %"PRIu32
			"..%"PRIu32", got \"%s\"\n", name, min, max, s);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Returns 0, 1 for --help, or a negative errno. */
static int parse_args(int argc, char *argv[], struct kvfe_opts *o)
{
	uint32_t port = DEFAULT_PORT;
	int c, rc = 0;

	*o = (struct kvfe_opts) {
		.capacity = DEFAULT_CAPACITY,
		.value_size = 32,
		.batch = KVFE_BATCH_DEFAULT,
	};
	/* Without kernel parameters before it, the " -- " reaches us too */
	optind = (argc > 1 && !strcmp(argv[1], "--")) ? 2 : 1;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			rc = parse_u32("port", optarg, 1, 65535, &port);
			break;
		case 'c':
			rc = parse_u32("capacity", optarg, 1, KV_CAPACITY_MAX,
				       &o->capacity);
			break;
		case 'n':
			rc = parse_u32("preload", optarg, 0, UINT32_MAX,
				       &o->preload);
			break;
		case 'v':
			rc = parse_u32("value-size", optarg, 0,
				       KV_DATAGRAM_MAX, &o->value_size);
			break;
		case 'b':
			rc = parse_u32("batch", optarg, 1, KVFE_BATCH_MAX,
				       &o->batch);
			break;
		case 'h':
			usage(argv[0]);
			return 1;
		default:
			usage(argv[0]);
			return -EINVAL;
		}
		if (rc)
			return rc;
	}
	if (optind < argc) {
		fprintf(stderr, "kvstore: unexpected argument \"%s\"\n",
			argv[optind]);
		return -EINVAL;
	}
	o->port = (uint16_t)port;
	return 0;
}

/* Dotted quad to network byte order, strictly four parts of 0-255. */
static int parse_ipv4(const char *s, size_t len, uint32_t *addr)
{
	uint8_t b[4];
	unsigned int part = 0, v = 0, digits = 0;
	size_t i;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (unsigned int)(s[i] - '0');
			if (++digits > 3 || v > 255)
				return -EINVAL;
			continue;
		}
		if (!digits || part > 3 || (i < len && s[i] != '.'))
			return -EINVAL;
		b[part++] = (uint8_t)v;
		v = digits = 0;
	}
	if (part != 4)
		return -EINVAL;
	memcpy(addr, b, sizeof(*addr));
	return 0;
}

int kvfe_netdev_ipv4(struct uk_netdev *dev, uint32_t *addr)
{
	const char *s;

	s = uk_netdev_einfo_get(dev, UK_NETDEV_IPV4_CIDR);
	if (s)
		return parse_ipv4(s, strcspn(s, "/"), addr);
	s = uk_netdev_einfo_get(dev, UK_NETDEV_IPV4_ADDR);
	if (s)
		return parse_ipv4(s, strlen(s), addr);
	return -EINVAL;
}

void kvfe_ready(uint32_t addr, uint16_t port)
{
	const uint8_t *b = (const uint8_t *)&addr;

	printf("ready udp %u.%u.%u.%u:%u\n", b[0], b[1], b[2], b[3], port);
	fflush(stdout);
}

static void print_stats(const struct kv_stats *st)
{
	printf("stats cmd_get=%"PRIu64" get_hits=%"PRIu64
	       " get_misses=%"PRIu64" cmd_set=%"PRIu64" cmd_delete=%"PRIu64
	       " errors=%"PRIu64" amp_refused=%"PRIu64" dropped=%"PRIu64
	       " bytes_read=%"PRIu64" bytes_written=%"PRIu64
	       " curr_items=%"PRIu64"\n",
	       st->cmd_get, st->get_hits, st->get_misses, st->cmd_set,
	       st->cmd_delete, st->errors, st->amp_refused, st->dropped,
	       st->bytes_read, st->bytes_written, st->curr_items);
	fflush(stdout);
}

int main(int argc, char *argv[])
{
	struct kvfe_opts opts;
	struct kv_config cfg = { 0 };
	struct kv_store *store;
	int rc;

	rc = parse_args(argc, argv, &opts);
	if (rc)
		return rc > 0 ? 0 : 2;

	cfg.capacity = opts.capacity;
	/* Seeded per boot, so colliding keys cannot be crafted offline */
	cfg.hash_seed = ((uint64_t)uk_swrand_randr() << 32)
			| uk_swrand_randr();
	store = kv_store_create(&cfg);
	if (!store) {
		fprintf(stderr, "kvstore: no memory for %"PRIu32" items\n",
			opts.capacity);
		return 1;
	}
	if (opts.preload
	    && kv_preload(store, opts.preload, opts.value_size) < 0) {
		fprintf(stderr, "kvstore: cannot preload %"PRIu32" keys of %"
			PRIu32" bytes into %"PRIu32" items\n", opts.preload,
			opts.value_size, opts.capacity);
		kv_store_destroy(store);
		return 1;
	}

	rc = kvfe_serve(&opts, store);
	if (rc)
		fprintf(stderr, "kvstore: serving stopped: %s\n",
			strerror(-rc));
	print_stats(kv_get_stats(store));
	kv_store_destroy(store);
	return rc ? 1 : 0;
}
