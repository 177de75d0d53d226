/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wire format of the bulk service (AR_SVC_BULK_NAME), the far end of the
 * throughput benchmark: a sink that checks every message Linux sends and a
 * source that sends messages Linux checks. Shared by the firmware
 * (firmware/core/bulk.c) and the guest tool (kernel/guest/bulk.c).
 *
 * Every message starts with struct ar_bulk_hdr. Data messages carry a
 * sequence number and a pattern that depends on it and on the byte's
 * position, so a lost, repeated, reordered or damaged message is an error.
 *
 *   Linux -> fw  SINK   arg = count   reset the sink, expect seq 0..count-1
 *   Linux -> fw  DATA   seq, pattern  checked and counted by the sink
 *   Linux -> fw  REPORT               answered with REPORT | REPLY and
 *                                     struct ar_bulk_report (sink counters)
 *   Linux -> fw  SOURCE arg = count   fw sends count DATA, seq 0..count-1,
 *                                     each AR_RPMSG_MAX_PAYLOAD bytes
 */
#ifndef AMPRELAY_BULK_H
#define AMPRELAY_BULK_H

#include <amprelay/platform.h>

#define AR_BULK_MAGIC		0x4b4c5542	/* "BULK" */

#define AR_BULK_OP_SINK		1
#define AR_BULK_OP_DATA		2
#define AR_BULK_OP_REPORT	3
#define AR_BULK_OP_SOURCE	4
#define AR_BULK_REPLY		0x8000

struct ar_bulk_hdr {
	uint32_t magic;		/* AR_BULK_MAGIC */
	uint16_t op;		/* AR_BULK_OP_*, | AR_BULK_REPLY in a reply */
	uint16_t reserved;	/* 0 */
	uint32_t seq;		/* DATA: 0, 1, 2, ... */
	uint32_t arg;		/* SINK, SOURCE: message count */
};

/* Sink counters since the last SINK. */
struct ar_bulk_report {
	uint32_t expected;	/* the SINK count */
	uint32_t received;	/* DATA messages */
	uint32_t errors;	/* DATA with a wrong seq, length or pattern */
	uint32_t bytes;		/* payload bytes of DATA messages */
};

_Static_assert(sizeof(struct ar_bulk_hdr) == 16, "ar_bulk_hdr is packed");
_Static_assert(sizeof(struct ar_bulk_report) == 16, "ar_bulk_report is packed");

/* Byte i (counted from the message start) of DATA message seq. */
static inline uint8_t ar_bulk_pattern(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 131u + i * 7u + (seq >> 8));
}

#endif /* AMPRELAY_BULK_H */
