/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The card end of vsmartcard's vpcd protocol (see vpcd.h; facts in components.md 2):
 * connect, frame, answer power on/off/reset (volatile reset only) and ATR requests at any
 * time, pass C-APDUs to the card. Latency rules: each message leaves in ONE send() with
 * TCP_NODELAY set, and TCP_QUICKACK is re-armed after every read; otherwise Nagle and
 * delayed ACKs add ~88 ms per APDU. Blocking waits use ppoll() with the caller's signal
 * mask so SIGTERM ends them without a race.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gba/log.h>

#include "vpcd.h"

#define VPCD_POWER_OFF	0x00
#define VPCD_POWER_ON	0x01
#define VPCD_RESET	0x02
#define VPCD_GET_ATR	0x04
#define VPCD_MSG_MAX	65535

int uicc_vpcd_connect(const char *host, uint16_t port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res, *ai;
	char ps[8];
	int fd = -1, rc, one = 1;

	snprintf(ps, sizeof(ps), "%u", port);
	rc = getaddrinfo(host, ps, &hints, &res);
	if (rc) {
		GLOGP(GBA_LC_CARD, GBA_LL_ERROR, "vpcd address %s: %s", host, gai_strerror(rc));
		return -EINVAL;
	}
	rc = -ECONNREFUSED;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			rc = -errno;
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		rc = -errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd >= 0 ? fd : rc;
}

/* Read exactly n bytes. */
static int read_n(int fd, uint8_t *p, size_t n, const struct uicc_vpcd_opts *o)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int one = 1;

	while (n) {
		ssize_t r;

		if (o->stop && *o->stop)
			return -EINTR;
		r = recv(fd, p, n, MSG_DONTWAIT);
		if (r > 0) {
			/* the kernel drops back to delayed ACKs after a while: re-arm each read */
			setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
			p += r;
			n -= (size_t)r;
			continue;
		}
		if (r == 0)
			return -ECONNRESET;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return errno == ECONNRESET ? -ECONNRESET : -EIO;
		if (ppoll(&pfd, 1, NULL, o->waitmask) < 0 && errno != EINTR)
			return -EIO;
	}
	return 0;
}

int uicc_vpcd_recv(int fd, uint8_t *buf, size_t max, const struct uicc_vpcd_opts *o)
{
	uint8_t hdr[2];
	size_t len;
	int rc;

	rc = read_n(fd, hdr, 2, o);
	if (rc)
		return rc;
	len = (size_t)hdr[0] << 8 | hdr[1];
	if (len > max)
		return -EPROTO;
	rc = read_n(fd, buf, len, o);
	return rc ? rc : (int)len;
}

int uicc_vpcd_send(int fd, const uint8_t *p, size_t n)
{
	uint8_t msg[2 + GBA_UICC_RAPDU_MAX + GBA_UICC_ATR_MAX];
	size_t off = 0;

	if (n > sizeof(msg) - 2)
		return -E2BIG;
	msg[0] = (uint8_t)(n >> 8);
	msg[1] = (uint8_t)n;
	memcpy(msg + 2, p, n);
	n += 2;
	while (off < n) {
		ssize_t w = send(fd, msg + off, n - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			gba_zeroize(msg, sizeof(msg));
			return -EIO;
		}
		off += (size_t)w;
	}
	gba_zeroize(msg, sizeof(msg));	/* may have carried RES/CK/IK */
	return 0;
}

int uicc_vpcd_serve(int fd, struct gba_uicc *card, const struct uicc_vpcd_opts *o)
{
	uint8_t r[GBA_UICC_RAPDU_MAX], *buf = malloc(VPCD_MSG_MAX);
	int n, rc;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		n = uicc_vpcd_recv(fd, buf, VPCD_MSG_MAX, o);
		if (n < 0) {
			free(buf);
			return n;
		}
		if (n == 1) {
			switch (buf[0]) {
			case VPCD_POWER_OFF:
			case VPCD_POWER_ON:
			case VPCD_RESET:
				GLOGP(GBA_LC_CARD, GBA_LL_DEBUG, "vpcd: %s", buf[0] == VPCD_RESET ?
				      "reset" : buf[0] == VPCD_POWER_ON ? "power on" : "power off");
				gba_uicc_reset(card);
				continue;
			case VPCD_GET_ATR: {
				uint8_t atr[GBA_UICC_ATR_MAX];
				size_t al = gba_uicc_atr(card, atr);

				rc = uicc_vpcd_send(fd, atr, al);
				if (rc) {
					free(buf);
					return rc;
				}
				continue;
			}
			default:
				GLOGP(GBA_LC_CARD, GBA_LL_NOTICE, "vpcd: unknown control byte %02x",
				      buf[0]);
				continue;
			}
		}
		if (n == 0)
			continue;
		{
			size_t rl = gba_uicc_apdu(card, buf, (size_t)n, r);

			rc = uicc_vpcd_send(fd, r, rl);
			if (o->trace)
				gba_uicc_trace(o->trace, buf, (size_t)n, r, rl,
					       gba_uicc_last_secret(card), o->show_keys);
			gba_zeroize(r, rl);
			gba_zeroize(buf, (size_t)n);	/* PIN blocks */
			if (rc) {
				free(buf);
				return rc;
			}
		}
	}
}
