/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wire formats of the firmware's rpmsg services beyond echo, shared by the
 * firmware (firmware/core) and the guest tools (kernel/guest). Channel
 * names and addresses are in platform.h (AR_SVC_*). Everything is
 * little-endian, both CPUs are; every struct is packed by construction
 * (natural alignment, no holes) and checked by the _Static_asserts below.
 * docs/services.md describes the protocols.
 */
#ifndef AMPRELAY_SERVICES_H
#define AMPRELAY_SERVICES_H

#include <amprelay/platform.h>

/* ---- command service (AR_SVC_CMD_NAME) ------------------------------- */

#define AR_CMD_MAGIC		0x444d4341	/* "ACMD" */
#define AR_CMD_PROTO_VERSION	1

/* Every request and every reply starts with this header. */
struct ar_cmd_hdr {
	uint32_t magic;		/* AR_CMD_MAGIC */
	uint32_t seq;		/* chosen by the client, copied to the reply */
	uint16_t op;		/* AR_CMD_OP_*; a reply has AR_CMD_REPLY set */
	uint16_t status;	/* AR_CMD_ST_*; 0 in a request */
	uint16_t len;		/* body bytes after the header */
	uint16_t reserved;	/* 0 */
};

#define AR_CMD_REPLY		0x8000

/* Opcodes: request body -> reply body (on AR_CMD_ST_OK). */
#define AR_CMD_OP_VERSION	1	/* none -> struct ar_cmd_version */
#define AR_CMD_OP_UPTIME	2	/* none -> struct ar_cmd_uptime */
#define AR_CMD_OP_STATS		3	/* none -> struct ar_cmd_stats (chan[nchan]) */
#define AR_CMD_OP_GET_PARAM	4	/* uint32_t id -> struct ar_cmd_param */
#define AR_CMD_OP_SET_PARAM	5	/* struct ar_cmd_param -> struct ar_cmd_param */
#define AR_CMD_OP_FAULT		6	/* uint32_t AR_FAULT_* -> the same */
#define AR_CMD_OP_NUM		7

#define AR_CMD_OP_NAMES { \
	"", "version", "uptime", "stats", "get", "set", "fault" }

/*
 * Status of a reply. An error reply has an empty body; its op is the
 * request's op | AR_CMD_REPLY (0 | AR_CMD_REPLY when the request was too
 * short to have one) and its seq the request's (0 when too short).
 */
#define AR_CMD_ST_OK		0
#define AR_CMD_ST_SHORT		1	/* shorter than struct ar_cmd_hdr */
#define AR_CMD_ST_BAD_MAGIC	2
#define AR_CMD_ST_BAD_HEADER	3	/* status or reserved not 0 */
#define AR_CMD_ST_BAD_LEN	4	/* len disagrees with the message size */
#define AR_CMD_ST_UNKNOWN_OP	5
#define AR_CMD_ST_BAD_BODY	6	/* body size wrong for the op */
#define AR_CMD_ST_UNKNOWN_PARAM	7
#define AR_CMD_ST_RANGE		8	/* value or fault type out of range */
#define AR_CMD_ST_BUSY		9	/* a fault is already scheduled */
#define AR_CMD_ST_NUM		10

#define AR_CMD_ST_STRINGS { \
	"ok", "request shorter than its header", "bad magic", \
	"nonzero status or reserved field in request", \
	"length field disagrees with message size", "unknown opcode", \
	"wrong body size for this opcode", "unknown parameter", \
	"value out of range", "a fault is already scheduled" }

struct ar_cmd_version {
	uint32_t build_id;	/* the image header's build id */
	uint32_t proto;		/* AR_CMD_PROTO_VERSION */
	uint32_t boot_count;	/* ctrl.boot_count */
	char name[32];		/* "amprelay-fw", NUL-padded */
};

struct ar_cmd_uptime {
	uint64_t uptime_us;	/* since the firmware started */
	uint32_t loops;		/* main-loop passes */
	uint32_t reserved;
};

/* Parameters (get/set by id; names for the tools in AR_PARAM_NAMES). */
#define AR_PARAM_TELEM_PERIOD_US	1
#define AR_PARAM_ECHO_DELAY_MS		2
#define AR_PARAM_LOG_LEVEL		3
#define AR_PARAM_NUM			4

#define AR_PARAM_NAMES { \
	"", "telemetry-period-us", "echo-delay-ms", "log-level" }

#define AR_TELEM_PERIOD_MIN_US		1000		/* 1 ms */
#define AR_TELEM_PERIOD_MAX_US		10000000	/* 10 s */
#define AR_TELEM_PERIOD_DEFAULT_US	100000
#define AR_ECHO_DELAY_MAX_MS		10000
#define AR_LOG_LEVEL_MAX		2	/* 0 quiet, 1 info, 2 every request */
#define AR_LOG_LEVEL_DEFAULT		1

