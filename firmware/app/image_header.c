// SPDX-License-Identifier: GPL-2.0-only
/*
 * The image header, first bytes of the firmware load area. Only the
 * fixed fields are set here; fwimage fills in addresses, sizes and CRCs
 * after linking.
 */
#include <amprelay/platform.h>

const struct ar_image_header ar_image_header
	__attribute__((section(".image_header"), used)) = {
	.magic = AR_IMAGE_MAGIC,
	.version = AR_IMAGE_VERSION,
	.header_size = sizeof(struct ar_image_header),
};
