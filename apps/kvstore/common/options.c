/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The front ends' flags, table set-up, ready and stats lines. The flags
 * are parsed here rather than by getopt_long(): glibc's and nolibc's
 * differ (abbreviations, argument permutation, messages), and the same
 * command line must mean the same thing on Linux and on Unikraft.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "options.h"

enum flag_id {
	FLAG_ADDR, FLAG_IP, FLAG_PORT, FLAG_CAPACITY, FLAG_PRELOAD,
	FLAG_VALUE_SIZE, FLAG_BATCH, FLAG_HELP, FLAG_COUNT
};

/* Each flag and the KVOPT_* a front end needs to take it (0: all do) */
static const struct {
	const char *name;
	unsigned int needs;
} flags[FLAG_COUNT] = {
	[FLAG_ADDR]       = { "addr",       KVOPT_ADDR },
	[FLAG_IP]         = { "ip",         KVOPT_IP },
	[FLAG_PORT]       = { "port",       0 },
	[FLAG_CAPACITY]   = { "capacity",   0 },
	[FLAG_PRELOAD]    = { "preload",    0 },
	[FLAG_VALUE_SIZE] = { "value-size", 0 },
	[FLAG_BATCH]      = { "batch",      KVOPT_BATCH },
	[FLAG_HELP]       = { "help",       0 },
};

static void __attribute__((format(printf, 3, 4)))
complain(const struct kvopt_frontend *fe, FILE *err, const char *fmt, ...)
{
	va_list ap;

	fprintf(err, "%s: ", fe->prog);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fprintf(err, "\nTry '%s --help'.\n", fe->prog);
}

/* A plain decimal in [min, max]: digits only, no sign, no spaces. */
static int parse_u32(const char *s, uint32_t min, uint32_t max,
		     uint32_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return -1;
	}
	if (v < min)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int kvopt_parse_ipv4(const char *s, size_t len, uint32_t *addr)
{
	uint8_t b[4];
	unsigned int part = 0, v = 0, digits = 0;
	size_t i;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (unsigned int)(s[i] - '0');
			if (++digits > 3 || v > 255)
				return -1;
			continue;
		}
		if (!digits || part > 3 || (i < len && s[i] != '.'))
			return -1;
		b[part++] = (uint8_t)v;
		v = digits = 0;
	}
	if (part != 4)
		return -1;
	memcpy(addr, b, sizeof(*addr));
	return 0;
}

static int find_flag(const char *name, size_t len)
{
	int i;

	for (i = 0; i < FLAG_COUNT; i++)
		if (strlen(flags[i].name) == len &&
		    !memcmp(flags[i].name, name, len))
			return i;
	return -1;
}

/* Sets the value of flag id; returns -1 after complaining. */
static int set_flag(const struct kvopt_frontend *fe, int id, const char *val,
		    struct kvopt *o, FILE *err)
{
	uint32_t min = 0, max = UINT32_MAX, *dst;

	switch (id) {
	case FLAG_ADDR:
	case FLAG_IP:
		if (!kvopt_parse_ipv4(val, strlen(val), &o->addr))
			return 0;
		complain(fe, err, "--%s wants an IPv4 address, got \"%s\"",
			 flags[id].name, val);
		return -1;
	case FLAG_PORT:
		/* only a kernel can hand out a free port */
		min = fe->takes & KVOPT_PORT_ANY ? 0 : 1;
		max = 65535;
		dst = &o->port;
		break;
	case FLAG_CAPACITY:
		min = 1;
		max = KV_CAPACITY_MAX;
		dst = &o->capacity;
		break;
	case FLAG_PRELOAD:
		max = KV_CAPACITY_MAX;
		dst = &o->preload;
		break;
	case FLAG_VALUE_SIZE:
		max = KV_ITEM_MAX;
		dst = &o->value_size;
		break;
	default:
		min = 1;
		max = KVOPT_BATCH_MAX;
		dst = &o->batch;
		break;
	}
	if (!parse_u32(val, min, max, dst))
		return 0;
	complain(fe, err, "--%s wants a number in %" PRIu32 "..%" PRIu32
		 ", got \"%s\"", flags[id].name, min, max, val);
	return -1;
}

/* What the flags ask of the preload fits the table and a datagram. */
static int check_preload(const struct kvopt_frontend *fe,
			 const struct kvopt *o, FILE *err)
{
	char key[16];
	int klen;

	if (!o->preload)
		return 0;
	if (o->preload > o->capacity) {
		complain(fe, err, "--preload %" PRIu32 ": the table holds "
			 "%" PRIu32 " items (--capacity)", o->preload,
			 o->capacity);
		return -1;
	}
	/* the longest key is the last one */
	klen = kv_preload_key(o->preload - 1, key, sizeof(key));
	if (o->value_size > (uint32_t)KV_VALUE_MAX(klen)) {
		complain(fe, err, "--value-size %" PRIu32 ": a value is at "
			 "most %d bytes less its key, %d bytes beside key %s",
			 o->value_size, KV_ITEM_MAX, KV_VALUE_MAX(klen), key);
		return -1;
	}
	return 0;
}

