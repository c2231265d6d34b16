/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The KV core: an open-addressing hash table over a preallocated item
 * array, and memcached's UDP text protocol on top of it.
 *
 * Layout: the index is an array of 64-bit slots, each holding a 32-bit
 * hash tag and the number of an item (0: empty slot), probed linearly
 * and kept at most half full, so a lookup usually touches one index
 * cache line and then the item itself. Deletion shifts later entries
 * back instead of leaving tombstones, so probe lengths never degrade.
 * Items are fixed-size records, each starting a cache line, taken from
 * a free stack: nothing is allocated after kv_store_create(). Linux
 * builds put both arrays on huge pages (KV_HUGEPAGES): items sized for
 * a full datagram are sparse, and random lookups would otherwise miss
 * the TLB on nearly every hit (make bench-kvcore shows the difference).
 *
 * Every read of the request is bounded by its length (requests are not
 * NUL-terminated) and every write of the reply by its capacity.
 */
#include <stdlib.h>
#include <string.h>
#ifdef KV_HUGEPAGES
#include <sys/mman.h>
#endif

#include "csum.h"
#include "kv.h"
#include "mem.h"

#define KV_VERSION		"ukkv-1.0"
#define KV_HASH_MUL1		0x9e3779b97f4a7c15ULL
#define KV_HASH_MUL2		0xd6e8feb86659fd93ULL
#define KV_CACHE_LINE		64

/*
 * An item keeps the text of its get reply, as memcached keeps its
 * header line's suffix: data holds "VALUE <key> <flags> <bytes>", then
 * "\r\n<value>\r\n", so that a get copies one run of bytes and formats
 * no number; gets puts the cas unique before the first "\r\n". The
 * first get after a set sums the text for the checksum of the replies
 * that carry it, so that a packet front end does not read them again
 * (kv_handle_csum()); a set only marks the sum unknown.
 */
struct kv_item {
	uint64_t cas;
	uint32_t flags;		/* as rendered in the text */
	uint16_t klen;
	uint16_t vlen;
	uint16_t hlen;		/* "VALUE <key> <flags> <bytes>" */
	uint16_t sum;		/* csum_reduce() of the text, 0: unknown */
	uint16_t hlen_sum;	/* csum_reduce() of its first hlen bytes */
	uint8_t data[];
};

#define KV_VALUE_WORD		"VALUE "
#define KV_KEY_OFF		(sizeof(KV_VALUE_WORD) - 1)
/* An item's text beside key and value: the two spaces, flags (10
 * digits), length (4) and the two CRLFs
 */
#define KV_ITEM_TEXT		(KV_KEY_OFF + 2 + 10 + 4 + 4)

/* An allocation and the aligned block used inside it. */
struct kv_region {
	void *base;
	size_t len;
};

struct kv_store {
	uint64_t *slots;	/* tag << 32 | item number + 1, 0: empty */
	struct kv_region slots_mem, items_mem;
	uint32_t mask;		/* slot count - 1 */
	uint32_t capacity;
	uint32_t item_max;
	uint32_t amp_limit;
	size_t item_stride;
	uint8_t *items;
	uint32_t *free_items;	/* stack of unused item numbers */
	uint32_t nfree;
	uint64_t seed;
	uint64_t next_cas;
	struct kv_stats stats;
};

/* Reply under construction: writes past cap only set overflow. sums
 * add up the 16-bit checksum sums (csum.h) of what was put at even and
 * at odd offsets, with no carry to take care of, so that a put adds
 * its sum in one step.
 */
struct kv_reply {
	uint8_t *buf;
	size_t len;
	size_t cap;
	uint64_t sums[2];
	int overflow;
};

/* One text command, cut into space-separated tokens as memcached does. */
#define KV_TOKENS_MAX		8

struct kv_token {
	const uint8_t *p;
	size_t len;
};

/* ---- the table ---- */

