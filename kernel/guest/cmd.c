// SPDX-License-Identifier: GPL-2.0-only
/*
 * amprelay cmd / fault: requests to the firmware's command service
 * (wire format in include/amprelay/services.h). Every request carries a
 * fresh sequence number; replies with another one are late answers to an
 * earlier client and are skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <amprelay/services.h>

#include "amprelay.h"

#define CMD_TIMEOUT_MS		2000
#define RAW_MAX			AR_RPMSG_MAX_PAYLOAD
/* raw takes more than fits, so the kernel's own refusal can be shown. */
#define RAW_INPUT_MAX		(2 * AR_RPMSG_BUF_SIZE)

static const char *const op_names[] = AR_CMD_OP_NAMES;
static const char *const status_strings[] = AR_CMD_ST_STRINGS;
static const char *const param_names[] = AR_PARAM_NAMES;
static const char *const fault_names[] = AR_FAULT_NAMES;

const char *cmd_status_string(unsigned int status)
{
	return status < AR_CMD_ST_NUM ? status_strings[status] : "unknown status";
}

int name_index(const char *const *names, unsigned int count, const char *name)
{
	unsigned int i;

	for (i = 1; i < count; i++)
		if (!strcmp(names[i], name))
			return (int)i;
	return -1;
}

static void list_names(FILE *out, const char *const *names, unsigned int count)
{
	unsigned int i;

	for (i = 1; i < count; i++)
		fprintf(out, "%s%s", i > 1 ? ", " : "", names[i]);
	fputc('\n', out);
}

static void print_cmd_usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG_NAME " cmd [-r N [-i MS]] OP [ARGS]\n"
		"  -r N -i MS  repeat the request N times, every MS ms; print a summary\n"
		"  version | uptime | stats | get PARAM | set PARAM VALUE | fault TYPE\n"
		"  raw HEX     send HEX bytes as they are, print the reply header\n"
		"parameters: ");
	list_names(out, param_names, AR_PARAM_NUM);
	fprintf(out, "fault types: ");
	list_names(out, fault_names, AR_FAULT_NUM);
}

struct cmd_reply {
	struct ar_cmd_hdr hdr;
	uint8_t body[AR_RPMSG_MAX_PAYLOAD];
	size_t body_len;
};

/*
 * Sends msg (len bytes) and waits for the reply with seq. Returns 0 with
 * the reply (whatever its status), or -1 after printing why.
 */
static int cmd_exchange(int fd, const struct rpmsg_service *svc, const void *msg, size_t len,
			uint32_t seq, bool any_seq, struct cmd_reply *reply)
{
	uint8_t buf[AR_RPMSG_BUF_SIZE];
	uint64_t deadline;
	ssize_t got;
	int err;

	chan_drain(fd);
	if (write(fd, msg, len) != (ssize_t)len) {
		print_error("cmd: write %zu bytes to %s: %s", len, svc->node, strerror(errno));
		return -1;
	}
	deadline = monotonic_ns() + (uint64_t)CMD_TIMEOUT_MS * 1000000u;
	for (;;) {
		err = chan_wait_message(fd, buf, sizeof(buf), deadline, &got);
		if (err == -ETIMEDOUT) {
			print_error("cmd: no reply from %s within %d ms", AR_SVC_CMD_NAME,
				    CMD_TIMEOUT_MS);
			return -1;
		}
		if (err == -EPIPE) {
			print_error("cmd: rpmsg channel %s went away (remote stopped or crashed?)",
				    AR_SVC_CMD_NAME);
			return -1;
		}
		if (err) {
			print_error("cmd: read %s: %s", svc->node, strerror(-err));
			return -1;
		}
		if ((size_t)got < sizeof(reply->hdr)) {
			print_error("cmd: %zd-byte reply is shorter than the %zu-byte header",
				    got, sizeof(reply->hdr));
			return -1;
		}
		memcpy(&reply->hdr, buf, sizeof(reply->hdr));
		if (reply->hdr.magic != AR_CMD_MAGIC) {
			print_error("cmd: reply with bad magic %#x", reply->hdr.magic);
			return -1;
		}
		if (!any_seq && reply->hdr.seq != seq)
			continue;	/* a late reply to someone else's request */
		reply->body_len = (size_t)got - sizeof(reply->hdr);
		if (reply->hdr.len != reply->body_len) {
			print_error("cmd: reply says %u body bytes but carries %zu",
				    reply->hdr.len, reply->body_len);
			return -1;
		}
		memcpy(reply->body, buf + sizeof(reply->hdr), reply->body_len);
		return 0;
	}
}

