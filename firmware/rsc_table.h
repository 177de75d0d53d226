/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The firmware's resource table, in section .resource_table where Linux
 * finds it (by section address, so it is linked at its load address in
 * the window). Linux writes the vring addresses, notify ids, negotiated
 * features and the vdev status into the loaded copy.
 */
#ifndef AR_RSC_TABLE_H
#define AR_RSC_TABLE_H

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

#endif /* AR_RSC_TABLE_H */
