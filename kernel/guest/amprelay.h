/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amprelay: guest command-line tool. Shared declarations of its parts:
 * main.c (dispatch), sysfs.c (file and time helpers), rproc.c (remoteproc
 * sysfs), rpmsg.c (channels by name, message waits), echo.c (echo and ping).
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
/* remoteproc0 sysfs attributes: 0 or -errno (rproc_state prints why). */
int rproc_read(const char *attr, char *buf, size_t size);
int rproc_write(const char *attr, const char *value);
int rproc_state(char *state, size_t size);
/* 0 once the echo channel is up, printing the time it took; else -errno. */
int wait_for_echo_channel(unsigned long wait_s, uint64_t started_ns);

/* reload.c */
int cmd_reload(int argc, char **argv);

/* send.c: one message to any channel */
int cmd_send(int argc, char **argv);

/* rpmsg.c */
struct rpmsg_service {
	char channel[SYSFS_VALUE_MAX];	/* device name on the rpmsg bus */
	char node[SYSFS_VALUE_MAX];	/* /dev/rpmsgN */
};

int rpmsg_channel_find(const char *service, char *channel, size_t size);
int rpmsg_service_open(const char *service, struct rpmsg_service *svc);
/* The same without opening: bound to rpmsg_char, node present; 0 or -1. */
int rpmsg_service_bind(const char *service, struct rpmsg_service *svc);
int rpmsg_print_channels(void);
/* One message within the deadline: 0, -ETIMEDOUT, -EPIPE, -EINTR or -errno. */
int chan_wait_message(int fd, void *buf, size_t size, uint64_t deadline_ns, ssize_t *len);
/* true: one tick serves every wait until chan_tick_hold(false). */
void chan_tick_hold(bool hold);
/* Reads and discards what is queued; returns how many messages. */
unsigned int chan_drain(int fd);

/* echo.c */
int cmd_echo(int argc, char **argv);
/* One echo of msg on the echo channel, reply not printed: 0 if it came back intact. */
int echo_check(const char *msg);
int cmd_ping(int argc, char **argv);

/* cmd.c: command service client */
struct cmd_reply_info {
	uint32_t seq;
	uint16_t status;	/* AR_CMD_ST_* */
	size_t body_len;
};

int cmd_cmd(int argc, char **argv);
int cmd_fault(int argc, char **argv);
const char *cmd_status_string(unsigned int status);
/* Sends op with body; 0 with info filled (any status), -1 after an error message. */
int cmd_request(int fd, const struct rpmsg_service *svc, uint16_t op, const void *body,
		uint16_t body_len, struct cmd_reply_info *info, void *out, size_t out_size);
/* Index of name in a table whose entry 0 is unused, or -1. */
int name_index(const char *const *names, unsigned int count, const char *name);

/* telemetry.c */
int cmd_telemetry(int argc, char **argv);

/* names.c: /dev/rpmsg/<service> links */
int cmd_names(int argc, char **argv);
void names_link_service(const char *service, const char *node);

/* crash.c: crash and recovery tools */
int cmd_watch(int argc, char **argv);
int cmd_coredump(int argc, char **argv);
int cmd_host(int argc, char **argv);
int cmd_crash_cycle(int argc, char **argv);
int cmd_soak(int argc, char **argv);

/* bulk.c: throughput through the bulk service */
int cmd_throughput(int argc, char **argv);

/* openamp.c: OpenAMP echo_test-style client */
int cmd_openamp_echo(int argc, char **argv);

#endif /* AMPRELAY_GUEST_H */
