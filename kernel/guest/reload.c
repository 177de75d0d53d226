// SPDX-License-Identifier: GPL-2.0-only
/*
 * amprelay reload: swap the remote's firmware without rebooting anything.
 * Stop, point remoteproc0 at the image, start, wait for the channels and
 * say which build runs. Open channels vanish with the stop (their users
 * read EPIPE) and come back through the name service.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <amprelay/platform.h>

#include "amprelay.h"

#define SHARE_FW_DIR	AR_SHARE_GUEST_DIR "/" AR_SHARE_FW_SUBDIR
/*
 * Images named by path are copied here, in a subfolder of their own so a
 * same-named image in the share (searched first) cannot shadow them.
 */
#define USER_FW_SUBDIR	"amprelay-user"
#define USER_FW_DIR	AR_FW_LOADER_DIR "/" USER_FW_SUBDIR

#define RELOAD_WAIT_DEFAULT_S	10
#define RELOAD_WAIT_MAX_S	3600
#define KLOG_READ_ALL	3
#define KLOG_SIZE_BUFFER	10
#define KLOG_LINES_SHOWN	4

static void print_reload_usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG_NAME " reload [--wait SECONDS] [FILE]\n"
		"  FILE with a '/': that ELF (copied to " USER_FW_DIR ")\n"
		"  FILE without:    a name in " SHARE_FW_DIR " (searched first) or "
		AR_FW_LOADER_DIR "\n"
		"  no FILE:         the current image again (picks up a rebuilt file)\n");
}

/*
 * The kernel's remoteproc lines: counts them, and with print shows the
 * first few warnings and errors after the first skip ones (its reason for
 * a refusal).
 */
static unsigned int kernel_lines(unsigned int skip, bool print)
{
	int size = klogctl(KLOG_SIZE_BUFFER, NULL, 0);
	unsigned int n = 0, shown = 0;
	char *buf, *line, *save = NULL;
	int len;

	if (size <= 0)
		return 0;
	buf = malloc((size_t)size + 1);
	if (!buf)
		return 0;
	len = klogctl(KLOG_READ_ALL, buf, size);
	if (len <= 0) {
		free(buf);
		return 0;
	}
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(line, "remoteproc") && !strstr(line, "amprelay"))
			continue;
		/* "<N>": syslog level, 4 and below are warnings and errors. */
		if (print && n >= skip && line[0] == '<' && line[1] >= '0' &&
		    line[1] <= '4' && shown++ < KLOG_LINES_SHOWN)
			fprintf(stderr, "  kernel: %s\n", line + 3);
		n++;
	}
	free(buf);
	return n;
}

/* Copies src to dst through a temporary name, so the loader never sees half. */
static int copy_file(const char *src, const char *dst)
{
	char tmp[PATH_MAX], buf[16384];
	int in, out, err = 0;
	ssize_t got, put, off;

	if (format_into(tmp, sizeof(tmp), "%s.tmp", dst))
		return -ENAMETOOLONG;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		err = -errno;
		close(in);
		return err;
	}
	while (!err && (got = read(in, buf, sizeof(buf))) != 0) {
		if (got < 0) {
			if (errno != EINTR)
				err = -errno;
			continue;
		}
		for (off = 0; off < got && !err; off += put) {
			put = write(out, buf + off, (size_t)(got - off));
			if (put < 0)
				err = -errno;
		}
	}
	close(in);
	if (close(out) && !err)
		err = -errno;
	if (!err && rename(tmp, dst))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

static bool is_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * The firmware name for remoteproc0 (relative to the loader's search
 * path) from what the user gave; 0 or EXIT_* after an error message.
 */
