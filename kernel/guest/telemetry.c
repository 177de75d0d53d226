// SPDX-License-Identifier: GPL-2.0-only
/*
 * amprelay telemetry: subscribe to the firmware's sample stream, show or
 * record it, and account for every sample: a gap in seq must equal the
 * dropped count the firmware put in the next sample, else the loss
 * happened where nobody counted it and the run fails.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amprelay/services.h>

#include "amprelay.h"

#define TELEM_COUNT_MAX		100000000
#define ACK_TIMEOUT_MS		2000
/* Silence allowed between samples beyond one period. */
#define SAMPLE_SLACK_MS		2000

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void print_telemetry_usage(FILE *out)
{
	fprintf(out, "usage: " PROG_NAME " telemetry [-n N] [--csv FILE] [-q]\n"
		     "  -n N        stop after N samples (default: until interrupted)\n"
		     "  --csv FILE  write every sample to FILE as CSV\n"
		     "  -q          no line per sample, only the summary\n"
		     "The period is the firmware parameter telemetry-period-us\n"
		     "(" PROG_NAME " cmd set telemetry-period-us US, %d..%d).\n",
		AR_TELEM_PERIOD_MIN_US, AR_TELEM_PERIOD_MAX_US);
}

static int send_ctl(int fd, uint32_t op, uint32_t count)
{
	struct ar_telem_ctl ctl = { .magic = AR_TELEM_MAGIC, .op = op, .count = count };

	return write(fd, &ctl, sizeof(ctl)) == (ssize_t)sizeof(ctl) ? 0 : -errno;
}

struct telem_totals {
	unsigned long received;
	unsigned long counted_drops;	/* what the firmware reported */
	unsigned long uncounted;	/* seq gaps nobody reported */
	unsigned long bad;		/* malformed messages */
	uint32_t first_seq, last_seq;
	uint64_t first_us, last_us;
};

/* Checks one sample against the previous; returns the uncounted loss. */
static unsigned long account(struct telem_totals *t, const struct ar_telem_sample *s)
{
	uint32_t expected = t->received ? t->last_seq + 1 + s->dropped : s->dropped;
	unsigned long lost = 0;

	if (s->seq != expected) {
		lost = s->seq > expected ? s->seq - expected : 1;
		print_error("telemetry: seq %u after %u with %u reported dropped: %lu sample(s) lost uncounted",
			    s->seq, t->last_seq, s->dropped, lost);
	}
	if (!t->received) {
		t->first_seq = s->seq;
		t->first_us = s->time_us;
	}
	t->received++;
	t->counted_drops += s->dropped;
	t->uncounted += lost;
	t->last_seq = s->seq;
	t->last_us = s->time_us;
	return lost;
}

static int wait_ack(int fd, uint32_t op, uint32_t *period_us)
{
	uint8_t buf[AR_RPMSG_BUF_SIZE];
	struct ar_telem_ack ack;
	uint64_t deadline = monotonic_ns() + (uint64_t)ACK_TIMEOUT_MS * 1000000u;
	ssize_t got;
	int err;

	for (;;) {
		err = chan_wait_message(fd, buf, sizeof(buf), deadline, &got);
		if (err) {
			print_error("telemetry: no acknowledgement from %s: %s", AR_SVC_TELEM_NAME,
				    err == -ETIMEDOUT ? "timed out" : strerror(-err));
			return -1;
		}
		if ((size_t)got != sizeof(ack))
			continue;	/* a sample of an earlier stream */
		memcpy(&ack, buf, sizeof(ack));
		if (ack.magic != AR_TELEM_MAGIC || ack.kind != AR_TELEM_KIND_ACK || ack.op != op)
			continue;
		if (ack.status != AR_CMD_ST_OK) {
			print_error("telemetry: the firmware refused: %s",
				    cmd_status_string(ack.status));
			return -1;
		}
		*period_us = ack.period_us;
		return 0;
	}
}

