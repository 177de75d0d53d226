// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command service: one reply for every request, an error status for
 * anything malformed. The request is copied out of shared memory before
 * it is parsed, so Linux cannot change it between check and use.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <amprelay/services.h>
#include "log.h"
#include "services.h"

/* Header plus the largest body any reply carries. */
union cmd_reply {
	uint8_t bytes[AR_RPMSG_MAX_PAYLOAD];
	struct {
		struct ar_cmd_hdr hdr;
		union {
			struct ar_cmd_version version;
			struct ar_cmd_uptime uptime;
			struct ar_cmd_stats stats;
			struct ar_cmd_param param;
			uint32_t u32;
		} body;
	} msg;
};

static struct ar_services *from_cmd(struct ar_rpmsg_ept *ept)
{
	return (struct ar_services *)((char *)ept - offsetof(struct ar_services, cmd_ept));
}

/* Runs one well-formed request; returns the status, fills the body. */
static uint16_t cmd_run(struct ar_services *s, uint16_t op, const uint8_t *body,
			uint32_t len, union cmd_reply *r, uint32_t *out_len)
{
	struct ar_cmd_param p;
	uint32_t u32;
	uint16_t st;

	*out_len = 0;
	switch (op) {
	case AR_CMD_OP_VERSION:
	case AR_CMD_OP_UPTIME:
	case AR_CMD_OP_STATS:
		if (len)
			return AR_CMD_ST_BAD_BODY;
		if (op == AR_CMD_OP_VERSION) {
			ar_services_version(s, &r->msg.body.version);
			*out_len = sizeof(r->msg.body.version);
		} else if (op == AR_CMD_OP_UPTIME) {
			memset(&r->msg.body.uptime, 0, sizeof(r->msg.body.uptime));
			r->msg.body.uptime.uptime_us = s->now_us;
			r->msg.body.uptime.loops = s->loops;
			*out_len = sizeof(r->msg.body.uptime);
		} else {
			*out_len = ar_services_stats(s, &r->msg.body.stats);
		}
		return AR_CMD_ST_OK;
	case AR_CMD_OP_GET_PARAM:
		if (len != sizeof(u32))
			return AR_CMD_ST_BAD_BODY;
		memcpy(&u32, body, sizeof(u32));
		p.id = u32;
		st = ar_services_get_param(s, u32, &p.value);
		break;
	case AR_CMD_OP_SET_PARAM:
		if (len != sizeof(p))
			return AR_CMD_ST_BAD_BODY;
		memcpy(&p, body, sizeof(p));
		st = ar_services_set_param(s, p.id, p.value);
		break;
	case AR_CMD_OP_FAULT:
		if (len != sizeof(u32))
			return AR_CMD_ST_BAD_BODY;
		memcpy(&u32, body, sizeof(u32));
		st = ar_services_schedule_fault(s, u32);
		if (st == AR_CMD_ST_OK) {
			r->msg.body.u32 = u32;
			*out_len = sizeof(u32);
		}
		return st;
	default:
		return AR_CMD_ST_UNKNOWN_OP;
	}
	if (st == AR_CMD_ST_OK) {
		r->msg.body.param = p;
		*out_len = sizeof(p);
	}
	return st;
}

static int cmd_cb(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
		  uint32_t src, const uint8_t *data, uint32_t len)
{
	struct ar_services *s = from_cmd(ept);
	uint8_t req[AR_RPMSG_MAX_PAYLOAD];
	union cmd_reply r;
	struct ar_cmd_hdr h;
	uint32_t body_len = 0;
	uint16_t st;
	int err;

	/* The core bounds len by the buffer; the copy makes it ours. */
	if (len > sizeof(req))
		len = sizeof(req);
	memcpy(req, data, len);
	memset(&h, 0, sizeof(h));
	memcpy(&h, req, len < sizeof(h) ? len : sizeof(h));

	if (len < sizeof(h)) {
		st = AR_CMD_ST_SHORT;
		h.seq = len >= offsetof(struct ar_cmd_hdr, op) ? h.seq : 0;
		h.op = 0;
	} else if (h.magic != AR_CMD_MAGIC) {
		st = AR_CMD_ST_BAD_MAGIC;
	} else if (h.status || h.reserved) {
		st = AR_CMD_ST_BAD_HEADER;
	} else if (h.len != len - sizeof(h)) {
		st = AR_CMD_ST_BAD_LEN;
	} else if (h.op & AR_CMD_REPLY) {
		st = AR_CMD_ST_UNKNOWN_OP;
	} else {
		st = cmd_run(s, h.op, req + sizeof(h), h.len, &r, &body_len);
	}

	r.msg.hdr.magic = AR_CMD_MAGIC;
	r.msg.hdr.seq = h.seq;
	r.msg.hdr.op = (uint16_t)(h.op | AR_CMD_REPLY);
	r.msg.hdr.status = st;
	r.msg.hdr.len = (uint16_t)body_len;
	r.msg.hdr.reserved = 0;
	err = ar_rpmsg_send(rp, ept->addr, src, &r, sizeof(r.msg.hdr) + body_len);
	if (err == -EAGAIN) {
		/* Answered on a later poll; a scheduled fault must wait for it. */
		if (h.op == AR_CMD_OP_FAULT && st == AR_CMD_ST_OK)
			s->fault_type = 0;
		return -EAGAIN;
	}
	if (err)
		ept->drops++;
	if (st != AR_CMD_ST_OK)
		ept->errors++;
	/* Errors at level 1 are logged 1st, 2nd, 4th...: a flood stays quiet. */
	if (ar_services_verbose(s) ||
	    (st != AR_CMD_ST_OK && s->params[AR_PARAM_LOG_LEVEL] &&
	     !(ept->errors & (ept->errors - 1))))
		ar_log("cmd: seq %u op %u from 0x%x: status %u\n", (unsigned int)h.seq,
		       (unsigned int)h.op, (unsigned int)src, (unsigned int)st);
	return 0;
}

void ar_command_init(struct ar_services *s)
{
	ar_rpmsg_add_ept(s->rp, &s->cmd_ept, AR_SVC_CMD_NAME, AR_SVC_CMD_ADDR, cmd_cb);
}
