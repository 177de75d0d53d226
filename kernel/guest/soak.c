// SPDX-License-Identifier: GPL-2.0-only
/*
 * amprelay soak: the guest half of `make soak` (tools/soak/run-soak,
 * tests/guest/soak.sh).
 *   soak plan    the fault schedule: rounds of seeded shuffles of the
 *                given names, so every name comes once per round
 *   soak traffic echo messages carrying a sequence number and a CRC,
 *                each reply checked, on a private endpoint that is made
 *                again after every crash; counts what a crash took
 *   soak kmsg    every kernel record, from boot on, appended to a file
 *                (the ring buffer wraps long before a soak ends)
 *
 * The traffic has its own endpoint (rpmsg_ctrl, RPMSG_CREATE_EPT_IOCTL)
 * to the echo service, so the echo channel's own node stays free for
 * `amprelay echo` and crash-cycle's recovery probe: an rpmsg_char node
 * opens once at a time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <linux/rpmsg.h>

#include <amprelay/platform.h>

#include "amprelay.h"

#define RPMSG_DEVICES	"/sys/bus/rpmsg/devices"
#define CTRL_NAME	"rpmsg_ctrl"	/* name of the bus's control device */
#define EPT_PREFIX	"rpmsg"

#define SOAK_MAGIC	0x4b414f53	/* "SOAK" */
#define WINDOW_DEFAULT	8
#define WINDOW_MAX	64
/*
 * A reply may be late by a whole heartbeat-detected outage (a frozen
 * remote is reported within AR_HEARTBEAT_MISSES + 1 checks, then
 * recovered) and by host stalls: waiting 5 s longer than that without a
 * reply and without losing the channel means the message is lost for no
 * reason.
 */
#define STALL_MS_DEFAULT	((AR_HEARTBEAT_MISSES + 1) * AR_HEARTBEAT_CHECK_MS + 5000)
#define WAIT_SLICE_MS	100	/* how often the loop looks at its signals */
#define STATUS_EVERY_MS	50
#define RETRY_MS	10
#define EPT_APPEAR_MS	2000	/* the new endpoint's sysfs entry and node */
#define KMSG_POLL_MS	200
#define CYCLES_MAX	10000000UL
#define NAMES_MAX	64

/* Every message starts with this; the rest is filler made from the seq. */
struct soak_header {
	uint32_t magic;
	uint32_t seq;		/* counts every message of the run */
	uint32_t session;	/* which endpoint: a stale reply is caught */
	uint16_t len;		/* of the whole message */
	uint16_t reserved;
	uint32_t crc;		/* CRC-32 of the message with this field 0 */
};

#define SOAK_MIN_LEN	((unsigned int)sizeof(struct soak_header))

/* ---- seeded randomness ------------------------------------------------ */

/* splitmix64: a full-period generator whose output is well mixed. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), without modulo bias. */
static uint64_t random_below(uint64_t *state, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, r;

	do {
		r = splitmix64(state);
	} while (r >= limit);
	return r % n;
}

static int parse_seed(const char *text, uint64_t *seed)
{
	unsigned long value;

	if (parse_uint(text, ULONG_MAX, &value))
		return -1;
	*seed = value;
	return 0;
}

/* ---- plan ------------------------------------------------------------- */

static int soak_plan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "cycles", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *order[NAMES_MAX];
	unsigned long cycles = 0, done = 0;
	uint64_t seed = 0, state;
	bool have_seed = false;
	int opt, n, i;

	while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (parse_seed(optarg, &seed)) {
				print_error("soak plan: --seed wants a decimal number, not '%s'", optarg);
				return EXIT_USAGE;
			}
			have_seed = true;
			break;
		case 'c':
			if (parse_uint(optarg, CYCLES_MAX, &cycles) || !cycles) {
				print_error("soak plan: --cycles wants 1 to %lu, not '%s'",
					    CYCLES_MAX, optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			return EXIT_USAGE;
		}
	}
	n = argc - optind;
	if (!have_seed || !cycles || n < 1 || n > NAMES_MAX) {
		fprintf(stderr,
			"usage: " PROG_NAME " soak plan --seed S --cycles N NAME...\n"
			"  prints N names, one a line: rounds of a seeded shuffle of the\n"
			"  1 to %d NAMEs, so each comes once per round in random order\n",
			NAMES_MAX);
		return EXIT_USAGE;
	}
	state = seed;
	while (done < cycles) {
		for (i = 0; i < n; i++)
			order[i] = argv[optind + i];
		/* Fisher-Yates */
		for (i = n - 1; i > 0; i--) {
			int j = (int)random_below(&state, (uint64_t)i + 1);
			const char *t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		for (i = 0; i < n && done < cycles; i++, done++)
			printf("%s\n", order[i]);
	}
	return EXIT_SUCCESS;
}

