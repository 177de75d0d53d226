// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared state of the services: parameters, statistics, the fault that a
 * command scheduled, the delayed echo and the interop echo channels.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <amprelay/platform.h>
#include "echo.h"
#include "log.h"
#include "services.h"

#define FW_NAME		"amprelay-fw"

static struct ar_services *from_echo(struct ar_rpmsg_ept *ept)
{
	return (struct ar_services *)((char *)ept - offsetof(struct ar_services, echo_ept));
}

int ar_services_verbose(const struct ar_services *s)
{
	return s->params[AR_PARAM_LOG_LEVEL] >= 2;
}

/*
 * amprelay-echo: immediate without a delay; with one, the message is
 * copied aside and sent back when due, and the next one waits in the
 * vring until then (back-pressure, as any slow service).
 */
static int delayed_echo_cb(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
			   uint32_t src, const uint8_t *data, uint32_t len)
{
	struct ar_services *s = from_echo(ept);
	uint32_t delay_ms = s->params[AR_PARAM_ECHO_DELAY_MS];

	if (!delay_ms)
		return ar_rpmsg_send(rp, ept->addr, src, data, len);
	if (s->echo_holding)
		return -EAGAIN;
	/* len is bounded by the core (<= the buffer's payload). */
	memcpy(s->echo_held, data, len);
	s->echo_held_len = len;
	s->echo_held_dst = src;
	s->echo_due_us = s->now_us + (uint64_t)delay_ms * 1000u;
	s->echo_holding = 1;
	return 0;
}

static void echo_poll(struct ar_services *s)
{
	int err;

	if (!s->echo_holding || s->now_us < s->echo_due_us)
		return;
	err = ar_rpmsg_send(s->rp, s->echo_ept.addr, s->echo_held_dst,
			    s->echo_held, s->echo_held_len);
	if (err == -EAGAIN)
		return;		/* no buffer yet: next pass */
	if (err)
		s->echo_ept.drops++;	/* vdev went away: the reply is lost */
	s->echo_holding = 0;
}

uint16_t ar_services_get_param(struct ar_services *s, uint32_t id, uint32_t *value)
{
	if (id == 0 || id >= AR_PARAM_NUM)
		return AR_CMD_ST_UNKNOWN_PARAM;
	*value = s->params[id];
	return AR_CMD_ST_OK;
}

uint16_t ar_services_set_param(struct ar_services *s, uint32_t id, uint32_t value)
{
	switch (id) {
	case AR_PARAM_TELEM_PERIOD_US:
		if (value < AR_TELEM_PERIOD_MIN_US || value > AR_TELEM_PERIOD_MAX_US)
			return AR_CMD_ST_RANGE;
		/* The running stream moves to the new period from now. */
		s->telem_due_us = s->now_us + value;
		break;
	case AR_PARAM_ECHO_DELAY_MS:
		if (value > AR_ECHO_DELAY_MAX_MS)
			return AR_CMD_ST_RANGE;
		break;
	case AR_PARAM_LOG_LEVEL:
		if (value > AR_LOG_LEVEL_MAX)
			return AR_CMD_ST_RANGE;
		break;
	default:
		return AR_CMD_ST_UNKNOWN_PARAM;
	}
	s->params[id] = value;
	if (s->params[AR_PARAM_LOG_LEVEL] >= 1)
		ar_log("svc: parameter %u set to %u\n", (unsigned int)id,
		       (unsigned int)value);
	return AR_CMD_ST_OK;
}

uint16_t ar_services_schedule_fault(struct ar_services *s, uint32_t type)
{
	if (type == 0 || type >= AR_FAULT_NUM)
		return AR_CMD_ST_RANGE;
	if (s->fault_type)
		return AR_CMD_ST_BUSY;
	s->fault_type = type;
	return AR_CMD_ST_OK;
}

static void fault_poll(struct ar_services *s)
{
	static const char *const names[] = AR_FAULT_NAMES;
	uint32_t type = s->fault_type;

	if (!type)
		return;
	s->fault_type = 0;
	s->faults_injected++;
	ar_log("svc: injecting fault %s\n", names[type]);
	if (s->cfg.fault_inject)
		s->cfg.fault_inject(type);
}

static void stats_chan(struct ar_cmd_chan_stats *c, const struct ar_rpmsg_ept *e)
{
	uint32_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(c->name) - 1 && e->name[i]; i++)
		c->name[i] = e->name[i];
	c->addr = e->addr;
	c->msgs_in = e->msgs_in;
	c->bytes_in = e->bytes_in;
	c->msgs_out = e->msgs_out;
	c->bytes_out = e->bytes_out;
	c->drops = e->drops;
	c->errors = e->errors;
}

