// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit test of the firmware services (firmware/core/services.c,
 * command.c, telemetry.c, console.c) on the real rpmsg core over a
 * simulated window: the test plays Linux's virtio_rpmsg_bus (receive
 * buffers in vring 0, messages in vring 1) and checks that every
 * malformed request gets its error reply, parameters and faults behave,
 * telemetry never blocks and accounts for every sample, the console runs
 * text commands, and the deadlines the main loop sleeps until are right.
 * Built with ASan and UBSan; prints TAP.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <amprelay/services.h>
#include "core/bulk.h"
#include "core/log.h"
#include "core/rpmsg.h"
#include "core/services.h"
#include "core/trace.h"
#include "core/virtqueue.h"
#include "port/host/port_host.h"
#include "rsc_table.h"
#include "fw-linux.h"

static struct ar_rpmsg rp;
static struct ar_services svc;
static struct ar_trace trace;
static char trace_buf[4096];
static struct ar_ctrl ctrl;
static struct ar_crash_record crash;
static uint32_t injected[8];
static unsigned int ninjected;
static uint64_t now_us;

static void record_fault(uint32_t type)
{
	if (ninjected < sizeof(injected) / sizeof(injected[0]))
		injected[ninjected++] = type;
}

/* ---- the firmware under the simulated Linux (tests/lib/fw-linux.c) ---- */

/* One main-loop pass of the firmware. */
static void pass(void)
{
	ar_services_poll(&svc, now_us);
	ar_rpmsg_poll(&rp);
}

/* Drops whatever the firmware sent so far. */
static void drain(void)
{
	struct lx_msg m;

	while (lx_recv(&m))
		;
}

static void boot(void)
{
	struct ar_rpmsg_config cfg;
	struct ar_svc_config sc = {
		.ctrl = &ctrl, .crash = &crash, .trace = &trace,
		.build_id = 0x12345678, .fault_inject = record_fault,
	};

	memset(lx_win, 0, AR_WIN_SIZE);
	lx_load();
	cfg = (struct ar_rpmsg_config)AR_FW_RPMSG_CONFIG(&lx_table->vdev);
	ar_trace_init(&trace, trace_buf, sizeof(trace_buf));
	ar_log_set_trace(&trace);
	ctrl.boot_count = 3;
	crash.magic = AR_CRASH_MAGIC;
	crash.count = 2;
	ninjected = 0;
	now_us = 1000000;
	ar_rpmsg_init(&rp, &cfg);
	ar_services_init(&svc, &rp, &sc);

	lx_start();
	pass();
	pass();
	drain();	/* the name-service announcements */
}

/* Sends raw bytes to the command service; returns the reply (or 0). */
static int cmd_raw(const void *req, uint32_t len, struct ar_cmd_hdr *h, uint8_t *body)
{
	struct lx_msg m;

	lx_send(LX_EPT, AR_SVC_CMD_ADDR, req, len);
	pass();
	if (!lx_recv(&m))
		return 0;
	CHECK(m.h.src == AR_SVC_CMD_ADDR && m.h.dst == LX_EPT, "reply from %#x to %#x",
	      m.h.src, m.h.dst);
	CHECK(m.h.len >= sizeof(*h), "reply of %u bytes", m.h.len);
	memcpy(h, m.data, sizeof(*h));
	CHECK(h->magic == AR_CMD_MAGIC && h->len == m.h.len - sizeof(*h),
	      "reply magic %#x len %u in %u", h->magic, h->len, m.h.len);
	if (body)
		memcpy(body, m.data + sizeof(*h), h->len);
	return 1;
}

static uint16_t cmd(uint16_t op, uint32_t seq, const void *body, uint16_t len,
		    void *out)
{
	uint8_t req[LX_BUF];
	struct ar_cmd_hdr h = { .magic = AR_CMD_MAGIC, .seq = seq, .op = op, .len = len };
	struct ar_cmd_hdr r;

	memcpy(req, &h, sizeof(h));
	if (len)
		memcpy(req + sizeof(h), body, len);
	if (!cmd_raw(req, sizeof(h) + len, &r, out))
		return 0xffff;
	CHECK(r.seq == seq && r.op == (op | AR_CMD_REPLY), "reply seq %u op %#x", r.seq, r.op);
	return r.status;
}

