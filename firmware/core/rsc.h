/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Resource table entries in the layout Linux's remoteproc core parses
 * (include/linux/rsc_table.h). Each entry struct here starts with the
 * 32-bit type word that the table's offsets point at. All fields are
 * little-endian; both the Cortex-M4 and the hosts we test on are.
 */
#ifndef AR_RSC_H
#define AR_RSC_H

#include <stdint.h>
#include <amprelay/platform.h>

/* Virtio device status bits Linux writes into the vdev entry. */
#define AR_VIRTIO_STATUS_DRIVER_OK	0x04

struct ar_rsc_table_hdr {
	uint32_t ver;
	uint32_t num;
	uint32_t reserved[2];
	/* followed by uint32_t offset[num] */
};

struct ar_rsc_vring {
	uint32_t da;		/* written by Linux before the vdev starts */
	uint32_t align;
	uint32_t num;
	uint32_t notifyid;	/* written by Linux */
	uint32_t pa;
};

struct ar_rsc_vdev {
	uint32_t type;		/* AR_RSC_VDEV */
	uint32_t id;
	uint32_t notifyid;
	uint32_t dfeatures;
	uint32_t gfeatures;	/* written by Linux */
	uint32_t config_len;
	uint8_t status;		/* written by Linux: virtio device status */
	uint8_t num_of_vrings;
	uint8_t reserved[2];
	struct ar_rsc_vring vring[2];
};

struct ar_rsc_trace {
	uint32_t type;		/* AR_RSC_TRACE */
	uint32_t da;
	uint32_t len;
	uint32_t reserved;
	char name[32];
};

struct ar_rsc_vendor_crash {
	uint32_t type;		/* AR_RSC_VENDOR_CRASH */
	struct ar_rsc_crash crash;
};

_Static_assert(sizeof(struct ar_rsc_table_hdr) == 16, "rsc header layout");
_Static_assert(sizeof(struct ar_rsc_vring) == 20, "fw_rsc_vdev_vring layout");
_Static_assert(sizeof(struct ar_rsc_vdev) == 4 + 24 + 2 * 20, "fw_rsc_vdev layout");
_Static_assert(sizeof(struct ar_rsc_trace) == 4 + 44, "fw_rsc_trace layout");
_Static_assert(sizeof(struct ar_rsc_vendor_crash) == 4 + 44, "crash entry layout");

#endif /* AR_RSC_H */