uint32_t ar_services_stats(struct ar_services *s, struct ar_cmd_stats *st)
{
	const struct ar_rpmsg_stats *r = &s->rp->st;
	const struct ar_rpmsg_ept *e;
	uint32_t n = 0;

	memset(st, 0, sizeof(*st));
	st->boot_count = s->cfg.ctrl ? s->cfg.ctrl->boot_count : 0;
	if (s->cfg.crash && s->cfg.crash->magic == AR_CRASH_MAGIC)
		st->crash_count = s->cfg.crash->count;
	st->faults_injected = s->faults_injected;
	st->bad_vring = r->bad_vring;
	st->bad_avail = r->bad_avail;
	st->bad_desc = r->bad_desc;
	st->bad_addr = r->bad_addr;
	st->bad_msg = r->bad_msg;
	st->no_ept = r->no_ept;
	for (e = s->rp->epts; e && n < AR_CMD_MAX_CHANNELS; e = e->next)
		if (e->name)
			stats_chan(&st->chan[n++], e);
	st->nchan = n;
	return (uint32_t)offsetof(struct ar_cmd_stats, chan) +
	       n * (uint32_t)sizeof(struct ar_cmd_chan_stats);
}

void ar_services_version(struct ar_services *s, struct ar_cmd_version *v)
{
	memset(v, 0, sizeof(*v));
	v->build_id = s->cfg.build_id;
	v->proto = AR_CMD_PROTO_VERSION;
	v->boot_count = s->cfg.ctrl ? s->cfg.ctrl->boot_count : 0;
	memcpy(v->name, FW_NAME, sizeof(FW_NAME));
}

uint64_t ar_services_clock(uint64_t *total, uint32_t *last, uint32_t now32)
{
	uint32_t step = now32 - *last;

	/*
	 * Forward steps (modulo 2^32, so the wrap is one too) add up; a
	 * small step back - a port clock read racing its tick interrupt -
	 * is ignored rather than taken for a wrap.
	 */
	if (step < 0x80000000u) {
		*total += step;
		*last = now32;
	}
	return *total;
}

void ar_services_init(struct ar_services *s, struct ar_rpmsg *rp,
		      const struct ar_svc_config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->rp = rp;
	s->cfg = *cfg;
	s->params[AR_PARAM_TELEM_PERIOD_US] = AR_TELEM_PERIOD_DEFAULT_US;
	s->params[AR_PARAM_ECHO_DELAY_MS] = 0;
	s->params[AR_PARAM_LOG_LEVEL] = AR_LOG_LEVEL_DEFAULT;

	/* Registration order is announcement order and stats order. */
	ar_rpmsg_add_ept(rp, &s->echo_ept, AR_SVC_ECHO_NAME, AR_SVC_ECHO_ADDR,
			 delayed_echo_cb);
	ar_command_init(s);
	ar_telemetry_init(s);
	ar_console_init(s);
	ar_echo_init_as(rp, &s->sample_ept, AR_SVC_SAMPLE_NAME, AR_SVC_SAMPLE_ADDR);
	ar_echo_init_as(rp, &s->openamp_ept, AR_SVC_OPENAMP_NAME, AR_SVC_OPENAMP_ADDR);
}

uint64_t ar_services_next_due(struct ar_services *s)
{
	uint64_t due = AR_SVC_NO_DEADLINE;

	if (s->fault_type)
		return s->now_us;
	if (s->rp->state != AR_RPMSG_READY)
		return due;
	/* Output that found no buffer waits for Linux to return one, and ring. */
	if (s->console_known && s->console_out_len && ar_rpmsg_rx_room(s->rp))
		return s->now_us;
	if (s->echo_holding &&
	    (s->echo_due_us > s->now_us || ar_rpmsg_rx_room(s->rp)))
		due = s->echo_due_us;
	/* Always ahead after a pass: a sample with no buffer is dropped. */
	if (s->telem_active && s->telem_due_us < due)
		due = s->telem_due_us;
	return due;
}

void ar_services_poll(struct ar_services *s, uint64_t now_us)
{
	s->now_us = now_us;
	s->loops++;
	/* Scheduled while answering in an earlier pass: the reply is out. */
	fault_poll(s);
	if (s->rp->state != AR_RPMSG_READY) {
		/* Linux reset the vdev: its endpoints are gone. */
		s->telem_active = 0;
		s->console_known = 0;
		s->console_out_len = 0;
		s->echo_holding = 0;
		return;
	}
	echo_poll(s);
	ar_telemetry_poll(s);
	ar_console_poll(s);
}
