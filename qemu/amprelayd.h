/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amprelayd internals: shared between the daemon's source files only.
 * Everything both QEMUs, the guest and the firmware must agree on lives in
 * include/amprelay/platform.h.
 */
#ifndef AMPRELAYD_H
#define AMPRELAYD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <sys/types.h>
#include <termios.h>

#include "amprelay/platform.h"

/* Files of one run directory (docs/architecture.md, "Processes and files"). */
#define RUN_WINDOW		"window.bin"
#define RUN_IVSHMEM_SOCK	"ivshmem.sock"
#define RUN_UART1_SOCK		"uart1.sock"
#define RUN_QMP_SOCK		"qmp-remote.sock"
#define RUN_LINUX_CMDLINE	"qemu-linux.cmdline"
#define RUN_REMOTE_CMDLINE	"qemu-remote.cmdline"
#define RUN_LINUX_CONSOLE	"linux-console.log"
#define RUN_REMOTE_CONSOLE	"remote-console.log"
#define RUN_REMOTE_QEMU_LOG	"qemu-remote.log"
#define RUN_EVENTS		"events.jsonl"
/* gdbstubs (amprelayd run --gdb-remote / --gdb-linux); QEMU listens. */
#define RUN_GDB_REMOTE_SOCK	"gdb-remote.sock"
#define RUN_GDB_LINUX_SOCK	"gdb-linux.sock"
#define RUN_CTL_REQUEST		AR_RUN_CTL_REQUEST	/* faults.c */
#define RUN_CTL_REPLY		AR_RUN_CTL_REPLY

/*
 * The guest side of --cmd (kernel/rootfs/etc/init.d/amprelay-session):
 * the run directory is the 9p share AR_RUN_MOUNT_TAG, mounted at /lab; the
 * guest runs RUN/guest-cmd and frames its output with these two lines.
 */
#define AR_RUN_MOUNT_TAG	"amprelay-run"
#define RUN_GUEST_CMD		"guest-cmd"
#define AR_CMD_BEGIN_MARKER	"@@AMPRELAY-CMD-BEGIN@@"
#define AR_CMD_END_MARKER_FMT	"@@AMPRELAY-CMD-END rc=%d@@"

/* Inputs, relative to the build directory. */
#define IN_KERNEL		"kernel/arch/arm64/boot/Image"
#define IN_INITRAMFS		"initramfs.cpio.gz"
#define IN_DTB			"amprelay-virt.dtb"
#define IN_BOOTROM		"fw/bootrom.elf"

#define QEMU_LINUX		"qemu-system-aarch64"
#define QEMU_REMOTE		"qemu-system-arm"

/* Timeouts, in milliseconds. */
#define QMP_TIMEOUT_MS		5000	/* one QMP command or awaited event */
#define REMOTE_READY_MS		10000	/* remote QEMU connects UART1 + QMP */
#define POWEROFF_GRACE_MS	30000	/* guest powers off after the END marker */
#define QUIT_GRACE_MS		2000	/* per step of quit -> TERM -> KILL */
#define DUMPDTB_TIMEOUT_MS	60000
#define DEFAULT_CMD_TIMEOUT_S	900

/* ---- util.c ---------------------------------------------------------- */

void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double now_ms(void);
int path_join(char *out, size_t size, const char *dir, const char *name);
int mkdir_p(const char *path);
int listen_unix(const char *path);
int set_nonblock(int fd);
int write_all(int fd, const void *buf, size_t len);
int write_text_file(const char *path, const char *text);
bool file_exists(const char *path);
void describe_status(int status, char *buf, size_t size);

/* One epoll set for the whole daemon; data = kind << 32 | index. */
enum ep_kind {
	EP_SIGNAL = 1,
	EP_IVSH_LISTEN,
	EP_IVSH_CLIENT,
	EP_IVSH_VECTOR,
	EP_UART_LISTEN,
	EP_UART_CONN,
	EP_QMP_LISTEN,
	EP_QMP_CONN,
	EP_CONSOLE,
	EP_CTL,
};
extern int g_epfd;
int ep_add(int fd, enum ep_kind kind, uint32_t index);
void ep_del(int fd);

/* ---- json.c ---------------------------------------------------------- */

size_t json_escape(char *out, size_t size, const char *in);
const char *json_skip_ws(const char *p);
const char *json_skip_value(const char *p);
const char *json_member(const char *obj, const char *key);
bool json_get_string(const char *val, char *out, size_t size);
bool json_get_int(const char *val, long long *out);

/* ---- evlog.c --------------------------------------------------------- */