/* ---- tests ------------------------------------------------------------ */

static void t_announces_all(void)
{
	static const char *const want[] = {
		AR_SVC_ECHO_NAME, AR_SVC_CMD_NAME, AR_SVC_TELEM_NAME,
		AR_SVC_CONSOLE_NAME, AR_SVC_SAMPLE_NAME, AR_SVC_OPENAMP_NAME,
	};
	struct lx_msg m;
	unsigned int n = 0;

	boot();
	/* Re-announce on a vdev reset, and count what comes. */
	lx_table->vdev.status = 0;
	pass();
	lx_start();
	pass();
	while (lx_recv(&m)) {
		CHECK(m.h.dst == AR_RPMSG_NS_ADDR, "dst %u", m.h.dst);
		CHECK(n < 6 && !strcmp((char *)m.data, want[n]), "announcement %u is %s", n,
		      (char *)m.data);
		n++;
	}
	CHECK(n == 6, "%u announcements", n);
}

static void t_cmd_ops(void)
{
	struct ar_cmd_version v;
	struct ar_cmd_uptime u;
	struct ar_cmd_param p = { AR_PARAM_ECHO_DELAY_MS, 0 };
	uint8_t body[LX_BUF];
	struct ar_cmd_stats *st = (struct ar_cmd_stats *)body;

	boot();
	CHECK(cmd(AR_CMD_OP_VERSION, 7, NULL, 0, &v) == AR_CMD_ST_OK, "version");
	CHECK(v.build_id == 0x12345678 && v.proto == AR_CMD_PROTO_VERSION &&
	      v.boot_count == 3 && !strcmp(v.name, "amprelay-fw"), "version body");
	now_us = 5000000;
	CHECK(cmd(AR_CMD_OP_UPTIME, 8, NULL, 0, &u) == AR_CMD_ST_OK, "uptime");
	CHECK(u.uptime_us == 5000000 && u.loops > 0, "uptime %llu loops %u",
	      (unsigned long long)u.uptime_us, u.loops);
	CHECK(cmd(AR_CMD_OP_GET_PARAM, 9, &p.id, 4, &p) == AR_CMD_ST_OK && p.value == 0,
	      "get echo delay %u", p.value);
	p.value = 1234;
	CHECK(cmd(AR_CMD_OP_SET_PARAM, 10, &p, 8, &p) == AR_CMD_ST_OK && p.value == 1234,
	      "set echo delay");
	p.value = 0;
	CHECK(cmd(AR_CMD_OP_GET_PARAM, 11, &p.id, 4, &p) == AR_CMD_ST_OK && p.value == 1234,
	      "get after set %u", p.value);
	CHECK(cmd(AR_CMD_OP_STATS, 12, NULL, 0, body) == AR_CMD_ST_OK, "stats");
	CHECK(st->nchan == 6 && st->boot_count == 3 && st->crash_count == 2,
	      "nchan %u boots %u crashes %u", st->nchan, st->boot_count, st->crash_count);
	CHECK(!strcmp(st->chan[1].name, AR_SVC_CMD_NAME) && st->chan[1].msgs_in == 5 &&
	      st->chan[1].errors == 0, "cmd channel %s in %u", st->chan[1].name,
	      st->chan[1].msgs_in);
}

