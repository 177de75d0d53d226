// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bitwise CRC-32: no table, because the boot ROM has 16 KiB and checks a
 * few KiB once per boot.
 */
#include "crc32.h"

uint32_t ar_crc32_update(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;
	int bit;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1u));
	}
	return ~crc;
}
