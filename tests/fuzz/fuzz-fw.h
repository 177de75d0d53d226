/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the firmware fuzz harnesses: the firmware core and services on
 * the host port, under the well-behaved simulated Linux of
 * tests/lib/fw-linux.c that each harness then lets the input corrupt, and
 * a reader of the fuzz input.
 */
#ifndef AR_FUZZ_FW_H
#define AR_FUZZ_FW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <amprelay/platform.h>
#include <amprelay/services.h>
#include "core/log.h"
#include "core/rpmsg.h"
#include "core/services.h"
#include "core/trace.h"
#include "port/host/port_host.h"
#include "fw-linux.h"

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

/* One main-loop pass of the firmware. */
static void fz_pass(void)
{
	ar_services_poll(&fz_svc, fz_now_us);
	ar_rpmsg_poll(&fz_rp);
}

/*
 * Takes back what the firmware sent (a misbehaving firmware would show
 * here as an impossible used entry: abort so the fuzzer reports it),
 * keeping the receive buffers while lx_hold_rx, and skips the TX ring's
 * used entries.
 */
static void fz_lx_drain(void)
{
	struct lx_msg m;
	int got;

	while ((got = lx_take(&m)) != 0) {
		if (got < 0) {
			fprintf(stderr, "impossible used entry: id %u len %u\n",
				m.id, m.used_len);
			abort();
		}
	}
	lx_tx.last_used = lx_tx.used->idx;
}

/* Fresh window, table loaded, core and services initialised. */
static void fz_boot(int start)
{
	struct ar_rpmsg_config cfg;
	struct ar_svc_config sc = {
		.ctrl = &fz_ctrl, .crash = &fz_crash, .trace = &fz_trace,
		.build_id = 0x12345678, .fault_inject = fz_record_fault,
	};

	if (!lx_win) {
		if (lx_window_alloc())
			abort();
		ar_host_console_quiet = 1;
	}
	/* Only what a run can touch: clearing all 16 MiB per input is slow. */
	lx_load();
	cfg = (struct ar_rpmsg_config)AR_FW_RPMSG_CONFIG(&lx_table->vdev);
	ar_trace_init(&fz_trace, fz_trace_buf, sizeof(fz_trace_buf));
	ar_log_set_trace(&fz_trace);
	fz_ctrl.boot_count = 1;
	fz_crash.magic = AR_CRASH_MAGIC;
	fz_now_us = 1000000;
	fz_faults = 0;
	ar_rpmsg_init(&fz_rp, &cfg);
	ar_services_init(&fz_svc, &fz_rp, &sc);
	if (start) {
		lx_start();
		fz_pass();
		fz_pass();
		fz_lx_drain();		/* the name-service announcements */
	}
}

#endif /* AR_FUZZ_FW_H */
