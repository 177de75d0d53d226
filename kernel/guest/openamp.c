// SPDX-License-Identifier: GPL-2.0-only
/*
 * amprelay openamp-echo: drives the rpmsg-openamp-demo-channel the way
 * OpenAMP's Linux echo test does, to show such clients run unchanged:
 * bind the channel device to rpmsg_chrdev through driver_override, create
 * an endpoint named after the channel through /dev/rpmsg_ctrlN
 * (RPMSG_CREATE_EPT_IOCTL), then send payloads of every size from one
 * byte of data up to the largest message - a {num, size} header and
 * 0xA5 filler - and verify each echo; finally destroy the endpoint.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <linux/rpmsg.h>

#include <amprelay/platform.h>

#include "amprelay.h"

#define DEVICES_DIR	"/sys/bus/rpmsg/devices"
#define CLASS_DIR	"/sys/class/rpmsg"
#define CHRDEV_DRIVER	"rpmsg_chrdev"
#define FILLER		0xA5
#define ECHO_TIMEOUT_MS	2000
#define MAX_EPTS	64

/* The payload layout of OpenAMP's echo test (64-bit Linux side). */
struct openamp_payload {
	uint64_t num;
	uint64_t size;
	uint8_t data[];
};

#define DATA_MAX	(AR_RPMSG_MAX_PAYLOAD - sizeof(struct openamp_payload))

/* Names of the rpmsgN class devices that exist now. */
static int list_epts(char names[][NAME_MAX + 1], int max)
{
	struct dirent *e;
	DIR *dir = opendir(CLASS_DIR);
	int n = 0;

	if (!dir)
		return -errno;
	while ((e = readdir(dir)) && n < max)
		if (!strncmp(e->d_name, "rpmsg", 5) && e->d_name[5] >= '0' && e->d_name[5] <= '9')
			snprintf(names[n++], NAME_MAX + 1, "%s", e->d_name);
	closedir(dir);
	return n;
}

static int find_ctrl(char *node, size_t size)
{
	struct dirent *e;
	DIR *dir = opendir(CLASS_DIR);
	int err = -ENOENT;

	if (!dir)
		return -errno;
	while ((e = readdir(dir)))
		if (!strncmp(e->d_name, "rpmsg_ctrl", 10)) {
			err = format_into(node, size, "/dev/%s", e->d_name);
			break;
		}
	closedir(dir);
	return err;
}

static int bind_channel(const char *channel)
{
	char path[PATH_MAX];
	int err;

	if (format_into(path, sizeof(path), DEVICES_DIR "/%s/driver_override", channel))
		return -ENAMETOOLONG;
	err = sysfs_write(path, CHRDEV_DRIVER);
	if (err)
		return err;
	err = sysfs_write("/sys/bus/rpmsg/drivers/" CHRDEV_DRIVER "/bind", channel);
	/* Already bound (EBUSY) is what a second run finds. */
	if (err && err != -EBUSY)
		return err;
	return 0;
}

static int echo_loop(int fd, const char *node, bool quiet)
{
	uint8_t out[AR_RPMSG_MAX_PAYLOAD], in[AR_RPMSG_BUF_SIZE];
	struct openamp_payload *p = (struct openamp_payload *)out;
	unsigned long errors = 0, sent = 0;
	size_t size, len;
	ssize_t got;
	int err;

	for (size = 1; size <= DATA_MAX; size++) {
		p->num = sent;
		p->size = size;
		memset(p->data, FILLER, size);
		len = sizeof(*p) + size;
		if (write(fd, out, len) != (ssize_t)len) {
			print_error("openamp-echo: write %zu bytes to %s: %s", len, node,
				    strerror(errno));
			return -1;
		}
		sent++;
		err = chan_wait_message(fd, in, sizeof(in),
					monotonic_ns() + (uint64_t)ECHO_TIMEOUT_MS * 1000000u, &got);
		if (err) {
			print_error("openamp-echo: payload %lu (%zu bytes): %s", sent - 1, len,
				    err == -ETIMEDOUT ? "no echo" : strerror(-err));
			return -1;
		}
		if ((size_t)got != len || memcmp(in, out, len)) {
			errors++;
			print_error("openamp-echo: payload %lu: echo differs (%zd bytes back)",
				    sent - 1, got);
		} else if (!quiet) {
			printf("payload %lu: %zu bytes echoed\n", sent - 1, len);
		}
	}
	printf("OpenAMP echo test: %lu payloads of %zu..%zu bytes, %lu errors\n", sent,
	       sizeof(*p) + 1, sizeof(*p) + DATA_MAX, errors);
	return errors ? -1 : 0;
}

