/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PC/SC transport on libpcsclite: context, reader listing and choice, waiting
 * for a card (SCardGetStatusChange), T=0|T=1 connection, transmission with the
 * protocol's PCI, reconnection after a reset by another process, and the
 * mapping of PC/SC codes to negative errno with a clear log line.
 * libpcsclite itself honours PCSCLITE_CSOCK_NAME (the pcscd socket).
 * See include/gba/transport.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <winscard.h>

#include <gba/log.h>
#include <gba/transport.h>

#define PCSC_MAX_READERS	16

struct pcsc {
	struct gba_transport t;
	SCARDCONTEXT ctx;
	SCARDHANDLE card;
	DWORD proto;		/* SCARD_PROTOCOL_T0 / T1 */
	DWORD share;
	DWORD prefs;		/* protocols offered */
	uint8_t atr[GBA_ATR_MAX];
	size_t atr_len;
	char reader[256];
};

int gba_pcsc_errno(long rv)
{
	switch (rv) {
	case SCARD_S_SUCCESS:
		return 0;
	case SCARD_E_NO_SERVICE:
	case SCARD_E_SERVICE_STOPPED:
		return -EHOSTDOWN;
	case SCARD_E_NO_READERS_AVAILABLE:
	case SCARD_E_UNKNOWN_READER:
	case SCARD_E_READER_UNAVAILABLE:
		return -ENODEV;
	case SCARD_E_NO_SMARTCARD:
	case SCARD_W_REMOVED_CARD:
		return -ENOMEDIUM;
	case SCARD_E_TIMEOUT:
		return -ETIMEDOUT;
	case SCARD_E_SHARING_VIOLATION:
		return -EBUSY;
	case SCARD_W_RESET_CARD:
		return -ECONNRESET;
	case SCARD_E_INSUFFICIENT_BUFFER:
		return -ENOSPC;
	case SCARD_E_NO_MEMORY:
		return -ENOMEM;
	case SCARD_E_INVALID_PARAMETER:
	case SCARD_E_INVALID_VALUE:
		return -EINVAL;
	case SCARD_E_PROTO_MISMATCH:
		return -EPROTO;
	}
	return -EIO;
}

/* Log a failed PC/SC call once, with the hint that matters for its error. */
static int pcsc_fail(const char *what, const char *reader, LONG rv)
{
	int err = gba_pcsc_errno(rv);
	const char *sock = getenv("PCSCLITE_CSOCK_NAME");

	if (err == -EHOSTDOWN)
		GLOGP(GBA_LC_APDU, GBA_LL_ERROR,
		      "PC/SC: %s: pcscd not running or not reachable (socket %s): %s",
		      what, sock ? sock : "default", pcsc_stringify_error(rv));
	else
		GLOGP(GBA_LC_APDU, GBA_LL_ERROR, "PC/SC: %s%s%s: %s (%s)", what,
		      reader ? " on " : "", reader ? reader : "", gba_transport_strerror(err),
		      pcsc_stringify_error(rv));
	return err;
}

/* The reader list as a multi-string (NUL-separated, double NUL at the end). */
static int list_readers(SCARDCONTEXT ctx, char **out)
{
	DWORD len = 0;
	char *buf;
	LONG rv;

	*out = NULL;
	rv = SCardListReaders(ctx, NULL, NULL, &len);
	if (rv != SCARD_S_SUCCESS)
		return rv == SCARD_E_NO_READERS_AVAILABLE ? 0 :
		       pcsc_fail("listing readers", NULL, rv);
	buf = calloc(1, len + 2);
	if (!buf)
		return -ENOMEM;
	rv = SCardListReaders(ctx, NULL, buf, &len);
	if (rv != SCARD_S_SUCCESS) {
		free(buf);
		return rv == SCARD_E_NO_READERS_AVAILABLE ? 0 :
		       pcsc_fail("listing readers", NULL, rv);
	}
	*out = buf;
	return 1;
}

static bool card_present(const SCARD_READERSTATE *s)
{
	return (s->dwEventState & SCARD_STATE_PRESENT) && !(s->dwEventState & SCARD_STATE_MUTE);
}

