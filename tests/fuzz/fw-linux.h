/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the firmware fuzz harnesses: a simulated shared window with
 * the firmware's resource table "loaded", the firmware core and services
 * on the host port, and a well-behaved Linux side (rings laid out like
 * virtio_rpmsg_bus does) that each harness then lets the input corrupt.
 * Header-only so each harness is one translation unit plus the core.
 */
#ifndef AR_FUZZ_FW_LINUX_H
#define AR_FUZZ_FW_LINUX_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <amprelay/platform.h>
#include <amprelay/services.h>
#include "core/log.h"
#include "core/rpmsg.h"
#include "core/services.h"
#include "core/trace.h"
#include "core/virtqueue.h"
#include "port/host/port_host.h"
#include "rsc_table.h"

#define FZ_NUM		AR_VRING_NUM
#define FZ_HDR		AR_RPMSG_HDR_SIZE
#define FZ_BUF		AR_RPMSG_BUF_SIZE
#define FZ_LINUX_EPT	1024
#define FZ_TABLE_OFF	0x00100000	/* where the harness "loads" the table */
#define FZ_PA(off)	((uint64_t)AR_WIN_LINUX_PA + (off))
#define FZ_RX_BUF_OFF(i)	(AR_VBUF_OFF + (uint32_t)(i) * FZ_BUF)
#define FZ_TX_BUF_OFF(i)	(AR_VBUF_OFF + (uint32_t)(FZ_NUM + (i)) * FZ_BUF)

struct fz_hdr {
	uint32_t src, dst, reserved;
	uint16_t len, flags;
};

struct fz_vring {
	struct ar_vring_desc *desc;
	struct ar_vring_avail *avail;
	struct ar_vring_used *used;
	uint16_t avail_idx;
	uint16_t last_used;
};

/* Reads the fuzz input front to back; past the end everything is zero. */
struct fz_in {
	const uint8_t *p;
	size_t left;
};