/* ---- traffic: messages ------------------------------------------------ */

static uint32_t crc32_table[256];

/* CRC-32 (reflected, polynomial 0xedb88320), as zlib and Ethernet use. */
static void crc32_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc32_table[i] = c;
	}
}

static uint32_t crc32_of(const uint8_t *p, size_t len)
{
	uint32_t c = 0xffffffffu;

	while (len--)
		c = crc32_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static uint32_t message_crc(const uint8_t *msg, size_t len)
{
	uint8_t copy[AR_RPMSG_MAX_PAYLOAD];
	struct soak_header h;

	memcpy(copy, msg, len);
	memcpy(&h, copy, sizeof(h));
	h.crc = 0;
	memcpy(copy, &h, sizeof(h));
	return crc32_of(copy, len);
}

/*
 * Message seq of a session, fully determined by (seed, seq, session): its
 * size runs over every legal one, its filler comes from its own stream,
 * so a reply can be checked byte for byte against a fresh copy.
 */
static size_t make_message(uint8_t *msg, uint64_t seed, uint32_t seq, uint32_t session)
{
	uint64_t state = seed ^ ((uint64_t)seq << 32 | seq);
	size_t len, i;
	struct soak_header h;

	len = SOAK_MIN_LEN + random_below(&state, AR_RPMSG_MAX_PAYLOAD - SOAK_MIN_LEN + 1);
	for (i = sizeof(h); i < len; i += 8) {
		uint64_t r = splitmix64(&state);
		size_t n = len - i < 8 ? len - i : 8;

		memcpy(msg + i, &r, n);
	}
	h = (struct soak_header){
		.magic = SOAK_MAGIC, .seq = seq, .session = session, .len = (uint16_t)len,
	};
	memcpy(msg, &h, sizeof(h));
	h.crc = crc32_of(msg, len);
	memcpy(msg, &h, sizeof(h));
	return len;
}

/* ---- traffic: the endpoint ---------------------------------------------- */

struct endpoint {
	int fd;
	ino_t channel_ino;	/* of the echo channel it was made on */
	char node[PATH_MAX];
};

/* A class device's major:minor from sysfs. */
static int read_devt(const char *dir, dev_t *devt)
{
	char path[PATH_MAX], value[SYSFS_VALUE_MAX];
	unsigned int maj, min;

	if (format_into(path, sizeof(path), "%s/dev", dir) ||
	    sysfs_read(path, value, sizeof(value)) ||
	    sscanf(value, "%u:%u", &maj, &min) != 2)
		return -1;
	*devt = makedev(maj, min);
	return 0;
}

/* Opens /dev/name once it is the device sysfs says; -1 if not (yet). */
static int open_class_node(const char *sysdir, const char *name, char *node, size_t size)
{
	struct stat st;
	dev_t devt;
	int fd;

	if (read_devt(sysdir, &devt) || format_into(node, size, "/dev/%s", name) ||
	    stat(node, &st) || !S_ISCHR(st.st_mode) || st.st_rdev != devt)
		return -1;
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_rdev != devt) {
		close(fd);
		return -1;
	}
	return fd;
}

/* First entry of dir named prefix + digits, or "" (buf). */
static void find_numbered(const char *dir, const char *prefix, const char *skip,
			  char *buf, size_t size)
{
	size_t plen = strlen(prefix);
	struct dirent *de;
	DIR *d = opendir(dir);

	buf[0] = '\0';
	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *digits = de->d_name + plen;

		if (strncmp(de->d_name, prefix, plen) || !*digits ||
		    strspn(digits, "0123456789") != strlen(digits) ||
		    (skip && !strcmp(skip, de->d_name)))
			continue;
		format_into(buf, size, "%s", de->d_name);
		break;
	}
	closedir(d);
}

