/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up and shutdown of the Linux front ends: flags and table through
 * options.h, a per-run seed, the socket, signals and the final stats.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

/* how soon a receive blocked when a signal slipped in sees the stop */
#define STOP_POLL_MS		200

volatile sig_atomic_t kvl_stopping;

void kvl_parse_args(struct kvl_server *srv, int argc, char *argv[])
{
	if (!srv->fe.capacity)
		srv->fe.capacity = KVL_CAPACITY_DEFAULT;
	switch (kvopt_parse(&srv->fe, argc, argv, &srv->opts, stderr)) {
	case KVOPT_SERVE:
		return;
	case KVOPT_HELP:
		kvopt_usage(&srv->fe, stdout);
		exit(KVOPT_EXIT_OK);
	default:
		exit(KVOPT_EXIT_USAGE);
	}
}

void kvl_make_store(struct kvl_server *srv)
{
	uint64_t seed;

	/* a per-run seed: colliding keys cannot be crafted offline */
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL;
	srv->store = kvopt_make_store(&srv->fe, &srv->opts, seed, stderr);
	if (!srv->store)
		exit(KVOPT_EXIT_FAIL);
}

static int bind_socket(struct kvl_server *srv)
{
	struct kvopt *o = &srv->opts;
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = o->addr,
		.sin_port = htons((uint16_t)o->port),
	};
	struct timeval tv = { .tv_usec = STOP_POLL_MS * 1000 };
	socklen_t salen = sizeof(sa);
	const uint8_t *b = (const uint8_t *)&o->addr;
	int fd;

	/* A stack without receive timeouts (lwIP as Unikraft builds it, where
	 * app-elfloader runs this binary) still serves: a stop then waits for
	 * the signal's EINTR alone. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &salen) ||
	    (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) &&
	     errno != ENOPROTOOPT)) {
		fprintf(stderr, "%s: cannot bind udp %u.%u.%u.%u:%" PRIu32
			": %s\n", srv->fe.prog, b[0], b[1], b[2], b[3],
			o->port, strerror(errno));
		exit(KVOPT_EXIT_FAIL);
	}
	o->port = ntohs(sa.sin_port);
	return fd;
}

static void on_signal(int sig)
{
	(void)sig;
	kvl_stopping = 1;
}

/* No SA_RESTART: a blocked receive returns EINTR at once. */
void kvl_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void kvl_start(struct kvl_server *srv, int argc, char *argv[])
{
	kvl_parse_args(srv, argc, argv);
	kvl_make_store(srv);
	kvl_catch_signals();
	srv->fd = bind_socket(srv);
	kvopt_print_ready(stdout, srv->opts.addr, srv->opts.port);
}

int kvl_finish(struct kvl_server *srv)
{
	kvopt_print_stats(stdout, kv_get_stats(srv->store));
	close(srv->fd);
	kv_store_destroy(srv->store);
	return KVOPT_EXIT_OK;
}
