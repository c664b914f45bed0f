/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The card end of vsmartcard's vpcd protocol (TCP, every message a 2-byte big-endian length
 * and the payload; 1-byte payloads are control: 00 power off, 01 power on, 02 reset,
 * 04 ATR request; longer ones are C-APDUs answered with one R-APDU).
 */
#ifndef GBA_UICC_VPCD_H
#define GBA_UICC_VPCD_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <gba/uicc.h>

#define UICC_VPCD_DEFAULT_HOST	"127.0.0.1"
#define UICC_VPCD_DEFAULT_PORT	35963

struct uicc_vpcd_opts {
	FILE *trace;			/* NULL: no trace */
	bool show_keys;			/* --debug-keys: trace key bytes too */
	volatile sig_atomic_t *stop;	/* set by the signal handler */
	const sigset_t *waitmask;	/* signal mask while blocked (signals unblocked) */
};

/*
 * Connect to vpcd at host:port with TCP_NODELAY. Returns the socket, or a negative errno
 * (-ECONNREFUSED while vpcd does not listen yet).
 */
int uicc_vpcd_connect(const char *host, uint16_t port);

/*
 * Receive one message into 'buf' (at least 65535 bytes); TCP_QUICKACK is re-armed after
 * every read. Returns the payload length, -ECONNRESET when vpcd closed the connection,
 * -EINTR when *o->stop was set, -EPROTO / -EIO otherwise.
 */
int uicc_vpcd_recv(int fd, uint8_t *buf, size_t max, const struct uicc_vpcd_opts *o);

/* Send length + payload with ONE write (Nagle/delayed-ACK trap). 0 or negative errno. */
int uicc_vpcd_send(int fd, const uint8_t *p, size_t n);

/*
 * Serve 'card' on a connected socket until vpcd disconnects or *o->stop is set.
 * Returns -ECONNRESET (disconnected), -EINTR (stopped) or another negative errno.
 */
int uicc_vpcd_serve(int fd, struct gba_uicc *card, const struct uicc_vpcd_opts *o);

#endif /* GBA_UICC_VPCD_H */
