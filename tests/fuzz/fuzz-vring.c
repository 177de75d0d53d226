// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: a hostile Linux at the virtio level. The input picks
 * the vring addresses, sizes and alignment Linux reports in the vdev
 * entry, then runs a program of ring operations: descriptors with any
 * index, address, length, flags and chain; raw avail indices; corrupted
 * receive descriptors; raw bytes anywhere in the ring regions; vdev
 * status changes; firmware polls. The firmware must survive all of it
 * (ASan/UBSan watch memory) and never hand Linux an impossible used entry.
 */
#include "fuzz-fw.h"

enum { OP_POST_TX, OP_AVAIL_IDX, OP_BAD_RX, OP_POLL, OP_STATUS, OP_RING_BYTES,
       OP_SEND_OK, OP_NUM };

static void set_vring(struct fz_in *in, int i)
{
	/* Mostly near the right place, so the checks beyond da are reached. */
	uint8_t how = fz_u8(in);
	uint32_t base = i ? AR_VRING1_OFF : AR_VRING0_OFF;

	if (how & 1)
		lx_table->vdev.vring[i].da = fz_u32(in);
	else if (how & 2)
		lx_table->vdev.vring[i].da = AR_WIN_REMOTE_DA + base + fz_u16(in);
	if (how & 4)
		lx_table->vdev.vring[i].num = fz_u16(in);
	if (how & 8)
		lx_table->vdev.vring[i].align = fz_u32(in);
}

static void post_tx(struct fz_in *in)
{
	uint16_t head = fz_u16(in);
	uint8_t sel = fz_u8(in);
	uint64_t addr;
	uint32_t len = fz_u32(in);
	uint16_t flags = fz_u16(in), next = fz_u16(in);
	uint8_t payload[LX_BUF];
	uint32_t n = fz_bytes(in, payload, fz_u8(in));
	uint16_t slot = head % LX_NUM;

	switch (sel & 3) {
	case 0:		/* the right buffer */
		addr = LX_PA(LX_TX_BUF_OFF(slot));
		break;
	case 1:		/* anywhere in the pool */
		addr = LX_PA(AR_VBUF_OFF) + fz_u32(in) % AR_VBUF_SIZE;
		break;
	case 2:		/* anywhere in the window */
		addr = LX_PA(fz_u32(in) % AR_WIN_SIZE);
		break;
	default:
		addr = fz_u64(in);
		break;
	}
	memcpy(lx_win + LX_TX_BUF_OFF(slot), payload, n);
	if (head < LX_NUM || (sel & 4)) {
		lx_tx.desc[slot].addr = addr;
		lx_tx.desc[slot].len = len;
		lx_tx.desc[slot].flags = flags;
		lx_tx.desc[slot].next = next;
	}
	lx_post(&lx_tx, (sel & 8) ? head : slot);
}

/* Raw bytes over the descriptors and avail ring (Linux's side) of a ring. */
static void ring_bytes(struct fz_in *in)
{
	uint32_t region = fz_u8(in) & 1 ? AR_VRING1_OFF : AR_VRING0_OFF;
	uint32_t off = fz_u16(in) % lx_vring_used_off();
	uint32_t len = fz_u8(in);

	if (len > lx_vring_used_off() - off)
		len = lx_vring_used_off() - off;
	fz_bytes(in, lx_win + region + off, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	unsigned int ops = 0;

	fz_boot(0);
	lx_start();
	set_vring(&in, 0);
	set_vring(&in, 1);
	fz_pass();
	fz_lx_drain();

	while (in.left && ops++ < 256) {
		struct lx_hdr h;
		uint8_t body[64];

		switch (fz_u8(&in) % OP_NUM) {
		case OP_POST_TX:
			post_tx(&in);
			break;
		case OP_AVAIL_IDX:
			lx_tx.avail->idx = fz_u16(&in);
			break;
		case OP_BAD_RX: {
			uint16_t i = fz_u8(&in) % LX_NUM;

			lx_rx.desc[i].addr = fz_u64(&in);
			lx_rx.desc[i].len = fz_u32(&in);
			lx_rx.desc[i].flags = fz_u16(&in);
			lx_rx.desc[i].next = fz_u16(&in);
			break;
		}
		case OP_POLL:
			fz_pass();
			break;
		case OP_STATUS:
			lx_table->vdev.status = fz_u8(&in);
			break;
		case OP_RING_BYTES:
			ring_bytes(&in);
			break;
		case OP_SEND_OK:
			h.src = LX_EPT;
			h.dst = AR_SVC_ECHO_ADDR;
			h.reserved = 0;
			h.flags = 0;
			h.len = (uint16_t)fz_bytes(&in, body, fz_u8(&in) % sizeof(body));
			lx_send_hdr(&h, body, h.len);
			break;
		}
		fz_pass();
		/*
		 * Linux reads what came back, like its callback would. After
		 * a vdev reset the firmware starts its used index again at 0
		 * while this Linux does not reset its rings: skip ahead.
		 */
		if (lx_rx_pending() <= LX_NUM)
			fz_lx_drain();
		else
			lx_rx.last_used = lx_rx.used->idx;
	}
	return 0;
}
