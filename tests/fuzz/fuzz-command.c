// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the command service's request parser. Each input is
 * one request as Linux would write it (header and body, any bytes); the
 * service must answer it with exactly one well-formed reply carrying the
 * request's sequence number, whatever the request holds.
 */
#include "fw-linux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_hdr h = { .src = FZ_LINUX_EPT, .dst = AR_SVC_CMD_ADDR };
	struct ar_cmd_hdr req, rep;
	unsigned int replies = 0;
	uint32_t len = size > FZ_BUF - FZ_HDR ? FZ_BUF - FZ_HDR : (uint32_t)size;

	fz_boot(1);
	h.len = (uint16_t)len;
	fz_lx_send(&h, data, len);
	fz_pass();
	fz_pass();	/* a scheduled fault runs here */

	while (fz_rx.used->idx != fz_rx.last_used) {
		struct ar_vring_used_elem e = fz_rx.used->ring[fz_rx.last_used % FZ_NUM];
		const uint8_t *buf;
		struct fz_hdr rh;

		fz_rx.last_used++;
		if (e.id >= FZ_NUM || e.len < FZ_HDR + sizeof(rep) || e.len > FZ_BUF)
			abort();
		buf = fz_win + (fz_rx.desc[e.id].addr - AR_WIN_LINUX_PA);
		memcpy(&rh, buf, sizeof(rh));
		memcpy(&rep, buf + FZ_HDR, sizeof(rep));
		if (rh.src != AR_SVC_CMD_ADDR || rh.dst != FZ_LINUX_EPT ||
		    rep.magic != AR_CMD_MAGIC || !(rep.op & AR_CMD_REPLY) ||
		    rh.len != sizeof(rep) + rep.len || e.len != FZ_HDR + rh.len)
			abort();
		/* The sequence number comes back whenever the request had one. */
		memset(&req, 0, sizeof(req));
		memcpy(&req, data, len < sizeof(req) ? len : sizeof(req));
		if (len >= offsetof(struct ar_cmd_hdr, op) && rep.seq != req.seq)
			abort();
		replies++;
	}
	if (replies != 1)
		abort();
	return 0;
}