static int firmware_name(const char *file, char *name, size_t size)
{
	char path[PATH_MAX];
	const char *base;
	int err;

	if (!file) {
		err = rproc_read("firmware", name, size);
		if (err) {
			print_error("reload: cannot read the current firmware name: %s",
				    strerror(-err));
			return EXIT_FAILURE;
		}
		return 0;
	}
	if (!*file || strchr(file, '\n')) {
		print_error("reload: '%s' is not a firmware file name", file);
		return EXIT_USAGE;
	}
	if (!strchr(file, '/')) {
		if (strlen(file) >= size)
			goto too_long;
		if (format_into(path, sizeof(path), SHARE_FW_DIR "/%s", file) == 0 &&
		    !is_regular_file(path) &&
		    format_into(path, sizeof(path), AR_FW_LOADER_DIR "/%s", file) == 0 &&
		    !is_regular_file(path)) {
			print_error("reload: no firmware named '%s' in " SHARE_FW_DIR " or "
				    AR_FW_LOADER_DIR " (give a path to load another file)", file);
			return EXIT_FAILURE;
		}
		strcpy(name, file);
		return 0;
	}

	if (!is_regular_file(file)) {
		print_error("reload: %s: %s", file,
			    access(file, F_OK) ? strerror(errno) : "not a regular file");
		return EXIT_FAILURE;
	}
	base = strrchr(file, '/') + 1;
	if (!*base) {
		print_error("reload: '%s' names a directory, not a firmware file", file);
		return EXIT_USAGE;
	}
	if (format_into(name, size, USER_FW_SUBDIR "/%s", base) ||
	    format_into(path, sizeof(path), USER_FW_DIR "/%s", base))
		goto too_long;
	if (mkdir(USER_FW_DIR, 0755) && errno != EEXIST) {
		print_error("reload: cannot create " USER_FW_DIR ": %s", strerror(errno));
		return EXIT_FAILURE;
	}
	err = copy_file(file, path);
	if (err) {
		print_error("reload: copying %s to %s: %s", file, path, strerror(-err));
		return EXIT_FAILURE;
	}
	return 0;

too_long:
	print_error("reload: firmware name '%s' is too long", file);
	return EXIT_USAGE;
}

/* Takes remoteproc0 offline; 0 or -1 after an error message. */
static int stop_remote(void)
{
	char state[SYSFS_VALUE_MAX];
	int err;

	if (rproc_state(state, sizeof(state)))
		return -1;
	if (!strcmp(state, "offline"))
		return 0;
	if (!strcmp(state, "crashed")) {
		print_error("reload: remoteproc0 has crashed and awaits recovery; reload after it (see '"
			    PROG_NAME " status')");
		return -1;
	}
	if (strcmp(state, "running") && strcmp(state, "attached")) {
		print_error("reload: remoteproc0 is %s; try again once it settles", state);
		return -1;
	}
	err = rproc_write("state", "stop");
	if (err) {
		print_error("reload: stop failed: %s (see dmesg)", strerror(-err));
		return -1;
	}
	if (rproc_state(state, sizeof(state)))
		return -1;
	if (strcmp(state, "offline")) {
		print_error("reload: remoteproc0 is still %s after stop (started more than once? run '"
			    PROG_NAME " stop' until it is offline)", state);
		return -1;
	}
	return 0;
}

int cmd_reload(int argc, char **argv)
{
	static const struct option long_options[] = {
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char name[SYSFS_VALUE_MAX], state[SYSFS_VALUE_MAX], build_id[SYSFS_VALUE_MAX];
	unsigned long wait_s = RELOAD_WAIT_DEFAULT_S;
	const char *file = NULL;
	unsigned int klog_before;
	uint64_t started_ns;
	int opt, err;

	while ((opt = getopt_long(argc, argv, "+w:h", long_options, NULL)) != -1) {
		switch (opt) {
		case 'w':
			if (parse_uint(optarg, RELOAD_WAIT_MAX_S, &wait_s)) {
				print_error("reload: --wait wants whole seconds from 0 to %d, not '%s'",
					    RELOAD_WAIT_MAX_S, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			print_reload_usage(stdout);
			return EXIT_SUCCESS;
		default:
			print_reload_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		print_error("reload: one firmware file at most, got '%s' too", argv[optind + 1]);
		print_reload_usage(stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		file = argv[optind];

	/* Resolve (and copy) before stopping: a typo leaves the remote running. */
	err = firmware_name(file, name, sizeof(name));
	if (err)
		return err;
	if (stop_remote())
		return EXIT_FAILURE;
	err = rproc_write("firmware", name);
	if (err) {
		print_error("reload: setting firmware '%s' failed: %s", name, strerror(-err));
		return EXIT_FAILURE;
	}

	klog_before = kernel_lines(0, false);
	started_ns = monotonic_ns();
	err = rproc_write("state", "start");
	if (err) {
		if (rproc_state(state, sizeof(state)))
			return EXIT_FAILURE;
		print_error("reload: %s refused: %s; remoteproc0 is %s (fix the image and reload again)",
			    name, strerror(-err), state);
		kernel_lines(klog_before, true);
		return EXIT_FAILURE;
	}
	if (wait_s && wait_for_echo_channel(wait_s, started_ns))
		return EXIT_FAILURE;
	if (rproc_read("device/build_id", build_id, sizeof(build_id)))
		strcpy(build_id, "unknown (driver without build_id)");
	printf("remoteproc0: running %s, build id %s\n", name, build_id);
	return EXIT_SUCCESS;
}