static inline uint32_t kv_hash(const struct kv_store *s, const uint8_t *key,
			size_t len)
{
	uint64_t h = s->seed ^ (len * KV_HASH_MUL1);
	uint64_t v;

	while (len >= 8) {
		h = (h ^ kv_load64(key)) * KV_HASH_MUL1;
		h ^= h >> 29;
		key += 8;
		len -= 8;
	}
	/* the last 1 to 7 bytes in registers: two overlapping loads, or
	 * three bytes, tell apart every key of a given length
	 */
	if (len >= 4) {
		v = kv_load32(key) | (uint64_t)kv_load32(key + len - 4) << 32;
		h = (h ^ v) * KV_HASH_MUL1;
	} else if (len) {
		v = key[0] | (uint64_t)key[len / 2] << 8 |
		    (uint64_t)key[len - 1] << 16;
		h = (h ^ v) * KV_HASH_MUL1;
	}
	h ^= h >> 32;
	h *= KV_HASH_MUL2;
	h ^= h >> 29;
	return (uint32_t)h;
}

static struct kv_item *kv_item_at(const struct kv_store *s, uint32_t n)
{
	return (struct kv_item *)(s->items + (size_t)n * s->item_stride);
}

/* Returns the slot holding key, or -1 with *free_slot the empty slot
 * where it would go.
 */
static inline long kv_find(const struct kv_store *s, const uint8_t *key,
		    size_t klen, uint32_t tag, uint32_t *free_slot)
{
	uint32_t i = tag & s->mask;
	struct kv_item *it;
	uint64_t slot;

	for (;;) {
		slot = s->slots[i];
		if (!slot) {
			*free_slot = i;
			return -1;
		}
		if ((uint32_t)(slot >> 32) == tag) {
			it = kv_item_at(s, (uint32_t)slot - 1);
			if (it->klen == klen &&
			    kv_equal(it->data + KV_KEY_OFF, key, klen))
				return i;
		}
		i = (i + 1) & s->mask;
	}
}

static inline __attribute__((always_inline))
struct kv_item *kv_lookup(const struct kv_store *s, const uint8_t *key,
			  size_t klen)
{
	uint32_t free_slot;
	long i;

	i = kv_find(s, key, klen, kv_hash(s, key, klen), &free_slot);
	if (i < 0)
		return NULL;
	return kv_item_at(s, (uint32_t)s->slots[i] - 1);
}

/* Removes slot i, shifting later entries of its cluster back. */
static void kv_unlink(struct kv_store *s, uint32_t i)
{
	uint32_t j = i, home;
	uint64_t slot;

	s->free_items[s->nfree++] = (uint32_t)s->slots[i] - 1;
	s->stats.curr_items--;
	for (;;) {
		j = (j + 1) & s->mask;
		slot = s->slots[j];
		if (!slot)
			break;
		home = (uint32_t)(slot >> 32) & s->mask;
		/* move j back to i unless its home lies in (i, j] */
		if (((j - home) & s->mask) >= ((j - i) & s->mask)) {
			s->slots[i] = slot;
			i = j;
		}
	}
	s->slots[i] = 0;
}

/* Writes v in decimal at out, at most 20 bytes; returns its length. */
static size_t fmt_u64(uint8_t *out, uint64_t v)
{
	uint8_t tmp[20];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = (uint8_t)('0' + v % 10);
		v /= 10;
	} while (v);
	kv_copy(out, tmp + n, sizeof(tmp) - n);
	return sizeof(tmp) - n;
}

/* Writes the value into an item whose text already says its length */
static void kv_fill_value(struct kv_store *s, struct kv_item *it,
			  const uint8_t *val, size_t vlen)
{
	it->cas = s->next_cas++;
	it->sum = 0;
	kv_copy(it->data + it->hlen + 2, val, vlen);
}

static void kv_fill(struct kv_store *s, struct kv_item *it,
		    const uint8_t *key, size_t klen, const uint8_t *val,
		    size_t vlen, uint32_t flags)
{
	uint8_t *p = it->data;

	it->flags = flags;
	it->klen = (uint16_t)klen;
	it->vlen = (uint16_t)vlen;
	kv_copy(p, KV_VALUE_WORD, KV_KEY_OFF);
	p += KV_KEY_OFF;
	kv_copy(p, key, klen);
	p += klen;
	*p++ = ' ';
	p += fmt_u64(p, flags);
	*p++ = ' ';
	p += fmt_u64(p, vlen);
	it->hlen = (uint16_t)(p - it->data);
	it->hlen_sum = csum_reduce(csum_partial(it->data, it->hlen, 0));
	kv_copy(p, "\r\n", 2);
	kv_copy(p + 2 + vlen, "\r\n", 2);
	kv_fill_value(s, it, val, vlen);
}