int cmd_openamp_echo(int argc, char **argv)
{
	static char before[MAX_EPTS][NAME_MAX + 1], after[MAX_EPTS][NAME_MAX + 1];
	char channel[SYSFS_VALUE_MAX], path[PATH_MAX], value[SYSFS_VALUE_MAX];
	char ctrl[PATH_MAX], node[PATH_MAX] = "";
	struct rpmsg_endpoint_info info;
	bool quiet = argc == 2 && !strcmp(argv[1], "-q");
	int nbefore, nafter, i, j, ctrl_fd, fd, err, ret = EXIT_FAILURE;
	unsigned long dst;

	if (argc > 2 || (argc == 2 && !quiet)) {
		fprintf(stderr, "usage: " PROG_NAME " openamp-echo [-q]\n");
		return EXIT_USAGE;
	}
	if (rpmsg_channel_find(AR_SVC_OPENAMP_NAME, channel, sizeof(channel))) {
		print_error("openamp-echo: no rpmsg channel named " AR_SVC_OPENAMP_NAME);
		return EXIT_FAILURE;
	}
	err = bind_channel(channel);
	if (err) {
		print_error("openamp-echo: binding %s to " CHRDEV_DRIVER ": %s", channel,
			    strerror(-err));
		return EXIT_FAILURE;
	}
	if (format_into(path, sizeof(path), DEVICES_DIR "/%s/dst", channel) ||
	    sysfs_read(path, value, sizeof(value))) {
		print_error("openamp-echo: cannot read %s", path);
		return EXIT_FAILURE;
	}
	dst = strtoul(value, NULL, 0);
	if (find_ctrl(ctrl, sizeof(ctrl))) {
		print_error("openamp-echo: no rpmsg_ctrl device (CONFIG_RPMSG_CTRL)");
		return EXIT_FAILURE;
	}
	ctrl_fd = open(ctrl, O_RDWR | O_CLOEXEC);
	if (ctrl_fd < 0) {
		print_error("openamp-echo: %s: %s", ctrl, strerror(errno));
		return EXIT_FAILURE;
	}

	nbefore = list_epts(before, MAX_EPTS);
	memset(&info, 0, sizeof(info));
	snprintf(info.name, sizeof(info.name), "%s", AR_SVC_OPENAMP_NAME);
	info.src = RPMSG_ADDR_ANY;
	info.dst = (uint32_t)dst;
	if (ioctl(ctrl_fd, RPMSG_CREATE_EPT_IOCTL, &info)) {
		print_error("openamp-echo: RPMSG_CREATE_EPT_IOCTL on %s: %s", ctrl, strerror(errno));
		close(ctrl_fd);
		return EXIT_FAILURE;
	}
	/* The new endpoint device is the rpmsgN that was not there before. */
	for (i = 0; i < 200 && !node[0]; i++) {
		nafter = list_epts(after, MAX_EPTS);
		for (j = 0; j < nafter && !node[0]; j++) {
			int k;

			for (k = 0; k < nbefore && strcmp(before[k], after[j]); k++)
				;
			if (k == nbefore)
				format_into(node, sizeof(node), "/dev/%s", after[j]);
		}
		if (!node[0] || access(node, F_OK)) {
			node[0] = '\0';
			sleep_ms(10);
		}
	}
	if (!node[0]) {
		print_error("openamp-echo: no new endpoint device after RPMSG_CREATE_EPT_IOCTL");
		close(ctrl_fd);
		return EXIT_FAILURE;
	}
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		print_error("openamp-echo: %s: %s", node, strerror(errno));
		close(ctrl_fd);
		return EXIT_FAILURE;
	}
	if (!quiet)
		printf("endpoint %s -> 0x%lx on %s\n", node, dst, channel);
	if (echo_loop(fd, node, quiet) == 0)
		ret = EXIT_SUCCESS;
	if (ioctl(fd, RPMSG_DESTROY_EPT_IOCTL))
		print_error("openamp-echo: RPMSG_DESTROY_EPT_IOCTL: %s", strerror(errno));
	close(fd);
	close(ctrl_fd);
	return ret;
}
