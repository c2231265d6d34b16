/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every front end, Linux or Unikraft, shares before and after
 * serving: its flags with their limits and exit codes, the table and
 * its preload, the ready line and the stats line. One copy, so the
 * front ends cannot drift apart; it needs only the C library's stdio.
 */
#ifndef __KV_OPTIONS_H__
#define __KV_OPTIONS_H__

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kv.h"

#define KVOPT_PORT_DEFAULT	11211
#define KVOPT_VALUE_SIZE_DEFAULT 32
#define KVOPT_BATCH_DEFAULT	32
#define KVOPT_BATCH_MAX		256

/* Exit codes: served and stopped, failed to start or serve, bad flags */
#define KVOPT_EXIT_OK		0
#define KVOPT_EXIT_FAIL		1
#define KVOPT_EXIT_USAGE	2

/* Flags a front end takes beside --port, --capacity, --preload and
 * --value-size, which all take.
 */
#define KVOPT_ADDR		0x1	/* --addr ADDR: the socket's address */
#define KVOPT_IP		0x2	/* --ip ADDR, required: a raw NIC's */
#define KVOPT_PORT_ANY		0x4	/* --port 0: the kernel picks one */
#define KVOPT_BATCH		0x8	/* --batch N */

struct kvopt_frontend {
	const char *prog;
	unsigned int takes;		/* KVOPT_* flags */
	uint32_t capacity;		/* --capacity's default */
	const char *synopsis;		/* before [options] in usage, or NULL */
	const char *batch_unit;		/* what --batch bounds, or NULL */
	const char *notes;		/* what it adds to --help, or NULL */
};

struct kvopt {
	uint32_t addr;		/* network byte order; 0.0.0.0 by default */
	uint32_t port;
	uint32_t capacity;
	uint32_t preload;
	uint32_t value_size;
	uint32_t batch;
};

enum kvopt_parsed {
	KVOPT_SERVE,		/* o is set: go on */
	KVOPT_HELP,		/* --help: print kvopt_usage(), exit 0 */
	KVOPT_BAD,		/* said why on err: exit KVOPT_EXIT_USAGE */
};

/*
 * Parses argv[1..argc) ("--flag VALUE" or "--flag=VALUE", nothing else)
 * into o. Numbers are plain decimals, no sign or spaces, within each
 * flag's limits; a preload must fit the table and its longest key's
 * value a datagram, so a store that kvopt_make_store() cannot fill is
 * refused here, as a bad flag.
 */
enum kvopt_parsed kvopt_parse(const struct kvopt_frontend *fe, int argc,
			      char *const argv[], struct kvopt *o,
			      FILE *err);

void kvopt_usage(const struct kvopt_frontend *fe, FILE *f);

/* Dotted quad to network byte order: exactly four parts of 0-255. */
int kvopt_parse_ipv4(const char *s, size_t len, uint32_t *addr);

/*
 * Builds the table and preloads it. Returns it, or NULL after saying
 * why on err (the front end exits KVOPT_EXIT_FAIL).
 */
struct kv_store *kvopt_make_store(const struct kvopt_frontend *fe,
				  const struct kvopt *o, uint64_t hash_seed,
				  FILE *err);

/* "ready udp ADDR:PORT": the one line that says the server answers. */
void kvopt_print_ready(FILE *f, uint32_t addr, uint32_t port);

/* The core's counters as one "stats name=value ..." line. */
void kvopt_print_stats(FILE *f, const struct kv_stats *st);

#endif /* __KV_OPTIONS_H__ */