/* Fill 'st' with the readers matching 'want' (NULL: all). Returns the count. */
static size_t pick_candidates(SCARD_READERSTATE *st, const char *names, const char *want)
{
	const char *p;
	size_t n = 0;

	for (p = names; *p && n < PCSC_MAX_READERS; p += strlen(p) + 1) {
		if (want && !strstr(p, want))
			continue;
		memset(&st[n], 0, sizeof(st[n]));
		st[n].szReader = p;
		st[n].dwCurrentState = SCARD_STATE_UNAWARE;
		n++;
	}
	return n;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int first_present(const SCARD_READERSTATE *st, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (card_present(&st[i]))
			return (int)i;
	return -1;
}

/*
 * Choose a reader with a card among 'st', waiting up to 'wait_ms' (< 0: forever).
 * Returns the index, or a negative errno.
 */
static int wait_card(SCARDCONTEXT ctx, SCARD_READERSTATE *st, size_t n, int wait_ms)
{
	long deadline = now_ms() + (wait_ms > 0 ? wait_ms : 0);
	size_t i;
	LONG rv;
	int idx;

	/* with SCARD_STATE_UNAWARE this returns the current states at once */
	rv = SCardGetStatusChange(ctx, 0, st, (DWORD)n);
	if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
		return pcsc_fail("reading reader states", NULL, rv);
	idx = first_present(st, n);
	while (idx < 0 && wait_ms != 0) {
		long left = deadline - now_ms();

		if (wait_ms > 0 && left <= 0)
			break;
		for (i = 0; i < n; i++)
			st[i].dwCurrentState = st[i].dwEventState & ~SCARD_STATE_CHANGED;
		rv = SCardGetStatusChange(ctx, wait_ms < 0 ? INFINITE : (DWORD)left, st, (DWORD)n);
		if (rv == SCARD_E_TIMEOUT)
			break;
		if (rv != SCARD_S_SUCCESS)
			return pcsc_fail("waiting for a card", NULL, rv);
		idx = first_present(st, n);
	}
	if (idx >= 0)
		return idx;
	GLOGP(GBA_LC_APDU, GBA_LL_ERROR, "PC/SC: no card in %s%s",
	      n == 1 ? st[0].szReader : "any reader",
	      wait_ms ? " (timed out waiting for one)" : "");
	return wait_ms ? -ETIMEDOUT : -ENOMEDIUM;
}

static int read_atr(struct pcsc *pc)
{
	BYTE atr[MAX_ATR_SIZE];
	DWORD atr_len = sizeof(atr), state, proto, rlen = 0;
	LONG rv;

	rv = SCardStatus(pc->card, NULL, &rlen, &state, &proto, atr, &atr_len);
	if (rv != SCARD_S_SUCCESS)
		return pcsc_fail("reading the card status", pc->reader, rv);
	pc->atr_len = atr_len < sizeof(pc->atr) ? atr_len : sizeof(pc->atr);
	memcpy(pc->atr, atr, pc->atr_len);
	return 0;
}

static int pcsc_reconnect(struct pcsc *pc, DWORD init)
{
	LONG rv = SCardReconnect(pc->card, pc->share, pc->prefs, init, &pc->proto);

	if (rv != SCARD_S_SUCCESS)
		return pcsc_fail("reconnecting", pc->reader, rv);
	return read_atr(pc);
}

static int pcsc_transmit(struct gba_transport *t, const uint8_t *capdu, size_t clen,
			 uint8_t *rapdu, size_t *rlen)
{
	struct pcsc *pc = t->priv;
	const SCARD_IO_REQUEST *pci;
	DWORD rl;
	LONG rv;
	int tries, rc;

	for (tries = 0; tries < 2; tries++) {
		pci = pc->proto == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
		rl = (DWORD)*rlen;
		rv = SCardTransmit(pc->card, pci, capdu, (DWORD)clen, NULL, rapdu, &rl);
		if (rv == SCARD_W_RESET_CARD) {
			/* another process reset the card: reconnect once, then retry */
			GLOGP(GBA_LC_APDU, GBA_LL_NOTICE,
			      "PC/SC: card in %s was reset, reconnecting", pc->reader);
			rc = pcsc_reconnect(pc, SCARD_LEAVE_CARD);
			if (rc < 0)
				return rc == -EIO ? -ECONNRESET : rc;
			continue;
		}
		if (rv != SCARD_S_SUCCESS)
			return pcsc_fail("transmit", pc->reader, rv);
		*rlen = rl;
		return 0;
	}
	return -ECONNRESET;
}

static int pcsc_reset(struct gba_transport *t, bool cold, uint8_t *atr, size_t *atr_len)
{
	struct pcsc *pc = t->priv;
	int rc = pcsc_reconnect(pc, cold ? SCARD_UNPOWER_CARD : SCARD_RESET_CARD);

	if (rc < 0)
		return rc;
	if (atr && atr_len) {
		memcpy(atr, pc->atr, pc->atr_len);
		*atr_len = pc->atr_len;
	}
	return 0;
}

static void pcsc_close(struct gba_transport *t)
{
	struct pcsc *pc = t->priv;

	if (pc->card)
		SCardDisconnect(pc->card, SCARD_LEAVE_CARD);
	if (pc->ctx)
		SCardReleaseContext(pc->ctx);
	free(pc);
}

static const char *pcsc_name(struct gba_transport *t)
{
	return ((struct pcsc *)t->priv)->reader;
}

static enum gba_proto pcsc_protocol(struct gba_transport *t)
{
	return ((struct pcsc *)t->priv)->proto == SCARD_PROTOCOL_T0 ? GBA_PROTO_T0 : GBA_PROTO_T1;
}

static const struct gba_transport_ops pcsc_ops = {
	.kind = "pcsc",
	.transmit = pcsc_transmit,
	.reset = pcsc_reset,
	.close = pcsc_close,
	.name = pcsc_name,
	.protocol = pcsc_protocol,
};

static int establish(SCARDCONTEXT *ctx)
{
	LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, ctx);

	if (rv != SCARD_S_SUCCESS) {
		*ctx = 0;
		return pcsc_fail("establishing a context", NULL, rv);
	}
	return 0;
}