static inline uint8_t fz_u8(struct fz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static inline uint16_t fz_u16(struct fz_in *in)
{
	return (uint16_t)(fz_u8(in) | fz_u8(in) << 8);
}

static inline uint32_t fz_u32(struct fz_in *in)
{
	return fz_u16(in) | (uint32_t)fz_u16(in) << 16;
}

static inline uint64_t fz_u64(struct fz_in *in)
{
	return fz_u32(in) | (uint64_t)fz_u32(in) << 32;
}

/* Copies up to len input bytes to out; returns how many there were. */
static inline uint32_t fz_bytes(struct fz_in *in, void *out, uint32_t len)
{
	if (len > in->left)
		len = (uint32_t)in->left;
	memcpy(out, in->p, len);
	in->p += len;
	in->left -= len;
	return len;
}

static uint8_t *fz_win;
static struct ar_fw_rsc_table *fz_table;
static struct fz_vring fz_rx, fz_tx;
static uint16_t fz_tx_next;
static struct ar_rpmsg fz_rp;
static struct ar_services fz_svc;
static struct ar_trace fz_trace;
static char fz_trace_buf[2048];
static struct ar_ctrl fz_ctrl;
static struct ar_crash_record fz_crash;
static uint64_t fz_now_us;
static uint32_t fz_faults;

static void fz_record_fault(uint32_t type)
{
	(void)type;
	fz_faults++;
}

static size_t fz_used_off(void)
{
	size_t off = 16 * FZ_NUM + 2 * (3 + FZ_NUM);

	return (off + AR_VRING_ALIGN - 1) & ~(size_t)(AR_VRING_ALIGN - 1);
}

static void fz_vring_setup(struct fz_vring *v, uint32_t off)
{
	uint8_t *base = fz_win + off;

	memset(base, 0, fz_used_off() + 6 + 8 * FZ_NUM);
	v->desc = (struct ar_vring_desc *)base;
	v->avail = (struct ar_vring_avail *)(base + 16 * FZ_NUM);
	v->used = (struct ar_vring_used *)(base + fz_used_off());
	v->avail_idx = 0;
	v->last_used = 0;
}

static void fz_post(struct fz_vring *v, uint16_t head)
{
	v->avail->ring[v->avail_idx % FZ_NUM] = head;
	v->avail_idx++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	v->avail->idx = v->avail_idx;
}

/* Like virtio_rpmsg_bus probing: fresh rings, receive buffers, DRIVER_OK. */
static void fz_lx_start(void)
{
	unsigned int i;

	fz_table->vdev.vring[0].da = AR_WIN_REMOTE_DA + AR_VRING0_OFF;
	fz_table->vdev.vring[1].da = AR_WIN_REMOTE_DA + AR_VRING1_OFF;
	fz_table->vdev.gfeatures = fz_table->vdev.dfeatures;
	fz_vring_setup(&fz_rx, AR_VRING0_OFF);
	fz_vring_setup(&fz_tx, AR_VRING1_OFF);
	for (i = 0; i < FZ_NUM; i++) {
		fz_rx.desc[i].addr = FZ_PA(FZ_RX_BUF_OFF(i));
		fz_rx.desc[i].len = FZ_BUF;
		fz_rx.desc[i].flags = AR_VRING_DESC_F_WRITE;
		fz_post(&fz_rx, (uint16_t)i);
	}
	fz_tx.avail->flags = AR_VRING_AVAIL_F_NO_INTERRUPT;
	fz_tx_next = 0;
}

/* One main-loop pass of the firmware. */
static void fz_pass(void)
{
	ar_services_poll(&fz_svc, fz_now_us);
	ar_rpmsg_poll(&fz_rp);
}

/*
 * Takes back what the firmware sent (a misbehaving firmware would show
 * here as an out-of-range id or length: abort so the fuzzer reports it).
 * Returns the number of messages; recycles the buffers unless hold.
 */
static unsigned int fz_lx_drain(int hold)
{
	unsigned int n = 0;

	while (fz_rx.used->idx != fz_rx.last_used) {
		struct ar_vring_used_elem e = fz_rx.used->ring[fz_rx.last_used % FZ_NUM];

		fz_rx.last_used++;
		if (e.id >= FZ_NUM || e.len > FZ_BUF)
			abort();
		if (!hold)
			fz_post(&fz_rx, (uint16_t)e.id);
		n++;
	}
	fz_tx.last_used = fz_tx.used->idx;
	return n;
}

/* Posts one message on the TX ring, in the next TX buffer. */
static void fz_lx_send(const struct fz_hdr *h, const void *data, uint32_t len)
{
	uint16_t slot = fz_tx_next++ % FZ_NUM;
	uint8_t *buf = fz_win + FZ_TX_BUF_OFF(slot);

	if (len > FZ_BUF - FZ_HDR)
		len = FZ_BUF - FZ_HDR;
	memcpy(buf, h, sizeof(*h));
	memcpy(buf + FZ_HDR, data, len);
	fz_tx.desc[slot].addr = FZ_PA(FZ_TX_BUF_OFF(slot));
	fz_tx.desc[slot].len = FZ_HDR + len;
	fz_tx.desc[slot].flags = 0;
	fz_tx.desc[slot].next = 0;
	fz_post(&fz_tx, slot);
}

/* Fresh window, table loaded, core and services initialised. */
static void fz_boot(int start)
{
	struct ar_rpmsg_config cfg = {
		.vring_da = { AR_WIN_REMOTE_DA + AR_VRING0_OFF,
			      AR_WIN_REMOTE_DA + AR_VRING1_OFF },
		.vring_region_size = AR_VRING_REGION_SIZE,
		.vring_num = AR_VRING_NUM,
		.vring_align = AR_VRING_ALIGN,
		.buf_pa = AR_WIN_LINUX_PA + AR_VBUF_OFF,
		.buf_size = AR_VBUF_SIZE,
	};
	struct ar_svc_config sc = {
		.ctrl = &fz_ctrl, .crash = &fz_crash, .trace = &fz_trace,
		.build_id = 0x12345678, .fault_inject = fz_record_fault,
	};

	if (!fz_win) {
		/* Page-aligned like the real window: ring layout depends on it. */
		fz_win = aligned_alloc(AR_VRING_ALIGN, AR_WIN_SIZE);
		if (!fz_win)
			abort();
		memset(fz_win, 0, AR_WIN_SIZE);
		ar_host_set_window(fz_win);
		ar_host_console_quiet = 1;
	}
	/* Only what a run can touch: clearing all 16 MiB per input is slow. */
	memset(fz_win + AR_VRING0_OFF, 0, 2 * AR_VRING_REGION_SIZE);
	memset(fz_win + AR_VBUF_OFF, 0, AR_VBUF_SIZE);
	memcpy(fz_win + FZ_TABLE_OFF, (const void *)&ar_rsc_table, sizeof(ar_rsc_table));
	fz_table = (struct ar_fw_rsc_table *)(fz_win + FZ_TABLE_OFF);
	cfg.vdev = &fz_table->vdev;
	ar_trace_init(&fz_trace, fz_trace_buf, sizeof(fz_trace_buf));
	ar_log_set_trace(&fz_trace);
	fz_ctrl.boot_count = 1;
	fz_crash.magic = AR_CRASH_MAGIC;
	fz_now_us = 1000000;
	fz_faults = 0;
	ar_rpmsg_init(&fz_rp, &cfg);
	ar_services_init(&fz_svc, &fz_rp, &sc);
	if (start) {
		fz_lx_start();
		fz_table->vdev.status = 0x7;	/* ACKNOWLEDGE | DRIVER | DRIVER_OK */
		fz_pass();
		fz_pass();
		fz_lx_drain(0);			/* the name-service announcements */
	}
}

#endif /* AR_FUZZ_FW_LINUX_H */
