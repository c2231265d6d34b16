/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tbcount: a QEMU TCG plugin that counts the guest instructions executed
 * in each translated block, so that the cost of guest code can be
 * measured in instructions rather than in time.
 *
 * Every block QEMU translates gets one counter, keyed by its guest
 * virtual address and its number of instructions (a block translated
 * again after a flush finds its counter). QEMU adds one to it inline
 * each time the block runs, with no call out of the translated code.
 *
 * The counts are read while the guest runs: the plugin listens on the
 * Unix socket given as socket=PATH, and every connection gets a snapshot
 * of all counters, one line per block, "VADDR EXECS OFFSETS..." (the
 * block's address in hex, its executions in decimal, the offset of each
 * of its instructions from VADDR in hex), then "end". Readers count
 * executions per instruction address: the same code may run as part of
 * blocks that start at different addresses. A profile is the difference
 * of two snapshots.
 *
 * Debian's QEMU ships no plugin header, so the few functions of QEMU's
 * documented plugin API used here are declared below.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* --- QEMU's plugin API (version 1, QEMU 7.2), as documented --- */

#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
struct qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_op {
	QEMU_PLUGIN_INLINE_ADD_U64,
};

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_outs(const char *string);

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

/* --- the counters --- */

struct block {
	uint64_t vaddr;
	uint64_t insns;
	uint64_t execs;		/* added to inline by the translated code */
	struct block *next;	/* in its hash bucket */
	uint32_t off[];		/* of each instruction from vaddr */
};

#define BUCKETS_MIN 4096

/* The table grows; blocks never move, as the translated code holds
 * their addresses. */
static struct {
	pthread_mutex_t lock;
	struct block **bucket;
	size_t nbuckets;
	size_t nblocks;
} tab = { .lock = PTHREAD_MUTEX_INITIALIZER };

static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static int listen_fd = -1;

static size_t bucket_of(uint64_t vaddr, uint64_t insns, size_t nbuckets)
{
	uint64_t h = (vaddr ^ (insns << 48)) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 32) & (nbuckets - 1);
}

/* Doubles the buckets once blocks outnumber them; called locked. */
static int grow(void)
{
	size_t n = tab.nbuckets ? 2 * tab.nbuckets : BUCKETS_MIN, i;
	struct block **nb = calloc(n, sizeof(*nb)), *b, *next;

	if (!nb)
		return -1;
	for (i = 0; i < tab.nbuckets; i++) {
		for (b = tab.bucket[i]; b; b = next) {
			size_t j = bucket_of(b->vaddr, b->insns, n);

			next = b->next;
			b->next = nb[j];
			nb[j] = b;
		}
	}
	free(tab.bucket);
	tab.bucket = nb;
	tab.nbuckets = n;
	return 0;
}

/* The block of tb, made on first sight; NULL without memory. */
static struct block *block_get(const struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	uint64_t insns = qemu_plugin_tb_n_insns(tb), j;
	struct block *b = NULL;
	size_t i;

	pthread_mutex_lock(&tab.lock);
	if (tab.nblocks >= tab.nbuckets && grow() < 0)
		goto out;
	i = bucket_of(vaddr, insns, tab.nbuckets);
	for (b = tab.bucket[i]; b; b = b->next)
		if (b->vaddr == vaddr && b->insns == insns)
			goto out;
	b = calloc(1, sizeof(*b) + insns * sizeof(b->off[0]));
	if (!b)
		goto out;
	b->vaddr = vaddr;
	b->insns = insns;
	for (j = 0; j < insns; j++)
		b->off[j] = qemu_plugin_insn_vaddr(
				qemu_plugin_tb_get_insn(tb, j)) - vaddr;
	b->next = tab.bucket[i];
	tab.bucket[i] = b;
	tab.nblocks++;
out:
	pthread_mutex_unlock(&tab.lock);
	return b;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct block *b = block_get(tb);

	(void)id;
	if (b)
		qemu_plugin_register_vcpu_tb_exec_inline(
			tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->execs, 1);
}

/* --- snapshots over the socket --- */

/*
 * Writes every counter to f. A guest that keeps running meanwhile would
 * have its blocks read at different moments (pause it first, as ukkv
 * profile does); the counters are copied in one quick pass before the
 * slow formatting all the same, to keep that spread small.
 */
static void snapshot(FILE *f)
{
	uint64_t *execs, j;
	struct block *b;
	size_t i, n = 0;

	pthread_mutex_lock(&tab.lock);
	execs = malloc((tab.nblocks + 1) * sizeof(*execs));
	if (!execs)
		goto out;
	for (i = 0; i < tab.nbuckets; i++)
		for (b = tab.bucket[i]; b; b = b->next)
			execs[n++] = __atomic_load_n(&b->execs,
						     __ATOMIC_RELAXED);
	n = 0;
	for (i = 0; i < tab.nbuckets; i++) {
		for (b = tab.bucket[i]; b; b = b->next, n++) {
			if (!execs[n])
				continue;
			fprintf(f, "%" PRIx64 " %" PRIu64, b->vaddr, execs[n]);
			for (j = 0; j < b->insns; j++)
				fprintf(f, " %" PRIx32, b->off[j]);
			fputc('\n', f);
		}
	}
	fputs("end\n", f);
	free(execs);
out:
	pthread_mutex_unlock(&tab.lock);
}

static void *serve(void *arg)
{
	FILE *f;
	int fd;

	(void)arg;
	for (;;) {
		fd = accept(listen_fd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL;
		}
		f = fdopen(fd, "w");
		if (!f) {
			close(fd);
			continue;
		}
		snapshot(f);
		fclose(f);
	}
}

static int listen_on(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	pthread_t t;

	if (strlen(path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, path);
	strcpy(sock_path, path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		return -1;
	unlink(path);
	if (bind(listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(listen_fd, 4) < 0)
		return -1;
	if (pthread_create(&t, NULL, serve, NULL))
		return -1;
	pthread_detach(t);
	return 0;
}

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
	(void)id;
	(void)userdata;
	if (sock_path[0])
		unlink(sock_path);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const struct qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;
	char msg[160];
	int i;

	(void)info;
	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "socket=", 7))
			path = argv[i] + 7;
	if (!path) {
		qemu_plugin_outs("tbcount: give socket=PATH\n");
		return -1;
	}
	if (listen_on(path) < 0) {
		snprintf(msg, sizeof(msg), "tbcount: socket %s: %s\n", path,
			 strerror(errno));
		qemu_plugin_outs(msg);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
