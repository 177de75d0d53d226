// SPDX-License-Identifier: GPL-2.0-only
/*
 * rpmsg services by name: find the channel on the rpmsg bus, bind it to
 * rpmsg_char if nothing drives it yet, and open the /dev/rpmsgN node that
 * rpmsg_char made for it. Node numbers change whenever the remote restarts,
 * so every lookup starts again from the name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/sysmacros.h>

#include <linux/rpmsg.h>

#include <amprelay/platform.h>

#include "amprelay.h"

#define RPMSG_DEVICES_DIR	"/sys/bus/rpmsg/devices"
#define RPMSG_CHRDEV_DRIVER	"rpmsg_chrdev"
#define RPMSG_CHRDEV_BIND	"/sys/bus/rpmsg/drivers/" RPMSG_CHRDEV_DRIVER "/bind"
/* rpmsg_char names its endpoint devices rpmsgN; rpmsg_ctrlN is not one. */
#define RPMSG_EPT_PREFIX	"rpmsg"

/*
 * How long to ride out transient states (binding, devtmpfs node creation,
 * another process holding the node) before giving up, and how often to look.
 */
#define RESOLVE_TIMEOUT_MS	2000
#define RESOLVE_POLL_MS		2

/* Result of one resolution step: done, try again shortly, or give up. */
#define STEP_RETRY	(-EAGAIN)
#define STEP_FATAL	(-EIO)

struct why {
	char text[PATH_MAX];
};

static void set_why(struct why *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_why(struct why *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why->text, sizeof(why->text), fmt, ap);
	va_end(ap);
}

static int skip_dot_entries(const struct dirent *entry)
{
	return entry->d_name[0] != '.';
}

static void free_entries(struct dirent **entries, int count)
{
	int i;

	for (i = 0; i < count; i++)
		free(entries[i]);
	free(entries);
}

static int channel_read(const char *channel, const char *attr, char *buf, size_t size)
{
	char path[PATH_MAX];

	if (format_into(path, sizeof(path), RPMSG_DEVICES_DIR "/%s/%s", channel, attr))
		return -ENAMETOOLONG;
	return sysfs_read(path, buf, size);
}

/* Name of the driver bound to a channel: 0, -ENOENT if none, or -errno. */
static int channel_driver(const char *channel, char *driver, size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t len;

	if (format_into(path, sizeof(path), RPMSG_DEVICES_DIR "/%s/driver", channel))
		return -ENAMETOOLONG;
	len = readlink(path, target, sizeof(target) - 1);
	if (len < 0)
		return -errno;
	target[len] = '\0';
	base = strrchr(target, '/');
	return format_into(driver, size, "%s", base ? base + 1 : target);
}

/* The rpmsg_char endpoint device under a channel, e.g. "rpmsg3". */
static int channel_endpoint(const char *channel, char *endpoint, size_t size)
{
	char path[PATH_MAX];
	struct dirent *entry;
	DIR *dir;
	int err = -ENOENT;
	size_t plen = strlen(RPMSG_EPT_PREFIX);

	if (format_into(path, sizeof(path), RPMSG_DEVICES_DIR "/%s/rpmsg", channel))
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((entry = readdir(dir))) {
		const char *digits = entry->d_name + plen;

		if (strncmp(entry->d_name, RPMSG_EPT_PREFIX, plen) || *digits == '\0' ||
		    strspn(digits, "0123456789") != strlen(digits))
			continue;
		err = format_into(endpoint, size, "%s", entry->d_name);
		break;
	}
	closedir(dir);
	return err;
}

int rpmsg_channel_find(const char *service, char *channel, size_t size)
{
	char name[SYSFS_VALUE_MAX];
	struct dirent **entries;
	int count, i, err = -ENOENT;

	count = scandir(RPMSG_DEVICES_DIR, &entries, skip_dot_entries, alphasort);
	if (count < 0)
		return -errno;
	for (i = 0; i < count; i++) {
		/* A channel may vanish while we scan; that is just a miss. */
		if (channel_read(entries[i]->d_name, "name", name, sizeof(name)))
			continue;
		if (!strcmp(name, service)) {
			err = format_into(channel, size, "%s", entries[i]->d_name);
			break;
		}
	}
	free_entries(entries, count);
	return err;
}

