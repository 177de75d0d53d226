// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit test of the firmware's portable core (firmware/core with
 * firmware/port/host). The test plays Linux's virtio_rpmsg_bus on a
 * simulated shared window: vrings in their regions, 512-byte buffers in
 * the buffer pool (first half receive, second half transmit), Linux
 * physical addresses in the descriptors, DRIVER_OK in the vdev entry of
 * the firmware's own resource table. Then it checks the name-service
 * announcement, echoes, back-pressure, and that hostile ring contents
 * are counted and survived. Built with ASan and UBSan; prints TAP.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <amprelay/platform.h>
#include "core/echo.h"
#include "core/log.h"
#include "core/rpmsg.h"
#include "core/trace.h"
#include "core/virtqueue.h"
#include "port/host/port_host.h"
#include "rsc_table.h"
#include "fw-linux.h"

#define ECHO		AR_SVC_ECHO_ADDR

struct ns_msg {
	char name[AR_RPMSG_NAME_SIZE];
	uint32_t addr, flags;
};

static struct ar_rpmsg rp;
static struct ar_rpmsg_ept echo_ept;

/* ---- more of the simulated Linux side (the rest: tests/lib/fw-linux.c) */

/* Posts a hand-made TX descriptor (for hostile cases). */
static void lx_send_raw(uint16_t head, uint64_t addr, uint32_t len,
			uint16_t flags, uint16_t next)
{
	if (head < LX_NUM) {
		lx_tx.desc[head].addr = addr;
		lx_tx.desc[head].len = len;
		lx_tx.desc[head].flags = flags;
		lx_tx.desc[head].next = next;
	}
	lx_post(&lx_tx, head);
}

/* TX buffers the firmware returned since the last call; checks each. */
static unsigned int lx_tx_done(void)
{
	struct ar_vring_used_elem e;
	unsigned int n = 0;

	while (lx_next_used(&lx_tx, &e)) {
		CHECK(e.id < LX_NUM, "TX used id %u", e.id);
		CHECK(e.len == 0, "TX used len %u", e.len);
		n++;
	}
	return n;
}

/* Fresh window, the firmware's table "loaded", core initialised. */
static void fw_load(void)
{
	struct ar_rpmsg_config cfg;

	memset(lx_win, 0, AR_WIN_SIZE);
	lx_load();
	cfg = (struct ar_rpmsg_config)AR_FW_RPMSG_CONFIG(&lx_table->vdev);
	ar_rpmsg_init(&rp, &cfg);
	ar_echo_init(&rp, &echo_ept);
	memset(ar_host_notify_count, 0, sizeof(ar_host_notify_count));
}

static int ns_ok(const struct lx_msg *m)
{
	struct ns_msg ns;
	char want[AR_RPMSG_NAME_SIZE] = AR_SVC_ECHO_NAME;

	memcpy(&ns, m->data, sizeof(ns));
	return m->used_len == LX_HDR + 40 && m->h.dst == AR_RPMSG_NS_ADDR &&
	       m->h.len == 40 && m->h.flags == 0 && m->h.reserved == 0 &&
	       !memcmp(ns.name, want, sizeof(want)) && ns.addr == ECHO &&
	       ns.flags == 0;
}

/* Loaded, started and announced: the state most tests begin from. */
static void boot(void)
{
	struct lx_msg m;

	fw_load();
	lx_start();
	ar_rpmsg_poll(&rp);
	CHECK(lx_recv(&m) && ns_ok(&m), "no name-service announcement at boot");
	ar_host_notify_count[AR_MBOX_VQ] = 0;
}

static void fill(uint8_t *p, uint32_t len, uint32_t seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 3));
}

/* One echo round trip of len bytes; 1 if everything matched. */
static int echo_once(uint32_t src, uint32_t len)
{
	uint8_t data[LX_BUF];
	struct lx_msg m;
	int ok = 1;

	fill(data, len, len + src);
	lx_send(src, ECHO, data, len);
	ar_rpmsg_poll(&rp);
	if (lx_tx_done() != 1) {
		printf("# echo %u: TX buffer not returned\n", len);
		ok = 0;
	}
	if (!lx_recv(&m)) {
		printf("# echo %u: no reply\n", len);
		return 0;
	}
	if (m.h.src != ECHO || m.h.dst != src || m.h.len != len ||
	    m.used_len != LX_HDR + len || m.h.flags || m.h.reserved ||
	    memcmp(m.data, data, len)) {
		printf("# echo %u: bad reply src %#x dst %#x len %u used %u\n",
		       len, m.h.src, m.h.dst, m.h.len, m.used_len);
		ok = 0;
	}
	return ok;
}

