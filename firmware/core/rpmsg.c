// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <amprelay/platform.h>
#include "log.h"
#include "port.h"
#include "rpmsg.h"

struct ar_rpmsg_hdr {
	uint32_t src;
	uint32_t dst;
	uint32_t reserved;
	uint16_t len;
	uint16_t flags;
};

struct ar_rpmsg_ns_msg {
	char name[AR_RPMSG_NAME_SIZE];
	uint32_t addr;
	uint32_t flags;
};

#define AR_RPMSG_NS_CREATE	0

_Static_assert(sizeof(struct ar_rpmsg_hdr) == AR_RPMSG_HDR_SIZE, "rpmsg_hdr layout");
_Static_assert(sizeof(struct ar_rpmsg_ns_msg) == 40, "rpmsg_ns_msg layout");

/* Counts a bad input; logs the 1st, 2nd, 4th, 8th... so a flood stays quiet. */
static void rp_bad(uint32_t *counter, const char *what)
{
	uint32_t n = ++*counter;

	if ((n & (n - 1)) == 0)
		ar_log("rpmsg: %s (%u so far)\n", what, (unsigned int)n);
}

/* A buffer Linux posted, if it is one: inside the pool, 16..512 bytes. */
static uint8_t *rp_map(struct ar_rpmsg *rp, const struct ar_vq_buf *b)
{
	uint64_t off;

	if (b->len < AR_RPMSG_HDR_SIZE || b->len > AR_RPMSG_BUF_SIZE ||
	    b->addr < rp->cfg.buf_pa)
		return NULL;
	off = b->addr - rp->cfg.buf_pa;
	if (off > rp->cfg.buf_size || b->len > rp->cfg.buf_size - off)
		return NULL;
	return ar_port_pa_to_local(b->addr, b->len);
}

static int rp_setup_vring(struct ar_rpmsg *rp, struct ar_vq *vq, int i)
{
	volatile struct ar_rsc_vring *r = &rp->cfg.vdev->vring[i];
	uint32_t da = r->da, num = r->num, align = r->align;
	uint32_t base = rp->cfg.vring_da[i], room = rp->cfg.vring_region_size;
	uint32_t size;
	void *mem;

	if (num != rp->cfg.vring_num || align != rp->cfg.vring_align ||
	    (da & (align - 1)) || da < base || da - base > room)
		goto bad;
	size = ar_vring_size(num, align);
	if (size > room - (da - base))
		goto bad;
	mem = ar_port_da_to_local(da, size);
	if (!mem)
		goto bad;
	ar_vq_init(vq, mem, num, align);
	return 0;
bad:
	ar_log("rpmsg: vring%d rejected: da 0x%x num %u align %u\n",
	       i, (unsigned int)da, (unsigned int)num, (unsigned int)align);
	return -1;
}

void ar_rpmsg_init(struct ar_rpmsg *rp, const struct ar_rpmsg_config *cfg)
{
	memset(rp, 0, sizeof(*rp));
	rp->cfg = *cfg;
	rp->state = AR_RPMSG_WAIT;
}

void ar_rpmsg_add_ept(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
		      const char *name, uint32_t addr, ar_rpmsg_cb cb)
{
	struct ar_rpmsg_ept **pos = &rp->epts;

	ept->addr = addr;
	ept->name = name;
	ept->cb = cb;
	ept->next = NULL;
	ept->announced = 0;
	ept->msgs_in = ept->bytes_in = ept->msgs_out = ept->bytes_out = 0;
	ept->drops = ept->errors = 0;
	/* Announce in registration order. */
	while (*pos)
		pos = &(*pos)->next;
	*pos = ept;
}

/*
 * Receive buffers Linux has posted. Linux kicks after every buffer it
 * gives back, which would wake us once per message it receives. We only
 * need that kick while we are out of buffers: ask for it then (and look
 * again, in case a buffer came in before Linux could see the request),
 * waive it otherwise.
 */