/*
 * Make sure rpmsg_char drives the channel. Another amprelay may be doing
 * the same at the same time: both write the same driver_override, and the
 * loser's bind fails with EBUSY, after which the link shows rpmsg_chrdev.
 */
static int bind_to_chrdev(const char *service, const char *channel, struct why *why)
{
	char path[PATH_MAX], driver[SYSFS_VALUE_MAX];
	int err;

	err = channel_driver(channel, driver, sizeof(driver));
	if (err == 0 && !strcmp(driver, RPMSG_CHRDEV_DRIVER))
		return 0;
	if (err == 0) {
		print_error("rpmsg channel %s (%s) is bound to driver %s, not " RPMSG_CHRDEV_DRIVER
			    "; unbind it first", service, channel, driver);
		return STEP_FATAL;
	}
	if (err != -ENOENT) {
		print_error("reading the driver of rpmsg channel %s (%s): %s",
			    service, channel, strerror(-err));
		return STEP_FATAL;
	}
	if (!path_exists(RPMSG_CHRDEV_BIND)) {
		print_error("the rpmsg_char driver is not in this kernel (no " RPMSG_CHRDEV_BIND
			    "; CONFIG_RPMSG_CHAR)");
		return STEP_FATAL;
	}

	err = format_into(path, sizeof(path), RPMSG_DEVICES_DIR "/%s/driver_override", channel);
	if (!err)
		err = sysfs_write(path, RPMSG_CHRDEV_DRIVER);
	if (err == -ENOENT) {
		set_why(why, "rpmsg channel %s (%s) went away while binding it (remote restarting?)",
			service, channel);
		return STEP_RETRY;
	}
	if (err) {
		print_error("writing %s: %s", path, strerror(-err));
		return STEP_FATAL;
	}

	/* EBUSY: someone bound it first. ENODEV: it vanished or was re-overridden. */
	err = sysfs_write(RPMSG_CHRDEV_BIND, channel);
	if (err && err != -EBUSY && err != -ENODEV && err != -EAGAIN) {
		print_error("binding rpmsg channel %s (%s) to " RPMSG_CHRDEV_DRIVER ": %s — see dmesg",
			    service, channel, strerror(-err));
		return STEP_FATAL;
	}
	if (channel_driver(channel, driver, sizeof(driver)) == 0 &&
	    !strcmp(driver, RPMSG_CHRDEV_DRIVER))
		return 0;
	set_why(why, "could not bind rpmsg channel %s (%s) to " RPMSG_CHRDEV_DRIVER " (%s)",
		service, channel, err ? strerror(-err) : "no driver link after bind");
	return STEP_RETRY;
}

/* Open the node, checking it is the device sysfs names (not a stale one). */
static int open_node(const char *service, const char *node, dev_t devt, struct why *why)
{
	struct stat st;
	int fd, err;

	if (stat(node, &st) < 0) {
		if (errno != ENOENT) {
			print_error("%s: %s", node, strerror(errno));
			return STEP_FATAL;
		}
		set_why(why, "%s for rpmsg channel %s did not appear (is devtmpfs mounted on /dev?)",
			node, service);
		return STEP_RETRY;
	}
	if (!S_ISCHR(st.st_mode) || st.st_rdev != devt) {
		set_why(why, "%s is not device %u:%u of rpmsg channel %s (stale node? is devtmpfs mounted on /dev?)",
			node, major(devt), minor(devt), service);
		return STEP_RETRY;
	}

	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == EBUSY) {
			set_why(why, "%s (rpmsg channel %s) is busy: another process has it open",
				node, service);
			return STEP_RETRY;
		}
		if (err == ENOENT || err == ENXIO || err == ENODEV || err == ENETRESET) {
			set_why(why, "%s (rpmsg channel %s) went away while opening it (remote restarting?)",
				node, service);
			return STEP_RETRY;
		}
		print_error("opening %s (rpmsg channel %s): %s", node, service, strerror(err));
		return STEP_FATAL;
	}
	if (fstat(fd, &st) < 0 || st.st_rdev != devt) {
		close(fd);
		set_why(why, "%s changed while opening it (remote restarting?)", node);
		return STEP_RETRY;
	}
	return fd;
}

