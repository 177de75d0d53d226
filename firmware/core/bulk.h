/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bulk service: sink and source of the throughput benchmark. Wire
 * format and pattern in include/amprelay/bulk.h. ar_bulk_poll() runs once
 * per main-loop pass, before ar_rpmsg_poll(), and sends as much of a
 * requested stream as Linux has buffers for; Linux returning buffers
 * rings us, which brings the next pass.
 */
#ifndef AR_BULK_H
#define AR_BULK_H

#include <stdint.h>
#include <amprelay/bulk.h>
#include "rpmsg.h"

struct ar_bulk {
	struct ar_rpmsg *rp;
	struct ar_rpmsg_ept ept;
	struct ar_bulk_report sink;
	uint32_t sink_next_seq;
	/* Source stream: where to, how many still, next seq. */
	uint32_t source_dst;
	uint32_t source_left;
	uint32_t source_seq;
	uint8_t out[AR_RPMSG_MAX_PAYLOAD];
};

void ar_bulk_init(struct ar_bulk *b, struct ar_rpmsg *rp);
void ar_bulk_poll(struct ar_bulk *b);

/*
 * 1 when the next ar_bulk_poll() has something to send: a source stream
 * with messages left and a receive buffer to put one in. With none free,
 * Linux rings when it returns some, so the main loop need not come back.
 */
int ar_bulk_has_work(struct ar_bulk *b);

#endif /* AR_BULK_H */
