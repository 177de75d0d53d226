// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bulk service: the firmware end of the throughput benchmark. Every DATA
 * message Linux sends is checked byte for byte here, and every one sent
 * carries the pattern Linux checks, so the figure is for delivered data.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "bulk.h"

static struct ar_bulk *from_ept(struct ar_rpmsg_ept *ept)
{
	return (struct ar_bulk *)((char *)ept - offsetof(struct ar_bulk, ept));
}

static int data_ok(const uint8_t *data, uint32_t len, uint32_t seq)
{
	uint32_t i;

	for (i = sizeof(struct ar_bulk_hdr); i < len; i++)
		if (data[i] != ar_bulk_pattern(seq, i))
			return 0;
	return 1;
}

static void sink_data(struct ar_bulk *b, const struct ar_bulk_hdr *h,
		      const uint8_t *data, uint32_t len)
{
	b->sink.received++;
	b->sink.bytes += len;
	if (h->seq != b->sink_next_seq || !data_ok(data, len, h->seq))
		b->sink.errors++;
	/* Resynchronise, so one lost message is one error, not all after it. */
	b->sink_next_seq = h->seq + 1;
}

static int bulk_cb(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
		   uint32_t src, const uint8_t *data, uint32_t len)
{
	struct ar_bulk *b = from_ept(ept);
	struct {
		struct ar_bulk_hdr h;
		struct ar_bulk_report r;
	} reply;
	struct ar_bulk_hdr h;

	if (len < sizeof(h)) {
		ept->errors++;
		return 0;
	}
	memcpy(&h, data, sizeof(h));
	if (h.magic != AR_BULK_MAGIC) {
		ept->errors++;
		return 0;
	}
	switch (h.op) {
	case AR_BULK_OP_DATA:
		sink_data(b, &h, data, len);
		return 0;
	case AR_BULK_OP_SINK:
		memset(&b->sink, 0, sizeof(b->sink));
		b->sink.expected = h.arg;
		b->sink_next_seq = 0;
		return 0;
	case AR_BULK_OP_REPORT:
		reply.h = h;
		reply.h.op = AR_BULK_OP_REPORT | AR_BULK_REPLY;
		reply.r = b->sink;
		return ar_rpmsg_send(rp, ept->addr, src, &reply, sizeof(reply));
	case AR_BULK_OP_SOURCE:
		b->source_dst = src;
		b->source_left = h.arg;
		b->source_seq = 0;
		return 0;
	default:
		ept->errors++;
		return 0;
	}
}

void ar_bulk_poll(struct ar_bulk *b)
{
	struct ar_bulk_hdr h = { .magic = AR_BULK_MAGIC, .op = AR_BULK_OP_DATA };
	uint32_t i;
	int err;

	if (b->rp->state != AR_RPMSG_READY) {
		b->source_left = 0;	/* Linux reset the vdev: nobody listens */
		return;
	}
	while (b->source_left) {
		h.seq = b->source_seq;
		memcpy(b->out, &h, sizeof(h));
		for (i = sizeof(h); i < sizeof(b->out); i++)
			b->out[i] = ar_bulk_pattern(h.seq, i);
		err = ar_rpmsg_send(b->rp, b->ept.addr, b->source_dst, b->out,
				    sizeof(b->out));
		if (err == -EAGAIN)
			return;	/* Linux rings when it returns buffers */
		if (err) {
			b->ept.drops += b->source_left;
			b->source_left = 0;
			return;
		}
		b->source_seq++;
		b->source_left--;
	}
}

int ar_bulk_has_work(struct ar_bulk *b)
{
	return b->source_left && b->rp->state == AR_RPMSG_READY &&
	       ar_rpmsg_rx_room(b->rp);
}

void ar_bulk_init(struct ar_bulk *b, struct ar_rpmsg *rp)
{
	memset(b, 0, sizeof(*b));
	b->rp = rp;
	ar_rpmsg_add_ept(rp, &b->ept, AR_SVC_BULK_NAME, AR_SVC_BULK_ADDR, bulk_cb);
}
