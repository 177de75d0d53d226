// SPDX-License-Identifier: GPL-2.0-only
/*
 * throughput: 496-byte messages through the firmware's bulk service, each
 * one checked at the far end (include/amprelay/bulk.h). "tx" streams to
 * the firmware's sink and asks it how many arrived intact; "rx" has the
 * firmware's source stream to us and checks every message here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amprelay/bulk.h>

#include "amprelay.h"

#define BULK_COUNT_DEFAULT	10000
#define BULK_COUNT_MAX		10000000
/* Per message: a stalled stream is an error, not a slow figure. */
#define BULK_TIMEOUT_MS		2000

struct bulk_result {
	unsigned long count;
	unsigned long received;
	unsigned long errors;
	unsigned long long bytes;
	uint64_t elapsed_ns;
};

static void fill_data(uint8_t *buf, size_t len, uint32_t seq)
{
	struct ar_bulk_hdr h = { .magic = AR_BULK_MAGIC, .op = AR_BULK_OP_DATA, .seq = seq };

	memcpy(buf, &h, sizeof(h));
	for (size_t i = sizeof(h); i < len; i++)
		buf[i] = ar_bulk_pattern(seq, (uint32_t)i);
}

static int send_ctl(int fd, const struct rpmsg_service *svc, uint16_t op, uint32_t arg)
{
	struct ar_bulk_hdr h = { .magic = AR_BULK_MAGIC, .op = op, .arg = arg };

	if (write(fd, &h, sizeof(h)) == (ssize_t)sizeof(h))
		return 0;
	print_error("throughput: write %s: %s", svc->node, strerror(errno));
	return -1;
}

static int wait_err(int err, const struct rpmsg_service *svc, const char *what)
{
	if (err == -ETIMEDOUT)
		print_error("throughput: no %s from %s within %d ms", what, AR_SVC_BULK_NAME,
			    BULK_TIMEOUT_MS);
	else if (err == -EPIPE)
		print_error("throughput: rpmsg channel %s went away (remote stopped or crashed?)",
			    AR_SVC_BULK_NAME);
	else
		print_error("throughput: read %s: %s", svc->node, strerror(-err));
	return -1;
}

/* Linux -> firmware: the sink checks every message, REPORT says how many. */
static int run_tx(int fd, const struct rpmsg_service *svc, unsigned long count,
		  struct bulk_result *res)
{
	uint8_t buf[AR_RPMSG_MAX_PAYLOAD];
	struct {
		struct ar_bulk_hdr h;
		struct ar_bulk_report r;
	} reply;
	uint64_t t0;
	ssize_t got;
	int err;

	if (send_ctl(fd, svc, AR_BULK_OP_SINK, (uint32_t)count))
		return -1;
	t0 = monotonic_ns();
	for (unsigned long seq = 0; seq < count; seq++) {
		fill_data(buf, sizeof(buf), (uint32_t)seq);
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			print_error("throughput: write %s (message %lu): %s", svc->node, seq,
				    strerror(errno));
			return -1;
		}
	}
	/* Delivered in order after the data: its answer ends the stream. */
	if (send_ctl(fd, svc, AR_BULK_OP_REPORT, 0))
		return -1;
	for (;;) {
		err = chan_wait_message(fd, &reply, sizeof(reply),
					monotonic_ns() + BULK_TIMEOUT_MS * 1000000ull, &got);
		if (err)
			return wait_err(err, svc, "report");
		if (got == (ssize_t)sizeof(reply) && reply.h.magic == AR_BULK_MAGIC &&
		    reply.h.op == (AR_BULK_OP_REPORT | AR_BULK_REPLY))
			break;
	}
	res->elapsed_ns = monotonic_ns() - t0;
	res->count = count;
	res->received = reply.r.received;
	res->errors = reply.r.errors + (count - (reply.r.received < count ?
						 reply.r.received : count));
	res->bytes = reply.r.bytes;
	return 0;
}

/* Firmware -> Linux: every message is checked here. */
static int run_rx(int fd, const struct rpmsg_service *svc, unsigned long count,
		  struct bulk_result *res)
{
	uint8_t buf[AR_RPMSG_BUF_SIZE];
	struct ar_bulk_hdr h;
	uint32_t next = 0;
	uint64_t t0;
	ssize_t got;
	int err;

