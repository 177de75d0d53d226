/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The firmware's resource table, in section .resource_table where Linux
 * finds it (by section address, so it is linked at its load address in
 * the window). Linux writes the vring addresses, notify ids, negotiated
 * features and the vdev status into the loaded copy.
 */
#ifndef AR_RSC_TABLE_H
#define AR_RSC_TABLE_H

#include <amprelay/platform.h>
#include "core/rsc.h"

#define AR_FW_RSC_NUM	3

struct ar_fw_rsc_table {
	struct ar_rsc_table_hdr hdr;
	uint32_t offset[AR_FW_RSC_NUM];
	struct ar_rsc_vdev vdev;
	struct ar_rsc_trace trace;
	struct ar_rsc_vendor_crash crash;
};

extern volatile struct ar_fw_rsc_table ar_rsc_table;

/*
 * Initialiser of the rpmsg core's struct ar_rpmsg_config for this window:
 * vdev is the vdev entry of the loaded table (the firmware's own, or a
 * host test's copy in its simulated window).
 */
#define AR_FW_RPMSG_CONFIG(vdev_entry) { \
	.vdev = (vdev_entry), \
	.vring_da = { \
		AR_WIN_REMOTE_DA + AR_VRING0_OFF, \
		AR_WIN_REMOTE_DA + AR_VRING1_OFF, \
	}, \
	.vring_region_size = AR_VRING_REGION_SIZE, \
	.vring_num = AR_VRING_NUM, \
	.vring_align = AR_VRING_ALIGN, \
	.buf_pa = AR_WIN_LINUX_PA + AR_VBUF_OFF, \
	.buf_size = AR_VBUF_SIZE, \
}

#endif /* AR_RSC_TABLE_H */
