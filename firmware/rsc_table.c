// SPDX-License-Identifier: GPL-2.0-only
#include <stddef.h>
#include <amprelay/platform.h>
#include "rsc_table.h"

/* Vrings sit in their named regions; Linux writes the final da and notify ids. */
#define VRING(off) { \
	.da = AR_WIN_REMOTE_DA + (off), \
	.align = AR_VRING_ALIGN, \
	.num = AR_VRING_NUM, \
}

/* volatile: Linux changes it under us, every read must go to memory. */
volatile struct ar_fw_rsc_table ar_rsc_table
	__attribute__((section(".resource_table"), used, aligned(8))) = {
	.hdr = { .ver = AR_RSC_VER, .num = AR_FW_RSC_NUM },
	.offset = {
		offsetof(struct ar_fw_rsc_table, vdev),
		offsetof(struct ar_fw_rsc_table, trace),
		offsetof(struct ar_fw_rsc_table, crash),
	},
	.vdev = {
		.type = AR_RSC_VDEV,
		.id = AR_VIRTIO_ID_RPMSG,
		.dfeatures = 1u << AR_VIRTIO_RPMSG_F_NS,
		.num_of_vrings = 2,
		.vring = { VRING(AR_VRING0_OFF), VRING(AR_VRING1_OFF) },
	},
	.trace = {
		.type = AR_RSC_TRACE,
		.da = AR_WIN_REMOTE_DA + AR_TRACE_OFF,
		.len = AR_TRACE_SIZE,
		.name = "trace0",
	},
	.crash = {
		.type = AR_RSC_VENDOR_CRASH,
		.crash = {
			.da = AR_WIN_REMOTE_DA + AR_CRASH_OFF,
			.len = AR_CRASH_SIZE,
			.name = "crash",
		},
	},
};
