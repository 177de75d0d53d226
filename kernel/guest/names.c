// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stable device names: /dev/rpmsg/<service> -> /dev/rpmsgN for the
 * firmware's amprelay-* services ("amprelay-" dropped: /dev/rpmsg/echo)
 * and /dev/rpmsg/console -> /dev/ttyRPMSGn. Node numbers change whenever
 * the remote restarts, so the links are refreshed by every lookup the
 * tool makes, by `amprelay names`, and continuously by
 * `amprelay names --watch` (started in the background by rcS).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <amprelay/platform.h>

#include "amprelay.h"

#define NAMES_DIR		"/dev/rpmsg"
#define SERVICE_PREFIX		"amprelay-"
#define CONSOLE_LINK		"console"
#define WATCH_PERIOD_MS		500

static const char *const linked_services[] = {
	AR_SVC_ECHO_NAME, AR_SVC_CMD_NAME, AR_SVC_TELEM_NAME,
};

static const char *short_name(const char *service)
{
	size_t n = strlen(SERVICE_PREFIX);

	return strncmp(service, SERVICE_PREFIX, n) ? service : service + n;
}

/* Points NAMES_DIR/name at target unless it already does. */
static int set_link(const char *name, const char *target)
{
	char path[PATH_MAX], tmp[PATH_MAX], now[PATH_MAX];
	ssize_t len;

	if (mkdir(NAMES_DIR, 0755) && errno != EEXIST)
		return -errno;
	if (format_into(path, sizeof(path), NAMES_DIR "/%s", name) ||
	    format_into(tmp, sizeof(tmp), NAMES_DIR "/.%s.%d", name, (int)getpid()))
		return -ENAMETOOLONG;
	len = readlink(path, now, sizeof(now) - 1);
	if (len >= 0) {
		now[len] = '\0';
		if (!strcmp(now, target))
			return 0;
	}
	/* rename() replaces the old link atomically: readers never miss it. */
	unlink(tmp);
	if (symlink(target, tmp) || rename(tmp, path)) {
		int err = -errno;

		unlink(tmp);
		return err;
	}
	return 0;
}

static void remove_link(const char *name)
{
	char path[PATH_MAX];

	if (!format_into(path, sizeof(path), NAMES_DIR "/%s", name))
		unlink(path);
}

void names_link_service(const char *service, const char *node)
{
	/* Best effort: the lookup that called us works without the link. */
	(void)set_link(short_name(service), node);
}

/* /dev/ttyRPMSGn of the rpmsg-tty channel, if rpmsg_tty made one. */
static int console_node(char *node, size_t size)
{
	char channel[SYSFS_VALUE_MAX], path[PATH_MAX];
	struct dirent *e;
	DIR *dir;
	int err = -ENOENT;

	if (rpmsg_channel_find(AR_SVC_CONSOLE_NAME, channel, sizeof(channel)))
		return -ENOENT;
	if (format_into(path, sizeof(path), "/sys/bus/rpmsg/devices/%s/tty", channel))
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.') {
			err = format_into(node, size, "/dev/%s", e->d_name);
			break;
		}
	closedir(dir);
	return err;
}

/* One pass over the services; verbose prints each link. */
static int refresh(bool verbose)
{
	char channel[SYSFS_VALUE_MAX], node[SYSFS_VALUE_MAX];
	struct rpmsg_service svc;
	int failures = 0;
	size_t i;

	for (i = 0; i < sizeof(linked_services) / sizeof(linked_services[0]); i++) {
		const char *service = linked_services[i];

		if (rpmsg_channel_find(service, channel, sizeof(channel))) {
			remove_link(short_name(service));
			continue;
		}
		if (rpmsg_service_bind(service, &svc)) {
			failures++;
			continue;
		}
		if (verbose)
			printf(NAMES_DIR "/%s -> %s\n", short_name(service), svc.node);
	}
	if (console_node(node, sizeof(node)) == 0) {
		if (set_link(CONSOLE_LINK, node))
			failures++;
		else if (verbose)
			printf(NAMES_DIR "/" CONSOLE_LINK " -> %s\n", node);
	} else {
		remove_link(CONSOLE_LINK);
	}
	return failures;
}

int cmd_names(int argc, char **argv)
{
	bool watch = argc == 2 && !strcmp(argv[1], "--watch");

	if (argc > 2 || (argc == 2 && !watch)) {
		fprintf(stderr, "usage: " PROG_NAME " names [--watch]\n");
		return EXIT_USAGE;
	}
	if (!watch)
		return refresh(true) ? EXIT_FAILURE : EXIT_SUCCESS;
	for (;;) {
		refresh(false);
		sleep_ms(WATCH_PERIOD_MS);
	}
}