static uint32_t new_seq(void)
{
	struct timespec ts;

	/* Distinct across processes and calls; 0 is left for short requests. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint32_t)getpid() << 16 ^ (uint32_t)ts.tv_nsec) | 1;
}

int cmd_request(int fd, const struct rpmsg_service *svc, uint16_t op, const void *body,
		uint16_t body_len, struct cmd_reply_info *info, void *out, size_t out_size)
{
	uint8_t msg[sizeof(struct ar_cmd_hdr) + RAW_MAX];
	struct ar_cmd_hdr h = {
		.magic = AR_CMD_MAGIC, .seq = new_seq(), .op = op, .len = body_len,
	};
	struct cmd_reply reply;

	if (body_len > RAW_MAX - sizeof(h))
		return -1;
	memcpy(msg, &h, sizeof(h));
	if (body_len)
		memcpy(msg + sizeof(h), body, body_len);
	if (cmd_exchange(fd, svc, msg, sizeof(h) + body_len, h.seq, false, &reply))
		return -1;
	if (reply.hdr.op != (op | AR_CMD_REPLY)) {
		print_error("cmd: reply has op %#x, expected %#x", reply.hdr.op,
			    op | AR_CMD_REPLY);
		return -1;
	}
	info->seq = reply.hdr.seq;
	info->status = reply.hdr.status;
	if (reply.hdr.status == AR_CMD_ST_OK && out) {
		if (reply.body_len > out_size) {
			print_error("cmd: %zu-byte reply body, expected at most %zu",
				    reply.body_len, out_size);
			return -1;
		}
		memset(out, 0, out_size);
		memcpy(out, reply.body, reply.body_len);
	}
	info->body_len = reply.body_len;
	return 0;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits, spaces allowed between bytes; "" is an empty message. */
static int parse_hex(const char *text, uint8_t *out, size_t max, size_t *len)
{
	size_t n = 0;
	int hi, lo;

	while (*text) {
		if (*text == ' ' || *text == ':') {
			text++;
			continue;
		}
		hi = hex_value(text[0]);
		lo = hi < 0 ? -1 : hex_value(text[1]);
		if (hi < 0 || lo < 0 || n == max)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		text += 2;
	}
	*len = n;
	return 0;
}

static int cmd_raw(int fd, const struct rpmsg_service *svc, const char *hex)
{
	uint8_t msg[RAW_INPUT_MAX];
	struct cmd_reply reply;
	size_t len;

	if (parse_hex(hex, msg, sizeof(msg), &len)) {
		print_error("cmd raw: the argument is not up to %d hex bytes", RAW_INPUT_MAX);
		return EXIT_USAGE;
	}
	/* Any seq: a malformed request may not carry one. */
	if (cmd_exchange(fd, svc, msg, len, 0, true, &reply))
		return EXIT_FAILURE;
	printf("seq %u op %#x status %u (%s) len %u\n", reply.hdr.seq, reply.hdr.op,
	       reply.hdr.status, cmd_status_string(reply.hdr.status), reply.hdr.len);
	return reply.hdr.status == AR_CMD_ST_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int report_status(const char *what, const struct cmd_reply_info *info)
{
	if (info->status == AR_CMD_ST_OK)
		return 0;
	print_error("%s: the firmware answered status %u: %s", what, info->status,
		    cmd_status_string(info->status));
	return -1;
}

static void print_stats(const struct ar_cmd_stats *st)
{
	uint32_t i, n = st->nchan < AR_CMD_MAX_CHANNELS ? st->nchan : AR_CMD_MAX_CHANNELS;

	printf("boots %u, crashes %u (crash record), faults injected this boot %u\n",
	       st->boot_count, st->crash_count, st->faults_injected);
	printf("rpmsg input errors: vring %u, avail %u, desc %u, addr %u, msg %u, no endpoint %u\n",
	       st->bad_vring, st->bad_avail, st->bad_desc, st->bad_addr, st->bad_msg, st->no_ept);
	printf("%-27s %6s %10s %10s %10s %10s %8s %8s\n", "CHANNEL", "ADDR", "MSGS-IN",
	       "BYTES-IN", "MSGS-OUT", "BYTES-OUT", "DROPS", "ERRORS");
	for (i = 0; i < n; i++) {
		const struct ar_cmd_chan_stats *c = &st->chan[i];

		printf("%-27.*s %#6x %10u %10u %10u %10u %8u %8u\n", (int)sizeof(c->name) - 1,
		       c->name, c->addr, c->msgs_in, c->bytes_in, c->msgs_out, c->bytes_out,
		       c->drops, c->errors);
	}
}

static int lookup_param(const char *name)
{
	int id = name_index(param_names, AR_PARAM_NUM, name);

	if (id < 0) {
		print_error("cmd: unknown parameter '%s'", name);
		fprintf(stderr, "parameters: ");
		list_names(stderr, param_names, AR_PARAM_NUM);
	}
	return id;
}

static int run_fault(int fd, const struct rpmsg_service *svc, const char *name)
{
	struct cmd_reply_info info;
	uint32_t type, echoed = 0;
	int id = name_index(fault_names, AR_FAULT_NUM, name);

	if (id < 0) {
		print_error("fault: unknown fault type '%s'", name);
		fprintf(stderr, "fault types: ");
		list_names(stderr, fault_names, AR_FAULT_NUM);
		return EXIT_USAGE;
	}
	type = (uint32_t)id;
	if (cmd_request(fd, svc, AR_CMD_OP_FAULT, &type, sizeof(type), &info, &echoed,
			sizeof(echoed)) || report_status("fault", &info))
		return EXIT_FAILURE;
	if (echoed != type) {
		print_error("fault: acknowledged type %u, asked for %u", echoed, type);
		return EXIT_FAILURE;
	}
	printf("fault %s acknowledged by the firmware (seq %u); it runs now\n", name, info.seq);
	return EXIT_SUCCESS;
}

static int run_op(int fd, const struct rpmsg_service *svc, int argc, char **argv)
{
	const char *op = argv[0];
	struct cmd_reply_info info;
	union {
		struct ar_cmd_version version;
		struct ar_cmd_uptime uptime;
		struct ar_cmd_stats stats;
		struct ar_cmd_param param;
	} r;
	struct ar_cmd_param p;
	unsigned long value;
	int id, code;

	code = name_index(op_names, AR_CMD_OP_NUM, op);
	if (!strcmp(op, "raw") && argc == 2)
		return cmd_raw(fd, svc, argv[1]);
	if (code == AR_CMD_OP_FAULT && argc == 2)
		return run_fault(fd, svc, argv[1]);
	if ((code == AR_CMD_OP_VERSION || code == AR_CMD_OP_UPTIME ||
	     code == AR_CMD_OP_STATS) && argc == 1) {
		if (cmd_request(fd, svc, (uint16_t)code, NULL, 0, &info, &r, sizeof(r)) ||
		    report_status(op, &info))
			return EXIT_FAILURE;
		if (code == AR_CMD_OP_VERSION)
			printf("%.*s build %08x protocol %u boot %u\n",
			       (int)sizeof(r.version.name) - 1, r.version.name,
			       r.version.build_id, r.version.proto, r.version.boot_count);
		else if (code == AR_CMD_OP_UPTIME)
			printf("uptime %llu.%06llu s, %u loops\n",
			       (unsigned long long)(r.uptime.uptime_us / 1000000u),
			       (unsigned long long)(r.uptime.uptime_us % 1000000u),
			       r.uptime.loops);
		else
			print_stats(&r.stats);
		return EXIT_SUCCESS;
	}
	if ((code == AR_CMD_OP_GET_PARAM && argc == 2) ||
	    (code == AR_CMD_OP_SET_PARAM && argc == 3)) {
		id = lookup_param(argv[1]);
		if (id < 0)
			return EXIT_USAGE;
		p.id = (uint32_t)id;
		p.value = 0;
		if (code == AR_CMD_OP_SET_PARAM) {
			if (parse_uint(argv[2], UINT32_MAX, &value)) {
				print_error("cmd set: '%s' is not a number from 0 to %u",
					    argv[2], UINT32_MAX);
				return EXIT_USAGE;
			}
			p.value = (uint32_t)value;
		}
		if (cmd_request(fd, svc, (uint16_t)code, &p,
				code == AR_CMD_OP_SET_PARAM ? sizeof(p) : sizeof(p.id),
				&info, &r, sizeof(r)) || report_status(op, &info))
			return EXIT_FAILURE;
		printf("%s = %u\n", param_names[id], r.param.value);
		return EXIT_SUCCESS;
	}
	print_error("cmd: unknown operation or wrong arguments: %s", op);
	print_cmd_usage(stderr);
	return EXIT_USAGE;
}

static int with_cmd_channel(int argc, char **argv)
{
	struct rpmsg_service svc;
	int fd, ret;

	fd = rpmsg_service_open(AR_SVC_CMD_NAME, &svc);
	if (fd < 0)
		return EXIT_FAILURE;
	ret = run_op(fd, &svc, argc, argv);
	close(fd);
	return ret;
}

/*
 * -r N -i MS: the same request N times, one every MS milliseconds, on one
 * open channel (load generation); only the summary is printed.
 */
static int repeat_op(unsigned long count, unsigned long interval_ms, int argc, char **argv)
{
	struct rpmsg_service svc;
	unsigned long i, failed = 0;
	uint64_t start, next, now;
	int fd, saved, null_fd;
	double secs;

	fd = rpmsg_service_open(AR_SVC_CMD_NAME, &svc);
	if (fd < 0)
		return EXIT_FAILURE;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	null_fd = open("/dev/null", O_WRONLY);
	if (saved < 0 || null_fd < 0 || dup2(null_fd, STDOUT_FILENO) < 0) {
		print_error("cmd: cannot silence stdout: %s", strerror(errno));
		close(fd);
		return EXIT_FAILURE;
	}
	start = next = monotonic_ns();
	for (i = 0; i < count; i++) {
		int ret = run_op(fd, &svc, argc, argv);

		fflush(stdout);
		if (ret == EXIT_USAGE) {
			failed = count;
			break;
		}
		if (ret != EXIT_SUCCESS)
			failed++;
		next += (uint64_t)interval_ms * 1000000u;
		now = monotonic_ns();
		if (next > now)
			sleep_ms((unsigned int)((next - now) / 1000000u));
	}
	secs = (double)(monotonic_ns() - start) / 1e9;
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(null_fd);
	close(fd);
	printf("%lu %s requests in %.3f s (%.1f/s), %lu failed\n", i, argv[0], secs,
	       secs > 0 ? (double)i / secs : 0.0, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int cmd_cmd(int argc, char **argv)
{
	unsigned long count = 1, interval_ms = 0;
	int opt;

	while ((opt = getopt(argc, argv, "+r:i:h")) != -1) {
		switch (opt) {
		case 'r':
			if (parse_uint(optarg, 100000000, &count) || !count) {
				print_error("cmd: -r wants a count from 1, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'i':
			if (parse_uint(optarg, 60000, &interval_ms)) {
				print_error("cmd: -i wants milliseconds from 0 to 60000, not '%s'",
					    optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			print_cmd_usage(stdout);
			return EXIT_SUCCESS;
		default:
			print_cmd_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		print_cmd_usage(stderr);
		return EXIT_USAGE;
	}
	if (count > 1)
		return repeat_op(count, interval_ms, argc - optind, argv + optind);
	return with_cmd_channel(argc - optind, argv + optind);
}

int cmd_fault(int argc, char **argv)
{
	char *args[2] = { "fault", NULL };

	if (argc != 2 || name_index(fault_names, AR_FAULT_NUM, argv[1]) < 0) {
		if (argc == 2)
			print_error("fault: unknown fault type '%s'", argv[1]);
		fprintf(stderr, "usage: " PROG_NAME " fault TYPE\nfault types: ");
		list_names(stderr, fault_names, AR_FAULT_NUM);
		return EXIT_USAGE;
	}
	args[1] = argv[1];
	return with_cmd_channel(2, args);
}
