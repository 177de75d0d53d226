// SPDX-License-Identifier: GPL-2.0-only
/*
 * The remote's UART1 as a byte link: the remote QEMU connects its socket
 * chardev here. Each byte is one doorbell; there is no framing.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "amprelayd.h"

int uart_init(struct uart *u, const char *sock_path)
{
	u->conn_fd = -1;
	u->listen_fd = listen_unix(sock_path);
	if (u->listen_fd < 0)
		return -1;
	return ep_add(u->listen_fd, EP_UART_LISTEN, 0);
}

static void drop_conn(struct uart *u, const char *why)
{
	struct ev e;

	ep_del(u->conn_fd);
	close(u->conn_fd);
	u->conn_fd = -1;
	ev_begin(&e, "uart_disconnected");
	ev_str(&e, "reason", why);
	ev_end(&e);
}

void uart_accept(struct uart *u)
{
	struct ev e;
	int fd = accept4(u->listen_fd, NULL, NULL,
			 SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (u->conn_fd >= 0) {
		char c;
		ssize_t n = recv(u->conn_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

		if (n == 0)
			drop_conn(u, "hung up");
	}
	if (u->conn_fd >= 0) {
		close(fd);
		ev_begin(&e, "uart_rejected");
		ev_str(&e, "reason", "a remote is already connected");
		ev_end(&e);
		return;
	}
	if (ep_add(fd, EP_UART_CONN, 0) < 0) {
		close(fd);
		return;
	}
	u->conn_fd = fd;
	ev_simple("uart_connected");
}

/* Returns bytes read, 0 when nothing is pending or the peer went away. */
ssize_t uart_read(struct uart *u, uint8_t *buf, size_t size)
{
	ssize_t n;

	if (u->conn_fd < 0)
		return 0;
	n = recv(u->conn_fd, buf, size, MSG_DONTWAIT);
	if (n > 0)
		return n;
	if (n == 0)
		drop_conn(u, "closed");
	else if (errno != EAGAIN && errno != EINTR)
		drop_conn(u, strerror(errno));
	return 0;
}

bool uart_send_byte(struct uart *u, uint8_t byte)
{
	if (u->conn_fd < 0)
		return false;
	/*
	 * A full socket means the remote stopped reading (held in reset);
	 * such a doorbell is dropped rather than stalling Linux's doorbells.
	 */
	return send(u->conn_fd, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1;
}

void uart_fini(struct uart *u)
{
	if (u->conn_fd >= 0)
		drop_conn(u, "daemon stopping");
	if (u->listen_fd >= 0)
		close(u->listen_fd);
	u->listen_fd = -1;
}