/* One pass of the lookup: fd, STEP_RETRY or STEP_FATAL. */
static int try_open_service(const char *service, struct rpmsg_service *svc, struct why *why,
			    bool want_fd)
{
	struct stat st;
	char endpoint[NAME_MAX + 1], path[PATH_MAX], devnum[SYSFS_VALUE_MAX];
	unsigned int maj, min;
	int err;

	err = rpmsg_channel_find(service, svc->channel, sizeof(svc->channel));
	if (err == -ENOENT) {
		print_error("no rpmsg channel named %s (is the firmware running? see '"
			    PROG_NAME " status')", service);
		return STEP_FATAL;
	}
	if (err) {
		print_error("reading " RPMSG_DEVICES_DIR ": %s", strerror(-err));
		return STEP_FATAL;
	}

	err = bind_to_chrdev(service, svc->channel, why);
	if (err)
		return err;

	err = channel_endpoint(svc->channel, endpoint, sizeof(endpoint));
	if (err) {
		set_why(why, "rpmsg_char made no endpoint device for rpmsg channel %s (%s): %s",
			service, svc->channel, strerror(-err));
		return STEP_RETRY;
	}
	err = format_into(path, sizeof(path), "rpmsg/%s/dev", endpoint);
	if (!err)
		err = channel_read(svc->channel, path, devnum, sizeof(devnum));
	if (err || sscanf(devnum, "%u:%u", &maj, &min) != 2) {
		set_why(why, "cannot read the device number of %s (rpmsg channel %s)",
			endpoint, service);
		return STEP_RETRY;
	}
	if (format_into(svc->node, sizeof(svc->node), "/dev/%s", endpoint)) {
		print_error("device name %s is too long", endpoint);
		return STEP_FATAL;
	}
	/* Keep /dev/rpmsg/<service> current whenever we resolve it. */
	names_link_service(service, svc->node);
	if (want_fd)
		return open_node(service, svc->node, makedev(maj, min), why);
	if (stat(svc->node, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(maj, min))
		return 0;
	set_why(why, "%s for rpmsg channel %s did not appear (is devtmpfs mounted on /dev?)",
		svc->node, service);
	return STEP_RETRY;
}

static int resolve_service(const char *service, struct rpmsg_service *svc, bool want_fd)
{
	uint64_t deadline = monotonic_ns() + (uint64_t)RESOLVE_TIMEOUT_MS * 1000000u;
	struct why why = { "" };
	int fd;

	for (;;) {
		fd = try_open_service(service, svc, &why, want_fd);
		if (fd >= 0)
			return fd;
		if (fd != STEP_RETRY)
			return -1;
		if (monotonic_ns() >= deadline) {
			print_error("%s", why.text);
			return -1;
		}
		sleep_ms(RESOLVE_POLL_MS);
	}
}

/* Format a sysfs address ("0x400") for display; RPMSG_ADDR_ANY is "any". */
static void format_addr(const char *channel, const char *attr, char *out, size_t size)
{
	char value[SYSFS_VALUE_MAX];
	unsigned long addr;
	char *end;

	if (channel_read(channel, attr, value, sizeof(value))) {
		snprintf(out, size, "?");
		return;
	}
	addr = strtoul(value, &end, 16);
	if (*end == '\0' && addr == RPMSG_ADDR_ANY)
		snprintf(out, size, "any");
	else
		snprintf(out, size, "%s", value);
}

/* Every class device rpmsg made under a channel, as /dev paths. */
static void format_nodes(const char *channel, char *out, size_t size)
{
	char path[PATH_MAX];
	struct dirent **entries;
	size_t used = 0;
	int count, i;

	snprintf(out, size, "-");
	if (format_into(path, sizeof(path), RPMSG_DEVICES_DIR "/%s/rpmsg", channel))
		return;
	count = scandir(path, &entries, skip_dot_entries, alphasort);
	if (count <= 0) {
		if (count == 0)
			free(entries);
		return;
	}
	for (i = 0; i < count && used < size; i++)
		used += snprintf(out + used, size - used, "%s/dev/%s",
				 i ? "," : "", entries[i]->d_name);
	free_entries(entries, count);
}

int rpmsg_print_channels(void)
{
	char name[SYSFS_VALUE_MAX], src[SYSFS_VALUE_MAX], dst[SYSFS_VALUE_MAX];
	char driver[SYSFS_VALUE_MAX], nodes[SYSFS_VALUE_MAX];
	struct dirent **entries;
	int count, i;

	count = scandir(RPMSG_DEVICES_DIR, &entries, skip_dot_entries, alphasort);
	if (count < 0) {
		if (errno == ENOENT) {
			printf("rpmsg channels: none (no rpmsg bus in this kernel)\n");
			return 0;
		}
		print_error("reading " RPMSG_DEVICES_DIR ": %s", strerror(errno));
		return -1;
	}
	if (count == 0) {
		printf("rpmsg channels: none\n");
		free(entries);
		return 0;
	}

	printf("rpmsg channels:\n");
	printf("  %-24s %-10s %-10s %-14s %s\n", "NAME", "SRC", "DST", "DRIVER", "DEVICE");
	for (i = 0; i < count; i++) {
		const char *channel = entries[i]->d_name;

		if (channel_read(channel, "name", name, sizeof(name)))
			continue;	/* gone since the scan */
		format_addr(channel, "src", src, sizeof(src));
		format_addr(channel, "dst", dst, sizeof(dst));
		if (channel_driver(channel, driver, sizeof(driver)))
			snprintf(driver, sizeof(driver), "-");
		format_nodes(channel, nodes, sizeof(nodes));
		printf("  %-24s %-10s %-10s %-14s %s\n", name, src, dst, driver, nodes);
	}
	free_entries(entries, count);
	return 0;
}

int rpmsg_service_open(const char *service, struct rpmsg_service *svc)
{
	return resolve_service(service, svc, true);
}

int rpmsg_service_bind(const char *service, struct rpmsg_service *svc)
{
	return resolve_service(service, svc, false);
}

/* Bounds a blocking read: a periodic SIGALRM makes it return EINTR. */
#define CHAN_TICK_US	10000

/* Set while a run of waits keeps the tick going (chan_tick_hold()). */
static bool tick_held;

static void chan_tick(int sig)
{
	(void)sig;
}

static void chan_tick_arm(bool on)
{
	struct sigaction tick_action = { .sa_handler = chan_tick };	/* no SA_RESTART */
	struct itimerval tick = { { 0, CHAN_TICK_US }, { 0, CHAN_TICK_US } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	if (on)
		sigaction(SIGALRM, &tick_action, NULL);
	setitimer(ITIMER_REAL, on ? &tick : &off, NULL);
}

/*
 * Arming the tick per wait costs three system calls and two guest timer
 * reprogrammings per message; a stream or a run of round trips keeps one
 * tick running across all its waits instead.
 */
void chan_tick_hold(bool hold)
{
	tick_held = hold;
	chan_tick_arm(hold);
}

/*
 * Never poll() an rpmsg_char node: Linux 6.12's rpmsg_eptdev_poll() tests
 * the endpoint without its lock and then hands it to rpmsg_poll(), so a
 * poll racing with the endpoint's destruction (stop, crash recovery) trips
 * the WARN_ON in rpmsg_core.c. read() checks under the lock and returns
 * EPIPE instead. The periodic tick (not a one-shot alarm, which could fire
 * before read() starts) bounds the wait.
 */
int chan_wait_message(int fd, void *buf, size_t size, uint64_t deadline_ns, ssize_t *len)
{
	int ret;

	if (!tick_held)
		chan_tick_arm(true);
	for (;;) {
		*len = read(fd, buf, size);
		if (*len >= 0) {
			ret = 0;
			break;
		}
		if (errno != EINTR) {
			ret = -errno;
			break;
		}
		if (monotonic_ns() >= deadline_ns) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	if (!tick_held)
		chan_tick_arm(false);
	return ret;
}

/*
 * rpmsg_char keeps what arrives while nobody has the node open, e.g. the
 * late reply to a process that timed out: clients throw that away first,
 * with non-blocking reads (not poll(), see chan_wait_message()).
 */
unsigned int chan_drain(int fd)
{
	char buf[AR_RPMSG_BUF_SIZE];
	unsigned int n = 0;
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return 0;
	while (read(fd, buf, sizeof(buf)) >= 0)
		n++;
	fcntl(fd, F_SETFL, flags);
	return n;
}