struct ar_cmd_param {
	uint32_t id;		/* AR_PARAM_* */
	uint32_t value;
};

/* Per-channel counters, one per announced firmware endpoint. */
struct ar_cmd_chan_stats {
	char name[AR_RPMSG_NAME_SIZE];
	uint32_t addr;
	uint32_t msgs_in;	/* messages delivered to the service */
	uint32_t bytes_in;
	uint32_t msgs_out;	/* messages the service sent */
	uint32_t bytes_out;
	uint32_t drops;		/* messages it could not send (no buffer) */
	uint32_t errors;	/* malformed requests (each got an error reply) */
};

#define AR_CMD_MAX_CHANNELS	6

struct ar_cmd_stats {
	uint32_t boot_count;	/* ctrl.boot_count: boots of this window */
	uint32_t crash_count;	/* crash record count (0 without a record) */
	uint32_t faults_injected;	/* FAULT requests run since this boot */
	uint32_t bad_vring;	/* the rpmsg core's counters of bad input */
	uint32_t bad_avail;
	uint32_t bad_desc;
	uint32_t bad_addr;
	uint32_t bad_msg;
	uint32_t no_ept;
	uint32_t nchan;		/* entries of chan[] that follow */
	struct ar_cmd_chan_stats chan[AR_CMD_MAX_CHANNELS];
};

/* ---- telemetry service (AR_SVC_TELEM_NAME) --------------------------- */

#define AR_TELEM_MAGIC		0x4d4c4554	/* "TELM" */

/* Linux -> firmware: start or stop the stream of the sender's address. */
struct ar_telem_ctl {
	uint32_t magic;		/* AR_TELEM_MAGIC */
	uint32_t op;		/* AR_TELEM_START / AR_TELEM_STOP */
	uint32_t count;		/* START: samples to deliver, 0 = until STOP */
};

#define AR_TELEM_START		1
#define AR_TELEM_STOP		2

/* Firmware -> Linux messages start with magic and kind. */
#define AR_TELEM_KIND_SAMPLE	1
#define AR_TELEM_KIND_ACK	2

/* Answer to every control message; status is an AR_CMD_ST_* code. */
struct ar_telem_ack {
	uint32_t magic;
	uint16_t kind;		/* AR_TELEM_KIND_ACK */
	uint16_t status;
	uint32_t op;		/* the control op (0 if unreadable) */
	uint32_t period_us;	/* the period now in force */
};

/*
 * One sample. seq counts every sample period of this subscription from 0,
 * sent or not; dropped says how many periods right before this sample
 * produced nothing Linux received (no free buffer, or the main loop ran
 * late by more than AR_TELEM_CATCHUP periods), so the seq gap between two
 * received samples always equals the later one's dropped + 1.
 */
struct ar_telem_sample {
	uint32_t magic;
	uint16_t kind;		/* AR_TELEM_KIND_SAMPLE */
	uint16_t reserved;
	uint32_t seq;
	uint32_t period_us;
	uint64_t time_us;	/* firmware uptime when taken */
	uint32_t loops;		/* main-loop passes since boot */
	uint32_t dropped;	/* periods lost right before this sample */
	uint32_t dropped_total;	/* for this subscription */
	uint16_t rx_pending;	/* Linux messages queued for the firmware */
	uint16_t tx_free;	/* receive buffers Linux has posted */
	int32_t sensor;		/* synthetic waveform, -1000..1000 */
	uint32_t reserved2;	/* 0; keeps the size a multiple of 8 */
};

/* Samples produced back to back when the loop is late; beyond: dropped. */
#define AR_TELEM_CATCHUP	4

#ifndef __KERNEL__
_Static_assert(sizeof(struct ar_cmd_hdr) == 16, "ar_cmd_hdr layout");
_Static_assert(sizeof(struct ar_cmd_version) == 44, "ar_cmd_version layout");
_Static_assert(sizeof(struct ar_cmd_uptime) == 16, "ar_cmd_uptime layout");
_Static_assert(sizeof(struct ar_cmd_chan_stats) == 60, "chan_stats layout");
_Static_assert(sizeof(struct ar_cmd_hdr) + sizeof(struct ar_cmd_stats) <=
	       AR_RPMSG_MAX_PAYLOAD, "stats reply fits one message");
_Static_assert(sizeof(struct ar_telem_ctl) == 12, "ar_telem_ctl layout");
_Static_assert(sizeof(struct ar_telem_ack) == 16, "ar_telem_ack layout");
_Static_assert(sizeof(struct ar_telem_sample) == 48, "ar_telem_sample layout");
#endif

#endif /* AMPRELAY_SERVICES_H */
