/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The firmware's rpmsg services beyond the transport: echo (with a
 * settable delay), command, telemetry, the rpmsg-tty console, and the
 * interop echo channels for Linux's rpmsg_client_sample and OpenAMP's echo
 * test. Wire formats are in include/amprelay/services.h.
 *
 * ar_services_poll() runs once per main-loop pass, before ar_rpmsg_poll():
 * it first runs a fault that an earlier pass acknowledged (so the reply
 * is already with Linux), then produces due telemetry, delayed echoes and
 * console output. Nothing here waits: what cannot be sent now is retried
 * or counted as dropped. ar_services_next_due() tells the main loop when
 * to come back.
 */
#ifndef AR_SERVICES_H
#define AR_SERVICES_H

#include <stdint.h>
#include <amprelay/services.h>
#include "rpmsg.h"
#include "trace.h"

/* What the services need from the application. */
struct ar_svc_config {
	volatile const struct ar_ctrl *ctrl;	/* boot count */
	volatile const struct ar_crash_record *crash;	/* crash count */
	struct ar_trace *trace;			/* console `log` */
	uint32_t build_id;
	void (*fault_inject)(uint32_t type);	/* AR_FAULT_* */
};

#define AR_CONSOLE_LINE_MAX	96
#define AR_CONSOLE_OUT_SIZE	2048

struct ar_services {
	struct ar_rpmsg *rp;
	struct ar_svc_config cfg;
	uint64_t now_us;
	uint32_t loops;

	uint32_t params[AR_PARAM_NUM];	/* indexed by AR_PARAM_* */

	/* Fault: requested by a reply in one pass, run in the next. */
	uint32_t fault_type;		/* 0: none scheduled */
	uint32_t faults_injected;

	struct ar_rpmsg_ept echo_ept, cmd_ept, telem_ept, console_ept;
	struct ar_rpmsg_ept sample_ept, openamp_ept;

	/* Echo delay: one message held until it is due. */
	uint8_t echo_held[AR_RPMSG_MAX_PAYLOAD];
	uint32_t echo_held_len, echo_held_dst;
	uint64_t echo_due_us;
	uint8_t echo_holding;

	/* Telemetry subscription. */
	uint8_t telem_active;
	uint32_t telem_dst;
	uint32_t telem_left;		/* samples still to deliver; 0 = no limit */
	uint8_t telem_limited;
	uint32_t telem_seq;
	uint32_t telem_dropped;		/* periods lost since the last sent one */
	uint32_t telem_dropped_total;
	uint64_t telem_due_us;

	/* Console: input line, output ring. */
	uint8_t console_known;		/* console_dst learnt from Linux */
	uint32_t console_dst;
	char console_line[AR_CONSOLE_LINE_MAX];
	uint32_t console_line_len;
	uint8_t console_line_overflow;
	char console_out[AR_CONSOLE_OUT_SIZE];
	uint32_t console_out_head, console_out_len;
};

void ar_services_init(struct ar_services *s, struct ar_rpmsg *rp,
		      const struct ar_svc_config *cfg);

/* One main-loop pass; now_us is the 64-bit uptime. */
void ar_services_poll(struct ar_services *s, uint64_t now_us);

/*
 * When the services next need a pass, as uptime in microseconds, worked
 * out right after one: at or before that pass's now_us for at once,
 * AR_SVC_NO_DEADLINE when only Linux can give them work (a message, or a
 * buffer returned for output that found none, both of which it rings
 * for). The main loop sleeps until then, so anything time-driven here
 * must be accounted for.
 */
#define AR_SVC_NO_DEADLINE	UINT64_MAX
uint64_t ar_services_next_due(struct ar_services *s);

/* Parameters: 0 or an AR_CMD_ST_* error. */
uint16_t ar_services_get_param(struct ar_services *s, uint32_t id, uint32_t *value);
uint16_t ar_services_set_param(struct ar_services *s, uint32_t id, uint32_t value);

/* Schedules fault type for the next pass: 0 or an AR_CMD_ST_* error. */
uint16_t ar_services_schedule_fault(struct ar_services *s, uint32_t type);

/* Fills a stats reply body; returns its length in bytes. */
uint32_t ar_services_stats(struct ar_services *s, struct ar_cmd_stats *st);

void ar_services_version(struct ar_services *s, struct ar_cmd_version *v);

/*
 * Extends the port's 32-bit microsecond clock to 64 bits and keeps it
 * monotonic; call at least every 35 minutes. total and last start at 0.
 */
uint64_t ar_services_clock(uint64_t *total, uint32_t *last, uint32_t now32);

/* command.c */
void ar_command_init(struct ar_services *s);

/* telemetry.c */
void ar_telemetry_init(struct ar_services *s);
void ar_telemetry_poll(struct ar_services *s);
int32_t ar_telemetry_waveform(uint64_t time_us);

/* console.c */
void ar_console_init(struct ar_services *s);
void ar_console_poll(struct ar_services *s);

/* Services log each request at this level or above. */
int ar_services_verbose(const struct ar_services *s);

#endif /* AR_SERVICES_H */
