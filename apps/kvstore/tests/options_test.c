/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of options.c: every front end's flags, their limits and
 * messages, the table set-up and the ready and stats lines.
 */
#include <stdarg.h>
#include <string.h>

#include "check.h"
#include "options.h"

static const struct kvopt_frontend sock_fe = {
	.prog = "sock",
	.takes = KVOPT_ADDR | KVOPT_PORT_ANY | KVOPT_BATCH,
	.capacity = 100,
	.batch_unit = "recvmmsg",
};

static const struct kvopt_frontend raw_fe = {
	.prog = "raw",
	.takes = KVOPT_IP,
	.capacity = 10,
};

/* What f holds from the start, as a string in buf. */
static const char *contents(FILE *f, char *buf, size_t cap)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	return buf;
}

/*
 * Parses the NULL-terminated args after a program name; on KVOPT_BAD,
 * the message must contain want.
 */
static enum kvopt_parsed parse(const struct kvopt_frontend *fe,
			       struct kvopt *o, const char *want, ...)
{
	char *argv[16] = { "prog" }, msg[1024];
	enum kvopt_parsed r;
	va_list ap;
	int argc = 1;
	FILE *err = tmpfile();

	va_start(ap, want);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	r = kvopt_parse(fe, argc, argv, o, err);
	contents(err, msg, sizeof(msg));
	if (r == KVOPT_BAD) {
		CHECK(want && strstr(msg, want));
		CHECK(strstr(msg, "--help"));
		if (!want || !strstr(msg, want))
			fprintf(stderr, "message was: %s", msg);
	} else {
		CHECK(!msg[0]);
	}
	fclose(err);
	return r;
}

static void test_defaults(void)
{
	struct kvopt o;

	CHECK(parse(&sock_fe, &o, NULL, NULL) == KVOPT_SERVE);
	CHECK(o.addr == 0);
	CHECK(o.port == KVOPT_PORT_DEFAULT);
	CHECK(o.capacity == 100);
	CHECK(o.preload == 0);
	CHECK(o.value_size == KVOPT_VALUE_SIZE_DEFAULT);
	CHECK(o.batch == KVOPT_BATCH_DEFAULT);
}

static void test_values(void)
{
	const uint8_t want[4] = { 10, 0, 9, 2 };
	struct kvopt o;

	CHECK(parse(&sock_fe, &o, NULL, "--addr", "10.0.9.2", "--port", "0",
		    "--capacity=50", "--preload", "50", "--value-size",
		    "1334", "--batch", "256", NULL) == KVOPT_SERVE);
	CHECK(!memcmp(&o.addr, want, 4));
	CHECK(o.port == 0);
	CHECK(o.capacity == 50);
	CHECK(o.preload == 50);
	CHECK(o.value_size == 1334);
	CHECK(o.batch == 256);
	CHECK(parse(&raw_fe, &o, NULL, "--ip=10.0.9.2", "--port", "65535",
		    NULL) == KVOPT_SERVE);
	CHECK(!memcmp(&o.addr, want, 4));
	CHECK(o.port == 65535);
}

/* The same limits for every front end: the stricter of the old ones */
static void test_limits(void)
{
	struct kvopt o;

	CHECK(parse(&sock_fe, &o, "1..256", "--batch", "257", NULL)
	      == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "1..256", "--batch", "0", NULL)
	      == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "0..1340", "--value-size", "1341", NULL)
	      == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, NULL, "--value-size", "1340", NULL)
	      == KVOPT_SERVE);
	/* with a preload, the longest key's length comes off the value */
	CHECK(parse(&sock_fe, &o, "key:9", "--preload", "10", "--value-size",
		    "1336", NULL) == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, NULL, "--preload", "10", "--value-size",
		    "1335", NULL) == KVOPT_SERVE);
	CHECK(parse(&sock_fe, &o, "holds 100 items", "--preload", "101",
		    NULL) == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "0..1073741824", "--preload", "4294967295",
		    NULL) == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "1..1073741824", "--capacity", "0", NULL)
	      == KVOPT_BAD);
	CHECK(parse(&raw_fe, &o, "1..65535", "--ip", "1.2.3.4", "--port",
		    "0", NULL) == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "0..65535", "--port", "65536", NULL)
	      == KVOPT_BAD);
}

static void test_numbers_are_plain_decimals(void)
{
	static const char *const bad[] = {
		"+5", "-5", " 5", "5 ", "", "0x10", "5k", "99999999999999999999",
	};
	struct kvopt o;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse(&sock_fe, &o, "--capacity wants a number",
			    "--capacity", bad[i], NULL) == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, NULL, "--capacity", "007", NULL)
	      == KVOPT_SERVE);
	CHECK(o.capacity == 7);
}