enum kv_store_mode { KV_SET, KV_ADD, KV_REPLACE, KV_CAS };

enum kv_store_result {
	KV_STORED, KV_NOT_STORED, KV_EXISTS, KV_NOT_FOUND, KV_NO_MEMORY
};

/* A negative exptime stores an item that is already expired: as
 * memcached, the command succeeds and leaves no item behind.
 */
static enum kv_store_result kv_store_item(struct kv_store *s,
					  enum kv_store_mode mode,
					  const uint8_t *key, size_t klen,
					  const uint8_t *val, size_t vlen,
					  uint32_t flags, int expired,
					  uint64_t cas)
{
	uint32_t tag = kv_hash(s, key, klen), free_slot, n;
	long i = kv_find(s, key, klen, tag, &free_slot);
	struct kv_item *it;

	if (i >= 0) {
		it = kv_item_at(s, (uint32_t)s->slots[i] - 1);
		if (mode == KV_ADD)
			return KV_NOT_STORED;
		if (mode == KV_CAS && it->cas != cas)
			return KV_EXISTS;
		if (expired)
			kv_unlink(s, (uint32_t)i);
		else if (it->flags == flags && it->vlen == vlen)
			/* the same key, flags and length: the same text */
			kv_fill_value(s, it, val, vlen);
		else
			kv_fill(s, it, key, klen, val, vlen, flags);
		return KV_STORED;
	}
	if (mode == KV_REPLACE)
		return KV_NOT_STORED;
	if (mode == KV_CAS)
		return KV_NOT_FOUND;
	if (expired)
		return KV_STORED;
	if (!s->nfree)
		return KV_NO_MEMORY;
	n = s->free_items[--s->nfree];
	kv_fill(s, kv_item_at(s, n), key, klen, val, vlen, flags);
	s->slots[free_slot] = (uint64_t)tag << 32 | (n + 1);
	s->stats.curr_items++;
	return KV_STORED;
}

/*
 * Zeroed, aligned memory for the index and the items. Where the build
 * asks for it (KV_HUGEPAGES, Linux), it is mapped on a huge page boundary
 * and advised onto huge pages: random lookups then miss the TLB far
 * less. Either way pages are only backed once touched.
 */
#ifdef KV_HUGEPAGES
#define KV_ALIGN		(2ul << 20)
#else
#define KV_ALIGN		KV_CACHE_LINE
#endif

static void *kv_alloc(struct kv_region *r, size_t size)
{
	uintptr_t p;

	r->len = size + KV_ALIGN;
#ifdef KV_HUGEPAGES
	r->base = mmap(NULL, r->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->base == MAP_FAILED)
		r->base = NULL;
#else
	r->base = calloc(1, r->len);
#endif
	if (!r->base)
		return NULL;
	p = ((uintptr_t)r->base + KV_ALIGN - 1) & ~(uintptr_t)(KV_ALIGN - 1);
#ifdef KV_HUGEPAGES
	madvise((void *)p, size, MADV_HUGEPAGE);
#endif
	return (void *)p;
}

static void kv_free(struct kv_region *r)
{
	if (!r->base)
		return;
#ifdef KV_HUGEPAGES
	munmap(r->base, r->len);
#else
	free(r->base);
#endif
}

/* An item starts a cache line: a small one is a single line */
static size_t item_stride(uint32_t item_max)
{
	return (sizeof(struct kv_item) + KV_ITEM_TEXT + item_max +
		KV_CACHE_LINE - 1) &
	       ~(size_t)(KV_CACHE_LINE - 1);
}

size_t kv_items_bytes(uint32_t capacity, uint32_t item_max)
{
	return (size_t)capacity * item_stride(item_max ? item_max : KV_ITEM_MAX)
	       + KV_ALIGN;
}

uint32_t kv_capacity_for(size_t bytes, uint32_t item_max)
{
	size_t n;

	if (bytes <= KV_ALIGN)
		return 0;
	n = (bytes - KV_ALIGN) / item_stride(item_max ? item_max : KV_ITEM_MAX);
	return n > KV_CAPACITY_MAX ? KV_CAPACITY_MAX : (uint32_t)n;
}

struct kv_store *kv_store_create(const struct kv_config *cfg)
{
	struct kv_store *s;
	uint32_t nslots = 2, item_max, i;