/* The bus's control device next to channel (same virtioN prefix). */
static int find_ctrl(const char *channel, char *ctrl_dir, size_t size)
{
	size_t plen = strcspn(channel, ".") + 1;
	char path[PATH_MAX], name[SYSFS_VALUE_MAX];
	struct dirent *de;
	DIR *d = opendir(RPMSG_DEVICES);
	int err = -1;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, channel, plen) ||
		    format_into(path, sizeof(path), RPMSG_DEVICES "/%s/name", de->d_name) ||
		    sysfs_read(path, name, sizeof(name)) || strcmp(name, CTRL_NAME))
			continue;
		err = format_into(ctrl_dir, size, RPMSG_DEVICES "/%s/rpmsg", de->d_name);
		break;
	}
	closedir(d);
	return err;
}

/*
 * One attempt at a fresh endpoint to the echo service. It must sit on a
 * channel other than the one the last endpoint died with (a new inode):
 * right after a crash the old channel can still be listed for a moment.
 * 0, or -1 to try again later (nothing to report: recovery in progress).
 */
static int endpoint_open(struct endpoint *ep, ino_t dead_ino)
{
	char channel[SYSFS_VALUE_MAX], path[PATH_MAX], value[SYSFS_VALUE_MAX];
	char ctrl_dir[PATH_MAX], ctrl_name[NAME_MAX + 1], ctrl_node[PATH_MAX];
	char class_dir[PATH_MAX + NAME_MAX + 2], old[NAME_MAX + 1], ept[NAME_MAX + 1];
	struct rpmsg_endpoint_info info;
	struct stat st;
	uint64_t deadline;
	int ctrl_fd;

	if (rpmsg_channel_find(AR_SVC_ECHO_NAME, channel, sizeof(channel)) ||
	    format_into(path, sizeof(path), RPMSG_DEVICES "/%s", channel) ||
	    stat(path, &st) || st.st_ino == dead_ino)
		return -1;
	if (format_into(path, sizeof(path), RPMSG_DEVICES "/%s/dst", channel) ||
	    sysfs_read(path, value, sizeof(value)))
		return -1;
	if (find_ctrl(channel, ctrl_dir, sizeof(ctrl_dir)))
		return -1;
	find_numbered(ctrl_dir, CTRL_NAME, NULL, ctrl_name, sizeof(ctrl_name));
	if (!ctrl_name[0] ||
	    format_into(class_dir, sizeof(class_dir), "%s/%s", ctrl_dir, ctrl_name))
		return -1;
	ctrl_fd = open_class_node(class_dir, ctrl_name, ctrl_node, sizeof(ctrl_node));
	if (ctrl_fd < 0)
		return -1;

	/* Endpoints made through this control device are its children. */
	find_numbered(class_dir, EPT_PREFIX, NULL, old, sizeof(old));
	memset(&info, 0, sizeof(info));
	format_into(info.name, sizeof(info.name), "%s", AR_SVC_ECHO_NAME);
	info.src = RPMSG_ADDR_ANY;
	info.dst = (uint32_t)strtoul(value, NULL, 0);
	if (ioctl(ctrl_fd, RPMSG_CREATE_EPT_IOCTL, &info)) {
		close(ctrl_fd);
		return -1;
	}
	close(ctrl_fd);

	deadline = monotonic_ns() + (uint64_t)EPT_APPEAR_MS * 1000000u;
	ep->fd = -1;
	while (ep->fd < 0 && monotonic_ns() < deadline) {
		char ept_dir[sizeof(class_dir) + NAME_MAX + 2];

		find_numbered(class_dir, EPT_PREFIX, old[0] ? old : NULL, ept, sizeof(ept));
		if (ept[0] && !format_into(ept_dir, sizeof(ept_dir), "%s/%s", class_dir, ept))
			ep->fd = open_class_node(ept_dir, ept, ep->node, sizeof(ep->node));
		if (ep->fd < 0) {
			if (!path_exists(class_dir))
				return -1;	/* the bus went away meanwhile */
			sleep_ms(RETRY_MS);
		}
	}
	if (ep->fd < 0)
		return -1;
	ep->channel_ino = st.st_ino;
	return 0;
}