/* Every malformed request gets one error reply; nothing changes state. */
static void t_cmd_malformed(void)
{
	uint8_t req[LX_BUF], body[LX_BUF];
	struct ar_cmd_hdr h = { .magic = AR_CMD_MAGIC, .seq = 77, .op = AR_CMD_OP_VERSION };
	struct ar_cmd_hdr r;
	struct ar_cmd_param p = { AR_PARAM_TELEM_PERIOD_US, 999 };
	uint32_t u32, len;
	unsigned int errors = 0;
	struct ar_cmd_stats *st = (struct ar_cmd_stats *)body;

	boot();
	/* Zero-length and every length short of a header. */
	for (len = 0; len < sizeof(h); len++) {
		memcpy(req, &h, sizeof(h));
		CHECK(cmd_raw(req, len, &r, NULL) && r.status == AR_CMD_ST_SHORT &&
		      r.op == AR_CMD_REPLY && r.len == 0 && r.seq == (len >= 8 ? 77u : 0u),
		      "%u-byte request: status %u op %#x seq %u", len, r.status, r.op, r.seq);
		errors++;
	}
	memcpy(req, &h, sizeof(h));
	req[0] ^= 1;
	CHECK(cmd_raw(req, sizeof(h), &r, NULL) && r.status == AR_CMD_ST_BAD_MAGIC &&
	      r.seq == 77, "bad magic: %u", r.status);
	errors++;
	h.status = 1;
	memcpy(req, &h, sizeof(h));
	CHECK(cmd_raw(req, sizeof(h), &r, NULL) && r.status == AR_CMD_ST_BAD_HEADER,
	      "status set: %u", r.status);
	h.status = 0;
	h.reserved = 1;
	memcpy(req, &h, sizeof(h));
	CHECK(cmd_raw(req, sizeof(h), &r, NULL) && r.status == AR_CMD_ST_BAD_HEADER,
	      "reserved set: %u", r.status);
	h.reserved = 0;
	errors += 2;
	/* len larger, smaller, and far larger than what came. */
	h.len = 4;
	memcpy(req, &h, sizeof(h));
	CHECK(cmd_raw(req, sizeof(h), &r, NULL) && r.status == AR_CMD_ST_BAD_LEN,
	      "len beyond message: %u", r.status);
	h.len = 0;
	memcpy(req, &h, sizeof(h));
	CHECK(cmd_raw(req, sizeof(h) + 8, &r, NULL) && r.status == AR_CMD_ST_BAD_LEN,
	      "trailing bytes: %u", r.status);
	h.len = 0xffff;
	memcpy(req, &h, sizeof(h));
	CHECK(cmd_raw(req, AR_RPMSG_MAX_PAYLOAD, &r, NULL) && r.status == AR_CMD_ST_BAD_LEN,
	      "len 0xffff: %u", r.status);
	errors += 3;
	/* Unknown ops, a reply sent as a request, wrong body sizes. */
	CHECK(cmd(0, 1, NULL, 0, NULL) == AR_CMD_ST_UNKNOWN_OP, "op 0");
	CHECK(cmd(AR_CMD_OP_NUM, 2, NULL, 0, NULL) == AR_CMD_ST_UNKNOWN_OP, "op NUM");
	CHECK(cmd(0x7fff, 3, NULL, 0, NULL) == AR_CMD_ST_UNKNOWN_OP, "op 0x7fff");
	CHECK(cmd(AR_CMD_OP_VERSION | AR_CMD_REPLY, 4, NULL, 0, NULL) == AR_CMD_ST_UNKNOWN_OP,
	      "reply op");
	CHECK(cmd(AR_CMD_OP_VERSION, 5, "x", 1, NULL) == AR_CMD_ST_BAD_BODY, "version body");
	CHECK(cmd(AR_CMD_OP_GET_PARAM, 6, NULL, 0, NULL) == AR_CMD_ST_BAD_BODY, "get no id");
	CHECK(cmd(AR_CMD_OP_SET_PARAM, 7, &p, 4, NULL) == AR_CMD_ST_BAD_BODY, "set short");
	CHECK(cmd(AR_CMD_OP_FAULT, 8, &p, 8, NULL) == AR_CMD_ST_BAD_BODY, "fault long");
	errors += 8;
	/* Unknown parameters, values out of range, unknown fault types. */
	u32 = 0;
	CHECK(cmd(AR_CMD_OP_GET_PARAM, 9, &u32, 4, NULL) == AR_CMD_ST_UNKNOWN_PARAM, "param 0");
	u32 = AR_PARAM_NUM;
	CHECK(cmd(AR_CMD_OP_GET_PARAM, 10, &u32, 4, NULL) == AR_CMD_ST_UNKNOWN_PARAM,
	      "param NUM");
	CHECK(cmd(AR_CMD_OP_SET_PARAM, 11, &p, 8, NULL) == AR_CMD_ST_RANGE, "period 999");
	p.value = AR_TELEM_PERIOD_MAX_US + 1;
	CHECK(cmd(AR_CMD_OP_SET_PARAM, 12, &p, 8, NULL) == AR_CMD_ST_RANGE, "period max+1");
	p.id = AR_PARAM_LOG_LEVEL;
	p.value = AR_LOG_LEVEL_MAX + 1;
	CHECK(cmd(AR_CMD_OP_SET_PARAM, 13, &p, 8, NULL) == AR_CMD_ST_RANGE, "log level");
	u32 = 0;
	CHECK(cmd(AR_CMD_OP_FAULT, 14, &u32, 4, NULL) == AR_CMD_ST_RANGE, "fault 0");
	u32 = AR_FAULT_NUM;
	CHECK(cmd(AR_CMD_OP_FAULT, 15, &u32, 4, NULL) == AR_CMD_ST_RANGE, "fault NUM");
	errors += 7;
	CHECK(svc.params[AR_PARAM_TELEM_PERIOD_US] == AR_TELEM_PERIOD_DEFAULT_US &&
	      svc.params[AR_PARAM_LOG_LEVEL] == AR_LOG_LEVEL_DEFAULT, "params changed");
	pass();
	CHECK(ninjected == 0, "a fault ran");
	CHECK(cmd(AR_CMD_OP_STATS, 16, NULL, 0, body) == AR_CMD_ST_OK, "stats");
	CHECK(st->chan[1].errors == errors, "%u errors counted, %u sent", st->chan[1].errors,
	      errors);
}