	if (!cfg || !cfg->capacity || cfg->capacity > KV_CAPACITY_MAX ||
	    cfg->item_max > KV_ITEM_MAX)
		return NULL;
	item_max = cfg->item_max ? cfg->item_max : KV_ITEM_MAX;
	/* at most half full keeps linear probes short */
	while (nslots < 2 * cfg->capacity)
		nslots *= 2;

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->capacity = cfg->capacity;
	s->item_max = item_max;
	s->amp_limit = cfg->amp_limit ? cfg->amp_limit : KV_AMP_LIMIT_DEFAULT;
	s->seed = cfg->hash_seed;
	s->next_cas = 1;
	s->mask = nslots - 1;
	s->item_stride = item_stride(item_max);
	s->slots = kv_alloc(&s->slots_mem, (size_t)nslots * sizeof(*s->slots));
	s->items = kv_alloc(&s->items_mem,
			    (size_t)cfg->capacity * s->item_stride);
	s->free_items = calloc(cfg->capacity, sizeof(*s->free_items));
	if (!s->slots || !s->items || !s->free_items) {
		kv_store_destroy(s);
		return NULL;
	}
	/* hand out low item numbers first: a small table stays compact */
	for (i = 0; i < cfg->capacity; i++)
		s->free_items[i] = cfg->capacity - 1 - i;
	s->nfree = cfg->capacity;
	return s;
}

void kv_store_destroy(struct kv_store *s)
{
	if (!s)
		return;
	kv_free(&s->slots_mem);
	kv_free(&s->items_mem);
	free(s->free_items);
	free(s);
}

const struct kv_stats *kv_get_stats(const struct kv_store *s)
{
	return &s->stats;
}

/* ---- preload ---- */

