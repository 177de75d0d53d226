// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the command service's request parser. Each input is
 * one request as Linux would write it (header and body, any bytes); the
 * service must answer it with exactly one well-formed reply carrying the
 * request's sequence number, whatever the request holds.
 */
#include "fuzz-fw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lx_hdr h = { .src = LX_EPT, .dst = AR_SVC_CMD_ADDR };
	struct ar_cmd_hdr req, rep;
	struct lx_msg m;
	int got;
	unsigned int replies = 0;
	uint32_t len = size > LX_BUF - LX_HDR ? LX_BUF - LX_HDR : (uint32_t)size;

	fz_boot(1);
	h.len = (uint16_t)len;
	lx_send_hdr(&h, data, len);
	fz_pass();
	fz_pass();	/* a scheduled fault runs here */

	while ((got = lx_take(&m)) != 0) {
		if (got < 0 || m.used_len < LX_HDR + sizeof(rep))
			abort();
		memcpy(&rep, m.data, sizeof(rep));
		if (m.h.src != AR_SVC_CMD_ADDR || m.h.dst != LX_EPT ||
		    rep.magic != AR_CMD_MAGIC || !(rep.op & AR_CMD_REPLY) ||
		    m.h.len != sizeof(rep) + rep.len || m.used_len != LX_HDR + m.h.len)
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
