// SPDX-License-Identifier: GPL-2.0-only
/*
 * echo and ping against the firmware's echo service. One write() on the
 * rpmsg_char node is one message and one read() is one reply.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amprelay/platform.h>

#include "amprelay.h"

#define REPLY_TIMEOUT_MS	2000
/* echo -s may exceed the rpmsg limit on purpose: the kernel must refuse it. */
#define ECHO_SIZE_MAX		65536
#define PING_COUNT_DEFAULT	10
#define PING_COUNT_MAX		1000000
#define PING_SIZE_DEFAULT	32
#define PING_WARMUP_MAX		100
#define PING_WARMUP_DIVISOR	10

/* Bytes of a ping payload that carry its sequence number. */
#define PING_SEQ_BYTES		4

static size_t first_difference(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i, n = alen < blen ? alen : blen;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			break;
	return i;
}

/* Printable filler for echo -s, so the reply can be shown as text. */
static void fill_text(char *buf, size_t size)
{
	static const char alphabet[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t i;

	for (i = 0; i < size; i++)
		buf[i] = alphabet[i % (sizeof(alphabet) - 1)];
}

static char *join_words(int count, char **words, size_t *len)
{
	size_t total = 0;
	char *text, *p;
	int i;

	for (i = 0; i < count; i++)
		total += strlen(words[i]) + 1;
	text = malloc(total + 1);
	if (!text)
		return NULL;
	p = text;
	for (i = 0; i < count; i++) {
		if (i)
			*p++ = ' ';
		memcpy(p, words[i], strlen(words[i]));
		p += strlen(words[i]);
	}
	*p = '\0';
	*len = (size_t)(p - text);
	return text;
}

static void print_echo_usage(void)
{
	fprintf(stderr, "usage: " PROG_NAME " echo TEXT...\n"
			"       " PROG_NAME " echo -s SIZE\n");
}

static void print_write_error(int err, size_t len, const struct rpmsg_service *svc)
{
	if (err == EMSGSIZE)
		print_error("write: %s (%zu bytes to %s on %s; the largest rpmsg payload is %d bytes)",
			    strerror(err), len, AR_SVC_ECHO_NAME, svc->node,
			    AR_RPMSG_MAX_PAYLOAD);
	else if (err == EPIPE)
		print_error("write: %s (rpmsg channel %s went away: remote stopped or crashed?)",
			    strerror(err), AR_SVC_ECHO_NAME);
	else
		print_error("write: %s (%zu bytes to %s on %s)", strerror(err), len,
			    AR_SVC_ECHO_NAME, svc->node);
}

static void print_reply_error(int err, const struct rpmsg_service *svc)
{
	if (err == -ETIMEDOUT)
		print_error("no reply from %s on %s within %d ms", AR_SVC_ECHO_NAME,
			    svc->node, REPLY_TIMEOUT_MS);
	else if (err == -EPIPE)
		print_error("rpmsg channel %s went away while waiting for its reply (remote stopped or crashed?)",
			    AR_SVC_ECHO_NAME);
	else
		print_error("read %s: %s", svc->node, strerror(-err));
}

/* One echo round trip on an open channel; prints the reply if asked. */
static int echo_once(int fd, const struct rpmsg_service *svc, const char *msg, size_t len,
		     bool print_reply)
{
	char reply[AR_RPMSG_BUF_SIZE];
	ssize_t sent, got;
	int err;

	chan_drain(fd);

	/* Oversized messages go to the kernel as they are: its EMSGSIZE is the answer. */
	sent = write(fd, msg, len);
	if (sent < 0) {
		print_write_error(errno, len, svc);
		return EXIT_FAILURE;
	}
	if ((size_t)sent != len) {
		print_error("write: only %zd of %zu bytes went to %s", sent, len, svc->node);
		return EXIT_FAILURE;
	}

	err = chan_wait_message(fd, reply, sizeof(reply),
			 monotonic_ns() + (uint64_t)REPLY_TIMEOUT_MS * 1000000u, &got);
	if (err) {
		print_reply_error(err, svc);
		return EXIT_FAILURE;
	}
	if ((size_t)got != len || memcmp(reply, msg, len)) {
		print_error("echo: the reply differs from the message sent (sent %zu bytes, got %zd, first difference at byte %zu)",
			    len, got, first_difference(msg, len, reply, (size_t)got));
		return EXIT_FAILURE;
	}
	if (print_reply) {
		fwrite(reply, 1, (size_t)got, stdout);
		putchar('\n');
	}
	return EXIT_SUCCESS;
}

int echo_check(const char *msg)
{
	struct rpmsg_service svc;
	int fd, ret;

	fd = rpmsg_service_open(AR_SVC_ECHO_NAME, &svc);
	if (fd < 0)
		return -1;
	ret = echo_once(fd, &svc, msg, strlen(msg), false);
	close(fd);
	return ret == EXIT_SUCCESS ? 0 : -1;
}

int cmd_echo(int argc, char **argv)
{
	struct rpmsg_service svc;
	unsigned long size = 0;
	bool generated = false;
	int opt, fd, ret = EXIT_FAILURE;
	size_t len;
	char *msg;

	while ((opt = getopt(argc, argv, "+s:h")) != -1) {
		switch (opt) {
		case 's':
			if (parse_uint(optarg, ECHO_SIZE_MAX, &size)) {
				print_error("echo: -s wants a size in bytes from 0 to %d, not '%s'",
					    ECHO_SIZE_MAX, optarg);
				return EXIT_USAGE;
			}
			generated = true;
			break;
		case 'h':
			print_echo_usage();
			return EXIT_SUCCESS;
		default:
			print_echo_usage();
			return EXIT_USAGE;
		}
	}
	if (generated == (optind < argc)) {
		print_error(generated ? "echo: give TEXT or -s SIZE, not both"
				      : "echo: nothing to send: give TEXT or -s SIZE");
		print_echo_usage();
		return EXIT_USAGE;
	}

	if (generated) {
		len = size;
		msg = malloc(len + 1);
		if (msg)
			fill_text(msg, len);
	} else {
		msg = join_words(argc - optind, argv + optind, &len);
	}
	if (!msg) {
		print_error("echo: out of memory");
		return EXIT_FAILURE;
	}

	fd = rpmsg_service_open(AR_SVC_ECHO_NAME, &svc);
	if (fd >= 0) {
		ret = echo_once(fd, &svc, msg, len, true);
		close(fd);
	}
	free(msg);
	return ret;
}

/* ---- ping ------------------------------------------------------------ */

struct ping_sizes {
	size_t min, max;
};

static size_t ping_size(const struct ping_sizes *sizes, uint32_t seq)
{
	return sizes->min + seq % (sizes->max - sizes->min + 1);
}

/*
 * Payload of round trip seq: the sequence number (little-endian) followed
 * by a stream seeded from it, so a late or mixed-up reply never matches.
 */
static void fill_ping(uint8_t *buf, size_t size, uint32_t seq)
{
	uint32_t state = seq * 2654435761u + 1;	/* Knuth's multiplicative hash */
	size_t i;

	for (i = 0; i < size; i++) {
		if (i < PING_SEQ_BYTES) {
			buf[i] = (uint8_t)(seq >> (8 * i));
			continue;
		}
		/* xorshift32 */
		state ^= state << 13;
		state ^= state >> 17;
		state ^= state << 5;
		buf[i] = (uint8_t)state;
	}
}

/* Is this the reply to an earlier round trip (one that timed out)? */
static bool is_late_reply(const struct ping_sizes *sizes, const uint8_t *reply,
			  size_t len, uint32_t current_seq)
{
	uint8_t expected[AR_RPMSG_BUF_SIZE];
	uint32_t seq = 0;
	size_t i;

	if (len < PING_SEQ_BYTES || len > sizeof(expected))
		return false;
	for (i = 0; i < PING_SEQ_BYTES; i++)
		seq |= (uint32_t)reply[i] << (8 * i);
	if (seq >= current_seq || ping_size(sizes, seq) != len)
		return false;
	fill_ping(expected, len, seq);
	return !memcmp(expected, reply, len);
}

static int parse_ping_sizes(const char *text, struct ping_sizes *sizes)
{
	char first[SYSFS_VALUE_MAX];
	const char *dash = strchr(text, '-');
	unsigned long a, b;

	if (!dash) {
		if (parse_uint(text, AR_RPMSG_MAX_PAYLOAD, &a))
			return -EINVAL;
		sizes->min = sizes->max = a;
		return 0;
	}
	if ((size_t)(dash - text) >= sizeof(first))
		return -EINVAL;
	memcpy(first, text, (size_t)(dash - text));
	first[dash - text] = '\0';
	if (parse_uint(first, AR_RPMSG_MAX_PAYLOAD, &a) ||
	    parse_uint(dash + 1, AR_RPMSG_MAX_PAYLOAD, &b) || a > b)
		return -EINVAL;
	sizes->min = a;
	sizes->max = b;
	return 0;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted values, in microseconds. */
static unsigned long long percentile_us(const uint64_t *sorted, size_t count, unsigned int pct)
{
	size_t rank = (count * pct + 99) / 100;

	if (rank == 0)
		rank = 1;
	return (unsigned long long)((sorted[rank - 1] + 500) / 1000);
}

static void print_ping_usage(void)
{
	fprintf(stderr, "usage: " PROG_NAME " ping [-c N] [-s SIZE|A-B] [-w N] [-q] [-o FILE]\n"
		"  -w N     warm-up round trips before the measured ones (default: a tenth\n"
		"           of the count, at most %d)\n"
		"  -o FILE  also write every measured round trip, in ns, one per line\n",
		PING_WARMUP_MAX);
}

struct ping_counts {
	unsigned long ok;		/* measured round trips that passed */
	unsigned long timeouts;
	unsigned long mismatches;
	unsigned long late;		/* replies to round trips that had timed out */
	unsigned long aborted;		/* not completed after the channel failed */
};

struct ping_options {
	unsigned long count;
	struct ping_sizes sizes;
	const char *size_label;
	const char *samples_path;	/* -o: raw round trips for plots */
	long warmup;			/* -w, or -1: the default share */
	bool quiet;
};

/* One measured round trip per line, in the order they happened. */
static int write_samples(const char *path, const uint64_t *latency_ns, unsigned long count)
{
	unsigned long i;
	FILE *f;

	f = fopen(path, "w");
	if (!f) {
		print_error("ping: cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < count; i++)
		fprintf(f, "%llu\n", (unsigned long long)latency_ns[i]);
	if (fclose(f)) {
		print_error("ping: cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Run the round trips on an open channel and print the summary. */
static int ping_run(int fd, const struct rpmsg_service *svc, const struct ping_options *opt)
{
	uint8_t out[AR_RPMSG_BUF_SIZE], in[AR_RPMSG_BUF_SIZE];
	const struct ping_sizes *sizes = &opt->sizes;
	unsigned long warmup, total, failed;
	struct ping_counts n = { 0 };
	uint64_t *latency_ns;
	bool quiet = opt->quiet, samples_failed;
	uint32_t seq;
	int err;

	warmup = opt->count / PING_WARMUP_DIVISOR;
	if (warmup > PING_WARMUP_MAX)
		warmup = PING_WARMUP_MAX;
	if (opt->warmup >= 0)
		warmup = (unsigned long)opt->warmup;
	total = warmup + opt->count;

	latency_ns = malloc(opt->count * sizeof(*latency_ns));
	if (!latency_ns) {
		print_error("ping: out of memory for %lu samples", opt->count);
		return EXIT_FAILURE;
	}
	chan_drain(fd);

	if (!quiet)
		printf("PING %s (%s): %lu round trips of %s bytes after %lu warm-up\n",
		       AR_SVC_ECHO_NAME, svc->node, opt->count, opt->size_label, warmup);

	/* Not while printing per reply: the tick could cut a console write short. */
	chan_tick_hold(quiet);
	for (seq = 0; seq < total; seq++) {
		size_t size = ping_size(sizes, seq);
		uint64_t start, deadline, end = 0;
		ssize_t sent, got = 0;
		bool measured = seq >= warmup;

		fill_ping(out, size, seq);
		start = monotonic_ns();
		deadline = start + (uint64_t)REPLY_TIMEOUT_MS * 1000000u;
		do
			sent = write(fd, out, size);
		while (sent < 0 && errno == EINTR && monotonic_ns() < deadline);
		if (sent < 0 || (size_t)sent != size) {
			if (sent < 0)
				print_write_error(errno, size, svc);
			else
				print_error("write: only %zd of %zu bytes went to %s", sent, size,
					    svc->node);
			n.aborted = total - seq;
			break;
		}

		/* Skip replies that belong to earlier, timed-out round trips. */
		for (;;) {
			err = chan_wait_message(fd, in, sizeof(in), deadline, &got);
			end = monotonic_ns();
			if (err || ((size_t)got == size && !memcmp(in, out, size)) ||
			    !is_late_reply(sizes, in, (size_t)got, seq))
				break;
			n.late++;
		}

		if (err == -ETIMEDOUT) {
			n.timeouts++;
			if (!quiet)
				print_error("ping: seq %u (%zu bytes): no reply within %d ms", seq,
					    size, REPLY_TIMEOUT_MS);
			continue;
		}
		if (err == -EPIPE) {
			print_error("ping: rpmsg channel %s went away at seq %u (remote stopped or crashed?)",
				    AR_SVC_ECHO_NAME, seq);
			n.aborted = total - seq;
			break;
		}
		if (err) {
			print_error("ping: read %s at seq %u: %s", svc->node, seq, strerror(-err));
			n.aborted = total - seq;
			break;
		}
		if ((size_t)got != size || memcmp(in, out, size)) {
			n.mismatches++;
			if (!quiet)
				print_error("ping: seq %u: wrong reply (sent %zu bytes, got %zd, first difference at byte %zu)",
					    seq, size, got,
					    first_difference((char *)out, size, (char *)in,
							     (size_t)got));
			continue;
		}
		if (!quiet)
			printf("%zu bytes from %s: seq=%u time=%llu us%s\n", size,
			       AR_SVC_ECHO_NAME, seq,
			       (unsigned long long)((end - start + 500) / 1000),
			       measured ? "" : " (warm-up)");
		if (measured)
			latency_ns[n.ok++] = end - start;
	}

	chan_tick_hold(false);
	samples_failed = opt->samples_path &&
			 write_samples(opt->samples_path, latency_ns, n.ok);
	if (n.ok) {
		qsort(latency_ns, n.ok, sizeof(*latency_ns), compare_u64);
		printf("%lu round trips, %s bytes: min %llu p50 %llu p90 %llu p99 %llu max %llu us\n",
		       n.ok, opt->size_label, percentile_us(latency_ns, n.ok, 0),
		       percentile_us(latency_ns, n.ok, 50), percentile_us(latency_ns, n.ok, 90),
		       percentile_us(latency_ns, n.ok, 99), percentile_us(latency_ns, n.ok, 100));
	} else {
		printf("0 round trips, %s bytes: no successful round trip to measure\n",
		       opt->size_label);
	}
	free(latency_ns);

	failed = n.timeouts + n.mismatches + n.aborted;
	if (failed) {
		print_error("ping: %lu of %lu round trips failed (%lu timed out, %lu wrong replies, %lu aborted; %lu late replies discarded)",
			    failed, total, n.timeouts, n.mismatches, n.aborted, n.late);
		return EXIT_FAILURE;
	}
	return samples_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int cmd_ping(int argc, char **argv)
{
	struct ping_options opt = {
		.count = PING_COUNT_DEFAULT,
		.sizes = { PING_SIZE_DEFAULT, PING_SIZE_DEFAULT },
		.warmup = -1,
	};
	char size_label[SYSFS_VALUE_MAX];
	unsigned long warmup;
	struct rpmsg_service svc;
	const char *size_text = NULL;
	int c, fd, ret;

	while ((c = getopt(argc, argv, "+c:s:w:qo:h")) != -1) {
		switch (c) {
		case 'c':
			if (parse_uint(optarg, PING_COUNT_MAX, &opt.count) || opt.count == 0) {
				print_error("ping: -c wants a count from 1 to %d, not '%s'",
					    PING_COUNT_MAX, optarg);
				return EXIT_USAGE;
			}
			break;
		case 's':
			if (parse_ping_sizes(optarg, &opt.sizes)) {
				print_error("ping: -s wants SIZE or A-B (A <= B) with sizes from 0 to %d bytes, not '%s'",
					    AR_RPMSG_MAX_PAYLOAD, optarg);
				return EXIT_USAGE;
			}
			size_text = optarg;
			break;
		case 'w':
			if (parse_uint(optarg, PING_COUNT_MAX, &warmup)) {
				print_error("ping: -w wants a count from 0 to %d, not '%s'",
					    PING_COUNT_MAX, optarg);
				return EXIT_USAGE;
			}
			opt.warmup = (long)warmup;
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'o':
			opt.samples_path = optarg;
			break;
		case 'h':
			print_ping_usage();
			return EXIT_SUCCESS;
		default:
			print_ping_usage();
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		print_error("ping: unexpected argument '%s'", argv[optind]);
		print_ping_usage();
		return EXIT_USAGE;
	}
	if (size_text)
		snprintf(size_label, sizeof(size_label), "%s", size_text);
	else
		snprintf(size_label, sizeof(size_label), "%d", PING_SIZE_DEFAULT);
	opt.size_label = size_label;

	fd = rpmsg_service_open(AR_SVC_ECHO_NAME, &svc);
	if (fd < 0)
		return EXIT_FAILURE;
	ret = ping_run(fd, &svc, &opt);
	close(fd);
	return ret;
}
