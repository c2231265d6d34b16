/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mem.h against the C library, at every length up to a few words and at
 * every alignment. Each buffer is its own allocation of exactly the
 * bytes under test, so ASan fails any read or write beyond them.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mem.h"

#define MAX_LEN		70

static uint8_t *filled(size_t n, unsigned int seed)
{
	uint8_t *p = malloc(n ? n : 1);
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7);
	return p;
}

static void test_copy(void)
{
	size_t n, off;
	uint8_t *src, *dst;

	for (n = 0; n <= MAX_LEN; n++) {
		for (off = 0; off < 8; off++) {
			src = filled(n + off, (unsigned int)n);
			dst = calloc(1, n + off + 1);
			dst[n + off] = 0xee;
			kv_copy(dst + off, src + off, n);
			CHECK(!memcmp(dst + off, src + off, n));
			/* nothing before or after the n bytes is touched */
			CHECK(off == 0 || dst[off - 1] == 0);
			CHECK(dst[n + off] == 0xee);
			free(src);
			free(dst);
		}
	}
}

static void test_equal(void)
{
	size_t n, i;
	uint8_t *a, *b;

	for (n = 0; n <= MAX_LEN; n++) {
		a = filled(n, 3);
		b = filled(n, 3);
		CHECK(kv_equal(a, b, n));
		/* a difference at any one byte is seen */
		for (i = 0; i < n; i++) {
			b[i] ^= 0x20;
			CHECK(!kv_equal(a, b, n));
			CHECK(!kv_equal(b, a, n));
			b[i] ^= 0x20;
		}
		free(a);
		free(b);
	}
}

static uint8_t background(size_t i)
{
	return i % 2 ? 0x0b : 0x8a;
}

static void test_find_byte(void)
{
	size_t n, at, i;
	uint8_t *p;

	for (n = 0; n <= MAX_LEN; n++) {
		p = malloc(n ? n : 1);
		/* bytes next to '\n' in value, to trip a sloppy word test */
		for (i = 0; i < n; i++)
			p[i] = background(i);
		CHECK(kv_find_byte(p, n, '\n') == NULL);
		/* a word's bytes past a short buffer never match, 0 neither */
		CHECK(kv_find_byte(p, n, 0) == NULL);
		for (at = 0; at < n; at++) {
			p[at] = '\n';
			CHECK(kv_find_byte(p, n, '\n') == p + at);
			CHECK(kv_find_byte(p, n, '\n') == memchr(p, '\n', n));
			/* a later match does not hide the first, nor
			 * one next to it, whose borrow flags the byte above
			 */
			if (at + 1 < n) {
				p[at + 1] = '\n';
				CHECK(kv_find_byte(p, n, '\n') == p + at);
				p[at + 1] = background(at + 1);
			}
			if (at + 3 < n) {
				p[at + 3] = '\n';
				CHECK(kv_find_byte(p, n, '\n') == p + at);
				p[at + 3] = background(at + 3);
			}
			p[at] = background(at);
		}
		CHECK(n == 0 || kv_find_byte(p, n, 0x8a) == p);
		CHECK(n < 2 || kv_find_byte(p, n, 0x0b) == p + 1);
		free(p);
	}
}

int main(void)
{
	test_copy();
	test_equal();
	test_find_byte();
	return check_report("mem_test");
}