/* Removes the endpoint device (not needed after a crash: it went with the bus). */
static void endpoint_destroy(struct endpoint *ep)
{
	if (ep->fd < 0)
		return;
	ioctl(ep->fd, RPMSG_DESTROY_EPT_IOCTL);
	close(ep->fd);
	ep->fd = -1;
}

/* ---- traffic: the loop -------------------------------------------------- */

struct traffic_counts {
	unsigned long long sent;	/* written to the endpoint */
	unsigned long long verified;	/* reply identical to what was sent */
	unsigned long long corrupted;	/* reply with a bad CRC or bytes */
	unsigned long long misordered;	/* good CRC, but not the expected seq */
	unsigned long long lost_at_crash;	/* in flight when the channel went */
	unsigned long long lost_no_crash;	/* never answered, channel still up */
	unsigned long long stalls;	/* times that happened */
	unsigned long long io_errors;	/* failures other than the channel going */
	unsigned long long losses;	/* times the endpoint went with a crash */
	unsigned long long sessions;	/* endpoints made */
	unsigned long long session_verified;	/* verified on the current one */
};

struct traffic {
	uint64_t seed;
	unsigned int window;
	unsigned int stall_ms;
	const char *status_path;
	struct endpoint ep;
	ino_t dead_ino;
	uint32_t next_seq;	/* to send */
	uint32_t oldest_seq;	/* oldest without a reply; == next_seq: none */
	uint64_t last_progress_ns;
	uint64_t last_status_ns;
	struct traffic_counts n;
};

static volatile sig_atomic_t traffic_stop, traffic_pause;

static void on_stop(int sig)
{
	(void)sig;
	traffic_stop = 1;
}

static void on_pause(int sig)
{
	traffic_pause = sig == SIGUSR1;
}

static const char *traffic_state(const struct traffic *t)
{
	if (traffic_stop)
		return "stopped";
	if (t->ep.fd < 0)
		return "connecting";
	if (traffic_pause)
		return t->next_seq == t->oldest_seq ? "paused" : "pausing";
	return "running";
}

/* Shell assignments, replaced in one rename so a reader never sees half. */
static void write_status(struct traffic *t, bool now)
{
	const struct traffic_counts *n = &t->n;
	uint64_t ns = monotonic_ns();
	char tmp[PATH_MAX];
	FILE *f;

	if (!t->status_path || (!now && ns - t->last_status_ns < STATUS_EVERY_MS * 1000000ULL))
		return;
	t->last_status_ns = ns;
	if (format_into(tmp, sizeof(tmp), "%s.tmp", t->status_path))
		return;
	f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f,
		"tr_state=%s\ntr_window=%u\ntr_sent=%llu\ntr_verified=%llu\ntr_corrupted=%llu\n"
		"tr_misordered=%llu\ntr_lost_at_crash=%llu\ntr_lost_no_crash=%llu\n"
		"tr_stalls=%llu\ntr_io_errors=%llu\ntr_losses=%llu\ntr_sessions=%llu\n"
		"tr_session_verified=%llu\ntr_outstanding=%u\n",
		traffic_state(t), t->window, n->sent, n->verified, n->corrupted, n->misordered,
		n->lost_at_crash, n->lost_no_crash, n->stalls, n->io_errors, n->losses,
		n->sessions, n->session_verified, t->next_seq - t->oldest_seq);
	if (fclose(f) == 0)
		rename(tmp, t->status_path);
}

/* The endpoint went with its channel: what was in flight went with it. */
static void channel_lost(struct traffic *t)
{
	t->n.lost_at_crash += t->next_seq - t->oldest_seq;
	t->n.losses++;
	t->oldest_seq = t->next_seq;
	t->dead_ino = t->ep.channel_ino;
	close(t->ep.fd);
	t->ep.fd = -1;
	write_status(t, true);
}

static bool channel_gone(int err)
{
	return err == EPIPE || err == ENODEV || err == ENXIO || err == ESHUTDOWN ||
	       err == ECONNRESET || err == ENOTCONN;
}