/* The FAULT reply goes out first; the fault runs on the next pass. */
static void t_cmd_fault(void)
{
	uint32_t type = AR_FAULT_HANG, echoed = 0;
	uint8_t req[LX_BUF];
	struct ar_cmd_hdr h = { .magic = AR_CMD_MAGIC, .seq = 5, .op = AR_CMD_OP_FAULT,
				.len = 4 };
	struct lx_msg m;

	boot();
	/* Two in one pass: the second is refused while the first is pending. */
	memcpy(req, &h, sizeof(h));
	memcpy(req + sizeof(h), &type, 4);
	lx_send(LX_EPT, AR_SVC_CMD_ADDR, req, sizeof(h) + 4);
	lx_send(LX_EPT, AR_SVC_CMD_ADDR, req, sizeof(h) + 4);
	pass();
	CHECK(lx_recv(&m) && ((struct ar_cmd_hdr *)m.data)->status == AR_CMD_ST_OK,
	      "fault ack");
	memcpy(&echoed, m.data + sizeof(h), 4);
	CHECK(echoed == type, "acknowledged type %u", echoed);
	CHECK(lx_recv(&m) && ((struct ar_cmd_hdr *)m.data)->status == AR_CMD_ST_BUSY,
	      "second fault not refused");
	CHECK(ninjected == 0, "fault ran before its reply was out");
	pass();
	CHECK(ninjected == 1 && injected[0] == AR_FAULT_HANG, "fault ran %u times",
	      ninjected);
	CHECK(svc.faults_injected == 1, "faults_injected %u", svc.faults_injected);

	/* No buffer for the reply: no fault either, until it is answered. */
	lx_hold_rx = 1;
	while (ar_vq_pending(&rp.vq_rx) > 0) {
		lx_send(LX_EPT, AR_SVC_ECHO_ADDR, "fill", 4);
		pass();
		drain();
	}
	lx_send(LX_EPT, AR_SVC_CMD_ADDR, req, sizeof(h) + 4);
	pass();
	pass();
	CHECK(ninjected == 1, "fault ran without its reply");
	lx_release_rx();
	pass();
	CHECK(lx_recv(&m) && ((struct ar_cmd_hdr *)m.data)->seq == 5, "late fault reply");
	pass();
	CHECK(ninjected == 2, "fault after the late reply: %u", ninjected);
}

static int recv_sample(struct ar_telem_sample *s)
{
	struct lx_msg m;

	while (lx_recv(&m)) {
		if (m.h.src != AR_SVC_TELEM_ADDR || m.h.len != sizeof(*s))
			continue;
		memcpy(s, m.data, sizeof(*s));
		return 1;
	}
	return 0;
}