/*
 * Sum of every byte the core must never write: all but the rings, the
 * pool and the loaded resource table (which the simulated Linux writes).
 */
static uint64_t outside_rings_and_pool(void)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i < AR_WIN_SIZE; i++) {
		if ((i >= AR_VRING0_OFF && i < AR_VRING0_OFF + AR_VRING_REGION_SIZE) ||
		    (i >= AR_VRING1_OFF && i < AR_VRING1_OFF + AR_VRING_REGION_SIZE) ||
		    (i >= AR_VBUF_OFF && i < LX_POOL_END) ||
		    (i >= LX_TABLE_OFF && i < LX_TABLE_OFF + sizeof(*lx_table)))
			continue;
		sum = sum * 31 + lx_win[i];
	}
	return sum;
}

/* ---- tests ----------------------------------------------------------- */

static void t_rsc_table(void)
{
	const volatile struct ar_fw_rsc_table *t = &ar_rsc_table;
	const uint8_t *base = (const uint8_t *)(const void *)t;
	uint32_t i, type;

	CHECK(t->hdr.ver == 1, "ver %u", t->hdr.ver);
	CHECK(t->hdr.num == 3, "num %u", t->hdr.num);
	CHECK(!t->hdr.reserved[0] && !t->hdr.reserved[1], "header reserved");
	for (i = 0; i < t->hdr.num && i < 3; i++) {
		CHECK(t->offset[i] % 4 == 0 && t->offset[i] + 4 <= sizeof(*t),
		      "offset[%u] = %u", i, t->offset[i]);
		memcpy(&type, base + t->offset[i], 4);
		CHECK(type == (i == 0 ? AR_RSC_VDEV : i == 1 ? AR_RSC_TRACE :
			       AR_RSC_VENDOR_CRASH), "entry %u type %u", i, type);
	}
	CHECK(t->vdev.id == AR_VIRTIO_ID_RPMSG, "vdev id %u", t->vdev.id);
	CHECK(t->vdev.dfeatures == 1u << AR_VIRTIO_RPMSG_F_NS, "dfeatures %#x",
	      t->vdev.dfeatures);
	CHECK(t->vdev.config_len == 0 && t->vdev.status == 0, "config_len/status");
	CHECK(t->vdev.num_of_vrings == 2, "num_of_vrings %u", t->vdev.num_of_vrings);
	CHECK(!t->vdev.reserved[0] && !t->vdev.reserved[1], "vdev reserved");
	for (i = 0; i < 2; i++) {
		uint32_t region = AR_WIN_REMOTE_DA + (i ? AR_VRING1_OFF : AR_VRING0_OFF);

		CHECK(t->vdev.vring[i].da == region, "vring%u da %#x", i,
		      t->vdev.vring[i].da);
		CHECK(t->vdev.vring[i].align == AR_VRING_ALIGN &&
		      t->vdev.vring[i].num == AR_VRING_NUM, "vring%u align/num", i);
	}
	CHECK(ar_vring_size(LX_NUM, AR_VRING_ALIGN) == lx_vring_bytes(),
	      "vring size %u, Linux's formula gives %zu",
	      ar_vring_size(LX_NUM, AR_VRING_ALIGN), lx_vring_bytes());
	CHECK(lx_vring_bytes() <= AR_VRING_REGION_SIZE, "vring does not fit its region");
	CHECK(t->trace.da == AR_WIN_REMOTE_DA + AR_TRACE_OFF &&
	      t->trace.len == AR_TRACE_SIZE && !t->trace.reserved &&
	      t->trace.name[0], "trace entry");
	CHECK(t->crash.crash.da == AR_WIN_REMOTE_DA + AR_CRASH_OFF &&
	      t->crash.crash.len == AR_CRASH_SIZE && !t->crash.crash.reserved &&
	      t->crash.crash.name[0], "crash entry");
}