	res->count = count;
	t0 = monotonic_ns();
	if (send_ctl(fd, svc, AR_BULK_OP_SOURCE, (uint32_t)count))
		return -1;
	chan_tick_hold(true);
	while (res->received < count) {
		err = chan_wait_message(fd, buf, sizeof(buf),
					monotonic_ns() + BULK_TIMEOUT_MS * 1000000ull, &got);
		if (err) {
			chan_tick_hold(false);
			return wait_err(err, svc, "data");
		}
		memcpy(&h, buf, sizeof(h));
		if (got < (ssize_t)sizeof(h) || h.magic != AR_BULK_MAGIC ||
		    h.op != AR_BULK_OP_DATA)
			continue;	/* not part of the stream */
		res->received++;
		res->bytes += (unsigned long long)got;
		bool ok = got == AR_RPMSG_MAX_PAYLOAD && h.seq == next;

		for (ssize_t i = sizeof(h); ok && i < got; i++)
			ok = buf[i] == ar_bulk_pattern(h.seq, (uint32_t)i);
		if (!ok)
			res->errors++;
		next = h.seq + 1;
	}
	chan_tick_hold(false);
	res->elapsed_ns = monotonic_ns() - t0;
	return 0;
}

static void print_result(const char *dir, const struct bulk_result *r)
{
	double s = r->elapsed_ns / 1e9;

	/* One line per direction, read by tools/bench/report. */
	printf("throughput %s: %lu messages of %d bytes, %lu received, %lu errors, %.3f s, "
	       "%.0f msg/s, %.2f MB/s\n", dir, r->count, AR_RPMSG_MAX_PAYLOAD, r->received,
	       r->errors, s, s > 0 ? r->received / s : 0.0, s > 0 ? r->bytes / s / 1e6 : 0.0);
}

static void print_throughput_usage(void)
{
	fprintf(stderr,
		"usage: " PROG_NAME " throughput [-d tx|rx|both] [-c N]\n"
		"  N messages of %d bytes each way (default %d) through %s;\n"
		"  tx: Linux -> firmware, checked by the firmware's sink;\n"
		"  rx: firmware -> Linux, checked here. Exit 1 on any error.\n",
		AR_RPMSG_MAX_PAYLOAD, BULK_COUNT_DEFAULT, AR_SVC_BULK_NAME);
}

int cmd_throughput(int argc, char **argv)
{
	unsigned long count = BULK_COUNT_DEFAULT;
	bool tx = true, rx = true, failed = false;
	struct rpmsg_service svc;
	struct bulk_result res;
	int c, fd;

	while ((c = getopt(argc, argv, "+d:c:h")) != -1) {
		switch (c) {
		case 'd':
			tx = !strcmp(optarg, "tx") || !strcmp(optarg, "both");
			rx = !strcmp(optarg, "rx") || !strcmp(optarg, "both");
			if (!tx && !rx) {
				print_error("throughput: -d wants tx, rx or both, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'c':
			if (parse_uint(optarg, BULK_COUNT_MAX, &count) || count == 0) {
				print_error("throughput: -c wants a count from 1 to %d, not '%s'",
					    BULK_COUNT_MAX, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			print_throughput_usage();
			return EXIT_SUCCESS;
		default:
			print_throughput_usage();
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		print_error("throughput: unexpected argument '%s'", argv[optind]);
		print_throughput_usage();
		return EXIT_USAGE;
	}

	fd = rpmsg_service_open(AR_SVC_BULK_NAME, &svc);
	if (fd < 0)
		return EXIT_FAILURE;
	chan_drain(fd);
	if (tx) {
		memset(&res, 0, sizeof(res));
		if (run_tx(fd, &svc, count, &res))
			failed = true;
		else {
			print_result("tx", &res);
			failed |= res.errors != 0;
		}
	}
	if (rx && !failed) {
		memset(&res, 0, sizeof(res));
		if (run_rx(fd, &svc, count, &res))
			failed = true;
		else {
			print_result("rx", &res);
			failed |= res.errors != 0;
		}
	}
	close(fd);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
