/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rpmsg device side over the virtio rpmsg vdev that Linux's
 * virtio_rpmsg_bus drives: vring 0 carries messages to Linux (we fill
 * Linux's receive buffers), vring 1 messages from Linux. Endpoints with a
 * name are announced by the name service once Linux sets DRIVER_OK.
 *
 * All work happens in ar_rpmsg_poll(), called from the main loop on every
 * doorbell; messages sent with ar_rpmsg_send() reach Linux at the end of
 * the next poll, which interrupts Linux at most once.
 */
#ifndef AR_RPMSG_H
#define AR_RPMSG_H

#include <stdint.h>
#include "rsc.h"
#include "virtqueue.h"

struct ar_rpmsg;
struct ar_rpmsg_ept;

/*
 * Called for each message addressed to the endpoint. data/len are the
 * payload, already bounds-checked, still in shared memory. Return 0 when
 * done with the message, or -EAGAIN to leave it queued and be called
 * again with it on a later poll (used when no buffer to Linux is free, so
 * the callback must not have sent anything in that case).
 */
typedef int (*ar_rpmsg_cb)(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
			   uint32_t src, const uint8_t *data, uint32_t len);

struct ar_rpmsg_ept {
	uint32_t addr;
	const char *name;	/* announced when not NULL */
	ar_rpmsg_cb cb;
	struct ar_rpmsg_ept *next;
	uint8_t announced;
	/* Counted by the core (in, out) and by the service (drops, errors). */
	uint32_t msgs_in, bytes_in, msgs_out, bytes_out;
	uint32_t drops, errors;
};

/* Where things are; every address the core uses comes from here. */
struct ar_rpmsg_config {
	volatile struct ar_rsc_vdev *vdev;	/* in the loaded resource table */
	uint32_t vring_da[2];		/* region each vring must lie in */
	uint32_t vring_region_size;
	uint32_t vring_num;		/* expected num and align */
	uint32_t vring_align;
	uint64_t buf_pa;		/* the buffer pool, Linux addresses */
	uint32_t buf_size;
};

/* Error counters: each bad input is counted and survived. */
struct ar_rpmsg_stats {
	uint32_t msgs_in;	/* delivered to an endpoint */
	uint32_t msgs_out;	/* sent to Linux */
	uint32_t bad_vring;	/* vring da/num/align rejected at setup */
	uint32_t bad_avail;	/* avail index jumped beyond num */
	uint32_t bad_desc;	/* descriptor index, flags or chain */
	uint32_t bad_addr;	/* buffer address/length outside the pool */
	uint32_t bad_msg;	/* rpmsg header length inconsistent */
	uint32_t no_ept;	/* no endpoint at the destination */
};

enum ar_rpmsg_state {
	AR_RPMSG_WAIT,		/* for DRIVER_OK */
	AR_RPMSG_READY,
	AR_RPMSG_BROKEN,	/* vrings rejected; wait for the vdev to reset */
};

struct ar_rpmsg {
	struct ar_rpmsg_config cfg;
	struct ar_vq vq_rx;	/* vring 0: Linux RX, we fill it */
	struct ar_vq vq_tx;	/* vring 1: Linux TX, we drain it */
	struct ar_rpmsg_ept *epts;
	enum ar_rpmsg_state state;
	struct ar_rpmsg_stats st;
};

void ar_rpmsg_init(struct ar_rpmsg *rp, const struct ar_rpmsg_config *cfg);

/* Adds an endpoint; name may be NULL for an unannounced one. */
void ar_rpmsg_add_ept(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
		      const char *name, uint32_t addr, ar_rpmsg_cb cb);

/* Follows the vdev status, announces, drains vring 1, publishes, kicks. */
void ar_rpmsg_poll(struct ar_rpmsg *rp);

/*
 * Queues one message to Linux. 0, -ENOTCONN before DRIVER_OK, -EMSGSIZE
 * above AR_RPMSG_MAX_PAYLOAD, -EAGAIN when Linux has no receive buffer.
 */
int ar_rpmsg_send(struct ar_rpmsg *rp, uint32_t src, uint32_t dst,
		  const void *data, uint32_t len);

/*
 * True when Linux has a receive buffer posted; when it has none, Linux is
 * asked to ring as it gives one back, so output waiting for a buffer can
 * sleep until then. Only once the vdev is up (AR_RPMSG_READY).
 */
int ar_rpmsg_rx_room(struct ar_rpmsg *rp);

#endif /* AR_RPMSG_H */