/* Checks one reply against the oldest message in flight. */
static void check_reply(struct traffic *t, const uint8_t *reply, size_t got)
{
	uint8_t expected[AR_RPMSG_MAX_PAYLOAD];
	struct soak_header h;
	uint32_t behind;
	size_t len;

	if (got < SOAK_MIN_LEN || got > AR_RPMSG_MAX_PAYLOAD) {
		t->n.corrupted++;
		print_error("soak traffic: reply of %zu bytes (no message of ours)", got);
		goto consumed;
	}
	memcpy(&h, reply, sizeof(h));
	if (h.magic != SOAK_MAGIC || h.len != got || h.crc != message_crc(reply, got)) {
		t->n.corrupted++;
		print_error("soak traffic: reply with a bad checksum (%zu bytes, seq field %u, expected seq %u)",
			    got, h.seq, t->oldest_seq);
		goto consumed;
	}
	if (h.session != t->n.sessions || h.seq - t->oldest_seq >= t->next_seq - t->oldest_seq) {
		/* Intact but not one in flight on this endpoint: a duplicate or a stale reply. */
		t->n.misordered++;
		print_error("soak traffic: reply seq %u session %u, expected seq %u session %llu",
			    h.seq, h.session, t->oldest_seq, t->n.sessions);
		return;
	}
	behind = h.seq - t->oldest_seq;
	if (behind) {
		/* Echo answers in order: the ones before it will never come. */
		t->n.lost_no_crash += behind;
		t->n.misordered++;
		print_error("soak traffic: reply seq %u skips %u message(s) from seq %u", h.seq,
			    behind, t->oldest_seq);
		t->oldest_seq = h.seq;
	}
	len = make_message(expected, t->seed, h.seq, h.session);
	if (len != got || memcmp(expected, reply, len)) {
		t->n.corrupted++;
		print_error("soak traffic: reply seq %u has a good checksum but other bytes than sent",
			    h.seq);
	} else {
		t->n.verified++;
		t->n.session_verified++;
	}
	t->oldest_seq = h.seq + 1;
	t->last_progress_ns = monotonic_ns();
	return;
consumed:
	/* A damaged reply stands for the oldest message in flight. */
	t->oldest_seq++;
	t->last_progress_ns = monotonic_ns();
}

/* Fills the window; false once the endpoint is gone. */
static bool send_more(struct traffic *t)
{
	uint8_t msg[AR_RPMSG_MAX_PAYLOAD];

	while (!traffic_stop && !traffic_pause && t->next_seq - t->oldest_seq < t->window) {
		size_t len = make_message(msg, t->seed, t->next_seq, (uint32_t)t->n.sessions);
		ssize_t n = write(t->ep.fd, msg, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && channel_gone(errno)) {
			channel_lost(t);
			return false;
		}
		if (n != (ssize_t)len) {
			t->n.io_errors++;
			print_error("soak traffic: write %zu bytes to %s: %s", len, t->ep.node,
				    n < 0 ? strerror(errno) : "short write");
			t->n.lost_no_crash += t->next_seq - t->oldest_seq;
			t->oldest_seq = t->next_seq;
			endpoint_destroy(&t->ep);
			return false;
		}
		if (t->next_seq == t->oldest_seq)
			t->last_progress_ns = monotonic_ns();
		t->next_seq++;
		t->n.sent++;
	}
	return true;
}

/* Waits a slice for one reply; false once the endpoint is gone. */
static bool receive_one(struct traffic *t)
{
	uint8_t reply[AR_RPMSG_BUF_SIZE];
	uint64_t now = monotonic_ns();
	ssize_t got;
	int err;

	err = chan_wait_message(t->ep.fd, reply, sizeof(reply),
				now + WAIT_SLICE_MS * 1000000ULL, &got);
	if (err == 0) {
		if (t->next_seq == t->oldest_seq) {
			t->n.misordered++;
			print_error("soak traffic: a reply with nothing in flight (%zd bytes)", got);
		} else {
			check_reply(t, reply, (size_t)got);
		}
		return true;
	}
	if (channel_gone(-err)) {
		channel_lost(t);
		return false;
	}
	if (err == -ETIMEDOUT || err == -EINTR) {
		if (t->next_seq == t->oldest_seq ||
		    monotonic_ns() - t->last_progress_ns < t->stall_ms * 1000000ULL)
			return true;
		t->n.stalls++;
		print_error("soak traffic: no reply to seq %u for %u ms with the channel up",
			    t->oldest_seq, t->stall_ms);
	} else {
		t->n.io_errors++;
		print_error("soak traffic: read %s: %s", t->ep.node, strerror(-err));
	}
	/* Start over on a new endpoint; what was in flight is lost without a crash. */
	t->n.lost_no_crash += t->next_seq - t->oldest_seq;
	t->oldest_seq = t->next_seq;
	endpoint_destroy(&t->ep);
	return false;
}