static void t_waits_for_driver_ok(void)
{
	fw_load();
	lx_table->vdev.status = 0x3;	/* ACKNOWLEDGE | DRIVER, vrings not ready */
	ar_rpmsg_poll(&rp);
	ar_rpmsg_poll(&rp);
	CHECK(rp.state == AR_RPMSG_WAIT, "state %d", rp.state);
	CHECK(ar_host_notify_count[AR_MBOX_VQ] == 0, "kicked before DRIVER_OK");
	CHECK(ar_rpmsg_send(&rp, ECHO, LX_EPT, "x", 1) == -ENOTCONN,
	      "send before DRIVER_OK");
}

static void t_ns_announcement(void)
{
	struct lx_msg m;
	struct ns_msg ns;

	fw_load();
	lx_start();
	ar_rpmsg_poll(&rp);
	CHECK(lx_rx_pending() == 1, "%u messages after DRIVER_OK, want 1", lx_rx_pending());
	CHECK(lx_recv(&m), "no message");
	memcpy(&ns, m.data, sizeof(ns));
	CHECK(m.h.dst == AR_RPMSG_NS_ADDR, "dst %u", m.h.dst);
	CHECK(m.h.src == ECHO, "src %#x", m.h.src);
	CHECK(m.h.len == 40 && m.used_len == LX_HDR + 40, "len %u used %u", m.h.len,
	      m.used_len);
	CHECK(!strcmp(ns.name, AR_SVC_ECHO_NAME), "name '%.32s'", ns.name);
	CHECK(ns.addr == ECHO && ns.flags == 0, "addr %#x flags %u", ns.addr, ns.flags);
	CHECK(ns_ok(&m), "name padded with zeros, reserved and flags zero");
	CHECK(ar_host_notify_count[AR_MBOX_VQ] == 1, "%u kicks",
	      ar_host_notify_count[AR_MBOX_VQ]);
	ar_rpmsg_poll(&rp);
	CHECK(lx_rx_pending() == 0, "announced twice");
}

static void t_echo_all_sizes(void)
{
	uint32_t len, bad = 0;

	boot();
	for (len = 0; len <= AR_RPMSG_MAX_PAYLOAD; len++)
		bad += !echo_once(LX_EPT + len % 5, len);
	CHECK(bad == 0, "%u of %u sizes failed", bad, AR_RPMSG_MAX_PAYLOAD + 1);
	CHECK(rp.st.msgs_in == AR_RPMSG_MAX_PAYLOAD + 1, "msgs_in %u", rp.st.msgs_in);
	CHECK(ar_host_notify_count[AR_MBOX_VQ] == AR_RPMSG_MAX_PAYLOAD + 1,
	      "kicks %u", ar_host_notify_count[AR_MBOX_VQ]);
}

static void t_batch_one_kick(void)
{
	uint8_t data[32];
	struct lx_msg m;
	unsigned int i;

	boot();
	for (i = 0; i < 40; i++) {
		fill(data, sizeof(data), i);
		lx_send(LX_EPT, ECHO, data, sizeof(data));
	}
	ar_rpmsg_poll(&rp);
	CHECK(ar_host_notify_count[AR_MBOX_VQ] == 1, "%u kicks for one batch",
	      ar_host_notify_count[AR_MBOX_VQ]);
	CHECK(lx_tx_done() == 40, "TX buffers not all returned");
	for (i = 0; i < 40; i++) {
		fill(data, sizeof(data), i);
		CHECK(lx_recv(&m) && m.h.len == sizeof(data) &&
		      !memcmp(m.data, data, sizeof(data)), "reply %u out of order", i);
	}
}

static void t_kick_suppression(void)
{
	boot();
	/* Linux waiting for a TX buffer enables the TX interrupt. */
	lx_rx.avail->flags = AR_VRING_AVAIL_F_NO_INTERRUPT;
	lx_tx.avail->flags = 0;
	CHECK(echo_once(LX_EPT, 8), "echo");
	CHECK(ar_host_notify_count[AR_MBOX_VQ] == 1, "TX completion not signalled");
	lx_tx.avail->flags = AR_VRING_AVAIL_F_NO_INTERRUPT;
	CHECK(echo_once(LX_EPT, 8), "echo");
	CHECK(ar_host_notify_count[AR_MBOX_VQ] == 1, "kicked though both rings muted");
	lx_rx.avail->flags = 0;
	CHECK(echo_once(LX_EPT, 8), "echo");
	CHECK(ar_host_notify_count[AR_MBOX_VQ] == 2, "RX not signalled");
}

