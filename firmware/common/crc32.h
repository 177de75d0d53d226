/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CRC-32/ISO-HDLC (reflected polynomial 0xEDB88320, init and final xor
 * 0xFFFFFFFF), the checksum of the image header. One implementation,
 * compiled into both the boot ROM and the host tool fwimage, so the two
 * can never disagree.
 */
#ifndef AR_CRC32_H
#define AR_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Start with crc = 0; feed pieces in order; the result is the CRC so far. */
uint32_t ar_crc32_update(uint32_t crc, const void *data, size_t len);

static inline uint32_t ar_crc32(const void *data, size_t len)
{
	return ar_crc32_update(0, data, len);
}

#endif /* AR_CRC32_H */
