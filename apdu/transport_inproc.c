/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * In-process transport: the "card" is a callback in the same process (the soft
 * UICC in tests and tools, or a scripted test double), so apdu/ never includes
 * uicc/. See include/gba/transport.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/transport.h>

struct inproc {
	struct gba_transport t;
	gba_inproc_handler handler;
	gba_inproc_reset reset;
	void *ctx;
	enum gba_proto proto;
	char name[64];
};

static struct inproc *to_inproc(struct gba_transport *t)
{
	return t->priv;
}

static int inproc_transmit(struct gba_transport *t, const uint8_t *capdu, size_t clen,
			   uint8_t *rapdu, size_t *rlen)
{
	struct inproc *ip = to_inproc(t);
	size_t cap = *rlen;
	int rc;

	rc = ip->handler(ip->ctx, capdu, clen, rapdu, rlen);
	if (rc < 0)
		return rc;
	if (*rlen < 2 || *rlen > cap)
		return -EPROTO;
	return 0;
}

static int inproc_reset(struct gba_transport *t, bool cold, uint8_t *atr, size_t *atr_len)
{
	struct inproc *ip = to_inproc(t);
	uint8_t dummy[GBA_ATR_MAX];
	size_t dlen = 0;

	if (!ip->reset)
		return -EOPNOTSUPP;
	return ip->reset(ip->ctx, cold, atr ? atr : dummy, atr_len ? atr_len : &dlen);
}

static void inproc_close(struct gba_transport *t)
{
	free(to_inproc(t));
}

static const char *inproc_name(struct gba_transport *t)
{
	return to_inproc(t)->name;
}

static enum gba_proto inproc_protocol(struct gba_transport *t)
{
	return to_inproc(t)->proto;
}

static const struct gba_transport_ops inproc_ops = {
	.kind = "inproc",
	.transmit = inproc_transmit,
	.reset = inproc_reset,
	.close = inproc_close,
	.name = inproc_name,
	.protocol = inproc_protocol,
};

int gba_transport_inproc_open(struct gba_transport **out, gba_inproc_handler handler,
			      gba_inproc_reset reset, void *ctx, enum gba_proto proto,
			      const char *name)
{
	struct inproc *ip;

	*out = NULL;
	if (!handler || proto > GBA_PROTO_RAW)
		return -EINVAL;
	ip = calloc(1, sizeof(*ip));
	if (!ip)
		return -ENOMEM;
	ip->t.ops = &inproc_ops;
	ip->t.priv = ip;
	ip->handler = handler;
	ip->reset = reset;
	ip->ctx = ctx;
	ip->proto = proto;
	snprintf(ip->name, sizeof(ip->name), "%s", name ? name : "inproc");
	*out = &ip->t;
	return 0;
}
