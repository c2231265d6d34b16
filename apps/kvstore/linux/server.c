/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up and shutdown of the Linux front ends: flags, table, preload,
 * socket, ready line, signals and the final stats.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

#define DEFAULT_PORT		11211
/* about 90 MiB of address space, touched only as items arrive */
#define DEFAULT_CAPACITY	65536
#define DEFAULT_VALUE_SIZE	32
/* how soon a receive blocked when a signal slipped in sees the stop */
#define STOP_POLL_MS		200

volatile sig_atomic_t kvl_stopping;

static void usage(const struct kvl_server *srv, FILE *f)
{
	fprintf(f, "usage: %s %s[options]\n"
		"Serves memcached's UDP text protocol from a fixed-size table.\n",
		srv->prog, srv->raw ? "[EAL options] -- " : "");
	if (srv->raw)
		fprintf(f, "  --ip ADDR         IPv4 address it answers ARP and "
			"UDP for (required)\n"
			"  --port PORT       UDP port (default %d)\n",
			DEFAULT_PORT);
	else
		fprintf(f, "  --addr ADDR       IPv4 address to bind (default "
			"0.0.0.0)\n"
			"  --port PORT       UDP port, 0 picks a free one "
			"(default %d)\n", DEFAULT_PORT);
	fprintf(f,
		"  --capacity N      items the table holds (default %d)\n"
		"  --preload N       keys key:0..key:N-1 inserted at start-up "
		"(default 0)\n"
		"  --value-size B    bytes of each preloaded value (default %d)\n",
		DEFAULT_CAPACITY, DEFAULT_VALUE_SIZE);
	if (srv->with_batch)
		fprintf(f, "  --batch N         datagrams per %s, 1-%d "
			"(default %d)\n", srv->raw ? "rx/tx burst" :
			"recvmmsg/sendmmsg", KVL_BATCH_MAX, KVL_BATCH_DEFAULT);
	if (srv->usage_extra)
		fputs(srv->usage_extra, f);
	fprintf(f, "  --help            this text\n"
		"Prints \"ready udp ADDR:PORT\" once serving; prints its stats "
		"and exits on SIGINT or SIGTERM.\n");
}

static void __attribute__((noreturn, format(printf, 2, 3)))
bad_flag(const struct kvl_server *srv, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", srv->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", srv->prog);
	exit(2);
}

/* A whole-string decimal in [min, max]; anything else is a bad flag. */
static uint32_t parse_u32(const struct kvl_server *srv, const char *name,
			  const char *s, uint32_t min, uint32_t max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] < '0' || s[0] > '9' ||
	    v < min || v > max)
		bad_flag(srv, "--%s wants a number in %" PRIu32 "..%" PRIu32
			 ", got \"%s\"", name, min, max, s);
	return (uint32_t)v;
}

