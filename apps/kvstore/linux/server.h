/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the Linux front ends share beside options.h: the bound UDP
 * socket (socket front ends), a per-run hash seed and a clean stop on
 * SIGINT or SIGTERM. Each front end only owns its receive/answer loop.
 */
#ifndef __KVL_SERVER_H__
#define __KVL_SERVER_H__

#include <signal.h>

#include "kv.h"
#include "options.h"

/* Receive room for the largest UDP datagram: nothing is ever truncated */
#define KVL_RX_MAX		65536
/* about 90 MiB of address space, touched only as items arrive */
#define KVL_CAPACITY_DEFAULT	65536

struct kvl_server {
	struct kvopt_frontend fe;
	struct kvopt opts;
	int fd;
	struct kv_store *store;
};

/*
 * Parses the command line into srv->opts. Exits the process on --help
 * (KVOPT_EXIT_OK) and on a bad flag (KVOPT_EXIT_USAGE), with a message.
 */
void kvl_parse_args(struct kvl_server *srv, int argc, char *argv[]);

/* Builds and preloads the table; exits KVOPT_EXIT_FAIL when it cannot. */
void kvl_make_store(struct kvl_server *srv);

/* SIGINT and SIGTERM set kvl_stopping. */
void kvl_catch_signals(void);

/*
 * Socket front ends: all of the above, with the socket bound between
 * the table and the ready line. Exits on any error, with a message.
 */
void kvl_start(struct kvl_server *srv, int argc, char *argv[]);

/* Set by SIGINT/SIGTERM; the socket's receive timeout bounds how long a
 * blocked receive takes to notice it.
 */
extern volatile sig_atomic_t kvl_stopping;

/* Socket front ends: prints the stats, frees everything; returns 0. */
int kvl_finish(struct kvl_server *srv);

#endif /* __KVL_SERVER_H__ */