static int stream(int fd, unsigned long count, FILE *csv, bool quiet, struct telem_totals *t)
{
	uint8_t buf[AR_RPMSG_BUF_SIZE];
	struct ar_telem_sample s;
	uint32_t period_us;
	ssize_t got;
	int err;

	err = send_ctl(fd, AR_TELEM_START, (uint32_t)count);
	if (err) {
		print_error("telemetry: start: %s", strerror(-err));
		return -1;
	}
	if (wait_ack(fd, AR_TELEM_START, &period_us))
		return -1;
	if (!quiet)
		printf("telemetry from %s every %u us%s\n", AR_SVC_TELEM_NAME, period_us,
		       count ? "" : " (Ctrl-C stops)");
	if (csv)
		fprintf(csv, "seq,time_us,period_us,loops,dropped,dropped_total,rx_pending,tx_free,sensor\n");

	while (!stop_requested && (!count || t->received < count)) {
		uint64_t deadline = monotonic_ns() +
			((uint64_t)period_us / 1000u + SAMPLE_SLACK_MS) * 1000000u;

		err = chan_wait_message(fd, buf, sizeof(buf), deadline, &got);
		if (err == -EINTR)
			continue;
		if (err) {
			print_error("telemetry: %s after %lu samples",
				    err == -ETIMEDOUT ? "the stream stopped" :
				    err == -EPIPE ? "the channel went away (remote stopped or crashed?)" :
				    strerror(-err), t->received);
			return -1;
		}
		if ((size_t)got != sizeof(s)) {
			t->bad++;
			continue;
		}
		memcpy(&s, buf, sizeof(s));
		if (s.magic != AR_TELEM_MAGIC || s.kind != AR_TELEM_KIND_SAMPLE) {
			t->bad++;
			continue;
		}
		account(t, &s);
		if (csv)
			fprintf(csv, "%u,%llu,%u,%u,%u,%u,%u,%u,%d\n", s.seq,
				(unsigned long long)s.time_us, s.period_us, s.loops, s.dropped,
				s.dropped_total, s.rx_pending, s.tx_free, s.sensor);
		if (!quiet)
			printf("seq %u t %llu.%06llu s loops %u dropped %u rxq %u txfree %u sensor %d\n",
			       s.seq, (unsigned long long)(s.time_us / 1000000u),
			       (unsigned long long)(s.time_us % 1000000u), s.loops, s.dropped,
			       s.rx_pending, s.tx_free, s.sensor);
	}
	return 0;
}

int cmd_telemetry(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "csv", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct telem_totals t = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct rpmsg_service svc;
	const char *csv_path = NULL;
	unsigned long count = 0;
	bool quiet = false;
	FILE *csv = NULL;
	int opt, fd, ret;
	double span;

	while ((opt = getopt_long(argc, argv, "+n:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (parse_uint(optarg, TELEM_COUNT_MAX, &count) || !count) {
				print_error("telemetry: -n wants a count from 1 to %d, not '%s'",
					    TELEM_COUNT_MAX, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'c':
			csv_path = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			print_telemetry_usage(stdout);
			return EXIT_SUCCESS;
		default:
			print_telemetry_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		print_error("telemetry: unexpected argument '%s'", argv[optind]);
		print_telemetry_usage(stderr);
		return EXIT_USAGE;
	}
	if (csv_path) {
		csv = fopen(csv_path, "w");
		if (!csv) {
			print_error("telemetry: cannot write %s: %s", csv_path, strerror(errno));
			return EXIT_FAILURE;
		}
	}
	fd = rpmsg_service_open(AR_SVC_TELEM_NAME, &svc);
	if (fd < 0) {
		if (csv)
			fclose(csv);
		return EXIT_FAILURE;
	}
	/* Interrupted reads end the loop, which then stops the stream. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	chan_drain(fd);
	ret = stream(fd, count, csv, quiet, &t) ? EXIT_FAILURE : EXIT_SUCCESS;
	/* Stop it either way, so the firmware does not feed a closed file. */
	opt = send_ctl(fd, AR_TELEM_STOP, 0);
	if (opt)
		print_error("telemetry: stop: %s", strerror(-opt));
	close(fd);
	if (csv && fclose(csv)) {
		print_error("telemetry: writing %s: %s", csv_path, strerror(errno));
		ret = EXIT_FAILURE;
	}

	span = t.received > 1 ? (double)(t.last_us - t.first_us) / 1e6 : 0;
	printf("%lu samples (seq %u..%u) in %.3f s (%.1f/s); dropped and counted by the firmware %lu; lost uncounted %lu; malformed %lu\n",
	       t.received, t.first_seq, t.last_seq, span,
	       span > 0 ? (double)(t.received - 1) / span : 0.0, t.counted_drops, t.uncounted,
	       t.bad);
	if (t.uncounted || t.bad) {
		print_error("telemetry: %lu samples lost without being counted, %lu malformed",
			    t.uncounted, t.bad);
		ret = EXIT_FAILURE;
	}
	return ret;
}