static int rp_rx_pending(struct ar_rpmsg *rp)
{
	struct ar_vq *vq = &rp->vq_rx;
	int n = ar_vq_pending(vq);

	if (n == 0) {
		vq->used->flags = 0;
		ar_port_mb();
		n = ar_vq_pending(vq);
	}
	if (n > 0)
		vq->used->flags = AR_VRING_USED_F_NO_NOTIFY;
	return n;
}

int ar_rpmsg_rx_room(struct ar_rpmsg *rp)
{
	return rp_rx_pending(rp) > 0;
}

/* Takes a receive buffer of at least need bytes; drops malformed ones. */
static uint8_t *rp_take_rx(struct ar_rpmsg *rp, uint32_t need, uint16_t *head)
{
	struct ar_vq *vq = &rp->vq_rx;
	struct ar_vq_buf b;
	uint8_t *buf;
	int n = rp_rx_pending(rp);

	if (n < 0) {
		rp_bad(&rp->st.bad_avail, "RX avail index out of range");
		return NULL;
	}
	for (; n > 0; n--) {
		if (ar_vq_peek(vq, &b)) {
			ar_vq_consume(vq);
			rp_bad(&rp->st.bad_desc, "RX descriptor index out of range");
			continue;
		}
		ar_vq_consume(vq);
		/* Not returned to Linux: it would parse whatever is in it. */
		if (b.flags != AR_VRING_DESC_F_WRITE) {
			rp_bad(&rp->st.bad_desc, "RX descriptor flags");
			continue;
		}
		buf = rp_map(rp, &b);
		if (!buf || b.len < need) {
			rp_bad(&rp->st.bad_addr, "RX buffer outside the pool");
			continue;
		}
		*head = b.head;
		return buf;
	}
	return NULL;
}

int ar_rpmsg_send(struct ar_rpmsg *rp, uint32_t src, uint32_t dst,
		  const void *data, uint32_t len)
{
	struct ar_rpmsg_hdr hdr = { .src = src, .dst = dst, .len = (uint16_t)len };
	struct ar_rpmsg_ept *ept;
	uint16_t head;
	uint8_t *buf;

	if (rp->state != AR_RPMSG_READY)
		return -ENOTCONN;
	if (len > AR_RPMSG_MAX_PAYLOAD)
		return -EMSGSIZE;
	buf = rp_take_rx(rp, sizeof(hdr) + len, &head);
	if (!buf)
		return -EAGAIN;
	memcpy(buf, &hdr, sizeof(hdr));
	/* data may be another shared buffer that a confused Linux aliased. */
	memmove(buf + sizeof(hdr), data, len);
	ar_vq_put_used(&rp->vq_rx, head, sizeof(hdr) + len);
	rp->st.msgs_out++;
	for (ept = rp->epts; ept && ept->addr != src; ept = ept->next)
		;
	if (ept) {
		ept->msgs_out++;
		ept->bytes_out += len;
	}
	return 0;
}

static void rp_announce(struct ar_rpmsg *rp)
{
	struct ar_rpmsg_ns_msg ns;
	struct ar_rpmsg_ept *e;
	unsigned int i;

	for (e = rp->epts; e; e = e->next) {
		if (!e->name || e->announced)
			continue;
		memset(&ns, 0, sizeof(ns));
		for (i = 0; i < sizeof(ns.name) - 1 && e->name[i]; i++)
			ns.name[i] = e->name[i];
		ns.addr = e->addr;
		ns.flags = AR_RPMSG_NS_CREATE;
		if (ar_rpmsg_send(rp, e->addr, AR_RPMSG_NS_ADDR, &ns, sizeof(ns)))
			return;		/* no buffer yet: next poll */
		e->announced = 1;
		ar_log("rpmsg: announced %s at 0x%x\n", e->name,
		       (unsigned int)e->addr);
	}
}

/*
 * Delivers the messages Linux had posted when called, returning each
 * buffer; -1 when one must wait (or the ring is bad).
 */