static void t_telemetry(void)
{
	struct ar_telem_ctl ctl = { AR_TELEM_MAGIC, AR_TELEM_START, 0 };
	struct ar_telem_sample s;
	struct ar_telem_ack ack;
	struct lx_msg m;
	uint32_t expect_seq = 0, i;

	boot();
	svc.params[AR_PARAM_TELEM_PERIOD_US] = 1000;
	/* Malformed control messages: an error ack each, no stream. */
	lx_send(LX_EPT, AR_SVC_TELEM_ADDR, &ctl, 4);
	pass();
	CHECK(lx_recv(&m) && m.h.len == sizeof(ack), "short ctl answered");
	memcpy(&ack, m.data, sizeof(ack));
	CHECK(ack.kind == AR_TELEM_KIND_ACK && ack.status == AR_CMD_ST_SHORT, "short: %u",
	      ack.status);
	ctl.op = 9;
	lx_send(LX_EPT, AR_SVC_TELEM_ADDR, &ctl, sizeof(ctl));
	pass();
	CHECK(lx_recv(&m), "bad op answered");
	memcpy(&ack, m.data, sizeof(ack));
	CHECK(ack.status == AR_CMD_ST_UNKNOWN_OP, "bad op: %u", ack.status);
	CHECK(!svc.telem_active && svc.telem_ept.errors == 2, "errors %u",
	      svc.telem_ept.errors);

	ctl.op = AR_TELEM_START;
	lx_send(LX_EPT, AR_SVC_TELEM_ADDR, &ctl, sizeof(ctl));
	pass();
	CHECK(lx_recv(&m), "start answered");
	memcpy(&ack, m.data, sizeof(ack));
	CHECK(ack.status == AR_CMD_ST_OK && ack.period_us == 1000, "start: %u", ack.status);
	/* 10 periods, then Linux stops reading for 300, then reads again. */
	for (i = 0; i < 10; i++) {
		now_us += 1000;
		pass();
		while (recv_sample(&s)) {
			CHECK(s.seq == expect_seq && s.dropped == 0, "seq %u dropped %u", s.seq,
			      s.dropped);
			expect_seq = s.seq + 1;
		}
	}
	lx_hold_rx = 1;
	for (i = 0; i < 300; i++) {
		now_us += 1000;
		pass();
		drain();
	}
	expect_seq += lx_nheld;	/* what Linux received before it stalled */
	lx_release_rx();
	now_us += 1000;
	pass();
	CHECK(recv_sample(&s), "sample after the stall");
	CHECK(s.seq == expect_seq + s.dropped, "seq %u = %u received + %u dropped", s.seq,
	      expect_seq, s.dropped);
	CHECK(s.dropped > 0 && s.dropped == s.dropped_total, "dropped %u total %u", s.dropped,
	      s.dropped_total);
	/* A loop 100 periods late: at most CATCHUP samples, the rest counted. */
	expect_seq = s.seq + 1;
	now_us += 100 * 1000;
	pass();
	for (i = 0; recv_sample(&s); i++) {
		CHECK(s.seq == expect_seq + s.dropped, "late: seq %u", s.seq);
		expect_seq = s.seq + 1;
	}
	CHECK(i == AR_TELEM_CATCHUP, "%u samples after a late loop", i);
	ctl.op = AR_TELEM_STOP;
	lx_send(LX_EPT, AR_SVC_TELEM_ADDR, &ctl, sizeof(ctl));
	pass();
	drain();
	now_us += 10000;
	pass();
	CHECK(!recv_sample(&s), "sample after STOP");
}

static void t_telemetry_count(void)
{
	struct ar_telem_ctl ctl = { AR_TELEM_MAGIC, AR_TELEM_START, 3 };
	struct ar_telem_sample s;
	unsigned int n = 0, i;

	boot();
	lx_send(LX_EPT, AR_SVC_TELEM_ADDR, &ctl, sizeof(ctl));
	pass();
	drain();
	for (i = 0; i < 10; i++) {
		now_us += AR_TELEM_PERIOD_DEFAULT_US;
		pass();
		while (recv_sample(&s))
			n++;
	}
	CHECK(n == 3, "%u samples for count 3", n);
	CHECK(ar_telemetry_waveform(0) == 0 &&
	      ar_telemetry_waveform(1u << 18) == 1000 &&
	      ar_telemetry_waveform(3u << 18) == -1000, "waveform %d %d %d",
	      ar_telemetry_waveform(0), ar_telemetry_waveform(1u << 18),
	      ar_telemetry_waveform(3u << 18));
}