static void test_bad_flags(void)
{
	struct kvopt o;

	CHECK(parse(&sock_fe, &o, "unknown flag \"--nope\"", "--nope", NULL)
	      == KVOPT_BAD);
	/* no abbreviations, whatever a libc's getopt_long would allow */
	CHECK(parse(&sock_fe, &o, "unknown flag \"--cap\"", "--cap", "5",
		    NULL) == KVOPT_BAD);
	CHECK(parse(&raw_fe, &o, "unknown flag \"--batch\"", "--ip",
		    "1.2.3.4", "--batch", "4", NULL) == KVOPT_BAD);
	CHECK(parse(&raw_fe, &o, "unknown flag \"--addr\"", "--addr",
		    "1.2.3.4", NULL) == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "unknown flag \"--ip\"", "--ip",
		    "1.2.3.4", NULL) == KVOPT_BAD);
	CHECK(parse(&raw_fe, &o, "--ip ADDR is required", NULL)
	      == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "--port needs a value", "--port", NULL)
	      == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "unexpected argument \"x\"", "x", NULL)
	      == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "unexpected argument \"-p\"", "-p", "1",
		    NULL) == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "wants an IPv4 address", "--addr",
		    "1.2.3", NULL) == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, "takes no value", "--help=1", NULL)
	      == KVOPT_BAD);
	CHECK(parse(&sock_fe, &o, NULL, "--port", "1", "--help", NULL)
	      == KVOPT_HELP);
}

static void test_ipv4(void)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.4 ",
		"1.2.3.0004", "a.b.c.d", ".1.2.3",
	};
	const uint8_t want[4] = { 192, 168, 0, 255 };
	uint32_t a;
	size_t i;

	CHECK(!kvopt_parse_ipv4("192.168.0.255", 13, &a));
	CHECK(!memcmp(&a, want, 4));
	/* a length bounds the string: an address out of "ADDR/PREFIX" */
	CHECK(!kvopt_parse_ipv4("192.168.0.255/24", 13, &a));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(kvopt_parse_ipv4(bad[i], strlen(bad[i]), &a) == -1);
}

static void test_usage_lists_what_the_front_end_takes(void)
{
	char text[4096];
	FILE *f = tmpfile();

	kvopt_usage(&raw_fe, f);
	contents(f, text, sizeof(text));
	CHECK(strstr(text, "usage: raw "));
	CHECK(strstr(text, "--ip ADDR"));
	CHECK(!strstr(text, "--addr"));
	CHECK(!strstr(text, "--batch"));
	fclose(f);
	f = tmpfile();
	kvopt_usage(&sock_fe, f);
	contents(f, text, sizeof(text));
	CHECK(strstr(text, "--batch N         most datagrams per recvmmsg, "
		     "1-256"));
	CHECK(strstr(text, "0 picks a free one"));
	fclose(f);
}

static void test_store_and_lines(void)
{
	struct kvopt o;
	struct kv_store *s;
	char text[1024];
	FILE *f = tmpfile();

	CHECK(parse(&sock_fe, &o, NULL, "--preload", "100", "--value-size",
		    "7", NULL) == KVOPT_SERVE);
	s = kvopt_make_store(&sock_fe, &o, 42, f);
	CHECK(s && kv_get_stats(s)->curr_items == 100);
	CHECK(!contents(f, text, sizeof(text))[0]);
	kvopt_print_stats(f, kv_get_stats(s));
	CHECK(!strcmp(contents(f, text, sizeof(text)),
		      "stats cmd_get=0 get_hits=0 get_misses=0 cmd_set=0 "
		      "cmd_delete=0 errors=0 amp_refused=0 dropped=0 "
		      "bytes_read=0 bytes_written=0 curr_items=100\n"));
	kv_store_destroy(s);
	fclose(f);

	f = tmpfile();
	o.capacity = KV_CAPACITY_MAX + 1;
	CHECK(!kvopt_make_store(&sock_fe, &o, 42, f));
	CHECK(strstr(contents(f, text, sizeof(text)), "sock: no memory"));
	fclose(f);

	f = tmpfile();
	CHECK(!kvopt_parse_ipv4("10.0.9.2", 8, &o.addr));
	kvopt_print_ready(f, o.addr, 11211);
	CHECK(!strcmp(contents(f, text, sizeof(text)),
		      "ready udp 10.0.9.2:11211\n"));
	fclose(f);
}

int main(void)
{
	test_defaults();
	test_values();
	test_limits();
	test_numbers_are_plain_decimals();
	test_bad_flags();
	test_ipv4();
	test_usage_lists_what_the_front_end_takes();
	test_store_and_lines();
	return check_report("options_test");
}