static void t_back_pressure(void)
{
	struct ar_rpmsg_stats before;
	struct lx_msg m;
	unsigned int i;
	uint8_t data[3][16];

	boot();
	/* Linux stops handing receive buffers back until all are used. */
	lx_hold_rx = 1;
	for (i = 0; i < LX_NUM; i++)
		echo_once(LX_EPT, 4);
	CHECK(lx_nheld == LX_NUM, "%u buffers used", lx_nheld);
	before = rp.st;
	for (i = 0; i < 3; i++) {
		fill(data[i], sizeof(data[i]), 100 + i);
		lx_send(LX_EPT, ECHO, data[i], sizeof(data[i]));
	}
	ar_rpmsg_poll(&rp);
	ar_rpmsg_poll(&rp);
	CHECK(lx_tx_done() == 0, "TX consumed with no RX buffer: dropped");
	CHECK(lx_rx_pending() == 0, "reply without a buffer");
	CHECK(!memcmp(&before, &rp.st, sizeof(before)), "counters moved while blocked");
	lx_release_rx();
	ar_rpmsg_poll(&rp);
	CHECK(lx_tx_done() == 3, "held messages not consumed");
	for (i = 0; i < 3; i++)
		CHECK(lx_recv(&m) && m.h.len == 16 && !memcmp(m.data, data[i], 16),
		      "held message %u not echoed in order", i);
	CHECK(echo_once(LX_EPT, 100), "echo after back-pressure");
}

static void t_send_limits(void)
{
	uint8_t big[LX_BUF] = { 0 };

	boot();
	CHECK(ar_rpmsg_send(&rp, ECHO, LX_EPT, big, AR_RPMSG_MAX_PAYLOAD + 1) ==
	      -EMSGSIZE, "497 bytes accepted");
	CHECK(ar_rpmsg_send(&rp, ECHO, LX_EPT, big, AR_RPMSG_MAX_PAYLOAD) == 0,
	      "496 bytes refused");
}

/*
 * Runs a hostile step; checks it was counted, nobody got a reply, the TX
 * buffer came back (or not, when its index was unusable), and echo still
 * works afterwards.
 */
#define SURVIVES(counter, returned, ...) do { \
	uint32_t before_ = rp.st.counter; \
	unsigned int back_; \
	__VA_ARGS__; \
	ar_rpmsg_poll(&rp); \
	CHECK(rp.st.counter - before_ == 1, #counter " +%u, want +1", \
	      rp.st.counter - before_); \
	CHECK(lx_rx_pending() == 0, "replied to a bad message"); \
	back_ = lx_tx_done(); \
	CHECK(back_ == (returned), "%u TX buffers returned, want %u", back_, \
	      (unsigned int)(returned)); \
	CHECK(echo_once(LX_EPT, 33), "echo after a bad message"); \
} while (0)

static void t_bad_desc_index(void)
{
	boot();
	SURVIVES(bad_desc, 0, lx_send_raw(LX_NUM, 0, 0, 0, 0));
	SURVIVES(bad_desc, 0, lx_send_raw(0xffff, 0, 0, 0, 0));
}