static void print_counts(const struct traffic *t)
{
	const struct traffic_counts *n = &t->n;

	printf("soak traffic: sent %llu verified %llu lost-at-crash %llu corrupted %llu misordered %llu lost-no-crash %llu stalls %llu io-errors %llu channel-losses %llu sessions %llu\n",
	       n->sent, n->verified, n->lost_at_crash, n->corrupted, n->misordered,
	       n->lost_no_crash, n->stalls, n->io_errors, n->losses, n->sessions);
}

static void print_traffic_usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG_NAME " soak traffic --seed S [--status FILE] [-w WINDOW] [--stall-ms MS]\n"
		"  echo messages with a sequence number and a CRC-32 to " AR_SVC_ECHO_NAME ",\n"
		"  up to WINDOW (default %d) in flight, every reply checked; after a\n"
		"  crash the endpoint is made again and what was in flight is counted\n"
		"  lost at the crash. FILE gets the counters (shell assignments) every\n"
		"  %d ms. SIGUSR1 pauses (in-flight replies still collected), SIGUSR2\n"
		"  resumes, SIGTERM stops. Exit 0 if nothing was corrupted, misordered\n"
		"  or lost without a crash.\n",
		WINDOW_DEFAULT, STATUS_EVERY_MS);
}

static int soak_traffic(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "status", required_argument, NULL, 'o' },
		{ "window", required_argument, NULL, 'w' },
		{ "stall-ms", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct traffic t = { .window = WINDOW_DEFAULT, .stall_ms = STALL_MS_DEFAULT };
	struct sigaction stop = { .sa_handler = on_stop }, pause = { .sa_handler = on_pause };
	unsigned long value;
	bool have_seed = false;
	uint64_t drain_end;
	int opt;

	while ((opt = getopt_long(argc, argv, "+w:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (parse_seed(optarg, &t.seed)) {
				print_error("soak traffic: --seed wants a decimal number, not '%s'",
					    optarg);
				return EXIT_USAGE;
			}
			have_seed = true;
			break;
		case 'o':
			t.status_path = optarg;
			break;
		case 'w':
			if (parse_uint(optarg, WINDOW_MAX, &value) || !value) {
				print_error("soak traffic: -w wants 1 to %d messages in flight, not '%s'",
					    WINDOW_MAX, optarg);
				return EXIT_USAGE;
			}
			t.window = (unsigned int)value;
			break;
		case 't':
			if (parse_uint(optarg, 3600000, &value) || !value) {
				print_error("soak traffic: --stall-ms wants 1 to 3600000, not '%s'",
					    optarg);
				return EXIT_USAGE;
			}
			t.stall_ms = (unsigned int)value;
			break;
		case 'h':
			print_traffic_usage(stdout);
			return EXIT_SUCCESS;
		default:
			print_traffic_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!have_seed || optind != argc) {
		print_traffic_usage(stderr);
		return EXIT_USAGE;
	}

	crc32_init();
	/* No SA_RESTART: a signal ends a blocking write at once. */
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGUSR1, &pause, NULL);
	sigaction(SIGUSR2, &pause, NULL);
	t.ep.fd = -1;
	t.dead_ino = 0;
	write_status(&t, true);

	while (!traffic_stop) {
		if (t.ep.fd < 0) {
			if (endpoint_open(&t.ep, t.dead_ino)) {
				write_status(&t, false);
				sleep_ms(RETRY_MS);
				continue;
			}
			t.n.sessions++;
			t.n.session_verified = 0;
			t.last_progress_ns = monotonic_ns();
			write_status(&t, true);
		}
		if (send_more(&t))
			receive_one(&t);
		write_status(&t, false);
	}

	/* Collect what is still in flight, then leave no endpoint behind. */
	drain_end = monotonic_ns() + t.stall_ms * 1000000ULL;
	while (t.ep.fd >= 0 && t.next_seq != t.oldest_seq && monotonic_ns() < drain_end)
		receive_one(&t);
	if (t.next_seq != t.oldest_seq) {
		print_error("soak traffic: %u message(s) still unanswered at the end",
			    t.next_seq - t.oldest_seq);
		t.n.lost_no_crash += t.next_seq - t.oldest_seq;
		t.oldest_seq = t.next_seq;
	}
	endpoint_destroy(&t.ep);
	write_status(&t, true);
	print_counts(&t);
	return t.n.corrupted || t.n.misordered || t.n.lost_no_crash || t.n.io_errors ?
	       EXIT_FAILURE : EXIT_SUCCESS;
}