struct ev {
	char buf[2048];
	size_t len;
	bool full;
};

int evlog_open(const char *path);
void evlog_close(void);
void ev_begin(struct ev *e, const char *event);
void ev_str(struct ev *e, const char *key, const char *val);
void ev_int(struct ev *e, const char *key, long long val);
void ev_ms(struct ev *e, const char *key, double ms);
void ev_end(struct ev *e);
void ev_simple(const char *event);

/* ---- ivshmem.c ------------------------------------------------------- */

struct ivsh {
	int listen_fd;
	int client_fd;
	int peer_fd[AR_NUM_VECTORS];	/* Linux rings these; we poll them */
	int own_fd[AR_NUM_VECTORS];	/* we write these; MSI-X in Linux */
	int shm_fd;
	volatile struct ar_sysctl_page *page;
};

int ivsh_init(struct ivsh *iv, const char *sock_path);
void ivsh_accept(struct ivsh *iv);
void ivsh_client_readable(struct ivsh *iv);
bool ivsh_connected(const struct ivsh *iv);
bool ivsh_read_vector(struct ivsh *iv, unsigned int vec, uint64_t *count);
bool ivsh_raise(struct ivsh *iv, unsigned int vec);
void ivsh_fini(struct ivsh *iv);

/* ---- uart.c ---------------------------------------------------------- */

struct uart {
	int listen_fd;
	int conn_fd;
};

int uart_init(struct uart *u, const char *sock_path);
void uart_accept(struct uart *u);
ssize_t uart_read(struct uart *u, uint8_t *buf, size_t size);
bool uart_send_byte(struct uart *u, uint8_t byte);
void uart_fini(struct uart *u);

/* ---- qmp.c ----------------------------------------------------------- */

enum qmp_state { QMP_NONE, QMP_GREETING, QMP_CAPS, QMP_READY };
enum qmp_foreign_event { QMP_FOREIGN_NONE, QMP_FOREIGN_STOP, QMP_FOREIGN_RESUME };

struct qmp {
	int listen_fd;
	int fd;
	enum qmp_state state;
	char buf[65536];
	size_t len;
	long long next_id;
	long long caps_id;
	long long want_id;	/* reply awaited by qmp_execute, 0 if none */
	bool got_reply;
	bool reply_ok;
	char reply_err[256];
	unsigned long reset_events;	/* RESET events seen so far */
	unsigned long shutdown_events;	/* SHUTDOWN events seen so far */
	/* The next STOP / RESUME is amprelayd's own doing (qmp_expect). */
	bool expect_stop;
	bool expect_resume;
	/* The latest STOP / RESUME nobody expected: a debugger's. */
	enum qmp_foreign_event foreign_event;
};

int qmp_init(struct qmp *q, const char *sock_path);
void qmp_accept(struct qmp *q);
void qmp_readable(struct qmp *q);
bool qmp_ready(const struct qmp *q);
int qmp_execute(struct qmp *q, const char *cmd, char *err, size_t errlen);
int qmp_execute_args(struct qmp *q, const char *cmd, const char *args,
		     char *err, size_t errlen);
void qmp_expect(struct qmp *q, bool stop, bool resume);
int qmp_wait_shutdown(struct qmp *q, unsigned long seen_before, char *err,
		      size_t errlen);
int qmp_wait_reset(struct qmp *q, unsigned long seen_before, char *err,
		   size_t errlen);
void qmp_send_quit(struct qmp *q);
void qmp_fini(struct qmp *q);

struct lab;
void remote_check_debugger(struct lab *l);
void remote_set_halted(struct lab *l, bool halted, const char *by);

/* ---- console.c ------------------------------------------------------- */

/* Picks the guest command's output out of the Linux console stream. */
struct cmd_console {
	char line[8192];
	size_t len;
	bool in_cmd;
	bool partial;		/* line[] continues an overlong line */
	bool began;
	bool ended;
	bool saw_init;		/* the kernel's "Run /init" line went by */
	int rc;
	int out_fd;		/* forwarded command output goes here */
};

enum { CON_BEGIN = 1, CON_END = 2, CON_LINUX_INIT = 4 };

void console_init(struct cmd_console *c, int out_fd);
int console_feed(struct cmd_console *c, const char *data, size_t len);
int console_finish(struct cmd_console *c);

/* ---- launch.c -------------------------------------------------------- */

struct argv_list {
	char **v;
	int n;
	int cap;
};

