/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A minimal memcached-UDP client for shell checks: sends each COMMAND
 * (with "\r\n" appended) as one datagram, request ids 1, 2, ..., waits
 * up to TIMEOUT_MS for its reply and prints the reply's text. Exits 1
 * when a reply is missing or carries another request id.
 *
 * usage: udp_probe ADDR PORT TIMEOUT_MS COMMAND...
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DGRAM_MAX	65536

static int probe(int fd, unsigned int id, const char *cmd, int timeout_ms)
{
	static unsigned char buf[DGRAM_MAX];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t len = strlen(cmd);
	ssize_t n;

	if (len + 10 > sizeof(buf))
		return -1;
	memcpy(buf, "\0\0\0\0\0\1\0\0", 8);
	buf[0] = (unsigned char)(id >> 8);
	buf[1] = (unsigned char)id;
	memcpy(buf + 8, cmd, len);
	memcpy(buf + 8 + len, "\r\n", 2);
	if (send(fd, buf, len + 10, 0) < 0) {
		perror("udp_probe: send");
		return -1;
	}
	if (poll(&pfd, 1, timeout_ms) != 1) {
		fprintf(stderr, "udp_probe: no reply to \"%s\"\n", cmd);
		return -1;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 8 || buf[0] != (unsigned char)(id >> 8) ||
	    buf[1] != (unsigned char)id) {
		fprintf(stderr, "udp_probe: bad reply to \"%s\"\n", cmd);
		return -1;
	}
	fwrite(buf + 8, 1, (size_t)n - 8, stdout);
	return 0;
}

int main(int argc, char *argv[])
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd, i;

	if (argc < 5 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: udp_probe ADDR PORT TIMEOUT_MS "
			"COMMAND...\n");
		return 2;
	}
	sa.sin_port = htons((unsigned short)atoi(argv[2]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("udp_probe: socket");
		return 1;
	}
	for (i = 4; i < argc; i++)
		if (probe(fd, (unsigned int)(i - 3), argv[i], atoi(argv[3])))
			return 1;
	close(fd);
	return 0;
}
