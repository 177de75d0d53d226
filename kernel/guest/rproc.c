// SPDX-License-Identifier: GPL-2.0-only
/*
 * remoteproc0 through its sysfs class device: status, start, stop.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amprelay/platform.h>

#include "amprelay.h"

#define RPROC_NAME	"remoteproc0"
#define RPROC_DIR	"/sys/class/remoteproc/" RPROC_NAME

/* How often start polls for the echo channel while waiting. */
#define START_POLL_MS	20
#define START_WAIT_DEFAULT_S	10
#define START_WAIT_MAX_S	3600

int rproc_read(const char *attr, char *buf, size_t size)
{
	char path[sizeof(RPROC_DIR) + SYSFS_VALUE_MAX];

	if (format_into(path, sizeof(path), RPROC_DIR "/%s", attr))
		return -ENAMETOOLONG;
	return sysfs_read(path, buf, size);
}

int rproc_write(const char *attr, const char *value)
{
	char path[sizeof(RPROC_DIR) + SYSFS_VALUE_MAX];

	if (format_into(path, sizeof(path), RPROC_DIR "/%s", attr))
		return -ENAMETOOLONG;
	return sysfs_write(path, value);
}

/* Read the state, printing why when it cannot be read. */
int rproc_state(char *state, size_t size)
{
	int err = rproc_read("state", state, size);

	if (err == -ENOENT)
		print_error("no " RPROC_NAME " in /sys/class/remoteproc (is the amprelay-rproc driver loaded? see dmesg)");
	else if (err)
		print_error("reading " RPROC_DIR "/state: %s", strerror(-err));
	return err;
}

int rproc_print_status(void)
{
	static const char *const attrs[] = {
		"name", "state", "firmware", "recovery", "coredump",
	};
	char value[SYSFS_VALUE_MAX];
	size_t i;
	int err;

	if (!path_exists(RPROC_DIR)) {
		print_error("no " RPROC_NAME " in /sys/class/remoteproc (is the amprelay-rproc driver loaded? see dmesg)");
		return -ENOENT;
	}
	printf(RPROC_NAME ":\n");
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		err = rproc_read(attrs[i], value, sizeof(value));
		if (err)
			printf("  %-9s (unreadable: %s)\n", attrs[i], strerror(-err));
		else
			printf("  %-9s %s\n", attrs[i], value);
	}
	/* From the driver (the platform device behind remoteproc0). */
	if (rproc_read("device/build_id", value, sizeof(value)))
		printf("  %-9s (unreadable: driver without build_id)\n", "build_id");
	else
		printf("  %-9s %s\n", "build_id", value);
	return 0;
}

static void print_start_usage(void)
{
	fprintf(stderr, "usage: " PROG_NAME " start [--firmware NAME] [--wait SECONDS]\n");
}

/* Wait for the echo channel; 0 once it is on the rpmsg bus. */
int wait_for_echo_channel(unsigned long wait_s, uint64_t started_ns)
{
	uint64_t deadline = started_ns + (uint64_t)wait_s * 1000000000u;
	char channel[SYSFS_VALUE_MAX];
	char state[SYSFS_VALUE_MAX];
	int err;

	for (;;) {
		err = rpmsg_channel_find(AR_SVC_ECHO_NAME, channel, sizeof(channel));
		if (err == 0) {
			printf(RPROC_NAME ": running, " AR_SVC_ECHO_NAME " up after %llu ms\n",
			       (unsigned long long)((monotonic_ns() - started_ns) / 1000000u));
			return 0;
		}
		if (err != -ENOENT) {
			print_error("looking for the " AR_SVC_ECHO_NAME " rpmsg channel: %s",
				    strerror(-err));
			return err;
		}
		/* A crash or a stop while we wait means the channel won't come. */
		if (rproc_state(state, sizeof(state)))
			return -EIO;
		if (strcmp(state, "running") && strcmp(state, "attached")) {
			print_error(RPROC_NAME " is %s while waiting for the " AR_SVC_ECHO_NAME
				    " channel (see dmesg and '" PROG_NAME " status')", state);
			return -EIO;
		}
		if (monotonic_ns() >= deadline) {
			print_error(RPROC_NAME " is running but no rpmsg channel named "
				    AR_SVC_ECHO_NAME " appeared within %lu s (see dmesg and '"
				    PROG_NAME " status')", wait_s);
			return -ETIMEDOUT;
		}
		sleep_ms(START_POLL_MS);
	}
}