/* Choose the reader and connect. */
static int pcsc_connect(struct pcsc *pc, const struct gba_pcsc_opts *o)
{
	SCARD_READERSTATE st[PCSC_MAX_READERS];
	char *names = NULL;
	size_t n;
	LONG rv;
	int rc, idx;

	rc = list_readers(pc->ctx, &names);
	if (rc <= 0) {
		if (rc == 0)
			GLOGP(GBA_LC_APDU, GBA_LL_ERROR, "PC/SC: no smart card reader");
		return rc == 0 ? -ENODEV : rc;
	}
	n = pick_candidates(st, names, o->reader);
	if (n == 0) {
		GLOGP(GBA_LC_APDU, GBA_LL_ERROR, "PC/SC: no reader name contains \"%s\"",
		      o->reader);
		free(names);
		return -ENODEV;
	}
	if (o->reader)
		n = 1;	/* the first matching reader, card or not */
	idx = wait_card(pc->ctx, st, n, o->wait_ms);
	if (idx < 0) {
		free(names);
		return idx;
	}
	snprintf(pc->reader, sizeof(pc->reader), "%s", st[idx].szReader);
	free(names);

	rv = SCardConnect(pc->ctx, pc->reader, pc->share, pc->prefs, &pc->card, &pc->proto);
	if (rv != SCARD_S_SUCCESS) {
		pc->card = 0;
		return pcsc_fail("connecting", pc->reader, rv);
	}
	rc = read_atr(pc);
	if (rc < 0)
		return rc;
	GLOGP(GBA_LC_APDU, GBA_LL_INFO, "PC/SC: connected to %s with %s", pc->reader,
	      pc->proto == SCARD_PROTOCOL_T0 ? "T=0" : "T=1");
	return 0;
}

int gba_transport_pcsc_open(struct gba_transport **out, const struct gba_pcsc_opts *opts)
{
	static const struct gba_pcsc_opts defaults;
	const struct gba_pcsc_opts *o = opts ? opts : &defaults;
	struct pcsc *pc;
	int rc;

	*out = NULL;
	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return -ENOMEM;
	pc->t.ops = &pcsc_ops;
	pc->t.priv = pc;
	pc->share = o->exclusive ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED;
	pc->prefs = o->t0_only ? SCARD_PROTOCOL_T0 : (SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1);
	rc = establish(&pc->ctx);
	if (rc == 0)
		rc = pcsc_connect(pc, o);
	if (rc < 0) {
		pcsc_close(&pc->t);
		return rc;
	}
	*out = &pc->t;
	return 0;
}

int gba_pcsc_list_readers(void (*cb)(void *arg, const char *reader, bool card_present),
			  void *arg)
{
	SCARD_READERSTATE st[PCSC_MAX_READERS];
	SCARDCONTEXT ctx;
	char *names = NULL;
	size_t n, i;
	LONG rv;
	int rc;

	rc = establish(&ctx);
	if (rc < 0)
		return rc;
	rc = list_readers(ctx, &names);
	if (rc <= 0)
		goto out;
	n = pick_candidates(st, names, NULL);
	rv = SCardGetStatusChange(ctx, 0, st, (DWORD)n);
	if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
		rc = pcsc_fail("reading reader states", NULL, rv);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (cb)
			cb(arg, st[i].szReader, card_present(&st[i]));
	rc = (int)n;
out:
	free(names);
	SCardReleaseContext(ctx);
	return rc;
}

int gba_transport_pcsc_atr(struct gba_transport *t, uint8_t *atr, size_t atr_max)
{
	struct pcsc *pc;

	if (!t || t->ops != &pcsc_ops)
		return -EINVAL;
	pc = t->priv;
	if (atr_max < pc->atr_len)
		return -ENOSPC;
	memcpy(atr, pc->atr, pc->atr_len);
	return (int)pc->atr_len;
}
