// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: well-formed rings carrying hostile rpmsg messages to
 * every service. The input is a sequence of messages, each with a raw
 * rpmsg header (source, destination, reserved, length field, flags) whose
 * destination is mostly one of the firmware's endpoints or the name
 * service address, and a payload; between messages time moves on, Linux
 * withholds or returns its receive buffers, or resets the vdev. Covers the
 * rpmsg header checks, name service, echo, command, telemetry, console
 * and interop endpoints.
 */
#include "fuzz-fw.h"

static const uint32_t dsts[] = {
	AR_RPMSG_NS_ADDR, AR_SVC_ECHO_ADDR, AR_SVC_CMD_ADDR, AR_SVC_TELEM_ADDR,
	AR_SVC_CONSOLE_ADDR, AR_SVC_SAMPLE_ADDR, AR_SVC_OPENAMP_ADDR,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	unsigned int msgs = 0;

	fz_boot(1);
	while (in.left && msgs++ < 128) {
		uint8_t ctl = fz_u8(&in);
		uint8_t body[LX_BUF - LX_HDR];
		struct lx_hdr h;
		uint32_t n;

		h.src = ctl & 0x80 ? fz_u32(&in) : LX_EPT + (ctl & 3);
		h.dst = (ctl & 0x70) == 0x70 ? fz_u32(&in) :
			dsts[((ctl >> 4) & 7) % (sizeof(dsts) / sizeof(dsts[0]))];
		h.reserved = ctl & 0x08 ? fz_u32(&in) : 0;
		n = fz_u16(&in) % sizeof(body);
		n = fz_bytes(&in, body, n);
		/* The length field mostly matches; sometimes it lies. */
		h.len = ctl & 0x04 ? fz_u16(&in) : (uint16_t)n;
		h.flags = 0;
		lx_send_hdr(&h, body, n);

		switch (fz_u8(&in) & 7) {
		case 0:		/* time passes: telemetry, delayed echo */
			fz_now_us += fz_u32(&in);
			break;
		case 1:		/* Linux is slow to read */
			lx_hold_rx = !lx_hold_rx;
			break;
		case 2:		/* the vdev is reset and restarted */
			lx_table->vdev.status = 0;
			fz_pass();
			lx_start();
			break;
		default:
			break;
		}
		fz_pass();
		fz_lx_drain();
	}
	fz_now_us += 10000000;
	fz_pass();
	fz_lx_drain();
	return 0;
}