int kv_preload_key(uint32_t i, char *buf, size_t cap)
{
	char digits[10];
	int n = 0, len;

	do {
		digits[n++] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	len = 4 + n;
	if (!buf || cap < (size_t)len + 1)
		return -1;
	memcpy(buf, "key:", 4);
	while (n)
		buf[len - n] = digits[n - 1], n--;
	buf[len] = '\0';
	return len;
}

void kv_preload_value(uint32_t i, uint8_t *buf, size_t len)
{
	size_t j;

	for (j = 0; j < len; j++)
		buf[j] = (uint8_t)('a' + (i + j) % 26);
}

int kv_preload(struct kv_store *s, uint32_t n, uint32_t value_size)
{
	uint8_t val[KV_ITEM_MAX];
	char key[16];
	int klen;
	uint32_t i;

	if (n > s->capacity - s->stats.curr_items)
		return -1;
	if (n == 0)
		return 0;
	/* the longest key is the last one */
	klen = kv_preload_key(n - 1, key, sizeof(key));
	if (value_size > (uint32_t)KV_VALUE_MAX(klen) ||
	    klen + value_size > s->item_max)
		return -1;
	for (i = 0; i < n; i++) {
		klen = kv_preload_key(i, key, sizeof(key));
		kv_preload_value(i, val, value_size);
		if (kv_store_item(s, KV_SET, (const uint8_t *)key,
				  (size_t)klen, val, value_size, 0, 0, 0)
		    != KV_STORED)
			return -1;
	}
	return 0;
}

/* ---- reply building ---- */

/* Appends len bytes at p whose checksum sum is sum. Always inline: a
 * get's reply is copied with no call.
 */
static inline __attribute__((always_inline))
void put_summed(struct kv_reply *r, const void *p, size_t len, uint16_t sum)
{
	if (len > r->cap - r->len) {
		r->overflow = 1;
		return;
	}
	kv_copy(r->buf + r->len, p, len);
	r->sums[r->len & 1] += sum;
	r->len += len;
}

static void put(struct kv_reply *r, const void *p, size_t len)
{
	put_summed(r, p, len, csum_reduce(csum_partial(p, len, 0)));
}

/* Cuts the reply back to len bytes, summed again (not on a hot path) */
static void reply_cut(struct kv_reply *r, size_t len)
{
	r->len = len;
	r->sums[0] = csum_reduce(csum_partial(r->buf, len, 0));
	r->sums[1] = 0;
}

/* A constant string, with its sum worked out by the compiler */
#define PUT_STR(r, str)							\
	put_summed((r), (str), sizeof(str) - 1,				\
		   csum_reduce(csum_partial((const uint8_t *)(str),	\
					    sizeof(str) - 1, 0)))

static void put_u64(struct kv_reply *r, uint64_t v)
{
	uint8_t tmp[20];

	put(r, tmp, fmt_u64(tmp, v));
}

/* The sum of an item's text of len bytes, summed at the first get */
static inline uint16_t item_sum(struct kv_item *it, size_t len)
{
	/* text that sums to 0 mod 0xffff folds to 0xffff, never 0 */
	if (!it->sum)
		it->sum = csum_reduce(csum_partial(it->data, len, 0));
	return it->sum;
}

/* Without summed, the reply's sums are left wrong: nobody reads them */
static inline __attribute__((always_inline))
void put_value(struct kv_reply *r, struct kv_item *it, int with_cas,
	       int summed)
{
	/* "\r\n<value>\r\n" */
	size_t tail = 2 + (size_t)it->vlen + 2;
	uint64_t tail_sum = 0;
	uint8_t cas[21];

	if (!with_cas) {
		put_summed(r, it->data, it->hlen + tail,
			   summed ? item_sum(it, it->hlen + tail) : 0);
		return;
	}
	/* the text's sum less its first hlen bytes', where the tail lies */
	if (summed)
		tail_sum = csum_at((uint64_t)item_sum(it, it->hlen + tail) +
				   (uint16_t)~it->hlen_sum, it->hlen);
	put_summed(r, it->data, it->hlen, it->hlen_sum);
	/* " <cas unique>" in one piece */
	cas[0] = ' ';
	put(r, cas, 1 + fmt_u64(cas + 1, it->cas));
	put_summed(r, it->data + it->hlen, tail, csum_reduce(tail_sum));
}

static void put_stat(struct kv_reply *r, const char *name, uint64_t v)
{
	PUT_STR(r, "STAT ");
	put(r, name, strlen(name));
	PUT_STR(r, " ");
	put_u64(r, v);
	PUT_STR(r, "\r\n");
}

/* ---- parsing ---- */

static int tok_is(const struct kv_token *t, const char *word)
{
	size_t len = strlen(word);

	return t->len == len && !memcmp(t->p, word, len);
}

/* Parses a decimal number of at most max; a leading '-' only if neg. */
static int tok_num(const struct kv_token *t, uint64_t max, int allow_neg,
		   uint64_t *v, int *neg)
{
	size_t i = 0;
	uint64_t n = 0, d;

	*neg = 0;
	if (allow_neg && t->len && t->p[0] == '-') {
		*neg = 1;
		i = 1;
	}
	if (i == t->len)
		return -1;
	for (; i < t->len; i++) {
		/* a byte below '0' wraps above 9 */
		d = (uint64_t)t->p[i] - '0';
		/* overflow checks rather than a division a digit */
		if (d > 9 || __builtin_mul_overflow(n, 10, &n) ||
		    __builtin_add_overflow(n, d, &n) || n > max)
			return -1;
	}
	*v = n;
	return 0;
}

/* Where the word starting at p[i] ends: the next space, or len */
static size_t word_end(const uint8_t *p, size_t i, size_t len)
{
	const uint8_t *space = kv_find_byte(p + i, len - i, ' ');

	return space ? (size_t)(space - p) : len;
}

/* Splits line into at most max tokens; returns their count, or max + 1
 * when there are more.
 */
static int tokenize(const uint8_t *p, size_t len, struct kv_token *tok,
		    int max)
{
	size_t i = 0, start;
	int n = 0;

	for (;;) {
		while (i < len && p[i] == ' ')
			i++;
		if (i == len)
			return n;
		if (n == max)
			return max + 1;
		start = i;
		i = word_end(p, i, len);
		tok[n].p = p + start;
		tok[n].len = i - start;
		n++;
	}
}

/* ---- commands ---- */

enum kv_next { KV_CONTINUE, KV_STOP };

static const char *const err_line = "CLIENT_ERROR bad command line format";

static enum kv_next reply_error(struct kv_store *s, struct kv_reply *r,
				const char *msg)
{
	s->stats.errors++;
	put(r, msg, strlen(msg));
	PUT_STR(r, "\r\n");
	return KV_STOP;
}

/* get/gets walk the keys in place: a multi-key get is not bounded by
 * the token array. Inline: a get, the most common request, makes no
 * call, and a caller that needs no sum does not pay for it.
 */
static inline __attribute__((always_inline))
enum kv_next cmd_get(struct kv_store *s, struct kv_reply *r,
		     const uint8_t *p, size_t len, int with_cas, int summed)
{
	size_t i = 0, start, mark = r->len;
	struct kv_item *it;
	int nkeys = 0;

	for (;;) {
		while (i < len && p[i] == ' ')
			i++;
		if (i == len)
			break;
		start = i;
		i = word_end(p, i, len);
		if (i - start > KV_KEY_MAX) {
			reply_cut(r, mark);
			return reply_error(s, r, err_line);
		}
		nkeys++;
		s->stats.cmd_get++;
		it = kv_lookup(s, p + start, i - start);
		if (!it) {
			s->stats.get_misses++;
			continue;
		}
		s->stats.get_hits++;
		put_value(r, it, with_cas, summed);
	}
	if (!nkeys) {
		reply_cut(r, mark);
		return reply_error(s, r, "ERROR");
	}
	PUT_STR(r, "END\r\n");
	return KV_CONTINUE;
}

static enum kv_next cmd_delete(struct kv_store *s, struct kv_reply *r,
			       const struct kv_token *tok, int ntok)
{
	uint32_t tag, free_slot;
	int noreply = 0;
	long i;

	/* "delete <key> [0] [noreply]": a time other than 0 is refused */
	if (ntok > 2 && tok_is(&tok[ntok - 1], "noreply")) {
		noreply = 1;
		ntok--;
	}
	if (ntok > 3 || (ntok == 3 && !tok_is(&tok[2], "0")))
		return reply_error(s, r, "CLIENT_ERROR bad command line format."
				   "  Usage: delete <key> [noreply]");
	if (tok[1].len > KV_KEY_MAX)
		return reply_error(s, r, err_line);
	s->stats.cmd_delete++;
	tag = kv_hash(s, tok[1].p, tok[1].len);
	i = kv_find(s, tok[1].p, tok[1].len, tag, &free_slot);
	if (i >= 0)
		kv_unlink(s, (uint32_t)i);
	if (!noreply) {
		if (i >= 0)
			PUT_STR(r, "DELETED\r\n");
		else
			PUT_STR(r, "NOT_FOUND\r\n");
	}
	return KV_CONTINUE;
}

/* Constant strings: a set's reply needs no strlen() and no summing */
static void put_result(struct kv_reply *r, enum kv_store_result res)
{
	switch (res) {
	case KV_STORED:
		PUT_STR(r, "STORED\r\n");
		break;
	case KV_NOT_STORED:
		PUT_STR(r, "NOT_STORED\r\n");
		break;
	case KV_EXISTS:
		PUT_STR(r, "EXISTS\r\n");
		break;
	default:
		PUT_STR(r, "NOT_FOUND\r\n");
		break;
	}
}

/* Storage commands: "<cmd> <key> <flags> <exptime> <bytes> [noreply]",
 * cas with "<cas unique>" before noreply; the data block follows the
 * command line. *pos is moved past the data block.
 */
static enum kv_next cmd_store(struct kv_store *s, struct kv_reply *r,
			      enum kv_store_mode mode,
			      const struct kv_token *tok, int ntok,
			      const uint8_t *in, size_t inlen, size_t *pos)
{
	int nargs = mode == KV_CAS ? 6 : 5, neg, expired, noreply;
	uint64_t flags, exptime, vlen, cas = 0;
	enum kv_store_result res;
	const uint8_t *val;

	/* as memcached, one more token is allowed and only "noreply" counts */
	if (ntok != nargs && ntok != nargs + 1)
		return reply_error(s, r, "ERROR");
	noreply = ntok == nargs + 1 && tok_is(&tok[nargs], "noreply");
	if (tok[1].len > KV_KEY_MAX ||
	    tok_num(&tok[2], UINT32_MAX, 0, &flags, &neg) ||
	    tok_num(&tok[3], INT64_MAX, 1, &exptime, &expired) ||
	    tok_num(&tok[4], INT32_MAX, 0, &vlen, &neg) ||
	    (mode == KV_CAS && tok_num(&tok[5], UINT64_MAX, 0, &cas, &neg)))
		return reply_error(s, r, err_line);
	s->stats.cmd_set++;
	if (vlen > KV_VALUE_MAX(tok[1].len) ||
	    tok[1].len + vlen > s->item_max)
		return reply_error(s, r,
				   "SERVER_ERROR object too large for cache");
	if (inlen - *pos < vlen + 2 || in[*pos + vlen] != '\r' ||
	    in[*pos + vlen + 1] != '\n')
		return reply_error(s, r, "CLIENT_ERROR bad data chunk");
	val = in + *pos;
	*pos += vlen + 2;
	res = kv_store_item(s, mode, tok[1].p, tok[1].len, val, vlen,
			    (uint32_t)flags, expired && exptime, cas);
	if (res == KV_NO_MEMORY)
		return reply_error(s, r,
				   "SERVER_ERROR out of memory storing object");
	if (!noreply)
		put_result(r, res);
	return KV_CONTINUE;
}

static enum kv_next cmd_stats(struct kv_store *s, struct kv_reply *r)
{
	const struct kv_stats *st = &s->stats;

	PUT_STR(r, "STAT version " KV_VERSION "\r\n");
	put_stat(r, "curr_items", st->curr_items);
	put_stat(r, "limit_maxitems", s->capacity);
	put_stat(r, "cmd_get", st->cmd_get);
	put_stat(r, "cmd_set", st->cmd_set);
	put_stat(r, "cmd_delete", st->cmd_delete);
	put_stat(r, "get_hits", st->get_hits);
	put_stat(r, "get_misses", st->get_misses);
	put_stat(r, "errors", st->errors);
	put_stat(r, "amp_refused", st->amp_refused);
	put_stat(r, "dropped", st->dropped);
	put_stat(r, "bytes_read", st->bytes_read);
	put_stat(r, "bytes_written", st->bytes_written);
	PUT_STR(r, "END\r\n");
	return KV_CONTINUE;
}

/*
 * Where the keys start when line is a get or gets (after spaces, if
 * any), *with_cas set for gets, or 0: line holds another command.
 */
static inline __attribute__((always_inline))
size_t get_keys(const uint8_t *line, size_t len, int *with_cas)
{
	size_t i = 0, end;

	/* the hot path first: no spaces before */
	*with_cas = 0;
	if (len >= 4 && !memcmp(line, "get ", 4))
		return 4;
	*with_cas = 1;
	if (len >= 5 && !memcmp(line, "gets ", 5))
		return 5;
	/* otherwise only spaces before, or no keys at all, make a get */
	if (len > 4 && line[0] != ' ')
		return 0;
	while (i < len && line[i] == ' ')
		i++;
	end = word_end(line, i, len);
	*with_cas = end - i == 4;
	if ((end - i == 3 && !memcmp(line + i, "get", 3)) ||
	    (end - i == 4 && !memcmp(line + i, "gets", 4)))
		return end;
	return 0;
}

/* Runs a command other than get or gets, the line cut into tokens */
static enum kv_next kv_token_command(struct kv_store *s, struct kv_reply *r,
				     const uint8_t *line, size_t len,
				     const uint8_t *in, size_t inlen,
				     size_t *pos)
{
	struct kv_token tok[KV_TOKENS_MAX];
	int ntok;

	ntok = tokenize(line, len, tok, KV_TOKENS_MAX);
	if (ntok == 0 || ntok > KV_TOKENS_MAX)
		return reply_error(s, r, "ERROR");
	if (tok_is(&tok[0], "set"))
		return cmd_store(s, r, KV_SET, tok, ntok, in, inlen, pos);
	if (tok_is(&tok[0], "add"))
		return cmd_store(s, r, KV_ADD, tok, ntok, in, inlen, pos);
	if (tok_is(&tok[0], "replace"))
		return cmd_store(s, r, KV_REPLACE, tok, ntok, in, inlen, pos);
	if (tok_is(&tok[0], "cas"))
		return cmd_store(s, r, KV_CAS, tok, ntok, in, inlen, pos);
	if (tok_is(&tok[0], "delete") && ntok >= 2)
		return cmd_delete(s, r, tok, ntok);
	/* as memcached, version ignores any arguments */
	if (tok_is(&tok[0], "version")) {
		PUT_STR(r, "VERSION " KV_VERSION "\r\n");
		return KV_CONTINUE;
	}
	if (tok_is(&tok[0], "stats") && ntok == 1)
		return cmd_stats(s, r);
	return reply_error(s, r, "ERROR");
}

/* Runs the command whose line is in[*pos, eol) and moves *pos past it
 * (and past its data block).
 */
static inline __attribute__((always_inline))
enum kv_next kv_command(struct kv_store *s, struct kv_reply *r,
			const uint8_t *in, size_t inlen, size_t *pos,
			size_t eol, int summed)
{
	const uint8_t *line = in + *pos;
	size_t len = eol - *pos, keys;
	int with_cas;

	*pos = eol + 1;
	if (len && line[len - 1] == '\r')
		len--;
	/* a get's keys are walked in place, not bounded by a token array */
	keys = get_keys(line, len, &with_cas);
	if (keys)
		return cmd_get(s, r, line + keys, len - keys, with_cas,
			       summed);
	return kv_token_command(s, r, line, len, in, inlen, pos);
}

/* Replaces whatever was built after the frame header with one error. */
static void reply_replace(struct kv_reply *r, const char *msg)
{
	reply_cut(r, KV_FRAME_HDR_LEN);
	r->overflow = 0;
	put(r, msg, strlen(msg));
}

/*
 * kv_handle() and kv_handle_csum() in one, inlined into each: summed, a
 * constant there, drops the sum's work from the first, which front ends
 * with a socket use.
 */
static inline __attribute__((always_inline))
size_t handle(struct kv_store *s, const uint8_t *in, size_t inlen,
	      uint8_t *out, size_t outcap, int summed, uint64_t *sum)
{
	struct kv_reply r = {
		.buf = out,
		.cap = outcap < KV_DATAGRAM_MAX ? outcap : KV_DATAGRAM_MAX,
	};
	size_t pos = KV_FRAME_HDR_LEN;
	const uint8_t *nl;

	s->stats.bytes_read += inlen;
	/* as memcached: no command, or a request in several datagrams,
	 * cannot be answered
	 */
	if (inlen <= KV_FRAME_HDR_LEN || kv_load16(in + 4) != csum_net16(1) ||
	    r.cap < KV_FRAME_HDR_LEN) {
		s->stats.dropped++;
		return 0;
	}
	/* echo the request id; sequence 0 of 1 datagram, in 16-bit words
	 * in network order
	 */
	kv_store16(out, kv_load16(in));
	kv_store16(out + 2, 0);
	kv_store16(out + 4, csum_net16(1));
	kv_store16(out + 6, 0);
	r.len = KV_FRAME_HDR_LEN;
	r.sums[0] = (uint64_t)kv_load16(in) + csum_net16(1);

	while (pos < inlen) {
		/* an unterminated line is a request memcached waits on */
		nl = kv_find_byte(in + pos, inlen - pos, '\n');
		if (!nl) {
			if (r.len == KV_FRAME_HDR_LEN) {
				s->stats.dropped++;
				return 0;
			}
			break;
		}
		if (kv_command(s, &r, in, inlen, &pos, (size_t)(nl - in),
			       summed) == KV_STOP || r.overflow)
			break;
	}
	/* one datagram carries the whole reply or only this error */
	if (r.overflow) {
		s->stats.errors++;
		reply_replace(&r, "SERVER_ERROR out of memory writing get "
			      "response\r\n");
		if (r.overflow) {
			s->stats.dropped++;
			return 0;
		}
	}
	if (r.len == KV_FRAME_HDR_LEN)
		return 0;
	/* a reply far larger than its request would make us an amplifier */
	if (r.len > (uint64_t)s->amp_limit * inlen) {
		s->stats.amp_refused++;
		s->stats.errors++;
		reply_replace(&r, "SERVER_ERROR reply refused: larger than "
			      "the amplification limit\r\n");
		if (r.overflow || r.len > (uint64_t)s->amp_limit * inlen) {
			s->stats.dropped++;
			return 0;
		}
	}
	s->stats.bytes_written += r.len;
	if (summed && sum)
		*sum = r.sums[0] + csum_at(r.sums[1], 1);
	return r.len;
}

size_t kv_handle_csum(struct kv_store *s, const uint8_t *in, size_t inlen,
		      uint8_t *out, size_t outcap, uint64_t *sum)
{
	return handle(s, in, inlen, out, outcap, 1, sum);
}

size_t kv_handle(struct kv_store *s, const uint8_t *in, size_t inlen,
		 uint8_t *out, size_t outcap)
{
	return handle(s, in, inlen, out, outcap, 0, NULL);
}