/* Sends text to the console and collects what comes back. */
static void console(const char *in, char *out, size_t size)
{
	struct lx_msg m;
	size_t used = 0;
	int i;

	lx_send(LX_EPT, AR_SVC_CONSOLE_ADDR, in, (uint32_t)strlen(in));
	for (i = 0; i < 20; i++) {
		pass();
		while (lx_recv(&m)) {
			if (m.h.src != AR_SVC_CONSOLE_ADDR || used + m.h.len >= size)
				continue;
			memcpy(out + used, m.data, m.h.len);
			used += m.h.len;
		}
	}
	out[used] = '\0';
}

static void t_console(void)
{
	static char out[8192];
	char line[200];
	int i;

	boot();
	console("help\r", out, sizeof(out));
	CHECK(strstr(out, "help\r\n") && strstr(out, "log [N]") &&
	      strstr(out, "telemetry-period-us") && strstr(out, "hardfault") &&
	      strstr(out, "fw> "), "help: %s", out);
	console("version\n", out, sizeof(out));
	CHECK(strstr(out, "amprelay-fw build 12345678"), "version: %s", out);
	console("set echo-delay-ms 25\rget echo-delay-ms\r", out, sizeof(out));
	CHECK(strstr(out, "echo-delay-ms = 25") && svc.params[AR_PARAM_ECHO_DELAY_MS] == 25,
	      "set/get: %s", out);
	console("set echo-delay-ms many\r", out, sizeof(out));
	CHECK(strstr(out, "error: 'many' is not a number"), "bad number: %s", out);
	console("set log-level 9\r", out, sizeof(out));
	CHECK(strstr(out, "error: value out of range"), "range: %s", out);
	console("frobnicate\r", out, sizeof(out));
	CHECK(strstr(out, "error: unknown command"), "unknown: %s", out);
	console("fault no-such-fault\r", out, sizeof(out));
	CHECK(strstr(out, "error: value out of range") && ninjected == 0, "bad fault: %s", out);
	memset(line, 'x', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\r';
	line[sizeof(line) - 1] = '\0';
	console(line, out, sizeof(out));
	CHECK(strstr(out, "error: line longer than"), "long line: %s", out + 150);
	console("stats\r", out, sizeof(out));
	CHECK(strstr(out, "rpmsg-tty") && strstr(out, "boots 3 crashes 2"), "stats: %s", out);
	for (i = 0; i < 30; i++)
		ar_log("trace line %d\n", i);
	console("log 3\r", out, sizeof(out));
	CHECK(strstr(out, "trace line 29") && strstr(out, "trace line 27") &&
	      !strstr(out, "trace line 26"), "log 3: %s", out);
	console("fault hang\r", out, sizeof(out));
	CHECK(strstr(out, "fault hang scheduled") && ninjected == 1 &&
	      injected[0] == AR_FAULT_HANG, "fault: %s (%u)", out, ninjected);
}

static void t_echo_delay(void)
{
	struct lx_msg m;

	boot();
	svc.params[AR_PARAM_ECHO_DELAY_MS] = 50;
	lx_send(LX_EPT, AR_SVC_ECHO_ADDR, "a", 1);
	lx_send(LX_EPT, AR_SVC_ECHO_ADDR, "b", 1);
	pass();
	now_us += 49000;
	pass();
	CHECK(!lx_recv(&m), "echo before its delay");
	now_us += 1000;
	pass();
	CHECK(lx_recv(&m) && m.data[0] == 'a', "first echo after 50 ms");
	CHECK(!lx_recv(&m), "second echo early");
	now_us += 50000;
	pass();
	pass();
	CHECK(lx_recv(&m) && m.data[0] == 'b', "second echo after 100 ms");
}

/* Holds Linux's receive buffers and lets echoes use up every one. */
static void use_up_rx(void)
{
	lx_hold_rx = 1;
	while (ar_vq_pending(&rp.vq_rx) > 0) {
		lx_send(LX_EPT, AR_SVC_ECHO_ADDR, "fill", 4);
		pass();
		drain();
	}
}

#define DUE(x)	((unsigned long long)(x))

/*
 * The main loop sleeps until ar_services_next_due() or a doorbell: a pass
 * at that time must find the work due, and nothing may wait for a pass
 * that no deadline and no doorbell brings.
 */
static void t_next_due(void)
{
	struct ar_telem_ctl ctl = { AR_TELEM_MAGIC, AR_TELEM_START, 0 };
	uint32_t fault = AR_FAULT_HANG, i;
	struct ar_telem_sample smp;
	struct lx_msg m;
	uint64_t due;
	char out[64];

	boot();
	CHECK(ar_services_next_due(&svc) == AR_SVC_NO_DEADLINE, "idle: %llu",
	      DUE(ar_services_next_due(&svc)));

	/* Telemetry: each sample at its deadline, none while Linux stalls. */
	svc.params[AR_PARAM_TELEM_PERIOD_US] = 1000;
	lx_send(LX_EPT, AR_SVC_TELEM_ADDR, &ctl, sizeof(ctl));
	pass();
	drain();
	CHECK(ar_services_next_due(&svc) <= now_us, "START: not due at once");
	for (i = 0; i < 5; i++) {
		due = ar_services_next_due(&svc);
		CHECK(due >= now_us && due <= now_us + 1000, "sample %u due at %llu, now %llu",
		      i, DUE(due), DUE(now_us));
		now_us = due;
		pass();
		CHECK(recv_sample(&smp) && smp.time_us == due && smp.seq == i,
		      "sample %u not sent at its deadline", i);
	}
	use_up_rx();
	for (i = 0; i < 20; i++) {
		due = ar_services_next_due(&svc);
		CHECK(due > now_us && due <= now_us + 1000, "stalled %u: due %llu now %llu",
		      i, DUE(due), DUE(now_us));
		now_us = due;
		pass();
	}
	lx_release_rx();
	drain();
	ctl.op = AR_TELEM_STOP;
	lx_send(LX_EPT, AR_SVC_TELEM_ADDR, &ctl, sizeof(ctl));
	pass();
	drain();
	CHECK(ar_services_next_due(&svc) == AR_SVC_NO_DEADLINE, "after STOP");

	/* Delayed echo: due at its time; with no buffer then, Linux's return. */
	use_up_rx();
	svc.params[AR_PARAM_ECHO_DELAY_MS] = 50;
	lx_send(LX_EPT, AR_SVC_ECHO_ADDR, "a", 1);
	pass();
	CHECK(ar_services_next_due(&svc) == now_us + 50000, "echo due %llu, now %llu",
	      DUE(ar_services_next_due(&svc)), DUE(now_us));
	now_us += 50000;
	pass();
	CHECK(ar_services_next_due(&svc) == AR_SVC_NO_DEADLINE,
	      "echo with no buffer must wait for Linux, not spin");
	lx_release_rx();
	CHECK(ar_services_next_due(&svc) <= now_us, "echo not due after the buffers came");
	pass();
	CHECK(lx_recv(&m) && m.data[0] == 'a', "delayed echo");
	CHECK(ar_services_next_due(&svc) == AR_SVC_NO_DEADLINE, "after the echo");
	svc.params[AR_PARAM_ECHO_DELAY_MS] = 0;

	/* A scheduled fault wants the very next pass. */
	CHECK(cmd(AR_CMD_OP_FAULT, 1, &fault, 4, NULL) == AR_CMD_ST_OK, "fault");
	CHECK(ar_services_next_due(&svc) <= now_us && ninjected == 0, "fault not due");
	pass();
	CHECK(ninjected == 1 && ar_services_next_due(&svc) == AR_SVC_NO_DEADLINE,
	      "fault ran %u", ninjected);

	/* Console output: at once when a buffer is free, else on Linux's return. */
	use_up_rx();
	lx_send(LX_EPT, AR_SVC_CONSOLE_ADDR, "version\r", 8);
	pass();
	CHECK(svc.console_out_len && ar_services_next_due(&svc) == AR_SVC_NO_DEADLINE,
	      "console output with no buffer must wait for Linux");
	lx_release_rx();
	drain();
	CHECK(ar_services_next_due(&svc) <= now_us, "console output not due");
	pass();
	for (i = 0; lx_recv(&m) && i + m.h.len < sizeof(out); i += m.h.len)
		memcpy(out + i, m.data, m.h.len);
	out[i] = '\0';
	CHECK(strstr(out, "amprelay-fw build") && !svc.console_out_len, "console: %s", out);
	CHECK(ar_services_next_due(&svc) == AR_SVC_NO_DEADLINE, "after the console");

	/* A vdev reset ends the stream: nothing is due until Linux is back. */
	ctl.op = AR_TELEM_START;
	lx_send(LX_EPT, AR_SVC_TELEM_ADDR, &ctl, sizeof(ctl));
	pass();
	lx_table->vdev.status = 0;
	pass();
	CHECK(ar_services_next_due(&svc) == AR_SVC_NO_DEADLINE, "due after a vdev reset");
}

/* A bulk source stream wants the next pass only while a buffer is free. */
static void t_bulk_has_work(void)
{
	static struct ar_bulk bulk;
	struct ar_bulk_hdr h = { .magic = AR_BULK_MAGIC, .op = AR_BULK_OP_SOURCE, .arg = 3 };
	struct lx_msg m;
	unsigned int n = 0;

	boot();
	ar_bulk_init(&bulk, &rp);
	pass();
	drain();	/* its announcement */
	CHECK(!ar_bulk_has_work(&bulk), "work with no stream");
	use_up_rx();
	lx_send(LX_EPT, AR_SVC_BULK_ADDR, &h, sizeof(h));
	pass();
	CHECK(bulk.source_left == 3 && !ar_bulk_has_work(&bulk),
	      "a stream with no buffer must wait for Linux, not spin");
	lx_release_rx();
	drain();
	CHECK(ar_bulk_has_work(&bulk), "a stream with buffers free has no work");
	ar_bulk_poll(&bulk);
	pass();
	while (lx_recv(&m))
		n += m.h.src == AR_SVC_BULK_ADDR;
	CHECK(n == 3 && !ar_bulk_has_work(&bulk), "%u messages, work left %d", n,
	      ar_bulk_has_work(&bulk));
}

static void t_clock(void)
{
	uint64_t hi = 0;
	uint32_t last = 0;

	CHECK(ar_services_clock(&hi, &last, 0x70000000u) == 0x70000000u, "start");
	CHECK(ar_services_clock(&hi, &last, 0xc0000000u) == 0xc0000000u, "later");
	CHECK(ar_services_clock(&hi, &last, 0xfffffff0u) == 0xfffffff0u, "before wrap");
	CHECK(ar_services_clock(&hi, &last, 0x10u) == 0x100000010ull, "after wrap");
	/* A port clock read racing its wrap interrupt may step back a little. */
	CHECK(ar_services_clock(&hi, &last, 0x10u - 1000u) == 0x100000010ull, "step back");
	CHECK(ar_services_clock(&hi, &last, 0x20u) == 0x100000020ull, "after step back");
}

static const struct lx_test tests[] = {
	{ "every service is announced, again after a vdev reset", t_announces_all },
	{ "command: version, uptime, get/set, stats", t_cmd_ops },
	{ "command: every malformed request gets its error reply", t_cmd_malformed },
	{ "command: fault is acknowledged before it runs", t_cmd_fault },
	{ "telemetry: malformed control, stall and late loop all counted", t_telemetry },
	{ "telemetry: a START count delivers exactly that many", t_telemetry_count },
	{ "console: help, commands, errors, log tail, fault", t_console },
	{ "echo delay holds replies in order", t_echo_delay },
	{ "next deadline: telemetry, delayed echo, fault, console, vdev reset", t_next_due },
	{ "bulk: a source stream has work only while a buffer is free", t_bulk_has_work },
	{ "64-bit clock across the 32-bit wrap and a step back", t_clock },
};

int main(void)
{
	ar_host_console_quiet = 1;
	return lx_run_tests(tests, sizeof(tests) / sizeof(tests[0]));
}