static void t_bad_addr(void)
{
	uint64_t sum;

	boot();
	sum = outside_rings_and_pool();
	/* In the vring region, in Linux RAM, just before and across the pool. */
	SURVIVES(bad_addr, 1, lx_send_raw(5, LX_PA(AR_VRING1_OFF), 64, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(5, 0x40000000, 64, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(5, LX_PA(AR_VBUF_OFF) - 8, 64, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(5, LX_PA(LX_POOL_END) - 32, 64, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(5, LX_PA(LX_POOL_END), 16, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(5, 0, 64, 0, 0));
	/* Remote addresses are not Linux addresses. */
	SURVIVES(bad_addr, 1, lx_send_raw(5, AR_WIN_REMOTE_DA + AR_VBUF_OFF, 64, 0, 0));
	CHECK(outside_rings_and_pool() == sum, "wrote outside the rings and the pool");
}

static void t_addr_wrap(void)
{
	boot();
	SURVIVES(bad_addr, 1, lx_send_raw(7, 0xfffffffffffffff0ull, 64, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(7, 0xffffffffffffff00ull, LX_BUF, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(7, LX_PA(AR_VBUF_OFF) + 0x100000000ull, 64, 0, 0));
}

static void t_bad_len(void)
{
	struct lx_hdr h = { .src = LX_EPT, .dst = ECHO, .len = 0 };

	boot();
	memcpy(lx_win + LX_TX_BUF_OFF(9), &h, sizeof(h));
	SURVIVES(bad_addr, 1, lx_send_raw(9, LX_PA(LX_TX_BUF_OFF(9)), LX_BUF + 1, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(9, LX_PA(LX_TX_BUF_OFF(9)), 4096, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(9, LX_PA(LX_TX_BUF_OFF(9)), 0xffffffff, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(9, LX_PA(LX_TX_BUF_OFF(9)), LX_HDR - 1, 0, 0));
	SURVIVES(bad_addr, 1, lx_send_raw(9, LX_PA(LX_TX_BUF_OFF(9)), 0, 0, 0));
}

static void t_bad_hdr_len(void)
{
	struct lx_hdr h = { .src = LX_EPT, .dst = ECHO, .len = 11 };
	struct lx_msg m;

	boot();
	memcpy(lx_win + LX_TX_BUF_OFF(3), &h, sizeof(h));
	SURVIVES(bad_msg, 1, lx_send_raw(3, LX_PA(LX_TX_BUF_OFF(3)), LX_HDR + 10, 0, 0));
	h.len = 0xffff;
	memcpy(lx_win + LX_TX_BUF_OFF(3), &h, sizeof(h));
	SURVIVES(bad_msg, 1, lx_send_raw(3, LX_PA(LX_TX_BUF_OFF(3)), LX_BUF, 0, 0));
	/* Exactly fitting is fine. */
	h.len = 10;
	memcpy(lx_win + LX_TX_BUF_OFF(3), &h, sizeof(h));
	lx_send_raw(3, LX_PA(LX_TX_BUF_OFF(3)), LX_HDR + 10, 0, 0);
	ar_rpmsg_poll(&rp);
	CHECK(rp.st.bad_msg == 2 && lx_recv(&m) && m.h.len == 10,
	      "a header length that exactly fits was refused");
}

static void t_desc_chain(void)
{
	boot();
	/* A descriptor chained to itself, a two-element loop, indirect, write. */
	SURVIVES(bad_desc, 1, lx_send_raw(4, LX_PA(LX_TX_BUF_OFF(4)), 32,
					   AR_VRING_DESC_F_NEXT, 4));
	SURVIVES(bad_desc, 1, lx_tx.desc[6] = (struct ar_vring_desc){
			 LX_PA(LX_TX_BUF_OFF(6)), 32, AR_VRING_DESC_F_NEXT, 4 };
		 lx_send_raw(4, LX_PA(LX_TX_BUF_OFF(4)), 32, AR_VRING_DESC_F_NEXT, 6));
	SURVIVES(bad_desc, 1, lx_send_raw(4, LX_PA(LX_TX_BUF_OFF(4)), 32,
					   AR_VRING_DESC_F_INDIRECT, 0));
	SURVIVES(bad_desc, 1, lx_send_raw(4, LX_PA(LX_TX_BUF_OFF(4)), 32,
					   AR_VRING_DESC_F_WRITE, 0));
}

static void t_avail_jump(void)
{
	uint16_t good;

	boot();
	good = lx_tx.avail_idx;
	lx_tx.avail->idx = (uint16_t)(good + 1000);
	ar_rpmsg_poll(&rp);
	CHECK(rp.st.bad_avail == 1, "bad_avail %u", rp.st.bad_avail);
	lx_tx.avail->idx = (uint16_t)(good + LX_NUM + 1);
	ar_rpmsg_poll(&rp);
	CHECK(rp.st.bad_avail == 2, "one past num not caught");
	CHECK(lx_tx_done() == 0 && lx_rx_pending() == 0, "consumed a bogus entry");
	/* Linux fixes its index: normal service resumes. */
	lx_tx.avail->idx = good;
	CHECK(echo_once(LX_EPT, 77), "echo after the index came back");
	/* The same on the receive ring: the message waits, then goes out. */
	lx_rx.avail->idx = (uint16_t)(lx_rx.avail_idx + 5000);
	lx_send(LX_EPT, ECHO, "wait", 4);
	ar_rpmsg_poll(&rp);
	CHECK(rp.st.bad_avail == 3 && lx_rx_pending() == 0 && lx_tx_done() == 0,
	      "RX index jump not caught");
	lx_rx.avail->idx = lx_rx.avail_idx;
	ar_rpmsg_poll(&rp);
	CHECK(lx_tx_done() == 1 && lx_rx_pending() == 1, "held message not served");
}

static void t_unknown_dst(void)
{
	boot();
	SURVIVES(no_ept, 1, lx_send(LX_EPT, ECHO + 1, "lost", 4));
	SURVIVES(no_ept, 1, lx_send(LX_EPT, AR_RPMSG_NS_ADDR, "ns", 2));
}

static void t_bad_rx_buffers(void)
{
	struct ar_rpmsg_stats before;
	uint16_t id[4];
	struct lx_msg m;
	unsigned int i;

	boot();
	/* Use up every receive buffer, then post bad ones ahead of a good one. */
	lx_hold_rx = 1;
	for (i = 0; i < LX_NUM; i++)
		CHECK(echo_once(LX_EPT, 1), "echo while draining");
	for (i = 0; i < 4; i++)
		id[i] = lx_held[i];
	lx_rx.desc[id[0]].addr = LX_PA(AR_CTRL_OFF);		/* outside the pool */
	lx_rx.desc[id[1]].flags = 0;			/* device may not write */
	lx_rx.desc[id[2]].len = 20;			/* too short for the reply */
	lx_post(&lx_rx, id[0]);
	lx_post(&lx_rx, id[1]);
	lx_post(&lx_rx, id[2]);
	lx_post(&lx_rx, 0x7fff);				/* index out of range */
	lx_post(&lx_rx, id[3]);
	before = rp.st;
	lx_send(LX_EPT, ECHO, "0123456789abcdefghijklmnop", 26);
	ar_rpmsg_poll(&rp);
	CHECK(rp.st.bad_addr - before.bad_addr == 2, "bad_addr +%u",
	      rp.st.bad_addr - before.bad_addr);
	CHECK(rp.st.bad_desc - before.bad_desc == 2, "bad_desc +%u",
	      rp.st.bad_desc - before.bad_desc);
	CHECK(lx_recv(&m) && m.id == id[3] && m.h.len == 26 &&
	      !memcmp(m.data, "0123456789abcdefghijklmnop", 26),
	      "reply not in the good buffer");
	CHECK(lx_rx_pending() == 0, "bad buffers handed back to Linux");
	CHECK(lx_win[AR_CTRL_OFF] == 0, "wrote into the control page");
}

static void t_vring_rejected(void)
{
	static const struct {
		const char *what;
		int ring;
		uint32_t da, num, align;
	} cases[] = {
		{ "da in the other ring's region", 0, AR_VRING1_OFF, LX_NUM, AR_VRING_ALIGN },
		{ "da past its region", 1, AR_VRING1_OFF + AR_VRING_REGION_SIZE, LX_NUM, AR_VRING_ALIGN },
		{ "ring overruns its region", 0, AR_VRING0_OFF + 0x6000, LX_NUM, AR_VRING_ALIGN },
		{ "da misaligned", 1, AR_VRING1_OFF + 0x100, LX_NUM, AR_VRING_ALIGN },
		{ "da below the window", 0, 0, LX_NUM, AR_VRING_ALIGN },
		{ "num 128", 0, AR_VRING0_OFF, 128, AR_VRING_ALIGN },
		{ "num 0", 1, AR_VRING1_OFF, 0, AR_VRING_ALIGN },
		{ "num 257", 0, AR_VRING0_OFF, 257, AR_VRING_ALIGN },
		{ "align 16", 1, AR_VRING1_OFF, LX_NUM, 16 },
	};
	unsigned int i;
	struct lx_msg m;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fw_load();
		lx_start();
		lx_table->vdev.vring[cases[i].ring].da = cases[i].da ?
			AR_WIN_REMOTE_DA + cases[i].da : 0x1000;
		lx_table->vdev.vring[cases[i].ring].num = cases[i].num;
		lx_table->vdev.vring[cases[i].ring].align = cases[i].align;
		ar_rpmsg_poll(&rp);
		ar_rpmsg_poll(&rp);
		CHECK(rp.st.bad_vring == 1 && rp.state == AR_RPMSG_BROKEN,
		      "%s: accepted", cases[i].what);
		CHECK(lx_rx_pending() == 0 && ar_host_notify_count[AR_MBOX_VQ] == 0,
		      "%s: used the rings", cases[i].what);
		/* Linux resets the vdev and starts it again, correctly. */
		lx_stop();
		ar_rpmsg_poll(&rp);
		lx_table->vdev.vring[cases[i].ring].num = LX_NUM;
		lx_table->vdev.vring[cases[i].ring].align = AR_VRING_ALIGN;
		lx_start();
		ar_rpmsg_poll(&rp);
		CHECK(lx_recv(&m) && ns_ok(&m), "%s: no announcement after the fix",
		      cases[i].what);
		CHECK(echo_once(LX_EPT, 12), "%s: echo after the fix", cases[i].what);
	}
}

static void t_restart(void)
{
	struct lx_msg m;

	boot();
	CHECK(echo_once(LX_EPT, 5), "echo");
	lx_stop();
	ar_rpmsg_poll(&rp);
	CHECK(rp.state == AR_RPMSG_WAIT, "did not notice the reset");
	lx_table->vdev.status = 0x1;	/* virtio_dev_remove re-adds ACKNOWLEDGE */
	ar_rpmsg_poll(&rp);
	CHECK(rp.state == AR_RPMSG_WAIT, "left WAIT without DRIVER_OK");
	lx_start();
	ar_rpmsg_poll(&rp);
	CHECK(lx_recv(&m) && ns_ok(&m), "not announced again");
	CHECK(echo_once(LX_EPT + 7, 496), "echo after restart");
}

static uint32_t rng = 0x12345678;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void t_fuzz(void)
{
	uint8_t *ring[2] = { lx_win + AR_VRING0_OFF, lx_win + AR_VRING1_OFF };
	uint64_t sum;
	unsigned int round, k;

	boot();
	sum = outside_rings_and_pool();
	ar_host_console_quiet = 1;
	for (round = 0; round < 20000; round++) {
		uint8_t *r = ring[rnd() & 1];

		switch (rnd() % 8) {
		case 0:	/* random bytes anywhere in a ring */
			for (k = rnd() % 16; k; k--)
				r[rnd() % lx_vring_bytes()] = (uint8_t)rnd();
			break;
		case 1:	/* a random descriptor, plausible or not */
			k = rnd() % LX_NUM;
			((struct ar_vring_desc *)r)[k] = (struct ar_vring_desc){
				rnd() & 1 ? LX_PA(AR_VBUF_OFF + rnd() % AR_VBUF_SIZE) :
					    (uint64_t)rnd() << (rnd() % 40),
				rnd() & 1 ? rnd() % 600 : rnd(),
				(uint16_t)(rnd() & 7), (uint16_t)rnd() };
			break;
		case 2:	/* avail index: mostly plausible, sometimes anything */
			k = r == ring[0] ? rp.vq_rx.last_avail : rp.vq_tx.last_avail;
			((struct ar_vring_avail *)(r + 16 * LX_NUM))->idx =
				(uint16_t)(rnd() % 4 ? k + rnd() % (LX_NUM + 1) : rnd());
			break;
		case 3:	/* garbage in a TX buffer header */
			k = rnd() % LX_NUM;
			lx_win[LX_TX_BUF_OFF(k) + rnd() % LX_HDR] = (uint8_t)rnd();
			break;
		case 4:	/* the vdev reset and restarted, maybe with bad vrings */
			lx_table->vdev.status = (uint8_t)(rnd() & 1 ? 0x7 : rnd());
			k = rnd() & 1;
			if (rnd() % 4 == 0)
				lx_table->vdev.vring[k].da = AR_WIN_REMOTE_DA +
					(k ? AR_VRING1_OFF : AR_VRING0_OFF) +
					(rnd() % 3 ? 0 : rnd() % 0x10000);
			break;
		default:	/* ordinary traffic mixed in */
			lx_send(LX_EPT, ECHO, "fuzz", 4);
			break;
		}
		ar_rpmsg_poll(&rp);
	}
	ar_host_console_quiet = 0;
	CHECK(outside_rings_and_pool() == sum, "wrote outside the rings and the pool");
	printf("# fuzz: in %u out %u bad_vring %u bad_avail %u bad_desc %u "
	       "bad_addr %u bad_msg %u no_ept %u\n", rp.st.msgs_in, rp.st.msgs_out,
	       rp.st.bad_vring, rp.st.bad_avail, rp.st.bad_desc, rp.st.bad_addr,
	       rp.st.bad_msg, rp.st.no_ept);
	/* Linux restarts the vdev: everything works again. */
	boot();
	CHECK(echo_once(LX_EPT, 200), "echo after the fuzzing");
}

static void t_trace(void)
{
	char mem[40];
	struct ar_trace t;
	unsigned int i;

	memset(mem, 'X', sizeof(mem));
	ar_trace_init(&t, mem + 4, 32);
	CHECK(mem[4] == '\0', "empty trace not terminated");
	ar_trace_write(&t, "boot line\n", 10);
	CHECK(!strcmp(mem + 4, "boot line\n"), "got '%s'", mem + 4);
	/* Byte by byte, so every position is the end of some write. */
	for (i = 0; i < 100; i++) {
		ar_trace_write(&t, &"abcdefg"[i % 7], 1);
		CHECK(memchr(mem + 4, '\0', 32) != NULL, "not terminated at %u", i);
	}
	ar_trace_write(&t, "0123456789012345678901234567890123456789", 40);
	CHECK(memchr(mem + 4, '\0', 32) != NULL, "long write not terminated");
	for (i = 0; i < 4; i++)
		CHECK(mem[i] == 'X' && mem[36 + i] == 'X', "wrote outside the buffer");
}

static void t_format(void)
{
	char b[64];
	const char *volatile none = NULL;	/* hidden from -Wformat */

	ar_snprintf(b, sizeof(b), "%u %d %x %08x %s %c %5u|%-4s|%%", 42u, -7, 0xbeefu,
		    0x1234u, "str", 'c', 3u, "ab");
	CHECK(!strcmp(b, "42 -7 beef 00001234 str c     3|ab  |%"), "got '%s'", b);
	ar_snprintf(b, sizeof(b), "%05d %lu %s", -42, 4000000000ul, none);
	CHECK(!strcmp(b, "-0042 4000000000 (null)"), "got '%s'", b);
	CHECK(ar_snprintf(b, 8, "%s", "0123456789") == 7 && !strcmp(b, "0123456"),
	      "truncation: '%s'", b);
}

static const struct lx_test tests[] = {
	{ "resource table is what Linux's parser expects", t_rsc_table },
	{ "nothing happens before DRIVER_OK", t_waits_for_driver_ok },
	{ "DRIVER_OK brings one name-service announcement", t_ns_announcement },
	{ "echo of every size 0..496", t_echo_all_sizes },
	{ "a batch of 40 messages is served with one kick", t_batch_one_kick },
	{ "kicks follow each ring's NO_INTERRUPT flag", t_kick_suppression },
	{ "no RX buffer: TX message kept, served later in order", t_back_pressure },
	{ "send refuses payloads above 496 bytes", t_send_limits },
	{ "hostile: descriptor index out of range", t_bad_desc_index },
	{ "hostile: buffer address outside the pool", t_bad_addr },
	{ "hostile: address + length wraps around", t_addr_wrap },
	{ "hostile: descriptor length < 16 or > 512", t_bad_len },
	{ "hostile: header length beyond the buffer", t_bad_hdr_len },
	{ "hostile: NEXT chains and loops, indirect, write flag", t_desc_chain },
	{ "hostile: avail index jumps far ahead", t_avail_jump },
	{ "message to an unknown address is dropped", t_unknown_dst },
	{ "hostile: bad receive buffers are skipped", t_bad_rx_buffers },
	{ "hostile: vring da, num or align rejected, then fixed", t_vring_rejected },
	{ "vdev reset and restart announces again", t_restart },
	{ "20000 rounds of random ring contents", t_fuzz },
	{ "trace buffer stays terminated and in bounds", t_trace },
	{ "log formatting", t_format },
};

int main(void)
{
	return lx_run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