/* ---- kmsg --------------------------------------------------------------- */

static volatile sig_atomic_t kmsg_stop;

static void on_kmsg_stop(int sig)
{
	(void)sig;
	kmsg_stop = 1;
}

/* "prio,seq,usec,flags;text" to "[   sec.usec] text", as dmesg shows it. */
static void write_record(FILE *out, char *rec, unsigned long long *next_seq,
			 unsigned long long *missed)
{
	unsigned long long seq, usec;
	char *text = strchr(rec, ';');

	if (!text || sscanf(rec, "%*u,%llu,%llu", &seq, &usec) != 2)
		return;
	if (*next_seq && seq > *next_seq)
		*missed += seq - *next_seq;
	*next_seq = seq + 1;
	text++;
	text[strcspn(text, "\n")] = '\0';	/* continuation lines: dictionary */
	fprintf(out, "[%5llu.%06llu] %s\n", usec / 1000000, usec % 1000000, text);
}

static int soak_kmsg(int argc, char **argv)
{
	struct sigaction stop = { .sa_handler = on_kmsg_stop };
	unsigned long long next_seq = 0, missed = 0;
	char rec[8192];
	FILE *out;
	int fd;

	if (argc != 2) {
		fprintf(stderr,
			"usage: " PROG_NAME " soak kmsg FILE\n"
			"  appends every kernel record (from the oldest still held) to FILE\n"
			"  until SIGTERM; records overwritten before they were read are\n"
			"  counted in a last line\n");
		return EXIT_USAGE;
	}
	fd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		print_error("soak kmsg: /dev/kmsg: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	out = fopen(argv[1], "ae");
	if (!out) {
		print_error("soak kmsg: %s: %s", argv[1], strerror(errno));
		close(fd);
		return EXIT_FAILURE;
	}
	setvbuf(out, NULL, _IOLBF, 0);
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGINT, &stop, NULL);

	/* Non-blocking reads and a poll: a stop is seen within one poll. */
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		print_error("soak kmsg: /dev/kmsg: %s", strerror(errno));
		fclose(out);
		close(fd);
		return EXIT_FAILURE;
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n = read(fd, rec, sizeof(rec) - 1);

		if (n >= 0) {
			rec[n] = '\0';
			write_record(out, rec, &next_seq, &missed);
			continue;
		}
		if (errno == EPIPE || errno == EINTR)
			continue;	/* EPIPE: overwritten, the seq gap counts them */
		if (errno != EAGAIN) {
			print_error("soak kmsg: reading /dev/kmsg: %s", strerror(errno));
			break;
		}
		if (kmsg_stop)
			break;	/* everything up to the stop is written */
		poll(&p, 1, KMSG_POLL_MS);
	}
	fprintf(out, "soak kmsg: %llu records lost (overwritten before they were read)\n",
		missed);
	close(fd);
	return fclose(out) == 0 && !missed ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ---- dispatch ----------------------------------------------------------- */

int cmd_soak(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "plan"))
		return soak_plan(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "traffic"))
		return soak_traffic(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "kmsg"))
		return soak_kmsg(argc - 1, argv + 1);
	fprintf(stderr,
		"usage: " PROG_NAME " soak plan|traffic|kmsg ...  (the guest half of make soak)\n"
		"  soak plan --seed S --cycles N NAME...   seeded fault schedule\n"
		"  soak traffic --seed S [--status FILE] [-w N] [--stall-ms MS]\n"
		"                                          checked echo traffic across crashes\n"
		"  soak kmsg FILE                          every kernel record into FILE\n");
	return EXIT_USAGE;
}
