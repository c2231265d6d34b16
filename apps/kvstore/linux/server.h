/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the Linux socket front ends share: their command line, the table,
 * the bound UDP socket, the ready line, and a clean stop on SIGINT or
 * SIGTERM. Each front end only owns its receive/answer loop.
 */
#ifndef __KVL_SERVER_H__
#define __KVL_SERVER_H__

#include <signal.h>
#include <stdint.h>

#include "kv.h"

#define KVL_BATCH_MAX		1024
#define KVL_BATCH_DEFAULT	32
/* Receive room for the largest UDP datagram: nothing is ever truncated */
#define KVL_RX_MAX		65536

struct kvl_server {
	const char *prog;
	int with_batch;		/* the front end takes --batch */
	uint32_t batch;
	int fd;
	struct kv_store *store;
};

/*
 * Parses the command line, builds and preloads the table, binds the
 * socket and prints the ready line. Exits the process on --help (0) and
 * on any error (2 for bad flags, 1 otherwise), with a message.
 */
void kvl_start(struct kvl_server *srv, int argc, char *argv[]);

/* Set by SIGINT/SIGTERM; the socket's receive timeout bounds how long a
 * blocked receive takes to notice it.
 */
extern volatile sig_atomic_t kvl_stopping;

/* Prints the stats, frees everything; the process then exits 0. */
int kvl_finish(struct kvl_server *srv);

#endif /* __KVL_SERVER_H__ */
