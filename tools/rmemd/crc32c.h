/* SPDX-License-Identifier: GPL-2.0 */
/* CRC-32C (Castagnoli) as the rswap protocol defines it: reflected
 * polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF. */
#ifndef RMEMD_CRC32C_H
#define RMEMD_CRC32C_H
#include <stddef.h>
#include <stdint.h>

/* The standard CRC-32C of buf[0..len): crc32c("123456789") == 0xE3069283. */
uint32_t crc32c(const void *buf, size_t len);

/* Incremental form: state starts at 0xFFFFFFFF, result is ~state. */
uint32_t crc32c_update(uint32_t state, const void *buf, size_t len);

#endif
