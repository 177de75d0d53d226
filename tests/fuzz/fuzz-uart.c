// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: amprelayd's doorbell bridge (qemu/bridge.c, uart.c,
 * ivshmem.c) between a hostile remote and a hostile Linux. The remote's
 * UART1 is a socketpair whose far end the input writes in chunks of any
 * bytes, or hangs up; Linux rings any of its eventfd vectors with any
 * count. The daemon's real handlers run on them, and a model of the
 * bridge (docs/architecture.md, "Notifications") checks every outcome:
 * which vectors Linux sees raised, which bytes reach the remote, every
 * counter. A remote must never be able to raise the reset acks or the
 * daemon event in Linux.
 *
 * Input: byte 0 = doorbells to drop on request (0..3); then operations:
 *   0x00..0x7f  the remote sends the next (op + 1) bytes of the input
 *   0x80..0xbf  Linux rings vector op & 7, count ((op >> 3) & 7) + 1
 *   0xc0..0xff  the remote hangs up (once)
 */
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include "amprelayd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The model's copy of the rule; the bridge must agree with the spec. */
static bool travels_over_uart(unsigned int v)
{
	return v < AR_MBOX_NUM || v == AR_MBOX_PING;
}

struct model {
	long long raised[AR_NUM_VECTORS];	/* since the last check */
	struct counters cnt;
	long drop_left;
	bool hung_up;
};

static void expect(bool ok)
{
	if (!ok)
		abort();
}

/* Every raised vector and every counter is exactly what the model says. */
static void check(struct lab *l, struct model *m)
{
	for (unsigned int v = 0; v < AR_NUM_VECTORS; v++) {
		uint64_t got = 0;

		if (read(l->ivsh.own_fd[v], &got, sizeof(got)) != sizeof(got))
			got = 0;	/* EAGAIN: not raised */
		expect((long long)got == m->raised[v]);
		m->raised[v] = 0;
	}
	expect(!memcmp(&l->cnt, &m->cnt, sizeof(m->cnt)));
	expect(l->drop_to_remote == m->drop_left);
	expect((l->uart.conn_fd < 0) == m->hung_up);
}

static void remote_sends(struct lab *l, struct model *m, int far,
			 const uint8_t *bytes, size_t n)
{
	int pending = 0;

	if (m->hung_up || write(far, bytes, n) != (ssize_t)n)
		return;
	for (size_t i = 0; i < n; i++) {
		if (travels_over_uart(bytes[i])) {
			m->raised[bytes[i]]++;
			m->cnt.to_linux++;
		} else {
			m->cnt.uart_unknown_bytes++;
		}
	}
	/* The daemon's epoll is level-triggered: it reads until drained. */
	do {
		on_uart_data(l);
		if (ioctl(l->uart.conn_fd, FIONREAD, &pending) < 0)
			abort();
	} while (pending > 0);
}

static void linux_rings(struct lab *l, struct model *m, int far,
			unsigned int v, uint64_t count)
{
	bool reaches_remote = false;
	uint8_t got[8];
	ssize_t n;

	if (write(l->ivsh.peer_fd[v], &count, sizeof(count)) != sizeof(count))
		abort();
	on_linux_ring(l, v);
	m->cnt.rings_from_linux += count;
	if (travels_over_uart(v)) {
		/* Coalesced rings are one doorbell: one byte. */
		if (v != AR_MBOX_PING && m->drop_left > 0) {
			m->drop_left--;
			m->cnt.to_remote_injected_drops++;
		} else if (m->hung_up) {
			m->cnt.to_remote_dropped++;
		} else {
			m->cnt.to_remote++;
			reaches_remote = true;
		}
	} else if (v == AR_VEC_RESET_ASSERT || v == AR_VEC_RESET_DEASSERT) {
		/* No monitor: the command fails, and is still acknowledged. */
		if (v == AR_VEC_RESET_ASSERT)
			m->cnt.reset_asserts++;
		else
			m->cnt.reset_deasserts++;
		m->cnt.reset_failures++;
		m->raised[v]++;
		expect(l->ivsh.page->reset_status == AR_RESET_FAILED);
	} else {
		m->cnt.unknown_vectors++;
	}
	if (m->hung_up)
		return;
	/* Exactly the vector's byte reaches the remote, or nothing. */
	n = recv(far, got, sizeof(got), MSG_DONTWAIT);
	if (reaches_remote)
		expect(n == 1 && got[0] == v);
	else
		expect(n < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct options opt = { .mode = "run" };
	static struct lab lab;
	static struct model m;
	static volatile struct ar_sysctl_page *page;
	struct lab *l = &lab;
	size_t pos = 1;
	int sv[2];

	if (size < 1)
		return 0;
	if (!page) {
		/* Events go to a log file; /dev/null keeps the run free of I/O. */
		evlog_open("/dev/null");
		g_epfd = epoll_create1(EPOLL_CLOEXEC);
		page = mmap(NULL, AR_SYSCTL_PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (g_epfd < 0 || page == MAP_FAILED)
			abort();
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
		abort();

	memset(l, 0, sizeof(*l));
	memset(&m, 0, sizeof(m));
	memset((void *)page, 0, AR_SYSCTL_PAGE_SIZE);
	l->opt = &opt;
	l->launch = true;
	l->sigfd = l->console_fd = l->console_log_fd = l->ctl_fd = -1;
	l->ivsh.listen_fd = l->ivsh.client_fd = l->ivsh.shm_fd = -1;
	l->ivsh.page = page;
	for (int v = 0; v < AR_NUM_VECTORS; v++) {
		l->ivsh.peer_fd[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		l->ivsh.own_fd[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (l->ivsh.peer_fd[v] < 0 || l->ivsh.own_fd[v] < 0)
			abort();
	}
	l->uart.listen_fd = -1;
	l->uart.conn_fd = sv[0];
	if (ep_add(sv[0], EP_UART_CONN, 0) < 0)
		abort();
	l->qmp.listen_fd = l->qmp.fd = -1;
	l->drop_to_remote = m.drop_left = data[0] & 3;

	while (pos < size) {
		uint8_t op = data[pos++];

		if (op < 0x80) {
			size_t n = (size_t)op + 1;

			if (n > size - pos)
				n = size - pos;
			remote_sends(l, &m, sv[1], data + pos, n);
			pos += n;
		} else if (op < 0xc0) {
			linux_rings(l, &m, sv[1], op & 7, ((op >> 3) & 7) + 1);
		} else if (!m.hung_up) {
			close(sv[1]);
			sv[1] = -1;
			m.hung_up = true;
			/* Level-triggered again: once for EOF is enough. */
			on_uart_data(l);
		}
		check(l, &m);
	}

	if (l->uart.conn_fd >= 0)
		close(l->uart.conn_fd);
	if (sv[1] >= 0)
		close(sv[1]);
	for (int v = 0; v < AR_NUM_VECTORS; v++) {
		close(l->ivsh.peer_fd[v]);
		close(l->ivsh.own_fd[v]);
	}
	return 0;
}