struct launch_cfg {
	const char *run_dir;
	const char *build_dir;
	bool cmd_mode;		/* console through a pipe instead of stdio */
	const char *share_dir;	/* shared at AR_SHARE_GUEST_DIR; NULL: none */
	bool gdb_remote;	/* gdbstub of the remote on RUN_GDB_REMOTE_SOCK */
	bool gdb_linux;		/* gdbstub of Linux on RUN_GDB_LINUX_SOCK */
};

void argv_free(struct argv_list *a);
int launch_linux_argv(struct argv_list *a, const struct launch_cfg *cfg);
int launch_remote_argv(struct argv_list *a, const struct launch_cfg *cfg);
int launch_dumpdtb_argv(struct argv_list *a, const char *tmp_dir,
			const char *out);
int launch_check_inputs(const char *build_dir);
int launch_write_cmdline(const char *path, const struct argv_list *a);
int launch_write_cmdlines(const struct launch_cfg *cfg);

struct spawn_io {
	int in_fd;		/* -1: inherit */
	int out_fd;
	int err_fd;
	bool own_pgrp;		/* keep terminal signals away from it */
};

pid_t launch_spawn(const struct argv_list *a, const struct spawn_io *io);

/* ---- run.c: the lab and its loop ------------------------------------ */

struct options {
	const char *mode;
	const char *run_dir;
	const char *build_dir;
	const char *cmd;	/* NULL: interactive */
	const char *share_dir;	/* NULL: BUILD/share */
	long timeout_s;		/* 0: none */
	bool timeout_given;
	bool gdb_remote;	/* --gdb-remote */
	bool gdb_linux;		/* --gdb-linux */
};

struct counters {
	long long rings_from_linux;	/* eventfd counts, coalesced included */
	long long to_remote;		/* bytes written to UART1 */
	long long to_remote_dropped;
	long long to_linux;		/* vectors raised in Linux */
	long long to_linux_dropped;
	long long uart_unknown_bytes;
	long long unknown_vectors;
	long long reset_asserts;
	long long reset_deasserts;
	long long reset_failures;
	long long to_remote_injected_drops;	/* drop-doorbells requests */
};

struct lab {
	const struct options *opt;
	bool launch;
	bool cmd_mode;
	char run_dir[PATH_MAX];
	char build_dir[PATH_MAX];
	char share_dir[PATH_MAX];
	int sigfd;
	struct ivsh ivsh;
	struct uart uart;
	struct qmp qmp;
	pid_t linux_pid;
	pid_t remote_pid;
	bool linux_launched;
	int console_fd;			/* --cmd: Linux QEMU's stdout */
	int console_log_fd;
	struct cmd_console con;
	double remote_deadline;		/* 0: not armed */
	double cmd_deadline;
	double poweroff_deadline;
	bool finished;
	int exit_code;
	const char *stop_reason;
	struct counters cnt;
	struct termios saved_tty;
	bool tty_saved;
	int ctl_fd;			/* inotify on the run directory */
	long drop_to_remote;		/* doorbells still to drop on request */
	bool remote_restarting;		/* relaunched, not yet connected */
	int remote_restarts;
	bool remote_halted;		/* stopped by a debugger, Linux told */
};

int run_lab(const struct options *opt, bool launch_qemus);
void finish(struct lab *l, int code, const char *reason);
int failure_code(const struct lab *l);
int run_path(const struct lab *l, char *out, const char *name);

/* ---- bridge.c: doorbells and the reset line --------------------------- */

void on_linux_ring(struct lab *l, unsigned int vec);
void on_uart_data(struct lab *l);

/* ---- supervise.c: the QEMU processes ---------------------------------- */

int launch_remote(struct lab *l);
int launch_linux(struct lab *l);
bool console_readable(struct lab *l);
void drain_console(struct lab *l);
void on_signal(struct lab *l);
void stop_linux(struct lab *l);
void stop_remote(struct lab *l);

/* ---- faults.c: host-side faults, control requests, remote relaunch ---- */

void raise_event(struct lab *l, uint32_t event);
bool remote_died(struct lab *l, const char *desc);
void remote_check_restarted(struct lab *l);
int wait_remote_ready(struct lab *l, char *err, size_t errlen);
bool drop_doorbell_to_remote(struct lab *l, unsigned int vec);
int ctl_init(struct lab *l);
void ctl_readable(struct lab *l);
int run_ctl(const char *run_dir, int argc, char **argv);

/* ---- dumpdtb.c -------------------------------------------------------- */

int run_dumpdtb(const char *out);
int default_build_dir(char *out, size_t size);

#endif /* AMPRELAYD_H */