static int rp_drain_tx_posted(struct ar_rpmsg *rp)
{
	struct ar_vq *vq = &rp->vq_tx;
	struct ar_rpmsg_ept *ept;
	struct ar_rpmsg_hdr hdr;
	struct ar_vq_buf b;
	const uint8_t *msg;
	int n = ar_vq_pending(vq);

	if (n < 0) {
		rp_bad(&rp->st.bad_avail, "TX avail index out of range");
		return -1;
	}
	for (; n > 0; n--) {
		if (ar_vq_peek(vq, &b)) {
			ar_vq_consume(vq);
			rp_bad(&rp->st.bad_desc, "TX descriptor index out of range");
			continue;
		}
		/* Linux posts single read-only descriptors: no chains, no loops. */
		if (b.flags) {
			rp_bad(&rp->st.bad_desc, "TX descriptor flags");
			goto give_back;
		}
		msg = rp_map(rp, &b);
		if (!msg) {
			rp_bad(&rp->st.bad_addr, "TX buffer outside the pool");
			goto give_back;
		}
		memcpy(&hdr, msg, sizeof(hdr));
		if (hdr.len > b.len - sizeof(hdr)) {
			rp_bad(&rp->st.bad_msg, "TX message longer than its buffer");
			goto give_back;
		}
		for (ept = rp->epts; ept && ept->addr != hdr.dst; ept = ept->next)
			;
		if (!ept) {
			rp_bad(&rp->st.no_ept, "message to an unknown address");
			goto give_back;
		}
		if (ept->cb(rp, ept, hdr.src, msg + sizeof(hdr), hdr.len) == -EAGAIN)
			return -1;	/* back-pressure: retried on a later poll */
		rp->st.msgs_in++;
		ept->msgs_in++;
		ept->bytes_in += hdr.len;
give_back:
		ar_vq_consume(vq);
		ar_vq_put_used(vq, b.head, 0);
	}
	return 0;
}

/*
 * Linux need not kick for messages it adds while we are draining: turn
 * kicks off for the first round, back on, then take once more what came
 * in before Linux could see they are on again. Anything later is kicked.
 */
static void rp_drain_tx(struct ar_rpmsg *rp)
{
	volatile struct ar_vring_used *used = rp->vq_tx.used;
	int err;

	used->flags = AR_VRING_USED_F_NO_NOTIFY;
	err = rp_drain_tx_posted(rp);
	used->flags = 0;
	ar_port_mb();
	if (!err)
		rp_drain_tx_posted(rp);
}

static void rp_reset(struct ar_rpmsg *rp)
{
	struct ar_rpmsg_ept *e;

	for (e = rp->epts; e; e = e->next)
		e->announced = 0;
	rp->state = AR_RPMSG_WAIT;
}

void ar_rpmsg_poll(struct ar_rpmsg *rp)
{
	int kick;

	if (!(rp->cfg.vdev->status & AR_VIRTIO_STATUS_DRIVER_OK)) {
		if (rp->state != AR_RPMSG_WAIT) {
			ar_log("rpmsg: vdev reset by Linux\n");
			rp_reset(rp);
		}
		return;
	}
	if (rp->state == AR_RPMSG_BROKEN)
		return;
	if (rp->state == AR_RPMSG_WAIT) {
		/* Linux wrote the vring addresses before DRIVER_OK. */
		ar_port_mb();
		if (rp_setup_vring(rp, &rp->vq_rx, 0) ||
		    rp_setup_vring(rp, &rp->vq_tx, 1)) {
			rp->state = AR_RPMSG_BROKEN;
			rp->st.bad_vring++;
			return;
		}
		rp->state = AR_RPMSG_READY;
		ar_log("rpmsg: vdev up\n");
	}
	rp_announce(rp);
	rp_drain_tx(rp);
	kick = ar_vq_flush(&rp->vq_rx);
	kick |= ar_vq_flush(&rp->vq_tx);
	if (kick)
		ar_port_notify(AR_MBOX_VQ);
}