void kvl_parse_args(struct kvl_server *srv, int argc, char *argv[])
{
	static const struct option long_opts[] = {
		{ "addr",       required_argument, NULL, 'a' },
		{ "ip",         required_argument, NULL, 'i' },
		{ "port",       required_argument, NULL, 'p' },
		{ "capacity",   required_argument, NULL, 'c' },
		{ "preload",    required_argument, NULL, 'n' },
		{ "value-size", required_argument, NULL, 'v' },
		{ "batch",      required_argument, NULL, 'b' },
		{ "help",       no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct kvl_opts *o = &srv->opts;
	int c, have_ip = 0;

	o->addr.s_addr = htonl(INADDR_ANY);
	o->port = DEFAULT_PORT;
	o->capacity = DEFAULT_CAPACITY;
	o->preload = 0;
	o->value_size = DEFAULT_VALUE_SIZE;
	o->batch = KVL_BATCH_DEFAULT;
	/* getopt's own messages would duplicate ours */
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", long_opts, NULL)) != -1) {
		switch (c) {
		case 'a':
		case 'i':
			/* a socket binds --addr, a raw front end is --ip */
			if ((c == 'i') != !!srv->raw)
				bad_flag(srv, "%s: this front end takes %s",
					 c == 'i' ? "--ip" : "--addr",
					 srv->raw ? "--ip" : "--addr");
			if (inet_pton(AF_INET, optarg, &o->addr) != 1)
				bad_flag(srv, "%s wants an IPv4 address, got "
					 "\"%s\"", srv->raw ? "--ip" : "--addr",
					 optarg);
			have_ip = 1;
			break;
		case 'p':
			/* a raw front end cannot ask a kernel for a free port */
			o->port = parse_u32(srv, "port", optarg, !!srv->raw,
					    65535);
			break;
		case 'c':
			o->capacity = parse_u32(srv, "capacity", optarg, 1,
						KV_CAPACITY_MAX);
			break;
		case 'n':
			o->preload = parse_u32(srv, "preload", optarg, 0,
					       KV_CAPACITY_MAX);
			break;
		case 'v':
			o->value_size = parse_u32(srv, "value-size", optarg,
						  0, KV_ITEM_MAX);
			break;
		case 'b':
			if (!srv->with_batch)
				bad_flag(srv, "--batch: this front end answers "
					 "one datagram at a time");
			o->batch = parse_u32(srv, "batch", optarg, 1,
					     KVL_BATCH_MAX);
			break;
		case 'h':
			usage(srv, stdout);
			exit(0);
		case ':':
			bad_flag(srv, "%s needs a value", argv[optind - 1]);
			break;
		default:
			bad_flag(srv, "unknown flag \"%s\"", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_flag(srv, "unexpected argument \"%s\"", argv[optind]);
	if (srv->raw && !have_ip)
		bad_flag(srv, "--ip ADDR is required");
}

void kvl_make_store(struct kvl_server *srv)
{
	const struct kvl_opts *o = &srv->opts;
	struct kv_config cfg = { .capacity = o->capacity };
	struct kv_store *store;

	/* a per-run seed: colliding keys cannot be crafted offline */
	if (getrandom(&cfg.hash_seed, sizeof(cfg.hash_seed), 0) !=
	    sizeof(cfg.hash_seed))
		cfg.hash_seed = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL;
	store = kv_store_create(&cfg);
	if (!store) {
		fprintf(stderr, "%s: no memory for a table of %" PRIu32
			" items\n", srv->prog, o->capacity);
		exit(1);
	}
	if (o->preload && kv_preload(store, o->preload, o->value_size)) {
		fprintf(stderr, "%s: cannot preload %" PRIu32 " keys of %"
			PRIu32 " bytes: the table holds %" PRIu32 " items and "
			"a value at most %d bytes less its key\n", srv->prog,
			o->preload, o->value_size, o->capacity,
			KV_VALUE_MAX(0));
		exit(2);
	}
	srv->store = store;
}

static int bind_socket(struct kvl_server *srv)
{
	struct kvl_opts *o = &srv->opts;
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_addr = o->addr,
		.sin_port = htons((uint16_t)o->port),
	};
	struct timeval tv = { .tv_usec = STOP_POLL_MS * 1000 };
	socklen_t salen = sizeof(sa);
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &salen) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		char addr[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &o->addr, addr, sizeof(addr));
		fprintf(stderr, "%s: cannot bind udp %s:%" PRIu32 ": %s\n",
			srv->prog, addr, o->port, strerror(errno));
		exit(1);
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

void kvl_ready(const struct kvl_server *srv)
{
	char addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &srv->opts.addr, addr, sizeof(addr));
	printf("ready udp %s:%" PRIu32 "\n", addr, srv->opts.port);
	fflush(stdout);
}

void kvl_start(struct kvl_server *srv, int argc, char *argv[])
{
	kvl_parse_args(srv, argc, argv);
	kvl_make_store(srv);
	kvl_catch_signals();
	srv->fd = bind_socket(srv);
	kvl_ready(srv);
}

void kvl_print_stats(const struct kvl_server *srv)
{
	const struct kv_stats *st = kv_get_stats(srv->store);

	printf("stats cmd_get=%" PRIu64 " get_hits=%" PRIu64
	       " get_misses=%" PRIu64 " cmd_set=%" PRIu64
	       " cmd_delete=%" PRIu64 " errors=%" PRIu64
	       " amp_refused=%" PRIu64 " dropped=%" PRIu64
	       " bytes_read=%" PRIu64 " bytes_written=%" PRIu64
	       " curr_items=%" PRIu64 "\n",
	       st->cmd_get, st->get_hits, st->get_misses, st->cmd_set,
	       st->cmd_delete, st->errors, st->amp_refused, st->dropped,
	       st->bytes_read, st->bytes_written, st->curr_items);
	fflush(stdout);
}

int kvl_finish(struct kvl_server *srv)
{
	kvl_print_stats(srv);
	close(srv->fd);
	kv_store_destroy(srv->store);
	return 0;
}
