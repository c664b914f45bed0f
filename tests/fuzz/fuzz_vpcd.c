/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the vpcd framing of the soft UICC (uicc/vpcd.c): the input, after
 * one flags byte, is the byte stream vpcd sends (2-byte big-endian length + payload: control
 * bytes, C-APDUs, truncated frames), put in one end of a socketpair whose write side is then
 * shut; uicc_vpcd_serve() answers on the other end with a TS 35.208 set 1 card held in
 * memory, while a thread reads the answers back and checks that they are well-framed
 * (every frame 2 + length bytes, an R-APDU of at least SW1 SW2, nothing left over). Flags:
 * bit 0 writes the APDU trace (to /dev/null), bit 1 with key bytes shown. The only way out
 * must be -ECONNRESET at the end of the stream. (apdu/ has no framing of its own: pcscd's
 * vpcd driver frames the ME side, and apdu/'s PC/SC transport sees whole APDUs.)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gba/keys.h>
#include <gba/log.h>
#include <gba/profile.h>
#include <gba/uicc.h>

#include "vpcd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct drain {
	int fd;
	bool bad;
};

/* Read the card's answers until EOF; each must be a complete frame. */
static void *drain(void *arg)
{
	struct drain *d = arg;
	uint8_t buf[4096];
	size_t need = 0, hdr = 0;
	uint8_t h[2];
	ssize_t n;

	while ((n = read(d->fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n;) {
			if (need) {
				size_t take = (size_t)(n - i) < need ? (size_t)(n - i) : need;

				need -= take;
				i += (ssize_t)take;
				continue;
			}
			h[hdr++] = buf[i++];
			if (hdr == 2) {
				need = (size_t)h[0] << 8 | h[1];
				hdr = 0;
				if (need < 2)
					d->bad = true;	/* an R-APDU or ATR has 2 bytes at least */
			}
		}
	}
	if (need || hdr)
		d->bad = true;
	return NULL;
}

static void profile(struct gba_profile *p)
{
	memset(p, 0, sizeof(*p));
	strcpy(p->name, "fuzz");
	strcpy(p->iccid, "8988211000000000001");
	strcpy(p->imsi, "001010000000001");
	p->mnc_len = 2;
	p->cred.alg = GBA_AKA_MILENAGE;
	gba_hex_decode(p->cred.k, 16, "465b5ce8b199b49faa5f0a2ee238a6bc");
	gba_hex_decode(p->cred.opc, 16, "cd63cb71954a9f4e48a5994e37a02baf");
	strcpy(p->impi, "001010000000001@ims.mnc001.mcc001.3gppnetwork.org");
	p->gba = p->gba_u = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gba_uicc *card;
	static struct gba_profile p;
	static FILE *null;
	struct uicc_vpcd_opts o = { 0 };
	struct drain d = { .fd = -1 };
	struct gba_uicc_opts co = { 0 };
	int sv[2], rc, big = 1 << 20;
	pthread_t th;
	size_t off = 1;
	char err[200];

	if (size < 1 || size > 1 << 16)
		return 0;
	gba_log_set_level(GBA_LL_NONE);
	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	profile(&p);
	if (gba_uicc_new(&card, &p, &co, err, sizeof(err)))
		abort();
	o.trace = data[0] & 1 ? null : NULL;
	o.show_keys = data[0] & 2;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	while (off < size) {
		ssize_t w = write(sv[1], data + off, size - off);

		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	shutdown(sv[1], SHUT_WR);
	d.fd = sv[1];
	if (pthread_create(&th, NULL, drain, &d))
		abort();
	rc = uicc_vpcd_serve(sv[0], card, &o);
	close(sv[0]);
	pthread_join(th, NULL);
	close(sv[1]);
	gba_uicc_free(card);
	card = NULL;
	gba_zeroize(&p, sizeof(p));
	if (rc != -ECONNRESET || d.bad)
		abort();
	return 0;
}
