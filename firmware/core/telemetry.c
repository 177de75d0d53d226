// SPDX-License-Identifier: GPL-2.0-only
/*
 * Telemetry: a sample every period to the address that sent START. The
 * main loop never waits for Linux: a sample with no free buffer is
 * counted, and the next one that goes out carries the count.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <amprelay/services.h>
#include "log.h"
#include "services.h"

/* Period of the synthetic sensor: one cycle every 2^20 us (~1.05 s). */
#define WAVE_SHIFT	20
#define WAVE_AMPLITUDE	1000

static struct ar_services *from_telem(struct ar_rpmsg_ept *ept)
{
	return (struct ar_services *)((char *)ept - offsetof(struct ar_services, telem_ept));
}

/*
 * A sine-like wave without floating point: two parabolic half cycles,
 * 4x(1-x), which stays within 6% of a sine.
 */
int32_t ar_telemetry_waveform(uint64_t time_us)
{
	uint32_t half = 1u << (WAVE_SHIFT - 1);
	uint32_t phase = (uint32_t)(time_us & ((1u << WAVE_SHIFT) - 1));
	uint32_t x = phase % half;	/* position in the half cycle */
	uint64_t v = 4ull * WAVE_AMPLITUDE * x * (half - x) / ((uint64_t)half * half);

	return phase < half ? (int32_t)v : -(int32_t)v;
}

static int telem_ack(struct ar_rpmsg *rp, struct ar_services *s, uint32_t dst,
		     uint32_t op, uint16_t status)
{
	struct ar_telem_ack ack = {
		.magic = AR_TELEM_MAGIC,
		.kind = AR_TELEM_KIND_ACK,
		.status = status,
		.op = op,
		.period_us = s->params[AR_PARAM_TELEM_PERIOD_US],
	};

	return ar_rpmsg_send(rp, s->telem_ept.addr, dst, &ack, sizeof(ack));
}

static int telem_cb(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
		    uint32_t src, const uint8_t *data, uint32_t len)
{
	struct ar_services *s = from_telem(ept);
	struct ar_telem_ctl ctl;
	uint16_t st = AR_CMD_ST_OK;
	int err;

	memset(&ctl, 0, sizeof(ctl));
	memcpy(&ctl, data, len < sizeof(ctl) ? len : sizeof(ctl));
	if (len < sizeof(ctl))
		st = AR_CMD_ST_SHORT;
	else if (len != sizeof(ctl))
		st = AR_CMD_ST_BAD_LEN;
	else if (ctl.magic != AR_TELEM_MAGIC)
		st = AR_CMD_ST_BAD_MAGIC;
	else if (ctl.op != AR_TELEM_START && ctl.op != AR_TELEM_STOP)
		st = AR_CMD_ST_UNKNOWN_OP;

	err = telem_ack(rp, s, src, len >= 8 ? ctl.op : 0, st);
	if (err == -EAGAIN)
		return -EAGAIN;
	if (err)
		ept->drops++;
	if (st != AR_CMD_ST_OK) {
		ept->errors++;
		return 0;
	}
	if (ctl.op == AR_TELEM_STOP) {
		s->telem_active = 0;
	} else {
		/* A new START replaces any stream, to whoever asked last. */
		s->telem_active = 1;
		s->telem_dst = src;
		s->telem_left = ctl.count;
		s->telem_limited = ctl.count != 0;
		s->telem_seq = 0;
		s->telem_dropped = 0;
		s->telem_dropped_total = 0;
		s->telem_due_us = s->now_us;
	}
	if (s->params[AR_PARAM_LOG_LEVEL])
		ar_log("telemetry: %s for 0x%x, count %u, period %u us\n",
		       ctl.op == AR_TELEM_STOP ? "stop" : "start", (unsigned int)src,
		       (unsigned int)ctl.count,
		       (unsigned int)s->params[AR_PARAM_TELEM_PERIOD_US]);
	return 0;
}

/* Produces the sample for the current seq; 1 if Linux got it. */
static int telem_send_one(struct ar_services *s)
{
	struct ar_telem_sample smp;
	int pending_rx = ar_vq_pending(&s->rp->vq_tx);
	int free_rx = ar_vq_pending(&s->rp->vq_rx);

	memset(&smp, 0, sizeof(smp));
	smp.magic = AR_TELEM_MAGIC;
	smp.kind = AR_TELEM_KIND_SAMPLE;
	smp.seq = s->telem_seq;
	smp.period_us = s->params[AR_PARAM_TELEM_PERIOD_US];
	smp.time_us = s->now_us;
	smp.loops = s->loops;
	smp.dropped = s->telem_dropped;
	smp.dropped_total = s->telem_dropped_total;
	smp.rx_pending = (uint16_t)(pending_rx < 0 ? 0 : pending_rx);
	smp.tx_free = (uint16_t)(free_rx < 0 ? 0 : free_rx);
	smp.sensor = ar_telemetry_waveform(s->now_us);
	s->telem_seq++;
	if (ar_rpmsg_send(s->rp, s->telem_ept.addr, s->telem_dst, &smp, sizeof(smp))) {
		s->telem_dropped++;
		s->telem_dropped_total++;
		s->telem_ept.drops++;
		return 0;
	}
	s->telem_dropped = 0;
	return 1;
}

void ar_telemetry_poll(struct ar_services *s)
{
	uint32_t period = s->params[AR_PARAM_TELEM_PERIOD_US];
	uint64_t late;
	unsigned int burst = 0;

	if (!s->telem_active)
		return;
	/* Far behind: skip to the present, counting the periods skipped. */
	if (s->now_us >= s->telem_due_us + (uint64_t)AR_TELEM_CATCHUP * period) {
		late = (s->now_us - s->telem_due_us) / period + 1 - AR_TELEM_CATCHUP;
		s->telem_seq += (uint32_t)late;
		s->telem_dropped += (uint32_t)late;
		s->telem_dropped_total += (uint32_t)late;
		s->telem_ept.drops += (uint32_t)late;
		s->telem_due_us += late * period;
	}
	while (s->telem_active && s->now_us >= s->telem_due_us &&
	       burst++ < AR_TELEM_CATCHUP) {
		s->telem_due_us += period;
		if (telem_send_one(s) && s->telem_limited && --s->telem_left == 0)
			s->telem_active = 0;
	}
}

void ar_telemetry_init(struct ar_services *s)
{
	ar_rpmsg_add_ept(s->rp, &s->telem_ept, AR_SVC_TELEM_NAME, AR_SVC_TELEM_ADDR,
			 telem_cb);
}
