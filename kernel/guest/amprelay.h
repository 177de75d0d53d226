/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amprelay: guest command-line tool. Shared declarations of its parts:
 * main.c (dispatch), sysfs.c (file and time helpers), rproc.c (remoteproc
 * sysfs), rpmsg.c (channels by name), echo.c (echo and ping).
 */
#ifndef AMPRELAY_GUEST_H
#define AMPRELAY_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROG_NAME	"amprelay"

/* Exit status of a command line the tool cannot parse. */
#define EXIT_USAGE	2

/* Biggest text value we read from or write to sysfs. */
#define SYSFS_VALUE_MAX	256

/* main.c */
void print_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_uint(const char *text, unsigned long max, unsigned long *out);

/* sysfs.c */
int format_into(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int sysfs_read(const char *path, char *buf, size_t size);
int sysfs_write(const char *path, const char *value);
bool path_exists(const char *path);
uint64_t monotonic_ns(void);
void sleep_ms(unsigned int ms);

/* rproc.c */
int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int rproc_print_status(void);

/* rpmsg.c */
struct rpmsg_service {
	char channel[SYSFS_VALUE_MAX];	/* device name on the rpmsg bus */
	char node[SYSFS_VALUE_MAX];	/* /dev/rpmsgN */
};

int rpmsg_channel_find(const char *service, char *channel, size_t size);
int rpmsg_service_open(const char *service, struct rpmsg_service *svc);
int rpmsg_print_channels(void);

/* echo.c */
int cmd_echo(int argc, char **argv);
int cmd_ping(int argc, char **argv);

#endif /* AMPRELAY_GUEST_H */
