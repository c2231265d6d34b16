/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the Linux front ends share: their command line, the table, the
 * bound UDP socket (socket front ends), the ready line, the stats, and a
 * clean stop on SIGINT or SIGTERM. Each front end only owns its
 * receive/answer loop.
 */
#ifndef __KVL_SERVER_H__
#define __KVL_SERVER_H__

#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>

#include "kv.h"

#define KVL_BATCH_MAX		1024
#define KVL_BATCH_DEFAULT	32
/* Receive room for the largest UDP datagram: nothing is ever truncated */
#define KVL_RX_MAX		65536

struct kvl_opts {
	struct in_addr addr;	/* --addr; --ip for a raw front end */
	uint32_t port;
	uint32_t capacity;
	uint32_t preload;
	uint32_t value_size;
	uint32_t batch;
};

struct kvl_server {
	const char *prog;
	int with_batch;		/* the front end takes --batch */
	int raw;		/* it owns a NIC: --ip (required), no --addr */
	const char *usage_extra;	/* what it adds to --help, or NULL */
	struct kvl_opts opts;
	int fd;
	struct kv_store *store;
};

/*
 * Parses the command line into srv->opts. Exits the process on --help
 * (0) and on a bad flag (2), with a message.
 */
void kvl_parse_args(struct kvl_server *srv, int argc, char *argv[]);

/* Builds and preloads the table; exits with a message when it cannot. */
void kvl_make_store(struct kvl_server *srv);

/* SIGINT and SIGTERM set kvl_stopping. */
void kvl_catch_signals(void);

/* Prints "ready udp ADDR:PORT". */
void kvl_ready(const struct kvl_server *srv);

/* Prints the core's counters as one "stats ..." line. */
void kvl_print_stats(const struct kvl_server *srv);

/*
 * Socket front ends: all of the above, with the socket bound between
 * the table and the ready line. Exits on any error (2 for bad flags, 1
 * otherwise), with a message.
 */
void kvl_start(struct kvl_server *srv, int argc, char *argv[]);

/* Set by SIGINT/SIGTERM; the socket's receive timeout bounds how long a
 * blocked receive takes to notice it.
 */
extern volatile sig_atomic_t kvl_stopping;

/* Socket front ends: prints the stats, frees everything; returns 0. */
int kvl_finish(struct kvl_server *srv);

#endif /* __KVL_SERVER_H__ */
