// SPDX-License-Identifier: GPL-2.0
/* CRC-32C: the SSE4.2 crc32 instruction where the CPU has it, else a
 * table, one byte at a time (built on first use). */
#include "crc32c.h"

#include <pthread.h>
#include <string.h>

#define POLY 0x82F63B78u

static uint32_t table[256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ ((c & 1) ? POLY : 0);
		table[i] = c;
	}
}

static uint32_t update_table(uint32_t crc, const unsigned char *p, size_t len)
{
	pthread_once(&table_once, table_init);
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__)
#include <nmmintrin.h>

__attribute__((target("sse4.2")))
static uint32_t update_hw(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t c = crc;

	while (len && ((uintptr_t)p & 7)) {
		c = _mm_crc32_u8((uint32_t)c, *p++);
		len--;
	}
	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		c = _mm_crc32_u64(c, v);
		p += 8;
		len -= 8;
	}
	while (len--)
		c = _mm_crc32_u8((uint32_t)c, *p++);
	return (uint32_t)c;
}

static int have_hw(void)
{
	static int have = -1;

	if (have < 0) {
		__builtin_cpu_init();
		have = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	}
	return have;
}
#endif

uint32_t crc32c_update(uint32_t state, const void *buf, size_t len)
{
#if defined(__x86_64__)
	if (have_hw())
		return update_hw(state, buf, len);
#endif
	return update_table(state, buf, len);
}

uint32_t crc32c(const void *buf, size_t len)
{
	if (!len)
		return 0;
	return ~crc32c_update(0xFFFFFFFFu, buf, len);
}