int cmd_start(int argc, char **argv)
{
	static const struct option long_options[] = {
		{ "firmware", required_argument, NULL, 'f' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long wait_s = START_WAIT_DEFAULT_S;
	const char *firmware = NULL;
	char state[SYSFS_VALUE_MAX];
	uint64_t started_ns;
	int opt, err;

	while ((opt = getopt_long(argc, argv, "+f:w:h", long_options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			firmware = optarg;
			break;
		case 'w':
			if (parse_uint(optarg, START_WAIT_MAX_S, &wait_s)) {
				print_error("start: --wait wants whole seconds from 0 to %d, not '%s'",
					    START_WAIT_MAX_S, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			print_start_usage();
			return EXIT_SUCCESS;
		default:
			print_start_usage();
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		print_error("start: unexpected argument '%s'", argv[optind]);
		print_start_usage();
		return EXIT_USAGE;
	}
	if (firmware && (firmware[0] == '\0' || strchr(firmware, '\n') ||
			 strlen(firmware) >= SYSFS_VALUE_MAX)) {
		print_error("start: --firmware wants a file name under /lib/firmware, not '%s'",
			    firmware);
		return EXIT_USAGE;
	}

	if (rproc_state(state, sizeof(state)))
		return EXIT_FAILURE;

	if (firmware) {
		err = rproc_write("firmware", firmware);
		if (err == -EBUSY) {
			print_error("setting firmware failed: %s (" RPROC_NAME
				    " is %s; the firmware can only change while offline)",
				    strerror(-err), state);
			return EXIT_FAILURE;
		}
		if (err) {
			print_error("setting firmware failed: %s — see dmesg", strerror(-err));
			return EXIT_FAILURE;
		}
	}

	started_ns = monotonic_ns();
	if (!strcmp(state, "crashed")) {
		print_error(RPROC_NAME " has crashed and awaits recovery; not starting it (see '"
			    PROG_NAME " status' and dmesg)");
		return EXIT_FAILURE;
	} else if (!strcmp(state, "running") || !strcmp(state, "attached")) {
		/*
		 * Writing start again would succeed but only take a second
		 * power reference, so a later stop would leave it running.
		 */
		printf(RPROC_NAME " is already %s\n", state);
	} else {
		err = rproc_write("state", "start");
		if (err) {
			print_error("start failed: %s — see dmesg", strerror(-err));
			return EXIT_FAILURE;
		}
	}

	if (wait_s == 0) {
		if (rproc_state(state, sizeof(state)))
			return EXIT_FAILURE;
		printf(RPROC_NAME ": %s\n", state);
		return EXIT_SUCCESS;
	}
	return wait_for_echo_channel(wait_s, started_ns) ? EXIT_FAILURE : EXIT_SUCCESS;
}

int cmd_stop(int argc, char **argv)
{
	char state[SYSFS_VALUE_MAX];
	int err;

	(void)argv;
	if (argc > 1) {
		print_error("stop takes no arguments");
		return EXIT_USAGE;
	}
	if (rproc_state(state, sizeof(state)))
		return EXIT_FAILURE;

	err = rproc_write("state", "stop");
	if (err == -EINVAL && !strcmp(state, "offline")) {
		print_error("stop failed: %s (" RPROC_NAME " is already offline)",
			    strerror(-err));
		return EXIT_FAILURE;
	}
	if (err) {
		print_error("stop failed: %s — see dmesg", strerror(-err));
		return EXIT_FAILURE;
	}

	/* A remote started twice keeps running until its last reference goes. */
	if (rproc_state(state, sizeof(state)))
		return EXIT_FAILURE;
	if (strcmp(state, "offline")) {
		print_error(RPROC_NAME " is still %s after stop: it had been started more than once; run stop again",
			    state);
		return EXIT_FAILURE;
	}
	printf(RPROC_NAME ": offline\n");
	return EXIT_SUCCESS;
}