enum kvopt_parsed kvopt_parse(const struct kvopt_frontend *fe, int argc,
			      char *const argv[], struct kvopt *o,
			      FILE *err)
{
	const char *arg, *val, *eq;
	int i, id, have_ip = 0;

	*o = (struct kvopt) {
		.port = KVOPT_PORT_DEFAULT,
		.capacity = fe->capacity,
		.value_size = KVOPT_VALUE_SIZE_DEFAULT,
		.batch = KVOPT_BATCH_DEFAULT,
	};
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strncmp(arg, "--", 2) || !arg[2]) {
			complain(fe, err, "unexpected argument \"%s\"", arg);
			return KVOPT_BAD;
		}
		eq = strchr(arg + 2, '=');
		id = find_flag(arg + 2, eq ? (size_t)(eq - arg - 2)
					   : strlen(arg + 2));
		if (id < 0 || (flags[id].needs & ~fe->takes)) {
			complain(fe, err, "unknown flag \"%s\"", arg);
			return KVOPT_BAD;
		}
		if (id == FLAG_HELP) {
			if (!eq)
				return KVOPT_HELP;
			complain(fe, err, "--help takes no value");
			return KVOPT_BAD;
		}
		if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			complain(fe, err, "%s needs a value", arg);
			return KVOPT_BAD;
		}
		if (set_flag(fe, id, val, o, err))
			return KVOPT_BAD;
		have_ip |= id == FLAG_IP;
	}
	if ((fe->takes & KVOPT_IP) && !have_ip) {
		complain(fe, err, "--ip ADDR is required");
		return KVOPT_BAD;
	}
	return check_preload(fe, o, err) ? KVOPT_BAD : KVOPT_SERVE;
}

void kvopt_usage(const struct kvopt_frontend *fe, FILE *f)
{
	fprintf(f, "usage: %s %s[options]\n"
		"Serves memcached's UDP text protocol from a fixed-size "
		"table.\n", fe->prog, fe->synopsis ? fe->synopsis : "");
	if (fe->takes & KVOPT_ADDR)
		fprintf(f, "  --addr ADDR       IPv4 address to bind "
			"(default 0.0.0.0)\n");
	if (fe->takes & KVOPT_IP)
		fprintf(f, "  --ip ADDR         IPv4 address it answers ARP "
			"and UDP for (required)\n");
	fprintf(f, "  --port PORT       UDP port, %s-65535 (default %d)\n"
		"  --capacity N      items the table holds, 1-%u "
		"(default %" PRIu32 ")\n"
		"  --preload N       keys key:0..key:N-1 inserted at start-up, "
		"N at most --capacity (default 0)\n"
		"  --value-size B    bytes of each preloaded value, at most "
		"%d less the longest key's length (default %d)\n",
		fe->takes & KVOPT_PORT_ANY ? "0 picks a free one, 0" : "1",
		KVOPT_PORT_DEFAULT, KV_CAPACITY_MAX, fe->capacity,
		KV_ITEM_MAX, KVOPT_VALUE_SIZE_DEFAULT);
	if (fe->takes & KVOPT_BATCH)
		fprintf(f, "  --batch N         most datagrams per %s, 1-%d "
			"(default %d)\n", fe->batch_unit, KVOPT_BATCH_MAX,
			KVOPT_BATCH_DEFAULT);
	fprintf(f, "  --help            this text\n"
		"Values follow their flag (--port 11211 or --port=11211). "
		"Prints \"ready udp ADDR:PORT\"\nonce serving. Exits %d after "
		"a clean stop, %d when it cannot start or serve, %d on\n"
		"a bad flag.\n", KVOPT_EXIT_OK, KVOPT_EXIT_FAIL,
		KVOPT_EXIT_USAGE);
	if (fe->notes)
		fputs(fe->notes, f);
}

struct kv_store *kvopt_make_store(const struct kvopt_frontend *fe,
				  const struct kvopt *o, uint64_t hash_seed,
				  FILE *err)
{
	struct kv_config cfg = {
		.capacity = o->capacity,
		.hash_seed = hash_seed,
	};
	struct kv_store *store = kv_store_create(&cfg);

	if (!store) {
		fprintf(err, "%s: no memory for a table of %" PRIu32
			" items\n", fe->prog, o->capacity);
		return NULL;
	}
	if (o->preload && kv_preload(store, o->preload, o->value_size)) {
		fprintf(err, "%s: cannot preload %" PRIu32 " keys of %" PRIu32
			" bytes into %" PRIu32 " items\n", fe->prog,
			o->preload, o->value_size, o->capacity);
		kv_store_destroy(store);
		return NULL;
	}
	return store;
}

void kvopt_print_ready(FILE *f, uint32_t addr, uint32_t port)
{
	const uint8_t *b = (const uint8_t *)&addr;

	fprintf(f, "ready udp %u.%u.%u.%u:%" PRIu32 "\n", b[0], b[1], b[2],
		b[3], port);
	fflush(f);
}

void kvopt_print_stats(FILE *f, const struct kv_stats *st)
{
	fprintf(f, "stats cmd_get=%" PRIu64 " get_hits=%" PRIu64
		" get_misses=%" PRIu64 " cmd_set=%" PRIu64
		" cmd_delete=%" PRIu64 " errors=%" PRIu64
		" amp_refused=%" PRIu64 " dropped=%" PRIu64
		" bytes_read=%" PRIu64 " bytes_written=%" PRIu64
		" curr_items=%" PRIu64 "\n",
		st->cmd_get, st->get_hits, st->get_misses, st->cmd_set,
		st->cmd_delete, st->errors, st->amp_refused, st->dropped,
		st->bytes_read, st->bytes_written, st->curr_items);
	fflush(f);
}
